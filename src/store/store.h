/*
 * The storage interface.  Domain code speaks portable SQL with `?`
 * placeholders through these functions and never sees a driver; the driver is
 * chosen by the --db URL when the store is opened (OpenSMTPD's table_backend
 * shape).  Today there is one driver, SQLite; whatever differs between
 * databases belongs in the driver, not in the callers.
 *
 * A `struct store` is one connection and is used by one thread at a time; the
 * server keeps a pool of them (store_pool_*).  Prepared statements are cached
 * per connection by their SQL text, so callers prepare on every use and never
 * finalise.
 */
#ifndef QORGAN_STORE_STORE_H
#define QORGAN_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Results of store_step() and of the functions that run a statement. */
enum store_rc {
	STORE_OK = 0,
	STORE_ROW = 1,
	STORE_DONE = 2,
	STORE_ERROR = -1,
	STORE_CONSTRAINT = -2, /* a UNIQUE, CHECK or FOREIGN KEY refused it */
	STORE_BUSY = -3,       /* the database stayed locked past the timeout */
};

struct store;
struct store_stmt;

/*
 * Opens the database named by `url`: a file path (or "sqlite:PATH") for
 * SQLite, "postgresql://..." for PostgreSQL.  On failure returns NULL and
 * writes a message for a person into err.
 */
struct store *store_open(const char *url, char *err, size_t errlen);
void store_close(struct store *db);
const char *store_driver_name(const struct store *db);

/* Applies the embedded migrations not yet applied; sets *applied. */
int store_migrate(struct store *db, int *applied);
/* The highest applied migration number, or -1. */
int store_schema_version(struct store *db);

/* A write transaction (taken at once, so two writers never deadlock). */
int store_begin(struct store *db);
int store_commit(struct store *db);
/* Safe to call when no transaction is open. */
void store_rollback(struct store *db);
bool store_in_transaction(const struct store *db);

/*
 * The cached statement for `sql`, reset and with bindings cleared, or NULL
 * (store_errmsg() says why).  Valid until the connection is closed.
 */
struct store_stmt *store_prepare(struct store *db, const char *sql);
int store_bind_text(struct store_stmt *st, int idx, const char *s);
int store_bind_int(struct store_stmt *st, int idx, int64_t v);
int store_bind_null(struct store_stmt *st, int idx);
/* STORE_ROW, STORE_DONE, or a negative enum store_rc. */
int store_step(struct store_stmt *st);
/* Column values of the current row; text is valid until the next step. */
const char *store_col_text(struct store_stmt *st, int col);
int64_t store_col_int(struct store_stmt *st, int col);
bool store_col_null(struct store_stmt *st, int col);
int store_col_count(struct store_stmt *st);
/* Ends the use of a statement so the next store_prepare() can take it. */
void store_reset(struct store_stmt *st);

/*
 * Prepares `sql` and binds the arguments listed by `types`, one letter each:
 * 't' const char * (NULL binds NULL), 'i' int64_t, 'n' nothing (binds NULL).
 * store_query() returns the statement ready for store_step(), or NULL.
 * store_execf() runs it to the end and returns STORE_OK or a negative rc.
 * store_query_int() returns the first column of the first row in *out:
 * STORE_ROW, STORE_DONE when there was no row, or a negative rc.
 */
struct store_stmt *store_query(struct store *db, const char *sql,
                               const char *types, ...);
int store_execf(struct store *db, const char *sql, const char *types, ...);
int store_query_int(struct store *db, int64_t *out, const char *sql,
                    const char *types, ...);

/*
 * Write-ahead log upkeep.  SQLite copies the log back into the database
 * (a checkpoint, with its own disk syncs) inside whichever commit crosses
 * the log's size limit, so that commit, and every pass waiting on it, pays
 * for it.  The group commit's connection therefore never checkpoints
 * (store_group_open() calls store_checkpoint_elsewhere()), and a
 * background thread calls store_checkpoint() now and then instead: a
 * passive checkpoint that waits for nobody.
 */
void store_checkpoint_elsewhere(struct store *db);
int store_checkpoint(struct store *db);

/* Rows changed by the last statement. */
int64_t store_changes(struct store *db);
const char *store_errmsg(struct store *db);
/* Nanoseconds spent inside the database by this connection so far. */
uint64_t store_time_ns(const struct store *db);

/*
 * A fixed set of connections shared by worker threads.  store_pool_get()
 * waits for a free connection; store_pool_put() gives it back (rolling back
 * any transaction left open by a failed request).
 */
struct store_pool;
struct store_pool *store_pool_open(const char *url, int size, char *err,
                                   size_t errlen);
void store_pool_close(struct store_pool *pool);
struct store *store_pool_get(struct store_pool *pool);
void store_pool_put(struct store_pool *pool, struct store *db);
/* Sum of store_time_ns() over the pool's connections. */
uint64_t store_pool_time_ns(struct store_pool *pool);

/*
 * Group commit.  An fsync costs about a millisecond however little was
 * written, so small write transactions that each commit on their own top
 * out near a thousand a second.  A group runs them on one connection of its
 * own, as "jobs": a writer thread takes every job queued while the last
 * commit was running, runs them all inside one transaction and commits
 * once.  store_group_run() returns only after the transaction that carried
 * the job committed, so a caller that answers afterwards never answers
 * what could still be lost.
 *
 * A job runs fn(db, arg) on the group's connection inside the open
 * transaction and returns 0, or a negative value to have its own writes
 * undone.  When any job of a batch fails, or the commit does, the batch is
 * rolled back and each of its jobs runs again alone, in a transaction of
 * its own, so one job's failure is never another's: jobs must therefore be
 * safe to run twice (they read their inputs from `arg` and write their
 * results over what a first run wrote there).  A job must not open or end
 * transactions itself.
 */
struct store_group;
typedef int (*store_job_fn)(struct store *db, void *arg);

/* Jobs in one transaction at most: bounds the time a batch holds the
 * write lock. */
#define STORE_GROUP_BATCH_MAX 256

/* Opens the group's own connection to `url` and starts its thread. */
struct store_group *store_group_open(const char *url, char *err, size_t errlen);
/* Runs what is queued, then stops the thread and closes the connection. */
void store_group_close(struct store_group *g);
/*
 * Queues the job and waits until the transaction carrying it has ended.
 * Returns fn's result once committed (0 or fn's negative value), or
 * STORE_ERROR when the commit failed.
 */
int store_group_run(struct store_group *g, store_job_fn fn, void *arg);

#endif
