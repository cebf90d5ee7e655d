/*
 * What a summary's groups say: each metric's headline, comparisons, the
 * changes over a series of periods, leaderboards and correlations.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_private.h"
#include "error_private.h"
#include "summary_private.h"

/* How metric m's headline is measured. */
typedef enum headline_kind { HL_NET, HL_SHARE, HL_MEAN } headline_kind;

typedef struct headline {
    headline_kind kind;
    double low_below, high_from;  /* HL_NET: the cuts; HL_SHARE: high_from */
} headline;

/* The headline of m under s's options; -1 for metrics without one (custom, unknown). */
static int headline_of(const fb_summary *s, fb_metric m, headline *h)
{
    const fb_metric_options *o = &s->opt.metrics;

    h->low_below = h->high_from = 0;
    switch (m) {
    case FB_METRIC_NPS:
        h->kind = HL_NET;
        h->low_below = FB_NPS_DETRACTOR_BELOW;
        h->high_from = FB_NPS_PROMOTER_FROM;
        return 0;
    case FB_METRIC_CSAT:
        h->kind = HL_SHARE;
        h->high_from = o->csat_satisfied_from;
        return 0;
    case FB_METRIC_CES:
        h->kind = o->ces_headline == FB_CES_HEADLINE_AGREE ? HL_SHARE
                  : o->ces_headline == FB_CES_HEADLINE_NET ? HL_NET
                                                            : HL_MEAN;
        h->low_below = o->ces_disagree_below;
        h->high_from = o->ces_agree_from;
        return 0;
    case FB_METRIC_GCR:
        h->kind = HL_SHARE;
        h->high_from = 1;
        return 0;
    case FB_METRIC_CLI_RECOMMEND:
    case FB_METRIC_CLI_REPURCHASE:
    case FB_METRIC_CLI_CROSS_BUY:
    case FB_METRIC_RATING:
        h->kind = HL_MEAN;
        return 0;
    default:
        return -1;
    }
}

/* The counts of a net score: below low_below, between, at or above high_from. */
static void net_counts(const fb_score_acc *a, const headline *h, uint64_t c[3])
{
    c[0] = fb_score_acc_below(a, h->low_below);
    c[2] = fb_score_acc_at_least(a, h->high_from);
    c[1] = fb_score_acc_count(a) - a->other - c[0] - c[2];
}

static fb_status headline_estimate(const fb_summary *s, const fb_score_acc *a, const headline *h,
                                   fb_estimate *out)
{
    double level = s->opt.metrics.level;
    uint64_t c[3];

    switch (h->kind) {
    case HL_NET:
        net_counts(a, h, c);
        return fb_nps_estimate(c[0], c[1], c[2], level, out);
    case HL_SHARE:
        return fb_share_estimate(fb_score_acc_at_least(a, h->high_from),
                                 fb_score_acc_count(a) - a->other, level, out);
    default:
        return fb_score_acc_mean(a, level, out);
    }
}

fb_status fb_summary_headline(const fb_summary *s, const fb_summary_group *g, fb_metric m,
                              fb_estimate *out)
{
    headline h;

    if (!s || !g || !out || headline_of(s, m, &h) != 0)
        return FB_ERR_INVALID_ARG;
    return headline_estimate(s, &g->metric[m], &h, out);
}

fb_status fb_summary_headline_unit(const fb_summary *s, fb_metric m, fb_headline_unit *out)
{
    headline h;

    if (!s || !out || headline_of(s, m, &h) != 0)
        return FB_ERR_INVALID_ARG;
    *out = h.kind == HL_NET ? FB_UNIT_POINTS : h.kind == HL_SHARE ? FB_UNIT_SHARE : FB_UNIT_SCORE;
    return FB_OK;
}

