/*
 * The audit log (audit.c): recording, who may read which line, filters,
 * paging and the CSV export.  Schools a and b are in region north, c in
 * region south.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "audit/audit.h"
#include "../testdb.h"

struct fixture {
	struct testdb t;
	struct store *db;
	int64_t school_a[1];
	struct principal director, supervisor, admin, psych, device;
};

static int64_t
insert_user(struct store *db, const char *login, const char *role,
            int64_t region, int64_t school)
{
	int64_t id = 0;

	if (region > 0)
		assert_int_equal(store_query_int(db, &id,
		                                 "INSERT INTO users (login, "
		                                 "password_hash, role, "
		                                 "region_id, created_at) "
		                                 "VALUES (?, 'x', ?, ?, "
		                                 "'2025-01-01T00:00:00Z') "
		                                 "RETURNING id",
		                                 "tti", login, role, region),
		                 STORE_ROW);
	else
		assert_int_equal(store_query_int(db, &id,
		                                 "INSERT INTO users (login, "
		                                 "password_hash, role, "
		                                 "created_at) VALUES (?, 'x', "
		                                 "?, '2025-01-01T00:00:00Z') "
		                                 "RETURNING id",
		                                 "tt", login, role),
		                 STORE_ROW);
	if (school > 0)
		assert_int_equal(
		        store_execf(db,
		                    "INSERT INTO user_schools "
		                    "(user_id, school_id) VALUES (?, ?)",
		                    "ii", id, school),
		        STORE_OK);
	return id;
}

static void
staff(struct principal *p, int64_t id, int64_t session, enum role role,
      int64_t region, int64_t *schools, size_t n)
{
	memset(p, 0, sizeof(*p));
	p->kind = PRINCIPAL_STAFF;
	p->user_id = id;
	p->session_id = session;
	p->role = role;
	p->region_id = region;
	p->school_ids = schools;
	p->nschools = n;
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL || (f->db = testdb_open(&f->t)) == NULL)
		return -1;
	if (testdb_seed_places(f->db) != 0)
		return -1;
	f->school_a[0] = 1;
	staff(&f->director, insert_user(f->db, "dir.a", "director", 0, 1), 11,
	      ROLE_DIRECTOR, 0, f->school_a, 1);
	staff(&f->psych, insert_user(f->db, "psy.a", "psychologist", 0, 1), 12,
	      ROLE_PSYCHOLOGIST, 0, f->school_a, 1);
	staff(&f->supervisor,
	      insert_user(f->db, "sup.north", "supervisor", 1, 0), 13,
	      ROLE_SUPERVISOR, 1, NULL, 0);
	staff(&f->admin, insert_user(f->db, "root", "platform_admin", 0, 0), 14,
	      ROLE_PLATFORM_ADMIN, 0, NULL, 0);
	memset(&f->device, 0, sizeof(f->device));
	f->device.kind = PRINCIPAL_DEVICE;
	f->device.device_id = 7;
	f->device.device_school_id = 1;
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

/* Five lines, ids 1..5: none, a, b, c, a. */
static void
record_five(struct fixture *f)
{
	assert_int_equal(
	        audit_record(f->db, NULL, "system.init", 0, NULL, NULL, NULL),
	        0);
	assert_int_equal(audit_record(f->db, &f->director, "student.read", 1,
	                              "student", "17", "fields=full_name,iin"),
	                 0);
	assert_int_equal(audit_record(f->db, &f->supervisor, "user.add", 2,
	                              "user", "5", NULL),
	                 0);
	assert_int_equal(audit_record(f->db, &f->admin, "school.add", 3,
	                              "school", "c", NULL),
	                 0);
	assert_int_equal(audit_record(f->db, &f->device, "pass.record", 1,
	                              "pass", "99", "direction=in"),
	                 0);
}

static const char *
str(json_t *line, const char *key)
{
	return json_string_value(json_object_get(line, key));
}

