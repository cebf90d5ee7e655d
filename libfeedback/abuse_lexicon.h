/*
 * The detector's lexicon: words, roots, exceptions and the prefixes roots
 * may follow, as code strings of the normaliser (abuse_scan.h), with the
 * matching rules of docs/FILTERS.md:
 *  - a word matches a token equal to it;
 *  - a root matches a token that starts with it, at the start or after one
 *    or two of its script's prefixes (a hard sign after a prefix allowed:
 *    "на-хуй", "за-еб-ал", "подъ-еб-ка"), unless the token is an exception
 *    or starts with an exception stem;
 *  - a token whose letter run of three or more was cut ("fuuuck") also
 *    matches by its form with every doubled letter single ("fuck");
 *  - a token with mask characters ("f*ck", "п**дец") matches the words and
 *    roots its masks can fill, each mask run standing for one or more letters;
 *    masks between single letters ("f*u*c*k") are dropped instead.
 */
#ifndef FB_ABUSE_LEXICON_H
#define FB_ABUSE_LEXICON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abuse_scan.h"
#include "feedback/alloc.h"
#include "feedback/status.h"

/* Kinds of entries: the public three (fb_lexicon_kind), then the built-in only ones. */
#define FB__LEX_WORD 0u
#define FB__LEX_ROOT 1u
#define FB__LEX_EXCEPTION 2u
#define FB__LEX_STEM 3u   /* an exception stem: no word it starts matches a root */
#define FB__LEX_PREFIX 4u /* a prefix roots may follow */

/* A bit per value of the top FB__WORD_FILTER_BITS bits of a word's mixed hash (bits that
 * fb__hash_slot does not give), set for every word of the table: most tokens that no word
 * matches find their bit clear, where a probe of the table (one eighth full) finds a slot taken
 * for one in eight. */
#define FB__WORD_FILTER_BITS 15
static inline unsigned fb__word_filter_slot(uint64_t h)
{
    return (unsigned)((h * UINT64_C(0x9E3779B97F4A7C15)) >> (64 - FB__WORD_FILTER_BITS));
}

typedef struct fb__lex_entry {
    uint32_t text, dedup;     /* offsets of the codes and of the undoubled codes in the pool */
    unsigned char len, dedup_len, kind, category, script;
} fb__lex_entry;

typedef struct fb__lexicon {
    const fb_allocator *alloc;
    fb__lex_entry *entries;
    size_t n, cap;
    unsigned char *pool;
    size_t pool_len, pool_cap;
    uint32_t *slots;          /* words by their codes: entry + 1, 0 empty; at most 1/8 full */
    uint32_t *dslots;         /* words by their undoubled codes */
    size_t slot_mask;         /* both tables have slot_mask + 1 slots */
    size_t n_words;
    uint32_t *xslots;         /* exceptions by their codes, at most half full */
    size_t xslot_mask, n_exceptions;
    uint32_t *roots, *droots;  /* the roots, by their first two codes, and by those of their undoubled forms */
    uint32_t *stems, *prefixes; /* entry indices; the prefixes by their first two codes */
    size_t n_roots, n_droots, n_stems, n_prefixes, roots_cap, droots_cap, stems_cap, prefixes_cap;
    unsigned char root_pair[8192]; /* bit c0 << 8 | c1: a root (or its undoubled form) starts so */
    unsigned char prefix_first[32]; /* bit c: a prefix starts with code c */
    unsigned char root_filter[1u << (FB__ROOT_FILTER_BITS - 3)]; /* fb__root_filter_bit: where roots start */
    /* bits at fb__word_filter_slot: of the words' hashes, of the exceptions' */
    unsigned char word_filter[1u << (FB__WORD_FILTER_BITS - 3)];
    unsigned char exception_filter[1u << (FB__WORD_FILTER_BITS - 3)];
    unsigned char stem_pair[8192];   /* bit c0 << 8 | c1: an exception stem starts so */
    bool short_roots;         /* a root of fewer than three codes: the filter does not hold */
} fb__lexicon;

/* The hash of a code string, the one the model's word feature uses too (abuse_scan.h). */
static inline uint64_t fb__code_hash(const unsigned char *codes, unsigned len)
{
    uint64_t h = FB__HASH_SEED;
    unsigned i;
    for (i = 0; i < len; i++)
        h = (h ^ codes[i]) * FB__HASH_MUL;
    return h;
}

/* The slot of hash h in a table: its bits mixed, so low bits of codes do not crowd. */
static inline size_t fb__hash_slot(uint64_t h)
{
    return (size_t)((h * UINT64_C(0x9E3779B97F4A7C15)) >> 32);
}

/* An empty lexicon (no allocation yet). */
void fb__lex_init(fb__lexicon *lx, const fb_allocator *alloc);
void fb__lex_free(fb__lexicon *lx);

/* Adds the built-in lists. Errors: FB_ERR_NOMEM. */
fb_status fb__lex_add_builtin(fb__lexicon *lx);

/*
 * Adds word[0..len) (UTF-8) as an entry of kind and category. It must be
 * one token of letters of the exact alphabets. Errors: FB_ERR_INVALID_ARG
 * (with err), FB_ERR_NOMEM.
 */
fb_status fb__lex_add(fb__lexicon *lx, unsigned kind, unsigned category, const char *word,
                      size_t len, fb_error *err);

/*
 * The category of the entry that token t matches (hash is fb__code_hash of
 * its codes), or 0. roots: whether some 3 codes of t have their root_filter slot set
 * (false skips the roots when lx has no short ones).
 */
unsigned fb__lex_match(const fb__lexicon *lx, const fb__token *t, uint64_t hash, bool roots);


/* Whether fb__lex_match can find anything: most tokens are settled by this one look. */
static inline bool fb__lex_may_match(const fb__lexicon *lx, const fb__token *t, uint64_t hash, bool roots)
{
    const unsigned slot = fb__word_filter_slot(hash);
    return roots || lx->short_roots || (t->flags & (FB__TOK_MASK | FB__TOK_STRETCH)) ||
           ((lx->word_filter[slot >> 3] >> (slot & 7)) & 1u);
}

/*
 * Whether codes[0..len) (hash: fb__code_hash) is an exception or starts
 * with an exception stem. The detector asks it of the words the model
 * weighs heavily too: an exception is never abusive, by the model either.
 */
bool fb__lex_excepted(const fb__lexicon *lx, const unsigned char *codes, unsigned len, uint64_t hash);

/* The same for a word of codes[0..len) in script that no mask or stretch touched. */
unsigned fb__lex_match_codes(const fb__lexicon *lx, const unsigned char *codes, unsigned len,
                             unsigned script, uint64_t hash);

#endif
