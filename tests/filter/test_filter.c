/*
 * The filter chain: reason names, each filter's reasons under its policy,
 * actions, the windows of duplicates and bursts, hearsay spans, verdict and
 * count explanations, alerts, failures.
 */
#include <math.h>
#include <stdlib.h>

#include "fb_test.h"

#define HOUR 3600000LL
#define DAY 86400000LL
#define T0 1780000000000LL /* 2026-05-28T20:26:40Z */

#define BIT(r) (1u << (r))

/* A response at t: an active, verified customer c, with text and an optional NPS (-1: none). */
typedef struct rec {
    fb_record r;
    fb_answer a;
} rec;

static void make(rec *x, uint64_t id, fb_time t, const char *customer, const char *text,
                 double nps)
{
    fb_record_init(&x->r);
    x->r.id = id;
    x->r.created_at = t;
    x->r.interaction_at = t - HOUR;
    x->r.customer_id = fb_str_from_cstr(customer);
    x->r.customer_status = FB_CUSTOMER_ACTIVE;
    x->r.customer_verified = true;
    x->r.channel = FB_CHANNEL_WEB_FORM;
    x->r.text = fb_str_from_cstr(text);
    if (nps >= 0) {
        x->a.metric = FB_METRIC_NPS;
        x->a.score = nps;
        x->a.skipped = false;
        x->r.answers = &x->a;
        x->r.n_answers = 1;
    }
}

static fb_filter_chain *chain_new(void)
{
    fb_filter_chain *c = NULL;
    fb_error err;
    assert_fb_ok(fb_filter_chain_new(&c, NULL, &err), &err);
    return c;
}

static fb_verdict judge(fb_filter_chain *c, const fb_record *r)
{
    fb_verdict v;
    fb_error err;
    assert_fb_ok(fb_filter_chain_evaluate(c, r, &v, &err), &err);
    return v;
}

static uint32_t reasons_of(const fb_verdict *v) { return v->dropped | v->flagged | v->noted; }

/* The reasons the chain finds in r. */
static uint32_t found(fb_filter_chain *c, const fb_record *r)
{
    fb_verdict v = judge(c, r);
    return reasons_of(&v);
}

/* ---------------------------------------------------------------- names */

static void test_reason_names(void **state)
{
    uint32_t bits = 0;
    fb_error err;
    int r;

    (void)state;
    for (r = 0; r < FB_REASON_COUNT; r++) {
        const char *name = fb_reason_name((fb_reason)r);
        assert_non_null(name);
        assert_fb_ok(fb_reasons_parse(name, &bits, &err), &err);
        assert_int_equal(bits, BIT(r));
    }
    assert_null(fb_reason_name((fb_reason)FB_REASON_COUNT));
    assert_string_equal(fb_reason_name(FB_REASON_NON_CUSTOMER), "non_customer");
    assert_string_equal(fb_reason_name(FB_REASON_HEARSAY), "hearsay");
    assert_string_equal(fb_action_name(FB_ACTION_DROP), "drop");
    assert_null(fb_action_name((fb_action)3));

    assert_fb_ok(fb_reasons_parse("abusive, stale,Duplicate", &bits, &err), &err);
    assert_int_equal(bits, BIT(FB_REASON_ABUSIVE) | BIT(FB_REASON_STALE) |
                               BIT(FB_REASON_DUPLICATE));
    assert_int_equal(fb_reasons_parse("abusve", &bits, &err), FB_ERR_UNKNOWN_NAME);
    assert_non_null(strstr(err.message, "did you mean 'abusive'"));
    assert_int_equal(fb_reasons_parse("stale,,late", &bits, &err), FB_ERR_PARSE);
    assert_non_null(strstr(err.message, "empty name"));
    assert_int_equal(fb_reasons_parse("", &bits, &err), FB_ERR_PARSE);
    assert_int_equal(bits, BIT(FB_REASON_ABUSIVE) | BIT(FB_REASON_STALE) |
                               BIT(FB_REASON_DUPLICATE)); /* untouched on error */
}

/* ---------------------------------------------------------------- customers */

static void test_customer_defaults(void **state)
{
    static const struct {
        fb_customer_status status;
        bool win_back;
        fb_action action;
        uint32_t reasons;
    } cases[] = {
        {FB_CUSTOMER_ACTIVE, false, FB_ACTION_KEEP, 0},
        {FB_CUSTOMER_PROSPECT, false, FB_ACTION_KEEP, 0},
        {FB_CUSTOMER_COMPETITOR, false, FB_ACTION_KEEP, 0},
        {FB_CUSTOMER_CHURNED, false, FB_ACTION_DROP, BIT(FB_REASON_CHURNED)},
        {FB_CUSTOMER_CHURNED, true, FB_ACTION_KEEP, 0},
        {FB_CUSTOMER_NONE, false, FB_ACTION_DROP, BIT(FB_REASON_NON_CUSTOMER)},
        {FB_CUSTOMER_NONE, true, FB_ACTION_DROP, BIT(FB_REASON_NON_CUSTOMER)},
        {FB_CUSTOMER_UNKNOWN, false, FB_ACTION_FLAG, BIT(FB_REASON_UNKNOWN_CUSTOMER)},
    };
    fb_filter_chain *c = chain_new();
    fb_error err;
    size_t i;
    rec x;

    (void)state;
    assert_fb_ok(fb_filter_chain_add_customer(c, NULL, &err), &err);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fb_verdict v;
        make(&x, i + 1, T0, "c1", "", -1);
        x.r.customer_status = cases[i].status;
        x.r.win_back = cases[i].win_back;
        x.r.customer_verified = false; /* not needed by default */
        v = judge(c, &x.r);
        if (v.action != cases[i].action || reasons_of(&v) != cases[i].reasons)
            fail_msg("case %zu (%s, win_back %d): action %s, reasons %#x", i,
                     fb_customer_status_name(cases[i].status), cases[i].win_back,
                     fb_action_name(v.action), (unsigned)reasons_of(&v));
        assert_int_equal(v.dropped, cases[i].action == FB_ACTION_DROP ? cases[i].reasons : 0);
        assert_int_equal(v.flagged, cases[i].action == FB_ACTION_FLAG ? cases[i].reasons : 0);
        assert_true(isnan(v.abuse_score));
    }
    assert_int_equal(fb_filter_chain_add_customer(c, NULL, &err), FB_ERR_INVALID_ARG);
    assert_non_null(strstr(err.message, "already"));
    fb_filter_chain_free(c);
}

