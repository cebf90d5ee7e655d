/* Summaries: grouping, periods, include flags, merges, batches, changes, leaderboards, terms. */
#include <math.h>
#include <stdlib.h>

#include "fb_test.h"

#define DAY 86400000LL

/* Milliseconds of an ISO 8601 time, for readable tests. */
static fb_time at(const char *iso)
{
    fb_time t = 0;
    if (fb_time_parse(iso, strlen(iso), &t, NULL) != FB_OK)
        fail_msg("bad time in a test: %s", iso);
    return t;
}

/* A store of records made by the tests, with room for their answers. */
typedef struct recs {
    fb_record r[512];
    fb_answer a[512][3];
    fb_str tags[512][2];
    fb_attr attrs[512][1];
    size_t n;
} recs;

static recs *recs_new(void) { return test_calloc(1, sizeof(recs)); }

/* A response at time t on channel ch with an NPS score (NaN: skipped; -1: none). */
static fb_record *add_nps(recs *s, fb_time t, fb_channel ch, double nps)
{
    fb_record *r = &s->r[s->n];
    fb_record_init(r);
    r->id = s->n + 1;
    r->created_at = t;
    r->channel = ch;
    if (nps >= 0 || isnan(nps)) {
        fb_answer *a = &s->a[s->n][r->n_answers++];
        a->metric = FB_METRIC_NPS;
        a->skipped = isnan(nps);
        a->score = isnan(nps) ? 0 : nps;
        r->answers = s->a[s->n];
    }
    s->n++;
    return r;
}

static void add_answer(recs *s, fb_record *r, fb_metric m, double score)
{
    fb_answer *a = &s->a[r - s->r][r->n_answers++];
    a->metric = m;
    a->score = score;
    r->answers = s->a[r - s->r];
}

/* Whether str holds exactly the characters of c (summary strings are not NUL-terminated). */
static void assert_str(fb_str str, const char *c)
{
    if (str.len != strlen(c) || memcmp(str.ptr, c, str.len) != 0)
        fail_msg("got \"%.*s\", want \"%s\"", (int)str.len, str.ptr, c);
}

static fb_summary *summary(unsigned dims, fb_period p, const fb_allocator *alloc)
{
    fb_summary_options o;
    fb_summary *s = NULL;
    fb_error err;
    fb_summary_options_init(&o);
    o.dims = dims;
    o.period = p;
    o.terms = true;
    o.correlations = true;
    o.attr_key = "plan";
    assert_fb_ok(fb_summary_new(&s, &o, alloc, &err), &err);
    return s;
}

static void add_all(fb_summary *s, const recs *rs)
{
    fb_error err;
    size_t i;
    for (i = 0; i < rs->n; i++)
        assert_fb_ok(fb_summary_add(s, &rs->r[i], true, &err), &err);
}

static void test_groups_by_channel_and_month_in_key_order(void **state)
{
    recs *rs = recs_new();
    fb_summary *s = summary(FB_DIM_CHANNEL, FB_PERIOD_MONTH, NULL);
    const fb_summary_group *g;
    fb_estimate e;
    (void)state;
    add_nps(rs, at("2026-03-05T10:00:00Z"), FB_CHANNEL_SMS, 10);
    add_nps(rs, at("2026-01-31T23:59:59Z"), FB_CHANNEL_EMAIL, 3);
    add_nps(rs, at("2026-01-01T00:00:00Z"), FB_CHANNEL_EMAIL, 9);
    add_nps(rs, at("2026-02-14T12:00:00Z"), FB_CHANNEL_EMAIL, 7);
    add_nps(rs, at("2026-02-28T12:00:00Z"), FB_CHANNEL_SMS, NAN);
    add_all(s, rs);
    assert_int_equal(fb_summary_count(s), 4);
    /* email (3) before sms (4); months in order within a channel */
    g = fb_summary_group_at(s, 0);
    assert_int_equal(g->channel, FB_CHANNEL_EMAIL);
    assert_int_equal(g->period_start, at("2026-01-01T00:00:00Z"));
    assert_int_equal(g->period_end, at("2026-02-01T00:00:00Z"));
    assert_int_equal(g->records, 2);
    assert_fb_ok(fb_summary_headline(s, g, FB_METRIC_NPS, &e), NULL);
    assert_int_equal(e.n, 2);
    assert_true(fabs(e.value - 0) < 1e-12); /* one promoter, one detractor */
    g = fb_summary_group_at(s, 1);
    assert_int_equal(g->channel, FB_CHANNEL_EMAIL);
    assert_int_equal(g->period_start, at("2026-02-01T00:00:00Z"));
    g = fb_summary_group_at(s, 2);
    assert_int_equal(g->channel, FB_CHANNEL_SMS);
    assert_int_equal(g->period_start, at("2026-02-01T00:00:00Z"));
    assert_int_equal(g->metric[FB_METRIC_NPS].skipped, 1);
    assert_int_equal(fb_score_acc_count(&g->metric[FB_METRIC_NPS]), 0);
    g = fb_summary_group_at(s, 3);
    assert_int_equal(g->period_start, at("2026-03-01T00:00:00Z"));
    assert_null(fb_summary_group_at(s, 4));
    g = fb_summary_total(s);
    assert_int_equal(g->records, 5);
    assert_int_equal(fb_score_acc_count(&g->metric[FB_METRIC_NPS]), 4);
    fb_summary_free(s);
    test_free(rs);
}

