/* Readers of any file of records, and writers of logs, CSV and JSON Lines. */
#define _POSIX_C_SOURCE 200809L /* stat */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fbb.h"

static fb_status closed_error(fb_error *err, const char *what)
{
    return fbb_fail(err, FB_ERR_INVALID_ARG, "the %s is closed", what);
}

static fb_status nomem(fb_error *err) { return fbb_fail(err, FB_ERR_NOMEM, "out of memory"); }

/* ---------------------------------------------------------------- reading */

static void on_damage(void *ctx, const fb_log_damage *d)
{
    fbb_reader *r = ctx;

    if (r->n_damage < FBB_MAX_DAMAGE)
        r->damage[r->n_damage++] = *d;
    r->damaged_regions++;
}

static void on_bad_row(void *ctx, const fb_error *e)
{
    fbb_reader *r = ctx;

    if (r->n_bad < FBB_MAX_DAMAGE)
        r->bad[r->n_bad++] = *e;
}

static fbb_reader *reader_new(fb_time from, fb_time to, fb_error *err)
{
    fbb_reader *r = calloc(1, sizeof *r);

    if (r) {
        r->damage = calloc(FBB_MAX_DAMAGE, sizeof *r->damage);
        r->bad = calloc(FBB_MAX_DAMAGE, sizeof *r->bad);
    }
    if (!r || !r->damage || !r->bad) {
        fbb_reader_free(r);
        nomem(err);
        return NULL;
    }
    r->from = from;
    r->to = to;
    return r;
}

static void log_options(fbb_reader *r, fb_log_reader_options *o, unsigned fields, bool strict)
{
    fb_log_reader_options_init(o);
    o->fields = fields;
    o->time_from = r->from;
    o->time_to = r->to;
    o->recovery = strict ? FB_LOG_STRICT : FB_LOG_TOLERATE;
    o->on_damage = on_damage;
    o->on_damage_ctx = r;
}

/* What fbb_reader_open_part needs of a log: its path, its size now, the options. */
static int remember_log(fbb_reader *r, const char *path, unsigned fields, bool strict)
{
    struct stat st;

    r->path = malloc(strlen(path) + 1);
    if (!r->path)
        return -1;
    strcpy(r->path, path);
    r->size = UINT64_MAX;
    if (stat(path, &st) == 0) {
        r->size = (uint64_t)st.st_size;
        r->file_id[0] = (uint64_t)st.st_dev;
        r->file_id[1] = (uint64_t)st.st_ino;
    }
    r->fields = fields;
    r->strict = strict;
    return 0;
}

fbb_reader *fbb_reader_open(const char *path, const char *format, unsigned fields,
                            fb_time from, fb_time to, bool skip_bad, bool strict, fb_error *err)
{
    fb_format f = FB_FORMAT_AUTO;
    fbb_reader *r;
    fb_status st;

    bool log_only = format && strcmp(format, "log") == 0;

    if (format && !log_only && fb_format_parse(format, &f, err) != FB_OK)
        return NULL;
    r = reader_new(from, to, err);
    if (!r)
        return NULL;
    st = FB_ERR_FORMAT;
    if (f == FB_FORMAT_AUTO) {
        fb_log_reader_options o;
        fb_error log_err;
        log_options(r, &o, fields, strict);
        st = fb_log_reader_open(&r->log, path, &o, &log_err);
        if (st != FB_OK && (st != FB_ERR_FORMAT || log_only) && err)
            *err = log_err;
    }
    if (st == FB_ERR_FORMAT && !log_only) { /* not a log: text */
        fb_io_reader_options o;
        fb_io_reader_options_init(&o);
        o.format = f;
        o.on_error = skip_bad ? FB_ON_ERROR_SKIP : FB_ON_ERROR_STOP;
        o.on_bad_row = on_bad_row;
        o.on_bad_row_ctx = r;
        st = fb_io_reader_open(&r->text, path, &o, err);
    }
    if (st == FB_OK && r->log && remember_log(r, path, fields, strict) != 0)
        st = nomem(err);
    if (st != FB_OK) {
        fbb_reader_free(r);
        return NULL;
    }
    return r;
}

/* A log of known size, open, and not read from yet. */
static bool unread_log(const fbb_reader *r)
{
    return r->log && r->path && !r->started && !r->closed && r->size != UINT64_MAX;
}

bool fbb_reader_can_split(const fbb_reader *r)
{
    struct stat st;

    /* The parts open the path again: it must still name the file r reads. */
    return unread_log(r) && stat(r->path, &st) == 0 && (uint64_t)st.st_dev == r->file_id[0] &&
           (uint64_t)st.st_ino == r->file_id[1];
}

fbb_reader *fbb_reader_open_part(const fbb_reader *r, uint64_t start, uint64_t end,
                                 fb_error *err)
{
    fb_log_reader_options o;
    fbb_reader *part;

    if (!unread_log(r)) { /* whether the path still names it, the caller asked once */
        fbb_fail(err, FB_ERR_INVALID_ARG, "the reader is not a log read from its start");
        return NULL;
    }
    part = reader_new(r->from, r->to, err);
    if (!part)
        return NULL;
    log_options(part, &o, r->fields, r->strict);
    if (fb_log_reader_open_range(&part->log, r->path, start, end, &o, err) != FB_OK) {
        fbb_reader_free(part);
        return NULL;
    }
    return part;
}

