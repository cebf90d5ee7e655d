/*
 * The relevance chain for scripting languages: policies set by name before
 * the first record, the default filters added then, alerts recorded in the
 * verdict rather than called back, the verdict read field by field.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fbb.h"

#define DAY_MS 86400000.0

static fb_status usable(const fbb_chain *c, bool to_configure, fb_error *err)
{
    if (c->closed)
        return fbb_fail(err, FB_ERR_INVALID_ARG, "the filter chain is closed");
    if (to_configure && c->built)
        return fbb_fail(err, FB_ERR_INVALID_ARG, "the filter chain's policies are fixed once "
                        "it has judged a record: set them first");
    return FB_OK;
}

static void on_alert(void *ctx, const fb_alert_rule *rule, const fb_record *r,
                     const fb_verdict *v)
{
    fbb_chain *c = ctx;
    size_t i;

    (void)r;
    (void)v;
    for (i = 0; i < c->n_rules && i < 64; i++)
        if (strcmp(c->rules[i].text, rule->text) == 0)
            c->alerts_hit |= 1ull << i;
}

fbb_chain *fbb_chain_new(fb_error *err)
{
    fbb_chain *c = calloc(1, sizeof *c);

    if (!c) {
        fbb_fail(err, FB_ERR_NOMEM, "out of memory");
        return NULL;
    }
    if (fb_filter_chain_new(&c->chain, NULL, err) != FB_OK) {
        free(c);
        return NULL;
    }
    fb_filter_policies_init(&c->policies);
    c->verdict.abuse_score = NAN;
    fb_record_init(&c->last);
    return c;
}

fb_status fbb_chain_set_recency(fbb_chain *c, double max_age_days, double max_delay_days,
                                fb_time now, fb_error *err)
{
    fb_status st = usable(c, true, err);

    if (st != FB_OK)
        return st;
    if (!(max_age_days >= 0 && max_age_days < 1e6) ||
        !(max_delay_days >= 0 && max_delay_days < 1e6))
        return fbb_fail(err, FB_ERR_RANGE, "max_age_days and max_delay_days must be 0 to 1e6 days");
    c->policies.recency.max_age_ms = (int64_t)(max_age_days * DAY_MS);
    c->policies.recency.max_delay_ms = (int64_t)(max_delay_days * DAY_MS);
    c->policies.recency.now = now;
    return FB_OK;
}

fb_status fbb_chain_set_customers(fbb_chain *c, bool require_verified, fb_error *err)
{
    fb_status st = usable(c, true, err);

    if (st == FB_OK)
        c->policies.customer.require_verified = require_verified;
    return st;
}

fb_status fbb_chain_set_abuse_threshold(fbb_chain *c, double threshold, fb_error *err)
{
    fb_status st = usable(c, true, err);

    if (st != FB_OK)
        return st;
    if (!(threshold >= 0 && threshold <= 1))
        return fbb_fail(err, FB_ERR_RANGE, "the abuse threshold is a score from 0 to 1");
    c->policies.abuse.threshold = threshold;
    return FB_OK;
}

fb_status fbb_chain_set_action(fbb_chain *c, const char *reason, const char *action,
                               fb_error *err)
{
    static const char *const actions[] = {"keep", "flag", "drop"};
    uint32_t bits;
    fb_status st = usable(c, false, err);
    int a, r;

    if (st != FB_OK)
        return st;
    for (a = 0; a < 3 && strcmp(action, actions[a]) != 0; a++)
        ;
    if (a == 3)
        return fbb_fail(err, FB_ERR_UNKNOWN_NAME, "action '%.60s' is none of keep, flag, drop",
                        action);
    if ((st = fb_reasons_parse(reason, &bits, err)) != FB_OK)
        return st;
    for (r = 0; r < FB_REASON_COUNT; r++) {
        if (!(bits & (1u << r)))
            continue;
        c->action[r] = (fb_action)a;
        c->action_set[r] = true;
        if (c->built)
            fb_filter_chain_set_action(c->chain, (fb_reason)r, (fb_action)a);
    }
    return FB_OK;
}

int fbb_chain_add_alert(fbb_chain *c, const char *rule, fb_error *err)
{
    fb_alert_rule parsed, *grown;

    if (usable(c, false, err) != FB_OK)
        return -1;
    if (c->n_rules >= 64) {
        fbb_fail(err, FB_ERR_TOO_LONG, "a chain takes at most 64 alert rules");
        return -1;
    }
    if (fb_alert_rule_parse(rule, &parsed, err) != FB_OK)
        return -1;
    grown = realloc(c->rules, (c->n_rules + 1) * sizeof *grown);
    if (!grown) {
        fbb_fail(err, FB_ERR_NOMEM, "out of memory");
        return -1;
    }
    c->rules = grown;
    if (fb_filter_chain_add_alert(c->chain, &parsed, on_alert, c, err) != FB_OK)
        return -1;
    c->rules[c->n_rules] = parsed;
    return (int)c->n_rules++;
}

fb_status fbb_chain_ready(fbb_chain *c, fb_error *err)
{
    fb_status st = usable(c, false, err);
    int r;

    if (st != FB_OK || c->built)
        return st;
    if (fb_filter_chain_add_all(c->chain, &c->policies, err) != FB_OK)
        return err ? err->code : FB_ERR_INVALID_ARG;
    for (r = 0; r < FB_REASON_COUNT; r++)
        if (c->action_set[r])
            fb_filter_chain_set_action(c->chain, (fb_reason)r, c->action[r]);
    c->built = true;
    return FB_OK;
}

fb_status fbb_chain_add_word(fbb_chain *c, const char *kind, const char *category,
                             const char *word, fb_error *err)
{
    static const char *const kinds[] = {"word", "root", "exception"};
    static const char *const categories[] = {"obscenity", "insult", "threat"};
    fb_status st = usable(c, false, err);
    int k, cat;

    if (st != FB_OK || (st = fbb_chain_ready(c, err)) != FB_OK)
        return st;
    for (k = 0; k < 3 && strcmp(kind, kinds[k]) != 0; k++)
        ;
    for (cat = 0; cat < 3 && category && strcmp(category, categories[cat]) != 0; cat++)
        ;
    if (k == 3)
        return fbb_fail(err, FB_ERR_UNKNOWN_NAME, "kind is one of word, root, exception");
    if (k != FB_LEXICON_EXCEPTION && (!category || cat == 3))
        return fbb_fail(err, FB_ERR_UNKNOWN_NAME, "category is one of obscenity, insult, threat");
    return fb_abuse_detector_add(fb_filter_chain_abuse_detector(c->chain), (fb_lexicon_kind)k,
                                 k == FB_LEXICON_EXCEPTION ? 0 : 1u << cat, word, strlen(word),
                                 err);
}

fb_status fbb_chain_evaluate(fbb_chain *c, const fb_record *r, fb_error *err)
{
    fb_status st = usable(c, false, err);

    if (st != FB_OK || (st = fbb_chain_ready(c, err)) != FB_OK)
        return st;
    /* The spans point into the record's text: keep a copy, as the record is the caller's. */
    if (r->text.len + 1 > c->text_cap) {
        char *t = realloc(c->text, r->text.len + 1);
        if (!t)
            return fbb_fail(err, FB_ERR_NOMEM, "out of memory");
        c->text = t;
        c->text_cap = r->text.len + 1;
    }
    if (r->text.len)
        memcpy(c->text, r->text.ptr, r->text.len);
    c->text[r->text.len] = '\0';
    fb_record_init(&c->last);
    c->last.id = r->id;
    c->last.created_at = r->created_at;
    c->last.interaction_at = r->interaction_at;
    c->last.customer_status = r->customer_status;
    c->last.channel = r->channel;
    c->last.text.ptr = c->text;
    c->last.text.len = r->text.len;
    c->alerts_hit = 0;
    st = fb_filter_chain_evaluate(c->chain, r, &c->verdict, err);
    return st == FB_ERR_UTF8 ? FB_OK : st; /* judged without its text, as the verdict says */
}

