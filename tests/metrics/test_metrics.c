/* The accumulator and the metrics built on it (metrics.h). */
#include <math.h>

#include "fb_test.h"

/* A fixed pseudo-random sequence, so a failure reproduces. */
static uint32_t next_rand(uint32_t *state)
{
    *state = *state * 1103515245u + 12345u;
    return *state >> 8;
}

static void assert_close(double got, double want, double tol, const char *what)
{
    if (!(fabs(got - want) <= tol * (fabs(want) > 1 ? fabs(want) : 1)))
        fail_msg("%s: got %.17g, want %.17g", what, got, want);
}

static void test_scores_fall_in_their_bins(void **state)
{
    fb_score_acc a;
    (void)state;
    fb_score_acc_init(&a, 1);
    fb_score_acc_add(&a, 1);
    fb_score_acc_add(&a, 5);
    fb_score_acc_add(&a, 5);
    fb_score_acc_add(&a, 4.5);
    fb_score_acc_add(&a, NAN);
    fb_score_acc_add(&a, 12.5); /* past the bins: a custom scale's */
    assert_int_equal(a.whole[0], 1);
    assert_int_equal(a.whole[4], 2);
    assert_int_equal(a.between[3], 1);
    assert_int_equal(a.skipped, 1);
    assert_int_equal(a.other, 1);
    assert_int_equal(fb_score_acc_count(&a), 5);
    /* Cuts are whole numbers: 4.5 is below 5 and at least 4. */
    assert_int_equal(fb_score_acc_below(&a, 5), 2);
    assert_int_equal(fb_score_acc_at_least(&a, 4), 3);
    assert_int_equal(fb_score_acc_at_least(&a, 5), 2);
    assert_int_equal(fb_score_acc_below(&a, 1), 0);
    assert_int_equal(fb_score_acc_at_least(&a, 1), 4); /* the score past the bins counts neither way */
}

static void test_answers_and_arrays(void **state)
{
    const double scores[] = {9, 10, NAN, 3};
    fb_answer skipped = {0};
    fb_score_acc a;
    (void)state;
    fb_score_acc_init(&a, 0);
    fb_score_acc_add_scores(&a, scores, 4);
    skipped.metric = FB_METRIC_NPS;
    skipped.skipped = true;
    skipped.score = 5; /* ignored: the answer has no score */
    fb_score_acc_add_answer(&a, &skipped);
    assert_int_equal(fb_score_acc_count(&a), 3);
    assert_int_equal(a.skipped, 2);
    assert_int_equal(a.whole[9] + a.whole[10] + a.whole[3], 3);
}

/* Mean and variance against a direct two-pass computation, whole and fractional scores mixed. */
static void test_moments_match_direct_computation(void **state)
{
    double xs[5000], sum = 0, ss = 0, mean, var, m, v;
    uint32_t r = 7;
    uint64_t n;
    fb_score_acc a;
    int i;
    (void)state;
    fb_score_acc_init(&a, 1);
    for (i = 0; i < 5000; i++) {
        uint32_t u = next_rand(&r);
        xs[i] = u % 7 == 0 ? 1 + (u % 4000) / 1000.0 : 1 + u % 7; /* 1..7, some fractional */
        fb_score_acc_add(&a, xs[i]);
        sum += xs[i];
    }
    mean = sum / 5000;
    for (i = 0; i < 5000; i++)
        ss += (xs[i] - mean) * (xs[i] - mean);
    var = ss / 4999;
    fb_score_acc_moments(&a, &n, &m, &v);
    assert_int_equal(n, 5000);
    assert_close(m, mean, 1e-12, "mean");
    assert_close(v, var, 1e-10, "variance");
}

static void test_moments_of_few(void **state)
{
    fb_score_acc a;
    fb_estimate e;
    uint64_t n;
    double m, v;
    (void)state;
    fb_score_acc_init(&a, 0);
    fb_score_acc_moments(&a, &n, &m, &v);
    assert_int_equal(n, 0);
    assert_true(isnan(m) && isnan(v));
    assert_fb_ok(fb_score_acc_mean(&a, 0.95, &e), NULL);
    assert_int_equal(e.n, 0);
    assert_true(isnan(e.value));
    fb_score_acc_add(&a, 8);
    fb_score_acc_moments(&a, &n, &m, &v);
    assert_int_equal(n, 1);
    assert_close(m, 8, 0, "one score's mean");
    assert_true(isnan(v));
    assert_fb_ok(fb_score_acc_mean(&a, 0.95, &e), NULL);
    assert_close(e.value, 8, 0, "mean of one");
    assert_true(isnan(e.lo) && isnan(e.hi));
}

