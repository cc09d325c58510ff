/*
 * The school calendar in the database (school_calendars, holidays; see
 * 0006_attendance_calendar.sql): loading it for a range of days, its read
 * model, and its changes, each audited in the transaction that makes it.
 *
 * Watch for: a school without a row has the defaults, so a read never
 * needs a write first.  Holidays are kept as local YYYY-MM-DD text, which
 * compares as dates; a range touches days first..last when it starts on or
 * before last and ends on or after first.
 */
#include "access/attendance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/audit.h"
#include "core/log.h"
#include "people/people.h"

static int
db_fail(struct store *db, const char *what)
{
	log_warnx("attendance: %s: %s", what, store_errmsg(db));
	return ATTENDANCE_ERROR;
}

static int
txn_begin(struct store *db, bool *own)
{
	*own = !store_in_transaction(db);
	if (*own && store_begin(db) != STORE_OK)
		return db_fail(db, "begin");
	return ATTENDANCE_OK;
}

/* Commits (rc OK) or rolls back what txn_begin() began; returns rc. */
static int
txn_end(struct store *db, bool own, int rc)
{
	if (!own)
		return rc;
	if (rc != ATTENDANCE_OK) {
		store_rollback(db);
		return rc;
	}
	if (store_commit(db) != STORE_OK)
		return db_fail(db, "commit");
	return ATTENDANCE_OK;
}

/* The school's settings into cal (defaults when it has no row). */
static int
settings_load(struct store *db, int64_t school_id,
              struct attendance_calendar *cal)
{
	struct store_stmt *st;
	int rc, i;

	st = store_query(db,
	                 "SELECT utc_offset_min, week_days, shift1_end, "
	                 "shift2_end, shift3_end FROM school_calendars "
	                 "WHERE school_id = ?",
	                 "i", school_id);
	if (st == NULL)
		return db_fail(db, "calendar");
	rc = store_step(st);
	if (rc == STORE_ROW) {
		cal->offset_min = (int)store_col_int(st, 0);
		cal->week_days = (int)store_col_int(st, 1);
		for (i = 0; i < ATTENDANCE_SHIFTS; i++) {
			int end = attendance_hhmm(store_col_text(st, 2 + i));

			if (end >= 0)
				cal->shift_end[i] = end;
		}
	}
	store_reset(st);
	return rc == STORE_ROW || rc == STORE_DONE ? ATTENDANCE_OK
	                                           : db_fail(db, "calendar");
}

static int
holiday_push(struct attendance_calendar *cal, int64_t first, int64_t last,
             const char *name)
{
	struct attendance_holiday *h;

	h = realloc(cal->holidays, (cal->nholidays + 1) * sizeof(*h));
	if (h == NULL)
		return -1;
	cal->holidays = h;
	h += cal->nholidays;
	if ((h->name = strdup(name)) == NULL)
		return -1;
	h->first = first;
	h->last = last;
	cal->nholidays++;
	return 0;
}

int
attendance_calendar_load(struct store *db, int64_t school_id, int64_t first,
                         int64_t last, struct attendance_calendar *cal)
{
	char lo[ATTENDANCE_DATE_SIZE], hi[ATTENDANCE_DATE_SIZE];
	struct store_stmt *st;
	int rc;

	attendance_calendar_default(cal, (int64_t)time(NULL));
	if (settings_load(db, school_id, cal) != ATTENDANCE_OK)
		return ATTENDANCE_ERROR;
	/* The offset may differ from the default's: today again. */
	cal->today = attendance_local_day(cal, (int64_t)time(NULL));
	attendance_day_date(first, lo);
	attendance_day_date(last, hi);
	st = store_query(
	        db,
	        "SELECT h.first_day, h.last_day, h.name FROM holidays h "
	        "JOIN schools s ON s.id = ? "
	        "WHERE (h.school_id = s.id OR "
	        "(h.region_id IS NOT NULL AND "
	        "h.region_id = s.region_id)) "
	        "AND h.first_day <= ? AND h.last_day >= ? "
	        "ORDER BY h.first_day, h.id",
	        "itt", school_id, hi, lo);
	if (st == NULL)
		return db_fail(db, "holidays");
	while ((rc = store_step(st)) == STORE_ROW) {
		int64_t a, b;

		if (attendance_date_day(store_col_text(st, 0), &a) == -1 ||
		    attendance_date_day(store_col_text(st, 1), &b) == -1) {
			log_warnx("attendance: a holiday with a bad date");
			continue;
		}
		if (holiday_push(cal, a, b, store_col_text(st, 2)) == -1) {
			store_reset(st);
			attendance_calendar_free(cal);
			return ATTENDANCE_ERROR;
		}
	}
	store_reset(st);
	if (rc != STORE_DONE) {
		attendance_calendar_free(cal);
		return db_fail(db, "holidays");
	}
	return ATTENDANCE_OK;
}

