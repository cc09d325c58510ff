/*
 * Attendance (attendance.c): the day rules of attendance_summarise() on
 * hand-made passes, then the class, school and range read models over a
 * database with passes inserted directly.  Class 3А starts at 08:00 on
 * shift 1 (the day ends at 13:00).  The fixture's school keeps its clock
 * at UTC (offset 0) so that the times below read as they are written;
 * the tests of the school's calendar move it to UTC+5 and add holidays
 * and a sixth school day.  2024-09-01 is a Sunday, 2024-09-07 a Saturday.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "access/access.h"
#include "access/attendance.h"
#include "auth/auth.h"
#include "people/people.h"
#include "../testdb.h"

#define NOW "2024-09-02T06:00:00Z"
#define DAY "2024-09-02"

/* 2024-09-02T00:00:00Z */
#define MIDNIGHT ((int64_t)1725235200)
#define AT(h, m) (MIDNIGHT + (h)*3600 + (m)*60)

/* --- The rules ---------------------------------------------------------- */

static void
summarise(const struct attendance_pass *p, size_t n, struct attendance_day *d)
{
	attendance_summarise(p, n, 0, 8 * 60, ATTENDANCE_SHIFT1_END_DEFAULT, d);
}

static void
test_no_pass_is_absent(void **state)
{
	struct attendance_day d;

	(void)state;
	summarise(NULL, 0, &d);
	assert_true(d.absent);
	assert_false(d.late);
	assert_false(d.left_early);
	assert_false(d.has_in);
	assert_int_equal(d.minutes, 0);
}

static void
test_late_against_start(void **state)
{
	struct attendance_pass early[] = {{AT(7, 55), true}};
	struct attendance_pass exact[] = {{AT(8, 0) + 59, true}};
	struct attendance_pass late[] = {{AT(8, 5), true}};
	struct attendance_day d;

	(void)state;
	summarise(early, 1, &d);
	assert_false(d.absent);
	assert_false(d.late);
	summarise(exact, 1, &d);
	assert_false(d.late);
	summarise(late, 1, &d);
	assert_true(d.late);
	assert_true(d.has_in);
	assert_int_equal(d.first_in, AT(8, 5));
	/* A later shift's start makes 08:05 on time. */
	attendance_summarise(late, 1, 0, 8 * 60 + 30,
	                     ATTENDANCE_SHIFT1_END_DEFAULT, &d);
	assert_false(d.late);
	/* At UTC+5, 03:05 UTC is 08:05 local: late; 02:55 UTC is not. */
	late[0].at = AT(3, 5);
	attendance_summarise(late, 1, 300, 8 * 60,
	                     ATTENDANCE_SHIFT1_END_DEFAULT, &d);
	assert_true(d.late);
	late[0].at = AT(2, 55);
	attendance_summarise(late, 1, 300, 8 * 60,
	                     ATTENDANCE_SHIFT1_END_DEFAULT, &d);
	assert_false(d.late);
}

static void
test_minutes_first_in_to_last_out(void **state)
{
	struct attendance_pass p[] = {
	        {AT(7, 50), true},
	        {AT(10, 0), false},
	        {AT(10, 20), true},
	        {AT(13, 30), false},
	};
	struct attendance_pass no_out[] = {{AT(7, 50), true},
	                                   {AT(9, 20), true}};
	struct attendance_day d;

	(void)state;
	summarise(p, 4, &d);
	assert_int_equal(d.first_in, AT(7, 50));
	assert_true(d.has_out);
	assert_int_equal(d.last_out, AT(13, 30));
	assert_int_equal(d.minutes, 5 * 60 + 40);
	assert_false(d.left_early);
	/* No exit: until the last pass. */
	summarise(no_out, 2, &d);
	assert_false(d.has_out);
	assert_int_equal(d.minutes, 90);
	assert_false(d.left_early);
}

