/*
 * The duty roster and the staff alert fan-out (duty.c): who is on duty at
 * the edges of each shift (start inclusive, end exclusive, the night shift
 * over midnight belonging to the date it starts on, in the school's clock,
 * UTC+5 by default), editing a range (only the difference is written and
 * audited; bad entries write nothing), and where an alert goes with and
 * without anyone on duty.  Users are inserted straight into the tables:
 * hashing a password per user would only slow the tests down.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "access/access.h"
#include "access/attendance.h"
#include "notify/notify.h"
#include "people/people.h"
#include "../testdb.h"
#include "fixture.h"

#define NOW "2025-02-03T08:00:00Z"

struct fixture {
	struct testdb t;
	struct store *db;
	int64_t school_a, school_b;
	int64_t director, deputy1, deputy2, security, teacher, police, other;
	struct principal editor;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL || (f->db = testdb_open(&f->t)) == NULL)
		return -1;
	if (people_school_add(f->db, NULL, "sch-a", "A", NULL, NULL,
	                      &f->school_a) != PEOPLE_OK ||
	    people_school_add(f->db, NULL, "sch-b", "B", NULL, NULL,
	                      &f->school_b) != PEOPLE_OK)
		return -1;
	f->director =
	        fixture_add_user(f->db, "director-a", "director", f->school_a);
	f->deputy1 = fixture_add_user(f->db, "deputy-1", "deputy", f->school_a);
	f->deputy2 = fixture_add_user(f->db, "deputy-2", "deputy", f->school_a);
	f->security =
	        fixture_add_user(f->db, "security-a", "security", f->school_a);
	f->teacher = fixture_add_user(f->db, "teacher-a", "class_teacher",
	                              f->school_a);
	f->police = fixture_add_user(f->db, "police-a", "police_inspector",
	                             f->school_a);
	f->other =
	        fixture_add_user(f->db, "director-b", "director", f->school_b);
	f->editor.kind = PRINCIPAL_STAFF;
	f->editor.role = ROLE_DIRECTOR;
	f->editor.user_id = f->director;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	testdb_close(&f->t);
	free(f);
	return 0;
}

static int64_t
at(const char *rfc3339)
{
	int64_t t = 0;

	assert_int_equal(access_time_parse(rfc3339, &t), 0);
	return t;
}

/* The one user on duty at `when` (0 for nobody; fails for several). */
static int64_t
on_duty(struct fixture *f, const char *when)
{
	int64_t users[ACCESS_DUTY_NOW_MAX];
	size_t n = 99;

	assert_int_equal(access_duty_at(f->db, f->school_a, at(when), users,
	                                ACCESS_DUTY_NOW_MAX, &n),
	                 ACCESS_OK);
	assert_true(n <= 1);
	return n == 1 ? users[0] : 0;
}

static int
set(struct fixture *f, const char *from, const char *to,
    const struct access_duty_entry *e, size_t n, size_t *bad)
{
	return access_duty_set(f->db, &f->editor, f->school_a, from, to, e, n,
	                       NULL, 0, bad);
}

static int64_t
count(struct fixture *f, const char *sql)
{
	return fixture_count(f->db, sql);
}

static void
test_clock(void **state)
{
	char out[ACCESS_CLOCK_SIZE];

	(void)state;
	assert_int_equal(access_clock_parse("00:00"), 0);
	assert_int_equal(access_clock_parse("07:30"), 450);
	assert_int_equal(access_clock_parse("23:59"), 1439);
	assert_int_equal(access_clock_parse("24:00"), -1);
	assert_int_equal(access_clock_parse("7:30"), -1);
	assert_int_equal(access_clock_parse("07:60"), -1);
	assert_int_equal(access_clock_parse(NULL), -1);
	assert_false(access_clock_valid("07:30 "));
	access_clock_format(1140, out);
	assert_string_equal(out, "19:00");
	access_clock_format(5, out);
	assert_string_equal(out, "00:05");
}

