/*
 * Attendance from gate passes: the rules in attendance_summarise() and
 * the read models of a class's and a school's days and ranges of days,
 * and the schools overview, all counted against the school's calendar.
 * The rules are in attendance.h.
 *
 * Watch for: one query reads the students (of a class, or of a school)
 * joined to their allowed passes of the whole range, ordered by student
 * and time, so a student's passes arrive together and oldest first; the
 * local days are then cut out of that run.  device_at is stored as
 * "YYYY-MM-DDTHH:MM:SSZ", so a text range on it is a time range and uses
 * the index passes_student_at.  The range's bounds are local midnights,
 * which are not UTC midnights.
 */
#include "access/attendance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access/access.h"
#include "core/log.h"
#include "people/people.h"

/* What a class that has a malformed starts_at is taken to start at. */
#define DEFAULT_START_MIN (8 * 60)

void
attendance_summarise(const struct attendance_pass *passes, size_t n,
                     int offset_min, int starts_min, int ends_min,
                     struct attendance_day *out)
{
	struct attendance_calendar clock = {.offset_min = offset_min};
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
	out->late = out->has_in &&
	            attendance_local_minute(&clock, out->first_in) > starts_min;
	out->left_early =
	        !passes[last].in &&
	        attendance_local_minute(&clock, passes[last].at) < ends_min;
}

static int
db_fail(struct store *db, const char *what)
{
	log_warnx("attendance: %s: %s", what, store_errmsg(db));
	return ATTENDANCE_ERROR;
}

/* from..to as local days; ATTENDANCE_INVALID unless a range we take. */
static int
range_days(const char *from, const char *to, int64_t *first, int64_t *ndays)
{
	int64_t last;

	if (attendance_date_day(from, first) == -1 ||
	    attendance_date_day(to, &last) == -1 || last < *first ||
	    last - *first + 1 > ATTENDANCE_RANGE_MAX_DAYS)
		return ATTENDANCE_INVALID;
	*ndays = last - *first + 1;
	return ATTENDANCE_OK;
}

/* --- Counts ------------------------------------------------------------- */

struct counts {
	int64_t students, student_days, present, late, absent, left_early;
};

/* A school day of a student. */
static void
counts_add(struct counts *c, const struct attendance_day *d)
{
	c->student_days++;
	c->present += !d->absent;
	c->late += d->late;
	c->absent += d->absent;
	c->left_early += d->left_early;
}

static json_t *
counts_json(const struct counts *c)
{
	json_t *rate = json_null();

	/* Tenths of a percent, rounded half up, in integers. */
	if (c->student_days > 0)
		rate = json_real(
		        (double)((c->present * 1000 + c->student_days / 2) /
		                 c->student_days) /
		        10);
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "students",
	                 (json_int_t)c->students, "student_days",
	                 (json_int_t)c->student_days, "present",
	                 (json_int_t)c->present, "late", (json_int_t)c->late,
	                 "absent", (json_int_t)c->absent, "left_early",
	                 (json_int_t)c->left_early, "rate", rate);
}

/* --- Classes ------------------------------------------------------------ */

struct klass {
	int64_t id;
	char name[PEOPLE_CLASS_MAX];
	int shift;
	char starts_at[8];
	int starts_min, ends_min;
	struct counts counts;
};

/*
 * The class with id `class_id`, or (class_id 0) the school's classes by
 * grade and name, only those bound to only_user when it is not 0.
 * *out is malloc'ed; the caller frees it.
 */
static int
classes_load(struct store *db, const struct attendance_calendar *cal,
             int64_t school_id, int64_t class_id, int64_t only_user,
             struct klass **out, size_t *n)
{
	struct store_stmt *st;
	struct klass *v = NULL, *k;
	int rc;