static void test_customer_policy(void **state)
{
    fb_customer_policy p;
    fb_filter_chain *c = chain_new();
    fb_verdict v;
    fb_error err;
    rec x;

    (void)state;
    fb_customer_policy_init(&p);
    p.counted |= 1u << FB_CUSTOMER_UNKNOWN;
    p.churned_win_back = false;
    p.require_verified = true;
    p.on_not_counted = FB_ACTION_FLAG;
    assert_fb_ok(fb_filter_chain_add_customer(c, &p, &err), &err);

    make(&x, 1, T0, "c1", "", -1);
    x.r.customer_status = FB_CUSTOMER_UNKNOWN;
    v = judge(c, &x.r);
    assert_int_equal(reasons_of(&v), 0);

    x.r.customer_verified = false;
    v = judge(c, &x.r);
    assert_int_equal(v.action, FB_ACTION_FLAG);
    assert_int_equal(v.flagged, BIT(FB_REASON_UNVERIFIED));

    x.r.customer_status = FB_CUSTOMER_CHURNED;
    x.r.win_back = true;
    x.r.customer_verified = true;
    v = judge(c, &x.r);
    assert_int_equal(v.flagged, BIT(FB_REASON_CHURNED));

    /* An action the chain sets wins over the policy's. */
    assert_fb_ok(fb_filter_chain_set_action(c, FB_REASON_CHURNED, FB_ACTION_DROP), NULL);
    v = judge(c, &x.r);
    assert_int_equal(v.action, FB_ACTION_DROP);
    assert_int_equal(v.dropped, BIT(FB_REASON_CHURNED));
    assert_int_equal(fb_filter_chain_set_action(c, FB_REASON_COUNT, FB_ACTION_DROP),
                     FB_ERR_INVALID_ARG);
    assert_int_equal(fb_filter_chain_set_action(c, FB_REASON_LATE, (fb_action)7),
                     FB_ERR_INVALID_ARG);
    fb_filter_chain_free(c);

    c = chain_new();
    p.on_unknown = (fb_action)9;
    assert_int_equal(fb_filter_chain_add_customer(c, &p, &err), FB_ERR_INVALID_ARG);
    assert_non_null(strstr(err.message, "unknown_customer"));
    fb_filter_chain_free(c);
}

/* ---------------------------------------------------------------- recency */

static void test_recency(void **state)
{
    fb_recency_policy p;
    fb_filter_chain *c = chain_new();
    fb_verdict v;
    fb_error err;
    rec x;

    (void)state;
    assert_fb_ok(fb_filter_chain_add_recency(c, NULL, &err), &err);
    make(&x, 1, T0, "c1", "", -1);
    x.r.interaction_at = T0 - 90 * DAY; /* exactly at the limit: recent */
    v = judge(c, &x.r);
    assert_int_equal(v.dropped, 0);
    assert_int_equal(v.flagged, BIT(FB_REASON_LATE)); /* 90 days after it */

    x.r.interaction_at = T0 - 90 * DAY - 1;
    v = judge(c, &x.r);
    assert_int_equal(v.action, FB_ACTION_DROP);
    assert_int_equal(v.dropped, BIT(FB_REASON_STALE));

    x.r.interaction_at = T0 - 30 * DAY;
    v = judge(c, &x.r);
    assert_int_equal(v.action, FB_ACTION_KEEP);
    assert_int_equal(reasons_of(&v), 0);

    x.r.interaction_at = FB_TIME_UNKNOWN;
    v = judge(c, &x.r);
    assert_int_equal(v.action, FB_ACTION_KEEP);
    assert_int_equal(v.noted, BIT(FB_REASON_NO_INTERACTION));
    fb_filter_chain_free(c);

    /* Against a given now, and created_at standing in for a missing interaction_at. */
    fb_recency_policy_init(&p);
    p.now = T0 + 10 * DAY;
    p.max_age_ms = 7 * DAY;
    p.created_as_interaction = true;
    c = chain_new();
    assert_fb_ok(fb_filter_chain_add_recency(c, &p, &err), &err);
    v = judge(c, &x.r);
    assert_int_equal(v.dropped, BIT(FB_REASON_STALE));
    x.r.created_at = T0 + 4 * DAY;
    v = judge(c, &x.r);
    assert_int_equal(reasons_of(&v), 0);
    fb_filter_chain_free(c);

    c = chain_new();
    p.max_delay_ms = -1;
    assert_int_equal(fb_filter_chain_add_recency(c, &p, &err), FB_ERR_INVALID_ARG);
    fb_filter_chain_free(c);
}

