/*
 * Sessions and tokens: logging in with throttling, resolving a token into a
 * principal, logging out, and the CSRF tokens of forms.
 *
 * A token is AUTH_TOKEN_BYTES from the system's CSPRNG, given to the client
 * once as base64url and stored only as the hex of its BLAKE2b-256 hash.  The
 * hash is unkeyed on purpose: a pepper guards low-entropy secrets such as
 * passwords against a stolen table, but a 256-bit random token cannot be
 * found from its hash by any amount of guessing, and an unkeyed hash needs
 * no key to manage, rotate or lose.  Lookups are by the hash, through the
 * UNIQUE index, so no comparison of secrets happens in C.
 *
 * Throttling is per account: each wrong password counts in
 * users.failed_logins, and the AUTH_MAX_FAILED_LOGINS-th locks the account
 * until users.locked_until (AUTH_LOCKOUT_SECONDS); a success resets both.
 * The count and the lock are one UPDATE, so concurrent attempts cannot slip
 * past the limit.  A locked account answers at once without hashing: that
 * tells an attacker the account exists, but only after they have spent
 * AUTH_MAX_FAILED_LOGINS guesses on it, and it keeps a flood against one
 * account from occupying the hashing slots.
 *
 * Unknown logins cost one argon2id hash like known ones, so the time of an
 * answer does not tell which logins exist.
 */
#include "auth/auth_internal.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"

