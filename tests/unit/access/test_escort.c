/*
 * Kindergarten mode (escort.c over escort_store.c): the switch, who may
 * manage escorts, adding and linking escorts (siblings share one by phone),
 * one active holder per identifier value across students and escorts, the
 * handover decision for every reason, the alert a refusal raises, and one
 * handover per device and seq.  Schools A and B in kindergarten mode, C
 * not; children, devices and users are inserted directly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "access/access.h"
#include "people/people.h"
#include "../testdb.h"
#include "fixture.h"

#define NOW "2024-09-02T08:00:00Z"

struct fixture {
	struct testdb t;
	struct store *db;
	int64_t school_a, school_b, school_c;
	int64_t k1, k2, kl, b1, c1; /* children; kl will leave */
	int64_t gate_a, kiosk_a, gate_b, gate_c;
	int64_t director, teacher;
	int64_t seq;
};

static int64_t
device(struct fixture *f, int64_t school, const char *kind, const char *name)
{
	int64_t id = 0;

	assert_int_equal(store_execf(f->db,
	                             "INSERT INTO devices (school_id, kind, "
	                             "name, token_hash, created_at) "
	                             "VALUES (?, ?, ?, ?, ?)",
	                             "ittt"
	                             "t",
	                             school, kind, name, name, NOW),
	                 STORE_OK);
	assert_int_equal(store_query_int(f->db, &id,
	                                 "SELECT id FROM devices WHERE "
	                                 "token_hash = ?",
	                                 "t", name),
	                 STORE_ROW);
	return id;
}

/* A staff user straight into the tables (no password hashing). */
static int64_t
user(struct fixture *f, const char *login, const char *role, int64_t school)
{
	int64_t id = 0;

	assert_int_equal(store_execf(f->db,
	                             "INSERT INTO users (login, password_hash, "
	                             "role, created_at) VALUES (?, 'x', ?, ?)",
	                             "ttt", login, role, NOW),
	                 STORE_OK);
	assert_int_equal(store_query_int(f->db, &id,
	                                 "SELECT id FROM users WHERE login = ?",
	                                 "t", login),
	                 STORE_ROW);
	assert_int_equal(store_execf(f->db,
	                             "INSERT INTO user_schools (user_id, "
	                             "school_id) VALUES (?, ?)",
	                             "ii", id, school),
	                 STORE_OK);
	return id;
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL || (f->db = testdb_open(&f->t)) == NULL)
		return -1;
	if (people_school_add(f->db, NULL, "sch-a", "A", NULL, NULL,
	                      &f->school_a) != PEOPLE_OK ||
	    people_school_add(f->db, NULL, "sch-b", "B", NULL, NULL,
	                      &f->school_b) != PEOPLE_OK ||
	    people_school_add(f->db, NULL, "sch-c", "C", NULL, NULL,
	                      &f->school_c) != PEOPLE_OK)
		return -1;
	f->k1 = fixture_add_student(f->db, f->school_a, "K1", "active", NOW);
	f->k2 = fixture_add_student(f->db, f->school_a, "K2", "active", NOW);
	f->kl = fixture_add_student(f->db, f->school_a, "KL", "active", NOW);
	f->b1 = fixture_add_student(f->db, f->school_b, "B1", "active", NOW);
	f->c1 = fixture_add_student(f->db, f->school_c, "C1", "active", NOW);
	f->gate_a = device(f, f->school_a, "gate", "gate-a");
	f->kiosk_a = device(f, f->school_a, "kiosk", "kiosk-a");
	f->gate_b = device(f, f->school_b, "gate", "gate-b");
	f->gate_c = device(f, f->school_c, "gate", "gate-c");
	f->director = user(f, "director-a", "director", f->school_a);
	f->teacher = user(f, "teacher-a", "class_teacher", f->school_a);
	if (access_kindergarten_set(f->db, NULL, f->school_a, true, NULL) !=
	            ACCESS_OK ||
	    access_kindergarten_set(f->db, NULL, f->school_b, true, NULL) !=
	            ACCESS_OK)
		return -1;
	f->seq = 100;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	testdb_close(&f->t);
	free(f);
	return 0;
}