/* ---------------------------------------------------------------- duplicates */

static void test_duplicates(void **state)
{
    const char *text = "The courier left the parcel at the wrong door";
    fb_duplicate_policy p;
    fb_filter_chain *c = chain_new();
    fb_verdict v;
    fb_error err;
    rec x;

    (void)state;
    fb_duplicate_policy_init(&p);
    assert_int_equal(p.window_ms, 7 * DAY);
    assert_fb_ok(fb_filter_chain_add_duplicates(c, &p, &err), &err);

    make(&x, 10, T0, "alice", text, -1);
    v = judge(c, &x.r);
    assert_int_equal(reasons_of(&v), 0);

    /* The same customer again: sent twice, not copied. */
    make(&x, 11, T0 + HOUR, "alice", text, -1);
    assert_int_equal(found(c, &x.r), 0);

    /* Another customer, other case, spacing and punctuation: a duplicate of record 10. */
    make(&x, 12, T0 + 2 * HOUR, "bob", "the COURIER left  the parcel... at the wrong door!", -1);
    v = judge(c, &x.r);
    assert_int_equal(v.action, FB_ACTION_FLAG);
    assert_int_equal(v.flagged, BIT(FB_REASON_DUPLICATE));
    assert_int_equal(v.duplicate_of, 10);

    /* Now that two customers sent it, the first one's repeat is a copy too. */
    make(&x, 13, T0 + 3 * HOUR, "alice", text, -1);
    v = judge(c, &x.r);
    assert_int_equal(v.flagged, BIT(FB_REASON_DUPLICATE));

    /* A record without customer_id is a customer of its own. */
    make(&x, 14, T0 + 4 * HOUR, "", text, -1);
    assert_int_equal(judge(c, &x.r).duplicate_of, 10);

    /* A different word is a different text; short texts repeat innocently. */
    make(&x, 15, T0 + 5 * HOUR, "carol", "The courier left the parcel at the right door", -1);
    assert_int_equal(found(c, &x.r), 0);
    make(&x, 16, T0 + 5 * HOUR, "dave", "Thanks, all good!", -1);
    assert_int_equal(found(c, &x.r), 0);
    make(&x, 17, T0 + 5 * HOUR, "erin", "Thanks, all good!", -1);
    assert_int_equal(found(c, &x.r), 0);

    /* The window runs from the text's latest sighting: 7 days after record 14, it is new. */
    make(&x, 18, T0 + 4 * HOUR + 7 * DAY, "frank", text, -1);
    assert_int_equal(judge(c, &x.r).duplicate_of, 10);
    make(&x, 19, T0 + 4 * HOUR + 14 * DAY + 1, "grace", text, -1);
    assert_int_equal(found(c, &x.r), 0);
    make(&x, 20, T0 + 4 * HOUR + 14 * DAY + 2, "heidi", text, -1);
    assert_int_equal(judge(c, &x.r).duplicate_of, 19);
    fb_filter_chain_free(c);
}

/* A text of four terms that differs for each n (digits alone make no term). */
static void number_text(char *text, int n)
{
    char word[8];
    int k = 0;
    do {
        word[k++] = (char)('a' + n % 26);
        n /= 26;
    } while (n > 0);
    word[k] = '\0';
    sprintf(text, "complaint %s about tariffs", word);
}

/* Many distinct texts over a long time: the old ones leave the table, the recent ones stay. */
static void test_duplicates_window_moves(void **state)
{
    fb_duplicate_policy p;
    fb_filter_chain *c = chain_new();
    fb_error err;
    char text[64];
    int i, repeats = 0;
    rec x;

    (void)state;
    fb_duplicate_policy_init(&p);
    p.window_ms = DAY;
    assert_fb_ok(fb_filter_chain_add_duplicates(c, &p, &err), &err);
    for (i = 0; i < 20000; i++) {
        number_text(text, i);
        make(&x, (uint64_t)i + 1, T0 + (fb_time)i * 60000, "a", text, -1);
        repeats += found(c, &x.r) != 0;
    }
    assert_int_equal(repeats, 0);
    /* Minute 19,999's text from another customer: still in the window (found). */
    make(&x, 30000, T0 + 20000 * 60000LL, "b", text, -1);
    assert_int_equal(judge(c, &x.r).duplicate_of, 20000);
    /* Minute 0's text: far outside it, forgotten. */
    number_text(text, 0);
    make(&x, 30001, T0 + 20000 * 60000LL, "b", text, -1);
    assert_int_equal(found(c, &x.r), 0);
    fb_filter_chain_free(c);
}

/* ---------------------------------------------------------------- bursts */

