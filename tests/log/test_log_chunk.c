/*
 * The chunk codec: varints and little-endian integers, the chunk header, and
 * records through fb__chunk_enc / fb__chunk_dec (round trips at every level,
 * projections, unknown fields, hostile payloads, bit flips).
 */
#include <math.h>
#include <stdlib.h>
#include <zlib.h>

#include "deflate_backend.h"
#include "fb_test.h"
#include "log_chunk.h"
#include "strbuf.h"
#include "varint.h"

static const uint8_t SYNC[FB__LOG_SYNC_SIZE] = {0x10, 0x21, 0x32, 0x43, 0x54, 0x65, 0x76, 0x87,
                                                0x98, 0xA9, 0xBA, 0xCB, 0xDC, 0xED, 0xFE, 0x0F};

/* ================================================================ varints */

static void check_varint(uint64_t v, size_t want_len)
{
    fb__strbuf b;
    uint64_t got = 0;
    size_t pos = 0;

    fb__strbuf_init(&b, NULL);
    assert_int_equal(fb__put_varint(&b, v), 0);
    assert_int_equal(b.len, want_len);
    assert_int_equal(fb__varint_size(v), want_len);
    assert_int_equal(fb__get_varint((const uint8_t *)b.data, b.len, &pos, &got), 0);
    assert_true(got == v);
    assert_int_equal(pos, want_len);
    /* One byte short: truncated, and the cursor does not move. */
    pos = 0;
    assert_int_equal(fb__get_varint((const uint8_t *)b.data, b.len - 1, &pos, &got), -1);
    assert_int_equal(pos, 0);
    if (want_len > 1)
        assert_string_equal(fb__varint_error((const uint8_t *)b.data, b.len - 1, 0),
                            "truncated varint");
    fb__strbuf_free(&b);
}

static void test_varint_edges(void **state)
{
    (void)state;
    check_varint(0, 1);
    check_varint(1, 1);
    check_varint(127, 1);
    check_varint(128, 2);
    check_varint(16383, 2);
    check_varint(16384, 3);
    check_varint(UINT32_MAX, 5);
    check_varint((uint64_t)1 << 63, 10);
    check_varint(UINT64_MAX, 10);
    check_varint(UINT64_MAX - 1, 10);
    {
        uint8_t b[10];
        assert_int_equal(fb__varint_write(b, 128), 2);
        assert_int_equal(b[0], 0x80);
        assert_int_equal(b[1], 0x01);
        assert_int_equal(fb__varint_write(b, UINT64_MAX), 10);
        assert_int_equal(b[9], 0x01);
    }
}

static void test_varint_malformed(void **state)
{
    uint8_t b[16];
    uint64_t v = 42;
    size_t pos;
    (void)state;

    /* 11 bytes: over-long. */
    memset(b, 0x80, sizeof b);
    b[10] = 0x00;
    pos = 0;
    assert_int_equal(fb__get_varint(b, 11, &pos, &v), -1);
    assert_int_equal(pos, 0);
    assert_string_equal(fb__varint_error(b, 11, 0), "over-long varint");
    /* A 10th byte above 1 sets bits beyond 64. */
    memset(b, 0xFF, 9);
    b[9] = 0x02;
    pos = 0;
    assert_int_equal(fb__get_varint(b, 10, &pos, &v), -1);
    assert_string_equal(fb__varint_error(b, 10, 0), "over-long varint");
    b[9] = 0x81; /* a 10th byte that continues */
    assert_int_equal(fb__get_varint(b, 10, &pos, &v), -1);
    b[9] = 0x01;
    assert_int_equal(fb__get_varint(b, 10, &pos, &v), 0);
    assert_true(v == UINT64_MAX);
    /* Empty and truncated input. */
    pos = 0;
    assert_int_equal(fb__get_varint(b, 0, &pos, &v), -1);
    assert_string_equal(fb__varint_error(b, 0, 0), "truncated varint");
    b[0] = 0x80;
    assert_int_equal(fb__get_varint(b, 1, &pos, &v), -1);
    /* A cursor past the end. */
    pos = 5;
    assert_int_equal(fb__get_varint(b, 3, &pos, &v), -1);
    assert_int_equal(pos, 5);
    /* Non-minimal forms within 10 bytes are read. */
    b[0] = 0x80;
    b[1] = 0x00;
    pos = 0;
    assert_int_equal(fb__get_varint(b, 2, &pos, &v), 0);
    assert_true(v == 0);
    assert_int_equal(pos, 2);
}

static void test_zigzag(void **state)
{
    static const struct {
        int64_t n;
        uint64_t z;
    } cases[] = {{0, 0},
                 {-1, 1},
                 {1, 2},
                 {-2, 3},
                 {2, 4},
                 {INT64_MAX, UINT64_MAX - 1},
                 {INT64_MIN, UINT64_MAX},
                 {-64, 127},
                 {64, 128}};
    size_t i;
    (void)state;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_true(fb__zigzag_encode(cases[i].n) == cases[i].z);
        assert_true(fb__zigzag_decode(cases[i].z) == cases[i].n);
        assert_true(fb__zigzag_encode_u((uint64_t)cases[i].n) == cases[i].z);
        assert_true(fb__zigzag_decode_u(cases[i].z) == (uint64_t)cases[i].n);
    }
    /* Differences of unsigned ids wrap: 1 - UINT64_MAX is +2. */
    assert_true(fb__zigzag_encode_u((uint64_t)1 - UINT64_MAX) == 4);
}

static void test_little_endian(void **state)
{
    fb__strbuf b;
    const uint8_t *p;
    size_t pos = 0;
    uint8_t u8;
    uint16_t u16;
    uint32_t u32;
    uint64_t u64;
    double d;
    (void)state;

    fb__strbuf_init(&b, NULL);
    assert_int_equal(fb__put_u8(&b, 0xAB), 0);
    assert_int_equal(fb__put_le16(&b, 0x1234), 0);
    assert_int_equal(fb__put_le32(&b, 0xDEADBEEF), 0);
    assert_int_equal(fb__put_le64(&b, 0x0102030405060708ULL), 0);
    assert_int_equal(fb__put_le_double(&b, -2.5), 0);
    assert_int_equal(fb__put_zigzag(&b, -3), 0);
    assert_int_equal(b.len, 1 + 2 + 4 + 8 + 8 + 1);
    p = (const uint8_t *)b.data;
    assert_int_equal(p[1], 0x34);
    assert_int_equal(p[2], 0x12);
    assert_int_equal(p[3], 0xEF);
    assert_int_equal(p[7], 0x08);
    assert_int_equal(p[14], 0x01);
    /* -2.5 is 0xC004000000000000. */
    assert_int_equal(p[22], 0xC0);
    assert_int_equal(p[21], 0x04);
    assert_int_equal(fb__get_u8(p, b.len, &pos, &u8), 0);
    assert_int_equal(fb__get_le16(p, b.len, &pos, &u16), 0);
    assert_int_equal(fb__get_le32(p, b.len, &pos, &u32), 0);
    assert_int_equal(fb__get_le64(p, b.len, &pos, &u64), 0);
    assert_int_equal(fb__get_le_double(p, b.len, &pos, &d), 0);
    assert_int_equal(u8, 0xAB);
    assert_int_equal(u16, 0x1234);
    assert_true(u32 == 0xDEADBEEF);
    assert_true(u64 == 0x0102030405060708ULL);
    assert_true(d == -2.5);
    assert_int_equal(fb__get_le64(p, b.len, &pos, &u64), 0 - 1);
    assert_int_equal(fb__get_le32(p, b.len, &pos, &u32), -1);
    assert_int_equal(fb__get_le16(p, b.len, &pos, &u16), -1);
    assert_int_equal(fb__get_le_double(p, b.len, &pos, &d), -1);
    assert_int_equal(pos, b.len - 1);
    assert_int_equal(fb__get_u8(p, b.len, &pos, &u8), 0);
    assert_int_equal(fb__get_u8(p, b.len, &pos, &u8), -1);
    fb__strbuf_free(&b);
}

/* ================================================================ header */

static fb__chunk_header sample_header(void)
{
    fb__chunk_header h;
    h.type = FB__LOG_CHUNK_DATA;
    h.codec = FB__LOG_CODEC_DEFLATE;
    h.flags = 0;
    h.count = 1000;
    h.payload_len = 12345;
    h.raw_len = 54321;
    h.first_seq = 0x0123456789ABCDEFULL;
    h.min_time = 1795478400000LL;
    h.max_time = 1795478400000LL + 86400000;
    return h;
}

static void test_header_round_trip(void **state)
{
    uint8_t p[FB__LOG_CHUNK_HEADER];
    fb__chunk_header h = sample_header(), g;
    fb_error err;
    (void)state;

    fb__chunk_header_write(p, SYNC, &h);
    assert_memory_equal(p, SYNC, FB__LOG_SYNC_SIZE);
    assert_int_equal(p[16], FB__LOG_CHUNK_DATA);
    assert_int_equal(p[17], FB__LOG_CODEC_DEFLATE);
    assert_int_equal(p[20], 1000 & 0xFF);
    assert_int_equal(p[21], 1000 >> 8);
    assert_true(fb__load_u32(p + 56) == (uint32_t)crc32(0, p, 56));
    assert_fb_ok(fb__chunk_header_read(p, SYNC, &g, &err), &err);
    assert_int_equal(g.type, h.type);
    assert_int_equal(g.codec, h.codec);
    assert_int_equal(g.flags, h.flags);
    assert_int_equal(g.count, h.count);
    assert_int_equal(g.payload_len, h.payload_len);
    assert_int_equal(g.raw_len, h.raw_len);
    assert_true(g.first_seq == h.first_seq);
    assert_true(g.min_time == h.min_time);
    assert_true(g.max_time == h.max_time);

    /* Negative times and the caps themselves are fine. */
    h.min_time = INT64_MIN;
    h.max_time = -1;
    h.payload_len = FB__LOG_MAX_PAYLOAD;
    h.raw_len = FB__LOG_MAX_RAW;
    h.count = FB__LOG_MAX_RECORDS;
    h.type = FB__LOG_CHUNK_INDEX;
    fb__chunk_header_write(p, SYNC, &h);
    assert_fb_ok(fb__chunk_header_read(p, SYNC, &g, &err), &err);
    assert_true(g.min_time == INT64_MIN);
    assert_true(g.max_time == -1);
    assert_int_equal(g.type, FB__LOG_CHUNK_INDEX);
}

