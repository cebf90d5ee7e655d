/*
 * Records to a data chunk (layout in log_format.h).
 *
 * fb__chunk_enc_add writes each record's tagged fields straight into one
 * growing buffer (body), except created_at, whose value is relative to the
 * chunk's min created_at and so is known only at the end: the record's
 * created_at and where its body ends are kept in an array, and
 * fb__chunk_enc_finish assembles NUM as, per record, the CREATED field
 * followed by the rest of the body. Strings go to the chunk's dictionary
 * (DICT, deduplicated through an open-addressing hash table whose slots point
 * into the DICT stream itself, so no string is allocated on its own) or to
 * TEXT. Nothing is allocated per record once the buffers have grown.
 */
#include <math.h>
#include <string.h>
#include <zlib.h> /* crc32 */

#include "alloc_private.h"
#include "deflate_backend.h"
#include "error_private.h"
#include "log_chunk.h"
#include "varint.h"

/* Attribute values up to this many bytes go to DICT, longer ones to TEXT. */
#define DICT_VALUE_MAX 32

typedef struct rec_info {
    int64_t created;  /* created_at */
    size_t end;       /* end of the record's body in e->body */
} rec_info;

typedef struct dict_slot {
    uint32_t hash;
    uint32_t index1;  /* entry index + 1; 0: empty slot */
    uint32_t off;     /* offset of the string's bytes in e->dict */
    uint32_t len;
} dict_slot;

struct fb__chunk_enc {
    const fb_allocator *alloc;
    fb__strbuf body;     /* records' fields, CREATED left out */
    fb__strbuf dict;     /* the DICT stream */
    fb__strbuf text;     /* the TEXT stream */
    fb__strbuf num;      /* NUM, assembled by finish */
    fb__strbuf packed;   /* compressed streams, in finish */
    rec_info *recs;
    size_t recs_cap;
    uint32_t count;
    uint64_t prev_id;
    int64_t min_time, max_time;
    dict_slot *slots;
    size_t slots_cap;    /* a power of two, or 0 */
    uint32_t n_dict;
    fb__deflater *dfl;   /* the compressor, created on first use */
};

fb_status fb__chunk_enc_new(const fb_allocator *alloc, fb__chunk_enc **out)
{
    fb__chunk_enc *e;

    if (!out)
        return FB_ERR_INVALID_ARG;
    *out = NULL;
    e = fb__calloc(alloc, sizeof *e);
    if (!e)
        return FB_ERR_NOMEM;
    e->alloc = alloc;
    fb__strbuf_init(&e->body, alloc);
    fb__strbuf_init(&e->dict, alloc);
    fb__strbuf_init(&e->text, alloc);
    fb__strbuf_init(&e->num, alloc);
    fb__strbuf_init(&e->packed, alloc);
    e->min_time = INT64_MAX;
    e->max_time = INT64_MIN;
    *out = e;
    return FB_OK;
}

void fb__chunk_enc_free(fb__chunk_enc *e)
{
    if (!e)
        return;
    fb__deflater_free(e->dfl);
    fb__strbuf_free(&e->body);
    fb__strbuf_free(&e->dict);
    fb__strbuf_free(&e->text);
    fb__strbuf_free(&e->num);
    fb__strbuf_free(&e->packed);
    fb__free(e->alloc, e->recs);
    fb__free(e->alloc, e->slots);
    fb__free(e->alloc, e);
}

uint32_t fb__chunk_enc_count(const fb__chunk_enc *e) { return e ? e->count : 0; }

size_t fb__chunk_enc_raw_size(const fb__chunk_enc *e)
{
    size_t created;

    if (!e || e->count == 0)
        return 0;
    /* CREATED fields, at most this long each, are added to NUM by finish. */
    created = e->count * (1 + fb__varint_size((uint64_t)e->max_time - (uint64_t)e->min_time));
    return e->body.len + created + e->dict.len + e->text.len;
}

/* ---------------------------------------------------------------- dictionary */

static uint32_t hash_bytes(const char *s, size_t len)
{
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ (uint64_t)len;
    uint64_t w;

    while (len >= 8) {
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
        h ^= h >> 32;
        s += 8;
        len -= 8;
    }
    w = 0;
    if (len)
        memcpy(&w, s, len);
    h = (h ^ w) * 0xC4CEB9FE1A85EC53ULL;
    h ^= h >> 29;
    h *= 0xFF51AFD7ED558CCDULL;
    return (uint32_t)(h >> 32);
}

