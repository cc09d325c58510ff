/*
 * A fresh, migrated SQLite database in its own temporary directory for one
 * unit test, removed again afterwards.  The directory is made under
 * $QORGAN_TEST_TMP (CTest sets it to build/tmp) or /tmp.  Header-only so
 * that any test can include it without a CMake change; every function is
 * static inline.
 */
#ifndef QORGAN_TESTS_UNIT_TESTDB_H
#define QORGAN_TESTS_UNIT_TESTDB_H

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store.h"

struct testdb {
	char dir[PATH_MAX];
	char path[PATH_MAX + 16];
	struct store *db;
};

/* Opens and migrates; returns the store or NULL (with a message). */
static inline struct store *
testdb_open(struct testdb *t)
{
	const char *base = getenv("QORGAN_TEST_TMP");
	char err[256];
	int applied = 0;

	memset(t, 0, sizeof(*t));
	if (base == NULL || base[0] == '\0')
		base = "/tmp";
	if (mkdir(base, 0700) == -1 && errno != EEXIST) {
		fprintf(stderr, "testdb: mkdir %s: %s\n", base,
		        strerror(errno));
		return NULL;
	}
	if ((size_t)snprintf(t->dir, sizeof(t->dir), "%s/qorgan-XXXXXX",
	                     base) >= sizeof(t->dir) ||
	    mkdtemp(t->dir) == NULL) {
		fprintf(stderr, "testdb: mkdtemp under %s failed\n", base);
		return NULL;
	}
	snprintf(t->path, sizeof(t->path), "%s/test.db", t->dir);
	t->db = store_open(t->path, err, sizeof(err));
	if (t->db == NULL) {
		fprintf(stderr, "testdb: %s\n", err);
		return NULL;
	}
	if (store_migrate(t->db, &applied) != 0) {
		fprintf(stderr, "testdb: migration failed: %s\n",
		        store_errmsg(t->db));
		store_close(t->db);
		t->db = NULL;
	}
	return t->db;
}

/* Closes the store and removes the database files and the directory. */
static inline void
testdb_close(struct testdb *t)
{
	static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
	char p[PATH_MAX + 32];
	size_t i;

	if (t->db != NULL)
		store_close(t->db);
	t->db = NULL;
	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", t->path, suffixes[i]);
		unlink(p);
	}
	if (t->dir[0] != '\0')
		rmdir(t->dir);
}

/*
 * The places most tests need: regions 1 "north" and 2 "south"; schools
 * 1 "a" and 2 "b" in north, 3 "c" in south.  0 or -1.
 */
static inline int
testdb_seed_places(struct store *db)
{
	if (store_execf(db,
	                "INSERT INTO regions (id, code, name) VALUES "
	                "(1, 'north', 'North'), (2, 'south', 'South')",
	                "") != STORE_OK ||
	    store_execf(db,
	                "INSERT INTO schools (id, code, name, region_id, "
	                "created_at) VALUES "
	                "(1, 'a', 'A', 1, '2025-01-01T00:00:00Z'), "
	                "(2, 'b', 'B', 1, '2025-01-01T00:00:00Z'), "
	                "(3, 'c', 'C', 2, '2025-01-01T00:00:00Z')",
	                "") != STORE_OK)
		return -1;
	return 0;
}

#endif
