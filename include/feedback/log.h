/*
 * libfeedback: the binary log, a compact, crash-safe, append-only file of
 * records (format in docs/FORMAT.md).
 *
 * Records are grouped into chunks; inside a chunk each field's values are
 * stored together (a column), each column compressed (raw deflate) and
 * checksummed on its own, so a reader decodes only the fields it needs. A
 * writer appends; a crash never harms what an earlier flush wrote, and
 * reopening for append first cuts off a torn tail. A reader returns every intact record and
 * reports every damaged region instead of returning anything wrong; it can
 * decode only some fields, skip chunks by time, and read exactly the chunks
 * that start in a byte range, so N workers can split one file.
 *
 * Writers and readers are single-threaded objects (see common.h). One file
 * has at most one writer at a time; the library does not lock it.
 */
#ifndef FEEDBACK_LOG_H
#define FEEDBACK_LOG_H

#include <stdbool.h>

#include "alloc.h"
#include "common.h"
#include "record.h"
#include "record_batch.h"
#include "status.h"

FB_BEGIN_DECLS

/* ------------------------------------------------------------------ */
/* Damage reports                                                      */
/* ------------------------------------------------------------------ */

/* A region of a log that was skipped or cut, and why. */
typedef struct fb_log_damage {
    uint64_t offset;   /* where the region starts, in bytes from the start of the file */
    uint64_t bytes;    /* its length */
    int64_t records;   /* records lost in it, or -1 when not known */
    fb_status reason;  /* FB_ERR_CORRUPT, FB_ERR_VERSION (an unknown chunk type), ... */
    char message[FB_ERROR_MESSAGE_MAX];  /* e.g. "chunk payload checksum mismatch" */
} fb_log_damage;

/* Called once per damaged or cut region; d is valid only during the call. */
typedef void (*fb_log_damage_fn)(void *ctx, const fb_log_damage *d);

/* ------------------------------------------------------------------ */
/* Writer                                                              */
/* ------------------------------------------------------------------ */

/* When the writer asks the system to put data on disk (fsync). */
typedef enum fb_log_sync {
    FB_LOG_SYNC_ON_DEMAND = 0,  /* only in fb_log_writer_sync and fb_log_writer_close (default) */
    FB_LOG_SYNC_CHUNK = 1,      /* after every chunk written */
    FB_LOG_SYNC_INTERVAL = 2    /* after a chunk, when sync_interval_ms have passed since the last */
} fb_log_sync;

typedef struct fb_log_writer_options {
    size_t chunk_bytes;          /* a chunk ends when its raw streams reach this (default 1 MiB; 0: the default; at most 32 MiB) */
    uint32_t chunk_records;      /* ... or when it holds this many records (default 65536; 0: the default; at most 1000000) */
    int level;                   /* deflate level 0 (stored) .. 9; default FB_LOG_DEFAULT_LEVEL */
    fb_log_sync sync;            /* default FB_LOG_SYNC_ON_DEMAND */
    uint32_t sync_interval_ms;   /* FB_LOG_SYNC_INTERVAL: default 1000 (a monotonic clock, read at chunk ends) */
    fb_log_damage_fn on_cut;     /* told what reopening for append cut off; may be NULL */
    void *on_cut_ctx;
    const fb_allocator *alloc;   /* NULL: the C library's */
} fb_log_writer_options;

/* The default deflate level, chosen from the measurements in docs/BENCHMARKS.md. */
#define FB_LOG_DEFAULT_LEVEL 1

/* Sets *opt to the defaults. */
FB_API void fb_log_writer_options_init(fb_log_writer_options *opt);

typedef struct fb_log_writer fb_log_writer;

