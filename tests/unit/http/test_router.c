/*
 * The router on a server that is never started: literal segments against
 * {param} captures, registration order, HEAD answered by GET, a known path
 * with the wrong method (405) against an unknown path (404), what empty
 * segments do, and the segment limit.  Then the Prometheus text that
 * http_metrics_render() writes after a few observations, on a real pool so
 * the database-time line is the pool's.
 *
 * http_server_new() is given a NULL pool for the router tests: creating a
 * server and adding routes must not touch the database.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include "core/arena.h"
#include "core/buf.h"
#include "http/server_internal.h"
#include "../testdb.h"

static int
h_list(struct http_request *req, struct http_response *res)
{
	(void)req;
	(void)res;
	return 0;
}

static int
h_export(struct http_request *req, struct http_response *res)
{
	(void)req;
	(void)res;
	return 1;
}

static int
h_one(struct http_request *req, struct http_response *res)
{
	(void)req;
	(void)res;
	return 2;
}

static int
h_create(struct http_request *req, struct http_response *res)
{
	(void)req;
	(void)res;
	return 3;
}

static int
h_class(struct http_request *req, struct http_response *res)
{
	(void)req;
	(void)res;
	return 4;
}

static int
h_root(struct http_request *req, struct http_response *res)
{
	(void)req;
	(void)res;
	return 5;
}

struct fx {
	struct http_server *srv;
	struct arena *arena;
	const char *params[HTTP_MAX_PARAMS];
	const char *allow; /* the methods of a known path, else NULL */
	bool known;        /* allow != NULL */
};

static const char p_students[] = "/api/v1/students";
static const char p_export[] = "/api/v1/students/export";
static const char p_student[] = "/api/v1/students/{ref}";
static const char p_class[] = "/api/v1/schools/{code}/classes/{name}/students";

static int
setup(void **state)
{
	struct http_limits limits;
	struct fx *x = calloc(1, sizeof(*x));

	if (x == NULL)
		return -1;
	http_limits_default(&limits);
	x->srv = http_server_new(NULL, &limits);
	x->arena = arena_new();
	if (x->srv == NULL || x->arena == NULL)
		return -1;
	/* Literal routes first, as the server's modules register them. */
	if (http_route(x->srv, "GET", "/", h_root, HTTP_PAGE) != 0 ||
	    http_route(x->srv, "GET", p_students, h_list, HTTP_STAFF) != 0 ||
	    http_route(x->srv, "POST", p_students, h_create, HTTP_STAFF) != 0 ||
	    http_route(x->srv, "GET", p_export, h_export, HTTP_STAFF) != 0 ||
	    http_route(x->srv, "GET", p_student, h_one, HTTP_STAFF) != 0 ||
	    http_route(x->srv, "PUT", p_student, h_create, HTTP_STAFF) != 0 ||
	    http_route(x->srv, "GET", p_class, h_class, HTTP_STAFF) != 0)
		return -1;
	*state = x;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *x = *state;

	http_server_free(x->srv);
	arena_free(x->arena);
	free(x);
	return 0;
}

static const struct route *
match(struct fx *x, const char *method, const char *path)
{
	const struct route *r;

	memset(x->params, 0, sizeof(x->params));
	x->allow = "stale"; /* must be set either way */
	r = router_match(x->srv, method, path, x->arena, x->params, &x->allow);
	x->known = x->allow != NULL;
	return r;
}

static void
test_server_new(void **state)
{
	struct fx *x = *state;
	struct http_limits limits;

	http_limits_default(&limits);
	assert_null(x->srv->pool);
	assert_null(x->srv->daemon);
	assert_int_equal(x->srv->limits.max_body, limits.max_body);
	assert_int_equal(x->srv->limits.threads, limits.threads);
	assert_int_equal(x->srv->nroutes, 7);
	assert_int_equal(x->srv->metrics.nseries, 0);
}

