/*
 * The file layer of the binary log: the file header, the byte source, the
 * search for sync markers, the walk over the chunks, the trailer and the
 * index chunk (log_file.h; layouts in log_format.h).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#if defined(__linux__) && defined(__GLIBC__) && \
    (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 25))
#include <sys/random.h>
#define FB__HAVE_GETRANDOM 1
#endif

#include "alloc_private.h"
#include "error_private.h"
#include "feedback/version.h"
#include "log_file.h"
#include "varint.h"

/* The size of one read while scanning for a sync marker. */
#define FB__SCAN_WINDOW ((size_t)64 * 1024)

static uint32_t crc_of(const uint8_t *p, size_t n)
{
    uLong c = crc32(0L, Z_NULL, 0);
    while (n > 0) {
        uInt part = n > 0x40000000u ? 0x40000000u : (uInt)n;
        c = crc32(c, p, part);
        p += part;
        n -= part;
    }
    return (uint32_t)c;
}

/* ------------------------------------------------------------------ */
/* Byte source                                                         */
/* ------------------------------------------------------------------ */

fb_status fb__log_src_open(fb__log_src *s, const fb_allocator *alloc, const char *path, int flags,
                           fb_error *err)
{
    struct stat st;
    char why[96];

    memset(s, 0, sizeof *s);
    s->alloc = fb__alloc_or_default(alloc);
    s->fd = -1;
    {
        char q[88];
        fb__quote(q, sizeof q, path, strlen(path), 80);
        snprintf(s->name, sizeof s->name, "'%s'", q);
    }
    do {
        s->fd = open(path, flags | O_CLOEXEC, 0666);
    } while (s->fd < 0 && errno == EINTR);
    if (s->fd < 0)
        return fb__error(err, FB_ERR_IO, "", "cannot open %s: %s", s->name,
                         fb__strerror(errno, why, sizeof why));
    if (fstat(s->fd, &st) != 0) {
        int e = errno;
        close(s->fd);
        s->fd = -1;
        return fb__error(err, FB_ERR_IO, "", "cannot stat %s: %s", s->name,
                         fb__strerror(e, why, sizeof why));
    }
    if (!S_ISREG(st.st_mode)) {
        close(s->fd);
        s->fd = -1;
        return fb__error(err, FB_ERR_IO, "", "%s is not a regular file", s->name);
    }
    s->size = (uint64_t)st.st_size;
    return FB_OK;
}

void fb__log_src_memory(fb__log_src *s, const fb_allocator *alloc, const void *data, size_t len)
{
    memset(s, 0, sizeof *s);
    s->alloc = fb__alloc_or_default(alloc);
    s->fd = -1;
    s->mem = data ? data : (const uint8_t *)"";
    s->size = data ? len : 0;
    strcpy(s->name, "the buffer");
}

void fb__log_src_close(fb__log_src *s)
{
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
}

fb_status fb__log_src_read(fb__log_src *s, uint64_t off, void *buf, size_t n, size_t *got,
                           fb_error *err)
{
    uint8_t *out = buf;
    char why[96];

    *got = 0;
    if (s->fd < 0) {
        if (off < s->size) {
            uint64_t avail = s->size - off;
            *got = avail < n ? (size_t)avail : n;
            memcpy(out, s->mem + off, *got);
        }
        return FB_OK;
    }
    while (*got < n) {
        ssize_t r = pread(s->fd, out + *got, n - *got, (off_t)(off + *got));
        if (r < 0) {
            if (errno == EINTR)
                continue;
            fb__error(err, FB_ERR_IO, "", "%s: read failed at offset %llu: %s", s->name,
                      (unsigned long long)(off + *got), fb__strerror(errno, why, sizeof why));
            fb__error_at(err, 0, off + *got);
            return FB_ERR_IO;
        }
        if (r == 0)
            break;
        *got += (size_t)r;
    }
    return FB_OK;
}

