/* Allocation through an optional fb_allocator (NULL: the C library's). */
#ifndef FB_ALLOC_PRIVATE_H
#define FB_ALLOC_PRIVATE_H

#include "feedback/alloc.h"

/* alloc itself, or the default allocator when alloc is NULL. */
const fb_allocator *fb__alloc_or_default(const fb_allocator *alloc);

/* size bytes (0 allowed: gives a unique pointer), or NULL. */
void *fb__malloc(const fb_allocator *a, size_t size);
/* size bytes, zeroed, or NULL. */
void *fb__calloc(const fb_allocator *a, size_t size);
/* Like realloc; ptr may be NULL (then old_size must be 0). NULL on failure leaves ptr intact. */
void *fb__realloc(const fb_allocator *a, void *ptr, size_t old_size, size_t size);
/* NULL is a no-op. */
void fb__free(const fb_allocator *a, void *ptr);

/*
 * Grows an array so it holds at least need elements of elem_size bytes:
 * doubles *cap (starting at 8) and reallocates *items. Returns 0, or -1 on
 * overflow or allocation failure (the array is then unchanged).
 */
int fb__grow(const fb_allocator *a, void **items, size_t *cap, size_t need, size_t elem_size);

#endif
