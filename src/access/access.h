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
 * ACCESS_TAKEN when the value is active on any student (this one included)
 * or on a kindergarten escort; then `holder` (may be NULL) gets "SCHOOL/REF"
 * of the student who holds it, or "" for an escort, and *holder_school
 * their school id.  ACCESS_NO_CONSENT for a biometric without
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
 * Switches the school's mode (own transaction unless one is open), audits
 * "emergency.on" or "emergency.off" and, in the same transaction, tells the
 * people on duty (access_alert_staff; urgent when switched on).  Asking for the
 * mode the school is already in changes nothing and is not audited (*changed
 * false; may be NULL).  `reason` may be NULL.  Does not check
 * access_emergency_allowed(). ACCESS_OK, ACCESS_INVALID for a bad reason or
 * principal, ACCESS_ERROR.
 */
int access_emergency_set(struct store *db, const struct principal *p,
                         int64_t school_id, bool on, const char *reason,
                         bool *changed);

/*
 * Whether any school that `p` (staff) may see is in emergency mode.  False
 * for anyone else, and on a storage error (logged).
 */
bool access_emergency_visible(struct store *db, const struct principal *p);

/* --- Duty and alerts ------------------------------------------------------ */

/*
 * The duty roster (duty.c) says who answers for the system at a school on
 * each shift of each date (seed 004: a deputy director per shift); alarms
 * and other staff alerts go to them first.  A school has shifts 1..3; each
 * has a start and an end time of day, stored per school, the defaults
 * below when the school set none.  A shift whose end is not after its
 * start runs over midnight and belongs to the date it starts on.  Dates
 * and times of day are the school's local ones, by the UTC offset of its
 * calendar (access/attendance.h).
 *
 * Defaults, and why: the first shift starts at 07:30, half an hour before
 * the first bell (classes start at 08:00), when children begin to arrive;
 * the second takes over at 13:30, when the second shift of classes starts;
 * it ends at 19:00, after the last lessons and clubs; the third covers the
 * night until 07:30, because gates still report forced doors when the
 * building is empty.  So the defaults cover every minute exactly once.
 */
#define ACCESS_SHIFTS        3
#define ACCESS_SHIFT1_STARTS (7 * 60 + 30) /* minutes after midnight */
#define ACCESS_SHIFT1_ENDS   (13 * 60 + 30)
#define ACCESS_SHIFT2_STARTS (13 * 60 + 30)
#define ACCESS_SHIFT2_ENDS   (19 * 60)
#define ACCESS_SHIFT3_STARTS (19 * 60)
#define ACCESS_SHIFT3_ENDS   (7 * 60 + 30)
/* People on one shift of one date, at most. */
#define ACCESS_DUTY_PER_SHIFT_MAX 4
/* The longest range of dates one roster read or edit may cover. */
#define ACCESS_DUTY_RANGE_MAX_DAYS 31
/* Entries in one roster edit, at most: a full range. */
#define ACCESS_DUTY_ENTRIES_MAX                                                \
	(ACCESS_DUTY_RANGE_MAX_DAYS * ACCESS_SHIFTS * ACCESS_DUTY_PER_SHIFT_MAX)
/* People on duty at one moment, at most (overlapping shifts included). */
#define ACCESS_DUTY_NOW_MAX (ACCESS_SHIFTS * 2 * ACCESS_DUTY_PER_SHIFT_MAX)
/* "HH:MM" and its NUL. */
#define ACCESS_CLOCK_SIZE 6
/* "YYYY-MM-DD" and its NUL. */
#define ACCESS_DATE_SIZE 11
/* An alarm nobody acknowledged is told to the school's leaders after
 * this long, once. */
#define ACCESS_ALARM_ESCALATE_SECONDS 120
/* Alarms escalated by one call of access_alarms_escalate(), at most. */
#define ACCESS_ALARM_ESCALATE_BATCH 100
/* Alarms in one listing, at most. */
#define ACCESS_ALARM_LIST_MAX 200

/* One shift's times, minutes after midnight (0..1439); starts != ends. */
struct access_shift {
	int shift; /* 1..ACCESS_SHIFTS */
	int starts, ends;
};

