/*
 * fb_summary: groups of records by key, each with an accumulator per
 * built-in metric. A record's key is built from the dimensions grouped by
 * and its period; a hash table finds the key's group. Strings of keys
 * (agents, products, tags, attribute values) are entries of one dictionary,
 * so a key is a small fixed struct.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_private.h"
#include "error_private.h"
#include "metrics_acc.h"
#include "names.h"
#include "summary_private.h"

/* The dimensions a summary can find groups for without hashing a key: enumerations only. */
#define RECENT_DIMS (FB_DIM_CHANNEL | FB_DIM_SOURCE | FB_DIM_CUSTOMER_STATUS)

/* ---------------------------------------------------------------- names, options */

static const char *const DIM_NAMES[] = {"channel", "source", "customer_status", "country",
                                        "agent",   "product", "tag",            "attribute"};
#define N_DIMS 8
static const char *const PERIOD_NAMES[] = {"none", "day", "week", "month", "quarter", "year"};

const char *fb_dim_name(unsigned dim)
{
    int i;
    for (i = 0; i < N_DIMS; i++)
        if (dim == 1u << i)
            return DIM_NAMES[i];
    return NULL;
}

const char *fb_period_name(fb_period p)
{
    return (int)p >= 0 && (int)p <= FB_PERIOD_YEAR ? PERIOD_NAMES[p] : NULL;
}

fb_status fb_dims_parse(const char *s, unsigned *dims, fb_error *err)
{
    unsigned got = 0;

    if (!s || !dims)
        return fb__error(err, FB_ERR_INVALID_ARG, "", "fb_dims_parse: NULL argument");
    while (*s) {
        const char *start, *end;
        int v;
        while (*s == ' ' || *s == ',')
            s++;
        if (!*s)
            break;
        start = s;
        while (*s && *s != ',')
            s++;
        end = s;
        while (end > start && end[-1] == ' ')
            end--;
        FB__TRY(fb__names_parse("dimension", DIM_NAMES, N_DIMS, start, (size_t)(end - start), &v,
                                err));
        if (got & (1u << v))
            return fb__error(err, FB_ERR_DUPLICATE, "dimension", "'%s' is named twice",
                             DIM_NAMES[v]);
        got |= 1u << v;
    }
    *dims = got;
    return FB_OK;
}

fb_status fb_period_parse(const char *s, fb_period *p, fb_error *err)
{
    int v;

    if (!s || !p)
        return fb__error(err, FB_ERR_INVALID_ARG, "", "fb_period_parse: NULL argument");
    FB__TRY(fb__names_parse("period", PERIOD_NAMES, FB_PERIOD_YEAR + 1, s, strlen(s), &v, err));
    *p = (fb_period)v;
    return FB_OK;
}

void fb_summary_options_init(fb_summary_options *o)
{
    if (!o)
        return;
    memset(o, 0, sizeof *o);
    o->period = FB_PERIOD_NONE;
    fb_metric_options_init(&o->metrics);
}

static fb_status check_options(const fb_summary_options *o, fb_error *err)
{
    const fb_metric_options *m = &o->metrics;

    if (o->dims & ~FB_DIM_ALL)
        return fb__error(err, FB_ERR_INVALID_ARG, "dims", "unknown dimension bits 0x%x",
                         o->dims & ~FB_DIM_ALL);
    if ((o->dims & FB_DIM_ATTR) && (!o->attr_key || !o->attr_key[0]))
        return fb__error(err, FB_ERR_INVALID_ARG, "attr_key",
                         "grouping by attribute needs the attribute's key");
    if ((int)o->period < FB_PERIOD_NONE || (int)o->period > FB_PERIOD_YEAR)
        return fb__error(err, FB_ERR_INVALID_ARG, "period", "%d is not an fb_period",
                         (int)o->period);
    if (o->utc_offset_minutes < -1080 || o->utc_offset_minutes > 1080)
        return fb__error(err, FB_ERR_INVALID_ARG, "utc_offset_minutes",
                         "%d minutes is beyond UTC-18:00..+18:00", o->utc_offset_minutes);
    if (!(m->level > 0 && m->level < 1))
        return fb__error(err, FB_ERR_INVALID_ARG, "level", "%g is not a level in (0, 1)",
                         m->level);
    if (!(m->rating_prior_weight >= 0))
        return fb__error(err, FB_ERR_INVALID_ARG, "rating_prior_weight", "%g is negative",
                         m->rating_prior_weight);
    return FB_OK;
}

/* ---------------------------------------------------------------- life */