static void test_periods_at_an_offset(void **state)
{
    static const struct {
        fb_period p;
        const char *t, *start, *end;
    } cases[] = {
        /* 22:30 UTC on Jan 31 is 01:30 on Feb 1 at UTC+03:00 */
        {FB_PERIOD_MONTH, "2026-01-31T22:30:00Z", "2026-01-31T21:00:00Z", "2026-02-28T21:00:00Z"},
        {FB_PERIOD_DAY, "2026-01-31T22:30:00Z", "2026-01-31T21:00:00Z", "2026-02-01T21:00:00Z"},
        /* 2026-01-01 is a Thursday: its ISO week starts on Monday 2025-12-29 */
        {FB_PERIOD_WEEK, "2026-01-01T12:00:00Z", "2025-12-28T21:00:00Z", "2026-01-04T21:00:00Z"},
        {FB_PERIOD_QUARTER, "2026-05-20T12:00:00Z", "2026-03-31T21:00:00Z", "2026-06-30T21:00:00Z"},
        {FB_PERIOD_YEAR, "2026-12-31T21:30:00Z", "2026-12-31T21:00:00Z", "2027-12-31T21:00:00Z"},
        {FB_PERIOD_WEEK, "1970-01-05T12:00:00Z", "1970-01-04T21:00:00Z", "1970-01-11T21:00:00Z"},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fb_summary_options o;
        fb_summary *s;
        fb_record r;
        const fb_summary_group *g;
        fb_summary_options_init(&o);
        o.period = cases[i].p;
        o.utc_offset_minutes = 180;
        assert_fb_ok(fb_summary_new(&s, &o, NULL, NULL), NULL);
        fb_record_init(&r);
        r.created_at = at(cases[i].t);
        r.text = fb_str_from_cstr("ok");
        assert_fb_ok(fb_summary_add(s, &r, true, NULL), NULL);
        g = fb_summary_group_at(s, 0);
        if (g->period_start != at(cases[i].start) || g->period_end != at(cases[i].end))
            fail_msg("case %zu (%s of %s): got [%lld, %lld)", i, fb_period_name(cases[i].p),
                     cases[i].t, (long long)g->period_start, (long long)g->period_end);
        fb_summary_free(s);
    }
}

