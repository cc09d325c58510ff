/*
 * Listing users in a reader's scope and disabling them (accounts.c:
 * auth_user_list, auth_user_set_disabled).  Each test gets a fresh database
 * with schools a and b in region north and c in region south, and staff of
 * each kind of scope.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "auth/auth.h"
#include "core/arena.h"
#include "../testdb.h"

#define PW "staff password 1"

enum { NORTH = 1, SOUTH = 2 };
enum { SCHOOL_A = 1, SCHOOL_B = 2, SCHOOL_C = 3 };

struct fixture {
	struct testdb t;
	struct store *db;
	struct arena *arena;
	int64_t root, dir_a, psy_b, sup_north, op_south, police_ac, dir_c;
};

/* One argon2id hash for every fixture user: hashing costs 64 MiB a time. */
static char pw_hash[crypto_pwhash_STRBYTES];

static int
group_setup(void **state)
{
	(void)state;
	if (auth_init() == -1)
		return -1;
	return auth_password_hash(PW, pw_hash, sizeof(pw_hash));
}

static int64_t
add_user(struct fixture *f, const char *login, enum role role,
         const int64_t *schools, size_t n, int64_t region)
{
	int64_t id = 0;
	size_t i;

	assert_int_equal(store_query_int(f->db, &id,
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
		                    "ii", id, schools[i]),
		        STORE_OK);
	return id;
}

static int
setup(void **state)
{
	static const int64_t a[] = {SCHOOL_A}, b[] = {SCHOOL_B},
	                     c[] = {SCHOOL_C}, ac[] = {SCHOOL_A, SCHOOL_C};
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL || (f->db = testdb_open(&f->t)) == NULL ||
	    (f->arena = arena_new()) == NULL)
		return -1;
	if (testdb_seed_places(f->db) != 0)
		return -1;
	f->root = add_user(f, "root", ROLE_PLATFORM_ADMIN, NULL, 0, 0);
	f->dir_a = add_user(f, "dir.a", ROLE_DIRECTOR, a, 1, 0);
	f->psy_b = add_user(f, "psy.b", ROLE_PSYCHOLOGIST, b, 1, 0);
	f->sup_north =
	        add_user(f, "sup.north", ROLE_SUPERVISOR, NULL, 0, NORTH);
	f->op_south = add_user(f, "op.south", ROLE_OPERATOR, NULL, 0, SOUTH);
	f->police_ac =
	        add_user(f, "police.ac", ROLE_POLICE_INSPECTOR, ac, 2, 0);
	f->dir_c = add_user(f, "dir.c", ROLE_DIRECTOR, c, 1, 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	arena_free(f->arena);
	testdb_close(&f->t);
	free(f);
	return 0;
}

/* A reader built by hand, as auth_resolve_token() would make it. */
static struct principal
reader(int64_t user_id, enum role role, int64_t region, int64_t *schools,
       size_t n)
{
	struct principal p;

	memset(&p, 0, sizeof(p));
	p.kind = PRINCIPAL_STAFF;
	p.user_id = user_id;
	p.role = role;
	p.region_id = region;
	p.school_ids = schools;
	p.nschools = n;
	return p;
}

/* The logins of a list, comma-separated, for one comparison per test. */
static const char *
logins(struct fixture *f, json_t *list)
{
	const size_t size = 512;
	char *out = arena_calloc(f->arena, size, 1);
	size_t i, len = 0;
	json_t *u;
	int n;

	assert_non_null(out);
	json_array_foreach(list, i, u)
	{
		n = snprintf(out + len, size - len, "%s%s", i > 0 ? "," : "",
		             json_string_value(json_object_get(u, "login")));
		assert_true(n > 0 && (size_t)n < size - len);
		len += (size_t)n;
	}
	return out;
}

static json_t *
find(json_t *list, const char *login)
{
	const char *l;
	json_t *u;
	size_t i;

	json_array_foreach(list, i, u)
	{
		l = json_string_value(json_object_get(u, "login"));
		if (l != NULL && strcmp(l, login) == 0)
			return u;
	}
	return NULL;
}

static void
test_platform_sees_everyone(void **state)
{
	struct fixture *f = *state;
	struct principal p = reader(f->root, ROLE_PLATFORM_ADMIN, 0, NULL, 0);
	json_t *list = NULL, *u;

	assert_int_equal(auth_user_list(f->db, &p, &list), 0);
	assert_string_equal(logins(f, list), "dir.a,dir.c,op.south,police.ac,"
	                                     "psy.b,root,sup.north");
	u = find(list, "police.ac");
	assert_string_equal(json_string_value(json_object_get(u, "role")),
	                    "police_inspector");
	assert_int_equal(json_array_size(json_object_get(u, "schools")), 2);
	assert_string_equal(json_string_value(json_array_get(
	                            json_object_get(u, "schools"), 0)),
	                    "a");
	assert_string_equal(json_string_value(json_array_get(
	                            json_object_get(u, "schools"), 1)),
	                    "c");
	assert_true(json_is_null(json_object_get(u, "region")));
	assert_true(json_is_false(json_object_get(u, "disabled")));
	u = find(list, "sup.north");
	assert_string_equal(json_string_value(json_object_get(u, "region")),
	                    "north");
	assert_int_equal(json_array_size(json_object_get(u, "schools")), 0);
	/* Exactly the promised fields: nothing like a hash slips out. */
	assert_int_equal(json_object_size(u), 5);
	json_decref(list);
}

