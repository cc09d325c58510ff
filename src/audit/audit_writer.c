/*
 * The group-commit writer behind audit_record_read(); see audit.h.  Lines
 * wait in a bounded ring; one thread takes up to AUDIT_BATCH_MAX of them and
 * commits them in one transaction, so a thousand reads cost one fsync.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/audit.h"
#include "core/log.h"

struct queued_line {
	struct principal who; /* only the scalar fields are kept */
	char *action;
	int64_t school_id;
	char *object_type;
	char *object_id;
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake;  /* lines arrived, or stop */
	pthread_cond_t space; /* lines left the queue */
	pthread_t thread;
	struct store *db;
	struct queued_line *ring;
	size_t head, count;
	bool running, stopping;
} writer = {
        .lock = PTHREAD_MUTEX_INITIALIZER,
        .wake = PTHREAD_COND_INITIALIZER,
        .space = PTHREAD_COND_INITIALIZER,
};

static void
line_free(struct queued_line *l)
{
	free(l->action);
	free(l->object_type);
	free(l->object_id);
	memset(l, 0, sizeof(*l));
}

static int
write_batch(struct queued_line *batch, size_t n)
{
	size_t i;

	if (store_begin(writer.db) != STORE_OK)
		return -1;
	for (i = 0; i < n; i++)
		if (audit_record(writer.db, &batch[i].who, batch[i].action,
		                 batch[i].school_id, batch[i].object_type,
		                 batch[i].object_id, NULL) != 0)
			break;
	if (i < n || store_commit(writer.db) != STORE_OK) {
		store_rollback(writer.db);
		return -1;
	}
	return 0;
}

static void
wait_for_lines(void)
{
	struct timespec deadline;

	while (writer.count == 0 && !writer.stopping)
		pthread_cond_wait(&writer.wake, &writer.lock);
	/* Let a burst gather so that one commit carries it. */
	if (writer.count < AUDIT_BATCH_MAX && !writer.stopping) {
		clock_gettime(CLOCK_REALTIME, &deadline);
		deadline.tv_nsec += AUDIT_FLUSH_MS * 1000000L;
		if (deadline.tv_nsec >= 1000000000L) {
			deadline.tv_sec++;
			deadline.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&writer.wake, &writer.lock, &deadline);
	}
}

static void *
writer_main(void *arg)
{
	static struct queued_line batch[AUDIT_BATCH_MAX];
	size_t n, i;

	(void)arg;
	pthread_mutex_lock(&writer.lock);
	for (;;) {
		wait_for_lines();
		if (writer.count == 0 && writer.stopping)
			break;
		for (n = 0; n < AUDIT_BATCH_MAX && writer.count > 0; n++) {
			batch[n] = writer.ring[writer.head];
			writer.head = (writer.head + 1) % AUDIT_QUEUE_MAX;
			writer.count--;
		}
		pthread_cond_broadcast(&writer.space);
		pthread_mutex_unlock(&writer.lock);
		/* A failed batch is retried line by line, then logged. */
		if (write_batch(batch, n) == -1)
			for (i = 0; i < n; i++)
				if (write_batch(&batch[i], 1) == -1)
					log_warnx("audit: line lost action=%s",
					          batch[i].action);
		for (i = 0; i < n; i++)
			line_free(&batch[i]);
		pthread_mutex_lock(&writer.lock);
	}
	pthread_mutex_unlock(&writer.lock);
	return NULL;
}

int
audit_writer_start(const char *db_url)
{
	char err[256];

	writer.ring = calloc(AUDIT_QUEUE_MAX, sizeof(*writer.ring));
	if (writer.ring == NULL)
		return -1;
	writer.db = store_open(db_url, err, sizeof(err));
	if (writer.db == NULL) {
		log_warnx("audit: %s", err);
		goto fail;
	}
	writer.head = writer.count = 0;
	writer.stopping = false;
	if (pthread_create(&writer.thread, NULL, writer_main, NULL) != 0)
		goto fail;
	writer.running = true;
	return 0;
fail:
	store_close(writer.db);
	writer.db = NULL;
	free(writer.ring);
	writer.ring = NULL;
	return -1;
}

void
audit_writer_stop(void)
{
	if (!writer.running)
		return;
	pthread_mutex_lock(&writer.lock);
	writer.stopping = true;
	pthread_cond_signal(&writer.wake);
	pthread_mutex_unlock(&writer.lock);
	pthread_join(writer.thread, NULL);
	writer.running = false;
	store_close(writer.db);
	writer.db = NULL;
	free(writer.ring);
	writer.ring = NULL;
}

static char *
dup_or_null(const char *s, bool *failed)
{
	char *copy;

	if (s == NULL)
		return NULL;
	copy = strdup(s);
	if (copy == NULL)
		*failed = true;
	return copy;
}

int
audit_record_read(struct store *db, const struct principal *p,
                  const char *action, int64_t school_id,
                  const char *object_type, const char *object_id)
{
	struct queued_line line;
	bool failed = false;

	if (!writer.running)
		return audit_record(db, p, action, school_id, object_type,
		                    object_id, NULL);
	memset(&line, 0, sizeof(line));
	if (p != NULL) {
		line.who.kind = p->kind;
		line.who.user_id = p->user_id;
		line.who.session_id = p->session_id;
		line.who.device_id = p->device_id;
	}
	line.action = dup_or_null(action, &failed);
	line.object_type = dup_or_null(object_type, &failed);
	line.object_id = dup_or_null(object_id, &failed);
	line.school_id = school_id;
	if (failed || action == NULL) {
		line_free(&line);
		return -1;
	}
	pthread_mutex_lock(&writer.lock);
	while (writer.count == AUDIT_QUEUE_MAX)
		pthread_cond_wait(&writer.space, &writer.lock);
	writer.ring[(writer.head + writer.count) % AUDIT_QUEUE_MAX] = line;
	writer.count++;
	if (writer.count == 1 || writer.count >= AUDIT_BATCH_MAX)
		pthread_cond_signal(&writer.wake);
	pthread_mutex_unlock(&writer.lock);
	return 0;
}
