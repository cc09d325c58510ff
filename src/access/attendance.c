/*
 * Attendance from gate passes: the rules in attendance_summarise() and
 * the read models of a class's day, a school's day and a class's range of
 * days.  The rules and their simplifications are in attendance.h.
 *
 * Watch for: a class is scanned with one query that joins its active
 * students to their allowed passes of the whole range, ordered by student
 * and time, so a student's passes arrive together and oldest first; the
 * days are then cut out of that run.  device_at is stored as
 * "YYYY-MM-DDTHH:MM:SSZ", so a text range on it is a time range and uses
 * the index passes_student_at.
 */
#include "access/attendance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access/access.h"
#include "core/log.h"
#include "core/validate.h"
#include "people/people.h"

#define DAY_SECONDS 86400
/* What a class that has a malformed starts_at is taken to start at. */
#define DEFAULT_START_MIN (8 * 60)

static int
minute_of_day(int64_t at)
{
	return (int)((at % DAY_SECONDS + DAY_SECONDS) % DAY_SECONDS / 60);
}

void
attendance_summarise(const struct attendance_pass *passes, size_t n,
                     int starts_min, int ends_min, struct attendance_day *out)
{
	int64_t start, end;
	size_t i, last = 0;

	memset(out, 0, sizeof(*out));
	if (n == 0) {
		out->absent = true;
		return;
	}
	start = passes[0].at;
	for (i = 0; i < n; i++) {
		const struct attendance_pass *p = &passes[i];

		if (p->at < start)
			start = p->at;
		if (p->at >= passes[last].at)
			last = i;
		if (p->in && (!out->has_in || p->at < out->first_in)) {
			out->has_in = true;
			out->first_in = p->at;
		}
		if (!p->in && (!out->has_out || p->at >= out->last_out)) {
			out->has_out = true;
			out->last_out = p->at;
		}
	}
	if (out->has_in)
		start = out->first_in;
	end = out->has_out && out->last_out >= start ? out->last_out
	                                             : passes[last].at;
	out->minutes = end > start ? (end - start) / 60 : 0;
	out->late = out->has_in && minute_of_day(out->first_in) > starts_min;
	out->left_early =
	        !passes[last].in && minute_of_day(passes[last].at) < ends_min;
}

int
attendance_shift_end(int shift)
{
	switch (shift) {
	case 2:
		return ATTENDANCE_SHIFT2_END;
	case 3:
		return ATTENDANCE_SHIFT3_END;
	default:
		return ATTENDANCE_SHIFT1_END;
	}
}

/* "HH:MM" as minutes after midnight, or DEFAULT_START_MIN. */
static int
parse_hhmm(const char *s)
{
	if (s == NULL || !people_time_valid(s))
		return DEFAULT_START_MIN;
	return ((s[0] - '0') * 10 + (s[1] - '0')) * 60 + (s[3] - '0') * 10 +
	       (s[4] - '0');
}

/* Midnight UTC of a YYYY-MM-DD date; -1 when it is not one. */
static int
date_epoch(const char *date, int64_t *epoch)
{
	char stamp[ACCESS_TIME_SIZE];

	if (date == NULL || !validate_date(date) ||
	    (size_t)snprintf(stamp, sizeof(stamp), "%sT00:00:00Z", date) >=
	            sizeof(stamp))
		return -1;
	return access_time_parse(stamp, epoch);
}

static json_t *
time_or_null(bool has, int64_t at)
{
	char out[ACCESS_TIME_SIZE];

	if (!has)
		return json_null();
	access_time_format(at, out);
	return json_string(out);
}

/* --- Queries ------------------------------------------------------------ */

struct class_info {
	int64_t id;
	char name[PEOPLE_CLASS_MAX];
	int shift;
	char starts_at[8];
	int starts_min, ends_min;
};

static int
db_fail(struct store *db, const char *what)
{
	log_warnx("attendance: %s: %s", what, store_errmsg(db));
	return ATTENDANCE_ERROR;
}

static int
class_load(struct store *db, int64_t class_id, struct class_info *c)
{
	struct store_stmt *st;
	int rc;

	st = store_query(db,
	                 "SELECT name, shift, starts_at FROM classes "
	                 "WHERE id = ?",
	                 "i", class_id);
	if (st == NULL)
		return db_fail(db, "class");
	rc = store_step(st);
	if (rc != STORE_ROW) {
		store_reset(st);
		return rc == STORE_DONE ? ATTENDANCE_NOT_FOUND
		                        : db_fail(db, "class");
	}
	c->id = class_id;
	snprintf(c->name, sizeof(c->name), "%s", store_col_text(st, 0));
	c->shift = (int)store_col_int(st, 1);
	snprintf(c->starts_at, sizeof(c->starts_at), "%s",
	         store_col_text(st, 2));
	store_reset(st);
	c->starts_min = parse_hhmm(c->starts_at);
	c->ends_min = attendance_shift_end(c->shift);
	return ATTENDANCE_OK;
}

