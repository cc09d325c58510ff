/*
 * The notice outbox and the staff inbox; see notify.h.
 *
 * Watch for: notify_enqueue() refuses to run outside a transaction.  A
 * notice written in a transaction of its own could exist for a pass that
 * was rolled back, or be lost after a pass that committed; inside the
 * cause's transaction it is neither.  The dedup key is the notice's
 * identity: INSERT ... ON CONFLICT DO NOTHING makes a retried cause (a
 * gate's repeated seq, a webhook sent twice) queue nothing new.
 */
#include "notify/notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "people/people.h"
#include "web/i18n.h"

/*
 * The events we know and what they mean to the person who reads one.
 * Modules that queue a new event add a line here, so that the inbox can
 * say it in the reader's language.
 */
static const struct {
	const char *event;
	const char *label;
} events[] = {
        {"pass.in", N_("Came into school")},
        {"pass.out", N_("Left school")},
        {"card.blocked_presented", N_("A blocked card was presented")},
        {"emergency.on", N_("Emergency mode switched on")},
        {"emergency.off", N_("Emergency mode ended")},
        {"alarm.forced", N_("A gate was forced open")},
        {"alarm.tampered", N_("A gate was tampered with")},
        {"alarm.escalated", N_("An alarm was not acknowledged in time")},
        {"kindergarten.refused",
         N_("A child was not handed over: the escort is not allowed")},
};

const char *
notify_event_label(const char *event)
{
	size_t i;

	for (i = 0; event != NULL && i < sizeof(events) / sizeof(events[0]);
	     i++)
		if (strcmp(events[i].event, event) == 0)
			return events[i].label;
	return NULL;
}

bool
notify_event_valid(const char *event)
{
	size_t i;

	if (event == NULL || event[0] == '\0')
		return false;
	for (i = 0; event[i] != '\0'; i++)
		if (i == NOTIFY_EVENT_MAX ||
		    !((event[i] >= 'a' && event[i] <= 'z') || event[i] == '_' ||
		      event[i] == '.'))
			return false;
	return true;
}

static bool
key_valid(const char *key)
{
	size_t i;

	if (key == NULL || key[0] == '\0')
		return false;
	for (i = 0; key[i] != '\0'; i++)
		if (i == NOTIFY_KEY_MAX || key[i] < 0x21 || key[i] > 0x7e)
			return false;
	return true;
}

/* The optional references are 0 when absent: NULLIF stores them as NULL. */
static int
insert(struct store *db, const struct notify_notice *n, const char *params,
       const char *now)
{
	return store_execf(
	        db,
	        "INSERT INTO notices (created_at, event, urgent, school_id, "
	        "user_id, guardian_id, student_id, params, dedup_key) "
	        "VALUES (?, ?, ?, NULLIF(?, 0), NULLIF(?, 0), NULLIF(?, 0), "
	        "NULLIF(?, 0), ?, ?) ON CONFLICT (dedup_key) DO NOTHING",
	        "ttiiiiitt", now, n->event, (int64_t)n->urgent, n->school_id,
	        n->user_id, n->guardian_id, n->student_id, params, n->key);
}

int
notify_enqueue(struct store *db, const struct notify_notice *n)
{
	char now[PEOPLE_TIME_MAX], *params;
	int rc;

	if (n == NULL || !notify_event_valid(n->event) || !key_valid(n->key) ||
	    (n->user_id > 0) == (n->guardian_id > 0) ||
	    !store_in_transaction(db))
		return NOTIFY_INVALID;
	params = n->params != NULL
	                 ? json_dumps(n->params, JSON_COMPACT | JSON_SORT_KEYS)
	                 : strdup("{}");
	if (params == NULL)
		return NOTIFY_ERROR;
	people_now(now);
	rc = insert(db, n, params, now);
	free(params);
	if (rc != STORE_OK) {
		log_warnx("notify: queue %s: %s", n->event, store_errmsg(db));
		return NOTIFY_ERROR;
	}
	return NOTIFY_OK;
}

