/*
 * Regions, schools, classes, consent history and the read models, against
 * a real SQLite file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fixture.h"

#define S(lit) (lit), (sizeof(lit) - 1)

static const char roster[] =
        "ref,full_name,class,iin,consent,guardian_name,guardian_phone\n"
        "a1,Әлия Нұрова,3А,150301501235,,Нұр Нұров,+77011110001\n"
        "a2,Пётр Смирнов,3А,,,,\n"
        "b1,Дина Ли,10B,,yes,Мин Ли,+77011110002\n";

static int64_t
load(struct fx *x)
{
	struct roster_report rep;

	assert_int_equal(roster_import(x->db, NULL, x->school, "p.csv",
	                               S(roster), false, &rep),
	                 PEOPLE_OK);
	roster_report_free(&rep);
	return x->school;
}

static void
test_text_rules(void **state)
{
	char long_name[2 * 201 + 1];

	(void)state;
	assert_true(people_text_valid("Әлихан", 200));
	assert_false(people_text_valid("", 200));
	assert_false(people_text_valid(NULL, 200));
	assert_false(people_text_valid("A\tB", 200));
	assert_false(people_text_valid("\xC3\x28", 200));
	/* 200 two-byte letters pass, 201 do not: characters, not bytes. */
	memset(long_name, 0, sizeof(long_name));
	for (int i = 0; i < 200; i++)
		memcpy(long_name + 2 * i, "Ә", 2);
	assert_true(people_text_valid(long_name, 200));
	memcpy(long_name + 400, "Ә", 2);
	assert_false(people_text_valid(long_name, 200));
	assert_true(people_time_valid("08:00"));
	assert_true(people_time_valid("23:59"));
	assert_false(people_time_valid("24:00"));
	assert_false(people_time_valid("8:00"));
	assert_false(people_time_valid("08:60"));
}

static void
test_schools(void **state)
{
	struct fx *x = *state;
	int64_t id, id2, region, again;
	char code[32];

	assert_int_equal(people_school_find(x->db, "s1", &id), PEOPLE_OK);
	assert_int_equal(id, x->school);
	assert_int_equal(people_school_code(x->db, id, code, sizeof(code)),
	                 PEOPLE_OK);
	assert_string_equal(code, "s1");
	assert_int_equal(people_school_add(x->db, NULL, "s1", "Другая", NULL,
	                                   NULL, &id2),
	                 PEOPLE_DUPLICATE);
	assert_int_equal(people_school_add(x->db, NULL, "Bad Code", "X", NULL,
	                                   NULL, &id2),
	                 PEOPLE_INVALID);
	assert_int_equal(
	        people_school_add(x->db, NULL, "s2", "", NULL, NULL, &id2),
	        PEOPLE_INVALID);
	assert_int_equal(
	        people_school_add(x->db, NULL, "s2", "X", NULL, "dist", &id2),
	        PEOPLE_INVALID);
	assert_int_equal(people_school_find(x->db, "nope", &id2),
	                 PEOPLE_NOT_FOUND);
	/* The fixture's region and district exist once, shared. */
	assert_int_equal(people_school_add(x->db, NULL, "s2", "Школа №2", "reg",
	                                   "dist", &id2),
	                 PEOPLE_OK);
	assert_int_equal(fx_int(x->db, "SELECT COUNT(*) FROM regions"), 1);
	assert_int_equal(fx_int(x->db, "SELECT COUNT(*) FROM districts"), 1);
	assert_int_equal(people_region_find(x->db, "reg", &region), PEOPLE_OK);
	assert_int_equal(
	        people_region_ensure(x->db, "reg", "Другое имя", &again),
	        PEOPLE_OK);
	assert_int_equal(again, region);
	assert_int_equal(
	        people_district_ensure(x->db, region, "d2", "Район", &again),
	        PEOPLE_OK);
	assert_int_equal(fx_int(x->db, "SELECT COUNT(*) FROM districts"), 2);
	assert_int_equal(fx_int(x->db, "SELECT COUNT(*) FROM audit_log "
	                               "WHERE action = 'school.add'"),
	                 2);
}