	*out = NULL;
	*n = 0;
	if (class_id > 0)
		st = store_query(
		        db,
		        "SELECT id, name, shift, starts_at FROM classes "
		        "WHERE id = ? AND school_id = ?",
		        "ii", class_id, school_id);
	else
		st = store_query(
		        db,
		        "SELECT id, name, shift, starts_at FROM classes "
		        "WHERE school_id = ? AND (? = 0 OR id IN "
		        "(SELECT class_id FROM user_classes "
		        "WHERE user_id = ?)) ORDER BY grade, name",
		        "iii", school_id, only_user, only_user);
	if (st == NULL)
		return db_fail(db, "classes");
	while ((rc = store_step(st)) == STORE_ROW) {
		if ((k = realloc(v, (*n + 1) * sizeof(*v))) == NULL)
			break;
		v = k;
		k = &v[(*n)++];
		memset(k, 0, sizeof(*k));
		k->id = store_col_int(st, 0);
		snprintf(k->name, sizeof(k->name), "%s", store_col_text(st, 1));
		k->shift = (int)store_col_int(st, 2);
		snprintf(k->starts_at, sizeof(k->starts_at), "%s",
		         store_col_text(st, 3));
		k->starts_min = attendance_hhmm(k->starts_at);
		if (k->starts_min < 0)
			k->starts_min = DEFAULT_START_MIN;
		k->ends_min = attendance_shift_end(cal, k->shift);
	}
	store_reset(st);
	if (rc != STORE_DONE) {
		free(v);
		return rc == STORE_ROW ? ATTENDANCE_ERROR
		                       : db_fail(db, "classes");
	}
	*out = v;
	return ATTENDANCE_OK;
}

/* --- Scanning passes ---------------------------------------------------- */

struct tally {
	const struct attendance_calendar *cal;
	int64_t first, ndays; /* local days first .. first + ndays - 1 */
	struct klass *classes;
	size_t nclasses;
	struct counts total;
	struct counts *per_day; /* ndays of them */
	json_t *students;       /* each student's days, or NULL: counts only */
};

static struct klass *
klass_of(struct tally *t, int64_t class_id)
{
	size_t i;

	for (i = 0; i < t->nclasses; i++)
		if (t->classes[i].id == class_id)
			return &t->classes[i];
	return NULL;
}

static char
mark(enum attendance_day_kind kind, const struct attendance_day *d)
{
	switch (kind) {
	case ATTENDANCE_DAY_OFF:
		return '-';
	case ATTENDANCE_HOLIDAY:
		return 'H';
	case ATTENDANCE_FUTURE:
		return '.';
	case ATTENDANCE_SCHOOL_DAY:
		break;
	}
	if (d->absent)
		return 'A';
	if (d->late)
		return 'L';
	return d->left_early ? 'E' : 'P';
}

static json_t *
time_or_null(const struct attendance_calendar *cal, bool has, int64_t at)
{
	char out[ATTENDANCE_TIME_SIZE];

	if (!has)
		return json_null();
	attendance_time_local(cal, at, out);
	return json_string(out);
}

static json_t *
day_json(const struct attendance_calendar *cal, int64_t day,
         const struct attendance_day *d)
{
	char date[ATTENDANCE_DATE_SIZE];

	attendance_day_date(day, date);
	return json_pack("{s:s, s:o, s:o, s:I, s:b, s:b, s:b}", "date", date,
	                 "first_in", time_or_null(cal, d->has_in, d->first_in),
	                 "last_out", time_or_null(cal, d->has_out, d->last_out),
	                 "minutes", (json_int_t)d->minutes, "late", d->late,
	                 "absent", d->absent, "left_early", d->left_early);
}

