"""Roster import: the command line, the JSON API and the page form.

Each test works in a school of its own (made in prepare), so the tests do
not depend on each other's order.  What was written is always checked
through the HTTP API, the way a person would see it.
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import iin, bad_iin, roster_csv  # noqa: E402

SCHOOLS = ("imp-ok", "imp-bad", "imp-dry", "imp-left", "imp-upd",
           "imp-bom", "imp-consent", "web-api", "web-dry", "web-bad",
           "web-form", "web-form-bad", "web-big", "web-nocsrf", "web-multi",
           "web-admin", "web-form-big")


def kid(ref, name, cls="2Б", **more):
    d = {"ref": ref, "full_name": name, "class": cls}
    d.update(more)
    return d


BASE = [
    kid("R1", "Айгерім Болатқызы Сейітова", "2Б",
        birth_date="2017-04-12", iin=iin("2017-04-12", 11, 6),
        consent="yes", guardian_name="Болат Сейітов",
        guardian_phone="+77051112233", guardian_email="bolat@example.kz"),
    kid("R2", "Илья Андреевич Кузнецов", "2Б", consent="no",
        guardian_name="Андрей Кузнецов", guardian_phone="+77051112234"),
    kid("R3", "Нұрсұлтан Ерланұлы Әбдіков", "11А", category="social"),
]


class TestRoster(harness.ServerTestCase):

    @classmethod
    def prepare(cls, q):
        for code in SCHOOLS:
            q.cli("school", "add", code, "--name", "Мектеп " + code,
                  "--region", "north")
        for code in SCHOOLS:
            q.add_user("dir-" + code, "director", [code])
        q.add_user("psych-web", "psychologist", ["web-api"])
        q.add_user("schooladmin-web", "school_admin", ["web-admin"])
        q.remember_people(BASE)

    # --- Helpers ---------------------------------------------------------

    def setUp(self):
        self.token = self.q.login("platform")

    def read(self, school, ref):
        return self.q.request("GET", "/api/v1/students/%s/%s" % (school, ref),
                              token=self.token)

    def assertStudent(self, school, ref, **fields):
        r = self.read(school, ref)
        self.assertEqual(r.status, 200, (school, ref, r))
        for k, v in fields.items():
            self.assertEqual(r.json.get(k), v, (k, r.json))
        return r.json

    def assertNoStudent(self, school, ref):
        self.assertEqual(self.read(school, ref).status, 404,
                         "%s/%s should not exist" % (school, ref))

    def cli_import(self, school, students=None, text=None, name=None,
                   expect=0, dry_run=False):
        if students is not None:
            self.q.remember_people(students)
            text = roster_csv(students)
        path = self.q.write(name or (school + ".csv"), text)
        args = ["roster", "import", school, path]
        if dry_run:
            args.append("--dry-run")
        p = self.q.cli(*args, expect=expect)
        return path, p

    def api_import(self, school, text, token=None, query="", headers=None):
        h = {"Content-Type": "text/csv; charset=utf-8"}
        h.update(headers or {})
        return self.q.request("POST", "/api/v1/schools/%s/roster%s"
                              % (school, query), text.encode("utf-8"),
                              headers=h,
                              token=token or self.q.login("dir-" + school))

    # --- Command line ----------------------------------------------------

    def test_cli_import(self):
        _, p = self.cli_import("imp-ok", BASE)
        self.assertRegex(p.stdout, r"\b3 added\b")
        self.assertStudent("imp-ok", "R1", full_name=BASE[0]["full_name"],
                           **{"class": "2Б"})
        self.assertStudent("imp-ok", "R2", full_name=BASE[1]["full_name"])
        s = self.assertStudent("imp-ok", "R3",
                               full_name=BASE[2]["full_name"],
                               **{"class": "11А"})
        self.assertEqual(s.get("status"), "active")
        g = self.assertStudent("imp-ok", "R1")["guardians"]
        self.assertEqual([x["full_name"] for x in g], ["Болат Сейітов"])
        self.assertEqual(g[0].get("phone"), "+77051112233")
        # The same file again changes nothing.
        _, p = self.cli_import("imp-ok", BASE)
        self.assertRegex(p.stdout, r"\b0 added\b")
        self.assertRegex(p.stdout, r"\b3 unchanged\b")

    def test_cli_bad_rows_write_nothing(self):
        self.cli_import("imp-bad", BASE[:1])
        rows = [
            kid("R1", "Renamed Should Not Stick", "2Б"),    # line 2: fine
            kid("N1", "Жаңа Оқушы", "3В"),                  # line 3: fine
            kid("N2", "Бұрыс ИИН", "3В",
                iin=bad_iin(iin("2016-01-01", 7))),         # line 4: IIN
            kid("N3", "", "3В"),                            # line 5: name
            kid("N4", "Сынып жоқ", "Б"),                    # line 6: class
            kid("N5", "Телефон қате", "3В", guardian_name="Ата-ана",
                guardian_phone="12345"),                    # line 7: phone
            kid("N6", "Пошта қате", "3В", guardian_name="Ата-ана",
                guardian_email="not-an-email"),             # line 8: e-mail
        ]
        path, p = self.cli_import("imp-bad", rows, name="bad-rows.csv",
                                  expect=1)
        errors = [l for l in p.stderr.splitlines()
                  if l.startswith(path + ":")]
        lines = [int(re.match(re.escape(path) + r":(\d+): ", l).group(1))
                 for l in errors]
        self.assertEqual(sorted(set(lines)), [4, 5, 6, 7, 8], p.stderr)
        self.assertRegex(p.stderr, re.escape(path) + r":4: .*iin")
        self.assertRegex(p.stderr, re.escape(path) + r":5: .*full_name")
        self.assertRegex(p.stderr, re.escape(path) + r":6: .*class")
        self.assertRegex(p.stderr, re.escape(path) + r":7: .*phone")
        self.assertRegex(p.stderr, re.escape(path) + r":8: .*email")
        self.assertRegex(p.stderr, r"(?m)^qorgan: ")
        # Nothing of that file was written, not even its good rows.
        self.assertNoStudent("imp-bad", "N1")
        self.assertStudent("imp-bad", "R1", full_name=BASE[0]["full_name"])

    def test_cli_unknown_column_is_line_1(self):
        text = "ref,full_name,class,nickname\r\nX1,Аты Жөні,1А,x\r\n"
        path, p = self.cli_import("imp-bad", text=text, name="col.csv",
                                  expect=1)
        self.assertRegex(p.stderr, re.escape(path) + r":1: .*nickname")
        self.assertNoStudent("imp-bad", "X1")

    def test_cli_missing_required_column(self):
        text = "ref,full_name\r\nX2,Аты Жөні\r\n"
        path, p = self.cli_import("imp-bad", text=text, name="nocls.csv",
                                  expect=1)
        self.assertRegex(p.stderr, re.escape(path) + r":1: .*class")

    def test_cli_line_numbers_count_quoted_newlines(self):
        # A quoted field may span lines; errors name the line a row starts.
        text = ('ref,full_name,class,guardian_name\r\n'
                'Q1,"Екі\r\nжолды аты",1А,\r\n'
                'Q2,Жақсы Аты,1А,\r\n'
                'Q3,Жаман Сынып,ZZ,\r\n')
        path, p = self.cli_import("imp-bad", text=text, name="quoted.csv",
                                  expect=1)
        self.assertRegex(p.stderr, re.escape(path) + r":5: .*class",
                         p.stderr)

    def test_cli_dry_run_writes_nothing(self):
        self.cli_import("imp-dry", BASE[:2])
        changed = [kid("R1", "Айгерім Өзгерген", "3Б"),
                   kid("D1", "Құрғақ Жүгіріс", "1А")]
        _, p = self.cli_import("imp-dry", changed, dry_run=True)
        self.assertRegex(p.stdout, r"(?i)dry run")
        self.assertRegex(p.stdout, r"\b1 added\b")
        self.assertRegex(p.stdout, r"\b1 updated\b")
        self.assertRegex(p.stdout, r"\b1 marked left\b")
        self.assertNoStudent("imp-dry", "D1")
        self.assertStudent("imp-dry", "R1", full_name=BASE[0]["full_name"],
                           **{"class": "2Б"})
        self.assertStudent("imp-dry", "R2", status="active")

    def test_cli_reimport_marks_missing_as_left(self):
        self.cli_import("imp-left", BASE)
        _, p = self.cli_import("imp-left", [BASE[0], BASE[2]])
        self.assertRegex(p.stdout, r"\b1 marked left\b")
        # Never deleted: still readable, and marked.
        self.assertStudent("imp-left", "R2", status="left",
                           full_name=BASE[1]["full_name"])
        self.assertStudent("imp-left", "R1", status="active")
        # Back on the roster, back in school.
        self.cli_import("imp-left", BASE)
        self.assertStudent("imp-left", "R2", status="active")

    def test_cli_reimport_updates_by_ref(self):
        self.cli_import("imp-upd", BASE)
        moved = [dict(BASE[0], full_name="Айгерім Болатқызы Нұрланова",
                      **{"class": "3Б"}), BASE[1], BASE[2]]
        _, p = self.cli_import("imp-upd", moved)
        self.assertRegex(p.stdout, r"\b1 updated\b")
        self.assertStudent("imp-upd", "R1",
                           full_name="Айгерім Болатқызы Нұрланова",
                           **{"class": "3Б"})

    def test_cli_bom_crlf_quotes_and_column_order(self):
        text = ("\ufeffclass,full_name,ref,guardian_phone,guardian_name\r\n"
                '1Ә,"Әсел ""Аққу"" Серікова",B1,+77470001122,"Серік, әкесі"'
                "\r\n"
                "1Ә,Дмитрий Олегович Попов,B2,,\r\n")
        self.q.secrets.update({"Әсел \"Аққу\" Серікова",
                               "Дмитрий Олегович Попов", "Серік, әкесі",
                               "+77470001122"})
        self.cli_import("imp-bom", text=text, name="bom.csv")
        self.assertStudent("imp-bom", "B1",
                           full_name='Әсел "Аққу" Серікова',
                           **{"class": "1Ә"})
        g = self.assertStudent("imp-bom", "B1")["guardians"]
        self.assertEqual(g[0]["full_name"], "Серік, әкесі")
        self.assertStudent("imp-bom", "B2",
                           full_name="Дмитрий Олегович Попов")

    def test_cli_invalid_utf8(self):
        path = os.path.join(self.q.dir, "latin1.csv")
        with open(path, "wb") as f:
            f.write(b"ref,full_name,class\r\nU1,Good Name,1A\r\n"
                    b"U2,Bad \xe9 Name,1A\r\n")
        p = self.q.cli("roster", "import", "imp-bad", path, expect=1)
        self.assertRegex(p.stderr, re.escape(path) + r":3: ")
        self.assertNoStudent("imp-bad", "U1")

    def test_cli_duplicate_ref(self):
        rows = [kid("D1", "Бірінші", "1А"), kid("D2", "Екінші", "1А"),
                kid("D1", "Үшінші", "1А")]
        path, p = self.cli_import("imp-bad", rows, name="dup.csv", expect=1)
        self.assertRegex(p.stderr, re.escape(path) + r":4: .*D1")
        self.assertNoStudent("imp-bad", "D2")

    def test_cli_consent_change_by_reimport(self):
        self.cli_import("imp-consent", BASE[:1])
        self.assertTrue(self.assertStudent("imp-consent",
                                           "R1")["consent"]["data"])
        self.cli_import("imp-consent", [dict(BASE[0], consent="no")])
        # Withdrawn in the file: withdrawn at once.
        self.assertFalse(self.assertStudent("imp-consent",
                                            "R1")["consent"]["data"])

    # --- JSON API --------------------------------------------------------

    def test_api_import(self):
        r = self.api_import("web-api", roster_csv(BASE))
        self.assertEqual(r.status, 200, r)
        report = r.json
        self.assertEqual(report.get("added"), 3, report)
        self.assertEqual(report.get("rows"), 3, report)
        self.assertFalse(report.get("dry_run"), report)
        self.assertStudent("web-api", "R3", full_name=BASE[2]["full_name"])

    def test_api_import_is_audited(self):
        token = self.q.login("dir-web-api")
        r = self.api_import("web-api", roster_csv(BASE), token=token)
        self.assertEqual(r.status, 200, r)
        r = self.q.request("GET", "/api/v1/audit?school=web-api",
                           token=token)
        self.assertEqual(r.status, 200, r)
        actions = [e["action"] for e in r.json["entries"]
                   if e.get("login") == "dir-web-api"]
        self.assertTrue(any(a.startswith("roster") for a in actions),
                        actions)

    def test_api_dry_run(self):
        r = self.api_import("web-dry", roster_csv(BASE), query="?dry_run=1")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json.get("added"), 3, r.json)
        self.assertTrue(r.json.get("dry_run"), r.json)
        for s in BASE:
            self.assertNoStudent("web-dry", s["ref"])

    def test_api_bad_rows(self):
        rows = [BASE[0], kid("W2", "Бұрыс", "2Б",
                             iin=bad_iin(iin("2017-02-02", 3)))]
        self.q.remember_people(rows)
        r = self.api_import("web-bad", roster_csv(rows),
                            query="?filename=class2.csv")
        p = self.assertProblem(r, 422)
        errors = p.get("errors")
        self.assertIsInstance(errors, list, p)
        self.assertEqual(len(errors), 1, errors)
        self.assertRegex(errors[0], r"^class2\.csv:3: .*iin")
        self.assertNoStudent("web-bad", "R1")

    def test_api_multipart(self):
        boundary = "qorgan-test-boundary"
        body = ("--%s\r\nContent-Disposition: form-data; name=\"file\"; "
                "filename=\"list.csv\"\r\nContent-Type: text/csv\r\n\r\n"
                % boundary).encode() + roster_csv(BASE).encode() + \
            ("\r\n--%s--\r\n" % boundary).encode()
        r = self.q.request("POST", "/api/v1/schools/web-multi/roster", body,
                           headers={"Content-Type": "multipart/form-data; "
                                    "boundary=" + boundary},
                           token=self.q.login("dir-web-multi"))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json.get("added"), 3, r.json)
        self.assertStudent("web-multi", "R2", full_name=BASE[1]["full_name"])

    def test_api_school_admin_may_import(self):
        r = self.api_import("web-admin", roster_csv(BASE),
                            token=self.q.login("schooladmin-web"))
        self.assertEqual(r.status, 200, r)
        self.assertStudent("web-admin", "R1")

    def test_api_empty_body(self):
        self.assertProblem(self.api_import("web-bad", ""), 422)

    def test_api_not_allowed(self):
        text = roster_csv(BASE)
        self.assertProblem(self.api_import("web-api", text,
                                           token=self.q.login("psych-web")),
                           403)
        self.assertProblem(self.api_import("web-api", text,
                                           token=self.q.login("director-a")),
                           403)
        r = self.q.request("POST", "/api/v1/schools/web-api/roster", text,
                           headers={"Content-Type": "text/csv"})
        self.assertProblem(r, 401)
        self.assertProblem(self.api_import("no-such-school", text,
                                           token=self.token), 404)

    def test_api_upload_limit_is_above_the_json_limit(self):
        # A roster is a file: 2 MiB must pass where JSON stops at 1 MiB.
        rows = ["ref,full_name,class"]
        n = size = 0
        while size < 2 * 1024 * 1024 + 1000:
            n += 1
            rows.append("BIG%06d,Оқушы Нөмір %06d,%dА" % (n, n, n % 11 + 1))
            size += len(rows[-1].encode()) + 2
        r = self.api_import("web-big", "\r\n".join(rows) + "\r\n",
                            query="?dry_run=1")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json.get("added"), n, r.json)

    # --- The page form ---------------------------------------------------

    def form_import(self, school, csv_bytes, filename="roster.csv",
                    dry_run=False, csrf=True):
        b = self.q.browser()
        b.login("dir-" + school)
        page = b.get("/school/%s/roster" % school)
        self.assertEqual(page.status, 200, page)
        token = b.csrf(page)
        self.assertTrue(token, "the roster form has no csrf field")
        fields = {"csrf": token} if csrf else {}
        if dry_run:
            fields["dry_run"] = "1"
        return b.post_multipart("/school/%s/roster" % school, fields,
                                {"file": (filename, csv_bytes, "text/csv")})

    def test_form_import(self):
        r = self.form_import("web-form", roster_csv(BASE).encode())
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.content_type, "text/html")
        self.assertNotIn("Dry run: nothing", r.text)
        self.assertStudent("web-form", "R1", full_name=BASE[0]["full_name"])
        self.assertStudent("web-form", "R2", full_name=BASE[1]["full_name"])

    def test_form_dry_run(self):
        r = self.form_import("web-dry", roster_csv(BASE).encode(),
                             dry_run=True)
        self.assertEqual(r.status, 200, r)
        self.assertNoStudent("web-dry", "R1")

    def test_form_bad_rows(self):
        rows = [BASE[0], kid("F2", "Аты", "2Б", guardian_name="Ата",
                             guardian_email="@@")]
        self.q.remember_people(rows)
        r = self.form_import("web-form-bad", roster_csv(rows).encode(),
                             filename="сынып.csv")
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.content_type, "text/html")
        # The person sees which line is wrong.
        self.assertIn("сынып.csv:3:", r.text)
        self.assertNoStudent("web-form-bad", "R1")

    def test_form_big_file(self):
        # A 2 MiB file through the page form (over the 1 MiB form limit).
        rows = ["ref,full_name,class"]
        n = size = 0
        while size < 2 * 1024 * 1024 + 1000:
            n += 1
            rows.append("F%06d,Оқушы Нөмір %06d,%dА" % (n, n, n % 11 + 1))
            size += len(rows[-1].encode()) + 2
        data = ("\r\n".join(rows) + "\r\n").encode()
        r = self.form_import("web-form-big", data, filename="big.csv")
        self.assertEqual(r.status, 200, r)
        self.assertStudent("web-form-big", "F%06d" % n)
        self.assertStudent("web-form-big", "F000001")

    def test_form_without_csrf_is_refused(self):
        r = self.form_import("web-nocsrf", roster_csv(BASE).encode(),
                             csrf=False)
        self.assertEqual(r.status, 403, r)
        self.assertNoStudent("web-nocsrf", "R1")


if __name__ == "__main__":
    harness.main()
