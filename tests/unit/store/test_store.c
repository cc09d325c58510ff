/*
 * The storage interface against a real SQLite file: opening by path and by
 * URL, migrations that apply once, the statement cache keyed by SQL text,
 * the query helpers and their result codes, constraints including foreign
 * keys, and the connection pool under several threads.
 *
 * Fault injection: inside a transaction a statement is made to fail (a
 * UNIQUE or CHECK violation, a syntax error, an unknown table, a bad bind
 * type, a deferred foreign key that only fails at COMMIT).  The store must
 * then refuse to commit and roll back, so that nothing of the transaction
 * is visible, not even to another connection, and the write lock is free.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <pthread.h>

#include "core/embedded.h"
#include "store/store.h"
#include "../testdb.h"

#define NOW "2026-01-01T00:00:00Z"

static int
setup(void **state)
{
	struct testdb *t = calloc(1, sizeof(*t));

	if (t == NULL || testdb_open(t) == NULL) {
		free(t);
		return -1;
	}
	/* A scratch table of the test's own beside the real schema. */
	if (store_execf(t->db,
	                "CREATE TABLE t (id INTEGER PRIMARY KEY,"
	                " name TEXT UNIQUE, n INTEGER CHECK (n >= 0))",
	                "") != STORE_OK) {
		testdb_close(t);
		free(t);
		return -1;
	}
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct testdb *t = *state;

	testdb_close(t);
	free(t);
	return 0;
}

/* The single integer of `sql`, or -1000 when it does not give one row. */
static int64_t
count(struct store *db, const char *sql)
{
	int64_t v = -1000;

	if (store_query_int(db, &v, sql, "") != STORE_ROW)
		return -1000;
	return v;
}

/* A second connection to the same file: sees only what was committed. */
static struct store *
other_connection(struct testdb *t)
{
	char err[256];
	struct store *db = store_open(t->path, err, sizeof(err));

	if (db == NULL)
		fail_msg("store_open: %s", err);
	return db;
}

static int
migrations_embedded(void)
{
	const struct embedded_file *m;
	int n = 0;

	for (m = embedded_migrations; m->name != NULL; m++)
		n++;
	return n;
}

/* The number in front of the last migration's name. */
static int
last_migration_version(void)
{
	const struct embedded_file *m;
	int v = -1;

	for (m = embedded_migrations; m->name != NULL; m++)
		v = atoi(m->name);
	return v;
}

static void
remove_db(const char *path)
{
	static const char *const suffixes[] = {"", "-wal", "-shm"};
	char p[PATH_MAX + 64];
	size_t i;

	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", path, suffixes[i]);
		unlink(p);
	}
}

static void
test_migrate_twice(void **state)
{
	struct testdb *t = *state;
	char path[PATH_MAX + 32], err[256];
	struct store *db;
	int applied = -1, version;

	(void)t;
	assert_true(migrations_embedded() >= 2);
	/* A fresh file: no version, then every migration once. */
	snprintf(path, sizeof(path), "%s/fresh.db", t->dir);
	db = store_open(path, err, sizeof(err));
	assert_non_null(db);
	assert_string_equal(store_driver_name(db), "sqlite");
	assert_int_equal(store_schema_version(db), -1);
	assert_int_equal(store_migrate(db, &applied), STORE_OK);
	assert_int_equal(applied, migrations_embedded());
	version = store_schema_version(db);
	assert_int_equal(version, last_migration_version());
	assert_int_equal(count(db, "SELECT COUNT(*) FROM schema_migrations"),
	                 migrations_embedded());
	assert_false(store_in_transaction(db));

	/* Again: nothing to do, nothing changes. */
	applied = -1;
	assert_int_equal(store_migrate(db, &applied), STORE_OK);
	assert_int_equal(applied, 0);
	assert_int_equal(store_schema_version(db), version);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM schema_migrations"),
	                 migrations_embedded());
	store_close(db);

	/* And after reopening the file. */
	db = store_open(path, err, sizeof(err));
	assert_non_null(db);
	assert_int_equal(store_schema_version(db), version);
	assert_int_equal(store_migrate(db, &applied), STORE_OK);
	assert_int_equal(applied, 0);
	/* The schema is there: the last migration's index exists. */
	assert_int_equal(count(db, "SELECT COUNT(*) FROM sqlite_master "
	                           "WHERE name = 'students_school_status'"),
	                 1);
	store_close(db);
	remove_db(path);
}