static int dict_rehash(fb__chunk_enc *e)
{
    size_t cap = e->slots_cap ? e->slots_cap * 2 : 256, i;
    dict_slot *slots;

    if (cap > (size_t)-1 / sizeof *slots)
        return -1;
    slots = fb__calloc(e->alloc, cap * sizeof *slots);
    if (!slots)
        return -1;
    for (i = 0; i < e->slots_cap; i++) {
        const dict_slot *s = &e->slots[i];
        size_t j;
        if (!s->index1)
            continue;
        for (j = s->hash & (cap - 1); slots[j].index1; j = (j + 1) & (cap - 1))
            ;
        slots[j] = *s;
    }
    fb__free(e->alloc, e->slots);
    e->slots = slots;
    e->slots_cap = cap;
    return 0;
}

/* The index of s in the chunk's dictionary, adding it when new. 0, or -1 (no memory). */
static int dict_index(fb__chunk_enc *e, const char *s, size_t len, uint32_t *index)
{
    uint32_t h;
    size_t j, mask;
    dict_slot *slot;

    if ((size_t)e->n_dict * 2 >= e->slots_cap && dict_rehash(e) != 0)
        return -1;
    h = hash_bytes(s, len);
    mask = e->slots_cap - 1;
    for (j = h & mask;; j = (j + 1) & mask) {
        slot = &e->slots[j];
        if (!slot->index1)
            break;
        if (slot->hash == h && slot->len == len &&
            (len == 0 || memcmp(e->dict.data + slot->off, s, len) == 0)) {
            *index = slot->index1 - 1;
            return 0;
        }
    }
    if (len > UINT32_MAX || e->dict.len > UINT32_MAX - FB__VARINT_MAX - len)
        return -1;
    if (fb__strbuf_reserve(&e->dict, FB__VARINT_MAX + len) != 0)
        return -1;
    e->dict.len += fb__varint_write((uint8_t *)e->dict.data + e->dict.len, len);
    slot->hash = h;
    slot->off = (uint32_t)e->dict.len;
    slot->len = (uint32_t)len;
    slot->index1 = ++e->n_dict;
    if (len)
        memcpy(e->dict.data + e->dict.len, s, len);
    e->dict.len += len;
    e->dict.data[e->dict.len] = '\0';
    *index = e->n_dict - 1;
    return 0;
}

/* ---------------------------------------------------------------- fields */

static inline uint8_t *put_tag(uint8_t *o, unsigned field, unsigned wt)
{
    return o + fb__varint_write(o, ((uint64_t)field << 3) | wt);
}

static inline uint8_t *put_varint_field(uint8_t *o, unsigned field, uint64_t v)
{
    o = put_tag(o, field, FB__WT_VARINT);
    return o + fb__varint_write(o, v);
}

static inline uint8_t *put_double_field(uint8_t *o, unsigned field, double v)
{
    o = put_tag(o, field, FB__WT_FIXED64);
    fb__store_double(o, v);
    return o + 8;
}

/* A string as a DICT reference. NULL when out of memory. */
static inline uint8_t *put_dict(fb__chunk_enc *e, uint8_t *o, unsigned field, fb_str s)
{
    uint32_t index;
    if (dict_index(e, s.ptr, s.len, &index) != 0)
        return NULL;
    o = put_tag(o, field, FB__WT_DICT);
    return o + fb__varint_write(o, index);
}

/* A string as a TEXT reference, its bytes appended to TEXT. NULL when out of memory. */
static inline uint8_t *put_text(fb__chunk_enc *e, uint8_t *o, unsigned field, fb_str s)
{
    if (s.len && fb__strbuf_append(&e->text, s.ptr, s.len) != 0)
        return NULL;
    o = put_tag(o, field, FB__WT_TEXT);
    return o + fb__varint_write(o, s.len);
}

static bool is_uint32_score(double s)
{
    return s >= 0 && s < 4294967296.0 && !signbit(s) && s == (double)(uint32_t)s;
}

static bool nonzero_bits(double d)
{
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    return bits != 0;
}

