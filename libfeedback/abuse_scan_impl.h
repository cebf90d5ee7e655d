/*
 * The normaliser's scan (abuse_scan.h), inline: the detector runs it for
 * every token of every text, and a call per token costs as much as the
 * token. abuse_scan.c has the slow paths (folding of mixed words,
 * characters beyond two bytes) and fb__scan_next for everyone else.
 */
#ifndef FB_ABUSE_SCAN_IMPL_H
#define FB_ABUSE_SCAN_IMPL_H

#include <string.h>

#include "abuse_scan.h"
#include "compiler.h"
#include "utf8.h"

/* The plain ASCII word of the scan is read sixteen bytes at a time where SSE2 is there (every
 * x86-64); elsewhere the byte loop reads it. */
#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#define FB__SCAN_WIDE 1
#endif

/* Which way a branch of the hot loops mostly goes, for the compilers that take the hint. */
#if defined(__GNUC__)
#define FB__LIKELY(x) __builtin_expect(!!(x), 1)
#define FB__UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define FB__LIKELY(x) (x)
#define FB__UNLIKELY(x) (x)
#endif

/* Classes of ASCII bytes. */
enum { C_SEP = 0, C_LET = 1, C_UP = 2, C_DIG = 4, C_SYM = 8, C_HIGH = 16 /* not ASCII */ };

#define S C_SYM
#define D C_DIG
#define U (C_LET | C_UP)
#define L C_LET
#define H C_HIGH
static const unsigned char ascii_class[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 00 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 10 */
    0, S, 0, S, S, 0, 0, S, 0, 0, S, S, 0, 0, 0, 0, /* 20: ! # $ ' * + */
    D, D, D, D, D, D, D, D, D, D, 0, 0, 0, 0, 0, 0, /* 30: 0-9 */
    S, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, /* 40: @ A-O */
    U, U, U, U, U, U, U, U, U, U, U, 0, 0, 0, 0, S, /* 50: P-Z _ */
    0, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, /* 60: a-o */
    L, L, L, L, L, L, L, L, L, L, L, 0, S, 0, 0, 0, /* 70: p-z | */
    H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
    H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
    H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
    H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, /* 80-FF */
};
#undef S
#undef D
#undef U
#undef L
#undef H

/* The code of cp (two bytes or more): 0 for a separator, 1 for a combining
 * mark, 2 for an apostrophe; *up set for a capital, *cyr for Cyrillic. */
unsigned char fb__wide_code(unsigned long cp, bool *up, bool *cyr);

/* Whether the byte at s[i] (i < len) can continue a token: a letter, digit, symbol or non-ASCII. */
static inline bool fb__scan_continues(const unsigned char *s, size_t len, size_t i)
{
    return i < len && (s[i] >= 0x80 || ascii_class[s[i]] != C_SEP);
}

/*
 * What the detector's usual model takes from each character, summed while
 * the scan reads it (abuse_detector.c): the weights of the word's 4-grams
 * (a table of 1 << FB__FUSE_BITS), its hash, the root filter. A token gets them (fused) when every code came through the
 * fast runs and no folding changed one. fusing: whether to (a constant of
 * the caller's, so that the scan without it has none of its code).
 */
typedef struct fb__fuse {
    const signed char *weights; /* mask + 1 of them, read at the top FB__FUSE_BITS bits of the hash */
    uint32_t mask;
    const unsigned char *filter;
} fb__fuse;

/*
 * For a lead byte c of D0 or D1 and the byte after it: the letter's place in
 * А..Я а..я (0x00..0x3F; ё and Ё as е and Е), or 0x40 or more when it is
 * another character or next is no continuation byte (the scan checks UTF-8
 * as it goes).
 */
static inline unsigned fb__cyr_fast(unsigned c, unsigned next)
{
    unsigned u = next ^ 0x80u, v = ((((c & 1u) << 6) | u) - 0x10u) | (u & 0xC0u);
    if (FB__UNLIKELY(v >= 0x40u)) { /* ё and Ё are е and Е */
        if (c == 0xD1 && next == 0x91)
            return 0x25;
        if (c == 0xD0 && next == 0x81)
            return 0x05;
    }
    return v;
}

