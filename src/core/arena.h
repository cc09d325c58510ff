/*
 * A region allocator: many small allocations, one free.  Every HTTP request
 * and every CLI command gets one, so handlers never pair mallocs with frees
 * (the h2o mem pool idea).  Memory is zeroed.  Not thread-safe: an arena
 * belongs to one request.
 */
#ifndef QORGAN_CORE_ARENA_H
#define QORGAN_CORE_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

/* A new arena, or NULL when out of memory.  Free with arena_free(). */
struct arena *arena_new(void);
void arena_free(struct arena *a);

/* `size` zeroed bytes aligned for any type, or NULL when out of memory. */
void *arena_alloc(struct arena *a, size_t size);
/* `n` elements of `size`, with the multiplication checked for overflow. */
void *arena_calloc(struct arena *a, size_t n, size_t size);
/* A NUL-terminated copy of the first `len` bytes of `s`, or NULL. */
char *arena_strndup(struct arena *a, const char *s, size_t len);
char *arena_strdup(struct arena *a, const char *s);
/* A formatted string in the arena, or NULL. */
char *arena_printf(struct arena *a, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
        __attribute__((format(printf, 2, 0)));
/* Bytes handed out so far (for tests and metrics). */
size_t arena_used(const struct arena *a);

#endif
