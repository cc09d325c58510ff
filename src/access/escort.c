/*
 * Kindergarten mode: who may bring and pick up each child, the identifiers
 * those adults (escorts) carry, and the decision a gate or kiosk gets when
 * one of them presents an identifier to hand a child over.
 *
 * Watch for:
 * - One identifier value is active on at most one holder on the whole
 *   platform, student or escort.  Each table's partial unique index guards
 *   its own side; across the two tables the bind looks in both inside its
 *   write transaction.  That is safe because a write transaction is BEGIN
 *   IMMEDIATE: SQLite lets one writer at a time, so nobody can bind the
 *   same value between our look-up and our insert.  The students' bind
 *   (access.c) asks access_escort_value_free() the same way.
 * - A handover is decided, recorded and (when refused to a known escort)
 *   alerted in one transaction, committed before the device is answered:
 *   an answered handover is never lost, and an alert exists exactly when
 *   its refusal does.  The same device and seq record one handover.
 * - Emergency mode does not open handovers.  Opening gates in a fire saves
 *   lives; handing a child to someone off the list does not.
 * - A school leaving kindergarten mode keeps its escorts and handovers (staff
 *   may still read, correct and remove them) but takes no new escorts,
 *   identifiers or handovers: we collect no personal data for a purpose the
 *   school no longer has.
 */
#include "access/access_internal.h"
#include "access/escort_internal.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "core/validate.h"
#include "people/people.h"

bool
access_relation_valid(const char *s)
{
	return es_relation_static(s) != NULL;
}

bool
access_escort_kind_valid(const char *s)
{
	return access_kind_valid(s) && strcmp(s, "biometric") != 0;
}

bool
access_escort_name_valid(const char *s)
{
	return people_text_valid(s, PEOPLE_NAME_MAX);
}

/* An escort may bring, pick up, or both; one who may do neither is no
 * escort, and is much more likely a form sent by mistake. */
static bool
rights_valid(const struct access_escort_rights *r)
{
	return r != NULL && access_relation_valid(r->relation) &&
	       (r->may_bring || r->may_pick_up);
}

/* ACCESS_OK when the school is in kindergarten mode. */
static int
kindergarten_on(struct store *db, int64_t school_id)
{
	bool on = false;
	int rc = es_kindergarten_get(db, school_id, &on, NULL, 0);

	if (rc == ACCESS_OK && !on)
		rc = ACCESS_NOT_KINDERGARTEN;
	return rc;
}

/* ACCESS_OK when the student is of the school (and, if `active`, has not
 * left: ACCESS_LEFT). */
static int
child_of(struct store *db, int64_t school_id, int64_t student_id, bool active)
{
	struct es_child c;
	int rc = es_child(db, student_id, &c);

	if (rc == ACCESS_OK && c.school_id != school_id)
		rc = ACCESS_NOT_FOUND;
	if (rc == ACCESS_OK && active && c.left)
		rc = ACCESS_LEFT;
	return rc;
}

/* --- Who may do what --------------------------------------------------- */

/*
 * Kindergarten mode changes what the school's doors do, so only those who
 * answer for the school switch it: its director, its system administrator
 * and the platform administrator.
 */
static const enum role switch_roles[] = {
        ROLE_DIRECTOR,
        ROLE_SCHOOL_ADMIN,
        ROLE_PLATFORM_ADMIN,
};

/*
 * Escorts are the names and phones of adults who are not the school's:
 * those who run the school (director, deputies, its administrator, the
 * platform administrator) see and manage them for every child, a class
 * teacher only for the children of their own groups, and nobody else
 * (psychologists, security and the rest have no need).
 */
static const enum role escort_roles[] = {
        ROLE_DIRECTOR,
        ROLE_DEPUTY,
        ROLE_SCHOOL_ADMIN,
        ROLE_PLATFORM_ADMIN,
};

static bool
role_in(const struct principal *p, const enum role *roles, size_t n)
{
	size_t i;

	if (p == NULL || p->kind != PRINCIPAL_STAFF)
		return false;
	for (i = 0; i < n; i++)
		if (roles[i] == p->role)
			return true;
	return false;
}

bool
access_kindergarten_switch_allowed(const struct principal *p)
{
	return role_in(p, switch_roles,
	               sizeof(switch_roles) / sizeof(switch_roles[0]));
}

