#!/usr/bin/python3
"""An independent reader of the libfeedback log format, written from
docs/FORMAT.md and docs/RECORD.md alone (standard library only).

Usage: independent_reader.py LOG > records.jsonl

Prints the log's records as JSON Lines in the form of `feedback cat LOG --to
jsonl` (docs/IO.md). Damage is reported on stderr and the exit status is 1.

CRCs of a data chunk: this reader checks the payload CRC after the payload
(which covers every byte of it, the streams it skips included) before it
parses anything, and then also the CRC of the stream table and the CRC of
every stream it decodes (DICT and the columns 2 to 33); the CRCs of streams
with unknown ids are not checked one by one (the payload CRC covers them).
"""
import json
import math
import struct
import sys
import zlib

MAGIC = b"\x89FBL\r\n\x1a\n"
MAX_P, MAX_R, MAX_COUNT = 68157440, 67108864, 1000000
MAX_STREAMS, DEFLATE_RATIO = 64, 1032
KINDS = ["response", "invitation", "update"]
STATUSES = ["unknown", "active", "churned", "prospect", "competitor_customer", "non_customer"]
CHANNELS = ["other", "web_form", "mobile_app", "email", "sms", "messenger", "phone_operator",
            "phone_robot", "qr_code", "kiosk", "review_site", "maps", "social_network",
            "forum", "chat", "survey", "focus_group", "service_desk"]
SOURCES = ["direct", "indirect", "inferred"]
METRICS = ["nps", "csat", "ces", "cli_recommend", "cli_repurchase", "cli_cross_buy", "gcr",
           "rating", "custom"]
SCALES = [(0, 10), (1, 5), (1, 7), (0, 10), (0, 10), (0, 10), (0, 1), (1, 5)]
HANDLINGS = ["new", "assigned", "in_progress", "resolved", "closed"]
ASSIGNEE_KINDS = ["person", "department"]

DICT_STREAM = 1
# column (stream) id -> (name, unit, value encoding); FORMAT.md "Columns"
COLUMNS = {
    2: ("id", "record", "zigzag"),
    3: ("kind", "record", "varint"),
    4: ("created_at", "record", "zigzag"),
    5: ("interaction_at", "record", "varint"),
    6: ("customer_id", "record", "string"),
    7: ("customer_status", "record", "varint"),
    8: ("customer flags", "record", "varint"),
    9: ("channel", "record", "varint"),
    10: ("source", "record", "varint"),
    11: ("answer count", "record", "varint"),
    12: ("text", "record", "string"),
    13: ("language", "record", "string"),
    14: ("tag count", "record", "varint"),
    15: ("agent_id", "record", "string"),
    16: ("ticket_id", "record", "string"),
    17: ("product", "record", "string"),
    18: ("country", "record", "string"),
    19: ("tip", "record", "zigzag"),
    20: ("tip_currency", "record", "string"),
    21: ("attribute count", "record", "varint"),
    22: ("ref_id", "record", "varint"),
    23: ("handling", "record", "varint"),
    24: ("assignee", "record", "string"),
    25: ("assignee_kind", "record", "varint"),
    26: ("answer metric", "answer", "varint"),
    27: ("answer score", "answer", "number"),
    28: ("answer name", "custom answer", "string"),
    29: ("answer scale min", "custom answer", "number"),
    30: ("answer scale max", "custom answer", "number"),
    31: ("tag", "tag", "string"),
    32: ("attribute key", "attribute", "string"),
    33: ("attribute value", "attribute", "string"),
}
KNOWN_STREAMS = {DICT_STREAM} | set(COLUMNS)
# the value a column left out of the table holds, by encoding ("Values")
ENCODING_DEFAULTS = {"varint": 0, "zigzag": 0, "string": "", "number": 0}
# unit -> the record column that counts it, and the per-record limit (RECORD.md)
COUNTS = {"answer": (11, 32), "tag": (14, 64), "attribute": (21, 64)}
# record columns holding an enumeration's number: id -> (JSON name, names)
ENUMS = {3: ("kind", KINDS), 7: ("customer_status", STATUSES), 9: ("channel", CHANNELS),
         10: ("source", SOURCES), 23: ("handling", HANDLINGS),
         25: ("assignee_kind", ASSIGNEE_KINDS)}
