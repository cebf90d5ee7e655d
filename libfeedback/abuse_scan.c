/*
 * The detector's normaliser (abuse_scan.h): one pass over valid UTF-8,
 * ASCII through a table, Cyrillic and Latin-1 decoded in place, the rest
 * through fb__utf8_decode. Tokens in one script with letters only (nearly
 * all) are done in that pass; the others get a second pass over their codes
 * that folds look-alikes and leetspeak.
 */
#include "abuse_scan_impl.h"

#include <string.h>

#include "utf8.h"

/* Cyrillic codes of the letters used below. */
enum {
    CY_A = 0x80, CY_B, CY_V, CY_G, CY_D, CY_E, CY_ZH, CY_Z, CY_I, CY_J, CY_K, CY_L, CY_M, CY_N,
    CY_O, CY_P, CY_R, CY_S, CY_T, CY_U, CY_F, CY_H, CY_TS, CY_CH, CY_SH, CY_SHCH, CY_HARD,
    CY_Y, CY_SOFT, CY_EH, CY_YU, CY_YA
};

/* Latin letters (a..z) as the Cyrillic letters they look like, 0 where none. */
static const unsigned char latin_to_cyr[26] = {
    CY_A, CY_SOFT, CY_S, 0, CY_E, 0, 0, CY_N, 0, 0, CY_K, 0, CY_M, /* a..m */
    CY_P, CY_O, CY_R, 0, CY_G, 0, CY_T, CY_I, 0, 0, CY_H, CY_U, 0  /* n..z */
};
/* Cyrillic letters (а..я) as the Latin letters they look like, 0 where none. */
static const unsigned char cyr_to_latin[32] = {
    'a', 0, 'b', 'r', 0, 'e', 0, 0, 'u', 0, 'k', 0, 'm', 'h', 'o', 'n', /* а..п */
    'p', 'c', 't', 'y', 0, 'x', 0, 0, 0, 0, 0, 0, 'b', 0, 0, 0          /* р..я */
};

/* Leetspeak: ASCII digits and symbols as letters of each script, 0 where none. */
static unsigned char leet(unsigned script, unsigned c)
{
    if (script == FB__SCRIPT_LATIN) {
        switch (c) {
        case '0': return 'o';
        case '1': case '!': return 'i';
        case '3': return 'e';
        case '4': case '@': return 'a';
        case '5': case '$': return 's';
        case '7': case '+': return 't';
        case '8': return 'b';
        case '9': return 'g';
        case '|': return 'l';
        default: return 0;
        }
    }
    switch (c) {
    case '0': return CY_O;
    case '3': return CY_Z;
    case '4': return CY_CH;
    case '6': return CY_B;
    case '8': return CY_V;
    case '9': return CY_YA;
    case '@': return CY_A;
    default: return 0;
    }
}

unsigned fb__fold_script(unsigned char *codes, unsigned len)
{
    unsigned i, lat = 0, cyr = 0, lat_only = 0, cyr_only = 0, script;

    for (i = 0; i < len; i++) {
        unsigned c = codes[i];
        if (c >= 'a' && c <= 'z') {
            lat++;
            lat_only += latin_to_cyr[c - 'a'] == 0;
        } else if (c >= 0xDF) {
            lat++;
            lat_only++;
        } else if (c >= CY_A && c <= CY_YA) {
            cyr++;
            cyr_only += cyr_to_latin[c - CY_A] == 0;
        } else if (c > CY_YA && c <= 0xB0) {
            cyr++;
            cyr_only++;
        }
    }
    if (cyr_only != lat_only)
        script = cyr_only > lat_only ? FB__SCRIPT_CYRILLIC : FB__SCRIPT_LATIN;
    else
        script = cyr > lat ? FB__SCRIPT_CYRILLIC : FB__SCRIPT_LATIN;
    for (i = 0; i < len; i++) {
        unsigned c = codes[i], f = 0;
        if (script == FB__SCRIPT_CYRILLIC) {
            if (c >= 'a' && c <= 'z')
                f = latin_to_cyr[c - 'a'];
        } else if (c >= CY_A && c <= CY_YA) {
            f = cyr_to_latin[c - CY_A];
        }
        if (!f && c < 0x80 && !(c >= 'a' && c <= 'z'))
            f = c == '*' || c == '#' || c == '_' ? FB__CODE_MASK : leet(script, c);
        if (f)
            codes[i] = (unsigned char)f;
    }
    return script;
}

