/*
 * A data chunk's columns to field arrays (layout in log_format.h).
 *
 * fb__chunk_dec_load parses the stream table, then decodes the columns of the
 * fields asked for into arrays the decoder owns: one per record field
 * (log_chunk_dec.h, F_*), and the chunk's answers, tags and attributes. A
 * column is fetched, checksummed and inflated only when decoded, so a scan of
 * scores never touches the comments. The number columns of a record are
 * decoded a block of records at a time, the others a column at a time.
 * Strings point into the streams' bytes. Every value is checked before the
 * load succeeds, so on error no record is handed out. All buffers are kept
 * and reused by the next load. Records are made from the arrays in
 * log_chunk_fields.c; the decoder's life cycle and its streams are in
 * log_chunk_streams.c.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "alloc_private.h"
#include "error_private.h"
#include "feedback/log.h"
#include "log_chunk.h"
#include "log_chunk_dec.h"
#include "utf8.h"
#include "varint.h"

/* 2^53: whole numbers up to this magnitude are exact in a double. */
#define EXACT_MAX 9007199254740992LL

/* ---------------------------------------------------------------- columns */

/* A column being read; p is NULL when the table leaves it out (every value the default). */
typedef struct col {
    const uint8_t *p;
    size_t len, pos;
    unsigned id;
} col;

/* "column NAME, value I: " and the message. */
static fb_status col_corrupt(ctx *c, const col *k, size_t i, const char *fmt, ...)
    FB__PRINTF(4, 5);

