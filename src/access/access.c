/*
 * The access rules: which identifier may be bound to whom, blocking a lost
 * one, and what a gate is told when one is presented.
 *
 * Watch for: one value is active on at most one student on the whole
 * platform.  The partial unique index identifiers_active_value is the
 * guard; the lookup before an insert is only there to say who holds it.
 * Passes themselves are decided in pass.c.
 *
 * Who may switch emergency mode is the table in access_emergency_allowed().
 */
#include "access/access_internal.h"

#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "core/log.h"
#include "people/people.h"

const char *
access_strerror(int rc)
{
	switch (rc) {
	case ACCESS_OK:
		return "ok";
	case ACCESS_NOT_FOUND:
		return "no such identifier";
	case ACCESS_TAKEN:
		return "the identifier is active on a student";
	case ACCESS_INVALID:
		return "invalid value";
	case ACCESS_NO_CONSENT:
		return "biometric identifiers need the biometrics consent";
	case ACCESS_LEFT:
		return "the student has left the school";
	default:
		return "database error";
	}
}

bool
access_identifier_valid(const char *s)
{
	size_t i;

	if (s == NULL || s[0] == '\0')
		return false;
	for (i = 0; s[i] != '\0'; i++) {
		char c = s[i];

		if (i == ACCESS_IDENTIFIER_MAX)
			return false;
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == ':' || c == '_' ||
		      c == '-'))
			return false;
	}
	return true;
}

bool
access_kind_valid(const char *s)
{
	static const char *const kinds[] = {"card",  "bracelet", "fob",
	                                    "phone", "magnetic", "biometric"};

	return access_static_string(kinds, sizeof(kinds) / sizeof(kinds[0]),
	                            s) != NULL;
}

bool
access_direction_valid(const char *s)
{
	return s != NULL && (strcmp(s, "in") == 0 || strcmp(s, "out") == 0);
}

bool
access_reason_valid(const char *s)
{
	return people_text_valid(s, ACCESS_REASON_MAX);
}

