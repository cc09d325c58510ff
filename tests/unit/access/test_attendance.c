/*
 * Attendance (attendance.c): the day rules of attendance_summarise() on
 * hand-made passes, then the class, school and range read models over a
 * database with passes inserted directly.  Class 3А starts at 08:00 on
 * shift 1 (the day ends at 13:00); all times are UTC.
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
	attendance_summarise(p, n, 8 * 60, ATTENDANCE_SHIFT1_END, d);
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
	attendance_summarise(late, 1, 8 * 60 + 30, ATTENDANCE_SHIFT1_END, &d);
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
	assert_int_equal(attendance_shift_end(2), ATTENDANCE_SHIFT2_END);
	early[1].at = AT(13, 30);
	summarise(early, 2, &d);
	assert_false(d.left_early);
	attendance_summarise(early, 2, 13 * 60, attendance_shift_end(2), &d);
	assert_true(d.left_early);
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
	                    DAY "T07:55:00Z");
	assert_string_equal(json_string_value(json_object_get(st, "last_out")),
	                    DAY "T13:10:00Z");
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

	assert_int_equal(attendance_school_day(f->db, f->school, DAY, &day),
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
	assert_int_equal(json_array_size(json_object_get(r, "dates")), 3);
	st = student(r, "A1");
	assert_string_equal(json_string_value(json_object_get(st, "marks")),
	                    "APL");
	days = json_object_get(st, "days");
	assert_int_equal(json_array_size(days), 3);
	assert_string_equal(json_string_value(json_object_get(
	                            json_array_get(days, 2), "date")),
	                    "2024-09-03");
	/* 23:59:59 on the 1st counts for the 1st; 08:05 on the 2nd is late. */
	st = student(r, "A2");
	assert_string_equal(json_string_value(json_object_get(st, "marks")),
	                    "LLA");
	assert_string_equal(
	        json_string_value(json_object_get(student(r, "A3"), "marks")),
	        "AAA");
	assert_string_equal(
	        json_string_value(json_object_get(student(r, "A4"), "marks")),
	        "AEA");
	json_decref(r);

	/* One day is fine; 62 days is the limit; backwards is invalid. */
	assert_int_equal(
	        attendance_class_range(f->db, f->school, "3А", DAY, DAY, &r),
	        ATTENDANCE_OK);
	json_decref(r);
	assert_int_equal(attendance_class_range(f->db, f->school, "3А",
	                                        "2024-09-01", "2024-11-01", &r),
	                 ATTENDANCE_OK);
	assert_int_equal(json_array_size(json_object_get(r, "dates")), 62);
	json_decref(r);
	assert_int_equal(attendance_class_range(f->db, f->school, "3А",
	                                        "2024-09-01", "2024-11-02", &r),
	                 ATTENDANCE_INVALID);
	assert_int_equal(attendance_class_range(f->db, f->school, "3А",
	                                        "2024-09-03", "2024-09-02", &r),
	                 ATTENDANCE_INVALID);
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
