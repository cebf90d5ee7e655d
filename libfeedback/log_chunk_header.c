/* The 60-byte chunk header (layout in log_format.h). */
#include <string.h>
#include <zlib.h>

#include "error_private.h"
#include "log_chunk.h"
#include "varint.h"

void fb__chunk_header_write(uint8_t *p, const uint8_t sync[FB__LOG_SYNC_SIZE],
                            const fb__chunk_header *h)
{
    memcpy(p, sync, FB__LOG_SYNC_SIZE);
    p[16] = h->type;
    p[17] = h->reserved;
    fb__store_u16(p + 18, h->flags);
    fb__store_u32(p + 20, h->count);
    fb__store_u32(p + 24, h->payload_len);
    fb__store_u32(p + 28, h->raw_len);
    fb__store_u64(p + 32, h->first_seq);
    fb__store_u64(p + 40, (uint64_t)h->min_time);
    fb__store_u64(p + 48, (uint64_t)h->max_time);
    fb__store_u32(p + 56, (uint32_t)crc32(0L, p, 56));
}

/* Two's complement uint64 to int64 without implementation-defined conversion. */
static int64_t to_i64(uint64_t u)
{
    return u <= (uint64_t)INT64_MAX ? (int64_t)u : -(int64_t)(~u) - 1;
}

fb_status fb__chunk_header_read(const uint8_t *p, const uint8_t sync[FB__LOG_SYNC_SIZE],
                                fb__chunk_header *h, fb_error *err)
{
    uint32_t stored, computed;

    if (memcmp(p, sync, FB__LOG_SYNC_SIZE) != 0)
        return fb__error(err, FB_ERR_CORRUPT, NULL, "no chunk sync marker");
    stored = fb__load_u32(p + 56);
    computed = (uint32_t)crc32(0L, p, 56);
    if (stored != computed)
        return fb__error(err, FB_ERR_CORRUPT, NULL,
                         "chunk header checksum mismatch (stored %08lx, computed %08lx)",
                         (unsigned long)stored, (unsigned long)computed);
    h->type = p[16];
    h->reserved = p[17];
    h->flags = fb__load_u16(p + 18);
    h->count = fb__load_u32(p + 20);
    h->payload_len = fb__load_u32(p + 24);
    h->raw_len = fb__load_u32(p + 28);
    h->first_seq = fb__load_u64(p + 32);
    h->min_time = to_i64(fb__load_u64(p + 40));
    h->max_time = to_i64(fb__load_u64(p + 48));
    if (h->payload_len > FB__LOG_MAX_PAYLOAD)
        return fb__error(err, FB_ERR_CORRUPT, NULL,
                         "chunk payload length %lu exceeds the limit of %lu",
                         (unsigned long)h->payload_len, (unsigned long)FB__LOG_MAX_PAYLOAD);
    if (h->raw_len > FB__LOG_MAX_RAW)
        return fb__error(err, FB_ERR_CORRUPT, NULL, "chunk raw length %lu exceeds the limit of %lu",
                         (unsigned long)h->raw_len, (unsigned long)FB__LOG_MAX_RAW);
    if (h->count > FB__LOG_MAX_RECORDS)
        return fb__error(err, FB_ERR_CORRUPT, NULL,
                         "chunk record count %lu exceeds the limit of %lu", (unsigned long)h->count,
                         (unsigned long)FB__LOG_MAX_RECORDS);
    if (h->min_time > h->max_time)
        return fb__error(err, FB_ERR_CORRUPT, NULL,
                         "chunk min created_at %lld is after its max %lld",
                         (long long)h->min_time, (long long)h->max_time);
    return FB_OK;
}
