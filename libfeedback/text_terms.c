/*
 * Terms of a text (include/feedback/text.h; docs/TEXT.md has the tables).
 *
 * One pass, character by character, with no allocation: each character is
 * classed (a letter, a digit, a combining mark, a joiner, or a separator),
 * folded, and appended to the iterator's buffer. ASCII is classed through a
 * table and folded with one OR; the two-byte sequences that hold Latin-1,
 * Latin Extended, Greek and Cyrillic are decoded in place; longer ones go
 * through fb__utf8_decode. Inside a term, runs of ASCII letters and digits
 * and of the Cyrillic letters U+0400..U+047F skip the classing. Invalid
 * bytes are separators, one byte at a time.
 */
#include "feedback/text.h"

#include <stdint.h>
#include <string.h>

#include "compiler.h"
#include "utf8.h"

/* The built-in stop words, generated at build time from data/stopwords by
 * cmake/embed_words.cmake: NUL-terminated, sorted by bytes, with their first
 * eight bytes as big-endian keys in the same order, and the longest length. */
extern const char *const fb__stop_words[];
extern const uint64_t fb__stop_words_keys[];
extern const size_t fb__stop_words_count;
extern const size_t fb__stop_words_max_len;

/* Classes of characters. */
enum {
    SEP = 0,    /* separates terms */
    LETTER = 1, /* starts or continues a term */
    DIGIT = 2,  /* the same, but a term of digits only is no term */
    MARK = 4,   /* a combining mark: continues a term, never starts one */
    JOIN = 8    /* an apostrophe or a hyphen: inside a term between two letters or digits */
};
#define WORD (LETTER | DIGIT)

#define L LETTER
#define D DIGIT
#define J JOIN
static const unsigned char ascii_class[128] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 00 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 10 */
    0, 0, 0, 0, 0, 0, 0, J, 0, 0, 0, 0, 0, J, 0, 0, /* 20: ' and - */
    D, D, D, D, D, D, D, D, D, D, 0, 0, 0, 0, 0, 0, /* 30: 0-9 */
    0, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, /* 40: A-O */
    L, L, L, L, L, L, L, L, L, L, L, 0, 0, 0, 0, 0, /* 50: P-Z */
    0, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, /* 60: a-o */
    L, L, L, L, L, L, L, L, L, L, L, 0, 0, 0, 0, 0, /* 70: p-z */
};
#undef L
#undef D
#undef J

/*
 * From U+0530 up, every code point is a letter ("other letters as they
 * come") except those in these ranges: the punctuation and digits of the
 * scripts below U+0800 that have them, and the blocks of punctuation,
 * symbols, emoji, variation selectors, private use and specials above.
 */
typedef struct cp_range {
    unsigned long lo, hi;
    unsigned char cls;
} cp_range;

