/*
 * Declared JSON input (input_check): required fields, unknown fields, types,
 * lengths counted in characters rather than bytes, control characters and
 * NUL, integer ranges, the validator callback, and null read as absent.
 * Each error names its field, since that is what the API answers.
 *
 * Bodies are parsed with JSON_ALLOW_NUL so that input_check()'s own NUL
 * check is reached; http_json_parse() refuses "\u0000" earlier (see
 * test_json.c), and each layer is tested on its own.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include "http/input.h"

static int valid_calls;

/* Lower-case ASCII letters only; counts its calls. */
static bool
lower_only(const char *s)
{
	valid_calls++;
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (*s < 'a' || *s > 'z')
			return false;
	return true;
}

enum { F_LOGIN, F_NAME, F_TEXT, F_AGE, F_ACTIVE, F_CODE, F_NOTE, NFIELDS };

static const struct input_field fields[NFIELDS] = {
        [F_LOGIN] = {.name = "login",
                     .type = INPUT_STRING,
                     .required = true,
                     .max_chars = 16},
        [F_NAME] = {.name = "name", .type = INPUT_STRING, .max_chars = 5},
        [F_TEXT] = {.name = "text",
                    .type = INPUT_STRING,
                    .max_chars = 64,
                    .multiline = true},
        [F_AGE] = {.name = "age", .type = INPUT_INT, .min = 6, .max = 18},
        [F_ACTIVE] = {.name = "active", .type = INPUT_BOOL},
        [F_CODE] = {.name = "code", .type = INPUT_STRING, .valid = lower_only},
        [F_NOTE] = {.name = "note", .type = INPUT_STRING}, /* 0 = default */
};

struct check {
	json_t *root;
	struct input_value v[NFIELDS];
	char err[256];
	int rc;
};

static json_t *
parse(const char *json)
{
	json_error_t e;
	json_t *root = json_loads(json, JSON_ALLOW_NUL, &e);

	if (root == NULL)
		fail_msg("bad test JSON %s: %s", json, e.text);
	return root;
}

/* Checks `json`; the caller reads c->rc, c->err, c->v, then check_done(). */
static void
check(struct check *c, const char *json)
{
	memset(c, 0, sizeof(*c));
	memset(c->v, 0xA5, sizeof(c->v)); /* input_check must clear these */
	c->root = parse(json);
	c->rc = input_check(c->root, fields, NFIELDS, c->v, c->err,
	                    sizeof(c->err));
}

static void
check_done(struct check *c)
{
	json_decref(c->root);
}

static void
assert_ok(const char *json)
{
	struct check c;

	check(&c, json);
	check_done(&c);
	if (c.rc != 0)
		fail_msg("%s refused: %s", json, c.err);
}

static void
assert_refused(const char *json, const char *want)
{
	struct check c;

	check(&c, json);
	check_done(&c); /* first: a failed assertion does not return */
	if (c.rc != -1)
		fail_msg("%s accepted; want \"%s\"", json, want);
	if (strcmp(c.err, want) != 0)
		fail_msg("%s: error \"%s\"; want \"%s\"", json, c.err, want);
}

static void
test_all_fields(void **state)
{
	struct check c;

	(void)state;
	check(&c, "{\"login\":\"aigerim\",\"name\":\"Нұрай\",\"text\":"
	          "\"line one\\nline two\",\"age\":12,\"active\":true,"
	          "\"code\":\"abc\",\"note\":\"n\"}");
	assert_int_equal(c.rc, 0);
	assert_true(c.v[F_LOGIN].present);
	assert_string_equal(c.v[F_LOGIN].s, "aigerim");
	/* Strings are borrowed from the JSON, not copied. */
	assert_ptr_equal(c.v[F_LOGIN].s,
	                 json_string_value(json_object_get(c.root, "login")));
	assert_string_equal(c.v[F_NAME].s, "Нұрай");
	assert_string_equal(c.v[F_TEXT].s, "line one\nline two");
	assert_true(c.v[F_AGE].present);
	assert_int_equal(c.v[F_AGE].i, 12);
	assert_true(c.v[F_ACTIVE].present);
	assert_true(c.v[F_ACTIVE].b);
	assert_string_equal(c.v[F_CODE].s, "abc");
	check_done(&c);

	check(&c, "{\"login\":\"x\",\"active\":false}");
	assert_int_equal(c.rc, 0);
	assert_true(c.v[F_ACTIVE].present);
	assert_false(c.v[F_ACTIVE].b);
	check_done(&c);
}

