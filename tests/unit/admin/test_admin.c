/*
 * The administration rule (who may create or disable whom) and the changes
 * behind it (admin.c): schools, users, disabling, class shifts, and the
 * audit lines they leave.  Schools a and b lie in region north, c in
 * south.  Principals are built by hand from the fixture's users, as
 * auth_resolve_token() would build them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "admin/admin.h"
#include "auth/auth.h"
#include "people/people.h"
#include "../testdb.h"

#define PW     "staff password 1"
#define NEW_PW "a new password 2"

enum { NORTH = 1, SOUTH = 2 };
enum { SCHOOL_A = 1, SCHOOL_B = 2, SCHOOL_C = 3 };

static int64_t school_a[] = {SCHOOL_A}, school_c[] = {SCHOOL_C},
               school_ab[] = {SCHOOL_A, SCHOOL_B},
               school_ac[] = {SCHOOL_A, SCHOOL_C};

struct fixture {
	struct testdb t;
	struct store *db;
	struct principal root, dir_a, admin_a, psy_a, sup_north, edu_north,
	        op_north, police_ac;
	int64_t class_a;
};

static char pw_hash[crypto_pwhash_STRBYTES];

static int
group_setup(void **state)
{
	(void)state;
	if (auth_init() == -1)
		return -1;
	return auth_password_hash(PW, pw_hash, sizeof(pw_hash));
}

/* Inserts a user and returns the principal they would sign in as. */
static struct principal
user(struct fixture *f, const char *login, enum role role, int64_t *schools,
     size_t n, int64_t region)
{
	struct principal p;
	size_t i;

	memset(&p, 0, sizeof(p));
	assert_int_equal(store_query_int(f->db, &p.user_id,
	                                 "INSERT INTO users (login, "
	                                 "password_hash, role, region_id, "
	                                 "created_at) VALUES (?, ?, ?, ?, "
	                                 "'2025-01-01T00:00:00Z') "
	                                 "RETURNING id",
	                                 region > 0 ? "ttti" : "tttn", login,
	                                 pw_hash, role_name(role), region),
	                 STORE_ROW);
	for (i = 0; i < n; i++)
		assert_int_equal(
		        store_execf(f->db,
		                    "INSERT INTO user_schools "
		                    "(user_id, school_id) VALUES (?, ?)",
		                    "ii", p.user_id, schools[i]),
		        STORE_OK);
	p.kind = PRINCIPAL_STAFF;
	p.login = login;
	p.role = role;
	p.region_id = region;
	p.school_ids = schools;
	p.nschools = n;
	return p;
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL || (f->db = testdb_open(&f->t)) == NULL)
		return -1;
	if (testdb_seed_places(f->db) != 0 ||
	    people_class_ensure(f->db, SCHOOL_A, "5А", &f->class_a, NULL) !=
	            PEOPLE_OK)
		return -1;
	f->root = user(f, "root", ROLE_PLATFORM_ADMIN, NULL, 0, 0);
	f->dir_a = user(f, "dir.a", ROLE_DIRECTOR, school_a, 1, 0);
	f->admin_a = user(f, "admin.a", ROLE_SCHOOL_ADMIN, school_a, 1, 0);
	f->psy_a = user(f, "psy.a", ROLE_PSYCHOLOGIST, school_a, 1, 0);
	f->sup_north = user(f, "sup.north", ROLE_SUPERVISOR, NULL, 0, NORTH);
	f->edu_north =
	        user(f, "edu.north", ROLE_EDUCATION_DEPT, NULL, 0, NORTH);
	f->op_north = user(f, "op.north", ROLE_OPERATOR, NULL, 0, NORTH);
	f->police_ac =
	        user(f, "police.ac", ROLE_POLICE_INSPECTOR, school_ac, 2, 0);
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
count(struct fixture *f, const char *sql, const char *types, const char *s)
{
	int64_t n = -1;

	assert_int_equal(store_query_int(f->db, &n, sql, types, s), STORE_ROW);
	return n;
}

