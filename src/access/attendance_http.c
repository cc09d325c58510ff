/*
 * Attendance pages and exports.
 *
 *   GET /school/{school}/attendance?date=                      page
 *   GET /school/{school}/class/{class}/attendance?date=        page
 *   GET /api/v1/schools/{school}/classes/{class}/attendance?date=
 *                                                              200 JSON
 *   GET /api/v1/schools/{school}/classes/{class}/attendance.csv?from=&to=
 *                                                              200 CSV
 *
 * Every route needs staff with PERM_STUDENT_READ who may see the school;
 * the checks run in the people module's order (404 school, 403, 404
 * class).  A missing date is today (UTC), a bad one is 422 naming the
 * parameter.  Every answer that shows students is audited as a read.
 */
#include "access/attendance.h"

#include <stdio.h>
#include <string.h>

#include "access/access.h"
#include "audit/audit.h"
#include "auth/auth_http.h"
#include "core/log.h"
#include "core/validate.h"
#include "http/http.h"
#include "people/people.h"
#include "web/i18n.h"
#include "web/page.h"

/* Errors on pages are translated; the JSON API answers in English. */
static int
fail(struct http_request *req, struct http_response *res, bool page, int status,
     const char *msgid)
{
	return http_problem(res, status,
	                    page ? i18n_get(req->lang, msgid) : msgid);
}

/*
 * The school named by params[0] when the caller is staff with
 * PERM_STUDENT_READ who may see it.  Answers and returns -1 otherwise.
 */
static int
staff_school(struct http_request *req, struct http_response *res, bool page,
             int64_t *school_id)
{
	const struct principal *p = auth_principal(req);
	int rc;

	if (p == NULL || p->kind != PRINCIPAL_STAFF) {
		fail(req, res, page, 403, N_("only staff may do that"));
		return -1;
	}
	rc = people_school_find(req->db, req->params[0], school_id);
	if (rc == PEOPLE_NOT_FOUND) {
		fail(req, res, page, 404, N_("no such school"));
		return -1;
	}
	if (rc != PEOPLE_OK) {
		fail(req, res, page, 500, N_("internal error"));
		return -1;
	}
	if (!auth_allowed(p, PERM_STUDENT_READ) ||
	    !auth_school_visible(req->db, p, *school_id)) {
		fail(req, res, page, 403,
		     N_("you may not do that in this school"));
		return -1;
	}
	return 0;
}

static int
audit_read(struct http_request *req, const char *action, int64_t school_id,
           const char *type, int64_t id)
{
	char object[24];

	snprintf(object, sizeof(object), "%lld", (long long)id);
	if (audit_record_read(req->db, auth_principal(req), action, school_id,
	                      type, object) != 0) {
		log_warnx("attendance: cannot audit a read id=%s",
		          req->request_id);
		return -1;
	}
	return 0;
}

/* Today as YYYY-MM-DD (UTC), in the arena. */
static const char *
today(struct http_request *req)
{
	char now[PEOPLE_TIME_MAX];

	people_now(now);
	return arena_strndup(req->arena, now, 10);
}

/* The date `days` away from a valid `date`, in the arena, or NULL. */
static const char *
date_add(struct http_request *req, const char *date, int64_t days)
{
	char stamp[ACCESS_TIME_SIZE];
	int64_t at;

	snprintf(stamp, sizeof(stamp), "%.10sT00:00:00Z", date);
	if (access_time_parse(stamp, &at) == -1)
		return NULL;
	access_time_format(at + days * 86400, stamp);
	return arena_strndup(req->arena, stamp, 10);
}

/* ?date=, today when missing; NULL after answering 422 when bad. */
static const char *
date_param(struct http_request *req, struct http_response *res, bool page)
{
	const char *date = http_query(req, "date");

	if (date == NULL || date[0] == '\0')
		return today(req);
	if (!validate_date(date) || date_add(req, date, 0) == NULL) {
		fail(req, res, page, 422, N_("date: not a date (YYYY-MM-DD)"));
		return NULL;
	}
	return date;
}

