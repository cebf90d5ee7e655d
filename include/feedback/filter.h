/*
 * libfeedback: relevance filters. Feedback is worth acting on when it comes
 * from real customers, about a recent experience, argued in good faith. A
 * chain of filters judges each record: keep it, flag it or drop it, and says
 * why, with a reason code per filter that fired and, for text, the bytes of
 * the text that made it fire. Nothing is lost: the chain counts every
 * reason, and a dropped record is the caller's to keep elsewhere (the
 * `feedback filter` tool writes dropped records, with their reasons, to a
 * file of their own).
 *
 * Filters, in the order they are added:
 *  - customer: which customer statuses count, and whether the verified flag
 *    is needed;
 *  - recency: the experience recent enough, the feedback soon enough after it;
 *  - abuse: obscenity, insults, threats, shouting (text.h's detector);
 *  - duplicates: the same text from another customer within a window;
 *  - bursts: negative feedback from unverified or non-customers far above its
 *    trailing baseline (bought reviews);
 *  - hearsay: not first-hand ("I heard that", "мне сказали").
 * Each filter's action on a match (flag or drop) is an option of the chain,
 * per reason. Alerts are rules evaluated on every judged record, calling the
 * host back (a detractor, an abusive text, a non-customer).
 *
 * Duplicates and bursts keep state across records: feed records in the order
 * of their created_at (a record much older than the ones before it is judged
 * against the window as it stands). A chain is an object for one thread at a
 * time; its built-in phrase lists and lexicons are shared read-only.
 */
#ifndef FEEDBACK_FILTER_H
#define FEEDBACK_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alloc.h"
#include "common.h"
#include "record.h"
#include "status.h"
#include "text.h"
#include "timestamp.h"

FB_BEGIN_DECLS

/* What a filter does with a record it matches. */
typedef enum fb_action {
    FB_ACTION_KEEP = 0,  /* nothing: the reason is counted, the record kept */
    FB_ACTION_FLAG = 1,  /* kept, marked for a person to look at */
    FB_ACTION_DROP = 2   /* set aside: not relevant */
} fb_action;

/* Why: one code per thing a filter finds. The names are stable (files, options). */
typedef enum fb_reason {
    FB_REASON_NON_CUSTOMER = 0,      /* "non_customer": a status the policy does not count */
    FB_REASON_CHURNED = 1,           /* "churned": churned, and not a win-back target */
    FB_REASON_UNKNOWN_CUSTOMER = 2,  /* "unknown_customer": the status is not known */
    FB_REASON_UNVERIFIED = 3,        /* "unverified": the policy needs the verified flag */
    FB_REASON_STALE = 4,             /* "stale": the experience is older than the limit */
    FB_REASON_LATE = 5,              /* "late": the feedback came too long after the experience */
    FB_REASON_NO_INTERACTION = 6,    /* "no_interaction_time": recency cannot be judged */
    FB_REASON_ABUSIVE = 7,           /* "abusive": obscenity, insults, threats */
    FB_REASON_SHOUTING = 8,          /* "shouting": capitals and !!! without abuse */
    FB_REASON_DUPLICATE = 9,         /* "duplicate": the same text from another customer */
    FB_REASON_BURST = 10,            /* "burst": part of a burst of negative unverified feedback */
    FB_REASON_HEARSAY = 11           /* "hearsay": not first-hand */
} fb_reason;
#define FB_REASON_COUNT 12

/* The name of a reason ("non_customer", ...), or NULL. */
FB_API const char *fb_reason_name(fb_reason r);

/* The name of an action ("keep", "flag", "drop"), or NULL. */
FB_API const char *fb_action_name(fb_action a);

/*
 * Parses a comma-separated list of reason names ("abusive,stale") into bits
 * 1u << fb_reason. Errors: FB_ERR_UNKNOWN_NAME (with the nearest name).
 */
FB_API fb_status fb_reasons_parse(const char *s, uint32_t *reasons, fb_error *err);

/* ------------------------------------------------------------------ */
/* Verdicts                                                            */
/* ------------------------------------------------------------------ */

/* A part of the record's text that made a reason: an abusive word, a hearsay phrase. */
typedef struct fb_verdict_span {
    size_t offset;        /* bytes of the record's text */
    size_t length;
    fb_reason reason;
    unsigned category;    /* for FB_REASON_ABUSIVE and _SHOUTING: the FB_ABUSE_* bit */
} fb_verdict_span;