static void test_tags_attributes_and_the_total(void **state)
{
    recs *rs = recs_new();
    fb_summary *s = summary(FB_DIM_TAG | FB_DIM_ATTR, FB_PERIOD_NONE, NULL);
    const fb_summary_group *g;
    fb_record *r;
    (void)state;
    r = add_nps(rs, at("2026-01-02T00:00:00Z"), FB_CHANNEL_EMAIL, 10);
    rs->tags[0][0] = fb_str_from_cstr("price");
    rs->tags[0][1] = fb_str_from_cstr("delivery");
    r->tags = rs->tags[0];
    r->n_tags = 2;
    rs->attrs[0][0].key = fb_str_from_cstr("plan");
    rs->attrs[0][0].value = fb_str_from_cstr("pro");
    r->attrs = rs->attrs[0];
    r->n_attrs = 1;
    r = add_nps(rs, at("2026-01-03T00:00:00Z"), FB_CHANNEL_EMAIL, 0);
    rs->tags[1][0] = fb_str_from_cstr("price");
    rs->tags[1][1] = fb_str_from_cstr("price"); /* twice alike: counts once */
    r->tags = rs->tags[1];
    r->n_tags = 2;
    add_nps(rs, at("2026-01-04T00:00:00Z"), FB_CHANNEL_EMAIL, 8);
    add_all(s, rs);
    /* groups: ("" tag, "" plan), (delivery, pro), (price, ""), (price, pro) */
    assert_int_equal(fb_summary_count(s), 4);
    g = fb_summary_group_at(s, 0);
    assert_int_equal(g->tag.len, 0);
    assert_int_equal(g->records, 1);
    g = fb_summary_group_at(s, 1);
    assert_str(g->tag, "delivery");
    assert_str(g->attr, "pro");
    g = fb_summary_group_at(s, 2);
    assert_str(g->tag, "price");
    assert_int_equal(g->attr.len, 0);
    assert_int_equal(g->records, 1);
    g = fb_summary_group_at(s, 3);
    assert_str(g->tag, "price");
    assert_str(g->attr, "pro");
    g = fb_summary_total(s);
    assert_int_equal(g->records, 3); /* each record once */
    assert_int_equal(fb_score_acc_count(&g->metric[FB_METRIC_NPS]), 3);
    fb_summary_free(s);
    test_free(rs);
}

static void test_excluded_records_are_counted_apart(void **state)
{
    recs *rs = recs_new();
    fb_summary *s = summary(0, FB_PERIOD_NONE, NULL);
    const fb_summary_group *g;
    fb_record *inv;
    (void)state;
    add_nps(rs, at("2026-01-02T00:00:00Z"), FB_CHANNEL_EMAIL, 10);
    add_nps(rs, at("2026-01-02T00:00:00Z"), FB_CHANNEL_EMAIL, 1);
    inv = add_nps(rs, at("2026-01-02T00:00:00Z"), FB_CHANNEL_EMAIL, -1);
    inv->kind = FB_KIND_INVITATION;
    assert_fb_ok(fb_summary_add(s, &rs->r[0], true, NULL), NULL);
    assert_fb_ok(fb_summary_add(s, &rs->r[1], false, NULL), NULL);
    assert_fb_ok(fb_summary_add(s, &rs->r[2], true, NULL), NULL);
    g = fb_summary_group_at(s, 0);
    assert_int_equal(g->records, 2);
    assert_int_equal(g->excluded, 1);
    assert_int_equal(g->responses, 1);
    assert_int_equal(g->solicited, 1);
    assert_int_equal(g->invitations, 1);
    assert_int_equal(fb_score_acc_count(&g->metric[FB_METRIC_NPS]), 1);
    fb_summary_free(s);
    test_free(rs);
}

/* Random records over channels, agents, months; every kind of answer. */
static void random_records(recs *rs, size_t n, uint32_t seed)
{
    static const char *const agents[] = {"a1", "a2", "a3"};
    size_t i;
    for (i = 0; i < n && rs->n < 512; i++) {
        uint32_t u;
        fb_record *r;
        seed = seed * 1103515245u + 12345u;
        u = seed >> 8;
        r = add_nps(rs, at("2026-01-01T00:00:00Z") + (fb_time)(u % 120) * DAY,
                    (fb_channel)(u % 4), (double)(u % 11));
        r->agent_id = fb_str_from_cstr(agents[(u >> 4) % 3]);
        if (u % 3 == 0)
            add_answer(rs, r, FB_METRIC_CES, 1 + (u >> 6) % 7);
        if (u % 5 == 0)
            add_answer(rs, r, FB_METRIC_CSAT, 1 + (u >> 9) % 5);
        if (u % 2)
            r->text = fb_str_from_cstr(u % 4 == 1 ? "slow delivery, rude courier" : "great price");
    }
}

