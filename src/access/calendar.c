/*
 * The school calendar's arithmetic: local days and minutes from epoch
 * seconds and a fixed UTC offset, the kind of each day, weeks and months,
 * and the checks of what a school may store.  Pure: no database, no
 * clock but the `now` a caller passes, no process-wide TZ.
 *
 * Watch for: a day number is local.  Local midnight of day d is the epoch
 * second d * 86400 - offset, so a pass at 23:30 UTC is on the next local
 * day in a school at UTC+5.  Divisions round towards minus infinity, so
 * that times before 1970 (only in tests) still land on the right day.
 */
#include "access/attendance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access/access.h"
#include "core/utf8.h"
#include "core/validate.h"

#define DAY_SECONDS 86400

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

void
attendance_calendar_default(struct attendance_calendar *cal, int64_t now)
{
	memset(cal, 0, sizeof(*cal));
	cal->offset_min = ATTENDANCE_OFFSET_DEFAULT;
	cal->week_days = ATTENDANCE_WEEK_DEFAULT;
	cal->shift_end[0] = ATTENDANCE_SHIFT1_END_DEFAULT;
	cal->shift_end[1] = ATTENDANCE_SHIFT2_END_DEFAULT;
	cal->shift_end[2] = ATTENDANCE_SHIFT3_END_DEFAULT;
	cal->today = attendance_local_day(cal, now);
}

void
attendance_calendar_free(struct attendance_calendar *cal)
{
	size_t i;

	for (i = 0; i < cal->nholidays; i++)
		free(cal->holidays[i].name);
	free(cal->holidays);
	cal->holidays = NULL;
	cal->nholidays = 0;
}

int64_t
attendance_local_day(const struct attendance_calendar *cal, int64_t at)
{
	return floor_div(at + (int64_t)cal->offset_min * 60, DAY_SECONDS);
}

int
attendance_local_minute(const struct attendance_calendar *cal, int64_t at)
{
	int64_t local = at + (int64_t)cal->offset_min * 60;

	return (int)((local - floor_div(local, DAY_SECONDS) * DAY_SECONDS) /
	             60);
}

int64_t
attendance_day_start(const struct attendance_calendar *cal, int64_t day)
{
	return day * DAY_SECONDS - (int64_t)cal->offset_min * 60;
}

int
attendance_weekday(int64_t day)
{
	/* 1970-01-01 was a Thursday (3 when Monday is 0). */
	return (int)(day + 3 - floor_div(day + 3, 7) * 7);
}

enum attendance_day_kind
attendance_day_kind(const struct attendance_calendar *cal, int64_t day,
                    const char **name)
{
	size_t i;

	if (name != NULL)
		*name = NULL;
	if (day > cal->today)
		return ATTENDANCE_FUTURE;
	for (i = 0; i < cal->nholidays; i++) {
		if (day >= cal->holidays[i].first &&
		    day <= cal->holidays[i].last) {
			if (name != NULL)
				*name = cal->holidays[i].name;
			return ATTENDANCE_HOLIDAY;
		}
	}
	if (attendance_weekday(day) >= cal->week_days)
		return ATTENDANCE_DAY_OFF;
	return ATTENDANCE_SCHOOL_DAY;
}

const char *
attendance_day_kind_name(enum attendance_day_kind kind)
{
	switch (kind) {
	case ATTENDANCE_SCHOOL_DAY:
		return "school";
	case ATTENDANCE_DAY_OFF:
		return "day_off";
	case ATTENDANCE_HOLIDAY:
		return "holiday";
	case ATTENDANCE_FUTURE:
		break;
	}
	return "future";
}

int
attendance_shift_end(const struct attendance_calendar *cal, int shift)
{
	if (shift < 1 || shift > ATTENDANCE_SHIFTS)
		shift = 1;
	return cal->shift_end[shift - 1];
}