static void expect_header_rejected(const fb__chunk_header *h, const char *needle)
{
    uint8_t p[FB__LOG_CHUNK_HEADER];
    fb__chunk_header g;
    fb_error err;

    fb__chunk_header_write(p, SYNC, h);
    assert_fb_status(fb__chunk_header_read(p, SYNC, &g, &err), FB_ERR_CORRUPT, &err);
    if (!strstr(err.message, needle))
        fail_msg("message '%s' lacks '%s'", err.message, needle);
}

static void test_header_rejections(void **state)
{
    uint8_t p[FB__LOG_CHUNK_HEADER], other[FB__LOG_SYNC_SIZE];
    fb__chunk_header h = sample_header(), g;
    fb_error err;
    size_t i;
    int bit;
    (void)state;

    /* Another file's sync marker. */
    fb__chunk_header_write(p, SYNC, &h);
    memcpy(other, SYNC, sizeof other);
    other[7] ^= 1;
    assert_fb_status(fb__chunk_header_read(p, other, &g, &err), FB_ERR_CORRUPT, &err);
    assert_non_null(strstr(err.message, "sync"));
    /* Any flipped bit after the marker fails the CRC. */
    for (i = FB__LOG_SYNC_SIZE; i < FB__LOG_CHUNK_HEADER; i++)
        for (bit = 0; bit < 8; bit++) {
            p[i] ^= (uint8_t)(1 << bit);
            assert_fb_status(fb__chunk_header_read(p, SYNC, &g, &err), FB_ERR_CORRUPT, &err);
            assert_non_null(strstr(err.message, i < 56 ? "checksum" : "checksum"));
            p[i] ^= (uint8_t)(1 << bit);
        }
    assert_fb_ok(fb__chunk_header_read(p, SYNC, &g, &err), &err);

    h = sample_header();
    h.payload_len = FB__LOG_MAX_PAYLOAD + 1;
    expect_header_rejected(&h, "payload length");
    h = sample_header();
    h.raw_len = FB__LOG_MAX_RAW + 1;
    expect_header_rejected(&h, "raw length");
    h = sample_header();
    h.count = FB__LOG_MAX_RECORDS + 1;
    expect_header_rejected(&h, "record count");
    h = sample_header();
    h.min_time = h.max_time + 1;
    expect_header_rejected(&h, "after its max");
}

/* ================================================================ records */

#define N_SAMPLES 9

/* Storage for sample records: every string they point at. */
typedef struct samples {
    fb_record r[N_SAMPLES];
    fb_answer answers[N_SAMPLES][FB_MAX_ANSWERS];
    fb_str tags[FB_MAX_TAGS];
    fb_attr attrs[FB_MAX_ATTRS];
    char text[FB_MAX_TEXT];
    char long_id[FB_MAX_ID];
    char ticket[FB_MAX_ID];
    char tag_buf[FB_MAX_TAGS][FB_MAX_NAME];
    char key_buf[FB_MAX_ATTRS][16];
    char value_buf[FB_MAX_ATTRS][FB_MAX_ATTR_VALUE];
    char names[FB_MAX_ANSWERS][8];
} samples;

static fb_str str_n(const char *p, size_t n)
{
    fb_str s;
    s.ptr = p;
    s.len = n;
    return s;
}

/* Fills n bytes with a repeated UTF-8 string (n a multiple of its length). */
static void fill_utf8(char *dst, size_t n, const char *unit)
{
    size_t u = strlen(unit), i;
    for (i = 0; i + u <= n; i += u)
        memcpy(dst + i, unit, u);
}

static void make_samples(samples *s)
{
    fb_record *r;
    fb_answer *a;
    int i;

    memset(s, 0, sizeof *s);
    fill_utf8(s->text, FB_MAX_TEXT, "Ж");
    fill_utf8(s->long_id, FB_MAX_ID, "д");
    memset(s->ticket, 'T', FB_MAX_ID);

    /* 0: a plain NPS response. */
    r = &s->r[0];
    fb_record_init(r);
    r->id = 1001;
    r->created_at = 1795478400000LL;
    a = s->answers[0];
    a[0].metric = FB_METRIC_NPS;
    a[0].score = 9;
    r->answers = a;
    r->n_answers = 1;

    /* 1: the maximal record. */
    r = &s->r[1];
    fb_record_init(r);
    r->id = UINT64_MAX;
    r->kind = FB_KIND_RESPONSE;
    r->created_at = FB_TIME_MAX;
    r->interaction_at = FB_TIME_MIN;
    r->customer_id = str_n(s->long_id, FB_MAX_ID);
    r->customer_status = FB_CUSTOMER_NONE;
    r->customer_verified = true;
    r->win_back = true;
    r->channel = FB_CHANNEL_SERVICE_DESK;
    r->source = FB_SOURCE_INFERRED;
    a = s->answers[1];
    {
        static const double scores[8] = {10, 5, 0, 0, 9.5, 3, 1, 4.5};
        for (i = 0; i < 8; i++) {
            a[i].metric = (fb_metric)i;
            a[i].score = scores[i];
        }
        a[2].skipped = true; /* ces */
        a[2].score = 123;    /* ignored when skipped */
    }
    for (i = 8; i < FB_MAX_ANSWERS; i++) {
        a[i].metric = FB_METRIC_CUSTOM;
        snprintf(s->names[i], sizeof s->names[i], "q%02d", i);
        a[i].name = fb_str_from_cstr(s->names[i]);
        switch (i % 6) {
        case 0:
            a[i].scale_min = -3;
            a[i].scale_max = 3;
            a[i].score = -1.5;
            break;
        case 1:
            a[i].scale_min = 0;
            a[i].scale_max = 1e12;
            a[i].score = 4294967295.0; /* the largest VARINT score */
            break;
        case 2:
            a[i].scale_min = 0;
            a[i].scale_max = 1e12;
            a[i].score = 4294967296.0; /* the smallest too large for VARINT */
            break;
        case 3:
            a[i].scale_min = 1;
            a[i].scale_max = 5;
            a[i].skipped = true;
            break;
        case 4:
            a[i].scale_min = -1e300;
            a[i].scale_max = 1e300;
            a[i].score = -0.0;
            break;
        default:
            a[i].scale_min = 0.1;
            a[i].scale_max = 0.2;
            a[i].score = 0.15;
        }
    }
    r->answers = a;
    r->n_answers = FB_MAX_ANSWERS;
    r->text = str_n(s->text, FB_MAX_TEXT);
    r->language = fb_str_from_cstr("ru-RU");
    for (i = 0; i < FB_MAX_TAGS; i++) {
        size_t n = (i % 2) ? FB_MAX_NAME : 6;
        memset(s->tag_buf[i], 'a' + i % 26, n);
        snprintf(s->tag_buf[i], 6, "t%03d", i);
        s->tag_buf[i][4] = '-';
        s->tags[i] = str_n(s->tag_buf[i], n);
    }
    r->tags = s->tags;
    r->n_tags = FB_MAX_TAGS;
    r->agent_id = fb_str_from_cstr("агент-007");
    r->ticket_id = str_n(s->ticket, FB_MAX_ID);
    r->product = fb_str_from_cstr("тариф «Максимум»");
    strcpy(r->country, "RU");
    r->tip = INT64_MAX;
    strcpy(r->tip_currency, "RUB");
    for (i = 0; i < FB_MAX_ATTRS; i++) {
        size_t n;
        snprintf(s->key_buf[i], sizeof s->key_buf[i], "ключ%02d", i);
        s->attrs[i].key = fb_str_from_cstr(s->key_buf[i]);
        n = i % 4 == 0 ? 0 : i % 4 == 1 ? 32 : i % 4 == 2 ? 33 : FB_MAX_ATTR_VALUE;
        memset(s->value_buf[i], 'v', n);
        if (n >= 2)
            s->value_buf[i][0] = (char)('A' + i % 26);
        s->attrs[i].value = str_n(s->value_buf[i], n);
    }
    r->attrs = s->attrs;
    r->n_attrs = FB_MAX_ATTRS;

    /* 2: an invitation, no id, unknown interaction time, the earliest time. */
    r = &s->r[2];
    fb_record_init(r);
    r->kind = FB_KIND_INVITATION;
    r->created_at = FB_TIME_MIN;
    r->channel = FB_CHANNEL_EMAIL;
    a = s->answers[2];
    a[0].metric = FB_METRIC_CSAT;
    a[0].skipped = true;
    r->answers = a;
    r->n_answers = 1;

    /* 3: an update, the id going down. */
    r = &s->r[3];
    fb_record_init(r);
    r->kind = FB_KIND_UPDATE;
    r->id = 5;
    r->ref_id = UINT64_MAX;
    r->created_at = 1795478400000LL + 1;
    r->handling = FB_HANDLING_CLOSED;
    r->assignee = fb_str_from_cstr("Отдел качества");
    r->assignee_kind = FB_ASSIGNEE_DEPARTMENT;
    r->tags = s->tags;
    r->n_tags = 2;

    /* 4: text only, id back up, interaction after created (clock skew). */
    r = &s->r[4];
    fb_record_init(r);
    r->id = UINT64_MAX - 5;
    r->created_at = 1795478400000LL - 1;
    r->interaction_at = 1795478400000LL + 3600000;
    r->text = fb_str_from_cstr("Спасибо! 👍");
    r->language = fb_str_from_cstr("ru");
    r->customer_id = fb_str_from_cstr("");

    /* 5: the same id as before (a zero delta), an NPS of 0 (a default score). */
    r = &s->r[5];
    fb_record_init(r);
    r->id = UINT64_MAX - 5;
    r->created_at = 1795478400000LL;
    r->interaction_at = 1795478400000LL;
    a = s->answers[5];
    a[0].metric = FB_METRIC_NPS;
    a[0].score = 0;
    a[1].metric = FB_METRIC_GCR;
    a[1].score = 0;
    r->answers = a;
    r->n_answers = 2;
    r->customer_status = FB_CUSTOMER_CHURNED;
    r->win_back = true;
    r->tags = s->tags + 1;
    r->n_tags = 1;

    /* 6: created_at 0 and a tip of zero with a currency. */
    r = &s->r[6];
    fb_record_init(r);
    r->id = 0;
    r->created_at = 0;
    r->text = fb_str_from_cstr("x");
    strcpy(r->tip_currency, "EUR");
    r->attrs = s->attrs + 1;
    r->n_attrs = 3;

    /* 7: an update with a ref_id above its id, every other field default. */
    r = &s->r[7];
    fb_record_init(r);
    r->kind = FB_KIND_UPDATE;
    r->id = 1;
    r->ref_id = 2;
    r->created_at = 42;

    /* 8: the zero record made valid: interaction_at 0 is a known time. */
    r = &s->r[8];
    memset(r, 0, sizeof *r);
    r->created_at = 7;
    r->text = fb_str_from_cstr("z");
}

