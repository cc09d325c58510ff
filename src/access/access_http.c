/*
 * The access module's JSON API.
 *
 *   POST /api/v1/passes                                  200 {decision, reason}
 *   GET  /api/v1/students/{school}/{ref}/passes          200 {passes:[...]}
 *   POST /api/v1/students/{school}/{ref}/identifiers     201 {identifier, ...}
 *   POST /api/v1/identifiers/{school}/{identifier}/block   204
 *   POST /api/v1/identifiers/{school}/{identifier}/unblock 204
 *   POST /api/v1/students/{school}/{ref}/admit           201 {student, ...}
 *   POST /api/v1/schools/{school}/emergency              200 {mode, ...}
 *   GET  /api/v1/schools/{school}/mode                   200 {mode, ...}
 *
 * Pages (HTTP_PAGE, errors become the error page):
 *   GET  /school/{school}/emergency                      the switch
 *   POST /school/{school}/emergency      (on, reason)    303 back
 *   POST /school/{school}/class/{class}/admit  (ref)     303 to the class
 *
 * Manual admission is kept simple: any staff with PERM_STUDENT_READ in the
 * school may admit (the class teacher, and whoever else may see the class
 * page).  Emergency mode is switched by staff by role and by a gate or
 * kiosk of the school (access_emergency_allowed); its state is readable by
 * the school's devices and by staff who may see the school.
 *
 * Staff routes check in the people module's order: unknown school 404, a
 * school the caller may not see or an action they may not do 403, then an
 * unknown student 404.  Passes come only from gate tokens; the gate's
 * school is the token's, so a gate cannot record passes elsewhere.
 * Nothing here logs an identifier value.
 */
#include "access/access_http_internal.h"

#include <string.h>

#include "auth/auth_http.h"
#include "http/http.h"
#include "http/input.h"
#include "people/people.h"
#include "web/i18n.h"
#include "web/page.h"

/* The student req->params[1] of the school req->params[0] for staff who
 * may see it and hold perm_a or perm_b (-1: none needed). */
static int
staff_student(struct http_request *req, struct http_response *res, int perm_a,
              int perm_b, int64_t *school_id, int64_t *student_id)
{
	if (access_http_school(req, res, false, perm_a, perm_b, school_id) ==
	    -1)
		return -1;
	return access_http_student(req, res, false, *school_id, req->params[1],
	                           student_id);
}

/* --- POST /api/v1/passes ------------------------------------------- */

static const struct input_field pass_input[] = {
        ACCESS_INPUT_IDENTIFIER("identifier"),
        ACCESS_INPUT_DIRECTION,
        ACCESS_INPUT_AT,
        ACCESS_INPUT_SEQ,
};

enum { PASS_IDENTIFIER, PASS_DIRECTION, PASS_AT, PASS_SEQ, PASS_COUNT };

static int
api_pass(struct http_request *req, struct http_response *res)
{
	const struct principal *p = auth_principal(req);
	struct input_value in[PASS_COUNT];
	struct access_decision d;
	struct access_pass pass;
	json_t *body;
	char err[128];
	int rc;

	if (!access_http_device(p, false))
		return http_problem(res, 403, "only a gate may record passes");
	if ((body = http_json_body(req, res)) == NULL)
		return 0;
	if (input_check(body, pass_input, PASS_COUNT, in, err, sizeof(err)) ==
	    -1) {
		rc = http_problem(res, 422, err);
		goto done;
	}
	memset(&pass, 0, sizeof(pass));
	if (access_http_device_time(res, in[PASS_AT].s, &pass.device_at) ==
	    -1) {
		rc = 0;
		goto done;
	}
	pass.device_id = p->device_id;
	pass.school_id = p->device_school_id;
	pass.seq = in[PASS_SEQ].i;
	pass.identifier = in[PASS_IDENTIFIER].s;
	pass.direction = in[PASS_DIRECTION].s;
	if (access_pass_record(req->db, &pass, &d) != ACCESS_OK) {
		rc = -1;
		goto done;
	}
	rc = access_http_decision(res, &d);
done:
	json_decref(body);
	return rc;
}

