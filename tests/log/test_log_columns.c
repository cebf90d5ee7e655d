/*
 * The chunk decoder's damage rules (FORMAT.md), on data chunks made by hand:
 * unknown streams skipped, how many values each column holds, the values and
 * strings a column may hold, created_at's time range, the stream table,
 * hostile lengths and deflate data. Round trips through the encoder, and the
 * codec's other properties: test_log_chunk.c.
 */
#include <stdlib.h>
#include <zlib.h>

#include "deflate_backend.h"
#include "log_chunk_test.h"
#include "strbuf.h"
#include "varint.h"

/* ================================================================ hand-made chunks */

/* One stream of a hand-made data chunk. */
typedef struct stream_spec {
    uint8_t id;
    uint8_t codec;      /* as declared; the body is deflated when DEFLATE, unless as_is */
    bool as_is;         /* the body is data as given, whatever the codec says */
    const void *data;
    size_t len;
    int64_t stored_len; /* >= 0: declare this stored length instead */
    int64_t raw_len;    /* >= 0: declare this raw length instead of len */
    size_t cut;         /* drop this many bytes from the end of the body */
    size_t pad;         /* append this many zero bytes to the body */
    bool bad_crc;       /* declare a CRC that the body fails */
} stream_spec;

#define MAX_SPEC_STREAMS 70

/* A hand-made data chunk: its header's fields and its streams, in table order. */
typedef struct chunk_spec {
    uint32_t count;
    int64_t min, max;
    int64_t raw_len;    /* >= 0: the header's R instead of the sum of the declared raw lengths */
    bool bad_table_crc; /* a table CRC that the table fails */
    size_t n;
    stream_spec s[MAX_SPEC_STREAMS];
} chunk_spec;

static void spec_init(chunk_spec *c, uint32_t count)
{
    memset(c, 0, sizeof *c);
    c->count = count;
    c->min = T0;
    c->max = T0 + 1000;
    c->raw_len = -1;
}

/* Adds a stored stream declaring its real lengths; returns it, to be changed. */
static stream_spec *spec_add(chunk_spec *c, uint8_t id, const void *data, size_t len)
{
    stream_spec *s;

    assert_true(c->n < MAX_SPEC_STREAMS);
    s = &c->s[c->n++];
    memset(s, 0, sizeof *s);
    s->id = id;
    s->codec = FB__LOG_CODEC_STORED;
    s->data = data;
    s->len = len;
    s->stored_len = s->raw_len = -1;
    return s;
}

static stream_spec *spec_find(chunk_spec *c, uint8_t id)
{
    size_t i;
    for (i = 0; i < c->n; i++)
        if (c->s[i].id == id)
            return &c->s[i];
    return NULL;
}

/* Gives stream id the len bytes at data (which must outlive the build), adding it when absent. */
static stream_spec *spec_set(chunk_spec *c, uint8_t id, const void *data, size_t len)
{
    stream_spec *s = spec_find(c, id);
    if (!s)
        return spec_add(c, id, data, len);
    s->data = data;
    s->len = len;
    return s;
}

static void spec_drop(chunk_spec *c, uint8_t id)
{
    stream_spec *s = spec_find(c, id);
    size_t i;

    if (!s)
        fail_msg("no stream %u to drop", (unsigned)id);
    i = (size_t)(s - c->s);
    memmove(&c->s[i], &c->s[i + 1], (c->n - i - 1) * sizeof c->s[0]);
    c->n--;
}

/* An answer score of 5 in a number column (NUM, log_chunk_test.h). */
#define SCORE5 NUM(5) /* 20 */

static uint8_t base_ones[64], base_scores[64];

/*
 * count records (at most 64) that every reader accepts: each at T0, the
 * chunk's min, with one answer, an NPS of 5. Columns: created_at 0 each (no
 * change from the min), answer count 1, answer score 5; the metric column is
 * left out (every metric NPS, 0).
 */
static void spec_base(chunk_spec *c, uint32_t count)
{
    assert_true(count <= 64);
    memset(base_ones, 1, sizeof base_ones);
    memset(base_scores, SCORE5, sizeof base_scores);
    spec_init(c, count);
    spec_add(c, FB__COL_CREATED, base_zeros, count);
    spec_add(c, FB__COL_ANSWER_COUNT, base_ones, count);
    spec_add(c, FB__COL_ANSWER_SCORE, base_scores, count);
}

/* Sets stream id of c to the listed bytes (static, so that they outlive the block). */
#define SET(c, id, ...)                                                                   \
    do {                                                                                  \
        static const uint8_t v_[] = {__VA_ARGS__};                                        \
        spec_set((c), (id), v_, sizeof v_);                                               \
    } while (0)

/*
 * One record whose one answer is custom: the question "q" (inline) on the
 * scale 0..10 (min left out: 0), a score of 5.
 */
static void spec_custom(chunk_spec *c)
{
    spec_base(c, 1);
    SET(c, FB__COL_ANSWER_METRIC, FB_METRIC_CUSTOM);
    SET(c, FB__COL_ANSWER_NAME, 3, 'q');
    SET(c, FB__COL_ANSWER_SCALE_MAX, NUM(10));
}

/*
 * Builds the chunk c into out: header, stream table (each entry's CRC over
 * the body as written), the table's CRC, the bodies, and the payload CRC over
 * all of it. Only what c asks for is wrong.
 */
static void build_chunk(fb__strbuf *out, const chunk_spec *c)
{
    fb__strbuf table, bodies;
    fb__chunk_header h;
    uint64_t raw_sum = 0;
    uint32_t crc;
    size_t i, k;

    fb__strbuf_init(&table, NULL);
    fb__strbuf_init(&bodies, NULL);
    assert_int_equal(fb__put_varint(&table, c->n), 0);
    for (i = 0; i < c->n; i++) {
        const stream_spec *s = &c->s[i];
        size_t at = bodies.len, body_len;
        uint64_t raw = s->raw_len >= 0 ? (uint64_t)s->raw_len : s->len;
        if (s->codec == FB__LOG_CODEC_DEFLATE && !s->as_is) {
            size_t cap = s->len + s->len / 10 + 64;
            assert_int_equal(fb__strbuf_reserve(&bodies, cap), 0);
            bodies.len += deflate_raw(s->data, s->len, (uint8_t *)bodies.data + at, cap);
        } else if (s->len) {
            assert_int_equal(fb__strbuf_append(&bodies, s->data, s->len), 0);
        }
        assert_true(s->cut <= bodies.len - at);
        bodies.len -= s->cut;
        for (k = 0; k < s->pad; k++)
            assert_int_equal(fb__put_u8(&bodies, 0), 0);
        body_len = bodies.len - at;
        crc = (uint32_t)crc32(0L, (const Bytef *)bodies.data + at, (uInt)body_len);
        assert_int_equal(fb__put_u8(&table, s->id), 0);
        assert_int_equal(fb__put_u8(&table, s->codec), 0);
        assert_int_equal(
            fb__put_varint(&table, s->stored_len >= 0 ? (uint64_t)s->stored_len : body_len), 0);
        assert_int_equal(fb__put_varint(&table, raw), 0);
        assert_int_equal(fb__put_le32(&table, s->bad_crc ? crc ^ 0x80u : crc), 0);
        raw_sum += raw;
    }
    crc = (uint32_t)crc32(0L, (const Bytef *)table.data, (uInt)table.len);
    assert_int_equal(fb__put_le32(&table, c->bad_table_crc ? crc ^ 1u : crc), 0);
    assert_int_equal(fb__strbuf_append(&table, bodies.data, bodies.len), 0);

    memset(&h, 0, sizeof h);
    h.type = FB__LOG_CHUNK_DATA;
    h.count = c->count;
    h.payload_len = (uint32_t)table.len;
    h.raw_len = c->raw_len >= 0 ? (uint32_t)c->raw_len : (uint32_t)raw_sum;
    h.min_time = c->min;
    h.max_time = c->max;
    fb__strbuf_reset(out);
    assert_int_equal(fb__strbuf_reserve(out, FB__LOG_CHUNK_HEADER), 0);
    fb__chunk_header_write((uint8_t *)out->data, SYNC, &h);
    out->len = FB__LOG_CHUNK_HEADER;
    assert_int_equal(fb__strbuf_append(out, table.data, table.len), 0);
    assert_int_equal(
        fb__put_le32(out, (uint32_t)crc32(0L, (const Bytef *)table.data, (uInt)table.len)), 0);
    fb__strbuf_free(&table);
    fb__strbuf_free(&bodies);
}

