/*
 * Driver dispatch, the statement cache, transactions, migrations and the
 * connection pool: everything about storage that is the same for every
 * database.
 */
#include "store/store_driver.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/embedded.h"
#include "core/log.h"

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

struct store *
store_open(const char *url, char *err, size_t errlen)
{
	const struct store_driver *driver = &store_sqlite_driver;
	const char *target = url;
	struct store *db;

	if (url == NULL || *url == '\0') {
		snprintf(err, errlen, "no database given (--db or QORGAN_DB)");
		return NULL;
	}
	if (strncmp(url, "postgresql://", 13) == 0 ||
	    strncmp(url, "postgres://", 11) == 0) {
		snprintf(err, errlen,
		         "PostgreSQL is not supported by this build; "
		         "use an SQLite file path");
		return NULL;
	}
	if (strncmp(url, "sqlite:", 7) == 0)
		target = url + 7;
	db = calloc(1, sizeof(*db));
	if (db == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	db->driver = driver;
	if (driver->open(db, target, err, errlen) == -1) {
		free(db);
		return NULL;
	}
	return db;
}

void
store_close(struct store *db)
{
	size_t i;

	if (db == NULL)
		return;
	store_rollback(db);
	for (i = 0; i < STORE_STMT_CACHE; i++) {
		if (db->cache[i].st != NULL)
			db->driver->finalize(db->cache[i].st);
		free(db->cache[i].sql);
	}
	db->driver->close(db);
	free(db);
}

const char *
store_driver_name(const struct store *db)
{
	return db->driver->name;
}

const char *
store_errmsg(struct store *db)
{
	return db->driver->errmsg(db);
}

uint64_t
store_time_ns(const struct store *db)
{
	return db->time_ns;
}

void
store_checkpoint_elsewhere(struct store *db)
{
	db->driver->autocheckpoint_off(db);
}

int
store_checkpoint(struct store *db)
{
	uint64_t t0 = now_ns();
	int rc = db->driver->checkpoint(db);

	__atomic_add_fetch(&db->time_ns, now_ns() - t0, __ATOMIC_RELAXED);
	return rc;
}

int64_t
store_changes(struct store *db)
{
	return db->driver->changes(db);
}

static int
store_exec_plain(struct store *db, const char *sql)
{
	uint64_t t0 = now_ns();
	int rc = db->driver->exec_script(db, sql);

	__atomic_add_fetch(&db->time_ns, now_ns() - t0, __ATOMIC_RELAXED);
	return rc;
}

int
store_begin(struct store *db)
{
	if (db->in_txn) {
		log_warnx("store: nested transaction refused");
		return STORE_ERROR;
	}
	if (store_exec_plain(db, "BEGIN IMMEDIATE") != STORE_OK)
		return STORE_ERROR;
	db->in_txn = true;
	db->poisoned = false;
	return STORE_OK;
}

int
store_commit(struct store *db)
{
	if (!db->in_txn)
		return STORE_ERROR;
	/*
	 * A statement failed inside this transaction and the caller went on
	 * anyway: committing would write half of what was meant.
	 */
	if (db->poisoned) {
		log_warnx("store: commit refused after a failed statement");
		store_rollback(db);
		return STORE_ERROR;
	}
	if (store_exec_plain(db, "COMMIT") != STORE_OK) {
		store_rollback(db);
		return STORE_ERROR;
	}
	db->in_txn = false;
	return STORE_OK;
}

void
store_rollback(struct store *db)
{
	if (!db->in_txn)
		return;
	if (store_exec_plain(db, "ROLLBACK") != STORE_OK)
		log_warnx("store: rollback failed: %s", store_errmsg(db));
	db->in_txn = false;
	db->poisoned = false;
}

bool
store_in_transaction(const struct store *db)
{
	return db->in_txn;
}

/*
 * A statement that failed inside a transaction: the caller may go on, but
 * store_commit() will refuse, so half of what was meant is never written.
 */
static void
poison(struct store *db)
{
	if (db->in_txn)
		db->poisoned = true;
}

/* FNV-1a: the cache key is the SQL text, whatever pointer carries it. */
static size_t
sql_hash(const char *s)
{
	uint64_t h = 1469598103934665603u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return (size_t)(h % STORE_STMT_CACHE);
}

struct store_stmt *
store_prepare(struct store *db, const char *sql)
{
	size_t i, slot = sql_hash(sql);
	struct store_cached *c;
	struct store_stmt *st;

	for (i = 0; i < STORE_STMT_CACHE; i++) {
		c = &db->cache[(slot + i) % STORE_STMT_CACHE];
		if (c->sql == NULL)
			break;
		if (strcmp(c->sql, sql) == 0) {
			db->driver->reset(c->st);
			return c->st;
		}
	}
	if (i == STORE_STMT_CACHE) {
		log_warnx("store: statement cache full");
		return NULL;
	}
	st = db->driver->prepare(db, sql);
	if (st == NULL) {
		log_warnx("store: prepare failed: %s", store_errmsg(db));
		poison(db);
		return NULL;
	}
	c->sql = strdup(sql);
	if (c->sql == NULL) {
		db->driver->finalize(st);
		return NULL;
	}
	c->st = st;
	return st;
}

/* A bind that failed inside a transaction poisons it, as a step does. */
static int
bound(struct store_stmt *st, int rc)
{
	if (rc != STORE_OK)
		poison(st->db);
	return rc;
}

int
store_bind_text(struct store_stmt *st, int idx, const char *s)
{
	if (s == NULL)
		return bound(st, st->db->driver->bind_null(st, idx));
	return bound(st, st->db->driver->bind_text(st, idx, s));
}

int
store_bind_int(struct store_stmt *st, int idx, int64_t v)
{
	return bound(st, st->db->driver->bind_int(st, idx, v));
}

int
store_bind_null(struct store_stmt *st, int idx)
{
	return bound(st, st->db->driver->bind_null(st, idx));
}

int
store_step(struct store_stmt *st)
{
	struct store *db = st->db;
	uint64_t t0 = now_ns();
	int rc = db->driver->step(st);

	__atomic_add_fetch(&db->time_ns, now_ns() - t0, __ATOMIC_RELAXED);
	if (rc < 0 && db->in_txn)
		db->poisoned = true;
	return rc;
}

const char *
store_col_text(struct store_stmt *st, int col)
{
	return st->db->driver->col_text(st, col);
}

int64_t
store_col_int(struct store_stmt *st, int col)
{
	return st->db->driver->col_int(st, col);
}

bool
store_col_null(struct store_stmt *st, int col)
{
	return st->db->driver->col_null(st, col);
}

int
store_col_count(struct store_stmt *st)
{
	return st->db->driver->col_count(st);
}

void
store_reset(struct store_stmt *st)
{
	st->db->driver->reset(st);
}

static struct store_stmt *
store_vquery(struct store *db, const char *sql, const char *types, va_list ap)
{
	struct store_stmt *st;
	int idx = 1, rc = 0;
	const char *t;

	st = store_prepare(db, sql);
	if (st == NULL) {
		if (db->in_txn)
			db->poisoned = true;
		return NULL;
	}
	for (t = types; *t != '\0' && rc == 0; t++, idx++) {
		switch (*t) {
		case 't':
			rc = store_bind_text(st, idx, va_arg(ap, const char *));
			break;
		case 'i':
			rc = store_bind_int(st, idx, va_arg(ap, int64_t));
			break;
		case 'n':
			rc = store_bind_null(st, idx);
			break;
		default:
			log_warnx("store: bad bind type '%c'", *t);
			rc = -1;
		}
	}
	if (rc != 0) {
		store_reset(st);
		if (db->in_txn)
			db->poisoned = true;
		return NULL;
	}
	return st;
}

struct store_stmt *
store_query(struct store *db, const char *sql, const char *types, ...)
{
	struct store_stmt *st;
	va_list ap;

	va_start(ap, types);
	st = store_vquery(db, sql, types, ap);
	va_end(ap);
	return st;
}

int
store_execf(struct store *db, const char *sql, const char *types, ...)
{
	struct store_stmt *st;
	va_list ap;
	int rc;

	va_start(ap, types);
	st = store_vquery(db, sql, types, ap);
	va_end(ap);
	if (st == NULL)
		return STORE_ERROR;
	while ((rc = store_step(st)) == STORE_ROW)
		;
	store_reset(st);
	return rc == STORE_DONE ? STORE_OK : rc;
}

int
store_query_int(struct store *db, int64_t *out, const char *sql,
                const char *types, ...)
{
	struct store_stmt *st;
	va_list ap;
	int rc;

	va_start(ap, types);
	st = store_vquery(db, sql, types, ap);
	va_end(ap);
	if (st == NULL)
		return STORE_ERROR;
	rc = store_step(st);
	if (rc == STORE_ROW)
		*out = store_col_int(st, 0);
	store_reset(st);
	return rc;
}

/* Migrations are named NNNN_what.sql; the number is the version. */
static int
migration_version(const char *name)
{
	int v = 0;

	for (; *name >= '0' && *name <= '9'; name++)
		v = v * 10 + (*name - '0');
	return v;
}

int
store_schema_version(struct store *db)
{
	int64_t v = -1;
	int rc;

	rc = store_query_int(db, &v,
	                     "SELECT COALESCE(MAX(version), -1) "
	                     "FROM schema_migrations",
	                     "");
	return rc == STORE_ROW ? (int)v : -1;
}

int
store_migrate(struct store *db, int *applied)
{
	const struct embedded_file *m;
	int current, version;

	*applied = 0;
	if (store_exec_plain(db,
	                     "CREATE TABLE IF NOT EXISTS schema_migrations ("
	                     " version INTEGER PRIMARY KEY,"
	                     " name TEXT NOT NULL,"
	                     " applied_at TEXT NOT NULL)") != STORE_OK)
		return STORE_ERROR;
	/* The table is sorted by name, which is sorted by version. */
	for (m = embedded_migrations; m->name != NULL; m++) {
		version = migration_version(m->name);
		if (store_begin(db) != STORE_OK)
			return STORE_ERROR;
		current = store_schema_version(db);
		if (version <= current) {
			store_rollback(db);
			continue;
		}
		if (store_exec_plain(db, (const char *)m->data) != STORE_OK ||
		    store_execf(db,
		                "INSERT INTO schema_migrations"
		                " (version, name, applied_at)"
		                " VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%SZ',"
		                " 'now'))",
		                "it", (int64_t)version, m->name) != STORE_OK) {
			log_warnx("store: migration %s failed: %s", m->name,
			          store_errmsg(db));
			store_rollback(db);
			return STORE_ERROR;
		}
		if (store_commit(db) != STORE_OK)
			return STORE_ERROR;
		(*applied)++;
	}
	return STORE_OK;
}

struct store_pool {
	pthread_mutex_t lock;
	pthread_cond_t available;
	int size;
	int nfree;
	struct store **all;
	struct store **free_list;
};

struct store_pool *
store_pool_open(const char *url, int size, char *err, size_t errlen)
{
	struct store_pool *pool;
	int i;

	pool = calloc(1, sizeof(*pool));
	if (pool == NULL)
		return NULL;
	pool->all = calloc((size_t)size, sizeof(*pool->all));
	pool->free_list = calloc((size_t)size, sizeof(*pool->free_list));
	if (pool->all == NULL || pool->free_list == NULL)
		goto fail;
	pthread_mutex_init(&pool->lock, NULL);
	pthread_cond_init(&pool->available, NULL);
	for (i = 0; i < size; i++) {
		pool->all[i] = store_open(url, err, errlen);
		if (pool->all[i] == NULL)
			goto fail;
		pool->free_list[i] = pool->all[i];
		pool->size++;
	}
	pool->nfree = size;
	return pool;
fail:
	store_pool_close(pool);
	return NULL;
}

void
store_pool_close(struct store_pool *pool)
{
	int i;

	if (pool == NULL)
		return;
	for (i = 0; i < pool->size; i++)
		store_close(pool->all[i]);
	free(pool->all);
	free(pool->free_list);
	free(pool);
}

struct store *
store_pool_get(struct store_pool *pool)
{
	struct store *db;

	pthread_mutex_lock(&pool->lock);
	while (pool->nfree == 0)
		pthread_cond_wait(&pool->available, &pool->lock);
	db = pool->free_list[--pool->nfree];
	pthread_mutex_unlock(&pool->lock);
	return db;
}

void
store_pool_put(struct store_pool *pool, struct store *db)
{
	if (db->in_txn) {
		log_warnx("store: connection returned inside a transaction");
		store_rollback(db);
	}
	pthread_mutex_lock(&pool->lock);
	pool->free_list[pool->nfree++] = db;
	pthread_cond_signal(&pool->available);
	pthread_mutex_unlock(&pool->lock);
}

uint64_t
store_pool_time_ns(struct store_pool *pool)
{
	uint64_t sum = 0;
	int i;

	/* Read without the lock: a metric may be a request or two behind. */
	for (i = 0; i < pool->size; i++)
		sum += __atomic_load_n(&pool->all[i]->time_ns,
		                       __ATOMIC_RELAXED);
	return sum;
}
