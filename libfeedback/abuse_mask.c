/*
 * fb_text_mask (text.h): every character inside a span becomes one mask
 * character. Everything is checked before the first byte is written, so a
 * failed call leaves out (and text, when they are the same) as it was. The
 * spans are walked as a union without sorting or memory: from a position,
 * the spans that cover it say how far to mask, the next start says how far
 * to copy; each step passes a span's start or end.
 */
#include <string.h>

#include "error_private.h"
#include "feedback/text.h"
#include "utf8.h"

/* Whether byte i of s (i <= len) starts a character or is the end. */
static bool boundary(const unsigned char *s, size_t len, size_t i)
{
    return i == len || (s[i] & 0xC0) != 0x80;
}

/* The end of the spans covering pos (pos itself when none), and the first start after pos. */
static void cover(const fb_text_span *spans, size_t n, size_t pos, size_t len, size_t *end, size_t *next)
{
    size_t i;
    *end = pos;
    *next = len;
    for (i = 0; i < n; i++) {
        size_t a = spans[i].offset, b = a + spans[i].length;
        if (a <= pos && b > pos && b > *end)
            *end = b;
        else if (a > pos && a < *next && b > a)
            *next = a;
    }
}

/* Walks the text: with out NULL only counts. Returns the output length. */
static size_t walk(const unsigned char *s, size_t len, const fb_text_span *spans, size_t n, char mask,
                   char *out)
{
    size_t pos = 0, o = 0;

    while (pos < len) {
        size_t end, next;
        cover(spans, n, pos, len, &end, &next);
        if (end > pos) {
            /* Extend over spans that start inside this one. */
            size_t e2, n2;
            for (;;) {
                cover(spans, n, end, len, &e2, &n2);
                if (e2 <= end)
                    break;
                end = e2;
            }
            for (; pos < end; pos++)
                if ((s[pos] & 0xC0) != 0x80) {
                    if (out)
                        out[o] = mask;
                    o++;
                }
        } else {
            if (out)
                memmove(out + o, s + pos, next - pos);
            o += next - pos;
            pos = next;
        }
    }
    return o;
}

fb_status fb_text_mask(const char *text, size_t len, const fb_text_span *spans, size_t n_spans, char mask,
                       char *out, size_t size, size_t *out_len, fb_error *err)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t bad, i, need;

    if (out_len)
        *out_len = 0;
    if ((!text && len) || (!spans && n_spans) || !out_len || (!out && size))
        return fb__error(err, FB_ERR_INVALID_ARG, "", "text, spans, out or out_len is NULL");
    if ((unsigned char)mask >= 0x80)
        return fb__error(err, FB_ERR_INVALID_ARG, "mask", "is not an ASCII character");
    if ((bad = fb__utf8_check(text, len)) != len) {
        fb__error(err, FB_ERR_UTF8, "text", "is not valid UTF-8 at byte %lu", (unsigned long)bad);
        fb__error_at(err, 0, bad);
        return FB_ERR_UTF8;
    }
    for (i = 0; i < n_spans; i++) {
        size_t a = spans[i].offset, l = spans[i].length;
        if (a > len || l > len - a)
            return fb__error(err, FB_ERR_INVALID_ARG, "spans", "span %lu lies outside the text",
                             (unsigned long)i);
        if (!boundary(s, len, a) || !boundary(s, len, a + l))
            return fb__error(err, FB_ERR_INVALID_ARG, "spans", "span %lu cuts a character",
                             (unsigned long)i);
    }
    need = walk(s, len, spans, n_spans, mask, NULL);
    if (need > size || (need > 0 && !out))
        return fb__error(err, FB_ERR_INVALID_ARG, "size", "is %lu, the masked text needs %lu",
                         (unsigned long)size, (unsigned long)need);
    if (len)
        walk(s, len, spans, n_spans, mask, out);
    *out_len = need;
    return FB_OK;
}
