# validate reports every bad row (line and field) and exits 1; good files exit 0.
set -eu
. "$(dirname "$0")/lib.sh"

# bad.csv: line 5 has a broken quote, line 6 an NPS of 11, line 7 invalid
# UTF-8; the good rows around them (one spans lines 3-4) are fine.
run "$FEEDBACK" validate "$DATA/bad.csv"
expect_status 1 "validate bad.csv"
expect_line "$OUT" "$DATA/bad.csv: 4 records ok, 3 bad rows" "summary of bad.csv"
grep -q "^$DATA/bad.csv:5: text: .*quote" "$ERR" || fail "broken quote on line 5 not reported with its field"
grep -q "^$DATA/bad.csv:6: nps: 11 is outside" "$ERR" || fail "NPS 11 on line 6 not reported with its field"
grep -q "^$DATA/bad.csv:7: text: .*UTF-8" "$ERR" || fail "invalid UTF-8 on line 7 not reported with its field"
[ "$(wc -l <"$ERR")" -eq 3 ] || fail "expected exactly 3 error lines, got $(wc -l <"$ERR")"
for line in 2 3 4 8 9; do
    expect_no_line "$ERR" "bad.csv:$line:" "good row at line $line reported"
done

run "$FEEDBACK" validate "$DATA/good.csv"
expect_status 0 "validate good.csv"
expect_line "$OUT" "$DATA/good.csv: 5 records ok, 0 bad rows" "summary of good.csv"
expect_empty "$ERR" "validate good.csv"

# Several files: one summary each, exit 1 when any is bad.
run "$FEEDBACK" validate "$DATA/good.csv" "$DATA/bad.csv"
expect_status 1 "validate good.csv bad.csv"
expect_line "$OUT" "good.csv: 5 records ok, 0 bad rows" "first summary"
expect_line "$OUT" "bad.csv: 4 records ok, 3 bad rows" "second summary"

# --quiet: no summaries, bad rows still reported.
run "$FEEDBACK" validate --quiet "$DATA/bad.csv"
expect_status 1 "validate --quiet bad.csv"
expect_empty "$OUT" "validate --quiet"
[ "$(wc -l <"$ERR")" -eq 3 ] || fail "--quiet still reports the 3 bad rows"

# Standard input, named <stdin>.
run_in "$DATA/bad.csv" "$FEEDBACK" validate - --from csv
expect_status 1 "validate - --from csv"
expect_line "$ERR" "<stdin>:6: nps: 11 is outside" "stdin errors are named <stdin>"
expect_line "$OUT" "<stdin>: 4 records ok, 3 bad rows" "stdin summary"

# JSON Lines: the same rows, one per line.
run "$FEEDBACK" convert "$DATA/good.csv" "$WORK/good.jsonl"
expect_status 0 "convert good.csv to JSON Lines"
cp "$WORK/good.jsonl" "$WORK/mixed.jsonl"
printf '{"created_at": "2026-01-01T00:00:00Z", "answers": "nps=12"}\n' >>"$WORK/mixed.jsonl"
printf '{"created_at": "2026-01-01T00:00:00Z", "text": \n' >>"$WORK/mixed.jsonl"
printf '{"created_at": "2026-01-01T00:00:00Z", "text": "fine"}\n' >>"$WORK/mixed.jsonl"
run "$FEEDBACK" validate "$WORK/mixed.jsonl"
expect_status 1 "validate mixed.jsonl"
expect_line "$OUT" "mixed.jsonl: 6 records ok, 2 bad rows" "summary of mixed.jsonl"
expect_line "$ERR" "mixed.jsonl:6:" "bad JSON line 6"
expect_line "$ERR" "mixed.jsonl:7:" "bad JSON line 7"

# Garbage never crashes the tool: a binary file, an empty file, a header only.
head -c 3000 "$FEEDBACK" >"$WORK/garbage.csv"
run "$FEEDBACK" validate "$WORK/garbage.csv"
[ "$status" -eq 1 ] || fail "validate garbage.csv: exit status $status, expected 1"
: >"$WORK/empty.csv"
run "$FEEDBACK" validate "$WORK/empty.csv"
[ "$status" -le 1 ] || fail "validate empty.csv: exit status $status"
head -n 1 "$DATA/good.csv" >"$WORK/header.csv"
run "$FEEDBACK" validate "$WORK/header.csv"
expect_status 0 "validate header.csv"
expect_line "$OUT" "header.csv: 0 records ok, 0 bad rows" "header only"

echo "ok"
