/*
 * Alarms (alarm.c): a gate's or kiosk's report is recorded once per device
 * and seq and alerts the staff in the same transaction; only gates and
 * kiosks raise them, each at its own school; acknowledging is for those
 * who keep the building or are on duty, and twice is harmless; an alarm
 * left open ACCESS_ALARM_ESCALATE_SECONDS is escalated to the leaders
 * exactly once, and an acknowledged one never.
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
#include "people/people.h"
#include "../testdb.h"
#include "fixture.h"

#define NOW "2025-02-03T08:00:00Z"

struct fixture {
	struct testdb t;
	struct store *db;
	int64_t school_a, school_b;
	int64_t director, deputy, security, teacher, director_b;
	int64_t gate_a, kiosk_a, till_a, gate_b;
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
	f->deputy = fixture_add_user(f->db, "deputy-a", "deputy", f->school_a);
	f->security =
	        fixture_add_user(f->db, "security-a", "security", f->school_a);
	f->teacher = fixture_add_user(f->db, "teacher-a", "class_teacher",
	                              f->school_a);
	f->director_b =
	        fixture_add_user(f->db, "director-b", "director", f->school_b);
	f->gate_a = fixture_add_device(f->db, f->school_a, "gate", "Main gate");
	f->kiosk_a = fixture_add_device(f->db, f->school_a, "kiosk", "Kiosk");
	f->till_a = fixture_add_device(f->db, f->school_a, "till", "Till");
	f->gate_b =
	        fixture_add_device(f->db, f->school_b, "gate", "North door");
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

static struct principal
device(int64_t id, const char *kind, int64_t school)
{
	struct principal p;

	memset(&p, 0, sizeof(p));
	p.kind = PRINCIPAL_DEVICE;
	p.device_id = id;
	p.device_kind = kind;
	p.device_school_id = school;
	return p;
}

static struct principal
staff(enum role role, int64_t user)
{
	struct principal p;

	memset(&p, 0, sizeof(p));
	p.kind = PRINCIPAL_STAFF;
	p.role = role;
	p.user_id = user;
	return p;
}

static int64_t
count(struct fixture *f, const char *sql)
{
	return fixture_count(f->db, sql);
}

static int64_t
raise_at(struct fixture *f, const struct principal *p, const char *kind,
         int64_t seq, bool *replay)
{
	int64_t id = 0;

	assert_int_equal(access_alarm_raise(f->db, p, kind, (int64_t)time(NULL),
	                                    seq, &id, replay),
	                 ACCESS_OK);
	assert_true(id > 0);
	return id;
}

static void
test_raise_once(void **state)
{
	struct fixture *f = *state;
	struct principal gate = device(f->gate_a, "gate", f->school_a);
	struct principal kiosk = device(f->kiosk_a, "kiosk", f->school_a);
	int64_t id, again, other;
	bool replay = true;

	id = raise_at(f, &gate, "forced", 7, &replay);
	assert_false(replay);
	assert_int_equal(count(f, "SELECT count(*) FROM alarms WHERE "
	                          "state = 'open' AND kind = 'forced' AND "
	                          "acknowledged_by IS NULL AND "
	                          "escalated_at IS NULL"),
	                 1);
	/* Nobody on duty: the director, the deputy and security, urgent. */
	assert_int_equal(count(f, "SELECT count(*) FROM notices WHERE "
	                          "event = 'alarm.forced' AND urgent = 1"),
	                 3);
	assert_int_equal(count(f, "SELECT count(*) FROM notices n JOIN users u "
	                          "ON u.id = n.user_id WHERE u.login IN "
	                          "('teacher-a', 'director-b')"),
	                 0);
	assert_int_equal(count(f, "SELECT count(*) FROM notices WHERE params "
	                          "LIKE '%\"gate\":\"Main gate\"%'"),
	                 3);
	assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE "
	                          "action = 'alarm.raise'"),
	                 1);
	/* The same device and seq: the same alarm, nothing new. */
	again = raise_at(f, &gate, "tampered", 7, &replay);
	assert_true(replay);
	assert_int_equal(again, id);
	assert_int_equal(count(f, "SELECT count(*) FROM alarms"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM notices"), 3);
	/* The same seq from another device is another alarm. */
	other = raise_at(f, &kiosk, "tampered", 7, &replay);
	assert_false(replay);
	assert_true(other != id);
	assert_int_equal(count(f, "SELECT count(*) FROM notices WHERE "
	                          "event = 'alarm.tampered'"),
	                 3);
}

static void
test_raise_refused(void **state)
{
	struct fixture *f = *state;
	struct principal till = device(f->till_a, "till", f->school_a);
	struct principal gate = device(f->gate_a, "gate", f->school_a);
	struct principal boss = staff(ROLE_DIRECTOR, f->director);
	int64_t id = 5;
	bool replay;

	assert_int_equal(
	        access_alarm_raise(f->db, &till, "forced", 0, 1, &id, &replay),
	        ACCESS_INVALID);
	assert_int_equal(id, 0);
	assert_int_equal(
	        access_alarm_raise(f->db, &boss, "forced", 0, 1, &id, &replay),
	        ACCESS_INVALID);
	assert_int_equal(
	        access_alarm_raise(f->db, NULL, "forced", 0, 1, &id, &replay),
	        ACCESS_INVALID);
	assert_int_equal(
	        access_alarm_raise(f->db, &gate, "smoke", 0, 1, &id, &replay),
	        ACCESS_INVALID);
	assert_int_equal(
	        access_alarm_raise(f->db, &gate, "forced", 0, -1, &id, &replay),
	        ACCESS_INVALID);
	assert_int_equal(count(f, "SELECT count(*) FROM alarms"), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM notices"), 0);
	assert_true(access_alarm_kind_valid("forced"));
	assert_true(access_alarm_kind_valid("tampered"));
	assert_false(access_alarm_kind_valid("Forced"));
	assert_false(access_alarm_kind_valid(NULL));
}

static void
test_own_school(void **state)
{
	struct fixture *f = *state;
	struct principal gate_b = device(f->gate_b, "gate", f->school_b);
	struct principal boss_a = staff(ROLE_DIRECTOR, f->director);
	json_t *list = NULL;
	int64_t id;
	bool replay;

	id = raise_at(f, &gate_b, "forced", 1, &replay);
	assert_int_equal(count(f, "SELECT count(*) FROM alarms a JOIN schools "
	                          "s ON s.id = a.school_id WHERE "
	                          "s.code = 'sch-b'"),
	                 1);
	assert_int_equal(count(f, "SELECT count(*) FROM notices"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM notices n JOIN users u "
	                          "ON u.id = n.user_id WHERE "
	                          "u.login = 'director-b'"),
	                 1);
	assert_int_equal(access_alarms_json(f->db, f->school_a, false, &list),
	                 ACCESS_OK);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);
	/* Acknowledging it as school A's finds nothing. */
	assert_int_equal(
	        access_alarm_ack(f->db, &boss_a, f->school_a, id, NULL),
	        ACCESS_NOT_FOUND);
	assert_int_equal(access_alarm_json(f->db, f->school_a, id, &list),
	                 ACCESS_NOT_FOUND);
	assert_null(list);
}

static void
test_acknowledge(void **state)
{
	struct fixture *f = *state;
	struct principal gate = device(f->gate_a, "gate", f->school_a);
	struct principal boss = staff(ROLE_DIRECTOR, f->director);
	struct principal guard = staff(ROLE_SECURITY, f->security);
	struct principal teacher = staff(ROLE_CLASS_TEACHER, f->teacher);
	struct principal admin = staff(ROLE_PLATFORM_ADMIN, 0);
	struct principal operator= staff(ROLE_OPERATOR, 0);
	struct access_duty_entry e[6];
	char today[ATTENDANCE_DATE_SIZE], yesterday[ATTENDANCE_DATE_SIZE];
	json_t *list = NULL, *one = NULL;
	bool changed = false, replay;
	int64_t id, day;
	int s;

	id = raise_at(f, &gate, "forced", 1, &replay);
	assert_true(access_alarm_ack_allowed(f->db, &boss, f->school_a));
	assert_true(access_alarm_ack_allowed(f->db, &guard, f->school_a));
	assert_true(access_alarm_ack_allowed(f->db, &admin, f->school_a));
	assert_false(access_alarm_ack_allowed(f->db, &operator, f->school_a));
	assert_false(access_alarm_ack_allowed(f->db, &teacher, f->school_a));
	assert_false(access_alarm_ack_allowed(f->db, &gate, f->school_a));
	/* The teacher on duty now may: the alert went to them. */
	assert_int_equal(attendance_today(f->db, f->school_a, today),
	                 ATTENDANCE_OK);
	assert_int_equal(attendance_date_day(today, &day), 0);
	attendance_day_date(day - 1, yesterday);
	for (s = 0; s < 3; s++) {
		e[s] = (struct access_duty_entry){yesterday, s + 1,
		                                  "teacher-a"};
		e[s + 3] =
		        (struct access_duty_entry){today, s + 1, "teacher-a"};
	}
	assert_int_equal(access_duty_set(f->db, &boss, f->school_a, yesterday,
	                                 today, e, 6, NULL, 0, NULL),
	                 ACCESS_OK);
	assert_true(access_alarm_ack_allowed(f->db, &teacher, f->school_a));

	assert_int_equal(access_alarms_json(f->db, f->school_a, true, &list),
	                 ACCESS_OK);
	assert_int_equal(json_array_size(list), 1);
	json_decref(list);
	assert_int_equal(access_alarm_ack(f->db, &gate, f->school_a, id, NULL),
	                 ACCESS_INVALID);
	assert_int_equal(
	        access_alarm_ack(f->db, &guard, f->school_a, id, &changed),
	        ACCESS_OK);
	assert_true(changed);
	/* A second acknowledgement keeps the first. */
	assert_int_equal(
	        access_alarm_ack(f->db, &boss, f->school_a, id, &changed),
	        ACCESS_OK);
	assert_false(changed);
	assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE "
	                          "action = 'alarm.ack'"),
	                 1);
	assert_int_equal(access_alarm_json(f->db, f->school_a, id, &one),
	                 ACCESS_OK);
	assert_string_equal(json_string_value(json_object_get(one, "state")),
	                    "acknowledged");
	assert_string_equal(
	        json_string_value(json_object_get(one, "acknowledged_by")),
	        "security-a");
	assert_string_equal(json_string_value(json_object_get(one, "gate")),
	                    "Main gate");
	assert_string_equal(json_string_value(json_object_get(one, "kind")),
	                    "forced");
	assert_non_null(json_string_value(json_object_get(one, "at")));
	assert_true(json_is_null(json_object_get(one, "escalated_at")));
	json_decref(one);
	assert_int_equal(access_alarms_json(f->db, f->school_a, true, &list),
	                 ACCESS_OK);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);
	assert_int_equal(access_alarms_json(f->db, f->school_a, false, &list),
	                 ACCESS_OK);
	assert_int_equal(json_array_size(list), 1);
	json_decref(list);
	assert_int_equal(
	        access_alarm_ack(f->db, &boss, f->school_a, id + 100, NULL),
	        ACCESS_NOT_FOUND);
}

