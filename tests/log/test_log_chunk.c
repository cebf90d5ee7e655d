/*
 * The chunk codec through its own round trips: varints and little-endian
 * integers, the chunk header, and records through fb__chunk_enc /
 * fb__chunk_dec (round trips at every level, reuse across chunks,
 * projections and the streams they fetch, a payload read through a callback,
 * what the encoder writes, deflate interop, bit flips, allocation failures).
 * The decoder's damage rules, on hand-made chunks: test_log_columns.c.
 */
#include <math.h>
#include <stdlib.h>
#include <zlib.h>

#include "deflate_backend.h"
#include "log_chunk_test.h"
#include "strbuf.h"
#include "varint.h"

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
    h.reserved = 0xA5; /* written as given; its meaning, if any, is a later version's */
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
    assert_int_equal(p[17], 0xA5);
    assert_int_equal(p[20], 1000 & 0xFF);
    assert_int_equal(p[21], 1000 >> 8);
    assert_true(fb__load_u32(p + 56) == (uint32_t)crc32(0, p, 56));
    assert_fb_ok(fb__chunk_header_read(p, SYNC, &g, &err), &err);
    assert_int_equal(g.type, h.type);
    assert_int_equal(g.reserved, h.reserved);
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
            a[i].scale_max = 1e16;
            a[i].score = 9007199254740992.0; /* 2^53: the largest whole number in a varint */
            break;
        case 2:
            a[i].scale_min = 0;
            a[i].scale_max = 1e16;
            a[i].score = 9007199254740994.0; /* 2^53 + 2: beyond it, a double */
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

/* ================================================================ payloads, read by the test */

/* A stream of a data chunk's table, as this file reads it (FORMAT.md), apart from the decoder. */
typedef struct tstream {
    uint8_t id, codec;
    size_t off;       /* of its body in the payload */
    uint64_t stored, raw;
    uint32_t crc;
} tstream;

typedef struct ttable {
    size_t n;
    size_t end;       /* where the table ends, its CRC included, and the bodies start */
    uint64_t present; /* BIT(id) of each stream id below 64 */
    tstream s[FB__LOG_MAX_STREAMS];
} ttable;

/*
 * Reads the table of the data chunk at p (len bytes, header included) into
 * *t, and checks what FORMAT.md promises of it whichever checksums a reader
 * uses: the payload CRC over all of it, the table CRC, each stream's CRC, a
 * stored body's lengths equal, no id twice, the stored lengths adding up to
 * the payload and the raw ones to the header's R.
 */
static void read_table(const uint8_t *p, size_t len, ttable *t)
{
    const uint8_t *pay = p + FB__LOG_CHUNK_HEADER;
    fb__chunk_header h;
    uint64_t n, stored_sum = 0, raw_sum = 0;
    uint8_t seen[256];
    size_t pos = 0, off, i;

    memset(t, 0, sizeof *t);
    memset(seen, 0, sizeof seen);
    assert_fb_ok(fb__chunk_header_read(p, SYNC, &h, NULL), NULL);
    assert_int_equal(len, FB__LOG_CHUNK_OVERHEAD + h.payload_len);
    assert_true(fb__load_u32(pay + h.payload_len) ==
                (uint32_t)crc32(0L, pay, (uInt)h.payload_len));
    assert_int_equal(fb__get_varint(pay, h.payload_len, &pos, &n), 0);
    assert_true(n >= 1 && n <= FB__LOG_MAX_STREAMS);
    t->n = (size_t)n;
    for (i = 0; i < t->n; i++) {
        tstream *s = &t->s[i];
        assert_int_equal(fb__get_u8(pay, h.payload_len, &pos, &s->id), 0);
        assert_int_equal(fb__get_u8(pay, h.payload_len, &pos, &s->codec), 0);
        assert_int_equal(fb__get_varint(pay, h.payload_len, &pos, &s->stored), 0);
        assert_int_equal(fb__get_varint(pay, h.payload_len, &pos, &s->raw), 0);
        assert_int_equal(fb__get_le32(pay, h.payload_len, &pos, &s->crc), 0);
        assert_int_equal(seen[s->id]++, 0);
        if (s->codec == FB__LOG_CODEC_STORED)
            assert_true(s->stored == s->raw);
        if (s->id < 64)
            t->present |= BIT(s->id);
        stored_sum += s->stored;
        raw_sum += s->raw;
    }
    assert_true(pos + 4 <= h.payload_len);
    assert_true(fb__load_u32(pay + pos) == (uint32_t)crc32(0L, pay, (uInt)pos));
    t->end = pos + 4;
    assert_true(stored_sum == h.payload_len - t->end);
    assert_true(raw_sum == h.raw_len);
    for (off = t->end, i = 0; i < t->n; i++) {
        t->s[i].off = off;
        assert_true(t->s[i].crc == (uint32_t)crc32(0L, pay + off, (uInt)t->s[i].stored));
        off += (size_t)t->s[i].stored;
    }
}

/* Stream id of t, or NULL. */
static const tstream *table_find(const ttable *t, unsigned id)
{
    size_t i;
    for (i = 0; i < t->n; i++)
        if (t->s[i].id == id)
            return &t->s[i];
    return NULL;
}

