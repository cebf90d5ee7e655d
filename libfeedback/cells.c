/* Cells: the field table, numbers, and the parsers of scalar cells. */
#include "cells.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error_private.h"

static const char *const field_names[FB__F_COUNT] = {
    "id", "kind", "created_at", "interaction_at", "customer_id", "customer_status",
    "customer_verified", "win_back", "channel", "source", "answers", "text", "language", "tags",
    "agent_id", "ticket_id", "product", "country", "tip", "tip_currency", "attributes",
    "ref_id", "handling", "assignee", "assignee_kind"};

const char *fb__field_name(int f)
{
    if (f >= 0 && f < FB__F_COUNT)
        return field_names[f];
    if (f >= FB__F_METRIC0 && f < FB__F_ALL)
        return fb_metric_name((fb_metric)(f - FB__F_METRIC0));
    return "";
}

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; }

static void trim_spaces(const char **s, size_t *len)
{
    while (*len > 0 && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*len)--;
    }
    while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
        (*len)--;
}

bool fb__name_equal(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t i;

    trim_spaces(&a, &alen);
    trim_spaces(&b, &blen);
    if (alen != blen)
        return false;
    for (i = 0; i < alen; i++)
        if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
            return false;
    return true;
}

int fb__field_lookup(const char *s, size_t len)
{
    int f;

    for (f = 0; f < FB__F_ALL; f++) {
        const char *name = fb__field_name(f);
        if (name && fb__name_equal(s, len, name, strlen(name)))
            return f;
    }
    return FB__F_UNKNOWN;
}

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

fb_status fb__error_pos(fb_error *err, fb_status code, const char *field, fb__pos pos,
                        const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fb__verror(err, code, field, fmt, ap);
    va_end(ap);
    fb__error_at(err, pos.line, pos.offset);
    return code;
}

void fb__error_rewrap(fb_error *err, const char *field, fb__pos pos)
{
    char inner[FB_ERROR_MESSAGE_MAX];
    const char *msg;
    size_t flen;
    fb_status code;

    if (!err)
        return;
    msg = err->message;
    flen = strlen(err->field);
    if (flen > 0 && strncmp(msg, err->field, flen) == 0 && msg[flen] == ':' && msg[flen + 1] == ' ')
        msg += flen + 2;
    snprintf(inner, sizeof inner, "%s", msg);
    code = err->code;
    fb__error(err, code, field, "%s", inner);
    fb__error_at(err, pos.line, pos.offset);
}

/* Quotes a cell for a message. */
#define QUOTE(buf, s, len) fb__quote(buf, sizeof buf, s, len, 40)

/* ------------------------------------------------------------------ */
/* Numbers                                                             */
/* ------------------------------------------------------------------ */

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Significant digits kept before the rest only shifts the exponent. */
#define MAX_DIGITS 120