static void assert_same_groups(fb_summary *a, fb_summary *b)
{
    size_t i;
    int m;
    assert_int_equal(fb_summary_count(a), fb_summary_count(b));
    for (i = 0; i < fb_summary_count(a); i++) {
        const fb_summary_group *x = fb_summary_group_at(a, i), *y = fb_summary_group_at(b, i);
        assert_int_equal(x->channel, y->channel);
        assert_int_equal(x->agent.len, y->agent.len);
        assert_memory_equal(x->agent.ptr, y->agent.ptr, x->agent.len);
        assert_int_equal(x->period_start, y->period_start);
        assert_int_equal(x->records, y->records);
        assert_int_equal(x->responses, y->responses);
        for (m = 0; m < FB_SUMMARY_METRICS; m++)
            assert_memory_equal(&x->metric[m], &y->metric[m], sizeof x->metric[m]);
    }
}

static void test_merge_of_shards_equals_the_whole(void **state)
{
    recs *rs = recs_new();
    fb_summary *whole = summary(FB_DIM_CHANNEL | FB_DIM_AGENT, FB_PERIOD_MONTH, NULL);
    fb_summary *shard[3], *merged = summary(FB_DIM_CHANNEL | FB_DIM_AGENT, FB_PERIOD_MONTH, NULL);
    fb_term_stat *ta, *tb;
    size_t i, na, nb;
    (void)state;
    random_records(rs, 500, 1);
    add_all(whole, rs);
    for (i = 0; i < 3; i++)
        shard[i] = summary(FB_DIM_CHANNEL | FB_DIM_AGENT, FB_PERIOD_MONTH, NULL);
    for (i = 0; i < rs->n; i++)
        assert_fb_ok(fb_summary_add(shard[(i * 7) % 3], &rs->r[i], true, NULL), NULL);
    for (i = 0; i < 3; i++) {
        assert_fb_ok(fb_summary_merge(merged, shard[2 - i], NULL), NULL);
        fb_summary_free(shard[2 - i]);
    }
    assert_same_groups(whole, merged);
    assert_fb_ok(fb_summary_terms(whole, NULL, 10, false, 0, &ta, &na, NULL), NULL);
    assert_fb_ok(fb_summary_terms(merged, NULL, 10, false, 0, &tb, &nb, NULL), NULL);
    assert_int_equal(na, nb);
    for (i = 0; i < na; i++) {
        assert_int_equal(ta[i].comments, tb[i].comments);
        assert_int_equal(ta[i].detractors, tb[i].detractors);
    }
    fb_summary_free_array(whole, ta);
    fb_summary_free_array(merged, tb);
    {
        fb_summary *other = summary(FB_DIM_CHANNEL, FB_PERIOD_MONTH, NULL);
        fb_error err;
        assert_fb_status(fb_summary_merge(merged, other, &err), FB_ERR_INVALID_ARG, &err);
        fb_summary_free(other);
    }
    fb_summary_free(whole);
    fb_summary_free(merged);
    test_free(rs);
}

/* A batch of the same records gives the same summary as adding them one by one. */
static void test_batch_equals_records(void **state)
{
    recs *rs = recs_new();
    fb_summary *one = summary(FB_DIM_CHANNEL | FB_DIM_AGENT, FB_PERIOD_WEEK, NULL);
    fb_summary *bat = summary(FB_DIM_CHANNEL | FB_DIM_AGENT, FB_PERIOD_WEEK, NULL);
    static fb_time created[512];
    static fb_record_kind kind[512];
    static fb_channel channel[512];
    static fb_source source[512];
    static fb_str agent[512], text[512];
    static uint32_t answers_of[513];
    static fb_answer answers[1536];
    fb_record_batch b;
    fb_error err;
    size_t i, k = 0;
    (void)state;
    random_records(rs, 400, 5);
    add_all(one, rs);
    for (i = 0; i < rs->n; i++) {
        size_t j;
        created[i] = rs->r[i].created_at;
        kind[i] = rs->r[i].kind;
        channel[i] = rs->r[i].channel;
        source[i] = rs->r[i].source;
        agent[i] = rs->r[i].agent_id;
        text[i] = rs->r[i].text;
        answers_of[i] = (uint32_t)k;
        for (j = 0; j < rs->r[i].n_answers; j++)
            answers[k++] = rs->r[i].answers[j];
    }
    answers_of[rs->n] = (uint32_t)k;
    memset(&b, 0, sizeof b);
    b.n = rs->n;
    b.created_at = created;
    b.kind = kind;
    b.source = source;
    b.answers_of = answers_of;
    b.answers = answers;
    b.text = text;
    b.agent_id = agent;
    assert_fb_status(fb_summary_add_batch(bat, &b, NULL, &err), FB_ERR_MISSING, &err);
    assert_string_equal(err.field, "channel");
    b.channel = channel;
    assert_fb_ok(fb_summary_add_batch(bat, &b, NULL, &err), &err);
    assert_same_groups(one, bat);
    fb_summary_free(one);
    fb_summary_free(bat);
    test_free(rs);
}

