#include "strbuf.h"

#include <stdint.h>
#include <string.h>

#include "alloc_private.h"

void fb__strbuf_init(fb__strbuf *b, const fb_allocator *alloc)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->alloc = alloc;
}

void fb__strbuf_free(fb__strbuf *b)
{
    fb__free(b->alloc, b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

int fb__strbuf_reserve(fb__strbuf *b, size_t extra)
{
    size_t need, cap;
    char *p;

    if (extra > SIZE_MAX - b->len - 1)
        return -1;
    need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    p = fb__realloc(b->alloc, b->data, b->cap, cap);
    if (!p)
        return -1;
    b->data = p;
    b->cap = cap;
    return 0;
}

int fb__strbuf_append(fb__strbuf *b, const char *s, size_t len)
{
    if (fb__strbuf_reserve(b, len) != 0)
        return -1;
    if (len)
        memcpy(b->data + b->len, s, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

int fb__strbuf_putc(fb__strbuf *b, char c) { return fb__strbuf_append(b, &c, 1); }

int fb__strbuf_puts(fb__strbuf *b, const char *s) { return fb__strbuf_append(b, s, strlen(s)); }

void fb__strbuf_reset(fb__strbuf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}
