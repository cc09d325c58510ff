/*
 * Roster import, second half: write the rows roster.c has checked, in one
 * transaction, and count what changed.  The school's classes, students and
 * consent states are read into memory once, so a row costs a handful of
 * indexed statements and 100,000 students import in seconds.
 *
 * A dry run does exactly the same work and then rolls back, so its counts
 * are the counts a real import would give (guardians shared between
 * siblings in the same file included) and nothing is committed.
 *
 * What a re-import does, row by row:
 *   - a student is found by ref and updated only where the file differs;
 *     a column the file does not have leaves that field alone;
 *   - a student who had left and is back becomes active again;
 *   - a guardian is found by phone, or by e-mail when the row has no phone,
 *     or by name among the student's own guardians when it has neither, so
 *     siblings share one guardian; links are added, never removed;
 *   - consent (purposes "data" and "notifications") gets a new row only
 *     when the file says something other than the state in force;
 *   - a guardian with an e-mail, on a row with consent "yes", is
 *     subscribed to entry and exit e-mails when the link or the consent is
 *     new and they have no subscription for that student yet, so someone
 *     who unsubscribed is not subscribed again by the next import.
 * Active students of the school missing from the file are marked left.
 */
#include "people/people_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/log.h"
#include "core/utf8.h"

#define ROSTER_DOC_NAME_MAX 180 /* bytes of the file name in "roster:NAME" */

static const char *const consent_purposes[2] = {
        PEOPLE_PURPOSE_DATA,
        PEOPLE_PURPOSE_NOTIFICATIONS,
};

/* A student of the school before the import. */
struct known {
	struct ps_student s; /* strings in the arena */
	bool seen;
	signed char consent[2]; /* per consent_purposes: -1, 0 or 1 */
};

struct apply {
	struct store *db;
	struct arena *a;
	const struct roster_file *f;
	struct roster_report *rep;
	int64_t school_id, user_id;
	const char *document;
	char now[PEOPLE_TIME_MAX];
	struct known *known; /* sorted by id */
	size_t nknown, cap;
	struct strmap by_ref;  /* ref → index in known */
	struct strmap classes; /* canonical name → id */
};

static int
load_class(void *ctx, int64_t id, const char *name)
{
	struct apply *ap = ctx;
	char *key = arena_strdup(ap->a, name);

	return key == NULL ? -1 : strmap_put(&ap->classes, key, id);
}

static const char *
dup_or_null(struct arena *a, const char *s, bool *failed)
{
	char *d;

	if (s == NULL)
		return NULL;
	if ((d = arena_strdup(a, s)) == NULL)
		*failed = true;
	return d;
}

static int
load_student(void *ctx, const struct ps_student *s)
{
	struct apply *ap = ctx;
	struct known *k, *grown;
	bool failed = false;
	size_t cap;

	if (ap->nknown == ap->cap) {
		cap = ap->cap ? ap->cap * 2 : 1024;
		grown = realloc(ap->known, cap * sizeof(*grown));
		if (grown == NULL)
			return -1;
		ap->known = grown;
		ap->cap = cap;
	}
	k = &ap->known[ap->nknown];
	memset(k, 0, sizeof(*k));
	k->s = *s;
	k->s.ref = dup_or_null(ap->a, s->ref, &failed);
	k->s.full_name = dup_or_null(ap->a, s->full_name, &failed);
	k->s.birth_date = dup_or_null(ap->a, s->birth_date, &failed);
	k->s.iin = dup_or_null(ap->a, s->iin, &failed);
	k->s.category = dup_or_null(ap->a, s->category, &failed);
	k->consent[0] = k->consent[1] = -1;
	if (failed ||
	    strmap_put(&ap->by_ref, k->s.ref, (int64_t)ap->nknown) == -1)
		return -1;
	ap->nknown++;
	return 0;
}