static void
test_who_may_administer(void **state)
{
	struct fixture *f = *state;
	struct principal none = f->sup_north, device;

	assert_true(admin_may_administer(&f->root));
	assert_true(admin_may_administer(&f->dir_a));
	assert_true(admin_may_administer(&f->admin_a));
	assert_true(admin_may_administer(&f->sup_north));
	assert_true(admin_may_administer(&f->edu_north));
	assert_false(admin_may_administer(&f->psy_a));
	assert_false(admin_may_administer(&f->op_north));
	assert_false(admin_may_administer(&f->police_ac));
	assert_false(admin_may_administer(NULL));
	none.region_id = 0;
	assert_false(admin_may_administer(&none));
	memset(&device, 0, sizeof(device));
	device.kind = PRINCIPAL_DEVICE;
	assert_false(admin_may_administer(&device));
}

/* Which roles each kind of administrator may create, scope aside. */
static void
test_roles_by_reach(void **state)
{
	struct fixture *f = *state;
	int r;

	for (r = 0; r < ROLE_COUNT; r++) {
		enum role role = (enum role)r;
		bool school_role =
		        !role_is_regional(role) && role != ROLE_PLATFORM_ADMIN;

		assert_true(admin_role_allowed(&f->root, role));
		assert_int_equal(admin_role_allowed(&f->sup_north, role),
		                 role != ROLE_PLATFORM_ADMIN);
		assert_int_equal(admin_role_allowed(&f->edu_north, role),
		                 role != ROLE_PLATFORM_ADMIN);
		assert_int_equal(admin_role_allowed(&f->dir_a, role),
		                 school_role && role != ROLE_POLICE_INSPECTOR);
		assert_int_equal(admin_role_allowed(&f->admin_a, role),
		                 school_role && role != ROLE_POLICE_INSPECTOR);
		assert_false(admin_role_allowed(&f->psy_a, role));
		assert_false(admin_role_allowed(&f->op_north, role));
		assert_false(admin_role_allowed(&f->police_ac, role));
	}
}

static void
test_scope(void **state)
{
	struct fixture *f = *state;
	struct store *db = f->db;

	/* platform_admin: anything valid. */
	assert_true(admin_may_manage(db, &f->root, ROLE_PLATFORM_ADMIN, NULL, 0,
	                             0));
	assert_true(
	        admin_may_manage(db, &f->root, ROLE_DIRECTOR, school_c, 1, 0));
	assert_true(
	        admin_may_manage(db, &f->root, ROLE_OPERATOR, NULL, 0, SOUTH));
	/* A region role: its region, and schools inside it only. */
	assert_true(admin_may_manage(db, &f->sup_north, ROLE_OPERATOR, NULL, 0,
	                             NORTH));
	assert_false(admin_may_manage(db, &f->sup_north, ROLE_OPERATOR, NULL, 0,
	                              SOUTH));
	assert_true(admin_may_manage(db, &f->sup_north, ROLE_DIRECTOR,
	                             school_ab, 2, 0));
	assert_true(admin_may_manage(db, &f->edu_north, ROLE_POLICE_INSPECTOR,
	                             school_a, 1, 0));
	assert_false(admin_may_manage(db, &f->sup_north, ROLE_DIRECTOR,
	                              school_c, 1, 0));
	assert_false(admin_may_manage(db, &f->sup_north, ROLE_POLICE_INSPECTOR,
	                              school_ac, 2, 0));
	assert_false(admin_may_manage(db, &f->sup_north, ROLE_PLATFORM_ADMIN,
	                              NULL, 0, 0));
	/* A school role: its own schools, every one of them. */
	assert_true(admin_may_manage(db, &f->dir_a, ROLE_CLASS_TEACHER,
	                             school_a, 1, 0));
	assert_true(admin_may_manage(db, &f->admin_a, ROLE_DIRECTOR, school_a,
	                             1, 0));
	assert_false(admin_may_manage(db, &f->dir_a, ROLE_CLASS_TEACHER,
	                              school_c, 1, 0));
	assert_false(admin_may_manage(db, &f->dir_a, ROLE_CLASS_TEACHER,
	                              school_ab, 2, 0));
	assert_false(admin_may_manage(db, &f->dir_a, ROLE_CLASS_TEACHER, NULL,
	                              0, 0));
	assert_false(admin_may_manage(db, &f->dir_a, ROLE_POLICE_INSPECTOR,
	                              school_a, 1, 0));
	assert_false(
	        admin_may_manage(db, &f->dir_a, ROLE_OPERATOR, NULL, 0, NORTH));
	assert_false(admin_may_manage(db, &f->dir_a, ROLE_PLATFORM_ADMIN, NULL,
	                              0, 0));
	/* Nobody else. */
	assert_false(admin_may_manage(db, &f->psy_a, ROLE_CLASS_TEACHER,
	                              school_a, 1, 0));
}

