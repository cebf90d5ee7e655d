/*
 * stats.h: worked examples, edge cases and every error path. Expected
 * values come from closed forms (stated beside them) or were computed with
 * scipy 1.10 / statsmodels 0.13 (Debian's python3-scipy, python3-statsmodels)
 * and hard-coded here; compare_scipy.py checks thousands more.
 *
 * scipy's t.ppf (cdflib's iterative inverse) is good to about 1e-11 only:
 * t quantiles here are the roots of scipy's t.sf found by brentq to
 * rtol 8.9e-16 (t.ppf(0.975, 9) = 2.2621571627409915 is 2.5e-11 off).
 */
#include <math.h>

#include "fb_test.h"

/* |got - want| within rel * |want| (or within rel when want is 0). */
#define assert_close(got, want, rel)                                                       \
    do {                                                                                   \
        double g_ = (got), w_ = (want);                                                    \
        double tol_ = (rel) * (w_ == 0.0 ? 1.0 : fabs(w_));                                \
        if (!(fabs(g_ - w_) <= tol_))                                                      \
            fail_msg("%s = %.17g, expected %.17g (relative tolerance %g)", #got, g_, w_,   \
                     (double)(rel));                                                       \
    } while (0)

#define assert_nan(v)                                                                      \
    do {                                                                                   \
        double v_ = (v);                                                                   \
        if (!isnan(v_))                                                                    \
            fail_msg("%s = %.17g, expected NaN", #v, v_);                                  \
    } while (0)

#define REL 1e-13 /* for values checked against scipy / statsmodels to 17 digits */

/* ------------------------------------------------------------------ */
/* Distributions                                                       */
/* ------------------------------------------------------------------ */

static void test_normal_values(void **state)
{
    (void)state;
    assert_true(fb_normal_cdf(0.0) == 0.5);
    assert_close(fb_normal_cdf(-1.96), 0.024997895148220435, REL);   /* scipy norm.cdf */
    assert_close(fb_normal_cdf(1.96), 1 - 0.024997895148220435, REL);
    assert_close(fb_normal_cdf(-10.0), 7.61985302416047e-24, REL); /* scipy norm.cdf */
    /* mpmath 1.3 at 40 digits: 5.7255712225245768e-300; scipy's norm.cdf, 5.7255712225239266e-300,
     * is 1.1e-13 off from rounding -37 / sqrt 2, which fb_normal_cdf corrects. */
    assert_close(fb_normal_cdf(-37.0), 5.7255712225245768e-300, 1e-15);
    assert_true(fb_normal_cdf(-INFINITY) == 0.0);
    assert_true(fb_normal_cdf(INFINITY) == 1.0);
    assert_nan(fb_normal_cdf(NAN));

    assert_close(fb_normal_quantile(0.975), 1.959963984540054, REL); /* scipy norm.ppf */
    assert_close(fb_normal_quantile(1e-12), -7.034483825301131, REL);
    assert_close(fb_normal_quantile(0.5 + 1e-12), 2.5065728237018607e-12, 1e-12);
    assert_true(fb_normal_quantile(0.5) == 0.0);
    assert_true(fb_normal_quantile(0.0) == -INFINITY);
    assert_true(fb_normal_quantile(1.0) == INFINITY);
    assert_nan(fb_normal_quantile(-0.1));
    assert_nan(fb_normal_quantile(1.5));
    assert_nan(fb_normal_quantile(NAN));
}

/*
 * Cauchy (df 1) and df 2 have closed forms: P(T > t) = atan(1/t)/pi and
 * 1/(r (r + t)), r = sqrt(2 + t^2).
 */
static void test_t_closed_forms(void **state)
{
    static const double ts[] = {1e-9, 0.01, 0.5, 1.0, 3.0, 40.0, 1e6, 1e150};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof ts / sizeof ts[0]; i++) {
        double t = ts[i], r = sqrt(2.0 + t * t);
        if (t < 1e100) {
            assert_close(fb_t_cdf(-t, 1.0), atan(1.0 / t) / 3.14159265358979324, 1e-14);
            assert_close(fb_t_cdf(-t, 2.0), 1.0 / (r * (r + t)), 1e-14);
        } else {
            assert_close(fb_t_cdf(-t, 1.0), 1.0 / (3.14159265358979324 * t), 1e-14);
        }
        if (t >= 0.5) /* below, p = 1/2 - O(t) rounded no longer pins t down to 1e-13 */
            assert_close(fb_t_quantile(atan(1.0 / t) / 3.14159265358979324, 1.0), -t, 1e-13);
    }
    assert_true(fb_t_cdf(0.0, 3.5) == 0.5);
    assert_true(fb_t_cdf(-INFINITY, 3.5) == 0.0);
    assert_true(fb_t_cdf(INFINITY, 3.5) == 1.0);
}

