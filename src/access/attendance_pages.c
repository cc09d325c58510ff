/*
 * Attendance pages: a class's and a school's day, week and month, and the
 * education department's schools.
 *
 *   GET /school/{school}/attendance[/week|/month]?date=
 *   GET /school/{school}/class/{class}/attendance[/week|/month]?date=
 *   GET /attendance?date=
 *
 * The week and month carry a bar chart of present, late and absent per
 * school day drawn here as inline SVG: the CSP allows no script and no
 * style attribute, so bars are shapes with CSS classes from app.css and a
 * <title> each, and the same numbers stand in a table beside the chart.
 * Nothing needs JavaScript.  Every page is audited as a read.
 */
#include "access/attendance_internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth/auth_http.h"
#include "web/i18n.h"
#include "web/page.h"

/* The chart's geometry in viewBox units. */
#define CHART_PLOT   120 /* height of the bars' area */
#define CHART_TOP    6
#define CHART_LABELS 18 /* room for the day numbers below */
#define CHART_SIDE   4

enum view { VIEW_DAY, VIEW_WEEK, VIEW_MONTH };

static const char *
tr(struct http_request *req, const char *msgid)
{
	return i18n_get(req->lang, msgid);
}

static const char *
weekday_label(struct http_request *req, int wd)
{
	static const char *const names[7] = {N_("Mon"), N_("Tue"), N_("Wed"),
	                                     N_("Thu"), N_("Fri"), N_("Sat"),
	                                     N_("Sun")};

	return tr(req, names[wd >= 0 && wd < 7 ? wd : 0]);
}

static json_int_t
count(json_t *counts, const char *key)
{
	return json_integer_value(json_object_get(counts, key));
}

/* "93.5%" of a counts object, or "–" without school days. */
static const char *
rate_text(struct http_request *req, json_t *counts)
{
	json_t *rate = json_object_get(counts, "rate");

	if (!json_is_number(rate))
		return "–";
	return arena_printf(req->arena, "%.1f%%", json_number_value(rate));
}

/* Adds rate_text to a counts object in place. */
static void
label_counts(struct http_request *req, json_t *counts)
{
	json_object_set_new(counts, "rate_text",
	                    json_string(rate_text(req, counts)));
}

/*
 * The chart of a range's days: {width, height, base, bars:[{counted, x,
 * w, cx, ly, label, title, on_y, on_h, late_y, late_h, absent_y,
 * absent_h}]}.  Bars stack on time (present but not late), late and absent
 * against the most students any day had; days that are no school days
 * keep their place with no bar.
 */
static json_t *
chart(struct http_request *req, json_t *days)
{
	size_t n = json_array_size(days), i;
	json_int_t most = 1, step = n <= 7 ? 48 : 22, w = step * 2 / 3;
	json_int_t base = CHART_TOP + CHART_PLOT;
	json_t *bars = json_array(), *day, *c;

	json_array_foreach(days, i, day)
	{
		c = json_object_get(day, "counts");
		if (count(c, "students") > most)
			most = count(c, "students");
	}
	json_array_foreach(days, i, day)
	{
		const char *date =
		        json_string_value(json_object_get(day, "date"));
		bool counted =
		        !strcmp(json_string_value(json_object_get(day, "kind")),
		                "school");
		json_int_t x =
		        CHART_SIDE + (json_int_t)i * step + (step - w) / 2;
		json_int_t late, absent, on, on_h, late_h, absent_h;

		c = json_object_get(day, "counts");
		late = count(c, "late");
		absent = count(c, "absent");
		on = count(c, "present") - late;
		on_h = on * CHART_PLOT / most;
		late_h = late * CHART_PLOT / most;
		absent_h = absent * CHART_PLOT / most;
		json_array_append_new(
		        bars,
		        json_pack(
		                "{s:b, s:I, s:I, s:I, s:I, s:s, s:s, s:I, s:I, "
		                "s:I, s:I, s:I, s:I}",
		                "counted", counted, "x", x, "w", w, "cx",
		                x + w / 2, "ly", base + CHART_LABELS - 4,
		                "label", date != NULL ? date + 8 : "", "title",
		                arena_printf(req->arena,
		                             "%s: %s %lld, %s %lld, %s %lld, "
		                             "%s %lld",
		                             date != NULL ? date : "",
		                             tr(req, N_("On time")),
		                             (long long)on, tr(req, N_("Late")),
		                             (long long)late,
		                             tr(req, N_("Absent")),
		                             (long long)absent,
		                             tr(req, N_("Students")),
		                             (long long)count(c, "students")),
		                "on_y", base - on_h, "on_h", on_h, "late_y",
		                base - on_h - late_h, "late_h", late_h,
		                "absent_y", base - on_h - late_h - absent_h,
		                "absent_h", absent_h));
	}
	return json_pack("{s:I, s:I, s:I, s:o}", "width",
	                 (json_int_t)(2 * CHART_SIDE + (json_int_t)n * step),
	                 "height", base + CHART_LABELS, "base", base, "bars",
	                 bars);
}

