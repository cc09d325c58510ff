/*
 * The HTTP face of auth: the session endpoints and login pages, and the
 * hooks the server and the page layer call (http_set_auth(),
 * page_set_decorator()).  Wire it up once at start-up:
 *
 *   http_set_auth(srv, auth_authenticate, auth_csrf_ok);
 *   page_set_decorator(auth_page_decorate);
 *   auth_http_register(srv);
 */
#ifndef QORGAN_AUTH_AUTH_HTTP_H
#define QORGAN_AUTH_AUTH_HTTP_H

#include <jansson.h>
#include <stdbool.h>

#include "auth/auth.h"
#include "http/http.h"

/*
 * Cookie names.  The __Host- prefix makes a browser refuse a cookie that is
 * not Secure, host-only and Path=/, which stops a sibling subdomain or a
 * plain-HTTP man in the middle from planting one; but browsers also refuse
 * to *set* a __Host- cookie without Secure, and Secure cookies are not
 * stored over plain http://127.0.0.1.  So over TLS the names carry the
 * prefix, and without TLS (local demo, tests) they are plain.
 */
#define AUTH_SESSION_COOKIE_PLAIN "qorgan"
#define AUTH_PRE_COOKIE           "__Host-qorgan-pre"
#define AUTH_PRE_COOKIE_PLAIN     "qorgan-pre"

/* The session cookie's name (pre false) or the pre-login cookie's. */
const char *auth_cookie_name(const struct http_request *req, bool pre);

/*
 * auth_http_register(), auth_authenticate(), auth_csrf_ok() and
 * auth_page_decorate() are declared in auth/auth.h.  In short:
 * authenticate reads "Authorization: Bearer TOKEN" first, else the session
 * cookie (then req->via_cookie is set), and returns -1 only for a bearer
 * token that resolves to nothing; a stale cookie leaves the request
 * anonymous so the login page still works.  The CSRF check takes the form
 * field "csrf" or the header X-CSRF-Token; POST /login also accepts the
 * pre-login token, since a person may sign in again while an old session
 * is still alive.
 */

/* The pre-login form's check: field "csrf" against the pre-login cookie. */
bool auth_login_csrf_ok(struct http_request *req);

/* The request's principal (staff or device), or NULL when anonymous. */
const struct principal *auth_principal(const struct http_request *req);

#endif
