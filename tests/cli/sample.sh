# fb-generate is deterministic and made the bundled sample, which is valid.
#   sh sample.sh FEEDBACK DATA WORK   (FB_GENERATE, FB_SAMPLE in the environment)
set -eu
. "$(dirname "$0")/lib.sh"
GENERATE=${FB_GENERATE:?FB_GENERATE must name the fb-generate binary}
SAMPLE=${FB_SAMPLE:?}

run "$GENERATE" 2000 --seed 1 -o "$WORK/sample.csv"
expect_status 0 "fb-generate 2000"
expect_same "$WORK/sample.csv" "$SAMPLE" \
    "fb-generate 2000 --seed 1 no longer makes examples/data/feedback-sample.csv (regenerate it if the change is meant)"

# Same seed, same bytes; another seed, other bytes; stdout is CSV by default.
run "$GENERATE" 300 --seed 7
expect_status 0 "fb-generate 300 --seed 7"
cp "$OUT" "$WORK/a.csv"
run "$GENERATE" 300 --seed=7
expect_same "$OUT" "$WORK/a.csv" "two runs with one seed differ"
run "$GENERATE" 300 --seed 8
cmp -s "$OUT" "$WORK/a.csv" && fail "seeds 7 and 8 gave the same records"
run "$GENERATE" 300 --seed 7 --format jsonl -o "$WORK/a.jsonl"
expect_status 0 "fb-generate --format jsonl"
run "$FEEDBACK" convert "$WORK/a.jsonl" "$WORK/a.back.csv"
expect_same "$WORK/a.back.csv" "$WORK/a.csv" "the JSONL output is not the same records"

run "$FEEDBACK" validate "$SAMPLE"
expect_status 0 "validate the sample"
expect_line "$OUT" "2000 records ok, 0 bad rows" "the sample is valid"

run "$GENERATE" 2000 --seed 1 --bogus
expect_status 2 "fb-generate with an unknown option"
run "$GENERATE"
expect_status 2 "fb-generate without N"

echo "ok"
