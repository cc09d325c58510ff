/*
 * Read models for the handlers: schools, classes, a class's students and a
 * student's card, as jansson values the caller owns.  These queries only
 * read; the card and the class list carry personal data, so whoever shows
 * them records the read in the audit log (see people.h).
 *
 * Every model is built in full or not at all: on any failure the partial
 * value is released and PEOPLE_ERROR returned.
 */
#include "people/people_internal.h"

#include <string.h>

#include "core/log.h"

/* The text in a column, or NULL for SQL NULL. */
static const char *
col(struct store_stmt *st, int i)
{
	return store_col_null(st, i) ? NULL : store_col_text(st, i);
}

/* Appends every row of st (rows made by `make`) to `arr`. */
static int
rows_into(struct store *db, struct store_stmt *st, json_t *arr,
          json_t *(*make)(struct store_stmt *st))
{
	json_t *row;
	int rc;

	if (st == NULL)
		return PEOPLE_ERROR;
	while ((rc = store_step(st)) == STORE_ROW) {
		row = make(st);
		if (row == NULL || json_array_append_new(arr, row) != 0) {
			rc = STORE_ERROR;
			break;
		}
	}
	store_reset(st);
	if (rc == STORE_DONE)
		return PEOPLE_OK;
	log_warnx("people: read failed: %s", store_errmsg(db));
	return PEOPLE_ERROR;
}

static json_t *
school_row(struct store_stmt *st)
{
	return json_pack("{s:I, s:s, s:s, s:s?, s:s?, s:I}", "id",
	                 (json_int_t)store_col_int(st, 0), "code",
	                 store_col_text(st, 1), "name", store_col_text(st, 2),
	                 "region", col(st, 3), "district", col(st, 4),
	                 "students", (json_int_t)store_col_int(st, 5));
}

#define SCHOOL_SELECT                                                          \
	"SELECT s.id, s.code, s.name, r.name, d.name, "                        \
	"(SELECT COUNT(*) FROM students st WHERE st.school_id = s.id "         \
	"AND st.status = 'active') "                                           \
	"FROM schools s LEFT JOIN regions r ON r.id = s.region_id "            \
	"LEFT JOIN districts d ON d.id = s.district_id "

int
people_school_list(struct store *db, int64_t region_id, json_t **out)
{
	json_t *arr = json_array();
	int rc;

	*out = NULL;
	if (arr == NULL)
		return PEOPLE_ERROR;
	rc = rows_into(db,
	               store_query(db,
	                           SCHOOL_SELECT
	                           "WHERE ? = 0 OR s.region_id = ? "
	                           "ORDER BY s.code",
	                           "ii", region_id, region_id),
	               arr, school_row);
	if (rc != PEOPLE_OK)
		json_decref(arr);
	else
		*out = arr;
	return rc;
}

static json_t *
brief_row(struct store_stmt *st)
{
	return json_pack("{s:I, s:s, s:s, s:s?, s:s?}", "id",
	                 (json_int_t)store_col_int(st, 0), "code",
	                 store_col_text(st, 1), "name", store_col_text(st, 2),
	                 "region", col(st, 3), "district", col(st, 4));
}

static json_t *
class_row(struct store_stmt *st)
{
	return json_pack("{s:I, s:s, s:I, s:I, s:s, s:I}", "id",
	                 (json_int_t)store_col_int(st, 0), "name",
	                 store_col_text(st, 1), "grade",
	                 (json_int_t)store_col_int(st, 2), "shift",
	                 (json_int_t)store_col_int(st, 3), "starts_at",
	                 store_col_text(st, 4), "students",
	                 (json_int_t)store_col_int(st, 5));
}

/* Fetches one row with `make`: PEOPLE_OK, PEOPLE_NOT_FOUND or error. */
static int
one_row(struct store *db, struct store_stmt *st, json_t **out,
        json_t *(*make)(struct store_stmt *st))
{
	int rc;

	*out = NULL;
	if (st == NULL)
		return PEOPLE_ERROR;
	rc = store_step(st);
	if (rc == STORE_ROW && (*out = make(st)) == NULL)
		rc = STORE_ERROR;
	store_reset(st);
	if (rc == STORE_ROW)
		return PEOPLE_OK;
	if (rc == STORE_DONE)
		return PEOPLE_NOT_FOUND;
	log_warnx("people: read failed: %s", store_errmsg(db));
	return PEOPLE_ERROR;
}

int
people_school_brief(struct store *db, int64_t school_id, json_t **out)
{
	return one_row(
	        db,
	        store_query(db,
	                    "SELECT s.id, s.code, s.name, r.name, "
	                    "d.name FROM schools s LEFT JOIN regions r "
	                    "ON r.id = s.region_id LEFT JOIN districts d "
	                    "ON d.id = s.district_id WHERE s.id = ?",
	                    "i", school_id),
	        out, brief_row);
}

