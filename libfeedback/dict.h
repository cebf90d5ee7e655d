/*
 * A dictionary of distinct strings: each gets an index, in the order first
 * seen, and the strings lie back to back in one stream, each as a varint
 * length and its bytes (the DICT stream of a log chunk, log_format.h), with
 * an open-addressing hash table whose slots point into that stream, so no
 * string is allocated on its own. The log's encoder keeps a chunk's strings
 * in one; the summaries intern their group keys and terms in others.
 */
#ifndef FB_DICT_H
#define FB_DICT_H

#include <stddef.h>
#include <stdint.h>

#include "feedback/alloc.h"
#include "strbuf.h"

typedef struct fb__dict_slot fb__dict_slot;

typedef struct fb__dict {
    fb__strbuf stream;      /* the DICT stream: each entry as a varint length, then its bytes */
    uint32_t count;         /* entries */
    fb__dict_slot *slots;
    size_t slots_cap;       /* a power of two, or 0 */
    uint32_t *offsets;      /* entry i (its varint length) starts at stream.data + offsets[i] */
    size_t offsets_cap;
    const fb_allocator *alloc;
} fb__dict;

/* An empty dictionary that allocates through alloc (NULL: the C library's). */
void fb__dict_init(fb__dict *d, const fb_allocator *alloc);

/* Frees the memory of d (not d itself). */
void fb__dict_free(fb__dict *d);

/* Empties d for the next chunk, keeping its memory. */
void fb__dict_reset(fb__dict *d);

/*
 * Sets *index to the entry of s[0..len) (len > 0), adding it when new.
 * Returns 0, or -1 when out of memory or past 4 GiB (d is then unchanged).
 */
int fb__dict_index(fb__dict *d, const char *s, size_t len, uint32_t *index);

/* Entry index (< d->count): its bytes (not NUL-terminated; valid until d grows) and length. */
const char *fb__dict_entry(const fb__dict *d, uint32_t index, size_t *len);

#endif
