/*
 * The log reader: walks the chunks of a log (or of a byte range of it),
 * decodes the data chunks through the chunk codec, reports every damaged
 * region, and seeks by time or sequence number (log.h).
 */
#define _POSIX_C_SOURCE 200809L

#include <fcntl.h>
#include <string.h>

#include "alloc_private.h"
#include "error_private.h"
#include "log_file.h"

enum { INDEX_UNKNOWN = 0, INDEX_OK = 1, INDEX_NONE = -1 };

struct fb_log_reader {
    const fb_allocator *alloc;
    fb_log_reader_options opt;
    uint32_t fields;
    fb__log_src src;
    fb__log_header fh;
    fb__log_walk walk;
    uint64_t first;          /* where this reader's first chunk starts */
    uint64_t data_end;       /* the end of the chunks: the file size, or the trailer's start */
    uint64_t range_end;      /* chunks starting at or after this are not read (UINT64_MAX: none) */
    bool trailer_ok;
    uint64_t index_offset, trailer_records;
    int index_state;
    fb__log_entry *index;
    size_t n_index;
    fb__chunk_dec *dec;
    fb__strbuf scratch;      /* a whole payload, for reads of every field */
    /* The chunk being returned. */
    fb_record rec;           /* the record last returned: defaults outside r->fields */
    uint32_t cur, n;
    bool filter;             /* some of its records may be skipped (time range, floor, seek) */
    uint64_t first_seq;
    fb_time floor;           /* skip its records before this (after seek_time), or FB_TIME_UNKNOWN */
    /* Set by seeks. */
    fb_time pending_floor;   /* the floor of the next data chunk loaded */
    uint64_t skip_seq;       /* skip records with smaller sequence numbers */
    uint64_t last_seq;
    fb_log_stats stats;
    fb_status final;         /* FB_ERR_IO or FB_ERR_NOMEM once met: every call returns it */
    fb_error final_err;
};

void fb_log_reader_options_init(fb_log_reader_options *opt)
{
    if (!opt)
        return;
    memset(opt, 0, sizeof *opt);
    opt->fields = FB_LOG_FIELD_ALL;
    opt->time_from = FB_TIME_UNKNOWN;
    opt->time_to = FB_TIME_UNKNOWN;
    opt->recovery = FB_LOG_TOLERATE;
}

static fb_status check_options(const fb_log_reader_options *o, fb_error *err)
{
    if (o->recovery != FB_LOG_TOLERATE && o->recovery != FB_LOG_STRICT)
        return fb__error(err, FB_ERR_INVALID_ARG, "recovery", "%d is not an fb_log_recovery value",
                         (int)o->recovery);
    return FB_OK;
}

/*
 * Opens a reader over src (already initialised): checks the file header,
 * finds the trailer, and positions the reader at the first chunk that
 * starts in [start, end).
 */
static fb_status open_common(fb_log_reader **out, fb__log_src *src, uint64_t start, uint64_t end,
                             const fb_log_reader_options *opt, fb_error *err)
{
    fb_log_reader_options defaults;
    fb_log_reader *r;
    fb_status st;

    if (!opt) {
        fb_log_reader_options_init(&defaults);
        opt = &defaults;
    }
    r = fb__calloc(src->alloc, sizeof *r);
    if (!r) {
        fb__log_src_close(src);
        return fb__error(err, FB_ERR_NOMEM, "", "out of memory");
    }
    r->alloc = src->alloc;
    r->opt = *opt;
    r->src = *src;
    r->fields = (opt->fields ? opt->fields : FB_LOG_FIELD_ALL) & FB_LOG_FIELD_ALL;
    r->fields |= FB_LOG_FIELD_CREATED_AT;
    fb__strbuf_init(&r->scratch, r->alloc);
    fb_record_init(&r->rec);
    r->floor = r->pending_floor = FB_TIME_UNKNOWN;
    r->last_seq = UINT64_MAX;
    r->range_end = end;

    st = fb__log_header_read(&r->src, &r->fh, err);
    if (st == FB_OK)
        st = fb__log_trailer_read(&r->src, &r->fh, &r->trailer_ok, &r->index_offset,
                                  &r->trailer_records, err);
    if (st == FB_OK) {
        r->data_end = r->trailer_ok ? r->src.size - FB__LOG_TRAILER_SIZE : r->src.size;
        if (start <= r->fh.size)
            r->first = r->fh.size;
        else
            st = fb__log_find_chunk(&r->src, r->fh.sync, start, r->data_end, &r->first, err);
    }
    if (st == FB_OK && fb__chunk_dec_new(r->alloc, &r->dec) != FB_OK)
        st = fb__error(err, FB_ERR_NOMEM, "", "out of memory");
    if (st != FB_OK) {
        fb_log_reader_close(r);
        return st;
    }
    fb__log_walk_init(&r->walk, &r->src, r->fh.sync, r->first, r->data_end);
    r->walk.stop = end;
    fb__log_walk_seek(&r->walk, r->first);
    *out = r;
    return FB_OK;
}