/* The merge of shards equals the accumulator of all the scores, to the bit for whole scores. */
static void test_merge_is_exact(void **state)
{
    fb_score_acc all, shard[4], merged;
    uint32_t r = 99;
    int i, k;
    (void)state;
    fb_score_acc_init(&all, 0);
    for (k = 0; k < 4; k++)
        fb_score_acc_init(&shard[k], 0);
    for (i = 0; i < 100000; i++) {
        uint32_t u = next_rand(&r);
        double x = u % 50 == 0 ? NAN : (double)(u % 11);
        fb_score_acc_add(&all, x);
        fb_score_acc_add(&shard[u % 4], x);
    }
    fb_score_acc_init(&merged, 0);
    for (k = 3; k >= 0; k--)
        assert_fb_ok(fb_score_acc_merge(&merged, &shard[k]), NULL);
    assert_memory_equal(&merged, &all, sizeof all);
    {
        fb_score_acc other;
        fb_score_acc_init(&other, 1);
        assert_fb_status(fb_score_acc_merge(&merged, &other), FB_ERR_INVALID_ARG, NULL);
    }
}

static void add_counts(fb_score_acc *a, const int *scores, const int *counts, int n)
{
    int i, k;
    for (i = 0; i < n; i++)
        for (k = 0; k < counts[i]; k++)
            fb_score_acc_add(a, scores[i]);
}

/* The worked example: 1 detractor, 2 passives, 3 promoters. */
static void test_nps_worked_example(void **state)
{
    static const int scores[] = {3, 7, 8, 9, 10};
    static const int counts[] = {1, 1, 1, 2, 1};
    fb_score_acc a;
    fb_nps_result r;
    fb_estimate want;
    (void)state;
    fb_score_acc_init(&a, 0);
    add_counts(&a, scores, counts, 5);
    fb_score_acc_add(&a, NAN);
    assert_fb_ok(fb_nps_result_of(&a, NULL, &r), NULL);
    assert_int_equal(r.nps.n, 6);
    assert_close(r.nps.value, 100.0 * (3 - 1) / 6, 1e-12, "nps");
    assert_fb_ok(fb_nps_estimate(1, 2, 3, 0.95, &want), NULL);
    assert_close(r.nps.lo, want.lo, 0, "nps lo");
    assert_close(r.nps.hi, want.hi, 0, "nps hi");
    assert_close(r.promoters.value, 0.5, 1e-15, "promoters");
    assert_close(r.passives.value, 2.0 / 6, 1e-15, "passives");
    assert_close(r.detractors.value, 1.0 / 6, 1e-15, "detractors");
    assert_close(fb_nps_variance(1, 2, 3), 5.0 / 9, 1e-15, "variance");
    assert_int_equal(r.skipped, 1);
    assert_close(r.mean.value, (3 + 7 + 8 + 9 + 9 + 10) / 6.0, 1e-14, "mean");
}

/* Scores that are not whole fall in exactly one NPS bucket. */
static void test_nps_buckets_of_fractional_scores(void **state)
{
    fb_score_acc a;
    fb_nps_result r;
    (void)state;
    fb_score_acc_init(&a, 0);
    fb_score_acc_add(&a, 6.9);  /* detractor */
    fb_score_acc_add(&a, 7.0);  /* passive */
    fb_score_acc_add(&a, 8.99); /* passive */
    fb_score_acc_add(&a, 9.0);  /* promoter */
    assert_fb_ok(fb_nps_result_of(&a, NULL, &r), NULL);
    assert_close(r.detractors.value, 0.25, 0, "detractors");
    assert_close(r.passives.value, 0.5, 0, "passives");
    assert_close(r.promoters.value, 0.25, 0, "promoters");
    assert_close(r.nps.value, 0, 0, "nps");
}