/* A path segment percent-encoded (class names may be Cyrillic). */
static const char *
seg(struct arena *a, const char *s)
{
	const char *out = http_url_encode(a, s != NULL ? s : "", "");

	return out != NULL ? out : "";
}

/* {code, name, href} of the school for headings, or NULL. */
static json_t *
school_head(struct http_request *req, int64_t school_id)
{
	json_t *brief = NULL, *head;
	const char *code;

	if (people_school_brief(req->db, school_id, &brief) != PEOPLE_OK)
		return NULL;
	code = json_string_value(json_object_get(brief, "code"));
	head = json_pack("{s:O, s:O, s:s}", "code",
	                 json_object_get(brief, "code"), "name",
	                 json_object_get(brief, "name"), "href",
	                 arena_printf(req->arena, "/school/%s",
	                              code != NULL ? code : ""));
	json_decref(brief);
	return head;
}

/* Answers an attendance_rc that is not ATTENDANCE_OK; returns 0 or -1. */
static int
fail_rc(struct http_request *req, struct http_response *res, bool page, int rc)
{
	if (rc == ATTENDANCE_NOT_FOUND)
		return fail(req, res, page, 404, N_("no such class"));
	if (rc == ATTENDANCE_INVALID)
		return fail(req, res, page, 422,
		            N_("date: not a date (YYYY-MM-DD)"));
	return -1;
}

/* "HH:MM" of an RFC 3339 timestamp value, or "". */
static const char *
hhmm(struct http_request *req, json_t *stamp)
{
	const char *s = json_string_value(stamp);

	if (s == NULL || strlen(s) < 16)
		return "";
	return arena_strndup(req->arena, s + 11, 5);
}

/* --- GET /api/v1/schools/{school}/classes/{class}/attendance ------------ */

static int
api_class_day(struct http_request *req, struct http_response *res)
{
	const char *date;
	int64_t school_id, class_id;
	json_t *day = NULL;
	int rc;

	if (staff_school(req, res, false, &school_id) == -1)
		return 0;
	if ((date = date_param(req, res, false)) == NULL)
		return 0;
	rc = attendance_class_day(req->db, school_id, req->params[1], date,
	                          &day);
	if (rc != ATTENDANCE_OK)
		return fail_rc(req, res, false, rc);
	class_id = json_integer_value(json_object_get(day, "class_id"));
	json_object_del(day, "class_id");
	if (audit_read(req, "class.attendance.read", school_id, "class",
	               class_id) == -1) {
		json_decref(day);
		return -1;
	}
	rc = http_json(res, 200, day);
	json_decref(day);
	return rc;
}

/* --- GET .../attendance.csv?from=&to= ----------------------------------- */

static const char *const csv_columns[] = {
        "date",     "ref",     "full_name", "class",  "first_in",
        "last_out", "minutes", "late",      "absent", "left_early",
};

static void
csv_flag(struct buf *b, json_t *v)
{
	buf_puts(b, json_is_true(v) ? ",1" : ",0");
}

static void
csv_text(struct buf *b, const char *s)
{
	buf_putc(b, ',');
	buf_put_csv_field(b, s != NULL ? s : "");
}

/* The range as CSV, one line per student per day, into b. */
static void
range_csv(json_t *range, struct buf *b)
{
	const char *cls = json_string_value(json_object_get(range, "class"));
	json_t *st, *day;
	size_t i, j, k;

	for (k = 0; k < sizeof(csv_columns) / sizeof(csv_columns[0]); k++) {
		if (k > 0)
			buf_putc(b, ',');
		buf_puts(b, csv_columns[k]);
	}
	buf_puts(b, "\r\n");
	json_array_foreach(json_object_get(range, "students"), i, st)
	{
		json_array_foreach(json_object_get(st, "days"), j, day)
		{
			buf_put_csv_field(b, json_string_value(json_object_get(
			                             day, "date")));
			csv_text(b,
			         json_string_value(json_object_get(st, "ref")));
			csv_text(b, json_string_value(
			                    json_object_get(st, "full_name")));
			csv_text(b, cls);
			csv_text(b, json_string_value(
			                    json_object_get(day, "first_in")));
			csv_text(b, json_string_value(
			                    json_object_get(day, "last_out")));
			buf_printf(b, ",%lld",
			           (long long)json_integer_value(
			                   json_object_get(day, "minutes")));
			csv_flag(b, json_object_get(day, "late"));
			csv_flag(b, json_object_get(day, "absent"));
			csv_flag(b, json_object_get(day, "left_early"));
			buf_puts(b, "\r\n");
		}
	}
}

