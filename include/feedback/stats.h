/*
 * libfeedback: the statistics behind every metric. Estimates with their
 * confidence intervals, comparisons of two groups with the interval of the
 * difference and a two-sided p-value, and the distributions they rest on.
 * Formulas and their published sources: docs/METRICS.md.
 *
 * Conventions:
 *  - level is the confidence level of an interval, 0 < level < 1 (0.95 for
 *    95%); an interval is two-sided, [lo, hi], and a "lower bound" is its lo;
 *  - shares are proportions in 0..1; NPS values are NPS points, -100..100
 *    (the share of promoters minus the share of detractors, times 100);
 *  - an empty sample is not an error: the estimate has n = 0 and NaN for
 *    its value and interval; a single value has no interval (NaN) where the
 *    interval needs a variance;
 *  - the functions returning fb_status fail with FB_ERR_INVALID_ARG (and
 *    leave *out unchanged) on a NULL out, a level outside (0, 1), more
 *    successes than trials, a negative or non-finite variance or mean, counts
 *    whose total passes UINT64_MAX. An input the result does not use is not
 *    checked: the mean of an empty sample, the variance of fewer than 2
 *    values (so 0/0 from the caller's sums does no harm there);
 *  - a two-sided p-value is computed from the tail itself, so that it stays
 *    accurate down to about 1e-300 rather than stopping at 1e-16.
 *
 * No state: every function is safe to call from any thread.
 */
#ifndef FEEDBACK_STATS_H
#define FEEDBACK_STATS_H

#include <stdint.h>

#include "common.h"
#include "status.h"

FB_BEGIN_DECLS

/* An estimate from n observations: its value and its confidence interval. */
typedef struct fb_estimate {
    uint64_t n;
    double value;
    double lo, hi;
} fb_estimate;

/* Group a against group b. */
typedef struct fb_comparison {
    double diff;       /* a minus b, in the unit of the estimates */
    double lo, hi;     /* confidence interval of the difference */
    double statistic;  /* z, or Welch's t */
    double df;         /* Welch's degrees of freedom; INFINITY for a z test */
    double p_value;    /* two-sided, of "no difference"; NaN when untestable */
} fb_comparison;

/* ------------------------------------------------------------------ */
/* Distributions                                                       */
/* ------------------------------------------------------------------ */

/* P(Z <= x) for a standard normal Z; NaN for NaN. Accurate to a few ulps, tails included. */
FB_API double fb_normal_cdf(double x);

/* The x with fb_normal_cdf(x) = p, for 0 < p < 1 (-INFINITY at 0, INFINITY at 1, NaN outside). */
FB_API double fb_normal_quantile(double p);

/*
 * P(T <= t) for Student's t with df > 0 degrees of freedom (not only whole
 * ones); NaN for df <= 0 or NaN. About 1e-13 relative, tails included, for
 * df from 0.5 up; above df = 1e30 (INFINITY included) it is the normal's,
 * which it then equals to rounding.
 */
FB_API double fb_t_cdf(double t, double df);

/*
 * The t with fb_t_cdf(t, df) = p, for 0 < p < 1 and df > 0 (as
 * fb_normal_quantile at 0, 1, outside; NaN for df <= 0). fb_t_quantile(1 - p)
 * is -fb_t_quantile(p) exactly where 1 - p is exact (p >= 1/2). A quantile
 * beyond the doubles (tiny p, df far below 1) is -+INFINITY.
 */
FB_API double fb_t_quantile(double p, double df);

/* ------------------------------------------------------------------ */
/* Shares (CSAT top-2-box, GCR, agreement, response rates)             */
/* ------------------------------------------------------------------ */

/* successes / n with Wilson's score interval (Wilson 1927): lo is 0 at 0 successes, hi 1 at n. */
FB_API fb_status fb_share_estimate(uint64_t successes, uint64_t n, double level,
                                   fb_estimate *out);

/*
 * Share a (x1 of n1) against share b (x2 of n2): the difference with
 * Newcombe's hybrid score interval (Newcombe 1998, method 10, from the two
 * Wilson intervals) and the p-value of the pooled two-proportion z test
 * (statistic and p_value NaN when all trials succeeded or all failed). With
 * n1 or n2 = 0 every field is NaN but df (INFINITY, as always here).
 */
FB_API fb_status fb_share_compare(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2,
                                  double level, fb_comparison *out);

