/*
 * The kindergarten's JSON API and pages.
 *
 *   POST   /api/v1/handovers                                200 {decision,
 * reason} GET    /api/v1/schools/{school}/kindergarten            200
 * {kindergarten, since} PUT    /api/v1/schools/{school}/kindergarten  {on} 200
 * {kindergarten, since} GET    /api/v1/schools/{school}/students/{ref}/escorts
 * 200 {kindergarten, escorts} POST   .../students/{ref}/escorts 201 {escort,
 * existing, ...} PUT    .../students/{ref}/escorts/{escort}              200
 * {escort, ...} DELETE .../students/{ref}/escorts/{escort}              204
 *   POST   .../escorts/{escort}/identifiers                 201 {identifier,
 * ...} POST   .../escorts/{escort}/identifiers/{identifier}/block    204 POST
 * .../escorts/{escort}/identifiers/{identifier}/unblock  204 GET
 * .../students/{ref}/handovers?from=&to=           200 {handovers}
 *
 * Pages (HTTP_PAGE; errors become the error page or the page again):
 *   GET  /school/{school}/student/{ref}/escorts             the child's escorts
 *   POST /school/{school}/student/{ref}/escorts             add or link one
 *   POST .../escorts/{escort}                               change rights
 *   POST .../escorts/{escort}/remove                        take off the list
 *   POST .../escorts/{escort}/identifiers                   bind a card
 *   POST .../escorts/{escort}/block     (identifier)        block a card
 *   POST /school/{school}/kindergarten  (on, ref)           switch the mode
 *
 * Handovers come only from gate and kiosk tokens, and the school is the
 * token's, so a device of school A cannot record at school B (a ref of
 * another school is no child of this one).  A device of a school that is
 * not in kindergarten mode gets 409, not 422: its request is well formed,
 * it is the school's state that does not take handovers, and nothing is
 * recorded (the same device and seq asked again after a recorded handover
 * still gets the first answer).
 *
 * Staff routes check in the people module's order: unknown school 404, a
 * school the caller may not see or a role that may not manage escorts 403,
 * unknown child 404, then a class teacher asking about a child of
 * another group 403.  Reads of escorts and handovers are audited.  Nothing
 * here logs a name, a phone or an identifier value.
 */
#include "access/access_http_internal.h"
#include "access/attendance.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/auth_http.h"
#include "core/validate.h"
#include "http/http.h"
#include "http/input.h"
#include "people/people.h"
#include "web/i18n.h"
#include "web/page.h"

/* Room for an E.164 number as people type it ("+7 (701) 123-45-67"). */
#define ESCORT_PHONE_INPUT_MAX 32

/* A positive row id from a path segment; false for anything else. */
static bool
parse_id(const char *s, int64_t *id)
{
	char *end;
	long long v;

	if (s == NULL || s[0] < '1' || s[0] > '9' || strlen(s) > 18)
		return false;
	v = strtoll(s, &end, 10);
	if (*end != '\0' || v <= 0)
		return false;
	*id = v;
	return true;
}

/*
 * The school of the path, params[0] (staff who may see it and whose role
 * may manage escorts), and its child params[1] that they may manage.
 * Answers (a problem, or for pages the error page with a translated
 * detail) and returns -1 otherwise.
 */
static int
staff_child(struct http_request *req, struct http_response *res, bool page,
            int64_t *school_id, int64_t *student_id)
{
	const struct principal *p = auth_principal(req);

	if (access_http_school(req, res, page, -1, -1, school_id) == -1)
		return -1;
	if (!access_escorts_allowed(req->db, p, 0))
		return access_http_fail(
		               req, res, page, 403,
		               N_("you may not do that in this school")),
		       -1;
	if (access_http_student(req, res, page, *school_id, req->params[1],
	                        student_id) == -1)
		return -1;
	if (!access_escorts_allowed(req->db, p, *student_id))
		return access_http_fail(req, res, page, 403,
		                        N_("you may not manage the escorts of "
		                           "this child")),
		       -1;
	return 0;
}

/* staff_child(), then the escort id of the path (params[2]): 404 when it
 * is no id. */
static int
staff_escort(struct http_request *req, struct http_response *res, bool page,
             int64_t *school_id, int64_t *student_id, int64_t *escort_id)
{
	if (staff_child(req, res, page, school_id, student_id) == -1)
		return -1;
	if (!parse_id(req->params[2], escort_id))
		return access_http_fail(req, res, page, 404,
		                        N_("no such escort")),
		       -1;
	return 0;
}

/* --- POST /api/v1/handovers -------------------------------------------- */

static const struct input_field handover_input[] = {
        ACCESS_INPUT_IDENTIFIER("escort"),
        {.name = "child",
         .type = INPUT_STRING,
         .max_chars = VALIDATE_REF_MAX,
         .valid = validate_ref},
        ACCESS_INPUT_DIRECTION,
        ACCESS_INPUT_AT,
        ACCESS_INPUT_SEQ,
};

enum { HO_ESCORT, HO_CHILD, HO_DIRECTION, HO_AT, HO_SEQ, HO_COUNT };