/* A data chunk of count records at T0 around payload bytes given whole (a table built by hand). */
static void raw_chunk(fb__strbuf *out, uint32_t count, uint32_t raw_len, const uint8_t *payload,
                      size_t len)
{
    fb__chunk_header h;

    memset(&h, 0, sizeof h);
    h.type = FB__LOG_CHUNK_DATA;
    h.count = count;
    h.payload_len = (uint32_t)len;
    h.raw_len = raw_len;
    h.min_time = h.max_time = T0;
    fb__strbuf_reset(out);
    assert_int_equal(fb__strbuf_reserve(out, FB__LOG_CHUNK_HEADER), 0);
    fb__chunk_header_write((uint8_t *)out->data, SYNC, &h);
    out->len = FB__LOG_CHUNK_HEADER;
    assert_int_equal(fb__strbuf_append(out, (const char *)payload, len), 0);
    assert_int_equal(fb__put_le32(out, (uint32_t)crc32(0L, payload, (uInt)len)), 0);
}

/*
 * Loads the chunk in out with fields and expects status want, with needle in
 * the message. Returns the largest single allocation the decoder made.
 */
static size_t expect_load(const fb__strbuf *out, uint32_t fields, fb_status want,
                          const char *needle)
{
    track_alloc ta;
    fb__chunk_dec *d = NULL;
    fb_error err;
    fb_status st;
    size_t largest;

    track_init(&ta);
    assert_fb_ok(fb__chunk_dec_new(&ta.t.alloc, &d), NULL);
    memset(&err, 0, sizeof err);
    st = load(d, (const uint8_t *)out->data, out->len, fields, &err);
    if (st != want)
        fail_msg("load returned %d (%s), expected %d: %s", (int)st, fb_status_str(st), (int)want,
                 err.message);
    if (want != FB_OK) {
        assert_int_equal(fb__chunk_dec_count(d), 0);
        assert_null(dec_record(d, 0));
        if (needle && !strstr(err.message, needle))
            fail_msg("message '%s' lacks '%s'", err.message, needle);
        /* No large allocation for a small hostile chunk. With libdeflate, which
         * needs the whole output up front, only the format's caps bound it
         * (FB__LOG_MAX_RAW, and 1032 raw bytes per stored byte). */
        if (ta.largest > (strcmp(fb__deflate_backend(), "libdeflate") == 0 ? FB__LOG_MAX_RAW
                                                                          : (4u << 20)))
            fail_msg("a %lu-byte allocation for a %lu-byte chunk", (unsigned long)ta.largest,
                     (unsigned long)out->len);
    } else {
        assert_int_equal(fb__chunk_dec_count(d), ((const uint8_t *)out->data)[20] |
                                                     ((const uint8_t *)out->data)[21] << 8);
    }
    largest = ta.largest;
    fb__chunk_dec_free(d);
    return largest;
}

static size_t expect_spec(const chunk_spec *c, uint32_t fields, fb_status want, const char *needle)
{
    fb__strbuf out;
    size_t largest;

    fb__strbuf_init(&out, NULL);
    build_chunk(&out, c);
    largest = expect_load(&out, fields, want, needle);
    fb__strbuf_free(&out);
    return largest;
}

/* The one-record base chunk with column id holding the listed bytes, loaded with fields. */
#define EXPECT_COL(fields, want, needle, id, ...)                                         \
    do {                                                                                  \
        chunk_spec c_;                                                                    \
        spec_base(&c_, 1);                                                                \
        SET(&c_, (id), __VA_ARGS__);                                                      \
        expect_spec(&c_, (fields), (want), (needle));                                     \
    } while (0)

/* Loads the chunk c with fields into d (which must succeed): for tests that look at the values. */
static void load_spec(fb__chunk_dec *d, const chunk_spec *c, uint32_t fields)
{
    fb__strbuf out;
    fb_error err;

    fb__strbuf_init(&out, NULL);
    build_chunk(&out, c);
    assert_fb_ok(load(d, (const uint8_t *)out.data, out.len, fields, &err), &err);
    fb__strbuf_free(&out);
}

/* ---------------------------------------------------------------- unknown streams */

static void test_unknown_streams_skipped(void **state)
{
    /*
     * Two records. 0: at T0 + 5, an NPS 7, the text "hello". 1: at T0, the
     * text "ok", language "en" (DICT entry 1) and the attribute k=1 (the key
     * DICT entry 0, the value inline).
     */
    static const uint8_t dict[] = {1, 'k', 2, 'e', 'n'};
    static const uint8_t created[] = {10, 9}; /* zigzag +5, then -5 */
    static const uint8_t n_answers[] = {1, 0}, score[] = {NUM(7)};
    static const uint8_t text[] = {11, 'h', 'e', 'l', 'l', 'o', 5, 'o', 'k'};
    static const uint8_t language[] = {1, 2};
    static const uint8_t n_attrs[] = {0, 1}, key[] = {0}, value[] = {3, '1'};
    /* What a later version might write: no column of this one. */
    static const uint8_t junk[] = {0xFF, 0xFF, 0x03, 1, 2, 3, 0x80};
    const uint64_t known = BIT(FB__COL_DICT) | BIT(FB__COL_CREATED) | BIT(FB__COL_ANSWER_COUNT) |
                           BIT(FB__COL_ANSWER_SCORE) | BIT(FB__COL_TEXT) |
                           BIT(FB__COL_LANGUAGE) | BIT(FB__COL_ATTR_COUNT) |
                           BIT(FB__COL_ATTR_KEY) | BIT(FB__COL_ATTR_VALUE);
    fb__chunk_dec *d = NULL;
    const fb_record *r;
    chunk_spec c;
    size_t i;
    int codec;
    (void)state;

    assert_fb_ok(fb__chunk_dec_new(NULL, &d), NULL);
    for (codec = FB__LOG_CODEC_STORED; codec <= FB__LOG_CODEC_DEFLATE; codec++) {
        spec_init(&c, 2);
        c.max = T0 + 5;
        /* Unknown ids among the known (id 0, one past the last column, the last id),
         * and a codec this version does not know on one of them. */
        spec_add(&c, 0, junk, sizeof junk);
        spec_add(&c, FB__COL_DICT, dict, sizeof dict);
        spec_add(&c, FB__COL_TEXT, text, sizeof text);
        spec_add(&c, FB__COL_LAST + 1, junk, sizeof junk);
        spec_add(&c, FB__COL_CREATED, created, sizeof created);
        spec_add(&c, FB__COL_ANSWER_SCORE, score, sizeof score);
        spec_add(&c, FB__COL_ANSWER_COUNT, n_answers, sizeof n_answers);
        spec_add(&c, 255, junk, sizeof junk)->codec = 200;
        spec_add(&c, FB__COL_LANGUAGE, language, sizeof language);
        spec_add(&c, FB__COL_ATTR_COUNT, n_attrs, sizeof n_attrs);
        spec_add(&c, 127, junk, sizeof junk);
        spec_add(&c, FB__COL_ATTR_KEY, key, sizeof key);
        spec_add(&c, FB__COL_ATTR_VALUE, value, sizeof value);
        for (i = 0; i < c.n; i++)
            if (c.s[i].codec == FB__LOG_CODEC_STORED)
                c.s[i].codec = (uint8_t)codec;
        load_spec(d, &c, FB_LOG_FIELD_ALL);
        assert_int_equal(fb__chunk_dec_count(d), 2);
        assert_true(fb__chunk_dec_fetched_streams(d) == known);
        r = dec_record(d, 0);
        assert_true(r->created_at == T0 + 5);
        assert_int_equal(r->n_answers, 1);
        assert_int_equal(r->answers[0].metric, FB_METRIC_NPS);
        assert_true(r->answers[0].score == 7);
        assert_int_equal(r->text.len, 5);
        assert_memory_equal(r->text.ptr, "hello", 5);
        assert_int_equal(r->language.len, 0);
        assert_int_equal(r->n_attrs, 0);
        r = dec_record(d, 1);
        assert_true(r->created_at == T0);
        assert_int_equal(r->n_answers, 0);
        assert_int_equal(r->text.len, 2);
        assert_memory_equal(r->text.ptr, "ok", 2);
        assert_int_equal(r->language.len, 2);
        assert_memory_equal(r->language.ptr, "en", 2);
        assert_int_equal(r->n_attrs, 1);
        assert_int_equal(r->attrs[0].key.len, 1);
        assert_memory_equal(r->attrs[0].key.ptr, "k", 1);
        assert_int_equal(r->attrs[0].value.len, 1);
        assert_memory_equal(r->attrs[0].value.ptr, "1", 1);
    }
    fb__chunk_dec_free(d);
}

/* ---------------------------------------------------------------- value counts */