static void
test_user_add(void **state)
{
	struct fixture *f = *state;
	const char *a[] = {"a"}, *c[] = {"c"}, *nowhere[] = {"zz"};
	struct admin_new_user u = {"teacher.a", "class_teacher", NEW_PW, a, 1,
	                           NULL};
	struct admin_error err = {0};

	assert_int_equal(admin_user_add(f->db, &f->dir_a, &u, &err), ADMIN_OK);
	assert_int_equal(count(f,
	                       "SELECT COUNT(*) FROM users u JOIN user_schools "
	                       "s ON s.user_id = u.id WHERE u.login = ? AND "
	                       "u.role = 'class_teacher' AND s.school_id = 1",
	                       "t", "teacher.a"),
	                 1);
	/* Audited in the school, with the role and never the password. */
	assert_int_equal(count(f,
	                       "SELECT COUNT(*) FROM audit_log WHERE action = "
	                       "'user.add' AND school_id = 1 AND detail = ?",
	                       "t", "role=class_teacher"),
	                 1);
	assert_int_equal(count(f,
	                       "SELECT COUNT(*) FROM audit_log WHERE "
	                       "COALESCE(detail, '') LIKE '%' || ? || '%'",
	                       "t", NEW_PW),
	                 0);

	assert_int_equal(admin_user_add(f->db, &f->dir_a, &u, &err),
	                 ADMIN_EXISTS);
	assert_string_equal(err.field, "login");

	u = (struct admin_new_user){"teacher.c", "class_teacher", NEW_PW, c, 1,
	                            NULL};
	assert_int_equal(admin_user_add(f->db, &f->dir_a, &u, &err),
	                 ADMIN_FORBIDDEN);
	u = (struct admin_new_user){"boss", "platform_admin", NEW_PW, NULL, 0,
	                            NULL};
	assert_int_equal(admin_user_add(f->db, &f->dir_a, &u, &err),
	                 ADMIN_FORBIDDEN);
	assert_string_equal(err.field, "role");
	u = (struct admin_new_user){
	        "teacher.z", "class_teacher", NEW_PW, nowhere, 1, NULL};
	assert_int_equal(admin_user_add(f->db, &f->dir_a, &u, &err),
	                 ADMIN_INVALID);
	assert_string_equal(err.field, "schools");
	u = (struct admin_new_user){"teacher.w", "class_teacher", "short", a, 1,
	                            NULL};
	assert_int_equal(admin_user_add(f->db, &f->dir_a, &u, &err),
	                 ADMIN_INVALID);
	assert_string_equal(err.reason,
	                    "The password must have at least 10 characters.");
	u = (struct admin_new_user){"x", "wizard", NEW_PW, a, 1, NULL};
	assert_int_equal(admin_user_add(f->db, &f->dir_a, &u, &err),
	                 ADMIN_INVALID);
	assert_string_equal(err.field, "role");
	/* A region role adds in its region; its own region by code. */
	u = (struct admin_new_user){"op2.north", "operator", NEW_PW,
	                            NULL,        0,          "north"};
	assert_int_equal(admin_user_add(f->db, &f->sup_north, &u, &err),
	                 ADMIN_OK);
	u = (struct admin_new_user){"op.south", "operator", NEW_PW,
	                            NULL,       0,          "south"};
	assert_int_equal(admin_user_add(f->db, &f->sup_north, &u, &err),
	                 ADMIN_FORBIDDEN);
	/* Nothing refused was written. */
	assert_int_equal(count(f,
	                       "SELECT COUNT(*) FROM users WHERE login IN "
	                       "('teacher.c', 'boss', 'teacher.z', "
	                       "'teacher.w', ?)",
	                       "t", "op.south"),
	                 0);
}