static void
test_escalate_once(void **state)
{
	struct fixture *f = *state;
	struct principal gate = device(f->gate_a, "gate", f->school_a);
	struct principal boss = staff(ROLE_DIRECTOR, f->director);
	int64_t now = (int64_t)time(NULL), first, acked;
	size_t n = 99;
	bool replay;

	first = raise_at(f, &gate, "forced", 1, &replay);
	acked = raise_at(f, &gate, "tampered", 2, &replay);
	assert_int_equal(
	        access_alarm_ack(f->db, &boss, f->school_a, acked, NULL),
	        ACCESS_OK);
	/* Received now: not yet, however often it is asked. */
	assert_int_equal(access_alarms_escalate(f->db, now, &n), ACCESS_OK);
	assert_int_equal(n, 0);
	assert_int_equal(
	        access_alarms_escalate(
	                f->db, now + ACCESS_ALARM_ESCALATE_SECONDS - 2, &n),
	        ACCESS_OK);
	assert_int_equal(n, 0);
	/* Past the limit: the open one, to the leaders, once. */
	assert_int_equal(
	        access_alarms_escalate(
	                f->db, now + ACCESS_ALARM_ESCALATE_SECONDS + 2, &n),
	        ACCESS_OK);
	assert_int_equal(n, 1);
	assert_int_equal(count(f, "SELECT count(*) FROM notices WHERE "
	                          "event = 'alarm.escalated' AND urgent = 1"),
	                 3);
	assert_int_equal(count(f, "SELECT count(*) FROM notices WHERE "
	                          "event = 'alarm.escalated' AND dedup_key "
	                          "LIKE 'alarm:%:escalated:u%'"),
	                 3);
	assert_int_equal(count(f, "SELECT count(*) FROM alarms WHERE "
	                          "escalated_at IS NOT NULL"),
	                 1);
	assert_int_equal(access_alarms_escalate(f->db, now + 3600, &n),
	                 ACCESS_OK);
	assert_int_equal(n, 0);
	assert_int_equal(count(f, "SELECT count(*) FROM notices WHERE "
	                          "event = 'alarm.escalated'"),
	                 3);
	/* Still open: acknowledging it later works as ever. */
	assert_int_equal(
	        access_alarm_ack(f->db, &boss, f->school_a, first, NULL),
	        ACCESS_OK);
	/* Nothing due is a cheap no-op, also with no count wanted. */
	assert_int_equal(access_alarms_escalate(f->db, now + 7200, NULL),
	                 ACCESS_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_raise_once, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_raise_refused, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_own_school, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_acknowledge, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_escalate_once, setup,
	                                        teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
