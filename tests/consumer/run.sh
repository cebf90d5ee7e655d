#!/bin/sh
# run.sh CMAKE BUILD_DIR CONSUMER_SOURCE_DIR CC
set -eu
cmake=$1 build=$2 src=$3 cc=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix="$tmp/prefix"

"$cmake" --install "$build" --prefix "$prefix" >"$tmp/install.log"
pc=$(find "$prefix" -name libfeedback.pc)
[ -n "$pc" ] || { echo "consumer: libfeedback.pc was not installed" >&2; exit 1; }
pcdir=$(dirname "$pc")
libdir=$(PKG_CONFIG_PATH="$pcdir" pkg-config --variable=libdir libfeedback)
grep -q '^Libs.private: -lz' "$pc" || { echo "consumer: libfeedback.pc lacks Libs.private: -lz" >&2; exit 1; }
[ -e "$libdir/libfeedback.so.0" ] || { echo "consumer: no libfeedback.so.0 in $libdir" >&2; exit 1; }
[ -e "$libdir/libfeedback.a" ] || { echo "consumer: no libfeedback.a in $libdir" >&2; exit 1; }

expect="libfeedback $(PKG_CONFIG_PATH="$pcdir" pkg-config --modversion libfeedback): record valid"

# 1. pkg-config alone, shared library.
# shellcheck disable=SC2046  # pkg-config output is meant to split into words
"$cc" -std=c99 -Wall -Wextra -Werror "$src/consumer.c" -o "$tmp/consumer_pc" \
    $(PKG_CONFIG_PATH="$pcdir" pkg-config --cflags --libs libfeedback)
out=$(LD_LIBRARY_PATH="$libdir" "$tmp/consumer_pc")
case "$out" in "$expect"*) ;; *) echo "consumer (pkg-config): unexpected output: $out" >&2; exit 1 ;; esac
echo "pkg-config: $out"

# 2. CMake find_package, shared and static targets.
"$cmake" -S "$src" -B "$tmp/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_C_COMPILER="$cc" >"$tmp/configure.log"
"$cmake" --build "$tmp/cmake-build" >"$tmp/build.log"
for exe in consumer consumer_static; do
    out=$(LD_LIBRARY_PATH="$libdir" "$tmp/cmake-build/$exe")
    case "$out" in "$expect"*) ;; *) echo "consumer (find_package, $exe): unexpected output: $out" >&2; exit 1 ;; esac
    echo "find_package $exe: $out"
done
