/*
 * What the access tests share: a student inserted straight into a school's
 * class "3А", a user and a device inserted straight into a school, and a
 * count read with one query.  Include after cmocka.h,
 * people/people.h and ../testdb.h.
 */
#ifndef QORGAN_TESTS_ACCESS_FIXTURE_H
#define QORGAN_TESTS_ACCESS_FIXTURE_H

/* The student's id; `now` is its created_at and updated_at. */
static inline int64_t
fixture_add_student(struct store *db, int64_t school, const char *ref,
                    const char *status, const char *now)
{
	int64_t class_id = 0, id = 0;

	assert_int_equal(people_class_ensure(db, school, "3А", &class_id, NULL),
	                 PEOPLE_OK);
	assert_int_equal(store_execf(db,
	                             "INSERT INTO students (school_id, ref, "
	                             "full_name, class_id, status, "
	                             "created_at, updated_at) "
	                             "VALUES (?, ?, 'Name', ?, ?, ?, ?)",
	                             "itittt", school, ref, class_id, status,
	                             now, now),
	                 STORE_OK);
	assert_int_equal(people_student_find(db, school, ref, &id), PEOPLE_OK);
	return id;
}

/* When fixture users and devices were created; nothing depends on it. */
#define FIXTURE_CREATED "2024-09-01T00:00:00Z"

/* A user of `role` bound to `school`, inserted without a password. */
static inline int64_t
fixture_add_user(struct store *db, const char *login, const char *role,
                 int64_t school)
{
	int64_t id = 0;

	assert_int_equal(store_execf(db,
	                             "INSERT INTO users (login, password_hash, "
	                             "role, created_at) VALUES (?, 'x', ?, ?)",
	                             "ttt", login, role, FIXTURE_CREATED),
	                 STORE_OK);
	assert_int_equal(store_query_int(db, &id,
	                                 "SELECT id FROM users WHERE login = ?",
	                                 "t", login),
	                 STORE_ROW);
	assert_int_equal(store_execf(db,
	                             "INSERT INTO user_schools (user_id, "
	                             "school_id) VALUES (?, ?)",
	                             "ii", id, school),
	                 STORE_OK);
	return id;
}

/* A device of `kind` named `name` (its name is its token hash too). */
static inline int64_t
fixture_add_device(struct store *db, int64_t school, const char *kind,
                   const char *name)
{
	int64_t id = 0;

	assert_int_equal(store_execf(db,
	                             "INSERT INTO devices (school_id, kind, "
	                             "name, token_hash, created_at) "
	                             "VALUES (?, ?, ?, ?, ?)",
	                             "itttt", school, kind, name, name,
	                             FIXTURE_CREATED),
	                 STORE_OK);
	assert_int_equal(store_query_int(db, &id,
	                                 "SELECT id FROM devices WHERE "
	                                 "token_hash = ?",
	                                 "t", name),
	                 STORE_ROW);
	return id;
}

/* The first column of the first row of `sql` (which must return a row). */
static inline int64_t
fixture_count(struct store *db, const char *sql)
{
	int64_t n = -1;

	assert_int_equal(store_query_int(db, &n, sql, ""), STORE_ROW);
	return n;
}

#endif