/* FORMAT.md: a column holds exactly as many values as its unit has in the chunk, no byte more. */
static void test_column_counts(void **state)
{
    fb__chunk_dec *d = NULL;
    chunk_spec c;
    (void)state;

    /* The base chunks are sound. */
    spec_base(&c, 1);
    expect_spec(&c, FB_LOG_FIELD_ALL, FB_OK, NULL);
    spec_base(&c, 3);
    expect_spec(&c, FB_LOG_FIELD_ALL, FB_OK, NULL);

    /* Too few values: in a varint, a string, the created_at column. */
    spec_base(&c, 3);
    SET(&c, FB__COL_CHANNEL, 1, 2);
    expect_spec(&c, FB_LOG_FIELD_CHANNEL, FB_ERR_CORRUPT,
                "column channel, value 2: truncated varint");
    spec_base(&c, 2);
    SET(&c, FB__COL_TEXT, 3, 'a');
    expect_spec(&c, FB_LOG_FIELD_TEXT, FB_ERR_CORRUPT, "column text, value 1: truncated varint");
    spec_base(&c, 2);
    SET(&c, FB__COL_CREATED, 0x80, 0x00); /* two bytes, one (non-minimal) value */
    expect_spec(&c, FB_LOG_FIELD_CREATED_AT, FB_ERR_CORRUPT,
                "column created_at, value 1: truncated varint");
    /* created_at's bytes bound the record count, before any room is made for them. */
    spec_base(&c, 3);
    SET(&c, FB__COL_CREATED, 0, 0);
    expect_spec(&c, FB_LOG_FIELD_CREATED_AT, FB_ERR_CORRUPT,
                "3 records cannot fit in 2 bytes of created_at");

    /* Bytes after the last value. */
    EXPECT_COL(FB_LOG_FIELD_CHANNEL, FB_ERR_CORRUPT, "column channel: 1 bytes after its 1 values",
               FB__COL_CHANNEL, 1, 1);
    EXPECT_COL(FB_LOG_FIELD_CREATED_AT, FB_ERR_CORRUPT,
               "column created_at: 1 bytes after its 1 values", FB__COL_CREATED, 0, 0);
    EXPECT_COL(FB_LOG_FIELD_TEXT, FB_ERR_CORRUPT, "column text: 1 bytes after its 1 values",
               FB__COL_TEXT, 3, 'a', 1);
    EXPECT_COL(FB_LOG_FIELD_ALL, FB_ERR_CORRUPT, "column kind: 1 bytes after its 1 values",
               FB__COL_KIND, 0, 0);
    /* ... found only by a reader that decodes the column. */
    EXPECT_COL(FB_LOG_FIELD_TEXT, FB_OK, NULL, FB__COL_CHANNEL, 1, 1);

    /*
     * Per-answer columns hold one value per answer: the sum of the answer
     * counts. Record 0 has an NPS, record 1 a CSAT and a rating, all 5.
     */
    spec_base(&c, 2);
    SET(&c, FB__COL_ANSWER_COUNT, 1, 2);
    SET(&c, FB__COL_ANSWER_METRIC, FB_METRIC_NPS, FB_METRIC_CSAT, FB_METRIC_RATING);
    SET(&c, FB__COL_ANSWER_SCORE, SCORE5, SCORE5, SCORE5);
    expect_spec(&c, FB_LOG_FIELD_ALL, FB_OK, NULL);
    assert_fb_ok(fb__chunk_dec_new(NULL, &d), NULL);
    load_spec(d, &c, FB_LOG_FIELD_ANSWERS);
    assert_int_equal(dec_record(d, 1)->n_answers, 2);
    assert_int_equal(dec_record(d, 1)->answers[1].metric, FB_METRIC_RATING);
    fb__chunk_dec_free(d);
    SET(&c, FB__COL_ANSWER_SCORE, SCORE5, SCORE5);
    expect_spec(&c, FB_LOG_FIELD_ANSWERS, FB_ERR_CORRUPT,
                "column answer score, value 2: truncated varint");
    SET(&c, FB__COL_ANSWER_SCORE, SCORE5, SCORE5, SCORE5, SCORE5);
    expect_spec(&c, FB_LOG_FIELD_ANSWERS, FB_ERR_CORRUPT,
                "column answer score: 1 bytes after its 3 values");
    SET(&c, FB__COL_ANSWER_SCORE, SCORE5, SCORE5, SCORE5);
    SET(&c, FB__COL_ANSWER_COUNT, 1, 1);
    expect_spec(&c, FB_LOG_FIELD_ANSWERS, FB_ERR_CORRUPT,
                "column answer metric: 1 bytes after its 2 values");
    SET(&c, FB__COL_ANSWER_COUNT, 1, 3);
    expect_spec(&c, FB_LOG_FIELD_ANSWERS, FB_ERR_CORRUPT,
                "column answer metric, value 3: truncated varint");
    /* Answers left out entirely while the answer columns hold values. */
    spec_base(&c, 1);
    spec_drop(&c, FB__COL_ANSWER_COUNT);
    SET(&c, FB__COL_TEXT, 3, 'a');
    expect_spec(&c, FB_LOG_FIELD_ANSWERS, FB_ERR_CORRUPT,
                "column answer score: 1 bytes after its 0 values");
    /*
     * Name and scale columns hold one value per custom answer. Record 0 has an
     * NPS and the custom "a", record 1 the custom "b"; both on 0..10.
     */
    spec_base(&c, 2);
    SET(&c, FB__COL_ANSWER_COUNT, 2, 1);
    SET(&c, FB__COL_ANSWER_METRIC, FB_METRIC_NPS, FB_METRIC_CUSTOM, FB_METRIC_CUSTOM);
    SET(&c, FB__COL_ANSWER_SCORE, SCORE5, SCORE5, SCORE5);
    SET(&c, FB__COL_ANSWER_NAME, 3, 'a', 3, 'b');
    SET(&c, FB__COL_ANSWER_SCALE_MAX, NUM(10), NUM(10));
    expect_spec(&c, FB_LOG_FIELD_ALL, FB_OK, NULL);
    assert_fb_ok(fb__chunk_dec_new(NULL, &d), NULL);
    load_spec(d, &c, FB_LOG_FIELD_ANSWERS);
    assert_int_equal(dec_record(d, 0)->answers[0].name.len, 0);
    assert_memory_equal(dec_record(d, 0)->answers[1].name.ptr, "a", 1);
    assert_memory_equal(dec_record(d, 1)->answers[0].name.ptr, "b", 1);
    assert_true(dec_record(d, 1)->answers[0].scale_max == 10);
    fb__chunk_dec_free(d);
    SET(&c, FB__COL_ANSWER_NAME, 3, 'a');
    expect_spec(&c, FB_LOG_FIELD_ANSWERS, FB_ERR_CORRUPT,
                "column answer name, value 1: truncated varint");
    SET(&c, FB__COL_ANSWER_NAME, 3, 'a', 3, 'b', 3, 'c');
    expect_spec(&c, FB_LOG_FIELD_ANSWERS, FB_ERR_CORRUPT,
                "column answer name: 2 bytes after its 2 values");
    SET(&c, FB__COL_ANSWER_NAME, 3, 'a', 3, 'b');
    SET(&c, FB__COL_ANSWER_SCALE_MAX, NUM(10), NUM(10), NUM(10));
    expect_spec(&c, FB_LOG_FIELD_ANSWERS, FB_ERR_CORRUPT,
                "column answer scale max: 1 bytes after its 2 values");
    SET(&c, FB__COL_ANSWER_SCALE_MAX, NUM(10), NUM(10));
    SET(&c, FB__COL_ANSWER_METRIC, FB_METRIC_NPS, FB_METRIC_CUSTOM, FB_METRIC_CSAT);
    expect_spec(&c, FB_LOG_FIELD_ANSWERS, FB_ERR_CORRUPT,
                "column answer name: 2 bytes after its 1 values");
    /* A name for an answer that is not custom. */
    EXPECT_COL(FB_LOG_FIELD_ANSWERS, FB_ERR_CORRUPT,
               "column answer name: 2 bytes after its 0 values", FB__COL_ANSWER_NAME, 3, 'q');
    EXPECT_COL(FB_LOG_FIELD_ANSWERS, FB_ERR_CORRUPT,
               "column answer scale min: 1 bytes after its 0 values", FB__COL_ANSWER_SCALE_MIN, 0);

    /* Tags and attributes the same way. */
    spec_base(&c, 2);
    SET(&c, FB__COL_TAG_COUNT, 2, 0);
    SET(&c, FB__COL_TAG, 3, 'a', 3, 'b');
    expect_spec(&c, FB_LOG_FIELD_ALL, FB_OK, NULL);
    SET(&c, FB__COL_TAG, 3, 'a');
    expect_spec(&c, FB_LOG_FIELD_TAGS, FB_ERR_CORRUPT, "column tag, value 1: truncated varint");
    SET(&c, FB__COL_TAG_COUNT, 1, 0);
    SET(&c, FB__COL_TAG, 3, 'a', 3, 'b');
    expect_spec(&c, FB_LOG_FIELD_TAGS, FB_ERR_CORRUPT, "column tag: 2 bytes after its 1 values");
    spec_base(&c, 1);
    SET(&c, FB__COL_ATTR_COUNT, 1);
    SET(&c, FB__COL_ATTR_KEY, 3, 'k');
    SET(&c, FB__COL_ATTR_VALUE, 3, 'v');
    expect_spec(&c, FB_LOG_FIELD_ALL, FB_OK, NULL);
    SET(&c, FB__COL_ATTR_VALUE, 3, 'v', 3, 'w');
    expect_spec(&c, FB_LOG_FIELD_ATTRS, FB_ERR_CORRUPT,
                "column attribute value: 2 bytes after its 1 values");
    SET(&c, FB__COL_ATTR_VALUE, 3, 'v');
    SET(&c, FB__COL_ATTR_COUNT, 2);
    expect_spec(&c, FB_LOG_FIELD_ATTRS, FB_ERR_CORRUPT,
                "column attribute key, value 1: truncated varint");

    /* Counts above their limits, however many values follow; not read, not checked. */
    EXPECT_COL(FB_LOG_FIELD_ANSWERS, FB_ERR_CORRUPT,
               "column answer count, value 0: 33, more than the limit of 32",
               FB__COL_ANSWER_COUNT, 33);
    EXPECT_COL(FB_LOG_FIELD_ANSWERS, FB_ERR_CORRUPT, "more than the limit of 32",
               FB__COL_ANSWER_COUNT, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01);
    EXPECT_COL(FB_LOG_FIELD_TEXT, FB_OK, NULL, FB__COL_ANSWER_COUNT, 33);
    EXPECT_COL(FB_LOG_FIELD_TAGS, FB_ERR_CORRUPT,
               "column tag count, value 0: 65, more than the limit of 64", FB__COL_TAG_COUNT, 65);
    EXPECT_COL(FB_LOG_FIELD_ATTRS, FB_ERR_CORRUPT,
               "column attribute count, value 0: 65, more than the limit of 64",
               FB__COL_ATTR_COUNT, 65);
    /* The limits themselves: 32 answers, every column left out (NPS 0 each, which only a
     * projection returns: fb_record_validate refuses a metric twice). */
    spec_base(&c, 1);
    SET(&c, FB__COL_ANSWER_COUNT, 32);
    spec_drop(&c, FB__COL_ANSWER_SCORE);
    expect_spec(&c, FB_LOG_FIELD_ANSWERS, FB_OK, NULL);
    expect_spec(&c, FB_LOG_FIELD_ALL, FB_ERR_CORRUPT, "record 0: ");
    EXPECT_COL(FB_LOG_FIELD_TAGS, FB_OK, NULL, FB__COL_TAG_COUNT, 64);

    /* The created_at column is required, whatever the projection. */
    spec_base(&c, 1);
    spec_drop(&c, FB__COL_CREATED);
    expect_spec(&c, FB_LOG_FIELD_ALL, FB_ERR_CORRUPT, "data chunk without a created_at column");
    expect_spec(&c, FB_LOG_FIELD_CHANNEL, FB_ERR_CORRUPT, "without a created_at column");
    spec_init(&c, 1);
    SET(&c, 99, 0);
    expect_spec(&c, FB_LOG_FIELD_CREATED_AT, FB_ERR_CORRUPT, "without a created_at column");
}

