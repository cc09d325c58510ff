/*
 * The libmicrohttpd glue.  MHD calls the access handler several times per
 * request: once with the headers, once per piece of body, and once more when
 * the body is done; only then do we route, authenticate and answer.  Limits
 * are enforced before anything is buffered: a declared Content-Length over
 * the limit is refused at once, a chunked body as soon as it crosses it.
 */
#include "http/server_internal.h"

#include <arpa/inet.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"

struct conn_state {
	struct http_server *srv;
	struct arena *arena;
	struct buf body;
	bool too_large;
	const struct route *route;
	size_t limit;
	struct timespec started;
};

void
http_limits_default(struct http_limits *l)
{
	l->max_body = HTTP_MAX_BODY_DEFAULT;
	l->max_upload = HTTP_MAX_UPLOAD_DEFAULT;
	l->max_header = HTTP_MAX_HEADER_DEFAULT;
	l->max_connections = HTTP_MAX_CONNECTIONS_DEFAULT;
	l->timeout = HTTP_TIMEOUT_DEFAULT;
	l->threads = HTTP_THREADS_DEFAULT;
}

struct http_server *
http_server_new(struct store_pool *pool, const struct http_limits *limits)
{
	struct http_server *srv;

	srv = calloc(1, sizeof(*srv));
	if (srv == NULL)
		return NULL;
	srv->pool = pool;
	srv->limits = *limits;
	metrics_init(&srv->metrics);
	return srv;
}

void
http_server_free(struct http_server *srv)
{
	if (srv == NULL)
		return;
	if (srv->daemon != NULL)
		MHD_stop_daemon(srv->daemon);
	router_free(srv);
	metrics_free(&srv->metrics);
	free(srv);
}

void
http_set_auth(struct http_server *srv, http_authenticate_fn authenticate,
              http_csrf_fn csrf)
{
	srv->authenticate = authenticate;
	srv->csrf = csrf;
}

void
http_set_tls(struct http_server *srv, bool tls)
{
	srv->tls = tls;
}

void
http_set_error_page(struct http_server *srv, http_error_page_fn fn)
{
	srv->error_page = fn;
}

const char *
http_query(struct http_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND,
	                                   name);
}

