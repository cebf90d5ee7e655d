/*
 * The records the benchmarks measure on, and the helpers they share: see
 * bench_records.h.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <feedback/feedback.h>

#include "bench_records.h"
#include "generate_world.h"
#include "rng.h"


const char *bench_prog = "fb-bench";

double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

double bench_median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof v[0], cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void bench_die(const char *what, const char *detail)
{
    fprintf(stderr, "%s: %s%s%s\n", bench_prog, what, detail ? ": " : "", detail ? detail : "");
    exit(1);
}

void bench_die_err(const char *what, fb_status st, const fb_error *err)
{
    bench_die(what, err && err->message[0] ? err->message : fb_status_str(st));
}

void *bench_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        bench_die("out of memory", NULL);
    return p;
}

/* A growing byte buffer. */

void bench_buf_put(bench_buf *b, const void *data, size_t n)
{
    if (n == 0)
        return;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 1 << 20;
        char *p;
        while (cap < b->len + n)
            cap *= 2;
        p = realloc(b->p, cap);
        if (!p)
            bench_die("out of memory", NULL);
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
}

/* Strings that live as long as the program: bump allocation in 1 MiB blocks, freed at the end. */
typedef struct arena_blk {
    struct arena_blk *next;
} arena_blk;
static arena_blk *arena_blocks;
static char *arena_next;
static size_t arena_left;

static fb_str arena_str(const char *s, size_t n)
{
    fb_str r;
    if (n + 1 > arena_left) {
        size_t size = n + 1 > (1u << 20) ? n + 1 : (1u << 20);
        arena_blk *b = bench_xmalloc(sizeof *b + size);
        b->next = arena_blocks;
        arena_blocks = b;
        arena_next = (char *)(b + 1);
        arena_left = size;
    }
    memcpy(arena_next, s, n);
    arena_next[n] = '\0';
    r.ptr = arena_next;
    r.len = n;
    arena_next += n + 1;
    arena_left -= n + 1;
    return r;
}

static void arena_free(void)
{
    while (arena_blocks) {
        arena_blk *next = arena_blocks->next;
        free(arena_blocks);
        arena_blocks = next;
    }
}

/* ------------------------------------------------------------ texts */

typedef struct text {
    fb_str s;
    bool ru;
} text;

static text *texts;
static size_t n_texts, cap_texts;

static void text_add(const char *s, size_t n, bool ru)
{
    fb_record r;
    fb_str t = {s, n};

    /* Only what a record accepts: valid UTF-8 within the limit. */
    fb_record_init(&r);
    r.created_at = 0;
    r.text = t;
    if (n == 0 || fb_record_validate(&r, NULL) != FB_OK)
        return;
    if (n_texts == cap_texts) {
        cap_texts = cap_texts ? cap_texts * 2 : 4096;
        texts = realloc(texts, cap_texts * sizeof *texts);
        if (!texts)
            bench_die("out of memory", NULL);
    }
    texts[n_texts].s = arena_str(s, n);
    texts[n_texts].ru = ru;
    n_texts++;
}

/* Reads "label<TAB>text" lines after a header; returns the texts added, or -1 if unreadable. */
static long load_tsv(const char *path, bool ru)
{
    FILE *fp = fopen(path, "rb");
    bench_buf b = {0};
    char chunk[65536];
    size_t n, before = n_texts;
    char *p, *end;
    int line = 0;

    if (!fp)
        return -1;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        bench_buf_put(&b, chunk, n);
    fclose(fp);
    p = b.p;
    end = b.p + b.len;
    while (p && p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *eol = nl ? nl : end;
        char *tab = memchr(p, '\t', (size_t)(eol - p));
        size_t len;
        if (line++ > 0 && tab) {
            len = (size_t)(eol - tab - 1);
            if (len > 0 && tab[len] == '\r')
                len--;
            text_add(tab + 1, len, ru);
        }
        p = nl ? nl + 1 : NULL;
    }
    free(b.p);
    return (long)(n_texts - before);
}

