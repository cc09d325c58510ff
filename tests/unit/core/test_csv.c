/*
 * Line numbers are asserted for every record, because the roster importer
 * reports bad rows by line and a person goes to that line in an editor.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/csv.h"

#define S(lit) (lit), (sizeof(lit) - 1)

struct fixture {
	struct csv_reader *r;
	char **f;
	size_t n;
};

static void
start(struct fixture *x, const char *data, size_t len)
{
	x->r = csv_open(data, len);
	assert_non_null(x->r);
}

/* Reads one record and checks its line and fields (NULL-terminated). */
static void
expect_record(struct fixture *x, unsigned long line, ...)
{
	const char *want;
	va_list ap;
	size_t i = 0;

	assert_int_equal(csv_next(x->r, &x->f, &x->n), 1);
	assert_int_equal(csv_line(x->r), line);
	assert_string_equal(csv_error(x->r), "");
	va_start(ap, line);
	while ((want = va_arg(ap, const char *)) != NULL) {
		assert_true(i < x->n);
		assert_string_equal(x->f[i], want);
		i++;
	}
	va_end(ap);
	assert_int_equal(x->n, i);
}

static void
expect_end(struct fixture *x)
{
	assert_int_equal(csv_next(x->r, &x->f, &x->n), 0);
	assert_int_equal(csv_next(x->r, &x->f, &x->n), 0);
	csv_close(x->r);
}

/* Expects an error on `line` whose message contains `what`; the error
 * must stay. */
static void
expect_error(struct fixture *x, unsigned long line, const char *what)
{
	assert_int_equal(csv_next(x->r, &x->f, &x->n), -1);
	assert_int_equal(csv_line(x->r), line);
	assert_non_null(strstr(csv_error(x->r), what));
	assert_int_equal(csv_next(x->r, &x->f, &x->n), -1);
	assert_non_null(strstr(csv_error(x->r), what));
	csv_close(x->r);
}

static void
test_roster(void **state)
{
	struct fixture x;

	(void)state;
	start(&x, S("ref,full_name,class\n"
	            "S1,Әлия Нұрланқызы,3А\n"
	            "S2,Ёлкин Пётр,10B\n"));
	expect_record(&x, 1, "ref", "full_name", "class", NULL);
	expect_record(&x, 2, "S1", "Әлия Нұрланқызы", "3А", NULL);
	expect_record(&x, 3, "S2", "Ёлкин Пётр", "10B", NULL);
	expect_end(&x);
}

static void
test_quoted(void **state)
{
	struct fixture x;

	(void)state;
	start(&x, S("\"Нұрланқызы, Әлия\",\"say \"\"hi\"\"\",\"\"\n"
	            "\"\",x\n"
	            "\"\"\"\"\n"
	            "\" padded \",\"a,b,c\"\n"));
	expect_record(&x, 1, "Нұрланқызы, Әлия", "say \"hi\"", "", NULL);
	expect_record(&x, 2, "", "x", NULL);
	expect_record(&x, 3, "\"", NULL);
	expect_record(&x, 4, " padded ", "a,b,c", NULL);
	expect_end(&x);
}

static void
test_crlf_and_bom(void **state)
{
	struct fixture x;

	(void)state;
	start(&x, S("\xEF\xBB\xBFref,class\r\n"
	            "S1,3А\r\n"
	            "\"S2\",\"5-а\"\r\n"));
	expect_record(&x, 1, "ref", "class", NULL);
	expect_record(&x, 2, "S1", "3А", NULL);
	expect_record(&x, 3, "S2", "5-а", NULL);
	expect_end(&x);

	/* A BOM alone is an empty file; one not at the start is text. */
	start(&x, S("\xEF\xBB\xBF"));
	expect_end(&x);
	start(&x, S("a\n\xEF\xBB\xBF"
	            "b\n"));
	expect_record(&x, 1, "a", NULL);
	expect_record(&x, 2,
	              "\xEF\xBB\xBF"
	              "b",
	              NULL);
	expect_end(&x);
}

static void
test_embedded_newlines(void **state)
{
	struct fixture x;

	(void)state;
	start(&x, S("ref,note\n"
	            "S1,\"line one\nline two\nline three\"\n"
	            "S2,\"crlf\r\ninside\"\r\n"
	            "S3,plain\n"));
	expect_record(&x, 1, "ref", "note", NULL);
	expect_record(&x, 2, "S1", "line one\nline two\nline three", NULL);
	expect_record(&x, 5, "S2", "crlf\r\ninside", NULL);
	expect_record(&x, 7, "S3", "plain", NULL);
	expect_end(&x);
}

