/*
 * Records to a data chunk (layout in log_format.h).
 *
 * fb__chunk_enc_add appends each field's value to its column, one growing
 * buffer per column. A column comes into use with the first value that is
 * not its default: it is then filled with default values for the units
 * before, and from then on takes a value for every unit. So a column in use
 * always holds a value per unit so far, nothing is left to pad at the end,
 * and a field no record of the chunk uses costs nothing: its column is left
 * out. The first created_at is relative to the chunk's min, known only at the
 * end, so the created_at column keeps room for it at its front. Strings go to
 * the chunk's dictionary (dict.h) or inline into their column.
 * Nothing is allocated per record once the buffers have grown.
 */
#include <math.h>
#include <string.h>
#include <zlib.h> /* crc32, crc32_combine */

#include "alloc_private.h"
#include "compiler.h"
#include "deflate_backend.h"
#include "error_private.h"
#include "log_chunk.h"
#include "dict.h"
#include "log_columns.h"
#include "varint.h"

/* Attribute values up to this many bytes go to DICT, longer ones inline. */
#define DICT_VALUE_MAX 32

/*
 * A column's bytes are [data, next). In use, limit is the end of its memory;
 * not in use, limit is next, so that no value fits and the first one takes
 * the slow path that brings the column into use.
 */
typedef struct column {
    uint8_t *data, *next, *limit;
    size_t cap;       /* bytes at data */
    bool in_use;      /* holds a value per unit so far; else none, all were defaults */
    uint8_t unit;     /* fb__col_unit */
    uint8_t fill;     /* the byte of its default value */
} column;

struct fb__chunk_enc {
    const fb_allocator *alloc;
    column col[FB__COL_LAST + 1];
    uint32_t total[FB__UNIT_COUNT]; /* units (records, answers, ...) so far */
    size_t written;      /* bytes in the columns (without created_at's room) */
    uint64_t started;    /* bit 1 << id: columns that came into use with the record being added */
    fb__dict dict;
    fb__strbuf packed;   /* compressed streams, in finish */
    uint64_t prev_id;
    int64_t first_time, prev_time, min_time, max_time;
    fb__deflater *dfl;   /* the compressor, created on first use */
};

/*
 * The record being added: the bytes of its values so far, and whether memory
 * ran out. A local of fb__chunk_enc_add that the functions writing values
 * take and are inlined into, so that it can stay in registers.
 */
typedef struct adding {
    fb__chunk_enc *e;
    size_t bytes;
    bool failed;
} adding;

fb_status fb__chunk_enc_new(const fb_allocator *alloc, fb__chunk_enc **out)
{
    fb__chunk_enc *e;
    unsigned id;

    if (!out)
        return FB_ERR_INVALID_ARG;
    *out = NULL;
    e = fb__calloc(alloc, sizeof *e);
    if (!e)
        return FB_ERR_NOMEM;
    e->alloc = alloc;
    for (id = 0; id <= FB__COL_LAST; id++) {
        const fb__col_info *info = fb__col_info_of(id);
        if (info) {
            e->col[id].unit = info->unit;
            e->col[id].fill = fb__col_default_byte(info->enc);
        }
    }
    fb__dict_init(&e->dict, alloc);
    fb__strbuf_init(&e->packed, alloc);
    e->min_time = INT64_MAX;
    e->max_time = INT64_MIN;
    *out = e;
    return FB_OK;
}

void fb__chunk_enc_free(fb__chunk_enc *e)
{
    unsigned id;

    if (!e)
        return;
    fb__deflater_free(e->dfl);
    for (id = 0; id <= FB__COL_LAST; id++)
        fb__free(e->alloc, e->col[id].data);
    fb__dict_free(&e->dict);
    fb__strbuf_free(&e->packed);
    fb__free(e->alloc, e);
}

uint32_t fb__chunk_enc_count(const fb__chunk_enc *e)
{
    return e ? e->total[FB__UNIT_RECORD] : 0;
}

size_t fb__chunk_enc_raw_size(const fb__chunk_enc *e)
{
    if (!e || e->total[FB__UNIT_RECORD] == 0)
        return 0;
    /* What finish adds: the first created_at (at most this much). */
    return e->written + e->dict.stream.len + FB__VARINT_MAX;
}

