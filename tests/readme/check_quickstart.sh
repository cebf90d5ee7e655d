#!/bin/sh
# check_quickstart.sh SOURCE_DIR CC INCLUDE_DIR LIBRARY
# The README's C example must be examples/quickstart.c, to the byte, and must
# compile warning-free and print what the README says it prints.
set -eu
src=$1 cc=$2 inc=$3 lib=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The first ```c block of the README.
awk '/^```c$/ {on=1; next} on && /^```$/ {exit} on {print}' "$src/README.md" >"$tmp/readme.c"
if ! cmp -s "$tmp/readme.c" "$src/examples/quickstart.c"; then
    echo "README's C example differs from examples/quickstart.c:" >&2
    diff -u "$src/examples/quickstart.c" "$tmp/readme.c" >&2 || true
    exit 1
fi
"$cc" -std=c99 -Wall -Wextra -Wpedantic -Werror -I"$inc" "$src/examples/quickstart.c" "$lib" -lz -lm -o "$tmp/quickstart"
out=$(cd "$tmp" && ./quickstart)
want=$(sed -n 's/^# \(record 1 on .*\)$/\1/p' "$src/README.md")
[ -n "$want" ] || { echo "README states no expected output" >&2; exit 1; }
if [ "$out" != "$want" ]; then
    echo "quickstart printed: $out" >&2
    echo "README promises:    $want" >&2
    exit 1
fi
echo "$out"
