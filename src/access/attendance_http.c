/*
 * The attendance JSON API and exports, and the checks every attendance
 * handler shares (attendance_internal.h).
 *
 *   GET /api/v1/schools/{school}/attendance?date=            school's day
 *   GET /api/v1/schools/{school}/attendance/range?from=&to=  school's days
 *   GET /api/v1/schools/{school}/attendance.xlsx?from=&to=   XLSX
 *   GET /api/v1/schools/{school}/classes/{class}/attendance?date=
 *   GET /api/v1/schools/{school}/classes/{class}/attendance/range?from=&to=
 *   GET /api/v1/schools/{school}/classes/{class}/attendance.csv?from=&to=
 *   GET /api/v1/schools/{school}/classes/{class}/attendance.xlsx?from=&to=
 *   GET /api/v1/attendance/schools?date=        the education department's
 *
 * Routes that show students need PERM_STUDENT_READ; the school's counts
 * also PERM_SCHOOL_MANAGE (the education department); a class teacher
 * sees only their classes, and the school's counts of those.  A missing
 * date is the school's today; a missing range is the week up to today.
 * Every answer is audited as a read, every export as an export.
 */
#include "access/attendance_internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "audit/audit.h"
#include "auth/auth_http.h"
#include "core/log.h"
#include "core/validate.h"
#include "people/people.h"
#include "web/i18n.h"

#define XLSX_TYPE                                                              \
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

int
att_fail(struct http_request *req, struct http_response *res, bool page,
         int status, const char *msgid)
{
	return http_problem(res, status,
	                    page ? i18n_get(req->lang, msgid) : msgid);
}

/*
 * The school's own calendar (holidays, shift ends, its week) is the
 * school's business: whoever manages its roster and classes (the director,
 * the school's administrator) may change it, and so may those above
 * schools (the education department, the platform administrator).
 */
bool
att_may_manage(const struct principal *p)
{
	return auth_allowed(p, PERM_ROSTER_MANAGE) ||
	       auth_allowed(p, PERM_SCHOOL_MANAGE);
}

static bool
may(const struct principal *p, enum att_need need)
{
	switch (need) {
	case ATT_NAMES:
		return auth_allowed(p, PERM_STUDENT_READ);
	case ATT_COUNTS:
		return auth_allowed(p, PERM_STUDENT_READ) ||
		       auth_allowed(p, PERM_SCHOOL_MANAGE);
	case ATT_CALENDAR:
		return true;
	case ATT_MANAGE:
		break;
	}
	return att_may_manage(p);
}

int
att_school(struct http_request *req, struct http_response *res, bool page,
           enum att_need need, int64_t *school_id)
{
	const struct principal *p = auth_principal(req);
	int rc;

	if (p == NULL || p->kind != PRINCIPAL_STAFF) {
		att_fail(req, res, page, 403, N_("only staff may do that"));
		return -1;
	}
	rc = people_school_find(req->db, req->params[0], school_id);
	if (rc == PEOPLE_NOT_FOUND) {
		att_fail(req, res, page, 404, N_("no such school"));
		return -1;
	}
	if (rc != PEOPLE_OK) {
		att_fail(req, res, page, 500, N_("internal error"));
		return -1;
	}
	if (!may(p, need) || !auth_school_visible(req->db, p, *school_id)) {
		att_fail(req, res, page, 403,
		         N_("you may not do that in this school"));
		return -1;
	}
	return 0;
}

int
att_class(struct http_request *req, struct http_response *res, bool page,
          int64_t school_id, const char *name, int64_t *class_id)
{
	int rc = people_class_find(req->db, school_id, name, class_id);

	if (rc == PEOPLE_NOT_FOUND) {
		att_fail(req, res, page, 404, N_("no such class"));
		return -1;
	}
	if (rc != PEOPLE_OK) {
		att_fail(req, res, page, 500, N_("internal error"));
		return -1;
	}
	if (!auth_class_visible(req->db, auth_principal(req), *class_id)) {
		att_fail(req, res, page, 403,
		         N_("you may see only your own classes"));
		return -1;
	}
	return 0;
}