static void
test_disable(void **state)
{
	struct fixture *f = *state;
	struct admin_error err = {0};

	assert_int_equal(
	        admin_user_set_disabled(f->db, &f->dir_a, "psy.a", true, &err),
	        ADMIN_OK);
	assert_int_equal(count(f,
	                       "SELECT COUNT(*) FROM users WHERE login = ? "
	                       "AND disabled = 1",
	                       "t", "psy.a"),
	                 1);
	assert_int_equal(count(f,
	                       "SELECT COUNT(*) FROM audit_log WHERE action = "
	                       "? AND school_id = 1 AND object_type = 'user'",
	                       "t", "user.disable"),
	                 1);
	assert_int_equal(
	        admin_user_set_disabled(f->db, &f->dir_a, "psy.a", false, &err),
	        ADMIN_OK);
	assert_int_equal(
	        count(f, "SELECT COUNT(*) FROM audit_log WHERE action = ?", "t",
	              "user.enable"),
	        1);
	/* Not oneself, not the police, not above one's reach. */
	assert_int_equal(
	        admin_user_set_disabled(f->db, &f->dir_a, "dir.a", true, &err),
	        ADMIN_FORBIDDEN);
	assert_int_equal(admin_user_set_disabled(f->db, &f->dir_a, "police.ac",
	                                         true, &err),
	                 ADMIN_FORBIDDEN);
	assert_int_equal(admin_user_set_disabled(f->db, &f->dir_a, "sup.north",
	                                         true, &err),
	                 ADMIN_FORBIDDEN);
	assert_int_equal(admin_user_set_disabled(f->db, &f->sup_north,
	                                         "police.ac", true, &err),
	                 ADMIN_FORBIDDEN);
	assert_int_equal(
	        admin_user_set_disabled(f->db, &f->root, "root", true, &err),
	        ADMIN_FORBIDDEN);
	assert_int_equal(
	        admin_user_set_disabled(f->db, &f->psy_a, "dir.a", true, &err),
	        ADMIN_FORBIDDEN);
	assert_int_equal(
	        admin_user_set_disabled(f->db, &f->dir_a, "nobody", true, &err),
	        ADMIN_NOT_FOUND);
	assert_int_equal(count(f,
	                       "SELECT COUNT(*) FROM users WHERE disabled = 1 "
	                       "AND login <> ?",
	                       "t", ""),
	                 0);
	/* The supervisor reaches the school's director; the root anyone. */
	assert_int_equal(admin_user_set_disabled(f->db, &f->sup_north, "dir.a",
	                                         true, &err),
	                 ADMIN_OK);
	assert_int_equal(admin_user_set_disabled(f->db, &f->root, "police.ac",
	                                         true, &err),
	                 ADMIN_OK);
}

static void
test_school_add(void **state)
{
	struct fixture *f = *state;
	struct admin_error err = {0};

	assert_int_equal(admin_school_add(f->db, &f->root, "d", "D", "east",
	                                  "centre", &err),
	                 ADMIN_OK);
	assert_int_equal(count(f,
	                       "SELECT COUNT(*) FROM schools s JOIN regions r "
	                       "ON r.id = s.region_id WHERE s.code = 'd' AND "
	                       "r.code = ?",
	                       "t", "east"),
	                 1);
	assert_int_equal(
	        admin_school_add(f->db, &f->root, "d", "D2", NULL, NULL, &err),
	        ADMIN_EXISTS);
	assert_string_equal(err.field, "code");
	assert_int_equal(admin_school_add(f->db, &f->root, "Bad code", "X",
	                                  NULL, NULL, &err),
	                 ADMIN_INVALID);
	assert_string_equal(err.field, "code");
	assert_int_equal(
	        admin_school_add(f->db, &f->root, "e", "", NULL, NULL, &err),
	        ADMIN_INVALID);
	assert_string_equal(err.field, "name");
	assert_int_equal(admin_school_add(f->db, &f->root, "e", "E", NULL,
	                                  "centre", &err),
	                 ADMIN_INVALID);
	assert_string_equal(err.field, "district");
	/* The education department: its own region, by default. */
	assert_int_equal(admin_school_add(f->db, &f->edu_north, "n1", "N1",
	                                  NULL, NULL, &err),
	                 ADMIN_OK);
	assert_int_equal(count(f,
	                       "SELECT COUNT(*) FROM schools WHERE code = ? "
	                       "AND region_id = 1",
	                       "t", "n1"),
	                 1);
	assert_int_equal(admin_school_add(f->db, &f->edu_north, "s1", "S1",
	                                  "south", NULL, &err),
	                 ADMIN_FORBIDDEN);
	assert_string_equal(err.field, "region");
	/* Neither a supervisor nor a director adds schools. */
	assert_int_equal(admin_school_add(f->db, &f->sup_north, "n2", "N2",
	                                  NULL, NULL, &err),
	                 ADMIN_FORBIDDEN);
	assert_int_equal(admin_school_add(f->db, &f->dir_a, "n3", "N3", NULL,
	                                  NULL, &err),
	                 ADMIN_FORBIDDEN);
	assert_int_equal(
	        count(f, "SELECT COUNT(*) FROM audit_log WHERE action = ?", "t",
	              "school.add"),
	        2);
}

