/*
 * Roster upload over HTTP: the JSON API for scripts and the page with its
 * upload form.  Both hand the bytes to roster_import() and show its report;
 * the API answers a refused file with 422 and every bad line in an
 * "errors" array, the page lists them in the reader's language.
 */
#include "people/people_internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/http.h"
#include "web/page.h"

static bool
truthy(const char *v)
{
	return v != NULL &&
	       (strcmp(v, "1") == 0 || strcasecmp(v, "true") == 0 ||
	        strcasecmp(v, "yes") == 0 || strcasecmp(v, "on") == 0);
}

/* 422 with the report's errors in an "errors" array (RFC 9457 extension). */
static int
roster_problem(struct http_response *res, const struct roster_report *rep)
{
	char line[512], *text;
	json_t *body, *errors;
	size_t i;
	int rc;

	res->problem = arena_printf(res->arena,
	                            "%zu errors in the roster; "
	                            "nothing was written",
	                            rep->nerrors);
	errors = json_array();
	for (i = 0; errors != NULL && i < rep->nerrors; i++)
		json_array_append_new(
		        errors, json_string(roster_error_format(
		                        rep, i, LANG_EN, line, sizeof(line))));
	body = json_pack("{s:s, s:s, s:i, s:s?, s:o?}", "type", "about:blank",
	                 "title", http_status_title(422), "status", 422,
	                 "detail", res->problem, "errors", errors);
	if (body == NULL || (text = json_dumps(body, JSON_COMPACT)) == NULL) {
		json_decref(body);
		return -1;
	}
	rc = http_text(res, 422, "application/problem+json", text,
	               strlen(text));
	free(text);
	json_decref(body);
	return rc;
}

/* POST /api/v1/schools/{school}/roster[?dry_run=1] with a text/csv body
 * (or a multipart form with the field "file"). */
static int
api_roster(struct http_request *req, struct http_response *res)
{
	const struct http_form_field *file = http_form(req, "file");
	const char *data = req->body, *name = http_query(req, "filename");
	size_t len = req->body_len;
	struct roster_report rep;
	int64_t school_id;
	json_t *body;
	int rc;

	if (people_http_school(req, res, req->params[0], PERM_ROSTER_MANAGE,
	                       PEOPLE_JSON, &school_id) == -1)
		return 0;
	if (file != NULL) {
		data = file->value;
		len = file->len;
		name = file->filename;
	} else if (req->nform > 0) {
		return http_problem(res, 422,
		                    "file: required (the roster as "
		                    "a text/csv body or a form field "
		                    "\"file\")");
	}
	if (data == NULL || len == 0)
		return http_problem(res, 422, "the roster file is empty");
	rc = roster_import(req->db, people_staff(req), school_id,
	                   people_upload_name(req->arena, name), data, len,
	                   truthy(http_query(req, "dry_run")), &rep);
	if (rc == PEOPLE_INVALID)
		rc = roster_problem(res, &rep);
	else if (rc == PEOPLE_OK && (body = roster_report_json(&rep)) != NULL) {
		rc = http_json(res, 200, body);
		json_decref(body);
	} else
		rc = -1;
	roster_report_free(&rep);
	return rc;
}

/* The roster page: the form, and the report or the errors of an import. */
static int
render_roster(struct http_request *req, struct http_response *res, int status,
              int64_t school_id, const struct roster_report *rep)
{
	json_t *ctx, *errors;
	char line[512];
	size_t i;

	ctx = json_pack(
	        "{s:o?, s:s}", "school",
	        people_http_school_head(req, school_id), "action",
	        arena_printf(req->arena, "/school/%s/roster", req->params[0]));
	if (ctx == NULL)
		return -1;
	if (rep != NULL && rep->nerrors > 0) {
		errors = json_array();
		for (i = 0; errors != NULL && i < rep->nerrors; i++)
			json_array_append_new(errors,
			                      json_string(roster_error_format(
			                              rep, i, req->lang, line,
			                              sizeof(line))));
		json_object_set_new(ctx, "errors", errors);
		json_object_set_new(ctx, "has_errors", json_true());
	} else if (rep != NULL) {
		json_object_set_new(ctx, "report", roster_report_json(rep));
	}
	return page_render(req, res, status, N_("Roster import"), "roster",
	                   ctx);
}

/* GET /school/{school}/roster */
static int
page_roster(struct http_request *req, struct http_response *res)
{
	int64_t school_id;

	if (people_http_school(req, res, req->params[0], PERM_ROSTER_MANAGE,
	                       PEOPLE_PAGE, &school_id) == -1)
		return 0;
	return render_roster(req, res, 200, school_id, NULL);
}

/* POST /school/{school}/roster: multipart, field "file", box "dry_run". */
static int
post_roster(struct http_request *req, struct http_response *res)
{
	const struct http_form_field *file = http_form(req, "file");
	struct roster_report rep;
	int64_t school_id;
	int rc;

	if (people_http_school(req, res, req->params[0], PERM_ROSTER_MANAGE,
	                       PEOPLE_PAGE, &school_id) == -1)
		return 0;
	if (file == NULL || file->len == 0) {
		memset(&rep, 0, sizeof(rep));
		rep.filename = strdup("roster.csv");
		roster_error_add(&rep, 1, N_("the file is empty"), NULL, NULL);
		rc = render_roster(req, res, 422, school_id, &rep);
		roster_report_free(&rep);
		return rc;
	}
	rc = roster_import(req->db, people_staff(req), school_id,
	                   people_upload_name(req->arena, file->filename),
	                   file->value, file->len,
	                   http_form_value(req, "dry_run") != NULL, &rep);
	if (rc == PEOPLE_OK || rc == PEOPLE_INVALID)
		rc = render_roster(req, res, rc == PEOPLE_OK ? 200 : 422,
		                   school_id, &rep);
	else
		rc = people_http_fail(
		        req, res, PEOPLE_PAGE, 500,
		        N_("the import failed; nothing was written"));
	roster_report_free(&rep);
	return rc;
}

int
roster_http_register(struct http_server *srv)
{
	if (http_route(srv, "POST", "/api/v1/schools/{school}/roster",
	               api_roster, HTTP_STAFF | HTTP_UPLOAD) == -1 ||
	    http_route(srv, "GET", "/school/{school}/roster", page_roster,
	               HTTP_PAGE | HTTP_STAFF) == -1 ||
	    http_route(srv, "POST", "/school/{school}/roster", post_roster,
	               HTTP_PAGE | HTTP_STAFF | HTTP_UPLOAD) == -1)
		return -1;
	return 0;
}