static void test_t_values(void **state)
{
    (void)state;
    assert_close(fb_t_cdf(-2.0, 3.0), 0.06966298427942155, REL);      /* scipy t.cdf */
    assert_close(fb_t_quantile(0.975, 9.0), 2.262157162798204, REL); /* root of scipy t.sf */
    /*
     * Large df approaches the normal, as F(t) = Phi(t) - phi(t) (t^3 + t) / (4 df) + O(1/df^2)
     * and t_p = z_p + (z_p^3 + z_p) / (4 df) + O(1/df^2) (A&S 26.7.5): at df = 1e12 the
     * first-order terms are 2.5e-11 and 1.2e-12 relative, the next ones below 1e-22.
     */
    assert_close(fb_t_cdf(-3.0, 1e12),
                 fb_normal_cdf(-3.0) + 30.0 * exp(-4.5) / sqrt(2 * 3.14159265358979324) / 4e12,
                 1e-14);
    {
        double z = fb_normal_quantile(0.025);
        assert_close(fb_t_quantile(0.025, 1e12), z + (z * z * z + z) / 4e12, 1e-15);
    }
    assert_true(fb_t_cdf(-3.0, 1e31) == fb_normal_cdf(-3.0));
    assert_true(fb_t_cdf(-3.0, INFINITY) == fb_normal_cdf(-3.0));
    assert_nan(fb_t_cdf(1.0, 0.0));
    assert_nan(fb_t_cdf(1.0, -2.0));
    assert_nan(fb_t_cdf(1.0, NAN));
    assert_nan(fb_t_cdf(NAN, 3.0));
    assert_nan(fb_t_quantile(0.5, 0.0));
    assert_nan(fb_t_quantile(1.5, 3.0));
    assert_nan(fb_t_quantile(NAN, 3.0));
    assert_true(fb_t_quantile(0.0, 3.0) == -INFINITY);
    assert_true(fb_t_quantile(1.0, 3.0) == INFINITY);
    assert_true(fb_t_quantile(0.5, 3.0) == 0.0);
}

/* q(p) and q(1 - p) differ only in sign (1 - p exact for p >= 1/2); the CDF is symmetric too. */
static void test_symmetry(void **state)
{
    static const double ps[] = {0.5000001, 0.6, 0.75, 0.9, 0.975, 0.999, 1 - 1e-12};
    static const double dfs[] = {0.5, 1.0, 2.5, 10.0, 1e4, 1e7};
    size_t i, j;
    (void)state;
    for (i = 0; i < sizeof ps / sizeof ps[0]; i++) {
        double p = ps[i];
        assert_true(fb_normal_quantile(p) == -fb_normal_quantile(1.0 - p));
        assert_true(fb_normal_quantile(p) > 0.0);
        for (j = 0; j < sizeof dfs / sizeof dfs[0]; j++) {
            double q = fb_t_quantile(p, dfs[j]);
            assert_true(q > 0.0);
            assert_true(q == -fb_t_quantile(1.0 - p, dfs[j]));
            assert_close(fb_t_cdf(q, dfs[j]), p, 1e-13);
            assert_close(fb_t_cdf(-q, dfs[j]), 1.0 - p, 1e-11);
            assert_close(fb_t_cdf(-q, dfs[j]) + fb_t_cdf(q, dfs[j]), 1.0, 4e-16);
        }
    }
}

/* ------------------------------------------------------------------ */
/* Shares                                                              */
/* ------------------------------------------------------------------ */

