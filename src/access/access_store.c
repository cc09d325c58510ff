/*
 * The access module's queries.  Every statement is prepared with
 * placeholders and every step is checked; a failure is logged by what was
 * being done, never with the identifier value, which is as good as a key
 * to the school.
 */
#include "access/access_internal.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "people/people.h"

int
as_failed(struct store *db, const char *who, const char *what)
{
	log_warnx("%s: %s: %s", who, what, store_errmsg(db));
	return ACCESS_ERROR;
}

static int
failed(struct store *db, const char *what)
{
	return as_failed(db, "access", what);
}

int
as_row(struct store *db, int rc, const char *who, const char *what)
{
	if (rc == STORE_DONE)
		return ACCESS_NOT_FOUND;
	return rc == STORE_ROW ? ACCESS_OK : as_failed(db, who, what);
}

int
as_insert_id(struct store *db, struct store_stmt *st, bool taken,
             const char *who, const char *what, int64_t *id)
{
	int rc;

	if (st == NULL)
		return as_failed(db, who, what);
	rc = store_step(st);
	if (rc == STORE_ROW) {
		*id = store_col_int(st, 0);
		rc = store_step(st);
	}
	store_reset(st);
	if (rc == STORE_CONSTRAINT && taken)
		return ACCESS_TAKEN;
	return rc == STORE_DONE ? ACCESS_OK : as_failed(db, who, what);
}

int
as_decision_read(struct store *db, struct store_stmt *st,
                 const char *(*canon)(const char *), const char *who,
                 const char *what, bool *allow, const char **reason)
{
	int rc;

	if (st == NULL)
		return as_failed(db, who, what);
	rc = store_step(st);
	if (rc == STORE_ROW) {
		*allow = strcmp(store_col_text(st, 0), "allow") == 0;
		*reason = canon(store_col_text(st, 1));
	}
	store_reset(st);
	if (rc == STORE_DONE)
		return ACCESS_NOT_FOUND;
	if (rc != STORE_ROW || *reason == NULL)
		return as_failed(db, who, what);
	return ACCESS_OK;
}

/* Reads one identifier row (id, school, student, status, student status). */
static int
read_identifier(struct store *db, struct store_stmt *st, const char *what,
                struct as_identifier *out)
{
	int rc;

	if (st == NULL)
		return failed(db, what);
	rc = store_step(st);
	if (rc == STORE_DONE) {
		store_reset(st);
		return ACCESS_NOT_FOUND;
	}
	if (rc != STORE_ROW) {
		store_reset(st);
		return failed(db, what);
	}
	out->id = store_col_int(st, 0);
	out->school_id = store_col_int(st, 1);
	out->student_id = store_col_int(st, 2);
	out->active = strcmp(store_col_text(st, 3), "active") == 0;
	out->student_left = strcmp(store_col_text(st, 4), "left") == 0;
	store_reset(st);
	return ACCESS_OK;
}

#define IDENTIFIER_COLUMNS                                                     \
	"SELECT i.id, i.school_id, i.student_id, i.status, s.status "          \
	"FROM identifiers i JOIN students s ON s.id = i.student_id "

int
as_active(struct store *db, const char *value, struct as_identifier *out)
{
	return read_identifier(db,
	                       store_query(db,
	                                   IDENTIFIER_COLUMNS
	                                   "WHERE i.value = ? AND "
	                                   "i.status = 'active'",
	                                   "t", value),
	                       "active identifier", out);
}

int
as_newest(struct store *db, const char *value, int64_t school_id,
          bool blocked_only, struct as_identifier *out)
{
	return read_identifier(
	        db,
	        store_query(db,
	                    IDENTIFIER_COLUMNS
	                    "WHERE i.value = ? AND (? = 0 OR i.school_id = ?) "
	                    "AND (? = 0 OR i.status = 'blocked') "
	                    "ORDER BY i.id DESC LIMIT 1",
	                    "tiii", value, school_id, school_id,
	                    (int64_t)(blocked_only ? 1 : 0)),
	        "identifier lookup", out);
}