/*
 * A summary by channel and week (whose groups are found through the cache of
 * recent groups) equals the one by channel, agent and week rolled up: two
 * ways to the same groups. A rollup that would double count is refused.
 */
static void test_rollup_equals_direct_grouping(void **state)
{
    recs *rs = recs_new();
    fb_summary *fine = summary(FB_DIM_CHANNEL | FB_DIM_AGENT, FB_PERIOD_WEEK, NULL);
    fb_summary *direct = summary(FB_DIM_CHANNEL, FB_PERIOD_WEEK, NULL);
    fb_summary *rolled = summary(FB_DIM_CHANNEL, FB_PERIOD_WEEK, NULL);
    fb_summary *tags = summary(FB_DIM_TAG, FB_PERIOD_NONE, NULL);
    fb_summary *none = summary(0, FB_PERIOD_NONE, NULL);
    fb_error err;
    (void)state;
    random_records(rs, 500, 11);
    add_all(fine, rs);
    add_all(direct, rs);
    assert_fb_ok(fb_summary_rollup(rolled, fine, &err), &err);
    assert_same_groups(direct, rolled);
    assert_fb_status(fb_summary_rollup(fine, direct, &err), FB_ERR_INVALID_ARG, &err);
    assert_fb_status(fb_summary_rollup(none, tags, &err), FB_ERR_INVALID_ARG, &err);
    assert_non_null(strstr(err.message, "twice"));
    fb_summary_free(fine);
    fb_summary_free(direct);
    fb_summary_free(rolled);
    fb_summary_free(tags);
    fb_summary_free(none);
    test_free(rs);
}

/* Months of steady NPS, then a drop in the last: flagged down against both baselines. */
static void test_changes_flag_a_drop(void **state)
{
    recs *rs = recs_new();
    fb_summary *s = summary(FB_DIM_CHANNEL, FB_PERIOD_MONTH, NULL);
    fb_change *ch;
    fb_change_options o;
    size_t n, i, month, tests;
    (void)state;
    for (month = 0; month < 7; month++) {
        for (i = 0; i < 60; i++) {
            double score;
            if (month < 6)
                score = i % 10 < 6 ? 10 : i % 10 < 8 ? 8 : 3; /* NPS +40 */
            else
                score = i % 10 < 3 ? 10 : i % 10 < 5 ? 8 : 2; /* NPS -20 */
            add_nps(rs, at("2025-07-15T00:00:00Z") + (fb_time)month * 31 * DAY,
                    FB_CHANNEL_WEB_FORM, score);
        }
    }
    add_all(s, rs);
    fb_change_options_init(&o);
    assert_fb_ok(fb_summary_changes(s, FB_METRIC_NPS, &o, &ch, &n, &tests, NULL), NULL);
    assert_int_equal(n, 1);
    assert_int_equal(ch[0].group, 6);
    assert_int_equal(ch[0].direction, -1);
    assert_true(fabs(ch[0].size - (-60)) < 1e-9);
    assert_true(ch[0].p_value < 1e-3);
    assert_int_equal(ch[0].kind, FB_CHANGE_PREVIOUS);
    assert_int_equal(ch[0].compared, 5);
    /* Months 2..7 against the previous one, months 4..7 against 3 or more before them. */
    assert_int_equal(tests, 6 + 4);
    fb_summary_free_array(s, ch);
    o.min_n = 61; /* no month has that many answers: nothing is judged */
    assert_fb_ok(fb_summary_changes(s, FB_METRIC_NPS, &o, &ch, &n, &tests, NULL), NULL);
    assert_int_equal(n, 0);
    assert_int_equal(tests, 0);
    fb_summary_free_array(s, ch);
    o.min_n = 1;
    o.min_effect = 70; /* a drop of 60 points is not worth a flag at this threshold */
    assert_fb_ok(fb_summary_changes(s, FB_METRIC_NPS, &o, &ch, &n, &tests, NULL), NULL);
    assert_int_equal(n, 0);
    fb_summary_free_array(s, ch);
    fb_summary_free(s);
    test_free(rs);
}

