/*
 * The kindergarten's queries: escorts, who may bring and pick up whom,
 * escorts' identifiers and handovers.  Every statement is prepared with
 * placeholders and every step is checked.  A failure is logged by what was
 * being done; a name, a phone or an identifier value never reaches the
 * log.  Optional user ids are bound as 0 and stored as NULL by NULLIF, so
 * the command line (no user) needs no second statement.
 */
#include "access/access_internal.h"
#include "access/escort_internal.h"

#include <stdio.h>
#include <string.h>

static int
failed(struct store *db, const char *what)
{
	return as_failed(db, "escort", what);
}

/* Runs a statement that returns no row; ACCESS_TAKEN on a constraint. */
static int
run(struct store *db, int rc, const char *what)
{
	if (rc == STORE_CONSTRAINT)
		return ACCESS_TAKEN;
	return rc == STORE_OK ? ACCESS_OK : failed(db, what);
}

/* An integer column as JSON: a number, or null. */
static json_t *
col_int_json(struct store_stmt *st, int col)
{
	return store_col_null(st, col)
	               ? json_null()
	               : json_integer((json_int_t)store_col_int(st, col));
}

const char *
es_reason_static(const char *s)
{
	static const char *const reasons[] = {
	        "ok",           "unknown", "blocked",       "not_allowed",
	        "other_school", "left",    "child_required"};

	return access_static_string(reasons,
	                            sizeof(reasons) / sizeof(reasons[0]), s);
}

const char *
es_relation_static(const char *s)
{
	static const char *const relations[] = {
	        "mother",  "father",   "grandmother", "grandfather",
	        "sibling", "relative", "nanny",       "other"};

	return access_static_string(
	        relations, sizeof(relations) / sizeof(relations[0]), s);
}

/* --- Kindergarten mode ------------------------------------------------- */

int
es_kindergarten_get(struct store *db, int64_t school_id, bool *on, char *since,
                    size_t sincelen)
{
	struct store_stmt *st;
	int rc;

	*on = false;
	if (since != NULL && sincelen > 0)
		since[0] = '\0';
	st = store_query(db,
	                 "SELECT enabled, since FROM kindergartens "
	                 "WHERE school_id = ?",
	                 "i", school_id);
	if (st == NULL)
		return failed(db, "kindergarten lookup");
	rc = store_step(st);
	if (rc == STORE_ROW) {
		*on = store_col_int(st, 0) == 1;
		if (since != NULL && sincelen > 0)
			snprintf(since, sincelen, "%s", store_col_text(st, 1));
	}
	store_reset(st);
	return rc == STORE_ROW || rc == STORE_DONE
	               ? ACCESS_OK
	               : failed(db, "kindergarten lookup");
}

int
es_kindergarten_set(struct store *db, int64_t school_id, bool on,
                    const char *now, int64_t user_id)
{
	return run(db,
	           store_execf(db,
	                       "INSERT INTO kindergartens (school_id, "
	                       "enabled, since, by_user) "
	                       "VALUES (?, ?, ?, NULLIF(?, 0)) "
	                       "ON CONFLICT (school_id) DO UPDATE SET "
	                       "enabled = excluded.enabled, "
	                       "since = excluded.since, "
	                       "by_user = excluded.by_user",
	                       "iiti", school_id, (int64_t)(on ? 1 : 0), now,
	                       user_id),
	           "kindergarten update");
}

/* --- Children and escorts ---------------------------------------------- */

int
es_child(struct store *db, int64_t student_id, struct es_child *out)
{
	struct store_stmt *st;
	int rc;

	st = store_query(db,
	                 "SELECT school_id, class_id, status = 'left' "
	                 "FROM students WHERE id = ?",
	                 "i", student_id);
	if (st == NULL)
		return failed(db, "child lookup");
	rc = store_step(st);
	if (rc == STORE_ROW) {
		out->school_id = store_col_int(st, 0);
		out->class_id = store_col_int(st, 1);
		out->left = store_col_int(st, 2) != 0;
	}
	store_reset(st);
	return as_row(db, rc, "escort", "child lookup");
}

