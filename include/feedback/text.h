/*
 * libfeedback: text, word by word. Splits a comment into terms, folded so
 * that the same word is the same term however it was written, and says
 * which terms are stop words. The summaries count terms per group with it;
 * the relevance filters build on the same folding.
 *
 * A term is a run of letters and digits (Unicode letters of the Latin and
 * Cyrillic scripts, and other letters as they come), with inner apostrophes
 * and hyphens kept ("don't", "кто-то"), folded to lower case: Latin and
 * Latin-1 letters, Cyrillic (Russian, Ukrainian, Belarusian letters), and
 * ё to е; the typographic apostrophe and hyphens to ' and - ("don’t" is
 * "don't"). Terms of digits only are not terms. Anything else separates terms;
 * so do bytes that are not valid UTF-8 (the text is never rejected).
 *
 * Read-only built-in data (the stop word lists) is shared safely between
 * threads; an fb_text_terms iterator belongs to one thread at a time.
 */
#ifndef FEEDBACK_TEXT_H
#define FEEDBACK_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "common.h"

FB_BEGIN_DECLS

/* The longest folded term kept whole, in bytes; a longer run is cut there (at a character boundary). */
#define FB_TERM_MAX 64

/* One term of a text. */
typedef struct fb_term {
    const char *folded;   /* the folded term, NUL-terminated, in the iterator (valid until its next call) */
    size_t folded_len;    /* its length in bytes, at most FB_TERM_MAX */
    size_t offset;        /* where it starts in the text, in bytes */
    size_t length;        /* how many bytes of the text it spans */
} fb_term;

/* Flags of fb_text_terms_init. */
#define FB_TERMS_SKIP_STOP_WORDS 1u /* leave out the built-in stop words of English and Russian */

/*
 * An iterator over the terms of a text: a plain struct on the caller's
 * stack, no allocation. Its members are private.
 */
typedef struct fb_text_terms {
    const unsigned char *text;
    size_t len, pos;
    unsigned flags;
    char buf[FB_TERM_MAX + 4];
} fb_text_terms;

/* Starts t on text[0..len) (borrowed: it must outlive t's use). text may be NULL when len is 0. */
FB_API void fb_text_terms_init(fb_text_terms *t, const char *text, size_t len, unsigned flags);

/* The next term into *term: returns true, or false at the end of the text. */
FB_API bool fb_text_terms_next(fb_text_terms *t, fb_term *term);

/* Whether the folded term s[0..len) is one of the built-in English or Russian stop words. */
FB_API bool fb_text_is_stop_word(const char *s, size_t len);

FB_END_DECLS

#endif /* FEEDBACK_TEXT_H */
