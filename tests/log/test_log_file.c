/*
 * The log's file layer: round trips through files, reopening for append,
 * forward compatibility, versions, text-mode damage, time ranges and seeks,
 * info, batch validation, write errors.
 */
#include "log_file_test.h"

#include <signal.h>
#include <sys/resource.h>
#include <zlib.h>
#include "varint.h"

static const char *const files[] = {"a.fbl", "b.fbl", "c.fbl"};

static fb_log_reader *open_reader(const char *path, const fb_log_reader_options *o)
{
    fb_log_reader *r = NULL;
    fb_error e;
    assert_fb_ok(fb_log_reader_open(&r, path, o, &e), &e);
    return r;
}

/* Reads path whole and checks that it holds exactly expected[0..n), in order. */
static void check_all(const char *path, const gen_rec *expected, size_t n)
{
    fb_log_reader *r = open_reader(path, NULL);
    fb_log_stats st;
    size_t got = read_check(r, expected, n, NULL);
    assert_int_equal(got, n);
    fb_log_reader_stats(r, &st);
    assert_int_equal(st.records, n);
    assert_int_equal(st.damaged_regions, 0);
    fb_log_reader_close(r);
}

/* ------------------------------------------------------------------ */

static void test_round_trip(void **state)
{
    enum { N = 120 };
    gen_rec *g = malloc(N * sizeof *g);
    tmp_dir t;
    const char *p;
    fb_log_info info;
    fb_error e;
    chunk_map m;
    bytes b;
    (void)state;

    assert_non_null(g);
    gen_records(g, N, 1, 60000);
    tmp_dir_make(&t);
    p = tmp_file(&t, "a.fbl");

    /* Many small chunks, single appends, deflate. */
    write_log(p, g, N, 3, 6, false);
    check_all(p, g, N);
    b = file_read(p);
    chunk_map_of(b.data, b.len, &m);
    assert_int_equal(m.n, N / 3 + 1); /* data chunks and the index */
    assert_int_equal(m.type[m.n - 1], FB__LOG_CHUNK_INDEX);
    free(b.data);
    assert_fb_ok(fb_log_info_read(p, &info, NULL, NULL, &e), &e);
    assert_int_equal(info.major, 1);
    assert_int_equal(info.minor, 0);
    assert_true(strncmp(info.writer, "libfeedback ", 12) == 0);
    assert_true(info.created > T0);
    assert_int_equal(info.chunks, N / 3);
    assert_int_equal(info.records, N);
    assert_int_equal(info.first, T0);
    assert_int_equal(info.last, T0 + (N - 1) * 60000);
    assert_true(info.has_index);
    assert_int_equal(info.damaged_regions, 0);

    /* One large chunk, a batch, stored. */
    write_log(p, g, N, 0, 0, true);
    check_all(p, g, N);
    assert_fb_ok(fb_log_info_read(p, &info, NULL, NULL, &e), &e);
    assert_int_equal(info.chunks, 1);
    assert_int_equal(info.bytes_stored > info.bytes_raw / 2, true);

    /* Batch into chunks of 7, level 9; read from memory too. */
    write_log(p, g, N, 7, 9, true);
    check_all(p, g, N);
    b = file_read(p);
    {
        fb_log_reader *r = NULL;
        assert_fb_ok(fb_log_reader_open_memory(&r, b.data, b.len, NULL, &e), &e);
        assert_int_equal(read_check(r, g, N, NULL), N);
        fb_log_reader_close(r);
    }
    free(b.data);

    /* An empty log: header, index and trailer only. */
    write_log(p, g, 0, 0, 6, false);
    check_all(p, g, 0);
    assert_fb_ok(fb_log_info_read(p, &info, NULL, NULL, &e), &e);
    assert_int_equal(info.records, 0);
    assert_int_equal(info.first, FB_TIME_UNKNOWN);
    assert_true(info.has_index);

    tmp_dir_remove(&t, files, 3);
    free(g);
}