static int init_total(fb_summary *s);

fb_status fb_summary_new(fb_summary **out, const fb_summary_options *o,
                         const fb_allocator *alloc, fb_error *err)
{
    fb_summary_options defaults;
    fb_summary *s;
    int m;

    if (!out)
        return fb__error(err, FB_ERR_INVALID_ARG, "", "fb_summary_new: out is NULL");
    *out = NULL;
    if (!o) {
        fb_summary_options_init(&defaults);
        o = &defaults;
    }
    FB__TRY(check_options(o, err));
    s = fb__calloc(alloc, sizeof *s);
    if (!s)
        return fb__error(err, FB_ERR_NOMEM, "", "out of memory");
    s->alloc = alloc;
    s->opt = *o;
    if (o->dims & FB_DIM_ATTR) {
        s->attr_key_len = strlen(o->attr_key);
        s->attr_key = fb__malloc(alloc, s->attr_key_len + 1);
        if (!s->attr_key) {
            fb__free(alloc, s);
            return fb__error(err, FB_ERR_NOMEM, "", "out of memory");
        }
        memcpy(s->attr_key, o->attr_key, s->attr_key_len + 1);
    }
    s->opt.attr_key = s->attr_key;
    for (m = 0; m < FB_SUMMARY_METRICS; m++) {
        double hi;
        (void)fb_metric_scale((fb_metric)m, &s->min[m], &hi);
    }
    fb__dict_init(&s->strings, alloc);
    fb__dict_init(&s->terms, alloc);
    s->total_apart = (o->dims & FB_DIM_TAG) != 0;
    s->total_stale = true;
    s->period_from = s->period_to = 0;
    if ((o->dims & ~RECENT_DIMS) == 0 &&
        !(s->recent = fb__calloc(alloc, ((size_t)1 << FB__RECENT_BITS) * sizeof *s->recent))) {
        fb_summary_free(s);
        return fb__error(err, FB_ERR_NOMEM, "", "out of memory");
    }
    if (init_total(s) != 0) {
        fb_summary_free(s);
        return fb__error(err, FB_ERR_NOMEM, "", "out of memory");
    }
    *out = s;
    return FB_OK;
}

static void group_free(const fb_allocator *alloc, fb__group *g)
{
    fb__free(alloc, g->pairs);
    fb__terms_free(alloc, &g->terms);
}

void fb_summary_free(fb_summary *s)
{
    size_t i;

    if (!s)
        return;
    for (i = 0; i < s->n_groups; i++)
        group_free(s->alloc, &s->groups[i]);
    group_free(s->alloc, &s->total);
    fb__free(s->alloc, s->groups);
    fb__free(s->alloc, s->index);
    fb__free(s->alloc, s->order);
    fb__free(s->alloc, s->recent);
    fb__dict_free(&s->strings);
    fb__dict_free(&s->terms);
    fb__free(s->alloc, s->attr_key);
    fb__free(s->alloc, s);
}

const fb_summary_options *fb_summary_options_of(const fb_summary *s) { return s ? &s->opt : NULL; }

/* ---------------------------------------------------------------- groups */

static uint64_t key_hash(const fb__key *k)
{
    uint64_t h = (uint64_t)k->period_start * 0x9E3779B97F4A7C15ULL;
    h ^= ((uint64_t)k->channel | (uint64_t)k->source << 8 | (uint64_t)k->status << 16 |
          (uint64_t)(unsigned char)k->country[0] << 24 |
          (uint64_t)(unsigned char)k->country[1] << 32) *
         0xC2B2AE3D27D4EB4FULL;
    h ^= ((uint64_t)k->agent << 32 | k->product) * 0x165667B19E3779F9ULL;
    h ^= ((uint64_t)k->tag << 32 | k->attr) * 0xD6E8FEB86659FD93ULL;
    h ^= h >> 31;
    h *= 0xFF51AFD7ED558CCDULL;
    return h ^ (h >> 29);
}

static bool key_equal(const fb__key *a, const fb__key *b)
{
    return a->period_start == b->period_start && a->channel == b->channel &&
           a->source == b->source && a->status == b->status &&
           a->country[0] == b->country[0] && a->country[1] == b->country[1] &&
           a->agent == b->agent && a->product == b->product && a->tag == b->tag &&
           a->attr == b->attr;
}

static fb_str entry_str(const fb__dict *d, uint32_t entry1)
{
    fb_str s = {"", 0};
    if (entry1)
        s.ptr = fb__dict_entry(d, entry1 - 1, &s.len);
    return s;
}

