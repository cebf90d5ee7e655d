/*
 * libfeedback: reading and writing records as CSV and JSON Lines.
 *
 * Both formats use the same field names (docs/IO.md lists them with the cell
 * syntax of list fields). Readers stream: memory grows with the longest row,
 * never with the file. Writers validate each record before writing it, so
 * what they write reads back.
 *
 * A reader either stops at the first bad row (FB_ON_ERROR_STOP, the default)
 * or skips bad rows (FB_ON_ERROR_SKIP). Either way no row is ever lost
 * silently: each bad row is passed to the on_bad_row callback with its line,
 * byte offset, field and message, and counted (fb_io_reader_bad_rows).
 *
 * Readers and writers are single-threaded objects; see common.h.
 */
#ifndef FEEDBACK_IO_H
#define FEEDBACK_IO_H

#include <stdbool.h>

#include "alloc.h"
#include "common.h"
#include "record.h"
#include "status.h"

FB_BEGIN_DECLS

/* Text formats. */
typedef enum fb_format {
    FB_FORMAT_AUTO = -1,  /* "auto": from the path's extension, else (readers) from the content */
    FB_FORMAT_CSV = 0,    /* "csv": RFC 4180, header row, UTF-8 */
    FB_FORMAT_JSONL = 1   /* "jsonl": one JSON object per line, UTF-8 */
} fb_format;

/* The name of a format ("auto", "csv", "jsonl"), static; NULL if unknown. */
FB_API const char *fb_format_name(fb_format f);

/*
 * Parses a format name ("auto", "csv", "jsonl"; "ndjson" and "json" also mean
 * JSON Lines), ignoring ASCII case.
 * Errors: FB_ERR_INVALID_ARG (NULL), FB_ERR_UNKNOWN_NAME.
 */
FB_API fb_status fb_format_parse(const char *name, fb_format *out, fb_error *err);

/*
 * The format a path's extension names: ".csv", ".jsonl", ".ndjson", ".json"
 * (case-insensitive).
 * Errors: FB_ERR_INVALID_ARG (NULL), FB_ERR_UNKNOWN_NAME (other or no extension).
 */
FB_API fb_status fb_format_from_path(const char *path, fb_format *out, fb_error *err);

/* What a reader does with a bad row. */
typedef enum fb_on_error {
    FB_ON_ERROR_STOP = 0,  /* fb_io_reader_next returns the row's error */
    FB_ON_ERROR_SKIP = 1   /* report the row, count it, go on with the next */
} fb_on_error;

/*
 * Called once for every bad row, under both policies, before the reader
 * goes on (SKIP) or returns the error (STOP). err is valid only during the
 * call. The callback must not call back into the reader.
 */
typedef void (*fb_bad_row_fn)(void *ctx, const fb_error *err);

/* Source of bytes: reads up to size bytes into buf; returns the count, 0 at end, -1 on error. */
typedef long (*fb_read_fn)(void *ctx, char *buf, size_t size);

/* Sink of bytes: writes all size bytes of buf; returns 0, or -1 on error. */
typedef int (*fb_write_fn)(void *ctx, const char *buf, size_t size);

typedef struct fb_io_reader_options {
    fb_format format;          /* default FB_FORMAT_AUTO: see fb_io_reader_open; an explicit format always wins */
    fb_on_error on_error;      /* default FB_ON_ERROR_STOP */
    fb_bad_row_fn on_bad_row;  /* may be NULL */
    void *on_bad_row_ctx;
    bool no_validate;          /* true: skip fb_record_validate on each record (default false) */
    const fb_allocator *alloc; /* NULL: the C library's */
} fb_io_reader_options;

/* Sets *opt to the defaults. */
FB_API void fb_io_reader_options_init(fb_io_reader_options *opt);

typedef struct fb_io_reader fb_io_reader;

/*
 * Opens the file at path. opt may be NULL for the defaults. With
 * FB_FORMAT_AUTO (the default) the format comes from the path's extension
 * (see fb_format_from_path) or, for other names, from the content: JSON
 * Lines when the first byte that is not white space (after an optional BOM)
 * is '{', CSV otherwise.
 * Errors: FB_ERR_INVALID_ARG, FB_ERR_IO (with the system's reason), FB_ERR_NOMEM.
 */
FB_API fb_status fb_io_reader_open(fb_io_reader **out, const char *path,
                                   const fb_io_reader_options *opt, fb_error *err);

/*
 * Reads len bytes at data, which must stay valid and unchanged until the
 * reader is closed. opt may be NULL (format from the content as for
 * fb_io_reader_open, stop at errors).
 */
FB_API fb_status fb_io_reader_open_memory(fb_io_reader **out, const char *data, size_t len,
                                          const fb_io_reader_options *opt, fb_error *err);

/* Reads through read(ctx, ...), called until it returns 0 or -1. Formats as for fb_io_reader_open_memory. */
FB_API fb_status fb_io_reader_open_callback(fb_io_reader **out, fb_read_fn read, void *ctx,
                                            const fb_io_reader_options *opt, fb_error *err);

