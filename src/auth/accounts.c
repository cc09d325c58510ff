/*
 * Staff users (created, listed in a reader's scope, disabled and enabled)
 * and devices.  Both are checked here, once, so the command line and the
 * admin pages cannot disagree on what is valid; the reasons are English
 * msgids for the caller to translate or print.  Who may create or disable
 * whom is not decided here but in admin/admin.c.
 *
 * A failure inside the caller's transaction leaves that transaction
 * refusing to commit (store.c poisons it), so the caller must roll back.
 */
#include "auth/auth_internal.h"

#include <sodium.h>
#include <string.h>
#include <strings.h>

#include "core/log.h"
#include "core/utf8.h"
#include "core/validate.h"
#include "web/i18n.h"

const char *
auth_user_invalid(const char *login, enum role role, const char *password,
                  size_t nschools, int64_t region_id)
{
	const char *weak;

	if (!validate_login(login))
		return N_("A login is 3 to 64 characters: small Latin letters, "
		          "digits, dot, hyphen or underscore.");
	if ((int)role < 0 || role >= ROLE_COUNT)
		return N_("Unknown role.");
	if ((weak = auth_password_weak(password)) != NULL)
		return weak;
	if (strcasecmp(password, login) == 0)
		return N_("The password must not be the login.");
	if (role == ROLE_PLATFORM_ADMIN) {
		if (nschools > 0 || region_id != 0)
			return N_("A platform administrator has no school "
			          "and no region.");
	} else if (role_is_regional(role)) {
		if (region_id <= 0)
			return N_("This role needs a region.");
		if (nschools > 0)
			return N_("This role has a region, not schools.");
	} else {
		if (nschools == 0)
			return N_("This role needs at least one school.");
		if (region_id != 0)
			return N_("This role has schools, not a region.");
	}
	return NULL;
}

static bool
seen_before(const int64_t *ids, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (ids[j] == ids[i])
			return true;
	return false;
}

int
auth_user_add(struct store *db, const char *login, enum role role,
              const char *password, const int64_t *school_ids, size_t nschools,
              int64_t region_id, int64_t *user_id)
{
	char hash[crypto_pwhash_STRBYTES], now[AUTH_TIME_SIZE];
	int64_t id = 0, exists = 0;
	int result = AUTH_ADD_ERROR;
	bool own, ok = false;
	size_t i;
	int rc;

	if (auth_user_invalid(login, role, password, nschools, region_id) !=
	    NULL)
		return AUTH_ADD_INVALID;
	/* Hash before the transaction: it takes tens of milliseconds. */
	if (auth_password_hash(password, hash, sizeof(hash)) == -1)
		return AUTH_ADD_ERROR;
	auth_time_format(time(NULL), now);
	if (auth_txn_begin(db, &own) == -1)
		return AUTH_ADD_ERROR;
	rc = store_query_int(db, &exists,
	                     "SELECT COUNT(*) FROM users WHERE login = ?", "t",
	                     login);
	if (rc != STORE_ROW)
		goto done;
	if (exists) {
		result = AUTH_ADD_EXISTS;
		goto done;
	}
	if (region_id > 0)
		rc = store_query_int(db, &id,
		                     "INSERT INTO users (login, password_hash, "
		                     "role, region_id, created_at) "
		                     "VALUES (?, ?, ?, ?, ?) RETURNING id",
		                     "tttit", login, hash, role_name(role),
		                     region_id, now);
	else
		rc = store_query_int(db, &id,
		                     "INSERT INTO users (login, password_hash, "
		                     "role, region_id, created_at) "
		                     "VALUES (?, ?, ?, ?, ?) RETURNING id",
		                     "tttnt", login, hash, role_name(role),
		                     now);
	if (rc != STORE_ROW)
		goto done;
	for (i = 0; i < nschools; i++) {
		if (seen_before(school_ids, i))
			continue;
		if (store_execf(db,
		                "INSERT INTO user_schools (user_id, school_id) "
		                "VALUES (?, ?)",
		                "ii", id, school_ids[i]) != STORE_OK)
			goto done;
	}
	ok = true;
done:
	sodium_memzero(hash, sizeof(hash));
	/* Before the rollback, which would replace the message. */
	if (!ok && result == AUTH_ADD_ERROR)
		log_warnx("auth: could not add a user: %s", store_errmsg(db));
	if (auth_txn_end(db, own, ok) == -1)
		return ok ? AUTH_ADD_ERROR : result;
	if (user_id != NULL)
		*user_id = id;
	return 0;
}

