/*
 * The filter chain: which filters it holds, the action of each reason,
 * judging a record (every filter, then the actions), the counts, alerts.
 */
#include <math.h>
#include <string.h>

#include "alloc_private.h"
#include "error_private.h"
#include "filter_private.h"
#include "names.h"
#include "utf8.h"

enum filter {
    FILTER_CUSTOMER,
    FILTER_RECENCY,
    FILTER_ABUSE,
    FILTER_DUPLICATES,
    FILTER_BURSTS,
    FILTER_HEARSAY,
    FILTER_COUNT
};

typedef struct alert {
    fb_alert_rule rule;
    fb_alert_fn fn;
    void *ctx;
} alert;

struct fb_filter_chain {
    const fb_allocator *alloc;
    enum filter order[FILTER_COUNT];   /* the filters added, in their order */
    size_t n_filters;
    bool has[FILTER_COUNT];
    fb_action action[FB_REASON_COUNT];

    fb_customer_policy customer;
    fb_recency_policy recency;
    fb_abuse_detector *detector;
    fb__duplicates *duplicates;
    fb__bursts *bursts;

    fb_verdict_span *spans;            /* the spans of the verdict last given */
    size_t n_spans, spans_cap;

    alert *alerts;
    size_t n_alerts, alerts_cap;

    fb_filter_counts counts;
};

/* ---------------------------------------------------------------- names */

static const char *const REASON_NAMES[FB_REASON_COUNT] = {
    "non_customer", "churned", "unknown_customer", "unverified", "stale", "late",
    "no_interaction_time", "abusive", "shouting", "duplicate", "burst", "hearsay"};

static const char *const ACTION_NAMES[] = {"keep", "flag", "drop"};

const char *fb_reason_name(fb_reason r)
{
    return (unsigned)r < FB_REASON_COUNT ? REASON_NAMES[r] : NULL;
}

const char *fb_action_name(fb_action a)
{
    return (unsigned)a < sizeof ACTION_NAMES / sizeof ACTION_NAMES[0] ? ACTION_NAMES[a] : NULL;
}

fb_status fb_reasons_parse(const char *s, uint32_t *reasons, fb_error *err)
{
    uint32_t bits = 0;
    const char *p;

    if (!s || !reasons)
        return fb__error(err, FB_ERR_INVALID_ARG, "", "fb_reasons_parse: NULL argument");
    for (p = s;; p++) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        int v;
        while (len && (*p == ' ' || *p == '\t'))
            p++, len--;
        while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        if (len == 0)
            return fb__error(err, FB_ERR_PARSE, "reasons",
                             "reasons '%s' has an empty name: write names with commas between "
                             "them, e.g. abusive,stale", s);
        FB__TRY(fb__names_parse("reason", REASON_NAMES, FB_REASON_COUNT, p, len, &v, err));
        bits |= 1u << v;
        if (!end)
            break;
        p = end;
    }
    *reasons = bits;
    return FB_OK;
}

/* ---------------------------------------------------------------- the chain */

fb_status fb_filter_chain_new(fb_filter_chain **out, const fb_allocator *alloc, fb_error *err)
{
    fb_filter_chain *c;

    if (!out)
        return fb__error(err, FB_ERR_INVALID_ARG, "", "fb_filter_chain_new: out is NULL");
    c = fb__calloc(alloc, sizeof *c);
    if (!c)
        return fb__error(err, FB_ERR_NOMEM, "", "out of memory");
    c->alloc = alloc;
    *out = c;
    return FB_OK;
}

void fb_filter_chain_free(fb_filter_chain *c)
{
    if (!c)
        return;
    fb_abuse_detector_free(c->detector);
    fb__duplicates_free(c->duplicates);
    fb__bursts_free(c->bursts);
    fb__free(c->alloc, c->spans);
    fb__free(c->alloc, c->alerts);
    fb__free(c->alloc, c);
}

static bool action_valid(fb_action a)
{
    return a == FB_ACTION_KEEP || a == FB_ACTION_FLAG || a == FB_ACTION_DROP;
}

/*
 * Whether f can be added with these actions of its reasons: not there yet,
 * each action one. Checked before the caller makes f's state, which
 * put_filter then cannot fail to take.
 */
