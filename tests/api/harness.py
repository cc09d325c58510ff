"""A real qorgan on an ephemeral loopback port, with a fresh database.

The API tests import this module (they put tests/api on sys.path first).
Everything here uses Python's standard library only, so the tests need
nothing but Debian's python3 and the program under test, QORGAN_BIN.

    from harness import Qorgan
    q = Qorgan()            # temp dir, `qorgan init`, schools, staff, rosters
    q.start()               # `qorgan serve --listen 127.0.0.1:0`
    r = q.request("GET", "/healthz")
    token = q.login("director-a")
    q.stop()                # SIGTERM; checks exit 0, sanitizers, privacy

The fixture: two schools in two regions, staff of several roles in each, a
regional operator and supervisor for the first region, a platform admin,
and a small roster per school with Kazakh and Russian names.

stop() is the place where the whole run is judged for what the server must
never do: exit non-zero, print an AddressSanitizer or UBSan report, or write
a student's or guardian's name, an IIN, a phone number, an e-mail address,
a password or a token to its log.
"""

import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse
import uuid

BIN = os.environ.get("QORGAN_BIN", "")
PASSWORD = "Tobe-or-not-2026"
START_TIMEOUT = 60.0  # --demo hashes 15 passwords; ASan builds are slow
STOP_TIMEOUT = 30.0
HTTP_TIMEOUT = 30.0
CLI_TIMEOUT = 120.0

SANITIZER_MARKERS = (
    "AddressSanitizer",
    "LeakSanitizer",
    "UndefinedBehaviorSanitizer",
    "ThreadSanitizer",
    "runtime error:",
    "SUMMARY: ",
)


def require_binary():
    """The program under test; a missing one fails the run, never skips."""
    if not BIN:
        raise RuntimeError("QORGAN_BIN is not set: run the tests through "
                           "ctest, or set it to the built qorgan")
    if not os.access(BIN, os.X_OK):
        raise RuntimeError("QORGAN_BIN=%s is not an executable" % BIN)
    return BIN


def iin(birth, serial, century_sex=5):
    """A valid IIN for a birth date "YYYY-MM-DD" (decree No. 565 of 2003).

    The serial is bumped until the first or second weighting gives a check
    digit below 10, the way real numbers are issued.
    """
    yy, mm, dd = birth[2:4], birth[5:7], birth[8:10]
    w1 = list(range(1, 12))
    w2 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]
    for s in range(serial, serial + 100):
        head = "%s%s%s%d%04d" % (yy, mm, dd, century_sex, s % 10000)
        digits = [int(c) for c in head]
        check = sum(d * w for d, w in zip(digits, w1)) % 11
        if check == 10:
            check = sum(d * w for d, w in zip(digits, w2)) % 11
        if check < 10:
            return head + str(check)
    raise ValueError("no IIN for %s" % birth)


def bad_iin(good):
    """The same number with a wrong check digit."""
    return good[:11] + str((int(good[11]) + 1) % 10)


ROSTER_HEADER = ("ref,full_name,class,birth_date,iin,category,consent,"
                 "guardian_name,guardian_phone,guardian_email")


def roster_csv(students):
    """CSV text (CRLF line ends, RFC 4180 quoting) for a list of dicts."""
    cols = ROSTER_HEADER.split(",")
    lines = [ROSTER_HEADER]
    for s in students:
        cells = []
        for c in cols:
            v = s.get(c) or ""
            if any(ch in v for ch in ',"\r\n'):
                v = '"' + v.replace('"', '""') + '"'
            cells.append(v)
        lines.append(",".join(cells))
    return "\r\n".join(lines) + "\r\n"