fb_status fb__log_src_view(fb__log_src *s, uint64_t off, size_t n, fb__strbuf *scratch,
                           const uint8_t **p, fb_error *err)
{
    size_t got;

    if (s->fd < 0) {
        if (off > s->size || s->size - off < n)
            return fb__error(err, FB_ERR_IO, "", "%s: %zu bytes at offset %llu lie past the end",
                             s->name, n, (unsigned long long)off);
        *p = s->mem + off;
        return FB_OK;
    }
    fb__strbuf_reset(scratch);
    if (fb__strbuf_reserve(scratch, n) != 0)
        return fb__error(err, FB_ERR_NOMEM, "", "out of memory reading %zu bytes", n);
    FB__TRY(fb__log_src_read(s, off, scratch->data, n, &got, err));
    if (got < n) {
        fb__error(err, FB_ERR_IO, "", "%s: the file shrank while reading at offset %llu", s->name,
                  (unsigned long long)off);
        fb__error_at(err, 0, off);
        return FB_ERR_IO;
    }
    scratch->len = n;
    *p = (const uint8_t *)scratch->data;
    return FB_OK;
}

static fb_status payload_read(void *ctx, uint32_t off, void *buf, size_t n, fb_error *err)
{
    fb__log_payload *p = ctx;
    uint64_t at = p->base + off;
    size_t got;

    FB__TRY(fb__log_src_read(p->src, at, buf, n, &got, err));
    if (got < n) {
        fb__error(err, FB_ERR_IO, "", "%s: the file shrank while reading at offset %llu",
                  p->src->name, (unsigned long long)at);
        fb__error_at(err, 0, at);
        return FB_ERR_IO;
    }
    return FB_OK;
}

void fb__log_payload_init(fb__log_payload *p, fb__log_src *s, uint64_t chunk_offset)
{
    p->src = s;
    p->base = chunk_offset + FB__LOG_CHUNK_HEADER;
    p->ps.mem = s->fd < 0 ? s->mem + p->base : NULL;
    p->ps.read = payload_read;
    p->ps.ctx = p;
}

/* ------------------------------------------------------------------ */
/* Randomness and time                                                 */
/* ------------------------------------------------------------------ */

fb_status fb__log_random(uint8_t *buf, size_t n, fb_error *err)
{
    size_t have = 0;
    char why[96];
    int fd, e;

#ifdef FB__HAVE_GETRANDOM
    while (have < n) {
        ssize_t r = getrandom(buf + have, n - have, 0);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            break; /* ENOSYS and the like: fall back to /dev/urandom */
        }
        have += (size_t)r;
    }
    if (have == n)
        return FB_OK;
#endif
    do {
        fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0)
        return fb__error(err, FB_ERR_IO, "", "no random source for the sync marker: %s",
                         fb__strerror(errno, why, sizeof why));
    while (have < n) {
        ssize_t r = read(fd, buf + have, n - have);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            e = r < 0 ? errno : EIO;
            close(fd);
            return fb__error(err, FB_ERR_IO, "", "cannot read /dev/urandom: %s",
                             fb__strerror(e, why, sizeof why));
        }
        have += (size_t)r;
    }
    close(fd);
    return FB_OK;
}

static fb_time now_ms(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0 || ts.tv_sec < 0)
        return FB_TIME_UNKNOWN;
    return (fb_time)ts.tv_sec * 1000 + (fb_time)(ts.tv_nsec / 1000000);
}

/* ------------------------------------------------------------------ */
/* File header                                                         */
/* ------------------------------------------------------------------ */

