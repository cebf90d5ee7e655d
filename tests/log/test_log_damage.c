/*
 * Damage to a log: a cut at every byte offset (reading and reopening for
 * append), every bit flipped, byte ranges that split the file, hostile
 * chunk headers, and what on_damage and the stats report.
 */
#include "log_file_test.h"

#include <zlib.h>

#include "varint.h"

static const char *const files[] = {"a.fbl", "b.fbl", "c.fbl"};

/* Reads the log in data[0..len) from memory; returns the records read. */
static size_t read_memory_fields(const uint8_t *data, size_t len, const gen_rec *g, size_t n,
                                 bool *got, damage_list *dl, fb_log_stats *stats, uint32_t fields)
{
    fb_log_reader_options o;
    fb_log_reader *r = NULL;
    fb_error e;
    size_t count;

    fb_log_reader_options_init(&o);
    o.fields = fields;
    if (dl) {
        memset(dl, 0, sizeof *dl);
        o.on_damage = collect_damage;
        o.on_damage_ctx = dl;
    }
    assert_fb_ok(fb_log_reader_open_memory(&r, data, len, &o, &e), &e);
    if (fields == FB_LOG_FIELD_ALL) {
        count = read_check(r, g, n, got);
    } else {
        /* Only ids and times decoded: the records must be the expected ones, in order. */
        const fb_record *rec;
        fb_status s;
        count = 0;
        while ((s = fb_log_reader_next(r, &rec, &e)) == FB_OK) {
            uint64_t seq = fb_log_reader_seq(r);
            assert_int_equal(seq, count);
            assert_true(seq < n);
            assert_int_equal(rec->id, g[seq].r.id);
            assert_int_equal(rec->created_at, g[seq].r.created_at);
            count++;
        }
        assert_fb_status(s, FB_DONE, &e);
    }
    if (stats)
        fb_log_reader_stats(r, stats);
    fb_log_reader_close(r);
    return count;
}

static size_t read_memory(const uint8_t *data, size_t len, const gen_rec *g, size_t n, bool *got,
                          damage_list *dl, fb_log_stats *stats)
{
    return read_memory_fields(data, len, g, n, got, dl, stats, FB_LOG_FIELD_ALL);
}

/* True when cut lies within 64 bytes after a chunk start or end (where cuts matter most). */
static bool near_boundary(const chunk_map *m, uint64_t cut)
{
    size_t i;
    for (i = 0; i < m->n; i++)
        if ((cut >= m->offset[i] && cut - m->offset[i] < 64) ||
            (cut >= m->end[i] && cut - m->end[i] < 64))
            return true;
    return cut - m->header_size < 64;
}

/* ------------------------------------------------------------------ */

