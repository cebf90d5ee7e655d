/*
 * libfeedback: summaries. Records grouped by any combination of dimensions
 * (channel, source, customer status, country, agent, product, tag, an
 * attribute's value) and by period (day, ISO week, month, quarter, year at a
 * fixed UTC offset), each group holding the accumulators of every built-in
 * metric (metrics.h), so that every result comes with its n and interval.
 * On top: the trend of each group over the periods with the changes that are
 * significant, a leaderboard ranked by lower confidence bounds, the terms of
 * the comments with their lift among detractors, and the correlations of the
 * metrics answered in the same response.
 *
 * Summaries merge exactly: the merge of the summaries of shards (files,
 * byte ranges of a log, workers) equals the summary of all their records.
 * Records come one at a time (fb_summary_add) or as columns
 * (fb_summary_add_batch, the fast path, e.g. from fb_log_reader_next_batch);
 * fb_summary_add_path (summary_io.h) reads CSV, JSON Lines or a log.
 *
 * Only records the caller includes count in the metrics: the caller's
 * relevance verdict comes as a per-record include flag, and a record left
 * out is still counted, as excluded, in its group, never silently lost.
 *
 * Custom answers (FB_METRIC_CUSTOM) are not summarised: each has its own
 * question and scale. Updates (FB_KIND_UPDATE) are counted, not measured.
 *
 * A summary is an object for one thread at a time.
 */
#ifndef FEEDBACK_SUMMARY_H
#define FEEDBACK_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alloc.h"
#include "common.h"
#include "metrics.h"
#include "record.h"
#include "record_batch.h"
#include "stats.h"
#include "status.h"
#include "timestamp.h"

FB_BEGIN_DECLS

/* Dimensions to group by: bits of fb_summary_options.dims. */
#define FB_DIM_CHANNEL 0x01u
#define FB_DIM_SOURCE 0x02u
#define FB_DIM_CUSTOMER_STATUS 0x04u
#define FB_DIM_COUNTRY 0x08u
#define FB_DIM_AGENT 0x10u
#define FB_DIM_PRODUCT 0x20u
#define FB_DIM_TAG 0x40u  /* a record with several tags counts in each; one without, in tag "" */
#define FB_DIM_ATTR 0x80u /* the value of the attribute named attr_key ("" when absent) */
#define FB_DIM_ALL 0xFFu

/* The period of a group, from its records' created_at. */
typedef enum fb_period {
    FB_PERIOD_NONE = 0,  /* no periods: one group per combination of dimensions */
    FB_PERIOD_DAY = 1,
    FB_PERIOD_WEEK = 2,  /* ISO 8601 weeks, Monday to Sunday */
    FB_PERIOD_MONTH = 3,
    FB_PERIOD_QUARTER = 4,
    FB_PERIOD_YEAR = 5
} fb_period;

/* The name of a dimension bit ("channel", ..., "attribute"), or NULL. */
FB_API const char *fb_dim_name(unsigned dim);

/* The name of a period ("none", "day", "week", "month", "quarter", "year"), or NULL. */
FB_API const char *fb_period_name(fb_period p);

/*
 * Parses a comma-separated list of dimension names ("channel,agent"; case and
 * spaces ignored) into dim bits. Errors: FB_ERR_UNKNOWN_NAME naming the
 * word, with the nearest name; FB_ERR_DUPLICATE.
 */
FB_API fb_status fb_dims_parse(const char *s, unsigned *dims, fb_error *err);

/* Parses a period name. Errors: FB_ERR_UNKNOWN_NAME (with the nearest name). */
FB_API fb_status fb_period_parse(const char *s, fb_period *p, fb_error *err);

typedef struct fb_summary_options {
    unsigned dims;              /* FB_DIM_* bits; 0: one group (per period) */
    const char *attr_key;       /* with FB_DIM_ATTR: the attribute's key (copied) */
    fb_period period;
    int utc_offset_minutes;     /* periods start at midnight of UTC + this, -1080..1080 */
    fb_metric_options metrics;  /* cut points, level, priors of the results */
    bool correlations;          /* keep the pairs of metrics answered together */
    bool terms;                 /* count the terms of the comments */
} fb_summary_options;

/* No dimensions, no period, UTC, the default metric options, no correlations, no terms. */
FB_API void fb_summary_options_init(fb_summary_options *o);

/* The metrics a group holds: every built-in one. */
#define FB_SUMMARY_METRICS FB_METRIC_CUSTOM

/*
 * A group: its key, its counts, an accumulator per built-in metric. Strings
 * of the key belong to the summary (valid until it is freed); the fields of
 * dimensions not grouped by hold their defaults.
 */
typedef struct fb_summary_group {
    fb_channel channel;
    fb_source source;
    fb_customer_status customer_status;
    char country[3];
    fb_str agent;
    fb_str product;
    fb_str tag;
    fb_str attr;
    fb_time period_start;   /* [start, end) in UTC ms; FB_TIME_UNKNOWN without periods */
    fb_time period_end;
    uint64_t records;       /* records counted: included */
    uint64_t excluded;      /* records the caller left out: in no metric */
    uint64_t responses;     /* of the counted records, by kind */
    uint64_t invitations;
    uint64_t updates;
    uint64_t solicited;     /* responses with source direct: a response rate's numerator */
    fb_score_acc metric[FB_SUMMARY_METRICS]; /* by fb_metric */
} fb_summary_group;