fb_status fb_summary_compare(const fb_summary *s, const fb_summary_group *a,
                             const fb_summary_group *b, fb_metric m, fb_comparison *out)
{
    const fb_metric_options *o;
    headline h;

    if (!s || !a || !b || !out || headline_of(s, m, &h) != 0)
        return FB_ERR_INVALID_ARG;
    o = &s->opt.metrics;
    switch (h.kind) {
    case HL_NET:
        return fb_net_compare_accs(&a->metric[m], &b->metric[m], h.low_below, h.high_from, o, out);
    case HL_SHARE:
        return fb_share_compare_accs(&a->metric[m], &b->metric[m], h.high_from, o, out);
    default:
        return fb_mean_compare_accs(&a->metric[m], &b->metric[m], o, out);
    }
}

/*
 * The variance of one answer's contribution to the headline, in the
 * headline's unit squared: a share's p(1 - p), a net's trinomial variance in
 * points, a mean's sample variance. NaN when a has too few answers.
 */
static double unit_variance(const fb_score_acc *a, const headline *h)
{
    uint64_t c[3], n, k;
    double p, mean, var;

    switch (h->kind) {
    case HL_NET:
        net_counts(a, h, c);
        return fb_nps_variance(c[0], c[1], c[2]) * 1e4;
    case HL_SHARE:
        n = fb_score_acc_count(a) - a->other;
        k = fb_score_acc_at_least(a, h->high_from);
        if (n == 0)
            return NAN;
        p = (double)k / (double)n;
        return p * (1 - p);
    default:
        fb_score_acc_moments(a, &n, &mean, &var);
        return var;
    }
}

/* ---------------------------------------------------------------- changes */

void fb_change_options_init(fb_change_options *o)
{
    if (!o)
        return;
    o->alpha = 0.05;
    o->min_effect = 0;
    o->baseline_periods = 6;
    o->min_baseline = 3;
    o->min_n = 1;
}

/* Whether groups a and b differ only in their period: the same series. */
static bool same_series(const fb__group *a, const fb__group *b)
{
    fb__key x = a->key, y = b->key;
    x.period_start = y.period_start = 0;
    return memcmp(&x, &y, sizeof x) == 0;
}

/* Appends *c to the growing array *arr (of *n, room *cap). 0 or -1. */
static int push(const fb_allocator *alloc, void **arr, size_t *n, size_t *cap, const void *item,
                size_t size)
{
    if (*n == *cap && fb__grow(alloc, arr, cap, *n + 1, size) != 0)
        return -1;
    memcpy((char *)*arr + *n * size, item, size);
    (*n)++;
    return 0;
}

/* The change of period i against its previous period prev, when significant: 1, else 0. */
static int vs_previous(fb_summary *s, size_t i, size_t prev, fb_metric m, const headline *h,
                       const fb_change_options *o, size_t *tests, fb_change *c)
{
    const fb_summary_group *g = fb_summary_group_at(s, i), *p = fb_summary_group_at(s, prev);
    fb_estimate now, before;
    fb_comparison cmp;

    if (headline_estimate(s, &g->metric[m], h, &now) != FB_OK ||
        headline_estimate(s, &p->metric[m], h, &before) != FB_OK || now.n == 0 ||
        before.n == 0 || now.n < o->min_n || before.n < o->min_n ||
        fb_summary_compare(s, g, p, m, &cmp) != FB_OK)
        return 0;
    (*tests)++;
    if (!(cmp.p_value < o->alpha) || fabs(now.value - before.value) < o->min_effect)
        return 0;
    c->kind = FB_CHANGE_PREVIOUS;
    c->compared = prev;
    c->value = now.value;
    c->baseline = before.value;
    c->lo = cmp.lo;
    c->hi = cmp.hi;
    c->p_value = cmp.p_value;
    return 1;
}

/*
 * The change of period i against the pooled baseline of the series' periods
 * from..i-1 (p-chart style: the baseline's value, its per-answer variance
 * scaled to this period's n): 1 when outside the limits, else 0.
 */
