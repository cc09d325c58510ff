/*
 * The duty roster, and the staff alert fan-out that reads it; see the
 * "Duty and alerts" section of access.h.
 *
 * Watch for: who is on duty "now" depends on the school's shift times, and
 * a shift may run over midnight, so a moment after midnight can belong to
 * yesterday's shift.  access_duty_at() is the one place that decides it;
 * the alert fan-out and the acknowledgement rule both ask it.  An alert
 * must reach somebody: with nobody on duty (no roster, a gap between
 * shifts, everyone on it disabled) it goes to the school's director,
 * deputies and security instead.
 *
 * The roster is edited a range at a time: the editor sends the whole
 * range, and only the difference is written and audited, so saving a week
 * unchanged leaves no trace and keeps who added each entry.
 */
#include "access/access_internal.h"
#include "access/attendance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/audit.h"
#include "core/log.h"
#include "core/validate.h"
#include "notify/notify.h"
#include "people/people.h"

static const struct access_shift default_shifts[ACCESS_SHIFTS] = {
        {1, ACCESS_SHIFT1_STARTS, ACCESS_SHIFT1_ENDS},
        {2, ACCESS_SHIFT2_STARTS, ACCESS_SHIFT2_ENDS},
        {3, ACCESS_SHIFT3_STARTS, ACCESS_SHIFT3_ENDS},
};

/* Who hears an alert when nobody is on duty, and an escalated alarm. */
static const enum role leaders[] = {ROLE_DIRECTOR, ROLE_DEPUTY, ROLE_SECURITY};

/* The key given to access_alert_staff() gets ":u<id>" (at most 21 more
 * bytes) for each person; the whole must fit NOTIFY_KEY_MAX. */
#define ALERT_KEY_MAX (NOTIFY_KEY_MAX - 22)

/* Staff who may be put on duty: bound to the school, enabled, and not a
 * police inspector (bound to schools to receive their reports, but not
 * the school's own staff). */
#define STAFF_WHERE                                                            \
	"us.school_id = ? AND u.disabled = 0 AND u.role <> "                   \
	"'police_inspector' "

static int
failed(struct store *db, const char *what)
{
	return as_failed(db, "duty", what);
}

/* --- Times of day -------------------------------------------------- */

int
access_clock_parse(const char *s)
{
	if (!people_time_valid(s))
		return -1;
	return ((s[0] - '0') * 10 + (s[1] - '0')) * 60 + (s[3] - '0') * 10 +
	       (s[4] - '0');
}

bool
access_clock_valid(const char *s)
{
	return access_clock_parse(s) >= 0;
}

void
access_clock_format(int minutes, char out[ACCESS_CLOCK_SIZE])
{
	if (minutes < 0 || minutes >= 24 * 60)
		minutes = 0;
	snprintf(out, ACCESS_CLOCK_SIZE, "%02d:%02d", minutes / 60,
	         minutes % 60);
}

int
access_shifts_get(struct store *db, int64_t school_id,
                  struct access_shift out[ACCESS_SHIFTS])
{
	struct store_stmt *st;
	int64_t shift;
	int rc, starts, ends;

	memcpy(out, default_shifts, sizeof(default_shifts));
	st = store_query(db,
	                 "SELECT shift, starts, ends FROM duty_shifts "
	                 "WHERE school_id = ?",
	                 "i", school_id);
	if (st == NULL)
		return failed(db, "shift times");
	while ((rc = store_step(st)) == STORE_ROW) {
		shift = store_col_int(st, 0);
		starts = access_clock_parse(store_col_text(st, 1));
		ends = access_clock_parse(store_col_text(st, 2));
		/* A row the CHECKs let through but we cannot read keeps the
		 * default: better a default than nobody. */
		if (shift >= 1 && shift <= ACCESS_SHIFTS && starts >= 0 &&
		    ends >= 0 && starts != ends) {
			out[shift - 1].starts = starts;
			out[shift - 1].ends = ends;
		}
	}
	store_reset(st);
	return rc == STORE_DONE ? ACCESS_OK : failed(db, "shift times");
}

/* --- Who is on duty ------------------------------------------------ */

/* Appends the users on the roster of (date, shift) to users[] unless
 * there already. */
