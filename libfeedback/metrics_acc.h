/*
 * The hot path of fb_score_acc_add, inline for the summaries' inner loops;
 * the public function is this one.
 */
#ifndef FB_METRICS_ACC_H
#define FB_METRICS_ACC_H

#include <math.h>

#include "feedback/metrics.h"

/* The slow path: a score that is not whole, or past the bins, or none (NaN). */
void fb__score_acc_add_rare(fb_score_acc *a, double x);

/* Adds score x - a->min, x already relative to the scale's min. */
static inline void fb__score_acc_add_rel(fb_score_acc *a, double x)
{
    /* Whole and within the bins: the comparisons fail for NaN, so it takes the slow path. */
    if (x >= 0 && x <= FB_SCORE_BINS - 1) {
        int k = (int)x;
        if ((double)k == x) {
            a->whole[k]++;
            return;
        }
    }
    fb__score_acc_add_rare(a, x);
}

#endif
