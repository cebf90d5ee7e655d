/*
 * Explanations for people: of a verdict (what was found and why it matters)
 * and of a chain's counts. Both write like snprintf: as much as fits, cut at
 * a character boundary, and return the length the whole text has.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "compiler.h"
#include "error_private.h"
#include "filter_private.h"
#include "utf8.h"

/* At most this many spans of one reason are quoted; the rest are counted. */
#define SPANS_QUOTED 3
#define QUOTE_MAX 40

typedef struct out {
    char *buf;
    size_t size;
    size_t len;      /* of the whole text, also past size */
} out;

static FB__PRINTF(2, 3) void put(out *o, const char *fmt, ...)
{
    char *at = o->len < o->size ? o->buf + o->len : NULL;
    size_t room = o->len < o->size ? o->size - o->len : 0;
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(at, room, fmt, ap);
    va_end(ap);
    if (n > 0)
        o->len += (size_t)n;
}

/* Starts writing into buf (NULL, or size bytes): an empty text. */
static void start(out *o, char *buf, size_t size)
{
    o->buf = buf;
    o->size = buf ? size : 0;
    o->len = 0;
    if (o->size > 0)
        buf[0] = '\0';
}

/* Ends o's text: when it was cut, at the last whole character that fits. */
static size_t finish(out *o)
{
    if (o->size > 0 && o->len >= o->size)
        o->buf[fb__utf8_complete_prefix(o->buf, o->size - 1)] = '\0';
    return o->len;
}

/* Quotes the spans of reason in r's text, lead before the first; returns how many there are. */
static size_t put_spans(out *o, const char *lead, const fb_verdict *v, const fb_record *r,
                        fb_reason reason)
{
    size_t i, shown = 0, more = 0;
    char q[QUOTE_MAX + 8];

    for (i = 0; i < v->n_spans; i++) {
        const fb_verdict_span *s = &v->spans[i];
        if (s->reason != reason)
            continue;
        if (shown == SPANS_QUOTED) {
            more++;
            continue;
        }
        if (s->offset > r->text.len || s->length > r->text.len - s->offset)
            continue; /* not this record's verdict */
        fb__quote(q, sizeof q, r->text.ptr + s->offset, s->length, QUOTE_MAX);
        put(o, "%s\"%s\" at bytes %zu..%zu", shown ? ", " : lead, q, s->offset,
            s->offset + s->length);
        shown++;
    }
    if (more)
        put(o, " and %zu more", more);
    return shown + more;
}

/* What made reason fire for r, in a few words. */
static void put_detail(out *o, const fb_verdict *v, const fb_record *r, fb_reason reason)
{
    char t[FB_TIME_STRING_MAX];
    const char *status = fb_customer_status_name(r->customer_status);

    switch (reason) {
    case FB_REASON_NON_CUSTOMER:
    case FB_REASON_UNKNOWN_CUSTOMER:
        put(o, "customer_status %s", status ? status : "?");
        break;
    case FB_REASON_CHURNED:
        put(o, "churned, not a win-back target");
        break;
    case FB_REASON_UNVERIFIED:
        put(o, "the customer is not verified");
        break;
    case FB_REASON_STALE:
        if (r->interaction_at == FB_TIME_UNKNOWN) {
            put(o, "no interaction_at; created_at taken for it");
        } else {
            fb_time_format(r->interaction_at, t, sizeof t);
            put(o, "interaction_at %s", t);
        }
        break;
    case FB_REASON_LATE:
        put(o, "%.1f days after the experience",
            (double)(r->created_at - r->interaction_at) / 86400000.0);
        break;
    case FB_REASON_NO_INTERACTION:
        put(o, "no interaction_at");
        break;
    case FB_REASON_ABUSIVE:
    case FB_REASON_SHOUTING:
        if (reason == FB_REASON_ABUSIVE)
            put(o, "score %.2f", v->abuse_score);
        if (put_spans(o, reason == FB_REASON_ABUSIVE ? ": " : "", v, r, reason) == 0 &&
            reason == FB_REASON_SHOUTING)
            put(o, "capitals or !!!");
        break;
    case FB_REASON_DUPLICATE:
        if (v->duplicate_of)
            put(o, "the text of record %llu", (unsigned long long)v->duplicate_of);
        else
            put(o, "the text of another customer's record");
        break;
    case FB_REASON_BURST:
        put(o, "negative and unverified, in a burst on %s",
            fb_channel_name(r->channel) ? fb_channel_name(r->channel) : "its channel");
        break;
    case FB_REASON_HEARSAY:
        if (put_spans(o, "", v, r, reason) == 0)
            put(o, "a phrase of hearsay");
        break;
    }
}

/* "drop: a (detail), b (detail)" for the reasons in bits; nothing when none. */
static void put_group(out *o, const char *label, uint32_t bits, const fb_verdict *v,
                      const fb_record *r)
{
    unsigned k;
    bool first = true;

    if (!bits)
        return;
    put(o, "%s%s: ", o->len ? "; " : "", label);
    for (k = 0; k < FB_REASON_COUNT; k++) {
        if (!(bits & (1u << k)))
            continue;
        put(o, "%s%s (", first ? "" : ", ", fb_reason_name((fb_reason)k));
        put_detail(o, v, r, (fb_reason)k);
        put(o, ")");
        first = false;
    }
}

size_t fb_verdict_explain(const fb_verdict *v, const fb_record *r, char *buf, size_t size)
{
    out o;

    start(&o, buf, size);
    if (!v || !r)
        return 0;
    if (!(v->dropped | v->flagged))
        put(&o, "keep");
    put_group(&o, "drop", v->dropped, v, r);
    put_group(&o, "flag", v->flagged, v, r);
    put_group(&o, "noted", v->noted, v, r);
    return finish(&o);
}

/* "; label: 800 non_customer, 390 abusive" of the reasons counted in by, most first; or nothing. */
static void put_by(out *o, const char *label, const uint64_t by[FB_REASON_COUNT])
{
    bool done[FB_REASON_COUNT] = {false};
    bool first = true;

    for (;;) {
        unsigned k, best = FB_REASON_COUNT;
        for (k = 0; k < FB_REASON_COUNT; k++)
            if (!done[k] && by[k] > 0 && (best == FB_REASON_COUNT || by[k] > by[best]))
                best = k;
        if (best == FB_REASON_COUNT)
            return;
        done[best] = true;
        if (first)
            put(o, "; %s: ", label);
        put(o, "%s%llu %s", first ? "" : ", ", (unsigned long long)by[best],
            fb_reason_name((fb_reason)best));
        first = false;
    }
}

size_t fb_filter_counts_explain(const fb_filter_counts *c, char *buf, size_t size)
{
    out o;

    start(&o, buf, size);
    if (!c)
        return 0;
    put(&o, "%llu records: %llu dropped, %llu flagged, %llu kept",
        (unsigned long long)c->records, (unsigned long long)c->dropped,
        (unsigned long long)c->flagged, (unsigned long long)c->kept);
    put_by(&o, "drop reasons", c->dropped_by);
    put_by(&o, "flag reasons", c->flagged_by);
    put_by(&o, "noted", c->noted_by);
    return finish(&o);
}