static void test_bursts(void **state)
{
    fb_filter_chain *c = chain_new();
    fb_verdict v;
    fb_error err;
    uint64_t id = 1;
    int h, i, flagged = 0;
    rec x;

    (void)state;
    assert_fb_ok(fb_filter_chain_add_bursts(c, NULL, &err), &err);
    /* A quiet first hour: a burst of 30 there has no history to stand out from. */
    for (i = 0; i < 30; i++) {
        make(&x, id++, T0 + i * 1000, "", "", 0);
        x.r.customer_verified = false;
        flagged += judge(c, &x.r).action != FB_ACTION_KEEP;
    }
    assert_int_equal(flagged, 0);
    /* Two days of one negative unverified review an hour on review sites. */
    for (h = 1; h <= 48; h++) {
        make(&x, id++, T0 + h * HOUR, "", "", 2);
        x.r.customer_verified = false;
        x.r.channel = FB_CHANNEL_REVIEW_SITE;
        assert_int_equal(found(c, &x.r), 0);
    }
    /* Then 20 in one hour: the baseline is 1, so from the 10th (min_count) on they are flagged. */
    for (i = 1; i <= 20; i++) {
        make(&x, id++, T0 + 49 * HOUR + i * 1000, "", "", 1);
        x.r.customer_verified = false;
        x.r.channel = FB_CHANNEL_REVIEW_SITE;
        v = judge(c, &x.r);
        if ((reasons_of(&v) == BIT(FB_REASON_BURST)) != (i >= 10))
            fail_msg("record %d of the burst: reasons %#x", i, (unsigned)reasons_of(&v));
        assert_int_equal(v.action, i >= 10 ? FB_ACTION_FLAG : FB_ACTION_KEEP);
    }
    /* In the same hour: a verified customer's, a positive one, another channel's: no burst. */
    make(&x, id++, T0 + 49 * HOUR + 30000, "c", "", 1);
    x.r.channel = FB_CHANNEL_REVIEW_SITE;
    assert_int_equal(found(c, &x.r), 0);
    make(&x, id++, T0 + 49 * HOUR + 30000, "", "", 10);
    x.r.customer_verified = false;
    x.r.channel = FB_CHANNEL_REVIEW_SITE;
    assert_int_equal(found(c, &x.r), 0);
    make(&x, id++, T0 + 49 * HOUR + 30000, "", "", 1);
    x.r.customer_verified = false;
    x.r.channel = FB_CHANNEL_MAPS;
    assert_int_equal(found(c, &x.r), 0);
    /* A non-customer counts even when verified. */
    make(&x, id++, T0 + 49 * HOUR + 40000, "", "", 1);
    x.r.customer_status = FB_CUSTOMER_NONE;
    x.r.channel = FB_CHANNEL_REVIEW_SITE;
    assert_int_equal(found(c, &x.r), BIT(FB_REASON_BURST));
    /* The next hour the burst is part of the baseline, (48 + 21) / 49 = 1.41 an hour: from the
     * 10th on, the count is both min_count and above 5 times that (7.04). */
    for (i = 1; i <= 10; i++) {
        make(&x, id++, T0 + 50 * HOUR + i * 1000, "", "", 1);
        x.r.customer_verified = false;
        x.r.channel = FB_CHANNEL_REVIEW_SITE;
        assert_int_equal(found(c, &x.r) != 0, i >= 10);
    }
    fb_filter_chain_free(c);
}

static void test_burst_policy(void **state)
{
    fb_burst_policy p;
    fb_filter_chain *c = chain_new();
    fb_error err;

    (void)state;
    fb_burst_policy_init(&p);
    assert_int_equal(p.bucket_ms, HOUR);
    assert_int_equal(p.baseline_buckets, 168);
    p.min_history = 200;
    assert_int_equal(fb_filter_chain_add_bursts(c, &p, &err), FB_ERR_INVALID_ARG);
    fb_burst_policy_init(&p);
    p.factor = NAN;
    assert_int_equal(fb_filter_chain_add_bursts(c, &p, &err), FB_ERR_INVALID_ARG);
    fb_burst_policy_init(&p);
    p.bucket_ms = 0;
    assert_int_equal(fb_filter_chain_add_bursts(c, &p, &err), FB_ERR_INVALID_ARG);
    fb_filter_chain_free(c);
}

/* ---------------------------------------------------------------- abuse */

static void test_abuse(void **state)
{
    const char *insult = "The delivery was late and you are an idiot.";
    fb_abuse_policy p;
    fb_filter_chain *c = chain_new();
    fb_verdict v;
    fb_error err;
    char buf[256];
    rec x;

    (void)state;
    assert_null(fb_filter_chain_abuse_detector(c));
    fb_abuse_policy_init(&p);
    assert_true(isnan(p.threshold));
    p.threshold = 1.5;
    assert_int_equal(fb_filter_chain_add_abuse(c, &p, &err), FB_ERR_INVALID_ARG);
    assert_null(fb_filter_chain_abuse_detector(c));
    assert_fb_ok(fb_filter_chain_add_abuse(c, NULL, &err), &err);
    assert_non_null(fb_filter_chain_abuse_detector(c));

    make(&x, 1, T0, "c", "The delivery was quick and the staff were polite.", -1);
    v = judge(c, &x.r);
    assert_int_equal(reasons_of(&v), 0);
    assert_true(v.abuse_score >= 0 && v.abuse_score < 0.5);

    make(&x, 2, T0, "c", insult, -1);
    v = judge(c, &x.r);
    assert_int_equal(v.action, FB_ACTION_DROP);
    assert_int_equal(v.dropped, BIT(FB_REASON_ABUSIVE));
    assert_true(v.abuse_score > 0.5 && v.abuse_score <= 1);
    assert_true(v.n_spans >= 1);
    assert_int_equal(v.spans[0].reason, FB_REASON_ABUSIVE);
    assert_int_equal(v.spans[0].category, FB_ABUSE_INSULT);
    assert_int_equal(v.spans[0].offset, (size_t)(strstr(insult, "idiot") - insult));
    assert_int_equal(v.spans[0].length, 5);
    fb_verdict_explain(&v, &x.r, buf, sizeof buf);
    assert_non_null(strstr(buf, "drop: abusive (score "));
    assert_non_null(strstr(buf, "\"idiot\" at bytes 37..42"));

    /* No text: not judged. */
    make(&x, 3, T0, "c", "", -1);
    assert_true(isnan(judge(c, &x.r).abuse_score));
    fb_filter_chain_free(c);
}