static void test_wilson_examples(void **state)
{
    fb_estimate e;
    (void)state;
    /* statsmodels proportion_confint(x, 10, alpha=0.05, method="wilson"); by hand, 0 of 10
     * gives hi = (z^2/n) / (1 + z^2/n) = 0.38415 / 1.38415. */
    assert_fb_ok(fb_share_estimate(0, 10, 0.95, &e), NULL);
    assert_int_equal(e.n, 10);
    assert_true(e.value == 0.0);
    assert_true(e.lo == 0.0);
    assert_close(e.hi, 0.27753279986288926, REL);

    assert_fb_ok(fb_share_estimate(5, 10, 0.95, &e), NULL);
    assert_true(e.value == 0.5);
    assert_close(e.lo, 0.23659309051256394, REL);
    assert_close(e.hi, 0.7634069094874361, REL);
    assert_close(e.lo + e.hi, 1.0, 1e-15);

    assert_fb_ok(fb_share_estimate(10, 10, 0.95, &e), NULL);
    assert_true(e.value == 1.0);
    assert_close(e.lo, 0.7224672001371106, REL);
    assert_true(e.hi == 1.0);
}

static void test_share_small_samples(void **state)
{
    fb_estimate e;
    (void)state;
    assert_fb_ok(fb_share_estimate(0, 0, 0.95, &e), NULL);
    assert_int_equal(e.n, 0);
    assert_nan(e.value);
    assert_nan(e.lo);
    assert_nan(e.hi);
    /* One trial still has a Wilson interval (statsmodels). */
    assert_fb_ok(fb_share_estimate(1, 1, 0.95, &e), NULL);
    assert_close(e.lo, 0.2065493143772374, REL);
    assert_true(e.hi == 1.0);
    assert_fb_ok(fb_share_estimate(0, 1, 0.95, &e), NULL);
    assert_true(e.lo == 0.0);
    assert_close(e.hi, 0.7934506856227627, REL);
}

static void test_share_compare(void **state)
{
    fb_comparison c;
    (void)state;
    /* statsmodels: confint_proportions_2indep(30, 100, 20, 100, method="newcomb"),
     * proportions_ztest([30, 20], [100, 100]). */
    assert_fb_ok(fb_share_compare(30, 100, 20, 100, 0.95, &c), NULL);
    assert_close(c.diff, 0.1, 1e-15);
    assert_close(c.lo, -0.020249362153013428, REL);
    assert_close(c.hi, 0.21673435401778593, REL);
    assert_close(c.statistic, 1.6329931618554518, REL);
    assert_close(c.p_value, 0.10247043485974941, REL);
    assert_true(c.df == INFINITY);

    /* Nothing varies in the pooled sample: no test, but an interval. */
    assert_fb_ok(fb_share_compare(10, 10, 5, 5, 0.95, &c), NULL);
    assert_true(c.diff == 0.0);
    assert_nan(c.statistic);
    assert_nan(c.p_value);
    assert_true(c.lo < 0.0 && c.hi > 0.0);

    /* Opposite extremes span the whole range -1..1 at most. */
    assert_fb_ok(fb_share_compare(0, 50, 50, 50, 0.95, &c), NULL);
    assert_true(c.diff == -1.0);
    assert_true(c.lo == -1.0);
    assert_close(c.hi, -1.0 + sqrt(2.0) * 0.07134759913335874, 1e-14); /* Wilson hi of 0/50 */

    assert_fb_ok(fb_share_compare(3, 10, 0, 0, 0.95, &c), NULL);
    assert_nan(c.diff);
    assert_nan(c.lo);
    assert_nan(c.hi);
    assert_nan(c.statistic);
    assert_nan(c.p_value);
    assert_true(c.df == INFINITY);
}

/* ------------------------------------------------------------------ */
/* Means                                                               */
/* ------------------------------------------------------------------ */

static void test_mean_estimate(void **state)
{
    fb_estimate e;
    (void)state;
    /* 4 -+ t(0.975, 9) * sqrt(2.5 / 10), t the root of scipy's t.sf. */
    assert_fb_ok(fb_mean_estimate(10, 4.0, 2.5, 0.95, &e), NULL);
    assert_int_equal(e.n, 10);
    assert_true(e.value == 4.0);
    assert_close(e.lo, 2.868921418600898, REL);
    assert_close(e.hi, 5.131078581399102, REL);

    /* A variance of 0 gives a point. */
    assert_fb_ok(fb_mean_estimate(5, 3.0, 0.0, 0.95, &e), NULL);
    assert_true(e.lo == 3.0 && e.hi == 3.0);

    /* One value: its mean, no interval; the variance is not looked at. */
    assert_fb_ok(fb_mean_estimate(1, 7.0, NAN, 0.95, &e), NULL);
    assert_true(e.value == 7.0);
    assert_nan(e.lo);
    assert_nan(e.hi);

    /* No values: nothing is looked at. */
    assert_fb_ok(fb_mean_estimate(0, NAN, NAN, 0.95, &e), NULL);
    assert_int_equal(e.n, 0);
    assert_nan(e.value);
    assert_nan(e.lo);
}