/*
 * One row per user and school (a user without schools once, with NULL), by
 * login then school code, so that a user's rows are adjacent.  The scope
 * clause is appended; see auth_user_list().
 */
#define USER_LIST_SELECT                                                       \
	"SELECT u.id, u.login, u.role, r.code, u.disabled, s.code "            \
	"FROM users u LEFT JOIN regions r ON r.id = u.region_id "              \
	"LEFT JOIN user_schools us ON us.user_id = u.id "                      \
	"LEFT JOIN schools s ON s.id = us.school_id "

static struct store_stmt *
user_list_query(struct store *db, const struct principal *reader)
{
	if (reader->role == ROLE_PLATFORM_ADMIN)
		return store_query(
		        db, USER_LIST_SELECT "ORDER BY u.login, s.code", "");
	if (role_is_regional(reader->role))
		return store_query(
		        db,
		        USER_LIST_SELECT
		        "WHERE u.region_id = ? OR EXISTS (SELECT 1 FROM "
		        "user_schools x JOIN schools y ON y.id = x.school_id "
		        "WHERE x.user_id = u.id AND y.region_id = ?) "
		        "ORDER BY u.login, s.code",
		        "ii", reader->region_id, reader->region_id);
	return store_query(db,
	                   USER_LIST_SELECT
	                   "WHERE EXISTS (SELECT 1 FROM user_schools x "
	                   "JOIN user_schools y ON y.school_id = x.school_id "
	                   "WHERE x.user_id = u.id AND y.user_id = ?) "
	                   "ORDER BY u.login, s.code",
	                   "i", reader->user_id);
}

static json_t *
user_entry(struct store_stmt *st)
{
	return json_pack(
	        "{s:s, s:s, s:[], s:o, s:b}", "login", store_col_text(st, 1),
	        "role", store_col_text(st, 2), "schools", "region",
	        store_col_null(st, 3) ? json_null()
	                              : json_string(store_col_text(st, 3)),
	        "disabled", store_col_int(st, 4) != 0);
}

int
auth_user_list(struct store *db, const struct principal *reader, json_t **out)
{
	struct store_stmt *st;
	json_t *list, *user = NULL;
	int64_t last = 0;
	int rc;

	*out = NULL;
	if (reader == NULL || reader->kind != PRINCIPAL_STAFF)
		return -1;
	if ((list = json_array()) == NULL)
		return -1;
	if ((st = user_list_query(db, reader)) == NULL)
		goto fail;
	while ((rc = store_step(st)) == STORE_ROW) {
		if (user == NULL || store_col_int(st, 0) != last) {
			last = store_col_int(st, 0);
			if ((user = user_entry(st)) == NULL ||
			    json_array_append_new(list, user) == -1)
				goto fail_reset;
		}
		if (!store_col_null(st, 5) &&
		    json_array_append_new(json_object_get(user, "schools"),
		                          json_string(store_col_text(st, 5))) ==
		            -1)
			goto fail_reset;
	}
	store_reset(st);
	if (rc != STORE_DONE)
		goto fail;
	*out = list;
	return 0;
fail_reset:
	store_reset(st);
fail:
	log_warnx("auth: could not list users: %s", store_errmsg(db));
	json_decref(list);
	return -1;
}

int
auth_user_set_disabled(struct store *db, int64_t user_id, bool disabled)
{
	bool own, found = false;
	int rc;

	if (auth_txn_begin(db, &own) == -1)
		return -1;
	rc = store_execf(db, "UPDATE users SET disabled = ? WHERE id = ?", "ii",
	                 (int64_t)disabled, user_id);
	if (rc == STORE_OK && store_changes(db) == 1) {
		found = true;
		/* A disabled user's sessions are refused anyway (resolving
		 * checks users.disabled), but revoking them keeps enabling
		 * the user again from reviving tokens that may have leaked
		 * meanwhile. */
		if (disabled)
			rc = store_execf(db,
			                 "UPDATE sessions SET revoked = 1 "
			                 "WHERE user_id = ? AND revoked = 0",
			                 "i", user_id);
	}
	if (rc != STORE_OK)
		log_warnx("auth: could not change a user: %s",
		          store_errmsg(db));
	return auth_txn_end(db, own, rc == STORE_OK && found);
}