static const char *const SYN_EN[] = {"Delivery was late again", "great support, thanks",
                                     "the app keeps crashing after the update",
                                     "Prices went up and nobody told me",
                                     "Operator solved my problem in five minutes"};
static const char *const SYN_RU[] = {"Курьер опоздал на два часа", "Спасибо, всё отлично",
                                     "Приложение вылетает после обновления",
                                     "Цены выросли, а качество нет",
                                     "Оператор быстро решил мою проблему"};

/* Synthetic comments from a few sentences, when the real texts are missing. */
static void synthetic_texts(rng *g)
{
    char s[512];
    int i, k;
    for (i = 0; i < 20000; i++) {
        bool ru = i % 2 == 1;
        size_t len = 0;
        int n = rng_range(g, 1, 4);
        for (k = 0; k < n; k++) {
            const char *p = ru ? PICK(g, SYN_RU) : PICK(g, SYN_EN);
            size_t l = strlen(p);
            if (len + l + 2 >= sizeof s)
                break;
            if (k > 0)
                s[len++] = ' ';
            memcpy(s + len, p, l);
            len += l;
            s[len++] = '.';
        }
        text_add(s, len, ru);
    }
}

/* ------------------------------------------------------------ records */

#define N_CUSTOMERS 200000
#define N_TAGS 8
static fb_str customer_ids[N_CUSTOMERS];
static fb_customer_status customer_status[N_CUSTOMERS];
static bool customer_verified[N_CUSTOMERS];
static unsigned char customer_country[N_CUSTOMERS];
static fb_str agent_ids[N_AGENTS];
static fb_str tag_pool[N_TAGS];
static fb_attr plan_attrs[COUNT_OF(PLANS)];
static const char *const TAGS[N_TAGS] = {"delivery", "price", "support", "app",
                                         "billing",  "quality", "staff", "refund"};

static void make_world(rng *g)
{
    char s[32];
    size_t i;
    for (i = 0; i < N_CUSTOMERS; i++) {
        int n = snprintf(s, sizeof s, "c%07u", (unsigned)(i + 1));
        customer_ids[i] = arena_str(s, (size_t)n);
        customer_status[i] = (fb_customer_status)rng_weighted(g, STATUS_WEIGHTS,
                                                              COUNT_OF(STATUS_WEIGHTS));
        customer_verified[i] = rng_pm(g, STATUS_VERIFIED_PM[customer_status[i]]);
        customer_country[i] = (unsigned char)rng_below(g, COUNT_OF(COUNTRIES));
    }
    for (i = 0; i < N_AGENTS; i++) {
        int n = snprintf(s, sizeof s, "a%03u", (unsigned)(i + 1));
        agent_ids[i] = arena_str(s, (size_t)n);
    }
    for (i = 0; i < N_TAGS; i++)
        tag_pool[i] = fb_str_from_cstr(TAGS[i]);
    for (i = 0; i < COUNT_OF(PLANS); i++) {
        plan_attrs[i].key = fb_str_from_cstr("plan");
        plan_attrs[i].value = fb_str_from_cstr(PLANS[i]);
    }
}

static int score(rng *g, fb_metric m)
{
    static const int nps_w[11] = {3, 1, 2, 2, 3, 5, 7, 12, 18, 22, 25};
    static const int five_w[5] = {6, 6, 14, 34, 40};
    static const int seven_w[7] = {4, 5, 8, 12, 20, 26, 25};
    switch (m) {
    case FB_METRIC_CSAT:
    case FB_METRIC_RATING:
        return 1 + (int)rng_weighted(g, five_w, 5);
    case FB_METRIC_CES:
        return 1 + (int)rng_weighted(g, seven_w, 7);
    case FB_METRIC_GCR:
        return rng_pm(g, 780) ? 1 : 0;
    default:
        return (int)rng_weighted(g, nps_w, 11);
    }
}

static fb_answer *answers_pool;
static size_t answers_used;

