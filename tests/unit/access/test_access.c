/*
 * The access rules (access.c over access_store.c): binding, one active
 * holder per value, biometric consent, block and unblock, the decision a
 * gate gets for every reason, a repeated seq, and the validators the HTTP
 * edge uses.  Schools 1 and 2; students and gates are inserted directly.
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
	int64_t school_a, school_b;
	int64_t a1, a2, left, b1; /* students */
	int64_t gate_a;
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
	f->a1 = fixture_add_student(f->db, f->school_a, "A1", "active", NOW);
	f->a2 = fixture_add_student(f->db, f->school_a, "A2", "active", NOW);
	f->left = fixture_add_student(f->db, f->school_a, "A9", "left", NOW);
	f->b1 = fixture_add_student(f->db, f->school_b, "B1", "active", NOW);
	if (store_execf(f->db,
	                "INSERT INTO devices (school_id, kind, name, "
	                "token_hash, created_at) VALUES (?, 'gate', 'Main', "
	                "'h1', ?)",
	                "it", f->school_a, NOW) != STORE_OK ||
	    store_query_int(f->db, &f->gate_a, "SELECT id FROM devices", "") !=
	            STORE_ROW)
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

static int
do_bind(struct fixture *f, int64_t school, int64_t student, const char *value,
        const char *kind)
{
	return access_bind(f->db, NULL, school, student, value, kind, NULL, 0,
	                   NULL, NULL);
}

static void
test_bind_one_active_per_value(void **state)
{
	struct fixture *f = *state;
	char holder[ACCESS_REF_SIZE];
	int64_t holder_school = 0;

	assert_int_equal(do_bind(f, f->school_a, f->a1, "CARD:1", "card"),
	                 ACCESS_OK);
	/* Taken: by another student, even of another school, or this one. */
	assert_int_equal(access_bind(f->db, NULL, f->school_b, f->b1, "CARD:1",
	                             "fob", holder, sizeof(holder),
	                             &holder_school, NULL),
	                 ACCESS_TAKEN);
	assert_string_equal(holder, "sch-a/A1");
	assert_int_equal(holder_school, f->school_a);
	assert_int_equal(do_bind(f, f->school_a, f->a1, "CARD:1", "card"),
	                 ACCESS_TAKEN);
	/* Bad values, a student of another school, a student who left. */
	assert_int_equal(do_bind(f, f->school_a, f->a2, "bad value", "card"),
	                 ACCESS_INVALID);
	assert_int_equal(do_bind(f, f->school_a, f->a2, "X1", "laser"),
	                 ACCESS_INVALID);
	assert_int_equal(do_bind(f, f->school_a, f->b1, "X1", "card"),
	                 ACCESS_NOT_FOUND);
	assert_int_equal(do_bind(f, f->school_a, f->left, "X1", "card"),
	                 ACCESS_LEFT);
	assert_int_equal(
	        fixture_count(f->db, "SELECT count(*) FROM identifiers"), 1);
	assert_int_equal(fixture_count(f->db,
	                               "SELECT count(*) FROM audit_log WHERE "
	                               "action = 'identifier.bind'"),
	                 1);
}

static void
test_biometric_needs_consent(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(do_bind(f, f->school_a, f->a1, "BIO-7", "biometric"),
	                 ACCESS_NO_CONSENT);
	assert_int_equal(people_consent_record(f->db, NULL, f->a1, 0,
	                                       PEOPLE_PURPOSE_BIOMETRICS, true,
	                                       "paper 1"),
	                 PEOPLE_OK);
	assert_int_equal(do_bind(f, f->school_a, f->a1, "BIO-7", "biometric"),
	                 ACCESS_OK);
}