int
att_audit_read(struct http_request *req, const char *action, int64_t school_id,
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

int
att_fail_rc(struct http_request *req, struct http_response *res, bool page,
            int rc)
{
	if (rc == ATTENDANCE_NOT_FOUND)
		return att_fail(req, res, page, 404, N_("no such class"));
	if (rc == ATTENDANCE_INVALID)
		return att_fail(req, res, page, 422,
		                N_("date: not a date (YYYY-MM-DD)"));
	return -1;
}

const char *
att_date_add(struct http_request *req, const char *date, int64_t days)
{
	char out[ATTENDANCE_DATE_SIZE];
	int64_t day;

	if (attendance_date_day(date, &day) == -1)
		return NULL;
	attendance_day_date(day + days, out);
	return arena_strdup(req->arena, out);
}

/* The school's today, in the arena; NULL after a database failure. */
static const char *
today(struct http_request *req, int64_t school_id)
{
	char out[ATTENDANCE_DATE_SIZE];

	if (attendance_today(req->db, school_id, out) != ATTENDANCE_OK)
		return NULL;
	return arena_strdup(req->arena, out);
}

const char *
att_date_param(struct http_request *req, struct http_response *res, bool page,
               int64_t school_id)
{
	const char *date = http_query(req, "date");

	if (date == NULL || date[0] == '\0') {
		if ((date = today(req, school_id)) == NULL)
			att_fail(req, res, page, 500, N_("internal error"));
		return date;
	}
	if (att_date_add(req, date, 0) == NULL) {
		att_fail(req, res, page, 422,
		         N_("date: not a date (YYYY-MM-DD)"));
		return NULL;
	}
	return date;
}

const char *
att_seg(struct arena *a, const char *s)
{
	const char *out = http_url_encode(a, s != NULL ? s : "", "");

	return out != NULL ? out : "";
}

json_t *
att_school_head(struct http_request *req, int64_t school_id)
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

const char *
att_hhmm(struct http_request *req, json_t *stamp)
{
	const char *s = json_string_value(stamp);

	if (s == NULL || strlen(s) < 16)
		return "";
	return arena_strndup(req->arena, s + 11, 5);
}

const char *
att_kind_label(struct http_request *req, const char *kind)
{
	if (kind == NULL || strcmp(kind, "school") == 0)
		return i18n_get(req->lang, N_("School day"));
	if (strcmp(kind, "day_off") == 0)
		return i18n_get(req->lang, N_("Day off"));
	if (strcmp(kind, "holiday") == 0)
		return i18n_get(req->lang, N_("Holiday"));
	return i18n_get(req->lang, N_("Not yet"));
}

/* Answers JSON and drops the reference. */
static int
answer(struct http_response *res, json_t *body)
{
	int rc = http_json(res, 200, body);

	json_decref(body);
	return rc;
}

/* --- Ranges ------------------------------------------------------------- */

/*
 * ?from=&to=: to defaults to the school's today and from to six days
 * before to.  0, or -1 after answering 422 naming the parameter.
 */
static int
range_params(struct http_request *req, struct http_response *res,
             int64_t school_id, const char **from, const char **to)
{
	int64_t a, b;

	*from = http_query(req, "from");
	*to = http_query(req, "to");
	if (*to == NULL || (*to)[0] == '\0') {
		if ((*to = today(req, school_id)) == NULL) {
			http_problem(res, 500, "internal error");
			return -1;
		}
	} else if (attendance_date_day(*to, &b) == -1) {
		http_problem(res, 422, "to: not a date (YYYY-MM-DD)");
		return -1;
	}
	if (*from == NULL || (*from)[0] == '\0') {
		*from = att_date_add(req, *to, -6);
	} else if (attendance_date_day(*from, &a) == -1) {
		http_problem(res, 422, "from: not a date (YYYY-MM-DD)");
		return -1;
	}
	if (*from == NULL || attendance_date_day(*from, &a) == -1 ||
	    attendance_date_day(*to, &b) == -1) {
		http_problem(res, 500, "internal error");
		return -1;
	}
	if (b < a) {
		http_problem(res, 422, "from: after to");
		return -1;
	}
	if (b - a + 1 > ATTENDANCE_RANGE_MAX_DAYS) {
		http_problemf(res, 422, "to: at most %d days from from",
		              ATTENDANCE_RANGE_MAX_DAYS);
		return -1;
	}
	return 0;
}

/* The school's name for titles of exports, in the arena. */
static const char *
school_name(struct http_request *req, int64_t school_id)
{
	json_t *head = att_school_head(req, school_id);
	const char *name = json_string_value(json_object_get(head, "name"));

	name = arena_strdup(req->arena, name != NULL ? name : "");
	json_decref(head);
	return name != NULL ? name : "";
}

/* Puts an export's bytes in the response as an attachment. */
static int
attachment(struct http_request *req, struct http_response *res, struct buf *b,
           const char *type, const char *name)
{
	buf_free(&res->body);
	res->body = *b;
	res->status = 200;
	res->content_type = type;
	return http_add_header(
	        res, "Content-Disposition",
	        arena_printf(req->arena, "attachment; filename=\"%s\"", name));
}

/* --- GET /api/v1/schools/{school}/classes/{class}/attendance ------------ */

static int
api_class_day(struct http_request *req, struct http_response *res)
{
	const char *date;
	int64_t school_id, class_id;
	json_t *day = NULL;
	int rc;

	if (att_school(req, res, false, ATT_NAMES, &school_id) == -1 ||
	    att_class(req, res, false, school_id, req->params[1], &class_id) ==
	            -1 ||
	    (date = att_date_param(req, res, false, school_id)) == NULL)
		return 0;
	rc = attendance_class_day(req->db, school_id, req->params[1], date,
	                          &day);
	if (rc != ATTENDANCE_OK)
		return att_fail_rc(req, res, false, rc);
	json_object_del(day, "class_id");
	if (att_audit_read(req, "class.attendance.read", school_id, "class",
	                   class_id) == -1) {
		json_decref(day);
		return -1;
	}
	return answer(res, day);
}

/* --- GET .../classes/{class}/attendance/range?from=&to= ----------------- */

/* The class's range after every check, audited as `action`; NULL after
 * answering. */
static json_t *
class_range(struct http_request *req, struct http_response *res,
            const char *action, int64_t *school_id, const char **from,
            const char **to)
{
	int64_t class_id;
	json_t *range = NULL;
	int rc;

	if (att_school(req, res, false, ATT_NAMES, school_id) == -1 ||
	    att_class(req, res, false, *school_id, req->params[1], &class_id) ==
	            -1 ||
	    range_params(req, res, *school_id, from, to) == -1)
		return NULL;
	rc = attendance_class_range(req->db, *school_id, req->params[1], *from,
	                            *to, &range);
	if (rc != ATTENDANCE_OK) {
		if (att_fail_rc(req, res, false, rc) == -1)
			http_problem(res, 500, "internal error");
		return NULL;
	}
	if (att_audit_read(req, action, *school_id, "class", class_id) == -1) {
		json_decref(range);
		http_problem(res, 500, "internal error");
		return NULL;
	}
	json_object_del(range, "class_id");
	return range;
}

static int
api_class_range(struct http_request *req, struct http_response *res)
{
	const char *from, *to;
	int64_t school_id;
	json_t *range;

	range = class_range(req, res, "class.attendance.read", &school_id,
	                    &from, &to);
	return range != NULL ? answer(res, range) : 0;
}

/* --- GET .../attendance.csv?from=&to= ----------------------------------- */

static const char *const csv_columns[] = {
        "date",    "ref",  "full_name", "class",      "first_in", "last_out",
        "minutes", "late", "absent",    "left_early", "day",
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
	json_t *kinds = json_object_get(range, "days"), *st, *day;
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
			csv_text(b, json_string_value(json_object_get(
			                    json_array_get(kinds, j), "kind")));
			buf_puts(b, "\r\n");
		}
	}
}