bool
access_escorts_allowed(struct store *db, const struct principal *p,
                       int64_t student_id)
{
	struct es_child c;
	bool yes = false;

	if (role_in(p, escort_roles,
	            sizeof(escort_roles) / sizeof(escort_roles[0])))
		return true;
	if (p == NULL || p->kind != PRINCIPAL_STAFF ||
	    p->role != ROLE_CLASS_TEACHER)
		return false;
	if (student_id <= 0)
		return true;
	return es_child(db, student_id, &c) == ACCESS_OK &&
	       es_teaches(db, p->user_id, c.class_id, &yes) == ACCESS_OK && yes;
}

/* --- Kindergarten mode ------------------------------------------------- */

int
access_kindergarten_get(struct store *db, int64_t school_id, bool *on,
                        char since[ACCESS_STAMP_SIZE])
{
	return es_kindergarten_get(db, school_id, on, since,
	                           since != NULL ? ACCESS_STAMP_SIZE : 0);
}

int
access_kindergarten_set(struct store *db, const struct principal *p,
                        int64_t school_id, bool on, bool *changed)
{
	char now[PEOPLE_TIME_MAX];
	bool own, cur = false;
	int rc;

	if (changed != NULL)
		*changed = false;
	if ((rc = access_txn_begin(db, "escort", &own)) != ACCESS_OK)
		return rc;
	rc = es_kindergarten_get(db, school_id, &cur, NULL, 0);
	if (rc == ACCESS_OK && cur == on)
		return access_txn_end(db, "escort", own,
		                      ACCESS_OK); /* nothing to change */
	people_now(now);
	if (rc == ACCESS_OK)
		rc = es_kindergarten_set(db, school_id, on, now,
		                         access_staff_id(p));
	if (rc == ACCESS_OK)
		rc = access_audit(db, p,
		                  on ? "kindergarten.on" : "kindergarten.off",
		                  school_id, "school", school_id, NULL);
	if (rc != ACCESS_OK) /* a constraint here is a school that is gone */
		rc = ACCESS_ERROR;
	rc = access_txn_end(db, "escort", own, rc);
	if (rc == ACCESS_OK && changed != NULL)
		*changed = true;
	return rc;
}

/* --- Escorts of a child ------------------------------------------------ */

/* Links the escort to the child (inside the caller's transaction). */
static int
link_child(struct store *db, const struct principal *p, int64_t school_id,
           int64_t student_id, int64_t escort_id,
           const struct access_escort_rights *r, const char *now)
{
	char detail[96];
	int64_t n = 0;
	int rc;

	rc = es_link_get(db, student_id, escort_id,
	                 &(struct access_escort_rights){0});
	if (rc == ACCESS_OK)
		return ACCESS_TAKEN;
	if (rc != ACCESS_NOT_FOUND)
		return rc;
	if ((rc = es_link_count(db, student_id, &n)) != ACCESS_OK)
		return rc;
	if (n >= ACCESS_ESCORTS_MAX)
		return ACCESS_ESCORTS_FULL;
	if ((rc = es_link_insert(db, student_id, escort_id, r, now,
	                         access_staff_id(p))) != ACCESS_OK)
		return rc;
	snprintf(detail, sizeof(detail),
	         "student=%lld relation=%s bring=%d pick_up=%d",
	         (long long)student_id, r->relation, r->may_bring ? 1 : 0,
	         r->may_pick_up ? 1 : 0);
	return access_audit(db, p, "escort.link", school_id, "escort",
	                    escort_id, detail);
}

