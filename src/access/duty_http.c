/*
 * The duty roster over HTTP.
 *
 *   GET  /api/v1/schools/{school}/duty?from=&to=   200 {school, from, to,
 *        shifts, entries, staff, on_duty}; from..to default to the
 *        school's today and the six days after it
 *   PUT  /api/v1/schools/{school}/duty?from=&to=   {entries:[{date, shift,
 *        user}], shifts?:[{shift, starts, ends}]}: the roster of from..to
 *        becomes exactly entries; 200 with the GET answer
 *
 * Pages (HTTP_PAGE, errors become the error page):
 *   GET  /school/{school}/duty?week=DATE   the week (Monday..Sunday) that
 *                                          holds DATE (default: today)
 *   POST /school/{school}/duty  (week, csrf, s-DATE-SHIFT = login ...)
 *                                          saves that week; 303 back
 *
 * Any staff who may see the school may read the roster (it says whom to
 * call); its director, deputies and system administrator edit it
 * (access_duty_editor).  Dates are the school's local ones.
 *
 * The page gives every shift one select per person on it and an empty one
 * to add a person, so that it works on a phone without JavaScript.  A
 * form is read up to HTTP_MAX_FORM_FIELDS fields, so the empty selects
 * are rationed: every empty shift gets one, shifts with people get one
 * while there is room (and none at ACCESS_DUTY_PER_SHIFT_MAX).  A week
 * too full for the form is shown read-only, to be edited over the API.
 */
#include "access/access_http_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access/attendance.h"
#include "auth/auth_http.h"
#include "core/utf8.h"
#include "core/validate.h"
#include "http/http.h"
#include "http/input.h"
#include "people/people.h"
#include "web/i18n.h"
#include "web/page.h"

/* Days the API shows when the client names none: a week from today. */
#define DUTY_DEFAULT_DAYS 7
/* The page's form field of a slot: "s-YYYY-MM-DD-SHIFT-K", K the slot. */
#define SLOT_PREFIX   "s-"
#define SLOT_NAME_LEN (2 + 10 + 4)
/* Slots one page may hold: the server reads HTTP_MAX_FORM_FIELDS fields
 * of a form, and the week and the CSRF token take two. */
#define SLOT_FIELDS_MAX (HTTP_MAX_FORM_FIELDS - 2)

/* `date` moved by `days` into out; -1 when date is not one. */
static int
date_add(const char *date, int64_t days, char out[ACCESS_DATE_SIZE])
{
	int64_t day;

	if (attendance_date_day(date, &day) == -1)
		return -1;
	attendance_day_date(day + days, out);
	return 0;
}

/*
 * from..to from the query (defaults: the school's today and a week on),
 * checked; answers 422 naming the field and returns -1 when bad.  With
 * `required` both must be given.
 */
static int
query_range(struct http_request *req, struct http_response *res,
            int64_t school_id, bool required, char from[ACCESS_DATE_SIZE],
            char to[ACCESS_DATE_SIZE])
{
	const char *f = http_query(req, "from"), *t = http_query(req, "to");
	int64_t days;
	bool ok;

	if (required && f == NULL)
		return http_problem(res, 422, "from: required"), -1;
	if (required && t == NULL)
		return http_problem(res, 422, "to: required"), -1;
	if (f != NULL && !validate_date(f))
		return http_problem(res, 422, "from: not a date (YYYY-MM-DD)"),
		       -1;
	if (t != NULL && !validate_date(t))
		return http_problem(res, 422, "to: not a date (YYYY-MM-DD)"),
		       -1;
	if (f == NULL &&
	    attendance_today(req->db, school_id, from) != ATTENDANCE_OK)
		return http_problem(res, 500, "internal error"), -1;
	if (f != NULL)
		snprintf(from, ACCESS_DATE_SIZE, "%s", f);
	if (t != NULL)
		snprintf(to, ACCESS_DATE_SIZE, "%s", t);
	else if (date_add(from, DUTY_DEFAULT_DAYS - 1, to) == -1)
		return http_problem(res, 500, "internal error"), -1;
	days = access_days_between(from, to, &ok);
	if (!ok || days < 0)
		return http_problem(res, 422, "to: before from"), -1;
	if (days >= ACCESS_DUTY_RANGE_MAX_DAYS)
		return http_problemf(res, 422, "to: at most %d days from from",
		                     ACCESS_DUTY_RANGE_MAX_DAYS),
		       -1;
	return 0;
}

