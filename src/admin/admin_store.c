/*
 * The few queries of the admin module that no other module answers: a user
 * looked up by login with their role and scope, and regions.  Everything
 * else goes through people/ and auth/.
 */
#include "admin/admin_internal.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/log.h"
#include "core/validate.h"

void
admin_target_free(struct admin_target *t)
{
	free(t->school_ids);
	t->school_ids = NULL;
	t->nschools = 0;
}

/* Fills t->school_ids; ADMIN_OK or ADMIN_ERROR. */
static int
target_schools(struct store *db, struct admin_target *t)
{
	struct store_stmt *st;
	int64_t n = 0;
	int rc;

	if (store_query_int(
	            db, &n,
	            "SELECT COUNT(*) FROM user_schools WHERE user_id = ?", "i",
	            t->id) != STORE_ROW)
		return ADMIN_ERROR;
	if (n == 0)
		return ADMIN_OK;
	if ((t->school_ids = calloc((size_t)n, sizeof(int64_t))) == NULL)
		return ADMIN_ERROR;
	st = store_query(db,
	                 "SELECT school_id FROM user_schools WHERE user_id = ? "
	                 "ORDER BY school_id",
	                 "i", t->id);
	if (st == NULL)
		return ADMIN_ERROR;
	while ((rc = store_step(st)) == STORE_ROW && t->nschools < (size_t)n)
		t->school_ids[t->nschools++] = store_col_int(st, 0);
	store_reset(st);
	return rc == STORE_ROW || rc == STORE_DONE ? ADMIN_OK : ADMIN_ERROR;
}

int
admin_target_find(struct store *db, const char *login, struct admin_target *t)
{
	struct store_stmt *st;
	bool known = false;
	int rc;

	t->id = 0;
	t->region_id = 0;
	t->school_ids = NULL;
	t->nschools = 0;
	if (!validate_login(login))
		return ADMIN_NOT_FOUND;
	st = store_query(
	        db, "SELECT id, role, region_id FROM users WHERE login = ?",
	        "t", login);
	if (st == NULL)
		goto fail;
	rc = store_step(st);
	if (rc == STORE_ROW) {
		t->id = store_col_int(st, 0);
		known = role_from_name(store_col_text(st, 1), &t->role);
		t->region_id = store_col_null(st, 2) ? 0 : store_col_int(st, 2);
	}
	store_reset(st);
	if (rc == STORE_DONE)
		return ADMIN_NOT_FOUND;
	if (rc != STORE_ROW || !known || target_schools(db, t) != ADMIN_OK)
		goto fail;
	return ADMIN_OK;
fail:
	log_warnx("admin: user lookup failed: %s", store_errmsg(db));
	admin_target_free(t);
	return ADMIN_ERROR;
}

int
admin_region_code(struct store *db, int64_t id, char *out, size_t outlen)
{
	struct store_stmt *st;
	int rc, n = -1;

	st = store_query(db, "SELECT code FROM regions WHERE id = ?", "i", id);
	if (st == NULL)
		return ADMIN_ERROR;
	if ((rc = store_step(st)) == STORE_ROW)
		n = snprintf(out, outlen, "%s", store_col_text(st, 0));
	store_reset(st);
	if (rc == STORE_DONE)
		return ADMIN_NOT_FOUND;
	if (rc != STORE_ROW || n < 0 || (size_t)n >= outlen) {
		log_warnx("admin: region lookup failed: %s", store_errmsg(db));
		return ADMIN_ERROR;
	}
	return ADMIN_OK;
}

int
admin_region_rows(struct store *db, int64_t region_id, json_t **out)
{
	struct store_stmt *st;
	json_t *arr;
	int rc;

	*out = NULL;
	if ((arr = json_array()) == NULL)
		return ADMIN_ERROR;
	st = store_query(db,
	                 "SELECT id, code, name FROM regions "
	                 "WHERE ? = 0 OR id = ? ORDER BY code",
	                 "ii", region_id, region_id);
	if (st == NULL) {
		json_decref(arr);
		return ADMIN_ERROR;
	}
	while ((rc = store_step(st)) == STORE_ROW)
		if (json_array_append_new(
		            arr, json_pack("{s:I, s:s, s:s}", "id",
		                           (json_int_t)store_col_int(st, 0),
		                           "code", store_col_text(st, 1),
		                           "name", store_col_text(st, 2))) ==
		    -1)
			break;
	store_reset(st);
	if (rc != STORE_DONE) {
		log_warnx("admin: region list failed: %s", store_errmsg(db));
		json_decref(arr);
		return ADMIN_ERROR;
	}
	*out = arr;
	return ADMIN_OK;
}
