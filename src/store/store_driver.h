/*
 * What a storage driver implements.  Only store.c and the drivers include
 * this file; domain code sees store.h alone.
 */
#ifndef QORGAN_STORE_DRIVER_H
#define QORGAN_STORE_DRIVER_H

#include "store/store.h"

struct store_driver {
	const char *name;
	/* Opens the connection for `target` (the URL without its scheme). */
	int (*open)(struct store *db, const char *target, char *err,
	            size_t errlen);
	void (*close)(struct store *db);
	/* Runs several statements with no parameters (migrations). */
	int (*exec_script)(struct store *db, const char *sql);
	struct store_stmt *(*prepare)(struct store *db, const char *sql);
	void (*finalize)(struct store_stmt *st);
	int (*bind_text)(struct store_stmt *st, int idx, const char *s);
	int (*bind_int)(struct store_stmt *st, int idx, int64_t v);
	int (*bind_null)(struct store_stmt *st, int idx);
	int (*step)(struct store_stmt *st);
	const char *(*col_text)(struct store_stmt *st, int col);
	int64_t (*col_int)(struct store_stmt *st, int col);
	bool (*col_null)(struct store_stmt *st, int col);
	int (*col_count)(struct store_stmt *st);
	void (*reset)(struct store_stmt *st);
	int64_t (*changes)(struct store *db);
	const char *(*errmsg)(struct store *db);
	/* Write-ahead log upkeep; see store_checkpoint(). */
	void (*autocheckpoint_off)(struct store *db);
	int (*checkpoint)(struct store *db);
};

/* Cached statements, hashed by SQL text. */
#define STORE_STMT_CACHE 512

struct store_cached {
	char *sql;
	struct store_stmt *st;
};

struct store {
	const struct store_driver *driver;
	void *conn; /* the driver's handle */
	bool in_txn;
	bool poisoned; /* a statement failed inside the open transaction */
	uint64_t time_ns;
	struct store_cached cache[STORE_STMT_CACHE];
};

/* Every statement begins with this header so store.c can reach its db. */
struct store_stmt {
	struct store *db;
};

extern const struct store_driver store_sqlite_driver;

#endif