static void
test_left_early(void **state)
{
	struct attendance_calendar cal;
	struct attendance_pass early[] = {{AT(7, 50), true},
	                                  {AT(11, 15), false}};
	/* Out for a while and back in: not gone. */
	struct attendance_pass back[] = {
	        {AT(7, 50), true}, {AT(11, 15), false}, {AT(11, 40), true}};
	struct attendance_day d;

	(void)state;
	summarise(early, 2, &d);
	assert_true(d.left_early);
	assert_int_equal(d.minutes, 3 * 60 + 25);
	summarise(back, 3, &d);
	assert_false(d.left_early);
	/* Shift 2 ends at 18:00: 13:30 is early there. */
	attendance_calendar_default(&cal, 0);
	assert_int_equal(attendance_shift_end(&cal, 2),
	                 ATTENDANCE_SHIFT2_END_DEFAULT);
	early[1].at = AT(13, 30);
	summarise(early, 2, &d);
	assert_false(d.left_early);
	attendance_summarise(early, 2, 0, 13 * 60,
	                     attendance_shift_end(&cal, 2), &d);
	assert_true(d.left_early);
	/* 08:30 UTC is 13:30 at UTC+5: after shift 1's end, not early. */
	early[1].at = AT(8, 30);
	attendance_summarise(early, 2, 300, 8 * 60,
	                     attendance_shift_end(&cal, 1), &d);
	assert_false(d.left_early);
}

/* --- Over the database -------------------------------------------------- */

struct fixture {
	struct testdb t;
	struct store *db;
	int64_t school, gate;
	int64_t seq;
	int64_t on_time, late, denied, gone, left;
};

static int64_t
add_student(struct fixture *f, const char *cls, const char *ref,
            const char *name, const char *status)
{
	int64_t class_id = 0, id = 0;

	assert_int_equal(
	        people_class_ensure(f->db, f->school, cls, &class_id, NULL),
	        PEOPLE_OK);
	assert_int_equal(store_execf(f->db,
	                             "INSERT INTO students (school_id, ref, "
	                             "full_name, class_id, status, "
	                             "created_at, updated_at) "
	                             "VALUES (?, ?, ?, ?, ?, ?, ?)",
	                             "ittittt", f->school, ref, name, class_id,
	                             status, NOW, NOW),
	                 STORE_OK);
	assert_int_equal(people_student_find(f->db, f->school, ref, &id),
	                 PEOPLE_OK);
	return id;
}

static void
add_pass(struct fixture *f, int64_t student, const char *dir,
         const char *decision, const char *at)
{
	assert_int_equal(store_execf(f->db,
	                             "INSERT INTO passes (school_id, "
	                             "device_id, seq, student_id, "
	                             "identifier_value, direction, decision, "
	                             "reason, device_at, received_at) "
	                             "VALUES (?, ?, ?, ?, 'X', ?, ?, 'ok', ?, "
	                             "?)",
	                             "iiiitttt", f->school, f->gate, f->seq++,
	                             student, dir, decision, at, at),
	                 STORE_OK);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL || (f->db = testdb_open(&f->t)) == NULL)
		return -1;
	if (people_school_add(f->db, NULL, "sch-a", "A", NULL, NULL,
	                      &f->school) != PEOPLE_OK ||
	    store_execf(f->db,
	                "INSERT INTO devices (school_id, kind, name, "
	                "token_hash, created_at) VALUES (?, 'gate', 'Main', "
	                "'h1', ?)",
	                "it", f->school, NOW) != STORE_OK ||
	    store_query_int(f->db, &f->gate, "SELECT id FROM devices", "") !=
	            STORE_ROW)
		return -1;
	/* The fixture reads its times in UTC; the calendar tests move it. */
	if (attendance_calendar_set(
	            f->db, NULL, f->school,
	            &(struct attendance_settings){
	                    0, 5, {13 * 60, 18 * 60, 20 * 60}}) !=
	    ATTENDANCE_OK)
		return -1;
	f->seq = 1;
	f->on_time = add_student(f, "3А", "A1", "Aidana", "active");
	f->late = add_student(f, "3А", "A2", "Bolat", "active");
	f->denied = add_student(f, "3А", "A3", "Dana", "active");
	f->gone = add_student(f, "3А", "A4", "Erlan", "active");
	f->left = add_student(f, "3А", "A9", "Zere", "left");
	add_student(f, "5Б", "B1", "Gulnar", "active");

	add_pass(f, f->on_time, "in", "allow", DAY "T07:55:00Z");
	add_pass(f, f->on_time, "out", "allow", DAY "T13:10:00Z");
	add_pass(f, f->late, "in", "allow", DAY "T08:05:00Z");
	add_pass(f, f->denied, "in", "deny", DAY "T07:58:00Z");
	add_pass(f, f->gone, "in", "allow", DAY "T07:40:00Z");
	add_pass(f, f->gone, "out", "allow", DAY "T10:10:00Z");
	add_pass(f, f->left, "in", "allow", DAY "T07:40:00Z");
	/* The next day: A1 late, the rest absent. */
	add_pass(f, f->on_time, "in", "allow", "2024-09-03T09:00:00Z");
	/* The day before, just before midnight: not on DAY. */
	add_pass(f, f->late, "in", "allow", "2024-09-01T23:59:59Z");
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

