/*
 * The byte sequences come from Unicode table 3-7 and Markus Kuhn's
 * UTF-8 decoder stress test: each boundary is tried on both sides.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/utf8.h"

#define S(lit) (lit), (sizeof(lit) - 1)

static void
test_valid(void **state)
{
	(void)state;
	assert_true(utf8_valid(S("")));
	assert_true(utf8_valid(S("roster,ok\r\n")));
	assert_true(utf8_valid(S("Әлия Нұрланқызы")));
	assert_true(utf8_valid(S("Ёлкин Пётр")));
	assert_true(utf8_valid(S("\xF0\x9F\x98\x80"))); /* U+1F600 */
	assert_true(utf8_valid(S("\xF4\x8F\xBF\xBF"))); /* U+10FFFF */
	assert_true(utf8_valid(S("\xED\x9F\xBF")));     /* U+D7FF */
	assert_true(utf8_valid(S("\xEE\x80\x80")));     /* U+E000 */
	assert_true(utf8_valid(S("\xC2\x80")));         /* U+0080 */
	assert_true(utf8_valid(S("\xE0\xA0\x80")));     /* U+0800 */
	assert_true(utf8_valid(S("\xF0\x90\x80\x80"))); /* U+10000 */
	assert_true(utf8_valid(S("a\0b")));             /* NUL is a byte */
}

static void
test_invalid(void **state)
{
	(void)state;
	/* Overlong forms. */
	assert_false(utf8_valid(S("\xC0\xAF")));
	assert_false(utf8_valid(S("\xC1\xBF")));
	assert_false(utf8_valid(S("\xE0\x80\xAF")));
	assert_false(utf8_valid(S("\xE0\x9F\xBF")));
	assert_false(utf8_valid(S("\xF0\x8F\xBF\xBF")));
	/* Surrogates. */
	assert_false(utf8_valid(S("\xED\xA0\x80")));
	assert_false(utf8_valid(S("\xED\xBF\xBF")));
	/* Past U+10FFFF, and bytes that never occur. */
	assert_false(utf8_valid(S("\xF4\x90\x80\x80")));
	assert_false(utf8_valid(S("\xF5\x80\x80\x80")));
	assert_false(utf8_valid(S("\xFE")));
	assert_false(utf8_valid(S("\xFF")));
	/* Truncated, or a continuation byte where a lead is wanted. */
	assert_false(utf8_valid(S("\xD3")));
	assert_false(utf8_valid(S("\xE2\x82")));
	assert_false(utf8_valid(S("\xF0\x9F\x98")));
	assert_false(utf8_valid(S("\x80")));
	assert_false(utf8_valid(S("\xD0"
	                          "A")));
	assert_false(utf8_valid(S("\xE2\x82"
	                          "A")));
	/* A valid letter cut short by the length. */
	assert_false(utf8_valid("\xD3\x98", 1));
	/* One bad byte at the end of good text. */
	assert_false(utf8_valid(S("Әлия\xA0")));
}

static void
test_valid_prefix(void **state)
{
	(void)state;
	assert_int_equal(utf8_valid_prefix(S("")), 0);
	assert_int_equal(utf8_valid_prefix(S("Әлия")), 8);
	assert_int_equal(utf8_valid_prefix(S("ab\xFF"
	                                     "cd")),
	                 2);
	assert_int_equal(utf8_valid_prefix(S("Ә\xED\xA0\x80")), 2);
	assert_int_equal(utf8_valid_prefix(S("\x80")), 0);
}

static void
test_length(void **state)
{
	(void)state;
	assert_int_equal(utf8_length(S("")), 0);
	assert_int_equal(utf8_length(S("abc")), 3);
	assert_int_equal(utf8_length(S("Әлия")), 4);
	assert_int_equal(utf8_length(S("Әлия Нұрланқызы")), 15);
	assert_int_equal(utf8_length(S("Ёлкин Пётр")), 10);
	assert_int_equal(utf8_length(S("\xF0\x9F\x98\x80")), 1);
	/* Invalid bytes count one each. */
	assert_int_equal(utf8_length(S("\xFF\xFE")), 2);
	assert_int_equal(utf8_length(S("a\xD3")), 2);
	assert_int_equal(utf8_length(S("\xE2\x82")), 2);
	assert_int_equal(utf8_length("\xD3\x98", 1), 1);
}

