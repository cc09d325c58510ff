/*
 * The people module's writes and lookups for people.c: regions, districts,
 * schools, classes, consent; the roster import's queries are in
 * roster_store.c and the read models in people_read.c.  Every statement is
 * prepared (and cached by the store) and parameterised, in portable SQL:
 * `RETURNING` and `ON CONFLICT DO NOTHING` are understood by SQLite and
 * PostgreSQL alike.
 *
 * Every function returns PEOPLE_OK, PEOPLE_NOT_FOUND, PEOPLE_DUPLICATE (a
 * constraint refused the write) or PEOPLE_ERROR, and leaves no statement
 * in use.
 */
#include "people/people_internal.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"

int
people_from_store(int rc)
{
	switch (rc) {
	case STORE_OK:
	case STORE_DONE:
	case STORE_ROW:
		return PEOPLE_OK;
	case STORE_CONSTRAINT:
		return PEOPLE_DUPLICATE;
	default:
		return PEOPLE_ERROR;
	}
}

/* A lookup of one id: found, not found, or a failure (logged). */
int
ps_lookup(struct store *db, const char *what, int rc)
{
	if (rc == STORE_ROW)
		return PEOPLE_OK;
	if (rc == STORE_DONE)
		return PEOPLE_NOT_FOUND;
	log_warnx("people: %s failed: %s", what, store_errmsg(db));
	return PEOPLE_ERROR;
}

/* An INSERT whose new id is read back with RETURNING (SQLite >= 3.35). */
int
ps_insert_id(struct store *db, struct store_stmt *st, int64_t *id,
             const char *what)
{
	int rc;

	if (st == NULL)
		return PEOPLE_ERROR;
	rc = store_step(st);
	if (rc == STORE_ROW && id != NULL)
		*id = store_col_int(st, 0);
	if (rc == STORE_ROW)
		rc = store_step(st);
	store_reset(st);
	if (rc == STORE_DONE)
		return PEOPLE_OK;
	if (rc == STORE_CONSTRAINT)
		return PEOPLE_DUPLICATE;
	log_warnx("people: %s failed: %s", what, store_errmsg(db));
	return PEOPLE_ERROR;
}

int
ps_exec(struct store *db, int rc, const char *what)
{
	if (rc == STORE_OK)
		return PEOPLE_OK;
	if (rc == STORE_CONSTRAINT)
		return PEOPLE_DUPLICATE;
	log_warnx("people: %s failed: %s", what, store_errmsg(db));
	return PEOPLE_ERROR;
}

int
ps_region_find(struct store *db, const char *code, int64_t *id)
{
	return ps_lookup(
	        db, "region lookup",
	        store_query_int(db, id, "SELECT id FROM regions WHERE code = ?",
	                        "t", code));
}

int
ps_region_insert(struct store *db, const char *code, const char *name,
                 int64_t *id)
{
	return ps_insert_id(db,
	                    store_query(db,
	                                "INSERT INTO regions (code, name) "
	                                "VALUES (?, ?) RETURNING id",
	                                "tt", code, name),
	                    id, "region insert");
}

int
ps_district_find(struct store *db, int64_t region_id, const char *code,
                 int64_t *id)
{
	return ps_lookup(db, "district lookup",
	                 store_query_int(db, id,
	                                 "SELECT id FROM districts "
	                                 "WHERE region_id = ? AND code = ?",
	                                 "it", region_id, code));
}

int
ps_district_insert(struct store *db, int64_t region_id, const char *code,
                   const char *name, int64_t *id)
{
	return ps_insert_id(
	        db,
	        store_query(db,
	                    "INSERT INTO districts (region_id, code, "
	                    "name) VALUES (?, ?, ?) RETURNING id",
	                    "itt", region_id, code, name),
	        id, "district insert");
}

int
ps_school_find(struct store *db, const char *code, int64_t *id)
{
	return ps_lookup(
	        db, "school lookup",
	        store_query_int(db, id, "SELECT id FROM schools WHERE code = ?",
	                        "t", code));
}

int
ps_school_insert(struct store *db, const char *code, const char *name,
                 int64_t region_id, int64_t district_id, const char *now,
                 int64_t *id)
{
	return ps_insert_id(
	        db,
	        store_query(db,
	                    "INSERT INTO schools (code, name, "
	                    "region_id, district_id, created_at) "
	                    "VALUES (?, ?, NULLIF(?, 0), NULLIF(?, 0), "
	                    "?) RETURNING id",
	                    "ttiit", code, name, region_id, district_id, now),
	        id, "school insert");
}