static void
test_absent_fields_are_cleared(void **state)
{
	struct check c;
	size_t k;

	(void)state;
	check(&c, "{\"login\":\"only\"}");
	assert_int_equal(c.rc, 0);
	for (k = 0; k < NFIELDS; k++) {
		if (k == F_LOGIN)
			continue;
		assert_false(c.v[k].present);
		assert_null(c.v[k].s);
		assert_int_equal(c.v[k].i, 0);
		assert_false(c.v[k].b);
	}
	check_done(&c);
}

static void
test_required(void **state)
{
	(void)state;
	assert_refused("{}", "login: required");
	assert_refused("{\"name\":\"Дана\"}", "login: required");
	/* null is absent, so it does not satisfy required. */
	assert_refused("{\"login\":null}", "login: required");
	/* The empty string is present (length rules are the field's own). */
	assert_ok("{\"login\":\"\"}");
}

static void
test_null_is_absent(void **state)
{
	struct check c;

	(void)state;
	check(&c, "{\"login\":\"a\",\"name\":null,\"age\":null,"
	          "\"active\":null,\"code\":null}");
	assert_int_equal(c.rc, 0);
	assert_false(c.v[F_NAME].present);
	assert_false(c.v[F_AGE].present);
	assert_false(c.v[F_ACTIVE].present);
	assert_false(c.v[F_CODE].present);
	check_done(&c);
	/* null is not checked against the type or the validator. */
	valid_calls = 0;
	assert_ok("{\"login\":\"a\",\"code\":null}");
	assert_int_equal(valid_calls, 0);
}

static void
test_unknown_field(void **state)
{
	char json[512], longname[100];

	(void)state;
	assert_refused("{\"login\":\"a\",\"colour\":\"red\"}",
	               "colour: unknown field");
	/* Even when null, and even when it looks like a known one. */
	assert_refused("{\"login\":\"a\",\"Login\":null}",
	               "Login: unknown field");
	assert_refused("{\"login\":\"a\",\"login \":\"b\"}",
	               "login : unknown field");
	/* Long or control-laden names are not echoed back. */
	memset(longname, 'k', 65);
	longname[65] = '\0';
	snprintf(json, sizeof(json), "{\"login\":\"a\",\"%s\":1}", longname);
	assert_refused(json, "unknown field");
	longname[64] = '\0'; /* 64 is still shown */
	snprintf(json, sizeof(json), "{\"login\":\"a\",\"%s\":1}", longname);
	snprintf(longname + 64, sizeof(longname) - 64, ": unknown field");
	assert_refused(json, longname);
	assert_refused("{\"login\":\"a\",\"x\\ny\":1}", "unknown field");
	assert_refused("{\"login\":\"a\",\"\\u001b[31m\":1}", "unknown field");
}

static void
test_types(void **state)
{
	(void)state;
	assert_refused("{\"login\":5}", "login: must be a string");
	assert_refused("{\"login\":true}", "login: must be a string");
	assert_refused("{\"login\":[\"a\"]}", "login: must be a string");
	assert_refused("{\"login\":{\"a\":1}}", "login: must be a string");
	assert_refused("{\"login\":\"a\",\"age\":\"12\"}",
	               "age: must be an integer");
	assert_refused("{\"login\":\"a\",\"age\":12.0}",
	               "age: must be an integer");
	assert_refused("{\"login\":\"a\",\"age\":true}",
	               "age: must be an integer");
	assert_refused("{\"login\":\"a\",\"active\":1}",
	               "active: must be true or false");
	assert_refused("{\"login\":\"a\",\"active\":\"true\"}",
	               "active: must be true or false");
}

