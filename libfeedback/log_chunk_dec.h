/*
 * The data-chunk decoder's private parts, shared by its two files:
 * log_chunk_streams.c (life cycle, the stream table, fetching and inflating
 * streams, DICT) and log_chunk_decode.c (columns to records, and
 * fb__chunk_dec_load). The public interface is in log_chunk.h.
 */
#ifndef FB_LOG_CHUNK_DEC_H
#define FB_LOG_CHUNK_DEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "deflate_backend.h"
#include "error_private.h"
#include "feedback/record.h"
#include "log_chunk.h"
#include "log_columns.h"

typedef struct dict_entry {
    uint32_t off;
    uint32_t len;
    uint8_t utf8;  /* 0: not checked yet, 1: valid, 2: invalid */
} dict_entry;

/* A stream as the table declares it. */
typedef struct stream_ref {
    bool present;
    uint8_t codec;
    uint32_t off;     /* of its body in the payload */
    uint32_t stored;
    uint32_t raw;
    uint32_t crc;
} stream_ref;

struct fb__chunk_dec {
    const fb_allocator *alloc;
    fb_record *recs;
    size_t recs_cap;
    uint32_t count;
    uint32_t recs_clean;      /* recs[0, recs_clean) hold defaults outside the `written` fields */
    uint32_t written;         /* FB_LOG_FIELD_* groups decoded into them since */
    fb_answer *answers;
    size_t answers_cap;
    fb_str *tags;
    size_t tags_cap;
    fb_attr *attrs;
    size_t attrs_cap;
    fb_answer *custom;        /* the custom answers' names and scales, while decoding them */
    size_t custom_cap;
    uint8_t *buf[FB__COL_LAST + 1];     /* streams' raw bytes, when not read in place */
    size_t buf_cap[FB__COL_LAST + 1];
    uint8_t *packed;                    /* a deflated body read through src->read */
    size_t packed_cap;
    uint8_t table[FB__LOG_TABLE_MAX + 4];
    dict_entry *dict;
    size_t dict_cap;
    uint32_t n_dict;
    fb__inflater *inf;        /* the decompressor, created on first use */
    uint64_t fetched;         /* bit (1 << id) per stream fetched by the last load */
    double scale_lo[FB_METRIC_CUSTOM], scale_hi[FB_METRIC_CUSTOM];
    uint64_t n_kind, n_status, n_channel, n_source, n_metric, n_handling, n_assignee;
};

/* One load's state. */
typedef struct ctx {
    fb__chunk_dec *d;
    const fb__chunk_header *h;
    const fb__payload_src *src;
    fb_error *err;
    stream_ref s[FB__COL_LAST + 1];  /* the known streams (index: id) */
    const uint8_t *raw[FB__COL_LAST + 1];  /* their raw bytes, once fetched */
    const uint8_t *dict;             /* DICT, once loaded */
    bool dict_ready;
    bool check_utf8;          /* false when fb_record_validate checks every string anyway */
} ctx;

/* FB_ERR_CORRUPT with a message, in c->err (when not NULL). */
fb_status fb__chunk_dec_corrupt(ctx *c, const char *fmt, ...) FB__PRINTF(2, 3);

/*
 * Fetches and parses the payload's stream table into c->s, checking its CRC
 * and every length against the payload, the header and the format's caps.
 */
fb_status fb__chunk_dec_parse_table(ctx *c);

/*
 * The raw bytes of stream id (present in the table): fetched, its CRC
 * checked, inflated when deflated (the first time it is asked for in a
 * load); *out points at s->raw bytes valid until the next load.
 */
fb_status fb__chunk_dec_stream(ctx *c, unsigned id, const uint8_t **out);

/* Loads DICT and indexes its entries (first use only). */
fb_status fb__chunk_dec_load_dict(ctx *c);

#endif