static void
test_block_rebind_unblock(void **state)
{
	struct fixture *f = *state;
	json_t *list = NULL;

	assert_int_equal(do_bind(f, f->school_a, f->a1, "CARD:1", "card"),
	                 ACCESS_OK);
	/* Another school cannot block it; nothing to unblock yet. */
	assert_int_equal(access_block(f->db, NULL, f->school_b, "CARD:1", NULL),
	                 ACCESS_NOT_FOUND);
	assert_int_equal(access_unblock(f->db, NULL, f->school_a, "CARD:1"),
	                 ACCESS_NOT_FOUND);
	assert_int_equal(
	        access_block(f->db, NULL, f->school_a, "CARD:1", "lost"),
	        ACCESS_OK);
	assert_int_equal(access_block(f->db, NULL, f->school_a, "CARD:1", NULL),
	                 ACCESS_NOT_FOUND);
	/* A lost card: a new one for the same student; the found one is
	 * given to someone else, so it cannot come back. */
	assert_int_equal(do_bind(f, f->school_a, f->a1, "CARD:2", "card"),
	                 ACCESS_OK);
	assert_int_equal(do_bind(f, f->school_a, f->a2, "CARD:1", "card"),
	                 ACCESS_OK);
	assert_int_equal(access_unblock(f->db, NULL, f->school_a, "CARD:1"),
	                 ACCESS_TAKEN);
	assert_int_equal(access_block(f->db, NULL, f->school_a, "CARD:1", NULL),
	                 ACCESS_OK);
	assert_int_equal(access_unblock(f->db, NULL, f->school_a, "CARD:1"),
	                 ACCESS_OK);
	/* The student row is untouched; both cards are on the card. */
	assert_int_equal(fixture_count(f->db,
	                               "SELECT count(*) FROM students WHERE "
	                               "updated_at <> '" NOW "'"),
	                 0);
	list = json_array();
	assert_int_equal(access_student_identifiers(f->db, f->a1, list), 0);
	assert_int_equal(json_array_size(list), 2);
	assert_string_equal(json_string_value(json_object_get(
	                            json_array_get(list, 1), "status")),
	                    "blocked");
	assert_string_equal(json_string_value(json_object_get(
	                            json_array_get(list, 1), "reason")),
	                    "lost");
	json_decref(list);
	assert_int_equal(fixture_count(f->db,
	                               "SELECT count(*) FROM audit_log WHERE "
	                               "action LIKE 'identifier.%'"),
	                 6);
}

/* Presents `value` at school A's gate with `seq`; returns the reason. */
static const char *
present(struct fixture *f, const char *value, int64_t seq, bool *allow)
{
	struct access_pass in = {.device_id = f->gate_a,
	                         .school_id = f->school_a,
	                         .seq = seq,
	                         .identifier = value,
	                         .direction = "in",
	                         .device_at = (int64_t)time(NULL)};
	struct access_decision d;

	assert_int_equal(access_pass_record(f->db, &in, &d), ACCESS_OK);
	*allow = d.allow;
	return d.reason;
}

static void
test_decisions(void **state)
{
	struct fixture *f = *state;
	bool allow;

	assert_int_equal(do_bind(f, f->school_a, f->a1, "OK1", "card"),
	                 ACCESS_OK);
	assert_int_equal(do_bind(f, f->school_a, f->a2, "BLK", "card"),
	                 ACCESS_OK);
	assert_int_equal(access_block(f->db, NULL, f->school_a, "BLK", NULL),
	                 ACCESS_OK);
	assert_int_equal(do_bind(f, f->school_b, f->b1, "OTHER", "card"),
	                 ACCESS_OK);
	assert_int_equal(do_bind(f, f->school_a, f->a2, "GONE", "card"),
	                 ACCESS_OK);
	assert_int_equal(store_execf(f->db,
	                             "UPDATE students SET status = 'left' "
	                             "WHERE id = ?",
	                             "i", f->a2),
	                 STORE_OK);

	assert_string_equal(present(f, "OK1", 1, &allow), "ok");
	assert_true(allow);
	assert_string_equal(present(f, "NOPE", 2, &allow), "unknown");
	assert_false(allow);
	assert_string_equal(present(f, "BLK", 3, &allow), "blocked");
	assert_false(allow);
	assert_string_equal(present(f, "GONE", 4, &allow), "left");
	assert_false(allow);
	assert_string_equal(present(f, "OTHER", 5, &allow), "other_school");
	assert_false(allow);
	assert_int_equal(fixture_count(f->db, "SELECT count(*) FROM passes"),
	                 5);
	/* Another school's student is not recorded against this school. */
	assert_int_equal(fixture_count(f->db,
	                               "SELECT count(*) FROM passes WHERE "
	                               "seq = 5 AND student_id IS NULL"),
	                 1);
}

