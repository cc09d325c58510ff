/*
 * Roster import, first half: read the whole CSV file and check every row
 * before anything is written, so that a file with one bad row writes
 * nothing and the person who uploaded it sees every bad row at once (up to
 * ROSTER_MAX_ERRORS), each as "FILE:LINE: what is wrong".  The second half,
 * roster_apply.c, writes the checked rows in one transaction.
 *
 * Error messages are English msgids with "{}" where a value goes, so the
 * web page can show them translated while the command line and the API
 * print the contract's English.  A value quoted in a message is cut short
 * and stripped of control characters; an IIN is never quoted.
 */
#include "people/people_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/csv.h"
#include "core/utf8.h"
#include "core/validate.h"

#define ROSTER_QUOTE_MAX 64 /* bytes of a value quoted in a message */

static const char *const col_names[COL_COUNT] = {
        "ref",
        "full_name",
        "class",
        "birth_date",
        "iin",
        "category",
        "consent",
        "guardian_name",
        "guardian_phone",
        "guardian_email",
};

/* A copy of `s` fit to quote in a message: short, no control bytes. */
static char *
quote_value(const char *s)
{
	size_t len = strlen(s), i;
	char *q;

	/* A cut inside a character leaves an invalid tail, which goes too. */
	if (len > ROSTER_QUOTE_MAX)
		len = utf8_valid_prefix(s, ROSTER_QUOTE_MAX);
	q = strndup(s, len);
	if (q == NULL)
		return NULL;
	for (i = 0; i < len; i++)
		if ((unsigned char)q[i] < 0x20 || q[i] == 0x7f)
			q[i] = '?';
	return q;
}

int
roster_error_add(struct roster_report *rep, unsigned long line,
                 const char *msgid, const char *arg0, const char *arg1)
{
	struct roster_error *e, *grown;
	bool last = rep->nerrors + 1 == ROSTER_MAX_ERRORS;

	if (rep->nerrors >= ROSTER_MAX_ERRORS)
		return -1;
	grown = realloc(rep->errors, (rep->nerrors + 1) * sizeof(*grown));
	if (grown == NULL)
		return -1;
	rep->errors = grown;
	e = &rep->errors[rep->nerrors];
	memset(e, 0, sizeof(*e));
	if (last) {
		e->line = line;
		e->msgid = N_("too many errors; stopped here");
		rep->nerrors++;
		return -1;
	}
	e->line = line;
	e->msgid = msgid;
	if ((arg0 != NULL && (e->args[0] = quote_value(arg0)) == NULL) ||
	    (arg1 != NULL && (e->args[1] = quote_value(arg1)) == NULL)) {
		free(e->args[0]);
		return -1;
	}
	rep->nerrors++;
	return 0;
}

void
roster_report_free(struct roster_report *rep)
{
	size_t i;

	if (rep == NULL)
		return;
	for (i = 0; i < rep->nerrors; i++) {
		free(rep->errors[i].args[0]);
		free(rep->errors[i].args[1]);
	}
	free(rep->errors);
	free(rep->filename);
	memset(rep, 0, sizeof(*rep));
}

const char *
roster_error_format(const struct roster_report *rep, size_t i, enum lang lang,
                    char *out, size_t outlen)
{
	const struct roster_error *e = &rep->errors[i];
	const char *msg = i18n_get(lang, e->msgid), *hole;
	struct buf b;
	int arg = 0;

	buf_init(&b);
	buf_printf(&b, "%s:%lu: ", rep->filename ? rep->filename : "-",
	           e->line);
	while ((hole = strstr(msg, "{}")) != NULL) {
		buf_append(&b, msg, (size_t)(hole - msg));
		if (arg < 2 && e->args[arg] != NULL)
			buf_puts(&b, e->args[arg]);
		arg++;
		msg = hole + 2;
	}
	buf_puts(&b, msg);
	snprintf(out, outlen, "%s", b.failed || b.data == NULL ? "" : b.data);
	/* Cut short inside a character, the text would not be UTF-8. */
	if (outlen > 0)
		out[utf8_valid_prefix(out, strlen(out))] = '\0';
	buf_free(&b);
	return out;
}

