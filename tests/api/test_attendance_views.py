"""Attendance over a week or a month, the XLSX exports, and the education
department's view of its schools.

The fixture is test_attendance.py's in small: the school's clock set to
UTC, then passes on the last weekday before today (DAY): A001 on time and
stays, A002 late, A003 leaves early, A004 of 10B never comes.
teacher-3a is bound to 3А; edu-north is the education department of
region north, where sch-a is (sch-b is in the south).
"""

import datetime
import io
import os
import re
import sqlite3
import sys
import time
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

CARDS = {"VW-A1": "A001", "VW-A2": "A002", "VW-A3": "A003"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def last_weekday():
    d = datetime.datetime.now(datetime.timezone.utc).date()
    d -= datetime.timedelta(days=1)
    while d.weekday() >= 5:
        d -= datetime.timedelta(days=1)
    return d


DAY_D = last_weekday()
DAY = DAY_D.isoformat()
WEEK_AGO = (DAY_D - datetime.timedelta(days=6)).isoformat()
TOMORROW = (datetime.datetime.now(datetime.timezone.utc).date()
            + datetime.timedelta(days=1)).isoformat()
CLASS_3A = "/api/v1/schools/sch-a/classes/3%D0%90"
PAGE_3A = "/school/sch-a/class/3%D0%90/attendance"


def xlsx_strings(body):
    """The shared strings and sheet names of an XLSX workbook."""
    z = zipfile.ZipFile(io.BytesIO(body))
    strings = z.read("xl/sharedStrings.xml").decode("utf-8")
    book = z.read("xl/workbook.xml").decode("utf-8")
    return (re.findall(r"<t[^>]*>([^<]*)</t>", strings),
            re.findall(r'<sheet name="([^"]*)"', book))


class TestAttendanceViews(harness.ServerTestCase):

    @classmethod
    def prepare(cls, q):
        cls.gate = q.cli("device", "add", "sch-a", "--kind", "gate",
                         "--name", "Gate").stdout.strip()
        q.tokens["gate"] = cls.gate
        for value, ref in CARDS.items():
            q.secrets.add(value)
            q.cli("card", "bind", "sch-a", ref, value)
        q.cli("user", "add", "teacher-3a", "--role", "class_teacher",
              "--school", "sch-a", "--class", "3А",
              input=harness.PASSWORD + "\n")
        q.add_user("edu-north", "education_dept", region="north")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        r = cls.q.request("PUT", "/api/v1/schools/sch-a/calendar",
                          {"utc_offset_minutes": 0},
                          token=cls.q.login("platform"))
        assert r.status == 200, r
        for seq, (card, direction, hhmm) in enumerate((
                ("VW-A1", "in", "07:55"), ("VW-A1", "out", "13:10"),
                ("VW-A2", "in", "08:05"),
                ("VW-A3", "in", "07:40"), ("VW-A3", "out", "10:10")), 1):
            r = cls.q.request("POST", "/api/v1/passes",
                              {"identifier": card, "direction": direction,
                               "at": "%sT%s:00Z" % (DAY, hhmm), "seq": seq},
                              token=cls.gate)
            assert r.status == 200 and r.json["decision"] == "allow", r

    def get(self, path, user="director-a", headers=None):
        return self.q.request("GET", path, token=self.q.login(user),
                              headers=headers)

    def audited(self, action):
        deadline = time.monotonic() + 5
        while True:
            db = sqlite3.connect(self.q.db, timeout=10)
            try:
                n = db.execute("SELECT count(*) FROM audit_log WHERE "
                               "action = ?", (action,)).fetchone()[0]
            finally:
                db.close()
            if n > 0 or time.monotonic() > deadline:
                return n
            time.sleep(0.05)

    # --- JSON ranges -----------------------------------------------------

    def test_class_range(self):
        r = self.get(CLASS_3A + "/attendance/range?from=%s&to=%s"
                     % (WEEK_AGO, DAY), "teacher-3a")
        self.assertEqual(r.status, 200, r)
        body = r.json
        self.assertNotIn("class_id", body)
        self.assertEqual(len(body["days"]), 7)
        self.assertEqual(body["school_days"], 5)
        kinds = [d["kind"] for d in body["days"]]
        self.assertEqual(kinds.count("day_off"), 2)
        st = {s["ref"]: s for s in body["students"]}
        self.assertEqual(st["A001"]["marks"][-1], "P")
        self.assertEqual(st["A002"]["marks"][-1], "L")
        # The other school days nobody came; weekends are no absence.
        for s in st.values():
            self.assertEqual(s["marks"].count("A"), 4 if s["ref"] == "A001"
                             or s["ref"] == "A002" else 5)
            self.assertEqual(s["marks"].count("-"), 2)
        self.assertEqual(st["A001"]["counts"]["present"], 1)
        self.assertEqual(st["A001"]["counts"]["rate"], 20.0)
        self.assertEqual(body["counts"]["student_days"], 10)

    def test_school_range_and_future(self):
        r = self.get("/api/v1/schools/sch-a/attendance/range?from=%s&to=%s"
                     % (DAY, TOMORROW))
        self.assertEqual(r.status, 200, r)
        days = r.json["days"]
        self.assertEqual(days[0]["counts"]["present"], 3)
        self.assertEqual(days[0]["counts"]["late"], 1)
        self.assertEqual(days[0]["counts"]["absent"], 1)
        self.assertEqual(days[0]["counts"]["left_early"], 1)
        self.assertEqual(days[-1]["kind"], "future")
        self.assertEqual(days[-1]["counts"]["student_days"], 0)
        self.assertEqual(r.json["students"], 4)
        self.assertEqual({c["name"] for c in r.json["classes"]},
                         {"3А", "10B"})
        self.assertNotIn("Нұрланов", r.text)
        for bad, field in (("from=2024-13-01", "from"), ("to=x", "to"),
                           ("from=%s&to=%s" % (DAY, WEEK_AGO), "from")):
            p = self.assertProblem(self.get(
                "/api/v1/schools/sch-a/attendance/range?" + bad), 422)
            self.assertTrue(p["detail"].startswith(field + ":"), p)

    # --- XLSX ------------------------------------------------------------

    def test_class_xlsx(self):
        r = self.get(CLASS_3A + "/attendance.xlsx?from=%s&to=%s"
                     % (WEEK_AGO, DAY), headers={"Accept-Language": "en"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.content_type, XLSX)
        self.assertRegex(r.header("Content-Disposition"),
                         r'^attachment; filename="attendance-.*\.xlsx"$')
        self.assertEqual(r.body[:2], b"PK")
        strings, sheets = xlsx_strings(r.body)
        self.assertEqual(sheets, ["Attendance", "Days"])
        self.assertIn(harness.ROSTER_A[0]["full_name"], strings)
        self.assertIn("A002", strings)
        self.assertIn("L", strings)
        self.assertIn("Present", strings)
        self.assertGreater(self.audited("class.attendance.export"), 0)
        # In Russian the sheets and headings are Russian.
        r = self.get(CLASS_3A + "/attendance.xlsx",
                     headers={"Accept-Language": "ru"})
        strings, sheets = xlsx_strings(r.body)
        self.assertEqual(sheets[1], "Дни")
        p = self.assertProblem(self.get(
            CLASS_3A + "/attendance.xlsx?from=2024-09-01&to=2024-12-01"), 422)
        self.assertTrue(p["detail"].startswith("to:"), p)

    def test_school_xlsx(self):
        r = self.get("/api/v1/schools/sch-a/attendance.xlsx?from=%s&to=%s"
                     % (WEEK_AGO, DAY), headers={"Accept-Language": "en"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.content_type, XLSX)
        strings, sheets = xlsx_strings(r.body)
        self.assertEqual(sheets, ["Days", "Classes"])
        self.assertIn("3А", strings)
        self.assertIn("10B", strings)
        self.assertIn(DAY, strings)
        for s in harness.ROSTER_A:
            self.assertNotIn(s["full_name"], strings)
        self.assertGreater(self.audited("school.attendance.export"), 0)
        self.assertProblem(self.get("/api/v1/schools/sch-a/attendance.xlsx",
                                    "director-b"), 403)
        self.assertProblem(self.get("/api/v1/schools/sch-a/attendance.xlsx",
                                    "cashier-a"), 403)

    # --- Pages -----------------------------------------------------------

    def assertChart(self, text, bars):
        main = text[text.index("<main"):]
        self.assertIn('<svg class="chart-svg"', main)
        self.assertEqual(main.count('class="bar-absent"'), bars)
        self.assertIn("<title", main)
        self.assertIn("<caption>", main)
        # The CSP forbids style attributes and inline scripts.
        self.assertNotIn(" style=", main)
        self.assertNotIn("<script", main)

    def test_week_and_month_pages(self):
        b = self.q.browser()
        b.login("teacher-3a")
        r = b.get(PAGE_3A + "/week?date=" + DAY)
        self.assertEqual(r.status, 200, r)
        self.assertChart(r.text, 5)
        self.assertIn("%s: On time 1, Late 1, Absent 0, Students 2" % DAY,
                      r.text)
        self.assertIn('class="mark m-l">L<', r.text)
        self.assertIn("attendance.xlsx?from=", r.text)
        monday = (DAY_D - datetime.timedelta(days=DAY_D.weekday()))
        self.assertIn("week?date=%s" % (monday - datetime.timedelta(
            days=7)).isoformat(), r.text)
        r = b.get(PAGE_3A + "/month?date=" + DAY)
        self.assertEqual(r.status, 200, r)
        self.assertIn("<p>%s01 – " % DAY[:8], r.text)
        r = b.get(PAGE_3A + "/month?date=2024-02-30")
        self.assertEqual(r.status, 422, r)
        r = b.get("/school/sch-a/class/10B/attendance/week")
        self.assertEqual(r.status, 403, r)
        b = self.q.browser()
        b.login("director-a")
        r = b.get("/school/sch-a/attendance/month?date=" + DAY)
        self.assertEqual(r.status, 200, r)
        self.assertIn('class="bar-absent"', r.text)
        self.assertIn("10B", r.text)
        r = b.get("/school/sch-a/attendance/week?date=" + DAY)
        self.assertChart(r.text, 5)
        self.assertGreater(self.audited("school.attendance.read"), 0)

    # --- The education department ----------------------------------------

    def test_education_department(self):
        r = self.get("/api/v1/attendance/schools?date=" + DAY, "edu-north")
        self.assertEqual(r.status, 200, r)
        schools = r.json["schools"]
        self.assertEqual([s["code"] for s in schools], ["sch-a"])
        s = schools[0]
        self.assertEqual(s["students"], 4)
        self.assertEqual(s["day"]["date"], DAY)
        self.assertEqual(s["day"]["counts"]["present"], 3)
        self.assertEqual(s["day"]["counts"]["rate"], 75.0)
        self.assertEqual(s["week"]["school_days"] <= 5, True)
        for st in harness.ROSTER_A:
            self.assertNotIn(st["full_name"], r.text)
        self.assertGreater(self.audited("attendance.overview.read"), 0)
        # The platform administrator sees both schools.
        r = self.get("/api/v1/attendance/schools?date=" + DAY, "platform")
        self.assertEqual([s["code"] for s in r.json["schools"]],
                         ["sch-a", "sch-b"])
        self.assertProblem(self.get("/api/v1/attendance/schools",
                                    "director-a"), 403)
        p = self.assertProblem(self.get(
            "/api/v1/attendance/schools?date=2024-02-30", "edu-north"), 422)
        self.assertTrue(p["detail"].startswith("date:"), p)
        # Counts of a school of the region, never a class's names.
        self.assertEqual(self.get("/api/v1/schools/sch-a/attendance/range",
                                  "edu-north").status, 200)
        self.assertProblem(self.get(CLASS_3A + "/attendance", "edu-north"),
                           403)
        self.assertProblem(self.get("/api/v1/schools/sch-b/attendance",
                                    "edu-north"), 403)
        b = self.q.browser()
        b.login("edu-north")
        r = b.get("/attendance?date=" + DAY)
        self.assertEqual(r.status, 200, r)
        self.assertIn("/school/sch-a/attendance/week?date=" + DAY, r.text)
        self.assertIn("75.0%", r.text)
        r = b.get("/school/sch-a/attendance/week?date=" + DAY)
        self.assertEqual(r.status, 200, r)
        self.assertNotIn("/class/", r.text[r.text.index("<main"):])


if __name__ == "__main__":
    harness.main()