static int vs_limits(fb_summary *s, size_t from, size_t i, fb_metric m, const headline *h,
                     const fb_change_options *o, size_t *tests, fb_change *c)
{
    const fb_summary_group *g = fb_summary_group_at(s, i);
    fb_score_acc pooled;
    fb_estimate now, base;
    unsigned with_answers = 0;
    double se, z, half;
    size_t j;

    fb_score_acc_init(&pooled, g->metric[m].min);
    for (j = from; j < i; j++) {
        const fb_score_acc *a = &fb_summary_group_at(s, j)->metric[m];
        with_answers += fb_score_acc_count(a) > 0;
        (void)fb_score_acc_merge(&pooled, a);
    }
    if (with_answers < o->min_baseline || headline_estimate(s, &g->metric[m], h, &now) != FB_OK ||
        headline_estimate(s, &pooled, h, &base) != FB_OK || now.n == 0 || base.n == 0 ||
        now.n < o->min_n)
        return 0;
    se = sqrt(unit_variance(&pooled, h) / (double)now.n);
    if (!(se > 0))
        return 0;
    (*tests)++;
    z = fb_normal_quantile(1 - o->alpha / 2);
    half = z * se;
    if (fabs(now.value - base.value) <= half || fabs(now.value - base.value) < o->min_effect)
        return 0;
    c->kind = FB_CHANGE_LIMITS;
    c->compared = SIZE_MAX;
    c->value = now.value;
    c->baseline = base.value;
    c->lo = base.value - half;
    c->hi = base.value + half;
    c->p_value = 2 * fb_normal_cdf(-fabs(now.value - base.value) / se);
    return 1;
}

fb_status fb_summary_changes(fb_summary *s, fb_metric m, const fb_change_options *o,
                             fb_change **out, size_t *n, size_t *tests, fb_error *err)
{
    fb_change_options defaults;
    fb_change *list = NULL;
    size_t count = 0, cap = 0, i, start = 0, tested = 0;
    headline h;

    if (!s || !out || !n)
        return fb__error(err, FB_ERR_INVALID_ARG, "", "fb_summary_changes: NULL argument");
    *out = NULL;
    *n = 0;
    if (tests)
        *tests = 0;
    if (headline_of(s, m, &h) != 0)
        return fb__error(err, FB_ERR_INVALID_ARG, "metric", "%d has no headline to follow",
                         (int)m);
    if (!o) {
        fb_change_options_init(&defaults);
        o = &defaults;
    }
    if (!(o->alpha > 0 && o->alpha < 1) || !(o->min_effect >= 0))
        return fb__error(err, FB_ERR_INVALID_ARG, "alpha",
                         "alpha must be in (0, 1) and min_effect not negative");
    if (s->opt.period == FB_PERIOD_NONE || s->n_groups == 0)
        return FB_OK;
    if (!fb_summary_group_at(s, 0))
        return fb__error(err, FB_ERR_NOMEM, "", "out of memory");
    for (i = 1; i < s->n_groups; i++) {
        const fb__group *g = &s->groups[s->order[i]];
        fb_change c, limits;
        size_t from;
        int flagged;
        if (!same_series(g, &s->groups[s->order[i - 1]])) {
            start = i;
            continue;
        }
        memset(&c, 0, sizeof c);
        c.group = i;
        c.metric = m;
        from = i - start > o->baseline_periods ? i - o->baseline_periods : start;
        /* Both tests are made (and counted); the two-period one is reported when both flag. */
        limits = c;
        flagged = vs_previous(s, i, i - 1, m, &h, o, &tested, &c);
        if (vs_limits(s, from, i, m, &h, o, &tested, &limits) && !flagged) {
            c = limits;
            flagged = 1;
        }
        if (flagged) {
            c.size = c.value - c.baseline;
            c.direction = c.size > 0 ? 1 : -1;
            if (push(s->alloc, (void **)&list, &count, &cap, &c, sizeof c) != 0) {
                fb__free(s->alloc, list);
                return fb__error(err, FB_ERR_NOMEM, "", "out of memory");
            }
        }
    }
    *out = list;
    *n = count;
    if (tests)
        *tests = tested;
    return FB_OK;
}

/* ---------------------------------------------------------------- leaderboard */

static int leader_order(const void *pa, const void *pb)
{
    const fb_leader *a = pa, *b = pb;

    if (a->bound != b->bound)
        return a->bound > b->bound ? -1 : 1;
    if (a->value.n != b->value.n)
        return a->value.n > b->value.n ? -1 : 1;
    return (a->group > b->group) - (a->group < b->group);
}

