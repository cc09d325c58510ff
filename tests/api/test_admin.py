"""Administration over HTTP: schools, staff and class shifts through the JSON
API and the /admin pages, the rule of who may create or disable whom, and
the audit lines those changes leave."""

import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

NEW_PASSWORD = "Fresh-start-2026"


def quote(s):
    return urllib.parse.quote(s, safe="")


class TestAdminApi(harness.ServerTestCase):
    """The JSON API, one story at a time; each test uses its own names."""

    @classmethod
    def prepare(cls, q):
        q.secrets.add(NEW_PASSWORD)

    def post(self, user, path, body=None):
        return self.q.request("POST", path, body, token=self.q.login(user))

    def add_user(self, token, login, role, schools=None, region=None,
                 password=NEW_PASSWORD):
        body = {"login": login, "role": role, "password": password}
        if schools is not None:
            body["schools"] = schools
        if region is not None:
            body["region"] = region
        return self.q.request("POST", "/api/v1/users", body, token=token)

    def users(self, token):
        r = self.q.request("GET", "/api/v1/users", token=token)
        self.assertEqual(r.status, 200, r)
        return {u["login"]: u for u in r.json["users"]}

    def audit_actions(self, user, prefix):
        r = self.q.request("GET", "/api/v1/audit?action=" + prefix,
                           token=self.q.login(user))
        self.assertEqual(r.status, 200, r)
        return r.json["entries"]

    # --- The story of the brief -------------------------------------------

    def test_school_director_teacher_story(self):
        root = self.q.login("platform")
        r = self.q.request("POST", "/api/v1/schools",
                           {"code": "sch-new", "name": "Жаңа мектеп",
                            "region": "north", "district": "esil"},
                           token=root)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json, {"code": "sch-new"})

        r = self.add_user(root, "director-new", "director", ["sch-new"])
        self.assertEqual(r.status, 201, r)
        director = self.q.login("director-new", NEW_PASSWORD)

        # The director staffs their own school ...
        r = self.add_user(director, "teacher-new", "class_teacher",
                          ["sch-new"])
        self.assertEqual(r.status, 201, r)
        # ... but not another one, and never a platform admin.
        r = self.add_user(director, "teacher-elsewhere", "class_teacher",
                          ["sch-a"])
        self.assertProblem(r, 403)
        r = self.add_user(director, "new-root", "platform_admin")
        self.assertProblem(r, 403)
        r = self.add_user(director, "new-police", "police_inspector",
                          ["sch-new"])
        self.assertProblem(r, 403)
        seen = self.users(director)
        self.assertEqual(sorted(seen), ["director-new", "teacher-new"])
        self.assertEqual(seen["teacher-new"],
                         {"login": "teacher-new", "role": "class_teacher",
                          "schools": ["sch-new"], "region": None,
                          "disabled": False})

        # The new teacher can sign in and reach the new school only.
        teacher = self.q.login("teacher-new", NEW_PASSWORD)
        r = self.q.request("GET", "/api/v1/schools/sch-new/classes",
                           token=teacher)
        self.assertEqual(r.status, 200, r)
        r = self.q.request("GET", "/api/v1/schools/sch-a/classes",
                           token=teacher)
        self.assertEqual(r.status, 403, r)

        # Disabling ends the teacher's sessions at once.
        r = self.q.request("POST", "/api/v1/users/teacher-new/disable",
                           token=director)
        self.assertEqual(r.status, 204, r)
        r = self.q.request("GET", "/api/v1/schools/sch-new/classes",
                           token=teacher)
        self.assertProblem(r, 401)
        r = self.q.request("POST", "/api/v1/session",
                           {"login": "teacher-new",
                            "password": NEW_PASSWORD})
        self.assertProblem(r, 403)
        self.assertTrue(self.users(director)["teacher-new"]["disabled"])
        r = self.q.request("POST", "/api/v1/users/teacher-new/enable",
                           token=director)
        self.assertEqual(r.status, 204, r)
        self.q.login("teacher-new", NEW_PASSWORD)

        # Every change is in the audit log, none with the password.
        lines = [e for e in self.audit_actions("platform", "user.")
                 if e["login"] in ("platform", "director-new")]
        self.assertEqual(sorted(e["action"] for e in lines),
                         ["user.add", "user.add", "user.disable",
                          "user.enable"], lines)
        self.assertTrue(all(e["school"] == "sch-new" and e["session_id"]
                            for e in lines), lines)
        self.assertNotIn(NEW_PASSWORD, repr(lines))
        schools = self.audit_actions("platform", "school.add")
        self.assertTrue(any(e["school"] == "sch-new" for e in schools),
                        schools)

    def test_class_shift(self):
        path = "/api/v1/schools/sch-a/classes/" + quote("10B")
        r = self.q.request("PUT", path, {"shift": 2, "starts_at": "13:30"},
                           token=self.q.login("director-a"))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json, {"school": "sch-a", "class": "10B",
                                  "shift": 2, "starts_at": "13:30"})
        r = self.q.request("GET", "/api/v1/schools/sch-a/classes",
                           token=self.q.login("director-a"))
        cls = {c["name"]: c for c in r.json["classes"]}
        self.assertEqual((cls["10B"]["shift"], cls["10B"]["starts_at"]),
                         (2, "13:30"))
        # Kazakh letter, another spelling of the same class.
        r = self.q.request("PUT", "/api/v1/schools/sch-a/classes/" +
                           quote("3-а"),
                           {"shift": 1, "starts_at": "08:30"},
                           token=self.q.login("admin-a"))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["class"], "3А")

    def test_class_shift_refusals(self):
        director = self.q.login("director-a")
        path = "/api/v1/schools/sch-a/classes/" + quote("3А")
        for body, field in (({"shift": 4, "starts_at": "08:00"}, "shift"),
                            ({"shift": 1, "starts_at": "8:00"},
                             "starts_at"),
                            ({"shift": 1, "starts_at": "24:00"},
                             "starts_at"),
                            ({"shift": "1", "starts_at": "08:00"},
                             "shift"),
                            ({"shift": 1}, "starts_at"),
                            ({"shift": 1, "starts_at": "08:00", "x": 1},
                             "x")):
            p = self.assertProblem(
                self.q.request("PUT", path, body, token=director), 422)
            self.assertTrue(p["detail"].startswith(field + ":"), (body, p))
        r = self.q.request("PUT", "/api/v1/schools/sch-b/classes/" +
                           quote("5Ә"), {"shift": 1, "starts_at": "08:00"},
                           token=director)
        self.assertProblem(r, 403)
        r = self.q.request("PUT", path, {"shift": 1, "starts_at": "08:00"},
                           token=self.q.login("psych-a"))
        self.assertProblem(r, 403)
        r = self.q.request("PUT", "/api/v1/schools/sch-a/classes/9Z",
                           {"shift": 1, "starts_at": "08:00"},
                           token=director)
        self.assertProblem(r, 404)
        r = self.q.request("PUT", path, {"shift": 1, "starts_at": "08:00"})
        self.assertProblem(r, 401)

    def test_school_refusals(self):
        root = self.q.login("platform")
        r = self.q.request("POST", "/api/v1/schools",
                           {"code": "sch-a", "name": "Again"}, token=root)
        p = self.assertProblem(r, 409)
        self.assertTrue(p["detail"].startswith("code:"), p)
        for body, field in (({"code": "Sch C", "name": "X"}, "code"),
                            ({"code": "sch-x"}, "name"),
                            ({"code": "sch-x", "name": ""}, "name"),
                            ({"code": "sch-x", "name": "X",
                              "district": "d"}, "district"),
                            ({"code": "sch-x", "name": "X", "size": 3},
                             "size")):
            p = self.assertProblem(
                self.q.request("POST", "/api/v1/schools", body, token=root),
                422)
            self.assertTrue(p["detail"].startswith(field + ":"), (body, p))
        for user in ("director-a", "supervisor-n", "operator-n"):
            r = self.post(user, "/api/v1/schools",
                          {"code": "sch-y", "name": "Y"})
            self.assertProblem(r, 403)

    def test_user_refusals(self):
        root = self.q.login("platform")
        self.assertProblem(self.add_user(root, "director-a", "director",
                                         ["sch-a"]), 409)
        r = self.add_user(root, "weak-one", "director", ["sch-a"],
                          password="short")
        p = self.assertProblem(r, 422)
        self.assertIn("10 characters", p["detail"])
        p = self.assertProblem(self.add_user(root, "no-school", "director"),
                               422)
        self.assertIn("school", p["detail"])
        p = self.assertProblem(self.add_user(root, "op-x", "operator",
                                             region="nowhere"), 422)
        self.assertTrue(p["detail"].startswith("region:"), p)
        p = self.assertProblem(self.add_user(root, "x-1", "wizard",
                                             ["sch-a"]), 422)
        self.assertTrue(p["detail"].startswith("role:"), p)
        p = self.assertProblem(self.add_user(root, "x-2", "director",
                                             "sch-a"), 422)
        self.assertTrue(p["detail"].startswith("schools:"), p)
        for user in ("psych-a", "operator-n", "cashier-a"):
            r = self.add_user(self.q.login(user), "x-3", "cashier",
                              ["sch-a"])
            self.assertProblem(r, 403)
            r = self.q.request("GET", "/api/v1/users",
                               token=self.q.login(user))
            self.assertProblem(r, 403)
        self.assertProblem(self.q.request("GET", "/api/v1/users"), 401)

    def test_regional_supervisor(self):
        sup = self.q.login("supervisor-n")
        self.assertEqual(self.add_user(sup, "operator-n2", "operator",
                                       region="north").status, 201)
        self.assertEqual(self.add_user(sup, "police-a", "police_inspector",
                                       ["sch-a"]).status, 201)
        self.assertProblem(self.add_user(sup, "operator-s", "operator",
                                         region="south"), 403)
        self.assertProblem(self.add_user(sup, "director-b2", "director",
                                         ["sch-b"]), 403)
        seen = self.users(sup)
        self.assertIn("director-a", seen)
        self.assertIn("operator-n2", seen)
        self.assertNotIn("director-b", seen)
        self.assertNotIn("platform", seen)

    def test_disable_refusals(self):
        director = self.q.login("director-a")
        for login, status in (("director-a", 403),  # oneself
                              ("director-b", 403),  # another school
                              ("operator-n", 403),  # above a school
                              ("platform", 403),
                              ("nobody-here", 404)):
            r = self.q.request("POST", "/api/v1/users/%s/disable" % login,
                               token=director)
            self.assertProblem(r, status)
        r = self.q.request("POST", "/api/v1/users/cashier-a/disable",
                           token=self.q.login("psych-a"))
        self.assertProblem(r, 403)
        self.assertFalse(self.users(director)["cashier-a"]["disabled"])