static void
test_classes(void **state)
{
	struct fx *x = *state;
	char canon[PEOPLE_CLASS_MAX];
	int64_t id, id2;
	bool created;
	int grade;

	assert_int_equal(people_class_canonical("5-а", canon, &grade),
	                 PEOPLE_OK);
	assert_string_equal(canon, "5А");
	assert_int_equal(grade, 5);
	assert_int_equal(
	        people_class_ensure(x->db, x->school, "5-а", &id, &created),
	        PEOPLE_OK);
	assert_true(created);
	assert_int_equal(
	        people_class_ensure(x->db, x->school, "5А", &id2, &created),
	        PEOPLE_OK);
	assert_false(created);
	assert_int_equal(id, id2);
	assert_int_equal(people_class_find(x->db, x->school, " 5 а ", &id2),
	                 PEOPLE_OK);
	assert_int_equal(id, id2);
	assert_int_equal(
	        people_class_ensure(x->db, x->school, "А5", &id2, NULL),
	        PEOPLE_INVALID);
	assert_int_equal(people_class_set_shift(x->db, NULL, id, 2, "13:30"),
	                 PEOPLE_OK);
	assert_int_equal(fx_int(x->db, "SELECT shift FROM classes"), 2);
	assert_int_equal(people_class_set_shift(x->db, NULL, id, 4, "13:30"),
	                 PEOPLE_INVALID);
	assert_int_equal(people_class_set_shift(x->db, NULL, id, 1, "25:00"),
	                 PEOPLE_INVALID);
	assert_int_equal(people_class_set_shift(x->db, NULL, 999, 1, "08:00"),
	                 PEOPLE_NOT_FOUND);
	assert_int_equal(fx_int(x->db, "SELECT COUNT(*) FROM audit_log "
	                               "WHERE action = 'class.shift'"),
	                 1);
}

static void
test_consent_history(void **state)
{
	struct fx *x = *state;
	struct principal p = {.kind = PRINCIPAL_STAFF};
	int64_t sid, gid, other;
	json_t *card, *history, *cur;

	load(x);
	assert_int_equal(people_student_find(x->db, x->school, "a1", &sid),
	                 PEOPLE_OK);
	assert_false(people_consent_current(x->db, sid, "biometrics"));
	gid = fx_int(x->db, "SELECT id FROM guardians WHERE phone = "
	                    "'+77011110001'");
	other = fx_int(x->db, "SELECT id FROM guardians WHERE phone = "
	                      "'+77011110002'");
	assert_true(gid > 0 && other > 0);

	assert_int_equal(people_consent_record(x->db, NULL, sid, gid,
	                                       "biometrics", true,
	                                       "заявление №12"),
	                 PEOPLE_OK);
	assert_true(people_consent_current(x->db, sid, "biometrics"));
	assert_false(people_consent_current(x->db, sid, "data"));
	/* Withdrawn: in force at once, the earlier row kept. */
	assert_int_equal(people_consent_record(x->db, NULL, sid, gid,
	                                       "biometrics", false, "отзыв №3"),
	                 PEOPLE_OK);
	assert_false(people_consent_current(x->db, sid, "biometrics"));
	assert_int_equal(fx_int(x->db, "SELECT COUNT(*) FROM consents WHERE "
	                               "purpose = 'biometrics'"),
	                 2);
	/* Someone else's guardian, a bad purpose, no document. */
	assert_int_equal(people_consent_record(x->db, NULL, sid, other, "data",
	                                       true, "doc"),
	                 PEOPLE_NOT_FOUND);
	assert_int_equal(people_consent_record(x->db, NULL, sid, 0, "photos",
	                                       true, "doc"),
	                 PEOPLE_INVALID);
	assert_int_equal(
	        people_consent_record(x->db, NULL, sid, 0, "data", true, ""),
	        PEOPLE_INVALID);
	assert_int_equal(
	        people_consent_record(x->db, NULL, 999, 0, "data", true, "doc"),
	        PEOPLE_NOT_FOUND);
	/* A principal without a user id stores no recorded_by. */
	assert_int_equal(
	        people_consent_record(x->db, &p, sid, 0, "data", true, "doc"),
	        PEOPLE_OK);
	assert_int_equal(fx_int(x->db, "SELECT COUNT(*) FROM audit_log "
	                               "WHERE action = 'consent.record'"),
	                 3);

	assert_int_equal(people_student_card(x->db, x->school, "a1", &card),
	                 PEOPLE_OK);
	history = json_object_get(card, "consent_history");
	assert_int_equal(json_array_size(history), 3);
	assert_string_equal(json_string_value(json_object_get(
	                            json_array_get(history, 0), "purpose")),
	                    "data");
	assert_string_equal(json_string_value(json_object_get(
	                            json_array_get(history, 1), "document")),
	                    "отзыв №3");
	cur = json_object_get(card, "consent");
	assert_true(json_is_false(json_object_get(
	        json_object_get(cur, "biometrics"), "granted")));
	assert_string_equal(
	        json_string_value(json_object_get(
	                json_object_get(cur, "biometrics"), "guardian")),
	        "Нұр Нұров");
	assert_true(json_is_true(
	        json_object_get(json_object_get(cur, "data"), "granted")));
	assert_true(json_is_null(json_object_get(cur, "notifications")));
	json_decref(card);
}

