"""Attendance over HTTP: the class's day as JSON, the CSV over a range, the
class and school pages, and who may see them.

Gates are added with `qorgan device add`, cards with `qorgan card bind`,
and passes posted by the gate to POST /api/v1/passes.  Passes are put on
the last weekday before today (UTC), which is always inside the gates'
allowed past window.  The school's clock is set to UTC first (PUT
.../calendar), so local times read as the UTC times posted.  Class 3А of
sch-a (A001, A002) starts at 08:00 on shift 1 (ends 13:00); 10B (A003,
A004) likewise.  teacher-3a is a class teacher bound to 3А; teacher-a of
the fixture is bound to no class.  The week and month views, the XLSX
exports and the education department's view are in
test_attendance_views.py; the calendar in test_attendance_calendar.py.
"""

import csv
import datetime
import io
import os
import sqlite3
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

CARDS = {"ATT-A1": "A001", "ATT-A2": "A002", "ATT-A3": "A003",
         "ATT-A4": "A004"}



def last_weekday():
    """The last Monday..Friday before today (UTC)."""
    d = datetime.datetime.now(datetime.timezone.utc).date()
    d -= datetime.timedelta(days=1)
    while d.weekday() >= 5:
        d -= datetime.timedelta(days=1)
    return d


DAY = last_weekday().isoformat()
CLASS_3A = "/api/v1/schools/sch-a/classes/3%D0%90"


def at(hhmm):
    """A gate's time of DAY, in UTC."""
    return "%sT%s:00Z" % (DAY, hhmm)


def local(hhmm):
    """The same time as the school shows it (its clock is UTC here)."""
    return "%sT%s:00+00:00" % (DAY, hhmm)


