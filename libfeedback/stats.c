/*
 * Estimates, intervals and two-group comparisons: shares (Wilson,
 * Newcombe), means (t, Welch), NPS (trinomial variance, adjusted Wald),
 * star-rating bounds, the Bayesian average and Pearson's r. Formulas and
 * sources: docs/METRICS.md, "Statistics".
 *
 * Counts are turned into doubles before any sum, so that nothing wraps;
 * variances are formed from sums of non-negative terms, or clamped at 0,
 * so that rounding never makes them negative.
 */
#include <float.h>
#include <math.h>

#include "feedback/stats.h"

static int valid_level(double level)
{
    return level > 0.0 && level < 1.0;
}

/* The z with P(-z < Z < z) = level; 1 - level is exact for level >= 1/2. */
static double z_critical(double level)
{
    return -fb_normal_quantile(0.5 * (1.0 - level));
}

static double t_critical(double level, double df)
{
    return -fb_t_quantile(0.5 * (1.0 - level), df);
}

/* Two-sided p-value of a z statistic, from the tail itself. */
static double z_p_value(double z)
{
    return 2.0 * fb_normal_cdf(-fabs(z));
}

static double clamp(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* a - b for counts, exact up to the rounding of the result. */
static double count_diff(uint64_t a, uint64_t b)
{
    return a >= b ? (double)(a - b) : -(double)(b - a);
}

/*
 * a1/b1 - a2/b2 for integers held exactly as doubles (below 2^53), to about
 * an ulp of the result even when the two ratios nearly cancel: each
 * division's remainder, exact by fma, is carried into the difference.
 */
static double ratio_diff(double a1, double b1, double a2, double b2)
{
    double q1 = a1 / b1, q2 = a2 / b2;
    return (q1 - q2) + (fma(-q1, b1, a1) / b1 - fma(-q2, b2, a2) / b2);
}

static void estimate_nan(fb_estimate *e, uint64_t n)
{
    e->n = n;
    e->value = e->lo = e->hi = NAN;
}

static void comparison_nan(fb_comparison *c, double df)
{
    c->diff = c->lo = c->hi = c->statistic = c->p_value = NAN;
    c->df = df;
}

/* ------------------------------------------------------------------ */
/* Shares                                                              */
/* ------------------------------------------------------------------ */

/*
 * Wilson's interval for x of n (n > 0) at critical value z. The bounds are
 * the roots of (1 + z^2/n) q^2 - (2 p + z^2/n) q + p^2 = 0: hi from the
 * formula (a sum of positive terms), lo = p^2 / ((1 + z^2/n) hi) from the
 * product of the roots, which is 0 at x = 0 and never cancels.
 */
static void wilson(uint64_t x, uint64_t n, double z, double *lo, double *hi)
{
    double nn = (double)n, p = (double)x / nn, q = (double)(n - x) / nn;
    double z2n = z * z / nn, denom = 1.0 + z2n;
    double upper = x == n ? 1.0 : (p + 0.5 * z2n + z * sqrt(p * q / nn + 0.25 * z2n / nn)) / denom;

    *hi = upper;
    *lo = p * p / (denom * upper);
}

fb_status fb_share_estimate(uint64_t successes, uint64_t n, double level, fb_estimate *out)
{
    if (!out || !valid_level(level) || successes > n)
        return FB_ERR_INVALID_ARG;
    if (n == 0) {
        estimate_nan(out, 0);
        return FB_OK;
    }
    out->n = n;
    out->value = (double)successes / (double)n;
    wilson(successes, n, z_critical(level), &out->lo, &out->hi);
    return FB_OK;
}

fb_status fb_share_compare(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2, double level,
                           fb_comparison *out)
{
    double p1, p2, l1, u1, l2, u2, z, pooled, var;

    if (!out || !valid_level(level) || x1 > n1 || x2 > n2)
        return FB_ERR_INVALID_ARG;
    if (n1 == 0 || n2 == 0) {
        comparison_nan(out, INFINITY);
        return FB_OK;
    }
    p1 = (double)x1 / (double)n1;
    p2 = (double)x2 / (double)n2;
    z = z_critical(level);
    wilson(x1, n1, z, &l1, &u1);
    wilson(x2, n2, z, &l2, &u2);
    out->diff = ratio_diff((double)x1, (double)n1, (double)x2, (double)n2);
    /* Newcombe's method 10: each side from the two Wilson intervals. */
    out->lo = out->diff - hypot(p1 - l1, u2 - p2);
    out->hi = out->diff + hypot(u1 - p1, p2 - l2);
    out->df = INFINITY;
    /* Pooled z test: p (1 - p) (1/n1 + 1/n2), p the pooled share. */
    pooled = ((double)x1 + (double)x2) / ((double)n1 + (double)n2);
    var = pooled * (((double)(n1 - x1) + (double)(n2 - x2)) / ((double)n1 + (double)n2)) *
          (1.0 / (double)n1 + 1.0 / (double)n2);
    if (var > 0.0) {
        out->statistic = out->diff / sqrt(var);
        out->p_value = z_p_value(out->statistic);
    } else { /* all successes or all failures: nothing varies */
        out->statistic = out->p_value = NAN;
    }
    return FB_OK;
}

/* ------------------------------------------------------------------ */
/* Means                                                               */
/* ------------------------------------------------------------------ */

/* The mean is looked at from 1 value on, the variance from 2. */
static int valid_mean_args(uint64_t n, double mean, double variance)
{
    if (n >= 1 && !isfinite(mean))
        return 0;
    return n < 2 || (variance >= 0.0 && isfinite(variance));
}

fb_status fb_mean_estimate(uint64_t n, double mean, double variance, double level,
                           fb_estimate *out)
{
    double half;

    if (!out || !valid_level(level) || !valid_mean_args(n, mean, variance))
        return FB_ERR_INVALID_ARG;
    estimate_nan(out, n);
    if (n == 0)
        return FB_OK;
    out->value = mean;
    if (n == 1)
        return FB_OK;
    half = t_critical(level, (double)(n - 1)) * sqrt(variance / (double)n);
    out->lo = mean - half;
    out->hi = mean + half;
    return FB_OK;
}

fb_status fb_mean_compare(uint64_t n1, double mean1, double variance1, uint64_t n2,
                          double mean2, double variance2, double level, fb_comparison *out)
{
    double w1, w2, se2, r1, r2, se, half;

    if (!out || !valid_level(level) || !valid_mean_args(n1, mean1, variance1) ||
        !valid_mean_args(n2, mean2, variance2))
        return FB_ERR_INVALID_ARG;
    comparison_nan(out, NAN);
    if (n1 >= 1 && n2 >= 1)
        out->diff = mean1 - mean2;
    if (n1 < 2 || n2 < 2)
        return FB_OK;
    w1 = variance1 / (double)n1;
    w2 = variance2 / (double)n2;
    se2 = w1 + w2;
    if (!(se2 > 0.0))
        return FB_OK;
    /* Welch-Satterthwaite, with the shares of se2 so that nothing overflows. */
    r1 = w1 / se2;
    r2 = w2 / se2;
    out->df = 1.0 / (r1 * r1 / (double)(n1 - 1) + r2 * r2 / (double)(n2 - 1));
    se = sqrt(se2);
    out->statistic = out->diff / se;
    out->p_value = 2.0 * fb_t_cdf(-fabs(out->statistic), out->df);
    half = t_critical(level, out->df) * se;
    out->lo = out->diff - half;
    out->hi = out->diff + half;
    return FB_OK;
}

/* ------------------------------------------------------------------ */
/* Net Promoter Score                                                  */
/* ------------------------------------------------------------------ */

/*
 * (p+ + p-) - (p+ - p-)^2 = (4 P D + S (P + D)) / n^2 for D detractors, S
 * passives, P promoters: a sum of non-negative terms, never below 0.
 */
static double trinomial_variance(double d, double s, double p)
{
    double n = d + s + p;
    if (!(n > 0.0))
        return NAN;
    return (4.0 * p * d + s * (p + d)) / (n * n);
}

double fb_nps_variance(uint64_t detractors, uint64_t passives, uint64_t promoters)
{
    return trinomial_variance((double)detractors, (double)passives, (double)promoters);
}

/* Var' / (n + 3), the adjusted Wald variance of one sample's NPS (in -1..1). */
static double nps_adjusted_var(const uint64_t c[3])
{
    double n3 = (double)c[0] + (double)c[1] + (double)c[2] + 3.0;
    return trinomial_variance((double)c[0] + 0.75, (double)c[1] + 1.5, (double)c[2] + 0.75) / n3;
}

static int nps_total(const uint64_t c[3], uint64_t *n)
{
    if (c[1] > UINT64_MAX - c[0] || c[2] > UINT64_MAX - c[0] - c[1])
        return 0;
    *n = c[0] + c[1] + c[2];
    return 1;
}

fb_status fb_nps_estimate(uint64_t detractors, uint64_t passives, uint64_t promoters,
                          double level, fb_estimate *out)
{
    const uint64_t c[3] = {detractors, passives, promoters};
    double nps, half;
    uint64_t n;

    if (!out || !valid_level(level) || !nps_total(c, &n))
        return FB_ERR_INVALID_ARG;
    estimate_nan(out, n);
    if (n == 0)
        return FB_OK;
    out->value = 100.0 * count_diff(promoters, detractors) / (double)n;
    nps = count_diff(promoters, detractors) / ((double)n + 3.0); /* NPS' */
    half = z_critical(level) * sqrt(nps_adjusted_var(c));
    out->lo = 100.0 * clamp(nps - half, -1.0, 1.0);
    out->hi = 100.0 * clamp(nps + half, -1.0, 1.0);
    return FB_OK;
}

fb_status fb_nps_compare(const uint64_t a[3], const uint64_t b[3], double level,
                         fb_comparison *out)
{
    double diff, se, half;
    uint64_t na, nb;

    if (!out || !a || !b || !valid_level(level) || !nps_total(a, &na) || !nps_total(b, &nb))
        return FB_ERR_INVALID_ARG;
    if (na == 0 || nb == 0) {
        comparison_nan(out, INFINITY);
        return FB_OK;
    }
    out->diff = 100.0 * ratio_diff(count_diff(a[2], a[0]), (double)na, count_diff(b[2], b[0]),
                                   (double)nb);
    diff = ratio_diff(count_diff(a[2], a[0]), (double)na + 3.0, count_diff(b[2], b[0]),
                      (double)nb + 3.0); /* NPS'a - NPS'b */
    se = sqrt(nps_adjusted_var(a) + nps_adjusted_var(b));
    half = z_critical(level) * se;
    out->lo = 100.0 * clamp(diff - half, -2.0, 2.0);
    out->hi = 100.0 * clamp(diff + half, -2.0, 2.0);
    out->statistic = diff / se;
    out->df = INFINITY;
    out->p_value = z_p_value(out->statistic);
    return FB_OK;
}

/* ------------------------------------------------------------------ */
/* Ranking and correlation                                             */
/* ------------------------------------------------------------------ */

double fb_rating_lower_bound(const uint64_t *counts, int stars, double level)
{
    double total = 0.0, mean = 0.0, var = 0.0;
    int k;

    if (!counts || stars < 2 || !valid_level(level))
        return NAN;
    for (k = 0; k < stars; k++)
        total += (double)counts[k] + 1.0;
    for (k = 0; k < stars; k++)
        mean += (k + 1) * (((double)counts[k] + 1.0) / total);
    /* Spread about the mean, a sum of non-negative terms. */
    for (k = 0; k < stars; k++) {
        double dev = (k + 1) - mean;
        var += dev * dev * (((double)counts[k] + 1.0) / total);
    }
    return mean - z_critical(level) * sqrt(var / (total + 1.0));
}

double fb_bayesian_average(double sum, uint64_t n, double prior_weight, double prior_mean)
{
    double weight = prior_weight + (double)n;

    if (!(prior_weight >= 0.0) || !(weight > 0.0) || isinf(prior_weight))
        return NAN;
    if (prior_weight == 0.0) /* no prior: its mean plays no part */
        return sum / (double)n;
    return (prior_mean * prior_weight + sum) / weight;
}

/*
 * The centred sum of squares s2 - s1^2 / n, or 0 where it lies within the
 * rounding of that subtraction (a constant column).
 */
static double centred_squares(double s2, double s1, double n)
{
    double c = s2 - s1 * (s1 / n);
    return c > 4.0 * DBL_EPSILON * s2 ? c : 0.0;
}

fb_status fb_correlation_estimate(uint64_t n, double sx, double sy, double sxx, double syy,
                                  double sxy, double level, fb_estimate *out)
{
    double nn = (double)n, cxx, cyy, cxy, den, r, z, half;

    if (!out || !valid_level(level) || !isfinite(sx) || !isfinite(sy) || !isfinite(sxy) ||
        !(sxx >= 0.0 && isfinite(sxx)) || !(syy >= 0.0 && isfinite(syy)))
        return FB_ERR_INVALID_ARG;
    estimate_nan(out, n);
    if (n < 2)
        return FB_OK;
    cxx = centred_squares(sxx, sx, nn);
    cyy = centred_squares(syy, sy, nn);
    if (cxx == 0.0 || cyy == 0.0)
        return FB_OK;
    cxy = sxy - sx * (sy / nn);
    den = cxx * cyy; /* one square root where the product stays normal: r = -+1 exactly on a line */
    den = den >= DBL_MIN && den <= DBL_MAX ? sqrt(den) : sqrt(cxx) * sqrt(cyy);
    r = clamp(cxy / den, -1.0, 1.0);
    out->value = r;
    if (n <= 3)
        return FB_OK;
    /* Fisher: atanh r is about normal with standard error 1 / sqrt(n - 3). */
    z = atanh(r);
    half = z_critical(level) / sqrt(nn - 3.0);
    out->lo = tanh(z - half);
    out->hi = tanh(z + half);
    return FB_OK;
}
