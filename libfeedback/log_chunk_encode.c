/*
 * Records to a data chunk (layout in log_format.h).
 *
 * fb__chunk_enc_add appends each field's value to its column, one growing
 * buffer per column. A default value is not written at all: a column is
 * padded with default bytes only when a later value needs its position, and
 * at the end, so a field no record of the chunk uses costs nothing and its
 * column is left out. The first created_at is relative to the chunk's min,
 * known only at the end, so the created_at column keeps room for it at its
 * front. Strings go to the chunk's dictionary (DICT, deduplicated through an
 * open-addressing hash table whose slots point into the DICT stream itself,
 * so no string is allocated on its own) or inline into their column. Nothing
 * is allocated per record once the buffers have grown.
 */
#include <math.h>
#include <string.h>
#include <zlib.h> /* crc32, crc32_combine */

#include "alloc_private.h"
#include "deflate_backend.h"
#include "error_private.h"
#include "log_chunk.h"
#include "log_columns.h"
#include "varint.h"

/* Attribute values up to this many bytes go to DICT, longer ones inline. */
#define DICT_VALUE_MAX 32

typedef struct dict_slot {
    uint32_t hash;
    uint32_t index1;  /* entry index + 1; 0: empty slot */
    uint32_t off;     /* offset of the string's bytes in e->dict */
    uint32_t len;
} dict_slot;

typedef struct column {
    fb__strbuf buf;   /* the created_at column starts with FB__VARINT_MAX bytes of room */
    uint32_t n;       /* values in buf (0: the column is not in use) */
    uint8_t unit;     /* fb__col_unit */
    uint8_t fill;     /* the byte of its default value */
} column;

/*
 * Values a unit (records, answers, custom answers, tags, attributes) has so
 * far, and those its columns in use hold.
 */
typedef struct unit_count {
    uint32_t total;
    uint32_t in_use;  /* columns of this unit holding values */
    uint64_t held;    /* values those columns hold */
} unit_count;

struct fb__chunk_enc {
    const fb_allocator *alloc;
    column col[FB__COL_LAST + 1];
    unit_count unit[FB__UNIT_COUNT];
    size_t written;      /* bytes in the columns' buffers (without created_at's room) */
    fb__strbuf dict;     /* the DICT stream */
    fb__strbuf packed;   /* compressed streams, in finish */
    uint64_t prev_id;
    int64_t first_time, prev_time, min_time, max_time;
    dict_slot *slots;
    size_t slots_cap;    /* a power of two, or 0 */
    uint32_t n_dict;
    fb__deflater *dfl;   /* the compressor, created on first use */
};

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
        fb__strbuf_init(&e->col[id].buf, alloc);
        if (info) {
            e->col[id].unit = info->unit;
            e->col[id].fill = fb__col_default_byte(info->enc);
        }
    }
    fb__strbuf_init(&e->dict, alloc);
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
        fb__strbuf_free(&e->col[id].buf);
    fb__strbuf_free(&e->dict);
    fb__strbuf_free(&e->packed);
    fb__free(e->alloc, e->slots);
    fb__free(e->alloc, e);
}

uint32_t fb__chunk_enc_count(const fb__chunk_enc *e)
{
    return e ? e->unit[FB__UNIT_RECORD].total : 0;
}

size_t fb__chunk_enc_raw_size(const fb__chunk_enc *e)
{
    size_t size, u;

    if (!e || e->unit[FB__UNIT_RECORD].total == 0)
        return 0;
    /* What finish adds: the padding of the columns in use, and the first created_at. */
    size = e->written + e->dict.len + FB__VARINT_MAX;
    for (u = 0; u < FB__UNIT_COUNT; u++)
        size += (size_t)((uint64_t)e->unit[u].in_use * e->unit[u].total - e->unit[u].held);
    return size;
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
    /* The last 0..7 bytes, without a variable-length copy: two overlapping
     * 4-byte loads, or three single bytes for the shortest strings. */
    if (len >= 4) {
        uint32_t a, b;
        memcpy(&a, s, 4);
        memcpy(&b, s + len - 4, 4);
        w = (uint64_t)a << 32 | b;
    } else if (len > 0) {
        w = (uint64_t)(unsigned char)s[0] << 16 | (uint64_t)(unsigned char)s[len / 2] << 8 |
            (unsigned char)s[len - 1];
    } else {
        w = 0;
    }
    h = (h ^ w) * 0xC4CEB9FE1A85EC53ULL;
    h ^= h >> 29;
    h *= 0xFF51AFD7ED558CCDULL;
    return (uint32_t)(h >> 32);
}