static void test_reopen_append(void **state)
{
    enum { N = 90 };
    gen_rec *g = malloc(N * sizeof *g);
    fb_log_writer_options o;
    fb_log_writer *w = NULL;
    damage_list cuts;
    fb_log_info info;
    tmp_dir t;
    const char *p;
    fb_error e;
    size_t i;
    (void)state;

    assert_non_null(g);
    gen_records(g, N, 2, 1000);
    tmp_dir_make(&t);
    p = tmp_file(&t, "a.fbl");
    write_log(p, g, 40, 4, 6, false);

    /* Reopen after a clean close: nothing reported, records and sequence continue. */
    memset(&cuts, 0, sizeof cuts);
    fb_log_writer_options_init(&o);
    o.chunk_records = 6;
    o.on_cut = collect_damage;
    o.on_cut_ctx = &cuts;
    assert_fb_ok(fb_log_writer_open(&w, p, &o, &e), &e);
    assert_int_equal(fb_log_writer_records(w), 0);
    for (i = 40; i < 70; i++)
        assert_fb_ok(fb_log_writer_append(w, &g[i].r, &e), &e);
    assert_fb_ok(fb_log_writer_flush(w, &e), &e);
    assert_fb_ok(fb_log_writer_sync(w, &e), &e);
    assert_int_equal(fb_log_writer_records(w), 30);
    assert_fb_ok(fb_log_writer_close(w, &e), &e);
    assert_int_equal(cuts.n, 0);
    check_all(p, g, 70);

    /* The index is rebuilt over all chunks: 10 + 5. */
    assert_fb_ok(fb_log_info_read(p, &info, NULL, NULL, &e), &e);
    assert_true(info.has_index);
    assert_int_equal(info.chunks, 15);
    {
        bytes b = file_read(p);
        fb__log_src src;
        fb__log_header fh;
        fb__log_entry *ent = NULL;
        size_t n_ent = 0;
        uint64_t ioff = 0, recs = 0;
        bool ok = false;
        fb__log_src_memory(&src, NULL, b.data, b.len);
        assert_fb_ok(fb__log_header_read(&src, &fh, &e), &e);
        assert_fb_ok(fb__log_trailer_read(&src, &fh, &ok, &ioff, &recs, &e), &e);
        assert_true(ok);
        assert_int_equal(recs, 70);
        assert_fb_ok(fb__log_index_read(&src, &fh, ioff, recs, &ok, &ent, &n_ent, &e), &e);
        assert_true(ok);
        assert_int_equal(n_ent, 15);
        assert_int_equal(ent[10].first_seq, 40);
        assert_int_equal(ent[10].count, 6);
        free(ent);
        free(b.data);
    }

    /* Reopen without appending, then again with sync policies. */
    assert_fb_ok(fb_log_writer_open(&w, p, &o, &e), &e);
    assert_fb_ok(fb_log_writer_close(w, &e), &e);
    o.sync = FB_LOG_SYNC_CHUNK;
    assert_fb_ok(fb_log_writer_open(&w, p, &o, &e), &e);
    for (i = 70; i < 80; i++)
        assert_fb_ok(fb_log_writer_append(w, &g[i].r, &e), &e);
    assert_fb_ok(fb_log_writer_close(w, &e), &e);
    o.sync = FB_LOG_SYNC_INTERVAL;
    o.sync_interval_ms = 0;
    assert_fb_ok(fb_log_writer_open(&w, p, &o, &e), &e);
    for (i = 80; i < N; i++)
        assert_fb_ok(fb_log_writer_append(w, &g[i].r, &e), &e);
    assert_fb_ok(fb_log_writer_close(w, &e), &e);
    assert_int_equal(cuts.n, 0);
    check_all(p, g, N);

    /* A log cut inside its last data chunk (no index): the tail is cut and reported. */
    {
        bytes b = file_read(p);
        chunk_map m;
        uint64_t cut;
        chunk_map_of(b.data, b.len, &m);
        cut = m.offset[m.n - 2] + 100; /* inside the last data chunk */
        file_write(p, b.data, (size_t)cut);
        memset(&cuts, 0, sizeof cuts);
        o.sync = FB_LOG_SYNC_ON_DEMAND;
        assert_fb_ok(fb_log_writer_open(&w, p, &o, &e), &e);
        assert_int_equal(cuts.n, 1);
        assert_int_equal(cuts.d[0].offset, m.offset[m.n - 2]);
        assert_int_equal(cuts.d[0].bytes, 100);
        assert_int_equal(cuts.d[0].records, m.count[m.n - 2]);
        assert_non_null(strstr(cuts.d[0].message, "torn chunk at the end"));
        assert_fb_ok(fb_log_writer_close(w, &e), &e);
        check_all(p, g, (size_t)m.first_seq[m.n - 2]);
        free(b.data);
    }

    tmp_dir_remove(&t, files, 3);
    free(g);
}

