/*
 * What a pass tells whom (access/pass.c): the subscribed guardians of a
 * child who came in, by first name, only while the notifications consent
 * is in force; nobody twice when the gate repeats a seq; the school's
 * security when a blocked card is presented; and the same through the
 * server's group commit.
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
#include "people/people.h"
#include "../testdb.h"
#include "fixture.h"

#define NOW "2024-09-02T08:00:00Z"

struct fixture {
	struct testdb t;
	struct store *db;
	int64_t school, child, gate, security;
	int64_t seq;
};

static void
add_guardian(struct store *db, int64_t child, int64_t id, const char *event)
{
	assert_int_equal(store_execf(db,
	                             "INSERT INTO guardians (id, full_name, "
	                             "created_at) VALUES (?, 'Parent', ?)",
	                             "it", id, NOW),
	                 STORE_OK);
	assert_int_equal(store_execf(db,
	                             "INSERT INTO student_guardians "
	                             "(student_id, guardian_id) VALUES (?, ?)",
	                             "ii", child, id),
	                 STORE_OK);
	assert_int_equal(store_execf(db,
	                             "INSERT INTO subscriptions (guardian_id, "
	                             "student_id, event, channel) VALUES "
	                             "(?, ?, ?, 'email')",
	                             "iit", id, child, event),
	                 STORE_OK);
}

static void
set_consent(struct fixture *f, bool granted)
{
	assert_int_equal(store_execf(f->db,
	                             "INSERT INTO consents (student_id, "
	                             "purpose, granted, recorded_at) VALUES "
	                             "(?, 'notifications', ?, ?)",
	                             "iit", f->child, (int64_t)granted, NOW),
	                 STORE_OK);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL || auth_init() == -1 ||
	    (f->db = testdb_open(&f->t)) == NULL ||
	    people_school_add(f->db, NULL, "sch-a", "A", NULL, NULL,
	                      &f->school) != PEOPLE_OK)
		return -1;
	f->child = fixture_add_student(f->db, f->school, "A1", "active", NOW);
	if (store_execf(f->db,
	                "UPDATE students SET full_name = "
	                "'Ахметов Алихан Серикович' WHERE id = ?",
	                "i", f->child) != STORE_OK ||
	    store_execf(f->db,
	                "INSERT INTO devices (school_id, kind, name, "
	                "token_hash, created_at) VALUES (?, 'gate', 'Main', "
	                "'h1', ?)",
	                "it", f->school, NOW) != STORE_OK ||
	    store_query_int(f->db, &f->gate, "SELECT id FROM devices", "") !=
	            STORE_ROW ||
	    auth_user_add(f->db, "guard", ROLE_SECURITY,
	                  "correct horse battery", &f->school, 1, 0,
	                  &f->security) != 0 ||
	    access_bind(f->db, NULL, f->school, f->child, "CARD1", "card", NULL,
	                0, NULL, NULL) != ACCESS_OK)
		return -1;
	add_guardian(f->db, f->child, 101, "entry");
	add_guardian(f->db, f->child, 102, "entry");
	add_guardian(f->db, f->child, 103, "exit");
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	access_use_group(NULL);
	testdb_close(&f->t);
	free(f);
	return 0;
}

/* A new pass (a fresh seq unless `seq` is given) of CARD1. */
static struct access_decision
pass(struct fixture *f, const char *direction, int64_t seq)
{
	struct access_pass in = {.device_id = f->gate,
	                         .school_id = f->school,
	                         .seq = seq > 0 ? seq : ++f->seq + 1000,
	                         .identifier = "CARD1",
	                         .direction = direction,
	                         .device_at = (int64_t)time(NULL)};
	struct access_decision d;

	assert_int_equal(access_pass_record(f->db, &in, &d), ACCESS_OK);
	return d;
}

