/*
 * The filters with memory: duplicates (texts seen within a window) and
 * bursts (counts of negative unverified feedback per channel and bucket of
 * time, against their trailing baseline).
 */
#include <string.h>

#include "alloc_private.h"
#include "filter_private.h"

#define DAY_MS 86400000LL
#define HOUR_MS 3600000LL

static uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDULL;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ULL;
    return h ^ (h >> 33);
}

/* Adds s[0..len) to the running hash h, 8 bytes at a time. */
static uint64_t hash_bytes(uint64_t h, const char *s, size_t len)
{
    uint64_t word;

    h = mix(h ^ (uint64_t)len);
    for (; len >= 8; s += 8, len -= 8) {
        memcpy(&word, s, 8);
        h = mix(h ^ word);
    }
    word = 0;
    memcpy(&word, s, len);
    return mix(h ^ word ^ 0x9E3779B97F4A7C15ULL);
}

/* ---------------------------------------------------------------- duplicates */

/*
 * A text seen. Texts are told apart by a 64-bit hash of their folded terms:
 * two different texts in one window share it with a chance of about n^2 /
 * 2^65, far below one in a billion for a million texts.
 */
typedef struct seen_text {
    uint64_t fingerprint;    /* 0: an empty slot */
    uint64_t customer;       /* a hash of the first customer_id; 0: the record had none */
    uint64_t first_id;
    fb_time last_at;         /* the latest created_at it came with */
    bool many_customers;     /* it came from more than one customer */
} seen_text;

struct fb__duplicates {
    const fb_allocator *alloc;
    fb_duplicate_policy policy;
    seen_text *slots;        /* open addressing, linear probing; cap a power of two */
    size_t cap, count;
    fb_time now;             /* the latest created_at judged */
};

void fb_duplicate_policy_init(fb_duplicate_policy *p)
{
    if (!p)
        return;
    p->window_ms = 7 * DAY_MS;
    p->min_terms = 4;
    p->on_duplicate = FB_ACTION_FLAG;
}

fb__duplicates *fb__duplicates_new(const fb_allocator *alloc, const fb_duplicate_policy *p)
{
    fb__duplicates *d = fb__calloc(alloc, sizeof *d);

    if (!d)
        return NULL;
    d->alloc = alloc;
    d->policy = *p;
    d->now = FB_TIME_UNKNOWN;
    return d;
}

void fb__duplicates_free(fb__duplicates *d)
{
    if (!d)
        return;
    fb__free(d->alloc, d->slots);
    fb__free(d->alloc, d);
}

static seen_text *slot_of(seen_text *slots, size_t cap, uint64_t fingerprint)
{
    size_t j = (size_t)fingerprint & (cap - 1);

    while (slots[j].fingerprint != 0 && slots[j].fingerprint != fingerprint)
        j = (j + 1) & (cap - 1);
    return &slots[j];
}

static bool expired(const fb__duplicates *d, const seen_text *s, fb_time at)
{
    return at - s->last_at > d->policy.window_ms;
}

/*
 * Makes room for one more text: drops the texts the window has left behind
 * and, when that frees too little, doubles the table. So memory follows the
 * texts of one window, not of all time.
 */
static int make_room(fb__duplicates *d)
{
    size_t cap = d->cap ? d->cap : 64, i, kept = 0;
    seen_text *slots;

    if (d->count + 1 <= d->cap / 2)
        return 0;
    for (i = 0; i < d->cap; i++)
        kept += d->slots[i].fingerprint != 0 && !expired(d, &d->slots[i], d->now);
    while (kept + 1 > cap / 4)
        cap *= 2;
    slots = fb__calloc(d->alloc, cap * sizeof *slots);
    if (!slots)
        return -1;
    for (i = 0; i < d->cap; i++)
        if (d->slots[i].fingerprint != 0 && !expired(d, &d->slots[i], d->now))
            *slot_of(slots, cap, d->slots[i].fingerprint) = d->slots[i];
    fb__free(d->alloc, d->slots);
    d->slots = slots;
    d->cap = cap;
    d->count = kept;
    return 0;
}

int fb__duplicates_check(fb__duplicates *d, const fb_record *r, fb_str text, uint64_t *first_id)
{
    uint64_t fingerprint = 0x6A09E667F3BCC908ULL, customer = 0;
    fb_text_terms it;
    fb_term term;
    size_t terms = 0;
    seen_text *s;

    if (d->now == FB_TIME_UNKNOWN || r->created_at > d->now)
        d->now = r->created_at;
    fb_text_terms_init(&it, text.ptr, text.len, 0);
    while (fb_text_terms_next(&it, &term)) {
        fingerprint = hash_bytes(fingerprint, term.folded, term.folded_len);
        terms++;
    }
    if (terms < d->policy.min_terms || terms == 0)
        return 0;
    fingerprint += fingerprint == 0;
    if (r->customer_id.len > 0) {
        customer = hash_bytes(0, r->customer_id.ptr, r->customer_id.len);
        customer += customer == 0;
    }
    if (make_room(d) != 0)
        return -1;
    s = slot_of(d->slots, d->cap, fingerprint);
    if (s->fingerprint != 0 && !expired(d, s, r->created_at)) {
        bool other = s->many_customers || customer == 0 || s->customer != customer;
        if (r->created_at > s->last_at)
            s->last_at = r->created_at;
        if (!other)
            return 0; /* the same customer again: sent twice, not copied */
        s->many_customers = true;
        *first_id = s->first_id;
        return 1;
    }
    if (s->fingerprint == 0)
        d->count++;
    s->fingerprint = fingerprint;
    s->customer = customer;
    s->first_id = r->id;
    s->last_at = r->created_at;
    s->many_customers = false;
    return 0;
}