fb_status fb__log_header_build(fb__log_header *h, fb__strbuf *out, fb_error *err)
{
    uint8_t fixed[FB__LOG_HEADER_FIXED], crc[4];
    fb__strbuf meta;
    size_t start = out->len;
    int bad = 0;

    memset(h, 0, sizeof *h);
    h->major = FB__LOG_MAJOR;
    h->minor = FB__LOG_MINOR;
    FB__TRY(fb__log_random(h->sync, sizeof h->sync, err));
    snprintf(h->writer, sizeof h->writer, "libfeedback %s", fb_version());
    h->created = now_ms();

    fb__strbuf_init(&meta, out->alloc);
    bad |= fb__put_varint(&meta, (FB__LOG_META_WRITER << 3) | FB__WT_LEN);
    bad |= fb__put_varint(&meta, strlen(h->writer));
    bad |= fb__strbuf_append(&meta, h->writer, strlen(h->writer));
    if (h->created != FB_TIME_UNKNOWN) {
        bad |= fb__put_varint(&meta, (FB__LOG_META_CREATED << 3) | FB__WT_VARINT);
        bad |= fb__put_varint(&meta, (uint64_t)h->created);
    }
    memcpy(fixed, FB__LOG_MAGIC, FB__LOG_MAGIC_SIZE);
    fixed[8] = FB__LOG_MAJOR;
    fixed[9] = FB__LOG_MINOR;
    fb__store_u16(fixed + 10, 0);
    memcpy(fixed + 12, h->sync, FB__LOG_SYNC_SIZE);
    fb__store_u32(fixed + 28, (uint32_t)meta.len);
    bad |= fb__strbuf_append(out, (const char *)fixed, sizeof fixed);
    bad |= fb__strbuf_append(out, meta.data ? meta.data : "", meta.len);
    fb__strbuf_free(&meta);
    if (!bad) {
        fb__store_u32(crc, crc_of((const uint8_t *)out->data + start, out->len - start));
        bad |= fb__strbuf_append(out, (const char *)crc, sizeof crc);
    }
    if (bad) {
        out->len = start;
        return fb__error(err, FB_ERR_NOMEM, "", "out of memory building the file header");
    }
    h->size = out->len - start;
    return FB_OK;
}

/* What a text-mode transfer may have made of the magic, or NULL. */
static const char *text_damage(const uint8_t *b, size_t n)
{
    static const uint8_t crlf_to_lf[] = {0x89, 'F', 'B', 'L', 0x0A, 0x1A, 0x0A};
    static const uint8_t lf_to_crlf[] = {0x89, 'F', 'B', 'L', 0x0D, 0x0D, 0x0A, 0x1A};
    static const uint8_t high_bit[] = {0x09, 'F', 'B', 'L', 0x0D, 0x0A, 0x1A, 0x0A};
    static const uint8_t utf8[] = {0xC2, 0x89, 'F', 'B', 'L'};
    static const uint8_t replaced[] = {0xEF, 0xBF, 0xBD, 'F', 'B', 'L'};

    if (n >= sizeof crlf_to_lf && memcmp(b, crlf_to_lf, sizeof crlf_to_lf) == 0)
        return "CR LF turned into LF";
    if (n >= sizeof lf_to_crlf && memcmp(b, lf_to_crlf, sizeof lf_to_crlf) == 0)
        return "LF turned into CR LF";
    if (n >= sizeof high_bit && memcmp(b, high_bit, sizeof high_bit) == 0)
        return "the high bit of each byte stripped";
    if (n >= sizeof utf8 && memcmp(b, utf8, sizeof utf8) == 0)
        return "bytes re-encoded as UTF-8";
    if (n >= sizeof replaced && memcmp(b, replaced, sizeof replaced) == 0)
        return "non-text bytes replaced by U+FFFD";
    return NULL;
}

static fb_status parse_meta(fb__log_header *h, const uint8_t *p, size_t len, const char *name,
                            fb_error *err)
{
    size_t pos = 0;

    while (pos < len) {
        uint64_t tag, v;
        size_t at = pos;
        if (fb__get_varint(p, len, &pos, &tag) != 0)
            goto bad;
        switch (tag & 7) {
        case FB__WT_VARINT:
            if (fb__get_varint(p, len, &pos, &v) != 0)
                goto bad;
            if ((tag >> 3) == FB__LOG_META_CREATED)
                h->created = v <= (uint64_t)FB_TIME_MAX ? (fb_time)v : FB_TIME_UNKNOWN;
            break;
        case FB__WT_LEN:
            if (fb__get_varint(p, len, &pos, &v) != 0 || v > len - pos)
                goto bad;
            if ((tag >> 3) == FB__LOG_META_WRITER)
                fb__quote(h->writer, sizeof h->writer, (const char *)p + pos, (size_t)v, 56);
            pos += (size_t)v;
            break;
        case FB__WT_FIXED64:
            if (len - pos < 8)
                goto bad;
            pos += 8;
            break;
        default:
            goto bad;
        }
        continue;
    bad:
        fb__error(err, FB_ERR_CORRUPT, "", "%s: malformed file header metadata at offset %llu",
                  name, (unsigned long long)(FB__LOG_HEADER_FIXED + at));
        fb__error_at(err, 0, FB__LOG_HEADER_FIXED + at);
        return FB_ERR_CORRUPT;
    }
    return FB_OK;
}

