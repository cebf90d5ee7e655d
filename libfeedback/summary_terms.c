/*
 * Comment terms of a summary's groups: per group, for each term (folded,
 * without stop words: text.h), the comments that contain it and how many of
 * those came with an NPS detractor or promoter answer. A term counts once
 * per comment. The terms themselves are entries of the summary's term
 * dictionary; a group's table holds entry numbers and counts.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_private.h"
#include "error_private.h"
#include "feedback/text.h"
#include "summary_private.h"

void fb__terms_free(const fb_allocator *alloc, fb__term_table *t)
{
    fb__free(alloc, t->slots);
    t->slots = NULL;
    t->cap = t->count = 0;
}

static size_t slot_of(uint32_t term1, size_t cap)
{
    uint64_t h = (uint64_t)term1 * 0x9E3779B97F4A7C15ULL;
    return (size_t)(h >> 32) & (cap - 1);
}

static int table_grow(const fb_allocator *alloc, fb__term_table *t)
{
    size_t cap = t->cap ? t->cap * 2 : 64, i;
    fb__term_count *slots;

    if (cap > SIZE_MAX / sizeof *slots)
        return -1;
    slots = fb__calloc(alloc, cap * sizeof *slots);
    if (!slots)
        return -1;
    for (i = 0; i < t->cap; i++) {
        size_t j;
        if (!t->slots[i].term1)
            continue;
        for (j = slot_of(t->slots[i].term1, cap); slots[j].term1; j = (j + 1) & (cap - 1))
            ;
        slots[j] = t->slots[i];
    }
    fb__free(alloc, t->slots);
    t->slots = slots;
    t->cap = cap;
    return 0;
}

/* The counts of term1 in t, a new zero entry when absent; NULL when out of memory. */
static fb__term_count *entry(const fb_allocator *alloc, fb__term_table *t, uint32_t term1)
{
    size_t j;

    if ((t->count + 1) * 2 > t->cap && table_grow(alloc, t) != 0)
        return NULL;
    for (j = slot_of(term1, t->cap); t->slots[j].term1; j = (j + 1) & (t->cap - 1))
        if (t->slots[j].term1 == term1)
            return &t->slots[j];
    t->slots[j].term1 = term1;
    t->count++;
    return &t->slots[j];
}

int fb__terms_count(fb_summary *s, fb__group *g, fb_str text, int nps_class)
{
    uint64_t comment = s->comments + 1; /* this comment's number: the caller counts it after */
    fb_text_terms it;
    fb_term term;

    g->terms.comments++;
    g->terms.detractors += nps_class < 0;
    g->terms.promoters += nps_class > 0;
    fb_text_terms_init(&it, text.ptr, text.len, FB_TERMS_SKIP_STOP_WORDS);
    while (fb_text_terms_next(&it, &term)) {
        fb__term_count *c;
        uint32_t e;
        if (fb__dict_index(&s->terms, term.folded, term.folded_len, &e) != 0 ||
            !(c = entry(s->alloc, &g->terms, e + 1)))
            return -1;
        if (c->last == comment)
            continue;
        c->last = comment;
        c->comments++;
        c->detractors += nps_class < 0;
        c->promoters += nps_class > 0;
    }
    return 0;
}

int fb__terms_merge(fb_summary *s, fb__group *dst, const fb_summary *from, const fb__group *src)
{
    size_t i;

    dst->terms.comments += src->terms.comments;
    dst->terms.detractors += src->terms.detractors;
    dst->terms.promoters += src->terms.promoters;
    for (i = 0; i < src->terms.cap; i++) {
        const fb__term_count *c = &src->terms.slots[i];
        fb__term_count *d;
        const char *p;
        size_t len;
        uint32_t e;
        if (!c->term1)
            continue;
        p = fb__dict_entry(&from->terms, c->term1 - 1, &len);
        if (fb__dict_index(&s->terms, p, len, &e) != 0 ||
            !(d = entry(s->alloc, &dst->terms, e + 1)))
            return -1;
        /* d->last stays in s's numbering of comments (0 when new): src's is another count. */
        d->comments += c->comments;
        d->detractors += c->detractors;
        d->promoters += c->promoters;
    }
    return 0;
}

/* ---------------------------------------------------------------- the query */

static double lift_of(const fb__term_count *c, uint64_t det, uint64_t pro)
{
    if (det == 0 || pro == 0)
        return NAN;
    return ((double)c->detractors + 0.5) / ((double)det + 1) /
           (((double)c->promoters + 0.5) / ((double)pro + 1));
}

/* qsort's order of the result: most comments (or highest lift) first, then the term's bytes. */
static int by_comments(const void *pa, const void *pb)
{
    const fb_term_stat *a = pa, *b = pb;
    size_t n;
    int c;

    if (a->comments != b->comments)
        return a->comments > b->comments ? -1 : 1;
    n = a->term.len < b->term.len ? a->term.len : b->term.len;
    c = memcmp(a->term.ptr, b->term.ptr, n);
    return c ? c : (a->term.len > b->term.len) - (a->term.len < b->term.len);
}

static int by_lift(const void *pa, const void *pb)
{
    const fb_term_stat *a = pa, *b = pb;

    if (a->lift != b->lift)
        return isnan(a->lift) ? 1 : isnan(b->lift) ? -1 : a->lift > b->lift ? -1 : 1;
    return by_comments(pa, pb);
}

fb_status fb_summary_terms(fb_summary *s, const fb_summary_group *group, size_t max, bool lift,
                           uint64_t min_comments, fb_term_stat **out, size_t *n, fb_error *err)
{
    fb__group *g;
    fb_term_stat *all;
    size_t i, k = 0;

    if (!s || !out || !n)
        return fb__error(err, FB_ERR_INVALID_ARG, "", "fb_summary_terms: NULL argument");
    *out = NULL;
    *n = 0;
    if (!s->opt.terms)
        return fb__error(err, FB_ERR_INVALID_ARG, "terms",
                         "the summary was made without counting terms (options.terms)");
    if (!(g = fb__summary_group_of(s, group)))
        return fb__error(err, group ? FB_ERR_INVALID_ARG : FB_ERR_NOMEM, "",
                         group ? "not a group of this summary" : "out of memory");
    if (g->terms.count == 0 || max == 0)
        return FB_OK;
    all = fb__malloc(s->alloc, g->terms.count * sizeof *all);
    if (!all)
        return fb__error(err, FB_ERR_NOMEM, "", "out of memory");
    for (i = 0; i < g->terms.cap; i++) {
        const fb__term_count *c = &g->terms.slots[i];
        fb_term_stat *t;
        if (!c->term1 || (lift && c->comments < min_comments))
            continue;
        t = &all[k++];
        t->term.ptr = fb__dict_entry(&s->terms, c->term1 - 1, &t->term.len);
        t->comments = c->comments;
        t->detractors = c->detractors;
        t->promoters = c->promoters;
        t->lift = lift_of(c, g->terms.detractors, g->terms.promoters);
    }
    qsort(all, k, sizeof *all, lift ? by_lift : by_comments);
    *out = all;
    *n = k < max ? k : max;
    return FB_OK;
}
