/*
 * Records as columns for data frames: records appended to growable arrays,
 * strings coded through a dictionary per column (fbb_dict.c), tags and
 * attributes through a dictionary of their lists, so that a language builds
 * a frame from a few arrays rather than an object per value; and columns
 * appended to columns, for a log read in parts (fbb_columns_read.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fbb.h"
#include "fbb_columns.h"
#include "fbb_dict.h"

struct fbb_columns {
    uint64_t wanted;
    size_t rows;
    fbb_buf data[FBB_COL_COUNT];    /* values or codes */
    fbb_dict dicts[FBB_COL_COUNT];  /* DICT, TEXT, LIST, PAIRS: the distinct strings */
    fbb_dict lists[FBB_COL_COUNT];  /* LIST, PAIRS: the distinct lists, of int32 codes */
    fbb_buf scratch;                /* the list of the row at hand */
    /* Appending of numbers still running on another thread (fbb_columns_defer). */
    int (*finish)(void *work);
    void *work;
    bool failed;                    /* finish failed: the numbers are not whole */
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
    case FBB_COL_TICKET_ID: return FBB_TYPE_STRINGS;
    case FBB_COL_LANGUAGE:
    case FBB_COL_AGENT_ID:
    case FBB_COL_PRODUCT:
    case FBB_COL_COUNTRY:
    case FBB_COL_TIP_CURRENCY:
    case FBB_COL_ASSIGNEE: return FBB_TYPE_DICT;
    default: return FBB_TYPE_F64;
    }
}

/* ---------------------------------------------------------------- appending records */

static int put_u64s(fbb_columns *c, fbb_column col, const uint64_t *v, size_t n)
{
    uint64_t *p = fbb_buf_room(&c->data[col], n, sizeof *p);

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
    int64_t *p = fbb_buf_room(&c->data[col], n, sizeof *p);
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
        uint8_t *p_ = fbb_buf_room(&(c)->data[col], (n), 1);            \
        size_t i_;                                              \
        if (!p_)                                                \
            return -1;                                          \
        for (i_ = 0; i_ < (n); i_++)                            \
            p_[i_] = (v) ? (uint8_t)(v)[i_] : 0;                \
    } while (0)

