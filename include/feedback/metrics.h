/*
 * libfeedback: the metrics customer-experience teams use, each with its n,
 * its value and a confidence interval (stats.h), from accumulators that
 * merge exactly. Definitions and sources: docs/METRICS.md.
 *
 * One accumulator, fb_score_acc, serves every metric: the counts of the
 * whole scores, the counts of the scores between two whole ones, and the
 * sums of those. That is all any metric below needs, so a metric's result
 * is computed from the accumulator when asked, with whatever cut points the
 * options give, and two accumulators merge by adding their counts. For
 * whole scores (all the built-in metrics almost always have them) a merge is
 * exact: the merge of shard summaries equals the summary of all records.
 *
 * Answers without a score (skipped questions) are counted apart, and never
 * in any denominator.
 *
 * No state beyond the structs the caller owns: safe from any thread on
 * distinct accumulators.
 */
#ifndef FEEDBACK_METRICS_H
#define FEEDBACK_METRICS_H

#include <stdbool.h>
#include <stdint.h>

#include "common.h"
#include "record.h"
#include "stats.h"
#include "status.h"

FB_BEGIN_DECLS

/* Whole scores an accumulator counts one by one: min, min + 1, ..., min + 10. */
#define FB_SCORE_BINS 11

/*
 * The answers of one metric (or one custom question). A plain struct: set
 * it up with fb_score_acc_init, then add, merge, read. Its fields may be
 * read (a histogram is whole[]).
 */
typedef struct fb_score_acc {
    double min;                          /* the scale's lowest score, whole[0]'s */
    uint64_t skipped;                    /* answers without a score */
    uint64_t whole[FB_SCORE_BINS];       /* scores min + k */
    uint64_t between[FB_SCORE_BINS - 1]; /* scores strictly between min + k and min + k + 1 */
    uint64_t other;                      /* scores past the bins (custom scales wider than 10) */
    double frac_sum, frac_sum2;          /* sum, sum of squares of the scores that are not whole */
    double other_sum, other_sum2;        /* the same of the scores past the bins, less min */
} fb_score_acc;

/*
 * Sets a up, empty, for scores on a scale starting at min (the metric's, from
 * fb_metric_scale, or a custom answer's scale_min).
 */
FB_API void fb_score_acc_init(fb_score_acc *a, double min);

/*
 * Adds one score; NaN means the answer has no score (skipped). Scores below
 * min are counted as past the bins too (a record that validated has none).
 */
FB_API void fb_score_acc_add(fb_score_acc *a, double score);

/* Adds n scores (NaN: skipped), e.g. a column of a data frame. scores may be NULL when n is 0. */
FB_API void fb_score_acc_add_scores(fb_score_acc *a, const double *scores, size_t n);

/* Adds an answer: its score, or a skipped one. */
FB_API void fb_score_acc_add_answer(fb_score_acc *a, const fb_answer *answer);

/* dst += src. FB_ERR_INVALID_ARG when their scales start at different mins. */
FB_API fb_status fb_score_acc_merge(fb_score_acc *dst, const fb_score_acc *src);

/* Answers with a score. */
FB_API uint64_t fb_score_acc_count(const fb_score_acc *a);

/*
 * Scores below cut, and at or above it, for a whole-number cut. Scores past
 * the bins count neither way (their positions are not kept).
 */
FB_API uint64_t fb_score_acc_below(const fb_score_acc *a, double cut);
FB_API uint64_t fb_score_acc_at_least(const fb_score_acc *a, double cut);

/*
 * The number of scores, their mean and sample variance (NaN where there are
 * too few). Any out may be NULL.
 */
FB_API void fb_score_acc_moments(const fb_score_acc *a, uint64_t *n, double *mean,
                                 double *variance);

/* The mean of the scores with its t interval (fb_mean_estimate). */
FB_API fb_status fb_score_acc_mean(const fb_score_acc *a, double level, fb_estimate *out);

/* ------------------------------------------------------------------ */
/* The metrics                                                         */
/* ------------------------------------------------------------------ */

/* Which CES figure a report leads with; all three are always computed. */
typedef enum fb_ces_headline {
    FB_CES_HEADLINE_MEAN = 0,
    FB_CES_HEADLINE_AGREE = 1,
    FB_CES_HEADLINE_NET = 2
} fb_ces_headline;

/* Cut points and priors. fb_metric_options_init gives the usual ones. */
typedef struct fb_metric_options {
    double level;                /* confidence level, 0.95 */
    double csat_satisfied_from;  /* CSAT top boxes: 4 (4 and 5 of 1..5) */
    double csat_problem_below;   /* CSAT "problem" answers: below 3 */
    double ces_agree_from;       /* 5 of the 1..7 agreement scale (4 on the legacy 1..5) */
    double ces_disagree_below;   /* 4 of 1..7: 1..3 disagree (3 on 1..5) */
    fb_ces_headline ces_headline;
    double rating_prior_weight;  /* m, the Bayesian average's weight of the prior: 10 */
    double rating_prior_mean;    /* C, its prior mean: 3.5; NaN: the rating's own mean */
} fb_metric_options;

/* The defaults above: 95%, the usual CSAT cut points, the 1..7 CES scale, m = 10, C = 3.5. */
FB_API void fb_metric_options_init(fb_metric_options *o);

