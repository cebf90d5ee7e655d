/*
 * fb-generate: deterministic, realistic sample feedback records.
 *
 *   fb-generate N [--seed S] [-o FILE] [--format csv|jsonl]
 *
 * The same N and seed give the same bytes everywhere: the generator has its
 * own PRNG (xoshiro256** seeded through splitmix64), reads no clock, never
 * calls rand(), and makes every choice with integer arithmetic. Every record
 * goes through fb_io_writer, which validates it, so the output reads back.
 * Keep at most one PRNG call per expression (unless sequenced by &&, || or
 * ?:): C leaves the order of function arguments and operands open, and gcc
 * and clang do pick different orders.
 *
 * What comes out: responses, survey invitations and handling updates over 18
 * months ending 2026-10-31, on all 18 channels, from a pool of customers
 * (mostly active and verified), with Russian and English comments composed
 * from phrase banks to match the scores, about 2% abusive comments, two
 * bursts of identical reviews, and a rough month (February 2026) with more
 * detractors. generate_phrases.h holds the texts.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <feedback/feedback.h>

#include "generate_phrases.h"

#define PROG "fb-generate"

#include "rng.h"
#include "generate_world.h"

/* ------------------------------------------------------------ state */

typedef struct customer {
    char id[12];
    int country;
    fb_customer_status status;
    bool verified;
    bool win_back;
    bool russian;
    int product;
    int plan;
} customer;

/* A response whose handling the business tracks, for later updates. */
typedef struct open_case {
    uint64_t id;
    char customer_id[16];
    fb_customer_status status;
    bool verified;
    bool win_back;
    fb_channel channel;
    fb_source source;
    char country[3];
    int product;
    fb_handling state;
    char assignee[16];
    fb_assignee_kind assignee_kind;
} open_case;

enum { SLOT_NORMAL, SLOT_BURST_POSITIVE, SLOT_BURST_NEGATIVE };

typedef struct slot {
    int64_t t; /* seconds */
    uint32_t seq;
    int type;
} slot;

enum { POSITIVE, NEUTRAL, NEGATIVE };

#define MAX_TAGS 5
#define MAX_ATTRS 4
#define TEXT_MAX 4096

typedef struct gen {
    rng g;
    customer *customers;
    size_t n_customers;
    open_case *cases;
    size_t n_cases, cap_cases;
    unsigned next_ticket;

    /* The record being built and the memory it points to. */
    fb_record r;
    fb_answer answers[8];
    fb_str tags[MAX_TAGS];
    fb_attr attrs[MAX_ATTRS];
    char text[TEXT_MAX];
    size_t text_len;
    char customer_id[16], agent_id[8], ticket_id[16], assignee[16];
    char attr_values[MAX_ATTRS][32];
} gen;

/* ------------------------------------------------------------ helpers */

static void record_reset(gen *G, uint64_t id, int64_t t_s)
{
    fb_record_init(&G->r);
    G->r.id = id;
    G->r.created_at = t_s * 1000;
    /* A tenth of the records carry milliseconds, as web forms stamp them. */
    if (rng_pm(&G->g, 100))
        G->r.created_at += rng_range(&G->g, 1, 999);
    G->r.answers = G->answers;
    G->r.tags = G->tags;
    G->r.attrs = G->attrs;
    G->text_len = 0;
    G->text[0] = '\0';
}

static void set_str(fb_str *dst, const char *s)
{
    *dst = fb_str_from_cstr(s);
}

static void text_append(gen *G, const char *sep, const char *s)
{
    size_t sep_len = G->text_len > 0 ? strlen(sep) : 0;
    size_t len = strlen(s);
    if (G->text_len + sep_len + len >= TEXT_MAX)
        return;
    memcpy(G->text + G->text_len, sep, sep_len);
    memcpy(G->text + G->text_len + sep_len, s, len);
    G->text_len += sep_len + len;
    G->text[G->text_len] = '\0';
}

static void tag_add(gen *G, const char *tag)
{
    size_t i;
    if (!tag || G->r.n_tags >= 3)
        return;
    for (i = 0; i < G->r.n_tags; i++)
        if (strcmp(G->tags[i].ptr, tag) == 0)
            return;
    set_str(&G->tags[G->r.n_tags++], tag);
}

static void attr_add(gen *G, const char *key, const char *value)
{
    size_t i = G->r.n_attrs;
    if (i >= MAX_ATTRS)
        return;
    snprintf(G->attr_values[i], sizeof G->attr_values[i], "%s", value);
    set_str(&G->attrs[i].key, key);
    set_str(&G->attrs[i].value, G->attr_values[i]);
    G->r.n_attrs++;
}