static int
api_class_csv(struct http_request *req, struct http_response *res)
{
	const char *from = http_query(req, "from"), *to = http_query(req, "to");
	int64_t school_id, days;
	json_t *range = NULL;
	struct buf out;
	bool ok;
	int rc;

	if (staff_school(req, res, false, &school_id) == -1)
		return 0;
	if (to == NULL || to[0] == '\0')
		to = today(req);
	else if (!validate_date(to))
		return http_problem(res, 422, "to: not a date (YYYY-MM-DD)");
	if (from == NULL || from[0] == '\0')
		from = date_add(req, to, -6);
	else if (!validate_date(from))
		return http_problem(res, 422, "from: not a date (YYYY-MM-DD)");
	if (from == NULL)
		return http_problem(res, 422, "to: not a date (YYYY-MM-DD)");
	days = access_days_between(from, to, &ok);
	if (!ok)
		return http_problem(res, 422, "from: not a date (YYYY-MM-DD)");
	if (days < 0)
		return http_problem(res, 422, "from: after to");
	if (days + 1 > ATTENDANCE_RANGE_MAX_DAYS)
		return http_problemf(res, 422, "to: at most %d days from from",
		                     ATTENDANCE_RANGE_MAX_DAYS);
	rc = attendance_class_range(req->db, school_id, req->params[1], from,
	                            to, &range);
	if (rc != ATTENDANCE_OK)
		return fail_rc(req, res, false, rc);
	if (audit_read(req, "class.attendance.export", school_id, "class",
	               json_integer_value(
	                       json_object_get(range, "class_id"))) == -1) {
		json_decref(range);
		return -1;
	}
	buf_init(&out);
	range_csv(range, &out);
	json_decref(range);
	if (out.failed) {
		buf_free(&out);
		return -1;
	}
	buf_free(&res->body);
	res->body = out;
	res->status = 200;
	res->content_type = "text/csv; charset=utf-8";
	return http_add_header(
	        res, "Content-Disposition",
	        arena_printf(req->arena,
	                     "attachment; filename=\"attendance-%s-%s.csv\"",
	                     from, to));
}

/* --- Pages -------------------------------------------------------------- */

