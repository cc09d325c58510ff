/*
 * The demo school: `serve --demo` and `make run` create school `demo` with
 * about 600 students in grades 1-11, their guardians (some without
 * consent), staff of every role, one gate and one till.  The data are
 * generated, not real: names are drawn from common Kazakh and Russian
 * names, phones and e-mails from ranges that reach nobody.
 */
#ifndef QORGAN_DEMO_DEMO_H
#define QORGAN_DEMO_DEMO_H

#include <stdio.h>

#include "core/arena.h"
#include "core/buf.h"
#include "store/store.h"

#define DEMO_SCHOOL   "demo"
#define DEMO_PASSWORD "qorgan-demo-2026"

/*
 * Creates the demo data unless school `demo` exists; either way prints the
 * demo logins to `out`.  Returns 0 or -1.
 */
int demo_ensure(struct store *db, struct arena *arena, FILE *out);

/*
 * Writes a roster CSV of `students` generated students (the contract's
 * columns) to `out`; `seed` makes it repeatable.  Used by the demo and by
 * the import benchmark.
 */
int demo_roster_csv(struct buf *out, unsigned students, unsigned seed);

#endif