/* Writes the answer sub-message (at most 48 bytes) to o; NULL when out of memory. */
static uint8_t *put_answer(fb__chunk_enc *e, uint8_t *o, const fb_answer *a)
{
    uint8_t sub[48], *s = sub;
    size_t n;

    if (a->metric != 0)
        s = put_varint_field(s, FB__LA_METRIC, (uint64_t)a->metric);
    if (a->skipped)
        s = put_varint_field(s, FB__LA_SKIPPED, 1);
    else if (is_uint32_score(a->score)) {
        if (a->score != 0)
            s = put_varint_field(s, FB__LA_SCORE_INT, (uint64_t)a->score);
    } else
        s = put_double_field(s, FB__LA_SCORE, a->score);
    if (a->metric == FB_METRIC_CUSTOM) {
        if (a->name.len) {
            s = put_dict(e, s, FB__LA_NAME, a->name);
            if (!s)
                return NULL;
        }
        if (nonzero_bits(a->scale_min))
            s = put_double_field(s, FB__LA_SCALE_MIN, a->scale_min);
        if (nonzero_bits(a->scale_max))
            s = put_double_field(s, FB__LA_SCALE_MAX, a->scale_max);
    }
    n = (size_t)(s - sub);
    o = put_tag(o, FB__LF_ANSWER, FB__WT_LEN);
    *o++ = (uint8_t)n; /* n < 128 */
    memcpy(o, sub, n);
    return o + n;
}

/* Writes the attribute sub-message to o; NULL when out of memory. */
static uint8_t *put_attr(fb__chunk_enc *e, uint8_t *o, const fb_attr *a)
{
    uint8_t sub[32], *s = sub;
    size_t n;

    if (a->key.len) {
        s = put_dict(e, s, FB__LT_KEY, a->key);
        if (!s)
            return NULL;
    }
    if (a->value.len) {
        s = a->value.len <= DICT_VALUE_MAX ? put_dict(e, s, FB__LT_VALUE, a->value)
                                           : put_text(e, s, FB__LT_VALUE, a->value);
        if (!s)
            return NULL;
    }
    n = (size_t)(s - sub);
    o = put_tag(o, FB__LF_ATTR, FB__WT_LEN);
    *o++ = (uint8_t)n; /* n < 128 */
    memcpy(o, sub, n);
    return o + n;
}

/* The length of a NUL-terminated code of at most max letters. */
static size_t code_len(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n])
        n++;
    return n;
}

/* Bytes to reserve in body for r (fields, answers, tags, attributes, terminator). */
static size_t body_bound(const fb_record *r)
{
    /* 24 fields of at most a 2-byte tag and a 10-byte value; answers: 2 + 48;
     * tags: 1 + 5; attributes: 3 + 32. */
    return 24 * 12 + 1 + r->n_answers * 50 + r->n_tags * 6 + r->n_attrs * 35;
}

#define PUT_STR(field, str, how)                   \
    do {                                           \
        if ((str).len) {                           \
            o = how(e, o, (field), (str));         \
            if (!o)                                \
                goto nomem;                        \
        }                                          \
    } while (0)

