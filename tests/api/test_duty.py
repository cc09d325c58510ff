"""The duty roster over HTTP: GET/PUT /api/v1/schools/{school}/duty and the
week page /school/{school}/duty.

Anyone of the school's staff (and regional staff who may see it) reads the
roster; its director, deputies and system administrator edit it; only the
school's own staff may be put on duty; a bad body names the field and
writes nothing; every change is audited.  Dates are the school's local
ones (UTC+5 by default).
"""

import datetime
import os
import re
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

SCHOOL_TZ = datetime.timezone(datetime.timedelta(hours=5))
DUTY = "/api/v1/schools/sch-a/duty"
WEEK = ("2025-02-03", "2025-02-09")  # a Monday..Sunday


def today():
    return datetime.datetime.now(SCHOOL_TZ).date()


class TestDuty(harness.ServerTestCase):

    @classmethod
    def prepare(cls, q):
        q.add_user("deputy-a", "deputy", ["sch-a"])
        q.add_user("deputy2-a", "deputy", ["sch-a"])
        q.add_user("security-a", "security", ["sch-a"])
        q.add_user("police-a", "police_inspector", ["sch-a"])
        q.add_user("deputy-b", "deputy", ["sch-b"])
        q.tokens["gate"] = q.cli("device", "add", "sch-a", "--kind", "gate",
                                 "--name", "Main gate").stdout.strip()

    def rows(self, sql, args=()):
        db = sqlite3.connect(self.q.db, timeout=10)
        try:
            return db.execute(sql, args).fetchone()[0]
        finally:
            db.close()

    def put(self, body, token, frm=WEEK[0], to=WEEK[1], school="sch-a"):
        query = []
        if frm is not None:
            query.append("from=" + frm)
        if to is not None:
            query.append("to=" + to)
        return self.q.request("PUT", "/api/v1/schools/%s/duty?%s"
                              % (school, "&".join(query)), body, token=token)

    def test_read_defaults(self):
        teacher = self.q.login("teacher-a")
        r = self.q.request("GET", DUTY, token=teacher)
        self.assertEqual(r.status, 200, r)
        t = today()
        self.assertEqual(r.json["school"], "sch-a")
        self.assertEqual(r.json["from"], t.isoformat())
        self.assertEqual(r.json["to"],
                         (t + datetime.timedelta(days=6)).isoformat())
        self.assertEqual(r.json["shifts"], [
            {"shift": 1, "starts": "07:30", "ends": "13:30"},
            {"shift": 2, "starts": "13:30", "ends": "19:00"},
            {"shift": 3, "starts": "19:00", "ends": "07:30"}])
        users = [s["user"] for s in r.json["staff"]]
        self.assertIn("deputy-a", users)
        self.assertIn("teacher-a", users)
        self.assertNotIn("police-a", users)
        self.assertNotIn("deputy-b", users)
        self.assertNotIn("platform", users)
        self.assertEqual(r.json["entries"], [])
        self.assertIsInstance(r.json["on_duty"], list)
        # Regional staff of the region read it too; platform likewise.
        self.assertEqual(self.q.request(
            "GET", DUTY, token=self.q.login("operator-n")).status, 200)
        self.assertEqual(self.q.request(
            "GET", DUTY, token=self.q.login("platform")).status, 200)

    def test_who_may(self):
        self.assertProblem(self.q.request("GET", DUTY), 401)
        self.assertProblem(self.put({"entries": []}, None), 401)
        self.assertProblem(self.q.request("GET", DUTY,
                                          token=self.q.tokens["gate"]), 403)
        self.assertProblem(self.q.request(
            "GET", DUTY, token=self.q.login("psych-b")), 403)
        self.assertProblem(self.q.request(
            "GET", "/api/v1/schools/sch-x/duty",
            token=self.q.login("director-a")), 404)
        roster = self.rows("SELECT count(*) FROM duty_roster")
        audit = self.rows("SELECT count(*) FROM audit_log WHERE "
                          "action LIKE 'duty.%'")
        for login in ("teacher-a", "psych-a", "security-a", "operator-n",
                      "platform", "director-b"):
            p = self.assertProblem(self.put(
                {"entries": [{"date": WEEK[0], "shift": 1,
                              "user": "deputy-a"}]},
                self.q.login(login)), 403)
            self.assertTrue(p["detail"], p)
        self.assertEqual(self.rows("SELECT count(*) FROM duty_roster"),
                         roster)
        self.assertEqual(self.rows("SELECT count(*) FROM audit_log WHERE "
                                   "action LIKE 'duty.%'"), audit)

    def test_edit(self):
        for login in ("director-a", "deputy-a", "admin-a"):
            token = self.q.login(login)
            r = self.put({"entries": [
                {"date": "2025-03-03", "shift": 1, "user": "deputy-a"},
                {"date": "2025-03-03", "shift": 1, "user": "teacher-a"},
                {"date": "2025-03-04", "shift": 3, "user": "security-a"},
                {"date": "2025-03-04", "shift": 3, "user": "security-a"},
            ]}, token, "2025-03-03", "2025-03-09")
            self.assertEqual(r.status, 200, (login, r))
        self.assertEqual(r.json["from"], "2025-03-03")
        self.assertEqual([(e["date"], e["shift"], e["user"], e["role"])
                          for e in r.json["entries"]], [
            ("2025-03-03", 1, "deputy-a", "deputy"),
            ("2025-03-03", 1, "teacher-a", "class_teacher"),
            ("2025-03-04", 3, "security-a", "security")])
        # Saved three times, added once each.
        self.assertEqual(self.rows(
            "SELECT count(*) FROM audit_log WHERE action = 'duty.add' AND "
            "object_id LIKE '2025-03-0%'"), 3)
        r = self.q.request("GET", DUTY + "?from=2025-03-04&to=2025-03-04",
                           token=self.q.login("teacher-a"))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(len(r.json["entries"]), 1)
        # The range is replaced: what is not named goes.
        r = self.put({"entries": [{"date": "2025-03-04", "shift": 2,
                                   "user": "deputy2-a"}]},
                     self.q.login("director-a"), "2025-03-03", "2025-03-09")
        self.assertEqual(r.status, 200, r)
        self.assertEqual([e["user"] for e in r.json["entries"]],
                         ["deputy2-a"])
        self.assertEqual(self.rows(
            "SELECT count(*) FROM audit_log WHERE action = 'duty.remove' "
            "AND object_id LIKE '2025-03-0%'"), 3)
        # Shift times: set, shown, audited.
        r = self.put({"entries": [{"date": "2025-03-04", "shift": 2,
                                   "user": "deputy2-a"}],
                      "shifts": [{"shift": 1, "starts": "08:00",
                                  "ends": "12:30"}]},
                     self.q.login("director-a"), "2025-03-03", "2025-03-09")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["shifts"][0],
                         {"shift": 1, "starts": "08:00", "ends": "12:30"})
        self.assertEqual(self.rows(
            "SELECT count(*) FROM audit_log WHERE action = 'duty.shifts'"),
            1)
        r = self.put({"entries": [],
                      "shifts": [{"shift": 1, "starts": "07:30",
                                  "ends": "13:30"}]},
                     self.q.login("director-a"), "2025-03-03", "2025-03-09")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["entries"], [])

    def test_bad_input(self):
        director = self.q.login("director-a")
        ok = {"date": WEEK[0], "shift": 1, "user": "deputy-a"}
        roster = self.rows("SELECT count(*) FROM duty_roster")
        audit = self.rows("SELECT count(*) FROM audit_log")
        cases = [
            ({"entries": [ok]}, None, WEEK[1], "from"),
            ({"entries": [ok]}, WEEK[0], None, "to"),
            ({"entries": [ok]}, "2025-02-30", WEEK[1], "from"),
            ({"entries": [ok]}, WEEK[1], WEEK[0], "to"),
            ({"entries": [ok]}, "2025-02-01", "2025-03-04", "to"),
            ({}, WEEK[0], WEEK[1], "entries"),
            ({"entries": {}}, WEEK[0], WEEK[1], "entries"),
            ({"entries": [ok], "week": 1}, WEEK[0], WEEK[1], "week"),
            ({"entries": [5]}, WEEK[0], WEEK[1], "entries[0]"),
            ({"entries": [ok, dict(ok, date="2025-02-10")]}, WEEK[0],
             WEEK[1], "entries[1].date"),
            ({"entries": [dict(ok, date="3 Feb")]}, WEEK[0], WEEK[1],
             "entries[0].date"),
            ({"entries": [dict(ok, shift=4)]}, WEEK[0], WEEK[1],
             "entries[0].shift"),
            ({"entries": [dict(ok, shift="1")]}, WEEK[0], WEEK[1],
             "entries[0].shift"),
            ({"entries": [dict(ok, user="Deputy A")]}, WEEK[0], WEEK[1],
             "entries[0].user"),
            ({"entries": [dict(ok, who="x")]}, WEEK[0], WEEK[1],
             "entries[0].who"),
            ({"entries": [ok, dict(ok, user="deputy-b")]}, WEEK[0],
             WEEK[1], "entries[1].user"),
            ({"entries": [ok, dict(ok, user="police-a")]}, WEEK[0],
             WEEK[1], "entries[1].user"),
            ({"entries": [dict(ok, user="nobody")]}, WEEK[0], WEEK[1],
             "entries[0].user"),
            ({"entries": [dict(ok, user=u) for u in
                          ("deputy-a", "deputy2-a", "teacher-a",
                           "security-a", "director-a")]},
             WEEK[0], WEEK[1], "entries[4].shift"),
            ({"entries": [], "shifts": [{"shift": 1, "starts": "08:00",
                                         "ends": "08:00"}]},
             WEEK[0], WEEK[1], "shifts[0].ends"),
            ({"entries": [], "shifts": [{"shift": 1, "starts": "8:00",
                                         "ends": "12:00"}]},
             WEEK[0], WEEK[1], "shifts[0].starts"),
            ({"entries": [], "shifts": [{"shift": 2, "starts": "08:00",
                                         "ends": "12:00"},
                                        {"shift": 2, "starts": "09:00",
                                         "ends": "12:00"}]},
             WEEK[0], WEEK[1], "shifts[1].shift"),
        ]
        for body, frm, to, field in cases:
            p = self.assertProblem(self.put(body, director, frm, to), 422)
            self.assertTrue(p["detail"].startswith(field + ":")
                            or p["detail"].startswith(field + "."),
                            (field, p))
        self.assertEqual(self.rows("SELECT count(*) FROM duty_roster"),
                         roster)
        self.assertEqual(self.rows("SELECT count(*) FROM audit_log"), audit)
        for query, field in (("from=x", "from"), ("to=2025-13-01", "to"),
                             ("from=2025-02-09&to=2025-02-03", "to")):
            p = self.assertProblem(self.q.request(
                "GET", DUTY + "?" + query, token=director), 422)
            self.assertTrue(p["detail"].startswith(field + ":"), p)

    def test_page(self):
        b = self.q.browser()
        b.login("director-a")
        page = b.get("/school/sch-a/duty?week=2025-04-09")
        self.assertEqual(page.status, 200, page)
        self.assertIn("2025-04-07", page.text)  # its Monday
        self.assertIn('name="week" value="2025-04-07"', page.text)
        self.assertIn('name="s-2025-04-07-1-0"', page.text)
        self.assertIn('name="s-2025-04-13-3-0"', page.text)
        self.assertIn(">deputy-a (", page.text)
        self.assertNotIn("police-a", page.text)
        r = b.post_form("/school/sch-a/duty", {
            "csrf": b.csrf(page), "week": "2025-04-07",
            "s-2025-04-07-1-0": "deputy-a",
            "s-2025-04-07-2-0": "",
            "s-2025-04-08-3-0": "security-a"})
        self.assertEqual(r.status, 303, r)
        self.assertEqual(r.header("Location"),
                         "/school/sch-a/duty?week=2025-04-07&saved=1")
        page = b.follow(r)
        self.assertIn("The roster is saved.", page.text)
        self.assertTrue(re.search(r'<option value="deputy-a" selected>',
                                  page.text), page.text)
        # A shift with someone gets a second, empty select.
        self.assertIn('name="s-2025-04-07-1-1"', page.text)
        r = self.q.request("GET", DUTY + "?from=2025-04-07&to=2025-04-13",
                           token=self.q.login("director-a"))
        self.assertEqual([(e["date"], e["shift"], e["user"])
                          for e in r.json["entries"]],
                         [("2025-04-07", 1, "deputy-a"),
                          ("2025-04-08", 3, "security-a")])
        # Someone of another school: the page again, with the message.
        r = b.post_form("/school/sch-a/duty", {
            "csrf": b.csrf(page), "week": "2025-04-07",
            "s-2025-04-07-1-0": "deputy-b"})
        self.assertEqual(r.status, 422, r)
        self.assertIn("Only staff of this school may be on duty.", r.text)
        # A forged slot or week: refused.
        r = b.post_form("/school/sch-a/duty", {
            "csrf": b.csrf(page), "week": "2025-04-07",
            "s-2025-05-07-1-0": "deputy-a"})
        self.assertEqual(r.status, 422, r)
        r = b.post_form("/school/sch-a/duty", {
            "csrf": b.csrf(page), "week": "2025-04-08"})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(self.rows(
            "SELECT count(*) FROM duty_roster WHERE on_date BETWEEN "
            "'2025-04-07' AND '2025-04-13'"), 2)
        # Without the csrf token: refused.
        r = b.post_form("/school/sch-a/duty", {
            "week": "2025-04-07", "s-2025-04-07-1-0": ""})
        self.assertEqual(r.status, 403, r)
        # Clearing a select removes the person.
        r = b.post_form("/school/sch-a/duty", {
            "csrf": b.csrf(page), "week": "2025-04-07",
            "s-2025-04-07-1-0": "", "s-2025-04-08-3-0": "security-a"})
        self.assertEqual(r.status, 303, r)
        self.assertEqual(self.rows(
            "SELECT count(*) FROM duty_roster WHERE on_date BETWEEN "
            "'2025-04-07' AND '2025-04-13'"), 1)

        # A teacher reads it without selects and may not save it.
        t = self.q.browser()
        t.login("teacher-a")
        page = t.get("/school/sch-a/duty?week=2025-04-07")
        self.assertEqual(page.status, 200, page)
        self.assertNotIn("<select", page.text)
        self.assertIn("security-a", page.text)
        r = t.post_form("/school/sch-a/duty", {
            "csrf": t.csrf(page), "week": "2025-04-07"})
        self.assertEqual(r.status, 403, r)
        # Another school's director may not see it at all.
        o = self.q.browser()
        o.login("director-b")
        self.assertEqual(o.get("/school/sch-a/duty").status, 403)


if __name__ == "__main__":
    harness.main()