/*
 * What the chain made of a record. Spans belong to the chain, valid until
 * its next evaluation.
 */
typedef struct fb_verdict {
    fb_action action;              /* the strongest action of the reasons found */
    uint32_t dropped;              /* reasons (bits 1u << fb_reason) whose action was drop */
    uint32_t flagged;              /* ... flag */
    uint32_t noted;                /* ... keep: found, counted, no action */
    double abuse_score;            /* the text's abuse score, 0..1; NaN when not judged */
    uint64_t duplicate_of;         /* FB_REASON_DUPLICATE: the first record with the text (id) */
    const fb_verdict_span *spans;
    size_t n_spans;
} fb_verdict;

/*
 * Writes a person's explanation of v for record r into buf (at most size
 * bytes with the NUL, cut at a character boundary), e.g. "drop: non_customer
 * (customer_status non_customer); flag: hearsay (\"мне сказали\" at bytes
 * 0..21)"; "keep" when nothing was found. Returns the length the whole
 * explanation has, as snprintf does.
 */
FB_API size_t fb_verdict_explain(const fb_verdict *v, const fb_record *r, char *buf,
                                 size_t size);

/* ------------------------------------------------------------------ */
/* The chain                                                           */
/* ------------------------------------------------------------------ */

typedef struct fb_filter_chain fb_filter_chain;

/* A new chain without filters (every record kept). alloc: NULL for the C library's. */
FB_API fb_status fb_filter_chain_new(fb_filter_chain **out, const fb_allocator *alloc,
                                     fb_error *err);

/* Frees c. NULL is a no-op. */
FB_API void fb_filter_chain_free(fb_filter_chain *c);

/*
 * Which customers count. Default: active customers, prospects in the funnel
 * and competitors' customers; churned customers only when marked win_back;
 * non-customers dropped ("non_customer", churned ones "churned"); an unknown
 * status flagged ("unknown_customer"); the verified flag not needed
 * (require_verified: records without it get "unverified", flagged).
 */
typedef struct fb_customer_policy {
    unsigned counted;              /* bits 1u << fb_customer_status that count */
    bool churned_win_back;         /* churned customers count when the record says win_back */
    bool require_verified;
    fb_action on_not_counted;      /* non_customer, churned: FB_ACTION_DROP */
    fb_action on_unknown;          /* unknown_customer: FB_ACTION_FLAG */
    fb_action on_unverified;       /* unverified: FB_ACTION_FLAG */
} fb_customer_policy;

FB_API void fb_customer_policy_init(fb_customer_policy *p);

/*
 * Whether the experience is recent. age is measured from interaction_at to
 * now, or to the record's created_at when now is FB_TIME_UNKNOWN; delay from
 * interaction_at to created_at. Default: an experience more than 90 days old
 * is dropped ("stale"); feedback more than 30 days after it is flagged
 * ("late"); a record without interaction_at is kept and counted
 * ("no_interaction_time", action keep), or, with created_as_interaction,
 * judged by its created_at as if the experience had been then.
 */
typedef struct fb_recency_policy {
    int64_t max_age_ms;
    fb_time now;
    int64_t max_delay_ms;
    bool created_as_interaction;
    fb_action on_stale;            /* FB_ACTION_DROP */
    fb_action on_late;             /* FB_ACTION_FLAG */
    fb_action on_missing;          /* FB_ACTION_KEEP */
} fb_recency_policy;

FB_API void fb_recency_policy_init(fb_recency_policy *p);

/*
 * Abusive text (text.h). Default: the detector's threshold; abusive texts
 * (obscenity, insults, threats) dropped, shouting alone flagged.
 */
typedef struct fb_abuse_policy {
    double threshold;              /* NaN: the detector's own */
    fb_action on_abusive;          /* FB_ACTION_DROP */
    fb_action on_shouting;         /* FB_ACTION_FLAG */
} fb_abuse_policy;

FB_API void fb_abuse_policy_init(fb_abuse_policy *p);

/*
 * The same text from different customers. Texts are compared folded (case,
 * ё, punctuation and spacing do not count); texts of fewer than min_terms
 * terms are not compared ("thanks!" repeats innocently). Default: a text
 * seen from another customer within 7 days is flagged ("duplicate"); a
 * record without customer_id counts as a customer of its own.
 */
