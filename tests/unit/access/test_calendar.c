/*
 * The school calendar's arithmetic (calendar.c): local days and minutes
 * across midnight for offsets east and west of UTC, weekdays, weeks and
 * months, the kind of a day (the future before a holiday before a day
 * off), local timestamps, and the checks of settings and holidays.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "access/attendance.h"

/* 2024-09-02T00:00:00Z, a Monday; day number 19968. */
#define MIDNIGHT ((int64_t)1725235200)
#define MONDAY   ((int64_t)19968)

static int64_t
day_of(const char *date)
{
	int64_t d = -1;

	assert_int_equal(attendance_date_day(date, &d), 0);
	return d;
}

static void
test_local_day_across_midnight(void **state)
{
	struct attendance_calendar cal;

	(void)state;
	attendance_calendar_default(&cal, MIDNIGHT);
	assert_int_equal(cal.offset_min, 300);
	/* 18:59:59 UTC is 23:59:59 at UTC+5; 19:00 is the next local day. */
	assert_int_equal(
	        attendance_local_day(&cal, MIDNIGHT + 18 * 3600 + 3599),
	        MONDAY);
	assert_int_equal(
	        attendance_local_minute(&cal, MIDNIGHT + 18 * 3600 + 3599),
	        23 * 60 + 59);
	assert_int_equal(attendance_local_day(&cal, MIDNIGHT + 19 * 3600),
	                 MONDAY + 1);
	assert_int_equal(attendance_local_minute(&cal, MIDNIGHT + 19 * 3600),
	                 0);
	/* 23:00 UTC on Sunday is already 04:00 on Monday. */
	assert_int_equal(attendance_local_day(&cal, MIDNIGHT - 3600), MONDAY);
	assert_int_equal(attendance_local_minute(&cal, MIDNIGHT - 3600),
	                 4 * 60);
	assert_int_equal(attendance_day_start(&cal, MONDAY),
	                 MIDNIGHT - 5 * 3600);
	/* West of UTC: 02:00 UTC on Monday is still Sunday 21:00 at -05:00. */
	cal.offset_min = -300;
	assert_int_equal(attendance_local_day(&cal, MIDNIGHT + 2 * 3600),
	                 MONDAY - 1);
	assert_int_equal(attendance_local_minute(&cal, MIDNIGHT + 2 * 3600),
	                 21 * 60);
	/* Before 1970 the division still rounds down. */
	cal.offset_min = 0;
	assert_int_equal(attendance_local_day(&cal, -1), -1);
	assert_int_equal(attendance_local_minute(&cal, -60), 23 * 60 + 59);
}

static void
test_weekdays_weeks_months(void **state)
{
	int64_t first, last;
	char date[ATTENDANCE_DATE_SIZE];

	(void)state;
	assert_int_equal(day_of("2024-09-02"), MONDAY);
	assert_int_equal(attendance_weekday(MONDAY), 0);
	assert_int_equal(attendance_weekday(day_of("2024-09-07")), 5);
	assert_int_equal(attendance_weekday(day_of("2024-09-08")), 6);
	assert_int_equal(attendance_weekday(day_of("1970-01-01")), 3);
	attendance_week_of(day_of("2024-09-08"), &first, &last);
	assert_int_equal(first, MONDAY);
	assert_int_equal(last, MONDAY + 6);
	attendance_month_of(day_of("2024-02-10"), &first, &last);
	attendance_day_date(first, date);
	assert_string_equal(date, "2024-02-01");
	attendance_day_date(last, date);
	assert_string_equal(date, "2024-02-29");
	attendance_month_of(day_of("2024-12-31"), &first, &last);
	attendance_day_date(first, date);
	assert_string_equal(date, "2024-12-01");
	attendance_day_date(last, date);
	assert_string_equal(date, "2024-12-31");
	assert_int_equal(attendance_date_day("2024-02-30", &first), -1);
	assert_int_equal(attendance_date_day("02.09.2024", &first), -1);
	assert_int_equal(attendance_date_day(NULL, &first), -1);
}

