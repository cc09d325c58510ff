/*
 * The people module's JSON API, and the checks every people route shares:
 * which school a request names, whether the caller may see it and do what
 * it asks.  The order of those checks is part of the contract: an unknown
 * school is 404, a school the caller may not see (or an action they may
 * not do) is 403, and only then is an unknown student 404, so nobody learns
 * which refs exist in a school they cannot see.
 *
 * Every answer that carries a student's personal data is audited first
 * (audit_record_read: queued and group-committed by the audit writer);
 * when the line cannot be recorded the data is not sent.
 */
#include "people/people_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit/audit.h"
#include "auth/auth_http.h"
#include "core/log.h"
#include "core/utf8.h"
#include "http/http.h"
#include "http/input.h"

#define ROSTER_FILENAME_MAX 100 /* bytes kept of an uploaded file's name */

const struct principal *
people_staff(struct http_request *req)
{
	const struct principal *p = auth_principal(req);

	return p != NULL && p->kind == PRINCIPAL_STAFF ? p : NULL;
}

int
people_http_fail(struct http_request *req, struct http_response *res,
                 enum people_answer how, int status, const char *detail)
{
	return http_problem(res, status,
	                    how == PEOPLE_JSON ? detail
	                                       : i18n_get(req->lang, detail));
}

int
people_http_school(struct http_request *req, struct http_response *res,
                   const char *code, int perm, enum people_answer how,
                   int64_t *school_id)
{
	const struct principal *p = people_staff(req);
	int rc;

	if (p == NULL) {
		people_http_fail(req, res, how, 403,
		                 N_("only staff may do that"));
		return -1;
	}
	rc = people_school_find(req->db, code, school_id);
	if (rc == PEOPLE_NOT_FOUND) {
		people_http_fail(req, res, how, 404, N_("no such school"));
		return -1;
	}
	if (rc != PEOPLE_OK) {
		people_http_fail(req, res, how, 500, N_("internal error"));
		return -1;
	}
	if ((perm >= 0 && !auth_allowed(p, (enum permission)perm)) ||
	    !auth_school_visible(req->db, p, *school_id)) {
		people_http_fail(req, res, how, 403,
		                 N_("you may not do that in this school"));
		return -1;
	}
	return 0;
}

int
people_http_audit(struct http_request *req, const char *action,
                  int64_t school_id, const char *type, int64_t object_id)
{
	char object[24];

	snprintf(object, sizeof(object), "%lld", (long long)object_id);
	if (audit_record_read(req->db, people_staff(req), action, school_id,
	                      type, object) != 0) {
		log_warnx("people: cannot audit %s id=%s", action,
		          req->request_id);
		return -1;
	}
	return 0;
}