const char *fbb_chain_action(const fbb_chain *c) { return fb_action_name(c->verdict.action); }

uint32_t fbb_chain_reasons(const fbb_chain *c, int action)
{
    return action == FB_ACTION_DROP   ? c->verdict.dropped
           : action == FB_ACTION_FLAG ? c->verdict.flagged
                                      : c->verdict.noted;
}

double fbb_chain_abuse_score(const fbb_chain *c) { return c->verdict.abuse_score; }
uint64_t fbb_chain_duplicate_of(const fbb_chain *c) { return c->verdict.duplicate_of; }
size_t fbb_chain_span_count(const fbb_chain *c) { return c->verdict.n_spans; }

fb_status fbb_chain_span_at(const fbb_chain *c, size_t i, fb_verdict_span *out, fb_error *err)
{
    if (i >= c->verdict.n_spans)
        return fbb_fail(err, FB_ERR_RANGE, "no span %zu", i);
    *out = c->verdict.spans[i];
    return FB_OK;
}

bool fbb_chain_alert_hit(const fbb_chain *c, int alert)
{
    return alert >= 0 && alert < 64 && (c->alerts_hit >> alert) & 1u;
}

size_t fbb_chain_alert_count(const fbb_chain *c) { return c->n_rules; }

const char *fbb_chain_alert_text(const fbb_chain *c, int alert)
{
    return alert >= 0 && (size_t)alert < c->n_rules ? c->rules[alert].text : NULL;
}

const char *fbb_chain_explain(fbb_chain *c)
{
    fb_verdict_explain(&c->verdict, &c->last, c->explained, sizeof c->explained);
    return c->explained;
}

void fbb_chain_counts(const fbb_chain *c, fb_filter_counts *out)
{
    fb_filter_chain_counts(c->closed ? NULL : c->chain, out);
}

const char *fbb_chain_counts_explain(fbb_chain *c)
{
    fb_filter_counts k;

    fbb_chain_counts(c, &k);
    fb_filter_counts_explain(&k, c->explained, sizeof c->explained);
    return c->explained;
}

void fbb_chain_close(fbb_chain *c)
{
    if (!c || c->closed)
        return;
    fb_filter_chain_free(c->chain);
    c->chain = NULL;
    memset(&c->verdict, 0, sizeof c->verdict); /* its spans were the chain's */
    c->verdict.abuse_score = NAN;
    c->closed = true;
}

void fbb_chain_free(fbb_chain *c)
{
    if (!c)
        return;
    fbb_chain_close(c);
    free(c->text);
    free(c->rules);
    free(c);
}