/* Whether a and b, n bytes each, are equal: short strings (most dictionary entries) inline. */
static inline bool same_bytes(const char *a, const char *b, size_t n)
{
    uint64_t x, y, u, v;

    if (n > 16)
        return memcmp(a, b, n) == 0;
    if (n >= 8) {
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        memcpy(&u, a + n - 8, 8);
        memcpy(&v, b + n - 8, 8);
        return x == y && u == v;
    }
    if (n >= 4) {
        uint32_t p, q, r, t;
        memcpy(&p, a, 4);
        memcpy(&q, b, 4);
        memcpy(&r, a + n - 4, 4);
        memcpy(&t, b + n - 4, 4);
        return p == q && r == t;
    }
    return n == 0 || (a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1]);
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
        if (slot->hash == h && slot->len == len && same_bytes(e->dict.data + slot->off, s, len)) {
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

/* ---------------------------------------------------------------- columns */

/* The slow path of col_slot: padding, a first value, or a buffer to grow. */
static uint8_t *col_slot_slow(fb__chunk_enc *e, column *c, uint32_t index, size_t room)
{
    unit_count *u = &e->unit[c->unit];
    uint32_t pad = index - c->n;

    if (fb__strbuf_reserve(&c->buf, pad + room) != 0)
        return NULL;
    if (c->n == 0)
        u->in_use++;
    if (pad) {
        memset(c->buf.data + c->buf.len, c->fill, pad);
        c->buf.len += pad;
        e->written += pad;
    }
    u->held += pad + 1;
    c->n = index + 1;
    return (uint8_t *)c->buf.data + c->buf.len;
}

/*
 * Pads column id with default values up to position index and makes room for
 * a value of up to room bytes; returns where it goes, or NULL (no memory).
 * The caller writes the value and calls col_done.
 */
static inline uint8_t *col_slot(fb__chunk_enc *e, unsigned id, uint32_t index, size_t room)
{
    column *c = &e->col[id];
    uint32_t pad = index - c->n;

    /* The common cases: the column in use, a few default values to pad (often
     * none), room left. */
    if (c->n != 0 && pad <= 8 && c->buf.cap - c->buf.len > room + pad) {
        uint8_t *o = (uint8_t *)c->buf.data + c->buf.len;
        uint32_t k;
        for (k = 0; k < pad; k++)
            o[k] = c->fill;
        c->buf.len += pad;
        e->written += pad;
        e->unit[c->unit].held += pad + 1;
        c->n = index + 1;
        return o + pad;
    }
    return col_slot_slow(e, c, index, room);
}

static inline void col_done(fb__chunk_enc *e, unsigned id, const uint8_t *end)
{
    column *c = &e->col[id];
    size_t n = (size_t)(end - (const uint8_t *)c->buf.data) - c->buf.len;
    c->buf.len += n;
    e->written += n;
}

/* Value index of column id: the varint v. */
static inline int put_varint_always(fb__chunk_enc *e, unsigned id, uint32_t index, uint64_t v)
{
    uint8_t *o = col_slot(e, id, index, FB__VARINT_MAX);
    if (!o)
        return -1;
    col_done(e, id, o + fb__varint_write(o, v));
    return 0;
}

/* A varint value (zigzag columns: already mapped); 0, the default, is not written. */
static inline int put_varint(fb__chunk_enc *e, unsigned id, uint32_t index, uint64_t v)
{
    return v == 0 ? 0 : put_varint_always(e, id, index, v);
}

/* A string, as a DICT reference or inline; "", the default, is not written. */
/* A string as a reference to its DICT entry. */
static int put_dict_ref(fb__chunk_enc *e, unsigned id, uint32_t index, const char *s, size_t len)
{
    uint32_t entry;
    if (dict_index(e, s, len, &entry) != 0)
        return -1;
    /* Entry 0 is u = 0, which is not the default of a string column ("": u = 1). */
    return put_varint_always(e, id, index, (uint64_t)entry << 1);
}

static inline int put_string(fb__chunk_enc *e, unsigned id, uint32_t index, const char *s,
                             size_t len, bool dict)
{
    uint8_t *o;

    if (len == 0)
        return 0;
    if (dict)
        return put_dict_ref(e, id, index, s, len);
    o = col_slot(e, id, index, FB__VARINT_MAX + len);
    if (!o)
        return -1;
    o += fb__varint_write(o, ((uint64_t)len << 1) | 1);
    memcpy(o, s, len);
    col_done(e, id, o + len);
    return 0;
}

/* A number: whole numbers up to 2^53 in magnitude (not -0) as zigzag varints, others as doubles. */
static int put_number(fb__chunk_enc *e, unsigned id, uint32_t index, double x)
{
    uint8_t *o;

    if (x == 0 && !signbit(x))
        return 0;
    if (x != 0 && x == floor(x) && fabs(x) <= 9007199254740992.0) /* -0 is a double */
        return put_varint(e, id, index, fb__zigzag_encode((int64_t)x) << 1);
    o = col_slot(e, id, index, 9);
    if (!o)
        return -1;
    *o = FB__NUM_DOUBLE;
    fb__store_double(o + 1, x);
    col_done(e, id, o + 9);
    return 0;
}

/* A fixed-size code (country, currency): its NUL-terminated letters, at most max. */
static int put_code(fb__chunk_enc *e, unsigned id, uint32_t index, const char *code, size_t max)
{
    size_t n = 0;
    while (n < max && code[n])
        n++;
    return put_string(e, id, index, code, n, true);
}

/* Answer index of the chunk; custom: its index among the custom answers. */
static int put_answer(fb__chunk_enc *e, const fb_answer *a, uint32_t index, uint32_t custom)
{
    int bad = put_varint(e, FB__COL_ANSWER_METRIC, index, (uint64_t)a->metric);
    if (a->skipped) {
        uint8_t *o = col_slot(e, FB__COL_ANSWER_SCORE, index, 1);
        if (!o)
            return -1;
        *o = FB__NUM_NONE;
        col_done(e, FB__COL_ANSWER_SCORE, o + 1);
    } else {
        bad |= put_number(e, FB__COL_ANSWER_SCORE, index, a->score);
    }
    if (a->metric == FB_METRIC_CUSTOM) {
        bad |= put_string(e, FB__COL_ANSWER_NAME, custom, a->name.ptr, a->name.len, true);
        bad |= put_number(e, FB__COL_ANSWER_SCALE_MIN, custom, a->scale_min);
        bad |= put_number(e, FB__COL_ANSWER_SCALE_MAX, custom, a->scale_max);
    }
    return bad;
}

/* The offset in column c just past its first count values (values are self-delimiting). */
static size_t values_end(const column *c, unsigned enc, uint32_t count)
{
    const uint8_t *p = (const uint8_t *)c->buf.data;
    size_t pos = 0, len = c->buf.len;
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

/*
 * Takes back the values of a record that ran out of memory half-way: every
 * column keeps only the values of the units before it (start[unit]). Rare,
 * so it walks the columns rather than saving them before every record.
 */
static void take_back(fb__chunk_enc *e, const uint32_t start[FB__UNIT_COUNT])
{
    unsigned id, u;

    for (u = 0; u < FB__UNIT_COUNT; u++)
        e->unit[u].in_use = 0, e->unit[u].held = 0;
    e->written = 0;
    for (id = FB__COL_ID; id <= FB__COL_LAST; id++) {
        column *c = &e->col[id];
        const fb__col_info *info = fb__col_info_of(id);
        uint32_t keep = start[c->unit];
        if (id == FB__COL_CREATED) {
            /* Value 0 lives in the room at the front; the rest follow it. */
            column rest = *c;
            if (keep == 0) {
                c->n = 0;
                c->buf.len = 0;
                continue;
            }
            rest.buf.data += FB__VARINT_MAX;
            rest.buf.len = c->buf.len - FB__VARINT_MAX;
            if (c->n > keep)
                c->buf.len = FB__VARINT_MAX + values_end(&rest, info->enc, keep - 1);
            if (c->n > keep)
                c->n = keep;
            e->written += c->buf.len - FB__VARINT_MAX;
        } else if (c->n > keep) {
            c->buf.len = values_end(c, info->enc, keep);
            c->n = keep;
            e->written += c->buf.len;
        } else {
            e->written += c->buf.len;
        }
        if (c->n) {
            e->unit[c->unit].in_use++;
            e->unit[c->unit].held += c->n;
        }
    }
}

fb_status fb__chunk_enc_add(fb__chunk_enc *e, const fb_record *r)
{
    uint32_t ri, ai, ci, ti, ki, start[FB__UNIT_COUNT];
    size_t i;
    int bad = 0;

    if (!e || !r)
        return FB_ERR_INVALID_ARG;
    if (r->n_answers > FB_MAX_ANSWERS || r->n_tags > FB_MAX_TAGS || r->n_attrs > FB_MAX_ATTRS)
        return FB_ERR_INVALID_ARG; /* not validated */
    ri = e->unit[FB__UNIT_RECORD].total;
    ai = e->unit[FB__UNIT_ANSWER].total;
    ci = e->unit[FB__UNIT_CUSTOM].total;
    ti = e->unit[FB__UNIT_TAG].total;
    ki = e->unit[FB__UNIT_ATTR].total;
    for (i = 0; i < FB__UNIT_COUNT; i++)
        start[i] = e->unit[i].total;

    bad |= put_varint(e, FB__COL_ID, ri, fb__zigzag_encode_u(r->id - e->prev_id));
    bad |= put_varint(e, FB__COL_KIND, ri, (uint64_t)r->kind);
    if (ri == 0) {
        /* Its value, relative to the chunk's min, goes into the room at the front in finish. */
        column *c = &e->col[FB__COL_CREATED];
        e->first_time = r->created_at;
        if (fb__strbuf_reserve(&c->buf, FB__VARINT_MAX) != 0) {
            take_back(e, start);
            return FB_ERR_NOMEM;
        }
        c->buf.len = FB__VARINT_MAX;
        c->n = 1;
        e->unit[FB__UNIT_RECORD].in_use++;
        e->unit[FB__UNIT_RECORD].held++;
    } else {
        bad |= put_varint(e, FB__COL_CREATED, ri,
                          fb__zigzag_encode_u((uint64_t)r->created_at - (uint64_t)e->prev_time));
    }
    if (r->interaction_at != FB_TIME_UNKNOWN)
        bad |= put_varint(e, FB__COL_INTERACTION, ri,
                          1 + fb__zigzag_encode_u((uint64_t)r->created_at -
                                                  (uint64_t)r->interaction_at));
    bad |= put_string(e, FB__COL_CUSTOMER_ID, ri, r->customer_id.ptr, r->customer_id.len, false);
    bad |= put_varint(e, FB__COL_CUSTOMER_STATUS, ri, (uint64_t)r->customer_status);
    bad |= put_varint(e, FB__COL_CUSTOMER_FLAGS, ri,
                      (r->customer_verified ? 1u : 0u) | (r->win_back ? 2u : 0u));
    bad |= put_varint(e, FB__COL_CHANNEL, ri, (uint64_t)r->channel);
    bad |= put_varint(e, FB__COL_SOURCE, ri, (uint64_t)r->source);
    bad |= put_varint(e, FB__COL_ANSWER_COUNT, ri, r->n_answers);
    for (i = 0; i < r->n_answers; i++) {
        bad |= put_answer(e, &r->answers[i], ai + (uint32_t)i, ci);
        ci += r->answers[i].metric == FB_METRIC_CUSTOM;
    }
    bad |= put_string(e, FB__COL_TEXT, ri, r->text.ptr, r->text.len, false);
    bad |= put_string(e, FB__COL_LANGUAGE, ri, r->language.ptr, r->language.len, true);
    bad |= put_varint(e, FB__COL_TAG_COUNT, ri, r->n_tags);
    for (i = 0; i < r->n_tags; i++)
        bad |= put_string(e, FB__COL_TAG, ti + (uint32_t)i, r->tags[i].ptr, r->tags[i].len, true);
    bad |= put_string(e, FB__COL_AGENT_ID, ri, r->agent_id.ptr, r->agent_id.len, true);
    bad |= put_string(e, FB__COL_TICKET_ID, ri, r->ticket_id.ptr, r->ticket_id.len, false);
    bad |= put_string(e, FB__COL_PRODUCT, ri, r->product.ptr, r->product.len, true);
    bad |= put_code(e, FB__COL_COUNTRY, ri, r->country, 2);
    bad |= put_varint(e, FB__COL_TIP, ri, fb__zigzag_encode(r->tip));
    bad |= put_code(e, FB__COL_TIP_CURRENCY, ri, r->tip_currency, 3);
    bad |= put_varint(e, FB__COL_ATTR_COUNT, ri, r->n_attrs);
    for (i = 0; i < r->n_attrs; i++) {
        const fb_attr *a = &r->attrs[i];
        bad |= put_string(e, FB__COL_ATTR_KEY, ki + (uint32_t)i, a->key.ptr, a->key.len, true);
        bad |= put_string(e, FB__COL_ATTR_VALUE, ki + (uint32_t)i, a->value.ptr, a->value.len,
                          a->value.len <= DICT_VALUE_MAX);
    }
    if (r->kind == FB_KIND_UPDATE) {
        if (r->ref_id != 0)
            bad |= put_varint(e, FB__COL_REF_ID, ri, 1 + fb__zigzag_encode_u(r->id - r->ref_id));
        bad |= put_varint(e, FB__COL_HANDLING, ri, (uint64_t)r->handling);
        bad |= put_string(e, FB__COL_ASSIGNEE, ri, r->assignee.ptr, r->assignee.len, true);
        bad |= put_varint(e, FB__COL_ASSIGNEE_KIND, ri, (uint64_t)r->assignee_kind);
    }
    if (bad) {
        /* Dictionary entries added stay (unreferenced ones are harmless); values must not. */
        take_back(e, start);
        return FB_ERR_NOMEM;
    }

    e->unit[FB__UNIT_RECORD].total = ri + 1;
    e->unit[FB__UNIT_ANSWER].total = ai + (uint32_t)r->n_answers;
    e->unit[FB__UNIT_CUSTOM].total = ci;
    e->unit[FB__UNIT_TAG].total = ti + (uint32_t)r->n_tags;
    e->unit[FB__UNIT_ATTR].total = ki + (uint32_t)r->n_attrs;
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

    for (id = 0; id <= FB__COL_LAST; id++) {
        fb__strbuf_reset(&e->col[id].buf);
        e->col[id].n = 0;
    }
    memset(e->unit, 0, sizeof e->unit);
    e->written = 0;
    fb__strbuf_reset(&e->dict);
    fb__strbuf_reset(&e->packed);
    if (e->n_dict)
        memset(e->slots, 0, e->slots_cap * sizeof *e->slots);
    e->n_dict = 0;
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

/* The created_at column, complete (after pad_columns): its first value in the room at its front. */
static void created_column(fb__chunk_enc *e, const uint8_t **raw, size_t *len)
{
    column *c = &e->col[FB__COL_CREATED];
    uint8_t first[FB__VARINT_MAX];
    size_t n = fb__varint_write(first, fb__zigzag_encode_u((uint64_t)e->first_time -
                                                           (uint64_t)e->min_time));
    uint8_t *start = (uint8_t *)c->buf.data + FB__VARINT_MAX - n;

    memcpy(start, first, n);
    *raw = start;
    *len = c->buf.len - (FB__VARINT_MAX - n);
}

/* Pads every column in use to its unit's count. Errors: FB_ERR_NOMEM. */
static fb_status pad_columns(fb__chunk_enc *e)
{
    unsigned id;

    for (id = FB__COL_ID; id <= FB__COL_LAST; id++) {
        column *c = &e->col[id];
        const fb__col_info *info = fb__col_info_of(id);
        uint32_t total = e->unit[info->unit].total;
        if (c->n == 0 || c->n >= total)
            continue;
        if (fb__strbuf_reserve(&c->buf, total - c->n) != 0)
            return FB_ERR_NOMEM;
        memset(c->buf.data + c->buf.len, fb__col_default_byte(info->enc), total - c->n);
        c->buf.len += total - c->n;
        c->n = total;
    }
    return FB_OK;
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
    FB__TRY(pad_columns(e));
    if (e->dict.len) {
        streams[n].id = FB__COL_DICT;
        streams[n].raw = (const uint8_t *)e->dict.data;
        streams[n++].raw_len = e->dict.len;
    }
    for (id = FB__COL_ID; id <= FB__COL_LAST; id++) {
        out_stream *s = &streams[n];
        s->id = (uint8_t)id;
        if (id == FB__COL_CREATED) {
            created_column(e, &s->raw, &s->raw_len); /* always: it bounds the record count */
        } else {
            s->raw = (const uint8_t *)e->col[id].buf.data;
            s->raw_len = e->col[id].n ? e->col[id].buf.len : 0;
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