/* 200 with the roster of from..to. */
static int
answer_roster(struct http_request *req, struct http_response *res,
              int64_t school_id, const char *from, const char *to)
{
	json_t *out = NULL;
	int rc;

	if (access_duty_json(req->db, school_id, from, to, &out) != ACCESS_OK)
		return -1;
	if (json_object_set_new(out, "school", json_string(req->params[0])) ==
	    -1) {
		json_decref(out);
		return -1;
	}
	rc = http_json(res, 200, out);
	json_decref(out);
	return rc;
}

/* GET /api/v1/schools/{school}/duty */
static int
api_duty(struct http_request *req, struct http_response *res)
{
	char from[ACCESS_DATE_SIZE], to[ACCESS_DATE_SIZE];
	int64_t school_id;

	if (access_http_school(req, res, false, -1, -1, &school_id) == -1 ||
	    query_range(req, res, school_id, false, from, to) == -1)
		return 0;
	return answer_roster(req, res, school_id, from, to);
}

static const struct input_field entry_input[] = {
        {.name = "date",
         .type = INPUT_STRING,
         .required = true,
         .max_chars = 10,
         .valid = validate_date},
        {.name = "shift",
         .type = INPUT_INT,
         .required = true,
         .min = 1,
         .max = ACCESS_SHIFTS},
        {.name = "user",
         .type = INPUT_STRING,
         .required = true,
         .max_chars = VALIDATE_LOGIN_MAX,
         .valid = validate_login},
};

enum { ENTRY_DATE, ENTRY_SHIFT, ENTRY_USER, ENTRY_COUNT };

static const struct input_field shift_input[] = {
        {.name = "shift",
         .type = INPUT_INT,
         .required = true,
         .min = 1,
         .max = ACCESS_SHIFTS},
        {.name = "starts",
         .type = INPUT_STRING,
         .required = true,
         .max_chars = 5,
         .valid = access_clock_valid},
        {.name = "ends",
         .type = INPUT_STRING,
         .required = true,
         .max_chars = 5,
         .valid = access_clock_valid},
};

enum { SHIFT_NUMBER, SHIFT_STARTS, SHIFT_ENDS, SHIFT_COUNT };

/* Answers 422 "FIELD[i].rest" and returns -1. */
static int
item_problem(struct http_response *res, const char *field, size_t i,
             const char *err)
{
	http_problemf(res, 422, "%s[%zu].%s", field, i, err);
	return -1;
}

/* body.entries into e[0..*n); answers 422 and returns -1 when bad. */
static int
read_entries(struct http_response *res, json_t *list, const char *from,
             const char *to, struct access_duty_entry *e, size_t *n)
{
	struct input_value in[ENTRY_COUNT];
	char err[128];
	json_t *item;
	size_t i;

	*n = 0;
	if (!json_is_array(list))
		return http_problem(res, 422, "entries: must be an array"), -1;
	if (json_array_size(list) > ACCESS_DUTY_ENTRIES_MAX)
		return http_problemf(res, 422, "entries: at most %d",
		                     ACCESS_DUTY_ENTRIES_MAX),
		       -1;
	json_array_foreach(list, i, item)
	{
		if (!json_is_object(item))
			return http_problemf(res, 422,
			                     "entries[%zu]: must be an object",
			                     i),
			       -1;
		if (input_check(item, entry_input, ENTRY_COUNT, in, err,
		                sizeof(err)) == -1)
			return item_problem(res, "entries", i, err);
		if (strcmp(in[ENTRY_DATE].s, from) < 0 ||
		    strcmp(in[ENTRY_DATE].s, to) > 0)
			return item_problem(res, "entries", i,
			                    "date: outside from..to");
		e[i].date = in[ENTRY_DATE].s;
		e[i].shift = (int)in[ENTRY_SHIFT].i;
		e[i].user = in[ENTRY_USER].s;
	}
	*n = json_array_size(list);
	return 0;
}

/* body.shifts into s[0..*n); answers 422 and returns -1 when bad. */
static int
read_shifts(struct http_response *res, json_t *list,
            struct access_shift s[ACCESS_SHIFTS], size_t *n)
{
	struct input_value in[SHIFT_COUNT];
	char err[128];
	json_t *item;
	size_t i, j;