static void add_answer(fb_record *r, rng *g, fb_metric m)
{
    fb_answer *a = &answers_pool[answers_used++];
    memset(a, 0, sizeof *a);
    a->metric = m;
    if (m == FB_METRIC_CUSTOM) {
        const custom_question *q = &CUSTOM_QUESTIONS[rng_below(g, COUNT_OF(CUSTOM_QUESTIONS))];
        a->name = fb_str_from_cstr(q->name);
        a->scale_min = q->min;
        a->scale_max = q->max;
        a->score = rng_range(g, q->min, q->max);
    } else if (rng_pm(g, 15)) {
        a->skipped = true;
    } else {
        a->score = score(g, m);
    }
    if (r->n_answers == 0)
        r->answers = a;
    r->n_answers++;
}

static void add_answers(fb_record *r, rng *g, unsigned mask)
{
    if (mask & A_NPS)
        add_answer(r, g, FB_METRIC_NPS);
    if (mask & A_CSAT)
        add_answer(r, g, FB_METRIC_CSAT);
    if (mask & A_CES)
        add_answer(r, g, FB_METRIC_CES);
    if (mask & A_CLI) {
        add_answer(r, g, FB_METRIC_CLI_RECOMMEND);
        add_answer(r, g, FB_METRIC_CLI_REPURCHASE);
        add_answer(r, g, FB_METRIC_CLI_CROSS_BUY);
    }
    if (mask & A_GCR)
        add_answer(r, g, FB_METRIC_GCR);
    if (mask & A_RATING)
        add_answer(r, g, FB_METRIC_RATING);
    if (mask & A_CUSTOM)
        add_answer(r, g, FB_METRIC_CUSTOM);
}

static unsigned pick_set(rng *g, const channel_profile *p)
{
    int w[6];
    size_t i, n = 0;
    for (i = 0; i < 6 && p->sets[i].weight > 0; i++)
        w[n++] = p->sets[i].weight;
    return p->sets[rng_weighted(g, w, n)].mask;
}

static void set_country(fb_record *r, int c)
{
    memcpy(r->country, COUNTRIES[c].code, 3);
}