static void
test_open_urls(void **state)
{
	struct testdb *t = *state;
	char url[PATH_MAX + 64], err[256];
	struct store *db;

	/* "sqlite:PATH" is the same file as PATH. */
	snprintf(url, sizeof(url), "sqlite:%s", t->path);
	db = store_open(url, err, sizeof(err));
	assert_non_null(db);
	assert_int_equal(store_schema_version(db), store_schema_version(t->db));
	store_close(db);

	err[0] = '\0';
	assert_null(store_open("postgresql://qorgan@localhost/qorgan", err,
	                       sizeof(err)));
	assert_non_null(strstr(err, "PostgreSQL is not supported"));
	err[0] = '\0';
	assert_null(store_open("postgres://localhost/q", err, sizeof(err)));
	assert_non_null(strstr(err, "PostgreSQL"));
	err[0] = '\0';
	assert_null(store_open("", err, sizeof(err)));
	assert_non_null(strstr(err, "no database"));
	err[0] = '\0';
	assert_null(store_open(NULL, err, sizeof(err)));
	assert_non_null(strstr(err, "no database"));
	err[0] = '\0';
	assert_null(store_open("/nonexistent/dir/q.db", err, sizeof(err)));
	assert_non_null(strstr(err, "/nonexistent/dir/q.db"));
}

static void
test_prepare_cache_by_text(void **state)
{
	struct testdb *t = *state;
	char *copy = strdup("SELECT name FROM t WHERE id = ?");
	struct store_stmt *a, *b, *c;

	assert_non_null(copy);
	a = store_prepare(t->db, "SELECT name FROM t WHERE id = ?");
	assert_non_null(a);
	b = store_prepare(t->db, copy);
	assert_ptr_equal(a, b);
	/* Another text is another statement, even if it means the same. */
	c = store_prepare(t->db, "SELECT name FROM t WHERE id=?");
	assert_non_null(c);
	assert_ptr_not_equal(a, c);
	/* The cache keeps its own copy of the text. */
	memset(copy, 'x', strlen(copy));
	free(copy);
	assert_ptr_equal(
	        store_prepare(t->db, "SELECT name FROM t WHERE id = ?"), a);
	/* A statement the database refuses is not cached. */
	assert_null(store_prepare(t->db, "SELEC name FROM t"));
	assert_null(store_prepare(t->db, "SELEC name FROM t"));
}

/* A cached statement comes back reset and with its bindings cleared. */
static void
test_prepare_resets(void **state)
{
	struct testdb *t = *state;
	static const char sql[] =
	        "SELECT name FROM t WHERE id >= ? ORDER BY id";
	struct store_stmt *st;

	assert_int_equal(store_execf(t->db,
	                             "INSERT INTO t (name, n) VALUES "
	                             "('a', 1), ('b', 2), ('c', 3)",
	                             ""),
	                 STORE_OK);
	st = store_prepare(t->db, sql);
	assert_int_equal(store_bind_int(st, 1, 2), STORE_OK);
	assert_int_equal(store_step(st), STORE_ROW);
	assert_string_equal(store_col_text(st, 0), "b");
	/* Taken again mid-way: from the start, and ? is NULL (no rows). */
	st = store_prepare(t->db, sql);
	assert_int_equal(store_step(st), STORE_DONE);
	st = store_prepare(t->db, sql);
	assert_int_equal(store_bind_int(st, 1, 1), STORE_OK);
	assert_int_equal(store_step(st), STORE_ROW);
	assert_string_equal(store_col_text(st, 0), "a");
	store_reset(st);
}

