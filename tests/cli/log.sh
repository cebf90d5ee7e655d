# The log commands: import, info, cat, verify, recover; damage and usage errors.
set -eu
. "$(dirname "$0")/lib.sh"
SAMPLE=${FB_SAMPLE:?}
LOG=$WORK/sample.fblog

# size FILE: its length in bytes.
size() { wc -c <"$1" | tr -d ' '; }

# csv_records FILE: records in a CSV written by feedback (stats counts them).
csv_records() {
    "$FEEDBACK" stats "$1" --from csv | sed -n 's/^records  *//p'
}

# ---------------------------------------------------------------- import, info
run "$FEEDBACK" import "$SAMPLE" -o "$LOG" --chunk-records 200
expect_status 0 "import the sample"
expect_line "$ERR" "imported 2000 records into $LOG (0 bad rows skipped)" "import summary"
expect_empty "$OUT" "import prints nothing on stdout"

run "$FEEDBACK" info "$LOG"
expect_status 0 "info"
expect_line "$OUT" "format            1." "info: format version"
expect_line "$OUT" "writer            libfeedback" "info: writer"
expect_line "$OUT" "chunks            10" "info: 10 chunks of 200 records"
expect_line "$OUT" "records           2000" "info: records"
expect_line "$OUT" "first             2025-05-01T19:19:17Z" "info: first created_at"
expect_line "$OUT" "last              2026-10-31T22:21:59Z" "info: last created_at"
expect_line "$OUT" "file size         $(size "$LOG") bytes" "info: file size"
expect_line "$OUT" "index             yes" "info: a cleanly closed log has an index"
expect_line "$OUT" "damaged regions   0 (0 bytes)" "info: no damage"
expect_line "$OUT" "compression       " "info: compression ratio"
expect_empty "$ERR" "info on a good log"
run "$FEEDBACK" info "$LOG" --json
expect_status 0 "info --json"
expect_line "$OUT" '"records": 2000' "info --json: records"
expect_line "$OUT" '"has_index": true' "info --json: index"
expect_line "$OUT" '"damaged_regions": 0' "info --json: damage"
if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$OUT" || fail "info --json is not JSON"
fi

# ---------------------------------------------------------------- cat
# The log gives back exactly the records of the sample: cat's CSV is convert's CSV.
run "$FEEDBACK" convert "$SAMPLE" "$WORK/sample.csv"
expect_status 0 "convert the sample to CSV"
run "$FEEDBACK" convert "$SAMPLE" "$WORK/sample.jsonl"
expect_status 0 "convert the sample to JSON Lines"
run "$FEEDBACK" cat "$LOG"
expect_status 0 "cat"
expect_empty "$ERR" "cat of a good log"
expect_same "$OUT" "$WORK/sample.csv" "cat LOG differs from convert SAMPLE (CSV)"
run "$FEEDBACK" cat "$LOG" --to jsonl
expect_status 0 "cat --to jsonl"
expect_same "$OUT" "$WORK/sample.jsonl" "cat --to jsonl differs from convert SAMPLE (JSON Lines)"
run "$FEEDBACK" cat "$LOG" -o "$WORK/cat.jsonl"
expect_status 0 "cat -o FILE.jsonl"
expect_same "$WORK/cat.jsonl" "$WORK/sample.jsonl" "cat -o takes the format from the extension"
run "$FEEDBACK" cat "$LOG" -o "$WORK/cat.out"
expect_status 0 "cat -o FILE of no known extension"
expect_same "$WORK/cat.out" "$WORK/sample.csv" "cat -o FILE without an extension writes CSV"

