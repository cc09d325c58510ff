/*
 * Regions, districts, schools, classes and consent: validation and the
 * rules around each write.  The SQL is in people_store.c, the read models in
 * people_read.c, the roster in roster.c and roster_apply.c.
 *
 * Consent is never edited, only appended: the newest row for a student and
 * purpose is the one in force, so a withdrawal takes effect the moment its
 * row is committed and the history of who said what stays readable.
 */
#include "people/people_internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "audit/audit.h"
#include "core/log.h"
#include "core/utf8.h"
#include "core/validate.h"

const char *
people_strerror(int rc)
{
	switch (rc) {
	case PEOPLE_OK:
		return "ok";
	case PEOPLE_NOT_FOUND:
		return "not found";
	case PEOPLE_DUPLICATE:
		return "already exists";
	case PEOPLE_INVALID:
		return "invalid value";
	default:
		return "database error";
	}
}

/* Whether the word [w, w + len) ends with one of `endings`. */
static bool
ends_with_any(const char *w, size_t len, const char *const *endings)
{
	size_t i, n;

	for (i = 0; endings[i] != NULL; i++) {
		n = strlen(endings[i]);
		if (len > n && memcmp(w + len - n, endings[i], n) == 0)
			return true;
	}
	return false;
}

/* Kazakh and Russian patronymics, in Cyrillic and Latin spelling. */
static const char *const patronymic_endings[] = {
        "ұлы",   "қызы",  "улы",  "кызы", "ович",  "евич",
        "ьич",   "овна",  "евна", "ична", "uly",   "kyzy",
        "ovich", "evich", "ovna", "evna", "ichna", NULL};
/* Russified surnames, the form most Kazakh surnames take too. */
static const char *const surname_endings[] = {
        "ов",  "ова",  "ев",   "ева",  "ёв",    "ёва",  "ин",
        "ина", "ский", "ская", "енко", "ov",    "ova",  "ev",
        "eva", "in",   "ina",  "sky",  "skaya", "enko", NULL};

#define NAME_WORDS_MAX 6

/*
 * Rosters write names in either order, "Surname Given Patronymic" (the
 * official one) or "Given Patronymic Surname", so the given name is found
 * by its neighbours: it stands just before a patronymic; without one, it
 * is the word that is not shaped like a surname, and the second word when
 * nothing tells.  Hand-written because no library knows these names.
 */
void
people_first_name(const char *full_name, char *out, size_t outlen)
{
	const char *word[NAME_WORDS_MAX];
	size_t len[NAME_WORDS_MAX], n = 0, pick, i, cut;
	const char *p = full_name;

	if (outlen == 0)
		return;
	while (*p != '\0' && n < NAME_WORDS_MAX) {
		p += strspn(p, " ,");
		if (*p == '\0')
			break;
		word[n] = p;
		len[n] = strcspn(p, " ,");
		p += len[n++];
	}
	pick = n >= 2 ? 1 : 0;
	for (i = 1; i < n; i++)
		if (ends_with_any(word[i], len[i], patronymic_endings))
			break;
	if (i < n)
		pick = i - 1;
	else if (n >= 2 &&
	         ends_with_any(word[n - 1], len[n - 1], surname_endings) &&
	         !ends_with_any(word[0], len[0], surname_endings))
		pick = 0;
	if (n == 0) {
		out[0] = '\0';
		return;
	}
	cut = len[pick];
	if (cut >= outlen) /* cut at a character boundary */
		for (cut = outlen - 1;
		     cut > 0 && (word[pick][cut] & 0xC0) == 0x80; cut--)
			;
	memcpy(out, word[pick], cut);
	out[cut] = '\0';
}

bool
people_text_valid(const char *s, size_t max_chars)
{
	size_t len, n;

	if (s == NULL || *s == '\0')
		return false;
	len = strlen(s);
	if (!utf8_valid(s, len) || utf8_has_control(s, len))
		return false;
	n = utf8_length(s, len);
	return n >= 1 && n <= max_chars;
}

bool
people_time_valid(const char *s)
{
	if (s == NULL || strlen(s) != 5 || s[2] != ':')
		return false;
	if (s[0] < '0' || s[0] > '2' || s[1] < '0' || s[1] > '9' ||
	    s[3] < '0' || s[3] > '5' || s[4] < '0' || s[4] > '9')
		return false;
	return (s[0] - '0') * 10 + (s[1] - '0') < 24;
}

