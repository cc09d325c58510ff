/*
 * What the attendance handlers share (attendance_http.c, the JSON API and
 * exports; attendance_pages.c, the pages; calendar_http.c, the calendar).
 * Not a public header: only those three include it.
 *
 * The checks run in the people module's order: 404 for an unknown school,
 * 403 for one the caller may not see or a permission they lack, then 404
 * for an unknown class and 403 for a class a class teacher is not bound
 * to.  Errors on pages are translated; the JSON API answers in English.
 */
#ifndef QORGAN_ACCESS_ATTENDANCE_INTERNAL_H
#define QORGAN_ACCESS_ATTENDANCE_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "access/attendance.h"
#include "http/http.h"

/* What a route shows, and so who may ask for it. */
enum att_need {
	ATT_NAMES,    /* students' names: PERM_STUDENT_READ */
	ATT_COUNTS,   /* counts only: also PERM_SCHOOL_MANAGE */
	ATT_CALENDAR, /* the calendar: any staff of the school */
	ATT_MANAGE,   /* changing the calendar: att_may_manage() */
};

/* Whether p may change a school's calendar (in a school p may see). */
bool att_may_manage(const struct principal *p);

/* Answers a problem (a page on page routes); returns what http_problem
 * returns. */
int att_fail(struct http_request *req, struct http_response *res, bool page,
             int status, const char *msgid);

/* The school named by params[0] if the caller is staff who may do `need`
 * there; answers and returns -1 otherwise. */
int att_school(struct http_request *req, struct http_response *res, bool page,
               enum att_need need, int64_t *school_id);

/* The class `name` of the school if the caller may see it (a class
 * teacher only their own); answers 404/403/500 and returns -1 otherwise. */
int att_class(struct http_request *req, struct http_response *res, bool page,
              int64_t school_id, const char *name, int64_t *class_id);

/* Records a staff read (audit_record_read); -1 when it could not be. */
int att_audit_read(struct http_request *req, const char *action,
                   int64_t school_id, const char *type, int64_t id);

/* Answers an attendance_rc that is not ATTENDANCE_OK; returns 0 or -1. */
int att_fail_rc(struct http_request *req, struct http_response *res, bool page,
                int rc);

/* ?date=, the school's today when missing; NULL after answering 422. */
const char *att_date_param(struct http_request *req, struct http_response *res,
                           bool page, int64_t school_id);

/* The date `days` after a valid `date`, in the arena (NULL: not a date). */
const char *att_date_add(struct http_request *req, const char *date,
                         int64_t days);

/* A path segment percent-encoded (class names may be Cyrillic). */
const char *att_seg(struct arena *a, const char *s);

/* {code, name, href} of the school for headings, or NULL. */
json_t *att_school_head(struct http_request *req, int64_t school_id);

/* A local RFC 3339 time's "HH:MM", or "". */
const char *att_hhmm(struct http_request *req, json_t *stamp);

/* The translated label of a day's kind ("school", "day_off", ...). */
const char *att_kind_label(struct http_request *req, const char *kind);

/*
 * The day and week of every school the caller (PERM_SCHOOL_MANAGE) sees,
 * with code and name, audited as a read; date NULL is each school's
 * today.  An attendance_rc.
 */
int att_overview(struct http_request *req, const char *date, json_t **out);

/* Pages (attendance_pages.c) and the calendar (calendar_http.c). */
int attendance_pages_register(struct http_server *srv);
int calendar_http_register(struct http_server *srv);

#endif