int
access_escort_add(struct store *db, const struct principal *p,
                  int64_t school_id, int64_t student_id, const char *full_name,
                  const char *phone, const struct access_escort_rights *rights,
                  int64_t *escort_id, bool *existing)
{
	char now[PEOPLE_TIME_MAX];
	int64_t id = 0;
	bool own, found = false;
	int rc;

	if (existing != NULL)
		*existing = false;
	if (!access_escort_name_valid(full_name) ||
	    (phone != NULL && !validate_phone_e164(phone)) ||
	    !rights_valid(rights))
		return ACCESS_INVALID;
	if ((rc = access_txn_begin(db, "escort", &own)) != ACCESS_OK)
		return rc;
	rc = kindergarten_on(db, school_id);
	if (rc == ACCESS_OK)
		rc = child_of(db, school_id, student_id, true);
	if (rc == ACCESS_OK && phone != NULL) {
		rc = es_escort_by_phone(db, school_id, phone, &id);
		found = rc == ACCESS_OK;
		if (rc == ACCESS_NOT_FOUND)
			rc = ACCESS_OK;
	}
	people_now(now);
	if (rc == ACCESS_OK && !found) {
		rc = es_escort_insert(db, school_id, full_name, phone, now,
		                      access_staff_id(p), &id);
		if (rc == ACCESS_OK)
			rc = access_audit(db, p, "escort.add", school_id,
			                  "escort", id,
			                  phone != NULL ? "fields=name,phone"
			                                : "fields=name");
	}
	if (rc == ACCESS_OK)
		rc = link_child(db, p, school_id, student_id, id, rights, now);
	rc = access_txn_end(db, "escort", own, rc);
	if (rc == ACCESS_OK || rc == ACCESS_TAKEN) {
		if (escort_id != NULL)
			*escort_id = id;
		if (existing != NULL)
			*existing = found;
	}
	return rc;
}

int
access_escort_link(struct store *db, const struct principal *p,
                   int64_t school_id, int64_t student_id, int64_t escort_id,
                   const struct access_escort_rights *rights)
{
	char now[PEOPLE_TIME_MAX];
	int64_t sid = 0;
	bool own;
	int rc;

	if (!rights_valid(rights) || escort_id <= 0)
		return ACCESS_INVALID;
	if ((rc = access_txn_begin(db, "escort", &own)) != ACCESS_OK)
		return rc;
	rc = kindergarten_on(db, school_id);
	if (rc == ACCESS_OK)
		rc = child_of(db, school_id, student_id, true);
	if (rc == ACCESS_OK)
		rc = es_escort_school(db, escort_id, &sid);
	if (rc == ACCESS_OK && sid != school_id)
		rc = ACCESS_NOT_FOUND;
	people_now(now);
	if (rc == ACCESS_OK)
		rc = link_child(db, p, school_id, student_id, escort_id, rights,
		                now);
	return access_txn_end(db, "escort", own, rc);
}

int
access_escort_update(struct store *db, const struct principal *p,
                     int64_t school_id, int64_t student_id, int64_t escort_id,
                     const char *full_name, const char *phone,
                     const struct access_escort_rights *rights)
{
	struct access_escort_rights cur;
	char detail[96];
	bool own;
	int rc;

	if ((full_name != NULL && !access_escort_name_valid(full_name)) ||
	    (phone != NULL && phone[0] != '\0' &&
	     !validate_phone_e164(phone)) ||
	    !rights_valid(rights))
		return ACCESS_INVALID;
	if ((rc = access_txn_begin(db, "escort", &own)) != ACCESS_OK)
		return rc;
	rc = child_of(db, school_id, student_id, false);
	if (rc == ACCESS_OK)
		rc = es_link_get(db, student_id, escort_id, &cur);
	if (rc == ACCESS_OK)
		rc = es_link_update(db, student_id, escort_id, rights);
	if (rc == ACCESS_OK && (full_name != NULL || phone != NULL))
		rc = es_escort_update(db, escort_id, full_name, phone);
	snprintf(detail, sizeof(detail),
	         "student=%lld relation=%s bring=%d pick_up=%d%s%s",
	         (long long)student_id, rights->relation,
	         rights->may_bring ? 1 : 0, rights->may_pick_up ? 1 : 0,
	         full_name != NULL ? " name" : "",
	         phone != NULL ? " phone" : "");
	if (rc == ACCESS_OK)
		rc = access_audit(db, p, "escort.update", school_id, "escort",
		                  escort_id, detail);
	return access_txn_end(db, "escort", own, rc);
}

int
access_escort_unlink(struct store *db, const struct principal *p,
                     int64_t school_id, int64_t student_id, int64_t escort_id)
{
	struct access_escort_rights cur;
	char detail[40];
	bool own;
	int rc;

	if ((rc = access_txn_begin(db, "escort", &own)) != ACCESS_OK)
		return rc;
	rc = child_of(db, school_id, student_id, false);
	if (rc == ACCESS_OK)
		rc = es_link_get(db, student_id, escort_id, &cur);
	if (rc == ACCESS_OK)
		rc = es_link_delete(db, student_id, escort_id);
	snprintf(detail, sizeof(detail), "student=%lld", (long long)student_id);
	if (rc == ACCESS_OK)
		rc = access_audit(db, p, "escort.unlink", school_id, "escort",
		                  escort_id, detail);
	return access_txn_end(db, "escort", own, rc);
}