static int
api_handover(struct http_request *req, struct http_response *res)
{
	const struct principal *p = auth_principal(req);
	struct input_value in[HO_COUNT];
	struct access_handover h;
	struct access_decision d;
	json_t *body;
	char err[128];
	int rc;

	if (!access_http_device(p, true))
		return http_problem(
		        res, 403, "only a gate or kiosk may record handovers");
	if ((body = http_json_body(req, res)) == NULL)
		return 0;
	if (input_check(body, handover_input, HO_COUNT, in, err, sizeof(err)) ==
	    -1) {
		rc = http_problem(res, 422, err);
		goto done;
	}
	memset(&h, 0, sizeof(h));
	if (access_http_device_time(res, in[HO_AT].s, &h.device_at) == -1) {
		rc = 0;
		goto done;
	}
	h.device_id = p->device_id;
	h.school_id = p->device_school_id;
	h.seq = in[HO_SEQ].i;
	h.identifier = in[HO_ESCORT].s;
	h.child = in[HO_CHILD].present ? in[HO_CHILD].s : NULL;
	h.direction = in[HO_DIRECTION].s;
	rc = access_handover_record(req->db, &h, &d);
	if (rc == ACCESS_NOT_KINDERGARTEN) {
		rc = http_problem(res, 409,
		                  "this school is not in kindergarten mode");
		goto done;
	}
	if (rc != ACCESS_OK) {
		rc = -1;
		goto done;
	}
	rc = access_http_decision(res, &d);
done:
	json_decref(body);
	return rc;
}

/* --- Kindergarten mode ------------------------------------------------- */

/* {kindergarten, since}: since null when never switched. */
static json_t *
mode_json(struct store *db, int64_t school_id)
{
	char since[ACCESS_STAMP_SIZE];
	bool on = false;

	if (access_kindergarten_get(db, school_id, &on, since) != ACCESS_OK)
		return NULL;
	return json_pack("{s:b, s:s?}", "kindergarten", on, "since",
	                 since[0] != '\0' ? since : NULL);
}

/*
 * The school of the path for the mode's API: staff who may see it or a
 * device of it (its gates and kiosks ask whether to offer handovers).
 * Answers and returns -1 otherwise.
 */
static int
mode_school(struct http_request *req, struct http_response *res,
            int64_t *school_id)
{
	if (access_http_find_school(req, res, false, school_id) == -1)
		return -1;
	if (!auth_school_visible(req->db, auth_principal(req), *school_id)) {
		http_problem(res, 403, "you may not do that in this school");
		return -1;
	}
	return 0;
}

static int
api_mode(struct http_request *req, struct http_response *res)
{
	int64_t school_id;

	if (mode_school(req, res, &school_id) == -1)
		return 0;
	return access_http_json(res, 200, mode_json(req->db, school_id));
}

static const struct input_field mode_input[] = {
        {.name = "on", .type = INPUT_BOOL, .required = true},
};

static int
api_mode_set(struct http_request *req, struct http_response *res)
{
	const struct principal *p = auth_principal(req);
	struct input_value in[1];
	int64_t school_id;
	json_t *body;
	char err[128];
	int rc;

	if (mode_school(req, res, &school_id) == -1)
		return 0;
	if (!access_kindergarten_switch_allowed(p))
		return http_problem(res, 403,
		                    "you may not switch kindergarten mode");
	if ((body = http_json_body(req, res)) == NULL)
		return 0;
	if (input_check(body, mode_input, 1, in, err, sizeof(err)) == -1) {
		rc = http_problem(res, 422, err);
		goto done;
	}
	if (access_kindergarten_set(req->db, p, school_id, in[0].b, NULL) !=
	    ACCESS_OK) {
		rc = -1;
		goto done;
	}
	rc = access_http_json(res, 200, mode_json(req->db, school_id));
done:
	json_decref(body);
	return rc;
}

/* --- A child's escorts ------------------------------------------------- */

/* The answer for a failed change, in the JSON API's words. */
static int
change_failed(struct http_response *res, int rc)
{
	switch (rc) {
	case ACCESS_INVALID:
		return http_problem(res, 422, "a field is not valid");
	case ACCESS_NOT_FOUND:
		return http_problem(res, 404, "no such escort of this child");
	case ACCESS_TAKEN:
		return http_problem(res, 409,
		                    "escort: already an escort of this child");
	case ACCESS_ESCORTS_FULL:
		return http_problemf(res, 409, "a child has at most %d escorts",
		                     ACCESS_ESCORTS_MAX);
	case ACCESS_NOT_KINDERGARTEN:
		return http_problem(res, 409,
		                    "this school is not in kindergarten mode");
	case ACCESS_LEFT:
		return http_problem(res, 409, "the child has left the school");
	default:
		return -1;
	}
}

static int
api_escorts(struct http_request *req, struct http_response *res)
{
	int64_t school_id, student_id;
	json_t *list = NULL;
	bool on = false;

	if (staff_child(req, res, false, &school_id, &student_id) == -1)
		return 0;
	if (access_kindergarten_get(req->db, school_id, &on, NULL) !=
	            ACCESS_OK ||
	    access_child_escorts(req->db, student_id, &list) != ACCESS_OK)
		return -1;
	if (access_http_audit_read(req, "escorts.read", school_id,
	                           student_id) == -1) {
		json_decref(list);
		return -1;
	}
	return access_http_json(
	        res, 200,
	        json_pack("{s:b, s:o}", "kindergarten", on, "escorts", list));
}

/* Escort fields of the JSON API, in this order. */
enum {
	ES_FULL_NAME,
	ES_PHONE,
	ES_ESCORT,
	ES_RELATION,
	ES_MAY_BRING,
	ES_MAY_PICK_UP,
	ES_COUNT
};