/*
 * The length of the separator at s[i] (not ASCII) that needs no decoding,
 * the bulk of what separates words beside ASCII: U+0080..U+00BF (NBSP,
 * « », Latin-1 signs), U+2000..U+2FFF (quotes, dashes, the ellipsis,
 * symbols, dingbats, arrows; ’ too, where no letter follows it),
 * U+FE00..U+FE3F (variation selectors after emoji), and the emoji and
 * pictographs of U+1F000..U+1FFFF; 0 for anything else. *line_break:
 * U+0085, U+2028, U+2029.
 */
static inline size_t fb__scan_fast_separator(const unsigned char *s, size_t len, size_t i, bool *line_break)
{
    if (s[i] == 0xC2 && i + 1 < len && (s[i + 1] & 0xC0) == 0x80) {
        *line_break = s[i + 1] == 0x85;
        return 2;
    }
    if ((s[i] == 0xE2 || (s[i] == 0xEF && i + 1 < len && s[i + 1] == 0xB8)) && i + 2 < len &&
        (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80) {
        *line_break = s[i] == 0xE2 && s[i + 1] == 0x80 && (s[i + 2] == 0xA8 || s[i + 2] == 0xA9);
        return 3;
    }
    if (s[i] == 0xF0 && i + 3 < len && s[i + 1] == 0x9F && (s[i + 2] & 0xC0) == 0x80 && (s[i + 3] & 0xC0) == 0x80) {
        *line_break = false;
        return 4;
    }
    return 0;
}

/* Whether s[i] starts an apostrophe (' or ’) with an ASCII letter after it. */
static inline bool fb__scan_apostrophe(const unsigned char *s, size_t len, size_t i)
{
    if (s[i] == '\'')
        return i + 1 < len && (ascii_class[s[i + 1]] & C_LET);
    return s[i] == 0xE2 && i + 3 < len && s[i + 1] == 0x80 && s[i + 2] == 0x99 && (ascii_class[s[i + 3]] & C_LET);
}

/* How a word came: bits of what its characters were. */
enum { K_LAT = 1, K_CYR = 2, K_SLOW = 4 /* a digit, a symbol, a character off the fast runs */ };

/*
 * The end of a word: its fields into t, and the folding of mixed and
 * leetspeak words. The fast runs' sums are t's (fused) when they saw every code.
 */
static FB__ALWAYS_INLINE void fb__scan_finish(fb__token *t, size_t end, unsigned n, unsigned letters,
                                              unsigned small, unsigned flags, unsigned kinds, uint64_t g,
                                              uint64_t hash, int32_t sum, unsigned any_root,
                                              const unsigned char *ffilter, const bool fusing)
{
    t->end = end;
    t->len = n;
    t->code[n] = 0;
    t->letters = letters;
    if (letters >= 2 && !(small & 0x20))
        flags |= FB__TOK_CAPS;
    t->script = kinds & K_LAT ? FB__SCRIPT_LATIN : FB__SCRIPT_CYRILLIC;
    t->fused = fusing && (kinds == K_LAT || kinds == K_CYR);
    if (t->fused) {
        t->hash = hash;
        t->sum = sum;
        t->g = g;
        /* A Latin word (no prefixes) can start a root only at its start: the
         * filter at its first 3 and 4 codes, not at each. Without a branch
         * (words of every length come): a word of three has its NUL fourth,
         * and a shorter one takes no root. */
        {
            uint64_t g3 = (uint64_t)t->code[0] << 16 | (uint64_t)t->code[1] << 8 | t->code[2];
            unsigned gate = fb__root_filter_bit(ffilter, fb__gram4_hash(g3 | UINT64_C(1) << 24)) |
                            fb__root_filter_bit(ffilter, fb__gram4_hash(g3 << 8 | t->code[3]));
            any_root |= (kinds == K_LAT) & (n >= 3) & gate;
        }
        t->roots = any_root != 0;
    } else if (kinds != K_LAT && kinds != K_CYR) {
        unsigned j;
        t->script = fb__fold_script(t->code, n);
        for (j = 0; j < n; j++) {
            unsigned c = t->code[j];
            if (c == FB__CODE_MASK)
                flags |= FB__TOK_MASK;
            else if (c < 'a' && c != '\'')
                flags |= FB__TOK_NONLETTER;
        }
    }
    t->flags = flags;
}

/* A word's state while the fast runs read it. */
typedef struct fb__run {
    unsigned n, p1, p2, flags, any_root; /* p1, p2: the last two codes kept */
    uint64_t g, hash;
    int32_t sum;
} fb__run;

/*
 * Puts a letter's code into t: a third in a row is dropped (a stretch),
 * none past FB__TOKEN_MAX is kept (a cut); with fusing, the model's sums of
 * it, and with filter the root filter at it (Cyrillic: roots follow prefixes).
 */
static FB__ALWAYS_INLINE void fb__scan_put(fb__token *t, unsigned code, fb__run *r, const signed char *fw,
                                           uint32_t fmask, const unsigned char *ffilter, const bool fusing,
                                           const bool filter)
{
    /* One test of both (doubled letters are common, tripled ones rare). */
    if (FB__UNLIKELY((code == r->p1) & (code == r->p2))) {
        r->flags |= FB__TOK_STRETCH;
    } else if (FB__LIKELY(r->n < FB__TOKEN_MAX)) {
        t->code[r->n++] = (unsigned char)code;
        r->p2 = r->p1;
        r->p1 = code;
        if (fusing) {
            uint32_t h4;
            r->g = r->g << 8 | code;
            r->hash = (r->hash ^ code) * FB__HASH_MUL;
            h4 = fb__gram4_hash(r->g);
            if (filter)
                r->any_root |= fb__root_filter_bit(ffilter, h4);
            r->sum += fw[(h4 >> (32 - FB__FUSE_BITS)) & fmask];
        }
    } else {
        r->flags |= FB__TOK_CUT;
    }
}

#ifdef FB__SCAN_WIDE
/* The powers 0..3 of the inverse of FB__HASH_MUL (mod 2^64): a hash taken over j codes 0 past
 * a string, times fb__hash_unmul[j], is the string's (a 0 code only multiplies). A word is
 * hashed over 4 or 8 codes, so at most 3 are past it. */
static const uint64_t fb__hash_unmul[4] = {
    UINT64_C(0x0000000000000001), UINT64_C(0x39c9eb52e59b19bd), UINT64_C(0x3b5655184f747589),
    UINT64_C(0xa69ae43dbf682725),
};

/* Bit k set where byte k of folded (the bytes | 0x20) is an ASCII letter: a..z moved to the
 * bottom of the signed bytes (-128..-103), where nothing else lands. */
static FB__ALWAYS_INLINE unsigned fb__letters16(__m128i folded)
{
    const __m128i shifted = _mm_add_epi8(folded, _mm_set1_epi8(0x1F));
    return (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(shifted, _mm_set1_epi8(-102)));
}

/* Bit k set where byte k of v equals the two after it (a letter thrice: the byte loop's). */
static FB__ALWAYS_INLINE unsigned fb__triples16(__m128i v)
{
    const __m128i next = _mm_cmpeq_epi8(v, _mm_srli_si128(v, 1));
    const __m128i after = _mm_cmpeq_epi8(v, _mm_srli_si128(v, 2));
    return (unsigned)_mm_movemask_epi8(_mm_and_si128(next, after));
}

/*
 * The common word, all at once: fewer than sixteen ASCII letters at s + i
 * followed by a separator (or the text's end), no letter thrice in a row,
 * with sixteen bytes there to read (!tail), or the last word of a text of
 * sixteen bytes or more (tail: fewer left). Its letters are classified,
 * folded and stored in one go; the 4-grams, the hash and the sums then come
 * from the codes in two registers, without the byte loop's test and branch
 * a byte. Gives the token exactly as the byte loop would (the same codes,
 * hash, sums, g and root gate), or false for the byte loop to read it.
 */
static FB__ALWAYS_INLINE bool fb__scan_latin_wide(const unsigned char *s, size_t len, size_t i,
                                                  fb__token *t, const signed char *fw,
                                                  uint32_t fmask, const unsigned char *ffilter,
                                                  const bool tail)
{
    const uint64_t bit5s = UINT64_C(0x2020202020202020);
    const __m128i bit5 = _mm_set1_epi8(0x20);
    uint64_t hash = FB__HASH_SEED, g = 1, x, high;
    __m128i v, folded, lower;
    uint32_t first4;
    unsigned n, in_word, k, gate;
    int32_t sum = 0;

    if (!tail) {
        v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        memcpy(&x, s + i, 8);
        memcpy(&high, s + i + 8, 8);
    } else {
        /* The last word, fewer than sixteen bytes (r) left of a text of sixteen or more: the
         * last sixteen bytes moved down in registers by 16 - r, zeros (separators) past them. */
        const unsigned down = 8 * (unsigned)(16 - (len - i)); /* 8..120 bits */
        uint64_t a, b;
        memcpy(&a, s + len - 16, 8);
        memcpy(&b, s + len - 8, 8);
        x = down < 64 ? a >> down | b << (63 - down) << 1 : b >> (down - 64);
        high = down < 64 ? b >> down : 0;
        v = _mm_set_epi64x((long long)high, (long long)x);
    }
    folded = _mm_or_si128(v, bit5);
    n = (unsigned)__builtin_ctz(~fb__letters16(folded));
    in_word = (1u << n) - 1;
    lower = _mm_cmpeq_epi8(_mm_and_si128(v, bit5), bit5); /* small letters */

    /* After the word a separator, or the text's end (past it the tail has zeros). */
    if (n >= 16 || ((!tail || i + n < len) && ascii_class[s[i + n]] != C_SEP) ||
        (fb__triples16(folded) & in_word >> 2))
        return false;
    _mm_storeu_si128((__m128i *)(void *)t->code, folded);
    t->code[n] = 0;
    x |= bit5s; /* the codes still to read, the next in the low byte (x86 is little-endian) */
    if (FB__LIKELY(n <= 8 && fmask == (UINT32_C(1) << FB__FUSE_BITS) - 1)) {
        /* Four steps for a word of up to four letters, eight up to eight, without a loop (its
         * exit, one a word, went wrong as often as the lengths vary). Past the word the codes
         * are 0: the hash, which a 0 code only multiplies, is brought back by the inverse
         * (fb__hash_unmul), and the weights, gathered a byte each, are summed in the word
         * alone (psadbw, each byte moved up by 128). The index needs no mask: FB__FUSE_BITS
         * bits of the hash. */
        const uint64_t keep = ~UINT64_C(0) >> (64 - 8 * n), lo = x & keep;
        const uint64_t y = __builtin_bswap64(lo); /* code k at bits 56 - 8k */
        uint64_t bytes = 0;
        first4 = (uint32_t)(y >> 32); /* a word of three has a NUL fourth code */
        /* Step k: the 4-gram ending at code k is the 32 bits of y above it, with the start
         * mark 1 before code 0; code k is its low byte. */
#define FB__WIDE_STEP(k, mark)                                                                  \
        do {                                                                                    \
            const uint32_t last4 = (uint32_t)(y >> (56 - 8 * (k)));                             \
            const unsigned c = last4 & 0xFFu;                                                   \
            hash = (hash ^ c) * FB__HASH_MUL;                                                   \
            bytes |= (uint64_t)(unsigned char)fw[fb__gram4_hash(last4 | (mark)) >>              \
                                                 (32 - FB__FUSE_BITS)] << (8 * (k));            \
        } while (0)
        FB__WIDE_STEP(0, 0x100u);
        FB__WIDE_STEP(1, 0x10000u);
        FB__WIDE_STEP(2, 0x1000000u);
        FB__WIDE_STEP(3, 0u);
        if (n > 4) {
            FB__WIDE_STEP(4, 0u);
            FB__WIDE_STEP(5, 0u);
            FB__WIDE_STEP(6, 0u);
            FB__WIDE_STEP(7, 0u);
            hash *= fb__hash_unmul[8 - n];
        } else {
            hash *= fb__hash_unmul[4 - n];
        }
#undef FB__WIDE_STEP
        {
            const uint64_t up = (bytes & keep) ^ UINT64_C(0x8080808080808080);
            const __m128i b = _mm_set_epi64x(0, (long long)up);
            sum = _mm_cvtsi128_si32(_mm_sad_epu8(b, _mm_setzero_si128())) - 8 * 128;
        }
        /* As n steps leave it: the last eight codes, and the start mark above them when fewer. */
        g = y >> (8 * (8 - n)) | UINT64_C(2) << (8 * n - 1);
    } else {
        /* A word of fewer than four codes (a table of another size) has NULs after them. */
        first4 = __builtin_bswap32((uint32_t)(n >= 4 ? x : x & ~(~UINT64_C(0) << (8 * n))));
        for (k = 0; k < n; k++) {
            const unsigned c = (unsigned)(x & 0xFF);
            x = k == 7 ? high | bit5s : x >> 8;
            g = g << 8 | c;
            hash = (hash ^ c) * FB__HASH_MUL;
            sum += fw[(fb__gram4_hash(g) >> (32 - FB__FUSE_BITS)) & fmask];
        }
    }
    t->g = g;
    t->end = i + n;
    t->len = n;
    t->letters = n;
    t->flags = n >= 2 && !((unsigned)_mm_movemask_epi8(lower) & in_word) ? FB__TOK_CAPS : 0;
    t->script = FB__SCRIPT_LATIN;
    t->fused = true;
    t->hash = hash;
    t->sum = sum;
    /* As fb__scan_finish: a Latin root can start only at the word's start, and a word of
     * three has a NUL fourth code. */
    gate = fb__root_filter_bit(ffilter, fb__gram4_hash(first4 >> 8 | UINT32_C(1) << 24)) |
           fb__root_filter_bit(ffilter, fb__gram4_hash(first4));
    t->roots = (n >= 3) & gate;
    return true;
}
#endif

/*
 * The gap at s[i]: separators, and symbols that cannot start a word; notes
 * in gap a run of three ! and ? or more and a line break, and in sc where
 * the text stops being UTF-8. Returns where the gap ends: a word's start,
 * the text's end, or the first byte that is not UTF-8.
 */
static FB__ALWAYS_INLINE size_t fb__scan_gap(const unsigned char *s, size_t len, size_t i,
                                             fb__gap *gap, fb__scanner *sc)
{
    size_t bang = 0, bang_start = 0;

    while (i < len) {
        unsigned c = s[i];
        if ((ascii_class[c] & C_LET) ||
            ((c & 0xFE) == 0xD0 && i + 1 < len && fb__cyr_fast(c, s[i + 1]) < 0x40u))
            break; /* the common end of a gap: a Latin letter, а..я А..Я */
        if (c == ' ' && bang == 0) {
            i++;
            continue;
        }
        if (c < 0x80) {
            unsigned k = ascii_class[c];
            if (k & (C_LET | C_DIG))
                break;
            if ((c == '$' || c == '*') && fb__scan_continues(s, len, i + 1) && s[i + 1] != '!')
                break;
            if (c == '!' || c == '?') {
                if (bang++ == 0)
                    bang_start = i;
            } else {
                if (bang >= 3 && gap->bang_end == gap->bang_start) {
                    gap->bang_start = bang_start;
                    gap->bang_end = i;
                }
                bang = 0;
                gap->newline |= c == '\n' || c == '\r';
            }
            i++;
        } else {
            unsigned long cp;
            bool up, cyr, line_break;
            size_t m = fb__scan_fast_separator(s, len, i, &line_break);
            unsigned char code;
            if (m) {
                if (bang >= 3 && gap->bang_end == gap->bang_start) {
                    gap->bang_start = bang_start;
                    gap->bang_end = i;
                }
                bang = 0;
                gap->newline |= line_break;
                i += m;
                continue;
            }
            m = fb__utf8_decode((const char *)s + i, len - i, &cp);
            if (m == 0) { /* not UTF-8: the scan ends here */
                sc->bad = i;
                break;
            }
            code = fb__wide_code(cp, &up, &cyr);
            if (code >= 0x80)
                break;
            if (bang >= 3 && gap->bang_end == gap->bang_start) {
                gap->bang_start = bang_start;
                gap->bang_end = i;
            }
            bang = 0;
            gap->newline |= cp == 0x2028 || cp == 0x2029 || cp == 0x85;
            i += m;
        }
    }
    if (bang >= 3 && gap->bang_end == gap->bang_start) {
        gap->bang_start = bang_start;
        gap->bang_end = i;
    }
    return i;
}

/* Whether the gap c0 c1 holds nothing for fb__scan_gap to note and no word can start in it:
 * a space and @ # (which start no word), or . , ; : ? ! and a space (a ! or ? alone is no
 * run). */
static FB__ALWAYS_INLINE bool fb__scan_gap2(unsigned c0, unsigned c1)
{
    if (c0 == ' ')
        return c1 == '@' || c1 == '#';
    return c1 == ' ' &&
           (c0 == '.' || c0 == ',' || c0 == ';' || c0 == ':' || c0 == '?' || c0 == '!');
}

static FB__ALWAYS_INLINE bool fb__scan_next_inline(fb__scanner *sc, fb__token *t, fb__gap *gap,
                                                   const fb__fuse *fz, const bool fusing)
{
    const unsigned char *s = sc->s;
    const size_t len = sc->len;
    size_t i = sc->pos;
    /* Locals, not loads through fz and t: the stores of codes (unsigned char)
     * may alias anything, and would make the compiler reload them. */
    const signed char *const fw = fusing ? fz->weights : NULL;
    const unsigned char *const ffilter = fusing ? fz->filter : NULL;
    const uint32_t fmask = fusing ? fz->mask : 0;

    gap->start = i;
    gap->newline = false;
    gap->bang_start = gap->bang_end = 0;
    for (;;) {
        size_t keep_end, n_keep = 0;
        unsigned kinds_kept = 0; /* kinds when keep_end was set: trailing symbols do not count */
        unsigned letters = 0, small = 0, kinds = 0;
        fb__run r = {0, 0, 0, 0, 0, 1, FB__HASH_SEED, 0};

        /* The gap: separators, and symbols that cannot start a word. The usual one, a space
         * before a letter (or before a lead byte of U+0400..U+047F, all letters, which the
         * word's loop reads), holds nothing to note and skips the loop. */
        /* Neither leaves the text's end, nor meets a byte that is not UTF-8: when the scan
         * stopped at one (sc->bad), the bytes from the last word's end to it hold no
         * separator, as the word's loop went on through them. */
        if (FB__LIKELY(len - i >= 2 && s[i] == ' ' &&
                       ((ascii_class[s[i + 1]] & C_LET) || (s[i + 1] & 0xFE) == 0xD0))) {
            i++;
        } else if (len - i >= 3 && fb__scan_gap2(s[i], s[i + 1]) &&
                   ((ascii_class[s[i + 2]] & C_LET) || (s[i + 2] & 0xFE) == 0xD0)) {
            i += 2; /* the same for the next usual ones: ". " ", " "? " " @" " #" ... */
        } else {
            i = fb__scan_gap(s, len, i, gap, sc);
            if (i >= len || sc->bad != FB__SCAN_OK) {
                gap->end = len;
                sc->pos = len;
                return false;
            }
        }

        /* The word. keep_end is where the last character that may end it ends. */
        t->start = i;
        gap->end = i;
        keep_end = i;
#ifdef FB__SCAN_WIDE
        if (fusing && (ascii_class[s[i]] & C_LET) &&
            (len - i >= 16 ? fb__scan_latin_wide(s, len, i, t, fw, fmask, ffilter, false)
                           : len >= 16 &&
                                 fb__scan_latin_wide(s, len, i, t, fw, fmask, ffilter, true))) {
            sc->pos = t->end;
            return true;
        }
#endif
        while (i < len) {
            unsigned c = s[i];
            unsigned char code;
            bool up = false, cyr = false;
            size_t m = 1;

            /* Runs of ASCII letters and of Cyrillic а..я А..Я, the bulk of text,
             * without the general path, and with few live variables (the
             * capitals as an OR of the bits that tell them, the letters by
             * the bytes). Latin words take the root filter at their end. A
             * word of one run ends here. */
            if (ascii_class[c] & C_LET) {
                size_t i0 = i, apostrophes = 0;
                kinds |= K_LAT;
                do {
                    if (FB__UNLIKELY(!(ascii_class[c] & C_LET))) { /* between letters: "don't", "don’t" */
                        code = '\'';
                        apostrophes += c == '\'' ? 1 : 3;
                        i += c == '\'' ? 0 : 2;
                    } else {
                        code = (unsigned char)(c | 0x20);
                        small |= c;
                    }
                    fb__scan_put(t, code, &r, fw, fmask, ffilter, fusing, false);
                } while (++i < len && ((ascii_class[c = s[i]] & C_LET) || fb__scan_apostrophe(s, len, i)));
                letters += (unsigned)(i - i0 - apostrophes);
                keep_end = i;
                n_keep = r.n;
                kinds_kept = kinds;
                if (i >= len || ascii_class[c] == C_SEP) {
                    fb__scan_finish(t, i, r.n, letters, small, r.flags, kinds, r.g, r.hash, r.sum, r.any_root, ffilter, fusing);
                    sc->pos = i;
                    return true;
                }
                continue;
            }
            if ((c & 0xFE) == 0xD0 && i + 1 < len && fb__cyr_fast(c, s[i + 1]) < 0x40u) {
                unsigned v;
                size_t i0 = i;
                kinds |= K_CYR;
                while ((v = fb__cyr_fast(c, s[i + 1])) < 0x40u) {
                    code = (unsigned char)(FB__CODE_CYR_A + (v & 0x1F));
                    small |= v; /* а..я are 0x20..0x3F */
                    fb__scan_put(t, code, &r, fw, fmask, ffilter, fusing, true);
                    i += 2;
                    if (i + 1 >= len || ((c = s[i]) & 0xFE) != 0xD0)
                        break;
                }
                letters += (unsigned)(i - i0) / 2;
                keep_end = i;
                n_keep = r.n;
                kinds_kept = kinds;
                if (i >= len || ascii_class[s[i]] == C_SEP) {
                    fb__scan_finish(t, i, r.n, letters, small, r.flags, kinds, r.g, r.hash, r.sum, r.any_root, ffilter, fusing);
                    sc->pos = i;
                    return true;
                }
                continue;
            }
            if (c < 0x80) {
                unsigned k = ascii_class[c];
                if (k == C_SEP)
                    break;
                if (k & C_LET) {
                    code = (unsigned char)(c | 0x20);
                    up = (k & C_UP) != 0;
                    kinds |= K_LAT;
                } else {
                    code = (unsigned char)c;
                }
            } else if ((c & 0xFE) == 0xD0 && i + 1 < len && (s[i + 1] & 0xC0) == 0x80) {
                unsigned long cp = ((unsigned long)(c & 0x1F) << 6) | (s[i + 1] & 0x3Fu);
                m = 2;
                code = fb__wide_code(cp, &up, &cyr);
            } else {
                unsigned long cp;
                bool line_break;
                if (fb__scan_fast_separator(s, len, i, &line_break) &&
                    !(s[i] == 0xE2 && s[i + 1] == 0x80 && s[i + 2] == 0x99))
                    break; /* the word ends at a quote, a dash, an emoji; ’ may go on in it */
                m = fb__utf8_decode((const char *)s + i, len - i, &cp);
                if (m == 0) { /* not UTF-8: the word ends here, and the scan after it */
                    sc->bad = i;
                    break;
                }
                code = fb__wide_code(cp, &up, &cyr);
                if (code == 0)
                    break;
                if (code == 1) { /* a combining mark: part of the word, no code */
                    i += m;
                    if (n_keep)
                        keep_end = i;
                    continue;
                }
                if (code == 2)
                    code = '\'';
                else if (code >= 0xB1 && code <= 0xDE)
                    r.flags |= FB__TOK_LOSSY;
                if (!cyr && code >= 0x80)
                    kinds |= K_LAT;
            }
            kinds |= K_SLOW;
            if (fb__code_is_letter(code)) {
                letters++;
                small |= up ? 0u : 0x20u;
                kinds |= cyr ? K_CYR : 0u;
            }
            /* A letter thrice in a row is kept twice. */
            if (code == r.p1 && code == r.p2 && fb__code_is_letter(code)) {
                r.flags |= FB__TOK_STRETCH;
            } else if (r.n < FB__TOKEN_MAX) {
                t->code[r.n++] = code;
                r.p2 = r.p1;
                r.p1 = code;
            } else {
                r.flags |= FB__TOK_CUT;
            }
            i += m;
            /* Symbols but the mask, and apostrophes, do not end a word. */
            if (code >= 0x80 || ascii_class[code] & (C_LET | C_DIG) || code == '*') {
                keep_end = i;
                n_keep = r.n;
                kinds_kept = kinds;
            }
        }
        if (letters == 0 || n_keep == 0) {
            i = i > keep_end ? i : keep_end;
            continue; /* digits and symbols only: part of the gap */
        }
        fb__scan_finish(t, keep_end, (unsigned)n_keep, letters, small, r.flags, kinds_kept, r.g, r.hash, r.sum,
                        r.any_root, ffilter, fusing);
        sc->pos = keep_end;
        return true;
    }
}

#endif
