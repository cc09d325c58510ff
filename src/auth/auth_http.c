/*
 * Session endpoints, the login and logout pages, and the hooks the server
 * calls on every request (authenticate, CSRF, page decorator).
 *
 * Two kinds of CSRF token exist.  A signed-in browser gets its session's
 * secret.  The login form comes before any session, so it is protected by a
 * pre-login cookie holding a random value and a form token that is an HMAC
 * of that value (auth_anon_csrf): another site can neither read the cookie
 * nor compute the token, so it cannot post a login of its choosing (login
 * CSRF, which would sign the victim in as the attacker).
 *
 * POST /login is registered without HTTP_PAGE: the server turns any >= 400
 * answer of an HTTP_PAGE route into its error page, while a failed login
 * must show the login form again with its own message and status (401,
 * 403, 422, 429).  Its handler renders every page itself.
 */
#include "auth/auth_http.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "audit/audit.h"
#include "core/log.h"
#include "core/utf8.h"
#include "http/input.h"
#include "web/i18n.h"
#include "web/page.h"
#include "web/web.h"

/* The longest login worth looking up; longer ones cannot exist. */
#define LOGIN_FIELD_MAX 256
/* A `next` path longer than this is ignored (the browser goes to "/"). */
#define NEXT_MAX 1024

/*
 * Where to send the browser after signing in: `next` when it is a path on
 * this site that is safe to echo in a page and a Location header, else
 * NULL.
 */
static const char *
safe_next(const char *next)
{
	size_t len;

	if (!web_local_path(next))
		return NULL;
	len = strlen(next);
	if (len > NEXT_MAX || !utf8_valid(next, len) ||
	    utf8_has_control(next, len))
		return NULL;
	return next;
}

const char *
auth_cookie_name(const struct http_request *req, bool pre)
{
	if (req->tls)
		return pre ? AUTH_PRE_COOKIE : AUTH_SESSION_COOKIE;
	return pre ? AUTH_PRE_COOKIE_PLAIN : AUTH_SESSION_COOKIE_PLAIN;
}

const struct principal *
auth_principal(const struct http_request *req)
{
	if (req->principal_kind == HTTP_PRINCIPAL_NONE)
		return NULL;
	return req->principal;
}

/*
 * Sets a cookie only our own pages' requests carry back; max_age < 0 makes
 * it last until the browser closes, 0 clears it.  Values are base64url
 * tokens or empty, so they need no quoting.
 */
static int
set_cookie(struct http_request *req, struct http_response *res,
           const char *name, const char *value, long max_age)
{
	char age[32] = "";
	char *c;

	if (max_age >= 0)
		snprintf(age, sizeof(age), "; Max-Age=%ld", max_age);
	c = arena_printf(req->arena,
	                 "%s=%s; Path=/; HttpOnly; SameSite=Strict%s%s", name,
	                 value, req->tls ? "; Secure" : "", age);
	if (c == NULL)
		return -1;
	return http_add_header(res, "Set-Cookie", c);
}

int
auth_authenticate(struct http_request *req)
{
	const char *authz, *cookie;
	struct principal *p;

	authz = http_header_in(req, "Authorization");
	if (authz != NULL && strncasecmp(authz, "Bearer ", 7) == 0) {
		const char *token = authz + 7;

		while (*token == ' ')
			token++;
		p = auth_resolve_token(req->db, req->arena, token);
		if (p == NULL)
			return -1;
		if (p->kind == PRINCIPAL_STAFF) {
			/* A bearer request needs no CSRF proof and gets no
			 * token to leak into pages. */
			p->csrf_token = NULL;
			req->principal_kind = HTTP_PRINCIPAL_STAFF;
		} else {
			req->principal_kind = HTTP_PRINCIPAL_DEVICE;
		}
		req->principal = p;
		return 0;
	}
	cookie = http_cookie(req, auth_cookie_name(req, false));
	if (cookie == NULL)
		return 0;
	p = auth_resolve_token(req->db, req->arena, cookie);
	/* Device tokens never travel in cookies. */
	if (p == NULL || p->kind != PRINCIPAL_STAFF)
		return 0;
	req->principal_kind = HTTP_PRINCIPAL_STAFF;
	req->principal = p;
	req->via_cookie = true;
	return 0;
}