static int
api_class_csv(struct http_request *req, struct http_response *res)
{
	const char *from, *to;
	int64_t school_id;
	json_t *range;
	struct buf out;

	range = class_range(req, res, "class.attendance.export", &school_id,
	                    &from, &to);
	if (range == NULL)
		return 0;
	buf_init(&out);
	range_csv(range, &out);
	json_decref(range);
	if (out.failed) {
		buf_free(&out);
		return -1;
	}
	return attachment(
	        req, res, &out, "text/csv; charset=utf-8",
	        arena_printf(req->arena, "attendance-%s-%s.csv", from, to));
}

static int
api_class_xlsx(struct http_request *req, struct http_response *res)
{
	const char *from, *to;
	int64_t school_id;
	json_t *range;
	struct buf out;
	int rc;

	range = class_range(req, res, "class.attendance.export", &school_id,
	                    &from, &to);
	if (range == NULL)
		return 0;
	buf_init(&out);
	rc = attendance_xlsx_class(range, school_name(req, school_id),
	                           req->lang, &out);
	json_decref(range);
	if (rc == -1 || out.failed) {
		buf_free(&out);
		return -1;
	}
	return attachment(
	        req, res, &out, XLSX_TYPE,
	        arena_printf(req->arena, "attendance-%s-%s.xlsx", from, to));
}

