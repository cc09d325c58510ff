"""Health, metrics and the security headers every response carries."""

import os
import re
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

SAMPLE = re.compile(
    r'^([a-zA-Z_:][a-zA-Z0-9_:]*)'
    r'(\{((?:[^"}]|"(?:[^"\\]|\\.)*")*)\})?'
    r' (-?[0-9.eE+-]+|\+Inf|NaN)$')
METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"}
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse_metrics(text):
    """Prometheus text format 0.0.4 → (types, [(name, labels, value)]).
    Fails on any line that is not a comment, blank, or a sample."""
    types, samples = {}, []
    for n, line in enumerate(text.split("\n"), 1):
        if line == "":
            continue
        if line.startswith("# TYPE "):
            parts = line.split()
            types[parts[2]] = parts[3]
            continue
        if line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        if not m:
            raise AssertionError("metrics line %d is not a sample: %r"
                                 % (n, line))
        labels = dict(LABEL.findall(m.group(3) or ""))
        samples.append((m.group(1), labels, float(m.group(4))))
    return types, samples


class TestHealth(harness.ServerTestCase):

    def metrics(self):
        r = self.q.request("GET", "/metrics")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.content_type, "text/plain", r)
        try:
            text = r.body.decode("utf-8")
        except UnicodeDecodeError as e:
            raise AssertionError("/metrics is not UTF-8 (%s): %r"
                                 % (e, r.body[:600]))
        return parse_metrics(text)

    def counter(self, route, method, status):
        _, samples = self.metrics()
        total = 0
        for name, labels, value in samples:
            if (name == "qorgan_http_requests_total" and
                    labels.get("route") == route and
                    labels.get("method") == method and
                    labels.get("status") == str(status)):
                total += value
        return total

    def test_healthz(self):
        r = self.q.request("GET", "/healthz")
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.body.strip(), "an empty health answer")

    def test_healthz_head(self):
        r = self.q.request("HEAD", "/healthz")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body, b"")

    def test_metrics_format(self):
        types, samples = self.metrics()
        self.assertEqual(types.get("qorgan_http_requests_total"), "counter")
        self.assertEqual(types.get("qorgan_http_request_duration_seconds"),
                         "histogram")
        self.assertEqual(types.get("qorgan_db_time_seconds_total"),
                         "counter")
        self.q.request("GET", "/healthz")
        self.q.request("POST", "/healthz")
        types, samples = self.metrics()
        seen = 0
        for name, labels, _ in samples:
            if name == "qorgan_http_requests_total":
                seen += 1
                self.assertEqual(set(labels), {"route", "method", "status"},
                                 labels)
                self.assertIn(labels["method"], METHODS, labels)
                self.assertRegex(labels["status"], r"^[1-5][0-9][0-9]$")
                self.assertTrue(labels["route"] == "unmatched" or
                                labels["route"].startswith("/"), labels)
        self.assertGreater(seen, 0)
        buckets = [(labels["le"], v) for name, labels, v in samples
                   if name == "qorgan_http_request_duration_seconds_bucket"]
        self.assertGreater(len(buckets), 3)
        self.assertEqual(buckets[-1][0], "+Inf")
        values = [v for _, v in buckets]
        self.assertEqual(values, sorted(values), "buckets must be cumulative")
        bounds = [float(le) for le, _ in buckets[:-1]]
        self.assertEqual(bounds, sorted(bounds))
        count = [v for n, _, v in samples
                 if n == "qorgan_http_request_duration_seconds_count"]
        total = [v for n, _, v in samples
                 if n == "qorgan_http_request_duration_seconds_sum"]
        self.assertEqual(len(count), 1)
        self.assertEqual(len(total), 1)
        self.assertEqual(count[0], values[-1], "+Inf bucket == _count")

    def test_request_shows_up_in_counters(self):
        before = self.counter("/healthz", "GET", 200)
        for _ in range(3):
            self.assertEqual(self.q.request("GET", "/healthz").status, 200)
        self.assertEqual(self.counter("/healthz", "GET", 200), before + 3)

    def test_error_counted_by_pattern_not_raw_path(self):
        r = self.q.request("GET", "/no-such-page-7f3a9c")
        self.assertEqual(r.status, 404)
        text = self.q.request("GET", "/metrics").body.decode("utf-8", "replace")
        # Raw paths as labels would let anyone grow the series forever.
        self.assertNotIn("7f3a9c", text)
        _, samples = self.metrics()
        self.assertTrue(any(n == "qorgan_http_requests_total" and
                            l.get("status") == "404" and v >= 1
                            for n, l, v in samples), samples)

    def test_student_route_counted_by_pattern(self):
        token = self.q.login("director-a")
        r = self.q.request("GET", "/api/v1/students/sch-a/A001", token=token)
        self.assertEqual(r.status, 200, r)
        text = self.q.request("GET", "/metrics").body.decode("utf-8", "replace")
        self.assertNotIn("A001", text)
        self.assertIn('route="/api/v1/students/{school}/{ref}"', text)

    def test_db_time_grows(self):
        def db_time():
            _, samples = self.metrics()
            return [v for n, _, v in samples
                    if n == "qorgan_db_time_seconds_total"][0]
        before = db_time()
        self.q.login("psych-a")  # reads the user, writes a session
        self.assertGreater(db_time(), before)

    # --- Security headers ------------------------------------------------

    def check_security_headers(self, r):
        csp = r.header("Content-Security-Policy")
        self.assertIsNotNone(csp, "no CSP on %r" % r)
        self.assertNotIn("unsafe-inline", csp)
        self.assertNotIn("unsafe-eval", csp)
        self.assertIn("frame-ancestors 'none'", csp)
        self.assertRegex(csp, r"default-src 'none'|default-src 'self'")
        # No third-party origins: only keywords, nonces and data: images.
        for directive in csp.split(";"):
            for source in directive.split()[1:]:
                self.assertTrue(source.startswith("'") or source == "data:",
                                "CSP source %r in %r" % (source, csp))
        self.assertEqual(r.header("X-Content-Type-Options"), "nosniff")
        self.assertEqual(r.header("Referrer-Policy"), "no-referrer")

    def test_security_headers_on_a_page(self):
        r = self.q.request("GET", "/login")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.content_type, "text/html", r)
        self.check_security_headers(r)

    def test_page_has_no_inline_code_or_styles(self):
        """A strict CSP blocks inline code; a page relying on it breaks."""
        r = self.q.request("GET", "/login")
        html = r.text
        csp = r.header("Content-Security-Policy")
        nonces = re.findall(r"'nonce-([^']+)'", csp)
        for tag in re.findall(r"<script\b[^>]*>", html, re.I):
            if "src=" in tag:
                continue
            m = re.search(r'nonce="([^"]+)"', tag)
            self.assertTrue(m and m.group(1) in nonces,
                            "inline script without the CSP nonce: " + tag)
        self.assertNotRegex(html, r"<style\b", "inline <style> is blocked")
        self.assertNotRegex(html, r"\sstyle=", "style= is blocked by CSP")
        self.assertNotRegex(html, r"\son[a-z]+=", "inline handlers blocked")
        for url in re.findall(r'(?:src|href)="([^"]+)"', html):
            self.assertFalse(re.match(r"(https?:)?//", url),
                             "a third-party resource: " + url)

    def test_pages_are_whole_documents(self):
        # Every page starts with its doctype (else browsers fall back to
        # quirks mode) and shows no template syntax or template comments.
        b = self.q.browser()
        pages = [("/login", b.get("/login"))]
        b.login("director-a")
        for path in ("/", "/school/sch-a",
                     "/school/sch-a/class/" + urllib.parse.quote("3А"),
                     "/school/sch-a/student/A001", "/school/sch-a/roster",
                     "/audit"):
            pages.append((path, b.get(path)))
        for path, r in pages:
            self.assertEqual(r.content_type, "text/html", (path, r))
            html = r.text
            self.assertTrue(re.match(r"\s*<!(?i:doctype) html>", html),
                            "%s does not start with <!doctype html>: %r"
                            % (path, html[:120]))
            self.assertNotIn("{{", html, path)
            self.assertNotIn("}}", html, path)
            self.assertRegex(html, r'<html lang="(kk|ru|en)"', path)

    def test_unknown_page_for_a_browser_is_a_page(self):
        # A person following a stale link gets a page, not a JSON blob;
        # API clients keep getting problem+json.
        b = self.q.browser()
        b.login("director-a")
        r = b.get("/no-such-page")
        self.assertEqual(r.status, 404)
        self.assertEqual(r.content_type, "text/html", r)
        self.assertProblem(self.q.request("GET", "/api/v1/no-such-thing"),
                           404)

    def test_stylesheet_is_served(self):
        r = self.q.request("GET", "/login")
        for href in re.findall(r'<link[^>]*href="([^"]+\.css)"', r.text):
            css = self.q.request("GET", href)
            self.assertEqual(css.status, 200, href)
            self.assertEqual(css.content_type, "text/css")
            self.check_security_headers(css)

    def test_security_headers_on_json(self):
        token = self.q.login("director-a")
        r = self.q.request("GET", "/api/v1/students/sch-a/A002",
                           token=token)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.content_type, "application/json", r)
        self.check_security_headers(r)
        # Personal data must not stay in shared caches.
        self.assertIn("no-store", r.header("Cache-Control", ""))

    def test_security_headers_on_errors(self):
        r = self.q.request("GET", "/api/v1/no/such/route")
        self.assertProblem(r, 404)
        self.check_security_headers(r)
        r = self.q.request("GET", "/api/v1/students/sch-a/A001")
        self.assertProblem(r, 401)
        self.check_security_headers(r)
        r = self.q.request("POST", "/api/v1/session", "{not json",
                           headers={"Content-Type": "application/json"})
        self.assertProblem(r, 400)
        self.check_security_headers(r)


if __name__ == "__main__":
    harness.main()