static fb_status open_path(fb_log_reader **out, const char *path, uint64_t start, uint64_t end,
                           const fb_log_reader_options *opt, fb_error *err)
{
    fb__log_src src;

    if (!out || !path || !*path) {
        if (out)
            *out = NULL;
        return fb__error(err, FB_ERR_INVALID_ARG, "", "fb_log_reader_open: %s is NULL or empty",
                         out ? "path" : "out");
    }
    *out = NULL;
    if (opt)
        FB__TRY(check_options(opt, err));
    FB__TRY(fb__log_src_open(&src, opt ? opt->alloc : NULL, path, O_RDONLY, err));
    return open_common(out, &src, start, end, opt, err);
}

fb_status fb_log_reader_open(fb_log_reader **out, const char *path,
                             const fb_log_reader_options *opt, fb_error *err)
{
    return open_path(out, path, 0, UINT64_MAX, opt, err);
}

fb_status fb_log_reader_open_range(fb_log_reader **out, const char *path, uint64_t start,
                                   uint64_t end, const fb_log_reader_options *opt, fb_error *err)
{
    if (start > end) {
        if (out)
            *out = NULL;
        return fb__error(err, FB_ERR_INVALID_ARG, "", "range start %llu lies after its end %llu",
                         (unsigned long long)start, (unsigned long long)end);
    }
    return open_path(out, path, start, end, opt, err);
}

fb_status fb_log_reader_open_memory(fb_log_reader **out, const void *data, size_t len,
                                    const fb_log_reader_options *opt, fb_error *err)
{
    fb__log_src src;

    if (!out || (!data && len > 0)) {
        if (out)
            *out = NULL;
        return fb__error(err, FB_ERR_INVALID_ARG, "", "fb_log_reader_open_memory: %s is NULL",
                         out ? "data" : "out");
    }
    *out = NULL;
    if (opt)
        FB__TRY(check_options(opt, err));
    fb__log_src_memory(&src, opt ? opt->alloc : NULL, data, len);
    return open_common(out, &src, 0, UINT64_MAX, opt, err);
}