/* --- The school --------------------------------------------------------- */

/* GET /api/v1/schools/{school}/attendance?date= */
static int
api_school_day(struct http_request *req, struct http_response *res)
{
	const char *date;
	int64_t school_id;
	json_t *day = NULL;
	int rc;

	if (att_school(req, res, false, ATT_COUNTS, &school_id) == -1 ||
	    (date = att_date_param(req, res, false, school_id)) == NULL)
		return 0;
	rc = attendance_school_day(req->db, school_id,
	                           auth_class_limit(auth_principal(req)), date,
	                           &day);
	if (rc != ATTENDANCE_OK)
		return att_fail_rc(req, res, false, rc);
	if (att_audit_read(req, "school.attendance.read", school_id, "school",
	                   school_id) == -1) {
		json_decref(day);
		return -1;
	}
	return answer(res, day);
}

/* The school's range after every check, audited as `action`. */
static json_t *
school_range(struct http_request *req, struct http_response *res,
             const char *action, int64_t *school_id, const char **from,
             const char **to)
{
	json_t *range = NULL;
	int rc;

	if (att_school(req, res, false, ATT_COUNTS, school_id) == -1 ||
	    range_params(req, res, *school_id, from, to) == -1)
		return NULL;
	rc = attendance_school_range(req->db, *school_id,
	                             auth_class_limit(auth_principal(req)),
	                             *from, *to, &range);
	if (rc != ATTENDANCE_OK) {
		if (att_fail_rc(req, res, false, rc) == -1)
			http_problem(res, 500, "internal error");
		return NULL;
	}
	if (att_audit_read(req, action, *school_id, "school", *school_id) ==
	    -1) {
		json_decref(range);
		http_problem(res, 500, "internal error");
		return NULL;
	}
	return range;
}

static int
api_school_range(struct http_request *req, struct http_response *res)
{
	const char *from, *to;
	int64_t school_id;
	json_t *range;

	range = school_range(req, res, "school.attendance.read", &school_id,
	                     &from, &to);
	return range != NULL ? answer(res, range) : 0;
}

static int
api_school_xlsx(struct http_request *req, struct http_response *res)
{
	const char *from, *to;
	int64_t school_id;
	json_t *range;
	struct buf out;
	int rc;

	range = school_range(req, res, "school.attendance.export", &school_id,
	                     &from, &to);
	if (range == NULL)
		return 0;
	buf_init(&out);
	rc = attendance_xlsx_school(range, school_name(req, school_id),
	                            req->lang, &out);
	json_decref(range);
	if (rc == -1 || out.failed) {
		buf_free(&out);
		return -1;
	}
	return attachment(req, res, &out, XLSX_TYPE,
	                  arena_printf(req->arena, "attendance-%s-%s-%s.xlsx",
	                               req->params[0], from, to));
}

/* --- GET /api/v1/attendance/schools?date= ------------------------------- */

