#!/bin/sh
# playwright-core for the browser tests, from the lock file; it drives
# Debian's Chromium and downloads no browser of its own.
set -eu
cd "$(dirname "$0")/../tests/e2e"
if [ ! -d node_modules/playwright-core ] ||
	[ package-lock.json -nt node_modules/.package-lock.json ]; then
	npm ci --no-audit --no-fund --loglevel=error
fi
