/*
 * Helpers shared by the tests of the chunk codec: test_log_chunk.c (round
 * trips and the codec's properties) and test_log_columns.c (the decoder's
 * damage rules on hand-made chunks). The sync marker and the time T0 of their
 * chunks, stream bits, small numbers as a number column holds them, loading a
 * chunk from memory, zlib's raw deflate, and an allocator that remembers its
 * largest allocation.
 */
#ifndef FB_LOG_CHUNK_TEST_H
#define FB_LOG_CHUNK_TEST_H

#include <zlib.h>

#include "fb_test.h"
#include "log_chunk.h"

static const uint8_t SYNC[FB__LOG_SYNC_SIZE] = {0x10, 0x21, 0x32, 0x43, 0x54, 0x65, 0x76, 0x87,
                                                0x98, 0xA9, 0xBA, 0xCB, 0xDC, 0xED, 0xFE, 0x0F};

/* The time of the hand-made chunks' records, and of many encoded ones. */
static const int64_t T0 = 1795478400000LL;

/* The bit of stream id in a set of stream ids below 64. */
#define BIT(id) ((uint64_t)1 << (id))

/* A number column's u for a small whole number n: zigzag(n) * 2, as a constant. */
#define NUM(n) (uint8_t)((n) >= 0 ? 4 * (n) : -4 * (n) - 2)

/* 64 zero bytes: a created_at column of records all at the chunk's min. */
static uint8_t base_zeros[64];

/* Reads the header of the chunk at p and loads it from memory. */
/*
 * Record i of d's last load made whole (defaults outside the fields it
 * decoded), or NULL past its last record. Each call fills the next of four
 * slots, so a record stays valid for the three calls after it.
 */
static inline const fb_record *dec_record(const fb__chunk_dec *d, uint32_t i)
{
    static fb_record ring[4];
    static unsigned next;
    fb_record *r;

    if (i >= fb__chunk_dec_count(d))
        return NULL;
    r = &ring[next++ % 4];
    fb_record_init(r);
    fb__chunk_dec_fill(d, i, r);
    return r;
}

static inline fb_status load(fb__chunk_dec *d, const uint8_t *p, size_t len,
                             uint32_t fields, fb_error *err)
{
    fb__chunk_header h;
    fb__payload_src src;
    fb_status st;

    assert_true(len >= FB__LOG_CHUNK_OVERHEAD);
    st = fb__chunk_header_read(p, SYNC, &h, err);
    if (st != FB_OK)
        return st;
    assert_int_equal(len, FB__LOG_CHUNK_OVERHEAD + h.payload_len);
    memset(&src, 0, sizeof src);
    src.mem = p + FB__LOG_CHUNK_HEADER;
    return fb__chunk_dec_load(d, &h, &src, fields, err);
}

/* Raw deflate (no zlib header) of the len bytes at src into dst, by zlib; its length. */
static inline size_t deflate_raw(const void *src, size_t len, uint8_t *dst, size_t cap)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
    zs.next_in = (Bytef *)(uintptr_t)src;
    zs.avail_in = (uInt)len;
    zs.next_out = dst;
    zs.avail_out = (uInt)cap;
    assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
    deflateEnd(&zs);
    return (size_t)zs.total_out;
}

/* An allocator that remembers the largest allocation asked for, and may refuse any above a cap. */
typedef struct track_alloc {
    fb_test_alloc t;
    size_t largest;
    size_t cap;      /* 0: none */
} track_alloc;

static inline void *track_malloc(void *ctx, size_t size)
{
    track_alloc *a = ctx;
    if (size > a->largest)
        a->largest = size;
    if (a->cap && size > a->cap)
        return NULL;
    return fb_test_malloc(&a->t, size);
}

static inline void *track_realloc(void *ctx, void *ptr, size_t old_size, size_t size)
{
    track_alloc *a = ctx;
    if (size > a->largest)
        a->largest = size;
    if (a->cap && size > a->cap)
        return NULL;
    return fb_test_realloc(&a->t, ptr, old_size, size);
}

static inline void track_free(void *ctx, void *ptr)
{
    track_alloc *a = ctx;
    fb_test_free(&a->t, ptr);
}

static inline void track_init(track_alloc *a)
{
    fb_test_alloc_init(&a->t, 0);
    a->t.alloc.malloc = track_malloc;
    a->t.alloc.realloc = track_realloc;
    a->t.alloc.free = track_free;
    a->t.alloc.ctx = a;
    a->largest = 0;
    a->cap = 0;
}

#endif
