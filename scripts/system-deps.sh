#!/bin/sh
# Install what the test suite needs from Debian when it is missing and we can;
# otherwise name it. Tests that need a missing service skip locally and fail in CI.
set -u
# command (or absolute path)  debian-package
NEEDED="
msgfmt gettext
chromium chromium
dovecot dovecot-imapd
/usr/lib/postgresql/15/bin/initdb postgresql
mkfs.btrfs btrfs-progs
groff groff-base
"
missing=""
packages=""
echo "$NEEDED" | while read -r cmd pkg; do [ -n "$cmd" ] && echo "$cmd $pkg"; done > /tmp/menage-deps.$$
while read -r cmd pkg; do
    if ! command -v "$cmd" >/dev/null 2>&1; then
        missing="$missing $cmd"
        packages="$packages $pkg"
    fi
done < /tmp/menage-deps.$$
rm -f /tmp/menage-deps.$$
if [ -z "$packages" ]; then
    exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing from Debian:$packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq $packages >/dev/null && exit 0
    echo "apt-get failed." >&2
fi
echo "Missing for the test suite:$missing (Debian packages:$packages)." >&2
echo "Install them (sudo apt-get install$packages); without them the tests that need them skip locally and fail in CI." >&2
exit 0