typedef struct fb_summary fb_summary;

/*
 * A new, empty summary. alloc: NULL for the C library's. Errors:
 * FB_ERR_INVALID_ARG (with a message: unknown dims, FB_DIM_ATTR without an
 * attr_key, an offset out of range, bad metric options), FB_ERR_NOMEM.
 */
FB_API fb_status fb_summary_new(fb_summary **out, const fb_summary_options *o,
                                const fb_allocator *alloc, fb_error *err);

/*
 * Frees s, its groups and their strings. The arrays of fb_summary_changes,
 * _leaderboard, _terms and _correlations are the caller's: free them with
 * fb_summary_free_array before. NULL is a no-op.
 */
FB_API void fb_summary_free(fb_summary *s);

/*
 * Adds a record (valid: fb_record_validate; the summary checks only what it
 * relies on). include false counts it as excluded. Errors:
 * FB_ERR_INVALID_ARG; FB_ERR_NOMEM, after which the record may be counted in
 * some of its groups (or terms) and not in others: the summary stays usable
 * and freeable, but is no longer exact.
 */
FB_API fb_status fb_summary_add(fb_summary *s, const fb_record *r, bool include, fb_error *err);

/*
 * Adds the n records of a batch; include[i] says whether record i counts
 * (NULL: all). The batch must carry created_at and the columns of the
 * summary's dimensions (channel, customer, service, tags or attributes as
 * grouped), kind, and answers; terms need the text. Columns it needs that are
 * NULL: FB_ERR_MISSING naming the field. Errors also: FB_ERR_NOMEM (records
 * before the one that failed are counted, err says which).
 */
FB_API fb_status fb_summary_add_batch(fb_summary *s, const fb_record_batch *b,
                                      const bool *include, fb_error *err);

/*
 * Adds every group of src into dst (the same options, or FB_ERR_INVALID_ARG).
 * Errors: FB_ERR_NOMEM (dst may then hold part of src).
 */
FB_API fb_status fb_summary_merge(fb_summary *dst, const fb_summary *src, fb_error *err);

/*
 * Adds the groups of src into the coarser groups of dst: dst groups by some
 * of src's dimensions and by its period or none (and keeps terms or
 * correlations only if src does). So a summary by channel and month gives
 * the one by channel alone, exactly, without reading the records again.
 * src grouped by tag rolls up only into groups by tag (a record with two
 * tags would count twice). Errors: FB_ERR_INVALID_ARG, FB_ERR_NOMEM.
 */
FB_API fb_status fb_summary_rollup(fb_summary *dst, const fb_summary *src, fb_error *err);

/* The options s was made with (attr_key pointing at the summary's copy). */
FB_API const fb_summary_options *fb_summary_options_of(const fb_summary *s);

/* Groups so far. */
FB_API size_t fb_summary_count(const fb_summary *s);

/*
 * Group i (< fb_summary_count) in key order: the dimensions in the order of
 * their bits (enums by value, strings by bytes, "" first), then the period.
 * So a group's periods follow one another. Valid until the next add or merge.
 */
FB_API const fb_summary_group *fb_summary_group_at(fb_summary *s, size_t i);

/* Every counted record once, whatever the groups (a record in two tag groups counts once). */
FB_API const fb_summary_group *fb_summary_total(fb_summary *s);

/* ------------------------------------------------------------------ */
/* Headline values                                                     */
/* ------------------------------------------------------------------ */

/*
 * The headline estimate of metric m in group g: NPS points; CSAT's top-box
 * share; CES as the options' ces_headline says; GCR's completed share; the
 * mean of ratings and CLI items. Errors: FB_ERR_INVALID_ARG (m custom or unknown).
 */
FB_API fb_status fb_summary_headline(const fb_summary *s, const fb_summary_group *g,
                                     fb_metric m, fb_estimate *out);

/* What a headline is measured in. */
typedef enum fb_headline_unit {
    FB_UNIT_POINTS = 0,  /* a net score, -100..100 (NPS, CES net) */
    FB_UNIT_SHARE = 1,   /* a share, 0..1 (CSAT top boxes, GCR, CES agreement) */
    FB_UNIT_SCORE = 2    /* a mean on the metric's scale (ratings, CLI items, CES mean) */
} fb_headline_unit;

/* The unit of metric m's headline under s's options. Errors: FB_ERR_INVALID_ARG (m custom). */
FB_API fb_status fb_summary_headline_unit(const fb_summary *s, fb_metric m,
                                          fb_headline_unit *out);

/* Group a against group b on metric m's headline: the test that suits it (metrics.h). */
FB_API fb_status fb_summary_compare(const fb_summary *s, const fb_summary_group *a,
                                    const fb_summary_group *b, fb_metric m,
                                    fb_comparison *out);