/*
 * Opens path for appending, creating it (with a new random sync marker) when
 * it does not exist or is empty. An existing log is checked first: its header
 * must verify, and everything after the last intact data chunk (a torn tail,
 * damage, the index and trailer of a clean close) is cut off, each damaged
 * region reported to opt->on_cut, before anything is written. The index and
 * trailer of a clean close are cut silently; damage before the last intact
 * data chunk is left in place (readers skip it). A file cut short inside its
 * file header (a crash while creating it) is reported and started anew.
 * Sequence numbers continue from the last intact data chunk. path must be a
 * regular file.
 * Errors: FB_ERR_INVALID_ARG (also for options out of range), FB_ERR_IO,
 * FB_ERR_NOMEM, FB_ERR_FORMAT (not a log), FB_ERR_VERSION (another major
 * version), FB_ERR_CORRUPT (a damaged file header).
 */
FB_API fb_status fb_log_writer_open(fb_log_writer **out, const char *path,
                                    const fb_log_writer_options *opt, fb_error *err);

/*
 * Validates r and adds it to the current chunk, which is written when full.
 * An invalid record is refused (nothing of it is stored).
 * Errors: those of fb_record_validate, FB_ERR_IO, FB_ERR_NOMEM; after an
 * FB_ERR_IO every call fails (records accepted before the last successful
 * flush stay intact in the file).
 */
FB_API fb_status fb_log_writer_append(fb_log_writer *w, const fb_record *r, fb_error *err);

/*
 * Appends n records; validates all of them first, so that either all are
 * accepted or none (err names the index of the bad one in its field,
 * e.g. "records[3].answers[0].score"). Only FB_ERR_NOMEM or FB_ERR_IO while
 * adding can leave the first records of the batch accepted.
 */
FB_API fb_status fb_log_writer_append_batch(fb_log_writer *w, const fb_record *records, size_t n,
                                            fb_error *err);

/* Ends the current chunk and writes it (no fsync). Errors: FB_ERR_IO, FB_ERR_NOMEM. */
FB_API fb_status fb_log_writer_flush(fb_log_writer *w, fb_error *err);

/* Flushes and asks the system to put the file on disk (fsync). Errors: FB_ERR_IO. */
FB_API fb_status fb_log_writer_sync(fb_log_writer *w, fb_error *err);

/*
 * Flushes, writes the index chunk and trailer, syncs, closes the file and
 * frees the writer, also on error. NULL is a no-op returning FB_OK. A log
 * that lost records in the middle (damage found when it was reopened) gets
 * no index, since sequence numbers then have gaps; readers walk the chunk
 * headers instead. After an earlier write error it only closes and frees,
 * returning FB_ERR_IO.
 * Errors: FB_ERR_IO, FB_ERR_NOMEM.
 */
FB_API fb_status fb_log_writer_close(fb_log_writer *w, fb_error *err);

/* Records appended through this writer (accepted, flushed or not). */
FB_API uint64_t fb_log_writer_records(const fb_log_writer *w);

/* ------------------------------------------------------------------ */
/* Reader                                                              */
/* ------------------------------------------------------------------ */

/*
 * Fields a reader decodes (fb_log_reader_options.fields); the rest keep their
 * defaults. Only the columns of those fields are read, checksummed and
 * inflated, so a reader of some fields neither pays for nor notices damage in
 * the others (a read of every field, or `feedback verify`, checks every column
 * and the chunk's whole-payload checksum).
 */
#define FB_LOG_FIELD_ID              (1u << 0)
#define FB_LOG_FIELD_KIND            (1u << 1)
#define FB_LOG_FIELD_CREATED_AT      (1u << 2)  /* always decoded: chunks are filtered by it */
#define FB_LOG_FIELD_INTERACTION_AT  (1u << 3)
#define FB_LOG_FIELD_CUSTOMER        (1u << 4)  /* customer_id, status, verified, win_back */
#define FB_LOG_FIELD_CHANNEL         (1u << 5)  /* channel and source */
#define FB_LOG_FIELD_ANSWERS         (1u << 6)
#define FB_LOG_FIELD_TEXT            (1u << 7)  /* text and language */
#define FB_LOG_FIELD_TAGS            (1u << 8)
#define FB_LOG_FIELD_SERVICE         (1u << 9)  /* agent_id, ticket_id, product, country */
#define FB_LOG_FIELD_TIP             (1u << 10) /* tip and tip_currency */
#define FB_LOG_FIELD_ATTRS           (1u << 11)
#define FB_LOG_FIELD_UPDATE          (1u << 12) /* ref_id, handling, assignee, assignee_kind */
#define FB_LOG_FIELD_ALL             0x1FFFu