static void
test_default_shifts(void **state)
{
	struct fixture *f = *state;
	struct access_shift sh[ACCESS_SHIFTS];
	int minute, covered, s;

	assert_int_equal(access_shifts_get(f->db, f->school_a, sh), ACCESS_OK);
	assert_int_equal(sh[0].starts, 7 * 60 + 30);
	assert_int_equal(sh[1].starts, sh[0].ends);
	assert_int_equal(sh[2].starts, sh[1].ends);
	assert_int_equal(sh[2].ends, sh[0].starts);
	/* Every minute of the day belongs to exactly one default shift. */
	for (minute = 0; minute < 24 * 60; minute++) {
		covered = 0;
		for (s = 0; s < ACCESS_SHIFTS; s++)
			if (sh[s].starts < sh[s].ends
			            ? minute >= sh[s].starts &&
			                      minute < sh[s].ends
			            : minute >= sh[s].starts ||
			                      minute < sh[s].ends)
				covered++;
		assert_int_equal(covered, 1);
	}
}

/* deputy-1 on shift 1, deputy-2 on shift 2, security on shift 3 of
 * 2025-02-03, in the school's clock (UTC+5). */
static void
test_shift_boundaries(void **state)
{
	struct fixture *f = *state;
	const struct access_duty_entry e[] = {
	        {"2025-02-03", 1, "deputy-1"},
	        {"2025-02-03", 2, "deputy-2"},
	        {"2025-02-03", 3, "security-a"},
	};

	assert_int_equal(set(f, "2025-02-03", "2025-02-03", e, 3, NULL),
	                 ACCESS_OK);
	/* The night shift of the 2nd has nobody. */
	assert_int_equal(on_duty(f, "2025-02-03T07:29:59+05:00"), 0);
	assert_int_equal(on_duty(f, "2025-02-03T07:30:00+05:00"), f->deputy1);
	assert_int_equal(on_duty(f, "2025-02-03T13:29:59+05:00"), f->deputy1);
	assert_int_equal(on_duty(f, "2025-02-03T13:30:00+05:00"), f->deputy2);
	assert_int_equal(on_duty(f, "2025-02-03T18:59:59+05:00"), f->deputy2);
	assert_int_equal(on_duty(f, "2025-02-03T19:00:00+05:00"), f->security);
	/* Over midnight: still the 3rd's night shift ... */
	assert_int_equal(on_duty(f, "2025-02-04T00:00:00+05:00"), f->security);
	assert_int_equal(on_duty(f, "2025-02-04T07:29:59+05:00"), f->security);
	/* ... until the 4th's first shift, which has nobody. */
	assert_int_equal(on_duty(f, "2025-02-04T07:30:00+05:00"), 0);
	/* The same instant in UTC: 02:30Z is 07:30 at the school. */
	assert_int_equal(on_duty(f, "2025-02-03T02:30:00Z"), f->deputy1);
	assert_int_equal(on_duty(f, "2025-02-03T02:29:59Z"), 0);

	/* Someone disabled is nobody's duty. */
	assert_int_equal(auth_user_set_disabled(f->db, f->deputy1, true), 0);
	assert_int_equal(on_duty(f, "2025-02-03T08:00:00+05:00"), 0);
	assert_int_equal(auth_user_set_disabled(f->db, f->deputy1, false), 0);
	/* Someone no longer bound to the school likewise. */
	assert_int_equal(store_execf(f->db,
	                             "DELETE FROM user_schools WHERE "
	                             "user_id = ?",
	                             "i", f->deputy2),
	                 STORE_OK);
	assert_int_equal(on_duty(f, "2025-02-03T14:00:00+05:00"), 0);
}