static const struct access_escort_rights BOTH = {"mother", true, true};
static const struct access_escort_rights PICK_UP = {"grandmother", false, true};
static const struct access_escort_rights BRING = {"nanny", true, false};

static int64_t
add(struct fixture *f, int64_t school, int64_t child, const char *name,
    const char *phone, const struct access_escort_rights *r)
{
	int64_t id = 0;

	assert_int_equal(access_escort_add(f->db, NULL, school, child, name,
	                                   phone, r, &id, NULL),
	                 ACCESS_OK);
	assert_true(id > 0);
	return id;
}

static int
bind_card(struct fixture *f, int64_t school, int64_t child, int64_t escort,
          const char *value)
{
	return access_escort_bind(f->db, NULL, school, child, escort, value,
	                          "card", NULL, 0, NULL, NULL);
}

static int64_t
count(struct fixture *f, const char *sql)
{
	return fixture_count(f->db, sql);
}

/* --- The switch and who may manage ----------------------------------- */

static void
test_kindergarten_switch(void **state)
{
	struct fixture *f = *state;
	char since[ACCESS_STAMP_SIZE];
	bool on = true, changed = true;

	assert_int_equal(
	        access_kindergarten_get(f->db, f->school_c, &on, since),
	        ACCESS_OK);
	assert_false(on);
	assert_string_equal(since, "");
	assert_int_equal(access_kindergarten_set(f->db, NULL, f->school_a, true,
	                                         &changed),
	                 ACCESS_OK);
	assert_false(changed); /* on already: nothing written */
	assert_int_equal(access_kindergarten_set(f->db, NULL, f->school_c, true,
	                                         &changed),
	                 ACCESS_OK);
	assert_true(changed);
	assert_int_equal(
	        access_kindergarten_get(f->db, f->school_c, &on, since),
	        ACCESS_OK);
	assert_true(on);
	assert_int_equal(strlen(since), 20);
	assert_int_equal(access_kindergarten_set(f->db, NULL, f->school_c,
	                                         false, &changed),
	                 ACCESS_OK);
	assert_true(changed);
	assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE "
	                          "action LIKE 'kindergarten.%'"),
	                 4); /* A and B in setup, C on and off */
	/* Not a kindergarten: no escorts. */
	assert_int_equal(access_escort_add(f->db, NULL, f->school_c, f->c1,
	                                   "Name", NULL, &BOTH, NULL, NULL),
	                 ACCESS_NOT_KINDERGARTEN);
	assert_int_equal(count(f, "SELECT count(*) FROM escorts"), 0);
}

static struct principal
staff(enum role role, int64_t user_id)
{
	struct principal p;

	memset(&p, 0, sizeof(p));
	p.kind = PRINCIPAL_STAFF;
	p.role = role;
	p.user_id = user_id;
	return p;
}

static void
test_who_may_manage(void **state)
{
	struct fixture *f = *state;
	struct principal director = staff(ROLE_DIRECTOR, f->director);
	struct principal teacher = staff(ROLE_CLASS_TEACHER, f->teacher);
	struct principal psych = staff(ROLE_PSYCHOLOGIST, 99);
	struct principal gate;
	int64_t class_id = 0, other = 0;

	memset(&gate, 0, sizeof(gate));
	gate.kind = PRINCIPAL_DEVICE;
	gate.device_kind = "gate";
	gate.device_school_id = f->school_a;
	assert_true(access_escorts_allowed(f->db, &director, f->k1));
	assert_true(access_escorts_allowed(f->db, &teacher, 0));
	assert_false(access_escorts_allowed(f->db, &psych, 0));
	assert_false(access_escorts_allowed(f->db, &gate, f->k1));
	assert_false(access_escorts_allowed(f->db, NULL, f->k1));
	/* A class teacher: only the children of their own groups. */
	assert_false(access_escorts_allowed(f->db, &teacher, f->k1));
	assert_int_equal(people_class_find(f->db, f->school_a, "3А", &class_id),
	                 PEOPLE_OK);
	assert_int_equal(store_execf(f->db,
	                             "INSERT INTO user_classes (user_id, "
	                             "class_id) VALUES (?, ?)",
	                             "ii", f->teacher, class_id),
	                 STORE_OK);
	assert_true(access_escorts_allowed(f->db, &teacher, f->k1));
	assert_int_equal(
	        people_class_ensure(f->db, f->school_a, "4Б", &other, NULL),
	        PEOPLE_OK);
	assert_int_equal(store_execf(f->db,
	                             "UPDATE students SET class_id = ? "
	                             "WHERE id = ?",
	                             "ii", other, f->k2),
	                 STORE_OK);
	assert_false(access_escorts_allowed(f->db, &teacher, f->k2));
	/* The switch: director, school admin, platform admin only. */
	assert_true(access_kindergarten_switch_allowed(&director));
	assert_false(access_kindergarten_switch_allowed(&teacher));
	psych.role = ROLE_DEPUTY;
	assert_false(access_kindergarten_switch_allowed(&psych));
	assert_true(access_escorts_allowed(f->db, &psych, f->k2));
	assert_false(access_kindergarten_switch_allowed(&gate));
}

