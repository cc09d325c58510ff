/*
 * Shared inside src/access/ only: the queries of access_store.c.  Other
 * modules include access/access.h.  Every function returns an access_rc and
 * logs a database failure (without the identifier value) itself.
 */
#ifndef QORGAN_ACCESS_INTERNAL_H
#define QORGAN_ACCESS_INTERNAL_H

#include "access/access.h"

/* An identifier row, as the logic needs it. */
struct as_identifier {
	int64_t id, school_id, student_id;
	bool active;
	bool student_left;
};

/* The active row holding `value` anywhere; ACCESS_NOT_FOUND if none. */
int as_active(struct store *db, const char *value, struct as_identifier *out);
/* The newest row with `value` (active or blocked) in school_id (0: any). */
int as_newest(struct store *db, const char *value, int64_t school_id,
              bool blocked_only, struct as_identifier *out);
/* "CODE/REF" of a student. */
int as_student_label(struct store *db, int64_t student_id, char *out,
                     size_t outlen);
int as_student_school(struct store *db, int64_t student_id, int64_t *school);
int as_insert(struct store *db, int64_t school_id, int64_t student_id,
              const char *kind, const char *value, const char *now,
              int64_t user_id, int64_t *id);
/* Sets status; blocking records when, by whom and why. */
int as_set_status(struct store *db, int64_t id, bool active, const char *now,
                  int64_t user_id, const char *reason);
int as_identifiers_json(struct store *db, int64_t student_id, json_t *list);

/* The decision recorded for (device, seq): ACCESS_NOT_FOUND if none;
 * *reason points into static storage. */
int as_pass_find(struct store *db, int64_t device_id, int64_t seq, bool *allow,
                 const char **reason);
int as_pass_insert(struct store *db, const struct access_pass *in,
                   int64_t student_id, bool allow, const char *reason,
                   const char *device_at, const char *now);
int as_passes_json(struct store *db, int64_t student_id, const char *from,
                   const char *to, json_t **out);

/* A manual pass (no device, no seq) of an active student. */
int as_manual_insert(struct store *db, int64_t school_id, int64_t student_id,
                     const char *direction, int64_t user_id, const char *now);

/* The school's mode row; an absent row reads as normal with since "". */
int as_mode_get(struct store *db, int64_t school_id, struct access_mode *out);
/* Upserts the school's mode; user_id or device_id is 0 when not the one. */
int as_mode_set(struct store *db, int64_t school_id, bool emergency,
                const char *now, int64_t user_id, int64_t device_id,
                const char *reason);
/* Appends the ids of schools in emergency mode to `ids` (at most max);
 * *n gets the count. */
int as_emergency_schools(struct store *db, int64_t *ids, size_t max, size_t *n);

/* Guardians of one student told of one pass, at most. */
#define ACCESS_GUARDIANS_MAX 16

/* The student's guardians subscribed to `event` ("entry", "exit") on any
 * channel, at most max; *n gets the count. */
int as_subscribed_guardians(struct store *db, int64_t student_id,
                            const char *event, int64_t *ids, size_t max,
                            size_t *n);
/* The student's first name (people_first_name() of the full name). */
int as_student_first_name(struct store *db, int64_t student_id, char *out,
                          size_t outlen);

/* The canonical static string for a stored reason (NULL if unknown). */
const char *access_reason_static(const char *s);
/* The entry of `list` (n strings) equal to s; NULL when none or s NULL.
 * Stored values are read back as these static strings so that they
 * outlive the statement they came from. */
const char *access_static_string(const char *const *list, size_t n,
                                 const char *s);

/* --- Readers shared by access_store.c, escort_store.c and alarm.c --- */

/* Logs a database failure as "who: what: error" and returns
 * ACCESS_ERROR; `what` names what was being done, never a value. */
int as_failed(struct store *db, const char *who, const char *what);
/* A text column as JSON: a string, or null. */
json_t *as_col_json(struct store_stmt *st, int col);
/*
 * Appends the rows of `st`, a SELECT value, kind, status, bound_at,
 * blocked_at, reason (a student's or an escort's identifiers), to list as
 * {identifier, kind, status, bound_at, blocked_at, reason}.  Resets st;
 * returns STORE_DONE when every row went in.
 */
int as_identifier_rows(struct store_stmt *st, json_t *list);
/* What a one-row look-up's last step `rc` means: STORE_ROW ACCESS_OK,
 * STORE_DONE ACCESS_NOT_FOUND, anything else a failure (logged). */
int as_row(struct store *db, int rc, const char *who, const char *what);
/*
 * Runs `st`, an INSERT ... RETURNING id (NULL when it could not be
 * prepared), into *id: ACCESS_OK; ACCESS_TAKEN when `taken` and a
 * constraint refused the row (a value active elsewhere); otherwise
 * ACCESS_ERROR, logged as as_failed(db, who, what).
 */
int as_insert_id(struct store *db, struct store_stmt *st, bool taken,
                 const char *who, const char *what, int64_t *id);
/*
 * Runs `st`, a SELECT decision, reason of the one row a device's (device,
 * seq) recorded: ACCESS_NOT_FOUND when there is none.  *reason is
 * canon(stored reason), static; an unknown one is a failure.
 */
int as_decision_read(struct store *db, struct store_stmt *st,
                     const char *(*canon)(const char *), const char *who,
                     const char *what, bool *allow, const char **reason);

/* --- Transactions and audit: shared by the logic files (access.c) --- */

/*
 * Begins a write transaction unless the caller holds one already: *own
 * says whether this call began it, and so whether access_txn_end() ends
 * it.  `who` names the module in the log line of a failure ("escort").
 */
int access_txn_begin(struct store *db, const char *who, bool *own);
/*
 * Ends what access_txn_begin() began: commits when rc is ACCESS_OK and
 * rolls back otherwise; returns rc, or ACCESS_ERROR when the commit
 * fails.  Without `own` it returns rc and leaves the transaction to the
 * caller who holds it.
 */
int access_txn_end(struct store *db, const char *who, bool own, int rc);
/* The user id of a staff principal; 0 for a device or the command line. */
int64_t access_staff_id(const struct principal *p);
/* One audit line about the row `id` of `type`; `detail` names ids and
 * fields only, never a name, a phone or an identifier value. */
int access_audit(struct store *db, const struct principal *p,
                 const char *action, int64_t school_id, const char *type,
                 int64_t id, const char *detail);

#endif