/* ---------------------------------------------------------------- bursts */

/* One channel's counts: a ring of the baseline's buckets and the current one. */
typedef struct channel_window {
    int64_t bucket;          /* the current bucket's number; INT64_MIN before the first record */
    int64_t first_bucket;    /* the bucket of the channel's first record */
    uint64_t *counts;        /* baseline_buckets + 1, at bucket % (baseline_buckets + 1) */
    uint64_t baseline_sum;   /* the counts of the ring but the current bucket */
} channel_window;

struct fb__bursts {
    const fb_allocator *alloc;
    fb_burst_policy policy;
    int n_channels;
    channel_window *channels;
    uint64_t *counts;        /* every channel's ring */
};

void fb_burst_policy_init(fb_burst_policy *p)
{
    if (!p)
        return;
    p->bucket_ms = HOUR_MS;
    p->baseline_buckets = 168;
    p->min_history = 24;
    p->factor = 5;
    p->min_count = 10;
    p->on_burst = FB_ACTION_FLAG;
}

fb__bursts *fb__bursts_new(const fb_allocator *alloc, const fb_burst_policy *p)
{
    size_t ring = (size_t)p->baseline_buckets + 1;
    fb__bursts *b = fb__calloc(alloc, sizeof *b);
    int i;

    if (!b)
        return NULL;
    b->alloc = alloc;
    b->policy = *p;
    b->n_channels = fb_enum_count(FB_ENUM_CHANNEL);
    b->channels = fb__calloc(alloc, (size_t)b->n_channels * sizeof *b->channels);
    if (ring > SIZE_MAX / sizeof *b->counts / (size_t)b->n_channels)
        b->counts = NULL;
    else
        b->counts = fb__calloc(alloc, ring * (size_t)b->n_channels * sizeof *b->counts);
    if (!b->channels || !b->counts) {
        fb__bursts_free(b);
        return NULL;
    }
    for (i = 0; i < b->n_channels; i++) {
        b->channels[i].bucket = INT64_MIN;
        b->channels[i].counts = b->counts + (size_t)i * ring;
    }
    return b;
}

void fb__bursts_free(fb__bursts *b)
{
    if (!b)
        return;
    fb__free(b->alloc, b->channels);
    fb__free(b->alloc, b->counts);
    fb__free(b->alloc, b);
}

/* Moves w's current bucket forward to bucket, the one it leaves into the baseline. */
static void advance(channel_window *w, int64_t bucket, unsigned baseline_buckets)
{
    uint64_t ring = (uint64_t)baseline_buckets + 1, steps;

    if (w->bucket == INT64_MIN) {
        w->bucket = w->first_bucket = bucket;
        return;
    }
    if (bucket <= w->bucket)
        return; /* late: counted in the current bucket */
    for (steps = 0; steps < ring && w->bucket < bucket; steps++) {
        uint64_t *next = &w->counts[(uint64_t)(w->bucket + 1) % ring];
        w->baseline_sum += w->counts[(uint64_t)w->bucket % ring];
        w->baseline_sum -= *next; /* the oldest bucket leaves the baseline */
        *next = 0;
        w->bucket++;
    }
    w->bucket = bucket; /* past a whole ring, every count is 0 */
}

bool fb__bursts_check(fb__bursts *b, const fb_record *r)
{
    const fb_burst_policy *p = &b->policy;
    channel_window *w;
    uint64_t *current, history;
    double baseline;

    if ((int)r->channel < 0 || (int)r->channel >= b->n_channels)
        return false;
    w = &b->channels[r->channel];
    advance(w, r->created_at / p->bucket_ms, p->baseline_buckets);
    if (!fb__is_negative(r) || (r->customer_verified && r->customer_status != FB_CUSTOMER_NONE))
        return false;
    current = &w->counts[(uint64_t)w->bucket % ((uint64_t)p->baseline_buckets + 1)];
    ++*current;
    history = (uint64_t)(w->bucket - w->first_bucket);
    if (history < p->min_history || *current < p->min_count)
        return false;
    if (history > p->baseline_buckets)
        history = p->baseline_buckets;
    baseline = history ? (double)w->baseline_sum / (double)history : 0;
    if (baseline < 1)
        baseline = 1;
    return (double)*current > p->factor * baseline;
}