/* --- Escorts ----------------------------------------------------------- */

static void
test_add_link_update(void **state)
{
	struct fixture *f = *state;
	struct access_escort_rights none = {"mother", false, false};
	struct access_escort_rights bad = {"aunt", true, true};
	int64_t grandma, again = 0;
	bool existing = false;
	json_t *list = NULL, *e;
	char name[8];
	int i;

	grandma =
	        add(f, f->school_a, f->k1, "Grandma", "+77011234567", &PICK_UP);
	/* The same phone for a brother: the same escort, name kept. */
	assert_int_equal(access_escort_add(f->db, NULL, f->school_a, f->k2,
	                                   "Someone", "+77011234567", &BOTH,
	                                   &again, &existing),
	                 ACCESS_OK);
	assert_int_equal(again, grandma);
	assert_true(existing);
	assert_int_equal(access_escort_add(f->db, NULL, f->school_a, f->k1,
	                                   "Grandma", "+77011234567", &BOTH,
	                                   &again, NULL),
	                 ACCESS_TAKEN);
	assert_int_equal(access_escort_link(f->db, NULL, f->school_a, f->k2,
	                                    grandma, &BOTH),
	                 ACCESS_TAKEN);
	/* Another school's child, a bad name, phone or rights. */
	assert_int_equal(access_escort_link(f->db, NULL, f->school_b, f->b1,
	                                    grandma, &BOTH),
	                 ACCESS_NOT_FOUND);
	assert_int_equal(access_escort_add(f->db, NULL, f->school_a, f->b1, "X",
	                                   NULL, &BOTH, NULL, NULL),
	                 ACCESS_NOT_FOUND);
	assert_int_equal(access_escort_add(f->db, NULL, f->school_a, f->k1, "",
	                                   NULL, &BOTH, NULL, NULL),
	                 ACCESS_INVALID);
	assert_int_equal(access_escort_add(f->db, NULL, f->school_a, f->k1, "X",
	                                   "87011234567", &BOTH, NULL, NULL),
	                 ACCESS_INVALID); /* logic takes E.164 only */
	assert_int_equal(access_escort_add(f->db, NULL, f->school_a, f->k1, "X",
	                                   NULL, &none, NULL, NULL),
	                 ACCESS_INVALID);
	assert_int_equal(access_escort_add(f->db, NULL, f->school_a, f->k1, "X",
	                                   NULL, &bad, NULL, NULL),
	                 ACCESS_INVALID);
	assert_int_equal(count(f, "SELECT count(*) FROM escorts"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM child_escorts"), 2);
	assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE "
	                          "action = 'escort.add'"),
	                 1);
	assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE "
	                          "action = 'escort.link'"),
	                 2);
	/* A child who left takes no new escort. */
	assert_int_equal(store_execf(f->db,
	                             "UPDATE students SET status = 'left' "
	                             "WHERE id = ?",
	                             "i", f->kl),
	                 STORE_OK);
	assert_int_equal(access_escort_add(f->db, NULL, f->school_a, f->kl, "X",
	                                   NULL, &BOTH, NULL, NULL),
	                 ACCESS_LEFT);
	/* At most ACCESS_ESCORTS_MAX escorts per child. */
	for (i = 1; i < ACCESS_ESCORTS_MAX; i++) {
		snprintf(name, sizeof(name), "E%d", i);
		add(f, f->school_a, f->k1, name, NULL, &BRING);
	}
	assert_int_equal(access_escort_add(f->db, NULL, f->school_a, f->k1,
	                                   "One more", NULL, &BRING, NULL,
	                                   NULL),
	                 ACCESS_ESCORTS_FULL);
	/* Update: rights for one child; the name and phone for all. */
	assert_int_equal(access_escort_update(f->db, NULL, f->school_a, f->k2,
	                                      grandma, "Grandmother", "",
	                                      &PICK_UP),
	                 ACCESS_OK);
	assert_int_equal(access_escort_update(f->db, NULL, f->school_b, f->b1,
	                                      grandma, NULL, NULL, &PICK_UP),
	                 ACCESS_NOT_FOUND);
	assert_int_equal(access_child_escorts(f->db, f->k2, &list), ACCESS_OK);
	assert_int_equal(json_array_size(list), 1);
	e = json_array_get(list, 0);
	assert_int_equal(json_integer_value(json_object_get(e, "id")), grandma);
	assert_string_equal(json_string_value(json_object_get(e, "full_name")),
	                    "Grandmother");
	assert_true(json_is_null(json_object_get(e, "phone")));
	assert_string_equal(json_string_value(json_object_get(e, "relation")),
	                    "grandmother");
	assert_false(json_is_true(json_object_get(e, "may_bring")));
	assert_true(json_is_true(json_object_get(e, "may_pick_up")));
	assert_true(json_is_array(json_object_get(e, "identifiers")));
	json_decref(list);
	/* Unlink: off this child's list, still on the brother's. */
	assert_int_equal(
	        access_escort_unlink(f->db, NULL, f->school_a, f->k2, grandma),
	        ACCESS_OK);
	assert_int_equal(
	        access_escort_unlink(f->db, NULL, f->school_a, f->k2, grandma),
	        ACCESS_NOT_FOUND);
	assert_int_equal(count(f, "SELECT count(*) FROM child_escorts WHERE "
	                          "student_id = 1 OR student_id = 2"),
	                 ACCESS_ESCORTS_MAX);
}