static void set_country(gen *G, int c)
{
    if (c >= 0)
        memcpy(G->r.country, COUNTRIES[c].code, 3);
}

static int pick_country(gen *G)
{
    int w[COUNT_OF(COUNTRIES)];
    size_t i;
    for (i = 0; i < COUNT_OF(COUNTRIES); i++)
        w[i] = COUNTRIES[i].weight;
    return (int)rng_weighted(&G->g, w, COUNT_OF(w));
}

/* When the experience happened, seconds before t_s; or FB_TIME_UNKNOWN. */
static fb_time interaction_time(gen *G, int64_t t_s, bool indirect)
{
    static const int weights[] = {120, 600, 180, 60, 40};
    int64_t delta;

    if (indirect) {
        if (rng_pm(&G->g, 700))
            return FB_TIME_UNKNOWN;
        delta = rng_range(&G->g, 1, 60) * DAY_S;
    } else {
        switch (rng_weighted(&G->g, weights, COUNT_OF(weights))) {
        case 0: return FB_TIME_UNKNOWN;
        case 1: delta = rng_range(&G->g, 60, 12 * 3600); break;       /* minutes to hours */
        case 2: delta = rng_range(&G->g, 12 * 3600, 7 * 86400); break; /* up to a week */
        case 3: delta = rng_range(&G->g, 7, 45) * DAY_S; break;
        default: delta = rng_range(&G->g, 60, 270) * DAY_S; break;     /* stale */
        }
    }
    return (t_s - delta) * 1000;
}

/* ----------------------------------------------------------- sentiment */

static bool agent_is_weak(int agent)
{
    return agent == 3 || agent == 17 || agent == 29;
}

static bool agent_is_strong(int agent)
{
    return agent == 11 || agent == 22;
}

/* POSITIVE, NEUTRAL or NEGATIVE: ~50/30/20, better over time, worse in the rough month. */
static int pick_sentiment(gen *G, int64_t t_s, int agent, fb_customer_status status)
{
    int progress = (int)((t_s - START_S) * 1000 / (DAYS * DAY_S)); /* 0..1000 */
    int pos = 480 + progress / 10;
    int neg = 190 - progress * 6 / 100;
    int u;

    if (t_s >= ROUGH_FROM && t_s < ROUGH_TO) {
        pos -= 170;
        neg += 170;
    }
    if (agent_is_weak(agent)) {
        pos -= 150;
        neg += 150;
    } else if (agent_is_strong(agent)) {
        pos += 150;
        neg -= 100;
    }
    if (status == FB_CUSTOMER_CHURNED) {
        pos -= 150;
        neg += 150;
    } else if (status == FB_CUSTOMER_COMPETITOR) {
        pos -= 100;
        neg += 50;
    }
    if (pos < 30)
        pos = 30;
    if (neg < 30)
        neg = 30;
    u = (int)rng_below(&G->g, 1000);
    if (u < pos)
        return POSITIVE;
    if (u < pos + neg)
        return NEGATIVE;
    return NEUTRAL;
}

static int score_0_10(gen *G, int sentiment)
{
    static const int detractor[] = {4, 2, 3, 5, 7, 10, 12}; /* 0..6, most near 5-6 */
    if (sentiment == POSITIVE)
        return rng_pm(&G->g, 600) ? 10 : 9;
    if (sentiment == NEUTRAL)
        return rng_pm(&G->g, 550) ? 8 : 7;
    return (int)rng_weighted(&G->g, detractor, COUNT_OF(detractor));
}

static int score_1_5(gen *G, int sentiment)
{
    static const int low[] = {40, 35, 25};
    if (sentiment == POSITIVE)
        return rng_pm(&G->g, 680) ? 5 : 4;
    if (sentiment == NEUTRAL)
        return rng_pm(&G->g, 500) ? 4 : 3;
    return 1 + (int)rng_weighted(&G->g, low, COUNT_OF(low));
}

static int score_1_7(gen *G, int sentiment)
{
    static const int low[] = {30, 40, 30};
    if (sentiment == POSITIVE)
        return rng_pm(&G->g, 550) ? 7 : 6;
    if (sentiment == NEUTRAL)
        return rng_pm(&G->g, 500) ? 5 : 4;
    return 1 + (int)rng_weighted(&G->g, low, COUNT_OF(low));
}

/* A score on [min, max]: the top fifth, the middle, or the bottom two fifths. */
static int score_scale(gen *G, int sentiment, int min, int max)
{
    int span = max - min;
    if (sentiment == POSITIVE)
        return rng_range(&G->g, min + span * 4 / 5, max);
    if (sentiment == NEUTRAL)
        return rng_range(&G->g, min + span * 2 / 5, min + span * 4 / 5);
    return rng_range(&G->g, min, min + span * 2 / 5);
}

