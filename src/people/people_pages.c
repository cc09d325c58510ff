/*
 * Staff pages for schools, classes and students, and their forms (shift,
 * consent).  All are HTTP_PAGE routes: an error answered with
 * people_http_fail(PEOPLE_PAGE) becomes the server's error page, while a
 * form shown again with its mistake (status 422, text/html) is kept as
 * the handler drew it.
 *
 * Labels computed here (purposes, states, categories) are msgids marked
 * with N_() and translated in the request's language; everything else a
 * person reads is in the templates.
 */
#include "people/people_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth_http.h"
#include "core/log.h"
#include "http/http.h"
#include "web/page.h"

/* A path segment percent-encoded (class names may be Cyrillic). */
static const char *
seg(struct arena *a, const char *s)
{
	const char *out = http_url_encode(a, s, "");

	return out != NULL ? out : "";
}

static const char *
tr(struct http_request *req, const char *msgid)
{
	return i18n_get(req->lang, msgid);
}

static const char *
purpose_label(const char *purpose)
{
	if (strcmp(purpose, PEOPLE_PURPOSE_DATA) == 0)
		return N_("Data processing");
	if (strcmp(purpose, PEOPLE_PURPOSE_NOTIFICATIONS) == 0)
		return N_("Notifications");
	return N_("Biometrics");
}

/*
 * The schools p may see, by code: its own for a school role, else its
 * region's (all of them for a platform admin), each confirmed by
 * auth_school_visible(), which stays the one authority on scope.
 */
static json_t *
visible_schools(struct http_request *req, const struct principal *p)
{
	bool bound =
	        !role_is_regional(p->role) && p->role != ROLE_PLATFORM_ADMIN;
	json_t *all = NULL, *mine, *s;
	size_t i;

	if (bound) {
		all = json_array();
		for (i = 0; all != NULL && i < p->nschools; i++)
			if (people_school_brief(req->db, p->school_ids[i],
			                        &s) == PEOPLE_OK)
				json_array_append_new(all, s);
	} else if (people_school_list(req->db,
	                              role_is_regional(p->role) ? p->region_id
	                                                        : 0,
	                              &all) != PEOPLE_OK) {
		all = NULL;
	}
	if (all == NULL || (mine = json_array()) == NULL) {
		json_decref(all);
		return NULL;
	}
	json_array_foreach(all, i, s)
	{
		if (!auth_school_visible(
		            req->db, p,
		            json_integer_value(json_object_get(s, "id"))))
			continue;
		json_object_set_new(s, "href",
		                    json_string(arena_printf(
		                            req->arena, "/school/%s",
		                            json_string_value(json_object_get(
		                                    s, "code")))));
		json_array_append(mine, s);
	}
	json_decref(all);
	return mine;
}

/* GET /school: the caller's one school, or the list of those visible. */
static int
page_schools(struct http_request *req, struct http_response *res)
{
	const struct principal *p = people_staff(req);
	json_t *mine;

	if (p == NULL)
		return people_http_fail(req, res, PEOPLE_PAGE, 403,
		                        N_("only staff may do that"));
	if ((mine = visible_schools(req, p)) == NULL)
		return -1;
	if (json_array_size(mine) == 1 && !role_is_regional(p->role)) {
		const char *to = json_string_value(
		        json_object_get(json_array_get(mine, 0), "href"));

		to = arena_strdup(req->arena, to ? to : "/");
		json_decref(mine);
		return to != NULL ? http_redirect(res, to) : -1;
	}
	return page_render(req, res, 200, N_("Schools"), "schools",
	                   json_pack("{s:b, s:o}", "any",
	                             json_array_size(mine) > 0, "schools",
	                             mine));
}