int
att_overview(struct http_request *req, const char *date, json_t **out)
{
	const struct principal *p = auth_principal(req);
	json_t *schools = NULL, *seen = NULL, *list = NULL, *s, *o;
	int64_t *ids, id;
	size_t n = 0, i;
	int rc = ATTENDANCE_ERROR;

	*out = NULL;
	if (people_school_list(req->db,
	                       role_is_regional(p->role) ? p->region_id : 0,
	                       &schools) != PEOPLE_OK)
		return ATTENDANCE_ERROR;
	ids = arena_calloc(req->arena, json_array_size(schools) + 1,
	                   sizeof(*ids));
	if (ids == NULL || (seen = json_array()) == NULL)
		goto done;
	json_array_foreach(schools, i, s)
	{
		id = json_integer_value(json_object_get(s, "id"));
		if (!auth_school_visible(req->db, p, id))
			continue;
		ids[n++] = id;
		if (json_array_append(seen, s) == -1)
			goto done;
	}
	rc = attendance_schools_overview(req->db, ids, n, date, &list);
	if (rc != ATTENDANCE_OK)
		goto done;
	json_array_foreach(list, i, o)
	{
		s = json_array_get(seen, i);
		json_object_del(o, "id");
		if (json_object_set(o, "code", json_object_get(s, "code")) ==
		            -1 ||
		    json_object_set(o, "name", json_object_get(s, "name")) ==
		            -1) {
			rc = ATTENDANCE_ERROR;
			goto done;
		}
	}
	if (att_audit_read(req, "attendance.overview.read", 0, "region",
	                   p->region_id) == -1) {
		rc = ATTENDANCE_ERROR;
		goto done;
	}
	*out = list;
	list = NULL;
done:
	json_decref(schools);
	json_decref(seen);
	json_decref(list);
	return rc;
}

static int
api_overview(struct http_request *req, struct http_response *res)
{
	const struct principal *p = auth_principal(req);
	const char *date = http_query(req, "date");
	json_t *list = NULL;
	int rc;

	if (p == NULL || p->kind != PRINCIPAL_STAFF ||
	    !auth_allowed(p, PERM_SCHOOL_MANAGE))
		return http_problem(res, 403, "you may not do that");
	if (date != NULL && date[0] != '\0' &&
	    att_date_add(req, date, 0) == NULL)
		return http_problem(res, 422, "date: not a date (YYYY-MM-DD)");
	rc = att_overview(req, date != NULL && date[0] != '\0' ? date : NULL,
	                  &list);
	if (rc != ATTENDANCE_OK)
		return -1;
	return answer(res, json_pack("{s:o}", "schools", list));
}

int
attendance_http_register(struct http_server *srv)
{
	if (http_route(srv, "GET", "/api/v1/schools/{school}/attendance",
	               api_school_day, HTTP_STAFF) == -1 ||
	    http_route(srv, "GET", "/api/v1/schools/{school}/attendance/range",
	               api_school_range, HTTP_STAFF) == -1 ||
	    http_route(srv, "GET", "/api/v1/schools/{school}/attendance.xlsx",
	               api_school_xlsx, HTTP_STAFF) == -1 ||
	    http_route(srv, "GET",
	               "/api/v1/schools/{school}/classes/{class}/attendance",
	               api_class_day, HTTP_STAFF) == -1 ||
	    http_route(
	            srv, "GET",
	            "/api/v1/schools/{school}/classes/{class}/attendance/range",
	            api_class_range, HTTP_STAFF) == -1 ||
	    http_route(
	            srv, "GET",
	            "/api/v1/schools/{school}/classes/{class}/attendance.csv",
	            api_class_csv, HTTP_STAFF) == -1 ||
	    http_route(
	            srv, "GET",
	            "/api/v1/schools/{school}/classes/{class}/attendance.xlsx",
	            api_class_xlsx, HTTP_STAFF) == -1 ||
	    http_route(srv, "GET", "/api/v1/attendance/schools", api_overview,
	               HTTP_STAFF) == -1)
		return -1;
	return attendance_pages_register(srv) == -1 ||
	                       calendar_http_register(srv) == -1
	               ? -1
	               : 0;
}