/* Encodes n records into one chunk appended to out. */
static void encode(const fb_allocator *alloc, const fb_record *r, size_t n, int level,
                   fb__strbuf *out)
{
    fb__chunk_enc *e = NULL;
    fb__chunk_header written, read;
    size_t i, start = out->len;

    assert_fb_ok(fb__chunk_enc_new(alloc, &e), NULL);
    for (i = 0; i < n; i++)
        assert_fb_ok(fb__chunk_enc_add(e, &r[i]), NULL);
    assert_int_equal(fb__chunk_enc_count(e), n);
    assert_fb_ok(fb__chunk_enc_finish(e, SYNC, 77, level, out, &written), NULL);
    assert_int_equal(fb__chunk_enc_count(e), 0);
    /* The header handed back is the one in the bytes. */
    assert_fb_ok(fb__chunk_header_read((const uint8_t *)out->data + start, SYNC, &read, NULL), NULL);
    assert_memory_equal(&written, &read, sizeof read);
    fb__chunk_enc_free(e);
}

/* Reads the header of the chunk at p and loads it. */
static fb_status load(fb__chunk_dec *d, const uint8_t *p, size_t len, uint32_t fields,
                      fb_error *err)
{
    fb__chunk_header h;
    fb_status st;

    assert_true(len >= FB__LOG_CHUNK_OVERHEAD);
    st = fb__chunk_header_read(p, SYNC, &h, err);
    if (st != FB_OK)
        return st;
    assert_int_equal(len, FB__LOG_CHUNK_OVERHEAD + h.payload_len);
    return fb__chunk_dec_load(d, &h, p + FB__LOG_CHUNK_HEADER, fields, err);
}

static void expect_equal(const fb_record *want, const fb_record *got, size_t i)
{
    if (!fb_record_equal(want, got))
        fail_msg("record %lu differs after the round trip", (unsigned long)i);
}

static void round_trip_level(int level)
{
    samples *s = malloc(sizeof *s);
    fb_test_alloc ta;
    fb__strbuf out;
    fb__chunk_dec *d = NULL;
    fb__chunk_header h;
    fb_error err;
    size_t i;

    assert_non_null(s);
    make_samples(s);
    for (i = 0; i < N_SAMPLES; i++)
        assert_fb_ok(fb_record_validate(&s->r[i], &err), &err);
    fb_test_alloc_init(&ta, 0);
    fb__strbuf_init(&out, &ta.alloc);
    encode(&ta.alloc, s->r, N_SAMPLES, level, &out);

    assert_fb_ok(fb__chunk_header_read((const uint8_t *)out.data, SYNC, &h, &err), &err);
    assert_int_equal(h.type, FB__LOG_CHUNK_DATA);
    assert_int_equal(h.codec, level ? FB__LOG_CODEC_DEFLATE : FB__LOG_CODEC_STORED);
    assert_int_equal(h.count, N_SAMPLES);
    assert_true(h.first_seq == 77);
    assert_true(h.min_time == FB_TIME_MIN);
    assert_true(h.max_time == FB_TIME_MAX);
    if (level == 0)
        assert_true(h.payload_len > h.raw_len); /* the raw streams and the table */
    else
        assert_true(h.payload_len < h.raw_len);

    assert_fb_ok(fb__chunk_dec_new(&ta.alloc, &d), NULL);
    assert_fb_ok(load(d, (const uint8_t *)out.data, out.len, FB_LOG_FIELD_ALL, &err), &err);
    assert_int_equal(fb__chunk_dec_count(d), N_SAMPLES);
    for (i = 0; i < N_SAMPLES; i++)
        expect_equal(&s->r[i], fb__chunk_dec_record(d, (uint32_t)i), i);
    assert_null(fb__chunk_dec_record(d, N_SAMPLES));
    {
        const fb_record *g = fb__chunk_dec_record(d, 1);
        /* Bits, not only ==: -0.0 stays negative, 4294967296 exact. */
        assert_true(signbit(g->answers[10].score) != 0);
        assert_true(g->answers[8].score == 4294967296.0);
        assert_true(g->answers[13].score == 4294967295.0);
        assert_true(g->answers[12].score == -1.5);
        assert_int_equal(g->n_tags, FB_MAX_TAGS);
        assert_int_equal(g->n_attrs, FB_MAX_ATTRS);
    }
    /* A second load into the same decoder (buffers reused). */
    assert_fb_ok(load(d, (const uint8_t *)out.data, out.len, FB_LOG_FIELD_ALL, &err), &err);
    for (i = 0; i < N_SAMPLES; i++)
        expect_equal(&s->r[i], fb__chunk_dec_record(d, (uint32_t)i), i);

    fb__chunk_dec_free(d);
    fb__strbuf_free(&out);
    free(s);
}

static void test_round_trip_level0(void **state)
{
    (void)state;
    round_trip_level(0);
}

static void test_round_trip_level1(void **state)
{
    (void)state;
    round_trip_level(1);
}

static void test_round_trip_level6(void **state)
{
    (void)state;
    round_trip_level(6);
}

/* Many chunks through one encoder and one decoder, changing levels, strings repeating. */
static void test_reuse_across_chunks(void **state)
{
    static const int levels[] = {6, 6, 0, 1, 9, 6};
    fb_test_alloc ta;
    fb__chunk_enc *e = NULL;
    fb__chunk_dec *d = NULL;
    fb__strbuf out;
    char texts[300][24];
    fb_record r[300];
    fb_answer a[300];
    fb_str tags[300];
    size_t k, i;
    fb_error err;
    (void)state;

    fb_test_alloc_init(&ta, 0);
    fb__strbuf_init(&out, &ta.alloc);
    assert_fb_ok(fb__chunk_enc_new(&ta.alloc, &e), NULL);
    assert_fb_ok(fb__chunk_dec_new(&ta.alloc, &d), NULL);
    assert_fb_status(fb__chunk_enc_finish(e, SYNC, 0, 6, &out, NULL), FB_ERR_INVALID_ARG, NULL);
    for (k = 0; k < sizeof levels / sizeof levels[0]; k++) {
        size_t n = 50 + k * 50;
        fb__strbuf_reset(&out);
        for (i = 0; i < n; i++) {
            fb_record_init(&r[i]);
            r[i].id = 1000 * k + i;
            r[i].created_at = 1700000000000LL + (int64_t)((i * 7919) % 1000) * 1000;
            snprintf(texts[i], sizeof texts[i], "comment %lu", (unsigned long)(i % 17));
            r[i].text = fb_str_from_cstr(texts[i]);
            memset(&a[i], 0, sizeof a[i]);
            a[i].metric = FB_METRIC_NPS;
            a[i].score = (double)(i % 11);
            r[i].answers = &a[i];
            r[i].n_answers = 1;
            tags[i] = fb_str_from_cstr(i % 3 ? "delivery" : "price");
            r[i].tags = &tags[i];
            r[i].n_tags = 1;
            r[i].agent_id = fb_str_from_cstr(i % 2 ? "a1" : "a2");
            assert_fb_ok(fb__chunk_enc_add(e, &r[i]), NULL);
        }
        assert_true(fb__chunk_enc_raw_size(e) > 0);
        assert_fb_ok(fb__chunk_enc_finish(e, SYNC, 0, levels[k], &out, NULL), NULL);
        assert_int_equal(fb__chunk_enc_raw_size(e), 0);
        assert_fb_ok(load(d, (const uint8_t *)out.data, out.len, 0, &err), &err);
        assert_int_equal(fb__chunk_dec_count(d), n);
        for (i = 0; i < n; i++)
            expect_equal(&r[i], fb__chunk_dec_record(d, (uint32_t)i), i);
    }
    fb__chunk_enc_free(e);
    fb__chunk_dec_free(d);
    fb__strbuf_free(&out);
}

/* ================================================================ projections */