/* ---------------------------------------------------------------- values */

/* Varints, enumerations, numbers, times. */
static void test_column_values(void **state)
{
    uint8_t big[4][FB__VARINT_MAX];
    size_t big_len[4];
    fb__chunk_dec *d = NULL;
    const fb_record *r;
    chunk_spec c;
    (void)state;

    assert_fb_ok(fb__chunk_dec_new(NULL, &d), NULL);

    /* Varints cut off, or longer than 64 bits. */
    EXPECT_COL(FB_LOG_FIELD_CHANNEL, FB_ERR_CORRUPT, "column channel, value 0: truncated varint",
               FB__COL_CHANNEL, 0x80);
    EXPECT_COL(FB_LOG_FIELD_CHANNEL, FB_ERR_CORRUPT, "column channel, value 0: over-long varint",
               FB__COL_CHANNEL, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02);
    EXPECT_COL(FB_LOG_FIELD_CHANNEL, FB_ERR_CORRUPT, "over-long varint", FB__COL_CHANNEL, 0x80,
               0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);

    /* Enumerations: the last known value of each, then the first unknown. */
    EXPECT_COL(FB_LOG_FIELD_KIND, FB_OK, NULL, FB__COL_KIND, FB_KIND_INVITATION);
    EXPECT_COL(FB_LOG_FIELD_KIND, FB_ERR_CORRUPT, "column kind, value 0: unknown value 3",
               FB__COL_KIND, 3);
    EXPECT_COL(FB_LOG_FIELD_ALL, FB_ERR_CORRUPT, "column kind, value 0: unknown value 3",
               FB__COL_KIND, 3);
    EXPECT_COL(FB_LOG_FIELD_CHANNEL, FB_OK, NULL, FB__COL_CHANNEL, FB_CHANNEL_SERVICE_DESK);
    EXPECT_COL(FB_LOG_FIELD_CHANNEL, FB_ERR_CORRUPT, "column channel, value 0: unknown value 18",
               FB__COL_CHANNEL, 18);
    EXPECT_COL(FB_LOG_FIELD_CHANNEL, FB_ERR_CORRUPT,
               "column channel, value 0: unknown value 9223372036854775808", FB__COL_CHANNEL,
               0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01);
    EXPECT_COL(FB_LOG_FIELD_CHANNEL, FB_OK, NULL, FB__COL_SOURCE, FB_SOURCE_INFERRED);
    EXPECT_COL(FB_LOG_FIELD_CHANNEL, FB_ERR_CORRUPT, "column source, value 0: unknown value 3",
               FB__COL_SOURCE, 3);
    EXPECT_COL(FB_LOG_FIELD_CUSTOMER, FB_OK, NULL, FB__COL_CUSTOMER_STATUS, FB_CUSTOMER_NONE);
    EXPECT_COL(FB_LOG_FIELD_CUSTOMER, FB_ERR_CORRUPT,
               "column customer_status, value 0: unknown value 6", FB__COL_CUSTOMER_STATUS, 6);
    EXPECT_COL(FB_LOG_FIELD_UPDATE, FB_OK, NULL, FB__COL_HANDLING, FB_HANDLING_CLOSED);
    EXPECT_COL(FB_LOG_FIELD_UPDATE, FB_ERR_CORRUPT, "column handling, value 0: unknown value 5",
               FB__COL_HANDLING, 5);
    EXPECT_COL(FB_LOG_FIELD_UPDATE, FB_OK, NULL, FB__COL_ASSIGNEE_KIND, FB_ASSIGNEE_DEPARTMENT);
    EXPECT_COL(FB_LOG_FIELD_UPDATE, FB_ERR_CORRUPT,
               "column assignee_kind, value 0: unknown value 2", FB__COL_ASSIGNEE_KIND, 2);
    EXPECT_COL(FB_LOG_FIELD_ANSWERS, FB_OK, NULL, FB__COL_ANSWER_METRIC, FB_METRIC_RATING);
    EXPECT_COL(FB_LOG_FIELD_ANSWERS, FB_ERR_CORRUPT,
               "column answer metric, value 0: unknown metric 9", FB__COL_ANSWER_METRIC, 9);
    /* Customer flags: bits this version does not know are ignored. */
    spec_base(&c, 1);
    SET(&c, FB__COL_CUSTOMER_FLAGS, 0xFF, 0x01);
    load_spec(d, &c, FB_LOG_FIELD_CUSTOMER);
    r = dec_record(d, 0);
    assert_true(r->customer_verified);
    assert_true(r->win_back);
    SET(&c, FB__COL_CUSTOMER_FLAGS, 0x04);
    load_spec(d, &c, FB_LOG_FIELD_CUSTOMER);
    assert_false(dec_record(d, 0)->customer_verified);
    assert_false(dec_record(d, 0)->win_back);

    /* Number codes: 3 (no value) in the score column only; other odd codes never but 1. */
    EXPECT_COL(FB_LOG_FIELD_ANSWERS, FB_ERR_CORRUPT, "column answer score, value 0: number code 5",
               FB__COL_ANSWER_SCORE, 5);
    EXPECT_COL(FB_LOG_FIELD_ANSWERS, FB_ERR_CORRUPT,
               "column answer score, value 0: number code 255", FB__COL_ANSWER_SCORE, 0xFF, 0x01);
    spec_custom(&c);
    expect_spec(&c, FB_LOG_FIELD_ALL, FB_OK, NULL);
    SET(&c, FB__COL_ANSWER_SCALE_MIN, FB__NUM_NONE);
    expect_spec(&c, FB_LOG_FIELD_ANSWERS, FB_ERR_CORRUPT,
                "column answer scale min, value 0: number code 3");
    spec_custom(&c);
    SET(&c, FB__COL_ANSWER_SCALE_MAX, FB__NUM_NONE);
    expect_spec(&c, FB_LOG_FIELD_ANSWERS, FB_ERR_CORRUPT,
                "column answer scale max, value 0: number code 3");
    spec_base(&c, 1);
    SET(&c, FB__COL_ANSWER_METRIC, FB_METRIC_CSAT); /* 0 is outside 1..5, unchecked when skipped */
    SET(&c, FB__COL_ANSWER_SCORE, FB__NUM_NONE);
    expect_spec(&c, FB_LOG_FIELD_ALL, FB_OK, NULL);
    load_spec(d, &c, FB_LOG_FIELD_ANSWERS);
    assert_true(dec_record(d, 0)->answers[0].skipped);
    assert_int_equal(dec_record(d, 0)->answers[0].metric, FB_METRIC_CSAT);
    /* A double cut short; doubles that break a scale. */
    EXPECT_COL(FB_LOG_FIELD_ANSWERS, FB_ERR_CORRUPT,
               "column answer score, value 0: a double cut off by the end of the column",
               FB__COL_ANSWER_SCORE, FB__NUM_DOUBLE, 0, 0, 0, 0, 0, 0, 0x24);
    EXPECT_COL(FB_LOG_FIELD_ANSWERS, FB_ERR_CORRUPT, "answer 0: score nan outside the scale",
               FB__COL_ANSWER_SCORE, FB__NUM_DOUBLE, 0, 0, 0, 0, 0, 0, 0xF8, 0x7F);
    EXPECT_COL(FB_LOG_FIELD_ANSWERS, FB_OK, NULL, FB__COL_ANSWER_SCORE, FB__NUM_DOUBLE, 0, 0, 0,
               0, 0, 0, 0x24, 0x40); /* 10.0 as a double */
    EXPECT_COL(FB_LOG_FIELD_ANSWERS, FB_ERR_CORRUPT, "answer 0: score 11 outside the scale 0..10",
               FB__COL_ANSWER_SCORE, NUM(11));
    EXPECT_COL(FB_LOG_FIELD_ANSWERS, FB_ERR_CORRUPT, "answer 0: score -1 outside",
               FB__COL_ANSWER_SCORE, NUM(-1));
    spec_base(&c, 1);
    SET(&c, FB__COL_ANSWER_METRIC, FB_METRIC_GCR);
    SET(&c, FB__COL_ANSWER_SCORE, FB__NUM_DOUBLE, 0, 0, 0, 0, 0, 0, 0xE0, 0x3F);
    expect_spec(&c, FB_LOG_FIELD_ANSWERS, FB_ERR_CORRUPT, "answer 0: score 0.5 outside");
    spec_base(&c, 1);
    SET(&c, FB__COL_ANSWER_METRIC, FB_METRIC_CSAT);
    spec_drop(&c, FB__COL_ANSWER_SCORE); /* every score 0 */
    expect_spec(&c, FB_LOG_FIELD_ANSWERS, FB_ERR_CORRUPT,
                "answer 0: score 0 outside the scale 1..5");
    spec_custom(&c);
    spec_drop(&c, FB__COL_ANSWER_SCALE_MAX);
    expect_spec(&c, FB_LOG_FIELD_ANSWERS, FB_ERR_CORRUPT, "answer 0: custom scale 0..0");
    SET(&c, FB__COL_ANSWER_SCALE_MAX, FB__NUM_DOUBLE, 0, 0, 0, 0, 0, 0, 0xF0, 0x7F); /* +inf */
    expect_spec(&c, FB_LOG_FIELD_ANSWERS, FB_ERR_CORRUPT, "answer 0: custom scale 0..inf");

    /*
     * Whole numbers up to 2^53 in magnitude, and no further: a custom scale
     * from -2^53 to 2^53 is sound, a bound one beyond it is not.
     */
    big_len[0] = fb__varint_write(big[0], fb__zigzag_encode(-((int64_t)1 << 53)) << 1);
    big_len[1] = fb__varint_write(big[1], fb__zigzag_encode((int64_t)1 << 53) << 1);
    big_len[2] = fb__varint_write(big[2], fb__zigzag_encode(-((int64_t)1 << 53) - 1) << 1);
    big_len[3] = fb__varint_write(big[3], fb__zigzag_encode(((int64_t)1 << 53) + 1) << 1);
    spec_custom(&c);
    spec_set(&c, FB__COL_ANSWER_SCALE_MIN, big[0], big_len[0]);
    spec_set(&c, FB__COL_ANSWER_SCALE_MAX, big[1], big_len[1]);
    expect_spec(&c, FB_LOG_FIELD_ALL, FB_OK, NULL);
    load_spec(d, &c, FB_LOG_FIELD_ANSWERS);
    assert_true(dec_record(d, 0)->answers[0].scale_min == -9007199254740992.0);
    assert_true(dec_record(d, 0)->answers[0].scale_max == 9007199254740992.0);
    spec_set(&c, FB__COL_ANSWER_SCALE_MIN, big[2], big_len[2]);
    expect_spec(&c, FB_LOG_FIELD_ANSWERS, FB_ERR_CORRUPT,
                "column answer scale min, value 0: whole number -9007199254740993 beyond 2^53");
    spec_set(&c, FB__COL_ANSWER_SCALE_MIN, big[0], big_len[0]);
    spec_set(&c, FB__COL_ANSWER_SCALE_MAX, big[3], big_len[3]);
    expect_spec(&c, FB_LOG_FIELD_ANSWERS, FB_ERR_CORRUPT,
                "column answer scale max, value 0: whole number 9007199254740993 beyond 2^53");
    EXPECT_COL(FB_LOG_FIELD_ANSWERS, FB_ERR_CORRUPT, "beyond 2^53", FB__COL_ANSWER_SCORE, 0xFE,
               0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01);

    /* created_at within the header's min and max: above, below, a later record, a wrap. */
    spec_base(&c, 1);
    c.max = T0;
    expect_spec(&c, FB_LOG_FIELD_CREATED_AT, FB_OK, NULL);
    SET(&c, FB__COL_CREATED, 2); /* +1 */
    expect_spec(&c, FB_LOG_FIELD_CREATED_AT, FB_ERR_CORRUPT,
                "column created_at, value 0: 1795478400001 outside the chunk's "
                "1795478400000..1795478400000");
    SET(&c, FB__COL_CREATED, 1); /* -1 */
    expect_spec(&c, FB_LOG_FIELD_CREATED_AT, FB_ERR_CORRUPT,
                "column created_at, value 0: 1795478399999 outside");
    spec_base(&c, 2);
    SET(&c, FB__COL_CREATED, 0x80, 0x01, 1); /* +64, -1: T0 + 63, within T0 .. T0 + 1000 */
    expect_spec(&c, FB_LOG_FIELD_ALL, FB_OK, NULL);
    SET(&c, FB__COL_CREATED, 0, 1);
    expect_spec(&c, FB_LOG_FIELD_CREATED_AT, FB_ERR_CORRUPT,
                "column created_at, value 1: 1795478399999 outside");
    SET(&c, FB__COL_CREATED, 0, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01);
    expect_spec(&c, FB_LOG_FIELD_CREATED_AT, FB_ERR_CORRUPT, "column created_at, value 1: ");
    /* interaction_at: 0 unknown, else 1 + zigzag(created_at - interaction_at), in range. */
    spec_base(&c, 1);
    SET(&c, FB__COL_INTERACTION, 1 + 3); /* zigzag(-2): two ms after created_at */
    load_spec(d, &c, FB_LOG_FIELD_INTERACTION_AT);
    assert_true(dec_record(d, 0)->interaction_at == T0 + 2);
    EXPECT_COL(FB_LOG_FIELD_INTERACTION_AT, FB_ERR_CORRUPT, "column interaction_at, value 0: ",
               FB__COL_INTERACTION, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01);
    /* A negative tip. */
    EXPECT_COL(FB_LOG_FIELD_TIP, FB_ERR_CORRUPT, "column tip, value 0: negative tip -1",
               FB__COL_TIP, 1);
    EXPECT_COL(FB_LOG_FIELD_TIP, FB_OK, NULL, FB__COL_TIP, 2);

    /* With every field, fb_record_validate: a response with neither answer nor text. */
    spec_base(&c, 1);
    spec_drop(&c, FB__COL_ANSWER_COUNT);
    spec_drop(&c, FB__COL_ANSWER_SCORE);
    expect_spec(&c, FB_LOG_FIELD_ALL, FB_ERR_CORRUPT, "record 0: ");
    expect_spec(&c, FB_LOG_FIELD_CHANNEL, FB_OK, NULL);
    fb__chunk_dec_free(d);
}

