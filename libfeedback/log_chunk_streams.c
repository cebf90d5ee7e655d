/*
 * The data-chunk decoder's life cycle, and the streams of a payload (layout in
 * log_format.h): the stream table and its CRC, fetching a stream (in place
 * from memory, or read from the file), checking its CRC, inflating it within
 * the lengths it declares and the format's caps, and loading DICT (indexed).
 * The columns are decoded in log_chunk_decode.c.
 */
#include <string.h>
#include <zlib.h> /* crc32 */

#include "alloc_private.h"
#include "deflate_backend.h"
#include "error_private.h"
#include "log_chunk.h"
#include "log_chunk_dec.h"
#include "varint.h"

/*
 * Deflate never compresses better than 1032:1 (RFC 1951: 258 bytes in 2 bits).
 * Checked with the table, before any stream is inflated: with FB__LOG_MAX_RAW
 * it bounds the output buffer, which libdeflate needs whole up front.
 */
#define DEFLATE_MAX_RATIO 1032u

/* ---------------------------------------------------------------- life cycle */

fb_status fb__chunk_dec_new(const fb_allocator *alloc, fb__chunk_dec **out)
{
    fb__chunk_dec *d;
    int m;

    if (!out)
        return FB_ERR_INVALID_ARG;
    *out = NULL;
    d = fb__calloc(alloc, sizeof *d);
    if (!d)
        return FB_ERR_NOMEM;
    d->alloc = alloc;
    for (m = 0; m < FB_METRIC_CUSTOM; m++)
        fb_metric_scale((fb_metric)m, &d->scale_lo[m], &d->scale_hi[m]);
    d->n_kind = (uint64_t)fb_enum_count(FB_ENUM_KIND);
    d->n_status = (uint64_t)fb_enum_count(FB_ENUM_CUSTOMER_STATUS);
    d->n_channel = (uint64_t)fb_enum_count(FB_ENUM_CHANNEL);
    d->n_source = (uint64_t)fb_enum_count(FB_ENUM_SOURCE);
    d->n_metric = (uint64_t)fb_enum_count(FB_ENUM_METRIC);
    d->n_handling = (uint64_t)fb_enum_count(FB_ENUM_HANDLING);
    d->n_assignee = (uint64_t)fb_enum_count(FB_ENUM_ASSIGNEE_KIND);
    *out = d;
    return FB_OK;
}

void fb__chunk_dec_free(fb__chunk_dec *d)
{
    unsigned i;

    if (!d)
        return;
    fb__inflater_free(d->inf);
    for (i = 0; i <= FB__COL_LAST; i++)
        fb__free(d->alloc, d->buf[i]);
    fb__free(d->alloc, d->packed);
    fb__chunk_dec_free_fields(d);
    fb__free(d->alloc, d->answers);
    fb__free(d->alloc, d->tags);
    fb__free(d->alloc, d->attrs);
    fb__free(d->alloc, d->custom);
    fb__free(d->alloc, d->dict);
    fb__free(d->alloc, d);
}

uint64_t fb__chunk_dec_fetched_streams(const fb__chunk_dec *d) { return d ? d->fetched : 0; }

/* ---------------------------------------------------------------- errors */

fb_status fb__chunk_dec_corrupt(ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fb__verror(c->err, FB_ERR_CORRUPT, NULL, fmt, ap);
    va_end(ap);
    return FB_ERR_CORRUPT;
}

static const char *stream_name(unsigned id)
{
    const fb__col_info *info = fb__col_info_of(id);
    return info ? info->name : id == FB__COL_DICT ? "DICT" : "unknown";
}

/* ---------------------------------------------------------------- fetching */

/* Makes *buf hold at least size bytes (contents not kept). */
static fb_status reserve(fb__chunk_dec *d, uint8_t **buf, size_t *cap, size_t size)
{
    uint8_t *p;
    if (size <= *cap && *buf)
        return FB_OK;
    p = fb__realloc(d->alloc, *buf, *cap, size ? size : 1);
    if (!p)
        return FB_ERR_NOMEM;
    *buf = p;
    *cap = size ? size : 1;
    return FB_OK;
}

/* Payload bytes [off, off + n): in place, or read into *buf (grown as needed). */
static fb_status fetch(ctx *c, uint32_t off, uint32_t n, uint8_t **buf, size_t *cap,
                       const uint8_t **out)
{
    if (c->src->mem) {
        *out = c->src->mem + off;
        return FB_OK;
    }
    FB__TRY(reserve(c->d, buf, cap, n));
    if (n)
        FB__TRY(c->src->read(c->src->ctx, off, *buf, n, c->err));
    *out = *buf;
    return FB_OK;
}

