/*
 * libFuzzer driver for the roster CSV reader: every input must end in a
 * record stream, end of input or a reported error, never a crash, a leak or
 * undefined behaviour.  It also checks the reader's promises that a fuzzer
 * cannot see as a crash: field counts and lengths stay within the limits,
 * fields are valid UTF-8 without NUL, and an error is sticky and explained.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csv_reader *r;
	char **fields;
	size_t n, i, len;
	unsigned long last = 0;
	int rc;

	if ((r = csv_open((const char *)data, size)) == NULL)
		return 0;
	while ((rc = csv_next(r, &fields, &n)) == 1) {
		if (n == 0 || n > CSV_MAX_FIELDS || csv_line(r) <= last)
			abort();
		last = csv_line(r);
		for (i = 0; i < n; i++) {
			len = strlen(fields[i]);
			if (len > CSV_MAX_FIELD || !utf8_valid(fields[i], len))
				abort();
		}
	}
	if (rc == -1 && (csv_error(r)[0] == '\0' || csv_line(r) == 0 ||
	                 csv_next(r, &fields, &n) != -1))
		abort();
	csv_close(r);
	return 0;
}