static fb_status check_filter(const fb_filter_chain *c, enum filter f, const char *what,
                              const fb_reason *reasons, const fb_action *actions, size_t n,
                              fb_error *err)
{
    size_t i;

    if (c->has[f])
        return fb__error(err, FB_ERR_INVALID_ARG, "", "the chain has its %s filter already",
                         what);
    for (i = 0; i < n; i++)
        if (!action_valid(actions[i]))
            return fb__error(err, FB_ERR_INVALID_ARG, "", "%s filter: %d is not an action for "
                             "%s (keep, flag or drop)", what, (int)actions[i],
                             REASON_NAMES[reasons[i]]);
    return FB_OK;
}

/* Sets the actions of f's reasons and puts f in the order, once check_filter passed. */
static void put_filter(fb_filter_chain *c, enum filter f, const fb_reason *reasons,
                       const fb_action *actions, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        c->action[reasons[i]] = actions[i];
    c->has[f] = true;
    c->order[c->n_filters++] = f;
}

/* check_filter, then put_filter: for a filter whose state is its policy alone. */
static fb_status add_filter(fb_filter_chain *c, enum filter f, const char *what,
                            const fb_reason *reasons, const fb_action *actions, size_t n,
                            fb_error *err)
{
    FB__TRY(check_filter(c, f, what, reasons, actions, n, err));
    put_filter(c, f, reasons, actions, n);
    return FB_OK;
}

static fb_status no_chain(fb_error *err, const char *what)
{
    return fb__error(err, FB_ERR_INVALID_ARG, "", "%s: the chain is NULL", what);
}

fb_status fb_filter_chain_add_customer(fb_filter_chain *c, const fb_customer_policy *p,
                                       fb_error *err)
{
    fb_customer_policy d;
    fb_reason reasons[] = {FB_REASON_NON_CUSTOMER, FB_REASON_CHURNED, FB_REASON_UNKNOWN_CUSTOMER,
                           FB_REASON_UNVERIFIED};
    fb_action actions[4];

    if (!c)
        return no_chain(err, "fb_filter_chain_add_customer");
    if (!p) {
        fb_customer_policy_init(&d);
        p = &d;
    }
    actions[0] = actions[1] = p->on_not_counted;
    actions[2] = p->on_unknown;
    actions[3] = p->on_unverified;
    FB__TRY(add_filter(c, FILTER_CUSTOMER, "customer", reasons, actions, 4, err));
    c->customer = *p;
    return FB_OK;
}

fb_status fb_filter_chain_add_recency(fb_filter_chain *c, const fb_recency_policy *p,
                                      fb_error *err)
{
    fb_recency_policy d;
    fb_reason reasons[] = {FB_REASON_STALE, FB_REASON_LATE, FB_REASON_NO_INTERACTION};
    fb_action actions[3];

    if (!c)
        return no_chain(err, "fb_filter_chain_add_recency");
    if (!p) {
        fb_recency_policy_init(&d);
        p = &d;
    }
    if (p->max_age_ms < 0 || p->max_delay_ms < 0)
        return fb__error(err, FB_ERR_INVALID_ARG, "", "recency filter: max_age_ms and "
                         "max_delay_ms must not be negative");
    if (p->now != FB_TIME_UNKNOWN && (p->now < FB_TIME_MIN || p->now > FB_TIME_MAX))
        return fb__error(err, FB_ERR_INVALID_ARG, "", "recency filter: now is not a valid time");
    actions[0] = p->on_stale;
    actions[1] = p->on_late;
    actions[2] = p->on_missing;
    FB__TRY(add_filter(c, FILTER_RECENCY, "recency", reasons, actions, 3, err));
    c->recency = *p;
    return FB_OK;
}

void fb_abuse_policy_init(fb_abuse_policy *p)
{
    if (!p)
        return;
    p->threshold = NAN;
    p->on_abusive = FB_ACTION_DROP;
    p->on_shouting = FB_ACTION_FLAG;
}

