/*
 * Attendance: what the gates' passes say about each student's school day.
 * The access module's second public face (the first is access.h), included
 * by `serve` to register its routes.
 *
 * For a student and a day, only allowed passes count:
 *   first_in   the earliest allowed "in";
 *   last_out   the latest allowed "out";
 *   minutes    from first_in (or the first pass when there is no "in") to
 *              last_out, or to the last pass when there is no "out" after
 *              the start;
 *   late       the first "in" is in a minute after the class's starts_at
 *              ("HH:MM"): 08:00:59 is on time for 08:00, 08:01 is late;
 *   absent     no allowed pass that day (a denied pass does not count);
 *   left_early the day's last pass is an "out" before the end of the
 *              class's shift (ATTENDANCE_SHIFT*_END).
 *
 * Simplifications, to be lifted later: days and times of day are UTC, not
 * the school's time zone; the shift ends are fixed constants, not a
 * timetable; every calendar day counts (weekends and holidays too); a class
 * is its active students of today, so a student who left or moved class
 * shows in their class of today.
 *
 * Read models are jansson objects owned by the caller.  They hold names:
 * whoever shows one records the read with audit_record_read() first.
 */
#ifndef QORGAN_ACCESS_ATTENDANCE_H
#define QORGAN_ACCESS_ATTENDANCE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* Results: 0, or a negative value saying what kind of failure it was. */
enum attendance_rc {
	ATTENDANCE_OK = 0,
	ATTENDANCE_ERROR = -1,     /* the database failed; logged */
	ATTENDANCE_NOT_FOUND = -2, /* no such class */
	ATTENDANCE_INVALID = -3,   /* a bad date or range */
};

/* The end of a shift's school day, minutes after midnight (UTC for now). */
#define ATTENDANCE_SHIFT1_END (13 * 60)
#define ATTENDANCE_SHIFT2_END (18 * 60)
#define ATTENDANCE_SHIFT3_END (20 * 60)
/* The longest range of days one class report may cover. */
#define ATTENDANCE_RANGE_MAX_DAYS 62

/* One allowed pass of a student on one day, as the summary reads it. */
struct attendance_pass {
	int64_t at; /* epoch seconds */
	bool in;    /* direction "in", else "out" */
};

/* A student's day. */
struct attendance_day {
	bool absent;
	bool late;
	bool left_early;
	bool has_in, has_out;
	int64_t first_in; /* epoch seconds; valid when has_in */
	int64_t last_out; /* valid when has_out */
	int64_t minutes;
};

/*
 * Summarises the allowed passes of one day, oldest first, against the
 * class's start (minutes after midnight) and its day's end (likewise).
 * Pure: no database, for the unit tests.
 */
void attendance_summarise(const struct attendance_pass *passes, size_t n,
                          int starts_min, int ends_min,
                          struct attendance_day *out);

/* The end of the school day for a shift (1..3), minutes after midnight. */
int attendance_shift_end(int shift);

/*
 * The class's day (date YYYY-MM-DD):
 * {class, shift, starts_at, date, class_id,
 *  counts:{students, present, late, absent, left_early},
 *  students:[{ref, full_name, first_in, last_out, minutes, late, absent,
 *             left_early}]} by name; first_in and last_out are RFC 3339
 * UTC timestamps or null.  `class_name` in any spelling people accepts.
 * ATTENDANCE_NOT_FOUND for an unknown class, ATTENDANCE_INVALID for a bad
 * date.
 */
int attendance_class_day(struct store *db, int64_t school_id,
                         const char *class_name, const char *date,
                         json_t **out);

/*
 * The school's day: {date, counts:{...as above},
 *  classes:[{name, shift, starts_at, counts:{...}}]} by class name.  No
 * names of students.
 */
int attendance_school_day(struct store *db, int64_t school_id, const char *date,
                          json_t **out);

/*
 * The class over the days from..to (inclusive, at most
 * ATTENDANCE_RANGE_MAX_DAYS): {class, class_id, from, to, dates:[...],
 *  students:[{ref, full_name, marks, days:[{date, first_in, last_out,
 *             minutes, late, absent, left_early}]}]} where marks has one
 * letter a day: P present, L late, E left early (late wins), A absent.
 */
int attendance_class_range(struct store *db, int64_t school_id,
                           const char *class_name, const char *from,
                           const char *to, json_t **out);

/* --- HTTP --------------------------------------------------------------- */

struct http_server;

/* Registers the attendance pages and JSON and CSV routes. */
int attendance_http_register(struct http_server *srv);

#endif