int
auth_user_bind_class(struct store *db, int64_t user_id, int64_t class_id)
{
	int64_t fits = 0;
	bool own;
	int rc;

	if (auth_txn_begin(db, &own) == -1)
		return AUTH_ADD_ERROR;
	/* Only a class teacher, and only in a school the teacher has. */
	rc = store_query_int(db, &fits,
	                     "SELECT count(*) FROM users u "
	                     "JOIN user_schools us ON us.user_id = u.id "
	                     "JOIN classes c ON c.school_id = us.school_id "
	                     "WHERE u.id = ? AND u.role = 'class_teacher' "
	                     "AND c.id = ?",
	                     "ii", user_id, class_id);
	if (rc == STORE_ROW && fits == 0) {
		auth_txn_end(db, own, false);
		return AUTH_ADD_INVALID;
	}
	if (rc == STORE_ROW)
		rc = store_execf(db,
		                 "INSERT INTO user_classes (user_id, class_id) "
		                 "VALUES (?, ?) ON CONFLICT DO NOTHING",
		                 "ii", user_id, class_id);
	if (rc != STORE_OK)
		log_warnx("auth: could not bind a class: %s", store_errmsg(db));
	return auth_txn_end(db, own, rc == STORE_OK) == 0 ? 0 : AUTH_ADD_ERROR;
}

static bool
device_kind_ok(const char *kind)
{
	return kind != NULL &&
	       (strcmp(kind, "gate") == 0 || strcmp(kind, "till") == 0 ||
	        strcmp(kind, "kiosk") == 0);
}

static bool
device_name_ok(const char *name)
{
	size_t len;

	if (name == NULL)
		return false;
	len = strlen(name);
	return len >= 1 && len <= AUTH_DEVICE_NAME_MAX &&
	       utf8_valid(name, len) && !utf8_has_control(name, len);
}

int
auth_device_add(struct store *db, struct arena *arena, int64_t school_id,
                const char *kind, const char *name, char **token,
                int64_t *device_id)
{
	char hash[AUTH_HASH_HEX_SIZE], now[AUTH_TIME_SIZE];
	int64_t id = 0, n = 0;
	int result = AUTH_ADD_ERROR;
	bool own, ok = false;
	char *t = NULL;
	int rc;

	if (!device_kind_ok(kind) || !device_name_ok(name) || school_id <= 0)
		return AUTH_ADD_INVALID;
	if (auth_token_new(arena, &t, hash) == -1)
		return AUTH_ADD_ERROR;
	auth_time_format(time(NULL), now);
	if (auth_txn_begin(db, &own) == -1)
		return AUTH_ADD_ERROR;
	if (store_query_int(db, &n, "SELECT COUNT(*) FROM schools WHERE id = ?",
	                    "i", school_id) != STORE_ROW)
		goto done;
	if (n == 0) {
		result = AUTH_ADD_INVALID;
		goto done;
	}
	if (store_query_int(db, &n,
	                    "SELECT COUNT(*) FROM devices "
	                    "WHERE school_id = ? AND name = ?",
	                    "it", school_id, name) != STORE_ROW)
		goto done;
	if (n > 0) {
		result = AUTH_ADD_EXISTS;
		goto done;
	}
	rc = store_query_int(db, &id,
	                     "INSERT INTO devices (school_id, kind, name, "
	                     "token_hash, created_at) VALUES (?, ?, ?, ?, ?) "
	                     "RETURNING id",
	                     "itttt", school_id, kind, name, hash, now);
	if (rc != STORE_ROW)
		goto done;
	ok = true;
done:
	if (!ok && result == AUTH_ADD_ERROR)
		log_warnx("auth: could not add a device: %s", store_errmsg(db));
	if (auth_txn_end(db, own, ok) == -1)
		return ok ? AUTH_ADD_ERROR : result;
	*token = t;
	if (device_id != NULL)
		*device_id = id;
	return 0;
}
