# filter, alerts and report --relevant: where each record of a fixture goes
# and why, the reasons column, the counts, actions from the command line,
# usage errors, and the sample: every record lands in exactly one output.
set -eu
. "$(dirname "$0")/lib.sh"

cd "$DATA"
# filter.csv, one record for each case:
#  1 kept            2 non_customer (drop)   3 churned (drop)   4 churned, win-back (kept)
#  5 unknown_customer (flag)                 6 stale (drop) and late (flag)
#  7 abusive (drop)  8 hearsay (flag)        9, 10 the same text: 10 a duplicate (flag)
# 11 an update (kept, not judged)           12 kept; its old 'reasons' attribute replaced
run "$FEEDBACK" filter filter.csv -o "$WORK/out.csv" --rejected "$WORK/rejected.csv"
expect_status 0 "filter"
expect_line "$ERR" "filter: 12 records: 4 dropped, 3 flagged, 5 kept; drop reasons: 1 non_customer, 1 churned, 1 stale, 1 abusive; flag reasons: 1 unknown_customer, 1 late, 1 duplicate, 1 hearsay" "the counts"

# ids FILE: the ids of a CSV file's records; last FILE: "id=value" of its last column.
ids() { /usr/bin/python3 -c 'import csv,sys; print(" ".join(r["id"] for r in csv.DictReader(open(sys.argv[1]))))' "$1"; }
last() { /usr/bin/python3 -c 'import csv,sys; print(" ".join(r[0] + "=" + r[-1] for r in list(csv.reader(open(sys.argv[1])))[1:]))' "$1"; }
[ "$(ids "$WORK/out.csv")" = "1 4 5 8 9 10 11 12" ] || fail "kept: $(ids "$WORK/out.csv")"
[ "$(ids "$WORK/rejected.csv")" = "2 3 6 7" ] || fail "dropped: $(ids "$WORK/rejected.csv")"
# The reasons column: the last one, after the record's fields.
expect_line "$WORK/rejected.csv" ",assignee_kind,reasons" "REJECTED's header"
[ "$(last "$WORK/rejected.csv")" = "2=non_customer 3=churned 6=stale,late 7=abusive" ] ||
    fail "the reasons of REJECTED: $(last "$WORK/rejected.csv")"
[ "$(last "$WORK/out.csv")" = "1= 4= 5=unknown_customer 8=hearsay 9= 10=duplicate 11= 12=" ] ||
    fail "the reasons of OUT: $(last "$WORK/out.csv")"
# Both read back; the reasons are an attribute, the one record 12 had is replaced.
run "$FEEDBACK" validate "$WORK/out.csv" "$WORK/rejected.csv"
expect_status 0 "OUT and REJECTED read back"
run "$FEEDBACK" convert "$WORK/out.csv" "$WORK/out.jsonl"
expect_line "$WORK/out.jsonl" '"id":12,' "record 12"
expect_line "$WORK/out.jsonl" '"attributes":{"plan":"gold"}' "record 12 without its old reasons"
expect_line "$WORK/out.jsonl" '"attributes":{"reasons":"hearsay"}' "record 8's reasons"

# JSON Lines in: REJECTED in JSON Lines, the reasons a key of their own.
run "$FEEDBACK" convert filter.csv "$WORK/filter.jsonl"
run "$FEEDBACK" filter "$WORK/filter.jsonl" -o "$WORK/out2.jsonl" --rejected "$WORK/rejected2.jsonl"
expect_status 0 "filter of JSON Lines"
expect_line "$WORK/rejected2.jsonl" '"reasons":"stale,late"}' "the reasons key"
[ "$(wc -l <"$WORK/rejected2.jsonl")" -eq 4 ] || fail "4 records rejected from JSON Lines"

# --explain: why, for each record not simply kept.
run "$FEEDBACK" filter filter.csv -o "$WORK/out3.csv" --explain
expect_status 0 "filter --explain"
expect_line "$ERR" "filter.csv:3: id 2: drop: non_customer (customer_status non_customer)" "why 2"
expect_line "$ERR" 'id 8: flag: hearsay ("Мне сказали, что" at bytes 0..29)' "why 8"
expect_line "$ERR" 'id 7: drop: abusive (score' "why 7"
expect_line "$ERR" "the 4 records dropped were not written (--rejected FILE keeps them)" "no REJECTED"
expect_no_line "$ERR" "id 1:" "a record kept is not explained"

# Actions from the command line.
run "$FEEDBACK" filter filter.csv -o "$WORK/out4.csv" --rejected "$WORK/rejected4.csv" \
    --drop hearsay,duplicate --keep unknown_customer,churned
expect_status 0 "--drop and --keep"
[ "$(ids "$WORK/rejected4.csv")" = "2 6 7 8 10" ] || fail "dropped: $(ids "$WORK/rejected4.csv")"
expect_line "$ERR" "noted: 1 churned, 1 unknown_customer" "reasons kept are still counted"
run "$FEEDBACK" filter filter.csv -o "$WORK/out5.csv" --max-age 365 --max-delay 365
expect_line "$ERR" "3 dropped" "a longer age keeps record 6"

