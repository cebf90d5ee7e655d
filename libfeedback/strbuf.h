/* A growable byte buffer, for building output and holding parsed fields. */
#ifndef FB_STRBUF_H
#define FB_STRBUF_H

#include <stddef.h>

#include "feedback/alloc.h"

typedef struct fb__strbuf {
    char *data;     /* len bytes, followed by a NUL when cap > 0 */
    size_t len;
    size_t cap;
    const fb_allocator *alloc;
} fb__strbuf;

/* An empty buffer that will allocate through alloc (NULL: the C library's). */
void fb__strbuf_init(fb__strbuf *b, const fb_allocator *alloc);
/* Frees the memory; the buffer is empty and usable again. */
void fb__strbuf_free(fb__strbuf *b);
/* Makes room for extra more bytes (and a NUL). Returns 0 or -1 (no memory). */
int fb__strbuf_reserve(fb__strbuf *b, size_t extra);
/* Appends bytes. Returns 0 or -1 (no memory; the buffer is unchanged). */
int fb__strbuf_append(fb__strbuf *b, const char *s, size_t len);
int fb__strbuf_putc(fb__strbuf *b, char c);
int fb__strbuf_puts(fb__strbuf *b, const char *s);
/* Empties the buffer, keeping its memory. */
void fb__strbuf_reset(fb__strbuf *b);

#endif
