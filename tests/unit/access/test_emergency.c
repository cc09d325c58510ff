/*
 * Manual admission and emergency mode (access.c over access_store.c): who
 * may switch the mode (the rule table), what a gate is told while it is on
 * (allow, "emergency", still recorded, still one pass per seq), and the
 * row a manual pass leaves.  School 1 with two students, one who left.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "access/access.h"
#include "people/people.h"
#include "../testdb.h"
#include "fixture.h"

#define NOW "2024-09-02T08:00:00Z"

struct fixture {
	struct testdb t;
	struct store *db;
	int64_t school_a, school_b;
	int64_t a1, left;
	int64_t gate_a, user;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL || auth_init() == -1 ||
	    (f->db = testdb_open(&f->t)) == NULL)
		return -1;
	if (people_school_add(f->db, NULL, "sch-a", "A", NULL, NULL,
	                      &f->school_a) != PEOPLE_OK ||
	    people_school_add(f->db, NULL, "sch-b", "B", NULL, NULL,
	                      &f->school_b) != PEOPLE_OK)
		return -1;
	f->a1 = fixture_add_student(f->db, f->school_a, "A1", "active", NOW);
	f->left = fixture_add_student(f->db, f->school_a, "A9", "left", NOW);
	if (store_execf(f->db,
	                "INSERT INTO devices (school_id, kind, name, "
	                "token_hash, created_at) VALUES (?, 'gate', 'Main', "
	                "'h1', ?)",
	                "it", f->school_a, NOW) != STORE_OK ||
	    store_query_int(f->db, &f->gate_a, "SELECT id FROM devices", "") !=
	            STORE_ROW ||
	    auth_user_add(f->db, "teacher", ROLE_CLASS_TEACHER,
	                  "correct horse battery", &f->school_a, 1, 0,
	                  &f->user) != 0)
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

static struct principal
staff(enum role role)
{
	struct principal p;

	memset(&p, 0, sizeof(p));
	p.kind = PRINCIPAL_STAFF;
	p.role = role;
	return p;
}

static struct principal
device(const char *kind, int64_t school)
{
	struct principal p;

	memset(&p, 0, sizeof(p));
	p.kind = PRINCIPAL_DEVICE;
	p.device_id = 1;
	p.device_kind = kind;
	p.device_school_id = school;
	return p;
}

static void
test_rule_table(void **state)
{
	static const struct {
		enum role role;
		bool start, end;
	} want[] = {
	        {ROLE_DIRECTOR, true, true},
	        {ROLE_DEPUTY, true, false},
	        {ROLE_PSYCHOLOGIST, false, false},
	        {ROLE_SOCIAL_PEDAGOGUE, false, false},
	        {ROLE_CLASS_TEACHER, false, false},
	        {ROLE_SECURITY, true, false},
	        {ROLE_CASHIER, false, false},
	        {ROLE_LIBRARIAN, false, false},
	        {ROLE_SCHOOL_ADMIN, true, true},
	        {ROLE_POLICE_INSPECTOR, false, false},
	        {ROLE_PROSECUTOR, false, false},
	        {ROLE_OPERATOR, false, false},
	        {ROLE_SUPERVISOR, false, false},
	        {ROLE_EDUCATION_DEPT, false, false},
	        {ROLE_PLATFORM_ADMIN, true, true},
	};
	struct principal p;
	size_t i;

	(void)state;
	assert_int_equal(sizeof(want) / sizeof(want[0]), ROLE_COUNT);
	for (i = 0; i < ROLE_COUNT; i++) {
		p = staff(want[i].role);
		assert_int_equal(access_emergency_allowed(&p, 1, true),
		                 want[i].start);
		assert_int_equal(access_emergency_allowed(&p, 1, false),
		                 want[i].end);
	}
	/* A fire panel behind a gate or kiosk of the school: on, never off. */
	p = device("gate", 1);
	assert_true(access_emergency_allowed(&p, 1, true));
	assert_false(access_emergency_allowed(&p, 1, false));
	assert_false(access_emergency_allowed(&p, 2, true));
	p = device("kiosk", 1);
	assert_true(access_emergency_allowed(&p, 1, true));
	p = device("till", 1);
	assert_false(access_emergency_allowed(&p, 1, true));
	assert_false(access_emergency_allowed(NULL, 1, true));
}

static int
gate(struct fixture *f, int64_t seq, const char *value,
     struct access_decision *d)
{
	struct access_pass in = {.device_id = f->gate_a,
	                         .school_id = f->school_a,
	                         .seq = seq,
	                         .identifier = value,
	                         .direction = "in",
	                         .device_at = 1725264000};

	return access_pass_record(f->db, &in, d);
}