static void
test_execf_and_query_int(void **state)
{
	struct testdb *t = *state;
	struct store_stmt *st;
	int64_t v = 12345;

	assert_int_equal(store_execf(t->db,
	                             "INSERT INTO t (name, n) VALUES (?, ?)",
	                             "ti", "one", (int64_t)1),
	                 STORE_OK);
	assert_int_equal(store_changes(t->db), 1);
	assert_int_equal(store_execf(t->db,
	                             "INSERT INTO t (name, n) VALUES (?, ?)",
	                             "ti", "big", INT64_MAX),
	                 STORE_OK);
	/* 't' with NULL and 'n' both bind NULL. */
	assert_int_equal(store_execf(t->db,
	                             "INSERT INTO t (name, n) VALUES (?, ?)",
	                             "tn", (const char *)NULL),
	                 STORE_OK);
	assert_int_equal(store_execf(t->db,
	                             "UPDATE t SET n = n + ? WHERE n < ?", "ii",
	                             (int64_t)10, (int64_t)100),
	                 STORE_OK);
	assert_int_equal(store_changes(t->db), 1);

	assert_int_equal(
	        store_query_int(t->db, &v, "SELECT COUNT(*) FROM t", ""),
	        STORE_ROW);
	assert_int_equal(v, 3);
	assert_int_equal(store_query_int(t->db, &v,
	                                 "SELECT n FROM t WHERE name = ?", "t",
	                                 "big"),
	                 STORE_ROW);
	assert_true(v == INT64_MAX);
	assert_int_equal(store_query_int(t->db, &v,
	                                 "SELECT n FROM t WHERE name = ?", "t",
	                                 "one"),
	                 STORE_ROW);
	assert_int_equal(v, 11);
	assert_int_equal(count(t->db, "SELECT COUNT(*) FROM t "
	                              "WHERE name IS NULL AND n IS NULL"),
	                 1);
	/* No row: STORE_DONE, and *out is left alone. */
	v = 777;
	assert_int_equal(store_query_int(t->db, &v,
	                                 "SELECT n FROM t WHERE name = ?", "t",
	                                 "nobody"),
	                 STORE_DONE);
	assert_int_equal(v, 777);

	/* Columns of a row. */
	st = store_query(t->db, "SELECT name, n, NULL FROM t WHERE name = ?",
	                 "t", "one");
	assert_non_null(st);
	assert_int_equal(store_step(st), STORE_ROW);
	assert_int_equal(store_col_count(st), 3);
	assert_string_equal(store_col_text(st, 0), "one");
	assert_int_equal(store_col_int(st, 1), 11);
	assert_false(store_col_null(st, 1));
	assert_true(store_col_null(st, 2));
	assert_int_equal(store_step(st), STORE_DONE);
	store_reset(st);

	/* Errors are negative and explained. */
	assert_int_equal(
	        store_execf(t->db, "INSERT INTO nosuch VALUES (1)", ""),
	        STORE_ERROR);
	assert_non_null(strstr(store_errmsg(t->db), "nosuch"));
	assert_int_equal(store_execf(t->db, "SELECT ?", "x", 1), STORE_ERROR);
	assert_int_equal(store_query_int(t->db, &v, "SELEC 1", ""),
	                 STORE_ERROR);
	assert_int_equal(v, 777);
	assert_true(store_time_ns(t->db) > 0);
}

static void
test_constraints(void **state)
{
	struct testdb *t = *state;

	assert_int_equal(store_execf(t->db, "INSERT INTO t (name) VALUES (?)",
	                             "t", "dup"),
	                 STORE_OK);
	assert_int_equal(store_execf(t->db, "INSERT INTO t (name) VALUES (?)",
	                             "t", "dup"),
	                 STORE_CONSTRAINT);
	assert_int_equal(store_execf(t->db,
	                             "INSERT INTO t (name, n) "
	                             "VALUES (?, ?)",
	                             "ti", "neg", (int64_t)-1),
	                 STORE_CONSTRAINT);
	assert_int_equal(store_execf(t->db,
	                             "INSERT INTO schools (code, name) "
	                             "VALUES ('x', 'X')",
	                             ""),
	                 STORE_CONSTRAINT); /* created_at NOT NULL */
	/* The failed statements left nothing behind. */
	assert_int_equal(count(t->db, "SELECT COUNT(*) FROM t"), 1);
	assert_int_equal(count(t->db, "SELECT COUNT(*) FROM schools"), 0);
}