static json_int_t
num(json_t *line, const char *key)
{
	return json_integer_value(json_object_get(line, key));
}

static json_t *
list(struct fixture *f, const struct principal *reader,
     const struct audit_filter *filter)
{
	struct audit_filter none;
	json_t *l;

	memset(&none, 0, sizeof(none));
	l = audit_list(f->db, reader, filter ? filter : &none);
	assert_non_null(l);
	assert_true(json_is_array(l));
	return l;
}

static void
test_record_fields(void **state)
{
	struct fixture *f = *state;
	int y, mo, d, h, mi, s, ms, n = 0;
	json_t *l, *line;

	record_five(f);
	l = list(f, &f->admin, NULL);
	assert_int_equal(json_array_size(l), 5);

	/* Newest first. */
	line = json_array_get(l, 0);
	assert_int_equal(num(line, "id"), 5);
	assert_string_equal(str(line, "actor"), "device:7");
	assert_true(json_is_null(json_object_get(line, "login")));
	assert_true(json_is_null(json_object_get(line, "session_id")));
	assert_string_equal(str(line, "school"), "a");
	assert_string_equal(str(line, "detail"), "direction=in");

	line = json_array_get(l, 3);
	assert_int_equal(num(line, "id"), 2);
	assert_string_equal(str(line, "actor"), "user:1");
	assert_string_equal(str(line, "login"), "dir.a");
	assert_string_equal(str(line, "action"), "student.read");
	assert_string_equal(str(line, "school"), "a");
	assert_string_equal(str(line, "object_type"), "student");
	assert_string_equal(str(line, "object_id"), "17");
	assert_string_equal(str(line, "detail"), "fields=full_name,iin");
	assert_int_equal(num(line, "session_id"), 11);
	/* RFC 3339 UTC with milliseconds. */
	assert_int_equal(strlen(str(line, "at")), 24);
	assert_int_equal(sscanf(str(line, "at"),
	                        "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ%n", &y, &mo, &d,
	                        &h, &mi, &s, &ms, &n),
	                 7);
	assert_int_equal(n, 24);

	line = json_array_get(l, 4);
	assert_string_equal(str(line, "actor"), "cli");
	assert_true(json_is_null(json_object_get(line, "school")));
	assert_true(json_is_null(json_object_get(line, "login")));
	assert_true(json_is_null(json_object_get(line, "detail")));
	json_decref(l);
}

static void
test_record_uses_callers_transaction(void **state)
{
	struct fixture *f = *state;
	json_t *l;

	assert_int_equal(store_begin(f->db), STORE_OK);
	assert_int_equal(audit_record(f->db, &f->director, "student.edit", 1,
	                              "student", "1", NULL),
	                 0);
	store_rollback(f->db);
	assert_int_equal(store_begin(f->db), STORE_OK);
	assert_int_equal(audit_record(f->db, &f->director, "student.edit", 1,
	                              "student", "2", NULL),
	                 0);
	assert_int_equal(store_commit(f->db), STORE_OK);
	l = list(f, &f->admin, NULL);
	assert_int_equal(json_array_size(l), 1);
	assert_string_equal(str(json_array_get(l, 0), "object_id"), "2");
	json_decref(l);
}

/* The ids of a list, newest first, as a string such as "5,2". */
static const char *
ids(json_t *l)
{
	static char out[128];
	size_t i, len = 0;

	out[0] = '\0';
	for (i = 0; i < json_array_size(l); i++)
		len += (size_t)snprintf(
		        out + len, sizeof(out) - len, "%s%lld", i ? "," : "",
		        (long long)num(json_array_get(l, i), "id"));
	json_decref(l);
	return out;
}