/* --- One active holder per value --------------------------------------- */

static void
test_one_holder_across_students_and_escorts(void **state)
{
	struct fixture *f = *state;
	char holder[ACCESS_REF_SIZE], expect[ACCESS_REF_SIZE];
	int64_t mum, nanny, escort_b, school = 0;

	mum = add(f, f->school_a, f->k1, "Mum", NULL, &BOTH);
	nanny = add(f, f->school_a, f->k2, "Nanny", NULL, &BRING);
	escort_b = add(f, f->school_b, f->b1, "Dad B", NULL, &BOTH);
	/* A student's card cannot become an escort's. */
	assert_int_equal(access_bind(f->db, NULL, f->school_a, f->k1, "CARD:1",
	                             "card", NULL, 0, NULL, NULL),
	                 ACCESS_OK);
	assert_int_equal(access_escort_bind(f->db, NULL, f->school_b, f->b1,
	                                    escort_b, "CARD:1", "card", holder,
	                                    sizeof(holder), &school, NULL),
	                 ACCESS_TAKEN);
	assert_string_equal(holder, "sch-a/K1");
	assert_int_equal(school, f->school_a);
	/* An escort's card: the only holder, even across schools. */
	assert_int_equal(bind_card(f, f->school_a, f->k1, mum, "FOB:1"),
	                 ACCESS_OK);
	assert_int_equal(access_escort_bind(f->db, NULL, f->school_b, f->b1,
	                                    escort_b, "FOB:1", "fob", holder,
	                                    sizeof(holder), &school, NULL),
	                 ACCESS_TAKEN);
	snprintf(expect, sizeof(expect), "sch-a/escort/%lld", (long long)mum);
	assert_string_equal(holder, expect);
	assert_int_equal(bind_card(f, f->school_a, f->k2, nanny, "FOB:1"),
	                 ACCESS_TAKEN);
	assert_int_equal(bind_card(f, f->school_a, f->k1, mum, "FOB:1"),
	                 ACCESS_TAKEN);
	/* The query the students' bind asks. */
	school = 0;
	assert_int_equal(access_escort_value_free(f->db, "FOB:1", &school),
	                 ACCESS_TAKEN);
	assert_int_equal(school, f->school_a);
	assert_int_equal(access_escort_value_free(f->db, "CARD:1", NULL),
	                 ACCESS_OK);
	assert_int_equal(access_escort_value_free(f->db, "NOBODY", NULL),
	                 ACCESS_OK);
	/* And the students' bind asks it: an escort's fob is taken. */
	school = 0;
	assert_int_equal(access_bind(f->db, NULL, f->school_a, f->k2, "FOB:1",
	                             "fob", holder, sizeof(holder), &school,
	                             NULL),
	                 ACCESS_TAKEN);
	assert_string_equal(holder, "");
	assert_int_equal(school, f->school_a);
	/* Only through a child the escort belongs to; no biometrics. */
	assert_int_equal(bind_card(f, f->school_a, f->k2, mum, "FOB:2"),
	                 ACCESS_NOT_FOUND);
	assert_int_equal(access_escort_bind(f->db, NULL, f->school_a, f->k1,
	                                    mum, "BIO:1", "biometric", NULL, 0,
	                                    NULL, NULL),
	                 ACCESS_INVALID);
	assert_int_equal(bind_card(f, f->school_a, f->k1, mum, "bad value"),
	                 ACCESS_INVALID);
	/* Blocked, the value is free; the old holder cannot unblock it. */
	assert_int_equal(access_escort_block(f->db, NULL, f->school_a, f->k1,
	                                     mum, "FOB:1", "lost"),
	                 ACCESS_OK);
	assert_int_equal(access_escort_block(f->db, NULL, f->school_a, f->k1,
	                                     mum, "FOB:1", NULL),
	                 ACCESS_NOT_FOUND);
	assert_int_equal(bind_card(f, f->school_a, f->k2, nanny, "FOB:1"),
	                 ACCESS_OK);
	assert_int_equal(access_escort_unblock(f->db, NULL, f->school_a, f->k1,
	                                       mum, "FOB:1"),
	                 ACCESS_TAKEN);
	assert_int_equal(count(f, "SELECT count(*) FROM escort_identifiers "
	                          "WHERE status = 'active'"),
	                 1);
	assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE "
	                          "action LIKE 'escort_identifier.%'"),
	                 3); /* bind, block, bind */
}