fb_status fb_filter_chain_add_abuse(fb_filter_chain *c, const fb_abuse_policy *p, fb_error *err)
{
    fb_abuse_policy d;
    fb_reason reasons[] = {FB_REASON_ABUSIVE, FB_REASON_SHOUTING};
    fb_action actions[2];
    fb_abuse_detector *detector;

    if (!c)
        return no_chain(err, "fb_filter_chain_add_abuse");
    if (!p) {
        fb_abuse_policy_init(&d);
        p = &d;
    }
    if (!isnan(p->threshold) && !(p->threshold >= 0 && p->threshold <= 1))
        return fb__error(err, FB_ERR_INVALID_ARG, "", "abuse filter: threshold %g is not in "
                         "0..1 (NaN: the detector's own)", p->threshold);
    actions[0] = p->on_abusive;
    actions[1] = p->on_shouting;
    FB__TRY(check_filter(c, FILTER_ABUSE, "abuse", reasons, actions, 2, err));
    FB__TRY(fb_abuse_detector_new(&detector, c->alloc, err));
    if (!isnan(p->threshold))
        fb_abuse_detector_set_threshold(detector, p->threshold);
    put_filter(c, FILTER_ABUSE, reasons, actions, 2);
    c->detector = detector;
    return FB_OK;
}

fb_abuse_detector *fb_filter_chain_abuse_detector(fb_filter_chain *c)
{
    return c ? c->detector : NULL;
}

fb_status fb_filter_chain_add_duplicates(fb_filter_chain *c, const fb_duplicate_policy *p,
                                         fb_error *err)
{
    fb_duplicate_policy d;
    fb_reason reason = FB_REASON_DUPLICATE;
    fb__duplicates *dup;

    if (!c)
        return no_chain(err, "fb_filter_chain_add_duplicates");
    if (!p) {
        fb_duplicate_policy_init(&d);
        p = &d;
    }
    if (p->window_ms < 0)
        return fb__error(err, FB_ERR_INVALID_ARG, "", "duplicates filter: window_ms must not be "
                         "negative");
    FB__TRY(check_filter(c, FILTER_DUPLICATES, "duplicates", &reason, &p->on_duplicate, 1, err));
    dup = fb__duplicates_new(c->alloc, p);
    if (!dup)
        return fb__error(err, FB_ERR_NOMEM, "", "out of memory");
    put_filter(c, FILTER_DUPLICATES, &reason, &p->on_duplicate, 1);
    c->duplicates = dup;
    return FB_OK;
}

fb_status fb_filter_chain_add_bursts(fb_filter_chain *c, const fb_burst_policy *p, fb_error *err)
{
    fb_burst_policy d;
    fb_reason reason = FB_REASON_BURST;
    fb__bursts *b;

    if (!c)
        return no_chain(err, "fb_filter_chain_add_bursts");
    if (!p) {
        fb_burst_policy_init(&d);
        p = &d;
    }
    if (p->bucket_ms <= 0 || p->baseline_buckets == 0 || p->min_history > p->baseline_buckets ||
        !(p->factor >= 1) || !isfinite(p->factor))
        return fb__error(err, FB_ERR_INVALID_ARG, "", "bursts filter: bucket_ms and "
                         "baseline_buckets must be positive, min_history at most "
                         "baseline_buckets, and factor a number of at least 1");
    FB__TRY(check_filter(c, FILTER_BURSTS, "bursts", &reason, &p->on_burst, 1, err));
    b = fb__bursts_new(c->alloc, p);
    if (!b)
        return fb__error(err, FB_ERR_NOMEM, "", "out of memory");
    put_filter(c, FILTER_BURSTS, &reason, &p->on_burst, 1);
    c->bursts = b;
    return FB_OK;
}

void fb_hearsay_policy_init(fb_hearsay_policy *p)
{
    if (p)
        p->on_hearsay = FB_ACTION_FLAG;
}

fb_status fb_filter_chain_add_hearsay(fb_filter_chain *c, const fb_hearsay_policy *p,
                                      fb_error *err)
{
    fb_hearsay_policy d;
    fb_reason reason = FB_REASON_HEARSAY;

    if (!c)
        return no_chain(err, "fb_filter_chain_add_hearsay");
    if (!p) {
        fb_hearsay_policy_init(&d);
        p = &d;
    }
    return add_filter(c, FILTER_HEARSAY, "hearsay", &reason, &p->on_hearsay, 1, err);
}

void fb_filter_policies_init(fb_filter_policies *p)
{
    if (!p)
        return;
    fb_customer_policy_init(&p->customer);
    fb_recency_policy_init(&p->recency);
    fb_abuse_policy_init(&p->abuse);
    fb_duplicate_policy_init(&p->duplicates);
    fb_burst_policy_init(&p->bursts);
    fb_hearsay_policy_init(&p->hearsay);
}

