"""Manual admission and emergency mode over HTTP.

A class teacher admits a child who forgot the card (API and the class
page's Admit button); a gate (the fire panel) switches sch-a into emergency
mode, every pass there is then allowed with reason "emergency", a gate or
security may not end it, the director does; every staff page of a user of
that school shows the banner while it lasts.
"""

import datetime
import os
import re
import sqlite3
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import ROSTER_A  # noqa: E402

BANNER = "Emergency mode: all gates are open."
CLASS_3A = "/school/sch-a/class/" + urllib.parse.quote("3А")


def stamp():
    t = datetime.datetime.now(datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


class TestEmergency(harness.ServerTestCase):

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
        q.add_user("security-a", "security", ["sch-a"])
        for value, ref in (("CARD-A1", "A001"), ("CARD-A2", "A002")):
            q.secrets.add(value)
            q.cli("card", "bind", "sch-a", ref, value)
        q.cli("card", "block", "sch-a", "CARD-A2", "--reason", "lost")
        # A004 leaves the school: not on the new roster.
        q.import_roster("sch-a", ROSTER_A[:3], name="sch-a-2.csv")

    seq = 100

    def pass_(self, identifier, token=None, seq=None):
        if seq is None:
            type(self).seq += 1
            seq = type(self).seq
        return self.q.request("POST", "/api/v1/passes",
                              {"identifier": identifier, "direction": "in",
                               "at": stamp(), "seq": seq},
                              token=token or self.gate_a)

    def emergency(self, on, token, school="sch-a", **extra):
        body = dict(on=on, **extra)
        return self.q.request("POST", "/api/v1/schools/%s/emergency"
                              % school, body, token=token)

    def mode(self, token, school="sch-a"):
        return self.q.request("GET", "/api/v1/schools/%s/mode" % school,
                              token=token)

    def rows(self, sql, args=()):
        db = sqlite3.connect(self.q.db, timeout=10)
        try:
            return db.execute(sql, args).fetchone()[0]
        finally:
            db.close()

    # --- Manual admission ------------------------------------------------

    def test_admit_api(self):
        teacher = self.q.login("tutor-a")
        r = self.q.request("POST", "/api/v1/students/sch-a/A003/admit",
                           {"direction": "in"}, token=teacher)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["decision"], "allow")
        self.assertEqual(r.json["reason"], "manual")
        r = self.q.request("GET", "/api/v1/students/sch-a/A003/passes",
                           token=teacher)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(len(r.json["passes"]), 1, r.json)
        p = r.json["passes"][0]
        self.assertEqual(p["decision"], "allow")
        self.assertEqual(p["direction"], "in")
        self.assertIsNone(p["gate"])
        self.assertEqual(self.rows(
            "SELECT count(*) FROM passes p JOIN users u ON "
            "u.id = p.manual_by WHERE u.login = 'tutor-a' AND "
            "p.device_id IS NULL AND p.reason = 'manual'"), 1)
        self.assertEqual(self.rows(
            "SELECT count(*) FROM audit_log WHERE action = 'pass.manual'"),
            1)
        # No body at all: "in".
        r = self.q.request("POST", "/api/v1/students/sch-a/A003/admit",
                           token=teacher)
        self.assertEqual(r.status, 201, r)
        # Bad input names the field; nothing is written.
        before = self.rows("SELECT count(*) FROM passes")
        for body, field in (({"direction": "up"}, "direction"),
                            ({"direction": 1}, "direction"),
                            ({"who": "x"}, "who")):
            p = self.assertProblem(self.q.request(
                "POST", "/api/v1/students/sch-a/A003/admit", body,
                token=teacher), 422)
            self.assertTrue(p["detail"].startswith(field + ":"), p)
        self.assertEqual(self.rows("SELECT count(*) FROM passes"), before)
        # Left the school; unknown; another school; a device.
        self.assertProblem(self.q.request(
            "POST", "/api/v1/students/sch-a/A004/admit", {},
            token=teacher), 409)
        self.assertProblem(self.q.request(
            "POST", "/api/v1/students/sch-a/Z999/admit", {},
            token=teacher), 404)
        self.assertProblem(self.q.request(
            "POST", "/api/v1/students/sch-b/B001/admit", {},
            token=teacher), 403)
        self.assertProblem(self.q.request(
            "POST", "/api/v1/students/sch-a/A003/admit", {},
            token=self.gate_a), 403)

    def test_admit_page(self):
        b = self.q.browser()
        b.login("tutor-a")
        page = b.get(CLASS_3A)
        self.assertEqual(page.status, 200, page)
        m = re.search(r'<form method="post" action="([^"]*/admit)"',
                      page.text)
        self.assertTrue(m, page.text)
        self.assertEqual(m.group(1), CLASS_3A + "/admit")
        self.assertIn('name="ref" value="A001"', page.text)
        r = b.post_form(m.group(1), {"csrf": b.csrf(page), "ref": "A001"})
        self.assertEqual(r.status, 303, r)
        self.assertTrue(r.header("Location").startswith(CLASS_3A), r)
        page = b.follow(r)
        self.assertEqual(page.status, 200, page)
        self.assertIn("Admitted by hand: A001", page.text)
        self.assertGreaterEqual(self.rows(
            "SELECT count(*) FROM passes p JOIN students s ON "
            "s.id = p.student_id WHERE s.ref = 'A001' AND "
            "p.reason = 'manual'"), 1)
        # Without the csrf token: refused.
        r = b.post_form(CLASS_3A + "/admit", {"ref": "A001"})
        self.assertEqual(r.status, 403, r)
        # The student who left: an error page.
        r = b.post_form(CLASS_3A + "/admit",
                        {"csrf": b.csrf(page), "ref": "A004"})
        self.assertEqual(r.status, 409, r)
        self.assertIn("text/html", r.content_type)

    # --- Emergency mode --------------------------------------------------

    def banner(self, user):
        b = self.q.browser()
        b.login(user)
        page = b.get("/")
        self.assertEqual(page.status, 200, page)
        return BANNER in page.text

    def test_emergency(self):
        director = self.q.login("director-a")
        security = self.q.login("security-a")
        teacher = self.q.login("teacher-a")

        r = self.mode(self.gate_a)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json, {"mode": "normal", "since": None,
                                  "reason": None})
        self.assertEqual(self.pass_("NOBODY").json["decision"], "deny")
        self.assertFalse(self.banner("director-a"))

        # Bad bodies name the field.
        for body, field in (({}, "on"), ({"on": "yes"}, "on"),
                            ({"on": True, "reason": 5}, "reason"),
                            ({"on": True, "reason": "x" * 201}, "reason"),
                            ({"on": True, "why": "x"}, "why")):
            p = self.assertProblem(self.q.request(
                "POST", "/api/v1/schools/sch-a/emergency", body,
                token=director), 422)
            self.assertTrue(p["detail"].startswith(field + ":"), p)
        # Who may not switch it on at all.
        self.assertProblem(self.emergency(True, teacher), 403)
        self.assertProblem(self.emergency(True, self.till_a), 403)
        self.assertProblem(self.emergency(True, self.gate_b), 403)
        self.assertProblem(self.emergency(True, director, "sch-b"), 403)
        self.assertProblem(self.emergency(True, director, "sch-x"), 404)
        self.assertEqual(self.mode(self.gate_a).json["mode"], "normal")

        # The fire panel behind the main gate.
        r = self.emergency(True, self.gate_a, reason="fire panel zone 3")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["mode"], "emergency")
        self.assertEqual(r.json["reason"], "fire panel zone 3")
        r = self.mode(director)
        self.assertEqual(r.json["mode"], "emergency", r)
        self.assertTrue(r.json["since"])
        self.assertEqual(self.mode(self.till_a).json["mode"], "emergency")
        self.assertProblem(self.mode(self.gate_b), 403)
        self.assertEqual(self.mode(self.gate_b, "sch-b").json["mode"],
                         "normal")
        self.assertEqual(self.rows(
            "SELECT count(*) FROM audit_log WHERE action = 'emergency.on'"),
            1)

        # Every pass of sch-a is allowed and recorded, once per seq.
        for value in ("NOBODY", "CARD-A2", "CARD-A1"):
            r = self.pass_(value)
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json, {"decision": "allow",
                                      "reason": "emergency"}, value)
        before = self.rows("SELECT count(*) FROM passes")
        r1 = self.pass_("NOBODY", seq=5000)
        r2 = self.pass_("NOBODY", seq=5000)
        self.assertEqual(r1.json, r2.json)
        self.assertEqual(self.rows("SELECT count(*) FROM passes"),
                         before + 1)
        # Another school's gates are not touched.
        self.assertEqual(self.pass_("NOBODY", self.gate_b).json["decision"],
                         "deny")

        # The banner on every staff page of sch-a's staff, not sch-b's.
        self.assertTrue(self.banner("director-a"))
        self.assertTrue(self.banner("teacher-a"))
        self.assertTrue(self.banner("platform"))
        self.assertFalse(self.banner("director-b"))

        # Neither the gate nor security may end it.
        self.assertProblem(self.emergency(False, self.gate_a), 403)
        self.assertProblem(self.emergency(False, security), 403)
        self.assertEqual(self.mode(self.gate_a).json["mode"], "emergency")
        # The director does.
        r = self.emergency(False, director, reason="drill over")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["mode"], "normal")
        self.assertEqual(self.pass_("NOBODY").json,
                         {"decision": "deny", "reason": "unknown"})
        self.assertFalse(self.banner("director-a"))

        # Security may switch it on, and not off; the director ends it.
        self.assertEqual(self.emergency(True, security).status, 200)
        self.assertEqual(self.mode(teacher).json["mode"], "emergency")
        self.assertProblem(self.emergency(False, security), 403)
        self.assertEqual(self.emergency(False, director).status, 200)
        self.assertEqual(self.rows(
            "SELECT count(*) FROM audit_log WHERE action = 'emergency.off'"),
            2)

    def test_emergency_page(self):
        b = self.q.browser()
        b.login("security-a")
        page = b.get("/school/sch-a/emergency")
        self.assertEqual(page.status, 200, page)
        self.assertIn("Switch emergency mode on", page.text)
        r = b.post_form("/school/sch-a/emergency",
                        {"csrf": b.csrf(page), "on": "1",
                         "reason": "smoke in the gym"})
        self.assertEqual(r.status, 303, r)
        page = b.follow(r)
        self.assertIn(BANNER, page.text)
        self.assertIn("smoke in the gym", page.text)
        self.assertNotIn("End emergency mode", page.text)
        r = b.post_form("/school/sch-a/emergency",
                        {"csrf": b.csrf(page), "on": "0"})
        self.assertEqual(r.status, 403, r)
        r = b.post_form("/school/sch-a/emergency",
                        {"csrf": b.csrf(page), "on": "maybe"})
        self.assertEqual(r.status, 422, r)

        d = self.q.browser()
        d.login("director-a")
        page = d.get("/school/sch-a/emergency")
        self.assertIn("End emergency mode", page.text)
        r = d.post_form("/school/sch-a/emergency",
                        {"csrf": d.csrf(page), "on": "0"})
        self.assertEqual(r.status, 303, r)
        self.assertNotIn(BANNER, d.follow(r).text)

        t = self.q.browser()
        t.login("teacher-a")
        self.assertEqual(t.get("/school/sch-a/emergency").status, 403)


if __name__ == "__main__":
    harness.main()