int fb__parse_double(const char *s, size_t len, double *out)
{
    /* Normalised as "[-]DIGITSeEXP": no decimal point, so strtod reads it the same in every locale. */
    char buf[MAX_DIGITS + 32];
    size_t i = 0, n = 0, ndig = 0;
    long exp10 = 0, e = 0;
    bool any = false, eneg = false;
    double v;
    char *end;

    if (i < len && (s[i] == '+' || s[i] == '-')) {
        if (s[i] == '-')
            buf[n++] = '-';
        i++;
    }
    for (; i < len && is_digit(s[i]); i++) {
        any = true;
        if (ndig == 0 && s[i] == '0')
            continue;
        if (ndig < MAX_DIGITS) {
            buf[n++] = s[i];
            ndig++;
        } else {
            exp10++;
        }
    }
    if (i < len && s[i] == '.') {
        for (i++; i < len && is_digit(s[i]); i++) {
            any = true;
            if (ndig == 0 && s[i] == '0') {
                exp10--;
                continue;
            }
            if (ndig < MAX_DIGITS) {
                buf[n++] = s[i];
                ndig++;
                exp10--;
            }
        }
    }
    if (!any)
        return -1;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        bool edig = false;
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-')) {
            eneg = s[i] == '-';
            i++;
        }
        for (; i < len && is_digit(s[i]); i++) {
            edig = true;
            if (e < 100000)
                e = e * 10 + (s[i] - '0');
        }
        if (!edig)
            return -1;
    }
    if (i != len)
        return -1;
    if (ndig == 0) {
        *out = (n > 0) ? -0.0 : 0.0;
        return 0;
    }
    exp10 += eneg ? -e : e;
    snprintf(buf + n, sizeof buf - n, "e%ld", exp10);
    errno = 0;
    v = strtod(buf, &end);
    if (*end != '\0' || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

/* printf's text with whatever decimal point the locale uses turned into '.'. */
static void format_g(char *buf, size_t size, int prec, double v)
{
    char tmp[64];
    size_t i, o = 0;
    bool in_point = false;

    snprintf(tmp, sizeof tmp, "%.*g", prec, v);
    for (i = 0; tmp[i] && o + 1 < size; i++) {
        char c = tmp[i];
        if (is_digit(c) || c == '-' || c == '+' || c == 'e' || c == 'E') {
            buf[o++] = c;
            in_point = false;
        } else if (!in_point) {
            buf[o++] = '.';
            in_point = true;
        }
    }
    buf[o] = '\0';
}

int fb__put_double(fb__strbuf *out, double v)
{
    char buf[64];
    double back;

    format_g(buf, sizeof buf, 15, v);
    if (fb__parse_double(buf, strlen(buf), &back) != 0 || back != v)
        format_g(buf, sizeof buf, 17, v);
    return fb__strbuf_puts(out, buf);
}

int fb__put_u64(fb__strbuf *out, uint64_t v)
{
    char buf[24];
    size_t n = sizeof buf;

    do {
        buf[--n] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return fb__strbuf_append(out, buf + n, sizeof buf - n);
}

int fb__put_i64(fb__strbuf *out, int64_t v)
{
    if (v < 0) {
        if (fb__strbuf_putc(out, '-') != 0)
            return -1;
        return fb__put_u64(out, (uint64_t)0 - (uint64_t)v);
    }
    return fb__put_u64(out, (uint64_t)v);
}

/* ------------------------------------------------------------------ */
/* Scalar cells                                                        */
/* ------------------------------------------------------------------ */

/* Parses only-digits text into *out; -1 when not digits, -2 on overflow. */
static int parse_digits(const char *s, size_t len, uint64_t *out)
{
    uint64_t v = 0;
    size_t i;

    if (len == 0)
        return -1;
    for (i = 0; i < len; i++) {
        unsigned d;
        if (!is_digit(s[i]))
            return -1;
        d = (unsigned)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return -2;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

static fb_status cell_u64(const char *field, const char *s, size_t len, fb__pos pos,
                          uint64_t *out, fb_error *err)
{
    char q[64];
    int rc = parse_digits(s, len, out);

    if (rc == -2) {
        QUOTE(q, s, len);
        return fb__error_pos(err, FB_ERR_RANGE, field, pos,
                             "%s is out of range (at most 18446744073709551615)", q);
    }
    if (rc != 0) {
        QUOTE(q, s, len);
        return fb__error_pos(err, FB_ERR_PARSE, field, pos,
                             "'%s' is not an unsigned decimal integer", q);
    }
    return FB_OK;
}

static fb_status cell_i64(const char *field, const char *s, size_t len, fb__pos pos,
                          int64_t *out, fb_error *err)
{
    char q[64];
    bool neg = len > 0 && s[0] == '-';
    uint64_t v;
    int rc = parse_digits(s + neg, len - neg, &v);

    if (rc == 0 && v > (uint64_t)INT64_MAX + neg)
        rc = -2;
    QUOTE(q, s, len);
    if (rc == -2)
        return fb__error_pos(err, FB_ERR_RANGE, field, pos, "%s is out of range", q);
    if (rc != 0)
        return fb__error_pos(err, FB_ERR_PARSE, field, pos, "'%s' is not a decimal integer", q);
    *out = neg ? (v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v) : (int64_t)v;
    return FB_OK;
}

static fb_status cell_time(const char *field, const char *s, size_t len, fb__pos pos,
                           fb_time *out, fb_error *err)
{
    char q[64];
    uint64_t v;
    int rc = parse_digits(s, len, &v);
    fb_status st;

    if (rc == 0 && v > (uint64_t)INT64_MAX)
        rc = -2;
    if (rc == -2) {
        QUOTE(q, s, len);
        return fb__error_pos(err, FB_ERR_RANGE, field, pos,
                             "%s milliseconds is out of range", q);
    }
    if (rc == 0) {
        *out = (fb_time)v;
        return FB_OK;
    }
    st = fb_time_parse(s, len, out, err);
    if (st != FB_OK)
        fb__error_rewrap(err, field, pos);
    return st;
}

static fb_status cell_bool(const char *field, const char *s, size_t len, fb__pos pos, bool *out,
                           fb_error *err)
{
    static const char *const yes[] = {"true", "1", "yes"};
    static const char *const no[] = {"false", "0", "no"};
    char q[64];
    size_t i;

    for (i = 0; i < 3; i++) {
        if (fb__name_equal(s, len, yes[i], strlen(yes[i]))) {
            *out = true;
            return FB_OK;
        }
        if (fb__name_equal(s, len, no[i], strlen(no[i]))) {
            *out = false;
            return FB_OK;
        }
    }
    QUOTE(q, s, len);
    return fb__error_pos(err, FB_ERR_PARSE, field, pos,
                         "'%s' is not a boolean (true/false, yes/no, 1/0)", q);
}

static fb_status cell_enum(fb_enum e, const char *field, const char *s, size_t len, fb__pos pos,
                           int *out, fb_error *err)
{
    fb_status st = fb_enum_parse(e, s, len, out, err);

    if (st != FB_OK)
        fb__error_rewrap(err, field, pos);
    return st;
}

/* Copies a short code into buf (size bytes, NUL included), upper-casing ASCII letters. */
static fb_status cell_code(const char *field, const char *s, size_t len, fb__pos pos, char *buf,
                           size_t size, fb_error *err)
{
    char q[64];
    size_t i;

    if (len >= size) {
        QUOTE(q, s, len);
        return fb__error_pos(err, FB_ERR_TOO_LONG, field, pos,
                             "'%s' is longer than %u characters", q, (unsigned)(size - 1));
    }
    for (i = 0; i < len; i++)
        buf[i] = (s[i] >= 'a' && s[i] <= 'z') ? (char)(s[i] - 'a' + 'A') : s[i];
    buf[len] = '\0';
    return FB_OK;
}

static fb_status cell_score(fb__builder *b, int f, const char *s, size_t len, fb__pos pos,
                            fb_error *err)
{
    fb_answer a;
    char q[64];
    const char *field = fb__field_name(f);

    memset(&a, 0, sizeof a);
    a.metric = (fb_metric)(f - FB__F_METRIC0);
    if (fb__parse_double(s, len, &a.score) != 0) {
        QUOTE(q, s, len);
        return fb__error_pos(err, FB_ERR_PARSE, field, pos, "'%s' is not a number", q);
    }
    return fb__builder_add_item(b, &a, f, pos, err);
}

static fb_enum field_enum(int f)
{
    switch (f) {
    case FB__F_KIND: return FB_ENUM_KIND;
    case FB__F_CUSTOMER_STATUS: return FB_ENUM_CUSTOMER_STATUS;
    case FB__F_CHANNEL: return FB_ENUM_CHANNEL;
    case FB__F_SOURCE: return FB_ENUM_SOURCE;
    case FB__F_HANDLING: return FB_ENUM_HANDLING;
    default: return FB_ENUM_ASSIGNEE_KIND;
    }
}

fb_status fb__cell_apply(fb__builder *b, int f, char *s, size_t len, fb__pos pos, fb_error *err)
{
    fb_record *r = &b->rec;
    const char *field = fb__field_name(f);
    const char *t = s;
    size_t tlen = len;
    int v = 0;
    fb_status st = FB_OK;

    if (f < 0 || f >= FB__F_ALL)
        return fb__error_pos(err, FB_ERR_INVALID_ARG, "", pos, "unknown field %d", f);
    b->seen[f] = true;
    b->pos[f] = pos;

    /* Strings keep every byte. */
    switch (f) {
    case FB__F_CUSTOMER_ID: r->customer_id.ptr = s; r->customer_id.len = len; return FB_OK;
    case FB__F_TEXT: r->text.ptr = s; r->text.len = len; return FB_OK;
    case FB__F_LANGUAGE: r->language.ptr = s; r->language.len = len; return FB_OK;
    case FB__F_AGENT_ID: r->agent_id.ptr = s; r->agent_id.len = len; return FB_OK;
    case FB__F_TICKET_ID: r->ticket_id.ptr = s; r->ticket_id.len = len; return FB_OK;
    case FB__F_PRODUCT: r->product.ptr = s; r->product.len = len; return FB_OK;
    case FB__F_ASSIGNEE: r->assignee.ptr = s; r->assignee.len = len; return FB_OK;
    case FB__F_TAGS: return fb__cell_tags(b, s, len, pos, err);
    case FB__F_ATTRIBUTES: return fb__cell_attrs(b, s, len, pos, err);
    case FB__F_ANSWERS: return fb__cell_answers(b, s, len, pos, err);
    default: break;
    }

    /* Typed cells ignore surrounding spaces; empty means the default. */
    trim_spaces(&t, &tlen);
    if (tlen == 0) {
        if (f == FB__F_CREATED_AT)
            return fb__error_pos(err, FB_ERR_MISSING, field, pos,
                                 "empty (every record needs its creation time)");
        return FB_OK;
    }
    switch (f) {
    case FB__F_ID: return cell_u64(field, t, tlen, pos, &r->id, err);
    case FB__F_REF_ID: return cell_u64(field, t, tlen, pos, &r->ref_id, err);
    case FB__F_TIP: return cell_i64(field, t, tlen, pos, &r->tip, err);
    case FB__F_CREATED_AT: return cell_time(field, t, tlen, pos, &r->created_at, err);
    case FB__F_INTERACTION_AT: return cell_time(field, t, tlen, pos, &r->interaction_at, err);
    case FB__F_CUSTOMER_VERIFIED: return cell_bool(field, t, tlen, pos, &r->customer_verified, err);
    case FB__F_WIN_BACK: return cell_bool(field, t, tlen, pos, &r->win_back, err);
    case FB__F_COUNTRY: return cell_code(field, t, tlen, pos, r->country, sizeof r->country, err);
    case FB__F_TIP_CURRENCY:
        return cell_code(field, t, tlen, pos, r->tip_currency, sizeof r->tip_currency, err);
    case FB__F_KIND:
    case FB__F_CUSTOMER_STATUS:
    case FB__F_CHANNEL:
    case FB__F_SOURCE:
    case FB__F_HANDLING:
    case FB__F_ASSIGNEE_KIND:
        st = cell_enum(field_enum(f), field, t, tlen, pos, &v, err);
        if (st != FB_OK)
            return st;
        switch (f) {
        case FB__F_KIND: r->kind = (fb_record_kind)v; break;
        case FB__F_CUSTOMER_STATUS: r->customer_status = (fb_customer_status)v; break;
        case FB__F_CHANNEL: r->channel = (fb_channel)v; break;
        case FB__F_SOURCE: r->source = (fb_source)v; break;
        case FB__F_HANDLING: r->handling = (fb_handling)v; break;
        default: r->assignee_kind = (fb_assignee_kind)v; break;
        }
        return FB_OK;
    default:
        return cell_score(b, f, t, tlen, pos, err);
    }
}
