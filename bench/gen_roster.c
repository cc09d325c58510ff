/*
 * Writes a generated roster of N students to stdout, for `make bench`: the
 * same generator the demo uses, so the benchmark imports realistic rows.
 */
#include <stdio.h>
#include <stdlib.h>

#include "core/buf.h"
#include "demo/demo.h"

int
main(int argc, char **argv)
{
	struct buf csv;
	unsigned long n;
	char *end;

	if (argc != 2 || (n = strtoul(argv[1], &end, 10)) == 0 ||
	    *end != '\0' || n > 1000000) {
		fprintf(stderr, "usage: bench_roster_gen STUDENTS\n");
		return 2;
	}
	buf_init(&csv);
	if (demo_roster_csv(&csv, (unsigned)n, 7) == -1 ||
	    fwrite(csv.data, 1, csv.len, stdout) != csv.len) {
		buf_free(&csv);
		return 1;
	}
	buf_free(&csv);
	return 0;
}
