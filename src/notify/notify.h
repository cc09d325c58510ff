/*
 * Notices: who is told what.  A notice is one message to one person, a
 * member of staff or a guardian, about one event (a child came in, a card
 * was blocked at the gate, a fire alarm).  Domain modules queue notices in
 * the transaction of the event itself (the outbox pattern), so a notice
 * exists exactly when its cause was committed, and a retried cause queues
 * nothing twice (the dedup key).  Delivery to e-mail, Telegram and SMS
 * reads the outbox later; staff also read their notices in the inbox page.
 *
 * This is the module's one public header.  notify depends on people and
 * auth; access, meals and the trust box depend on notify, never the other
 * way round.
 *
 * Privacy: params carry only what the message needs (a first name, a time,
 * a gate's name), never a surname with a class, never an IIN, never the
 * text of a report.  Nothing here logs params.
 */
#ifndef QORGAN_NOTIFY_NOTIFY_H
#define QORGAN_NOTIFY_NOTIFY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "store/store.h"

/* Results: 0, or a negative value saying what kind of failure it was. */
enum notify_rc {
	NOTIFY_OK = 0,
	NOTIFY_ERROR = -1,     /* the database failed; logged */
	NOTIFY_INVALID = -2,   /* a bad event name, key or recipient */
	NOTIFY_NOT_FOUND = -3, /* no such notice for that person */
};

/* Named limits. */
#define NOTIFY_EVENT_MAX  40  /* bytes of an event name, [a-z_.] */
#define NOTIFY_KEY_MAX    160 /* bytes of a dedup key, printable ASCII */
#define NOTIFY_INBOX_MAX  200 /* notices on one page of the inbox */
#define NOTIFY_FANOUT_MAX 256 /* staff one notice may go to at once */

/* One notice to queue.  Exactly one of user_id and guardian_id is set. */
struct notify_notice {
	const char *event;    /* e.g. "pass.in", "alarm.forced"; see notify.c */
	bool urgent;          /* alarms: shown first and in red */
	int64_t school_id;    /* 0: none */
	int64_t user_id;      /* a member of staff, or */
	int64_t guardian_id;  /* a guardian */
	int64_t student_id;   /* the child it is about; 0: none */
	const json_t *params; /* borrowed; NULL is {} */
	const char *key;      /* the same key twice queues one notice */
};

/* [a-z_.], 1..NOTIFY_EVENT_MAX bytes. */
bool notify_event_valid(const char *event);

/*
 * Queues one notice in the caller's transaction (one must be open, so that
 * the notice commits with its cause).  A key queued before is NOTIFY_OK and
 * writes nothing.  NOTIFY_INVALID for a bad event or key, no recipient or
 * two, or no open transaction.
 */
int notify_enqueue(struct store *db, const struct notify_notice *n);

/*
 * Queues the notice `tmpl` (its user_id and guardian_id ignored) to every
 * enabled member of staff of the school whose role is one of roles[0..n),
 * each with the key "KEY:u<user id>".  *count (may be NULL) gets how many
 * were addressed.  Like notify_enqueue(), inside the caller's transaction.
 */
int notify_school_roles(struct store *db, const struct notify_notice *tmpl,
                        const enum role *roles, size_t nroles, size_t *count);

/*
 * The member of staff's notices, newest first, urgent unread ones before
 * all others, at most `limit` (1..NOTIFY_INBOX_MAX): a JSON array of
 * {id, event, urgent, at, school, params, read} owned by the caller.
 * *unread (may be NULL) gets the count of unread notices.
 */
int notify_inbox(struct store *db, int64_t user_id, size_t limit, json_t **out,
                 int64_t *unread);

/* Marks one notice of the user read; NOTIFY_NOT_FOUND if not theirs. */
int notify_mark_read(struct store *db, int64_t user_id, int64_t notice_id);

/* The English msgid saying what the event is, for people; NULL if the
 * event has none (shown by its name). */
const char *notify_event_label(const char *event);

/* --- HTTP --------------------------------------------------------------- */

struct http_server;

/* Registers the inbox: GET /notices (page), POST /notices/{id}/read,
 * GET /api/v1/notices. */
int notify_http_register(struct http_server *srv);

#endif
