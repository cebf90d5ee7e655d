/* Input for the readers: a window over the bytes not consumed yet, counting lines. */
#include <errno.h>
#include <string.h>

#include "alloc_private.h"
#include "error_private.h"
#include "io_private.h"

void fb__source_init_memory(fb__source *s, const char *data, size_t len)
{
    memset(s, 0, sizeof *s);
    s->data = data ? data : "";
    s->end = data ? len : 0;
    s->eof = true;
    s->line = 1;
}

void fb__source_init_callback(fb__source *s, const fb_allocator *alloc, fb_read_fn read, void *ctx)
{
    memset(s, 0, sizeof *s);
    s->alloc = alloc;
    s->data = "";
    s->read = read;
    s->ctx = ctx;
    s->line = 1;
}

fb_status fb__source_open_file(fb__source *s, const fb_allocator *alloc, const char *path,
                               fb_error *err)
{
    char q[128], why[96];

    fb__source_init_callback(s, alloc, NULL, NULL);
    errno = 0;
    s->file = fopen(path, "rb");
    if (!s->file) {
        fb__quote(q, sizeof q, path, strlen(path), 100);
        return fb__error(err, FB_ERR_IO, "", "cannot open '%s': %s", q,
                         fb__strerror(errno, why, sizeof why));
    }
    return FB_OK;
}

void fb__source_close(fb__source *s)
{
    if (s->file)
        fclose(s->file);
    fb__free(s->alloc, s->buf);
    s->file = NULL;
    s->buf = NULL;
}

/* Reads once into buf[end..cap). Returns the count, 0 at the end. */
static fb_status read_some(fb__source *s, size_t *got, fb_error *err)
{
    char why[96];
    size_t room = s->cap - s->end;

    *got = 0;
    if (s->file) {
        size_t n = fread(s->buf + s->end, 1, room, s->file);
        if (n == 0 && ferror(s->file))
            return fb__error(err, FB_ERR_IO, "", "read failed: %s",
                             fb__strerror(errno, why, sizeof why));
        *got = n;
    } else {
        long n = s->read(s->ctx, s->buf + s->end, room);
        if (n < 0 || (unsigned long)n > room)
            return fb__error(err, FB_ERR_IO, "", "the read callback failed");
        *got = (size_t)n;
    }
    return FB_OK;
}

fb_status fb__source_fill(fb__source *s, size_t need, fb_error *err)
{
    while (!s->eof && s->end - s->start < need) {
        size_t got;
        fb_status st;

        if (s->cap - s->start < need || s->end == s->cap) {
            /* Move what is left to the front, and grow when that is not enough. */
            size_t avail = s->end - s->start;
            if (s->start > 0) {
                memmove(s->buf, s->buf + s->start, avail);
                s->start = 0;
                s->end = avail;
            }
            if (s->cap < need || s->end == s->cap) {
                size_t cap = s->cap ? s->cap * 2 : FB__IO_CHUNK;
                char *p;
                if (cap > FB__ROW_MAX + FB__IO_CHUNK)
                    cap = FB__ROW_MAX + FB__IO_CHUNK;
                if (cap <= need)
                    cap = need + 1;
                p = fb__realloc(s->alloc, s->buf, s->cap, cap);
                if (!p)
                    return fb__error(err, FB_ERR_NOMEM, "", "out of memory");
                s->buf = p;
                s->cap = cap;
            }
            s->data = s->buf;
        }
        st = read_some(s, &got, err);
        if (st != FB_OK)
            return st;
        if (got == 0)
            s->eof = true;
        s->end += got;
    }
    return FB_OK;
}

void fb__source_consume(fb__source *s, size_t n)
{
    const char *p = s->data + s->start, *e = p + n;

    s->offset += n;
    s->start += n;
    while ((p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
        s->line++;
        p++;
    }
}

fb_status fb__source_skip_line(fb__source *s, size_t from, fb_error *err)
{
    fb__source_consume(s, from);
    for (;;) {
        size_t avail = fb__source_avail(s);
        const char *p = fb__source_ptr(s);
        const char *nl = avail ? memchr(p, '\n', avail) : NULL;
        fb_status st;

        if (nl) {
            fb__source_consume(s, (size_t)(nl - p) + 1);
            return FB_OK;
        }
        fb__source_consume(s, avail);
        if (s->eof)
            return FB_OK;
        st = fb__source_fill(s, 1, err);
        if (st != FB_OK)
            return st;
        if (fb__source_avail(s) == 0)
            return FB_OK;
    }
}

fb_status fb__source_skip_bom(fb__source *s, fb_error *err)
{
    fb_status st = fb__source_fill(s, 3, err);

    if (st != FB_OK)
        return st;
    if (fb__source_avail(s) >= 3 && memcmp(fb__source_ptr(s), "\xEF\xBB\xBF", 3) == 0)
        fb__source_consume(s, 3);
    return FB_OK;
}