static int index_grow(fb_summary *s)
{
    size_t cap = s->index_cap ? s->index_cap * 2 : 64, i;
    uint32_t *index;

    if (cap > SIZE_MAX / sizeof *index)
        return -1;
    index = fb__calloc(s->alloc, cap * sizeof *index);
    if (!index)
        return -1;
    for (i = 0; i < s->n_groups; i++) {
        size_t j = (size_t)key_hash(&s->groups[i].key) & (cap - 1);
        while (index[j])
            j = (j + 1) & (cap - 1);
        index[j] = (uint32_t)(i + 1);
    }
    fb__free(s->alloc, s->index);
    s->index = index;
    s->index_cap = cap;
    return 0;
}

/* Sets up g, empty, for key k. 0 or -1 (no memory). */
static int group_init(fb_summary *s, fb__group *g, const fb__key *k)
{
    fb_summary_group *p = &g->pub;
    int m;

    memset(g, 0, sizeof *g);
    g->key = *k;
    p->channel = (fb_channel)k->channel;
    p->source = (fb_source)k->source;
    p->customer_status = (fb_customer_status)k->status;
    p->country[0] = k->country[0];
    p->country[1] = k->country[1];
    p->period_start = k->period_start;
    p->period_end = FB_TIME_UNKNOWN;
    if (s->opt.period != FB_PERIOD_NONE && k->period_start != FB_TIME_UNKNOWN)
        fb__summary_period(s, k->period_start, &p->period_start, &p->period_end);
    for (m = 0; m < FB_SUMMARY_METRICS; m++)
        fb_score_acc_init(&p->metric[m], s->min[m]);
    if (s->opt.correlations) {
        g->pairs = fb__calloc(s->alloc, FB__PAIRS * sizeof *g->pairs);
        if (!g->pairs)
            return -1;
    }
    return 0;
}

/* The strings of a group's key point into the dictionary, which may move as it grows. */
static void group_strings(fb_summary *s, fb__group *g)
{
    g->pub.agent = entry_str(&s->strings, g->key.agent);
    g->pub.product = entry_str(&s->strings, g->key.product);
    g->pub.tag = entry_str(&s->strings, g->key.tag);
    g->pub.attr = entry_str(&s->strings, g->key.attr);
}

/* The group of key k, made when new; NULL when out of memory. */
static fb__group *group_for(fb_summary *s, const fb__key *k)
{
    size_t j;
    fb__group *g;

    if (s->index_cap) {
        for (j = (size_t)key_hash(k) & (s->index_cap - 1); s->index[j];
             j = (j + 1) & (s->index_cap - 1)) {
            g = &s->groups[s->index[j] - 1];
            if (key_equal(&g->key, k))
                return g;
        }
    }
    if (s->n_groups >= UINT32_MAX - 1)
        return NULL;
    if ((s->n_groups + 1) * 2 > s->index_cap && index_grow(s) != 0)
        return NULL;
    if (s->n_groups == s->cap_groups &&
        fb__grow(s->alloc, (void **)&s->groups, &s->cap_groups, s->n_groups + 1,
                 sizeof *s->groups) != 0)
        return NULL;
    g = &s->groups[s->n_groups];
    if (group_init(s, g, k) != 0) {
        group_free(s->alloc, g);
        return NULL;
    }
    for (j = (size_t)key_hash(k) & (s->index_cap - 1); s->index[j];
         j = (j + 1) & (s->index_cap - 1))
        ;
    s->index[j] = (uint32_t)++s->n_groups;
    s->sorted = false;
    return g;
}

/* The entry + 1 of a string in s->strings (0 for ""). 0 or -1 (no memory). */
static int intern(fb_summary *s, const char *p, size_t len, uint32_t *entry1)
{
    uint32_t e;

    if (len == 0) {
        *entry1 = 0;
        return 0;
    }
    if (fb__dict_index(&s->strings, p, len, &e) != 0)
        return -1;
    *entry1 = e + 1;
    return 0;
}

/* ---------------------------------------------------------------- adding */

/* The record's class by its NPS answer: -1 detractor, +1 promoter, 0 passive or none. */
static int nps_class(const fb__view *v)
{
    size_t i;
    for (i = 0; i < v->n_answers; i++) {
        const fb_answer *a = &v->answers[i];
        if (a->metric == FB_METRIC_NPS && !a->skipped)
            return a->score < FB_NPS_DETRACTOR_BELOW  ? -1
                   : a->score >= FB_NPS_PROMOTER_FROM ? 1
                                                      : 0;
    }
    return 0;
}

