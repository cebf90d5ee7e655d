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

#include "alloc.h"
#include "common.h"
#include "status.h"

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

/* ------------------------------------------------------------------ */
/* Abusive content                                                     */
/* ------------------------------------------------------------------ */

/*
 * What a text can hold that makes it abusive: bits of fb_abuse_result's
 * categories and of each span's category. Russian and English.
 */
#define FB_ABUSE_OBSCENITY 0x1u  /* swearing, obscene words */
#define FB_ABUSE_INSULT 0x2u     /* an insult or personal attack */
#define FB_ABUSE_THREAT 0x4u     /* a threat of harm */
#define FB_ABUSE_SHOUTING 0x8u   /* runs of capitals or of ! and ? */
#define FB_ABUSE_ALL 0xFu

/* A part of a text: bytes [offset, offset + length) of the original, and what it is. */
typedef struct fb_text_span {
    size_t offset;
    size_t length;
    unsigned category;   /* one FB_ABUSE_* bit */
} fb_text_span;

/*
 * A text's judgement. score is how abusive its worst part is, 0..1 (a long
 * polite review with one insult scores as the insult does); abusive is
 * score >= the detector's threshold. spans are the words and phrases found,
 * in text order; they belong to the detector, valid until its next check.
 */
typedef struct fb_abuse_result {
    double score;
    bool abusive;
    unsigned categories;        /* FB_ABUSE_* bits of the spans, and of the model's judgement
                                   (FB_ABUSE_INSULT when the model alone finds the text abusive) */
    const fb_text_span *spans;
    size_t n_spans;
} fb_abuse_result;

/*
 * A detector: the built-in lexicons and model (shared, read-only), the words
 * a host added, and the scratch memory of a check. One thread at a time.
 */
typedef struct fb_abuse_detector fb_abuse_detector;

/* A new detector with the built-in lexicons. alloc: NULL for the C library's. Errors: FB_ERR_NOMEM. */
FB_API fb_status fb_abuse_detector_new(fb_abuse_detector **out, const fb_allocator *alloc,
                                       fb_error *err);

/* Frees d. NULL is a no-op. */
FB_API void fb_abuse_detector_free(fb_abuse_detector *d);

/* What an added lexicon entry is. */
typedef enum fb_lexicon_kind {
    FB_LEXICON_WORD = 0,      /* a whole word (and its obfuscated forms) */
    FB_LEXICON_ROOT = 1,      /* a stem: the words it starts (a Cyrillic one also after one or two
                                 Russian prefixes, "на-", "за-", "по-" ...), unless an exception */
    FB_LEXICON_EXCEPTION = 2  /* a word never to match, whatever root it starts with; the model
                                 drops its weight too where it is heavy (docs/FILTERS.md) */
} fb_lexicon_kind;

/*
 * Adds an entry to d's lexicon: word (UTF-8, folded as the detector folds
 * text: case, ё to е; docs/FILTERS.md), one word of Latin (ASCII and
 * Latin-1) or Cyrillic letters and apostrophes, in category (one FB_ABUSE_*
 * bit but shouting; ignored for exceptions). The entry matches the word's
 * obfuscated forms too. Errors: FB_ERR_INVALID_ARG (empty, not a single
 * word, another character, a letter thrice in a row, bad category or kind),
 * FB_ERR_UTF8, FB_ERR_NOMEM.
 */
FB_API fb_status fb_abuse_detector_add(fb_abuse_detector *d, fb_lexicon_kind kind,
                                       unsigned category, const char *word, size_t len,
                                       fb_error *err);

/* The score from which a text is abusive (default: the one docs/FILTERS.md gives). */
FB_API void fb_abuse_detector_set_threshold(fb_abuse_detector *d, double threshold);

/*
 * Judges text[0..len). Errors: FB_ERR_UTF8 (err gives the byte offset; *out
 * is then empty), FB_ERR_NOMEM, FB_ERR_INVALID_ARG.
 */
FB_API fb_status fb_abuse_check(fb_abuse_detector *d, const char *text, size_t len,
                                fb_abuse_result *out, fb_error *err);

/*
 * Copies text[0..len) to out with every character of the spans replaced by
 * mask (an ASCII character), so the result is valid UTF-8 and never longer
 * than text; *out_len gets its length. Spans must lie on character
 * boundaries inside the text; they may overlap and come in any order. out
 * may be text itself. Errors: FB_ERR_INVALID_ARG (a span outside the text or
 * off a boundary, mask not ASCII, size too small: size >= len suffices),
 * FB_ERR_UTF8.
 */
FB_API fb_status fb_text_mask(const char *text, size_t len, const fb_text_span *spans,
                              size_t n_spans, char mask, char *out, size_t size,
                              size_t *out_len, fb_error *err);

FB_END_DECLS

#endif /* FEEDBACK_TEXT_H */
