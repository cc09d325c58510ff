/*
 * Access control at the school's gates: identifiers bound to students
 * (cards, bracelets, fobs, phones, magnetic cards, biometric template
 * references) and the passes that gates report.
 *
 * This is the module's one public header.  Logic (access.c) never sees
 * HTTP; queries live in access_store.c and the handlers in access_http.c.
 * access depends on people (students, consent), never the other way round.
 *
 * Privacy: an identifier value is what a reader types when a card is held
 * to it.  It is stored (passes and identifiers need it) but never logged,
 * and audit lines name the identifier's row id, not its value.
 *
 * Functions that change data open their own transaction unless the caller
 * already has one, and write their audit line inside it.
 */
#ifndef QORGAN_ACCESS_ACCESS_H
#define QORGAN_ACCESS_ACCESS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "store/store.h"

/* Results: 0, or a negative value saying what kind of failure it was. */
enum access_rc {
	ACCESS_OK = 0,
	ACCESS_ERROR = -1,      /* the database failed; logged */
	ACCESS_NOT_FOUND = -2,  /* no such identifier in that state */
	ACCESS_TAKEN = -3,      /* the value is active on a student already */
	ACCESS_INVALID = -4,    /* an argument failed its validator */
	ACCESS_NO_CONSENT = -5, /* biometric binding without the consent */
	ACCESS_LEFT = -6,       /* the student has left the school */
};

/* Named limits. */
#define ACCESS_IDENTIFIER_MAX 64  /* bytes of an identifier value */
#define ACCESS_REASON_MAX     200 /* characters of a block reason */
#define ACCESS_REF_SIZE       160 /* "school/ref" of a holder, with NUL */
/* A gate's clock may run ahead of ours by this much ... */
#define ACCESS_FUTURE_SKEW_SECONDS (5 * 60)
/* ... and a pass it kept while offline may be this old. */
#define ACCESS_PAST_MAX_SECONDS (7 * 24 * 60 * 60)
/* The longest range of days one pass listing may cover. */
#define ACCESS_RANGE_MAX_DAYS 366
/* "YYYY-MM-DDTHH:MM:SSZ" and its NUL. */
#define ACCESS_TIME_SIZE 21
/* A stored server time (RFC 3339 UTC) and its NUL, as PEOPLE_TIME_MAX. */
#define ACCESS_STAMP_SIZE 32
/* The longest RFC 3339 timestamp accepted (nanoseconds and an offset). */
#define ACCESS_TIME_INPUT_MAX 40

/* A short English description of an access_rc, for messages. */
const char *access_strerror(int rc);

/* 1..ACCESS_IDENTIFIER_MAX of [A-Za-z0-9:_-]. */
bool access_identifier_valid(const char *s);
/* card, bracelet, fob, phone, magnetic or biometric. */
bool access_kind_valid(const char *s);
/* "in" or "out". */
bool access_direction_valid(const char *s);
/* 1..ACCESS_REASON_MAX characters of UTF-8 without control characters. */
bool access_reason_valid(const char *s);

/*
 * Parses an RFC 3339 timestamp ("2024-09-02T08:00:00Z",
 * "2024-09-02T13:00:00.25+05:00") into seconds since the epoch.  Fractions
 * are dropped.  0, or -1 when it is not a real RFC 3339 date and time.
 */
int access_time_parse(const char *s, int64_t *epoch);
bool access_time_valid(const char *s);
/* The epoch second as "YYYY-MM-DDTHH:MM:SSZ". */
void access_time_format(int64_t epoch, char out[ACCESS_TIME_SIZE]);

/* Where a device time lies against `now`. */
enum access_when {
	ACCESS_WHEN_OK,
	ACCESS_WHEN_FUTURE, /* beyond ACCESS_FUTURE_SKEW_SECONDS ahead */
	ACCESS_WHEN_PAST,   /* more than ACCESS_PAST_MAX_SECONDS ago */
};
enum access_when access_time_window(int64_t at, int64_t now);

/*
 * Days from `from` to `to` (both YYYY-MM-DD, validated): 0 for the same
 * day, negative when to is before from.  -1 with *ok false for bad dates.
 */
int64_t access_days_between(const char *from, const char *to, bool *ok);

/* --- Identifiers ----------------------------------------------------- */

/*
 * Binds `value` of `kind` to the student (of school_id).  Refused with
 * ACCESS_TAKEN when the value is active on any student (this one included);
 * then `holder` (may be NULL) gets "SCHOOL/REF" of who holds it and
 * *holder_school its school id.  ACCESS_NO_CONSENT for a biometric without
 * the biometrics consent in force, ACCESS_LEFT for a student who left,
 * ACCESS_INVALID for a bad value or kind, ACCESS_NOT_FOUND when the student
 * is not of that school.  `p` NULL from the command line.  Audited as
 * "identifier.bind"; *id gets the row (may be NULL).
 */
int access_bind(struct store *db, const struct principal *p, int64_t school_id,
                int64_t student_id, const char *value, const char *kind,
                char *holder, size_t holderlen, int64_t *holder_school,
                int64_t *id);

/*
 * Blocks the value's active identifier among the school's students
 * (ACCESS_NOT_FOUND when there is none).  `reason` may be NULL.  The
 * student, their account and their history are untouched.  Audited as
 * "identifier.block".
 */
int access_block(struct store *db, const struct principal *p, int64_t school_id,
                 const char *value, const char *reason);

