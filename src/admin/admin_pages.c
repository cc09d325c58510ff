/*
 * The administration pages: GET /admin (schools, staff, and forms to add
 * both), GET /admin/schools/{school} (a form per class for its shift and
 * start time) and the form posts behind them.  Every route is
 * HTTP_PAGE|HTTP_STAFF; a post that succeeds answers 303 back to its page
 * with ?done=WHAT (the page shows a notice), and one that is refused shows
 * the page again with the error beside its form, what was typed (never the
 * password) and the status (403, 404, 409, 422).  Those are text/html, so
 * the server keeps them instead of drawing its error page.
 */
#include "admin/admin_internal.h"

#include <string.h>

#include "auth/auth_http.h"
#include "core/utf8.h"
#include "core/validate.h"
#include "http/http.h"
#include "web/i18n.h"
#include "web/page.h"

/* What was typed into a form that was refused, to show it again. */
struct typed {
	const char *code, *name, *region, *district; /* add a school */
	const char *login, *role;                    /* add a staff member */
	const char *schools[ADMIN_MAX_SCHOOLS];
	size_t nschools;
};

/* Where a refusal is shown: beside which form. */
enum slot { SLOT_SCHOOL, SLOT_USER, SLOT_STAFF };

static const char *
tr(struct http_request *req, const char *msgid)
{
	return i18n_get(req->lang, msgid);
}

/* A form value, NULL when absent or empty. */
static const char *
field(struct http_request *req, const char *name)
{
	const char *v = http_form_value(req, name);

	return v != NULL && v[0] != '\0' ? v : NULL;
}

/* What was typed, if it can be shown again (else the field is empty). */
static const char *
shown(const char *v)
{
	size_t len = v != NULL ? strlen(v) : 0;

	return v != NULL && utf8_valid(v, len) && !utf8_has_control(v, len)
	               ? v
	               : NULL;
}

static const char *
notice_for(const char *done)
{
	static const struct {
		const char *done, *msgid;
	} notices[] = {
	        {"school", N_("The school was added.")},
	        {"user", N_("The staff member was added.")},
	        {"disabled", N_("The account was disabled.")},
	        {"enabled", N_("The account was enabled.")},
	        {"class", N_("The class was saved.")},
	};
	size_t i;

	for (i = 0; done != NULL && i < sizeof(notices) / sizeof(notices[0]);
	     i++)
		if (strcmp(done, notices[i].done) == 0)
			return notices[i].msgid;
	return NULL;
}

static bool
typed_school(const struct typed *t, const char *code)
{
	size_t i;

	for (i = 0; i < t->nschools; i++)
		if (strcmp(t->schools[i], code) == 0)
			return true;
	return false;
}

/* Labels and button targets for each user of the staff table. */
static void
label_users(struct http_request *req, json_t *users)
{
	const char *login;
	enum role role;
	json_t *x;
	size_t i;

	json_array_foreach(users, i, x)
	{
		login = json_string_value(json_object_get(x, "login"));
		if (!role_from_name(
		            json_string_value(json_object_get(x, "role")),
		            &role))
			role = ROLE_COUNT;
		json_object_set_new(x, "role_label",
		                    json_string(tr(req, role_label(role))));
		json_object_set_new(
		        x, "disable_action",
		        json_string(arena_printf(
		                req->arena, "/admin/users/%s/disable", login)));
		json_object_set_new(
		        x, "enable_action",
		        json_string(arena_printf(
		                req->arena, "/admin/users/%s/enable", login)));
	}
}

/* [{value, label, selected}]: the roles p may create, in the enum order. */
static json_t *
role_choices(struct http_request *req, const struct principal *p,
             const char *typed)
{
	json_t *roles = json_array();
	const char *name;
	int r;

	for (r = 0; roles != NULL && r < ROLE_COUNT; r++) {
		if (!admin_role_allowed(p, (enum role)r))
			continue;
		name = role_name((enum role)r);
		json_array_append_new(
		        roles,
		        json_pack("{s:s, s:s, s:b}", "value", name, "label",
		                  tr(req, role_label((enum role)r)), "selected",
		                  typed != NULL && !strcmp(typed, name)));
	}
	return roles;
}