# record string columns -> JSON name
STRINGS = {6: "customer_id", 12: "text", 13: "language", 15: "agent_id", 16: "ticket_id",
           17: "product", 18: "country", 20: "tip_currency", 24: "assignee"}
# string columns with a length limit in bytes (RECORD.md): id -> (min, max)
LENGTHS = {6: (0, 256), 12: (0, 65536), 31: (1, 128), 32: (1, 128), 33: (0, 4096)}
# code columns: id -> number of letters A-Z ("" is allowed too)
CODES = {18: 2, 20: 3}
# JSON fields in the order `feedback cat` writes them, with their defaults
DEFAULTS = {"id": 0, "kind": "response", "created_at": None, "interaction_at": None,
            "customer_id": "", "customer_status": "unknown", "customer_verified": False,
            "win_back": False, "channel": "other", "source": "direct", "answers": {},
            "text": "", "language": "", "tags": [], "agent_id": "", "ticket_id": "",
            "product": "", "country": "", "tip": 0, "tip_currency": "", "attributes": {},
            "ref_id": 0, "handling": "new", "assignee": "", "assignee_kind": "person"}


class Damage(Exception):
    pass


def damage_if(cond, msg):
    if cond:
        raise Damage(msg)


def crc(*parts):
    return zlib.crc32(b"".join(parts)) & 0xFFFFFFFF


def varint(buf, pos, end):
    """Unsigned LEB128 from buf[pos:end]; returns (value, new position)."""
    v = shift = 0
    for i in range(10):
        damage_if(pos >= end, "varint cut off")
        b = buf[pos]
        pos += 1
        damage_if(i == 9 and b > 1, "varint longer than 64 bits")
        v |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return v, pos
    raise Damage("varint longer than 10 bytes")


def unzigzag(u):
    return (u >> 1) ^ -(u & 1)