static void
test_scope(void **state)
{
	struct fixture *f = *state;
	struct audit_filter filter;

	record_five(f);
	/* platform_admin: everything, the line without a school too. */
	assert_string_equal(ids(list(f, &f->admin, NULL)), "5,4,3,2,1");
	/* A director: the lines of the director's school. */
	assert_string_equal(ids(list(f, &f->director, NULL)), "5,2");
	/* A region's supervisor: schools a and b, not c, not "none". */
	assert_string_equal(ids(list(f, &f->supervisor, NULL)), "5,3,2");
	/* No PERM_AUDIT_READ, no lines, even of the own school. */
	assert_string_equal(ids(list(f, &f->psych, NULL)), "");
	assert_string_equal(ids(list(f, &f->device, NULL)), "");
	assert_string_equal(ids(list(f, NULL, NULL)), "");

	/* Asking for another school's lines gives nothing. */
	memset(&filter, 0, sizeof(filter));
	filter.school_id = 3;
	assert_string_equal(ids(list(f, &f->director, &filter)), "");
	assert_string_equal(ids(list(f, &f->supervisor, &filter)), "");
	assert_string_equal(ids(list(f, &f->admin, &filter)), "4");
	filter.school_id = 2;
	assert_string_equal(ids(list(f, &f->supervisor, &filter)), "3");
}

static void
test_filters_and_paging(void **state)
{
	struct fixture *f = *state;
	struct audit_filter filter;

	record_five(f);
	memset(&filter, 0, sizeof(filter));
	filter.action_prefix = "student.";
	assert_string_equal(ids(list(f, &f->admin, &filter)), "2");
	filter.action_prefix = "s";
	assert_string_equal(ids(list(f, &f->admin, &filter)), "4,2,1");
	filter.action_prefix = "student.read.more";
	assert_string_equal(ids(list(f, &f->admin, &filter)), "");

	/* Dates are inclusive UTC days. */
	assert_int_equal(store_execf(f->db,
	                             "UPDATE audit_log SET at = "
	                             "'2024-05-01T23:59:59.999Z' WHERE id = 1",
	                             ""),
	                 STORE_OK);
	assert_int_equal(store_execf(f->db,
	                             "UPDATE audit_log SET at = "
	                             "'2024-05-02T00:00:00.000Z' WHERE id = 2",
	                             ""),
	                 STORE_OK);
	memset(&filter, 0, sizeof(filter));
	filter.from = "2024-05-01";
	filter.to = "2024-05-01";
	assert_string_equal(ids(list(f, &f->admin, &filter)), "1");
	filter.to = "2024-05-02";
	assert_string_equal(ids(list(f, &f->admin, &filter)), "2,1");
	filter.from = "2024-05-02";
	filter.to = NULL;
	assert_string_equal(ids(list(f, &f->admin, &filter)), "5,4,3,2");
	filter.from = NULL;
	filter.to = "2024-04-30";
	assert_string_equal(ids(list(f, &f->admin, &filter)), "");

	/* Paging: before_id and limit, counted over visible lines only. */
	memset(&filter, 0, sizeof(filter));
	filter.limit = 2;
	assert_string_equal(ids(list(f, &f->admin, &filter)), "5,4");
	filter.before_id = 4;
	assert_string_equal(ids(list(f, &f->admin, &filter)), "3,2");
	filter.before_id = 2;
	assert_string_equal(ids(list(f, &f->admin, &filter)), "1");
	filter.before_id = 1;
	assert_string_equal(ids(list(f, &f->admin, &filter)), "");
	filter.before_id = 0;
	filter.limit = 1;
	assert_string_equal(ids(list(f, &f->supervisor, &filter)), "5");
	filter.before_id = 5;
	assert_string_equal(ids(list(f, &f->supervisor, &filter)), "3");
}

static void
test_limit_is_capped(void **state)
{
	struct fixture *f = *state;
	struct audit_filter filter;
	json_t *l;
	int i;

	assert_int_equal(store_begin(f->db), STORE_OK);
	for (i = 0; i < AUDIT_LIST_MAX + 10; i++)
		assert_int_equal(audit_record(f->db, &f->admin, "x.y", 1, NULL,
		                              NULL, NULL),
		                 0);
	assert_int_equal(store_commit(f->db), STORE_OK);
	memset(&filter, 0, sizeof(filter));
	l = list(f, &f->admin, &filter);
	assert_int_equal(json_array_size(l), AUDIT_LIST_DEFAULT);
	json_decref(l);
	filter.limit = 100000;
	l = list(f, &f->admin, &filter);
	assert_int_equal(json_array_size(l), AUDIT_LIST_MAX);
	json_decref(l);
}

