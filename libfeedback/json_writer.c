/*
 * JSON Lines writing: one object per line with id, kind, created_at and
 * every field whose value differs from the fb_record_init default, in the
 * column order.
 */
#include <stdio.h>
#include <string.h>

#include "io_private.h"

static int put_json_string(fb__strbuf *out, const char *s, size_t len)
{
    size_t i, run = 0;

    if (fb__strbuf_putc(out, '"') != 0)
        return -1;
    if (len == 0)
        return fb__strbuf_putc(out, '"');
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[8];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        switch (c) {
        case '"': strcpy(esc, "\\\""); break;
        case '\\': strcpy(esc, "\\\\"); break;
        case '\n': strcpy(esc, "\\n"); break;
        case '\r': strcpy(esc, "\\r"); break;
        case '\t': strcpy(esc, "\\t"); break;
        case '\b': strcpy(esc, "\\b"); break;
        case '\f': strcpy(esc, "\\f"); break;
        default: snprintf(esc, sizeof esc, "\\u%04x", (unsigned)c); break;
        }
        if (fb__strbuf_append(out, s + run, i - run) != 0 || fb__strbuf_puts(out, esc) != 0)
            return -1;
        run = i + 1;
    }
    if (fb__strbuf_append(out, s + run, len - run) != 0)
        return -1;
    return fb__strbuf_putc(out, '"');
}

/* Appends ,"key": (no comma before the first key). */
static int key(fb__strbuf *out, int f)
{
    if (out->len > 1 && fb__strbuf_putc(out, ',') != 0)
        return -1;
    if (fb__strbuf_putc(out, '"') != 0 || fb__strbuf_puts(out, fb__field_name(f)) != 0)
        return -1;
    return fb__strbuf_puts(out, "\":");
}

static int str_field(fb__strbuf *out, int f, fb_str s)
{
    if (s.len == 0)
        return 0;
    return key(out, f) != 0 || put_json_string(out, s.ptr, s.len) != 0 ? -1 : 0;
}

static int name_field(fb__strbuf *out, int f, int value, const char *name)
{
    if (value == 0)
        return 0;
    return key(out, f) != 0 || put_json_string(out, name ? name : "", name ? strlen(name) : 0) != 0
               ? -1
               : 0;
}

static int time_field(fb__strbuf *out, int f, fb_time t)
{
    char buf[FB_TIME_STRING_MAX];
    size_t n = fb_time_format(t, buf, sizeof buf);

    return key(out, f) != 0 || put_json_string(out, buf, n) != 0 ? -1 : 0;
}

static int answers_field(fb_io_writer *w, const fb_record *r)
{
    fb__strbuf *out = &w->rec;
    size_t i;

    if (r->n_answers == 0)
        return 0;
    if (key(out, FB__F_ANSWERS) != 0 || fb__strbuf_putc(out, '{') != 0)
        return -1;
    for (i = 0; i < r->n_answers; i++) {
        const fb_answer *a = &r->answers[i];
        fb__strbuf_reset(&w->cell);
        if ((i > 0 && fb__strbuf_putc(out, ',') != 0) || fb__put_answer_key(&w->cell, a, false) != 0 ||
            put_json_string(out, w->cell.data, w->cell.len) != 0 || fb__strbuf_putc(out, ':') != 0)
            return -1;
        if ((a->skipped ? fb__strbuf_puts(out, "null") : fb__put_double(out, a->score)) != 0)
            return -1;
    }
    return fb__strbuf_putc(out, '}');
}

static int tags_field(fb__strbuf *out, const fb_record *r)
{
    size_t i;

    if (r->n_tags == 0)
        return 0;
    if (key(out, FB__F_TAGS) != 0 || fb__strbuf_putc(out, '[') != 0)
        return -1;
    for (i = 0; i < r->n_tags; i++)
        if ((i > 0 && fb__strbuf_putc(out, ',') != 0) ||
            put_json_string(out, r->tags[i].ptr, r->tags[i].len) != 0)
            return -1;
    return fb__strbuf_putc(out, ']');
}