static void test_csat_and_its_cut_points(void **state)
{
    static const int scores[] = {1, 2, 3, 4, 5};
    static const int counts[] = {2, 3, 5, 6, 4};
    fb_metric_options o;
    fb_csat_result r;
    fb_score_acc a;
    (void)state;
    fb_score_acc_init(&a, 1);
    add_counts(&a, scores, counts, 5);
    assert_fb_ok(fb_csat_result_of(&a, NULL, &r), NULL);
    assert_close(r.satisfied.value, 10.0 / 20, 1e-15, "top-2-box");
    assert_close(r.problems.value, 5.0 / 20, 1e-15, "problems");
    assert_close(r.mean.value, (2 + 6 + 15 + 24 + 20) / 20.0, 1e-14, "mean");
    fb_metric_options_init(&o);
    o.csat_satisfied_from = 5; /* top box only */
    assert_fb_ok(fb_csat_result_of(&a, &o, &r), NULL);
    assert_close(r.satisfied.value, 4.0 / 20, 1e-15, "top box");
    o.level = 1.5;
    assert_fb_status(fb_csat_result_of(&a, &o, &r), FB_ERR_INVALID_ARG, NULL);
}

static void test_ces_scales(void **state)
{
    static const int scores[] = {1, 3, 4, 5, 7};
    static const int counts[] = {1, 2, 3, 2, 2};
    fb_metric_options o;
    fb_ces_result r;
    fb_score_acc a;
    fb_estimate net;
    (void)state;
    fb_score_acc_init(&a, 1);
    add_counts(&a, scores, counts, 5);
    assert_fb_ok(fb_ces_result_of(&a, NULL, &r), NULL);
    assert_close(r.agree.value, 4.0 / 10, 1e-15, "agree (>= 5 of 7)");
    assert_close(r.disagree.value, 3.0 / 10, 1e-15, "disagree (<= 3 of 7)");
    assert_fb_ok(fb_nps_estimate(3, 3, 4, 0.95, &net), NULL);
    assert_close(r.net.value, 10, 1e-12, "net");
    assert_close(r.net.lo, net.lo, 0, "net lo");
    assert_int_equal(r.headline, FB_CES_HEADLINE_MEAN);
    fb_metric_options_init(&o);
    fb_metric_options_ces_legacy(&o);
    o.ces_headline = FB_CES_HEADLINE_NET;
    assert_fb_ok(fb_ces_result_of(&a, &o, &r), NULL);
    assert_close(r.agree.value, 7.0 / 10, 1e-15, "agree (>= 4 of 5)");
    assert_close(r.disagree.value, 1.0 / 10, 1e-15, "disagree (<= 2 of 5)");
    assert_int_equal(r.headline, FB_CES_HEADLINE_NET);
}

static void test_cli_is_the_mean_of_item_means(void **state)
{
    fb_score_acc rec, rep, cross;
    const fb_score_acc *items[3] = {&rec, &rep, &cross};
    fb_cli_result r;
    fb_estimate m[3];
    int i;
    (void)state;
    fb_score_acc_init(&rec, 0);
    fb_score_acc_init(&rep, 0);
    fb_score_acc_init(&cross, 0);
    for (i = 0; i < 10; i++) {
        fb_score_acc_add(&rec, 6 + i % 5);
        fb_score_acc_add(&rep, 10 - i % 3);
        if (i < 4)
            fb_score_acc_add(&cross, 2 * i);
    }
    assert_fb_ok(fb_cli_result_of(items, NULL, &r), NULL);
    for (i = 0; i < 3; i++)
        assert_fb_ok(fb_score_acc_mean(items[i], 0.95, &m[i]), NULL);
    assert_int_equal(r.cli.n, 4);
    assert_close(r.cli.value, (m[0].value + m[1].value + m[2].value) / 3, 1e-14, "cli");
    assert_close(r.cli.lo, (m[0].lo + m[1].lo + m[2].lo) / 3, 1e-14, "cli lo");
    assert_close(r.cli.hi, (m[0].hi + m[1].hi + m[2].hi) / 3, 1e-14, "cli hi");
    assert_close(r.item_net[1].value, 70, 1e-12, "repurchase net: 7 promoters, 3 passives");
    fb_score_acc_init(&cross, 0);
    assert_fb_ok(fb_cli_result_of(items, NULL, &r), NULL);
    assert_int_equal(r.cli.n, 0);
    assert_true(isnan(r.cli.value));
}