	*n = 0;
	if (list == NULL)
		return 0;
	if (!json_is_array(list))
		return http_problem(res, 422, "shifts: must be an array"), -1;
	if (json_array_size(list) > ACCESS_SHIFTS)
		return http_problemf(res, 422, "shifts: at most %d",
		                     ACCESS_SHIFTS),
		       -1;
	json_array_foreach(list, i, item)
	{
		if (!json_is_object(item))
			return http_problemf(res, 422,
			                     "shifts[%zu]: must be an object",
			                     i),
			       -1;
		if (input_check(item, shift_input, SHIFT_COUNT, in, err,
		                sizeof(err)) == -1)
			return item_problem(res, "shifts", i, err);
		s[i].shift = (int)in[SHIFT_NUMBER].i;
		s[i].starts = access_clock_parse(in[SHIFT_STARTS].s);
		s[i].ends = access_clock_parse(in[SHIFT_ENDS].s);
		if (s[i].starts == s[i].ends)
			return item_problem(res, "shifts", i,
			                    "ends: the same as starts");
		for (j = 0; j < i; j++)
			if (s[j].shift == s[i].shift)
				return item_problem(res, "shifts", i,
				                    "shift: given twice");
	}
	*n = json_array_size(list);
	return 0;
}

/* PUT /api/v1/schools/{school}/duty?from=&to= */
static int
api_duty_put(struct http_request *req, struct http_response *res)
{
	struct access_shift shifts[ACCESS_SHIFTS];
	struct access_duty_entry *entries = NULL;
	char from[ACCESS_DATE_SIZE], to[ACCESS_DATE_SIZE];
	size_t n = 0, nshifts = 0, bad = SIZE_MAX;
	json_t *body = NULL, *v;
	int64_t school_id;
	const char *key;
	int rc = 0;

	if (access_http_school(req, res, false, -1, -1, &school_id) == -1)
		return 0;
	if (!access_duty_editor(auth_principal(req)))
		return http_problem(res, 403,
		                    "you may not edit the duty roster");
	if (query_range(req, res, school_id, true, from, to) == -1 ||
	    (body = http_json_body(req, res)) == NULL)
		return 0;
	json_object_foreach(body, key, v)
	{
		if (strcmp(key, "entries") != 0 && strcmp(key, "shifts") != 0) {
			/* Echoed like input_check() does: short and clean. */
			rc = strlen(key) <= 64 &&
			                     !utf8_has_control(key, strlen(key))
			             ? http_problemf(res, 422,
			                             "%s: unknown field", key)
			             : http_problem(res, 422, "unknown field");
			goto done;
		}
	}
	if (json_object_get(body, "entries") == NULL) {
		rc = http_problem(res, 422, "entries: required");
		goto done;
	}
	entries = calloc(ACCESS_DUTY_ENTRIES_MAX, sizeof(*entries));
	if (entries == NULL) {
		rc = -1;
		goto done;
	}
	if (read_entries(res, json_object_get(body, "entries"), from, to,
	                 entries, &n) == -1 ||
	    read_shifts(res, json_object_get(body, "shifts"), shifts,
	                &nshifts) == -1)
		goto done;
	switch (access_duty_set(req->db, auth_principal(req), school_id, from,
	                        to, entries, n, shifts, nshifts, &bad)) {
	case ACCESS_OK:
		rc = answer_roster(req, res, school_id, from, to);
		break;
	case ACCESS_NOT_FOUND:
		rc = http_problemf(
		        res, 422, "entries[%zu].user: not staff of this school",
		        bad);
		break;
	case ACCESS_INVALID:
		/* The edge checked the rest: what is left is the limit. */
		rc = bad != SIZE_MAX
		             ? http_problemf(res, 422,
		                             "entries[%zu].shift: more than %d "
		                             "people on one shift",
		                             bad, ACCESS_DUTY_PER_SHIFT_MAX)
		             : http_problem(res, 422, "entries: not valid");
		break;
	default:
		rc = -1;
	}
done:
	free(entries);
	json_decref(body);
	return rc;
}

/* --- The page ------------------------------------------------------ */