int
ps_school_code(struct store *db, int64_t id, char *out, size_t outlen)
{
	struct store_stmt *st;
	int rc;

	st = store_query(db, "SELECT code FROM schools WHERE id = ?", "i", id);
	if (st == NULL)
		return PEOPLE_ERROR;
	rc = store_step(st);
	if (rc == STORE_ROW)
		snprintf(out, outlen, "%s", store_col_text(st, 0));
	store_reset(st);
	return ps_lookup(db, "school code", rc);
}

int
ps_class_find(struct store *db, int64_t school_id, const char *name,
              int64_t *id)
{
	return ps_lookup(db, "class lookup",
	                 store_query_int(db, id,
	                                 "SELECT id FROM classes "
	                                 "WHERE school_id = ? AND name = ?",
	                                 "it", school_id, name));
}

int
ps_class_insert(struct store *db, int64_t school_id, const char *name,
                int grade, int64_t *id)
{
	return ps_insert_id(db,
	                    store_query(db,
	                                "INSERT INTO classes (school_id, name, "
	                                "grade) VALUES (?, ?, ?) RETURNING id",
	                                "iti", school_id, name, (int64_t)grade),
	                    id, "class insert");
}

int
ps_class_school(struct store *db, int64_t class_id, int64_t *school_id)
{
	return ps_lookup(db, "class school",
	                 store_query_int(db, school_id,
	                                 "SELECT school_id FROM classes "
	                                 "WHERE id = ?",
	                                 "i", class_id));
}

int
ps_class_set_shift(struct store *db, int64_t class_id, int shift,
                   const char *starts_at)
{
	int rc;

	rc = ps_exec(db,
	             store_execf(db,
	                         "UPDATE classes SET shift = ?, starts_at = ? "
	                         "WHERE id = ?",
	                         "iti", (int64_t)shift, starts_at, class_id),
	             "class shift");
	if (rc == PEOPLE_OK && store_changes(db) == 0)
		rc = PEOPLE_NOT_FOUND;
	return rc;
}

int
ps_student_find(struct store *db, int64_t school_id, const char *ref,
                int64_t *id)
{
	return ps_lookup(db, "student lookup",
	                 store_query_int(db, id,
	                                 "SELECT id FROM students "
	                                 "WHERE school_id = ? AND ref = ?",
	                                 "it", school_id, ref));
}

int
ps_student_school(struct store *db, int64_t student_id, int64_t *school_id)
{
	return ps_lookup(db, "student school",
	                 store_query_int(db, school_id,
	                                 "SELECT school_id FROM students "
	                                 "WHERE id = ?",
	                                 "i", student_id));
}

int
ps_guardian_linked(struct store *db, int64_t student_id, int64_t guardian_id)
{
	int64_t one;

	return ps_lookup(
	        db, "guardian link",
	        store_query_int(db, &one,
	                        "SELECT 1 FROM student_guardians "
	                        "WHERE student_id = ? AND guardian_id = ?",
	                        "ii", student_id, guardian_id));
}

int
ps_consent_insert(struct store *db, int64_t student_id, int64_t guardian_id,
                  const char *purpose, bool granted, const char *document,
                  int64_t user_id, const char *now)
{
	return ps_exec(
	        db,
	        store_execf(db,
	                    "INSERT INTO consents (student_id, guardian_id, "
	                    "purpose, granted, document, recorded_by, "
	                    "recorded_at) VALUES (?, NULLIF(?, 0), ?, ?, ?, "
	                    "NULLIF(?, 0), ?)",
	                    "iititit", student_id, guardian_id, purpose,
	                    (int64_t)granted, document, user_id, now),
	        "consent insert");
}

int
ps_consent_state(struct store *db, int64_t student_id, const char *purpose,
                 int *state)
{
	int64_t granted = 0;
	int rc;

	rc = store_query_int(db, &granted,
	                     "SELECT granted FROM consents "
	                     "WHERE student_id = ? AND purpose = ? "
	                     "ORDER BY id DESC LIMIT 1",
	                     "it", student_id, purpose);
	rc = ps_lookup(db, "consent state", rc);
	if (rc == PEOPLE_OK)
		*state = granted != 0;
	else if (rc == PEOPLE_NOT_FOUND)
		*state = -1;
	return rc == PEOPLE_ERROR ? PEOPLE_ERROR : PEOPLE_OK;
}