static void test_gcr_and_ratings(void **state)
{
    static const int stars[] = {1, 2, 3, 4, 5};
    static const int counts[] = {1, 0, 2, 3, 4};
    uint64_t want_stars[5] = {1, 0, 2, 3, 4};
    fb_score_acc g, a;
    fb_gcr_result gr;
    fb_rating_result r;
    fb_metric_options o;
    (void)state;
    fb_score_acc_init(&g, 0);
    fb_score_acc_add(&g, 1);
    fb_score_acc_add(&g, 1);
    fb_score_acc_add(&g, 0);
    fb_score_acc_add(&g, NAN);
    assert_fb_ok(fb_gcr_result_of(&g, NULL, &gr), NULL);
    assert_int_equal(gr.completed.n, 3);
    assert_close(gr.completed.value, 2.0 / 3, 1e-15, "completed");
    assert_int_equal(gr.skipped, 1);

    fb_score_acc_init(&a, 1);
    add_counts(&a, stars, counts, 5);
    fb_metric_options_init(&o);
    assert_fb_ok(fb_rating_result_of(&a, &o, &r), NULL);
    assert_memory_equal(r.stars, want_stars, sizeof want_stars);
    assert_close(r.mean.value, (1 + 6 + 12 + 20) / 10.0, 1e-14, "mean");
    assert_close(r.bayesian_average, (3.5 * 10 + 39) / 20, 1e-14, "bayesian average");
    assert_close(r.lower_bound, fb_rating_lower_bound(want_stars, 5, 0.95), 0, "lower bound");
    o.rating_prior_mean = NAN; /* the rating's own mean: the average is the mean */
    assert_fb_ok(fb_rating_result_of(&a, &o, &r), NULL);
    assert_close(r.bayesian_average, 3.9, 1e-14, "average with its own prior");
}

static void test_comparisons_use_the_counts(void **state)
{
    fb_score_acc a, b;
    fb_comparison got, want;
    uint64_t ca[3] = {2, 3, 5}, cb[3] = {5, 3, 2};
    int i;
    (void)state;
    fb_score_acc_init(&a, 0);
    fb_score_acc_init(&b, 0);
    for (i = 0; i < 2; i++)
        fb_score_acc_add(&a, 4), fb_score_acc_add(&b, 9);
    for (i = 0; i < 3; i++)
        fb_score_acc_add(&a, 8), fb_score_acc_add(&b, 7);
    for (i = 0; i < 5; i++)
        fb_score_acc_add(&a, 10), fb_score_acc_add(&b, 0);
    /* a: 2 detractors, 3 passives, 5 promoters; b the other way round. */
    assert_fb_ok(fb_net_compare_accs(&a, &b, 7, 9, NULL, &got), NULL);
    assert_fb_ok(fb_nps_compare(ca, cb, 0.95, &want), NULL);
    assert_close(got.diff, want.diff, 0, "net diff");
    assert_close(got.p_value, want.p_value, 0, "net p");
    assert_fb_ok(fb_share_compare_accs(&a, &b, 9, NULL, &got), NULL);
    assert_fb_ok(fb_share_compare(5, 10, 2, 10, 0.95, &want), NULL);
    assert_close(got.lo, want.lo, 0, "share lo");
    assert_close(got.p_value, want.p_value, 0, "share p");
    assert_fb_ok(fb_mean_compare_accs(&a, &b, NULL, &got), NULL);
    assert_close(got.diff, (8 + 24 + 50) / 10.0 - (18 + 21) / 10.0, 1e-14, "mean diff");
    assert_fb_status(fb_mean_compare_accs(&a, NULL, NULL, &got), FB_ERR_INVALID_ARG, NULL);
}

static void test_response_rate(void **state)
{
    fb_estimate r, want;
    (void)state;
    assert_fb_ok(fb_response_rate(30, 70, 0.9, &r), NULL);
    assert_fb_ok(fb_share_estimate(30, 100, 0.9, &want), NULL);
    assert_int_equal(r.n, 100);
    assert_close(r.value, 0.3, 1e-15, "rate");
    assert_close(r.lo, want.lo, 0, "rate lo");
    assert_fb_status(fb_response_rate(UINT64_MAX, 1, 0.9, &r), FB_ERR_INVALID_ARG, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scores_fall_in_their_bins),
        cmocka_unit_test(test_answers_and_arrays),
        cmocka_unit_test(test_moments_match_direct_computation),
        cmocka_unit_test(test_moments_of_few),
        cmocka_unit_test(test_merge_is_exact),
        cmocka_unit_test(test_nps_worked_example),
        cmocka_unit_test(test_nps_buckets_of_fractional_scores),
        cmocka_unit_test(test_csat_and_its_cut_points),
        cmocka_unit_test(test_ces_scales),
        cmocka_unit_test(test_cli_is_the_mean_of_item_means),
        cmocka_unit_test(test_gcr_and_ratings),
        cmocka_unit_test(test_comparisons_use_the_counts),
        cmocka_unit_test(test_response_rate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
