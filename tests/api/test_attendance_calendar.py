"""The school calendar over HTTP: reading it, changing it (who may, bad
input named and nothing written, every change audited), holidays of a
school and of a region, and what they do to attendance: the school's
clock decides the local day of a pass, and a holiday has no absentees.

sch-a is in region north, sch-b in the south.  Only the platform
administrator and the education department may change a calendar; staff
of the school may read it.  A004 (10B) gets one pass at 20:30 UTC on the
last weekday before yesterday, which is 01:30 the next morning at UTC+5.
"""

import datetime
import os
import re
import sqlite3
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

CAL = "/api/v1/schools/sch-a/calendar"
HOL = CAL + "/holidays"
CLASS_10B = "/api/v1/schools/sch-a/classes/10B/attendance"


def weekday_before(d):
    d -= datetime.timedelta(days=1)
    while d.weekday() >= 4:  # Friday too: its next day must be a weekday
        d -= datetime.timedelta(days=1)
    return d


TODAY = datetime.datetime.now(datetime.timezone.utc).date()
DAY_D = weekday_before(TODAY - datetime.timedelta(days=1))
DAY = DAY_D.isoformat()
NEXT = (DAY_D + datetime.timedelta(days=1)).isoformat()


class TestCalendar(harness.ServerTestCase):

    @classmethod
    def prepare(cls, q):
        cls.gate = q.cli("device", "add", "sch-a", "--kind", "gate",
                         "--name", "Gate").stdout.strip()
        q.tokens["gate"] = cls.gate
        q.secrets.add("CAL-A4")
        q.cli("card", "bind", "sch-a", "A004", "CAL-A4")
        q.add_user("edu-north", "education_dept", region="north")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        r = cls.q.request("POST", "/api/v1/passes",
                          {"identifier": "CAL-A4", "direction": "in",
                           "at": DAY + "T20:30:00Z", "seq": 1},
                          token=cls.gate)
        assert r.status == 200 and r.json["decision"] == "allow", r

    def token(self, user):
        return self.q.login(user)

    def call(self, method, path, body=None, user="platform"):
        return self.q.request(method, path, body, token=self.token(user))

    def rows(self, sql, args=()):
        db = sqlite3.connect(self.q.db, timeout=10)
        try:
            return db.execute(sql, args).fetchone()[0]
        finally:
            db.close()

    def a004(self, date):
        r = self.call("GET", CLASS_10B + "?date=" + date, user="director-a")
        self.assertEqual(r.status, 200, r)
        return {s["ref"]: s for s in r.json["students"]}["A004"]

    def test_defaults_and_who_may_read(self):
        for user in ("director-a", "cashier-a", "teacher-a", "platform"):
            r = self.call("GET", CAL, user=user)
            self.assertEqual(r.status, 200, (user, r))
        body = self.call("GET", "/api/v1/schools/sch-b/calendar").json
        self.assertEqual(body["utc_offset_minutes"], 300)
        self.assertEqual(body["week_days"], 5)
        self.assertEqual([body["shift%d_end" % i] for i in (1, 2, 3)],
                         ["13:00", "18:00", "20:00"])
        self.assertEqual(body["region"], "south")
        self.assertProblem(self.call("GET", CAL, user="director-b"), 403)
        self.assertProblem(self.q.request("GET", CAL), 401)
        self.assertProblem(self.call("GET",
                                     "/api/v1/schools/nope/calendar"), 404)

    def test_the_clock_decides_the_day(self):
        # UTC+5 by default: 20:30 UTC is 01:30 on the next local day.
        self.assertTrue(self.a004(DAY)["absent"])
        nxt = self.a004(NEXT)
        self.assertFalse(nxt["absent"])
        self.assertEqual(nxt["first_in"], NEXT + "T01:30:00+05:00")
        # Moved to UTC (only in sch-b, so that other tests keep UTC+5).
        r = self.call("PUT", "/api/v1/schools/sch-b/calendar",
                      {"utc_offset_minutes": 0})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["utc_offset_minutes"], 0)
        self.assertEqual(r.json["week_days"], 5)

    def test_change_is_checked_and_audited(self):
        before = self.rows("SELECT count(*) FROM audit_log WHERE action = "
                           "'calendar.set'")
        for body, field in (({"week_days": 7}, "week_days"),
                            ({"utc_offset_minutes": 301},
                             "utc_offset_minutes"),
                            ({"utc_offset_minutes": 900},
                             "utc_offset_minutes"),
                            ({"shift1_end": "25:00"}, "shift1_end"),
                            ({"shift2_end": 13}, "shift2_end"),
                            ({"weekdays": 6}, "weekdays")):
            p = self.assertProblem(self.call("PUT", CAL, body), 422)
            self.assertTrue(p["detail"].startswith(field + ":"), (body, p))
        self.assertEqual(self.rows("SELECT count(*) FROM audit_log WHERE "
                                   "action = 'calendar.set'"), before)
        self.assertEqual(self.rows("SELECT count(*) FROM school_calendars "
                                   "WHERE school_id = (SELECT id FROM "
                                   "schools WHERE code = 'sch-a')"), 0)
        # Who may: the school's director and administrator, the platform
        # and the region's education department; not a cashier.
        self.assertProblem(self.call("PUT", CAL, {"week_days": 6},
                                     user="cashier-a"), 403)
        self.assertProblem(self.call("PUT", "/api/v1/schools/sch-b/calendar",
                                     {"week_days": 6}, user="edu-north"),
                           403)
        r = self.call("PUT", CAL, {"shift2_end": "18:30"}, user="edu-north")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["shift2_end"], "18:30")
        self.assertEqual(r.json["utc_offset_minutes"], 300)
        self.assertEqual(self.rows("SELECT count(*) FROM audit_log WHERE "
                                   "action = 'calendar.set'"), before + 1)

    def test_holidays(self):
        r = self.call("POST", HOL, {"first_day": NEXT, "name": "Day of "
                                    "the Republic"})
        self.assertEqual(r.status, 201, r)
        hid = r.json["id"]
        self.assertEqual(r.json["last_day"], NEXT)
        self.assertEqual(r.json["scope"], "school")
        r = self.call("GET", CLASS_10B + "?date=" + NEXT, user="director-a")
        self.assertEqual(r.json["kind"], "holiday")
        self.assertEqual(r.json["holiday"], "Day of the Republic")
        self.assertEqual(r.json["counts"]["absent"], 0)
        self.assertEqual(r.json["counts"]["student_days"], 0)
        self.assertEqual(self.rows("SELECT count(*) FROM audit_log WHERE "
                                   "action = 'calendar.holiday.add'"), 1)
        # Bad input names the field and writes nothing.
        for body, field in (({"name": "x"}, "first_day"),
                            ({"first_day": "2024-02-30", "name": "x"},
                             "first_day"),
                            ({"first_day": NEXT, "last_day": DAY,
                              "name": "x"}, "last_day"),
                            ({"first_day": "2024-01-01",
                              "last_day": "2025-06-01", "name": "x"},
                             "last_day"),
                            ({"first_day": NEXT, "name": ""}, "name"),
                            ({"first_day": NEXT, "name": "x" * 101}, "name"),
                            ({"first_day": NEXT, "name": "x",
                              "scope": "city"}, "scope")):
            p = self.assertProblem(self.call("POST", HOL, body), 422)
            self.assertTrue(p["detail"].startswith(field + ":"), (body, p))
        self.assertEqual(self.rows("SELECT count(*) FROM holidays"), 1)
        self.assertProblem(self.call("POST", HOL, {"first_day": NEXT,
                                                   "name": "x"},
                                     user="cashier-a"), 403)
        # A holiday of the region reaches every school of it.
        r = self.call("POST", "/api/v1/schools/sch-a/calendar/holidays",
                      {"first_day": "2024-12-16", "last_day": "2024-12-17",
                       "name": "Independence", "scope": "region"},
                      user="edu-north")
        self.assertEqual(r.status, 201, r)
        rid = r.json["id"]
        hol = self.call("GET", CAL).json["holidays"]
        self.assertEqual([(h["name"], h["scope"]) for h in hol],
                         [("Independence", "region"),
                          ("Day of the Republic", "school")])
        self.assertEqual(self.call(
            "GET", "/api/v1/schools/sch-b/calendar").json["holidays"], [])
        # Deleting: another school's id is 404; then 204, then 404.
        self.assertProblem(self.call(
            "DELETE", "/api/v1/schools/sch-b/calendar/holidays/%d" % hid),
            404)
        self.assertProblem(self.call("DELETE", HOL + "/abc"), 404)
        r = self.call("DELETE", HOL + "/%d" % rid, user="edu-north")
        self.assertEqual(r.status, 204, r)
        r = self.call("DELETE", HOL + "/%d" % hid)
        self.assertEqual(r.status, 204, r)
        self.assertProblem(self.call("DELETE", HOL + "/%d" % hid), 404)
        self.assertEqual(self.rows("SELECT count(*) FROM audit_log WHERE "
                                   "action = 'calendar.holiday.delete'"), 2)

    def test_page(self):
        b = self.q.browser()
        b.login("cashier-a")
        r = b.get("/school/sch-a/calendar")
        self.assertEqual(r.status, 200, r)
        self.assertIn("UTC+05:00", r.text)
        self.assertNotIn('name="utc_offset_minutes"', r.text)
        b = self.q.browser()
        b.login("director-a")
        r = b.get("/school/sch-a/calendar")
        self.assertIn('name="utc_offset_minutes"', r.text)
        # A holiday of the whole region is not the director's to set.
        self.assertNotIn('value="region"', r.text)
        b = self.q.browser()
        b.login("platform")
        page = b.get("/school/sch-a/calendar")
        self.assertIn('name="utc_offset_minutes"', page.text)
        self.assertIn('<option value="300" selected>UTC+05:00</option>',
                      page.text)
        r = b.post_form("/school/sch-a/calendar/holidays",
                        {"csrf": b.csrf(page), "name": "Осенние каникулы",
                         "first_day": "2024-10-28",
                         "last_day": "2024-11-03", "scope": "region"})
        self.assertEqual(r.status, 303, r)
        r = b.follow(r)
        self.assertIn("The holiday was added.", r.text)
        self.assertIn("Осенние каникулы", r.text)
        self.assertIn("Whole region", r.text)
        # A bad form answers 422 with the page and the reason.
        r = b.post_form("/school/sch-a/calendar",
                        {"csrf": b.csrf(page), "utc_offset_minutes": "300",
                         "week_days": "8", "shift1_end": "13:00",
                         "shift2_end": "18:00", "shift3_end": "20:00"})
        self.assertEqual(r.status, 422, r)
        self.assertIn("School week: 5 or 6 days.", r.text)
        r = b.post_form("/school/sch-a/calendar/holidays",
                        {"csrf": b.csrf(page), "name": "",
                         "first_day": "2024-10-28"})
        self.assertEqual(r.status, 422, r)
        # Without the CSRF token nothing happens.
        r = b.post_form("/school/sch-a/calendar",
                        {"utc_offset_minutes": "360", "week_days": "6",
                         "shift1_end": "13:00", "shift2_end": "18:00",
                         "shift3_end": "20:00"})
        self.assertEqual(r.status, 403, r)
        self.assertEqual(self.call("GET", CAL).json["week_days"], 5)
        # Deleting from the page.
        page = b.get("/school/sch-a/calendar")
        m = re.search(r'action="(/school/sch-a/calendar/holidays/\d+/'
                      r'delete)"', page.text)
        self.assertTrue(m, page.text)
        r = b.post_form(m.group(1), {"csrf": b.csrf(page)})
        self.assertEqual(r.status, 303, r)
        self.assertIn("The holiday was deleted.", b.follow(r).text)
        # In Russian.
        b.lang = "ru"
        r = b.get("/school/sch-a/calendar")
        self.assertIn("Календарь школы", r.text)


if __name__ == "__main__":
    harness.main()