/* ------------------------------------------------------------------ */

static void test_forward_compat(void **state)
{
    enum { N = 12 };
    /* The hand-made record's columns (FORMAT.md, "Columns"): created_at the
     * chunk's min, one answer, score 9 (zigzag(9) * 2 = 36), metric left out: NPS. */
    static const uint8_t created[] = {0}, n_answers[] = {1}, score[] = {36};
    /* A later minor version's column: an id this reader does not know. */
    static const uint8_t future_col[] = {0x96, 0x01, 7, 7, 7};
    /* A stream with a codec this reader does not know: fine while it is not used. */
    static const uint8_t future_codec[] = {'?', '?', '?'};
    const hand_stream streams[] = {
        {40, FB__LOG_CODEC_STORED, future_col, sizeof future_col, sizeof future_col},
        {FB__COL_ANSWER_SCORE, FB__LOG_CODEC_STORED, score, 1, 1}, /* any order */
        {FB__COL_CREATED, FB__LOG_CODEC_STORED, created, 1, 1},
        {200, 9, future_codec, sizeof future_codec, 1000},
        {FB__COL_ANSWER_COUNT, FB__LOG_CODEC_STORED, n_answers, 1, 1},
    };
    gen_rec g[N + 1];
    fb_log_writer *w = NULL;
    fb_log_writer_options o;
    fb__chunk_header h;
    uint8_t payload[256];
    uint32_t raw_sum;
    size_t np, i;
    tmp_dir t;
    const char *p;
    fb_error e;
    fb_answer ans;
    bytes b;
    (void)state;

    gen_records(g, N, 3, 1000);
    tmp_dir_make(&t);
    p = tmp_file(&t, "a.fbl");
    unlink(p);
    fb_log_writer_options_init(&o);
    o.chunk_records = 4;
    assert_fb_ok(fb_log_writer_open(&w, p, &o, &e), &e);
    for (i = 0; i < 6; i++)
        assert_fb_ok(fb_log_writer_append(w, &g[i].r, &e), &e);

    /* An unknown chunk type marked safe to ignore (its reserved byte set: ignored too). */
    memset(&h, 0, sizeof h);
    h.type = 0x05 | FB__LOG_IGNORABLE;
    h.reserved = 7;
    h.raw_len = 11;
    assert_fb_ok(fb__log_writer_append_raw_chunk(w, &h, "future data", 11, &e), &e);

    /* A data chunk with streams this reader does not know. */
    np = hand_payload(payload, sizeof payload, streams, sizeof streams / sizeof streams[0],
                      &raw_sum);
    memset(&h, 0, sizeof h);
    h.type = FB__LOG_CHUNK_DATA;
    h.reserved = 1; /* a later version's use of the reserved byte */
    h.count = 1;
    h.raw_len = raw_sum;
    h.min_time = h.max_time = T0 + 5500;
    assert_fb_ok(fb__log_writer_append_raw_chunk(w, &h, payload, (uint32_t)np, &e), &e);
    for (i = 6; i < N; i++)
        assert_fb_ok(fb_log_writer_append(w, &g[i].r, &e), &e);
    assert_fb_ok(fb_log_writer_close(w, &e), &e);

    /* Expected: records 0..5, the hand-made one, 6..11. */
    memmove(&g[7], &g[6], 6 * sizeof g[0]);
    for (i = 7; i < N + 1; i++) { /* fix the pointers into the moved structs */
        g[i].r.answers = g[i].answers;
        g[i].r.tags = g[i].tags;
        g[i].r.attrs = g[i].attrs;
        if (g[i].r.text.len && g[i].r.text.ptr >= g[i - 1].text &&
            g[i].r.text.ptr < g[i - 1].text + sizeof g[i - 1].text)
            g[i].r.text.ptr = g[i].text;
    }
    memset(&g[6], 0, sizeof g[6]);
    fb_record_init(&g[6].r);
    g[6].r.created_at = T0 + 5500;
    memset(&ans, 0, sizeof ans);
    ans.metric = FB_METRIC_NPS;
    ans.score = 9;
    g[6].answers[0] = ans;
    g[6].r.answers = g[6].answers;
    g[6].r.n_answers = 1;
    check_all(p, g, N + 1);

    /* A file claiming major version 2 is refused; minor version 9 is read. */
    b = file_read(p);
    {
        fb_log_reader *r = NULL;
        fb_log_info info;
        uint32_t crc;
        uint32_t mlen = fb__load_u32(b.data + 28);
        b.data[8] = 2;
        assert_fb_status(fb_log_reader_open_memory(&r, b.data, b.len, NULL, &e), FB_ERR_VERSION,
                         &e);
        assert_null(r);
        assert_non_null(strstr(e.message, "2.0"));
        file_write(p, b.data, b.len);
        assert_fb_status(fb_log_writer_open(&w, p, NULL, &e), FB_ERR_VERSION, &e);
        assert_fb_status(fb_log_info_read(p, &info, NULL, NULL, &e), FB_ERR_VERSION, &e);
        b.data[8] = 1;
        b.data[9] = 9;
        crc = (uint32_t)crc32(0L, b.data, 32 + mlen);
        fb__store_u32(b.data + 32 + mlen, crc);
        file_write(p, b.data, b.len);
        check_all(p, g, N + 1);
        assert_fb_ok(fb_log_info_read(p, &info, NULL, NULL, &e), &e);
        assert_int_equal(info.minor, 9);
        assert_int_equal(info.records, N + 1);
        /* A bad header CRC. */
        b.data[9] = 8;
        assert_fb_status(fb_log_reader_open_memory(&r, b.data, b.len, NULL, &e), FB_ERR_CORRUPT,
                         &e);
    }
    free(b.data);

    /* An unknown chunk type NOT safe to ignore is damage with reason FB_ERR_VERSION. */
    unlink(p);
    assert_fb_ok(fb_log_writer_open(&w, p, &o, &e), &e);
    for (i = 0; i < 4; i++)
        assert_fb_ok(fb_log_writer_append(w, &g[i].r, &e), &e);
    memset(&h, 0, sizeof h);
    h.type = 0x09;
    h.count = 3;
    assert_fb_ok(fb__log_writer_append_raw_chunk(w, &h, "xyz", 3, &e), &e);
    assert_fb_ok(fb_log_writer_close(w, &e), &e);
    {
        fb_log_reader_options ro;
        fb_log_reader *r;
        damage_list dl;
        memset(&dl, 0, sizeof dl);
        fb_log_reader_options_init(&ro);
        ro.on_damage = collect_damage;
        ro.on_damage_ctx = &dl;
        r = open_reader(p, &ro);
        assert_int_equal(read_check(r, g, 4, NULL), 4);
        fb_log_reader_close(r);
        assert_int_equal(dl.n, 1);
        assert_int_equal(dl.d[0].reason, FB_ERR_VERSION);
        assert_int_equal(dl.d[0].records, 3);
        assert_int_equal(dl.d[0].bytes, FB__LOG_CHUNK_OVERHEAD + 3);
    }

    tmp_dir_remove(&t, files, 3);
}