static void
test_emergency_passes(void **state)
{
	struct fixture *f = *state;
	struct principal panel = device("gate", f->school_a);
	struct access_decision d;
	struct access_mode m;
	bool changed = false;
	int64_t head = 0;
	char sql[160];

	panel.device_id = f->gate_a;
	/* Nobody on duty: the director hears of it, the teacher does not. */
	assert_int_equal(auth_user_add(f->db, "head", ROLE_DIRECTOR,
	                               "correct horse battery", &f->school_a, 1,
	                               0, &head),
	                 0);
	assert_int_equal(gate(f, 1, "NOBODY", &d), ACCESS_OK);
	assert_false(d.allow);
	assert_string_equal(d.reason, "unknown");

	assert_int_equal(access_emergency_set(f->db, &panel, f->school_a, true,
	                                      "fire panel zone 3", &changed),
	                 ACCESS_OK);
	assert_true(changed);
	assert_int_equal(access_mode_get(f->db, f->school_a, &m), ACCESS_OK);
	assert_true(m.emergency);
	assert_string_equal(m.reason, "fire panel zone 3");
	assert_int_not_equal(m.since[0], '\0');
	/* Again: nothing changes, nothing more is audited. */
	assert_int_equal(access_emergency_set(f->db, &panel, f->school_a, true,
	                                      NULL, &changed),
	                 ACCESS_OK);
	assert_false(changed);
	/* Another school is untouched. */
	assert_int_equal(access_mode_get(f->db, f->school_b, &m), ACCESS_OK);
	assert_false(m.emergency);

	assert_int_equal(gate(f, 2, "NOBODY", &d), ACCESS_OK);
	assert_true(d.allow);
	assert_string_equal(d.reason, "emergency");
	assert_false(d.replay);
	/* The same seq is still one pass, with the first answer. */
	assert_int_equal(gate(f, 2, "NOBODY", &d), ACCESS_OK);
	assert_true(d.replay);
	assert_true(d.allow);
	assert_string_equal(d.reason, "emergency");
	/* The first pass, decided before, keeps its answer. */
	assert_int_equal(gate(f, 1, "NOBODY", &d), ACCESS_OK);
	assert_false(d.allow);
	assert_int_equal(fixture_count(f->db, "SELECT count(*) FROM passes"),
	                 2);
	assert_int_equal(fixture_count(f->db,
	                               "SELECT count(*) FROM passes WHERE "
	                               "reason = 'emergency' AND "
	                               "decision = 'allow'"),
	                 1);
	assert_int_equal(fixture_count(f->db,
	                               "SELECT count(*) FROM audit_log WHERE "
	                               "action = 'emergency.on'"),
	                 1);
	assert_int_equal(
	        fixture_count(f->db, "SELECT by_device FROM school_modes"),
	        f->gate_a);
	snprintf(sql, sizeof(sql),
	         "SELECT count(*) FROM notices WHERE event = 'emergency.on' "
	         "AND urgent = 1 AND user_id = %lld",
	         (long long)head);
	assert_int_equal(fixture_count(f->db, sql), 1);
	assert_int_equal(fixture_count(f->db, "SELECT count(*) FROM notices"),
	                 1);

	/* Ended: gates decide by identifier again. */
	{
		struct principal director = staff(ROLE_DIRECTOR);

		director.user_id = f->user;
		assert_int_equal(access_emergency_set(f->db, &director,
		                                      f->school_a, false, NULL,
		                                      &changed),
		                 ACCESS_OK);
		assert_true(changed);
	}
	assert_int_equal(gate(f, 3, "NOBODY", &d), ACCESS_OK);
	assert_false(d.allow);
	assert_string_equal(d.reason, "unknown");
	assert_int_equal(fixture_count(f->db,
	                               "SELECT count(*) FROM audit_log WHERE "
	                               "action = 'emergency.off'"),
	                 1);
	assert_int_equal(fixture_count(f->db,
	                               "SELECT count(*) FROM notices WHERE "
	                               "event = 'emergency.off'"),
	                 1);
	assert_int_equal(access_emergency_set(f->db, NULL, f->school_a, true,
	                                      "bad\x01", NULL),
	                 ACCESS_INVALID);
}

static void
test_manual_pass(void **state)
{
	struct fixture *f = *state;
	struct principal p = staff(ROLE_CLASS_TEACHER);

	p.user_id = f->user;
	assert_int_equal(access_admit(f->db, &p, f->school_a, f->a1, "in"),
	                 ACCESS_OK);
	assert_int_equal(fixture_count(f->db,
	                               "SELECT count(*) FROM passes WHERE "
	                               "device_id IS NULL AND seq IS NULL AND "
	                               "decision = 'allow' AND "
	                               "reason = 'manual' AND "
	                               "direction = 'in'"),
	                 1);
	assert_int_equal(fixture_count(f->db, "SELECT manual_by FROM passes"),
	                 f->user);
	assert_int_equal(fixture_count(f->db, "SELECT student_id FROM passes"),
	                 f->a1);
	assert_int_equal(fixture_count(f->db,
	                               "SELECT count(*) FROM audit_log WHERE "
	                               "action = 'pass.manual'"),
	                 1);
	/* Left, another school, a bad direction, no user: nothing written. */
	assert_int_equal(access_admit(f->db, &p, f->school_a, f->left, "in"),
	                 ACCESS_LEFT);
	assert_int_equal(access_admit(f->db, &p, f->school_b, f->a1, "in"),
	                 ACCESS_NOT_FOUND);
	assert_int_equal(access_admit(f->db, &p, f->school_a, f->a1, "up"),
	                 ACCESS_INVALID);
	assert_int_equal(access_admit(f->db, NULL, f->school_a, f->a1, "in"),
	                 ACCESS_INVALID);
	assert_int_equal(fixture_count(f->db, "SELECT count(*) FROM passes"),
	                 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_rule_table),
	        cmocka_unit_test_setup_teardown(test_emergency_passes, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_manual_pass, setup,
	                                        teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