def iso(ms):
    """Unix milliseconds -> ISO 8601 UTC, milliseconds only when not zero."""
    days, rem = divmod(ms, 86400000)
    z = days + 719468                      # civil_from_days (H. Hinnant)
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    y = yoe + era * 400 + (m <= 2)
    s, frac = divmod(rem, 1000)
    out = "%04d-%02d-%02dT%02d:%02d:%02d" % (y, m, d, s // 3600, s // 60 % 60, s % 60)
    return out + (".%03dZ" % frac if frac else "Z")


def num(x):
    """A score or scale bound as IO.md writes it: whole numbers without '.0'."""
    return int(x) if x == int(x) and abs(x) < 2 ** 53 else x


class Chunk:
    """Decodes the records of one data chunk from its DICT and its columns."""

    def __init__(self, streams, count, min_t, max_t):
        self.streams, self.count = streams, count
        self.min_t, self.max_t, self.times = min_t, max_t, []
        self.dict, self.dict_str = [], {}
        d = streams.get(DICT_STREAM, b"")    # no DICT in the table: an empty dictionary
        pos = 0
        while pos < len(d):
            n, pos = varint(d, pos, len(d))
            damage_if(pos + n > len(d), "DICT entry %d runs past its stream" % len(self.dict))
            self.dict.append(bytes(d[pos:pos + n]))
            pos += n

    def string(self, buf, pos, end):
        """A string value: (str, new position)."""
        u, pos = varint(buf, pos, end)
        if u & 1:
            n = u >> 1
            damage_if(pos + n > end, "inline string of %d bytes runs past the column" % n)
            raw, pos = bytes(buf[pos:pos + n]), pos + n
        else:
            i = u >> 1
            if i in self.dict_str:
                return self.dict_str[i], pos
            damage_if(i >= len(self.dict), "DICT entry %d of %d" % (i, len(self.dict)))
            raw = self.dict[i]
        try:
            s = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            raise Damage("invalid UTF-8 at byte %d" % e.start)
        if not u & 1:
            self.dict_str[u >> 1] = s
        return s, pos

    @staticmethod
    def check_string(sid, v):
        """Length limits (RECORD.md) and the shape of codes (FORMAT.md)."""
        if sid in LENGTHS:
            lo, hi = LENGTHS[sid]
            size = len(v.encode("utf-8"))
            damage_if(not lo <= size <= hi, "%d bytes, not %d to %d" % (size, lo, hi))
        if sid in CODES:
            k = CODES[sid]
            damage_if(v and not (len(v) == k and all("A" <= c <= "Z" for c in v)),
                      "%r is neither empty nor %d letters A-Z" % (v, k))

    @staticmethod
    def number(buf, pos, end, may_be_absent):
        """A number value: (int, float or None for "no value", new position)."""
        u, pos = varint(buf, pos, end)
        if not u & 1:
            n = unzigzag(u >> 1)
            damage_if(abs(n) > 2 ** 53, "whole number %d beyond 2^53 in magnitude" % n)
            return n, pos
        if u == 1:
            damage_if(pos + 8 > end, "double cut off")
            (x,) = struct.unpack_from("<d", buf, pos)
            damage_if(not math.isfinite(x), "number %r" % x)
            return x, pos + 8
        damage_if(u != 3, "number with odd tag %d" % u)
        damage_if(not may_be_absent, "'no value' outside the answer score column")
        return None, pos

    def column(self, sid, n):
        """The n values of column sid (its default n times when left out)."""
        name, unit, enc = COLUMNS[sid]
        buf = self.streams.get(sid)
        if buf is None:
            values = [ENCODING_DEFAULTS[enc]] * n
            try:
                if n and enc == "string":      # the default must be sound too
                    self.check_string(sid, values[0])
            except Damage as e:
                raise Damage("column %d (%s), left out: its default: %s" % (sid, name, e))
            return values
        values, pos, end = [], 0, len(buf)
        try:
            for _ in range(n):
                if enc == "string":
                    v, pos = self.string(buf, pos, end)
                    self.check_string(sid, v)
                elif enc == "number":
                    v, pos = self.number(buf, pos, end, sid == 27)
                else:
                    v, pos = varint(buf, pos, end)
                    if enc == "zigzag":
                        v = unzigzag(v)
                values.append(v)
            damage_if(pos != end, "%d bytes after its last value" % (end - pos))
        except Damage as e:
            raise Damage("column %d (%s), %s value %d of %d: %s" % (sid, name, unit, len(values), n, e))
        return values

    def records(self):
        """The chunk's records, in order, as JSON objects; Damage if any
        value is unsound (the whole chunk is then damaged)."""
        n, col, units = self.count, {}, {"record": self.count}
        damage_if(4 not in self.streams, "no created_at column (4)")
        for unit, (sid, limit) in COUNTS.items():     # counts first: they size the other units
            col[sid] = self.column(sid, n)
            over = [c for c in col[sid] if c > limit]
            damage_if(over, "column %d (%s): %d, over the limit of %d" % (sid, COLUMNS[sid][0], over[0] if over else 0, limit))
            units[unit] = sum(col[sid])
        # the answer metrics say which answers are custom: those size the custom answer columns
        col[26] = self.column(26, units["answer"])
        units["custom answer"] = sum(1 for m in col[26] if m == 8)
        self.custom_index, k = {}, 0
        for j, m in enumerate(col[26]):
            if m == 8:
                self.custom_index[j], k = k, k + 1
        for sid, (_, unit, _) in COLUMNS.items():
            if sid not in col:
                col[sid] = self.column(sid, units[unit])
        for sid, (name, names) in ENUMS.items():
            bad = [v for v in col[sid] if v >= len(names)]
            damage_if(bad, "%s: %d is not a known value" % (name, bad[0] if bad else 0))
        bad = [m for m in col[26] if m >= len(METRICS)]
        damage_if(bad, "answer metric: %d is not a known metric" % (bad[0] if bad else 0))

        out, prev_id, t, ai, ti, xi = [], 0, self.min_t, 0, 0, 0
        for i in range(n):
            rec = {k: (v.copy() if isinstance(v, (list, dict)) else v) for k, v in DEFAULTS.items()}
            rid = (prev_id + col[2][i]) % 2 ** 64
            prev_id, t = rid, t + col[4][i]
            damage_if(not self.min_t <= t <= self.max_t,
                      "record %d: created_at %d outside the chunk's min..max %d..%d" % (i, t, self.min_t, self.max_t))
            self.times.append(t)
            rec["id"], rec["created_at"] = rid, iso(t)
            if col[5][i]:
                rec["interaction_at"] = iso(t - unzigzag(col[5][i] - 1))
            for sid, (name, names) in ENUMS.items():
                rec[name] = names[col[sid][i]]
            for sid, name in STRINGS.items():
                rec[name] = col[sid][i]
            flags = col[8][i]
            rec["customer_verified"], rec["win_back"] = bool(flags & 1), bool(flags & 2)
            rec["tip"] = col[19][i]
            if col[22][i]:
                rec["ref_id"] = (rid - unzigzag(col[22][i] - 1)) % 2 ** 64
            seen = set()
            for j in range(ai, ai + col[11][i]):
                key, score, ident = self.answer(col, j)
                damage_if(ident in seen, "record %d: a second %s answer" % (i, key))
                seen.add(ident)
                rec["answers"][key] = score
            ai += col[11][i]
            rec["tags"] = col[31][ti:ti + col[14][i]]
            ti += col[14][i]
            for j in range(xi, xi + col[21][i]):
                key = col[32][j]
                damage_if(key in rec["attributes"], "record %d: attribute key %r twice" % (i, key))
                rec["attributes"][key] = col[33][j]
            xi += col[21][i]
            out.append({k: v for k, v in rec.items()
                        if k in ("id", "kind", "created_at") or v != DEFAULTS[k]})
        return out

    def answer(self, col, j):
        """Answer j of the chunk: (JSON key, score or None, identity for duplicates)."""
        metric, score = col[26][j], col[27][j]
        if metric == 8:
            k = self.custom_index[j]
            name, lo, hi = col[28][k], col[29][k], col[30][k]
            damage_if(not name or name in METRICS or not lo < hi,
                      "answer %d: custom answer without a name or a scale min < max" % j)
            key, (smin, smax), ident = "%s(%s..%s)" % (name, num(lo), num(hi)), (lo, hi), ("custom", name)
        else:
            key, (smin, smax), ident = METRICS[metric], SCALES[metric], metric
        if score is None:                      # skipped
            return key, None, ident
        damage_if(not smin <= score <= smax or metric == 6 and score not in (0, 1),
                  "answer %d: %s: score %r outside its scale" % (j, key, score))
        return key, num(score), ident


def inflate(body, raw):
    """Raw deflate that must end exactly at the end of body with raw bytes."""
    d = zlib.decompressobj(-15)
    try:
        out = d.decompress(body, raw + 1)  # at most one byte more than declared
    except zlib.error as e:
        raise Damage("deflate: %s" % e)
    damage_if(len(out) != raw or not d.eof or d.unused_data or d.unconsumed_tail,
              "does not inflate to exactly %d bytes" % raw)
    return out


def data_payload(payload, raw_total):
    """Parses a data chunk's stream table and returns {stream id: raw bytes}
    for the streams this reader decodes; streams of unknown ids are skipped,
    neither checked one by one nor inflated."""
    end = len(payload)
    s, pos = varint(payload, 0, end)
    damage_if(not 1 <= s <= MAX_STREAMS, "%d streams" % s)
    table = []
    for _ in range(s):                 # parse within P; no length used yet
        damage_if(pos + 2 > end, "stream table cut off")
        sid, codec = payload[pos], payload[pos + 1]
        stored, pos = varint(payload, pos + 2, end)
        raw, pos = varint(payload, pos, end)
        damage_if(pos + 4 > end, "stream table cut off")
        (scrc,) = struct.unpack_from("<I", payload, pos)
        pos += 4
        table.append((sid, codec, stored, raw, scrc))
    damage_if(pos + 4 > end, "stream table CRC cut off")
    damage_if(crc(payload[:pos]) != struct.unpack_from("<I", payload, pos)[0], "stream table CRC")
    pos += 4
    damage_if(sum(t[2] for t in table) != end - pos,
              "stored lengths add up to %d, the bodies take %d bytes" % (sum(t[2] for t in table), end - pos))
    damage_if(sum(t[3] for t in table) != raw_total,
              "raw lengths add up to %d, the header's R is %d" % (sum(t[3] for t in table), raw_total))
    ids = [t[0] for t in table]
    damage_if(len(set(ids)) != len(ids), "a stream id twice in the table")
    for sid, codec, stored, raw, _ in table:
        damage_if(codec == 0 and stored != raw, "stream %d: stored, with stored length %d != raw length %d" % (sid, stored, raw))
        damage_if(codec == 1 and raw > DEFLATE_RATIO * stored + DEFLATE_RATIO,
                  "stream %d: %d raw bytes declared for %d deflated bytes" % (sid, raw, stored))
    streams = {}
    for sid, codec, stored, raw, scrc in table:
        body = payload[pos:pos + stored]
        pos += stored
        if sid not in KNOWN_STREAMS:
            continue                   # an unknown stream id: skipped
        damage_if(crc(body) != scrc, "stream %d: CRC" % sid)
        if codec == 0:
            streams[sid] = body
        elif codec == 1:
            try:
                streams[sid] = inflate(body, raw)
            except Damage as e:
                raise Damage("stream %d: %s" % (sid, e))
        else:
            raise Damage("stream %d: codec %d, unknown to this reader (a newer minor version?)" % (sid, codec))
    return streams


def header_ok(data, pos, end):
    """A chunk header at pos whose CRC verifies (used when scanning past damage)."""
    return pos + 60 <= end and crc(data[pos:pos + 56]) == struct.unpack_from("<I", data, pos + 56)[0]


def read_log(data, out, warn):
    if data[:8] != MAGIC:
        raise SystemExit("not a libfeedback log")
    if len(data) < 36:
        raise SystemExit("file header cut off")
    major, minor = data[8], data[9]
    if major != 1:
        raise SystemExit("log format version %d.%d is not supported" % (major, minor))
    sync = data[12:28]
    (m,) = struct.unpack_from("<I", data, 28)
    if m > 65536 or len(data) < 36 + m or crc(data[:32 + m]) != struct.unpack_from("<I", data, 32 + m)[0]:
        raise SystemExit("file header damaged")
    pos, mend = 32, 32 + m                 # metadata: tagged fields, skip unknown
    try:
        while pos < mend:
            tag, pos = varint(data, pos, mend)
            wt = tag & 7
            if wt == 0:
                _, pos = varint(data, pos, mend)
            elif wt == 1:
                pos += 8
            elif wt == 2:
                n, pos = varint(data, pos, mend)
                pos += n
            else:
                raise Damage("wire type %d" % wt)
            damage_if(pos > mend, "a field runs past the metadata")
    except Damage as e:
        raise SystemExit("bad metadata: %s" % e)
    end, trailer = len(data), None
    if end >= mend + 4 + 32 and data[end - 16:end - 8] == b"FBLINDEX":
        t = data[end - 32:]
        if crc(t[:24], sync) == struct.unpack_from("<I", t, 24)[0] and t[28:] == b"\0" * 4:
            trailer, end = struct.unpack_from("<QQ", t), end - 32
    pos, nrec, chunks, index, damaged = mend + 4, 0, [], None, 0
    while pos < end:
        h = data[pos:pos + 60]
        ok = len(h) == 60 and h[:16] == sync and crc(h[:56]) == struct.unpack_from("<I", h, 56)[0]
        if ok:                             # byte 17 is reserved: ignored
            ctype, _, _, count, p, r, seq, tmin, tmax = struct.unpack_from("<BBHIIIQqq", h, 16)
            ok = p <= MAX_P and r <= MAX_R and count <= MAX_COUNT and tmin <= tmax
        if not ok:
            if len(h) < 60 and h == data[pos:end] and sync.startswith(h[:16]):
                warn("offset %d: torn chunk header at the end" % pos)
                damaged += 1
                break
            nxt = data.find(sync, pos + 1, end)
            while nxt >= 0 and not header_ok(data, nxt, end):
                nxt = data.find(sync, nxt + 1, end)
            warn("offset %d: damaged chunk header, skipping to %s" % (pos, nxt if nxt >= 0 else "end"))
            damaged += 1
            if nxt < 0:
                break
            pos = nxt
            continue
        if pos + 64 + p > end:
            warn("offset %d: torn chunk (%d records lost)" % (pos, count))
            damaged += 1
            break
        payload = data[pos + 60:pos + 60 + p]
        start, pos = pos, pos + 64 + p
        try:
            damage_if(crc(payload) != struct.unpack_from("<I", data, pos - 4)[0], "payload CRC")
            if ctype == 1:
                if seq != nrec:
                    warn("offset %d: first sequence number %d, expected %d" % (start, seq, nrec))
                ch = Chunk(data_payload(payload, r), count, tmin, tmax)
                recs = ch.records()
                if recs and (min(ch.times) != tmin or max(ch.times) != tmax):
                    warn("offset %d: min/max created_at are not those of the records" % start)
                out.extend(recs)
                nrec += count
                chunks.append((start, count, tmin, tmax))
            elif ctype == 0x82:
                index = (start, seq, tmin, tmax, bytes(payload), r)
            elif not ctype & 0x80:
                raise Damage("unknown chunk type %d" % ctype)
        except Damage as e:
            warn("offset %d: damaged chunk (%d records lost): %s" % (start, count, e))
            damaged += 1
    if trailer:
        try:
            check_index(trailer, index, chunks, nrec, warn)
        except Damage as e:
            warn("index chunk does not parse: %s" % e)
    return damaged


def check_index(trailer, index, chunks, nrec, warn):
    off, total = trailer
    if index is None or index[0] != off:
        return warn("trailer points at %d, not at the index chunk" % off)
    _, seq, tmin, tmax, p, r = index
    if total != nrec or seq != nrec:
        warn("index/trailer record count %d/%d, read %d" % (seq, total, nrec))
    if r != len(p):
        warn("index chunk: raw length %d, payload length %d" % (r, len(p)))
    if chunks and (tmin != min(c[2] for c in chunks) or tmax != max(c[3] for c in chunks)):
        warn("index min/max created_at are not those of the file")
    n, pos = varint(p, 0, len(p))
    entries, o = [], 0
    for _ in range(n):
        v = []
        for _ in range(4):     # offset delta, record count, min - index min, max - min
            x, pos = varint(p, pos, len(p))
            v.append(x)
        d, c, lo, hi = v
        o += d
        entries.append((o, c, tmin + lo, tmin + lo + hi))
    if pos != len(p) or entries != chunks:
        warn("index entries do not match the data chunks")


def main():
    if len(sys.argv) != 2:
        raise SystemExit("usage: independent_reader.py LOG")
    with open(sys.argv[1], "rb") as f:
        data = f.read()
    problems, out = [], []
    damaged = read_log(data, out, problems.append)
    w = sys.stdout.buffer
    for rec in out:
        w.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n")
    for p in problems:
        sys.stderr.write("independent_reader: %s\n" % p)
    sys.exit(1 if damaged or problems else 0)


if __name__ == "__main__":
    main()
