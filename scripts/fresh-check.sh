#!/bin/sh
# What a new contributor does: clone the repository into an empty folder and run the
# README's two commands, with empty package caches and nothing installed by hand, so a
# set-up that only works on a machine that already has things cannot hide again.
# Only what is committed is checked.
set -eu
root="$(git rev-parse --show-toplevel)"
work="$(mktemp -d "${TMPDIR:-/tmp}/menage-fresh.XXXXXX")"
trap 'rm -rf "$work"' EXIT INT TERM
git clone --quiet --no-local "$root" "$work/menage"
cd "$work/menage"
echo "fresh-check: $(git log -1 --format='%h %s') in $work/menage"
# empty caches; no local wheel folder (pip's PIP_FIND_LINKS on some machines)
export UV_CACHE_DIR="$work/uv-cache" PIP_NO_CACHE_DIR=1 XDG_CACHE_HOME="$work/cache"
unset PIP_FIND_LINKS VIRTUAL_ENV
make run
make test
echo "fresh-check: a fresh clone passes make run and make test"
