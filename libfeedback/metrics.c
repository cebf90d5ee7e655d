/* The metrics, from fb_score_acc accumulators (definitions: docs/METRICS.md). */
#include <math.h>
#include <string.h>

#include "feedback/metrics.h"

void fb_metric_options_init(fb_metric_options *o)
{
    if (!o)
        return;
    memset(o, 0, sizeof *o);
    o->level = 0.95;
    o->csat_satisfied_from = 4;
    o->csat_problem_below = 3;
    o->ces_agree_from = 5;
    o->ces_disagree_below = 4;
    o->ces_headline = FB_CES_HEADLINE_MEAN;
    o->rating_prior_weight = 10;
    o->rating_prior_mean = 3.5;
}

void fb_metric_options_ces_legacy(fb_metric_options *o)
{
    if (!o)
        return;
    o->ces_agree_from = 4;
    o->ces_disagree_below = 3;
}

/* The options to use: o, or the defaults in *buf; NULL when o's level is unusable. */
static const fb_metric_options *options_or_default(const fb_metric_options *o,
                                                   fb_metric_options *buf)
{
    if (!o) {
        fb_metric_options_init(buf);
        return buf;
    }
    return o->level > 0 && o->level < 1 ? o : NULL;
}

/*
 * The scores whose place on the scale is known: all but those past the bins
 * (a custom scale wider than 10 points), which no cut can sort. The shares
 * and nets count only these; for the built-in metrics that is every score.
 */
static uint64_t placed(const fb_score_acc *a) { return fb_score_acc_count(a) - a->other; }

/* The share of a's scores at or above from. */
static fb_status share_at_least(const fb_score_acc *a, double from, double level,
                                fb_estimate *out)
{
    return fb_share_estimate(fb_score_acc_at_least(a, from), placed(a), level, out);
}

static fb_status share_below(const fb_score_acc *a, double cut, double level, fb_estimate *out)
{
    return fb_share_estimate(fb_score_acc_below(a, cut), placed(a), level, out);
}

/* A net score (share at or above high_from minus share below low_below) in points. */
static fb_status net_of(const fb_score_acc *a, double low_below, double high_from, double level,
                        fb_estimate *out)
{
    uint64_t low = fb_score_acc_below(a, low_below), high = fb_score_acc_at_least(a, high_from);
    return fb_nps_estimate(low, placed(a) - low - high, high, level, out);
}

fb_status fb_nps_result_of(const fb_score_acc *a, const fb_metric_options *o,
                           fb_nps_result *out)
{
    const double low = FB_NPS_DETRACTOR_BELOW, high = FB_NPS_PROMOTER_FROM;
    fb_metric_options d;
    fb_status st;

    if (!a || !out || !(o = options_or_default(o, &d)))
        return FB_ERR_INVALID_ARG;
    memset(out, 0, sizeof *out);
    out->skipped = a->skipped;
    if ((st = net_of(a, low, high, o->level, &out->nps)) != FB_OK ||
        (st = share_at_least(a, high, o->level, &out->promoters)) != FB_OK ||
        (st = share_below(a, low, o->level, &out->detractors)) != FB_OK)
        return st;
    st = fb_share_estimate(fb_score_acc_at_least(a, low) - fb_score_acc_at_least(a, high),
                           placed(a), o->level, &out->passives);
    return st != FB_OK ? st : fb_score_acc_mean(a, o->level, &out->mean);
}

fb_status fb_csat_result_of(const fb_score_acc *a, const fb_metric_options *o,
                            fb_csat_result *out)
{
    fb_metric_options d;
    fb_status st;

    if (!a || !out || !(o = options_or_default(o, &d)))
        return FB_ERR_INVALID_ARG;
    memset(out, 0, sizeof *out);
    out->skipped = a->skipped;
    if ((st = share_at_least(a, o->csat_satisfied_from, o->level, &out->satisfied)) != FB_OK ||
        (st = share_below(a, o->csat_problem_below, o->level, &out->problems)) != FB_OK)
        return st;
    return fb_score_acc_mean(a, o->level, &out->mean);
}

fb_status fb_ces_result_of(const fb_score_acc *a, const fb_metric_options *o,
                           fb_ces_result *out)
{
    fb_metric_options d;
    fb_status st;

    if (!a || !out || !(o = options_or_default(o, &d)))
        return FB_ERR_INVALID_ARG;
    memset(out, 0, sizeof *out);
    out->skipped = a->skipped;
    out->headline = o->ces_headline;
    if ((st = share_at_least(a, o->ces_agree_from, o->level, &out->agree)) != FB_OK ||
        (st = share_below(a, o->ces_disagree_below, o->level, &out->disagree)) != FB_OK ||
        (st = net_of(a, o->ces_disagree_below, o->ces_agree_from, o->level, &out->net)) != FB_OK)
        return st;
    return fb_score_acc_mean(a, o->level, &out->mean);
}