static void
test_custom_shifts(void **state)
{
	struct fixture *f = *state;
	const struct access_duty_entry e[] = {
	        {"2025-02-03", 1, "deputy-1"},
	        {"2025-02-03", 3, "security-a"},
	};
	const struct access_shift bad[] = {{1, 480, 480}};
	const struct access_shift twice[] = {{1, 480, 720}, {1, 500, 720}};
	struct access_shift sh[] = {{1, 8 * 60, 12 * 60}, {3, 22 * 60, 6 * 60}};
	struct access_shift got[ACCESS_SHIFTS];

	assert_int_equal(access_duty_set(f->db, &f->editor, f->school_a,
	                                 "2025-02-03", "2025-02-03", e, 2, sh,
	                                 2, NULL),
	                 ACCESS_OK);
	assert_int_equal(access_shifts_get(f->db, f->school_a, got), ACCESS_OK);
	assert_int_equal(got[0].starts, 480);
	assert_int_equal(got[0].ends, 720);
	assert_int_equal(got[1].starts, ACCESS_SHIFT2_STARTS); /* default */
	assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE "
	                          "action = 'duty.shifts'"),
	                 2);
	assert_int_equal(on_duty(f, "2025-02-03T07:59:59+05:00"), 0);
	assert_int_equal(on_duty(f, "2025-02-03T08:00:00+05:00"), f->deputy1);
	assert_int_equal(on_duty(f, "2025-02-03T12:00:00+05:00"), 0);
	assert_int_equal(on_duty(f, "2025-02-03T21:59:59+05:00"), 0);
	assert_int_equal(on_duty(f, "2025-02-04T05:59:59+05:00"), f->security);
	assert_int_equal(on_duty(f, "2025-02-04T06:00:00+05:00"), 0);
	/* The same times again change nothing and audit nothing. */
	assert_int_equal(access_duty_set(f->db, &f->editor, f->school_a,
	                                 "2025-02-03", "2025-02-03", e, 2, sh,
	                                 2, NULL),
	                 ACCESS_OK);
	assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE "
	                          "action = 'duty.shifts'"),
	                 2);
	assert_int_equal(access_duty_set(f->db, &f->editor, f->school_a,
	                                 "2025-02-03", "2025-02-03", e, 2, bad,
	                                 1, NULL),
	                 ACCESS_INVALID);
	assert_int_equal(access_duty_set(f->db, &f->editor, f->school_a,
	                                 "2025-02-03", "2025-02-03", e, 2,
	                                 twice, 2, NULL),
	                 ACCESS_INVALID);
	/* The school's clock moves the shifts with it. */
	assert_int_equal(store_execf(f->db,
	                             "INSERT INTO school_calendars (school_id, "
	                             "utc_offset_min, updated_at) "
	                             "VALUES (?, 0, ?)",
	                             "it", f->school_a, NOW),
	                 STORE_OK);
	assert_int_equal(on_duty(f, "2025-02-03T08:00:00Z"), f->deputy1);
	assert_int_equal(on_duty(f, "2025-02-03T08:00:00+05:00"), 0);
}

