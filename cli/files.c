#define _POSIX_C_SOURCE 200809L

#include "files.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "args.h"
#include "report.h"

int fbc_pick_format(const char *prog, const char *path, const char *given, const char *option,
                    fb_format *out)
{
    char msg[512];
    bool input = strcmp(option, "from") == 0;

    if (given) {
        if (fb_format_parse(given, out, NULL) == FB_OK && (input || *out != FB_FORMAT_AUTO ||
                                                           strcmp(path, "-") != 0))
            return 0;
        snprintf(msg, sizeof msg, "unknown format '%.100s' for --%s (use csv or jsonl%s)", given,
                 option, input ? ", or auto" : "");
        return fbc_usage_error(prog, msg, NULL);
    }
    /* Input: from the extension, else the library tells it from the content. */
    if (input) {
        if (strcmp(path, "-") == 0 || fb_format_from_path(path, out, NULL) != FB_OK)
            *out = FB_FORMAT_AUTO;
        return 0;
    }
    if (strcmp(path, "-") == 0) {
        snprintf(msg, sizeof msg, "give --%s csv|jsonl to write to '-' (standard output)", option);
        return fbc_usage_error(prog, msg, NULL);
    }
    if (fb_format_from_path(path, out, NULL) == FB_OK)
        return 0;
    snprintf(msg, sizeof msg,
             "cannot tell the format of '%.300s' from its name; give --%s csv|jsonl", path, option);
    return fbc_usage_error(prog, msg, NULL);
}

int fbc_pick_output_format(const char *prog, const char *path, const char *to, fb_format in,
                           fb_format *out)
{
    if (!to && strcmp(path, "-") != 0 && fb_format_from_path(path, out, NULL) == FB_OK)
        return 0;
    if (to)
        return fbc_pick_format(prog, path, to, "to", out);
    if (in == FB_FORMAT_AUTO)
        return fbc_usage_error(prog, "give --to csv|jsonl (or --from): the format of IN is not "
                                     "known before it is read", NULL);
    *out = in;
    return 0;
}

/* ------------------------------------------------------------------ input */

static long read_file(void *ctx, char *buf, size_t size)
{
    fbc_input *in = ctx;
    size_t n = fread(buf, 1, size, in->fp);
    if (n == 0 && ferror(in->fp)) {
        in->read_errno = errno ? errno : EIO;
        return -1;
    }
    return (long)n;
}

static void on_bad_row(void *ctx, const fb_error *err)
{
    const fbc_input *in = ctx;
    fbc_report(in->name, err);
}

int fbc_input_open(fbc_input *in, const char *path, fb_format format, fb_on_error policy)
{
    fb_io_reader_options opt;
    fb_error err;
    fb_status st;

    memset(in, 0, sizeof *in);
    in->path = path;
    in->name = fbc_input_name(path);
    if (strcmp(path, "-") == 0) {
        in->fp = stdin;
    } else {
        in->fp = fopen(path, "rb");
        if (!in->fp) {
            fbc_errorf(in->name, "cannot open: %s", strerror(errno));
            return FBC_EXIT_FAILURE;
        }
    }

    fb_io_reader_options_init(&opt);
    opt.format = format;
    opt.on_error = policy;
    opt.on_bad_row = on_bad_row;
    opt.on_bad_row_ctx = in;
    fb_error_clear(&err);
    st = fb_io_reader_open_callback(&in->reader, read_file, in, &opt, &err);
    if (st != FB_OK) {
        fbc_report(in->name, &err);
        fbc_input_close(in);
        return fbc_worse(FBC_EXIT_DATA, fbc_exit_code(st));
    }
    return 0;
}

