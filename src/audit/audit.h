/*
 * The audit log: every change made by staff and every read of a student's
 * personal data, with who, when, what and from which session.  It records
 * which object was touched, never the personal data itself.  Writes happen
 * in the caller's transaction when there is one, so an action and its audit
 * line are committed together or not at all.
 */
#ifndef QORGAN_AUDIT_AUDIT_H
#define QORGAN_AUDIT_AUDIT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "auth/auth.h"
#include "core/buf.h"
#include "store/store.h"

/*
 * Appends one line.  `p` may be NULL for the command line (actor "cli").
 * `school_id` 0 when no school is concerned; `detail` is short and free of
 * personal data (field names, counts).
 */
int audit_record(struct store *db, const struct principal *p,
                 const char *action, int64_t school_id, const char *object_type,
                 const char *object_id, const char *detail);

/* Lines per page of audit_list(): the default and the most one may ask. */
#define AUDIT_LIST_DEFAULT 100
#define AUDIT_LIST_MAX     500
/* Lines in one CSV export; a longer range must be split by dates. */
#define AUDIT_EXPORT_MAX 100000
/* An action filter is a prefix of at most this many bytes of [a-z0-9._]. */
#define AUDIT_ACTION_MAX 64

/*
 * Reads of personal data are many and change nothing, so each does not pay
 * for a transaction and an fsync of its own: audit_record_read() queues the
 * line and a writer thread commits queued lines in batches (group commit),
 * at the latest AUDIT_FLUSH_MS after they were queued.  A full queue makes
 * the reader wait: lines are never dropped.  audit_writer_stop() writes
 * what is queued before it returns.  Without a running writer (the command
 * line, unit tests) audit_record_read() writes at once like audit_record().
 */
#define AUDIT_FLUSH_MS  50
#define AUDIT_QUEUE_MAX 65536
#define AUDIT_BATCH_MAX 1024

/* Starts the writer on its own connection to `db_url`. */
int audit_writer_start(const char *db_url);
void audit_writer_stop(void);
int audit_record_read(struct store *db, const struct principal *p,
                      const char *action, int64_t school_id,
                      const char *object_type, const char *object_id);

struct audit_filter {
	int64_t school_id; /* 0: all visible to the reader */
	const char *from;  /* YYYY-MM-DD, inclusive; NULL for no bound */
	const char *to;    /* YYYY-MM-DD, inclusive */
	const char *action_prefix;
	int64_t before_id; /* paging: lines with id < before_id; 0 = newest */
	int limit;         /* <= 0: the default; capped at the maximum */
};

/*
 * Lines the reader may see, newest first, as a JSON array (caller owns) of
 * {id, at, actor, login, action, school, object_type, object_id, detail,
 * session_id}; NULL on a storage error.  What may be seen: platform_admin
 * everything; a region role the lines of its region's schools; a school
 * role those of its schools; lines that concern no school only
 * platform_admin.  A reader without PERM_AUDIT_READ sees nothing.
 */
json_t *audit_list(struct store *db, const struct principal *reader,
                   const struct audit_filter *f);
/*
 * The same lines as CSV with a header row
 * (id,at,actor,login,action,school,object_type,object_id,detail), CRLF line
 * ends, formula-looking fields defused; at most AUDIT_EXPORT_MAX (or
 * f->limit) lines.  The export itself is audited as "audit.export".
 * Returns 0 or -1.
 */
int audit_export_csv(struct store *db, const struct principal *reader,
                     const struct audit_filter *f, struct buf *out);

/* Whether `s` may be an action prefix filter (AUDIT_ACTION_MAX). */
bool audit_action_ok(const char *s);
/* The id of the school with this code: > 0, 0 when unknown, -1 on error. */
int64_t audit_school_id(struct store *db, const char *code);

/* GET /api/v1/audit, GET /api/v1/audit.csv and GET /audit (audit_http.c);
 * an incomplete type keeps http/ out of the logic's includes. */
struct http_server;
int audit_http_register(struct http_server *srv);

#endif