/* Labels for a range's day entries, in place: weekday, what kind, rate. */
static void
label_days(struct http_request *req, json_t *days)
{
	json_t *day;
	size_t i;

	json_array_foreach(days, i, day)
	{
		const char *kind =
		        json_string_value(json_object_get(day, "kind"));
		const char *holiday =
		        json_string_value(json_object_get(day, "holiday"));

		json_object_set_new(day, "wd",
		                    json_string(weekday_label(
		                            req, (int)count(day, "weekday"))));
		json_object_set_new(day, "counted",
		                    json_boolean(!strcmp(kind, "school")));
		json_object_set_new(
		        day, "kind_label",
		        json_string(holiday != NULL
		                            ? holiday
		                            : att_kind_label(req, kind)));
		json_object_set_new(
		        day, "short",
		        json_string(json_string_value(
		                            json_object_get(day, "date")) +
		                    8));
		label_counts(req, json_object_get(day, "counts"));
	}
}

/* The marks of a student as cells {m, cls} for the register. */
static json_t *
mark_cells(const char *marks)
{
	json_t *cells = json_array();
	const char *cls;
	char m[2] = {0, 0};

	for (; cells != NULL && *marks != '\0'; marks++) {
		switch (*marks) {
		case 'P':
			cls = "m-p";
			break;
		case 'L':
			cls = "m-l";
			break;
		case 'E':
			cls = "m-e";
			break;
		case 'A':
			cls = "m-a";
			break;
		case 'H':
			cls = "m-h";
			break;
		default:
			cls = "m-off";
			break;
		}
		m[0] = *marks == '.' ? '\0' : *marks;
		json_array_append_new(
		        cells, json_pack("{s:s, s:s}", "m", m, "cls", cls));
	}
	return cells;
}

/* [{href, label, current}] for day, week and month of `base` at date. */
static json_t *
views(struct http_request *req, const char *base, const char *date,
      enum view current)
{
	return json_pack(
	        "[{s:s, s:s, s:b}, {s:s, s:s, s:b}, {s:s, s:s, s:b}]", "href",
	        arena_printf(req->arena, "%s?date=%s", base, date), "label",
	        tr(req, N_("Day")), "current", current == VIEW_DAY, "href",
	        arena_printf(req->arena, "%s/week?date=%s", base, date),
	        "label", tr(req, N_("Week")), "current", current == VIEW_WEEK,
	        "href",
	        arena_printf(req->arena, "%s/month?date=%s", base, date),
	        "label", tr(req, N_("Month")), "current",
	        current == VIEW_MONTH);
}

/*
 * The range of the view around date: the day, its Monday..Sunday week or
 * its month, and where the previous and next ones start.
 */
static void
view_range(struct http_request *req, enum view v, const char *date,
           const char **from, const char **to, const char **prev,
           const char **next)
{
	char a[ATTENDANCE_DATE_SIZE], b[ATTENDANCE_DATE_SIZE];
	int64_t day = 0, first, last;

	attendance_date_day(date, &day);
	if (v == VIEW_WEEK)
		attendance_week_of(day, &first, &last);
	else if (v == VIEW_MONTH)
		attendance_month_of(day, &first, &last);
	else
		first = last = day;
	attendance_day_date(first, a);
	attendance_day_date(last, b);
	*from = arena_strdup(req->arena, a);
	*to = arena_strdup(req->arena, b);
	*prev = att_date_add(req, *from, v == VIEW_WEEK ? -7 : -1);
	*next = att_date_add(req, *to, 1);
}