json_t *
roster_report_json(const struct roster_report *rep)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:b, s:I}", "added",
	                 (json_int_t)rep->added, "updated",
	                 (json_int_t)rep->updated, "unchanged",
	                 (json_int_t)rep->unchanged, "left",
	                 (json_int_t)rep->left, "guardians_added",
	                 (json_int_t)rep->guardians_added, "classes_added",
	                 (json_int_t)rep->classes_added, "dry_run",
	                 rep->dry_run, "rows", (json_int_t)rep->rows);
}

/* Trims ASCII spaces and tabs in place. */
static char *
trim(char *s)
{
	size_t len;

	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		s[--len] = '\0';
	return s;
}

/* Reads the header: col[i] is the column of field i, or -1 to ignore it. */
static int
read_header(char **fields, size_t n, int *col, struct roster_file *f,
            struct roster_report *rep, unsigned long line)
{
	size_t i;
	int c, rc = 0;

	for (i = 0; i < n; i++) {
		char *name = trim(fields[i]);

		col[i] = -1;
		if (*name == '\0')
			continue;
		for (c = 0; c < COL_COUNT; c++)
			if (strcasecmp(name, col_names[c]) == 0)
				break;
		if (c == COL_COUNT) {
			if (roster_error_add(rep, line,
			                     N_("unknown column \"{}\""), name,
			                     NULL) == -1)
				return -1;
			rc = 1;
		} else if (f->has[c]) {
			if (roster_error_add(rep, line,
			                     N_("column \"{}\" appears twice"),
			                     col_names[c], NULL) == -1)
				return -1;
			rc = 1;
		} else {
			f->has[c] = true;
			col[i] = c;
		}
	}
	for (c = COL_REF; c <= COL_CLASS; c++) {
		if (f->has[c])
			continue;
		if (roster_error_add(rep, line,
		                     N_("required column \"{}\" is missing"),
		                     col_names[c], NULL) == -1)
			return -1;
		rc = 1;
	}
	return rc;
}

/* Checks one field; 1 when it was bad (and reported), -1 to stop. */
static int
bad(struct roster_report *rep, unsigned long line, const char *msgid,
    const char *arg0, const char *arg1)
{
	return roster_error_add(rep, line, msgid, arg0, arg1) == -1 ? -1 : 1;
}

static int
check_row(struct roster_row *r, char **v, struct roster_report *rep,
          struct arena *a)
{
	char phone[VALIDATE_PHONE_MAX + 1], canon[PEOPLE_CLASS_MAX];
	unsigned long ln = r->line;
	int rc = 0;
	char *s;

	/* Reports every bad field of the row, not just the first. */
#define CHECK(cond, ...)                                                       \
	do {                                                                   \
		if (!(cond)) {                                                 \
			if (bad(rep, ln, __VA_ARGS__) == -1)                   \
				return -1;                                     \
			rc = 1;                                                \
		}                                                              \
	} while (0)