static void count_pairs(fb__pair_sums *pairs, const fb__view *v)
{
    double x[FB_SUMMARY_METRICS];
    bool has[FB_SUMMARY_METRICS] = {false};
    int a, b, k = 0;
    size_t i;

    for (i = 0; i < v->n_answers; i++) {
        const fb_answer *an = &v->answers[i];
        if ((int)an->metric < FB_SUMMARY_METRICS && !an->skipped) {
            has[an->metric] = true;
            x[an->metric] = an->score;
        }
    }
    for (a = 0; a < FB_SUMMARY_METRICS; a++) {
        for (b = a + 1; b < FB_SUMMARY_METRICS; b++, k++) {
            fb__pair_sums *p = &pairs[k];
            if (!has[a] || !has[b])
                continue;
            p->n += 1;
            p->sx += x[a];
            p->sy += x[b];
            p->sxx += x[a] * x[a];
            p->syy += x[b] * x[b];
            p->sxy += x[a] * x[b];
        }
    }
}

/* Counts a record into group g. 0, or -1 (no memory: the comment's terms may be part-counted). */
static int count_into(fb_summary *s, fb__group *g, const fb__view *v, bool include)
{
    fb_summary_group *p = &g->pub;
    size_t i;

    if (!include) {
        p->excluded++;
        return 0;
    }
    p->records++;
    switch (v->kind) {
    case FB_KIND_INVITATION:
        p->invitations++;
        break;
    case FB_KIND_UPDATE:
        p->updates++;
        return 0;
    default:
        p->responses++;
        p->solicited += v->source == FB_SOURCE_DIRECT;
        break;
    }
    for (i = 0; i < v->n_answers; i++) {
        const fb_answer *a = &v->answers[i];
        fb_score_acc *acc;
        if ((unsigned)a->metric >= FB_SUMMARY_METRICS)
            continue; /* custom answers are not summarised */
        acc = &p->metric[a->metric];
        if (a->skipped)
            acc->skipped++;
        else
            fb__score_acc_add_rel(acc, a->score - acc->min);
    }
    if (g->pairs && v->n_answers > 1)
        count_pairs(g->pairs, v);
    if (s->opt.terms && v->text.len > 0 && v->kind == FB_KIND_RESPONSE)
        return fb__terms_count(s, g, v->text, nps_class(v));
    return 0;
}

/* What the key of a record needs beyond its view: the dimensions' values. */
typedef struct key_source {
    fb_time created_at;
    fb_channel channel;
    fb_source source;
    fb_customer_status status;
    const char *country;
    fb_str agent, product;
    const fb_str *tags;
    size_t n_tags;
    const fb_attr *attrs;
    size_t n_attrs;
} key_source;

/* A record's values of the enumeration dimensions grouped by, packed. */
static uint32_t recent_enums(unsigned dims, const key_source *ks)
{
    uint32_t e = 0;
    if (dims & FB_DIM_CHANNEL)
        e |= (uint32_t)ks->channel & 0xFF;
    if (dims & FB_DIM_SOURCE)
        e |= ((uint32_t)ks->source & 0xFF) << 8;
    if (dims & FB_DIM_CUSTOMER_STATUS)
        e |= ((uint32_t)ks->status & 0xFF) << 16;
    return e;
}

static size_t recent_slot(uint32_t enums)
{
    return (size_t)((enums * 0x9E3779B1u) >> (32 - FB__RECENT_BITS));
}