static const char *const weekdays[] = {
        N_("Monday"), N_("Tuesday"),  N_("Wednesday"), N_("Thursday"),
        N_("Friday"), N_("Saturday"), N_("Sunday"),
};

/* The translated name of a role given by its name. */
static const char *
role_text(struct http_request *req, const char *name)
{
	enum role role;

	return role_from_name(name, &role)
	               ? i18n_get(req->lang, role_label(role))
	               : name;
}

/* The options of one select: every candidate, `chosen` selected. */
static json_t *
options(struct http_request *req, json_t *staff, const char *chosen)
{
	json_t *list = json_array(), *s;
	const char *user;
	size_t i;

	json_array_foreach(staff, i, s)
	{
		user = json_string_value(json_object_get(s, "user"));
		if (list == NULL ||
		    json_array_append_new(
		            list,
		            json_pack(
		                    "{s:s, s:s, s:b}", "user", user, "role",
		                    role_text(req,
		                              json_string_value(json_object_get(
		                                      s, "role"))),
		                    "selected",
		                    chosen != NULL &&
		                            strcmp(chosen, user) == 0)) == -1) {
			json_decref(list);
			return NULL;
		}
	}
	return list;
}

/* One select of a shift: {name, options}. */
static json_t *
slot(struct http_request *req, json_t *staff, const char *date, int shift,
     size_t k, const char *chosen)
{
	return json_pack("{s:s, s:o}", "name",
	                 arena_printf(req->arena, SLOT_PREFIX "%s-%d-%zu", date,
	                              shift, k),
	                 "options", options(req, staff, chosen));
}

/*
 * One shift of one day for the page: {shift, starts, ends, people:[{user,
 * role}], slots:[{name, options}]} (slots only for an editor).  An empty
 * select for a shift with people costs one of *room.
 */
static json_t *
page_shift(struct http_request *req, json_t *roster, json_t *shift,
           const char *date, bool edit, int *room)
{
	int number = (int)json_integer_value(json_object_get(shift, "shift"));
	json_t *staff = json_object_get(roster, "staff"), *e, *out;
	json_t *people, *slots;
	size_t i, k;

	out = json_pack("{s:i, s:O, s:O, s:[], s:[]}", "shift", number,
	                "starts", json_object_get(shift, "starts"), "ends",
	                json_object_get(shift, "ends"), "people", "slots");
	if (out == NULL)
		return NULL;
	people = json_object_get(out, "people");
	slots = json_object_get(out, "slots");
	json_array_foreach(json_object_get(roster, "entries"), i, e)
	{
		if (json_integer_value(json_object_get(e, "shift")) != number ||
		    strcmp(json_string_value(json_object_get(e, "date")),
		           date) != 0)
			continue;
		if (json_array_append_new(
		            people,
		            json_pack(
		                    "{s:O, s:s}", "user",
		                    json_object_get(e, "user"), "role",
		                    role_text(req,
		                              json_string_value(json_object_get(
		                                      e, "role"))))) == -1 ||
		    (edit &&
		     json_array_append_new(
		             slots, slot(req, staff, date, number,
		                         json_array_size(slots),
		                         json_string_value(json_object_get(
		                                 e, "user")))) == -1))
			goto fail;
	}
	k = json_array_size(slots);
	if (edit && k > 0 && (k >= ACCESS_DUTY_PER_SHIFT_MAX || *room <= 0))
		return out;
	if (edit && k > 0)
		(*room)--;
	if (edit && json_array_append_new(slots, slot(req, staff, date, number,
	                                              k, NULL)) == -1)
		goto fail;
	return out;
fail:
	json_decref(out);
	return NULL;
}

/*
 * Empty selects left for shifts that have people, once every person and
 * every empty shift of the week has its select; negative when the week
 * does not fit in a form.  Entries come sorted by date and shift.
 */
static int
slot_room(json_t *roster)
{
	json_t *entries = json_object_get(roster, "entries"), *e, *prev = NULL;
	size_t i, shifts_used = 0;

	json_array_foreach(entries, i, e)
	{
		if (prev == NULL ||
		    !json_equal(json_object_get(e, "date"),
		                json_object_get(prev, "date")) ||
		    !json_equal(json_object_get(e, "shift"),
		                json_object_get(prev, "shift")))
			shifts_used++;
		prev = e;
	}
	return SLOT_FIELDS_MAX - (int)json_array_size(entries) -
	       (7 * ACCESS_SHIFTS - (int)shifts_used);
}

