/*
 * The edge checks the access module's handlers share; see
 * access_http_internal.h.
 *
 * Watch for: the statuses and details here are the API's contract (the
 * API tests and the OpenAPI document name them), and the details are
 * msgids: changing one changes every route that answers it and needs the
 * translations changed with it.  Nothing here logs an identifier value.
 */
#include "access/access_http_internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "audit/audit.h"
#include "auth/auth_http.h"
#include "core/log.h"
#include "core/validate.h"
#include "web/i18n.h"

const struct input_field access_bind_input[ACCESS_BIND_COUNT] = {
        ACCESS_INPUT_IDENTIFIER("identifier"),
        {.name = "kind",
         .type = INPUT_STRING,
         .max_chars = 16,
         .valid = access_kind_valid},
};

static const struct input_field block_input[] = {
        {.name = "reason",
         .type = INPUT_STRING,
         .max_chars = ACCESS_REASON_MAX,
         .valid = access_reason_valid},
};

int
access_http_fail(struct http_request *req, struct http_response *res, bool page,
                 int status, const char *msgid)
{
	http_problem(res, status, page ? i18n_get(req->lang, msgid) : msgid);
	return 0;
}

/* 0 when the people module's look-up found its row (rc PEOPLE_OK);
 * otherwise answers 404 with `missing` or 500 and returns -1. */
static int
found(struct http_request *req, struct http_response *res, bool page, int rc,
      const char *missing)
{
	if (rc == PEOPLE_OK)
		return 0;
	access_http_fail(req, res, page, rc == PEOPLE_NOT_FOUND ? 404 : 500,
	                 rc == PEOPLE_NOT_FOUND ? missing
	                                        : N_("internal error"));
	return -1;
}

int
access_http_find_school(struct http_request *req, struct http_response *res,
                        bool page, int64_t *school_id)
{
	return found(req, res, page,
	             people_school_find(req->db, req->params[0], school_id),
	             N_("no such school"));
}

int
access_http_school(struct http_request *req, struct http_response *res,
                   bool page, int perm_a, int perm_b, int64_t *school_id)
{
	const struct principal *p = auth_principal(req);

	if (p == NULL || p->kind != PRINCIPAL_STAFF)
		return access_http_fail(req, res, page, 403,
		                        N_("only staff may do that")),
		       -1;
	if (access_http_find_school(req, res, page, school_id) == -1)
		return -1;
	if (!((perm_a < 0 || auth_allowed(p, (enum permission)perm_a)) ||
	      (perm_b >= 0 && auth_allowed(p, (enum permission)perm_b))) ||
	    !auth_school_visible(req->db, p, *school_id))
		return access_http_fail(
		               req, res, page, 403,
		               N_("you may not do that in this school")),
		       -1;
	return 0;
}

int
access_http_student(struct http_request *req, struct http_response *res,
                    bool page, int64_t school_id, const char *ref,
                    int64_t *student_id)
{
	if (found(req, res, page,
	          people_student_find(req->db, school_id, ref, student_id),
	          N_("no such student")) == -1)
		return -1;
	/* A class teacher reaches only the children of their classes. */
	if (!people_student_visible(req->db, auth_principal(req), school_id,
	                            ref)) {
		access_http_fail(req, res, page, 403,
		                 N_("you may see only your own classes"));
		return -1;
	}
	return 0;
}

bool
access_http_device(const struct principal *p, bool kiosk)
{
	return p != NULL && p->kind == PRINCIPAL_DEVICE &&
	       p->device_kind != NULL &&
	       (strcmp(p->device_kind, "gate") == 0 ||
	        (kiosk && strcmp(p->device_kind, "kiosk") == 0));
}

int
access_http_device_time(struct http_response *res, const char *s, int64_t *at)
{
	if (access_time_parse(s, at) == -1) {
		http_problem(res, 422, "at: not a valid value");
		return -1;
	}
	switch (access_time_window(*at, (int64_t)time(NULL))) {
	case ACCESS_WHEN_FUTURE:
		http_problemf(res, 422,
		              "at: more than %d seconds in the future",
		              ACCESS_FUTURE_SKEW_SECONDS);
		return -1;
	case ACCESS_WHEN_PAST:
		http_problemf(res, 422, "at: more than %d days in the past",
		              ACCESS_PAST_MAX_SECONDS / 86400);
		return -1;
	case ACCESS_WHEN_OK:
		break;
	}
	return 0;
}

