/*
 * Roles, what each may do, and which schools a principal may see.
 *
 * The role names are the contract's (CONTRACT.md) and the users.role CHECK
 * constraint's; changing one means changing all three.  The permission table
 * is deliberately a plain grid that a reviewer can read row by row: police,
 * prosecutors, operators, cashiers, security and librarians do not read
 * students' personal data through these permissions, whatever they see
 * elsewhere (passes, meals) through their own narrower endpoints.
 */
#include "auth/auth.h"

#include <string.h>

#include "web/i18n.h"

struct role_info {
	const char *name;
	const char *label; /* English msgid */
	bool regional;
	unsigned perms; /* bit (1u << enum permission) */
};

#define P(x) (1u << (x))

static const struct role_info roles[ROLE_COUNT] = {
        [ROLE_DIRECTOR] = {"director", N_("Director"), false,
                           P(PERM_STUDENT_READ) | P(PERM_ROSTER_MANAGE) |
                                   P(PERM_CONSENT_MANAGE) |
                                   P(PERM_USER_MANAGE) | P(PERM_DEVICE_MANAGE) |
                                   P(PERM_AUDIT_READ)},
        [ROLE_DEPUTY] = {"deputy", N_("Deputy director"), false,
                         P(PERM_STUDENT_READ) | P(PERM_CONSENT_MANAGE)},
        [ROLE_PSYCHOLOGIST] = {"psychologist", N_("Psychologist"), false,
                               P(PERM_STUDENT_READ)},
        [ROLE_SOCIAL_PEDAGOGUE] = {"social_pedagogue", N_("Social pedagogue"),
                                   false,
                                   P(PERM_STUDENT_READ) |
                                           P(PERM_CONSENT_MANAGE)},
        [ROLE_CLASS_TEACHER] = {"class_teacher", N_("Class teacher"), false,
                                P(PERM_STUDENT_READ) | P(PERM_CONSENT_MANAGE)},
        [ROLE_SECURITY] = {"security", N_("Security guard"), false, 0},
        [ROLE_CASHIER] = {"cashier", N_("Cashier"), false, 0},
        [ROLE_LIBRARIAN] = {"librarian", N_("Librarian"), false, 0},
        [ROLE_SCHOOL_ADMIN] = {"school_admin", N_("School administrator"),
                               false,
                               P(PERM_STUDENT_READ) | P(PERM_ROSTER_MANAGE) |
                                       P(PERM_CONSENT_MANAGE) |
                                       P(PERM_USER_MANAGE) |
                                       P(PERM_DEVICE_MANAGE)},
        [ROLE_POLICE_INSPECTOR] = {"police_inspector", N_("Police inspector"),
                                   false, 0},
        [ROLE_PROSECUTOR] = {"prosecutor", N_("Prosecutor"), true, 0},
        [ROLE_OPERATOR] = {"operator", N_("Operator"), true, 0},
        [ROLE_SUPERVISOR] = {"supervisor", N_("Supervisor"), true,
                             P(PERM_USER_MANAGE) | P(PERM_AUDIT_READ)},
        [ROLE_EDUCATION_DEPT] = {"education_dept", N_("Education department"),
                                 true, P(PERM_SCHOOL_MANAGE)},
        [ROLE_PLATFORM_ADMIN] = {"platform_admin", N_("Platform administrator"),
                                 false,
                                 P(PERM_STUDENT_READ) | P(PERM_ROSTER_MANAGE) |
                                         P(PERM_CONSENT_MANAGE) |
                                         P(PERM_USER_MANAGE) |
                                         P(PERM_SCHOOL_MANAGE) |
                                         P(PERM_DEVICE_MANAGE) |
                                         P(PERM_AUDIT_READ)},
};

#undef P

bool
role_from_name(const char *name, enum role *out)
{
	int i;

	if (name == NULL)
		return false;
	for (i = 0; i < ROLE_COUNT; i++) {
		if (strcmp(roles[i].name, name) == 0) {
			*out = (enum role)i;
			return true;
		}
	}
	return false;
}

const char *
role_name(enum role role)
{
	if ((int)role < 0 || role >= ROLE_COUNT)
		return "unknown";
	return roles[role].name;
}

const char *
role_label(enum role role)
{
	if ((int)role < 0 || role >= ROLE_COUNT)
		return "unknown";
	return roles[role].label;
}

bool
role_is_regional(enum role role)
{
	return (int)role >= 0 && role < ROLE_COUNT && roles[role].regional;
}

/* Devices act only through their own endpoints and hold no permission. */
bool
auth_allowed(const struct principal *p, enum permission perm)
{
	if (p == NULL || p->kind != PRINCIPAL_STAFF || (int)perm < 0 ||
	    perm >= PERM_COUNT || (int)p->role < 0 || p->role >= ROLE_COUNT)
		return false;
	return (roles[p->role].perms & (1u << perm)) != 0;
}

bool
auth_school_visible(struct store *db, const struct principal *p,
                    int64_t school_id)
{
	int64_t region;
	size_t i;

	if (p == NULL || school_id <= 0)
		return false;
	if (p->kind == PRINCIPAL_DEVICE)
		return p->device_school_id == school_id;
	if (p->role == ROLE_PLATFORM_ADMIN)
		return true;
	if (role_is_regional(p->role)) {
		if (p->region_id <= 0)
			return false;
		if (store_query_int(
		            db, &region,
		            "SELECT region_id FROM schools WHERE id = ? "
		            "AND region_id IS NOT NULL",
		            "i", school_id) != STORE_ROW)
			return false;
		return region == p->region_id;
	}
	for (i = 0; i < p->nschools; i++)
		if (p->school_ids[i] == school_id)
			return true;
	return false;
}

int64_t
auth_class_limit(const struct principal *p)
{
	return p != NULL && p->kind == PRINCIPAL_STAFF &&
	                       p->role == ROLE_CLASS_TEACHER
	               ? p->user_id
	               : 0;
}

bool
auth_class_visible(struct store *db, const struct principal *p,
                   int64_t class_id)
{
	int64_t user = auth_class_limit(p), n = 0;

	if (p == NULL || class_id <= 0)
		return false;
	if (user == 0)
		return true;
	return store_query_int(db, &n,
	                       "SELECT count(*) FROM user_classes "
	                       "WHERE user_id = ? AND class_id = ?",
	                       "ii", user, class_id) == STORE_ROW &&
	       n > 0;
}
