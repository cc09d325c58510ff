/*
 * Shared by the HTTP handlers of src/access/ only (access_http.c,
 * escort_http.c, duty_http.c, alarm_http.c): the checks every route makes
 * at the edge, written once so that the same mistake gets the same status
 * and words on every route.  Defined in access_http_util.c.
 *
 * `page` selects how a refusal is answered: false, a problem whose detail
 * is the English text; true, the error page with the detail translated
 * into the request's language.  Every function that answers returns -1
 * after answering (or 0 where it says so), so that a handler can return 0.
 */
#ifndef QORGAN_ACCESS_HTTP_INTERNAL_H
#define QORGAN_ACCESS_HTTP_INTERNAL_H

#include "access/access.h"
#include "http/http.h"
#include "http/input.h"
#include "people/people.h"

/* Fields of a device's body, as initialisers of a struct input_field
 * table: the identifier presented (named `field`), the direction, the
 * device's clock and its sequence number. */
#define ACCESS_INPUT_IDENTIFIER(field)                                         \
	{                                                                      \
		.name = (field), .type = INPUT_STRING, .required = true,       \
		.max_chars = ACCESS_IDENTIFIER_MAX,                            \
		.valid = access_identifier_valid                               \
	}
#define ACCESS_INPUT_DIRECTION                                                 \
	{                                                                      \
		.name = "direction", .type = INPUT_STRING, .required = true,   \
		.max_chars = 3, .valid = access_direction_valid                \
	}
#define ACCESS_INPUT_AT                                                        \
	{                                                                      \
		.name = "at", .type = INPUT_STRING, .required = true,          \
		.max_chars = ACCESS_TIME_INPUT_MAX, .valid = access_time_valid \
	}
#define ACCESS_INPUT_SEQ                                                       \
	{                                                                      \
		.name = "seq", .type = INPUT_INT, .required = true, .min = 0,  \
		.max = INT64_MAX                                               \
	}

/* {identifier, kind?}: binding an identifier to a student or an escort. */
enum { ACCESS_BIND_IDENTIFIER, ACCESS_BIND_KIND, ACCESS_BIND_COUNT };
extern const struct input_field access_bind_input[ACCESS_BIND_COUNT];

/* Answers status with the English msgid as detail (translated for a
 * page); returns 0. */
int access_http_fail(struct http_request *req, struct http_response *res,
                     bool page, int status, const char *msgid);

/* The school named by req->params[0] into *school_id; 404 or 500. */
int access_http_find_school(struct http_request *req, struct http_response *res,
                            bool page, int64_t *school_id);
/*
 * The school of req->params[0] when the caller is staff who may see it and
 * holds perm_a or perm_b (-1: none needed), in the people module's order:
 * not staff 403, unknown school 404, not allowed there 403.
 */
int access_http_school(struct http_request *req, struct http_response *res,
                       bool page, int perm_a, int perm_b, int64_t *school_id);
/* The student `ref` of the school into *student_id; 404 or 500, and 403
 * for a class teacher when the child is not of their classes. */
int access_http_student(struct http_request *req, struct http_response *res,
                        bool page, int64_t school_id, const char *ref,
                        int64_t *student_id);

/* Whether the caller is a gate (or, with `kiosk`, a gate or a kiosk). */
bool access_http_device(const struct principal *p, bool kiosk);
/* The device's clock `s` into *at when it is inside the window a device
 * may report in (access_time_window); 422 naming "at" otherwise. */
int access_http_device_time(struct http_response *res, const char *s,
                            int64_t *at);

/*
 * The days ?from=&to= of a history (UTC days; each defaults to today,
 * written into `today`), at most ACCESS_RANGE_MAX_DAYS; 422 naming the
 * field otherwise.
 */
int access_http_days(struct http_request *req, struct http_response *res,
                     char today[PEOPLE_TIME_MAX], const char **from,
                     const char **to);
/* Audits a staff read about a student; 0, or -1 (logged, nothing
 * answered: the handler's -1 makes it a 500). */
int access_http_audit_read(struct http_request *req, const char *action,
                           int64_t school_id, int64_t student_id);
/* Audits the read, then answers 200 {key: list}; takes `list`. */
int access_http_list_read(struct http_request *req, struct http_response *res,
                          const char *action, int64_t school_id,
                          int64_t student_id, const char *key, json_t *list);

/* Answers `out` (whose reference this takes) with status; -1 when out is
 * NULL (out of memory). */
int access_http_json(struct http_response *res, int status, json_t *out);
/* 200 {decision, reason}: what a device is told. */
int access_http_decision(struct http_response *res,
                         const struct access_decision *d);

/*
 * A block's optional {reason} body into *reason (NULL when none; an
 * unblock reads no body), then the identifier `value` of the path, 404
 * when it is none.  *body holds what the caller must json_decref, also
 * after -1.
 */
int access_http_block_request(struct http_request *req,
                              struct http_response *res, bool block,
                              const char *value, json_t **body,
                              const char **reason);
/* The answer to a block or unblock that returned rc: 204, 404, or 409
 * with `taken` (an unblock of a value someone else holds now). */
int access_http_block_answer(struct http_response *res, int rc, bool block,
                             const char *taken);

/* A path segment percent-encoded (names may be Cyrillic); "" when out of
 * memory. */
const char *access_http_seg(struct http_request *req, const char *s);

#endif