int
people_school_summary(struct store *db, int64_t school_id, json_t **out)
{
	json_t *school = NULL, *classes = json_array();
	int64_t left = 0;
	int rc;

	*out = NULL;
	if (classes == NULL)
		return PEOPLE_ERROR;
	rc = one_row(
	        db,
	        store_query(db, SCHOOL_SELECT "WHERE s.id = ?", "i", school_id),
	        &school, school_row);
	if (rc == PEOPLE_OK)
		rc = rows_into(
		        db,
		        store_query(
		                db,
		                "SELECT c.id, c.name, c.grade, c.shift, "
		                "c.starts_at, COUNT(st.id) FROM classes c "
		                "LEFT JOIN students st ON st.class_id = c.id "
		                "AND st.status = 'active' "
		                "WHERE c.school_id = ? GROUP BY c.id, c.name, "
		                "c.grade, c.shift, c.starts_at "
		                "ORDER BY c.grade, c.name",
		                "i", school_id),
		        classes, class_row);
	if (rc == PEOPLE_OK &&
	    store_query_int(db, &left,
	                    "SELECT COUNT(*) FROM students WHERE school_id = ? "
	                    "AND status = 'left'",
	                    "i", school_id) != STORE_ROW)
		rc = PEOPLE_ERROR;
	if (rc == PEOPLE_OK &&
	    (json_object_set_new(school, "left", json_integer(left)) != 0 ||
	     json_object_set(school, "classes", classes) != 0))
		rc = PEOPLE_ERROR;
	json_decref(classes);
	if (rc != PEOPLE_OK)
		json_decref(school);
	else
		*out = school;
	return rc;
}

static json_t *
class_head(struct store_stmt *st)
{
	return json_pack("{s:I, s:s, s:I, s:I, s:s}", "id",
	                 (json_int_t)store_col_int(st, 0), "name",
	                 store_col_text(st, 1), "grade",
	                 (json_int_t)store_col_int(st, 2), "shift",
	                 (json_int_t)store_col_int(st, 3), "starts_at",
	                 store_col_text(st, 4));
}

static json_t *
class_student_row(struct store_stmt *st)
{
	json_t *consent = store_col_null(st, 3)
	                          ? json_null()
	                          : json_boolean(store_col_int(st, 3) != 0);

	return json_pack("{s:s, s:s, s:s, s:o}", "ref", store_col_text(st, 0),
	                 "full_name", store_col_text(st, 1), "category",
	                 store_col_text(st, 2), "consent_data", consent);
}

int
people_class_students(struct store *db, int64_t school_id,
                      const char *class_name, json_t **out)
{
	char canon[PEOPLE_CLASS_MAX];
	json_t *head = NULL, *students = json_array();
	int rc;

	*out = NULL;
	if (students == NULL)
		return PEOPLE_ERROR;
	rc = people_class_canonical(class_name, canon, NULL) == PEOPLE_OK
	             ? PEOPLE_OK
	             : PEOPLE_NOT_FOUND;
	if (rc == PEOPLE_OK)
		rc = one_row(db,
		             store_query(db,
		                         "SELECT id, name, grade, shift, "
		                         "starts_at FROM classes "
		                         "WHERE school_id = ? AND name = ?",
		                         "it", school_id, canon),
		             &head, class_head);
	if (rc == PEOPLE_OK)
		rc = rows_into(
		        db,
		        store_query(
		                db,
		                "SELECT s.ref, s.full_name, s.category, "
		                "(SELECT c.granted FROM consents c "
		                "WHERE c.student_id = s.id AND "
		                "c.purpose = 'data' ORDER BY c.id DESC "
		                "LIMIT 1) FROM students s "
		                "WHERE s.class_id = ? AND s.status = 'active' "
		                "ORDER BY s.full_name, s.ref",
		                "i",
		                (int64_t)json_integer_value(
		                        json_object_get(head, "id"))),
		        students, class_student_row);
	if (rc == PEOPLE_OK) {
		*out = json_pack("{s:o, s:o}", "class", head, "students",
		                 students);
		head = students = NULL;
		if (*out == NULL)
			rc = PEOPLE_ERROR;
	}
	json_decref(head);
	json_decref(students);
	return rc;
}

static json_t *
card_row(struct store_stmt *st)
{
	return json_pack(
	        "{s:I, s:s, s:s, s:s, s:I, s:s?, s:s?, s:s, s:s, "
	        "s:s?, s:[]}",
	        "id", (json_int_t)store_col_int(st, 0), "ref",
	        store_col_text(st, 1), "full_name", store_col_text(st, 2),
	        "class", store_col_text(st, 3), "grade",
	        (json_int_t)store_col_int(st, 4), "birth_date", col(st, 5),
	        "iin", col(st, 6), "category", store_col_text(st, 7), "status",
	        store_col_text(st, 8), "left_at", col(st, 9), "identifiers");
}