/* Expects stream id of the stored chunk at p (table t) to hold exactly the len bytes at want. */
static void expect_body(const uint8_t *p, const ttable *t, unsigned id, const void *want,
                        size_t len)
{
    const tstream *s = table_find(t, id);
    if (!s)
        fail_msg("no stream %u", id);
    assert_int_equal(s->codec, FB__LOG_CODEC_STORED);
    assert_int_equal(s->raw, len);
    assert_memory_equal(p + FB__LOG_CHUNK_HEADER + s->off, want, len);
}

/* ================================================================ records, continued */

/*
 * Encodes n records into one chunk appended to out, checks its checksums and
 * sums, and gives its stream table in *table (when not NULL).
 */
static void encode(const fb_allocator *alloc, const fb_record *r, size_t n, int level,
                   fb__strbuf *out, ttable *table)
{
    fb__chunk_enc *e = NULL;
    fb__chunk_header written, read;
    size_t i, start = out->len;
    ttable t;

    assert_fb_ok(fb__chunk_enc_new(alloc, &e), NULL);
    for (i = 0; i < n; i++)
        assert_fb_ok(fb__chunk_enc_add(e, &r[i]), NULL);
    assert_int_equal(fb__chunk_enc_count(e), n);
    assert_fb_ok(fb__chunk_enc_finish(e, SYNC, 77, level, out, &written), NULL);
    assert_int_equal(fb__chunk_enc_count(e), 0);
    /* The header handed back is the one in the bytes. */
    assert_fb_ok(fb__chunk_header_read((const uint8_t *)out->data + start, SYNC, &read, NULL), NULL);
    assert_memory_equal(&written, &read, sizeof read);
    assert_int_equal(out->data[start + 17], 0); /* the reserved byte */
    read_table((const uint8_t *)out->data + start, out->len - start, &t);
    assert_true(t.present & BIT(FB__COL_CREATED)); /* always, even when every time is the min */
    if (table)
        *table = t;
    fb__chunk_enc_free(e);
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
    ttable t;
    size_t i, deflated = 0;

    assert_non_null(s);
    make_samples(s);
    for (i = 0; i < N_SAMPLES; i++)
        assert_fb_ok(fb_record_validate(&s->r[i], &err), &err);
    fb_test_alloc_init(&ta, 0);
    fb__strbuf_init(&out, &ta.alloc);
    encode(&ta.alloc, s->r, N_SAMPLES, level, &out, &t);

    assert_fb_ok(fb__chunk_header_read((const uint8_t *)out.data, SYNC, &h, &err), &err);
    assert_int_equal(h.type, FB__LOG_CHUNK_DATA);
    assert_int_equal(h.count, N_SAMPLES);
    /* Level 0 stores every stream; others deflate a stream only when that makes it smaller. */
    for (i = 0; i < t.n; i++) {
        if (t.s[i].codec == FB__LOG_CODEC_DEFLATE) {
            assert_true(level > 0);
            assert_true(t.s[i].stored < t.s[i].raw);
            deflated++;
        } else {
            assert_int_equal(t.s[i].codec, FB__LOG_CODEC_STORED);
        }
    }
    if (level)
        assert_true(deflated > 0); /* the text, at least */
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
        expect_equal(&s->r[i], dec_record(d, (uint32_t)i), i);
    assert_null(dec_record(d, N_SAMPLES));
    {
        const fb_record *g = dec_record(d, 1);
        /* Bits, not only ==: 2^53 and 2^53 + 2 exact, -0.0 still negative. */
        assert_true(g->answers[8].score == 9007199254740994.0);
        assert_true(g->answers[13].score == 9007199254740992.0);
        assert_true(g->answers[12].score == -1.5);
        assert_int_equal(g->n_tags, FB_MAX_TAGS);
        assert_int_equal(g->n_attrs, FB_MAX_ATTRS);
        assert_true(signbit(g->answers[10].score) != 0);
    }
    /* A second load into the same decoder (buffers reused). */
    assert_fb_ok(load(d, (const uint8_t *)out.data, out.len, FB_LOG_FIELD_ALL, &err), &err);
    for (i = 0; i < N_SAMPLES; i++)
        expect_equal(&s->r[i], dec_record(d, (uint32_t)i), i);

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
            expect_equal(&r[i], dec_record(d, (uint32_t)i), i);
    }
    fb__chunk_enc_free(e);
    fb__chunk_dec_free(d);
    fb__strbuf_free(&out);
}

/* ================================================================ projections */

/*
 * The columns a projection decodes (FORMAT.md "Columns", log.h's field
 * groups), created_at always; written out here rather than taken from
 * log_columns.c, so that the test checks the decoder against the spec.
 */
