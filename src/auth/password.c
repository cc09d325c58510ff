/*
 * Passwords: argon2id through libsodium, with its INTERACTIVE limits (two
 * passes over 64 MiB, tens of milliseconds).  The memory is what makes the
 * hash expensive to attack, and also what makes a flood of logins able to
 * exhaust the server, so a counting semaphore lets at most
 * AUTH_MAX_HASHES_AT_ONCE hashes run at a time; the others wait their turn
 * for at most AUTH_HASH_WAIT_MS, so that a burst of logins cannot hold every
 * worker thread of the server.
 *
 * auth_init() may be called once at start-up; every function here also
 * initialises lazily (pthread_once), so tests and the command line need not.
 */
#include "auth/auth.h"

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <sodium.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/log.h"
#include "core/utf8.h"
#include "web/i18n.h"

/* The message about the minimum below names the number. */
_Static_assert(AUTH_PASSWORD_MIN == 10, "update the password messages");

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_rc = -1;
static sem_t hash_slots;

static void
init_run(void)
{
	if (sodium_init() < 0) {
		log_warnx("auth: libsodium could not be initialised");
		return;
	}
	if (sem_init(&hash_slots, 0, AUTH_MAX_HASHES_AT_ONCE) == -1) {
		log_warn("auth: sem_init");
		return;
	}
	init_rc = 0;
}

int
auth_init(void)
{
	pthread_once(&init_once, init_run);
	return init_rc;
}

/*
 * Takes a hashing slot.  A login (bounded) waits at most AUTH_HASH_WAIT_MS
 * and is then told to retry; creating or changing a password waits its
 * turn, since only staff managers and the command line do that.
 */
static int
slot_take(bool bounded)
{
	struct timespec deadline;

	if (auth_init() == -1)
		return -1;
	if (!bounded) {
		while (sem_wait(&hash_slots) == -1)
			if (errno != EINTR) {
				log_warn("auth: sem_wait");
				return -1;
			}
		return 0;
	}
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += AUTH_HASH_WAIT_MS / 1000;
	deadline.tv_nsec += (long)(AUTH_HASH_WAIT_MS % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	while (sem_timedwait(&hash_slots, &deadline) == -1) {
		if (errno == ETIMEDOUT) {
			log_warnx("auth: every password hashing slot is busy");
			return -1;
		}
		if (errno != EINTR) {
			log_warn("auth: sem_timedwait");
			return -1;
		}
	}
	return 0;
}

static void
slot_give(void)
{
	sem_post(&hash_slots);
}

int
auth_password_hash(const char *password, char *out, size_t outlen)
{
	int rc;

	if (password == NULL || outlen < crypto_pwhash_STRBYTES ||
	    strlen(password) > AUTH_PASSWORD_MAX)
		return -1;
	if (slot_take(false) == -1)
		return -1;
	rc = crypto_pwhash_str_alg(out, password, strlen(password),
	                           crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                           crypto_pwhash_MEMLIMIT_INTERACTIVE,
	                           crypto_pwhash_ALG_ARGON2ID13);
	slot_give();
	if (rc != 0) {
		log_warnx("auth: password hashing failed (out of memory?)");
		return -1;
	}
	return 0;
}

/*
 * Passwords over the limit are refused without hashing, so a megabyte of
 * password costs nothing; such a password can never have been stored.
 */
int
auth_password_check(const char *encoded, const char *password)
{
	int rc;

	if (encoded == NULL || password == NULL ||
	    strlen(password) > AUTH_PASSWORD_MAX)
		return 0;
	if (slot_take(true) == -1)
		return -1;
	rc = crypto_pwhash_str_verify(encoded, password, strlen(password));
	slot_give();
	return rc == 0 ? 1 : 0;
}

bool
auth_password_verify(const char *encoded, const char *password)
{
	return auth_password_check(encoded, password) == 1;
}

/* Passwords that the first guesser tries; compared ignoring ASCII case. */
static const char *const common_passwords[] = {
        "password1234",  "password123",    "password12",  "password1!",
        "passw0rd123",   "p@ssw0rd123",    "qwerty12345", "qwerty123456",
        "qwertyuiop",    "qwertyuiop1",    "1q2w3e4r5t",  "1q2w3e4r5t6y",
        "1qaz2wsx3edc",  "zaq12wsxcde",    "asdfghjkl1",  "iloveyou123",
        "administrator", "admin12345",     "admin123456", "welcome123",
        "letmein1234",   "qorgan12345",    "qorgan2024",  "qorgan2025",
        "mektep12345",   "shkola12345",    "parol12345",  "parol123456",
        "kazakhstan1",   "kazakhstan2024", "astana12345", "almaty12345",
        "1234567890",    "0987654321",     "12345678910", "1234512345",
        "1111122222",    "1122334455",     "changeme123", "default1234",
        "superuser123",  "ytrewq123456",
};

/* Every character one more than the one before ("1234567890", "abcdefghij"),
 * or one less. */
static bool
is_sequence(const char *s, size_t len)
{
	bool up = true, down = true;
	size_t i;

	for (i = 1; i < len; i++) {
		if ((unsigned char)s[i] != (unsigned char)s[i - 1] + 1)
			up = false;
		if ((unsigned char)s[i] + 1 != (unsigned char)s[i - 1])
			down = false;
	}
	return up || down;
}

/*
 * Length is counted in characters for the minimum (a Kazakh password of ten
 * letters is as long as an English one) and in bytes for the maximum (what
 * the hash has to read).  The checks are the cheap ones that catch what
 * people actually choose; they do not replace the login throttle.
 */
const char *
auth_password_weak(const char *password)
{
	size_t len, i;
	bool same = true;

	if (password == NULL)
		return N_("Enter a password.");
	len = strlen(password);
	if (len > AUTH_PASSWORD_MAX)
		return N_("The password is too long.");
	if (!utf8_valid(password, len) || utf8_has_control(password, len))
		return N_("The password contains characters that cannot be "
		          "typed.");
	if (utf8_length(password, len) < AUTH_PASSWORD_MIN)
		return N_("The password must have at least 10 characters.");
	for (i = 1; i < len; i++)
		if (password[i] != password[0])
			same = false;
	if (same || is_sequence(password, len))
		return N_("The password is too easy to guess.");
	for (i = 0; i < sizeof(common_passwords) / sizeof(common_passwords[0]);
	     i++)
		if (strcasecmp(password, common_passwords[i]) == 0)
			return N_("The password is too easy to guess.");
	return NULL;
}