/* ---------------------------------------------------------------- the table */

fb_status fb__chunk_dec_parse_table(ctx *c)
{
    const fb__chunk_header *h = c->h;
    size_t len = h->payload_len, avail, pos = 0, off;
    const uint8_t *p;
    uint64_t n, i, raw_sum = 0, stored_sum = 0, seen[4] = {0, 0, 0, 0};
    uint32_t crc;
    struct {
        uint8_t id, codec;
        uint64_t stored, raw;
        uint32_t crc;
    } t[FB__LOG_MAX_STREAMS];

    /* The table ends where parsing says; it cannot be longer than this. */
    avail = len < sizeof c->d->table ? len : sizeof c->d->table;
    if (c->src->mem) {
        p = c->src->mem;
    } else {
        FB__TRY(c->src->read(c->src->ctx, 0, c->d->table, avail, c->err));
        p = c->d->table;
    }
    if (fb__get_varint(p, avail, &pos, &n) != 0)
        return fb__chunk_dec_corrupt(c, "stream table: %s", fb__varint_error(p, avail, 0));
    if (n < 1 || n > FB__LOG_MAX_STREAMS)
        return fb__chunk_dec_corrupt(c, "stream table: %llu streams, not 1..%d",
                                     (unsigned long long)n, FB__LOG_MAX_STREAMS);
    for (i = 0; i < n; i++) {
        size_t at;
        if (fb__get_u8(p, avail, &pos, &t[i].id) != 0 ||
            fb__get_u8(p, avail, &pos, &t[i].codec) != 0)
            return fb__chunk_dec_corrupt(c, "stream table: truncated");
        at = pos;
        if (fb__get_varint(p, avail, &pos, &t[i].stored) != 0)
            return fb__chunk_dec_corrupt(c, "stream table: %s", fb__varint_error(p, avail, at));
        at = pos;
        if (fb__get_varint(p, avail, &pos, &t[i].raw) != 0)
            return fb__chunk_dec_corrupt(c, "stream table: %s", fb__varint_error(p, avail, at));
        if (fb__get_le32(p, avail, &pos, &t[i].crc) != 0)
            return fb__chunk_dec_corrupt(c, "stream table: truncated");
    }
    if (avail - pos < 4)
        return fb__chunk_dec_corrupt(c, "stream table: truncated");
    crc = (uint32_t)crc32(0L, p, (uInt)pos);
    if (crc != fb__load_u32(p + pos))
        return fb__chunk_dec_corrupt(
            c, "stream table checksum mismatch (stored %08lx, computed %08lx)",
            (unsigned long)fb__load_u32(p + pos), (unsigned long)crc);
    pos += 4;

    for (i = 0; i < n; i++) {
        if (t[i].stored > len)
            return fb__chunk_dec_corrupt(
                c, "stream %u: stored length %llu beyond the payload's %lu bytes", t[i].id,
                (unsigned long long)t[i].stored, (unsigned long)len);
        if (t[i].raw > FB__LOG_MAX_RAW)
            return fb__chunk_dec_corrupt(c, "stream %u: raw length %llu beyond the limit of %lu",
                                         t[i].id, (unsigned long long)t[i].raw,
                                         (unsigned long)FB__LOG_MAX_RAW);
        raw_sum += t[i].raw;
        stored_sum += t[i].stored;
        if (raw_sum > h->raw_len)
            return fb__chunk_dec_corrupt(c, "stream raw lengths exceed the chunk's raw length %lu",
                                         (unsigned long)h->raw_len);
        if (t[i].codec == FB__LOG_CODEC_STORED && t[i].stored != t[i].raw)
            return fb__chunk_dec_corrupt(
                c, "stream %u: stored length %llu differs from its raw length %llu", t[i].id,
                (unsigned long long)t[i].stored, (unsigned long long)t[i].raw);
        if (t[i].codec == FB__LOG_CODEC_DEFLATE &&
            t[i].raw > (t[i].stored + 1) * DEFLATE_MAX_RATIO)
            return fb__chunk_dec_corrupt(
                c, "stream %u: %llu deflated bytes cannot hold %llu raw bytes", t[i].id,
                (unsigned long long)t[i].stored, (unsigned long long)t[i].raw);
    }
    if (stored_sum != len - pos)
        return fb__chunk_dec_corrupt(
            c, "stream bodies take %llu bytes, the payload has %lu after the table",
            (unsigned long long)stored_sum, (unsigned long)(len - pos));
    if (raw_sum != h->raw_len)
        return fb__chunk_dec_corrupt(
            c, "stream raw lengths sum to %llu, not the chunk's raw length %lu",
            (unsigned long long)raw_sum, (unsigned long)h->raw_len);
    off = pos;
    for (i = 0; i < n; i++) {
        unsigned id = t[i].id;
        if (seen[id >> 6] & ((uint64_t)1 << (id & 63)))
            return fb__chunk_dec_corrupt(c, "stream table: stream %u (%s) twice", id,
                                         stream_name(id));
        seen[id >> 6] |= (uint64_t)1 << (id & 63);
        if (id >= FB__COL_DICT && id <= FB__COL_LAST) {
            stream_ref *s = &c->s[id];
            s->present = true;
            s->codec = t[i].codec;
            s->off = (uint32_t)off;
            s->stored = (uint32_t)t[i].stored;
            s->raw = (uint32_t)t[i].raw;
            s->crc = t[i].crc;
        }
        /* Unknown ids (a later minor version's columns) are skipped. */
        off += (size_t)t[i].stored;
    }
    return FB_OK;
}