static int64_t
add_school(struct store *db, const char *code)
{
	int64_t id = -1;

	assert_int_equal(store_execf(db,
	                             "INSERT INTO schools (code, name, "
	                             "created_at) VALUES (?, ?, ?)",
	                             "ttt", code, "School", NOW),
	                 STORE_OK);
	assert_int_equal(
	        store_query_int(db, &id,
	                        "SELECT id FROM schools WHERE code = ?", "t",
	                        code),
	        STORE_ROW);
	return id;
}

static int
add_student(struct store *db, int64_t school, int64_t class_id, const char *ref)
{
	return store_execf(db,
	                   "INSERT INTO students (school_id, ref, full_name, "
	                   "class_id, created_at, updated_at) "
	                   "VALUES (?, ?, 'Name', ?, ?, ?)",
	                   "ititt", school, ref, class_id, NOW, NOW);
}

static void
test_foreign_keys_enforced(void **state)
{
	struct testdb *t = *state;
	int64_t school, class_id = -1;

	school = add_school(t->db, "s1");
	assert_int_equal(store_execf(t->db,
	                             "INSERT INTO classes (school_id, name, "
	                             "grade) VALUES (?, '5А', 5)",
	                             "i", school),
	                 STORE_OK);
	assert_int_equal(
	        store_query_int(t->db, &class_id, "SELECT id FROM classes", ""),
	        STORE_ROW);
	/* The good row goes in, so the refusals below are the keys'. */
	assert_int_equal(add_student(t->db, school, class_id, "r1"), STORE_OK);
	assert_int_equal(add_student(t->db, school + 100, class_id, "r2"),
	                 STORE_CONSTRAINT);
	assert_int_equal(add_student(t->db, school, class_id + 100, "r3"),
	                 STORE_CONSTRAINT);
	assert_int_equal(store_execf(t->db,
	                             "INSERT INTO classes (school_id, name, "
	                             "grade) VALUES (999, '6А', 6)",
	                             ""),
	                 STORE_CONSTRAINT);
	/* A parent still referred to cannot go. */
	assert_int_equal(store_execf(t->db, "DELETE FROM schools", ""),
	                 STORE_CONSTRAINT);
	assert_int_equal(count(t->db, "SELECT COUNT(*) FROM students"), 1);
	assert_int_equal(count(t->db, "SELECT COUNT(*) FROM schools"), 1);
}

static void
test_commit_and_rollback(void **state)
{
	struct testdb *t = *state;
	struct store *other = other_connection(t);

	assert_int_equal(store_begin(t->db), STORE_OK);
	assert_true(store_in_transaction(t->db));
	assert_int_equal(
	        store_execf(t->db, "INSERT INTO t (name) VALUES ('a')", ""),
	        STORE_OK);
	/* Not visible to another connection before the commit. */
	assert_int_equal(count(other, "SELECT COUNT(*) FROM t"), 0);
	assert_int_equal(store_commit(t->db), STORE_OK);
	assert_false(store_in_transaction(t->db));
	assert_int_equal(count(other, "SELECT COUNT(*) FROM t"), 1);

	assert_int_equal(store_begin(t->db), STORE_OK);
	assert_int_equal(
	        store_execf(t->db, "INSERT INTO t (name) VALUES ('b')", ""),
	        STORE_OK);
	store_rollback(t->db);
	assert_false(store_in_transaction(t->db));
	assert_int_equal(count(t->db, "SELECT COUNT(*) FROM t"), 1);
	assert_int_equal(count(other, "SELECT COUNT(*) FROM t"), 1);
	store_close(other);
}