bool
auth_login_csrf_ok(struct http_request *req)
{
	return auth_anon_csrf_ok(http_cookie(req, auth_cookie_name(req, true)),
	                         http_form_value(req, "csrf"));
}

bool
auth_csrf_ok(struct http_request *req)
{
	const char *token = http_form_value(req, "csrf");

	if (token == NULL)
		token = http_header_in(req, "X-CSRF-Token");
	if (req->principal_kind == HTTP_PRINCIPAL_STAFF &&
	    auth_csrf_token_ok(req->principal, token))
		return true;
	return strcmp(req->method, "POST") == 0 &&
	       strcmp(req->route, "/login") == 0 && auth_login_csrf_ok(req);
}

static json_t *
nav_item(struct http_request *req, const char *href, const char *label)
{
	size_t n = strlen(href);
	bool current;

	if (strcmp(href, "/") == 0)
		current = strcmp(req->path, "/") == 0;
	else
		current = strncmp(req->path, href, n) == 0 &&
		          (req->path[n] == '\0' || req->path[n] == '/');
	return json_pack("{s:s, s:s, s:b}", "href", href, "label",
	                 i18n_get(req->lang, label), "current", current);
}

void
auth_page_decorate(struct http_request *req, json_t *ctx)
{
	const struct principal *p = auth_principal(req);
	json_t *nav;

	if (p == NULL || p->kind != PRINCIPAL_STAFF)
		return;
	json_object_set_new(
	        ctx, "user",
	        json_pack("{s:s, s:s}", "login", p->login, "role",
	                  i18n_get(req->lang, role_label(p->role))));
	if (p->csrf_token != NULL)
		json_object_set_new(ctx, "csrf", json_string(p->csrf_token));
	if ((nav = json_array()) == NULL)
		return;
	json_array_append_new(nav, nav_item(req, "/", N_("Home")));
	json_array_append_new(nav, nav_item(req, "/notices", N_("Notices")));
	if (auth_allowed(p, PERM_STUDENT_READ))
		json_array_append_new(nav,
		                      nav_item(req, "/school", N_("School")));
	/* The schools' attendance at a glance, for those above schools. */
	if (auth_allowed(p, PERM_SCHOOL_MANAGE))
		json_array_append_new(
		        nav, nav_item(req, "/attendance", N_("Attendance")));
	if (auth_allowed(p, PERM_AUDIT_READ))
		json_array_append_new(nav,
		                      nav_item(req, "/audit", N_("Audit log")));
	if (auth_allowed(p, PERM_SCHOOL_MANAGE) ||
	    auth_allowed(p, PERM_USER_MANAGE))
		json_array_append_new(
		        nav, nav_item(req, "/admin", N_("Administration")));
	json_object_set_new(ctx, "nav", nav);
}

/* Records a login or logout under the session it concerns. */
static void
audit_session(struct http_request *req, const struct principal *p,
              const char *action)
{
	char id[24];

	snprintf(id, sizeof(id), "%lld", (long long)p->user_id);
	if (audit_record(req->db, p, action, 0, "user", id, NULL) == -1)
		log_warnx("auth: could not audit %s id=%s", action,
		          req->request_id);
}

/* Retry-After for a locked login: the seconds its lock has left. */
static void
locked_answer(struct http_request *req, struct http_response *res,
              const char *login)
{
	int64_t wait = auth_login_retry_after(req->db, login);
	char *s;

	s = arena_printf(req->arena, "%lld",
	                 (long long)(wait > 0 ? wait : AUTH_LOCKOUT_SECONDS));
	if (s != NULL)
		http_add_header(res, "Retry-After", s);
}

/* What POST /api/v1/session takes. */
static const struct input_field session_fields[] = {
        {.name = "login",
         .type = INPUT_STRING,
         .required = true,
         .max_chars = LOGIN_FIELD_MAX},
        {.name = "password",
         .type = INPUT_STRING,
         .required = true,
         .max_chars = AUTH_PASSWORD_MAX},
};