/* Sentiment drifts a little between the questions of one survey. */
static int nudge(gen *G, int sentiment)
{
    if (rng_pm(&G->g, 150))
        return sentiment == POSITIVE ? NEUTRAL : sentiment == NEGATIVE ? NEUTRAL : POSITIVE;
    return sentiment;
}

static fb_answer *answer_add(gen *G, fb_metric m, double score)
{
    fb_answer *a = &G->answers[G->r.n_answers++];
    memset(a, 0, sizeof *a);
    a->metric = m;
    a->score = score;
    return a;
}

static void add_answers(gen *G, unsigned mask, int s)
{
    if (mask & A_NPS)
        answer_add(G, FB_METRIC_NPS, score_0_10(G, s));
    if (mask & A_RATING)
        answer_add(G, FB_METRIC_RATING, score_1_5(G, s));
    if (mask & A_CSAT)
        answer_add(G, FB_METRIC_CSAT, score_1_5(G, nudge(G, s)));
    if (mask & A_CES)
        answer_add(G, FB_METRIC_CES, score_1_7(G, nudge(G, s)));
    if (mask & A_CLI) {
        answer_add(G, FB_METRIC_CLI_RECOMMEND, score_0_10(G, s));
        answer_add(G, FB_METRIC_CLI_REPURCHASE, score_0_10(G, nudge(G, s)));
        answer_add(G, FB_METRIC_CLI_CROSS_BUY, score_0_10(G, nudge(G, nudge(G, s))));
    }
    if (mask & A_GCR) {
        int yes_pm = s == POSITIVE ? 950 : s == NEUTRAL ? 750 : 300;
        answer_add(G, FB_METRIC_GCR, rng_pm(&G->g, yes_pm) ? 1 : 0);
    }
    if (mask & A_CUSTOM) {
        const custom_question *q = &PICK(&G->g, CUSTOM_QUESTIONS);
        fb_answer *a = answer_add(G, FB_METRIC_CUSTOM, score_scale(G, nudge(G, s), q->min, q->max));
        set_str(&a->name, q->name);
        a->scale_min = q->min;
        a->scale_max = q->max;
    }
}

/* Some questions are shown and left unanswered: mostly the later ones of a survey. */
static void skip_some(gen *G, bool has_text)
{
    size_t i, scored = G->r.n_answers;
    for (i = 0; i < G->r.n_answers; i++) {
        fb_answer *a = &G->answers[i];
        int pm = i == 0 ? (has_text ? 30 : 0) : 60;
        if (scored > 1 || has_text) {
            if (rng_pm(&G->g, pm)) {
                a->skipped = true;
                a->score = 0;
                scored--;
            }
        }
    }
}

/* ---------------------------------------------------------------- texts */

static const phrase *sentences(bool ru, int s, size_t *n)
{
    if (ru) {
        if (s == POSITIVE) { *n = COUNT_OF(SENT_RU_POS); return SENT_RU_POS; }
        if (s == NEUTRAL) { *n = COUNT_OF(SENT_RU_NEU); return SENT_RU_NEU; }
        *n = COUNT_OF(SENT_RU_NEG);
        return SENT_RU_NEG;
    }
    if (s == POSITIVE) { *n = COUNT_OF(SENT_EN_POS); return SENT_EN_POS; }
    if (s == NEUTRAL) { *n = COUNT_OF(SENT_EN_NEU); return SENT_EN_NEU; }
    *n = COUNT_OF(SENT_EN_NEG);
    return SENT_EN_NEG;
}

static const char *short_text(gen *G, bool ru, int s)
{
    if (ru)
        return s == POSITIVE ? PICK(&G->g, SHORT_RU_POS)
             : s == NEUTRAL  ? PICK(&G->g, SHORT_RU_NEU)
                             : PICK(&G->g, SHORT_RU_NEG);
    return s == POSITIVE ? PICK(&G->g, SHORT_EN_POS)
         : s == NEUTRAL  ? PICK(&G->g, SHORT_EN_NEU)
                         : PICK(&G->g, SHORT_EN_NEG);
}

/* Appends n distinct sentences of sentiment s, tagging their topics. */
static void add_sentences(gen *G, bool ru, int s, int n, bool paragraphs)
{
    size_t count, i;
    const phrase *bank = sentences(ru, s, &count);
    uint64_t used = 0;
    int k;

    for (k = 0; k < n && k < (int)count; k++) {
        do
            i = (size_t)rng_below(&G->g, count);
        while (used & ((uint64_t)1 << i));
        used |= (uint64_t)1 << i;
        text_append(G, paragraphs && k > 0 && rng_pm(&G->g, 300) ? "\n" : " ", bank[i].text);
        tag_add(G, bank[i].topic);
    }
}