/* The default of each field group, compared with want where the group is decoded. */
static void expect_projection(const fb_record *want, const fb_record *got, uint32_t f)
{
    fb_record def, exp;
    fb_record_init(&def);

    exp = def;
    exp.created_at = want->created_at;
#define TAKE(bit, stmt) \
    if (f & (bit)) {    \
        stmt;           \
    }
    TAKE(FB_LOG_FIELD_ID, exp.id = want->id);
    TAKE(FB_LOG_FIELD_KIND, exp.kind = want->kind);
    TAKE(FB_LOG_FIELD_INTERACTION_AT, exp.interaction_at = want->interaction_at);
    TAKE(FB_LOG_FIELD_CUSTOMER, exp.customer_id = want->customer_id;
         exp.customer_status = want->customer_status;
         exp.customer_verified = want->customer_verified; exp.win_back = want->win_back);
    TAKE(FB_LOG_FIELD_CHANNEL, exp.channel = want->channel; exp.source = want->source);
    TAKE(FB_LOG_FIELD_ANSWERS, exp.answers = want->answers; exp.n_answers = want->n_answers);
    TAKE(FB_LOG_FIELD_TEXT, exp.text = want->text; exp.language = want->language);
    TAKE(FB_LOG_FIELD_TAGS, exp.tags = want->tags; exp.n_tags = want->n_tags);
    TAKE(FB_LOG_FIELD_SERVICE, exp.agent_id = want->agent_id; exp.ticket_id = want->ticket_id;
         exp.product = want->product; memcpy(exp.country, want->country, 3));
    TAKE(FB_LOG_FIELD_TIP, exp.tip = want->tip; memcpy(exp.tip_currency, want->tip_currency, 4));
    TAKE(FB_LOG_FIELD_ATTRS, exp.attrs = want->attrs; exp.n_attrs = want->n_attrs);
#undef TAKE
    /* fb_record_equal compares update fields only for updates. */
    if (f & FB_LOG_FIELD_UPDATE) {
        exp.ref_id = want->ref_id;
        exp.handling = want->handling;
        exp.assignee = want->assignee;
        exp.assignee_kind = want->assignee_kind;
    }
    if (!fb_record_equal(&exp, got))
        fail_msg("projection 0x%x differs", (unsigned)f);
    if (!(f & FB_LOG_FIELD_UPDATE)) {
        assert_true(got->ref_id == 0);
        assert_int_equal(got->handling, 0);
        assert_int_equal(got->assignee.len, 0);
        assert_int_equal(got->assignee_kind, 0);
    } else {
        assert_true(got->ref_id == want->ref_id);
        assert_int_equal(got->handling, want->handling);
        assert_int_equal(got->assignee_kind, want->assignee_kind);
    }
}

static void test_projections(void **state)
{
    samples *s = malloc(sizeof *s);
    fb__strbuf out;
    fb__chunk_dec *d = NULL;
    fb_error err;
    int level, bit;
    size_t i;
    (void)state;

    assert_non_null(s);
    make_samples(s);
    for (level = 0; level <= 6; level += 6) {
        fb__strbuf_init(&out, NULL);
        encode(NULL, s->r, N_SAMPLES, level, &out);
        assert_fb_ok(fb__chunk_dec_new(NULL, &d), NULL);
        for (bit = 0; bit < 13; bit++) {
            uint32_t f = 1u << bit;
            assert_fb_ok(load(d, (const uint8_t *)out.data, out.len, f, &err), &err);
            for (i = 0; i < N_SAMPLES; i++)
                expect_projection(&s->r[i], fb__chunk_dec_record(d, (uint32_t)i),
                                  f | FB_LOG_FIELD_CREATED_AT);
        }
        /* The metrics scan: NUM alone. The sample has custom names (DICT). */
        assert_fb_ok(load(d, (const uint8_t *)out.data, out.len,
                          FB_LOG_FIELD_CHANNEL | FB_LOG_FIELD_ANSWERS, &err),
                     &err);
        assert_int_equal(fb__chunk_dec_inflated_streams(d) & (1u << FB__LOG_STREAM_TEXT), 0);
        assert_int_equal(fb__chunk_dec_record(d, 1)->text.len, 0);
        assert_int_equal(fb__chunk_dec_record(d, 1)->n_answers, FB_MAX_ANSWERS);
        /* Times only: neither DICT nor TEXT. */
        assert_fb_ok(load(d, (const uint8_t *)out.data, out.len, FB_LOG_FIELD_CREATED_AT, &err),
                     &err);
        assert_int_equal(fb__chunk_dec_inflated_streams(d), 1u << FB__LOG_STREAM_NUM);
        /* Text: TEXT and DICT (language). */
        assert_fb_ok(load(d, (const uint8_t *)out.data, out.len, FB_LOG_FIELD_TEXT, &err), &err);
        assert_int_equal(fb__chunk_dec_inflated_streams(d),
                         (1u << FB__LOG_STREAM_NUM) | (1u << FB__LOG_STREAM_DICT) |
                             (1u << FB__LOG_STREAM_TEXT));
        fb__chunk_dec_free(d);
        fb__strbuf_free(&out);
    }

    /* Only built-in answers: a metrics scan touches NUM alone. */
    fb__strbuf_init(&out, NULL);
    encode(NULL, s->r, 1, 6, &out);
    assert_fb_ok(fb__chunk_dec_new(NULL, &d), NULL);
    assert_fb_ok(load(d, (const uint8_t *)out.data, out.len, FB_LOG_FIELD_ANSWERS, &err), &err);
    assert_int_equal(fb__chunk_dec_inflated_streams(d), 1u << FB__LOG_STREAM_NUM);
    assert_true(fb__chunk_dec_record(d, 0)->answers[0].score == 9);
    fb__chunk_dec_free(d);
    fb__strbuf_free(&out);
    free(s);
}

/* ================================================================ hand-made chunks */

typedef struct stream_spec {
    uint8_t id;
    const void *data;
    size_t len;
    int64_t stored_len; /* >= 0: declare this stored length instead */
    int64_t raw_len;    /* >= 0: declare this raw length instead */
    size_t cut;         /* drop this many bytes from the end of the (compressed) body */
} stream_spec;

static size_t deflate_raw(const void *src, size_t len, uint8_t *dst, size_t cap)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
    zs.next_in = (Bytef *)(uintptr_t)src;
    zs.avail_in = (uInt)len;
    zs.next_out = dst;
    zs.avail_out = (uInt)cap;
    assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
    deflateEnd(&zs);
    return (size_t)zs.total_out;
}

/*
 * Builds a data chunk by hand into out: count records, times min..max, the
 * streams as given (deflated when codec is DEFLATE). raw_len: the header's
 * (-1: the sum).
 */
static void build_chunk(fb__strbuf *out, uint8_t codec, uint32_t count, int64_t min, int64_t max,
                        const stream_spec *s, size_t n, int64_t raw_len)
{
    fb__strbuf payload, bodies;
    fb__chunk_header h;
    uint64_t raw_sum = 0;
    size_t i;

    fb__strbuf_init(&payload, NULL);
    fb__strbuf_init(&bodies, NULL);
    assert_int_equal(fb__put_varint(&payload, n), 0);
    for (i = 0; i < n; i++) {
        size_t body_len = s[i].len;
        size_t at = bodies.len;
        if (codec == FB__LOG_CODEC_DEFLATE) {
            size_t cap = s[i].len + s[i].len / 10 + 64;
            assert_int_equal(fb__strbuf_reserve(&bodies, cap), 0);
            body_len = deflate_raw(s[i].data, s[i].len, (uint8_t *)bodies.data + at, cap);
            bodies.len += body_len;
        } else {
            assert_int_equal(fb__strbuf_append(&bodies, s[i].data, s[i].len), 0);
        }
        body_len -= s[i].cut;
        bodies.len -= s[i].cut;
        assert_int_equal(fb__put_u8(&payload, s[i].id), 0);
        assert_int_equal(
            fb__put_varint(&payload, s[i].stored_len >= 0 ? (uint64_t)s[i].stored_len : body_len),
            0);
        assert_int_equal(
            fb__put_varint(&payload, s[i].raw_len >= 0 ? (uint64_t)s[i].raw_len : s[i].len), 0);
        raw_sum += s[i].raw_len >= 0 ? (uint64_t)s[i].raw_len : s[i].len;
    }
    assert_int_equal(fb__strbuf_append(&payload, bodies.data, bodies.len), 0);
    h.type = FB__LOG_CHUNK_DATA;
    h.codec = codec;
    h.flags = 0;
    h.count = count;
    h.payload_len = (uint32_t)payload.len;
    h.raw_len = raw_len >= 0 ? (uint32_t)raw_len : (uint32_t)raw_sum;
    h.first_seq = 0;
    h.min_time = min;
    h.max_time = max;
    fb__strbuf_reset(out);
    assert_int_equal(fb__strbuf_reserve(out, FB__LOG_CHUNK_HEADER), 0);
    fb__chunk_header_write((uint8_t *)out->data, SYNC, &h);
    out->len = FB__LOG_CHUNK_HEADER;
    assert_int_equal(fb__strbuf_append(out, payload.data, payload.len), 0);
    assert_int_equal(fb__put_le32(out, (uint32_t)crc32(0, (const Bytef *)payload.data,
                                                     (uInt)payload.len)),
                     0);
    fb__strbuf_free(&payload);
    fb__strbuf_free(&bodies);
}

/* An allocator that remembers the largest single allocation. */
typedef struct track_alloc {
    fb_test_alloc t;
    size_t largest;
} track_alloc;

static void *track_malloc(void *ctx, size_t size)
{
    track_alloc *a = ctx;
    if (size > a->largest)
        a->largest = size;
    return fb_test_malloc(&a->t, size);
}

static void *track_realloc(void *ctx, void *ptr, size_t old_size, size_t size)
{
    track_alloc *a = ctx;
    if (size > a->largest)
        a->largest = size;
    return fb_test_realloc(&a->t, ptr, old_size, size);
}

static void track_free(void *ctx, void *ptr)
{
    track_alloc *a = ctx;
    fb_test_free(&a->t, ptr);
}

static void track_init(track_alloc *a)
{
    fb_test_alloc_init(&a->t, 0);
    a->t.alloc.malloc = track_malloc;
    a->t.alloc.realloc = track_realloc;
    a->t.alloc.free = track_free;
    a->t.alloc.ctx = a;
    a->largest = 0;
}

/* Loads the chunk in out (all fields unless fields given) and expects status with needle in the message. */
static void expect_load(const fb__strbuf *out, uint32_t fields, fb_status want, const char *needle)
{
    track_alloc ta;
    fb__chunk_dec *d = NULL;
    fb_error err;
    fb_status st;

    track_init(&ta);
    assert_fb_ok(fb__chunk_dec_new(&ta.t.alloc, &d), NULL);
    memset(&err, 0, sizeof err);
    st = load(d, (const uint8_t *)out->data, out->len, fields, &err);
    if (st != want)
        fail_msg("load returned %d (%s), expected %d: %s", (int)st, fb_status_str(st), (int)want,
                 err.message);
    if (want != FB_OK) {
        assert_int_equal(fb__chunk_dec_count(d), 0);
        assert_null(fb__chunk_dec_record(d, 0));
        if (needle && !strstr(err.message, needle))
            fail_msg("message '%s' lacks '%s'", err.message, needle);
        /* No large allocation for a small hostile chunk. With libdeflate, which
         * needs the whole output up front, only the format's caps bound it
         * (FB__LOG_MAX_RAW, and 1032 raw bytes per stored byte). */
        if (ta.largest > (strcmp(fb__deflate_backend(), "libdeflate") == 0 ? FB__LOG_MAX_RAW
                                                                          : (4u << 20)))
            fail_msg("a %lu-byte allocation for a %lu-byte chunk", (unsigned long)ta.largest,
                     (unsigned long)out->len);
    }
    fb__chunk_dec_free(d);
}

