"""SIGTERM: requests in flight finish, the server exits 0 and promptly.

Each test starts a server of its own, since each ends by stopping it.
"""

import os
import signal
import socket
import sqlite3
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

# Big enough that importing it takes a noticeable while.
SLOW_ROWS = 40000


def big_roster(n):
    rows = ["ref,full_name,class,guardian_name,guardian_phone"]
    for i in range(1, n + 1):
        rows.append("S%06d,Оқушы Нөмір %06d,%dА,Ата-ана %06d,+7701%07d"
                    % (i, i, i % 11 + 1, i, i))
    return ("\r\n".join(rows) + "\r\n").encode("utf-8")


class TestShutdown(unittest.TestCase):

    def setUp(self):
        self.q = harness.Qorgan()
        self.q.start()

    def tearDown(self):
        self.q.cleanup()

    def slow_import(self, school, query=""):
        """Posts a big roster from a thread; returns (thread, out) once the
        whole body has been sent.  out gets "response" and "answered_at"
        (time.monotonic()), or "error"."""
        token = self.q.login("platform")
        body = big_roster(SLOW_ROWS)
        out = {}
        sent = threading.Event()

        def run():
            conn = self.q.connection(timeout=120)
            try:
                conn.request("POST", "/api/v1/schools/%s/roster%s"
                             % (school, query), body=body, headers={
                                 "Content-Type": "text/csv",
                                 "Authorization": "Bearer " + token})
                sent.set()
                r = conn.getresponse()
                out["response"] = harness.Response(r.status, r.headers,
                                                   r.read())
                out["answered_at"] = time.monotonic()
            except BaseException as e:  # reported by the test
                out["error"] = e
            finally:
                sent.set()
                conn.close()
        t = threading.Thread(target=run, daemon=True)
        t.start()
        self.assertTrue(sent.wait(60), "could not send the roster")
        # Reading 2 MiB takes the server a moment; importing 40,000 rows
        # takes it much longer than this.
        time.sleep(0.2)
        return t, out

    def test_request_in_flight_completes(self):
        t, out = self.slow_import("sch-a")
        signalled = self.q.signal(signal.SIGTERM)
        rc = self.q.stop()
        t.join(60)
        self.assertFalse(t.is_alive())
        self.assertNotIn("error", out, out.get("error"))
        r = out["response"]
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json.get("added"), SLOW_ROWS)
        self.assertEqual(rc, 0)
        # Otherwise this test proved nothing: make SLOW_ROWS bigger.
        self.assertGreater(out["answered_at"], signalled,
                           "the import was over before SIGTERM")
        # It was committed, not cut off: a new server sees the students.
        self.q.start()
        r = self.q.request("GET", "/api/v1/students/sch-a/S%06d" % SLOW_ROWS,
                           token=self.q.login("platform"))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.q.stop(), 0)

    def test_two_requests_in_flight_complete(self):
        a = self.slow_import("sch-a", "?dry_run=1")
        b = self.slow_import("sch-b", "?dry_run=1")
        self.q.signal(signal.SIGTERM)
        self.assertEqual(self.q.stop(), 0)
        for t, out in (a, b):
            t.join(60)
            self.assertNotIn("error", out, out.get("error"))
            self.assertEqual(out["response"].status, 200, out["response"])
            self.assertEqual(out["response"].json.get("added"), SLOW_ROWS)

    def test_body_still_arriving_completes(self):
        # A request whose body is still on its way is in flight too.
        body = ('{"login":"director-a","password":"%s"}'
                % harness.PASSWORD).encode()
        s = socket.create_connection(("127.0.0.1", self.q.port), timeout=30)
        try:
            s.sendall(("POST /api/v1/session HTTP/1.1\r\nHost: x\r\n"
                       "Content-Type: application/json\r\n"
                       "Content-Length: %d\r\nConnection: close\r\n\r\n"
                       % len(body)).encode() + body[:10])
            time.sleep(0.3)
            self.q.signal(signal.SIGTERM)
            time.sleep(0.5)
            try:
                s.sendall(body[10:])
            except OSError as e:
                self.fail("the connection was cut while the body was "
                          "arriving: %s" % e)
            data = b""
            while True:
                got = s.recv(65536)
                if not got:
                    break
                data += got
        finally:
            s.close()
        self.assertTrue(data.startswith(b"HTTP/1.1 201"), data[:200])
        self.assertEqual(self.q.stop(), 0)

    def test_audit_lines_are_written_before_exit(self):
        # Reads are audited through a queue; stopping must empty it.
        token = self.q.login("director-a")
        for ref in ("A001", "A002", "A003"):
            r = self.q.request("GET", "/api/v1/students/sch-a/" + ref,
                               token=token)
            self.assertEqual(r.status, 200, r)
        self.assertEqual(self.q.stop(), 0)
        db = sqlite3.connect(self.q.db)
        try:
            n = db.execute("SELECT COUNT(*) FROM audit_log WHERE action = "
                           "'student.read'").fetchone()[0]
        finally:
            db.close()
        self.assertEqual(n, 3)

    def test_idle_keepalive_does_not_hold_the_stop(self):
        conn = self.q.connection()
        try:
            conn.request("GET", "/healthz")
            r = conn.getresponse()
            r.read()
            self.assertEqual(r.status, 200)
            start = time.monotonic()
            self.assertEqual(self.q.stop(), 0)
            self.assertLess(time.monotonic() - start, 5,
                            "an idle connection delayed the stop")
        finally:
            conn.close()

    def test_no_new_connections_after_sigterm(self):
        t, out = self.slow_import("sch-b", "?dry_run=1")
        self.q.signal(signal.SIGTERM)
        refused = False
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and t.is_alive():
            try:
                socket.create_connection(("127.0.0.1", self.q.port),
                                         timeout=1).close()
            except OSError:
                refused = True
                break
            time.sleep(0.01)
        t.join(60)
        self.assertNotIn("error", out, out.get("error"))
        self.assertEqual(out["response"].status, 200, out)
        self.assertTrue(refused, "still accepting after SIGTERM")
        self.assertEqual(self.q.stop(), 0)

    def test_sigint_also_stops(self):
        self.q.signal(signal.SIGINT)
        self.assertEqual(self.q.proc.wait(20), 0)
        self.assertEqual(self.q.stop(), 0)


if __name__ == "__main__":
    harness.main()