# A time range: [from, to).
run "$FEEDBACK" cat "$LOG" --from-time 2026-01-01 --to-time 2026-02-01 -o "$WORK/jan.csv"
expect_status 0 "cat --from-time --to-time"
run "$FEEDBACK" stats "$WORK/jan.csv"
expect_status 0 "stats of the January records"
first=$(sed -n 's/^first  *//p' "$OUT")
last=$(sed -n 's/^last  *//p' "$OUT")
n=$(sed -n 's/^records  *//p' "$OUT")
[ "$n" -gt 0 ] || fail "no records in January 2026"
[ "$n" -lt 2000 ] || fail "the time range kept every record"
case $first in 2026-01-*) ;; *) fail "first record of the range is $first" ;; esac
case $last in 2026-01-*) ;; *) fail "last record of the range is $last" ;; esac
run "$FEEDBACK" cat "$LOG" --from-time 2026-13-01
expect_status 2 "cat --from-time with a bad date"
expect_line "$ERR" "--from-time" "the bad time names its option"

# ---------------------------------------------------------------- verify
run "$FEEDBACK" verify "$LOG"
expect_status 0 "verify a good log"
expect_line "$OUT" "$LOG: 2000 records in 10 chunks ok, 0 damaged regions (0 bytes, 0 records lost)" \
    "verify summary of a good log"
expect_empty "$ERR" "verify of a good log"

# Damage in the middle: overwrite 64 bytes halfway through a copy.
cp "$LOG" "$WORK/mid.fblog"
half=$(( $(size "$LOG") / 2 ))
printf 'XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX' |
    dd of="$WORK/mid.fblog" bs=1 seek="$half" conv=notrunc 2>/dev/null
[ "$(size "$WORK/mid.fblog")" -eq "$(size "$LOG")" ] || fail "dd changed the size"
run "$FEEDBACK" verify "$WORK/mid.fblog"
expect_status 1 "verify a log damaged in the middle"
expect_line "$ERR" "$WORK/mid.fblog: offset " "verify reports where the damage is"
expect_line "$ERR" "records lost)" "verify reports what was lost"
expect_line "$OUT" "records in 9 chunks ok, 1 damaged regions" "verify: one chunk lost, nine intact"
expect_line "$OUT" "200 records lost" "verify: the chunk's 200 records are lost"
run "$FEEDBACK" cat "$WORK/mid.fblog" -o "$WORK/mid.csv"
expect_status 1 "cat of a damaged log"
expect_line "$ERR" "$WORK/mid.fblog: offset " "cat reports the damage"
[ "$(csv_records "$WORK/mid.csv")" -eq 1800 ] || fail "cat of the damaged log should give 1800 records"
run "$FEEDBACK" info "$WORK/mid.fblog"
expect_status 1 "info of a damaged log"
expect_line "$OUT" "damaged regions   1" "info counts the damage"
expect_line "$ERR" "$WORK/mid.fblog: offset " "info reports the damage"

# A torn tail: cut the last 1000 bytes (the index, the trailer, part of the last chunk).
head -c $(( $(size "$LOG") - 1000 )) "$LOG" >"$WORK/torn.fblog"
run "$FEEDBACK" verify "$WORK/torn.fblog"
expect_status 1 "verify a truncated log"
expect_line "$OUT" "1800 records in 9 chunks ok, 1 damaged regions" "verify of a truncated log"
run "$FEEDBACK" cat "$WORK/torn.fblog"
expect_status 1 "cat of a truncated log"
[ "$(csv_records "$OUT")" -eq 1800 ] || fail "cat of the truncated log should give 1800 records"
run "$FEEDBACK" info "$WORK/torn.fblog"
expect_status 1 "info of a truncated log"
expect_line "$OUT" "index             no" "a truncated log has no index"

# Both at once, and verify goes on to the next log.
run "$FEEDBACK" verify "$WORK/mid.fblog" "$LOG" "$WORK/torn.fblog"
expect_status 1 "verify of several logs"
expect_line "$OUT" "$LOG: 2000 records in 10 chunks ok" "the good log among damaged ones"
[ "$(wc -l <"$OUT")" -eq 3 ] || fail "verify prints one line per log"

