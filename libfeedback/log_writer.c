/*
 * The log writer: creates a log or reopens one for appending (cutting off a
 * torn tail first), groups records into chunks, writes each chunk with one
 * write, and on close adds the index chunk and the trailer (log.h).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "alloc_private.h"
#include "error_private.h"
#include "log_file.h"
#include "varint.h"

/* The largest chunk_bytes accepted: far enough below FB__LOG_MAX_RAW that no record can pass it. */
#define FB__LOG_CHUNK_BYTES_MAX ((size_t)32 << 20)

struct fb_log_writer {
    const fb_allocator *alloc;
    fb_log_writer_options opt;
    fb__log_src file;        /* the open file (fd) and its name */
    fb__log_header fh;
    fb__chunk_enc *enc;
    fb__strbuf out;          /* the bytes of the next write */
    uint64_t pos;            /* the end of what has been written well: where the next write goes */
    uint64_t next_seq;       /* records in the file before the chunk being built */
    uint64_t appended;       /* records accepted by this writer */
    fb__log_entry *entries;  /* the data chunks in the file, for the index */
    size_t n_entries, cap_entries;
    bool index_ok;           /* the entries account for every sequence number */
    bool failed;             /* a write or sync failed: every call fails */
    struct timespec last_sync;
};

void fb_log_writer_options_init(fb_log_writer_options *opt)
{
    if (!opt)
        return;
    memset(opt, 0, sizeof *opt);
    opt->chunk_bytes = (size_t)1 << 20;
    opt->chunk_records = 65536;
    opt->level = FB_LOG_DEFAULT_LEVEL;
    opt->sync = FB_LOG_SYNC_ON_DEMAND;
    opt->sync_interval_ms = 1000;
}

static fb_status failed_error(const fb_log_writer *w, fb_error *err)
{
    return fb__error(err, FB_ERR_IO, "",
                     "%s: the writer stopped after an earlier write error; what was flushed "
                     "before it is intact",
                     w->file.name);
}

static fb_status add_entry(fb_log_writer *w, const fb__chunk_header *h, uint64_t offset)
{
    fb__log_entry *e;

    if (w->n_entries == w->cap_entries &&
        fb__grow(w->alloc, (void **)&w->entries, &w->cap_entries, w->n_entries + 1,
                 sizeof *w->entries) != 0)
        return FB_ERR_NOMEM;
    if (h->first_seq != (w->n_entries ? w->entries[w->n_entries - 1].first_seq +
                                            w->entries[w->n_entries - 1].count
                                      : 0))
        w->index_ok = false;
    e = &w->entries[w->n_entries++];
    e->offset = offset;
    e->first_seq = h->first_seq;
    e->count = h->count;
    e->min_time = h->min_time;
    e->max_time = h->max_time;
    return FB_OK;
}

/* Writes n bytes at w->pos with as many write calls as it takes. */
static fb_status write_at_end(fb_log_writer *w, const void *data, size_t n, fb_error *err)
{
    const uint8_t *p = data;
    size_t done = 0;
    char why[96];

    while (done < n) {
        ssize_t r = pwrite(w->file.fd, p + done, n - done, (off_t)(w->pos + done));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            int e = r < 0 ? errno : EIO;
            w->failed = true;
            /* Best effort: leave no partial chunk behind (a reader would report it as torn). */
            if (ftruncate(w->file.fd, (off_t)w->pos) != 0) {
                /* nothing more to do: readers and the next open cut the torn tail */
            }
            fb__error(err, FB_ERR_IO, "", "%s: write failed at offset %llu: %s", w->file.name,
                      (unsigned long long)(w->pos + done), fb__strerror(e, why, sizeof why));
            fb__error_at(err, 0, w->pos + done);
            return FB_ERR_IO;
        }
        done += (size_t)r;
    }
    w->pos += n;
    return FB_OK;
}

static fb_status do_fsync(fb_log_writer *w, fb_error *err)
{
    char why[96];
    int r;

    do {
        r = fsync(w->file.fd);
    } while (r != 0 && errno == EINTR);
    if (r != 0) {
        w->failed = true;
        return fb__error(err, FB_ERR_IO, "", "%s: fsync failed: %s", w->file.name,
                         fb__strerror(errno, why, sizeof why));
    }
    clock_gettime(CLOCK_MONOTONIC, &w->last_sync);
    return FB_OK;
}