static void
test_has_control(void **state)
{
	(void)state;
	assert_false(utf8_has_control(S("")));
	assert_false(utf8_has_control(S("Әлия Нұрланқызы")));
	assert_false(utf8_has_control(S("O'Brien-Smith ~")));
	assert_false(utf8_has_control(S("\xC2\xA0"))); /* NBSP */
	assert_false(utf8_has_control(S("\xC2\xA1")));
	assert_true(utf8_has_control(S("a\tb")));
	assert_true(utf8_has_control(S("a\nb")));
	assert_true(utf8_has_control(S("a\rb")));
	assert_true(utf8_has_control(S("\x01")));
	assert_true(utf8_has_control(S("\x1F")));
	assert_true(utf8_has_control(S("a\0b")));
	assert_true(utf8_has_control(S("\x7F")));
	assert_true(utf8_has_control(S("Ә\xC2\x80"))); /* U+0080 */
	assert_true(utf8_has_control(S("\xC2\x85")));  /* NEL */
	assert_true(utf8_has_control(S("\xC2\x9F")));
	/* A lone 0x85 is an invalid byte, not an encoded C1 control. */
	assert_false(utf8_has_control(S("\x85")));
	/* A control after invalid bytes is still found. */
	assert_true(utf8_has_control(S("\xFF\x1B")));
}

static void
test_decode(void **state)
{
	uint32_t cp = 42;

	(void)state;
	assert_int_equal(utf8_decode("", 0, &cp), 0);
	assert_int_equal(cp, 42);
	assert_int_equal(utf8_decode(S("A"), &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(utf8_decode(S("Әлия"), &cp), 2);
	assert_int_equal(cp, 0x04D8);
	assert_int_equal(utf8_decode(S("\xE2\x82\xB8"), &cp), 3);
	assert_int_equal(cp, 0x20B8); /* the tenge sign */
	assert_int_equal(utf8_decode(S("\xF4\x8F\xBF\xBF"), &cp), 4);
	assert_int_equal(cp, 0x10FFFF);
	cp = 7;
	assert_int_equal(utf8_decode(S("\xC0\x80"), &cp), 0);
	assert_int_equal(utf8_decode("\xD3\x98", 1, &cp), 0);
	assert_int_equal(utf8_decode("\xE2\x82\xB8", 2, &cp), 0);
	assert_int_equal(utf8_decode("\xF4\x8F\xBF\xBF", 3, &cp), 0);
	assert_int_equal(cp, 7);
}

static void
test_encode_round_trip(void **state)
{
	static const uint32_t cps[] = {0,       0x7F,    0x80,   0x7FF,
	                               0x800,   0xD7FF,  0xE000, 0xFFFF,
	                               0x10000, 0x10FFFF};
	char out[UTF8_MAX_SEQ];
	uint32_t back;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
		n = utf8_encode(cps[i], out);
		assert_true(n >= 1 && n <= 4);
		assert_int_equal(utf8_decode(out, n, &back), n);
		assert_int_equal(back, cps[i]);
	}
	assert_int_equal(utf8_encode(0x04D8, out), 2);
	assert_memory_equal(out, "Ә", 2);
	assert_int_equal(utf8_encode(0xD800, out), 0);
	assert_int_equal(utf8_encode(0xDFFF, out), 0);
	assert_int_equal(utf8_encode(0x110000, out), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_valid),
	        cmocka_unit_test(test_invalid),
	        cmocka_unit_test(test_valid_prefix),
	        cmocka_unit_test(test_length),
	        cmocka_unit_test(test_has_control),
	        cmocka_unit_test(test_decode),
	        cmocka_unit_test(test_encode_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