static void
test_max_chars_counts_code_points(void **state)
{
	char json[2048];
	size_t i, off;

	(void)state;
	/* Нұрай: five letters, ten bytes. */
	assert_ok("{\"login\":\"a\",\"name\":\"Нұрай\"}");
	assert_ok("{\"login\":\"a\",\"name\":\"Әсел\"}");
	assert_refused("{\"login\":\"a\",\"name\":\"Нұрайым\"}",
	               "name: at most 5 characters");
	assert_ok("{\"login\":\"a\",\"name\":\"abcde\"}");
	assert_refused("{\"login\":\"a\",\"name\":\"abcdef\"}",
	               "name: at most 5 characters");
	/* Four-byte characters count once each. */
	assert_ok("{\"login\":\"a\",\"name\":\"😀😀😀😀😀\"}");
	assert_refused("{\"login\":\"a\",\"name\":\"😀😀😀😀😀😀\"}",
	               "name: at most 5 characters");
	/* An escaped letter is one character too. */
	assert_ok(
	        "{\"login\":\"a\",\"name\":\"\\u04d8\\u04d8\\u04d8\\u04d8\"}");
	/* 16 two-byte letters in a 16-character login. */
	assert_ok("{\"login\":\"ққққққққққққққққ\"}");
	assert_refused("{\"login\":\"қққққққққққққққққ\"}",
	               "login: at most 16 characters");

	/* max_chars 0 means the default. */
	off = (size_t)snprintf(json, sizeof(json),
	                       "{\"login\":\"a\",\"note\":\"");
	for (i = 0; i < INPUT_STRING_MAX_DEFAULT; i++)
		json[off++] = 'n';
	snprintf(json + off, sizeof(json) - off, "\"}");
	assert_ok(json);
	snprintf(json + off, sizeof(json) - off, "n\"}");
	assert_refused(json, "note: at most 256 characters");
}

static void
test_control_characters(void **state)
{
	(void)state;
	/* Single-line fields: every C0 control, DEL and C1. */
	assert_refused("{\"login\":\"a\\tb\"}", "login: control characters");
	assert_refused("{\"login\":\"a\\nb\"}", "login: control characters");
	assert_refused("{\"login\":\"a\\rb\"}", "login: control characters");
	assert_refused("{\"login\":\"\\u001b[2J\"}",
	               "login: control characters");
	assert_refused("{\"login\":\"a\\u007fb\"}",
	               "login: control characters");
	assert_refused("{\"login\":\"a\\u0085b\"}",
	               "login: control characters");
	assert_refused("{\"login\":\"a\\u009bb\"}",
	               "login: control characters");
	/* Multiline fields take newlines and tabs... */
	assert_ok("{\"login\":\"a\",\"text\":\"one\\ntwo\\tthree\"}");
	assert_ok("{\"login\":\"a\",\"text\":\"Сәлем\\nәлем\"}");
	/* ...and nothing else. */
	assert_refused("{\"login\":\"a\",\"text\":\"bell\\u0007\"}",
	               "text: control characters");
	assert_refused("{\"login\":\"a\",\"text\":\"\\u001b[31mred\"}",
	               "text: control characters");
	assert_refused("{\"login\":\"a\",\"text\":\"del\\u007f\"}",
	               "text: control characters");
	assert_refused("{\"login\":\"a\",\"text\":\"\\b\\f\"}",
	               "text: control characters");
}

/*
 * C1 controls are control characters (utf8.h) and only line ends and tabs
 * are the multiline exceptions (input.h).  They are two bytes in UTF-8
 * (C2 80..C2 9F), so a byte-wise check below 0x20 and at 0x7f lets them
 * through; U+009B is the one-character CSI of terminals.
 */
static void
test_control_characters_c1_in_multiline(void **state)
{
	(void)state;
	assert_refused("{\"login\":\"a\",\"text\":\"x\\u009b2Jy\"}",
	               "text: control characters");
	assert_refused("{\"login\":\"a\",\"text\":\"next\\u0085line\"}",
	               "text: control characters");
}

