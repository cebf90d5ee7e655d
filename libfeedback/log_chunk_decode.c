/*
 * A data chunk's payload to records (layout in log_format.h).
 *
 * fb__chunk_dec_load checks the payload CRC, parses the stream table, and
 * decodes every record from NUM into arrays the decoder owns (records,
 * answers, tags, attributes), inflating DICT and TEXT only when a decoded
 * field refers to them; strings point into those inflated buffers. Every
 * value is checked before the load succeeds, so on error no record is handed
 * out. All buffers are kept and reused by the next load. The decoder's life
 * cycle and its streams (table, inflating, DICT and TEXT) are in
 * log_chunk_streams.c.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "alloc_private.h"
#include "error_private.h"
#include "feedback/log.h"
#include "log_chunk.h"
#include "log_chunk_dec.h"
#include "utf8.h"
#include "varint.h"

/* LEN sub-messages of unknown fields are walked (for TEXT references) this deep. */
#define MAX_DEPTH 16

#define TAG(field, wt) (((field) << 3) | (wt))

/* ---------------------------------------------------------------- errors */

/* "record N: " and the message. */
static fb_status rec_corrupt(ctx *c, const char *fmt, ...) FB__PRINTF(2, 3);

static fb_status rec_corrupt(ctx *c, const char *fmt, ...)
{
    char msg[FB_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return fb__error(c->err, FB_ERR_CORRUPT, NULL, "record %lu: %s", (unsigned long)c->rec, msg);
}

static fb_status varint_corrupt(ctx *c, const uint8_t *p, size_t len, size_t pos)
{
    return rec_corrupt(c, "%s at NUM byte %lu", fb__varint_error(p, len, pos), (unsigned long)pos);
}

/* ---------------------------------------------------------------- fields */

/*
 * A string field of wire type wt (TEXT or DICT) at NUM[*pos, end): checked
 * and stored in *out when want, else only skipped. what names the field in
 * messages.
 */
static fb_status read_string(ctx *c, size_t *pos, size_t end, unsigned wt, bool want,
                             size_t max, fb_str *out, const char *what)
{
    uint64_t v;
    size_t at = *pos;
    const char *s;
    size_t len;

    if (fb__get_varint(c->num, end, pos, &v) != 0)
        return varint_corrupt(c, c->num, end, at);
    if (wt == FB__WT_TEXT) {
        size_t text_len = c->s_text.present ? c->s_text.raw : 0;
        if (v > text_len - c->text_pos)
            return rec_corrupt(c, "%s: %llu bytes of TEXT from byte %lu, beyond the %lu of the "
                                  "stream",
                               what, (unsigned long long)v, (unsigned long)c->text_pos,
                               (unsigned long)text_len);
        len = (size_t)v;
        if (!want) {
            c->text_pos += len;
            return FB_OK;
        }
        if (len && !c->text_ready)
            FB__TRY(fb__chunk_dec_load_text(c));
        s = len ? (const char *)c->text + c->text_pos : NULL;
        c->text_pos += len;
        if (len > max)
            return rec_corrupt(c, "%s: %lu bytes, longer than the limit of %lu", what,
                               (unsigned long)len, (unsigned long)max);
        if (c->check_utf8 && fb__utf8_check(s, len) != len)
            return rec_corrupt(c, "%s: invalid UTF-8", what);
    } else {
        dict_entry *de;
        if (!want)
            return FB_OK;
        if (!c->dict_ready)
            FB__TRY(fb__chunk_dec_load_dict(c));
        if (v >= c->d->n_dict)
            return rec_corrupt(c, "%s: dictionary index %llu beyond the %lu entries", what,
                               (unsigned long long)v, (unsigned long)c->d->n_dict);
        de = &c->d->dict[v];
        s = (const char *)c->d->buf[FB__LOG_STREAM_DICT] + de->off;
        len = de->len;
        if (len > max)
            return rec_corrupt(c, "%s: %lu bytes, longer than the limit of %lu", what,
                               (unsigned long)len, (unsigned long)max);
        if (de->utf8 == 0 && c->check_utf8)
            de->utf8 = fb__utf8_check(s, len) == len ? 1 : 2;
        if (de->utf8 == 2)
            return rec_corrupt(c, "%s: invalid UTF-8 in dictionary entry %llu", what,
                               (unsigned long long)v);
    }
    out->ptr = s;
    out->len = len;
    return FB_OK;
}

/* A fixed-size code: exactly n letters A-Z, copied NUL-terminated into dst. */
static fb_status read_code(ctx *c, size_t *pos, size_t end, unsigned wt, bool want, size_t n,
                           char *dst, const char *what)
{
    fb_str s = {NULL, 0};
    size_t i;

    FB__TRY(read_string(c, pos, end, wt, want, n, &s, what));
    if (!want)
        return FB_OK;
    for (i = 0; i < s.len; i++)
        if (s.ptr[i] < 'A' || s.ptr[i] > 'Z')
            break;
    if (s.len != n || i != n)
        return rec_corrupt(c, "%s: not %lu letters A-Z", what, (unsigned long)n);
    memcpy(dst, s.ptr, n);
    dst[n] = '\0';
    return FB_OK;
}

static fb_status walk(ctx *c, size_t pos, size_t end, int depth);

/*
 * Skips a field of wire type wt at NUM[*pos, end) (its tag read): TEXT
 * advances the TEXT position; LEN is walked for TEXT references.
 */
static fb_status skip_field(ctx *c, size_t *pos, size_t end, unsigned wt, int depth)
{
    uint64_t v;
    size_t at = *pos;

    switch (wt) {
    case FB__WT_VARINT:
    case FB__WT_DICT:
        if (fb__get_varint(c->num, end, pos, &v) != 0)
            return varint_corrupt(c, c->num, end, at);
        return FB_OK;
    case FB__WT_FIXED64:
        if (end - *pos < 8)
            return rec_corrupt(c, "truncated 8-byte field at NUM byte %lu", (unsigned long)at);
        *pos += 8;
        return FB_OK;
    case FB__WT_TEXT: {
        size_t text_len = c->s_text.present ? c->s_text.raw : 0;
        if (fb__get_varint(c->num, end, pos, &v) != 0)
            return varint_corrupt(c, c->num, end, at);
        if (v > text_len - c->text_pos)
            return rec_corrupt(c, "%llu bytes of TEXT from byte %lu, beyond the %lu of the "
                                  "stream",
                               (unsigned long long)v, (unsigned long)c->text_pos,
                               (unsigned long)text_len);
        c->text_pos += (size_t)v;
        return FB_OK;
    }
    case FB__WT_LEN:
        if (fb__get_varint(c->num, end, pos, &v) != 0)
            return varint_corrupt(c, c->num, end, at);
        if (v > end - *pos)
            return rec_corrupt(c, "a %llu-byte field at NUM byte %lu runs past its end",
                               (unsigned long long)v, (unsigned long)at);
        /* A LEN field in a record is always a sub-message: walk it for TEXT references. */
        FB__TRY(walk(c, *pos, *pos + (size_t)v, depth + 1));
        *pos += (size_t)v;
        return FB_OK;
    default:
        return rec_corrupt(c, "wire type %u at NUM byte %lu", wt, (unsigned long)at);
    }
}

/* Walks the tagged fields of a sub-message in NUM[pos, end), skipping each (and its TEXT). */
static fb_status walk(ctx *c, size_t pos, size_t end, int depth)
{
    if (depth > MAX_DEPTH)
        return rec_corrupt(c, "sub-messages nested more than %d deep", MAX_DEPTH);
    while (pos < end) {
        uint64_t tag;
        size_t at = pos;
        if (fb__get_varint(c->num, end, &pos, &tag) != 0)
            return varint_corrupt(c, c->num, end, at);
        if (tag >> 3 == 0)
            return rec_corrupt(c, "field number 0 in a sub-message at NUM byte %lu",
                               (unsigned long)at);
        FB__TRY(skip_field(c, &pos, end, (unsigned)(tag & 7), depth));
    }
    return FB_OK;
}

/* The FIXED64 at NUM[*pos, end). */
static inline fb_status read_double(ctx *c, size_t *pos, size_t end, double *v)
{
    if (end - *pos < 8)
        return rec_corrupt(c, "truncated 8-byte field at NUM byte %lu", (unsigned long)*pos);
    *v = fb__load_double(c->num + *pos);
    *pos += 8;
    return FB_OK;
}

/* An answer sub-message in NUM[pos, end). */
static fb_status read_answer(ctx *c, size_t pos, size_t end, fb_answer *a, size_t index)
{
    char what[32];
    double lo, hi;
    uint64_t v;

    memset(a, 0, sizeof *a);
    while (pos < end) {
        size_t at = pos;
        uint64_t tag;
        if (fb__get_varint(c->num, end, &pos, &tag) != 0)
            return varint_corrupt(c, c->num, end, at);
        switch (tag) {
        case TAG(FB__LA_METRIC, FB__WT_VARINT):
            at = pos;
            if (fb__get_varint(c->num, end, &pos, &v) != 0)
                return varint_corrupt(c, c->num, end, at);
            if (v >= c->d->n_metric)
                return rec_corrupt(c, "answers[%lu]: unknown metric %llu", (unsigned long)index,
                                   (unsigned long long)v);
            a->metric = (fb_metric)v;
            break;
        case TAG(FB__LA_SCORE_INT, FB__WT_VARINT):
            at = pos;
            if (fb__get_varint(c->num, end, &pos, &v) != 0)
                return varint_corrupt(c, c->num, end, at);
            if (v > UINT32_MAX)
                return rec_corrupt(c, "answers[%lu]: integer score %llu too large",
                                   (unsigned long)index, (unsigned long long)v);
            a->score = (double)v;
            break;
        case TAG(FB__LA_SCORE, FB__WT_FIXED64):
            FB__TRY(read_double(c, &pos, end, &a->score));
            break;
        case TAG(FB__LA_SKIPPED, FB__WT_VARINT):
            at = pos;
            if (fb__get_varint(c->num, end, &pos, &v) != 0)
                return varint_corrupt(c, c->num, end, at);
            a->skipped = v != 0;
            break;
        case TAG(FB__LA_NAME, FB__WT_TEXT):
        case TAG(FB__LA_NAME, FB__WT_DICT):
            snprintf(what, sizeof what, "answers[%lu].name", (unsigned long)index);
            FB__TRY(read_string(c, &pos, end, (unsigned)(tag & 7), true, FB_MAX_NAME, &a->name,
                                what));
            break;
        case TAG(FB__LA_SCALE_MIN, FB__WT_FIXED64):
            FB__TRY(read_double(c, &pos, end, &a->scale_min));
            break;
        case TAG(FB__LA_SCALE_MAX, FB__WT_FIXED64):
            FB__TRY(read_double(c, &pos, end, &a->scale_max));
            break;
        default:
            if ((tag >> 3) >= FB__LA_METRIC && (tag >> 3) <= FB__LA_SCALE_MAX)
                return rec_corrupt(c, "answers[%lu]: field %u with wire type %u",
                                   (unsigned long)index, (unsigned)(tag >> 3),
                                   (unsigned)(tag & 7));
            FB__TRY(skip_field(c, &pos, end, (unsigned)(tag & 7), 0));
        }
    }
    if (a->metric == FB_METRIC_CUSTOM) {
        lo = a->scale_min;
        hi = a->scale_max;
        if (!isfinite(lo) || !isfinite(hi) || !(lo < hi))
            return rec_corrupt(c, "answers[%lu]: custom scale %g..%g", (unsigned long)index, lo,
                               hi);
    } else {
        lo = c->d->scale_lo[a->metric];
        hi = c->d->scale_hi[a->metric];
    }
    if (!a->skipped &&
        (!isfinite(a->score) || a->score < lo || a->score > hi ||
         (a->metric == FB_METRIC_GCR && a->score != 0 && a->score != 1)))
        return rec_corrupt(c, "answers[%lu]: score %g outside the scale %g..%g",
                           (unsigned long)index, a->score, lo, hi);
    return FB_OK;
}

/* An attribute sub-message in NUM[pos, end). */
static fb_status read_attr(ctx *c, size_t pos, size_t end, fb_attr *a, size_t index)
{
    char what[32];

    a->key.ptr = a->value.ptr = NULL;
    a->key.len = a->value.len = 0;
    while (pos < end) {
        size_t at = pos;
        uint64_t tag;
        if (fb__get_varint(c->num, end, &pos, &tag) != 0)
            return varint_corrupt(c, c->num, end, at);
        switch (tag) {
        case TAG(FB__LT_KEY, FB__WT_TEXT):
        case TAG(FB__LT_KEY, FB__WT_DICT):
            snprintf(what, sizeof what, "attrs[%lu].key", (unsigned long)index);
            FB__TRY(read_string(c, &pos, end, (unsigned)(tag & 7), true, FB_MAX_NAME, &a->key,
                                what));
            break;
        case TAG(FB__LT_VALUE, FB__WT_TEXT):
        case TAG(FB__LT_VALUE, FB__WT_DICT):
            snprintf(what, sizeof what, "attrs[%lu].value", (unsigned long)index);
            FB__TRY(read_string(c, &pos, end, (unsigned)(tag & 7), true, FB_MAX_ATTR_VALUE,
                                &a->value, what));
            break;
        default:
            if ((tag >> 3) == FB__LT_KEY || (tag >> 3) == FB__LT_VALUE)
                return rec_corrupt(c, "attrs[%lu]: field %u with wire type %u",
                                   (unsigned long)index, (unsigned)(tag >> 3),
                                   (unsigned)(tag & 7));
            FB__TRY(skip_field(c, &pos, end, (unsigned)(tag & 7), 0));
        }
    }
    return FB_OK;
}
/* ---------------------------------------------------------------- records */

static int64_t to_i64(uint64_t u)
{
    return u <= (uint64_t)INT64_MAX ? (int64_t)u : -(int64_t)(~u) - 1;
}

#define GET_VARINT(v)                                                  \
    do {                                                               \
        size_t at_ = pos;                                              \
        if (fb__get_varint(num, num_len, &pos, &(v)) != 0)             \
            return varint_corrupt(c, num, num_len, at_);               \
    } while (0)

#define ENUM_FIELD(want, v, n, dst, type, name)                                           \
    do {                                                                                  \
        GET_VARINT(v);                                                                    \
        if (want) {                                                                       \
            if ((v) >= (n))                                                               \
                return rec_corrupt(c, "unknown " name " %llu", (unsigned long long)(v));  \
            (dst) = (type)(v);                                                            \
        }                                                                                 \
    } while (0)

#define STRING_FIELD(want, max, dst, name)                                                 \
    FB__TRY(read_string(c, &pos, num_len, (unsigned)(tag & 7), (want), (max), &(dst), name))

/* Marks in c->skip the tags that the main loop skips by reading one varint. */
static void build_skip(ctx *c, uint32_t fields)
{
    /* The field group of each record field (0: always decoded). */
    static const uint32_t group[FB__LF_ASSIGNEE_KIND + 1] = {
        0,
        FB_LOG_FIELD_ID | FB_LOG_FIELD_UPDATE, /* ID: ref_id is relative to it */
        FB_LOG_FIELD_KIND,
        0, /* CREATED */
        FB_LOG_FIELD_INTERACTION_AT,
        FB_LOG_FIELD_CUSTOMER, FB_LOG_FIELD_CUSTOMER, FB_LOG_FIELD_CUSTOMER,
        FB_LOG_FIELD_CHANNEL, FB_LOG_FIELD_CHANNEL,
        0, /* ANSWER: LEN */
        FB_LOG_FIELD_TEXT, FB_LOG_FIELD_TEXT,
        FB_LOG_FIELD_TAGS,
        FB_LOG_FIELD_SERVICE, FB_LOG_FIELD_SERVICE, FB_LOG_FIELD_SERVICE, FB_LOG_FIELD_SERVICE,
        FB_LOG_FIELD_TIP, FB_LOG_FIELD_TIP,
        0, /* ATTR: LEN */
        FB_LOG_FIELD_UPDATE, FB_LOG_FIELD_UPDATE, FB_LOG_FIELD_UPDATE, FB_LOG_FIELD_UPDATE};
    /* Whether a record field is a string (TEXT or DICT) or a VARINT. */
    static const uint32_t strings = (1u << FB__LF_CUSTOMER_ID) | (1u << FB__LF_TEXT) |
                                    (1u << FB__LF_LANGUAGE) | (1u << FB__LF_TAG) |
                                    (1u << FB__LF_AGENT_ID) | (1u << FB__LF_TICKET_ID) |
                                    (1u << FB__LF_PRODUCT) | (1u << FB__LF_COUNTRY) |
                                    (1u << FB__LF_TIP_CURRENCY) | (1u << FB__LF_ASSIGNEE);
    unsigned f;

    memset(c->skip, 0, sizeof c->skip);
    for (f = 0; f < 32; f++) {
        if (f == 0 || f > FB__LF_ASSIGNEE_KIND) {
            /* Unknown fields. */
            c->skip[TAG(f, FB__WT_VARINT)] = c->skip[TAG(f, FB__WT_TEXT)] =
                c->skip[TAG(f, FB__WT_DICT)] = 1;
            continue;
        }
        if (!group[f] || (group[f] & fields))
            continue;
        if (strings & (1u << f))
            c->skip[TAG(f, FB__WT_TEXT)] = c->skip[TAG(f, FB__WT_DICT)] = 1;
        else
            c->skip[TAG(f, FB__WT_VARINT)] = 1;
    }
}

static fb_status decode_records(ctx *c, uint32_t fields)
{
    fb__chunk_dec *d = c->d;
    const fb__chunk_header *h = c->h;
    const uint8_t *num = c->num;
    const size_t num_len = c->num_len;
    const bool want_id = fields & FB_LOG_FIELD_ID, want_kind = fields & FB_LOG_FIELD_KIND,
               want_inter = fields & FB_LOG_FIELD_INTERACTION_AT,
               want_cust = fields & FB_LOG_FIELD_CUSTOMER,
               want_chan = fields & FB_LOG_FIELD_CHANNEL,
               want_ans = fields & FB_LOG_FIELD_ANSWERS, want_text = fields & FB_LOG_FIELD_TEXT,
               want_tags = fields & FB_LOG_FIELD_TAGS, want_serv = fields & FB_LOG_FIELD_SERVICE,
               want_tip = fields & FB_LOG_FIELD_TIP, want_attrs = fields & FB_LOG_FIELD_ATTRS,
               want_upd = fields & FB_LOG_FIELD_UPDATE;
    const uint64_t span = (uint64_t)h->max_time - (uint64_t)h->min_time;
    const size_t text_len = c->s_text.present ? c->s_text.raw : 0;
    fb_record def;
    uint64_t prev_id = 0;
    size_t pos = 0;
    uint32_t i;

    build_skip(c, fields);
    fb_record_init(&def);
    for (i = 0; i < h->count; i++) {
        fb_record *r = &d->recs[i];
        uint64_t id = 0, v, created_delta = 0, inter_zz = 0, ref_zz = 0;
        bool has_created = false, has_inter = false, has_ref = false;
        size_t n_answers = 0, n_tags = 0, n_attrs = 0;
        fb_time created;

        c->rec = i;
        *r = def;
        for (;;) {
            uint64_t tag;
            if (pos >= num_len)
                return rec_corrupt(c, "NUM ends inside the record (%lu of %lu records)",
                                   (unsigned long)i, (unsigned long)h->count);
            if (num[pos] < 0x80) {
                tag = num[pos++];
                if (tag == 0)
                    break;
            } else {
                size_t at = pos;
                if (fb__get_varint_slow(num, num_len, &pos, &tag) != 0)
                    return varint_corrupt(c, num, num_len, at);
                if (tag == 0)
                    return rec_corrupt(c, "over-long end of record at NUM byte %lu",
                                       (unsigned long)at);
            }
            if (tag < sizeof c->skip && c->skip[tag]) {
                /* A field not decoded (or unknown): one varint, and TEXT bytes. */
                GET_VARINT(v);
                if ((tag & 7) == FB__WT_TEXT) {
                    if (v > text_len - c->text_pos)
                        return rec_corrupt(c, "%llu bytes of TEXT from byte %lu, beyond the %lu "
                                              "of the stream",
                                           (unsigned long long)v, (unsigned long)c->text_pos,
                                           (unsigned long)text_len);
                    c->text_pos += (size_t)v;
                }
                continue;
            }
            switch (tag) {
            case TAG(FB__LF_ID, FB__WT_VARINT):
                GET_VARINT(v);
                id = prev_id + fb__zigzag_decode_u(v);
                break;
            case TAG(FB__LF_KIND, FB__WT_VARINT):
                ENUM_FIELD(want_kind, v, d->n_kind, r->kind, fb_record_kind, "kind");
                break;
            case TAG(FB__LF_CREATED, FB__WT_VARINT):
                GET_VARINT(created_delta);
                has_created = true;
                break;
            case TAG(FB__LF_INTERACTION, FB__WT_VARINT):
                GET_VARINT(inter_zz);
                has_inter = true;
                break;
            case TAG(FB__LF_CUSTOMER_ID, FB__WT_TEXT):
            case TAG(FB__LF_CUSTOMER_ID, FB__WT_DICT):
                STRING_FIELD(want_cust, FB_MAX_ID, r->customer_id, "customer_id");
                break;
            case TAG(FB__LF_CUSTOMER_STATUS, FB__WT_VARINT):
                ENUM_FIELD(want_cust, v, d->n_status, r->customer_status, fb_customer_status,
                           "customer_status");
                break;
            case TAG(FB__LF_FLAGS, FB__WT_VARINT):
                GET_VARINT(v);
                if (want_cust) {
                    /* Bits this version does not know are ignored. */
                    r->customer_verified = (v & 1) != 0;
                    r->win_back = (v & 2) != 0;
                }
                break;
            case TAG(FB__LF_CHANNEL, FB__WT_VARINT):
                ENUM_FIELD(want_chan, v, d->n_channel, r->channel, fb_channel, "channel");
                break;
            case TAG(FB__LF_SOURCE, FB__WT_VARINT):
                ENUM_FIELD(want_chan, v, d->n_source, r->source, fb_source, "source");
                break;
            case TAG(FB__LF_ANSWER, FB__WT_LEN):
                if (!want_ans) {
                    FB__TRY(skip_field(c, &pos, num_len, FB__WT_LEN, 0));
                    break;
                }
                GET_VARINT(v);
                if (v > num_len - pos)
                    return rec_corrupt(c, "a %llu-byte answer runs past the end of NUM",
                                       (unsigned long long)v);
                if (n_answers == FB_MAX_ANSWERS)
                    return rec_corrupt(c, "more than %d answers", FB_MAX_ANSWERS);
                if (c->n_answers == d->answers_cap) {
                    if (fb__grow(d->alloc, (void **)&d->answers, &d->answers_cap,
                                 c->n_answers + 1, sizeof *d->answers) != 0)
                        return FB_ERR_NOMEM;
                    c->moved = true;
                }
                FB__TRY(read_answer(c, pos, pos + (size_t)v, &d->answers[c->n_answers],
                                    n_answers));
                pos += (size_t)v;
                c->n_answers++;
                n_answers++;
                break;
            case TAG(FB__LF_TEXT, FB__WT_TEXT):
            case TAG(FB__LF_TEXT, FB__WT_DICT):
                STRING_FIELD(want_text, FB_MAX_TEXT, r->text, "text");
                break;
            case TAG(FB__LF_LANGUAGE, FB__WT_TEXT):
            case TAG(FB__LF_LANGUAGE, FB__WT_DICT):
                STRING_FIELD(want_text, FB_MAX_LANGUAGE, r->language, "language");
                break;
            case TAG(FB__LF_TAG, FB__WT_TEXT):
            case TAG(FB__LF_TAG, FB__WT_DICT): {
                fb_str s = {NULL, 0};
                STRING_FIELD(want_tags, FB_MAX_NAME, s, "tags");
                if (!want_tags)
                    break;
                if (n_tags == FB_MAX_TAGS)
                    return rec_corrupt(c, "more than %d tags", FB_MAX_TAGS);
                if (c->n_tags == d->tags_cap) {
                    if (fb__grow(d->alloc, (void **)&d->tags, &d->tags_cap, c->n_tags + 1,
                                 sizeof *d->tags) != 0)
                        return FB_ERR_NOMEM;
                    c->moved = true;
                }
                d->tags[c->n_tags++] = s;
                n_tags++;
                break;
            }
            case TAG(FB__LF_AGENT_ID, FB__WT_TEXT):
            case TAG(FB__LF_AGENT_ID, FB__WT_DICT):
                STRING_FIELD(want_serv, FB_MAX_ID, r->agent_id, "agent_id");
                break;
            case TAG(FB__LF_TICKET_ID, FB__WT_TEXT):
            case TAG(FB__LF_TICKET_ID, FB__WT_DICT):
                STRING_FIELD(want_serv, FB_MAX_ID, r->ticket_id, "ticket_id");
                break;
            case TAG(FB__LF_PRODUCT, FB__WT_TEXT):
            case TAG(FB__LF_PRODUCT, FB__WT_DICT):
                STRING_FIELD(want_serv, FB_MAX_ID, r->product, "product");
                break;
            case TAG(FB__LF_COUNTRY, FB__WT_TEXT):
            case TAG(FB__LF_COUNTRY, FB__WT_DICT):
                FB__TRY(read_code(c, &pos, num_len, (unsigned)(tag & 7), want_serv, 2, r->country,
                                  "country"));
                break;
            case TAG(FB__LF_TIP, FB__WT_VARINT):
                GET_VARINT(v);
                if (want_tip) {
                    r->tip = fb__zigzag_decode(v);
                    if (r->tip < 0)
                        return rec_corrupt(c, "negative tip %lld", (long long)r->tip);
                }
                break;
            case TAG(FB__LF_TIP_CURRENCY, FB__WT_TEXT):
            case TAG(FB__LF_TIP_CURRENCY, FB__WT_DICT):
                FB__TRY(read_code(c, &pos, num_len, (unsigned)(tag & 7), want_tip, 3,
                                  r->tip_currency, "tip_currency"));
                break;
            case TAG(FB__LF_ATTR, FB__WT_LEN):
                if (!want_attrs) {
                    FB__TRY(skip_field(c, &pos, num_len, FB__WT_LEN, 0));
                    break;
                }
                GET_VARINT(v);
                if (v > num_len - pos)
                    return rec_corrupt(c, "a %llu-byte attribute runs past the end of NUM",
                                       (unsigned long long)v);
                if (n_attrs == FB_MAX_ATTRS)
                    return rec_corrupt(c, "more than %d attributes", FB_MAX_ATTRS);
                if (c->n_attrs == d->attrs_cap) {
                    if (fb__grow(d->alloc, (void **)&d->attrs, &d->attrs_cap, c->n_attrs + 1,
                                 sizeof *d->attrs) != 0)
                        return FB_ERR_NOMEM;
                    c->moved = true;
                }
                FB__TRY(read_attr(c, pos, pos + (size_t)v, &d->attrs[c->n_attrs], n_attrs));
                pos += (size_t)v;
                c->n_attrs++;
                n_attrs++;
                break;
            case TAG(FB__LF_REF_ID, FB__WT_VARINT):
                GET_VARINT(ref_zz);
                has_ref = true;
                break;
            case TAG(FB__LF_HANDLING, FB__WT_VARINT):
                ENUM_FIELD(want_upd, v, d->n_handling, r->handling, fb_handling, "handling");
                break;
            case TAG(FB__LF_ASSIGNEE, FB__WT_TEXT):
            case TAG(FB__LF_ASSIGNEE, FB__WT_DICT):
                STRING_FIELD(want_upd, FB_MAX_ID, r->assignee, "assignee");
                break;
            case TAG(FB__LF_ASSIGNEE_KIND, FB__WT_VARINT):
                ENUM_FIELD(want_upd, v, d->n_assignee, r->assignee_kind, fb_assignee_kind,
                           "assignee_kind");
                break;
            default:
                if ((tag >> 3) >= FB__LF_ID && (tag >> 3) <= FB__LF_ASSIGNEE_KIND)
                    return rec_corrupt(c, "field %u with wire type %u at NUM byte %lu",
                                       (unsigned)(tag >> 3), (unsigned)(tag & 7),
                                       (unsigned long)pos);
                if ((tag & 7) > FB__WT_DICT)
                    return rec_corrupt(c, "wire type %u at NUM byte %lu", (unsigned)(tag & 7),
                                       (unsigned long)pos);
                FB__TRY(skip_field(c, &pos, num_len, (unsigned)(tag & 7), 0));
            }
        }

        /* Fields that depend on others, which may come in any order. */
        if (has_created) {
            if (created_delta > span)
                return rec_corrupt(c, "created_at %llu ms after the chunk's min, beyond its max",
                                   (unsigned long long)created_delta);
            created = to_i64((uint64_t)h->min_time + created_delta);
        } else {
            created = 0;
        }
        if (created < FB_TIME_MIN || created > FB_TIME_MAX || created < h->min_time ||
            created > h->max_time)
            return rec_corrupt(c, "created_at %lld outside the chunk's %lld..%lld",
                               (long long)created, (long long)h->min_time,
                               (long long)h->max_time);
        r->created_at = created;
        if (has_inter && want_inter) {
            fb_time t = to_i64((uint64_t)created - fb__zigzag_decode_u(inter_zz));
            if (t < FB_TIME_MIN || t > FB_TIME_MAX)
                return rec_corrupt(c, "interaction_at %lld out of range", (long long)t);
            r->interaction_at = t;
        }
        if (want_id)
            r->id = id;
        if (has_ref && want_upd)
            r->ref_id = id - fb__zigzag_decode_u(ref_zz);
        /* Pointers into arrays that may still move: fixed up at the end if they do. */
        r->n_answers = n_answers;
        r->answers = n_answers ? d->answers + (c->n_answers - n_answers) : NULL;
        r->n_tags = n_tags;
        r->tags = n_tags ? d->tags + (c->n_tags - n_tags) : NULL;
        r->n_attrs = n_attrs;
        r->attrs = n_attrs ? d->attrs + (c->n_attrs - n_attrs) : NULL;
        prev_id = id;
    }
    if (pos != num_len) {
        c->rec = h->count;
        return fb__chunk_dec_corrupt(c, "NUM has %lu bytes after the last of its %lu records",
                                     (unsigned long)(num_len - pos), (unsigned long)h->count);
    }
    if (c->text_pos != text_len)
        return fb__chunk_dec_corrupt(c, "TEXT has %lu bytes no record refers to",
                                     (unsigned long)(text_len - c->text_pos));
    return FB_OK;
}

fb_status fb__chunk_dec_load(fb__chunk_dec *d, const fb__chunk_header *h, const uint8_t *payload,
                             uint32_t fields, fb_error *err)
{
    ctx c;
    uint32_t stored_crc, crc;
    size_t a = 0, t = 0, at = 0;
    uint32_t i;

    if (!d || !h || !payload)
        return fb__error(err, FB_ERR_INVALID_ARG, NULL, "NULL argument");
    d->count = 0;
    d->inflated = 0;
    if ((h->type & FB__LOG_TYPE_MASK) != (FB__LOG_CHUNK_DATA & FB__LOG_TYPE_MASK))
        return fb__error(err, FB_ERR_INVALID_ARG, NULL, "chunk type %u is not a data chunk",
                         (unsigned)h->type);
    if (h->payload_len > FB__LOG_MAX_PAYLOAD || h->raw_len > FB__LOG_MAX_RAW ||
        h->count > FB__LOG_MAX_RECORDS)
        return fb__error(err, FB_ERR_CORRUPT, NULL, "chunk header beyond the format's limits");
    if (fields == 0)
        fields = FB_LOG_FIELD_ALL;
    fields |= FB_LOG_FIELD_CREATED_AT;

    memset(&c, 0, sizeof c);
    c.check_utf8 = (fields & FB_LOG_FIELD_ALL) != FB_LOG_FIELD_ALL;
    c.d = d;
    c.h = h;
    c.payload = payload;
    c.err = err;

    stored_crc = fb__load_u32(payload + h->payload_len);
    crc = (uint32_t)crc32(0L, payload, h->payload_len);
    if (crc != stored_crc)
        return fb__chunk_dec_corrupt(
            &c, "chunk payload checksum mismatch (stored %08lx, computed %08lx)",
            (unsigned long)stored_crc, (unsigned long)crc);
    if (h->codec != FB__LOG_CODEC_STORED && h->codec != FB__LOG_CODEC_DEFLATE)
        return fb__error(err, FB_ERR_VERSION, NULL, "unknown chunk codec %u",
                         (unsigned)h->codec);
    FB__TRY(fb__chunk_dec_parse_table(&c));
    if (h->count > c.s_num.raw)
        return fb__chunk_dec_corrupt(&c, "%lu records cannot fit in %lu bytes of NUM",
                                     (unsigned long)h->count, (unsigned long)c.s_num.raw);

    if (h->codec == FB__LOG_CODEC_STORED) {
        /* NUM is read in place: no record points into it. */
        c.num = payload + c.s_num.off;
        d->inflated |= 1u << FB__LOG_STREAM_NUM;
    } else {
        FB__TRY(fb__chunk_dec_inflate(&c, FB__LOG_STREAM_NUM, &c.s_num, &c.num));
    }
    c.num_len = c.s_num.raw;

    if (h->count > d->recs_cap &&
        fb__grow(d->alloc, (void **)&d->recs, &d->recs_cap, h->count, sizeof *d->recs) != 0)
        return FB_ERR_NOMEM;
    FB__TRY(decode_records(&c, fields));

    /* The lists, when their arrays moved while records pointed into them. */
    for (i = 0; c.moved && i < h->count; i++) {
        fb_record *r = &d->recs[i];
        r->answers = r->n_answers ? d->answers + a : NULL;
        r->tags = r->n_tags ? d->tags + t : NULL;
        r->attrs = r->n_attrs ? d->attrs + at : NULL;
        a += r->n_answers;
        t += r->n_tags;
        at += r->n_attrs;
    }
    if ((fields & FB_LOG_FIELD_ALL) == FB_LOG_FIELD_ALL) {
        for (i = 0; i < h->count; i++) {
            const fb_record *r = &d->recs[i];
            fb_error verr;
            size_t k;
            /* Strings fb_record_validate ignores: update fields of other kinds, names of
             * built-in answers. UTF-8 was left to it, so check these here. */
            if (r->kind != FB_KIND_UPDATE && fb__utf8_check(r->assignee.ptr, r->assignee.len) !=
                                                 r->assignee.len)
                return fb__error(err, FB_ERR_CORRUPT, NULL, "record %lu: assignee: invalid UTF-8",
                                 (unsigned long)i);
            for (k = 0; k < r->n_answers; k++)
                if (r->answers[k].metric != FB_METRIC_CUSTOM &&
                    fb__utf8_check(r->answers[k].name.ptr, r->answers[k].name.len) !=
                        r->answers[k].name.len)
                    return fb__error(err, FB_ERR_CORRUPT, NULL,
                                     "record %lu: answers[%lu].name: invalid UTF-8",
                                     (unsigned long)i, (unsigned long)k);
            if (fb_record_validate(r, &verr) != FB_OK)
                return fb__error(err, FB_ERR_CORRUPT, NULL, "record %lu: %s", (unsigned long)i,
                                 verr.message);
        }
    }
    d->count = h->count;
    return FB_OK;
}