static void
test_read_models(void **state)
{
	struct fx *x = *state;
	json_t *v, *classes, *students, *g;

	load(x);
	assert_int_equal(people_school_summary(x->db, x->school, &v),
	                 PEOPLE_OK);
	assert_string_equal(json_string_value(json_object_get(v, "code")),
	                    "s1");
	assert_string_equal(json_string_value(json_object_get(v, "region")),
	                    "reg");
	assert_int_equal(json_integer_value(json_object_get(v, "students")), 3);
	classes = json_object_get(v, "classes");
	assert_int_equal(json_array_size(classes), 2);
	/* By grade: 3А before 10B. */
	assert_string_equal(json_string_value(json_object_get(
	                            json_array_get(classes, 0), "name")),
	                    "3А");
	assert_int_equal(json_integer_value(json_object_get(
	                         json_array_get(classes, 0), "students")),
	                 2);
	assert_string_equal(json_string_value(json_object_get(
	                            json_array_get(classes, 1), "starts_at")),
	                    "08:00");
	json_decref(v);

	assert_int_equal(people_class_students(x->db, x->school, "3-а", &v),
	                 PEOPLE_OK);
	students = json_object_get(v, "students");
	assert_int_equal(json_array_size(students), 2);
	assert_true(json_is_null(
	        json_object_get(json_array_get(students, 0), "consent_data")));
	json_decref(v);
	assert_int_equal(people_class_students(x->db, x->school, "10B", &v),
	                 PEOPLE_OK);
	assert_true(json_is_true(json_object_get(
	        json_array_get(json_object_get(v, "students"), 0),
	        "consent_data")));
	json_decref(v);
	assert_int_equal(people_class_students(x->db, x->school, "9Я", &v),
	                 PEOPLE_NOT_FOUND);
	assert_null(v);
	assert_int_equal(
	        people_class_students(x->db, x->school, "nonsense", &v),
	        PEOPLE_NOT_FOUND);

	assert_int_equal(people_student_card(x->db, x->school, "a1", &v),
	                 PEOPLE_OK);
	assert_string_equal(json_string_value(json_object_get(v, "full_name")),
	                    "Әлия Нұрова");
	assert_string_equal(json_string_value(json_object_get(v, "class")),
	                    "3А");
	assert_int_equal(json_integer_value(json_object_get(v, "grade")), 3);
	assert_string_equal(json_string_value(json_object_get(v, "iin")),
	                    "150301501235");
	assert_true(json_is_null(json_object_get(v, "birth_date")));
	assert_string_equal(json_string_value(json_object_get(v, "status")),
	                    "active");
	assert_int_equal(json_array_size(json_object_get(v, "identifiers")), 0);
	g = json_array_get(json_object_get(v, "guardians"), 0);
	assert_string_equal(json_string_value(json_object_get(g, "phone")),
	                    "+77011110001");
	assert_true(json_is_null(json_object_get(g, "email")));
	json_decref(v);
	assert_int_equal(people_student_card(x->db, x->school, "zz", &v),
	                 PEOPLE_NOT_FOUND);

	assert_int_equal(people_school_list(x->db, 0, &v), PEOPLE_OK);
	assert_int_equal(json_array_size(v), 1);
	json_decref(v);
	assert_int_equal(people_school_list(x->db, 999, &v), PEOPLE_OK);
	assert_int_equal(json_array_size(v), 0);
	json_decref(v);
}

/* The report's messages come out in the language asked for. */
static void
test_report_format(void **state)
{
	struct fx *x = *state;
	struct roster_report rep;
	char line[256];
	json_t *j;

	assert_int_equal(roster_import(x->db, NULL, x->school, "dir/r.csv",
	                               S("ref,full_name,class,x\n"), false,
	                               &rep),
	                 PEOPLE_INVALID);
	assert_int_equal(rep.nerrors, 1);
	assert_string_equal(
	        roster_error_format(&rep, 0, LANG_EN, line, sizeof(line)),
	        "dir/r.csv:1: unknown column \"x\"");
	/* Truncated to the buffer, still terminated. */
	assert_string_equal(roster_error_format(&rep, 0, LANG_EN, line, 8),
	                    "dir/r.c");
	roster_report_free(&rep);
	/* ... and never inside a character: "ӘӘ" is 4 bytes. */
	assert_int_equal(roster_import(x->db, NULL, x->school, "ӘӘ.csv",
	                               S("ref,full_name,class,x\n"), false,
	                               &rep),
	                 PEOPLE_INVALID);
	assert_string_equal(roster_error_format(&rep, 0, LANG_EN, line, 4),
	                    "Ә");
	roster_report_free(&rep);
	assert_int_equal(roster_import(x->db, NULL, x->school, "r.csv",
	                               S(roster), true, &rep),
	                 PEOPLE_OK);
	j = roster_report_json(&rep);
	assert_int_equal(json_integer_value(json_object_get(j, "added")), 3);
	assert_true(json_is_true(json_object_get(j, "dry_run")));
	json_decref(j);
	roster_report_free(&rep);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_text_rules),
	        cmocka_unit_test_setup_teardown(test_schools, fx_setup,
	                                        fx_teardown),
	        cmocka_unit_test_setup_teardown(test_classes, fx_setup,
	                                        fx_teardown),
	        cmocka_unit_test_setup_teardown(test_consent_history, fx_setup,
	                                        fx_teardown),
	        cmocka_unit_test_setup_teardown(test_read_models, fx_setup,
	                                        fx_teardown),
	        cmocka_unit_test_setup_teardown(test_report_format, fx_setup,
	                                        fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