static const struct input_field add_input[] = {
        {.name = "full_name",
         .type = INPUT_STRING,
         .max_chars = PEOPLE_NAME_MAX,
         .valid = access_escort_name_valid},
        {.name = "phone",
         .type = INPUT_STRING,
         .max_chars = ESCORT_PHONE_INPUT_MAX},
        {.name = "escort", .type = INPUT_INT, .min = 1, .max = INT64_MAX},
        {.name = "relation",
         .type = INPUT_STRING,
         .required = true,
         .max_chars = 16,
         .valid = access_relation_valid},
        {.name = "may_bring", .type = INPUT_BOOL},
        {.name = "may_pick_up", .type = INPUT_BOOL},
};

/* The update takes the same fields but a link to another escort; its
 * rights are required (PUT replaces them). */
static const struct input_field update_input[] = {
        {.name = "full_name",
         .type = INPUT_STRING,
         .max_chars = PEOPLE_NAME_MAX,
         .valid = access_escort_name_valid},
        {.name = "phone",
         .type = INPUT_STRING,
         .max_chars = ESCORT_PHONE_INPUT_MAX},
        {.name = "relation",
         .type = INPUT_STRING,
         .required = true,
         .max_chars = 16,
         .valid = access_relation_valid},
        {.name = "may_bring", .type = INPUT_BOOL, .required = true},
        {.name = "may_pick_up", .type = INPUT_BOOL, .required = true},
};

/* The phone as typed into E.164 in out; "" stays "" when `empty_ok`
 * (it removes the phone).  false when it is no phone number. */
static bool
phone_e164(const char *s, bool empty_ok, char out[VALIDATE_PHONE_MAX + 1])
{
	if (s[0] == '\0' && empty_ok) {
		out[0] = '\0';
		return true;
	}
	return normalize_phone(s, out, VALIDATE_PHONE_MAX + 1) == 0;
}

/* {escort, student, relation, may_bring, may_pick_up[, existing]} */
static int
escort_answer(struct http_request *req, struct http_response *res, int status,
              int64_t escort_id, const struct access_escort_rights *r,
              int existing)
{
	json_t *out = json_pack(
	        "{s:I, s:s, s:s, s:b, s:b}", "escort", (json_int_t)escort_id,
	        "student", req->params[1], "relation", r->relation, "may_bring",
	        r->may_bring, "may_pick_up", r->may_pick_up);

	if (out != NULL && existing >= 0)
		json_object_set_new(out, "existing", json_boolean(existing));
	return access_http_json(res, status, out);
}

static int
api_escort_add(struct http_request *req, struct http_response *res)
{
	struct input_value in[ES_COUNT];
	struct access_escort_rights r;
	char err[128], phone[VALIDATE_PHONE_MAX + 1];
	int64_t school_id, student_id, escort_id = 0;
	bool existing = false;
	json_t *body;
	int rc;

	if (staff_child(req, res, false, &school_id, &student_id) == -1)
		return 0;
	if ((body = http_json_body(req, res)) == NULL)
		return 0;
	if (input_check(body, add_input, ES_COUNT, in, err, sizeof(err)) ==
	    -1) {
		rc = http_problem(res, 422, err);
		goto done;
	}
	/* A new escort by name, or one the school knows by number. */
	if (in[ES_ESCORT].present &&
	    (in[ES_FULL_NAME].present || in[ES_PHONE].present)) {
		rc = http_problem(res, 422,
		                  "escort: either escort or full_name and "
		                  "phone, not both");
		goto done;
	}
	if (!in[ES_ESCORT].present && !in[ES_FULL_NAME].present) {
		rc = http_problem(res, 422, "full_name: required");
		goto done;
	}
	if (in[ES_PHONE].present && !phone_e164(in[ES_PHONE].s, false, phone)) {
		rc = http_problem(res, 422, "phone: not a phone number");
		goto done;
	}
	r.relation = in[ES_RELATION].s;
	r.may_bring = !in[ES_MAY_BRING].present || in[ES_MAY_BRING].b;
	r.may_pick_up = !in[ES_MAY_PICK_UP].present || in[ES_MAY_PICK_UP].b;
	if (!r.may_bring && !r.may_pick_up) {
		rc = http_problem(res, 422,
		                  "may_bring: an escort may bring, pick up, "
		                  "or both");
		goto done;
	}
	if (in[ES_ESCORT].present) {
		escort_id = in[ES_ESCORT].i;
		rc = access_escort_link(req->db, auth_principal(req), school_id,
		                        student_id, escort_id, &r);
		if (rc == ACCESS_NOT_FOUND) {
			rc = http_problem(res, 404,
			                  "escort: no such escort in this "
			                  "school");
			goto done;
		}
	} else {
		rc = access_escort_add(req->db, auth_principal(req), school_id,
		                       student_id, in[ES_FULL_NAME].s,
		                       in[ES_PHONE].present ? phone : NULL, &r,
		                       &escort_id, &existing);
	}
	rc = rc == ACCESS_OK
	             ? escort_answer(req, res, 201, escort_id, &r, existing)
	             : change_failed(res, rc);
done:
	json_decref(body);
	return rc;
}

enum {
	UP_FULL_NAME,
	UP_PHONE,
	UP_RELATION,
	UP_MAY_BRING,
	UP_MAY_PICK_UP,
	UP_COUNT
};

