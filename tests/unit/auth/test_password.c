/*
 * Password hashing, verification and the weak-password rules (password.c).
 * Each argon2id hash takes 64 MiB and tens of milliseconds, more under
 * ASan, so the tests hash only a handful of times.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "auth/auth.h"

static void
test_hash_and_verify(void **state)
{
	char h1[crypto_pwhash_STRBYTES], h2[crypto_pwhash_STRBYTES];

	(void)state;
	assert_int_equal(auth_init(), 0);
	assert_int_equal(auth_password_hash("correct horse 42", h1, sizeof(h1)),
	                 0);
	assert_true(strncmp(h1, "$argon2id$", 10) == 0);
	/* The password itself is nowhere in the encoded hash. */
	assert_null(strstr(h1, "correct horse"));
	assert_true(auth_password_verify(h1, "correct horse 42"));
	assert_false(auth_password_verify(h1, "correct horse 43"));
	assert_false(auth_password_verify(h1, "Correct horse 42"));
	assert_false(auth_password_verify(h1, ""));
	assert_false(auth_password_verify(h1, NULL));
	assert_false(auth_password_verify(NULL, "correct horse 42"));
	assert_false(auth_password_verify("not a hash", "correct horse 42"));
	/* A fresh salt each time. */
	assert_int_equal(auth_password_hash("correct horse 42", h2, sizeof(h2)),
	                 0);
	assert_string_not_equal(h1, h2);
	assert_true(auth_password_verify(h2, "correct horse 42"));
}

static void
test_hash_refuses_bad_arguments(void **state)
{
	char small[16], h[crypto_pwhash_STRBYTES];
	char long_pw[AUTH_PASSWORD_MAX + 2];

	(void)state;
	assert_int_equal(
	        auth_password_hash("long enough pw", small, sizeof(small)), -1);
	assert_int_equal(auth_password_hash(NULL, h, sizeof(h)), -1);
	memset(long_pw, 'x', sizeof(long_pw) - 1);
	long_pw[sizeof(long_pw) - 1] = '\0';
	assert_int_equal(auth_password_hash(long_pw, h, sizeof(h)), -1);
}

static void *
hash_thread(void *arg)
{
	char h[crypto_pwhash_STRBYTES];
	int *ok = arg;

	*ok = auth_password_hash("parallel hash 1", h, sizeof(h)) == 0 &&
	      crypto_pwhash_str_verify(h, "parallel hash 1",
	                               strlen("parallel hash 1")) == 0;
	return NULL;
}

/*
 * More threads than hashing slots: making a hash waits its turn, however
 * long that takes, and every one succeeds.  (A login's verification gives
 * up after AUTH_HASH_WAIT_MS instead; that is a matter of time, so it is
 * not asserted here.)
 */
static void
test_concurrent_hashes(void **state)
{
	pthread_t th[AUTH_MAX_HASHES_AT_ONCE + 2];
	int ok[AUTH_MAX_HASHES_AT_ONCE + 2];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(th) / sizeof(th[0]); i++)
		assert_int_equal(
		        pthread_create(&th[i], NULL, hash_thread, &ok[i]), 0);
	for (i = 0; i < sizeof(th) / sizeof(th[0]); i++) {
		pthread_join(th[i], NULL);
		assert_true(ok[i]);
	}
}

static void
test_weak_passwords(void **state)
{
	char long_pw[AUTH_PASSWORD_MAX + 2];

	(void)state;
	assert_non_null(auth_password_weak(NULL));
	assert_non_null(auth_password_weak(""));
	assert_non_null(auth_password_weak("short"));
	assert_non_null(auth_password_weak("abc123xyz")); /* 9 */
	assert_non_null(auth_password_weak("aaaaaaaaaaaa"));
	assert_non_null(auth_password_weak("password1234"));
	assert_non_null(auth_password_weak("PASSWORD1234"));
	assert_non_null(auth_password_weak("qwerty123456"));
	assert_non_null(auth_password_weak("1234567890"));
	assert_non_null(auth_password_weak("0987654321"));
	assert_non_null(auth_password_weak("abcdefghijk"));
	assert_non_null(auth_password_weak("tab\tinside pw"));
	assert_non_null(auth_password_weak("bad \xff utf-8 bytes"));
	memset(long_pw, 'x', sizeof(long_pw) - 1);
	long_pw[0] = 'y';
	long_pw[sizeof(long_pw) - 1] = '\0';
	assert_non_null(auth_password_weak(long_pw));
	/* Nine Cyrillic letters are 18 bytes but still too short. */
	assert_non_null(auth_password_weak("құпиясөзд"));
}

static void
test_acceptable_passwords(void **state)
{
	char max_pw[AUTH_PASSWORD_MAX + 1];

	(void)state;
	assert_null(auth_password_weak("abc123xyz!"));
	assert_null(auth_password_weak("correct horse battery"));
	assert_null(auth_password_weak("құпиясөз12")); /* 10 characters */
	assert_null(auth_password_weak("Мектеп-2025-Алматы"));
	memset(max_pw, 'x', sizeof(max_pw) - 1);
	max_pw[0] = 'y';
	max_pw[sizeof(max_pw) - 1] = '\0';
	assert_null(auth_password_weak(max_pw));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_hash_and_verify),
	        cmocka_unit_test(test_hash_refuses_bad_arguments),
	        cmocka_unit_test(test_concurrent_hashes),
	        cmocka_unit_test(test_weak_passwords),
	        cmocka_unit_test(test_acceptable_passwords),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
