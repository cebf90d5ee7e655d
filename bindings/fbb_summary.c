/*
 * Summaries for scripting languages: made from option names, groups and
 * results read one at a time, lists (leaderboard, changes, terms,
 * correlations) computed into the handle and read item by item.
 */
#include <stdlib.h>
#include <string.h>

#include "fbb.h"

static fb_status usable(const fbb_summary *s, fb_error *err)
{
    return s->closed ? fbb_fail(err, FB_ERR_INVALID_ARG, "the summary is closed") : FB_OK;
}

fbb_summary *fbb_summary_new(const char *by, const char *period, const char *attr, double level,
                             int utc_offset_minutes, fb_error *err)
{
    fb_summary_options o;
    fbb_summary *s;

    fb_summary_options_init(&o);
    if (by && *by && fb_dims_parse(by, &o.dims, err) != FB_OK)
        return NULL;
    if (period && fb_period_parse(period, &o.period, err) != FB_OK)
        return NULL;
    o.attr_key = attr;
    if (level != 0)
        o.metrics.level = level;
    o.utc_offset_minutes = utc_offset_minutes;
    o.terms = true;
    o.correlations = true;
    s = calloc(1, sizeof *s);
    if (!s) {
        fbb_fail(err, FB_ERR_NOMEM, "out of memory");
        return NULL;
    }
    if (fb_summary_new(&s->s, &o, NULL, err) != FB_OK) {
        free(s);
        return NULL;
    }
    return s;
}

fb_status fbb_summary_add(fbb_summary *s, const fb_record *r, bool include, fb_error *err)
{
    fb_status st = usable(s, err);
    return st != FB_OK ? st : fb_summary_add(s->s, r, include, err);
}

uint64_t fbb_summary_add_path(fbb_summary *s, const char *path, fbb_chain *chain,
                              fb_error *err)
{
    fb_summary_input in;

    if (usable(s, err) != FB_OK)
        return 0;
    if (chain && chain->closed) {
        fbb_fail(err, FB_ERR_INVALID_ARG, "the filter chain is closed");
        return 0;
    }
    fb_summary_input_init(&in);
    if (chain) {
        if (fbb_chain_ready(chain, err) != FB_OK)
            return 0;
        in.relevance = chain->chain;
    }
    (void)fb_summary_add_path(s->s, path, &in, err);
    return in.records;
}

fb_status fbb_summary_merge(fbb_summary *dst, const fbb_summary *src, fb_error *err)
{
    fb_status st = usable(dst, err);

    if (st == FB_OK)
        st = usable(src, err);
    return st != FB_OK ? st : fb_summary_merge(dst->s, src->s, err);
}

size_t fbb_summary_count(const fbb_summary *s, fb_error *err)
{
    return usable(s, err) != FB_OK ? 0 : fb_summary_count(s->s);
}

const fb_summary_group *fbb_summary_group(fbb_summary *s, long i, fb_error *err)
{
    if (usable(s, err) != FB_OK)
        return NULL;
    if (i == -1)
        return fb_summary_total(s->s);
    if (i < 0 || (size_t)i >= fb_summary_count(s->s)) {
        fbb_fail(err, FB_ERR_RANGE, "no such group");
        return NULL;
    }
    return fb_summary_group_at(s->s, (size_t)i);
}

fb_status fbb_summary_group_get(fbb_summary *s, long i, fb_summary_group *out, fb_error *err)
{
    const fb_summary_group *g = fbb_summary_group(s, i, err);

    if (!g)
        return err ? err->code : FB_ERR_INVALID_ARG;
    *out = *g;
    return FB_OK;
}

unsigned fbb_summary_dims(const fbb_summary *s)
{
    return s->closed ? 0 : fb_summary_options_of(s->s)->dims;
}

const char *fbb_summary_period(const fbb_summary *s)
{
    return s->closed ? NULL : fb_period_name(fb_summary_options_of(s->s)->period);
}

fb_status fbb_summary_headline(fbb_summary *s, long i, fb_metric m, fb_estimate *out,
                               fb_error *err)
{
    const fb_summary_group *g = fbb_summary_group(s, i, err);
    return g ? fb_summary_headline(s->s, g, m, out) : err ? err->code : FB_ERR_INVALID_ARG;
}

const char *fbb_summary_unit(const fbb_summary *s, fb_metric m)
{
    static const char *const units[] = {"points", "share", "score"};
    fb_headline_unit u;

    if (s->closed || fb_summary_headline_unit(s->s, m, &u) != FB_OK)
        return NULL;
    return units[u];
}

/* The group's accumulator of m and the summary's metric options, or NULL after err. */
static const fb_score_acc *acc_of(fbb_summary *s, long i, fb_metric m, fb_error *err)
{
    const fb_summary_group *g = fbb_summary_group(s, i, err);
    return g ? &g->metric[m] : NULL;
}

#define RESULT_OF(name, metric, type)                                                   \
    fb_status fbb_summary_##name(fbb_summary *s, long i, type *out, fb_error *err)      \
    {                                                                                   \
        const fb_score_acc *a = acc_of(s, i, metric, err);                              \
        if (!a)                                                                         \
            return err ? err->code : FB_ERR_INVALID_ARG;                                \
        return fb_##name##_result_of(a, &fb_summary_options_of(s->s)->metrics, out);   \
    }

RESULT_OF(nps, FB_METRIC_NPS, fb_nps_result)
RESULT_OF(csat, FB_METRIC_CSAT, fb_csat_result)
RESULT_OF(ces, FB_METRIC_CES, fb_ces_result)
RESULT_OF(gcr, FB_METRIC_GCR, fb_gcr_result)
RESULT_OF(rating, FB_METRIC_RATING, fb_rating_result)

