/* Varints and little-endian integers (the fast paths are inline in varint.h). */
#include "varint.h"

int fb__get_varint_slow(const uint8_t *p, size_t len, size_t *pos, uint64_t *v)
{
    size_t i = *pos;
    uint64_t r = 0;
    unsigned shift = 0;

    if (i > len)
        return -1;
    for (;;) {
        uint8_t b;
        if (i >= len)
            return -1; /* truncated */
        b = p[i++];
        if (shift == 63) {
            /* The 10th byte holds only bit 63: anything above 1 overflows or continues. */
            if (b > 1)
                return -1;
            r |= (uint64_t)b << 63;
            break;
        }
        r |= (uint64_t)(b & 0x7F) << shift;
        if (b < 0x80)
            break;
        shift += 7;
    }
    *v = r;
    *pos = i;
    return 0;
}

const char *fb__varint_error(const uint8_t *p, size_t len, size_t pos)
{
    size_t i;
    for (i = 0; pos + i < len && i < FB__VARINT_MAX; i++) {
        if (i == FB__VARINT_MAX - 1)
            return p[pos + i] > 1 ? "over-long varint" : "malformed varint";
        if (p[pos + i] < 0x80)
            return "malformed varint";
    }
    return "truncated varint";
}

int fb__put_varint(fb__strbuf *b, uint64_t v)
{
    if (fb__strbuf_reserve(b, FB__VARINT_MAX) != 0)
        return -1;
    b->len += fb__varint_write((uint8_t *)b->data + b->len, v);
    b->data[b->len] = '\0';
    return 0;
}

int fb__put_zigzag(fb__strbuf *b, int64_t v) { return fb__put_varint(b, fb__zigzag_encode(v)); }

int fb__put_u8(fb__strbuf *b, uint8_t v) { return fb__strbuf_putc(b, (char)v); }

int fb__put_le16(fb__strbuf *b, uint16_t v)
{
    uint8_t t[2];
    fb__store_u16(t, v);
    return fb__strbuf_append(b, (const char *)t, sizeof t);
}

int fb__put_le32(fb__strbuf *b, uint32_t v)
{
    uint8_t t[4];
    fb__store_u32(t, v);
    return fb__strbuf_append(b, (const char *)t, sizeof t);
}

int fb__put_le64(fb__strbuf *b, uint64_t v)
{
    uint8_t t[8];
    fb__store_u64(t, v);
    return fb__strbuf_append(b, (const char *)t, sizeof t);
}

int fb__put_le_double(fb__strbuf *b, double d)
{
    uint8_t t[8];
    fb__store_double(t, d);
    return fb__strbuf_append(b, (const char *)t, sizeof t);
}