/*
 * Runs `fail` inside a transaction between two good inserts, then checks
 * that the commit is refused, the transaction is over, nothing of it is
 * visible from either connection, the other connection can write at once
 * (the lock was let go) and the next transaction works normally.
 */
static void
check_poisoned(struct testdb *t, int (*inject)(struct store *), int want_rc)
{
	struct store *other = other_connection(t);

	assert_int_equal(store_begin(t->db), STORE_OK);
	assert_int_equal(
	        store_execf(t->db, "INSERT INTO t (name) VALUES ('a')", ""),
	        STORE_OK);
	assert_int_equal(inject(t->db), want_rc);
	/* The caller carries on regardless. */
	assert_int_equal(
	        store_execf(t->db, "INSERT INTO t (name) VALUES ('c')", ""),
	        STORE_OK);
	assert_true(store_in_transaction(t->db));
	assert_int_equal(store_commit(t->db), STORE_ERROR);
	assert_false(store_in_transaction(t->db));
	assert_int_equal(count(t->db, "SELECT COUNT(*) FROM t "
	                              "WHERE name IN ('a', 'c')"),
	                 0);
	assert_int_equal(count(other, "SELECT COUNT(*) FROM t "
	                              "WHERE name IN ('a', 'c')"),
	                 0);
	/* The write lock is free: another writer gets in without waiting. */
	assert_int_equal(store_begin(other), STORE_OK);
	assert_int_equal(
	        store_execf(other, "INSERT INTO t (name) VALUES ('o')", ""),
	        STORE_OK);
	assert_int_equal(store_commit(other), STORE_OK);
	/* The poison does not outlive its transaction. */
	assert_int_equal(store_begin(t->db), STORE_OK);
	assert_int_equal(
	        store_execf(t->db, "INSERT INTO t (name) VALUES ('d')", ""),
	        STORE_OK);
	assert_int_equal(store_commit(t->db), STORE_OK);
	assert_int_equal(count(other, "SELECT COUNT(*) FROM t "
	                              "WHERE name IN ('o', 'd')"),
	                 2);
	store_close(other);
}

static int
fail_unique(struct store *db)
{
	return store_execf(db, "INSERT INTO t (name) VALUES ('seed')", "");
}

static int
fail_check(struct store *db)
{
	return store_execf(db, "INSERT INTO t (name, n) VALUES ('x', -5)", "");
}

static int
fail_syntax(struct store *db)
{
	return store_execf(db, "INSERT INTO t (name VALUES ('x')", "");
}

static int
fail_no_table(struct store *db)
{
	return store_execf(db, "INSERT INTO nosuch (name) VALUES ('x')", "");
}

static int
fail_bind_type(struct store *db)
{
	return store_execf(db, "INSERT INTO t (name) VALUES (?)", "q", "x");
}

static int
fail_query_syntax(struct store *db)
{
	int64_t v;

	return store_query_int(db, &v, "SELECT COUNT(*) FRM t", "");
}

static int
fail_foreign_key(struct store *db)
{
	return add_student(db, 4242, 4242, "orphan");
}

static void
seed(struct testdb *t)
{
	assert_int_equal(
	        store_execf(t->db, "INSERT INTO t (name) VALUES ('seed')", ""),
	        STORE_OK);
}

static void
test_poison_unique(void **state)
{
	seed(*state);
	check_poisoned(*state, fail_unique, STORE_CONSTRAINT);
	assert_int_equal(
	        count(((struct testdb *)*state)->db, "SELECT COUNT(*) FROM t"),
	        3); /* seed, o, d */
}

static void
test_poison_check(void **state)
{
	check_poisoned(*state, fail_check, STORE_CONSTRAINT);
}

static void
test_poison_foreign_key(void **state)
{
	check_poisoned(*state, fail_foreign_key, STORE_CONSTRAINT);
}