/* GET /school/{school}: classes with shift, start and counts. */
static int
page_school(struct http_request *req, struct http_response *res)
{
	json_t *summary = NULL, *c;
	int64_t school_id;
	const char *code;
	size_t i;

	if (people_http_school(req, res, req->params[0], -1, PEOPLE_PAGE,
	                       &school_id) == -1)
		return 0;
	if (people_school_summary(req->db, school_id, &summary) != PEOPLE_OK)
		return -1;
	code = json_string_value(json_object_get(summary, "code"));
	json_array_foreach(json_object_get(summary, "classes"), i, c)
	        json_object_set_new(
	                c, "href",
	                json_string(arena_printf(
	                        req->arena, "/school/%s/class/%s", code,
	                        seg(req->arena,
	                            json_string_value(
	                                    json_object_get(c, "name"))))));
	return page_render(
	        req, res, 200, N_("School"), "school",
	        json_pack("{s:b, s:o, s:b, s:b, s:s}", "has_classes",
	                  json_array_size(json_object_get(summary, "classes")) >
	                          0,
	                  "school", summary, "can_read",
	                  auth_allowed(people_staff(req), PERM_STUDENT_READ),
	                  "can_roster",
	                  auth_allowed(people_staff(req), PERM_ROSTER_MANAGE),
	                  "roster_href",
	                  arena_printf(req->arena, "/school/%s/roster", code)));
}

/* [{value, selected}] for the shift picker, the class's own selected. */
static json_t *
shift_options(json_t *cls)
{
	json_int_t cur = json_integer_value(json_object_get(cls, "shift"));

	return json_pack("[{s:i, s:b}, {s:i, s:b}, {s:i, s:b}]", "value", 1,
	                 "selected", cur == 1, "value", 2, "selected", cur == 2,
	                 "value", 3, "selected", cur == 3);
}

/* GET /school/{school}/class/{class}: the class's students (audited). */
static int
page_class(struct http_request *req, struct http_response *res)
{
	json_t *list = NULL, *st, *cls;
	int64_t school_id;
	const char *code = req->params[0], *admitted;
	size_t i;
	int rc;

	if (people_http_school(req, res, code, PERM_STUDENT_READ, PEOPLE_PAGE,
	                       &school_id) == -1)
		return 0;
	rc = people_class_students(req->db, school_id, req->params[1], &list);
	if (rc == PEOPLE_NOT_FOUND)
		return people_http_fail(req, res, PEOPLE_PAGE, 404,
		                        N_("no such class"));
	if (rc != PEOPLE_OK)
		return -1;
	cls = json_object_get(list, "class");
	if (!auth_class_visible(
	            req->db, people_staff(req),
	            json_integer_value(json_object_get(cls, "id")))) {
		json_decref(list);
		return people_http_fail(
		        req, res, PEOPLE_PAGE, 403,
		        N_("you may see only your own classes"));
	}
	if (people_http_audit(req, "class.read", school_id, "class",
	                      json_integer_value(json_object_get(cls, "id"))) ==
	    -1) {
		json_decref(list);
		return -1;
	}
	json_array_foreach(json_object_get(list, "students"), i, st)
	{
		json_t *consent = json_object_get(st, "consent_data");
		const char *cat =
		        json_string_value(json_object_get(st, "category"));

		json_object_set_new(
		        st, "href",
		        json_string(arena_printf(
		                req->arena, "/school/%s/student/%s", code,
		                json_string_value(
		                        json_object_get(st, "ref")))));
		json_object_set_new(
		        st, "social",
		        json_boolean(cat && !strcmp(cat, "social")));
		json_object_set_new(
		        st, "consent_label",
		        json_string(tr(req, json_is_true(consent) ? N_("Given")
		                            : json_is_false(consent)
		                                    ? N_("Withdrawn")
		                                    : N_("Not recorded"))));
	}
	json_object_set_new(list, "school",
	                    people_http_school_head(req, school_id));
	json_object_set_new(list, "has_students",
	                    json_boolean(json_array_size(json_object_get(
	                                         list, "students")) > 0));
	json_object_set_new(list, "shifts", shift_options(cls));
	json_object_set_new(list, "can_manage",
	                    json_boolean(auth_allowed(people_staff(req),
	                                              PERM_ROSTER_MANAGE)));
	json_object_set_new(
	        list, "shift_action",
	        json_string(arena_printf(
	                req->arena, "/school/%s/class/%s/shift", code,
	                seg(req->arena,
	                    json_string_value(json_object_get(cls, "name"))))));
	/* The Admit buttons post to the access module's route; everyone who
	 * may see the class may admit (see access_http.c). */
	json_object_set_new(
	        list, "admit_action",
	        json_string(arena_printf(
	                req->arena, "/school/%s/class/%s/admit", code,
	                seg(req->arena,
	                    json_string_value(json_object_get(cls, "name"))))));
	admitted = http_query(req, "admitted");
	if (admitted != NULL && people_text_valid(admitted, PEOPLE_NAME_MAX))
		json_object_set_new(list, "admitted", json_string(admitted));
	return page_render(req, res, 200, N_("Class"), "class", list);
}