static int
api_escort_update(struct http_request *req, struct http_response *res)
{
	struct input_value in[UP_COUNT];
	struct access_escort_rights r;
	char err[128], phone[VALIDATE_PHONE_MAX + 1];
	int64_t school_id, student_id, escort_id;
	json_t *body;
	int rc;

	if (staff_escort(req, res, false, &school_id, &student_id,
	                 &escort_id) == -1)
		return 0;
	if ((body = http_json_body(req, res)) == NULL)
		return 0;
	if (input_check(body, update_input, UP_COUNT, in, err, sizeof(err)) ==
	    -1) {
		rc = http_problem(res, 422, err);
		goto done;
	}
	if (in[UP_PHONE].present && !phone_e164(in[UP_PHONE].s, true, phone)) {
		rc = http_problem(res, 422, "phone: not a phone number");
		goto done;
	}
	r.relation = in[UP_RELATION].s;
	r.may_bring = in[UP_MAY_BRING].b;
	r.may_pick_up = in[UP_MAY_PICK_UP].b;
	if (!r.may_bring && !r.may_pick_up) {
		rc = http_problem(res, 422,
		                  "may_bring: an escort may bring, pick up, "
		                  "or both");
		goto done;
	}
	rc = access_escort_update(
	        req->db, auth_principal(req), school_id, student_id, escort_id,
	        in[UP_FULL_NAME].present ? in[UP_FULL_NAME].s : NULL,
	        in[UP_PHONE].present ? phone : NULL, &r);
	rc = rc == ACCESS_OK ? escort_answer(req, res, 200, escort_id, &r, -1)
	                     : change_failed(res, rc);
done:
	json_decref(body);
	return rc;
}

static int
api_escort_delete(struct http_request *req, struct http_response *res)
{
	int64_t school_id, student_id, escort_id;
	int rc;

	if (staff_escort(req, res, false, &school_id, &student_id,
	                 &escort_id) == -1)
		return 0;
	rc = access_escort_unlink(req->db, auth_principal(req), school_id,
	                          student_id, escort_id);
	return rc == ACCESS_OK ? http_text(res, 204, NULL, "", 0)
	                       : change_failed(res, rc);
}

static int
api_escort_bind(struct http_request *req, struct http_response *res)
{
	struct input_value in[ACCESS_BIND_COUNT];
	int64_t school_id, student_id, escort_id, holder_school = 0;
	char err[128], holder[ACCESS_REF_SIZE];
	const char *kind;
	json_t *body;
	int rc;

	if (staff_escort(req, res, false, &school_id, &student_id,
	                 &escort_id) == -1)
		return 0;
	if ((body = http_json_body(req, res)) == NULL)
		return 0;
	if (input_check(body, access_bind_input, ACCESS_BIND_COUNT, in, err,
	                sizeof(err)) == -1) {
		rc = http_problem(res, 422, err);
		goto done;
	}
	kind = in[ACCESS_BIND_KIND].present ? in[ACCESS_BIND_KIND].s : "card";
	if (!access_escort_kind_valid(kind)) {
		rc = http_problem(res, 422,
		                  "kind: biometric identifiers are not taken "
		                  "for escorts");
		goto done;
	}
	rc = access_escort_bind(req->db, auth_principal(req), school_id,
	                        student_id, escort_id,
	                        in[ACCESS_BIND_IDENTIFIER].s, kind, holder,
	                        sizeof(holder), &holder_school, NULL);
	if (rc == ACCESS_OK) {
		rc = access_http_json(
		        res, 201,
		        json_pack("{s:s, s:s, s:I, s:s}", "identifier",
		                  in[ACCESS_BIND_IDENTIFIER].s, "kind", kind,
		                  "escort", (json_int_t)escort_id, "status",
		                  "active"));
	} else if (rc == ACCESS_TAKEN) {
		/* Who holds it is told only to staff who may see that school.
		 */
		rc = auth_school_visible(req->db, auth_principal(req),
		                         holder_school)
		             ? http_problemf(res, 409,
		                             "identifier: active on %s", holder)
		             : http_problem(res, 409,
		                            "identifier: active on someone of "
		                            "another school");
	} else {
		rc = change_failed(res, rc);
	}
done:
	json_decref(body);
	return rc;
}

/* POST .../identifiers/{identifier}/block {reason?} and .../unblock */
static int
escort_status(struct http_request *req, struct http_response *res, bool block)
{
	int64_t school_id, student_id, escort_id;
	const char *reason;
	json_t *body = NULL;
	int rc;

	if (staff_escort(req, res, false, &school_id, &student_id,
	                 &escort_id) == -1 ||
	    access_http_block_request(req, res, block, req->params[3], &body,
	                              &reason) == -1) {
		rc = 0;
		goto done;
	}
	rc = block ? access_escort_block(req->db, auth_principal(req),
	                                 school_id, student_id, escort_id,
	                                 req->params[3], reason)
	           : access_escort_unblock(req->db, auth_principal(req),
	                                   school_id, student_id, escort_id,
	                                   req->params[3]);
	rc = access_http_block_answer(
	        res, rc, block, "identifier: active on someone else since");
done:
	json_decref(body);
	return rc;
}

static int
api_escort_block(struct http_request *req, struct http_response *res)
{
	return escort_status(req, res, true);
}

