/*
 * The HTTP server: libmicrohttpd underneath, a router of declared routes, a
 * per-request arena and database connection, problem+json errors, security
 * headers on every response, and metrics.  Domain modules register their
 * handlers here; handlers never see libmicrohttpd.
 */
#ifndef QORGAN_HTTP_HTTP_H
#define QORGAN_HTTP_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "store/store.h"
#include "web/i18n.h"

/* Named limits; each can be overridden by configuration. */
#define HTTP_MAX_BODY_DEFAULT        (1024 * 1024)      /* JSON and forms */
#define HTTP_MAX_UPLOAD_DEFAULT      (32 * 1024 * 1024) /* roster files */
#define HTTP_MAX_HEADER_DEFAULT      (32 * 1024)
#define HTTP_MAX_CONNECTIONS_DEFAULT 512
#define HTTP_TIMEOUT_DEFAULT         30 /* seconds idle */
/* More threads than cores: a pass or a sale holds its thread while its
 * group commit (store.h) waits on the disk, and the size of a group is
 * bounded by the threads waiting at once. */
#define HTTP_THREADS_DEFAULT    16
#define HTTP_MAX_JSON_DEPTH     16
#define HTTP_MAX_PARAMS         8
#define HTTP_MAX_FORM_FIELDS    64
#define HTTP_STOP_GRACE_SECONDS 10
#define HTTP_LANG_COOKIE        "qorgan-lang"

struct http_limits {
	size_t max_body;
	size_t max_upload;
	size_t max_header;
	unsigned max_connections;
	unsigned timeout;
	unsigned threads;
};

enum http_principal_kind {
	HTTP_PRINCIPAL_NONE,
	HTTP_PRINCIPAL_STAFF,
	HTTP_PRINCIPAL_DEVICE,
};

struct http_form_field {
	const char *name;
	const char *value; /* NUL-terminated; may hold a whole uploaded file */
	size_t len;
	const char *filename; /* NULL unless a file upload */
};

struct http_server;

struct http_request {
	struct http_server *server;
	struct arena *arena;
	struct store *db;
	const char *method;
	const char *path;
	const char *route; /* the matched pattern, for metrics */
	const char *params[HTTP_MAX_PARAMS];
	const char *body;
	size_t body_len;
	struct http_form_field *form;
	size_t nform;
	enum lang lang;
	bool via_cookie; /* authenticated by a browser cookie, not a bearer */
	bool tls;
	enum http_principal_kind principal_kind;
	void *principal; /* owned by the arena; see auth/auth.h */
	char request_id[17];
	void *conn; /* libmicrohttpd's connection: http/ internals only */
};

struct http_header {
	const char *name;
	const char *value;
};

#define HTTP_MAX_RESPONSE_HEADERS 12

struct http_response {
	struct arena *arena; /* the request's */
	int status;
	const char *content_type;
	struct buf body;
	struct http_header headers[HTTP_MAX_RESPONSE_HEADERS];
	size_t nheaders;
	const char *cache_control; /* NULL means no-store */
	const char *csp_nonce;     /* for <script nonce=...> in pages */
	const char *problem;       /* detail of an error answered so far */
};

typedef int (*http_handler)(struct http_request *req,
                            struct http_response *res);

/* What a route requires before its handler runs. */
enum http_route_flags {
	HTTP_PUBLIC = 0,
	HTTP_STAFF = 1 << 0,  /* a staff session or bearer token */
	HTTP_DEVICE = 1 << 1, /* a device bearer token */
	HTTP_PAGE = 1 << 2,   /* answers HTML: errors render as pages */
	HTTP_UPLOAD = 1 << 3, /* may carry a large body (file upload) */
};

/*
 * Resolves the credentials of a request (bearer token or session cookie)
 * into req->principal_kind and req->principal.  Returns 0 (also when there
 * were no credentials) or -1 when credentials were given but are bad.
 */
typedef int (*http_authenticate_fn)(struct http_request *req);
/* True when the request carries a valid CSRF token for its session. */
typedef bool (*http_csrf_fn)(struct http_request *req);
/* Renders res->status and res->problem as an HTML page into res. */
typedef int (*http_error_page_fn)(struct http_request *req,
                                  struct http_response *res);

struct http_server *http_server_new(struct store_pool *pool,
                                    const struct http_limits *limits);
void http_server_free(struct http_server *srv);
void http_set_auth(struct http_server *srv, http_authenticate_fn authenticate,
                   http_csrf_fn csrf);
void http_set_error_page(struct http_server *srv, http_error_page_fn fn);
/*
 * Whether browsers reach the server over TLS (itself behind a TLS proxy):
 * then cookies are Secure, take the __Host- prefix, and HSTS is sent.
 */
void http_set_tls(struct http_server *srv, bool tls);
/* Patterns are literal segments and {name} segments: /api/v1/x/{id}. */
int http_route(struct http_server *srv, const char *method, const char *pattern,
               http_handler handler, int flags);
/* Binds and serves; returns at once.  *port gets the bound port. */
int http_server_start(struct http_server *srv, const char *host,
                      uint16_t *port);
/* Stops accepting, finishes requests in flight (up to a grace period). */
void http_server_stop(struct http_server *srv);
void http_limits_default(struct http_limits *limits);
/* Writes the Prometheus text exposition of the server's metrics. */
int http_metrics_render(struct http_server *srv, struct buf *out);

/* Request accessors; every returned string lives in the request arena. */
const char *http_query(struct http_request *req, const char *name);
const char *http_header_in(struct http_request *req, const char *name);
const char *http_cookie(struct http_request *req, const char *name);
/* A form field (urlencoded or multipart), or NULL. */
const struct http_form_field *http_form(struct http_request *req,
                                        const char *name);
const char *http_form_value(struct http_request *req, const char *name);

/* Responses. */
int http_add_header(struct http_response *res, const char *name,
                    const char *value);
int http_json(struct http_response *res, int status, json_t *body);
/* RFC 9457 problem+json (or an HTML error page for HTTP_PAGE routes). */
int http_problem(struct http_response *res, int status, const char *detail);
int http_problemf(struct http_response *res, int status, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
/* 303 to `location`; bytes outside printable ASCII are percent-encoded. */
int http_redirect(struct http_response *res, const char *location);
/*
 * `s` percent-encoded, in the arena (NULL when out of memory).  Letters,
 * digits and - . _ ~ stay, and so do the characters in `keep`; with keep
 * NULL, every printable ASCII character but the space stays.
 */
char *http_url_encode(struct arena *a, const char *s, const char *keep);
int http_text(struct http_response *res, int status, const char *type,
              const char *text, size_t len);
const char *http_status_title(int status);

/*
 * Parses a JSON object body under the depth limit.  On failure answers the
 * response (400 for malformed, 415 for another media type, 422 for a
 * non-object) and returns NULL.  The value is owned by the caller.
 */
json_t *http_json_body(struct http_request *req, struct http_response *res);
/*
 * The same checks on bytes: 0 with *out (owned by the caller), or the
 * status (400, 422) with a message in err.  Separate for the fuzzer.
 */
int http_json_parse(const char *body, size_t len, json_t **out, char *err,
                    size_t errlen);

#endif