static void
guardians_who_asked_hear_by_first_name(void **state)
{
	struct fixture *f = *state;
	const char *params;
	struct store_stmt *st;

	set_consent(f, true);
	assert_true(pass(f, "in", 1).allow);
	assert_int_equal(fixture_count(f->db,
	                               "SELECT count(*) FROM notices WHERE "
	                               "event = 'pass.in' AND guardian_id IN "
	                               "(101, 102)"),
	                 2);
	assert_int_equal(fixture_count(f->db, "SELECT count(*) FROM notices"),
	                 2);
	st = store_query(f->db, "SELECT params FROM notices LIMIT 1", "");
	assert_non_null(st);
	assert_int_equal(store_step(st), STORE_ROW);
	params = store_col_text(st, 0);
	assert_non_null(strstr(params, "\"first_name\":\"Алихан\""));
	assert_null(strstr(params, "Ахметов"));
	store_reset(st);

	/* The gate repeats the seq: nobody hears twice. */
	assert_true(pass(f, "in", 1).replay);
	assert_int_equal(fixture_count(f->db, "SELECT count(*) FROM notices"),
	                 2);
	/* Leaving reaches the one who asked for exits. */
	pass(f, "out", 0);
	assert_int_equal(
	        fixture_count(f->db,
	                      "SELECT count(*) FROM notices WHERE "
	                      "event = 'pass.out' AND guardian_id = 103"),
	        1);
}

static void
no_consent_passes_but_tells_nobody(void **state)
{
	struct fixture *f = *state;

	assert_true(pass(f, "in", 0).allow); /* no consent row at all */
	set_consent(f, true);
	set_consent(f, false); /* withdrawn: the newest row rules */
	assert_true(pass(f, "in", 0).allow);
	assert_int_equal(fixture_count(f->db, "SELECT count(*) FROM passes"),
	                 2);
	assert_int_equal(fixture_count(f->db, "SELECT count(*) FROM notices"),
	                 0);
}

static void
blocked_card_tells_security(void **state)
{
	struct fixture *f = *state;
	struct access_decision d;

	set_consent(f, true);
	assert_int_equal(access_block(f->db, NULL, f->school, "CARD1", NULL),
	                 ACCESS_OK);
	d = pass(f, "in", 7);
	assert_false(d.allow);
	assert_string_equal(d.reason, "blocked");
	pass(f, "in", 7); /* repeated */
	assert_int_equal(
	        fixture_count(f->db,
	                      "SELECT count(*) FROM notices WHERE event = "
	                      "'card.blocked_presented' AND urgent = 1"),
	        1);
	assert_int_equal(fixture_count(f->db, "SELECT count(*) FROM notices "
	                                      "WHERE guardian_id IS NOT NULL"),
	                 0);
}

static void
through_the_group_commit(void **state)
{
	struct fixture *f = *state;
	struct store_group *g;
	char err[256];

	set_consent(f, true);
	g = store_group_open(f->t.path, err, sizeof(err));
	assert_non_null(g);
	access_use_group(g);
	assert_true(pass(f, "in", 5).allow);
	assert_true(pass(f, "in", 5).replay);
	access_use_group(NULL);
	store_group_close(g);
	assert_int_equal(fixture_count(f->db, "SELECT count(*) FROM passes"),
	                 1);
	assert_int_equal(fixture_count(f->db, "SELECT count(*) FROM notices"),
	                 2);
}

static void
first_names(void **state)
{
	char out[16];

	(void)state;
	people_first_name("Ахметов Алихан Серикович", out, sizeof(out));
	assert_string_equal(out, "Алихан");
	people_first_name("Madina", out, sizeof(out));
	assert_string_equal(out, "Madina");
	people_first_name("  Ivanova   Anna ", out, sizeof(out));
	assert_string_equal(out, "Anna");
	/* Given name first: the patronymic or the surname tells. */
	people_first_name("Әлихан Серікұлы Нұрланов", out, sizeof(out));
	assert_string_equal(out, "Әлихан");
	people_first_name("Жанар, Бекқызы Омарова", out, sizeof(out));
	assert_string_equal(out, "Жанар");
	people_first_name("Anna Ivanova", out, sizeof(out));
	assert_string_equal(out, "Anna");
	people_first_name("Анна Сергеевна Иванова", out, sizeof(out));
	assert_string_equal(out, "Анна");
	people_first_name("", out, sizeof(out));
	assert_string_equal(out, "");
	/* Cut short, but never inside a character (2 bytes each). */
	people_first_name("X Айгерімайгерім", out, 8);
	assert_string_equal(out, "Айг");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(
	                guardians_who_asked_hear_by_first_name, setup,
	                teardown),
	        cmocka_unit_test_setup_teardown(
	                no_consent_passes_but_tells_nobody, setup, teardown),
	        cmocka_unit_test_setup_teardown(blocked_card_tells_security,
	                                        setup, teardown),
	        cmocka_unit_test_setup_teardown(through_the_group_commit, setup,
	                                        teardown),
	        cmocka_unit_test(first_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
