/*
 * The school calendar over HTTP: its page and its JSON API.
 *
 *   GET    /school/{school}/calendar                               page
 *   POST   /school/{school}/calendar                    settings → 303
 *   POST   /school/{school}/calendar/holidays           add      → 303
 *   POST   /school/{school}/calendar/holidays/{id}/delete        → 303
 *   GET    /api/v1/schools/{school}/calendar                  200 JSON
 *   PUT    /api/v1/schools/{school}/calendar                  200 JSON
 *   POST   /api/v1/schools/{school}/calendar/holidays         201 JSON
 *   DELETE /api/v1/schools/{school}/calendar/holidays/{id}    204
 *
 * Any staff of the school may read the calendar (it holds no personal
 * data); changing it needs att_may_manage(), and a holiday of the whole
 * region a region role or the platform administrator.  Bad input is 422
 * naming the field, with nothing written; each change is audited in its
 * own transaction (calendar_store.c).
 */
#include "access/attendance_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth_http.h"
#include "core/validate.h"
#include "http/input.h"
#include "people/people.h"
#include "web/i18n.h"
#include "web/page.h"

static const char *
tr(struct http_request *req, const char *msgid)
{
	return i18n_get(req->lang, msgid);
}

/* Whether p may add or remove a holiday of the whole region. */
static bool
may_region(const struct principal *p)
{
	return p != NULL &&
	       (p->role == ROLE_PLATFORM_ADMIN || role_is_regional(p->role));
}

/* "UTC+05:00" for an offset in minutes, in the arena. */
static const char *
offset_label(struct http_request *req, int offset)
{
	int a = offset < 0 ? -offset : offset;

	return arena_printf(req->arena, "UTC%c%02d:%02d",
	                    offset < 0 ? '-' : '+', a / 60, a % 60);
}

/* The settings of the calendar read model. */
static void
settings_of(json_t *cal, struct attendance_settings *s)
{
	static const char *const ends[ATTENDANCE_SHIFTS] = {
	        "shift1_end", "shift2_end", "shift3_end"};
	int i;

	s->offset_min = (int)json_integer_value(
	        json_object_get(cal, "utc_offset_minutes"));
	s->week_days =
	        (int)json_integer_value(json_object_get(cal, "week_days"));
	for (i = 0; i < ATTENDANCE_SHIFTS; i++)
		s->shift_end[i] = attendance_hhmm(
		        json_string_value(json_object_get(cal, ends[i])));
}

/* What is wrong with a field of the settings, for the 422's detail. */
static const char *
settings_why(const char *field)
{
	if (strcmp(field, "utc_offset_minutes") == 0)
		return "utc_offset_minutes: whole quarter hours from -720 to "
		       "840";
	if (strcmp(field, "week_days") == 0)
		return "week_days: 5 or 6";
	if (strcmp(field, "shift1_end") == 0)
		return "shift1_end: not a time (HH:MM)";
	if (strcmp(field, "shift2_end") == 0)
		return "shift2_end: not a time (HH:MM)";
	return "shift3_end: not a time (HH:MM)";
}

static const char *
holiday_why(const char *field)
{
	if (strcmp(field, "first_day") == 0)
		return "first_day: not a date (YYYY-MM-DD)";
	if (strcmp(field, "last_day") == 0)
		return "last_day: a date from first_day, at most 366 days";
	return "name: 1 to 100 characters of text";
}

/* --- JSON --------------------------------------------------------------- */

static int
answer(struct http_response *res, int status, json_t *body)
{
	int rc = body != NULL ? http_json(res, status, body) : -1;

	json_decref(body);
	return rc;
}

/* GET /api/v1/schools/{school}/calendar */
static int
api_get(struct http_request *req, struct http_response *res)
{
	int64_t school_id;
	json_t *cal = NULL;

	if (att_school(req, res, false, ATT_CALENDAR, &school_id) == -1)
		return 0;
	if (attendance_calendar_get(req->db, school_id, &cal) != ATTENDANCE_OK)
		return -1;
	return answer(res, 200, cal);
}

static bool
hhmm_valid(const char *s)
{
	return attendance_hhmm(s) >= 0;
}

