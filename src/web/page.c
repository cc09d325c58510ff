/* Rendering pages inside the layout; see page.h. */
#include "web/page.h"

#include "core/log.h"
#include "web/template.h"

static page_decorate_fn decorator;
static page_alert_fn alert_provider;

void
page_set_alert_provider(page_alert_fn fn)
{
	alert_provider = fn;
}

void
page_set_decorator(page_decorate_fn fn)
{
	decorator = fn;
}

int
page_render(struct http_request *req, struct http_response *res, int status,
            const char *title, const char *page, json_t *ctx)
{
	struct buf out;
	int rc = -1;

	buf_init(&out);
	if (ctx == NULL)
		goto fail;
	json_object_set_new(ctx, "lang", json_string(lang_code(req->lang)));
	json_object_set_new(ctx, "title",
	                    json_string(i18n_get(req->lang, title)));
	json_object_set_new(ctx, "next", json_string(req->path));
	if (decorator != NULL)
		decorator(req, ctx);
	if (alert_provider != NULL) {
		const char *alert = alert_provider(req);

		if (alert != NULL)
			json_object_set_new(
			        ctx, "alert",
			        json_string(i18n_get(req->lang, alert)));
	}
	if (template_render_page("layout", page, ctx, req->lang, &out) == -1) {
		log_warnx("page: cannot render %s", page);
		goto fail;
	}
	buf_free(&res->body);
	res->body = out;
	res->status = status;
	res->content_type = "text/html; charset=utf-8";
	rc = 0;
fail:
	json_decref(ctx);
	if (rc == -1) {
		buf_free(&out);
		http_problem(res, 500, "the page could not be rendered");
	}
	return rc;
}

int
page_error(struct http_request *req, struct http_response *res)
{
	int status = res->status;
	json_t *ctx;

	ctx = json_pack("{s:i, s:s?}", "status", status, "detail",
	                res->problem);
	/* The status stays; only the body becomes a page. */
	if (status == 401 && req->principal_kind == HTTP_PRINCIPAL_NONE) {
		const char *path = http_url_encode(req->arena, req->path, "/");
		char *next =
		        path ? arena_printf(req->arena, "/login?next=%s", path)
		             : NULL;

		if (next != NULL) {
			json_decref(ctx);
			return http_redirect(res, next);
		}
	}
	return page_render(req, res, status, http_status_title(status), "error",
	                   ctx);
}
