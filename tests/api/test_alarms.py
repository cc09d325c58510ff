"""Alarms over HTTP: POST /api/v1/alarms from a gate or kiosk, the
school's list and acknowledgement (API and page), the alert to whoever is
on duty or else to the school's leaders, and the escalation that `serve`'s
ticker runs for an alarm nobody acknowledged.

The same device and seq is one alarm; a device's alarm belongs to its own
school; bad bodies name the field and write nothing.
"""

import datetime
import os
import sqlite3
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

SCHOOL_TZ = datetime.timezone(datetime.timedelta(hours=5))
# The ticker runs every 5 s; an ASan build is slower.
ESCALATION_WAIT = 30.0


def stamp(delta=0):
    t = datetime.datetime.now(datetime.timezone.utc) + \
        datetime.timedelta(seconds=delta)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


class TestAlarms(harness.ServerTestCase):

    @classmethod
    def prepare(cls, q):
        def device(school, kind, name):
            token = q.cli("device", "add", school, "--kind", kind,
                          "--name", name).stdout.strip()
            q.tokens[name] = token
            return token

        cls.gate_a = device("sch-a", "gate", "Main gate")
        cls.kiosk_a = device("sch-a", "kiosk", "Lobby kiosk")
        cls.till_a = device("sch-a", "till", "Canteen till")
        cls.gate_b = device("sch-b", "gate", "North door")
        q.add_user("deputy-a", "deputy", ["sch-a"])
        q.add_user("security-a", "security", ["sch-a"])

    seq = 0

    def raise_(self, kind="forced", token=None, seq=None, at=None):
        if seq is None:
            type(self).seq += 1
            seq = type(self).seq
        return self.q.request("POST", "/api/v1/alarms",
                              {"kind": kind, "at": at or stamp(),
                               "seq": seq},
                              token=token or self.gate_a)

    def rows(self, sql, args=()):
        db = sqlite3.connect(self.q.db, timeout=10)
        try:
            return db.execute(sql, args).fetchone()[0]
        finally:
            db.close()

    def execute(self, sql, args=()):
        db = sqlite3.connect(self.q.db, timeout=10)
        try:
            db.execute(sql, args)
            db.commit()
        finally:
            db.close()

    def notices(self, login, event):
        return self.rows("SELECT count(*) FROM notices n JOIN users u ON "
                         "u.id = n.user_id WHERE u.login = ? AND "
                         "n.event = ?", (login, event))

    def test_raise_once(self):
        before = self.notices("director-a", "alarm.forced")
        r = self.raise_(seq=1000)
        self.assertEqual(r.status, 200, r)
        alarm = r.json["alarm"]
        self.assertIsInstance(alarm, int)
        self.assertEqual(self.raise_(seq=1000).json, {"alarm": alarm})
        self.assertEqual(self.raise_("tampered", seq=1000).json,
                         {"alarm": alarm})
        self.assertEqual(self.rows("SELECT count(*) FROM alarms WHERE "
                                   "seq = 1000"), 1)
        # Nobody on duty: the leaders, once.
        self.assertEqual(self.notices("director-a", "alarm.forced"),
                         before + 1)
        self.assertEqual(self.notices("teacher-a", "alarm.forced"), 0)
        r = self.q.request("GET", "/api/v1/notices",
                           token=self.q.login("security-a"))
        self.assertEqual(r.status, 200, r)
        mine = [n for n in r.json["notices"]
                if n["params"].get("alarm") == alarm]
        self.assertEqual(len(mine), 1, r.json)
        self.assertTrue(mine[0]["urgent"])
        self.assertEqual(mine[0]["params"]["gate"], "Main gate")
        self.assertEqual(mine[0]["school"], "sch-a")
        # A kiosk may raise one too.
        r = self.raise_("tampered", token=self.kiosk_a, seq=1000)
        self.assertEqual(r.status, 200, r)
        self.assertNotEqual(r.json["alarm"], alarm)

    def test_refused(self):
        director = self.q.login("director-a")
        alarms = self.rows("SELECT count(*) FROM alarms")
        notices = self.rows("SELECT count(*) FROM notices")
        r = self.q.request("POST", "/api/v1/alarms",
                           {"kind": "forced", "at": stamp(), "seq": 1})
        self.assertProblem(r, 401)
        self.assertProblem(self.raise_(token=director), 403)
        self.assertProblem(self.raise_(token=self.till_a), 403)
        for body, field in (
                ({"at": stamp(), "seq": 1}, "kind"),
                ({"kind": "smoke", "at": stamp(), "seq": 1}, "kind"),
                ({"kind": 1, "at": stamp(), "seq": 1}, "kind"),
                ({"kind": "forced", "seq": 1}, "at"),
                ({"kind": "forced", "at": "yesterday", "seq": 1}, "at"),
                ({"kind": "forced", "at": stamp(3600), "seq": 1}, "at"),
                ({"kind": "forced", "at": stamp(-8 * 86400), "seq": 1},
                 "at"),
                ({"kind": "forced", "at": stamp()}, "seq"),
                ({"kind": "forced", "at": stamp(), "seq": -1}, "seq"),
                ({"kind": "forced", "at": stamp(), "seq": "1"}, "seq"),
                ({"kind": "forced", "at": stamp(), "seq": 1,
                  "school": "sch-b"}, "school")):
            p = self.assertProblem(self.q.request(
                "POST", "/api/v1/alarms", body, token=self.gate_a), 422)
            self.assertTrue(p["detail"].startswith(field + ":"), p)
        self.assertProblem(self.q.request(
            "POST", "/api/v1/alarms", "[]", token=self.gate_a,
            headers={"Content-Type": "application/json"}), 422)
        self.assertEqual(self.rows("SELECT count(*) FROM alarms"), alarms)
        self.assertEqual(self.rows("SELECT count(*) FROM notices"), notices)

    def test_own_school(self):
        r = self.raise_(token=self.gate_b, seq=7)
        self.assertEqual(r.status, 200, r)
        alarm = r.json["alarm"]
        self.assertEqual(self.rows(
            "SELECT s.code FROM alarms a JOIN schools s ON "
            "s.id = a.school_id WHERE a.id = ?", (alarm,)), "sch-b")
        director_a = self.q.login("director-a")
        r = self.q.request("GET", "/api/v1/schools/sch-a/alarms?state=all",
                           token=director_a)
        self.assertNotIn(alarm, [a["id"] for a in r.json["alarms"]])
        r = self.q.request("GET", "/api/v1/schools/sch-b/alarms",
                           token=self.q.login("director-b"))
        self.assertEqual(r.status, 200, r)
        self.assertIn(alarm, [a["id"] for a in r.json["alarms"]])
        # Through the wrong school it does not exist; in the right one
        # school A's director may not touch it.
        self.assertProblem(self.q.request(
            "POST", "/api/v1/schools/sch-a/alarms/%d/acknowledge" % alarm,
            token=director_a), 404)
        self.assertProblem(self.q.request(
            "POST", "/api/v1/schools/sch-b/alarms/%d/acknowledge" % alarm,
            token=director_a), 403)
        self.assertProblem(self.q.request(
            "GET", "/api/v1/schools/sch-b/alarms", token=director_a), 403)

    def put_everyone_on_duty(self, login):
        """`login` on every shift of the school's yesterday and today."""
        t = datetime.datetime.now(SCHOOL_TZ).date()
        y = t - datetime.timedelta(days=1)
        entries = [{"date": d.isoformat(), "shift": s, "user": login}
                   for d in (y, t) for s in (1, 2, 3)]
        r = self.q.request("PUT", "/api/v1/schools/sch-a/duty?from=%s&to=%s"
                           % (y.isoformat(), t.isoformat()),
                           {"entries": entries},
                           token=self.q.login("director-a"))
        self.assertEqual(r.status, 200, r)
        return y, t

    def test_to_whoever_is_on_duty(self):
        y, t = self.put_everyone_on_duty("teacher-a")
        try:
            director = self.notices("director-a", "alarm.tampered")
            teacher = self.notices("teacher-a", "alarm.tampered")
            r = self.raise_("tampered")
            self.assertEqual(r.status, 200, r)
            self.assertEqual(self.notices("teacher-a", "alarm.tampered"),
                             teacher + 1)
            self.assertEqual(self.notices("director-a", "alarm.tampered"),
                             director)
            # On duty, the teacher may acknowledge it.
            r = self.q.request(
                "POST", "/api/v1/schools/sch-a/alarms/%d/acknowledge"
                % r.json["alarm"], token=self.q.login("teacher-a"))
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json["acknowledged_by"], "teacher-a")
        finally:
            r = self.q.request(
                "PUT", "/api/v1/schools/sch-a/duty?from=%s&to=%s"
                % (y.isoformat(), t.isoformat()), {"entries": []},
                token=self.q.login("director-a"))
            self.assertEqual(r.status, 200, r)

    def test_list_and_acknowledge(self):
        alarm = self.raise_().json["alarm"]
        teacher = self.q.login("teacher-a")
        security = self.q.login("security-a")
        director = self.q.login("director-a")
        path = "/api/v1/schools/sch-a/alarms/%d/acknowledge" % alarm
        self.assertProblem(self.q.request(
            "GET", "/api/v1/schools/sch-a/alarms"), 401)
        self.assertProblem(self.q.request(
            "GET", "/api/v1/schools/sch-a/alarms", token=self.gate_a), 403)
        r = self.q.request("GET", "/api/v1/schools/sch-a/alarms",
                           token=teacher)
        self.assertEqual(r.status, 200, r)
        mine = [a for a in r.json["alarms"] if a["id"] == alarm]
        self.assertEqual(len(mine), 1, r.json)
        a = mine[0]
        self.assertEqual((a["kind"], a["gate"], a["state"]),
                         ("forced", "Main gate", "open"))
        self.assertIsNone(a["acknowledged_by"])
        self.assertIsNone(a["escalated_at"])
        self.assertTrue(a["received_at"].endswith("Z"))
        p = self.assertProblem(self.q.request(
            "GET", "/api/v1/schools/sch-a/alarms?state=closed",
            token=teacher), 422)
        self.assertTrue(p["detail"].startswith("state:"), p)

        self.assertProblem(self.q.request("POST", path), 401)
        self.assertProblem(self.q.request("POST", path, token=teacher), 403)
        self.assertProblem(self.q.request("POST", path,
                                          token=self.gate_a), 403)
        self.assertProblem(self.q.request(
            "POST", "/api/v1/schools/sch-a/alarms/abc/acknowledge",
            token=security), 404)
        self.assertProblem(self.q.request(
            "POST", "/api/v1/schools/sch-a/alarms/999999/acknowledge",
            token=security), 404)
        r = self.q.request("POST", path, token=security)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["state"], "acknowledged")
        self.assertEqual(r.json["acknowledged_by"], "security-a")
        # The second one sees who was first.
        r = self.q.request("POST", path, token=director)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["acknowledged_by"], "security-a")
        self.assertEqual(self.rows(
            "SELECT count(*) FROM audit_log WHERE action = 'alarm.ack' "
            "AND object_id = ?", (str(alarm),)), 1)
        r = self.q.request("GET", "/api/v1/schools/sch-a/alarms",
                           token=teacher)
        self.assertNotIn(alarm, [a["id"] for a in r.json["alarms"]])
        r = self.q.request("GET", "/api/v1/schools/sch-a/alarms?state=all",
                           token=teacher)
        self.assertIn(alarm, [a["id"] for a in r.json["alarms"]])

    def test_page(self):
        alarm = self.raise_("tampered").json["alarm"]
        b = self.q.browser()
        b.login("security-a")
        page = b.get("/school/sch-a/alarms")
        self.assertEqual(page.status, 200, page)
        action = "/school/sch-a/alarms/%d/acknowledge" % alarm
        self.assertIn('action="%s"' % action, page.text)
        self.assertIn("Tampering", page.text)
        self.assertIn("Main gate", page.text)
        self.assertIn("+05:00", page.text)  # the school's clock
        r = b.post_form(action, {})
        self.assertEqual(r.status, 403, r)
        r = b.post_form(action, {"csrf": b.csrf(page)})
        self.assertEqual(r.status, 303, r)
        self.assertEqual(r.header("Location"), "/school/sch-a/alarms")
        page = b.follow(r)
        self.assertNotIn('action="%s"' % action, page.text)
        self.assertIn("Acknowledged by security-a", page.text)
        # A teacher (not on duty) sees the list without buttons.
        alarm = self.raise_().json["alarm"]
        t = self.q.browser()
        t.login("teacher-a")
        page = t.get("/school/sch-a/alarms")
        self.assertEqual(page.status, 200, page)
        self.assertIn('id="alarm-%d"' % alarm, page.text)
        self.assertNotIn("/acknowledge", page.text)
        r = t.post_form("/school/sch-a/alarms/%d/acknowledge" % alarm,
                        {"csrf": t.csrf(page)})
        self.assertEqual(r.status, 403, r)
        o = self.q.browser()
        o.login("director-b")
        self.assertEqual(o.get("/school/sch-a/alarms").status, 403)

    def test_escalation(self):
        """An alarm left open is told to the leaders once; the ticker of
        `serve` does it.  Its received time is moved back instead of
        waiting two minutes."""
        late = self.raise_(seq=5000).json["alarm"]
        done = self.raise_(seq=5001).json["alarm"]
        r = self.q.request("POST", "/api/v1/schools/sch-a/alarms/%d/"
                           "acknowledge" % done,
                           token=self.q.login("director-a"))
        self.assertEqual(r.status, 200, r)
        self.execute("UPDATE alarms SET received_at = "
                     "'2020-01-01T00:00:00Z' WHERE id IN (?, ?)",
                     (late, done))
        deadline = time.monotonic() + ESCALATION_WAIT
        while time.monotonic() < deadline:
            if self.rows("SELECT escalated_at IS NOT NULL FROM alarms "
                         "WHERE id = ?", (late,)):
                break
            time.sleep(0.5)
        self.assertEqual(self.rows("SELECT escalated_at IS NOT NULL FROM "
                                   "alarms WHERE id = ?", (late,)), 1)
        for login in ("director-a", "deputy-a", "security-a"):
            self.assertEqual(self.rows(
                "SELECT count(*) FROM notices n JOIN users u ON "
                "u.id = n.user_id WHERE u.login = ? AND n.dedup_key = ?",
                (login, "alarm:%d:escalated:u%d" % (late, self.rows(
                    "SELECT id FROM users WHERE login = ?", (login,))))),
                1)
        self.assertEqual(self.notices("teacher-a", "alarm.escalated"), 0)
        # Once: a few more ticks add nothing; the acknowledged one never.
        time.sleep(6)
        self.assertEqual(self.rows(
            "SELECT count(*) FROM notices WHERE dedup_key LIKE ?",
            ("alarm:%d:escalated:%%" % late,)), 3)
        self.assertEqual(self.rows(
            "SELECT count(*) FROM notices WHERE dedup_key LIKE ?",
            ("alarm:%d:escalated:%%" % done,)), 0)
        self.assertEqual(self.rows("SELECT escalated_at IS NULL FROM "
                                   "alarms WHERE id = ?", (done,)), 1)
        r = self.q.request("GET", "/api/v1/schools/sch-a/alarms",
                           token=self.q.login("teacher-a"))
        a = [a for a in r.json["alarms"] if a["id"] == late][0]
        self.assertIsNotNone(a["escalated_at"])


if __name__ == "__main__":
    harness.main()