fb_status fb_filter_chain_add_all(fb_filter_chain *c, const fb_filter_policies *p, fb_error *err)
{
    fb_filter_policies d;

    if (!p) {
        fb_filter_policies_init(&d);
        p = &d;
    }
    FB__TRY(fb_filter_chain_add_customer(c, &p->customer, err));
    FB__TRY(fb_filter_chain_add_recency(c, &p->recency, err));
    FB__TRY(fb_filter_chain_add_abuse(c, &p->abuse, err));
    FB__TRY(fb_filter_chain_add_duplicates(c, &p->duplicates, err));
    FB__TRY(fb_filter_chain_add_bursts(c, &p->bursts, err));
    return fb_filter_chain_add_hearsay(c, &p->hearsay, err);
}

fb_status fb_filter_chain_set_action(fb_filter_chain *c, fb_reason r, fb_action a)
{
    if (!c || (unsigned)r >= FB_REASON_COUNT || !action_valid(a))
        return FB_ERR_INVALID_ARG;
    c->action[r] = a;
    return FB_OK;
}

/* ---------------------------------------------------------------- judging */

static int add_span(fb_filter_chain *c, size_t offset, size_t length, fb_reason reason,
                    unsigned category)
{
    fb_verdict_span *s;

    if (fb__grow(c->alloc, (void **)&c->spans, &c->spans_cap, c->n_spans + 1, sizeof *s) != 0)
        return -1;
    s = &c->spans[c->n_spans++];
    s->offset = offset;
    s->length = length;
    s->reason = reason;
    s->category = category;
    return 0;
}

static int add_hearsay_span(void *ctx, size_t offset, size_t length)
{
    return add_span(ctx, offset, length, FB_REASON_HEARSAY, 0);
}

/* The abuse filter: the detector's judgement of text as reasons and spans. */
static fb_status judge_abuse(fb_filter_chain *c, fb_str text, fb__found *found, fb_error *err)
{
    fb_abuse_result res;
    size_t i;

    if (text.len == 0)
        return FB_OK;
    FB__TRY(fb_abuse_check(c->detector, text.ptr, text.len, &res, err));
    found->abuse_score = res.score;
    if (res.abusive)
        found->reasons |= 1u << FB_REASON_ABUSIVE;
    if (res.categories & FB_ABUSE_SHOUTING)
        found->reasons |= 1u << FB_REASON_SHOUTING;
    for (i = 0; i < res.n_spans; i++) {
        const fb_text_span *s = &res.spans[i];
        bool shouting = s->category == FB_ABUSE_SHOUTING;
        if (!shouting && !res.abusive)
            continue; /* a word below the threshold is no reason */
        if (add_span(c, s->offset, s->length,
                     shouting ? FB_REASON_SHOUTING : FB_REASON_ABUSIVE, s->category) != 0)
            return fb__error(err, FB_ERR_NOMEM, "", "out of memory");
    }
    return FB_OK;
}

/* Runs every filter of c on r into *found. */
static fb_status run_filters(fb_filter_chain *c, const fb_record *r, fb_str text,
                             fb__found *found, fb_error *err)
{
    size_t i;
    int rc;

    for (i = 0; i < c->n_filters; i++) {
        switch (c->order[i]) {
        case FILTER_CUSTOMER:
            found->reasons |= fb__customer_reasons(&c->customer, r);
            break;
        case FILTER_RECENCY:
            found->reasons |= fb__recency_reasons(&c->recency, r);
            break;
        case FILTER_ABUSE:
            FB__TRY(judge_abuse(c, text, found, err));
            break;
        case FILTER_DUPLICATES:
            rc = fb__duplicates_check(c->duplicates, r, text, &found->duplicate_of);
            if (rc < 0)
                return fb__error(err, FB_ERR_NOMEM, "", "out of memory");
            if (rc > 0)
                found->reasons |= 1u << FB_REASON_DUPLICATE;
            break;
        case FILTER_BURSTS:
            if (fb__bursts_check(c->bursts, r))
                found->reasons |= 1u << FB_REASON_BURST;
            break;
        case FILTER_HEARSAY:
            rc = fb__hearsay_find(text.ptr, text.len, add_hearsay_span, c);
            if (rc < 0)
                return fb__error(err, FB_ERR_NOMEM, "", "out of memory");
            if (rc > 0)
                found->reasons |= 1u << FB_REASON_HEARSAY;
            break;
        default:
            break;
        }
    }
    return FB_OK;
}

