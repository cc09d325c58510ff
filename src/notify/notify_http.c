/*
 * The staff inbox.
 *
 *   GET  /notices                  page: the signed-in user's notices
 *   POST /notices/{id}/read        form (csrf): marks one read
 *   GET  /api/v1/notices?limit=N   200 {notices:[...], unread}
 *
 * A person only ever sees their own notices, so there is no scope check
 * beyond "signed-in staff", and no audit line: a notice names at most a
 * child's first name, and the reader is the person it was addressed to.
 */
#include "notify/notify.h"

#include <stdlib.h>
#include <string.h>

#include "auth/auth_http.h"
#include "http/http.h"
#include "web/i18n.h"
#include "web/page.h"

/* The signed-in member of staff, or -1 after answering 403. */
static int64_t
staff_user(struct http_request *req, struct http_response *res, bool page)
{
	const struct principal *p = auth_principal(req);

	if (p == NULL || p->kind != PRINCIPAL_STAFF) {
		http_problem(
		        res, 403,
		        page ? i18n_get(req->lang, N_("only staff may do that"))
		             : "only staff may do that");
		return -1;
	}
	return p->user_id;
}

/* ?limit=, 1..NOTIFY_INBOX_MAX, default 50; false when malformed. */
static bool
limit_param(struct http_request *req, size_t *limit)
{
	const char *s = http_query(req, "limit");
	char *end;
	long v;

	*limit = 50;
	if (s == NULL)
		return true;
	v = strtol(s, &end, 10);
	if (*end != '\0' || end == s || v < 1 || v > NOTIFY_INBOX_MAX)
		return false;
	*limit = (size_t)v;
	return true;
}

static int
api_notices(struct http_request *req, struct http_response *res)
{
	int64_t user = staff_user(req, res, false), unread = 0;
	json_t *list, *out;
	size_t limit;
	int rc;

	if (user == -1)
		return 0;
	if (!limit_param(req, &limit))
		return http_problemf(res, 422, "limit must be 1..%d",
		                     NOTIFY_INBOX_MAX);
	if (notify_inbox(req->db, user, limit, &list, &unread) != NOTIFY_OK)
		return -1;
	out = json_pack("{s:o, s:I}", "notices", list, "unread",
	                (json_int_t)unread);
	rc = out != NULL ? http_json(res, 200, out) : -1;
	json_decref(out);
	return rc;
}

/* Adds each notice's label in the reader's language for the page. */
static void
label_notices(struct http_request *req, json_t *list)
{
	const char *event, *label;
	json_t *row;
	size_t i;

	json_array_foreach(list, i, row)
	{
		event = json_string_value(json_object_get(row, "event"));
		label = notify_event_label(event);
		json_object_set_new(
		        row, "label",
		        json_string(label != NULL ? i18n_get(req->lang, label)
		                                  : event));
	}
}

static int
page_notices(struct http_request *req, struct http_response *res)
{
	int64_t user = staff_user(req, res, true), unread = 0;
	json_t *list;

	if (user == -1)
		return 0;
	if (notify_inbox(req->db, user, NOTIFY_INBOX_MAX, &list, &unread) !=
	    NOTIFY_OK)
		return -1;
	label_notices(req, list);
	return page_render(req, res, 200, N_("Notices"), "notices",
	                   json_pack("{s:b, s:o, s:I}", "any",
	                             json_array_size(list) > 0, "notices", list,
	                             "unread", (json_int_t)unread));
}

static int
post_read(struct http_request *req, struct http_response *res)
{
	int64_t user = staff_user(req, res, true), id;
	char *end;
	int rc;

	if (user == -1)
		return 0;
	id = strtoll(req->params[0], &end, 10);
	if (*end != '\0' || end == req->params[0] || id <= 0)
		return http_problem(res, 404,
		                    i18n_get(req->lang, N_("no such notice")));
	rc = notify_mark_read(req->db, user, id);
	if (rc == NOTIFY_NOT_FOUND)
		return http_problem(res, 404,
		                    i18n_get(req->lang, N_("no such notice")));
	if (rc != NOTIFY_OK)
		return -1;
	return http_redirect(res, "/notices");
}

int
notify_http_register(struct http_server *srv)
{
	if (http_route(srv, "GET", "/notices", page_notices,
	               HTTP_PAGE | HTTP_STAFF) == -1 ||
	    http_route(srv, "POST", "/notices/{id}/read", post_read,
	               HTTP_PAGE | HTTP_STAFF) == -1 ||
	    http_route(srv, "GET", "/api/v1/notices", api_notices,
	               HTTP_STAFF) == -1)
		return -1;
	return 0;
}
