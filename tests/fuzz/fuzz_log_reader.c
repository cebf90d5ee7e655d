/*
 * libFuzzer harness for the binary log reader, on hostile files.
 *
 * The input is a log held in memory. Beyond "no crash, no leak, no undefined
 * behaviour, no allocation beyond the caps", it checks the promise of log.h
 * that nothing damaged is returned: every record read validates, and the
 * reader's counters agree with what it reported. It reads each input twice,
 * with every field and with a metrics-only projection, and a third time by
 * batches, which must give what the metrics-only read gave.
 *
 * Checksums stop almost every mutation at the door, so the first byte of
 * the input chooses: odd, and the harness first recomputes the file
 * header's and every chunk's CRCs (as a hostile writer would), and in data
 * chunks whose stream table parses, each stream's CRC and the table's,
 * letting the fuzzer reach the decoder with crafted tables, lengths, columns
 * and values.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "feedback/feedback.h"

typedef struct seen {
    uint64_t regions;
    uint64_t bytes;
} seen;

static void on_damage(void *ctx, const fb_log_damage *d)
{
    seen *s = ctx;
    if (d->message[0] == '\0' || d->reason >= 0)
        abort();
    s->regions++;
    s->bytes += d->bytes;
}

/* What a record contributes to a digest of a whole read: its time, channel and answers. */
static uint64_t digest_step(uint64_t h, fb_time created, fb_channel channel,
                            const fb_answer *answers, size_t n_answers)
{
    size_t i;
    h = (h ^ (uint64_t)created) * 0x100000001B3ULL;
    h = (h ^ (uint64_t)channel) * 0x100000001B3ULL;
    h = (h ^ n_answers) * 0x100000001B3ULL;
    for (i = 0; i < n_answers; i++) {
        uint64_t bits;
        memcpy(&bits, &answers[i].score, sizeof bits);
        h = (h ^ (uint64_t)answers[i].metric ^ bits) * 0x100000001B3ULL;
    }
    return h;
}

/* The digest of a read by batches with fields, and how many records it gave. */
static uint64_t batch_digest(const uint8_t *data, size_t size, uint32_t fields, uint64_t *count)
{
    fb_log_reader_options o;
    fb_log_reader *r = NULL;
    fb_record_batch b;
    uint64_t h = 0;
    size_t i;

    *count = 0;
    fb_log_reader_options_init(&o);
    o.fields = fields;
    if (fb_log_reader_open_memory(&r, data, size, &o, NULL) != FB_OK)
        return 0;
    while (fb_log_reader_next_batch(r, &b, NULL) == FB_OK) {
        if (b.n == 0)
            abort();
        for (i = 0; i < b.n; i++) {
            if (b.answers_of[i + 1] < b.answers_of[i])
                abort();
            h = digest_step(h, b.created_at[i], b.channel[i], b.answers + b.answers_of[i],
                            b.answers_of[i + 1] - b.answers_of[i]);
        }
        *count += b.n;
    }
    fb_log_reader_close(r);
    return h;
}

/*
 * Reads the whole input a record at a time and checks what log.h promises;
 * returns the digest of the records read (0 when it is not a readable log)
 * and sets *count to their number.
 */
static uint64_t read_all(const uint8_t *data, size_t size, uint32_t fields, uint64_t *count)
{
    fb_log_reader_options o;
    fb_log_reader *r = NULL;
    const fb_record *rec;
    fb_log_stats st;
    seen s = {0, 0};
    uint64_t n = 0, h = 0;

    *count = 0;
    fb_log_reader_options_init(&o);
    o.fields = fields;
    o.on_damage = on_damage;
    o.on_damage_ctx = &s;
    if (fb_log_reader_open_memory(&r, data, size, &o, NULL) != FB_OK)
        return 0; /* not a log, a newer version, a damaged file header */
    while (fb_log_reader_next(r, &rec, NULL) == FB_OK) {
        if (fields == FB_LOG_FIELD_ALL && fb_record_validate(rec, NULL) != FB_OK)
            abort();
        if (rec->created_at < FB_TIME_MIN || rec->created_at > FB_TIME_MAX)
            abort();
        h = digest_step(h, rec->created_at, rec->channel, rec->answers, rec->n_answers);
        n++;
    }
    fb_log_reader_stats(r, &st);
    if (st.records != n || st.damaged_regions != s.regions || st.damaged_bytes != s.bytes ||
        s.bytes > size)
        abort();
    fb_log_reader_close(r);
    *count = n;
    return h;
}

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_crc(uint8_t *at, const uint8_t *from, size_t len)
{
    uint32_t c = (uint32_t)crc32(0L, from, (uInt)len);
    at[0] = (uint8_t)c;
    at[1] = (uint8_t)(c >> 8);
    at[2] = (uint8_t)(c >> 16);
    at[3] = (uint8_t)(c >> 24);
}

