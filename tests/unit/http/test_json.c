/*
 * http_json_parse(): the nesting limit counted before jansson sees the
 * bytes (exactly HTTP_MAX_JSON_DEPTH passes, one more is 400), brackets
 * and escaped quotes inside strings, malformed input with its line and
 * column, a non-object (422), duplicate keys and NUL (400).  *out is NULL
 * whenever the status is not 0, so a caller cannot use a half result.
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
#include "http/http.h"

struct parsed {
	int status;
	json_t *root;
	char err[256];
};

static void
parse_len(struct parsed *p, const char *body, size_t len)
{
	memset(p, 0, sizeof(*p));
	p->root = (json_t *)(uintptr_t)1; /* must be overwritten */
	p->status =
	        http_json_parse(body, len, &p->root, p->err, sizeof(p->err));
	if (p->status != 0) {
		assert_null(p->root);
		assert_true(p->err[0] != '\0');
	} else {
		assert_non_null(p->root);
		assert_true(json_is_object(p->root));
	}
}

static void
parse(struct parsed *p, const char *body)
{
	parse_len(p, body, strlen(body));
}

static void
parsed_free(struct parsed *p)
{
	if (p->status == 0)
		json_decref(p->root);
}

static void
assert_status(const char *body, int status, const char *err_part)
{
	struct parsed p;

	parse(&p, body);
	if (p.status != status)
		fail_msg("%.60s: status %d (%s); want %d", body, p.status,
		         p.err, status);
	if (err_part != NULL && strstr(p.err, err_part) == NULL)
		fail_msg("%.60s: error \"%s\" lacks \"%s\"", body, p.err,
		         err_part);
	parsed_free(&p);
}

/* Objects nested `depth` deep: {"a":{"a":...{}...}}. */
static char *
nested_objects(int depth)
{
	struct buf b;
	int i;

	buf_init(&b);
	for (i = 1; i < depth; i++)
		buf_puts(&b, "{\"a\":");
	buf_puts(&b, "{}");
	for (i = 1; i < depth; i++)
		buf_putc(&b, '}');
	return buf_steal(&b, NULL);
}

/* An object holding arrays: {"a":[[...[]...]]} with `depth` levels. */
static char *
nested_arrays(int depth)
{
	struct buf b;
	int i;

	buf_init(&b);
	buf_puts(&b, "{\"a\":");
	for (i = 1; i < depth; i++)
		buf_putc(&b, '[');
	for (i = 1; i < depth; i++)
		buf_putc(&b, ']');
	buf_putc(&b, '}');
	return buf_steal(&b, NULL);
}

static void
test_depth_limit(void **state)
{
	char *body;

	(void)state;
	assert_int_equal(HTTP_MAX_JSON_DEPTH, 16);
	body = nested_objects(HTTP_MAX_JSON_DEPTH);
	assert_status(body, 0, NULL);
	free(body);
	body = nested_objects(HTTP_MAX_JSON_DEPTH + 1);
	assert_status(body, 400, "nested deeper than 16 levels");
	free(body);
	body = nested_arrays(HTTP_MAX_JSON_DEPTH);
	assert_status(body, 0, NULL);
	free(body);
	body = nested_arrays(HTTP_MAX_JSON_DEPTH + 1);
	assert_status(body, 400, "nested deeper than 16 levels");
	free(body);
	/* Far deeper than jansson's own limit: still our 400. */
	body = nested_arrays(5000);
	assert_status(body, 400, "nested deeper than 16 levels");
	free(body);
}

/* Depth is nesting, not the number of brackets. */
static void
test_depth_is_not_a_count(void **state)
{
	struct buf b;
	int i;

	(void)state;
	buf_init(&b);
	buf_puts(&b, "{\"list\":[");
	for (i = 0; i < 200; i++)
		buf_printf(&b, "%s{\"x\":[1,{}]}", i ? "," : "");
	buf_puts(&b, "]}");
	assert_status(b.data, 0, NULL);
	buf_free(&b);
}

