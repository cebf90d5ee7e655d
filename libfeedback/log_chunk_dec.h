/*
 * The data-chunk decoder's private parts, shared by its three files:
 * log_chunk_streams.c (life cycle, the stream table, fetching and inflating
 * streams, DICT), log_chunk_decode.c (columns to field arrays, and
 * fb__chunk_dec_load) and log_chunk_fields.c (the field arrays, and records
 * made from them). The interface is in log_chunk.h.
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

/*
 * The decoded fields of a chunk's records: one array per field, with a value
 * per record (the *_OF arrays: n + 1 offsets, record i's list items being
 * [of[i], of[i + 1]) of the answers, tags or attributes array). Decoding
 * writes these compact arrays rather than fb_record structs, so a scan of a
 * few fields moves few bytes; records are made from them when asked for.
 */
enum {
    F_CREATED,         /* fb_time */
    F_ID,              /* uint64_t */
    F_KIND,            /* fb_record_kind */
    F_INTERACTION,     /* fb_time */
    F_CUSTOMER_ID,     /* fb_str */
    F_CUSTOMER_STATUS, /* fb_customer_status */
    F_CUSTOMER_VERIFIED, /* bool */
    F_WIN_BACK,        /* bool */
    F_CHANNEL,         /* fb_channel */
    F_SOURCE,          /* fb_source */
    F_ANSWERS_OF,      /* uint32_t, n + 1 */
    F_TEXT,            /* fb_str */
    F_LANGUAGE,        /* fb_str */
    F_TAGS_OF,         /* uint32_t, n + 1 */
    F_AGENT_ID,        /* fb_str */
    F_TICKET_ID,       /* fb_str */
    F_PRODUCT,         /* fb_str */
    F_COUNTRY,         /* char[3] */
    F_TIP,             /* int64_t */
    F_TIP_CURRENCY,    /* char[4] */
    F_ATTRS_OF,        /* uint32_t, n + 1 */
    F_REF_ID,          /* uint64_t */
    F_HANDLING,        /* fb_handling */
    F_ASSIGNEE,        /* fb_str */
    F_ASSIGNEE_KIND,   /* fb_assignee_kind */
    F_COUNT
};

struct fb__chunk_dec {
    const fb_allocator *alloc;
    uint32_t count;
    uint32_t fields;          /* FB_LOG_FIELD_* groups the last load decoded */
    void *field[F_COUNT];     /* the field arrays (F_*), for the fields decoded */
    size_t field_cap[F_COUNT];
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

/* Makes room in the field arrays of the groups in fields for n records. Errors: FB_ERR_NOMEM. */
fb_status fb__chunk_dec_reserve_fields(fb__chunk_dec *d, uint32_t fields, size_t n);

/* Frees the field arrays. */
void fb__chunk_dec_free_fields(fb__chunk_dec *d);

#endif