/* ---------------------------------------------------------------- hearsay */

extern const char *const fb__hearsay_phrases[];
extern const size_t fb__hearsay_phrases_count;

/* The one span of v, which must be hearsay covering text's bytes [from, to). */
static void assert_hearsay(fb_filter_chain *c, const char *text, const char *from_str,
                           const char *to_str)
{
    size_t from = (size_t)(strstr(text, from_str) - text);
    size_t to = (size_t)(strstr(text, to_str) - text) + strlen(to_str);
    fb_verdict v;
    rec x;

    make(&x, 1, T0, "c", text, -1);
    v = judge(c, &x.r);
    if (v.n_spans != 1 || v.spans[0].offset != from || v.spans[0].length != to - from)
        fail_msg("'%s': %zu spans, the first at %zu+%zu; want %zu+%zu", text, v.n_spans,
                 v.n_spans ? v.spans[0].offset : 0, v.n_spans ? v.spans[0].length : 0, from,
                 to - from);
    assert_int_equal(v.spans[0].reason, FB_REASON_HEARSAY);
    assert_int_equal(v.flagged, BIT(FB_REASON_HEARSAY));
}

static void test_hearsay(void **state)
{
    static const char *const clean[] = {
        "The agent told me the refund would take a week, and it did.",
        "Операторы говорят грубо, я не слышал оператора из-за шума.",
        "I heard nothing back for a month.",
        "Доставка якобы выполнена, но посылки нет.",
    };
    fb_filter_chain *c = chain_new();
    fb_error err;
    size_t i;
    rec x;

    (void)state;
    assert_fb_ok(fb_filter_chain_add_hearsay(c, NULL, &err), &err);
    assert_hearsay(c, "Мне сказали, что доставка будет завтра.", "Мне", "что");
    assert_hearsay(c, "Говорят, что у них плохой сервис", "Говорят", "что");
    assert_hearsay(c, "Never been there but I HEARD, that the food is cold", "I HEARD", "that");
    assert_hearsay(c, "my colleagues said the app crashes", "my", "said");
    assert_hearsay(c, "Ёщё: по слухам, закрываются", "по", "слухам");
    for (i = 0; i < sizeof clean / sizeof clean[0]; i++) {
        make(&x, 1, T0, "c", clean[i], -1);
        if (found(c, &x.r) != 0)
            fail_msg("hearsay found in '%s'", clean[i]);
    }
    /* Two phrases apart are two spans. */
    make(&x, 1, T0, "c", "I heard that it is bad. Everyone says so.", -1);
    assert_int_equal(judge(c, &x.r).n_spans, 2);
    fb_filter_chain_free(c);
}

/* Every built-in phrase is folded as terms are, and is found in itself. */
static void test_hearsay_phrases(void **state)
{
    fb_filter_chain *c = chain_new();
    fb_error err;
    size_t i;

    (void)state;
    assert_true(fb__hearsay_phrases_count >= 40);
    assert_fb_ok(fb_filter_chain_add_hearsay(c, NULL, &err), &err);
    for (i = 0; i < fb__hearsay_phrases_count; i++) {
        const char *p = fb__hearsay_phrases[i];
        char spaced[256], joined[256] = "";
        size_t k, n = 0, len = strlen(p);
        fb_text_terms it;
        fb_term t;
        fb_verdict v;
        rec x;

        assert_true(len < sizeof spaced);
        for (k = 0; k <= len; k++)
            spaced[k] = p[k] == '_' ? ' ' : p[k];
        fb_text_terms_init(&it, spaced, len, 0);
        while (fb_text_terms_next(&it, &t)) {
            if (n++)
                strcat(joined, "_");
            strcat(joined, t.folded);
        }
        if (strcmp(joined, p) != 0)
            fail_msg("phrase '%s' folds to '%s': write it folded", p, joined);
        assert_true(n <= 6);
        make(&x, 1, T0, "c", spaced, -1);
        v = judge(c, &x.r);
        assert_int_equal(v.n_spans, 1);
        assert_int_equal(v.spans[0].length, len);
    }
    fb_filter_chain_free(c);
}

/* ---------------------------------------------------------------- verdicts, counts */