static void make_text(gen *G, bool ru, int s, int max_length, bool abusive)
{
    static const int weights[3][3] = {{100, 0, 0}, {50, 50, 0}, {35, 40, 25}};
    size_t length = rng_weighted(&G->g, weights[max_length], 3);
    bool abuse_first = abusive && rng_pm(&G->g, 500);

    if (abuse_first)
        text_append(G, " ", ru ? PICK(&G->g, ABUSE_RU) : PICK(&G->g, ABUSE_EN));

    if (length == 0) {
        text_append(G, " ", short_text(G, ru, s));
    } else if (length == 1) {
        add_sentences(G, ru, s, rng_range(&G->g, 1, 2), false);
    } else {
        if (rng_pm(&G->g, 500))
            text_append(G, " ", ru ? PICK(&G->g, OPEN_RU) : PICK(&G->g, OPEN_EN));
        if (s == NEUTRAL) {
            add_sentences(G, ru, NEUTRAL, rng_range(&G->g, 1, 2), true);
            add_sentences(G, ru, POSITIVE, 1, true);
            add_sentences(G, ru, NEGATIVE, 1, true);
        } else {
            add_sentences(G, ru, s, rng_range(&G->g, 3, 5), true);
        }
        if (s != NEUTRAL && rng_pm(&G->g, 600)) {
            const char *close = ru ? (s == POSITIVE ? PICK(&G->g, CLOSE_RU_POS) : PICK(&G->g, CLOSE_RU_NEG))
                                   : (s == POSITIVE ? PICK(&G->g, CLOSE_EN_POS) : PICK(&G->g, CLOSE_EN_NEG));
            text_append(G, "\n", close);
        }
    }
    if (abusive && !abuse_first)
        text_append(G, " ", ru ? PICK(&G->g, ABUSE_RU) : PICK(&G->g, ABUSE_EN));

    G->r.text.ptr = G->text;
    G->r.text.len = G->text_len;
    set_str(&G->r.language, ru ? "ru" : "en");
}

/* ------------------------------------------------------------- records */

static void set_customer(gen *G, const customer *c)
{
    snprintf(G->customer_id, sizeof G->customer_id, "%s", c->id);
    set_str(&G->r.customer_id, G->customer_id);
    G->r.customer_status = c->status;
    G->r.customer_verified = c->verified;
    G->r.win_back = c->win_back;
    set_country(G, c->country);
}

static void open_case_from_record(gen *G, int product)
{
    open_case *c;
    if (G->n_cases == G->cap_cases) {
        size_t cap = G->cap_cases ? G->cap_cases * 2 : 64;
        open_case *p = realloc(G->cases, cap * sizeof *p);
        if (!p)
            return; /* no case to follow up: still a valid data set */
        G->cases = p;
        G->cap_cases = cap;
    }
    c = &G->cases[G->n_cases++];
    memset(c, 0, sizeof *c);
    c->id = G->r.id;
    snprintf(c->customer_id, sizeof c->customer_id, "%.*s", (int)G->r.customer_id.len,
             G->r.customer_id.ptr ? G->r.customer_id.ptr : "");
    c->status = G->r.customer_status;
    c->verified = G->r.customer_verified;
    c->win_back = G->r.win_back;
    c->channel = G->r.channel;
    c->source = G->r.source;
    memcpy(c->country, G->r.country, 3);
    c->product = product;
    c->state = FB_HANDLING_NEW;
}