#define T1(f, wt) (uint8_t)(((f) << 3) | (wt))
/* Two-byte tags (field numbers 16 and up). */
#define T2(f, wt) (uint8_t)((((f) << 3) | (wt)) | 0x80), (uint8_t)((((f) << 3) | (wt)) >> 7)

static const int64_t T0 = 1795478400000LL;

/* NUM for two records: an NPS 7 answer and a TEXT text, then a DICT language. */
static void test_unknown_fields_skipped(void **state)
{
    static const uint8_t num[] = {
        /* record 0 */
        T1(FB__LF_CREATED, FB__WT_VARINT), 5,
        T2(40, FB__WT_VARINT), 0xFF, 0xFF, 0x03,                    /* unknown VARINT */
        T2(41, FB__WT_FIXED64), 1, 2, 3, 4, 5, 6, 7, 8,              /* unknown FIXED64 */
        T2(42, FB__WT_TEXT), 3,                                     /* unknown TEXT: "abc" */
        T2(43, FB__WT_DICT), 0,                                     /* unknown DICT */
        T2(44, FB__WT_LEN), 8,                                      /* unknown LEN: a sub-message */
        T1(1, FB__WT_VARINT), 1, T1(2, FB__WT_TEXT), 2,             /* with TEXT "de" */
        T1(3, FB__WT_LEN), 2, T1(1, FB__WT_VARINT), 0,              /* and a nested sub-message */
        T1(FB__LF_ANSWER, FB__WT_LEN), 6,
        T1(FB__LA_SCORE_INT, FB__WT_VARINT), 7,
        T1(9, FB__WT_TEXT), 2,                                      /* unknown TEXT in an answer: "fg" */
        T1(10, FB__WT_FIXED64 - 1), 1,                              /* unknown VARINT in an answer */
        T1(FB__LF_TEXT, FB__WT_TEXT), 5,                            /* "hello" */
        0,
        /* record 1 */
        T1(FB__LF_CREATED, FB__WT_VARINT), 0,
        T1(0, FB__WT_DICT), 9,                                      /* field 0: unknown too */
        T1(FB__LF_TEXT, FB__WT_TEXT), 2,                            /* "ok" */
        T1(FB__LF_LANGUAGE, FB__WT_DICT), 1,                        /* "en" */
        T2(FB__LF_ATTR, FB__WT_LEN), 6,
        T1(FB__LT_KEY, FB__WT_DICT), 0, T1(7, FB__WT_TEXT), 1, T1(FB__LT_VALUE, FB__WT_TEXT), 1,
        0};
    /* "abc" (field 42), "de" (in field 44), "fg" (in the answer), "hello"; "ok", "Z" (attribute field 7), "1" */
    static const char text[] = "abcdefghellookZ1";
    static const uint8_t dict[] = {1, 'k', 2, 'e', 'n'};
    stream_spec s[3];
    fb__strbuf out;
    fb__chunk_dec *d = NULL;
    fb_error err;
    const fb_record *r;
    int codec;
    (void)state;

    memset(s, 0, sizeof s);
    s[0].id = FB__LOG_STREAM_NUM;
    s[0].data = num;
    s[0].len = sizeof num;
    s[1].id = FB__LOG_STREAM_TEXT;
    s[1].data = text;
    s[1].len = strlen(text);
    s[2].id = FB__LOG_STREAM_DICT;
    s[2].data = dict;
    s[2].len = sizeof dict;
    s[0].stored_len = s[1].stored_len = s[2].stored_len = -1;
    s[0].raw_len = s[1].raw_len = s[2].raw_len = -1;
    fb__strbuf_init(&out, NULL);
    assert_fb_ok(fb__chunk_dec_new(NULL, &d), NULL);
    for (codec = 0; codec <= 1; codec++) {
        build_chunk(&out, (uint8_t)codec, 2, T0, T0 + 5, s, 3, -1);
        assert_fb_ok(load(d, (const uint8_t *)out.data, out.len, FB_LOG_FIELD_ALL, &err), &err);
        r = fb__chunk_dec_record(d, 0);
        assert_true(r->created_at == T0 + 5);
        assert_int_equal(r->n_answers, 1);
        assert_true(r->answers[0].score == 7);
        assert_int_equal(r->text.len, 5);
        assert_memory_equal(r->text.ptr, "hello", 5);
        r = fb__chunk_dec_record(d, 1);
        assert_true(r->created_at == T0);
        assert_int_equal(r->text.len, 2);
        assert_memory_equal(r->text.ptr, "ok", 2);
        assert_int_equal(r->language.len, 2);
        assert_memory_equal(r->language.ptr, "en", 2);
        assert_int_equal(r->n_attrs, 1);
        assert_memory_equal(r->attrs[0].key.ptr, "k", 1);
        assert_int_equal(r->attrs[0].value.len, 1);
        assert_memory_equal(r->attrs[0].value.ptr, "1", 1);
    }
    fb__chunk_dec_free(d);
    fb__strbuf_free(&out);
}

/* Builds a one-stream (NUM only) stored chunk of count records from the given NUM bytes. */
static void num_chunk(fb__strbuf *out, const uint8_t *num, size_t len, uint32_t count)
{
    stream_spec s;
    memset(&s, 0, sizeof s);
    s.id = FB__LOG_STREAM_NUM;
    s.data = num;
    s.len = len;
    s.stored_len = s.raw_len = -1;
    build_chunk(out, FB__LOG_CODEC_STORED, count, T0, T0 + 1000, &s, 1, -1);
}

/* Every record in these NUMs starts with CREATED = 0 (T0) and an NPS 5 answer, so it is valid. */
#define BASE T1(FB__LF_CREATED, FB__WT_VARINT), 0, T1(FB__LF_ANSWER, FB__WT_LEN), 2, \
             T1(FB__LA_SCORE_INT, FB__WT_VARINT), 5

static void expect_num(const uint8_t *num, size_t len, uint32_t count, uint32_t fields,
                       fb_status want, const char *needle)
{
    fb__strbuf out;
    fb__strbuf_init(&out, NULL);
    num_chunk(&out, num, len, count);
    expect_load(&out, fields, want, needle);
    fb__strbuf_free(&out);
}

#define EXPECT_NUM(count, want, needle, ...)                                           \
    do {                                                                               \
        static const uint8_t n_[] = {__VA_ARGS__};                                     \
        expect_num(n_, sizeof n_, (count), FB_LOG_FIELD_ALL, (want), (needle));        \
    } while (0)

