/*
 * People and places: regions, districts, schools, classes, students,
 * guardians and consent, and the roster import that fills them.
 *
 * This is the module's one public header.  Nothing here sees HTTP; the
 * handlers in people_http.c and people_pages.c call these functions and turn
 * their results into statuses.  Functions that change data open their own
 * transaction unless the caller already has one, and write their audit line
 * inside it, so a change and its audit line commit together.
 *
 * Read models come back as jansson objects owned by the caller.  They hold
 * personal data: whoever shows one to a person records the read with
 * audit_record() first.
 */
#ifndef QORGAN_PEOPLE_PEOPLE_H
#define QORGAN_PEOPLE_PEOPLE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "store/store.h"
#include "web/i18n.h"

/* Results: 0, or a negative value saying what kind of failure it was. */
enum people_rc {
	PEOPLE_OK = 0,
	PEOPLE_ERROR = -1,     /* the database failed; logged */
	PEOPLE_NOT_FOUND = -2, /* no such school, class, student, guardian */
	PEOPLE_DUPLICATE = -3, /* the code or name is taken */
	PEOPLE_INVALID = -4,   /* an argument failed its validator */
};

/* Named limits for text fields, in characters (code points). */
#define PEOPLE_NAME_MAX     200 /* a person's or a school's name */
#define PEOPLE_DOCUMENT_MAX 200 /* the paper a consent rests on */
#define PEOPLE_CLASS_MAX    16  /* bytes of a canonical class name */
#define PEOPLE_TIME_MAX     32  /* bytes of an RFC 3339 timestamp */

/* A short English description of a people_rc, for messages. */
const char *people_strerror(int rc);

/*
 * Whether `s` is 1..max_chars characters of valid UTF-8 without control
 * characters: the rule for every name and free-text field we store.
 */
bool people_text_valid(const char *s, size_t max_chars);

/*
 * The given name in a full name, in either order rosters use ("Surname
 * Given Patronymic" or "Given Patronymic Surname"): a notice to a parent
 * says "Алихан came in", never the surname.  Writes at most outlen - 1
 * bytes and never splits a UTF-8 character.
 */
void people_first_name(const char *full_name, char *out, size_t outlen);

/* "HH:MM", 00:00..23:59. */
bool people_time_valid(const char *s);

/* The current time as RFC 3339 UTC ("2024-09-02T08:00:00Z"). */
void people_now(char out[PEOPLE_TIME_MAX]);

/* --- Regions, districts, schools ------------------------------------ */

/*
 * Finds the region with `code` or creates it with `name` (NULL: the code).
 * An existing region keeps its name.  PEOPLE_INVALID for a bad code or name.
 */
int people_region_ensure(struct store *db, const char *code, const char *name,
                         int64_t *id);
int people_region_find(struct store *db, const char *code, int64_t *id);

/* The same for a district of a region. */
int people_district_ensure(struct store *db, int64_t region_id,
                           const char *code, const char *name, int64_t *id);

/*
 * Adds a school.  region_code and district_code may be NULL; a region or
 * district not yet known is created with its code as its name.  A district
 * needs a region.  PEOPLE_DUPLICATE when the code is taken, PEOPLE_INVALID
 * for a bad code or name.  Audited as "school.add" (actor "cli" when p is
 * NULL).
 */
int people_school_add(struct store *db, const struct principal *p,
                      const char *code, const char *name,
                      const char *region_code, const char *district_code,
                      int64_t *id);
int people_school_find(struct store *db, const char *code, int64_t *id);
/* The school's code into out; PEOPLE_NOT_FOUND when there is no such id. */
int people_school_code(struct store *db, int64_t school_id, char *out,
                       size_t outlen);

/* --- Classes --------------------------------------------------------- */

/*
 * The canonical form of a class name ("5-а" → "5А") and its grade.
 * PEOPLE_INVALID when the name has no grade or a bad letter.
 */
int people_class_canonical(const char *name, char out[PEOPLE_CLASS_MAX],
                           int *grade);

/*
 * Finds the school's class by name (any spelling parse_class_name accepts)
 * or creates it (shift 1, 08:00).  *created tells which; may be NULL.
 */
int people_class_ensure(struct store *db, int64_t school_id, const char *name,
                        int64_t *id, bool *created);
int people_class_find(struct store *db, int64_t school_id, const char *name,
                      int64_t *id);

/* Sets a class's shift (1..3) and start time ("HH:MM").  Audited. */
int people_class_set_shift(struct store *db, const struct principal *p,
                           int64_t class_id, int shift, const char *starts_at);

/* --- Students and consent -------------------------------------------- */

/*
 * Whether p may see the student `ref` of a school p sees: a class teacher
 * only the students of the classes bound to them (auth_class_visible()),
 * everyone else every student.  False for an unknown student.
 */
bool people_student_visible(struct store *db, const struct principal *p,
                            int64_t school_id, const char *ref);
int people_student_find(struct store *db, int64_t school_id, const char *ref,
                        int64_t *id);

/* Purposes a consent is given for, as stored. */
#define PEOPLE_PURPOSE_DATA          "data"
#define PEOPLE_PURPOSE_NOTIFICATIONS "notifications"
#define PEOPLE_PURPOSE_BIOMETRICS    "biometrics"
bool people_purpose_valid(const char *purpose);

