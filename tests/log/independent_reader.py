#!/usr/bin/python3
"""An independent reader of the libfeedback log format, written from
docs/FORMAT.md and docs/RECORD.md alone (standard library only).

Usage: independent_reader.py LOG > records.jsonl

Prints the log's records as JSON Lines in the form of `feedback cat LOG --to
jsonl` (docs/IO.md). Damage is reported on stderr and the exit status is 1.
"""
import json
import struct
import sys
import zlib

MAGIC = b"\x89FBL\r\n\x1a\n"
MAX_P, MAX_R, MAX_COUNT = 68157440, 67108864, 1000000
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
# field number -> (JSON name, string?) for the plain string fields
STRINGS = {5: "customer_id", 11: "text", 12: "language", 14: "agent_id", 15: "ticket_id",
           16: "product", 17: "country", 19: "tip_currency", 23: "assignee"}
ENUMS = {2: ("kind", KINDS), 6: ("customer_status", STATUSES), 8: ("channel", CHANNELS),
         9: ("source", SOURCES), 22: ("handling", HANDLINGS),
         24: ("assignee_kind", ASSIGNEE_KINDS)}
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
    """Decodes the records of one data chunk's NUM, DICT and TEXT streams."""

    def __init__(self, num_s, dict_s, text_s, min_t, max_t):
        self.num, self.text, self.tpos = num_s, text_s, 0
        self.min_t, self.max_t, self.times = min_t, max_t, []
        self.dict, pos = [], 0
        while pos < len(dict_s):
            n, pos = varint(dict_s, pos, len(dict_s))
            damage_if(pos + n > len(dict_s), "DICT entry runs past its stream")
            self.dict.append(bytes(dict_s[pos:pos + n]))
            pos += n

    def fields(self, pos, end):
        """Yields (field number, wire type, value, position after) up to end
        or a zero tag (then field number 0)."""
        while pos < end:
            tag, pos = varint(self.num, pos, end)
            if tag == 0:
                yield 0, 0, None, pos
                return
            no, wt = tag >> 3, tag & 7
            if wt == 0:
                v, pos = varint(self.num, pos, end)
            elif wt == 1:
                damage_if(pos + 8 > end, "FIXED64 cut off")
                v = struct.unpack_from("<d", self.num, pos)[0]
                pos += 8
            elif wt == 2:
                n, pos = varint(self.num, pos, end)
                damage_if(pos + n > end, "LEN field runs past its buffer")
                v = (pos, pos + n)
                pos += n
            elif wt == 3:
                n, pos = varint(self.num, pos, end)
                damage_if(self.tpos + n > len(self.text), "TEXT reference runs past the TEXT stream")
                v = bytes(self.text[self.tpos:self.tpos + n])
                self.tpos += n
            elif wt == 4:
                i, pos = varint(self.num, pos, end)
                damage_if(i >= len(self.dict), "DICT index %d out of range" % i)
                v = self.dict[i]
            else:
                raise Damage("wire type %d" % wt)
            yield no, wt, v, pos

    def skip_len(self, span):
        """An unknown LEN field: walk its sub-message to consume TEXT references."""
        for no, wt, v, _ in self.fields(*span):
            damage_if(no == 0, "zero tag inside a sub-message")
            if wt == 2:
                self.skip_len(v)

    def string(self, no, wt, v):
        damage_if(wt not in (3, 4), "field %d: wire type %d for a string" % (no, wt))
        try:
            return v.decode("utf-8")
        except UnicodeDecodeError:
            raise Damage("field %d: invalid UTF-8" % no)

    def answer(self, span):
        metric, score, skipped, name, lo, hi = 0, 0, False, "", 0.0, 0.0
        for no, wt, v, _ in self.fields(*span):
            damage_if(no == 0, "zero tag inside an answer")
            if no == 1 and wt == 0:
                metric = v
            elif no == 2 and wt == 0 or no == 3 and wt == 1:
                score = v
            elif no == 4 and wt == 0:
                skipped = v == 1
            elif no == 5:
                name = self.string(no, wt, v)
            elif no in (6, 7) and wt == 1:
                lo, hi = (v, hi) if no == 6 else (lo, v)
            elif no <= 7:
                raise Damage("answer field %d with wire type %d" % (no, wt))
            elif wt == 2:
                self.skip_len(v)
        damage_if(metric >= len(METRICS), "unknown metric %d" % metric)
        if metric == 8:
            damage_if(not name or name in METRICS or not lo < hi, "custom answer without name or scale")
            key, (smin, smax) = "%s(%s..%s)" % (name, num(lo), num(hi)), (lo, hi)
        else:
            key, (smin, smax) = METRICS[metric], SCALES[metric]
        if skipped:
            return key, None
        damage_if(not smin <= score <= smax or metric == 6 and score not in (0, 1), "%s: score %r outside its scale" % (key, score))
        return key, num(score)

    def attribute(self, span):
        key = value = ""
        for no, wt, v, _ in self.fields(*span):
            damage_if(no == 0, "zero tag inside an attribute")
            if no in (1, 2):
                s = self.string(no, wt, v)
                key, value = (s, value) if no == 1 else (key, s)
            elif wt == 2:
                self.skip_len(v)
        damage_if(not key or key in self.rec_attrs, "empty or repeated attribute key")
        self.rec_attrs[key] = value

    def records(self):
        pos, end, prev_id = 0, len(self.num), 0
        while pos < end:
            rec = {k: (v.copy() if isinstance(v, (list, dict)) else v) for k, v in DEFAULTS.items()}
            rec["created_at"] = self.min_t
            self.rec_attrs, zi, zref, done = rec["attributes"], None, None, False
            for no, wt, v, pos in self.fields(pos, end):
                if no == 0:
                    done = True
                    break
                damage_if(no in (1, 3, 4, 6, 7, 8, 9, 18, 21, 22, 24, 2) and wt != 0, "field %d with wire type %d" % (no, wt))
                if no == 1:
                    rec["id"] = (prev_id + unzigzag(v)) % 2 ** 64
                elif no in ENUMS:
                    name, names = ENUMS[no]
                    damage_if(v >= len(names), "%s: %d is not a known value" % (name, v))
                    rec[name] = names[v]
                elif no == 3:
                    rec["created_at"] = self.min_t + v
                elif no == 4:
                    zi = unzigzag(v)
                elif no in STRINGS:
                    rec[STRINGS[no]] = self.string(no, wt, v)
                elif no == 7:
                    rec["customer_verified"], rec["win_back"] = bool(v & 1), bool(v & 2)
                elif no == 10 and wt == 2:
                    key, score = self.answer(v)
                    damage_if(key in rec["answers"], "two answers for %s" % key)
                    rec["answers"][key] = score
                elif no == 13:
                    rec["tags"].append(self.string(no, wt, v))
                elif no == 18:
                    rec["tip"] = unzigzag(v)
                elif no == 20 and wt == 2:
                    self.attribute(v)
                elif no == 21:
                    zref = unzigzag(v)
                elif no in (10, 20):
                    raise Damage("field %d with wire type %d" % (no, wt))
                elif wt == 2:                  # unknown field: skip by wire type
                    self.skip_len(v)
            damage_if(not done, "record not ended by a zero byte")
            prev_id, t = rec["id"], rec["created_at"]
            damage_if(not self.min_t <= t <= self.max_t, "created_at outside the chunk's min..max")
            self.times.append(t)
            if zi is not None:
                rec["interaction_at"] = iso(t - zi)
            if zref is not None:
                rec["ref_id"] = (rec["id"] - zref) % 2 ** 64
            rec["created_at"] = iso(t)
            yield {k: v for k, v in rec.items()
                   if k in ("id", "kind", "created_at") or v != DEFAULTS[k]}
        damage_if(self.tpos != len(self.text), "TEXT stream not used up by the records")