static void test_num_corruption(void **state)
{
    (void)state;
    /* The base record is fine. */
    EXPECT_NUM(1, FB_OK, NULL, BASE, 0);
    EXPECT_NUM(2, FB_OK, NULL, BASE, 0, BASE, 0);
    /* Wire types 5-7, known or not. */
    EXPECT_NUM(1, FB_ERR_CORRUPT, "wire type 5", BASE, T2(50, 5), 0, 0);
    EXPECT_NUM(1, FB_ERR_CORRUPT, "wire type 7", BASE, T2(50, 7), 0, 0);
    EXPECT_NUM(1, FB_ERR_CORRUPT, "wire type 6", BASE, T1(FB__LF_KIND, 6), 0, 0);
    /* A LEN field is always a sub-message: raw bytes, a zero tag or deep nesting are damage. */
    EXPECT_NUM(1, FB_ERR_CORRUPT, "wire type 7", BASE, T2(45, FB__WT_LEN), 3, 0xFF, 0xFE, 0x07, 0);
    EXPECT_NUM(1, FB_ERR_CORRUPT, "field number 0 in a sub-message", BASE, T2(45, FB__WT_LEN), 1,
               0, 0);
    EXPECT_NUM(1, FB_ERR_CORRUPT, "truncated varint", BASE, T2(45, FB__WT_LEN), 1, 0x80, 0);
    /* A known field with the wrong wire type. */
    EXPECT_NUM(1, FB_ERR_CORRUPT, "field 2 with wire type 1", BASE, T1(FB__LF_KIND, 1), 1, 2,
               3, 4, 5, 6, 7, 8, 0);
    /* Truncated varints: in a value, in a tag, at the end of NUM. */
    EXPECT_NUM(1, FB_ERR_CORRUPT, "truncated varint", BASE, T1(FB__LF_KIND, 0), 0x80);
    EXPECT_NUM(1, FB_ERR_CORRUPT, "truncated varint", BASE, 0x80);
    EXPECT_NUM(1, FB_ERR_CORRUPT, "over-long varint", BASE, T1(FB__LF_ID, 0), 0xFF, 0xFF, 0xFF,
               0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0);
    /* Record count mismatches, trailing data. */
    EXPECT_NUM(2, FB_ERR_CORRUPT, "record 1: NUM ends", BASE, 0);
    EXPECT_NUM(1, FB_ERR_CORRUPT, "after the last", BASE, 0, BASE, 0);
    EXPECT_NUM(1, FB_ERR_CORRUPT, "after the last", BASE, 0, 0);
    EXPECT_NUM(1, FB_ERR_CORRUPT, "NUM ends", BASE);
    EXPECT_NUM(5, FB_ERR_CORRUPT, "cannot fit", 0, 0);
    /* A non-minimal terminator. */
    EXPECT_NUM(1, FB_ERR_CORRUPT, "over-long end", BASE, 0x80, 0x00);
    /* References beyond DICT and TEXT (absent here). */
    EXPECT_NUM(1, FB_ERR_CORRUPT, "record 0: language: dictionary index 3 beyond the 0 entries",
               BASE, T1(FB__LF_LANGUAGE, FB__WT_DICT), 3, 0);
    EXPECT_NUM(1, FB_ERR_CORRUPT, "beyond the 0 of the stream", BASE,
               T1(FB__LF_TEXT, FB__WT_TEXT), 1, 0);
    EXPECT_NUM(1, FB_ERR_CORRUPT, "beyond the 0 of the stream", BASE, T2(60, FB__WT_TEXT), 1,
               0);
    /* Values. */
    EXPECT_NUM(1, FB_ERR_CORRUPT, "unknown kind 3", BASE, T1(FB__LF_KIND, 0), 3, 0);
    EXPECT_NUM(1, FB_ERR_CORRUPT, "unknown channel 18", BASE, T1(FB__LF_CHANNEL, 0), 18, 0);
    EXPECT_NUM(1, FB_ERR_CORRUPT, "unknown source", BASE, T1(FB__LF_SOURCE, 0), 3, 0);
    EXPECT_NUM(1, FB_ERR_CORRUPT, "unknown customer_status", BASE,
               T1(FB__LF_CUSTOMER_STATUS, 0), 6, 0);
    EXPECT_NUM(1, FB_ERR_CORRUPT, "unknown handling", BASE, T2(FB__LF_HANDLING, 0), 5, 0);
    EXPECT_NUM(1, FB_ERR_CORRUPT, "unknown assignee_kind", BASE, T2(FB__LF_ASSIGNEE_KIND, 0),
               2, 0);
    EXPECT_NUM(1, FB_ERR_CORRUPT, "unknown metric 9", T1(FB__LF_CREATED, 0), 0,
               T1(FB__LF_ANSWER, FB__WT_LEN), 2, T1(FB__LA_METRIC, 0), 9, 0);
    EXPECT_NUM(1, FB_ERR_CORRUPT, "score 11 outside", T1(FB__LF_CREATED, 0), 0,
               T1(FB__LF_ANSWER, FB__WT_LEN), 2, T1(FB__LA_SCORE_INT, 0), 11, 0);
    EXPECT_NUM(1, FB_ERR_CORRUPT, "score 0 outside", T1(FB__LF_CREATED, 0), 0,
               T1(FB__LF_ANSWER, FB__WT_LEN), 2, T1(FB__LA_METRIC, 0), FB_METRIC_CSAT, 0);
    /* NaN score (FIXED64). */
    EXPECT_NUM(1, FB_ERR_CORRUPT, "outside the scale", T1(FB__LF_CREATED, 0), 0,
               T1(FB__LF_ANSWER, FB__WT_LEN), 9, T1(FB__LA_SCORE, FB__WT_FIXED64), 0, 0, 0, 0,
               0, 0, 0xF8, 0x7F, 0);
    EXPECT_NUM(1, FB_ERR_CORRUPT, "score 0.5 outside", T1(FB__LF_CREATED, 0), 0, T1(FB__LF_ANSWER, FB__WT_LEN),
               11, T1(FB__LA_METRIC, 0), FB_METRIC_GCR, T1(FB__LA_SCORE, FB__WT_FIXED64), 0, 0,
               0, 0, 0, 0, 0xE0, 0x3F, 0);
    EXPECT_NUM(1, FB_ERR_CORRUPT, "custom scale", T1(FB__LF_CREATED, 0), 0,
               T1(FB__LF_ANSWER, FB__WT_LEN), 2, T1(FB__LA_METRIC, 0), FB_METRIC_CUSTOM, 0);
    EXPECT_NUM(1, FB_ERR_CORRUPT, "too large", T1(FB__LF_CREATED, 0), 0,
               T1(FB__LF_ANSWER, FB__WT_LEN), 6, T1(FB__LA_SCORE_INT, 0), 0x80, 0x80, 0x80,
               0x80, 0x10, 0);
    EXPECT_NUM(1, FB_ERR_CORRUPT, "runs past", BASE, T1(FB__LF_ANSWER, FB__WT_LEN), 20, 0);
    EXPECT_NUM(1, FB_ERR_CORRUPT, "negative tip", BASE, T2(FB__LF_TIP, 0), 1, 0);
    /* Times: outside the chunk's range, beyond its max. */
    EXPECT_NUM(1, FB_ERR_CORRUPT, "beyond its max", T1(FB__LF_CREATED, 0), 0xE9, 0x07,
               T1(FB__LF_ANSWER, FB__WT_LEN), 2, T1(FB__LA_SCORE_INT, 0), 5, 0);
    EXPECT_NUM(1, FB_ERR_CORRUPT, "outside the chunk", T1(FB__LF_ANSWER, FB__WT_LEN), 2,
               T1(FB__LA_SCORE_INT, 0), 5, 0);
    EXPECT_NUM(1, FB_ERR_CORRUPT, "interaction_at", BASE, T1(FB__LF_INTERACTION, 0), 0xFE, 0xFF,
               0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0);
    /* Lists beyond their limits. */
    {
        uint8_t num[8 + 65 * 4];
        size_t n = 0, i;
        num[n++] = T1(FB__LF_CREATED, 0);
        num[n++] = 0;
        for (i = 0; i < 33; i++) {
            num[n++] = T1(FB__LF_ANSWER, FB__WT_LEN);
            num[n++] = 0;
        }
        num[n++] = 0;
        expect_num(num, n, 1, FB_LOG_FIELD_ANSWERS, FB_ERR_CORRUPT, "more than 32 answers");
        /* Not decoded: only skipped. */
        expect_num(num, n, 1, FB_LOG_FIELD_TEXT, FB_OK, NULL);
    }
    /* With all fields, fb_record_validate: a response without answer or text. */
    EXPECT_NUM(1, FB_ERR_CORRUPT, "record 0: ", T1(FB__LF_CREATED, 0), 0, 0);
    expect_num((const uint8_t[]){T1(FB__LF_CREATED, 0), 0, 0}, 3, 1, FB_LOG_FIELD_CHANNEL, FB_OK,
               NULL);
}

/* Strings in TEXT and DICT: limits, UTF-8, codes. */
static void test_string_corruption(void **state)
{
    stream_spec s[3];
    fb__strbuf out;
    uint8_t num[64];
    size_t n;
    (void)state;

    fb__strbuf_init(&out, NULL);
    memset(s, 0, sizeof s);
    s[0].id = FB__LOG_STREAM_NUM;
    s[0].data = num;
    s[1].id = FB__LOG_STREAM_DICT;
    s[2].id = FB__LOG_STREAM_TEXT;
    s[0].stored_len = s[1].stored_len = s[2].stored_len = -1;
    s[0].raw_len = s[1].raw_len = s[2].raw_len = -1;

#define NUM_WITH(...)                                                          \
    do {                                                                       \
        static const uint8_t x_[] = {BASE, __VA_ARGS__, 0};                    \
        memcpy(num, x_, sizeof x_);                                            \
        n = sizeof x_;                                                         \
        s[0].len = n;                                                          \
    } while (0)

    /* Invalid UTF-8 in TEXT. */
    NUM_WITH(T1(FB__LF_TEXT, FB__WT_TEXT), 2);
    s[2].data = "\xC3\x28";
    s[2].len = 2;
    build_chunk(&out, FB__LOG_CODEC_STORED, 1, T0, T0, s, 3, -1);
    expect_load(&out, FB_LOG_FIELD_TEXT, FB_ERR_CORRUPT, "record 0: text: invalid UTF-8");
    /* ... not looked at when text is not decoded. */
    expect_load(&out, FB_LOG_FIELD_ANSWERS, FB_OK, NULL);
    /* TEXT not all used. */
    NUM_WITH(T1(FB__LF_TEXT, FB__WT_TEXT), 1);
    s[2].data = "ab";
    build_chunk(&out, FB__LOG_CODEC_STORED, 1, T0, T0, s, 3, -1);
    expect_load(&out, FB_LOG_FIELD_ANSWERS, FB_ERR_CORRUPT, "TEXT has 1 bytes");
    /* DICT: a bad entry length, invalid UTF-8, a country that is not A-Z. */
    NUM_WITH(T1(FB__LF_LANGUAGE, FB__WT_DICT), 0);
    s[1].data = "\x05" "ab";
    s[1].len = 3;
    s[2].len = 0;
    build_chunk(&out, FB__LOG_CODEC_STORED, 1, T0, T0, s, 2, -1);
    expect_load(&out, FB_LOG_FIELD_TEXT, FB_ERR_CORRUPT, "DICT entry 0");
    expect_load(&out, FB_LOG_FIELD_ANSWERS, FB_OK, NULL);
    s[1].data = "\x02" "\xFF" "a";
    build_chunk(&out, FB__LOG_CODEC_STORED, 1, T0, T0, s, 2, -1);
    expect_load(&out, FB_LOG_FIELD_TEXT, FB_ERR_CORRUPT, "invalid UTF-8 in dictionary entry 0");
    NUM_WITH(T2(FB__LF_COUNTRY, FB__WT_DICT), 0);
    s[1].data = "\x02" "ru";
    build_chunk(&out, FB__LOG_CODEC_STORED, 1, T0, T0, s, 2, -1);
    expect_load(&out, FB_LOG_FIELD_SERVICE, FB_ERR_CORRUPT, "country: not 2 letters");
    s[1].data = "\x03" "RUS";
    s[1].len = 4;
    build_chunk(&out, FB__LOG_CODEC_STORED, 1, T0, T0, s, 2, -1);
    expect_load(&out, FB_LOG_FIELD_SERVICE, FB_ERR_CORRUPT, "country");
    NUM_WITH(T2(FB__LF_TIP_CURRENCY, FB__WT_DICT), 0);
    s[1].data = "\x03" "RU1";
    build_chunk(&out, FB__LOG_CODEC_STORED, 1, T0, T0, s, 2, -1);
    expect_load(&out, FB_LOG_FIELD_TIP, FB_ERR_CORRUPT, "tip_currency: not 3 letters");
    s[1].data = "\x03" "RUB";
    build_chunk(&out, FB__LOG_CODEC_STORED, 1, T0, T0, s, 2, -1);
    expect_load(&out, FB_LOG_FIELD_ALL, FB_OK, NULL);
    /* A language longer than its limit, a tag longer than FB_MAX_NAME. */
    {
        static char big[2 + FB_MAX_NAME + 1];
        big[0] = (char)0x81; /* varint 129 */
        big[1] = 0x01;
        memset(big + 2, 'a', FB_MAX_NAME + 1);
        s[1].data = big;
        NUM_WITH(T1(FB__LF_TAG, FB__WT_DICT), 0);
        s[1].len = 2 + FB_MAX_NAME + 1;
        build_chunk(&out, FB__LOG_CODEC_STORED, 1, T0, T0, s, 2, -1);
        expect_load(&out, FB_LOG_FIELD_TAGS, FB_ERR_CORRUPT, "tags: 129 bytes, longer than");
        NUM_WITH(T1(FB__LF_LANGUAGE, FB__WT_DICT), 0);
        build_chunk(&out, FB__LOG_CODEC_STORED, 1, T0, T0, s, 2, -1);
        expect_load(&out, FB_LOG_FIELD_TEXT, FB_ERR_CORRUPT, "language: 129 bytes");
    }
#undef NUM_WITH
    fb__strbuf_free(&out);
}