/* The lossy code of a letter outside the exact alphabets. */
static unsigned char lossy_code(unsigned long cp)
{
    return (unsigned char)(0xB1 + cp % 46);
}

unsigned char fb__wide_code(unsigned long cp, bool *up, bool *cyr)
{
    *up = false;
    *cyr = false;
    if (cp >= 0x400 && cp < 0x530) {
        *cyr = true;
        if (cp >= 0x410 && cp < 0x430) {
            *up = true;
            return (unsigned char)(CY_A + (cp - 0x410));
        }
        if (cp >= 0x430 && cp < 0x450)
            return (unsigned char)(CY_A + (cp - 0x430));
        if (cp == 0x401 || cp == 0x451)
            return CY_E;
        if (cp < 0x410) {
            *up = true;
            return (unsigned char)(0xA0 + (cp - 0x400));
        }
        if (cp < 0x460)
            return (unsigned char)(0xA0 + (cp - 0x450));
        if (cp == 0x490 || cp == 0x491) {
            *up = cp == 0x490;
            return 0xB0;
        }
        if (cp >= 0x483 && cp <= 0x489)
            return 1;
        if (cp == 0x482)
            return 0;
        return lossy_code(cp | 1);
    }
    if (cp < 0x100) {
        if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) {
            *up = true;
            return (unsigned char)(cp + 0x20);
        }
        if (cp >= 0xDF && cp != 0xF7)
            return (unsigned char)cp;
        return 0;
    }
    if (cp < 0x2B0)
        return lossy_code(cp); /* Latin Extended-A and -B, IPA */
    if (cp < 0x300)
        return cp == 0x2BC ? 2 : 0;
    if (cp < 0x370)
        return 1;
    if (cp < 0x400)
        return cp == 0x375 || cp == 0x37E || cp == 0x384 || cp == 0x385 || cp == 0x387 ? 0
                                                                                        : lossy_code(cp);
    if (cp == 0x2019)
        return 2;
    /* Other letters as they come: the scripts of U+0530..U+1FFF but for
     * their punctuation (approximately), kana and CJK, Hangul. */
    if ((cp >= 0x530 && cp < 0x2000) || (cp >= 0x3040 && cp < 0xA000) || (cp >= 0xAC00 && cp < 0xD7B0))
        return lossy_code(cp);
    return 0;
}

bool fb__scan_next(fb__scanner *sc, fb__token *t, fb__gap *gap)
{
    return fb__scan_next_inline(sc, t, gap, NULL, false);
}

void fb__token_offsets(const char *text, const fb__token *t, size_t *off)
{
    const unsigned char *s = (const unsigned char *)text;
    unsigned char prev[2] = {0, 0};
    size_t i = t->start;
    unsigned n = 0;

    while (i < t->end && n < t->len) {
        unsigned long cp;
        size_t m = fb__utf8_decode((const char *)s + i, t->end - i, &cp);
        bool up, cyr;
        unsigned code;

        if (m == 0)
            m = 1; /* not reached on valid UTF-8 */
        if (cp < 0x80)
            code = ascii_class[cp] & C_LET ? (unsigned)(cp | 0x20) : (unsigned)cp;
        else if ((code = fb__wide_code(cp, &up, &cyr)) == 2)
            code = '\'';
        if (code == 1) { /* a combining mark: no code */
            i += m;
            continue;
        }
        /* The scan's rule: a letter thrice in a row is kept twice. */
        if (!(code == prev[0] && code == prev[1] && fb__code_is_letter(code))) {
            off[n++] = i;
            prev[1] = prev[0];
            prev[0] = (unsigned char)code;
        }
        i += m;
    }
}
