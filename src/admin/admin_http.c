/*
 * The admin module's JSON API.  Bodies are checked against declared fields
 * (http/input.h) before anything else reads them; the one list field,
 * "schools", is taken out of the object and checked here, since input.h
 * knows only scalars.  Refusals from admin.c become problem+json with the
 * field named: "code: A school with this code already exists.".
 *
 *   POST /api/v1/schools                          201 {code}
 *   GET  /api/v1/users                            200 {users:[...]}
 *   POST /api/v1/users                            201 {login}
 *   POST /api/v1/users/{login}/disable | enable   204
 *   PUT  /api/v1/schools/{school}/classes/{class} 200 {school, class, shift,
 *                                                       starts_at}
 */
#include "admin/admin_internal.h"

#include <stdio.h>
#include <string.h>

#include "auth/auth_http.h"
#include "core/validate.h"
#include "http/http.h"
#include "http/input.h"
#include "people/people.h"

/* Answers a refusal (or a failure) as problem+json. */
static int
refused(struct http_response *res, int rc, const struct admin_error *err)
{
	if (rc == ADMIN_ERROR || err->reason == NULL)
		return -1;
	if (err->field != NULL)
		return http_problemf(res, admin_status(rc), "%s: %s",
		                     err->field, err->reason);
	return http_problem(res, admin_status(rc), err->reason);
}

static bool
valid_code(const char *s)
{
	return validate_code(s);
}

static const struct input_field school_fields[] = {
        {.name = "code",
         .type = INPUT_STRING,
         .required = true,
         .max_chars = VALIDATE_CODE_MAX,
         .valid = valid_code},
        {.name = "name",
         .type = INPUT_STRING,
         .required = true,
         .max_chars = PEOPLE_NAME_MAX},
        {.name = "region",
         .type = INPUT_STRING,
         .max_chars = VALIDATE_CODE_MAX,
         .valid = valid_code},
        {.name = "district",
         .type = INPUT_STRING,
         .max_chars = VALIDATE_CODE_MAX,
         .valid = valid_code},
};

#define NFIELDS(f) (sizeof(f) / sizeof((f)[0]))

/* POST /api/v1/schools */
static int
api_school_add(struct http_request *req, struct http_response *res)
{
	struct input_value in[NFIELDS(school_fields)];
	struct admin_error err = {0};
	json_t *body, *out;
	char msg[160];
	int rc;

	if (!auth_allowed(auth_principal(req), PERM_SCHOOL_MANAGE))
		return http_problem(res, 403, "you may not add schools");
	if ((body = http_json_body(req, res)) == NULL)
		return 0;
	if (input_check(body, school_fields, NFIELDS(school_fields), in, msg,
	                sizeof(msg)) == -1) {
		rc = http_problem(res, 422, msg);
		goto done;
	}
	rc = admin_school_add(req->db, auth_principal(req), in[0].s, in[1].s,
	                      in[2].s, in[3].s, &err);
	if (rc != ADMIN_OK) {
		rc = refused(res, rc, &err);
		goto done;
	}
	out = json_pack("{s:s}", "code", in[0].s);
	rc = out != NULL ? http_json(res, 201, out) : -1;
	json_decref(out);
done:
	json_decref(body);
	return rc;
}

/* GET /api/v1/users */
static int
api_users(struct http_request *req, struct http_response *res)
{
	const struct principal *p = auth_principal(req);
	json_t *list = NULL, *out;
	int rc;

	if (!admin_may_administer(p))
		return http_problem(res, 403, "you may not list staff");
	if (auth_user_list(req->db, p, &list) != 0)
		return -1;
	if ((out = json_pack("{s:o}", "users", list)) == NULL)
		return -1;
	rc = http_json(res, 200, out);
	json_decref(out);
	return rc;
}

static const struct input_field user_fields[] = {
        {.name = "login",
         .type = INPUT_STRING,
         .required = true,
         .max_chars = VALIDATE_LOGIN_MAX},
        {.name = "role", .type = INPUT_STRING, .required = true},
        {.name = "password",
         .type = INPUT_STRING,
         .required = true,
         .max_chars = AUTH_PASSWORD_MAX},
        {.name = "region",
         .type = INPUT_STRING,
         .max_chars = VALIDATE_CODE_MAX,
         .valid = valid_code},
};

/*
 * Takes "schools" out of `body` (so that input_check() sees only scalars)
 * into codes[]; 0, or -1 with msg saying what is wrong.
 */
static int
take_schools(json_t *body, const char **codes, size_t *n, json_t **keep,
             char *msg, size_t msglen)
{
	json_t *arr = json_object_get(body, "schools"), *v;
	size_t i;

	*n = 0;
	*keep = NULL;
	if (arr == NULL)
		return 0;
	*keep = json_incref(arr);
	json_object_del(body, "schools");
	if (json_is_null(arr))
		return 0;
	if (!json_is_array(arr)) {
		snprintf(msg, msglen, "schools: must be an array of codes");
		return -1;
	}
	if (json_array_size(arr) > ADMIN_MAX_SCHOOLS) {
		snprintf(msg, msglen, "schools: at most %d", ADMIN_MAX_SCHOOLS);
		return -1;
	}
	json_array_foreach(arr, i, v)
	{
		if (!json_is_string(v) ||
		    !validate_code(json_string_value(v))) {
			snprintf(msg, msglen,
			         "schools: must be an array of codes");
			return -1;
		}
		codes[(*n)++] = json_string_value(v);
	}
	return 0;
}

