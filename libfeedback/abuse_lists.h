/*
 * The built-in lists of data/lexicon: for each, the array that
 * cmake/embed_words.cmake generates (fb__lex_<name>, fb__lex_<name>_count),
 * the kind of its entries and their category. A list added here needs its
 * name in FB_ABUSE_LEXICONS of cmake/abuse_sources.cmake too.
 */
#ifndef FB_ABUSE_LISTS_H
#define FB_ABUSE_LISTS_H

#include <stddef.h>

#include "abuse_lexicon.h"
#include "feedback/text.h"

/* X(name, kind, category) for every list; the prefixes first, as roots added later may follow them. */
#define FB__LEX_LISTS(X)                                      \
    X(ru_prefixes, FB__LEX_PREFIX, 0)                         \
    X(en_obscene_words, FB__LEX_WORD, FB_ABUSE_OBSCENITY)     \
    X(en_obscene_roots, FB__LEX_ROOT, FB_ABUSE_OBSCENITY)     \
    X(en_insult_words, FB__LEX_WORD, FB_ABUSE_INSULT)         \
    X(en_insult_roots, FB__LEX_ROOT, FB_ABUSE_INSULT)         \
    X(en_threat_words, FB__LEX_WORD, FB_ABUSE_THREAT)         \
    X(ru_obscene_words, FB__LEX_WORD, FB_ABUSE_OBSCENITY)     \
    X(ru_obscene_roots, FB__LEX_ROOT, FB_ABUSE_OBSCENITY)     \
    X(ru_insult_words, FB__LEX_WORD, FB_ABUSE_INSULT)         \
    X(ru_insult_roots, FB__LEX_ROOT, FB_ABUSE_INSULT)         \
    X(ru_threat_words, FB__LEX_WORD, FB_ABUSE_THREAT)         \
    X(exceptions, FB__LEX_EXCEPTION, 0)                       \
    X(exception_stems, FB__LEX_STEM, 0)

#define FB__LEX_DECLARE(name, kind, category) \
    extern const char *const fb__lex_##name[]; \
    extern const size_t fb__lex_##name##_count;
FB__LEX_LISTS(FB__LEX_DECLARE)
#undef FB__LEX_DECLARE

/* A list, for walking them all. */
typedef struct fb__lex_list {
    const char *const *words;
    const size_t *count;
    unsigned kind, category;
} fb__lex_list;

#endif
