/*
 * Varints, zigzag and little-endian integers: the byte-level encodings of the
 * binary log (log_format.h). Floor 0: no dependency on records.
 *
 * Three kinds of functions:
 *  - fb__put_*: append to an fb__strbuf; return 0, or -1 when out of memory
 *    (the buffer is then unchanged). Fixed-width ones say "le" (fb__put_le32):
 *    fb__put_u64 and fb__put_double in cells.c write decimal text;
 *  - fb__get_*: read from a bounded cursor (p, len, *pos); return 0 and
 *    advance *pos, or -1 (truncated or malformed input) leaving *pos
 *    unchanged;
 *  - fb__store_* / fb__load_* / fb__varint_write: raw pointer access for hot
 *    loops, the caller guaranteeing room.
 *
 * A varint is unsigned LEB128: 7 bits per byte, low groups first, the high
 * bit saying "more". A 64-bit value takes at most FB__VARINT_MAX bytes; a
 * reader rejects longer ones and a 10th byte above 1 (bits beyond 64).
 */
#ifndef FB_VARINT_H
#define FB_VARINT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "strbuf.h"

#define FB__VARINT_MAX 10

/* ---------------------------------------------------------------- zigzag */

/* Maps signed to unsigned so that small magnitudes stay small: 0,-1,1,-2 -> 0,1,2,3. */
static inline uint64_t fb__zigzag_encode(int64_t n)
{
    return ((uint64_t)n << 1) ^ (n < 0 ? UINT64_MAX : 0);
}

static inline int64_t fb__zigzag_decode(uint64_t v)
{
    /* No implementation-defined conversions: v >> 1 <= INT64_MAX. */
    return (v & 1) ? -(int64_t)(v >> 1) - 1 : (int64_t)(v >> 1);
}

/*
 * The same on a two's complement difference held in a uint64_t (a - b
 * computed modulo 2^64): fb__zigzag_encode_u(a - b) == fb__zigzag_encode(
 * (int64_t)(a - b)), without converting out-of-range values.
 */
static inline uint64_t fb__zigzag_encode_u(uint64_t d)
{
    return (d << 1) ^ ((d >> 63) ? UINT64_MAX : 0);
}

static inline uint64_t fb__zigzag_decode_u(uint64_t v) { return (v >> 1) ^ (0 - (v & 1)); }

/* ---------------------------------------------------------------- raw access */

/* Bytes the varint of v takes (1..10). */
static inline size_t fb__varint_size(uint64_t v)
{
    size_t n = 1;
    while (v >= 0x80) {
        v >>= 7;
        n++;
    }
    return n;
}

/* Writes the varint of v at out (room for FB__VARINT_MAX bytes), returns its length. */
static inline size_t fb__varint_write(uint8_t *out, uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        out[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    out[n++] = (uint8_t)v;
    return n;
}

static inline void fb__store_u16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static inline void fb__store_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static inline void fb__store_u64(uint8_t *p, uint64_t v)
{
    fb__store_u32(p, (uint32_t)v);
    fb__store_u32(p + 4, (uint32_t)(v >> 32));
}

/* The IEEE 754 bits of d, little-endian. */
static inline void fb__store_double(uint8_t *p, double d)
{
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    fb__store_u64(p, bits);
}

static inline uint16_t fb__load_u16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }

static inline uint32_t fb__load_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

static inline uint64_t fb__load_u64(const uint8_t *p)
{
    return (uint64_t)fb__load_u32(p) | ((uint64_t)fb__load_u32(p + 4) << 32);
}

static inline double fb__load_double(const uint8_t *p)
{
    uint64_t bits = fb__load_u64(p);
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

/* ---------------------------------------------------------------- cursor reads */

/* The slow path of fb__get_varint (more than one byte). */
int fb__get_varint_slow(const uint8_t *p, size_t len, size_t *pos, uint64_t *v);

/*
 * Reads a varint at p[*pos], within p[0..len). -1 when it is truncated (the
 * input ends with the high bit set), longer than 10 bytes, or its 10th byte
 * is above 1; fb__varint_error says which.
 */
static inline int fb__get_varint(const uint8_t *p, size_t len, size_t *pos, uint64_t *v)
{
    size_t i = *pos, j;
    uint64_t r;
    unsigned shift;

    if (i < len && p[i] < 0x80) {
        *v = p[i];
        *pos = i + 1;
        return 0;
    }
    if (i < len && len - i >= FB__VARINT_MAX) {
        /* Room for the longest form: no bounds checks inside. */
        r = p[i] & 0x7F;
        for (j = i + 1, shift = 7; j < i + FB__VARINT_MAX - 1; j++, shift += 7) {
            r |= (uint64_t)(p[j] & 0x7F) << shift;
            if (p[j] < 0x80) {
                *v = r;
                *pos = j + 1;
                return 0;
            }
        }
        if (p[j] > 1)
            return -1;
        *v = r | ((uint64_t)p[j] << 63);
        *pos = j + 1;
        return 0;
    }
    return fb__get_varint_slow(p, len, pos, v);
}

/*
 * Why fb__get_varint failed at p[pos]: "truncated varint" or "over-long
 * varint" (a static string).
 */
const char *fb__varint_error(const uint8_t *p, size_t len, size_t pos);

static inline int fb__get_u8(const uint8_t *p, size_t len, size_t *pos, uint8_t *v)
{
    if (*pos >= len)
        return -1;
    *v = p[(*pos)++];
    return 0;
}

static inline int fb__get_le16(const uint8_t *p, size_t len, size_t *pos, uint16_t *v)
{
    if (*pos > len || len - *pos < 2)
        return -1;
    *v = fb__load_u16(p + *pos);
    *pos += 2;
    return 0;
}

static inline int fb__get_le32(const uint8_t *p, size_t len, size_t *pos, uint32_t *v)
{
    if (*pos > len || len - *pos < 4)
        return -1;
    *v = fb__load_u32(p + *pos);
    *pos += 4;
    return 0;
}

static inline int fb__get_le64(const uint8_t *p, size_t len, size_t *pos, uint64_t *v)
{
    if (*pos > len || len - *pos < 8)
        return -1;
    *v = fb__load_u64(p + *pos);
    *pos += 8;
    return 0;
}

static inline int fb__get_le_double(const uint8_t *p, size_t len, size_t *pos, double *v)
{
    if (*pos > len || len - *pos < 8)
        return -1;
    *v = fb__load_double(p + *pos);
    *pos += 8;
    return 0;
}

/* ---------------------------------------------------------------- appends */

int fb__put_varint(fb__strbuf *b, uint64_t v);
int fb__put_zigzag(fb__strbuf *b, int64_t v);
int fb__put_u8(fb__strbuf *b, uint8_t v);
int fb__put_le16(fb__strbuf *b, uint16_t v);
int fb__put_le32(fb__strbuf *b, uint32_t v);
int fb__put_le64(fb__strbuf *b, uint64_t v);
/* 8 bytes: the IEEE 754 bits of d, little-endian. */
int fb__put_le_double(fb__strbuf *b, double d);

#endif