static void
test_edit_range(void **state)
{
	struct fixture *f = *state;
	const struct access_duty_entry week[] = {
	        {"2025-02-03", 1, "deputy-1"},   {"2025-02-03", 1, "teacher-a"},
	        {"2025-02-04", 2, "deputy-2"},   {"2025-02-04", 2, "deputy-2"},
	        {"2025-02-05", 3, "security-a"},
	};
	const struct access_duty_entry changed[] = {
	        {"2025-02-03", 1, "deputy-1"},
	        {"2025-02-05", 3, "deputy-2"},
	};
	const struct access_duty_entry outside[] = {
	        {"2025-02-03", 1, "deputy-1"},
	        {"2025-02-10", 1, "deputy-1"},
	};
	const struct access_duty_entry stranger[] = {
	        {"2025-02-03", 1, "deputy-1"},
	        {"2025-02-03", 2, "director-b"},
	};
	const struct access_duty_entry police[] = {
	        {"2025-02-03", 1, "police-a"},
	};
	const struct access_duty_entry crowd[] = {
	        {"2025-02-03", 2, "deputy-1"},
	        {"2025-02-03", 2, "deputy-2"},
	        {"2025-02-03", 2, "teacher-a"},
	        {"2025-02-03", 2, "director-a"},
	        {"2025-02-03", 2, "security-a"},
	};
	const struct access_duty_entry bad_shift[] = {
	        {"2025-02-03", 4, "deputy-1"},
	};
	size_t bad = 0;

	assert_int_equal(set(f, "2025-02-03", "2025-02-09", week, 5, &bad),
	                 ACCESS_OK);
	assert_int_equal(bad, SIZE_MAX);
	/* The repeated entry counts once. */
	assert_int_equal(count(f, "SELECT count(*) FROM duty_roster"), 4);
	assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE "
	                          "action = 'duty.add'"),
	                 4);
	assert_int_equal(count(f, "SELECT count(*) FROM duty_roster WHERE "
	                          "assigned_by IS NOT NULL"),
	                 4);
	/* Saving it unchanged writes and audits nothing. */
	assert_int_equal(set(f, "2025-02-03", "2025-02-09", week, 5, &bad),
	                 ACCESS_OK);
	assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE "
	                          "action LIKE 'duty.%'"),
	                 4);
	/* Only the difference: two removed, one added, one kept. */
	assert_int_equal(set(f, "2025-02-03", "2025-02-09", changed, 2, &bad),
	                 ACCESS_OK);
	assert_int_equal(count(f, "SELECT count(*) FROM duty_roster"), 2);
	assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE "
	                          "action = 'duty.remove'"),
	                 3);
	assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE "
	                          "action = 'duty.add'"),
	                 5);
	assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE "
	                          "action = 'duty.add' AND object_id = "
	                          "'2025-02-05/3'"),
	                 2);
	/* A range outside leaves what is inside it alone, and the reverse. */
	assert_int_equal(set(f, "2025-02-10", "2025-02-10", NULL, 0, &bad),
	                 ACCESS_OK);
	assert_int_equal(count(f, "SELECT count(*) FROM duty_roster"), 2);

	/* Refusals write nothing and say which entry. */
	assert_int_equal(set(f, "2025-02-03", "2025-02-09", outside, 2, &bad),
	                 ACCESS_INVALID);
	assert_int_equal(bad, 1);
	assert_int_equal(set(f, "2025-02-03", "2025-02-09", stranger, 2, &bad),
	                 ACCESS_NOT_FOUND);
	assert_int_equal(bad, 1);
	assert_int_equal(set(f, "2025-02-03", "2025-02-09", police, 1, &bad),
	                 ACCESS_NOT_FOUND);
	assert_int_equal(bad, 0);
	assert_int_equal(set(f, "2025-02-03", "2025-02-09", crowd, 5, &bad),
	                 ACCESS_INVALID);
	assert_int_equal(bad, 4);
	assert_int_equal(set(f, "2025-02-03", "2025-02-09", crowd, 4, &bad),
	                 ACCESS_OK);
	assert_int_equal(count(f, "SELECT count(*) FROM duty_roster WHERE "
	                          "on_date = '2025-02-03' AND shift = 2"),
	                 4);
	assert_int_equal(set(f, "2025-02-03", "2025-02-09", bad_shift, 1, &bad),
	                 ACCESS_INVALID);
	assert_int_equal(bad, 0);
	assert_int_equal(count(f, "SELECT count(*) FROM duty_roster"), 4);
	/* Ranges: backwards, too long, not dates. */
	assert_int_equal(set(f, "2025-02-09", "2025-02-03", NULL, 0, NULL),
	                 ACCESS_INVALID);
	assert_int_equal(set(f, "2025-02-01", "2025-03-04", NULL, 0, NULL),
	                 ACCESS_INVALID);
	assert_int_equal(set(f, "2025-02-01", "2025-03-03", NULL, 0, NULL),
	                 ACCESS_OK);
	assert_int_equal(set(f, "2025-02-30", "2025-03-02", NULL, 0, NULL),
	                 ACCESS_INVALID);
	assert_int_equal(count(f, "SELECT count(*) FROM duty_roster"), 0);
	assert_true(access_duty_editor(&f->editor));
}