static int
collect(struct store *db, int64_t school_id, const char *date, int shift,
        int64_t *users, size_t max, size_t *n)
{
	struct store_stmt *st;
	int64_t id;
	size_t i;
	int rc;

	st = store_query(db,
	                 "SELECT r.user_id FROM duty_roster r "
	                 "JOIN users u ON u.id = r.user_id "
	                 "JOIN user_schools us ON us.user_id = r.user_id "
	                 "AND us.school_id = r.school_id "
	                 "WHERE r.school_id = ? AND r.on_date = ? "
	                 "AND r.shift = ? AND u.disabled = 0 "
	                 "ORDER BY r.user_id",
	                 "iti", school_id, date, (int64_t)shift);
	if (st == NULL)
		return failed(db, "on duty");
	while ((rc = store_step(st)) == STORE_ROW) {
		id = store_col_int(st, 0);
		for (i = 0; i < *n && users[i] != id; i++)
			;
		if (i == *n && *n < max)
			users[(*n)++] = id;
	}
	store_reset(st);
	return rc == STORE_DONE ? ACCESS_OK : failed(db, "on duty");
}

int
access_duty_at(struct store *db, int64_t school_id, int64_t at, int64_t *users,
               size_t max, size_t *n)
{
	struct access_shift sh[ACCESS_SHIFTS];
	struct attendance_calendar cal;
	char today[ACCESS_DATE_SIZE], yesterday[ACCESS_DATE_SIZE];
	int64_t day;
	int minute, rc, s;

	*n = 0;
	if ((rc = access_shifts_get(db, school_id, sh)) != ACCESS_OK)
		return rc;
	/* The school's clock (its UTC offset) is the calendar's; holidays
	 * do not matter here, so the range asked for is a single day. */
	day = at / 86400;
	if (attendance_calendar_load(db, school_id, day, day, &cal) !=
	    ATTENDANCE_OK)
		return ACCESS_ERROR;
	day = attendance_local_day(&cal, at);
	minute = attendance_local_minute(&cal, at);
	attendance_calendar_free(&cal);
	attendance_day_date(day, today);
	attendance_day_date(day - 1, yesterday);
	for (s = 0; s < ACCESS_SHIFTS && rc == ACCESS_OK; s++) {
		if (sh[s].starts < sh[s].ends) {
			if (minute >= sh[s].starts && minute < sh[s].ends)
				rc = collect(db, school_id, today, s + 1, users,
				             max, n);
			continue;
		}
		/* Over midnight: the evening of today's, or the morning of
		 * yesterday's. */
		if (minute >= sh[s].starts)
			rc = collect(db, school_id, today, s + 1, users, max,
			             n);
		else if (minute < sh[s].ends)
			rc = collect(db, school_id, yesterday, s + 1, users,
			             max, n);
	}
	return rc;
}

/* --- The alert fan-out --------------------------------------------- */

static int
from_notify(int rc)
{
	return rc == NOTIFY_OK        ? ACCESS_OK
	       : rc == NOTIFY_INVALID ? ACCESS_INVALID
	                              : ACCESS_ERROR;
}

int
access_alert_staff_at(struct store *db, int64_t school_id, const char *event,
                      bool urgent, const json_t *params, const char *key,
                      int64_t now)
{
	int64_t users[ACCESS_DUTY_NOW_MAX];
	char one_key[NOTIFY_KEY_MAX + 1];
	struct notify_notice tmpl, one;
	size_t n = 0, i, count = 0;
	int rc;

	if (!notify_event_valid(event) || key == NULL || key[0] == '\0' ||
	    strlen(key) > ALERT_KEY_MAX || school_id <= 0 ||
	    !store_in_transaction(db))
		return ACCESS_INVALID;
	memset(&tmpl, 0, sizeof(tmpl));
	tmpl.event = event;
	tmpl.urgent = urgent;
	tmpl.school_id = school_id;
	tmpl.params = params;
	tmpl.key = key;
	if ((rc = access_duty_at(db, school_id, now, users, ACCESS_DUTY_NOW_MAX,
	                         &n)) != ACCESS_OK)
		return rc;
	if (n == 0) {
		rc = from_notify(notify_school_roles(
		        db, &tmpl, leaders,
		        sizeof(leaders) / sizeof(leaders[0]), &count));
		/* The cause still commits: an alarm nobody hears is better
		 * kept than lost.  The log says so without naming anyone. */
		if (rc == ACCESS_OK && count == 0)
			log_warnx("duty: nobody to alert event=%s school=%lld",
			          event, (long long)school_id);
		return rc;
	}
	for (i = 0; i < n && rc == ACCESS_OK; i++) {
		one = tmpl;
		one.user_id = users[i];
		snprintf(one_key, sizeof(one_key), "%s:u%lld", key,
		         (long long)users[i]);
		one.key = one_key;
		rc = from_notify(notify_enqueue(db, &one));
	}
	return rc;
}