static uint64_t columns_of(uint32_t f)
{
    uint64_t c = BIT(FB__COL_CREATED);
    if (f & (FB_LOG_FIELD_ID | FB_LOG_FIELD_UPDATE))
        c |= BIT(FB__COL_ID); /* ref_id is relative to the id */
    if (f & FB_LOG_FIELD_KIND)
        c |= BIT(FB__COL_KIND);
    if (f & FB_LOG_FIELD_INTERACTION_AT)
        c |= BIT(FB__COL_INTERACTION);
    if (f & FB_LOG_FIELD_CUSTOMER)
        c |= BIT(FB__COL_CUSTOMER_ID) | BIT(FB__COL_CUSTOMER_STATUS) | BIT(FB__COL_CUSTOMER_FLAGS);
    if (f & FB_LOG_FIELD_CHANNEL)
        c |= BIT(FB__COL_CHANNEL) | BIT(FB__COL_SOURCE);
    if (f & FB_LOG_FIELD_ANSWERS)
        c |= BIT(FB__COL_ANSWER_COUNT) | BIT(FB__COL_ANSWER_METRIC) | BIT(FB__COL_ANSWER_SCORE) |
             BIT(FB__COL_ANSWER_NAME) | BIT(FB__COL_ANSWER_SCALE_MIN) |
             BIT(FB__COL_ANSWER_SCALE_MAX);
    if (f & FB_LOG_FIELD_TEXT)
        c |= BIT(FB__COL_TEXT) | BIT(FB__COL_LANGUAGE);
    if (f & FB_LOG_FIELD_TAGS)
        c |= BIT(FB__COL_TAG_COUNT) | BIT(FB__COL_TAG);
    if (f & FB_LOG_FIELD_SERVICE)
        c |= BIT(FB__COL_AGENT_ID) | BIT(FB__COL_TICKET_ID) | BIT(FB__COL_PRODUCT) |
             BIT(FB__COL_COUNTRY);
    if (f & FB_LOG_FIELD_TIP)
        c |= BIT(FB__COL_TIP) | BIT(FB__COL_TIP_CURRENCY);
    if (f & FB_LOG_FIELD_ATTRS)
        c |= BIT(FB__COL_ATTR_COUNT) | BIT(FB__COL_ATTR_KEY) | BIT(FB__COL_ATTR_VALUE);
    if (f & FB_LOG_FIELD_UPDATE)
        c |= BIT(FB__COL_REF_ID) | BIT(FB__COL_HANDLING) | BIT(FB__COL_ASSIGNEE) |
             BIT(FB__COL_ASSIGNEE_KIND);
    return c;
}

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
    ttable t;
    int level, bit;
    size_t i;
    (void)state;

    assert_non_null(s);
    make_samples(s);
    for (level = 0; level <= 6; level += 6) {
        fb__strbuf_init(&out, NULL);
        encode(NULL, s->r, N_SAMPLES, level, &out, &t);
        assert_fb_ok(fb__chunk_dec_new(NULL, &d), NULL);
        for (bit = 0; bit < 13; bit++) {
            uint32_t f = 1u << bit;
            assert_fb_ok(load(d, (const uint8_t *)out.data, out.len, f, &err), &err);
            for (i = 0; i < N_SAMPLES; i++)
                expect_projection(&s->r[i], dec_record(d, (uint32_t)i),
                                  f | FB_LOG_FIELD_CREATED_AT);
            /* Exactly the projection's columns the chunk has, and DICT when they use it. */
            if ((fb__chunk_dec_fetched_streams(d) & ~BIT(FB__COL_DICT)) !=
                (t.present & columns_of(f)))
                fail_msg("projection 0x%x fetched streams 0x%llx", (unsigned)f,
                         (unsigned long long)fb__chunk_dec_fetched_streams(d));
        }
        /* Times only: neither DICT nor any other column. */
        assert_fb_ok(load(d, (const uint8_t *)out.data, out.len, FB_LOG_FIELD_CREATED_AT, &err),
                     &err);
        assert_true(fb__chunk_dec_fetched_streams(d) == BIT(FB__COL_CREATED));
        /* Text: its two columns, and DICT for the languages. */
        assert_fb_ok(load(d, (const uint8_t *)out.data, out.len, FB_LOG_FIELD_TEXT, &err), &err);
        assert_true(fb__chunk_dec_fetched_streams(d) ==
                    (BIT(FB__COL_CREATED) | BIT(FB__COL_TEXT) | BIT(FB__COL_LANGUAGE) |
                     BIT(FB__COL_DICT)));
        /* Everything: every stream of the chunk. */
        assert_fb_ok(load(d, (const uint8_t *)out.data, out.len, FB_LOG_FIELD_ALL, &err), &err);
        assert_true(fb__chunk_dec_fetched_streams(d) == t.present);
        fb__chunk_dec_free(d);
        fb__strbuf_free(&out);
    }

    /* Only a built-in answer: a metrics scan touches three columns, not DICT. */
    fb__strbuf_init(&out, NULL);
    encode(NULL, s->r, 1, 6, &out, NULL);
    assert_fb_ok(fb__chunk_dec_new(NULL, &d), NULL);
    assert_fb_ok(load(d, (const uint8_t *)out.data, out.len, FB_LOG_FIELD_ANSWERS, &err), &err);
    assert_true(fb__chunk_dec_fetched_streams(d) ==
                (BIT(FB__COL_CREATED) | BIT(FB__COL_ANSWER_COUNT) | BIT(FB__COL_ANSWER_SCORE)));
    assert_true(dec_record(d, 0)->answers[0].score == 9);
    fb__chunk_dec_free(d);
    fb__strbuf_free(&out);
    free(s);
}

/*
 * The metrics scan (channel and answers) fetches only created_at, channel,
 * source and the answer columns (DICT for custom names): a text column that
 * fails its CRC does not stop it, though a full read finds the damage.
 */