static void
test_class_set(void **state)
{
	struct fixture *f = *state;
	struct admin_error err = {0};

	assert_int_equal(
	        admin_class_set(f->db, &f->dir_a, "a", "5-а", 2, "13:30", &err),
	        ADMIN_OK);
	assert_int_equal(count(f,
	                       "SELECT COUNT(*) FROM classes WHERE shift = 2 "
	                       "AND starts_at = ?",
	                       "t", "13:30"),
	                 1);
	assert_int_equal(
	        admin_class_set(f->db, &f->dir_a, "a", "5А", 4, "13:30", &err),
	        ADMIN_INVALID);
	assert_string_equal(err.field, "shift");
	assert_int_equal(
	        admin_class_set(f->db, &f->dir_a, "a", "5А", 1, "24:00", &err),
	        ADMIN_INVALID);
	assert_string_equal(err.field, "starts_at");
	assert_int_equal(
	        admin_class_set(f->db, &f->dir_a, "a", "6А", 1, "08:00", &err),
	        ADMIN_NOT_FOUND);
	assert_int_equal(
	        admin_class_set(f->db, &f->dir_a, "zz", "5А", 1, "08:00", &err),
	        ADMIN_NOT_FOUND);
	assert_int_equal(
	        admin_class_set(f->db, &f->dir_a, "c", "5А", 1, "08:00", &err),
	        ADMIN_FORBIDDEN);
	assert_int_equal(
	        admin_class_set(f->db, &f->psy_a, "a", "5А", 1, "08:00", &err),
	        ADMIN_FORBIDDEN);
	assert_int_equal(admin_class_set(f->db, &f->edu_north, "a", "5А", 1,
	                                 "08:00", &err),
	                 ADMIN_FORBIDDEN);
	assert_int_equal(
	        count(f, "SELECT COUNT(*) FROM audit_log WHERE action = ?", "t",
	              "class.shift"),
	        1);
}

static void
test_lists(void **state)
{
	struct fixture *f = *state;
	json_t *list = NULL, *u;
	size_t i;

	assert_int_equal(admin_users(f->db, &f->dir_a, &list), ADMIN_OK);
	json_array_foreach(list, i, u)
	{
		const char *login =
		        json_string_value(json_object_get(u, "login"));
		bool want = strcmp(login, "admin.a") == 0 ||
		            strcmp(login, "psy.a") == 0;

		assert_int_equal(json_is_true(json_object_get(u, "manageable")),
		                 want);
		assert_int_equal(json_is_true(json_object_get(u, "self")),
		                 strcmp(login, "dir.a") == 0);
	}
	assert_int_equal(json_array_size(list), 4); /* + police.ac */
	json_decref(list);
	assert_int_equal(admin_users(f->db, &f->psy_a, &list), ADMIN_FORBIDDEN);

	assert_int_equal(admin_schools(f->db, &f->sup_north, &list), ADMIN_OK);
	assert_int_equal(json_array_size(list), 2);
	json_decref(list);
	assert_int_equal(admin_schools(f->db, &f->police_ac, &list), ADMIN_OK);
	assert_int_equal(json_array_size(list), 2);
	json_decref(list);

	assert_int_equal(admin_regions(f->db, &f->root, &list), ADMIN_OK);
	assert_int_equal(json_array_size(list), 2);
	json_decref(list);
	assert_int_equal(admin_regions(f->db, &f->sup_north, &list), ADMIN_OK);
	assert_int_equal(json_array_size(list), 1);
	assert_string_equal(json_string_value(json_object_get(
	                            json_array_get(list, 0), "code")),
	                    "north");
	json_decref(list);
	assert_int_equal(admin_regions(f->db, &f->dir_a, &list), ADMIN_OK);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_who_may_administer, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_roles_by_reach, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_scope, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_user_add, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_disable, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_school_add, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_class_set, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_lists, setup, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