/* ---------------------------------------------------------------- columns */

/* Makes room for extra more bytes in c. Returns 0, or -1 (no memory; c unchanged). */
static int col_grow(const fb_allocator *alloc, column *c, size_t extra)
{
    size_t len = (size_t)(c->next - c->data), cap = c->cap ? c->cap : 256;
    uint8_t *p;

    if (extra > SIZE_MAX / 2 - len)
        return -1;
    while (cap - len <= extra)
        cap *= 2;
    if (cap == c->cap)
        return 0;
    p = fb__realloc(alloc, c->data, c->cap, cap);
    if (!p)
        return -1;
    c->data = p;
    c->next = p + len;
    c->cap = cap;
    return 0;
}

/*
 * The slow path of col_room: the column's first value, or memory to grow.
 * What it pads with counts in e->written at once (not in the record's bytes),
 * and take_back knows the column from e->started.
 */
static uint8_t *col_room_slow(fb__chunk_enc *e, unsigned id, uint32_t index, size_t room)
{
    column *c = &e->col[id];
    size_t pad = c->in_use ? 0 : index;

    if (col_grow(e->alloc, c, pad + room) != 0)
        return NULL;
    if (!c->in_use) {
        /* The defaults of the units before: a column in use has a value for each. */
        memset(c->next, c->fill, pad);
        c->next += pad;
        e->written += pad;
        c->in_use = true;
        e->started |= (uint64_t)1 << id;
    }
    c->limit = c->data + c->cap;
    return c->next;
}

/*
 * Where the value of unit index goes in column id, with room for room bytes
 * (more than room left before limit); NULL when out of memory. The caller
 * writes the value and calls col_done. Call this for a column not in use
 * only with a value that is not its default: the column comes into use.
 */
static FB__ALWAYS_INLINE uint8_t *col_room(adding *x, unsigned id, uint32_t index,
                                           size_t room)
{
    column *c = &x->e->col[id];
    uint8_t *o;

    if ((size_t)(c->limit - c->next) > room)
        return c->next;
    o = col_room_slow(x->e, id, index, room);
    if (!o)
        x->failed = true;
    return o;
}

static FB__ALWAYS_INLINE void col_done(adding *x, unsigned id, uint8_t *end)
{
    column *c = &x->e->col[id];

    x->bytes += (size_t)(end - c->next);
    c->next = end;
}

/* Whether the default value of column id needs no writing: the column is not in use. */
static FB__ALWAYS_INLINE bool skip_default(const adding *x, unsigned id)
{
    return !x->e->col[id].in_use;
}

/* Value index of column id: the varint v (zigzag columns: already mapped; 0 is the default). */
static FB__ALWAYS_INLINE void put_varint(adding *x, unsigned id, uint32_t index, uint64_t v)
{
    uint8_t *o;

    if (v == 0 && skip_default(x, id))
        return;
    o = col_room(x, id, index, FB__VARINT_MAX);
    if (o)
        col_done(x, id, o + fb__varint_write(o, v));
}

/* A string as a reference to its DICT entry; "" is the default (inline, u = 1). */
static FB__ALWAYS_INLINE void put_dict_string(adding *x, unsigned id, uint32_t index,
                                              const char *s, size_t len)
{
    uint32_t entry;
    uint8_t *o;

    if (len == 0) {
        put_varint(x, id, index, skip_default(x, id) ? 0 : 1);
        return;
    }
    if (fb__dict_index(&x->e->dict, s, len, &entry) != 0) {
        x->failed = true;
        return;
    }
    /* Entry 0 is u = 0, which is not the default of a string column. */
    o = col_room(x, id, index, FB__VARINT_MAX);
    if (o)
        col_done(x, id, o + fb__varint_write(o, (uint64_t)entry << 1));
}

/* A string inline in its column; "" is the default. */
static FB__ALWAYS_INLINE void put_inline_string(adding *x, unsigned id, uint32_t index,
                                                const char *s, size_t len)
{
    uint8_t *o;

    if (len == 0 && skip_default(x, id))
        return;
    o = col_room(x, id, index, FB__VARINT_MAX + len);
    if (!o)
        return;
    o += fb__varint_write(o, ((uint64_t)len << 1) | 1);
    if (len) /* "" may come as NULL */
        memcpy(o, s, len);
    col_done(x, id, o + len);
}