fb_status fbb_summary_cli(fbb_summary *s, long i, fb_cli_result *out, fb_error *err)
{
    const fb_summary_group *g = fbb_summary_group(s, i, err);
    const fb_score_acc *items[3];

    if (!g)
        return err ? err->code : FB_ERR_INVALID_ARG;
    items[0] = &g->metric[FB_METRIC_CLI_RECOMMEND];
    items[1] = &g->metric[FB_METRIC_CLI_REPURCHASE];
    items[2] = &g->metric[FB_METRIC_CLI_CROSS_BUY];
    return fb_cli_result_of(items, &fb_summary_options_of(s->s)->metrics, out);
}

fb_status fbb_summary_compare(fbb_summary *s, long a, long b, fb_metric m, fb_comparison *out,
                              fb_error *err)
{
    const fb_summary_group *ga = fbb_summary_group(s, a, err), *gb;

    if (!ga)
        return err ? err->code : FB_ERR_INVALID_ARG;
    gb = fbb_summary_group(s, b, err);
    if (!gb)
        return err ? err->code : FB_ERR_INVALID_ARG;
    return fb_summary_compare(s->s, ga, gb, m, out);
}

size_t fbb_summary_leaderboard(fbb_summary *s, fb_metric m, uint64_t min_n, fb_error *err)
{
    if (usable(s, err) != FB_OK)
        return 0;
    fb_summary_free_array(s->s, s->leaders);
    s->leaders = NULL;
    s->n_leaders = 0;
    (void)fb_summary_leaderboard(s->s, m, min_n, &s->leaders, &s->n_leaders, err);
    return s->n_leaders;
}

fb_status fbb_summary_leader_at(const fbb_summary *s, size_t k, fb_leader *out, fb_error *err)
{
    if (k >= s->n_leaders)
        return fbb_fail(err, FB_ERR_RANGE, "no leader %zu", k);
    *out = s->leaders[k];
    return FB_OK;
}

size_t fbb_summary_changes(fbb_summary *s, fb_metric m, double alpha, double min_effect,
                           uint64_t min_n, fb_error *err)
{
    fb_change_options o;

    if (usable(s, err) != FB_OK)
        return 0;
    fb_change_options_init(&o);
    if (alpha > 0)
        o.alpha = alpha;
    o.min_effect = min_effect;
    if (min_n > 0)
        o.min_n = min_n;
    fb_summary_free_array(s->s, s->changes);
    s->changes = NULL;
    s->n_changes = s->n_tests = 0;
    (void)fb_summary_changes(s->s, m, &o, &s->changes, &s->n_changes, &s->n_tests, err);
    return s->n_changes;
}

fb_status fbb_summary_change_at(const fbb_summary *s, size_t k, fb_change *out, fb_error *err)
{
    if (k >= s->n_changes)
        return fbb_fail(err, FB_ERR_RANGE, "no change %zu", k);
    *out = s->changes[k];
    return FB_OK;
}

size_t fbb_summary_change_tests(const fbb_summary *s) { return s->n_tests; }

size_t fbb_summary_terms(fbb_summary *s, long i, size_t max, bool by_lift,
                         uint64_t min_comments, fb_error *err)
{
    const fb_summary_group *g = NULL;

    if (usable(s, err) != FB_OK)
        return 0;
    if (i != -1 && !(g = fbb_summary_group(s, i, err)))
        return 0;
    fb_summary_free_array(s->s, s->terms);
    s->terms = NULL;
    s->n_terms = 0;
    (void)fb_summary_terms(s->s, g, max, by_lift, min_comments, &s->terms, &s->n_terms, err);
    return s->n_terms;
}

fb_status fbb_summary_term_at(const fbb_summary *s, size_t k, fb_term_stat *out, fb_error *err)
{
    if (k >= s->n_terms)
        return fbb_fail(err, FB_ERR_RANGE, "no term %zu", k);
    *out = s->terms[k];
    return FB_OK;
}

size_t fbb_summary_correlations(fbb_summary *s, long i, fb_error *err)
{
    const fb_summary_group *g = NULL;

    if (usable(s, err) != FB_OK)
        return 0;
    if (i != -1 && !(g = fbb_summary_group(s, i, err)))
        return 0;
    fb_summary_free_array(s->s, s->correlations);
    s->correlations = NULL;
    s->n_correlations = 0;
    (void)fb_summary_correlations(s->s, g, &s->correlations, &s->n_correlations, err);
    return s->n_correlations;
}

fb_status fbb_summary_correlation_at(const fbb_summary *s, size_t k, fb_correlation *out,
                                     fb_error *err)
{
    if (k >= s->n_correlations)
        return fbb_fail(err, FB_ERR_RANGE, "no correlation %zu", k);
    *out = s->correlations[k];
    return FB_OK;
}

void fbb_summary_close(fbb_summary *s)
{
    if (!s || s->closed)
        return;
    fb_summary_free_array(s->s, s->leaders);
    fb_summary_free_array(s->s, s->changes);
    fb_summary_free_array(s->s, s->terms);
    fb_summary_free_array(s->s, s->correlations);
    fb_summary_free(s->s);
    s->s = NULL;
    s->leaders = NULL;
    s->changes = NULL;
    s->terms = NULL;
    s->correlations = NULL;
    s->n_leaders = s->n_changes = s->n_terms = s->n_correlations = 0;
    s->closed = true;
}

void fbb_summary_free(fbb_summary *s)
{
    fbb_summary_close(s);
    free(s);
}
