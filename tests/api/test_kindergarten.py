"""Kindergarten mode over HTTP: the switch, a child's escorts (JSON and
pages), escorts' identifiers, POST /api/v1/handovers and the day's list.

School A is switched to kindergarten mode by its director at the start;
school B stays a school.  Gates, a kiosk and a till come from
`qorgan device add`; the class teacher teaches 3А (A001, A002) through a
row in user_classes.  Every escort's name, phone and identifier value is a
secret for the harness: the server's log must never show one.
"""

import datetime
import os
import sqlite3
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

BASE = "/api/v1/schools/sch-a/students"
NAMES = ["Гүлнар Әжесі", "Марат Әкесі", "Анна Няня", "Бабушка Второго",
         "Nobody Written"]
PHONES = ["+77015551122", "+77015553344"]
CARDS = ["KG-MUM-1", "KG-DAD-1", "KG-NANNY-1", "KG-CHILD-1", "KG-NEW-1"]


def stamp(delta=datetime.timedelta(0)):
    t = datetime.datetime.now(datetime.timezone.utc) + delta
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


class TestKindergarten(harness.ServerTestCase):

    @classmethod
    def prepare(cls, q):
        def device(school, kind, name):
            token = q.cli("device", "add", school, "--kind", kind,
                          "--name", name).stdout.strip()
            q.tokens[name] = token
            return token

        cls.gate_a = device("sch-a", "gate", "Kindergarten door")
        cls.kiosk_a = device("sch-a", "kiosk", "Group kiosk")
        cls.till_a = device("sch-a", "till", "Kitchen till")
        cls.gate_b = device("sch-b", "gate", "School B door")
        q.secrets.update(NAMES + PHONES + CARDS + ["8 701 555 11 22"])
        q.cli("card", "bind", "sch-a", "A003", "KG-CHILD-1")
        db = sqlite3.connect(q.db, timeout=10)
        try:
            db.execute("INSERT INTO user_classes (user_id, class_id) "
                       "SELECT u.id, c.id FROM users u, classes c "
                       "JOIN schools s ON s.id = c.school_id "
                       "WHERE u.login = 'teacher-a' AND s.code = 'sch-a' "
                       "AND c.name = '3А'")
            db.commit()
        finally:
            db.close()

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seq = 5000
        cls.tokens = {}
        r = cls.q.request("PUT", "/api/v1/schools/sch-a/kindergarten",
                          {"on": True}, token=cls.token("director-a"))
        if r.status != 200 or r.json["kindergarten"] is not True:
            cls.tearDownClass()
            raise AssertionError("switching kindergarten mode: %r" % r)

    @classmethod
    def token(cls, user):
        if user not in cls.tokens:
            cls.tokens[user] = cls.q.login(user)
        return cls.tokens[user]

    def rows(self, sql, args=()):
        db = sqlite3.connect(self.q.db, timeout=10)
        try:
            return db.execute(sql, args).fetchone()[0]
        finally:
            db.close()

    def read_audited(self, action):
        """Reads are audited by a group-commit writer within 50 ms
        (AUDIT_FLUSH_MS): wait up to 5 s for the line to show."""
        deadline = time.monotonic() + 5
        while True:
            n = self.rows("SELECT count(*) FROM audit_log WHERE action = ? "
                          "AND object_type = 'student'", (action,))
            if n > 0 or time.monotonic() > deadline:
                return n
            time.sleep(0.02)

    def api(self, method, path, body=None, user="director-a"):
        return self.q.request(method, path, body, token=self.token(user))

    def add(self, ref, user="director-a", **body):
        return self.api("POST", "%s/%s/escorts" % (BASE, ref), body, user)

    def next_seq(self):
        type(self).seq += 1
        return type(self).seq

    def handover(self, escort, direction="in", child=None, token=None,
                 seq=None, at=None):
        body = {"escort": escort, "direction": direction,
                "at": at or stamp(),
                "seq": self.next_seq() if seq is None else seq}
        if child is not None:
            body["child"] = child
        return self.q.request("POST", "/api/v1/handovers", body,
                              token=token or self.gate_a)

    def decision(self, escort, direction="in", child=None, token=None):
        r = self.handover(escort, direction, child, token)
        self.assertEqual(r.status, 200, r)
        return r.json["decision"], r.json["reason"]

    def family(self):
        """A002's mother (brings and picks up) with a card, once."""
        if getattr(type(self), "mum", None) is None:
            r = self.add("A002", full_name=NAMES[0], relation="mother",
                         phone="+7 701 555 33 44")
            self.assertEqual(r.status, 201, r)
            type(self).mum = r.json["escort"]
            r = self.api("POST", "%s/A002/escorts/%d/identifiers"
                         % (BASE, self.mum), {"identifier": CARDS[0]})
            self.assertEqual(r.status, 201, r)
        return self.mum

    # --- The switch --------------------------------------------------------

    def test_switch(self):
        path = "/api/v1/schools/sch-a/kindergarten"
        r = self.q.request("GET", path, token=self.gate_a)
        self.assertEqual(r.status, 200, r)
        self.assertIs(r.json["kindergarten"], True)
        self.assertIsNotNone(r.json["since"])
        self.assertProblem(self.q.request("GET", path), 401)
        self.assertProblem(self.q.request("GET", path, token=self.gate_b),
                           403)
        self.assertProblem(self.api("PUT", path, {"on": False}, "psych-a"),
                           403)
        self.assertProblem(self.api("PUT", path, {"on": False}, "teacher-a"),
                           403)
        self.assertProblem(self.api("PUT", path, {"on": False},
                                    "director-b"), 403)
        p = self.assertProblem(self.api("PUT", path, {"on": "yes"}), 422)
        self.assertIn("on", p["detail"])
        # Asking for the mode the school is in writes nothing.
        before = self.rows("SELECT count(*) FROM audit_log WHERE action "
                           "LIKE 'kindergarten.%'")
        r = self.api("PUT", path, {"on": True})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.rows("SELECT count(*) FROM audit_log WHERE "
                                   "action LIKE 'kindergarten.%'"), before)
        r = self.api("GET", "/api/v1/schools/sch-b/kindergarten",
                     user="director-b")
        self.assertIs(r.json["kindergarten"], False)

    # --- Escorts -------------------------------------------------------------

    def test_add_share_update_remove(self):
        r = self.add("A001", full_name=NAMES[1], relation="father",
                     phone="8 701 555 11 22", may_bring=False)
        self.assertEqual(r.status, 201, r)
        dad = r.json["escort"]
        self.assertIs(r.json["existing"], False)
        self.assertIs(r.json["may_bring"], False)
        self.assertIs(r.json["may_pick_up"], True)
        # The brother's page, the same phone: the same escort.
        r = self.add("A002", full_name="Anyone", relation="father",
                     phone="+77015551122")
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["escort"], dad)
        self.assertIs(r.json["existing"], True)
        # By number, twice: the second is a conflict.
        r = self.add("A002", escort=dad, relation="father")
        p = self.assertProblem(r, 409)
        self.assertIn("already", p["detail"])
        r = self.api("GET", BASE + "/A001/escorts")
        self.assertEqual(r.status, 200, r)
        self.assertIs(r.json["kindergarten"], True)
        e = [x for x in r.json["escorts"] if x["id"] == dad][0]
        self.assertEqual(e["full_name"], NAMES[1])
        self.assertEqual(e["phone"], "+77015551122")
        self.assertEqual(e["relation"], "father")
        self.assertEqual(e["identifiers"], [])
        self.assertGreaterEqual(self.read_audited("escorts.read"), 1)
        # Update for one child; the rights are the child's own.
        r = self.api("PUT", "%s/A001/escorts/%d" % (BASE, dad),
                     {"relation": "father", "may_bring": True,
                      "may_pick_up": True})
        self.assertEqual(r.status, 200, r)
        r = self.api("PUT", "%s/A001/escorts/%d" % (BASE, dad),
                     {"relation": "father", "may_bring": False,
                      "may_pick_up": False})
        p = self.assertProblem(r, 422)
        self.assertIn("may_bring", p["detail"])
        self.assertProblem(self.api("PUT", "%s/A001/escorts/999999"
                                    % BASE, {"relation": "father",
                                             "may_bring": True,
                                             "may_pick_up": True}), 404)
        self.assertProblem(self.api("PUT", "%s/A001/escorts/x1" % BASE,
                                    {}), 404)
        # Remove from the brother's list: 204, then 404.
        r = self.api("DELETE", "%s/A002/escorts/%d" % (BASE, dad))
        self.assertEqual(r.status, 204, r)
        self.assertProblem(self.api("DELETE", "%s/A002/escorts/%d"
                                    % (BASE, dad)), 404)
        self.assertEqual(self.rows("SELECT count(*) FROM audit_log WHERE "
                                   "action = 'escort.unlink'"), 1)

    def test_bad_input_names_the_field_and_writes_nothing(self):
        before = self.rows("SELECT count(*) FROM child_escorts")
        cases = [
            ({"full_name": "X", "relation": "aunt"}, "relation"),
            ({"relation": "mother"}, "full_name"),
            ({"full_name": "", "relation": "mother"}, "full_name"),
            ({"full_name": "X" * 201, "relation": "mother"}, "full_name"),
            ({"full_name": "X", "relation": "mother", "phone": "12"},
             "phone"),
            ({"full_name": "X", "relation": "mother", "escort": 1},
             "escort"),
            ({"escort": 0, "relation": "mother"}, "escort"),
            ({"full_name": "X", "relation": "mother", "may_bring": False,
              "may_pick_up": False}, "may_bring"),
            ({"full_name": "X", "relation": "mother", "nick": "x"},
             "nick"),
            ({"full_name": "X", "relation": "mother", "may_bring": 1},
             "may_bring"),
        ]
        for body, field in cases:
            with self.subTest(body=body):
                p = self.assertProblem(self.add("A001", **body), 422)
                self.assertTrue(p["detail"].startswith(field + ":"), p)
        self.assertEqual(self.rows("SELECT count(*) FROM child_escorts"),
                         before)

    def test_who_may(self):
        body = {"full_name": NAMES[4], "relation": "other"}
        before = self.rows("SELECT count(*) FROM escorts")
        path = BASE + "/A001/escorts"
        self.assertProblem(self.q.request("GET", path), 401)
        self.assertProblem(self.q.request("GET", path, token=self.gate_a),
                           403)
        for user in ("psych-a", "cashier-a", "director-b", "operator-n"):
            with self.subTest(user=user):
                self.assertProblem(self.api("GET", path, user=user), 403)
                self.assertProblem(self.add("A001", user, **body), 403)
        # The class teacher: their own group (3А) yes, 10B no.
        r = self.api("GET", path, user="teacher-a")
        self.assertEqual(r.status, 200, r)
        self.assertProblem(self.api("GET", BASE + "/A003/escorts",
                                    user="teacher-a"), 403)
        self.assertProblem(self.api("GET", BASE + "/NOPE/escorts"), 404)
        self.assertProblem(self.api("GET", "/api/v1/schools/nope/students/"
                                    "A001/escorts"), 404)
        self.assertEqual(self.rows("SELECT count(*) FROM escorts"), before)
        # School B is no kindergarten: 409, nothing written.
        r = self.api("POST", "/api/v1/schools/sch-b/students/B001/escorts",
                     body, "director-b")
        p = self.assertProblem(r, 409)
        self.assertIn("kindergarten", p["detail"])
        self.assertEqual(self.rows("SELECT count(*) FROM escorts"), before)

    def test_identifiers_one_holder(self):
        mum = self.family()
        path = "%s/A002/escorts/%d/identifiers" % (BASE, mum)
        # A student's card is not an escort's, and the other way round.
        p = self.assertProblem(self.api("POST", path,
                                        {"identifier": "KG-CHILD-1"}), 409)
        self.assertIn("sch-a/A003", p["detail"])
        p = self.assertProblem(self.api("POST", path,
                                        {"identifier": CARDS[0]}), 409)
        self.assertIn("escort/%d" % mum, p["detail"])
        p = self.assertProblem(self.api("POST", path,
                                        {"identifier": "BIO-1",
                                         "kind": "biometric"}), 422)
        self.assertTrue(p["detail"].startswith("kind:"), p)
        self.assertProblem(self.api("POST", path, {"identifier": "a b"}),
                           422)
        # Not the escort of this child: 404.
        self.assertProblem(self.api("POST", "%s/A001/escorts/%d/identifiers"
                                    % (BASE, mum), {"identifier": "X-1"}),
                           404)
        # Block, bind a new one, unblock the old one.
        r = self.api("POST", path, {"identifier": CARDS[4], "kind": "fob"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["kind"], "fob")
        r = self.api("POST", "%s/%s/block" % (path, CARDS[4]),
                     {"reason": "lost"})
        self.assertEqual(r.status, 204, r)
        self.assertProblem(self.api("POST", "%s/%s/block"
                                    % (path, CARDS[4])), 404)
        r = self.api("POST", "%s/%s/unblock" % (path, CARDS[4]))
        self.assertEqual(r.status, 204, r)
        self.assertEqual(self.rows("SELECT count(*) FROM escort_identifiers"
                                   " WHERE value = ? AND status = 'active'",
                                   (CARDS[4],)), 1)

    # --- Handovers -------------------------------------------------------

    def test_handover_decisions(self):
        self.family()
        nanny = self.add("A002", full_name=NAMES[2], relation="nanny",
                         may_pick_up=False).json["escort"]
        npath = "%s/A002/escorts/%d/identifiers" % (BASE, nanny)
        self.assertEqual(self.api("POST", npath,
                                  {"identifier": CARDS[2]}).status, 201)
        notices = self.rows("SELECT count(*) FROM notices WHERE event = "
                            "'kindergarten.refused'")
        self.assertEqual(self.decision(CARDS[0]), ("allow", "ok"))
        self.assertEqual(self.decision(CARDS[0], "out", "A002",
                                       self.kiosk_a), ("allow", "ok"))
        self.assertEqual(self.decision(CARDS[2], "in"), ("allow", "ok"))
        self.assertEqual(self.decision(CARDS[2], "out"),
                         ("deny", "not_allowed"))
        self.assertEqual(self.decision(CARDS[0], "out", "A001"),
                         ("deny", "not_allowed"))
        self.assertEqual(self.decision("KG-NOBODY"), ("deny", "unknown"))
        self.assertEqual(self.decision("KG-CHILD-1"), ("deny", "unknown"))
        r = self.api("POST", "%s/%s/block" % (npath, CARDS[2]))
        self.assertEqual(r.status, 204, r)
        self.assertEqual(self.decision(CARDS[2], "in"), ("deny", "blocked"))
        # Three refusals of known escorts, each told to school A's
        # leaders (the director at least) in the same transaction.
        self.assertGreaterEqual(
            self.rows("SELECT count(*) FROM notices WHERE event = "
                      "'kindergarten.refused'") - notices, 3)
        self.assertEqual(self.rows("SELECT count(*) FROM notices WHERE "
                                   "event = 'kindergarten.refused' AND "
                                   "params LIKE ?", ("%" + NAMES[2] + "%",)),
                         0)
        # The day's list: who brought, who took, refusals too.
        r = self.api("GET", BASE + "/A002/handovers")
        self.assertEqual(r.status, 200, r)
        got = [(h["direction"], h["decision"], h["full_name"])
               for h in r.json["handovers"]]
        self.assertIn(("in", "allow", NAMES[0]), got)
        self.assertIn(("out", "allow", NAMES[0]), got)
        self.assertIn(("in", "deny", NAMES[2]), got)
        self.assertGreaterEqual(self.read_audited("handovers.read"), 1)
        self.assertProblem(self.api("GET", BASE + "/A002/handovers?from=x"),
                           422)

    def test_handover_same_seq(self):
        self.family()
        seq = self.next_seq()
        first = self.handover(CARDS[0], seq=seq)
        again = self.handover("KG-NOBODY", "out", seq=seq)
        self.assertEqual(first.status, 200, first)
        self.assertEqual(again.json, first.json)
        self.assertEqual(self.rows("SELECT count(*) FROM handovers WHERE "
                                   "seq = ?", (seq,)), 1)
        r = self.handover(CARDS[0], seq=seq, token=self.kiosk_a)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.rows("SELECT count(*) FROM handovers WHERE "
                                   "seq = ?", (seq,)), 2)

    def test_handover_refusals_write_nothing(self):
        self.family()
        before = self.rows("SELECT count(*) FROM handovers")
        # Only a gate or kiosk: 401 without a token, 403 for others.
        r = self.q.request("POST", "/api/v1/handovers",
                           {"escort": CARDS[0], "direction": "in",
                            "at": stamp(), "seq": 1})
        self.assertProblem(r, 401)
        self.assertProblem(self.handover(CARDS[0], token=self.till_a), 403)
        self.assertProblem(self.handover(
            CARDS[0], token=self.token("director-a")), 403)
        # School B's gate: not a kindergarten, 409.
        p = self.assertProblem(self.handover(CARDS[0], token=self.gate_b),
                               409)
        self.assertIn("kindergarten", p["detail"])
        # Every field validated, the field named.
        future = stamp(datetime.timedelta(minutes=10))
        past = stamp(-datetime.timedelta(days=8))
        cases = [
            ({"escort": "a b"}, "escort"),
            ({"escort": "X" * 65}, "escort"),
            ({"direction": "up"}, "direction"),
            ({"child": "a/b"}, "child"),
            ({"at": "yesterday"}, "at"),
            ({"at": future}, "at"),
            ({"at": past}, "at"),
            ({"at": "2024-02-30T08:00:00Z"}, "at"),
            ({"seq": -1}, "seq"),
            ({"seq": "1"}, "seq"),
            ({"card": "x"}, "card"),
        ]
        for change, field in cases:
            body = {"escort": CARDS[0], "direction": "in", "at": stamp(),
                    "seq": self.next_seq()}
            body.update(change)
            with self.subTest(change=change):
                r = self.q.request("POST", "/api/v1/handovers", body,
                                   token=self.gate_a)
                p = self.assertProblem(r, 422)
                self.assertTrue(p["detail"].startswith(field + ":"), p)
        body = {"direction": "in", "at": stamp(), "seq": self.next_seq()}
        p = self.assertProblem(self.q.request("POST", "/api/v1/handovers",
                                              body, token=self.gate_a), 422)
        self.assertEqual(p["detail"], "escort: required")
        self.assertEqual(self.rows("SELECT count(*) FROM handovers"), before)

    # --- Pages -------------------------------------------------------------

    def test_pages(self):
        self.family()
        b = self.q.browser()
        b.login("director-a")
        card = b.get("/school/sch-a/student/A002")
        self.assertEqual(card.status, 200, card)
        self.assertIn('href="A002/escorts"', card.text)
        page = b.get("/school/sch-a/student/A002/escorts")
        self.assertEqual(page.status, 200, page)
        self.assertIn(NAMES[0], page.text)
        self.assertIn(CARDS[0], page.text)
        self.assertIn("Kindergarten mode is on.", page.text)
        path = "/school/sch-a/student/A002/escorts"
        # Without the csrf token: refused, nothing written.
        before = self.rows("SELECT count(*) FROM escorts")
        r = b.post_form(path, {"full_name": NAMES[3],
                               "relation": "grandmother",
                               "may_pick_up": "1"})
        self.assertEqual(r.status, 403, r)
        r = b.post_form(path, {"csrf": b.csrf(page), "full_name": NAMES[3],
                               "relation": "aunt", "may_pick_up": "1"})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(self.rows("SELECT count(*) FROM escorts"), before)
        r = b.post_form(path, {"csrf": b.csrf(page), "full_name": NAMES[3],
                               "relation": "grandmother",
                               "may_pick_up": "1"})
        self.assertEqual(r.status, 303, r)
        page = b.follow(r)
        self.assertIn(NAMES[3], page.text)
        self.assertEqual(self.rows("SELECT count(*) FROM escorts"),
                         before + 1)
        # A psychologist may not open the page.
        other = self.q.browser()
        other.login("psych-a")
        self.assertEqual(other.get(path).status, 403)
        # School B's student page links too; its escorts page says so.
        bb = self.q.browser()
        bb.login("director-b")
        r = bb.get("/school/sch-b/student/B001/escorts")
        self.assertEqual(r.status, 200, r)
        self.assertIn("not in kindergarten mode", r.text)


if __name__ == "__main__":
    harness.main()