static void test_truncate_everywhere(void **state)
{
    enum { N = 200 };
    gen_rec *g = malloc((N + 5) * sizeof *g);
    tmp_dir t;
    const char *p;
    chunk_map m;
    bytes b;
    size_t cut;
    fb_error e;
    (void)state;

    assert_non_null(g);
    gen_records(g, N + 5, 7, 1000);
    tmp_dir_make(&t);
    p = tmp_file(&t, "a.fbl");
    write_log(p, g, N, 20, 6, false);
    b = file_read(p);
    chunk_map_of(b.data, b.len, &m);
    assert_int_equal(m.n, 11); /* 10 data chunks and the index */

    for (cut = 0; cut <= b.len; cut++) {
        fb_log_reader *r = NULL;
        damage_list dl;
        fb_log_stats st;
        uint64_t want, good_end;
        size_t got;

        if (cut < m.header_size) {
            fb_status s = fb_log_reader_open_memory(&r, b.data, cut, NULL, &e);
            assert_true(s == FB_ERR_FORMAT || s == FB_ERR_CORRUPT);
            assert_null(r);
            continue;
        }
        /* Exactly the records of the complete chunks; the rest is damage. */
        want = records_before(&m, cut);
        good_end = cut == b.len ? cut : chunks_end_before(&m, cut); /* whole: the trailer */
        /* Whole records compared near chunk boundaries and at every 5th cut; ids and times elsewhere. */
        got = read_memory_fields(b.data, cut, g, N, NULL, &dl, &st,
                                 near_boundary(&m, cut) || cut % 5 == 0
                                     ? FB_LOG_FIELD_ALL
                                     : FB_LOG_FIELD_ID | FB_LOG_FIELD_CREATED_AT);
        if (got != want)
            fail_msg("cut at %zu: %zu records read, %llu expected", cut, got,
                     (unsigned long long)want);
        if (dl.bytes != cut - good_end)
            fail_msg("cut at %zu: %llu damaged bytes reported, %llu expected", cut,
                     (unsigned long long)dl.bytes, (unsigned long long)(cut - good_end));
        assert_int_equal(dl.n, cut > good_end ? 1 : 0);
        if (dl.n) {
            assert_int_equal(dl.d[0].offset, good_end);
            assert_int_equal(dl.d[0].reason, FB_ERR_CORRUPT);
        }
        assert_int_equal(st.records, want);
        assert_int_equal(st.damaged_regions, dl.n);
    }

    /*
     * Reopening for append after a cut: the tail goes, new records follow the
     * old. Every cut in the file header, the first chunk, the last data chunk,
     * the index and the trailer, and near every chunk boundary; every 29th
     * byte elsewhere (each reopen syncs the file).
     */
    for (cut = 1; cut <= b.len; cut++) {
        fb_log_writer_options o;
        fb_log_writer *w = NULL;
        fb_log_reader *r = NULL;
        damage_list cuts;
        fb_log_stats st;
        uint64_t want = cut < m.header_size ? 0 : records_before(&m, cut);
        size_t i;

        if (!(cut < m.end[0] || cut >= m.offset[m.n - 2] || cut % 29 == 0 ||
              (near_boundary(&m, cut) && cut % 8 == 0)))
            continue;
        file_write(p, b.data, cut);
        memset(&cuts, 0, sizeof cuts);
        fb_log_writer_options_init(&o);
        o.on_cut = collect_damage;
        o.on_cut_ctx = &cuts;
        assert_fb_ok(fb_log_writer_open(&w, p, &o, &e), &e);
        if (cut < m.header_size) {
            /* A file cut inside its header (a crash while creating it) starts anew. */
            assert_int_equal(cuts.n, 1);
            assert_int_equal(cuts.bytes, cut);
            assert_non_null(strstr(cuts.d[0].message, "torn file header"));
            want = 0;
        } else if (cut <= m.offset[m.n - 1]) {
            assert_int_equal(cuts.bytes, cut - chunks_end_before(&m, cut));
            assert_int_equal(cuts.n, cut > chunks_end_before(&m, cut) ? 1 : 0);
        }
        for (i = 0; i < 5; i++)
            assert_fb_ok(fb_log_writer_append(w, &g[N + i].r, &e), &e);
        assert_fb_ok(fb_log_writer_close(w, &e), &e);

        /* Sequence numbers continue: the new records are want .. want + 4. */
        assert_fb_ok(fb_log_reader_open(&r, p, NULL, &e), &e);
        {
            const fb_record *rec;
            fb_status s;
            size_t k = 0;
            while ((s = fb_log_reader_next(r, &rec, &e)) == FB_OK) {
                uint64_t seq = fb_log_reader_seq(r);
                const fb_record *exp = seq < want ? &g[seq].r : &g[N + (seq - want)].r;
                assert_true(seq < want + 5);
                assert_int_equal(seq, k);
                assert_true(fb_record_equal(rec, exp));
                k++;
            }
            assert_fb_status(s, FB_DONE, &e);
            assert_int_equal(k, want + 5);
        }
        fb_log_reader_stats(r, &st);
        assert_int_equal(st.damaged_regions, 0);
        fb_log_reader_close(r);
    }
    free(b.data);
    tmp_dir_remove(&t, files, 3);
    free(g);
}

/* ------------------------------------------------------------------ */