/* ------------------------------------------------------------------ */

static void check_text_damage(const bytes *orig, int how)
{
    uint8_t *d = malloc(orig->len * 2 + 1);
    size_t i, n = 0;
    fb_log_reader *r = NULL;
    fb_error e;

    assert_non_null(d);
    for (i = 0; i < orig->len; i++) {
        uint8_t c = orig->data[i];
        if (how == 0 && c == '\r' && i + 1 < orig->len && orig->data[i + 1] == '\n')
            continue; /* CR LF -> LF */
        if (how == 1 && c == '\n')
            d[n++] = '\r'; /* LF -> CR LF */
        d[n++] = how == 2 ? (uint8_t)(c & 0x7f) : c;
    }
    assert_fb_status(fb_log_reader_open_memory(&r, d, n, NULL, &e), FB_ERR_FORMAT, &e);
    assert_null(r);
    if (!strstr(e.message, "text-mode"))
        fail_msg("the message does not mention text-mode damage: %s", e.message);
    free(d);
}

static void test_text_mode_damage(void **state)
{
    gen_rec g[5];
    tmp_dir t;
    const char *p;
    bytes b;
    fb_log_reader *r = NULL;
    fb_error e;
    int how;
    (void)state;

    gen_records(g, 5, 4, 1000);
    tmp_dir_make(&t);
    p = tmp_file(&t, "a.fbl");
    write_log(p, g, 5, 0, 6, false);
    b = file_read(p);
    for (how = 0; how < 3; how++)
        check_text_damage(&b, how);
    free(b.data);

    /* Other files are simply not logs. */
    assert_fb_status(fb_log_reader_open_memory(&r, "id,created_at\n1,2\n", 18, NULL, &e),
                     FB_ERR_FORMAT, &e);
    assert_null(strstr(e.message, "text-mode"));
    assert_fb_status(fb_log_reader_open_memory(&r, "", 0, NULL, &e), FB_ERR_FORMAT, &e);
    file_write(p, "hello, world\n", 13);
    assert_fb_status(fb_log_reader_open(&r, p, NULL, &e), FB_ERR_FORMAT, &e);
    {
        fb_log_writer *w = NULL;
        assert_fb_status(fb_log_writer_open(&w, p, NULL, &e), FB_ERR_FORMAT, &e);
        assert_null(w);
    }
    assert_fb_status(fb_log_reader_open(&r, tmp_file(&t, "missing.fbl"), NULL, &e), FB_ERR_IO,
                     &e);
    tmp_dir_remove(&t, files, 3);
}