static void test_projection_streams(void **state)
{
    const uint32_t f = FB_LOG_FIELD_CHANNEL | FB_LOG_FIELD_ANSWERS;
    const uint64_t want = BIT(FB__COL_CREATED) | BIT(FB__COL_CHANNEL) | BIT(FB__COL_SOURCE) |
                          BIT(FB__COL_ANSWER_COUNT) | BIT(FB__COL_ANSWER_METRIC) |
                          BIT(FB__COL_ANSWER_SCORE) | BIT(FB__COL_ANSWER_NAME) |
                          BIT(FB__COL_ANSWER_SCALE_MIN) | BIT(FB__COL_ANSWER_SCALE_MAX) |
                          BIT(FB__COL_DICT);
    samples *s = malloc(sizeof *s);
    fb__chunk_dec *d = NULL;
    fb__strbuf out;
    fb_error err;
    ttable t;
    const tstream *text;
    int level;
    size_t i;
    (void)state;

    assert_non_null(s);
    make_samples(s);
    assert_fb_ok(fb__chunk_dec_new(NULL, &d), NULL);
    for (level = 0; level <= 6; level += 6) {
        fb__strbuf_init(&out, NULL);
        encode(NULL, s->r, N_SAMPLES, level, &out, &t);
        assert_true((t.present & want) == want); /* the samples use every one */
        assert_fb_ok(load(d, (const uint8_t *)out.data, out.len, f, &err), &err);
        assert_true(fb__chunk_dec_fetched_streams(d) == want);

        /* One bit of the text column's body flipped. */
        text = table_find(&t, FB__COL_TEXT);
        assert_non_null(text);
        out.data[FB__LOG_CHUNK_HEADER + text->off + text->stored / 2] ^= 0x10;
        assert_fb_ok(load(d, (const uint8_t *)out.data, out.len, f, &err), &err);
        assert_true(fb__chunk_dec_fetched_streams(d) == want);
        assert_int_equal(fb__chunk_dec_count(d), N_SAMPLES);
        for (i = 0; i < N_SAMPLES; i++)
            expect_projection(&s->r[i], dec_record(d, (uint32_t)i),
                              f | FB_LOG_FIELD_CREATED_AT);
        assert_fb_status(load(d, (const uint8_t *)out.data, out.len, FB_LOG_FIELD_ALL, &err),
                         FB_ERR_CORRUPT, &err);
        assert_non_null(strstr(err.message, "stream 12 (text) checksum mismatch"));
        assert_int_equal(fb__chunk_dec_count(d), 0);
        assert_fb_status(load(d, (const uint8_t *)out.data, out.len, FB_LOG_FIELD_TEXT, &err),
                         FB_ERR_CORRUPT, &err);
        assert_non_null(strstr(err.message, "stream 12 (text) checksum mismatch"));
        fb__strbuf_free(&out);
    }
    fb__chunk_dec_free(d);
    free(s);
}

/* ================================================================ fetching through read */

/* A payload served through fb__payload_src.read, noting which bytes the decoder asked for. */
typedef struct payload_reader {
    const uint8_t *payload;
    uint32_t len;
    uint8_t *asked;  /* one flag per payload byte */
    int calls, fail_at;
} payload_reader;

static fb_status read_payload(void *ctx, uint32_t off, void *buf, size_t n, fb_error *err)
{
    payload_reader *r = ctx;

    if (++r->calls == r->fail_at) {
        if (err) {
            memset(err, 0, sizeof *err);
            err->code = FB_ERR_IO;
            snprintf(err->message, sizeof err->message, "test: read %d fails", r->calls);
        }
        return FB_ERR_IO;
    }
    /* Never beyond the payload: the header's lengths are all the decoder knows of the file. */
    assert_true(off <= r->len && n <= r->len - off);
    memcpy(buf, r->payload + off, n);
    memset(r->asked + off, 1, n);
    return FB_OK;
}

static fb_status load_read(fb__chunk_dec *d, const fb__strbuf *out, payload_reader *r,
                           uint32_t fields, fb_error *err)
{
    fb__chunk_header h;
    fb__payload_src src;

    assert_fb_ok(fb__chunk_header_read((const uint8_t *)out->data, SYNC, &h, NULL), NULL);
    r->payload = (const uint8_t *)out->data + FB__LOG_CHUNK_HEADER;
    r->len = h.payload_len;
    r->calls = 0;
    memset(r->asked, 0, h.payload_len);
    memset(&src, 0, sizeof src);
    src.read = read_payload;
    src.ctx = r;
    return fb__chunk_dec_load(d, &h, &src, fields, err);
}

/*
 * A decoder reading through a callback (as from a file) gets the same
 * records, asks only for the stream table and the streams it decodes, and
 * passes read errors on.
 */
