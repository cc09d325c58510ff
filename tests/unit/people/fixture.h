/*
 * A fresh, migrated SQLite file per test for the people tests, in
 * $QORGAN_TEST_TMP (set by CTest) or /tmp, removed afterwards.
 */
#ifndef QORGAN_TEST_PEOPLE_FIXTURE_H
#define QORGAN_TEST_PEOPLE_FIXTURE_H

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "people/people.h"
#include "store/store.h"

struct fx {
	struct store *db;
	int64_t school;
	char dir[PATH_MAX];
	char path[PATH_MAX + 16];
};

static inline int
fx_setup(void **state)
{
	const char *tmp = getenv("QORGAN_TEST_TMP");
	char err[256];
	struct fx *x;
	int applied;

	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	if (mkdir(tmp, 0700) == -1 && errno != EEXIST)
		return -1;
	if ((x = calloc(1, sizeof(*x))) == NULL)
		return -1;
	snprintf(x->dir, sizeof(x->dir), "%s/people-XXXXXX", tmp);
	if (mkdtemp(x->dir) == NULL)
		goto fail;
	snprintf(x->path, sizeof(x->path), "%s/test.db", x->dir);
	if ((x->db = store_open(x->path, err, sizeof(err))) == NULL) {
		fprintf(stderr, "store_open: %s\n", err);
		goto fail;
	}
	if (store_migrate(x->db, &applied) != STORE_OK)
		goto fail;
	if (people_school_add(x->db, NULL, "s1", "Мектеп №1", "reg", "dist",
	                      &x->school) != PEOPLE_OK)
		goto fail;
	*state = x;
	return 0;
fail:
	store_close(x->db);
	free(x);
	return -1;
}

static inline int
fx_teardown(void **state)
{
	struct fx *x = *state;
	char p[PATH_MAX + 32];

	store_close(x->db);
	unlink(x->path);
	snprintf(p, sizeof(p), "%s-wal", x->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", x->path);
	unlink(p);
	rmdir(x->dir);
	free(x);
	return 0;
}

/* The single integer a query returns (-1 when it fails). */
static inline int64_t
fx_int(struct store *db, const char *sql)
{
	int64_t v = -1;

	if (store_query_int(db, &v, sql, "") != STORE_ROW)
		return -1;
	return v;
}

#endif
