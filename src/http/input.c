/* The checks of input.h. */
#include "http/input.h"

#include <stdio.h>
#include <string.h>

#include "core/utf8.h"

/* Names of unknown fields are echoed back only when short and clean. */
#define INPUT_NAME_SHOWN 64

static const struct input_field *
field_named(const struct input_field *fields, size_t n, const char *name)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (strcmp(fields[k].name, name) == 0)
			return &fields[k];
	return NULL;
}

/*
 * No control characters (C0, DEL, C1); a multiline field may hold tab and
 * line ends.  The text is valid UTF-8 already: jansson checked it.
 */
static bool
text_ok(const char *s, size_t len, bool multiline)
{
	size_t i = 0, n;
	uint32_t cp;

	if (!multiline)
		return !utf8_has_control(s, len);
	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (n == 0)
			return false;
		if ((cp < 0x20 && cp != '\n' && cp != '\t' && cp != '\r') ||
		    (cp >= 0x7f && cp <= 0x9f))
			return false;
		i += n;
	}
	return true;
}

static int
check_one(const struct input_field *f, json_t *v, struct input_value *out,
          char *err, size_t errlen)
{
	size_t max = f->max_chars ? f->max_chars : INPUT_STRING_MAX_DEFAULT;
	const char *s;
	size_t len;

	switch (f->type) {
	case INPUT_STRING:
		if (!json_is_string(v))
			goto type;
		s = json_string_value(v);
		len = json_string_length(v);
		/* jansson accepts \u0000 inside strings; we never do. */
		if (strlen(s) != len || !text_ok(s, len, f->multiline)) {
			snprintf(err, errlen, "%s: control characters",
			         f->name);
			return -1;
		}
		if (utf8_length(s, len) > max) {
			snprintf(err, errlen, "%s: at most %zu characters",
			         f->name, max);
			return -1;
		}
		if (f->valid != NULL && !f->valid(s)) {
			snprintf(err, errlen, "%s: not a valid value", f->name);
			return -1;
		}
		out->s = s;
		break;
	case INPUT_INT:
		if (!json_is_integer(v))
			goto type;
		out->i = json_integer_value(v);
		if (out->i < f->min || out->i > f->max) {
			snprintf(err, errlen, "%s: must be from %lld to %lld",
			         f->name, (long long)f->min, (long long)f->max);
			return -1;
		}
		break;
	case INPUT_BOOL:
		if (!json_is_boolean(v))
			goto type;
		out->b = json_is_true(v);
		break;
	}
	out->present = true;
	return 0;
type:
	snprintf(err, errlen, "%s: must be %s", f->name,
	         f->type == INPUT_STRING ? "a string"
	         : f->type == INPUT_INT  ? "an integer"
	                                 : "true or false");
	return -1;
}

int
input_check(json_t *obj, const struct input_field *fields, size_t n,
            struct input_value *values, char *err, size_t errlen)
{
	const char *key;
	json_t *v;
	size_t k;

	memset(values, 0, n * sizeof(*values));
	json_object_foreach(obj, key, v)
	{
		if (field_named(fields, n, key) != NULL)
			continue;
		if (strlen(key) <= INPUT_NAME_SHOWN &&
		    !utf8_has_control(key, strlen(key)))
			snprintf(err, errlen, "%s: unknown field", key);
		else
			snprintf(err, errlen, "unknown field");
		return -1;
	}
	for (k = 0; k < n; k++) {
		v = json_object_get(obj, fields[k].name);
		if (v == NULL || json_is_null(v)) {
			if (fields[k].required) {
				snprintf(err, errlen, "%s: required",
				         fields[k].name);
				return -1;
			}
			continue;
		}
		if (check_one(&fields[k], v, &values[k], err, errlen) == -1)
			return -1;
	}
	return 0;
}