int
access_alert_staff(struct store *db, int64_t school_id, const char *event,
                   bool urgent, const json_t *params, const char *key)
{
	return access_alert_staff_at(db, school_id, event, urgent, params, key,
	                             (int64_t)time(NULL));
}

/* --- Reading the roster -------------------------------------------- */

bool
access_duty_editor(const struct principal *p)
{
	return p != NULL && p->kind == PRINCIPAL_STAFF &&
	       (p->role == ROLE_DIRECTOR || p->role == ROLE_DEPUTY ||
	        p->role == ROLE_SCHOOL_ADMIN);
}

/* from..to are dates, in order, at most ACCESS_DUTY_RANGE_MAX_DAYS. */
static bool
range_ok(const char *from, const char *to)
{
	int64_t days;
	bool ok;

	days = access_days_between(from, to, &ok);
	return ok && days >= 0 && days < ACCESS_DUTY_RANGE_MAX_DAYS;
}

static json_t *
shifts_json(const struct access_shift sh[ACCESS_SHIFTS])
{
	char starts[ACCESS_CLOCK_SIZE], ends[ACCESS_CLOCK_SIZE];
	json_t *list = json_array(), *row;
	int s;

	for (s = 0; list != NULL && s < ACCESS_SHIFTS; s++) {
		access_clock_format(sh[s].starts, starts);
		access_clock_format(sh[s].ends, ends);
		row = json_pack("{s:i, s:s, s:s}", "shift", sh[s].shift,
		                "starts", starts, "ends", ends);
		if (row == NULL || json_array_append_new(list, row) == -1) {
			json_decref(list);
			return NULL;
		}
	}
	return list;
}

/* Appends one {keys[0]: col 0, ...} row per result row of `st` to list;
 * 'i' columns are integers, 't' text. */
static int
rows_json(struct store *db, struct store_stmt *st, const char *what,
          const char *const *keys, const char *types, json_t *list)
{
	json_t *row, *v;
	size_t c;
	int rc;

	if (st == NULL)
		return failed(db, what);
	while ((rc = store_step(st)) == STORE_ROW) {
		if ((row = json_object()) == NULL ||
		    json_array_append_new(list, row) == -1)
			break;
		for (c = 0; types[c] != '\0'; c++) {
			v = types[c] == 'i'
			            ? json_integer(store_col_int(st, (int)c))
			            : json_string(store_col_text(st, (int)c));
			if (json_object_set_new(row, keys[c], v) == -1)
				break;
		}
		if (types[c] != '\0')
			break;
	}
	store_reset(st);
	return rc == STORE_DONE ? ACCESS_OK : failed(db, what);
}

/* The school's staff who may be on duty: [{id, user, role}] by login. */
static int
staff_json(struct store *db, int64_t school_id, json_t *list)
{
	static const char *const keys[] = {"id", "user", "role"};

	return rows_json(
	        db,
	        store_query(db,
	                    "SELECT u.id, u.login, u.role FROM users u "
	                    "JOIN user_schools us ON us.user_id = u.id "
	                    "WHERE " STAFF_WHERE "ORDER BY u.login",
	                    "i", school_id),
	        "staff", keys, "itt", list);
}

