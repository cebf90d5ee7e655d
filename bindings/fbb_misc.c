/* Errors, metrics of plain arrays of scores, enumeration names, times. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbb.h"

fb_status fbb_fail(fb_error *err, fb_status code, const char *fmt, ...)
{
    va_list ap;

    if (!err)
        return code;
    fb_error_clear(err);
    err->code = code;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return code;
}

/* ---------------------------------------------------------------- metrics of scores */

/* Adds scores to a: NaN is a skipped answer; one outside [lo, hi] is FB_ERR_RANGE. */
static fb_status accumulate(fb_metric m, const double *scores, size_t n, fb_score_acc *a,
                            fb_error *err)
{
    double lo, hi;
    size_t i;

    (void)fb_metric_scale(m, &lo, &hi);
    fb_score_acc_init(a, lo);
    for (i = 0; i < n; i++) {
        fb_answer ans;
        if (!isnan(scores[i]) && !(scores[i] >= lo && scores[i] <= hi))
            return fbb_fail(err, FB_ERR_RANGE, "scores[%zu]: %g is outside the %s scale %g..%g",
                            i, scores[i], fb_metric_name(m), lo, hi);
        memset(&ans, 0, sizeof ans);
        ans.metric = m;
        ans.skipped = isnan(scores[i]);
        ans.score = ans.skipped ? 0 : scores[i];
        fb_score_acc_add_answer(a, &ans);
    }
    return FB_OK;
}

static fb_status options(double level, fb_metric_options *o, fb_error *err)
{
    fb_metric_options_init(o);
    if (level == 0)
        return FB_OK;
    if (!(level > 0 && level < 1))
        return fbb_fail(err, FB_ERR_RANGE, "level: %g is not a confidence level between 0 and 1",
                        level);
    o->level = level;
    return FB_OK;
}

/* The result of a metric that needs nothing but the level. */
#define SCORES_RESULT(name, metric, type)                                                  \
    fb_status fbb_##name(const double *scores, size_t n, double level, type *out,          \
                         fb_error *err)                                                    \
    {                                                                                      \
        fb_metric_options o;                                                               \
        fb_score_acc a;                                                                    \
        FBB_TRY(options(level, &o, err));                                                  \
        FBB_TRY(accumulate(metric, scores, n, &a, err));                                   \
        return fb_##name##_result_of(&a, &o, out);                                         \
    }

SCORES_RESULT(nps, FB_METRIC_NPS, fb_nps_result)
SCORES_RESULT(csat, FB_METRIC_CSAT, fb_csat_result)
SCORES_RESULT(gcr, FB_METRIC_GCR, fb_gcr_result)

fb_status fbb_ces(const double *scores, size_t n, double level, bool legacy, fb_ces_result *out,
                  fb_error *err)
{
    fb_metric_options o;
    fb_score_acc a;

    FBB_TRY(options(level, &o, err));
    if (legacy)
        fb_metric_options_ces_legacy(&o);
    FBB_TRY(accumulate(FB_METRIC_CES, scores, n, &a, err));
    return fb_ces_result_of(&a, &o, out);
}

fb_status fbb_rating(const double *scores, size_t n, double level, double prior_weight,
                     double prior_mean, fb_rating_result *out, fb_error *err)
{
    fb_metric_options o;
    fb_score_acc a;

    FBB_TRY(options(level, &o, err));
    o.rating_prior_weight = prior_weight;
    o.rating_prior_mean = prior_mean;
    FBB_TRY(accumulate(FB_METRIC_RATING, scores, n, &a, err));
    return fb_rating_result_of(&a, &o, out);
}

/* ---------------------------------------------------------------- names */

/* The enumeration whose field is field ("channel", ...), or -1. */
static int enum_of(const char *field)
{
    int e;

    for (e = 0; fb_enum_field((fb_enum)e); e++)
        if (strcmp(fb_enum_field((fb_enum)e), field) == 0)
            return e;
    return -1;
}

int fbb_enum_value(const char *field, const char *name, fb_error *err)
{
    int e = enum_of(field), v = 0;

    if (e < 0) {
        fbb_fail(err, FB_ERR_INVALID_ARG, "no enumeration '%.60s'", field);
        return -1;
    }
    if (fb_enum_parse((fb_enum)e, name, strlen(name), &v, err) != FB_OK)
        return -1;
    return v;
}

const char *fbb_enum_name(const char *field, int v)
{
    int e = enum_of(field);
    return e < 0 ? NULL : fb_enum_name((fb_enum)e, v);
}

int fbb_enum_count(const char *field)
{
    int e = enum_of(field);
    return e < 0 ? 0 : fb_enum_count((fb_enum)e);
}

const char *fbb_reason_name(int r) { return fb_reason_name((fb_reason)r); }
int fbb_reason_count(void) { return FB_REASON_COUNT; }

/* ---------------------------------------------------------------- times */

fb_time fbb_time_parse(const char *s, fb_error *err)
{
    fb_time t = FB_TIME_UNKNOWN;

    (void)fb_time_parse(s, strlen(s), &t, err);
    return t;
}

char *fbb_time_format(fb_time t)
{
    char *buf;

    if (t == FB_TIME_UNKNOWN)
        return NULL;
    buf = malloc(FB_TIME_STRING_MAX);
    if (buf)
        fb_time_format(t, buf, FB_TIME_STRING_MAX);
    return buf;
}
