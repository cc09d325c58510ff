/*
 * Administration logic: who may create whom, and the changes themselves.
 *
 * The rule (admin_may_manage), for creating a user and equally for
 * disabling or enabling one:
 *
 *   - platform_admin may create anyone, anywhere.
 *   - A region role that may manage users or schools (supervisor,
 *     education_dept as roles.c grants) may create region roles of its own
 *     region, and school roles (police_inspector included) whose schools
 *     all lie in its region.  Never a platform_admin.
 *   - A school role that may manage users (director, school_admin) may
 *     create school roles other than police_inspector, whose schools are
 *     all among its own.  Never a region role or a platform_admin: the
 *     police answer to the region, not to the school they watch.
 *   - Nobody else may create anyone.
 *
 * So nobody creates a role whose reach (platform > region > school) is
 * wider than their own, nor reaches a school they cannot see.  Disabling
 * follows the same rule with the user's current role and scope, and
 * nobody disables themselves (they would lock out the last administrator
 * of a school by a slip of the finger).
 *
 * Changes to users are audited in the transaction that makes them, as
 * user.add, user.disable and user.enable with the user's id and, for
 * user.add, the role (never the password).  A user's audit line names their
 * first school, so the school's director sees it in the school's log.  The
 * password is hashed inside that transaction (auth_user_add() hashes in
 * the caller's); adding a user is rare, and an unaudited account would be
 * worse than a write lock held for the time of one hash.
 */
#include "admin/admin_internal.h"

#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "core/log.h"
#include "core/validate.h"
#include "people/people.h"
#include "web/i18n.h"

/* Room for a region code (VALIDATE_CODE_MAX) and its NUL. */
#define REGION_CODE_SIZE (VALIDATE_CODE_MAX + 1)

static int
refuse(struct admin_error *err, int rc, const char *field, const char *reason)
{
	if (err != NULL) {
		err->field = field;
		err->reason = reason;
	}
	return rc;
}

static bool
is_staff(const struct principal *p)
{
	return p != NULL && p->kind == PRINCIPAL_STAFF && (int)p->role >= 0 &&
	       p->role < ROLE_COUNT;
}

bool
admin_may_administer(const struct principal *p)
{
	if (!is_staff(p))
		return false;
	if (p->role == ROLE_PLATFORM_ADMIN)
		return true;
	if (role_is_regional(p->role))
		return p->region_id > 0 &&
		       (auth_allowed(p, PERM_USER_MANAGE) ||
		        auth_allowed(p, PERM_SCHOOL_MANAGE));
	return auth_allowed(p, PERM_USER_MANAGE) && p->nschools > 0;
}

bool
admin_role_allowed(const struct principal *p, enum role role)
{
	if (!admin_may_administer(p) || (int)role < 0 || role >= ROLE_COUNT)
		return false;
	if (p->role == ROLE_PLATFORM_ADMIN)
		return true;
	if (role == ROLE_PLATFORM_ADMIN)
		return false;
	if (role_is_regional(p->role))
		return true;
	return !role_is_regional(role) && role != ROLE_POLICE_INSPECTOR;
}

bool
admin_may_manage(struct store *db, const struct principal *p, enum role role,
                 const int64_t *school_ids, size_t nschools, int64_t region_id)
{
	size_t i;

	if (!admin_role_allowed(p, role))
		return false;
	if (p->role == ROLE_PLATFORM_ADMIN)
		return true;
	if (role_is_regional(role))
		return nschools == 0 && region_id == p->region_id;
	if (nschools == 0 || region_id != 0)
		return false;
	/* For a region role: the school lies in its region; for a school
	 * role: the school is one of its own. */
	for (i = 0; i < nschools; i++)
		if (!auth_school_visible(db, p, school_ids[i]))
			return false;
	return true;
}

int
admin_school_add(struct store *db, const struct principal *p, const char *code,
                 const char *name, const char *region, const char *district,
                 struct admin_error *err)
{
	char own[REGION_CODE_SIZE];
	int64_t id;
	int rc;