int
attendance_today(struct store *db, int64_t school_id,
                 char out[ATTENDANCE_DATE_SIZE])
{
	struct attendance_calendar cal;

	attendance_calendar_default(&cal, (int64_t)time(NULL));
	if (settings_load(db, school_id, &cal) != ATTENDANCE_OK)
		return ATTENDANCE_ERROR;
	attendance_day_date(attendance_local_day(&cal, (int64_t)time(NULL)),
	                    out);
	return ATTENDANCE_OK;
}

static void
hhmm_format(int minutes, char out[6])
{
	unsigned m = (unsigned)minutes % (24u * 60u);

	snprintf(out, 6, "%02u:%02u", m / 60u, m % 60u);
}

int
attendance_calendar_get(struct store *db, int64_t school_id, json_t **out)
{
	struct attendance_calendar cal;
	char ends[ATTENDANCE_SHIFTS][6];
	struct store_stmt *st;
	json_t *holidays, *region = json_null(), *h;
	int rc, i;

	*out = NULL;
	attendance_calendar_default(&cal, (int64_t)time(NULL));
	if (settings_load(db, school_id, &cal) != ATTENDANCE_OK)
		return ATTENDANCE_ERROR;
	for (i = 0; i < ATTENDANCE_SHIFTS; i++)
		hhmm_format(cal.shift_end[i], ends[i]);
	st = store_query(db,
	                 "SELECT r.code FROM schools s "
	                 "JOIN regions r ON r.id = s.region_id "
	                 "WHERE s.id = ?",
	                 "i", school_id);
	if (st == NULL)
		return db_fail(db, "region");
	rc = store_step(st);
	if (rc == STORE_ROW)
		region = json_string(store_col_text(st, 0));
	store_reset(st);
	if (rc != STORE_ROW && rc != STORE_DONE)
		return db_fail(db, "region");
	if ((holidays = json_array()) == NULL) {
		json_decref(region);
		return ATTENDANCE_ERROR;
	}
	st = store_query(db,
	                 "SELECT h.id, h.first_day, h.last_day, h.name, "
	                 "h.region_id IS NOT NULL FROM holidays h "
	                 "JOIN schools s ON s.id = ? "
	                 "WHERE h.school_id = s.id OR "
	                 "(h.region_id IS NOT NULL AND "
	                 "h.region_id = s.region_id) "
	                 "ORDER BY h.first_day, h.id",
	                 "i", school_id);
	if (st == NULL) {
		json_decref(region);
		json_decref(holidays);
		return db_fail(db, "holidays");
	}
	while ((rc = store_step(st)) == STORE_ROW) {
		h = json_pack("{s:I, s:s, s:s, s:s, s:s}", "id",
		              (json_int_t)store_col_int(st, 0), "first_day",
		              store_col_text(st, 1), "last_day",
		              store_col_text(st, 2), "name",
		              store_col_text(st, 3), "scope",
		              store_col_int(st, 4) ? "region" : "school");
		if (h == NULL || json_array_append_new(holidays, h) == -1)
			break;
	}
	store_reset(st);
	if (rc != STORE_DONE) {
		json_decref(region);
		json_decref(holidays);
		return db_fail(db, "holidays");
	}
	*out = json_pack("{s:i, s:i, s:s, s:s, s:s, s:o, s:o}",
	                 "utc_offset_minutes", cal.offset_min, "week_days",
	                 cal.week_days, "shift1_end", ends[0], "shift2_end",
	                 ends[1], "shift3_end", ends[2], "region", region,
	                 "holidays", holidays);
	return *out != NULL ? ATTENDANCE_OK : ATTENDANCE_ERROR;
}

static int
audit(struct store *db, const struct principal *p, const char *action,
      int64_t school_id, int64_t id, const char *detail)
{
	char object[24];

	snprintf(object, sizeof(object), "%lld", (long long)id);
	if (audit_record(db, p, action, school_id,
	                 strcmp(action, "calendar.set") == 0 ? "school"
	                                                     : "holiday",
	                 object, detail) != 0)
		return db_fail(db, "audit");
	return ATTENDANCE_OK;
}

int
attendance_calendar_set(struct store *db, const struct principal *p,
                        int64_t school_id, const struct attendance_settings *s)
{
	char now[PEOPLE_TIME_MAX], ends[ATTENDANCE_SHIFTS][6], detail[80];
	bool own;
	int rc, i;

	if (attendance_settings_invalid(s) != NULL)
		return ATTENDANCE_INVALID;
	for (i = 0; i < ATTENDANCE_SHIFTS; i++)
		hhmm_format(s->shift_end[i], ends[i]);
	people_now(now);
	if (txn_begin(db, &own) != ATTENDANCE_OK)
		return ATTENDANCE_ERROR;
	rc = store_execf(db,
	                 "INSERT INTO school_calendars (school_id, "
	                 "utc_offset_min, week_days, shift1_end, shift2_end, "
	                 "shift3_end, updated_at, updated_by) "
	                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
	                 "ON CONFLICT (school_id) DO UPDATE SET "
	                 "utc_offset_min = excluded.utc_offset_min, "
	                 "week_days = excluded.week_days, "
	                 "shift1_end = excluded.shift1_end, "
	                 "shift2_end = excluded.shift2_end, "
	                 "shift3_end = excluded.shift3_end, "
	                 "updated_at = excluded.updated_at, "
	                 "updated_by = excluded.updated_by",
	                 p != NULL && p->user_id > 0 ? "iiitttti" : "iiittttn",
	                 school_id, (int64_t)s->offset_min,
	                 (int64_t)s->week_days, ends[0], ends[1], ends[2], now,
	                 p != NULL ? p->user_id : 0);
	if (rc != STORE_OK) {
		db_fail(db, "calendar set");
		return txn_end(db, own, ATTENDANCE_ERROR);
	}
	snprintf(detail, sizeof(detail), "offset=%d week=%d ends=%s,%s,%s",
	         s->offset_min, s->week_days, ends[0], ends[1], ends[2]);
	return txn_end(
	        db, own,
	        audit(db, p, "calendar.set", school_id, school_id, detail));
}

