/*
 * Hearsay: the built-in phrases (data/hearsay/, compiled in sorted, their
 * folded terms joined by '_') found as runs of the same terms in a text,
 * whatever punctuation or spacing lies between them. Stop words are kept:
 * most of these phrases are made of them ("I heard that").
 */
#include <stdlib.h>
#include <string.h>

#include "feedback/text.h"
#include "filter_private.h"

extern const char *const fb__hearsay_phrases[];
extern const size_t fb__hearsay_phrases_count;

static int compare_phrase(const void *key, const void *item)
{
    return strcmp(key, *(const char *const *)item);
}

static bool is_phrase(const char *s)
{
    return bsearch(s, fb__hearsay_phrases, fb__hearsay_phrases_count, sizeof(const char *),
                   compare_phrase) != NULL;
}

/* The last terms seen, newest at (next - 1) % FB__HEARSAY_MAX_TERMS. */
typedef struct recent {
    char folded[FB__HEARSAY_MAX_TERMS][FB_TERM_MAX + 1];
    size_t offset[FB__HEARSAY_MAX_TERMS];
    size_t seen;
} recent;

/*
 * How many of the last terms make a phrase ending at the newest one, longest
 * first; 0: none. The candidates are the suffixes of the last terms joined
 * once: each starts at one of their terms.
 */
static size_t phrase_ending(const recent *t)
{
    char joined[FB__HEARSAY_MAX_TERMS * (FB_TERM_MAX + 1)];
    size_t starts[FB__HEARSAY_MAX_TERMS];
    size_t n = t->seen < FB__HEARSAY_MAX_TERMS ? t->seen : FB__HEARSAY_MAX_TERMS;
    size_t len = 0, k;

    for (k = 0; k < n; k++) {
        const char *w = t->folded[(t->seen - n + k) % FB__HEARSAY_MAX_TERMS];
        size_t wl = strlen(w);
        if (k > 0)
            joined[len++] = '_';
        starts[k] = len;
        memcpy(joined + len, w, wl);
        len += wl;
    }
    joined[len] = '\0';
    for (k = 0; k < n; k++)
        if (is_phrase(joined + starts[k]))
            return n - k;
    return 0;
}

int fb__hearsay_find(const char *text, size_t len,
                     int (*add)(void *ctx, size_t offset, size_t length), void *ctx)
{
    fb_text_terms it;
    fb_term term;
    recent t;
    size_t start = 0, end = 0;   /* the run of phrases not yet reported; end 0: none */
    int runs = 0;

    t.seen = 0;
    fb_text_terms_init(&it, text, len, 0);
    while (fb_text_terms_next(&it, &term)) {
        size_t slot = t.seen % FB__HEARSAY_MAX_TERMS, terms, from, to;
        memcpy(t.folded[slot], term.folded, term.folded_len + 1);
        t.offset[slot] = term.offset;
        t.seen++;
        terms = phrase_ending(&t);
        if (terms == 0)
            continue;
        from = t.offset[(t.seen - terms) % FB__HEARSAY_MAX_TERMS];
        to = term.offset + term.length;
        if (end > 0 && from < end) {
            end = to; /* overlaps the run: "мне сказали", then "мне сказали что" */
            continue;
        }
        if (end > 0) {
            if (add(ctx, start, end - start) != 0)
                return -1;
            runs++;
        }
        start = from;
        end = to;
    }
    if (end > 0) {
        if (add(ctx, start, end - start) != 0)
            return -1;
        runs++;
    }
    return runs;
}
