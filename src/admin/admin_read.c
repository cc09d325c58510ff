/*
 * What the admin pages list: users with what the reader may do to each,
 * the schools and the regions in the reader's scope.  Scope is decided by
 * auth (auth_user_list, auth_school_visible) and the rule by admin.c; this
 * file only puts their answers together.
 */
#include "admin/admin_internal.h"

#include <stdlib.h>
#include <string.h>

#include "people/people.h"

/*
 * Whether p may disable or enable the user described by `u` (an entry of
 * auth_user_list, whose scope is in codes).  A code that no longer
 * resolves makes the answer no.
 */
static bool
manageable(struct store *db, const struct principal *p, json_t *u)
{
	json_t *schools = json_object_get(u, "schools"), *s;
	const char *region = json_string_value(json_object_get(u, "region"));
	int64_t region_id = 0, *ids = NULL;
	enum role role;
	bool ok = false;
	size_t i, n = json_array_size(schools);

	if (!role_from_name(json_string_value(json_object_get(u, "role")),
	                    &role))
		return false;
	if (region != NULL &&
	    people_region_find(db, region, &region_id) != PEOPLE_OK)
		return false;
	if (n > 0 && (ids = calloc(n, sizeof(*ids))) == NULL)
		return false;
	json_array_foreach(schools, i, s)
	{
		if (people_school_find(db, json_string_value(s), &ids[i]) !=
		    PEOPLE_OK)
			goto done;
	}
	ok = admin_may_manage(db, p, role, ids, n, region_id);
done:
	free(ids);
	return ok;
}

int
admin_users(struct store *db, const struct principal *p, json_t **out)
{
	json_t *list = NULL, *u;
	size_t i;

	*out = NULL;
	if (!admin_may_administer(p))
		return ADMIN_FORBIDDEN;
	if (auth_user_list(db, p, &list) != 0)
		return ADMIN_ERROR;
	json_array_foreach(list, i, u)
	{
		bool self =
		        strcmp(json_string_value(json_object_get(u, "login")),
		               p->login) == 0;

		json_object_set_new(u, "self", json_boolean(self));
		json_object_set_new(
		        u, "manageable",
		        json_boolean(!self && manageable(db, p, u)));
	}
	*out = list;
	return ADMIN_OK;
}

int
admin_schools(struct store *db, const struct principal *p, json_t **out)
{
	bool bound =
	        !role_is_regional(p->role) && p->role != ROLE_PLATFORM_ADMIN;
	json_t *all = NULL, *mine, *s;
	size_t i;

	*out = NULL;
	if (bound) {
		/* A school role's few schools, not every school's row. */
		all = json_array();
		for (i = 0; all != NULL && i < p->nschools; i++)
			if (people_school_brief(db, p->school_ids[i], &s) ==
			    PEOPLE_OK)
				json_array_append_new(all, s);
	} else if (people_school_list(
	                   db, role_is_regional(p->role) ? p->region_id : 0,
	                   &all) != PEOPLE_OK) {
		all = NULL;
	}
	if (all == NULL || (mine = json_array()) == NULL) {
		json_decref(all);
		return ADMIN_ERROR;
	}
	json_array_foreach(all, i, s)
	{
		if (auth_school_visible(
		            db, p,
		            json_integer_value(json_object_get(s, "id"))))
			json_array_append(mine, s);
	}
	json_decref(all);
	*out = mine;
	return ADMIN_OK;
}

int
admin_regions(struct store *db, const struct principal *p, json_t **out)
{
	*out = NULL;
	if (!admin_may_administer(p))
		return ADMIN_FORBIDDEN;
	if (p->role == ROLE_PLATFORM_ADMIN)
		return admin_region_rows(db, 0, out);
	if (role_is_regional(p->role))
		return admin_region_rows(db, p->region_id, out);
	*out = json_array();
	return *out != NULL ? ADMIN_OK : ADMIN_ERROR;
}
