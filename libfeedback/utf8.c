#include "utf8.h"

#include <stdint.h>

#include "varint.h" /* fb__load_u64 */

size_t fb__utf8_decode(const char *str, size_t len, unsigned long *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    unsigned long c;
    size_t n, i;

    if (len == 0)
        return 0;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (s[0] >= 0xC2 && s[0] <= 0xDF) {
        n = 2;
        c = s[0] & 0x1F;
    } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        n = 3;
        c = s[0] & 0x0F;
    } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        n = 4;
        c = s[0] & 0x07;
    } else {
        return 0; /* continuation byte, overlong lead C0/C1, or F5..FF */
    }
    if (len < n)
        return 0;
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    /* Reject overlong forms, surrogates and code points past U+10FFFF. */
    if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) || c > 0x10FFFF ||
        (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

/* Bit 7 of each of eight bytes: none set in a word of ASCII. */
#define ASCII_HIGHS UINT64_C(0x8080808080808080)

/*
 * Eight bytes at a time, for the text that fills comments: the two-byte
 * sequences of Cyrillic, Greek and most Latin letters, among ASCII (a word
 * of ASCII alone fb__utf8_check passes before it calls this). Byte k of w
 * is bits 8k..8k+7 (a little-endian load); w << j brings bit 7 - j of every
 * byte to its bit 7 without touching its neighbours, so each mask below has a
 * byte's bit 7 set when the byte is of that sort.
 *
 * w starts at a sequence boundary and holds a byte from 0x80. Returns how
 * far the bytes are sound: 8, or 7 when the last byte is a lead whose
 * continuation comes next; 0 when they hold anything else (a longer
 * sequence, an error), for the byte-by-byte path to settle.
 */
static inline size_t two_byte_run(uint64_t w)
{
    const uint64_t ones = UINT64_C(0x0101010101010101);
    const uint64_t last = UINT64_C(0x80) << 56;
    uint64_t high = w & ASCII_HIGHS, cont, lead, overlong;

    if (high & (w << 1) & (w << 2)) /* 111xxxxx: E0..FF */
        return 0;
    cont = high & ~(w << 1);           /* 10xxxxxx */
    lead = high & (w << 1);            /* 110xxxxx */
    /* C0 and C1, the overlong leads, have bits 4..1 clear. Those bits of a
     * byte make an even number, so subtracting 1 sets bit 7 only when it is
     * 0, and any borrow stops at the next byte. */
    overlong = lead & ((w & UINT64_C(0x1E1E1E1E1E1E1E1E)) - ones);
    /* Every continuation right after a lead, every lead but a last one before one. */
    if (overlong || cont != (lead & ~last) << 8)
        return 0;
    return lead & last ? 7 : 8;
}

size_t fb__utf8_check(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;

    while (i < len) {
        size_t stop = len;

        if (len - i >= 8) {
            uint64_t w = fb__load_u64(s + i);
            size_t n;
            if ((w & ASCII_HIGHS) == 0) {
                /* ASCII: English text is mostly runs of it; on by 32 bytes while they last. */
                for (i += 8; len - i >= 32; i += 32)
                    if ((fb__load_u64(s + i) | fb__load_u64(s + i + 8) |
                         fb__load_u64(s + i + 16) | fb__load_u64(s + i + 24)) & ASCII_HIGHS)
                        break;
                continue;
            }
            if ((n = two_byte_run(w)) != 0) {
                i += n;
                continue;
            }
            stop = i + 8;
        }
        /* Sequence by sequence, past these eight bytes or to the end; longer
         * sequences through decode. */
        while (i < stop) {
            unsigned char c = s[i];
            if (c < 0x80) {
                i++;
            } else if (c >= 0xC2 && c <= 0xDF) {
                if (i + 1 >= len || (s[i + 1] & 0xC0) != 0x80)
                    return i;
                i += 2;
            } else {
                unsigned long cp;
                size_t n = fb__utf8_decode(str + i, len - i, &cp);
                if (n == 0)
                    return i;
                i += n;
            }
        }
    }
    return len;
}

size_t fb__utf8_complete_prefix(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = len, back = 0, need;

    if (len == 0)
        return 0;
    /* Walk back over at most three continuation bytes to the lead byte. */
    while (i > 0 && back < 4 && (s[i - 1] & 0xC0) == 0x80) {
        i--;
        back++;
    }
    if (i == 0)
        return len;
    if (s[i - 1] < 0x80)
        return len;
    need = s[i - 1] >= 0xF0 ? 4 : s[i - 1] >= 0xE0 ? 3 : s[i - 1] >= 0xC0 ? 2 : 1;
    return back + 1 >= need ? len : i - 1;
}

size_t fb__utf8_encode(unsigned long cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp >= 0xD800 && cp <= 0xDFFF)
        return 0;
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    if (cp > 0x10FFFF)
        return 0;
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}
