/* The JSON tokenizer: strings (decoded in place), numbers, literals, punctuation. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error_private.h"
#include "json.h"
#include "utf8.h"

fb__pos fb__json_pos(const fb__json *j, size_t at)
{
    fb__pos p;

    p.line = j->line;
    p.offset = j->base + at;
    return p;
}

fb_status fb__json_error(const fb__json *j, fb_error *err, fb_status code, size_t at,
                         const char *fmt, ...)
{
    fb__pos pos = fb__json_pos(j, at);
    va_list ap;

    va_start(ap, fmt);
    fb__verror(err, code, j->field ? j->field : "", fmt, ap);
    va_end(ap);
    fb__error_at(err, pos.line, pos.offset);
    return code;
}

static void skip_ws(fb__json *j)
{
    while (j->pos < j->len) {
        char c = j->s[j->pos];
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
            break;
        j->pos++;
    }
}

bool fb__json_at_end(fb__json *j)
{
    skip_ws(j);
    return j->pos >= j->len;
}

/* Describes the character at s[at] for a message. */
static void describe(const fb__json *j, size_t at, char *buf, size_t size)
{
    unsigned char c;

    if (at >= j->len) {
        snprintf(buf, size, "the end of the line");
        return;
    }
    c = (unsigned char)j->s[at];
    if (c > 0x20 && c < 0x7f)
        snprintf(buf, size, "'%c'", c);
    else
        snprintf(buf, size, "byte 0x%02X", c);
}

static fb_status unexpected(const fb__json *j, fb_error *err, size_t at, const char *wanted)
{
    char what[32];

    describe(j, at, what, sizeof what);
    return fb__json_error(j, err, FB_ERR_PARSE, at, "expected %s, found %s", wanted, what);
}

static int hex4(const char *s, size_t len, size_t at, unsigned long *out, size_t *bad)
{
    unsigned long v = 0;
    size_t i;

    for (i = 0; i < 4; i++) {
        char c = at + i < len ? s[at + i] : '\0';
        int d = (c >= '0' && c <= '9')   ? c - '0'
                : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                         : -1;
        if (d < 0) {
            *bad = at + i;
            return -1;
        }
        v = v * 16 + (unsigned long)d;
    }
    *out = v;
    return 0;
}

static fb_status parse_string(fb__json *j, fb__jval *v, fb_error *err)
{
    char *s = j->s;
    size_t start = j->pos, r = j->pos + 1, w = r, bad;

    for (;;) {
        unsigned char c;
        if (r >= j->len)
            return fb__json_error(j, err, FB_ERR_PARSE, j->len,
                                  "the string that starts at byte %llu is not closed",
                                  (unsigned long long)(j->base + start));
        c = (unsigned char)s[r];
        if (c == '"')
            break;
        if (c < 0x20)
            return fb__json_error(j, err, FB_ERR_PARSE, r,
                                  "control character U+%04X in a string (write it as an escape)",
                                  (unsigned)c);
        if (c == '\\') {
            char e = r + 1 < j->len ? s[r + 1] : '\0';
            const char *plain = strchr("\"\\/bfnrt", e);
            if (e != '\0' && plain) {
                static const char decoded[] = "\"\\/\b\f\n\r\t";
                s[w++] = decoded[plain - "\"\\/bfnrt"];
                r += 2;
            } else if (e == 'u') {
                unsigned long cp, lo;
                char buf[4];
                size_t n;
                if (hex4(s, j->len, r + 2, &cp, &bad) != 0)
                    return fb__json_error(j, err, FB_ERR_PARSE, bad,
                                          "\\u must be followed by four hex digits");
                if (cp >= 0xDC00 && cp <= 0xDFFF)
                    return fb__json_error(j, err, FB_ERR_PARSE, r,
                                          "lone low surrogate \\u%04lX", cp);
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    if (r + 7 >= j->len || s[r + 6] != '\\' || s[r + 7] != 'u' ||
                        hex4(s, j->len, r + 8, &lo, &bad) != 0 || lo < 0xDC00 || lo > 0xDFFF)
                        return fb__json_error(j, err, FB_ERR_PARSE, r,
                                              "high surrogate \\u%04lX is not followed by a low "
                                              "surrogate",
                                              cp);
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    r += 6;
                }
                r += 6;
                n = fb__utf8_encode(cp, buf);
                memcpy(s + w, buf, n);
                w += n;
            } else {
                char what[32];
                describe(j, r + 1, what, sizeof what);
                return fb__json_error(j, err, FB_ERR_PARSE, r, "invalid escape: \\ followed by %s",
                                      what);
            }
        } else if (c >= 0x80) {
            unsigned long cp;
            size_t n = fb__utf8_decode(s + r, j->len - r, &cp);
            if (n == 0)
                return fb__json_error(j, err, FB_ERR_UTF8, r, "invalid UTF-8 in a string");
            memmove(s + w, s + r, n);
            w += n;
            r += n;
        } else {
            s[w++] = s[r++];
        }
    }
    v->type = FB__J_STRING;
    v->ptr = s + start + 1;
    v->len = w - start - 1;
    v->pos = fb__json_pos(j, start);
    j->pos = r + 1;
    return FB_OK;
}