/*
 * Makes the value's most recently blocked identifier in the school active
 * again.  ACCESS_NOT_FOUND when none is blocked, ACCESS_TAKEN when the
 * value has been bound to someone since.  Audited as "identifier.unblock".
 */
int access_unblock(struct store *db, const struct principal *p,
                   int64_t school_id, const char *value);

/*
 * Appends the student's identifiers, newest first, to the JSON array `out`:
 * {identifier, kind, status, bound_at, blocked_at, reason}.  Returns 0 or
 * -1.  Its shape is people_identifiers_fn: `serve` registers it so that
 * the student's card shows them without people depending on access.
 */
int access_student_identifiers(struct store *db, int64_t student_id,
                               json_t *out);

/* --- Passes ------------------------------------------------------------ */

/* What a gate reported, validated by the caller. */
struct access_pass {
	int64_t device_id;
	int64_t school_id; /* the gate's */
	int64_t seq;
	const char *identifier;
	const char *direction; /* "in" | "out" */
	int64_t device_at;     /* epoch seconds, from the gate's clock */
};

struct access_decision {
	bool allow;
	const char *reason; /* "ok", "unknown", "blocked", "left",
	                       "other_school", "emergency"; static */
	bool replay;        /* the device sent this seq before */
};

/*
 * Decides and records a pass in one transaction, committed before it
 * returns (the caller must not have one open): allow for an active
 * identifier of an active student of the gate's school; deny for an
 * unknown value, a blocked identifier, a student who left, or a student of
 * another school.  The same device and seq again records nothing and gives
 * the first decision back with replay set.  In the same transaction it
 * queues notices: "pass.in"/"pass.out" to each guardian subscribed to
 * entries/exits while the notifications consent is in force, and
 * "card.blocked_presented" to the school's security.  0 or ACCESS_ERROR.
 */
int access_pass_record(struct store *db, const struct access_pass *in,
                       struct access_decision *out);

/*
 * Makes access_pass_record() run its transaction through the server's
 * group commit (store.h), so that passes arriving together share one
 * fsync.  Call before the server starts; NULL (the default) gives every
 * pass a transaction of its own on the caller's connection.
 */
void access_use_group(struct store_group *g);

/*
 * The student's passes with device times on the days from..to (YYYY-MM-DD,
 * inclusive, UTC), oldest first: [{direction, at, gate, decision}] where
 * gate is the device's name.  The caller owns *out.
 */
int access_student_passes(struct store *db, int64_t student_id,
                          const char *from, const char *to, json_t **out);

/* --- Manual admission ---------------------------------------------------- */

/*
 * A member of staff lets a student through by hand (a child who forgot the
 * card): recorded as a pass with manual_by = the user, no device, decision
 * allow, reason "manual", at the server's time; audited as "pass.manual".
 * Who may do it is the caller's question (the HTTP edge asks for
 * PERM_STUDENT_READ in the student's school).  `direction` "in" or "out".
 * ACCESS_OK; ACCESS_INVALID for a bad direction or a principal that is not
 * staff; ACCESS_NOT_FOUND when the student is not of that school;
 * ACCESS_LEFT when they have left; ACCESS_ERROR.
 */
int access_admit(struct store *db, const struct principal *p, int64_t school_id,
                 int64_t student_id, const char *direction);

/* --- Emergency mode ------------------------------------------------------- */

/*
 * A school in emergency mode (a fire alarm) opens every gate: every pass
 * is allowed and recorded with reason "emergency".  Who may switch it is
 * access_emergency_allowed(); the mode is one row per school in
 * school_modes (no row: normal).
 */
struct access_mode {
	bool emergency;
	char since[ACCESS_STAMP_SIZE]; /* RFC 3339; "" when never switched */
	char reason[ACCESS_REASON_MAX * 4 + 1]; /* "" when none */
};

/*
 * Whether `p` may switch the school's emergency mode on (`on` true) or end
 * it.  Staff by role (the table is in access.c); the caller must also check
 * that the school is visible to them.  A gate or kiosk of that very school
 * may switch it on (a fire panel wired to it), never off.
 */
bool access_emergency_allowed(const struct principal *p, int64_t school_id,
                              bool on);

/* The school's mode: 0 with *out filled, or ACCESS_ERROR. */
int access_mode_get(struct store *db, int64_t school_id,
                    struct access_mode *out);

/*
 * Switches the school's mode (own transaction unless one is open) and
 * audits "emergency.on" or "emergency.off".  Asking for the mode the school
 * is already in changes nothing and is not audited (*changed false; may be
 * NULL).  `reason` may be NULL.  Does not check access_emergency_allowed().
 * ACCESS_OK, ACCESS_INVALID for a bad reason or principal, ACCESS_ERROR.
 */
int access_emergency_set(struct store *db, const struct principal *p,
                         int64_t school_id, bool on, const char *reason,
                         bool *changed);

/*
 * Whether any school that `p` (staff) may see is in emergency mode.  False
 * for anyone else, and on a storage error (logged).
 */
bool access_emergency_visible(struct store *db, const struct principal *p);

/* --- HTTP --------------------------------------------------------------- */

struct http_request;
struct http_server;

/* Registers the access routes (JSON API and the emergency and admission
 * pages). */
int access_http_register(struct http_server *srv);

/*
 * The layout's alert for a staff page: an English msgid when a school the
 * signed-in user may see is in emergency mode, else NULL.  Its shape is
 * page_alert_fn; `serve` registers it with page_set_alert_provider().
 */
const char *access_page_alert(struct http_request *req);

#endif
