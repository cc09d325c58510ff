#!/bin/sh
# Installs the Debian packages qorgan needs to build, test and benchmark,
# only those that are missing, without questions.  Safe to run again.
set -eu

PACKAGES="
cmake make gcc pkg-config gettext clang-format
clang libclang-rt-14-dev
libmicrohttpd-dev libjansson-dev libsqlite3-dev libsodium-dev
libinih-dev libcmocka-dev libxlsxwriter-dev
python3 nodejs npm chromium
wrk curl sqlite3 poppler-utils
"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

# Debian's node is enough, but a machine may carry its own newer one.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
	missing=$(printf '%s\n' $missing | grep -vx -e nodejs -e npm | tr '\n' ' ')
fi

if [ -n "$(echo $missing)" ]; then
	echo "deps: installing$missing"
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO="sudo"
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -qq --no-install-recommends $missing
fi