static void test_mean_compare(void **state)
{
    fb_comparison c;
    (void)state;
    /* scipy ttest_ind_from_stats(5, 2, 20, 4, 3, 30, equal_var=False); Welch-Satterthwaite df
     * (0.2 + 0.3)^2 / (0.2^2/19 + 0.3^2/29); the interval 1 -+ t(0.975, df) sqrt(0.5), with
     * t = 2.010638528443926 the root of scipy's t.sf. */
    assert_fb_ok(fb_mean_compare(20, 5.0, 4.0, 30, 4.0, 9.0, 0.95, &c), NULL);
    assert_true(c.diff == 1.0);
    assert_close(c.statistic, 1.414213562373095, REL);
    assert_close(c.df, 47.99651567944251, REL);
    assert_close(c.p_value, 0.16375354741045814, REL);
    assert_close(c.lo, -0.4217361379776412, REL);
    assert_close(c.hi, 2.421736137977641, REL);

    /* One variance 0: df = n - 1 of the other group. */
    assert_fb_ok(fb_mean_compare(8, 1.0, 0.0, 12, 2.0, 3.0, 0.95, &c), NULL);
    assert_close(c.df, 11.0, 1e-15);

    /* Fewer than 2 values in a group, or no variance at all: untestable, diff kept. */
    assert_fb_ok(fb_mean_compare(1, 5.0, NAN, 30, 4.0, 9.0, 0.95, &c), NULL);
    assert_true(c.diff == 1.0);
    assert_nan(c.lo);
    assert_nan(c.hi);
    assert_nan(c.statistic);
    assert_nan(c.df);
    assert_nan(c.p_value);
    assert_fb_ok(fb_mean_compare(5, 5.0, 0.0, 5, 4.0, 0.0, 0.95, &c), NULL);
    assert_true(c.diff == 1.0);
    assert_nan(c.p_value);
    assert_fb_ok(fb_mean_compare(0, NAN, NAN, 5, 4.0, 1.0, 0.95, &c), NULL);
    assert_nan(c.diff);
}

/* ------------------------------------------------------------------ */
/* NPS                                                                 */
/* ------------------------------------------------------------------ */

static void test_nps_variance(void **state)
{
    double v;
    (void)state;
    /*
     * The worked example: 1 detractor, 2 passives, 3 promoters (n = 6).
     * p+ = 1/2, p- = 1/6: (p+ + p-) - (p+ - p-)^2 = 2/3 - 1/9 = 5/9, the
     * variance of one response's score (-1, 0, +1). The unadjusted standard
     * error of the NPS is sqrt(5/9 / 6) = 0.3043 (30.4 NPS points).
     */
    v = fb_nps_variance(1, 2, 3);
    assert_close(v, 5.0 / 9.0, 1e-15);
    assert_close(sqrt(v / 6.0), 0.3042903097250923, 1e-15);
    assert_true(fabs(sqrt(v / 6.0) - 0.304) < 5e-4);

    assert_true(fb_nps_variance(0, 0, 7) == 0.0);  /* all promoters */
    assert_true(fb_nps_variance(0, 9, 0) == 0.0);  /* all passives */
    assert_true(fb_nps_variance(4, 0, 4) == 1.0);  /* half and half: the largest */
    assert_nan(fb_nps_variance(0, 0, 0));
}