/* The page of the week that begins on Monday `first` (a local day). */
static int
render_week(struct http_request *req, struct http_response *res, int status,
            int64_t school_id, int64_t first, const char *error)
{
	const struct principal *p = auth_principal(req);
	char from[ACCESS_DATE_SIZE], to[ACCESS_DATE_SIZE],
	        date[ACCESS_DATE_SIZE], prev[ACCESS_DATE_SIZE],
	        next[ACCESS_DATE_SIZE];
	bool edit = access_duty_editor(p), too_full = false;
	json_t *roster = NULL, *days = NULL, *day, *shifts, *s, *on_duty = NULL;
	const char *saved = http_query(req, "saved");
	int d, room = 0;
	json_t *o;
	size_t i;

	attendance_day_date(first, from);
	attendance_day_date(first + 6, to);
	attendance_day_date(first - 7, prev);
	attendance_day_date(first + 7, next);
	if (access_duty_json(req->db, school_id, from, to, &roster) !=
	            ACCESS_OK ||
	    (days = json_array()) == NULL || (on_duty = json_array()) == NULL)
		goto fail;
	json_array_foreach(json_object_get(roster, "on_duty"), i, o)
	{
		if (json_array_append_new(
		            on_duty,
		            json_pack(
		                    "{s:O, s:s}", "user",
		                    json_object_get(o, "user"), "role",
		                    role_text(req,
		                              json_string_value(json_object_get(
		                                      o, "role"))))) == -1)
			goto fail;
	}
	if (edit && (room = slot_room(roster)) < 0) {
		edit = false;
		too_full = true;
	}
	for (d = 0; d < 7; d++) {
		attendance_day_date(first + d, date);
		day = json_pack("{s:s, s:s, s:[]}", "date", date, "weekday",
		                i18n_get(req->lang, weekdays[d]), "shifts");
		if (day == NULL || json_array_append_new(days, day) == -1)
			goto fail;
		shifts = json_object_get(day, "shifts");
		json_array_foreach(json_object_get(roster, "shifts"), i, s)
		{
			if (json_array_append_new(
			            shifts, page_shift(req, roster, s, date,
			                               edit, &room)) == -1)
				goto fail;
		}
	}
	json_decref(roster);
	return page_render(
	        req, res, status, N_("Duty roster"), "duty",
	        json_pack("{s:s, s:s, s:s, s:o, s:o, s:b, s:b, s:s, s:s, s:s, "
	                  "s:s, s:s, s:s?, s:b}",
	                  "school", req->params[0], "from", from, "to", to,
	                  "days", days, "on_duty", on_duty, "can_edit", edit,
	                  "too_full", too_full, "week", from, "action",
	                  arena_printf(req->arena, "/school/%s/duty",
	                               req->params[0]),
	                  "prev",
	                  arena_printf(req->arena, "/school/%s/duty?week=%s",
	                               req->params[0], prev),
	                  "next",
	                  arena_printf(req->arena, "/school/%s/duty?week=%s",
	                               req->params[0], next),
	                  "alarms_href",
	                  arena_printf(req->arena, "/school/%s/alarms",
	                               req->params[0]),
	                  "error", error ? i18n_get(req->lang, error) : NULL,
	                  "saved", saved != NULL && error == NULL));
fail:
	json_decref(roster);
	json_decref(days);
	json_decref(on_duty);
	return -1;
}

/* The Monday of the week holding `date` (NULL or bad: the school's
 * today); -1 on a storage error. */
static int
week_of(struct http_request *req, int64_t school_id, const char *date,
        int64_t *first)
{
	char today[ACCESS_DATE_SIZE];
	int64_t day;

	if (date == NULL || attendance_date_day(date, &day) == -1) {
		if (attendance_today(req->db, school_id, today) !=
		            ATTENDANCE_OK ||
		    attendance_date_day(today, &day) == -1)
			return -1;
	}
	*first = day - attendance_weekday(day);
	return 0;
}

/* GET /school/{school}/duty?week=DATE */
static int
page_duty(struct http_request *req, struct http_response *res)
{
	int64_t school_id, first;

	if (access_http_school(req, res, true, -1, -1, &school_id) == -1)
		return 0;
	if (week_of(req, school_id, http_query(req, "week"), &first) == -1)
		return -1;
	return render_week(req, res, 200, school_id, first, NULL);
}