/* One roster entry as an editor gives it. */
struct access_duty_entry {
	const char *date; /* YYYY-MM-DD */
	int shift;        /* 1..ACCESS_SHIFTS */
	const char *user; /* the login of a member of the school's staff */
};

/* "HH:MM", 00:00..23:59, into minutes after midnight; -1 when not one. */
int access_clock_parse(const char *s);
bool access_clock_valid(const char *s);
void access_clock_format(int minutes, char out[ACCESS_CLOCK_SIZE]);

/*
 * The school's shift times in out[0..ACCESS_SHIFTS), defaults where it set
 * none.  ACCESS_OK or ACCESS_ERROR.
 */
int access_shifts_get(struct store *db, int64_t school_id,
                      struct access_shift out[ACCESS_SHIFTS]);

/*
 * The users on duty at the school at epoch second `at`: the people on the
 * roster for every shift whose times contain `at` (start inclusive, end
 * exclusive), from the date `at` falls on or, for a shift over midnight,
 * the date before.  Only enabled users still bound to the school count.
 * Up to `max` distinct ids into users[], their number into *n.
 */
int access_duty_at(struct store *db, int64_t school_id, int64_t at,
                   int64_t *users, size_t max, size_t *n);

/*
 * Whether `p` may edit the school's roster: its director, a deputy or its
 * system administrator.  The caller must also check that the school is
 * visible to them.
 */
bool access_duty_editor(const struct principal *p);

/*
 * The school's roster on the dates from..to (inclusive, at most
 * ACCESS_DUTY_RANGE_MAX_DAYS) into *out (the caller's): {from, to,
 * shifts:[{shift, starts, ends}], entries:[{date, shift, user, role}],
 * staff:[{user, role}], on_duty:[{user, role}]} where user is a login,
 * staff are those who may be put on duty (enabled staff bound to the
 * school, police inspectors excepted: they are not the school's) and
 * on_duty those on duty now.  ACCESS_INVALID for bad dates.
 */
int access_duty_json(struct store *db, int64_t school_id, const char *from,
                     const char *to, json_t **out);

/*
 * Makes the roster of from..to exactly entries[0..n) (a repeated entry
 * counts once) and, when nshifts > 0, sets those shifts' times, in one
 * transaction (its own unless one is open).  Each entry added or removed
 * and each shift changed is audited ("duty.add", "duty.remove",
 * "duty.shifts").  ACCESS_INVALID for a bad range, an entry outside it, a
 * bad shift, more than ACCESS_DUTY_PER_SHIFT_MAX on one shift, or bad
 * times, or more than ACCESS_DUTY_ENTRIES_MAX entries; ACCESS_NOT_FOUND
 * for a user who is not staff of the school.  For an entry at fault *bad
 * (may be NULL) gets its index, else SIZE_MAX.
 */
int access_duty_set(struct store *db, const struct principal *p,
                    int64_t school_id, const char *from, const char *to,
                    const struct access_duty_entry *entries, size_t n,
                    const struct access_shift *shifts, size_t nshifts,
                    size_t *bad);

/*
 * The staff alert fan-out: queues one notice of `event` (see notify.c's
 * table) to each person on duty at the school now, or, when nobody is,
 * to its director, deputies and security.  Each notice's dedup key is
 * "KEY:u<user id>", so a retried cause alerts nobody twice.  `params` is
 * borrowed and, like every notice's, carries no surname and no IIN.
 * Runs inside the caller's transaction, which must be open (the notices
 * commit with their cause).  ACCESS_OK (also when the school has nobody
 * to tell; that is logged); ACCESS_INVALID for a bad event or key, a key
 * too long for the suffix, or no open transaction; ACCESS_ERROR.
 */
int access_alert_staff(struct store *db, int64_t school_id, const char *event,
                       bool urgent, const json_t *params, const char *key);
/* The same as at epoch second `now` (tests; a clock of the caller's). */
int access_alert_staff_at(struct store *db, int64_t school_id,
                          const char *event, bool urgent, const json_t *params,
                          const char *key, int64_t now);

/*
 * Alarms (alarm.c): a gate or kiosk reports a forced or tampered passage.
 * The alarm is open until a member of staff acknowledges it; one left open
 * for ACCESS_ALARM_ESCALATE_SECONDS is told again to the director, deputies
 * and security ("alarm.escalated"), once.
 */

