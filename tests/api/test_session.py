"""POST /api/v1/session and what a token is good for afterwards."""

import base64
import hashlib
import os
import secrets
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import PASSWORD  # noqa: E402

SESSION = "/api/v1/session"
STUDENT = "/api/v1/students/sch-a/A001"


def random_token():
    """Well-formed (43 base64url characters) but issued to nobody."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode() \
        .rstrip("=")


class TestSession(harness.ServerTestCase):

    @classmethod
    def prepare(cls, q):
        # Users of their own, so that locking or disabling them does not
        # disturb the other tests of this file.
        q.add_user("locked-a", "deputy", ["sch-a"])
        q.add_user("bystander-a", "deputy", ["sch-a"])
        q.add_user("disabled-a", "deputy", ["sch-a"])
        q.add_user("logout-a", "deputy", ["sch-a"])
        cls.device = q.cli("device", "add", "sch-a", "--kind", "gate",
                           "--name", "Gate 1").stdout.strip()
        q.tokens["device"] = cls.device

    def post(self, body, headers=None):
        return self.q.request("POST", SESSION, body, headers=headers)

    def post_json_text(self, text):
        return self.q.request("POST", SESSION, text,
                              headers={"Content-Type": "application/json"})

    # --- Logging in ------------------------------------------------------

    def test_login_ok(self):
        r = self.post({"login": "director-a", "password": PASSWORD})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.content_type, "application/json")
        body = r.json
        self.assertIsInstance(body.get("token"), str)
        self.assertGreaterEqual(len(body["token"]), 32)
        self.q.tokens["login_ok"] = body["token"]
        self.assertEqual(self.q.request("GET", STUDENT,
                                        token=body["token"]).status, 200)

    def test_two_logins_give_two_tokens(self):
        a = self.q.login("psych-a")
        b = self.q.login("psych-a")
        self.assertNotEqual(a, b)

    def test_wrong_password(self):
        r = self.post({"login": "director-a", "password": "wrong-password-1"})
        p = self.assertProblem(r, 401)
        self.assertNotIn("token", p)

    def test_unknown_user_looks_like_wrong_password(self):
        wrong = self.assertProblem(
            self.post({"login": "director-a", "password": "nope-nope-nope"}),
            401)
        unknown = self.assertProblem(
            self.post({"login": "nobody-here", "password": PASSWORD}), 401)
        # The answer must not tell which logins exist.
        self.assertEqual(wrong["detail"], unknown["detail"])

    def test_empty_password(self):
        r = self.post({"login": "director-a", "password": ""})
        self.assertIn(r.status, (401, 422), r)

    # --- Malformed and invalid bodies ------------------------------------

    def test_malformed_json(self):
        self.assertProblem(self.post_json_text('{"login": "director-a",'), 400)
        self.assertProblem(self.post_json_text("{'login': 'x'}"), 400)
        self.assertProblem(self.post_json_text(""), 400)

    def test_duplicate_key_is_malformed(self):
        r = self.post_json_text('{"login":"director-a","login":"x",'
                                '"password":"%s"}' % PASSWORD)
        self.assertIn(r.status, (400, 422), r)
        self.assertProblem(r, r.status)

    def test_missing_field(self):
        p = self.assertProblem(self.post({"login": "director-a"}), 422)
        self.assertIn("password", p["detail"])
        p = self.assertProblem(self.post({"password": PASSWORD}), 422)
        self.assertIn("login", p["detail"])

    def test_extra_field(self):
        r = self.post({"login": "director-a", "password": PASSWORD,
                       "role": "platform_admin"})
        p = self.assertProblem(r, 422)
        self.assertIn("role", p["detail"])

    def test_wrong_type(self):
        p = self.assertProblem(self.post({"login": 42, "password": PASSWORD}),
                               422)
        self.assertIn("login", p["detail"])
        p = self.assertProblem(
            self.post({"login": "director-a", "password": [PASSWORD]}), 422)
        self.assertIn("password", p["detail"])
        self.assertProblem(
            self.post({"login": "director-a", "password": None}), 422)

    def test_not_an_object(self):
        self.assertProblem(self.post(["director-a", PASSWORD]), 422)
        self.assertProblem(self.post_json_text('"director-a"'), 422)

    def test_not_json_media_type(self):
        body = '{"login":"director-a","password":"%s"}' % PASSWORD
        r = self.q.request("POST", SESSION, body,
                           headers={"Content-Type": "text/plain"})
        self.assertProblem(r, 415)
        r = self.q.request("POST", SESSION,
                           "login=director-a&password=" + PASSWORD,
                           headers={"Content-Type":
                                    "application/x-www-form-urlencoded"})
        self.assertProblem(r, 415)

    def test_json_with_charset_is_json(self):
        body = '{"login":"director-a","password":"%s"}' % PASSWORD
        r = self.q.request("POST", SESSION, body, headers={
            "Content-Type": "application/json; charset=utf-8"})
        self.assertEqual(r.status, 201, r)
        self.q.tokens["charset"] = r.json["token"]

    # --- Throttling ------------------------------------------------------

    def test_lockout(self):
        statuses = []
        for i in range(5):
            r = self.post({"login": "locked-a",
                           "password": "wrong-password-%d" % i})
            statuses.append(r.status)
        self.assertEqual(statuses[:4], [401] * 4, statuses)
        self.assertIn(statuses[4], (401, 429), statuses)
        # Locked: even the right password is refused for now.
        r = self.post({"login": "locked-a", "password": PASSWORD})
        self.assertProblem(r, 429)
        retry = r.header("Retry-After")
        self.assertIsNotNone(retry, "429 without Retry-After")
        self.assertGreater(int(retry), 0)
        # Per account: the lock does not spill over to someone else.
        r = self.post({"login": "bystander-a", "password": PASSWORD})
        self.assertEqual(r.status, 201, r)
        self.q.tokens["bystander"] = r.json["token"]

    # --- Tokens after login ----------------------------------------------

    def test_logout_revokes_the_token(self):
        token = self.q.login("logout-a")
        self.assertEqual(self.q.request("GET", STUDENT, token=token).status,
                         200)
        r = self.q.request("DELETE", SESSION, token=token)
        self.assertIn(r.status, (200, 204), r)
        self.assertProblem(self.q.request("GET", STUDENT, token=token), 401)
        self.assertProblem(self.q.request("DELETE", SESSION, token=token),
                           401)
        # Another session of the same user lives on.
        other = self.q.login("logout-a")
        self.assertEqual(self.q.request("GET", STUDENT, token=other).status,
                         200)

    def test_logout_without_token(self):
        self.assertProblem(self.q.request("DELETE", SESSION), 401)

    def test_disabled_user(self):
        token = self.q.login("disabled-a")
        self.assertEqual(self.q.request("GET", STUDENT, token=token).status,
                         200)
        with sqlite3.connect(self.q.db, timeout=10) as db:
            db.execute("UPDATE users SET disabled = 1 WHERE login = ?",
                       ("disabled-a",))
        db.close()
        # Takes effect at once, for the session already open ...
        self.assertProblem(self.q.request("GET", STUDENT, token=token), 401)
        # ... and for new logins, even with the right password.
        r = self.post({"login": "disabled-a", "password": PASSWORD})
        self.assertIn(r.status, (401, 403), r)
        self.assertNotIn(b"token", r.body)

    def test_expired_session(self):
        token = self.q.login("logout-a")
        with sqlite3.connect(self.q.db, timeout=10) as db:
            db.execute("UPDATE sessions SET expires_at = "
                       "'2000-01-01T00:00:00Z' WHERE token_hash = ?",
                       (hashlib.blake2b(token.encode(),
                                        digest_size=32).hexdigest(),))
        db.close()
        self.assertProblem(self.q.request("GET", STUDENT, token=token), 401)

    def test_token_is_stored_hashed(self):
        token = self.q.login("director-a")
        with open(self.q.db, "rb") as f:
            data = f.read()
        wal = self.q.db + "-wal"
        if os.path.exists(wal):
            with open(wal, "rb") as f:
                data += f.read()
        self.assertNotIn(token.encode(), data)

    def test_unknown_token(self):
        r = self.q.request("GET", STUDENT, token=random_token())
        p = self.assertProblem(r, 401)
        self.assertIn("Bearer", r.header("WWW-Authenticate", ""))
        self.assertTrue(p["detail"])

    def test_malformed_tokens(self):
        for token in ("", "x", "a" * 42, "a" * 44, "a" * 5000,
                      random_token()[:-1] + "!", "../" + "a" * 40):
            r = self.q.request("GET", STUDENT, headers={
                "Authorization": "Bearer " + token})
            self.assertEqual(r.status, 401, (token[:50], r))

    def test_other_auth_scheme(self):
        r = self.q.request("GET", STUDENT, headers={
            "Authorization": "Basic ZGlyZWN0b3ItYTpUb2Jl"})
        self.assertProblem(r, 401)

    def test_device_token_is_not_staff(self):
        r = self.q.request("GET", STUDENT, token=self.device)
        self.assertProblem(r, 403)
        self.assertProblem(self.q.request("DELETE", SESSION,
                                          token=self.device), 403)


if __name__ == "__main__":
    harness.main()
