/* The writer: opening, validation, buffered output, write errors. */
#include <errno.h>
#include <string.h>

#include "alloc_private.h"
#include "error_private.h"
#include "io_private.h"
#include "record_private.h"
#include "utf8.h"

void fb_io_writer_options_init(fb_io_writer_options *opt)
{
    if (!opt)
        return;
    memset(opt, 0, sizeof *opt);
    opt->format = FB_FORMAT_AUTO;
}

static fb_status fail(fb_io_writer *w, fb_error *err, const char *why, int errnum)
{
    char buf[96];

    fb__error(&w->fail_err, FB_ERR_IO, "", "%s%s%s", why, errnum ? ": " : "",
              errnum ? fb__strerror(errnum, buf, sizeof buf) : "");
    w->failed = FB_ERR_IO;
    if (err)
        *err = w->fail_err;
    return FB_ERR_IO;
}

static fb_status flush(fb_io_writer *w, fb_error *err)
{
    if (w->failed != FB_OK) {
        if (err)
            *err = w->fail_err;
        return w->failed;
    }
    if (w->out.len == 0)
        return FB_OK;
    if (w->file) {
        errno = 0;
        if (fwrite(w->out.data, 1, w->out.len, w->file) != w->out.len)
            return fail(w, err, "write failed", errno ? errno : EIO);
    } else if (w->write(w->ctx, w->out.data, w->out.len) != 0) {
        return fail(w, err, "the write callback failed", 0);
    }
    fb__strbuf_reset(&w->out);
    return FB_OK;
}

/* Moves the formatted w->rec to the output buffer, flushing when it is full. */
static fb_status emit(fb_io_writer *w, fb_error *err)
{
    if (fb__strbuf_append(&w->out, w->rec.data, w->rec.len) != 0)
        return fb__error(err, FB_ERR_NOMEM, "", "out of memory");
    if (w->out.len >= FB__IO_CHUNK)
        return flush(w, err);
    return FB_OK;
}

static void writer_free(fb_io_writer *w);

/* Checks the names of opt's extra columns and copies them into w. */
static fb_status copy_extra(fb_io_writer *w, const fb_io_writer_options *opt, fb_error *err)
{
    size_t i, k;

    if (opt->n_extra_columns == 0)
        return FB_OK;
    if (!opt->extra_columns)
        return fb__error(err, FB_ERR_INVALID_ARG, "extra_columns", "extra_columns is NULL "
                         "with n_extra_columns %zu", opt->n_extra_columns);
    w->extra = fb__calloc(w->alloc, opt->n_extra_columns * sizeof *w->extra);
    if (!w->extra)
        return fb__error(err, FB_ERR_NOMEM, "", "out of memory");
    for (i = 0; i < opt->n_extra_columns; i++) {
        const char *name = opt->extra_columns[i];
        size_t len = name ? strlen(name) : 0;
        char q[80];
        fb__quote(q, sizeof q, name, len, 60);
        if (!fb__is_name(name, len))
            return fb__error(err, FB_ERR_INVALID_ARG, "extra_columns", "extra column '%s' must "
                             "be 1..%d bytes of UTF-8 without control characters", q,
                             FB_MAX_NAME);
        if (fb__field_lookup(name, len) != FB__F_UNKNOWN)
            return fb__error(err, FB_ERR_INVALID_ARG, "extra_columns", "extra column '%s' is "
                             "the name of a field", q);
        for (k = 0; k < i; k++)
            if (fb__name_equal(name, len, w->extra[k], strlen(w->extra[k])))
                return fb__error(err, FB_ERR_INVALID_ARG, "extra_columns", "extra column '%s' "
                                 "comes twice", q);
        w->extra[i] = fb__malloc(w->alloc, len + 1);
        if (!w->extra[i])
            return fb__error(err, FB_ERR_NOMEM, "", "out of memory");
        memcpy(w->extra[i], name, len + 1);
        w->n_extra = i + 1;
    }
    return FB_OK;
}

static fb_status writer_new(fb_io_writer **out, const fb_io_writer_options *opt, fb_error *err)
{
    fb_io_writer_options defaults;
    fb_io_writer *w;
    fb_status st;

    if (!opt) {
        fb_io_writer_options_init(&defaults);
        opt = &defaults;
    }
    if (opt->format != FB_FORMAT_AUTO && opt->format != FB_FORMAT_CSV &&
        opt->format != FB_FORMAT_JSONL)
        return fb__error(err, FB_ERR_INVALID_ARG, "", "unknown format %d", (int)opt->format);
    w = fb__calloc(opt->alloc, sizeof *w);
    if (!w)
        return fb__error(err, FB_ERR_NOMEM, "", "out of memory");
    w->alloc = opt->alloc;
    w->format = opt->format;
    w->crlf = opt->crlf;
    fb__strbuf_init(&w->out, w->alloc);
    fb__strbuf_init(&w->rec, w->alloc);
    fb__strbuf_init(&w->cell, w->alloc);
    st = copy_extra(w, opt, err);
    if (st != FB_OK) {
        writer_free(w);
        return st;
    }
    *out = w;
    return FB_OK;
}

static void writer_free(fb_io_writer *w)
{
    size_t i;

    for (i = 0; i < w->n_extra; i++)
        fb__free(w->alloc, w->extra[i]);
    fb__free(w->alloc, w->extra);
    fb__strbuf_free(&w->out);
    fb__strbuf_free(&w->rec);
    fb__strbuf_free(&w->cell);
    fb__free(w->alloc, w);
}

