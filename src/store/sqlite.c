/*
 * The SQLite driver: the embedded default, one file and nothing to install.
 * WAL lets readers run beside the one writer; synchronous=FULL because the
 * database holds money and events that must survive a power cut; foreign
 * keys are off by default in SQLite and must be turned on per connection.
 */
#include "store/store_driver.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define SQLITE_BUSY_TIMEOUT_MS 10000
/* How long a writer waiting for the lock sleeps between tries. */
#define SQLITE_BUSY_SLEEP_US 250

struct sqlite_stmt {
	struct store_stmt base;
	sqlite3_stmt *st;
};

static sqlite3 *
conn(struct store *db)
{
	return db->conn;
}

/*
 * SQLite's own busy handler sleeps 1, 2, 5 … up to 100 ms between tries, so
 * a writer queued behind a commit that takes a millisecond may sleep for
 * tens of them.  Writers here are many and short (passes, sales), so they
 * retry every SQLITE_BUSY_SLEEP_US instead, within the same total timeout.
 */
static int
on_busy(void *arg, int tries)
{
	(void)arg;
	if ((long)tries * SQLITE_BUSY_SLEEP_US >=
	    (long)SQLITE_BUSY_TIMEOUT_MS * 1000)
		return 0;
	usleep(SQLITE_BUSY_SLEEP_US);
	return 1;
}

static int
sqlite_open(struct store *db, const char *target, char *err, size_t errlen)
{
	static const char *const pragmas = "PRAGMA journal_mode=WAL;"
	                                   "PRAGMA synchronous=FULL;"
	                                   "PRAGMA foreign_keys=ON;"
	                                   "PRAGMA temp_store=MEMORY;";
	sqlite3 *handle = NULL;
	char *msg = NULL;

	if (sqlite3_open_v2(target, &handle,
	                    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	                            SQLITE_OPEN_NOMUTEX,
	                    NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot open database %s: %s", target,
		         handle ? sqlite3_errmsg(handle) : "out of memory");
		goto fail;
	}
	sqlite3_busy_handler(handle, on_busy, NULL);
	sqlite3_extended_result_codes(handle, 1);
	if (sqlite3_exec(handle, pragmas, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errlen, "cannot use database %s: %s", target,
		         msg ? msg : "unknown error");
		sqlite3_free(msg);
		goto fail;
	}
	db->conn = handle;
	return 0;
fail:
	sqlite3_close(handle);
	return -1;
}

static void
sqlite_close(struct store *db)
{
	sqlite3_close(conn(db));
}

static int
map_rc(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
		return STORE_OK;
	case SQLITE_ROW:
		return STORE_ROW;
	case SQLITE_DONE:
		return STORE_DONE;
	case SQLITE_CONSTRAINT:
		return STORE_CONSTRAINT;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return STORE_BUSY;
	default:
		return STORE_ERROR;
	}
}

static int
sqlite_exec_script(struct store *db, const char *sql)
{
	return map_rc(sqlite3_exec(conn(db), sql, NULL, NULL, NULL));
}

static struct store_stmt *
sqlite_prepare(struct store *db, const char *sql)
{
	struct sqlite_stmt *s;

	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return NULL;
	s->base.db = db;
	if (sqlite3_prepare_v3(conn(db), sql, -1, SQLITE_PREPARE_PERSISTENT,
	                       &s->st, NULL) != SQLITE_OK ||
	    s->st == NULL) {
		sqlite3_finalize(s->st);
		free(s);
		return NULL;
	}
	return &s->base;
}

static sqlite3_stmt *
raw(struct store_stmt *st)
{
	return ((struct sqlite_stmt *)st)->st;
}

static void
sqlite_finalize(struct store_stmt *st)
{
	sqlite3_finalize(raw(st));
	free(st);
}

static int
sqlite_bind_text(struct store_stmt *st, int idx, const char *s)
{
	return map_rc(sqlite3_bind_text(raw(st), idx, s, -1, SQLITE_TRANSIENT));
}

static int
sqlite_bind_int(struct store_stmt *st, int idx, int64_t v)
{
	return map_rc(sqlite3_bind_int64(raw(st), idx, v));
}

static int
sqlite_bind_null(struct store_stmt *st, int idx)
{
	return map_rc(sqlite3_bind_null(raw(st), idx));
}

static int
sqlite_step(struct store_stmt *st)
{
	return map_rc(sqlite3_step(raw(st)));
}

static const char *
sqlite_col_text(struct store_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(raw(st), col);
}

static int64_t
sqlite_col_int(struct store_stmt *st, int col)
{
	return sqlite3_column_int64(raw(st), col);
}

static bool
sqlite_col_null(struct store_stmt *st, int col)
{
	return sqlite3_column_type(raw(st), col) == SQLITE_NULL;
}

static int
sqlite_col_count(struct store_stmt *st)
{
	return sqlite3_column_count(raw(st));
}

static void
sqlite_reset(struct store_stmt *st)
{
	sqlite3_reset(raw(st));
	sqlite3_clear_bindings(raw(st));
}

static int64_t
sqlite_changes(struct store *db)
{
	return sqlite3_changes64(conn(db));
}

static const char *
sqlite_errmsg(struct store *db)
{
	return sqlite3_errmsg(conn(db));
}

static void
sqlite_autocheckpoint_off(struct store *db)
{
	sqlite3_wal_autocheckpoint(conn(db), 0);
}

/* PASSIVE: copies what it can without waiting for readers or writers. */
static int
sqlite_checkpoint(struct store *db)
{
	return map_rc(sqlite3_wal_checkpoint_v2(
	        conn(db), NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL));
}

const struct store_driver store_sqlite_driver = {
        .name = "sqlite",
        .open = sqlite_open,
        .close = sqlite_close,
        .exec_script = sqlite_exec_script,
        .prepare = sqlite_prepare,
        .finalize = sqlite_finalize,
        .bind_text = sqlite_bind_text,
        .bind_int = sqlite_bind_int,
        .bind_null = sqlite_bind_null,
        .step = sqlite_step,
        .col_text = sqlite_col_text,
        .col_int = sqlite_col_int,
        .col_null = sqlite_col_null,
        .col_count = sqlite_col_count,
        .reset = sqlite_reset,
        .changes = sqlite_changes,
        .errmsg = sqlite_errmsg,
        .autocheckpoint_off = sqlite_autocheckpoint_off,
        .checkpoint = sqlite_checkpoint,
};