/* The school's region id, 0 when it has none. */
static int
school_region(struct store *db, int64_t school_id, int64_t *region)
{
	int rc = store_query_int(db, region,
	                         "SELECT coalesce(region_id, 0) FROM schools "
	                         "WHERE id = ?",
	                         "i", school_id);

	if (rc == STORE_DONE)
		return ATTENDANCE_NOT_FOUND;
	return rc == STORE_ROW ? ATTENDANCE_OK : db_fail(db, "school");
}

int
attendance_holiday_add(struct store *db, const struct principal *p,
                       int64_t school_id, bool region_wide,
                       const char *first_day, const char *last_day,
                       const char *name, int64_t *id)
{
	char now[PEOPLE_TIME_MAX];
	int64_t region = 0, count = 0, owner;
	bool own;
	int rc;

	if (attendance_holiday_invalid(first_day, last_day, name) != NULL)
		return ATTENDANCE_INVALID;
	if ((rc = school_region(db, school_id, &region)) != ATTENDANCE_OK)
		return rc;
	if (region_wide && region == 0)
		return ATTENDANCE_NOT_FOUND;
	owner = region_wide ? region : school_id;
	people_now(now);
	if (txn_begin(db, &own) != ATTENDANCE_OK)
		return ATTENDANCE_ERROR;
	rc = store_query_int(db, &count,
	                     region_wide ? "SELECT count(*) FROM holidays "
	                                   "WHERE region_id = ?"
	                                 : "SELECT count(*) FROM holidays "
	                                   "WHERE school_id = ?",
	                     "i", owner);
	if (rc != STORE_ROW) {
		db_fail(db, "holidays");
		return txn_end(db, own, ATTENDANCE_ERROR);
	}
	if (count >= ATTENDANCE_HOLIDAYS_MAX)
		return txn_end(db, own, ATTENDANCE_FULL);
	rc = store_query_int(
	        db, id,
	        "INSERT INTO holidays (school_id, region_id, first_day, "
	        "last_day, name, created_at, created_by) "
	        "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
	        region_wide
	                ? (p != NULL && p->user_id > 0 ? "nitttti" : "nittttn")
	                : (p != NULL && p->user_id > 0 ? "intttti" : "inttttn"),
	        owner, first_day, last_day, name, now,
	        p != NULL ? p->user_id : 0);
	if (rc != STORE_ROW) {
		db_fail(db, "holiday add");
		return txn_end(db, own, ATTENDANCE_ERROR);
	}
	return txn_end(db, own,
	               audit(db, p, "calendar.holiday.add", school_id, *id,
	                     region_wide ? "scope=region" : "scope=school"));
}

int
attendance_holiday_scope(struct store *db, int64_t school_id, int64_t id)
{
	int64_t region_wide;
	int rc;

	rc = store_query_int(db, &region_wide,
	                     "SELECT h.region_id IS NOT NULL FROM holidays h "
	                     "JOIN schools s ON s.id = ? "
	                     "WHERE h.id = ? AND (h.school_id = s.id OR "
	                     "(h.region_id IS NOT NULL AND "
	                     "h.region_id = s.region_id))",
	                     "ii", school_id, id);
	if (rc == STORE_DONE)
		return ATTENDANCE_NOT_FOUND;
	if (rc != STORE_ROW)
		return db_fail(db, "holiday");
	return region_wide != 0;
}

int
attendance_holiday_delete(struct store *db, const struct principal *p,
                          int64_t school_id, int64_t id)
{
	bool own;
	int scope;

	if (txn_begin(db, &own) != ATTENDANCE_OK)
		return ATTENDANCE_ERROR;
	scope = attendance_holiday_scope(db, school_id, id);
	if (scope < 0)
		return txn_end(db, own, scope);
	if (store_execf(db, "DELETE FROM holidays WHERE id = ?", "i", id) !=
	    STORE_OK) {
		db_fail(db, "holiday delete");
		return txn_end(db, own, ATTENDANCE_ERROR);
	}
	return txn_end(db, own,
	               audit(db, p, "calendar.holiday.delete", school_id, id,
	                     scope ? "scope=region" : "scope=school"));
}
