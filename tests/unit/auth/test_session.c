/*
 * Logins, throttling, sessions, device tokens, CSRF tokens, user and device
 * creation, and the scope of resolved principals (session.c, accounts.c).
 * Each test gets a fresh database with two regions and three schools:
 * a and b in region north, c in region south.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "auth/auth.h"
#include "core/arena.h"
#include "../testdb.h"

#define PW "staff password 1"

struct fixture {
	struct testdb t;
	struct store *db;
	struct arena *arena;
	int64_t director, psych, operator_, admin, police;
};

/* One argon2id hash for every fixture user: hashing costs 64 MiB a time. */
static char pw_hash[crypto_pwhash_STRBYTES];

static int
group_setup(void **state)
{
	(void)state;
	return auth_password_hash(PW, pw_hash, sizeof(pw_hash));
}

static void
add_user(struct fixture *f, const char *login, enum role role,
         const int64_t *schools, size_t n, int64_t region, int64_t *id)
{
	size_t i;

	if (region > 0)
		assert_int_equal(store_query_int(f->db, id,
		                                 "INSERT INTO users (login, "
		                                 "password_hash, role, "
		                                 "region_id, created_at) "
		                                 "VALUES (?, ?, ?, ?, "
		                                 "'2025-01-01T00:00:00Z') "
		                                 "RETURNING id",
		                                 "ttti", login, pw_hash,
		                                 role_name(role), region),
		                 STORE_ROW);
	else
		assert_int_equal(store_query_int(f->db, id,
		                                 "INSERT INTO users (login, "
		                                 "password_hash, role, "
		                                 "created_at) VALUES (?, ?, ?, "
		                                 "'2025-01-01T00:00:00Z') "
		                                 "RETURNING id",
		                                 "ttt", login, pw_hash,
		                                 role_name(role)),
		                 STORE_ROW);
	for (i = 0; i < n; i++)
		assert_int_equal(
		        store_execf(f->db,
		                    "INSERT INTO user_schools "
		                    "(user_id, school_id) VALUES (?, ?)",
		                    "ii", *id, schools[i]),
		        STORE_OK);
}

static int
setup(void **state)
{
	static const int64_t school_a[] = {1}, schools_ac[] = {1, 3};
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL || (f->db = testdb_open(&f->t)) == NULL ||
	    (f->arena = arena_new()) == NULL)
		return -1;
	if (testdb_seed_places(f->db) != 0)
		return -1;
	add_user(f, "dir.a", ROLE_DIRECTOR, school_a, 1, 0, &f->director);
	add_user(f, "psy.a", ROLE_PSYCHOLOGIST, school_a, 1, 0, &f->psych);
	add_user(f, "op.north", ROLE_OPERATOR, NULL, 0, 1, &f->operator_);
	add_user(f, "root", ROLE_PLATFORM_ADMIN, NULL, 0, 0, &f->admin);
	add_user(f, "police.ac", ROLE_POLICE_INSPECTOR, schools_ac, 2, 0,
	         &f->police);
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

static struct principal *
login_as(struct fixture *f, const char *login)
{
	char *token = NULL;
	int64_t uid = 0;

	assert_int_equal(auth_login(f->db, f->arena, login, PW, &token, &uid),
	                 AUTH_LOGIN_OK);
	assert_non_null(token);
	assert_int_equal(strlen(token), AUTH_TOKEN_CHARS);
	return auth_resolve_token(f->db, f->arena, token);
}

static int64_t
failed_logins(struct fixture *f, int64_t user)
{
	int64_t n = -1;

	assert_int_equal(store_query_int(f->db, &n,
	                                 "SELECT failed_logins FROM users "
	                                 "WHERE id = ?",
	                                 "i", user),
	                 STORE_ROW);
	return n;
}