/*
 * created_at within the header's min..max, but outside FB_TIME_MIN..
 * FB_TIME_MAX (a header may say anything its caps allow): no sound record,
 * whatever the projection (interaction_at is held to the same range).
 */
static void test_created_at_time_range(void **state)
{
    chunk_spec c;
    (void)state;

    spec_base(&c, 1);
    c.min = FB_TIME_MIN - 1;
    c.max = FB_TIME_MIN;
    SET(&c, FB__COL_CREATED, 2); /* +1: FB_TIME_MIN */
    expect_spec(&c, FB_LOG_FIELD_CREATED_AT, FB_OK, NULL);
    SET(&c, FB__COL_CREATED, 0);
    expect_spec(&c, FB_LOG_FIELD_CREATED_AT, FB_ERR_CORRUPT, "column created_at, value 0: ");
    expect_spec(&c, FB_LOG_FIELD_CHANNEL | FB_LOG_FIELD_ANSWERS, FB_ERR_CORRUPT,
                "column created_at, value 0: ");
    c.min = FB_TIME_MAX;
    c.max = FB_TIME_MAX + 1;
    expect_spec(&c, FB_LOG_FIELD_CREATED_AT, FB_OK, NULL);
    SET(&c, FB__COL_CREATED, 2);
    expect_spec(&c, FB_LOG_FIELD_CREATED_AT, FB_ERR_CORRUPT, "column created_at, value 0: ");
}