static int
class_find(struct store *db, int64_t school_id, const char *name,
           struct class_info *c)
{
	int64_t id;
	int rc = people_class_find(db, school_id, name, &id);

	if (rc == PEOPLE_NOT_FOUND)
		return ATTENDANCE_NOT_FOUND;
	if (rc != PEOPLE_OK)
		return ATTENDANCE_ERROR;
	return class_load(db, id, c);
}

/* Called once per active student of the class with their allowed passes
 * of the whole range, oldest first.  Returns 0 or -1. */
typedef int (*student_fn)(void *arg, const char *ref, const char *full_name,
                          const struct attendance_pass *passes, size_t n);

struct scan {
	int64_t id;
	char *ref, *full_name;
	struct attendance_pass *passes;
	size_t n, cap;
};

static int
scan_push(struct scan *s, int64_t at, bool in)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct attendance_pass *p =
		        realloc(s->passes, cap * sizeof(*p));

		if (p == NULL)
			return -1;
		s->passes = p;
		s->cap = cap;
	}
	s->passes[s->n].at = at;
	s->passes[s->n].in = in;
	s->n++;
	return 0;
}

static int
scan_flush(struct scan *s, student_fn fn, void *arg)
{
	int rc = 0;

	if (s->ref != NULL)
		rc = fn(arg, s->ref, s->full_name, s->passes, s->n);
	free(s->ref);
	free(s->full_name);
	s->ref = s->full_name = NULL;
	s->n = 0;
	return rc;
}

/*
 * Calls fn for each active student of the class, by name, with their
 * allowed passes whose device time is in [from, from + days).
 */
static int
class_scan(struct store *db, int64_t class_id, int64_t from, int64_t days,
           student_fn fn, void *arg)
{
	char lo[ACCESS_TIME_SIZE], hi[ACCESS_TIME_SIZE];
	struct scan s = {0};
	struct store_stmt *st;
	int rc, ret = ATTENDANCE_ERROR;

	access_time_format(from, lo);
	access_time_format(from + days * DAY_SECONDS, hi);
	st = store_query(db,
	                 "SELECT s.id, s.ref, s.full_name, p.direction, "
	                 "p.device_at FROM students s "
	                 "LEFT JOIN passes p ON p.student_id = s.id "
	                 "AND p.decision = 'allow' "
	                 "AND p.device_at >= ? AND p.device_at < ? "
	                 "WHERE s.class_id = ? AND s.status = 'active' "
	                 "ORDER BY s.full_name, s.id, p.device_at, p.id",
	                 "tti", lo, hi, class_id);
	if (st == NULL)
		return db_fail(db, "class passes");
	while ((rc = store_step(st)) == STORE_ROW) {
		int64_t id = store_col_int(st, 0), at;

		if (s.ref == NULL || id != s.id) {
			if (scan_flush(&s, fn, arg) == -1)
				goto fail;
			s.id = id;
			s.ref = strdup(store_col_text(st, 1));
			s.full_name = strdup(store_col_text(st, 2));
			if (s.ref == NULL || s.full_name == NULL)
				goto fail;
		}
		if (store_col_null(st, 3))
			continue;
		if (access_time_parse(store_col_text(st, 4), &at) == -1) {
			log_warnx("attendance: a pass with a bad time");
			continue;
		}
		if (scan_push(&s, at,
		              strcmp(store_col_text(st, 3), "in") == 0) == -1)
			goto fail;
	}
	if (rc != STORE_DONE) {
		db_fail(db, "class passes");
		goto fail;
	}
	if (scan_flush(&s, fn, arg) == -1)
		goto fail;
	ret = ATTENDANCE_OK;
fail:
	store_reset(st);
	free(s.ref);
	free(s.full_name);
	free(s.passes);
	return ret;
}

/* --- Read models -------------------------------------------------------- */

struct counts {
	int64_t students, present, late, absent, left_early;
};

static void
counts_add(struct counts *c, const struct attendance_day *d)
{
	c->students++;
	c->present += !d->absent;
	c->late += d->late;
	c->absent += d->absent;
	c->left_early += d->left_early;
}