int
access_duty_json(struct store *db, int64_t school_id, const char *from,
                 const char *to, json_t **out)
{
	static const char *const keys[] = {"date", "shift", "user", "role"};
	struct access_shift sh[ACCESS_SHIFTS];
	int64_t now_ids[ACCESS_DUTY_NOW_MAX];
	json_t *obj = NULL, *entries, *staff, *on_duty, *row;
	size_t n = 0, i, k;
	int rc;

	*out = NULL;
	if (!range_ok(from, to))
		return ACCESS_INVALID;
	if ((rc = access_shifts_get(db, school_id, sh)) != ACCESS_OK ||
	    (rc = access_duty_at(db, school_id, (int64_t)time(NULL), now_ids,
	                         ACCESS_DUTY_NOW_MAX, &n)) != ACCESS_OK)
		return rc;
	obj = json_pack("{s:s, s:s, s:o, s:[], s:[], s:[]}", "from", from, "to",
	                to, "shifts", shifts_json(sh), "entries", "staff",
	                "on_duty");
	if (obj == NULL)
		return ACCESS_ERROR;
	entries = json_object_get(obj, "entries");
	staff = json_object_get(obj, "staff");
	on_duty = json_object_get(obj, "on_duty");
	rc = rows_json(db,
	               store_query(db,
	                           "SELECT r.on_date, r.shift, u.login, u.role "
	                           "FROM duty_roster r JOIN users u "
	                           "ON u.id = r.user_id WHERE r.school_id = ? "
	                           "AND r.on_date BETWEEN ? AND ? "
	                           "ORDER BY r.on_date, r.shift, u.login",
	                           "itt", school_id, from, to),
	               "roster", keys, "titt", entries);
	if (rc == ACCESS_OK)
		rc = staff_json(db, school_id, staff);
	/* Who is on duty now is a subset of the staff; the ids stay inside. */
	for (k = 0; rc == ACCESS_OK && k < json_array_size(staff); k++) {
		row = json_array_get(staff, k);
		for (i = 0; i < n; i++)
			if (json_integer_value(json_object_get(row, "id")) ==
			    now_ids[i])
				break;
		if (i < n &&
		    json_array_append_new(
		            on_duty,
		            json_pack("{s:O, s:O}", "user",
		                      json_object_get(row, "user"), "role",
		                      json_object_get(row, "role"))) == -1)
			rc = ACCESS_ERROR;
	}
	for (k = 0; rc == ACCESS_OK && k < json_array_size(staff); k++)
		json_object_del(json_array_get(staff, k), "id");
	if (rc != ACCESS_OK) {
		json_decref(obj);
		return rc;
	}
	*out = obj;
	return ACCESS_OK;
}

/* --- Editing the roster -------------------------------------------- */

/* One roster row: a date, a shift and a user. */
struct row {
	char date[ACCESS_DATE_SIZE];
	int shift;
	int64_t user;
	bool keep; /* existing rows: also in the new roster */
};

static int
audit_row(struct store *db, const struct principal *p, const char *action,
          int64_t school_id, const struct row *r)
{
	char object[ACCESS_DATE_SIZE + 8], detail[32];

	snprintf(object, sizeof(object), "%s/%d", r->date, r->shift);
	snprintf(detail, sizeof(detail), "user=%lld", (long long)r->user);
	return audit_record(db, p, action, school_id, "duty", object, detail) ==
	                       0
	               ? ACCESS_OK
	               : ACCESS_ERROR;
}

/* The id of `login` when they may be on duty at the school. */
static int
staff_id(struct store *db, int64_t school_id, const char *login, int64_t *id)
{
	int rc = store_query_int(
	        db, id,
	        "SELECT u.id FROM users u JOIN user_schools us "
	        "ON us.user_id = u.id WHERE " STAFF_WHERE "AND u.login = ?",
	        "it", school_id, login);

	if (rc == STORE_ROW)
		return ACCESS_OK;
	return rc == STORE_DONE ? ACCESS_NOT_FOUND : failed(db, "staff");
}

