/*
 * Declared JSON input, validated once at the edge (Kore's validators): a
 * handler lists the fields it takes, and gets them only after every one has
 * passed its type, length and validator checks.  An unknown field is an
 * error too, so a typo is never silently ignored.
 */
#ifndef QORGAN_HTTP_INPUT_H
#define QORGAN_HTTP_INPUT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum input_type { INPUT_STRING, INPUT_INT, INPUT_BOOL };

struct input_field {
	const char *name;
	enum input_type type;
	bool required;
	size_t max_chars;             /* strings: code points, 0 = 256 */
	int64_t min, max;             /* integers, inclusive */
	bool (*valid)(const char *s); /* strings: optional extra check */
	bool multiline;               /* strings: allow \n, \r and \t */
};

struct input_value {
	bool present;
	const char *s; /* borrowed from the JSON object */
	int64_t i;
	bool b;
};

#define INPUT_STRING_MAX_DEFAULT 256

/*
 * Checks `obj` against `fields` and fills values[k] for fields[k].  Returns
 * 0, or -1 with err naming the field and what is wrong ("login: required").
 */
int input_check(json_t *obj, const struct input_field *fields, size_t n,
                struct input_value *values, char *err, size_t errlen);

#endif