# ---------------------------------------------------------------- recover
run "$FEEDBACK" recover "$WORK/mid.fblog" -o "$WORK/rec.fblog"
expect_status 1 "recover a damaged log"
expect_line "$ERR" "recovered 1800 records into $WORK/rec.fblog (1 damaged regions" "recover summary"
expect_line "$ERR" "$WORK/mid.fblog: offset " "recover reports the damage"
run "$FEEDBACK" verify "$WORK/rec.fblog"
expect_status 0 "the recovered log verifies clean"
expect_line "$OUT" "1800 records in" "the recovered log holds the intact records"
run "$FEEDBACK" cat "$WORK/rec.fblog" -o "$WORK/rec.csv"
expect_status 0 "cat the recovered log"
expect_same "$WORK/rec.csv" "$WORK/mid.csv" "the recovered records are those cat reads from the damaged log"
# NEW exists: refused without --force, replaced with it; no temporary file left.
run "$FEEDBACK" recover "$WORK/torn.fblog" -o "$WORK/rec.fblog"
expect_status 2 "recover onto an existing file"
expect_line "$ERR" "--force" "recover says how to replace"
run "$FEEDBACK" recover "$WORK/torn.fblog" -o "$WORK/rec.fblog" --force
expect_status 1 "recover --force onto an existing file"
run "$FEEDBACK" verify "$WORK/rec.fblog"
expect_status 0 "the replaced recovered log verifies clean"
expect_line "$OUT" "1800 records in" "the replaced recovered log"
run "$FEEDBACK" recover "$LOG" -o "$WORK/copy.fblog"
expect_status 0 "recover an intact log"
expect_line "$ERR" "recovered 2000 records into $WORK/copy.fblog (0 damaged regions, 0 bytes, 0 records lost)" \
    "recover summary of an intact log"
ls -A "$WORK" | grep -q '^\.' && fail "a temporary file was left: $(ls -A "$WORK" | grep '^\.')"

# ---------------------------------------------------------------- appending
# Importing into an existing log appends; into a torn one, cuts the tail first.
run "$FEEDBACK" import "$DATA/good.csv" "$DATA/good.csv" -o "$WORK/copy.fblog"
expect_status 0 "import into an existing log"
expect_line "$ERR" "imported 10 records into" "import of two inputs"
run "$FEEDBACK" verify "$WORK/copy.fblog"
expect_status 0 "verify the appended log"
expect_line "$OUT" "2010 records in" "import appends to an existing log"
run "$FEEDBACK" convert "$DATA/good.csv" "$WORK/good.csv"
{ cat "$WORK/sample.csv"; tail -n +2 "$WORK/good.csv"; tail -n +2 "$WORK/good.csv"; } >"$WORK/appended.csv"
run "$FEEDBACK" cat "$WORK/copy.fblog"
expect_same "$OUT" "$WORK/appended.csv" "appending kept the earlier records and added the new in order"
run "$FEEDBACK" import "$DATA/good.csv" -o "$WORK/torn.fblog"
expect_status 1 "import into a torn log"
expect_line "$ERR" "$WORK/torn.fblog: offset " "import reports what reopening cut off"
expect_line "$ERR" "imported 5 records into" "import into a torn log still imports"
run "$FEEDBACK" verify "$WORK/torn.fblog"
expect_status 0 "a torn log verifies clean after an import cut its tail"
expect_line "$OUT" "1805 records in" "the torn log kept its intact records and gained the new"

# Bad rows: stop at the first (the rows before it stay), or skip them.
run "$FEEDBACK" import "$DATA/bad.csv" -o "$WORK/bad.fblog"
expect_status 1 "import stops at a bad row"
expect_line "$ERR" "bad.csv:5:" "the bad row is reported"
expect_no_line "$ERR" "bad.csv:6:" "import stops at the first bad row"
expect_line "$ERR" "imported 2 records into $WORK/bad.fblog (stopped" "import says what it imported"
run "$FEEDBACK" verify "$WORK/bad.fblog"
expect_status 0 "the log of a stopped import is intact"
expect_line "$OUT" ": 2 records in" "the rows before the bad one were imported"
run "$FEEDBACK" import "$DATA/bad.csv" -o "$WORK/skip.fblog" --skip-bad --level 1
expect_status 1 "import --skip-bad"
expect_line "$ERR" "bad.csv:7:" "--skip-bad reports every bad row"
expect_line "$ERR" "imported 4 records into $WORK/skip.fblog (3 bad rows skipped)" "import --skip-bad summary"
run_in "$DATA/good.csv" "$FEEDBACK" import - -o "$WORK/stdin.fblog" --level 0
expect_status 0 "import from standard input"
expect_line "$ERR" "imported 5 records" "import from standard input"