static int
api_escort_unblock(struct http_request *req, struct http_response *res)
{
	return escort_status(req, res, false);
}

/* GET .../students/{ref}/handovers?from=&to= (UTC days, default today) */
static int
api_handovers(struct http_request *req, struct http_response *res)
{
	char today[PEOPLE_TIME_MAX];
	const char *from, *to;
	int64_t school_id, student_id;
	json_t *list = NULL;

	if (staff_child(req, res, false, &school_id, &student_id) == -1 ||
	    access_http_days(req, res, today, &from, &to) == -1)
		return 0;
	if (access_child_handovers(req->db, student_id, from, to, &list) !=
	    ACCESS_OK)
		return -1;
	return access_http_list_read(req, res, "handovers.read", school_id,
	                             student_id, "handovers", list);
}

/* --- Pages ------------------------------------------------------------- */

static const struct {
	const char *value;
	const char *label; /* English msgid */
} relations[] = {
        {"mother", N_("Mother")},
        {"father", N_("Father")},
        {"grandmother", N_("Grandmother")},
        {"grandfather", N_("Grandfather")},
        {"sibling", N_("Brother or sister")},
        {"relative", N_("Relative")},
        {"nanny", N_("Nanny")},
        {"other", N_("Other")},
};

static const char *
relation_label(struct http_request *req, const char *value)
{
	size_t i;

	for (i = 0;
	     value != NULL && i < sizeof(relations) / sizeof(relations[0]); i++)
		if (strcmp(relations[i].value, value) == 0)
			return i18n_get(req->lang, relations[i].label);
	return NULL;
}

/* [{value, label, selected}] for a select; `selected` may be NULL. */
static json_t *
relation_options(struct http_request *req, const char *selected)
{
	json_t *list = json_array();
	size_t i;

	for (i = 0;
	     list != NULL && i < sizeof(relations) / sizeof(relations[0]); i++)
		json_array_append_new(
		        list,
		        json_pack("{s:s, s:s, s:b}", "value",
		                  relations[i].value, "label",
		                  i18n_get(req->lang, relations[i].label),
		                  "selected",
		                  selected != NULL &&
		                          strcmp(selected,
		                                 relations[i].value) == 0));
	return list;
}

/* What a handover's reason says to staff (English msgids). */
static const char *
reason_label(const char *reason)
{
	static const struct {
		const char *reason, *label;
	} labels[] = {
	        {"ok", N_("Handed over")},
	        {"unknown", N_("Refused: unknown identifier")},
	        {"blocked", N_("Refused: blocked identifier")},
	        {"not_allowed", N_("Refused: not on the list")},
	        {"other_school", N_("Refused: escort of another school")},
	        {"left", N_("Refused: the child has left")},
	        {"child_required", N_("Refused: the child was not named")},
	};
	size_t i;

	for (i = 0; reason != NULL && i < sizeof(labels) / sizeof(labels[0]);
	     i++)
		if (strcmp(labels[i].reason, reason) == 0)
			return labels[i].label;
	return N_("Refused");
}

/* Adds labels and the forms' addresses to each escort, in place. */
static void
decorate_escorts(struct http_request *req, json_t *escorts, const char *base)
{
	json_t *e, *ids, *id;
	size_t i, k;

	json_array_foreach(escorts, i, e)
	{
		const char *rel =
		        json_string_value(json_object_get(e, "relation"));
		long long eid =
		        (long long)json_integer_value(json_object_get(e, "id"));

		json_object_set_new(e, "relation_label",
		                    json_string(relation_label(req, rel)));
		json_object_set_new(e, "relations", relation_options(req, rel));
		json_object_set_new(e, "action",
		                    json_string(arena_printf(
		                            req->arena, "%s/%lld", base, eid)));
		json_object_set_new(
		        e, "remove_action",
		        json_string(arena_printf(req->arena, "%s/%lld/remove",
		                                 base, eid)));
		json_object_set_new(
		        e, "bind_action",
		        json_string(arena_printf(
		                req->arena, "%s/%lld/identifiers", base, eid)));
		json_object_set_new(
		        e, "block_action",
		        json_string(arena_printf(req->arena, "%s/%lld/block",
		                                 base, eid)));
		ids = json_object_get(e, "identifiers");
		json_object_set_new(e, "has_identifiers",
		                    json_boolean(json_array_size(ids) > 0));
		json_array_foreach(ids, k, id)
		{
			bool active = strcmp(json_string_value(json_object_get(
			                             id, "status")),
			                     "active") == 0;

			json_object_set_new(id, "active", json_boolean(active));
			json_object_set_new(
			        id, "status_label",
			        json_string(i18n_get(req->lang,
			                             active ? N_("Active")
			                                    : N_("Blocked"))));
		}
	}
}

/* Adds the school's local time of day and labels to each handover, in
 * place. */