static fb_status sync_after_chunk(fb_log_writer *w, fb_error *err)
{
    struct timespec now;
    uint64_t ms;

    if (w->opt.sync == FB_LOG_SYNC_CHUNK)
        return do_fsync(w, err);
    if (w->opt.sync != FB_LOG_SYNC_INTERVAL)
        return FB_OK;
    clock_gettime(CLOCK_MONOTONIC, &now);
    ms = (uint64_t)(now.tv_sec - w->last_sync.tv_sec) * 1000u +
         (uint64_t)((now.tv_nsec - w->last_sync.tv_nsec) / 1000000);
    if (now.tv_sec < w->last_sync.tv_sec || ms >= w->opt.sync_interval_ms)
        return do_fsync(w, err);
    return FB_OK;
}

/* Ends the chunk being built (if it holds records) and writes it. */
static fb_status end_chunk(fb_log_writer *w, fb_error *err)
{
    fb__chunk_header h;
    uint64_t offset = w->pos;
    fb_status st;

    if (fb__chunk_enc_count(w->enc) == 0)
        return FB_OK;
    fb__strbuf_reset(&w->out);
    st = fb__chunk_enc_finish(w->enc, w->fh.sync, w->next_seq, w->opt.level, &w->out, &h);
    if (st != FB_OK)
        return fb__error(err, st, "", "%s: cannot encode a chunk at offset %llu", w->file.name,
                         (unsigned long long)offset);
    if (add_entry(w, &h, offset) != FB_OK)
        return fb__error(err, FB_ERR_NOMEM, "", "out of memory");
    st = write_at_end(w, w->out.data, w->out.len, err);
    if (st != FB_OK) {
        w->n_entries--;
        return st;
    }
    w->next_seq += h.count;
    return sync_after_chunk(w, err);
}

/* ------------------------------------------------------------------ */
/* Open                                                                */
/* ------------------------------------------------------------------ */

static fb_status check_options(const fb_log_writer_options *o, fb_error *err)
{
    if (o->chunk_bytes > FB__LOG_CHUNK_BYTES_MAX)
        return fb__error(err, FB_ERR_INVALID_ARG, "chunk_bytes", "%zu exceeds the limit %zu",
                         o->chunk_bytes, FB__LOG_CHUNK_BYTES_MAX);
    if (o->chunk_records > FB__LOG_MAX_RECORDS)
        return fb__error(err, FB_ERR_INVALID_ARG, "chunk_records", "%lu exceeds the limit %lu",
                         (unsigned long)o->chunk_records, (unsigned long)FB__LOG_MAX_RECORDS);
    if (o->level < 0 || o->level > 9)
        return fb__error(err, FB_ERR_INVALID_ARG, "level", "%d is not a deflate level 0..9",
                         o->level);
    if (o->sync != FB_LOG_SYNC_ON_DEMAND && o->sync != FB_LOG_SYNC_CHUNK &&
        o->sync != FB_LOG_SYNC_INTERVAL)
        return fb__error(err, FB_ERR_INVALID_ARG, "sync", "%d is not an fb_log_sync value",
                         (int)o->sync);
    return FB_OK;
}

static void report_cut(fb_log_writer *w, const fb_log_damage *d)
{
    if (w->opt.on_cut)
        w->opt.on_cut(w->opt.on_cut_ctx, d);
}

static fb_status cut_to(fb_log_writer *w, uint64_t cut, fb_error *err)
{
    char why[96];

    if (cut == w->file.size)
        return FB_OK;
    if (ftruncate(w->file.fd, (off_t)cut) != 0)
        return fb__error(err, FB_ERR_IO, "", "%s: cannot cut the file at offset %llu: %s",
                         w->file.name, (unsigned long long)cut,
                         fb__strerror(errno, why, sizeof why));
    w->file.size = cut;
    return FB_OK;
}

/* Creates the file header of a new (or empty) file. */
static fb_status create_log(fb_log_writer *w, fb_error *err)
{
    fb__strbuf_reset(&w->out);
    FB__TRY(fb__log_header_build(&w->fh, &w->out, err));
    w->pos = 0;
    FB__TRY(write_at_end(w, w->out.data, w->out.len, err));
    w->file.size = w->pos;
    return FB_OK;
}

/* A file cut short inside its header, as a crash while creating it leaves one. */
static bool torn_header(fb__log_src *s)
{
    uint8_t b[FB__LOG_HEADER_FIXED];
    size_t got, n;

    if (fb__log_src_read(s, 0, b, sizeof b, &got, NULL) != FB_OK || got == 0)
        return false;
    n = got < FB__LOG_MAGIC_SIZE ? got : FB__LOG_MAGIC_SIZE;
    if (memcmp(b, FB__LOG_MAGIC, n) != 0)
        return false;
    if (got < FB__LOG_HEADER_FIXED)
        return true;
    return fb__load_u32(b + 28) <= FB__LOG_META_MAX &&
           s->size < (uint64_t)FB__LOG_HEADER_FIXED + fb__load_u32(b + 28) + 4;
}

