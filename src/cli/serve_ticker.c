/*
 * The ticker of `qorgan serve`: a thread that wakes every
 * SERVE_TICK_SECONDS and does the work that nobody's request triggers,
 * today escalating alarms nobody acknowledged (access_alarms_escalate) and
 * checkpointing the write-ahead log, which the group commit leaves to it.
 *
 * It has its own database connection, like the audit writer, so that it
 * never waits for a free connection of the request pool and never holds
 * one.  It is started after the database exists and stopped before the
 * pool closes; stopping wakes it at once and waits for the tick that runs.
 * The clock of its waits is CLOCK_MONOTONIC, so a jump of the wall clock
 * neither skips ticks nor runs them in a burst.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "access/access.h"
#include "cli/cli_internal.h"
#include "core/log.h"

static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake; /* stop */
	pthread_t thread;
	struct store *db;
	bool running, stopping;
} ticker = {
        .lock = PTHREAD_MUTEX_INITIALIZER,
};

static void
tick(void)
{
	size_t n = 0;

	/* A failure is logged where it happened; the next tick retries. */
	if (access_alarms_escalate(ticker.db, (int64_t)time(NULL), &n) !=
	    ACCESS_OK)
		log_warnx("ticker: escalating alarms failed");
	/* The group commit leaves the log's upkeep to us (store.h). */
	if (store_checkpoint(ticker.db) == STORE_ERROR)
		log_warnx("ticker: checkpoint: %s", store_errmsg(ticker.db));
}

static void *
ticker_main(void *arg)
{
	struct timespec next;

	(void)arg;
	clock_gettime(CLOCK_MONOTONIC, &next);
	pthread_mutex_lock(&ticker.lock);
	while (!ticker.stopping) {
		next.tv_sec += SERVE_TICK_SECONDS;
		while (!ticker.stopping &&
		       pthread_cond_timedwait(&ticker.wake, &ticker.lock,
		                              &next) == 0)
			;
		if (ticker.stopping)
			break;
		pthread_mutex_unlock(&ticker.lock);
		tick();
		pthread_mutex_lock(&ticker.lock);
	}
	pthread_mutex_unlock(&ticker.lock);
	return NULL;
}

int
serve_ticker_start(const char *db_url)
{
	pthread_condattr_t attr;
	char err[256];

	if (ticker.running)
		return 0;
	if (pthread_condattr_init(&attr) != 0)
		return -1;
	if (pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) != 0 ||
	    pthread_cond_init(&ticker.wake, &attr) != 0) {
		pthread_condattr_destroy(&attr);
		return -1;
	}
	pthread_condattr_destroy(&attr);
	ticker.db = store_open(db_url, err, sizeof(err));
	if (ticker.db == NULL) {
		log_warnx("ticker: %s", err);
		goto fail;
	}
	ticker.stopping = false;
	if (pthread_create(&ticker.thread, NULL, ticker_main, NULL) != 0)
		goto fail;
	ticker.running = true;
	return 0;
fail:
	store_close(ticker.db);
	ticker.db = NULL;
	pthread_cond_destroy(&ticker.wake);
	return -1;
}

void
serve_ticker_stop(void)
{
	if (!ticker.running)
		return;
	pthread_mutex_lock(&ticker.lock);
	ticker.stopping = true;
	pthread_cond_signal(&ticker.wake);
	pthread_mutex_unlock(&ticker.lock);
	pthread_join(ticker.thread, NULL);
	ticker.running = false;
	store_close(ticker.db);
	ticker.db = NULL;
	pthread_cond_destroy(&ticker.wake);
}