static void test_payload_read(void **state)
{
    const uint32_t f = FB_LOG_FIELD_CHANNEL | FB_LOG_FIELD_ANSWERS;
    samples *s = malloc(sizeof *s);
    fb__chunk_dec *d = NULL;
    payload_reader r;
    fb__strbuf out;
    fb_error err;
    ttable t;
    size_t i, k, beyond_table;
    int level;
    (void)state;

    assert_non_null(s);
    make_samples(s);
    memset(&r, 0, sizeof r);
    assert_fb_ok(fb__chunk_dec_new(NULL, &d), NULL);
    for (level = 0; level <= 6; level += 6) {
        fb__strbuf_init(&out, NULL);
        encode(NULL, s->r, N_SAMPLES, level, &out, &t);
        r.asked = malloc(out.len);
        assert_non_null(r.asked);

        assert_fb_ok(load_read(d, &out, &r, FB_LOG_FIELD_ALL, &err), &err);
        assert_int_equal(fb__chunk_dec_count(d), N_SAMPLES);
        for (i = 0; i < N_SAMPLES; i++)
            expect_equal(&s->r[i], dec_record(d, (uint32_t)i), i);

        /* The metrics scan: beyond the bytes that may hold the table, only its streams' bodies. */
        assert_fb_ok(load_read(d, &out, &r, f, &err), &err);
        for (i = 0; i < N_SAMPLES; i++)
            expect_projection(&s->r[i], dec_record(d, (uint32_t)i),
                              f | FB_LOG_FIELD_CREATED_AT);
        beyond_table = 0;
        for (k = 0; k < t.n; k++) {
            const tstream *ts = &t.s[k];
            bool used = ts->id < 64 && ((columns_of(f) | BIT(FB__COL_DICT)) & BIT(ts->id));
            for (i = ts->off; i < ts->off + ts->stored; i++) {
                if (i < FB__LOG_TABLE_MAX + 4)
                    continue;
                beyond_table++;
                if (r.asked[i] != used)
                    fail_msg("level %d: byte %lu of stream %u %s", level, (unsigned long)i,
                             (unsigned)ts->id, used ? "not read" : "read");
            }
        }
        if (level == 0)
            assert_true(beyond_table > 0); /* the stored text, at least, lies beyond */

        /* Read errors pass through, as FB_ERR_IO with their message; the decoder stays usable. */
        r.fail_at = 1;
        assert_fb_status(load_read(d, &out, &r, f, &err), FB_ERR_IO, &err);
        assert_non_null(strstr(err.message, "test: read 1 fails"));
        assert_int_equal(fb__chunk_dec_count(d), 0);
        r.fail_at = 3;
        assert_fb_status(load_read(d, &out, &r, f, &err), FB_ERR_IO, &err);
        assert_int_equal(fb__chunk_dec_count(d), 0);
        r.fail_at = 0;
        assert_fb_ok(load_read(d, &out, &r, FB_LOG_FIELD_ALL, &err), &err);
        for (i = 0; i < N_SAMPLES; i++)
            expect_equal(&s->r[i], dec_record(d, (uint32_t)i), i);
        free(r.asked);
        fb__strbuf_free(&out);
    }
    fb__chunk_dec_free(d);
    free(s);
}

/* ================================================================ what the encoder writes */

/*
 * A string in DICT entry 0 is u = 0 in its column: the byte a varint column
 * holds for its default, though not a string column's (u = 1). A record whose
 * only value beyond created_at is such a string keeps its column (a bug of
 * that kind was fixed), and padding around it is the string default.
 */
static void test_dict_entry_zero(void **state)
{
    static const struct {
        unsigned id;
        uint32_t field;
    } cols[] = {{FB__COL_LANGUAGE, FB_LOG_FIELD_TEXT},
                {FB__COL_AGENT_ID, FB_LOG_FIELD_SERVICE},
                {FB__COL_PRODUCT, FB_LOG_FIELD_SERVICE},
                {FB__COL_COUNTRY, FB_LOG_FIELD_SERVICE},
                {FB__COL_TIP_CURRENCY, FB_LOG_FIELD_TIP}};
    static const uint8_t entry0[] = {0}, middle[] = {1, 0, 1};
    fb__chunk_dec *d = NULL;
    fb_record r[3], *x;
    fb_str tag = fb_str_from_cstr("x");
    fb__strbuf out;
    fb_error err;
    ttable t;
    size_t k, i, n;
    (void)state;

    assert_fb_ok(fb__chunk_dec_new(NULL, &d), NULL);
    fb__strbuf_init(&out, NULL);
    for (k = 0; k < sizeof cols / sizeof cols[0]; k++)
        for (n = 1; n <= 3; n += 2) {
            /* One record holding the string, or three with it in the middle one. */
            for (i = 0; i < n; i++) {
                fb_record_init(&r[i]);
                r[i].created_at = T0 + (int64_t)i;
            }
            x = &r[n / 2];
            switch (cols[k].id) {
            case FB__COL_LANGUAGE: x->language = fb_str_from_cstr("en"); break;
            case FB__COL_AGENT_ID: x->agent_id = fb_str_from_cstr("agent-1"); break;
            case FB__COL_PRODUCT: x->product = fb_str_from_cstr("p"); break;
            case FB__COL_COUNTRY: strcpy(x->country, "DE"); break;
            default: strcpy(x->tip_currency, "EUR"); break;
            }
            fb__strbuf_reset(&out);
            encode(NULL, r, n, 0, &out, &t);
            assert_true(t.present == (BIT(FB__COL_CREATED) | BIT(FB__COL_DICT) | BIT(cols[k].id)));
            if (n == 1)
                expect_body((const uint8_t *)out.data, &t, cols[k].id, entry0, 1);
            else
                expect_body((const uint8_t *)out.data, &t, cols[k].id, middle, 3);
            assert_fb_ok(load(d, (const uint8_t *)out.data, out.len, cols[k].field, &err), &err);
            for (i = 0; i < n; i++)
                expect_projection(&r[i], dec_record(d, (uint32_t)i),
                                  cols[k].field | FB_LOG_FIELD_CREATED_AT);
        }

    /* Per-tag columns the same: one tag, DICT entry 0. */
    fb_record_init(&r[0]);
    r[0].created_at = T0;
    r[0].tags = &tag;
    r[0].n_tags = 1;
    fb__strbuf_reset(&out);
    encode(NULL, r, 1, 0, &out, &t);
    assert_true(t.present == (BIT(FB__COL_CREATED) | BIT(FB__COL_DICT) | BIT(FB__COL_TAG_COUNT) |
                              BIT(FB__COL_TAG)));
    expect_body((const uint8_t *)out.data, &t, FB__COL_TAG, entry0, 1);
    assert_fb_ok(load(d, (const uint8_t *)out.data, out.len, FB_LOG_FIELD_TAGS, &err), &err);
    expect_projection(&r[0], dec_record(d, 0), FB_LOG_FIELD_TAGS);

    /* And a sound record through every field: a text, and a language in entry 0. */
    r[0].n_tags = 0;
    r[0].text = fb_str_from_cstr("t");
    r[0].language = fb_str_from_cstr("en");
    fb__strbuf_reset(&out);
    encode(NULL, r, 1, 6, &out, NULL);
    assert_fb_ok(load(d, (const uint8_t *)out.data, out.len, FB_LOG_FIELD_ALL, &err), &err);
    expect_equal(&r[0], dec_record(d, 0), 0);
    assert_int_equal(dec_record(d, 0)->language.len, 2);
    fb__strbuf_free(&out);
    fb__chunk_dec_free(d);
}

