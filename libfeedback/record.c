/* The record value: defaults, equality, look-ups. Validation is in record_validate.c. */
#include <string.h>

#include "feedback/record.h"

fb_str fb_str_from_cstr(const char *s)
{
    fb_str r;
    r.ptr = s;
    r.len = s ? strlen(s) : 0;
    return r;
}

void fb_record_init(fb_record *r)
{
    if (!r)
        return;
    memset(r, 0, sizeof *r);
    r->interaction_at = FB_TIME_UNKNOWN;
}

static bool str_equal(fb_str a, fb_str b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static bool answer_equal(const fb_answer *a, const fb_answer *b)
{
    if (a->metric != b->metric || a->skipped != b->skipped)
        return false;
    if (!a->skipped && a->score != b->score)
        return false;
    if (a->metric == FB_METRIC_CUSTOM)
        return str_equal(a->name, b->name) && a->scale_min == b->scale_min &&
               a->scale_max == b->scale_max;
    return true;
}

bool fb_record_equal(const fb_record *a, const fb_record *b)
{
    size_t i;

    if (!a || !b)
        return a == b;
    if (a->id != b->id || a->kind != b->kind || a->created_at != b->created_at ||
        a->interaction_at != b->interaction_at || !str_equal(a->customer_id, b->customer_id) ||
        a->customer_status != b->customer_status ||
        a->customer_verified != b->customer_verified || a->win_back != b->win_back ||
        a->channel != b->channel || a->source != b->source || !str_equal(a->text, b->text) ||
        !str_equal(a->language, b->language) || !str_equal(a->agent_id, b->agent_id) ||
        !str_equal(a->ticket_id, b->ticket_id) || !str_equal(a->product, b->product) ||
        strncmp(a->country, b->country, sizeof a->country) != 0 || a->tip != b->tip ||
        strncmp(a->tip_currency, b->tip_currency, sizeof a->tip_currency) != 0)
        return false;
    if (a->n_answers != b->n_answers || a->n_tags != b->n_tags || a->n_attrs != b->n_attrs)
        return false;
    for (i = 0; i < a->n_answers; i++)
        if (!answer_equal(&a->answers[i], &b->answers[i]))
            return false;
    for (i = 0; i < a->n_tags; i++)
        if (!str_equal(a->tags[i], b->tags[i]))
            return false;
    for (i = 0; i < a->n_attrs; i++)
        if (!str_equal(a->attrs[i].key, b->attrs[i].key) ||
            !str_equal(a->attrs[i].value, b->attrs[i].value))
            return false;
    if (a->kind == FB_KIND_UPDATE)
        return a->ref_id == b->ref_id && a->handling == b->handling &&
               str_equal(a->assignee, b->assignee) && a->assignee_kind == b->assignee_kind;
    return true;
}

const fb_answer *fb_record_answer(const fb_record *r, fb_metric m)
{
    size_t i;

    if (!r || m == FB_METRIC_CUSTOM)
        return NULL;
    for (i = 0; i < r->n_answers; i++)
        if (r->answers[i].metric == m)
            return &r->answers[i];
    return NULL;
}

const fb_str *fb_record_attr(const fb_record *r, const char *key, size_t key_len)
{
    size_t i;

    if (!r || (!key && key_len > 0))
        return NULL;
    for (i = 0; i < r->n_attrs; i++)
        if (r->attrs[i].key.len == key_len &&
            (key_len == 0 || memcmp(r->attrs[i].key.ptr, key, key_len) == 0))
            return &r->attrs[i].value;
    return NULL;
}