int
as_student_label(struct store *db, int64_t student_id, char *out, size_t outlen)
{
	struct store_stmt *st;
	int rc;

	st = store_query(db,
	                 "SELECT c.code, s.ref FROM students s "
	                 "JOIN schools c ON c.id = s.school_id WHERE s.id = ?",
	                 "i", student_id);
	if (st == NULL)
		return failed(db, "student label");
	rc = store_step(st);
	if (rc == STORE_ROW)
		snprintf(out, outlen, "%s/%s", store_col_text(st, 0),
		         store_col_text(st, 1));
	store_reset(st);
	return as_row(db, rc, "access", "student label");
}

int
as_student_school(struct store *db, int64_t student_id, int64_t *school)
{
	int rc = store_query_int(db, school,
	                         "SELECT school_id FROM students WHERE id = ?",
	                         "i", student_id);

	return as_row(db, rc, "access", "student school");
}

int
as_insert(struct store *db, int64_t school_id, int64_t student_id,
          const char *kind, const char *value, const char *now, int64_t user_id,
          int64_t *id)
{
	struct store_stmt *st;

	/* bound_by is NULL from the command line (no user). */
	st = store_query(db,
	                 "INSERT INTO identifiers (school_id, student_id, "
	                 "kind, value, status, bound_at, bound_by) "
	                 "VALUES (?, ?, ?, ?, 'active', ?, ?) RETURNING id",
	                 user_id > 0 ? "iittti"
	                             : "iittt"
	                               "n",
	                 school_id, student_id, kind, value, now, user_id);
	return as_insert_id(db, st, true, "access", "identifier insert", id);
}

int
as_set_status(struct store *db, int64_t id, bool active, const char *now,
              int64_t user_id, const char *reason)
{
	int rc;

	if (active)
		rc = store_execf(db,
		                 "UPDATE identifiers SET status = 'active', "
		                 "blocked_at = NULL, blocked_by = NULL, "
		                 "reason = NULL WHERE id = ?",
		                 "i", id);
	else if (user_id > 0)
		rc = store_execf(db,
		                 "UPDATE identifiers SET status = 'blocked', "
		                 "blocked_at = ?, blocked_by = ?, reason = ? "
		                 "WHERE id = ?",
		                 "titi", now, user_id, reason, id);
	else /* the command line: no user */
		rc = store_execf(
		        db,
		        "UPDATE identifiers SET status = 'blocked', "
		        "blocked_at = ?, blocked_by = NULL, reason = ? "
		        "WHERE id = ?",
		        "tti", now, reason, id);
	if (rc == STORE_CONSTRAINT)
		return ACCESS_TAKEN;
	return rc == STORE_OK ? ACCESS_OK : failed(db, "identifier status");
}

json_t *
as_col_json(struct store_stmt *st, int col)
{
	return store_col_null(st, col) ? json_null()
	                               : json_string(store_col_text(st, col));
}

int
as_identifier_rows(struct store_stmt *st, json_t *list)
{
	int rc;

	while ((rc = store_step(st)) == STORE_ROW)
		if (json_array_append_new(
		            list, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}",
		                            "identifier", as_col_json(st, 0),
		                            "kind", as_col_json(st, 1),
		                            "status", as_col_json(st, 2),
		                            "bound_at", as_col_json(st, 3),
		                            "blocked_at", as_col_json(st, 4),
		                            "reason", as_col_json(st, 5))) ==
		    -1) {
			rc = STORE_ERROR;
			break;
		}
	store_reset(st);
	return rc;
}

int
as_identifiers_json(struct store *db, int64_t student_id, json_t *list)
{
	struct store_stmt *st;

	if (!json_is_array(list))
		return ACCESS_ERROR;
	st = store_query(db,
	                 "SELECT value, kind, status, bound_at, blocked_at, "
	                 "reason FROM identifiers WHERE student_id = ? "
	                 "ORDER BY id DESC",
	                 "i", student_id);
	if (st == NULL)
		goto fail;
	if (as_identifier_rows(st, list) != STORE_DONE)
		goto fail;
	return ACCESS_OK;
fail:
	return failed(db, "identifier list");
}

