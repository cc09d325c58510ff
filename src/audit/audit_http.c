/*
 * Handlers for the audit log.  All three take the same query parameters,
 * read once here: school (a code), from and to (YYYY-MM-DD, UTC, inclusive),
 * action (a prefix such as "student."), before (an id, for paging) and
 * limit.  Every value that passes is made only of URL-safe characters, so
 * the page builds its links from them without further encoding.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/auth_http.h"
#include "http/http.h"
#include "core/validate.h"
#include "web/i18n.h"
#include "web/page.h"

/* The longest decimal number accepted for before and limit. */
#define AUDIT_NUMBER_MAX_DIGITS 18

struct audit_params {
	struct audit_filter f;
	const char *school; /* the code as given, or NULL */
};

/* A query value, with "" (an empty form field) read as absent. */
static const char *
query_value(struct http_request *req, const char *name)
{
	const char *v = http_query(req, name);

	return v != NULL && v[0] != '\0' ? v : NULL;
}

/* A positive decimal of at most `max`; false otherwise. */
static bool
parse_positive(const char *s, int64_t max, int64_t *out)
{
	char *end;
	long long v;
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (s[i] < '0' || s[i] > '9' || i >= AUDIT_NUMBER_MAX_DIGITS)
			return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v <= 0 || v > max)
		return false;
	*out = v;
	return true;
}

/*
 * Checks the caller's permission and reads the parameters.  Returns 0, or
 * -1 after answering (403, 422; 500 as a failed handler).
 */
static int
read_params(struct http_request *req, struct http_response *res, int max_limit,
            struct audit_params *ap, bool *failed)
{
	const struct principal *p = auth_principal(req);
	const char *v;
	int64_t n;

	memset(ap, 0, sizeof(*ap));
	*failed = false;
	if (!auth_allowed(p, PERM_AUDIT_READ)) {
		http_problem(res, 403, "the audit log is not yours to read");
		return -1;
	}
	if ((v = query_value(req, "school")) != NULL) {
		if (!validate_code(v)) {
			http_problem(res, 422, "school: not a school code");
			return -1;
		}
		n = audit_school_id(req->db, v);
		if (n == -1) {
			*failed = true;
			return -1;
		}
		if (n == 0) {
			http_problem(res, 422, "school: no such school");
			return -1;
		}
		if (!auth_school_visible(req->db, p, n)) {
			http_problem(res, 403,
			             "this school is not yours to see");
			return -1;
		}
		ap->school = v;
		ap->f.school_id = n;
	}
	ap->f.from = query_value(req, "from");
	if (ap->f.from != NULL && !validate_date(ap->f.from)) {
		http_problem(res, 422, "from: a date YYYY-MM-DD is expected");
		return -1;
	}
	ap->f.to = query_value(req, "to");
	if (ap->f.to != NULL && !validate_date(ap->f.to)) {
		http_problem(res, 422, "to: a date YYYY-MM-DD is expected");
		return -1;
	}
	if (ap->f.from != NULL && ap->f.to != NULL &&
	    strcmp(ap->f.from, ap->f.to) > 0) {
		http_problem(res, 422, "to: earlier than from");
		return -1;
	}
	ap->f.action_prefix = query_value(req, "action");
	if (ap->f.action_prefix != NULL &&
	    !audit_action_ok(ap->f.action_prefix)) {
		http_problemf(res, 422,
		              "action: up to %d of a-z, 0-9, '.' and '_'",
		              AUDIT_ACTION_MAX);
		return -1;
	}
	if ((v = query_value(req, "before")) != NULL) {
		if (!parse_positive(v, INT64_MAX, &ap->f.before_id)) {
			http_problem(res, 422,
			             "before: a positive id is expected");
			return -1;
		}
	}
	if ((v = query_value(req, "limit")) != NULL) {
		if (!parse_positive(v, max_limit, &n)) {
			http_problemf(res, 422, "limit: 1 to %d", max_limit);
			return -1;
		}
		ap->f.limit = (int)n;
	}
	return 0;
}

/* The id of the last line when the page is full, else 0 (no more). */
static int64_t
next_before(json_t *entries, int limit)
{
	size_t n = json_array_size(entries);

	if (n == 0 || n < (size_t)limit)
		return 0;
	return json_integer_value(
	        json_object_get(json_array_get(entries, n - 1), "id"));
}