/*
 * The form's slots as entries of the week first..first+6: every field
 * "s-DATE-SHIFT" with a login.  Slots outside the week or malformed are
 * refused (-1); empty ones are skipped.
 */
static int
form_entries(struct http_request *req, const char *from, const char *to,
             struct access_duty_entry *e, size_t max, size_t *n)
{
	const struct http_form_field *f;
	char *date;
	size_t i;

	*n = 0;
	for (i = 0; i < req->nform; i++) {
		f = &req->form[i];
		if (strncmp(f->name, SLOT_PREFIX, 2) != 0)
			continue;
		if (strlen(f->name) != SLOT_NAME_LEN || f->name[12] != '-' ||
		    f->name[13] < '1' || f->name[13] > '0' + ACCESS_SHIFTS ||
		    f->name[14] != '-' || f->name[15] < '0' ||
		    f->name[15] > '9')
			return -1;
		if (f->value[0] == '\0')
			continue;
		if (*n == max ||
		    (date = arena_strdup(req->arena, f->name + 2)) == NULL)
			return -1;
		date[10] = '\0';
		if (!validate_date(date) || strcmp(date, from) < 0 ||
		    strcmp(date, to) > 0)
			return -1;
		e[*n].date = date;
		e[*n].shift = f->name[13] - '0';
		e[*n].user = f->value;
		(*n)++;
	}
	return 0;
}

/* POST /school/{school}/duty (week, csrf, s-DATE-SHIFT ...) */
static int
post_duty(struct http_request *req, struct http_response *res)
{
	struct access_duty_entry *entries;
	char from[ACCESS_DATE_SIZE], to[ACCESS_DATE_SIZE];
	const char *week = http_form_value(req, "week");
	int64_t school_id, first;
	size_t n = 0, bad = SIZE_MAX;
	int rc;

	if (access_http_school(req, res, true, -1, -1, &school_id) == -1)
		return 0;
	if (!access_duty_editor(auth_principal(req)))
		return access_http_fail(
		        req, res, true, 403,
		        N_("You may not edit the duty roster."));
	if (week == NULL || attendance_date_day(week, &first) == -1 ||
	    attendance_weekday(first) != 0)
		return access_http_fail(req, res, true, 422,
		                        N_("The week is missing; reload the "
		                           "page."));
	attendance_day_date(first, from);
	attendance_day_date(first + 6, to);
	entries = arena_alloc(req->arena,
	                      ACCESS_DUTY_ENTRIES_MAX * sizeof(*entries));
	if (entries == NULL)
		return -1;
	if (form_entries(req, from, to, entries, ACCESS_DUTY_ENTRIES_MAX, &n) ==
	    -1)
		return render_week(req, res, 422, school_id, first,
		                   N_("The form could not be read; reload the "
		                      "page."));
	rc = access_duty_set(req->db, auth_principal(req), school_id, from, to,
	                     entries, n, NULL, 0, &bad);
	if (rc == ACCESS_NOT_FOUND || (rc == ACCESS_INVALID && bad != SIZE_MAX))
		return render_week(
		        req, res, 422, school_id, first,
		        rc == ACCESS_NOT_FOUND
		                ? N_("Only staff of this school may be on "
		                     "duty.")
		                : N_("Too many people on one shift."));
	if (rc != ACCESS_OK)
		return -1;
	return http_redirect(
	        res, arena_printf(req->arena, "/school/%s/duty?week=%s&saved=1",
	                          req->params[0], from));
}

int
access_duty_http_register(struct http_server *srv)
{
	if (http_route(srv, "GET", "/api/v1/schools/{school}/duty", api_duty,
	               HTTP_STAFF) == -1 ||
	    http_route(srv, "PUT", "/api/v1/schools/{school}/duty",
	               api_duty_put, HTTP_STAFF) == -1 ||
	    http_route(srv, "GET", "/school/{school}/duty", page_duty,
	               HTTP_PAGE | HTTP_STAFF) == -1 ||
	    http_route(srv, "POST", "/school/{school}/duty", post_duty,
	               HTTP_PAGE | HTTP_STAFF) == -1)
		return -1;
	return 0;
}
