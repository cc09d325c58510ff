/*
 * Alarms over HTTP.
 *
 *   POST /api/v1/alarms     {kind, at, seq}  a gate's or kiosk's token;
 *                                           200 {alarm: ID}
 *   GET  /api/v1/schools/{school}/alarms?state=open|all
 *                                           200 {alarms:[...]}
 *   POST /api/v1/schools/{school}/alarms/{id}/acknowledge
 *                                           200 {the alarm}
 *
 * Pages (HTTP_PAGE, errors become the error page):
 *   GET  /school/{school}/alarms            open alarms, recent others
 *   POST /school/{school}/alarms/{id}/acknowledge  (csrf)  303 back
 *
 * An alarm's school is its device's: the body names none, so a device of
 * one school cannot raise an alarm at another.  The device's time is
 * checked like a pass's (access_time_window).  Staff who may see the
 * school see its alarms; who may acknowledge is
 * access_alarm_ack_allowed().  Acknowledging twice is not an error: the
 * second person sees who was first.
 */
#include "access/access_http_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "access/attendance.h"
#include "auth/auth_http.h"
#include "http/http.h"
#include "http/input.h"
#include "web/i18n.h"
#include "web/page.h"

/* Acknowledged alarms the page shows below the open ones. */
#define ALARM_PAGE_RECENT 20

/* --- POST /api/v1/alarms ------------------------------------------- */

static const struct input_field alarm_input[] = {
        {.name = "kind",
         .type = INPUT_STRING,
         .required = true,
         .max_chars = 8,
         .valid = access_alarm_kind_valid},
        ACCESS_INPUT_AT,
        ACCESS_INPUT_SEQ,
};

enum { ALARM_KIND, ALARM_AT, ALARM_SEQ, ALARM_COUNT };

static int
api_alarm(struct http_request *req, struct http_response *res)
{
	const struct principal *p = auth_principal(req);
	struct input_value in[ALARM_COUNT];
	int64_t at, id;
	json_t *body;
	bool replay;
	char err[128];
	int rc;

	if (!access_http_device(p, true))
		return http_problem(res, 403,
		                    "only a gate or kiosk may raise alarms");
	if ((body = http_json_body(req, res)) == NULL)
		return 0;
	if (input_check(body, alarm_input, ALARM_COUNT, in, err, sizeof(err)) ==
	    -1) {
		rc = http_problem(res, 422, err);
		goto done;
	}
	if (access_http_device_time(res, in[ALARM_AT].s, &at) == -1) {
		rc = 0;
		goto done;
	}
	if (access_alarm_raise(req->db, p, in[ALARM_KIND].s, at,
	                       in[ALARM_SEQ].i, &id, &replay) != ACCESS_OK) {
		rc = -1;
		goto done;
	}
	rc = access_http_json(res, 200,
	                      json_pack("{s:I}", "alarm", (json_int_t)id));
done:
	json_decref(body);
	return rc;
}

/* --- Staff --------------------------------------------------------- */

/* The {id} path segment: a positive decimal; -1 when it is not one. */
static int64_t
alarm_id(const char *s)
{
	int64_t v = 0;
	size_t i;

	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9' || i == 18)
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return i > 0 && v > 0 ? v : -1;
}

/* GET /api/v1/schools/{school}/alarms?state=open|all */
static int
api_alarms(struct http_request *req, struct http_response *res)
{
	const char *state = http_query(req, "state");
	json_t *list = NULL;
	int64_t school_id;

	if (access_http_school(req, res, false, -1, -1, &school_id) == -1)
		return 0;
	if (state != NULL && strcmp(state, "open") != 0 &&
	    strcmp(state, "all") != 0)
		return http_problem(res, 422, "state: open or all");
	if (access_alarms_json(req->db, school_id,
	                       state == NULL || strcmp(state, "open") == 0,
	                       &list) != ACCESS_OK)
		return -1;
	return access_http_json(res, 200, json_pack("{s:o}", "alarms", list));
}

/*
 * Acknowledges alarm req->params[1] of the school req->params[0] for the
 * API or a page: 0 with *school_id after success, else -1 after answering.
 */
static int
acknowledge(struct http_request *req, struct http_response *res, bool page,
            int64_t *school_id)
{
	const struct principal *p = auth_principal(req);
	int64_t id;
	int rc;

	if (access_http_school(req, res, page, -1, -1, school_id) == -1)
		return -1;
	if (!access_alarm_ack_allowed(req->db, p, *school_id))
		return access_http_fail(req, res, page, 403,
		                        N_("You may not acknowledge alarms in "
		                           "this school.")),
		       -1;
	if ((id = alarm_id(req->params[1])) == -1)
		return access_http_fail(req, res, page, 404,
		                        N_("No such alarm.")),
		       -1;
	rc = access_alarm_ack(req->db, p, *school_id, id, NULL);
	if (rc == ACCESS_NOT_FOUND)
		return access_http_fail(req, res, page, 404,
		                        N_("No such alarm.")),
		       -1;
	if (rc != ACCESS_OK)
		return access_http_fail(req, res, page, 500,
		                        N_("internal error")),
		       -1;
	return 0;
}

