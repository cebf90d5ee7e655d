# report: totals, groups and periods of a small fixture, the same from a log,
# JSON and CSV, usage errors, bad rows, and the sample end to end.
set -eu
. "$(dirname "$0")/lib.sh"

cd "$DATA"
# stats.csv: 4 NPS answers (9, 10, 3, 8) and a skipped one: 2 promoters, 1 passive,
# 1 detractor, NPS +25; CSAT 5, 2, 4: 2 of 3 satisfied.
run "$FEEDBACK" report stats.csv
expect_status 0 "report stats.csv"
expect_line "$OUT" "stats.csv: 10 records: 7 responses, 2 invitations, 1 updates" "the totals"
expect_line "$OUT" "response rate " "the response rate"
[ "$(awk '$1 == "NPS" { print $2, $3 }' "$OUT")" = "4 +25.0" ] || fail "NPS: 4 answers, +25.0"
[ "$(awk '$1 == "CSAT" { print $2, $3 }' "$OUT")" = "3 66.7%" ] || fail "CSAT: 3 answers, 66.7%"
expect_no_line "$OUT" "CES " "a metric without answers is left out"

# JSON, checked value by value by Python's own parser.
run "$FEEDBACK" report stats.csv --by channel --format json
expect_status 0 "report --format json"
/usr/bin/python3 - "$OUT" <<'PY' || fail "the JSON report"
import json, sys
d = json.load(open(sys.argv[1]))
nps = d["total"]["metrics"]["nps"]
assert nps["n"] == 4 and abs(nps["value"] - 25.0) < 1e-9, nps
assert nps["lo"] < 25.0 < nps["hi"], nps
email = [g for g in d["groups"] if g["channel"] == "email"][0]
assert email["records"] == 4 and email["metrics"]["nps"]["n"] == 3, email
assert abs(email["response_rate"]["value"] - 0.75) < 1e-12, email  # 3 answered, 1 invitation not
assert [l["channel"] for l in d["leaderboard"]["ranks"]] == [], d["leaderboard"]  # min-n 30
PY

# CSV: one row per figure.
run "$FEEDBACK" report stats.csv --by channel --format csv --min-n 1
expect_status 0 "report --format csv"
expect_line "$OUT" "section,channel,metric,n,value,lo,hi,p_value,note" "the CSV header"
expect_line "$OUT" "group,email,nps,3,66.6666666" "email's NPS row"
expect_line "$OUT" "leader,email,nps,3," "email on the leaderboard with --min-n 1"

# A log of the same records reports the same.
run "$FEEDBACK" import stats.csv -o "$WORK/stats.fblog"
expect_status 0 "import"
run "$FEEDBACK" report stats.csv --by channel --period month --format json
sed 's/"stats.csv"/"FILE"/' "$OUT" >"$WORK/from-csv.json"
run "$FEEDBACK" report "$WORK/stats.fblog" --by channel --period month --format json
expect_status 0 "report of the log"
sed "s|\"$WORK/stats.fblog\"|\"FILE\"|" "$OUT" >"$WORK/from-log.json"
expect_same "$WORK/from-csv.json" "$WORK/from-log.json" "the report of the CSV and of its log"

# Usage errors: exit 2 with what is wrong.
run "$FEEDBACK" report stats.csv --compare 2026-01..2026-02
expect_status 2 "--compare without --period"
expect_line "$ERR" "--compare needs --period" "the message"
run "$FEEDBACK" report stats.csv --by chanel
expect_status 2 "a misspelt dimension"
expect_line "$ERR" "did you mean 'channel'" "the suggestion"
run "$FEEDBACK" report stats.csv --period month --compare 2026-13..2026-14
expect_status 2 "months that do not exist"
run "$FEEDBACK" report stats.csv --format xml
expect_status 2 "an unknown format"
run "$FEEDBACK" report "$WORK/missing.csv"
expect_status 3 "a missing file"

# The first bad row stops the report.
run "$FEEDBACK" report bad.csv
expect_status 1 "report bad.csv"
expect_line "$ERR" "bad.csv:5:" "the bad row"

# The sample, as make demo reports it.
run "$FEEDBACK" report "$FB_SAMPLE" --by channel --period year --compare previous --min-n 20
expect_status 0 "report of the sample"
expect_line "$OUT" "Changes" "the changes"
expect_line "$OUT" "would flag by chance" "the number of tests"
expect_line "$OUT" "Leaderboard by NPS" "the leaderboard"
expect_line "$OUT" "Terms of detractors" "the detractor terms"
[ "$(awk '$1 == "NPS" && $2 == 629 { print $3 }' "$OUT")" = "+30.7" ] || fail "the sample's NPS"

# Series told apart by every byte of their keys: two products of an agent whose id is 250 bytes
# (keys compared as text cut at 256 bytes made them one series, and printed it as "all").
agent=$(awk 'BEGIN { while (n++ < 250) printf "a" }')
{
    echo "kind,created_at,customer_id,customer_status,channel,agent_id,product,answers"
    for p in p1 p2; do
        for m in 01 02; do
            for k in 1 2 3; do
                echo "response,2026-$m-1${k}T09:00:00Z,c$k,active,email,$agent,$p,nps=$((k + 6))"
            done
        done
    done
} > "$WORK/long-keys.csv"
run "$FEEDBACK" report "$WORK/long-keys.csv" --by agent,product --period month --compare previous \
    --min-n 1
expect_status 0 "report of long keys"
for p in p1 p2; do
    expect_line "$OUT" "agent=$agent product=$p NPS: 2026-02" "the comparison of $p"
done
expect_no_line "$OUT" " all " "a series named all"