/* A number: whole numbers up to 2^53 in magnitude (not -0) as zigzag varints, others as doubles. */
static FB__ALWAYS_INLINE void put_number(adding *x, unsigned id, uint32_t index, double v)
{
    uint8_t *o;

    if (v == floor(v) && fabs(v) <= 9007199254740992.0 && !(v == 0 && signbit(v))) {
        put_varint(x, id, index, fb__zigzag_encode((int64_t)v) << 1);
        return;
    }
    o = col_room(x, id, index, 9);
    if (!o)
        return;
    *o = FB__NUM_DOUBLE;
    fb__store_double(o + 1, v);
    col_done(x, id, o + 9);
}

/* A fixed-size code (country, currency): its NUL-terminated letters, at most max. */
static FB__ALWAYS_INLINE void put_code(adding *x, unsigned id, uint32_t index, const char *code, size_t max)
{
    size_t n = 0;
    while (n < max && code[n])
        n++;
    put_dict_string(x, id, index, code, n);
}

/* Answer index of the chunk; custom: its index among the custom answers. */
static FB__ALWAYS_INLINE void put_answer(adding *x, const fb_answer *a, uint32_t index, uint32_t custom)
{
    put_varint(x, FB__COL_ANSWER_METRIC, index, (uint64_t)a->metric);
    if (a->skipped)
        put_varint(x, FB__COL_ANSWER_SCORE, index, FB__NUM_NONE);
    else
        put_number(x, FB__COL_ANSWER_SCORE, index, a->score);
    if (a->metric == FB_METRIC_CUSTOM) {
        put_dict_string(x, FB__COL_ANSWER_NAME, custom, a->name.ptr, a->name.len);
        put_number(x, FB__COL_ANSWER_SCALE_MIN, custom, a->scale_min);
        put_number(x, FB__COL_ANSWER_SCALE_MAX, custom, a->scale_max);
    }
}

/* The length of the first count values at p (values are self-delimiting). */
static size_t values_end(const uint8_t *p, size_t len, unsigned enc, uint32_t count)
{
    size_t pos = 0;
    uint32_t i;

    for (i = 0; i < count && pos < len; i++) {
        uint64_t u;
        if (fb__get_varint(p, len, &pos, &u) != 0)
            break;
        if (enc == FB__ENC_STRING && (u & 1))
            pos += (size_t)(u >> 1);
        else if (enc == FB__ENC_NUMBER && u == FB__NUM_DOUBLE)
            pos += 8;
    }
    return pos;
}

/* A column goes out of use, empty. */
static void col_clear(column *c)
{
    c->next = c->data;
    c->limit = c->next;
    c->in_use = false;
}

/*
 * Takes back the values of a record that ran out of memory half-way: the
 * columns that came into use with it go out of use, the others keep only the
 * values of the units before it (start[unit]). Rare, so it walks the columns
 * rather than saving them before every record; it counts the columns'
 * bytes afresh.
 */
static void take_back(fb__chunk_enc *e, const uint32_t start[FB__UNIT_COUNT])
{
    unsigned id;

    e->written = 0;
    for (id = FB__COL_ID; id <= FB__COL_LAST; id++) {
        column *c = &e->col[id];
        /* created_at's value 0 lives in the room at its front; the rest follow it. */
        size_t front = id == FB__COL_CREATED ? FB__VARINT_MAX : 0;
        uint32_t keep = start[c->unit] - (front ? 1 : 0);

        if (e->started & ((uint64_t)1 << id))
            col_clear(c);
        else if (c->in_use)
            c->next = c->data + front +
                      values_end(c->data + front, (size_t)(c->next - c->data) - front,
                                 fb__col_info_of(id)->enc, keep);
        if (c->in_use)
            e->written += (size_t)(c->next - c->data) - front;
    }
}