int
notify_school_roles(struct store *db, const struct notify_notice *tmpl,
                    const enum role *roles, size_t nroles, size_t *count)
{
	int64_t users[NOTIFY_FANOUT_MAX];
	char key[NOTIFY_KEY_MAX + 32];
	struct notify_notice one;
	struct store_stmt *st;
	size_t n = 0, i, r;
	int rc;

	if (count != NULL)
		*count = 0;
	if (tmpl == NULL || !key_valid(tmpl->key) || tmpl->school_id <= 0)
		return NOTIFY_INVALID;
	for (r = 0; r < nroles; r++) {
		st = store_query(
		        db,
		        "SELECT u.id FROM users u JOIN user_schools us "
		        "ON us.user_id = u.id WHERE us.school_id = ? "
		        "AND u.role = ? AND u.disabled = 0 ORDER BY u.id",
		        "it", tmpl->school_id, role_name(roles[r]));
		if (st == NULL)
			return NOTIFY_ERROR;
		while ((rc = store_step(st)) == STORE_ROW &&
		       n < NOTIFY_FANOUT_MAX)
			users[n++] = store_col_int(st, 0);
		store_reset(st);
		if (rc < 0)
			return NOTIFY_ERROR;
	}
	for (i = 0; i < n; i++) {
		one = *tmpl;
		one.guardian_id = 0;
		one.user_id = users[i];
		snprintf(key, sizeof(key), "%s:u%lld", tmpl->key,
		         (long long)users[i]);
		one.key = key;
		if ((rc = notify_enqueue(db, &one)) != NOTIFY_OK)
			return rc;
	}
	if (count != NULL)
		*count = n;
	return NOTIFY_OK;
}

static json_t *
inbox_row(struct store_stmt *st)
{
	json_t *params = json_loads(store_col_text(st, 4), 0, NULL);

	if (params == NULL)
		params = json_object();
	return json_pack("{s:I, s:s, s:b, s:s, s:s?, s:o, s:b}", "id",
	                 (json_int_t)store_col_int(st, 0), "event",
	                 store_col_text(st, 1), "urgent",
	                 (int)store_col_int(st, 2), "at", store_col_text(st, 3),
	                 "school", store_col_text(st, 5), "params", params,
	                 "read", !store_col_null(st, 6));
}

int
notify_inbox(struct store *db, int64_t user_id, size_t limit, json_t **out,
             int64_t *unread)
{
	struct store_stmt *st;
	json_t *list, *row;
	int rc;

	*out = NULL;
	if (limit == 0 || limit > NOTIFY_INBOX_MAX)
		return NOTIFY_INVALID;
	if (unread != NULL &&
	    store_query_int(db, unread,
	                    "SELECT count(*) FROM notices WHERE user_id = ? "
	                    "AND read_at IS NULL",
	                    "i", user_id) != STORE_ROW)
		return NOTIFY_ERROR;
	st = store_query(db,
	                 "SELECT n.id, n.event, n.urgent, n.created_at, "
	                 "n.params, s.code, n.read_at FROM notices n "
	                 "LEFT JOIN schools s ON s.id = n.school_id "
	                 "WHERE n.user_id = ? ORDER BY "
	                 "(n.urgent = 1 AND n.read_at IS NULL) DESC, n.id DESC "
	                 "LIMIT ?",
	                 "ii", user_id, (int64_t)limit);
	if (st == NULL || (list = json_array()) == NULL)
		return NOTIFY_ERROR;
	while ((rc = store_step(st)) == STORE_ROW)
		if ((row = inbox_row(st)) == NULL ||
		    json_array_append_new(list, row) == -1) {
			rc = STORE_ERROR;
			break;
		}
	store_reset(st);
	if (rc != STORE_DONE) {
		json_decref(list);
		return NOTIFY_ERROR;
	}
	*out = list;
	return NOTIFY_OK;
}

int
notify_mark_read(struct store *db, int64_t user_id, int64_t notice_id)
{
	char now[PEOPLE_TIME_MAX];

	people_now(now);
	if (store_execf(db,
	                "UPDATE notices SET read_at = coalesce(read_at, ?) "
	                "WHERE id = ? AND user_id = ?",
	                "tii", now, notice_id, user_id) != STORE_OK)
		return NOTIFY_ERROR;
	return store_changes(db) == 1 ? NOTIFY_OK : NOTIFY_NOT_FOUND;
}