int fbc_input_next(fbc_input *in, const fb_record **rec, int *code)
{
    fb_error err;
    fb_status st;
    uint64_t bad;

    fb_error_clear(&err);
    st = fb_io_reader_next(in->reader, rec, &err);
    if (st == FB_OK)
        return 1;
    if (st == FB_DONE)
        return 0;

    bad = fb_io_reader_bad_rows(in->reader);
    if (bad > in->bad_seen) {
        /* A bad row, already reported through on_bad_row. */
        in->bad_seen = bad;
        *code = FBC_EXIT_DATA;
        return -1;
    }
    if (in->read_errno) {
        fbc_errorf(in->name, "read error: %s", strerror(in->read_errno));
        *code = FBC_EXIT_FAILURE;
        return -1;
    }
    fbc_report(in->name, &err);
    *code = fbc_worse(FBC_EXIT_DATA, fbc_exit_code(st));
    return -1;
}

uint64_t fbc_input_records(const fbc_input *in)
{
    return in->reader ? fb_io_reader_records(in->reader) : 0;
}

uint64_t fbc_input_bad_rows(const fbc_input *in)
{
    return in->reader ? fb_io_reader_bad_rows(in->reader) : 0;
}

void fbc_input_close(fbc_input *in)
{
    fb_io_reader_close(in->reader);
    in->reader = NULL;
    if (in->fp && in->fp != stdin)
        fclose(in->fp);
    in->fp = NULL;
}

/* ----------------------------------------------------------------- output */

static int write_file(void *ctx, const char *buf, size_t size)
{
    fbc_output *out = ctx;
    if (size > 0 && fwrite(buf, 1, size, out->fp) != size) {
        out->write_errno = errno ? errno : EIO;
        return -1;
    }
    return 0;
}

char *fbc_temp_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
    size_t len = strlen(path);
    char *t = malloc(len + 16);
    if (!t)
        return NULL;
    memcpy(t, path, dir_len);
    t[dir_len] = '.';
    memcpy(t + dir_len + 1, path + dir_len, len - dir_len);
    memcpy(t + len + 1, ".XXXXXX", 8);
    return t;
}

int fbc_make_temp(const char *path, const char *name, char **tmp)
{
    mode_t mask;
    int fd;

    *tmp = fbc_temp_name(path);
    if (!*tmp) {
        fbc_errorf(name, "out of memory");
        return -1;
    }
    fd = mkstemp(*tmp);
    if (fd < 0) {
        fbc_errorf(name, "cannot create: %s", strerror(errno));
        free(*tmp);
        *tmp = NULL;
        return -1;
    }
    /* mkstemp makes the file private; give it the mode a new file would get. */
    mask = umask(0);
    umask(mask);
    (void)fchmod(fd, (mode_t)(0666 & ~mask));
    return fd;
}

int fbc_output_open(fbc_output *out, const char *path, fb_format format)
{
    return fbc_output_open_extra(out, path, format, NULL, 0);
}

int fbc_output_open_extra(fbc_output *out, const char *path, fb_format format,
                          const char *const *extra, size_t n_extra)
{
    fb_io_writer_options opt;
    fb_error err;
    fb_status st;

    memset(out, 0, sizeof *out);
    out->path = path;
    out->name = fbc_output_name(path);
    if (strcmp(path, "-") == 0) {
        out->fp = stdout;
    } else {
        int fd = fbc_make_temp(path, out->name, &out->tmp_path);
        if (fd < 0)
            return FBC_EXIT_FAILURE;
        out->fp = fdopen(fd, "wb");
        if (!out->fp) {
            fbc_errorf(out->name, "cannot create: %s", strerror(errno));
            close(fd);
            fbc_output_abort(out);
            return FBC_EXIT_FAILURE;
        }
    }

    fb_io_writer_options_init(&opt);
    opt.format = format;
    opt.extra_columns = extra;
    opt.n_extra_columns = n_extra;
    fb_error_clear(&err);
    st = fb_io_writer_open_callback(&out->writer, write_file, out, &opt, &err);
    if (st != FB_OK) {
        if (out->write_errno)
            fbc_errorf(out->name, "write error: %s", strerror(out->write_errno));
        else
            fbc_report(out->name, &err);
        fbc_output_abort(out);
        return FBC_EXIT_FAILURE;
    }
    return 0;
}

