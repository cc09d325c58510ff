/*
 * Staff and public pages: a page template rendered inside layout.html with
 * the fields every page has (language, CSP nonce, the signed-in user, the
 * navigation, the CSRF token).  Who the user is belongs to the auth module,
 * so it adds its fields through a decorator set once at start-up; web/
 * stays below the domain modules.
 */
#ifndef QORGAN_WEB_PAGE_H
#define QORGAN_WEB_PAGE_H

#include <jansson.h>

#include "http/http.h"

/* Adds the signed-in user's fields (user, csrf, nav) to a page context. */
typedef void (*page_decorate_fn)(struct http_request *req, json_t *ctx);

/* Call before the server starts. */
void page_set_decorator(page_decorate_fn fn);

/*
 * An optional second hook: the layout's `alert` banner (an emergency).
 * Returns an English msgid, translated here in the request's language, or
 * NULL for no banner.  Set by a domain module at start-up (access shows
 * emergency mode), so that neither web/ nor auth/ depends on it.
 */
typedef const char *(*page_alert_fn)(struct http_request *req);

/* Call before the server starts; NULL removes it. */
void page_set_alert_provider(page_alert_fn fn);

/*
 * Renders template `page` inside the layout with `ctx` (a JSON object; this
 * call takes the reference) and answers it with `status` as text/html.
 * `title` is an English msgid, translated into the request's language.
 * Returns 0, or -1 when rendering failed (the response is then a 500).
 */
int page_render(struct http_request *req, struct http_response *res, int status,
                const char *title, const char *page, json_t *ctx);

/*
 * The error page for a failed request on an HTML route (the server's
 * http_error_page_fn): status, title and res->problem as detail.
 */
int page_error(struct http_request *req, struct http_response *res);

#endif