/* The path suffix of a view's page: "", "/week" or "/month". */
static const char *
view_path(enum view v)
{
	return v == VIEW_WEEK ? "/week" : v == VIEW_MONTH ? "/month" : "";
}

/* Fields every attendance page has: school, the date form, views. */
static void
page_common(struct http_request *req, json_t *ctx, int64_t school_id,
            const char *base, const char *date, enum view v, const char *prev,
            const char *next)
{
	const char *path = view_path(v);

	json_object_set_new(ctx, "school", att_school_head(req, school_id));
	json_object_set_new(ctx, "picked", json_string(date));
	json_object_set_new(
	        ctx, "action",
	        json_string(arena_printf(req->arena, "%s%s", base, path)));
	json_object_set_new(ctx, "prev_href",
	                    json_string(arena_printf(req->arena, "%s%s?date=%s",
	                                             base, path, prev)));
	json_object_set_new(ctx, "next_href",
	                    json_string(arena_printf(req->arena, "%s%s?date=%s",
	                                             base, path, next)));
	json_object_set_new(ctx, "views", views(req, base, date, v));
	json_object_set_new(
	        ctx, "calendar_href",
	        json_string(arena_printf(req->arena, "/school/%s/calendar",
	                                 req->params[0])));
	label_counts(req, json_object_get(ctx, "counts"));
}

/*
 * Answers a class's or a school's page: the day's template, or for a week
 * or a month the range's template with the chart and the days labelled.
 * Takes ctx.
 */
static int
render_view(struct http_request *req, struct http_response *res, json_t *ctx,
            enum view v, const char *day_page, const char *range_page)
{
	const char *holiday;

	if (v == VIEW_DAY) {
		holiday = json_string_value(json_object_get(ctx, "holiday"));
		json_object_set_new(
		        ctx, "counted",
		        json_boolean(!strcmp(
		                json_string_value(json_object_get(ctx, "kind")),
		                "school")));
		json_object_set_new(
		        ctx, "kind_label",
		        json_string(
		                holiday != NULL
		                        ? holiday
		                        : att_kind_label(
		                                  req,
		                                  json_string_value(
		                                          json_object_get(
		                                                  ctx,
		                                                  "kind")))));
		return page_render(req, res, 200, N_("Attendance"), day_page,
		                   ctx);
	}
	json_object_set_new(ctx, "chart",
	                    chart(req, json_object_get(ctx, "days")));
	label_days(req, json_object_get(ctx, "days"));
	json_object_set_new(ctx, "view_title",
	                    json_string(tr(req, v == VIEW_WEEK ? N_("Week")
	                                                       : N_("Month"))));
	return page_render(req, res, 200, N_("Attendance"), range_page, ctx);
}

/* --- A class ------------------------------------------------------------ */