fb_status fb__chunk_enc_add(fb__chunk_enc *e, const fb_record *r)
{
    uint32_t ri, ai, ci, ti, ki, start[FB__UNIT_COUNT];
    adding x;
    bool update;
    size_t i;

    if (!e || !r)
        return FB_ERR_INVALID_ARG;
    if (r->n_answers > FB_MAX_ANSWERS || r->n_tags > FB_MAX_TAGS || r->n_attrs > FB_MAX_ATTRS)
        return FB_ERR_INVALID_ARG; /* not validated */
    memcpy(start, e->total, sizeof start);
    ri = start[FB__UNIT_RECORD];
    ai = start[FB__UNIT_ANSWER];
    ci = start[FB__UNIT_CUSTOM];
    ti = start[FB__UNIT_TAG];
    ki = start[FB__UNIT_ATTR];
    x.e = e;
    x.bytes = 0;
    x.failed = false;
    e->started = 0;

    put_varint(&x, FB__COL_ID, ri, fb__zigzag_encode_u(r->id - e->prev_id));
    put_varint(&x, FB__COL_KIND, ri, (uint64_t)r->kind);
    if (ri == 0) {
        /* Its value, relative to the chunk's min, goes into the room at the front in finish. */
        column *c = &e->col[FB__COL_CREATED];
        e->first_time = r->created_at;
        if (col_grow(e->alloc, c, FB__VARINT_MAX) != 0) {
            x.failed = true;
        } else {
            c->next = c->data + FB__VARINT_MAX;
            c->limit = c->data + c->cap;
            c->in_use = true;
            e->started |= (uint64_t)1 << FB__COL_CREATED;
        }
    } else {
        put_varint(&x, FB__COL_CREATED, ri,
                   fb__zigzag_encode_u((uint64_t)r->created_at - (uint64_t)e->prev_time));
    }
    put_varint(&x, FB__COL_INTERACTION, ri,
               r->interaction_at == FB_TIME_UNKNOWN
                   ? 0
                   : 1 + fb__zigzag_encode_u((uint64_t)r->created_at -
                                             (uint64_t)r->interaction_at));
    put_inline_string(&x, FB__COL_CUSTOMER_ID, ri, r->customer_id.ptr, r->customer_id.len);
    put_varint(&x, FB__COL_CUSTOMER_STATUS, ri, (uint64_t)r->customer_status);
    put_varint(&x, FB__COL_CUSTOMER_FLAGS, ri,
               (r->customer_verified ? 1u : 0u) | (r->win_back ? 2u : 0u));
    put_varint(&x, FB__COL_CHANNEL, ri, (uint64_t)r->channel);
    put_varint(&x, FB__COL_SOURCE, ri, (uint64_t)r->source);
    put_varint(&x, FB__COL_ANSWER_COUNT, ri, r->n_answers);
    for (i = 0; i < r->n_answers; i++) {
        put_answer(&x, &r->answers[i], ai + (uint32_t)i, ci);
        ci += r->answers[i].metric == FB_METRIC_CUSTOM;
    }
    put_inline_string(&x, FB__COL_TEXT, ri, r->text.ptr, r->text.len);
    put_dict_string(&x, FB__COL_LANGUAGE, ri, r->language.ptr, r->language.len);
    put_varint(&x, FB__COL_TAG_COUNT, ri, r->n_tags);
    for (i = 0; i < r->n_tags; i++)
        put_dict_string(&x, FB__COL_TAG, ti + (uint32_t)i, r->tags[i].ptr, r->tags[i].len);
    put_dict_string(&x, FB__COL_AGENT_ID, ri, r->agent_id.ptr, r->agent_id.len);
    put_inline_string(&x, FB__COL_TICKET_ID, ri, r->ticket_id.ptr, r->ticket_id.len);
    put_dict_string(&x, FB__COL_PRODUCT, ri, r->product.ptr, r->product.len);
    put_code(&x, FB__COL_COUNTRY, ri, r->country, 2);
    put_varint(&x, FB__COL_TIP, ri, fb__zigzag_encode(r->tip));
    put_code(&x, FB__COL_TIP_CURRENCY, ri, r->tip_currency, 3);
    put_varint(&x, FB__COL_ATTR_COUNT, ri, r->n_attrs);
    for (i = 0; i < r->n_attrs; i++) {
        const fb_attr *a = &r->attrs[i];
        put_dict_string(&x, FB__COL_ATTR_KEY, ki + (uint32_t)i, a->key.ptr, a->key.len);
        if (a->value.len <= DICT_VALUE_MAX)
            put_dict_string(&x, FB__COL_ATTR_VALUE, ki + (uint32_t)i, a->value.ptr, a->value.len);
        else
            put_inline_string(&x, FB__COL_ATTR_VALUE, ki + (uint32_t)i, a->value.ptr,
                              a->value.len);
    }
    /* Only updates have these; other records keep the defaults. */
    update = r->kind == FB_KIND_UPDATE;
    put_varint(&x, FB__COL_REF_ID, ri,
               update && r->ref_id != 0 ? 1 + fb__zigzag_encode_u(r->id - r->ref_id) : 0);
    put_varint(&x, FB__COL_HANDLING, ri, update ? (uint64_t)r->handling : 0);
    put_dict_string(&x, FB__COL_ASSIGNEE, ri, r->assignee.ptr, update ? r->assignee.len : 0);
    put_varint(&x, FB__COL_ASSIGNEE_KIND, ri, update ? (uint64_t)r->assignee_kind : 0);
    if (x.failed) {
        /* Dictionary entries added stay (unreferenced ones are harmless); values must not. */
        take_back(e, start);
        return FB_ERR_NOMEM;
    }

    e->written += x.bytes;
    e->total[FB__UNIT_RECORD] = ri + 1;
    e->total[FB__UNIT_ANSWER] = ai + (uint32_t)r->n_answers;
    e->total[FB__UNIT_CUSTOM] = ci;
    e->total[FB__UNIT_TAG] = ti + (uint32_t)r->n_tags;
    e->total[FB__UNIT_ATTR] = ki + (uint32_t)r->n_attrs;
    e->prev_id = r->id;
    e->prev_time = r->created_at;
    if (r->created_at < e->min_time)
        e->min_time = r->created_at;
    if (r->created_at > e->max_time)
        e->max_time = r->created_at;
    return FB_OK;
}