/* "forced" or "tampered". */
bool access_alarm_kind_valid(const char *s);

/*
 * Records an alarm from the device `p` (a gate or kiosk; its school is the
 * token's) and alerts the staff (access_alert_staff, urgent, event
 * "alarm.KIND") in one transaction, committed before it returns (the
 * caller must not have one open).  The same device and seq again records
 * and alerts nothing, and gives the first alarm's id with *replay set.
 * `device_at` is the device's clock, checked by the caller.  ACCESS_OK
 * with *id; ACCESS_INVALID for a bad kind or a principal that is not a
 * gate or kiosk; ACCESS_ERROR.
 */
int access_alarm_raise(struct store *db, const struct principal *p,
                       const char *kind, int64_t device_at, int64_t seq,
                       int64_t *id, bool *replay);

/*
 * The school's alarms, newest first, at most ACCESS_ALARM_LIST_MAX: open
 * ones only, or all.  A JSON array (the caller's) of {id, kind, gate, at,
 * received_at, state, acknowledged_by, acknowledged_at, escalated_at}
 * where gate is the device's name and acknowledged_by a login (null while
 * open).
 */
int access_alarms_json(struct store *db, int64_t school_id, bool open_only,
                       json_t **out);
/* One alarm of the school as above; ACCESS_NOT_FOUND when there is none. */
int access_alarm_json(struct store *db, int64_t school_id, int64_t alarm_id,
                      json_t **out);

/*
 * Whether `p` may acknowledge the school's alarms: the director, deputies,
 * security, the school's and the platform's administrators, and whoever is
 * on duty there now.  The caller must also check that the school is
 * visible to them.
 */
bool access_alarm_ack_allowed(struct store *db, const struct principal *p,
                              int64_t school_id);

/*
 * Acknowledges an open alarm of the school (own transaction unless one is
 * open) and audits "alarm.ack".  An alarm acknowledged already stays as it
 * was (*changed false; may be NULL).  Does not check
 * access_alarm_ack_allowed().  ACCESS_OK; ACCESS_NOT_FOUND for no such
 * alarm in the school; ACCESS_INVALID for a principal that is not staff.
 */
int access_alarm_ack(struct store *db, const struct principal *p,
                     int64_t school_id, int64_t alarm_id, bool *changed);

/*
 * Escalates alarms still open and not escalated that were received
 * ACCESS_ALARM_ESCALATE_SECONDS or more before `now` (at most
 * ACCESS_ALARM_ESCALATE_BATCH per call): notifies the school's director,
 * deputies and security (key "alarm:ID:escalated") and marks each
 * escalated, in one transaction (the caller must not have one open).
 * *count (may be NULL) gets how many.  `serve` calls it every few seconds
 * (serve_ticker.c).  ACCESS_OK or ACCESS_ERROR.
 */
int access_alarms_escalate(struct store *db, int64_t now, size_t *count);

/* The pages and JSON routes of the roster (duty_http.c) and of alarms
 * (alarm_http.c); `serve` registers both. */
struct http_server;
int access_duty_http_register(struct http_server *srv);
int access_alarm_http_register(struct http_server *srv);

/* --- Kindergarten ------------------------------------------------------- */

/*
 * A kindergarten is a school switched to kindergarten mode (escort.c).
 * Each child has escorts: adults of the kindergarten (a parent, a
 * grandmother, a nanny) who may bring the child ("in"), pick the child up
 * ("out"), or both.  An escort belongs to the school, so brothers and
 * sisters share one.  Escorts carry identifiers of their own (never
 * biometric: we hold no consent of theirs); a value is active on at most
 * one holder on the whole platform, student or escort.  A gate or kiosk of
 * the kindergarten reports each handover with the escort's identifier; the
 * decision, the escort, the identifier row and the child are recorded, and
 * a refusal of a known escort alerts the staff in the same transaction.
 * Emergency mode does not open handovers: a child is handed only to
 * someone on the list, fire or not.
 *
 * Changes are audited ("kindergarten.on|off", "escort.add", "escort.link",
 * "escort.update", "escort.unlink", "escort_identifier.bind|block|unblock")
 * with row ids, never names, phones or identifier values.
 */

