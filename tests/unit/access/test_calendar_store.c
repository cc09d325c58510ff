/*
 * The school calendar in the database (calendar_store.c): the defaults of
 * a school without a row, settings stored and audited, refused settings
 * writing nothing, holidays of the school and of its region loaded for a
 * range, their scope, deletion and limit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "access/attendance.h"
#include "people/people.h"
#include "../testdb.h"

struct fixture {
	struct testdb t;
	struct store *db;
	int64_t school, neighbour, elsewhere;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL || (f->db = testdb_open(&f->t)) == NULL)
		return -1;
	if (people_school_add(f->db, NULL, "sch-a", "A", "north", NULL,
	                      &f->school) != PEOPLE_OK ||
	    people_school_add(f->db, NULL, "sch-b", "B", "north", NULL,
	                      &f->neighbour) != PEOPLE_OK ||
	    people_school_add(f->db, NULL, "sch-c", "C", "south", NULL,
	                      &f->elsewhere) != PEOPLE_OK)
		return -1;
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
rows(struct fixture *f, const char *sql)
{
	int64_t n = -1;

	assert_int_equal(store_query_int(f->db, &n, sql, ""), STORE_ROW);
	return n;
}

static int64_t
day_of(const char *date)
{
	int64_t d = -1;

	assert_int_equal(attendance_date_day(date, &d), 0);
	return d;
}

static void
test_defaults_and_set(void **state)
{
	struct fixture *f = *state;
	struct attendance_settings s = {
	        360, 6, {12 * 60, 17 * 60 + 30, 19 * 60}};
	struct attendance_calendar cal;
	json_t *c = NULL;

	assert_int_equal(attendance_calendar_get(f->db, f->school, &c),
	                 ATTENDANCE_OK);
	assert_int_equal(
	        json_integer_value(json_object_get(c, "utc_offset_minutes")),
	        300);
	assert_int_equal(json_integer_value(json_object_get(c, "week_days")),
	                 5);
	assert_string_equal(json_string_value(json_object_get(c, "shift1_end")),
	                    "13:00");
	assert_string_equal(json_string_value(json_object_get(c, "region")),
	                    "north");
	assert_int_equal(json_array_size(json_object_get(c, "holidays")), 0);
	json_decref(c);

	assert_int_equal(attendance_calendar_set(f->db, NULL, f->school, &s),
	                 ATTENDANCE_OK);
	assert_int_equal(rows(f, "SELECT count(*) FROM audit_log WHERE "
	                         "action = 'calendar.set'"),
	                 1);
	/* Twice is an update, not a second row. */
	s.shift_end[0] = 12 * 60 + 45;
	assert_int_equal(attendance_calendar_set(f->db, NULL, f->school, &s),
	                 ATTENDANCE_OK);
	assert_int_equal(rows(f, "SELECT count(*) FROM school_calendars"), 1);
	assert_int_equal(attendance_calendar_load(f->db, f->school, 0, 0, &cal),
	                 ATTENDANCE_OK);
	assert_int_equal(cal.offset_min, 360);
	assert_int_equal(cal.week_days, 6);
	assert_int_equal(cal.shift_end[0], 12 * 60 + 45);
	assert_int_equal(cal.shift_end[1], 17 * 60 + 30);
	attendance_calendar_free(&cal);
	/* The neighbour keeps the defaults. */
	assert_int_equal(
	        attendance_calendar_load(f->db, f->neighbour, 0, 0, &cal),
	        ATTENDANCE_OK);
	assert_int_equal(cal.offset_min, ATTENDANCE_OFFSET_DEFAULT);
	attendance_calendar_free(&cal);

	/* A bad value writes nothing, not even an audit line. */
	s.week_days = 7;
	assert_int_equal(attendance_calendar_set(f->db, NULL, f->school, &s),
	                 ATTENDANCE_INVALID);
	assert_int_equal(rows(f, "SELECT count(*) FROM audit_log WHERE "
	                         "action = 'calendar.set'"),
	                 2);
	assert_int_equal(rows(f, "SELECT week_days FROM school_calendars"), 6);
}

