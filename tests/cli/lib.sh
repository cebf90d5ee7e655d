# Helpers for the CLI tests: sourced by each test script.
#
#   sh TEST.sh FEEDBACK DATA WORK
#
# FEEDBACK is the feedback binary, DATA the folder of fixtures, WORK an empty
# scratch folder (created afresh). Every check fails the test on its own.

FEEDBACK=$1
DATA=$2
WORK=$3
# Absolute paths, as the scripts change directory.
case $FEEDBACK in /*) ;; *) FEEDBACK=$PWD/$FEEDBACK ;; esac
case $DATA in /*) ;; *) DATA=$PWD/$DATA ;; esac
case $WORK in /*) ;; *) WORK=$PWD/$WORK ;; esac
rm -rf "$WORK"
mkdir -p "$WORK"
OUT=$WORK/stdout
ERR=$WORK/stderr

fail() {
    printf 'FAIL: %s\n' "$*" >&2
    if [ -s "$OUT" ]; then printf -- '--- stdout:\n' >&2; head -n 40 "$OUT" >&2; fi
    if [ -s "$ERR" ]; then printf -- '--- stderr:\n' >&2; head -n 40 "$ERR" >&2; fi
    exit 1
}

# run CMD ARGS...: runs a command, keeping its stdout, stderr and exit status.
run() {
    set +e
    "$@" >"$OUT" 2>"$ERR"
    status=$?
    set -e
    if grep -q -e 'Sanitizer' -e 'runtime error:' "$ERR"; then
        fail "sanitizer report from: $*"
    fi
}

# run_in FILE CMD ARGS...: like run, with FILE as standard input.
run_in() {
    input=$1
    shift
    set +e
    "$@" <"$input" >"$OUT" 2>"$ERR"
    status=$?
    set -e
    if grep -q -e 'Sanitizer' -e 'runtime error:' "$ERR"; then
        fail "sanitizer report from: $*"
    fi
}

expect_status() {
    [ "$status" -eq "$1" ] || fail "$2: exit status $status, expected $1"
}

# expect_line FILE TEXT WHAT: FILE has a line containing TEXT.
expect_line() {
    grep -qF -- "$2" "$1" || fail "$3: no line with '$2' in $(basename "$1")"
}

expect_no_line() {
    if grep -qF -- "$2" "$1"; then fail "$3: unexpected '$2' in $(basename "$1")"; fi
}

expect_empty() {
    [ ! -s "$1" ] || fail "$2: $(basename "$1") is not empty"
}

expect_same() {
    cmp -s "$1" "$2" || fail "$3: $1 and $2 differ"
}