/* --- GET /api/v1/students/{school}/{ref}/passes ----------------------- */

static int
api_student_passes(struct http_request *req, struct http_response *res)
{
	char today[PEOPLE_TIME_MAX];
	const char *from, *to;
	int64_t school_id, student_id;
	json_t *list = NULL;

	if (staff_student(req, res, PERM_STUDENT_READ, -1, &school_id,
	                  &student_id) == -1 ||
	    access_http_days(req, res, today, &from, &to) == -1)
		return 0;
	if (access_student_passes(req->db, student_id, from, to, &list) !=
	    ACCESS_OK)
		return -1;
	return access_http_list_read(req, res, "student.passes.read", school_id,
	                             student_id, "passes", list);
}

/* --- Identifiers --------------------------------------------------------- */

static int
api_bind(struct http_request *req, struct http_response *res)
{
	struct input_value in[ACCESS_BIND_COUNT];
	int64_t school_id, student_id, holder_school = 0;
	char err[128], holder[ACCESS_REF_SIZE];
	const char *kind;
	json_t *body;
	int rc;

	if (staff_student(req, res, PERM_DEVICE_MANAGE, PERM_ROSTER_MANAGE,
	                  &school_id, &student_id) == -1)
		return 0;
	if ((body = http_json_body(req, res)) == NULL)
		return 0;
	if (input_check(body, access_bind_input, ACCESS_BIND_COUNT, in, err,
	                sizeof(err)) == -1) {
		rc = http_problem(res, 422, err);
		goto done;
	}
	kind = in[ACCESS_BIND_KIND].present ? in[ACCESS_BIND_KIND].s : "card";
	rc = access_bind(req->db, auth_principal(req), school_id, student_id,
	                 in[ACCESS_BIND_IDENTIFIER].s, kind, holder,
	                 sizeof(holder), &holder_school, NULL);
	switch (rc) {
	case ACCESS_OK:
		rc = access_http_json(
		        res, 201,
		        json_pack("{s:s, s:s, s:s, s:s}", "identifier",
		                  in[ACCESS_BIND_IDENTIFIER].s, "kind", kind,
		                  "student", req->params[1], "status",
		                  "active"));
		break;
	case ACCESS_TAKEN:
		/* Who holds it is told only to staff who may see that school.
		 */
		if (holder[0] == '\0')
			rc = http_problem(
			        res, 409,
			        "identifier: active on a kindergarten "
			        "escort");
		else if (auth_school_visible(req->db, auth_principal(req),
		                             holder_school))
			rc = http_problemf(res, 409,
			                   "identifier: active on student %s",
			                   holder);
		else
			rc = http_problem(res, 409,
			                  "identifier: active on a student of "
			                  "another school");
		break;
	case ACCESS_NO_CONSENT:
		rc = http_problem(res, 422,
		                  "kind: biometric identifiers need the "
		                  "biometrics consent");
		break;
	case ACCESS_LEFT:
		rc = http_problem(res, 409, "the student has left the school");
		break;
	default:
		rc = -1;
	}
done:
	json_decref(body);
	return rc;
}

/* POST .../block {reason?} and .../unblock (no body needed) */
static int
set_status(struct http_request *req, struct http_response *res, bool block)
{
	const char *reason;
	json_t *body = NULL;
	int64_t school_id;
	int rc;

	if (access_http_school(req, res, false, PERM_DEVICE_MANAGE,
	                       PERM_ROSTER_MANAGE, &school_id) == -1 ||
	    access_http_block_request(req, res, block, req->params[1], &body,
	                              &reason) == -1) {
		rc = 0;
		goto done;
	}
	rc = block ? access_block(req->db, auth_principal(req), school_id,
	                          req->params[1], reason)
	           : access_unblock(req->db, auth_principal(req), school_id,
	                            req->params[1]);
	rc = access_http_block_answer(res, rc, block,
	                              "identifier: active on a student since");
done:
	json_decref(body);
	return rc;
}

