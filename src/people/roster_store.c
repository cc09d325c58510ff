/*
 * The queries of the roster import (roster_apply.c): bulk reads of a
 * school's classes, students and consent states, and the row-by-row writes.
 * Each is one prepared, cached statement, so 100,000 rows cost 100,000
 * executions of a handful of plans and no parsing.
 *
 * Return values as in people_store.c.
 */
#include "people/people_internal.h"

#include <string.h>

#include "core/log.h"

/* Steps a query to its end, calling `row` for each row; -1 from it stops. */
static int
each_row(struct store *db, struct store_stmt *st, const char *what,
         int (*row)(struct store_stmt *st, void *arg), void *arg)
{
	int rc;

	if (st == NULL)
		return PEOPLE_ERROR;
	while ((rc = store_step(st)) == STORE_ROW)
		if (row(st, arg) == -1)
			break;
	store_reset(st);
	if (rc == STORE_DONE)
		return PEOPLE_OK;
	if (rc == STORE_ROW)
		return PEOPLE_ERROR; /* the callback stopped it */
	log_warnx("people: %s failed: %s", what, store_errmsg(db));
	return PEOPLE_ERROR;
}

struct class_cb {
	int (*fn)(void *ctx, int64_t id, const char *name);
	void *ctx;
};

static int
class_row(struct store_stmt *st, void *arg)
{
	struct class_cb *cb = arg;

	return cb->fn(cb->ctx, store_col_int(st, 0), store_col_text(st, 1));
}

int
ps_each_class(struct store *db, int64_t school_id,
              int (*fn)(void *ctx, int64_t id, const char *name), void *ctx)
{
	struct class_cb cb = {fn, ctx};

	return each_row(db,
	                store_query(db,
	                            "SELECT id, name FROM classes "
	                            "WHERE school_id = ?",
	                            "i", school_id),
	                "class list", class_row, &cb);
}

struct student_cb {
	int (*fn)(void *ctx, const struct ps_student *s);
	void *ctx;
};

static int
student_row(struct store_stmt *st, void *arg)
{
	struct student_cb *cb = arg;
	struct ps_student s;

	s.id = store_col_int(st, 0);
	s.ref = store_col_text(st, 1);
	s.full_name = store_col_text(st, 2);
	s.class_id = store_col_int(st, 3);
	s.birth_date = store_col_text(st, 4);
	s.iin = store_col_text(st, 5);
	s.category = store_col_text(st, 6);
	s.left = strcmp(store_col_text(st, 7), "left") == 0;
	return cb->fn(cb->ctx, &s);
}

int
ps_each_student(struct store *db, int64_t school_id,
                int (*fn)(void *ctx, const struct ps_student *s), void *ctx)
{
	struct student_cb cb = {fn, ctx};

	return each_row(db,
	                store_query(db,
	                            "SELECT id, ref, full_name, class_id, "
	                            "birth_date, iin, category, status "
	                            "FROM students WHERE school_id = ? "
	                            "ORDER BY id",
	                            "i", school_id),
	                "student list", student_row, &cb);
}

struct consent_cb {
	int (*fn)(void *ctx, int64_t student_id, const char *purpose,
	          bool granted);
	void *ctx;
};

static int
consent_row(struct store_stmt *st, void *arg)
{
	struct consent_cb *cb = arg;

	return cb->fn(cb->ctx, store_col_int(st, 0), store_col_text(st, 1),
	              store_col_int(st, 2) != 0);
}

int
ps_each_consent(struct store *db, int64_t school_id,
                int (*fn)(void *ctx, int64_t student_id, const char *purpose,
                          bool granted),
                void *ctx)
{
	struct consent_cb cb = {fn, ctx};

	return each_row(db,
	                store_query(db,
	                            "SELECT c.student_id, c.purpose, c.granted "
	                            "FROM consents c JOIN students s "
	                            "ON s.id = c.student_id "
	                            "WHERE s.school_id = ? "
	                            "ORDER BY c.student_id, c.purpose, c.id",
	                            "i", school_id),
	                "consent list", consent_row, &cb);
}

int
ps_student_insert(struct store *db, int64_t school_id,
                  const struct ps_student *s, const char *now, int64_t *id)
{
	return ps_insert_id(
	        db,
	        store_query(db,
	                    "INSERT INTO students (school_id, ref, full_name, "
	                    "class_id, birth_date, iin, category, created_at, "
	                    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
	                    "RETURNING id",
	                    "ittittttt", school_id, s->ref, s->full_name,
	                    s->class_id, s->birth_date, s->iin,
	                    s->category ? s->category : "none", now, now),
	        id, "student insert");
}

int
ps_student_update(struct store *db, const struct ps_student *s, const char *now)
{
	return ps_exec(
	        db,
	        store_execf(db,
	                    "UPDATE students SET full_name = ?, "
	                    "class_id = ?, birth_date = ?, iin = ?, "
	                    "category = ?, status = 'active', "
	                    "left_at = NULL, updated_at = ? WHERE id = ?",
	                    "titttti", s->full_name, s->class_id, s->birth_date,
	                    s->iin, s->category ? s->category : "none", now,
	                    s->id),
	        "student update");
}