/* One data chunk met while reopening. */
typedef struct found_chunk {
    fb__chunk_header h;
    uint64_t offset;
} found_chunk;

/*
 * Reopens an existing log: finds the end of the last intact data chunk,
 * reports and cuts what follows, and rebuilds the index entries.
 */
static fb_status reopen_log(fb_log_writer *w, fb_error *err)
{
    fb__log_walk walk;
    fb__log_item it;
    fb__strbuf scratch;
    found_chunk *found = NULL;
    size_t n_found = 0, cap_found = 0, i;
    uint64_t index_offset = 0, records = 0, end, cut;
    bool trailer_ok, index_ok;
    fb__log_entry *entries = NULL;
    size_t n_entries = 0;
    fb_status st;

    FB__TRY(fb__log_header_read(&w->file, &w->fh, err));
    FB__TRY(fb__log_trailer_read(&w->file, &w->fh, &trailer_ok, &index_offset, &records, err));
    if (trailer_ok) {
        FB__TRY(fb__log_index_read(&w->file, &w->fh, index_offset, records, &index_ok, &entries,
                                   &n_entries, err));
        if (index_ok) {
            /* A clean close: the index lists the chunks; cut the index and trailer. */
            fb__free(w->alloc, w->entries);
            w->entries = entries;
            w->n_entries = w->cap_entries = n_entries;
            w->next_seq = records;
            w->pos = index_offset;
            return cut_to(w, index_offset, err);
        }
    }
    end = trailer_ok ? w->file.size - FB__LOG_TRAILER_SIZE : w->file.size;

    /* Walk the chunk headers, collecting the data chunks. */
    fb__log_walk_init(&walk, &w->file, w->fh.sync, w->fh.size, end);
    while ((st = fb__log_walk_next(&walk, &it, err)) == FB_OK) {
        if (it.damage || fb__log_chunk_kind(&it.h) != FB__KIND_DATA)
            continue;
        if (n_found == cap_found &&
            fb__grow(w->alloc, (void **)&found, &cap_found, n_found + 1, sizeof *found) != 0) {
            fb__free(w->alloc, found);
            return fb__error(err, FB_ERR_NOMEM, "", "out of memory");
        }
        found[n_found].h = it.h;
        found[n_found].offset = it.offset;
        n_found++;
    }
    if (st != FB_DONE) {
        fb__free(w->alloc, found);
        return st;
    }
    st = FB_OK;

    /* The last data chunk whose payload verifies ends the part kept. */
    fb__strbuf_init(&scratch, w->alloc);
    while (n_found > 0) {
        const found_chunk *c = &found[n_found - 1];
        const uint8_t *p;
        st = fb__log_src_view(&w->file, c->offset + FB__LOG_CHUNK_HEADER,
                              (size_t)c->h.payload_len + 4, &scratch, &p, err);
        if (st != FB_OK)
            break;
        if (fb__log_payload_ok(p, c->h.payload_len))
            break;
        n_found--;
    }
    fb__strbuf_free(&scratch);
    if (st != FB_OK) {
        fb__free(w->alloc, found);
        return st;
    }
    cut = n_found ? found[n_found - 1].offset + FB__LOG_CHUNK_OVERHEAD +
                        found[n_found - 1].h.payload_len
                  : w->fh.size;
    w->next_seq = n_found ? found[n_found - 1].h.first_seq + found[n_found - 1].h.count : 0;
    for (i = 0; i < n_found && st == FB_OK; i++)
        if (add_entry(w, &found[i].h, found[i].offset) != FB_OK)
            st = fb__error(err, FB_ERR_NOMEM, "", "out of memory");
    fb__free(w->alloc, found);
    FB__TRY(st);

    /* Report what is cut, then cut it. */
    fb__log_walk_init(&walk, &w->file, w->fh.sync, cut, end);
    while ((st = fb__log_walk_next(&walk, &it, err)) == FB_OK) {
        if (!it.damage) {
            switch (fb__log_chunk_kind(&it.h)) {
            case FB__KIND_INDEX:
                continue;
            case FB__KIND_DATA:
                fb__log_item_damage(&it, FB_ERR_CORRUPT, it.h.count,
                                    "chunk payload checksum mismatch: %lu records cut",
                                    (unsigned long)it.h.count);
                break;
            default:
                fb__log_item_damage(&it, FB_ERR_VERSION, it.h.count,
                                    "chunk of unknown type 0x%02x cut: %llu bytes",
                                    (unsigned)it.h.type, (unsigned long long)it.bytes);
                break;
            }
        }
        report_cut(w, &it.d);
    }
    if (st != FB_DONE)
        return st;
    w->pos = cut;
    return cut_to(w, cut, err);
}