static int
post_session(struct http_request *req, struct http_response *res)
{
	struct input_value in[2];
	const char *login, *password;
	const struct principal *p;
	enum auth_login_result r;
	json_t *body, *out;
	char *token = NULL, err[160];
	int rc = 0;

	if ((body = http_json_body(req, res)) == NULL)
		return 0;
	if (input_check(body, session_fields, 2, in, err, sizeof(err)) == -1) {
		http_problem(res, 422, err);
		goto done;
	}
	login = in[0].s;
	password = in[1].s;
	r = auth_login(req->db, req->arena, login, password, &token, NULL);
	switch (r) {
	case AUTH_LOGIN_OK:
		break;
	case AUTH_LOGIN_BAD:
		http_problem(res, 401, "wrong login or password");
		goto done;
	case AUTH_LOGIN_LOCKED:
		http_problem(res, 429,
		             "too many failed logins; try again later");
		locked_answer(req, res, login);
		goto done;
	case AUTH_LOGIN_DISABLED:
		http_problem(res, 403, "this account is disabled");
		goto done;
	case AUTH_LOGIN_BUSY:
		http_problem(res, 503, "too many sign-ins at once; retry");
		http_add_header(res, "Retry-After", "1");
		goto done;
	default:
		rc = -1;
		goto done;
	}
	p = auth_resolve_token(req->db, req->arena, token);
	if (p == NULL) {
		rc = -1;
		goto done;
	}
	audit_session(req, p, "auth.login");
	out = json_pack("{s:s, s:s}", "token", token, "expires_at",
	                p->expires_at);
	if (out == NULL) {
		rc = -1;
		goto done;
	}
	rc = http_json(res, 201, out);
	json_decref(out);
done:
	json_decref(body);
	return rc;
}

static int
clear_session_cookie(struct http_request *req, struct http_response *res)
{
	return set_cookie(req, res, auth_cookie_name(req, false), "", 0);
}

static int
delete_session(struct http_request *req, struct http_response *res)
{
	const struct principal *p = auth_principal(req);

	if (auth_logout(req->db, p) == -1)
		return -1;
	audit_session(req, p, "auth.logout");
	if (req->via_cookie)
		clear_session_cookie(req, res);
	return http_text(res, 204, NULL, "", 0);
}

/* A well-formed pre-login cookie value, or NULL. */
static const char *
pre_cookie(struct http_request *req)
{
	const char *v = http_cookie(req, auth_cookie_name(req, true));
	const char *c;

	if (v == NULL || strlen(v) != AUTH_TOKEN_CHARS)
		return NULL;
	for (c = v; *c != '\0'; c++)
		if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
		      (*c >= '0' && *c <= '9') || *c == '-' || *c == '_'))
			return NULL;
	return v;
}

/*
 * Renders the login form with a pre-login token, (re)setting its cookie.
 * `login` is what was typed before, `error` an English msgid or NULL.
 */
