/*
 * Raw deflate through zlib or, built with FB_WITH_LIBDEFLATE, libdeflate
 * (interface and allocation notes in deflate_backend.h). This file is the
 * only one that depends on the choice.
 */
#include "deflate_backend.h"

#include <string.h>

#include "alloc_private.h"
#include "error_private.h"

#ifdef FB_WITH_LIBDEFLATE
#include <libdeflate.h>
#else
#include <zlib.h>

#include "zlib_alloc.h"
#endif

/* The first output buffer for a zlib stream, when its declared raw length is larger. */
#define INFLATE_FIRST 65536u

/* Makes *buf hold at least size bytes (at least 1), keeping its contents when keep. */
static fb_status reserve(const fb_allocator *alloc, uint8_t **buf, size_t *cap, size_t size,
                         int keep)
{
    uint8_t *p;

    if (size == 0)
        size = 1;
    if (*buf && size <= *cap)
        return FB_OK;
    if (keep) {
        p = fb__realloc(alloc, *buf, *buf ? *cap : 0, size);
        if (!p)
            return FB_ERR_NOMEM;
    } else {
        /* Nothing to keep: no copy of the old bytes. */
        p = fb__malloc(alloc, size);
        if (!p)
            return FB_ERR_NOMEM;
        fb__free(alloc, *buf);
    }
    *buf = p;
    *cap = size;
    return FB_OK;
}

#ifdef FB_WITH_LIBDEFLATE

/* ================================================================ libdeflate */

/*
 * libdeflate 1.14 allocates its compressor and decompressor with malloc: its
 * only allocator hook, libdeflate_set_memory_allocator, is global state of
 * the process, which a library must leave to the program. So these two
 * objects do not go through the fb_allocator; everything else does.
 */

const char *fb__deflate_backend(void) { return "libdeflate"; }

struct fb__deflater {
    const fb_allocator *alloc;
    struct libdeflate_compressor *c;
    int level; /* the level c was allocated for; 0: none */
};

void fb__deflater_free(fb__deflater *z)
{
    if (!z)
        return;
    libdeflate_free_compressor(z->c); /* NULL: no-op */
    fb__free(z->alloc, z);
}

fb_status fb__deflater_compress(fb__deflater *z, int level, const void *src, size_t len,
                                fb__strbuf *out, size_t *stored)
{
    size_t bound, n;

    if (!z || !out || !stored || (len && !src) || level < 1 || level > 9)
        return FB_ERR_INVALID_ARG;
    if (z->level != level) {
        /* libdeflate levels 1..12; ours 1..9 map directly. */
        libdeflate_free_compressor(z->c);
        z->level = 0;
        z->c = libdeflate_alloc_compressor(level);
        if (!z->c)
            return FB_ERR_NOMEM;
        z->level = level;
    }
    bound = libdeflate_deflate_compress_bound(z->c, len);
    if (fb__strbuf_reserve(out, bound) != 0)
        return FB_ERR_NOMEM;
    n = libdeflate_deflate_compress(z->c, src, len, out->data + out->len, bound);
    if (n == 0)
        return FB_ERR_NOMEM; /* cannot happen with compress_bound's room */
    out->len += n;
    out->data[out->len] = '\0';
    *stored = n;
    return FB_OK;
}

struct fb__inflater {
    const fb_allocator *alloc;
    struct libdeflate_decompressor *d;
};

void fb__inflater_free(fb__inflater *z)
{
    if (!z)
        return;
    libdeflate_free_decompressor(z->d); /* NULL: no-op */
    fb__free(z->alloc, z);
}

