# convert: round trips, standard input/output, and failures that leave OUT alone.
set -eu
. "$(dirname "$0")/lib.sh"
SAMPLE=${FB_SAMPLE:?}

# CSV -> JSONL -> CSV gives the same text as CSV -> CSV, for the fixture and
# for the bundled sample (every field, quotes, newlines, Cyrillic).
for src in "$DATA/good.csv" "$SAMPLE"; do
    name=$(basename "$src" .csv)
    run "$FEEDBACK" convert "$src" "$WORK/$name.jsonl"
    expect_status 0 "convert $name.csv to JSON Lines"
    expect_empty "$ERR" "convert $name.csv to JSON Lines"
    run "$FEEDBACK" convert "$WORK/$name.jsonl" "$WORK/$name.back.csv"
    expect_status 0 "convert $name.jsonl back to CSV"
    run "$FEEDBACK" convert "$src" "$WORK/$name.copy.csv"
    expect_status 0 "convert $name.csv to CSV"
    expect_same "$WORK/$name.back.csv" "$WORK/$name.copy.csv" "CSV -> JSONL -> CSV differs from CSV -> CSV ($name)"
    run "$FEEDBACK" convert "$WORK/$name.jsonl" "$WORK/$name.copy.jsonl"
    expect_status 0 "convert $name.jsonl to JSON Lines"
    expect_same "$WORK/$name.jsonl" "$WORK/$name.copy.jsonl" "JSONL -> JSONL is not stable ($name)"
done
[ "$(wc -l <"$WORK/good.jsonl")" -eq 5 ] || fail "good.jsonl should hold 5 lines"
# The writer's CSV reads back to itself.
run "$FEEDBACK" convert "$WORK/good.copy.csv" "$WORK/good.copy2.csv"
expect_same "$WORK/good.copy.csv" "$WORK/good.copy2.csv" "CSV -> CSV is not stable"

# Standard input and output with '-'.
run_in "$DATA/good.csv" "$FEEDBACK" convert - - --from csv --to jsonl
expect_status 0 "convert - - --from csv --to jsonl"
expect_same "$OUT" "$WORK/good.jsonl" "stdin -> stdout differs from file -> file"
run_in "$WORK/good.jsonl" "$FEEDBACK" convert --from=jsonl - "$WORK/stdin.csv"
expect_status 0 "convert - OUT --from=jsonl"
expect_same "$WORK/stdin.csv" "$WORK/good.copy.csv" "stdin JSONL -> CSV file"
run "$FEEDBACK" convert "$DATA/good.csv" - --to csv
expect_status 0 "convert IN - --to csv"
expect_same "$OUT" "$WORK/good.copy.csv" "CSV file -> stdout"
# Without --from, standard input and unknown extensions are told by their content.
run_in "$WORK/good.jsonl" "$FEEDBACK" convert - "$WORK/sniffed.csv"
expect_status 0 "stdin JSONL without --from"
expect_same "$WORK/sniffed.csv" "$WORK/good.copy.csv" "stdin JSONL told by its content"
cp "$WORK/good.jsonl" "$WORK/good.txt"
run "$FEEDBACK" convert "$WORK/good.txt" "$WORK/sniffed2.csv"
expect_status 0 "JSONL in a .txt file without --from"
expect_same "$WORK/sniffed2.csv" "$WORK/good.copy.csv" "a .txt of JSONL told by its content"
cp "$DATA/good.csv" "$WORK/good.dat"
run "$FEEDBACK" convert "$WORK/good.dat" "$WORK/sniffed3.csv"
expect_status 0 "CSV in a .dat file without --from"
expect_same "$WORK/sniffed3.csv" "$WORK/good.copy.csv" "a .dat of CSV told by its content"
run "$FEEDBACK" convert "$DATA/good.csv" -
expect_status 2 "stdout without --to"
# --to overrides the extension.
run "$FEEDBACK" convert "$DATA/good.csv" "$WORK/odd.csv" --to jsonl
expect_status 0 "--to jsonl into a .csv name"
expect_same "$WORK/odd.csv" "$WORK/good.jsonl" "--to overrides the extension"

# A failed convert leaves no OUT and no temporary file behind...
mkdir "$WORK/fail"
run "$FEEDBACK" convert "$DATA/bad.csv" "$WORK/fail/out.jsonl"
expect_status 1 "convert bad.csv"
expect_line "$ERR" "bad.csv:5:" "the first bad row is reported"
expect_no_line "$ERR" "bad.csv:6:" "convert stops at the first bad row"
[ ! -e "$WORK/fail/out.jsonl" ] || fail "a failed convert left OUT"
[ -z "$(ls -A "$WORK/fail")" ] || fail "a failed convert left files: $(ls -A "$WORK/fail")"
# ...and does not clobber an existing OUT.
echo "precious" >"$WORK/fail/keep.jsonl"
run "$FEEDBACK" convert "$DATA/bad.csv" "$WORK/fail/keep.jsonl"
expect_status 1 "convert bad.csv over an existing file"
[ "$(cat "$WORK/fail/keep.jsonl")" = "precious" ] || fail "a failed convert clobbered OUT"
[ "$(ls -A "$WORK/fail")" = "keep.jsonl" ] || fail "a failed convert left files: $(ls -A "$WORK/fail")"
# A successful one replaces it.
run "$FEEDBACK" convert "$DATA/good.csv" "$WORK/fail/keep.jsonl"
expect_status 0 "convert over an existing file"
expect_same "$WORK/fail/keep.jsonl" "$WORK/good.jsonl" "convert replaces an existing OUT"
[ "$(ls -A "$WORK/fail")" = "keep.jsonl" ] || fail "a convert left files: $(ls -A "$WORK/fail")"

# --skip-bad: every bad row reported, the good ones written, exit 1, summary.
run "$FEEDBACK" convert "$DATA/bad.csv" "$WORK/skip.jsonl" --skip-bad
expect_status 1 "convert --skip-bad bad.csv"
expect_line "$ERR" "bad.csv:5:" "--skip-bad reports line 5"
expect_line "$ERR" "bad.csv:6:" "--skip-bad reports line 6"
expect_line "$ERR" "bad.csv:7:" "--skip-bad reports line 7"
expect_line "$ERR" "converted 4 records, skipped 3 bad rows" "--skip-bad summary"
[ "$(wc -l <"$WORK/skip.jsonl")" -eq 4 ] || fail "--skip-bad should write the 4 good records"
run "$FEEDBACK" convert "$DATA/good.csv" "$WORK/skip2.jsonl" --skip-bad
expect_status 0 "convert --skip-bad good.csv"
expect_line "$ERR" "converted 5 records, skipped 0 bad rows" "--skip-bad summary without bad rows"

# Writing to a full device is an I/O failure (exit 3), when there is one.
if [ -w /dev/full ]; then
    run sh -c "'$FEEDBACK' convert '$SAMPLE' - --to jsonl >/dev/full"
    expect_status 3 "convert to /dev/full"
fi

echo "ok"