/* ------------------------------------------------------------------ */
/* Trends and changes                                                  */
/* ------------------------------------------------------------------ */

typedef enum fb_change_kind {
    FB_CHANGE_PREVIOUS = 1,  /* differs from the series' previous period (two-period test) */
    FB_CHANGE_LIMITS = 2     /* leaves the control limits of the trailing baseline */
} fb_change_kind;

typedef struct fb_change_options {
    double alpha;               /* significance: 0.05 */
    double min_effect;          /* smallest change worth a flag, in the headline's unit
                                   (points for NPS, shares 0..1, scores for means): 0 */
    unsigned baseline_periods;  /* periods before the one judged that make its baseline: 6 */
    unsigned min_baseline;      /* of those, how many must have answers: 3 */
    uint64_t min_n;             /* answers a period needs to be judged or compared with: 1 */
} fb_change_options;

FB_API void fb_change_options_init(fb_change_options *o);

/* A period whose headline value changed. */
typedef struct fb_change {
    size_t group;           /* the period flagged: index for fb_summary_group_at */
    size_t compared;        /* FB_CHANGE_PREVIOUS: the previous period's index; else SIZE_MAX */
    fb_metric metric;
    fb_change_kind kind;
    int direction;          /* +1 up, -1 down */
    double value;           /* the period's headline value */
    double baseline;        /* the previous period's value, or the baseline's pooled value */
    double size;            /* value - baseline */
    double lo, hi;          /* FB_CHANGE_PREVIOUS: interval of the difference; LIMITS: the limits */
    double p_value;
} fb_change;

/*
 * The changes of metric m over every series of s (the groups that differ
 * only in their period), in group order. *out is allocated through the
 * summary's allocator; free it with fb_summary_free_array. *tests (when not
 * NULL) gets how many tests were made, so that a report can say how many
 * flags chance alone would raise (about alpha times that). A summary without
 * periods has none. Errors: FB_ERR_INVALID_ARG, FB_ERR_NOMEM.
 */
FB_API fb_status fb_summary_changes(fb_summary *s, fb_metric m, const fb_change_options *o,
                                    fb_change **out, size_t *n, size_t *tests, fb_error *err);

/* ------------------------------------------------------------------ */
/* Leaderboard                                                         */
/* ------------------------------------------------------------------ */

typedef struct fb_leader {
    size_t group;        /* index for fb_summary_group_at */
    fb_estimate value;   /* the headline estimate */
    double bound;        /* what ranks it: the interval's lower end (ratings: Evan Miller's) */
} fb_leader;

/*
 * The groups with at least min_n answers to metric m, best first by the lower
 * bound of their headline (not by the raw value, which favours small
 * groups); ties by larger n, then by group order. Groups whose key has an
 * empty string (records without an agent, a product, ...) are not ranked:
 * they are no agent or product. *out as for changes.
 */
FB_API fb_status fb_summary_leaderboard(fb_summary *s, fb_metric m, uint64_t min_n,
                                        fb_leader **out, size_t *n, fb_error *err);

/* ------------------------------------------------------------------ */
/* Comment terms                                                       */
/* ------------------------------------------------------------------ */

/* A term of a group's comments (text.h folds and splits them, without stop words). */
typedef struct fb_term_stat {
    fb_str term;             /* folded; belongs to the summary */
    uint64_t comments;       /* the group's comments that contain it */
    uint64_t detractors;     /* of those, by the record's NPS answer */
    uint64_t promoters;
    double lift;             /* its share among detractor comments over its share among promoter
                                comments, each smoothed by +0.5 (NaN without both kinds) */
} fb_term_stat;

/*
 * The max most frequent terms of group g (NULL: the total), most comments
 * first, ties by bytes; with by_lift, the terms in at least min_comments
 * comments ranked by lift instead. Needs options.terms. *out as for changes.
 */
FB_API fb_status fb_summary_terms(fb_summary *s, const fb_summary_group *g, size_t max,
                                  bool by_lift, uint64_t min_comments, fb_term_stat **out,
                                  size_t *n, fb_error *err);

/* ------------------------------------------------------------------ */
/* Correlations                                                        */
/* ------------------------------------------------------------------ */

typedef struct fb_correlation {
    fb_metric a, b;       /* a < b */
    fb_estimate r;        /* Pearson's r over the responses that answered both, Fisher interval */
} fb_correlation;

/*
 * The correlations of every pair of built-in metrics answered together in
 * group g (NULL: the total), pairs with n >= 2 only. Needs
 * options.correlations. *out as for changes.
 */
FB_API fb_status fb_summary_correlations(fb_summary *s, const fb_summary_group *g,
                                         fb_correlation **out, size_t *n, fb_error *err);

/* Frees an array handed out by fb_summary_changes, _leaderboard, _terms, _correlations. */
FB_API void fb_summary_free_array(fb_summary *s, void *array);

FB_END_DECLS

#endif /* FEEDBACK_SUMMARY_H */
