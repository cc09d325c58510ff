/*
 * GET /admin/schools/{school}: a school's classes, each with a small form
 * for its shift and start time; and POST
 * /admin/schools/{school}/classes/{class} behind those forms.  Lateness is
 * measured against a class's start time, so this is where a school sets
 * what "late" means for each class.  The page is open to whoever may use
 * the administration and see the school; the forms only to those who may
 * manage its roster (PERM_ROSTER_MANAGE).
 */
#include "admin/admin_internal.h"

#include <string.h>

#include "auth/auth_http.h"
#include "http/http.h"
#include "people/people.h"
#include "web/i18n.h"
#include "web/page.h"

/* A path segment percent-encoded (class names may be Cyrillic). */
static const char *
seg(struct arena *a, const char *s)
{
	const char *out = http_url_encode(a, s, "");

	return out != NULL ? out : "";
}

/*
 * The school named in the path if p may administer and see it: 0 and *id,
 * or -1 with the answer (404 or 403, drawn as the error page) made.
 */
static int
school_of(struct http_request *req, struct http_response *res, int64_t *id)
{
	const struct principal *p = auth_principal(req);
	int rc;

	rc = people_school_find(req->db, req->params[0], id);
	if (rc == PEOPLE_NOT_FOUND) {
		http_problem(res, 404,
		             i18n_get(req->lang, N_("No such school.")));
		return -1;
	}
	if (rc != PEOPLE_OK) {
		http_problem(res, 500, "internal error");
		return -1;
	}
	if (!admin_may_administer(p) || !auth_school_visible(req->db, p, *id)) {
		http_problem(res, 403,
		             i18n_get(req->lang,
		                      N_("You may not use the administration "
		                         "of this school.")));
		return -1;
	}
	return 0;
}

/*
 * Draws the page with `status`; `error` is a msgid or NULL.  0, or -1
 * (a 500) when it cannot be made.
 */
static int
render_school(struct http_request *req, struct http_response *res, int status,
              int64_t school_id, const char *error)
{
	const struct principal *p = auth_principal(req);
	json_t *summary = NULL, *ctx, *c;
	const char *code, *done = http_query(req, "done");
	size_t i;

	if (people_school_summary(req->db, school_id, &summary) != PEOPLE_OK)
		return -1;
	code = json_string_value(json_object_get(summary, "code"));
	json_object_set_new(
	        summary, "href",
	        json_string(arena_printf(req->arena, "/school/%s", code)));
	json_array_foreach(json_object_get(summary, "classes"), i, c)
	{
		json_int_t cur =
		        json_integer_value(json_object_get(c, "shift"));

		json_object_set_new(
		        c, "action",
		        json_string(arena_printf(
		                req->arena, "/admin/schools/%s/classes/%s",
		                code,
		                seg(req->arena,
		                    json_string_value(
		                            json_object_get(c, "name"))))));
		json_object_set_new(
		        c, "shifts",
		        json_pack("[{s:i, s:b}, {s:i, s:b}, {s:i, s:b}]",
		                  "value", 1, "selected", cur == 1, "value", 2,
		                  "selected", cur == 2, "value", 3, "selected",
		                  cur == 3));
	}
	ctx = json_pack(
	        "{s:O, s:O, s:b, s:b, s:s?, s:s?}", "school", summary,
	        "classes", json_object_get(summary, "classes"), "has_classes",
	        json_array_size(json_object_get(summary, "classes")) > 0,
	        "can_roster", auth_allowed(p, PERM_ROSTER_MANAGE), "error",
	        error != NULL ? i18n_get(req->lang, error) : NULL, "notice",
	        error == NULL && done != NULL && strcmp(done, "class") == 0
	                ? i18n_get(req->lang, N_("The class was saved."))
	                : NULL);
	json_decref(summary);
	return page_render(req, res, status, N_("Classes"), "admin_school",
	                   ctx);
}

/* GET /admin/schools/{school} */
static int
page_school(struct http_request *req, struct http_response *res)
{
	int64_t school_id;

	if (school_of(req, res, &school_id) == -1)
		return 0;
	return render_school(req, res, 200, school_id, NULL);
}

/* POST /admin/schools/{school}/classes/{class} */
static int
post_class(struct http_request *req, struct http_response *res)
{
	const char *shift = http_form_value(req, "shift");
	const char *starts = http_form_value(req, "starts_at");
	struct admin_error err = {0};
	int64_t school_id;
	int rc, n = 0;

	if (school_of(req, res, &school_id) == -1)
		return 0;
	if (shift != NULL && strlen(shift) == 1 && shift[0] >= '1' &&
	    shift[0] <= '3')
		n = shift[0] - '0';
	rc = admin_class_set(req->db, auth_principal(req), req->params[0],
	                     req->params[1], n, starts != NULL ? starts : "",
	                     &err);
	if (rc == ADMIN_OK)
		return http_redirect(
		        res,
		        arena_printf(req->arena, "/admin/schools/%s?done=class",
		                     req->params[0]));
	if (rc == ADMIN_ERROR || err.reason == NULL)
		return -1;
	return render_school(req, res,
	                     rc == ADMIN_INVALID     ? 422
	                     : rc == ADMIN_NOT_FOUND ? 404
	                                             : 403,
	                     school_id, err.reason);
}

int
admin_class_pages_register(struct http_server *srv)
{
	const int page = HTTP_PAGE | HTTP_STAFF;

	if (http_route(srv, "GET", "/admin/schools/{school}", page_school,
	               page) == -1 ||
	    http_route(srv, "POST", "/admin/schools/{school}/classes/{class}",
	               post_class, page) == -1)
		return -1;
	return 0;
}