fb_status fb__chunk_enc_add(fb__chunk_enc *e, const fb_record *r)
{
    size_t text_len0, i, bound;
    uint8_t *o, *start;
    unsigned flags;

    if (!e || !r)
        return FB_ERR_INVALID_ARG;
    if (r->n_answers > FB_MAX_ANSWERS || r->n_tags > FB_MAX_TAGS || r->n_attrs > FB_MAX_ATTRS)
        return FB_ERR_INVALID_ARG; /* not validated */
    bound = body_bound(r);
    if (fb__strbuf_reserve(&e->body, bound) != 0 ||
        fb__grow(e->alloc, (void **)&e->recs, &e->recs_cap, (size_t)e->count + 1,
                 sizeof *e->recs) != 0)
        return FB_ERR_NOMEM;
    text_len0 = e->text.len;
    start = o = (uint8_t *)e->body.data + e->body.len;

    if (r->id != 0)
        o = put_varint_field(o, FB__LF_ID, fb__zigzag_encode_u(r->id - e->prev_id));
    if (r->kind != 0)
        o = put_varint_field(o, FB__LF_KIND, (uint64_t)r->kind);
    if (r->interaction_at != FB_TIME_UNKNOWN)
        o = put_varint_field(o, FB__LF_INTERACTION,
                             fb__zigzag_encode_u((uint64_t)r->created_at -
                                                 (uint64_t)r->interaction_at));
    PUT_STR(FB__LF_CUSTOMER_ID, r->customer_id, put_text);
    if (r->customer_status != 0)
        o = put_varint_field(o, FB__LF_CUSTOMER_STATUS, (uint64_t)r->customer_status);
    flags = (r->customer_verified ? 1u : 0u) | (r->win_back ? 2u : 0u);
    if (flags)
        o = put_varint_field(o, FB__LF_FLAGS, flags);
    if (r->channel != 0)
        o = put_varint_field(o, FB__LF_CHANNEL, (uint64_t)r->channel);
    if (r->source != 0)
        o = put_varint_field(o, FB__LF_SOURCE, (uint64_t)r->source);
    for (i = 0; i < r->n_answers; i++) {
        o = put_answer(e, o, &r->answers[i]);
        if (!o)
            goto nomem;
    }
    PUT_STR(FB__LF_TEXT, r->text, put_text);
    PUT_STR(FB__LF_LANGUAGE, r->language, put_dict);
    for (i = 0; i < r->n_tags; i++) {
        o = put_dict(e, o, FB__LF_TAG, r->tags[i]);
        if (!o)
            goto nomem;
    }
    PUT_STR(FB__LF_AGENT_ID, r->agent_id, put_dict);
    PUT_STR(FB__LF_TICKET_ID, r->ticket_id, put_text);
    PUT_STR(FB__LF_PRODUCT, r->product, put_dict);
    if (r->country[0]) {
        fb_str c;
        c.ptr = r->country;
        c.len = code_len(r->country, 2);
        PUT_STR(FB__LF_COUNTRY, c, put_dict);
    }
    if (r->tip != 0)
        o = put_varint_field(o, FB__LF_TIP, fb__zigzag_encode(r->tip));
    if (r->tip_currency[0]) {
        fb_str c;
        c.ptr = r->tip_currency;
        c.len = code_len(r->tip_currency, 3);
        PUT_STR(FB__LF_TIP_CURRENCY, c, put_dict);
    }
    for (i = 0; i < r->n_attrs; i++) {
        o = put_attr(e, o, &r->attrs[i]);
        if (!o)
            goto nomem;
    }
    if (r->kind == FB_KIND_UPDATE) {
        if (r->ref_id != 0)
            o = put_varint_field(o, FB__LF_REF_ID, fb__zigzag_encode_u(r->id - r->ref_id));
        if (r->handling != 0)
            o = put_varint_field(o, FB__LF_HANDLING, (uint64_t)r->handling);
        PUT_STR(FB__LF_ASSIGNEE, r->assignee, put_dict);
        if (r->assignee_kind != 0)
            o = put_varint_field(o, FB__LF_ASSIGNEE_KIND, (uint64_t)r->assignee_kind);
    }
    *o++ = 0;

    e->body.len += (size_t)(o - start);
    e->recs[e->count].created = r->created_at;
    e->recs[e->count].end = e->body.len;
    e->count++;
    e->prev_id = r->id;
    if (r->created_at < e->min_time)
        e->min_time = r->created_at;
    if (r->created_at > e->max_time)
        e->max_time = r->created_at;
    return FB_OK;

nomem:
    /* Dictionary entries added stay (unreferenced entries are harmless); TEXT must not. */
    e->text.len = text_len0;
    return FB_ERR_NOMEM;
}

/* ---------------------------------------------------------------- finish */

static void reset(fb__chunk_enc *e)
{
    fb__strbuf_reset(&e->body);
    fb__strbuf_reset(&e->dict);
    fb__strbuf_reset(&e->text);
    fb__strbuf_reset(&e->num);
    fb__strbuf_reset(&e->packed);
    if (e->n_dict)
        memset(e->slots, 0, e->slots_cap * sizeof *e->slots);
    e->n_dict = 0;
    e->count = 0;
    e->prev_id = 0;
    e->min_time = INT64_MAX;
    e->max_time = INT64_MIN;
}

/* NUM: per record, CREATED (relative to the chunk's min) and then its body. */
static fb_status build_num(fb__chunk_enc *e)
{
    size_t i, from = 0;
    uint8_t *o;

    fb__strbuf_reset(&e->num);
    if (fb__strbuf_reserve(&e->num, e->body.len + (size_t)e->count * 11) != 0)
        return FB_ERR_NOMEM;
    o = (uint8_t *)e->num.data;
    for (i = 0; i < e->count; i++) {
        const rec_info *ri = &e->recs[i];
        if (ri->created != 0)
            o = put_varint_field(o, FB__LF_CREATED,
                                 (uint64_t)ri->created - (uint64_t)e->min_time);
        memcpy(o, e->body.data + from, ri->end - from);
        o += ri->end - from;
        from = ri->end;
    }
    e->num.len = (size_t)(o - (uint8_t *)e->num.data);
    return FB_OK;
}