int
as_pass_find(struct store *db, int64_t device_id, int64_t seq, bool *allow,
             const char **reason)
{
	struct store_stmt *st;

	st = store_query(db,
	                 "SELECT decision, reason FROM passes "
	                 "WHERE device_id = ? AND seq = ?",
	                 "ii", device_id, seq);
	return as_decision_read(db, st, access_reason_static, "access",
	                        "pass lookup", allow, reason);
}

int
as_pass_insert(struct store *db, const struct access_pass *in,
               int64_t student_id, bool allow, const char *reason,
               const char *device_at, const char *now)
{
	struct store_stmt *st;
	int rc;

	st = store_query(db,
	                 "INSERT INTO passes (school_id, device_id, seq, "
	                 "student_id, identifier_value, direction, decision, "
	                 "reason, device_at, received_at) "
	                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	                 "iii", in->school_id, in->device_id, in->seq);
	if (st == NULL ||
	    (student_id > 0 ? store_bind_int(st, 4, student_id)
	                    : store_bind_null(st, 4)) != STORE_OK ||
	    store_bind_text(st, 5, in->identifier) != STORE_OK ||
	    store_bind_text(st, 6, in->direction) != STORE_OK ||
	    store_bind_text(st, 7, allow ? "allow" : "deny") != STORE_OK ||
	    store_bind_text(st, 8, reason) != STORE_OK ||
	    store_bind_text(st, 9, device_at) != STORE_OK ||
	    store_bind_text(st, 10, now) != STORE_OK) {
		if (st != NULL)
			store_reset(st);
		return failed(db, "pass insert");
	}
	rc = store_step(st);
	store_reset(st);
	if (rc == STORE_CONSTRAINT)
		return ACCESS_TAKEN;
	return rc == STORE_DONE ? ACCESS_OK : failed(db, "pass insert");
}

int
as_passes_json(struct store *db, int64_t student_id, const char *from,
               const char *to, json_t **out)
{
	char lo[16], hi[16];
	struct store_stmt *st;
	json_t *list;
	int rc;

	/* Device times are "YYYY-MM-DDTHH:MM:SSZ": the day's rows sort
	 * between "DAY" and "DAYU" ('U' > 'T'), so the index serves it. */
	snprintf(lo, sizeof(lo), "%s", from);
	snprintf(hi, sizeof(hi), "%sU", to);
	if ((list = json_array()) == NULL)
		return ACCESS_ERROR;
	st = store_query(db,
	                 "SELECT p.direction, p.device_at, d.name, p.decision "
	                 "FROM passes p LEFT JOIN devices d "
	                 "ON d.id = p.device_id WHERE p.student_id = ? "
	                 "AND p.device_at >= ? AND p.device_at < ? "
	                 "ORDER BY p.device_at, p.id",
	                 "itt", student_id, lo, hi);
	if (st == NULL)
		goto fail;
	while ((rc = store_step(st)) == STORE_ROW)
		if (json_array_append_new(
		            list, json_pack("{s:o, s:o, s:o, s:o}", "direction",
		                            as_col_json(st, 0), "at",
		                            as_col_json(st, 1), "gate",
		                            as_col_json(st, 2), "decision",
		                            as_col_json(st, 3))) == -1)
			break;
	store_reset(st);
	if (rc != STORE_DONE)
		goto fail;
	*out = list;
	return ACCESS_OK;
fail:
	json_decref(list);
	return failed(db, "pass list");
}

int
as_manual_insert(struct store *db, int64_t school_id, int64_t student_id,
                 const char *direction, int64_t user_id, const char *now)
{
	int rc;

	/* No device and no seq: the CHECK of passes wants manual_by then. */
	rc = store_execf(db,
	                 "INSERT INTO passes (school_id, student_id, "
	                 "direction, decision, reason, device_at, "
	                 "received_at, manual_by) "
	                 "VALUES (?, ?, ?, 'allow', 'manual', ?, ?, ?)",
	                 "iittti", school_id, student_id, direction, now, now,
	                 user_id);
	return rc == STORE_OK ? ACCESS_OK : failed(db, "manual pass insert");
}

/* Copies a text column into out (size n), "" for NULL. */
static void
col_copy(struct store_stmt *st, int col, char *out, size_t n)
{
	snprintf(out, n, "%s",
	         store_col_null(st, col) ? "" : store_col_text(st, col));
}