/* POST /api/v1/users */
static int
api_user_add(struct http_request *req, struct http_response *res)
{
	struct input_value in[NFIELDS(user_fields)];
	const char *codes[ADMIN_MAX_SCHOOLS];
	struct admin_error err = {0};
	struct admin_new_user u;
	json_t *body, *keep = NULL, *out;
	char msg[160];
	size_t n = 0;
	int rc;

	if (!admin_may_administer(auth_principal(req)))
		return http_problem(res, 403, "you may not add staff");
	if ((body = http_json_body(req, res)) == NULL)
		return 0;
	if (take_schools(body, codes, &n, &keep, msg, sizeof(msg)) == -1 ||
	    input_check(body, user_fields, NFIELDS(user_fields), in, msg,
	                sizeof(msg)) == -1) {
		rc = http_problem(res, 422, msg);
		goto done;
	}
	u = (struct admin_new_user){.login = in[0].s,
	                            .role = in[1].s,
	                            .password = in[2].s,
	                            .schools = codes,
	                            .nschools = n,
	                            .region = in[3].s};
	rc = admin_user_add(req->db, auth_principal(req), &u, &err);
	if (rc != ADMIN_OK) {
		rc = refused(res, rc, &err);
		goto done;
	}
	out = json_pack("{s:s}", "login", in[0].s);
	rc = out != NULL ? http_json(res, 201, out) : -1;
	json_decref(out);
done:
	json_decref(keep);
	json_decref(body);
	return rc;
}

static int
set_disabled(struct http_request *req, struct http_response *res, bool disabled)
{
	struct admin_error err = {0};
	int rc;

	rc = admin_user_set_disabled(req->db, auth_principal(req),
	                             req->params[0], disabled, &err);
	if (rc != ADMIN_OK)
		return refused(res, rc, &err);
	return http_text(res, 204, NULL, "", 0);
}

/* POST /api/v1/users/{login}/disable */
static int
api_user_disable(struct http_request *req, struct http_response *res)
{
	return set_disabled(req, res, true);
}

/* POST /api/v1/users/{login}/enable */
static int
api_user_enable(struct http_request *req, struct http_response *res)
{
	return set_disabled(req, res, false);
}

static bool
valid_time(const char *s)
{
	return people_time_valid(s);
}

static const struct input_field class_fields[] = {
        {.name = "shift",
         .type = INPUT_INT,
         .required = true,
         .min = 1,
         .max = 3},
        {.name = "starts_at",
         .type = INPUT_STRING,
         .required = true,
         .max_chars = 5,
         .valid = valid_time},
};

/* PUT /api/v1/schools/{school}/classes/{class} */
static int
api_class_set(struct http_request *req, struct http_response *res)
{
	struct input_value in[NFIELDS(class_fields)];
	struct admin_error err = {0};
	char msg[160], name[PEOPLE_CLASS_MAX];
	json_t *body, *out;
	int rc;

	if ((body = http_json_body(req, res)) == NULL)
		return 0;
	if (input_check(body, class_fields, NFIELDS(class_fields), in, msg,
	                sizeof(msg)) == -1) {
		rc = http_problem(res, 422, msg);
		goto done;
	}
	rc = admin_class_set(req->db, auth_principal(req), req->params[0],
	                     req->params[1], (int)in[0].i, in[1].s, &err);
	if (rc != ADMIN_OK) {
		rc = refused(res, rc, &err);
		goto done;
	}
	if (people_class_canonical(req->params[1], name, NULL) != PEOPLE_OK) {
		rc = -1;
		goto done;
	}
	out = json_pack("{s:s, s:s, s:I, s:s}", "school", req->params[0],
	                "class", name, "shift", (json_int_t)in[0].i,
	                "starts_at", in[1].s);
	rc = out != NULL ? http_json(res, 200, out) : -1;
	json_decref(out);
done:
	json_decref(body);
	return rc;
}

int
admin_http_register(struct http_server *srv)
{
	if (http_route(srv, "POST", "/api/v1/schools", api_school_add,
	               HTTP_STAFF) == -1 ||
	    http_route(srv, "GET", "/api/v1/users", api_users, HTTP_STAFF) ==
	            -1 ||
	    http_route(srv, "POST", "/api/v1/users", api_user_add,
	               HTTP_STAFF) == -1 ||
	    http_route(srv, "POST", "/api/v1/users/{login}/disable",
	               api_user_disable, HTTP_STAFF) == -1 ||
	    http_route(srv, "POST", "/api/v1/users/{login}/enable",
	               api_user_enable, HTTP_STAFF) == -1 ||
	    http_route(srv, "PUT", "/api/v1/schools/{school}/classes/{class}",
	               api_class_set, HTTP_STAFF) == -1)
		return -1;
	return admin_pages_register(srv);
}
