/*
 * The data-chunk decoder's private parts, shared by its two files:
 * log_chunk_streams.c (life cycle, the stream table, inflating streams,
 * loading DICT and TEXT) and log_chunk_decode.c (fields and records, and
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

typedef struct dict_entry {
    uint32_t off;
    uint32_t len;
    uint8_t utf8;  /* 0: not checked yet, 1: valid, 2: invalid */
} dict_entry;

/* A stream as the table declares it. */
typedef struct stream_ref {
    bool present;
    uint32_t off;     /* of its body in the payload */
    uint32_t stored;
    uint32_t raw;
} stream_ref;

struct fb__chunk_dec {
    const fb_allocator *alloc;
    fb_record *recs;
    size_t recs_cap;
    uint32_t count;
    fb_answer *answers;
    size_t answers_cap;
    fb_str *tags;
    size_t tags_cap;
    fb_attr *attrs;
    size_t attrs_cap;
    uint8_t *buf[4];          /* inflated streams, by stream id (1..3) */
    size_t buf_cap[4];
    dict_entry *dict;
    size_t dict_cap;
    uint32_t n_dict;
    fb__inflater *inf;        /* the decompressor, created on first use */
    unsigned inflated;        /* bit (1 << id) per stream made available by the last load */
    double scale_lo[FB_METRIC_CUSTOM], scale_hi[FB_METRIC_CUSTOM];
    uint64_t n_kind, n_status, n_channel, n_source, n_metric, n_handling, n_assignee;
};

/* One load's state. */
typedef struct ctx {
    fb__chunk_dec *d;
    const fb__chunk_header *h;
    const uint8_t *payload;
    fb_error *err;
    uint32_t rec;             /* the record being decoded */
    const uint8_t *num;
    size_t num_len;
    stream_ref s_num, s_dict, s_text;
    bool dict_ready, text_ready;
    const uint8_t *text;      /* TEXT, once inflated */
    size_t text_pos;          /* next byte of TEXT a reference takes */
    size_t n_answers, n_tags, n_attrs;  /* used in d's arrays so far */
    bool moved;               /* an array grew (moved) during this load */
    bool check_utf8;          /* false when fb_record_validate checks every string anyway */
    uint8_t skip[256];        /* by tag: 1 for fields skipped by reading one varint
                                 (VARINT, DICT; TEXT also advances text_pos) */
} ctx;

/* FB_ERR_CORRUPT with a message, in c->err (when not NULL). */
fb_status fb__chunk_dec_corrupt(ctx *c, const char *fmt, ...) FB__PRINTF(2, 3);

/*
 * Parses the payload's stream table into c->s_num, s_dict and s_text, checking
 * every length against the payload, the header and the format's caps.
 */
fb_status fb__chunk_dec_parse_table(ctx *c);

/*
 * Inflates (or copies, when stored) stream id into d->buf[id], exactly s->raw
 * bytes; sets *out.
 */
fb_status fb__chunk_dec_inflate(ctx *c, unsigned id, const stream_ref *s, const uint8_t **out);

/* Inflates DICT and indexes its entries (first use only). */
fb_status fb__chunk_dec_load_dict(ctx *c);

/* Inflates TEXT into c->text (first use only). */
fb_status fb__chunk_dec_load_text(ctx *c);

#endif
