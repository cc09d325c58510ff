/*
 * What a gate is told when an identifier is presented, and what is kept.
 *
 * A pass is decided and stored in one write transaction (so the lookups
 * and the insert see one state) and the gate is answered only after the
 * commit: an answered pass is never lost.  In the server the transaction
 * is shared with the other passes arriving at the same moment (the store's
 * group commit, set with access_use_group()), because one fsync per pass
 * caps a school's morning rush at about a thousand passes a second.  The
 * job below may therefore run twice (store.h says when) and keeps all its
 * results in its argument.
 *
 * Emergency mode (a fire alarm) overrides every decision with allow and
 * reason "emergency", but the pass is still recorded with its holder and
 * the same device and seq still record one pass.
 *
 * Notices go into the outbox inside the same transaction: to each guardian
 * who asked for entries or exits, only while the notifications consent is
 * in force; to the school's security when a blocked card is presented.
 */
#include "access/access_internal.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "notify/notify.h"
#include "people/people.h"

/* Set once by serve before the server starts; NULL in tests and tools. */
static struct store_group *pass_group;

void
access_use_group(struct store_group *g)
{
	pass_group = g;
}

/* The decision for a value at a gate of school_id; *student the holder
 * when they are of this school (0 otherwise). */
static int
decide(struct store *db, const char *value, int64_t school_id,
       struct access_decision *out, int64_t *student)
{
	struct as_identifier row;
	int rc;

	*student = 0;
	out->allow = false;
	rc = as_active(db, value, &row);
	if (rc == ACCESS_NOT_FOUND)
		rc = as_newest(db, value, school_id, true, &row);
	if (rc == ACCESS_NOT_FOUND)
		rc = as_newest(db, value, 0, true, &row);
	if (rc == ACCESS_NOT_FOUND) {
		out->reason = "unknown";
		return ACCESS_OK;
	}
	if (rc != ACCESS_OK)
		return rc;
	if (row.school_id != school_id) {
		out->reason = "other_school";
		return ACCESS_OK;
	}
	*student = row.student_id;
	if (!row.active)
		out->reason = "blocked";
	else if (row.student_left)
		out->reason = "left";
	else {
		out->allow = true;
		out->reason = "ok";
	}
	return ACCESS_OK;
}

/* "pass:d<device>:s<seq>": a gate's retry queues no notice twice. */
#define PASS_KEY_SIZE 64
static void
pass_key(const struct access_pass *in, char *out, size_t outlen)
{
	snprintf(out, outlen, "pass:d%lld:s%lld", (long long)in->device_id,
	         (long long)in->seq);
}

/* Tells the student's subscribed guardians, consent permitting. */
static int
notify_guardians(struct store *db, const struct access_pass *in,
                 int64_t student, const char *device_at)
{
	char key[PASS_KEY_SIZE], first[PEOPLE_NAME_MAX * 4 + 1];
	int64_t guardians[ACCESS_GUARDIANS_MAX];
	struct notify_notice n;
	json_t *params;
	size_t count = 0, i;
	bool in_dir = strcmp(in->direction, "in") == 0;
	int rc;

	rc = as_subscribed_guardians(db, student, in_dir ? "entry" : "exit",
	                             guardians, ACCESS_GUARDIANS_MAX, &count);
	if (rc != ACCESS_OK || count == 0)
		return rc;
	if (!people_consent_current(db, student, PEOPLE_PURPOSE_NOTIFICATIONS))
		return ACCESS_OK;
	if (as_student_first_name(db, student, first, sizeof(first)) !=
	    ACCESS_OK)
		return ACCESS_ERROR;
	params = json_pack("{s:s, s:s}", "first_name", first, "at", device_at);
	if (params == NULL)
		return ACCESS_ERROR;
	pass_key(in, key, sizeof(key));
	n = (struct notify_notice){.event = in_dir ? "pass.in" : "pass.out",
	                           .school_id = in->school_id,
	                           .student_id = student,
	                           .params = params};
	for (i = 0; rc == ACCESS_OK && i < count; i++) {
		char gkey[PASS_KEY_SIZE + 24];

		snprintf(gkey, sizeof(gkey), "%s:g%lld", key,
		         (long long)guardians[i]);
		n.guardian_id = guardians[i];
		n.key = gkey;
		if (notify_enqueue(db, &n) != NOTIFY_OK)
			rc = ACCESS_ERROR;
	}
	json_decref(params);
	return rc;
}

