"""Browser sessions: the cookie's attributes and CSRF protection.

A cookie rides along on requests that other sites make the browser send,
so every unsafe request that authenticates by cookie must carry the
session's CSRF token; a bearer token is never sent implicitly and needs
none.
"""

import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import PASSWORD, roster_csv, ROSTER_A  # noqa: E402

SESSION_COOKIE = "qorgan"  # plain HTTP; "__Host-qorgan" behind TLS


class TestCsrf(harness.ServerTestCase):

    def signed_in(self, user="director-a"):
        b = self.q.browser()
        b.login(user)
        home = b.get("/")
        self.assertEqual(home.status, 200, home)
        self.assertIn(user, home.text)
        return b

    def still_signed_in(self, b, user="director-a"):
        r = b.get("/")
        return r.status == 200 and user in r.text

    # --- Cookies ---------------------------------------------------------

    def test_session_cookie_attributes(self):
        b = self.q.browser()
        page = b.get("/login")
        self.assertEqual(page.status, 200)
        pre = [c for c in page.header_all("Set-Cookie")]
        self.assertTrue(pre, "GET /login sets no pre-session cookie")
        for c in pre:
            self.assertIn("HttpOnly", c)
            self.assertRegex(c, r"(?i)SameSite=(Strict|Lax)")
        r = b.post_form("/login", {"csrf": b.csrf(page),
                                   "login": "director-a",
                                   "password": PASSWORD})
        self.assertEqual(r.status, 303, r)
        self.assertEqual(r.header("Location"), "/")
        self.assertIn(SESSION_COOKIE, b.cookies)
        attrs = b.attributes[SESSION_COOKIE]
        self.assertIn("httponly", attrs)
        self.assertEqual(attrs.get("samesite", "").lower(), "strict")
        self.assertEqual(attrs.get("path"), "/")
        self.assertNotIn("domain", attrs)
        # The cookie value is a credential; it must not be in the page.
        home = b.get("/")
        self.assertNotIn(b.cookies[SESSION_COOKIE], home.text)

    def test_login_form_without_csrf(self):
        b = self.q.browser()
        b.get("/login")
        r = b.post_form("/login", {"login": "director-a",
                                   "password": PASSWORD})
        self.assertEqual(r.status, 403, r)
        self.assertNotIn(SESSION_COOKIE, b.cookies)

    def test_login_form_with_anothers_csrf(self):
        other = self.q.browser()
        token = other.csrf(other.get("/login"))
        b = self.q.browser()
        b.get("/login")
        r = b.post_form("/login", {"csrf": token, "login": "director-a",
                                   "password": PASSWORD})
        self.assertEqual(r.status, 403, r)
        self.assertNotIn(SESSION_COOKIE, b.cookies)

    def test_login_form_without_pre_cookie(self):
        b = self.q.browser()
        token = b.csrf(b.get("/login"))
        b.cookies.clear()
        r = b.post_form("/login", {"csrf": token, "login": "director-a",
                                   "password": PASSWORD})
        self.assertEqual(r.status, 403, r)

    def test_login_form_wrong_password(self):
        b = self.q.browser()
        token = b.csrf(b.get("/login"))
        r = b.post_form("/login", {"csrf": token, "login": "director-a",
                                   "password": "not-the-password"})
        self.assertEqual(r.status, 401, r)
        self.assertEqual(r.content_type, "text/html")
        self.assertNotIn(SESSION_COOKIE, b.cookies)
        self.assertNotIn("not-the-password", r.text)

    def test_login_redirects_to_next(self):
        b = self.q.browser()
        r = b.get("/school/sch-a")
        self.assertEqual(r.status, 303, r)
        self.assertTrue(r.header("Location").startswith("/login"), r)
        page = b.get(r.header("Location"))
        self.assertEqual(page.status, 200)
        # Never an open redirect to another site.
        b2 = self.q.browser()
        t = b2.csrf(b2.get("/login"))
        r = b2.post_form("/login", {"csrf": t, "login": "director-a",
                                    "password": PASSWORD,
                                    "next": "//evil.example/"})
        self.assertEqual(r.status, 303, r)
        self.assertFalse(r.header("Location").startswith("//"), r)

    # --- Unsafe requests with the cookie ---------------------------------

    def test_logout_without_csrf_is_403(self):
        b = self.signed_in()
        r = b.post_form("/logout", {})
        self.assertEqual(r.status, 403, r)
        self.assertTrue(self.still_signed_in(b))

    def test_logout_with_wrong_csrf_is_403(self):
        b = self.signed_in()
        r = b.post_form("/logout", {"csrf": "0" * 64})
        self.assertEqual(r.status, 403, r)
        self.assertTrue(self.still_signed_in(b))

    def test_csrf_of_another_session_is_403(self):
        a = self.signed_in("director-a")
        other = self.signed_in("psych-a")
        r = a.post_form("/logout", {"csrf": other.csrf(other.get("/"))})
        self.assertEqual(r.status, 403, r)
        self.assertTrue(self.still_signed_in(a))

    def test_logout_with_csrf(self):
        b = self.signed_in()
        cookie = b.cookies[SESSION_COOKIE]
        r = b.post_form("/logout", {"csrf": b.csrf(b.get("/"))})
        self.assertEqual(r.status, 303, r)
        self.assertTrue(r.header("Location").startswith("/login"))
        self.assertNotIn(SESSION_COOKIE, b.cookies, "cookie not cleared")
        self.assertFalse(self.still_signed_in(b))
        # The old cookie is dead on the server too, not just forgotten.
        r = self.q.request("GET", "/", headers={
            "Cookie": "%s=%s" % (SESSION_COOKIE, cookie)})
        self.assertEqual(r.status, 303, r)
        r = self.q.request("GET", "/api/v1/students/sch-a/A001",
                           token=cookie)
        self.assertEqual(r.status, 401, r)

    def test_page_form_post(self):
        b = self.signed_in()
        page = b.get("/school/sch-a/class/" + urllib.parse.quote("3А"))
        self.assertEqual(page.status, 200, page)
        token = b.csrf(page)
        self.assertTrue(token, "the class page's form has no csrf field")
        action = "/school/sch-a/class/%s/shift" % urllib.parse.quote("3А")
        r = b.post_form(action, {"shift": "2", "starts_at": "13:30"})
        self.assertEqual(r.status, 403, r)
        r = b.post_form(action, {"csrf": token, "shift": "2",
                                 "starts_at": "13:30"})
        self.assertEqual(r.status, 303, r)
        page = b.get("/school/sch-a/class/" + urllib.parse.quote("3А"))
        self.assertIn("13:30", page.text)

    def test_json_api_with_cookie_needs_csrf(self):
        b = self.signed_in()
        path = "/api/v1/schools/sch-a/roster?dry_run=1"
        body = roster_csv(ROSTER_A).encode()
        r = b.request("POST", path, body,
                      headers={"Content-Type": "text/csv"})
        self.assertEqual(r.status, 403, r)
        token = b.csrf(b.get("/"))
        r = b.request("POST", path, body, headers={
            "Content-Type": "text/csv", "X-CSRF-Token": token})
        self.assertEqual(r.status, 200, r)
        r = b.request("DELETE", "/api/v1/session")
        self.assertEqual(r.status, 403, r)
        self.assertTrue(self.still_signed_in(b))

    def test_safe_requests_need_no_csrf(self):
        b = self.signed_in()
        self.assertEqual(b.get("/school/sch-a").status, 200)
        r = b.get("/api/v1/students/sch-a/A001")
        self.assertEqual(r.status, 200, r)

    def test_bearer_needs_no_csrf(self):
        token = self.q.login("director-a")
        r = self.q.request("POST", "/api/v1/schools/sch-a/roster?dry_run=1",
                           roster_csv(ROSTER_A),
                           headers={"Content-Type": "text/csv"},
                           token=token)
        self.assertEqual(r.status, 200, r)
        r = self.q.request("DELETE", "/api/v1/session", token=token)
        self.assertIn(r.status, (200, 204), r)

    def test_bearer_wins_over_cookie(self):
        # A request with both is judged by its bearer token alone.
        b = self.signed_in()
        token = self.q.login("psych-a")
        r = b.request("POST", "/api/v1/schools/sch-a/roster?dry_run=1",
                      roster_csv(ROSTER_A).encode(), headers={
                          "Content-Type": "text/csv",
                          "Authorization": "Bearer " + token})
        self.assertEqual(r.status, 403, r)  # a psychologist may not import


if __name__ == "__main__":
    harness.main()