static void make_response(gen *G, int64_t t_s)
{
    int channel_weights[18];
    const channel_profile *p;
    fb_channel ch;
    const customer *cust = NULL;
    unsigned mask;
    int set_weights[6];
    size_t i, n_sets;
    bool indirect, has_text, abusive, ru, inferred = false;
    int agent = 0, sentiment, product, country = -1;

    for (i = 0; i < 18; i++)
        channel_weights[i] = CHANNELS[i].weight;
    ch = (fb_channel)rng_weighted(&G->g, channel_weights, 18);
    p = &CHANNELS[ch];
    G->r.channel = ch;

    indirect = rng_pm(&G->g, p->indirect_pm);
    G->r.source = indirect ? FB_SOURCE_INDIRECT : FB_SOURCE_DIRECT;
    if (indirect && rng_pm(&G->g, 650)) {
        /* An anonymous review: nobody knows who wrote it. */
        ru = rng_pm(&G->g, 550);
        if (rng_pm(&G->g, 500))
            country = pick_country(G);
        set_country(G, country);
    } else {
        cust = &G->customers[rng_below(&G->g, G->n_customers)];
        set_customer(G, cust);
        if (indirect)
            G->r.customer_verified = false; /* matched by name only */
        ru = cust->russian;
        country = cust->country;
    }
    product = cust && rng_pm(&G->g, 800) ? cust->product
                                         : (int)rng_weighted(&G->g, PRODUCT_WEIGHTS, COUNT_OF(PRODUCT_WEIGHTS));
    set_str(&G->r.product, PRODUCTS[product]);

    if (rng_pm(&G->g, p->agent_pm)) {
        agent = rng_range(&G->g, 1, N_AGENTS);
        snprintf(G->agent_id, sizeof G->agent_id, "a%03d", agent);
        set_str(&G->r.agent_id, G->agent_id);
    }
    if (rng_pm(&G->g, p->ticket_pm)) {
        G->next_ticket += (unsigned)rng_range(&G->g, 1, 40);
        snprintf(G->ticket_id, sizeof G->ticket_id, "SD-%06u", G->next_ticket);
        set_str(&G->r.ticket_id, G->ticket_id);
    }

    for (n_sets = 0; n_sets < 6 && p->sets[n_sets].weight > 0; n_sets++)
        set_weights[n_sets] = p->sets[n_sets].weight;
    mask = p->sets[rng_weighted(&G->g, set_weights, n_sets)].mask;
    if (mask == A_GCR && !indirect && rng_pm(&G->g, 600)) {
        inferred = true; /* goal completion read from behaviour, nobody asked */
        G->r.source = FB_SOURCE_INFERRED;
    }

    has_text = !inferred && (mask == 0 || rng_pm(&G->g, p->text_pm));
    abusive = has_text && rng_pm(&G->g, 20);
    sentiment = abusive ? NEGATIVE : pick_sentiment(G, t_s, agent, cust ? cust->status : FB_CUSTOMER_UNKNOWN);

    add_answers(G, mask, sentiment);
    if (!inferred)
        skip_some(G, has_text);
    if (has_text)
        make_text(G, ru, sentiment, p->max_length, abusive);

    G->r.interaction_at = inferred ? t_s * 1000 - rng_range(&G->g, 5, 600) * 1000
                                   : interaction_time(G, t_s, indirect);

    if (sentiment == NEGATIVE && !indirect && rng_pm(&G->g, 250))
        tag_add(G, "callback_requested");
    if ((product == PRODUCT_STORE || product == PRODUCT_DELIVERY) && rng_pm(&G->g, 300)) {
        char v[32];
        snprintf(v, sizeof v, "%d.%02d", rng_range(&G->g, 3, 250) * 100 - 1, 0);
        attr_add(G, "order_value", v);
    }
    if (cust && rng_pm(&G->g, 150))
        attr_add(G, "plan", PLANS[cust->plan]);
    if (ch == FB_CHANNEL_MOBILE_APP && rng_pm(&G->g, 500)) {
        char v[32];
        int minor = rng_range(&G->g, 8, 14); /* one call per statement: C leaves argument order open */
        int patch = rng_range(&G->g, 0, 3);
        snprintf(v, sizeof v, "5.%d.%d", minor, patch);
        attr_add(G, "app_version", v);
        attr_add(G, "os", rng_pm(&G->g, 550) ? "android" : "ios");
    }
    if ((ch == FB_CHANNEL_QR_CODE || ch == FB_CHANNEL_KIOSK) && country >= 0) {
        char v[32];
        snprintf(v, sizeof v, "%s-%03d", COUNTRIES[country].city, rng_range(&G->g, 1, 40));
        attr_add(G, "store", v);
    }
    if (sentiment == POSITIVE && country >= 0 &&
        (ch == FB_CHANNEL_MOBILE_APP || ch == FB_CHANNEL_QR_CODE || ch == FB_CHANNEL_CHAT) &&
        (product == PRODUCT_STORE || product == PRODUCT_DELIVERY) && rng_pm(&G->g, 250)) {
        G->r.tip = rng_range(&G->g, 5, 50) * 1000;
        memcpy(G->r.tip_currency, COUNTRIES[country].currency, 4);
    }

    /* Detractors and some passives asked by the business get followed up. */
    if (!indirect && cust &&
        ((sentiment == NEGATIVE && rng_pm(&G->g, 600)) || (sentiment == NEUTRAL && rng_pm(&G->g, 80))))
        open_case_from_record(G, product);
}