/* A tiny perfect group ranks below a large good one: the bound, not the raw value, ranks. */
static void test_leaderboard_ranks_by_lower_bound(void **state)
{
    recs *rs = recs_new();
    fb_summary *s = summary(FB_DIM_AGENT, FB_PERIOD_NONE, NULL);
    fb_leader *l;
    size_t n, i;
    (void)state;
    for (i = 0; i < 2; i++)
        add_nps(rs, 0, FB_CHANNEL_CHAT, 10)->agent_id = fb_str_from_cstr("lucky");
    for (i = 0; i < 200; i++)
        add_nps(rs, 0, FB_CHANNEL_CHAT, i % 10 < 8 ? 10 : 8)->agent_id = fb_str_from_cstr("steady");
    for (i = 0; i < 200; i++)
        add_nps(rs, 0, FB_CHANNEL_CHAT, i % 4 ? 2 : 10)->agent_id = fb_str_from_cstr("mixed");
    add_all(s, rs);
    assert_fb_ok(fb_summary_leaderboard(s, FB_METRIC_NPS, 1, &l, &n, NULL), NULL);
    assert_int_equal(n, 3);
    assert_str(fb_summary_group_at(s, l[0].group)->agent, "steady");
    assert_str(fb_summary_group_at(s, l[1].group)->agent, "lucky");
    assert_str(fb_summary_group_at(s, l[2].group)->agent, "mixed");
    assert_true(l[1].value.value > l[0].value.value); /* lucky's raw NPS is higher */
    fb_summary_free_array(s, l);
    assert_fb_ok(fb_summary_leaderboard(s, FB_METRIC_NPS, 10, &l, &n, NULL), NULL);
    assert_int_equal(n, 2); /* lucky has too few answers */
    fb_summary_free_array(s, l);
    fb_summary_free(s);
    test_free(rs);
}

static void test_terms_and_their_lift(void **state)
{
    recs *rs = recs_new();
    fb_summary *s = summary(0, FB_PERIOD_NONE, NULL);
    fb_term_stat *t;
    size_t n, i;
    (void)state;
    for (i = 0; i < 10; i++)
        add_nps(rs, 0, FB_CHANNEL_EMAIL, 2)->text = fb_str_from_cstr("The courier was RUDE and late");
    for (i = 0; i < 10; i++)
        add_nps(rs, 0, FB_CHANNEL_EMAIL, 10)->text = fb_str_from_cstr("courier was fast, fast!");
    add_all(s, rs);
    assert_fb_ok(fb_summary_terms(s, NULL, 3, false, 0, &t, &n, NULL), NULL);
    assert_int_equal(n, 3);
    assert_str(t[0].term, "courier"); /* 20 comments */
    assert_int_equal(t[0].comments, 20);
    assert_str(t[1].term, "fast"); /* 10, once per comment; "the", "was", "and" are stop words */
    assert_int_equal(t[1].comments, 10);
    fb_summary_free_array(s, t);
    assert_fb_ok(fb_summary_terms(s, NULL, 1, true, 5, &t, &n, NULL), NULL);
    assert_int_equal(n, 1);
    assert_str(t[0].term, "late"); /* "late" and "rude" tie on lift and comments: bytes decide */
    assert_true(fabs(t[0].lift - (10.5 / 11) / (0.5 / 11)) < 1e-12);
    fb_summary_free_array(s, t);
    fb_summary_free(s);
    test_free(rs);
}

static void test_correlations_of_answers_given_together(void **state)
{
    recs *rs = recs_new();
    fb_summary *s = summary(0, FB_PERIOD_NONE, NULL);
    fb_correlation *c;
    size_t n, i;
    (void)state;
    for (i = 0; i < 20; i++) {
        fb_record *r = add_nps(rs, 0, FB_CHANNEL_EMAIL, (double)(i % 11));
        add_answer(rs, r, FB_METRIC_CES, 1 + (double)(i % 11) * 0.6); /* exactly linear */
    }
    add_all(s, rs);
    assert_fb_ok(fb_summary_correlations(s, NULL, &c, &n, NULL), NULL);
    assert_int_equal(n, 1);
    assert_int_equal(c[0].a, FB_METRIC_NPS);
    assert_int_equal(c[0].b, FB_METRIC_CES);
    assert_int_equal(c[0].r.n, 20);
    assert_true(fabs(c[0].r.value - 1) < 1e-12);
    fb_summary_free_array(s, c);
    fb_summary_free(s);
    test_free(rs);
}