/* --- Escorts' identifiers ---------------------------------------------- */

/*
 * ACCESS_OK when `value` is active on nobody, student or escort; otherwise
 * ACCESS_TAKEN with who holds it.  Inside a write transaction only (see
 * the top of this file).
 */
static int
value_free(struct store *db, const char *value, char *holder, size_t holderlen,
           int64_t *holder_school)
{
	struct as_identifier s;
	struct es_identifier e;
	char code[VALIDATE_CODE_MAX + 1];
	int rc;

	rc = as_active(db, value, &s);
	if (rc == ACCESS_OK) {
		if (holder_school != NULL)
			*holder_school = s.school_id;
		if (holder != NULL && as_student_label(db, s.student_id, holder,
		                                       holderlen) != ACCESS_OK)
			snprintf(holder, holderlen, "?");
		return ACCESS_TAKEN;
	}
	if (rc != ACCESS_NOT_FOUND)
		return rc;
	rc = es_ident_active(db, value, &e);
	if (rc == ACCESS_OK) {
		if (holder_school != NULL)
			*holder_school = e.school_id;
		if (holder != NULL) {
			if (people_school_code(db, e.school_id, code,
			                       sizeof(code)) != PEOPLE_OK)
				snprintf(code, sizeof(code), "?");
			snprintf(holder, holderlen, "%s/escort/%lld", code,
			         (long long)e.escort_id);
		}
		return ACCESS_TAKEN;
	}
	return rc == ACCESS_NOT_FOUND ? ACCESS_OK : rc;
}

int
access_escort_value_free(struct store *db, const char *value, int64_t *school)
{
	struct es_identifier e;
	int rc = es_ident_active(db, value, &e);

	if (rc == ACCESS_OK) {
		if (school != NULL)
			*school = e.school_id;
		return ACCESS_TAKEN;
	}
	return rc == ACCESS_NOT_FOUND ? ACCESS_OK : ACCESS_ERROR;
}

/* The checks every change to a child's escort starts with. */
static int
escort_of_child(struct store *db, int64_t school_id, int64_t student_id,
                int64_t escort_id, bool active)
{
	struct access_escort_rights cur;
	int rc = child_of(db, school_id, student_id, active);

	if (rc == ACCESS_OK)
		rc = es_link_get(db, student_id, escort_id, &cur);
	return rc;
}

int
access_escort_bind(struct store *db, const struct principal *p,
                   int64_t school_id, int64_t student_id, int64_t escort_id,
                   const char *value, const char *kind, char *holder,
                   size_t holderlen, int64_t *holder_school, int64_t *id)
{
	char now[PEOPLE_TIME_MAX], detail[64];
	int64_t new_id = 0;
	bool own;
	int rc;

	if (!access_identifier_valid(value) || !access_escort_kind_valid(kind))
		return ACCESS_INVALID;
	if ((rc = access_txn_begin(db, "escort", &own)) != ACCESS_OK)
		return rc;
	rc = kindergarten_on(db, school_id);
	if (rc == ACCESS_OK)
		rc = escort_of_child(db, school_id, student_id, escort_id,
		                     true);
	if (rc == ACCESS_OK)
		rc = value_free(db, value, holder, holderlen, holder_school);
	people_now(now);
	if (rc == ACCESS_OK)
		rc = es_ident_insert(db, school_id, escort_id, kind, value, now,
		                     access_staff_id(p), &new_id);
	snprintf(detail, sizeof(detail), "escort=%lld kind=%s",
	         (long long)escort_id, kind);
	if (rc == ACCESS_OK)
		rc = access_audit(db, p, "escort_identifier.bind", school_id,
		                  "escort_identifier", new_id, detail);
	rc = access_txn_end(db, "escort", own, rc);
	if (rc == ACCESS_OK && id != NULL)
		*id = new_id;
	return rc;
}