/* Counts one record into its groups (one per tag when grouping by tag) and the total. */
static fb_status add_one(fb_summary *s, const key_source *ks, const fb__view *v, bool include,
                         fb_error *err)
{
    unsigned dims = s->opt.dims;
    fb__key k;
    size_t t, n_keys = 1;

    memset(&k, 0, sizeof k);
    if (s->opt.period != FB_PERIOD_NONE) {
        if (ks->created_at < s->period_from || ks->created_at >= s->period_to)
            fb__summary_period(s, ks->created_at, &s->period_from, &s->period_to);
        k.period_start = s->period_from;
    } else {
        k.period_start = FB_TIME_UNKNOWN;
    }
    if (s->recent) {
        /* Keys of enumerations only: first the group last used for these values and period. */
        uint32_t enums = recent_enums(dims, ks);
        fb__recent *c = &s->recent[recent_slot(enums)];
        if (c->group1 && c->enums == enums && c->period_start == k.period_start) {
            if (count_into(s, &s->groups[c->group1 - 1], v, include) != 0)
                return fb__error(err, FB_ERR_NOMEM, "", "out of memory");
            s->total_stale = true;
            if (include && v->text.len > 0)
                s->comments++;
            return FB_OK;
        }
    }
    if (dims & FB_DIM_CHANNEL)
        k.channel = (uint8_t)ks->channel;
    if (dims & FB_DIM_SOURCE)
        k.source = (uint8_t)ks->source;
    if (dims & FB_DIM_CUSTOMER_STATUS)
        k.status = (uint8_t)ks->status;
    if ((dims & FB_DIM_COUNTRY) && ks->country) {
        k.country[0] = ks->country[0];
        k.country[1] = ks->country[0] ? ks->country[1] : '\0';
    }
    if (((dims & FB_DIM_AGENT) && intern(s, ks->agent.ptr, ks->agent.len, &k.agent) != 0) ||
        ((dims & FB_DIM_PRODUCT) && intern(s, ks->product.ptr, ks->product.len, &k.product) != 0))
        return fb__error(err, FB_ERR_NOMEM, "", "out of memory");
    if (dims & FB_DIM_ATTR) {
        for (t = 0; t < ks->n_attrs; t++) {
            const fb_attr *a = &ks->attrs[t];
            if (a->key.len == s->attr_key_len && memcmp(a->key.ptr, s->attr_key, a->key.len) == 0) {
                if (intern(s, a->value.ptr, a->value.len, &k.attr) != 0)
                    return fb__error(err, FB_ERR_NOMEM, "", "out of memory");
                break;
            }
        }
    }
    if ((dims & FB_DIM_TAG) && ks->n_tags > 0)
        n_keys = ks->n_tags;
    for (t = 0; t < n_keys; t++) {
        fb__group *g;
        if ((dims & FB_DIM_TAG) && ks->n_tags > 0 &&
            intern(s, ks->tags[t].ptr, ks->tags[t].len, &k.tag) != 0)
            return fb__error(err, FB_ERR_NOMEM, "", "out of memory");
        /* A record tagged twice alike counts once in that tag's group. */
        if (t > 0 && (dims & FB_DIM_TAG)) {
            size_t u;
            for (u = 0; u < t; u++)
                if (ks->tags[u].len == ks->tags[t].len &&
                    memcmp(ks->tags[u].ptr, ks->tags[t].ptr, ks->tags[t].len) == 0)
                    break;
            if (u < t)
                continue;
        }
        g = group_for(s, &k);
        if (!g || count_into(s, g, v, include) != 0)
            return fb__error(err, FB_ERR_NOMEM, "", "out of memory");
        if (s->recent) {
            uint32_t enums = recent_enums(dims, ks);
            fb__recent *c = &s->recent[recent_slot(enums)];
            c->enums = enums;
            c->period_start = k.period_start;
            c->group1 = (uint32_t)(g - s->groups) + 1;
        }
    }
    s->total_stale = true;
    if (s->total_apart && count_into(s, &s->total, v, include) != 0)
        return fb__error(err, FB_ERR_NOMEM, "", "out of memory");
    if (include && v->text.len > 0)
        s->comments++;
    return FB_OK;
}

fb_status fb_summary_add(fb_summary *s, const fb_record *r, bool include, fb_error *err)
{
    key_source ks;
    fb__view v;

    if (!s || !r)
        return fb__error(err, FB_ERR_INVALID_ARG, "", "fb_summary_add: %s is NULL",
                         s ? "r" : "s");
    if (r->n_answers > 0 && !r->answers)
        return fb__error(err, FB_ERR_INVALID_ARG, "answers", "NULL with n_answers %lu",
                         (unsigned long)r->n_answers);
    ks.created_at = r->created_at;
    ks.channel = r->channel;
    ks.source = r->source;
    ks.status = r->customer_status;
    ks.country = r->country;
    ks.agent = r->agent_id;
    ks.product = r->product;
    ks.tags = r->tags;
    ks.n_tags = r->tags ? r->n_tags : 0;
    ks.attrs = r->attrs;
    ks.n_attrs = r->attrs ? r->n_attrs : 0;
    v.kind = r->kind;
    v.source = r->source;
    v.answers = r->answers;
    v.n_answers = r->n_answers;
    v.text = r->text;
    return add_one(s, &ks, &v, include, err);
}