/* ------------------------------------------------------------------ */

/* Checks time ranges and seeks on the log at path (records T0 + i * 1000). */
static void check_time_and_seeks(const char *path, const gen_rec *g, size_t n)
{
    fb_log_reader_options o;
    fb_log_reader *r;
    const fb_record *rec;
    fb_log_stats st;
    fb_error e;
    bool got[200];
    size_t i, k;

    /* Time range [T0 + 50 s, T0 + 120 s): exactly records 50..119, chunks outside skipped. */
    fb_log_reader_options_init(&o);
    o.time_from = T0 + 50 * 1000;
    o.time_to = T0 + 120 * 1000;
    r = open_reader(path, &o);
    memset(got, 0, sizeof got);
    assert_int_equal(read_check(r, g, n, got), 70);
    for (i = 0; i < n; i++)
        assert_int_equal(got[i], i >= 50 && i < 120);
    fb_log_reader_stats(r, &st);
    assert_int_equal(st.chunks_skipped, 5 + 8); /* chunks of 10: 0..4 and 12..19 */
    assert_int_equal(st.chunks, 7);
    fb_log_reader_close(r);

    /* Only a lower or an upper bound; only some fields. */
    fb_log_reader_options_init(&o);
    o.time_from = T0 + 195 * 1000 + 1;
    r = open_reader(path, &o);
    assert_int_equal(read_check(r, g, n, NULL), 4);
    fb_log_reader_close(r);
    fb_log_reader_options_init(&o);
    o.time_to = T0 + 3 * 1000;
    o.fields = FB_LOG_FIELD_ANSWERS;
    r = open_reader(path, &o);
    for (i = 0; i < 3; i++) {
        assert_fb_ok(fb_log_reader_next(r, &rec, &e), &e);
        assert_int_equal(rec->created_at, g[i].r.created_at);
        assert_int_equal(rec->n_answers, g[i].r.n_answers);
        assert_int_equal(rec->text.len, 0);
    }
    assert_fb_status(fb_log_reader_next(r, &rec, &e), FB_DONE, &e);
    fb_log_reader_close(r);

    /* Seeks. */
    r = open_reader(path, NULL);
    assert_int_equal(fb_log_reader_seq(r), UINT64_MAX);
    for (k = 0; k < n; k += 13) {
        assert_fb_ok(fb_log_reader_seek_time(r, g[k].r.created_at, &e), &e);
        assert_fb_ok(fb_log_reader_next(r, &rec, &e), &e);
        assert_int_equal(fb_log_reader_seq(r), k);
        assert_true(fb_record_equal(rec, &g[k].r));
        assert_fb_ok(fb_log_reader_seek_time(r, g[k].r.created_at - 1, &e), &e);
        assert_fb_ok(fb_log_reader_next(r, &rec, &e), &e);
        assert_int_equal(fb_log_reader_seq(r), k);
        assert_fb_ok(fb_log_reader_seek_seq(r, k, &e), &e);
        assert_fb_ok(fb_log_reader_next(r, &rec, &e), &e);
        assert_int_equal(fb_log_reader_seq(r), k);
        assert_true(fb_record_equal(rec, &g[k].r));
        assert_fb_ok(fb_log_reader_next(r, &rec, &e), &e);
        assert_int_equal(fb_log_reader_seq(r), k + 1 < n ? k + 1 : k);
    }
    /* Backwards, past the end, and back to the start. */
    assert_fb_ok(fb_log_reader_seek_seq(r, n - 1, &e), &e);
    assert_fb_ok(fb_log_reader_next(r, &rec, &e), &e);
    assert_int_equal(fb_log_reader_seq(r), n - 1);
    assert_fb_status(fb_log_reader_next(r, &rec, &e), FB_DONE, &e);
    assert_fb_ok(fb_log_reader_seek_seq(r, 3, &e), &e);
    assert_fb_ok(fb_log_reader_next(r, &rec, &e), &e);
    assert_int_equal(fb_log_reader_seq(r), 3);
    assert_fb_ok(fb_log_reader_seek_seq(r, n + 5, &e), &e);
    assert_fb_status(fb_log_reader_next(r, &rec, &e), FB_DONE, &e);
    assert_fb_ok(fb_log_reader_seek_time(r, T0 + 1000 * 1000, &e), &e);
    assert_fb_status(fb_log_reader_next(r, &rec, &e), FB_DONE, &e);
    assert_fb_ok(fb_log_reader_seek_time(r, FB_TIME_UNKNOWN, &e), &e);
    assert_int_equal(read_check(r, g, n, NULL), n);
    fb_log_reader_close(r);
}