/* One student's passes of the whole range, oldest first, into the tally. */
static int
tally_student(struct tally *t, int64_t class_id, const char *ref,
              const char *full_name, const struct attendance_pass *passes,
              size_t n)
{
	char marks[ATTENDANCE_RANGE_MAX_DAYS + 1];
	struct counts mine = {.students = 1};
	struct attendance_day sd;
	struct klass *k = klass_of(t, class_id);
	json_t *days = NULL, *st;
	size_t i = 0, from;
	int64_t d;

	if (k == NULL) /* a class made after the classes were read */
		return 0;
	if (t->students != NULL && (days = json_array()) == NULL)
		return -1;
	k->counts.students++;
	t->total.students++;
	for (d = 0; d < t->ndays; d++) {
		int64_t day = t->first + d;
		int64_t end = attendance_day_start(t->cal, day + 1);
		enum attendance_day_kind kind =
		        attendance_day_kind(t->cal, day, NULL);

		from = i;
		while (i < n && passes[i].at < end)
			i++;
		attendance_summarise(passes + from, i - from,
		                     t->cal->offset_min, k->starts_min,
		                     k->ends_min, &sd);
		t->per_day[d].students++;
		if (kind == ATTENDANCE_SCHOOL_DAY) {
			counts_add(&t->total, &sd);
			counts_add(&t->per_day[d], &sd);
			counts_add(&k->counts, &sd);
			counts_add(&mine, &sd);
		} else {
			sd.absent = sd.late = sd.left_early = false;
		}
		marks[d] = mark(kind, &sd);
		if (days != NULL &&
		    json_array_append_new(days, day_json(t->cal, day, &sd)) ==
		            -1) {
			json_decref(days);
			return -1;
		}
	}
	if (days == NULL)
		return 0;
	marks[t->ndays] = '\0';
	st = json_pack("{s:s, s:s, s:s, s:o, s:o}", "ref", ref, "full_name",
	               full_name, "marks", marks, "counts", counts_json(&mine),
	               "days", days);
	return st != NULL ? json_array_append_new(t->students, st) : -1;
}

struct scan {
	int64_t id, class_id;
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
scan_flush(struct scan *s, struct tally *t)
{
	int rc = 0;

	if (s->ref != NULL)
		rc = tally_student(t, s->class_id, s->ref, s->full_name,
		                   s->passes, s->n);
	free(s->ref);
	free(s->full_name);
	s->ref = s->full_name = NULL;
	s->n = 0;
	return rc;
}

/*
 * Feeds the tally with each active student of the class (class_id > 0,
 * by name) or of the school (only_user's classes when not 0; without
 * names, which the school's counts do not need), with their allowed
 * passes of the tally's days.
 */
static int
scan(struct store *db, int64_t school_id, int64_t class_id, int64_t only_user,
     struct tally *t)
{
	char lo[ACCESS_TIME_SIZE], hi[ACCESS_TIME_SIZE];
	struct scan s = {0};
	struct store_stmt *st;
	int rc, ret = ATTENDANCE_ERROR;

