"""GET /api/v1/students/{school}/{ref}: the contract's read, role and
school scope, and the audit line every read leaves."""

import hashlib
import os
import sqlite3
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import ROSTER_A, ROSTER_B  # noqa: E402


AUDIT_WAIT = 3.0  # seconds; far above the writer's 50 ms


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

    def audit_until(self, user, done, **query):
        """The audit lines once done(entries) holds.  Reads are written by
        a group-commit writer within AUDIT_FLUSH_MS (50 ms), so a line may
        take a moment to show; give it up to AUDIT_WAIT seconds."""
        token = self.q.login(user)
        path = "/api/v1/audit?" + urllib.parse.urlencode(query)
        deadline = time.monotonic() + AUDIT_WAIT
        while True:
            r = self.q.request("GET", path, token=token)
            self.assertEqual(r.status, 200, r)
            entries = r.json["entries"]
            if done(entries) or time.monotonic() > deadline:
                return entries
            time.sleep(0.02)

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
        for user in ("director-a", "psych-a", "tutor-a", "admin-a",
                     "platform"):
            r = self.get(user, "sch-a", "A002")
            self.assertEqual(r.status, 200, (user, r))
            self.assertEqual(r.json["ref"], "A002")
        self.assertEqual(self.get("platform", "sch-b", "B001").status, 200)

    # --- Scope -----------------------------------------------------------

    def test_class_teacher_reaches_only_own_classes(self):
        # teacher-a is bound to no class; tutor-a to both of school A's.
        r = self.get("teacher-a", "sch-a", "A001")
        p = self.assertProblem(r, 403)
        self.assertIn("own classes", p["detail"])
        self.assertNotIn(ROSTER_A[0]["full_name"], r.text)
        token = self.q.login("teacher-a")
        for method, path in (
                ("GET", "/api/v1/students/sch-a/A001/passes"),
                ("POST", "/api/v1/students/sch-a/A001/admit")):
            self.assertProblem(self.q.request(method, path, {} if
                                              method == "POST" else None,
                                              token=token), 403)
        self.assertEqual(self.get("tutor-a", "sch-a", "A001").status, 200)

    def test_other_school_is_403(self):
        for user in ("director-a", "psych-a", "tutor-a", "admin-a"):
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

    def test_pages_check_scope_too(self):
        psych = self.q.browser()
        psych.login("psych-a")
        self.assertEqual(psych.get("/school/sch-a").status, 200)
        self.assertEqual(psych.get("/school/sch-a/student/A001").status, 200)
        for path in ("/school/sch-b", "/school/sch-b/student/B001",
                     "/school/sch-b/class/" + urllib.parse.quote("5Ә")):
            r = psych.get(path)
            self.assertEqual(r.status, 403, (path, r))
            self.assertNotIn(ROSTER_B[0]["full_name"], r.text)
        cashier = self.q.browser()
        cashier.login("cashier-a")
        r = cashier.get("/school/sch-a/student/A001")
        self.assertEqual(r.status, 403, r)
        self.assertNotIn(ROSTER_A[0]["full_name"], r.text)

    def test_regional_operator_sees_the_schools_of_the_region(self):
        token = self.q.login("operator-n")
        r = self.q.request("GET", "/api/v1/schools/sch-a/classes",
                           token=token)
        self.assertEqual(r.status, 200, r)
        self.assertProblem(self.q.request(
            "GET", "/api/v1/schools/sch-b/classes", token=token), 403)
        b = self.q.browser()
        b.login("operator-n")
        r = b.get("/school")
        self.assertEqual(r.status, 200, r)
        self.assertIn("/school/sch-a", r.text)
        self.assertNotIn("/school/sch-b", r.text)
        self.assertEqual(b.get("/school/sch-a").status, 200)
        self.assertEqual(b.get("/school/sch-b").status, 403)
        # ... but not the students' personal data.
        r = b.get("/school/sch-a/class/" + urllib.parse.quote("3А"))
        self.assertEqual(r.status, 403, r)
        self.assertNotIn(ROSTER_A[0]["full_name"], r.text)

    def test_left_student_is_still_readable(self):
        # Never deleted; a student who left is shown as such.
        r = self.get("director-a", "sch-a", "A001")
        self.assertEqual(r.json.get("status"), "active")

    def test_consent_withdrawal_takes_effect_at_once(self):
        token = self.q.login("director-a")
        path = student("sch-a", "A003") + "/consent"
        before = self.q.request("GET", student("sch-a", "A003"),
                                token=token).json["consent"]
        r = self.q.request("POST", path, {
            "purpose": "notifications", "granted": False,
            "document": "Өтініш №7, 2026-09-01"}, token=token)
        self.assertIn(r.status, (200, 201), r)
        after = self.q.request("GET", student("sch-a", "A003"),
                               token=token).json["consent"]
        self.assertNotEqual(before, after)
        self.assertFalse(after["notifications"], after)
        # Who did it is in the audit log.
        entries = self.audit("director-a", school="sch-a",
                             action="consent")
        self.assertTrue(entries, "consent change not audited")
        self.assertEqual(entries[0]["login"], "director-a")

    def test_consent_needs_permission_and_valid_body(self):
        path = student("sch-a", "A003") + "/consent"
        body = {"purpose": "data", "granted": True, "document": "Doc 1"}
        self.assertProblem(self.q.request(
            "POST", path, body, token=self.q.login("psych-a")), 403)
        token = self.q.login("director-a")
        for bad in ({"purpose": "data", "granted": True},
                    {"purpose": "marketing", "granted": True,
                     "document": "x"},
                    {"purpose": "data", "granted": "yes", "document": "x"},
                    dict(body, extra=1)):
            self.assertProblem(self.q.request("POST", path, bad,
                                              token=token), 422)

    def test_page_read_is_audited_with_the_cookie_session(self):
        b = self.q.browser()
        b.login("tutor-a")
        sid = self.session_id(b.cookies["qorgan"])
        r = b.get("/school/sch-a/student/A003")
        self.assertEqual(r.status, 200, r)
        self.assertIn(ROSTER_A[2]["full_name"].replace(",", ","), r.text)
        def of_session(entries):
            return [e for e in entries if e.get("session_id") == sid]
        entries = self.audit_until("platform", of_session,
                                   action="student.read")
        self.assertEqual(len(of_session(entries)), 1)

    # --- Audit -----------------------------------------------------------

    def test_read_is_audited_with_user_and_session(self):
        token = self.q.login("psych-a")
        r = self.q.request("GET", student("sch-a", "A004"), token=token)
        self.assertEqual(r.status, 200, r)
        sid = self.session_id(token)

        def mine_of(entries):
            return [e for e in entries if e.get("login") == "psych-a" and
                    e.get("session_id") == sid]
        entries = self.audit_until("director-a", mine_of,
                                   action="student.read", school="sch-a")
        mine = mine_of(entries)
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
        token = self.q.login("tutor-a")
        sid = self.session_id(token)
        for _ in range(3):
            self.assertEqual(self.q.request("GET", student("sch-a", "A002"),
                                            token=token).status, 200)
        def of_session(entries):
            return [e for e in entries if e.get("session_id") == sid]
        entries = self.audit_until("platform",
                                   lambda e: len(of_session(e)) >= 3,
                                   action="student.read")
        self.assertEqual(len(of_session(entries)), 3)

    def test_refused_read_is_not_a_read(self):
        token = self.q.login("cashier-a")
        self.assertEqual(self.q.request("GET", student("sch-a", "A001"),
                                        token=token).status, 403)
        sid = self.session_id(token)
        time.sleep(0.5)  # ten times the writer's flush interval
        entries = self.audit("platform", action="student.read")
        self.assertEqual([e for e in entries if e.get("session_id") == sid],
                         [])

    def test_audit_scope(self):
        self.get("director-b", "sch-b", "B002")
        self.get("director-a", "sch-a", "A001")
        self.audit_until("platform", lambda e: {x["school"] for x in e} ==
                         {"sch-a", "sch-b"}, action="student.read")
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

    def test_audit_export(self):
        token = self.q.login("director-a")
        self.assertEqual(self.q.request("GET", student("sch-a", "A002"),
                                        token=token).status, 200)
        sid = self.session_id(token)
        self.audit_until("director-a", lambda e: any(
            x.get("session_id") == sid for x in e), action="student.read")
        r = self.q.request("GET", "/api/v1/audit.csv", token=token)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.content_type, "text/csv")
        lines = r.text.splitlines()
        self.assertIn("action", lines[0])
        self.assertTrue(any("student.read" in l and "director-a" in l
                            for l in lines[1:]), lines[:5])
        for s in ROSTER_A:
            self.assertNotIn(s["full_name"], r.text)
        self.assertProblem(self.q.request("GET", "/api/v1/audit.csv",
                                          token=self.q.login("cashier-a")),
                           403)

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