static void
test_holidays(void **state)
{
	struct fixture *f = *state;
	struct attendance_calendar cal;
	int64_t own = 0, region = 0, other = 0;
	const char *name;
	json_t *c = NULL;

	assert_int_equal(attendance_holiday_add(f->db, NULL, f->school, false,
	                                        "2024-10-28", "2024-11-03",
	                                        "Autumn", &own),
	                 ATTENDANCE_OK);
	assert_int_equal(attendance_holiday_add(f->db, NULL, f->neighbour, true,
	                                        "2024-12-16", "2024-12-17",
	                                        "Independence", &region),
	                 ATTENDANCE_OK);
	assert_int_equal(attendance_holiday_add(f->db, NULL, f->elsewhere,
	                                        false, "2024-09-02",
	                                        "2024-09-02", "Theirs", &other),
	                 ATTENDANCE_OK);
	assert_int_equal(attendance_holiday_add(f->db, NULL, f->school, false,
	                                        "2024-09-03", "2024-09-02", "x",
	                                        &other),
	                 ATTENDANCE_INVALID);
	assert_int_equal(rows(f, "SELECT count(*) FROM holidays"), 3);
	assert_int_equal(rows(f, "SELECT count(*) FROM audit_log WHERE action "
	                         "= 'calendar.holiday.add'"),
	                 3);

	/* The school sees its own and its region's, by first day. */
	assert_int_equal(attendance_calendar_get(f->db, f->school, &c),
	                 ATTENDANCE_OK);
	assert_int_equal(json_array_size(json_object_get(c, "holidays")), 2);
	assert_string_equal(
	        json_string_value(json_object_get(
	                json_array_get(json_object_get(c, "holidays"), 1),
	                "scope")),
	        "region");
	json_decref(c);

	/* Loading a range takes only what touches it. */
	assert_int_equal(attendance_calendar_load(f->db, f->school,
	                                          day_of("2024-11-01"),
	                                          day_of("2024-11-30"), &cal),
	                 ATTENDANCE_OK);
	assert_int_equal(cal.nholidays, 1);
	assert_int_equal(attendance_day_kind(&cal, day_of("2024-11-01"), &name),
	                 ATTENDANCE_HOLIDAY);
	assert_string_equal(name, "Autumn");
	assert_int_equal(attendance_day_kind(&cal, day_of("2024-11-04"), NULL),
	                 ATTENDANCE_SCHOOL_DAY);
	attendance_calendar_free(&cal);
	assert_int_equal(attendance_calendar_load(f->db, f->school,
	                                          day_of("2024-09-01"),
	                                          day_of("2024-12-31"), &cal),
	                 ATTENDANCE_OK);
	assert_int_equal(cal.nholidays, 2);
	attendance_calendar_free(&cal);

	/* Scope and deletion: another region's holiday is not found here. */
	assert_int_equal(attendance_holiday_scope(f->db, f->school, own), 0);
	assert_int_equal(attendance_holiday_scope(f->db, f->school, region), 1);
	assert_int_equal(attendance_holiday_scope(f->db, f->school, other),
	                 ATTENDANCE_NOT_FOUND);
	assert_int_equal(
	        attendance_holiday_delete(f->db, NULL, f->school, other),
	        ATTENDANCE_NOT_FOUND);
	assert_int_equal(
	        attendance_holiday_delete(f->db, NULL, f->school, region),
	        ATTENDANCE_OK);
	assert_int_equal(rows(f, "SELECT count(*) FROM holidays"), 2);
	assert_int_equal(rows(f, "SELECT count(*) FROM audit_log WHERE action "
	                         "= 'calendar.holiday.delete'"),
	                 1);
}

static void
test_holiday_limit(void **state)
{
	struct fixture *f = *state;
	int64_t id = 0;
	int i;

	assert_int_equal(store_begin(f->db), STORE_OK);
	for (i = 0; i < ATTENDANCE_HOLIDAYS_MAX; i++)
		assert_int_equal(attendance_holiday_add(f->db, NULL, f->school,
		                                        false, "2024-09-02",
		                                        "2024-09-02", "One day",
		                                        &id),
		                 ATTENDANCE_OK);
	assert_int_equal(store_commit(f->db), STORE_OK);
	assert_int_equal(attendance_holiday_add(f->db, NULL, f->school, false,
	                                        "2024-09-03", "2024-09-03",
	                                        "One more", &id),
	                 ATTENDANCE_FULL);
	/* The limit is per school: the neighbour may still add. */
	assert_int_equal(attendance_holiday_add(f->db, NULL, f->neighbour,
	                                        false, "2024-09-03",
	                                        "2024-09-03", "Theirs", &id),
	                 ATTENDANCE_OK);
}

static void
test_today(void **state)
{
	struct fixture *f = *state;
	char today[ATTENDANCE_DATE_SIZE];
	int64_t d;

	assert_int_equal(attendance_today(f->db, f->school, today),
	                 ATTENDANCE_OK);
	assert_int_equal(attendance_date_day(today, &d), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_defaults_and_set, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_holidays, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_holiday_limit, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_today, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
