/*
 * Attendance: what the gates' passes say about each student's school day,
 * counted against the school's calendar.  The access module's second
 * public face (the first is access.h), included by `serve` to register its
 * routes.
 *
 * The calendar (calendar.c, calendar_store.c) is per school: a fixed UTC
 * offset in minutes (default +300: Kazakhstan has one zone since 2024; a
 * fixed offset needs no TZ and is safe in threads), the local end of each
 * shift's day, a five- or six-day week, and holidays and vacations as
 * ranges of local days, of the school or of its whole region.  Every day
 * and time of day below is the school's local one; passes are stored in
 * UTC and cut into local days here.
 *
 * For a student and a school day, only allowed passes count:
 *   first_in   the earliest allowed "in";
 *   last_out   the latest allowed "out";
 *   minutes    from first_in (or the first pass when there is no "in") to
 *              last_out, or to the last pass when there is no "out" after
 *              the start;
 *   late       the first "in" is in a local minute after the class's
 *              starts_at ("HH:MM"): 08:00:59 is on time for 08:00, 08:01
 *              is late;
 *   absent     no allowed pass that day (a denied pass does not count);
 *   left_early the day's last pass is an "out" before the local end of the
 *              class's shift.
 * A day off (the week's rest days), a holiday and a day after the school's
 * today are no school days: nobody is absent, late or early on them and
 * they are left out of every count.
 *
 * Still true: a class is its active students of today, so a student who
 * left or moved class shows in their class of today.
 *
 * A class teacher sees only the classes bound to them (user_classes; see
 * auth_class_visible()); the school-wide read models take that user's id
 * to count only those classes.
 *
 * Read models are jansson objects owned by the caller.  Those of a class
 * hold names: whoever shows one records the read with audit_record_read()
 * first.  School and region models hold counts only.
 */
#ifndef QORGAN_ACCESS_ATTENDANCE_H
#define QORGAN_ACCESS_ATTENDANCE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "core/buf.h"
#include "store/store.h"
#include "web/i18n.h"

/* Results: 0, or a negative value saying what kind of failure it was. */
enum attendance_rc {
	ATTENDANCE_OK = 0,
	ATTENDANCE_ERROR = -1,     /* the database failed; logged */
	ATTENDANCE_NOT_FOUND = -2, /* no such class, school or holiday */
	ATTENDANCE_INVALID = -3,   /* a bad date, range or setting */
	ATTENDANCE_FULL = -4,      /* ATTENDANCE_HOLIDAYS_MAX reached */
};

/* The calendar's defaults, used until a school changes them. */
#define ATTENDANCE_OFFSET_DEFAULT     300 /* minutes east of UTC: UTC+5 */
#define ATTENDANCE_OFFSET_MIN         (-12 * 60)
#define ATTENDANCE_OFFSET_MAX         (14 * 60)
#define ATTENDANCE_WEEK_DEFAULT       5 /* Monday to Friday */
#define ATTENDANCE_SHIFT1_END_DEFAULT (13 * 60)
#define ATTENDANCE_SHIFT2_END_DEFAULT (18 * 60)
#define ATTENDANCE_SHIFT3_END_DEFAULT (20 * 60)
#define ATTENDANCE_SHIFTS             3
/* Named limits. */
#define ATTENDANCE_RANGE_MAX_DAYS   62  /* days of one range report */
#define ATTENDANCE_HOLIDAY_DAYS_MAX 366 /* days of one holiday range */
#define ATTENDANCE_HOLIDAY_NAME_MAX 100 /* characters of its name */
#define ATTENDANCE_HOLIDAYS_MAX     200 /* ranges per school, per region */
#define ATTENDANCE_DATE_SIZE        11  /* "YYYY-MM-DD" and its NUL */
#define ATTENDANCE_TIME_SIZE        26  /* "YYYY-MM-DDTHH:MM:SS+05:00" */

/* --- The calendar (calendar.c: pure) ------------------------------------ */

/* Days are numbered from 1970-01-01 (day 0), in the school's local time. */
struct attendance_holiday {
	int64_t first, last; /* local days, inclusive */
	char *name;          /* owned by the calendar */
};

struct attendance_calendar {
	int offset_min; /* local time = UTC + offset_min minutes */
	int week_days;  /* 5: Monday..Friday; 6: Monday..Saturday */
	int shift_end[ATTENDANCE_SHIFTS]; /* local minutes after midnight */
	int64_t today; /* the local day of now: later days are not counted */
	struct attendance_holiday *holidays;
	size_t nholidays;
};

enum attendance_day_kind {
	ATTENDANCE_SCHOOL_DAY,
	ATTENDANCE_DAY_OFF, /* a rest day of the week */
	ATTENDANCE_HOLIDAY,
	ATTENDANCE_FUTURE, /* after the school's today */
};