static void test_explain(void **state)
{
    fb_filter_chain *c = chain_new();
    fb_filter_counts k;
    fb_verdict v;
    fb_error err;
    char buf[512], small[24];
    size_t n;
    rec x;

    (void)state;
    assert_fb_ok(fb_filter_chain_add_customer(c, NULL, &err), &err);
    assert_fb_ok(fb_filter_chain_add_recency(c, NULL, &err), &err);
    assert_fb_ok(fb_filter_chain_add_hearsay(c, NULL, &err), &err);

    make(&x, 1, T0, "c", "Мне сказали, что всё плохо", -1);
    x.r.customer_status = FB_CUSTOMER_NONE;
    x.r.interaction_at = FB_TIME_UNKNOWN;
    v = judge(c, &x.r);
    n = fb_verdict_explain(&v, &x.r, buf, sizeof buf);
    assert_string_equal(buf, "drop: non_customer (customer_status non_customer); "
                             "flag: hearsay (\"Мне сказали, что\" at bytes 0..29); "
                             "noted: no_interaction_time (no interaction_at)");
    assert_int_equal(n, strlen(buf));
    /* Cut short: at a character boundary, and the whole length returned. */
    assert_int_equal(fb_verdict_explain(&v, &x.r, small, sizeof small), n);
    assert_int_equal(strlen(small), sizeof small - 1);
    assert_int_equal(fb_verdict_explain(&v, &x.r, NULL, 0), n);

    make(&x, 2, T0, "c", "fine", -1);
    v = judge(c, &x.r);
    fb_verdict_explain(&v, &x.r, buf, sizeof buf);
    assert_string_equal(buf, "keep");
    make(&x, 3, T0, "c", "fine", -1);
    x.r.interaction_at = T0 - 40 * DAY;
    v = judge(c, &x.r);
    fb_verdict_explain(&v, &x.r, buf, sizeof buf);
    assert_string_equal(buf, "flag: late (40.0 days after the experience)");

    fb_filter_chain_counts(c, &k);
    assert_int_equal(k.records, 3);
    assert_int_equal(k.dropped, 1);
    assert_int_equal(k.flagged, 1);
    assert_int_equal(k.kept, 1);
    assert_int_equal(k.dropped_by[FB_REASON_NON_CUSTOMER], 1);
    assert_int_equal(k.flagged_by[FB_REASON_HEARSAY], 1);
    assert_int_equal(k.flagged_by[FB_REASON_LATE], 1);
    assert_int_equal(k.noted_by[FB_REASON_NO_INTERACTION], 1);
    n = fb_filter_counts_explain(&k, buf, sizeof buf);
    assert_string_equal(buf, "3 records: 1 dropped, 1 flagged, 1 kept; drop reasons: 1 "
                             "non_customer; flag reasons: 1 late, 1 hearsay; noted: 1 "
                             "no_interaction_time");
    assert_int_equal(n, strlen(buf));
    fb_filter_chain_free(c);
}

/* Update records pass without judgement; a text that is not UTF-8 is judged without it. */
static void test_updates_and_bad_text(void **state)
{
    fb_filter_chain *c = chain_new();
    fb_filter_counts k;
    fb_verdict v;
    fb_error err;
    rec x;

    (void)state;
    assert_fb_ok(fb_filter_chain_add_customer(c, NULL, &err), &err);
    assert_fb_ok(fb_filter_chain_add_hearsay(c, NULL, &err), &err);
    make(&x, 1, T0, "", "", -1);
    x.r.kind = FB_KIND_UPDATE;
    x.r.ref_id = 7;
    x.r.customer_status = FB_CUSTOMER_UNKNOWN;
    v = judge(c, &x.r);
    assert_int_equal(v.action, FB_ACTION_KEEP);
    assert_int_equal(reasons_of(&v), 0);

    make(&x, 2, T0, "c", "I heard that \xff it is bad", -1);
    x.r.customer_status = FB_CUSTOMER_NONE;
    assert_int_equal(fb_filter_chain_evaluate(c, &x.r, &v, &err), FB_ERR_UTF8);
    assert_int_equal(err.offset, 13);
    assert_int_equal(v.dropped, BIT(FB_REASON_NON_CUSTOMER));
    assert_int_equal(v.flagged, 0);
    fb_filter_chain_counts(c, &k);
    assert_int_equal(k.records, 2);
    assert_int_equal(k.kept, 1);
    assert_int_equal(k.dropped, 1);
    fb_filter_chain_free(c);
}

/* ---------------------------------------------------------------- alerts */