def data_payload(payload, codec, raw_total):
    s, pos = varint(payload, 0, len(payload))
    damage_if(not 1 <= s <= 16, "%d streams" % s)
    table = []
    for _ in range(s):
        damage_if(pos >= len(payload), "stream table cut off")
        sid = payload[pos]
        stored, pos = varint(payload, pos + 1, len(payload))
        raw, pos = varint(payload, pos, len(payload))
        table.append((sid, stored, raw))
    damage_if(sum(t[1] for t in table) != len(payload) - pos or sum(t[2] for t in table) != raw_total, "stream table does not add up")
    streams = {}
    for sid, stored, raw in table:
        body = payload[pos:pos + stored]
        pos += stored
        if codec == 0:
            damage_if(stored != raw, "stored stream with stored length != raw length")
            out = body
        elif codec == 1:
            d = zlib.decompressobj(-15)
            try:
                out = d.decompress(body, raw + 1)
            except zlib.error as e:
                raise Damage("deflate: %s" % e)
            damage_if(len(out) != raw or not d.eof or d.unused_data, "stream %d does not inflate to exactly %d bytes" % (sid, raw))
        else:
            raise Damage("unknown codec %d" % codec)
        damage_if(sid in streams, "stream %d twice" % sid)
        streams[sid] = out
    damage_if(1 not in streams, "no NUM stream")
    return streams


