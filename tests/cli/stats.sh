# stats: exact counts on a small fixture, tables and JSON; bad rows.
set -eu
. "$(dirname "$0")/lib.sh"

cd "$DATA"
run "$FEEDBACK" stats stats.csv
expect_status 0 "stats stats.csv"
expect_empty "$ERR" "stats stats.csv"
diff -u stats.expected "$OUT" >&2 || fail "stats output differs from stats.expected"

run "$FEEDBACK" stats stats.csv --json
expect_status 0 "stats --json"
diff -u stats.expected.json "$OUT" >&2 || fail "stats --json output differs from stats.expected.json"

# The same counts from JSON Lines and from standard input.
run "$FEEDBACK" convert stats.csv "$WORK/stats.jsonl"
expect_status 0 "convert stats.csv"
run_in "$WORK/stats.jsonl" "$FEEDBACK" stats - --from jsonl
expect_status 0 "stats - --from jsonl"
sed 's/^file        stats.csv$/file        <stdin>/' stats.expected >"$WORK/expected"
diff -u "$WORK/expected" "$OUT" >&2 || fail "stats of the JSON Lines copy differ"

# A few counts checked one by one, so a wrong expected file cannot hide them.
run "$FEEDBACK" stats stats.csv
count() { awk -v k="$1" '$1 == k { print $2; exit }' "$OUT"; }
[ "$(count records)" = 10 ] || fail "records: $(count records), expected 10"
[ "$(count response)" = 7 ] || fail "responses: $(count response), expected 7"
[ "$(count email)" = 4 ] || fail "email: $(count email), expected 4"
[ "$(count active)" = 6 ] || fail "active: $(count active), expected 6"
[ "$(awk '$1 == "active" { print $3 }' "$OUT")" = 5 ] || fail "active verified, expected 5"
[ "$(count nps)" = 4 ] || fail "nps scored: $(count nps), expected 4"
[ "$(awk '$1 == "nps" { print $3, $4 }' "$OUT")" = "1 7.50" ] || fail "nps skipped and mean"
[ "$(count inferred)" = 1 ] || fail "inferred: $(count inferred), expected 1"
expect_no_line "$OUT" "phone_robot" "zero rows are left out"

# The first bad row stops stats (exit 1, no tables); --skip-bad counts the rest.
run "$FEEDBACK" stats bad.csv
expect_status 1 "stats bad.csv"
expect_line "$ERR" "bad.csv:5:" "stats reports the first bad row"
expect_empty "$OUT" "stats bad.csv prints no tables"
run "$FEEDBACK" stats bad.csv --skip-bad
expect_status 1 "stats --skip-bad bad.csv"
[ "$(count records)" = 4 ] || fail "stats --skip-bad: records $(count records), expected 4"
[ "$(awk '$1 == "bad" { print $3 }' "$OUT")" = 3 ] || fail "stats --skip-bad: bad rows, expected 3"
[ "$(wc -l <"$ERR")" -eq 3 ] || fail "stats --skip-bad reports the 3 bad rows"

# A header without records.
head -n 1 stats.csv >"$WORK/empty.csv"
run "$FEEDBACK" stats "$WORK/empty.csv"
expect_status 0 "stats on no records"
[ "$(count records)" = 0 ] || fail "records of an empty file"
run "$FEEDBACK" stats "$WORK/empty.csv" --json
expect_status 0 "stats --json on no records"
expect_line "$OUT" '"first": null' "empty --json date range"

echo "ok"