typedef struct fb_duplicate_policy {
    int64_t window_ms;
    size_t min_terms;              /* 4 */
    fb_action on_duplicate;        /* FB_ACTION_FLAG */
} fb_duplicate_policy;

FB_API void fb_duplicate_policy_init(fb_duplicate_policy *p);

/*
 * Bursts of negative feedback from unverified or non-customers (suspected
 * bought reviews), per channel, in buckets of bucket_ms of created_at: once
 * a bucket's count of such records reaches min_count and exceeds factor
 * times the trailing baseline, its such records are flagged from that point
 * on ("burst"; the ones before it in the bucket were judged already). The
 * baseline is the mean count of the up to baseline_buckets buckets before
 * it since the channel's first record, at least 1; a channel with fewer than
 * min_history buckets of history has none yet, and no bursts, since nothing
 * says what is normal for it. Negative: an NPS below 7, a CSAT or rating
 * below 3, or a CES below 4. Default: hours, a baseline of 7 days (168),
 * min_history 24, factor 5, min_count 10.
 */
typedef struct fb_burst_policy {
    int64_t bucket_ms;
    unsigned baseline_buckets;
    unsigned min_history;
    double factor;
    uint64_t min_count;
    fb_action on_burst;            /* FB_ACTION_FLAG */
} fb_burst_policy;

FB_API void fb_burst_policy_init(fb_burst_policy *p);

/* Hearsay: phrases reporting what others said ("I heard that", "говорят, что"). Default: flag. */
typedef struct fb_hearsay_policy {
    fb_action on_hearsay;          /* FB_ACTION_FLAG */
} fb_hearsay_policy;

FB_API void fb_hearsay_policy_init(fb_hearsay_policy *p);

/*
 * Adds a filter at the end of c, with its policy (NULL: the defaults above).
 * Each filter's reasons take the policy's actions. Errors: FB_ERR_INVALID_ARG
 * (a negative window, a filter added twice, a bad action), FB_ERR_NOMEM.
 */
FB_API fb_status fb_filter_chain_add_customer(fb_filter_chain *c, const fb_customer_policy *p,
                                              fb_error *err);
FB_API fb_status fb_filter_chain_add_recency(fb_filter_chain *c, const fb_recency_policy *p,
                                             fb_error *err);
FB_API fb_status fb_filter_chain_add_abuse(fb_filter_chain *c, const fb_abuse_policy *p,
                                           fb_error *err);
FB_API fb_status fb_filter_chain_add_duplicates(fb_filter_chain *c,
                                                const fb_duplicate_policy *p, fb_error *err);
FB_API fb_status fb_filter_chain_add_bursts(fb_filter_chain *c, const fb_burst_policy *p,
                                            fb_error *err);
FB_API fb_status fb_filter_chain_add_hearsay(fb_filter_chain *c, const fb_hearsay_policy *p,
                                             fb_error *err);

/*
 * The abuse filter's detector, to add words, roots and exceptions to
 * (fb_abuse_detector_add); NULL before fb_filter_chain_add_abuse. It
 * belongs to c.
 */
FB_API fb_abuse_detector *fb_filter_chain_abuse_detector(fb_filter_chain *c);

/* The policies of every filter, for fb_filter_chain_add_all. */
typedef struct fb_filter_policies {
    fb_customer_policy customer;
    fb_recency_policy recency;
    fb_abuse_policy abuse;
    fb_duplicate_policy duplicates;
    fb_burst_policy bursts;
    fb_hearsay_policy hearsay;
} fb_filter_policies;

/* Sets every policy of *p to its defaults. */
FB_API void fb_filter_policies_init(fb_filter_policies *p);

/*
 * Adds every filter above, in that order, with the policies of p (NULL: the
 * defaults). Errors: those of the fb_filter_chain_add_* functions; the
 * filters added before the one that failed stay in c.
 */
FB_API fb_status fb_filter_chain_add_all(fb_filter_chain *c, const fb_filter_policies *p,
                                         fb_error *err);

/*
 * Sets the action of reason r (overriding its filter's policy), e.g. for
 * `--drop hearsay`. Errors: FB_ERR_INVALID_ARG.
 */
FB_API fb_status fb_filter_chain_set_action(fb_filter_chain *c, fb_reason r, fb_action a);