const char *
access_static_string(const char *const *list, size_t n, const char *s)
{
	size_t i;

	for (i = 0; s != NULL && i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return list[i];
	return NULL;
}

const char *
access_reason_static(const char *s)
{
	static const char *const reasons[] = {
	        "ok",           "unknown",   "blocked", "left",
	        "other_school", "emergency", "manual"};

	return access_static_string(reasons,
	                            sizeof(reasons) / sizeof(reasons[0]), s);
}

/* --- Transactions and audit ---------------------------------------- */

int
access_txn_begin(struct store *db, const char *who, bool *own)
{
	*own = !store_in_transaction(db);
	if (*own && store_begin(db) != STORE_OK) {
		log_warnx("%s: begin: %s", who, store_errmsg(db));
		return ACCESS_ERROR;
	}
	return ACCESS_OK;
}

int
access_txn_end(struct store *db, const char *who, bool own, int rc)
{
	if (!own)
		return rc;
	if (rc != ACCESS_OK) {
		store_rollback(db);
		return rc;
	}
	if (store_commit(db) != STORE_OK) {
		log_warnx("%s: commit: %s", who, store_errmsg(db));
		store_rollback(db);
		return ACCESS_ERROR;
	}
	return ACCESS_OK;
}

int64_t
access_staff_id(const struct principal *p)
{
	return p != NULL && p->kind == PRINCIPAL_STAFF ? p->user_id : 0;
}

int
access_audit(struct store *db, const struct principal *p, const char *action,
             int64_t school_id, const char *type, int64_t id,
             const char *detail)
{
	char object[24];

	snprintf(object, sizeof(object), "%lld", (long long)id);
	return audit_record(db, p, action, school_id, type, object, detail) == 0
	               ? ACCESS_OK
	               : ACCESS_ERROR;
}

/* --- Identifiers --------------------------------------------------- */

int
access_bind(struct store *db, const struct principal *p, int64_t school_id,
            int64_t student_id, const char *value, const char *kind,
            char *holder, size_t holderlen, int64_t *holder_school, int64_t *id)
{
	struct as_identifier held;
	char now[PEOPLE_TIME_MAX], detail[32];
	int64_t sid = 0, new_id = 0;
	bool own;
	int rc;

	if (!access_identifier_valid(value) || !access_kind_valid(kind))
		return ACCESS_INVALID;
	if ((rc = access_txn_begin(db, "access", &own)) != ACCESS_OK)
		return rc;
	rc = as_student_school(db, student_id, &sid);
	if (rc == ACCESS_OK && sid != school_id)
		rc = ACCESS_NOT_FOUND;
	if (rc == ACCESS_OK) {
		rc = as_active(db, value, &held);
		if (rc == ACCESS_OK) {
			rc = ACCESS_TAKEN;
			if (holder_school != NULL)
				*holder_school = held.school_id;
			if (holder != NULL &&
			    as_student_label(db, held.student_id, holder,
			                     holderlen) != ACCESS_OK)
				snprintf(holder, holderlen, "?");
		} else if (rc == ACCESS_NOT_FOUND) {
			/* One value, one holder: escorts' cards count too. */
			rc = access_escort_value_free(db, value, holder_school);
			if (rc == ACCESS_TAKEN && holder != NULL)
				holder[0] = '\0'; /* an escort, not a student */
		}
	}
	if (rc == ACCESS_OK && strcmp(kind, "biometric") == 0 &&
	    !people_consent_current(db, student_id, PEOPLE_PURPOSE_BIOMETRICS))
		rc = ACCESS_NO_CONSENT;
	if (rc == ACCESS_OK) {
		int64_t left = 0;

		if (store_query_int(db, &left,
		                    "SELECT status = 'left' FROM students "
		                    "WHERE id = ?",
		                    "i", student_id) != STORE_ROW)
			rc = ACCESS_ERROR;
		else if (left)
			rc = ACCESS_LEFT;
	}
	people_now(now);
	if (rc == ACCESS_OK)
		rc = as_insert(db, school_id, student_id, kind, value, now,
		               access_staff_id(p), &new_id);
	snprintf(detail, sizeof(detail), "kind=%s", kind);
	if (rc == ACCESS_OK)
		rc = access_audit(db, p, "identifier.bind", school_id,
		                  "identifier", new_id, detail);
	rc = access_txn_end(db, "access", own, rc);
	if (rc == ACCESS_OK && id != NULL)
		*id = new_id;
	return rc;
}

/* Blocks (active false) or unblocks (true) the value's row in the school. */
static int
set_status(struct store *db, const struct principal *p, int64_t school_id,
           const char *value, bool active, const char *reason)
{
	struct as_identifier row;
	char now[PEOPLE_TIME_MAX];
	bool own;
	int rc;

	if (!access_identifier_valid(value) ||
	    (reason != NULL && !access_reason_valid(reason)))
		return ACCESS_INVALID;
	if ((rc = access_txn_begin(db, "access", &own)) != ACCESS_OK)
		return rc;
	if (active) {
		rc = as_newest(db, value, school_id, true, &row);
		/* Bound to an escort since it was blocked? Then it stays so. */
		if (rc == ACCESS_OK)
			rc = access_escort_value_free(db, value, NULL);
	} else if ((rc = as_active(db, value, &row)) == ACCESS_OK &&
	           row.school_id != school_id)
		rc = ACCESS_NOT_FOUND;
	people_now(now);
	if (rc == ACCESS_OK)
		rc = as_set_status(db, row.id, active, now, access_staff_id(p),
		                   reason);
	if (rc == ACCESS_OK)
		rc = access_audit(db, p,
		                  active ? "identifier.unblock"
		                         : "identifier.block",
		                  school_id, "identifier", row.id, NULL);
	return access_txn_end(db, "access", own, rc);
}

int
access_block(struct store *db, const struct principal *p, int64_t school_id,
             const char *value, const char *reason)
{
	return set_status(db, p, school_id, value, false, reason);
}

int
access_unblock(struct store *db, const struct principal *p, int64_t school_id,
               const char *value)
{
	return set_status(db, p, school_id, value, true, NULL);
}

int
access_student_identifiers(struct store *db, int64_t student_id, json_t *out)
{
	return as_identifiers_json(db, student_id, out) == ACCESS_OK ? 0 : -1;
}

/* --- Passes -------------------------------------------------------- */

int
access_student_passes(struct store *db, int64_t student_id, const char *from,
                      const char *to, json_t **out)
{
	bool ok;

	if (access_days_between(from, to, &ok) < 0 || !ok)
		return ACCESS_INVALID;
	return as_passes_json(db, student_id, from, to, out);
}

/* --- Manual admission ---------------------------------------------- */

int
access_admit(struct store *db, const struct principal *p, int64_t school_id,
             int64_t student_id, const char *direction)
{
	char now[PEOPLE_TIME_MAX];
	int64_t sid = 0, left = 0;
	bool own;
	int rc;

	if (access_staff_id(p) <= 0 || !access_direction_valid(direction))
		return ACCESS_INVALID;
	if ((rc = access_txn_begin(db, "access", &own)) != ACCESS_OK)
		return rc;
	rc = as_student_school(db, student_id, &sid);
	if (rc == ACCESS_OK && sid != school_id)
		rc = ACCESS_NOT_FOUND;
	if (rc == ACCESS_OK &&
	    store_query_int(db, &left,
	                    "SELECT status = 'left' FROM students WHERE id = ?",
	                    "i", student_id) != STORE_ROW)
		rc = ACCESS_ERROR;
	if (rc == ACCESS_OK && left)
		rc = ACCESS_LEFT;
	people_now(now);
	if (rc == ACCESS_OK)
		rc = as_manual_insert(db, school_id, student_id, direction,
		                      access_staff_id(p), now);
	if (rc == ACCESS_OK)
		rc = access_audit(
		        db, p, "pass.manual", school_id, "student", student_id,
		        strcmp(direction, "in") == 0 ? "direction=in"
		                                     : "direction=out");
	return access_txn_end(db, "access", own, rc);
}

/* --- Emergency mode ------------------------------------------------ */

/*
 * Who may switch a school's emergency mode, by role.  Opening the gates is
 * safe to do too early and dangerous to do too late, so everyone who keeps
 * the building (the director, deputies, security, the school's system
 * administrator) and the platform administrator may switch it on.  Ending
 * it closes the gates again while people may still be leaving, so only the
 * one who answers for the school (the director), its system administrator
 * and the platform administrator may.  Regional roles, teachers and other
 * staff may do neither.  A fire panel reaches us through a gate's or
 * kiosk's token and may only switch it on: an alarm that resets itself
 * must not close the gates.
 */
static const struct {
	enum role role;
	bool start, end;
} emergency_rules[] = {
        {ROLE_DIRECTOR, true, true},       {ROLE_DEPUTY, true, false},
        {ROLE_SECURITY, true, false},      {ROLE_SCHOOL_ADMIN, true, true},
        {ROLE_PLATFORM_ADMIN, true, true},
};

bool
access_emergency_allowed(const struct principal *p, int64_t school_id, bool on)
{
	size_t i;

	if (p == NULL)
		return false;
	if (p->kind == PRINCIPAL_DEVICE)
		return on && p->device_school_id == school_id &&
		       p->device_kind != NULL &&
		       (strcmp(p->device_kind, "gate") == 0 ||
		        strcmp(p->device_kind, "kiosk") == 0);
	for (i = 0; i < sizeof(emergency_rules) / sizeof(emergency_rules[0]);
	     i++)
		if (emergency_rules[i].role == p->role)
			return on ? emergency_rules[i].start
			          : emergency_rules[i].end;
	return false;
}

int
access_mode_get(struct store *db, int64_t school_id, struct access_mode *out)
{
	return as_mode_get(db, school_id, out);
}

/*
 * Tells the people on duty (access_alert_staff) that the mode changed.
 * The key is the school and the moment of the switch, so each switch is
 * one notice per person.  The reason stays out: it is free text.
 */
static int
alert_emergency(struct store *db, int64_t school_id, bool on, const char *now)
{
	char key[96];

	snprintf(key, sizeof(key), "emergency:%lld:%s:%s", (long long)school_id,
	         on ? "on" : "off", now);
	return access_alert_staff(db, school_id,
	                          on ? "emergency.on" : "emergency.off", on,
	                          NULL, key);
}

int
access_emergency_set(struct store *db, const struct principal *p,
                     int64_t school_id, bool on, const char *reason,
                     bool *changed)
{
	struct access_mode cur;
	char now[PEOPLE_TIME_MAX];
	int64_t user = 0, device = 0;
	bool own;
	int rc;

	if (changed != NULL)
		*changed = false;
	if (reason != NULL && !access_reason_valid(reason))
		return ACCESS_INVALID;
	if (p != NULL && p->kind == PRINCIPAL_DEVICE)
		device = p->device_id;
	else
		user = access_staff_id(p);
	if ((rc = access_txn_begin(db, "access", &own)) != ACCESS_OK)
		return rc;
	rc = as_mode_get(db, school_id, &cur);
	if (rc == ACCESS_OK && cur.emergency == on)
		return access_txn_end(db, "access", own,
		                      ACCESS_OK); /* nothing to change */
	people_now(now);
	if (rc == ACCESS_OK)
		rc = as_mode_set(db, school_id, on, now, user, device, reason);
	if (rc == ACCESS_OK)
		rc = access_audit(db, p, on ? "emergency.on" : "emergency.off",
		                  school_id, "school", school_id, NULL);
	if (rc == ACCESS_OK)
		rc = alert_emergency(db, school_id, on, now);
	rc = access_txn_end(db, "access", own, rc);
	if (rc == ACCESS_OK && changed != NULL)
		*changed = true;
	return rc;
}

/* More schools in emergency at once than anyone will see. */
#define EMERGENCY_SCAN_MAX 256

bool
access_emergency_visible(struct store *db, const struct principal *p)
{
	int64_t ids[EMERGENCY_SCAN_MAX];
	size_t i, n = 0;

	if (p == NULL || p->kind != PRINCIPAL_STAFF ||
	    as_emergency_schools(db, ids, EMERGENCY_SCAN_MAX, &n) != ACCESS_OK)
		return false;
	/* auth_school_visible() stays the one authority on scope. */
	for (i = 0; i < n; i++)
		if (auth_school_visible(db, p, ids[i]))
			return true;
	return false;
}