static const cp_range wide_ranges[] = {
    {0x055A, 0x055F, SEP},    /* Armenian punctuation */
    {0x0589, 0x058A, SEP},    /* Armenian full stop, hyphen */
    {0x058D, 0x058F, SEP},    /* Armenian signs */
    {0x05BE, 0x05BE, SEP},    /* Hebrew maqaf */
    {0x05C0, 0x05C0, SEP},    /* Hebrew paseq */
    {0x05C3, 0x05C3, SEP},    /* Hebrew sof pasuq */
    {0x05C6, 0x05C6, SEP},    /* Hebrew nun hafukha */
    {0x05F3, 0x05F4, SEP},    /* Hebrew geresh, gershayim */
    {0x0600, 0x060F, SEP},    /* Arabic number signs, comma, date separator, signs */
    {0x061B, 0x061F, SEP},    /* Arabic semicolon, question mark */
    {0x0660, 0x0669, DIGIT},  /* Arabic-Indic digits */
    {0x066A, 0x066D, SEP},    /* Arabic percent, separators, star */
    {0x06D4, 0x06D4, SEP},    /* Arabic full stop */
    {0x06DD, 0x06DE, SEP},    /* Arabic end of ayah, rub el hizb */
    {0x06E9, 0x06E9, SEP},    /* Arabic place of sajdah */
    {0x06F0, 0x06F9, DIGIT},  /* Extended Arabic-Indic digits */
    {0x06FD, 0x06FE, SEP},    /* Arabic signs */
    {0x0700, 0x070F, SEP},    /* Syriac punctuation */
    {0x07F6, 0x07F9, SEP},    /* NKo symbols and punctuation */
    {0x0964, 0x0965, SEP},    /* Devanagari danda, double danda */
    {0x2000, 0x200F, SEP},    /* spaces, zero-width characters, marks */
    {0x2010, 0x2011, JOIN},   /* hyphen, non-breaking hyphen */
    {0x2012, 0x2018, SEP},    /* dashes, quotation marks */
    {0x2019, 0x2019, JOIN},   /* right single quotation mark, the typographic apostrophe */
    {0x201A, 0x2BFF, SEP},    /* the rest of General Punctuation (ZWJ U+200D above), super- and
                                 subscripts, currency, letterlike symbols (No, TM), number forms,
                                 arrows, mathematical operators, technical, enclosed alphanumerics,
                                 box drawing, shapes, miscellaneous symbols, dingbats, braille */
    {0x2E00, 0x2E7F, SEP},    /* Supplemental Punctuation */
    {0x3000, 0x3004, SEP},    /* CJK space, comma, full stop, marks */
    {0x3008, 0x3020, SEP},    /* CJK brackets, marks */
    {0x3030, 0x3030, SEP},    /* wavy dash */
    {0x303D, 0x303F, SEP},    /* CJK marks */
    {0xE000, 0xF8FF, SEP},    /* Private Use (icon fonts) */
    {0xFE00, 0xFE1F, SEP},    /* variation selectors, vertical forms */
    {0xFE30, 0xFE6F, SEP},    /* CJK compatibility forms, small form variants */
    {0xFEFF, 0xFEFF, SEP},    /* byte order mark */
    {0xFF01, 0xFF0F, SEP},    /* fullwidth punctuation */
    {0xFF10, 0xFF19, DIGIT},  /* fullwidth digits */
    {0xFF1A, 0xFF20, SEP},    /* fullwidth punctuation */
    {0xFF3B, 0xFF40, SEP},    /* fullwidth punctuation */
    {0xFF5B, 0xFF65, SEP},    /* fullwidth and halfwidth punctuation */
    {0xFFE0, 0xFFFF, SEP},    /* fullwidth signs, specials (U+FFFD) */
    {0x1F000, 0x1FBFF, SEP},  /* game symbols, enclosed, emoji, pictographs, symbols */
    {0xE0000, 0xE0FFF, SEP},  /* tags, variation selectors supplement */
    {0xF0000, 0x10FFFF, SEP}, /* supplementary Private Use */
};

/* The class of a code point from U+0530 up. */
static unsigned char class_wide(unsigned long cp)
{
    size_t lo = 0, hi = sizeof wide_ranges / sizeof wide_ranges[0];

    /* The last range starting at or below cp, if any. */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (wide_ranges[mid].lo <= cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo > 0 && cp <= wide_ranges[lo - 1].hi)
        return wide_ranges[lo - 1].cls;
    return LETTER;
}

/* The class of a code point of U+0080..U+07FF. */
static FB__ALWAYS_INLINE unsigned char class_two_byte(unsigned long cp)
{
    if (cp - 0x400 < 0x82) /* Cyrillic letters up to U+0481 first: the common case */
        return LETTER;
    if (cp < 0xC0) /* Latin-1 punctuation and symbols, NBSP, soft hyphen */
        return SEP;
    if (cp < 0x2B0) /* Latin-1 letters, Latin Extended-A and -B, IPA */
        return cp == 0xD7 || cp == 0xF7 ? SEP : LETTER;
    if (cp < 0x300) /* spacing modifiers; U+02BC is the apostrophe of Ukrainian */
        return cp == 0x2BC ? JOIN : SEP;
    if (cp < 0x370) /* combining diacritics: accents, Russian stress marks */
        return MARK;
    if (cp < 0x400) /* Greek and Coptic, but for their punctuation and tonos */
        return cp == 0x375 || cp == 0x37E || (cp >= 0x384 && cp <= 0x385) || cp == 0x387 ? SEP : LETTER;
    if (cp < 0x530) /* the rest of Cyrillic and Cyrillic Supplement */
        return cp == 0x482 ? SEP : cp <= 0x489 ? MARK : LETTER;
    return class_wide(cp);
}