/* Results besides enum access_rc. */
enum access_kindergarten_rc {
	ACCESS_NOT_KINDERGARTEN = -16, /* the school is not in that mode */
	ACCESS_ESCORTS_FULL = -17,     /* the child has ACCESS_ESCORTS_MAX */
};

/* Escorts one child may have. */
#define ACCESS_ESCORTS_MAX 16

/* mother, father, grandmother, grandfather, sibling, relative, nanny or
 * other: the escort's relation to one child. */
bool access_relation_valid(const char *s);
/* access_kind_valid() without biometric. */
bool access_escort_kind_valid(const char *s);
/* 1..PEOPLE_NAME_MAX characters of text, like every person's name. */
bool access_escort_name_valid(const char *s);

/* What an escort may do for one child. */
struct access_escort_rights {
	const char *relation; /* access_relation_valid() */
	bool may_bring, may_pick_up;
};

/*
 * Whether `p` may switch the school's kindergarten mode: its director, its
 * system administrator or the platform administrator.  The caller checks
 * that the school is visible to them.
 */
bool access_kindergarten_switch_allowed(const struct principal *p);

/* Whether the school is in kindergarten mode; `since` (may be NULL) gets
 * when it was last switched, "" if never.  ACCESS_OK or ACCESS_ERROR. */
int access_kindergarten_get(struct store *db, int64_t school_id, bool *on,
                            char since[ACCESS_STAMP_SIZE]);

/*
 * Switches the mode (own transaction unless one is open), audited as
 * "kindergarten.on" or "kindergarten.off".  Asking for the mode the school
 * is in changes nothing (*changed false; may be NULL).  Does not check
 * access_kindergarten_switch_allowed().  ACCESS_OK or ACCESS_ERROR.
 */
int access_kindergarten_set(struct store *db, const struct principal *p,
                            int64_t school_id, bool on, bool *changed);

/*
 * Whether `p` may see and manage the escorts of the child `student_id`:
 * the director, deputies, the school's and the platform's administrators,
 * and a class teacher for the children of their own groups
 * (user_classes).  student_id 0 asks whether the role may for some child.
 * The caller checks that the school is visible.  False on a storage error.
 */
bool access_escorts_allowed(struct store *db, const struct principal *p,
                            int64_t student_id);

/*
 * Adds an escort for the child (of school_id, in kindergarten mode) with
 * the given rights.  A `phone` (E.164, or NULL) that an escort of the
 * school has already links that escort instead, keeping their name
 * (*existing true): brothers and sisters share one escort and one card.
 * *escort_id gets the escort.  ACCESS_INVALID for a bad name, phone or
 * rights; ACCESS_NOT_FOUND when the child is not of the school; ACCESS_LEFT;
 * ACCESS_TAKEN when that escort is the child's already;
 * ACCESS_ESCORTS_FULL; ACCESS_NOT_KINDERGARTEN.
 */
int access_escort_add(struct store *db, const struct principal *p,
                      int64_t school_id, int64_t student_id,
                      const char *full_name, const char *phone,
                      const struct access_escort_rights *rights,
                      int64_t *escort_id, bool *existing);

/* Links an escort the school knows already (a sibling's) to the child;
 * results as access_escort_add(), ACCESS_NOT_FOUND also for an escort who
 * is not of the school. */
int access_escort_link(struct store *db, const struct principal *p,
                       int64_t school_id, int64_t student_id, int64_t escort_id,
                       const struct access_escort_rights *rights);

/*
 * Sets the child's escort's rights and, when not NULL, the escort's name
 * and phone ("" removes the phone; they change for every child of the
 * escort: one person).  ACCESS_NOT_FOUND unless the escort is the child's.
 */
int access_escort_update(struct store *db, const struct principal *p,
                         int64_t school_id, int64_t student_id,
                         int64_t escort_id, const char *full_name,
                         const char *phone,
                         const struct access_escort_rights *rights);

/* Removes the escort from the child's list (the escort and the child's
 * past handovers stay).  ACCESS_NOT_FOUND unless the escort is the
 * child's. */
int access_escort_unlink(struct store *db, const struct principal *p,
                         int64_t school_id, int64_t student_id,
                         int64_t escort_id);