/* The verdict of what was found, under c's actions. */
static void decide(const fb_filter_chain *c, const fb__found *found, fb_verdict *v)
{
    unsigned r;

    for (r = 0; r < FB_REASON_COUNT; r++) {
        uint32_t bit = 1u << r;
        if (!(found->reasons & bit))
            continue;
        switch (c->action[r]) {
        case FB_ACTION_DROP: v->dropped |= bit; break;
        case FB_ACTION_FLAG: v->flagged |= bit; break;
        default: v->noted |= bit; break;
        }
    }
    v->action = v->dropped ? FB_ACTION_DROP : v->flagged ? FB_ACTION_FLAG : FB_ACTION_KEEP;
    v->abuse_score = found->abuse_score;
    v->duplicate_of = found->duplicate_of;
    v->spans = c->n_spans ? c->spans : NULL;
    v->n_spans = c->n_spans;
}

static void count(fb_filter_counts *k, const fb_verdict *v)
{
    unsigned r;

    k->records++;
    if (v->action == FB_ACTION_DROP)
        k->dropped++;
    else if (v->action == FB_ACTION_FLAG)
        k->flagged++;
    else
        k->kept++;
    for (r = 0; r < FB_REASON_COUNT; r++) {
        k->dropped_by[r] += (v->dropped >> r) & 1u;
        k->flagged_by[r] += (v->flagged >> r) & 1u;
        k->noted_by[r] += (v->noted >> r) & 1u;
    }
}

static bool judges_text(const fb_filter_chain *c)
{
    return c->has[FILTER_ABUSE] || c->has[FILTER_DUPLICATES] || c->has[FILTER_HEARSAY];
}

fb_status fb_filter_chain_evaluate(fb_filter_chain *c, const fb_record *r, fb_verdict *v,
                                   fb_error *err)
{
    fb__found found;
    fb_str text;
    fb_status st = FB_OK, bad_text = FB_OK;
    fb_error text_err;
    size_t i;

    if (!c || !r || !v)
        return fb__error(err, FB_ERR_INVALID_ARG, "", "fb_filter_chain_evaluate: NULL argument");
    memset(v, 0, sizeof *v);
    v->abuse_score = NAN;
    c->n_spans = 0;
    if (r->kind == FB_KIND_UPDATE) {
        count(&c->counts, v);
        return FB_OK;
    }
    text = r->text;
    if (judges_text(c) && text.len > 0) {
        size_t bad = fb__utf8_check(text.ptr, text.len);
        if (bad != text.len) {
            bad_text = fb__error(&text_err, FB_ERR_UTF8, "text", "text is not UTF-8 at byte "
                                 "%zu: judged without it", bad);
            fb__error_at(&text_err, 0, bad);
            text.len = 0;
        }
    }
    found.reasons = 0;
    found.abuse_score = NAN;
    found.duplicate_of = 0;
    st = run_filters(c, r, text, &found, err);
    if (st != FB_OK) {
        c->n_spans = 0;
        return st;
    }
    decide(c, &found, v);
    count(&c->counts, v);
    for (i = 0; i < c->n_alerts; i++)
        if (fb_alert_rule_matches(&c->alerts[i].rule, r, v))
            c->alerts[i].fn(c->alerts[i].ctx, &c->alerts[i].rule, r, v);
    if (bad_text != FB_OK && err)
        *err = text_err;
    return bad_text;
}

void fb_filter_chain_counts(const fb_filter_chain *c, fb_filter_counts *out)
{
    if (!out)
        return;
    if (!c) {
        memset(out, 0, sizeof *out);
        return;
    }
    *out = c->counts;
}

fb_status fb_filter_chain_add_alert(fb_filter_chain *c, const fb_alert_rule *rule, fb_alert_fn fn,
                                    void *ctx, fb_error *err)
{
    alert *a;

    if (!c || !rule || !fn)
        return fb__error(err, FB_ERR_INVALID_ARG, "", "fb_filter_chain_add_alert: NULL argument");
    if (fb__grow(c->alloc, (void **)&c->alerts, &c->alerts_cap, c->n_alerts + 1, sizeof *a) != 0)
        return fb__error(err, FB_ERR_NOMEM, "", "out of memory");
    a = &c->alerts[c->n_alerts++];
    a->rule = *rule;
    a->rule.text[sizeof a->rule.text - 1] = '\0';
    a->fn = fn;
    a->ctx = ctx;
    return FB_OK;
}