static bool digit_at(const fb__json *j, size_t at)
{
    return at < j->len && j->s[at] >= '0' && j->s[at] <= '9';
}

static fb_status parse_number(fb__json *j, fb__jval *v, fb_error *err)
{
    size_t start = j->pos, p = j->pos;

    if (p < j->len && j->s[p] == '-')
        p++;
    if (p < j->len && j->s[p] == '0') {
        p++;
        if (digit_at(j, p))
            return fb__json_error(j, err, FB_ERR_PARSE, p,
                                  "numbers must not have leading zeros");
    } else if (digit_at(j, p)) {
        while (digit_at(j, p))
            p++;
    } else {
        return unexpected(j, err, p, "a digit");
    }
    if (p < j->len && j->s[p] == '.') {
        p++;
        if (!digit_at(j, p))
            return unexpected(j, err, p, "a digit after the decimal point");
        while (digit_at(j, p))
            p++;
    }
    if (p < j->len && (j->s[p] == 'e' || j->s[p] == 'E')) {
        p++;
        if (p < j->len && (j->s[p] == '+' || j->s[p] == '-'))
            p++;
        if (!digit_at(j, p))
            return unexpected(j, err, p, "a digit in the exponent");
        while (digit_at(j, p))
            p++;
    }
    v->type = FB__J_NUMBER;
    v->ptr = j->s + start;
    v->len = p - start;
    v->pos = fb__json_pos(j, start);
    j->pos = p;
    return FB_OK;
}

static bool literal(fb__json *j, const char *word, fb__jtype type, fb__jval *v)
{
    size_t n = strlen(word);

    if (j->len - j->pos < n || memcmp(j->s + j->pos, word, n) != 0)
        return false;
    v->type = type;
    v->ptr = j->s + j->pos;
    v->len = n;
    v->pos = fb__json_pos(j, j->pos);
    j->pos += n;
    return true;
}

fb_status fb__json_value(fb__json *j, fb__jval *v, fb_error *err)
{
    char c;

    skip_ws(j);
    if (j->pos >= j->len)
        return unexpected(j, err, j->pos, "a value");
    c = j->s[j->pos];
    v->ptr = j->s + j->pos;
    v->len = 1;
    v->pos = fb__json_pos(j, j->pos);
    switch (c) {
    case '"': return parse_string(j, v, err);
    case '{': v->type = FB__J_OBJECT; j->pos++; return FB_OK;
    case '[': v->type = FB__J_ARRAY; j->pos++; return FB_OK;
    case 't': if (literal(j, "true", FB__J_TRUE, v)) return FB_OK; break;
    case 'f': if (literal(j, "false", FB__J_FALSE, v)) return FB_OK; break;
    case 'n': if (literal(j, "null", FB__J_NULL, v)) return FB_OK; break;
    default:
        if (c == '-' || (c >= '0' && c <= '9'))
            return parse_number(j, v, err);
        break;
    }
    return unexpected(j, err, j->pos, "a value");
}

fb_status fb__json_member(fb__json *j, bool *first, bool *more, fb__jval *key, fb_error *err)
{
    skip_ws(j);
    if (j->pos < j->len && j->s[j->pos] == '}' && *first) {
        j->pos++;
        *more = false;
        return FB_OK;
    }
    if (!*first) {
        if (j->pos < j->len && j->s[j->pos] == '}') {
            j->pos++;
            *more = false;
            return FB_OK;
        }
        if (j->pos >= j->len || j->s[j->pos] != ',')
            return unexpected(j, err, j->pos, "',' or '}'");
        j->pos++;
        skip_ws(j);
    }
    *first = false;
    if (j->pos >= j->len || j->s[j->pos] != '"')
        return unexpected(j, err, j->pos, "a key in double quotes");
    FB__TRY(parse_string(j, key, err));
    skip_ws(j);
    if (j->pos >= j->len || j->s[j->pos] != ':')
        return unexpected(j, err, j->pos, "':'");
    j->pos++;
    *more = true;
    return FB_OK;
}

fb_status fb__json_element(fb__json *j, bool *first, bool *more, fb_error *err)
{
    skip_ws(j);
    if (j->pos < j->len && j->s[j->pos] == ']' && *first) {
        j->pos++;
        *more = false;
        return FB_OK;
    }
    if (!*first) {
        if (j->pos < j->len && j->s[j->pos] == ']') {
            j->pos++;
            *more = false;
            return FB_OK;
        }
        if (j->pos >= j->len || j->s[j->pos] != ',')
            return unexpected(j, err, j->pos, "',' or ']'");
        j->pos++;
    }
    *first = false;
    *more = true;
    return FB_OK;
}