/*
 * Judges record r (valid: fb_record_validate) into *v, counts it, and runs
 * the alerts. Every filter sees every record, whatever an earlier one
 * found, so the counts of each reason are complete and the windows of
 * duplicates and bursts do not depend on the other filters. Update records
 * are not feedback: they are kept without judgement (and counted as kept).
 * Errors: FB_ERR_INVALID_ARG; FB_ERR_UTF8 (a text that is not UTF-8, which
 * a valid record never has: the record is judged without its text and
 * counted, and *v is valid); FB_ERR_NOMEM (*v is then empty, the record not
 * counted).
 */
FB_API fb_status fb_filter_chain_evaluate(fb_filter_chain *c, const fb_record *r,
                                          fb_verdict *v, fb_error *err);

/* What a chain has judged so far. */
typedef struct fb_filter_counts {
    uint64_t records, kept, flagged, dropped;   /* by the verdict's action */
    uint64_t dropped_by[FB_REASON_COUNT];       /* records with the reason, by its action */
    uint64_t flagged_by[FB_REASON_COUNT];
    uint64_t noted_by[FB_REASON_COUNT];
} fb_filter_counts;

FB_API void fb_filter_chain_counts(const fb_filter_chain *c, fb_filter_counts *out);

/*
 * Writes the counts as a person reads them, e.g. "5000 records: 1204
 * dropped, 52 flagged, 3744 kept; drop reasons: 800 non_customer, 390
 * abusive, 14 duplicate; flag reasons: 40 hearsay, 12 unknown_customer;
 * noted: 310 no_interaction_time", each list most first. A record with two
 * reasons counts under each, so a list can add up to more than its records.
 * Returns the length the whole text has, as snprintf does.
 */
FB_API size_t fb_filter_counts_explain(const fb_filter_counts *c, char *buf, size_t size);

/* ------------------------------------------------------------------ */
/* Alerts                                                              */
/* ------------------------------------------------------------------ */

typedef enum fb_alert_kind {
    FB_ALERT_SCORE = 0,   /* an answer's score against a threshold: "nps<=6", "csat<3" */
    FB_ALERT_REASON = 1,  /* a reason found: "reason=abusive" */
    FB_ALERT_STATUS = 2   /* a customer status: "status=non_customer" */
} fb_alert_kind;

typedef enum fb_alert_op { FB_OP_LT, FB_OP_LE, FB_OP_EQ, FB_OP_GE, FB_OP_GT, FB_OP_NE } fb_alert_op;

typedef struct fb_alert_rule {
    fb_alert_kind kind;
    fb_metric metric;             /* FB_ALERT_SCORE: a built-in metric */
    fb_alert_op op;
    double value;
    fb_reason reason;             /* FB_ALERT_REASON */
    fb_customer_status status;    /* FB_ALERT_STATUS (with op FB_OP_EQ or FB_OP_NE) */
    char text[64];                /* the rule as written, NUL-terminated */
} fb_alert_rule;

/*
 * Parses a rule: METRIC OP NUMBER ("nps<=6", "csat < 3", "rating==1"; OP one
 * of < <= = == >= > !=), reason=NAME, status=NAME or status!=NAME. Errors:
 * FB_ERR_PARSE (with what was expected), FB_ERR_UNKNOWN_NAME (a metric,
 * reason or status, with the nearest name), FB_ERR_RANGE (a score outside
 * the metric's scale).
 */
FB_API fb_status fb_alert_rule_parse(const char *s, fb_alert_rule *out, fb_error *err);

/* Whether rule matches record r judged v (v may be NULL: reason rules then never match). */
FB_API bool fb_alert_rule_matches(const fb_alert_rule *rule, const fb_record *r,
                                  const fb_verdict *v);

/* Called for each record a rule matches, during fb_filter_chain_evaluate (r and v: as there). */
typedef void (*fb_alert_fn)(void *ctx, const fb_alert_rule *rule, const fb_record *r,
                            const fb_verdict *v);

/* Registers rule (copied) with its callback. Errors: FB_ERR_INVALID_ARG, FB_ERR_NOMEM. */
FB_API fb_status fb_filter_chain_add_alert(fb_filter_chain *c, const fb_alert_rule *rule,
                                           fb_alert_fn fn, void *ctx, fb_error *err);

FB_END_DECLS

#endif /* FEEDBACK_FILTER_H */