fb_status fb_summary_leaderboard(fb_summary *s, fb_metric m, uint64_t min_n, fb_leader **out,
                                 size_t *n, fb_error *err)
{
    fb_leader *list;
    size_t count = 0, i;
    headline h;

    if (!s || !out || !n)
        return fb__error(err, FB_ERR_INVALID_ARG, "", "fb_summary_leaderboard: NULL argument");
    *out = NULL;
    *n = 0;
    if (headline_of(s, m, &h) != 0)
        return fb__error(err, FB_ERR_INVALID_ARG, "metric", "%d has no headline to rank by",
                         (int)m);
    if (s->n_groups == 0)
        return FB_OK;
    list = fb__malloc(s->alloc, s->n_groups * sizeof *list);
    if (!list || !fb_summary_group_at(s, 0)) {
        fb__free(s->alloc, list);
        return fb__error(err, FB_ERR_NOMEM, "", "out of memory");
    }
    for (i = 0; i < s->n_groups; i++) {
        const fb_summary_group *g = fb_summary_group_at(s, i);
        unsigned dims = s->opt.dims;
        fb_leader *l = &list[count];
        if (((dims & FB_DIM_AGENT) && g->agent.len == 0) ||
            ((dims & FB_DIM_PRODUCT) && g->product.len == 0) ||
            ((dims & FB_DIM_TAG) && g->tag.len == 0) || ((dims & FB_DIM_ATTR) && g->attr.len == 0))
            continue;
        if (headline_estimate(s, &g->metric[m], &h, &l->value) != FB_OK ||
            l->value.n < min_n || l->value.n == 0)
            continue;
        l->group = i;
        l->bound = l->value.lo;
        if (m == FB_METRIC_RATING) {
            fb_rating_result r;
            if (fb_rating_result_of(&g->metric[m], &s->opt.metrics, &r) == FB_OK)
                l->bound = r.lower_bound;
        }
        if (isnan(l->bound))
            l->bound = -INFINITY; /* a single answer has no interval: it ranks last */
        count++;
    }
    qsort(list, count, sizeof *list, leader_order);
    *out = list;
    *n = count;
    return FB_OK;
}

/* ---------------------------------------------------------------- correlations */

fb_status fb_summary_correlations(fb_summary *s, const fb_summary_group *group,
                                  fb_correlation **out, size_t *n, fb_error *err)
{
    fb_correlation *list;
    fb__group *g;
    size_t count = 0;
    int a, b, k = 0;

    if (!s || !out || !n)
        return fb__error(err, FB_ERR_INVALID_ARG, "", "fb_summary_correlations: NULL argument");
    *out = NULL;
    *n = 0;
    if (!s->opt.correlations)
        return fb__error(err, FB_ERR_INVALID_ARG, "correlations",
                         "the summary was made without correlations (options.correlations)");
    if (!(g = fb__summary_group_of(s, group)))
        return fb__error(err, group ? FB_ERR_INVALID_ARG : FB_ERR_NOMEM, "",
                         group ? "not a group of this summary" : "out of memory");
    list = fb__malloc(s->alloc, FB__PAIRS * sizeof *list);
    if (!list)
        return fb__error(err, FB_ERR_NOMEM, "", "out of memory");
    for (a = 0; a < FB_SUMMARY_METRICS; a++) {
        for (b = a + 1; b < FB_SUMMARY_METRICS; b++, k++) {
            const fb__pair_sums *p = &g->pairs[k];
            fb_correlation *c = &list[count];
            if (p->n < 2)
                continue;
            c->a = (fb_metric)a;
            c->b = (fb_metric)b;
            if (fb_correlation_estimate((uint64_t)p->n, p->sx, p->sy, p->sxx, p->syy, p->sxy,
                                        s->opt.metrics.level, &c->r) == FB_OK)
                count++;
        }
    }
    *out = list;
    *n = count;
    return FB_OK;
}

void fb_summary_free_array(fb_summary *s, void *array)
{
    if (s)
        fb__free(s->alloc, array);
}