static void test_nps_estimate(void **state)
{
    fb_estimate e;
    (void)state;
    /*
     * Adjusted Wald for (1, 2, 3): counts 1.75, 3.5, 3.75 of 9, NPS' = 2/9,
     * Var' = 5.5/9 - (2/9)^2 = 0.5617, 100 (2/9 -+ 1.96 sqrt(Var'/9)) (NumPy).
     */
    assert_fb_ok(fb_nps_estimate(1, 2, 3, 0.95, &e), NULL);
    assert_int_equal(e.n, 6);
    assert_close(e.value, 100.0 / 3.0, 1e-15);
    assert_close(e.lo, -26.74325879410454, REL);
    assert_close(e.hi, 71.18770323854898, REL);

    /* 5 promoters: 100 (5/8 -+ 1.96 sqrt(0.052734375)), the upper end clipped at 100. */
    assert_fb_ok(fb_nps_estimate(0, 0, 5, 0.95, &e), NULL);
    assert_true(e.value == 100.0);
    assert_close(e.lo, 17.49145303416897, REL);
    assert_true(e.hi == 100.0);

    /* One response already has an interval, from the pseudo-counts:
     * 100 (-1/4 -+ 1.96 sqrt(0.5625 / 4)), Var' = (4 0.75 1.75 + 1.5 2.5) / 16. */
    assert_fb_ok(fb_nps_estimate(1, 0, 0, 0.95, &e), NULL);
    assert_true(e.value == -100.0);
    assert_close(e.lo, 100.0 * (-0.25 - 1.959963984540054 * 0.375), REL);
    assert_close(e.hi, 100.0 * (-0.25 + 1.959963984540054 * 0.375), REL);

    assert_fb_ok(fb_nps_estimate(0, 0, 0, 0.95, &e), NULL);
    assert_int_equal(e.n, 0);
    assert_nan(e.value);
    assert_nan(e.lo);
    assert_nan(e.hi);
}

static void test_nps_compare(void **state)
{
    const uint64_t a[3] = {10, 20, 30}, b[3] = {20, 20, 20}, none[3] = {0, 0, 0};
    const uint64_t all_pro[3] = {0, 0, 1}, all_det[3] = {1, 0, 0};
    fb_comparison c;
    (void)state;
    /* NPS 33.3 against 0; adjusted Wald of the difference (NumPy from the formula). */
    assert_fb_ok(fb_nps_compare(a, b, 0.95, &c), NULL);
    assert_close(c.diff, 100.0 / 3.0, 1e-14);
    assert_close(c.lo, 4.5086179006749045, REL);
    assert_close(c.hi, 58.98344559138858, REL);
    assert_close(c.statistic, 2.2843974551899042, REL);
    assert_close(c.p_value, 0.02234818299999975, 1e-12);
    assert_true(c.df == INFINITY);

    /* At a high level the difference's interval is clipped to -200..200. */
    assert_fb_ok(fb_nps_compare(all_pro, all_det, 0.999999, &c), NULL);
    assert_true(c.diff == 200.0);
    assert_true(c.hi == 200.0 && c.lo < 0.0);

    assert_fb_ok(fb_nps_compare(a, none, 0.95, &c), NULL);
    assert_nan(c.diff);
    assert_nan(c.p_value);
}

/* ------------------------------------------------------------------ */
/* Ranking and correlation                                             */
/* ------------------------------------------------------------------ */

static void test_rating_lower_bound(void **state)
{
    const uint64_t none[5] = {0}, fives[5] = {0, 0, 0, 0, 10}, mixed[5] = {1, 2, 3, 4, 5};
    (void)state;
    /* The prior alone: one rating per star, mean 3, variance 2, 3 - 1.96 sqrt(2/6). */
    assert_close(fb_rating_lower_bound(none, 5, 0.95), 1.8684142659238283, REL);
    /* Evan Miller's formula in NumPy. */
    assert_close(fb_rating_lower_bound(fives, 5, 0.95), 3.722207189952901, REL);
    assert_close(fb_rating_lower_bound(mixed, 5, 0.90), 3.0251716578510175, REL);
    assert_true(fb_rating_lower_bound(fives, 5, 0.95) > fb_rating_lower_bound(fives, 5, 0.99));
    assert_nan(fb_rating_lower_bound(fives, 1, 0.95));
    assert_nan(fb_rating_lower_bound(NULL, 5, 0.95));
    assert_nan(fb_rating_lower_bound(fives, 5, 1.0));
    assert_nan(fb_rating_lower_bound(fives, 5, 0.0));
    assert_nan(fb_rating_lower_bound(fives, 5, NAN));
}

static void test_bayesian_average(void **state)
{
    (void)state;
    assert_true(fb_bayesian_average(45.0, 10, 5.0, 3.0) == 4.0); /* (15 + 45) / 15 */
    assert_true(fb_bayesian_average(0.0, 0, 5.0, 3.0) == 3.0);   /* the prior alone */
    assert_true(fb_bayesian_average(45.0, 10, 0.0, NAN) == 4.5); /* no prior */
    assert_nan(fb_bayesian_average(0.0, 0, 0.0, 3.0));
    assert_nan(fb_bayesian_average(45.0, 10, -1.0, 3.0));
    assert_nan(fb_bayesian_average(45.0, 10, INFINITY, 3.0));
}

