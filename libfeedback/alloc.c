#include "alloc_private.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void *libc_malloc(void *ctx, size_t size)
{
    (void)ctx;
    return malloc(size);
}

static void *libc_realloc(void *ctx, void *ptr, size_t old_size, size_t size)
{
    (void)ctx;
    (void)old_size;
    return realloc(ptr, size);
}

static void libc_free(void *ctx, void *ptr)
{
    (void)ctx;
    free(ptr);
}

static const fb_allocator libc_allocator = {libc_malloc, libc_realloc, libc_free, NULL};


const fb_allocator *fb__alloc_or_default(const fb_allocator *alloc)
{
    return alloc ? alloc : &libc_allocator;
}

void *fb__malloc(const fb_allocator *a, size_t size)
{
    a = fb__alloc_or_default(a);
    /* Custom allocators are promised size > 0. */
    return a->malloc(a->ctx, size ? size : 1);
}

void *fb__calloc(const fb_allocator *a, size_t size)
{
    void *p = fb__malloc(a, size);
    if (p)
        memset(p, 0, size ? size : 1);
    return p;
}

void *fb__realloc(const fb_allocator *a, void *ptr, size_t old_size, size_t size)
{
    a = fb__alloc_or_default(a);
    if (!ptr)
        return fb__malloc(a, size);
    return a->realloc(a->ctx, ptr, old_size, size ? size : 1);
}

void fb__free(const fb_allocator *a, void *ptr)
{
    if (!ptr)
        return;
    a = fb__alloc_or_default(a);
    a->free(a->ctx, ptr);
}

int fb__grow(const fb_allocator *a, void **items, size_t *cap, size_t need, size_t elem_size)
{
    size_t new_cap = *cap ? *cap : 8;
    void *p;

    if (need <= *cap)
        return 0;
    while (new_cap < need) {
        if (new_cap > SIZE_MAX / 2)
            return -1;
        new_cap *= 2;
    }
    if (elem_size && new_cap > SIZE_MAX / elem_size)
        return -1;
    p = fb__realloc(a, *items, *cap * elem_size, new_cap * elem_size);
    if (!p)
        return -1;
    *items = p;
    *cap = new_cap;
    return 0;
}