/*
 * Appends a consent given or withdrawn for `purpose`.  guardian_id 0 when no
 * guardian is named; otherwise the guardian must be linked to the student
 * (PEOPLE_NOT_FOUND if not).  `document` names the paper (1..200 chars).
 * Consent is a history: the newest row is in force from the moment it is
 * committed.  Audited as "consent.record" (purpose and value, no names).
 */
int people_consent_record(struct store *db, const struct principal *p,
                          int64_t student_id, int64_t guardian_id,
                          const char *purpose, bool granted,
                          const char *document);

/* Whether the newest consent row for the purpose grants it (false if none). */
bool people_consent_current(struct store *db, int64_t student_id,
                            const char *purpose);

/* --- Read models (jansson; the caller owns *out) ---------------------- */

/*
 * Schools in a region (region_id 0: all), by code:
 * [{id, code, name, region, district, students}].  Callers filter them with
 * auth_school_visible().
 */
int people_school_list(struct store *db, int64_t region_id, json_t **out);

/* {id, code, name, region, district}: cheap, for headings. */
int people_school_brief(struct store *db, int64_t school_id, json_t **out);

/*
 * {id, code, name, region, district, students, left,
 *  classes:[{id, name, grade, shift, starts_at, students}]} where the
 * counts are of active students.  No personal data.
 */
int people_school_summary(struct store *db, int64_t school_id, json_t **out);

/*
 * {class:{id, name, grade, shift, starts_at},
 *  students:[{ref, full_name, category, consent_data}]}: the class's active
 * students by name.  PEOPLE_NOT_FOUND for an unknown class.
 */
int people_class_students(struct store *db, int64_t school_id,
                          const char *class_name, json_t **out);

/*
 * A student's card: {id, ref, full_name, class, grade, birth_date, iin,
 * category, status, left_at,
 *  guardians:[{id, full_name, phone, email}],
 *  consent:{data, notifications, biometrics} each null or
 *          {granted, at, by, guardian, document},
 *  consent_history:[{purpose, granted, at, by, guardian, document}] newest
 *          first,
 *  identifiers:[]}.
 * Absent values are JSON null.  PEOPLE_NOT_FOUND for an unknown ref.
 */
int people_student_card(struct store *db, int64_t school_id, const char *ref,
                        json_t **out);

/*
 * Identifiers belong to the access module, which sits above people: it
 * fills a card's "identifiers" array through this hook, set once at
 * start-up, so people never includes access.  The function appends to
 * `out` and returns 0, or -1 on failure.
 */
typedef int (*people_identifiers_fn)(struct store *db, int64_t student_id,
                                     json_t *out);
void people_set_identifiers_provider(people_identifiers_fn fn);

/* --- Roster import ---------------------------------------------------- */

#define ROSTER_MAX_ERRORS 100    /* reported before the import gives up */
#define ROSTER_MAX_ROWS   500000 /* students in one file */

struct roster_error {
	unsigned long line;
	const char *msgid; /* English, with "{}" where args[] go (N_ marked) */
	char *args[2];     /* NULL when unused; owned by the report */
};

struct roster_report {
	bool dry_run;
	long rows; /* data rows read */
	long added, updated, unchanged, left;
	long guardians_added, classes_added;
	char *filename;              /* as given, for error lines; owned */
	struct roster_error *errors; /* owned; roster_report_free() */
	size_t nerrors;
};

/*
 * Imports a roster (the contract's "Roster CSV") into the school: adds and
 * updates students by ref, creates classes and guardians as needed, records
 * consent given or withdrawn, subscribes guardians with an e-mail and
 * consent to entry and exit notifications, and marks the school's active
 * students missing from the file as left.  All in one transaction: when any
 * row is bad, nothing is written and every bad row (up to
 * ROSTER_MAX_ERRORS) is in rep->errors.  With dry_run the counts say what
 * would change and nothing is written.  `filename` prefixes error lines and
 * names the consent document ("roster:BASENAME").  `p` is NULL from the
 * command line.  The caller must not have a transaction open.
 *
 * Returns PEOPLE_OK, PEOPLE_INVALID (rep->errors says why) or
 * PEOPLE_ERROR.  *rep is filled in every case; free it with
 * roster_report_free().
 */
int roster_import(struct store *db, const struct principal *p,
                  int64_t school_id, const char *filename, const char *data,
                  size_t len, bool dry_run, struct roster_report *rep);
void roster_report_free(struct roster_report *rep);

/*
 * Error i as "FILE:LINE: message" with the message translated into `lang`
 * (LANG_EN gives the contract's English).  Truncated to fit; returns out.
 */
const char *roster_error_format(const struct roster_report *rep, size_t i,
                                enum lang lang, char *out, size_t outlen);

/* {added, updated, unchanged, left, guardians_added, classes_added,
 *  dry_run, rows}; NULL when out of memory. */
json_t *roster_report_json(const struct roster_report *rep);

/* --- HTTP ------------------------------------------------------------- */

struct http_server;

/* Registers the people routes (JSON API and staff pages). */
int people_http_register(struct http_server *srv);

#endif