static int attrs_field(fb__strbuf *out, const fb_record *r)
{
    size_t i;

    if (r->n_attrs == 0)
        return 0;
    if (key(out, FB__F_ATTRIBUTES) != 0 || fb__strbuf_putc(out, '{') != 0)
        return -1;
    for (i = 0; i < r->n_attrs; i++) {
        const fb_attr *a = &r->attrs[i];
        if ((i > 0 && fb__strbuf_putc(out, ',') != 0) ||
            put_json_string(out, a->key.ptr, a->key.len) != 0 || fb__strbuf_putc(out, ':') != 0 ||
            put_json_string(out, a->value.ptr, a->value.len) != 0)
            return -1;
    }
    return fb__strbuf_putc(out, '}');
}

int fb__json_put_record(fb_io_writer *w, const fb_record *r)
{
    fb__strbuf *out = &w->rec;
    size_t country = fb__code_len(r->country, sizeof r->country);
    size_t currency = fb__code_len(r->tip_currency, sizeof r->tip_currency);
    fb_str code;
    size_t i;

    if (fb__strbuf_putc(out, '{') != 0 || key(out, FB__F_ID) != 0 || fb__put_u64(out, r->id) != 0 ||
        key(out, FB__F_KIND) != 0 ||
        put_json_string(out, fb_kind_name(r->kind), strlen(fb_kind_name(r->kind))) != 0 ||
        time_field(out, FB__F_CREATED_AT, r->created_at) != 0)
        return -1;
    if (r->interaction_at != FB_TIME_UNKNOWN &&
        time_field(out, FB__F_INTERACTION_AT, r->interaction_at) != 0)
        return -1;
    if (str_field(out, FB__F_CUSTOMER_ID, r->customer_id) != 0 ||
        name_field(out, FB__F_CUSTOMER_STATUS, (int)r->customer_status,
                   fb_customer_status_name(r->customer_status)) != 0)
        return -1;
    if (r->customer_verified &&
        (key(out, FB__F_CUSTOMER_VERIFIED) != 0 || fb__strbuf_puts(out, "true") != 0))
        return -1;
    if (r->win_back && (key(out, FB__F_WIN_BACK) != 0 || fb__strbuf_puts(out, "true") != 0))
        return -1;
    if (name_field(out, FB__F_CHANNEL, (int)r->channel, fb_channel_name(r->channel)) != 0 ||
        name_field(out, FB__F_SOURCE, (int)r->source, fb_source_name(r->source)) != 0 ||
        answers_field(w, r) != 0 || str_field(out, FB__F_TEXT, r->text) != 0 ||
        str_field(out, FB__F_LANGUAGE, r->language) != 0 || tags_field(out, r) != 0 ||
        str_field(out, FB__F_AGENT_ID, r->agent_id) != 0 ||
        str_field(out, FB__F_TICKET_ID, r->ticket_id) != 0 ||
        str_field(out, FB__F_PRODUCT, r->product) != 0)
        return -1;
    code.ptr = r->country;
    code.len = country;
    if (str_field(out, FB__F_COUNTRY, code) != 0)
        return -1;
    if (r->tip != 0 && (key(out, FB__F_TIP) != 0 || fb__put_i64(out, r->tip) != 0))
        return -1;
    code.ptr = r->tip_currency;
    code.len = currency;
    if (str_field(out, FB__F_TIP_CURRENCY, code) != 0 || attrs_field(out, r) != 0)
        return -1;
    if (r->ref_id != 0 && (key(out, FB__F_REF_ID) != 0 || fb__put_u64(out, r->ref_id) != 0))
        return -1;
    if (name_field(out, FB__F_HANDLING, (int)r->handling, fb_handling_name(r->handling)) != 0 ||
        str_field(out, FB__F_ASSIGNEE, r->assignee) != 0 ||
        name_field(out, FB__F_ASSIGNEE_KIND, (int)r->assignee_kind,
                   fb_assignee_kind_name(r->assignee_kind)) != 0)
        return -1;
    for (i = 0; w->values && i < w->n_extra; i++)
        if (w->values[i].len > 0 &&
            (fb__strbuf_putc(out, ',') != 0 ||
             put_json_string(out, w->extra[i], strlen(w->extra[i])) != 0 ||
             fb__strbuf_putc(out, ':') != 0 ||
             put_json_string(out, w->values[i].ptr, w->values[i].len) != 0))
            return -1;
    return fb__strbuf_puts(out, "}\n");
}
