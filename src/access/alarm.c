/*
 * Alarms: a gate or kiosk reports that its passage was forced or tampered
 * with; staff acknowledge; one nobody acknowledged in time is told again
 * to the school's leaders.  See the "Duty and alerts" section of access.h.
 *
 * Watch for: an alarm, its alert notices and its audit line commit
 * together, and the device is answered only after that commit, so an
 * answered alarm is never lost and a retried one (the same device and
 * seq) records and alerts nothing new.  Escalation runs on the ticker's
 * own connection while requests run on the pool's: setting escalated_at
 * in the transaction that queues the escalated notices, and the dedup key
 * "alarm:ID:escalated", each make sure an alarm escalates once.  An alarm
 * acknowledged meanwhile is skipped, because the escalation re-reads the
 * state inside its write transaction.
 */
#include "access/access_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "notify/notify.h"
#include "people/people.h"

/* Who hears an escalated alarm (as when nobody is on duty). */
static const enum role leaders[] = {ROLE_DIRECTOR, ROLE_DEPUTY, ROLE_SECURITY};

/* A device's name, as 0001 allows it: 64 characters of UTF-8. */
#define GATE_NAME_SIZE (AUTH_DEVICE_NAME_MAX * 4 + 1)

static int
failed(struct store *db, const char *what)
{
	return as_failed(db, "alarm", what);
}

bool
access_alarm_kind_valid(const char *s)
{
	return s != NULL &&
	       (strcmp(s, "forced") == 0 || strcmp(s, "tampered") == 0);
}

static bool
alarm_device(const struct principal *p)
{
	return p != NULL && p->kind == PRINCIPAL_DEVICE &&
	       p->device_kind != NULL &&
	       (strcmp(p->device_kind, "gate") == 0 ||
	        strcmp(p->device_kind, "kiosk") == 0);
}

/* What a notice about an alarm says: its kind, the gate's name and the
 * device's time; nothing about any person. */
static json_t *
alarm_params(int64_t id, const char *kind, const char *gate, const char *at)
{
	return json_pack("{s:I, s:s, s:s, s:s}", "alarm", (json_int_t)id,
	                 "kind", kind, "gate", gate, "at", at);
}

/* --- Raising -------------------------------------------------------- */

/* The alarm recorded for (device, seq) into *id; ACCESS_NOT_FOUND if none. */
static int
find(struct store *db, int64_t device_id, int64_t seq, int64_t *id)
{
	int rc = store_query_int(db, id,
	                         "SELECT id FROM alarms WHERE device_id = ? "
	                         "AND seq = ?",
	                         "ii", device_id, seq);

	if (rc == STORE_ROW)
		return ACCESS_OK;
	return rc == STORE_DONE ? ACCESS_NOT_FOUND : failed(db, "find");
}

static int
insert(struct store *db, const struct principal *p, const char *kind,
       const char *device_at, int64_t seq, const char *now, int64_t *id)
{
	struct store_stmt *st;

	st = store_query(db,
	                 "INSERT INTO alarms (school_id, device_id, seq, kind, "
	                 "device_at, received_at) VALUES (?, ?, ?, ?, ?, ?) "
	                 "RETURNING id",
	                 "iiittt", p->device_school_id, p->device_id, seq, kind,
	                 device_at, now);
	return as_insert_id(db, st, false, "alarm", "insert", id);
}

/* The device's name into out. */
static int
gate_name(struct store *db, int64_t device_id, char *out, size_t outlen)
{
	struct store_stmt *st;
	int rc;

	st = store_query(db, "SELECT name FROM devices WHERE id = ?", "i",
	                 device_id);
	if (st == NULL)
		return failed(db, "device name");
	rc = store_step(st);
	if (rc == STORE_ROW)
		snprintf(out, outlen, "%s", store_col_text(st, 0));
	store_reset(st);
	return rc == STORE_ROW ? ACCESS_OK : failed(db, "device name");
}