/* [{code, name, selected}] of `schools`; a single school is preselected. */
static json_t *
school_choices(json_t *schools, const struct typed *t)
{
	json_t *choices = json_array(), *x;
	const char *code;
	size_t i;

	json_array_foreach(schools, i, x)
	{
		code = json_string_value(json_object_get(x, "code"));
		json_array_append_new(
		        choices,
		        json_pack("{s:s, s:O, s:b}", "code", code, "name",
		                  json_object_get(x, "name"), "selected",
		                  json_array_size(schools) == 1 ||
		                          typed_school(t, code)));
	}
	return choices;
}

/* Adds the staff table and the choices of the "add staff" form. */
static int
staff_context(struct http_request *req, const struct principal *p, json_t *ctx,
              json_t *schools, const struct typed *t)
{
	json_t *users = NULL, *regions = NULL, *choices, *x;
	const char *code;
	size_t i;

	if (admin_users(req->db, p, &users) != ADMIN_OK ||
	    admin_regions(req->db, p, &regions) != ADMIN_OK ||
	    (choices = school_choices(schools, t)) == NULL) {
		json_decref(users);
		json_decref(regions);
		return -1;
	}
	label_users(req, users);
	json_object_set_new(ctx, "has_users",
	                    json_boolean(json_array_size(users) > 0));
	json_object_set_new(ctx, "users", users);
	json_object_set_new(ctx, "roles", role_choices(req, p, t->role));
	json_object_set_new(ctx, "has_school_choices",
	                    json_boolean(json_array_size(choices) > 0));
	json_object_set_new(ctx, "school_choices", choices);
	json_array_foreach(regions, i, x)
	{
		code = json_string_value(json_object_get(x, "code"));
		json_object_set_new(x, "selected",
		                    json_boolean(t->region != NULL &&
		                                 strcmp(t->region, code) == 0));
	}
	json_object_set_new(ctx, "has_region_choices",
	                    json_boolean(json_array_size(regions) > 0));
	json_object_set_new(ctx, "regions", regions);
	return 0;
}

/*
 * Draws /admin with `status`; `error` (a msgid or NULL) goes beside the
 * form in `slot`.  Returns 0, or -1 (a 500) when the page cannot be made.
 */
static int
render_admin(struct http_request *req, struct http_response *res, int status,
             enum slot slot, const char *error, const struct typed *t)
{
	static const char *const slots[] = {"school_error", "user_error",
	                                    "staff_error"};
	const struct principal *p = auth_principal(req);
	json_t *ctx, *schools = NULL, *s;
	char own[VALIDATE_CODE_MAX + 1];
	size_t i;

	if (admin_schools(req->db, p, &schools) != ADMIN_OK)
		return -1;
	json_array_foreach(schools, i, s)
	{
		json_object_set_new(s, "href",
		                    json_string(arena_printf(
		                            req->arena, "/admin/schools/%s",
		                            json_string_value(json_object_get(
		                                    s, "code")))));
	}
	ctx = json_pack("{s:b, s:b, s:{s:s?, s:s?, s:s?, s:s?, s:s?}}",
	                "can_schools", auth_allowed(p, PERM_SCHOOL_MANAGE),
	                "has_schools", json_array_size(schools) > 0, "form",
	                "code", shown(t->code), "name", shown(t->name),
	                "region", shown(t->region), "district",
	                shown(t->district), "login", shown(t->login));
	if (ctx == NULL || staff_context(req, p, ctx, schools, t) == -1) {
		json_decref(ctx);
		json_decref(schools);
		return -1;
	}
	json_object_set_new(ctx, "schools", schools);
	if (role_is_regional(p->role) &&
	    admin_region_code(req->db, p->region_id, own, sizeof(own)) ==
	            ADMIN_OK)
		json_object_set_new(ctx, "region_fixed", json_string(own));
	if (error != NULL)
		json_object_set_new(ctx, slots[slot],
		                    json_string(tr(req, error)));
	else if (notice_for(http_query(req, "done")) != NULL)
		json_object_set_new(
		        ctx, "notice",
		        json_string(
		                tr(req, notice_for(http_query(req, "done")))));
	return page_render(req, res, status, N_("Administration"), "admin",
	                   ctx);
}

/* Shows /admin again with a refusal, or fails for ADMIN_ERROR. */
static int
refused(struct http_request *req, struct http_response *res, int rc,
        enum slot slot, const struct admin_error *err, const struct typed *t)
{
	if (rc == ADMIN_ERROR || err->reason == NULL)
		return -1;
	return render_admin(req, res, admin_status(rc), slot, err->reason, t);
}

/*
 * Whether the caller may see /admin at all; if not, answers 403 (drawn as
 * the server's error page, since there is no form to show it beside).
 */
