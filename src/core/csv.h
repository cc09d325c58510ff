/*
 * A streaming RFC 4180 reader for files people upload (rosters exported from
 * Excel or LibreOffice).  It reads from memory: the caller has already
 * capped and loaded the file, so a record is never split across reads.
 *
 * Anything the RFC does not allow is an error rather than a guess, because
 * a guessed field boundary would put one child's data in another's row:
 * a quote inside an unquoted field, text after a closing quote, a bare CR,
 * a NUL byte, invalid UTF-8, and any field or record past the limits below.
 * Empty lines are skipped; a UTF-8 byte order mark at the start is ignored.
 */
#ifndef QORGAN_CORE_CSV_H
#define QORGAN_CORE_CSV_H

#include <stddef.h>

#define CSV_MAX_FIELD  4096 /* bytes in one field, after unquoting */
#define CSV_MAX_FIELDS 64   /* fields in one record */

struct csv_reader;

/*
 * A reader over data[0..len), which must stay unchanged until csv_close().
 * Returns NULL when out of memory.
 */
struct csv_reader *csv_open(const char *data, size_t len);
void csv_close(struct csv_reader *r);

/*
 * Reads the next record: returns 1 and points *fields at *nfields
 * NUL-terminated fields, 0 at the end of the input, or -1 on an error
 * (csv_error() says what, csv_line() where).  The fields belong to the
 * reader and stay valid until the next call or csv_close(); the caller may
 * modify them in place.  After -1 or 0 every later call returns the same.
 */
int csv_next(struct csv_reader *r, char ***fields, size_t *nfields);

/*
 * The 1-based physical line where the last record started; after an error,
 * the line of the fault itself (for an unclosed quote, where it opened).
 */
unsigned long csv_line(const struct csv_reader *r);

/* What went wrong, without the line number; "" when nothing has. */
const char *csv_error(const struct csv_reader *r);

#endif