/* Identical reviews from different unverified accounts within hours. */
static void make_burst(gen *G, int64_t t_s, bool positive)
{
    G->r.channel = positive ? FB_CHANNEL_MAPS : FB_CHANNEL_REVIEW_SITE;
    G->r.source = FB_SOURCE_INDIRECT;
    snprintf(G->customer_id, sizeof G->customer_id, "ext-%05d", rng_range(&G->g, 10000, 99999));
    set_str(&G->r.customer_id, G->customer_id);
    G->r.customer_status = positive ? FB_CUSTOMER_UNKNOWN : FB_CUSTOMER_NONE;
    answer_add(G, FB_METRIC_RATING, positive ? 5 : 1);
    set_str(&G->r.text, positive ? BURST_POSITIVE : BURST_NEGATIVE);
    set_str(&G->r.language, positive ? "ru" : "en");
    if (positive)
        memcpy(G->r.country, "RU", 3);
    (void)t_s;
}

static void make_invitation(gen *G, int64_t t_s)
{
    int channel_weights[COUNT_OF(INVITE_WEIGHTS)];
    const customer *c = NULL;
    size_t i;
    int tries;

    memcpy(channel_weights, INVITE_WEIGHTS, sizeof channel_weights);
    G->r.kind = FB_KIND_INVITATION;
    G->r.channel = INVITE_CHANNELS[rng_weighted(&G->g, channel_weights, COUNT_OF(channel_weights))];
    G->r.source = FB_SOURCE_DIRECT;
    for (tries = 0; tries < 5; tries++) {
        c = &G->customers[rng_below(&G->g, G->n_customers)];
        if (c->status == FB_CUSTOMER_ACTIVE || c->status == FB_CUSTOMER_CHURNED)
            break;
    }
    set_customer(G, c);
    set_str(&G->r.product, PRODUCTS[c->product]);
    G->r.interaction_at = (t_s - rng_range(&G->g, 300, 2 * 86400)) * 1000;
    i = (size_t)rng_below(&G->g, COUNT_OF(INVITE_TRIGGERS));
    if (rng_pm(&G->g, 600))
        attr_add(G, "trigger", INVITE_TRIGGERS[i]);
}

/* Moves one recent open case a step along: assigned, in progress, resolved, closed. */
static void make_update(gen *G)
{
    size_t window = G->n_cases < 24 ? G->n_cases : 24;
    size_t k = G->n_cases - 1 - (size_t)rng_below(&G->g, window);
    open_case *c = &G->cases[k];

    G->r.kind = FB_KIND_UPDATE;
    G->r.ref_id = c->id;
    G->r.channel = c->channel;
    G->r.source = c->source;
    snprintf(G->customer_id, sizeof G->customer_id, "%s", c->customer_id);
    set_str(&G->r.customer_id, G->customer_id);
    G->r.customer_status = c->status;
    G->r.customer_verified = c->verified;
    G->r.win_back = c->win_back;
    memcpy(G->r.country, c->country, 3);
    set_str(&G->r.product, PRODUCTS[c->product]);

    switch (c->state) {
    case FB_HANDLING_NEW:
        c->state = FB_HANDLING_ASSIGNED;
        if (rng_pm(&G->g, 600)) {
            snprintf(c->assignee, sizeof c->assignee, "a%03d", rng_range(&G->g, 1, N_AGENTS));
            c->assignee_kind = FB_ASSIGNEE_PERSON;
        } else {
            snprintf(c->assignee, sizeof c->assignee, "%s", PICK(&G->g, DEPARTMENTS));
            c->assignee_kind = FB_ASSIGNEE_DEPARTMENT;
        }
        if (rng_pm(&G->g, 300))
            tag_add(G, "escalated");
        if (c->win_back)
            tag_add(G, "win_back_offer");
        break;
    case FB_HANDLING_ASSIGNED:
        c->state = rng_pm(&G->g, 200) ? FB_HANDLING_RESOLVED : FB_HANDLING_IN_PROGRESS;
        break;
    case FB_HANDLING_IN_PROGRESS:
        c->state = FB_HANDLING_RESOLVED;
        if (rng_pm(&G->g, 400))
            tag_add(G, "callback_done");
        break;
    default:
        c->state = FB_HANDLING_CLOSED;
        break;
    }
    G->r.handling = c->state;
    snprintf(G->assignee, sizeof G->assignee, "%s", c->assignee);
    set_str(&G->r.assignee, G->assignee);
    G->r.assignee_kind = c->assignee_kind;

    if (c->state == FB_HANDLING_CLOSED) {
        memmove(c, c + 1, (G->n_cases - k - 1) * sizeof *c);
        G->n_cases--;
    }
}

/* ----------------------------------------------------------------- plan */

static int slot_cmp(const void *a, const void *b)
{
    const slot *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq ? 1 : 0;
}