/* --- Handovers --------------------------------------------------------- */

struct escorts {
	int64_t mum, grandma, nanny, left_dad;
};

/*
 * Mum may bring and pick up K1; grandma may pick up K1 and K2; the nanny
 * may bring K1 but her card is blocked; a dad may pick up KL, who leaves.
 */
static struct escorts
family(struct fixture *f)
{
	struct escorts e;

	e.mum = add(f, f->school_a, f->k1, "Mum", NULL, &BOTH);
	e.grandma = add(f, f->school_a, f->k1, "Grandma", NULL, &PICK_UP);
	assert_int_equal(access_escort_link(f->db, NULL, f->school_a, f->k2,
	                                    e.grandma, &PICK_UP),
	                 ACCESS_OK);
	e.nanny = add(f, f->school_a, f->k1, "Nanny", NULL, &BRING);
	e.left_dad = add(f, f->school_a, f->kl, "Dad", NULL, &BOTH);
	assert_int_equal(bind_card(f, f->school_a, f->k1, e.mum, "MUM"),
	                 ACCESS_OK);
	assert_int_equal(bind_card(f, f->school_a, f->k1, e.grandma, "GRAN"),
	                 ACCESS_OK);
	assert_int_equal(bind_card(f, f->school_a, f->k1, e.nanny, "NANNY"),
	                 ACCESS_OK);
	assert_int_equal(access_escort_block(f->db, NULL, f->school_a, f->k1,
	                                     e.nanny, "NANNY", NULL),
	                 ACCESS_OK);
	assert_int_equal(bind_card(f, f->school_a, f->kl, e.left_dad, "DAD"),
	                 ACCESS_OK);
	assert_int_equal(store_execf(f->db,
	                             "UPDATE students SET status = 'left' "
	                             "WHERE id = ?",
	                             "i", f->kl),
	                 STORE_OK);
	assert_int_equal(bind_card(f, f->school_b, f->b1,
	                           add(f, f->school_b, f->b1, "B", NULL, &BOTH),
	                           "OTHER"),
	                 ACCESS_OK);
	assert_int_equal(access_bind(f->db, NULL, f->school_a, f->k1,
	                             "CHILDCARD", "card", NULL, 0, NULL, NULL),
	                 ACCESS_OK);
	return e;
}