int fbc_output_write(fbc_output *out, const fb_record *rec, const char *in_name, uint64_t line)
{
    return fbc_output_write_extra(out, rec, NULL, in_name, line);
}

int fbc_output_write_extra(fbc_output *out, const fb_record *rec, const fb_str *values,
                           const char *in_name, uint64_t line)
{
    fb_error err;
    fb_status st;

    fb_error_clear(&err);
    st = fb_io_writer_write_extra(out->writer, rec, values, &err);
    if (st == FB_OK)
        return 0;
    if (out->write_errno) {
        fbc_errorf(out->name, "write error: %s", strerror(out->write_errno));
        return FBC_EXIT_FAILURE;
    }
    if (st == FB_ERR_IO || st == FB_ERR_NOMEM) {
        fbc_report(out->name, &err);
        return FBC_EXIT_FAILURE;
    }
    /* The record was refused: blame the input row it came from. */
    err.line = line;
    fbc_report(in_name, &err);
    return fbc_worse(FBC_EXIT_DATA, fbc_exit_code(st));
}

static bool is_key(fb_str k, const char *key, size_t len)
{
    return k.len == len && strncasecmp(k.ptr, key, len) == 0;
}

const fb_record *fbc_without_attr(const fb_record *rec, const char *key, fb_record *copy,
                                  fb_attr *attrs)
{
    size_t i, n = 0, len = strlen(key);

    for (i = 0; i < rec->n_attrs && !is_key(rec->attrs[i].key, key, len); i++)
        ;
    if (i == rec->n_attrs)
        return rec;
    *copy = *rec;
    for (i = 0; i < rec->n_attrs && n < FB_MAX_ATTRS; i++)
        if (!is_key(rec->attrs[i].key, key, len))
            attrs[n++] = rec->attrs[i];
    copy->attrs = attrs;
    copy->n_attrs = n;
    return copy;
}

int fbc_output_commit(fbc_output *out)
{
    fb_error err;
    fb_status st;
    int failed = 0;

    fb_error_clear(&err);
    st = fb_io_writer_close(out->writer, &err);
    out->writer = NULL;
    if (st != FB_OK) {
        if (out->write_errno)
            fbc_errorf(out->name, "write error: %s", strerror(out->write_errno));
        else
            fbc_report(out->name, &err);
        failed = 1;
    }
    if (!failed && fflush(out->fp) != 0) {
        fbc_errorf(out->name, "write error: %s", strerror(errno));
        failed = 1;
    }
    if (out->fp == stdout) {
        out->fp = NULL;
        return failed ? FBC_EXIT_FAILURE : 0;
    }
    if (!failed && fsync(fileno(out->fp)) != 0 && errno != EINVAL && errno != EROFS) {
        fbc_errorf(out->name, "write error: %s", strerror(errno));
        failed = 1;
    }
    if (fclose(out->fp) != 0 && !failed) {
        fbc_errorf(out->name, "write error: %s", strerror(errno));
        failed = 1;
    }
    out->fp = NULL;
    if (!failed && rename(out->tmp_path, out->path) != 0) {
        fbc_errorf(out->name, "cannot replace: %s", strerror(errno));
        failed = 1;
    }
    if (failed) {
        fbc_output_abort(out);
        return FBC_EXIT_FAILURE;
    }
    free(out->tmp_path);
    out->tmp_path = NULL;
    return 0;
}

void fbc_output_abort(fbc_output *out)
{
    if (out->writer) {
        /* Nothing it flushes matters now: the temporary file goes away. */
        (void)fb_io_writer_close(out->writer, NULL);
        out->writer = NULL;
    }
    if (out->fp && out->fp != stdout)
        fclose(out->fp);
    else if (out->fp == stdout)
        fflush(stdout);
    out->fp = NULL;
    if (out->tmp_path) {
        remove(out->tmp_path);
        free(out->tmp_path);
        out->tmp_path = NULL;
    }
}