fb_status fb_log_writer_open(fb_log_writer **out, const char *path,
                             const fb_log_writer_options *opt, fb_error *err)
{
    fb_log_writer_options defaults;
    fb_log_writer *w;
    fb_status st;

    if (!out || !path || !*path) {
        if (out)
            *out = NULL;
        return fb__error(err, FB_ERR_INVALID_ARG, "", "fb_log_writer_open: %s is NULL or empty",
                         out ? "path" : "out");
    }
    *out = NULL;
    if (!opt) {
        fb_log_writer_options_init(&defaults);
        opt = &defaults;
    }
    FB__TRY(check_options(opt, err));
    w = fb__calloc(fb__alloc_or_default(opt->alloc), sizeof *w);
    if (!w)
        return fb__error(err, FB_ERR_NOMEM, "", "out of memory");
    w->alloc = fb__alloc_or_default(opt->alloc);
    w->opt = *opt;
    if (w->opt.chunk_bytes == 0)
        w->opt.chunk_bytes = (size_t)1 << 20;
    if (w->opt.chunk_records == 0)
        w->opt.chunk_records = 65536;
    w->index_ok = true;
    w->file.fd = -1;
    fb__strbuf_init(&w->out, w->alloc);
    clock_gettime(CLOCK_MONOTONIC, &w->last_sync);

    st = fb__chunk_enc_new(w->alloc, &w->enc);
    if (st != FB_OK) {
        fb__error(err, st, "", "out of memory");
        goto fail;
    }
    st = fb__log_src_open(&w->file, w->alloc, path, O_RDWR | O_CREAT, err);
    if (st != FB_OK)
        goto fail;
    if (w->file.size > 0 && torn_header(&w->file)) {
        fb_log_damage d;
        memset(&d, 0, sizeof d);
        d.bytes = w->file.size;
        d.records = 0;
        d.reason = FB_ERR_CORRUPT;
        snprintf(d.message, sizeof d.message, "torn file header: %llu bytes",
                 (unsigned long long)w->file.size);
        report_cut(w, &d);
        st = cut_to(w, 0, err);
        if (st != FB_OK)
            goto fail;
    }
    st = w->file.size == 0 ? create_log(w, err) : reopen_log(w, err);
    if (st != FB_OK)
        goto fail;
    *out = w;
    return FB_OK;
fail:
    w->failed = true;
    fb_log_writer_close(w, NULL);
    return st;
}

/* ------------------------------------------------------------------ */
/* Appending                                                           */
/* ------------------------------------------------------------------ */

static fb_status add_record(fb_log_writer *w, const fb_record *r, fb_error *err)
{
    if (fb__chunk_enc_add(w->enc, r) != FB_OK)
        return fb__error(err, FB_ERR_NOMEM, "", "out of memory adding a record");
    w->appended++;
    if (fb__chunk_enc_raw_size(w->enc) >= w->opt.chunk_bytes ||
        fb__chunk_enc_count(w->enc) >= w->opt.chunk_records)
        return end_chunk(w, err);
    return FB_OK;
}

fb_status fb_log_writer_append(fb_log_writer *w, const fb_record *r, fb_error *err)
{
    if (!w || !r)
        return fb__error(err, FB_ERR_INVALID_ARG, "", "fb_log_writer_append: %s is NULL",
                         w ? "r" : "w");
    if (w->failed)
        return failed_error(w, err);
    FB__TRY(fb_record_validate(r, err));
    return add_record(w, r, err);
}

fb_status fb_log_writer_append_batch(fb_log_writer *w, const fb_record *records, size_t n,
                                     fb_error *err)
{
    size_t i;

    if (!w || (!records && n > 0))
        return fb__error(err, FB_ERR_INVALID_ARG, "", "fb_log_writer_append_batch: %s is NULL",
                         w ? "records" : "w");
    if (w->failed)
        return failed_error(w, err);
    for (i = 0; i < n; i++) {
        fb_error e;
        fb_status st = fb_record_validate(&records[i], &e);
        if (st != FB_OK) {
            char field[FB_ERROR_FIELD_MAX + 32];
            const char *msg = e.message;
            size_t flen = strlen(e.field);
            if (flen && strncmp(msg, e.field, flen) == 0 && strncmp(msg + flen, ": ", 2) == 0)
                msg += flen + 2;
            snprintf(field, sizeof field, "records[%lu]%s%s", (unsigned long)i,
                     flen ? "." : "", e.field);
            return fb__error(err, st, field, "%s", msg);
        }
    }
    for (i = 0; i < n; i++)
        FB__TRY(add_record(w, &records[i], err));
    return FB_OK;
}

