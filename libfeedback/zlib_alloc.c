#include "zlib_alloc.h"

#include <stdint.h>

#include "alloc_private.h"

static voidpf zalloc_fn(voidpf opaque, uInt items, uInt size)
{
    if (size && items > SIZE_MAX / size)
        return Z_NULL;
    return fb__malloc(fb__alloc_or_default(opaque), (size_t)items * size);
}

static void zfree_fn(voidpf opaque, voidpf ptr)
{
    fb__free(fb__alloc_or_default(opaque), ptr);
}

void fb__zlib_use_allocator(z_stream *zs, const fb_allocator *alloc)
{
    zs->zalloc = zalloc_fn;
    zs->zfree = zfree_fn;
    /* zlib passes opaque back untouched; the hooks never write through it. */
    zs->opaque = (voidpf)(uintptr_t)alloc;
}