/* Blocks (active false) or unblocks (true) the escort's row of `value`. */
static int
set_status(struct store *db, const struct principal *p, int64_t school_id,
           int64_t student_id, int64_t escort_id, const char *value,
           bool active, const char *reason)
{
	struct es_identifier row;
	char now[PEOPLE_TIME_MAX], detail[40];
	bool own;
	int rc;

	if (!access_identifier_valid(value) ||
	    (reason != NULL && !access_reason_valid(reason)))
		return ACCESS_INVALID;
	if ((rc = access_txn_begin(db, "escort", &own)) != ACCESS_OK)
		return rc;
	rc = escort_of_child(db, school_id, student_id, escort_id, false);
	if (rc == ACCESS_OK)
		rc = es_ident_of_escort(db, escort_id, value, !active, &row);
	/* A found card may have been bound to someone else meanwhile. */
	if (rc == ACCESS_OK && active)
		rc = value_free(db, value, NULL, 0, NULL);
	people_now(now);
	if (rc == ACCESS_OK)
		rc = es_ident_set_status(db, row.id, active, now,
		                         access_staff_id(p), reason);
	snprintf(detail, sizeof(detail), "escort=%lld", (long long)escort_id);
	if (rc == ACCESS_OK)
		rc = access_audit(db, p,
		                  active ? "escort_identifier.unblock"
		                         : "escort_identifier.block",
		                  school_id, "escort_identifier", row.id,
		                  detail);
	return access_txn_end(db, "escort", own, rc);
}

int
access_escort_block(struct store *db, const struct principal *p,
                    int64_t school_id, int64_t student_id, int64_t escort_id,
                    const char *value, const char *reason)
{
	return set_status(db, p, school_id, student_id, escort_id, value, false,
	                  reason);
}

int
access_escort_unblock(struct store *db, const struct principal *p,
                      int64_t school_id, int64_t student_id, int64_t escort_id,
                      const char *value)
{
	return set_status(db, p, school_id, student_id, escort_id, value, true,
	                  NULL);
}

/* --- Read models ------------------------------------------------------- */

int
access_child_escorts(struct store *db, int64_t student_id, json_t **out)
{
	return es_escorts_json(db, student_id, out);
}

int
access_child_handovers(struct store *db, int64_t student_id, const char *from,
                       const char *to, json_t **out)
{
	char lo[16], hi[16];
	bool ok;

	if (access_days_between(from, to, &ok) < 0 || !ok)
		return ACCESS_INVALID;
	/* Device times are "YYYY-MM-DDTHH:MM:SSZ": the days' rows sort
	 * between "FROM" and "TOU" ('U' > 'T'), so the index serves it. */
	snprintf(lo, sizeof(lo), "%s", from);
	snprintf(hi, sizeof(hi), "%sU", to);
	return es_handovers_json(db, student_id, lo, hi, out);
}

int
access_child_handovers_at(struct store *db, int64_t student_id, int64_t from,
                          int64_t to, json_t **out)
{
	char lo[ACCESS_TIME_SIZE], hi[ACCESS_TIME_SIZE];

	if (to <= from)
		return ACCESS_INVALID;
	access_time_format(from, lo);
	access_time_format(to, hi);
	return es_handovers_json(db, student_id, lo, hi, out);
}

/* --- Handovers --------------------------------------------------------- */

/* A refusal the staff must hear of: one alert per handover, to whoever is
 * on duty.  The params name no one (see notify.h). */
static int
alert_staff(struct store *db, const struct access_handover *in,
            const struct es_handover *h)
{
	char key[64];
	json_t *params;
	int rc;

	params = json_pack("{s:s, s:s, s:s}", "at", h->device_at, "direction",
	                   in->direction, "reason", h->reason);
	if (params == NULL)
		return ACCESS_ERROR;
	snprintf(key, sizeof(key), "handover:%lld:%lld",
	         (long long)in->device_id, (long long)in->seq);
	rc = access_alert_staff(db, in->school_id, "kindergarten.refused", true,
	                        params, key);
	json_decref(params);
	return rc == ACCESS_OK ? ACCESS_OK : ACCESS_ERROR;
}

/* Decides a named child: the escort must have the right for them. */
static int
decide_named(struct store *db, const struct access_handover *in,
             struct es_handover *h, bool *alert)
{
	struct access_escort_rights r;
	struct es_child c;
	int rc;

	if (h->student_id == 0) { /* no such child in this kindergarten */
		h->reason = "not_allowed";
		*alert = true;
		return ACCESS_OK;
	}
	rc = es_link_get(db, h->student_id, h->escort_id, &r);
	if (rc == ACCESS_OK &&
	    !(strcmp(in->direction, "in") == 0 ? r.may_bring : r.may_pick_up))
		rc = ACCESS_NOT_FOUND;
	if (rc == ACCESS_NOT_FOUND) {
		h->reason = "not_allowed";
		*alert = true;
		return ACCESS_OK;
	}
	if (rc == ACCESS_OK)
		rc = es_child(db, h->student_id, &c);
	if (rc != ACCESS_OK)
		return rc;
	if (c.left) {
		h->reason = "left";
		return ACCESS_OK;
	}
	h->allow = true;
	h->reason = "ok";
	return ACCESS_OK;
}