# Kazakh and Russian names in UTF-8; one with a comma, to be quoted.
ROSTER_A = [
    dict(ref="A001", full_name="Әлихан Серікұлы Нұрланов", **{"class": "3А"},
         birth_date="2016-05-04", iin=iin("2016-05-04", 1, 5),
         category="none", consent="yes", guardian_name="Серік Нұрланов",
         guardian_phone="+77011234501", guardian_email="serik.n@example.kz"),
    dict(ref="A002", full_name="Анна Сергеевна Иванова", **{"class": "3А"},
         birth_date="2016-02-11", iin=iin("2016-02-11", 2, 6),
         category="social", consent="no", guardian_name="Сергей Иванов",
         guardian_phone="+77011234502", guardian_email=""),
    dict(ref="A003", full_name="Жанар, Бекқызы Омарова", **{"class": "10B"},
         birth_date="2009-09-30", iin=iin("2009-09-30", 3, 6),
         category="none", consent="yes", guardian_name="Бек Омаров",
         guardian_phone="+77011234503", guardian_email="bek.o@example.kz"),
    dict(ref="A004", full_name="Дәурен Ғалымжанұлы Қасымов",
         **{"class": "10B"}, birth_date="2009-01-17",
         iin=iin("2009-01-17", 4, 5), category="none", consent="yes",
         guardian_name="Ғалымжан Қасымов", guardian_phone="+77011234504",
         guardian_email=""),
]

ROSTER_B = [
    dict(ref="B001", full_name="Данияр Асқарұлы Тоқаев", **{"class": "5Ә"},
         birth_date="2014-03-21", iin=iin("2014-03-21", 5, 5),
         category="none", consent="yes", guardian_name="Асқар Тоқаев",
         guardian_phone="+77021234501", guardian_email="askar.t@example.kz"),
    dict(ref="B002", full_name="Мария Петровна Смирнова", **{"class": "5Ә"},
         birth_date="2014-07-08", iin=iin("2014-07-08", 6, 6),
         category="social", consent="yes", guardian_name="Пётр Смирнов",
         guardian_phone="+77021234502", guardian_email=""),
]

SCHOOLS = [
    # code, name, region, district
    ("sch-a", "№1 мектеп-гимназиясы", "north", "esil"),
    ("sch-b", "Школа-лицей №2", "south", None),
]

# login: (role, schools, region); a class teacher's classes are in
# TEACHER_CLASSES
USERS = {
    "director-a": ("director", ["sch-a"], None),
    "psych-a": ("psychologist", ["sch-a"], None),
    "teacher-a": ("class_teacher", ["sch-a"], None),  # bound to no class
    "tutor-a": ("class_teacher", ["sch-a"], None),
    "cashier-a": ("cashier", ["sch-a"], None),
    "admin-a": ("school_admin", ["sch-a"], None),
    "director-b": ("director", ["sch-b"], None),
    "psych-b": ("psychologist", ["sch-b"], None),
    "operator-n": ("operator", [], "north"),
    "supervisor-n": ("supervisor", [], "north"),
    "platform": ("platform_admin", [], None),
}
TEACHER_CLASSES = {"tutor-a": ["3А", "10B"]}


class Response:
    """What came back: status, headers (case-insensitive), body bytes."""

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # http.client.HTTPMessage
        self.body = body

    def header(self, name, default=None):
        return self.headers.get(name, default)

    def header_all(self, name):
        return self.headers.get_all(name) or []

    @property
    def text(self):
        return self.body.decode("utf-8")

    @property
    def json(self):
        return json.loads(self.body.decode("utf-8"))

    @property
    def content_type(self):
        return (self.header("Content-Type") or "").split(";")[0].strip()

    def __repr__(self):
        body = self.body[:300]
        return "<Response %d %s %r>" % (self.status, self.content_type, body)