/* ---------------------------------------------------------------- strings */

/* Writes an inline string of n bytes of fill to out (varint 2n + 1, the bytes); its length. */
static size_t inline_string(uint8_t *out, size_t n, char fill)
{
    size_t len = fb__varint_write(out, ((uint64_t)n << 1) | 1);
    memset(out + len, fill, n);
    return len + n;
}

/*
 * A string of column id (of unit count column count_id, or 0 for records)
 * at its limit loads with fields; one byte more is damage, inline or in DICT.
 */
static void expect_string_limit(unsigned id, unsigned count_id, const char *name, size_t limit,
                                uint32_t fields)
{
    static const uint8_t one = 1, entry0 = 0;
    uint8_t *buf = malloc(limit + 1 + 2 * FB__VARINT_MAX);
    char needle[160];
    chunk_spec c;
    size_t len;
    int dict;

    assert_non_null(buf);
    for (dict = 0; dict <= 1; dict++) {
        if (id == FB__COL_ANSWER_NAME)
            spec_custom(&c);
        else
            spec_base(&c, 1);
        if (count_id)
            spec_set(&c, (uint8_t)count_id, &one, 1);
        if (dict) {
            /* DICT entry 0 (varint length, bytes), the column referring to it. */
            len = fb__varint_write(buf, limit);
            memset(buf + len, 'a', limit);
            spec_set(&c, FB__COL_DICT, buf, len + limit);
            spec_set(&c, (uint8_t)id, &entry0, 1);
        } else {
            spec_set(&c, (uint8_t)id, buf, inline_string(buf, limit, 'a'));
        }
        expect_spec(&c, fields, FB_OK, NULL);
        if (dict) {
            len = fb__varint_write(buf, limit + 1);
            memset(buf + len, 'a', limit + 1);
            spec_set(&c, FB__COL_DICT, buf, len + limit + 1);
        } else {
            spec_set(&c, (uint8_t)id, buf, inline_string(buf, limit + 1, 'a'));
        }
        snprintf(needle, sizeof needle,
                 "column %s, value 0: %lu bytes, longer than the limit of %lu", name,
                 (unsigned long)limit + 1, (unsigned long)limit);
        expect_spec(&c, fields, FB_ERR_CORRUPT, needle);
    }
    free(buf);
}

static void test_column_strings(void **state)
{
    fb__chunk_dec *d = NULL;
    chunk_spec c;
    (void)state;

    assert_fb_ok(fb__chunk_dec_new(NULL, &d), NULL);

    /* DICT references beyond the dictionary: without one, and past its one entry. */
    EXPECT_COL(FB_LOG_FIELD_TEXT, FB_ERR_CORRUPT,
               "column language, value 0: dictionary entry 0 beyond the 0 entries",
               FB__COL_LANGUAGE, 0);
    spec_base(&c, 1);
    SET(&c, FB__COL_DICT, 2, 'e', 'n');
    SET(&c, FB__COL_LANGUAGE, 2);
    expect_spec(&c, FB_LOG_FIELD_TEXT, FB_ERR_CORRUPT,
                "column language, value 0: dictionary entry 1 beyond the 1 entries");
    SET(&c, FB__COL_LANGUAGE, 0);
    load_spec(d, &c, FB_LOG_FIELD_TEXT);
    assert_int_equal(dec_record(d, 0)->language.len, 2);
    assert_memory_equal(dec_record(d, 0)->language.ptr, "en", 2);
    /* DICT itself: an entry running past its end, a cut varint; not loaded, not checked. */
    SET(&c, FB__COL_DICT, 5, 'a', 'b');
    expect_spec(&c, FB_LOG_FIELD_TEXT, FB_ERR_CORRUPT,
                "DICT entry 0: length 5 beyond the end of DICT");
    expect_spec(&c, FB_LOG_FIELD_ANSWERS, FB_OK, NULL);
    SET(&c, FB__COL_DICT, 2, 'e', 'n', 0x80);
    expect_spec(&c, FB_LOG_FIELD_TEXT, FB_ERR_CORRUPT, "DICT entry 1: truncated varint");

    /* Inline strings running past the end of their column. */
    EXPECT_COL(FB_LOG_FIELD_TEXT, FB_ERR_CORRUPT,
               "column text, value 0: 5 bytes run past the end of the column", FB__COL_TEXT, 11,
               'a', 'b');
    EXPECT_COL(FB_LOG_FIELD_TEXT, FB_ERR_CORRUPT, "column text, value 0: ", FB__COL_TEXT, 0xFF,
               0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01);
    spec_base(&c, 2);
    SET(&c, FB__COL_CUSTOMER_ID, 3, 'a', 5, 'b');
    expect_spec(&c, FB_LOG_FIELD_CUSTOMER, FB_ERR_CORRUPT,
                "column customer_id, value 1: 2 bytes run past the end of the column");

    /* Invalid UTF-8, inline and in DICT: under a projection the decoder checks it, with
     * every field fb_record_validate does; a projection without the column does not. */
    EXPECT_COL(FB_LOG_FIELD_TEXT, FB_ERR_CORRUPT, "column text, value 0: invalid UTF-8",
               FB__COL_TEXT, 5, 0xC3, 0x28);
    EXPECT_COL(FB_LOG_FIELD_ALL, FB_ERR_CORRUPT, "record 0: text", FB__COL_TEXT, 5, 0xC3, 0x28);
    EXPECT_COL(FB_LOG_FIELD_ANSWERS, FB_OK, NULL, FB__COL_TEXT, 5, 0xC3, 0x28);
    EXPECT_COL(FB_LOG_FIELD_UPDATE, FB_ERR_CORRUPT, "column assignee, value 0: invalid UTF-8",
               FB__COL_ASSIGNEE, 3, 0xFF);
    /* An assignee outside an update: fb_record_validate ignores it, the decoder does not. */
    EXPECT_COL(FB_LOG_FIELD_ALL, FB_ERR_CORRUPT, "record 0: assignee: invalid UTF-8",
               FB__COL_ASSIGNEE, 3, 0xFF);
    spec_base(&c, 1);
    SET(&c, FB__COL_DICT, 2, 0xFF, 'a', 2, 'e', 'n');
    SET(&c, FB__COL_LANGUAGE, 0);
    expect_spec(&c, FB_LOG_FIELD_TEXT, FB_ERR_CORRUPT,
                "column language, value 0: invalid UTF-8 in dictionary entry 0");
    expect_spec(&c, FB_LOG_FIELD_ALL, FB_ERR_CORRUPT, "record 0: language");
    SET(&c, FB__COL_LANGUAGE, 2); /* an entry no value uses may be anything */
    expect_spec(&c, FB_LOG_FIELD_TEXT, FB_OK, NULL);
    expect_spec(&c, FB_LOG_FIELD_ALL, FB_OK, NULL);

    /* Length limits (RECORD.md), at the limit and one byte beyond. */
    expect_string_limit(FB__COL_TEXT, 0, "text", FB_MAX_TEXT, FB_LOG_FIELD_TEXT);
    expect_string_limit(FB__COL_LANGUAGE, 0, "language", FB_MAX_LANGUAGE, FB_LOG_FIELD_TEXT);
    expect_string_limit(FB__COL_CUSTOMER_ID, 0, "customer_id", FB_MAX_ID, FB_LOG_FIELD_CUSTOMER);
    expect_string_limit(FB__COL_AGENT_ID, 0, "agent_id", FB_MAX_ID, FB_LOG_FIELD_SERVICE);
    expect_string_limit(FB__COL_ASSIGNEE, 0, "assignee", FB_MAX_ID, FB_LOG_FIELD_UPDATE);
    expect_string_limit(FB__COL_TAG, FB__COL_TAG_COUNT, "tag", FB_MAX_NAME, FB_LOG_FIELD_TAGS);
    expect_string_limit(FB__COL_ANSWER_NAME, 0, "answer name", FB_MAX_NAME,
                        FB_LOG_FIELD_ANSWERS);
    expect_string_limit(FB__COL_ATTR_KEY, FB__COL_ATTR_COUNT, "attribute key", FB_MAX_NAME,
                        FB_LOG_FIELD_ATTRS);
    expect_string_limit(FB__COL_ATTR_VALUE, FB__COL_ATTR_COUNT, "attribute value",
                        FB_MAX_ATTR_VALUE, FB_LOG_FIELD_ATTRS);

    /* Codes: "" or exactly 2 (country) or 3 (currency) letters A-Z, inline or in DICT. */
    EXPECT_COL(FB_LOG_FIELD_SERVICE, FB_ERR_CORRUPT, "column country, value 0: not 2 letters A-Z",
               FB__COL_COUNTRY, 5, 'r', 'u');
    EXPECT_COL(FB_LOG_FIELD_SERVICE, FB_ERR_CORRUPT, "column country, value 0: not 2 letters A-Z",
               FB__COL_COUNTRY, 3, 'R');
    EXPECT_COL(FB_LOG_FIELD_SERVICE, FB_ERR_CORRUPT,
               "column country, value 0: 3 bytes, longer than the limit of 2", FB__COL_COUNTRY,
               7, 'R', 'U', 'S');
    EXPECT_COL(FB_LOG_FIELD_TIP, FB_ERR_CORRUPT, "column tip_currency, value 0: not 3 letters A-Z",
               FB__COL_TIP_CURRENCY, 7, 'R', 'U', '1');
    spec_base(&c, 1);
    SET(&c, FB__COL_DICT, 3, 'R', 'U', 'B', 2, 'R', 'U');
    SET(&c, FB__COL_TIP_CURRENCY, 0);
    SET(&c, FB__COL_COUNTRY, 2);
    expect_spec(&c, FB_LOG_FIELD_ALL, FB_OK, NULL);
    load_spec(d, &c, FB_LOG_FIELD_ALL);
    assert_string_equal(dec_record(d, 0)->tip_currency, "RUB");
    assert_string_equal(dec_record(d, 0)->country, "RU");
    SET(&c, FB__COL_COUNTRY, 0); /* "RUB" is no country */
    expect_spec(&c, FB_LOG_FIELD_SERVICE, FB_ERR_CORRUPT, "column country, value 0: 3 bytes");
    fb__chunk_dec_free(d);
}