/*
 * Reads the next record into *rec. Returns FB_OK with *rec pointing at a
 * record the reader owns, valid until the next call or close (copy it into
 * an fb_record_list to keep it); FB_DONE at the end of the input (also for
 * an empty input, and on every later call); or a negative status with err
 * filled:
 *  - a bad row under FB_ON_ERROR_STOP (already passed to on_bad_row and
 *    counted). The reader may be called again: it goes on after that row
 *    (after a CSV quoting error, at the line after the one where the bad row
 *    began; after a row over the 1 MiB cap, at the next line);
 *  - a final error: a CSV header error (FB_ERR_MISSING when created_at is
 *    absent, FB_ERR_DUPLICATE for a repeated column, ...), FB_ERR_IO or
 *    FB_ERR_NOMEM. Final errors are not bad rows; every later call returns
 *    the same error.
 * Unless opt->no_validate, each record passes fb_record_validate; one that
 * fails is a bad row whose err names the field and its position.
 * err->line and err->offset locate the offending field (or character) in the
 * input; see docs/IO.md.
 */
FB_API fb_status fb_io_reader_next(fb_io_reader *r, const fb_record **rec, fb_error *err);

/* The 1-based line where the record last returned starts; 0 before the first. */
FB_API uint64_t fb_io_reader_line(const fb_io_reader *r);

/* How many records fb_io_reader_next has returned with FB_OK. */
FB_API uint64_t fb_io_reader_records(const fb_io_reader *r);

/* How many bad rows the reader has met (reported to on_bad_row); final errors are not counted. */
FB_API uint64_t fb_io_reader_bad_rows(const fb_io_reader *r);

/* Closes the file (if the reader opened it) and frees the reader. NULL is a no-op. */
FB_API void fb_io_reader_close(fb_io_reader *r);

typedef struct fb_io_writer_options {
    fb_format format;          /* default FB_FORMAT_AUTO: see fb_io_writer_open; an explicit format always wins */
    bool crlf;                 /* CSV: end lines with CRLF as RFC 4180 says (default false: LF) */
    const fb_allocator *alloc; /* NULL: the C library's */
    /*
     * Columns of the writer's own after the record's fields, e.g. {"reasons"}
     * (names copied at open; default none). Each value comes with
     * fb_io_writer_write_extra: a CSV cell, a JSON string key. Readers take
     * them back as attributes, as they do any unknown column. A name must not
     * be a field's or metric's, nor repeat, and must be 1..FB_MAX_NAME bytes
     * of UTF-8 without control characters.
     */
    const char *const *extra_columns;
    size_t n_extra_columns;
} fb_io_writer_options;

/* Sets *opt to the defaults. */
FB_API void fb_io_writer_options_init(fb_io_writer_options *opt);

typedef struct fb_io_writer fb_io_writer;

/*
 * Creates (or truncates) the file at path. With FB_FORMAT_AUTO (the
 * default) the format comes from the path's extension. CSV output starts
 * with the header row.
 * Errors: FB_ERR_INVALID_ARG (also a bad extra column name; nothing is
 * created), FB_ERR_UNKNOWN_NAME (FB_FORMAT_AUTO and an extension that names
 * no format; nothing is created), FB_ERR_IO, FB_ERR_NOMEM.
 */
FB_API fb_status fb_io_writer_open(fb_io_writer **out, const char *path,
                                   const fb_io_writer_options *opt, fb_error *err);

/*
 * Writes through write(ctx, ...). opt->format must name a format: without a
 * path, FB_FORMAT_AUTO is FB_ERR_INVALID_ARG.
 */
FB_API fb_status fb_io_writer_open_callback(fb_io_writer **out, fb_write_fn write, void *ctx,
                                            const fb_io_writer_options *opt, fb_error *err);

/*
 * Validates r and writes it. An invalid record is refused with the
 * validation error and nothing of it is written. Output is buffered (64 KiB):
 * a failed write shows as FB_ERR_IO at the write that fills the buffer or at
 * fb_io_writer_close; after one, every call returns FB_ERR_IO.
 * Errors: FB_ERR_INVALID_ARG, the errors of fb_record_validate, FB_ERR_IO,
 * FB_ERR_NOMEM.
 */
FB_API fb_status fb_io_writer_write(fb_io_writer *w, const fb_record *r, fb_error *err);

/*
 * Writes r as fb_io_writer_write does, with values[i] (UTF-8, at most
 * FB_MAX_ATTR_VALUE bytes) in extra column i: n_extra_columns values, or
 * values NULL for all empty. An empty value is an empty CSV cell and no JSON
 * key. Errors: those of fb_io_writer_write; FB_ERR_UTF8, FB_ERR_TOO_LONG (a
 * value); FB_ERR_DUPLICATE (r has an attribute named as an extra column:
 * read back, the two would clash). Nothing of r is written on error.
 */
FB_API fb_status fb_io_writer_write_extra(fb_io_writer *w, const fb_record *r,
                                          const fb_str *values, fb_error *err);

/*
 * Flushes buffered output, closes the file (if the writer opened it) and
 * frees the writer, also when flushing fails. NULL is a no-op returning FB_OK.
 * Errors: FB_ERR_IO.
 */
FB_API fb_status fb_io_writer_close(fb_io_writer *w, fb_error *err);

FB_END_DECLS

#endif /* FEEDBACK_IO_H */
