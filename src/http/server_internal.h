/* Shared between the files of src/http only. */
#ifndef QORGAN_HTTP_SERVER_INTERNAL_H
#define QORGAN_HTTP_SERVER_INTERNAL_H

#include <microhttpd.h>
#include <pthread.h>

#include "http/http.h"

#define HTTP_MAX_ROUTES   128
#define HTTP_MAX_SEGMENTS 12

struct route {
	const char *method;
	const char *pattern;
	char *storage; /* the split copy of pattern that segments point into */
	char *segments[HTTP_MAX_SEGMENTS];
	int nsegments;
	http_handler handler;
	int flags;
};

/* Latency buckets (seconds) of the request histogram. */
#define METRICS_BUCKETS 12
#define METRICS_SERIES  512

struct metrics_series {
	const char *route; /* a route pattern: static, never a raw path */
	const char *method;
	int status;
	uint64_t count;
};

struct metrics {
	pthread_mutex_t lock;
	struct metrics_series series[METRICS_SERIES];
	size_t nseries;
	uint64_t buckets[METRICS_BUCKETS + 1];
	double latency_sum;
	uint64_t latency_count;
	int64_t in_flight;
};

struct http_server {
	struct MHD_Daemon *daemon;
	struct store_pool *pool;
	struct http_limits limits;
	struct route routes[HTTP_MAX_ROUTES];
	int nroutes;
	http_authenticate_fn authenticate;
	http_csrf_fn csrf;
	http_error_page_fn error_page;
	bool tls;
	struct metrics metrics;
};

const struct route *router_match(struct http_server *srv, const char *method,
                                 const char *path, struct arena *arena,
                                 const char **params, const char **allow);
void router_free(struct http_server *srv);

void metrics_init(struct metrics *m);
void metrics_free(struct metrics *m);
void metrics_observe(struct metrics *m, const char *route, const char *method,
                     int status, double seconds);
void metrics_in_flight(struct metrics *m, int delta);

int form_parse(struct http_request *req, struct MHD_Connection *conn);

#endif