/* The moments records are created, in order. Volume grows over the 18 months. */
static slot *plan_slots(gen *G, size_t n)
{
    slot *slots = malloc((n ? n : 1) * sizeof *slots);
    size_t burst_pos = n >= 400 ? 7 : n >= 100 ? 3 : 0;
    size_t burst_neg = n >= 400 ? 5 : n >= 100 ? 2 : 0;
    size_t normal = n - burst_pos - burst_neg, i;

    if (!slots)
        return NULL;
    for (i = 0; i < n; i++) {
        int64_t day;
        slots[i].seq = (uint32_t)i;
        if (i < normal) {
            /* Half uniform, half leaning late: a density rising from 0.5 to 1.5. */
            day = (int64_t)rng_below(&G->g, DAYS);
            if (rng_pm(&G->g, 500)) {
                int64_t other = (int64_t)rng_below(&G->g, DAYS);
                if (other > day)
                    day = other;
            }
            slots[i].type = SLOT_NORMAL;
            slots[i].t = START_S + day * DAY_S;
            slots[i].t += (int64_t)rng_weighted(&G->g, HOUR_WEIGHTS, 24) * 3600;
            slots[i].t += rng_range(&G->g, 0, 3599);
        } else if (i < normal + burst_pos) {
            slots[i].type = SLOT_BURST_POSITIVE; /* 2026-03-14T10:00Z, over 30 hours */
            slots[i].t = 1773482400LL + rng_range(&G->g, 0, 30 * 3600);
        } else {
            slots[i].type = SLOT_BURST_NEGATIVE; /* 2025-12-02T18:00Z, over 20 hours */
            slots[i].t = 1764698400LL + rng_range(&G->g, 0, 20 * 3600);
        }
    }
    qsort(slots, n, sizeof *slots, slot_cmp);
    return slots;
}

static int make_customers(gen *G, size_t n_records)
{
    size_t i;
    G->n_customers = n_records / 3 + 20;
    G->customers = calloc(G->n_customers, sizeof *G->customers);
    if (!G->customers)
        return -1;
    for (i = 0; i < G->n_customers; i++) {
        customer *c = &G->customers[i];
        /* 611953 is prime to 900000, so the ids are distinct six-digit numbers. */
        snprintf(c->id, sizeof c->id, "c%06u", (unsigned)((i * 611953u + 100003u) % 900000u + 100000u));
        c->country = pick_country(G);
        c->status = (fb_customer_status)rng_weighted(&G->g, STATUS_WEIGHTS, COUNT_OF(STATUS_WEIGHTS));
        c->verified = rng_pm(&G->g, STATUS_VERIFIED_PM[c->status]);
        c->win_back = c->status == FB_CUSTOMER_CHURNED && rng_pm(&G->g, 500);
        c->russian = COUNTRIES[c->country].russian ? rng_pm(&G->g, 900) : rng_pm(&G->g, 30);
        c->product = (int)rng_weighted(&G->g, PRODUCT_WEIGHTS, COUNT_OF(PRODUCT_WEIGHTS));
        c->plan = (int)rng_weighted(&G->g, PLAN_WEIGHTS, COUNT_OF(PLAN_WEIGHTS));
    }
    return 0;
}

/* ---------------------------------------------------------------- main */

static int write_file(void *ctx, const char *buf, size_t size)
{
    return fwrite(buf, 1, size, (FILE *)ctx) == size ? 0 : -1;
}

static void usage(FILE *out)
{
    fputs("Usage: fb-generate N [--seed S] [-o FILE] [--format csv|jsonl]\n"
          "\n"
          "Writes N realistic sample feedback records. The same N and seed always\n"
          "give the same bytes. Output goes to FILE (format from its extension) or\n"
          "to standard output (CSV unless --format says otherwise).\n"
          "\n"
          "  --seed S        the seed, a non-negative integer (default 1)\n"
          "  -o, --output F  write to F instead of standard output\n"
          "  --format FMT    csv or jsonl (default: from F's extension, else csv)\n"
          "  -h, --help      show this help\n"
          "\n"
          "Exit status: 0 success, 1 a record was refused, 2 usage error, 3 I/O error.\n",
          out);
}

static int usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "%s: %s%s%s\n", PROG, msg, arg ? " " : "", arg ? arg : "");
    fprintf(stderr, "Try '%s --help' for more information.\n", PROG);
    return 2;
}

static bool parse_u64(const char *s, uint64_t *out)
{
    char *end;
    unsigned long long v;
    if (!s || *s < '0' || *s > '9')
        return false;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0')
        return false;
    *out = (uint64_t)v;
    return true;
}

