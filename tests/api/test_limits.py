"""Named limits (body size, JSON depth) and the router's 404 and 405."""

import json
import os
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import PASSWORD  # noqa: E402

MiB = 1024 * 1024
SESSION = "/api/v1/session"


def nested(depth, leaf='"x"'):
    """`depth` levels of arrays around a leaf: nested(2) == [["x"]]."""
    return "[" * depth + leaf + "]" * depth


class TestLimits(harness.ServerTestCase):

    def raw(self, head, chunks=(), timeout=30):
        """Sends a request by hand; sending may stop early when the server
        answers and closes first.  Returns (status, headers, body)."""
        s = socket.create_connection(("127.0.0.1", self.q.port),
                                     timeout=timeout)
        try:
            s.sendall(head.encode("ascii"))
            try:
                for c in chunks:
                    s.sendall(c)
            except (BrokenPipeError, ConnectionResetError):
                pass  # answered before the whole body went out: fine
            try:
                s.shutdown(socket.SHUT_WR)
            except OSError:
                pass
            data = b""
            while True:
                try:
                    got = s.recv(65536)
                except ConnectionResetError:
                    break
                if not got:
                    break
                data += got
        finally:
            s.close()
        self.assertTrue(data, "no answer at all")
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        if "chunked" in headers.get("transfer-encoding", ""):
            body = dechunk(body)
        return status, headers, body

    def check_413(self, status, headers, body):
        self.assertEqual(status, 413, body)
        self.assertTrue(headers.get("content-type", "")
                        .startswith("application/problem+json"), headers)
        self.assertEqual(json.loads(body)["status"], 413)

    # --- Body size -------------------------------------------------------

    def test_413_declared_length_refused_before_the_body(self):
        # The body is never sent: the answer must come from the header.
        head = ("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Content-Type: application/json\r\n"
                "Content-Length: %d\r\nConnection: close\r\n\r\n"
                % (SESSION, 8 * MiB))
        self.check_413(*self.raw(head, timeout=15))

    def test_413_declared_length_with_a_body(self):
        body = b'{"login":"a","password":"b"}' + b" " * (MiB + 1)
        head = ("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Content-Type: application/json\r\n"
                "Content-Length: %d\r\nConnection: close\r\n\r\n"
                % (SESSION, len(body)))
        self.check_413(*self.raw(head, [body]))

    def test_413_chunked(self):
        head = ("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Content-Type: application/json\r\n"
                "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                % SESSION)
        piece = b" " * 65536
        chunks = [b'%x\r\n{"login":"a",\r\n' % len(b'{"login":"a",')]
        chunks += [b"%x\r\n" % len(piece) + piece + b"\r\n"] * 40  # 2.5 MiB
        chunks += [b"0\r\n\r\n"]
        self.check_413(*self.raw(head, chunks))

    def test_413_form(self):
        body = b"login=a&password=" + b"x" * (MiB + 10)
        head = ("POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\n"
                "Content-Length: %d\r\nConnection: close\r\n\r\n"
                % len(body))
        status, _, out = self.raw(head, [body])
        self.assertEqual(status, 413, out[:300])

    def test_body_just_under_the_limit_is_read(self):
        body = ('{"login":"director-a","password":"%s"}' % PASSWORD).encode()
        body += b" " * (MiB - len(body) - 16)
        r = self.q.request("POST", SESSION, body,
                           headers={"Content-Type": "application/json"})
        self.assertEqual(r.status, 201, r)
        self.q.tokens["under"] = r.json["token"]

    def test_chunked_small_body_is_fine(self):
        body = ('{"login":"director-a","password":"%s"}' % PASSWORD).encode()
        head = ("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Content-Type: application/json\r\n"
                "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                % SESSION)
        status, _, out = self.raw(head, [b"%x\r\n" % len(body) + body +
                                         b"\r\n0\r\n\r\n"])
        self.assertEqual(status, 201, out)
        self.q.tokens["chunked"] = json.loads(out)["token"]

    def test_server_still_fine_after_413s(self):
        self.test_413_chunked()
        self.assertEqual(self.q.request("GET", "/healthz").status, 200)

    # --- JSON depth ------------------------------------------------------

    def post_json(self, text):
        return self.q.request("POST", SESSION, text,
                              headers={"Content-Type": "application/json"})

    def test_deep_json_400(self):
        # The object is level 1, so 16 arrays make 17 levels.
        text = '{"login":"a","password":"b","x":%s}' % nested(16)
        p = self.assertProblem(self.post_json(text), 400)
        self.assertIn("16", p["detail"])

    def test_very_deep_json_400(self):
        self.assertProblem(self.post_json(nested(100000)), 400)
        self.assertProblem(self.post_json("{" * 5000), 400)

    def test_json_at_the_depth_limit_is_parsed(self):
        # 16 levels: parsed, then refused for its unknown field, not 400.
        text = '{"login":"a","password":"b","x":%s}' % nested(15)
        p = self.assertProblem(self.post_json(text), 422)
        self.assertIn("x", p["detail"])

    def test_brackets_inside_strings_do_not_count(self):
        text = json.dumps({"login": "[" * 100 + "{" * 100,
                           "password": "]" * 50 + '\\"[[[['})
        self.assertProblem(self.post_json(text), 401)

    # --- Other input limits ----------------------------------------------

    def test_huge_header(self):
        r = self.q.request("GET", "/healthz",
                           headers={"X-Padding": "x" * (64 * 1024)})
        self.assertIn(r.status, (400, 413, 431), r)
        self.assertEqual(self.q.request("GET", "/healthz").status, 200)

    def test_too_many_form_fields(self):
        fields = "&".join("f%d=x" % i for i in range(200))
        r = self.q.request("POST", "/login", fields, headers={
            "Content-Type": "application/x-www-form-urlencoded"})
        self.assertIn(r.status, (400, 403, 413, 422), r)
        self.assertEqual(self.q.request("GET", "/healthz").status, 200)

    def test_invalid_utf8_json(self):
        body = b'{"login":"director-a\xff","password":"x"}'
        self.assertProblem(self.q.request(
            "POST", SESSION, body,
            headers={"Content-Type": "application/json"}), 400)

    def test_nul_in_json_string(self):
        body = '{"login":"director-a\\u0000x","password":"%s"}' % PASSWORD
        r = self.post_json(body)
        self.assertIn(r.status, (400, 401, 422), r)
        self.assertNotIn(b"token", r.body)

    def test_overlong_fields(self):
        self.assertProblem(self.q.request("POST", SESSION, {
            "login": "a" * 100000, "password": PASSWORD}), 422)
        self.assertProblem(self.q.request("POST", SESSION, {
            "login": "director-a", "password": "p" * 100000}), 422)

    def test_garbage_request_line(self):
        # A 400 or a closed connection; either way the server lives on.
        s = socket.create_connection(("127.0.0.1", self.q.port), timeout=10)
        try:
            s.sendall(b"NONSENSE\r\n\r\n")
            data = s.recv(65536)
        except ConnectionResetError:
            data = b""
        finally:
            s.close()
        if data:
            self.assertRegex(data, rb"^HTTP/1\.[01] 400 ")
        self.assertEqual(self.q.request("GET", "/healthz").status, 200)

    # --- Router ----------------------------------------------------------

    def test_404_unknown_route(self):
        for path in ("/api/v1/nothing", "/api/v2/session", "/nothing",
                     "/api/v1/students/sch-a", "/api/v1/session/extra",
                     "/" + "a/" * 40):
            p = self.assertProblem(self.q.request("GET", path), 404)
            self.assertTrue(p["detail"])

    def test_path_tricks_are_404(self):
        for path in ("/api/v1/students/sch-a/..%2f..%2fetc%2fpasswd",
                     "/static/..%2f..%2fCMakeLists.txt",
                     "/static/../healthz",
                     "/api/v1/students/sch-a/A001%00"):
            r = self.q.request("GET", path)
            self.assertIn(r.status, (400, 401, 404), (path, r))
            self.assertNotIn(b"cmake_minimum_required", r.body)

    def test_405_wrong_method(self):
        for method, path in (("GET", SESSION), ("PUT", SESSION),
                             ("POST", "/healthz"), ("DELETE", "/metrics"),
                             ("PATCH", "/api/v1/students/sch-a/A001")):
            r = self.q.request(method, path)
            self.assertProblem(r, 405)

    def test_405_says_what_is_allowed(self):
        # RFC 9110 section 15.5.6: a 405 MUST carry Allow.
        r = self.q.request("PUT", SESSION)
        self.assertEqual(r.status, 405, r)
        allow = {m.strip() for m in r.header("Allow", "").split(",")}
        self.assertIn("POST", allow, r.header("Allow"))
        self.assertIn("DELETE", allow, r.header("Allow"))


def dechunk(data):
    out = b""
    while data:
        size_line, _, rest = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out += rest[:size]
        data = rest[size + 2:]
    return out


if __name__ == "__main__":
    harness.main()