fb_status fb__inflater_run(fb__inflater *z, const uint8_t *src, size_t stored, size_t raw,
                           uint8_t **buf, size_t *cap, const char *what, fb_error *err)
{
    size_t in_used = 0, got = 0;
    enum libdeflate_result r;

    if (!z->d) {
        z->d = libdeflate_alloc_decompressor();
        if (!z->d)
            return FB_ERR_NOMEM;
    }
    /* The whole output up front: the caller's caps bound raw (FB__LOG_MAX_RAW,
     * and 1032 raw bytes at most per stored byte). */
    FB__TRY(reserve(z->alloc, buf, cap, raw, 0));
    r = libdeflate_deflate_decompress_ex(z->d, src, stored, *buf, raw, &in_used, &got);
    switch (r) {
    case LIBDEFLATE_SUCCESS:
        break;
    case LIBDEFLATE_INSUFFICIENT_SPACE:
        return fb__error(err, FB_ERR_CORRUPT, NULL, "%s stream inflates past its declared %lu bytes",
                         what, (unsigned long)raw);
    case LIBDEFLATE_SHORT_OUTPUT: /* only without actual_out; here for completeness */
        return fb__error(err, FB_ERR_CORRUPT, NULL,
                         "%s stream inflates to fewer than the declared %lu bytes", what,
                         (unsigned long)raw);
    case LIBDEFLATE_BAD_DATA:
        return fb__error(err, FB_ERR_CORRUPT, NULL,
                         "%s stream: invalid deflate data (bad or truncated)", what);
    default:
        return fb__error(err, FB_ERR_CORRUPT, NULL,
                         "%s stream: invalid deflate data (libdeflate result %d)", what, (int)r);
    }
    if (got != raw)
        return fb__error(err, FB_ERR_CORRUPT, NULL,
                         "%s stream inflates to %lu bytes, not the declared %lu", what,
                         (unsigned long)got, (unsigned long)raw);
    if (in_used != stored)
        return fb__error(err, FB_ERR_CORRUPT, NULL,
                         "%s stream: %lu bytes after the end of the deflate data", what,
                         (unsigned long)(in_used < stored ? stored - in_used : 0));
    return FB_OK;
}

#else /* zlib */

/* ================================================================ zlib */

const char *fb__deflate_backend(void) { return "zlib"; }

struct fb__deflater {
    const fb_allocator *alloc;
    z_stream zs;
    int level; /* the level zs was set up for; 0: not set up */
};

void fb__deflater_free(fb__deflater *z)
{
    if (!z)
        return;
    if (z->level > 0)
        deflateEnd(&z->zs);
    fb__free(z->alloc, z);
}