static void
decorate_handovers(struct http_request *req, json_t *handovers,
                   const struct attendance_calendar *cal)
{
	json_t *h;
	int64_t at;
	size_t i;
	int m;

	json_array_foreach(handovers, i, h)
	{
		const char *dir =
		        json_string_value(json_object_get(h, "direction"));
		const char *rel =
		        json_string_value(json_object_get(h, "relation"));

		m = access_time_parse(
		            json_string_value(json_object_get(h, "at")), &at) ==
		                    0
		            ? attendance_local_minute(cal, at)
		            : 0;
		json_object_set_new(
		        h, "time",
		        json_string(arena_printf(req->arena, "%02d:%02d",
		                                 m / 60, m % 60)));
		json_object_set_new(
		        h, "direction_label",
		        json_string(i18n_get(
		                req->lang, dir != NULL && strcmp(dir, "in") == 0
		                                   ? N_("Brought")
		                                   : N_("Picked up"))));
		if (rel != NULL)
			json_object_set_new(
			        h, "relation_label",
			        json_string(relation_label(req, rel)));
		json_object_set_new(
		        h, "allowed",
		        json_boolean(strcmp(json_string_value(json_object_get(
		                                    h, "decision")),
		                            "allow") == 0));
		json_object_set_new(
		        h, "reason_label",
		        json_string(i18n_get(
		                req->lang,
		                reason_label(json_string_value(
		                        json_object_get(h, "reason"))))));
	}
}

/*
 * The child's escorts page with `status`; `error` is a msgid or NULL.
 * Audited as a read of the escorts and of the day's handovers.
 */
static int
render_escorts(struct http_request *req, struct http_response *res, int status,
               int64_t school_id, int64_t student_id, const char *error)
{
	const char *code = req->params[0], *ref = req->params[1];
	json_t *card = NULL, *school = NULL, *escorts = NULL, *handovers = NULL;
	json_t *ctx;
	char today[ATTENDANCE_DATE_SIZE], since[ACCESS_STAMP_SIZE];
	struct attendance_calendar cal;
	const char *base, *st;
	int64_t day = 0, start;
	bool on = false;

	/* Today and its times are the school's local ones, by its calendar,
	 * as on the attendance pages: a morning drop-off at 08:00 in Almaty
	 * is 03:00 UTC. */
	attendance_calendar_default(&cal, (int64_t)time(NULL));
	if (attendance_today(req->db, school_id, today) != ATTENDANCE_OK ||
	    attendance_date_day(today, &day) == -1 ||
	    attendance_calendar_load(req->db, school_id, day, day, &cal) !=
	            ATTENDANCE_OK)
		goto fail;
	start = attendance_day_start(&cal, day);
	if (access_kindergarten_get(req->db, school_id, &on, since) !=
	            ACCESS_OK ||
	    people_student_card(req->db, school_id, ref, &card) != PEOPLE_OK ||
	    people_school_brief(req->db, school_id, &school) != PEOPLE_OK ||
	    access_child_escorts(req->db, student_id, &escorts) != ACCESS_OK ||
	    access_child_handovers_at(req->db, student_id, start,
	                              start + 24 * 60 * 60,
	                              &handovers) != ACCESS_OK ||
	    access_http_audit_read(req, "escorts.read", school_id,
	                           student_id) == -1)
		goto fail;
	base = arena_printf(req->arena, "/school/%s/student/%s/escorts", code,
	                    access_http_seg(req, ref));
	decorate_escorts(req, escorts, base);
	decorate_handovers(req, handovers, &cal);
	attendance_calendar_free(&cal);
	json_object_set_new(
	        school, "href",
	        json_string(arena_printf(req->arena, "/school/%s", code)));
	st = json_string_value(json_object_get(card, "status"));
	ctx = json_pack(
	        "{s:o, s:{s:s?, s:s?, s:s?, s:b}, s:s, s:b, s:s?, "
	        "s:b, s:s, s:s, s:b, s:o, s:o, s:b, s:o, s:s, "
	        "s:s?}",
	        "school", school, "child", "ref", ref, "full_name",
	        json_string_value(json_object_get(card, "full_name")), "class",
	        json_string_value(json_object_get(card, "class")), "left",
	        st != NULL && strcmp(st, "left") == 0, "child_href",
	        arena_printf(req->arena, "/school/%s/student/%s", code,
	                     access_http_seg(req, ref)),
	        "kindergarten", on, "since", since[0] != '\0' ? since : NULL,
	        "can_switch",
	        access_kindergarten_switch_allowed(auth_principal(req)),
	        "switch_action",
	        arena_printf(req->arena, "/school/%s/kindergarten", code),
	        "add_action", base, "has_escorts", json_array_size(escorts) > 0,
	        "escorts", escorts, "relations", relation_options(req, NULL),
	        "has_handovers", json_array_size(handovers) > 0, "handovers",
	        handovers, "day", today, "error",
	        error != NULL ? i18n_get(req->lang, error) : NULL);
	json_decref(card); /* its strings were copied into ctx */
	return page_render(req, res, status, N_("Escorts"), "escorts", ctx);
fail:
	attendance_calendar_free(&cal);
	json_decref(card);
	json_decref(school);
	json_decref(escorts);
	json_decref(handovers);
	return -1;
}

/* GET /school/{school}/student/{ref}/escorts */
static int
page_escorts(struct http_request *req, struct http_response *res)
{
	int64_t school_id, student_id;

	if (staff_child(req, res, true, &school_id, &student_id) == -1)
		return 0;
	return render_escorts(req, res, 200, school_id, student_id, NULL);
}

/* A change from a page: 303 back to the page, or the page again with
 * what went wrong (a msgid). */