/* Whether batch b has the columns that s needs; else FB_ERR_MISSING naming one. */
static fb_status batch_columns(const fb_summary *s, const fb_record_batch *b, fb_error *err)
{
    unsigned dims = s->opt.dims;
    const char *missing = NULL;

    if (!b->created_at)
        missing = "created_at";
    else if (!b->kind)
        missing = "kind";
    else if (!b->answers_of)
        missing = "answers";
    else if ((dims & FB_DIM_CHANNEL) && !b->channel)
        missing = "channel";
    else if ((dims & FB_DIM_SOURCE) && !b->source)
        missing = "source";
    else if ((dims & FB_DIM_CUSTOMER_STATUS) && !b->customer_status)
        missing = "customer_status";
    else if ((dims & FB_DIM_COUNTRY) && !b->country)
        missing = "country";
    else if ((dims & FB_DIM_AGENT) && !b->agent_id)
        missing = "agent_id";
    else if ((dims & FB_DIM_PRODUCT) && !b->product)
        missing = "product";
    else if ((dims & FB_DIM_TAG) && !b->tags_of)
        missing = "tags";
    else if ((dims & FB_DIM_ATTR) && !b->attrs_of)
        missing = "attributes";
    else if (s->opt.terms && !b->text)
        missing = "text";
    if (missing)
        return fb__error(err, FB_ERR_MISSING, missing,
                         "the summary needs the %s column, which the batch lacks", missing);
    return FB_OK;
}

fb_status fb_summary_add_batch(fb_summary *s, const fb_record_batch *b, const bool *include,
                               fb_error *err)
{
    static const fb_str none = {"", 0};
    key_source ks;
    fb__view v;
    size_t i;

    if (!s || !b)
        return fb__error(err, FB_ERR_INVALID_ARG, "", "fb_summary_add_batch: %s is NULL",
                         s ? "b" : "s");
    if (b->n == 0)
        return FB_OK;
    FB__TRY(batch_columns(s, b, err));
    memset(&ks, 0, sizeof ks);
    memset(&v, 0, sizeof v);
    for (i = 0; i < b->n; i++) {
        fb_status st;
        ks.created_at = b->created_at[i];
        ks.channel = b->channel ? b->channel[i] : FB_CHANNEL_OTHER;
        ks.source = b->source ? b->source[i] : FB_SOURCE_DIRECT;
        ks.status = b->customer_status ? b->customer_status[i] : FB_CUSTOMER_UNKNOWN;
        ks.country = b->country ? b->country[i] : NULL;
        ks.agent = b->agent_id ? b->agent_id[i] : none;
        ks.product = b->product ? b->product[i] : none;
        if (b->tags_of) {
            ks.tags = b->tags + b->tags_of[i];
            ks.n_tags = b->tags_of[i + 1] - b->tags_of[i];
        }
        if (b->attrs_of) {
            ks.attrs = b->attrs + b->attrs_of[i];
            ks.n_attrs = b->attrs_of[i + 1] - b->attrs_of[i];
        }
        v.kind = b->kind[i];
        v.source = ks.source;
        v.answers = b->answers + b->answers_of[i];
        v.n_answers = b->answers_of[i + 1] - b->answers_of[i];
        v.text = b->text ? b->text[i] : none;
        st = add_one(s, &ks, &v, include ? include[i] : true, err);
        if (st != FB_OK) {
            /* The only failure is memory; say which record it stopped at. */
            return fb__error(err, st, "", "out of memory at record %lu of the batch",
                             (unsigned long)i);
        }
    }
    return FB_OK;
}

/* ---------------------------------------------------------------- merging */

/* dst += src: counts, accumulators, pairs; terms by the caller. */
static void group_add(fb__group *dst, const fb__group *src)
{
    fb_summary_group *d = &dst->pub;
    const fb_summary_group *f = &src->pub;
    int m;

    d->records += f->records;
    d->excluded += f->excluded;
    d->responses += f->responses;
    d->invitations += f->invitations;
    d->updates += f->updates;
    d->solicited += f->solicited;
    for (m = 0; m < FB_SUMMARY_METRICS; m++)
        (void)fb_score_acc_merge(&d->metric[m], &f->metric[m]); /* same scales */
    if (dst->pairs && src->pairs) {
        int k;
        for (k = 0; k < FB__PAIRS; k++) {
            fb__pair_sums *a = &dst->pairs[k];
            const fb__pair_sums *b = &src->pairs[k];
            a->n += b->n;
            a->sx += b->sx;
            a->sy += b->sy;
            a->sxx += b->sxx;
            a->syy += b->syy;
            a->sxy += b->sxy;
        }
    }
}

/*
 * Whether the groups of a summary made with src's options can be added into
 * one made with dst's: dst groups by some of src's dimensions (the same
 * attribute), by the same period or none, at the same offset, and keeps no
 * more (terms, correlations) than src has.
 */