/* POST /api/v1/schools/{school}/alarms/{id}/acknowledge */
static int
api_acknowledge(struct http_request *req, struct http_response *res)
{
	int64_t school_id;
	json_t *out = NULL;
	int rc;

	if (acknowledge(req, res, false, &school_id) == -1)
		return 0;
	if (access_alarm_json(req->db, school_id, alarm_id(req->params[1]),
	                      &out) != ACCESS_OK)
		return -1;
	rc = http_json(res, 200, out);
	json_decref(out);
	return rc;
}

/* --- Pages --------------------------------------------------------- */

/*
 * An alarm row for the page: kind and state translated, the times in the
 * school's clock, and whether it is open.
 */
static json_t *
page_row(struct http_request *req, const struct attendance_calendar *cal,
         json_t *a)
{
	static const char *const fields[] = {"at", "received_at",
	                                     "acknowledged_at"};
	const char *kind = json_string_value(json_object_get(a, "kind"));
	const char *state = json_string_value(json_object_get(a, "state"));
	char local[ATTENDANCE_TIME_SIZE];
	json_t *row = json_deep_copy(a);
	const char *s;
	int64_t t;
	size_t i;

	if (row == NULL)
		return NULL;
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		s = json_string_value(json_object_get(a, fields[i]));
		if (s == NULL || access_time_parse(s, &t) == -1)
			continue;
		attendance_time_local(cal, t, local);
		json_object_set_new(row, fields[i], json_string(local));
	}
	if (json_object_set_new(
	            row, "kind_label",
	            json_string(
	                    i18n_get(req->lang,
	                             kind != NULL && strcmp(kind, "forced") == 0
	                                     ? N_("Forced passage")
	                                     : N_("Tampering")))) == -1 ||
	    json_object_set_new(row, "open",
	                        json_boolean(state != NULL &&
	                                     strcmp(state, "open") == 0)) ==
	            -1) {
		json_decref(row);
		return NULL;
	}
	return row;
}

/* GET /school/{school}/alarms */
static int
page_alarms(struct http_request *req, struct http_response *res)
{
	struct attendance_calendar cal;
	json_t *open = NULL, *all = NULL, *open_rows, *recent, *a;
	int64_t school_id, now = (int64_t)time(NULL);
	size_t i;
	int rc = -1;

	if (access_http_school(req, res, true, -1, -1, &school_id) == -1)
		return 0;
	if (attendance_calendar_load(req->db, school_id, now / 86400,
	                             now / 86400, &cal) != ATTENDANCE_OK)
		return -1;
	open_rows = json_array();
	recent = json_array();
	if (open_rows == NULL || recent == NULL ||
	    access_alarms_json(req->db, school_id, true, &open) != ACCESS_OK ||
	    access_alarms_json(req->db, school_id, false, &all) != ACCESS_OK)
		goto done;
	json_array_foreach(open, i, a)
	{
		if (json_array_append_new(open_rows, page_row(req, &cal, a)) ==
		    -1)
			goto done;
	}
	json_array_foreach(all, i, a)
	{
		if (json_array_size(recent) == ALARM_PAGE_RECENT)
			break;
		if (strcmp(json_string_value(json_object_get(a, "state")),
		           "open") != 0 &&
		    json_array_append_new(recent, page_row(req, &cal, a)) == -1)
			goto done;
	}
	rc = page_render(
	        req, res, 200, N_("Alarms"), "alarms",
	        json_pack("{s:s, s:O, s:O, s:b, s:s}", "school", req->params[0],
	                  "open", open_rows, "recent", recent, "can_ack",
	                  access_alarm_ack_allowed(req->db, auth_principal(req),
	                                           school_id),
	                  "duty_href",
	                  arena_printf(req->arena, "/school/%s/duty",
	                               req->params[0])));
done:
	attendance_calendar_free(&cal);
	json_decref(open);
	json_decref(all);
	json_decref(open_rows);
	json_decref(recent);
	return rc;
}

/* POST /school/{school}/alarms/{id}/acknowledge (csrf) */
static int
post_acknowledge(struct http_request *req, struct http_response *res)
{
	int64_t school_id;

	if (acknowledge(req, res, true, &school_id) == -1)
		return 0;
	return http_redirect(res, arena_printf(req->arena, "/school/%s/alarms",
	                                       req->params[0]));
}

int
access_alarm_http_register(struct http_server *srv)
{
	if (http_route(srv, "POST", "/api/v1/alarms", api_alarm, HTTP_DEVICE) ==
	            -1 ||
	    http_route(srv, "GET", "/api/v1/schools/{school}/alarms",
	               api_alarms, HTTP_STAFF) == -1 ||
	    http_route(srv, "POST",
	               "/api/v1/schools/{school}/alarms/{id}/acknowledge",
	               api_acknowledge, HTTP_STAFF) == -1 ||
	    http_route(srv, "GET", "/school/{school}/alarms", page_alarms,
	               HTTP_PAGE | HTTP_STAFF) == -1 ||
	    http_route(srv, "POST", "/school/{school}/alarms/{id}/acknowledge",
	               post_acknowledge, HTTP_PAGE | HTTP_STAFF) == -1)
		return -1;
	return 0;
}
