"""The command line: exit statuses 0/1/2, help, init, config, devices."""

import os
import re
import sqlite3
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import PASSWORD  # noqa: E402

COMMANDS = ("init", "serve", "school", "user", "roster", "device", "card",
            "emergency")


def dump(path):
    """The database's content as SQL, to compare before and after."""
    db = sqlite3.connect(path)
    try:
        return "\n".join(db.iterdump())
    finally:
        db.close()


class TestCli(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.q = harness.Qorgan(fixture=False)
        cls.q.cli("school", "add", "sch-a", "--name", "Мектеп А",
                  "--region", "north")

    @classmethod
    def tearDownClass(cls):
        cls.q.cleanup()

    def run_qorgan(self, *args, input=None, env=None):
        return self.q.cli(*args, input=input, expect=None, env=env)

    def assertExit(self, p, code, what=""):
        self.assertEqual(p.returncode, code,
                         "%s: exit %d\nstdout: %s\nstderr: %s"
                         % (what, p.returncode, p.stdout, p.stderr))

    def assertError(self, p, code, pattern=None):
        """Exit `code`, and a `qorgan: message` on stderr."""
        self.assertExit(p, code, " ".join(p.args[1:]))
        self.assertRegex(p.stderr, r"(^|\n)(qorgan: |usage: qorgan )")
        if pattern:
            self.assertRegex(p.stderr, pattern)

    # --- Help and usage --------------------------------------------------

    def test_help(self):
        p = self.run_qorgan("help")
        self.assertExit(p, 0)
        for c in COMMANDS:
            self.assertIn(c, p.stdout)

    def test_help_command(self):
        for c in COMMANDS:
            p = self.run_qorgan("help", c)
            self.assertExit(p, 0, "help " + c)
            self.assertIn(c, p.stdout)

    def test_help_unknown_command(self):
        self.assertError(self.run_qorgan("help", "frobnicate"), 2)

    def test_no_command(self):
        p = subprocess.run([self.q.bin], capture_output=True, text=True,
                           timeout=30)
        self.assertEqual(p.returncode, 2, p)
        self.assertIn("usage", p.stderr)

    def test_unknown_command(self):
        self.assertError(self.run_qorgan("frobnicate"), 2, r"frobnicate")
        self.assertError(self.run_qorgan("school", "remove", "x"), 2)

    def test_unknown_option(self):
        self.assertError(self.run_qorgan("init", "--frobnicate"), 2)
        self.assertError(self.run_qorgan("school", "add", "x", "--name",
                                         "X", "--colour", "red"), 2)

    def test_missing_argument(self):
        self.assertError(self.run_qorgan("school", "add", "sch-x"), 2)
        self.assertError(self.run_qorgan("user", "add", "someone"), 2,
                         None)

    # --- init ------------------------------------------------------------

    def test_init_twice_changes_nothing(self):
        q = harness.Qorgan(fixture=False)
        try:
            first = dump(q.db)
            self.assertIn("CREATE TABLE", first)
            p = q.cli("init")
            self.assertEqual(p.returncode, 0)
            self.assertEqual(dump(q.db), first)
            q.cli("school", "add", "sch-z", "--name", "Z")
            before = dump(q.db)
            q.cli("init")
            self.assertEqual(dump(q.db), before)
        finally:
            q.cleanup()

    def test_db_from_environment(self):
        path = os.path.join(self.q.dir, "env.db")
        env = dict(self.q.env, QORGAN_DB=path)
        p = subprocess.run([self.q.bin, "init"], capture_output=True,
                           text=True, env=env, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(os.path.exists(path))

    def test_unusable_db(self):
        p = self.run_qorgan("init", "--db",
                            os.path.join(self.q.dir, "no", "such", "x.db"))
        self.assertError(p, 1)

    # --- school add ------------------------------------------------------

    def test_duplicate_school(self):
        p = self.run_qorgan("school", "add", "sch-a", "--name", "Again")
        self.assertError(p, 1, "sch-a")

    def test_bad_school_code(self):
        p = self.run_qorgan("school", "add", "Bad Code!", "--name", "X")
        self.assertIn(p.returncode, (1, 2), p.stderr)
        self.assertRegex(p.stderr, r"^qorgan: ")

    def test_school_with_district(self):
        p = self.run_qorgan("school", "add", "sch-d", "--name", "Д мектебі",
                            "--region", "north", "--district", "esil")
        self.assertExit(p, 0)
        p = self.run_qorgan("school", "add", "sch-e", "--name", "E",
                            "--district", "esil")
        self.assertError(p, 2)

    # --- user add --------------------------------------------------------

    def test_user_add(self):
        p = self.run_qorgan("user", "add", "cli-director", "--role",
                            "director", "--school", "sch-a",
                            input=PASSWORD + "\n")
        self.assertExit(p, 0)
        self.assertNotIn(PASSWORD, p.stdout + p.stderr)

    def test_unknown_role(self):
        p = self.run_qorgan("user", "add", "cli-x", "--role", "janitor",
                            "--school", "sch-a", input=PASSWORD + "\n")
        self.assertError(p, 2, "janitor")

    def test_every_contract_role_is_known(self):
        roles = ("director deputy psychologist social_pedagogue "
                 "class_teacher security cashier librarian school_admin "
                 "police_inspector").split()
        for i, role in enumerate(roles):
            p = self.run_qorgan("user", "add", "role-%d" % i, "--role", role,
                                "--school", "sch-a", input=PASSWORD + "\n")
            self.assertExit(p, 0, role)
        for i, role in enumerate("prosecutor operator supervisor "
                                 "education_dept".split()):
            p = self.run_qorgan("user", "add", "region-%d" % i, "--role",
                                role, "--region", "north",
                                input=PASSWORD + "\n")
            self.assertExit(p, 0, role)
        p = self.run_qorgan("user", "add", "platform-1", "--role",
                            "platform_admin", input=PASSWORD + "\n")
        self.assertExit(p, 0, "platform_admin")

    def test_short_password(self):
        p = self.run_qorgan("user", "add", "cli-short", "--role", "deputy",
                            "--school", "sch-a", input="short\n")
        self.assertError(p, 1)

    def test_no_password(self):
        p = self.run_qorgan("user", "add", "cli-none", "--role", "deputy",
                            "--school", "sch-a", input="")
        self.assertError(p, 1)

    def test_unknown_school_for_user(self):
        p = self.run_qorgan("user", "add", "cli-y", "--role", "deputy",
                            "--school", "nowhere", input=PASSWORD + "\n")
        self.assertError(p, 1, "nowhere")

    def test_duplicate_login(self):
        args = ("user", "add", "cli-dup", "--role", "deputy", "--school",
                "sch-a")
        self.assertExit(self.run_qorgan(*args, input=PASSWORD + "\n"), 0)
        self.assertError(self.run_qorgan(*args, input=PASSWORD + "\n"), 1)

    def test_school_role_needs_school(self):
        p = self.run_qorgan("user", "add", "cli-z", "--role", "director",
                            input=PASSWORD + "\n")
        self.assertIn(p.returncode, (1, 2), p.stderr)
        self.assertRegex(p.stderr, r"^qorgan: ")

    # --- device add ------------------------------------------------------

    def test_device_add_prints_one_line(self):
        p = self.run_qorgan("device", "add", "sch-a", "--kind", "gate",
                            "--name", "Main gate")
        self.assertExit(p, 0)
        self.assertRegex(p.stdout, r"^[A-Za-z0-9_-]{32,}\n$")
        p2 = self.run_qorgan("device", "add", "sch-a", "--kind", "till",
                             "--name", "Till 1")
        self.assertExit(p2, 0)
        self.assertEqual(len(p2.stdout.splitlines()), 1)
        self.assertNotEqual(p.stdout, p2.stdout)
        # Stored hashed: the token itself is not in the database.
        self.assertNotIn(p.stdout.strip(), dump(self.q.db))

    def test_device_bad_kind(self):
        p = self.run_qorgan("device", "add", "sch-a", "--kind", "toaster",
                            "--name", "T")
        self.assertError(p, 2)

    def test_device_unknown_school(self):
        p = self.run_qorgan("device", "add", "nowhere", "--kind", "gate",
                            "--name", "G")
        self.assertError(p, 1)

    def test_device_duplicate_name(self):
        args = ("device", "add", "sch-a", "--kind", "kiosk", "--name", "K")
        self.assertExit(self.run_qorgan(*args), 0)
        self.assertError(self.run_qorgan(*args), 1)

    # --- emergency -------------------------------------------------------

    def mode(self):
        db = sqlite3.connect(self.q.db)
        try:
            row = db.execute(
                "SELECT m.mode FROM school_modes m JOIN schools s "
                "ON s.id = m.school_id WHERE s.code = 'sch-a'").fetchone()
            audits = db.execute(
                "SELECT count(*) FROM audit_log WHERE action LIKE "
                "'emergency.%'").fetchone()[0]
        finally:
            db.close()
        return (row[0] if row else "normal"), audits

    def test_emergency_on_and_off(self):
        _, before = self.mode()
        p = self.run_qorgan("emergency", "on", "sch-a", "--reason",
                            "пожарная тревога")
        self.assertExit(p, 0)
        self.assertIn("emergency mode on", p.stdout)
        self.assertEqual(self.mode(), ("emergency", before + 1))
        # Again: nothing changes, nothing is audited twice.
        p = self.run_qorgan("emergency", "on", "sch-a")
        self.assertExit(p, 0)
        self.assertIn("already on", p.stdout)
        self.assertEqual(self.mode(), ("emergency", before + 1))
        self.assertExit(self.run_qorgan("emergency", "off", "sch-a"), 0)
        self.assertEqual(self.mode(), ("normal", before + 2))

    def test_emergency_bad_input(self):
        self.assertError(self.run_qorgan("emergency", "on"), 2)
        self.assertError(self.run_qorgan("emergency", "on", "nowhere"), 1,
                         "nowhere")
        self.assertError(self.run_qorgan("emergency", "on", "sch-a",
                                         "--reason", "a\x01b"), 2)
        self.assertError(self.run_qorgan("emergency", "maybe", "sch-a"), 2)

    # --- roster import ---------------------------------------------------

    def test_roster_missing_file(self):
        p = self.run_qorgan("roster", "import", "sch-a",
                            os.path.join(self.q.dir, "missing.csv"))
        self.assertError(p, 1, "missing.csv")

    def test_roster_unknown_school(self):
        path = self.q.write("one.csv", harness.roster_csv(
            harness.ROSTER_A[:1]))
        self.assertError(self.run_qorgan("roster", "import", "nowhere",
                                         path), 1)

    def test_roster_usage(self):
        self.assertError(self.run_qorgan("roster", "import", "sch-a"), 2)

    # --- serve and configuration -----------------------------------------

    def test_check_config(self):
        p = self.run_qorgan("serve", "--check-config")
        self.assertExit(p, 0)

    def test_check_config_file(self):
        path = self.q.write("good.ini", "; a comment\n[qorgan]\n"
                            "listen = 127.0.0.1:9090\nmax_body = 65536\n"
                            "log_level = debug\n")
        p = self.run_qorgan("serve", "--check-config", "--config", path)
        self.assertExit(p, 0)

    def test_config_unknown_key(self):
        path = self.q.write("bad.ini", "# qorgan\n[qorgan]\n"
                            "listen = 127.0.0.1:9090\nlisten_port = 80\n")
        p = self.run_qorgan("serve", "--check-config", "--config", path)
        self.assertError(p, 1)
        self.assertIn("%s:4:" % path, p.stderr)
        self.assertIn("listen_port", p.stderr)

    def test_config_unknown_key_from_environment(self):
        path = self.q.write("bad2.ini", "[qorgan]\nmax_body = lots\n")
        env = dict(self.q.env, QORGAN_CONFIG=path)
        p = self.run_qorgan("serve", "--check-config", env=env)
        self.assertError(p, 1)
        self.assertIn("%s:2:" % path, p.stderr)

    def test_config_file_missing(self):
        p = self.run_qorgan("serve", "--check-config", "--config",
                            os.path.join(self.q.dir, "absent.ini"))
        self.assertError(p, 1, "absent.ini")

    def test_config_secrets_readable_by_others(self):
        path = self.q.write("secret.ini", "[qorgan]\n"
                            "smtp_url = smtp://user:pw@127.0.0.1:2525\n")
        os.chmod(path, 0o644)
        p = self.run_qorgan("serve", "--check-config", "--config", path)
        self.assertError(p, 1)
        self.assertNotIn("user:pw", p.stderr)
        os.chmod(path, 0o600)
        self.assertExit(self.run_qorgan("serve", "--check-config",
                                        "--config", path), 0)

    def test_bad_environment_value(self):
        env = dict(self.q.env, QORGAN_MAX_BODY="-1")
        self.assertError(self.run_qorgan("serve", "--check-config",
                                         env=env), 1)

    def test_bad_listen_address(self):
        for listen in ("nonsense", "127.0.0.1:99999", "127.0.0.1:"):
            p = self.run_qorgan("serve", "--check-config", "--listen",
                                listen)
            self.assertError(p, 2)

    def test_serve_stray_argument(self):
        self.assertError(self.run_qorgan("serve", "extra"), 2)

    def test_errors_are_prefixed(self):
        for args in (("school", "add", "sch-a", "--name", "Again"),
                     ("frobnicate",)):
            p = self.run_qorgan(*args)
            lines = [l for l in p.stderr.splitlines() if l.strip()]
            self.assertTrue(lines)
            self.assertTrue(re.match(r"qorgan: ", lines[0]), p.stderr)


if __name__ == "__main__":
    harness.main()