fb_status fb__log_header_read(fb__log_src *s, fb__log_header *h, fb_error *err)
{
    uint8_t b[FB__LOG_HEADER_FIXED];
    const uint8_t *all;
    const char *why;
    fb__strbuf scratch;
    uint32_t meta_len;
    uint64_t total;
    size_t got;
    fb_status st;

    memset(h, 0, sizeof *h);
    h->created = FB_TIME_UNKNOWN;
    FB__TRY(fb__log_src_read(s, 0, b, sizeof b, &got, err));
    if (got == 0)
        return fb__error(err, FB_ERR_FORMAT, "", "%s is empty, not a libfeedback log", s->name);
    if (got < FB__LOG_MAGIC_SIZE || memcmp(b, FB__LOG_MAGIC, FB__LOG_MAGIC_SIZE) != 0) {
        why = text_damage(b, got);
        if (why)
            return fb__error(err, FB_ERR_FORMAT, "",
                             "%s is not a usable libfeedback log: its magic number looks damaged "
                             "by a text-mode transfer (%s); copy the file in binary mode",
                             s->name, why);
        if (got < FB__LOG_MAGIC_SIZE && memcmp(b, FB__LOG_MAGIC, got) == 0)
            return fb__error(err, FB_ERR_CORRUPT, "",
                             "%s: the file header is cut short (%zu bytes)", s->name, got);
        return fb__error(err, FB_ERR_FORMAT, "",
                         "%s is not a libfeedback log (wrong magic number at offset 0)", s->name);
    }
    if (got < FB__LOG_HEADER_FIXED)
        return fb__error(err, FB_ERR_CORRUPT, "", "%s: the file header is cut short (%zu bytes)",
                         s->name, got);
    h->major = b[8];
    h->minor = b[9];
    if (h->major != FB__LOG_MAJOR)
        return fb__error(err, FB_ERR_VERSION, "",
                         "%s was written in log format version %d.%d; this library reads "
                         "version %d.x",
                         s->name, h->major, h->minor, FB__LOG_MAJOR);
    h->flags = fb__load_u16(b + 10);
    memcpy(h->sync, b + 12, FB__LOG_SYNC_SIZE);
    meta_len = fb__load_u32(b + 28);
    if (meta_len > FB__LOG_META_MAX) {
        fb__error(err, FB_ERR_CORRUPT, "",
                  "%s: the file header's metadata length %lu exceeds %d (offset 28)", s->name,
                  (unsigned long)meta_len, FB__LOG_META_MAX);
        fb__error_at(err, 0, 28);
        return FB_ERR_CORRUPT;
    }
    total = (uint64_t)FB__LOG_HEADER_FIXED + meta_len + 4;
    if (s->size < total)
        return fb__error(err, FB_ERR_CORRUPT, "",
                         "%s: the file header is cut short (%llu of %llu bytes)", s->name,
                         (unsigned long long)s->size, (unsigned long long)total);
    fb__strbuf_init(&scratch, s->alloc);
    st = fb__log_src_view(s, 0, (size_t)total, &scratch, &all, err);
    if (st == FB_OK && crc_of(all, (size_t)total - 4) != fb__load_u32(all + total - 4)) {
        st = fb__error(err, FB_ERR_CORRUPT, "", "%s: file header checksum mismatch", s->name);
    }
    if (st == FB_OK)
        st = parse_meta(h, all + FB__LOG_HEADER_FIXED, meta_len, s->name, err);
    fb__strbuf_free(&scratch);
    h->size = total;
    return st;
}

/* ------------------------------------------------------------------ */
/* Sync markers                                                        */
/* ------------------------------------------------------------------ */