static int
login_page(struct http_request *req, struct http_response *res, int status,
           const char *login, const char *error, const char *next)
{
	unsigned char raw[AUTH_TOKEN_BYTES];
	char value[AUTH_TOKEN_CHARS + 1];
	const char *cookie = pre_cookie(req), *csrf;
	json_t *ctx;

	if (cookie == NULL) {
		randombytes_buf(raw, sizeof(raw));
		sodium_bin2base64(value, sizeof(value), raw, sizeof(raw),
		                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
		cookie = value;
	}
	if ((csrf = auth_anon_csrf(req->arena, cookie)) == NULL)
		return -1;
	if (set_cookie(req, res, auth_cookie_name(req, true), cookie, -1) == -1)
		return -1;
	/* What was typed is shown again only if it can be shown. */
	if (login != NULL && (!utf8_valid(login, strlen(login)) ||
	                      utf8_has_control(login, strlen(login))))
		login = NULL;
	ctx = json_pack("{s:s, s:s?, s:s?, s:s?}", "csrf", csrf, "login", login,
	                "error", error ? i18n_get(req->lang, error) : NULL,
	                "return_to", safe_next(next));
	if (ctx == NULL)
		return -1;
	return page_render(req, res, status, N_("Sign in"), "login", ctx);
}

static int
get_login(struct http_request *req, struct http_response *res)
{
	const char *next = http_query(req, "next");

	if (req->principal_kind == HTTP_PRINCIPAL_STAFF)
		return http_redirect(res, safe_next(next) ? next : "/");
	return login_page(req, res, 200, NULL, NULL, next);
}

/* A 500 as a page, since POST /login is not HTTP_PAGE (see above). */
static int
page_failure(struct http_request *req, struct http_response *res)
{
	http_problem(res, 500, "internal error");
	page_error(req, res);
	return 0;
}

/* Sets the session cookie and sends the browser on. */
static int
login_succeeded(struct http_request *req, struct http_response *res,
                const char *token, const char *next)
{
	const struct principal *p, *old = auth_principal(req);

	/* Signing in again ends the session the browser had before. */
	if (old != NULL && old->kind == PRINCIPAL_STAFF &&
	    auth_logout(req->db, old) == 0)
		audit_session(req, old, "auth.logout");
	if ((p = auth_resolve_token(req->db, req->arena, token)) != NULL)
		audit_session(req, p, "auth.login");
	if (set_cookie(req, res, auth_cookie_name(req, false), token,
	               (long)AUTH_SESSION_HOURS * 3600) == -1 ||
	    set_cookie(req, res, auth_cookie_name(req, true), "", 0) == -1)
		return page_failure(req, res);
	return http_redirect(res, safe_next(next) ? next : "/");
}

static int
post_login(struct http_request *req, struct http_response *res)
{
	const char *login = http_form_value(req, "login");
	const char *password = http_form_value(req, "password");
	const char *next = http_form_value(req, "next");
	const char *error;
	bool locked = false;
	char *token = NULL;
	int status;

	/* With a live session cookie the server has checked CSRF already. */
	if (!req->via_cookie && !auth_login_csrf_ok(req)) {
		status = 403;
		error = N_("The form has expired. Please sign in again.");
	} else if (login == NULL || password == NULL || login[0] == '\0' ||
	           password[0] == '\0') {
		status = 422;
		error = N_("Enter your login and password.");
	} else if (strlen(login) > LOGIN_FIELD_MAX) {
		status = 401;
		error = N_("Wrong login or password.");
		login = NULL;
	} else {
		switch (auth_login(req->db, req->arena, login, password, &token,
		                   NULL)) {
		case AUTH_LOGIN_OK:
			return login_succeeded(req, res, token, next);
		case AUTH_LOGIN_BAD:
			status = 401;
			error = N_("Wrong login or password.");
			break;
		case AUTH_LOGIN_LOCKED:
			status = 429;
			error = N_("Too many failed attempts. Try again in a "
			           "few minutes.");
			locked = true;
			break;
		case AUTH_LOGIN_DISABLED:
			status = 403;
			error = N_("This account is disabled. Ask the person "
			           "responsible for the system at your "
			           "school.");
			break;
		case AUTH_LOGIN_BUSY:
			status = 503;
			error = N_("Many people are signing in right now. "
			           "Please try again in a moment.");
			break;
		default:
			return page_failure(req, res);
		}
	}
	if (login_page(req, res, status, login, error, next) == -1)
		return page_failure(req, res);
	if (locked)
		locked_answer(req, res, login);
	return 0;
}

static int
post_logout(struct http_request *req, struct http_response *res)
{
	const struct principal *p = auth_principal(req);

	if (p != NULL && p->kind == PRINCIPAL_STAFF) {
		if (auth_logout(req->db, p) == 0)
			audit_session(req, p, "auth.logout");
	}
	clear_session_cookie(req, res);
	return http_redirect(res, "/login");
}

int
auth_http_register(struct http_server *srv)
{
	if (auth_init() == -1)
		return -1;
	if (http_route(srv, "POST", "/api/v1/session", post_session,
	               HTTP_PUBLIC) ||
	    http_route(srv, "DELETE", "/api/v1/session", delete_session,
	               HTTP_STAFF) ||
	    http_route(srv, "GET", "/login", get_login, HTTP_PAGE) ||
	    http_route(srv, "POST", "/login", post_login, HTTP_PUBLIC) ||
	    http_route(srv, "POST", "/logout", post_logout, HTTP_PAGE))
		return -1;
	return 0;
}
