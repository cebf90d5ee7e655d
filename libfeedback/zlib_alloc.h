/* zlib's allocation hooks routed through an fb_allocator. */
#ifndef FB_ZLIB_ALLOC_H
#define FB_ZLIB_ALLOC_H

#include <zlib.h>

#include "feedback/alloc.h"

/*
 * Sets zs->zalloc, zs->zfree and zs->opaque so that zlib allocates through
 * alloc (NULL: the C library's), which must outlive the stream.
 */
void fb__zlib_use_allocator(z_stream *zs, const fb_allocator *alloc);

#endif