static const struct input_field settings_input[] = {
        {.name = "utc_offset_minutes",
         .type = INPUT_INT,
         .min = ATTENDANCE_OFFSET_MIN,
         .max = ATTENDANCE_OFFSET_MAX},
        {.name = "week_days", .type = INPUT_INT, .min = 5, .max = 6},
        {.name = "shift1_end",
         .type = INPUT_STRING,
         .max_chars = 5,
         .valid = hhmm_valid},
        {.name = "shift2_end",
         .type = INPUT_STRING,
         .max_chars = 5,
         .valid = hhmm_valid},
        {.name = "shift3_end",
         .type = INPUT_STRING,
         .max_chars = 5,
         .valid = hhmm_valid},
};

enum { IN_OFFSET, IN_WEEK, IN_END1, IN_END2, IN_END3, IN_SETTINGS };

/* PUT /api/v1/schools/{school}/calendar: fields left out keep their value. */
static int
api_put(struct http_request *req, struct http_response *res)
{
	struct input_value in[IN_SETTINGS];
	struct attendance_settings s;
	int64_t school_id;
	json_t *body, *cal = NULL;
	const char *bad;
	char err[128];
	int i, rc;

	if (att_school(req, res, false, ATT_MANAGE, &school_id) == -1)
		return 0;
	if ((body = http_json_body(req, res)) == NULL)
		return 0;
	if (input_check(body, settings_input, IN_SETTINGS, in, err,
	                sizeof(err)) == -1) {
		json_decref(body);
		return http_problem(res, 422, err);
	}
	if (attendance_calendar_get(req->db, school_id, &cal) !=
	    ATTENDANCE_OK) {
		json_decref(body);
		return -1;
	}
	settings_of(cal, &s);
	json_decref(cal);
	if (in[IN_OFFSET].present)
		s.offset_min = (int)in[IN_OFFSET].i;
	if (in[IN_WEEK].present)
		s.week_days = (int)in[IN_WEEK].i;
	for (i = 0; i < ATTENDANCE_SHIFTS; i++)
		if (in[IN_END1 + i].present)
			s.shift_end[i] = attendance_hhmm(in[IN_END1 + i].s);
	json_decref(body);
	if ((bad = attendance_settings_invalid(&s)) != NULL)
		return http_problem(res, 422, settings_why(bad));
	rc = attendance_calendar_set(req->db, auth_principal(req), school_id,
	                             &s);
	if (rc != ATTENDANCE_OK)
		return -1;
	if (attendance_calendar_get(req->db, school_id, &cal) != ATTENDANCE_OK)
		return -1;
	return answer(res, 200, cal);
}

static bool
scope_valid(const char *s)
{
	return strcmp(s, "school") == 0 || strcmp(s, "region") == 0;
}

static bool
name_valid(const char *s)
{
	return people_text_valid(s, ATTENDANCE_HOLIDAY_NAME_MAX);
}

static const struct input_field holiday_input[] = {
        {.name = "first_day",
         .type = INPUT_STRING,
         .required = true,
         .max_chars = 10,
         .valid = validate_date},
        {.name = "last_day",
         .type = INPUT_STRING,
         .max_chars = 10,
         .valid = validate_date},
        {.name = "name",
         .type = INPUT_STRING,
         .required = true,
         .max_chars = ATTENDANCE_HOLIDAY_NAME_MAX,
         .valid = name_valid},
        {.name = "scope",
         .type = INPUT_STRING,
         .max_chars = 6,
         .valid = scope_valid},
};

enum { IN_FIRST, IN_LAST, IN_NAME, IN_SCOPE, IN_HOLIDAY };

/*
 * Adds a holiday after the checks that follow validation: the range, the
 * right to a region-wide one, a school without a region, the limit.
 * Returns 0 with *id, or the status with *why (English) answered by the
 * caller.
 */
static int
holiday_add(struct http_request *req, int64_t school_id, const char *first,
            const char *last, const char *name, bool region, int64_t *id,
            const char **why)
{
	const char *bad = attendance_holiday_invalid(first, last, name);
	int rc;

	if (bad != NULL) {
		*why = holiday_why(bad);
		return 422;
	}
	if (region && !may_region(auth_principal(req))) {
		*why = N_("only the education department may set a holiday of "
		          "the whole region");
		return 403;
	}
	rc = attendance_holiday_add(req->db, auth_principal(req), school_id,
	                            region, first, last, name, id);
	if (rc == ATTENDANCE_NOT_FOUND) {
		*why = N_("scope: the school has no region");
		return 422;
	}
	if (rc == ATTENDANCE_FULL) {
		*why = N_("too many holidays: delete old ones first");
		return 409;
	}
	if (rc != ATTENDANCE_OK) {
		*why = N_("internal error");
		return 500;
	}
	return 0;
}