static void test_time_and_seeks(void **state)
{
    enum { N = 200 };
    gen_rec *g = malloc(N * sizeof *g);
    tmp_dir t;
    const char *p;
    fb_log_info info;
    fb_error e;
    chunk_map m;
    bytes b;
    (void)state;

    assert_non_null(g);
    gen_records(g, N, 5, 1000);
    tmp_dir_make(&t);
    p = tmp_file(&t, "a.fbl");
    write_log(p, g, N, 10, 6, false);
    check_time_and_seeks(p, g, N); /* with the index */

    /* Without the index and trailer: seeks walk the chunk headers. */
    b = file_read(p);
    chunk_map_of(b.data, b.len, &m);
    file_write(p, b.data, (size_t)m.offset[m.n - 1]);
    assert_fb_ok(fb_log_info_read(p, &info, NULL, NULL, &e), &e);
    assert_false(info.has_index);
    check_time_and_seeks(p, g, N);

    /* With a trailer that verifies but an index that does not. */
    b.data[m.offset[m.n - 1] + FB__LOG_CHUNK_HEADER + 1] ^= 0x10;
    file_write(p, b.data, b.len);
    assert_fb_ok(fb_log_info_read(p, &info, NULL, NULL, &e), &e);
    assert_false(info.has_index);
    check_time_and_seeks(p, g, N);
    free(b.data);

    tmp_dir_remove(&t, files, 3);
    free(g);
}

