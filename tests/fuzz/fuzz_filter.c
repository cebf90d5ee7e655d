/*
 * libFuzzer harness for the relevance chain: the input is CSV or JSON Lines
 * (the first byte picks which), its records judged by every filter with its
 * defaults and an alert. Beyond "no crash, no leak, no undefined behaviour",
 * it checks the promises of filter.h on every record:
 *  - the action is the strongest of the reasons' actions, and the reasons of
 *    each action are apart;
 *  - every span lies inside the record's text, on character boundaries;
 *  - the explanations fit their buffers and say as much as they measure;
 *  - the counts add up: records = kept + flagged + dropped.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "feedback/feedback.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void on_alert(void *ctx, const fb_alert_rule *rule, const fb_record *r,
                     const fb_verdict *v)
{
    (void)rule;
    (void)r;
    (void)v;
    ++*(unsigned long *)ctx;
}

static int continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

static void check_verdict(const fb_verdict *v, const fb_record *r)
{
    char small[16], full[4096];
    size_t i, n;
    fb_action strongest = v->dropped ? FB_ACTION_DROP : v->flagged ? FB_ACTION_FLAG
                                                                   : FB_ACTION_KEEP;

    if (v->action != strongest || (v->dropped & v->flagged) || (v->dropped & v->noted) ||
        (v->flagged & v->noted))
        abort();
    for (i = 0; i < v->n_spans; i++) {
        const fb_verdict_span *s = &v->spans[i];
        if (s->offset > r->text.len || s->length > r->text.len - s->offset || s->length == 0)
            abort();
        if (continuation((unsigned char)r->text.ptr[s->offset]) ||
            (s->offset + s->length < r->text.len &&
             continuation((unsigned char)r->text.ptr[s->offset + s->length])))
            abort();
    }
    n = fb_verdict_explain(v, r, full, sizeof full);
    if (n < sizeof full && strlen(full) != n)
        abort();
    if (fb_verdict_explain(v, r, small, sizeof small) != n || strlen(small) >= sizeof small)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fb_io_reader_options ro;
    fb_io_reader *r = NULL;
    fb_filter_chain *c = NULL;
    fb_filter_counts k;
    fb_alert_rule rule;
    fb_verdict v;
    const fb_record *rec;
    unsigned long alerts = 0, judged = 0;
    char text[1024];
    fb_status st;
    size_t n;

    if (size < 1)
        return 0;
    fb_io_reader_options_init(&ro);
    ro.format = (data[0] & 1) ? FB_FORMAT_JSONL : FB_FORMAT_CSV;
    ro.on_error = FB_ON_ERROR_SKIP;
    if (fb_filter_chain_new(&c, NULL, NULL) != FB_OK || fb_filter_chain_add_all(c, NULL, NULL) ||
        fb_alert_rule_parse("nps<=6", &rule, NULL) != FB_OK ||
        fb_filter_chain_add_alert(c, &rule, on_alert, &alerts, NULL) != FB_OK ||
        fb_io_reader_open_memory(&r, (const char *)data + 1, size - 1, &ro, NULL) != FB_OK)
        abort();
    while ((st = fb_io_reader_next(r, &rec, NULL)) == FB_OK) {
        if (fb_filter_chain_evaluate(c, rec, &v, NULL) != FB_OK)
            abort(); /* a valid record: no error but out of memory, which is abort() here */
        judged++;
        check_verdict(&v, rec);
    }
    fb_filter_chain_counts(c, &k);
    if (k.records != judged || k.records != k.kept + k.flagged + k.dropped)
        abort();
    n = fb_filter_counts_explain(&k, text, sizeof text);
    if (strlen(text) >= sizeof text || (n < sizeof text && strlen(text) != n))
        abort();
    fb_io_reader_close(r);
    fb_filter_chain_free(c);
    return 0;
}