static void
test_poison_syntax_error(void **state)
{
	check_poisoned(*state, fail_syntax, STORE_ERROR);
}

static void
test_poison_unknown_table(void **state)
{
	check_poisoned(*state, fail_no_table, STORE_ERROR);
}

static void
test_poison_bad_bind(void **state)
{
	check_poisoned(*state, fail_bind_type, STORE_ERROR);
}

static void
test_poison_query(void **state)
{
	check_poisoned(*state, fail_query_syntax, STORE_ERROR);
}

/* A failure outside a transaction poisons nothing later. */
static void
test_failure_outside_transaction(void **state)
{
	struct testdb *t = *state;

	seed(t);
	assert_int_equal(fail_unique(t->db), STORE_CONSTRAINT);
	assert_int_equal(store_begin(t->db), STORE_OK);
	assert_int_equal(
	        store_execf(t->db, "INSERT INTO t (name) VALUES ('a')", ""),
	        STORE_OK);
	assert_int_equal(store_commit(t->db), STORE_OK);
	assert_int_equal(count(t->db, "SELECT COUNT(*) FROM t"), 2);
}

/*
 * The statements all succeed, and COMMIT itself fails: a deferred foreign
 * key is only checked then.  The store must roll back rather than leave
 * the transaction open holding the write lock.
 */
static void
test_failing_commit_rolls_back(void **state)
{
	struct testdb *t = *state;
	struct store *other = other_connection(t);

	assert_int_equal(store_execf(t->db,
	                             "CREATE TABLE child (id INTEGER PRIMARY "
	                             "KEY, pid INTEGER REFERENCES schools(id) "
	                             "DEFERRABLE INITIALLY DEFERRED)",
	                             ""),
	                 STORE_OK);
	assert_int_equal(store_begin(t->db), STORE_OK);
	assert_int_equal(
	        store_execf(t->db, "INSERT INTO t (name) VALUES ('a')", ""),
	        STORE_OK);
	assert_int_equal(
	        store_execf(t->db, "INSERT INTO child (pid) VALUES (999)", ""),
	        STORE_OK);
	assert_int_equal(store_commit(t->db), STORE_ERROR);
	assert_false(store_in_transaction(t->db));
	assert_int_equal(count(t->db, "SELECT COUNT(*) FROM t"), 0);
	assert_int_equal(count(t->db, "SELECT COUNT(*) FROM child"), 0);
	assert_int_equal(store_begin(other), STORE_OK);
	assert_int_equal(store_commit(other), STORE_OK);
	store_close(other);
}

static void
test_nested_begin_refused(void **state)
{
	struct testdb *t = *state;

	assert_int_equal(store_begin(t->db), STORE_OK);
	assert_int_equal(
	        store_execf(t->db, "INSERT INTO t (name) VALUES ('a')", ""),
	        STORE_OK);
	assert_int_equal(store_begin(t->db), STORE_ERROR);
	/* The outer transaction is untouched and commits. */
	assert_true(store_in_transaction(t->db));
	assert_int_equal(store_commit(t->db), STORE_OK);
	assert_int_equal(count(t->db, "SELECT COUNT(*) FROM t"), 1);
}

static void
test_rollback_without_transaction(void **state)
{
	struct testdb *t = *state;

	store_rollback(t->db);
	store_rollback(t->db);
	assert_false(store_in_transaction(t->db));
	assert_int_equal(store_commit(t->db), STORE_ERROR);
	/* Autocommit writes still land, and transactions still work. */
	assert_int_equal(
	        store_execf(t->db, "INSERT INTO t (name) VALUES ('a')", ""),
	        STORE_OK);
	assert_int_equal(store_begin(t->db), STORE_OK);
	assert_int_equal(
	        store_execf(t->db, "INSERT INTO t (name) VALUES ('b')", ""),
	        STORE_OK);
	assert_int_equal(store_commit(t->db), STORE_OK);
	assert_int_equal(count(t->db, "SELECT COUNT(*) FROM t"), 2);
}

