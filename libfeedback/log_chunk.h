/*
 * Chunks of the binary log, in memory: the header, and the codec that turns
 * records into a chunk's payload and back (log_chunk_encode.c,
 * log_chunk_decode.c). The file layer (log_file.c, log_writer.c,
 * log_reader.c) moves chunks to and from files. Layouts: log_format.h.
 */
#ifndef FB_LOG_CHUNK_H
#define FB_LOG_CHUNK_H

#include <stdint.h>

#include "feedback/alloc.h"
#include "feedback/log.h"
#include "feedback/record.h"
#include "feedback/status.h"
#include "log_format.h"
#include "strbuf.h"

/* A chunk header's fields (the sync marker and CRC are checked/written separately). */
typedef struct fb__chunk_header {
    uint8_t type;          /* with the FB__LOG_IGNORABLE bit */
    uint8_t reserved;      /* byte 17: written as 0, ignored when read */
    uint16_t flags;
    uint32_t count;
    uint32_t payload_len;
    uint32_t raw_len;
    uint64_t first_seq;
    int64_t min_time;
    int64_t max_time;
} fb__chunk_header;

/* Writes the FB__LOG_CHUNK_HEADER bytes of h (sync marker first, CRC last) to p. */
void fb__chunk_header_write(uint8_t *p, const uint8_t sync[FB__LOG_SYNC_SIZE],
                            const fb__chunk_header *h);

/*
 * Reads the FB__LOG_CHUNK_HEADER bytes at p into *h. FB_ERR_CORRUPT (with a
 * message) when the sync marker differs, the CRC fails, or a length exceeds
 * its cap (FB__LOG_MAX_PAYLOAD, FB__LOG_MAX_RAW, FB__LOG_MAX_RECORDS), or
 * min_time > max_time. Nothing in *h is to be trusted on error.
 */
fb_status fb__chunk_header_read(const uint8_t *p, const uint8_t sync[FB__LOG_SYNC_SIZE],
                                fb__chunk_header *h, fb_error *err);

/* ---------------------------------------------------------------- encoding */

typedef struct fb__chunk_enc fb__chunk_enc;

fb_status fb__chunk_enc_new(const fb_allocator *alloc, fb__chunk_enc **out);
void fb__chunk_enc_free(fb__chunk_enc *e);

/* Adds a record (already validated) to the chunk being built. Errors: FB_ERR_NOMEM. */
fb_status fb__chunk_enc_add(fb__chunk_enc *e, const fb_record *r);

/* Records added since the last finish. */
uint32_t fb__chunk_enc_count(const fb__chunk_enc *e);

/* Raw bytes of the streams so far (what FB__LOG_MAX_RAW and chunk_bytes bound). */
size_t fb__chunk_enc_raw_size(const fb__chunk_enc *e);

/*
 * Appends the whole data chunk (header, payload, payload CRC) to out, its
 * streams compressed at level (0: stored; a stream deflate would not shrink
 * is stored too), fills *header (when not NULL) with
 * the header it wrote, and empties e for the next chunk.
 * Errors: FB_ERR_NOMEM, FB_ERR_INVALID_ARG (no records).
 */
fb_status fb__chunk_enc_finish(fb__chunk_enc *e, const uint8_t sync[FB__LOG_SYNC_SIZE],
                               uint64_t first_seq, int level, fb__strbuf *out,
                               fb__chunk_header *header);

/* ---------------------------------------------------------------- decoding */

/*
 * Where a data chunk's payload comes from: all of it in memory (mem, the
 * header's payload_len bytes, unchanged until the next load), or, when mem is
 * NULL, through read, which copies payload bytes [off, off + n) into buf
 * (errors: FB_ERR_IO, with a message in err). Reading through read, the
 * decoder fetches only the stream table and the streams it decodes.
 */
typedef struct fb__payload_src {
    const uint8_t *mem;
    fb_status (*read)(void *ctx, uint32_t off, void *buf, size_t n, fb_error *err);
    void *ctx;
} fb__payload_src;

typedef struct fb__chunk_dec fb__chunk_dec;

fb_status fb__chunk_dec_new(const fb_allocator *alloc, fb__chunk_dec **out);
void fb__chunk_dec_free(fb__chunk_dec *d);

/*
 * Decodes every record of a data chunk whose header h has verified. fields
 * is a mask of FB_LOG_FIELD_* bits (0: all): only the columns of those fields
 * are fetched, checked (the table's CRC, then each stream's CRC before it is
 * inflated) and decoded; the other fields keep their defaults. Every value
 * decoded is checked (enums known, UTF-8 valid, limits, scores in scale,
 * times in range; with all fields, fb_record_validate), so that on FB_OK
 * every record is sound; on error no record is available. The payload CRC
 * after the payload is not read: the stream CRCs cover what is used.
 * Errors: FB_ERR_CORRUPT (with a message saying what), FB_ERR_VERSION (a
 * codec this reader does not know, in a stream it needs), FB_ERR_NOMEM,
 * FB_ERR_IO (from src->read).
 */
fb_status fb__chunk_dec_load(fb__chunk_dec *d, const fb__chunk_header *h,
                             const fb__payload_src *src, uint32_t fields, fb_error *err);

/* Records decoded by the last successful load. */
uint32_t fb__chunk_dec_count(const fb__chunk_dec *d);

/*
 * Sets in *r the fields of record i (< fb__chunk_dec_count) that the last
 * load decoded; the others are left as they are (a caller keeps them at their
 * defaults). Strings and lists point into the decoder, valid until the next
 * load or free.
 */
void fb__chunk_dec_fill(const fb__chunk_dec *d, uint32_t i, fb_record *r);

/* The created_at of record i (< fb__chunk_dec_count) of the last load. */
fb_time fb__chunk_dec_created_at(const fb__chunk_dec *d, uint32_t i);

/*
 * Records [from, from + n) of the last load as columns in *b (first_seq is
 * left to the caller): the arrays of the fields it decoded, NULL for the
 * others. from + n <= fb__chunk_dec_count.
 */
void fb__chunk_dec_batch(const fb__chunk_dec *d, uint32_t from, uint32_t n, fb_record_batch *b);

/*
 * For tests: the streams the last load fetched, as bits (1 << stream id),
 * e.g. to check that a projection without text never touched the text column.
 */
uint64_t fb__chunk_dec_fetched_streams(const fb__chunk_dec *d);

#endif