static void test_alert_rules(void **state)
{
    fb_alert_rule rule;
    fb_error err;
    rec x;

    (void)state;
    assert_fb_ok(fb_alert_rule_parse("nps<=6", &rule, &err), &err);
    assert_int_equal(rule.kind, FB_ALERT_SCORE);
    assert_int_equal(rule.metric, FB_METRIC_NPS);
    assert_int_equal(rule.op, FB_OP_LE);
    assert_true(rule.value == 6);
    assert_string_equal(rule.text, "nps<=6");
    make(&x, 1, T0, "c", "", 6);
    assert_true(fb_alert_rule_matches(&rule, &x.r, NULL));
    x.a.score = 7;
    assert_false(fb_alert_rule_matches(&rule, &x.r, NULL));
    x.a.score = 3;
    x.a.skipped = true;
    assert_false(fb_alert_rule_matches(&rule, &x.r, NULL));

    assert_fb_ok(fb_alert_rule_parse(" csat < 3 ", &rule, &err), &err);
    assert_int_equal(rule.metric, FB_METRIC_CSAT);
    assert_int_equal(rule.op, FB_OP_LT);
    assert_false(fb_alert_rule_matches(&rule, &x.r, NULL)); /* no CSAT answer */

    assert_fb_ok(fb_alert_rule_parse("status!=active", &rule, &err), &err);
    assert_int_equal(rule.kind, FB_ALERT_STATUS);
    assert_false(fb_alert_rule_matches(&rule, &x.r, NULL));
    x.r.customer_status = FB_CUSTOMER_NONE;
    assert_true(fb_alert_rule_matches(&rule, &x.r, NULL));

    assert_fb_ok(fb_alert_rule_parse("reason=abusive", &rule, &err), &err);
    assert_int_equal(rule.kind, FB_ALERT_REASON);
    assert_int_equal(rule.reason, FB_REASON_ABUSIVE);
    assert_false(fb_alert_rule_matches(&rule, &x.r, NULL));

    assert_int_equal(fb_alert_rule_parse("nps<=11", &rule, &err), FB_ERR_RANGE);
    assert_non_null(strstr(err.message, "0..10"));
    assert_int_equal(fb_alert_rule_parse("nsp<=6", &rule, &err), FB_ERR_UNKNOWN_NAME);
    assert_non_null(strstr(err.message, "'nps'"));
    assert_int_equal(fb_alert_rule_parse("nps", &rule, &err), FB_ERR_PARSE);
    assert_int_equal(fb_alert_rule_parse("nps<=six", &rule, &err), FB_ERR_PARSE);
    assert_int_equal(fb_alert_rule_parse("<=6", &rule, &err), FB_ERR_PARSE);
    assert_int_equal(fb_alert_rule_parse("reason<abusive", &rule, &err), FB_ERR_PARSE);
    assert_int_equal(fb_alert_rule_parse("reason=abusve", &rule, &err), FB_ERR_UNKNOWN_NAME);
    assert_int_equal(fb_alert_rule_parse("reason=stale,late", &rule, &err), FB_ERR_PARSE);
    assert_int_equal(fb_alert_rule_parse("status>active", &rule, &err), FB_ERR_PARSE);
    assert_int_equal(fb_alert_rule_parse("custom<3", &rule, &err), FB_ERR_PARSE);
}

typedef struct alerts_seen {
    int calls;
    uint64_t ids[8];
    const fb_alert_rule *rules[8];
} alerts_seen;

static void on_alert(void *ctx, const fb_alert_rule *rule, const fb_record *r,
                     const fb_verdict *v)
{
    alerts_seen *s = ctx;
    assert_non_null(v);
    if (s->calls < 8) {
        s->ids[s->calls] = r->id;
        s->rules[s->calls] = rule;
    }
    s->calls++;
}

static void test_alerts(void **state)
{
    fb_filter_chain *c = chain_new();
    fb_alert_rule detractor, non_customer;
    alerts_seen seen;
    fb_error err;
    rec x;

    (void)state;
    memset(&seen, 0, sizeof seen);
    assert_fb_ok(fb_filter_chain_add_customer(c, NULL, &err), &err);
    assert_fb_ok(fb_alert_rule_parse("nps<=6", &detractor, &err), &err);
    assert_fb_ok(fb_alert_rule_parse("reason=non_customer", &non_customer, &err), &err);
    assert_fb_ok(fb_filter_chain_add_alert(c, &detractor, on_alert, &seen, &err), &err);
    assert_fb_ok(fb_filter_chain_add_alert(c, &non_customer, on_alert, &seen, &err), &err);
    assert_int_equal(fb_filter_chain_add_alert(c, &detractor, NULL, &seen, &err),
                     FB_ERR_INVALID_ARG);

    make(&x, 1, T0, "a", "", 9);
    judge(c, &x.r);
    make(&x, 2, T0, "b", "", 3);
    judge(c, &x.r);
    make(&x, 3, T0, "c", "", 2);
    x.r.customer_status = FB_CUSTOMER_NONE;
    judge(c, &x.r);
    assert_int_equal(seen.calls, 3);
    assert_int_equal(seen.ids[0], 2);
    assert_string_equal(seen.rules[0]->text, "nps<=6");
    assert_int_equal(seen.ids[1], 3);
    assert_string_equal(seen.rules[1]->text, "nps<=6");
    assert_int_equal(seen.ids[2], 3);
    assert_string_equal(seen.rules[2]->text, "reason=non_customer");
    fb_filter_chain_free(c);
}

/* ---------------------------------------------------------------- every filter */

static void test_add_all(void **state)
{
    fb_filter_policies p;
    fb_filter_chain *c = chain_new();
    fb_verdict v;
    fb_error err;
    rec x;

    (void)state;
    assert_fb_ok(fb_filter_chain_add_all(c, NULL, &err), &err);
    assert_non_null(fb_filter_chain_abuse_detector(c));
    assert_int_equal(fb_filter_chain_add_hearsay(c, NULL, &err), FB_ERR_INVALID_ARG);
    make(&x, 1, T0, "c", "I heard that the shop is closing", 5);
    x.r.customer_status = FB_CUSTOMER_NONE;
    x.r.interaction_at = T0 - 100 * DAY;
    v = judge(c, &x.r);
    assert_int_equal(v.dropped, BIT(FB_REASON_NON_CUSTOMER) | BIT(FB_REASON_STALE));
    assert_int_equal(v.flagged, BIT(FB_REASON_LATE) | BIT(FB_REASON_HEARSAY));
    assert_false(isnan(v.abuse_score));
    fb_filter_chain_free(c);

    /* A bad policy: the filters before it stay, and its own is not added. */
    fb_filter_policies_init(&p);
    assert_int_equal(p.duplicates.min_terms, 4);
    assert_int_equal(p.recency.on_stale, FB_ACTION_DROP);
    p.duplicates.window_ms = -1;
    c = chain_new();
    assert_int_equal(fb_filter_chain_add_all(c, &p, &err), FB_ERR_INVALID_ARG);
    assert_non_null(strstr(err.message, "window_ms"));
    assert_int_equal(fb_filter_chain_add_customer(c, NULL, &err), FB_ERR_INVALID_ARG);
    p.duplicates.window_ms = 0;
    assert_fb_ok(fb_filter_chain_add_duplicates(c, &p.duplicates, &err), &err);
    fb_filter_chain_free(c);
}

