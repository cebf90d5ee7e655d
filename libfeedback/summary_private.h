/*
 * The insides of fb_summary, shared by summary.c (groups, adding,
 * merging), summary_period.c (periods), summary_terms.c (comment terms) and
 * summary_analysis.c (headlines, changes, leaderboards, correlations).
 */
#ifndef FB_SUMMARY_PRIVATE_H
#define FB_SUMMARY_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include "dict.h"
#include "feedback/summary.h"

/* A group's key: what fb_summary_group shows, with its strings as dictionary entries. */
typedef struct fb__key {
    fb_time period_start;
    uint32_t agent, product, tag, attr; /* entry + 1 in the summary's strings; 0: "" */
    uint8_t channel, source, status;
    char country[2];
} fb__key;

/* Pairs of built-in metrics (a < b) whose correlation a group keeps. */
#define FB__PAIRS (FB_SUMMARY_METRICS * (FB_SUMMARY_METRICS - 1) / 2)

typedef struct fb__pair_sums {
    double n, sx, sy, sxx, syy, sxy;
} fb__pair_sums;

/* A term's counts in one group; slots of an open-addressing table by term. */
typedef struct fb__term_count {
    uint32_t term1;        /* entry + 1 in the summary's terms; 0: an empty slot */
    uint64_t comments, detractors, promoters;
    uint64_t last;         /* the comment that counted it last, so a comment counts once */
} fb__term_count;

typedef struct fb__term_table {
    fb__term_count *slots;
    size_t cap, count;     /* cap a power of two, or 0 */
    uint64_t comments;     /* the group's comments counted, and of those, by the NPS answer: */
    uint64_t detractors, promoters;
} fb__term_table;

typedef struct fb__group {
    fb_summary_group pub;
    fb__key key;
    fb__pair_sums *pairs;  /* FB__PAIRS of them, with options.correlations */
    fb__term_table terms;  /* with options.terms */
} fb__group;

/* What one record brings to a group: the fields the summary measures. */
typedef struct fb__view {
    fb_record_kind kind;
    fb_source source;
    const fb_answer *answers;
    size_t n_answers;
    fb_str text;
} fb__view;

/*
 * The group last used for a combination of enumeration values and a period:
 * most records of a batch find their group here, without hashing a key.
 */
typedef struct fb__recent {
    fb_time period_start;
    uint32_t enums;   /* channel | source << 8 | status << 16, as grouped */
    uint32_t group1;  /* group + 1; 0: an empty slot */
} fb__recent;

#define FB__RECENT_BITS 9

struct fb_summary {
    const fb_allocator *alloc;
    fb_summary_options opt;
    char *attr_key;
    size_t attr_key_len;
    double min[FB_SUMMARY_METRICS];  /* each metric's scale min */

    fb__group *groups;
    size_t n_groups, cap_groups;
    uint32_t *index;                 /* hash of the keys: group + 1; 0 empty */
    size_t index_cap;                /* a power of two */
    size_t *order;                   /* groups by key, when sorted */
    bool sorted;

    fb__dict strings;                /* agents, products, tags, attribute values */
    fb__dict terms;                  /* folded comment terms */
    uint64_t comments;               /* comments counted so far: each term's "last" */

    /* The total: kept apart when a record can be in several groups (tags), else merged on demand. */
    bool total_apart;
    fb__group total;
    bool total_stale;

    fb__recent *recent;              /* 1 << FB__RECENT_BITS slots, when dims are enumerations only */

    /* The period of the last record, to skip the date arithmetic for the next. */
    fb_time period_from, period_to;
};

/* [*start, *end) of the period of t (UTC ms) for s's options; FB_TIME_UNKNOWN both without periods. */
void fb__summary_period(const fb_summary *s, fb_time t, fb_time *start, fb_time *end);

/* Counts the terms of one included comment of a record into group g; its NPS class by nps. */
int fb__terms_count(fb_summary *s, fb__group *g, fb_str text, int nps_class);

/* Adds the terms of group src (of summary from) into group dst of s. 0 or -1 (no memory). */
int fb__terms_merge(fb_summary *s, fb__group *dst, const fb_summary *from, const fb__group *src);

void fb__terms_free(const fb_allocator *alloc, fb__term_table *t);

/* The group of fb_summary_group_at, the one total, as the internal struct. */
fb__group *fb__summary_group_of(fb_summary *s, const fb_summary_group *g);

/* Brings the total up to date (merged from the groups when it is not kept apart). 0 or -1. */
int fb__summary_total(fb_summary *s);

#endif