static void
test_literal(void **state)
{
	struct fx *x = *state;
	const struct route *r;

	r = match(x, "GET", "/api/v1/students");
	assert_non_null(r);
	assert_ptr_equal(r->handler, h_list);
	assert_int_equal(r->flags, HTTP_STAFF);
	/* The pattern is the registered pointer: metrics key on it. */
	assert_ptr_equal(r->pattern, p_students);
	assert_null(x->params[0]);

	r = match(x, "POST", "/api/v1/students");
	assert_non_null(r);
	assert_ptr_equal(r->handler, h_create);

	r = match(x, "GET", "/");
	assert_non_null(r);
	assert_ptr_equal(r->handler, h_root);
	assert_int_equal(r->flags, HTTP_PAGE);
}

static void
test_param_capture(void **state)
{
	struct fx *x = *state;
	const struct route *r;

	r = match(x, "GET", "/api/v1/students/k-17");
	assert_non_null(r);
	assert_ptr_equal(r->handler, h_one);
	assert_ptr_equal(r->pattern, p_student);
	assert_string_equal(x->params[0], "k-17");
	assert_null(x->params[1]);

	r = match(x, "GET", "/api/v1/schools/s1/classes/5А/students");
	assert_non_null(r);
	assert_ptr_equal(r->handler, h_class);
	assert_string_equal(x->params[0], "s1");
	assert_string_equal(x->params[1], "5А");

	/* A literal segment of the path is not a parameter name. */
	r = match(x, "GET", "/api/v1/students/{ref}");
	assert_non_null(r);
	assert_string_equal(x->params[0], "{ref}");
	/* Literal segments must match exactly around the captures. */
	assert_null(match(x, "GET", "/api/v1/schools/s1/class/5А/students"));
	assert_false(x->known);
	assert_null(match(x, "GET", "/api/v1/schools/s1/classes/5А/student"));
	assert_false(x->known);
}

/* The captures are copies: the path the caller gave may change. */
static void
test_params_are_copies(void **state)
{
	struct fx *x = *state;
	char path[] = "/api/v1/students/k1";

	assert_non_null(match(x, "GET", path));
	memset(path, 'x', sizeof(path) - 1);
	assert_string_equal(x->params[0], "k1");
}

static void
test_literal_before_param(void **state)
{
	struct fx *x = *state;
	const struct route *r;

	r = match(x, "GET", "/api/v1/students/export");
	assert_non_null(r);
	assert_ptr_equal(r->handler, h_export);
	/* PUT has no literal route: the {ref} one takes "export". */
	r = match(x, "PUT", "/api/v1/students/export");
	assert_non_null(r);
	assert_ptr_equal(r->handler, h_create);
	assert_string_equal(x->params[0], "export");
}

static void
test_head_is_get(void **state)
{
	struct fx *x = *state;
	const struct route *r;

	r = match(x, "HEAD", "/api/v1/students");
	assert_non_null(r);
	assert_ptr_equal(r->handler, h_list);
	assert_string_equal(r->method, "GET");
	r = match(x, "HEAD", "/api/v1/students/k1");
	assert_non_null(r);
	assert_ptr_equal(r->handler, h_one);
	assert_string_equal(x->params[0], "k1");
	/* GET is not answered by other methods' handlers. */
	assert_null(match(x, "GET", "/nowhere"));
}

static void
test_wrong_method(void **state)
{
	struct fx *x = *state;

	/* A known path: NULL, and the methods it answers (for Allow). */
	assert_null(match(x, "DELETE", "/api/v1/students"));
	assert_true(x->known);
	assert_string_equal(x->allow, "GET, HEAD, POST");
	assert_null(match(x, "POST", "/api/v1/students/k1"));
	assert_true(x->known);
	assert_string_equal(x->allow, "GET, HEAD, PUT");
	assert_null(match(x, "POST", "/"));
	assert_true(x->known);
	assert_string_equal(x->allow, "GET, HEAD");
	/* Methods are case-sensitive (RFC 9110). */
	assert_null(match(x, "get", "/api/v1/students"));
	assert_true(x->known);
	/* HEAD falls back to GET only: a POST-only path is a 405. */
	assert_int_equal(
	        http_route(x->srv, "POST", "/api/v1/login", h_create, 0), 0);
	assert_null(match(x, "HEAD", "/api/v1/login"));
	assert_string_equal(x->allow, "POST");
	assert_null(match(x, "GET", "/api/v1/login"));
	assert_string_equal(x->allow, "POST");
	assert_null(match(x, "HEAD", "/api/v1/schools"));
	assert_false(x->known);
}