/* The defaults, no holidays, today from `now` (epoch seconds). */
void attendance_calendar_default(struct attendance_calendar *cal, int64_t now);
/* Frees the holidays; the calendar is then the defaults' shape, empty. */
void attendance_calendar_free(struct attendance_calendar *cal);

/* The local day and the local minute after midnight of an epoch second. */
int64_t attendance_local_day(const struct attendance_calendar *cal, int64_t at);
int attendance_local_minute(const struct attendance_calendar *cal, int64_t at);
/* The epoch second at which local day `day` begins. */
int64_t attendance_day_start(const struct attendance_calendar *cal,
                             int64_t day);
/* 0 Monday .. 6 Sunday. */
int attendance_weekday(int64_t day);
/*
 * What kind of day `day` is.  For a holiday *name (may be NULL) gets its
 * name, owned by the calendar.
 */
enum attendance_day_kind
attendance_day_kind(const struct attendance_calendar *cal, int64_t day,
                    const char **name);
/* "school", "day_off", "holiday" or "future". */
const char *attendance_day_kind_name(enum attendance_day_kind kind);
/* The local end of the day of shift 1..3 (another value: shift 1). */
int attendance_shift_end(const struct attendance_calendar *cal, int shift);

/* A valid YYYY-MM-DD as a day number: 0, or -1 when it is not one. */
int attendance_date_day(const char *date, int64_t *day);
void attendance_day_date(int64_t day, char out[ATTENDANCE_DATE_SIZE]);
/* The Monday..Sunday week and the calendar month that hold `day`. */
void attendance_week_of(int64_t day, int64_t *first, int64_t *last);
void attendance_month_of(int64_t day, int64_t *first, int64_t *last);
/* The epoch second in local RFC 3339 with the offset
 * ("2024-09-02T08:05:00+05:00"). */
void attendance_time_local(const struct attendance_calendar *cal, int64_t at,
                           char out[ATTENDANCE_TIME_SIZE]);
/* "HH:MM" as minutes after midnight; -1 when it is not a time. */
int attendance_hhmm(const char *s);

/* What a school may set, and the check of each value. */
struct attendance_settings {
	int offset_min;
	int week_days;
	int shift_end[ATTENDANCE_SHIFTS]; /* minutes after local midnight */
};

/*
 * NULL when the settings may be stored, else the name of the first bad
 * field as the JSON API calls it: "utc_offset_minutes" (outside
 * ATTENDANCE_OFFSET_MIN..MAX or not a whole quarter hour), "week_days"
 * (5 or 6), "shift1_end".."shift3_end" (00:00..23:59).
 */
const char *attendance_settings_invalid(const struct attendance_settings *s);
/*
 * NULL when a holiday from..to named `name` may be stored, else the bad
 * field: "first_day", "last_day" (not a date, before first_day, or more
 * than ATTENDANCE_HOLIDAY_DAYS_MAX days), "name" (1..100 characters of
 * text without control characters).
 */
const char *attendance_holiday_invalid(const char *first_day,
                                       const char *last_day, const char *name);

/* --- The calendar in the database (calendar_store.c) ------------------- */

/*
 * Loads the school's calendar, with the holidays of the school and of its
 * region that touch local days first..last.  The caller frees it with
 * attendance_calendar_free().  ATTENDANCE_OK or ATTENDANCE_ERROR.
 */
int attendance_calendar_load(struct store *db, int64_t school_id, int64_t first,
                             int64_t last, struct attendance_calendar *cal);

/* The school's today as YYYY-MM-DD, by its own clock. */
int attendance_today(struct store *db, int64_t school_id,
                     char out[ATTENDANCE_DATE_SIZE]);

/*
 * The calendar as the API shows it: {utc_offset_minutes, week_days,
 * shift1_end, shift2_end, shift3_end ("HH:MM"), region (code or null),
 * holidays:[{id, first_day, last_day, name, scope: "school"|"region"}]}
 * by first_day.
 */
int attendance_calendar_get(struct store *db, int64_t school_id, json_t **out);

/*
 * Stores the settings (checked again here) in one transaction, or the
 * caller's, with the audit line "calendar.set".  ATTENDANCE_INVALID,
 * ATTENDANCE_ERROR or ATTENDANCE_OK.
 */
int attendance_calendar_set(struct store *db, const struct principal *p,
                            int64_t school_id,
                            const struct attendance_settings *s);

/*
 * Adds a holiday of the school, or with region_wide of every school of the
 * school's region (ATTENDANCE_NOT_FOUND when it has none), audited as
 * "calendar.holiday.add".  ATTENDANCE_FULL past ATTENDANCE_HOLIDAYS_MAX.
 * *id gets the new row's id.
 */