fb_status fb_log_writer_flush(fb_log_writer *w, fb_error *err)
{
    if (!w)
        return fb__error(err, FB_ERR_INVALID_ARG, "", "fb_log_writer_flush: w is NULL");
    if (w->failed)
        return failed_error(w, err);
    return end_chunk(w, err);
}

fb_status fb_log_writer_sync(fb_log_writer *w, fb_error *err)
{
    if (!w)
        return fb__error(err, FB_ERR_INVALID_ARG, "", "fb_log_writer_sync: w is NULL");
    if (w->failed)
        return failed_error(w, err);
    FB__TRY(end_chunk(w, err));
    return do_fsync(w, err);
}

uint64_t fb_log_writer_records(const fb_log_writer *w) { return w ? w->appended : 0; }

fb_status fb__log_writer_append_raw_chunk(struct fb_log_writer *w, const fb__chunk_header *h_in,
                                          const void *payload, uint32_t payload_len,
                                          fb_error *err)
{
    fb__chunk_header h = *h_in;
    uint8_t head[FB__LOG_CHUNK_HEADER], crc[4];
    uint64_t offset;
    fb_status st;

    if (w->failed)
        return failed_error(w, err);
    FB__TRY(end_chunk(w, err));
    h.first_seq = w->next_seq;
    h.payload_len = payload_len;
    fb__chunk_header_write(head, w->fh.sync, &h);
    {
        uLong c = crc32(0L, Z_NULL, 0);
        c = crc32(c, payload, payload_len);
        fb__store_u32(crc, (uint32_t)c);
    }
    fb__strbuf_reset(&w->out);
    if (fb__strbuf_append(&w->out, (const char *)head, sizeof head) != 0 ||
        fb__strbuf_append(&w->out, payload, payload_len) != 0 ||
        fb__strbuf_append(&w->out, (const char *)crc, sizeof crc) != 0)
        return fb__error(err, FB_ERR_NOMEM, "", "out of memory");
    offset = w->pos;
    FB__TRY(write_at_end(w, w->out.data, w->out.len, err));
    if (h.type == FB__LOG_CHUNK_DATA) {
        st = add_entry(w, &h, offset);
        if (st != FB_OK)
            return fb__error(err, st, "", "out of memory");
        w->next_seq += h.count;
    }
    return FB_OK;
}

/* ------------------------------------------------------------------ */
/* Close                                                               */
/* ------------------------------------------------------------------ */

/* Writes the index chunk and the trailer in one write. */
static fb_status write_index(fb_log_writer *w, fb_error *err)
{
    uint8_t trailer[FB__LOG_TRAILER_SIZE];
    uint64_t index_offset = w->pos;
    fb_status st;

    if (!w->index_ok)
        return FB_OK; /* records were lost in the middle: sequence numbers have gaps */
    fb__strbuf_reset(&w->out);
    st = fb__log_index_build(w->entries, w->n_entries, w->next_seq, w->fh.sync, &w->out);
    if (st == FB_ERR_TOO_LONG)
        return FB_OK; /* too many chunks for one index: readers walk the headers */
    if (st != FB_OK)
        return fb__error(err, st, "", "out of memory building the index");
    fb__log_trailer_write(trailer, w->fh.sync, index_offset, w->next_seq);
    if (fb__strbuf_append(&w->out, (const char *)trailer, sizeof trailer) != 0)
        return fb__error(err, FB_ERR_NOMEM, "", "out of memory building the index");
    return write_at_end(w, w->out.data, w->out.len, err);
}

fb_status fb_log_writer_close(fb_log_writer *w, fb_error *err)
{
    fb_status st = FB_OK;
    char why[96];

    if (!w)
        return FB_OK;
    if (w->file.fd >= 0) {
        if (w->failed) {
            st = failed_error(w, err);
        } else {
            st = end_chunk(w, err);
            if (st == FB_OK)
                st = write_index(w, err);
            if (st == FB_OK)
                st = do_fsync(w, err);
        }
        if (close(w->file.fd) != 0 && st == FB_OK)
            st = fb__error(err, FB_ERR_IO, "", "%s: close failed: %s", w->file.name,
                           fb__strerror(errno, why, sizeof why));
        w->file.fd = -1;
    }
    fb__chunk_enc_free(w->enc);
    fb__strbuf_free(&w->out);
    fb__free(w->alloc, w->entries);
    fb__free(w->alloc, w);
    return st;
}