fb_status fb_cli_result_of(const fb_score_acc *const items[3], const fb_metric_options *o,
                           fb_cli_result *out)
{
    fb_metric_options d;
    fb_estimate *cli;
    fb_status st;
    int i;

    if (!items || !out || !(o = options_or_default(o, &d)))
        return FB_ERR_INVALID_ARG;
    for (i = 0; i < 3; i++)
        if (!items[i])
            return FB_ERR_INVALID_ARG;
    memset(out, 0, sizeof *out);
    cli = &out->cli;
    cli->n = UINT64_MAX;
    cli->value = cli->lo = cli->hi = 0;
    for (i = 0; i < 3; i++) {
        fb_estimate *m = &out->item_mean[i];
        if ((st = fb_score_acc_mean(items[i], o->level, m)) != FB_OK ||
            (st = net_of(items[i], FB_NPS_DETRACTOR_BELOW, FB_NPS_PROMOTER_FROM, o->level,
                         &out->item_net[i])) != FB_OK)
            return st;
        if (m->n < cli->n)
            cli->n = m->n;
        /* The mean of the intervals bounds the mean of the means whatever the items'
         * correlation (the half-widths add at worst); NaN propagates. */
        cli->value += m->value / 3;
        cli->lo += m->lo / 3;
        cli->hi += m->hi / 3;
    }
    if (cli->n == 0)
        cli->value = cli->lo = cli->hi = NAN;
    return FB_OK;
}

fb_status fb_gcr_result_of(const fb_score_acc *a, const fb_metric_options *o,
                           fb_gcr_result *out)
{
    fb_metric_options d;

    if (!a || !out || !(o = options_or_default(o, &d)))
        return FB_ERR_INVALID_ARG;
    memset(out, 0, sizeof *out);
    out->skipped = a->skipped;
    return share_at_least(a, a->min + 1, o->level, &out->completed);
}

fb_status fb_rating_result_of(const fb_score_acc *a, const fb_metric_options *o,
                              fb_rating_result *out)
{
    fb_metric_options d;
    double sum, prior;
    fb_status st;
    int k;

    if (!a || !out || !(o = options_or_default(o, &d)))
        return FB_ERR_INVALID_ARG;
    memset(out, 0, sizeof *out);
    out->skipped = a->skipped;
    if ((st = fb_score_acc_mean(a, o->level, &out->mean)) != FB_OK)
        return st;
    for (k = 0; k < 5; k++)
        out->stars[k] = a->whole[k];
    sum = out->mean.n ? out->mean.value * (double)out->mean.n : 0;
    prior = isnan(o->rating_prior_mean) ? out->mean.value : o->rating_prior_mean;
    out->bayesian_average = fb_bayesian_average(sum, out->mean.n, o->rating_prior_weight, prior);
    out->lower_bound = fb_rating_lower_bound(out->stars, 5, o->level);
    return FB_OK;
}

fb_status fb_net_compare_accs(const fb_score_acc *a, const fb_score_acc *b, double low_below,
                              double high_from, const fb_metric_options *o, fb_comparison *out)
{
    fb_metric_options d;
    uint64_t ca[3], cb[3];

    if (!a || !b || !out || !(o = options_or_default(o, &d)))
        return FB_ERR_INVALID_ARG;
    ca[0] = fb_score_acc_below(a, low_below);
    ca[2] = fb_score_acc_at_least(a, high_from);
    ca[1] = placed(a) - ca[0] - ca[2];
    cb[0] = fb_score_acc_below(b, low_below);
    cb[2] = fb_score_acc_at_least(b, high_from);
    cb[1] = placed(b) - cb[0] - cb[2];
    return fb_nps_compare(ca, cb, o->level, out);
}

fb_status fb_share_compare_accs(const fb_score_acc *a, const fb_score_acc *b, double from,
                                const fb_metric_options *o, fb_comparison *out)
{
    fb_metric_options d;

    if (!a || !b || !out || !(o = options_or_default(o, &d)))
        return FB_ERR_INVALID_ARG;
    return fb_share_compare(fb_score_acc_at_least(a, from), placed(a),
                            fb_score_acc_at_least(b, from), placed(b), o->level, out);
}

fb_status fb_mean_compare_accs(const fb_score_acc *a, const fb_score_acc *b,
                               const fb_metric_options *o, fb_comparison *out)
{
    fb_metric_options d;
    uint64_t na, nb;
    double ma, va, mb, vb;

    if (!a || !b || !out || !(o = options_or_default(o, &d)))
        return FB_ERR_INVALID_ARG;
    fb_score_acc_moments(a, &na, &ma, &va);
    fb_score_acc_moments(b, &nb, &mb, &vb);
    return fb_mean_compare(na, na ? ma : 0, na > 1 ? va : 0, nb, nb ? mb : 0, nb > 1 ? vb : 0,
                           o->level, out);
}

fb_status fb_response_rate(uint64_t responses, uint64_t invitations, double level,
                           fb_estimate *out)
{
    if (responses > UINT64_MAX - invitations)
        return FB_ERR_INVALID_ARG;
    return fb_share_estimate(responses, responses + invitations, level, out);
}
