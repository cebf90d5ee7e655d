/*
 * libFuzzer harness for the CSV and JSON Lines readers.
 *
 * The first byte picks the format and the error policy; the rest is the
 * input. Beyond "no crash, no leak, no undefined behaviour", it checks the
 * promises of io.h on every input:
 *  - each record the reader returns passes fb_record_validate;
 *  - writing those records and reading the output back gives equal records
 *    (what the writer writes, the reader reads);
 *  - every bad row reaches the callback, carries a message and a line.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "feedback/feedback.h"

typedef struct buffer {
    char *data;
    size_t len, cap;
} buffer;

static int append(void *ctx, const char *p, size_t n)
{
    buffer *b = ctx;
    if (b->len + n > b->cap) {
        size_t cap = (b->len + n) * 2;
        char *d = realloc(b->data, cap);
        if (!d)
            return -1;
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
    return 0;
}

static void on_bad_row(void *ctx, const fb_error *err)
{
    (void)ctx;
    if (err->code >= 0 || err->message[0] == '\0' || err->line == 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fb_io_reader_options ro;
    fb_io_writer_options wo;
    fb_io_reader *r = NULL, *back = NULL;
    fb_io_writer *w = NULL;
    fb_record_list *list = NULL;
    const fb_record *rec;
    buffer out = {NULL, 0, 0};
    fb_status st;
    size_t i, n;

    if (size < 1)
        return 0;
    fb_io_reader_options_init(&ro);
    ro.format = (data[0] & 1) ? FB_FORMAT_JSONL : FB_FORMAT_CSV;
    ro.on_error = (data[0] & 2) ? FB_ON_ERROR_SKIP : FB_ON_ERROR_STOP;
    ro.on_bad_row = on_bad_row;
    if (fb_record_list_new(NULL, &list) != FB_OK)
        return 0;
    if (fb_io_reader_open_memory(&r, (const char *)data + 1, size - 1, &ro, NULL) != FB_OK)
        abort();
    /* Under STOP a bad row returns its error and reading goes on past it. */
    for (i = 0; i < 100000; i++) {
        uint64_t bad_before = fb_io_reader_bad_rows(r);
        st = fb_io_reader_next(r, &rec, NULL);
        if (st == FB_DONE)
            break;
        if (st == FB_OK) {
            if (fb_record_validate(rec, NULL) != FB_OK || fb_record_list_push(list, rec) != FB_OK)
                abort();
            continue;
        }
        if (fb_io_reader_bad_rows(r) == bad_before)
            break; /* a final error (header, I/O): not a bad row */
        if (ro.on_error == FB_ON_ERROR_SKIP)
            abort(); /* under SKIP, bad rows are never returned */
    }
    fb_io_reader_close(r);

    /* Write what was read, in the other format, and read it back. */
    fb_io_writer_options_init(&wo);
    wo.format = ro.format == FB_FORMAT_CSV ? FB_FORMAT_JSONL : FB_FORMAT_CSV;
    if (fb_io_writer_open_callback(&w, append, &out, &wo, NULL) != FB_OK)
        abort();
    n = fb_record_list_count(list);
    for (i = 0; i < n; i++)
        if (fb_io_writer_write(w, fb_record_list_get(list, i), NULL) != FB_OK)
            abort();
    if (fb_io_writer_close(w, NULL) != FB_OK)
        abort();
    ro.format = wo.format;
    ro.on_error = FB_ON_ERROR_STOP;
    if (fb_io_reader_open_memory(&back, out.data ? out.data : "", out.len, &ro, NULL) != FB_OK)
        abort();
    for (i = 0; i < n; i++) {
        if (fb_io_reader_next(back, &rec, NULL) != FB_OK ||
            !fb_record_equal(rec, fb_record_list_get(list, i)))
            abort();
    }
    if (fb_io_reader_next(back, &rec, NULL) != FB_DONE)
        abort();
    fb_io_reader_close(back);
    fb_record_list_free(list);
    free(out.data);
    return 0;
}