static int
page_class(struct http_request *req, struct http_response *res, enum view v)
{
	const char *date, *from, *to, *prev, *next, *code = req->params[0],
	                                            *base, *cls;
	int64_t school_id, class_id;
	json_t *ctx = NULL, *st;
	size_t i;
	int rc;

	if (att_school(req, res, true, ATT_NAMES, &school_id) == -1 ||
	    att_class(req, res, true, school_id, req->params[1], &class_id) ==
	            -1 ||
	    (date = att_date_param(req, res, true, school_id)) == NULL)
		return 0;
	view_range(req, v, date, &from, &to, &prev, &next);
	if (v == VIEW_DAY)
		rc = attendance_class_day(req->db, school_id, req->params[1],
		                          date, &ctx);
	else
		rc = attendance_class_range(req->db, school_id, req->params[1],
		                            from, to, &ctx);
	if (rc != ATTENDANCE_OK)
		return att_fail_rc(req, res, true, rc);
	if (att_audit_read(req, "class.attendance.read", school_id, "class",
	                   class_id) == -1) {
		json_decref(ctx);
		return -1;
	}
	cls = att_seg(req->arena,
	              json_string_value(json_object_get(ctx, "class")));
	base = arena_printf(req->arena, "/school/%s/class/%s/attendance", code,
	                    cls);
	json_array_foreach(json_object_get(ctx, "students"), i, st)
	{
		json_object_set_new(
		        st, "href",
		        json_string(arena_printf(
		                req->arena, "/school/%s/student/%s", code,
		                att_seg(req->arena,
		                        json_string_value(
		                                json_object_get(st, "ref"))))));
		if (v == VIEW_DAY) {
			json_object_set_new(
			        st, "in_hm",
			        json_string(att_hhmm(
			                req, json_object_get(st, "first_in"))));
			json_object_set_new(
			        st, "out_hm",
			        json_string(att_hhmm(
			                req, json_object_get(st, "last_out"))));
		} else {
			json_object_set_new(
			        st, "cells",
			        mark_cells(json_string_value(
			                json_object_get(st, "marks"))));
			label_counts(req, json_object_get(st, "counts"));
		}
	}
	page_common(req, ctx, school_id, base, date, v, prev, next);
	json_object_set_new(ctx, "has_students",
	                    json_boolean(json_array_size(json_object_get(
	                                         ctx, "students")) > 0));
	json_object_set_new(
	        ctx, "class_href",
	        json_string(arena_printf(req->arena, "/school/%s/class/%s",
	                                 code, cls)));
	json_object_set_new(
	        ctx, "school_view",
	        json_string(arena_printf(req->arena,
	                                 "/school/%s/attendance%s?date=%s",
	                                 code, view_path(v), date)));
	json_object_set_new(
	        ctx, "csv",
	        json_string(arena_printf(req->arena,
	                                 "/api/v1/schools/%s/classes/%s/"
	                                 "attendance.csv?from=%s&to=%s",
	                                 code, cls, from, to)));
	json_object_set_new(
	        ctx, "xlsx",
	        json_string(arena_printf(req->arena,
	                                 "/api/v1/schools/%s/classes/%s/"
	                                 "attendance.xlsx?from=%s&to=%s",
	                                 code, cls, from, to)));
	return render_view(req, res, ctx, v, "attendance_class",
	                   "attendance_class_range");
}

static int
page_class_day(struct http_request *req, struct http_response *res)
{
	return page_class(req, res, VIEW_DAY);
}

static int
page_class_week(struct http_request *req, struct http_response *res)
{
	return page_class(req, res, VIEW_WEEK);
}

static int
page_class_month(struct http_request *req, struct http_response *res)
{
	return page_class(req, res, VIEW_MONTH);
}

/* --- A school ----------------------------------------------------------- */

static int
page_school(struct http_request *req, struct http_response *res, enum view v)
{
	const char *date, *from, *to, *prev, *next, *code = req->params[0],
	                                            *base;
	const struct principal *p = auth_principal(req);
	int64_t school_id;
	json_t *ctx = NULL, *c;
	bool names;
	size_t i;
	int rc;

	if (att_school(req, res, true, ATT_COUNTS, &school_id) == -1 ||
	    (date = att_date_param(req, res, true, school_id)) == NULL)
		return 0;
	view_range(req, v, date, &from, &to, &prev, &next);
	if (v == VIEW_DAY)
		rc = attendance_school_day(req->db, school_id,
		                           auth_class_limit(p), date, &ctx);
	else
		rc = attendance_school_range(req->db, school_id,
		                             auth_class_limit(p), from, to,
		                             &ctx);
	if (rc != ATTENDANCE_OK)
		return att_fail_rc(req, res, true, rc);
	if (att_audit_read(req, "school.attendance.read", school_id, "school",
	                   school_id) == -1) {
		json_decref(ctx);
		return -1;
	}
	/* The education department sees counts, never a class's names. */
	names = auth_allowed(p, PERM_STUDENT_READ);
	base = arena_printf(req->arena, "/school/%s/attendance", code);
	json_array_foreach(json_object_get(ctx, "classes"), i, c)
	{
		label_counts(req, json_object_get(c, "counts"));
		if (names)
			json_object_set_new(
			        c, "link",
			        json_string(arena_printf(
			                req->arena,
			                "/school/%s/class/%s/"
			                "attendance%s?date=%s",
			                code,
			                att_seg(req->arena,
			                        json_string_value(
			                                json_object_get(
			                                        c, "name"))),
			                view_path(v), date)));
	}
	page_common(req, ctx, school_id, base, date, v, prev, next);
	json_object_set_new(ctx, "has_classes",
	                    json_boolean(json_array_size(json_object_get(
	                                         ctx, "classes")) > 0));
	json_object_set_new(ctx, "mine_only",
	                    json_boolean(auth_class_limit(p) != 0));
	json_object_set_new(
	        ctx, "xlsx",
	        json_string(arena_printf(req->arena,
	                                 "/api/v1/schools/%s/attendance.xlsx"
	                                 "?from=%s&to=%s",
	                                 code, from, to)));
	return render_view(req, res, ctx, v, "attendance_school",
	                   "attendance_school_range");
}