static int
api_block(struct http_request *req, struct http_response *res)
{
	return set_status(req, res, true);
}

static int
api_unblock(struct http_request *req, struct http_response *res)
{
	return set_status(req, res, false);
}

/* --- Manual admission ------------------------------------------------ */

static const struct input_field admit_input[] = {
        {.name = "direction",
         .type = INPUT_STRING,
         .max_chars = 3,
         .valid = access_direction_valid},
};

/* POST /api/v1/students/{school}/{ref}/admit {direction?} */
static int
api_admit(struct http_request *req, struct http_response *res)
{
	struct input_value in[1];
	int64_t school_id, student_id;
	const char *direction = "in";
	json_t *body = NULL;
	char err[128];
	int rc;

	if (staff_student(req, res, PERM_STUDENT_READ, -1, &school_id,
	                  &student_id) == -1)
		return 0;
	memset(in, 0, sizeof(in));
	if (req->body_len > 0) {
		if ((body = http_json_body(req, res)) == NULL)
			return 0;
		if (input_check(body, admit_input, 1, in, err, sizeof(err)) ==
		    -1) {
			rc = http_problem(res, 422, err);
			goto done;
		}
		if (in[0].present)
			direction = in[0].s;
	}
	rc = access_admit(req->db, auth_principal(req), school_id, student_id,
	                  direction);
	if (rc == ACCESS_LEFT) {
		rc = http_problem(res, 409, "the student has left the school");
	} else if (rc == ACCESS_OK) {
		rc = access_http_json(
		        res, 201,
		        json_pack("{s:s, s:s, s:s, s:s}", "student",
		                  req->params[1], "direction", direction,
		                  "decision", "allow", "reason", "manual"));
	} else {
		rc = -1;
	}
done:
	json_decref(body);
	return rc;
}

/* POST /school/{school}/class/{class}/admit (ref, csrf) */
static int
page_admit(struct http_request *req, struct http_response *res)
{
	const char *ref = http_form_value(req, "ref");
	int64_t school_id, class_id, student_id;
	int rc;

	if (access_http_school(req, res, true, PERM_STUDENT_READ, -1,
	                       &school_id) == -1)
		return 0;
	if (people_class_find(req->db, school_id, req->params[1], &class_id) !=
	    PEOPLE_OK)
		return access_http_fail(req, res, true, 404,
		                        N_("no such class"));
	if (ref == NULL || ref[0] == '\0')
		return access_http_fail(req, res, true, 404,
		                        N_("no such student"));
	if (access_http_student(req, res, true, school_id, ref, &student_id) ==
	    -1)
		return 0;
	rc = access_admit(req->db, auth_principal(req), school_id, student_id,
	                  "in");
	if (rc == ACCESS_LEFT)
		return access_http_fail(req, res, true, 409,
		                        N_("The student has left the school."));
	if (rc != ACCESS_OK)
		return -1;
	return http_redirect(
	        res, arena_printf(req->arena, "/school/%s/class/%s?admitted=%s",
	                          req->params[0],
	                          access_http_seg(req, req->params[1]),
	                          access_http_seg(req, ref)));
}

/* --- Emergency mode -------------------------------------------------- */

/* {mode, since, reason}: since and reason null when there are none. */
static json_t *
mode_json(const struct access_mode *m)
{
	return json_pack("{s:s, s:s?, s:s?}", "mode",
	                 m->emergency ? "emergency" : "normal", "since",
	                 m->since[0] != '\0' ? m->since : NULL, "reason",
	                 m->reason[0] != '\0' ? m->reason : NULL);
}

/*
 * The school named by `code` for the mode's API: staff who may see it, or
 * a device of that school.  Answers and returns -1 otherwise.
 */
static int
mode_school(struct http_request *req, struct http_response *res,
            int64_t *school_id)
{
	const struct principal *p = auth_principal(req);

	if (p == NULL) {
		http_problem(res, 401, "credentials are required");
		return -1;
	}
	if (access_http_find_school(req, res, false, school_id) == -1)
		return -1;
	if (p->kind == PRINCIPAL_DEVICE
	            ? p->device_school_id != *school_id
	            : !auth_school_visible(req->db, p, *school_id)) {
		http_problem(res, 403, "you may not do that in this school");
		return -1;
	}
	return 0;
}