# Usage errors.
run "$FEEDBACK" filter filter.csv -o "$WORK/x.csv" --drop abusve
expect_status 2 "a misspelt reason"
expect_line "$ERR" "did you mean 'abusive'" "the suggestion"
run "$FEEDBACK" filter filter.csv -o "$WORK/x.csv" --drop stale --flag stale
expect_status 2 "a reason given two actions"
run "$FEEDBACK" filter filter.csv -o "$WORK/x.csv" --rejected "$WORK/x.jsonl"
expect_status 2 "REJECTED in another format"
expect_line "$ERR" "REJECTED is written in IN's format (csv)" "the message"
run "$FEEDBACK" filter filter.csv
expect_status 2 "no OUT"
run "$FEEDBACK" filter filter.csv -o "$WORK/x.csv" --abuse-threshold 2
expect_status 2 "a threshold outside 0..1"
run "$FEEDBACK" filter - -o - < filter.csv
expect_status 2 "standard input to standard output, no format given"
expect_line "$ERR" "give --to csv|jsonl (or --from)" "the message"
run "$FEEDBACK" filter - -o - --from csv --rejected "$WORK/rejected-stdin.csv" < filter.csv
expect_status 0 "standard input with --from"
run "$FEEDBACK" filter - -o - --to csv --rejected "$WORK/x.csv" < filter.csv
expect_status 2 "REJECTED from standard input without --from"
run "$FEEDBACK" alerts - --rule 'nps<=2' < filter.csv
expect_status 2 "alerts from standard input, no format given"
run "$FEEDBACK" alerts - --rule 'nps<=2' --from csv < filter.csv
expect_status 0 "alerts from standard input with --from"
[ ! -e "$WORK/x.csv" ] || fail "nothing is written after a usage error"

# alerts: the records rules match, with the rules in a column.
run "$FEEDBACK" alerts filter.csv --rule 'nps<=2' --rule reason=non_customer
expect_status 0 "alerts"
cp "$OUT" "$WORK/alerts.csv"
[ "$(last "$WORK/alerts.csv")" = "2=nps<=2; reason=non_customer 7=nps<=2 9=nps<=2 10=nps<=2" ] ||
    fail "the alerts: $(last "$WORK/alerts.csv")"
expect_line "$ERR" "alerts: 4 of 12 records matched: 4 nps<=2, 1 reason=non_customer" "the counts"
run "$FEEDBACK" alerts filter.csv --rule 'nps<=2' --relevant
expect_line "$ERR" "alerts: 2 of 12 records matched" "--relevant leaves out what is dropped"
run "$FEEDBACK" alerts filter.csv --rule 'status=churned' -o "$WORK/alerts.jsonl"
expect_status 0 "alerts to JSON Lines"
expect_line "$WORK/alerts.jsonl" '"alerts":"status=churned"}' "the alerts key"
run "$FEEDBACK" alerts filter.csv
expect_status 2 "alerts without a rule"
run "$FEEDBACK" alerts filter.csv --rule 'nps<=11'
expect_status 2 "a score outside the scale"
expect_line "$ERR" "outside the nps scale 0..10" "the message"

# report --relevant: what was set aside, and the metrics of the rest.
run "$FEEDBACK" report filter.csv --relevant
expect_status 0 "report --relevant"
expect_line "$OUT" "relevance: 12 records: 4 dropped, 3 flagged, 5 kept" "the relevance line"
expect_line "$OUT" "4 excluded" "the records left out"
[ "$(awk '$1 == "NPS" { print $2 }' "$OUT")" = "4" ] || fail "NPS of records 1, 8, 9 and 10"
run "$FEEDBACK" report filter.csv --relevant --format json
/usr/bin/python3 - "$OUT" <<'PY' || fail "the JSON relevance"
import json, sys
d = json.load(open(sys.argv[1]))
r = d["relevance"]
assert (r["records"], r["dropped"], r["flagged"], r["kept"]) == (12, 4, 3, 5), r
assert r["dropped_by"] == {"non_customer": 1, "churned": 1, "stale": 1, "abusive": 1}, r
assert d["total"]["excluded"] == 4, d["total"]
PY
run "$FEEDBACK" report filter.csv --drop hearsay
expect_status 2 "relevance options without --relevant"

# The sample: every record lands in OUT or REJECTED, once.
run "$FEEDBACK" filter "$FB_SAMPLE" -o "$WORK/sample-out.csv" --rejected "$WORK/sample-rejected.csv"
expect_status 0 "filter of the sample"
count() { "$FEEDBACK" validate "$1" 2>&1 | sed -n 's/.*: \([0-9]*\) records ok.*/\1/p'; }
kept=$(count "$WORK/sample-out.csv")
dropped=$(count "$WORK/sample-rejected.csv")
[ $((kept + dropped)) -eq 2000 ] || fail "the sample: $kept kept + $dropped dropped is not 2000"
expect_line "$ERR" "filter: 2000 records: $dropped dropped" "the counts of the sample"