/* ---------------------------------------------------------------- finish */

static void reset(fb__chunk_enc *e)
{
    unsigned id;

    for (id = 0; id <= FB__COL_LAST; id++)
        col_clear(&e->col[id]);
    memset(e->total, 0, sizeof e->total);
    e->written = 0;
    fb__dict_reset(&e->dict);
    fb__strbuf_reset(&e->packed);
    e->prev_id = 0;
    e->min_time = INT64_MAX;
    e->max_time = INT64_MIN;
}

/* A stream of the payload being built. */
typedef struct out_stream {
    uint8_t id, codec;
    const uint8_t *raw;
    size_t raw_len;
    size_t packed_at, stored;  /* its body: e->packed[packed_at, + stored) when deflated */
    uint32_t crc;
} out_stream;

/* The created_at column, complete: its first value in the room at its front. */
static void created_column(fb__chunk_enc *e, const uint8_t **raw, size_t *len)
{
    column *c = &e->col[FB__COL_CREATED];
    uint8_t first[FB__VARINT_MAX];
    size_t n = fb__varint_write(first, fb__zigzag_encode_u((uint64_t)e->first_time -
                                                           (uint64_t)e->min_time));
    uint8_t *start = c->data + FB__VARINT_MAX - n;

    memcpy(start, first, n);
    *raw = start;
    *len = (size_t)(c->next - start);
}

/* Compresses s (or stores it: level 0, or deflate would not shrink it) and sums its CRC. */
static fb_status pack_stream(fb__chunk_enc *e, int level, out_stream *s)
{
    s->codec = FB__LOG_CODEC_STORED;
    s->stored = s->raw_len;
    if (level > 0 && s->raw_len > 0) {
        size_t at = e->packed.len, stored;
        FB__TRY(fb__deflater_compress(e->dfl, level, s->raw, s->raw_len, &e->packed, &stored));
        if (stored < s->raw_len) {
            s->codec = FB__LOG_CODEC_DEFLATE;
            s->packed_at = at;
            s->stored = stored;
        } else {
            e->packed.len = at;
        }
    }
    s->crc = (uint32_t)crc32(0L, s->codec == FB__LOG_CODEC_DEFLATE
                                     ? (const Bytef *)e->packed.data + s->packed_at
                                     : s->raw,
                             (uInt)s->stored);
    return FB_OK;
}