/* The rows of from..to now in the roster into *out (malloc'd). */
static int
existing_rows(struct store *db, int64_t school_id, const char *from,
              const char *to, struct row **out, size_t *n)
{
	struct row *rows = NULL, *grown;
	struct store_stmt *st;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	st = store_query(db,
	                 "SELECT on_date, shift, user_id FROM duty_roster "
	                 "WHERE school_id = ? AND on_date BETWEEN ? AND ?",
	                 "itt", school_id, from, to);
	if (st == NULL)
		return failed(db, "roster");
	while ((rc = store_step(st)) == STORE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((grown = realloc(rows, cap * sizeof(*rows))) ==
			    NULL) {
				rc = STORE_ERROR;
				break;
			}
			rows = grown;
		}
		memset(&rows[*n], 0, sizeof(rows[*n]));
		snprintf(rows[*n].date, sizeof(rows[*n].date), "%s",
		         store_col_text(st, 0));
		rows[*n].shift = (int)store_col_int(st, 1);
		rows[*n].user = store_col_int(st, 2);
		(*n)++;
	}
	store_reset(st);
	if (rc != STORE_DONE) {
		free(rows);
		*n = 0;
		return failed(db, "roster");
	}
	*out = rows;
	return ACCESS_OK;
}

/*
 * Checks the entries without the database: dates in from..to, shifts in
 * range, logins well-formed, at most ACCESS_DUTY_PER_SHIFT_MAX distinct
 * people per shift.  dup[i] is set for an entry equal to an earlier one.
 */
static int
check_entries(const char *from, const char *to,
              const struct access_duty_entry *e, size_t n, bool *dup,
              size_t *bad)
{
	size_t i, j, same;

	for (i = 0; i < n; i++) {
		*bad = i;
		if (!validate_date(e[i].date) || strcmp(e[i].date, from) < 0 ||
		    strcmp(e[i].date, to) > 0 || e[i].shift < 1 ||
		    e[i].shift > ACCESS_SHIFTS || !validate_login(e[i].user))
			return ACCESS_INVALID;
		dup[i] = false;
		same = 0;
		for (j = 0; j < i; j++) {
			if (dup[j] || e[j].shift != e[i].shift ||
			    strcmp(e[j].date, e[i].date) != 0)
				continue;
			if (strcmp(e[j].user, e[i].user) == 0)
				dup[i] = true;
			same++;
		}
		if (!dup[i] && same >= ACCESS_DUTY_PER_SHIFT_MAX)
			return ACCESS_INVALID;
	}
	*bad = SIZE_MAX;
	return ACCESS_OK;
}

static bool
shifts_ok(const struct access_shift *s, size_t n)
{
	bool seen[ACCESS_SHIFTS] = {false};
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i].shift < 1 || s[i].shift > ACCESS_SHIFTS ||
		    seen[s[i].shift - 1] || s[i].starts < 0 ||
		    s[i].starts >= 24 * 60 || s[i].ends < 0 ||
		    s[i].ends >= 24 * 60 || s[i].starts == s[i].ends)
			return false;
		seen[s[i].shift - 1] = true;
	}
	return true;
}

/* Writes the given shifts' times where they differ; audited. */
static int
set_shifts(struct store *db, const struct principal *p, int64_t school_id,
           const struct access_shift *s, size_t n)
{
	struct access_shift cur[ACCESS_SHIFTS];
	char starts[ACCESS_CLOCK_SIZE], ends[ACCESS_CLOCK_SIZE], detail[32];
	size_t i;
	int rc;

	if ((rc = access_shifts_get(db, school_id, cur)) != ACCESS_OK)
		return rc;
	for (i = 0; i < n; i++) {
		if (cur[s[i].shift - 1].starts == s[i].starts &&
		    cur[s[i].shift - 1].ends == s[i].ends)
			continue;
		access_clock_format(s[i].starts, starts);
		access_clock_format(s[i].ends, ends);
		if (store_execf(
		            db,
		            "INSERT INTO duty_shifts (school_id, shift, "
		            "starts, ends) VALUES (?, ?, ?, ?) "
		            "ON CONFLICT (school_id, shift) DO UPDATE SET "
		            "starts = excluded.starts, ends = excluded.ends",
		            "iitt", school_id, (int64_t)s[i].shift, starts,
		            ends) != STORE_OK)
			return failed(db, "set shift times");
		snprintf(detail, sizeof(detail), "starts=%s ends=%s", starts,
		         ends);
		if ((rc = access_audit(db, p, "duty.shifts", school_id,
		                       "duty_shift", s[i].shift, detail)) !=
		    ACCESS_OK)
			return rc;
	}
	return ACCESS_OK;
}