/* ---------------------------------------------------------------- the stream table */

static void test_stream_table(void **state)
{
    static const uint8_t one = 1, zero = 0;
    uint8_t p[64];
    fb__strbuf out;
    chunk_spec c;
    size_t n, i;
    uint32_t crc;
    (void)state;

    fb__strbuf_init(&out, NULL);

    /* The number of streams: a varint 1..64. */
    p[0] = 0x80;
    raw_chunk(&out, 1, 0, p, 1);
    expect_load(&out, FB_LOG_FIELD_ALL, FB_ERR_CORRUPT, "stream table: truncated varint");
    memset(p, 0x80, 10);
    p[10] = 0;
    raw_chunk(&out, 1, 0, p, 11);
    expect_load(&out, FB_LOG_FIELD_ALL, FB_ERR_CORRUPT, "stream table: over-long varint");
    p[0] = 0;
    raw_chunk(&out, 1, 0, p, 1);
    expect_load(&out, FB_LOG_FIELD_ALL, FB_ERR_CORRUPT, "stream table: 0 streams, not 1..64");
    p[0] = 0x80;
    p[1] = 0x01;
    raw_chunk(&out, 1, 0, p, 2);
    expect_load(&out, FB_LOG_FIELD_ALL, FB_ERR_CORRUPT, "stream table: 128 streams");
    spec_base(&c, 1);
    for (i = 0; c.n < FB__LOG_MAX_STREAMS; i++)
        spec_add(&c, (uint8_t)(FB__COL_LAST + 1 + i), &one, 1);
    expect_spec(&c, FB_LOG_FIELD_ALL, FB_OK, NULL);
    spec_add(&c, 255, &one, 1);
    expect_spec(&c, FB_LOG_FIELD_ALL, FB_ERR_CORRUPT, "stream table: 65 streams, not 1..64");

    /* A table cut short: within an entry, before its CRC, before the table's CRC. */
    n = 0;
    p[n++] = 1;
    p[n++] = FB__COL_CREATED;
    p[n++] = FB__LOG_CODEC_STORED;
    p[n++] = 1; /* stored */
    p[n++] = 1; /* raw */
    crc = (uint32_t)crc32(0L, &zero, 1);
    fb__store_u32(p + n, crc);
    n += 4;
    crc = (uint32_t)crc32(0L, p, (uInt)n);
    fb__store_u32(p + n, crc);
    n += 4;
    p[n++] = 0; /* created_at: T0 */
    raw_chunk(&out, 1, 1, p, n);
    expect_load(&out, FB_LOG_FIELD_CREATED_AT, FB_OK, NULL); /* the table by hand is sound */
    raw_chunk(&out, 1, 1, p, 2);
    expect_load(&out, FB_LOG_FIELD_ALL, FB_ERR_CORRUPT, "stream table: truncated");
    raw_chunk(&out, 1, 1, p, 3);
    expect_load(&out, FB_LOG_FIELD_ALL, FB_ERR_CORRUPT, "stream table: truncated varint");
    raw_chunk(&out, 1, 1, p, 7);
    expect_load(&out, FB_LOG_FIELD_ALL, FB_ERR_CORRUPT, "stream table: truncated");
    raw_chunk(&out, 1, 1, p, 11);
    expect_load(&out, FB_LOG_FIELD_ALL, FB_ERR_CORRUPT, "stream table: truncated");

    /* Checksums: the table's is always checked; a stream's when the stream is used. */
    spec_base(&c, 1);
    SET(&c, FB__COL_CHANNEL, 3);
    SET(&c, FB__COL_DICT, 2, 'e', 'n');
    SET(&c, FB__COL_LANGUAGE, 0);
    expect_spec(&c, FB_LOG_FIELD_ALL, FB_OK, NULL);
    c.bad_table_crc = true;
    expect_spec(&c, FB_LOG_FIELD_ALL, FB_ERR_CORRUPT, "stream table checksum mismatch");
    expect_spec(&c, FB_LOG_FIELD_CREATED_AT, FB_ERR_CORRUPT, "stream table checksum mismatch");
    c.bad_table_crc = false;
    spec_find(&c, FB__COL_CHANNEL)->bad_crc = true;
    expect_spec(&c, FB_LOG_FIELD_ALL, FB_ERR_CORRUPT, "stream 9 (channel) checksum mismatch");
    expect_spec(&c, FB_LOG_FIELD_CHANNEL, FB_ERR_CORRUPT, "stream 9 (channel) checksum mismatch");
    expect_spec(&c, FB_LOG_FIELD_TEXT, FB_OK, NULL);
    spec_find(&c, FB__COL_CHANNEL)->bad_crc = false;
    spec_find(&c, FB__COL_DICT)->bad_crc = true;
    expect_spec(&c, FB_LOG_FIELD_TEXT, FB_ERR_CORRUPT, "stream 1 (DICT) checksum mismatch");
    expect_spec(&c, FB_LOG_FIELD_CHANNEL, FB_OK, NULL);
    spec_find(&c, FB__COL_DICT)->bad_crc = false;
    spec_find(&c, FB__COL_CREATED)->bad_crc = true;
    expect_spec(&c, FB_LOG_FIELD_CREATED_AT, FB_ERR_CORRUPT,
                "stream 4 (created_at) checksum mismatch");
    spec_find(&c, FB__COL_CREATED)->bad_crc = false;
    spec_add(&c, 50, &one, 1)->bad_crc = true; /* never read */
    expect_spec(&c, FB_LOG_FIELD_ALL, FB_OK, NULL);

    /* The stored lengths add up to the payload after the table, exactly. */
    spec_find(&c, 50)->stored_len = spec_find(&c, 50)->raw_len = 0;
    expect_spec(&c, FB_LOG_FIELD_ALL, FB_ERR_CORRUPT,
                "stream bodies take 8 bytes, the payload has 9 after the table");
    spec_find(&c, 50)->stored_len = spec_find(&c, 50)->raw_len = 2;
    expect_spec(&c, FB_LOG_FIELD_ALL, FB_ERR_CORRUPT,
                "stream bodies take 10 bytes, the payload has 9 after the table");
    spec_find(&c, 50)->raw_len = -1;
    spec_find(&c, 50)->stored_len = (int64_t)1 << 40;
    expect_spec(&c, FB_LOG_FIELD_ALL, FB_ERR_CORRUPT,
                "stream 50: stored length 1099511627776 beyond the payload");
    spec_find(&c, 50)->stored_len = -1;
    /* The raw lengths add up to the header's R, and none exceeds the cap. */
    c.raw_len = 8; /* one short of the sum, 9 */
    expect_spec(&c, FB_LOG_FIELD_ALL, FB_ERR_CORRUPT,
                "stream raw lengths exceed the chunk's raw length 8");
    c.raw_len = 10;
    expect_spec(&c, FB_LOG_FIELD_ALL, FB_ERR_CORRUPT,
                "stream raw lengths sum to 9, not the chunk's raw length 10");
    c.raw_len = FB__LOG_MAX_RAW;
    spec_find(&c, 50)->raw_len = (int64_t)FB__LOG_MAX_RAW + 1;
    spec_find(&c, 50)->codec = 9; /* (a stored stream would fail on its lengths first) */
    expect_spec(&c, FB_LOG_FIELD_ALL, FB_ERR_CORRUPT,
                "stream 50: raw length 67108865 beyond the limit of 67108864");
    c.raw_len = -1;
    /* A stored body's two lengths agree. */
    spec_find(&c, 50)->raw_len = 2;
    spec_find(&c, 50)->codec = FB__LOG_CODEC_STORED;
    expect_spec(&c, FB_LOG_FIELD_ALL, FB_ERR_CORRUPT,
                "stream 50: stored length 1 differs from its raw length 2");
    spec_find(&c, 50)->raw_len = -1;
    expect_spec(&c, FB_LOG_FIELD_ALL, FB_OK, NULL);

    /* No stream id twice: a column, DICT, created_at, an unknown id (the table's rules hold
     * for every entry, known or not); found whatever the projection. Each duplicate is
     * added last, then taken off again. */
    spec_add(&c, FB__COL_CHANNEL, &one, 1);
    expect_spec(&c, FB_LOG_FIELD_CREATED_AT, FB_ERR_CORRUPT,
                "stream table: stream 9 (channel) twice");
    c.n--;
    spec_add(&c, FB__COL_DICT, &one, 1);
    expect_spec(&c, FB_LOG_FIELD_ALL, FB_ERR_CORRUPT, "stream table: stream 1 (DICT) twice");
    c.n--;
    spec_add(&c, FB__COL_CREATED, base_zeros, 1);
    expect_spec(&c, FB_LOG_FIELD_ALL, FB_ERR_CORRUPT, "stream table: stream 4 (created_at) twice");
    c.n--;
    spec_add(&c, 50, &one, 1);
    expect_spec(&c, FB_LOG_FIELD_CREATED_AT, FB_ERR_CORRUPT, "stream table: stream 50 ");
    c.n--;
    expect_spec(&c, FB_LOG_FIELD_ALL, FB_OK, NULL);

    /* A codec this version does not know: FB_ERR_VERSION in a stream it uses, nothing in
     * one it does not; and nothing decoded before that (neither lengths nor CRC). */
    spec_base(&c, 1);
    SET(&c, FB__COL_TEXT, 3, 'a');
    spec_find(&c, FB__COL_TEXT)->codec = 2;
    spec_find(&c, FB__COL_TEXT)->raw_len = 1000; /* no rule ties a later codec's lengths */
    expect_spec(&c, FB_LOG_FIELD_ALL, FB_ERR_VERSION, "stream 12 (text): unknown codec 2");
    expect_spec(&c, FB_LOG_FIELD_TEXT, FB_ERR_VERSION, "unknown codec 2");
    expect_spec(&c, FB_LOG_FIELD_ANSWERS, FB_OK, NULL);
    spec_base(&c, 1);
    spec_find(&c, FB__COL_CREATED)->codec = 255;
    spec_find(&c, FB__COL_CREATED)->bad_crc = true;
    expect_spec(&c, FB_LOG_FIELD_CREATED_AT, FB_ERR_VERSION,
                "stream 4 (created_at): unknown codec 255");
    fb__strbuf_free(&out);
}