static void
test_same_seq_twice(void **state)
{
	struct fixture *f = *state;
	struct access_pass in = {.device_id = f->gate_a,
	                         .school_id = f->school_a,
	                         .seq = 42,
	                         .identifier = "OK1",
	                         .direction = "in",
	                         .device_at = (int64_t)time(NULL)};
	struct access_decision d;

	assert_int_equal(do_bind(f, f->school_a, f->a1, "OK1", "card"),
	                 ACCESS_OK);
	assert_int_equal(access_pass_record(f->db, &in, &d), ACCESS_OK);
	assert_true(d.allow);
	assert_false(d.replay);
	/* Blocked since: the retry still gets the first answer. */
	assert_int_equal(access_block(f->db, NULL, f->school_a, "OK1", NULL),
	                 ACCESS_OK);
	assert_int_equal(access_pass_record(f->db, &in, &d), ACCESS_OK);
	assert_true(d.allow);
	assert_true(d.replay);
	assert_string_equal(d.reason, "ok");
	assert_int_equal(fixture_count(f->db, "SELECT count(*) FROM passes"),
	                 1);
	assert_false(store_in_transaction(f->db));
}

static void
test_passes_listing(void **state)
{
	struct fixture *f = *state;
	struct access_pass in = {.device_id = f->gate_a,
	                         .school_id = f->school_a,
	                         .identifier = "OK1",
	                         .direction = "in"};
	struct access_decision d;
	json_t *list = NULL;

	assert_int_equal(do_bind(f, f->school_a, f->a1, "OK1", "card"),
	                 ACCESS_OK);
	assert_int_equal(
	        access_time_parse("2024-09-02T13:30:00+05:00", &in.device_at),
	        0);
	in.seq = 1;
	assert_int_equal(access_pass_record(f->db, &in, &d), ACCESS_OK);
	assert_int_equal(
	        access_time_parse("2024-09-03T02:00:00Z", &in.device_at), 0);
	in.seq = 2;
	in.direction = "out";
	assert_int_equal(access_pass_record(f->db, &in, &d), ACCESS_OK);
	assert_int_equal(access_student_passes(f->db, f->a1, "2024-09-02",
	                                       "2024-09-02", &list),
	                 ACCESS_OK);
	assert_int_equal(json_array_size(list), 1);
	assert_string_equal(json_string_value(json_object_get(
	                            json_array_get(list, 0), "at")),
	                    "2024-09-02T08:30:00Z");
	assert_string_equal(json_string_value(json_object_get(
	                            json_array_get(list, 0), "gate")),
	                    "Main");
	json_decref(list);
	assert_int_equal(access_student_passes(f->db, f->a1, "2024-09-01",
	                                       "2024-09-03", &list),
	                 ACCESS_OK);
	assert_int_equal(json_array_size(list), 2);
	assert_string_equal(json_string_value(json_object_get(
	                            json_array_get(list, 1), "direction")),
	                    "out");
	json_decref(list);
	assert_int_equal(access_student_passes(f->db, f->a1, "2024-09-03",
	                                       "2024-09-02", &list),
	                 ACCESS_INVALID);
}

