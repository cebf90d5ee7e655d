/*
 * libFuzzer harness for the abusive-content detector and fb_text_mask.
 *
 * The first byte picks what else happens (an entry added to the lexicon from
 * the input, the mask character); the rest is the text. Beyond "no crash, no
 * leak, no undefined behaviour", it checks the promises of text.h on every
 * input:
 *  - a text that is not valid UTF-8 is FB_ERR_UTF8, with an empty result;
 *  - otherwise the score lies in 0..1, abusive agrees with it, and the
 *    spans lie inside the text on character boundaries, in text order;
 *  - masking those spans succeeds, keeps the text valid UTF-8 and never
 *    makes it longer, in place as well as into another buffer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "feedback/feedback.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int boundary(const char *s, size_t len, size_t i)
{
    return i == len || ((unsigned char)s[i] & 0xC0) != 0x80;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fb_abuse_detector *d;
    fb_abuse_result r;
    const char *text;
    size_t len, i, out_len;
    unsigned mode;
    char *out;
    fb_status st;

    if (size < 1)
        return 0;
    mode = data[0];
    text = (const char *)data + 1;
    len = size - 1;
    if (fb_abuse_detector_new(&d, NULL, NULL) != FB_OK)
        return 0;
    if (mode & 1) { /* the first half as an entry: it may well be refused */
        static const unsigned cats[3] = {FB_ABUSE_OBSCENITY, FB_ABUSE_INSULT, FB_ABUSE_THREAT};
        fb_abuse_detector_add(d, (fb_lexicon_kind)((mode >> 1) % 3), cats[(mode >> 3) % 3], text, len / 2, NULL);
    }
    st = fb_abuse_check(d, text, len, &r, NULL);
    if (st == FB_ERR_UTF8) {
        if (r.n_spans != 0 || r.spans != NULL || r.abusive)
            abort();
        fb_abuse_detector_free(d);
        return 0;
    }
    if (st != FB_OK || r.score < 0.0 || r.score > 1.0 || (r.n_spans && !r.spans))
        abort();
    for (i = 0; i < r.n_spans; i++) {
        const fb_text_span *s = &r.spans[i];
        if (s->offset > len || s->length > len - s->offset || !boundary(text, len, s->offset) ||
            !boundary(text, len, s->offset + s->length) || (i && s->offset < r.spans[i - 1].offset) ||
            !(s->category & FB_ABUSE_ALL))
            abort();
    }
    out = malloc(len ? len : 1);
    if (out) {
        char mask = (char)(0x20 + (mode >> 4));
        if (fb_text_mask(text, len, r.spans, r.n_spans, mask, out, len, &out_len, NULL) != FB_OK || out_len > len)
            abort();
        /* In place gives the same. */
        {
            char *copy = malloc(len ? len : 1);
            size_t copy_len;
            if (copy) {
                memcpy(copy, text, len);
                if (fb_text_mask(copy, len, r.spans, r.n_spans, mask, copy, len, &copy_len, NULL) != FB_OK ||
                    copy_len != out_len || memcmp(copy, out, out_len) != 0)
                    abort();
                free(copy);
            }
        }
        /* The masked text is valid UTF-8: the detector takes it. */
        if (fb_abuse_check(d, out, out_len, &r, NULL) != FB_OK)
            abort();
        free(out);
    }
    fb_abuse_detector_free(d);
    return 0;
}