/* POST /api/v1/schools/{school}/calendar/holidays */
static int
api_holiday_add(struct http_request *req, struct http_response *res)
{
	struct input_value in[IN_HOLIDAY];
	const char *last, *why = NULL;
	bool region;
	int64_t school_id, id = 0;
	json_t *body, *out;
	char err[128];
	int status;

	if (att_school(req, res, false, ATT_MANAGE, &school_id) == -1)
		return 0;
	if ((body = http_json_body(req, res)) == NULL)
		return 0;
	if (input_check(body, holiday_input, IN_HOLIDAY, in, err,
	                sizeof(err)) == -1) {
		json_decref(body);
		return http_problem(res, 422, err);
	}
	last = in[IN_LAST].present ? in[IN_LAST].s : in[IN_FIRST].s;
	region = in[IN_SCOPE].present && strcmp(in[IN_SCOPE].s, "region") == 0;
	status = holiday_add(req, school_id, in[IN_FIRST].s, last,
	                     in[IN_NAME].s, region, &id, &why);
	if (status != 0) {
		json_decref(body);
		return status == 500 ? -1 : http_problem(res, status, why);
	}
	out = json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)id,
	                "first_day", in[IN_FIRST].s, "last_day", last, "name",
	                in[IN_NAME].s, "scope", region ? "region" : "school");
	json_decref(body);
	return answer(res, 201, out);
}

/* params[1] as a holiday id, or 0. */
static int64_t
holiday_id(struct http_request *req)
{
	const char *s = req->params[1];
	char *end;
	long long v;

	if (s == NULL || s[0] < '1' || s[0] > '9' || strlen(s) > 18)
		return 0;
	v = strtoll(s, &end, 10);
	return *end == '\0' && v > 0 ? (int64_t)v : 0;
}

/* Deletes params[1] of the school: 0, or the status with *why. */
static int
holiday_delete(struct http_request *req, int64_t school_id, const char **why)
{
	int64_t id = holiday_id(req);
	int scope = id > 0 ? attendance_holiday_scope(req->db, school_id, id)
	                   : ATTENDANCE_NOT_FOUND;

	if (scope == ATTENDANCE_NOT_FOUND) {
		*why = N_("no such holiday");
		return 404;
	}
	if (scope < 0) {
		*why = N_("internal error");
		return 500;
	}
	if (scope == 1 && !may_region(auth_principal(req))) {
		*why = N_("only the education department may set a holiday of "
		          "the whole region");
		return 403;
	}
	if (attendance_holiday_delete(req->db, auth_principal(req), school_id,
	                              id) != ATTENDANCE_OK) {
		*why = N_("internal error");
		return 500;
	}
	return 0;
}

/* DELETE /api/v1/schools/{school}/calendar/holidays/{id} */
static int
api_holiday_delete(struct http_request *req, struct http_response *res)
{
	const char *why = NULL;
	int64_t school_id;
	int status;

	if (att_school(req, res, false, ATT_MANAGE, &school_id) == -1)
		return 0;
	status = holiday_delete(req, school_id, &why);
	if (status == 500)
		return -1;
	if (status != 0)
		return http_problem(res, status, why);
	return http_text(res, 204, NULL, "", 0);
}

/* --- The page ----------------------------------------------------------- */

/* [{value, label, selected}] of every quarter-hour offset. */
static json_t *
offset_choices(struct http_request *req, int current)
{
	json_t *list = json_array();
	int o;

	for (o = ATTENDANCE_OFFSET_MIN;
	     list != NULL && o <= ATTENDANCE_OFFSET_MAX; o += 15)
		json_array_append_new(list,
		                      json_pack("{s:i, s:s, s:b}", "value", o,
		                                "label", offset_label(req, o),
		                                "selected", o == current));
	return list;
}

