/*
 * The data-chunk decoder's life cycle, and the streams of a payload (layout in
 * log_format.h): the stream table, inflating a stream within the lengths it
 * declares and the format's caps, and loading DICT (indexed) and TEXT. The
 * records themselves are decoded in log_chunk_decode.c.
 */
#include <string.h>

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
    int i;

    if (!d)
        return;
    fb__inflater_free(d->inf);
    for (i = 0; i < 4; i++)
        fb__free(d->alloc, d->buf[i]);
    fb__free(d->alloc, d->recs);
    fb__free(d->alloc, d->answers);
    fb__free(d->alloc, d->tags);
    fb__free(d->alloc, d->attrs);
    fb__free(d->alloc, d->dict);
    fb__free(d->alloc, d);
}

uint32_t fb__chunk_dec_count(const fb__chunk_dec *d) { return d ? d->count : 0; }

const fb_record *fb__chunk_dec_record(const fb__chunk_dec *d, uint32_t i)
{
    return d && i < d->count ? &d->recs[i] : NULL;
}

unsigned fb__chunk_dec_inflated_streams(const fb__chunk_dec *d) { return d ? d->inflated : 0; }

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
    return id == FB__LOG_STREAM_NUM ? "NUM" : id == FB__LOG_STREAM_DICT ? "DICT" : "TEXT";
}

/* ---------------------------------------------------------------- the table */

fb_status fb__chunk_dec_parse_table(ctx *c)
{
    const fb__chunk_header *h = c->h;
    const uint8_t *p = c->payload;
    size_t len = h->payload_len, pos = 0, off;
    uint64_t n, i, raw_sum = 0, stored_sum = 0;
    struct {
        uint8_t id;
        uint64_t stored, raw;
    } t[FB__LOG_MAX_STREAMS];

    if (fb__get_varint(p, len, &pos, &n) != 0)
        return fb__chunk_dec_corrupt(c, "stream table: %s", fb__varint_error(p, len, 0));
    if (n < 1 || n > FB__LOG_MAX_STREAMS)
        return fb__chunk_dec_corrupt(c, "stream table: %llu streams, not 1..%d",
                                     (unsigned long long)n, FB__LOG_MAX_STREAMS);
    for (i = 0; i < n; i++) {
        size_t at;
        if (fb__get_u8(p, len, &pos, &t[i].id) != 0)
            return fb__chunk_dec_corrupt(c, "stream table: truncated");
        at = pos;
        if (fb__get_varint(p, len, &pos, &t[i].stored) != 0)
            return fb__chunk_dec_corrupt(c, "stream table: %s", fb__varint_error(p, len, at));
        at = pos;
        if (fb__get_varint(p, len, &pos, &t[i].raw) != 0)
            return fb__chunk_dec_corrupt(c, "stream table: %s", fb__varint_error(p, len, at));
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
        if (h->codec == FB__LOG_CODEC_STORED && t[i].stored != t[i].raw)
            return fb__chunk_dec_corrupt(
                c, "stream %u: stored length %llu differs from its raw length %llu", t[i].id,
                (unsigned long long)t[i].stored, (unsigned long long)t[i].raw);
        if (h->codec == FB__LOG_CODEC_DEFLATE &&
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
        stream_ref *s = t[i].id == FB__LOG_STREAM_NUM    ? &c->s_num
                        : t[i].id == FB__LOG_STREAM_DICT ? &c->s_dict
                        : t[i].id == FB__LOG_STREAM_TEXT ? &c->s_text
                                                         : NULL;
        if (s) {
            if (s->present)
                return fb__chunk_dec_corrupt(c, "stream table: two %s streams",
                                             stream_name(t[i].id));
            s->present = true;
            s->off = (uint32_t)off;
            s->stored = (uint32_t)t[i].stored;
            s->raw = (uint32_t)t[i].raw;
        }
        off += (size_t)t[i].stored;
    }
    if (!c->s_num.present)
        return fb__chunk_dec_corrupt(c, "data chunk without a NUM stream");
    return FB_OK;
}

/* ---------------------------------------------------------------- streams */

/* Makes d->buf[id] hold at least size bytes, keeping its contents. */
static fb_status reserve_buf(fb__chunk_dec *d, unsigned id, size_t size)
{
    uint8_t *p;
    if (size <= d->buf_cap[id] && d->buf[id])
        return FB_OK;
    p = fb__realloc(d->alloc, d->buf[id], d->buf_cap[id], size);
    if (!p)
        return FB_ERR_NOMEM;
    d->buf[id] = p;
    d->buf_cap[id] = size;
    return FB_OK;
}

/*
 * Inflates (or copies, when stored) stream id into d->buf[id], exactly s->raw
 * bytes; sets *out. The deflate implementation (deflate_backend.c) checks the
 * exact length and the end of the data.
 */
fb_status fb__chunk_dec_inflate(ctx *c, unsigned id, const stream_ref *s, const uint8_t **out)
{
    fb__chunk_dec *d = c->d;
    const uint8_t *src = c->payload + s->off;

    d->inflated |= 1u << id;
    if (c->h->codec == FB__LOG_CODEC_STORED) {
        FB__TRY(reserve_buf(d, id, s->raw));
        if (s->raw)
            memcpy(d->buf[id], src, s->raw);
        *out = d->buf[id];
        return FB_OK;
    }
    if (s->raw == 0 && s->stored == 0) {
        FB__TRY(reserve_buf(d, id, 1));
        *out = d->buf[id];
        return FB_OK;
    }
    if (!d->inf && !(d->inf = fb__inflater_new(d->alloc)))
        return FB_ERR_NOMEM;
    FB__TRY(fb__inflater_run(d->inf, src, s->stored, s->raw, &d->buf[id], &d->buf_cap[id],
                             stream_name(id), c->err));
    *out = d->buf[id];
    return FB_OK;
}

/* Inflates DICT and indexes its entries (first use only). */
fb_status fb__chunk_dec_load_dict(ctx *c)
{
    fb__chunk_dec *d = c->d;
    const uint8_t *p;
    size_t pos = 0, len = c->s_dict.raw;

    c->dict_ready = true;
    d->n_dict = 0;
    if (!c->s_dict.present)
        return FB_OK;
    FB__TRY(fb__chunk_dec_inflate(c, FB__LOG_STREAM_DICT, &c->s_dict, &p));
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

fb_status fb__chunk_dec_load_text(ctx *c)
{
    c->text_ready = true;
    if (!c->s_text.present)
        return FB_OK;
    return fb__chunk_dec_inflate(c, FB__LOG_STREAM_TEXT, &c->s_text, &c->text);
}