int
access_http_days(struct http_request *req, struct http_response *res,
                 char today[PEOPLE_TIME_MAX], const char **from,
                 const char **to)
{
	int64_t days;
	bool ok;

	people_now(today);
	today[10] = '\0';
	*from = http_query(req, "from");
	*to = http_query(req, "to");
	if (*from == NULL)
		*from = today;
	if (*to == NULL)
		*to = today;
	if (!validate_date(*from))
		return http_problem(res, 422, "from: not a date (YYYY-MM-DD)"),
		       -1;
	if (!validate_date(*to))
		return http_problem(res, 422, "to: not a date (YYYY-MM-DD)"),
		       -1;
	days = access_days_between(*from, *to, &ok);
	if (!ok || days < 0)
		return http_problem(res, 422, "from: after to"), -1;
	if (days + 1 > ACCESS_RANGE_MAX_DAYS)
		return http_problemf(res, 422, "to: at most %d days from from",
		                     ACCESS_RANGE_MAX_DAYS),
		       -1;
	return 0;
}

int
access_http_audit_read(struct http_request *req, const char *action,
                       int64_t school_id, int64_t student_id)
{
	char object[24];

	snprintf(object, sizeof(object), "%lld", (long long)student_id);
	if (audit_record_read(req->db, auth_principal(req), action, school_id,
	                      "student", object) == 0)
		return 0;
	log_warnx("access: cannot audit a read action=%s id=%s", action,
	          req->request_id);
	return -1;
}

int
access_http_list_read(struct http_request *req, struct http_response *res,
                      const char *action, int64_t school_id, int64_t student_id,
                      const char *key, json_t *list)
{
	if (access_http_audit_read(req, action, school_id, student_id) == -1) {
		json_decref(list);
		return -1;
	}
	return access_http_json(res, 200, json_pack("{s:o}", key, list));
}

int
access_http_json(struct http_response *res, int status, json_t *out)
{
	int rc = out != NULL ? http_json(res, status, out) : -1;

	json_decref(out);
	return rc;
}

int
access_http_decision(struct http_response *res, const struct access_decision *d)
{
	return access_http_json(res, 200,
	                        json_pack("{s:s, s:s}", "decision",
	                                  d->allow ? "allow" : "deny", "reason",
	                                  d->reason));
}

int
access_http_block_request(struct http_request *req, struct http_response *res,
                          bool block, const char *value, json_t **body,
                          const char **reason)
{
	struct input_value in[1];
	char err[128];

	*body = NULL;
	*reason = NULL;
	if (block && req->body_len > 0) {
		if ((*body = http_json_body(req, res)) == NULL)
			return -1;
		memset(in, 0, sizeof(in));
		if (input_check(*body, block_input, 1, in, err, sizeof(err)) ==
		    -1) {
			http_problem(res, 422, err);
			return -1;
		}
		*reason = in[0].s;
	}
	if (!access_identifier_valid(value)) {
		http_problem(res, 404, "no such identifier");
		return -1;
	}
	return 0;
}

int
access_http_block_answer(struct http_response *res, int rc, bool block,
                         const char *taken)
{
	switch (rc) {
	case ACCESS_OK:
		return http_text(res, 204, NULL, "", 0);
	case ACCESS_NOT_FOUND:
		return http_problem(
		        res, 404,
		        block ? "no active identifier with this value"
		              : "no blocked identifier with this "
		                "value");
	case ACCESS_TAKEN:
		return http_problem(res, 409, taken);
	default:
		return -1;
	}
}

const char *
access_http_seg(struct http_request *req, const char *s)
{
	const char *out = http_url_encode(req->arena, s, "");

	return out != NULL ? out : "";
}