/* POST /school/{school}/class/{class}/shift: shift and start time. */
static int
post_shift(struct http_request *req, struct http_response *res)
{
	const char *shift = http_form_value(req, "shift");
	const char *starts = http_form_value(req, "starts_at");
	int64_t school_id, class_id;
	int rc, n = 0;

	if (people_http_school(req, res, req->params[0], PERM_ROSTER_MANAGE,
	                       PEOPLE_PAGE, &school_id) == -1)
		return 0;
	if (people_class_find(req->db, school_id, req->params[1], &class_id) !=
	    PEOPLE_OK)
		return people_http_fail(req, res, PEOPLE_PAGE, 404,
		                        N_("no such class"));
	if (shift != NULL && strlen(shift) == 1 && shift[0] >= '1' &&
	    shift[0] <= '3')
		n = shift[0] - '0';
	rc = people_class_set_shift(req->db, people_staff(req), class_id, n,
	                            starts);
	if (rc == PEOPLE_INVALID)
		return people_http_fail(
		        req, res, PEOPLE_PAGE, 422,
		        N_("The shift is 1, 2 or 3 and the start "
		           "time HH:MM."));
	if (rc != PEOPLE_OK)
		return -1;
	return http_redirect(res,
	                     arena_printf(req->arena, "/school/%s/class/%s",
	                                  req->params[0],
	                                  seg(req->arena, req->params[1])));
}

/* Adds labels to a consent row (current or history) in place. */
static void
label_consent(struct http_request *req, json_t *row)
{
	const char *purpose =
	        json_string_value(json_object_get(row, "purpose"));

	json_object_set_new(row, "purpose_label",
	                    json_string(tr(req, purpose_label(purpose))));
	json_object_set_new(row, "state_label",
	                    json_string(tr(req, json_is_true(json_object_get(
	                                                row, "granted"))
	                                                ? N_("Given")
	                                                : N_("Withdrawn"))));
}

/*
 * The student's card page, with `error` (a msgid, or NULL) above the
 * consent form.  Audited as a read of personal data.
 */
static int
render_student(struct http_request *req, struct http_response *res, int status,
               int64_t school_id, const char *error)
{
	static const char *const purposes[] = {PEOPLE_PURPOSE_DATA,
	                                       PEOPLE_PURPOSE_NOTIFICATIONS,
	                                       PEOPLE_PURPOSE_BIOMETRICS};
	json_t *card = NULL, *rows, *row, *cur;
	const char *code = req->params[0], *cat, *st;
	size_t i;
	int rc;

	rc = people_student_card(req->db, school_id, req->params[1], &card);
	if (rc == PEOPLE_NOT_FOUND)
		return people_http_fail(req, res, PEOPLE_PAGE, 404,
		                        N_("no such student"));
	if (rc == PEOPLE_OK &&
	    !people_student_visible(req->db, auth_principal(req), school_id,
	                            req->params[1])) {
		json_decref(card);
		return people_http_fail(
		        req, res, PEOPLE_PAGE, 403,
		        N_("you may see only your own classes"));
	}
	if (rc != PEOPLE_OK)
		return -1;
	if (people_http_audit(
	            req, "student.read", school_id, "student",
	            json_integer_value(json_object_get(card, "id"))) == -1 ||
	    (rows = json_array()) == NULL) {
		json_decref(card);
		return -1;
	}
	cur = json_object_get(card, "consent");
	for (i = 0; i < 3; i++) {
		row = json_object_get(cur, purposes[i]);
		if (json_is_object(row)) {
			row = json_copy(row);
			label_consent(req, row);
		} else {
			row = json_pack("{s:s, s:s, s:s, s:s}", "purpose_label",
			                tr(req, purpose_label(purposes[i])),
			                "state_label",
			                tr(req, N_("Not recorded")), "at", "",
			                "document", "");
		}
		json_array_append_new(rows, row);
	}
	json_object_set_new(card, "consent_rows", rows);
	json_array_foreach(json_object_get(card, "consent_history"), i, row)
	        label_consent(req, row);
	cat = json_string_value(json_object_get(card, "category"));
	st = json_string_value(json_object_get(card, "status"));
	json_object_set_new(card, "social",
	                    json_boolean(cat && !strcmp(cat, "social")));
	json_object_set_new(card, "left",
	                    json_boolean(st && !strcmp(st, "left")));
	json_object_set_new(
	        card, "class_href",
	        json_string(arena_printf(
	                req->arena, "/school/%s/class/%s", code,
	                seg(req->arena, json_string_value(json_object_get(
	                                        card, "class"))))));
	return page_render(
	        req, res, status, N_("Student"), "student",
	        json_pack(
	                "{s:b, s:b, s:b, s:o, s:o?, s:b, s:s, s:s?}",
	                "has_identifiers",
	                json_array_size(json_object_get(card, "identifiers")) >
	                        0,
	                "has_guardians",
	                json_array_size(json_object_get(card, "guardians")) > 0,
	                "has_history",
	                json_array_size(
	                        json_object_get(card, "consent_history")) > 0,
	                "student", card, "school",
	                people_http_school_head(req, school_id), "can_consent",
	                auth_allowed(people_staff(req), PERM_CONSENT_MANAGE),
	                "consent_action",
	                arena_printf(req->arena,
	                             "/school/%s/student/%s/consent", code,
	                             req->params[1]),
	                "error", error ? tr(req, error) : NULL));
}