/*
 * Each filter once: a second of any kind is refused, naming it; a filter
 * refused for an action that is none is not added, and can be added again
 * with one (its state made only once it is sure to go in).
 */
static void test_each_filter_once(void **state)
{
    fb_filter_chain *c = chain_new();
    fb_abuse_policy abuse;
    fb_duplicate_policy dup;
    fb_burst_policy bursts;
    fb_error err;

    (void)state;
    fb_abuse_policy_init(&abuse);
    fb_duplicate_policy_init(&dup);
    fb_burst_policy_init(&bursts);
    abuse.on_shouting = (fb_action)7;
    dup.on_duplicate = (fb_action)-1;
    bursts.on_burst = (fb_action)3;
    assert_int_equal(fb_filter_chain_add_abuse(c, &abuse, &err), FB_ERR_INVALID_ARG);
    assert_non_null(strstr(err.message, "abuse filter: 7 is not an action for shouting"));
    assert_null(fb_filter_chain_abuse_detector(c));
    assert_int_equal(fb_filter_chain_add_duplicates(c, &dup, &err), FB_ERR_INVALID_ARG);
    assert_non_null(strstr(err.message, "duplicates filter: -1 is not an action"));
    assert_int_equal(fb_filter_chain_add_bursts(c, &bursts, &err), FB_ERR_INVALID_ARG);
    assert_non_null(strstr(err.message, "bursts filter: 3 is not an action"));
    assert_fb_ok(fb_filter_chain_add_abuse(c, NULL, &err), &err);
    assert_non_null(fb_filter_chain_abuse_detector(c));
    assert_fb_ok(fb_filter_chain_add_duplicates(c, NULL, &err), &err);
    assert_fb_ok(fb_filter_chain_add_bursts(c, NULL, &err), &err);
    assert_int_equal(fb_filter_chain_add_abuse(c, NULL, &err), FB_ERR_INVALID_ARG);
    assert_string_equal(err.message, "the chain has its abuse filter already");
    assert_int_equal(fb_filter_chain_add_duplicates(c, NULL, &err), FB_ERR_INVALID_ARG);
    assert_string_equal(err.message, "the chain has its duplicates filter already");
    assert_int_equal(fb_filter_chain_add_bursts(c, NULL, &err), FB_ERR_INVALID_ARG);
    assert_string_equal(err.message, "the chain has its bursts filter already");
    fb_filter_chain_free(c);
}

/* ---------------------------------------------------------------- failures */

/* Every allocation failing in turn: an error, no leak, and the counts untouched. */
static void test_out_of_memory(void **state)
{
    long fail_at;

    (void)state;
    for (fail_at = 1; fail_at < 200; fail_at++) {
        fb_test_alloc ta;
        fb_filter_chain *c = NULL;
        fb_filter_counts k;
        fb_status st = FB_OK;
        fb_verdict v;
        fb_error err;
        int i;
        rec x;

        fb_test_alloc_init(&ta, fail_at);
        st = fb_filter_chain_new(&c, &ta.alloc, &err);
        if (st == FB_OK)
            st = fb_filter_chain_add_duplicates(c, NULL, &err);
        if (st == FB_OK)
            st = fb_filter_chain_add_bursts(c, NULL, &err);
        if (st == FB_OK)
            st = fb_filter_chain_add_hearsay(c, NULL, &err);
        for (i = 0; st == FB_OK && i < 100; i++) {
            char text[64];
            snprintf(text, sizeof text, "I heard that text %d is not the same", i);
            make(&x, (uint64_t)i + 1, T0 + i, "c", text, 1);
            st = fb_filter_chain_evaluate(c, &x.r, &v, &err);
            if (st != FB_OK) {
                fb_filter_chain_counts(c, &k);
                assert_int_equal(k.records, (uint64_t)i);
            }
        }
        if (st != FB_OK)
            assert_int_equal(st, FB_ERR_NOMEM);
        fb_filter_chain_free(c);
        if (st == FB_OK && ta.calls < fail_at)
            break; /* every allocation has failed once */
    }
    assert_true(fail_at >= 6 && fail_at < 200);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reason_names),
        cmocka_unit_test(test_customer_defaults),
        cmocka_unit_test(test_customer_policy),
        cmocka_unit_test(test_recency),
        cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_duplicates_window_moves),
        cmocka_unit_test(test_bursts),
        cmocka_unit_test(test_burst_policy),
        cmocka_unit_test(test_abuse),
        cmocka_unit_test(test_hearsay),
        cmocka_unit_test(test_hearsay_phrases),
        cmocka_unit_test(test_explain),
        cmocka_unit_test(test_updates_and_bad_text),
        cmocka_unit_test(test_alert_rules),
        cmocka_unit_test(test_alerts),
        cmocka_unit_test(test_add_all),
        cmocka_unit_test(test_each_filter_once),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
