/*
 * Shared inside src/people/ only: the queries (people_store.c), a small
 * string map, the parsed roster handed from roster.c to roster_apply.c, and
 * the page handlers' registration.  Other modules include people.h.
 */
#ifndef QORGAN_PEOPLE_INTERNAL_H
#define QORGAN_PEOPLE_INTERNAL_H

#include "core/arena.h"
#include "people/people.h"

/* --- Transactions ------------------------------------------------------ */

/* Begins a transaction unless the caller has one; *own says who ends it. */
int people_txn_begin(struct store *db, bool *own);
/* Commits (rc == 0) or rolls back what people_txn_begin() began; returns
 * rc, or PEOPLE_ERROR when the commit failed. */
int people_txn_end(struct store *db, bool own, int rc);

/* Maps a store rc from a write to a people_rc (constraint → duplicate). */
int people_from_store(int rc);

/* --- A string → int64 map (open addressing; keys are borrowed) ---------- */

struct strmap_slot {
	const char *key;
	int64_t val;
};

struct strmap {
	struct strmap_slot *slots;
	size_t cap, n;
};

int strmap_init(struct strmap *m, size_t hint);
void strmap_free(struct strmap *m);
/* Adds or replaces; `key` must outlive the map.  0 or -1 (out of memory). */
int strmap_put(struct strmap *m, const char *key, int64_t val);
bool strmap_get(const struct strmap *m, const char *key, int64_t *val);

/* --- Queries (people_store.c, roster_store.c) --------------------------- */

/* Shared helpers: a one-row lookup's rc (STORE_ROW found, STORE_DONE not
 * found); an INSERT ... RETURNING id; a write's rc.  Failures are logged
 * with `what`. */
int ps_lookup(struct store *db, const char *what, int rc);
int ps_insert_id(struct store *db, struct store_stmt *st, int64_t *id,
                 const char *what);
int ps_exec(struct store *db, int rc, const char *what);

/* Each returns PEOPLE_OK, PEOPLE_NOT_FOUND, PEOPLE_DUPLICATE or
 * PEOPLE_ERROR. */
int ps_region_find(struct store *db, const char *code, int64_t *id);
int ps_region_insert(struct store *db, const char *code, const char *name,
                     int64_t *id);
int ps_district_find(struct store *db, int64_t region_id, const char *code,
                     int64_t *id);
int ps_district_insert(struct store *db, int64_t region_id, const char *code,
                       const char *name, int64_t *id);
int ps_school_find(struct store *db, const char *code, int64_t *id);
int ps_school_insert(struct store *db, const char *code, const char *name,
                     int64_t region_id, int64_t district_id, const char *now,
                     int64_t *id);
int ps_school_code(struct store *db, int64_t id, char *out, size_t outlen);
int ps_class_find(struct store *db, int64_t school_id, const char *name,
                  int64_t *id);
int ps_class_insert(struct store *db, int64_t school_id, const char *name,
                    int grade, int64_t *id);
int ps_class_school(struct store *db, int64_t class_id, int64_t *school_id);
int ps_class_set_shift(struct store *db, int64_t class_id, int shift,
                       const char *starts_at);
int ps_student_find(struct store *db, int64_t school_id, const char *ref,
                    int64_t *id);
int ps_student_school(struct store *db, int64_t student_id, int64_t *school_id);
int ps_guardian_linked(struct store *db, int64_t student_id,
                       int64_t guardian_id);
/* guardian_id and user_id 0 store NULL. */
int ps_consent_insert(struct store *db, int64_t student_id, int64_t guardian_id,
                      const char *purpose, bool granted, const char *document,
                      int64_t user_id, const char *now);
/* *state: -1 no row, 0 withdrawn, 1 granted. */
int ps_consent_state(struct store *db, int64_t student_id, const char *purpose,
                     int *state);

/* What the roster import compares a row against. */
struct ps_student {
	int64_t id;
	const char *ref, *full_name, *birth_date, *iin, *category;
	int64_t class_id;
	bool left;
};

struct ps_guardian {
	int64_t id;
	const char *full_name, *email; /* in the arena passed; NULL if none */
};

/* Callbacks see strings valid only during the call; returning -1 stops. */
int ps_each_class(struct store *db, int64_t school_id,
                  int (*fn)(void *ctx, int64_t id, const char *name),
                  void *ctx);
int ps_each_student(struct store *db, int64_t school_id,
                    int (*fn)(void *ctx, const struct ps_student *s),
                    void *ctx);
/* Every consent row of the school's students, oldest first per student and
 * purpose, so the last call for a pair is the one in force. */
int ps_each_consent(struct store *db, int64_t school_id,
                    int (*fn)(void *ctx, int64_t student_id,
                              const char *purpose, bool granted),
                    void *ctx);
