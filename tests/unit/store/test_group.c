/*
 * Group commit (store/group.c): jobs from many threads are each committed
 * exactly once; a job that fails has its writes undone without taking its
 * batch-mates with it, and each caller gets its own job's result.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../testdb.h"

#define THREADS         8
#define JOBS_PER_THREAD 50

struct fixture {
	struct testdb t;
	struct store_group *g;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[256];

	if (f == NULL || testdb_open(&f->t) == NULL ||
	    store_execf(f->t.db,
	                "CREATE TABLE jobs (n INTEGER PRIMARY KEY, runs "
	                "INTEGER NOT NULL DEFAULT 0)",
	                "") != STORE_OK ||
	    (f->g = store_group_open(f->t.path, err, sizeof(err))) == NULL)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	store_group_close(f->g);
	testdb_close(&f->t);
	free(f);
	return 0;
}

struct insert_job {
	int64_t n;
	bool fail;   /* write, then fail */
	int64_t got; /* what the job saw: rows before it in its transaction */
};

static int
insert_row(struct store *db, void *arg)
{
	struct insert_job *job = arg;

	if (store_execf(db, "INSERT INTO jobs (n) VALUES (?)", "i", job->n) !=
	            STORE_OK ||
	    store_query_int(db, &job->got, "SELECT count(*) FROM jobs", "") !=
	            STORE_ROW)
		return -1;
	return job->fail ? -7 : 0;
}

struct worker {
	struct store_group *g;
	int base;
	int failures; /* results that were not 0 (or -7 for failing jobs) */
};

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	int i, rc;

	for (i = 0; i < JOBS_PER_THREAD; i++) {
		struct insert_job job = {.n = w->base + i,
		                         .fail = (w->base + i) % 10 == 3};

		rc = store_group_run(w->g, insert_row, &job);
		if (rc != (job.fail ? -7 : 0))
			w->failures++;
	}
	return NULL;
}

static void
every_job_once_and_failures_alone(void **state)
{
	struct fixture *f = *state;
	struct worker w[THREADS];
	pthread_t th[THREADS];
	int64_t rows = -1, failed_rows = -1;
	int i;

	for (i = 0; i < THREADS; i++) {
		w[i] = (struct worker){.g = f->g, .base = i * 1000};
		assert_int_equal(
		        pthread_create(&th[i], NULL, worker_main, &w[i]), 0);
	}
	for (i = 0; i < THREADS; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_int_equal(w[i].failures, 0);
	}
	/* Job numbers ending in 3 failed: 5 of every 50 per thread. */
	assert_int_equal(store_query_int(f->t.db, &rows,
	                                 "SELECT count(*) FROM jobs", ""),
	                 STORE_ROW);
	assert_int_equal(rows, THREADS * (JOBS_PER_THREAD - 5));
	assert_int_equal(store_query_int(f->t.db, &failed_rows,
	                                 "SELECT count(*) FROM jobs "
	                                 "WHERE n % 10 = 3",
	                                 ""),
	                 STORE_ROW);
	assert_int_equal(failed_rows, 0);
}

static void
a_lone_job_is_committed_before_run_returns(void **state)
{
	struct fixture *f = *state;
	struct insert_job job = {.n = 42};
	int64_t n = 0;

	assert_int_equal(store_group_run(f->g, insert_row, &job), 0);
	assert_int_equal(job.got, 1);
	/* Another connection sees it at once: it was committed. */
	assert_int_equal(
	        store_query_int(f->t.db, &n,
	                        "SELECT count(*) FROM jobs WHERE n = 42", ""),
	        STORE_ROW);
	assert_int_equal(n, 1);
	/* The group's connection leaves checkpoints to others: one here. */
	assert_int_equal(store_checkpoint(f->t.db), STORE_OK);
}

static void
a_job_that_breaks_a_constraint_gets_an_error(void **state)
{
	struct fixture *f = *state;
	struct insert_job a = {.n = 7}, b = {.n = 7};

	assert_int_equal(store_group_run(f->g, insert_row, &a), 0);
	assert_int_equal(store_group_run(f->g, insert_row, &b), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(
	                every_job_once_and_failures_alone, setup, teardown),
	        cmocka_unit_test_setup_teardown(
	                a_lone_job_is_committed_before_run_returns, setup,
	                teardown),
	        cmocka_unit_test_setup_teardown(
	                a_job_that_breaks_a_constraint_gets_an_error, setup,
	                teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
