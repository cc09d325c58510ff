"""docs/openapi.yaml describes every JSON route the program registers.

The routes are read from the sources (every http_route() call for a path
under /api/v1) and the paths and methods from the document; a route added
without its documentation, or documentation of a route that is gone, fails.
Standard library only: the YAML is read with a pattern for its two levels
of keys, which is all this check needs.
"""

import os
import re
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ROUTE = re.compile(r'http_route\(\s*srv,\s*"([A-Z]+)",\s*"(/api/v1[^"]*)"')
PATH = re.compile(r"^  (/api/v1\S*):\s*$")
METHOD = re.compile(r"^    (get|post|put|patch|delete):")


def source_routes():
    routes = set()
    for folder, _, files in os.walk(os.path.join(ROOT, "src")):
        for name in files:
            if name.endswith(".c"):
                with open(os.path.join(folder, name), encoding="utf-8") as f:
                    text = f.read()
                for method, path in ROUTE.findall(text):
                    routes.add((method, path))
    return routes


def documented_routes():
    routes, path = set(), None
    with open(os.path.join(ROOT, "docs", "openapi.yaml"),
              encoding="utf-8") as f:
        for line in f:
            m = PATH.match(line)
            if m:
                path = m.group(1)
                continue
            if line.startswith("  ") and not line.startswith("   "):
                path = None
            m = METHOD.match(line)
            if m and path:
                routes.add((m.group(1).upper(), path))
    return routes


class TestOpenAPI(unittest.TestCase):
    def test_sources_have_routes(self):
        self.assertGreater(len(source_routes()), 10)

    def test_every_route_is_documented(self):
        missing = source_routes() - documented_routes()
        self.assertEqual(missing, set(), "routes missing from openapi.yaml")

    def test_nothing_documented_that_does_not_exist(self):
        extra = documented_routes() - source_routes()
        self.assertEqual(extra, set(), "openapi.yaml documents routes "
                         "that the program does not register")


if __name__ == "__main__":
    unittest.main(verbosity=2)
