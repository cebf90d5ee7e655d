/*
 * libfeedback: custom memory allocation.
 *
 * Objects that allocate (readers, writers, record lists) take an optional
 * allocator when they are created and use it for all their memory. NULL means
 * the C library's malloc, realloc and free. The allocator must outlive every
 * object created with it. The library never uses a global allocator.
 * One exception: a library built with the CMake option FB_WITH_LIBDEFLATE
 * gets the binary log's libdeflate compressor and decompressor objects from
 * malloc (libdeflate 1.14 has no per-object allocator).
 */
#ifndef FEEDBACK_ALLOC_H
#define FEEDBACK_ALLOC_H

#include "common.h"

FB_BEGIN_DECLS

typedef struct fb_allocator {
    /* Returns size bytes, suitably aligned for any type, or NULL. size > 0. */
    void *(*malloc)(void *ctx, size_t size);
    /* Resizes ptr (from this allocator, old_size bytes) to size bytes, or returns NULL and leaves ptr intact. */
    void *(*realloc)(void *ctx, void *ptr, size_t old_size, size_t size);
    /* Releases ptr (from this allocator, never NULL). */
    void (*free)(void *ctx, void *ptr);
    /* Passed unchanged to the three functions. */
    void *ctx;
} fb_allocator;

FB_END_DECLS

#endif /* FEEDBACK_ALLOC_H */