int main(int argc, char **argv)
{
    const char *count_arg = NULL, *seed_arg = NULL, *path = NULL, *format_arg = NULL;
    uint64_t n = 0, seed = 1;
    fb_io_writer_options opt;
    fb_io_writer *w = NULL;
    fb_error err;
    FILE *fp = stdout;
    slot *slots;
    gen G;
    size_t i;
    int code = 0, a;

    for (a = 1; a < argc; a++) {
        const char *arg = argv[a];
        const char **target = NULL;
        const char *eq = strchr(arg, '=');
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            usage(stdout);
            return 0;
        }
        if (strcmp(arg, "--seed") == 0 || strncmp(arg, "--seed=", 7) == 0)
            target = &seed_arg;
        else if (strcmp(arg, "-o") == 0 || strcmp(arg, "--output") == 0 || strncmp(arg, "--output=", 9) == 0)
            target = &path;
        else if (strcmp(arg, "--format") == 0 || strncmp(arg, "--format=", 9) == 0)
            target = &format_arg;
        else if (arg[0] == '-' && arg[1] != '\0')
            return usage_error("unknown option", arg);
        else if (count_arg)
            return usage_error("unexpected argument", arg);
        else {
            count_arg = arg;
            continue;
        }
        if (eq && arg[1] == '-') {
            *target = eq + 1;
        } else {
            if (a + 1 >= argc)
                return usage_error("option needs a value:", arg);
            *target = argv[++a];
        }
    }
    if (!count_arg)
        return usage_error("needs N, the number of records", NULL);
    if (!parse_u64(count_arg, &n) || n > 100000000u)
        return usage_error("N must be a whole number up to 100000000, not", count_arg);
    if (seed_arg && !parse_u64(seed_arg, &seed))
        return usage_error("the seed must be a non-negative integer, not", seed_arg);

    fb_io_writer_options_init(&opt);
    if (format_arg) {
        if (fb_format_parse(format_arg, &opt.format, NULL) != FB_OK)
            return usage_error("unknown format (use csv or jsonl):", format_arg);
    } else if (path && fb_format_from_path(path, &opt.format, NULL) != FB_OK) {
        return usage_error("cannot tell the format from the name; give --format:", path);
    }
    if (opt.format == FB_FORMAT_AUTO)
        opt.format = FB_FORMAT_CSV; /* standard output: CSV unless told otherwise */

    memset(&G, 0, sizeof G);
    rng_seed(&G.g, seed);
    G.next_ticket = 204300;
    if (make_customers(&G, (size_t)n) != 0 || !(slots = plan_slots(&G, (size_t)n))) {
        fprintf(stderr, "%s: out of memory\n", PROG);
        free(G.customers);
        return 3;
    }

    if (path && strcmp(path, "-") != 0) {
        fp = fopen(path, "wb");
        if (!fp) {
            fprintf(stderr, "%s: %s: cannot create: %s\n", PROG, path, strerror(errno));
            free(slots);
            free(G.customers);
            return 3;
        }
    }
    fb_error_clear(&err);
    if (fb_io_writer_open_callback(&w, write_file, fp, &opt, &err) != FB_OK) {
        fprintf(stderr, "%s: %s\n", PROG, err.message);
        code = 3;
    }

    for (i = 0; code == 0 && i < (size_t)n; i++) {
        const slot *s = &slots[i];
        fb_status st;

        record_reset(&G, ID_BASE + 1 + i, s->t);
        if (s->type != SLOT_NORMAL) {
            make_burst(&G, s->t, s->type == SLOT_BURST_POSITIVE);
        } else {
            int u = (int)rng_below(&G.g, 1000);
            if (u < 90 && G.n_cases > 0)
                make_update(&G);
            else if (u < 210)
                make_invitation(&G, s->t);
            else
                make_response(&G, s->t);
        }
        fb_error_clear(&err);
        st = fb_io_writer_write(w, &G.r, &err);
        if (st != FB_OK) {
            fprintf(stderr, "%s: record %zu (id %llu): %s\n", PROG, i + 1,
                    (unsigned long long)G.r.id, err.message[0] ? err.message : fb_status_str(st));
            code = st == FB_ERR_IO ? 3 : 1;
        }
    }

    fb_error_clear(&err);
    if (fb_io_writer_close(w, &err) != FB_OK && code == 0) {
        fprintf(stderr, "%s: %s\n", PROG, err.message);
        code = 3;
    }
    if (fflush(fp) != 0 && code == 0) {
        fprintf(stderr, "%s: write error: %s\n", PROG, strerror(errno));
        code = 3;
    }
    if (fp != stdout && fclose(fp) != 0 && code == 0) {
        fprintf(stderr, "%s: write error: %s\n", PROG, strerror(errno));
        code = 3;
    }
    free(slots);
    free(G.cases);
    free(G.customers);
    return code;
}