static void
test_json(void **state)
{
	struct fixture *f = *state;
	const struct access_duty_entry e[] = {
	        {"2025-02-04", 2, "deputy-2"},
	        {"2025-02-03", 1, "deputy-1"},
	};
	json_t *out = NULL, *entry, *staff;
	size_t i;

	assert_int_equal(set(f, "2025-02-03", "2025-02-09", e, 2, NULL),
	                 ACCESS_OK);
	assert_int_equal(access_duty_json(f->db, f->school_a, "2025-02-03",
	                                  "2025-02-09", &out),
	                 ACCESS_OK);
	assert_string_equal(json_string_value(json_object_get(out, "from")),
	                    "2025-02-03");
	assert_int_equal(json_array_size(json_object_get(out, "shifts")), 3);
	assert_string_equal(
	        json_string_value(json_object_get(
	                json_array_get(json_object_get(out, "shifts"), 2),
	                "ends")),
	        "07:30");
	assert_int_equal(json_array_size(json_object_get(out, "entries")), 2);
	entry = json_array_get(json_object_get(out, "entries"), 0);
	assert_string_equal(json_string_value(json_object_get(entry, "date")),
	                    "2025-02-03");
	assert_string_equal(json_string_value(json_object_get(entry, "user")),
	                    "deputy-1");
	assert_string_equal(json_string_value(json_object_get(entry, "role")),
	                    "deputy");
	/* Candidates: the school's staff, no police, no other school, no
	 * ids. */
	staff = json_object_get(out, "staff");
	assert_int_equal(json_array_size(staff), 5);
	for (i = 0; i < json_array_size(staff); i++) {
		assert_null(json_object_get(json_array_get(staff, i), "id"));
		assert_string_not_equal(
		        json_string_value(json_object_get(
		                json_array_get(staff, i), "user")),
		        "police-a");
	}
	assert_true(json_is_array(json_object_get(out, "on_duty")));
	json_decref(out);
	assert_int_equal(access_duty_json(f->db, f->school_a, "2025-02-03",
	                                  "2025-03-09", &out),
	                 ACCESS_INVALID);
	assert_null(out);
}

/* How many notices the user has. */
static int64_t
notices_to(struct fixture *f, int64_t user)
{
	int64_t n = -1;

	assert_int_equal(store_query_int(f->db, &n,
	                                 "SELECT count(*) FROM notices WHERE "
	                                 "user_id = ?",
	                                 "i", user),
	                 STORE_ROW);
	return n;
}

static int
alert_at(struct fixture *f, const char *key, const char *when)
{
	json_t *params = json_pack("{s:s}", "gate", "Main");
	int rc;

	assert_int_equal(store_begin(f->db), STORE_OK);
	rc = access_alert_staff_at(f->db, f->school_a, "alarm.forced", true,
	                           params, key, at(when));
	assert_int_equal(store_commit(f->db), STORE_OK);
	json_decref(params);
	return rc;
}