const char *
http_header_in(struct http_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *
http_cookie(struct http_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}

static double
seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static bool
is_html(const char *type)
{
	return type != NULL && strncmp(type, "text/html", 9) == 0;
}

/*
 * Errors on page routes are pages; so are errors on unknown paths that a
 * browser asked for (outside the JSON API).
 */
static bool
wants_page(struct http_request *req, const struct route *route)
{
	const char *accept;

	if (route != NULL)
		return (route->flags & HTTP_PAGE) != 0;
	accept = http_header_in(req, "Accept");
	return strncmp(req->path, "/api/", 5) != 0 && accept != NULL &&
	       strstr(accept, "text/html") != NULL;
}

static bool
is_safe_method(const char *method)
{
	return strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0 ||
	       strcmp(method, "OPTIONS") == 0;
}

static void
add_security_headers(struct MHD_Response *r, const struct http_request *req,
                     const struct http_response *res)
{
	char csp[256];

	snprintf(csp, sizeof(csp),
	         "default-src 'none'; script-src 'self'%s%s%s; "
	         "style-src 'self'; img-src 'self' data:; connect-src 'self'; "
	         "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
	         res->csp_nonce ? " 'nonce-" : "",
	         res->csp_nonce ? res->csp_nonce : "",
	         res->csp_nonce ? "'" : "");
	MHD_add_response_header(r, "Content-Security-Policy", csp);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
	MHD_add_response_header(r, "Permissions-Policy",
	                        "camera=(), microphone=(), geolocation=()");
	MHD_add_response_header(r, "Cache-Control",
	                        res->cache_control ? res->cache_control
	                                           : "no-store");
	if (req->tls)
		MHD_add_response_header(r, "Strict-Transport-Security",
		                        "max-age=31536000");
	MHD_add_response_header(r, "X-Request-Id", req->request_id);
}

static enum MHD_Result
send_response(struct MHD_Connection *conn, struct http_request *req,
              struct http_response *res)
{
	struct MHD_Response *r;
	enum MHD_Result ret;
	size_t len, i;
	char *body;

	body = buf_steal(&res->body, &len);
	if (body == NULL || strcmp(req->method, "HEAD") == 0) {
		free(body);
		body = NULL;
		len = 0;
	}
	r = MHD_create_response_from_buffer(len, body,
	                                    body ? MHD_RESPMEM_MUST_FREE
	                                         : MHD_RESPMEM_PERSISTENT);
	if (r == NULL) {
		free(body);
		return MHD_NO;
	}
	if (res->content_type != NULL)
		MHD_add_response_header(r, "Content-Type", res->content_type);
	for (i = 0; i < res->nheaders; i++)
		MHD_add_response_header(r, res->headers[i].name,
		                        res->headers[i].value);
	add_security_headers(r, req, res);
	ret = MHD_queue_response(conn, (unsigned)res->status, r);
	MHD_destroy_response(r);
	return ret;
}

static void
new_request_id(char out[17])
{
	unsigned char raw[8];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(out, 17, raw, sizeof(raw));
}

static void
new_nonce(struct http_request *req, struct http_response *res)
{
	unsigned char raw[16];
	char *b64;

	randombytes_buf(raw, sizeof(raw));
	b64 = arena_alloc(req->arena,
	                  sodium_base64_ENCODED_LEN(
	                          sizeof(raw), sodium_base64_VARIANT_ORIGINAL));
	if (b64 == NULL)
		return;
	sodium_bin2base64(b64,
	                  sodium_base64_ENCODED_LEN(
	                          sizeof(raw), sodium_base64_VARIANT_ORIGINAL),
	                  raw, sizeof(raw), sodium_base64_VARIANT_ORIGINAL);
	res->csp_nonce = b64;
}

/*
 * Runs the checks a route declares, then its handler.  Every early answer
 * is a problem with the contract's status.
 */
static void
dispatch(struct http_server *srv, struct http_request *req,
         struct http_response *res, const struct route *route,
         const char *allow)
{
	if (route == NULL && allow != NULL) {
		http_problem(res, 405, "method not allowed here");
		http_add_header(res, "Allow", allow);
		return;
	}
	if (route == NULL) {
		http_problem(res, 404, "no such page");
		return;
	}
	if (srv->authenticate != NULL && srv->authenticate(req) == -1) {
		http_problem(res, 401, "bad or expired credentials");
		return;
	}
	if ((route->flags & (HTTP_STAFF | HTTP_DEVICE)) != 0) {
		bool ok = ((route->flags & HTTP_STAFF) &&
		           req->principal_kind == HTTP_PRINCIPAL_STAFF) ||
		          ((route->flags & HTTP_DEVICE) &&
		           req->principal_kind == HTTP_PRINCIPAL_DEVICE);

		if (!ok) {
			http_problem(res,
			             req->principal_kind == HTTP_PRINCIPAL_NONE
			                     ? 401
			                     : 403,
			             req->principal_kind == HTTP_PRINCIPAL_NONE
			                     ? "credentials are required"
			                     : "this credential may not do "
			                       "that");
			return;
		}
	}
	/*
	 * A browser carries its session cookie to every site's form, so an
	 * unsafe request that rides on a cookie must prove it came from our
	 * page.  A bearer token is never sent implicitly and needs no proof.
	 */
	if (!is_safe_method(req->method) && req->via_cookie &&
	    (srv->csrf == NULL || !srv->csrf(req))) {
		http_problem(res, 403, "the form has expired; reload the page");
		return;
	}
	if (route->handler(req, res) != 0 && res->status < 400)
		http_problem(res, 500, "internal error");
}

static enum MHD_Result
handle_request(struct http_server *srv, struct MHD_Connection *conn,
               struct conn_state *cs, const char *url, const char *method)
{
	struct http_response res;
	struct http_request req;
	enum MHD_Result ret;

	memset(&req, 0, sizeof(req));
	memset(&res, 0, sizeof(res));
	buf_init(&res.body);
	res.arena = cs->arena;
	res.status = 200;
	req.server = srv;
	req.arena = cs->arena;
	req.conn = conn;
	req.method = method;
	req.path = url;
	req.route = "unmatched";
	req.body = cs->body.data;
	req.body_len = cs->body.len;
	req.tls = srv->tls;
	/* A language chosen on the page wins over the browser's default. */
	if (!lang_from_code(http_cookie(&req, HTTP_LANG_COOKIE), &req.lang))
		req.lang = lang_from_accept_language(
		        http_header_in(&req, "Accept-Language"));
	new_request_id(req.request_id);
	new_nonce(&req, &res);

	if (cs->too_large) {
		http_problemf(&res, 413,
		              "the body is over the limit of %zu bytes",
		              cs->limit);
	} else {
		const struct route *route;
		const char *allow;

		route = router_match(srv, method, url, cs->arena, req.params,
		                     &allow);
		if (route != NULL) {
			req.route = route->pattern;
		}
		if (form_parse(&req, conn) == -1) {
			http_problem(&res, 400, "the form could not be read");
		} else {
			req.db = store_pool_get(srv->pool);
			dispatch(srv, &req, &res, route, allow);
			store_pool_put(srv->pool, req.db);
			req.db = NULL;
		}
		/* A handler that drew its own page (a form shown again
		 * with its error) keeps it. */
		if (res.status >= 400 && srv->error_page != NULL &&
		    !is_html(res.content_type) && wants_page(&req, route)) {
			req.db = store_pool_get(srv->pool);
			srv->error_page(&req, &res);
			store_pool_put(srv->pool, req.db);
		}
	}
	log_info("request id=%s method=%s route=%s status=%d ms=%.2f",
	         req.request_id, method, req.route, res.status,
	         seconds_since(&cs->started) * 1000.0);
	ret = send_response(conn, &req, &res);
	metrics_observe(&srv->metrics, req.route, method, res.status,
	                seconds_since(&cs->started));
	buf_free(&res.body);
	return ret;
}

static size_t
body_limit(struct http_server *srv, const char *method, const char *url,
           struct arena *arena, const struct route **route)
{
	const char *params[HTTP_MAX_PARAMS], *allow;

	*route = router_match(srv, method, url, arena, params, &allow);
	if (*route != NULL && ((*route)->flags & HTTP_UPLOAD))
		return srv->limits.max_upload;
	return srv->limits.max_body;
}

static enum MHD_Result
access_handler(void *cls, struct MHD_Connection *conn, const char *url,
               const char *method, const char *version, const char *upload_data,
               size_t *upload_data_size, void **con_cls)
{
	struct http_server *srv = cls;
	struct conn_state *cs = *con_cls;
	const char *length;

	(void)version;
	if (cs == NULL) {
		cs = calloc(1, sizeof(*cs));
		if (cs == NULL)
			return MHD_NO;
		cs->arena = arena_new();
		if (cs->arena == NULL) {
			free(cs);
			return MHD_NO;
		}
		buf_init(&cs->body);
		clock_gettime(CLOCK_MONOTONIC, &cs->started);
		/* In flight from the headers on: a stop waits for the body. */
		cs->srv = srv;
		metrics_in_flight(&srv->metrics, 1);
		cs->limit = body_limit(srv, method, url, cs->arena, &cs->route);
		*con_cls = cs;
		length = MHD_lookup_connection_value(
		        conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (length != NULL && strtoull(length, NULL, 10) > cs->limit) {
			cs->too_large = true;
			return handle_request(srv, conn, cs, url, method);
		}
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		if (!cs->too_large) {
			if (cs->body.len + *upload_data_size > cs->limit)
				cs->too_large = true;
			else if (buf_append(&cs->body, upload_data,
			                    *upload_data_size) == -1)
				return MHD_NO;
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	return handle_request(srv, conn, cs, url, method);
}

static void
request_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                  enum MHD_RequestTerminationCode toe)
{
	struct conn_state *cs = *con_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (cs == NULL)
		return;
	metrics_in_flight(&cs->srv->metrics, -1);
	arena_free(cs->arena);
	buf_free(&cs->body);
	free(cs);
	*con_cls = NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
        __attribute__((format(printf, 2, 0)));

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];

	(void)cls;
	vsnprintf(line, sizeof(line), fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	log_debug("mhd: %s", line);
}

int
http_server_start(struct http_server *srv, const char *host, uint16_t *port)
{
	const union MHD_DaemonInfo *info;
	struct sockaddr_in addr;

	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_port = htons(*port);
	if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
		log_warnx("http: listen address must be an IPv4 address");
		return -1;
	}
	srv->daemon = MHD_start_daemon(
	        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
	                MHD_USE_ERROR_LOG,
	        *port, NULL, NULL, access_handler, srv, MHD_OPTION_SOCK_ADDR,
	        (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE,
	        srv->limits.threads, MHD_OPTION_CONNECTION_LIMIT,
	        srv->limits.max_connections, MHD_OPTION_CONNECTION_TIMEOUT,
	        srv->limits.timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
	        srv->limits.max_header, MHD_OPTION_NOTIFY_COMPLETED,
	        request_completed, srv, MHD_OPTION_EXTERNAL_LOGGER, mhd_log,
	        srv, MHD_OPTION_END);
	if (srv->daemon == NULL) {
		log_warnx("http: cannot listen on %s:%u", host, *port);
		return -1;
	}
	info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	if (info != NULL)
		*port = info->port;
	return 0;
}

void
http_server_stop(struct http_server *srv)
{
	const union MHD_DaemonInfo *info;
	MHD_socket listener;
	int waited;

	if (srv->daemon == NULL)
		return;
	listener = MHD_quiesce_daemon(srv->daemon);
	if (listener != MHD_INVALID_SOCKET)
		close(listener);
	/* Requests in flight finish; idle keep-alive connections do not wait.
	 */
	for (waited = 0; waited < HTTP_STOP_GRACE_SECONDS * 10; waited++) {
		if (__atomic_load_n(&srv->metrics.in_flight,
		                    __ATOMIC_RELAXED) == 0)
			break;
		usleep(100 * 1000);
	}
	info = MHD_get_daemon_info(srv->daemon,
	                           MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
	if (info != NULL && info->num_connections > 0)
		log_debug("http: closing %u idle connections",
		          info->num_connections);
	MHD_stop_daemon(srv->daemon);
	srv->daemon = NULL;
}