static bool rolls_up(const fb_summary_options *dst, const fb_summary_options *src)
{
    return (dst->dims & ~src->dims) == 0 &&
           (dst->period == src->period || dst->period == FB_PERIOD_NONE) &&
           (dst->period == FB_PERIOD_NONE || dst->utc_offset_minutes == src->utc_offset_minutes) &&
           (!dst->correlations || src->correlations) && (!dst->terms || src->terms) &&
           (!(dst->dims & FB_DIM_ATTR) || strcmp(dst->attr_key, src->attr_key) == 0);
}

/* The entry + 1 in dst->strings of src's entry + 1 in its own, or 0 for a dimension dst drops. */
static int reintern(fb_summary *dst, const fb_summary *src, unsigned dim, uint32_t entry1,
                    uint32_t *out)
{
    fb_str str = entry_str(&src->strings, entry1);
    if (!(dst->opt.dims & dim)) {
        *out = 0;
        return 0;
    }
    return intern(dst, str.ptr, str.len, out);
}

/* src's key as a key of dst: the dimensions dst does not group by at their defaults. */
static int project_key(fb_summary *dst, const fb_summary *src, const fb__key *in, fb__key *k)
{
    unsigned dims = dst->opt.dims;

    memset(k, 0, sizeof *k);
    k->period_start = dst->opt.period == FB_PERIOD_NONE ? FB_TIME_UNKNOWN : in->period_start;
    if (dims & FB_DIM_CHANNEL)
        k->channel = in->channel;
    if (dims & FB_DIM_SOURCE)
        k->source = in->source;
    if (dims & FB_DIM_CUSTOMER_STATUS)
        k->status = in->status;
    if (dims & FB_DIM_COUNTRY)
        memcpy(k->country, in->country, 2);
    return reintern(dst, src, FB_DIM_AGENT, in->agent, &k->agent) != 0 ||
                   reintern(dst, src, FB_DIM_PRODUCT, in->product, &k->product) != 0 ||
                   reintern(dst, src, FB_DIM_TAG, in->tag, &k->tag) != 0 ||
                   reintern(dst, src, FB_DIM_ATTR, in->attr, &k->attr) != 0
               ? -1
               : 0;
}

fb_status fb_summary_rollup(fb_summary *dst, const fb_summary *src, fb_error *err)
{
    size_t i;

    if (!dst || !src || dst == src)
        return fb__error(err, FB_ERR_INVALID_ARG, "", "fb_summary_rollup: %s",
                         dst == src && dst ? "a summary cannot add itself" : "NULL argument");
    if (!rolls_up(&dst->opt, &src->opt))
        return fb__error(err, FB_ERR_INVALID_ARG, "",
                         "the groups of this summary do not fit the other's: it needs some of "
                         "its dimensions, its period or none, and no more terms or correlations");
    /* A record in two tag groups of src would count twice in a coarser group. */
    if ((src->opt.dims & FB_DIM_TAG) && !(dst->opt.dims & FB_DIM_TAG))
        return fb__error(err, FB_ERR_INVALID_ARG, "",
                         "groups by tag cannot be added into groups without tags: a record "
                         "with two tags would count twice");
    for (i = 0; i < src->n_groups; i++) {
        const fb__group *sg = &src->groups[i];
        fb__key k;
        fb__group *g;
        if (project_key(dst, src, &sg->key, &k) != 0 || !(g = group_for(dst, &k)))
            return fb__error(err, FB_ERR_NOMEM, "", "out of memory");
        group_add(g, sg);
        if (dst->opt.terms && fb__terms_merge(dst, g, src, sg) != 0)
            return fb__error(err, FB_ERR_NOMEM, "", "out of memory");
    }
    if (dst->total_apart) {
        group_add(&dst->total, &src->total);
        if (dst->opt.terms && fb__terms_merge(dst, &dst->total, src, &src->total) != 0)
            return fb__error(err, FB_ERR_NOMEM, "", "out of memory");
    }
    dst->comments += src->comments;
    dst->total_stale = true;
    return FB_OK;
}

fb_status fb_summary_merge(fb_summary *dst, const fb_summary *src, fb_error *err)
{
    if (dst && src && (dst->opt.dims != src->opt.dims || dst->opt.period != src->opt.period ||
                       !rolls_up(&dst->opt, &src->opt) || !rolls_up(&src->opt, &dst->opt)))
        return fb__error(err, FB_ERR_INVALID_ARG, "",
                         "summaries made with different dimensions, periods or options");
    return fb_summary_rollup(dst, src, err);
}