	CHECK(v[COL_REF] != NULL, N_("required field \"{}\" is empty"), "ref",
	      NULL);
	if (v[COL_REF] != NULL)
		CHECK(validate_ref(v[COL_REF]),
		      N_("malformed ref \"{}\" (1 to 64 of A-Z a-z 0-9 . _ -)"),
		      v[COL_REF], NULL);
	CHECK(v[COL_FULL_NAME] != NULL, N_("required field \"{}\" is empty"),
	      "full_name", NULL);
	if (v[COL_FULL_NAME] != NULL)
		CHECK(people_text_valid(v[COL_FULL_NAME], PEOPLE_NAME_MAX),
		      N_("full_name must be 1 to 200 characters without "
		         "control characters"),
		      NULL, NULL);
	CHECK(v[COL_CLASS] != NULL, N_("required field \"{}\" is empty"),
	      "class", NULL);
	if (v[COL_CLASS] != NULL)
		CHECK(people_class_canonical(v[COL_CLASS], canon, &r->grade) ==
		              PEOPLE_OK,
		      N_("class \"{}\" needs a grade and at most one letter, "
		         "like 3A or 10B"),
		      v[COL_CLASS], NULL);
	if ((s = v[COL_BIRTH_DATE]) != NULL)
		CHECK(validate_date(s),
		      N_("malformed birth_date \"{}\" (YYYY-MM-DD)"), s, NULL);
	if ((s = v[COL_IIN]) != NULL)
		CHECK(validate_iin(s),
		      N_("iin must be 12 digits with a valid checksum"), NULL,
		      NULL);
	if ((s = v[COL_CATEGORY]) != NULL)
		CHECK(strcmp(s, "none") == 0 || strcmp(s, "social") == 0,
		      N_("category must be none or social, not \"{}\""), s,
		      NULL);
	r->consent = -1;
	if ((s = v[COL_CONSENT]) != NULL) {
		r->consent = strcasecmp(s, "yes") == 0  ? 1
		             : strcasecmp(s, "no") == 0 ? 0
		                                        : -2;
		CHECK(r->consent != -2,
		      N_("consent must be yes or no, not \"{}\""), s, NULL);
	}
	if ((s = v[COL_GUARDIAN_PHONE]) != NULL) {
		bool ok = normalize_phone(s, phone, sizeof(phone)) == 0;

		CHECK(ok,
		      N_("malformed guardian_phone \"{}\" (E.164, like "
		         "+77011234567)"),
		      s, NULL);
		if (ok)
			v[COL_GUARDIAN_PHONE] = phone;
	}
	if ((s = v[COL_GUARDIAN_EMAIL]) != NULL) {
		char *p;

		for (p = s; *p != '\0'; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		CHECK(validate_email(s), N_("malformed guardian_email \"{}\""),
		      s, NULL);
	}
	if ((s = v[COL_GUARDIAN_NAME]) != NULL)
		CHECK(people_text_valid(s, PEOPLE_NAME_MAX),
		      N_("guardian_name must be 1 to 200 characters without "
		         "control characters"),
		      NULL, NULL);
	else
		CHECK(v[COL_GUARDIAN_PHONE] == NULL &&
		              v[COL_GUARDIAN_EMAIL] == NULL,
		      N_("guardian_name is required with a guardian_phone or "
		         "guardian_email"),
		      NULL, NULL);
#undef CHECK
	if (rc != 0)
		return rc;
#define DUP(x) ((x) == NULL ? NULL : arena_strdup(a, (x)))
	r->ref = DUP(v[COL_REF]);
	r->full_name = DUP(v[COL_FULL_NAME]);
	r->class_name = DUP(canon);
	r->birth_date = DUP(v[COL_BIRTH_DATE]);
	r->iin = DUP(v[COL_IIN]);
	r->category = DUP(v[COL_CATEGORY]);
	r->guardian_name = DUP(v[COL_GUARDIAN_NAME]);
	r->guardian_phone = DUP(v[COL_GUARDIAN_PHONE]);
	r->guardian_email = DUP(v[COL_GUARDIAN_EMAIL]);
#undef DUP
	if (r->ref == NULL || r->full_name == NULL || r->class_name == NULL)
		return -1;
	return 0;
}

static int
add_row(struct roster_file *f, const struct roster_row *r)
{
	struct roster_row *grown;
	size_t cap;

	if (f->nrows == f->cap) {
		cap = f->cap ? f->cap * 2 : 256;
		grown = realloc(f->rows, cap * sizeof(*grown));
		if (grown == NULL)
			return -1;
		f->rows = grown;
		f->cap = cap;
	}
	f->rows[f->nrows++] = *r;
	return 0;
}

static bool
all_empty(char **fields, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (*trim(fields[i]) != '\0')
			return false;
	return true;
}

/*
 * Reads the data rows after the header.  Returns 0 when all were good, 1
 * when some were bad, -1 when out of memory or the error cap was reached.
 */
static int
read_rows(struct csv_reader *csv, const int *col, size_t ncols,
          struct roster_file *f, struct roster_report *rep, struct strmap *refs)
{
	char **fields, *v[COL_COUNT];
	struct roster_row r;
	char lineno[24];
	int64_t first;
	size_t n, i;
	int rc = 0, got, c;