static void
test_csv_export(void **state)
{
	struct fixture *f = *state;
	struct audit_filter filter;
	struct buf out;
	json_t *l;

	assert_int_equal(audit_record(f->db, &f->director, "csv.one", 1,
	                              "student", "17", "a,b \"c\""),
	                 0);
	assert_int_equal(audit_record(f->db, &f->director, "csv.two", 1,
	                              "student", "18", "=HYPERLINK(\"x\")"),
	                 0);
	assert_int_equal(audit_record(f->db, &f->director, "other", 1, NULL,
	                              NULL, "plain"),
	                 0);
	memset(&filter, 0, sizeof(filter));
	filter.action_prefix = "csv.";
	buf_init(&out);
	assert_int_equal(audit_export_csv(f->db, &f->director, &filter, &out),
	                 0);
	assert_non_null(out.data);
	assert_true(strncmp(out.data,
	                    "id,at,actor,login,action,school,object_type,"
	                    "object_id,detail\r\n2,",
	                    strlen("id,at,actor,login,action,school,"
	                           "object_type,object_id,detail\r\n2,")) == 0);
	/* Commas and quotes are quoted; a leading = cannot run as a
	 * formula. */
	assert_non_null(strstr(out.data, ",user:1,dir.a,csv.one,a,student,17,"
	                                 "\"a,b \"\"c\"\"\"\r\n"));
	assert_non_null(strstr(out.data, ",user:1,dir.a,csv.two,a,student,18,"
	                                 "\"'=HYPERLINK(\"\"x\"\")\"\r\n"));
	assert_null(strstr(out.data, "plain"));
	buf_free(&out);

	/* The export is itself in the log, with its filters and count. */
	memset(&filter, 0, sizeof(filter));
	filter.action_prefix = "audit.export";
	l = list(f, &f->admin, &filter);
	assert_int_equal(json_array_size(l), 1);
	assert_string_equal(str(json_array_get(l, 0), "actor"), "user:1");
	assert_string_equal(str(json_array_get(l, 0), "detail"),
	                    "rows=2 from= to= action=csv.");
	json_decref(l);
}

static void
test_csv_respects_scope(void **state)
{
	struct fixture *f = *state;
	struct audit_filter filter;
	struct buf out;

	record_five(f);
	memset(&filter, 0, sizeof(filter));
	buf_init(&out);
	assert_int_equal(audit_export_csv(f->db, &f->psych, &filter, &out), 0);
	assert_string_equal(out.data, "id,at,actor,login,action,school,"
	                              "object_type,object_id,detail\r\n");
	buf_reset(&out);
	assert_int_equal(audit_export_csv(f->db, &f->director, &filter, &out),
	                 0);
	assert_null(strstr(out.data, "school.add"));
	assert_null(strstr(out.data, "system.init"));
	assert_non_null(strstr(out.data, "student.read"));
	buf_free(&out);
}

static void
test_helpers(void **state)
{
	struct fixture *f = *state;

	assert_true(audit_action_ok("student.read"));
	assert_true(audit_action_ok("a"));
	assert_false(audit_action_ok(""));
	assert_false(audit_action_ok(NULL));
	assert_false(audit_action_ok("Student"));
	assert_false(audit_action_ok("a%"));
	assert_int_equal(audit_school_id(f->db, "b"), 2);
	assert_int_equal(audit_school_id(f->db, "zz"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_record_fields, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(
	                test_record_uses_callers_transaction, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_scope, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_filters_and_paging, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_limit_is_capped, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_csv_export, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_csv_respects_scope, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_helpers, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
