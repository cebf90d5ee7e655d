/* fb_score_acc: counts of whole scores, counts and sums of the others. */
#include <math.h>
#include <string.h>

#include "feedback/metrics.h"
#include "metrics_acc.h"

void fb_score_acc_init(fb_score_acc *a, double min)
{
    if (!a)
        return;
    memset(a, 0, sizeof *a);
    a->min = min;
}

void fb__score_acc_add_rare(fb_score_acc *a, double x)
{
    if (isnan(x)) {
        a->skipped++;
    } else if (x > 0 && x < FB_SCORE_BINS - 1) {
        a->between[(int)x]++; /* strictly between floor(x) and floor(x) + 1 */
        a->frac_sum += x;
        a->frac_sum2 += x * x;
    } else {
        a->other++;
        a->other_sum += x;
        a->other_sum2 += x * x;
    }
}

void fb_score_acc_add(fb_score_acc *a, double score)
{
    if (a)
        fb__score_acc_add_rel(a, score - a->min);
}

void fb_score_acc_add_scores(fb_score_acc *a, const double *scores, size_t n)
{
    size_t i;

    if (!a || !scores)
        return;
    for (i = 0; i < n; i++)
        fb__score_acc_add_rel(a, scores[i] - a->min);
}

void fb_score_acc_add_answer(fb_score_acc *a, const fb_answer *answer)
{
    if (!a || !answer)
        return;
    if (answer->skipped)
        a->skipped++;
    else
        fb__score_acc_add_rel(a, answer->score - a->min);
}

fb_status fb_score_acc_merge(fb_score_acc *dst, const fb_score_acc *src)
{
    int k;

    if (!dst || !src || !(dst->min == src->min))
        return FB_ERR_INVALID_ARG;
    dst->skipped += src->skipped;
    for (k = 0; k < FB_SCORE_BINS; k++)
        dst->whole[k] += src->whole[k];
    for (k = 0; k < FB_SCORE_BINS - 1; k++)
        dst->between[k] += src->between[k];
    dst->other += src->other;
    dst->frac_sum += src->frac_sum;
    dst->frac_sum2 += src->frac_sum2;
    dst->other_sum += src->other_sum;
    dst->other_sum2 += src->other_sum2;
    return FB_OK;
}

/* Scores in the bins: whole ones and those between two whole ones. */
static uint64_t binned(const fb_score_acc *a)
{
    uint64_t n = 0;
    int k;

    for (k = 0; k < FB_SCORE_BINS; k++)
        n += a->whole[k];
    for (k = 0; k < FB_SCORE_BINS - 1; k++)
        n += a->between[k];
    return n;
}

uint64_t fb_score_acc_count(const fb_score_acc *a) { return a ? binned(a) + a->other : 0; }

/*
 * The bins below the whole-number cut, as a bin index: bins k < cut_k lie
 * below it (between[k] spans (k, k + 1), below the cut when k + 1 <= cut).
 */
static int cut_index(const fb_score_acc *a, double cut)
{
    double c = ceil(cut - a->min); /* a cut that is not whole counts from the next whole score */
    if (!(c > 0))
        return 0;
    return c > FB_SCORE_BINS ? FB_SCORE_BINS : (int)c;
}

uint64_t fb_score_acc_below(const fb_score_acc *a, double cut)
{
    uint64_t n = 0;
    int k, c;

    if (!a)
        return 0;
    c = cut_index(a, cut);
    for (k = 0; k < c; k++)
        n += a->whole[k] + (k < FB_SCORE_BINS - 1 ? a->between[k] : 0);
    return n;
}

uint64_t fb_score_acc_at_least(const fb_score_acc *a, double cut)
{
    return a ? binned(a) - fb_score_acc_below(a, cut) : 0;
}

void fb_score_acc_moments(const fb_score_acc *a, uint64_t *n_out, double *mean_out,
                          double *variance_out)
{
    uint64_t n = 0, nb = 0;
    double s1 = 0, m, ss = 0;
    int k;

    if (a) {
        for (k = 0; k < FB_SCORE_BINS; k++)
            s1 += (double)k * (double)a->whole[k];
        for (k = 0; k < FB_SCORE_BINS - 1; k++)
            nb += a->between[k];
        n = fb_score_acc_count(a);
    }
    if (n_out)
        *n_out = n;
    if (n == 0) {
        if (mean_out)
            *mean_out = NAN;
        if (variance_out)
            *variance_out = NAN;
        return;
    }
    s1 += a->frac_sum + a->other_sum;
    m = s1 / (double)n;
    /* Squares about the mean: exact per bin for the whole scores; from the sums for the rest. */
    for (k = 0; k < FB_SCORE_BINS; k++)
        ss += (double)a->whole[k] * ((double)k - m) * ((double)k - m);
    ss += a->frac_sum2 - 2 * m * a->frac_sum + (double)nb * m * m;
    ss += a->other_sum2 - 2 * m * a->other_sum + (double)a->other * m * m;
    if (mean_out)
        *mean_out = a->min + m;
    if (variance_out)
        *variance_out = n < 2 ? NAN : (ss > 0 ? ss : 0) / (double)(n - 1);
}

fb_status fb_score_acc_mean(const fb_score_acc *a, double level, fb_estimate *out)
{
    uint64_t n;
    double mean, variance;

    if (!a || !out)
        return FB_ERR_INVALID_ARG;
    fb_score_acc_moments(a, &n, &mean, &variance);
    return fb_mean_estimate(n, n ? mean : 0, n > 1 ? variance : 0, level, out);
}