int
access_alarm_raise(struct store *db, const struct principal *p,
                   const char *kind, int64_t device_at, int64_t seq,
                   int64_t *id, bool *replay)
{
	char now[PEOPLE_TIME_MAX], at[ACCESS_TIME_SIZE], gate[GATE_NAME_SIZE];
	char event[NOTIFY_EVENT_MAX + 1], key[32], detail[32];
	json_t *params = NULL;
	int rc;

	*id = 0;
	*replay = false;
	if (!alarm_device(p) || !access_alarm_kind_valid(kind) || seq < 0)
		return ACCESS_INVALID;
	if (store_begin(db) != STORE_OK)
		return failed(db, "begin");
	rc = find(db, p->device_id, seq, id);
	if (rc == ACCESS_OK) {
		*replay = true;
		store_rollback(db); /* nothing was written */
		return ACCESS_OK;
	}
	people_now(now);
	access_time_format(device_at, at);
	if (rc == ACCESS_NOT_FOUND)
		rc = insert(db, p, kind, at, seq, now, id);
	if (rc == ACCESS_OK)
		rc = gate_name(db, p->device_id, gate, sizeof(gate));
	if (rc == ACCESS_OK &&
	    (params = alarm_params(*id, kind, gate, at)) == NULL)
		rc = ACCESS_ERROR;
	snprintf(event, sizeof(event), "alarm.%s", kind);
	snprintf(key, sizeof(key), "alarm:%lld", (long long)*id);
	if (rc == ACCESS_OK)
		rc = access_alert_staff(db, p->device_school_id, event, true,
		                        params, key);
	snprintf(detail, sizeof(detail), "kind=%s", kind);
	if (rc == ACCESS_OK)
		rc = access_audit(db, p, "alarm.raise", p->device_school_id,
		                  "alarm", *id, detail);
	json_decref(params);
	rc = access_txn_end(db, "alarm", true, rc);
	if (rc != ACCESS_OK)
		*id = 0;
	return rc;
}

/* --- Reading -------------------------------------------------------- */

#define ALARM_COLUMNS                                                          \
	"SELECT a.id, a.kind, d.name, a.device_at, a.received_at, a.state, "   \
	"u.login, a.acknowledged_at, a.escalated_at FROM alarms a "            \
	"JOIN devices d ON d.id = a.device_id "                                \
	"LEFT JOIN users u ON u.id = a.acknowledged_by "

static json_t *
alarm_row(struct store_stmt *st)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?}",
	                 "id", (json_int_t)store_col_int(st, 0), "kind",
	                 store_col_text(st, 1), "gate", store_col_text(st, 2),
	                 "at", store_col_text(st, 3), "received_at",
	                 store_col_text(st, 4), "state", store_col_text(st, 5),
	                 "acknowledged_by",
	                 store_col_null(st, 6) ? NULL : store_col_text(st, 6),
	                 "acknowledged_at",
	                 store_col_null(st, 7) ? NULL : store_col_text(st, 7),
	                 "escalated_at",
	                 store_col_null(st, 8) ? NULL : store_col_text(st, 8));
}

/* Appends every row of st to list. */
static int
alarm_rows(struct store *db, struct store_stmt *st, json_t *list)
{
	json_t *row;
	int rc;

	if (st == NULL)
		return failed(db, "list");
	while ((rc = store_step(st)) == STORE_ROW)
		if ((row = alarm_row(st)) == NULL ||
		    json_array_append_new(list, row) == -1) {
			rc = STORE_ERROR;
			break;
		}
	store_reset(st);
	return rc == STORE_DONE ? ACCESS_OK : failed(db, "list");
}

int
access_alarms_json(struct store *db, int64_t school_id, bool open_only,
                   json_t **out)
{
	json_t *list = json_array();
	int rc;

	*out = NULL;
	if (list == NULL)
		return ACCESS_ERROR;
	/* Two statements, so that each can use the index alarms_school. */
	rc = alarm_rows(
	        db,
	        open_only ? store_query(db,
	                                ALARM_COLUMNS
	                                "WHERE a.school_id = ? AND "
	                                "a.state = 'open' ORDER BY a.id DESC "
	                                "LIMIT ?",
	                                "ii", school_id,
	                                (int64_t)ACCESS_ALARM_LIST_MAX)
	                  : store_query(db,
	                                ALARM_COLUMNS "WHERE a.school_id = ? "
	                                              "ORDER BY a.id DESC "
	                                              "LIMIT ?",
	                                "ii", school_id,
	                                (int64_t)ACCESS_ALARM_LIST_MAX),
	        list);
	if (rc != ACCESS_OK) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return ACCESS_OK;
}