/*
 * The decision for in->identifier at the device's kindergarten, into h
 * (its escort, identifier row and child too); *alert when the staff must
 * be told.
 */
static int
decide_handover(struct store *db, const struct access_handover *in,
                struct es_handover *h, bool *alert)
{
	struct es_identifier row;
	int64_t n = 0;
	int rc;

	*alert = false;
	h->allow = false;
	if (in->child != NULL) {
		/* Recorded even for an unknown escort: the child's page then
		 * shows who tried to take them. */
		rc = people_student_find(db, in->school_id, in->child,
		                         &h->student_id);
		if (rc == PEOPLE_NOT_FOUND)
			h->student_id = 0;
		else if (rc != PEOPLE_OK)
			return ACCESS_ERROR;
	}
	rc = es_ident_active(db, in->identifier, &row);
	if (rc == ACCESS_NOT_FOUND)
		rc = es_ident_newest(db, in->identifier, in->school_id, &row);
	if (rc == ACCESS_NOT_FOUND)
		rc = es_ident_newest(db, in->identifier, 0, &row);
	if (rc == ACCESS_NOT_FOUND) {
		h->reason = "unknown";
		return ACCESS_OK;
	}
	if (rc != ACCESS_OK)
		return rc;
	if (row.school_id != in->school_id) {
		/* Another school's escort: nothing of theirs is written here.
		 */
		h->reason = "other_school";
		return ACCESS_OK;
	}
	h->escort_id = row.escort_id;
	h->identifier_id = row.id;
	if (in->child == NULL &&
	    (rc = es_candidates(db, row.escort_id, in->school_id, in->direction,
	                        &h->student_id, &n)) != ACCESS_OK)
		return rc;
	if (!row.active) {
		h->reason = "blocked";
		*alert = true;
		return ACCESS_OK;
	}
	if (in->child != NULL)
		return decide_named(db, in, h, alert);
	if (n == 1) {
		h->allow = true;
		h->reason = "ok";
	} else if (n == 0) {
		h->reason = "not_allowed";
		*alert = true;
	} else {
		/* Not an intruder: the device must ask which child. */
		h->reason = "child_required";
	}
	return ACCESS_OK;
}

int
access_handover_record(struct store *db, const struct access_handover *in,
                       struct access_decision *out)
{
	char now[PEOPLE_TIME_MAX], device_at[ACCESS_TIME_SIZE];
	struct es_handover h;
	bool alert = false;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!access_identifier_valid(in->identifier) ||
	    !access_direction_valid(in->direction) || in->seq < 0 ||
	    (in->child != NULL && !validate_ref(in->child)))
		return ACCESS_INVALID;
	if (store_begin(db) != STORE_OK) {
		log_warnx("escort: handover begin: %s", store_errmsg(db));
		return ACCESS_ERROR;
	}
	rc = es_handover_find(db, in->device_id, in->seq, &out->allow,
	                      &out->reason);
	if (rc == ACCESS_OK) {
		out->replay = true;
		store_rollback(db); /* nothing was written */
		return ACCESS_OK;
	}
	memset(&h, 0, sizeof(h));
	people_now(now);
	access_time_format(in->device_at, device_at);
	h.in = in;
	h.device_at = device_at;
	h.now = now;
	if (rc == ACCESS_NOT_FOUND)
		rc = kindergarten_on(db, in->school_id);
	if (rc == ACCESS_OK)
		rc = decide_handover(db, in, &h, &alert);
	if (rc == ACCESS_OK)
		rc = es_handover_insert(db, &h);
	if (rc == ACCESS_OK && alert)
		rc = alert_staff(db, in, &h);
	if (rc == ACCESS_OK) {
		out->allow = h.allow;
		out->reason = h.reason;
	} else if (rc != ACCESS_NOT_KINDERGARTEN) {
		rc = ACCESS_ERROR; /* a constraint cannot happen: looked up */
	}
	return access_txn_end(db, "escort", true, rc);
}
