/*
 * The file layer of the binary log (log_file.c): the file header, a byte
 * source over a file or a memory buffer, the search for sync markers, the
 * walk over the chunks (which finds each chunk whose header verifies and
 * reports the bytes in between as damage), the trailer and the index chunk.
 * The writer (log_writer.c), the reader (log_reader.c) and fb_log_info_read
 * (log_info.c) stand on it. Layouts: log_format.h.
 */
#ifndef FB_LOG_FILE_H
#define FB_LOG_FILE_H

#include <stdbool.h>
#include <stdint.h>

#include "error_private.h"
#include "feedback/log.h"
#include "log_chunk.h"
#include "log_format.h"
#include "strbuf.h"

/* ------------------------------------------------------------------ */
/* Byte source                                                         */
/* ------------------------------------------------------------------ */

typedef struct fb__log_src {
    const fb_allocator *alloc;  /* never NULL */
    int fd;                     /* the file, or -1 for a memory source */
    const uint8_t *mem;         /* the memory source's bytes */
    uint64_t size;              /* the size when opened (file) or the length (memory) */
    char name[96];              /* the quoted path for messages, or "the buffer" */
} fb__log_src;

/*
 * Opens path with open(2) flags (O_RDONLY, or O_RDWR | O_CREAT for the
 * writer; O_CLOEXEC is added) and records its size. Errors: FB_ERR_IO.
 */
fb_status fb__log_src_open(fb__log_src *s, const fb_allocator *alloc, const char *path, int flags,
                           fb_error *err);
void fb__log_src_memory(fb__log_src *s, const fb_allocator *alloc, const void *data, size_t len);
/* Closes the file (if any). Safe on a source that failed to open. */
void fb__log_src_close(fb__log_src *s);

/*
 * Reads up to n bytes at off into buf; *got < n only at the end of the data.
 * Errors: FB_ERR_IO.
 */
fb_status fb__log_src_read(fb__log_src *s, uint64_t off, void *buf, size_t n, size_t *got,
                           fb_error *err);

/*
 * Points *p at the n bytes at off, which must lie within s->size: into the
 * memory source itself, or read into scratch (grown as needed) for a file.
 * Errors: FB_ERR_IO (including a file that shrank), FB_ERR_NOMEM.
 */
fb_status fb__log_src_view(fb__log_src *s, uint64_t off, size_t n, fb__strbuf *scratch,
                           const uint8_t **p, fb_error *err);

/*
 * The payload of the chunk at chunk_offset as a source for the chunk decoder
 * (log_chunk.h): in place for a memory source, read as needed from a file.
 * The header must have verified, and the whole chunk lie within s->size.
 * p must stay in place while p->ps is used.
 */
typedef struct fb__log_payload {
    fb__log_src *src;
    uint64_t base;          /* file offset of the payload */
    fb__payload_src ps;
} fb__log_payload;

void fb__log_payload_init(fb__log_payload *p, fb__log_src *s, uint64_t chunk_offset);

/* ------------------------------------------------------------------ */
/* File header                                                         */
/* ------------------------------------------------------------------ */

typedef struct fb__log_header {
    int major, minor;
    uint16_t flags;
    uint8_t sync[FB__LOG_SYNC_SIZE];
    char writer[64];        /* NUL-terminated, cut on a UTF-8 boundary */
    fb_time created;        /* FB_TIME_UNKNOWN when absent */
    uint64_t size;          /* bytes of the header: the offset of the first chunk */
} fb__log_header;

/*
 * Reads and checks the file header at the start of s. Errors: FB_ERR_FORMAT
 * (too short, or a wrong magic; the message says when the magic looks
 * damaged by a text-mode transfer), FB_ERR_VERSION (another major version),
 * FB_ERR_CORRUPT (cut short, metadata too long or malformed, CRC mismatch),
 * FB_ERR_IO, FB_ERR_NOMEM.
 */
fb_status fb__log_header_read(fb__log_src *s, fb__log_header *h, fb_error *err);

/*
 * Appends a new file header (version 1.0, a fresh random sync marker written
 * to h->sync, writer "libfeedback <version>", created now) to out, and fills
 * h. Errors: FB_ERR_IO (no random source), FB_ERR_NOMEM.
 */
fb_status fb__log_header_build(fb__log_header *h, fb__strbuf *out, fb_error *err);

/* Fills buf with n random bytes from getrandom() or /dev/urandom. Errors: FB_ERR_IO. */
fb_status fb__log_random(uint8_t *buf, size_t n, fb_error *err);

/* ------------------------------------------------------------------ */
/* Sync markers, trailer, payload checks                               */
/* ------------------------------------------------------------------ */

/*
 * Looks for the next offset in [from, limit) where the sync marker starts
 * and a chunk header that verifies follows (within limit). *found is that
 * offset, or limit when there is none. Reads through a sliding window, never
 * the whole file. Errors: FB_ERR_IO, FB_ERR_NOMEM.
 */
fb_status fb__log_find_chunk(fb__log_src *s, const uint8_t *sync, uint64_t from, uint64_t limit,
                             uint64_t *found, fb_error *err);

/* Writes the FB__LOG_TRAILER_SIZE bytes of a trailer to p. */
void fb__log_trailer_write(uint8_t *p, const uint8_t *sync, uint64_t index_offset,
                           uint64_t records);

/*
 * Reads the trailer at the end of s. *ok is true when it is there and
 * verifies (then *index_offset and *records hold its values, the index
 * offset checked to lie between first and the trailer).
 */