class Qorgan:
    """One program under test: a temp dir, a database, maybe a server."""

    def __init__(self, fixture=True, demo=False):
        require_binary()
        self.bin = BIN
        self.dir = tempfile.mkdtemp(prefix="qorgan-api-")
        self.db = os.path.join(self.dir, "test.db")
        self.proc = None
        self.port = None
        self.demo = demo
        self.stdout_path = os.path.join(self.dir, "serve.out")
        self.stderr_path = os.path.join(self.dir, "serve.err")
        # Everything the server's log must never show (see check_log).
        self.secrets = set()
        self.tokens = {}
        self.env = dict(os.environ)
        for k in list(self.env):
            if k.startswith("QORGAN_") and k != "QORGAN_BIN":
                del self.env[k]
        self.env["QORGAN_DB"] = self.db
        self.env["LC_ALL"] = "C.UTF-8"
        self.secrets.add(PASSWORD)
        self.cli("init")
        if fixture:
            self.setup_fixture()

    # --- The command line -------------------------------------------------

    def cli(self, *args, input=None, expect=0, env=None):
        """Runs `qorgan ARGS --db DB`; checks the exit status if expect is
        not None.  Returns the CompletedProcess (text mode)."""
        argv = [self.bin] + list(args)
        if "--db" not in args and args and args[0] not in ("help",):
            argv += ["--db", self.db]
        p = subprocess.run(argv, input=input, capture_output=True,
                           text=True, timeout=CLI_TIMEOUT,
                           env=env if env is not None else self.env,
                           cwd=self.dir)
        check_sanitizers(p.stderr, "qorgan " + " ".join(args))
        if expect is not None and p.returncode != expect:
            raise AssertionError(
                "qorgan %s: exit %d, expected %d\nstdout: %s\nstderr: %s"
                % (" ".join(args), p.returncode, expect, p.stdout,
                   p.stderr))
        return p

    def write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        return path

    def add_user(self, login, role, schools=(), region=None,
                 password=PASSWORD, classes=()):
        args = ["user", "add", login, "--role", role]
        for s in schools:
            args += ["--school", s]
        for c in classes:
            args += ["--class", c]
        if region:
            args += ["--region", region]
        self.secrets.add(password)
        return self.cli(*args, input=password + "\n")

    def import_roster(self, school, students, name=None, expect=0):
        path = self.write(name or ("%s.csv" % school), roster_csv(students))
        self.remember_people(students)
        return self.cli("roster", "import", school, path, expect=expect)

    def remember_people(self, students):
        for s in students:
            for k in ("full_name", "iin", "guardian_name", "guardian_phone",
                      "guardian_email"):
                if s.get(k):
                    self.secrets.add(s[k])

    def setup_fixture(self):
        for code, name, region, district in SCHOOLS:
            args = ["school", "add", code, "--name", name, "--region",
                    region]
            if district:
                args += ["--district", district]
            self.cli(*args)
        # Rosters first: a class teacher is bound to classes that exist.
        self.import_roster("sch-a", ROSTER_A)
        self.import_roster("sch-b", ROSTER_B)
        for login, (role, schools, region) in USERS.items():
            self.add_user(login, role, schools, region,
                          classes=TEACHER_CLASSES.get(login, ()))

    # --- The server -------------------------------------------------------

    def start(self, *extra):
        """Starts `serve` on port 0 and waits for its "serving" line."""
        argv = [self.bin, "serve", "--listen", "127.0.0.1:0", "--db",
                self.db] + (["--demo"] if self.demo else []) + list(extra)
        self.out_f = open(self.stdout_path, "wb")
        self.err_f = open(self.stderr_path, "wb")
        self.signalled = False
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                     stdout=self.out_f, stderr=self.err_f,
                                     env=self.env, cwd=self.dir)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            with open(self.stdout_path, "rb") as f:
                out = f.read().decode("utf-8", "replace")
            m = re.search(r"^serving http://127\.0\.0\.1:(\d+)/$", out, re.M)
            if m:
                self.port = int(m.group(1))
                self.stdout = out
                return self
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        rc = self.proc.poll()
        if rc is None:
            self.proc.kill()
            self.proc.wait(10)
        raise AssertionError("the server did not start (exit %r)\n"
                             "stdout: %s\nstderr: %s"
                             % (rc, out, self.server_log()))

    def signal(self, sig=signal.SIGTERM):
        """Sends one signal; stop() then waits without sending another (a
        second SIGTERM may rightly mean "stop now")."""
        self.signalled = True
        self.proc.send_signal(sig)
        return time.monotonic()

    def server_log(self):
        try:
            with open(self.stderr_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def stop(self, check=True):
        """SIGTERM; then (when check) exit 0, no sanitizer report, and a log
        free of personal data and secrets.  Safe to call twice."""
        if self.proc is None:
            return None
        proc, self.proc = self.proc, None
        if proc.poll() is None and not self.signalled:
            proc.send_signal(signal.SIGTERM)
        try:
            rc = proc.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
            raise AssertionError("the server did not stop within %ds of "
                                 "SIGTERM" % STOP_TIMEOUT)
        finally:
            self.out_f.close()
            self.err_f.close()
        log = self.server_log()
        if check:
            check_sanitizers(log, "qorgan serve")
            if rc != 0:
                raise AssertionError("the server exited with %d after "
                                     "SIGTERM\nlog:\n%s" % (rc, log[-4000:]))
            self.check_log(log)
        return rc

    def check_log(self, log=None):
        """The privacy rule: no names, IINs, contacts, passwords or tokens
        (and no client IP address) in the server's log."""
        if log is None:
            log = self.server_log()
        leaks = sorted(s for s in self.secrets | set(self.tokens.values())
                       if s and s in log)
        if "127.0.0.1" in log:
            leaks.append("an IP address (127.0.0.1)")
        if leaks:
            raise AssertionError("the server log shows %s\nlog:\n%s"
                                 % (", ".join(map(repr, leaks)), log[-4000:]))

    def cleanup(self):
        try:
            if self.proc is not None and self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait(10)
        finally:
            self.proc = None
            shutil.rmtree(self.dir, ignore_errors=True)

    # --- HTTP -------------------------------------------------------------

    @property
    def base(self):
        return "http://127.0.0.1:%d" % self.port

    def connection(self, timeout=HTTP_TIMEOUT):
        return http.client.HTTPConnection("127.0.0.1", self.port,
                                          timeout=timeout)

    def request(self, method, path, body=None, headers=None, token=None,
                timeout=HTTP_TIMEOUT):
        """One request on its own connection.  A dict or list body is sent
        as JSON; str is sent as UTF-8; bytes as they are."""
        h = {}
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode("utf-8")
            h["Content-Type"] = "application/json"
        elif isinstance(body, str):
            body = body.encode("utf-8")
        if token is not None:
            h["Authorization"] = "Bearer " + token
        h.update(headers or {})
        conn = self.connection(timeout)
        try:
            conn.request(method, path, body=body, headers=h)
            r = conn.getresponse()
            return Response(r.status, r.headers, r.read())
        finally:
            conn.close()

    def login(self, user, password=PASSWORD):
        """A staff bearer token for `user` via POST /api/v1/session."""
        r = self.request("POST", "/api/v1/session",
                         {"login": user, "password": password})
        if r.status != 201:
            raise AssertionError("login %s: %r" % (user, r))
        token = r.json["token"]
        self.tokens["%s#%d" % (user, len(self.tokens))] = token
        return token

    def browser(self):
        return Browser(self)


class Browser:
    """A cookie-aware client that behaves like a browser with forms: it
    keeps cookies, reads the csrf field of the last page, and does not
    follow redirects by itself (tests look at them)."""

    def __init__(self, q):
        self.q = q
        self.cookies = {}
        self.attributes = {}  # cookie name -> its Set-Cookie attributes
        self.last = None
        self.lang = "en"

    def _store(self, r):
        for line in r.header_all("Set-Cookie"):
            parts = [p.strip() for p in line.split(";")]
            name, _, value = parts[0].partition("=")
            attrs = {}
            for p in parts[1:]:
                k, _, v = p.partition("=")
                attrs[k.lower()] = v
            self.attributes[name] = attrs
            if attrs.get("max-age") == "0" or value == "":
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
                if name == "qorgan" or name.endswith("-qorgan"):
                    self.q.tokens["cookie#%d" % len(self.q.tokens)] = value

    def request(self, method, path, body=None, headers=None):
        h = {"Accept-Language": self.lang,
             "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
        if self.cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv
                                    for kv in self.cookies.items())
        h.update(headers or {})
        r = self.q.request(method, path, body=body, headers=h)
        self._store(r)
        self.last = r
        return r

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def follow(self, r, limit=5):
        """Follows 303/302 redirects with GET."""
        while r.status in (301, 302, 303, 307) and limit > 0:
            loc = r.header("Location")
            path = urllib.parse.urlsplit(loc)
            r = self.get(path.path + ("?" + path.query if path.query
                                      else ""))
            limit -= 1
        return r

    def csrf(self, r=None):
        """The csrf field of a page (the last one by default)."""
        r = r or self.last
        m = re.search(r'<input[^>]*name="csrf"[^>]*value="([^"]*)"', r.text)
        if not m:
            m = re.search(r'<input[^>]*value="([^"]*)"[^>]*name="csrf"',
                          r.text)
        return m.group(1) if m else None

    def post_form(self, path, fields, headers=None):
        body = urllib.parse.urlencode(fields).encode("ascii")
        h = {"Content-Type": "application/x-www-form-urlencoded"}
        h.update(headers or {})
        return self.request("POST", path, body=body, headers=h)

    def post_multipart(self, path, fields, files, headers=None):
        """fields: {name: value}; files: {name: (filename, bytes, type)}."""
        boundary = "----qorgan" + uuid.uuid4().hex
        parts = []
        for k, v in fields.items():
            parts.append(("--%s\r\nContent-Disposition: form-data; "
                          "name=\"%s\"\r\n\r\n" % (boundary, k)).encode()
                         + v.encode("utf-8") + b"\r\n")
        for k, (fname, data, ctype) in files.items():
            parts.append(("--%s\r\nContent-Disposition: form-data; "
                          "name=\"%s\"; filename=\"%s\"\r\nContent-Type: "
                          "%s\r\n\r\n" % (boundary, k, fname,
                                          ctype)).encode()
                         + data + b"\r\n")
        body = b"".join(parts) + ("--%s--\r\n" % boundary).encode()
        h = {"Content-Type": "multipart/form-data; boundary=" + boundary}
        h.update(headers or {})
        return self.request("POST", path, body=body, headers=h)

    def login(self, user, password=PASSWORD):
        """Signs in through the form; returns the 303 answer."""
        page = self.get("/login")
        if page.status != 200:
            raise AssertionError("GET /login: %r" % page)
        token = self.csrf(page)
        if not token:
            raise AssertionError("the login form has no csrf field")
        r = self.post_form("/login", {"csrf": token, "login": user,
                                      "password": password})
        if r.status != 303:
            raise AssertionError("POST /login as %s: %r" % (user, r))
        return r


def check_sanitizers(text, what):
    for marker in SANITIZER_MARKERS:
        if marker in text:
            raise AssertionError("%s: sanitizer report in its output:\n%s"
                                 % (what, text[-6000:]))


class ServerTestCase(unittest.TestCase):
    """One server and database for the whole test file (class)."""

    fixture = True
    demo = False

    @classmethod
    def setUpClass(cls):
        cls.q = Qorgan(fixture=cls.fixture, demo=cls.demo)
        try:
            cls.prepare(cls.q)
            cls.q.start()
        except BaseException:
            cls.q.cleanup()
            raise

    @classmethod
    def prepare(cls, q):
        """Runs before the server starts: more CLI set-up."""

    @classmethod
    def tearDownClass(cls):
        try:
            cls.q.stop()
        finally:
            cls.q.cleanup()

    # Helpers shared by the test files.

    def assertProblem(self, r, status):
        """An RFC 9457 problem with this status, title and detail."""
        self.assertEqual(r.status, status, r)
        self.assertEqual(r.content_type, "application/problem+json", r)
        p = r.json
        self.assertEqual(p.get("status"), status, p)
        self.assertIsInstance(p.get("title"), str, p)
        self.assertTrue(p.get("title"), p)
        self.assertIsInstance(p.get("detail"), str, p)
        return p


def main():
    require_binary()
    unittest.main(verbosity=2)