/* The legacy 1..5 CES scale: agree from 4, disagree below 3. */
FB_API void fb_metric_options_ces_legacy(fb_metric_options *o);

/*
 * NPS's cut points, which the method fixes (no option moves them): of the
 * 0..10 scores, detractors below 7, promoters from 9, passives between. The
 * net scores of CLI's three questions use the same.
 */
#define FB_NPS_DETRACTOR_BELOW 7.0
#define FB_NPS_PROMOTER_FROM 9.0

/* NPS of 0..10 "would you recommend" scores: promoters >= 9, passives 7 to < 9, detractors < 7. */
typedef struct fb_nps_result {
    fb_estimate nps;          /* points, -100..100, adjusted Wald interval */
    fb_estimate promoters;    /* shares, Wilson intervals */
    fb_estimate passives;
    fb_estimate detractors;
    fb_estimate mean;         /* of the 0..10 scores */
    uint64_t skipped;
} fb_nps_result;

/* CSAT (1..5): the top-box share, the mean, the share of problem answers. */
typedef struct fb_csat_result {
    fb_estimate satisfied;
    fb_estimate mean;
    fb_estimate problems;
    uint64_t skipped;
} fb_csat_result;

/* CES: the mean, the share agreeing, and the net (agree minus disagree, points, like NPS). */
typedef struct fb_ces_result {
    fb_estimate mean;
    fb_estimate agree;
    fb_estimate disagree;
    fb_estimate net;
    fb_ces_headline headline;
    uint64_t skipped;
} fb_ces_result;

/*
 * CLI, the customer loyalty index of three 0..10 questions: recommend,
 * repurchase, cross-buy. value is the mean of the three items' means, with
 * the mean of their intervals as its interval (which holds whatever the
 * correlation of the items: it assumes none); n is the least of the items' n.
 * Each item has its own net score (as NPS). NaN value unless all three have answers.
 */
typedef struct fb_cli_result {
    fb_estimate cli;
    fb_estimate item_mean[3];
    fb_estimate item_net[3];
} fb_cli_result;

/* GCR: the share of answers saying the goal was completed (score 1). */
typedef struct fb_gcr_result {
    fb_estimate completed;
    uint64_t skipped;
} fb_gcr_result;

/* Star ratings, 1..5. */
typedef struct fb_rating_result {
    fb_estimate mean;
    uint64_t stars[5];        /* ratings of 1..5 stars (whole ones) */
    double bayesian_average;  /* (C m + sum) / (m + n), with the options' m and C */
    double lower_bound;       /* Evan Miller's, for ranking (fb_rating_lower_bound) */
    uint64_t skipped;
} fb_rating_result;

/*
 * A metric's result from its accumulator, with the options' cut points and
 * level (NULL options: the defaults). Errors: FB_ERR_INVALID_ARG (NULL
 * accumulator or out, a level outside (0, 1)).
 */
FB_API fb_status fb_nps_result_of(const fb_score_acc *a, const fb_metric_options *o,
                                  fb_nps_result *out);
FB_API fb_status fb_csat_result_of(const fb_score_acc *a, const fb_metric_options *o,
                                   fb_csat_result *out);
FB_API fb_status fb_ces_result_of(const fb_score_acc *a, const fb_metric_options *o,
                                  fb_ces_result *out);
/* items: the accumulators of cli_recommend, cli_repurchase, cli_cross_buy. */
FB_API fb_status fb_cli_result_of(const fb_score_acc *const items[3],
                                  const fb_metric_options *o, fb_cli_result *out);
FB_API fb_status fb_gcr_result_of(const fb_score_acc *a, const fb_metric_options *o,
                                  fb_gcr_result *out);
FB_API fb_status fb_rating_result_of(const fb_score_acc *a, const fb_metric_options *o,
                                     fb_rating_result *out);

/*
 * Group a against group b, from their accumulators (stats.h gives the
 * tests): a net score, the share at or above high_from minus the share
 * below low_below, in points (NPS: 7 and 9; CES net: the options' cuts)
 * with fb_nps_compare; the share at or above from (CSAT top boxes: the
 * options' csat_satisfied_from; GCR: 1) with fb_share_compare; the means
 * with fb_mean_compare. level from the options (NULL: 0.95). Errors:
 * FB_ERR_INVALID_ARG.
 */
FB_API fb_status fb_net_compare_accs(const fb_score_acc *a, const fb_score_acc *b,
                                     double low_below, double high_from,
                                     const fb_metric_options *o, fb_comparison *out);
FB_API fb_status fb_share_compare_accs(const fb_score_acc *a, const fb_score_acc *b, double from,
                                       const fb_metric_options *o, fb_comparison *out);
FB_API fb_status fb_mean_compare_accs(const fb_score_acc *a, const fb_score_acc *b,
                                      const fb_metric_options *o, fb_comparison *out);

/*
 * Response rate: answered surveys / surveys sent, with its Wilson interval;
 * responses are the answered ones, invitations the records of kind
 * invitation (sent, never answered), so the rate is responses / (responses +
 * invitations).
 */
FB_API fb_status fb_response_rate(uint64_t responses, uint64_t invitations, double level,
                                  fb_estimate *out);

FB_END_DECLS

#endif /* FEEDBACK_METRICS_H */
