/*
 * The generated roster (demo_roster_csv) is what the demo school and the
 * import benchmark are built from, so it must be a roster the real import
 * takes without a single error: checked by importing 600 students into a
 * fresh school.  It must also be repeatable for a seed, and its IINs must
 * be valid and agree with the birth date and sex they encode.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include "core/buf.h"
#include "core/csv.h"
#include "core/utf8.h"
#include "core/validate.h"
#include "demo/demo.h"
#include "people/people.h"
#include "../testdb.h"

#define STUDENTS 600

static char *
roster(unsigned students, unsigned seed, size_t *len)
{
	struct buf b;

	buf_init(&b);
	assert_int_equal(demo_roster_csv(&b, students, seed), 0);
	return buf_steal(&b, len);
}

static void
test_imports_without_errors(void **state)
{
	struct roster_report rep;
	struct testdb t;
	int64_t school, n = -1;
	char line[512];
	size_t len, i;
	char *csv;
	int rc;

	(void)state;
	assert_non_null(testdb_open(&t));
	assert_int_equal(people_school_add(t.db, NULL, "demo-test", "Мектеп",
	                                   "almaty", "medeu", &school),
	                 PEOPLE_OK);
	csv = roster(STUDENTS, 2026, &len);
	rc = roster_import(t.db, NULL, school, "demo.csv", csv, len, false,
	                   &rep);
	for (i = 0; i < rep.nerrors && i < 5; i++)
		print_error("%s\n", roster_error_format(&rep, i, LANG_EN, line,
		                                        sizeof(line)));
	assert_int_equal(rep.nerrors, 0);
	assert_int_equal(rc, PEOPLE_OK);
	assert_int_equal(rep.rows, STUDENTS);
	assert_int_equal(rep.added, STUDENTS);
	assert_int_equal(rep.updated, 0);
	assert_int_equal(rep.left, 0);
	/* 11 grades, two letters each below 2000 students. */
	assert_int_equal(rep.classes_added, 22);
	assert_true(rep.guardians_added > 0);
	roster_report_free(&rep);

	assert_int_equal(store_query_int(t.db, &n,
	                                 "SELECT COUNT(*) FROM students "
	                                 "WHERE school_id = ? AND "
	                                 "status = 'active'",
	                                 "i", school),
	                 STORE_ROW);
	assert_int_equal(n, STUDENTS);
	assert_int_equal(store_query_int(t.db, &n,
	                                 "SELECT COUNT(DISTINCT iin) FROM "
	                                 "students WHERE school_id = ?",
	                                 "i", school),
	                 STORE_ROW);
	assert_int_equal(n, STUDENTS);

	/* The same file again changes nothing. */
	rc = roster_import(t.db, NULL, school, "demo.csv", csv, len, false,
	                   &rep);
	assert_int_equal(rc, PEOPLE_OK);
	assert_int_equal(rep.nerrors, 0);
	assert_int_equal(rep.added, 0);
	assert_int_equal(rep.unchanged, STUDENTS);
	roster_report_free(&rep);
	free(csv);
	testdb_close(&t);
}

static void
test_repeatable(void **state)
{
	size_t len_a, len_b, len_c;
	char *a, *b, *c;

	(void)state;
	a = roster(STUDENTS, 7, &len_a);
	b = roster(STUDENTS, 7, &len_b);
	c = roster(STUDENTS, 8, &len_c);
	assert_int_equal(len_a, len_b);
	assert_memory_equal(a, b, len_a);
	/* The seed matters. */
	assert_true(len_a != len_c || memcmp(a, c, len_a) != 0);
	free(a);
	free(b);
	free(c);
	/* Appending to a buffer that already holds something. */
	{
		struct buf out;

		buf_init(&out);
		buf_puts(&out, "prefix");
		assert_int_equal(demo_roster_csv(&out, STUDENTS, 7), 0);
		assert_int_equal(out.len, 6 + len_a);
		b = roster(STUDENTS, 7, &len_b);
		assert_memory_equal(out.data + 6, b, len_b);
		free(b);
		buf_free(&out);
	}
}

static size_t
column(char **fields, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(fields[i], name) == 0)
			return i;
	fail_msg("no column %s", name);
	return 0;
}

static void
test_iins_valid(void **state)
{
	size_t len, n, ncols, c_iin, c_birth, c_ref, c_name;
	struct csv_reader *r;
	char **fields;
	unsigned long rows = 0;
	char *csv;
	int rc;

	(void)state;
	csv = roster(STUDENTS, 2026, &len);
	assert_true(utf8_valid(csv, len));
	r = csv_open(csv, len);
	assert_non_null(r);
	assert_int_equal(csv_next(r, &fields, &ncols), 1);
	c_iin = column(fields, ncols, "iin");
	c_birth = column(fields, ncols, "birth_date");
	c_ref = column(fields, ncols, "ref");
	c_name = column(fields, ncols, "full_name");
	while ((rc = csv_next(r, &fields, &n)) == 1) {
		const char *iin = fields[c_iin], *birth = fields[c_birth];

		rows++;
		assert_int_equal(n, ncols);
		if (!validate_iin(iin))
			fail_msg("row %lu: IIN %s is not valid", rows, iin);
		assert_true(validate_date(birth));
		assert_true(validate_ref(fields[c_ref]));
		assert_true(people_text_valid(fields[c_name], PEOPLE_NAME_MAX));
		/* YYMMDD of the birth date, then 5 (boy) or 6 (girl) for
		 * a birth in 2000-2099. */
		assert_memory_equal(iin, birth + 2, 2);
		assert_memory_equal(iin + 2, birth + 5, 2);
		assert_memory_equal(iin + 4, birth + 8, 2);
		assert_true(iin[6] == '5' || iin[6] == '6');
		assert_memory_equal(birth, "20", 2);
	}
	assert_int_equal(rc, 0);
	assert_int_equal(rows, STUDENTS);
	csv_close(r);
	free(csv);
}

/* A large roster for the benchmark uses three letters per grade. */
static void
test_large_roster_valid_iins(void **state)
{
	size_t len, n, ncols, c_iin;
	struct csv_reader *r;
	char **fields;
	unsigned long rows = 0;
	char *csv;

	(void)state;
	csv = roster(3000, 1, &len);
	r = csv_open(csv, len);
	assert_int_equal(csv_next(r, &fields, &ncols), 1);
	c_iin = column(fields, ncols, "iin");
	while (csv_next(r, &fields, &n) == 1) {
		rows++;
		if (!validate_iin(fields[c_iin]))
			fail_msg("row %lu: IIN %s is not valid", rows,
			         fields[c_iin]);
	}
	assert_int_equal(rows, 3000);
	csv_close(r);
	free(csv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_imports_without_errors),
	        cmocka_unit_test(test_repeatable),
	        cmocka_unit_test(test_iins_valid),
	        cmocka_unit_test(test_large_roster_valid_iins),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