static void test_flip_every_bit(void **state)
{
    enum { N = 40 };
    gen_rec g[N];
    tmp_dir t;
    const char *p;
    chunk_map m;
    bytes b;
    size_t byte;
    int bit;
    (void)state;

    gen_records(g, N, 8, 1000);
    tmp_dir_make(&t);
    p = tmp_file(&t, "a.fbl");
    write_log(p, g, N, 8, 6, false);
    b = file_read(p);
    chunk_map_of(b.data, b.len, &m);
    assert_int_equal(m.n, 6);

    /*
     * Every bit of the file header, the first two chunks, the last data chunk,
     * the index and the trailer; every bit of every other byte in between
     * (the test must stay fast under the sanitizers).
     */
    for (byte = 0; byte < b.len; byte++) {
        size_t hit = SIZE_MAX, i;
        if (byte >= m.end[1] && byte < m.offset[m.n - 2] && byte % 2 == 1)
            continue;
        for (i = 0; i < m.n; i++)
            if (byte >= m.offset[i] && byte < m.end[i])
                hit = i;
        /* A data chunk's payload CRC too: a read of every field checks it (FORMAT.md,
         * chunk rule 3), as fb_log_info_read and reopening for append do. */
        for (bit = 0; bit < 8; bit++) {
            fb_log_reader *r = NULL;
            damage_list dl;
            bool got[N];
            size_t count;
            fb_error e;

            b.data[byte] ^= (uint8_t)(1u << bit);
            if (byte < m.header_size) {
                /* The file header: refused (wrong magic, version, CRC). */
                fb_status s = fb_log_reader_open_memory(&r, b.data, b.len, NULL, &e);
                assert_null(r);
                assert_true(s == FB_ERR_FORMAT || s == FB_ERR_VERSION || s == FB_ERR_CORRUPT);
                b.data[byte] ^= (uint8_t)(1u << bit);
                continue;
            }
            memset(got, 0, sizeof got);
            count = read_memory(b.data, b.len, g, N, got, &dl, NULL);
            /* Every record outside the hit data chunk is read; none inside. */
            for (i = 0; i < N; i++) {
                bool in_hit = hit != SIZE_MAX && m.type[hit] == FB__LOG_CHUNK_DATA &&
                              i >= m.first_seq[hit] && i < m.first_seq[hit] + m.count[hit];
                if (got[i] == in_hit)
                    fail_msg("bit %d of byte %zu: record %zu %s", bit, byte, i,
                             in_hit ? "read from the hit chunk" : "lost");
            }
            if (hit != SIZE_MAX && m.type[hit] == FB__LOG_CHUNK_DATA) {
                assert_int_equal(count, N - m.count[hit]);
                assert_int_equal(dl.n, 1);
                assert_int_equal(dl.d[0].offset, m.offset[hit]);
                assert_int_equal(dl.d[0].bytes, m.end[hit] - m.offset[hit]);
            }
            if (hit == SIZE_MAX && byte < b.len - 4)
                assert_int_equal(dl.n, 1); /* the trailer (its last 4 bytes are not checked) */
            b.data[byte] ^= (uint8_t)(1u << bit);
        }
    }
    free(b.data);
    tmp_dir_remove(&t, files, 3);
}

/* ------------------------------------------------------------------ */

