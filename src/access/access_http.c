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
#include "access/access.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "audit/audit.h"
#include "auth/auth_http.h"
#include "core/log.h"
#include "core/validate.h"
#include "http/http.h"
#include "http/input.h"
#include "people/people.h"
#include "web/i18n.h"
#include "web/page.h"

/* The school with `code` into *school_id, or -1 after answering 404/500. */
static int
find_school(struct http_request *req, struct http_response *res,
            const char *code, int64_t *school_id)
{
	int rc = people_school_find(req->db, code, school_id);

	if (rc == PEOPLE_NOT_FOUND)
		http_problem(res, 404, "no such school");
	else if (rc != PEOPLE_OK)
		http_problem(res, 500, "internal error");
	return rc == PEOPLE_OK ? 0 : -1;
}

/*
 * The school named by `code` when the caller is staff who may see it and
 * holds perm_a or perm_b (-1: none needed).  Answers and returns -1
 * otherwise.
 */
static int
staff_school(struct http_request *req, struct http_response *res,
             const char *code, int perm_a, int perm_b, int64_t *school_id)
{
	const struct principal *p = auth_principal(req);

	if (p == NULL || p->kind != PRINCIPAL_STAFF) {
		http_problem(res, 403, "only staff may do that");
		return -1;
	}
	if (find_school(req, res, code, school_id) == -1)
		return -1;
	if (!((perm_a < 0 || auth_allowed(p, (enum permission)perm_a)) ||
	      (perm_b >= 0 && auth_allowed(p, (enum permission)perm_b))) ||
	    !auth_school_visible(req->db, p, *school_id)) {
		http_problem(res, 403, "you may not do that in this school");
		return -1;
	}
	return 0;
}

/* The same, then the student `ref` of that school (404 when unknown). */
static int
staff_student(struct http_request *req, struct http_response *res, int perm_a,
              int perm_b, int64_t *school_id, int64_t *student_id)
{
	int rc;

	if (staff_school(req, res, req->params[0], perm_a, perm_b, school_id) ==
	    -1)
		return -1;
	rc = people_student_find(req->db, *school_id, req->params[1],
	                         student_id);
	if (rc == PEOPLE_OK)
		return 0;
	http_problem(res, rc == PEOPLE_NOT_FOUND ? 404 : 500,
	             rc == PEOPLE_NOT_FOUND ? "no such student"
	                                    : "internal error");
	return -1;
}

/* --- POST /api/v1/passes ------------------------------------------- */

static const struct input_field pass_input[] = {
        {.name = "identifier",
         .type = INPUT_STRING,
         .required = true,
         .max_chars = ACCESS_IDENTIFIER_MAX,
         .valid = access_identifier_valid},
        {.name = "direction",
         .type = INPUT_STRING,
         .required = true,
         .max_chars = 3,
         .valid = access_direction_valid},
        {.name = "at",
         .type = INPUT_STRING,
         .required = true,
         .max_chars = ACCESS_TIME_INPUT_MAX,
         .valid = access_time_valid},
        {.name = "seq",
         .type = INPUT_INT,
         .required = true,
         .min = 0,
         .max = INT64_MAX},
};

enum { PASS_IDENTIFIER, PASS_DIRECTION, PASS_AT, PASS_SEQ, PASS_COUNT };