/* True when a chunk header at off (60 bytes within limit) verifies. */
static fb_status header_verifies(fb__log_src *s, const uint8_t *sync, uint64_t off, uint64_t limit,
                                 bool *ok, fb__chunk_header *h, fb_error *err)
{
    uint8_t buf[FB__LOG_CHUNK_HEADER];
    const uint8_t *p = buf;
    size_t got;

    *ok = false;
    if (off > limit || limit - off < FB__LOG_CHUNK_HEADER)
        return FB_OK;
    if (s->fd < 0) {
        p = s->mem + off;
    } else {
        FB__TRY(fb__log_src_read(s, off, buf, sizeof buf, &got, err));
        if (got < sizeof buf)
            return FB_OK;
    }
    *ok = fb__chunk_header_read(p, sync, h, NULL) == FB_OK;
    return FB_OK;
}

fb_status fb__log_find_chunk(fb__log_src *s, const uint8_t *sync, uint64_t from, uint64_t limit,
                             uint64_t *found, fb_error *err)
{
    uint8_t *window = NULL;
    uint64_t off = from;
    fb_status st = FB_OK;
    fb__chunk_header h;

    *found = limit;
    if (limit > s->size)
        limit = s->size;
    if (s->fd >= 0) {
        window = fb__malloc(s->alloc, FB__SCAN_WINDOW);
        if (!window)
            return fb__error(err, FB_ERR_NOMEM, "", "out of memory scanning for a sync marker");
    }
    while (off < limit && limit - off >= FB__LOG_CHUNK_HEADER) {
        const uint8_t *p;
        size_t n, i = 0;
        if (s->fd < 0) {
            p = s->mem + off;
            n = (size_t)(limit - off);
        } else {
            uint64_t want = limit - off;
            st = fb__log_src_read(s, off, window, want < FB__SCAN_WINDOW ? (size_t)want
                                                                         : FB__SCAN_WINDOW,
                                  &n, err);
            if (st != FB_OK)
                break;
            p = window;
        }
        if (n < FB__LOG_SYNC_SIZE)
            break;
        while (i + FB__LOG_SYNC_SIZE <= n) {
            const uint8_t *q = memchr(p + i, sync[0], n - FB__LOG_SYNC_SIZE + 1 - i);
            bool ok;
            if (!q)
                break;
            i = (size_t)(q - p);
            if (memcmp(q, sync, FB__LOG_SYNC_SIZE) == 0) {
                st = header_verifies(s, sync, off + i, limit, &ok, &h, err);
                if (st != FB_OK)
                    goto out;
                if (ok) {
                    *found = off + i;
                    goto out;
                }
                if (limit - (off + i) < FB__LOG_CHUNK_HEADER)
                    goto out; /* no header can follow */
            }
            i++;
        }
        if (s->fd < 0 || n < FB__SCAN_WINDOW)
            break;
        off += n - (FB__LOG_SYNC_SIZE - 1);
    }
out:
    fb__free(s->alloc, window);
    return st;
}

/* ------------------------------------------------------------------ */
/* Trailer and payloads                                                */
/* ------------------------------------------------------------------ */

static uint32_t trailer_crc(const uint8_t *p, const uint8_t *sync)
{
    uLong c = crc32(0L, Z_NULL, 0);
    c = crc32(c, p, 24);
    c = crc32(c, sync, FB__LOG_SYNC_SIZE);
    return (uint32_t)c;
}

void fb__log_trailer_write(uint8_t *p, const uint8_t *sync, uint64_t index_offset,
                           uint64_t records)
{
    fb__store_u64(p, index_offset);
    fb__store_u64(p + 8, records);
    memcpy(p + 16, FB__LOG_TRAILER_MAGIC, 8);
    fb__store_u32(p + 24, trailer_crc(p, sync));
    fb__store_u32(p + 28, 0);
}

