/*
 * fb_log_info_read: describes a log by walking its chunk headers and checking
 * the payload checksums, without inflating anything (log.h).
 */
#define _POSIX_C_SOURCE 200809L

#include <fcntl.h>
#include <string.h>

#include "alloc_private.h"
#include "error_private.h"
#include "log_file.h"

static void count_damage(fb_log_info *info, const fb_log_damage *d, fb_log_damage_fn on_damage,
                         void *ctx)
{
    info->damaged_regions++;
    info->damaged_bytes += d->bytes;
    if (on_damage)
        on_damage(ctx, d);
}

static fb_status walk_chunks(fb__log_src *src, const fb__log_header *fh, uint64_t end,
                             fb_log_info *info, fb_log_damage_fn on_damage, void *ctx,
                             fb_error *err)
{
    fb__log_walk walk;
    fb__log_item it;
    fb__strbuf scratch;
    fb_status st;

    fb__strbuf_init(&scratch, src->alloc);
    fb__log_walk_init(&walk, src, fh->sync, fh->size, end);
    while ((st = fb__log_walk_next(&walk, &it, err)) == FB_OK) {
        if (fb__log_item_passes_over(&it))
            continue;
        if (!it.damage) { /* a data chunk */
            const uint8_t *p;
            st = fb__log_src_view(src, it.offset + FB__LOG_CHUNK_HEADER,
                                  (size_t)it.h.payload_len + 4, &scratch, &p, err);
            if (st != FB_OK)
                goto out;
            if (fb__log_payload_ok(p, it.h.payload_len)) {
                if (info->chunks == 0 || it.h.min_time < info->first)
                    info->first = it.h.min_time;
                if (info->chunks == 0 || it.h.max_time > info->last)
                    info->last = it.h.max_time;
                info->chunks++;
                info->records += it.h.count;
                info->bytes_stored += it.h.payload_len;
                info->bytes_raw += it.h.raw_len;
                continue;
            }
            fb__log_item_damage(&it, FB_ERR_CORRUPT, it.h.count, "chunk payload checksum mismatch");
        }
        count_damage(info, &it.d, on_damage, ctx);
    }
    if (st == FB_DONE)
        st = FB_OK;
out:
    fb__strbuf_free(&scratch);
    return st;
}

fb_status fb_log_info_read(const char *path, fb_log_info *info, fb_log_damage_fn on_damage,
                           void *ctx, fb_error *err)
{
    fb__log_src src;
    fb__log_header fh;
    fb__log_entry *entries = NULL;
    uint64_t index_offset = 0, records = 0;
    size_t n_entries = 0;
    bool trailer_ok = false, index_ok = false;
    fb_status st;

    if (!path || !*path || !info)
        return fb__error(err, FB_ERR_INVALID_ARG, "", "fb_log_info_read: %s is NULL or empty",
                         info ? "path" : "info");
    memset(info, 0, sizeof *info);
    info->created = info->first = info->last = FB_TIME_UNKNOWN;
    FB__TRY(fb__log_src_open(&src, NULL, path, O_RDONLY, err));
    st = fb__log_header_read(&src, &fh, err);
    if (st == FB_OK) {
        info->major = fh.major;
        info->minor = fh.minor;
        memcpy(info->writer, fh.writer, sizeof info->writer);
        info->writer[sizeof info->writer - 1] = '\0';
        info->created = fh.created;
        info->file_bytes = src.size;
        st = fb__log_trailer_read(&src, &fh, &trailer_ok, &index_offset, &records, err);
    }
    if (st == FB_OK && trailer_ok)
        st = fb__log_index_read(&src, &fh, index_offset, records, &index_ok, &entries, &n_entries,
                                err);
    fb__free(fb__alloc_or_default(NULL), entries);
    info->has_index = index_ok;
    if (st == FB_OK)
        st = walk_chunks(&src, &fh, trailer_ok ? src.size - FB__LOG_TRAILER_SIZE : src.size, info,
                         on_damage, ctx, err);
    fb__log_src_close(&src);
    return st;
}