/* ---------------------------------------------------------------- streams */

fb_status fb__chunk_dec_stream(ctx *c, unsigned id, const uint8_t **out)
{
    fb__chunk_dec *d = c->d;
    const stream_ref *s = &c->s[id];
    const uint8_t *body;
    uint32_t crc;

    if (c->raw[id]) {
        *out = c->raw[id];
        return FB_OK;
    }
    d->fetched |= (uint64_t)1 << id;
    if (s->codec != FB__LOG_CODEC_STORED && s->codec != FB__LOG_CODEC_DEFLATE)
        return fb__error(c->err, FB_ERR_VERSION, NULL, "stream %u (%s): unknown codec %u", id,
                         stream_name(id), (unsigned)s->codec);
    if (s->codec == FB__LOG_CODEC_STORED)
        FB__TRY(fetch(c, s->off, s->stored, &d->buf[id], &d->buf_cap[id], &body));
    else
        FB__TRY(fetch(c, s->off, s->stored, &d->packed, &d->packed_cap, &body));
    crc = (uint32_t)crc32(0L, body, (uInt)s->stored);
    if (crc != s->crc)
        return fb__chunk_dec_corrupt(
            c, "stream %u (%s) checksum mismatch (stored %08lx, computed %08lx)", id,
            stream_name(id), (unsigned long)s->crc, (unsigned long)crc);
    if (s->codec == FB__LOG_CODEC_STORED || (s->stored == 0 && s->raw == 0)) {
        *out = c->raw[id] = body;
        return FB_OK;
    }
    if (!d->inf && !(d->inf = fb__inflater_new(d->alloc)))
        return FB_ERR_NOMEM;
    FB__TRY(fb__inflater_run(d->inf, body, s->stored, s->raw, &d->buf[id], &d->buf_cap[id],
                             stream_name(id), c->err));
    *out = c->raw[id] = d->buf[id];
    return FB_OK;
}

fb_status fb__chunk_dec_load_dict(ctx *c)
{
    fb__chunk_dec *d = c->d;
    const uint8_t *p;
    size_t pos = 0, len = c->s[FB__COL_DICT].raw;

    c->dict_ready = true;
    d->n_dict = 0;
    if (!c->s[FB__COL_DICT].present)
        return FB_OK;
    FB__TRY(fb__chunk_dec_stream(c, FB__COL_DICT, &p));
    c->dict = p;
    while (pos < len) {
        uint64_t n;
        size_t at = pos;
        if (fb__get_varint(p, len, &pos, &n) != 0)
            return fb__chunk_dec_corrupt(c, "DICT entry %lu: %s at byte %lu",
                                         (unsigned long)d->n_dict, fb__varint_error(p, len, at),
                                         (unsigned long)at);
        if (n > len - pos)
            return fb__chunk_dec_corrupt(c, "DICT entry %lu: length %llu beyond the end of DICT",
                                         (unsigned long)d->n_dict, (unsigned long long)n);
        if (d->n_dict == d->dict_cap &&
            fb__grow(d->alloc, (void **)&d->dict, &d->dict_cap, (size_t)d->n_dict + 1,
                     sizeof *d->dict) != 0)
            return FB_ERR_NOMEM;
        d->dict[d->n_dict].off = (uint32_t)pos;
        d->dict[d->n_dict].len = (uint32_t)n;
        d->dict[d->n_dict].utf8 = 0;
        d->n_dict++;
        pos += (size_t)n;
    }
    return FB_OK;
}