int
es_teaches(struct store *db, int64_t user_id, int64_t class_id, bool *yes)
{
	int64_t n = 0;

	if (store_query_int(db, &n,
	                    "SELECT count(*) FROM user_classes "
	                    "WHERE user_id = ? AND class_id = ?",
	                    "ii", user_id, class_id) != STORE_ROW)
		return failed(db, "teacher lookup");
	*yes = n > 0;
	return ACCESS_OK;
}

int
es_escort_school(struct store *db, int64_t escort_id, int64_t *school)
{
	int rc = store_query_int(db, school,
	                         "SELECT school_id FROM escorts WHERE id = ?",
	                         "i", escort_id);

	return as_row(db, rc, "escort", "escort school");
}

int
es_escort_by_phone(struct store *db, int64_t school_id, const char *phone,
                   int64_t *escort_id)
{
	int rc = store_query_int(db, escort_id,
	                         "SELECT id FROM escorts WHERE school_id = ? "
	                         "AND phone = ? ORDER BY id LIMIT 1",
	                         "it", school_id, phone);

	return as_row(db, rc, "escort", "escort by phone");
}

int
es_escort_insert(struct store *db, int64_t school_id, const char *full_name,
                 const char *phone, const char *now, int64_t user_id,
                 int64_t *id)
{
	struct store_stmt *st;

	st = store_query(db,
	                 "INSERT INTO escorts (school_id, full_name, phone, "
	                 "created_at, created_by) "
	                 "VALUES (?, ?, ?, ?, NULLIF(?, 0)) RETURNING id",
	                 "ittti", school_id, full_name, phone, now, user_id);
	return as_insert_id(db, st, false, "escort", "escort insert", id);
}

int
es_escort_update(struct store *db, int64_t escort_id, const char *full_name,
                 const char *phone)
{
	int rc = STORE_OK;

	/* Two plain statements rather than one with "? IS NULL": PostgreSQL
	 * cannot type a parameter that only meets IS NULL. */
	if (full_name != NULL)
		rc = store_execf(
		        db, "UPDATE escorts SET full_name = ? WHERE id = ?",
		        "ti", full_name, escort_id);
	if (rc == STORE_OK && phone != NULL)
		rc = store_execf(db,
		                 "UPDATE escorts SET phone = NULLIF(?, '') "
		                 "WHERE id = ?",
		                 "ti", phone, escort_id);
	return run(db, rc, "escort update");
}

/* --- Who may bring and pick up whom ------------------------------------ */

int
es_link_get(struct store *db, int64_t student_id, int64_t escort_id,
            struct access_escort_rights *out)
{
	struct store_stmt *st;
	int rc;

	st = store_query(db,
	                 "SELECT relation, may_bring, may_pick_up "
	                 "FROM child_escorts "
	                 "WHERE student_id = ? AND escort_id = ?",
	                 "ii", student_id, escort_id);
	if (st == NULL)
		return failed(db, "escort link lookup");
	rc = store_step(st);
	if (rc == STORE_ROW) {
		out->relation = es_relation_static(store_col_text(st, 0));
		out->may_bring = store_col_int(st, 1) == 1;
		out->may_pick_up = store_col_int(st, 2) == 1;
	}
	store_reset(st);
	if (rc == STORE_DONE)
		return ACCESS_NOT_FOUND;
	if (rc != STORE_ROW || out->relation == NULL)
		return failed(db, "escort link lookup");
	return ACCESS_OK;
}

int
es_link_count(struct store *db, int64_t student_id, int64_t *n)
{
	return store_query_int(db, n,
	                       "SELECT count(*) FROM child_escorts "
	                       "WHERE student_id = ?",
	                       "i", student_id) == STORE_ROW
	               ? ACCESS_OK
	               : failed(db, "escort count");
}