static void
test_day_kinds(void **state)
{
	struct attendance_holiday h = {MONDAY + 1, MONDAY + 7, (char *)"Break"};
	struct attendance_calendar cal;
	const char *name = "x";

	(void)state;
	attendance_calendar_default(&cal, MIDNIGHT + 30 * 86400);
	assert_int_equal(attendance_day_kind(&cal, MONDAY, &name),
	                 ATTENDANCE_SCHOOL_DAY);
	assert_null(name);
	assert_int_equal(attendance_day_kind(&cal, MONDAY + 5, NULL),
	                 ATTENDANCE_DAY_OFF);
	cal.week_days = 6;
	assert_int_equal(attendance_day_kind(&cal, MONDAY + 5, NULL),
	                 ATTENDANCE_SCHOOL_DAY);
	assert_int_equal(attendance_day_kind(&cal, MONDAY + 6, NULL),
	                 ATTENDANCE_DAY_OFF);
	cal.holidays = &h;
	cal.nholidays = 1;
	assert_int_equal(attendance_day_kind(&cal, MONDAY + 6, &name),
	                 ATTENDANCE_HOLIDAY);
	assert_string_equal(name, "Break");
	assert_int_equal(attendance_day_kind(&cal, MONDAY + 8, NULL),
	                 ATTENDANCE_SCHOOL_DAY);
	cal.today = MONDAY + 2;
	assert_int_equal(attendance_day_kind(&cal, MONDAY + 3, NULL),
	                 ATTENDANCE_FUTURE);
	assert_string_equal(attendance_day_kind_name(ATTENDANCE_DAY_OFF),
	                    "day_off");
	assert_int_equal(attendance_shift_end(&cal, 3),
	                 ATTENDANCE_SHIFT3_END_DEFAULT);
	assert_int_equal(attendance_shift_end(&cal, 9),
	                 ATTENDANCE_SHIFT1_END_DEFAULT);
}

static void
test_local_time(void **state)
{
	struct attendance_calendar cal;
	char out[ATTENDANCE_TIME_SIZE];

	(void)state;
	attendance_calendar_default(&cal, 0);
	attendance_time_local(&cal, MIDNIGHT + 3 * 3600 + 5 * 60, out);
	assert_string_equal(out, "2024-09-02T08:05:00+05:00");
	cal.offset_min = -210;
	attendance_time_local(&cal, MIDNIGHT, out);
	assert_string_equal(out, "2024-09-01T20:30:00-03:30");
	assert_int_equal(attendance_hhmm("13:30"), 13 * 60 + 30);
	assert_int_equal(attendance_hhmm("00:00"), 0);
	assert_int_equal(attendance_hhmm("24:00"), -1);
	assert_int_equal(attendance_hhmm("9:30"), -1);
	assert_int_equal(attendance_hhmm("12:60"), -1);
	assert_int_equal(attendance_hhmm(NULL), -1);
}

static void
test_checks(void **state)
{
	struct attendance_settings s = {300, 5, {780, 1080, 1200}};

	(void)state;
	assert_null(attendance_settings_invalid(&s));
	s.offset_min = 345; /* Nepal's +05:45 is a quarter hour */
	assert_null(attendance_settings_invalid(&s));
	s.offset_min = 301;
	assert_string_equal(attendance_settings_invalid(&s),
	                    "utc_offset_minutes");
	s.offset_min = 15 * 60;
	assert_string_equal(attendance_settings_invalid(&s),
	                    "utc_offset_minutes");
	s.offset_min = 300;
	s.week_days = 7;
	assert_string_equal(attendance_settings_invalid(&s), "week_days");
	s.week_days = 6;
	s.shift_end[1] = 24 * 60;
	assert_string_equal(attendance_settings_invalid(&s), "shift2_end");

	assert_null(attendance_holiday_invalid("2024-12-30", "2025-01-08",
	                                       "Зимние каникулы"));
	assert_null(
	        attendance_holiday_invalid("2024-09-02", "2024-09-02", "Күз"));
	assert_string_equal(
	        attendance_holiday_invalid("2024-13-01", "2024-12-01", "x"),
	        "first_day");
	assert_string_equal(
	        attendance_holiday_invalid("2024-09-03", "2024-09-02", "x"),
	        "last_day");
	assert_string_equal(
	        attendance_holiday_invalid("2024-01-01", "2025-01-01", "x"),
	        "last_day");
	assert_string_equal(
	        attendance_holiday_invalid("2024-09-02", "2024-09-02", ""),
	        "name");
	assert_string_equal(
	        attendance_holiday_invalid("2024-09-02", "2024-09-02", "a\nb"),
	        "name");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_local_day_across_midnight),
	        cmocka_unit_test(test_weekdays_weeks_months),
	        cmocka_unit_test(test_day_kinds),
	        cmocka_unit_test(test_local_time),
	        cmocka_unit_test(test_checks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