	access_time_format(attendance_day_start(t->cal, t->first), lo);
	access_time_format(attendance_day_start(t->cal, t->first + t->ndays),
	                   hi);
	if (class_id > 0)
		st = store_query(
		        db,
		        "SELECT s.id, s.class_id, s.ref, s.full_name, "
		        "p.direction, p.device_at FROM students s "
		        "LEFT JOIN passes p ON p.student_id = s.id "
		        "AND p.decision = 'allow' "
		        "AND p.device_at >= ? AND p.device_at < ? "
		        "WHERE s.class_id = ? AND s.status = 'active' "
		        "ORDER BY s.full_name, s.id, p.device_at, p.id",
		        "tti", lo, hi, class_id);
	else
		st = store_query(
		        db,
		        "SELECT s.id, s.class_id, '', '', "
		        "p.direction, p.device_at FROM students s "
		        "LEFT JOIN passes p ON p.student_id = s.id "
		        "AND p.decision = 'allow' "
		        "AND p.device_at >= ? AND p.device_at < ? "
		        "WHERE s.school_id = ? AND s.status = 'active' "
		        "AND (? = 0 OR s.class_id IN "
		        "(SELECT class_id FROM user_classes "
		        "WHERE user_id = ?)) "
		        "ORDER BY s.id, p.device_at, p.id",
		        "ttiii", lo, hi, school_id, only_user, only_user);
	if (st == NULL)
		return db_fail(db, "passes");
	while ((rc = store_step(st)) == STORE_ROW) {
		int64_t id = store_col_int(st, 0), at;

		if (s.ref == NULL || id != s.id) {
			if (scan_flush(&s, t) == -1)
				goto fail;
			s.id = id;
			s.class_id = store_col_int(st, 1);
			s.ref = strdup(store_col_text(st, 2));
			s.full_name = strdup(store_col_text(st, 3));
			if (s.ref == NULL || s.full_name == NULL)
				goto fail;
		}
		if (store_col_null(st, 4))
			continue;
		if (access_time_parse(store_col_text(st, 5), &at) == -1) {
			log_warnx("attendance: a pass with a bad time");
			continue;
		}
		if (scan_push(&s, at,
		              strcmp(store_col_text(st, 4), "in") == 0) == -1)
			goto fail;
	}
	if (rc != STORE_DONE) {
		db_fail(db, "passes");
		goto fail;
	}
	if (scan_flush(&s, t) == -1)
		goto fail;
	ret = ATTENDANCE_OK;
fail:
	store_reset(st);
	free(s.ref);
	free(s.full_name);
	free(s.passes);
	return ret;
}

/*
 * Counts (and with detail, each student's days of) the class or the
 * school over local days first .. first + ndays - 1.  The caller frees
 * what tally_free() frees, whatever this returns.
 */
static int
tally_run(struct store *db, const struct attendance_calendar *cal,
          int64_t school_id, int64_t class_id, int64_t only_user, int64_t first,
          int64_t ndays, bool detail, struct tally *t)
{
	int rc;

	memset(t, 0, sizeof(*t));
	t->cal = cal;
	t->first = first;
	t->ndays = ndays;
	if ((t->per_day = calloc((size_t)ndays, sizeof(*t->per_day))) == NULL ||
	    (detail && (t->students = json_array()) == NULL))
		return ATTENDANCE_ERROR;
	rc = classes_load(db, cal, school_id, class_id, only_user, &t->classes,
	                  &t->nclasses);
	if (rc != ATTENDANCE_OK)
		return rc;
	if (class_id > 0 && t->nclasses == 0)
		return ATTENDANCE_NOT_FOUND;
	return scan(db, school_id, class_id, only_user, t);
}

static void
tally_free(struct tally *t)
{
	free(t->classes);
	free(t->per_day);
	json_decref(t->students);
}

/* The day entries [{date, weekday, kind, holiday, counts}]; *school_days
 * gets how many are school days. */
static json_t *
days_json(const struct tally *t, int64_t *school_days)
{
	char date[ATTENDANCE_DATE_SIZE];
	const char *holiday;
	json_t *days = json_array(), *one;
	int64_t d;

	*school_days = 0;
	for (d = 0; days != NULL && d < t->ndays; d++) {
		enum attendance_day_kind kind =
		        attendance_day_kind(t->cal, t->first + d, &holiday);

		*school_days += kind == ATTENDANCE_SCHOOL_DAY;
		attendance_day_date(t->first + d, date);
		one = json_pack("{s:s, s:i, s:s, s:s?, s:o}", "date", date,
		                "weekday", attendance_weekday(t->first + d),
		                "kind", attendance_day_kind_name(kind),
		                "holiday", holiday, "counts",
		                counts_json(&t->per_day[d]));
		if (one == NULL || json_array_append_new(days, one) == -1) {
			json_decref(days);
			return NULL;
		}
	}
	return days;
}

/* --- Read models -------------------------------------------------------- */

int
attendance_class_range(struct store *db, int64_t school_id,
                       const char *class_name, const char *from, const char *to,
                       json_t **out)
{
	struct attendance_calendar cal;
	struct tally t;
	struct klass *k;
	int64_t first, ndays, class_id, school_days;
	json_t *days;
	int rc;

	*out = NULL;
	if (range_days(from, to, &first, &ndays) != ATTENDANCE_OK)
		return ATTENDANCE_INVALID;
	rc = people_class_find(db, school_id, class_name, &class_id);
	if (rc == PEOPLE_NOT_FOUND)
		return ATTENDANCE_NOT_FOUND;
	if (rc != PEOPLE_OK)
		return ATTENDANCE_ERROR;
	if (attendance_calendar_load(db, school_id, first, first + ndays - 1,
	                             &cal) != ATTENDANCE_OK)
		return ATTENDANCE_ERROR;
	rc = tally_run(db, &cal, school_id, class_id, 0, first, ndays, true,
	               &t);
	if (rc == ATTENDANCE_OK &&
	    (days = days_json(&t, &school_days)) != NULL) {
		k = &t.classes[0];
		*out = json_pack("{s:s, s:I, s:i, s:s, s:s, s:s, s:I, s:o, "
		                 "s:o, s:O}",
		                 "class", k->name, "class_id",
		                 (json_int_t)k->id, "shift", k->shift,
		                 "starts_at", k->starts_at, "from", from, "to",
		                 to, "school_days", (json_int_t)school_days,
		                 "counts", counts_json(&t.total), "days", days,
		                 "students", t.students);
		if (*out == NULL)
			rc = ATTENDANCE_ERROR;
	} else if (rc == ATTENDANCE_OK) {
		rc = ATTENDANCE_ERROR;
	}
	tally_free(&t);
	attendance_calendar_free(&cal);
	return rc;
}

/* Moves the one day's fields of a range's day entry into `into`. */
static int
take_day(json_t *into, json_t *range)
{
	json_t *day = json_array_get(json_object_get(range, "days"), 0);

	if (json_object_set(into, "date", json_object_get(day, "date")) == -1 ||
	    json_object_set(into, "kind", json_object_get(day, "kind")) == -1 ||
	    json_object_set(into, "holiday", json_object_get(day, "holiday")) ==
	            -1)
		return -1;
	json_object_del(into, "from");
	json_object_del(into, "to");
	json_object_del(into, "days");
	json_object_del(into, "school_days");
	return 0;
}

int
attendance_class_day(struct store *db, int64_t school_id,
                     const char *class_name, const char *date, json_t **out)
{
	json_t *st, *day, *v;
	const char *k;
	size_t i;
	int rc;

	rc = attendance_class_range(db, school_id, class_name, date, date, out);
	if (rc != ATTENDANCE_OK)
		return rc;
	json_array_foreach(json_object_get(*out, "students"), i, st)
	{
		day = json_array_get(json_object_get(st, "days"), 0);
		json_object_foreach(day, k, v)
		{
			if (strcmp(k, "date") != 0 &&
			    json_object_set(st, k, v) == -1)
				goto fail;
		}
		json_object_del(st, "days");
		json_object_del(st, "marks");
		json_object_del(st, "counts");
	}
	if (take_day(*out, *out) == -1)
		goto fail;
	return ATTENDANCE_OK;
fail:
	json_decref(*out);
	*out = NULL;
	return ATTENDANCE_ERROR;
}

int
attendance_school_range(struct store *db, int64_t school_id, int64_t only_user,
                        const char *from, const char *to, json_t **out)
{
	struct attendance_calendar cal;
	struct tally t;
	int64_t first, ndays, school_days;
	json_t *days = NULL, *classes = NULL, *one;
	size_t i;
	int rc;

	*out = NULL;
	if (range_days(from, to, &first, &ndays) != ATTENDANCE_OK)
		return ATTENDANCE_INVALID;
	if (attendance_calendar_load(db, school_id, first, first + ndays - 1,
	                             &cal) != ATTENDANCE_OK)
		return ATTENDANCE_ERROR;
	rc = tally_run(db, &cal, school_id, 0, only_user, first, ndays, false,
	               &t);
	if (rc != ATTENDANCE_OK)
		goto done;
	rc = ATTENDANCE_ERROR;
	if ((days = days_json(&t, &school_days)) == NULL ||
	    (classes = json_array()) == NULL)
		goto done;
	for (i = 0; i < t.nclasses; i++) {
		one = json_pack("{s:s, s:i, s:s, s:o}", "name",
		                t.classes[i].name, "shift", t.classes[i].shift,
		                "starts_at", t.classes[i].starts_at, "counts",
		                counts_json(&t.classes[i].counts));
		if (one == NULL || json_array_append_new(classes, one) == -1)
			goto done;
	}
	*out = json_pack("{s:s, s:s, s:I, s:I, s:o, s:O, s:O}", "from", from,
	                 "to", to, "students", (json_int_t)t.total.students,
	                 "school_days", (json_int_t)school_days, "counts",
	                 counts_json(&t.total), "days", days, "classes",
	                 classes);
	if (*out != NULL)
		rc = ATTENDANCE_OK;
done:
	json_decref(days);
	json_decref(classes);
	tally_free(&t);
	attendance_calendar_free(&cal);
	return rc;
}

int
attendance_school_day(struct store *db, int64_t school_id, int64_t only_user,
                      const char *date, json_t **out)
{
	int rc;

	rc = attendance_school_range(db, school_id, only_user, date, date, out);
	if (rc != ATTENDANCE_OK)
		return rc;
	json_object_del(*out, "students");
	if (take_day(*out, *out) == -1) {
		json_decref(*out);
		*out = NULL;
		return ATTENDANCE_ERROR;
	}
	return ATTENDANCE_OK;
}

/* One school's day and week for the overview. */
static json_t *
school_overview(struct store *db, int64_t school_id, const char *date, int *rc)
{
	struct attendance_calendar cal;
	char day_s[ATTENDANCE_DATE_SIZE], lo[ATTENDANCE_DATE_SIZE],
	        hi[ATTENDANCE_DATE_SIZE];
	const char *holiday;
	struct tally t;
	int64_t day, first, last, d, school_days = 0;
	json_t *one = NULL;

	*rc = ATTENDANCE_ERROR;
	if (date != NULL) {
		snprintf(day_s, sizeof(day_s), "%s", date);
	} else if (attendance_today(db, school_id, day_s) != ATTENDANCE_OK) {
		return NULL;
	}
	if (attendance_date_day(day_s, &day) == -1) {
		*rc = ATTENDANCE_INVALID;
		return NULL;
	}
	attendance_week_of(day, &first, &last);
	if (attendance_calendar_load(db, school_id, first, last, &cal) !=
	    ATTENDANCE_OK)
		return NULL;
	*rc = tally_run(db, &cal, school_id, 0, 0, first, last - first + 1,
	                false, &t);
	if (*rc == ATTENDANCE_OK) {
		enum attendance_day_kind kind =
		        attendance_day_kind(&cal, day, &holiday);

		for (d = first; d <= last; d++)
			school_days += attendance_day_kind(&cal, d, NULL) ==
			               ATTENDANCE_SCHOOL_DAY;
		attendance_day_date(first, lo);
		attendance_day_date(last, hi);
		one = json_pack("{s:I, s:I, s:{s:s, s:s, s:s?, s:o}, "
		                "s:{s:s, s:s, s:I, s:o}}",
		                "id", (json_int_t)school_id, "students",
		                (json_int_t)t.total.students, "day", "date",
		                day_s, "kind", attendance_day_kind_name(kind),
		                "holiday", holiday, "counts",
		                counts_json(&t.per_day[day - first]), "week",
		                "from", lo, "to", hi, "school_days",
		                (json_int_t)school_days, "counts",
		                counts_json(&t.total));
		if (one == NULL)
			*rc = ATTENDANCE_ERROR;
	}
	tally_free(&t);
	attendance_calendar_free(&cal);
	return one;
}

int
attendance_schools_overview(struct store *db, const int64_t *school_ids,
                            size_t n, const char *date, json_t **out)
{
	json_t *list = json_array(), *one;
	size_t i;
	int rc = ATTENDANCE_OK;

	*out = NULL;
	if (list == NULL)
		return ATTENDANCE_ERROR;
	for (i = 0; i < n && rc == ATTENDANCE_OK; i++) {
		one = school_overview(db, school_ids[i], date, &rc);
		if (rc == ATTENDANCE_OK &&
		    json_array_append_new(list, one) == -1)
			rc = ATTENDANCE_ERROR;
	}
	if (rc != ATTENDANCE_OK) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return ATTENDANCE_OK;
}