/* ------------------------------------------------------------------ */

static void test_writer_errors(void **state)
{
    gen_rec g[8];
    fb_record rs[8];
    fb_log_writer *w = NULL;
    fb_log_writer_options o;
    tmp_dir t;
    const char *p;
    fb_error e;
    fb_answer bad;
    size_t i;
    (void)state;

    gen_records(g, 8, 6, 1000);
    tmp_dir_make(&t);
    p = tmp_file(&t, "a.fbl");
    unlink(p);

    fb_log_writer_options_init(&o);
    o.level = 12;
    assert_fb_status(fb_log_writer_open(&w, p, &o, &e), FB_ERR_INVALID_ARG, &e);
    assert_null(w);
    fb_log_writer_options_init(&o);
    o.chunk_records = 2;
    assert_fb_status(fb_log_writer_open(NULL, p, &o, &e), FB_ERR_INVALID_ARG, &e);
    assert_fb_ok(fb_log_writer_open(&w, p, &o, &e), &e);

    /* A batch with a bad record is refused whole, naming it. */
    for (i = 0; i < 8; i++)
        rs[i] = g[i].r;
    bad.metric = FB_METRIC_NPS;
    bad.score = 11;
    bad.skipped = false;
    bad.name.ptr = NULL;
    bad.name.len = 0;
    rs[3].kind = FB_KIND_RESPONSE;
    rs[3].answers = &bad;
    rs[3].n_answers = 1;
    assert_fb_status(fb_log_writer_append_batch(w, rs, 8, &e), FB_ERR_RANGE, &e);
    assert_string_equal(e.field, "records[3].answers[0].score");
    assert_true(strncmp(e.message, "records[3].answers[0].score: ", 29) == 0);
    assert_int_equal(fb_log_writer_records(w), 0);
    assert_fb_status(fb_log_writer_append(w, &rs[3], &e), FB_ERR_RANGE, &e);
    assert_fb_ok(fb_log_writer_append_batch(w, rs, 3, &e), &e);
    assert_fb_ok(fb_log_writer_close(w, &e), &e);
    check_all(p, g, 3);
    assert_fb_ok(fb_log_writer_close(NULL, &e), &e);

    /* A write error (the file size limit): every later call fails, flushed chunks stay. */
    {
        struct rlimit old, lim;
        struct stat sb;
        gen_rec big[64];
        fb_status st = FB_OK;
        void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
        assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
        assert_int_equal(stat(p, &sb), 0);
        assert_fb_ok(fb_log_writer_open(&w, p, &o, &e), &e);
        lim = old;
        lim.rlim_cur = (rlim_t)sb.st_size + 900;
        assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
        for (i = 3; i < 8 && st == FB_OK; i++)
            st = fb_log_writer_append(w, &g[i].r, &e);
        for (; i < 64 && st == FB_OK; i++)
            st = fb_log_writer_append(w, &g[i % 8].r, &e);
        assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
        signal(SIGXFSZ, prev);
        assert_fb_status(st, FB_ERR_IO, &e);
        assert_non_null(strstr(e.message, "write failed at offset"));
        assert_fb_status(fb_log_writer_append(w, &g[0].r, &e), FB_ERR_IO, &e);
        assert_fb_status(fb_log_writer_flush(w, &e), FB_ERR_IO, &e);
        assert_fb_status(fb_log_writer_sync(w, &e), FB_ERR_IO, &e);
        assert_fb_status(fb_log_writer_close(w, &e), FB_ERR_IO, &e);
        /* What was written before the error reads back without damage. */
        for (i = 0; i < 64; i++)
            big[i] = g[i % 8];
        {
            fb_log_reader *r = open_reader(p, NULL);
            fb_log_stats s;
            size_t got = read_check(r, big, 64, NULL);
            fb_log_reader_stats(r, &s);
            assert_true(got >= 3);
            assert_int_equal(s.damaged_regions, 0);
            fb_log_reader_close(r);
        }
    }
    tmp_dir_remove(&t, files, 3);
}