int
es_link_insert(struct store *db, int64_t student_id, int64_t escort_id,
               const struct access_escort_rights *r, const char *now,
               int64_t user_id)
{
	return run(db,
	           store_execf(db,
	                       "INSERT INTO child_escorts (student_id, "
	                       "escort_id, relation, may_bring, may_pick_up, "
	                       "added_at, added_by) "
	                       "VALUES (?, ?, ?, ?, ?, ?, NULLIF(?, 0))",
	                       "iitiiti", student_id, escort_id, r->relation,
	                       (int64_t)r->may_bring, (int64_t)r->may_pick_up,
	                       now, user_id),
	           "escort link insert");
}

int
es_link_update(struct store *db, int64_t student_id, int64_t escort_id,
               const struct access_escort_rights *r)
{
	return run(db,
	           store_execf(db,
	                       "UPDATE child_escorts SET relation = ?, "
	                       "may_bring = ?, may_pick_up = ? "
	                       "WHERE student_id = ? AND escort_id = ?",
	                       "tiiii", r->relation, (int64_t)r->may_bring,
	                       (int64_t)r->may_pick_up, student_id, escort_id),
	           "escort link update");
}

int
es_link_delete(struct store *db, int64_t student_id, int64_t escort_id)
{
	return run(db,
	           store_execf(db,
	                       "DELETE FROM child_escorts "
	                       "WHERE student_id = ? AND escort_id = ?",
	                       "ii", student_id, escort_id),
	           "escort link delete");
}

/* --- Escorts' identifiers ---------------------------------------------- */

/* Reads one row of (id, school, escort, status). */
static int
read_ident(struct store *db, struct store_stmt *st, const char *what,
           struct es_identifier *out)
{
	int rc;

	if (st == NULL)
		return failed(db, what);
	rc = store_step(st);
	if (rc == STORE_ROW) {
		out->id = store_col_int(st, 0);
		out->school_id = store_col_int(st, 1);
		out->escort_id = store_col_int(st, 2);
		out->active = strcmp(store_col_text(st, 3), "active") == 0;
	}
	store_reset(st);
	if (rc == STORE_DONE)
		return ACCESS_NOT_FOUND;
	return rc == STORE_ROW ? ACCESS_OK : failed(db, what);
}

#define IDENT_COLUMNS                                                          \
	"SELECT id, school_id, escort_id, status FROM escort_identifiers "

int
es_ident_active(struct store *db, const char *value, struct es_identifier *out)
{
	return read_ident(db,
	                  store_query(db,
	                              IDENT_COLUMNS "WHERE value = ? AND "
	                                            "status = 'active'",
	                              "t", value),
	                  "active escort identifier", out);
}

int
es_ident_newest(struct store *db, const char *value, int64_t school_id,
                struct es_identifier *out)
{
	return read_ident(db,
	                  store_query(db,
	                              IDENT_COLUMNS "WHERE value = ? AND "
	                                            "(? = 0 OR school_id = ?) "
	                                            "ORDER BY id DESC LIMIT 1",
	                              "tii", value, school_id, school_id),
	                  "escort identifier lookup", out);
}

int
es_ident_of_escort(struct store *db, int64_t escort_id, const char *value,
                   bool active, struct es_identifier *out)
{
	return read_ident(db,
	                  store_query(db,
	                              IDENT_COLUMNS
	                              "WHERE escort_id = ? AND value = ? "
	                              "AND status = ? ORDER BY id DESC LIMIT 1",
	                              "itt", escort_id, value,
	                              active ? "active" : "blocked"),
	                  "escort identifier lookup", out);
}

int
es_ident_insert(struct store *db, int64_t school_id, int64_t escort_id,
                const char *kind, const char *value, const char *now,
                int64_t user_id, int64_t *id)
{
	struct store_stmt *st;

	st = store_query(db,
	                 "INSERT INTO escort_identifiers (school_id, "
	                 "escort_id, kind, value, status, bound_at, bound_by) "
	                 "VALUES (?, ?, ?, ?, 'active', ?, NULLIF(?, 0)) "
	                 "RETURNING id",
	                 "iittti", school_id, escort_id, kind, value, now,
	                 user_id);
	return as_insert_id(db, st, true, "escort", "escort identifier insert",
	                    id);
}