static int
get_audit_json(struct http_request *req, struct http_response *res)
{
	struct audit_params ap;
	json_t *entries, *out;
	int64_t before;
	bool failed;
	int rc;

	if (read_params(req, res, AUDIT_LIST_MAX, &ap, &failed) == -1)
		return failed ? -1 : 0;
	entries = audit_list(req->db, auth_principal(req), &ap.f);
	if (entries == NULL)
		return -1;
	before = next_before(entries,
	                     ap.f.limit > 0 ? ap.f.limit : AUDIT_LIST_DEFAULT);
	/* next_before: pass it as `before` for the next page; null at the
	 * end. */
	out = json_pack("{s:o, s:o}", "entries", entries, "next_before",
	                before > 0 ? json_integer(before) : json_null());
	if (out == NULL)
		return -1;
	rc = http_json(res, 200, out);
	json_decref(out);
	return rc;
}

static int
get_audit_csv(struct http_request *req, struct http_response *res)
{
	struct audit_params ap;
	struct buf out;
	bool failed;

	if (read_params(req, res, AUDIT_EXPORT_MAX, &ap, &failed) == -1)
		return failed ? -1 : 0;
	buf_init(&out);
	if (audit_export_csv(req->db, auth_principal(req), &ap.f, &out) == -1) {
		buf_free(&out);
		return -1;
	}
	buf_free(&res->body);
	res->body = out;
	res->status = 200;
	res->content_type = "text/csv; charset=utf-8";
	return http_add_header(res, "Content-Disposition",
	                       "attachment; filename=\"qorgan-audit.csv\"");
}

/* "?school=..&from=..": the filters (never before/limit), or "". */
static char *
filter_query(struct http_request *req, const struct audit_params *ap)
{
	const char *names[] = {"school", "from", "to", "action"};
	const char *values[] = {ap->school, ap->f.from, ap->f.to,
	                        ap->f.action_prefix};
	char *q = "";
	size_t i;

	for (i = 0; i < 4 && q != NULL; i++)
		if (values[i] != NULL)
			q = arena_printf(req->arena, "%s%c%s=%s", q,
			                 q[0] == '\0' ? '?' : '&', names[i],
			                 values[i]);
	return q;
}

static int
get_audit_page(struct http_request *req, struct http_response *res)
{
	struct audit_params ap;
	json_t *entries, *ctx;
	char *query, *older = NULL;
	int64_t before;
	bool failed;

	if (read_params(req, res, AUDIT_LIST_MAX, &ap, &failed) == -1)
		return failed ? -1 : 0;
	if ((query = filter_query(req, &ap)) == NULL)
		return -1;
	entries = audit_list(req->db, auth_principal(req), &ap.f);
	if (entries == NULL)
		return -1;
	before = next_before(entries,
	                     ap.f.limit > 0 ? ap.f.limit : AUDIT_LIST_DEFAULT);
	if (before > 0 && ap.f.limit > 0)
		older = arena_printf(req->arena,
		                     "/audit%s%climit=%d&before=%lld", query,
		                     query[0] == '\0' ? '?' : '&', ap.f.limit,
		                     (long long)before);
	else if (before > 0)
		older = arena_printf(req->arena, "/audit%s%cbefore=%lld", query,
		                     query[0] == '\0' ? '?' : '&',
		                     (long long)before);
	ctx = json_pack("{s:{s:s?, s:s?, s:s?, s:s?}, s:b, s:o, s:s?, s:s?}",
	                "filter", "school", ap.school, "from", ap.f.from, "to",
	                ap.f.to, "action", ap.f.action_prefix, "has_entries",
	                json_array_size(entries) > 0, "entries", entries,
	                "export",
	                arena_printf(req->arena, "/api/v1/audit.csv%s", query),
	                "older", older);
	if (ctx == NULL)
		return -1;
	return page_render(req, res, 200, N_("Audit log"), "audit", ctx);
}

int
audit_http_register(struct http_server *srv)
{
	if (http_route(srv, "GET", "/api/v1/audit", get_audit_json,
	               HTTP_STAFF) ||
	    http_route(srv, "GET", "/api/v1/audit.csv", get_audit_csv,
	               HTTP_STAFF) ||
	    http_route(srv, "GET", "/audit", get_audit_page,
	               HTTP_PAGE | HTTP_STAFF))
		return -1;
	return 0;
}