static int
handover(struct fixture *f, int64_t device, int64_t school, const char *value,
         const char *child, const char *direction, struct access_decision *d)
{
	struct access_handover h = {
	        .device_id = device,
	        .school_id = school,
	        .seq = ++f->seq,
	        .identifier = value,
	        .child = child,
	        .direction = direction,
	        .device_at = (int64_t)time(NULL),
	};

	return access_handover_record(f->db, &h, d);
}

static void
test_handover_decisions(void **state)
{
	static const struct {
		const char *value, *child, *direction;
		bool allow;
		const char *reason;
		bool alert;
	} cases[] = {
	        {"MUM", NULL, "in", true, "ok", false},
	        {"MUM", "K1", "out", true, "ok", false},
	        {"GRAN", NULL, "out", false, "child_required", false},
	        {"GRAN", "K2", "out", true, "ok", false},
	        {"GRAN", "K1", "in", false, "not_allowed", true},
	        {"GRAN", NULL, "in", false, "not_allowed", true},
	        {"MUM", "K2", "out", false, "not_allowed", true},
	        {"MUM", "NO-SUCH", "out", false, "not_allowed", true},
	        {"MUM", "B1", "out", false, "not_allowed", true},
	        {"NANNY", "K1", "in", false, "blocked", true},
	        {"NANNY", NULL, "in", false, "blocked", true},
	        {"DAD", "KL", "out", false, "left", false},
	        {"DAD", NULL, "out", false, "not_allowed", true},
	        {"UNKNOWN", "K1", "out", false, "unknown", false},
	        {"CHILDCARD", NULL, "out", false, "unknown", false},
	        {"OTHER", NULL, "out", false, "other_school", false},
	};
	struct fixture *f = *state;
	struct access_decision d;
	int64_t alerts = 0, notices;
	size_t i;

	family(f);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		notices = count(f, "SELECT count(*) FROM notices");
		assert_int_equal(handover(f, i % 2 ? f->gate_a : f->kiosk_a,
		                          f->school_a, cases[i].value,
		                          cases[i].child, cases[i].direction,
		                          &d),
		                 ACCESS_OK);
		if (d.allow != cases[i].allow ||
		    strcmp(d.reason, cases[i].reason) != 0)
			fail_msg("case %zu (%s %s %s): %s %s, expected %s", i,
			         cases[i].value,
			         cases[i].child ? cases[i].child : "-",
			         cases[i].direction, d.allow ? "allow" : "deny",
			         d.reason, cases[i].reason);
		assert_false(d.replay);
		/* One notice to the director per refusal they must hear of. */
		assert_int_equal(count(f, "SELECT count(*) FROM notices") -
		                         notices,
		                 cases[i].alert ? 1 : 0);
		alerts += cases[i].alert;
	}
	assert_int_equal(count(f, "SELECT count(*) FROM handovers"),
	                 (int64_t)(sizeof(cases) / sizeof(cases[0])));
	assert_int_equal(count(f, "SELECT count(*) FROM notices WHERE "
	                          "event = 'kindergarten.refused' AND "
	                          "urgent = 1 AND user_id = 1"),
	                 alerts);
	/* Params name nobody: a time, a direction and a reason. */
	assert_int_equal(count(f, "SELECT count(*) FROM notices WHERE "
	                          "params LIKE '%Mum%' OR params LIKE "
	                          "'%Gran%' OR params LIKE '%MUM%'"),
	                 0);
	/* Who and which card are kept: escort, identifier row and child. */
	assert_int_equal(count(f, "SELECT count(*) FROM handovers h JOIN "
	                          "escort_identifiers i ON i.id = "
	                          "h.escort_identifier_id AND i.escort_id = "
	                          "h.escort_id WHERE h.seq = 101 AND "
	                          "h.student_id = 1 AND h.direction = 'in' "
	                          "AND h.decision = 'allow'"),
	                 1);
	/* The blocked nanny without a child named: her only child is kept. */
	assert_int_equal(count(f, "SELECT student_id FROM handovers WHERE "
	                          "seq = 111"),
	                 f->k1);
	/* An unknown card with a child named: the child's page shows it. */
	assert_int_equal(count(f, "SELECT count(*) FROM handovers WHERE "
	                          "seq = 114 AND escort_id IS NULL AND "
	                          "student_id = 1"),
	                 1);
	/* Another school's escort leaves nothing of theirs here. */
	assert_int_equal(count(f, "SELECT count(*) FROM handovers WHERE "
	                          "seq = 116 AND escort_id IS NULL AND "
	                          "escort_identifier_id IS NULL"),
	                 1);
}