/*
 * When a literal and a {param} route both fit the path, Allow holds the
 * methods of both (each once would be tidier: see the report).
 */
static void
test_allow_shadowed_literal(void **state)
{
	struct fx *x = *state;

	assert_null(match(x, "DELETE", "/api/v1/students/export"));
	assert_true(x->known);
	/* Two GET routes fit the path; GET is named once. */
	assert_string_equal(x->allow, "GET, HEAD, PUT");
}

static void
test_unknown_path(void **state)
{
	struct fx *x = *state;

	assert_null(match(x, "GET", "/api/v1/teachers"));
	assert_false(x->known);
	assert_null(match(x, "GET", "/api/v1"));
	assert_false(x->known);
	assert_null(match(x, "GET", "/api/v1/students/k1/extra"));
	assert_false(x->known);
	assert_null(match(x, "GET", "/API/v1/students"));
	assert_false(x->known);
	/* No segments at all: the same as "/". */
	assert_ptr_equal(match(x, "GET", "")->handler, h_root);
}

/*
 * Empty segments are dropped before matching: a trailing slash and doubled
 * slashes reach the same route as the clean path, and never produce an
 * empty {param}.
 */
static void
test_empty_segments(void **state)
{
	struct fx *x = *state;
	const struct route *r;

	r = match(x, "GET", "/api/v1/students/");
	assert_non_null(r);
	assert_ptr_equal(r->handler, h_list);
	r = match(x, "GET", "//api//v1///students");
	assert_non_null(r);
	assert_ptr_equal(r->handler, h_list);
	r = match(x, "GET", "/api/v1/students/k1/");
	assert_non_null(r);
	assert_ptr_equal(r->handler, h_one);
	assert_string_equal(x->params[0], "k1");
	/* "students//" is the list, not {ref} = "". */
	r = match(x, "GET", "/api/v1/students//");
	assert_non_null(r);
	assert_ptr_equal(r->handler, h_list);
	assert_null(x->params[0]);
	r = match(x, "GET", "/api/v1/schools/s1/classes//students");
	assert_null(r);
	assert_false(x->known);
	r = match(x, "GET", "//");
	assert_non_null(r);
	assert_ptr_equal(r->handler, h_root);
}

/* Appends to a 256-byte test buffer. */
static void
append(char buf[256], const char *s)
{
	size_t len = strlen(buf);

	assert_true((size_t)snprintf(buf + len, 256 - len, "%s", s) <
	            256 - len);
}

static void
test_too_many_segments(void **state)
{
	struct fx *x = *state;
	char path[256] = "", pattern[256] = "";
	int i;

	/* HTTP_MAX_SEGMENTS segments register and match... */
	for (i = 0; i < HTTP_MAX_SEGMENTS; i++) {
		append(pattern, i == HTTP_MAX_SEGMENTS - 1 ? "/{last}" : "/s");
		append(path, i == HTTP_MAX_SEGMENTS - 1 ? "/end" : "/s");
	}
	assert_int_equal(http_route(x->srv, "GET", pattern, h_list, 0), 0);
	assert_non_null(match(x, "GET", path));
	assert_string_equal(x->params[0], "end");
	/* ...one more does neither, and the path is not "known". */
	append(path, "/s");
	assert_null(match(x, "GET", path));
	assert_false(x->known);
	append(pattern, "/s");
	assert_int_equal(http_route(x->srv, "GET", pattern, h_list, 0), -1);
	assert_int_equal(x->srv->nroutes, 8);
	/* Far too many: refused without reading past the array. */
	path[0] = '\0';
	for (i = 0; i < 60; i++)
		append(path, "/a");
	assert_null(match(x, "GET", path));
	assert_false(x->known);
}

/* A pattern with empty segments is stored and freed whole (ASan). */
static void
test_pattern_with_empty_segments(void **state)
{
	struct fx *x = *state;
	const struct route *r;

	assert_int_equal(
	        http_route(x->srv, "GET", "//api//v2//{id}//", h_one, 0), 0);
	r = match(x, "GET", "/api/v2/7");
	assert_non_null(r);
	assert_ptr_equal(r->handler, h_one);
	assert_string_equal(x->params[0], "7");
}