static void
test_login_ok(void **state)
{
	struct fixture *f = *state;
	struct principal *p;
	char *token = NULL;
	int64_t uid = 0;

	assert_int_equal(auth_login(f->db, f->arena, "dir.a", PW, &token, &uid),
	                 AUTH_LOGIN_OK);
	assert_int_equal(uid, f->director);
	p = auth_resolve_token(f->db, f->arena, token);
	assert_non_null(p);
	assert_int_equal(p->kind, PRINCIPAL_STAFF);
	assert_int_equal(p->user_id, f->director);
	assert_true(p->session_id > 0);
	assert_string_equal(p->login, "dir.a");
	assert_int_equal(p->role, ROLE_DIRECTOR);
	assert_int_equal(p->region_id, 0);
	assert_int_equal(p->nschools, 1);
	assert_int_equal(p->school_ids[0], 1);
	assert_non_null(p->csrf_token);
	assert_int_equal(strlen(p->csrf_token), 64);
	assert_non_null(p->expires_at);
	assert_int_equal(strlen(p->expires_at), 20);
	/* Two logins, two different sessions and CSRF secrets. */
	{
		struct principal *q = login_as(f, "dir.a");

		assert_non_null(q);
		assert_true(q->session_id != p->session_id);
		assert_string_not_equal(q->csrf_token, p->csrf_token);
	}
}

static void
test_login_bad(void **state)
{
	struct fixture *f = *state;
	char *token = (char *)"x";

	assert_int_equal(auth_login(f->db, f->arena, "dir.a", "wrong password",
	                            &token, NULL),
	                 AUTH_LOGIN_BAD);
	assert_null(token);
	assert_int_equal(
	        auth_login(f->db, f->arena, "nobody", PW, &token, NULL),
	        AUTH_LOGIN_BAD);
	assert_int_equal(auth_login(f->db, f->arena, "", PW, &token, NULL),
	                 AUTH_LOGIN_BAD);
	assert_int_equal(auth_login(f->db, f->arena, NULL, PW, &token, NULL),
	                 AUTH_LOGIN_BAD);
	assert_int_equal(
	        auth_login(f->db, f->arena, "dir.a", NULL, &token, NULL),
	        AUTH_LOGIN_BAD);
	/* Logins are exact: no case folding. */
	assert_int_equal(auth_login(f->db, f->arena, "DIR.A", PW, &token, NULL),
	                 AUTH_LOGIN_BAD);
	assert_int_equal(failed_logins(f, f->director), 1);
}

static void
test_lockout(void **state)
{
	struct fixture *f = *state;
	char *token = NULL;
	int64_t wait;
	int i;

	for (i = 1; i < AUTH_MAX_FAILED_LOGINS; i++) {
		assert_int_equal(auth_login(f->db, f->arena, "psy.a", "nope",
		                            &token, NULL),
		                 AUTH_LOGIN_BAD);
		assert_int_equal(failed_logins(f, f->psych), i);
	}
	assert_int_equal(auth_login_retry_after(f->db, "psy.a"), 0);
	/* The last allowed failure locks the account ... */
	assert_int_equal(
	        auth_login(f->db, f->arena, "psy.a", "nope", &token, NULL),
	        AUTH_LOGIN_LOCKED);
	/* ... and now even the right password is refused. */
	assert_int_equal(auth_login(f->db, f->arena, "psy.a", PW, &token, NULL),
	                 AUTH_LOGIN_LOCKED);
	assert_null(token);
	wait = auth_login_retry_after(f->db, "psy.a");
	assert_true(wait >= 1 && wait <= AUTH_LOCKOUT_SECONDS);
	/* Other accounts are not affected. */
	assert_non_null(login_as(f, "dir.a"));
	/* When the lock has passed, the right password works again. */
	assert_int_equal(store_execf(f->db,
	                             "UPDATE users SET locked_until = "
	                             "'2000-01-01T00:00:00Z' WHERE id = ?",
	                             "i", f->psych),
	                 STORE_OK);
	assert_int_equal(auth_login_retry_after(f->db, "psy.a"), 0);
	assert_non_null(login_as(f, "psy.a"));
	assert_int_equal(failed_logins(f, f->psych), 0);
}