static int
api_pass(struct http_request *req, struct http_response *res)
{
	const struct principal *p = auth_principal(req);
	struct input_value in[PASS_COUNT];
	struct access_decision d;
	struct access_pass pass;
	json_t *body, *out;
	char err[128];
	int rc;

	if (p == NULL || p->kind != PRINCIPAL_DEVICE ||
	    p->device_kind == NULL || strcmp(p->device_kind, "gate") != 0)
		return http_problem(res, 403, "only a gate may record passes");
	if ((body = http_json_body(req, res)) == NULL)
		return 0;
	if (input_check(body, pass_input, PASS_COUNT, in, err, sizeof(err)) ==
	    -1) {
		rc = http_problem(res, 422, err);
		goto done;
	}
	memset(&pass, 0, sizeof(pass));
	if (access_time_parse(in[PASS_AT].s, &pass.device_at) == -1) {
		rc = http_problem(res, 422, "at: not a valid value");
		goto done;
	}
	switch (access_time_window(pass.device_at, (int64_t)time(NULL))) {
	case ACCESS_WHEN_FUTURE:
		rc = http_problemf(res, 422,
		                   "at: more than %d seconds in the future",
		                   ACCESS_FUTURE_SKEW_SECONDS);
		goto done;
	case ACCESS_WHEN_PAST:
		rc = http_problemf(res, 422,
		                   "at: more than %d days in the past",
		                   ACCESS_PAST_MAX_SECONDS / 86400);
		goto done;
	case ACCESS_WHEN_OK:
		break;
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
	out = json_pack("{s:s, s:s}", "decision", d.allow ? "allow" : "deny",
	                "reason", d.reason);
	rc = out != NULL ? http_json(res, 200, out) : -1;
	json_decref(out);
done:
	json_decref(body);
	return rc;
}

/* --- GET /api/v1/students/{school}/{ref}/passes ----------------------- */

static int
api_student_passes(struct http_request *req, struct http_response *res)
{
	const char *from = http_query(req, "from"), *to = http_query(req, "to");
	char today[PEOPLE_TIME_MAX], object[24];
	int64_t school_id, student_id, days;
	json_t *list = NULL, *body;
	bool ok;
	int rc;

	if (staff_student(req, res, PERM_STUDENT_READ, -1, &school_id,
	                  &student_id) == -1)
		return 0;
	people_now(today);
	today[10] = '\0';
	if (from == NULL)
		from = today;
	if (to == NULL)
		to = today;
	if (!validate_date(from))
		return http_problem(res, 422, "from: not a date (YYYY-MM-DD)");
	if (!validate_date(to))
		return http_problem(res, 422, "to: not a date (YYYY-MM-DD)");
	days = access_days_between(from, to, &ok);
	if (!ok || days < 0)
		return http_problem(res, 422, "from: after to");
	if (days + 1 > ACCESS_RANGE_MAX_DAYS)
		return http_problemf(res, 422, "to: at most %d days from from",
		                     ACCESS_RANGE_MAX_DAYS);
	if (access_student_passes(req->db, student_id, from, to, &list) !=
	    ACCESS_OK)
		return -1;
	snprintf(object, sizeof(object), "%lld", (long long)student_id);
	if (audit_record_read(req->db, auth_principal(req),
	                      "student.passes.read", school_id, "student",
	                      object) != 0) {
		log_warnx("access: cannot audit a pass read id=%s",
		          req->request_id);
		json_decref(list);
		return -1;
	}
	body = json_pack("{s:o}", "passes", list);
	rc = body != NULL ? http_json(res, 200, body) : -1;
	json_decref(body);
	return rc;
}

/* --- Identifiers --------------------------------------------------------- */

static const struct input_field bind_input[] = {
        {.name = "identifier",
         .type = INPUT_STRING,
         .required = true,
         .max_chars = ACCESS_IDENTIFIER_MAX,
         .valid = access_identifier_valid},
        {.name = "kind",
         .type = INPUT_STRING,
         .max_chars = 16,
         .valid = access_kind_valid},
};

enum { BIND_IDENTIFIER, BIND_KIND, BIND_COUNT };

static int
api_bind(struct http_request *req, struct http_response *res)
{
	struct input_value in[BIND_COUNT];
	int64_t school_id, student_id, holder_school = 0;
	char err[128], holder[ACCESS_REF_SIZE];
	const char *kind;
	json_t *body, *out;
	int rc;

	if (staff_student(req, res, PERM_DEVICE_MANAGE, PERM_ROSTER_MANAGE,
	                  &school_id, &student_id) == -1)
		return 0;
	if ((body = http_json_body(req, res)) == NULL)
		return 0;
	if (input_check(body, bind_input, BIND_COUNT, in, err, sizeof(err)) ==
	    -1) {
		rc = http_problem(res, 422, err);
		goto done;
	}
	kind = in[BIND_KIND].present ? in[BIND_KIND].s : "card";
	rc = access_bind(req->db, auth_principal(req), school_id, student_id,
	                 in[BIND_IDENTIFIER].s, kind, holder, sizeof(holder),
	                 &holder_school, NULL);
	switch (rc) {
	case ACCESS_OK:
		out = json_pack("{s:s, s:s, s:s, s:s}", "identifier",
		                in[BIND_IDENTIFIER].s, "kind", kind, "student",
		                req->params[1], "status", "active");
		rc = out != NULL ? http_json(res, 201, out) : -1;
		json_decref(out);
		break;
	case ACCESS_TAKEN:
		/* Who holds it is told only to staff who may see that school.
		 */
		if (auth_school_visible(req->db, auth_principal(req),
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

static const struct input_field block_input[] = {
        {.name = "reason",
         .type = INPUT_STRING,
         .max_chars = ACCESS_REASON_MAX,
         .valid = access_reason_valid},
};

/* POST .../block {reason?} and .../unblock (no body needed) */
static int
set_status(struct http_request *req, struct http_response *res, bool block)
{
	struct input_value in[1];
	json_t *body = NULL;
	int64_t school_id;
	char err[128];
	int rc;

	if (staff_school(req, res, req->params[0], PERM_DEVICE_MANAGE,
	                 PERM_ROSTER_MANAGE, &school_id) == -1)
		return 0;
	memset(in, 0, sizeof(in));
	if (block && req->body_len > 0) {
		if ((body = http_json_body(req, res)) == NULL)
			return 0;
		if (input_check(body, block_input, 1, in, err, sizeof(err)) ==
		    -1) {
			rc = http_problem(res, 422, err);
			goto done;
		}
	}
	if (!access_identifier_valid(req->params[1])) {
		rc = http_problem(res, 404, "no such identifier");
		goto done;
	}
	rc = block ? access_block(req->db, auth_principal(req), school_id,
	                          req->params[1], in[0].s)
	           : access_unblock(req->db, auth_principal(req), school_id,
	                            req->params[1]);
	if (rc == ACCESS_OK)
		rc = http_text(res, 204, NULL, "", 0);
	else if (rc == ACCESS_NOT_FOUND)
		rc = http_problem(
		        res, 404,
		        block ? "no active identifier with this value"
		              : "no blocked identifier with this value");
	else if (rc == ACCESS_TAKEN)
		rc = http_problem(res, 409,
		                  "identifier: active on a student since");
	else
		rc = -1;
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
	json_t *body = NULL, *out;
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
		out = json_pack("{s:s, s:s, s:s, s:s}", "student",
		                req->params[1], "direction", direction,
		                "decision", "allow", "reason", "manual");
		rc = out != NULL ? http_json(res, 201, out) : -1;
		json_decref(out);
	} else {
		rc = -1;
	}
done:
	json_decref(body);
	return rc;
}

/* A path segment percent-encoded (class names may be Cyrillic). */
static const char *
seg(struct http_request *req, const char *s)
{
	const char *out = http_url_encode(req->arena, s, "");

	return out != NULL ? out : "";
}

/* An error page with a translated detail; returns 0. */
static int
page_fail(struct http_request *req, struct http_response *res, int status,
          const char *msgid)
{
	http_problem(res, status, i18n_get(req->lang, msgid));
	return 0;
}

/*
 * The school `code` for a page, when the caller is staff who may see it and
 * holds perm (-1: none needed).  Answers an error page and returns -1
 * otherwise.
 */
static int
page_school(struct http_request *req, struct http_response *res,
            const char *code, int perm, int64_t *school_id)
{
	const struct principal *p = auth_principal(req);
	int rc;

	if (p == NULL || p->kind != PRINCIPAL_STAFF)
		return page_fail(req, res, 403, N_("only staff may do that")),
		       -1;
	rc = people_school_find(req->db, code, school_id);
	if (rc == PEOPLE_NOT_FOUND)
		return page_fail(req, res, 404, N_("no such school")), -1;
	if (rc != PEOPLE_OK)
		return page_fail(req, res, 500, N_("internal error")), -1;
	if ((perm >= 0 && !auth_allowed(p, (enum permission)perm)) ||
	    !auth_school_visible(req->db, p, *school_id))
		return page_fail(req, res, 403,
		                 N_("you may not do that in this school")),
		       -1;
	return 0;
}

/* POST /school/{school}/class/{class}/admit (ref, csrf) */
static int
page_admit(struct http_request *req, struct http_response *res)
{
	const char *ref = http_form_value(req, "ref");
	int64_t school_id, class_id, student_id;
	int rc;

	if (page_school(req, res, req->params[0], PERM_STUDENT_READ,
	                &school_id) == -1)
		return 0;
	if (people_class_find(req->db, school_id, req->params[1], &class_id) !=
	    PEOPLE_OK)
		return page_fail(req, res, 404, N_("no such class"));
	if (ref == NULL || ref[0] == '\0' ||
	    people_student_find(req->db, school_id, ref, &student_id) !=
	            PEOPLE_OK)
		return page_fail(req, res, 404, N_("no such student"));
	rc = access_admit(req->db, auth_principal(req), school_id, student_id,
	                  "in");
	if (rc == ACCESS_LEFT)
		return page_fail(req, res, 409,
		                 N_("The student has left the school."));
	if (rc != ACCESS_OK)
		return -1;
	return http_redirect(
	        res, arena_printf(req->arena, "/school/%s/class/%s?admitted=%s",
	                          req->params[0], seg(req, req->params[1]),
	                          seg(req, ref)));
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
            const char *code, int64_t *school_id)
{
	const struct principal *p = auth_principal(req);

	if (p == NULL) {
		http_problem(res, 401, "credentials are required");
		return -1;
	}
	if (find_school(req, res, code, school_id) == -1)
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
	json_t *out;
	int rc;

	if (mode_school(req, res, req->params[0], &school_id) == -1)
		return 0;
	if (access_mode_get(req->db, school_id, &m) != ACCESS_OK)
		return -1;
	out = mode_json(&m);
	rc = out != NULL ? http_json(res, 200, out) : -1;
	json_decref(out);
	return rc;
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
	json_t *body, *out;
	char err[128];
	int rc;

	if (mode_school(req, res, req->params[0], &school_id) == -1)
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
	out = mode_json(&m);
	rc = out != NULL ? http_json(res, 200, out) : -1;
	json_decref(out);
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

	if (page_school(req, res, req->params[0], -1, school_id) == -1)
		return -1;
	if (!access_emergency_allowed(p, *school_id, true) &&
	    !access_emergency_allowed(p, *school_id, false))
		return page_fail(req, res, 403,
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
		return page_fail(req, res, 403,
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