/* The stream table and the streams' bodies. */
static void test_hostile_payloads(void **state)
{
    static uint8_t num[] = {BASE, 0};
    static uint8_t noise[100000];
    stream_spec s[3];
    fb__strbuf out;
    size_t i;
    uint32_t x = 12345;
    (void)state;

    for (i = 0; i < sizeof noise; i++) {
        x = x * 1103515245u + 12345u;
        noise[i] = (uint8_t)(x >> 24);
    }
    fb__strbuf_init(&out, NULL);
    memset(s, 0, sizeof s);
    s[0].id = FB__LOG_STREAM_NUM;
    s[0].data = num;
    s[0].len = sizeof num;
    s[0].stored_len = s[0].raw_len = -1;
    s[1] = s[0];
    s[1].id = FB__LOG_STREAM_TEXT;
    s[1].data = noise;
    s[1].len = sizeof noise;
    /* (TEXT is never referenced: these chunks fail before that matters, or load only NUM.) */

    /* A stored length far beyond the payload. */
    s[0].stored_len = (int64_t)1 << 40;
    build_chunk(&out, FB__LOG_CODEC_STORED, 1, T0, T0, s, 1, -1);
    expect_load(&out, FB_LOG_FIELD_ALL, FB_ERR_CORRUPT, "beyond the payload");
    s[0].stored_len = 1000;
    build_chunk(&out, FB__LOG_CODEC_DEFLATE, 1, T0, T0, s, 1, -1);
    expect_load(&out, FB_LOG_FIELD_ALL, FB_ERR_CORRUPT, "beyond the payload");
    s[0].stored_len = -1;
    /* A raw length beyond the cap, and beyond the header's raw length. */
    s[0].raw_len = (int64_t)FB__LOG_MAX_RAW + 1;
    build_chunk(&out, FB__LOG_CODEC_DEFLATE, 1, T0, T0, s, 1, FB__LOG_MAX_RAW);
    expect_load(&out, FB_LOG_FIELD_ALL, FB_ERR_CORRUPT, "beyond the limit");
    s[0].raw_len = 1000;
    build_chunk(&out, FB__LOG_CODEC_DEFLATE, 1, T0, T0, s, 1, 999);
    expect_load(&out, FB_LOG_FIELD_ALL, FB_ERR_CORRUPT, "exceed the chunk's raw length");
    build_chunk(&out, FB__LOG_CODEC_DEFLATE, 1, T0, T0, s, 1, 1001);
    expect_load(&out, FB_LOG_FIELD_ALL, FB_ERR_CORRUPT, "sum to 1000");
    /* A tiny deflate stream claiming 64 MiB: refused before inflating. */
    s[0].raw_len = FB__LOG_MAX_RAW;
    build_chunk(&out, FB__LOG_CODEC_DEFLATE, 1, T0, T0, s, 1, -1);
    expect_load(&out, FB_LOG_FIELD_ALL, FB_ERR_CORRUPT, "cannot hold");
    /* Stored: lengths must agree. */
    s[0].raw_len = sizeof num + 1;
    build_chunk(&out, FB__LOG_CODEC_STORED, 1, T0, T0, s, 1, -1);
    expect_load(&out, FB_LOG_FIELD_ALL, FB_ERR_CORRUPT, "differs from its raw length");
    s[0].raw_len = -1;
    /* Inflating past the declared length, or short of it. */
    s[0].raw_len = sizeof num - 1;
    build_chunk(&out, FB__LOG_CODEC_DEFLATE, 1, T0, T0, s, 1, -1);
    expect_load(&out, FB_LOG_FIELD_ALL, FB_ERR_CORRUPT, "inflates past its declared");
    s[0].raw_len = sizeof num + 1;
    build_chunk(&out, FB__LOG_CODEC_DEFLATE, 1, T0, T0, s, 1, -1);
    expect_load(&out, FB_LOG_FIELD_ALL, FB_ERR_CORRUPT, "NUM stream");
    s[0].raw_len = -1;
    /* A large incompressible TEXT claiming 64 MiB: inflated without a 64 MiB buffer
     * (with zlib; libdeflate allocates the declared length, within the caps). */
    s[1].raw_len = FB__LOG_MAX_RAW - (int64_t)sizeof num;
    {
        /* Make NUM refer to TEXT so that it is inflated. */
        static uint8_t num_t[] = {BASE, T1(FB__LF_TEXT, FB__WT_TEXT), 1, 0};
        stream_spec t[2];
        t[0] = s[0];
        t[0].data = num_t;
        t[0].len = sizeof num_t;
        t[1] = s[1];
        t[1].raw_len = FB__LOG_MAX_RAW - (int64_t)sizeof num_t;
        build_chunk(&out, FB__LOG_CODEC_DEFLATE, 1, T0, T0, t, 2, -1);
        expect_load(&out, FB_LOG_FIELD_TEXT, FB_ERR_CORRUPT, "TEXT stream");
        /* Without text decoded, TEXT is not inflated, so only the TEXT position check fails. */
        expect_load(&out, FB_LOG_FIELD_ANSWERS, FB_ERR_CORRUPT, "TEXT has");
    }
    s[1].raw_len = -1;
    /* Truncated deflate streams. */
    s[0].cut = 2;
    build_chunk(&out, FB__LOG_CODEC_DEFLATE, 1, T0, T0, s, 1, -1);
    expect_load(&out, FB_LOG_FIELD_ALL, FB_ERR_CORRUPT, "NUM stream");
    s[0].cut = 0;
    /* Bodies shorter or longer than the payload. */
    {
        uint8_t junk = 0;
        stream_spec t[2];
        t[0] = s[0];
        t[1] = s[0];
        t[1].id = 9; /* unknown streams are skipped */
        t[1].data = &junk;
        t[1].len = 1;
        build_chunk(&out, FB__LOG_CODEC_STORED, 1, T0, T0, t, 2, -1);
        expect_load(&out, FB_LOG_FIELD_ALL, FB_OK, NULL);
        t[1].stored_len = 0;
        t[1].raw_len = 0;
        build_chunk(&out, FB__LOG_CODEC_STORED, 1, T0, T0, t, 2, -1);
        expect_load(&out, FB_LOG_FIELD_ALL, FB_ERR_CORRUPT, "stream bodies take");
        /* Two NUM streams; none. */
        t[1] = s[0];
        build_chunk(&out, FB__LOG_CODEC_STORED, 1, T0, T0, t, 2, -1);
        expect_load(&out, FB_LOG_FIELD_ALL, FB_ERR_CORRUPT, "two NUM streams");
        t[0].id = 7;
        build_chunk(&out, FB__LOG_CODEC_STORED, 1, T0, T0, t, 1, -1);
        expect_load(&out, FB_LOG_FIELD_ALL, FB_ERR_CORRUPT, "without a NUM");
        /* Duplicate DICT / TEXT. */
        t[0] = s[0];
        t[0].id = FB__LOG_STREAM_DICT;
        t[1] = t[0];
        build_chunk(&out, FB__LOG_CODEC_STORED, 1, T0, T0, t, 2, -1);
        expect_load(&out, FB_LOG_FIELD_ALL, FB_ERR_CORRUPT, "two DICT streams");
        t[0].id = t[1].id = FB__LOG_STREAM_TEXT;
        build_chunk(&out, FB__LOG_CODEC_STORED, 1, T0, T0, t, 2, -1);
        expect_load(&out, FB_LOG_FIELD_ALL, FB_ERR_CORRUPT, "two TEXT streams");
        /* No streams at all; 17 streams. */
        build_chunk(&out, FB__LOG_CODEC_STORED, 1, T0, T0, t, 0, -1);
        expect_load(&out, FB_LOG_FIELD_ALL, FB_ERR_CORRUPT, "0 streams");
    }
    {
        stream_spec t[17];
        for (i = 0; i < 17; i++) {
            t[i] = s[0];
            t[i].id = (uint8_t)(i ? 20 + i : FB__LOG_STREAM_NUM);
        }
        build_chunk(&out, FB__LOG_CODEC_STORED, 1, T0, T0, t, 16, -1);
        expect_load(&out, FB_LOG_FIELD_ALL, FB_OK, NULL);
        build_chunk(&out, FB__LOG_CODEC_STORED, 1, T0, T0, t, 17, -1);
        expect_load(&out, FB_LOG_FIELD_ALL, FB_ERR_CORRUPT, "17 streams");
    }
    /* An unknown codec is a version problem; an invalid deflate stream is corrupt. */
    build_chunk(&out, FB__LOG_CODEC_STORED, 1, T0, T0, s, 1, -1);
    {
        fb__chunk_header h;
        fb__chunk_dec *d = NULL;
        fb_error err;
        assert_fb_ok(fb__chunk_header_read((const uint8_t *)out.data, SYNC, &h, &err), &err);
        assert_fb_ok(fb__chunk_dec_new(NULL, &d), NULL);
        h.codec = 2;
        assert_fb_status(fb__chunk_dec_load(d, &h, (const uint8_t *)out.data + 60, 0, &err),
                         FB_ERR_VERSION, &err);
        assert_non_null(strstr(err.message, "codec 2"));
        h.codec = FB__LOG_CODEC_DEFLATE; /* stored bytes are not a deflate stream */
        assert_fb_status(fb__chunk_dec_load(d, &h, (const uint8_t *)out.data + 60, 0, &err),
                         FB_ERR_CORRUPT, &err);
        assert_int_equal(fb__chunk_dec_count(d), 0);
        fb__chunk_dec_free(d);
    }
    fb__strbuf_free(&out);
}