void fb_log_reader_close(fb_log_reader *r)
{
    if (!r)
        return;
    fb__log_src_close(&r->src);
    fb__chunk_dec_free(r->dec);
    fb__strbuf_free(&r->scratch);
    fb__free(r->alloc, r->index);
    fb__free(r->alloc, r);
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */
/* ------------------------------------------------------------------ */

static fb_status fail(fb_log_reader *r, fb_status st, fb_error *err)
{
    r->final = st;
    if (err)
        r->final_err = *err;
    else
        fb__error(&r->final_err, st, "", "%s: %s", r->src.name, fb_status_str(st));
    return st;
}

static fb_status report(fb_log_reader *r, const fb_log_damage *d, fb_error *err)
{
    r->stats.damaged_regions++;
    r->stats.damaged_bytes += d->bytes;
    if (d->records > 0)
        r->stats.records_lost += (uint64_t)d->records;
    if (r->opt.on_damage)
        r->opt.on_damage(r->opt.on_damage_ctx, d);
    if (r->opt.recovery != FB_LOG_STRICT)
        return FB_OK;
    fb__error(err, FB_ERR_CORRUPT, "", "%s: damage at offset %llu (%llu bytes): %s", r->src.name,
              (unsigned long long)d->offset, (unsigned long long)d->bytes, d->message);
    fb__error_at(err, 0, d->offset);
    return FB_ERR_CORRUPT;
}

static bool outside_time(const fb_log_reader *r, int64_t min_time, int64_t max_time)
{
    return (r->opt.time_from != FB_TIME_UNKNOWN && max_time < r->opt.time_from) ||
           (r->opt.time_to != FB_TIME_UNKNOWN && min_time >= r->opt.time_to);
}

/* Loads the data chunk of it, or turns it into damage. */
static fb_status load_chunk(fb_log_reader *r, fb__log_item *it, fb_error *err)
{
    fb__log_payload payload;
    fb_error e;
    fb_status st;

    fb__log_payload_init(&payload, &r->src, it->offset);
    if ((r->fields & FB_LOG_FIELD_ALL) == FB_LOG_FIELD_ALL) {
        /* Every column is read anyway: read the payload whole and check its own CRC too, so
         * that a full read finds intact exactly what fb_log_info_read and appending do. */
        const uint8_t *p;
        st = fb__log_src_view(&r->src, payload.base, (size_t)it->h.payload_len + 4, &r->scratch,
                              &p, err);
        if (st != FB_OK)
            return st;
        if (!fb__log_payload_ok(p, it->h.payload_len)) {
            fb__log_item_damage(it, FB_ERR_CORRUPT, it->h.count, "chunk payload checksum mismatch");
            return FB_OK;
        }
        payload.ps.mem = p;
    }
    fb_error_clear(&e);
    st = fb__chunk_dec_load(r->dec, &it->h, &payload.ps, r->fields, &e);
    if (st == FB_ERR_NOMEM)
        return fb__error(err, st, "", "%s: out of memory decoding the chunk at offset %llu",
                         r->src.name, (unsigned long long)it->offset);
    if (st == FB_ERR_IO) {
        if (err)
            *err = e;
        return st;
    }
    if (st != FB_OK) {
        fb__log_item_damage(it, st == FB_ERR_VERSION ? FB_ERR_VERSION : FB_ERR_CORRUPT,
                            it->h.count, "%s", e.message[0] ? e.message : fb_status_str(st));
        return FB_OK;
    }
    r->stats.chunks++;
    r->stats.bytes_stored += it->h.payload_len;
    r->stats.bytes_raw += it->h.raw_len;
    r->cur = 0;
    r->n = fb__chunk_dec_count(r->dec);
    r->first_seq = it->h.first_seq;
    r->floor = r->pending_floor;
    r->pending_floor = FB_TIME_UNKNOWN;
    /* Most chunks lie wholly inside the options' time range and after any seek. */
    r->filter = r->skip_seq > r->first_seq || r->floor != FB_TIME_UNKNOWN ||
                (r->opt.time_from != FB_TIME_UNKNOWN && it->h.min_time < r->opt.time_from) ||
                (r->opt.time_to != FB_TIME_UNKNOWN && it->h.max_time >= r->opt.time_to);
    return FB_OK;
}

/* Whether record i of the loaded chunk is one to return (the time range, a seek). */
static bool wanted(const fb_log_reader *r, uint32_t i)
{
    fb_time t;
    if (!r->filter)
        return true;
    t = fb__chunk_dec_created_at(r->dec, i);
    return r->first_seq + i >= r->skip_seq && !outside_time(r, t, t) &&
           (r->floor == FB_TIME_UNKNOWN || t >= r->floor);
}

/*
 * Moves to the next record to return, loading chunks (and reporting damage)
 * as needed: FB_OK with r->cur < r->n, FB_DONE, or an error.
 */
static fb_status advance(fb_log_reader *r, fb_error *err)
{
    fb__log_item it;
    fb_status st;

    if (r->final != FB_OK) {
        if (err)
            *err = r->final_err;
        return r->final;
    }
    for (;;) {
        while (r->cur < r->n && !wanted(r, r->cur))
            r->cur++;
        if (r->cur < r->n)
            return FB_OK;
        r->cur = r->n = 0;
        r->floor = FB_TIME_UNKNOWN;
        st = fb__log_walk_next(&r->walk, &it, err);
        if (st == FB_DONE)
            return FB_DONE;
        if (st != FB_OK)
            return fail(r, st, err);
        if (fb__log_item_passes_over(&it))
            continue;
        if (!it.damage) { /* a data chunk */
            if (outside_time(r, it.h.min_time, it.h.max_time)) {
                r->stats.chunks_skipped++;
                continue;
            }
            if (r->skip_seq > 0 && it.h.first_seq + it.h.count <= r->skip_seq)
                continue;
            st = load_chunk(r, &it, err);
            if (st != FB_OK)
                return fail(r, st, err);
            if (!it.damage)
                continue;
        }
        st = report(r, &it.d, err);
        if (st != FB_OK)
            return st;
    }
}

fb_status fb_log_reader_next(fb_log_reader *r, const fb_record **rec, fb_error *err)
{
    fb_status st;
    uint32_t i;

    if (!r || !rec)
        return fb__error(err, FB_ERR_INVALID_ARG, "", "fb_log_reader_next: %s is NULL",
                         r ? "rec" : "r");
    *rec = NULL;
    /* The common case first: the loaded chunk's next record, wanted. */
    if (!(r->cur < r->n && !r->filter)) {
        st = advance(r, err);
        if (st != FB_OK)
            return st;
    }
    i = r->cur++;
    r->last_seq = r->first_seq + i;
    r->stats.records++;
    fb__chunk_dec_fill(r->dec, i, &r->rec);
    *rec = &r->rec;
    return FB_OK;
}

fb_status fb_log_reader_next_batch(fb_log_reader *r, fb_record_batch *batch, fb_error *err)
{
    uint32_t from, to;
    fb_status st;

    if (!r || !batch)
        return fb__error(err, FB_ERR_INVALID_ARG, "", "fb_log_reader_next_batch: %s is NULL",
                         r ? "batch" : "r");
    memset(batch, 0, sizeof *batch);
    st = advance(r, err);
    if (st != FB_OK)
        return st;
    from = r->cur;
    for (to = from + 1; to < r->n && wanted(r, to); to++)
        ;
    fb__chunk_dec_batch(r->dec, from, to - from, batch);
    batch->first_seq = r->first_seq + from;
    r->cur = to;
    r->last_seq = r->first_seq + to - 1;
    r->stats.records += to - from;
    return FB_OK;
}

/* ------------------------------------------------------------------ */
/* Seeking                                                             */
/* ------------------------------------------------------------------ */

typedef struct seek_goal {
    bool by_time;
    fb_time t;
    uint64_t seq;
} seek_goal;

static bool chunk_reaches(const seek_goal *g, uint64_t first_seq, uint32_t count, int64_t max_time)
{
    if (g->by_time)
        return g->t == FB_TIME_UNKNOWN || max_time >= g->t;
    return first_seq + count > g->seq;
}

static fb_status load_index(fb_log_reader *r, fb_error *err)
{
    bool ok = false;

    if (r->index_state != INDEX_UNKNOWN)
        return FB_OK;
    r->index_state = INDEX_NONE;
    if (!r->trailer_ok)
        return FB_OK;
    FB__TRY(fb__log_index_read(&r->src, &r->fh, r->index_offset, r->trailer_records, &ok,
                               &r->index, &r->n_index, err));
    if (ok)
        r->index_state = INDEX_OK;
    return FB_OK;
}

/* Finds the chunk to seek to through the index; *found false when the index cannot say. */
static fb_status seek_by_index(fb_log_reader *r, const seek_goal *g, bool *found, uint64_t *pos,
                               fb_error *err)
{
    uint8_t buf[FB__LOG_CHUNK_HEADER];
    fb__chunk_header h;
    size_t i, got;

    *found = false;
    FB__TRY(load_index(r, err));
    if (r->index_state != INDEX_OK)
        return FB_OK;
    for (i = 0; i < r->n_index; i++) {
        const fb__log_entry *e = &r->index[i];
        if (e->offset < r->first || e->offset >= r->range_end)
            continue;
        if (chunk_reaches(g, e->first_seq, e->count, e->max_time))
            break;
    }
    if (i == r->n_index) {
        *found = true;
        *pos = r->data_end;
        return FB_OK;
    }
    /* The entry must point at a data chunk header that verifies and agrees. */
    FB__TRY(fb__log_src_read(&r->src, r->index[i].offset, buf, sizeof buf, &got, err));
    if (got < sizeof buf || fb__chunk_header_read(buf, r->fh.sync, &h, NULL) != FB_OK ||
        h.type != FB__LOG_CHUNK_DATA || h.first_seq != r->index[i].first_seq ||
        h.count != r->index[i].count || h.min_time != r->index[i].min_time ||
        h.max_time != r->index[i].max_time) {
        r->index_state = INDEX_NONE;
        return FB_OK;
    }
    *found = true;
    *pos = r->index[i].offset;
    return FB_OK;
}

/* Finds the chunk to seek to by walking the chunk headers (without reporting damage). */
static fb_status seek_by_walk(fb_log_reader *r, const seek_goal *g, uint64_t *pos, fb_error *err)
{
    fb__log_walk w;
    fb__log_item it;
    fb_status st;

    fb__log_walk_init(&w, &r->src, r->fh.sync, r->first, r->data_end);
    w.stop = r->range_end;
    fb__log_walk_seek(&w, r->first);
    while ((st = fb__log_walk_next(&w, &it, err)) == FB_OK) {
        if (!it.damage && fb__log_chunk_kind(&it.h) == FB__KIND_DATA &&
            chunk_reaches(g, it.h.first_seq, it.h.count, it.h.max_time)) {
            *pos = it.offset;
            return FB_OK;
        }
    }
    if (st != FB_DONE)
        return st;
    *pos = r->data_end;
    return FB_OK;
}

static fb_status seek(fb_log_reader *r, const seek_goal *g, fb_error *err)
{
    uint64_t pos = 0;
    bool found;
    fb_status st;

    if (r->final != FB_OK) {
        if (err)
            *err = r->final_err;
        return r->final;
    }
    if (g->by_time && g->t == FB_TIME_UNKNOWN) {
        pos = r->first; /* back to the start */
        st = FB_OK;
        found = true;
    } else {
        st = seek_by_index(r, g, &found, &pos, err);
    }
    if (st == FB_OK && !found)
        st = seek_by_walk(r, g, &pos, err);
    if (st != FB_OK)
        return fail(r, st, err);
    fb__log_walk_seek(&r->walk, pos);
    r->cur = r->n = 0;
    r->floor = FB_TIME_UNKNOWN;
    r->pending_floor = g->by_time ? g->t : FB_TIME_UNKNOWN;
    r->skip_seq = g->by_time ? 0 : g->seq;
    return FB_OK;
}

fb_status fb_log_reader_seek_time(fb_log_reader *r, fb_time t, fb_error *err)
{
    seek_goal g;

    if (!r)
        return fb__error(err, FB_ERR_INVALID_ARG, "", "fb_log_reader_seek_time: r is NULL");
    memset(&g, 0, sizeof g);
    g.by_time = true;
    g.t = t;
    return seek(r, &g, err);
}

fb_status fb_log_reader_seek_seq(fb_log_reader *r, uint64_t seq, fb_error *err)
{
    seek_goal g;

    if (!r)
        return fb__error(err, FB_ERR_INVALID_ARG, "", "fb_log_reader_seek_seq: r is NULL");
    memset(&g, 0, sizeof g);
    g.seq = seq;
    return seek(r, &g, err);
}

uint64_t fb_log_reader_seq(const fb_log_reader *r) { return r ? r->last_seq : UINT64_MAX; }

void fb_log_reader_stats(const fb_log_reader *r, fb_log_stats *stats)
{
    if (!stats)
        return;
    if (!r)
        memset(stats, 0, sizeof *stats);
    else
        *stats = r->stats;
}