/* GET /school/{school}/class/{class}/attendance: the class at a glance. */
static int
page_class_day(struct http_request *req, struct http_response *res)
{
	const char *date, *code = req->params[0], *base, *cls;
	int64_t school_id, class_id;
	json_t *day = NULL, *st;
	size_t i;
	int rc;

	if (staff_school(req, res, true, &school_id) == -1)
		return 0;
	if ((date = date_param(req, res, true)) == NULL)
		return 0;
	rc = attendance_class_day(req->db, school_id, req->params[1], date,
	                          &day);
	if (rc != ATTENDANCE_OK)
		return fail_rc(req, res, true, rc);
	class_id = json_integer_value(json_object_get(day, "class_id"));
	if (audit_read(req, "class.attendance.read", school_id, "class",
	               class_id) == -1) {
		json_decref(day);
		return -1;
	}
	cls = seg(req->arena, json_string_value(json_object_get(day, "class")));
	base = arena_printf(req->arena, "/school/%s/class/%s", code, cls);
	json_array_foreach(json_object_get(day, "students"), i, st)
	{
		json_object_set_new(
		        st, "in_hm",
		        json_string(
		                hhmm(req, json_object_get(st, "first_in"))));
		json_object_set_new(
		        st, "out_hm",
		        json_string(
		                hhmm(req, json_object_get(st, "last_out"))));
		json_object_set_new(
		        st, "href",
		        json_string(arena_printf(
		                req->arena, "/school/%s/student/%s", code,
		                seg(req->arena,
		                    json_string_value(
		                            json_object_get(st, "ref"))))));
	}
	json_object_set_new(day, "school", school_head(req, school_id));
	json_object_set_new(day, "has_students",
	                    json_boolean(json_array_size(json_object_get(
	                                         day, "students")) > 0));
	json_object_set_new(day, "class_href", json_string(base));
	json_object_set_new(
	        day, "action",
	        json_string(arena_printf(req->arena, "%s/attendance", base)));
	json_object_set_new(
	        day, "prev",
	        json_string(arena_printf(req->arena, "%s/attendance?date=%s",
	                                 base, date_add(req, date, -1))));
	json_object_set_new(
	        day, "next",
	        json_string(arena_printf(req->arena, "%s/attendance?date=%s",
	                                 base, date_add(req, date, 1))));
	json_object_set_new(day, "school_day",
	                    json_string(arena_printf(
	                            req->arena, "/school/%s/attendance?date=%s",
	                            code, date)));
	json_object_set_new(
	        day, "export",
	        json_string(arena_printf(
	                req->arena,
	                "/api/v1/schools/%s/classes/%s/attendance.csv"
	                "?from=%s&to=%s",
	                code, cls, date_add(req, date, -6), date)));
	return page_render(req, res, 200, N_("Attendance"), "attendance_class",
	                   day);
}

/* GET /school/{school}/attendance: every class's counts for a day. */
static int
page_school_day(struct http_request *req, struct http_response *res)
{
	const char *date, *code = req->params[0];
	int64_t school_id;
	json_t *day = NULL, *c;
	size_t i;
	int rc;

	if (staff_school(req, res, true, &school_id) == -1)
		return 0;
	if ((date = date_param(req, res, true)) == NULL)
		return 0;
	rc = attendance_school_day(req->db, school_id, date, &day);
	if (rc != ATTENDANCE_OK)
		return fail_rc(req, res, true, rc);
	if (audit_read(req, "school.attendance.read", school_id, "school",
	               school_id) == -1) {
		json_decref(day);
		return -1;
	}
	json_array_foreach(json_object_get(day, "classes"), i, c)
	        json_object_set_new(
	                c, "href",
	                json_string(arena_printf(
	                        req->arena,
	                        "/school/%s/class/%s/attendance?date=%s", code,
	                        seg(req->arena,
	                            json_string_value(
	                                    json_object_get(c, "name"))),
	                        date)));
	json_object_set_new(day, "school", school_head(req, school_id));
	json_object_set_new(day, "has_classes",
	                    json_boolean(json_array_size(json_object_get(
	                                         day, "classes")) > 0));
	json_object_set_new(
	        day, "action",
	        json_string(arena_printf(req->arena, "/school/%s/attendance",
	                                 code)));
	json_object_set_new(day, "prev",
	                    json_string(arena_printf(
	                            req->arena, "/school/%s/attendance?date=%s",
	                            code, date_add(req, date, -1))));
	json_object_set_new(day, "next",
	                    json_string(arena_printf(
	                            req->arena, "/school/%s/attendance?date=%s",
	                            code, date_add(req, date, 1))));
	return page_render(req, res, 200, N_("Attendance"), "attendance_school",
	                   day);
}

int
attendance_http_register(struct http_server *srv)
{
	const int page = HTTP_PAGE | HTTP_STAFF;

	if (http_route(srv, "GET", "/school/{school}/attendance",
	               page_school_day, page) == -1 ||
	    http_route(srv, "GET", "/school/{school}/class/{class}/attendance",
	               page_class_day, page) == -1 ||
	    http_route(srv, "GET",
	               "/api/v1/schools/{school}/classes/{class}/attendance",
	               api_class_day, HTTP_STAFF) == -1 ||
	    http_route(
	            srv, "GET",
	            "/api/v1/schools/{school}/classes/{class}/attendance.csv",
	            api_class_csv, HTTP_STAFF) == -1)
		return -1;
	return 0;
}
