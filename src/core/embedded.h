/*
 * Files compiled into the program by cmake/embed.cmake: SQL migrations, page
 * templates, static assets and translation catalogues.  Each table ends with
 * an entry whose name is NULL.  The bytes are followed by a NUL so text files
 * can be used as C strings; `size` does not count it.
 */
#ifndef QORGAN_CORE_EMBEDDED_H
#define QORGAN_CORE_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
	const char *name;
	const unsigned char *data;
	size_t size;
};

extern const struct embedded_file embedded_migrations[];
extern const struct embedded_file embedded_templates[];
extern const struct embedded_file embedded_static[];
extern const struct embedded_file embedded_catalogues[];

/* The entry called `name` in `table`, or NULL. */
const struct embedded_file *embedded_find(const struct embedded_file *table,
                                          const char *name);

#endif
