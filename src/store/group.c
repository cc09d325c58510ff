/*
 * Group commit; see store.h.  Callers queue jobs that live on their own
 * stacks and sleep on one condition variable; the writer thread marks a
 * whole batch done and wakes them all.  No timer gathers a batch: jobs
 * arrive while the previous commit is in its fsync, so the busier the
 * server, the bigger the batch, and a lone job waits for nothing but its
 * own commit.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "core/log.h"
#include "store/store.h"

struct job {
	store_job_fn fn;
	void *arg;
	int rc;
	bool done;
	struct job *next;
};

struct store_group {
	pthread_mutex_t lock;
	pthread_cond_t work; /* jobs queued, or stop */
	pthread_cond_t done; /* a batch ended */
	pthread_t thread;
	struct store *db;
	struct job *head, *tail;
	bool stopping;
};

/* Runs jobs[0..n) in one transaction; false when any of it failed. */
static bool
run_together(struct store *db, struct job **jobs, size_t n)
{
	size_t i;

	if (store_begin(db) != STORE_OK)
		return false;
	for (i = 0; i < n; i++)
		if ((jobs[i]->rc = jobs[i]->fn(db, jobs[i]->arg)) < 0)
			break;
	if (i < n) {
		store_rollback(db);
		return false;
	}
	return store_commit(db) == STORE_OK;
}

static void
run_alone(struct store *db, struct job *job)
{
	if (!run_together(db, &job, 1) && job->rc >= 0)
		job->rc = STORE_ERROR; /* begin or commit failed */
}

static void
run_batch(struct store_group *g, struct job **jobs, size_t n)
{
	size_t i;

	if (run_together(g->db, jobs, n))
		return;
	if (n > 1)
		log_debug("store: group of %zu failed; one by one", n);
	for (i = 0; i < n; i++)
		run_alone(g->db, jobs[i]);
}

static void *
writer_main(void *arg)
{
	struct store_group *g = arg;
	struct job *batch[STORE_GROUP_BATCH_MAX];
	size_t n, i;

	pthread_mutex_lock(&g->lock);
	for (;;) {
		while (g->head == NULL && !g->stopping)
			pthread_cond_wait(&g->work, &g->lock);
		if (g->head == NULL)
			break; /* stopping, and nothing left */
		for (n = 0; n < STORE_GROUP_BATCH_MAX && g->head != NULL; n++) {
			batch[n] = g->head;
			g->head = g->head->next;
		}
		if (g->head == NULL)
			g->tail = NULL;
		pthread_mutex_unlock(&g->lock);
		run_batch(g, batch, n);
		pthread_mutex_lock(&g->lock);
		for (i = 0; i < n; i++)
			batch[i]->done = true;
		pthread_cond_broadcast(&g->done);
	}
	pthread_mutex_unlock(&g->lock);
	return NULL;
}

struct store_group *
store_group_open(const char *url, char *err, size_t errlen)
{
	struct store_group *g = calloc(1, sizeof(*g));

	if (g == NULL)
		return NULL;
	if ((g->db = store_open(url, err, errlen)) == NULL) {
		free(g);
		return NULL;
	}
	store_checkpoint_elsewhere(g->db);
	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->work, NULL);
	pthread_cond_init(&g->done, NULL);
	if (pthread_create(&g->thread, NULL, writer_main, g) != 0) {
		store_close(g->db);
		free(g);
		return NULL;
	}
	return g;
}

void
store_group_close(struct store_group *g)
{
	if (g == NULL)
		return;
	pthread_mutex_lock(&g->lock);
	g->stopping = true;
	pthread_cond_signal(&g->work);
	pthread_mutex_unlock(&g->lock);
	pthread_join(g->thread, NULL);
	store_close(g->db);
	pthread_cond_destroy(&g->work);
	pthread_cond_destroy(&g->done);
	pthread_mutex_destroy(&g->lock);
	free(g);
}

int
store_group_run(struct store_group *g, store_job_fn fn, void *arg)
{
	struct job job = {.fn = fn, .arg = arg};

	pthread_mutex_lock(&g->lock);
	if (g->tail != NULL)
		g->tail->next = &job;
	else
		g->head = &job;
	g->tail = &job;
	pthread_cond_signal(&g->work);
	while (!job.done)
		pthread_cond_wait(&g->done, &g->lock);
	pthread_mutex_unlock(&g->lock);
	return job.rc;
}