class TestAdminPages(harness.ServerTestCase):
    """The same through the /admin pages, as a browser without JavaScript."""

    @classmethod
    def prepare(cls, q):
        q.secrets.add(NEW_PASSWORD)

    def signed_in(self, user):
        b = self.q.browser()
        b.login(user)
        return b

    def test_page_shows_what_the_user_may_do(self):
        b = self.signed_in("director-a")
        r = b.get("/admin")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.content_type, "text/html")
        self.assertIn('action="/admin/users"', r.text)
        self.assertNotIn('action="/admin/schools"', r.text)
        self.assertIn('value="class_teacher"', r.text)
        self.assertNotIn('value="platform_admin"', r.text)
        self.assertNotIn('value="police_inspector"', r.text)
        self.assertIn('href="/admin/schools/sch-a"', r.text)
        self.assertNotIn("sch-b", r.text)
        self.assertIn('action="/admin/users/psych-a/disable"', r.text)
        self.assertNotIn('action="/admin/users/director-a/disable"', r.text)
        r = self.signed_in("platform").get("/admin")
        self.assertIn('action="/admin/schools"', r.text)
        self.assertIn('value="platform_admin"', r.text)
        r = self.signed_in("psych-a").get("/admin")
        self.assertEqual(r.status, 403, r)
        self.assertEqual(r.content_type, "text/html")

    def test_add_staff_through_the_form(self):
        b = self.signed_in("director-a")
        b.get("/admin")
        form = [("csrf", b.csrf()), ("login", "librarian-a"),
                ("password", NEW_PASSWORD), ("role", "librarian"),
                ("schools", "sch-a"), ("region", "north")]
        r = b.post_form("/admin/users", form)
        self.assertEqual(r.status, 303, r)
        self.assertEqual(r.header("Location"), "/admin?done=user#staff")
        r = b.follow(r)
        self.assertIn('class="ok"', r.text)
        self.assertIn("librarian-a", r.text)
        self.q.login("librarian-a", NEW_PASSWORD)
        # The same again: the form comes back with its error, as HTML.
        r = b.post_form("/admin/users", form)
        self.assertEqual(r.status, 409, r)
        self.assertEqual(r.content_type, "text/html")
        self.assertIn('class="error"', r.text)
        self.assertIn('value="librarian-a"', r.text)
        self.assertNotIn(NEW_PASSWORD, r.text)
        form[1] = ("login", "librarian-b")
        form[4] = ("schools", "sch-b")
        r = b.post_form("/admin/users", form)
        self.assertEqual(r.status, 403, r)
        self.assertIn('class="error"', r.text)
        form[4] = ("schools", "sch-a")
        form[2] = ("password", "short")
        r = b.post_form("/admin/users", form)
        self.assertEqual(r.status, 422, r)
        # Bytes that are not UTF-8 are refused, not echoed.
        form[1] = ("login", b"lib\xff")
        form[2] = ("password", NEW_PASSWORD)
        r = b.post_form("/admin/users", form)
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.content_type, "text/html")
        # Without the form's token nothing happens.
        r = b.post_form("/admin/users", [("login", "librarian-c"),
                                         ("password", NEW_PASSWORD),
                                         ("role", "librarian"),
                                         ("schools", "sch-a")])
        self.assertEqual(r.status, 403, r)

    def test_disable_and_enable_buttons(self):
        b = self.signed_in("director-a")
        b.get("/admin")
        r = b.post_form("/admin/users/cashier-a/disable",
                        {"csrf": b.csrf()})
        self.assertEqual(r.status, 303, r)
        r = b.follow(r)
        self.assertIn('action="/admin/users/cashier-a/enable"', r.text)
        r = b.post_form("/admin/users/cashier-a/enable", {"csrf": b.csrf()})
        self.assertEqual(r.status, 303, r)
        r = b.post_form("/admin/users/director-b/disable",
                        {"csrf": b.csrf(b.follow(r))})
        self.assertEqual(r.status, 403, r)
        self.assertEqual(r.content_type, "text/html")

    def test_add_school_through_the_form(self):
        b = self.signed_in("platform")
        b.get("/admin")
        r = b.post_form("/admin/schools", {"csrf": b.csrf(),
                                           "code": "sch-form",
                                           "name": "Мектеп", "region": "",
                                           "district": ""})
        self.assertEqual(r.status, 303, r)
        r = b.follow(r)
        self.assertIn('href="/admin/schools/sch-form"', r.text)
        r = b.post_form("/admin/schools", {"csrf": b.csrf(),
                                           "code": "sch-form",
                                           "name": "Again"})
        self.assertEqual(r.status, 409, r)
        self.assertIn('value="Again"', r.text)

    def test_class_form(self):
        b = self.signed_in("director-a")
        r = b.get("/admin/schools/sch-a")
        self.assertEqual(r.status, 200, r)
        action = "/admin/schools/sch-a/classes/" + quote("3А")
        self.assertIn('action="%s"' % action, r.text)
        r = b.post_form(action, {"csrf": b.csrf(), "shift": "2",
                                 "starts_at": "14:00"})
        self.assertEqual(r.status, 303, r)
        r = b.follow(r)
        self.assertIn('value="14:00"', r.text)
        self.assertIn('class="ok"', r.text)
        r = b.post_form(action, {"csrf": b.csrf(), "shift": "5",
                                 "starts_at": "14:00"})
        self.assertEqual(r.status, 422, r)
        self.assertIn('class="error"', r.text)
        self.assertEqual(b.get("/admin/schools/sch-b").status, 403)
        self.assertEqual(b.get("/admin/schools/nope").status, 404)


if __name__ == "__main__":
    harness.main()