fb_status fb__log_trailer_read(fb__log_src *s, const fb__log_header *fh, bool *ok,
                               uint64_t *index_offset, uint64_t *records, fb_error *err)
{
    uint8_t b[FB__LOG_TRAILER_SIZE];
    size_t got;
    uint64_t start;

    *ok = false;
    if (s->size < fh->size + FB__LOG_CHUNK_OVERHEAD + FB__LOG_TRAILER_SIZE)
        return FB_OK;
    start = s->size - FB__LOG_TRAILER_SIZE;
    FB__TRY(fb__log_src_read(s, start, b, sizeof b, &got, err));
    if (got < sizeof b || memcmp(b + 16, FB__LOG_TRAILER_MAGIC, 8) != 0 ||
        trailer_crc(b, fh->sync) != fb__load_u32(b + 24))
        return FB_OK;
    *index_offset = fb__load_u64(b);
    *records = fb__load_u64(b + 8);
    if (*index_offset < fh->size || *index_offset > start ||
        start - *index_offset < FB__LOG_CHUNK_OVERHEAD)
        return FB_OK;
    *ok = true;
    return FB_OK;
}

bool fb__log_payload_ok(const uint8_t *payload, uint32_t payload_len)
{
    return crc_of(payload, payload_len) == fb__load_u32(payload + payload_len);
}

/* ------------------------------------------------------------------ */
/* The walk                                                            */
/* ------------------------------------------------------------------ */

void fb__log_walk_init(fb__log_walk *w, fb__log_src *src, const uint8_t *sync, uint64_t pos,
                       uint64_t end)
{
    memset(w, 0, sizeof *w);
    w->src = src;
    w->sync = sync;
    w->pos = pos;
    w->end = end;
    w->stop = UINT64_MAX;
    w->owns_pos = true;
}

void fb__log_walk_seek(fb__log_walk *w, uint64_t pos)
{
    w->pos = pos;
    w->owns_pos = pos < w->stop;
    w->done = false;
}

static void damage(fb__log_item *it, uint64_t offset, uint64_t bytes, fb_status reason,
                   int64_t records, const char *fmt, ...) FB__PRINTF(6, 7);

static void damage(fb__log_item *it, uint64_t offset, uint64_t bytes, fb_status reason,
                   int64_t records, const char *fmt, ...)
{
    va_list ap;

    memset(it, 0, sizeof *it);
    it->damage = true;
    it->offset = it->d.offset = offset;
    it->bytes = it->d.bytes = bytes;
    it->d.reason = reason;
    it->d.records = records;
    va_start(ap, fmt);
    vsnprintf(it->d.message, sizeof it->d.message, fmt, ap);
    va_end(ap);
}

void fb__log_item_damage(fb__log_item *it, fb_status reason, int64_t records, const char *fmt, ...)
{
    va_list ap;

    it->damage = true;
    it->d.offset = it->offset;
    it->d.bytes = it->bytes;
    it->d.reason = reason;
    it->d.records = records;
    va_start(ap, fmt);
    vsnprintf(it->d.message, sizeof it->d.message, fmt, ap);
    va_end(ap);
}