static fb_status col_corrupt(ctx *c, const col *k, size_t i, const char *fmt, ...)
{
    char msg[FB_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return fb__error(c->err, FB_ERR_CORRUPT, NULL, "column %s, value %lu: %s",
                     fb__col_info_of(k->id)->name, (unsigned long)i, msg);
}

static fb_status col_open(ctx *c, unsigned id, col *k)
{
    k->p = NULL;
    k->len = k->pos = 0;
    k->id = id;
    if (!c->s[id].present)
        return FB_OK;
    FB__TRY(fb__chunk_dec_stream(c, id, &k->p));
    k->len = c->s[id].raw;
    return FB_OK;
}

/* Every value read: no byte may follow the last. */
static fb_status col_close(ctx *c, const col *k, size_t values)
{
    if (k->p && k->pos != k->len)
        return fb__chunk_dec_corrupt(c, "column %s: %lu bytes after its %lu values",
                                     fb__col_info_of(k->id)->name,
                                     (unsigned long)(k->len - k->pos), (unsigned long)values);
    return FB_OK;
}

/*
 * A varint of up to 3 bytes at p[*pos] within len, inline: true with *v and
 * *pos set, or false (longer, or cut off) for the caller's slow path.
 */
static inline bool fast_varint(const uint8_t *p, size_t len, size_t *pos, uint64_t *v)
{
    size_t at = *pos, left = at < len ? len - at : 0;

    if (left >= 1 && p[at] < 0x80) {
        *v = p[at];
        *pos = at + 1;
        return true;
    }
    if (left >= 2 && p[at + 1] < 0x80) {
        *v = (uint64_t)(p[at] & 0x7F) | (uint64_t)p[at + 1] << 7;
        *pos = at + 2;
        return true;
    }
    if (left >= 3 && p[at + 2] < 0x80) {
        *v = (uint64_t)(p[at] & 0x7F) | (uint64_t)(p[at + 1] & 0x7F) << 7 |
             (uint64_t)p[at + 2] << 14;
        *pos = at + 3;
        return true;
    }
    return false;
}

/* Value i of a varint or zigzag column (0 when absent). */
static inline fb_status col_varint(ctx *c, col *k, size_t i, uint64_t *v)
{
    size_t at = k->pos;

    if (!k->p) {
        *v = 0;
        return FB_OK;
    }
    if (at < k->len && k->p[at] < 0x80) {
        *v = k->p[at];
        k->pos = at + 1;
        return FB_OK;
    }
    if (fb__get_varint_slow(k->p, k->len, &k->pos, v) != 0)
        return col_corrupt(c, k, i, "%s at byte %lu", fb__varint_error(k->p, k->len, at),
                           (unsigned long)at);
    return FB_OK;
}

/* Value i of a string column into *out ("" when absent), within max bytes. */
static fb_status col_string(ctx *c, col *k, size_t i, size_t max, fb_str *out)
{
    fb__chunk_dec *d = c->d;
    uint64_t u;
    size_t len;
    const char *s;

    FB__TRY(col_varint(c, k, i, &u));
    out->ptr = NULL;
    out->len = 0;
    if (!k->p || u == 1)
        return FB_OK;
    if (u & 1) {
        uint64_t n = u >> 1;
        if (n > k->len - k->pos)
            return col_corrupt(c, k, i, "%llu bytes run past the end of the column",
                               (unsigned long long)n);
        len = (size_t)n;
        s = (const char *)k->p + k->pos;
        k->pos += len;
        if (len > max)
            return col_corrupt(c, k, i, "%lu bytes, longer than the limit of %lu",
                               (unsigned long)len, (unsigned long)max);
        if (c->check_utf8 && fb__utf8_check(s, len) != len)
            return col_corrupt(c, k, i, "invalid UTF-8");
    } else {
        uint64_t entry = u >> 1;
        dict_entry *de;
        if (!c->dict_ready)
            FB__TRY(fb__chunk_dec_load_dict(c));
        if (entry >= d->n_dict)
            return col_corrupt(c, k, i, "dictionary entry %llu beyond the %lu entries",
                               (unsigned long long)entry, (unsigned long)d->n_dict);
        de = &d->dict[entry];
        s = (const char *)c->dict + de->off;
        len = de->len;
        if (len > max)
            return col_corrupt(c, k, i, "%lu bytes, longer than the limit of %lu",
                               (unsigned long)len, (unsigned long)max);
        if (de->utf8 == 0 && c->check_utf8)
            de->utf8 = fb__utf8_check(s, len) == len ? 1 : 2;
        if (de->utf8 == 2)
            return col_corrupt(c, k, i, "invalid UTF-8 in dictionary entry %llu",
                               (unsigned long long)entry);
        if (len == 0)
            return FB_OK;
    }
    out->ptr = s;
    out->len = len;
    return FB_OK;
}

/*
 * Value i of a number column (0 when absent); *none for "no value", which is
 * allowed only when none is not NULL.
 */
static fb_status col_number(ctx *c, col *k, size_t i, double *x, bool *none)
{
    uint64_t u;

    FB__TRY(col_varint(c, k, i, &u));
    if (none)
        *none = false;
    if (!(u & 1)) {
        int64_t n = fb__zigzag_decode(u >> 1);
        if (n > EXACT_MAX || n < -EXACT_MAX)
            return col_corrupt(c, k, i, "whole number %lld beyond 2^53", (long long)n);
        *x = (double)n;
        return FB_OK;
    }
    if (u == FB__NUM_DOUBLE) {
        if (k->len - k->pos < 8)
            return col_corrupt(c, k, i, "a double cut off by the end of the column");
        *x = fb__load_double(k->p + k->pos);
        k->pos += 8;
        return FB_OK;
    }
    if (u == FB__NUM_NONE && none) {
        *none = true;
        *x = 0;
        return FB_OK;
    }
    return col_corrupt(c, k, i, "number code %llu", (unsigned long long)u);
}

/*
 * The n strings of column id into fb_str fields stride bytes apart from
 * first: a record field, or the tags, keys or values of all records.
 */
static fb_status strings(ctx *c, unsigned id, size_t n, size_t max, fb_str *first, size_t stride)
{
    col k;
    size_t i;

    FB__TRY(col_open(c, id, &k));
    if (!k.p) {
        for (i = 0; i < n; i++) {
            fb_str *s = (fb_str *)((char *)first + i * stride);
            s->ptr = NULL;
            s->len = 0;
        }
        return FB_OK;
    }
    for (i = 0; i < n; i++)
        FB__TRY(col_string(c, &k, i, max, (fb_str *)((char *)first + i * stride)));
    return col_close(c, &k, n);
}

/*
 * The n numbers of column id into doubles stride bytes apart from first;
 * with none (bools at the same stride), "no value" is allowed and noted.
 */
static fb_status numbers(ctx *c, unsigned id, size_t n, double *first, bool *none, size_t stride)
{
    char *x = (char *)first, *no = (char *)none;
    col k;
    size_t i;

    FB__TRY(col_open(c, id, &k));
    for (i = 0; i < n; i++, x += stride) {
        /* The common cases inline: the default, or a small whole number. */
        uint8_t b = !k.p ? 0 : k.pos < k.len ? k.p[k.pos] : 0x80;
        if (b < 0x80 && !(b & 1)) {
            *(double *)x = (double)fb__zigzag_decode(b >> 1);
            k.pos += k.p != NULL;
            if (no)
                *(bool *)(no + i * stride) = false;
            continue;
        }
        FB__TRY(col_number(c, &k, i, (double *)x, no ? (bool *)(no + i * stride) : NULL));
    }
    return col_close(c, &k, n);
}

/*
 * A fixed-size code column: "" or exactly len letters A-Z, copied
 * NUL-terminated to out + i * (len + 1).
 */
static fb_status codes(ctx *c, unsigned id, size_t len, char *out)
{
    size_t n = c->h->count, i;
    col k;

    FB__TRY(col_open(c, id, &k));
    for (i = 0; i < n; i++) {
        char *dst = out + i * (len + 1);
        fb_str s;
        size_t j;
        FB__TRY(col_string(c, &k, i, len, &s));
        for (j = 0; j < s.len && s.ptr[j] >= 'A' && s.ptr[j] <= 'Z'; j++)
            ;
        if (s.len != 0 && (s.len != len || j != len))
            return col_corrupt(c, &k, i, "not %lu letters A-Z", (unsigned long)len);
        if (s.len)
            memcpy(dst, s.ptr, len);
        dst[s.len] = '\0';
    }
    return col_close(c, &k, n);
}

/* ---------------------------------------------------------------- per-record numbers */

static int64_t to_i64(uint64_t u)
{
    return u <= (uint64_t)INT64_MAX ? (int64_t)u : -(int64_t)(~u) - 1;
}

/*
 * The sum *total of the n counts (each at most max) in count column k, read
 * ahead of the records (k itself does not move), and room for that many
 * items, and one more, in *array (elem bytes each; so it is never NULL).
 */
static fb_status list_total(ctx *c, const col *k, size_t n, size_t max, void **array,
                            size_t *cap, size_t elem, size_t *total)
{
    col ahead = *k;
    size_t i, sum = 0;

    for (i = 0; i < n; i++) {
        uint64_t v;
        FB__TRY(col_varint(c, &ahead, i, &v));
        if (v > max)
            return col_corrupt(c, k, i, "%llu, more than the limit of %lu", (unsigned long long)v,
                               (unsigned long)max);
        sum += (size_t)v;
    }
    if (sum + 1 > *cap && fb__grow(c->d->alloc, array, cap, sum + 1, elem) != 0)
        return FB_ERR_NOMEM;
    *total = sum;
    return FB_OK;
}

/* Records decoded per pass of scalars(): few enough to stay in the cache between columns. */
#define BLOCK 256

/*
 * For records i in [from, to): v = the next value of column kk, then BODY.
 * The cursor is kept in locals, so the loop runs in registers; a column left
 * out gives 0s.
 */
#define EACH_VALUE(kk, BODY)                                                       \
    do {                                                                           \
        col *k_ = &(kk);                                                           \
        const uint8_t *p_ = k_->p;                                                 \
        size_t pos_ = k_->pos;                                                     \
        const size_t len_ = k_->len;                                               \
        size_t next_ = from;                                                       \
        if (p_ && len_ == n && pos_ == from) {                                     \
            /* As many bytes as values: while bytes are whole values, value i is  \
             * byte i. A longer value (then the column is damaged) goes on below,  \
             * which says where. */                                                \
            for (i = from; i < to && p_[i] < 0x80; i++) {                          \
                uint64_t v = p_[i];                                                \
                BODY                                                               \
            }                                                                      \
            pos_ = next_ = i;                                                      \
        }                                                                          \
        for (i = next_; i < to; i++) {                                             \
            uint64_t v = 0;                                                        \
            if (p_ && !fast_varint(p_, len_, &pos_, &v)) {                         \
                uint64_t w_;                                                       \
                k_->pos = pos_;                                                    \
                FB__TRY(col_varint(c, k_, i, &w_));                                \
                pos_ = k_->pos;                                                    \
                v = w_;                                                            \
            }                                                                      \
            BODY                                                                   \
        }                                                                          \
        k_->pos = pos_;                                                            \
    } while (0)

/* Column kk: enumeration values below limit, into out[i] as type. */
#define ENUM_VALUES(kk, out, type, limit)                                                    \
    EACH_VALUE(kk, {                                                                         \
        if (v >= (limit))                                                                    \
            return col_corrupt(c, &(kk), i, "unknown value %llu", (unsigned long long)v);    \
        ((type *)(out))[i] = (type)v;                                                        \
    })

/* Column kk: counts (checked by list_total) as offsets of each record's items, into of[i]. */
#define LIST_VALUES(kk, of, at)                                                            \
    EACH_VALUE(kk, {                                                                       \
        (of)[i] = (uint32_t)(at);                                                          \
        (at) += (size_t)v;                                                                 \
    })

/*
 * Every number column of a record (created_at, ids, enumerations, flags,
 * times, tips, and the answer, tag and attribute counts) of the fields asked
 * for, into the field arrays, a block of records at a time, so that the
 * values of a block stay in the cache from one column to the next. lists
 * gets the numbers of answers, tags and attributes (when asked for).
 */
static fb_status scalars(ctx *c, uint32_t fields, size_t lists[3])
{
    fb__chunk_dec *d = c->d;
    const fb__chunk_header *h = c->h;
    void *const *f = d->field;
    const size_t n = h->count;
    const bool want_id = fields & FB_LOG_FIELD_ID, want_upd = fields & FB_LOG_FIELD_UPDATE,
               want_ans = fields & FB_LOG_FIELD_ANSWERS, want_tags = fields & FB_LOG_FIELD_TAGS,
               want_attrs = fields & FB_LOG_FIELD_ATTRS;
    fb_time *created = f[F_CREATED];
    uint64_t *ids = f[F_ID];
    col k[FB__COL_LAST + 1];
    size_t at_answer = 0, at_tag = 0, at_attr = 0;
    uint64_t t = (uint64_t)h->min_time, id = 0;
    unsigned col_id;
    size_t from, to, i;

    /* Absent or not asked for: no bytes, every value the default. */
    for (col_id = FB__COL_ID; col_id <= FB__COL_LAST; col_id++) {
        const fb__col_info *info = fb__col_info_of(col_id);
        k[col_id].p = NULL;
        k[col_id].len = k[col_id].pos = 0;
        k[col_id].id = col_id;
        if (info->unit == FB__UNIT_RECORD && info->enc != FB__ENC_STRING &&
            (info->fields & fields))
            FB__TRY(col_open(c, col_id, &k[col_id]));
    }
    if (want_ans)
        FB__TRY(list_total(c, &k[FB__COL_ANSWER_COUNT], n, FB_MAX_ANSWERS, (void **)&d->answers,
                           &d->answers_cap, sizeof *d->answers, &lists[0]));
    if (want_tags)
        FB__TRY(list_total(c, &k[FB__COL_TAG_COUNT], n, FB_MAX_TAGS, (void **)&d->tags,
                           &d->tags_cap, sizeof *d->tags, &lists[1]));
    if (want_attrs)
        FB__TRY(list_total(c, &k[FB__COL_ATTR_COUNT], n, FB_MAX_ATTRS, (void **)&d->attrs,
                           &d->attrs_cap, sizeof *d->attrs, &lists[2]));

    for (from = 0; from < n; from = to) {
        to = n - from > BLOCK ? from + BLOCK : n;
        EACH_VALUE(k[FB__COL_CREATED], {
            int64_t s;
            t += fb__zigzag_decode_u(v);
            s = to_i64(t);
            if (s < h->min_time || s > h->max_time || s < FB_TIME_MIN || s > FB_TIME_MAX)
                return col_corrupt(c, &k[FB__COL_CREATED], i,
                                   "%lld outside the chunk's %lld..%lld", (long long)s,
                                   (long long)h->min_time, (long long)h->max_time);
            created[i] = s;
        });
        if (want_id || want_upd)
            EACH_VALUE(k[FB__COL_ID], {
                id += fb__zigzag_decode_u(v);
                ids[i] = id;
            });
        if (want_upd) {
            uint64_t *ref = f[F_REF_ID];
            EACH_VALUE(k[FB__COL_REF_ID],
                       { ref[i] = v ? ids[i] - fb__zigzag_decode_u(v - 1) : 0; });
            ENUM_VALUES(k[FB__COL_HANDLING], f[F_HANDLING], fb_handling, d->n_handling);
            ENUM_VALUES(k[FB__COL_ASSIGNEE_KIND], f[F_ASSIGNEE_KIND], fb_assignee_kind,
                        d->n_assignee);
        }
        if (fields & FB_LOG_FIELD_KIND)
            ENUM_VALUES(k[FB__COL_KIND], f[F_KIND], fb_record_kind, d->n_kind);
        if (fields & FB_LOG_FIELD_INTERACTION_AT) {
            fb_time *inter = f[F_INTERACTION];
            EACH_VALUE(k[FB__COL_INTERACTION], {
                fb_time at = FB_TIME_UNKNOWN;
                if (v) {
                    at = to_i64((uint64_t)created[i] - fb__zigzag_decode_u(v - 1));
                    if (at < FB_TIME_MIN || at > FB_TIME_MAX)
                        return col_corrupt(c, &k[FB__COL_INTERACTION], i, "%lld out of range",
                                           (long long)at);
                }
                inter[i] = at;
            });
        }
        if (fields & FB_LOG_FIELD_CUSTOMER) {
            bool *verified = f[F_CUSTOMER_VERIFIED], *win_back = f[F_WIN_BACK];
            ENUM_VALUES(k[FB__COL_CUSTOMER_STATUS], f[F_CUSTOMER_STATUS], fb_customer_status,
                        d->n_status);
            /* Flag bits this version does not know are ignored. */
            EACH_VALUE(k[FB__COL_CUSTOMER_FLAGS], {
                verified[i] = (v & 1) != 0;
                win_back[i] = (v & 2) != 0;
            });
        }
        if (fields & FB_LOG_FIELD_CHANNEL) {
            ENUM_VALUES(k[FB__COL_CHANNEL], f[F_CHANNEL], fb_channel, d->n_channel);
            ENUM_VALUES(k[FB__COL_SOURCE], f[F_SOURCE], fb_source, d->n_source);
        }
        if (want_ans)
            LIST_VALUES(k[FB__COL_ANSWER_COUNT], (uint32_t *)f[F_ANSWERS_OF], at_answer);
        if (want_tags)
            LIST_VALUES(k[FB__COL_TAG_COUNT], (uint32_t *)f[F_TAGS_OF], at_tag);
        if (want_attrs)
            LIST_VALUES(k[FB__COL_ATTR_COUNT], (uint32_t *)f[F_ATTRS_OF], at_attr);
        if (fields & FB_LOG_FIELD_TIP) {
            int64_t *tip = f[F_TIP];
            EACH_VALUE(k[FB__COL_TIP], {
                tip[i] = fb__zigzag_decode(v);
                if (tip[i] < 0)
                    return col_corrupt(c, &k[FB__COL_TIP], i, "negative tip %lld",
                                       (long long)tip[i]);
            });
        }
    }
    /* Each list's end: its last record's items run to the total. */
    if (want_ans)
        ((uint32_t *)f[F_ANSWERS_OF])[n] = (uint32_t)at_answer;
    if (want_tags)
        ((uint32_t *)f[F_TAGS_OF])[n] = (uint32_t)at_tag;
    if (want_attrs)
        ((uint32_t *)f[F_ATTRS_OF])[n] = (uint32_t)at_attr;
    for (col_id = FB__COL_ID; col_id <= FB__COL_LAST; col_id++)
        FB__TRY(col_close(c, &k[col_id], n));
    return FB_OK;
}

/* ---------------------------------------------------------------- lists */

/* Checks answer i's metric, scale and score. */
static fb_status check_answer(ctx *c, const fb_answer *a, size_t i)
{
    double lo, hi;

    if (a->metric == FB_METRIC_CUSTOM) {
        lo = a->scale_min;
        hi = a->scale_max;
        if (!isfinite(lo) || !isfinite(hi) || !(lo < hi))
            return fb__chunk_dec_corrupt(c, "answer %lu: custom scale %g..%g", (unsigned long)i,
                                         lo, hi);
    } else {
        lo = c->d->scale_lo[a->metric];
        hi = c->d->scale_hi[a->metric];
    }
    if (!a->skipped &&
        (!isfinite(a->score) || a->score < lo || a->score > hi ||
         (a->metric == FB_METRIC_GCR && a->score != 0 && a->score != 1)))
        return fb__chunk_dec_corrupt(c, "answer %lu: score %g outside the scale %g..%g",
                                     (unsigned long)i, a->score, lo, hi);
    return FB_OK;
}

/*
 * The name and scale of the custom answers among a[0, total), of which there
 * are n: their columns hold one value per custom answer.
 */
static fb_status custom_answers(ctx *c, fb_answer *a, size_t total, size_t n)
{
    fb__chunk_dec *d = c->d;
    fb_answer *cus;
    size_t i, j;

    /* Decoded into their own array (never NULL), then copied into place. */
    if (n + 1 > d->custom_cap &&
        fb__grow(d->alloc, (void **)&d->custom, &d->custom_cap, n + 1, sizeof *d->custom) != 0)
        return FB_ERR_NOMEM;
    cus = d->custom;
    FB__TRY(strings(c, FB__COL_ANSWER_NAME, n, FB_MAX_NAME, &cus[0].name, sizeof *cus));
    FB__TRY(numbers(c, FB__COL_ANSWER_SCALE_MIN, n, &cus[0].scale_min, NULL, sizeof *cus));
    FB__TRY(numbers(c, FB__COL_ANSWER_SCALE_MAX, n, &cus[0].scale_max, NULL, sizeof *cus));
    for (i = j = 0; i < total && j < n; i++) {
        if (a[i].metric != FB_METRIC_CUSTOM)
            continue;
        a[i].name = cus[j].name;
        a[i].scale_min = cus[j].scale_min;
        a[i].scale_max = cus[j].scale_max;
        j++;
    }
    return FB_OK;
}

/* The values of the chunk's total answers (metric, score, custom name and scale). */
static fb_status answers(ctx *c, size_t total)
{
    fb__chunk_dec *d = c->d;
    size_t custom = 0, i;
    fb_answer *a = d->answers;
    col k;

    FB__TRY(col_open(c, FB__COL_ANSWER_METRIC, &k));
    for (i = 0; i < total; i++) {
        uint64_t v;
        FB__TRY(col_varint(c, &k, i, &v));
        if (v >= d->n_metric)
            return col_corrupt(c, &k, i, "unknown metric %llu", (unsigned long long)v);
        a[i].metric = (fb_metric)v;
        a[i].name.ptr = NULL;
        a[i].name.len = 0;
        a[i].scale_min = a[i].scale_max = 0;
        custom += v == FB_METRIC_CUSTOM;
    }
    FB__TRY(col_close(c, &k, total));
    FB__TRY(numbers(c, FB__COL_ANSWER_SCORE, total, &a[0].score, &a[0].skipped, sizeof *a));
    FB__TRY(custom_answers(c, a, total, custom));
    for (i = 0; i < total; i++)
        FB__TRY(check_answer(c, &a[i], i));
    return FB_OK;
}

/* ---------------------------------------------------------------- records */

static fb_status decode(ctx *c, uint32_t fields)
{
    fb__chunk_dec *d = c->d;
    void *const *f = d->field;
    size_t n = c->h->count, lists[3] = {0, 0, 0};

    FB__TRY(scalars(c, fields, lists));
    if (fields & FB_LOG_FIELD_UPDATE)
        FB__TRY(strings(c, FB__COL_ASSIGNEE, n, FB_MAX_ID, f[F_ASSIGNEE], sizeof(fb_str)));
    if (fields & FB_LOG_FIELD_CUSTOMER)
        FB__TRY(strings(c, FB__COL_CUSTOMER_ID, n, FB_MAX_ID, f[F_CUSTOMER_ID], sizeof(fb_str)));
    if (fields & FB_LOG_FIELD_ANSWERS)
        FB__TRY(answers(c, lists[0]));
    if (fields & FB_LOG_FIELD_TEXT) {
        FB__TRY(strings(c, FB__COL_TEXT, n, FB_MAX_TEXT, f[F_TEXT], sizeof(fb_str)));
        FB__TRY(strings(c, FB__COL_LANGUAGE, n, FB_MAX_LANGUAGE, f[F_LANGUAGE], sizeof(fb_str)));
    }
    if (fields & FB_LOG_FIELD_TAGS)
        FB__TRY(strings(c, FB__COL_TAG, lists[1], FB_MAX_NAME, d->tags, sizeof *d->tags));
    if (fields & FB_LOG_FIELD_SERVICE) {
        FB__TRY(strings(c, FB__COL_AGENT_ID, n, FB_MAX_ID, f[F_AGENT_ID], sizeof(fb_str)));
        FB__TRY(strings(c, FB__COL_TICKET_ID, n, FB_MAX_ID, f[F_TICKET_ID], sizeof(fb_str)));
        FB__TRY(strings(c, FB__COL_PRODUCT, n, FB_MAX_ID, f[F_PRODUCT], sizeof(fb_str)));
        FB__TRY(codes(c, FB__COL_COUNTRY, 2, f[F_COUNTRY]));
    }
    if (fields & FB_LOG_FIELD_TIP)
        FB__TRY(codes(c, FB__COL_TIP_CURRENCY, 3, f[F_TIP_CURRENCY]));
    if (fields & FB_LOG_FIELD_ATTRS) {
        FB__TRY(strings(c, FB__COL_ATTR_KEY, lists[2], FB_MAX_NAME, &d->attrs[0].key,
                        sizeof *d->attrs));
        FB__TRY(strings(c, FB__COL_ATTR_VALUE, lists[2], FB_MAX_ATTR_VALUE, &d->attrs[0].value,
                        sizeof *d->attrs));
    }
    return FB_OK;
}

/*
 * With every field decoded: each whole record, as fb_record_validate sees it,
 * and the strings it ignores.
 */
static fb_status validate(ctx *c)
{
    const fb__chunk_dec *d = c->d;
    fb_record rec, *r = &rec;
    uint32_t i;

    /* Once: every record's fill writes the same fields (all decoded), the rest keep these. */
    fb_record_init(r);
    for (i = 0; i < c->h->count; i++) {
        fb_error verr;
        size_t k;
        fb__chunk_dec_fill(d, i, r);
        /* Strings fb_record_validate ignores: update fields of other kinds, names of
         * built-in answers. UTF-8 was left to it, so check these here. */
        if (r->kind != FB_KIND_UPDATE &&
            fb__utf8_check(r->assignee.ptr, r->assignee.len) != r->assignee.len)
            return fb__chunk_dec_corrupt(c, "record %lu: assignee: invalid UTF-8",
                                         (unsigned long)i);
        for (k = 0; k < r->n_answers; k++)
            if (r->answers[k].metric != FB_METRIC_CUSTOM &&
                fb__utf8_check(r->answers[k].name.ptr, r->answers[k].name.len) !=
                    r->answers[k].name.len)
                return fb__chunk_dec_corrupt(c, "record %lu: answers[%lu].name: invalid UTF-8",
                                             (unsigned long)i, (unsigned long)k);
        if (fb_record_validate(r, &verr) != FB_OK)
            return fb__chunk_dec_corrupt(c, "record %lu: %s", (unsigned long)i, verr.message);
    }
    return FB_OK;
}

fb_status fb__chunk_dec_load(fb__chunk_dec *d, const fb__chunk_header *h,
                             const fb__payload_src *src, uint32_t fields, fb_error *err)
{
    const uint8_t *created;
    ctx c;

    if (!d || !h || !src || (!src->mem && !src->read))
        return fb__error(err, FB_ERR_INVALID_ARG, NULL, "NULL argument");
    d->count = 0;
    d->fetched = 0;
    if ((h->type & FB__LOG_TYPE_MASK) != (FB__LOG_CHUNK_DATA & FB__LOG_TYPE_MASK))
        return fb__error(err, FB_ERR_INVALID_ARG, NULL, "chunk type %u is not a data chunk",
                         (unsigned)h->type);
    if (h->payload_len > FB__LOG_MAX_PAYLOAD || h->raw_len > FB__LOG_MAX_RAW ||
        h->count > FB__LOG_MAX_RECORDS || h->min_time > h->max_time)
        return fb__error(err, FB_ERR_CORRUPT, NULL, "chunk header beyond the format's limits");
    if (fields == 0)
        fields = FB_LOG_FIELD_ALL;
    fields = (fields & FB_LOG_FIELD_ALL) | FB_LOG_FIELD_CREATED_AT;

    memset(&c, 0, sizeof c);
    c.check_utf8 = fields != FB_LOG_FIELD_ALL;
    c.d = d;
    c.h = h;
    c.src = src;
    c.err = err;

    FB__TRY(fb__chunk_dec_parse_table(&c));
    if (!c.s[FB__COL_CREATED].present)
        return fb__chunk_dec_corrupt(&c, "data chunk without a created_at column");
    if (h->count > c.s[FB__COL_CREATED].raw)
        return fb__chunk_dec_corrupt(&c, "%lu records cannot fit in %lu bytes of created_at",
                                     (unsigned long)h->count,
                                     (unsigned long)c.s[FB__COL_CREATED].raw);
    /* Its bytes, checked and inflated, bound the room made for the records. */
    FB__TRY(fb__chunk_dec_stream(&c, FB__COL_CREATED, &created));
    if (fb__chunk_dec_reserve_fields(d, fields, h->count) != FB_OK)
        return FB_ERR_NOMEM;
    d->fields = fields;
    FB__TRY(decode(&c, fields));
    if (fields == FB_LOG_FIELD_ALL)
        FB__TRY(validate(&c));
    d->count = h->count;
    return FB_OK;
}
