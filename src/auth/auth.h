/*
 * Who is calling and what they may do: staff users with roles and scopes,
 * passwords (argon2id), sessions, device tokens, CSRF, login throttling.
 *
 * Scope: a school role (director … school_admin, police_inspector) sees the
 * schools bound to the user; a region role (operator, supervisor,
 * prosecutor, education_dept) sees the schools of its region; platform_admin
 * sees everything.  Every handler asks auth_school_visible() for the school
 * it touches and auth_allowed() for what it does.
 *
 * Secrets never stay in the clear: passwords are argon2id hashes, session
 * and device tokens are stored as BLAKE2b-256 hashes (unkeyed: a token is
 * 256 random bits, so its hash cannot be reversed or guessed; see
 * session.c).  The CSRF secret of a session is not a credential and is
 * stored as it is.
 */
#ifndef QORGAN_AUTH_AUTH_H
#define QORGAN_AUTH_AUTH_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "store/store.h"

enum role {
	ROLE_DIRECTOR,
	ROLE_DEPUTY,
	ROLE_PSYCHOLOGIST,
	ROLE_SOCIAL_PEDAGOGUE,
	ROLE_CLASS_TEACHER,
	ROLE_SECURITY,
	ROLE_CASHIER,
	ROLE_LIBRARIAN,
	ROLE_SCHOOL_ADMIN,
	ROLE_POLICE_INSPECTOR,
	ROLE_PROSECUTOR,
	ROLE_OPERATOR,
	ROLE_SUPERVISOR,
	ROLE_EDUCATION_DEPT,
	ROLE_PLATFORM_ADMIN,
	ROLE_COUNT
};

/* What a principal may do; the role table in roles.c grants these. */
enum permission {
	PERM_STUDENT_READ,   /* a student's personal data */
	PERM_ROSTER_MANAGE,  /* import rosters, edit students and classes */
	PERM_CONSENT_MANAGE, /* record consent given or withdrawn */
	PERM_USER_MANAGE,    /* add staff of the user's own scope */
	PERM_SCHOOL_MANAGE,  /* regions, districts, schools */
	PERM_DEVICE_MANAGE,  /* gates, tills, kiosks */
	PERM_AUDIT_READ,     /* browse and export the audit log */
	PERM_COUNT
};

enum principal_kind { PRINCIPAL_STAFF, PRINCIPAL_DEVICE };

struct principal {
	enum principal_kind kind;
	/* staff */
	int64_t user_id;
	/*
	 * Every staff token is a session, whether a browser's cookie or a
	 * bearer token from POST /api/v1/session, so this is never 0 for a
	 * principal from auth_resolve_token(); 0 only for one built by hand.
	 */
	int64_t session_id;
	const char *expires_at; /* the session's end, RFC 3339 UTC */
	const char *login;
	enum role role;
	int64_t region_id; /* 0 when none */
	int64_t *school_ids;
	size_t nschools;
	const char *csrf_token; /* for forms; NULL for bearer tokens
	                           (auth_authenticate() clears it) */
	/* device */
	int64_t device_id;
	int64_t device_school_id;
	const char *device_kind; /* "gate", "till", "kiosk" */
};

#define AUTH_TOKEN_BYTES        32
#define AUTH_SESSION_HOURS      12
#define AUTH_MAX_FAILED_LOGINS  5
#define AUTH_LOCKOUT_SECONDS    300
#define AUTH_MAX_HASHES_AT_ONCE 2 /* argon2id uses 64 MiB each */
/* How long a login waits for a hashing slot before it is told to retry
 * (making a password hash waits as long as it takes):
 * short, because a waiting login holds one of the server's threads. */
#define AUTH_HASH_WAIT_MS    1000
#define AUTH_PASSWORD_MIN    10
#define AUTH_PASSWORD_MAX    256 /* bytes */
#define AUTH_SESSION_COOKIE  "__Host-qorgan"
#define AUTH_DEVICE_NAME_MAX 64
/* A token as the client sees it: base64url of AUTH_TOKEN_BYTES, no padding.
 * Anything longer is refused before it is hashed. */
#define AUTH_TOKEN_CHARS 43

/* Once, before threads start: libsodium and the hashing semaphore. */
int auth_init(void);

bool role_from_name(const char *name, enum role *out);
const char *role_name(enum role role);
bool role_is_regional(enum role role);
/* The role's name for people: an English msgid for i18n_get(). */
const char *role_label(enum role role);
bool auth_allowed(const struct principal *p, enum permission perm);
/* True when p may see the school with this id. */
bool auth_school_visible(struct store *db, const struct principal *p,
                         int64_t school_id);

/*
 * A class teacher sees only the classes bound to them (user_classes);
 * every other role sees every class of the schools it sees, so ask
 * auth_school_visible() too.  auth_class_limit() is the user whose bound
 * classes limit what p sees, or 0 when nothing limits it.
 */
bool auth_class_visible(struct store *db, const struct principal *p,
                        int64_t class_id);
int64_t auth_class_limit(const struct principal *p);

/* argon2id; out gets the encoded hash (crypto_pwhash_STRBYTES). */
int auth_password_hash(const char *password, char *out, size_t outlen);
bool auth_password_verify(const char *encoded, const char *password);
/* 1 when it matches, 0 when not, -1 when no hashing slot came free in time
 * (or on error). */
