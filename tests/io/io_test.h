/* Helpers shared by the io tests. */
#ifndef FB_IO_TEST_H
#define FB_IO_TEST_H

#include <stdlib.h>

#include "fb_test.h"

/* Bad rows collected by the on_bad_row callback. */
#define IO_TEST_MAX_BAD 16
typedef struct bad_rows {
    fb_error e[IO_TEST_MAX_BAD];
    int n;
} bad_rows;

static inline void collect_bad(void *ctx, const fb_error *err)
{
    bad_rows *b = ctx;
    if (b->n < IO_TEST_MAX_BAD)
        b->e[b->n] = *err;
    b->n++;
}

static inline void opts(fb_io_reader_options *o, fb_format f, fb_on_error pol, bad_rows *bad)
{
    fb_io_reader_options_init(o);
    o->format = f;
    o->on_error = pol;
    if (bad) {
        memset(bad, 0, sizeof *bad);
        o->on_bad_row = collect_bad;
        o->on_bad_row_ctx = bad;
    }
}

static inline fb_io_reader *open_mem(const char *data, const fb_io_reader_options *o)
{
    fb_io_reader *r = NULL;
    fb_error e;
    assert_fb_ok(fb_io_reader_open_memory(&r, data, strlen(data), o, &e), &e);
    return r;
}

/* Reads one record, which must be there. */
static inline const fb_record *next_ok(fb_io_reader *r)
{
    const fb_record *rec = NULL;
    fb_error e;
    fb_error_clear(&e);
    assert_fb_ok(fb_io_reader_next(r, &rec, &e), &e);
    assert_non_null(rec);
    return rec;
}

/* Reads the next row, which must fail with code at line/offset naming field. */
static inline void next_err(fb_io_reader *r, fb_status code, uint64_t line, uint64_t offset,
                            const char *field)
{
    const fb_record *rec = NULL;
    fb_error e;
    fb_error_clear(&e);
    assert_fb_status(fb_io_reader_next(r, &rec, &e), code, &e);
    assert_int_equal(e.code, code);
    if (e.line != line || e.offset != offset || strcmp(e.field, field) != 0)
        fail_msg("expected line %lu offset %lu field '%s', got line %lu offset %lu field '%s': %s",
                 (unsigned long)line, (unsigned long)offset, field, (unsigned long)e.line,
                 (unsigned long)e.offset, e.field, e.message);
}

static inline void next_done(fb_io_reader *r)
{
    const fb_record *rec = NULL;
    fb_error e;
    fb_error_clear(&e);
    assert_fb_status(fb_io_reader_next(r, &rec, &e), FB_DONE, &e);
}

static inline void assert_str(fb_str s, const char *expected)
{
    if (s.len != strlen(expected) || (s.len && memcmp(s.ptr, expected, s.len) != 0))
        fail_msg("expected \"%s\", got \"%.*s\"", expected, (int)s.len, s.ptr ? s.ptr : "");
}

/* A growable sink for writers. */
typedef struct sink {
    char *data;
    size_t len, cap;
    int fail_after; /* fail the n-th call (1-based); 0 never */
    int calls;
} sink;

static inline int sink_write(void *ctx, const char *buf, size_t size)
{
    sink *s = ctx;
    s->calls++;
    if (s->fail_after && s->calls >= s->fail_after)
        return -1;
    if (s->len + size + 1 > s->cap) {
        size_t cap = (s->len + size + 1) * 2;
        char *p = test_realloc(s->data, cap);
        assert_non_null(p);
        s->data = p;
        s->cap = cap;
    }
    memcpy(s->data + s->len, buf, size);
    s->len += size;
    s->data[s->len] = '\0';
    return 0;
}

static inline void sink_free(sink *s)
{
    if (s->data)
        test_free(s->data);
    memset(s, 0, sizeof *s);
}

/* Reads all of data (format f, stopping at errors) into a new list. */
static inline fb_record_list *read_all(const char *data, size_t len, fb_format f)
{
    fb_io_reader_options o;
    fb_io_reader *r = NULL;
    fb_record_list *list = NULL;
    const fb_record *rec;
    fb_status st;
    fb_error e;

    fb_io_reader_options_init(&o);
    o.format = f;
    assert_fb_ok(fb_record_list_new(NULL, &list), NULL);
    assert_fb_ok(fb_io_reader_open_memory(&r, data, len, &o, &e), &e);
    while ((st = fb_io_reader_next(r, &rec, &e)) == FB_OK)
        assert_fb_ok(fb_record_list_push(list, rec), NULL);
    assert_fb_status(st, FB_DONE, &e);
    fb_io_reader_close(r);
    return list;
}

/* Writes every record of list in format f into s. */
static inline void write_all(const fb_record_list *list, fb_format f, sink *s)
{
    fb_io_writer_options o;
    fb_io_writer *w = NULL;
    fb_error e;
    size_t i;

    memset(s, 0, sizeof *s);
    fb_io_writer_options_init(&o);
    o.format = f;
    assert_fb_ok(fb_io_writer_open_callback(&w, sink_write, s, &o, &e), &e);
    for (i = 0; i < fb_record_list_count(list); i++)
        assert_fb_ok(fb_io_writer_write(w, fb_record_list_get(list, i), &e), &e);
    assert_fb_ok(fb_io_writer_close(w, &e), &e);
}

#endif