int
access_alarm_json(struct store *db, int64_t school_id, int64_t alarm_id,
                  json_t **out)
{
	json_t *list = json_array();
	int rc;

	*out = NULL;
	if (list == NULL)
		return ACCESS_ERROR;
	rc = alarm_rows(db,
	                store_query(db,
	                            ALARM_COLUMNS
	                            "WHERE a.school_id = ? AND a.id = ?",
	                            "ii", school_id, alarm_id),
	                list);
	if (rc == ACCESS_OK && json_array_size(list) == 0)
		rc = ACCESS_NOT_FOUND;
	if (rc == ACCESS_OK)
		*out = json_incref(json_array_get(list, 0));
	json_decref(list);
	return rc;
}

/* --- Acknowledging ------------------------------------------------- */

bool
access_alarm_ack_allowed(struct store *db, const struct principal *p,
                         int64_t school_id)
{
	int64_t users[ACCESS_DUTY_NOW_MAX];
	size_t n = 0, i;

	if (p == NULL || p->kind != PRINCIPAL_STAFF)
		return false;
	/* Those who keep the building, as for emergency mode ... */
	if (p->role == ROLE_DIRECTOR || p->role == ROLE_DEPUTY ||
	    p->role == ROLE_SECURITY || p->role == ROLE_SCHOOL_ADMIN ||
	    p->role == ROLE_PLATFORM_ADMIN)
		return true;
	/* ... and whoever the alert went to because they are on duty. */
	if (access_duty_at(db, school_id, (int64_t)time(NULL), users,
	                   ACCESS_DUTY_NOW_MAX, &n) != ACCESS_OK)
		return false;
	for (i = 0; i < n; i++)
		if (users[i] == p->user_id)
			return true;
	return false;
}

int
access_alarm_ack(struct store *db, const struct principal *p, int64_t school_id,
                 int64_t alarm_id, bool *changed)
{
	char now[PEOPLE_TIME_MAX];
	int64_t open = 0;
	bool own;
	int rc;

	if (changed != NULL)
		*changed = false;
	if (p == NULL || p->kind != PRINCIPAL_STAFF || p->user_id <= 0)
		return ACCESS_INVALID;
	if ((rc = access_txn_begin(db, "alarm", &own)) != ACCESS_OK)
		return rc;
	rc = store_query_int(db, &open,
	                     "SELECT state = 'open' FROM alarms "
	                     "WHERE id = ? AND school_id = ?",
	                     "ii", alarm_id, school_id);
	if (rc == STORE_DONE)
		return access_txn_end(db, "alarm", own, ACCESS_NOT_FOUND);
	if (rc != STORE_ROW)
		return access_txn_end(db, "alarm", own, failed(db, "state"));
	if (!open)
		return access_txn_end(db, "alarm", own,
		                      ACCESS_OK); /* someone was first */
	people_now(now);
	rc = ACCESS_OK;
	if (store_execf(db,
	                "UPDATE alarms SET state = 'acknowledged', "
	                "acknowledged_by = ?, acknowledged_at = ? "
	                "WHERE id = ? AND state = 'open'",
	                "iti", p->user_id, now, alarm_id) != STORE_OK)
		rc = failed(db, "acknowledge");
	if (rc == ACCESS_OK)
		rc = access_audit(db, p, "alarm.ack", school_id, "alarm",
		                  alarm_id, NULL);
	rc = access_txn_end(db, "alarm", own, rc);
	if (rc == ACCESS_OK && changed != NULL)
		*changed = true;
	return rc;
}

/* --- Escalating ---------------------------------------------------- */

/* One alarm due for escalation, as read before it is escalated. */
struct due {
	int64_t id, school_id;
	char kind[16];
	char gate[GATE_NAME_SIZE];
	char at[ACCESS_TIME_SIZE];
};

#define DUE_WHERE                                                              \
	"WHERE a.state = 'open' AND a.escalated_at IS NULL "                   \
	"AND a.received_at <= ? "