static void
test_success_resets_count(void **state)
{
	struct fixture *f = *state;
	char *token = NULL;
	int round, i;

	for (round = 0; round < 2; round++) {
		for (i = 1; i < AUTH_MAX_FAILED_LOGINS; i++)
			assert_int_equal(auth_login(f->db, f->arena, "dir.a",
			                            "nope", &token, NULL),
			                 AUTH_LOGIN_BAD);
		assert_int_equal(failed_logins(f, f->director),
		                 AUTH_MAX_FAILED_LOGINS - 1);
		assert_non_null(login_as(f, "dir.a"));
		assert_int_equal(failed_logins(f, f->director), 0);
	}
}

static void
test_disabled_user(void **state)
{
	struct fixture *f = *state;
	struct principal *p = login_as(f, "dir.a");
	char *token = NULL;

	assert_non_null(p);
	assert_int_equal(store_execf(f->db,
	                             "UPDATE users SET disabled = 1 "
	                             "WHERE id = ?",
	                             "i", f->director),
	                 STORE_OK);
	assert_int_equal(auth_login(f->db, f->arena, "dir.a", PW, &token, NULL),
	                 AUTH_LOGIN_DISABLED);
	/* A guesser does not learn that the account is disabled. */
	assert_int_equal(
	        auth_login(f->db, f->arena, "dir.a", "nope", &token, NULL),
	        AUTH_LOGIN_BAD);
}

static void
test_disabled_user_session_dies(void **state)
{
	struct fixture *f = *state;
	char *token = NULL;

	assert_int_equal(auth_login(f->db, f->arena, "dir.a", PW, &token, NULL),
	                 AUTH_LOGIN_OK);
	assert_non_null(auth_resolve_token(f->db, f->arena, token));
	assert_int_equal(store_execf(f->db,
	                             "UPDATE users SET disabled = 1 "
	                             "WHERE id = ?",
	                             "i", f->director),
	                 STORE_OK);
	assert_null(auth_resolve_token(f->db, f->arena, token));
}

static void
test_expired_and_revoked(void **state)
{
	struct fixture *f = *state;
	char *t1 = NULL, *t2 = NULL;
	struct principal *p;

	assert_int_equal(auth_login(f->db, f->arena, "psy.a", PW, &t1, NULL),
	                 AUTH_LOGIN_OK);
	assert_int_equal(auth_login(f->db, f->arena, "psy.a", PW, &t2, NULL),
	                 AUTH_LOGIN_OK);
	p = auth_resolve_token(f->db, f->arena, t1);
	assert_non_null(p);
	assert_int_equal(store_execf(f->db,
	                             "UPDATE sessions SET expires_at = "
	                             "'2000-01-01T00:00:00Z' WHERE id = ?",
	                             "i", p->session_id),
	                 STORE_OK);
	assert_null(auth_resolve_token(f->db, f->arena, t1));

	p = auth_resolve_token(f->db, f->arena, t2);
	assert_non_null(p);
	assert_int_equal(auth_logout(f->db, p), 0);
	assert_null(auth_resolve_token(f->db, f->arena, t2));
	assert_int_equal(auth_logout(f->db, NULL), -1);
}

static void
test_malformed_tokens(void **state)
{
	struct fixture *f = *state;
	char buf[AUTH_TOKEN_CHARS + 2];
	char *token = NULL;

	assert_null(auth_resolve_token(f->db, f->arena, NULL));
	assert_null(auth_resolve_token(f->db, f->arena, ""));
	assert_null(auth_resolve_token(f->db, f->arena, "short"));
	memset(buf, 'A', AUTH_TOKEN_CHARS);
	buf[AUTH_TOKEN_CHARS] = '\0';
	assert_null(auth_resolve_token(f->db, f->arena, buf)); /* unknown */
	buf[5] = '!';
	assert_null(auth_resolve_token(f->db, f->arena, buf));
	/* A real token with one more character is not that token. */
	assert_int_equal(auth_login(f->db, f->arena, "dir.a", PW, &token, NULL),
	                 AUTH_LOGIN_OK);
	memcpy(buf, token, AUTH_TOKEN_CHARS);
	buf[AUTH_TOKEN_CHARS] = 'A';
	buf[AUTH_TOKEN_CHARS + 1] = '\0';
	assert_null(auth_resolve_token(f->db, f->arena, buf));
}

