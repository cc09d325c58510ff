"""GET /api/v1/students/{school}/{ref}: the contract's read, role and
school scope, and the audit line every read leaves."""

import hashlib
import os
import sqlite3
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import ROSTER_A, ROSTER_B  # noqa: E402


def student(school, ref):
    return "/api/v1/students/%s/%s" % (school, urllib.parse.quote(ref))


class TestStudents(harness.ServerTestCase):

    def get(self, user, school, ref):
        return self.q.request("GET", student(school, ref),
                              token=self.q.login(user))

    def session_id(self, token):
        """The sessions row behind a token (stored as BLAKE2b-256 hex)."""
        h = hashlib.blake2b(token.encode(), digest_size=32).hexdigest()
        db = sqlite3.connect(self.q.db, timeout=10)
        try:
            row = db.execute("SELECT id FROM sessions WHERE token_hash = ?",
                             (h,)).fetchone()
        finally:
            db.close()
        self.assertIsNotNone(row, "no session stored for the token")
        return row[0]

    def audit(self, user, **query):
        r = self.q.request("GET", "/api/v1/audit?" +
                           urllib.parse.urlencode(query),
                           token=self.q.login(user))
        self.assertEqual(r.status, 200, r)
        return r.json["entries"]

    # --- The contract's read ---------------------------------------------

    def test_read(self):
        r = self.get("director-a", "sch-a", "A001")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.content_type, "application/json")
        s = r.json
        want = ROSTER_A[0]
        self.assertEqual(s["ref"], "A001")
        self.assertEqual(s["full_name"], want["full_name"])
        self.assertEqual(s["class"], "3А")
        names = [g.get("full_name") for g in s.get("guardians", [])]
        self.assertIn(want["guardian_name"], names)

    def test_read_quoted_name_and_latin_class(self):
        s = self.get("director-a", "sch-a", "A003").json
        self.assertEqual(s["full_name"], "Жанар, Бекқызы Омарова")
        self.assertEqual(s["class"], "10B")

    def test_consent_is_shown(self):
        yes = self.get("director-a", "sch-a", "A001").json
        no = self.get("director-a", "sch-a", "A002").json
        self.assertIn("consent", yes)
        self.assertNotEqual(yes["consent"], no["consent"])

    def test_every_reading_role(self):
        for user in ("director-a", "psych-a", "teacher-a", "admin-a",
                     "platform"):
            r = self.get(user, "sch-a", "A002")
            self.assertEqual(r.status, 200, (user, r))
            self.assertEqual(r.json["ref"], "A002")
        self.assertEqual(self.get("platform", "sch-b", "B001").status, 200)

    # --- Scope -----------------------------------------------------------

    def test_other_school_is_403(self):
        for user in ("director-a", "psych-a", "teacher-a", "admin-a"):
            r = self.get(user, "sch-b", "B001")
            p = self.assertProblem(r, 403)
            self.assertNotIn(ROSTER_B[0]["full_name"], r.text)
            self.assertTrue(p["detail"])
        self.assertProblem(self.get("psych-b", "sch-a", "A001"), 403)

    def test_other_school_does_not_tell_which_refs_exist(self):
        known = self.get("director-a", "sch-b", "B001")
        unknown = self.get("director-a", "sch-b", "NOPE-404")
        self.assertEqual(known.status, 403)
        self.assertEqual(unknown.status, 403)
        self.assertEqual(known.json["detail"], unknown.json["detail"])

    def test_regional_operator_has_no_student_read(self):
        # Operators see their region's schools, but not personal data.
        self.assertProblem(self.get("operator-n", "sch-a", "A001"), 403)
        self.assertProblem(self.get("operator-n", "sch-b", "B001"), 403)
        self.assertProblem(self.get("supervisor-n", "sch-a", "A001"), 403)

    def test_cashier_is_403(self):
        r = self.get("cashier-a", "sch-a", "A001")
        self.assertProblem(r, 403)
        self.assertNotIn(ROSTER_A[0]["full_name"], r.text)

    def test_unknown_ref_is_404(self):
        self.assertProblem(self.get("director-a", "sch-a", "A999"), 404)
        self.assertProblem(self.get("director-a", "sch-a", "А001"), 404)

    def test_unknown_school_is_404(self):
        self.assertProblem(self.get("platform", "sch-zzz", "A001"), 404)

    def test_no_credentials_is_401(self):
        r = self.q.request("GET", student("sch-a", "A001"))
        self.assertProblem(r, 401)
        self.assertNotIn(ROSTER_A[0]["full_name"], r.text)

    def test_cookie_from_another_site_is_not_a_token(self):
        r = self.q.request("GET", student("sch-a", "A001"),
                           headers={"Cookie": "qorgan=" + "A" * 43})
        self.assertIn(r.status, (401,), r)

    def test_class_list_scope(self):
        r = self.q.request("GET", "/api/v1/schools/sch-a/classes",
                           token=self.q.login("director-a"))
        self.assertEqual(r.status, 200, r)
        self.assertIn("3А", r.text)
        r = self.q.request("GET", "/api/v1/schools/sch-a/classes",
                           token=self.q.login("director-b"))
        self.assertProblem(r, 403)

    # --- Audit -----------------------------------------------------------

    def test_read_is_audited_with_user_and_session(self):
        token = self.q.login("psych-a")
        r = self.q.request("GET", student("sch-a", "A004"), token=token)
        self.assertEqual(r.status, 200, r)
        sid = self.session_id(token)
        entries = self.audit("director-a", action="student.read",
                             school="sch-a")
        mine = [e for e in entries if e.get("login") == "psych-a" and
                e.get("session_id") == sid]
        self.assertEqual(len(mine), 1, entries)
        e = mine[0]
        self.assertEqual(e["action"], "student.read")
        self.assertEqual(e["school"], "sch-a")
        self.assertTrue(e["at"])
        # Who read what, never the data itself.
        text = str(entries)
        for s in ROSTER_A:
            self.assertNotIn(s["full_name"], text)
            self.assertNotIn(s["iin"], text)

    def test_each_read_is_one_line(self):
        token = self.q.login("teacher-a")
        sid = self.session_id(token)
        for _ in range(3):
            self.assertEqual(self.q.request("GET", student("sch-a", "A002"),
                                            token=token).status, 200)
        entries = self.audit("platform", action="student.read")
        self.assertEqual(len([e for e in entries
                              if e.get("session_id") == sid]), 3)

    def test_refused_read_is_not_a_read(self):
        token = self.q.login("cashier-a")
        self.assertEqual(self.q.request("GET", student("sch-a", "A001"),
                                        token=token).status, 403)
        sid = self.session_id(token)
        entries = self.audit("platform", action="student.read")
        self.assertEqual([e for e in entries if e.get("session_id") == sid],
                         [])

    def test_audit_scope(self):
        self.get("director-b", "sch-b", "B002")
        self.get("director-a", "sch-a", "A001")
        a = self.audit("director-a", action="student.read")
        self.assertTrue(a)
        self.assertEqual({e["school"] for e in a}, {"sch-a"})
        b = self.audit("director-b", action="student.read")
        self.assertEqual({e["school"] for e in b}, {"sch-b"})
        n = self.audit("supervisor-n", action="student.read")
        self.assertEqual({e["school"] for e in n}, {"sch-a"})
        everything = self.audit("platform", action="student.read")
        self.assertEqual({e["school"] for e in everything},
                         {"sch-a", "sch-b"})

    def test_audit_is_not_for_everyone(self):
        for user in ("psych-a", "cashier-a", "operator-n"):
            r = self.q.request("GET", "/api/v1/audit",
                               token=self.q.login(user))
            self.assertProblem(r, 403)
        self.assertProblem(self.q.request("GET", "/api/v1/audit"), 401)
        r = self.q.request("GET", "/api/v1/audit?school=sch-b",
                           token=self.q.login("director-a"))
        self.assertProblem(r, 403)


if __name__ == "__main__":
    harness.main()