# ---------------------------------------------------------------- failures
# Not a log, a missing log: exit 3 naming the file; nothing is created.
for cmd in cat verify info; do
    run "$FEEDBACK" $cmd "$SAMPLE"
    expect_status 3 "$cmd of a CSV file"
    expect_line "$ERR" "$SAMPLE" "$cmd names the file that is not a log"
    expect_line "$ERR" "not a libfeedback log" "$cmd says the file is not a log"
    run "$FEEDBACK" $cmd "$WORK/missing.fblog"
    expect_status 3 "$cmd of a missing log"
    expect_line "$ERR" "$WORK/missing.fblog" "$cmd names the missing log"
done
run "$FEEDBACK" recover "$SAMPLE" -o "$WORK/nolog.fblog"
expect_status 3 "recover of a CSV file"
[ ! -e "$WORK/nolog.fblog" ] || fail "recover of a non-log created NEW"
cp "$SAMPLE" "$WORK/notalog.fblog"
run "$FEEDBACK" import "$DATA/good.csv" -o "$WORK/notalog.fblog"
expect_status 3 "import into a file that is not a log"
expect_line "$ERR" "not a libfeedback log" "import refuses a file that is not a log"
expect_same "$WORK/notalog.fblog" "$SAMPLE" "import left the non-log alone"
run "$FEEDBACK" import "$WORK/missing.csv" -o "$WORK/never.fblog"
expect_status 3 "import of a missing input"
[ ! -e "$WORK/never.fblog" ] || fail "import of a missing input created LOG"

# Usage errors.
run "$FEEDBACK" import "$DATA/good.csv"
expect_status 2 "import without -o"
expect_line "$ERR" "-o LOG" "import without -o says what is missing"
run "$FEEDBACK" import -o "$WORK/u.fblog"
expect_status 2 "import without inputs"
run "$FEEDBACK" import "$DATA/good.csv" -o "$WORK/u.fblog" --level 10
expect_status 2 "import --level 10"
run "$FEEDBACK" import "$DATA/good.csv" -o "$WORK/u.fblog" --chunk-records 0
expect_status 2 "import --chunk-records 0"
run "$FEEDBACK" import "$DATA/good.csv" -o "$WORK/u.fblog" --from xml
expect_status 2 "import --from xml"
[ ! -e "$WORK/u.fblog" ] || fail "a usage error created LOG"
run "$FEEDBACK" cat
expect_status 2 "cat without a log"
run "$FEEDBACK" cat "$LOG" "$LOG"
expect_status 2 "cat with two logs"
run "$FEEDBACK" cat "$LOG" --to xml
expect_status 2 "cat --to xml"
run "$FEEDBACK" verify
expect_status 2 "verify without a log"
run "$FEEDBACK" recover "$LOG"
expect_status 2 "recover without -o"
run "$FEEDBACK" info
expect_status 2 "info without a log"
for cmd in import cat verify recover info; do
    run "$FEEDBACK" help $cmd
    expect_status 0 "help $cmd"
    expect_line "$OUT" "Usage: feedback $cmd" "help $cmd"
    run "$FEEDBACK" $cmd --no-such-option x
    expect_status 2 "$cmd with an unknown option"
    expect_line "$ERR" "feedback $cmd: unknown option '--no-such-option'" "$cmd unknown option"
done

echo "ok"