static json_t *
guardian_row(struct store_stmt *st)
{
	return json_pack("{s:I, s:s, s:s?, s:s?}", "id",
	                 (json_int_t)store_col_int(st, 0), "full_name",
	                 store_col_text(st, 1), "phone", col(st, 2), "email",
	                 col(st, 3));
}

static json_t *
consent_row(struct store_stmt *st)
{
	return json_pack("{s:s, s:b, s:s, s:s?, s:s?, s:s?}", "purpose",
	                 store_col_text(st, 0), "granted",
	                 store_col_int(st, 1) != 0, "at", store_col_text(st, 2),
	                 "by", col(st, 3), "guardian", col(st, 4), "document",
	                 col(st, 5));
}

/* {data, notifications, biometrics}: the newest row of each, or null. */
static json_t *
consent_current(json_t *history)
{
	static const char *const purposes[] = {PEOPLE_PURPOSE_DATA,
	                                       PEOPLE_PURPOSE_NOTIFICATIONS,
	                                       PEOPLE_PURPOSE_BIOMETRICS};
	json_t *cur = json_object(), *row;
	size_t i, j;

	for (i = 0; cur != NULL && i < 3; i++) {
		json_t *found = NULL;

		json_array_foreach(history, j, row)
		{
			const char *p = json_string_value(
			        json_object_get(row, "purpose"));

			if (p != NULL && strcmp(p, purposes[i]) == 0) {
				found = row;
				break;
			}
		}
		if (json_object_set_new(cur, purposes[i],
		                        found ? json_deep_copy(found)
		                              : json_null()) != 0) {
			json_decref(cur);
			cur = NULL;
		}
	}
	return cur;
}

static people_identifiers_fn identifiers_provider;

void
people_set_identifiers_provider(people_identifiers_fn fn)
{
	identifiers_provider = fn;
}

int
people_student_card(struct store *db, int64_t school_id, const char *ref,
                    json_t **out)
{
	json_t *card = NULL, *guardians = json_array(), *history = json_array();
	json_t *current = NULL;
	int64_t id = 0;
	int rc;

	*out = NULL;
	rc = guardians && history ? PEOPLE_OK : PEOPLE_ERROR;
	if (rc == PEOPLE_OK)
		rc = one_row(
		        db,
		        store_query(db,
		                    "SELECT s.id, s.ref, s.full_name, "
		                    "c.name, c.grade, s.birth_date, s.iin, "
		                    "s.category, s.status, s.left_at "
		                    "FROM students s JOIN classes c "
		                    "ON c.id = s.class_id "
		                    "WHERE s.school_id = ? AND s.ref = ?",
		                    "it", school_id, ref),
		        &card, card_row);
	if (rc == PEOPLE_OK)
		id = (int64_t)json_integer_value(json_object_get(card, "id"));
	if (rc == PEOPLE_OK)
		rc = rows_into(
		        db,
		        store_query(db,
		                    "SELECT g.id, g.full_name, g.phone, "
		                    "g.email FROM guardians g "
		                    "JOIN student_guardians sg "
		                    "ON sg.guardian_id = g.id "
		                    "WHERE sg.student_id = ? ORDER BY g.id",
		                    "i", id),
		        guardians, guardian_row);
	if (rc == PEOPLE_OK)
		rc = rows_into(
		        db,
		        store_query(db,
		                    "SELECT c.purpose, c.granted, "
		                    "c.recorded_at, u.login, g.full_name, "
		                    "c.document FROM consents c "
		                    "LEFT JOIN users u ON u.id = "
		                    "c.recorded_by LEFT JOIN guardians g "
		                    "ON g.id = c.guardian_id "
		                    "WHERE c.student_id = ? "
		                    "ORDER BY c.id DESC",
		                    "i", id),
		        history, consent_row);
	if (rc == PEOPLE_OK && (current = consent_current(history)) == NULL)
		rc = PEOPLE_ERROR;
	if (rc == PEOPLE_OK &&
	    (json_object_set(card, "guardians", guardians) != 0 ||
	     json_object_set(card, "consent", current) != 0 ||
	     json_object_set(card, "consent_history", history) != 0))
		rc = PEOPLE_ERROR;
	if (rc == PEOPLE_OK && identifiers_provider != NULL &&
	    identifiers_provider(db, id,
	                         json_object_get(card, "identifiers")) != 0)
		rc = PEOPLE_ERROR;
	json_decref(guardians);
	json_decref(history);
	json_decref(current);
	if (rc != PEOPLE_OK)
		json_decref(card);
	else
		*out = card;
	return rc;
}