static void
test_embedded_nul(void **state)
{
	(void)state;
	assert_refused("{\"login\":\"adm\\u0000in\"}",
	               "login: control characters");
	assert_refused("{\"login\":\"\\u0000\"}", "login: control characters");
	/* A NUL would cut the string short of its length check too. */
	assert_refused("{\"login\":\"a\",\"text\":\"ok\\u0000\\nhidden\"}",
	               "text: control characters");
	/* The validator never sees a string cut at the NUL. */
	valid_calls = 0;
	assert_refused("{\"login\":\"a\",\"code\":\"abc\\u0000DEF\"}",
	               "code: control characters");
	assert_int_equal(valid_calls, 0);
}

static void
test_integer_ranges(void **state)
{
	struct check c;

	(void)state;
	assert_ok("{\"login\":\"a\",\"age\":6}");
	assert_ok("{\"login\":\"a\",\"age\":18}");
	assert_refused("{\"login\":\"a\",\"age\":5}",
	               "age: must be from 6 to 18");
	assert_refused("{\"login\":\"a\",\"age\":19}",
	               "age: must be from 6 to 18");
	assert_refused("{\"login\":\"a\",\"age\":-12}",
	               "age: must be from 6 to 18");
	assert_refused("{\"login\":\"a\",\"age\":9223372036854775807}",
	               "age: must be from 6 to 18");
	assert_refused("{\"login\":\"a\",\"age\":-9223372036854775808}",
	               "age: must be from 6 to 18");
	check(&c, "{\"login\":\"a\",\"age\":18}");
	assert_int_equal(c.v[F_AGE].i, 18);
	check_done(&c);
}

static void
test_wide_integer_range(void **state)
{
	static const struct input_field wide[] = {
	        {.name = "n",
	         .type = INPUT_INT,
	         .min = INT64_MIN,
	         .max = INT64_MAX},
	};
	struct input_value v;
	char err[128];
	json_t *root;

	(void)state;
	root = parse("{\"n\":-9223372036854775808}");
	assert_int_equal(input_check(root, wide, 1, &v, err, sizeof(err)), 0);
	assert_true(v.i == INT64_MIN);
	json_decref(root);
}

static void
test_validator(void **state)
{
	char json[512];
	struct check c;
	size_t i, off;

	(void)state;
	valid_calls = 0;
	check(&c, "{\"login\":\"a\",\"code\":\"abc\"}");
	assert_int_equal(c.rc, 0);
	assert_int_equal(valid_calls, 1);
	assert_string_equal(c.v[F_CODE].s, "abc");
	check_done(&c);

	assert_refused("{\"login\":\"a\",\"code\":\"ABC\"}",
	               "code: not a valid value");
	assert_refused("{\"login\":\"a\",\"code\":\"\"}",
	               "code: not a valid value");
	/* Absent: never called. */
	valid_calls = 0;
	assert_ok("{\"login\":\"a\"}");
	assert_int_equal(valid_calls, 0);
	/* The length limit comes first: a too-long value is not validated. */
	valid_calls = 0;
	off = (size_t)snprintf(json, sizeof(json),
	                       "{\"login\":\"a\",\"code\":\"");
	for (i = 0; i <= INPUT_STRING_MAX_DEFAULT; i++)
		json[off++] = 'a';
	snprintf(json + off, sizeof(json) - off, "\"}");
	assert_refused(json, "code: at most 256 characters");
	assert_int_equal(valid_calls, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_all_fields),
	        cmocka_unit_test(test_absent_fields_are_cleared),
	        cmocka_unit_test(test_required),
	        cmocka_unit_test(test_null_is_absent),
	        cmocka_unit_test(test_unknown_field),
	        cmocka_unit_test(test_types),
	        cmocka_unit_test(test_max_chars_counts_code_points),
	        cmocka_unit_test(test_control_characters),
	        cmocka_unit_test(test_control_characters_c1_in_multiline),
	        cmocka_unit_test(test_embedded_nul),
	        cmocka_unit_test(test_integer_ranges),
	        cmocka_unit_test(test_wide_integer_range),
	        cmocka_unit_test(test_validator),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
