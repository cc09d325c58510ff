/* Handlers for the routes of web.h. */
#include "web/web.h"

#include <string.h>

#include "core/embedded.h"
#include "web/page.h"

#define STATIC_MAX_AGE      "public, max-age=3600"
#define LANG_COOKIE_SECONDS (365 * 24 * 3600)

static int
get_healthz(struct http_request *req, struct http_response *res)
{
	(void)req;
	return http_text(res, 200, "text/plain; charset=utf-8", "ok\n", 3);
}

static int
get_metrics(struct http_request *req, struct http_response *res)
{
	res->status = 200;
	res->content_type = "text/plain; version=0.0.4; charset=utf-8";
	return http_metrics_render(req->server, &res->body);
}

static const char *
content_type_for(const char *name)
{
	const char *dot = strrchr(name, '.');

	if (dot == NULL)
		return "application/octet-stream";
	if (strcmp(dot, ".css") == 0)
		return "text/css; charset=utf-8";
	if (strcmp(dot, ".js") == 0)
		return "text/javascript; charset=utf-8";
	if (strcmp(dot, ".svg") == 0)
		return "image/svg+xml";
	if (strcmp(dot, ".png") == 0)
		return "image/png";
	if (strcmp(dot, ".ico") == 0)
		return "image/x-icon";
	return "application/octet-stream";
}

static int
get_static(struct http_request *req, struct http_response *res)
{
	const struct embedded_file *f;

	f = embedded_find(embedded_static, req->params[0]);
	if (f == NULL)
		return http_problem(res, 404, "no such file");
	res->cache_control = STATIC_MAX_AGE;
	return http_text(res, 200, content_type_for(f->name),
	                 (const char *)f->data, f->size);
}

bool
web_local_path(const char *next)
{
	return next != NULL && next[0] == '/' && next[1] != '/' &&
	       next[1] != '\\' && strpbrk(next, "\r\n") == NULL;
}

static int
get_lang(struct http_request *req, struct http_response *res)
{
	const char *next = http_query(req, "next");
	enum lang lang;
	char *cookie;

	if (!lang_from_code(http_query(req, "set"), &lang))
		return http_problem(res, 422, "set must be kk, ru or en");
	cookie = arena_printf(req->arena,
	                      "%s=%s; Path=/; Max-Age=%d; SameSite=Lax%s",
	                      HTTP_LANG_COOKIE, lang_code(lang),
	                      LANG_COOKIE_SECONDS, req->tls ? "; Secure" : "");
	if (cookie == NULL)
		return -1;
	http_add_header(res, "Set-Cookie", cookie);
	return http_redirect(res, web_local_path(next) ? next : "/");
}

static int
get_home(struct http_request *req, struct http_response *res)
{
	if (req->principal_kind != HTTP_PRINCIPAL_STAFF)
		return http_redirect(res, "/login");
	return page_render(req, res, 200, "Home", "home", json_object());
}

int
web_http_register(struct http_server *srv)
{
	if (http_route(srv, "GET", "/healthz", get_healthz, HTTP_PUBLIC) ||
	    http_route(srv, "GET", "/metrics", get_metrics, HTTP_PUBLIC) ||
	    http_route(srv, "GET", "/static/{name}", get_static, HTTP_PUBLIC) ||
	    http_route(srv, "GET", "/lang", get_lang, HTTP_PAGE) ||
	    http_route(srv, "GET", "/", get_home, HTTP_PAGE))
		return -1;
	return 0;
}