static void
test_route_table_limit(void **state)
{
	struct fx *x = *state;
	int i, added = 0;

	for (i = x->srv->nroutes; i < HTTP_MAX_ROUTES + 5; i++)
		if (http_route(x->srv, "GET", "/filler/{n}", h_list, 0) == 0)
			added++;
	assert_int_equal(x->srv->nroutes, HTTP_MAX_ROUTES);
	assert_int_equal(added, HTTP_MAX_ROUTES - 7);
	/* The earlier routes still work. */
	assert_non_null(match(x, "GET", "/api/v1/students"));
}

/* --- Metrics --------------------------------------------------------- */

/* The value on the line that starts with `prefix`, or -1. */
static double
metric(const char *text, const char *prefix)
{
	const char *p = text;
	size_t n = strlen(prefix);

	while (p != NULL && *p != '\0') {
		if (strncmp(p, prefix, n) == 0 && p[n] == ' ')
			return strtod(p + n + 1, NULL);
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return -1;
}

static bool
has_line(const char *text, const char *line)
{
	const char *p = strstr(text, line);
	size_t n = strlen(line);

	while (p != NULL) {
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return true;
		p = strstr(p + 1, line);
	}
	return false;
}

#define BUCKET(le) "qorgan_http_request_duration_seconds_bucket{le=\"" le "\"}"

static void
test_metrics_render(void **state)
{
	static const char route_a[] = "/api/v1/students";
	static const char route_b[] = "/api/v1/students/{ref}";
	static const char *const les[] = {"0.0005", "0.001", "0.0025", "0.005",
	                                  "0.01",   "0.025", "0.05",   "0.1",
	                                  "0.25",   "0.5",   "1",      "2.5"};
	static const int want_cumulative[] = {2, 2, 3, 3, 4, 4,
	                                      4, 4, 4, 5, 5, 5};
	struct http_limits limits;
	struct http_server *srv;
	struct store_pool *pool;
	struct testdb t;
	struct store *db;
	char err[256], line[256], *text;
	double prev = 0;
	struct buf out;
	size_t i;
	int64_t n;

	(void)state;
	assert_non_null(testdb_open(&t));
	pool = store_pool_open(t.path, 2, err, sizeof(err));
	assert_non_null(pool);
	http_limits_default(&limits);
	srv = http_server_new(pool, &limits);
	assert_non_null(srv);

	/* Some time in the database on one of the pool's connections. */
	db = store_pool_get(pool);
	assert_int_equal(
	        store_query_int(db, &n, "SELECT COUNT(*) FROM students", ""),
	        STORE_ROW);
	store_pool_put(pool, db);
	assert_true(store_pool_time_ns(pool) > 0);

	metrics_observe(&srv->metrics, route_a, "GET", 200, 0.0003);
	metrics_observe(&srv->metrics, route_a, "GET", 200, 0.002);
	metrics_observe(&srv->metrics, route_a, "POST", 201, 0.01); /* = le */
	metrics_observe(&srv->metrics, route_b, "GET", 404, 0.3);
	/* Same method and status, another route: another series. */
	metrics_observe(&srv->metrics, route_b, "GET", 200, 0.0001);
	metrics_observe(&srv->metrics, route_b, "BREW", 418, 5.0);
	metrics_in_flight(&srv->metrics, 3);
	metrics_in_flight(&srv->metrics, -1);

	buf_init(&out);
	assert_int_equal(http_metrics_render(srv, &out), 0);
	text = out.data;
	assert_non_null(text);

	assert_true(
	        has_line(text, "# TYPE qorgan_http_requests_total counter"));
	assert_true(has_line(text,
	                     "qorgan_http_requests_total{route=\"/api/v1/"
	                     "students\",method=\"GET\",status=\"200\"} 2"));
	assert_true(has_line(text,
	                     "qorgan_http_requests_total{route=\"/api/v1/"
	                     "students\",method=\"POST\",status=\"201\"} 1"));
	assert_true(has_line(text, "qorgan_http_requests_total{route=\"/api/v1/"
	                           "students/{ref}\",method=\"GET\","
	                           "status=\"404\"} 1"));
	assert_true(has_line(text, "qorgan_http_requests_total{route=\"/api/v1/"
	                           "students/{ref}\",method=\"GET\","
	                           "status=\"200\"} 1"));
	/* Unknown methods are folded into one label value. */
	assert_true(has_line(text, "qorgan_http_requests_total{route=\"/api/v1/"
	                           "students/{ref}\",method=\"other\","
	                           "status=\"418\"} 1"));
	assert_null(strstr(text, "BREW"));

	assert_true(has_line(
	        text, "# TYPE qorgan_http_request_duration_seconds histogram"));
	/* Buckets are cumulative, in order, and +Inf is the count. */
	for (i = 0; i < sizeof(les) / sizeof(les[0]); i++) {
		double v;

		snprintf(line, sizeof(line),
		         "qorgan_http_request_duration_seconds_bucket{le=\"%"
		         "s\"}",
		         les[i]);
		v = metric(text, line);
		if (v != want_cumulative[i])
			fail_msg("%s is %g; want %d", line, v,
			         want_cumulative[i]);
		assert_true(v >= prev);
		prev = v;
		/* Lines come in bucket order. */
		if (i > 0) {
			char before[256];

			snprintf(before, sizeof(before),
			         "qorgan_http_request_duration_seconds_bucket"
			         "{le=\"%s\"}",
			         les[i - 1]);
			assert_true(strstr(text, before) < strstr(text, line));
		}
	}
	assert_true(has_line(text, BUCKET("+Inf") " 6"));
	assert_true(
	        has_line(text, "qorgan_http_request_duration_seconds_count 6"));
	assert_true(has_line(text, "qorgan_http_request_duration_seconds_sum "
	                           "5.312400"));
	assert_true(strstr(text, BUCKET("2.5")) < strstr(text, BUCKET("+Inf")));

	assert_true(
	        has_line(text, "# TYPE qorgan_http_requests_in_flight gauge"));
	assert_true(has_line(text, "qorgan_http_requests_in_flight 2"));
	assert_true(
	        has_line(text, "# TYPE qorgan_db_time_seconds_total counter"));
	/* The pool's own figure, nothing else touched it since. */
	snprintf(line, sizeof(line), "qorgan_db_time_seconds_total %.6f",
	         (double)store_pool_time_ns(pool) / 1e9);
	assert_true(has_line(text, line));
	/* Every line ends with a newline, as the exposition format wants. */
	assert_int_equal(text[out.len - 1], '\n');
	buf_free(&out);

	http_server_free(srv);
	store_pool_close(pool);
	testdb_close(&t);
}

/* A server nobody has asked anything: zero everywhere, still well formed. */
static void
test_metrics_empty(void **state)
{
	struct http_limits limits;
	struct http_server *srv;
	struct store_pool *pool;
	struct testdb t;
	char err[256];
	struct buf out;

	(void)state;
	assert_non_null(testdb_open(&t));
	pool = store_pool_open(t.path, 1, err, sizeof(err));
	assert_non_null(pool);
	http_limits_default(&limits);
	srv = http_server_new(pool, &limits);
	buf_init(&out);
	assert_int_equal(http_metrics_render(srv, &out), 0);
	assert_null(strstr(out.data, "qorgan_http_requests_total{"));
	assert_true(has_line(out.data, BUCKET("0.0005") " 0"));
	assert_true(has_line(out.data, BUCKET("+Inf") " 0"));
	assert_true(has_line(out.data,
	                     "qorgan_http_request_duration_seconds_count 0"));
	assert_true(has_line(out.data, "qorgan_http_requests_in_flight 0"));
	buf_free(&out);
	http_server_free(srv);
	store_pool_close(pool);
	testdb_close(&t);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        T(test_server_new),
	        T(test_literal),
	        T(test_param_capture),
	        T(test_params_are_copies),
	        T(test_literal_before_param),
	        T(test_head_is_get),
	        T(test_wrong_method),
	        T(test_allow_shadowed_literal),
	        T(test_unknown_path),
	        T(test_empty_segments),
	        T(test_too_many_segments),
	        T(test_pattern_with_empty_segments),
	        T(test_route_table_limit),
	        cmocka_unit_test(test_metrics_render),
	        cmocka_unit_test(test_metrics_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
