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
	                       "other_school"; static */
	bool replay;        /* the device sent this seq before */
};

/*
 * Decides and records a pass in one transaction, committed before it
 * returns (the caller must not have one open): allow for an active
 * identifier of an active student of the gate's school; deny for an
 * unknown value, a blocked identifier, a student who left, or a student of
 * another school.  The same device and seq again records nothing and gives
 * the first decision back with replay set.  0 or ACCESS_ERROR.
 */
int access_pass_record(struct store *db, const struct access_pass *in,
                       struct access_decision *out);

/*
 * The student's passes with device times on the days from..to (YYYY-MM-DD,
 * inclusive, UTC), oldest first: [{direction, at, gate, decision}] where
 * gate is the device's name.  The caller owns *out.
 */
int access_student_passes(struct store *db, int64_t student_id,
                          const char *from, const char *to, json_t **out);

/* --- HTTP --------------------------------------------------------------- */

struct http_server;

/* Registers the access routes (JSON API). */
int access_http_register(struct http_server *srv);

#endif
