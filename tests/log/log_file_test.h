/*
 * Helpers shared by the tests of the log's file layer (writer, reader, info):
 * deterministic records of every field and kind, temporary files, whole-file
 * reads, hand-made data chunk payloads, and a list of the chunks a log holds.
 */
#ifndef FB_LOG_FILE_TEST_H
#define FB_LOG_FILE_TEST_H

#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "fb_test.h"
#include "log_file.h"
#include "varint.h"

/* ------------------------------------------------------------------ */
/* Records                                                             */
/* ------------------------------------------------------------------ */

#define T0 ((fb_time)1700000000000)

typedef struct gen_rec {
    fb_record r;
    fb_answer answers[3];
    fb_str tags[3];
    fb_attr attrs[2];
    char text[96];
} gen_rec;

static inline uint32_t gen_next(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

static const char *const gen_texts[] = {
    "Great service, thank you!", "Доставка опоздала на два дня", "ok",
    "The agent was rude and did not help", "Всё отлично, рекомендую друзьям",
    "app crashes on login 😞"};
static const char *const gen_tags[] = {"delivery", "price", "support", "app", "доставка"};
static const char *const gen_customers[] = {"c-001", "c-002", "c-003", "customer-Ω", ""};

/*
 * Fills n records: mostly responses with answers (built-in and custom, whole
 * and fractional scores, skipped ones), text, tags, attributes, service
 * fields; every 7th an invitation, every 11th an update. created_at grows
 * with i (step_ms apart), so that time ranges select index ranges.
 */
static inline void gen_records(gen_rec *g, size_t n, uint32_t seed, fb_time step_ms)
{
    uint32_t s = seed;
    size_t i;

    for (i = 0; i < n; i++) {
        gen_rec *x = &g[i];
        fb_record *r = &x->r;
        uint32_t v = gen_next(&s);
        memset(x, 0, sizeof *x);
        fb_record_init(r);
        r->id = 1000 + i * 3 + (v % 3);
        r->created_at = T0 + (fb_time)i * step_ms;
        if (v % 4 != 0)
            r->interaction_at = r->created_at - (fb_time)(v % 86400000);
        r->customer_id = fb_str_from_cstr(gen_customers[v % 5]);
        r->customer_status = (fb_customer_status)(v % 6);
        r->customer_verified = (v >> 3) & 1;
        r->channel = (fb_channel)(gen_next(&s) % 18);
        r->source = (fb_source)(v % 3);
        r->win_back = r->customer_status == FB_CUSTOMER_CHURNED && ((v >> 4) & 1);
        if (i % 11 == 10) {
            r->kind = FB_KIND_UPDATE;
            r->ref_id = 1000 + (i / 2);
            r->handling = (fb_handling)(v % 5);
            r->assignee = fb_str_from_cstr(v % 2 ? "team-billing" : "");
            r->assignee_kind = (fb_assignee_kind)((v >> 1) % 2);
        } else if (i % 7 == 6) {
            r->kind = FB_KIND_INVITATION;
        } else {
            size_t na = 0;
            r->kind = FB_KIND_RESPONSE;
            x->answers[na].metric = FB_METRIC_NPS;
            x->answers[na].score = (double)(gen_next(&s) % 11);
            na++;
            if (v % 3 == 0) {
                x->answers[na].metric = FB_METRIC_CSAT;
                x->answers[na].skipped = (v % 9) == 0;
                x->answers[na].score = x->answers[na].skipped ? 0 : 1 + (double)(v % 5);
                na++;
            }
            if (v % 5 == 0) {
                x->answers[na].metric = FB_METRIC_CUSTOM;
                x->answers[na].name = fb_str_from_cstr("delivery_speed");
                x->answers[na].scale_min = 0;
                x->answers[na].scale_max = 5;
                x->answers[na].score = 2.5 + (double)(v % 3) * 0.25;
                na++;
            }
            r->answers = x->answers;
            r->n_answers = na;
            if (v % 2) {
                snprintf(x->text, sizeof x->text, "%s #%u", gen_texts[v % 6], (unsigned)(i % 4));
                r->text = fb_str_from_cstr(x->text);
                r->language = fb_str_from_cstr(v % 6 == 1 || v % 6 == 4 ? "ru" : "en-GB");
            }
            x->tags[0] = fb_str_from_cstr(gen_tags[v % 5]);
            x->tags[1] = fb_str_from_cstr(gen_tags[(v + 1) % 5]);
            r->tags = x->tags;
            r->n_tags = v % 3;
            r->agent_id = fb_str_from_cstr(v % 2 ? "agent-7" : "");
            r->ticket_id = fb_str_from_cstr(v % 4 == 1 ? "T-12345" : "");
            r->product = fb_str_from_cstr("plan-pro");
            if (v % 2)
                memcpy(r->country, v % 4 == 1 ? "RU" : "GB", 3);
            if (v % 6 == 0) {
                r->tip = (int64_t)(v % 5000);
                memcpy(r->tip_currency, "EUR", 4);
            }
            x->attrs[0].key = fb_str_from_cstr("store");
            x->attrs[0].value = fb_str_from_cstr(v % 2 ? "Berlin" : "Москва");
            x->attrs[1].key = fb_str_from_cstr("shift");
            x->attrs[1].value = fb_str_from_cstr("night");
            r->attrs = x->attrs;
            r->n_attrs = v % 3;
        }
        {
            fb_error e;
            if (fb_record_validate(r, &e) != FB_OK)
                fail_msg("generated record %zu is invalid: %s", i, e.message);
        }
    }
}

/* ------------------------------------------------------------------ */
/* Files                                                               */
/* ------------------------------------------------------------------ */

typedef struct tmp_dir {
    char dir[64];
    char path[128];
} tmp_dir;

static inline void tmp_dir_make(tmp_dir *t)
{
    strcpy(t->dir, "/tmp/fb_log_test_XXXXXX");
    if (!mkdtemp(t->dir))
        fail_msg("mkdtemp failed: errno %d", errno);
}

/* A path in the directory (the same buffer each call). */
static inline const char *tmp_file(tmp_dir *t, const char *name)
{
    snprintf(t->path, sizeof t->path, "%s/%s", t->dir, name);
    return t->path;
}

static inline void tmp_dir_remove(tmp_dir *t, const char *const *names, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        unlink(tmp_file(t, names[i]));
    rmdir(t->dir);
}

typedef struct bytes {
    uint8_t *data;
    size_t len;
} bytes;

static inline bytes file_read(const char *path)
{
    bytes b = {NULL, 0};
    FILE *f = fopen(path, "rb");
    long n;
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    b.len = (size_t)n;
    b.data = malloc(b.len ? b.len : 1);
    assert_non_null(b.data);
    assert_int_equal(fread(b.data, 1, b.len, f), b.len);
    fclose(f);
    return b;
}

static inline void file_write(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    if (len)
        assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* Writes n records to path (replacing it) in chunks of chunk_records, one at a time or as a batch. */
static inline void write_log(const char *path, const gen_rec *g, size_t n, uint32_t chunk_records,
                      int level, bool batch)
{
    fb_log_writer_options o;
    fb_log_writer *w = NULL;
    fb_error e;
    size_t i;

    unlink(path);
    fb_log_writer_options_init(&o);
    o.chunk_records = chunk_records;
    o.level = level;
    assert_fb_ok(fb_log_writer_open(&w, path, &o, &e), &e);
    if (batch) {
        fb_record *rs = malloc((n ? n : 1) * sizeof *rs);
        assert_non_null(rs);
        for (i = 0; i < n; i++)
            rs[i] = g[i].r;
        assert_fb_ok(fb_log_writer_append_batch(w, rs, n, &e), &e);
        free(rs);
    } else {
        for (i = 0; i < n; i++)
            assert_fb_ok(fb_log_writer_append(w, &g[i].r, &e), &e);
    }
    assert_int_equal(fb_log_writer_records(w), n);
    assert_fb_ok(fb_log_writer_close(w, &e), &e);
}

/* ------------------------------------------------------------------ */
/* Hand-made data chunk payloads (docs/FORMAT.md, "Data chunk payload") */
/* ------------------------------------------------------------------ */

/* One stream of a hand-made payload. */
typedef struct hand_stream {
    uint8_t id, codec;
    const void *body;   /* the stored bytes, used as given: a deflate body comes deflated */
    uint32_t stored;    /* bytes at body */
    uint32_t raw;       /* the raw length the table declares */
} hand_stream;

/*
 * Writes to out (cap bytes) the payload of a data chunk holding s[0..n): the
 * stream table with each body's CRC, the table's CRC, the bodies in table
 * order. Returns its length; *raw_sum gets the sum of the raw lengths (the
 * header's R). Every checksum is right, so only what the streams say is
 * under test.
 */
static inline size_t hand_payload(uint8_t *out, size_t cap, const hand_stream *s, size_t n,
                                  uint32_t *raw_sum)
{
    size_t len = 0, need = FB__VARINT_MAX + 4, i;
    uint32_t sum = 0;

    for (i = 0; i < n; i++)
        need += 2 + 2 * FB__VARINT_MAX + 4 + s[i].stored;
    assert_true(need <= cap);
    len += fb__varint_write(out, n);
    for (i = 0; i < n; i++) {
        out[len++] = s[i].id;
        out[len++] = s[i].codec;
        len += fb__varint_write(out + len, s[i].stored);
        len += fb__varint_write(out + len, s[i].raw);
        fb__store_u32(out + len, (uint32_t)crc32(0L, (const Bytef *)s[i].body, s[i].stored));
        len += 4;
        sum += s[i].raw;
    }
    fb__store_u32(out + len, (uint32_t)crc32(0L, out, (uInt)len));
    len += 4;
    for (i = 0; i < n; i++) {
        if (s[i].stored)
            memcpy(out + len, s[i].body, s[i].stored);
        len += s[i].stored;
    }
    *raw_sum = sum;
    return len;
}

/* ------------------------------------------------------------------ */
/* Damage collection                                                   */
/* ------------------------------------------------------------------ */

#define MAX_DAMAGE 64
typedef struct damage_list {
    fb_log_damage d[MAX_DAMAGE];
    size_t n;
    uint64_t bytes;
    int64_t records;
} damage_list;

static inline void collect_damage(void *ctx, const fb_log_damage *d)
{
    damage_list *l = ctx;
    if (l->n < MAX_DAMAGE)
        l->d[l->n] = *d;
    l->n++;
    l->bytes += d->bytes;
    if (d->records > 0)
        l->records += d->records;
}

/* ------------------------------------------------------------------ */
/* The chunks of a log, found with the internal walk                   */
/* ------------------------------------------------------------------ */

#define MAX_CHUNKS 256
typedef struct chunk_map {
    uint64_t header_size;
    size_t n;
    uint64_t offset[MAX_CHUNKS], end[MAX_CHUNKS];
    uint8_t type[MAX_CHUNKS];
    uint32_t count[MAX_CHUNKS];
    uint64_t first_seq[MAX_CHUNKS];
    uint64_t size;
} chunk_map;

static inline void chunk_map_of(const uint8_t *data, size_t len, chunk_map *m)
{
    fb__log_src src;
    fb__log_header fh;
    fb__log_walk w;
    fb__log_item it;
    fb_error e;
    fb_status st;

    memset(m, 0, sizeof *m);
    fb__log_src_memory(&src, NULL, data, len);
    assert_fb_ok(fb__log_header_read(&src, &fh, &e), &e);
    m->header_size = fh.size;
    m->size = len;
    fb__log_walk_init(&w, &src, fh.sync, fh.size, len);
    while ((st = fb__log_walk_next(&w, &it, &e)) == FB_OK) {
        if (it.damage)
            continue; /* the trailer */
        assert_true(m->n < MAX_CHUNKS);
        m->offset[m->n] = it.offset;
        m->end[m->n] = it.offset + it.bytes;
        m->type[m->n] = it.h.type;
        m->count[m->n] = it.h.count;
        m->first_seq[m->n] = it.h.first_seq;
        m->n++;
    }
    assert_int_equal(st, FB_DONE);
}

/* Records in the data chunks that end at or before cut. */
static inline uint64_t records_before(const chunk_map *m, uint64_t cut)
{
    uint64_t n = 0;
    size_t i;
    for (i = 0; i < m->n; i++)
        if (m->type[i] == FB__LOG_CHUNK_DATA && m->end[i] <= cut)
            n += m->count[i];
    return n;
}

/* The end of the last chunk (of any type) that ends at or before cut, or the header's end. */
static inline uint64_t chunks_end_before(const chunk_map *m, uint64_t cut)
{
    uint64_t end = m->header_size;
    size_t i;
    for (i = 0; i < m->n; i++)
        if (m->end[i] <= cut)
            end = m->end[i];
    return end;
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */
/* ------------------------------------------------------------------ */

/*
 * Reads everything from r, checking each record against expected[seq]
 * (n_expected of them). Sets got[seq] for each record returned; returns how
 * many. Fails on a wrong record, a repeated or decreasing sequence number.
 */
static inline size_t read_check(fb_log_reader *r, const gen_rec *expected, size_t n_expected,
                         bool *got)
{
    const fb_record *rec;
    fb_status st;
    fb_error e;
    size_t count = 0;
    uint64_t prev = UINT64_MAX;

    while ((st = fb_log_reader_next(r, &rec, &e)) == FB_OK) {
        uint64_t seq = fb_log_reader_seq(r);
        if (seq >= n_expected)
            fail_msg("sequence number %llu beyond the %zu records written",
                     (unsigned long long)seq, n_expected);
        if (prev != UINT64_MAX && seq <= prev)
            fail_msg("sequence number %llu after %llu", (unsigned long long)seq,
                     (unsigned long long)prev);
        if (!fb_record_equal(rec, &expected[seq].r))
            fail_msg("record %llu differs from the one written", (unsigned long long)seq);
        if (got)
            got[seq] = true;
        prev = seq;
        count++;
    }
    assert_fb_status(st, FB_DONE, &e);
    return count;
}

#endif
