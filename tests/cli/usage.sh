# Usage errors exit 2, missing files exit 3 naming the file, help and version.
set -eu
. "$(dirname "$0")/lib.sh"

run "$FEEDBACK"
expect_status 2 "no command"
expect_line "$ERR" "Usage: feedback COMMAND" "no command prints usage on stderr"
expect_empty "$OUT" "no command"

run "$FEEDBACK" frobnicate
expect_status 2 "unknown command"
expect_line "$ERR" "unknown command 'frobnicate'" "unknown command"

run "$FEEDBACK" --bogus
expect_status 2 "unknown global option"

run "$FEEDBACK" --version
expect_status 0 "--version"
[ "$(cat "$OUT")" = "feedback ${FB_EXPECTED_VERSION:?}" ] || fail "--version printed '$(cat "$OUT")'"

for args in "--help" "-h" "help"; do
    run "$FEEDBACK" $args
    expect_status 0 "$args"
    expect_line "$OUT" "Usage: feedback COMMAND" "$args"
    expect_line "$OUT" "3  I/O or other failure" "$args lists the exit codes"
done

for cmd in convert validate stats; do
    run "$FEEDBACK" help $cmd
    expect_status 0 "help $cmd"
    expect_line "$OUT" "Usage: feedback $cmd" "help $cmd"
    run "$FEEDBACK" $cmd --help
    expect_status 0 "$cmd --help"
    expect_line "$OUT" "Usage: feedback $cmd" "$cmd --help"
    run "$FEEDBACK" $cmd --no-such-option x.csv
    expect_status 2 "$cmd with an unknown option"
    expect_line "$ERR" "feedback $cmd: unknown option '--no-such-option'" "$cmd unknown option"
done

run "$FEEDBACK" help frobnicate
expect_status 2 "help for an unknown command"

run "$FEEDBACK" convert only-one.csv
expect_status 2 "convert with one operand"
run "$FEEDBACK" convert a.csv b.csv c.csv
expect_status 2 "convert with three operands"
run "$FEEDBACK" validate
expect_status 2 "validate without files"
run "$FEEDBACK" stats
expect_status 2 "stats without a file"
run "$FEEDBACK" stats "$DATA/good.csv" --from
expect_status 2 "--from without a value"
expect_line "$ERR" "needs a value" "--from without a value"
run "$FEEDBACK" stats "$DATA/good.csv" --from=xml
expect_status 2 "unknown format"
expect_line "$ERR" "unknown format 'xml'" "unknown format"
run "$FEEDBACK" stats "$DATA/good.csv" --json=yes
expect_status 2 "a value given to a flag"
# Input formats come from the extension, else from the content; outputs need a name or --to.
cp "$DATA/good.csv" "$WORK/records.txt"
run "$FEEDBACK" stats "$WORK/records.txt"
expect_status 0 "an input whose extension names no format"
run "$FEEDBACK" convert "$DATA/good.csv" "$WORK/records.out"
expect_status 2 "an output whose extension names no format"
expect_line "$ERR" "records.out" "the format error names the file"
expect_line "$ERR" "--to" "the format error says what to give"
[ ! -e "$WORK/records.out" ] || fail "convert created an OUT of unknown format"
run "$FEEDBACK" convert "$DATA/good.csv" -
expect_status 2 "stdout without --to"
expect_line "$ERR" "--to" "stdout without --to says what is missing"

# Missing files: exit 3, and the message names the file.
for cmd in validate stats; do
    run "$FEEDBACK" $cmd "$WORK/missing.csv"
    expect_status 3 "$cmd on a missing file"
    expect_line "$ERR" "feedback: $WORK/missing.csv: cannot open" "$cmd names the missing file"
done
run "$FEEDBACK" convert "$WORK/missing.csv" "$WORK/out.jsonl"
expect_status 3 "convert from a missing file"
expect_line "$ERR" "$WORK/missing.csv" "convert names the missing file"
[ ! -e "$WORK/out.jsonl" ] || fail "convert from a missing file created OUT"
run "$FEEDBACK" convert "$DATA/good.csv" "$WORK/no/such/dir/out.jsonl"
expect_status 3 "convert into a missing folder"
expect_line "$ERR" "$WORK/no/such/dir/out.jsonl" "convert names the file it cannot create"

# A missing file among good ones: the others are still checked, exit 3 wins.
run "$FEEDBACK" validate "$DATA/good.csv" "$WORK/missing.csv"
expect_status 3 "validate with one missing file"
expect_line "$OUT" "good.csv: 5 records ok, 0 bad rows" "the good file is still validated"

# "--" ends the options: a file named like an option.
cp "$DATA/good.csv" "$WORK/--odd.csv"
cd "$WORK"
run "$FEEDBACK" validate -- --odd.csv
cd - >/dev/null
expect_status 0 "a file after --"
expect_line "$OUT" "--odd.csv: 5 records ok, 0 bad rows" "a file after --"

echo "ok"