static void
test_alert_on_duty(void **state)
{
	struct fixture *f = *state;
	const struct access_duty_entry e[] = {
	        {"2025-02-03", 1, "deputy-1"},
	        {"2025-02-03", 1, "teacher-a"},
	};
	int64_t urgent = 0;

	assert_int_equal(set(f, "2025-02-03", "2025-02-03", e, 2, NULL),
	                 ACCESS_OK);
	assert_int_equal(alert_at(f, "alarm:1", "2025-02-03T09:00:00+05:00"),
	                 ACCESS_OK);
	/* Those on duty, and nobody else. */
	assert_int_equal(notices_to(f, f->deputy1), 1);
	assert_int_equal(notices_to(f, f->teacher), 1);
	assert_int_equal(notices_to(f, f->director), 0);
	assert_int_equal(notices_to(f, f->security), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM notices"), 2);
	assert_int_equal(store_query_int(f->db, &urgent,
	                                 "SELECT min(urgent) FROM notices", ""),
	                 STORE_ROW);
	assert_int_equal(urgent, 1);
	assert_int_equal(count(f, "SELECT count(*) FROM notices WHERE "
	                          "dedup_key LIKE 'alarm:1:u%' AND "
	                          "event = 'alarm.forced' AND params = "
	                          "'{\"gate\":\"Main\"}'"),
	                 2);
	/* The same key again: nothing new. */
	assert_int_equal(alert_at(f, "alarm:1", "2025-02-03T09:00:01+05:00"),
	                 ACCESS_OK);
	assert_int_equal(count(f, "SELECT count(*) FROM notices"), 2);
}

static void
test_alert_nobody_on_duty(void **state)
{
	struct fixture *f = *state;
	const struct access_duty_entry e[] = {
	        {"2025-02-03", 1, "deputy-1"},
	};

	assert_int_equal(set(f, "2025-02-03", "2025-02-03", e, 1, NULL),
	                 ACCESS_OK);
	/* Shift 2 has nobody: the director, both deputies and security. */
	assert_int_equal(alert_at(f, "alarm:2", "2025-02-03T14:00:00+05:00"),
	                 ACCESS_OK);
	assert_int_equal(notices_to(f, f->director), 1);
	assert_int_equal(notices_to(f, f->deputy1), 1);
	assert_int_equal(notices_to(f, f->deputy2), 1);
	assert_int_equal(notices_to(f, f->security), 1);
	assert_int_equal(notices_to(f, f->teacher), 0);
	assert_int_equal(notices_to(f, f->police), 0);
	assert_int_equal(notices_to(f, f->other), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM notices"), 4);
	/* Everyone on duty disabled is nobody on duty. */
	assert_int_equal(auth_user_set_disabled(f->db, f->deputy1, true), 0);
	assert_int_equal(alert_at(f, "alarm:3", "2025-02-03T09:00:00+05:00"),
	                 ACCESS_OK);
	assert_int_equal(count(f, "SELECT count(*) FROM notices WHERE "
	                          "dedup_key LIKE 'alarm:3:%'"),
	                 3);
}

static void
test_alert_now_and_refusals(void **state)
{
	struct fixture *f = *state;
	struct access_duty_entry e[6];
	char today[ATTENDANCE_DATE_SIZE], yesterday[ATTENDANCE_DATE_SIZE];
	char key[NOTIFY_KEY_MAX + 2];
	int64_t day;
	int s;

	/* deputy-2 on every shift of the school's yesterday and today:
	 * whatever the time, they are on duty now. */
	assert_int_equal(attendance_today(f->db, f->school_a, today),
	                 ATTENDANCE_OK);
	assert_int_equal(attendance_date_day(today, &day), 0);
	attendance_day_date(day - 1, yesterday);
	for (s = 0; s < 3; s++) {
		e[s] = (struct access_duty_entry){yesterday, s + 1, "deputy-2"};
		e[s + 3] = (struct access_duty_entry){today, s + 1, "deputy-2"};
	}
	assert_int_equal(set(f, yesterday, today, e, 6, NULL), ACCESS_OK);
	assert_int_equal(store_begin(f->db), STORE_OK);
	assert_int_equal(access_alert_staff(f->db, f->school_a, "emergency.on",
	                                    true, NULL, "emergency:1"),
	                 ACCESS_OK);
	/* Refused: a bad event, a bad or too long key, no school. */
	assert_int_equal(access_alert_staff(f->db, f->school_a, "Bad Event",
	                                    true, NULL, "k"),
	                 ACCESS_INVALID);
	assert_int_equal(access_alert_staff(f->db, f->school_a, "alarm.forced",
	                                    true, NULL, "a key"),
	                 ACCESS_INVALID);
	assert_int_equal(access_alert_staff(f->db, f->school_a, "alarm.forced",
	                                    true, NULL, ""),
	                 ACCESS_INVALID);
	memset(key, 'k', sizeof(key) - 1);
	key[sizeof(key) - 1] = '\0';
	assert_int_equal(access_alert_staff(f->db, f->school_a, "alarm.forced",
	                                    true, NULL, key),
	                 ACCESS_INVALID);
	assert_int_equal(
	        access_alert_staff(f->db, 0, "alarm.forced", true, NULL, "k"),
	        ACCESS_INVALID);
	assert_int_equal(store_commit(f->db), STORE_OK);
	assert_int_equal(notices_to(f, f->deputy2), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM notices"), 1);
	/* Outside a transaction: refused, nothing queued. */
	assert_int_equal(access_alert_staff(f->db, f->school_a, "emergency.on",
	                                    true, NULL, "emergency:2"),
	                 ACCESS_INVALID);
	assert_int_equal(count(f, "SELECT count(*) FROM notices"), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_clock),
	        cmocka_unit_test_setup_teardown(test_default_shifts, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_shift_boundaries, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_custom_shifts, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_edit_range, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_json, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_alert_on_duty, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_alert_nobody_on_duty,
	                                        setup, teardown),
	        cmocka_unit_test_setup_teardown(test_alert_now_and_refusals,
	                                        setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
