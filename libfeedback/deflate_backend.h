/*
 * Raw deflate (RFC 1951, no zlib or gzip wrapper) for the log's chunk streams:
 * the one place that knows which implementation does it. zlib by default;
 * libdeflate when built with the CMake option FB_WITH_LIBDEFLATE. Both write
 * and read the same format, so a log written by either reads with the other
 * (their compressed bytes differ; the streams they inflate to do not).
 *
 * Allocation: with zlib, everything goes through the fb_allocator given.
 * libdeflate 1.14 has no per-object allocator, only a process-wide one
 * (libdeflate_set_memory_allocator), which a library must not set: with
 * libdeflate its compressor and decompressor objects come from malloc; the
 * wrappers and the output buffers still come from the fb_allocator.
 */
#ifndef FB_DEFLATE_BACKEND_H
#define FB_DEFLATE_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "feedback/alloc.h"
#include "feedback/status.h"
#include "strbuf.h"

/* "zlib" or "libdeflate": the implementation built in. */
const char *fb__deflate_backend(void);

/* ---------------------------------------------------------------- compressing */

/* A compressor, reused from stream to stream. */
typedef struct fb__deflater fb__deflater;

/* A new compressor, allocating through alloc (NULL: the C library's); NULL when out of memory. */
fb__deflater *fb__deflater_new(const fb_allocator *alloc);
void fb__deflater_free(fb__deflater *z);

/*
 * Appends the raw deflate of the len bytes at src, at level (1..9), to out;
 * *stored: how many bytes that appended. The first call, or one at another
 * level than the last, sets the compressor up. Errors: FB_ERR_NOMEM (out is
 * then unchanged), FB_ERR_INVALID_ARG.
 */
fb_status fb__deflater_compress(fb__deflater *z, int level, const void *src, size_t len,
                                fb__strbuf *out, size_t *stored);

/* ---------------------------------------------------------------- inflating */

/* A decompressor, reused from stream to stream. */
typedef struct fb__inflater fb__inflater;

/* A new decompressor, allocating through alloc (NULL: the C library's); NULL when out of memory. */
fb__inflater *fb__inflater_new(const fb_allocator *alloc);
void fb__inflater_free(fb__inflater *z);

/*
 * Inflates the stored bytes at src into *buf (capacity *cap, allocated through
 * the inflater's allocator, grown as needed, at least 1 byte on FB_OK): the
 * data must inflate to exactly raw bytes and end exactly at src + stored.
 * The caller bounds raw (the format's caps) before calling: with zlib the
 * buffer grows as the data really inflates; libdeflate needs all raw bytes
 * up front. what names the stream in messages ("answer score"). Errors: FB_ERR_CORRUPT
 * (message in err, when not NULL), FB_ERR_NOMEM.
 */
fb_status fb__inflater_run(fb__inflater *z, const uint8_t *src, size_t stored, size_t raw,
                           uint8_t **buf, size_t *cap, const char *what, fb_error *err);

#endif