/* Closing a connection inside a transaction discards the transaction. */
static void
test_close_rolls_back(void **state)
{
	struct testdb *t = *state;
	struct store *db = other_connection(t);

	assert_int_equal(store_begin(db), STORE_OK);
	assert_int_equal(
	        store_execf(db, "INSERT INTO t (name) VALUES ('a')", ""),
	        STORE_OK);
	store_close(db);
	assert_int_equal(count(t->db, "SELECT COUNT(*) FROM t"), 0);
}

/* --- The pool -------------------------------------------------------- */

#define POOL_SIZE   3
#define THREADS     8
#define TXNS        40
#define ROWS_PER_TX 3

struct pool_run {
	struct store_pool *pool;
	pthread_mutex_t lock;
	struct store *held[THREADS];
	int nheld, max_held;
	int errors;
	int shared; /* a connection was handed to two threads at once */
};

struct worker {
	struct pool_run *run;
	int id;
};

static void
hold(struct pool_run *run, struct store *db, bool take)
{
	int i;

	pthread_mutex_lock(&run->lock);
	if (take) {
		for (i = 0; i < run->nheld; i++)
			if (run->held[i] == db)
				run->shared++;
		run->held[run->nheld++] = db;
		if (run->nheld > run->max_held)
			run->max_held = run->nheld;
	} else {
		for (i = 0; i < run->nheld; i++)
			if (run->held[i] == db) {
				run->held[i] = run->held[--run->nheld];
				break;
			}
	}
	pthread_mutex_unlock(&run->lock);
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct pool_run *run = w->run;
	char name[64];
	int k, r, errors = 0;

	for (k = 0; k < TXNS; k++) {
		struct store *db = store_pool_get(run->pool);

		hold(run, db, true);
		if (store_in_transaction(db) || store_begin(db) != STORE_OK) {
			errors++;
		} else {
			for (r = 0; r < ROWS_PER_TX; r++) {
				snprintf(name, sizeof(name), "w%d-t%d-r%d",
				         w->id, k, r);
				if (store_execf(db,
				                "INSERT INTO t (name, n) "
				                "VALUES (?, ?)",
				                "ti", name,
				                (int64_t)w->id) != STORE_OK)
					errors++;
			}
			if (store_commit(db) != STORE_OK)
				errors++;
		}
		hold(run, db, false);
		store_pool_put(run->pool, db);
	}
	pthread_mutex_lock(&run->lock);
	run->errors += errors;
	pthread_mutex_unlock(&run->lock);
	return NULL;
}

static void
test_pool_threads(void **state)
{
	struct testdb *t = *state;
	struct worker workers[THREADS];
	pthread_t threads[THREADS];
	struct pool_run run;
	char err[256];
	int i;

	memset(&run, 0, sizeof(run));
	pthread_mutex_init(&run.lock, NULL);
	run.pool = store_pool_open(t->path, POOL_SIZE, err, sizeof(err));
	assert_non_null(run.pool);
	assert_int_equal(store_pool_time_ns(run.pool), 0);
	for (i = 0; i < THREADS; i++) {
		workers[i].run = &run;
		workers[i].id = i;
		assert_int_equal(pthread_create(&threads[i], NULL, worker_main,
		                                &workers[i]),
		                 0);
	}
	for (i = 0; i < THREADS; i++)
		assert_int_equal(pthread_join(threads[i], NULL), 0);
	assert_int_equal(run.errors, 0);
	assert_int_equal(run.shared, 0);
	assert_true(run.max_held <= POOL_SIZE);
	assert_int_equal(count(t->db, "SELECT COUNT(*) FROM t"),
	                 THREADS * TXNS * ROWS_PER_TX);
	for (i = 0; i < THREADS; i++) {
		int64_t n = -1;

		assert_int_equal(store_query_int(t->db, &n,
		                                 "SELECT COUNT(*) FROM t "
		                                 "WHERE n = ?",
		                                 "i", (int64_t)i),
		                 STORE_ROW);
		assert_int_equal(n, TXNS * ROWS_PER_TX);
	}
	assert_true(store_pool_time_ns(run.pool) > 0);
	store_pool_close(run.pool);
	pthread_mutex_destroy(&run.lock);
}