/*
 * Reads the character at s (avail > 0 bytes): its code point into *cp, its
 * length into *n (at least 1: an invalid byte is a one-byte separator), and
 * returns its class.
 */
static FB__ALWAYS_INLINE unsigned char read_char(const unsigned char *s, size_t avail,
                                                 unsigned long *cp, size_t *n)
{
    unsigned char c = s[0];

    if (c < 0x80) {
        *cp = c;
        *n = 1;
        return ascii_class[c];
    }
    if (c >= 0xC2 && c <= 0xDF && avail >= 2 && (s[1] & 0xC0) == 0x80) {
        *cp = ((unsigned long)(c & 0x1F) << 6) | (s[1] & 0x3Fu);
        *n = 2;
        return class_two_byte(*cp);
    }
    *n = fb__utf8_decode((const char *)s, avail, cp);
    if (*n == 0) {
        *n = 1;
        return SEP;
    }
    return class_wide(*cp); /* three or four bytes: U+0800 up */
}

/* Latin Extended-A (U+0100..U+017F) to lower case: pairs, mostly upper then lower. */
static unsigned long fold_latin_ext_a(unsigned long cp)
{
    if (cp < 0x130 || (cp >= 0x132 && cp < 0x138) || (cp >= 0x14A && cp < 0x178))
        return cp | 1; /* even upper, odd lower */
    if ((cp >= 0x139 && cp < 0x149) || (cp >= 0x179 && cp < 0x17F))
        return cp & 1 ? cp + 1 : cp; /* odd upper, even lower */
    if (cp == 0x130) /* capital I with dot above */
        return 'i';
    if (cp == 0x178) /* capital Y with diaeresis */
        return 0xFF;
    return cp;
}

/* A letter of U+0080..U+07FF to lower case, and ё to е. */
static FB__ALWAYS_INLINE unsigned long fold_two_byte(unsigned long cp)
{
    if (cp - 0x430 < 0x20) /* а..я */
        return cp;
    if (cp - 0x410 < 0x20) /* А..Я */
        return cp + 0x20;
    if (cp == 0x401 || cp == 0x451) /* Ё, ё */
        return 0x435;
    if (cp < 0x100) /* Latin-1 capitals, but for the multiplication sign */
        return cp >= 0xC0 && cp <= 0xDE && cp != 0xD7 ? cp + 0x20 : cp;
    if (cp < 0x180)
        return fold_latin_ext_a(cp);
    if (cp < 0x400 || (cp >= 0x410 && cp < 0x460))
        return cp;
    if (cp < 0x410) /* Ѐ..Џ */
        return cp + 0x50;
    if (cp < 0x482 || (cp >= 0x48A && cp < 0x4C0) || (cp >= 0x4D0 && cp < 0x530))
        return cp | 1; /* Cyrillic pairs, even upper, odd lower */
    if (cp == 0x4C0) /* palochka */
        return 0x4CF;
    if (cp >= 0x4C1 && cp <= 0x4CE)
        return cp & 1 ? cp + 1 : cp; /* odd upper, even lower */
    return cp;
}

/* Whether s[0..len) is the NUL-terminated word w (a NUL in s differs from every byte of w). */
static bool same_word(const char *w, const char *s, size_t len)
{
    return strlen(w) == len && memcmp(w, s, len) == 0;
}

bool fb_text_is_stop_word(const char *s, size_t len)
{
    const uint64_t *keys = fb__stop_words_keys, *base = keys;
    size_t n = fb__stop_words_count, i;
    uint64_t key = 0;

    if (s == NULL || len == 0 || len > fb__stop_words_max_len || n == 0)
        return false;
    for (i = 0; i < 8; i++)
        key = key << 8 | (i < len ? (unsigned char)s[i] : 0u);
    /* The first key not below key, halving without a branch to mispredict. */
    while (n > 1) {
        size_t half = n / 2;
        base = base[half] < key ? base + half : base;
        n -= half;
    }
    for (i = (size_t)(base - keys) + (*base < key); i < fb__stop_words_count && keys[i] == key; i++)
        if (same_word(fb__stop_words[i], s, len))
            return true;
    return false;
}

