/*
 * Role names, the permission grid and school visibility (roles.c).  The grid
 * is checked cell by cell against the table in the brief, so a change to
 * roles.c that widens access shows up here as a failing line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "auth/auth.h"
#include "../testdb.h"

static const char *const contract_roles[ROLE_COUNT] = {
        "director",         "deputy",         "psychologist",
        "social_pedagogue", "class_teacher",  "security",
        "cashier",          "librarian",      "school_admin",
        "police_inspector", "prosecutor",     "operator",
        "supervisor",       "education_dept", "platform_admin",
};

static void
test_names_round_trip(void **state)
{
	enum role r;
	int i;

	(void)state;
	for (i = 0; i < ROLE_COUNT; i++) {
		assert_true(role_from_name(contract_roles[i], &r));
		assert_int_equal(r, i);
		assert_string_equal(role_name(r), contract_roles[i]);
		assert_non_null(role_label(r));
	}
	assert_false(role_from_name("Director", &r));
	assert_false(role_from_name("director ", &r));
	assert_false(role_from_name("", &r));
	assert_false(role_from_name(NULL, &r));
	assert_false(role_from_name("admin", &r));
	assert_string_equal(role_name(ROLE_COUNT), "unknown");
}

static void
test_regional(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < ROLE_COUNT; i++) {
		bool want = i == ROLE_OPERATOR || i == ROLE_SUPERVISOR ||
		            i == ROLE_PROSECUTOR || i == ROLE_EDUCATION_DEPT;

		assert_int_equal(role_is_regional((enum role)i), want);
	}
}

/* Which roles hold each permission; everything else must not. */
static const struct {
	enum permission perm;
	enum role holders[8];
	int n;
} grid[] = {
        {PERM_STUDENT_READ,
         {ROLE_DIRECTOR, ROLE_DEPUTY, ROLE_PSYCHOLOGIST, ROLE_SOCIAL_PEDAGOGUE,
          ROLE_CLASS_TEACHER, ROLE_SCHOOL_ADMIN, ROLE_PLATFORM_ADMIN},
         7},
        {PERM_ROSTER_MANAGE,
         {ROLE_DIRECTOR, ROLE_SCHOOL_ADMIN, ROLE_PLATFORM_ADMIN},
         3},
        {PERM_CONSENT_MANAGE,
         {ROLE_DIRECTOR, ROLE_DEPUTY, ROLE_SOCIAL_PEDAGOGUE, ROLE_CLASS_TEACHER,
          ROLE_SCHOOL_ADMIN, ROLE_PLATFORM_ADMIN},
         6},
        {PERM_USER_MANAGE,
         {ROLE_DIRECTOR, ROLE_SCHOOL_ADMIN, ROLE_SUPERVISOR,
          ROLE_PLATFORM_ADMIN},
         4},
        {PERM_SCHOOL_MANAGE, {ROLE_PLATFORM_ADMIN, ROLE_EDUCATION_DEPT}, 2},
        {PERM_DEVICE_MANAGE,
         {ROLE_DIRECTOR, ROLE_SCHOOL_ADMIN, ROLE_PLATFORM_ADMIN},
         3},
        {PERM_AUDIT_READ,
         {ROLE_DIRECTOR, ROLE_SUPERVISOR, ROLE_PLATFORM_ADMIN},
         3},
};

static void
test_permission_grid(void **state)
{
	struct principal p;
	size_t g;
	int r, k;

	(void)state;
	assert_int_equal(sizeof(grid) / sizeof(grid[0]), PERM_COUNT);
	for (g = 0; g < sizeof(grid) / sizeof(grid[0]); g++) {
		for (r = 0; r < ROLE_COUNT; r++) {
			bool want = false;

			for (k = 0; k < grid[g].n; k++)
				if (grid[g].holders[k] == (enum role)r)
					want = true;
			memset(&p, 0, sizeof(p));
			p.kind = PRINCIPAL_STAFF;
			p.role = (enum role)r;
			if (auth_allowed(&p, grid[g].perm) != want)
				fail_msg("role %s, permission %d: expected %d",
				         role_name(p.role), grid[g].perm, want);
		}
	}
}

