#!/bin/sh
# Reads logs written by the tool with tests/log/independent_reader.py (a
# reader written from docs/FORMAT.md alone) and checks that it gives the same
# records as `feedback cat LOG --to jsonl`.
# Usage: independent_reader.sh FEEDBACK SAMPLE_CSV WORKDIR
set -u
if [ $# -ne 3 ]; then
    echo "usage: $0 FEEDBACK SAMPLE_CSV WORKDIR" >&2
    exit 2
fi
FEEDBACK=$1 SAMPLE=$2 WORK=$3
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
fail() { echo "FAIL: $*" >&2; exit 1; }

rm -rf "$WORK" && mkdir -p "$WORK" || fail "cannot create $WORK"

check() {   # check NAME [IMPORT OPTIONS...]
    name=$1; shift
    log=$WORK/$name.fblog
    "$FEEDBACK" import "$SAMPLE" -o "$log" "$@" >/dev/null 2>"$WORK/$name.import.err" \
        || fail "$name: feedback import $* failed: $(cat "$WORK/$name.import.err")"
    "$FEEDBACK" cat "$log" --to jsonl >"$WORK/$name.tool.jsonl" \
        || fail "$name: feedback cat failed"
    "$PY" "$HERE/independent_reader.py" "$log" >"$WORK/$name.mine.jsonl" \
        || fail "$name: independent_reader.py failed on $log (see its stderr above)"
    "$PY" - "$WORK/$name.tool.jsonl" "$WORK/$name.mine.jsonl" "$name" <<'PYEOF' || exit 1
import json, sys
tool_path, mine_path, name = sys.argv[1:4]
with open(tool_path, encoding="utf-8") as f:
    tool = f.read().splitlines()
with open(mine_path, encoding="utf-8") as f:
    mine = f.read().splitlines()
for i in range(max(len(tool), len(mine))):
    a = json.loads(tool[i]) if i < len(tool) else None
    b = json.loads(mine[i]) if i < len(mine) else None
    if a != b:  # dict/list equality: key order ignored, 9 == 9.0
        sys.exit("FAIL: %s: record %d (line %d) differs\n  feedback cat: %s\n  independent:  %s"
                 % (name, i, i + 1, tool[i] if a is not None else "(no line)",
                    mine[i] if b is not None else "(no line)"))
if not tool:
    sys.exit("FAIL: %s: feedback cat printed no records" % name)
print("ok: %s: %d records agree" % (name, len(tool)))
PYEOF
}

check default
check stored --level 0
check chunks7 --chunk-records 7

# The worked example of FORMAT.md, rebuilt from its hex dump, reads as the
# record it was made from, with both readers.
example=$WORK/worked-example.fblog
"$PY" - "$HERE/../../docs/FORMAT.md" "$example" <<'PYEOF' || fail "cannot rebuild the worked example"
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
part = text[text.index("## A worked example"):text.index("## Compatibility")]
data = bytearray()
for line in part.splitlines():
    m = re.match(r"^([0-9a-f]{8}): ((?:[0-9a-f]{2,4} ?)+?)  ", line)
    if m:
        assert int(m.group(1), 16) == len(data), "dump offsets out of order"
        data += bytes.fromhex(m.group(2).replace(" ", ""))
open(sys.argv[2], "wb").write(data)
PYEOF
want='{"id":7,"kind":"response","created_at":"2026-11-24T10:30:00Z","channel":"sms","answers":{"nps":9},"text":"Fast!","tags":["delivery"]}'
got=$("$FEEDBACK" cat "$example" --to jsonl) || fail "feedback cat of the worked example failed"
[ "$got" = "$want" ] || fail "worked example: feedback cat gives $got"
got=$("$PY" "$HERE/independent_reader.py" "$example") || fail "independent_reader.py failed on the worked example"
[ "$got" = "$want" ] || fail "worked example: independent_reader.py gives $got"
"$FEEDBACK" verify "$example" >/dev/null || fail "worked example: feedback verify finds damage"
echo "ok: the worked example of FORMAT.md reads as its record"
echo "independent reader agrees with feedback cat"