fb_status fb__log_walk_next(fb__log_walk *w, fb__log_item *it, fb_error *err)
{
    uint8_t buf[FB__LOG_CHUNK_HEADER];
    fb_error herr;
    uint64_t pos = w->pos, left, next;
    bool owned_next;
    size_t got;

    if (w->done || pos >= w->end) {
        w->done = true;
        return FB_DONE;
    }
    if (pos < w->stop)
        w->owns_pos = true;
    else if (!w->owns_pos) {
        w->done = true;
        return FB_DONE;
    }
    /* What follows pos is this walk's only while pos lies before stop. */
    owned_next = pos < w->stop;
    left = w->end - pos;
    FB__TRY(fb__log_src_read(w->src, pos, buf,
                             left < sizeof buf ? (size_t)left : sizeof buf, &got, err));
    if (got < left && got < sizeof buf) {
        /* The file shrank: treat what is missing as the end. */
        w->end = pos + got;
        left = got;
    }
    if (left < FB__LOG_CHUNK_HEADER) {
        size_t cmp = left < FB__LOG_SYNC_SIZE ? (size_t)left : FB__LOG_SYNC_SIZE;
        w->pos = w->end;
        if (memcmp(buf, w->sync, cmp) == 0)
            damage(it, pos, left, FB_ERR_CORRUPT, -1, "torn chunk at the end: %llu bytes",
                   (unsigned long long)left);
        else
            damage(it, pos, left, FB_ERR_CORRUPT, -1, "%llu bytes at the end hold no chunk",
                   (unsigned long long)left);
        w->owns_pos = owned_next;
        return FB_OK;
    }
    fb_error_clear(&herr);
    if (fb__chunk_header_read(buf, w->sync, &it->h, &herr) == FB_OK) {
        uint64_t len = (uint64_t)FB__LOG_CHUNK_OVERHEAD + it->h.payload_len;
        if (pos >= w->stop) {
            w->done = true;
            return FB_DONE;
        }
        if (len > left) {
            int64_t records = it->h.count;
            w->pos = w->end;
            damage(it, pos, left, FB_ERR_CORRUPT, records,
                   "torn chunk at the end: %llu of its %llu bytes", (unsigned long long)left,
                   (unsigned long long)len);
            w->owns_pos = owned_next;
            return FB_OK;
        }
        it->damage = false;
        it->offset = pos;
        it->bytes = len;
        w->pos = pos + len;
        w->owns_pos = owned_next;
        return FB_OK;
    }
    /* Damage: runs to the next sync marker whose header verifies. */
    FB__TRY(fb__log_find_chunk(w->src, w->sync, pos + 1, w->end, &next, err));
    w->pos = next;
    if (memcmp(buf, w->sync, FB__LOG_SYNC_SIZE) != 0)
        damage(it, pos, next - pos, FB_ERR_CORRUPT, -1, "no sync marker where a chunk should start");
    else
        damage(it, pos, next - pos, FB_ERR_CORRUPT, -1, "%s",
               herr.message[0] ? herr.message : "chunk header does not verify");
    w->owns_pos = owned_next;
    return FB_OK;
}

fb__log_kind fb__log_chunk_kind(const fb__chunk_header *h)
{
    if (h->type == FB__LOG_CHUNK_DATA)
        return FB__KIND_DATA;
    if (h->type == FB__LOG_CHUNK_INDEX)
        return FB__KIND_INDEX;
    return (h->type & FB__LOG_IGNORABLE) ? FB__KIND_IGNORE : FB__KIND_UNKNOWN;
}

bool fb__log_item_passes_over(fb__log_item *it)
{
    if (it->damage)
        return false;
    switch (fb__log_chunk_kind(&it->h)) {
    case FB__KIND_INDEX:
    case FB__KIND_IGNORE:
        return true;
    case FB__KIND_UNKNOWN:
        fb__log_item_damage(it, FB_ERR_VERSION, it->h.count,
                            "chunk of unknown type 0x%02x (a newer format?)",
                            (unsigned)it->h.type);
        return false;
    case FB__KIND_DATA:
        break;
    }
    return false;
}

/* ------------------------------------------------------------------ */
/* Index chunk                                                         */
/* ------------------------------------------------------------------ */

fb_status fb__log_index_build(const fb__log_entry *e, size_t n, uint64_t records,
                              const uint8_t *sync, fb__strbuf *out)
{
    fb__chunk_header h;
    fb__strbuf pay;
    uint8_t head[FB__LOG_CHUNK_HEADER], crc[4];
    uint64_t prev = 0;
    size_t i;
    int bad = 0;

    memset(&h, 0, sizeof h);
    for (i = 0; i < n; i++) {
        if (i == 0 || e[i].min_time < h.min_time)
            h.min_time = e[i].min_time;
        if (i == 0 || e[i].max_time > h.max_time)
            h.max_time = e[i].max_time;
    }
    fb__strbuf_init(&pay, out->alloc);
    bad |= fb__put_varint(&pay, n);
    for (i = 0; i < n && !bad; i++) {
        bad |= fb__put_varint(&pay, e[i].offset - prev);
        bad |= fb__put_varint(&pay, e[i].count);
        bad |= fb__put_varint(&pay, (uint64_t)(e[i].min_time - h.min_time));
        bad |= fb__put_varint(&pay, (uint64_t)(e[i].max_time - e[i].min_time));
        prev = e[i].offset;
    }
    if (bad) {
        fb__strbuf_free(&pay);
        return FB_ERR_NOMEM;
    }
    if (pay.len > FB__LOG_MAX_PAYLOAD) {
        fb__strbuf_free(&pay);
        return FB_ERR_TOO_LONG;
    }
    h.type = FB__LOG_CHUNK_INDEX;
    h.payload_len = h.raw_len = (uint32_t)pay.len;
    h.first_seq = records;
    fb__chunk_header_write(head, sync, &h);
    fb__store_u32(crc, crc_of((const uint8_t *)(pay.data ? pay.data : ""), pay.len));
    bad |= fb__strbuf_reserve(out, sizeof head + pay.len + sizeof crc);
    if (!bad) {
        fb__strbuf_append(out, (const char *)head, sizeof head);
        fb__strbuf_append(out, pay.data ? pay.data : "", pay.len);
        fb__strbuf_append(out, (const char *)crc, sizeof crc);
    }
    fb__strbuf_free(&pay);
    return bad ? FB_ERR_NOMEM : FB_OK;
}