/* Makes record i (1-based id) at time t (Unix ms). */
static void make_record(fb_record *r, rng *g, uint64_t id, fb_time t)
{
    static int channel_w[18];
    size_t cust = (size_t)rng_below(g, N_CUSTOMERS);
    int kind_pm = (int)rng_below(g, 1000), i;
    const channel_profile *p;

    if (channel_w[1] == 0)
        for (i = 0; i < 18; i++)
            channel_w[i] = CHANNELS[i].weight;
    fb_record_init(r);
    r->id = id;
    r->created_at = t;
    /*
     * The record's own copies of its long strings, laid out in the order the
     * records are made, as a parser or a host hands records to the writer.
     * Pointers into the shared pools would send every read to a random place
     * in megabytes of memory, and measure its latency rather than the code.
     */
    r->customer_id = arena_str(customer_ids[cust].ptr, customer_ids[cust].len);
    r->customer_status = customer_status[cust];
    r->customer_verified = customer_verified[cust];
    r->win_back = r->customer_status == FB_CUSTOMER_CHURNED && rng_pm(g, 300);
    set_country(r, customer_country[cust]);

    if (kind_pm < 70 && id > 1000) { /* an update of a recent record */
        r->kind = FB_KIND_UPDATE;
        r->channel = FB_CHANNEL_SERVICE_DESK;
        r->ref_id = id - 1 - rng_below(g, 1000);
        r->handling = (fb_handling)rng_range(g, 1, 4);
        if (rng_pm(g, 700)) {
            r->assignee = agent_ids[rng_below(g, N_AGENTS)];
        } else {
            r->assignee = fb_str_from_cstr(PICK(g, DEPARTMENTS));
            r->assignee_kind = FB_ASSIGNEE_DEPARTMENT;
        }
        return;
    }
    if (kind_pm < 150) { /* an invitation */
        r->kind = FB_KIND_INVITATION;
        r->channel = INVITE_CHANNELS[rng_weighted(g, INVITE_WEIGHTS, COUNT_OF(INVITE_WEIGHTS))];
        return;
    }

    r->channel = (fb_channel)rng_weighted(g, channel_w, 18);
    p = &CHANNELS[r->channel];
    r->source = rng_pm(g, p->indirect_pm) ? FB_SOURCE_INDIRECT : FB_SOURCE_DIRECT;
    if (rng_pm(g, 700))
        r->interaction_at = t - 60000 * (fb_time)rng_range(g, 1, 60 * 24 * 30);
    add_answers(r, g, pick_set(g, p));
    /* About 59% of responses carry a comment: half of all records. */
    if (r->n_answers == 0 || rng_pm(g, 590)) {
        const text *tx = &texts[rng_below(g, n_texts)];
        r->text = arena_str(tx->s.ptr, tx->s.len);
        r->language = fb_str_from_cstr(tx->ru ? "ru" : "en");
    }
    if (r->n_answers == 0 && r->text.len == 0)
        add_answer(r, g, FB_METRIC_RATING);
    if (rng_pm(g, 300)) {
        size_t k = (size_t)rng_below(g, N_TAGS - 1);
        r->tags = &tag_pool[k];
        r->n_tags = rng_pm(g, 300) ? 2 : 1;
    }
    if (rng_pm(g, p->agent_pm))
        r->agent_id = agent_ids[rng_below(g, N_AGENTS)];
    if (rng_pm(g, p->ticket_pm)) {
        char s[24];
        int n = snprintf(s, sizeof s, "T-%07llu", (unsigned long long)(id / 3));
        r->ticket_id = arena_str(s, (size_t)n);
    }
    if (rng_pm(g, 800))
        r->product = fb_str_from_cstr(PRODUCTS[rng_weighted(g, PRODUCT_WEIGHTS,
                                                            COUNT_OF(PRODUCT_WEIGHTS))]);
    if (rng_pm(g, 30)) {
        r->tip = 100 * rng_range(g, 1, 20);
        memcpy(r->tip_currency, COUNTRIES[customer_country[cust]].currency, 4);
    }
    if (rng_pm(g, 200)) {
        r->attrs = &plan_attrs[rng_weighted(g, PLAN_WEIGHTS, COUNT_OF(PLAN_WEIGHTS))];
        r->n_attrs = 1;
    }
}

static fb_record *make_records(size_t n, uint64_t seed)
{
    fb_record *recs = bench_xmalloc(n * sizeof *recs);
    fb_time t = (fb_time)START_S * 1000;
    rng g;
    size_t i;

    rng_seed(&g, seed);
    answers_pool = bench_xmalloc(n * 7 * sizeof *answers_pool);
    for (i = 0; i < n; i++) {
        fb_error err;
        t += (fb_time)rng_below(&g, 60000); /* about two records a minute */
        make_record(&recs[i], &g, i + 1, t);
        fb_error_clear(&err);
        if (fb_record_validate(&recs[i], &err) != FB_OK)
            bench_die_err("generated an invalid record", err.code, &err);
    }
    return recs;
}

/* ------------------------------------------------------------ the records */

fb_record *bench_records_make(size_t n, uint64_t seed, const char *texts_dir, bench_texts *info)
{
    char tsv[4096];
    rng g;

    info->en = info->ru = -1;
    if (texts_dir) {
        snprintf(tsv, sizeof tsv, "%s/en_dev.tsv", texts_dir);
        info->en = load_tsv(tsv, false);
        snprintf(tsv, sizeof tsv, "%s/ru_dev.tsv", texts_dir);
        info->ru = load_tsv(tsv, true);
    }
    info->real = n_texts > 0;
    rng_seed(&g, seed ^ 0x5eed);
    if (!info->real)
        synthetic_texts(&g);
    make_world(&g);
    return make_records(n, seed);
}

void bench_records_free(fb_record *recs)
{
    free(recs);
    free(answers_pool);
    answers_pool = NULL;
    answers_used = 0;
    free(texts);
    texts = NULL;
    n_texts = cap_texts = 0;
    arena_free();
}
