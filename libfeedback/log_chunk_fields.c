/*
 * The decoded fields of a data chunk (log_chunk_dec.h): one array per field,
 * grown for the field groups a load decodes, and records and runs of records
 * made from them on demand.
 */
#include <string.h>

#include "alloc_private.h"
#include "feedback/log.h"
#include "log_chunk.h"
#include "log_chunk_dec.h"

/* Each array's element size, its FB_LOG_FIELD_* group, and whether it holds n + 1 offsets. */
static const struct {
    size_t size;
    uint32_t group;
    bool offsets;
} arrays[F_COUNT] = {
    [F_CREATED] = {sizeof(fb_time), FB_LOG_FIELD_CREATED_AT, false},
    [F_ID] = {sizeof(uint64_t), FB_LOG_FIELD_ID | FB_LOG_FIELD_UPDATE, false},
    [F_KIND] = {sizeof(fb_record_kind), FB_LOG_FIELD_KIND, false},
    [F_INTERACTION] = {sizeof(fb_time), FB_LOG_FIELD_INTERACTION_AT, false},
    [F_CUSTOMER_ID] = {sizeof(fb_str), FB_LOG_FIELD_CUSTOMER, false},
    [F_CUSTOMER_STATUS] = {sizeof(fb_customer_status), FB_LOG_FIELD_CUSTOMER, false},
    [F_CUSTOMER_VERIFIED] = {sizeof(bool), FB_LOG_FIELD_CUSTOMER, false},
    [F_WIN_BACK] = {sizeof(bool), FB_LOG_FIELD_CUSTOMER, false},
    [F_CHANNEL] = {sizeof(fb_channel), FB_LOG_FIELD_CHANNEL, false},
    [F_SOURCE] = {sizeof(fb_source), FB_LOG_FIELD_CHANNEL, false},
    [F_ANSWERS_OF] = {sizeof(uint32_t), FB_LOG_FIELD_ANSWERS, true},
    [F_TEXT] = {sizeof(fb_str), FB_LOG_FIELD_TEXT, false},
    [F_LANGUAGE] = {sizeof(fb_str), FB_LOG_FIELD_TEXT, false},
    [F_TAGS_OF] = {sizeof(uint32_t), FB_LOG_FIELD_TAGS, true},
    [F_AGENT_ID] = {sizeof(fb_str), FB_LOG_FIELD_SERVICE, false},
    [F_TICKET_ID] = {sizeof(fb_str), FB_LOG_FIELD_SERVICE, false},
    [F_PRODUCT] = {sizeof(fb_str), FB_LOG_FIELD_SERVICE, false},
    [F_COUNTRY] = {3, FB_LOG_FIELD_SERVICE, false},
    [F_TIP] = {sizeof(int64_t), FB_LOG_FIELD_TIP, false},
    [F_TIP_CURRENCY] = {4, FB_LOG_FIELD_TIP, false},
    [F_ATTRS_OF] = {sizeof(uint32_t), FB_LOG_FIELD_ATTRS, true},
    [F_REF_ID] = {sizeof(uint64_t), FB_LOG_FIELD_UPDATE, false},
    [F_HANDLING] = {sizeof(fb_handling), FB_LOG_FIELD_UPDATE, false},
    [F_ASSIGNEE] = {sizeof(fb_str), FB_LOG_FIELD_UPDATE, false},
    [F_ASSIGNEE_KIND] = {sizeof(fb_assignee_kind), FB_LOG_FIELD_UPDATE, false},
};

fb_status fb__chunk_dec_reserve_fields(fb__chunk_dec *d, uint32_t fields, size_t n)
{
    unsigned f;


    for (f = 0; f < F_COUNT; f++) {
        /* One spare value: never NULL, and room for the offsets' n + 1. */
        size_t need = n + 1;
        if (!(arrays[f].group & fields) || need <= d->field_cap[f])
            continue;
        if (fb__grow(d->alloc, &d->field[f], &d->field_cap[f], need, arrays[f].size) != 0)
            return FB_ERR_NOMEM;
    }
    return FB_OK;
}

void fb__chunk_dec_free_fields(fb__chunk_dec *d)
{
    unsigned f;

    for (f = 0; f < F_COUNT; f++)
        fb__free(d->alloc, d->field[f]);
}

#define AT(d, f, type, i) (((const type *)(d)->field[f])[i])

/* Items [of[i], of[i + 1]) of base, or NULL when there are none. */
#define LIST(d, f, base, i, n_out)                                                      \
    ((n_out) = AT(d, f, uint32_t, (i) + 1) - AT(d, f, uint32_t, i),                     \
     (n_out) ? (base) + AT(d, f, uint32_t, i) : NULL)

