/*
 * The abusive-content detector's normaliser (docs/FILTERS.md, "Abusive
 * content"): splits a text into tokens, each a string of one-byte letter
 * codes, with the byte offset in the original of every character it keeps.
 *
 * Codes: ASCII a-z, 0-9 and ' as themselves; '*' for a mask character
 * (* # _ inside a word); Cyrillic а..я as 0x80..0x9F (ё is е); the other
 * Cyrillic letters of U+0450..U+045F (і ї є ў ...) as 0xA0..0xAF, ґ as 0xB0;
 * Latin-1 letters as their folded code point (0xDF..0xFF). Other letters get
 * the lossy codes 0xB1..0xDE (a hash of the code point): good enough for the
 * model's features, never equal to a lexicon entry (FB__TOK_LOSSY).
 *
 * A token is a run of letters, digits, combining marks and the in-word
 * symbols @ $ ! | + * # _ ' holding at least one letter, trimmed of leading
 * symbols (but $ and *) and trailing ones (but *). Inside it:
 *  - case is folded; a letter repeated three times or more is kept twice
 *    (FB__TOK_STRETCH);
 *  - a word with Latin and Cyrillic letters is folded toward the script
 *    that has more letters without a look-alike in the other (then the one
 *    with more letters): "xyйня" is "хуйня", "fuсk" with a Cyrillic с is "fuck";
 *    a word in one script is never touched;
 *  - digits and symbols become the letters they stand for in that script
 *    (leetspeak: 0 o, 1 i, 3 e, @ a, $ s ...; in Cyrillic 0 о, 3 з, 4 ч, 6 б ...).
 * Digits only ("142,460") make no token.
 */
#ifndef FB_ABUSE_SCAN_H
#define FB_ABUSE_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The most codes a token keeps; a longer run is cut (FB__TOK_CUT) but spans all its bytes. */
#define FB__TOKEN_MAX 64

/* Scripts of a token. */
#define FB__SCRIPT_LATIN 0u
#define FB__SCRIPT_CYRILLIC 1u

/* Codes. */
#define FB__CODE_MASK 0x2Au /* '*' */
#define FB__CODE_CYR_A 0x80u /* а; а..я are 0x80..0x9F */

/* Token flags. */
#define FB__TOK_MASK 0x01u    /* holds a mask character */
#define FB__TOK_STRETCH 0x02u /* a letter run of three or more was cut to two */
#define FB__TOK_CAPS 0x04u    /* two or more capitals and no small letter */
#define FB__TOK_CUT 0x08u     /* longer than FB__TOKEN_MAX codes */
#define FB__TOK_LOSSY 0x10u   /* holds a letter with a lossy code */
#define FB__TOK_NONLETTER 0x20u /* holds a digit or a symbol that is not a letter in its script */

typedef struct fb__token {
    size_t start, end;      /* bytes [start, end) of the text */
    unsigned len;           /* codes */
    unsigned flags;         /* FB__TOK_* */
    unsigned script;        /* FB__SCRIPT_*: of the letters after folding */
    unsigned letters;       /* letters among the codes */
    bool fused;             /* the detector's sums below were taken during the scan */
    bool roots;
    int32_t sum;
    uint64_t hash, g;
    unsigned char code[FB__TOKEN_MAX + 1]; /* NUL after the last */
} fb__token;

/*
 * What lay between the previous token and this one: its bytes, whether it
 * held a line break, and the first run of three or more ! and ? in it.
 */
typedef struct fb__gap {
    size_t start, end;
    bool newline;
    size_t bang_start, bang_end; /* equal when none */
} fb__gap;

/*
 * A scan of a text. It checks UTF-8 as it reads: at the first byte that
 * starts no valid sequence (RFC 3629, as fb__utf8_check) it stops, bad
 * holding its offset; the word before it is still given.
 */
typedef struct fb__scanner {
    const unsigned char *s;
    size_t len, pos;
    size_t bad;            /* FB__SCAN_OK, or where the text stops being UTF-8 */
} fb__scanner;

#define FB__SCAN_OK ((size_t)-1)

static inline void fb__scan_init(fb__scanner *sc, const char *text, size_t len)
{
    sc->s = (const unsigned char *)text;
    sc->len = len;
    sc->pos = 0;
    sc->bad = FB__SCAN_OK;
}

/*
 * The next token into *t and the gap before it into *gap: true; at the end
 * of the text (or of its UTF-8) false, with *gap the gap after the last token.
 */
bool fb__scan_next(fb__scanner *sc, fb__token *t, fb__gap *gap);

/*
 * Folds codes[0..len) toward one script as a token's letters are (used for
 * words joined from letters written apart; the look-alike tables hold for
 * both cases). Returns the script.
 */
unsigned fb__fold_script(unsigned char *codes, unsigned len);

/* The hash of a code string: h = (h ^ code) * FB__HASH_MUL from FB__HASH_SEED (a multiplier that fits an immediate). */
#define FB__HASH_SEED UINT64_C(0xcbf29ce484222325)
#define FB__HASH_MUL UINT64_C(0x5bd1e995)

/* The hash of a character 4-gram, the last four codes of g: 32-bit arithmetic. */
static inline uint32_t fb__gram4_hash(uint64_t g)
{
    return (uint32_t)g * 0x9E3779B1u;
}

/*
 * The lexicon's root filter: a bit per value of the top
 * FB__ROOT_FILTER_BITS bits of a 4-gram's hash, set where a root may
 * start: at the 4-gram of its first four codes, or for a root of three at
 * every 4-gram of a letter of its script (or the start mark) and its three.
 * The scan looks it up at every code, from the hash it takes anyway.
 */
#define FB__ROOT_FILTER_BITS 17
static inline unsigned fb__root_filter_bit(const unsigned char *filter, uint32_t gram4_hash)
{
    unsigned slot = gram4_hash >> (32 - FB__ROOT_FILTER_BITS);
    return (filter[slot >> 3] >> (slot & 7)) & 1u;
}

/* The weight table size the scan's fused sums assume (abuse_scan_impl.h). */
#define FB__FUSE_BITS 17

/*
 * The byte offsets in text of the characters of token t, one per code,
 * into off (t->len of them): the scan keeps only the token's bounds, and
 * this walks its bytes again the same way.
 */
void fb__token_offsets(const char *text, const fb__token *t, size_t *off);

/* Whether code c is a letter, and of which script. */
static inline bool fb__code_is_letter(unsigned c)
{
    return (c >= 'a' && c <= 'z') || c >= 0x80;
}
static inline bool fb__code_is_cyrillic(unsigned c)
{
    return c >= 0x80 && c <= 0xB0;
}

#endif
