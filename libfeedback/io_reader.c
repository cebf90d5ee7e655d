/* The reader: opening, the row loop with its error policies, counters. */
#include <string.h>

#include "alloc_private.h"
#include "error_private.h"
#include "io_private.h"

void fb_io_reader_options_init(fb_io_reader_options *opt)
{
    if (!opt)
        return;
    memset(opt, 0, sizeof *opt);
    opt->format = FB_FORMAT_AUTO;
    opt->on_error = FB_ON_ERROR_STOP;
}

static fb_status reader_new(fb_io_reader **out, const fb_io_reader_options *opt, fb_error *err)
{
    fb_io_reader_options defaults;
    fb_io_reader *r;

    if (!opt) {
        fb_io_reader_options_init(&defaults);
        opt = &defaults;
    }
    if ((opt->format != FB_FORMAT_AUTO && opt->format != FB_FORMAT_CSV &&
         opt->format != FB_FORMAT_JSONL) ||
        (opt->on_error != FB_ON_ERROR_STOP && opt->on_error != FB_ON_ERROR_SKIP))
        return fb__error(err, FB_ERR_INVALID_ARG, "", "unknown format or error policy");
    r = fb__calloc(opt->alloc, sizeof *r);
    if (!r)
        return fb__error(err, FB_ERR_NOMEM, "", "out of memory");
    r->alloc = opt->alloc;
    r->opt = *opt;
    fb__builder_init(&r->b, r->alloc);
    fb__strbuf_init(&r->csv.names, r->alloc);
    fb__strbuf_init(&r->csv.cells, r->alloc);
    fb__strbuf_init(&r->jline, r->alloc);
    *out = r;
    return FB_OK;
}

fb_status fb_io_reader_open(fb_io_reader **out, const char *path, const fb_io_reader_options *opt,
                            fb_error *err)
{
    fb_io_reader *r;
    fb_format f;
    fb_status st;

    if (!out || !path)
        return fb__error(err, FB_ERR_INVALID_ARG, "", "out and path must not be NULL");
    *out = NULL;
    FB__TRY(reader_new(&r, opt, err));
    if (r->opt.format == FB_FORMAT_AUTO && fb_format_from_path(path, &f, NULL) == FB_OK)
        r->opt.format = f;
    st = fb__source_open_file(&r->src, r->alloc, path, err);
    if (st != FB_OK) {
        fb_io_reader_close(r);
        return st;
    }
    *out = r;
    return FB_OK;
}

fb_status fb_io_reader_open_memory(fb_io_reader **out, const char *data, size_t len,
                                   const fb_io_reader_options *opt, fb_error *err)
{
    fb_io_reader *r;

    if (!out || (!data && len > 0))
        return fb__error(err, FB_ERR_INVALID_ARG, "", "out NULL, or data NULL with len > 0");
    *out = NULL;
    FB__TRY(reader_new(&r, opt, err));
    fb__source_init_memory(&r->src, data, len);
    *out = r;
    return FB_OK;
}

fb_status fb_io_reader_open_callback(fb_io_reader **out, fb_read_fn read, void *ctx,
                                     const fb_io_reader_options *opt, fb_error *err)
{
    fb_io_reader *r;

    if (!out || !read)
        return fb__error(err, FB_ERR_INVALID_ARG, "", "out and read must not be NULL");
    *out = NULL;
    FB__TRY(reader_new(&r, opt, err));
    fb__source_init_callback(&r->src, r->alloc, read, ctx);
    *out = r;
    return FB_OK;
}

/*
 * FB_FORMAT_AUTO without a telling extension: JSON Lines when the first byte
 * that is not white space is '{', CSV otherwise (a CSV header starts with a
 * column name). Looks at most at the first 4 KiB.
 */
static fb_status sniff_format(fb_io_reader *r, fb_error *err)
{
    const char *p;
    size_t i, n;

    FB__TRY(fb__source_fill(&r->src, 4096, err));
    p = fb__source_ptr(&r->src);
    n = fb__source_avail(&r->src);
    for (i = 0; i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'); i++)
        ;
    r->opt.format = i < n && p[i] == '{' ? FB_FORMAT_JSONL : FB_FORMAT_CSV;
    return FB_OK;
}

fb_status fb__reader_fail(fb_io_reader *r, fb_status st, const fb_error *err)
{
    r->final = st;
    if (err)
        r->final_err = *err;
    else
        fb__error(&r->final_err, st, "", "%s", fb_status_str(st));
    if (r->final_err.code == FB_OK)
        r->final_err.code = st;
    return st;
}

fb_status fb_io_reader_next(fb_io_reader *r, const fb_record **rec, fb_error *err)
{
    fb_status st;
    fb_error e;

    if (!r || !rec)
        return fb__error(err, FB_ERR_INVALID_ARG, "", "r and rec must not be NULL");
    *rec = NULL;
    for (;;) {
        if (r->final != FB_OK) {
            if (err)
                *err = r->final_err;
            return r->final;
        }
        fb_error_clear(&e);
        if (!r->started) {
            st = fb__source_skip_bom(&r->src, &e);
            if (st == FB_OK && r->opt.format == FB_FORMAT_AUTO)
                st = sniff_format(r, &e);
            if (st != FB_OK) {
                fb__reader_fail(r, st, &e);
                continue;
            }
            r->started = true;
        }
        st = r->opt.format == FB_FORMAT_CSV ? fb__csv_next(r, &e) : fb__jsonl_next(r, &e);
        if (st == FB_DONE)
            return FB_DONE;
        if (r->final != FB_OK)
            continue;
        if (st == FB_ERR_NOMEM) {
            fb__reader_fail(r, st, &e);
            continue;
        }
        if (st == FB_OK && !r->opt.no_validate) {
            st = fb_record_validate(&r->b.rec, &e);
            if (st != FB_OK)
                fb__builder_locate(&r->b, &e);
        }
        if (st == FB_OK) {
            *rec = &r->b.rec;
            r->line = r->b.row.line;
            r->records++;
            return FB_OK;
        }
        /* A bad row: always reported and counted. */
        if (e.code == FB_OK)
            e.code = st;
        r->bad_rows++;
        if (r->opt.on_bad_row)
            r->opt.on_bad_row(r->opt.on_bad_row_ctx, &e);
        if (r->opt.on_error == FB_ON_ERROR_STOP) {
            if (err)
                *err = e;
            return st;
        }
    }
}

uint64_t fb_io_reader_line(const fb_io_reader *r) { return r ? r->line : 0; }

uint64_t fb_io_reader_records(const fb_io_reader *r) { return r ? r->records : 0; }

uint64_t fb_io_reader_bad_rows(const fb_io_reader *r) { return r ? r->bad_rows : 0; }

void fb_io_reader_close(fb_io_reader *r)
{
    if (!r)
        return;
    fb__source_close(&r->src);
    fb__builder_free(&r->b);
    fb__csv_free(&r->csv);
    fb__strbuf_free(&r->jline);
    fb__free(r->alloc, r);
}