/* GET /api/v1/schools/{school}/mode */
static int
api_mode(struct http_request *req, struct http_response *res)
{
	struct access_mode m;
	int64_t school_id;

	if (mode_school(req, res, &school_id) == -1)
		return 0;
	if (access_mode_get(req->db, school_id, &m) != ACCESS_OK)
		return -1;
	return access_http_json(res, 200, mode_json(&m));
}

static const struct input_field emergency_input[] = {
        {.name = "on", .type = INPUT_BOOL, .required = true},
        {.name = "reason",
         .type = INPUT_STRING,
         .max_chars = ACCESS_REASON_MAX,
         .valid = access_reason_valid},
};

enum { EMG_ON, EMG_REASON, EMG_COUNT };

/* POST /api/v1/schools/{school}/emergency {on, reason?} */
static int
api_emergency(struct http_request *req, struct http_response *res)
{
	const struct principal *p = auth_principal(req);
	struct input_value in[EMG_COUNT];
	struct access_mode m;
	int64_t school_id;
	json_t *body;
	char err[128];
	int rc;

	if (mode_school(req, res, &school_id) == -1)
		return 0;
	/* Someone who may do neither is told so before their body is read. */
	if (!access_emergency_allowed(p, school_id, true) &&
	    !access_emergency_allowed(p, school_id, false))
		return http_problem(res, 403,
		                    "you may not switch emergency mode here");
	if ((body = http_json_body(req, res)) == NULL)
		return 0;
	if (input_check(body, emergency_input, EMG_COUNT, in, err,
	                sizeof(err)) == -1) {
		rc = http_problem(res, 422, err);
		goto done;
	}
	if (!access_emergency_allowed(p, school_id, in[EMG_ON].b)) {
		rc = http_problem(
		        res, 403,
		        in[EMG_ON].b ? "you may not switch emergency mode on"
		                     : "you may not end emergency mode");
		goto done;
	}
	if (access_emergency_set(req->db, p, school_id, in[EMG_ON].b,
	                         in[EMG_REASON].present ? in[EMG_REASON].s
	                                                : NULL,
	                         NULL) != ACCESS_OK ||
	    access_mode_get(req->db, school_id, &m) != ACCESS_OK) {
		rc = -1;
		goto done;
	}
	rc = access_http_json(res, 200, mode_json(&m));
done:
	json_decref(body);
	return rc;
}

/* The emergency page, with `error` (a msgid or NULL) above the forms. */
static int
render_emergency(struct http_request *req, struct http_response *res,
                 int status, int64_t school_id, const char *error)
{
	const struct principal *p = auth_principal(req);
	struct access_mode m;

	if (access_mode_get(req->db, school_id, &m) != ACCESS_OK)
		return -1;
	return page_render(
	        req, res, status, N_("Emergency mode"), "emergency",
	        json_pack("{s:s, s:b, s:s?, s:s?, s:b, s:b, s:s, s:s?}",
	                  "school", req->params[0], "emergency", m.emergency,
	                  "since", m.since[0] != '\0' ? m.since : NULL,
	                  "reason", m.reason[0] != '\0' ? m.reason : NULL,
	                  "can_start",
	                  !m.emergency &&
	                          access_emergency_allowed(p, school_id, true),
	                  "can_end",
	                  m.emergency &&
	                          access_emergency_allowed(p, school_id, false),
	                  "action",
	                  arena_printf(req->arena, "/school/%s/emergency",
	                               req->params[0]),
	                  "error", error ? i18n_get(req->lang, error) : NULL));
}

/* Staff who may switch it one way or the other, in scope. */
static int
emergency_page_school(struct http_request *req, struct http_response *res,
                      int64_t *school_id)
{
	const struct principal *p = auth_principal(req);

	if (access_http_school(req, res, true, -1, -1, school_id) == -1)
		return -1;
	if (!access_emergency_allowed(p, *school_id, true) &&
	    !access_emergency_allowed(p, *school_id, false))
		return access_http_fail(
		               req, res, true, 403,
		               N_("you may not do that in this school")),
		       -1;
	return 0;
}