int
attendance_date_day(const char *date, int64_t *day)
{
	char stamp[ACCESS_TIME_SIZE];
	int64_t at;

	if (date == NULL || !validate_date(date) ||
	    (size_t)snprintf(stamp, sizeof(stamp), "%sT00:00:00Z", date) >=
	            sizeof(stamp) ||
	    access_time_parse(stamp, &at) == -1)
		return -1;
	*day = floor_div(at, DAY_SECONDS);
	return 0;
}

void
attendance_day_date(int64_t day, char out[ATTENDANCE_DATE_SIZE])
{
	char stamp[ACCESS_TIME_SIZE];

	access_time_format(day * DAY_SECONDS, stamp);
	memcpy(out, stamp, ATTENDANCE_DATE_SIZE - 1);
	out[ATTENDANCE_DATE_SIZE - 1] = '\0';
}

void
attendance_week_of(int64_t day, int64_t *first, int64_t *last)
{
	*first = day - attendance_weekday(day);
	*last = *first + 6;
}

void
attendance_month_of(int64_t day, int64_t *first, int64_t *last)
{
	char date[ATTENDANCE_DATE_SIZE];
	int y, m;

	attendance_day_date(day, date);
	*first = day - (atoi(date + 8) - 1);
	y = atoi(date);
	m = atoi(date + 5);
	if (++m == 13) {
		m = 1;
		y++;
	}
	snprintf(date, sizeof(date), "%04u-%02u-01", (unsigned)y % 10000u,
	         (unsigned)m % 100u);
	if (attendance_date_day(date, last) == 0)
		(*last)--;
	else /* past the dates validate_date() takes: keep 28 days */
		*last = *first + 27;
}

void
attendance_time_local(const struct attendance_calendar *cal, int64_t at,
                      char out[ATTENDANCE_TIME_SIZE])
{
	char stamp[ACCESS_TIME_SIZE];
	int off = cal->offset_min < 0 ? -cal->offset_min : cal->offset_min;

	access_time_format(at + (int64_t)cal->offset_min * 60, stamp);
	/* stamp is "YYYY-MM-DDTHH:MM:SSZ": the offset replaces the Z. */
	snprintf(out, ATTENDANCE_TIME_SIZE, "%.19s%c%02u:%02u", stamp,
	         cal->offset_min < 0 ? '-' : '+', (unsigned)(off / 60) % 100u,
	         (unsigned)(off % 60));
}

int
attendance_hhmm(const char *s)
{
	int h, m;

	if (s == NULL || strlen(s) != 5 || s[2] != ':' || s[0] < '0' ||
	    s[0] > '2' || s[1] < '0' || s[1] > '9' || s[3] < '0' ||
	    s[3] > '5' || s[4] < '0' || s[4] > '9')
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	return h < 24 ? h * 60 + m : -1;
}

const char *
attendance_settings_invalid(const struct attendance_settings *s)
{
	static const char *const ends[ATTENDANCE_SHIFTS] = {
	        "shift1_end", "shift2_end", "shift3_end"};
	int i;

	if (s->offset_min < ATTENDANCE_OFFSET_MIN ||
	    s->offset_min > ATTENDANCE_OFFSET_MAX || s->offset_min % 15 != 0)
		return "utc_offset_minutes";
	if (s->week_days != 5 && s->week_days != 6)
		return "week_days";
	for (i = 0; i < ATTENDANCE_SHIFTS; i++)
		if (s->shift_end[i] < 0 || s->shift_end[i] >= 24 * 60)
			return ends[i];
	return NULL;
}

const char *
attendance_holiday_invalid(const char *first_day, const char *last_day,
                           const char *name)
{
	int64_t first, last;
	size_t len;

	if (attendance_date_day(first_day, &first) == -1)
		return "first_day";
	if (attendance_date_day(last_day, &last) == -1 || last < first ||
	    last - first + 1 > ATTENDANCE_HOLIDAY_DAYS_MAX)
		return "last_day";
	len = name != NULL ? strlen(name) : 0;
	if (len == 0 || !utf8_valid(name, len) || utf8_has_control(name, len) ||
	    utf8_length(name, len) > ATTENDANCE_HOLIDAY_NAME_MAX)
		return "name";
	return NULL;
}