/*
 * Whichever deflate the library is built with (fb__deflate_backend(): zlib,
 * or libdeflate with FB_WITH_LIBDEFLATE), its streams are plain raw deflate:
 * zlib inflates what it writes, and it inflates what zlib writes, so a log
 * moves between builds. And it holds a stream to exactly its declared length.
 */
static void test_deflate_interop(void **state)
{
    const size_t n = 300000;
    uint8_t *data = malloc(n), *back = malloc(n + 1), *zbuf, *buf = NULL;
    size_t i, stored = 0, cap = 0, zcap = n + n / 10 + 64, zlen;
    fb__deflater *z = fb__deflater_new(NULL);
    fb__inflater *u = fb__inflater_new(NULL);
    fb__strbuf out;
    fb_error err;
    uint32_t x = 99;
    int level;
    (void)state;

    zbuf = malloc(zcap + 1);
    assert_non_null(data);
    assert_non_null(back);
    assert_non_null(zbuf);
    assert_non_null(z);
    assert_non_null(u);
    /* A third noise, the rest repeated words: both literals and matches. */
    for (i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        data[i] = i % 3000 < 1000 ? (uint8_t)(x >> 24) : (uint8_t)"some words repeat "[i % 18];
    }
    fb__strbuf_init(&out, NULL);
    for (level = 1; level <= 9; level += 4) {
        z_stream zs;
        fb__strbuf_reset(&out);
        assert_fb_ok(fb__deflater_compress(z, level, data, n, &out, &stored), NULL);
        assert_int_equal(out.len, stored);
        memset(&zs, 0, sizeof zs);
        assert_int_equal(inflateInit2(&zs, -15), Z_OK);
        zs.next_in = (Bytef *)out.data;
        zs.avail_in = (uInt)stored;
        zs.next_out = back;
        zs.avail_out = (uInt)(n + 1);
        assert_int_equal(inflate(&zs, Z_FINISH), Z_STREAM_END);
        assert_int_equal(zs.total_out, n);
        assert_int_equal(zs.avail_in, 0);
        inflateEnd(&zs);
        assert_memory_equal(back, data, n);
        memset(&err, 0, sizeof err);
        assert_fb_ok(fb__inflater_run(u, (const uint8_t *)out.data, stored, n, &buf, &cap, "TEST",
                                      &err),
                     &err);
        assert_memory_equal(buf, data, n);
    }

    /* zlib's raw deflate, read by the library; then lengths that do not hold. */
    zlen = deflate_raw(data, n, zbuf, zcap);
    assert_fb_ok(fb__inflater_run(u, zbuf, zlen, n, &buf, &cap, "TEST", &err), &err);
    assert_memory_equal(buf, data, n);
    assert_fb_status(fb__inflater_run(u, zbuf, zlen, n - 1, &buf, &cap, "TEST", &err),
                     FB_ERR_CORRUPT, &err);
    assert_non_null(strstr(err.message, "TEST stream inflates past its declared"));
    assert_fb_status(fb__inflater_run(u, zbuf, zlen, n + 1, &buf, &cap, "TEST", &err),
                     FB_ERR_CORRUPT, &err);
    assert_non_null(strstr(err.message, "TEST stream inflates to 300000 bytes, not the declared"));
    zbuf[zlen] = 0;
    assert_fb_status(fb__inflater_run(u, zbuf, zlen + 1, n, &buf, &cap, "TEST", &err),
                     FB_ERR_CORRUPT, &err);
    assert_non_null(strstr(err.message, "1 bytes after the end of the deflate data"));
    assert_fb_status(fb__inflater_run(u, zbuf, zlen - 1, n, &buf, &cap, "TEST", &err),
                     FB_ERR_CORRUPT, &err);
    assert_non_null(strstr(err.message, "TEST stream"));
    /* Still sound after the errors. */
    assert_fb_ok(fb__inflater_run(u, zbuf, zlen, n, &buf, &cap, "TEST", &err), &err);
    assert_memory_equal(buf, data, n);

    free(buf);
    fb__strbuf_free(&out);
    fb__deflater_free(z);
    fb__inflater_free(u);
    free(zbuf);
    free(back);
    free(data);
}

/* Every bit flipped in the payload and its CRC is caught. */
static void test_bit_flips(void **state)
{
    samples *s = malloc(sizeof *s);
    fb__strbuf out;
    fb__chunk_dec *d = NULL;
    fb__chunk_header h;
    fb_error err;
    size_t i;
    int bit;
    (void)state;

    assert_non_null(s);
    make_samples(s);
    fb__strbuf_init(&out, NULL);
    /* Small records, so that the loop stays quick. */
    encode(NULL, s->r + 2, 7, 6, &out);
    assert_fb_ok(fb__chunk_header_read((const uint8_t *)out.data, SYNC, &h, &err), &err);
    assert_fb_ok(fb__chunk_dec_new(NULL, &d), NULL);
    for (i = FB__LOG_CHUNK_HEADER; i < out.len; i++)
        for (bit = 0; bit < 8; bit++) {
            out.data[i] ^= (char)(1 << bit);
            assert_fb_status(
                fb__chunk_dec_load(d, &h, (const uint8_t *)out.data + FB__LOG_CHUNK_HEADER,
                                   FB_LOG_FIELD_ALL, &err),
                FB_ERR_CORRUPT, &err);
            assert_non_null(strstr(err.message, "payload checksum"));
            out.data[i] ^= (char)(1 << bit);
        }
    assert_fb_ok(fb__chunk_dec_load(d, &h, (const uint8_t *)out.data + FB__LOG_CHUNK_HEADER,
                                    FB_LOG_FIELD_ALL, &err),
                 &err);
    assert_int_equal(fb__chunk_dec_count(d), 7);
    fb__chunk_dec_free(d);
    fb__strbuf_free(&out);
    free(s);
}

/* Allocation failures anywhere give FB_ERR_NOMEM and leak nothing. */
static void test_allocation_failures(void **state)
{
    samples *s = malloc(sizeof *s);
    fb__strbuf good;
    long fail_at;
    int done_enc = 0, done_dec = 0;
    (void)state;

    assert_non_null(s);
    make_samples(s);
    fb__strbuf_init(&good, NULL);
    encode(NULL, s->r, N_SAMPLES, 6, &good);
    for (fail_at = 1; fail_at < 400 && !(done_enc && done_dec); fail_at++) {
        fb_test_alloc ta;
        fb__chunk_enc *e = NULL;
        fb__chunk_dec *d = NULL;
        fb__strbuf out;
        fb_status st = FB_OK;
        fb_error err;
        size_t i;

        /* Encoding. */
        fb_test_alloc_init(&ta, fail_at);
        fb__strbuf_init(&out, &ta.alloc);
        st = fb__chunk_enc_new(&ta.alloc, &e);
        for (i = 0; st == FB_OK && i < N_SAMPLES; i++) {
            st = fb__chunk_enc_add(e, &s->r[i]);
            if (st == FB_ERR_NOMEM) /* a failed add leaves the chunk as it was: retry */
                st = fb__chunk_enc_add(e, &s->r[i]);
        }
        if (st == FB_OK) {
            st = fb__chunk_enc_finish(e, SYNC, 77, 6, &out, NULL);
            if (st == FB_ERR_NOMEM)
                st = fb__chunk_enc_finish(e, SYNC, 77, 6, &out, NULL);
        }
        assert_true(st == FB_OK || st == FB_ERR_NOMEM);
        if (st == FB_OK) {
            assert_int_equal(out.len, good.len);
            assert_memory_equal(out.data, good.data, good.len);
        }
        if (ta.calls < fail_at)
            done_enc = 1;
        fb__chunk_enc_free(e);
        fb__strbuf_free(&out);

        /* Decoding. */
        fb_test_alloc_init(&ta, fail_at);
        st = fb__chunk_dec_new(&ta.alloc, &d);
        if (st == FB_OK) {
            st = load(d, (const uint8_t *)good.data, good.len, FB_LOG_FIELD_ALL, &err);
            assert_true(st == FB_OK || st == FB_ERR_NOMEM);
            if (st == FB_ERR_NOMEM) {
                assert_int_equal(fb__chunk_dec_count(d), 0);
                st = load(d, (const uint8_t *)good.data, good.len, FB_LOG_FIELD_ALL, &err);
                assert_fb_ok(st, &err);
            }
            for (i = 0; i < N_SAMPLES; i++)
                expect_equal(&s->r[i], fb__chunk_dec_record(d, (uint32_t)i), i);
        }
        if (ta.calls < fail_at)
            done_dec = 1;
        fb__chunk_dec_free(d);
    }
    assert_true(done_enc && done_dec);
    fb__strbuf_free(&good);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_varint_edges),
        cmocka_unit_test(test_varint_malformed),
        cmocka_unit_test(test_zigzag),
        cmocka_unit_test(test_little_endian),
        cmocka_unit_test(test_header_round_trip),
        cmocka_unit_test(test_header_rejections),
        cmocka_unit_test(test_round_trip_level0),
        cmocka_unit_test(test_round_trip_level1),
        cmocka_unit_test(test_round_trip_level6),
        cmocka_unit_test(test_reuse_across_chunks),
        cmocka_unit_test(test_projections),
        cmocka_unit_test(test_unknown_fields_skipped),
        cmocka_unit_test(test_num_corruption),
        cmocka_unit_test(test_string_corruption),
        cmocka_unit_test(test_hostile_payloads),
        cmocka_unit_test(test_deflate_interop),
        cmocka_unit_test(test_bit_flips),
        cmocka_unit_test(test_allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
