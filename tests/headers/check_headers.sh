#!/bin/sh
# check_headers.sh CC CXX INCLUDE_DIR HEADER...
# Compiles a file that includes one public header (twice, to test the include
# guard) as strict C99 and as C++11, for every header; fails on the first
# warning or error.
set -eu
cc=$1 cxx=$2 inc=$3
shift 3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
count=0
for header in "$@"; do
    name=$(basename "$header" .h)
    src="$tmp/alone_$name"
    printf '#include <feedback/%s.h>\n#include <feedback/%s.h>\nint main(void) { return 0; }\n' \
        "$name" "$name" >"$src.c"
    cp "$src.c" "$src.cpp"
    "$cc" -std=c99 -pedantic-errors -Wall -Wextra -Werror -I"$inc" -c "$src.c" -o "$src.c.o"
    "$cxx" -std=c++11 -pedantic-errors -Wall -Wextra -Werror -I"$inc" -c "$src.cpp" -o "$src.cpp.o"
    count=$((count + 1))
done
[ "$count" -gt 0 ] || { echo "check_headers: no headers given" >&2; exit 1; }
echo "$count public headers compile alone as C99 and as C++11"
