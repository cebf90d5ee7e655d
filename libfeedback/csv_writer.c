/* CSV writing: the header row, then one row per record, every field in the column order. */
#include <string.h>

#include "io_private.h"

static int line_end(fb_io_writer *w)
{
    return fb__strbuf_puts(&w->rec, w->crlf ? "\r\n" : "\n");
}

/* Appends a field, quoted only when it has to be. */
static int put_field(fb_io_writer *w, const char *s, size_t len)
{
    size_t i, run = 0;
    bool quote = len > 0 && (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' || s[len - 1] == '\t');

    for (i = 0; i < len && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
    if (!quote)
        return fb__strbuf_append(&w->rec, s, len);
    if (fb__strbuf_putc(&w->rec, '"') != 0)
        return -1;
    for (i = 0; i < len; i++)
        if (s[i] == '"') {
            if (fb__strbuf_append(&w->rec, s + run, i + 1 - run) != 0)
                return -1;
            run = i; /* the quote goes out twice */
        }
    if (fb__strbuf_append(&w->rec, s + run, len - run) != 0)
        return -1;
    return fb__strbuf_putc(&w->rec, '"');
}

int fb__csv_put_header(fb_io_writer *w)
{
    size_t i;
    int f;

    for (f = 0; f < FB__F_COUNT; f++)
        if ((f > 0 && fb__strbuf_putc(&w->rec, ',') != 0) ||
            fb__strbuf_puts(&w->rec, fb__field_name(f)) != 0)
            return -1;
    for (i = 0; i < w->n_extra; i++)
        if (fb__strbuf_putc(&w->rec, ',') != 0 ||
            put_field(w, w->extra[i], strlen(w->extra[i])) != 0)
            return -1;
    return line_end(w);
}

static int put_str(fb__strbuf *out, fb_str s) { return fb__strbuf_append(out, s.ptr, s.len); }

static int put_time(fb__strbuf *out, fb_time t)
{
    char buf[FB_TIME_STRING_MAX];
    size_t n = fb_time_format(t, buf, sizeof buf);

    return fb__strbuf_append(out, buf, n);
}

static int put_name(fb__strbuf *out, const char *name) { return fb__strbuf_puts(out, name ? name : ""); }

/* The text of field f of r, in cell syntax. */
static int cell_text(fb__strbuf *out, const fb_record *r, int f)
{
    switch (f) {
    case FB__F_ID: return r->id ? fb__put_u64(out, r->id) : 0;
    case FB__F_KIND: return put_name(out, fb_kind_name(r->kind));
    case FB__F_CREATED_AT: return put_time(out, r->created_at);
    case FB__F_INTERACTION_AT:
        return r->interaction_at == FB_TIME_UNKNOWN ? 0 : put_time(out, r->interaction_at);
    case FB__F_CUSTOMER_ID: return put_str(out, r->customer_id);
    case FB__F_CUSTOMER_STATUS: return put_name(out, fb_customer_status_name(r->customer_status));
    case FB__F_CUSTOMER_VERIFIED: return put_name(out, r->customer_verified ? "true" : "false");
    case FB__F_WIN_BACK: return put_name(out, r->win_back ? "true" : "false");
    case FB__F_CHANNEL: return put_name(out, fb_channel_name(r->channel));
    case FB__F_SOURCE: return put_name(out, fb_source_name(r->source));
    case FB__F_ANSWERS: return fb__put_answers_cell(out, r);
    case FB__F_TEXT: return put_str(out, r->text);
    case FB__F_LANGUAGE: return put_str(out, r->language);
    case FB__F_TAGS: return fb__put_tags_cell(out, r);
    case FB__F_AGENT_ID: return put_str(out, r->agent_id);
    case FB__F_TICKET_ID: return put_str(out, r->ticket_id);
    case FB__F_PRODUCT: return put_str(out, r->product);
    case FB__F_COUNTRY: return fb__strbuf_append(out, r->country, fb__code_len(r->country, sizeof r->country));
    case FB__F_TIP: return r->tip ? fb__put_i64(out, r->tip) : 0;
    case FB__F_TIP_CURRENCY:
        return fb__strbuf_append(out, r->tip_currency, fb__code_len(r->tip_currency, sizeof r->tip_currency));
    case FB__F_ATTRIBUTES: return fb__put_attrs_cell(out, r);
    case FB__F_REF_ID: return r->ref_id ? fb__put_u64(out, r->ref_id) : 0;
    case FB__F_HANDLING: return put_name(out, fb_handling_name(r->handling));
    case FB__F_ASSIGNEE: return put_str(out, r->assignee);
    default: return put_name(out, fb_assignee_kind_name(r->assignee_kind));
    }
}

int fb__csv_put_record(fb_io_writer *w, const fb_record *r)
{
    size_t i;
    int f;

    for (f = 0; f < FB__F_COUNT; f++) {
        fb__strbuf_reset(&w->cell);
        if ((f > 0 && fb__strbuf_putc(&w->rec, ',') != 0) || cell_text(&w->cell, r, f) != 0 ||
            put_field(w, w->cell.data ? w->cell.data : "", w->cell.len) != 0)
            return -1;
    }
    for (i = 0; i < w->n_extra; i++)
        if (fb__strbuf_putc(&w->rec, ',') != 0 ||
            (w->values && put_field(w, w->values[i].ptr, w->values[i].len) != 0))
            return -1;
    return line_end(w);
}