static void
test_validators(void **state)
{
	char big[ACCESS_IDENTIFIER_MAX + 2], out[ACCESS_TIME_SIZE];
	int64_t t = 0, now = 1725264000; /* 2024-09-02T08:00:00Z */
	bool ok;

	(void)state;
	assert_true(access_identifier_valid("04:A2:19:FF"));
	assert_true(access_identifier_valid("phone_77011234567-x"));
	assert_false(access_identifier_valid(""));
	assert_false(access_identifier_valid("a b"));
	assert_false(access_identifier_valid("карта"));
	assert_false(access_identifier_valid("a/b"));
	memset(big, 'x', sizeof(big));
	big[ACCESS_IDENTIFIER_MAX] = '\0';
	assert_true(access_identifier_valid(big));
	big[ACCESS_IDENTIFIER_MAX] = 'x';
	big[ACCESS_IDENTIFIER_MAX + 1] = '\0';
	assert_false(access_identifier_valid(big));
	assert_true(access_direction_valid("in"));
	assert_true(access_direction_valid("out"));
	assert_false(access_direction_valid("IN"));
	assert_false(access_direction_valid("sideways"));
	assert_true(access_kind_valid("magnetic"));
	assert_false(access_kind_valid("Card"));

	assert_int_equal(access_time_parse("2024-09-02T08:00:00Z", &t), 0);
	assert_int_equal(t, now);
	assert_int_equal(access_time_parse("2024-09-02T13:00:00.123+05:00", &t),
	                 0);
	assert_int_equal(t, now);
	assert_int_equal(access_time_parse("2024-09-02T03:00:00-05:00", &t), 0);
	assert_int_equal(t, now);
	access_time_format(t, out);
	assert_string_equal(out, "2024-09-02T08:00:00Z");
	assert_int_equal(access_time_parse("2024-09-02 08:00:00Z", &t), -1);
	assert_int_equal(access_time_parse("2024-09-02T08:00:00", &t), -1);
	assert_int_equal(access_time_parse("2024-02-30T08:00:00Z", &t), -1);
	assert_int_equal(access_time_parse("2024-09-02T24:00:00Z", &t), -1);
	assert_int_equal(access_time_parse("2024-09-02T08:00:00+0500", &t), -1);
	assert_int_equal(access_time_parse("2024-09-02T08:00:00.Z", &t), -1);
	assert_int_equal(access_time_parse("yesterday", &t), -1);

	assert_int_equal(access_time_window(now, now), ACCESS_WHEN_OK);
	assert_int_equal(
	        access_time_window(now + ACCESS_FUTURE_SKEW_SECONDS, now),
	        ACCESS_WHEN_OK);
	assert_int_equal(
	        access_time_window(now + ACCESS_FUTURE_SKEW_SECONDS + 1, now),
	        ACCESS_WHEN_FUTURE);
	assert_int_equal(access_time_window(now - ACCESS_PAST_MAX_SECONDS, now),
	                 ACCESS_WHEN_OK);
	assert_int_equal(
	        access_time_window(now - ACCESS_PAST_MAX_SECONDS - 1, now),
	        ACCESS_WHEN_PAST);

	assert_int_equal(access_days_between("2024-01-01", "2024-12-31", &ok),
	                 365);
	assert_true(ok);
	assert_int_equal(access_days_between("2024-03-01", "2024-02-28", &ok),
	                 -2);
	access_days_between("2024-13-01", "2024-02-28", &ok);
	assert_false(ok);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_bind_one_active_per_value,
	                                        setup, teardown),
	        cmocka_unit_test_setup_teardown(test_biometric_needs_consent,
	                                        setup, teardown),
	        cmocka_unit_test_setup_teardown(test_block_rebind_unblock,
	                                        setup, teardown),
	        cmocka_unit_test_setup_teardown(test_decisions, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_same_seq_twice, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_passes_listing, setup,
	                                        teardown),
	        cmocka_unit_test(test_validators),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
