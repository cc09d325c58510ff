/*
 * The output buffer: growth past its first allocation with the bytes and the
 * trailing NUL intact, printf, HTML escaping of all five special characters,
 * CSV quoting with the formula-injection guard, a failed reservation that
 * sticks, and buf_steal() handing over the bytes.  ASan reports a double
 * free or a leak when ownership goes wrong.
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

#define S(lit) (lit), (sizeof(lit) - 1)

static void
test_empty(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_false(b.failed);
	buf_free(&b);
	buf_free(&b); /* twice is harmless: buf_free re-initialises */
	assert_null(b.data);
}

static void
test_growth(void **state)
{
	static const char piece[] = "0123456"; /* 7: never divides a capacity */
	struct buf b;
	size_t i, cap = 0, grown = 0;

	(void)state;
	buf_init(&b);
	for (i = 0; i < 20000; i++) {
		assert_int_equal(buf_append(&b, S(piece)), 0);
		assert_int_equal(b.len, (i + 1) * 7);
		assert_true(b.cap > b.len); /* room for the NUL */
		assert_int_equal(b.data[b.len], '\0');
		if (b.cap != cap)
			grown++;
		cap = b.cap;
	}
	/* Geometric growth: a 100,000-row export must not realloc per row. */
	assert_true(grown <= 16);
	for (i = 0; i < 20000; i++)
		assert_memory_equal(b.data + i * 7, piece, 7);
	assert_int_equal(strlen(b.data), 140000);
	buf_free(&b);
}

static void
test_puts_putc(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	assert_int_equal(buf_puts(&b, "Сәлем"), 0);
	assert_int_equal(buf_putc(&b, ','), 0);
	assert_int_equal(buf_puts(&b, ""), 0);
	assert_int_equal(buf_append(&b, "x", 0), 0);
	assert_int_equal(buf_putc(&b, ' '), 0);
	assert_int_equal(buf_puts(&b, "world"), 0);
	assert_string_equal(b.data, "Сәлем, world");
	assert_int_equal(b.len, strlen("Сәлем, world"));
	/* Bytes, not strings: a NUL in the middle is kept and counted. */
	assert_int_equal(buf_append(&b, S("a\0b")), 0);
	assert_int_equal(b.len, strlen("Сәлем, world") + 3);
	assert_memory_equal(b.data + b.len - 3, "a\0b", 4);
	buf_free(&b);
}

static void
test_printf(void **state)
{
	char big[1000];
	struct buf b;

	(void)state;
	buf_init(&b);
	assert_int_equal(buf_printf(&b, "%d-%s", 42, "x"), 0);
	assert_string_equal(b.data, "42-x");
	assert_int_equal(b.len, 4);
	assert_int_equal(buf_printf(&b, "%s", ""), 0);
	assert_int_equal(b.len, 4);
	/* Longer than the first allocation: reserved, then written whole. */
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(
	        buf_printf(&b, "[%s]%llu", big, 18446744073709551615ull), 0);
	assert_int_equal(b.len, 4 + 1 + 999 + 1 + 20);
	assert_int_equal(b.data[4], '[');
	assert_int_equal(b.data[1004], ']');
	assert_string_equal(b.data + 1005, "18446744073709551615");
	assert_int_equal(b.data[b.len], '\0');
	buf_free(&b);

	/* printf into a fresh buffer allocates it. */
	buf_init(&b);
	assert_int_equal(buf_printf(&b, "%s", ""), 0);
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	buf_free(&b);
}

static void
test_reset(void **state)
{
	struct buf b;
	char *data;

	(void)state;
	buf_init(&b);
	buf_reset(&b); /* on an empty buffer: nothing to do, no crash */
	assert_int_equal(b.len, 0);
	buf_puts(&b, "first contents");
	data = b.data;
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	assert_ptr_equal(b.data, data); /* the memory is kept for reuse */
	buf_puts(&b, "two");
	assert_string_equal(b.data, "two");
	buf_free(&b);
}

static char *
html(const char *s, size_t len)
{
	struct buf b;

	buf_init(&b);
	assert_int_equal(buf_put_html(&b, s, len), 0);
	return buf_steal(&b, NULL);
}

#define assert_html(in, want)                                                  \
	do {                                                                   \
		char *got_ = html(S(in));                                      \
		assert_string_equal(got_, want);                               \
		free(got_);                                                    \
	} while (0)

static void
test_html(void **state)
{
	char *got;

	(void)state;
	assert_html("&", "&amp;");
	assert_html("<", "&lt;");
	assert_html(">", "&gt;");
	assert_html("\"", "&quot;");
	assert_html("'", "&#39;");
	assert_html("<a href=\"x\" title='y'>Tom & Jerry</a>",
	            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;"
	            "Tom &amp; Jerry&lt;/a&gt;");
	/* Already-escaped text is escaped again: no double-decoding. */
	assert_html("&amp;", "&amp;amp;");
	assert_html("", "");
	assert_html("plain Әлия", "plain Әлия");
	assert_html("<<>>", "&lt;&lt;&gt;&gt;");
	/* Only `len` bytes are read. */
	got = html("a<b>c", 2);
	assert_string_equal(got, "a&lt;");
	free(got);
}