static json_t *
counts_json(const struct counts *c)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I}", "students",
	                 (json_int_t)c->students, "present",
	                 (json_int_t)c->present, "late", (json_int_t)c->late,
	                 "absent", (json_int_t)c->absent, "left_early",
	                 (json_int_t)c->left_early);
}

static json_t *
day_json(const struct attendance_day *d)
{
	return json_pack("{s:o, s:o, s:I, s:b, s:b, s:b}", "first_in",
	                 time_or_null(d->has_in, d->first_in), "last_out",
	                 time_or_null(d->has_out, d->last_out), "minutes",
	                 (json_int_t)d->minutes, "late", d->late, "absent",
	                 d->absent, "left_early", d->left_early);
}

/* One class over `days` days from `from`; the state of class_scan's fn. */
struct range {
	const struct class_info *c;
	int64_t from, days;
	struct counts counts; /* over every student-day */
	json_t *students;     /* NULL: count only */
};

/* The day's passes are [*i, end) of passes, sorted by time. */
static void
day_of(const struct range *r, int64_t d, const struct attendance_pass *passes,
       size_t n, size_t *i, struct attendance_day *out)
{
	int64_t end = r->from + (d + 1) * DAY_SECONDS;
	size_t first = *i;

	while (*i < n && passes[*i].at < end)
		(*i)++;
	attendance_summarise(passes + first, *i - first, r->c->starts_min,
	                     r->c->ends_min, out);
}

static char
mark(const struct attendance_day *d)
{
	if (d->absent)
		return 'A';
	if (d->late)
		return 'L';
	return d->left_early ? 'E' : 'P';
}

static int
range_student(void *arg, const char *ref, const char *full_name,
              const struct attendance_pass *passes, size_t n)
{
	struct range *r = arg;
	char marks[ATTENDANCE_RANGE_MAX_DAYS + 1], date[ACCESS_TIME_SIZE];
	struct attendance_day day;
	json_t *days = NULL, *one, *st;
	size_t i = 0;
	int64_t d;

	if (r->students != NULL && (days = json_array()) == NULL)
		return -1;
	for (d = 0; d < r->days; d++) {
		day_of(r, d, passes, n, &i, &day);
		counts_add(&r->counts, &day);
		if (days == NULL)
			continue;
		marks[d] = mark(&day);
		access_time_format(r->from + d * DAY_SECONDS, date);
		date[10] = '\0';
		if ((one = day_json(&day)) == NULL ||
		    json_object_set_new(one, "date", json_string(date)) == -1 ||
		    json_array_append_new(days, one) == -1) {
			json_decref(days);
			return -1;
		}
	}
	if (days == NULL)
		return 0;
	marks[r->days] = '\0';
	st = json_pack("{s:s, s:s, s:s, s:o}", "ref", ref, "full_name",
	               full_name, "marks", marks, "days", days);
	return st != NULL ? json_array_append_new(r->students, st) : -1;
}

/* The single day's record of a student, flattened for attendance_class_day. */
static int
flatten_day(json_t *students)
{
	json_t *st, *day, *v;
	const char *k;
	size_t i;

	json_array_foreach(students, i, st)
	{
		day = json_array_get(json_object_get(st, "days"), 0);
		json_object_foreach(day, k, v)
		{
			if (strcmp(k, "date") != 0 &&
			    json_object_set(st, k, v) == -1)
				return -1;
		}
		json_object_del(st, "days");
		json_object_del(st, "marks");
	}
	return 0;
}

int
attendance_class_day(struct store *db, int64_t school_id,
                     const char *class_name, const char *date, json_t **out)
{
	struct class_info c;
	struct range r;
	int64_t from;
	int rc;

	*out = NULL;
	if (date_epoch(date, &from) == -1)
		return ATTENDANCE_INVALID;
	if ((rc = class_find(db, school_id, class_name, &c)) != ATTENDANCE_OK)
		return rc;
	memset(&r, 0, sizeof(r));
	r.c = &c;
	r.from = from;
	r.days = 1;
	if ((r.students = json_array()) == NULL)
		return ATTENDANCE_ERROR;
	rc = class_scan(db, c.id, from, 1, range_student, &r);
	if (rc == ATTENDANCE_OK && flatten_day(r.students) == -1)
		rc = ATTENDANCE_ERROR;
	if (rc != ATTENDANCE_OK) {
		json_decref(r.students);
		return rc;
	}
	*out = json_pack("{s:s, s:I, s:i, s:s, s:s, s:o, s:o}", "class", c.name,
	                 "class_id", (json_int_t)c.id, "shift", c.shift,
	                 "starts_at", c.starts_at, "date", date, "counts",
	                 counts_json(&r.counts), "students", r.students);
	return *out != NULL ? ATTENDANCE_OK : ATTENDANCE_ERROR;
}