void fb_text_terms_init(fb_text_terms *t, const char *text, size_t len, unsigned flags)
{
    t->text = (const unsigned char *)text;
    t->len = text ? len : 0;
    t->pos = 0;
    t->flags = flags;
    t->buf[0] = '\0';
}

bool fb_text_terms_next(fb_text_terms *t, fb_term *term)
{
    const unsigned char *s = t->text;
    const size_t len = t->len;
    size_t i = t->pos;

    while (i < len) {
        unsigned long cp;
        size_t n, start, out = 0;
        unsigned char k, seen = 0, join = 0;
        bool full = false;

        /* Separators: ASCII ones without decoding. */
        while (i < len && s[i] < 0x80 && !(ascii_class[s[i]] & WORD))
            i++;
        if (i >= len)
            break;
        k = read_char(s + i, len - i, &cp, &n);
        if (!(k & WORD)) {
            i += n;
            continue;
        }

        /* A term: s[i..i+n) is its next letter, digit or mark, with a joiner before it when join is set. */
        start = i;
        for (;;) {
            unsigned char folded[4];
            size_t fn;

            if (n == 1) { /* an ASCII letter or digit: bit 5 makes A-Z a-z and leaves 0-9 */
                folded[0] = (unsigned char)(cp | 0x20);
                fn = 1;
            } else if (n == 2 && k == LETTER) {
                unsigned long f = fold_two_byte(cp);
                if (f < 0x80) {
                    folded[0] = (unsigned char)f;
                    fn = 1;
                } else {
                    folded[0] = (unsigned char)(0xC0 | (f >> 6));
                    folded[1] = (unsigned char)(0x80 | (f & 0x3F));
                    fn = 2;
                }
            } else {
                memcpy(folded, s + i, n);
                fn = n;
            }
            seen |= k;
            /* A joiner goes in with the character after it, or neither does:
             * a cut term never ends in an apostrophe or a hyphen. */
            if (!full && out + fn + (join != 0) <= FB_TERM_MAX) {
                if (join)
                    t->buf[out++] = (char)join;
                memcpy(t->buf + out, folded, fn);
                out += fn;
            } else {
                full = true;
            }
            join = 0;
            i += n;
            /* ASCII letters and digits and the Cyrillic letters of U+0400..U+047F,
             * the bulk of most text, without the general path. */
            while (i < len) {
                unsigned char c = s[i];
                if (c < 0x80) {
                    if (!(ascii_class[c] & WORD))
                        break;
                    seen |= ascii_class[c];
                    if (!full && out < FB_TERM_MAX)
                        t->buf[out++] = (char)(c | 0x20);
                    else
                        full = true;
                    i++;
                } else if ((c & 0xFE) == 0xD0 && i + 1 < len && (s[i + 1] & 0xC0) == 0x80) {
                    unsigned long f = fold_two_byte(((unsigned long)(c & 0x1F) << 6) | (s[i + 1] & 0x3Fu));
                    seen |= LETTER;
                    if (!full && out + 2 <= FB_TERM_MAX) {
                        t->buf[out++] = (char)(0xC0 | (f >> 6));
                        t->buf[out++] = (char)(0x80 | (f & 0x3F));
                    } else {
                        full = true;
                    }
                    i += 2;
                } else {
                    break;
                }
            }
            if (i >= len)
                break;
            k = read_char(s + i, len - i, &cp, &n);
            if (k & (WORD | MARK))
                continue;
            if (k == JOIN && i + n < len) {
                unsigned long jcp = cp;
                size_t jn = n;
                k = read_char(s + i + jn, len - i - jn, &cp, &n);
                if (k & WORD) {
                    join = jcp == '-' || jcp == 0x2010 || jcp == 0x2011 ? '-' : '\'';
                    i += jn;
                    continue;
                }
            }
            break;
        }

        if (!(seen & LETTER)) /* digits only: "2024", "142" of "142,460" */
            continue;
        t->buf[out] = '\0';
        if ((t->flags & FB_TERMS_SKIP_STOP_WORDS) && !full && fb_text_is_stop_word(t->buf, out))
            continue;
        t->pos = i;
        term->folded = t->buf;
        term->folded_len = out;
        term->offset = start;
        term->length = i - start;
        return true;
    }
    t->pos = len;
    return false;
}