static void
test_html_appends(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	buf_puts(&b, "<p>");
	assert_int_equal(buf_put_html(&b, S("1 < 2")), 0);
	buf_puts(&b, "</p>");
	assert_string_equal(b.data, "<p>1 &lt; 2</p>");
	buf_free(&b);
}

static char *
csv(const char *field)
{
	struct buf b;

	buf_init(&b);
	assert_int_equal(buf_put_csv_field(&b, field), 0);
	return buf_steal(&b, NULL);
}

#define assert_csv(in, want)                                                   \
	do {                                                                   \
		char *got_ = csv(in);                                          \
		assert_string_equal(got_, want);                               \
		free(got_);                                                    \
	} while (0)

static void
test_csv_quoting(void **state)
{
	(void)state;
	assert_csv("plain", "plain");
	assert_csv("", "");
	assert_csv("Нұрланов Әлихан", "Нұрланов Әлихан");
	assert_csv("a,b", "\"a,b\"");
	assert_csv("say \"hi\"", "\"say \"\"hi\"\"\"");
	assert_csv("\"", "\"\"\"\"");
	assert_csv("two\nlines", "\"two\nlines\"");
	assert_csv("two\r\nlines", "\"two\r\nlines\"");
	assert_csv("a;b", "a;b");
	/* A formula character inside the field is harmless. */
	assert_csv("a=b", "a=b");
	assert_csv("x-1", "x-1");
}

static void
test_csv_formula_injection(void **state)
{
	(void)state;
	assert_csv("=1+2", "\"'=1+2\"");
	assert_csv("=HYPERLINK(\"http://x\")",
	           "\"'=HYPERLINK(\"\"http://x\"\")\"");
	assert_csv("+77011112233", "\"'+77011112233\"");
	assert_csv("-5", "\"'-5\"");
	assert_csv("@SUM(A1)", "\"'@SUM(A1)\"");
	assert_csv("\tcmd", "\"'\tcmd\"");
	assert_csv("\rcmd", "\"'\rcmd\"");
	assert_csv("=a,b", "\"'=a,b\"");
}

static void
test_csv_row(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	buf_put_csv_field(&b, "k1");
	buf_putc(&b, ',');
	buf_put_csv_field(&b, "Иванов, Пётр");
	buf_putc(&b, ',');
	buf_put_csv_field(&b, "=cmd");
	buf_puts(&b, "\r\n");
	assert_string_equal(b.data, "k1,\"Иванов, Пётр\",\"'=cmd\"\r\n");
	buf_free(&b);
}

static void
test_steal(void **state)
{
	struct buf b;
	size_t len = 99;
	char *p, *q;

	(void)state;
	buf_init(&b);
	buf_puts(&b, "owned by the caller");
	p = buf_steal(&b, &len);
	assert_non_null(p);
	assert_string_equal(p, "owned by the caller");
	assert_int_equal(len, strlen(p));
	/* The buffer let go: it is empty and independent of p. */
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	buf_puts(&b, "new");
	assert_string_equal(p, "owned by the caller");
	q = buf_steal(&b, NULL);
	assert_string_equal(q, "new");
	assert_ptr_not_equal(p, q);
	free(p);
	free(q);
	buf_free(&b);

	/* An empty buffer still yields a string the caller can free. */
	buf_init(&b);
	len = 99;
	p = buf_steal(&b, &len);
	assert_non_null(p);
	assert_string_equal(p, "");
	assert_int_equal(len, 0);
	free(p);
}

/* A reservation that cannot be met fails, and every later append too. */
static void
test_failure_sticks(void **state)
{
	struct buf b;
	size_t len = 99;

	(void)state;
	buf_init(&b);
	assert_int_equal(buf_puts(&b, "kept"), 0);
	assert_int_equal(buf_append(&b, "x", SIZE_MAX), -1);
	assert_true(b.failed);
	assert_int_equal(b.len, 4);
	assert_int_equal(buf_append(&b, "x", SIZE_MAX - 4), -1);
	assert_int_equal(buf_puts(&b, "more"), -1);
	assert_int_equal(buf_putc(&b, 'c'), -1);
	assert_int_equal(buf_printf(&b, "%d", 1), -1);
	assert_int_equal(buf_put_html(&b, S("<")), -1);
	assert_int_equal(b.len, 4);
	assert_string_equal(b.data, "kept");
	/* A failed buffer yields nothing (and frees its bytes). */
	assert_null(buf_steal(&b, &len));
	assert_null(b.data);
	assert_false(b.failed);
	/* And is usable again afterwards. */
	assert_int_equal(buf_puts(&b, "again"), 0);
	assert_string_equal(b.data, "again");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_empty),
	        cmocka_unit_test(test_growth),
	        cmocka_unit_test(test_puts_putc),
	        cmocka_unit_test(test_printf),
	        cmocka_unit_test(test_reset),
	        cmocka_unit_test(test_html),
	        cmocka_unit_test(test_html_appends),
	        cmocka_unit_test(test_csv_quoting),
	        cmocka_unit_test(test_csv_formula_injection),
	        cmocka_unit_test(test_csv_row),
	        cmocka_unit_test(test_steal),
	        cmocka_unit_test(test_failure_sticks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