def header_ok(data, pos, end):
    """A chunk header at pos whose CRC verifies (used when scanning past damage)."""
    return pos + 60 <= end and crc(data[pos:pos + 56]) == struct.unpack_from("<I", data, pos + 56)[0]


def read_log(data, out, warn):
    if data[:8] != MAGIC:
        raise SystemExit("not a libfeedback log")
    major, minor = data[8], data[9]
    if major != 1:
        raise SystemExit("log format version %d.%d is not supported" % (major, minor))
    sync = data[12:28]
    (m,) = struct.unpack_from("<I", data, 28)
    if m > 65536 or crc(data[:32 + m]) != struct.unpack_from("<I", data, 32 + m)[0]:
        raise SystemExit("file header damaged")
    pos, mend = 32, 32 + m                 # metadata: tagged fields, skip unknown
    while pos < mend:
        tag, pos = varint(data, pos, mend)
        wt = tag & 7
        if wt == 1:
            pos += 8
        elif wt <= 4:
            n, pos = varint(data, pos, mend)
            pos += n if wt == 2 else 0
        else:
            raise SystemExit("bad metadata")
    end, trailer = len(data), None
    if end >= mend + 4 + 32 and data[end - 16:end - 8] == b"FBLINDEX":
        t = data[end - 32:]
        if crc(t[:24], sync) == struct.unpack_from("<I", t, 24)[0] and t[28:] == b"\0" * 4:
            trailer, end = struct.unpack_from("<QQ", t), end - 32
    pos, nrec, chunks, index, damaged = mend + 4, 0, [], None, 0
    while pos < end:
        h = data[pos:pos + 60]
        ok = len(h) == 60 and h[:16] == sync and crc(h[:56]) == struct.unpack_from("<I", h, 56)[0]
        if ok:
            ctype, codec, _, count, p, r, seq, tmin, tmax = struct.unpack_from("<BBHIIIQqq", h, 16)
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
                st = data_payload(payload, codec, r)
                ch = Chunk(st[1], st.get(2, b""), st.get(3, b""), tmin, tmax)
                recs = list(ch.records())
                damage_if(len(recs) != count, "%d records, header says %d" % (len(recs), count))
                if recs and (min(ch.times) != tmin or max(ch.times) != tmax):
                    warn("offset %d: min/max created_at are not those of the records" % start)
                out.extend(recs)
                nrec += count
                chunks.append((start, count, tmin, tmax))
            elif ctype == 0x82:
                index = (start, seq, tmin, tmax, bytes(payload), codec)
            elif not ctype & 0x80:
                raise Damage("unknown chunk type %d" % ctype)
        except Damage as e:
            warn("offset %d: damaged chunk (%d records lost): %s" % (start, count, e))
            damaged += 1
    if trailer:
        check_index(trailer, index, chunks, nrec, warn)
    return damaged


def check_index(trailer, index, chunks, nrec, warn):
    off, total = trailer
    if index is None or index[0] != off:
        return warn("trailer points at %d, not at the index chunk" % off)
    _, seq, tmin, tmax, p, codec = index
    if total != nrec or seq != nrec or codec != 0:
        warn("index/trailer record count %d/%d, read %d" % (seq, total, nrec))
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