static void
test_brackets_inside_strings(void **state)
{
	struct parsed p;
	char *body;

	(void)state;
	parse(&p, "{\"s\":\"[[[[[[[[[[[[[[[[[[[[{{{{{{{{{{{{{{{{{{{{\"}");
	assert_int_equal(p.status, 0);
	assert_string_equal(json_string_value(json_object_get(p.root, "s")),
	                    "[[[[[[[[[[[[[[[[[[[[{{{{{{{{{{{{{{{{{{{{");
	parsed_free(&p);
	/* Brackets in keys do not count either. */
	assert_status("{\"[[[[[[[[[[[[[[[[[[[[\":1}", 0, NULL);
	/* An escaped quote does not end the string... */
	parse(&p, "{\"s\":\"\\\"[[[[[[[[[[[[[[[[[[[[\\\"\"}");
	assert_int_equal(p.status, 0);
	assert_string_equal(json_string_value(json_object_get(p.root, "s")),
	                    "\"[[[[[[[[[[[[[[[[[[[[\"");
	parsed_free(&p);
	/* ...but an escaped backslash before a quote does, so what follows
	 * is counted: here 17 levels after a string ending in \\. */
	body = nested_arrays(HTTP_MAX_JSON_DEPTH + 1);
	{
		struct buf b;

		buf_init(&b);
		buf_puts(&b, "{\"s\":\"\\\\\",\"t\":");
		buf_puts(&b, body + 5); /* the arrays and the closing brace */
		assert_status(b.data, 400, "nested deeper");
		buf_free(&b);
	}
	free(body);
}

static void
test_malformed_has_position(void **state)
{
	(void)state;
	assert_status("{\n  \"a\": ,\n}", 400,
	              "malformed JSON at line 2 column");
	assert_status("{\"a\":1,\n\"b\":2,\n\"c\":}", 400,
	              "malformed JSON at line 3 column");
	assert_status("{\"a\":tru}", 400, "malformed JSON at line 1 column");
	assert_status("", 400, "malformed JSON");
	assert_status("   ", 400, "malformed JSON");
	assert_status("{", 400, "malformed JSON");
	assert_status("{} {}", 400, "malformed JSON");
	assert_status("{\"a\":1,}", 400, "malformed JSON");
	assert_status("{'a':1}", 400, "malformed JSON");
	assert_status("{\"a\":\"\xC3\x28\"}", 400, "malformed JSON");
	/* jansson refuses \u0000 unless told otherwise, and we do not. */
	assert_status("{\"a\":\"x\\u0000y\"}", 400, "malformed JSON");
	/* Unbalanced closers are malformed, not a way round the count. */
	assert_status("]]]]]]]]]]]]]]]]]]]]{}", 400, "malformed JSON");
}

static void
test_exact_position(void **state)
{
	struct parsed p;

	(void)state;
	parse(&p, "{\n  \"a\": ,\n}");
	assert_int_equal(p.status, 400);
	assert_non_null(strstr(p.err, "line 2 column 8"));
}

static void
test_non_object_is_422(void **state)
{
	(void)state;
	assert_status("[]", 422, "must be a JSON object");
	assert_status("[{\"a\":1}]", 422, "must be a JSON object");
	/* Well-formed scalars are the wrong shape too, not malformed. */
	assert_status("\"text\"", 422, "must be a JSON object");
	assert_status("42", 422, "must be a JSON object");
	assert_status("null", 422, "must be a JSON object");
	assert_status(" true ", 422, "must be a JSON object");
}

static void
test_duplicate_keys(void **state)
{
	(void)state;
	assert_status("{\"a\":1,\"a\":2}", 400, "malformed JSON");
	assert_status("{\"role\":\"teacher\",\"x\":0,\"role\":\"admin\"}", 400,
	              "role");
	/* The same key in different objects is fine. */
	assert_status("{\"a\":{\"a\":1},\"b\":{\"a\":2}}", 0, NULL);
}

static void
test_length_is_respected(void **state)
{
	struct parsed p;

	(void)state;
	/* Only len bytes are read: the garbage after them is not seen. */
	parse_len(&p, "{\"a\":1}garbage", 7);
	assert_int_equal(p.status, 0);
	assert_int_equal(json_integer_value(json_object_get(p.root, "a")), 1);
	parsed_free(&p);
	/* A cut-off body is malformed. */
	parse_len(&p, "{\"a\":1}", 5);
	assert_int_equal(p.status, 400);
	/* No body at all. */
	parse_len(&p, NULL, 0);
	assert_int_equal(p.status, 400);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_depth_limit),
	        cmocka_unit_test(test_depth_is_not_a_count),
	        cmocka_unit_test(test_brackets_inside_strings),
	        cmocka_unit_test(test_malformed_has_position),
	        cmocka_unit_test(test_exact_position),
	        cmocka_unit_test(test_non_object_is_422),
	        cmocka_unit_test(test_duplicate_keys),
	        cmocka_unit_test(test_length_is_respected),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