fb_status fb__chunk_enc_finish(fb__chunk_enc *e, const uint8_t sync[FB__LOG_SYNC_SIZE],
                               uint64_t first_seq, int level, fb__strbuf *out,
                               fb__chunk_header *header)
{
    out_stream streams[FB__COL_LAST + 1];
    uint8_t table[FB__LOG_TABLE_MAX + 4], *t = table;
    size_t n = 0, i, raw_len = 0, payload_len, out_len0, table_len;
    uint32_t count = fb__chunk_enc_count(e);
    uLong payload_crc;
    fb__chunk_header h;
    unsigned id;
    uint8_t *p;

    if (!e || !sync || !out || count == 0 || level < 0 || level > 9)
        return FB_ERR_INVALID_ARG;
    if (e->dict.stream.len) {
        streams[n].id = FB__COL_DICT;
        streams[n].raw = (const uint8_t *)e->dict.stream.data;
        streams[n++].raw_len = e->dict.stream.len;
    }
    for (id = FB__COL_ID; id <= FB__COL_LAST; id++) {
        out_stream *s = &streams[n];
        s->id = (uint8_t)id;
        if (id == FB__COL_CREATED) {
            created_column(e, &s->raw, &s->raw_len); /* always: it bounds the record count */
        } else {
            s->raw = e->col[id].data;
            s->raw_len = e->col[id].in_use ? (size_t)(e->col[id].next - e->col[id].data) : 0;
        }
        if (s->raw_len)
            n++;
    }
    for (i = 0; i < n; i++)
        raw_len += streams[i].raw_len;
    if (raw_len > FB__LOG_MAX_RAW)
        return FB_ERR_INVALID_ARG; /* the caller must end chunks before this */

    fb__strbuf_reset(&e->packed);
    if (level > 0 && !e->dfl && !(e->dfl = fb__deflater_new(e->alloc)))
        return FB_ERR_NOMEM;
    for (i = 0; i < n; i++)
        FB__TRY(pack_stream(e, level, &streams[i]));

    t += fb__varint_write(t, n);
    payload_len = 0;
    for (i = 0; i < n; i++) {
        *t++ = streams[i].id;
        *t++ = streams[i].codec;
        t += fb__varint_write(t, streams[i].stored);
        t += fb__varint_write(t, streams[i].raw_len);
        fb__store_u32(t, streams[i].crc);
        t += 4;
        payload_len += streams[i].stored;
    }
    table_len = (size_t)(t - table);
    fb__store_u32(t, (uint32_t)crc32(0L, table, (uInt)table_len));
    t += 4;
    payload_len += (size_t)(t - table);
    if (payload_len > FB__LOG_MAX_PAYLOAD)
        return FB_ERR_INVALID_ARG;

    out_len0 = out->len;
    if (fb__strbuf_reserve(out, FB__LOG_CHUNK_OVERHEAD + payload_len) != 0)
        return FB_ERR_NOMEM;
    memset(&h, 0, sizeof h);
    h.type = FB__LOG_CHUNK_DATA;
    h.count = count;
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
    /* The payload's CRC, from the parts' CRCs: no second pass over the bodies. */
    payload_crc = crc32(0L, table, (uInt)(t - table));
    for (i = 0; i < n; i++) {
        const out_stream *s = &streams[i];
        memcpy(p,
               s->codec == FB__LOG_CODEC_DEFLATE ? (const uint8_t *)e->packed.data + s->packed_at
                                                 : s->raw,
               s->stored);
        p += s->stored;
        payload_crc = crc32_combine(payload_crc, s->crc, (z_off_t)s->stored);
    }
    fb__store_u32(p, (uint32_t)payload_crc);
    out->len = out_len0 + FB__LOG_CHUNK_OVERHEAD + payload_len;
    out->data[out->len] = '\0';
    reset(e);
    return FB_OK;
}