static void
test_no_personal_data_for_outside_roles(void **state)
{
	static const enum role outside[] = {
	        ROLE_POLICE_INSPECTOR, ROLE_PROSECUTOR, ROLE_OPERATOR,
	        ROLE_CASHIER,          ROLE_SECURITY,   ROLE_LIBRARIAN,
	};
	struct principal p;
	size_t i;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.kind = PRINCIPAL_STAFF;
	for (i = 0; i < sizeof(outside) / sizeof(outside[0]); i++) {
		p.role = outside[i];
		assert_false(auth_allowed(&p, PERM_STUDENT_READ));
	}
}

static void
test_devices_and_null_have_no_permission(void **state)
{
	struct principal p;
	int i;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.kind = PRINCIPAL_DEVICE;
	p.role = ROLE_PLATFORM_ADMIN; /* must not matter */
	for (i = 0; i < PERM_COUNT; i++) {
		assert_false(auth_allowed(&p, (enum permission)i));
		assert_false(auth_allowed(NULL, (enum permission)i));
	}
}

static void
test_school_visible(void **state)
{
	int64_t schools_a[] = {1}, schools_ab[] = {1, 3};
	struct principal p;
	struct testdb t;
	struct store *db;

	(void)state;
	assert_non_null(db = testdb_open(&t));
	assert_int_equal(store_execf(db,
	                             "INSERT INTO regions (id, code, name) "
	                             "VALUES (1, 'north', 'North'), "
	                             "(2, 'south', 'South')",
	                             ""),
	                 STORE_OK);
	assert_int_equal(
	        store_execf(db,
	                    "INSERT INTO schools (id, code, name, region_id, "
	                    "created_at) VALUES "
	                    "(1, 'a', 'A', 1, '2025-01-01T00:00:00Z'), "
	                    "(2, 'b', 'B', 1, '2025-01-01T00:00:00Z'), "
	                    "(3, 'c', 'C', 2, '2025-01-01T00:00:00Z'), "
	                    "(4, 'd', 'D', NULL, '2025-01-01T00:00:00Z')",
	                    ""),
	        STORE_OK);

	memset(&p, 0, sizeof(p));
	p.kind = PRINCIPAL_STAFF;
	p.role = ROLE_PSYCHOLOGIST;
	p.school_ids = schools_a;
	p.nschools = 1;
	assert_true(auth_school_visible(db, &p, 1));
	assert_false(auth_school_visible(db, &p, 2));
	assert_false(auth_school_visible(db, &p, 3));
	assert_false(auth_school_visible(db, &p, 0));

	/* A police inspector may cover several schools. */
	p.role = ROLE_POLICE_INSPECTOR;
	p.school_ids = schools_ab;
	p.nschools = 2;
	assert_true(auth_school_visible(db, &p, 1));
	assert_false(auth_school_visible(db, &p, 2));
	assert_true(auth_school_visible(db, &p, 3));

	/* A region role: its region's schools, whatever school_ids say. */
	memset(&p, 0, sizeof(p));
	p.kind = PRINCIPAL_STAFF;
	p.role = ROLE_OPERATOR;
	p.region_id = 1;
	assert_true(auth_school_visible(db, &p, 1));
	assert_true(auth_school_visible(db, &p, 2));
	assert_false(auth_school_visible(db, &p, 3));
	assert_false(auth_school_visible(db, &p, 4)); /* no region */
	assert_false(auth_school_visible(db, &p, 99));
	p.region_id = 0;
	assert_false(auth_school_visible(db, &p, 1));

	p.role = ROLE_PLATFORM_ADMIN;
	assert_true(auth_school_visible(db, &p, 3));
	assert_true(auth_school_visible(db, &p, 4));

	memset(&p, 0, sizeof(p));
	p.kind = PRINCIPAL_DEVICE;
	p.device_school_id = 2;
	assert_true(auth_school_visible(db, &p, 2));
	assert_false(auth_school_visible(db, &p, 1));

	assert_false(auth_school_visible(db, NULL, 1));
	testdb_close(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_names_round_trip),
	        cmocka_unit_test(test_regional),
	        cmocka_unit_test(test_permission_grid),
	        cmocka_unit_test(test_no_personal_data_for_outside_roles),
	        cmocka_unit_test(test_devices_and_null_have_no_permission),
	        cmocka_unit_test(test_school_visible),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