static int64_t
count_containing(struct fixture *f, const char *sql, const char *needle)
{
	int64_t n = -1;

	assert_int_equal(store_query_int(f->db, &n, sql, "tt", needle, needle),
	                 STORE_ROW);
	return n;
}

static void
test_tokens_not_stored_in_clear(void **state)
{
	struct fixture *f = *state;
	char *session = NULL, *device = NULL;
	int64_t dev = 0;

	assert_int_equal(
	        auth_login(f->db, f->arena, "dir.a", PW, &session, NULL),
	        AUTH_LOGIN_OK);
	assert_int_equal(auth_device_add(f->db, f->arena, 1, "gate",
	                                 "Main gate", &device, &dev),
	                 0);
	assert_int_equal(count_containing(f,
	                                  "SELECT COUNT(*) FROM sessions WHERE "
	                                  "instr(token_hash, ?) > 0 OR "
	                                  "instr(csrf_secret, ?) > 0",
	                                  session),
	                 0);
	assert_int_equal(count_containing(f,
	                                  "SELECT COUNT(*) FROM devices WHERE "
	                                  "instr(token_hash, ?) > 0 OR "
	                                  "instr(name, ?) > 0",
	                                  device),
	                 0);
	assert_int_equal(count_containing(f,
	                                  "SELECT COUNT(*) FROM sessions WHERE "
	                                  "instr(token_hash, ?) > 0 OR "
	                                  "instr(csrf_secret, ?) > 0",
	                                  device),
	                 0);
	assert_int_equal(count_containing(f,
	                                  "SELECT COUNT(*) FROM users WHERE "
	                                  "instr(password_hash, ?) > 0 OR "
	                                  "instr(login, ?) > 0",
	                                  PW),
	                 0);
}