/* ------------------------------------------------------------------ */
/* Means (CSAT, CES, ratings, CLI items)                               */
/* ------------------------------------------------------------------ */

/*
 * The mean of n values with the t interval mean +- t(n-1) * sqrt(variance / n);
 * variance is the sample variance (divided by n - 1), ignored when n < 2
 * (then lo and hi are NaN); mean is ignored when n = 0.
 */
FB_API fb_status fb_mean_estimate(uint64_t n, double mean, double variance, double level,
                                  fb_estimate *out);

/*
 * Mean a against mean b: Welch's t test (unequal variances, Welch-Satterthwaite
 * degrees of freedom), the difference's t interval and the two-sided p-value.
 * Where a group has fewer than 2 values or both variances are 0, all but
 * diff is NaN (df too); diff is mean1 - mean2 once both groups have a value.
 */
FB_API fb_status fb_mean_compare(uint64_t n1, double mean1, double variance1, uint64_t n2,
                                 double mean2, double variance2, double level,
                                 fb_comparison *out);

/* ------------------------------------------------------------------ */
/* Net Promoter Score                                                  */
/* ------------------------------------------------------------------ */

/*
 * The variance of one response's score as -1 (detractor), 0 (passive), +1
 * (promoter): (p+ + p-) - (p+ - p-)^2 with p+ and p- the shares of promoters
 * and detractors. NaN when all counts are 0. (1, 2, 3 gives 5/9.)
 */
FB_API double fb_nps_variance(uint64_t detractors, uint64_t passives, uint64_t promoters);

/*
 * The NPS, 100 * (promoters - detractors) / n, with the adjusted Wald
 * interval of the R package NPS (Rocks): 0.75 detractor, 1.5 passive and
 * 0.75 promoter pseudo-counts added, then NPS' +- z * sqrt(Var' / (n + 3))
 * from the adjusted shares, in points and clipped to -100..100. A single
 * response has an interval too (the pseudo-counts give it a variance).
 */
FB_API fb_status fb_nps_estimate(uint64_t detractors, uint64_t passives, uint64_t promoters,
                                 double level, fb_estimate *out);

/*
 * NPS a against NPS b: diff is the difference of the two NPS; the interval
 * and the z test are the two-sample Wald of the adjusted counts with
 * unpooled variances (sqrt(Var'a / (na + 3) + Var'b / (nb + 3))), the
 * statistic (NPS'a - NPS'b) / that, the interval in points clipped to
 * -200..200. With an empty group every field is NaN but df (INFINITY).
 */
FB_API fb_status fb_nps_compare(const uint64_t a[3], const uint64_t b[3], double level,
                                fb_comparison *out);

/* ------------------------------------------------------------------ */
/* Ranking and correlation                                             */
/* ------------------------------------------------------------------ */

/*
 * The lower bound of a star rating for ranking (Evan Miller, "Ranking items
 * with star ratings"): with counts[k] the ratings of k + 1 stars (k <
 * stars), one pseudo-rating per star added, the mean minus z times its
 * standard error, z the normal quantile of the level's two-sided interval.
 * Returns NaN for NULL counts, stars < 2 or a level outside (0, 1); with no
 * ratings, the bound of the prior alone.
 */
FB_API double fb_rating_lower_bound(const uint64_t *counts, int stars, double level);

/*
 * (prior_mean * prior_weight + sum) / (prior_weight + n): the Bayesian
 * average; NaN when the weights sum to 0 or prior_weight is negative or not
 * finite. A prior_weight of 0 leaves prior_mean out (it may be NaN).
 */
FB_API double fb_bayesian_average(double sum, uint64_t n, double prior_weight,
                                  double prior_mean);

/*
 * Pearson's r of n pairs from their sums (sum x, sum y, sum x^2, sum y^2,
 * sum xy), with Fisher's z interval (needs n > 3: lo and hi NaN below).
 * n < 2, or a constant x or y, gives NaN; a column counts as constant when
 * sum x^2 - (sum x)^2 / n is within the rounding of that subtraction. From
 * sums, r loses the digits that subtraction cancels: about log10(1 + mean^2 /
 * variance) of them. Non-finite sums, or a negative sum of squares, are
 * FB_ERR_INVALID_ARG.
 */
FB_API fb_status fb_correlation_estimate(uint64_t n, double sx, double sy, double sxx,
                                         double syy, double sxy, double level,
                                         fb_estimate *out);

FB_END_DECLS

#endif /* FEEDBACK_STATS_H */