int
es_ident_set_status(struct store *db, int64_t id, bool active, const char *now,
                    int64_t user_id, const char *reason)
{
	if (active)
		return run(db,
		           store_execf(db,
		                       "UPDATE escort_identifiers SET "
		                       "status = 'active', blocked_at = NULL, "
		                       "blocked_by = NULL, reason = NULL "
		                       "WHERE id = ?",
		                       "i", id),
		           "escort identifier status");
	return run(db,
	           store_execf(db,
	                       "UPDATE escort_identifiers SET "
	                       "status = 'blocked', blocked_at = ?, "
	                       "blocked_by = NULLIF(?, 0), reason = ? "
	                       "WHERE id = ?",
	                       "titi", now, user_id, reason, id),
	           "escort identifier status");
}

/* --- Handovers --------------------------------------------------------- */

int
es_candidates(struct store *db, int64_t escort_id, int64_t school_id,
              const char *direction, int64_t *only, int64_t *n)
{
	struct store_stmt *st;
	int rc;

	*only = 0;
	*n = 0;
	/* LIMIT 2: one child or "more than one" is all the rule asks. */
	st = store_query(db,
	                 "SELECT s.id FROM child_escorts ce "
	                 "JOIN students s ON s.id = ce.student_id "
	                 "WHERE ce.escort_id = ? AND s.school_id = ? "
	                 "AND s.status = 'active' AND "
	                 "(CASE WHEN ? = 'in' THEN ce.may_bring "
	                 "ELSE ce.may_pick_up END) = 1 "
	                 "ORDER BY s.id LIMIT 2",
	                 "iit", escort_id, school_id, direction);
	if (st == NULL)
		return failed(db, "handover candidates");
	while ((rc = store_step(st)) == STORE_ROW) {
		if (*n == 0)
			*only = store_col_int(st, 0);
		(*n)++;
	}
	store_reset(st);
	if (rc != STORE_DONE)
		return failed(db, "handover candidates");
	if (*n != 1)
		*only = 0;
	return ACCESS_OK;
}

int
es_handover_find(struct store *db, int64_t device_id, int64_t seq, bool *allow,
                 const char **reason)
{
	struct store_stmt *st;

	st = store_query(db,
	                 "SELECT decision, reason FROM handovers "
	                 "WHERE device_id = ? AND seq = ?",
	                 "ii", device_id, seq);
	return as_decision_read(db, st, es_reason_static, "escort",
	                        "handover lookup", allow, reason);
}

int
es_handover_insert(struct store *db, const struct es_handover *h)
{
	return run(db,
	           store_execf(db,
	                       "INSERT INTO handovers (school_id, device_id, "
	                       "seq, escort_id, escort_identifier_id, "
	                       "student_id, identifier_value, direction, "
	                       "decision, reason, device_at, received_at) "
	                       "VALUES (?, ?, ?, NULLIF(?, 0), NULLIF(?, 0), "
	                       "NULLIF(?, 0), ?, ?, ?, ?, ?, ?)",
	                       "iiiiiitttttt", h->in->school_id,
	                       h->in->device_id, h->in->seq, h->escort_id,
	                       h->identifier_id, h->student_id,
	                       h->in->identifier, h->in->direction,
	                       h->allow ? "allow" : "deny", h->reason,
	                       h->device_at, h->now),
	           "handover insert");
}

/* --- Read models ------------------------------------------------------- */

/* The escort's identifiers, newest first, into a new array. */
static json_t *
identifiers_json(struct store *db, int64_t escort_id)
{
	struct store_stmt *st;
	json_t *list;

	if ((list = json_array()) == NULL)
		return NULL;
	st = store_query(db,
	                 "SELECT value, kind, status, bound_at, blocked_at, "
	                 "reason FROM escort_identifiers WHERE escort_id = ? "
	                 "ORDER BY id DESC",
	                 "i", escort_id);
	if (st == NULL)
		goto fail;
	if (as_identifier_rows(st, list) != STORE_DONE)
		goto fail;
	return list;
fail:
	json_decref(list);
	return NULL;
}