static const char *
notice_for(const char *done)
{
	if (done == NULL)
		return NULL;
	if (strcmp(done, "saved") == 0)
		return N_("The calendar was saved.");
	if (strcmp(done, "added") == 0)
		return N_("The holiday was added.");
	if (strcmp(done, "deleted") == 0)
		return N_("The holiday was deleted.");
	return NULL;
}

/*
 * The calendar page with `error` (English, translated here; NULL for none)
 * answered with `status`.
 */
static int
render(struct http_request *req, struct http_response *res, int status,
       int64_t school_id, const char *error)
{
	const struct principal *p = auth_principal(req);
	const char *code = req->params[0], *notice;
	bool manage = att_may_manage(p);
	json_t *cal = NULL, *h;
	size_t i;

	if (attendance_calendar_get(req->db, school_id, &cal) != ATTENDANCE_OK)
		return -1;
	json_array_foreach(json_object_get(cal, "holidays"), i, h)
	{
		bool region =
		        !strcmp(json_string_value(json_object_get(h, "scope")),
		                "region");

		json_object_set_new(
		        h, "scope_label",
		        json_string(tr(req, region ? N_("Whole region")
		                                   : N_("This school"))));
		json_object_set_new(
		        h, "can_delete",
		        json_boolean(manage && (!region || may_region(p))));
		json_object_set_new(
		        h, "delete_action",
		        json_string(arena_printf(
		                req->arena,
		                "/school/%s/calendar/holidays/%lld/delete",
		                code,
		                (long long)json_integer_value(
		                        json_object_get(h, "id")))));
	}
	json_object_set_new(cal, "school", att_school_head(req, school_id));
	json_object_set_new(cal, "can_manage", json_boolean(manage));
	json_object_set_new(
	        cal, "can_region",
	        json_boolean(manage && may_region(p) &&
	                     json_is_string(json_object_get(cal, "region"))));
	json_object_set_new(cal, "has_holidays",
	                    json_boolean(json_array_size(json_object_get(
	                                         cal, "holidays")) > 0));
	json_object_set_new(
	        cal, "offset_label",
	        json_string(offset_label(
	                req, (int)json_integer_value(json_object_get(
	                             cal, "utc_offset_minutes")))));
	json_object_set_new(
	        cal, "offsets",
	        offset_choices(req, (int)json_integer_value(json_object_get(
	                                    cal, "utc_offset_minutes"))));
	json_object_set_new(cal, "six_days",
	                    json_boolean(json_integer_value(json_object_get(
	                                         cal, "week_days")) == 6));
	json_object_set_new(cal, "action",
	                    json_string(arena_printf(
	                            req->arena, "/school/%s/calendar", code)));
	json_object_set_new(
	        cal, "holiday_action",
	        json_string(arena_printf(
	                req->arena, "/school/%s/calendar/holidays", code)));
	json_object_set_new(
	        cal, "attendance_href",
	        json_string(arena_printf(req->arena,
	                                 "/school/%s/attendance/week", code)));
	notice = notice_for(http_query(req, "done"));
	if (notice != NULL && error == NULL)
		json_object_set_new(cal, "notice",
		                    json_string(tr(req, notice)));
	if (error != NULL)
		json_object_set_new(cal, "error", json_string(tr(req, error)));
	return page_render(req, res, status, N_("School calendar"), "calendar",
	                   cal);
}

/* GET /school/{school}/calendar */
static int
page_get(struct http_request *req, struct http_response *res)
{
	int64_t school_id;

	if (att_school(req, res, true, ATT_CALENDAR, &school_id) == -1)
		return 0;
	return render(req, res, 200, school_id, NULL);
}

static int
done(struct http_request *req, struct http_response *res, const char *what)
{
	return http_redirect(res, arena_printf(req->arena,
	                                       "/school/%s/calendar?done=%s",
	                                       req->params[0], what));
}

/* An integer form field in [min, max], or false. */
static bool
form_int(struct http_request *req, const char *name, int min, int max, int *out)
{
	const char *s = http_form_value(req, name);
	char *end;
	long v;

	if (s == NULL || s[0] == '\0' || strlen(s) > 6)
		return false;
	v = strtol(s, &end, 10);
	if (*end != '\0' || v < min || v > max)
		return false;
	*out = (int)v;
	return true;
}