/* Every allocation failing in turn: FB_ERR_NOMEM, never a crash or a leak (cmocka checks). */
static void test_out_of_memory(void **state)
{
    gen_rec g[12];
    tmp_dir t;
    const char *p;
    long fail_at;
    int ok_writes = 0, ok_reads = 0;
    (void)state;

    gen_records(g, 12, 11, 1000);
    tmp_dir_make(&t);
    p = tmp_file(&t, "a.fbl");
    write_log(p, g, 12, 4, 6, false);
    for (fail_at = 1; fail_at < 400; fail_at++) {
        fb_test_alloc ta;
        fb_log_reader_options ro;
        fb_log_reader *r = NULL;
        const fb_record *rec;
        fb_status st;
        fb_error e;
        size_t n = 0;

        fb_test_alloc_init(&ta, fail_at);
        fb_log_reader_options_init(&ro);
        ro.alloc = &ta.alloc;
        st = fb_log_reader_open(&r, p, &ro, &e);
        if (st == FB_OK) {
            while ((st = fb_log_reader_next(r, &rec, &e)) == FB_OK) {
                assert_true(fb_record_equal(rec, &g[fb_log_reader_seq(r)].r));
                n++;
            }
            if (st == FB_OK || st == FB_DONE) {
                assert_int_equal(n, 12);
                ok_reads++;
            }
            else
                assert_fb_status(st, FB_ERR_NOMEM, &e);
            fb_log_reader_close(r);
        } else {
            assert_fb_status(st, FB_ERR_NOMEM, &e);
        }
    }
    for (fail_at = 1; fail_at < 200; fail_at++) {
        fb_test_alloc ta;
        fb_log_writer_options wo;
        fb_log_writer *w = NULL;
        fb_status st;
        fb_error e;
        size_t i;

        fb_test_alloc_init(&ta, fail_at);
        fb_log_writer_options_init(&wo);
        wo.alloc = &ta.alloc;
        wo.chunk_records = 4;
        st = fb_log_writer_open(&w, tmp_file(&t, "b.fbl"), &wo, &e);
        if (st != FB_OK) {
            assert_fb_status(st, FB_ERR_NOMEM, &e);
            continue;
        }
        for (i = 0; i < 12 && st == FB_OK; i++)
            st = fb_log_writer_append(w, &g[i].r, &e);
        if (st != FB_OK)
            assert_fb_status(st, FB_ERR_NOMEM, &e);
        st = fb_log_writer_close(w, &e);
        if (st == FB_OK)
            ok_writes++;
        else
            assert_fb_status(st, FB_ERR_NOMEM, &e);
    }
    assert_true(ok_reads > 0);
    assert_true(ok_writes > 0);
    tmp_dir_remove(&t, files, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),      cmocka_unit_test(test_reopen_append),
        cmocka_unit_test(test_forward_compat),  cmocka_unit_test(test_text_mode_damage),
        cmocka_unit_test(test_time_and_seeks),  cmocka_unit_test(test_writer_errors),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
