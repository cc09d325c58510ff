/*
 * Administration: setting up schools, staff users and class shifts from
 * the web pages and the JSON API, and the one rule of who may create (or
 * disable) whom.  The command line sets up the same things without this
 * rule, as the operator of the machine.
 *
 * The logic (admin.c) sees no HTTP: it takes values already shaped by the
 * handlers and answers an admin_rc with, for a refusal, the field and an
 * English msgid that the handlers show translated on pages and as it is in
 * problem+json.  Every change is audited in the transaction that makes it.
 */
#ifndef QORGAN_ADMIN_ADMIN_H
#define QORGAN_ADMIN_ADMIN_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "store/store.h"

/* Schools one new user may be given in one request. */
#define ADMIN_MAX_SCHOOLS 32

enum admin_rc {
	ADMIN_OK = 0,
	ADMIN_ERROR = -1,     /* storage failed; logged */
	ADMIN_INVALID = -2,   /* a value was refused: 422 */
	ADMIN_FORBIDDEN = -3, /* the rule says no: 403 */
	ADMIN_EXISTS = -4,    /* the code or login is taken: 409 */
	ADMIN_NOT_FOUND = -5, /* no such school, class or user: 404 */
};

/* Why a request was refused; both English, `reason` an N_() msgid. */
struct admin_error {
	const char *field; /* the JSON field or form field, or NULL */
	const char *reason;
};

/*
 * Whether p may use the administration at all: platform_admin; a region
 * role with PERM_USER_MANAGE or PERM_SCHOOL_MANAGE; a school role with
 * PERM_USER_MANAGE.
 */
bool admin_may_administer(const struct principal *p);

/* Whether p may create users of `role` somewhere, scope aside. */
bool admin_role_allowed(const struct principal *p, enum role role);

/*
 * The whole rule (see admin.c): whether p may create, disable or enable a
 * user of `role` with these schools or this region.
 */
bool admin_may_manage(struct store *db, const struct principal *p,
                      enum role role, const int64_t *school_ids,
                      size_t nschools, int64_t region_id);

/*
 * Adds a school; a region role (education_dept) adds only in its own
 * region, which is also the default.  region and district may be NULL.
 */
int admin_school_add(struct store *db, const struct principal *p,
                     const char *code, const char *name, const char *region,
                     const char *district, struct admin_error *err);

struct admin_new_user {
	const char *login;
	const char *role; /* the contract's name */
	const char *password;
	const char *const *schools; /* codes */
	size_t nschools;
	const char *region; /* a code, or NULL */
};

/* Adds a staff user if the rule allows it; audited as "user.add". */
int admin_user_add(struct store *db, const struct principal *p,
                   const struct admin_new_user *u, struct admin_error *err);

/*
 * Disables (revoking the user's sessions) or enables a user if the rule
 * allows it and the user is not p; audited as "user.disable" or
 * "user.enable".
 */
int admin_user_set_disabled(struct store *db, const struct principal *p,
                            const char *login, bool disabled,
                            struct admin_error *err);

/* A class's shift (1..3) and start "HH:MM"; PERM_ROSTER_MANAGE there. */
int admin_class_set(struct store *db, const struct principal *p,
                    const char *school, const char *class_name, int shift,
                    const char *starts_at, struct admin_error *err);

/*
 * For the pages (the caller owns *out):
 *   admin_users:   auth_user_list() with "manageable" (p may disable or
 *                  enable the user) and "self" on each entry;
 *   admin_schools: the schools p may see, [{id, code, name, region,
 *                  district}] (region and district by name), by code
 *                  for a region role or platform_admin, in the
 *                  principal's order for a school role;
 *   admin_regions: the regions p may give users or schools,
 *                  [{code, name}] by code.
 */
int admin_users(struct store *db, const struct principal *p, json_t **out);
int admin_schools(struct store *db, const struct principal *p, json_t **out);
int admin_regions(struct store *db, const struct principal *p, json_t **out);

/* The routes of admin_http.c; an incomplete type keeps http/ out. */
struct http_server;
int admin_http_register(struct http_server *srv);

#endif