/*
 * A column whose values are all the default is left out of the table; one
 * that holds a value anywhere holds every position, padded with defaults.
 */
static void test_default_columns_left_out(void **state)
{
    /* Per record: created_at all T0; a text each; channel email on record 2 only. */
    static const uint8_t created[] = {0, 0, 0, 0}, channel[] = {0, 0, FB_CHANNEL_EMAIL, 0};
    static const uint8_t text[] = {3, 'a', 3, 'b', 3, 'c', 3, 'd'};
    /* Record 1's answers: an NPS of 0 (every value the default) and a CSAT 4. */
    static const uint8_t n_answers[] = {0, 2, 0, 0}, metric[] = {FB_METRIC_NPS, FB_METRIC_CSAT};
    static const uint8_t score[] = {0, NUM(4)};
    /* The plain response: id 1001, NPS 9. */
    static const uint8_t id1001[] = {0xD2, 0x0F}, one[] = {1}, nine[] = {NUM(9)};
    samples *s = malloc(sizeof *s);
    fb__chunk_dec *d = NULL;
    fb_record r[4];
    fb_answer a[2];
    fb__strbuf out;
    fb_error err;
    ttable t;
    size_t i;
    (void)state;

    assert_non_null(s);
    make_samples(s);
    fb__strbuf_init(&out, NULL);
    assert_fb_ok(fb__chunk_dec_new(NULL, &d), NULL);

    encode(NULL, s->r, 1, 0, &out, &t);
    assert_true(t.present == (BIT(FB__COL_ID) | BIT(FB__COL_CREATED) | BIT(FB__COL_ANSWER_COUNT) |
                              BIT(FB__COL_ANSWER_SCORE)));
    expect_body((const uint8_t *)out.data, &t, FB__COL_ID, id1001, 2);
    expect_body((const uint8_t *)out.data, &t, FB__COL_CREATED, base_zeros, 1);
    expect_body((const uint8_t *)out.data, &t, FB__COL_ANSWER_COUNT, one, 1);
    expect_body((const uint8_t *)out.data, &t, FB__COL_ANSWER_SCORE, nine, 1);

    memset(a, 0, sizeof a);
    a[0].metric = FB_METRIC_NPS;
    a[1].metric = FB_METRIC_CSAT;
    a[1].score = 4;
    for (i = 0; i < 4; i++) {
        fb_record_init(&r[i]);
        r[i].created_at = T0;
        r[i].text = str_n((const char *)text + 2 * i + 1, 1);
    }
    r[2].channel = FB_CHANNEL_EMAIL;
    r[1].answers = a;
    r[1].n_answers = 2;
    fb__strbuf_reset(&out);
    encode(NULL, r, 4, 0, &out, &t);
    assert_true(t.present == (BIT(FB__COL_CREATED) | BIT(FB__COL_CHANNEL) | BIT(FB__COL_TEXT) |
                              BIT(FB__COL_ANSWER_COUNT) | BIT(FB__COL_ANSWER_METRIC) |
                              BIT(FB__COL_ANSWER_SCORE)));
    expect_body((const uint8_t *)out.data, &t, FB__COL_CREATED, created, sizeof created);
    expect_body((const uint8_t *)out.data, &t, FB__COL_CHANNEL, channel, sizeof channel);
    expect_body((const uint8_t *)out.data, &t, FB__COL_TEXT, text, sizeof text);
    expect_body((const uint8_t *)out.data, &t, FB__COL_ANSWER_COUNT, n_answers, sizeof n_answers);
    expect_body((const uint8_t *)out.data, &t, FB__COL_ANSWER_METRIC, metric, sizeof metric);
    expect_body((const uint8_t *)out.data, &t, FB__COL_ANSWER_SCORE, score, sizeof score);
    assert_fb_ok(load(d, (const uint8_t *)out.data, out.len, FB_LOG_FIELD_ALL, &err), &err);
    for (i = 0; i < 4; i++)
        expect_equal(&r[i], dec_record(d, (uint32_t)i), i);
    fb__chunk_dec_free(d);
    fb__strbuf_free(&out);
    free(s);
}