static int
page_after(struct http_request *req, struct http_response *res, int rc,
           int64_t school_id, int64_t student_id)
{
	const char *msg;
	int status = 409;

	switch (rc) {
	case ACCESS_OK:
		return http_redirect(
		        res,
		        arena_printf(req->arena,
		                     "/school/%s/student/%s/escorts",
		                     req->params[0],
		                     access_http_seg(req, req->params[1])));
	case ACCESS_INVALID:
		status = 422;
		msg = N_("Check the fields: the name is up to 200 characters, "
		         "the phone a number such as +7 701 123 45 67, and the "
		         "escort may bring, pick up, or both.");
		break;
	case ACCESS_NOT_FOUND:
		status = 404;
		msg = N_("No such escort of this child, or no such identifier "
		         "of theirs.");
		break;
	case ACCESS_TAKEN:
		msg = N_("Already done: the escort is on the list, or the "
		         "identifier is active on someone.");
		break;
	case ACCESS_ESCORTS_FULL:
		msg = N_("A child may have at most 16 escorts.");
		break;
	case ACCESS_NOT_KINDERGARTEN:
		msg = N_("This school is not in kindergarten mode.");
		break;
	case ACCESS_LEFT:
		msg = N_("The child has left the kindergarten.");
		break;
	default:
		return -1;
	}
	return render_escorts(req, res, status, school_id, student_id, msg);
}

/* A ticked checkbox. */
static bool
ticked(struct http_request *req, const char *name)
{
	const char *v = http_form_value(req, name);

	return v != NULL && strcmp(v, "1") == 0;
}

/* The rights a form sent; false when the relation is missing or bad. */
static bool
form_rights(struct http_request *req, struct access_escort_rights *r)
{
	r->relation = http_form_value(req, "relation");
	r->may_bring = ticked(req, "may_bring");
	r->may_pick_up = ticked(req, "may_pick_up");
	return access_relation_valid(r->relation);
}

/* POST /school/{school}/student/{ref}/escorts: a new escort (full_name,
 * phone) or one the school knows (escort: its number) */
static int
post_escort_add(struct http_request *req, struct http_response *res)
{
	const char *name = http_form_value(req, "full_name");
	const char *phone_in = http_form_value(req, "phone");
	const char *number = http_form_value(req, "escort");
	char phone[VALIDATE_PHONE_MAX + 1];
	struct access_escort_rights r;
	int64_t school_id, student_id, escort_id = 0;
	int rc;

	if (staff_child(req, res, true, &school_id, &student_id) == -1)
		return 0;
	if (!form_rights(req, &r))
		return render_escorts(req, res, 422, school_id, student_id,
		                      N_("Choose who the escort is to the "
		                         "child."));
	if (number != NULL && number[0] != '\0') {
		rc = parse_id(number, &escort_id)
		             ? access_escort_link(req->db, auth_principal(req),
		                                  school_id, student_id,
		                                  escort_id, &r)
		             : ACCESS_NOT_FOUND;
		if (rc == ACCESS_NOT_FOUND)
			return render_escorts(
			        req, res, 404, school_id, student_id,
			        N_("No escort with this number in "
			           "this kindergarten."));
		return page_after(req, res, rc, school_id, student_id);
	}
	if (phone_in != NULL && phone_in[0] != '\0' &&
	    !phone_e164(phone_in, false, phone))
		return page_after(req, res, ACCESS_INVALID, school_id,
		                  student_id);
	rc = access_escort_add(
	        req->db, auth_principal(req), school_id, student_id, name,
	        phone_in != NULL && phone_in[0] != '\0' ? phone : NULL, &r,
	        NULL, NULL);
	return page_after(req, res, rc, school_id, student_id);
}

/* POST .../escorts/{escort}: the rights (relation, may_bring,
 * may_pick_up) */
static int
post_escort_update(struct http_request *req, struct http_response *res)
{
	struct access_escort_rights r;
	int64_t school_id, student_id, escort_id;

	if (staff_escort(req, res, true, &school_id, &student_id, &escort_id) ==
	    -1)
		return 0;
	if (!form_rights(req, &r))
		return page_after(req, res, ACCESS_INVALID, school_id,
		                  student_id);
	return page_after(req, res,
	                  access_escort_update(req->db, auth_principal(req),
	                                       school_id, student_id, escort_id,
	                                       NULL, NULL, &r),
	                  school_id, student_id);
}

/* POST .../escorts/{escort}/remove */
static int
post_escort_remove(struct http_request *req, struct http_response *res)
{
	int64_t school_id, student_id, escort_id;

	if (staff_escort(req, res, true, &school_id, &student_id, &escort_id) ==
	    -1)
		return 0;
	return page_after(req, res,
	                  access_escort_unlink(req->db, auth_principal(req),
	                                       school_id, student_id,
	                                       escort_id),
	                  school_id, student_id);
}

/* POST .../escorts/{escort}/identifiers (identifier, kind) */
static int
post_escort_bind(struct http_request *req, struct http_response *res)
{
	const char *value = http_form_value(req, "identifier");
	const char *kind = http_form_value(req, "kind");
	int64_t school_id, student_id, escort_id;

	if (staff_escort(req, res, true, &school_id, &student_id, &escort_id) ==
	    -1)
		return 0;
	if (kind == NULL || kind[0] == '\0')
		kind = "card";
	if (!access_identifier_valid(value) || !access_escort_kind_valid(kind))
		return render_escorts(
		        req, res, 422, school_id, student_id,
		        N_("An identifier is 1 to 64 letters, digits, ':', '_' "
		           "or '-', of a kind the list offers."));
	return page_after(req, res,
	                  access_escort_bind(req->db, auth_principal(req),
	                                     school_id, student_id, escort_id,
	                                     value, kind, NULL, 0, NULL, NULL),
	                  school_id, student_id);
}