void fb__chunk_dec_fill(const fb__chunk_dec *d, uint32_t i, fb_record *r)
{
    const uint32_t fields = d->fields;

    r->created_at = AT(d, F_CREATED, fb_time, i);
    if (fields & FB_LOG_FIELD_ID)
        r->id = AT(d, F_ID, uint64_t, i);
    if (fields & FB_LOG_FIELD_KIND)
        r->kind = AT(d, F_KIND, fb_record_kind, i);
    if (fields & FB_LOG_FIELD_INTERACTION_AT)
        r->interaction_at = AT(d, F_INTERACTION, fb_time, i);
    if (fields & FB_LOG_FIELD_CUSTOMER) {
        r->customer_id = AT(d, F_CUSTOMER_ID, fb_str, i);
        r->customer_status = AT(d, F_CUSTOMER_STATUS, fb_customer_status, i);
        r->customer_verified = AT(d, F_CUSTOMER_VERIFIED, bool, i);
        r->win_back = AT(d, F_WIN_BACK, bool, i);
    }
    if (fields & FB_LOG_FIELD_CHANNEL) {
        r->channel = AT(d, F_CHANNEL, fb_channel, i);
        r->source = AT(d, F_SOURCE, fb_source, i);
    }
    if (fields & FB_LOG_FIELD_ANSWERS)
        r->answers = LIST(d, F_ANSWERS_OF, d->answers, i, r->n_answers);
    if (fields & FB_LOG_FIELD_TEXT) {
        r->text = AT(d, F_TEXT, fb_str, i);
        r->language = AT(d, F_LANGUAGE, fb_str, i);
    }
    if (fields & FB_LOG_FIELD_TAGS)
        r->tags = LIST(d, F_TAGS_OF, d->tags, i, r->n_tags);
    if (fields & FB_LOG_FIELD_SERVICE) {
        r->agent_id = AT(d, F_AGENT_ID, fb_str, i);
        r->ticket_id = AT(d, F_TICKET_ID, fb_str, i);
        r->product = AT(d, F_PRODUCT, fb_str, i);
        memcpy(r->country, (const char *)d->field[F_COUNTRY] + (size_t)i * 3, 3);
    }
    if (fields & FB_LOG_FIELD_TIP) {
        r->tip = AT(d, F_TIP, int64_t, i);
        memcpy(r->tip_currency, (const char *)d->field[F_TIP_CURRENCY] + (size_t)i * 4, 4);
    }
    if (fields & FB_LOG_FIELD_ATTRS)
        r->attrs = LIST(d, F_ATTRS_OF, d->attrs, i, r->n_attrs);
    if (fields & FB_LOG_FIELD_UPDATE) {
        r->ref_id = AT(d, F_REF_ID, uint64_t, i);
        r->handling = AT(d, F_HANDLING, fb_handling, i);
        r->assignee = AT(d, F_ASSIGNEE, fb_str, i);
        r->assignee_kind = AT(d, F_ASSIGNEE_KIND, fb_assignee_kind, i);
    }
}

/* Field array f from record from on, when its group was decoded; else NULL. */
static void *from_on(const fb__chunk_dec *d, unsigned f, uint32_t from)
{
    if (!(arrays[f].group & d->fields))
        return NULL;
    return (char *)d->field[f] + (size_t)from * arrays[f].size;
}

void fb__chunk_dec_batch(const fb__chunk_dec *d, uint32_t from, uint32_t n, fb_record_batch *b)
{
    const uint32_t fields = d->fields;

    memset(b, 0, sizeof *b);
    b->n = n;
    b->created_at = from_on(d, F_CREATED, from);
    if (fields & FB_LOG_FIELD_ID)
        b->id = from_on(d, F_ID, from);
    b->kind = from_on(d, F_KIND, from);
    b->interaction_at = from_on(d, F_INTERACTION, from);
    b->customer_id = from_on(d, F_CUSTOMER_ID, from);
    b->customer_status = from_on(d, F_CUSTOMER_STATUS, from);
    b->customer_verified = from_on(d, F_CUSTOMER_VERIFIED, from);
    b->win_back = from_on(d, F_WIN_BACK, from);
    b->channel = from_on(d, F_CHANNEL, from);
    b->source = from_on(d, F_SOURCE, from);
    if (fields & FB_LOG_FIELD_ANSWERS) {
        b->answers_of = from_on(d, F_ANSWERS_OF, from);
        b->answers = d->answers;
    }
    b->text = from_on(d, F_TEXT, from);
    b->language = from_on(d, F_LANGUAGE, from);
    if (fields & FB_LOG_FIELD_TAGS) {
        b->tags_of = from_on(d, F_TAGS_OF, from);
        b->tags = d->tags;
    }
    b->agent_id = from_on(d, F_AGENT_ID, from);
    b->ticket_id = from_on(d, F_TICKET_ID, from);
    b->product = from_on(d, F_PRODUCT, from);
    b->country = from_on(d, F_COUNTRY, from);
    b->tip = from_on(d, F_TIP, from);
    b->tip_currency = from_on(d, F_TIP_CURRENCY, from);
    if (fields & FB_LOG_FIELD_ATTRS) {
        b->attrs_of = from_on(d, F_ATTRS_OF, from);
        b->attrs = d->attrs;
    }
    b->ref_id = from_on(d, F_REF_ID, from);
    b->handling = from_on(d, F_HANDLING, from);
    b->assignee = from_on(d, F_ASSIGNEE, from);
    b->assignee_kind = from_on(d, F_ASSIGNEE_KIND, from);
}

fb_time fb__chunk_dec_created_at(const fb__chunk_dec *d, uint32_t i)
{
    return AT(d, F_CREATED, fb_time, i);
}

uint32_t fb__chunk_dec_count(const fb__chunk_dec *d) { return d ? d->count : 0; }