	while ((got = csv_next(csv, &fields, &n)) == 1) {
		memset(&r, 0, sizeof(r));
		r.line = csv_line(csv);
		if (all_empty(fields, n))
			continue;
		if (++rep->rows > ROSTER_MAX_ROWS) {
			snprintf(lineno, sizeof(lineno), "%d", ROSTER_MAX_ROWS);
			roster_error_add(rep, r.line,
			                 N_("too many rows; the limit is {}"),
			                 lineno, NULL);
			return -1;
		}
		if (n != ncols) {
			if (bad(rep, r.line,
			        N_("the row has a different number of fields "
			           "than the header"),
			        NULL, NULL) == -1)
				return -1;
			rc = 1;
			continue;
		}
		memset(v, 0, sizeof(v));
		for (i = 0; i < n; i++) {
			char *val = trim(fields[i]);

			if (col[i] >= 0 && *val != '\0')
				v[col[i]] = val;
		}
		if ((c = check_row(&r, v, rep, f->arena)) == -1)
			return -1;
		if (c == 1) {
			rc = 1;
			continue;
		}
		if (strmap_get(refs, r.ref, &first)) {
			snprintf(lineno, sizeof(lineno), "%lld",
			         (long long)first);
			if (bad(rep, r.line,
			        N_("ref \"{}\" appears again; first on line "
			           "{}"),
			        r.ref, lineno) == -1)
				return -1;
			rc = 1;
			continue;
		}
		if (strmap_put(refs, r.ref, (int64_t)r.line) == -1 ||
		    add_row(f, &r) == -1)
			return -1;
	}
	if (got == -1) {
		roster_error_add(rep, csv_line(csv), N_("malformed CSV: {}"),
		                 csv_error(csv), NULL);
		return 1;
	}
	return rc;
}

int
roster_parse(const char *data, size_t len, struct roster_file *f,
             struct roster_report *rep)
{
	struct csv_reader *csv;
	struct strmap refs = {0};
	int col[CSV_MAX_FIELDS];
	char **fields;
	size_t ncols;
	int rc = PEOPLE_ERROR, got, hr;

	if ((csv = csv_open(data, len)) == NULL ||
	    strmap_init(&refs, 1024) == -1)
		goto done;
	got = csv_next(csv, &fields, &ncols);
	if (got != 1) {
		if (got == 0)
			roster_error_add(rep, 1, N_("the file is empty"), NULL,
			                 NULL);
		else
			roster_error_add(rep, csv_line(csv),
			                 N_("malformed CSV: {}"),
			                 csv_error(csv), NULL);
		rc = PEOPLE_INVALID;
		goto done;
	}
	hr = read_header(fields, ncols, col, f, rep, csv_line(csv));
	/* A bad header makes every row meaningless: report it alone. */
	if (hr != 0) {
		rc = PEOPLE_INVALID;
		goto done;
	}
	hr = read_rows(csv, col, ncols, f, rep, &refs);
	/* A header alone would mark every student of the school as left. */
	if (hr == 0 && rep->nerrors == 0 && f->nrows == 0)
		hr = roster_error_add(
		             rep, 1,
		             N_("the file has a header but no students"), NULL,
		             NULL) == -1
		             ? -1
		             : 1;
	if (hr == 0 && rep->nerrors == 0)
		rc = PEOPLE_OK;
	else if (rep->nerrors > 0)
		rc = PEOPLE_INVALID;
done:
	strmap_free(&refs);
	csv_close(csv);
	return rc;
}