static fb_status deflate_setup(fb__deflater *z, int level)
{
    if (z->level == level)
        return deflateReset(&z->zs) == Z_OK ? FB_OK : FB_ERR_NOMEM;
    if (z->level > 0) {
        /* A new level: set up again (rare; deflateParams on a reset stream
         * may emit a block on some zlib versions). */
        deflateEnd(&z->zs);
        z->level = 0;
    }
    memset(&z->zs, 0, sizeof z->zs);
    fb__zlib_use_allocator(&z->zs, z->alloc);
    if (deflateInit2(&z->zs, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return FB_ERR_NOMEM;
    z->level = level;
    return FB_OK;
}

fb_status fb__deflater_compress(fb__deflater *z, int level, const void *src, size_t len,
                                fb__strbuf *out, size_t *stored)
{
    uLong bound;
    int ret;

    if (!z || !out || !stored || (len && !src) || level < 1 || level > 9 || len > 0x7FFFFFFFu)
        return FB_ERR_INVALID_ARG;
    FB__TRY(deflate_setup(z, level));
    bound = deflateBound(&z->zs, (uLong)len);
    if (fb__strbuf_reserve(out, bound) != 0)
        return FB_ERR_NOMEM;
    z->zs.next_in = (Bytef *)(uintptr_t)src;
    z->zs.avail_in = (uInt)len;
    z->zs.next_out = (Bytef *)out->data + out->len;
    z->zs.avail_out = (uInt)bound;
    ret = deflate(&z->zs, Z_FINISH);
    if (ret != Z_STREAM_END)
        return FB_ERR_NOMEM; /* cannot happen with deflateBound's room */
    *stored = (size_t)z->zs.total_out;
    out->len += *stored;
    out->data[out->len] = '\0';
    return FB_OK;
}

struct fb__inflater {
    const fb_allocator *alloc;
    z_stream zs;
    int ready;
};

void fb__inflater_free(fb__inflater *z)
{
    if (!z)
        return;
    if (z->ready)
        inflateEnd(&z->zs);
    fb__free(z->alloc, z);
}

/* The output buffer grows as the data really inflates, so a lying raw length costs no large allocation. */
fb_status fb__inflater_run(fb__inflater *z, const uint8_t *src, size_t stored, size_t raw,
                           uint8_t **buf, size_t *cap, const char *what, fb_error *err)
{
    size_t have, got = 0;
    int ret;

    if (!z->ready) {
        memset(&z->zs, 0, sizeof z->zs);
        fb__zlib_use_allocator(&z->zs, z->alloc);
        ret = inflateInit2(&z->zs, -15);
        if (ret != Z_OK)
            return ret == Z_MEM_ERROR
                       ? FB_ERR_NOMEM
                       : fb__error(err, FB_ERR_CORRUPT, NULL, "cannot set up inflate");
        z->ready = 1;
    } else if (inflateReset(&z->zs) != Z_OK) {
        return fb__error(err, FB_ERR_CORRUPT, NULL, "cannot reset inflate");
    }
    have = !*buf ? 0 : *cap < raw ? *cap : raw;
    if (have < raw) {
        size_t first = stored * 4 > INFLATE_FIRST ? stored * 4 : INFLATE_FIRST;
        if (first > raw)
            first = raw;
        if (have < first) {
            FB__TRY(reserve(z->alloc, buf, cap, first, 1));
            have = first;
        }
    }
    if (have == 0)
        FB__TRY(reserve(z->alloc, buf, cap, 1, 1));
    z->zs.next_in = (Bytef *)(uintptr_t)src;
    z->zs.avail_in = (uInt)stored;
    for (;;) {
        z->zs.next_out = *buf + got;
        z->zs.avail_out = (uInt)(have - got);
        ret = inflate(&z->zs, Z_NO_FLUSH);
        got = (size_t)(z->zs.next_out - *buf);
        if (ret == Z_STREAM_END)
            break;
        if (ret == Z_MEM_ERROR)
            return FB_ERR_NOMEM;
        if (ret != Z_OK && ret != Z_BUF_ERROR)
            return fb__error(err, FB_ERR_CORRUPT, NULL, "%s stream: invalid deflate data (%s)",
                             what, z->zs.msg ? z->zs.msg : "error");
        if (got < have) /* all input used, the stream not ended */
            return fb__error(err, FB_ERR_CORRUPT, NULL,
                             "%s stream: deflate data ends before the end of the stream "
                             "(%lu of %lu bytes)",
                             what, (unsigned long)got, (unsigned long)raw);
        if (have < raw) {
            size_t next = have * 2 < raw ? have * 2 : raw;
            FB__TRY(reserve(z->alloc, buf, cap, next, 1));
            have = next;
            continue;
        }
        {
            /* Full at the declared length: anything more is too much. */
            uint8_t probe;
            z->zs.next_out = &probe;
            z->zs.avail_out = 1;
            ret = inflate(&z->zs, Z_NO_FLUSH);
            if (z->zs.avail_out == 0)
                return fb__error(err, FB_ERR_CORRUPT, NULL,
                                 "%s stream inflates past its declared %lu bytes", what,
                                 (unsigned long)raw);
            if (ret == Z_STREAM_END)
                break;
            if (ret == Z_MEM_ERROR)
                return FB_ERR_NOMEM;
            if (ret == Z_DATA_ERROR)
                return fb__error(err, FB_ERR_CORRUPT, NULL,
                                 "%s stream: invalid deflate data (%s)", what,
                                 z->zs.msg ? z->zs.msg : "error");
            return fb__error(err, FB_ERR_CORRUPT, NULL, "%s stream: incomplete deflate data",
                             what);
        }
    }
    if (got != raw)
        return fb__error(err, FB_ERR_CORRUPT, NULL,
                         "%s stream inflates to %lu bytes, not the declared %lu", what,
                         (unsigned long)got, (unsigned long)raw);
    if (z->zs.avail_in != 0)
        return fb__error(err, FB_ERR_CORRUPT, NULL,
                         "%s stream: %lu bytes after the end of the deflate data", what,
                         (unsigned long)z->zs.avail_in);
    return FB_OK;
}

#endif

/* The same for both implementations: each struct holds its allocator, the rest starts zeroed. */
fb__deflater *fb__deflater_new(const fb_allocator *alloc)
{
    fb__deflater *z = fb__calloc(alloc, sizeof *z);
    if (z)
        z->alloc = alloc;
    return z;
}

fb__inflater *fb__inflater_new(const fb_allocator *alloc)
{
    fb__inflater *z = fb__calloc(alloc, sizeof *z);
    if (z)
        z->alloc = alloc;
    return z;
}
