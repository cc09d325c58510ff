/*
 * Written by hand.  Debian's one C CSV library, libcsv, was the candidate:
 * it is callback-driven, does not report line numbers, knows nothing of
 * UTF-8 or a per-record field limit, and accepts stray quotes unless told
 * otherwise; wrapping it to add all that would be as long as this parser of
 * a small grammar.  Fields are unquoted into one growing buffer, NUL after
 * each, and the field pointers are fixed up only once the record is
 * complete, because the buffer may move as it grows.
 *
 * Line numbers count LF bytes, so a CRLF ending or a newline inside quotes
 * counts once; they are what a person sees in a text editor.
 */
#include "core/csv.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/utf8.h"

enum csv_state { CSV_READING, CSV_END, CSV_FAILED };

struct csv_reader {
	const char *p, *end;
	unsigned long line; /* the line *p is on */
	unsigned long rec_line;
	enum csv_state state;
	struct buf text;
	size_t off[CSV_MAX_FIELDS];
	char *fields[CSV_MAX_FIELDS];
	char err[80];
};

struct csv_reader *
csv_open(const char *data, size_t len)
{
	struct csv_reader *r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	if (data == NULL)
		len = 0;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
	}
	r->p = data;
	r->end = data + len;
	r->line = 1;
	r->state = CSV_READING;
	buf_init(&r->text);
	return r;
}

void
csv_close(struct csv_reader *r)
{
	if (r == NULL)
		return;
	buf_free(&r->text);
	free(r);
}

unsigned long
csv_line(const struct csv_reader *r)
{
	return r->rec_line;
}

const char *
csv_error(const struct csv_reader *r)
{
	return r->err;
}

static int fail(struct csv_reader *r, unsigned long line, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static int
fail(struct csv_reader *r, unsigned long line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->err, sizeof(r->err), fmt, ap);
	va_end(ap);
	r->rec_line = line;
	r->state = CSV_FAILED;
	return -1;
}

/* Appends s[0..len) to the field that began at text offset `start`. */
static int
field_append(struct csv_reader *r, size_t start, unsigned long line,
             const char *s, size_t len)
{
	if (r->text.len - start + len > CSV_MAX_FIELD)
		return fail(r, line, "field longer than %d bytes",
		            CSV_MAX_FIELD);
	if (buf_append(&r->text, s, len) == -1)
		return fail(r, line, "out of memory");
	return 0;
}

static int
read_unquoted(struct csv_reader *r, size_t start)
{
	const char *q;

	for (q = r->p; q < r->end; q++) {
		if (*q == ',' || *q == '\n' || *q == '\r')
			break;
		if (*q == '"')
			return fail(r, r->line,
			            "quote inside an unquoted field");
		if (*q == '\0')
			return fail(r, r->line, "NUL byte");
	}
	if (field_append(r, start, r->line, r->p, (size_t)(q - r->p)) == -1)
		return -1;
	r->p = q;
	return 0;
}

/* Reads from an opening quote to just past its closing quote. */
static int
read_quoted(struct csv_reader *r, size_t start)
{
	unsigned long open_line = r->line;
	const char *q;

	r->p++;
	for (;;) {
		for (q = r->p; q < r->end && *q != '"'; q++) {
			if (*q == '\0')
				return fail(r, r->line, "NUL byte");
			if (*q == '\n')
				r->line++;
		}
		if (field_append(r, start, open_line, r->p,
		                 (size_t)(q - r->p)) == -1)
			return -1;
		if (q == r->end)
			return fail(r, open_line, "quoted field never closes");
		if (q + 1 < r->end && q[1] == '"') {
			if (field_append(r, start, open_line, "\"", 1) == -1)
				return -1;
			r->p = q + 2;
			continue;
		}
		r->p = q + 1;
		return 0;
	}
}

/* Checks the field at text offset `start`, begun on line `line`. */
static int
check_utf8(struct csv_reader *r, size_t start, unsigned long line,
           size_t nfield)
{
	const char *f = r->text.data + start;
	size_t len = r->text.len - start, bad, i;

	bad = utf8_valid_prefix(f, len);
	if (bad == len)
		return 0;
	for (i = 0; i < bad; i++)
		if (f[i] == '\n')
			line++;
	return fail(r, line, "invalid UTF-8 in field %zu", nfield + 1);
}

static void
skip_empty_lines(struct csv_reader *r)
{
	while (r->p < r->end) {
		if (r->p[0] == '\n') {
			r->p++;
		} else if (r->p[0] == '\r' && r->p + 1 < r->end &&
		           r->p[1] == '\n') {
			r->p += 2;
		} else {
			break;
		}
		r->line++;
	}
}

int
csv_next(struct csv_reader *r, char ***fields, size_t *nfields)
{
	size_t n = 0, start, i;
	unsigned long line;

	if (r->state == CSV_FAILED)
		return -1;
	skip_empty_lines(r);
	if (r->p == r->end) {
		r->state = CSV_END;
		return 0;
	}
	r->rec_line = r->line;
	buf_reset(&r->text);
	for (;;) {
		if (n == CSV_MAX_FIELDS)
			return fail(r, r->line, "more than %d fields",
			            CSV_MAX_FIELDS);
		start = r->off[n] = r->text.len;
		line = r->line;
		if (r->p < r->end && *r->p == '"') {
			if (read_quoted(r, start) == -1)
				return -1;
		} else if (read_unquoted(r, start) == -1) {
			return -1;
		}
		if (check_utf8(r, start, line, n) == -1)
			return -1;
		if (buf_putc(&r->text, '\0') == -1)
			return fail(r, line, "out of memory");
		n++;
		if (r->p == r->end)
			break;
		if (*r->p == ',') {
			r->p++;
			continue;
		}
		if (*r->p == '\n') {
			r->p++;
			r->line++;
			break;
		}
		if (*r->p == '\r') {
			if (r->p + 1 < r->end && r->p[1] == '\n') {
				r->p += 2;
				r->line++;
				break;
			}
			return fail(r, r->line,
			            "carriage return without line feed");
		}
		return fail(r, r->line, "text after a closing quote");
	}
	for (i = 0; i < n; i++)
		r->fields[i] = r->text.data + r->off[i];
	*fields = r->fields;
	*nfields = n;
	return 1;
}