fb_status fb__log_index_read(fb__log_src *s, const fb__log_header *fh, uint64_t index_offset,
                             uint64_t records, bool *ok, fb__log_entry **entries, size_t *n,
                             fb_error *err)
{
    fb__chunk_header h;
    fb__strbuf scratch;
    fb__log_entry *e = NULL;
    const uint8_t *p;
    uint64_t count, sum = 0, off = 0, v, span;
    size_t pos = 0, i;
    bool hdr_ok;
    fb_status st;

    *ok = false;
    *entries = NULL;
    *n = 0;
    FB__TRY(header_verifies(s, fh->sync, index_offset, s->size, &hdr_ok, &h, err));
    if (!hdr_ok || h.type != FB__LOG_CHUNK_INDEX || h.first_seq != records ||
        index_offset + FB__LOG_CHUNK_OVERHEAD + h.payload_len !=
            s->size - FB__LOG_TRAILER_SIZE)
        return FB_OK;
    fb__strbuf_init(&scratch, s->alloc);
    st = fb__log_src_view(s, index_offset + FB__LOG_CHUNK_HEADER, (size_t)h.payload_len + 4,
                          &scratch, &p, err);
    if (st != FB_OK || !fb__log_payload_ok(p, h.payload_len))
        goto out;
    if (fb__get_varint(p, h.payload_len, &pos, &count) != 0 || count > h.payload_len / 4)
        goto out;
    span = (uint64_t)h.max_time - (uint64_t)h.min_time;
    if (count > 0) {
        e = fb__calloc(s->alloc, (size_t)count * sizeof *e);
        if (!e) {
            st = fb__error(err, FB_ERR_NOMEM, "", "out of memory reading the index");
            goto out;
        }
    }
    for (i = 0; i < count; i++) {
        uint64_t cnt, dmin, dspan;
        if (fb__get_varint(p, h.payload_len, &pos, &v) != 0 ||
            fb__get_varint(p, h.payload_len, &pos, &cnt) != 0 ||
            fb__get_varint(p, h.payload_len, &pos, &dmin) != 0 ||
            fb__get_varint(p, h.payload_len, &pos, &dspan) != 0)
            goto out;
        if ((i > 0 && v == 0) || v > index_offset - off)
            goto out;
        off += v;
        if (off < fh->size || index_offset - off < FB__LOG_CHUNK_OVERHEAD)
            goto out;
        if (cnt == 0 || cnt > FB__LOG_MAX_RECORDS)
            goto out;
        if (dmin > span || dspan > span - dmin)
            goto out;
        e[i].offset = off;
        e[i].first_seq = sum;
        e[i].count = (uint32_t)cnt;
        e[i].min_time = (int64_t)((uint64_t)h.min_time + dmin);
        e[i].max_time = (int64_t)((uint64_t)e[i].min_time + dspan);
        sum += cnt;
    }
    if (pos != h.payload_len || sum != records)
        goto out;
    *ok = true;
    *entries = e;
    *n = (size_t)count;
    e = NULL;
out:
    fb__free(s->alloc, e);
    fb__strbuf_free(&scratch);
    return st;
}