static void
test_handover_same_seq_and_schools(void **state)
{
	struct fixture *f = *state;
	struct access_handover h = {
	        .device_id = f->gate_a,
	        .school_id = f->school_a,
	        .seq = 7,
	        .identifier = "GRAN",
	        .child = "K1",
	        .direction = "in",
	        .device_at = (int64_t)time(NULL),
	};
	struct access_decision d, again;

	family(f);
	assert_int_equal(access_handover_record(f->db, &h, &d), ACCESS_OK);
	assert_false(d.allow);
	assert_string_equal(d.reason, "not_allowed");
	/* The retry: the first answer again, nothing written, no alert. */
	h.identifier = "MUM";
	h.direction = "out";
	assert_int_equal(access_handover_record(f->db, &h, &again), ACCESS_OK);
	assert_true(again.replay);
	assert_false(again.allow);
	assert_string_equal(again.reason, "not_allowed");
	assert_int_equal(count(f, "SELECT count(*) FROM handovers"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM notices"), 1);
	/* Another device may use the same seq. */
	h.device_id = f->kiosk_a;
	assert_int_equal(access_handover_record(f->db, &h, &d), ACCESS_OK);
	assert_true(d.allow);
	assert_false(d.replay);
	/* School B's gate: school A's child and escort are nothing to it. */
	h.device_id = f->gate_b;
	h.school_id = f->school_b;
	assert_int_equal(access_handover_record(f->db, &h, &d), ACCESS_OK);
	assert_false(d.allow);
	assert_string_equal(d.reason, "other_school");
	/* Not a kindergarten: refused, nothing recorded. */
	h.device_id = f->gate_c;
	h.school_id = f->school_c;
	assert_int_equal(access_handover_record(f->db, &h, &d),
	                 ACCESS_NOT_KINDERGARTEN);
	/* A kindergarten switched off keeps its records, takes no more. */
	assert_int_equal(
	        access_kindergarten_set(f->db, NULL, f->school_a, false, NULL),
	        ACCESS_OK);
	h.device_id = f->gate_a;
	h.school_id = f->school_a;
	h.seq = 8;
	assert_int_equal(access_handover_record(f->db, &h, &d),
	                 ACCESS_NOT_KINDERGARTEN);
	h.seq = 7; /* ...but a retry still gets its first answer */
	assert_int_equal(access_handover_record(f->db, &h, &d), ACCESS_OK);
	assert_true(d.replay);
	assert_int_equal(count(f, "SELECT count(*) FROM handovers"), 3);
	/* Bad input is refused before anything is read. */
	h.identifier = "bad value";
	assert_int_equal(access_handover_record(f->db, &h, &d), ACCESS_INVALID);
	h.identifier = "MUM";
	h.direction = "sideways";
	assert_int_equal(access_handover_record(f->db, &h, &d), ACCESS_INVALID);
}

static void
test_emergency_does_not_open(void **state)
{
	struct fixture *f = *state;
	struct access_decision d;

	family(f);
	assert_int_equal(access_emergency_set(f->db, NULL, f->school_a, true,
	                                      NULL, NULL),
	                 ACCESS_OK);
	assert_int_equal(
	        handover(f, f->gate_a, f->school_a, "UNKNOWN", "K1", "out", &d),
	        ACCESS_OK);
	assert_false(d.allow);
	assert_string_equal(d.reason, "unknown");
}

static void
test_handover_listing(void **state)
{
	struct fixture *f = *state;
	struct access_decision d;
	char today[PEOPLE_TIME_MAX];
	json_t *list = NULL, *h;

	family(f);
	assert_int_equal(
	        handover(f, f->gate_a, f->school_a, "MUM", NULL, "in", &d),
	        ACCESS_OK);
	assert_int_equal(
	        handover(f, f->gate_a, f->school_a, "GRAN", "K1", "out", &d),
	        ACCESS_OK);
	people_now(today);
	today[10] = '\0';
	assert_int_equal(
	        access_child_handovers(f->db, f->k1, today, today, &list),
	        ACCESS_OK);
	assert_int_equal(json_array_size(list), 2);
	h = json_array_get(list, 1);
	assert_string_equal(json_string_value(json_object_get(h, "direction")),
	                    "out");
	assert_string_equal(json_string_value(json_object_get(h, "decision")),
	                    "allow");
	assert_string_equal(json_string_value(json_object_get(h, "full_name")),
	                    "Grandma");
	assert_string_equal(json_string_value(json_object_get(h, "relation")),
	                    "grandmother");
	assert_string_equal(json_string_value(json_object_get(h, "device")),
	                    "gate-a");
	json_decref(list);
	assert_int_equal(access_child_handovers(f->db, f->k1, today,
	                                        "2000-01-01", &list),
	                 ACCESS_INVALID);
	/* By epoch seconds, as the page asks for a school's local day. */
	assert_int_equal(access_child_handovers_at(
	                         f->db, f->k1, (int64_t)time(NULL) - 60,
	                         (int64_t)time(NULL) + 60, &list),
	                 ACCESS_OK);
	assert_int_equal(json_array_size(list), 2);
	json_decref(list);
	assert_int_equal(access_child_handovers_at(
	                         f->db, f->k1, (int64_t)time(NULL) + 60,
	                         (int64_t)time(NULL) + 3600, &list),
	                 ACCESS_OK);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);
	assert_int_equal(access_child_handovers_at(f->db, f->k1, 10, 10, &list),
	                 ACCESS_INVALID);
}

static void
test_validators(void **state)
{
	(void)state;
	assert_true(access_relation_valid("grandmother"));
	assert_true(access_relation_valid("nanny"));
	assert_false(access_relation_valid("aunt"));
	assert_false(access_relation_valid(NULL));
	assert_true(access_escort_kind_valid("fob"));
	assert_false(access_escort_kind_valid("biometric"));
	assert_false(access_escort_kind_valid(NULL));
	assert_true(access_escort_name_valid("Сәуле Әжесі"));
	assert_false(access_escort_name_valid(""));
	assert_false(access_escort_name_valid("tab\there"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_kindergarten_switch, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_who_may_manage, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_add_link_update, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(
	                test_one_holder_across_students_and_escorts, setup,
	                teardown),
	        cmocka_unit_test_setup_teardown(test_handover_decisions, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(
	                test_handover_same_seq_and_schools, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_emergency_does_not_open,
	                                        setup, teardown),
	        cmocka_unit_test_setup_teardown(test_handover_listing, setup,
	                                        teardown),
	        cmocka_unit_test(test_validators),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