int attendance_holiday_add(struct store *db, const struct principal *p,
                           int64_t school_id, bool region_wide,
                           const char *first_day, const char *last_day,
                           const char *name, int64_t *id);

/*
 * Deletes holiday `id` of the school or of its region, audited as
 * "calendar.holiday.delete".  ATTENDANCE_NOT_FOUND for another school's or
 * another region's, or none.  A region-wide one concerns every school of
 * the region: ask attendance_holiday_scope() first when that needs more
 * rights.
 */
int attendance_holiday_delete(struct store *db, const struct principal *p,
                              int64_t school_id, int64_t id);
/* Whether holiday `id`, seen from the school, is region-wide: 1, 0, or an
 * attendance_rc (ATTENDANCE_NOT_FOUND, ATTENDANCE_ERROR). */
int attendance_holiday_scope(struct store *db, int64_t school_id, int64_t id);

/* --- The rules and read models (attendance.c) --------------------------- */

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
 * Summarises the allowed passes of one school day, oldest first, against
 * the class's start and its shift's end (local minutes after midnight) in
 * a school whose clock is offset_min minutes east of UTC.  Pure: no
 * database, for the unit tests.
 */
void attendance_summarise(const struct attendance_pass *passes, size_t n,
                          int offset_min, int starts_min, int ends_min,
                          struct attendance_day *out);

/*
 * Counts in every read model: counts {students, student_days, present,
 * late, absent, left_early, rate} where students are the students counted,
 * student_days their school days, present..left_early are student-days
 * and rate is present / student_days in percent with one decimal (null
 * without school days).  A day's entry: {date, weekday (0 Monday), kind
 * ("school", "day_off", "holiday", "future"), holiday (name or null),
 * counts}.
 */

/*
 * The class over local days from..to (inclusive, at most
 * ATTENDANCE_RANGE_MAX_DAYS): {class, class_id, shift, starts_at, from,
 * to, school_days, counts, days:[day entries],
 *  students:[{ref, full_name, marks, counts, days:[{date, first_in,
 *             last_out, minutes, late, absent, left_early}]}]} by name.
 * marks has one letter a day: P present, L late, E left early (late
 * wins), A absent, and for no school day - a day off, H a holiday, . the
 * future.  first_in and last_out are local RFC 3339 times or null.
 * `class_name` in any spelling people accepts.  ATTENDANCE_NOT_FOUND for
 * an unknown class, ATTENDANCE_INVALID for a bad date or range.
 */
int attendance_class_range(struct store *db, int64_t school_id,
                           const char *class_name, const char *from,
                           const char *to, json_t **out);

/*
 * The class's day: {class, class_id, shift, starts_at, date, kind,
 * holiday, counts, students:[{ref, full_name, first_in, last_out,
 * minutes, late, absent, left_early}]} by name.
 */
int attendance_class_day(struct store *db, int64_t school_id,
                         const char *class_name, const char *date,
                         json_t **out);

/*
 * The school over local days from..to: {from, to, students, school_days,
 * counts, days:[day entries], classes:[{name, shift, starts_at, counts}]}
 * by grade and name.  With only_user > 0 only the classes bound to that
 * user count (a class teacher's view).  No names of students.
 */
int attendance_school_range(struct store *db, int64_t school_id,
                            int64_t only_user, const char *from, const char *to,
                            json_t **out);

/* The school's day: {date, kind, holiday, counts, classes:[...]}. */
int attendance_school_day(struct store *db, int64_t school_id,
                          int64_t only_user, const char *date, json_t **out);

/*
 * The day and its Monday..Sunday week for each school of `school_ids`, in
 * that order: [{id, students, day:{date, kind, holiday, counts},
 *  week:{from, to, school_days, counts}}], each by its own calendar.  The
 * education department's view: counts only.
 */
int attendance_schools_overview(struct store *db, const int64_t *school_ids,
                                size_t n, const char *date, json_t **out);

/* --- Spreadsheets (attendance_xlsx.c, libxlsxwriter) -------------------- */

/*
 * An XLSX workbook of a class range (attendance_class_range()) or a school
 * range (attendance_school_range(), with `school` its name for the title),
 * headings in `lang`, into out.  The workbook is written to a private
 * temporary directory (libxlsxwriter writes files), read back and removed.
 * 0, or -1 (logged).
 */
int attendance_xlsx_class(json_t *range, const char *school, enum lang lang,
                          struct buf *out);
int attendance_xlsx_school(json_t *range, const char *school, enum lang lang,
                           struct buf *out);

/* --- HTTP --------------------------------------------------------------- */

struct http_server;

/* Registers the attendance and calendar pages, JSON and exports. */
int attendance_http_register(struct http_server *srv);

#endif