static struct known *
known_by_id(struct apply *ap, int64_t id)
{
	size_t lo = 0, hi = ap->nknown, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ap->known[mid].s.id == id)
			return &ap->known[mid];
		if (ap->known[mid].s.id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int
load_consent(void *ctx, int64_t student_id, const char *purpose, bool granted)
{
	struct known *k = known_by_id(ctx, student_id);
	int i;

	for (i = 0; k != NULL && i < 2; i++)
		if (strcmp(purpose, consent_purposes[i]) == 0)
			k->consent[i] = granted ? 1 : 0;
	return 0;
}

static bool
same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* The student row: updated or inserted; *sid gets its id. */
static int
apply_student(struct apply *ap, const struct roster_row *r, int64_t class_id,
              struct known *k, int64_t *sid, bool *changed)
{
	const bool *has = ap->f->has;
	struct ps_student s;
	int rc;

	if (k == NULL) {
		memset(&s, 0, sizeof(s));
		s.ref = r->ref;
		s.full_name = r->full_name;
		s.class_id = class_id;
		s.birth_date = r->birth_date;
		s.iin = r->iin;
		s.category = r->category;
		return ps_student_insert(ap->db, ap->school_id, &s, ap->now,
		                         sid);
	}
	s = k->s;
	s.full_name = r->full_name;
	s.class_id = class_id;
	if (has[COL_BIRTH_DATE])
		s.birth_date = r->birth_date;
	if (has[COL_IIN])
		s.iin = r->iin;
	if (has[COL_CATEGORY])
		s.category = r->category ? r->category : "none";
	*sid = s.id;
	if (!k->s.left && same(s.full_name, k->s.full_name) &&
	    s.class_id == k->s.class_id &&
	    same(s.birth_date, k->s.birth_date) && same(s.iin, k->s.iin) &&
	    same(s.category, k->s.category))
		return PEOPLE_OK;
	*changed = true;
	rc = ps_student_update(ap->db, &s, ap->now);
	return rc;
}

/* Finds or adds the row's guardian and links them; *gid 0 when none. */
static int
apply_guardian(struct apply *ap, const struct roster_row *r, int64_t sid,
               bool known, int64_t *gid, const char **email, bool *linked)
{
	struct ps_guardian g = {0};
	int rc = PEOPLE_NOT_FOUND;

	*gid = 0;
	*linked = false;
	if (r->guardian_name == NULL)
		return PEOPLE_OK;
	if (r->guardian_phone != NULL)
		rc = ps_guardian_by_phone(ap->db, ap->a, r->guardian_phone, &g);
	else if (r->guardian_email != NULL)
		rc = ps_guardian_by_email(ap->db, ap->a, r->guardian_email, &g);
	else if (known)
		rc = ps_guardian_by_name(ap->db, sid, r->guardian_name, &g.id);
	if (rc == PEOPLE_OK) {
		*gid = g.id;
		*email = r->guardian_email ? r->guardian_email : g.email;
		if (g.full_name != NULL &&
		    (!same(g.full_name, r->guardian_name) ||
		     (r->guardian_email != NULL &&
		      !same(g.email, r->guardian_email))))
			rc = ps_guardian_update(ap->db, g.id, r->guardian_name,
			                        r->guardian_email);
	} else if (rc == PEOPLE_NOT_FOUND) {
		rc = ps_guardian_insert(ap->db, r->guardian_name,
		                        r->guardian_phone, r->guardian_email,
		                        ap->now, gid);
		*email = r->guardian_email;
		if (rc == PEOPLE_OK)
			ap->rep->guardians_added++;
	}
	if (rc == PEOPLE_OK)
		rc = ps_guardian_link(ap->db, sid, *gid, linked);
	return rc;
}

static int
apply_row(struct apply *ap, const struct roster_row *r)
{
	const char *email = NULL;
	bool changed = false, linked = false, notified = false, any;
	struct known *k = NULL;
	int64_t class_id, idx, sid = 0, gid = 0;
	int rc = PEOPLE_OK, i;
	char *key;

	if (!strmap_get(&ap->classes, r->class_name, &class_id)) {
		rc = ps_class_insert(ap->db, ap->school_id, r->class_name,
		                     r->grade, &class_id);
		key = arena_strdup(ap->a, r->class_name);
		if (rc != PEOPLE_OK || key == NULL ||
		    strmap_put(&ap->classes, key, class_id) == -1)
			return rc != PEOPLE_OK ? rc : PEOPLE_ERROR;
		ap->rep->classes_added++;
	}
	if (strmap_get(&ap->by_ref, r->ref, &idx)) {
		k = &ap->known[idx];
		k->seen = true;
	}
	rc = apply_student(ap, r, class_id, k, &sid, &changed);
	if (rc == PEOPLE_OK)
		rc = apply_guardian(ap, r, sid, k != NULL, &gid, &email,
		                    &linked);
	changed = changed || linked;
	for (i = 0; rc == PEOPLE_OK && r->consent >= 0 && i < 2; i++) {
		if (k != NULL && k->consent[i] == r->consent)
			continue;
		rc = ps_consent_insert(ap->db, sid, gid, consent_purposes[i],
		                       r->consent == 1, ap->document,
		                       ap->user_id, ap->now);
		changed = true;
		notified = notified || (i == 1 && r->consent == 1);
	}
	if (rc == PEOPLE_OK && r->consent == 1 && gid != 0 && email != NULL &&
	    (linked || notified)) {
		rc = ps_subscription_any(ap->db, gid, sid, &any);
		if (rc == PEOPLE_OK && !any)
			rc = ps_subscription_insert(ap->db, gid, sid, "entry",
			                            "email");
		if (rc == PEOPLE_OK && !any)
			rc = ps_subscription_insert(ap->db, gid, sid, "exit",
			                            "email");
	}
	if (k == NULL)
		ap->rep->added++;
	else if (changed)
		ap->rep->updated++;
	else
		ap->rep->unchanged++;
	return rc;
}

int
roster_apply(struct store *db, const struct principal *p, int64_t school_id,
             const struct roster_file *f, const char *document,
             struct roster_report *rep)
{
	struct apply ap;
	size_t i;
	int rc;

	memset(&ap, 0, sizeof(ap));
	ap.db = db;
	ap.a = f->arena;
	ap.f = f;
	ap.rep = rep;
	ap.school_id = school_id;
	ap.user_id = p != NULL && p->kind == PRINCIPAL_STAFF ? p->user_id : 0;
	ap.document = document;
	people_now(ap.now);
	rc = strmap_init(&ap.by_ref, f->nrows) == 0 &&
	                     strmap_init(&ap.classes, 64) == 0
	             ? PEOPLE_OK
	             : PEOPLE_ERROR;
	if (rc == PEOPLE_OK)
		rc = ps_each_class(db, school_id, load_class, &ap);
	if (rc == PEOPLE_OK)
		rc = ps_each_student(db, school_id, load_student, &ap);
	if (rc == PEOPLE_OK)
		rc = ps_each_consent(db, school_id, load_consent, &ap);
	for (i = 0; rc == PEOPLE_OK && i < f->nrows; i++)
		rc = apply_row(&ap, &f->rows[i]);
	for (i = 0; rc == PEOPLE_OK && i < ap.nknown; i++) {
		if (ap.known[i].seen || ap.known[i].s.left)
			continue;
		rc = ps_student_mark_left(db, ap.known[i].s.id, ap.now);
		rep->left++;
	}
	strmap_free(&ap.by_ref);
	strmap_free(&ap.classes);
	free(ap.known);
	return rc;
}

/* "roster:NAME" with the file's base name, cut short, no control bytes. */
static char *
document_name(struct arena *a, const char *filename)
{
	const char *base = strrchr(filename, '/');
	size_t len, i;
	char *doc;

	base = base != NULL ? base + 1 : filename;
	len = strlen(base);
	if (len > ROSTER_DOC_NAME_MAX)
		len = ROSTER_DOC_NAME_MAX;
	len = utf8_valid_prefix(base, len);
	doc = arena_printf(a, "roster:%.*s", (int)len, base);
	for (i = 0; doc != NULL && doc[i] != '\0'; i++)
		if ((unsigned char)doc[i] < 0x20 || doc[i] == 0x7f)
			doc[i] = '_';
	return doc;
}

static void
zero_counts(struct roster_report *rep)
{
	rep->added = rep->updated = rep->unchanged = rep->left = 0;
	rep->guardians_added = rep->classes_added = 0;
}

int
roster_import(struct store *db, const struct principal *p, int64_t school_id,
              const char *filename, const char *data, size_t len, bool dry_run,
              struct roster_report *rep)
{
	struct roster_file f;
	char detail[256];
	const char *doc;
	int rc = PEOPLE_ERROR;

	memset(rep, 0, sizeof(*rep));
	memset(&f, 0, sizeof(f));
	rep->dry_run = dry_run;
	if (filename == NULL || *filename == '\0')
		filename = "roster.csv";
	if ((rep->filename = strdup(filename)) == NULL ||
	    (f.arena = arena_new()) == NULL)
		goto done;
	if ((rc = roster_parse(data, len, &f, rep)) != PEOPLE_OK)
		goto done;
	if ((doc = document_name(f.arena, filename)) == NULL ||
	    store_begin(db) != STORE_OK) {
		log_warnx("roster: cannot begin: %s", store_errmsg(db));
		rc = PEOPLE_ERROR;
		goto done;
	}
	rc = roster_apply(db, p, school_id, &f, doc, rep);
	snprintf(detail, sizeof(detail),
	         "rows=%ld added=%ld updated=%ld unchanged=%ld left=%ld "
	         "guardians_added=%ld classes_added=%ld",
	         rep->rows, rep->added, rep->updated, rep->unchanged, rep->left,
	         rep->guardians_added, rep->classes_added);
	if (rc == PEOPLE_OK && !dry_run &&
	    audit_record(db, p, "roster.import", school_id, "school", NULL,
	                 detail) != 0)
		rc = PEOPLE_ERROR;
	if (rc != PEOPLE_OK || dry_run)
		store_rollback(db);
	else if (store_commit(db) != STORE_OK)
		rc = PEOPLE_ERROR;
	if (rc == PEOPLE_OK)
		log_info("roster: import school=%lld dry_run=%d %s",
		         (long long)school_id, dry_run ? 1 : 0, detail);
done:
	if (rc != PEOPLE_OK)
		zero_counts(rep);
	arena_free(f.arena);
	free(f.rows);
	return rc;
}