	if (!is_staff(p) || !auth_allowed(p, PERM_SCHOOL_MANAGE))
		return refuse(err, ADMIN_FORBIDDEN, NULL,
		              N_("You may not add schools."));
	if (!validate_code(code))
		return refuse(err, ADMIN_INVALID, "code",
		              N_("A code is 1 to 32 small Latin letters, "
		                 "digits or hyphens."));
	if (!people_text_valid(name, PEOPLE_NAME_MAX))
		return refuse(err, ADMIN_INVALID, "name",
		              N_("A name is 1 to 200 characters."));
	if (region != NULL && !validate_code(region))
		return refuse(err, ADMIN_INVALID, "region",
		              N_("A code is 1 to 32 small Latin letters, "
		                 "digits or hyphens."));
	if (district != NULL && !validate_code(district))
		return refuse(err, ADMIN_INVALID, "district",
		              N_("A code is 1 to 32 small Latin letters, "
		                 "digits or hyphens."));
	if (role_is_regional(p->role)) {
		rc = admin_region_code(db, p->region_id, own, sizeof(own));
		if (rc != ADMIN_OK)
			return ADMIN_ERROR;
		if (region == NULL)
			region = own;
		else if (strcmp(region, own) != 0)
			return refuse(err, ADMIN_FORBIDDEN, "region",
			              N_("You may add schools only in your "
			                 "own region."));
	} else if (district != NULL && region == NULL) {
		return refuse(err, ADMIN_INVALID, "district",
		              N_("A district needs a region."));
	}
	rc = people_school_add(db, p, code, name, region, district, &id);
	if (rc == PEOPLE_DUPLICATE)
		return refuse(err, ADMIN_EXISTS, "code",
		              N_("A school with this code already exists."));
	if (rc == PEOPLE_INVALID)
		return refuse(err, ADMIN_INVALID, "code",
		              N_("A code is 1 to 32 small Latin letters, "
		                 "digits or hyphens."));
	return rc == PEOPLE_OK ? ADMIN_OK : ADMIN_ERROR;
}

/* Writes the user's audit line; 0 or -1. */
static int
audit_user(struct store *db, const struct principal *p, const char *action,
           int64_t user_id, int64_t school_id, const char *detail)
{
	char object[24];

	snprintf(object, sizeof(object), "%lld", (long long)user_id);
	return audit_record(db, p, action, school_id, "user", object, detail);
}

/* Resolves codes to ids; ADMIN_OK, or a refusal naming the field. */
static int
resolve_scope(struct store *db, const struct admin_new_user *u, int64_t *ids,
              int64_t *region_id, struct admin_error *err)
{
	size_t i;
	int rc;

	*region_id = 0;
	for (i = 0; i < u->nschools; i++) {
		rc = people_school_find(db, u->schools[i], &ids[i]);
		if (rc == PEOPLE_NOT_FOUND)
			return refuse(err, ADMIN_INVALID, "schools",
			              N_("No such school."));
		if (rc != PEOPLE_OK)
			return ADMIN_ERROR;
	}
	if (u->region == NULL)
		return ADMIN_OK;
	rc = people_region_find(db, u->region, region_id);
	if (rc == PEOPLE_NOT_FOUND || rc == PEOPLE_INVALID)
		return refuse(err, ADMIN_INVALID, "region",
		              N_("No such region."));
	return rc == PEOPLE_OK ? ADMIN_OK : ADMIN_ERROR;
}

int
admin_user_add(struct store *db, const struct principal *p,
               const struct admin_new_user *u, struct admin_error *err)
{
	int64_t ids[ADMIN_MAX_SCHOOLS], region_id, user_id = 0;
	const char *why;
	char detail[48];
	enum role role;
	int rc;

	if (!admin_may_administer(p))
		return refuse(err, ADMIN_FORBIDDEN, NULL,
		              N_("You may not add staff."));
	if (!role_from_name(u->role, &role))
		return refuse(err, ADMIN_INVALID, "role", N_("Unknown role."));
	if (!admin_role_allowed(p, role))
		return refuse(err, ADMIN_FORBIDDEN, "role",
		              N_("You may not add staff with this role."));
	if (u->nschools > ADMIN_MAX_SCHOOLS)
		return refuse(err, ADMIN_INVALID, "schools",
		              N_("Too many schools."));
	if ((rc = resolve_scope(db, u, ids, &region_id, err)) != ADMIN_OK)
		return rc;
	why = auth_user_invalid(u->login, role, u->password, u->nschools,
	                        region_id);
	if (why != NULL)
		return refuse(err, ADMIN_INVALID, NULL, why);
	if (!admin_may_manage(db, p, role, ids, u->nschools, region_id))
		return refuse(err, ADMIN_FORBIDDEN,
		              role_is_regional(role) ? "region" : "schools",
		              N_("You may not add staff there."));
	if (store_begin(db) != STORE_OK)
		return ADMIN_ERROR;
	rc = auth_user_add(db, u->login, role, u->password, ids, u->nschools,
	                   region_id, &user_id);
	snprintf(detail, sizeof(detail), "role=%s", role_name(role));
	if (rc == 0 && (audit_user(db, p, "user.add", user_id,
	                           u->nschools > 0 ? ids[0] : 0, detail) != 0 ||
	                store_commit(db) != STORE_OK))
		rc = AUTH_ADD_ERROR;
	if (rc == 0)
		return ADMIN_OK;
	store_rollback(db);
	if (rc == AUTH_ADD_EXISTS)
		return refuse(err, ADMIN_EXISTS, "login",
		              N_("This login is taken."));
	return ADMIN_ERROR;
}