/* What a reader does at damage. */
typedef enum fb_log_recovery {
    FB_LOG_TOLERATE = 0,  /* report it, skip it, go on with the next intact chunk (default) */
    FB_LOG_STRICT = 1     /* report it and return FB_ERR_CORRUPT */
} fb_log_recovery;

typedef struct fb_log_reader_options {
    uint32_t fields;             /* FB_LOG_FIELD_* bits; 0 means all; unknown bits are ignored */
    fb_time time_from;           /* only records with created_at >= time_from (FB_TIME_UNKNOWN: no bound) */
    fb_time time_to;             /* ... and created_at < time_to (FB_TIME_UNKNOWN: no bound) */
    fb_log_recovery recovery;    /* default FB_LOG_TOLERATE */
    fb_log_damage_fn on_damage;  /* told every damaged region; may be NULL */
    void *on_damage_ctx;
    const fb_allocator *alloc;   /* NULL: the C library's */
} fb_log_reader_options;

/* Sets *opt to the defaults: all fields, no time bounds, tolerate damage. */
FB_API void fb_log_reader_options_init(fb_log_reader_options *opt);

typedef struct fb_log_reader fb_log_reader;

/*
 * Opens the log at path for reading from its first chunk. The file header
 * must verify. The reader reads up to the size the file had when opened.
 * Errors: FB_ERR_INVALID_ARG, FB_ERR_IO, FB_ERR_NOMEM, FB_ERR_FORMAT (not a
 * log, or text-mode damage to the magic), FB_ERR_VERSION (a newer major
 * version), FB_ERR_CORRUPT (the file header fails its checksum).
 */
FB_API fb_status fb_log_reader_open(fb_log_reader **out, const char *path,
                                    const fb_log_reader_options *opt, fb_error *err);

/* Reads a log held in memory: len bytes at data, unchanged until the reader is closed. */
FB_API fb_status fb_log_reader_open_memory(fb_log_reader **out, const void *data, size_t len,
                                           const fb_log_reader_options *opt, fb_error *err);

/*
 * Opens path to read exactly the chunks whose sync marker starts at an offset
 * in [start, end) (the whole chunk, even where it runs past end). Splitting a
 * file into consecutive ranges [0, a), [a, b), ..., [z, size) and reading
 * each gives every record once, and reports each damaged region once: a
 * region belongs to the reader whose walk reaches it from the chunk before it
 * (or, at the first chunk, to the range holding the first chunk's offset).
 * end may exceed the file size; start > end is FB_ERR_INVALID_ARG. Seeks
 * stay within the range's chunks.
 */
FB_API fb_status fb_log_reader_open_range(fb_log_reader **out, const char *path, uint64_t start,
                                          uint64_t end, const fb_log_reader_options *opt,
                                          fb_error *err);

/*
 * The next record, in file order: FB_OK with *rec pointing at a record the
 * reader owns, valid until the next call, a seek or close; FB_DONE at the end;
 * FB_ERR_CORRUPT at damage in FB_LOG_STRICT mode (after reporting it, also for
 * an unknown chunk type reported with reason FB_ERR_VERSION; err names the
 * offset; a later call goes on after the damage); FB_ERR_IO or FB_ERR_NOMEM
 * (final: every later call returns it).
 */
FB_API fb_status fb_log_reader_next(fb_log_reader *r, const fb_record **rec, fb_error *err);

