/*
 * Records as columns for data frames: every record of a reader appended to
 * growable arrays, strings coded through a dictionary per column, so that a
 * language builds a frame from a few arrays rather than an object per value.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fbb.h"

/* A growable array of bytes. */
typedef struct buf {
    char *data;
    size_t len, cap;
} buf;

static int buf_append(buf *b, const void *p, size_t n)
{
    if (n > b->cap - b->len) {
        size_t cap = b->cap ? b->cap : 4096;
        char *d;
        while (cap - b->len < n) {
            if (cap > SIZE_MAX / 2)
                return -1;
            cap *= 2;
        }
        d = realloc(b->data, cap);
        if (!d)
            return -1;
        b->data = d;
        b->cap = cap;
    }
    if (p && n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    return 0;
}

/*
 * The distinct strings of a column, each with its code (its index). A log
 * hands out a run's repeated strings as the same bytes (its chunk's
 * dictionary), so a small cache by address finds most codes without
 * hashing; it is emptied at each run, as the addresses then change meaning.
 */
#define DICT_CACHE 256

typedef struct dict_seen {
    const char *ptr;
    size_t len;
    int32_t code;
} dict_seen;

/*
 * A slot of the hash table: the string's hash, length and first 8 bytes, so
 * that a probe reads the string itself only when those match and it is
 * longer (most ids are not): one memory access a lookup, not three.
 */
typedef struct dict_slot {
    uint64_t head;      /* the first 8 bytes, zero-padded */
    uint32_t hash;
    int32_t code1;      /* code + 1; 0: empty */
    size_t len;
} dict_slot;

typedef struct dict {
    buf bytes;          /* the strings, one after another */
    buf offsets;        /* size_t: where string i starts; one more at the end */
    dict_slot *slots;   /* open addressing, linear probing, at most half full */
    size_t cap, count;
    dict_seen seen[DICT_CACHE];
} dict;

static uint64_t hash(const char *s, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ n, w;

    for (; n >= 8; s += 8, n -= 8) {
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
        h ^= h >> 32;
    }
    w = 0;
    if (n)
        memcpy(&w, s, n);
    h = (h ^ w) * 0xC4CEB9FE1A85EC53ULL;
    return h ^ (h >> 29);
}

static fb_str dict_at(const dict *d, size_t code)
{
    const size_t *off = (const size_t *)(const void *)d->offsets.data;
    fb_str s;

    s.ptr = d->bytes.data ? d->bytes.data + off[code] : ""; /* only empty strings so far */
    s.len = off[code + 1] - off[code];
    return s;
}

static int dict_grow(dict *d)
{
    size_t cap = d->cap ? d->cap * 2 : 256, i, j;
    dict_slot *slots = calloc(cap, sizeof *slots);

    if (!slots)
        return -1;
    for (i = 0; i < d->cap; i++) {
        if (!d->slots[i].code1)
            continue;
        for (j = d->slots[i].hash & (cap - 1); slots[j].code1; j = (j + 1) & (cap - 1))
            ;
        slots[j] = d->slots[i];
    }
    free(d->slots);
    d->slots = slots;
    d->cap = cap;
    return 0;
}

/* A new run of records: forget the addresses seen. */
static void dict_new_run(dict *d) { memset(d->seen, 0, sizeof d->seen); }

/* The first 8 bytes of s, zero-padded. */
static uint64_t head_of(fb_str s)
{
    uint64_t h = 0;

    if (s.len)
        memcpy(&h, s.ptr, s.len < 8 ? s.len : 8);
    return h;
}

/* Whether slot holds s. */
static bool slot_holds(const dict *d, const dict_slot *slot, uint32_t hash, uint64_t head,
                       fb_str s)
{
    fb_str t;

    if (slot->hash != hash || slot->len != s.len || slot->head != head)
        return false;
    if (s.len <= 8)
        return true;
    t = dict_at(d, (size_t)slot->code1 - 1);
    return memcmp(t.ptr + 8, s.ptr + 8, s.len - 8) == 0;
}

/* Asks the processor to fetch the slot where a string of hash h starts its probe. */
static void dict_prefetch(const dict *d, uint32_t h)
{
#if defined(__GNUC__)
    if (d->cap)
        __builtin_prefetch(&d->slots[h & (d->cap - 1)]);
#else
    (void)d;
    (void)h;
#endif
}

/* The code of s, whose hash is h, in d, added when new; -1 out of memory. */
static int32_t dict_code_hashed(dict *d, fb_str s, uint32_t h)
{
    dict_seen *seen = &d->seen[((uintptr_t)s.ptr >> 3 ^ s.len) & (DICT_CACHE - 1)];
    uint64_t head;
    size_t j, end;

    if (seen->ptr == s.ptr && seen->len == s.len && s.ptr)
        return seen->code;
    if (d->offsets.len == 0) {
        size_t zero = 0;
        if (buf_append(&d->offsets, &zero, sizeof zero) != 0)
            return -1;
    }
    if ((d->count + 1) * 2 > d->cap && dict_grow(d) != 0)
        return -1;
    if (d->count >= INT32_MAX)
        return -1;
    head = head_of(s);
    for (j = h & (d->cap - 1); d->slots[j].code1; j = (j + 1) & (d->cap - 1))
        if (slot_holds(d, &d->slots[j], h, head, s))
            break;
    if (!d->slots[j].code1) {
        if (buf_append(&d->bytes, s.ptr, s.len) != 0)
            return -1;
        end = d->bytes.len;
        if (buf_append(&d->offsets, &end, sizeof end) != 0)
            return -1;
        d->slots[j].head = head;
        d->slots[j].hash = h;
        d->slots[j].len = s.len;
        d->slots[j].code1 = (int32_t)++d->count;
    }
    seen->ptr = s.ptr;
    seen->len = s.len;
    seen->code = d->slots[j].code1 - 1;
    return seen->code;
}

static int32_t dict_code(dict *d, fb_str s)
{
    return dict_code_hashed(d, s, (uint32_t)hash(s.ptr, s.len));
}

static void dict_free(dict *d)
{
    free(d->bytes.data);
    free(d->offsets.data);
    free(d->slots);
}

struct fbb_columns {
    uint64_t wanted;
    size_t rows;
    buf data[FBB_COL_COUNT];    /* values, or offsets */
    buf items[FBB_COL_COUNT];   /* TEXT: bytes; LIST, PAIRS: int32 codes */
    dict dicts[FBB_COL_COUNT];
};

static const char *const NAMES[FBB_COL_COUNT] = {
    "id", "kind", "created_at", "interaction_at", "customer_id", "customer_status",
    "customer_verified", "win_back", "channel", "source", "text", "language", "tags",
    "agent_id", "ticket_id", "product", "country", "tip", "tip_currency", "attributes",
    "ref_id", "handling", "assignee", "assignee_kind", "nps", "csat", "ces", "cli_recommend",
    "cli_repurchase", "cli_cross_buy", "gcr", "rating"};

const char *fbb_column_name(fbb_column col)
{
    return (unsigned)col < FBB_COL_COUNT ? NAMES[col] : NULL;
}

fbb_column_type fbb_column_type_of(fbb_column col)
{
    switch (col) {
    case FBB_COL_ID:
    case FBB_COL_REF_ID: return FBB_TYPE_U64;
    case FBB_COL_CREATED_AT:
    case FBB_COL_INTERACTION_AT:
    case FBB_COL_TIP: return FBB_TYPE_I64;
    case FBB_COL_KIND:
    case FBB_COL_CUSTOMER_STATUS:
    case FBB_COL_CUSTOMER_VERIFIED:
    case FBB_COL_WIN_BACK:
    case FBB_COL_CHANNEL:
    case FBB_COL_SOURCE:
    case FBB_COL_HANDLING:
    case FBB_COL_ASSIGNEE_KIND: return FBB_TYPE_U8;
    case FBB_COL_TEXT: return FBB_TYPE_TEXT;
    case FBB_COL_TAGS: return FBB_TYPE_LIST;
    case FBB_COL_ATTRIBUTES: return FBB_TYPE_PAIRS;
    case FBB_COL_CUSTOMER_ID:
    case FBB_COL_LANGUAGE:
    case FBB_COL_AGENT_ID:
    case FBB_COL_TICKET_ID:
    case FBB_COL_PRODUCT:
    case FBB_COL_COUNTRY:
    case FBB_COL_TIP_CURRENCY:
    case FBB_COL_ASSIGNEE: return FBB_TYPE_DICT;
    default: return FBB_TYPE_F64;
    }
}

/* ---------------------------------------------------------------- appending records */

/* Room for n more items of size bytes at the end of b: where to write them, or NULL. */
static void *room(buf *b, size_t n, size_t size)
{
    size_t before = b->len;

    if (n > SIZE_MAX / size || buf_append(b, NULL, n * size) != 0)
        return NULL;
    return b->data + before;
}

static int put_u64s(fbb_columns *c, fbb_column col, const uint64_t *v, size_t n)
{
    uint64_t *p = room(&c->data[col], n, sizeof *p);

    if (!p)
        return -1;
    if (v)
        memcpy(p, v, n * sizeof *p);
    else
        memset(p, 0, n * sizeof *p);
    return 0;
}

/* Times and tips: absent ones are none (unknown, 0). */
static int put_i64s(fbb_columns *c, fbb_column col, const int64_t *v, size_t n, int64_t none)
{
    int64_t *p = room(&c->data[col], n, sizeof *p);
    size_t i;

    if (!p)
        return -1;
    if (v)
        memcpy(p, v, n * sizeof *p);
    else
        for (i = 0; i < n; i++)
            p[i] = none;
    return 0;
}

/* Enumerations (of any C enum type, read through get) and booleans, as bytes; absent: 0. */
#define PUT_U8S(c, col, v, n)                                   \
    do {                                                        \
        uint8_t *p_ = room(&(c)->data[col], (n), 1);            \
        size_t i_;                                              \
        if (!p_)                                                \
            return -1;                                          \
        for (i_ = 0; i_ < (n); i_++)                            \
            p_[i_] = (v) ? (uint8_t)(v)[i_] : 0;                \
    } while (0)

/* How far ahead put_dicts asks for the slots it will probe: enough to cover a miss to memory. */
#define PREFETCH_AHEAD 16

static int put_dicts(fbb_columns *c, fbb_column col, const fb_str *v, size_t n)
{
    static const fb_str none = {"", 0};
    dict *d = &c->dicts[col];
    uint32_t hashes[PREFETCH_AHEAD];
    int32_t *p = room(&c->data[col], n, sizeof *p);
    size_t i;

    if (!p)
        return -1;
    if (!v) {
        for (i = 0; i < n; i++)
            if ((p[i] = dict_code(d, none)) < 0)
                return -1;
        return 0;
    }
    /*
     * A column of many distinct values (customer ids) spends its time waiting
     * for its slots: hash a few rows ahead and fetch their slots meanwhile.
     */
    for (i = 0; i < n && i < PREFETCH_AHEAD; i++) {
        hashes[i] = (uint32_t)hash(v[i].ptr, v[i].len);
        dict_prefetch(d, hashes[i]);
    }
    for (i = 0; i < n; i++) {
        uint32_t h = hashes[i % PREFETCH_AHEAD];
        if (i + PREFETCH_AHEAD < n) {
            size_t k = i + PREFETCH_AHEAD;
            hashes[i % PREFETCH_AHEAD] = (uint32_t)hash(v[k].ptr, v[k].len);
            dict_prefetch(d, hashes[i % PREFETCH_AHEAD]);
        }
        if ((p[i] = dict_code_hashed(d, v[i], h)) < 0)
            return -1;
    }
    return 0;
}

/* A NUL-terminated code in a buffer of max bytes (country, currency). */
static fb_str code_str(const char *code, size_t max)
{
    fb_str s;
    s.ptr = code;
    for (s.len = 0; s.len < max && code[s.len]; s.len++)
        ;
    return s;
}

static int put_codes(fbb_columns *c, fbb_column col, const char *v, size_t size, size_t n)
{
    int32_t *p = room(&c->data[col], n, sizeof *p);
    size_t i;

    if (!p)
        return -1;
    for (i = 0; i < n; i++)
        if ((p[i] = dict_code(&c->dicts[col], code_str(v ? v + i * size : "", size))) < 0)
            return -1;
    return 0;
}

/* Appends the end of a row to an offsets column: the items it holds so far. */
static int put_end(fbb_columns *c, fbb_column col, size_t item_size)
{
    int64_t end = (int64_t)(c->items[col].len / item_size);
    return buf_append(&c->data[col], &end, sizeof end);
}

static int put_texts(fbb_columns *c, const fb_str *v, size_t n)
{
    size_t i;

    for (i = 0; v && i < n; i++)
        if (buf_append(&c->items[FBB_COL_TEXT], v[i].ptr, v[i].len) != 0 ||
            put_end(c, FBB_COL_TEXT, 1) != 0)
            return -1;
    for (i = 0; !v && i < n; i++)
        if (put_end(c, FBB_COL_TEXT, 1) != 0)
            return -1;
    return 0;
}

/* Tags (pairs false) or attributes (pairs: keys and values) of each row, through the dictionary. */
static int put_lists(fbb_columns *c, fbb_column col, const uint32_t *of, const fb_str *strs,
                     const fb_attr *attrs, size_t n)
{
    static const fb_str none = {"", 0};
    uint32_t k;
    size_t i;
    int32_t code;

    for (i = 0; i < n; i++) {
        for (k = of ? of[i] : 0; of && k < of[i + 1]; k++) {
            const fb_str *items[2];
            int j, count = attrs ? 2 : 1;
            items[0] = attrs ? &attrs[k].key : strs ? &strs[k] : &none;
            items[1] = attrs ? &attrs[k].value : &none;
            for (j = 0; j < count; j++)
                if ((code = dict_code(&c->dicts[col], *items[j])) < 0 ||
                    buf_append(&c->items[col], &code, sizeof code) != 0)
                    return -1;
        }
        if (put_end(c, col, sizeof(int32_t)) != 0)
            return -1;
    }
    return 0;
}

/* The score of each built-in metric answered in each row; NaN for none or skipped. */
static int put_scores(fbb_columns *c, const uint32_t *of, const fb_answer *answers, size_t n)
{
    double *col[FB_SUMMARY_METRICS];
    size_t i;
    uint32_t k;
    int m;

    for (m = 0; m < FB_SUMMARY_METRICS; m++) {
        col[m] = NULL;
        if ((c->wanted & (1ull << (FBB_COL_METRIC0 + m))) &&
            !(col[m] = room(&c->data[FBB_COL_METRIC0 + m], n, sizeof(double))))
            return -1;
        for (i = 0; col[m] && i < n; i++)
            col[m][i] = NAN;
    }
    for (i = 0; of && i < n; i++)
        for (k = of[i]; k < of[i + 1]; k++) {
            const fb_answer *a = &answers[k];
            if ((int)a->metric < FB_SUMMARY_METRICS && col[a->metric] && !a->skipped)
                col[a->metric][i] = a->score;
        }
    return 0;
}

/* Appends the rows of b, every wanted column; a column b lacks takes the field's default. */
static int put_batch(fbb_columns *c, const fb_record_batch *b)
{
    uint64_t w = c->wanted;
    size_t n = b->n;
    int d;

    for (d = 0; d < FBB_COL_COUNT; d++)
        dict_new_run(&c->dicts[d]);
#define WANT(col) (w & (1ull << (col)))
    if ((WANT(FBB_COL_ID) && put_u64s(c, FBB_COL_ID, b->id, n)) ||
        (WANT(FBB_COL_CREATED_AT) && put_i64s(c, FBB_COL_CREATED_AT, b->created_at, n, 0)) ||
        (WANT(FBB_COL_INTERACTION_AT) &&
         put_i64s(c, FBB_COL_INTERACTION_AT, b->interaction_at, n, FB_TIME_UNKNOWN)) ||
        (WANT(FBB_COL_TIP) && put_i64s(c, FBB_COL_TIP, b->tip, n, 0)) ||
        (WANT(FBB_COL_REF_ID) && put_u64s(c, FBB_COL_REF_ID, b->ref_id, n)) ||
        (WANT(FBB_COL_CUSTOMER_ID) && put_dicts(c, FBB_COL_CUSTOMER_ID, b->customer_id, n)) ||
        (WANT(FBB_COL_LANGUAGE) && put_dicts(c, FBB_COL_LANGUAGE, b->language, n)) ||
        (WANT(FBB_COL_AGENT_ID) && put_dicts(c, FBB_COL_AGENT_ID, b->agent_id, n)) ||
        (WANT(FBB_COL_TICKET_ID) && put_dicts(c, FBB_COL_TICKET_ID, b->ticket_id, n)) ||
        (WANT(FBB_COL_PRODUCT) && put_dicts(c, FBB_COL_PRODUCT, b->product, n)) ||
        (WANT(FBB_COL_ASSIGNEE) && put_dicts(c, FBB_COL_ASSIGNEE, b->assignee, n)) ||
        (WANT(FBB_COL_COUNTRY) &&
         put_codes(c, FBB_COL_COUNTRY, b->country ? b->country[0] : NULL, 3, n)) ||
        (WANT(FBB_COL_TIP_CURRENCY) &&
         put_codes(c, FBB_COL_TIP_CURRENCY, b->tip_currency ? b->tip_currency[0] : NULL, 4, n)) ||
        (WANT(FBB_COL_TEXT) && put_texts(c, b->text, n)) ||
        (WANT(FBB_COL_TAGS) && put_lists(c, FBB_COL_TAGS, b->tags_of, b->tags, NULL, n)) ||
        (WANT(FBB_COL_ATTRIBUTES) &&
         put_lists(c, FBB_COL_ATTRIBUTES, b->attrs_of, NULL, b->attrs, n)) ||
        put_scores(c, b->answers_of, b->answers, n))
        return -1;
    if (WANT(FBB_COL_KIND))
        PUT_U8S(c, FBB_COL_KIND, b->kind, n);
    if (WANT(FBB_COL_CUSTOMER_STATUS))
        PUT_U8S(c, FBB_COL_CUSTOMER_STATUS, b->customer_status, n);
    if (WANT(FBB_COL_CUSTOMER_VERIFIED))
        PUT_U8S(c, FBB_COL_CUSTOMER_VERIFIED, b->customer_verified, n);
    if (WANT(FBB_COL_WIN_BACK))
        PUT_U8S(c, FBB_COL_WIN_BACK, b->win_back, n);
    if (WANT(FBB_COL_CHANNEL))
        PUT_U8S(c, FBB_COL_CHANNEL, b->channel, n);
    if (WANT(FBB_COL_SOURCE))
        PUT_U8S(c, FBB_COL_SOURCE, b->source, n);
    if (WANT(FBB_COL_HANDLING))
        PUT_U8S(c, FBB_COL_HANDLING, b->handling, n);
    if (WANT(FBB_COL_ASSIGNEE_KIND))
        PUT_U8S(c, FBB_COL_ASSIGNEE_KIND, b->assignee_kind, n);
#undef WANT
    c->rows += n;
    return 0;
}

/* One record as a run of one, for the readers of CSV and JSON Lines. */
static void batch_of(const fb_record *r, fb_record_batch *b, uint32_t of[3][2])
{
    memset(b, 0, sizeof *b);
    b->n = 1;
    b->created_at = &r->created_at;
    b->id = &r->id;
    b->kind = &r->kind;
    b->interaction_at = &r->interaction_at;
    b->customer_id = &r->customer_id;
    b->customer_status = &r->customer_status;
    b->customer_verified = &r->customer_verified;
    b->win_back = &r->win_back;
    b->channel = &r->channel;
    b->source = &r->source;
    of[0][0] = of[1][0] = of[2][0] = 0;
    of[0][1] = (uint32_t)r->n_answers;
    of[1][1] = (uint32_t)r->n_tags;
    of[2][1] = (uint32_t)r->n_attrs;
    b->answers_of = of[0];
    b->answers = r->answers;
    b->text = &r->text;
    b->language = &r->language;
    b->tags_of = of[1];
    b->tags = r->tags;
    b->agent_id = &r->agent_id;
    b->ticket_id = &r->ticket_id;
    b->product = &r->product;
    b->country = &r->country;
    b->tip = &r->tip;
    b->tip_currency = &r->tip_currency;
    b->attrs_of = of[2];
    b->attrs = r->attrs;
    b->ref_id = &r->ref_id;
    b->handling = &r->handling;
    b->assignee = &r->assignee;
    b->assignee_kind = &r->assignee_kind;
}

/* Starts the offsets columns with their first 0. */
static int start_offsets(fbb_columns *c)
{
    static const fbb_column offsets[] = {FBB_COL_TEXT, FBB_COL_TAGS, FBB_COL_ATTRIBUTES};
    int64_t zero = 0;
    size_t i;

    for (i = 0; i < sizeof offsets / sizeof offsets[0]; i++)
        if ((c->wanted & (1ull << offsets[i])) &&
            buf_append(&c->data[offsets[i]], &zero, sizeof zero) != 0)
            return -1;
    return 0;
}

static fbb_columns *out_of_memory(fbb_columns *c, fb_error *err)
{
    fbb_columns_free(c);
    fbb_fail(err, FB_ERR_NOMEM, "out of memory");
    return NULL;
}

fbb_columns *fbb_columns_read(fbb_reader *r, uint64_t wanted, fb_error *err)
{
    fbb_columns *c;
    fb_record_batch b;
    const fb_record *rec;
    uint32_t of[3][2];
    fb_status st;

    if (r->closed) {
        fbb_fail(err, FB_ERR_INVALID_ARG, "the reader is closed");
        return NULL;
    }
    c = calloc(1, sizeof *c);
    if (!c)
        return out_of_memory(c, err);
    c->wanted = wanted & ((1ull << FBB_COL_COUNT) - 1);
    if (start_offsets(c) != 0)
        return out_of_memory(c, err);
    if (r->log) {
        /* A log hands out columns: whole runs at a time. */
        while ((st = fb_log_reader_next_batch(r->log, &b, err)) == FB_OK) {
            if (put_batch(c, &b) != 0)
                return out_of_memory(c, err);
            r->records += b.n;
        }
        if (st == FB_DONE)
            st = FB_OK;
    } else {
        while ((st = fbb_reader_next(r, &rec, err)) == FB_OK && rec) {
            batch_of(rec, &b, of);
            if (put_batch(c, &b) != 0)
                return out_of_memory(c, err);
        }
    }
    if (st != FB_OK) {
        fbb_columns_free(c);
        return NULL;
    }
    return c;
}

void fbb_columns_free(fbb_columns *c)
{
    int i;

    if (!c)
        return;
    for (i = 0; i < FBB_COL_COUNT; i++) {
        free(c->data[i].data);
        free(c->items[i].data);
        dict_free(&c->dicts[i]);
    }
    free(c);
}

size_t fbb_columns_rows(const fbb_columns *c) { return c->rows; }

bool fbb_columns_has(const fbb_columns *c, fbb_column col)
{
    return (unsigned)col < FBB_COL_COUNT && (c->wanted & (1ull << col)) != 0;
}

const void *fbb_columns_data(const fbb_columns *c, fbb_column col, size_t *bytes)
{
    *bytes = fbb_columns_has(c, col) ? c->data[col].len : 0;
    return *bytes ? c->data[col].data : "";
}

const void *fbb_columns_items(const fbb_columns *c, fbb_column col, size_t *bytes)
{
    *bytes = fbb_columns_has(c, col) ? c->items[col].len : 0;
    return *bytes ? c->items[col].data : "";
}

size_t fbb_columns_dict_size(const fbb_columns *c, fbb_column col)
{
    return fbb_columns_has(c, col) ? c->dicts[col].count : 0;
}

fb_str fbb_columns_dict_at(const fbb_columns *c, fbb_column col, size_t code)
{
    fb_str none = {"", 0};
    return code < fbb_columns_dict_size(c, col) ? dict_at(&c->dicts[col], code) : none;
}