void fbb_reader_absorb(fbb_reader *r, const fbb_reader *part)
{
    size_t i;

    for (i = 0; i < part->n_damage && r->n_damage < FBB_MAX_DAMAGE; i++)
        r->damage[r->n_damage++] = part->damage[i];
    r->damaged_regions += part->damaged_regions;
    r->records += part->records;
    r->started = true;
    r->drained = true;
}

static bool in_range(const fbb_reader *r, fb_time t)
{
    return (r->from == FB_TIME_UNKNOWN || t >= r->from) && (r->to == FB_TIME_UNKNOWN || t < r->to);
}

fb_status fbb_reader_next(fbb_reader *r, const fb_record **rec, fb_error *err)
{
    fb_status st;

    *rec = NULL;
    if (r->closed)
        return closed_error(err, "reader");
    r->started = true;
    if (r->drained) {
        st = FB_DONE;
    } else if (r->log) {
        st = fb_log_reader_next(r->log, rec, err);
    } else {
        do
            st = fb_io_reader_next(r->text, rec, err);
        while (st == FB_OK && !in_range(r, (*rec)->created_at));
    }
    if (st == FB_OK) {
        r->records++;
        return FB_OK;
    }
    *rec = NULL;
    return st == FB_DONE ? FB_OK : st;
}

uint64_t fbb_reader_records(const fbb_reader *r) { return r->records; }

uint64_t fbb_reader_bad_rows(const fbb_reader *r)
{
    return r->text ? fb_io_reader_bad_rows(r->text) : 0;
}

uint64_t fbb_reader_damaged_regions(const fbb_reader *r) { return r->damaged_regions; }

size_t fbb_reader_damage_count(const fbb_reader *r) { return r->n_damage; }

fb_status fbb_reader_damage_at(const fbb_reader *r, size_t i, fb_log_damage *out, fb_error *err)
{
    if (i >= r->n_damage)
        return fbb_fail(err, FB_ERR_RANGE, "no damaged region %zu", i);
    *out = r->damage[i];
    return FB_OK;
}

size_t fbb_reader_bad_row_count(const fbb_reader *r) { return r->n_bad; }

fb_status fbb_reader_bad_row_at(const fbb_reader *r, size_t i, fb_error *out, fb_error *err)
{
    if (i >= r->n_bad)
        return fbb_fail(err, FB_ERR_RANGE, "no bad row %zu", i);
    *out = r->bad[i];
    return FB_OK;
}

void fbb_reader_close(fbb_reader *r)
{
    if (!r)
        return;
    fb_log_reader_close(r->log);
    fb_io_reader_close(r->text);
    r->log = NULL;
    r->text = NULL;
    r->closed = true;
}

void fbb_reader_free(fbb_reader *r)
{
    if (!r)
        return;
    fbb_reader_close(r);
    free(r->damage);
    free(r->bad);
    free(r->path);
    free(r);
}

/* ---------------------------------------------------------------- writing */

fbb_writer *fbb_writer_open(const char *path, const char *format, int level,
                            unsigned chunk_records, fb_error *err)
{
    fb_format f = FB_FORMAT_AUTO;
    bool log;
    fbb_writer *w;
    fb_status st;

    if (format && strcmp(format, "log") == 0)
        log = true;
    else if (format)
        log = false;
    else
        log = fb_format_from_path(path, &f, NULL) != FB_OK;
    if (format && !log && fb_format_parse(format, &f, err) != FB_OK)
        return NULL;
    w = calloc(1, sizeof *w);
    if (!w) {
        nomem(err);
        return NULL;
    }
    if (log) {
        fb_log_writer_options o;
        fb_log_writer_options_init(&o);
        if (level >= 0)
            o.level = level;
        o.chunk_records = chunk_records;
        st = fb_log_writer_open(&w->log, path, &o, err);
    } else {
        fb_io_writer_options o;
        fb_io_writer_options_init(&o);
        o.format = f;
        st = fb_io_writer_open(&w->text, path, &o, err);
    }
    if (st != FB_OK) {
        free(w);
        return NULL;
    }
    return w;
}

fb_status fbb_writer_write(fbb_writer *w, const fb_record *r, fb_error *err)
{
    if (w->closed)
        return closed_error(err, "writer");
    return w->log ? fb_log_writer_append(w->log, r, err) : fb_io_writer_write(w->text, r, err);
}

fb_status fbb_writer_flush(fbb_writer *w, bool sync, fb_error *err)
{
    if (w->closed)
        return closed_error(err, "writer");
    if (!w->log)
        return FB_OK;
    return sync ? fb_log_writer_sync(w->log, err) : fb_log_writer_flush(w->log, err);
}

fb_status fbb_writer_close(fbb_writer *w, fb_error *err)
{
    fb_status st;

    if (w->closed)
        return FB_OK;
    w->closed = true;
    st = w->log ? fb_log_writer_close(w->log, err) : fb_io_writer_close(w->text, err);
    w->log = NULL;
    w->text = NULL;
    return st;
}

void fbb_writer_free(fbb_writer *w)
{
    if (!w)
        return;
    (void)fbb_writer_close(w, NULL);
    free(w);
}