/* Every connection of the pool can be out at once, and each is distinct. */
static void
test_pool_all_connections(void **state)
{
	struct testdb *t = *state;
	struct store *db[POOL_SIZE];
	struct store_pool *pool;
	char err[256];
	int i, j;

	pool = store_pool_open(t->path, POOL_SIZE, err, sizeof(err));
	assert_non_null(pool);
	for (i = 0; i < POOL_SIZE; i++) {
		db[i] = store_pool_get(pool);
		assert_non_null(db[i]);
		for (j = 0; j < i; j++)
			assert_ptr_not_equal(db[i], db[j]);
		/* Each is a working connection with foreign keys on. */
		assert_int_equal(add_student(db[i], 555, 555, "x"),
		                 STORE_CONSTRAINT);
	}
	for (i = 0; i < POOL_SIZE; i++)
		store_pool_put(pool, db[i]);
	store_pool_close(pool);
}

static void
test_pool_put_inside_transaction(void **state)
{
	struct testdb *t = *state;
	struct store_pool *pool;
	struct store *db;
	char err[256];

	pool = store_pool_open(t->path, 1, err, sizeof(err));
	assert_non_null(pool);
	db = store_pool_get(pool);
	assert_int_equal(store_begin(db), STORE_OK);
	assert_int_equal(
	        store_execf(db, "INSERT INTO t (name) VALUES ('lost')", ""),
	        STORE_OK);
	store_pool_put(pool, db); /* a failed request forgot its commit */
	assert_int_equal(count(t->db, "SELECT COUNT(*) FROM t"), 0);
	/* The same connection comes back clean and usable. */
	assert_ptr_equal(store_pool_get(pool), db);
	assert_false(store_in_transaction(db));
	assert_int_equal(count(db, "SELECT COUNT(*) FROM t"), 0);
	assert_int_equal(store_begin(db), STORE_OK);
	assert_int_equal(
	        store_execf(db, "INSERT INTO t (name) VALUES ('kept')", ""),
	        STORE_OK);
	assert_int_equal(store_commit(db), STORE_OK);
	store_pool_put(pool, db);
	assert_int_equal(count(t->db, "SELECT COUNT(*) FROM t"), 1);
	store_pool_close(pool);
}

static void
test_pool_bad_url(void **state)
{
	char err[256];

	(void)state;
	err[0] = '\0';
	assert_null(store_pool_open("postgresql://localhost/q", 2, err,
	                            sizeof(err)));
	assert_non_null(strstr(err, "PostgreSQL"));
	err[0] = '\0';
	assert_null(
	        store_pool_open("/nonexistent/dir/q.db", 2, err, sizeof(err)));
	assert_non_null(strstr(err, "/nonexistent/dir/q.db"));
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        T(test_migrate_twice),
	        T(test_open_urls),
	        T(test_prepare_cache_by_text),
	        T(test_prepare_resets),
	        T(test_execf_and_query_int),
	        T(test_constraints),
	        T(test_foreign_keys_enforced),
	        T(test_commit_and_rollback),
	        T(test_poison_unique),
	        T(test_poison_check),
	        T(test_poison_foreign_key),
	        T(test_poison_syntax_error),
	        T(test_poison_unknown_table),
	        T(test_poison_bad_bind),
	        T(test_poison_query),
	        T(test_failure_outside_transaction),
	        T(test_failing_commit_rolls_back),
	        T(test_nested_begin_refused),
	        T(test_rollback_without_transaction),
	        T(test_close_rolls_back),
	        T(test_pool_threads),
	        T(test_pool_all_connections),
	        T(test_pool_put_inside_transaction),
	        cmocka_unit_test(test_pool_bad_url),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