static void
test_region_sees_its_region(void **state)
{
	struct fixture *f = *state;
	struct principal p =
	        reader(f->sup_north, ROLE_SUPERVISOR, NORTH, NULL, 0);
	json_t *list = NULL;

	assert_int_equal(auth_user_list(f->db, &p, &list), 0);
	/* police.ac has school a in the north; op.south and dir.c none. */
	assert_string_equal(logins(f, list), "dir.a,police.ac,psy.b,sup.north");
	json_decref(list);
	p = reader(f->op_south, ROLE_OPERATOR, SOUTH, NULL, 0);
	assert_int_equal(auth_user_list(f->db, &p, &list), 0);
	assert_string_equal(logins(f, list), "dir.c,op.south,police.ac");
	json_decref(list);
}

static void
test_school_sees_shared_schools(void **state)
{
	struct fixture *f = *state;
	int64_t a[] = {SCHOOL_A}, b[] = {SCHOOL_B};
	struct principal p = reader(f->dir_a, ROLE_DIRECTOR, 0, a, 1);
	json_t *list = NULL;

	assert_int_equal(auth_user_list(f->db, &p, &list), 0);
	assert_string_equal(logins(f, list), "dir.a,police.ac");
	json_decref(list);
	p = reader(f->psy_b, ROLE_PSYCHOLOGIST, 0, b, 1);
	assert_int_equal(auth_user_list(f->db, &p, &list), 0);
	assert_string_equal(logins(f, list), "psy.b");
	json_decref(list);
}

static void
test_list_refuses_non_staff(void **state)
{
	struct fixture *f = *state;
	struct principal p = reader(0, ROLE_DIRECTOR, 0, NULL, 0);
	json_t *list = (json_t *)1;

	assert_int_equal(auth_user_list(f->db, NULL, &list), -1);
	assert_null(list);
	p.kind = PRINCIPAL_DEVICE;
	assert_int_equal(auth_user_list(f->db, &p, &list), -1);
	assert_null(list);
}

static bool
is_disabled(struct fixture *f, const char *login)
{
	struct principal p = reader(f->root, ROLE_PLATFORM_ADMIN, 0, NULL, 0);
	json_t *list = NULL;
	bool d;

	assert_int_equal(auth_user_list(f->db, &p, &list), 0);
	d = json_is_true(json_object_get(find(list, login), "disabled"));
	json_decref(list);
	return d;
}

static void
test_disable_revokes_sessions(void **state)
{
	struct fixture *f = *state;
	char *t1 = NULL, *t2 = NULL, *t3 = NULL;
	int64_t live = -1;

	assert_int_equal(auth_login(f->db, f->arena, "psy.b", PW, &t1, NULL),
	                 AUTH_LOGIN_OK);
	assert_int_equal(auth_login(f->db, f->arena, "psy.b", PW, &t2, NULL),
	                 AUTH_LOGIN_OK);
	assert_non_null(auth_resolve_token(f->db, f->arena, t1));

	assert_int_equal(auth_user_set_disabled(f->db, f->psy_b, true), 0);
	assert_true(is_disabled(f, "psy.b"));
	assert_null(auth_resolve_token(f->db, f->arena, t1));
	assert_null(auth_resolve_token(f->db, f->arena, t2));
	assert_int_equal(store_query_int(f->db, &live,
	                                 "SELECT COUNT(*) FROM sessions "
	                                 "WHERE user_id = ? AND revoked = 0",
	                                 "i", f->psy_b),
	                 STORE_ROW);
	assert_int_equal(live, 0);
	assert_int_equal(auth_login(f->db, f->arena, "psy.b", PW, &t3, NULL),
	                 AUTH_LOGIN_DISABLED);
	/* Others keep theirs. */
	assert_false(is_disabled(f, "dir.a"));

	/* Enabling lets the user sign in again, but revives no old token. */
	assert_int_equal(auth_user_set_disabled(f->db, f->psy_b, false), 0);
	assert_false(is_disabled(f, "psy.b"));
	assert_null(auth_resolve_token(f->db, f->arena, t1));
	assert_int_equal(auth_login(f->db, f->arena, "psy.b", PW, &t3, NULL),
	                 AUTH_LOGIN_OK);
	assert_non_null(auth_resolve_token(f->db, f->arena, t3));
}

static void
test_disable_unknown_user(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(auth_user_set_disabled(f->db, 9999, true), -1);
	/* Inside the caller's transaction the caller decides. */
	assert_int_equal(store_begin(f->db), STORE_OK);
	assert_int_equal(auth_user_set_disabled(f->db, f->dir_c, true), 0);
	store_rollback(f->db);
	assert_false(is_disabled(f, "dir.c"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_platform_sees_everyone,
	                                        setup, teardown),
	        cmocka_unit_test_setup_teardown(test_region_sees_its_region,
	                                        setup, teardown),
	        cmocka_unit_test_setup_teardown(test_school_sees_shared_schools,
	                                        setup, teardown),
	        cmocka_unit_test_setup_teardown(test_list_refuses_non_staff,
	                                        setup, teardown),
	        cmocka_unit_test_setup_teardown(test_disable_revokes_sessions,
	                                        setup, teardown),
	        cmocka_unit_test_setup_teardown(test_disable_unknown_user,
	                                        setup, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