static int
page_school_day(struct http_request *req, struct http_response *res)
{
	return page_school(req, res, VIEW_DAY);
}

static int
page_school_week(struct http_request *req, struct http_response *res)
{
	return page_school(req, res, VIEW_WEEK);
}

static int
page_school_month(struct http_request *req, struct http_response *res)
{
	return page_school(req, res, VIEW_MONTH);
}

/* --- GET /attendance: the schools of a region --------------------------- */

static int
page_overview(struct http_request *req, struct http_response *res)
{
	const struct principal *p = auth_principal(req);
	const char *date = http_query(req, "date");
	struct attendance_calendar cal;
	char today[ATTENDANCE_DATE_SIZE];
	json_t *list = NULL, *s, *day, *week;
	size_t i;

	if (p == NULL || p->kind != PRINCIPAL_STAFF ||
	    !auth_allowed(p, PERM_SCHOOL_MANAGE))
		return att_fail(req, res, true, 403,
		                N_("you may not do that in this school"));
	if (date == NULL || date[0] == '\0') {
		/* One date for every school: today by the default clock. */
		attendance_calendar_default(&cal, (int64_t)time(NULL));
		attendance_day_date(cal.today, today);
		date = arena_strdup(req->arena, today);
	} else if (att_date_add(req, date, 0) == NULL) {
		return att_fail(req, res, true, 422,
		                N_("date: not a date (YYYY-MM-DD)"));
	}
	if (date == NULL || att_overview(req, date, &list) != ATTENDANCE_OK)
		return -1;
	json_array_foreach(list, i, s)
	{
		day = json_object_get(s, "day");
		week = json_object_get(s, "week");
		label_counts(req, json_object_get(day, "counts"));
		label_counts(req, json_object_get(week, "counts"));
		json_object_set_new(
		        day, "kind_label",
		        json_string(
		                json_is_string(json_object_get(day, "holiday"))
		                        ? json_string_value(json_object_get(
		                                  day, "holiday"))
		                        : att_kind_label(
		                                  req,
		                                  json_string_value(
		                                          json_object_get(
		                                                  day,
		                                                  "kind")))));
		json_object_set_new(
		        s, "href",
		        json_string(arena_printf(
		                req->arena,
		                "/school/%s/attendance/week?date=%s",
		                json_string_value(json_object_get(s, "code")),
		                date)));
	}
	return page_render(
	        req, res, 200, N_("Attendance"), "attendance_region",
	        json_pack("{s:s, s:s, s:s, s:s, s:b, s:o}", "picked", date,
	                  "action", "/attendance", "prev_href",
	                  arena_printf(req->arena, "/attendance?date=%s",
	                               att_date_add(req, date, -1)),
	                  "next_href",
	                  arena_printf(req->arena, "/attendance?date=%s",
	                               att_date_add(req, date, 1)),
	                  "has_schools", json_array_size(list) > 0, "schools",
	                  list));
}

int
attendance_pages_register(struct http_server *srv)
{
	const int page = HTTP_PAGE | HTTP_STAFF;

	if (http_route(srv, "GET", "/attendance", page_overview, page) == -1 ||
	    http_route(srv, "GET", "/school/{school}/attendance",
	               page_school_day, page) == -1 ||
	    http_route(srv, "GET", "/school/{school}/attendance/week",
	               page_school_week, page) == -1 ||
	    http_route(srv, "GET", "/school/{school}/attendance/month",
	               page_school_month, page) == -1 ||
	    http_route(srv, "GET", "/school/{school}/class/{class}/attendance",
	               page_class_day, page) == -1 ||
	    http_route(srv, "GET",
	               "/school/{school}/class/{class}/attendance/week",
	               page_class_week, page) == -1 ||
	    http_route(srv, "GET",
	               "/school/{school}/class/{class}/attendance/month",
	               page_class_month, page) == -1)
		return -1;
	return 0;
}
