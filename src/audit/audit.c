/*
 * The audit log's writes and reads.  Lines are only ever appended.
 *
 * Who may read which line is decided in SQL, in one statement whose scope
 * is a parameter, so a reader never receives a line and has it filtered
 * out afterwards in C, and paging (before_id, limit) counts only visible
 * lines.  Times are RFC 3339 UTC with milliseconds, so their text order is
 * their time order; the date filters compare the UTC date.
 */
#include "audit/audit.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/log.h"

/* "YYYY-MM-DDTHH:MM:SS.mmmZ" and NUL. */
#define AUDIT_TIME_SIZE 25

static void
now_rfc3339_ms(char out[AUDIT_TIME_SIZE])
{
	struct timespec ts;
	struct tm tm;
	size_t n;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(out, AUDIT_TIME_SIZE, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, AUDIT_TIME_SIZE - n, ".%03dZ",
	         (int)(ts.tv_nsec / 1000000) % 1000);
}

static int
bind_id_or_null(struct store_stmt *st, int idx, int64_t v)
{
	return v > 0 ? store_bind_int(st, idx, v) : store_bind_null(st, idx);
}

int
audit_record(struct store *db, const struct principal *p, const char *action,
             int64_t school_id, const char *object_type, const char *object_id,
             const char *detail)
{
	char at[AUDIT_TIME_SIZE], actor[40];
	int64_t user_id = 0, session_id = 0;
	struct store_stmt *st;
	int rc;

	if (action == NULL)
		return -1;
	now_rfc3339_ms(at);
	if (p == NULL) {
		snprintf(actor, sizeof(actor), "cli");
	} else if (p->kind == PRINCIPAL_DEVICE) {
		snprintf(actor, sizeof(actor), "device:%lld",
		         (long long)p->device_id);
	} else {
		snprintf(actor, sizeof(actor), "user:%lld",
		         (long long)p->user_id);
		user_id = p->user_id;
		session_id = p->session_id;
	}
	st = store_prepare(db, "INSERT INTO audit_log (at, user_id, "
	                       "session_id, actor, action, school_id, "
	                       "object_type, object_id, detail) "
	                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (st == NULL)
		return -1;
	rc = store_bind_text(st, 1, at) || bind_id_or_null(st, 2, user_id) ||
	     bind_id_or_null(st, 3, session_id) ||
	     store_bind_text(st, 4, actor) || store_bind_text(st, 5, action) ||
	     bind_id_or_null(st, 6, school_id) ||
	     store_bind_text(st, 7, object_type) ||
	     store_bind_text(st, 8, object_id) ||
	     store_bind_text(st, 9, detail);
	if (rc == 0)
		rc = store_step(st) == STORE_DONE ? 0 : -1;
	store_reset(st);
	if (rc != 0) {
		log_warnx("audit: could not record action=%s: %s", action,
		          store_errmsg(db));
		return -1;
	}
	return 0;
}

bool
audit_action_ok(const char *s)
{
	size_t i;

	if (s == NULL || s[0] == '\0')
		return false;
	for (i = 0; s[i] != '\0'; i++) {
		char c = s[i];

		if (i >= AUDIT_ACTION_MAX ||
		    !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_'))
			return false;
	}
	return true;
}

int64_t
audit_school_id(struct store *db, const char *code)
{
	int64_t id = 0;
	int rc;

	if (code == NULL)
		return 0;
	rc = store_query_int(db, &id, "SELECT id FROM schools WHERE code = ?",
	                     "t", code);
	if (rc == STORE_DONE)
		return 0;
	return rc == STORE_ROW ? id : -1;
}

/* Which lines a reader's role reaches; see audit.h. */
static const char *
scope_of(const struct principal *r)
{
	if (r == NULL || !auth_allowed(r, PERM_AUDIT_READ))
		return "none";
	if (r->role == ROLE_PLATFORM_ADMIN)
		return "all";
	if (role_is_regional(r->role))
		return "region";
	return "schools";
}

static const char audit_select[] =
        "SELECT a.id, a.at, a.actor, u.login, a.action, s.code, "
        "a.object_type, a.object_id, a.detail, a.session_id "
        "FROM audit_log a "
        "LEFT JOIN users u ON u.id = a.user_id "
        "LEFT JOIN schools s ON s.id = a.school_id "
        "WHERE (? = 'all' "
        "OR (? = 'region' AND s.region_id = ?) "
        "OR (? = 'schools' AND a.school_id IN "
        "(SELECT school_id FROM user_schools WHERE user_id = ?))) "
        "AND (? = 0 OR a.school_id = ?) "
        "AND (? IS NULL OR substr(a.at, 1, 10) >= ?) "
        "AND (? IS NULL OR substr(a.at, 1, 10) <= ?) "
        "AND (? IS NULL OR substr(a.action, 1, length(?)) = ?) "
        "AND (? = 0 OR a.id < ?) "
        "ORDER BY a.id DESC LIMIT ?";

enum {
	COL_ID,
	COL_AT,
	COL_ACTOR,
	COL_LOGIN,
	COL_ACTION,
	COL_SCHOOL,
	COL_OTYPE,
	COL_OID,
	COL_DETAIL,
	COL_SESSION,
	COL_COUNT
};

static const char *const col_names[COL_COUNT] = {
        "id",     "at",          "actor",     "login",  "action",
        "school", "object_type", "object_id", "detail", "session_id",
};

typedef int (*audit_row_fn)(struct store_stmt *st, void *arg);

/* Runs the query for `f` as `reader`, calling fn on each line; 0 or -1. */
static int
audit_each(struct store *db, const struct principal *reader,
           const struct audit_filter *f, int limit, audit_row_fn fn, void *arg)
{
	const char *scope = scope_of(reader);
	int64_t region = 0, user = 0;
	struct store_stmt *st;
	int rc;

	if (strcmp(scope, "none") != 0) {
		region = reader->region_id;
		user = reader->user_id;
	}
	st = store_query(db, audit_select, "ttitiiitttttttiii", scope, scope,
	                 region, scope, user, f->school_id, f->school_id,
	                 f->from, f->from, f->to, f->to, f->action_prefix,
	                 f->action_prefix, f->action_prefix, f->before_id,
	                 f->before_id, (int64_t)limit);
	if (st == NULL)
		return -1;
	while ((rc = store_step(st)) == STORE_ROW)
		if (fn(st, arg) == -1) {
			rc = STORE_ERROR;
			break;
		}
	store_reset(st);
	if (rc != STORE_DONE) {
		log_warnx("audit: could not read the log: %s",
		          store_errmsg(db));
		return -1;
	}
	return 0;
}

static json_t *
text_or_null(struct store_stmt *st, int col)
{
	return store_col_null(st, col) ? json_null()
	                               : json_string(store_col_text(st, col));
}

static int
row_json(struct store_stmt *st, void *arg)
{
	json_t *list = arg, *line;
	int col;

	if ((line = json_object()) == NULL)
		return -1;
	for (col = 0; col < COL_COUNT; col++) {
		json_t *v;

		if (col == COL_ID || col == COL_SESSION)
			v = store_col_null(st, col)
			            ? json_null()
			            : json_integer(store_col_int(st, col));
		else
			v = text_or_null(st, col);
		if (json_object_set_new(line, col_names[col], v) == -1) {
			json_decref(line);
			return -1;
		}
	}
	return json_array_append_new(list, line);
}

json_t *
audit_list(struct store *db, const struct principal *reader,
           const struct audit_filter *f)
{
	int limit = f->limit;
	json_t *list;

	if (limit <= 0)
		limit = AUDIT_LIST_DEFAULT;
	if (limit > AUDIT_LIST_MAX)
		limit = AUDIT_LIST_MAX;
	if ((list = json_array()) == NULL)
		return NULL;
	if (audit_each(db, reader, f, limit, row_json, list) == -1) {
		json_decref(list);
		return NULL;
	}
	return list;
}

struct csv_state {
	struct buf *out;
	long rows;
};

static int
row_csv(struct store_stmt *st, void *arg)
{
	struct csv_state *cs = arg;
	int col;

	/* session_id stays out of the export, whose columns are fixed. */
	for (col = 0; col < COL_SESSION; col++) {
		const char *v =
		        store_col_null(st, col) ? "" : store_col_text(st, col);

		if (col > 0)
			buf_putc(cs->out, ',');
		buf_put_csv_field(cs->out, v ? v : "");
	}
	buf_puts(cs->out, "\r\n");
	cs->rows++;
	return cs->out->failed ? -1 : 0;
}

int
audit_export_csv(struct store *db, const struct principal *reader,
                 const struct audit_filter *f, struct buf *out)
{
	struct csv_state cs = {out, 0};
	char detail[200];
	int limit = f->limit;
	int col;

	if (limit <= 0 || limit > AUDIT_EXPORT_MAX)
		limit = AUDIT_EXPORT_MAX;
	for (col = 0; col < COL_SESSION; col++) {
		if (col > 0)
			buf_putc(out, ',');
		buf_puts(out, col_names[col]);
	}
	buf_puts(out, "\r\n");
	if (out->failed || audit_each(db, reader, f, limit, row_csv, &cs) == -1)
		return -1;
	/* The filters and the count, never the lines' contents. */
	snprintf(detail, sizeof(detail), "rows=%ld from=%s to=%s action=%s",
	         cs.rows, f->from ? f->from : "", f->to ? f->to : "",
	         f->action_prefix ? f->action_prefix : "");
	return audit_record(db, reader, "audit.export", f->school_id, "audit",
	                    NULL, detail);
}