int auth_password_check(const char *encoded, const char *password);
/* NULL when acceptable, else a reason for a person. */
const char *auth_password_weak(const char *password);

enum auth_login_result {
	AUTH_LOGIN_OK,
	AUTH_LOGIN_BAD,    /* unknown login or wrong password */
	AUTH_LOGIN_LOCKED, /* too many failures; try later */
	AUTH_LOGIN_DISABLED,
	AUTH_LOGIN_BUSY, /* every hashing slot stayed taken; retry soon */
	AUTH_LOGIN_ERROR,
};

/*
 * Checks a login and password and opens a session.  On success *token gets
 * the session token (in `arena`), which is shown once and stored only as a
 * hash.
 */
enum auth_login_result auth_login(struct store *db, struct arena *arena,
                                  const char *login, const char *password,
                                  char **token, int64_t *user_id);
/* Seconds until a locked login may try again (0 when not locked), for
 * Retry-After; never less than 1 while locked. */
int64_t auth_login_retry_after(struct store *db, const char *login);
int auth_logout(struct store *db, const struct principal *p);

/*
 * The principal behind a bearer or cookie token, or NULL when the token is
 * unknown, expired, revoked or disabled.  Allocated in `arena`.
 */
struct principal *auth_resolve_token(struct store *db, struct arena *arena,
                                     const char *token);

/*
 * NULL when a user with these values may be created, else the reason as an
 * English msgid: a bad login, a weak password (also one equal to the login),
 * a school role without schools or with a region, a region role without a
 * region or with schools, a platform_admin with either.
 */
const char *auth_user_invalid(const char *login, enum role role,
                              const char *password, size_t nschools,
                              int64_t region_id);

/* Results of auth_user_add() and auth_device_add() besides 0. */
#define AUTH_ADD_INVALID -1 /* the values were refused; nothing written */
#define AUTH_ADD_EXISTS  -2 /* the login, or the device name, is taken */
#define AUTH_ADD_ERROR   -3 /* storage failed, or an unknown school/region */

/*
 * Creates a staff user in one transaction (or in the caller's, when one is
 * open); the password is hashed here.  0 and *user_id, or AUTH_ADD_*.
 */
int auth_user_add(struct store *db, const char *login, enum role role,
                  const char *password, const int64_t *school_ids,
                  size_t nschools, int64_t region_id, int64_t *user_id);

/*
 * Binds a class teacher to a class of one of the teacher's schools, in
 * the caller's transaction or one of its own; binding twice is one
 * binding.  0, AUTH_ADD_INVALID (not a class teacher, or a class of
 * another school) or AUTH_ADD_ERROR.
 */
int auth_user_bind_class(struct store *db, int64_t user_id, int64_t class_id);

/*
 * The staff users `reader` may see, by login, as a JSON array (the caller
 * owns *out) of {login, role, schools:[codes], region (code or null),
 * disabled}.  Scope: platform_admin sees everyone; a region role the users
 * of its region and those with a school in it; a school role the users who
 * share a school with it (looked up by reader->user_id).  Whether the
 * reader may list users at all is the caller's question.  0, or -1 on a
 * storage error or a reader that is not staff.
 */
int auth_user_list(struct store *db, const struct principal *reader,
                   json_t **out);

/*
 * Disables or enables a user in one transaction (or the caller's).
 * Disabling also revokes every session the user has, so their tokens and
 * cookies stop working at once.  0, or -1 for an unknown user or a storage
 * error.
 */
int auth_user_set_disabled(struct store *db, int64_t user_id, bool disabled);

/*
 * Registers a device of kind gate, till or kiosk with a name of 1..64 bytes
 * of UTF-8 without control characters; *token (in arena) is shown once and
 * stored hashed.  0, or AUTH_ADD_*.
 */
int auth_device_add(struct store *db, struct arena *arena, int64_t school_id,
                    const char *kind, const char *name, char **token,
                    int64_t *device_id);

/*
 * The CSRF token for a pre-login form, bound to a random browser cookie: an
 * HMAC (crypto_auth) of the cookie under a key made at random once per
 * process, in hex.  NULL for an empty cookie.  A restart invalidates the
 * forms already shown; the person reloads the page.
 */
const char *auth_anon_csrf(struct arena *arena, const char *cookie_value);
/* Whether `token` is auth_anon_csrf(cookie_value), in constant time. */
bool auth_anon_csrf_ok(const char *cookie_value, const char *token);
/* Whether `token` equals the session's CSRF secret, in constant time. */
bool auth_csrf_token_ok(const struct principal *p, const char *token);

/*
 * The HTTP side, in auth_http.c (auth/auth_http.h has the rest: cookie
 * names, auth_principal(), the pre-login CSRF check).  Declared here with
 * incomplete types so that logic including this header never pulls in
 * http/.  Wire-up at start-up:
 *   http_set_auth(srv, auth_authenticate, auth_csrf_ok);
 *   page_set_decorator(auth_page_decorate);
 *   auth_http_register(srv);
 */
struct http_request;
struct http_server;
int auth_http_register(struct http_server *srv);
int auth_authenticate(struct http_request *req);
bool auth_csrf_ok(struct http_request *req);
void auth_page_decorate(struct http_request *req, json_t *ctx);

#endif