/* GET /school/{school}/emergency */
static int
page_emergency(struct http_request *req, struct http_response *res)
{
	int64_t school_id;

	if (emergency_page_school(req, res, &school_id) == -1)
		return 0;
	return render_emergency(req, res, 200, school_id, NULL);
}

/* POST /school/{school}/emergency (on = 1 | 0, reason, csrf) */
static int
post_emergency(struct http_request *req, struct http_response *res)
{
	const char *on = http_form_value(req, "on");
	const char *reason = http_form_value(req, "reason");
	int64_t school_id;
	bool start;

	if (emergency_page_school(req, res, &school_id) == -1)
		return 0;
	if (on == NULL || (strcmp(on, "1") != 0 && strcmp(on, "0") != 0))
		return render_emergency(req, res, 422, school_id,
		                        N_("Choose to switch emergency mode on "
		                           "or to end it."));
	start = on[0] == '1';
	if (reason != NULL && reason[0] == '\0')
		reason = NULL;
	if (reason != NULL && !access_reason_valid(reason))
		return render_emergency(req, res, 422, school_id,
		                        N_("The reason is up to 200 characters "
		                           "of text."));
	if (!access_emergency_allowed(auth_principal(req), school_id, start))
		return access_http_fail(
		        req, res, true, 403,
		        start ? N_("You may not switch emergency mode "
		                   "on.")
		              : N_("You may not end emergency mode."));
	if (access_emergency_set(req->db, auth_principal(req), school_id, start,
	                         reason, NULL) != ACCESS_OK)
		return -1;
	return http_redirect(res,
	                     arena_printf(req->arena, "/school/%s/emergency",
	                                  req->params[0]));
}

const char *
access_page_alert(struct http_request *req)
{
	const struct principal *p = auth_principal(req);

	if (p == NULL || p->kind != PRINCIPAL_STAFF ||
	    !access_emergency_visible(req->db, p))
		return NULL;
	return N_("Emergency mode: all gates are open.");
}

int
access_http_register(struct http_server *srv)
{
	if (http_route(srv, "POST", "/api/v1/passes", api_pass, HTTP_DEVICE) ==
	            -1 ||
	    http_route(srv, "GET", "/api/v1/students/{school}/{ref}/passes",
	               api_student_passes, HTTP_STAFF) == -1 ||
	    http_route(srv, "POST",
	               "/api/v1/students/{school}/{ref}/identifiers", api_bind,
	               HTTP_STAFF) == -1 ||
	    http_route(srv, "POST",
	               "/api/v1/identifiers/{school}/{identifier}/block",
	               api_block, HTTP_STAFF) == -1 ||
	    http_route(srv, "POST",
	               "/api/v1/identifiers/{school}/{identifier}/unblock",
	               api_unblock, HTTP_STAFF) == -1 ||
	    http_route(srv, "POST", "/api/v1/students/{school}/{ref}/admit",
	               api_admit, HTTP_STAFF) == -1 ||
	    http_route(srv, "POST", "/api/v1/schools/{school}/emergency",
	               api_emergency, HTTP_STAFF | HTTP_DEVICE) == -1 ||
	    http_route(srv, "GET", "/api/v1/schools/{school}/mode", api_mode,
	               HTTP_STAFF | HTTP_DEVICE) == -1 ||
	    http_route(srv, "GET", "/school/{school}/emergency", page_emergency,
	               HTTP_PAGE | HTTP_STAFF) == -1 ||
	    http_route(srv, "POST", "/school/{school}/emergency",
	               post_emergency, HTTP_PAGE | HTTP_STAFF) == -1 ||
	    http_route(srv, "POST", "/school/{school}/class/{class}/admit",
	               page_admit, HTTP_PAGE | HTTP_STAFF) == -1)
		return -1;
	return 0;
}
