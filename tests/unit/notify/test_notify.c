/*
 * The notice outbox and the staff inbox: a notice only inside a
 * transaction, one notice per dedup key, fan-out by role to the school's
 * enabled staff only, urgent unread notices first, and nobody marks
 * another person's notice read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "notify/notify.h"
#include "people/people.h"
#include "../testdb.h"

#define PASSWORD "correct horse battery"

struct fixture {
	struct testdb t;
	struct store *db;
	int64_t school_a, school_b;
	int64_t director, security, teacher, other_director, disabled;
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
	if (auth_user_add(f->db, "dir-a", ROLE_DIRECTOR, PASSWORD, &f->school_a,
	                  1, 0, &f->director) != 0 ||
	    auth_user_add(f->db, "sec-a", ROLE_SECURITY, PASSWORD, &f->school_a,
	                  1, 0, &f->security) != 0 ||
	    auth_user_add(f->db, "tea-a", ROLE_CLASS_TEACHER, PASSWORD,
	                  &f->school_a, 1, 0, &f->teacher) != 0 ||
	    auth_user_add(f->db, "dir-b", ROLE_DIRECTOR, PASSWORD, &f->school_b,
	                  1, 0, &f->other_director) != 0 ||
	    auth_user_add(f->db, "sec-a2", ROLE_SECURITY, PASSWORD,
	                  &f->school_a, 1, 0, &f->disabled) != 0 ||
	    auth_user_set_disabled(f->db, f->disabled, true) != 0)
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
count(struct store *db, const char *where)
{
	char sql[256];
	int64_t n = -1;

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM notices WHERE %s",
	         where);
	assert_int_equal(store_query_int(db, &n, sql, ""), STORE_ROW);
	return n;
}

static struct notify_notice
notice_to(int64_t user, const char *event, const char *key)
{
	struct notify_notice n = {.event = event, .user_id = user, .key = key};

	return n;
}

static void
needs_a_transaction(void **state)
{
	struct fixture *f = *state;
	struct notify_notice n = notice_to(f->director, "pass.in", "k1");

	assert_int_equal(notify_enqueue(f->db, &n), NOTIFY_INVALID);
	assert_int_equal(count(f->db, "1"), 0);
}

static void
one_notice_per_key(void **state)
{
	struct fixture *f = *state;
	struct notify_notice n = notice_to(f->director, "pass.in", "k1");

	assert_int_equal(store_begin(f->db), STORE_OK);
	assert_int_equal(notify_enqueue(f->db, &n), NOTIFY_OK);
	assert_int_equal(notify_enqueue(f->db, &n), NOTIFY_OK);
	assert_int_equal(store_commit(f->db), STORE_OK);
	assert_int_equal(count(f->db, "dedup_key = 'k1'"), 1);
}

static void
rolled_back_cause_leaves_no_notice(void **state)
{
	struct fixture *f = *state;
	struct notify_notice n = notice_to(f->director, "pass.in", "k2");

	assert_int_equal(store_begin(f->db), STORE_OK);
	assert_int_equal(notify_enqueue(f->db, &n), NOTIFY_OK);
	store_rollback(f->db);
	assert_int_equal(count(f->db, "1"), 0);
}

static void
refuses_bad_notices(void **state)
{
	struct fixture *f = *state;
	struct notify_notice n = notice_to(f->director, "Pass In", "k3");

	assert_int_equal(store_begin(f->db), STORE_OK);
	assert_int_equal(notify_enqueue(f->db, &n), NOTIFY_INVALID);
	n = notice_to(f->director, "pass.in", "bad key");
	assert_int_equal(notify_enqueue(f->db, &n), NOTIFY_INVALID);
	n = notice_to(0, "pass.in", "k3");
	assert_int_equal(notify_enqueue(f->db, &n), NOTIFY_INVALID);
	n.user_id = f->director;
	n.guardian_id = 1;
	assert_int_equal(notify_enqueue(f->db, &n), NOTIFY_INVALID);
	store_rollback(f->db);
}

static void
fans_out_to_enabled_staff_of_the_school(void **state)
{
	struct fixture *f = *state;
	const enum role roles[] = {ROLE_DIRECTOR, ROLE_SECURITY};
	struct notify_notice n = {.event = "emergency.on",
	                          .urgent = true,
	                          .school_id = f->school_a,
	                          .key = "emg:1"};
	size_t sent = 0;
	char where[64];

	assert_int_equal(store_begin(f->db), STORE_OK);
	assert_int_equal(notify_school_roles(f->db, &n, roles, 2, &sent),
	                 NOTIFY_OK);
	/* Again, as a retried cause would: nothing new. */
	assert_int_equal(notify_school_roles(f->db, &n, roles, 2, NULL),
	                 NOTIFY_OK);
	assert_int_equal(store_commit(f->db), STORE_OK);
	assert_int_equal(sent, 2);
	assert_int_equal(count(f->db, "1"), 2);
	/* Not the teacher, not school B's director, not the disabled one. */
	snprintf(where, sizeof(where), "user_id IN (%lld, %lld)",
	         (long long)f->director, (long long)f->security);
	assert_int_equal(count(f->db, where), 2);
	assert_int_equal(count(f->db, "urgent = 1 AND school_id IS NOT NULL"),
	                 2);
}