/* GET /school/{school}/student/{ref} */
static int
page_student(struct http_request *req, struct http_response *res)
{
	int64_t school_id;

	if (people_http_school(req, res, req->params[0], PERM_STUDENT_READ,
	                       PEOPLE_PAGE, &school_id) == -1)
		return 0;
	return render_student(req, res, 200, school_id, NULL);
}

/* POST /school/{school}/student/{ref}/consent */
static int
post_consent(struct http_request *req, struct http_response *res)
{
	const char *purpose = http_form_value(req, "purpose");
	const char *granted = http_form_value(req, "granted");
	const char *guardian = http_form_value(req, "guardian");
	const char *document = http_form_value(req, "document");
	int64_t school_id, student_id, gid = 0;
	const char *error = NULL;
	char *end = NULL;
	int rc;

	if (people_http_school(req, res, req->params[0], PERM_CONSENT_MANAGE,
	                       PEOPLE_PAGE, &school_id) == -1)
		return 0;
	if (people_student_find(req->db, school_id, req->params[1],
	                        &student_id) != PEOPLE_OK)
		return people_http_fail(req, res, PEOPLE_PAGE, 404,
		                        N_("no such student"));
	if (guardian != NULL && *guardian != '\0') {
		gid = strtoll(guardian, &end, 10);
		if (*end != '\0' || gid <= 0)
			gid = -1;
	}
	if (!people_purpose_valid(purpose) || granted == NULL ||
	    (strcmp(granted, "1") != 0 && strcmp(granted, "0") != 0))
		error = N_("Choose what the consent is for and whether it is "
		           "given or withdrawn.");
	else if (!people_text_valid(document, PEOPLE_DOCUMENT_MAX))
		error = N_("Name the signed paper the consent rests on (up to "
		           "200 characters).");
	else if (gid < 0)
		error = N_("Choose one of the student's guardians.");
	if (error == NULL) {
		rc = people_consent_record(req->db, people_staff(req),
		                           student_id, gid, purpose,
		                           granted[0] == '1', document);
		if (rc == PEOPLE_OK)
			return http_redirect(
			        res,
			        arena_printf(req->arena,
			                     "/school/%s/student/%s#consent",
			                     req->params[0], req->params[1]));
		if (rc != PEOPLE_NOT_FOUND)
			return -1;
		error = N_("Choose one of the student's guardians.");
	}
	return render_student(req, res, 422, school_id, error);
}

int
people_pages_register(struct http_server *srv)
{
	const int page = HTTP_PAGE | HTTP_STAFF;

	if (http_route(srv, "GET", "/school", page_schools, page) == -1 ||
	    http_route(srv, "GET", "/school/{school}", page_school, page) ==
	            -1 ||
	    http_route(srv, "GET", "/school/{school}/class/{class}", page_class,
	               page) == -1 ||
	    http_route(srv, "POST", "/school/{school}/class/{class}/shift",
	               post_shift, page) == -1 ||
	    http_route(srv, "GET", "/school/{school}/student/{ref}",
	               page_student, page) == -1 ||
	    http_route(srv, "POST", "/school/{school}/student/{ref}/consent",
	               post_consent, page) == -1)
		return -1;
	return 0;
}