static fb_status start(fb_io_writer *w, fb_error *err)
{
    if (fb__strbuf_reserve(&w->out, FB__IO_CHUNK) != 0)
        return fb__error(err, FB_ERR_NOMEM, "", "out of memory");
    if (w->format != FB_FORMAT_CSV)
        return FB_OK;
    fb__strbuf_reset(&w->rec);
    if (fb__csv_put_header(w) != 0)
        return fb__error(err, FB_ERR_NOMEM, "", "out of memory");
    return emit(w, err);
}

fb_status fb_io_writer_open(fb_io_writer **out, const char *path, const fb_io_writer_options *opt,
                            fb_error *err)
{
    fb_io_writer *w;
    fb_format f;
    fb_status st;
    char q[128], why[96];

    if (!out || !path)
        return fb__error(err, FB_ERR_INVALID_ARG, "", "out and path must not be NULL");
    *out = NULL;
    FB__TRY(writer_new(&w, opt, err));
    if (w->format == FB_FORMAT_AUTO) {
        st = fb_format_from_path(path, &f, err);
        if (st != FB_OK) {
            writer_free(w);
            return st;
        }
        w->format = f;
    }
    st = start(w, err);
    if (st == FB_OK) {
        errno = 0;
        w->file = fopen(path, "wb");
        if (!w->file) {
            fb__quote(q, sizeof q, path, strlen(path), 100);
            st = fb__error(err, FB_ERR_IO, "", "cannot create '%s': %s", q,
                           fb__strerror(errno, why, sizeof why));
        }
    }
    if (st != FB_OK) {
        writer_free(w);
        return st;
    }
    *out = w;
    return FB_OK;
}

fb_status fb_io_writer_open_callback(fb_io_writer **out, fb_write_fn write, void *ctx,
                                     const fb_io_writer_options *opt, fb_error *err)
{
    fb_io_writer *w;
    fb_status st;

    if (!out || !write)
        return fb__error(err, FB_ERR_INVALID_ARG, "", "out and write must not be NULL");
    *out = NULL;
    if (!opt || opt->format == FB_FORMAT_AUTO)
        return fb__error(err, FB_ERR_INVALID_ARG, "format",
                         "a writer without a path needs options.format (csv or jsonl)");
    FB__TRY(writer_new(&w, opt, err));
    w->write = write;
    w->ctx = ctx;
    st = start(w, err);
    if (st != FB_OK) {
        writer_free(w);
        return st;
    }
    *out = w;
    return FB_OK;
}

/* Checks the extra values of r. */
static fb_status check_extra(const fb_io_writer *w, const fb_record *r, const fb_str *values,
                             fb_error *err)
{
    size_t i, k;

    for (i = 0; i < w->n_extra; i++) {
        const char *name = w->extra[i];
        size_t bad;
        for (k = 0; k < r->n_attrs; k++)
            if (fb__name_equal(r->attrs[k].key.ptr, r->attrs[k].key.len, name, strlen(name)))
                return fb__error(err, FB_ERR_DUPLICATE, name, "the record has an attribute "
                                 "'%s', the name of an extra column", name);
        if (!values || values[i].len == 0)
            continue;
        if (values[i].len > FB_MAX_ATTR_VALUE)
            return fb__error(err, FB_ERR_TOO_LONG, name, "%s: %zu bytes, at most %d", name,
                             values[i].len, FB_MAX_ATTR_VALUE);
        bad = fb__utf8_check(values[i].ptr, values[i].len);
        if (bad != values[i].len)
            return fb__error(err, FB_ERR_UTF8, name, "%s: not UTF-8 at byte %zu", name, bad);
    }
    return FB_OK;
}

fb_status fb_io_writer_write_extra(fb_io_writer *w, const fb_record *r, const fb_str *values,
                                   fb_error *err)
{
    int rc;

    if (!w || !r)
        return fb__error(err, FB_ERR_INVALID_ARG, "", "w and r must not be NULL");
    if (w->failed != FB_OK) {
        if (err)
            *err = w->fail_err;
        return w->failed;
    }
    FB__TRY(fb_record_validate(r, err));
    FB__TRY(check_extra(w, r, values, err));
    fb__strbuf_reset(&w->rec);
    w->values = values;
    rc = w->format == FB_FORMAT_CSV ? fb__csv_put_record(w, r) : fb__json_put_record(w, r);
    w->values = NULL;
    if (rc != 0)
        return fb__error(err, FB_ERR_NOMEM, "", "out of memory");
    return emit(w, err);
}

fb_status fb_io_writer_write(fb_io_writer *w, const fb_record *r, fb_error *err)
{
    return fb_io_writer_write_extra(w, r, NULL, err);
}

fb_status fb_io_writer_close(fb_io_writer *w, fb_error *err)
{
    fb_status st;

    if (!w)
        return FB_OK;
    st = flush(w, err);
    if (w->file) {
        errno = 0;
        if (fflush(w->file) != 0 && st == FB_OK)
            st = fail(w, err, "write failed", errno ? errno : EIO);
        if (fclose(w->file) != 0 && st == FB_OK)
            st = fail(w, err, "closing the file failed", errno ? errno : EIO);
    }
    writer_free(w);
    return st;
}