static json_t *
student(json_t *day, const char *ref)
{
	json_t *st;
	size_t i;

	json_array_foreach(json_object_get(day, "students"), i, st)
	{
		if (strcmp(json_string_value(json_object_get(st, "ref")),
		           ref) == 0)
			return st;
	}
	fail_msg("no student %s", ref);
	return NULL;
}

static int64_t
num(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static void
test_class_day(void **state)
{
	struct fixture *f = *state;
	json_t *day = NULL, *st, *counts;

	assert_int_equal(
	        attendance_class_day(f->db, f->school, "3-а", DAY, &day),
	        ATTENDANCE_OK);
	assert_string_equal(json_string_value(json_object_get(day, "class")),
	                    "3А");
	assert_string_equal(json_string_value(json_object_get(day, "date")),
	                    DAY);
	/* Four active students; Zere left and is not counted. */
	assert_int_equal(json_array_size(json_object_get(day, "students")), 4);
	counts = json_object_get(day, "counts");
	assert_int_equal(num(counts, "students"), 4);
	assert_int_equal(num(counts, "present"), 3);
	assert_int_equal(num(counts, "late"), 1);
	assert_int_equal(num(counts, "absent"), 1);
	assert_int_equal(num(counts, "left_early"), 1);

	st = student(day, "A1");
	assert_string_equal(json_string_value(json_object_get(st, "first_in")),
	                    DAY "T07:55:00+00:00");
	assert_string_equal(json_string_value(json_object_get(st, "last_out")),
	                    DAY "T13:10:00+00:00");
	assert_int_equal(num(st, "minutes"), 5 * 60 + 15);
	assert_true(json_is_false(json_object_get(st, "late")));
	assert_true(json_is_false(json_object_get(st, "left_early")));

	st = student(day, "A2");
	assert_true(json_is_true(json_object_get(st, "late")));
	assert_true(json_is_null(json_object_get(st, "last_out")));
	assert_int_equal(num(st, "minutes"), 0);

	/* Only a denied pass: absent. */
	st = student(day, "A3");
	assert_true(json_is_true(json_object_get(st, "absent")));
	assert_true(json_is_null(json_object_get(st, "first_in")));

	st = student(day, "A4");
	assert_true(json_is_true(json_object_get(st, "left_early")));
	assert_int_equal(num(st, "minutes"), 150);
	json_decref(day);
}

static void
test_class_day_errors(void **state)
{
	struct fixture *f = *state;
	json_t *day = NULL;

	assert_int_equal(attendance_class_day(f->db, f->school, "3А",
	                                      "2024-02-30", &day),
	                 ATTENDANCE_INVALID);
	assert_null(day);
	assert_int_equal(
	        attendance_class_day(f->db, f->school, "3А", "today", &day),
	        ATTENDANCE_INVALID);
	assert_int_equal(
	        attendance_class_day(f->db, f->school, "9Я", DAY, &day),
	        ATTENDANCE_NOT_FOUND);
	assert_int_equal(
	        attendance_class_day(f->db, f->school, "nonsense", DAY, &day),
	        ATTENDANCE_NOT_FOUND);
}

static void
test_school_day(void **state)
{
	struct fixture *f = *state;
	json_t *day = NULL, *classes, *counts;

	assert_int_equal(attendance_school_day(f->db, f->school, 0, DAY, &day),
	                 ATTENDANCE_OK);
	classes = json_object_get(day, "classes");
	assert_int_equal(json_array_size(classes), 2);
	assert_string_equal(json_string_value(json_object_get(
	                            json_array_get(classes, 0), "name")),
	                    "3А");
	counts = json_object_get(json_array_get(classes, 1), "counts");
	assert_int_equal(num(counts, "students"), 1);
	assert_int_equal(num(counts, "absent"), 1);
	counts = json_object_get(day, "counts");
	assert_int_equal(num(counts, "students"), 5);
	assert_int_equal(num(counts, "present"), 3);
	assert_int_equal(num(counts, "absent"), 2);
	assert_null(json_object_get(json_array_get(classes, 0), "students"));
	json_decref(day);
}

static void
test_class_range(void **state)
{
	struct fixture *f = *state;
	json_t *r = NULL, *st, *days;

	assert_int_equal(attendance_class_range(f->db, f->school, "3А",
	                                        "2024-09-01", "2024-09-03", &r),
	                 ATTENDANCE_OK);
	assert_int_equal(json_array_size(json_object_get(r, "days")), 3);
	assert_int_equal(num(r, "school_days"), 2);
	/* Sunday is a day off: nobody is absent, nothing is counted. */
	assert_string_equal(
	        json_string_value(json_object_get(
	                json_array_get(json_object_get(r, "days"), 0), "kind")),
	        "day_off");
	assert_int_equal(num(json_object_get(r, "counts"), "student_days"), 8);
	assert_int_equal(num(json_object_get(r, "counts"), "absent"), 4);
	st = student(r, "A1");
	assert_string_equal(json_string_value(json_object_get(st, "marks")),
	                    "-PL");
	days = json_object_get(st, "days");
	assert_int_equal(json_array_size(days), 3);
	assert_string_equal(json_string_value(json_object_get(
	                            json_array_get(days, 2), "date")),
	                    "2024-09-03");
	/* 23:59:59 on the 1st counts for the 1st (a Sunday, so nothing);
	 * 08:05 on the 2nd is late. */
	st = student(r, "A2");
	assert_string_equal(json_string_value(json_object_get(st, "marks")),
	                    "-LA");
	assert_false(json_is_true(json_object_get(
	        json_array_get(json_object_get(st, "days"), 0), "absent")));
	assert_string_equal(
	        json_string_value(json_object_get(student(r, "A3"), "marks")),
	        "-AA");
	assert_string_equal(
	        json_string_value(json_object_get(student(r, "A4"), "marks")),
	        "-EA");
	json_decref(r);

	/* One day is fine; 62 days is the limit; backwards is invalid. */
	assert_int_equal(
	        attendance_class_range(f->db, f->school, "3А", DAY, DAY, &r),
	        ATTENDANCE_OK);
	json_decref(r);
	assert_int_equal(attendance_class_range(f->db, f->school, "3А",
	                                        "2024-09-01", "2024-11-01", &r),
	                 ATTENDANCE_OK);
	assert_int_equal(json_array_size(json_object_get(r, "days")), 62);
	json_decref(r);
	assert_int_equal(attendance_class_range(f->db, f->school, "3А",
	                                        "2024-09-01", "2024-11-02", &r),
	                 ATTENDANCE_INVALID);
	assert_int_equal(attendance_class_range(f->db, f->school, "3А",
	                                        "2024-09-03", "2024-09-02", &r),
	                 ATTENDANCE_INVALID);
}

/* Sets the fixture school's offset and week; shifts keep the defaults. */
static void
set_calendar(struct fixture *f, int offset, int week_days)
{
	struct attendance_settings s = {
	        offset, week_days, {13 * 60, 18 * 60, 20 * 60}};

	assert_int_equal(attendance_calendar_set(f->db, NULL, f->school, &s),
	                 ATTENDANCE_OK);
}

static const char *
marks_of(json_t *range, const char *ref)
{
	return json_string_value(json_object_get(student(range, ref), "marks"));
}

static void
test_local_offset_across_midnight(void **state)
{
	struct fixture *f = *state;
	json_t *r = NULL, *st;

	/* Dana comes in at 20:30 UTC on Monday: 01:30 on Tuesday at UTC+5. */
	add_pass(f, f->denied, "in", "allow", "2024-09-02T20:30:00Z");
	assert_int_equal(attendance_class_range(f->db, f->school, "3А",
	                                        "2024-09-02", "2024-09-03", &r),
	                 ATTENDANCE_OK);
	assert_string_equal(marks_of(r, "A3"), "LA");
	json_decref(r);

	set_calendar(f, 300, 5);
	assert_int_equal(attendance_class_range(f->db, f->school, "3А",
	                                        "2024-09-02", "2024-09-03", &r),
	                 ATTENDANCE_OK);
	assert_string_equal(marks_of(r, "A3"), "AP");
	/* 07:55 UTC is 12:55 local: late against 08:00; the exit at 18:10
	 * local is after 13:00. */
	assert_string_equal(marks_of(r, "A1"), "LL");
	st = json_array_get(json_object_get(student(r, "A1"), "days"), 0);
	assert_string_equal(json_string_value(json_object_get(st, "first_in")),
	                    "2024-09-02T12:55:00+05:00");
	assert_string_equal(json_string_value(json_object_get(st, "last_out")),
	                    "2024-09-02T18:10:00+05:00");
	/* 23:59:59 UTC on Sunday is 04:59:59 on Monday: Bolat is on time. */
	assert_string_equal(marks_of(r, "A2"), "PA");
	json_decref(r);
}

static void
test_holidays_not_absent(void **state)
{
	struct fixture *f = *state;
	int64_t id = 0, other = 0, region_school = 0;
	json_t *r = NULL, *day = NULL;

	assert_int_equal(attendance_holiday_add(f->db, NULL, f->school, false,
	                                        "2024-09-03", "2024-09-04",
	                                        "Autumn break", &id),
	                 ATTENDANCE_OK);
	assert_int_equal(attendance_class_range(f->db, f->school, "3А",
	                                        "2024-09-02", "2024-09-05", &r),
	                 ATTENDANCE_OK);
	assert_string_equal(marks_of(r, "A3"), "AHHA");
	/* Aidana's late arrival on the 3rd is on a holiday: not late. */
	assert_string_equal(marks_of(r, "A1"), "PHHA");
	assert_int_equal(num(r, "school_days"), 2);
	assert_int_equal(num(json_object_get(r, "counts"), "absent"), 5);
	assert_string_equal(
	        json_string_value(json_object_get(
	                json_array_get(json_object_get(r, "days"), 1),
	                "holiday")),
	        "Autumn break");
	json_decref(r);
	assert_int_equal(attendance_class_day(f->db, f->school, "3А",
	                                      "2024-09-03", &day),
	                 ATTENDANCE_OK);
	assert_string_equal(json_string_value(json_object_get(day, "kind")),
	                    "holiday");
	assert_int_equal(num(json_object_get(day, "counts"), "absent"), 0);
	assert_int_equal(num(json_object_get(day, "counts"), "students"), 4);
	assert_true(json_is_null(
	        json_object_get(json_object_get(day, "counts"), "rate")));
	json_decref(day);

	/* A school without a region has no region-wide holidays ... */
	assert_int_equal(attendance_holiday_add(f->db, NULL, f->school, true,
	                                        "2024-09-05", "2024-09-05", "X",
	                                        &id),
	                 ATTENDANCE_NOT_FOUND);
	/* ... and one of two schools of a region gives both a holiday. */
	assert_int_equal(people_school_add(f->db, NULL, "sch-r1", "R1", "north",
	                                   NULL, &region_school),
	                 PEOPLE_OK);
	assert_int_equal(people_school_add(f->db, NULL, "sch-r2", "R2", "north",
	                                   NULL, &other),
	                 PEOPLE_OK);
	assert_int_equal(attendance_holiday_add(
	                         f->db, NULL, region_school, true, "2024-09-05",
	                         "2024-09-05", "Republic day", &id),
	                 ATTENDANCE_OK);
	assert_int_equal(
	        attendance_school_day(f->db, other, 0, "2024-09-05", &day),
	        ATTENDANCE_OK);
	assert_string_equal(json_string_value(json_object_get(day, "holiday")),
	                    "Republic day");
	json_decref(day);
	/* Not for the school outside the region. */
	assert_int_equal(
	        attendance_school_day(f->db, f->school, 0, "2024-09-05", &day),
	        ATTENDANCE_OK);
	assert_string_equal(json_string_value(json_object_get(day, "kind")),
	                    "school");
	json_decref(day);
}

static void
test_six_day_week(void **state)
{
	struct fixture *f = *state;
	json_t *r = NULL;

	assert_int_equal(attendance_class_range(f->db, f->school, "3А",
	                                        "2024-09-02", "2024-09-08", &r),
	                 ATTENDANCE_OK);
	assert_int_equal(num(r, "school_days"), 5);
	assert_string_equal(marks_of(r, "A3"), "AAAAA--");
	json_decref(r);
	set_calendar(f, 0, 6);
	assert_int_equal(attendance_class_range(f->db, f->school, "3А",
	                                        "2024-09-02", "2024-09-08", &r),
	                 ATTENDANCE_OK);
	assert_int_equal(num(r, "school_days"), 6);
	assert_string_equal(marks_of(r, "A3"), "AAAAAA-");
	json_decref(r);
}

static void
test_future_is_not_counted(void **state)
{
	struct fixture *f = *state;
	json_t *day = NULL;

	assert_int_equal(attendance_class_day(f->db, f->school, "3А",
	                                      "2099-01-05", &day),
	                 ATTENDANCE_OK);
	assert_string_equal(json_string_value(json_object_get(day, "kind")),
	                    "future");
	assert_int_equal(num(json_object_get(day, "counts"), "absent"), 0);
	assert_true(json_is_false(json_object_get(
	        json_array_get(json_object_get(day, "students"), 0),
	        "absent")));
	json_decref(day);
}

static void
test_school_range_and_teacher(void **state)
{
	struct fixture *f = *state;
	int64_t teacher = 0, class_b = 0;
	json_t *r = NULL, *days;

	assert_int_equal(attendance_school_range(f->db, f->school, 0,
	                                         "2024-09-02", "2024-09-03",
	                                         &r),
	                 ATTENDANCE_OK);
	assert_int_equal(num(r, "students"), 5);
	assert_int_equal(num(r, "school_days"), 2);
	days = json_object_get(r, "days");
	assert_int_equal(num(json_object_get(json_array_get(days, 0), "counts"),
	                     "present"),
	                 3);
	assert_int_equal(num(json_object_get(json_array_get(days, 1), "counts"),
	                     "present"),
	                 1);
	assert_int_equal(num(json_object_get(r, "counts"), "student_days"), 10);
	assert_int_equal(json_array_size(json_object_get(r, "classes")), 2);
	json_decref(r);

	/* A class teacher of 5Б counts only 5Б. */
	assert_int_equal(people_class_find(f->db, f->school, "5Б", &class_b),
	                 PEOPLE_OK);
	assert_int_equal(store_query_int(f->db, &teacher,
	                                 "INSERT INTO users (login, "
	                                 "password_hash, role, created_at) "
	                                 "VALUES ('teacher.b', 'x', "
	                                 "'class_teacher', ?) RETURNING id",
	                                 "t", NOW),
	                 STORE_ROW);
	/* Not yet a teacher of this school: refused. */
	assert_int_equal(auth_user_bind_class(f->db, teacher, class_b),
	                 AUTH_ADD_INVALID);
	assert_int_equal(store_execf(f->db,
	                             "INSERT INTO user_schools (user_id, "
	                             "school_id) VALUES (?, ?)",
	                             "ii", teacher, f->school),
	                 STORE_OK);
	assert_int_equal(auth_user_bind_class(f->db, teacher, class_b), 0);
	assert_int_equal(auth_user_bind_class(f->db, teacher, class_b), 0);
	assert_int_equal(attendance_school_range(f->db, f->school, teacher,
	                                         "2024-09-02", "2024-09-03",
	                                         &r),
	                 ATTENDANCE_OK);
	assert_int_equal(num(r, "students"), 1);
	assert_int_equal(json_array_size(json_object_get(r, "classes")), 1);
	assert_int_equal(num(json_object_get(r, "counts"), "absent"), 2);
	json_decref(r);
}

static void
test_overview(void **state)
{
	struct fixture *f = *state;
	json_t *list = NULL, *one;

	assert_int_equal(attendance_schools_overview(f->db, &f->school, 1,
	                                             "2024-09-03", &list),
	                 ATTENDANCE_OK);
	assert_int_equal(json_array_size(list), 1);
	one = json_array_get(list, 0);
	assert_int_equal(num(one, "students"), 5);
	assert_int_equal(
	        num(json_object_get(json_object_get(one, "day"), "counts"),
	            "present"),
	        1);
	assert_string_equal(json_string_value(json_object_get(
	                            json_object_get(one, "week"), "from")),
	                    "2024-09-02");
	assert_int_equal(num(json_object_get(one, "week"), "school_days"), 5);
	/* Monday's three and Tuesday's one, of 25 student-days: 16.0 %. */
	assert_int_equal(
	        num(json_object_get(json_object_get(one, "week"), "counts"),
	            "present"),
	        4);
	assert_true(
	        json_real_value(json_object_get(
	                json_object_get(json_object_get(one, "week"), "counts"),
	                "rate")) == 16.0);
	json_decref(list);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_no_pass_is_absent),
	        cmocka_unit_test(test_late_against_start),
	        cmocka_unit_test(test_minutes_first_in_to_last_out),
	        cmocka_unit_test(test_left_early),
	        cmocka_unit_test_setup_teardown(test_class_day, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_class_day_errors, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_school_day, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_class_range, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(
	                test_local_offset_across_midnight, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_holidays_not_absent, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_six_day_week, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_future_is_not_counted,
	                                        setup, teardown),
	        cmocka_unit_test_setup_teardown(test_school_range_and_teacher,
	                                        setup, teardown),
	        cmocka_unit_test_setup_teardown(test_overview, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