static void test_correlation(void **state)
{
    fb_estimate e;
    (void)state;
    /* x = 1..5, y = 2 4 5 4 5: scipy pearsonr gives sqrt(0.6); tanh(atanh r -+ 1.96 / sqrt 2). */
    assert_fb_ok(fb_correlation_estimate(5, 15, 20, 55, 86, 66, 0.95, &e), NULL);
    assert_int_equal(e.n, 5);
    assert_close(e.value, 0.7745966692414834, 1e-14);
    assert_close(e.lo, -0.34008203518751035, 1e-13);
    assert_close(e.hi, 0.9842357551507267, 1e-13);

    /* Three pairs: r, but Fisher's interval needs n > 3. */
    assert_fb_ok(fb_correlation_estimate(3, 6, 6, 14, 14, 14, 0.95, &e), NULL); /* y = x */
    assert_close(e.value, 1.0, 1e-15);
    assert_nan(e.lo);
    assert_nan(e.hi);

    /* A perfect line with more pairs: the interval shrinks to the point. */
    assert_fb_ok(fb_correlation_estimate(5, 15, -15, 55, 55, -55, 0.95, &e), NULL);
    assert_true(e.value == -1.0 && e.lo == -1.0 && e.hi == -1.0);

    /* Constant x (even when rounding leaves a trace), one pair, none. */
    assert_fb_ok(fb_correlation_estimate(3, 0.3, 6, 0.03, 14, 0.6, 0.95, &e), NULL);
    assert_nan(e.value);
    assert_fb_ok(fb_correlation_estimate(1, 1, 2, 1, 4, 2, 0.95, &e), NULL);
    assert_int_equal(e.n, 1);
    assert_nan(e.value);
    assert_fb_ok(fb_correlation_estimate(0, 0, 0, 0, 0, 0, 0.95, &e), NULL);
    assert_nan(e.value);
}

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