/* POST .../escorts/{escort}/block (identifier) */
static int
post_escort_block(struct http_request *req, struct http_response *res)
{
	const char *value = http_form_value(req, "identifier");
	int64_t school_id, student_id, escort_id;

	if (staff_escort(req, res, true, &school_id, &student_id, &escort_id) ==
	    -1)
		return 0;
	if (!access_identifier_valid(value))
		return page_after(req, res, ACCESS_NOT_FOUND, school_id,
		                  student_id);
	return page_after(req, res,
	                  access_escort_block(req->db, auth_principal(req),
	                                      school_id, student_id, escort_id,
	                                      value, NULL),
	                  school_id, student_id);
}

/* POST /school/{school}/kindergarten (on = 1 | 0, ref: the child whose
 * page to return to, or none for the school's page) */
static int
post_kindergarten(struct http_request *req, struct http_response *res)
{
	const struct principal *p = auth_principal(req);
	const char *on = http_form_value(req, "on");
	const char *ref = http_form_value(req, "ref");
	int64_t school_id;

	if (access_http_find_school(req, res, true, &school_id) == -1)
		return 0;
	if (!access_kindergarten_switch_allowed(p) ||
	    !auth_school_visible(req->db, p, school_id))
		return access_http_fail(
		        req, res, true, 403,
		        N_("You may not switch kindergarten mode."));
	if (on == NULL || (strcmp(on, "1") != 0 && strcmp(on, "0") != 0))
		return access_http_fail(
		        req, res, true, 422,
		        N_("Choose to switch kindergarten mode on or off."));
	if (access_kindergarten_set(req->db, p, school_id, on[0] == '1',
	                            NULL) != ACCESS_OK)
		return -1;
	if (ref != NULL && validate_ref(ref))
		return http_redirect(
		        res, arena_printf(req->arena,
		                          "/school/%s/student/%s/escorts",
		                          req->params[0], ref));
	return http_redirect(
	        res, arena_printf(req->arena, "/school/%s", req->params[0]));
}

/*
 * One http_route() call per route, each path one literal: the OpenAPI test
 * (tests/api/test_openapi.py) reads them from this source, so clang-format
 * must not split the long ones.
 */
int
access_escorts_http_register(struct http_server *srv)
{
	const int page = HTTP_PAGE | HTTP_STAFF;

	/* clang-format off */
	if (http_route(srv, "POST", "/api/v1/handovers", api_handover, HTTP_DEVICE) == -1 ||
	    http_route(srv, "GET", "/api/v1/schools/{school}/kindergarten", api_mode, HTTP_STAFF | HTTP_DEVICE) == -1 ||
	    http_route(srv, "PUT", "/api/v1/schools/{school}/kindergarten", api_mode_set, HTTP_STAFF) == -1 ||
	    http_route(srv, "GET", "/api/v1/schools/{school}/students/{ref}/escorts", api_escorts, HTTP_STAFF) == -1 ||
	    http_route(srv, "POST", "/api/v1/schools/{school}/students/{ref}/escorts", api_escort_add, HTTP_STAFF) == -1 ||
	    http_route(srv, "PUT", "/api/v1/schools/{school}/students/{ref}/escorts/{escort}", api_escort_update, HTTP_STAFF) == -1 ||
	    http_route(srv, "DELETE", "/api/v1/schools/{school}/students/{ref}/escorts/{escort}", api_escort_delete, HTTP_STAFF) == -1 ||
	    http_route(srv, "POST", "/api/v1/schools/{school}/students/{ref}/escorts/{escort}/identifiers", api_escort_bind, HTTP_STAFF) == -1 ||
	    http_route(srv, "POST", "/api/v1/schools/{school}/students/{ref}/escorts/{escort}/identifiers/{identifier}/block", api_escort_block, HTTP_STAFF) == -1 ||
	    http_route(srv, "POST", "/api/v1/schools/{school}/students/{ref}/escorts/{escort}/identifiers/{identifier}/unblock", api_escort_unblock, HTTP_STAFF) == -1 ||
	    http_route(srv, "GET", "/api/v1/schools/{school}/students/{ref}/handovers", api_handovers, HTTP_STAFF) == -1 ||
	    http_route(srv, "GET", "/school/{school}/student/{ref}/escorts", page_escorts, page) == -1 ||
	    http_route(srv, "POST", "/school/{school}/student/{ref}/escorts", post_escort_add, page) == -1 ||
	    http_route(srv, "POST", "/school/{school}/student/{ref}/escorts/{escort}", post_escort_update, page) == -1 ||
	    http_route(srv, "POST", "/school/{school}/student/{ref}/escorts/{escort}/remove", post_escort_remove, page) == -1 ||
	    http_route(srv, "POST", "/school/{school}/student/{ref}/escorts/{escort}/identifiers", post_escort_bind, page) == -1 ||
	    http_route(srv, "POST", "/school/{school}/student/{ref}/escorts/{escort}/block", post_escort_block, page) == -1 ||
	    http_route(srv, "POST", "/school/{school}/kindergarten", post_kindergarten, page) == -1)
		return -1;
	/* clang-format on */
	return 0;
}