static uint32_t rnd(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Reads path as the ranges between cuts; checks every record comes once, in order. */
static void check_ranges(const char *path, const gen_rec *g, size_t n, uint64_t size,
                         uint64_t *cuts, size_t n_cuts, size_t expect_records,
                         size_t expect_damage)
{
    uint64_t next_seq = 0;
    size_t i, total = 0, damage = 0;
    bool first = true;

    qsort(cuts, n_cuts, sizeof *cuts, cmp_u64);
    for (i = 0; i <= n_cuts; i++) {
        uint64_t start = i ? cuts[i - 1] : 0;
        /* The last range ends at the file's end or beyond (not before a cut past the end). */
        uint64_t last = size + (i % 2 ? 1000 : 0);
        uint64_t end = i < n_cuts ? cuts[i] : last < start ? start : last;
        fb_log_reader_options o;
        fb_log_reader *r = NULL;
        damage_list dl;
        const fb_record *rec;
        fb_status s;
        fb_error e;

        memset(&dl, 0, sizeof dl);
        fb_log_reader_options_init(&o);
        o.on_damage = collect_damage;
        o.on_damage_ctx = &dl;
        assert_fb_ok(fb_log_reader_open_range(&r, path, start, end, &o, &e), &e);
        while ((s = fb_log_reader_next(r, &rec, &e)) == FB_OK) {
            uint64_t seq = fb_log_reader_seq(r);
            if (!first && seq <= next_seq - 1)
                fail_msg("range [%llu, %llu): record %llu again or out of order",
                         (unsigned long long)start, (unsigned long long)end,
                         (unsigned long long)seq);
            assert_true(seq < n);
            assert_true(fb_record_equal(rec, &g[seq].r));
            next_seq = seq + 1;
            first = false;
            total++;
        }
        assert_fb_status(s, FB_DONE, &e);
        damage += dl.n;
        fb_log_reader_close(r);
    }
    assert_int_equal(total, expect_records);
    assert_int_equal(damage, expect_damage);
}

static void test_byte_ranges(void **state)
{
    enum { N = 150 };
    gen_rec *g = malloc(N * sizeof *g);
    uint64_t cuts[40];
    uint32_t s = 12345;
    tmp_dir t;
    const char *p;
    chunk_map m;
    bytes b;
    int round;
    fb_log_reader *r = NULL;
    fb_error e;
    (void)state;

    assert_non_null(g);
    gen_records(g, N, 9, 1000);
    tmp_dir_make(&t);
    p = tmp_file(&t, "a.fbl");
    write_log(p, g, N, 5, 6, false);
    b = file_read(p);
    chunk_map_of(b.data, b.len, &m);

    for (round = 0; round < 60; round++) {
        size_t n_cuts = 1 + rnd(&s) % 39, i;
        for (i = 0; i < n_cuts; i++)
            cuts[i] = rnd(&s) % (b.len + 10);
        if (round < 10) /* cuts at and around chunk starts and in the file header */
            for (i = 0; i < n_cuts; i++)
                cuts[i] = m.offset[rnd(&s) % m.n] + (rnd(&s) % 3) - 1;
        if (round == 10)
            for (i = 0; i < n_cuts; i++)
                cuts[i] = rnd(&s) % (m.header_size + 2);
        check_ranges(p, g, N, b.len, cuts, n_cuts, N, 0);
    }

    /* With damage: a chunk header hit, a payload hit, a torn tail; each reported once. */
    b.data[m.offset[3] + 20] ^= 1;
    b.data[m.offset[7] + 70] ^= 1;
    file_write(p, b.data, (size_t)(m.offset[m.n - 1] - 10));
    for (round = 0; round < 40; round++) {
        size_t n_cuts = 1 + rnd(&s) % 39, i;
        for (i = 0; i < n_cuts; i++)
            cuts[i] = round < 20 ? rnd(&s) % (b.len + 10)
                                 : m.offset[rnd(&s) % m.n] + (rnd(&s) % 3) - 1;
        check_ranges(p, g, N, b.len, cuts, n_cuts, N - m.count[3] - m.count[7] - m.count[m.n - 2],
                     3);
    }

    /* A range inside one chunk reads nothing; start > end is refused. */
    assert_fb_ok(fb_log_reader_open_range(&r, p, m.offset[2] + 1, m.offset[3], NULL, &e), &e);
    assert_int_equal(read_check(r, g, N, NULL), 0);
    fb_log_reader_close(r);
    assert_fb_status(fb_log_reader_open_range(&r, p, 10, 5, NULL, &e), FB_ERR_INVALID_ARG, &e);
    free(b.data);
    tmp_dir_remove(&t, files, 3);
    free(g);
}

/* ------------------------------------------------------------------ */

/* An allocator that counts bytes and refuses to go beyond a cap. */
typedef struct cap_alloc {
    fb_allocator a;
    size_t cur, peak, cap;
} cap_alloc;

static void *cap_malloc(void *ctx, size_t size)
{
    cap_alloc *c = ctx;
    size_t *p;
    if (c->cur + size > c->cap)
        return NULL;
    p = malloc(size + sizeof(size_t) * 2);
    if (!p)
        return NULL;
    p[0] = size;
    c->cur += size;
    if (c->cur > c->peak)
        c->peak = c->cur;
    return p + 2;
}

static void cap_free(void *ctx, void *ptr)
{
    cap_alloc *c = ctx;
    size_t *p = (size_t *)ptr - 2;
    c->cur -= p[0];
    free(p);
}

static void *cap_realloc(void *ctx, void *ptr, size_t old_size, size_t size)
{
    void *n = cap_malloc(ctx, size);
    (void)old_size;
    if (!n)
        return NULL;
    if (ptr) {
        size_t was = ((size_t *)ptr - 2)[0];
        memcpy(n, ptr, was < size ? was : size);
        cap_free(ctx, ptr);
    }
    return n;
}

/* Appends a chunk with a header that verifies (any lengths) and payload bytes. */
static void add_chunk(fb__strbuf *f, const uint8_t *sync, const fb__chunk_header *h,
                      const void *payload, size_t len, bool with_crc)
{
    uint8_t head[FB__LOG_CHUNK_HEADER], crc[4];
    fb__chunk_header_write(head, sync, h);
    assert_int_equal(fb__strbuf_append(f, (const char *)head, sizeof head), 0);
    assert_int_equal(fb__strbuf_append(f, payload, len), 0);
    if (with_crc) {
        fb__store_u32(crc, (uint32_t)crc32(0L, payload, (uInt)len));
        assert_int_equal(fb__strbuf_append(f, (const char *)crc, 4), 0);
    }
}

static void test_hostile_headers(void **state)
{
    cap_alloc ca;
    fb__log_header fh;
    fb__strbuf f;
    fb__chunk_header h;
    fb_log_reader_options o;
    fb_log_reader *r = NULL;
    damage_list dl;
    fb_log_info info;
    const fb_record *rec;
    fb_error e;
    uint8_t junk[64], trailer[FB__LOG_TRAILER_SIZE];
    tmp_dir t;
    size_t header_len;
    (void)state;

    memset(&ca, 0, sizeof ca);
    ca.a.malloc = cap_malloc;
    ca.a.realloc = cap_realloc;
    ca.a.free = cap_free;
    ca.a.ctx = &ca;
    ca.cap = (size_t)2 << 20;
    memset(junk, 0x5a, sizeof junk);

    fb__strbuf_init(&f, NULL);
    assert_fb_ok(fb__log_header_build(&fh, &f, &e), &e);
    header_len = f.len;

    /* 1: payload length near the cap, file tiny: a torn tail, no allocation. */
    memset(&h, 0, sizeof h);
    h.type = FB__LOG_CHUNK_DATA;
    h.count = FB__LOG_MAX_RECORDS;
    h.payload_len = FB__LOG_MAX_PAYLOAD;
    h.raw_len = FB__LOG_MAX_RAW;
    add_chunk(&f, fh.sync, &h, junk, sizeof junk, false);
    fb_log_reader_options_init(&o);
    o.alloc = &ca.a;
    o.on_damage = collect_damage;
    o.on_damage_ctx = &dl;
    memset(&dl, 0, sizeof dl);
    assert_fb_ok(fb_log_reader_open_memory(&r, f.data, f.len, &o, &e), &e);
    assert_fb_status(fb_log_reader_next(r, &rec, &e), FB_DONE, &e);
    fb_log_reader_close(r);
    assert_int_equal(dl.n, 1);
    assert_int_equal(dl.d[0].offset, header_len);
    assert_int_equal(dl.d[0].records, FB__LOG_MAX_RECORDS);
    assert_non_null(strstr(dl.d[0].message, "torn"));

    /*
     * 2: a chunk that fits but claims 64 MiB raw from 64 bytes: a stream table
     * that verifies, its created_at column 38 bytes of junk declared deflated
     * to as much as deflate's best ratio allows, the rest of the 64 MiB in a
     * stream of a later version's codec (never used, so never refused);
     * 3: a length beyond its cap (the header CRC fine); 4: junk where the
     * stream table should be.
     */
    f.len = header_len;
    {
        const hand_stream claim[] = {
            {FB__COL_CREATED, FB__LOG_CODEC_DEFLATE, junk, 38, (38 + 1) * 1032},
            {99, 7, junk, 0, FB__LOG_MAX_RAW - (38 + 1) * 1032},
        };
        uint8_t payload[128];
        uint32_t raw_sum;
        h.count = 5;
        h.payload_len = (uint32_t)hand_payload(payload, sizeof payload, claim, 2, &raw_sum);
        assert_int_equal(raw_sum, FB__LOG_MAX_RAW);
        add_chunk(&f, fh.sync, &h, payload, h.payload_len, true);
    }
    h.payload_len = FB__LOG_MAX_PAYLOAD + 1;
    add_chunk(&f, fh.sync, &h, junk, sizeof junk, true);
    h.payload_len = sizeof junk;
    h.count = 3;
    add_chunk(&f, fh.sync, &h, junk, sizeof junk, true);
    memset(&dl, 0, sizeof dl);
    ca.peak = 0;
    assert_fb_ok(fb_log_reader_open_memory(&r, f.data, f.len, &o, &e), &e);
    assert_fb_status(fb_log_reader_next(r, &rec, &e), FB_DONE, &e);
    fb_log_reader_close(r);
    assert_int_equal(dl.n, 3);
    assert_int_equal(dl.d[0].offset, header_len);
    assert_int_equal(dl.d[0].records, 5);
    assert_int_equal(dl.d[0].reason, FB_ERR_CORRUPT);
    assert_non_null(strstr(dl.d[0].message, "created_at stream"));
    assert_int_equal(dl.d[1].offset, header_len + 128);
    assert_int_equal(dl.d[1].bytes, 128);
    assert_int_equal(dl.d[1].records, -1);
    assert_int_equal(dl.d[2].records, 3);
    assert_non_null(strstr(dl.d[2].message, "stream table"));
    assert_true(ca.peak < ((size_t)2 << 20));
    assert_int_equal(ca.cur, 0);

    /* 5: a trailer pointing at an index that claims 2^40 entries: ignored. */
    {
        uint8_t idx[16];
        size_t n = 0;
        uint64_t ioff;
        memset(&h, 0, sizeof h);
        f.len = header_len;
        ioff = f.len;
        n += fb__varint_write(idx, (uint64_t)1 << 40);
        h.type = FB__LOG_CHUNK_INDEX;
        h.payload_len = h.raw_len = (uint32_t)n;
        h.first_seq = 5;
        add_chunk(&f, fh.sync, &h, idx, n, true);
        fb__log_trailer_write(trailer, fh.sync, ioff, 5);
        fb__strbuf_append(&f, (const char *)trailer, sizeof trailer);
        memset(&dl, 0, sizeof dl);
        assert_fb_ok(fb_log_reader_open_memory(&r, f.data, f.len, &o, &e), &e);
        assert_fb_ok(fb_log_reader_seek_seq(r, 2, &e), &e);
        assert_fb_status(fb_log_reader_next(r, &rec, &e), FB_DONE, &e);
        fb_log_reader_close(r);
        assert_int_equal(dl.n, 0);
        assert_int_equal(ca.cur, 0);
        tmp_dir_make(&t);
        file_write(tmp_file(&t, "a.fbl"), f.data, f.len);
        assert_fb_ok(fb_log_info_read(tmp_file(&t, "a.fbl"), &info, NULL, NULL, &e), &e);
        assert_false(info.has_index);
        tmp_dir_remove(&t, files, 3);
    }

    /* 6: metadata length beyond its cap, or beyond the file. */
    f.len = header_len;
    fb__store_u32((uint8_t *)f.data + 28, FB__LOG_META_MAX + 1);
    assert_fb_status(fb_log_reader_open_memory(&r, f.data, f.len, &o, &e), FB_ERR_CORRUPT, &e);
    fb__store_u32((uint8_t *)f.data + 28, FB__LOG_META_MAX);
    assert_fb_status(fb_log_reader_open_memory(&r, f.data, f.len, &o, &e), FB_ERR_CORRUPT, &e);
    assert_non_null(strstr(e.message, "cut short"));
    assert_int_equal(ca.cur, 0);
    fb__strbuf_free(&f);
}

/* ------------------------------------------------------------------ */

static void test_damage_reports(void **state)
{
    enum { N = 60 };
    gen_rec g[N];
    tmp_dir t;
    const char *p;
    chunk_map m;
    bytes b;
    damage_list dl;
    fb_log_stats st;
    fb_log_info info;
    fb_log_reader_options o;
    fb_log_reader *r = NULL;
    const fb_record *rec;
    fb_status s;
    fb_error e;
    size_t i, count;
    (void)state;

    gen_records(g, N, 10, 1000);
    tmp_dir_make(&t);
    p = tmp_file(&t, "a.fbl");
    write_log(p, g, N, 10, 6, false);
    b = file_read(p);
    chunk_map_of(b.data, b.len, &m);

    /* Clean: the stats agree with info. */
    count = read_memory(b.data, b.len, g, N, NULL, &dl, &st);
    assert_int_equal(count, N);
    assert_fb_ok(fb_log_info_read(p, &info, NULL, NULL, &e), &e);
    assert_int_equal(st.chunks, 6);
    assert_int_equal(st.chunks, info.chunks);
    assert_int_equal(st.bytes_stored, info.bytes_stored);
    assert_int_equal(st.bytes_raw, info.bytes_raw);
    assert_int_equal(st.damaged_regions + st.records_lost + st.chunks_skipped, 0);

    /* A payload byte of chunk 2: that chunk, its records lost. */
    b.data[m.offset[2] + FB__LOG_CHUNK_HEADER + 5] ^= 0x40;
    count = read_memory(b.data, b.len, g, N, NULL, &dl, &st);
    assert_int_equal(count, N - 10);
    assert_int_equal(dl.n, 1);
    assert_int_equal(dl.d[0].offset, m.offset[2]);
    assert_int_equal(dl.d[0].bytes, m.end[2] - m.offset[2]);
    assert_int_equal(dl.d[0].records, 10);
    assert_int_equal(dl.d[0].reason, FB_ERR_CORRUPT);
    assert_true(dl.d[0].message[0] != '\0');
    assert_int_equal(st.chunks, 5);
    assert_int_equal(st.records, N - 10);
    assert_int_equal(st.damaged_regions, 1);
    assert_int_equal(st.damaged_bytes, m.end[2] - m.offset[2]);
    assert_int_equal(st.records_lost, 10);
    file_write(p, b.data, b.len);
    memset(&dl, 0, sizeof dl);
    assert_fb_ok(fb_log_info_read(p, &info, collect_damage, &dl, &e), &e);
    assert_int_equal(info.chunks, 5);
    assert_int_equal(info.records, N - 10);
    assert_int_equal(info.damaged_regions, 1);
    assert_int_equal(dl.n, 1);
    assert_int_equal(dl.d[0].records, 10);

    /* And the header of chunk 4: a region up to chunk 5, records not known. */
    b.data[m.offset[4] + 30] ^= 0x01;
    count = read_memory(b.data, b.len, g, N, NULL, &dl, &st);
    assert_int_equal(count, N - 20);
    assert_int_equal(dl.n, 2);
    assert_int_equal(dl.d[1].offset, m.offset[4]);
    assert_int_equal(dl.d[1].bytes, m.offset[5] - m.offset[4]);
    assert_int_equal(dl.d[1].records, -1);
    assert_non_null(strstr(dl.d[1].message, "checksum"));
    assert_int_equal(st.records_lost, 10);

    /* Strict: FB_ERR_CORRUPT at each damage, after reporting it; then it goes on. */
    fb_log_reader_options_init(&o);
    o.recovery = FB_LOG_STRICT;
    o.on_damage = collect_damage;
    o.on_damage_ctx = &dl;
    memset(&dl, 0, sizeof dl);
    assert_fb_ok(fb_log_reader_open_memory(&r, b.data, b.len, &o, &e), &e);
    count = 0;
    for (i = 0; i < 100; i++) {
        s = fb_log_reader_next(r, &rec, &e);
        if (s == FB_DONE)
            break;
        if (s == FB_ERR_CORRUPT) {
            assert_int_equal(dl.n, count == 20 ? 1 : 2);
            assert_non_null(strstr(e.message, "offset"));
            continue;
        }
        assert_fb_ok(s, &e);
        assert_true(fb_record_equal(rec, &g[fb_log_reader_seq(r)].r));
        count++;
    }
    assert_int_equal(count, N - 20);
    assert_int_equal(dl.n, 2);
    fb_log_reader_close(r);

    /* A log that is garbage after its header. */
    memset(b.data + m.header_size, 0xEE, b.len - m.header_size);
    count = read_memory(b.data, b.len, g, N, NULL, &dl, &st);
    assert_int_equal(count, 0);
    assert_int_equal(dl.n, 1);
    assert_int_equal(dl.d[0].offset, m.header_size);
    assert_int_equal(dl.d[0].bytes, b.len - m.header_size);

    free(b.data);
    tmp_dir_remove(&t, files, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_truncate_everywhere), cmocka_unit_test(test_flip_every_bit),
        cmocka_unit_test(test_byte_ranges),         cmocka_unit_test(test_hostile_headers),
        cmocka_unit_test(test_damage_reports),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
