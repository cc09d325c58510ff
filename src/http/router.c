/*
 * Routes are matched segment by segment; {name} segments capture.  The table
 * is small (tens of routes), so a linear scan is fast enough and keeps the
 * order of registration meaningful: literal routes are registered first.
 */
#include "http/server_internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/log.h"

static int
split_path(char *path, char **segments, int max)
{
	int n = 0;
	char *save = NULL, *seg;

	for (seg = strtok_r(path, "/", &save); seg != NULL;
	     seg = strtok_r(NULL, "/", &save)) {
		if (n == max)
			return -1;
		segments[n++] = seg;
	}
	return n;
}

static int
count_params(const struct route *r)
{
	int i, n = 0;

	for (i = 0; i < r->nsegments; i++)
		if (r->segments[i][0] == '{')
			n++;
	return n;
}

/* Appends `method` to the list unless it is there already. */
static char *
allow_add(struct arena *arena, char *methods, const char *method)
{
	const char *p;
	size_t n = strlen(method);

	if (methods == NULL)
		return arena_strdup(arena, method);
	for (p = strstr(methods, method); p != NULL; p = strstr(p + 1, method))
		if ((p == methods || p[-1] == ' ') &&
		    (p[n] == '\0' || p[n] == ','))
			return methods;
	return arena_printf(arena, "%s, %s", methods, method);
}

int
http_route(struct http_server *srv, const char *method, const char *pattern,
           http_handler handler, int flags)
{
	struct route *r;
	char *copy;

	if (srv->nroutes == HTTP_MAX_ROUTES) {
		log_warnx("http: too many routes");
		return -1;
	}
	r = &srv->routes[srv->nroutes];
	copy = strdup(pattern);
	if (copy == NULL)
		return -1;
	r->nsegments = split_path(copy, r->segments, HTTP_MAX_SEGMENTS);
	if (r->nsegments < 0 || count_params(r) > HTTP_MAX_PARAMS) {
		log_warnx("http: route %s has too many segments", pattern);
		free(copy);
		return -1;
	}
	r->storage = copy;
	r->method = method;
	r->pattern = pattern;
	r->handler = handler;
	r->flags = flags;
	srv->nroutes++;
	return 0;
}

void
router_free(struct http_server *srv)
{
	int i;

	for (i = 0; i < srv->nroutes; i++)
		free(srv->routes[i].storage);
}

static bool
segments_match(const struct route *r, char **segs, int nsegs,
               const char **params)
{
	int i, np = 0;

	if (r->nsegments != nsegs)
		return false;
	for (i = 0; i < nsegs; i++) {
		if (r->segments[i][0] == '{') {
			if (np == HTTP_MAX_PARAMS)
				return false;
			params[np++] = segs[i];
		} else if (strcmp(r->segments[i], segs[i]) != 0)
			return false;
	}
	return true;
}

/*
 * The route for method and path, or NULL.  *allow gets the methods the path
 * does answer (for a 405's Allow header), or NULL when no route has this
 * path at all.
 */
const struct route *
router_match(struct http_server *srv, const char *method, const char *path,
             struct arena *arena, const char **params, const char **allow)
{
	char *segs[HTTP_MAX_SEGMENTS], *copy, *methods = NULL;
	const struct route *r;
	int i, nsegs;

	*allow = NULL;
	copy = arena_strdup(arena, path);
	if (copy == NULL)
		return NULL;
	nsegs = split_path(copy, segs, HTTP_MAX_SEGMENTS);
	if (nsegs < 0)
		return NULL;
	for (i = 0; i < srv->nroutes; i++) {
		r = &srv->routes[i];
		if (!segments_match(r, segs, nsegs, params))
			continue;
		/* HEAD is answered by the GET handler; the body is dropped. */
		if (strcmp(r->method, method) == 0 ||
		    (strcmp(method, "HEAD") == 0 &&
		     strcmp(r->method, "GET") == 0))
			return r;
		methods = allow_add(arena, methods, r->method);
		if (methods != NULL && strcmp(r->method, "GET") == 0)
			methods = allow_add(arena, methods, "HEAD");
		*allow = methods != NULL ? methods : "";
	}
	return NULL;
}