static void
test_device_tokens(void **state)
{
	struct fixture *f = *state;
	char *token = NULL, *other = NULL;
	struct principal *p;
	int64_t id = 0;

	assert_int_equal(auth_device_add(f->db, f->arena, 2, "till",
	                                 "Canteen till 1", &token, &id),
	                 0);
	assert_int_equal(strlen(token), AUTH_TOKEN_CHARS);
	p = auth_resolve_token(f->db, f->arena, token);
	assert_non_null(p);
	assert_int_equal(p->kind, PRINCIPAL_DEVICE);
	assert_int_equal(p->device_id, id);
	assert_int_equal(p->device_school_id, 2);
	assert_string_equal(p->device_kind, "till");
	assert_true(auth_school_visible(f->db, p, 2));
	assert_false(auth_school_visible(f->db, p, 1));
	assert_false(auth_allowed(p, PERM_STUDENT_READ));

	/* The same name in another school is fine; in the same one not. */
	assert_int_equal(auth_device_add(f->db, f->arena, 1, "till",
	                                 "Canteen till 1", &other, NULL),
	                 0);
	assert_int_equal(auth_device_add(f->db, f->arena, 2, "kiosk",
	                                 "Canteen till 1", &other, NULL),
	                 AUTH_ADD_EXISTS);
	assert_int_equal(auth_device_add(f->db, f->arena, 2, "turnstile", "X",
	                                 &other, NULL),
	                 AUTH_ADD_INVALID);
	assert_int_equal(
	        auth_device_add(f->db, f->arena, 2, "gate", "", &other, NULL),
	        AUTH_ADD_INVALID);
	assert_int_equal(auth_device_add(f->db, f->arena, 2, "gate",
	                                 "line\nbreak", &other, NULL),
	                 AUTH_ADD_INVALID);
	assert_int_equal(auth_device_add(f->db, f->arena, 2, "gate",
	                                 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	                                 "xxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	                                 &other, NULL),
	                 AUTH_ADD_INVALID); /* 65 bytes */
	assert_int_equal(auth_device_add(f->db, f->arena, 99, "gate", "Gate",
	                                 &other, NULL),
	                 AUTH_ADD_INVALID);

	assert_int_equal(store_execf(f->db,
	                             "UPDATE devices SET disabled = 1 "
	                             "WHERE id = ?",
	                             "i", id),
	                 STORE_OK);
	assert_null(auth_resolve_token(f->db, f->arena, token));
}

static void
test_scope_of_resolved_principals(void **state)
{
	struct fixture *f = *state;
	struct principal *p;

	/* A user of school a sees a, not b. */
	p = login_as(f, "psy.a");
	assert_non_null(p);
	assert_true(auth_school_visible(f->db, p, 1));
	assert_false(auth_school_visible(f->db, p, 2));
	assert_false(auth_school_visible(f->db, p, 3));

	/* A region's operator sees the schools of that region only. */
	p = login_as(f, "op.north");
	assert_non_null(p);
	assert_int_equal(p->role, ROLE_OPERATOR);
	assert_int_equal(p->region_id, 1);
	assert_int_equal(p->nschools, 0);
	assert_true(auth_school_visible(f->db, p, 1));
	assert_true(auth_school_visible(f->db, p, 2));
	assert_false(auth_school_visible(f->db, p, 3));

	/* A police inspector covering a and c. */
	p = login_as(f, "police.ac");
	assert_non_null(p);
	assert_int_equal(p->nschools, 2);
	assert_int_equal(p->school_ids[0], 1);
	assert_int_equal(p->school_ids[1], 3);
	assert_true(auth_school_visible(f->db, p, 3));
	assert_false(auth_school_visible(f->db, p, 2));

	p = login_as(f, "root");
	assert_non_null(p);
	assert_true(auth_school_visible(f->db, p, 2));
	assert_true(auth_school_visible(f->db, p, 3));
}

static void
test_user_add_rules(void **state)
{
	static const int64_t a[] = {1}, dup[] = {2, 2}, unknown[] = {99};
	struct fixture *f = *state;
	int64_t id = 0, n = -1;

	assert_int_equal(
	        auth_user_add(f->db, "dir.a", ROLE_DEPUTY, PW, a, 1, 0, &id),
	        AUTH_ADD_EXISTS);
	assert_int_equal(auth_user_add(f->db, "Bad Login", ROLE_DEPUTY, PW, a,
	                               1, 0, &id),
	                 AUTH_ADD_INVALID);
	assert_int_equal(
	        auth_user_add(f->db, "ab", ROLE_DEPUTY, PW, a, 1, 0, &id),
	        AUTH_ADD_INVALID);
	assert_int_equal(auth_user_add(f->db, "weak.one", ROLE_DEPUTY,
	                               "password1234", a, 1, 0, &id),
	                 AUTH_ADD_INVALID);
	assert_int_equal(auth_user_add(f->db, "same.as.login", ROLE_DEPUTY,
	                               "same.as.login", a, 1, 0, &id),
	                 AUTH_ADD_INVALID);
	/* School roles need schools and no region ... */
	assert_int_equal(auth_user_add(f->db, "dep.none", ROLE_DEPUTY, PW, NULL,
	                               0, 0, &id),
	                 AUTH_ADD_INVALID);
	assert_int_equal(auth_user_add(f->db, "dep.region", ROLE_DEPUTY, PW, a,
	                               1, 1, &id),
	                 AUTH_ADD_INVALID);
	/* ... region roles a region and no schools ... */
	assert_int_equal(auth_user_add(f->db, "sup.none", ROLE_SUPERVISOR, PW,
	                               NULL, 0, 0, &id),
	                 AUTH_ADD_INVALID);
	assert_int_equal(auth_user_add(f->db, "sup.school", ROLE_SUPERVISOR, PW,
	                               a, 1, 1, &id),
	                 AUTH_ADD_INVALID);
	/* ... and a platform admin neither. */
	assert_int_equal(auth_user_add(f->db, "root2", ROLE_PLATFORM_ADMIN, PW,
	                               a, 1, 0, &id),
	                 AUTH_ADD_INVALID);
	assert_int_equal(auth_user_add(f->db, "root3", ROLE_PLATFORM_ADMIN, PW,
	                               NULL, 0, 2, &id),
	                 AUTH_ADD_INVALID);
	assert_non_null(auth_user_invalid("x", ROLE_DEPUTY, PW, 1, 0));
	assert_null(auth_user_invalid("dep.ok", ROLE_DEPUTY, PW, 1, 0));

	/* An unknown school leaves nothing behind. */
	assert_int_equal(auth_user_add(f->db, "dep.ghost", ROLE_DEPUTY, PW,
	                               unknown, 1, 0, &id),
	                 AUTH_ADD_ERROR);
	assert_int_equal(store_query_int(f->db, &n,
	                                 "SELECT COUNT(*) FROM users "
	                                 "WHERE login = 'dep.ghost'",
	                                 ""),
	                 STORE_ROW);
	assert_int_equal(n, 0);
	assert_int_equal(auth_user_add(f->db, "sup.ghost", ROLE_SUPERVISOR, PW,
	                               NULL, 0, 99, &id),
	                 AUTH_ADD_ERROR);

	/* A school repeated is bound once. */
	assert_int_equal(
	        auth_user_add(f->db, "dep.b", ROLE_DEPUTY, PW, dup, 2, 0, &id),
	        0);
	assert_int_equal(store_query_int(f->db, &n,
	                                 "SELECT COUNT(*) FROM user_schools "
	                                 "WHERE user_id = ?",
	                                 "i", id),
	                 STORE_ROW);
	assert_int_equal(n, 1);
	assert_non_null(login_as(f, "dep.b"));
}

static void
test_session_csrf(void **state)
{
	struct fixture *f = *state;
	struct principal *p = login_as(f, "dir.a"), *q;
	char wrong[65];

	assert_non_null(p);
	assert_true(auth_csrf_token_ok(p, p->csrf_token));
	snprintf(wrong, sizeof(wrong), "%s", p->csrf_token);
	wrong[10] = wrong[10] == 'a' ? 'b' : 'a';
	assert_false(auth_csrf_token_ok(p, wrong));
	assert_false(auth_csrf_token_ok(p, ""));
	assert_false(auth_csrf_token_ok(p, NULL));
	wrong[63] = '\0';
	assert_false(auth_csrf_token_ok(p, wrong));
	/* Another session's token is not this one's. */
	q = login_as(f, "dir.a");
	assert_non_null(q);
	assert_false(auth_csrf_token_ok(p, q->csrf_token));
}

static void
test_anon_csrf(void **state)
{
	struct fixture *f = *state;
	const char *t1, *t2;
	char bad[65];

	t1 = auth_anon_csrf(f->arena, "cookie-value-one");
	t2 = auth_anon_csrf(f->arena, "cookie-value-two");
	assert_non_null(t1);
	assert_non_null(t2);
	assert_int_equal(strlen(t1), 64);
	assert_string_not_equal(t1, t2);
	/* Stable for the same cookie within the process. */
	assert_string_equal(t1, auth_anon_csrf(f->arena, "cookie-value-one"));
	assert_true(auth_anon_csrf_ok("cookie-value-one", t1));
	assert_false(auth_anon_csrf_ok("cookie-value-two", t1));
	assert_false(auth_anon_csrf_ok("cookie-value-one", t2));
	assert_false(auth_anon_csrf_ok(NULL, t1));
	assert_false(auth_anon_csrf_ok("", t1));
	assert_false(auth_anon_csrf_ok("cookie-value-one", NULL));
	assert_false(auth_anon_csrf_ok("cookie-value-one", "zz"));
	snprintf(bad, sizeof(bad), "%s", t1);
	bad[0] = bad[0] == '0' ? '1' : '0';
	assert_false(auth_anon_csrf_ok("cookie-value-one", bad));
	assert_null(auth_anon_csrf(f->arena, ""));
	assert_null(auth_anon_csrf(f->arena, NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_login_ok, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_login_bad, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_lockout, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_success_resets_count,
	                                        setup, teardown),
	        cmocka_unit_test_setup_teardown(test_disabled_user, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_disabled_user_session_dies,
	                                        setup, teardown),
	        cmocka_unit_test_setup_teardown(test_expired_and_revoked, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_malformed_tokens, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_tokens_not_stored_in_clear,
	                                        setup, teardown),
	        cmocka_unit_test_setup_teardown(test_device_tokens, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(
	                test_scope_of_resolved_principals, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_user_add_rules, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_session_csrf, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_anon_csrf, setup,
	                                        teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