/* ---------------------------------------------------------------- hostile lengths and deflate */

static void test_hostile_streams(void **state)
{
    static const uint8_t channels[20] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
                                         11, 12, 13, 14, 15, 16, 17, 1, 2, 3};
    static uint8_t noise[100000];
    static const uint8_t junk[10] = {0x5A, 0x5A, 0x5A, 0x5A, 0x5A, 0x5A, 0x5A, 0x5A, 0x5A, 0x5A};
    fb__chunk_dec *d = NULL;
    stream_spec *ch, *text;
    chunk_spec c;
    uint32_t x = 12345;
    size_t i;
    (void)state;

    for (i = 0; i < sizeof noise; i++) {
        x = x * 1103515245u + 12345u;
        noise[i] = (uint8_t)(x >> 24);
    }

    /* 20 records, their channel column deflated. */
    spec_base(&c, 20);
    ch = spec_add(&c, FB__COL_CHANNEL, channels, sizeof channels);
    ch->codec = FB__LOG_CODEC_DEFLATE;
    expect_spec(&c, FB_LOG_FIELD_ALL, FB_OK, NULL);
    assert_fb_ok(fb__chunk_dec_new(NULL, &d), NULL);
    load_spec(d, &c, FB_LOG_FIELD_CHANNEL);
    assert_int_equal(dec_record(d, 16)->channel, FB_CHANNEL_SERVICE_DESK);
    fb__chunk_dec_free(d);
    /* Inflating past the declared raw length, or short of it; bytes after the deflate
     * data; the data cut short; bytes that are no deflate data. */
    ch->raw_len = sizeof channels - 1;
    expect_spec(&c, FB_LOG_FIELD_CHANNEL, FB_ERR_CORRUPT,
                "channel stream inflates past its declared 19 bytes");
    expect_spec(&c, FB_LOG_FIELD_TEXT, FB_OK, NULL); /* not inflated */
    ch->raw_len = sizeof channels + 1;
    expect_spec(&c, FB_LOG_FIELD_CHANNEL, FB_ERR_CORRUPT,
                "channel stream inflates to 20 bytes, not the declared 21");
    ch->raw_len = -1;
    ch->pad = 1;
    expect_spec(&c, FB_LOG_FIELD_CHANNEL, FB_ERR_CORRUPT,
                "channel stream: 1 bytes after the end of the deflate data");
    ch->pad = 0;
    ch->cut = 2;
    expect_spec(&c, FB_LOG_FIELD_CHANNEL, FB_ERR_CORRUPT, "channel stream");
    ch->cut = 0;
    ch->as_is = true;
    expect_spec(&c, FB_LOG_FIELD_CHANNEL, FB_ERR_CORRUPT, "channel stream");

    /*
     * Deflate's best ratio bounds what a body may declare: 1032 raw bytes per
     * stored byte, plus 1032. At the bound the table passes (and the junk
     * fails to inflate); one byte beyond, refused before inflating.
     */
    ch->data = junk;
    ch->len = sizeof junk;
    ch->raw_len = (sizeof junk + 1) * 1032;
    expect_spec(&c, FB_LOG_FIELD_CHANNEL, FB_ERR_CORRUPT, "channel stream");
    ch->raw_len = (sizeof junk + 1) * 1032 + 1;
    expect_spec(&c, FB_LOG_FIELD_CHANNEL, FB_ERR_CORRUPT,
                "stream 9: 10 deflated bytes cannot hold 11353 raw bytes");
    /* A tiny stream claiming 64 MiB (the rest of the cap): refused, however it is used,
     * known or not. */
    ch->raw_len = FB__LOG_MAX_RAW - 3 * 20;
    expect_spec(&c, FB_LOG_FIELD_CREATED_AT, FB_ERR_CORRUPT, "cannot hold");
    ch->id = 60;
    expect_spec(&c, FB_LOG_FIELD_CREATED_AT, FB_ERR_CORRUPT,
                "stream 60: 10 deflated bytes cannot hold");

    /*
     * A large incompressible text claiming the rest of the 64 MiB: its CRC is
     * checked before it is inflated (so a bad one costs no buffer whatever the
     * deflate); inflated, it comes short, without a 64 MiB buffer with zlib
     * (libdeflate allocates the declared length, within the caps); not
     * decoded, it is not even read.
     */
    spec_base(&c, 20);
    text = spec_add(&c, FB__COL_TEXT, noise, sizeof noise);
    text->codec = FB__LOG_CODEC_DEFLATE;
    text->raw_len = FB__LOG_MAX_RAW - 3 * 20;
    expect_spec(&c, FB_LOG_FIELD_TEXT, FB_ERR_CORRUPT, "text stream");
    expect_spec(&c, FB_LOG_FIELD_ANSWERS, FB_OK, NULL);
    text->bad_crc = true;
    if (expect_spec(&c, FB_LOG_FIELD_TEXT, FB_ERR_CORRUPT, "stream 12 (text) checksum mismatch") >
        ((size_t)1 << 20))
        fail_msg("a buffer made for a stream that failed its CRC");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unknown_streams_skipped),
        cmocka_unit_test(test_column_counts),
        cmocka_unit_test(test_column_values),
        cmocka_unit_test(test_created_at_time_range),
        cmocka_unit_test(test_column_strings),
        cmocka_unit_test(test_stream_table),
        cmocka_unit_test(test_hostile_streams),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