static void
inbox_puts_urgent_unread_first(void **state)
{
	struct fixture *f = *state;
	struct notify_notice n;
	json_t *list;
	int64_t unread = -1, first;

	assert_int_equal(store_begin(f->db), STORE_OK);
	n = notice_to(f->director, "emergency.on", "u1");
	n.urgent = true;
	assert_int_equal(notify_enqueue(f->db, &n), NOTIFY_OK);
	n = notice_to(f->director, "pass.in", "p1");
	assert_int_equal(notify_enqueue(f->db, &n), NOTIFY_OK);
	assert_int_equal(store_commit(f->db), STORE_OK);

	assert_int_equal(notify_inbox(f->db, f->director, 10, &list, &unread),
	                 NOTIFY_OK);
	assert_int_equal(unread, 2);
	assert_int_equal(json_array_size(list), 2);
	assert_string_equal(json_string_value(json_object_get(
	                            json_array_get(list, 0), "event")),
	                    "emergency.on");
	first = json_integer_value(
	        json_object_get(json_array_get(list, 0), "id"));
	json_decref(list);

	/* Someone else cannot mark it; its addressee can, once read stays. */
	assert_int_equal(notify_mark_read(f->db, f->security, first),
	                 NOTIFY_NOT_FOUND);
	assert_int_equal(notify_mark_read(f->db, f->director, first),
	                 NOTIFY_OK);
	assert_int_equal(notify_inbox(f->db, f->director, 10, &list, &unread),
	                 NOTIFY_OK);
	assert_int_equal(unread, 1);
	/* Read now, so the newer ordinary notice comes first. */
	assert_string_equal(json_string_value(json_object_get(
	                            json_array_get(list, 0), "event")),
	                    "pass.in");
	json_decref(list);

	assert_int_equal(notify_inbox(f->db, f->director, 0, &list, NULL),
	                 NOTIFY_INVALID);
	assert_int_equal(notify_inbox(f->db, f->security, 10, &list, &unread),
	                 NOTIFY_OK);
	assert_int_equal(unread, 0);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);
}

static void
knows_its_events(void **state)
{
	(void)state;
	assert_non_null(notify_event_label("pass.in"));
	assert_null(notify_event_label("no.such"));
	assert_true(notify_event_valid("alarm.forced"));
	assert_false(notify_event_valid(""));
	assert_false(notify_event_valid("a-b"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(needs_a_transaction, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(one_notice_per_key, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(
	                rolled_back_cause_leaves_no_notice, setup, teardown),
	        cmocka_unit_test_setup_teardown(refuses_bad_notices, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(
	                fans_out_to_enabled_staff_of_the_school, setup,
	                teardown),
	        cmocka_unit_test_setup_teardown(inbox_puts_urgent_unread_first,
	                                        setup, teardown),
	        cmocka_unit_test_setup_teardown(knows_its_events, setup,
	                                        teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