/* ---------------------------------------------------------------- reading */

size_t fb_summary_count(const fb_summary *s) { return s ? s->n_groups : 0; }

static int cmp_str(fb_str a, fb_str b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    int c = n ? memcmp(a.ptr, b.ptr, n) : 0;
    return c ? c : (a.len > b.len) - (a.len < b.len);
}

/* Key order of two groups (pointers to them, for qsort): the order they are handed out in. */
static int cmp_groups(const void *px, const void *py)
{
    const fb__group *x = *(const fb__group *const *)px, *y = *(const fb__group *const *)py;
    const fb__key *a = &x->key, *b = &y->key;
    int c;

    if (a->channel != b->channel)
        return a->channel < b->channel ? -1 : 1;
    if (a->source != b->source)
        return a->source < b->source ? -1 : 1;
    if (a->status != b->status)
        return a->status < b->status ? -1 : 1;
    if ((c = memcmp(a->country, b->country, 2)) != 0)
        return c;
    if ((c = cmp_str(x->pub.agent, y->pub.agent)) != 0 ||
        (c = cmp_str(x->pub.product, y->pub.product)) != 0 ||
        (c = cmp_str(x->pub.tag, y->pub.tag)) != 0 || (c = cmp_str(x->pub.attr, y->pub.attr)) != 0)
        return c;
    return (a->period_start > b->period_start) - (a->period_start < b->period_start);
}

/* Sorts s's groups into key order, when they changed. 0 or -1 (no memory). */
static int ensure_sorted(fb_summary *s)
{
    size_t i, *order;
    const fb__group **by_key;

    if (s->sorted)
        return 0;
    /* New strings (which move the dictionary's bytes) come only with new groups. */
    for (i = 0; i < s->n_groups; i++)
        group_strings(s, &s->groups[i]);
    if (s->n_groups >= SIZE_MAX / sizeof *order) /* and as many pointers */
        return -1;
    order = fb__malloc(s->alloc, (s->n_groups + 1) * sizeof *order);
    by_key = fb__malloc(s->alloc, (s->n_groups + 1) * sizeof *by_key);
    if (!order || !by_key) {
        fb__free(s->alloc, order);
        fb__free(s->alloc, by_key);
        return -1;
    }
    /* Pointers, which carry their groups to qsort's comparison; no two keys are equal. */
    for (i = 0; i < s->n_groups; i++)
        by_key[i] = &s->groups[i];
    qsort(by_key, s->n_groups, sizeof *by_key, cmp_groups);
    for (i = 0; i < s->n_groups; i++)
        order[i] = (size_t)(by_key[i] - s->groups);
    fb__free(s->alloc, by_key);
    fb__free(s->alloc, s->order);
    s->order = order;
    s->sorted = true;
    return 0;
}

const fb_summary_group *fb_summary_group_at(fb_summary *s, size_t i)
{
    if (!s || i >= s->n_groups || ensure_sorted(s) != 0)
        return NULL;
    return &s->groups[s->order[i]].pub;
}

/* The total, empty: a group with no key. 0 or -1 (no memory). */
static int init_total(fb_summary *s)
{
    fb__key none;

    memset(&none, 0, sizeof none);
    none.period_start = FB_TIME_UNKNOWN;
    group_free(s->alloc, &s->total);
    return group_init(s, &s->total, &none);
}

int fb__summary_total(fb_summary *s)
{
    size_t i;

    if (!s->total_stale)
        return 0;
    if (!s->total_apart) {
        if (init_total(s) != 0)
            return -1;
        for (i = 0; i < s->n_groups; i++) {
            group_add(&s->total, &s->groups[i]);
            if (s->opt.terms && fb__terms_merge(s, &s->total, s, &s->groups[i]) != 0)
                return -1;
        }
    }
    s->total.pub.period_start = s->total.pub.period_end = FB_TIME_UNKNOWN;
    s->total_stale = false;
    return 0;
}

const fb_summary_group *fb_summary_total(fb_summary *s)
{
    if (!s || fb__summary_total(s) != 0)
        return NULL;
    return &s->total.pub;
}

fb__group *fb__summary_group_of(fb_summary *s, const fb_summary_group *g)
{
    size_t i;

    if (!g || g == &s->total.pub)
        return fb__summary_total(s) == 0 ? &s->total : NULL;
    i = (size_t)((const fb__group *)(const void *)g - s->groups);
    return i < s->n_groups && &s->groups[i].pub == g ? &s->groups[i] : NULL;
}