const char *
people_upload_name(struct arena *a, const char *name)
{
	const char *base;
	size_t len, i;
	char *out;

	if (name == NULL)
		return "roster.csv";
	base = strrchr(name, '/');
	base = base ? base + 1 : name;
	if (strrchr(base, '\\') != NULL)
		base = strrchr(base, '\\') + 1;
	len = strlen(base);
	if (len > ROSTER_FILENAME_MAX)
		len = ROSTER_FILENAME_MAX;
	len = utf8_valid_prefix(base, len);
	if (len == 0 || (out = arena_strndup(a, base, len)) == NULL)
		return "roster.csv";
	for (i = 0; i < len; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			out[i] = '_';
	return out;
}

/* {code, name, href} of a school, for headings and links back. */
json_t *
people_http_school_head(struct http_request *req, int64_t school_id)
{
	json_t *summary = NULL, *head;

	if (people_school_brief(req->db, school_id, &summary) != PEOPLE_OK)
		return NULL;
	head = json_pack(
	        "{s:O, s:O, s:s}", "code", json_object_get(summary, "code"),
	        "name", json_object_get(summary, "name"), "href",
	        arena_printf(
	                req->arena, "/school/%s",
	                json_string_value(json_object_get(summary, "code"))));
	json_decref(summary);
	return head;
}

/* GET /api/v1/students/{school}/{ref} */
static int
api_student(struct http_request *req, struct http_response *res)
{
	json_t *card = NULL, *body = NULL, *guardians, *g, *consent;
	int64_t school_id;
	size_t i;
	int rc;

	if (people_http_school(req, res, req->params[0], PERM_STUDENT_READ,
	                       PEOPLE_JSON, &school_id) == -1)
		return 0;
	rc = people_student_card(req->db, school_id, req->params[1], &card);
	if (rc == PEOPLE_NOT_FOUND)
		return http_problem(res, 404, "no such student");
	if (rc == PEOPLE_OK &&
	    !people_student_visible(req->db, auth_principal(req), school_id,
	                            req->params[1])) {
		json_decref(card);
		return http_problem(res, 403,
		                    "you may see only your own classes");
	}
	if (rc != PEOPLE_OK)
		return -1;
	if ((guardians = json_array()) == NULL)
		goto fail;
	json_array_foreach(json_object_get(card, "guardians"), i, g)
	        json_array_append_new(
	                guardians,
	                json_pack("{s:O, s:O, s:O}", "full_name",
	                          json_object_get(g, "full_name"), "phone",
	                          json_object_get(g, "phone"), "email",
	                          json_object_get(g, "email")));
	consent = json_object_get(card, "consent");
	body = json_pack(
	        "{s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:o, "
	        "s:{s:b, s:b, s:b}, s:O}",
	        "ref", json_object_get(card, "ref"), "full_name",
	        json_object_get(card, "full_name"), "class",
	        json_object_get(card, "class"), "grade",
	        json_object_get(card, "grade"), "birth_date",
	        json_object_get(card, "birth_date"), "category",
	        json_object_get(card, "category"), "status",
	        json_object_get(card, "status"), "guardians", guardians,
	        "consent", "data",
	        json_is_true(json_object_get(json_object_get(consent, "data"),
	                                     "granted")),
	        "notifications",
	        json_is_true(json_object_get(
	                json_object_get(consent, "notifications"), "granted")),
	        "biometrics",
	        json_is_true(json_object_get(
	                json_object_get(consent, "biometrics"), "granted")),
	        "identifiers", json_object_get(card, "identifiers"));
	if (body == NULL ||
	    people_http_audit(
	            req, "student.read", school_id, "student",
	            json_integer_value(json_object_get(card, "id"))) == -1)
		goto fail;
	rc = http_json(res, 200, body);
	json_decref(body);
	json_decref(card);
	return rc;
fail:
	json_decref(body);
	json_decref(card);
	return -1;
}

/* GET /api/v1/schools/{school}/classes */
static int
api_classes(struct http_request *req, struct http_response *res)
{
	json_t *summary = NULL, *body;
	int64_t school_id;
	int rc;

	if (people_http_school(req, res, req->params[0], -1, PEOPLE_JSON,
	                       &school_id) == -1)
		return 0;
	if (people_school_summary(req->db, school_id, &summary) != PEOPLE_OK)
		return -1;
	body = json_pack("{s:O, s:O}", "school",
	                 json_object_get(summary, "code"), "classes",
	                 json_object_get(summary, "classes"));
	json_decref(summary);
	if (body == NULL)
		return -1;
	rc = http_json(res, 200, body);
	json_decref(body);
	return rc;
}

/* GET /api/v1/schools/{school}/classes/{class}/students */
static int
api_class_students(struct http_request *req, struct http_response *res)
{
	json_t *list = NULL;
	int64_t school_id;
	int rc;

	if (people_http_school(req, res, req->params[0], PERM_STUDENT_READ,
	                       PEOPLE_JSON, &school_id) == -1)
		return 0;
	rc = people_class_students(req->db, school_id, req->params[1], &list);
	if (rc == PEOPLE_NOT_FOUND)
		return http_problem(res, 404, "no such class");
	if (rc != PEOPLE_OK)
		return -1;
	if (!auth_class_visible(
	            req->db, people_staff(req),
	            json_integer_value(json_object_get(
	                    json_object_get(list, "class"), "id")))) {
		json_decref(list);
		return http_problem(res, 403,
		                    "you may see only your own classes");
	}
	if (people_http_audit(req, "class.read", school_id, "class",
	                      json_integer_value(json_object_get(
	                              json_object_get(list, "class"), "id"))) ==
	    -1) {
		json_decref(list);
		return -1;
	}
	rc = http_json(res, 200, list);
	json_decref(list);
	return rc;
}

static bool
document_valid(const char *s)
{
	return people_text_valid(s, PEOPLE_DOCUMENT_MAX);
}

/* The body of POST /api/v1/students/{school}/{ref}/consent. */
static const struct input_field consent_input[] = {
        {.name = "purpose",
         .type = INPUT_STRING,
         .required = true,
         .max_chars = 16,
         .valid = people_purpose_valid},
        {.name = "granted", .type = INPUT_BOOL, .required = true},
        {.name = "guardian", .type = INPUT_INT, .min = 1, .max = INT64_MAX},
        {.name = "document",
         .type = INPUT_STRING,
         .required = true,
         .max_chars = PEOPLE_DOCUMENT_MAX,
         .valid = document_valid},
};

enum { IN_PURPOSE, IN_GRANTED, IN_GUARDIAN, IN_DOCUMENT, IN_COUNT };

/* POST /api/v1/students/{school}/{ref}/consent
 * {"purpose", "granted", "guardian"?, "document"} → 201 */
static int
api_consent(struct http_request *req, struct http_response *res)
{
	struct input_value in[IN_COUNT];
	int64_t school_id, student_id;
	json_t *body, *out;
	char err[128];
	int rc;

	if (people_http_school(req, res, req->params[0], PERM_CONSENT_MANAGE,
	                       PEOPLE_JSON, &school_id) == -1)
		return 0;
	rc = people_student_find(req->db, school_id, req->params[1],
	                         &student_id);
	if (rc == PEOPLE_NOT_FOUND)
		return http_problem(res, 404, "no such student");
	if (rc != PEOPLE_OK)
		return -1;
	if ((body = http_json_body(req, res)) == NULL)
		return 0;
	if (input_check(body, consent_input, IN_COUNT, in, err, sizeof(err)) ==
	    -1) {
		json_decref(body);
		return http_problem(res, 422, err);
	}
	rc = people_consent_record(req->db, people_staff(req), student_id,
	                           in[IN_GUARDIAN].i, in[IN_PURPOSE].s,
	                           in[IN_GRANTED].b, in[IN_DOCUMENT].s);
	if (rc == PEOPLE_NOT_FOUND) {
		rc = http_problem(res, 422,
		                  "guardian: not a guardian of this student");
	} else if (rc == PEOPLE_OK) {
		out = json_pack("{s:s, s:b, s:o, s:s}", "purpose",
		                in[IN_PURPOSE].s, "granted", in[IN_GRANTED].b,
		                "guardian",
		                in[IN_GUARDIAN].present
		                        ? json_integer(in[IN_GUARDIAN].i)
		                        : json_null(),
		                "document", in[IN_DOCUMENT].s);
		rc = out != NULL ? http_json(res, 201, out) : -1;
		json_decref(out);
	} else {
		rc = -1;
	}
	json_decref(body);
	return rc;
}

int
people_http_register(struct http_server *srv)
{
	if (http_route(srv, "GET", "/api/v1/students/{school}/{ref}",
	               api_student, HTTP_STAFF) == -1 ||
	    http_route(srv, "POST", "/api/v1/students/{school}/{ref}/consent",
	               api_consent, HTTP_STAFF) == -1 ||
	    http_route(srv, "GET", "/api/v1/schools/{school}/classes",
	               api_classes, HTTP_STAFF) == -1 ||
	    http_route(srv, "GET",
	               "/api/v1/schools/{school}/classes/{class}/students",
	               api_class_students, HTTP_STAFF) == -1 ||
	    roster_http_register(srv) == -1)
		return -1;
	return people_pages_register(srv);
}