int
admin_user_set_disabled(struct store *db, const struct principal *p,
                        const char *login, bool disabled,
                        struct admin_error *err)
{
	struct admin_target t;
	int rc;

	if (!admin_may_administer(p))
		return refuse(err, ADMIN_FORBIDDEN, NULL,
		              N_("You may not change staff accounts."));
	if ((rc = admin_target_find(db, login, &t)) == ADMIN_NOT_FOUND)
		return refuse(err, rc, "login", N_("No such user."));
	if (rc != ADMIN_OK)
		return rc;
	if (t.id == p->user_id)
		rc = refuse(err, ADMIN_FORBIDDEN, "login",
		            N_("You cannot disable your own account."));
	else if (!admin_may_manage(db, p, t.role, t.school_ids, t.nschools,
	                           t.region_id))
		rc = refuse(err, ADMIN_FORBIDDEN, "login",
		            N_("You may not change this account."));
	else if (store_begin(db) != STORE_OK)
		rc = ADMIN_ERROR;
	else if (auth_user_set_disabled(db, t.id, disabled) != 0 ||
	         audit_user(db, p, disabled ? "user.disable" : "user.enable",
	                    t.id, t.nschools > 0 ? t.school_ids[0] : 0,
	                    NULL) != 0 ||
	         store_commit(db) != STORE_OK) {
		store_rollback(db);
		rc = ADMIN_ERROR;
	}
	admin_target_free(&t);
	return rc;
}

int
admin_class_set(struct store *db, const struct principal *p, const char *school,
                const char *class_name, int shift, const char *starts_at,
                struct admin_error *err)
{
	int64_t school_id, class_id;
	int rc;

	if (!is_staff(p))
		return refuse(err, ADMIN_FORBIDDEN, NULL,
		              N_("You may not change this school's classes."));
	rc = people_school_find(db, school, &school_id);
	if (rc == PEOPLE_NOT_FOUND)
		return refuse(err, ADMIN_NOT_FOUND, "school",
		              N_("No such school."));
	if (rc != PEOPLE_OK)
		return ADMIN_ERROR;
	if (!auth_allowed(p, PERM_ROSTER_MANAGE) ||
	    !auth_school_visible(db, p, school_id))
		return refuse(err, ADMIN_FORBIDDEN, NULL,
		              N_("You may not change this school's classes."));
	rc = people_class_find(db, school_id, class_name, &class_id);
	if (rc == PEOPLE_NOT_FOUND || rc == PEOPLE_INVALID)
		return refuse(err, ADMIN_NOT_FOUND, "class",
		              N_("No such class."));
	if (rc != PEOPLE_OK)
		return ADMIN_ERROR;
	if (shift < 1 || shift > 3)
		return refuse(err, ADMIN_INVALID, "shift",
		              N_("The shift is 1, 2 or 3 and the start time "
		                 "HH:MM."));
	if (!people_time_valid(starts_at))
		return refuse(err, ADMIN_INVALID, "starts_at",
		              N_("The shift is 1, 2 or 3 and the start time "
		                 "HH:MM."));
	rc = people_class_set_shift(db, p, class_id, shift, starts_at);
	return rc == PEOPLE_OK ? ADMIN_OK : ADMIN_ERROR;
}

int
admin_status(int rc)
{
	switch (rc) {
	case ADMIN_INVALID:
		return 422;
	case ADMIN_FORBIDDEN:
		return 403;
	case ADMIN_EXISTS:
		return 409;
	case ADMIN_NOT_FOUND:
		return 404;
	default:
		return 500;
	}
}
