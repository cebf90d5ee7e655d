#!/bin/sh
# check_exports.sh LIBRARY INCLUDE_DIR
# The shared library exports exactly the functions the public headers declare
# with FB_API: nothing internal leaks (fb__*, helpers), nothing promised is missing.
set -eu
lib=$1 inc=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
nm -D --defined-only "$lib" | awk '$2 == "T" || $2 == "D" || $2 == "B" || $2 == "R" {print $3}' | sort >"$tmp/exported"
# "FB_API type name(" possibly with pointers; the name is the word before '('.
grep -hv '^ *#' "$inc"/feedback/*.h | tr '\n' ' ' | grep -o 'FB_API [^;(]*(' | sed 's/($//; s/.*[ *]//' | grep . | sort -u >"$tmp/declared"
[ -s "$tmp/declared" ] || { echo "check_exports: found no FB_API declarations" >&2; exit 1; }
if ! cmp -s "$tmp/exported" "$tmp/declared"; then
    echo "exported symbols (<) differ from FB_API declarations (>):" >&2
    diff "$tmp/exported" "$tmp/declared" >&2 || true
    exit 1
fi
echo "$(wc -l <"$tmp/exported") symbols exported, each declared FB_API"
