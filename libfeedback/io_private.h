/* CSV and JSON Lines: what the reader, the writer and the two formats share. */
#ifndef FB_IO_PRIVATE_H
#define FB_IO_PRIVATE_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cells.h"
#include "feedback/io.h"
#include "strbuf.h"

/* The longest row (CSV) or line (JSON Lines), line end included. */
#define FB__ROW_MAX ((size_t)1 << 20)
/* The size of one read and of the writer's output buffer. */
#define FB__IO_CHUNK ((size_t)64 * 1024)
/* The most columns a CSV header may have. */
#define FB__MAX_COLUMNS 4096

/* ------------------------------------------------------------------ */
/* Input: a window over the bytes not consumed yet (io_source.c)       */
/* ------------------------------------------------------------------ */

typedef struct fb__source {
    const fb_allocator *alloc;
    const char *data;    /* the memory input, or buf */
    char *buf;           /* owned buffer (callback and file inputs) */
    size_t cap;
    size_t start, end;   /* unconsumed bytes: data[start..end) */
    bool eof;
    fb_read_fn read;
    void *ctx;
    FILE *file;          /* owned when the source opened it */
    uint64_t line;       /* the line of data[start], 1-based */
    uint64_t offset;     /* the offset of data[start] in the input */
} fb__source;

void fb__source_init_memory(fb__source *s, const char *data, size_t len);
void fb__source_init_callback(fb__source *s, const fb_allocator *alloc, fb_read_fn read, void *ctx);
fb_status fb__source_open_file(fb__source *s, const fb_allocator *alloc, const char *path,
                               fb_error *err);
void fb__source_close(fb__source *s);

/* The number of bytes available without reading. */
static inline size_t fb__source_avail(const fb__source *s) { return s->end - s->start; }
/* The available bytes; invalidated by fb__source_fill. */
static inline const char *fb__source_ptr(const fb__source *s) { return s->data + s->start; }

/*
 * Reads until at least need bytes are available, or the input ends (need
 * must not exceed FB__ROW_MAX + 2). Errors: FB_ERR_IO, FB_ERR_NOMEM (final).
 */
fb_status fb__source_fill(fb__source *s, size_t need, fb_error *err);

/* Consumes n available bytes, counting lines. */
void fb__source_consume(fb__source *s, size_t n);

/*
 * Consumes from bytes, then everything up to and including the next line
 * feed (or the end of the input), without buffering more than a read's worth.
 */
fb_status fb__source_skip_line(fb__source *s, size_t from, fb_error *err);

/* Skips a UTF-8 byte order mark at the start of the input. */
fb_status fb__source_skip_bom(fb__source *s, fb_error *err);

/* The byte at p (relative to the unconsumed start): 0..255, -1 at the end, -2 on error. */
static inline int fb__source_at(fb__source *s, size_t p, fb_status *st, fb_error *err)
{
    if (p < s->end - s->start)
        return (unsigned char)s->data[s->start + p];
    *st = fb__source_fill(s, p + 1, err);
    if (*st != FB_OK)
        return -2;
    if (p < s->end - s->start)
        return (unsigned char)s->data[s->start + p];
    return -1;
}

/* ------------------------------------------------------------------ */
/* The reader                                                          */
/* ------------------------------------------------------------------ */

typedef struct fb__csv_field {
    size_t off, len;  /* the decoded text in the cells buffer */
    fb__pos pos;      /* where the field starts (its opening quote, when quoted) */
} fb__csv_field;

typedef struct fb__csv_col {
    int field;                 /* an fb__field, FB__F_UNKNOWN or FB__F_IGNORED */
    size_t name_off, name_len; /* the name as written, in the names buffer */
} fb__csv_col;

typedef struct fb__csv {
    bool header_done;
    fb__strbuf names;
    fb__csv_col *cols;
    size_t n_cols, cap_cols;
    size_t *order;            /* the columns in the order their cells are applied */
    size_t n_order, cap_order;
    fb__strbuf cells;         /* the decoded fields of the current row */
    fb__csv_field *fields;
    size_t n_fields, cap_fields;
} fb__csv;

struct fb_io_reader {
    const fb_allocator *alloc;
    fb_io_reader_options opt;
    fb__source src;
    fb__builder b;
    bool started;          /* the byte order mark has been looked at */
    fb_status final;       /* a final error, returned by every later call */
    fb_error final_err;
    uint64_t line, records, bad_rows;
    fb__csv csv;
    fb__strbuf jline;      /* JSON Lines: the current line, decoded in place */
};

/*
 * Reads the next row into r->b (finished, not validated). Returns FB_OK,
 * FB_DONE, a row error (the row is consumed: the next call goes on after
 * it), or a final error, which is also stored in r->final.
 */
fb_status fb__csv_next(fb_io_reader *r, fb_error *err);
void fb__csv_free(fb__csv *c);
fb_status fb__jsonl_next(fb_io_reader *r, fb_error *err);

/* Stores a final error. Returns st. */
fb_status fb__reader_fail(fb_io_reader *r, fb_status st, const fb_error *err);

/* ------------------------------------------------------------------ */
/* The writer                                                          */
/* ------------------------------------------------------------------ */

struct fb_io_writer {
    const fb_allocator *alloc;
    fb_format format;
    bool crlf;
    FILE *file;            /* owned when the writer opened it */
    fb_write_fn write;
    void *ctx;
    fb__strbuf out;        /* buffered output */
    fb__strbuf rec;        /* the record being formatted */
    fb__strbuf cell;       /* scratch for one cell */
    fb_status failed;      /* a write failed: every later call fails */
    fb_error fail_err;
    char **extra;          /* the names of the extra columns, owned */
    size_t n_extra;
    const fb_str *values;  /* the extra values of the record being formatted, or NULL */
};

/* The length of a NUL-terminated code in a buffer of max bytes (country, currency). */
static inline size_t fb__code_len(const char *s, size_t max)
{
    const char *z = (const char *)memchr(s, '\0', max);
    return z ? (size_t)(z - s) : max;
}

/* Append the header row, or one record, to w->rec. Return 0, or -1 when out of memory. */
int fb__csv_put_header(fb_io_writer *w);
int fb__csv_put_record(fb_io_writer *w, const fb_record *r);
int fb__json_put_record(fb_io_writer *w, const fb_record *r);

#endif