int
attendance_school_day(struct store *db, int64_t school_id, const char *date,
                      json_t **out)
{
	struct counts total = {0};
	struct class_info c;
	struct store_stmt *st;
	json_t *ids = NULL, *classes = NULL, *id;
	struct range r;
	int64_t from;
	size_t i;
	int rc, ret = ATTENDANCE_ERROR;

	*out = NULL;
	if (date_epoch(date, &from) == -1)
		return ATTENDANCE_INVALID;
	/* The ids first: class_scan runs queries of its own. */
	if ((ids = json_array()) == NULL || (classes = json_array()) == NULL)
		goto fail;
	st = store_query(db,
	                 "SELECT id FROM classes WHERE school_id = ? "
	                 "ORDER BY grade, name",
	                 "i", school_id);
	if (st == NULL) {
		db_fail(db, "classes");
		goto fail;
	}
	while ((rc = store_step(st)) == STORE_ROW)
		if (json_array_append_new(
		            ids, json_integer(store_col_int(st, 0))) == -1)
			break;
	store_reset(st);
	if (rc != STORE_DONE) {
		db_fail(db, "classes");
		goto fail;
	}
	json_array_foreach(ids, i, id)
	{
		json_t *one;

		if (class_load(db, json_integer_value(id), &c) != ATTENDANCE_OK)
			goto fail;
		memset(&r, 0, sizeof(r));
		r.c = &c;
		r.from = from;
		r.days = 1;
		if (class_scan(db, c.id, from, 1, range_student, &r) !=
		    ATTENDANCE_OK)
			goto fail;
		total.students += r.counts.students;
		total.present += r.counts.present;
		total.late += r.counts.late;
		total.absent += r.counts.absent;
		total.left_early += r.counts.left_early;
		one = json_pack("{s:s, s:i, s:s, s:o}", "name", c.name, "shift",
		                c.shift, "starts_at", c.starts_at, "counts",
		                counts_json(&r.counts));
		if (one == NULL || json_array_append_new(classes, one) == -1)
			goto fail;
	}
	*out = json_pack("{s:s, s:o, s:O}", "date", date, "counts",
	                 counts_json(&total), "classes", classes);
	if (*out != NULL)
		ret = ATTENDANCE_OK;
fail:
	json_decref(ids);
	json_decref(classes);
	return ret;
}

int
attendance_class_range(struct store *db, int64_t school_id,
                       const char *class_name, const char *from, const char *to,
                       json_t **out)
{
	char date[ACCESS_TIME_SIZE];
	struct class_info c;
	json_t *dates;
	struct range r;
	int64_t start, end, d;
	int rc;

	*out = NULL;
	if (date_epoch(from, &start) == -1 || date_epoch(to, &end) == -1 ||
	    end < start ||
	    (end - start) / DAY_SECONDS + 1 > ATTENDANCE_RANGE_MAX_DAYS)
		return ATTENDANCE_INVALID;
	if ((rc = class_find(db, school_id, class_name, &c)) != ATTENDANCE_OK)
		return rc;
	memset(&r, 0, sizeof(r));
	r.c = &c;
	r.from = start;
	r.days = (end - start) / DAY_SECONDS + 1;
	if ((dates = json_array()) == NULL)
		return ATTENDANCE_ERROR;
	for (d = 0; d < r.days; d++) {
		access_time_format(start + d * DAY_SECONDS, date);
		date[10] = '\0';
		json_array_append_new(dates, json_string(date));
	}
	if ((r.students = json_array()) == NULL ||
	    (rc = class_scan(db, c.id, start, r.days, range_student, &r)) !=
	            ATTENDANCE_OK) {
		json_decref(dates);
		json_decref(r.students);
		return rc != ATTENDANCE_OK ? rc : ATTENDANCE_ERROR;
	}
	*out = json_pack("{s:s, s:I, s:i, s:s, s:s, s:s, s:o, s:o, s:o}",
	                 "class", c.name, "class_id", (json_int_t)c.id, "shift",
	                 c.shift, "starts_at", c.starts_at, "from", from, "to",
	                 to, "dates", dates, "counts", counts_json(&r.counts),
	                 "students", r.students);
	return *out != NULL ? ATTENDANCE_OK : ATTENDANCE_ERROR;
}