/* Strings through the column's dictionary; none (all "" when v is NULL) is -1 but in texts. */
static int put_dicts(fbb_columns *c, fbb_column col, const fb_str *v, size_t n)
{
    static const fb_str none = {"", 0};
    const bool empty_none = fbb_column_type_of(col) != FBB_TYPE_TEXT;
    int32_t *p = fbb_buf_room(&c->data[col], n, sizeof *p);
    size_t i;

    if (!p)
        return -1;
    if (v)
        return fbb_dict_codes(&c->dicts[col], v, n, empty_none, p);
    if (fbb_dict_codes(&c->dicts[col], &none, 1, empty_none, p) != 0)
        return -1;
    for (i = 1; i < n; i++)
        p[i] = p[0];
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

/* Codes of size bytes each (country, currency), as put_dicts puts strings. */
static int put_codes(fbb_columns *c, fbb_column col, const char *v, size_t size, size_t n)
{
    fb_str strs[256];
    size_t i, k;

    for (i = 0; i < n; i += k) {
        for (k = 0; k < 256 && i + k < n; k++)
            strs[k] = code_str(v ? v + (i + k) * size : "", size);
        if (put_dicts(c, col, strs, k) != 0)
            return -1;
    }
    return 0;
}

/*
 * Tags (attrs NULL) or attributes (keys and values) of each row: each string
 * through the column's dictionary, then the row's list of codes through its
 * dictionary of lists, so that a language makes an object per distinct list
 * (most rows share a few), not per row.
 */
static int put_lists(fbb_columns *c, fbb_column col, const uint32_t *of, const fb_str *strs,
                     const fb_attr *attrs, size_t n)
{
    int32_t *p = fbb_buf_room(&c->data[col], n, sizeof *p);
    size_t i;
    uint32_t k;

    if (!p)
        return -1;
    if (!strs && !attrs)
        of = NULL; /* the field was not decoded */
    for (i = 0; i < n; i++) {
        c->scratch.len = 0;
        for (k = of ? of[i] : 0; of && k < of[i + 1]; k++) {
            const fb_str *items[2];
            int j, count = attrs ? 2 : 1;
            int32_t code;
            items[0] = attrs ? &attrs[k].key : &strs[k];
            items[1] = attrs ? &attrs[k].value : NULL;
            for (j = 0; j < count; j++)
                if ((code = fbb_dict_code(&c->dicts[col], *items[j])) < 0 ||
                    fbb_buf_append(&c->scratch, &code, sizeof code) != 0)
                    return -1;
        }
        if ((p[i] = fbb_dict_code_bytes(&c->lists[col], c->scratch.data, c->scratch.len)) < 0)
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
            !(col[m] = fbb_buf_room(&c->data[FBB_COL_METRIC0 + m], n, sizeof(double))))
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
int fbb_columns_add_batch(fbb_columns *c, const fb_record_batch *b)
{
    uint64_t w = c->wanted;
    size_t n = b->n;
    int d;

    for (d = 0; d < FBB_COL_COUNT; d++)
        fbb_dict_new_run(&c->dicts[d]);
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
        (WANT(FBB_COL_TEXT) && put_dicts(c, FBB_COL_TEXT, b->text, n)) ||
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

fbb_columns *fbb_columns_new(uint64_t wanted)
{
    fbb_columns *c = calloc(1, sizeof *c);

    if (c)
        c->wanted = wanted & ((1ull << FBB_COL_COUNT) - 1);
    return c;
}

/* The size of a row of column col's array. */
static size_t row_bytes(fbb_column col)
{
    switch (fbb_column_type_of(col)) {
    case FBB_TYPE_U8: return 1;
    case FBB_TYPE_U64:
    case FBB_TYPE_I64:
    case FBB_TYPE_F64: return 8;
    default: return sizeof(int32_t);
    }
}

int fbb_columns_reserve(fbb_columns *c, size_t rows)
{
    int col;

    for (col = 0; col < FBB_COL_COUNT; col++)
        if (fbb_columns_has(c, (fbb_column)col) &&
            (rows > SIZE_MAX / 8 ||
             fbb_buf_reserve(&c->data[col], rows * row_bytes((fbb_column)col)) != 0))
            return -1;
    return 0;
}

int fbb_columns_add_record(fbb_columns *c, const fb_record *r)
{
    fb_record_batch b;
    uint32_t of[3][2];

    batch_of(r, &b, of);
    return fbb_columns_add_batch(c, &b);
}

/* ---------------------------------------------------------------- appending columns */

/*
 * remap[code] for every string of src's dictionary of col: its code in
 * dst's. The caller frees the array; NULL out of memory.
 */
static int32_t *remap_strings(fbb_dict *dst, const fbb_dict *src)
{
    int32_t *remap = malloc((src->count ? src->count : 1) * sizeof *remap);
    fb_str *strings = malloc((src->count ? src->count : 1) * sizeof *strings);
    size_t i;

    for (i = 0; remap && strings && i < src->count; i++)
        strings[i] = fbb_dict_at(src, i);
    /*
     * All at once, as rows are, their slots fetched ahead; the addresses dst
     * saw last were another reader's, maybe gone.
     */
    fbb_dict_new_run(dst);
    if (!remap || !strings || fbb_dict_codes(dst, strings, src->count, false, remap) != 0) {
        free(remap);
        remap = NULL;
    }
    free(strings);
    return remap;
}

/* The same for the distinct lists of col, their items recoded by strings (remap_strings). */
static int32_t *remap_lists(fbb_columns *dst, const fbb_columns *src, fbb_column col,
                            const int32_t *strings)
{
    const fbb_dict *lists = &src->lists[col];
    int32_t *remap = malloc((lists->count ? lists->count : 1) * sizeof *remap);
    fbb_buf scratch = {NULL, 0, 0}; /* its own: columns are appended on threads at once */
    size_t i, k;

    for (i = 0; remap && i < lists->count; i++) {
        fb_str s = fbb_dict_at(lists, i);
        const int32_t *items = (const int32_t *)(const void *)s.ptr;
        size_t n = s.len / sizeof *items;
        int32_t *to = NULL;
        scratch.len = 0;
        if (n && !(to = fbb_buf_room(&scratch, n, sizeof *to)))
            break;
        for (k = 0; k < n; k++)
            to[k] = strings[items[k]];
        if ((remap[i] = fbb_dict_code_bytes(&dst->lists[col], to, s.len)) < 0)
            break;
    }
    fbb_buf_free(&scratch);
    if (remap && i < lists->count) {
        free(remap);
        return NULL;
    }
    return remap;
}

/*
 * Appends the rows of codes, n of them, to dst's column col, each through
 * remap, or shifted by first when remap is NULL.
 */
static int put_remapped(fbb_columns *dst, fbb_column col, const int32_t *codes, size_t n,
                        const int32_t *remap, int32_t first)
{
    int32_t *p = n ? fbb_buf_room(&dst->data[col], n, sizeof *p) : NULL;
    size_t i;

    if (n && !p)
        return -1;
    for (i = 0; i < n; i++) /* none stays none */
        p[i] = codes[i] < 0 ? codes[i] : remap ? remap[codes[i]] : first + codes[i];
    return 0;
}

int fbb_columns_append_column(fbb_columns *dst, const fbb_columns *src, fbb_column col)
{
    const int32_t *codes = (const int32_t *)(const void *)src->data[col].data;
    int32_t *strings = NULL, *lists = NULL;
    int rc = -1;

    if (dst->wanted != src->wanted)
        return -1;
    if (!fbb_columns_has(dst, col))
        return 0;
    switch (fbb_column_type_of(col)) {
    case FBB_TYPE_DICT:
        if ((strings = remap_strings(&dst->dicts[col], &src->dicts[col])) != NULL)
            rc = put_remapped(dst, col, codes, src->rows, strings, 0);
        break;
    case FBB_TYPE_STRINGS:
    case FBB_TYPE_TEXT: {
        /* Values are not categories: no need to find src's among dst's (most of a merge). */
        int32_t first = fbb_dict_append_all(&dst->dicts[col], &src->dicts[col]);
        if (first >= 0)
            rc = put_remapped(dst, col, codes, src->rows, NULL, first);
        break;
    }
    case FBB_TYPE_LIST:
    case FBB_TYPE_PAIRS:
        if ((strings = remap_strings(&dst->dicts[col], &src->dicts[col])) != NULL &&
            (lists = remap_lists(dst, src, col, strings)) != NULL)
            rc = put_remapped(dst, col, codes, src->rows, lists, 0);
        break;
    default:
        return fbb_buf_append(&dst->data[col], src->data[col].data, src->data[col].len);
    }
    free(strings);
    free(lists);
    return rc;
}

void fbb_columns_append_rows(fbb_columns *dst, const fbb_columns *src)
{
    dst->rows += src->rows;
}

bool fbb_column_is_number(fbb_column col)
{
    switch (fbb_column_type_of(col)) {
    case FBB_TYPE_U64:
    case FBB_TYPE_I64:
    case FBB_TYPE_F64:
    case FBB_TYPE_U8: return true;
    default: return false;
    }
}

void fbb_columns_defer(fbb_columns *c, int (*finish)(void *work), void *work)
{
    c->finish = finish;
    c->work = work;
}

int fbb_columns_settle(fbb_columns *c)
{
    if (c->finish) {
        c->failed = c->finish(c->work) != 0;
        c->finish = NULL;
        c->work = NULL;
    }
    return c->failed ? -1 : 0;
}

void fbb_columns_free(fbb_columns *c)
{
    int i;

    if (!c)
        return;
    (void)fbb_columns_settle(c); /* the other thread is done with c */
    for (i = 0; i < FBB_COL_COUNT; i++) {
        fbb_buf_free(&c->data[i]);
        fbb_dict_free(&c->dicts[i]);
        fbb_dict_free(&c->lists[i]);
    }
    fbb_buf_free(&c->scratch);
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

fbb_buf fbb_columns_take(fbb_columns *c, fbb_column col)
{
    fbb_buf taken;

    memset(&taken, 0, sizeof taken);
    if (fbb_column_is_number(col) && fbb_columns_settle(c) != 0)
        return taken;
    if (fbb_columns_has(c, col)) {
        taken = c->data[col];
        memset(&c->data[col], 0, sizeof c->data[col]);
    }
    if (taken.len && taken.cap - taken.len > taken.len / 8) {
        /* Reserved for more rows than came (fbb_columns_reserve): kept as long as the array. */
        char *trimmed = realloc(taken.data, taken.len);
        if (trimmed) {
            taken.data = trimmed;
            taken.cap = taken.len;
        }
    }
    return taken;
}

size_t fbb_columns_dict_size(const fbb_columns *c, fbb_column col)
{
    return fbb_columns_has(c, col) ? c->dicts[col].count : 0;
}

fb_str fbb_columns_dict_at(const fbb_columns *c, fbb_column col, size_t code)
{
    fb_str none = {"", 0};
    return code < fbb_columns_dict_size(c, col) ? fbb_dict_at(&c->dicts[col], code) : none;
}

size_t fbb_columns_lists(const fbb_columns *c, fbb_column col)
{
    return fbb_columns_has(c, col) ? c->lists[col].count : 0;
}

const int32_t *fbb_columns_list_at(const fbb_columns *c, fbb_column col, size_t code, size_t *n)
{
    fb_str s;

    *n = 0;
    if (code >= fbb_columns_lists(c, col))
        return NULL;
    s = fbb_dict_at(&c->lists[col], code);
    *n = s.len / sizeof(int32_t);
    return (const int32_t *)(const void *)s.ptr;
}
