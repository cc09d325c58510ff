/*
 * A growable byte buffer for output that is built piece by piece (HTML pages,
 * CSV exports, Prometheus text).  It keeps a NUL after the data so it can be
 * handed out as a C string.  Owned by whoever called buf_init(); release with
 * buf_free() or take the bytes with buf_steal().
 */
#ifndef QORGAN_CORE_BUF_H
#define QORGAN_CORE_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
	bool failed; /* an allocation failed; later appends do nothing */
};

void buf_init(struct buf *b);
void buf_free(struct buf *b);
/* The bytes (malloc'd, NUL-terminated) now belong to the caller. */
char *buf_steal(struct buf *b, size_t *len);
void buf_reset(struct buf *b);

/* Appends; on allocation failure they set b->failed and return -1. */
int buf_append(struct buf *b, const void *data, size_t len);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
/* Appends `s` escaped for HTML text and attribute values. */
int buf_put_html(struct buf *b, const char *s, size_t len);
/* Appends `s` as one CSV field (RFC 4180 quoting when needed). */
int buf_put_csv_field(struct buf *b, const char *s);

#endif