fb_status fb__chunk_enc_finish(fb__chunk_enc *e, const uint8_t sync[FB__LOG_SYNC_SIZE],
                               uint64_t first_seq, int level, fb__strbuf *out,
                               fb__chunk_header *header)
{
    struct {
        uint8_t id;
        const fb__strbuf *raw;
        size_t stored;
    } streams[3];
    uint8_t table[1 + 3 * (1 + 2 * FB__VARINT_MAX)], *t = table;
    size_t n_streams = 0, i, raw_len, payload_len, out_len0;
    const char *packed;
    fb__chunk_header h;
    uint8_t *p;

    if (!e || !sync || !out || e->count == 0 || level < 0 || level > 9 ||
        e->count > FB__LOG_MAX_RECORDS)
        return FB_ERR_INVALID_ARG;
    FB__TRY(build_num(e));
    raw_len = e->num.len + e->dict.len + e->text.len;
    if (raw_len > FB__LOG_MAX_RAW)
        return FB_ERR_INVALID_ARG; /* the caller must end chunks before this */

    streams[n_streams].id = FB__LOG_STREAM_NUM;
    streams[n_streams++].raw = &e->num;
    if (e->dict.len) {
        streams[n_streams].id = FB__LOG_STREAM_DICT;
        streams[n_streams++].raw = &e->dict;
    }
    if (e->text.len) {
        streams[n_streams].id = FB__LOG_STREAM_TEXT;
        streams[n_streams++].raw = &e->text;
    }

    fb__strbuf_reset(&e->packed);
    if (level > 0) {
        if (!e->dfl && !(e->dfl = fb__deflater_new(e->alloc)))
            return FB_ERR_NOMEM;
        for (i = 0; i < n_streams; i++)
            FB__TRY(fb__deflater_compress(e->dfl, level, streams[i].raw->data,
                                          streams[i].raw->len, &e->packed, &streams[i].stored));
        packed = e->packed.data;
    } else {
        for (i = 0; i < n_streams; i++)
            streams[i].stored = streams[i].raw->len;
        packed = NULL;
    }

    t += fb__varint_write(t, n_streams);
    payload_len = 0;
    for (i = 0; i < n_streams; i++) {
        *t++ = streams[i].id;
        t += fb__varint_write(t, streams[i].stored);
        t += fb__varint_write(t, streams[i].raw->len);
        payload_len += streams[i].stored;
    }
    payload_len += (size_t)(t - table);
    if (payload_len > FB__LOG_MAX_PAYLOAD)
        return FB_ERR_INVALID_ARG;

    out_len0 = out->len;
    if (fb__strbuf_reserve(out, FB__LOG_CHUNK_OVERHEAD + payload_len) != 0)
        return FB_ERR_NOMEM;
    h.type = FB__LOG_CHUNK_DATA;
    h.codec = level > 0 ? FB__LOG_CODEC_DEFLATE : FB__LOG_CODEC_STORED;
    h.flags = 0;
    h.count = e->count;
    h.payload_len = (uint32_t)payload_len;
    h.raw_len = (uint32_t)raw_len;
    h.first_seq = first_seq;
    h.min_time = e->min_time;
    h.max_time = e->max_time;
    p = (uint8_t *)out->data + out_len0;
    fb__chunk_header_write(p, sync, &h);
    if (header)
        *header = h;
    p += FB__LOG_CHUNK_HEADER;
    memcpy(p, table, (size_t)(t - table));
    p += t - table;
    if (packed) {
        memcpy(p, packed, e->packed.len);
        p += e->packed.len;
    } else {
        for (i = 0; i < n_streams; i++) {
            memcpy(p, streams[i].raw->data, streams[i].raw->len);
            p += streams[i].raw->len;
        }
    }
    fb__store_u32(p, (uint32_t)crc32(0L, (const Bytef *)out->data + out_len0 +
                                             FB__LOG_CHUNK_HEADER,
                                     (uInt)payload_len));
    out->len = out_len0 + FB__LOG_CHUNK_OVERHEAD + payload_len;
    out->data[out->len] = '\0';
    reset(e);
    return FB_OK;
}