int
as_mode_get(struct store *db, int64_t school_id, struct access_mode *out)
{
	struct store_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	st = store_query(db,
	                 "SELECT mode, since, reason FROM school_modes "
	                 "WHERE school_id = ?",
	                 "i", school_id);
	if (st == NULL)
		return failed(db, "mode lookup");
	rc = store_step(st);
	if (rc == STORE_ROW) {
		out->emergency =
		        strcmp(store_col_text(st, 0), "emergency") == 0;
		col_copy(st, 1, out->since, sizeof(out->since));
		col_copy(st, 2, out->reason, sizeof(out->reason));
	}
	store_reset(st);
	return rc == STORE_ROW || rc == STORE_DONE ? ACCESS_OK
	                                           : failed(db, "mode lookup");
}

int
as_mode_set(struct store *db, int64_t school_id, bool emergency,
            const char *now, int64_t user_id, int64_t device_id,
            const char *reason)
{
	struct store_stmt *st;
	int rc;

	st = store_query(db,
	                 "INSERT INTO school_modes (school_id, mode, since, "
	                 "by_user, by_device, reason) "
	                 "VALUES (?, ?, ?, ?, ?, ?) "
	                 "ON CONFLICT (school_id) DO UPDATE SET "
	                 "mode = excluded.mode, since = excluded.since, "
	                 "by_user = excluded.by_user, "
	                 "by_device = excluded.by_device, "
	                 "reason = excluded.reason",
	                 "itt", school_id, emergency ? "emergency" : "normal",
	                 now);
	if (st == NULL ||
	    (user_id > 0 ? store_bind_int(st, 4, user_id)
	                 : store_bind_null(st, 4)) != STORE_OK ||
	    (device_id > 0 ? store_bind_int(st, 5, device_id)
	                   : store_bind_null(st, 5)) != STORE_OK ||
	    store_bind_text(st, 6, reason) != STORE_OK) {
		if (st != NULL)
			store_reset(st);
		return failed(db, "mode update");
	}
	rc = store_step(st);
	store_reset(st);
	return rc == STORE_DONE ? ACCESS_OK : failed(db, "mode update");
}

int
as_emergency_schools(struct store *db, int64_t *ids, size_t max, size_t *n)
{
	struct store_stmt *st;
	int rc;

	*n = 0;
	st = store_query(db,
	                 "SELECT school_id FROM school_modes "
	                 "WHERE mode = 'emergency' ORDER BY school_id",
	                 "");
	if (st == NULL)
		return failed(db, "emergency schools");
	while ((rc = store_step(st)) == STORE_ROW && *n < max)
		ids[(*n)++] = store_col_int(st, 0);
	store_reset(st);
	return rc == STORE_ROW || rc == STORE_DONE
	               ? ACCESS_OK
	               : failed(db, "emergency schools");
}

int
as_subscribed_guardians(struct store *db, int64_t student_id, const char *event,
                        int64_t *ids, size_t max, size_t *n)
{
	struct store_stmt *st;
	int rc;

	*n = 0;
	st = store_query(db,
	                 "SELECT DISTINCT guardian_id FROM subscriptions "
	                 "WHERE student_id = ? AND event = ? "
	                 "ORDER BY guardian_id",
	                 "it", student_id, event);
	if (st == NULL)
		return failed(db, "subscriptions");
	while ((rc = store_step(st)) == STORE_ROW && *n < max)
		ids[(*n)++] = store_col_int(st, 0);
	store_reset(st);
	return rc < 0 ? failed(db, "subscriptions") : ACCESS_OK;
}

int
as_student_first_name(struct store *db, int64_t student_id, char *out,
                      size_t outlen)
{
	struct store_stmt *st;
	int rc;

	st = store_query(db, "SELECT full_name FROM students WHERE id = ?", "i",
	                 student_id);
	if (st == NULL)
		return failed(db, "student name");
	rc = store_step(st);
	if (rc == STORE_ROW)
		people_first_name(store_col_text(st, 0), out, outlen);
	store_reset(st);
	return as_row(db, rc, "access", "student name");
}