/*
 * Writes the difference between `old` (the rows of the range now) and the
 * entries: removes the old rows no entry names, adds the entries no old
 * row holds.  *bad gets the entry whose user is not staff.
 */
static int
apply_entries(struct store *db, const struct principal *p, int64_t school_id,
              const struct access_duty_entry *e, size_t n, const bool *dup,
              struct row *old, size_t nold, size_t *bad)
{
	char now[PEOPLE_TIME_MAX];
	struct row add;
	int64_t by = p != NULL && p->kind == PRINCIPAL_STAFF ? p->user_id : 0;
	size_t i, j;
	int rc = ACCESS_OK;

	people_now(now);
	for (i = 0; i < n && rc == ACCESS_OK; i++) {
		if (dup[i])
			continue;
		memset(&add, 0, sizeof(add));
		if ((rc = staff_id(db, school_id, e[i].user, &add.user)) !=
		    ACCESS_OK) {
			if (rc == ACCESS_NOT_FOUND)
				*bad = i;
			break;
		}
		snprintf(add.date, sizeof(add.date), "%s", e[i].date);
		add.shift = e[i].shift;
		for (j = 0; j < nold; j++)
			if (old[j].user == add.user &&
			    old[j].shift == add.shift &&
			    strcmp(old[j].date, add.date) == 0)
				break;
		if (j < nold) {
			old[j].keep = true;
			continue;
		}
		if (store_execf(db,
		                "INSERT INTO duty_roster (school_id, on_date, "
		                "shift, user_id, assigned_by, assigned_at) "
		                "VALUES (?, ?, ?, ?, NULLIF(?, 0), ?)",
		                "itiiit", school_id, add.date,
		                (int64_t)add.shift, add.user, by,
		                now) != STORE_OK)
			rc = failed(db, "roster add");
		else
			rc = audit_row(db, p, "duty.add", school_id, &add);
	}
	for (j = 0; j < nold && rc == ACCESS_OK; j++) {
		if (old[j].keep)
			continue;
		if (store_execf(db,
		                "DELETE FROM duty_roster WHERE school_id = ? "
		                "AND on_date = ? AND shift = ? AND user_id = ?",
		                "itii", school_id, old[j].date,
		                (int64_t)old[j].shift, old[j].user) != STORE_OK)
			rc = failed(db, "roster remove");
		else
			rc = audit_row(db, p, "duty.remove", school_id,
			               &old[j]);
	}
	return rc;
}

int
access_duty_set(struct store *db, const struct principal *p, int64_t school_id,
                const char *from, const char *to,
                const struct access_duty_entry *entries, size_t n,
                const struct access_shift *shifts, size_t nshifts, size_t *bad)
{
	struct row *old = NULL;
	size_t nold = 0, ignored;
	bool *dup = NULL, own;
	int rc;

	if (bad == NULL)
		bad = &ignored;
	*bad = SIZE_MAX;
	if (!range_ok(from, to) || n > ACCESS_DUTY_ENTRIES_MAX ||
	    (entries == NULL && n > 0) || (shifts == NULL && nshifts > 0) ||
	    !shifts_ok(shifts, nshifts))
		return ACCESS_INVALID;
	if (n > 0 && (dup = calloc(n, sizeof(*dup))) == NULL)
		return ACCESS_ERROR;
	if ((rc = check_entries(from, to, entries, n, dup, bad)) != ACCESS_OK) {
		free(dup);
		return rc;
	}
	if ((rc = access_txn_begin(db, "duty", &own)) != ACCESS_OK) {
		free(dup);
		return rc;
	}
	rc = existing_rows(db, school_id, from, to, &old, &nold);
	if (rc == ACCESS_OK)
		rc = apply_entries(db, p, school_id, entries, n, dup, old, nold,
		                   bad);
	if (rc == ACCESS_OK && nshifts > 0)
		rc = set_shifts(db, p, school_id, shifts, nshifts);
	free(old);
	free(dup);
	return access_txn_end(db, "duty", own, rc);
}
