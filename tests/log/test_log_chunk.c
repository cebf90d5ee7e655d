/*
 * The chunk codec: varints and little-endian integers, the chunk header, and
 * records through fb__chunk_enc / fb__chunk_dec (round trips at every level,
 * projections and the streams they fetch, unknown streams, every damage rule
 * of a data chunk's payload on hand-made chunks, hostile lengths, bit flips).
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

#define BIT(id) ((uint64_t)1 << (id))

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

/* Encodes n records into one chunk appended to out, and checks its checksums and sums. */
static void encode(const fb_allocator *alloc, const fb_record *r, size_t n, int level,
                   fb__strbuf *out)
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
    fb__chunk_enc_free(e);
}

/* Reads the header of the chunk at p and loads it from memory. */
static fb_status load(fb__chunk_dec *d, const uint8_t *p, size_t len, uint32_t fields,
                      fb_error *err)
{
    fb__chunk_header h;
    fb__payload_src src;
    fb_status st;

    assert_true(len >= FB__LOG_CHUNK_OVERHEAD);
    st = fb__chunk_header_read(p, SYNC, &h, err);
    if (st != FB_OK)
        return st;
    assert_int_equal(len, FB__LOG_CHUNK_OVERHEAD + h.payload_len);
    memset(&src, 0, sizeof src);
    src.mem = p + FB__LOG_CHUNK_HEADER;
    return fb__chunk_dec_load(d, &h, &src, fields, err);
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
    encode(&ta.alloc, s->r, N_SAMPLES, level, &out);

    assert_fb_ok(fb__chunk_header_read((const uint8_t *)out.data, SYNC, &h, &err), &err);
    assert_int_equal(h.type, FB__LOG_CHUNK_DATA);
    assert_int_equal(h.count, N_SAMPLES);
    /* Level 0 stores every stream; others deflate a stream only when that makes it smaller. */
    read_table((const uint8_t *)out.data, out.len, &t);
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
        expect_equal(&s->r[i], fb__chunk_dec_record(d, (uint32_t)i), i);
    assert_null(fb__chunk_dec_record(d, N_SAMPLES));
    {
        const fb_record *g = fb__chunk_dec_record(d, 1);
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
        encode(NULL, s->r, N_SAMPLES, level, &out);
        read_table((const uint8_t *)out.data, out.len, &t);
        assert_fb_ok(fb__chunk_dec_new(NULL, &d), NULL);
        for (bit = 0; bit < 13; bit++) {
            uint32_t f = 1u << bit;
            assert_fb_ok(load(d, (const uint8_t *)out.data, out.len, f, &err), &err);
            for (i = 0; i < N_SAMPLES; i++)
                expect_projection(&s->r[i], fb__chunk_dec_record(d, (uint32_t)i),
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
    encode(NULL, s->r, 1, 6, &out);
    assert_fb_ok(fb__chunk_dec_new(NULL, &d), NULL);
    assert_fb_ok(load(d, (const uint8_t *)out.data, out.len, FB_LOG_FIELD_ANSWERS, &err), &err);
    assert_true(fb__chunk_dec_fetched_streams(d) ==
                (BIT(FB__COL_CREATED) | BIT(FB__COL_ANSWER_COUNT) | BIT(FB__COL_ANSWER_SCORE)));
    assert_true(fb__chunk_dec_record(d, 0)->answers[0].score == 9);
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
        encode(NULL, s->r, N_SAMPLES, level, &out);
        read_table((const uint8_t *)out.data, out.len, &t);
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
            expect_projection(&s->r[i], fb__chunk_dec_record(d, (uint32_t)i),
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

static const int64_t T0 = 1795478400000LL;

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

/* A number column's u for a small whole number n: zigzag(n) * 2, as a constant. */
#define NUM(n) (uint8_t)((n) >= 0 ? 4 * (n) : -4 * (n) - 2)
#define SCORE5 NUM(5) /* 20 */

static uint8_t base_zeros[64], base_ones[64], base_scores[64];

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

/* An allocator that remembers the largest allocation asked for, and may refuse any above a cap. */
typedef struct track_alloc {
    fb_test_alloc t;
    size_t largest;
    size_t cap;      /* 0: none */
} track_alloc;

static void *track_malloc(void *ctx, size_t size)
{
    track_alloc *a = ctx;
    if (size > a->largest)
        a->largest = size;
    if (a->cap && size > a->cap)
        return NULL;
    return fb_test_malloc(&a->t, size);
}

static void *track_realloc(void *ctx, void *ptr, size_t old_size, size_t size)
{
    track_alloc *a = ctx;
    if (size > a->largest)
        a->largest = size;
    if (a->cap && size > a->cap)
        return NULL;
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
    a->cap = 0;
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
        r = fb__chunk_dec_record(d, 0);
        assert_true(r->created_at == T0 + 5);
        assert_int_equal(r->n_answers, 1);
        assert_int_equal(r->answers[0].metric, FB_METRIC_NPS);
        assert_true(r->answers[0].score == 7);
        assert_int_equal(r->text.len, 5);
        assert_memory_equal(r->text.ptr, "hello", 5);
        assert_int_equal(r->language.len, 0);
        assert_int_equal(r->n_attrs, 0);
        r = fb__chunk_dec_record(d, 1);
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
    assert_int_equal(fb__chunk_dec_record(d, 1)->n_answers, 2);
    assert_int_equal(fb__chunk_dec_record(d, 1)->answers[1].metric, FB_METRIC_RATING);
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
    assert_int_equal(fb__chunk_dec_record(d, 0)->answers[0].name.len, 0);
    assert_memory_equal(fb__chunk_dec_record(d, 0)->answers[1].name.ptr, "a", 1);
    assert_memory_equal(fb__chunk_dec_record(d, 1)->answers[0].name.ptr, "b", 1);
    assert_true(fb__chunk_dec_record(d, 1)->answers[0].scale_max == 10);
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
    r = fb__chunk_dec_record(d, 0);
    assert_true(r->customer_verified);
    assert_true(r->win_back);
    SET(&c, FB__COL_CUSTOMER_FLAGS, 0x04);
    load_spec(d, &c, FB_LOG_FIELD_CUSTOMER);
    assert_false(fb__chunk_dec_record(d, 0)->customer_verified);
    assert_false(fb__chunk_dec_record(d, 0)->win_back);

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
    assert_true(fb__chunk_dec_record(d, 0)->answers[0].skipped);
    assert_int_equal(fb__chunk_dec_record(d, 0)->answers[0].metric, FB_METRIC_CSAT);
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
    assert_true(fb__chunk_dec_record(d, 0)->answers[0].scale_min == -9007199254740992.0);
    assert_true(fb__chunk_dec_record(d, 0)->answers[0].scale_max == 9007199254740992.0);
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
    assert_true(fb__chunk_dec_record(d, 0)->interaction_at == T0 + 2);
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
    assert_int_equal(fb__chunk_dec_record(d, 0)->language.len, 2);
    assert_memory_equal(fb__chunk_dec_record(d, 0)->language.ptr, "en", 2);
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
    assert_string_equal(fb__chunk_dec_record(d, 0)->tip_currency, "RUB");
    assert_string_equal(fb__chunk_dec_record(d, 0)->country, "RU");
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
    assert_int_equal(fb__chunk_dec_record(d, 16)->channel, FB_CHANNEL_SERVICE_DESK);
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

/* ---------------------------------------------------------------- fetching through read */

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
        encode(NULL, s->r, N_SAMPLES, level, &out);
        read_table((const uint8_t *)out.data, out.len, &t);
        r.asked = malloc(out.len);
        assert_non_null(r.asked);

        assert_fb_ok(load_read(d, &out, &r, FB_LOG_FIELD_ALL, &err), &err);
        assert_int_equal(fb__chunk_dec_count(d), N_SAMPLES);
        for (i = 0; i < N_SAMPLES; i++)
            expect_equal(&s->r[i], fb__chunk_dec_record(d, (uint32_t)i), i);

        /* The metrics scan: beyond the bytes that may hold the table, only its streams' bodies. */
        assert_fb_ok(load_read(d, &out, &r, f, &err), &err);
        for (i = 0; i < N_SAMPLES; i++)
            expect_projection(&s->r[i], fb__chunk_dec_record(d, (uint32_t)i),
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
            expect_equal(&s->r[i], fb__chunk_dec_record(d, (uint32_t)i), i);
        free(r.asked);
        fb__strbuf_free(&out);
    }
    fb__chunk_dec_free(d);
    free(s);
}

/* ---------------------------------------------------------------- what the encoder writes */

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
            encode(NULL, r, n, 0, &out);
            read_table((const uint8_t *)out.data, out.len, &t);
            assert_true(t.present == (BIT(FB__COL_CREATED) | BIT(FB__COL_DICT) | BIT(cols[k].id)));
            if (n == 1)
                expect_body((const uint8_t *)out.data, &t, cols[k].id, entry0, 1);
            else
                expect_body((const uint8_t *)out.data, &t, cols[k].id, middle, 3);
            assert_fb_ok(load(d, (const uint8_t *)out.data, out.len, cols[k].field, &err), &err);
            for (i = 0; i < n; i++)
                expect_projection(&r[i], fb__chunk_dec_record(d, (uint32_t)i),
                                  cols[k].field | FB_LOG_FIELD_CREATED_AT);
        }

    /* Per-tag columns the same: one tag, DICT entry 0. */
    fb_record_init(&r[0]);
    r[0].created_at = T0;
    r[0].tags = &tag;
    r[0].n_tags = 1;
    fb__strbuf_reset(&out);
    encode(NULL, r, 1, 0, &out);
    read_table((const uint8_t *)out.data, out.len, &t);
    assert_true(t.present == (BIT(FB__COL_CREATED) | BIT(FB__COL_DICT) | BIT(FB__COL_TAG_COUNT) |
                              BIT(FB__COL_TAG)));
    expect_body((const uint8_t *)out.data, &t, FB__COL_TAG, entry0, 1);
    assert_fb_ok(load(d, (const uint8_t *)out.data, out.len, FB_LOG_FIELD_TAGS, &err), &err);
    expect_projection(&r[0], fb__chunk_dec_record(d, 0), FB_LOG_FIELD_TAGS);

    /* And a sound record through every field: a text, and a language in entry 0. */
    r[0].n_tags = 0;
    r[0].text = fb_str_from_cstr("t");
    r[0].language = fb_str_from_cstr("en");
    fb__strbuf_reset(&out);
    encode(NULL, r, 1, 6, &out);
    assert_fb_ok(load(d, (const uint8_t *)out.data, out.len, FB_LOG_FIELD_ALL, &err), &err);
    expect_equal(&r[0], fb__chunk_dec_record(d, 0), 0);
    assert_int_equal(fb__chunk_dec_record(d, 0)->language.len, 2);
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

    encode(NULL, s->r, 1, 0, &out);
    read_table((const uint8_t *)out.data, out.len, &t);
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
    encode(NULL, r, 4, 0, &out);
    read_table((const uint8_t *)out.data, out.len, &t);
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
        expect_equal(&r[i], fb__chunk_dec_record(d, (uint32_t)i), i);
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
    encode(NULL, &r, 1, 0, &out);
    read_table((const uint8_t *)out.data, out.len, &t);
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
    expect_equal(&r, fb__chunk_dec_record(d, 0), 0);

    /* -0 as a double: it is no default. */
    a[0].score = -0.0;
    r.n_answers = 1;
    fb__strbuf_reset(&out);
    encode(NULL, &r, 1, 0, &out);
    read_table((const uint8_t *)out.data, out.len, &t);
    want[0] = FB__NUM_DOUBLE;
    fb__store_double(want + 1, -0.0);
    expect_body((const uint8_t *)out.data, &t, FB__COL_ANSWER_SCORE, want, 9);
    assert_fb_ok(load(d, (const uint8_t *)out.data, out.len, FB_LOG_FIELD_ALL, &err), &err);
    assert_true(signbit(fb__chunk_dec_record(d, 0)->answers[0].score) != 0);
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
    encode(NULL, s->r + 2, 7, 6, &out);
    read_table((const uint8_t *)out.data, out.len, &t);
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
                assert_true(fb__chunk_dec_record(d, 6)->created_at == s->r[8].created_at);
            }
            out.data[FB__LOG_CHUNK_HEADER + i] ^= (char)(1 << bit);
        }
    assert_fb_ok(fb__chunk_dec_load(d, &h, &src, FB_LOG_FIELD_ALL, &err), &err);
    assert_int_equal(fb__chunk_dec_count(d), 7);
    for (i = 0; i < 7; i++)
        expect_equal(&s->r[2 + i], fb__chunk_dec_record(d, (uint32_t)i), i);
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
    encode(NULL, s->r, N_SAMPLES, 6, &good);
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
                expect_equal(&s->r[i], fb__chunk_dec_record(check, (uint32_t)i), i);
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
                expect_equal(&s->r[i], fb__chunk_dec_record(d, (uint32_t)i), i);
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
        cmocka_unit_test(test_unknown_streams_skipped),
        cmocka_unit_test(test_column_counts),
        cmocka_unit_test(test_column_values),
        cmocka_unit_test(test_created_at_time_range),
        cmocka_unit_test(test_column_strings),
        cmocka_unit_test(test_stream_table),
        cmocka_unit_test(test_hostile_streams),
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
