/*
 * Prometheus text exposition of request counts by route and status, a
 * latency histogram and time spent in the database.  Series are keyed by
 * route pattern, never by raw path, so their number stays bounded.
 */
#include "http/server_internal.h"

#include <string.h>

static const double bucket_bounds[METRICS_BUCKETS] = {
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
        0.05,   0.1,   0.25,   0.5,   1.0,  2.5,
};

void
metrics_init(struct metrics *m)
{
	memset(m, 0, sizeof(*m));
	pthread_mutex_init(&m->lock, NULL);
}

void
metrics_free(struct metrics *m)
{
	pthread_mutex_destroy(&m->lock);
}

void
metrics_in_flight(struct metrics *m, int delta)
{
	__atomic_add_fetch(&m->in_flight, delta, __ATOMIC_RELAXED);
}

/*
 * Series outlive the request, so they keep static strings only: the
 * method's pointer belongs to libmicrohttpd's connection.
 */
static const char *
method_name(const char *method)
{
	static const char *const known[] = {"GET",   "HEAD",   "POST",   "PUT",
	                                    "PATCH", "DELETE", "OPTIONS"};
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(known[i], method) == 0)
			return known[i];
	return "other";
}

void
metrics_observe(struct metrics *m, const char *route, const char *method,
                int status, double seconds)
{
	struct metrics_series *s = NULL;
	size_t i;
	int b;

	method = method_name(method);
	pthread_mutex_lock(&m->lock);
	for (i = 0; i < m->nseries; i++) {
		s = &m->series[i];
		if (s->status == status && s->route == route &&
		    s->method == method)
			break;
	}
	if (i == m->nseries) {
		s = NULL;
		if (m->nseries < METRICS_SERIES) {
			s = &m->series[m->nseries++];
			s->route = route;
			s->method = method;
			s->status = status;
		}
	}
	if (s != NULL)
		s->count++;
	for (b = 0; b < METRICS_BUCKETS && seconds > bucket_bounds[b]; b++)
		;
	m->buckets[b]++;
	m->latency_sum += seconds;
	m->latency_count++;
	pthread_mutex_unlock(&m->lock);
}

int
http_metrics_render(struct http_server *srv, struct buf *out)
{
	struct metrics *m = &srv->metrics;
	uint64_t cumulative = 0;
	size_t i;

	pthread_mutex_lock(&m->lock);
	buf_puts(out, "# HELP qorgan_http_requests_total HTTP requests "
	              "answered, by route and status.\n"
	              "# TYPE qorgan_http_requests_total counter\n");
	for (i = 0; i < m->nseries; i++)
		buf_printf(out,
		           "qorgan_http_requests_total{route=\"%s\","
		           "method=\"%s\",status=\"%d\"} %llu\n",
		           m->series[i].route, m->series[i].method,
		           m->series[i].status,
		           (unsigned long long)m->series[i].count);
	buf_puts(out, "# HELP qorgan_http_request_duration_seconds Time "
	              "to answer a request.\n"
	              "# TYPE qorgan_http_request_duration_seconds "
	              "histogram\n");
	for (i = 0; i < METRICS_BUCKETS; i++) {
		cumulative += m->buckets[i];
		buf_printf(out,
		           "qorgan_http_request_duration_seconds_bucket"
		           "{le=\"%g\"} %llu\n",
		           bucket_bounds[i], (unsigned long long)cumulative);
	}
	cumulative += m->buckets[METRICS_BUCKETS];
	buf_printf(out,
	           "qorgan_http_request_duration_seconds_bucket{le=\"+Inf\"} "
	           "%llu\n"
	           "qorgan_http_request_duration_seconds_sum %.6f\n"
	           "qorgan_http_request_duration_seconds_count %llu\n",
	           (unsigned long long)cumulative, m->latency_sum,
	           (unsigned long long)m->latency_count);
	pthread_mutex_unlock(&m->lock);
	buf_printf(out,
	           "# HELP qorgan_http_requests_in_flight Requests being "
	           "answered now.\n"
	           "# TYPE qorgan_http_requests_in_flight gauge\n"
	           "qorgan_http_requests_in_flight %lld\n"
	           "# HELP qorgan_db_time_seconds_total Time spent inside "
	           "the database.\n"
	           "# TYPE qorgan_db_time_seconds_total counter\n"
	           "qorgan_db_time_seconds_total %.6f\n",
	           (long long)__atomic_load_n(&m->in_flight, __ATOMIC_RELAXED),
	           (double)store_pool_time_ns(srv->pool) / 1e9);
	return out->failed ? -1 : 0;
}
