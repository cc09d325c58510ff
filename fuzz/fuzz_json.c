/*
 * JSON input as every API handler reads it: the depth limit and jansson's
 * parser (http_json_parse), then the declared-field checks (input_check)
 * with fields of each type.  Aborts when an accepted value breaks what the
 * checks promise.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "http/http.h"
#include "http/input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct input_field fields[] = {
        {.name = "login",
         .type = INPUT_STRING,
         .required = true,
         .max_chars = 16},
        {.name = "text",
         .type = INPUT_STRING,
         .max_chars = 64,
         .multiline = true},
        {.name = "amount", .type = INPUT_INT, .min = 1, .max = 1000000},
        {.name = "granted", .type = INPUT_BOOL},
};

#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input_value in[NFIELDS];
	char err[256];
	json_t *root;
	int status;

	status = http_json_parse((const char *)data, size, &root, err,
	                         sizeof(err));
	if (status != 0) {
		if (root != NULL || err[0] == '\0')
			abort();
		return 0;
	}
	if (input_check(root, fields, NFIELDS, in, err, sizeof(err)) == 0) {
		if (!in[0].present ||
		    utf8_length(in[0].s, strlen(in[0].s)) > 16 ||
		    utf8_has_control(in[0].s, strlen(in[0].s)))
			abort();
		if (in[2].present && (in[2].i < 1 || in[2].i > 1000000))
			abort();
	} else if (err[0] == '\0') {
		abort();
	}
	json_decref(root);
	return 0;
}