static void
test_line_ends(void **state)
{
	struct fixture x;

	(void)state;
	/* The last record needs no newline, quoted or not. */
	start(&x, S("a,b\nc,d"));
	expect_record(&x, 1, "a", "b", NULL);
	expect_record(&x, 2, "c", "d", NULL);
	expect_end(&x);
	start(&x, S("a,\"b\""));
	expect_record(&x, 1, "a", "b", NULL);
	expect_end(&x);

	/* Empty lines are skipped but still counted. */
	start(&x, S("\n\na\r\n\r\n\nb\n\n"));
	expect_record(&x, 3, "a", NULL);
	expect_record(&x, 6, "b", NULL);
	expect_end(&x);

	/* Empty fields are kept, and so is white space. */
	start(&x, S(",\na,\n,b\n , \n\"\"\n"));
	expect_record(&x, 1, "", "", NULL);
	expect_record(&x, 2, "a", "", NULL);
	expect_record(&x, 3, "", "b", NULL);
	expect_record(&x, 4, " ", " ", NULL);
	expect_record(&x, 5, "", NULL);
	expect_end(&x);
	start(&x, S("a,b,"));
	expect_record(&x, 1, "a", "b", "", NULL);
	expect_end(&x);

	/* Records may differ in width; the importer checks that. */
	start(&x, S("a,b,c\nd\n"));
	expect_record(&x, 1, "a", "b", "c", NULL);
	expect_record(&x, 2, "d", NULL);
	expect_end(&x);
}

static void
test_empty_input(void **state)
{
	struct fixture x;

	(void)state;
	start(&x, NULL, 0);
	expect_end(&x);
	start(&x, S(""));
	expect_end(&x);
	start(&x, S("\n\r\n\n"));
	expect_end(&x);
	csv_close(NULL);
}

static void
test_fields_are_writable(void **state)
{
	struct fixture x;

	(void)state;
	start(&x, S("abc,def\n"));
	assert_int_equal(csv_next(x.r, &x.f, &x.n), 1);
	x.f[0][0] = 'X';
	assert_string_equal(x.f[0], "Xbc");
	assert_string_equal(x.f[1], "def");
	expect_end(&x);
}

static void
test_quote_errors(void **state)
{
	struct fixture x;

	(void)state;
	start(&x, S("ok\na,b\"c,d\n"));
	expect_record(&x, 1, "ok", NULL);
	expect_error(&x, 2, "quote inside an unquoted field");
	start(&x, S("ab\"\n"));
	expect_error(&x, 1, "quote inside an unquoted field");
	start(&x, S(" \"a\"\n"));
	expect_error(&x, 1, "quote inside an unquoted field");
	start(&x, S("\"ab\"c,d\n"));
	expect_error(&x, 1, "text after a closing quote");
	start(&x, S("x\n\"ab\" ,d\n"));
	expect_record(&x, 1, "x", NULL);
	expect_error(&x, 2, "text after a closing quote");
	/* The error names the line the quote opened on. */
	start(&x, S("h\n\n\"S1\",\"no end\nmore\nmore\n"));
	expect_record(&x, 1, "h", NULL);
	expect_error(&x, 3, "quoted field never closes");
	start(&x, S("\""));
	expect_error(&x, 1, "quoted field never closes");
}

static void
test_cr_errors(void **state)
{
	struct fixture x;

	(void)state;
	start(&x, S("a\rb\n"));
	expect_error(&x, 1, "carriage return without line feed");
	start(&x, S("a\nb,c\r"));
	expect_record(&x, 1, "a", NULL);
	expect_error(&x, 2, "carriage return without line feed");
	start(&x, S("\"a\"\r\r\n"));
	expect_error(&x, 1, "carriage return without line feed");
}

static void
test_nul_errors(void **state)
{
	struct fixture x;

	(void)state;
	start(&x, S("a\nb\0c\n"));
	expect_record(&x, 1, "a", NULL);
	expect_error(&x, 2, "NUL byte");
	/* In a quoted field, the line of the NUL itself. */
	start(&x, S("\"a\nb\0\"\n"));
	expect_error(&x, 2, "NUL byte");
	start(&x, S("\0"));
	expect_error(&x, 1, "NUL byte");
}

static void
test_utf8_errors(void **state)
{
	struct fixture x;

	(void)state;
	start(&x, S("ref,full_name\nS1,Ә\xD3\n"));
	expect_record(&x, 1, "ref", "full_name", NULL);
	expect_error(&x, 2, "invalid UTF-8 in field 2");
	/* Windows-1251 "Пётр", the usual mistake when saving from Excel. */
	start(&x, S("S1,\xCF\xB8\xF2\xF0\n"));
	expect_error(&x, 1, "invalid UTF-8 in field 2");
	/* Overlong '/' and a surrogate. */
	start(&x, S("\xC0\xAF\n"));
	expect_error(&x, 1, "invalid UTF-8 in field 1");
	start(&x, S("a,b,\"\xED\xA0\x80\"\n"));
	expect_error(&x, 1, "invalid UTF-8 in field 3");
	/* Inside a multi-line field: the physical line of the bad byte. */
	start(&x, S("h\n\"one\ntwo\nth\xFFree\",x\n"));
	expect_record(&x, 1, "h", NULL);
	expect_error(&x, 4, "invalid UTF-8 in field 1");
	/* A sequence cut by a delimiter is invalid on both sides. */
	start(&x, S("\xD3,\x98\n"));
	expect_error(&x, 1, "invalid UTF-8 in field 1");
}