int
auth_token_new(struct arena *arena, char **token, char hash[AUTH_HASH_HEX_SIZE])
{
	unsigned char raw[AUTH_TOKEN_BYTES];
	size_t size = sodium_base64_ENCODED_LEN(
	        sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *t;

	if (auth_init() == -1)
		return -1;
	if ((t = arena_alloc(arena, size)) == NULL)
		return -1;
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(t, size, raw, sizeof(raw),
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
	if (!auth_token_hash(t, hash))
		return -1;
	*token = t;
	return 0;
}

static bool
is_base64url(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
	}
	return true;
}

bool
auth_token_hash(const char *token, char hash[AUTH_HASH_HEX_SIZE])
{
	unsigned char h[crypto_generichash_BYTES];
	size_t len;

	if (token == NULL || auth_init() == -1)
		return false;
	len = strnlen(token, AUTH_TOKEN_CHARS + 1);
	if (len != AUTH_TOKEN_CHARS || !is_base64url(token, len))
		return false;
	if (crypto_generichash(h, sizeof(h), (const unsigned char *)token, len,
	                       NULL, 0) != 0)
		return false;
	sodium_bin2hex(hash, AUTH_HASH_HEX_SIZE, h, sizeof(h));
	return true;
}

void
auth_time_format(time_t t, char out[AUTH_TIME_SIZE])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, AUTH_TIME_SIZE, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

time_t
auth_time_parse(const char *s)
{
	struct tm tm;
	int n = 0;

	memset(&tm, 0, sizeof(tm));
	if (s == NULL ||
	    sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon,
	           &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6 ||
	    (s[n] != 'Z' && s[n] != '.'))
		return (time_t)-1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return timegm(&tm);
}

int
auth_txn_begin(struct store *db, bool *own)
{
	*own = !store_in_transaction(db);
	if (*own && store_begin(db) != STORE_OK)
		return -1;
	return 0;
}

int
auth_txn_end(struct store *db, bool own, bool ok)
{
	if (!own)
		return ok ? 0 : -1;
	if (ok && store_commit(db) == STORE_OK)
		return 0;
	store_rollback(db);
	return -1;
}

/*
 * Counts a wrong password; returns AUTH_LOGIN_LOCKED when this one locked
 * the account, else AUTH_LOGIN_BAD (or AUTH_LOGIN_ERROR).
 */
static enum auth_login_result
login_failed(struct store *db, int64_t user_id, time_t now)
{
	char now_s[AUTH_TIME_SIZE], until[AUTH_TIME_SIZE];
	int64_t locked = 0;
	int rc;

	auth_time_format(now, now_s);
	auth_time_format(now + AUTH_LOCKOUT_SECONDS, until);
	rc = store_query_int(
	        db, &locked,
	        "UPDATE users SET "
	        "failed_logins = CASE WHEN failed_logins + 1 >= ? THEN 0 "
	        "ELSE failed_logins + 1 END, "
	        "locked_until = CASE WHEN failed_logins + 1 >= ? THEN ? "
	        "ELSE locked_until END "
	        "WHERE id = ? "
	        "RETURNING CASE WHEN locked_until > ? THEN 1 ELSE 0 END",
	        "iitit", (int64_t)AUTH_MAX_FAILED_LOGINS,
	        (int64_t)AUTH_MAX_FAILED_LOGINS, until, user_id, now_s);
	if (rc != STORE_ROW) {
		log_warnx("auth: could not count a failed login: %s",
		          store_errmsg(db));
		return AUTH_LOGIN_ERROR;
	}
	if (locked) {
		log_info("auth: account locked user=%lld", (long long)user_id);
		return AUTH_LOGIN_LOCKED;
	}
	return AUTH_LOGIN_BAD;
}

/* Opens a session for a user whose password was just verified. */
static int
session_open(struct store *db, struct arena *arena, int64_t user_id,
             const char *rehash, time_t now, char **token)
{
	char now_s[AUTH_TIME_SIZE], expires[AUTH_TIME_SIZE];
	char hash[AUTH_HASH_HEX_SIZE];
	unsigned char secret[32];
	char csrf[sizeof(secret) * 2 + 1];
	bool own, ok = false;
	char *t;

	if (auth_token_new(arena, &t, hash) == -1)
		return -1;
	randombytes_buf(secret, sizeof(secret));
	sodium_bin2hex(csrf, sizeof(csrf), secret, sizeof(secret));
	auth_time_format(now, now_s);
	auth_time_format(now + (time_t)AUTH_SESSION_HOURS * 3600, expires);
	if (auth_txn_begin(db, &own) == -1)
		return -1;
	if (store_execf(db,
	                "UPDATE users SET failed_logins = 0, "
	                "locked_until = NULL WHERE id = ?",
	                "i", user_id) != STORE_OK)
		goto done;
	if (rehash != NULL &&
	    store_execf(db, "UPDATE users SET password_hash = ? WHERE id = ?",
	                "ti", rehash, user_id) != STORE_OK)
		goto done;
	/* Sessions past their end are of no use to anyone; keep it tidy. */
	if (store_execf(db,
	                "DELETE FROM sessions WHERE user_id = ? AND "
	                "expires_at <= ?",
	                "it", user_id, now_s) != STORE_OK)
		goto done;
	if (store_execf(db,
	                "INSERT INTO sessions (token_hash, user_id, "
	                "csrf_secret, created_at, expires_at) "
	                "VALUES (?, ?, ?, ?, ?)",
	                "tittt", hash, user_id, csrf, now_s,
	                expires) != STORE_OK)
		goto done;
	ok = true;
done:
	if (!ok)
		log_warnx("auth: could not open a session: %s",
		          store_errmsg(db));
	if (auth_txn_end(db, own, ok) == -1)
		return -1;
	*token = t;
	return 0;
}

/*
 * A hash that no password matches, verified for unknown logins so that
 * they cost what a wrong password for a known login costs.
 */
static char decoy[crypto_pwhash_STRBYTES];
static pthread_once_t decoy_once = PTHREAD_ONCE_INIT;

static void
decoy_make(void)
{
	unsigned char random[32];
	char secret[65];

	randombytes_buf(random, sizeof(random));
	sodium_bin2hex(secret, sizeof(secret), random, sizeof(random));
	if (auth_password_hash(secret, decoy, sizeof(decoy)) == -1)
		decoy[0] = '\0';
	sodium_memzero(secret, sizeof(secret));
}

enum auth_login_result
auth_login(struct store *db, struct arena *arena, const char *login,
           const char *password, char **token, int64_t *user_id)
{
	char encoded[crypto_pwhash_STRBYTES], rehashed[crypto_pwhash_STRBYTES];
	char now_s[AUTH_TIME_SIZE];
	struct store_stmt *st;
	int64_t id = 0;
	bool disabled = false, locked = false, needs_rehash;
	time_t now = time(NULL);
	const char *s;
	int rc;

	*token = NULL;
	if (login == NULL || password == NULL)
		return AUTH_LOGIN_BAD;
	auth_time_format(now, now_s);
	st = store_query(db,
	                 "SELECT id, password_hash, disabled, "
	                 "CASE WHEN locked_until > ? THEN 1 ELSE 0 END "
	                 "FROM users WHERE login = ?",
	                 "tt", now_s, login);
	if (st == NULL)
		return AUTH_LOGIN_ERROR;
	rc = store_step(st);
	if (rc == STORE_ROW) {
		id = store_col_int(st, 0);
		s = store_col_text(st, 1);
		snprintf(encoded, sizeof(encoded), "%s", s ? s : "");
		disabled = store_col_int(st, 2) != 0;
		locked = store_col_int(st, 3) != 0;
	}
	store_reset(st);
	if (rc < 0)
		return AUTH_LOGIN_ERROR;
	if (rc == STORE_DONE) {
		/* The same work as a wrong password for a known login, and
		 * the same bounded wait for a hashing slot. */
		pthread_once(&decoy_once, decoy_make);
		if (decoy[0] != '\0' &&
		    auth_password_check(decoy, password) == -1)
			return AUTH_LOGIN_BUSY;
		return AUTH_LOGIN_BAD;
	}
	if (locked)
		return AUTH_LOGIN_LOCKED;
	switch (auth_password_check(encoded, password)) {
	case 1:
		break;
	case 0:
		return login_failed(db, id, now);
	default:
		return AUTH_LOGIN_BUSY;
	}
	/* Only someone who knows the password learns that it is disabled. */
	if (disabled)
		return AUTH_LOGIN_DISABLED;
	/* Hashes made with weaker limits are upgraded while we have the
	 * password in hand. */
	needs_rehash =
	        crypto_pwhash_str_needs_rehash(
	                encoded, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0 &&
	        auth_password_hash(password, rehashed, sizeof(rehashed)) == 0;
	if (session_open(db, arena, id, needs_rehash ? rehashed : NULL, now,
	                 token) == -1)
		return AUTH_LOGIN_ERROR;
	if (user_id != NULL)
		*user_id = id;
	return AUTH_LOGIN_OK;
}

int64_t
auth_login_retry_after(struct store *db, const char *login)
{
	struct store_stmt *st;
	time_t until = -1, now = time(NULL);

	if (login == NULL)
		return 0;
	st = store_query(db, "SELECT locked_until FROM users WHERE login = ?",
	                 "t", login);
	if (st == NULL)
		return 0;
	if (store_step(st) == STORE_ROW && !store_col_null(st, 0))
		until = auth_time_parse(store_col_text(st, 0));
	store_reset(st);
	if (until == (time_t)-1 || until <= now)
		return 0;
	return (int64_t)(until - now);
}

int
auth_logout(struct store *db, const struct principal *p)
{
	if (p == NULL || p->kind != PRINCIPAL_STAFF || p->session_id <= 0)
		return -1;
	if (store_execf(db, "UPDATE sessions SET revoked = 1 WHERE id = ?", "i",
	                p->session_id) != STORE_OK) {
		log_warnx("auth: could not revoke a session: %s",
		          store_errmsg(db));
		return -1;
	}
	return 0;
}

/*
 * Fills p->school_ids from user_schools in one pass; 0 or -1.  Most staff
 * have one school, so the array starts small and doubles in the arena.
 */
static int
load_schools(struct store *db, struct arena *arena, struct principal *p)
{
	size_t cap = 4, n = 0;
	int64_t *ids, *grown;
	struct store_stmt *st;
	int rc;

	ids = arena_calloc(arena, cap, sizeof(*ids));
	st = store_query(db,
	                 "SELECT school_id FROM user_schools WHERE user_id = ? "
	                 "ORDER BY school_id",
	                 "i", p->user_id);
	if (ids == NULL || st == NULL) {
		if (st != NULL)
			store_reset(st);
		return -1;
	}
	while ((rc = store_step(st)) == STORE_ROW) {
		if (n == cap) {
			grown = arena_calloc(arena, cap * 2, sizeof(*ids));
			if (grown == NULL)
				break;
			memcpy(grown, ids, n * sizeof(*ids));
			ids = grown;
			cap *= 2;
		}
		ids[n++] = store_col_int(st, 0);
	}
	store_reset(st);
	if (rc != STORE_DONE)
		return -1;
	p->school_ids = n > 0 ? ids : NULL;
	p->nschools = n;
	return 0;
}

/* The staff session behind `hash`: 1 found, 0 not found, -1 error. */
static int
resolve_session(struct store *db, struct arena *arena, const char *hash,
                const char *now, struct principal *p)
{
	struct store_stmt *st;
	bool bad = false;
	int rc;

	st = store_query(db,
	                 "SELECT s.id, s.user_id, s.csrf_secret, s.expires_at, "
	                 "u.login, u.role, u.region_id "
	                 "FROM sessions s JOIN users u ON u.id = s.user_id "
	                 "WHERE s.token_hash = ? AND s.revoked = 0 "
	                 "AND s.expires_at > ? AND u.disabled = 0",
	                 "tt", hash, now);
	if (st == NULL)
		return -1;
	rc = store_step(st);
	if (rc == STORE_ROW) {
		p->kind = PRINCIPAL_STAFF;
		p->session_id = store_col_int(st, 0);
		p->user_id = store_col_int(st, 1);
		p->csrf_token = arena_strdup(arena, store_col_text(st, 2));
		p->expires_at = arena_strdup(arena, store_col_text(st, 3));
		p->login = arena_strdup(arena, store_col_text(st, 4));
		bad = !role_from_name(store_col_text(st, 5), &p->role);
		p->region_id = store_col_null(st, 6) ? 0 : store_col_int(st, 6);
		if (p->csrf_token == NULL || p->expires_at == NULL ||
		    p->login == NULL)
			bad = true;
	}
	store_reset(st);
	if (rc < 0 || bad)
		return -1;
	if (rc != STORE_ROW)
		return 0;
	return load_schools(db, arena, p) == 0 ? 1 : -1;
}

/* The device behind `hash`: 1 found, 0 not found, -1 error. */
static int
resolve_device(struct store *db, struct arena *arena, const char *hash,
               struct principal *p)
{
	struct store_stmt *st;
	int rc;

	st = store_query(db,
	                 "SELECT id, school_id, kind FROM devices "
	                 "WHERE token_hash = ? AND disabled = 0",
	                 "t", hash);
	if (st == NULL)
		return -1;
	rc = store_step(st);
	if (rc == STORE_ROW) {
		p->kind = PRINCIPAL_DEVICE;
		p->device_id = store_col_int(st, 0);
		p->device_school_id = store_col_int(st, 1);
		p->device_kind = arena_strdup(arena, store_col_text(st, 2));
	}
	store_reset(st);
	if (rc < 0 || (rc == STORE_ROW && p->device_kind == NULL))
		return -1;
	return rc == STORE_ROW;
}

struct principal *
auth_resolve_token(struct store *db, struct arena *arena, const char *token)
{
	char hash[AUTH_HASH_HEX_SIZE], now[AUTH_TIME_SIZE];
	struct principal *p;
	int rc;

	if (!auth_token_hash(token, hash))
		return NULL;
	if ((p = arena_alloc(arena, sizeof(*p))) == NULL)
		return NULL;
	auth_time_format(time(NULL), now);
	rc = resolve_session(db, arena, hash, now, p);
	if (rc == 0) {
		memset(p, 0, sizeof(*p));
		rc = resolve_device(db, arena, hash, p);
	}
	if (rc == -1)
		log_warnx("auth: could not resolve a token: %s",
		          store_errmsg(db));
	return rc == 1 ? p : NULL;
}

bool
auth_csrf_token_ok(const struct principal *p, const char *token)
{
	size_t len;

	if (p == NULL || p->kind != PRINCIPAL_STAFF || p->csrf_token == NULL ||
	    token == NULL)
		return false;
	len = strlen(p->csrf_token);
	/* Lengths are public (always 64); only the bytes are secret. */
	if (len == 0 || strlen(token) != len)
		return false;
	return sodium_memcmp(p->csrf_token, token, len) == 0;
}

static unsigned char anon_key[crypto_auth_KEYBYTES];
static pthread_once_t anon_once = PTHREAD_ONCE_INIT;

static void
anon_key_make(void)
{
	if (auth_init() == 0)
		crypto_auth_keygen(anon_key);
}

const char *
auth_anon_csrf(struct arena *arena, const char *cookie_value)
{
	unsigned char mac[crypto_auth_BYTES];
	char *hex;

	if (cookie_value == NULL || cookie_value[0] == '\0' ||
	    auth_init() == -1)
		return NULL;
	pthread_once(&anon_once, anon_key_make);
	crypto_auth(mac, (const unsigned char *)cookie_value,
	            strlen(cookie_value), anon_key);
	if ((hex = arena_alloc(arena, sizeof(mac) * 2 + 1)) == NULL)
		return NULL;
	return sodium_bin2hex(hex, sizeof(mac) * 2 + 1, mac, sizeof(mac));
}

bool
auth_anon_csrf_ok(const char *cookie_value, const char *token)
{
	unsigned char mac[crypto_auth_BYTES];
	size_t binlen = 0;

	if (cookie_value == NULL || cookie_value[0] == '\0' || token == NULL ||
	    auth_init() == -1)
		return false;
	pthread_once(&anon_once, anon_key_make);
	if (strlen(token) != sizeof(mac) * 2 ||
	    sodium_hex2bin(mac, sizeof(mac), token, strlen(token), NULL,
	                   &binlen, NULL) != 0 ||
	    binlen != sizeof(mac))
		return false;
	return crypto_auth_verify(mac, (const unsigned char *)cookie_value,
	                          strlen(cookie_value), anon_key) == 0;
}