/* The alarms due at `cutoff`, oldest first, into due[] (at most max). */
static int
read_due(struct store *db, const char *cutoff, struct due *due, size_t max,
         size_t *n)
{
	struct store_stmt *st;
	int rc;

	*n = 0;
	st = store_query(db,
	                 "SELECT a.id, a.school_id, a.kind, d.name, "
	                 "a.device_at FROM alarms a JOIN devices d "
	                 "ON d.id = a.device_id " DUE_WHERE
	                 "ORDER BY a.received_at, a.id LIMIT ?",
	                 "ti", cutoff, (int64_t)max);
	if (st == NULL)
		return failed(db, "due");
	while ((rc = store_step(st)) == STORE_ROW && *n < max) {
		due[*n].id = store_col_int(st, 0);
		due[*n].school_id = store_col_int(st, 1);
		snprintf(due[*n].kind, sizeof(due[*n].kind), "%s",
		         store_col_text(st, 2));
		snprintf(due[*n].gate, sizeof(due[*n].gate), "%s",
		         store_col_text(st, 3));
		snprintf(due[*n].at, sizeof(due[*n].at), "%s",
		         store_col_text(st, 4));
		(*n)++;
	}
	store_reset(st);
	return rc == STORE_DONE || rc == STORE_ROW ? ACCESS_OK
	                                           : failed(db, "due");
}

static int
escalate_one(struct store *db, const struct due *d, const char *now)
{
	struct notify_notice tmpl;
	char key[40];
	json_t *params;
	size_t count = 0;
	int rc;

	if ((params = alarm_params(d->id, d->kind, d->gate, d->at)) == NULL)
		return ACCESS_ERROR;
	snprintf(key, sizeof(key), "alarm:%lld:escalated", (long long)d->id);
	memset(&tmpl, 0, sizeof(tmpl));
	tmpl.event = "alarm.escalated";
	tmpl.urgent = true;
	tmpl.school_id = d->school_id;
	tmpl.params = params;
	tmpl.key = key;
	rc = notify_school_roles(db, &tmpl, leaders,
	                         sizeof(leaders) / sizeof(leaders[0]), &count);
	json_decref(params);
	if (rc != NOTIFY_OK)
		return ACCESS_ERROR;
	if (count == 0)
		log_warnx("alarm: nobody to escalate to id=%lld school=%lld",
		          (long long)d->id, (long long)d->school_id);
	if (store_execf(db, "UPDATE alarms SET escalated_at = ? WHERE id = ?",
	                "ti", now, d->id) != STORE_OK)
		return failed(db, "escalated");
	log_info("alarm escalated id=%lld school=%lld", (long long)d->id,
	         (long long)d->school_id);
	return ACCESS_OK;
}

int
access_alarms_escalate(struct store *db, int64_t now, size_t *count)
{
	char cutoff[ACCESS_TIME_SIZE], stamp[ACCESS_TIME_SIZE];
	struct due *due = NULL;
	int64_t any = 0;
	size_t n = 0, i;
	int rc;

	if (count != NULL)
		*count = 0;
	access_time_format(now - ACCESS_ALARM_ESCALATE_SECONDS, cutoff);
	access_time_format(now, stamp);
	/* Most ticks find nothing: look before taking the write lock, which
	 * the gates' passes need far more. */
	rc = store_query_int(db, &any,
	                     "SELECT a.id FROM alarms a " DUE_WHERE "LIMIT 1",
	                     "t", cutoff);
	if (rc == STORE_DONE)
		return ACCESS_OK;
	if (rc != STORE_ROW)
		return failed(db, "due");
	if ((due = calloc(ACCESS_ALARM_ESCALATE_BATCH, sizeof(*due))) == NULL)
		return ACCESS_ERROR;
	if (store_begin(db) != STORE_OK) {
		free(due);
		return failed(db, "begin");
	}
	rc = read_due(db, cutoff, due, ACCESS_ALARM_ESCALATE_BATCH, &n);
	for (i = 0; i < n && rc == ACCESS_OK; i++)
		rc = escalate_one(db, &due[i], stamp);
	free(due);
	rc = access_txn_end(db, "alarm", true, rc);
	if (rc == ACCESS_OK && count != NULL)
		*count = n;
	return rc;
}