/* A file of `nrec` records, each of `nfields` fields of `flen` bytes of
 * `c`, quoted when `quote`; malloc'd, its length in *len. */
static char *
make_records(size_t nrec, size_t nfields, size_t flen, char c, int quote,
             size_t *len)
{
	size_t per = nfields * (flen + 3) + 1, i, j, k, off = 0;
	char *s = malloc(nrec * per);

	assert_non_null(s);
	for (i = 0; i < nrec; i++) {
		for (j = 0; j < nfields; j++) {
			if (quote)
				s[off++] = '"';
			for (k = 0; k < flen; k++)
				s[off++] = c;
			if (quote)
				s[off++] = '"';
			s[off++] = j + 1 < nfields ? ',' : '\n';
		}
	}
	*len = off;
	return s;
}

static void
test_field_limit(void **state)
{
	struct fixture x;
	size_t len;
	char *s;

	(void)state;
	s = make_records(1, 2, CSV_MAX_FIELD, 'a', 0, &len);
	start(&x, s, len);
	assert_int_equal(csv_next(x.r, &x.f, &x.n), 1);
	assert_int_equal(x.n, 2);
	assert_int_equal(strlen(x.f[0]), CSV_MAX_FIELD);
	assert_int_equal(strlen(x.f[1]), CSV_MAX_FIELD);
	expect_end(&x);
	free(s);

	s = make_records(1, 2, CSV_MAX_FIELD + 1, 'a', 0, &len);
	start(&x, s, len);
	expect_error(&x, 1, "field longer than 4096 bytes");
	free(s);

	s = make_records(1, 1, CSV_MAX_FIELD + 1, 'a', 1, &len);
	start(&x, s, len);
	expect_error(&x, 1, "field longer than 4096 bytes");
	free(s);

	/* The limit is on the unquoted value: 4096 quotes are written as
	 * 8192 bytes and still fit. */
	s = make_records(1, 1, 2 * CSV_MAX_FIELD, '"', 1, &len);
	start(&x, s, len);
	assert_int_equal(csv_next(x.r, &x.f, &x.n), 1);
	assert_int_equal(strlen(x.f[0]), CSV_MAX_FIELD);
	assert_int_equal(x.f[0][CSV_MAX_FIELD - 1], '"');
	expect_end(&x);
	free(s);
	s = make_records(1, 1, 2 * CSV_MAX_FIELD + 2, '"', 1, &len);
	start(&x, s, len);
	expect_error(&x, 1, "field longer than 4096 bytes");
	free(s);
}

static void
test_fields_limit(void **state)
{
	struct fixture x;
	size_t len, i;
	char *s;

	(void)state;
	/* The widest record, with the widest fields: the buffer moves many
	 * times while the record is read, and every field must survive. */
	s = make_records(3, CSV_MAX_FIELDS, CSV_MAX_FIELD, 'z', 1, &len);
	start(&x, s, len);
	for (i = 0; i < 3; i++) {
		assert_int_equal(csv_next(x.r, &x.f, &x.n), 1);
		assert_int_equal(csv_line(x.r), i + 1);
		assert_int_equal(x.n, CSV_MAX_FIELDS);
		assert_int_equal(strlen(x.f[0]), CSV_MAX_FIELD);
		assert_int_equal(strlen(x.f[CSV_MAX_FIELDS - 1]),
		                 CSV_MAX_FIELD);
	}
	expect_end(&x);
	free(s);

	s = make_records(2, CSV_MAX_FIELDS + 1, 1, 'z', 0, &len);
	start(&x, s, len);
	expect_error(&x, 1, "more than 64 fields");
	free(s);

	/* A trailing comma is one more (empty) field. */
	s = make_records(1, CSV_MAX_FIELDS, 1, 'z', 0, &len);
	s[len - 1] = ',';
	start(&x, s, len);
	expect_error(&x, 1, "more than 64 fields");
	free(s);
}

static void
test_many_records(void **state)
{
	struct fixture x;
	size_t len, i;
	char *s;

	(void)state;
	s = make_records(5000, 3, 10, 'q', 0, &len);
	start(&x, s, len);
	for (i = 0; i < 5000; i++) {
		assert_int_equal(csv_next(x.r, &x.f, &x.n), 1);
		assert_int_equal(csv_line(x.r), i + 1);
		assert_int_equal(x.n, 3);
	}
	expect_end(&x);
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_roster),
	        cmocka_unit_test(test_quoted),
	        cmocka_unit_test(test_crlf_and_bom),
	        cmocka_unit_test(test_embedded_newlines),
	        cmocka_unit_test(test_line_ends),
	        cmocka_unit_test(test_empty_input),
	        cmocka_unit_test(test_fields_are_writable),
	        cmocka_unit_test(test_quote_errors),
	        cmocka_unit_test(test_cr_errors),
	        cmocka_unit_test(test_nul_errors),
	        cmocka_unit_test(test_utf8_errors),
	        cmocka_unit_test(test_field_limit),
	        cmocka_unit_test(test_fields_limit),
	        cmocka_unit_test(test_many_records),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