/*
 * Binds `value` of `kind` (access_escort_kind_valid) to the child's escort.
 * ACCESS_TAKEN when the value is active on any student or escort; then
 * `holder` (may be NULL) gets "SCHOOL/REF" of a student or
 * "SCHOOL/escort/ID" of an escort and *holder_school (may be NULL) its
 * school.  ACCESS_NOT_FOUND unless the escort is the child's;
 * ACCESS_NOT_KINDERGARTEN; ACCESS_INVALID.  *id (may be NULL) gets the row.
 */
int access_escort_bind(struct store *db, const struct principal *p,
                       int64_t school_id, int64_t student_id, int64_t escort_id,
                       const char *value, const char *kind, char *holder,
                       size_t holderlen, int64_t *holder_school, int64_t *id);

/* Blocks the escort's active identifier with this value (`reason` may be
 * NULL), or makes the newest blocked one active again.  ACCESS_NOT_FOUND
 * when there is none or the escort is not the child's; ACCESS_TAKEN when
 * unblocking a value bound to someone since. */
int access_escort_block(struct store *db, const struct principal *p,
                        int64_t school_id, int64_t student_id,
                        int64_t escort_id, const char *value,
                        const char *reason);
int access_escort_unblock(struct store *db, const struct principal *p,
                          int64_t school_id, int64_t student_id,
                          int64_t escort_id, const char *value);

/*
 * For the students' bind (access_bind) inside its write transaction:
 * ACCESS_OK when no escort holds `value` active, ACCESS_TAKEN when one
 * does (*school, may be NULL, gets the escort's school), ACCESS_ERROR.
 */
int access_escort_value_free(struct store *db, const char *value,
                             int64_t *school);

/*
 * The child's escorts, in the order they were added: a JSON array (the
 * caller's) of {id, full_name, phone, relation, may_bring, may_pick_up,
 * added_at, identifiers:[{identifier, kind, status, bound_at, blocked_at,
 * reason}] newest first}.  Personal data: the caller audits the read.
 */
int access_child_escorts(struct store *db, int64_t student_id, json_t **out);

/*
 * The child's handovers with device times on the days from..to
 * (YYYY-MM-DD, inclusive, UTC), oldest first: a JSON array of {at,
 * received_at, direction, decision, reason, escort (id or null),
 * full_name, relation (null when unknown or no longer linked), identifier,
 * device}.  ACCESS_INVALID for bad days.
 */
int access_child_handovers(struct store *db, int64_t student_id,
                           const char *from, const char *to, json_t **out);
/* The same from epoch second `from` (inclusive) to `to` (exclusive), such
 * as a school's local day (attendance_day_start()); ACCESS_INVALID when
 * `to` is not after `from`. */
int access_child_handovers_at(struct store *db, int64_t student_id,
                              int64_t from, int64_t to, json_t **out);

/* What a gate or kiosk reported, validated by the caller. */
struct access_handover {
	int64_t device_id;
	int64_t school_id; /* the device's */
	int64_t seq;
	const char *identifier; /* the escort's */
	const char *child;      /* a student ref, or NULL */
	const char *direction;  /* "in" (brought) | "out" (picked up) */
	int64_t device_at;
};

/*
 * Decides and records a handover in one transaction, committed before it
 * returns (the caller must not have one open).  Allow when the value is
 * an active identifier of an escort of the school who has the right
 * (may_bring for "in", may_pick_up for "out") for the named child, or for
 * exactly one child when none is named, and that child is active.  Deny
 * with the reason "unknown", "other_school", "blocked", "not_allowed",
 * "left" or "child_required" (several children and none named).  A
 * blocked or not allowed escort alerts the staff on duty
 * (access_alert_staff, "kindergarten.refused") in the same transaction.
 * The same device and seq again records nothing and gives the first
 * decision back with replay set.  ACCESS_OK, ACCESS_NOT_KINDERGARTEN
 * (nothing recorded), ACCESS_INVALID or ACCESS_ERROR.
 */
int access_handover_record(struct store *db, const struct access_handover *in,
                           struct access_decision *out);

/* The kindergarten's JSON routes and pages (escort_http.c). */
struct http_server;
int access_escorts_http_register(struct http_server *srv);

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