fb_status fb__log_trailer_read(fb__log_src *s, const fb__log_header *fh, bool *ok,
                               uint64_t *index_offset, uint64_t *records, fb_error *err);

/* True when the CRC after the payload_len bytes at payload matches them. */
bool fb__log_payload_ok(const uint8_t *payload, uint32_t payload_len);

/* ------------------------------------------------------------------ */
/* The walk over the chunks                                            */
/* ------------------------------------------------------------------ */

typedef struct fb__log_walk {
    fb__log_src *src;
    const uint8_t *sync;    /* the file's sync marker */
    uint64_t pos;           /* where the next chunk should start */
    uint64_t end;           /* end of the chunk area: the file size, or where a verified trailer starts */
    uint64_t stop;          /* a verified chunk starting at or after this ends the walk (UINT64_MAX: none) */
    bool owns_pos;          /* damage at pos is this walk's to report (pos < stop, or pos ends a chunk it returned) */
    bool done;
} fb__log_walk;

/* What the walk met: a chunk whose header verified, or a damaged region. */
typedef struct fb__log_item {
    bool damage;
    uint64_t offset;        /* the chunk's or the region's */
    uint64_t bytes;         /* the chunk's length (FB__LOG_CHUNK_OVERHEAD + P) or the region's */
    fb__chunk_header h;     /* the chunk's header (when !damage) */
    fb_log_damage d;        /* the region (when damage) */
} fb__log_item;

void fb__log_walk_init(fb__log_walk *w, fb__log_src *src, const uint8_t *sync, uint64_t pos,
                       uint64_t end);

/* Moves w to pos (a chunk start) and resumes it. */
void fb__log_walk_seek(fb__log_walk *w, uint64_t pos);

/*
 * The next item from w->pos: FB_OK with *it filled, FB_DONE at the end (or at
 * a verified chunk at or after w->stop). Damage at or after w->stop is
 * returned only when it follows a chunk that started before w->stop (so that
 * consecutive byte ranges report each region once). A region that does not start with a
 * verified chunk header runs to the next verified one (or the end); a chunk
 * whose header verifies but whose bytes run past w->end is a torn tail (its
 * record count known). Payloads are not checked here.
 * Errors: FB_ERR_IO, FB_ERR_NOMEM.
 */
fb_status fb__log_walk_next(fb__log_walk *w, fb__log_item *it, fb_error *err);

/* What a verified chunk is, to its reader. */
typedef enum fb__log_kind {
    FB__KIND_DATA,      /* a data chunk */
    FB__KIND_INDEX,     /* the index chunk */
    FB__KIND_IGNORE,    /* an unknown chunk type marked safe to ignore */
    FB__KIND_UNKNOWN    /* an unknown type not safe to ignore: damage */
} fb__log_kind;

fb__log_kind fb__log_chunk_kind(const fb__chunk_header *h);

/*
 * Sorts a walked item for a reader: true for a chunk to pass over silently
 * (the index, an ignorable unknown type); false for a data chunk or damage,
 * turning an intact chunk of an unknown type that is not safe to ignore into
 * damage (reason FB_ERR_VERSION) first.
 */
bool fb__log_item_passes_over(fb__log_item *it);

/* Turns *it (a chunk) into a damage item with reason, records and a formatted message. */
void fb__log_item_damage(fb__log_item *it, fb_status reason, int64_t records, const char *fmt, ...)
    FB__PRINTF(4, 5);

/* ------------------------------------------------------------------ */
/* Index chunk                                                         */
/* ------------------------------------------------------------------ */

/* One data chunk, as the index lists it. */
typedef struct fb__log_entry {
    uint64_t offset;
    uint64_t first_seq;     /* the sum of the counts before it */
    uint32_t count;
    int64_t min_time, max_time;
} fb__log_entry;

/*
 * Appends the whole index chunk (header, payload, payload CRC) for n entries
 * to out; records is the file's record count. Errors: FB_ERR_NOMEM,
 * FB_ERR_TOO_LONG (the index would exceed FB__LOG_MAX_PAYLOAD).
 */
fb_status fb__log_index_build(const fb__log_entry *e, size_t n, uint64_t records,
                              const uint8_t *sync, fb__strbuf *out);

/*
 * Reads and checks the index of a file whose trailer verified: the chunk at
 * index_offset must verify, be the index, end where the trailer starts, and
 * list entries that are consistent (increasing offsets before the index,
 * counts summing to records). On success *entries (allocated with s->alloc,
 * freed by the caller) holds *n entries and *ok is true; otherwise *ok is
 * false. Errors: FB_ERR_IO, FB_ERR_NOMEM.
 */
fb_status fb__log_index_read(fb__log_src *s, const fb__log_header *fh, uint64_t index_offset,
                             uint64_t records, bool *ok, fb__log_entry **entries, size_t *n,
                             fb_error *err);

/* ------------------------------------------------------------------ */
/* Test hook                                                           */
/* ------------------------------------------------------------------ */

/*
 * For forward-compatibility tests only: ends the current chunk, then writes
 * a chunk with the given payload: type (the FB__LOG_IGNORABLE bit
 * included), reserved byte, flags, count, raw length and times from h_in; the first
 * sequence number, the payload length, the sync marker and the CRCs are
 * filled in. A data chunk so written counts its records in the writer's
 * sequence and index.
 */
struct fb_log_writer;
fb_status fb__log_writer_append_raw_chunk(struct fb_log_writer *w, const fb__chunk_header *h_in,
                                          const void *payload, uint32_t payload_len,
                                          fb_error *err);

#endif