/*
 * FORMAT.md: writers write a whole number of magnitude at most 2^53, other
 * than -0, in the even form, and any other number as a double.
 */
static void test_number_forms(void **state)
{
    static const double scores[] = {9007199254740992.0, 9007199254740994.0, 0.5, -7.0};
    static const char names[][2] = {"a", "b", "c", "d"};
    fb__chunk_dec *d = NULL;
    fb_answer a[4];
    fb_record r;
    fb__strbuf out;
    fb_error err;
    ttable t;
    uint8_t want[64];
    size_t n = 0, i;
    (void)state;

    fb__strbuf_init(&out, NULL);
    assert_fb_ok(fb__chunk_dec_new(NULL, &d), NULL);
    memset(a, 0, sizeof a);
    for (i = 0; i < 4; i++) {
        a[i].metric = FB_METRIC_CUSTOM;
        a[i].name = fb_str_from_cstr(names[i]);
        a[i].scale_min = -1e300;
        a[i].scale_max = 1e300;
        a[i].score = scores[i];
    }
    fb_record_init(&r);
    r.created_at = T0;
    r.answers = a;
    r.n_answers = 4;
    encode(NULL, &r, 1, 0, &out, &t);
    n += fb__varint_write(want + n, fb__zigzag_encode((int64_t)1 << 53) << 1);
    want[n++] = FB__NUM_DOUBLE;
    fb__store_double(want + n, scores[1]);
    n += 8;
    want[n++] = FB__NUM_DOUBLE;
    fb__store_double(want + n, 0.5);
    n += 8;
    want[n++] = NUM(-7);
    expect_body((const uint8_t *)out.data, &t, FB__COL_ANSWER_SCORE, want, n);
    /* 1e300 is whole but beyond 2^53: a double, in each custom answer's scale. */
    for (n = i = 0; i < 4; i++) {
        want[n++] = FB__NUM_DOUBLE;
        fb__store_double(want + n, 1e300);
        n += 8;
    }
    expect_body((const uint8_t *)out.data, &t, FB__COL_ANSWER_SCALE_MAX, want, n);
    assert_fb_ok(load(d, (const uint8_t *)out.data, out.len, FB_LOG_FIELD_ALL, &err), &err);
    expect_equal(&r, dec_record(d, 0), 0);

    /* -0 as a double: it is no default. */
    a[0].score = -0.0;
    r.n_answers = 1;
    fb__strbuf_reset(&out);
    encode(NULL, &r, 1, 0, &out, &t);
    want[0] = FB__NUM_DOUBLE;
    fb__store_double(want + 1, -0.0);
    expect_body((const uint8_t *)out.data, &t, FB__COL_ANSWER_SCORE, want, 9);
    assert_fb_ok(load(d, (const uint8_t *)out.data, out.len, FB_LOG_FIELD_ALL, &err), &err);
    assert_true(signbit(dec_record(d, 0)->answers[0].score) != 0);
    fb__chunk_dec_free(d);
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

/*
 * Every bit flipped in a payload is caught by a reader that uses the byte:
 * in the stream table, by the table's CRC (or its parse); in a stream, by the
 * stream's CRC. A reader of times alone uses only the table and created_at.
 * The payload CRC after the payload is for readers that check it whole: the
 * decoder never reads it.
 */
static void test_bit_flips(void **state)
{
    samples *s = malloc(sizeof *s);
    fb__strbuf out;
    fb__chunk_dec *d = NULL;
    fb__chunk_header h;
    fb__payload_src src;
    const tstream *created;
    fb_error err;
    ttable t;
    size_t i;
    int bit;
    (void)state;

    assert_non_null(s);
    make_samples(s);
    fb__strbuf_init(&out, NULL);
    /* Small records, so that the loop stays quick. */
    encode(NULL, s->r + 2, 7, 6, &out, &t);
    created = table_find(&t, FB__COL_CREATED);
    assert_non_null(created);
    assert_fb_ok(fb__chunk_header_read((const uint8_t *)out.data, SYNC, &h, &err), &err);
    assert_fb_ok(fb__chunk_dec_new(NULL, &d), NULL);
    memset(&src, 0, sizeof src);
    src.mem = (const uint8_t *)out.data + FB__LOG_CHUNK_HEADER;
    for (i = 0; i < (size_t)h.payload_len + 4; i++)
        for (bit = 0; bit < 8; bit++) {
            bool used_by_times = i < t.end || (i >= created->off &&
                                               i < created->off + created->stored);
            fb_status st;
            out.data[FB__LOG_CHUNK_HEADER + i] ^= (char)(1 << bit);
            st = fb__chunk_dec_load(d, &h, &src, FB_LOG_FIELD_ALL, &err);
            if (i < h.payload_len) {
                assert_fb_status(st, FB_ERR_CORRUPT, &err);
                if (!strstr(err.message, "stream table") && !strstr(err.message, "checksum"))
                    fail_msg("bit %d of payload byte %lu: %s", bit, (unsigned long)i,
                             err.message);
                assert_int_equal(fb__chunk_dec_count(d), 0);
            } else {
                assert_fb_ok(st, &err);
                assert_int_equal(fb__chunk_dec_count(d), 7);
            }
            st = fb__chunk_dec_load(d, &h, &src, FB_LOG_FIELD_CREATED_AT, &err);
            if (used_by_times) {
                assert_fb_status(st, FB_ERR_CORRUPT, &err);
            } else {
                assert_fb_ok(st, &err);
                assert_true(dec_record(d, 6)->created_at == s->r[8].created_at);
            }
            out.data[FB__LOG_CHUNK_HEADER + i] ^= (char)(1 << bit);
        }
    assert_fb_ok(fb__chunk_dec_load(d, &h, &src, FB_LOG_FIELD_ALL, &err), &err);
    assert_int_equal(fb__chunk_dec_count(d), 7);
    for (i = 0; i < 7; i++)
        expect_equal(&s->r[2 + i], dec_record(d, (uint32_t)i), i);
    fb__chunk_dec_free(d);
    fb__strbuf_free(&out);
    free(s);
}

/*
 * Allocation failures anywhere give FB_ERR_NOMEM and leak nothing, and a
 * failed add or finish leaves the encoder's records as they were: retried,
 * it writes a sound chunk of the same records (not always the same bytes: a
 * failed add may leave DICT entries, or add them in another order). No
 * allocation is ever larger than the chunk needs (the 64 MiB cap refuses
 * even a runaway size that the system would commit lazily).
 */
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
    encode(NULL, s->r, N_SAMPLES, 6, &good, NULL);
    for (fail_at = 1; fail_at < 400 && !(done_enc && done_dec); fail_at++) {
        track_alloc ta;
        fb__chunk_enc *e = NULL;
        fb__chunk_dec *d = NULL;
        fb__strbuf out;
        fb_status st = FB_OK;
        fb_error err;
        size_t i;

        /* Encoding. */
        track_init(&ta);
        ta.t.fail_at = fail_at;
        ta.cap = (size_t)64 << 20;
        fb__strbuf_init(&out, &ta.t.alloc);
        st = fb__chunk_enc_new(&ta.t.alloc, &e);
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
        if (ta.largest > ta.cap)
            fail_msg("encoding with allocation %ld failing: a %lu-byte allocation", fail_at,
                     (unsigned long)ta.largest);
        if (st != FB_OK && st != FB_ERR_NOMEM)
            fail_msg("encoding with allocation %ld failing: %s", fail_at, fb_status_str(st));
        if (st == FB_OK) {
            fb__chunk_dec *check = NULL;
            ttable t;
            read_table((const uint8_t *)out.data, out.len, &t);
            assert_fb_ok(fb__chunk_dec_new(NULL, &check), NULL);
            assert_fb_ok(load(check, (const uint8_t *)out.data, out.len, FB_LOG_FIELD_ALL, &err),
                         &err);
            assert_int_equal(fb__chunk_dec_count(check), N_SAMPLES);
            for (i = 0; i < N_SAMPLES; i++)
                expect_equal(&s->r[i], dec_record(check, (uint32_t)i), i);
            fb__chunk_dec_free(check);
        }
        if (ta.t.calls < fail_at)
            done_enc = 1;
        fb__chunk_enc_free(e);
        fb__strbuf_free(&out);

        /* Decoding. */
        track_init(&ta);
        ta.t.fail_at = fail_at;
        ta.cap = (size_t)64 << 20;
        st = fb__chunk_dec_new(&ta.t.alloc, &d);
        if (st == FB_OK) {
            st = load(d, (const uint8_t *)good.data, good.len, FB_LOG_FIELD_ALL, &err);
            if (st != FB_OK && st != FB_ERR_NOMEM)
                fail_msg("decoding with allocation %ld failing: %s", fail_at, err.message);
            if (st == FB_ERR_NOMEM) {
                assert_int_equal(fb__chunk_dec_count(d), 0);
                st = load(d, (const uint8_t *)good.data, good.len, FB_LOG_FIELD_ALL, &err);
                assert_fb_ok(st, &err);
            }
            for (i = 0; i < N_SAMPLES; i++)
                expect_equal(&s->r[i], dec_record(d, (uint32_t)i), i);
        }
        if (ta.t.calls < fail_at)
            done_dec = 1;
        assert_true(ta.largest <= ta.cap);
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
        cmocka_unit_test(test_projection_streams),
        cmocka_unit_test(test_payload_read),
        cmocka_unit_test(test_dict_entry_zero),
        cmocka_unit_test(test_default_columns_left_out),
        cmocka_unit_test(test_number_forms),
        cmocka_unit_test(test_deflate_interop),
        cmocka_unit_test(test_bit_flips),
        cmocka_unit_test(test_allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
