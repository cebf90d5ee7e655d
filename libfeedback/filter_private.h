/*
 * The insides of fb_filter_chain, shared by filter.c (the chain),
 * filter_rules.c (customers, recency, alert rules), filter_window.c
 * (duplicates and bursts), filter_hearsay.c and filter_explain.c.
 */
#ifndef FB_FILTER_PRIVATE_H
#define FB_FILTER_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include "feedback/filter.h"

/* What the filters found in one record, before the chain's actions apply. */
typedef struct fb__found {
    uint32_t reasons;            /* bits 1u << fb_reason */
    double abuse_score;          /* NaN: not judged */
    uint64_t duplicate_of;
} fb__found;

/* ---------------------------------------------------------------- rules */

/* The customer reasons of r under p (bits). */
uint32_t fb__customer_reasons(const fb_customer_policy *p, const fb_record *r);

/* The recency reasons of r under p (bits). */
uint32_t fb__recency_reasons(const fb_recency_policy *p, const fb_record *r);

/* Whether r has an answer that makes it negative feedback (NPS < 7, CSAT or rating < 3, CES < 4). */
bool fb__is_negative(const fb_record *r);

/* ---------------------------------------------------------------- windows */

typedef struct fb__duplicates fb__duplicates;
typedef struct fb__bursts fb__bursts;

fb__duplicates *fb__duplicates_new(const fb_allocator *alloc, const fb_duplicate_policy *p);
void fb__duplicates_free(fb__duplicates *d);

/*
 * Whether r, with its text as given (empty when it is not UTF-8), repeats
 * the text of another customer's record within the window (then *first_id
 * is the id of the first record with it); remembers r's text. 0 no, 1 yes,
 * -1 out of memory.
 */
int fb__duplicates_check(fb__duplicates *d, const fb_record *r, fb_str text, uint64_t *first_id);

fb__bursts *fb__bursts_new(const fb_allocator *alloc, const fb_burst_policy *p);
void fb__bursts_free(fb__bursts *b);

/* Whether r is negative unverified feedback in a burst on its channel (and counts it). */
bool fb__bursts_check(fb__bursts *b, const fb_record *r);

/* ---------------------------------------------------------------- hearsay */

/* The most terms a hearsay phrase may have. */
#define FB__HEARSAY_MAX_TERMS 6

/*
 * Finds the built-in hearsay phrases in text[0..len), calling add(ctx,
 * offset, length) once for each run of overlapping phrases (bytes of text).
 * Returns how many runs, or -1 when add failed.
 */
int fb__hearsay_find(const char *text, size_t len,
                     int (*add)(void *ctx, size_t offset, size_t length), void *ctx);

#endif