/* POST /school/{school}/calendar: the settings form. */
static int
page_settings(struct http_request *req, struct http_response *res)
{
	static const char *const ends[ATTENDANCE_SHIFTS] = {
	        "shift1_end", "shift2_end", "shift3_end"};
	struct attendance_settings s;
	int64_t school_id;
	int i;

	if (att_school(req, res, true, ATT_MANAGE, &school_id) == -1)
		return 0;
	if (!form_int(req, "utc_offset_minutes", ATTENDANCE_OFFSET_MIN,
	              ATTENDANCE_OFFSET_MAX, &s.offset_min) ||
	    s.offset_min % 15 != 0)
		return render(req, res, 422, school_id,
		              N_("UTC offset: choose one from the list."));
	if (!form_int(req, "week_days", 5, 6, &s.week_days))
		return render(req, res, 422, school_id,
		              N_("School week: 5 or 6 days."));
	for (i = 0; i < ATTENDANCE_SHIFTS; i++)
		if ((s.shift_end[i] = attendance_hhmm(
		             http_form_value(req, ends[i]))) < 0)
			return render(req, res, 422, school_id,
			              N_("End of the shift's day: a time, "
			                 "HH:MM."));
	if (attendance_calendar_set(req->db, auth_principal(req), school_id,
	                            &s) != ATTENDANCE_OK)
		return -1;
	return done(req, res, "saved");
}

/* POST /school/{school}/calendar/holidays: the form to add one. */
static int
page_holiday_add(struct http_request *req, struct http_response *res)
{
	const char *first = http_form_value(req, "first_day");
	const char *last = http_form_value(req, "last_day");
	const char *name = http_form_value(req, "name");
	const char *scope = http_form_value(req, "scope");
	const char *why = NULL;
	int64_t school_id, id;
	int status;

	if (att_school(req, res, true, ATT_MANAGE, &school_id) == -1)
		return 0;
	if (last == NULL || last[0] == '\0')
		last = first;
	status = holiday_add(req, school_id, first, last, name,
	                     scope != NULL && strcmp(scope, "region") == 0, &id,
	                     &why);
	if (status == 500)
		return -1;
	if (status != 0)
		return render(
		        req, res, status, school_id,
		        status == 422 && strncmp(why, "scope", 5) != 0
		                ? N_("A holiday needs a name and a first "
		                     "day; the last day is not before it, "
		                     "at most a year later.")
		                : why);
	return done(req, res, "added");
}

/* POST /school/{school}/calendar/holidays/{id}/delete */
static int
page_holiday_delete(struct http_request *req, struct http_response *res)
{
	const char *why = NULL;
	int64_t school_id;
	int status;

	if (att_school(req, res, true, ATT_MANAGE, &school_id) == -1)
		return 0;
	status = holiday_delete(req, school_id, &why);
	if (status == 500)
		return -1;
	if (status != 0)
		return render(req, res, status, school_id, why);
	return done(req, res, "deleted");
}

int
calendar_http_register(struct http_server *srv)
{
	const int page = HTTP_PAGE | HTTP_STAFF;

	if (http_route(srv, "GET", "/school/{school}/calendar", page_get,
	               page) == -1 ||
	    http_route(srv, "POST", "/school/{school}/calendar", page_settings,
	               page) == -1 ||
	    http_route(srv, "POST", "/school/{school}/calendar/holidays",
	               page_holiday_add, page) == -1 ||
	    http_route(srv, "POST",
	               "/school/{school}/calendar/holidays/{id}/delete",
	               page_holiday_delete, page) == -1 ||
	    http_route(srv, "GET", "/api/v1/schools/{school}/calendar", api_get,
	               HTTP_STAFF) == -1 ||
	    http_route(srv, "PUT", "/api/v1/schools/{school}/calendar", api_put,
	               HTTP_STAFF) == -1 ||
	    http_route(srv, "POST",
	               "/api/v1/schools/{school}/calendar/holidays",
	               api_holiday_add, HTTP_STAFF) == -1 ||
	    http_route(srv, "DELETE",
	               "/api/v1/schools/{school}/calendar/holidays/{id}",
	               api_holiday_delete, HTTP_STAFF) == -1)
		return -1;
	return 0;
}