int
es_escorts_json(struct store *db, int64_t student_id, json_t **out)
{
	struct store_stmt *st;
	json_t *list, *row, *ids;
	size_t i;
	int rc;

	*out = NULL;
	if ((list = json_array()) == NULL)
		return ACCESS_ERROR;
	st = store_query(db,
	                 "SELECT e.id, e.full_name, e.phone, ce.relation, "
	                 "ce.may_bring, ce.may_pick_up, ce.added_at "
	                 "FROM child_escorts ce "
	                 "JOIN escorts e ON e.id = ce.escort_id "
	                 "WHERE ce.student_id = ? ORDER BY ce.added_at, e.id",
	                 "i", student_id);
	if (st == NULL)
		goto fail;
	while ((rc = store_step(st)) == STORE_ROW)
		if (json_array_append_new(
		            list,
		            json_pack("{s:I, s:o, s:o, s:o, s:b, s:b, s:o}",
		                      "id", (json_int_t)store_col_int(st, 0),
		                      "full_name", as_col_json(st, 1), "phone",
		                      as_col_json(st, 2), "relation",
		                      as_col_json(st, 3), "may_bring",
		                      store_col_int(st, 4) == 1, "may_pick_up",
		                      store_col_int(st, 5) == 1, "added_at",
		                      as_col_json(st, 6))) == -1) {
			rc = STORE_ERROR;
			break;
		}
	store_reset(st);
	if (rc != STORE_DONE)
		goto fail;
	/* A second pass, so that only one statement is stepping at a time. */
	json_array_foreach(list, i, row)
	{
		ids = identifiers_json(
		        db, json_integer_value(json_object_get(row, "id")));
		if (ids == NULL ||
		    json_object_set_new(row, "identifiers", ids) == -1)
			goto fail;
	}
	*out = list;
	return ACCESS_OK;
fail:
	json_decref(list);
	return failed(db, "escort list");
}

int
es_handovers_json(struct store *db, int64_t student_id, const char *lo,
                  const char *hi, json_t **out)
{
	struct store_stmt *st;
	json_t *list;
	int rc;

	*out = NULL;
	if ((list = json_array()) == NULL)
		return ACCESS_ERROR;
	st = store_query(db,
	                 "SELECT h.device_at, h.received_at, h.direction, "
	                 "h.decision, h.reason, h.escort_id, e.full_name, "
	                 "ce.relation, h.identifier_value, d.name "
	                 "FROM handovers h "
	                 "LEFT JOIN escorts e ON e.id = h.escort_id "
	                 "LEFT JOIN child_escorts ce ON ce.escort_id = "
	                 "h.escort_id AND ce.student_id = h.student_id "
	                 "LEFT JOIN devices d ON d.id = h.device_id "
	                 "WHERE h.student_id = ? AND h.device_at >= ? "
	                 "AND h.device_at < ? ORDER BY h.device_at, h.id",
	                 "itt", student_id, lo, hi);
	if (st == NULL)
		goto fail;
	while ((rc = store_step(st)) == STORE_ROW)
		if (json_array_append_new(
		            list,
		            json_pack(
		                    "{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
		                    "s:o, s:o}",
		                    "at", as_col_json(st, 0), "received_at",
		                    as_col_json(st, 1), "direction",
		                    as_col_json(st, 2), "decision",
		                    as_col_json(st, 3), "reason",
		                    as_col_json(st, 4), "escort",
		                    col_int_json(st, 5), "full_name",
		                    as_col_json(st, 6), "relation",
		                    as_col_json(st, 7), "identifier",
		                    as_col_json(st, 8), "device",
		                    as_col_json(st, 9))) == -1) {
			rc = STORE_ERROR;
			break;
		}
	store_reset(st);
	if (rc != STORE_DONE)
		goto fail;
	*out = list;
	return ACCESS_OK;
fail:
	json_decref(list);
	return failed(db, "handover list");
}
