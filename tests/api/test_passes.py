"""Gates and identifiers: POST /api/v1/passes (contract), the student's
passes, and binding and blocking identifiers over HTTP and the CLI.

Gates and a till are added with `qorgan device add`, cards with
`qorgan card bind`.  Every identifier value is a secret for the harness:
the server's log must never show one.
"""

import datetime
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import ROSTER_A  # noqa: E402

CARDS = {  # value: (school, ref)
    "CARD-A1": ("sch-a", "A001"),
    "CARD-A2": ("sch-a", "A002"),
    "CARD-A4": ("sch-a", "A004"),
    "04:B1:00:7F": ("sch-b", "B001"),
}


def stamp(delta=datetime.timedelta(0)):
    t = datetime.datetime.now(datetime.timezone.utc) + delta
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


class TestPasses(harness.ServerTestCase):

    @classmethod
    def prepare(cls, q):
        def device(school, kind, name):
            token = q.cli("device", "add", school, "--kind", kind,
                          "--name", name).stdout.strip()
            q.tokens[name] = token
            return token

        cls.gate_a = device("sch-a", "gate", "Main gate")
        cls.till_a = device("sch-a", "till", "Canteen till")
        cls.gate_b = device("sch-b", "gate", "North door")
        for value, (school, ref) in CARDS.items():
            q.secrets.add(value)
            q.cli("card", "bind", school, ref, value)
        q.cli("card", "block", "sch-a", "CARD-A2", "--reason", "lost")
        # A004 leaves the school: not on the new roster.
        q.import_roster("sch-a", ROSTER_A[:3], name="sch-a-2.csv")

    def setUp(self):
        self.seq = getattr(type(self), "next_seq", 1000)

    def next(self):
        type(self).next_seq = self.seq = self.seq + 1
        return self.seq

    def pass_(self, identifier, token=None, seq=None, direction="in",
              at=None):
        body = {"identifier": identifier, "direction": direction,
                "at": at or stamp(), "seq": self.next() if seq is None
                else seq}
        return self.q.request("POST", "/api/v1/passes", body,
                              token=token or self.gate_a)

    def rows(self, sql="SELECT count(*) FROM passes", args=()):
        db = sqlite3.connect(self.q.db, timeout=10)
        try:
            return db.execute(sql, args).fetchone()[0]
        finally:
            db.close()

    # --- Decisions -------------------------------------------------------

    def decision(self, identifier, token=None):
        r = self.pass_(identifier, token)
        self.assertEqual(r.status, 200, r)
        return r.json["decision"], r.json["reason"]

    def test_allow(self):
        self.assertEqual(self.decision("CARD-A1"), ("allow", "ok"))

    def test_deny_reasons(self):
        self.assertEqual(self.decision("NO-SUCH-CARD"), ("deny", "unknown"))
        self.assertEqual(self.decision("CARD-A2"), ("deny", "blocked"))
        self.assertEqual(self.decision("CARD-A4"), ("deny", "left"))
        self.assertEqual(self.decision("04:B1:00:7F"),
                         ("deny", "other_school"))
        # School B's gate lets its own student in and school A's not.
        self.assertEqual(self.decision("04:B1:00:7F", self.gate_b),
                         ("allow", "ok"))
        self.assertEqual(self.decision("CARD-A1", self.gate_b),
                         ("deny", "other_school"))

    def test_same_seq_twice(self):
        seq = self.next()
        first = self.pass_("CARD-A1", seq=seq)
        again = self.pass_("NO-SUCH-CARD", seq=seq, direction="out")
        self.assertEqual(first.status, 200, first)
        self.assertEqual(again.status, 200, again)
        self.assertEqual(again.json, first.json)
        self.assertEqual(self.rows("SELECT count(*) FROM passes WHERE "
                                   "seq = ?", (seq,)), 1)
        # Another gate may use the same seq for its own pass.
        r = self.pass_("04:B1:00:7F", token=self.gate_b, seq=seq)
        self.assertEqual(r.json["decision"], "allow", r)
        self.assertEqual(self.rows("SELECT count(*) FROM passes WHERE "
                                   "seq = ?", (seq,)), 2)

    def test_only_gates(self):
        before = self.rows()
        self.assertProblem(self.pass_("CARD-A1", token=self.till_a), 403)
        self.assertProblem(self.pass_("CARD-A1",
                                      token=self.q.login("director-a")), 403)
        r = self.q.request("POST", "/api/v1/passes",
                           {"identifier": "CARD-A1", "direction": "in",
                            "at": stamp(), "seq": 1})
        self.assertProblem(r, 401)
        self.assertEqual(self.rows(), before)

    def test_bad_input_names_the_field(self):
        day = datetime.timedelta(days=1)
        cases = [
            ("direction", dict(direction="sideways")),
            ("direction", dict(direction="IN")),
            ("at", dict(at="yesterday")),
            ("at", dict(at="2024-09-02 08:00:00")),
            ("at", dict(at=stamp(datetime.timedelta(minutes=10)))),
            ("at", dict(at=stamp(-8 * day))),
            ("identifier", dict(identifier="CARD A1")),
            ("identifier", dict(identifier="карта")),
            ("identifier", dict(identifier="X" * 65)),
            ("identifier", dict(identifier="")),
            ("seq", dict(seq=-1)),
            ("seq", dict(seq=1.5)),
            ("seq", dict(seq="7")),
            ("seq", dict(seq=None)),
        ]
        before = self.rows()
        for field, change in cases:
            body = {"identifier": "CARD-A1", "direction": "in",
                    "at": stamp(), "seq": self.next()}
            body.update(change)
            if body["seq"] is None:
                del body["seq"]
            r = self.q.request("POST", "/api/v1/passes", body,
                               token=self.gate_a)
            p = self.assertProblem(r, 422)
            self.assertTrue(p["detail"].startswith(field + ":"),
                            (change, p))
        self.assertEqual(self.rows(), before)
        # Within the allowed skew and an offset other than Z is fine.
        r = self.pass_("CARD-A1", at=stamp(datetime.timedelta(minutes=4)))
        self.assertEqual(r.status, 200, r)
        now = datetime.datetime.now(datetime.timezone(
            datetime.timedelta(hours=5)))
        r = self.pass_("CARD-A1", at=now.isoformat(timespec="seconds"))
        self.assertEqual(r.status, 200, r)

    # --- The student's passes -------------------------------------------

    def test_student_passes(self):
        self.assertEqual(self.decision("CARD-A1"), ("allow", "ok"))
        token = self.q.login("director-a")
        today = datetime.datetime.now(datetime.timezone.utc).date()
        path = "/api/v1/students/sch-a/A001/passes"
        for query in ("", "?from=%s&to=%s" % (today, today)):
            r = self.q.request("GET", path + query, token=token)
            self.assertEqual(r.status, 200, r)
            passes = r.json["passes"]
            self.assertTrue(passes)
            self.assertEqual(set(passes[0]),
                             {"direction", "at", "gate", "decision"})
            self.assertIn("Main gate", [p["gate"] for p in passes])
            ats = [p["at"] for p in passes]
            self.assertEqual(ats, sorted(ats))
        old = today - datetime.timedelta(days=30)
        r = self.q.request("GET", "%s?from=%s&to=%s" % (path, old, old),
                           token=token)
        self.assertEqual(r.json["passes"], [])
        for query, field in (("from=2024-02-30", "from"),
                             ("to=today", "to"),
                             ("from=2024-09-03&to=2024-09-02", "from"),
                             ("from=2023-01-01&to=2024-09-02", "to")):
            p = self.assertProblem(self.q.request(
                "GET", path + "?" + query, token=token), 422)
            self.assertTrue(p["detail"].startswith(field + ":"), p)
        self.assertProblem(self.q.request(
            "GET", path, token=self.q.login("director-b")), 403)
        self.assertProblem(self.q.request(
            "GET", "/api/v1/students/sch-a/NOPE/passes", token=token), 404)
        self.assertProblem(self.q.request("GET", path, token=self.gate_a),
                           403)

    # --- Identifiers over HTTP ---------------------------------------------

    def test_card_shows_identifiers(self):
        # The student's card (API and page) lists what is bound, blocked too.
        r = self.q.request("GET", "/api/v1/students/sch-a/A002",
                           token=self.q.login("director-a"))
        self.assertEqual(r.status, 200, r)
        ids = {i["identifier"]: i for i in r.json["identifiers"]}
        self.assertEqual(ids["CARD-A2"]["status"], "blocked")
        self.assertEqual(ids["CARD-A2"]["reason"], "lost")
        b = self.q.browser()
        b.login("director-a")
        page = b.get("/school/sch-a/student/A001")
        self.assertEqual(page.status, 200, page)
        self.assertIn("CARD-A1", page.text)
        self.assertIn("active", page.text)


    def test_bind_block_unblock(self):
        token = self.q.login("director-a")
        self.q.secrets.update({"API-CARD-1", "API-CARD-2"})
        url = "/api/v1/students/sch-a/A003/identifiers"
        r = self.q.request("POST", url, {"identifier": "API-CARD-1",
                                         "kind": "bracelet"}, token=token)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["kind"], "bracelet")
        self.assertEqual(self.decision("API-CARD-1"), ("allow", "ok"))
        # Taken: staff are told who holds it when they may see them.
        p = self.assertProblem(self.q.request(
            "POST", "/api/v1/students/sch-a/A001/identifiers",
            {"identifier": "API-CARD-1"}, token=token), 409)
        self.assertIn("sch-a/A003", p["detail"])
        p = self.assertProblem(self.q.request(
            "POST", "/api/v1/students/sch-b/B002/identifiers",
            {"identifier": "API-CARD-1"},
            token=self.q.login("director-b")), 409)
        self.assertNotIn("A003", p["detail"])
        # Biometrics need consent; bad values name the field.
        p = self.assertProblem(self.q.request(
            "POST", url, {"identifier": "BIO-1", "kind": "biometric"},
            token=token), 422)
        self.assertTrue(p["detail"].startswith("kind:"), p)
        for body, field in (({"identifier": "a b"}, "identifier"),
                            ({"identifier": "X1", "kind": "laser"}, "kind"),
                            ({"kind": "card"}, "identifier")):
            p = self.assertProblem(self.q.request("POST", url, body,
                                                  token=token), 422)
            self.assertTrue(p["detail"].startswith(field + ":"), p)
        # Lost: block it and bind a new one; found: unblock.
        block = "/api/v1/identifiers/sch-a/API-CARD-1/block"
        r = self.q.request("POST", block, {"reason": "lost on the bus"},
                           token=token)
        self.assertEqual(r.status, 204, r)
        self.assertEqual(self.decision("API-CARD-1"), ("deny", "blocked"))
        self.assertProblem(self.q.request("POST", block, {}, token=token),
                           404)
        r = self.q.request("POST", url, {"identifier": "API-CARD-2"},
                           token=token)
        self.assertEqual(r.status, 201, r)
        r = self.q.request("POST", "/api/v1/identifiers/sch-a/API-CARD-1/"
                           "unblock", token=token)
        self.assertEqual(r.status, 204, r)
        self.assertEqual(self.decision("API-CARD-1"), ("allow", "ok"))
        # Not in another school's scope; not for every role.
        self.assertProblem(self.q.request(
            "POST", "/api/v1/identifiers/sch-a/API-CARD-1/block", {},
            token=self.q.login("director-b")), 403)
        self.assertProblem(self.q.request(
            "POST", url, {"identifier": "API-CARD-3"},
            token=self.q.login("psych-a")), 403)

    def test_cli_refusals(self):
        p = self.q.cli("card", "bind", "sch-a", "A003", "CARD-A1", expect=1)
        self.assertIn("sch-a/A001", p.stderr)
        self.assertTrue(p.stderr.startswith("qorgan: "), p.stderr)
        self.q.cli("card", "bind", "sch-a", "A003", "X9", "--kind", "laser",
                   expect=2)
        self.q.cli("card", "bind", "sch-a", "A003", expect=2)
        self.q.cli("card", "bind", "sch-a", "NOPE", "X9", expect=1)
        self.q.cli("card", "unblock", "sch-a", "CARD-A1", expect=1)


if __name__ == "__main__":
    harness.main()