class TestAttendance(harness.ServerTestCase):

    @classmethod
    def prepare(cls, q):
        cls.gate = q.cli("device", "add", "sch-a", "--kind", "gate",
                         "--name", "Main gate").stdout.strip()
        q.tokens["gate"] = cls.gate
        for value, ref in CARDS.items():
            q.secrets.add(value)
            q.cli("card", "bind", "sch-a", ref, value)
        q.cli("user", "add", "teacher-3a", "--role", "class_teacher",
              "--school", "sch-a", "--class", "3А",
              input=harness.PASSWORD + "\n")

    @classmethod
    def utc_clock(cls):
        r = cls.q.request("PUT", "/api/v1/schools/sch-a/calendar",
                          {"utc_offset_minutes": 0},
                          token=cls.q.login("platform"))
        assert r.status == 200, r

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.utc_clock()
        seq = 1
        for card, direction, hhmm in (
                ("ATT-A1", "in", "07:55"),   # on time ...
                ("ATT-A1", "out", "13:10"),  # ... and stays the day
                ("ATT-A2", "in", "08:05"),   # late, no exit
                ("NO-SUCH", "in", "08:00"),  # denied: counts for no one
                ("ATT-A3", "in", "07:40"),
                ("ATT-A3", "out", "10:10")):  # leaves early
            r = cls.q.request("POST", "/api/v1/passes",
                              {"identifier": card, "direction": direction,
                               "at": at(hhmm), "seq": seq},
                              token=cls.gate)
            assert r.status == 200, r
            seq += 1
        # A004 only gets a denied pass: the card is blocked first.
        cls.q.cli("card", "block", "sch-a", "ATT-A4", "--reason", "lost")
        r = cls.q.request("POST", "/api/v1/passes",
                          {"identifier": "ATT-A4", "direction": "in",
                           "at": at("07:50"), "seq": seq}, token=cls.gate)
        assert r.status == 200 and r.json["decision"] == "deny", r

    def get(self, path, user="director-a"):
        return self.q.request("GET", path, token=self.q.login(user))

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

    def test_class_day_json(self):
        r = self.get(CLASS_3A + "/attendance?date=" + DAY, "teacher-3a")
        self.assertEqual(r.status, 200, r)
        body = r.json
        self.assertEqual(body["class"], "3А")
        self.assertEqual(body["date"], DAY)
        self.assertEqual(body["kind"], "school")
        self.assertEqual(body["counts"], {"students": 2, "student_days": 2,
                                          "present": 2, "late": 1,
                                          "absent": 0, "left_early": 0,
                                          "rate": 100.0})
        self.assertNotIn("class_id", body)
        st = {s["ref"]: s for s in body["students"]}
        self.assertEqual(set(st["A001"]),
                         {"ref", "full_name", "first_in", "last_out",
                          "minutes", "late", "absent", "left_early"})
        self.assertEqual(st["A001"]["first_in"], local("07:55"))
        self.assertEqual(st["A001"]["last_out"], local("13:10"))
        self.assertEqual(st["A001"]["minutes"], 315)
        self.assertFalse(st["A001"]["late"])
        self.assertTrue(st["A002"]["late"])
        self.assertIsNone(st["A002"]["last_out"])
        self.assertGreater(self.audited("class.attendance.read"), 0)

    def test_denied_only_is_absent(self):
        r = self.get("/api/v1/schools/sch-a/classes/10B/attendance?date="
                     + DAY)
        self.assertEqual(r.status, 200, r)
        st = {s["ref"]: s for s in r.json["students"]}
        self.assertTrue(st["A004"]["absent"])
        self.assertIsNone(st["A004"]["first_in"])
        self.assertFalse(st["A003"]["absent"])
        self.assertTrue(st["A003"]["left_early"])
        self.assertEqual(st["A003"]["minutes"], 150)
        self.assertEqual(r.json["counts"]["absent"], 1)
        self.assertEqual(r.json["counts"]["left_early"], 1)
        # Another day: nobody came.
        r = self.get("/api/v1/schools/sch-a/classes/10B/attendance"
                     "?date=2024-09-02")
        self.assertEqual(r.json["counts"]["absent"], 2)

    def test_csv(self):
        start = (datetime.date.fromisoformat(DAY)
                 - datetime.timedelta(days=2)).isoformat()
        r = self.get(CLASS_3A + "/attendance.csv?from=%s&to=%s"
                     % (start, DAY))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.content_type, "text/csv")
        self.assertIn("attachment", r.header("Content-Disposition"))
        rows = list(csv.reader(io.StringIO(r.text)))
        self.assertEqual(rows[0], ["date", "ref", "full_name", "class",
                                   "first_in", "last_out", "minutes",
                                   "late", "absent", "left_early", "day"])
        self.assertEqual(len(rows), 1 + 2 * 3)  # two students, three days
        mine = [x for x in rows[1:] if x[0] == DAY and x[1] == "A001"]
        self.assertEqual(mine[0][3:], ["3А", local("07:55"),
                                       local("13:10"), "315", "0", "0", "0",
                                       "school"])
        late = [x for x in rows[1:] if x[0] == DAY and x[1] == "A002"]
        self.assertEqual(late[0][7:], ["1", "0", "0", "school"])
        # Nobody came that day: absent on a school day, not on a weekend.
        weekend = datetime.date.fromisoformat(start).weekday() >= 5
        before = [x for x in rows[1:] if x[0] == start]
        self.assertEqual([x[8] for x in before],
                         ["0", "0"] if weekend else ["1", "1"])
        self.assertEqual(before[0][10], "day_off" if weekend else "school")
        self.assertGreater(self.audited("class.attendance.export"), 0)

    def test_bad_dates_name_the_parameter(self):
        for path, field in (
                (CLASS_3A + "/attendance?date=2024-02-30", "date"),
                (CLASS_3A + "/attendance?date=yesterday", "date"),
                (CLASS_3A + "/attendance.csv?from=2024-13-01", "from"),
                (CLASS_3A + "/attendance.csv?to=soon", "to"),
                (CLASS_3A + "/attendance.csv?from=2024-09-03&to=2024-09-02",
                 "from"),
                (CLASS_3A + "/attendance.csv?from=2024-09-01&to=2024-11-02",
                 "to")):
            p = self.assertProblem(self.get(path), 422)
            self.assertTrue(p["detail"].startswith(field + ":"), (path, p))
        r = self.get(CLASS_3A + "/attendance.csv?from=2024-09-01"
                     "&to=2024-11-01")
        self.assertEqual(r.status, 200, r)

    def test_who_may_see(self):
        path = CLASS_3A + "/attendance?date=" + DAY
        self.assertProblem(self.get(path, "director-b"), 403)
        self.assertProblem(self.get(path, "cashier-a"), 403)
        self.assertProblem(self.q.request("GET", path, token=self.gate), 403)
        self.assertProblem(self.q.request("GET", path), 401)
        self.assertProblem(self.get(
            "/api/v1/schools/nope/classes/3A/attendance"), 404)
        self.assertProblem(self.get(
            "/api/v1/schools/sch-a/classes/9Z/attendance"), 404)
        r = self.get(path, "psych-a")
        self.assertEqual(r.status, 200, r)

    def test_class_teacher_sees_own_classes_only(self):
        own = CLASS_3A + "/attendance?date=" + DAY
        other = "/api/v1/schools/sch-a/classes/10B/attendance?date=" + DAY
        self.assertEqual(self.get(own, "teacher-3a").status, 200)
        p = self.assertProblem(self.get(other, "teacher-3a"), 403)
        self.assertIn("classes", p["detail"])
        # Bound to no class: no class at all.
        self.assertProblem(self.get(own, "teacher-a"), 403)
        for path in ("/attendance.csv", "/attendance.xlsx",
                     "/attendance/range"):
            self.assertProblem(self.get(
                "/api/v1/schools/sch-a/classes/10B" + path, "teacher-3a"),
                403)
        # The class page and the people API follow the same rule.
        self.assertEqual(self.get(CLASS_3A + "/students",
                                  "teacher-3a").status, 200)
        self.assertProblem(self.get(
            "/api/v1/schools/sch-a/classes/10B/students", "teacher-3a"), 403)
        # The school's counts are those of the teacher's classes.
        r = self.get("/api/v1/schools/sch-a/attendance?date=" + DAY,
                     "teacher-3a")
        self.assertEqual(r.status, 200, r)
        self.assertEqual([c["name"] for c in r.json["classes"]], ["3А"])
        self.assertEqual(r.json["counts"]["students"], 2)
        r = self.get("/api/v1/schools/sch-a/attendance?date=" + DAY)
        self.assertEqual(len(r.json["classes"]), 2)
        self.assertEqual(r.json["counts"]["students"], 4)

    def test_cli_binds_classes(self):
        pw = harness.PASSWORD + "\n"
        p = self.q.cli("user", "add", "dir-x", "--role", "director",
                       "--school", "sch-a", "--class", "3А", input=pw,
                       expect=2)
        self.assertIn("class_teacher", p.stderr)
        p = self.q.cli("user", "add", "teach-y", "--role", "class_teacher",
                       "--school", "sch-a", "--class", "9Z", input=pw,
                       expect=1)
        self.assertIn("9Z", p.stderr)
        p = self.q.cli("user", "add", "teach-y", "--role", "class_teacher",
                       "--school", "sch-b", "--class", "3А", input=pw,
                       expect=1)
        db = sqlite3.connect(self.q.db, timeout=10)
        try:
            n = db.execute("SELECT count(*) FROM users WHERE login IN "
                           "('dir-x', 'teach-y')").fetchone()[0]
        finally:
            db.close()
        self.assertEqual(n, 0)
        # Two classes, one of them spelled another way.
        self.q.cli("user", "add", "teach-z", "--role", "class_teacher",
                   "--school", "sch-a", "--class", "3-а", "--class", "10B",
                   input=pw)
        for cls in ("3%D0%90", "10B"):
            r = self.get("/api/v1/schools/sch-a/classes/%s/attendance" % cls,
                         "teach-z")
            self.assertEqual(r.status, 200, r)

    def test_pages(self):
        b = self.q.browser()
        b.login("teacher-3a")
        r = b.get("/school/sch-a/class/3%D0%90/attendance?date=" + DAY)
        self.assertEqual(r.status, 200, r)
        self.assertIn("08:05", r.text)
        self.assertIn("Late", r.text)
        self.assertIn("attendance.csv", r.text)
        self.assertIn("attendance.xlsx", r.text)
        self.assertIn("/attendance/week?date=" + DAY, r.text)
        r = b.get("/school/sch-a/class/3%D0%90")
        self.assertEqual(r.status, 200, r)
        r = b.get("/school/sch-a/class/10B")
        self.assertEqual(r.status, 403, r)
        r = b.get("/school/sch-a/attendance?date=" + DAY)
        self.assertEqual(r.status, 200, r)
        self.assertIn("/school/sch-a/class/3%D0%90/attendance?date=" + DAY,
                      r.text)
        self.assertIn("Your classes", r.text)
        self.assertNotIn("10B", r.text)
        b = self.q.browser()
        b.login("director-a")
        r = b.get("/school/sch-a/attendance?date=" + DAY)
        self.assertEqual(r.status, 200, r)
        self.assertIn("10B", r.text)
        r = b.get("/school/sch-a/attendance?date=2024-02-30")
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.content_type, "text/html")
        r = b.get("/school/sch-a/class/9Z/attendance")
        self.assertEqual(r.status, 404, r)
        b.lang = "ru"
        r = b.get("/school/sch-a/attendance?date=" + DAY)
        self.assertEqual(r.status, 200, r)
        self.assertIn("Посещаемость", r.text)
        self.assertGreater(self.audited("school.attendance.read"), 0)


if __name__ == "__main__":
    harness.main()