static void test_names_and_bad_options(void **state)
{
    fb_summary_options o;
    fb_summary *s;
    fb_error err;
    unsigned dims;
    fb_period p;
    (void)state;
    assert_fb_ok(fb_dims_parse("channel, Agent,tag", &dims, &err), &err);
    assert_int_equal(dims, FB_DIM_CHANNEL | FB_DIM_AGENT | FB_DIM_TAG);
    assert_fb_status(fb_dims_parse("chanel", &dims, &err), FB_ERR_UNKNOWN_NAME, &err);
    assert_non_null(strstr(err.message, "did you mean 'channel'"));
    assert_fb_status(fb_dims_parse("agent,agent", &dims, &err), FB_ERR_DUPLICATE, &err);
    assert_fb_ok(fb_period_parse("Quarter", &p, &err), &err);
    assert_int_equal(p, FB_PERIOD_QUARTER);
    assert_fb_status(fb_period_parse("mnth", &p, &err), FB_ERR_UNKNOWN_NAME, &err);
    assert_string_equal(fb_dim_name(FB_DIM_ATTR), "attribute");
    assert_null(fb_dim_name(3));
    fb_summary_options_init(&o);
    o.dims = FB_DIM_ATTR;
    assert_fb_status(fb_summary_new(&s, &o, NULL, &err), FB_ERR_INVALID_ARG, &err);
    assert_string_equal(err.field, "attr_key");
    fb_summary_options_init(&o);
    o.utc_offset_minutes = 24 * 60;
    assert_fb_status(fb_summary_new(&s, &o, NULL, &err), FB_ERR_INVALID_ARG, &err);
}

/* Every allocation that can fail, failing: an error, no leak (cmocka's allocator checks). */
static void test_out_of_memory(void **state)
{
    recs *rs = recs_new();
    long fail_at;
    int failed = 0;
    (void)state;
    random_records(rs, 60, 3);
    for (fail_at = 1; fail_at < 400; fail_at++) {
        fb_test_alloc ta;
        fb_summary *s = NULL;
        fb_status st;
        size_t i;
        fb_test_alloc_init(&ta, fail_at);
        st = fb_summary_new(&s, NULL, &ta.alloc, NULL);
        if (st == FB_OK) {
            fb_summary_options o;
            fb_summary_free(s);
            fb_summary_options_init(&o);
            o.dims = FB_DIM_CHANNEL | FB_DIM_AGENT;
            o.period = FB_PERIOD_MONTH;
            o.terms = o.correlations = true;
            st = fb_summary_new(&s, &o, &ta.alloc, NULL);
        }
        for (i = 0; st == FB_OK && i < rs->n; i++)
            st = fb_summary_add(s, &rs->r[i], true, NULL);
        if (st == FB_OK) {
            fb_term_stat *t;
            size_t n;
            st = fb_summary_terms(s, NULL, 5, false, 0, &t, &n, NULL);
            if (st == FB_OK)
                fb_summary_free_array(s, t);
        }
        if (st != FB_OK) {
            assert_int_equal(st, FB_ERR_NOMEM);
            failed++;
        }
        fb_summary_free(s);
        if (st == FB_OK && ta.calls < fail_at)
            break; /* every allocation has been failed once */
    }
    assert_true(failed > 10);
    test_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_groups_by_channel_and_month_in_key_order),
        cmocka_unit_test(test_periods_at_an_offset),
        cmocka_unit_test(test_tags_attributes_and_the_total),
        cmocka_unit_test(test_excluded_records_are_counted_apart),
        cmocka_unit_test(test_merge_of_shards_equals_the_whole),
        cmocka_unit_test(test_batch_equals_records),
        cmocka_unit_test(test_rollup_equals_direct_grouping),
        cmocka_unit_test(test_changes_flag_a_drop),
        cmocka_unit_test(test_leaderboard_ranks_by_lower_bound),
        cmocka_unit_test(test_terms_and_their_lift),
        cmocka_unit_test(test_correlations_of_answers_given_together),
        cmocka_unit_test(test_names_and_bad_options),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