int ps_student_insert(struct store *db, int64_t school_id,
                      const struct ps_student *s, const char *now, int64_t *id);
/* Rewrites every field of s and makes the student active again. */
int ps_student_update(struct store *db, const struct ps_student *s,
                      const char *now);
int ps_student_mark_left(struct store *db, int64_t id, const char *now);
int ps_guardian_by_phone(struct store *db, struct arena *a, const char *phone,
                         struct ps_guardian *g);
int ps_guardian_by_email(struct store *db, struct arena *a, const char *email,
                         struct ps_guardian *g);
/* A guardian of the student with this name and neither phone nor e-mail. */
int ps_guardian_by_name(struct store *db, int64_t student_id, const char *name,
                        int64_t *id);
int ps_guardian_insert(struct store *db, const char *name, const char *phone,
                       const char *email, const char *now, int64_t *id);
/* Sets the name, and the e-mail unless `email` is NULL. */
int ps_guardian_update(struct store *db, int64_t id, const char *name,
                       const char *email);
/* Links them; *created false when they already were. */
int ps_guardian_link(struct store *db, int64_t student_id, int64_t guardian_id,
                     bool *created);
int ps_subscription_any(struct store *db, int64_t guardian_id,
                        int64_t student_id, bool *any);
int ps_subscription_insert(struct store *db, int64_t guardian_id,
                           int64_t student_id, const char *event,
                           const char *channel);

/* --- The parsed roster (roster.c → roster_apply.c) ---------------------- */

enum roster_col {
	COL_REF,
	COL_FULL_NAME,
	COL_CLASS,
	COL_BIRTH_DATE,
	COL_IIN,
	COL_CATEGORY,
	COL_CONSENT,
	COL_GUARDIAN_NAME,
	COL_GUARDIAN_PHONE,
	COL_GUARDIAN_EMAIL,
	COL_COUNT
};

/* One valid data row; optional values are NULL when the cell was empty. */
struct roster_row {
	unsigned long line;
	const char *ref, *full_name, *class_name; /* class: canonical */
	int grade;
	const char *birth_date, *iin, *category;
	int consent; /* -1 not given, 0 no, 1 yes */
	const char *guardian_name, *guardian_phone, *guardian_email;
};

struct roster_file {
	struct arena *arena;     /* the rows' strings */
	bool has[COL_COUNT];     /* which columns the header named */
	struct roster_row *rows; /* malloc'd */
	size_t nrows, cap;
};

/*
 * Reads and validates the whole file into f (whose arena the caller made).
 * Returns 0 when every row is good, PEOPLE_INVALID with rep->errors filled,
 * or PEOPLE_ERROR when out of memory.
 */
int roster_parse(const char *data, size_t len, struct roster_file *f,
                 struct roster_report *rep);
/* Writes the rows (the caller's transaction) and fills rep's counts. */
int roster_apply(struct store *db, const struct principal *p, int64_t school_id,
                 const struct roster_file *f, const char *document,
                 struct roster_report *rep);
/* Appends an error; -1 when out of memory or the cap was reached. */
int roster_error_add(struct roster_report *rep, unsigned long line,
                     const char *msgid, const char *arg0, const char *arg1);

/* --- HTTP (people_http.c, shared with people_pages.c) ------------------ */

struct http_request;
struct http_response;

/* The request's staff principal, or NULL. */
const struct principal *people_staff(struct http_request *req);
/* How a people handler answers an error. */
enum people_answer {
	PEOPLE_JSON, /* the API: problem+json, detail in English */
	PEOPLE_PAGE, /* an HTTP_PAGE route: detail translated; the server
	              * renders the error page */
};

/* Answers `status` with `detail` (an English msgid).  Returns 0 or -1
 * like http_problem(). */
int people_http_fail(struct http_request *req, struct http_response *res,
                     enum people_answer how, int status, const char *detail);
/*
 * Resolves the school `code` for a staff request and checks that the
 * caller may see it and, when perm >= 0, has that permission.  Returns 0,
 * or -1 after answering 404 (unknown school) or 403.
 */
int people_http_school(struct http_request *req, struct http_response *res,
                       const char *code, int perm, enum people_answer how,
                       int64_t *school_id);
/* Records a read or change by the request's principal; 0 or -1. */
int people_http_audit(struct http_request *req, const char *action,
                      int64_t school_id, const char *type, int64_t object_id);
/* A safe base name for an uploaded file ("roster.csv" when there is none). */
const char *people_upload_name(struct arena *a, const char *name);

/* {code, name, href} of a school for headings and links back, or NULL. */
json_t *people_http_school_head(struct http_request *req, int64_t school_id);

/* --- Pages and the roster upload ---------------------------------------- */

int people_pages_register(struct http_server *srv);
int roster_http_register(struct http_server *srv);

#endif