static void test_errors_leave_out_unchanged(void **state)
{
    static const double bad_levels[] = {0.0, 1.0, -0.5, 1.5, NAN, INFINITY};
    const uint64_t c[3] = {1, 2, 3}, huge[3] = {UINT64_MAX, 1, 0};
    fb_estimate e, e0;
    fb_comparison k, k0;
    size_t i;
    (void)state;

    memset(&e0, 0x5a, sizeof e0);
    memset(&k0, 0x5a, sizeof k0);
    e = e0;
    k = k0;

    /* NULL out */
    assert_fb_status(fb_share_estimate(1, 2, 0.95, NULL), FB_ERR_INVALID_ARG, NULL);
    assert_fb_status(fb_share_compare(1, 2, 1, 2, 0.95, NULL), FB_ERR_INVALID_ARG, NULL);
    assert_fb_status(fb_mean_estimate(2, 1, 1, 0.95, NULL), FB_ERR_INVALID_ARG, NULL);
    assert_fb_status(fb_mean_compare(2, 1, 1, 2, 1, 1, 0.95, NULL), FB_ERR_INVALID_ARG, NULL);
    assert_fb_status(fb_nps_estimate(1, 2, 3, 0.95, NULL), FB_ERR_INVALID_ARG, NULL);
    assert_fb_status(fb_nps_compare(c, c, 0.95, NULL), FB_ERR_INVALID_ARG, NULL);
    assert_fb_status(fb_nps_compare(NULL, c, 0.95, &k), FB_ERR_INVALID_ARG, NULL);
    assert_fb_status(fb_nps_compare(c, NULL, 0.95, &k), FB_ERR_INVALID_ARG, NULL);
    assert_fb_status(fb_correlation_estimate(5, 15, 20, 55, 86, 66, 0.95, NULL),
                     FB_ERR_INVALID_ARG, NULL);

    /* a level outside (0, 1) */
    for (i = 0; i < sizeof bad_levels / sizeof bad_levels[0]; i++) {
        double l = bad_levels[i];
        assert_fb_status(fb_share_estimate(1, 2, l, &e), FB_ERR_INVALID_ARG, NULL);
        assert_fb_status(fb_share_compare(1, 2, 1, 2, l, &k), FB_ERR_INVALID_ARG, NULL);
        assert_fb_status(fb_mean_estimate(2, 1, 1, l, &e), FB_ERR_INVALID_ARG, NULL);
        assert_fb_status(fb_mean_compare(2, 1, 1, 2, 1, 1, l, &k), FB_ERR_INVALID_ARG, NULL);
        assert_fb_status(fb_nps_estimate(1, 2, 3, l, &e), FB_ERR_INVALID_ARG, NULL);
        assert_fb_status(fb_nps_compare(c, c, l, &k), FB_ERR_INVALID_ARG, NULL);
        assert_fb_status(fb_correlation_estimate(5, 15, 20, 55, 86, 66, l, &e),
                         FB_ERR_INVALID_ARG, NULL);
    }

    /* more successes than trials */
    assert_fb_status(fb_share_estimate(3, 2, 0.95, &e), FB_ERR_INVALID_ARG, NULL);
    assert_fb_status(fb_share_estimate(1, 0, 0.95, &e), FB_ERR_INVALID_ARG, NULL);
    assert_fb_status(fb_share_compare(3, 2, 1, 2, 0.95, &k), FB_ERR_INVALID_ARG, NULL);
    assert_fb_status(fb_share_compare(1, 2, 3, 2, 0.95, &k), FB_ERR_INVALID_ARG, NULL);

    /* a negative or non-finite variance or mean, where it is used */
    assert_fb_status(fb_mean_estimate(2, 1, -1e-300, 0.95, &e), FB_ERR_INVALID_ARG, NULL);
    assert_fb_status(fb_mean_estimate(2, 1, NAN, 0.95, &e), FB_ERR_INVALID_ARG, NULL);
    assert_fb_status(fb_mean_estimate(2, 1, INFINITY, 0.95, &e), FB_ERR_INVALID_ARG, NULL);
    assert_fb_status(fb_mean_estimate(1, NAN, 0, 0.95, &e), FB_ERR_INVALID_ARG, NULL);
    assert_fb_status(fb_mean_estimate(3, -INFINITY, 1, 0.95, &e), FB_ERR_INVALID_ARG, NULL);
    assert_fb_status(fb_mean_compare(2, 1, -1, 2, 1, 1, 0.95, &k), FB_ERR_INVALID_ARG, NULL);
    assert_fb_status(fb_mean_compare(2, 1, 1, 2, 1, -1, 0.95, &k), FB_ERR_INVALID_ARG, NULL);
    assert_fb_status(fb_mean_compare(2, NAN, 1, 2, 1, 1, 0.95, &k), FB_ERR_INVALID_ARG, NULL);
    assert_fb_status(fb_mean_compare(2, 1, 1, 1, INFINITY, 1, 0.95, &k), FB_ERR_INVALID_ARG,
                     NULL);

    /* counts whose total passes 2^64; sums that cannot be */
    assert_fb_status(fb_nps_estimate(UINT64_MAX, 1, 0, 0.95, &e), FB_ERR_INVALID_ARG, NULL);
    assert_fb_status(fb_nps_compare(huge, c, 0.95, &k), FB_ERR_INVALID_ARG, NULL);
    assert_fb_status(fb_correlation_estimate(5, 15, 20, -1, 86, 66, 0.95, &e),
                     FB_ERR_INVALID_ARG, NULL);
    assert_fb_status(fb_correlation_estimate(5, 15, 20, 55, 86, NAN, 0.95, &e),
                     FB_ERR_INVALID_ARG, NULL);

    assert_memory_equal(&e, &e0, sizeof e);
    assert_memory_equal(&k, &k0, sizeof k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normal_values),
        cmocka_unit_test(test_t_closed_forms),
        cmocka_unit_test(test_t_values),
        cmocka_unit_test(test_symmetry),
        cmocka_unit_test(test_wilson_examples),
        cmocka_unit_test(test_share_small_samples),
        cmocka_unit_test(test_share_compare),
        cmocka_unit_test(test_mean_estimate),
        cmocka_unit_test(test_mean_compare),
        cmocka_unit_test(test_nps_variance),
        cmocka_unit_test(test_nps_estimate),
        cmocka_unit_test(test_nps_compare),
        cmocka_unit_test(test_rating_lower_bound),
        cmocka_unit_test(test_bayesian_average),
        cmocka_unit_test(test_correlation),
        cmocka_unit_test(test_errors_leave_out_unchanged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