/*
 * The next records as columns in *batch: the same records, in the same
 * order, as the calls to fb_log_reader_next they replace would return, as
 * many as follow one another in one chunk (a whole chunk unless the time
 * range, a seek or an earlier fb_log_reader_next splits it). The two calls
 * may be mixed. Returns as fb_log_reader_next does: FB_OK, FB_DONE (batch->n
 * is then 0), FB_ERR_CORRUPT in FB_LOG_STRICT mode, FB_ERR_IO, FB_ERR_NOMEM.
 */
FB_API fb_status fb_log_reader_next_batch(fb_log_reader *r, fb_record_batch *batch, fb_error *err);

/*
 * Positions the reader at the first data chunk whose max created_at is >= t
 * (using the index when the trailer, the index and the chunk header it
 * points at verify, else walking the chunk headers), so that the next records
 * returned are those from t on; records of that chunk before t are skipped.
 * In a log not ordered by time, later chunks may still hold records before t
 * (they are returned, subject to the options' time range). FB_TIME_UNKNOWN
 * goes back to the first chunk. Damage passed over by a seek is not
 * reported. Past the last chunk, the next call returns FB_DONE.
 */
FB_API fb_status fb_log_reader_seek_time(fb_log_reader *r, fb_time t, fb_error *err);

/*
 * Positions the reader at the record with sequence number seq (0-based
 * position in the file), or, when that record was lost to damage, at the
 * first record after it; past the end, the next call returns FB_DONE.
 */
FB_API fb_status fb_log_reader_seek_seq(fb_log_reader *r, uint64_t seq, fb_error *err);

/* The sequence number of the record last returned (0-based), or UINT64_MAX before the first. */
FB_API uint64_t fb_log_reader_seq(const fb_log_reader *r);

/* What a reader has met so far. */
typedef struct fb_log_stats {
    uint64_t chunks;           /* data chunks read intact */
    uint64_t chunks_skipped;   /* data chunks skipped whole by the time range */
    uint64_t records;          /* records returned */
    uint64_t damaged_regions;  /* regions reported to on_damage */
    uint64_t damaged_bytes;
    uint64_t records_lost;     /* records in damaged chunks, where their headers said */
    uint64_t bytes_stored;     /* payload bytes of the chunks read */
    uint64_t bytes_raw;        /* their raw (inflated) sizes */
} fb_log_stats;

/* Copies the reader's counters into *stats. */
FB_API void fb_log_reader_stats(const fb_log_reader *r, fb_log_stats *stats);

/* Closes the file and frees the reader. NULL is a no-op. */
FB_API void fb_log_reader_close(fb_log_reader *r);

/* ------------------------------------------------------------------ */
/* File information                                                    */
/* ------------------------------------------------------------------ */

typedef struct fb_log_info {
    int major, minor;          /* format version of the file */
    char writer[64];           /* the writer named in the header, NUL-terminated */
    fb_time created;           /* when the file was created, or FB_TIME_UNKNOWN */
    uint64_t file_bytes;
    uint64_t chunks;           /* intact data chunks */
    uint64_t records;          /* in intact data chunks */
    fb_time first, last;       /* min and max created_at, FB_TIME_UNKNOWN when empty */
    uint64_t bytes_stored;     /* payload bytes of the intact data chunks */
    uint64_t bytes_raw;        /* their raw (inflated) sizes */
    bool has_index;            /* closed cleanly: the trailer and index verify */
    uint64_t damaged_regions;  /* damage met while walking the chunks */
    uint64_t damaged_bytes;
} fb_log_info;

/*
 * Describes the log at path by walking its chunk headers (no payload is
 * inflated; payload checksums are checked, so a chunk whose payload passes
 * its CRC but does not decode is counted as intact). Damage is counted, and
 * reported to on_damage (with ctx) when it is not NULL.
 * Errors: as fb_log_reader_open.
 */
FB_API fb_status fb_log_info_read(const char *path, fb_log_info *info, fb_log_damage_fn on_damage,
                                  void *ctx, fb_error *err);

FB_END_DECLS

#endif /* FEEDBACK_LOG_H */