/* A varint at p[*pos, len) (FORMAT.md: at most 10 bytes); -1 when cut off or too long. */
static int get_varint(const uint8_t *p, size_t len, size_t *pos, uint64_t *v)
{
    uint64_t x = 0;
    size_t i;

    for (i = 0; i < 10 && *pos + i < len; i++) {
        x |= (uint64_t)(p[*pos + i] & 0x7F) << (7 * i);
        if (!(p[*pos + i] & 0x80)) {
            if (i == 9 && p[*pos + i] > 1)
                return -1;
            *pos += i + 1;
            *v = x;
            return 0;
        }
    }
    return -1;
}

/*
 * In the payload p[0, len) of a data chunk whose stream table parses
 * (FORMAT.md, "Data chunk payload"): each stream's CRC, over the body its
 * stored length gives it (the bodies in table order after the table), for
 * as many as lie within the payload, then the table's CRC.
 */
static void fix_stream_table(uint8_t *p, size_t len)
{
    size_t crc_at[64], pos = 0, off, i;
    uint64_t n, stored[64], raw;

    if (get_varint(p, len, &pos, &n) != 0 || n < 1 || n > 64)
        return;
    for (i = 0; i < n; i++) {
        pos += 2; /* id, codec */
        if (pos > len || get_varint(p, len, &pos, &stored[i]) != 0 ||
            get_varint(p, len, &pos, &raw) != 0 || len - pos < 4)
            return;
        crc_at[i] = pos;
        pos += 4;
    }
    if (len - pos < 4)
        return;
    for (off = pos + 4, i = 0; i < n && stored[i] <= len - off; i++) {
        put_crc(p + crc_at[i], p + off, (size_t)stored[i]);
        off += (size_t)stored[i];
    }
    put_crc(p + pos, p, pos);
}

/*
 * Recomputes the CRCs of the file header and of the chunks that follow it
 * back to back (FORMAT.md): each chunk's header CRC, a data chunk's stream
 * and table CRCs, then the payload CRC over the result.
 */
static void fix_checksums(uint8_t *d, size_t size)
{
    size_t m, off;

    if (size < 36)
        return;
    m = get_u32(d + 28);
    if (m > 65536 || 36 + m > size)
        return;
    put_crc(d + 32 + m, d, 32 + m);
    for (off = 36 + m; off + 64 <= size && memcmp(d + off, d + 12, 16) == 0;) {
        size_t p = get_u32(d + off + 24);
        put_crc(d + off + 56, d + off, 56);
        if (p > size - off - 64)
            return;
        if (d[off + 16] == 1) /* a data chunk */
            fix_stream_table(d + off + 60, p);
        put_crc(d + off + 60 + p, d + off + 60, p);
        off += 64 + p;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint64_t h, n, n_batches;
    uint8_t *copy;

    if (size < 1)
        return 0;
    copy = malloc(size - 1 ? size - 1 : 1);
    if (!copy)
        return 0;
    memcpy(copy, data + 1, size - 1);
    if (data[0] & 1)
        fix_checksums(copy, size - 1);
    (void)read_all(copy, size - 1, FB_LOG_FIELD_ALL, &n);
    /* Reading by batches gives exactly what reading a record at a time gives. */
    h = read_all(copy, size - 1, FB_LOG_FIELD_CHANNEL | FB_LOG_FIELD_ANSWERS, &n);
    if (batch_digest(copy, size - 1, FB_LOG_FIELD_CHANNEL | FB_LOG_FIELD_ANSWERS, &n_batches) !=
            h ||
        n_batches != n)
        abort();
    free(copy);
    return 0;
}