int
ps_student_mark_left(struct store *db, int64_t id, const char *now)
{
	return ps_exec(db,
	               store_execf(db,
	                           "UPDATE students SET status = 'left', "
	                           "left_at = ?, updated_at = ? WHERE id = ?",
	                           "tti", now, now, id),
	               "student left");
}

static int
guardian_by(struct store *db, struct arena *a, const char *sql,
            const char *value, struct ps_guardian *g)
{
	struct store_stmt *st;
	int rc;

	st = store_query(db, sql, "t", value);
	if (st == NULL)
		return PEOPLE_ERROR;
	rc = store_step(st);
	if (rc == STORE_ROW) {
		g->id = store_col_int(st, 0);
		g->full_name = arena_strdup(a, store_col_text(st, 1));
		g->email = store_col_null(st, 2)
		                   ? NULL
		                   : arena_strdup(a, store_col_text(st, 2));
		if (g->full_name == NULL)
			rc = STORE_ERROR;
	}
	store_reset(st);
	return ps_lookup(db, "guardian lookup", rc);
}

int
ps_guardian_by_phone(struct store *db, struct arena *a, const char *phone,
                     struct ps_guardian *g)
{
	return guardian_by(db, a,
	                   "SELECT id, full_name, email FROM guardians "
	                   "WHERE phone = ? ORDER BY id LIMIT 1",
	                   phone, g);
}

int
ps_guardian_by_email(struct store *db, struct arena *a, const char *email,
                     struct ps_guardian *g)
{
	return guardian_by(db, a,
	                   "SELECT id, full_name, email FROM guardians "
	                   "WHERE email = ? ORDER BY id LIMIT 1",
	                   email, g);
}

int
ps_guardian_by_name(struct store *db, int64_t student_id, const char *name,
                    int64_t *id)
{
	return ps_lookup(
	        db, "guardian by name",
	        store_query_int(db, id,
	                        "SELECT g.id FROM guardians g "
	                        "JOIN student_guardians sg "
	                        "ON sg.guardian_id = g.id "
	                        "WHERE sg.student_id = ? "
	                        "AND g.full_name = ? AND g.phone IS NULL "
	                        "AND g.email IS NULL ORDER BY g.id "
	                        "LIMIT 1",
	                        "it", student_id, name));
}

int
ps_guardian_insert(struct store *db, const char *name, const char *phone,
                   const char *email, const char *now, int64_t *id)
{
	return ps_insert_id(
	        db,
	        store_query(db,
	                    "INSERT INTO guardians (full_name, phone, "
	                    "email, created_at) VALUES (?, ?, ?, ?) "
	                    "RETURNING id",
	                    "tttt", name, phone, email, now),
	        id, "guardian insert");
}

int
ps_guardian_update(struct store *db, int64_t id, const char *name,
                   const char *email)
{
	return ps_exec(db,
	               store_execf(db,
	                           "UPDATE guardians SET full_name = ?, "
	                           "email = COALESCE(?, email) WHERE id = ?",
	                           "tti", name, email, id),
	               "guardian update");
}

int
ps_guardian_link(struct store *db, int64_t student_id, int64_t guardian_id,
                 bool *created)
{
	int rc;

	rc = ps_exec(db,
	             store_execf(db,
	                         "INSERT INTO student_guardians (student_id, "
	                         "guardian_id) VALUES (?, ?) "
	                         "ON CONFLICT DO NOTHING",
	                         "ii", student_id, guardian_id),
	             "guardian link");
	*created = rc == PEOPLE_OK && store_changes(db) > 0;
	return rc;
}

int
ps_subscription_any(struct store *db, int64_t guardian_id, int64_t student_id,
                    bool *any)
{
	int64_t one;
	int rc;

	rc = ps_lookup(
	        db, "subscription lookup",
	        store_query_int(db, &one,
	                        "SELECT 1 FROM subscriptions "
	                        "WHERE guardian_id = ? AND student_id = ? "
	                        "LIMIT 1",
	                        "ii", guardian_id, student_id));
	*any = rc == PEOPLE_OK;
	return rc == PEOPLE_ERROR ? PEOPLE_ERROR : PEOPLE_OK;
}

int
ps_subscription_insert(struct store *db, int64_t guardian_id,
                       int64_t student_id, const char *event,
                       const char *channel)
{
	return ps_exec(
	        db,
	        store_execf(db,
	                    "INSERT INTO subscriptions (guardian_id, "
	                    "student_id, event, channel) VALUES (?, ?, ?, ?) "
	                    "ON CONFLICT DO NOTHING",
	                    "iitt", guardian_id, student_id, event, channel),
	        "subscription insert");
}