void
people_now(char out[PEOPLE_TIME_MAX])
{
	struct tm tm;
	time_t t = time(NULL);

	gmtime_r(&t, &tm);
	strftime(out, PEOPLE_TIME_MAX, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int
people_txn_begin(struct store *db, bool *own)
{
	*own = !store_in_transaction(db);
	if (*own && store_begin(db) != STORE_OK) {
		log_warnx("people: cannot begin: %s", store_errmsg(db));
		return PEOPLE_ERROR;
	}
	return PEOPLE_OK;
}

int
people_txn_end(struct store *db, bool own, int rc)
{
	if (!own)
		return rc;
	if (rc != PEOPLE_OK) {
		store_rollback(db);
		return rc;
	}
	if (store_commit(db) != STORE_OK) {
		log_warnx("people: commit failed: %s", store_errmsg(db));
		return PEOPLE_ERROR;
	}
	return PEOPLE_OK;
}

static int
audit(struct store *db, const struct principal *p, const char *action,
      int64_t school_id, const char *type, const char *object,
      const char *detail)
{
	if (audit_record(db, p, action, school_id, type, object, detail) != 0)
		return PEOPLE_ERROR;
	return PEOPLE_OK;
}

int
people_region_find(struct store *db, const char *code, int64_t *id)
{
	if (!validate_code(code))
		return PEOPLE_INVALID;
	return ps_region_find(db, code, id);
}

int
people_region_ensure(struct store *db, const char *code, const char *name,
                     int64_t *id)
{
	int rc;

	if (name == NULL)
		name = code;
	if (!validate_code(code) || !people_text_valid(name, PEOPLE_NAME_MAX))
		return PEOPLE_INVALID;
	rc = ps_region_find(db, code, id);
	if (rc == PEOPLE_NOT_FOUND)
		rc = ps_region_insert(db, code, name, id);
	return rc;
}

int
people_district_ensure(struct store *db, int64_t region_id, const char *code,
                       const char *name, int64_t *id)
{
	int rc;

	if (name == NULL)
		name = code;
	if (!validate_code(code) || !people_text_valid(name, PEOPLE_NAME_MAX))
		return PEOPLE_INVALID;
	rc = ps_district_find(db, region_id, code, id);
	if (rc == PEOPLE_NOT_FOUND)
		rc = ps_district_insert(db, region_id, code, name, id);
	return rc;
}

int
people_school_add(struct store *db, const struct principal *p, const char *code,
                  const char *name, const char *region_code,
                  const char *district_code, int64_t *id)
{
	char now[PEOPLE_TIME_MAX];
	int64_t region_id = 0, district_id = 0, existing;
	bool own;
	int rc;

	if (!validate_code(code) || !people_text_valid(name, PEOPLE_NAME_MAX) ||
	    (region_code != NULL && !validate_code(region_code)) ||
	    (district_code != NULL &&
	     (region_code == NULL || !validate_code(district_code))))
		return PEOPLE_INVALID;
	if ((rc = people_txn_begin(db, &own)) != PEOPLE_OK)
		return rc;
	rc = ps_school_find(db, code, &existing);
	if (rc == PEOPLE_OK)
		rc = PEOPLE_DUPLICATE;
	else if (rc == PEOPLE_NOT_FOUND)
		rc = PEOPLE_OK;
	if (rc == PEOPLE_OK && region_code != NULL)
		rc = people_region_ensure(db, region_code, NULL, &region_id);
	if (rc == PEOPLE_OK && district_code != NULL)
		rc = people_district_ensure(db, region_id, district_code, NULL,
		                            &district_id);
	people_now(now);
	if (rc == PEOPLE_OK)
		rc = ps_school_insert(db, code, name, region_id, district_id,
		                      now, id);
	if (rc == PEOPLE_OK)
		rc = audit(db, p, "school.add", *id, "school", code, NULL);
	return people_txn_end(db, own, rc);
}

int
people_school_find(struct store *db, const char *code, int64_t *id)
{
	if (!validate_code(code))
		return PEOPLE_NOT_FOUND;
	return ps_school_find(db, code, id);
}

int
people_school_code(struct store *db, int64_t school_id, char *out,
                   size_t outlen)
{
	return ps_school_code(db, school_id, out, outlen);
}

int
people_class_canonical(const char *name, char out[PEOPLE_CLASS_MAX], int *grade)
{
	char letter[VALIDATE_CLASS_LETTER_SIZE];
	int g, n;

	if (parse_class_name(name, &g, letter, sizeof(letter)) != 0)
		return PEOPLE_INVALID;
	n = snprintf(out, PEOPLE_CLASS_MAX, "%d%s", g, letter);
	if (n < 0 || n >= PEOPLE_CLASS_MAX)
		return PEOPLE_INVALID;
	if (grade != NULL)
		*grade = g;
	return PEOPLE_OK;
}

int
people_class_find(struct store *db, int64_t school_id, const char *name,
                  int64_t *id)
{
	char canon[PEOPLE_CLASS_MAX];

	if (people_class_canonical(name, canon, NULL) != PEOPLE_OK)
		return PEOPLE_NOT_FOUND;
	return ps_class_find(db, school_id, canon, id);
}

int
people_class_ensure(struct store *db, int64_t school_id, const char *name,
                    int64_t *id, bool *created)
{
	char canon[PEOPLE_CLASS_MAX];
	int grade, rc;

	if (created != NULL)
		*created = false;
	if (people_class_canonical(name, canon, &grade) != PEOPLE_OK)
		return PEOPLE_INVALID;
	rc = ps_class_find(db, school_id, canon, id);
	if (rc == PEOPLE_NOT_FOUND) {
		rc = ps_class_insert(db, school_id, canon, grade, id);
		if (rc == PEOPLE_OK && created != NULL)
			*created = true;
	}
	return rc;
}

int
people_class_set_shift(struct store *db, const struct principal *p,
                       int64_t class_id, int shift, const char *starts_at)
{
	char object[24], detail[48];
	int64_t school_id;
	bool own;
	int rc;

	if (shift < 1 || shift > 3 || !people_time_valid(starts_at))
		return PEOPLE_INVALID;
	if ((rc = people_txn_begin(db, &own)) != PEOPLE_OK)
		return rc;
	rc = ps_class_school(db, class_id, &school_id);
	if (rc == PEOPLE_OK)
		rc = ps_class_set_shift(db, class_id, shift, starts_at);
	snprintf(object, sizeof(object), "%lld", (long long)class_id);
	snprintf(detail, sizeof(detail), "shift=%d starts_at=%s", shift,
	         starts_at);
	if (rc == PEOPLE_OK)
		rc = audit(db, p, "class.shift", school_id, "class", object,
		           detail);
	return people_txn_end(db, own, rc);
}

int
people_student_find(struct store *db, int64_t school_id, const char *ref,
                    int64_t *id)
{
	if (!validate_ref(ref))
		return PEOPLE_NOT_FOUND;
	return ps_student_find(db, school_id, ref, id);
}

bool
people_student_visible(struct store *db, const struct principal *p,
                       int64_t school_id, const char *ref)
{
	int64_t class_id = 0;

	if (auth_class_limit(p) == 0)
		return true;
	return validate_ref(ref) &&
	       store_query_int(db, &class_id,
	                       "SELECT class_id FROM students "
	                       "WHERE school_id = ? AND ref = ?",
	                       "it", school_id, ref) == STORE_ROW &&
	       auth_class_visible(db, p, class_id);
}

bool
people_purpose_valid(const char *purpose)
{
	return purpose != NULL &&
	       (strcmp(purpose, PEOPLE_PURPOSE_DATA) == 0 ||
	        strcmp(purpose, PEOPLE_PURPOSE_NOTIFICATIONS) == 0 ||
	        strcmp(purpose, PEOPLE_PURPOSE_BIOMETRICS) == 0);
}

int
people_consent_record(struct store *db, const struct principal *p,
                      int64_t student_id, int64_t guardian_id,
                      const char *purpose, bool granted, const char *document)
{
	char now[PEOPLE_TIME_MAX], object[24], detail[64];
	int64_t school_id;
	bool own;
	int rc;

	if (!people_purpose_valid(purpose) ||
	    !people_text_valid(document, PEOPLE_DOCUMENT_MAX) ||
	    guardian_id < 0)
		return PEOPLE_INVALID;
	if ((rc = people_txn_begin(db, &own)) != PEOPLE_OK)
		return rc;
	rc = ps_student_school(db, student_id, &school_id);
	if (rc == PEOPLE_OK && guardian_id != 0)
		rc = ps_guardian_linked(db, student_id, guardian_id);
	people_now(now);
	if (rc == PEOPLE_OK)
		rc = ps_consent_insert(
		        db, student_id, guardian_id, purpose, granted, document,
		        p != NULL && p->kind == PRINCIPAL_STAFF ? p->user_id
		                                                : 0,
		        now);
	snprintf(object, sizeof(object), "%lld", (long long)student_id);
	snprintf(detail, sizeof(detail), "purpose=%s granted=%d", purpose,
	         granted ? 1 : 0);
	if (rc == PEOPLE_OK)
		rc = audit(db, p, "consent.record", school_id, "student",
		           object, detail);
	return people_txn_end(db, own, rc);
}

bool
people_consent_current(struct store *db, int64_t student_id,
                       const char *purpose)
{
	int state = -1;

	if (ps_consent_state(db, student_id, purpose, &state) != PEOPLE_OK)
		return false;
	return state == 1;
}