static bool
may_enter(struct http_request *req, struct http_response *res)
{
	if (admin_may_administer(auth_principal(req)))
		return true;
	http_problem(res, 403,
	             tr(req, N_("You may not use the administration.")));
	return false;
}

/* GET /admin */
static int
page_admin(struct http_request *req, struct http_response *res)
{
	struct typed t = {0};

	if (!may_enter(req, res))
		return 0;
	return render_admin(req, res, 200, SLOT_SCHOOL, NULL, &t);
}

/* POST /admin/schools */
static int
post_school(struct http_request *req, struct http_response *res)
{
	struct admin_error err = {0};
	struct typed t = {.code = field(req, "code"),
	                  .name = field(req, "name"),
	                  .region = field(req, "region"),
	                  .district = field(req, "district")};
	int rc;

	/* Without the right there is no form to show the refusal beside. */
	if (!auth_allowed(auth_principal(req), PERM_SCHOOL_MANAGE))
		return http_problem(res, 403,
		                    tr(req, N_("You may not add schools.")));
	rc = admin_school_add(req->db, auth_principal(req), t.code, t.name,
	                      t.region, t.district, &err);
	if (rc != ADMIN_OK)
		return refused(req, res, rc, SLOT_SCHOOL, &err, &t);
	return http_redirect(res, "/admin?done=school#schools");
}

/* POST /admin/users */
static int
post_user(struct http_request *req, struct http_response *res)
{
	struct admin_error err = {0};
	struct admin_new_user u;
	struct typed t = {.login = field(req, "login"),
	                  .role = field(req, "role"),
	                  .region = field(req, "region")};
	enum role role;
	size_t i;
	int rc;

	if (!may_enter(req, res))
		return 0;
	for (i = 0; i < req->nform; i++) {
		if (strcmp(req->form[i].name, "schools") != 0 ||
		    req->form[i].value[0] == '\0')
			continue;
		if (t.nschools == ADMIN_MAX_SCHOOLS)
			return render_admin(req, res, 422, SLOT_USER,
			                    N_("Too many schools."), &t);
		t.schools[t.nschools++] = req->form[i].value;
	}
	/* Both lists are on the form; the role says which one it meant. */
	if (!role_from_name(t.role, &role))
		role = ROLE_COUNT;
	u = (struct admin_new_user){
	        .login = t.login != NULL ? t.login : "",
	        .role = t.role,
	        .password = http_form_value(req, "password"),
	        .schools = t.schools,
	        .nschools =
	                role_is_regional(role) || role == ROLE_PLATFORM_ADMIN
	                        ? 0
	                        : t.nschools,
	        .region = role_is_regional(role) ? t.region : NULL};
	if (u.password == NULL)
		u.password = "";
	rc = admin_user_add(req->db, auth_principal(req), &u, &err);
	if (rc != ADMIN_OK)
		return refused(req, res, rc, SLOT_USER, &err, &t);
	return http_redirect(res, "/admin?done=user#staff");
}

static int
post_disabled(struct http_request *req, struct http_response *res,
              bool disabled)
{
	struct admin_error err = {0};
	struct typed t = {0};
	int rc;

	if (!may_enter(req, res))
		return 0;
	rc = admin_user_set_disabled(req->db, auth_principal(req),
	                             req->params[0], disabled, &err);
	if (rc != ADMIN_OK)
		return refused(req, res, rc, SLOT_STAFF, &err, &t);
	return http_redirect(res, disabled ? "/admin?done=disabled#staff"
	                                   : "/admin?done=enabled#staff");
}

/* POST /admin/users/{login}/disable */
static int
post_disable(struct http_request *req, struct http_response *res)
{
	return post_disabled(req, res, true);
}

/* POST /admin/users/{login}/enable */
static int
post_enable(struct http_request *req, struct http_response *res)
{
	return post_disabled(req, res, false);
}

int
admin_pages_register(struct http_server *srv)
{
	const int page = HTTP_PAGE | HTTP_STAFF;

	if (http_route(srv, "GET", "/admin", page_admin, page) == -1 ||
	    http_route(srv, "POST", "/admin/schools", post_school, page) ==
	            -1 ||
	    http_route(srv, "POST", "/admin/users", post_user, page) == -1 ||
	    http_route(srv, "POST", "/admin/users/{login}/disable",
	               post_disable, page) == -1 ||
	    http_route(srv, "POST", "/admin/users/{login}/enable", post_enable,
	               page) == -1)
		return -1;
	return admin_class_pages_register(srv);
}