/* A blocked card at the gate: security hears of it at once. */
static int
notify_blocked(struct store *db, const struct access_pass *in,
               const char *device_at)
{
	static const enum role security[] = {ROLE_SECURITY};
	char key[PASS_KEY_SIZE];
	struct notify_notice n;
	json_t *params = json_pack("{s:s, s:s}", "at", device_at, "direction",
	                           in->direction);
	int rc;

	if (params == NULL)
		return ACCESS_ERROR;
	pass_key(in, key, sizeof(key));
	n = (struct notify_notice){.event = "card.blocked_presented",
	                           .urgent = true,
	                           .school_id = in->school_id,
	                           .params = params,
	                           .key = key};
	rc = notify_school_roles(db, &n, security, 1, NULL);
	json_decref(params);
	return rc == NOTIFY_OK ? ACCESS_OK : ACCESS_ERROR;
}

struct pass_job {
	const struct access_pass *in;
	struct access_decision *out;
};

/* Decides and records one pass inside the caller's transaction. */
static int
record(struct store *db, void *arg)
{
	struct pass_job *job = arg;
	const struct access_pass *in = job->in;
	struct access_decision *out = job->out;
	char now[PEOPLE_TIME_MAX], device_at[ACCESS_TIME_SIZE];
	struct access_mode mode;
	int64_t student = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = as_pass_find(db, in->device_id, in->seq, &out->allow,
	                  &out->reason);
	if (rc == ACCESS_OK) {
		out->replay = true; /* recorded before: nothing to write */
		return ACCESS_OK;
	}
	if (rc == ACCESS_NOT_FOUND)
		rc = decide(db, in->identifier, in->school_id, out, &student);
	if (rc == ACCESS_OK)
		rc = as_mode_get(db, in->school_id, &mode);
	if (rc == ACCESS_OK && mode.emergency) {
		out->allow = true;
		out->reason = "emergency";
	}
	people_now(now);
	access_time_format(in->device_at, device_at);
	if (rc == ACCESS_OK)
		rc = as_pass_insert(db, in, student, out->allow, out->reason,
		                    device_at, now);
	if (rc == ACCESS_OK && out->allow && student > 0)
		rc = notify_guardians(db, in, student, device_at);
	if (rc == ACCESS_OK && strcmp(out->reason, "blocked") == 0)
		rc = notify_blocked(db, in, device_at);
	/* ACCESS_TAKEN cannot happen: (device, seq) was looked up above. */
	return rc == ACCESS_OK ? ACCESS_OK : ACCESS_ERROR;
}

int
access_pass_record(struct store *db, const struct access_pass *in,
                   struct access_decision *out)
{
	struct pass_job job = {.in = in, .out = out};
	int rc;

	if (pass_group != NULL)
		return store_group_run(pass_group, record, &job) == ACCESS_OK
		               ? ACCESS_OK
		               : ACCESS_ERROR;
	if (store_begin(db) != STORE_OK) {
		log_warnx("access: pass begin: %s", store_errmsg(db));
		return ACCESS_ERROR;
	}
	if ((rc = record(db, &job)) != ACCESS_OK) {
		store_rollback(db);
		return rc;
	}
	if (store_commit(db) != STORE_OK) {
		log_warnx("access: pass commit: %s", store_errmsg(db));
		return ACCESS_ERROR;
	}
	return ACCESS_OK;
}
