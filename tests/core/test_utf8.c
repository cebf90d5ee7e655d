#include "fb_test.h"

#include "utf8.h"

static void test_valid_strings(void **state)
{
    static const char *const valid[] = {
        "", "plain ascii", "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82", /* Привет */
        "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xf4\x8f\xbf\xbf", "\xef\xbf\xbd"};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof valid / sizeof valid[0]; i++)
        assert_int_equal(fb__utf8_check(valid[i], strlen(valid[i])), strlen(valid[i]));
}

static void test_invalid_strings_report_first_bad_byte(void **state)
{
    static const struct {
        const char *s;
        size_t bad;
    } cases[] = {
        {"ab\x80", 2},               /* lone continuation */
        {"a\xc0\xaf", 1},            /* overlong '/' */
        {"\xc1\xbf", 0},             /* overlong */
        {"x\xe0\x80\xaf", 1},        /* overlong three-byte */
        {"\xed\xa0\x80", 0},         /* surrogate U+D800 */
        {"ok\xf4\x90\x80\x80", 2},   /* above U+10FFFF */
        {"\xf5\x80\x80\x80", 0},     /* invalid lead */
        {"abc\xd0", 3},              /* truncated at the end */
        {"\xe2\x82", 0},             /* truncated three-byte */
        {"\xd0\x41", 0},             /* lead followed by ASCII */
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(fb__utf8_check(cases[i].s, strlen(cases[i].s)), cases[i].bad);
}

/*
 * The reference: Unicode's table of well-formed byte sequences (Table 3-7 of
 * the standard), byte by byte, sharing nothing with utf8.c.
 */
static size_t reference_check(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char b = s[i];
        unsigned char lo = 0x80, hi = 0xbf;
        size_t n, k;
        if (b < 0x80) {
            i++;
            continue;
        }
        if (b >= 0xc2 && b <= 0xdf)
            n = 2;
        else if (b >= 0xe0 && b <= 0xef)
            n = 3, lo = b == 0xe0 ? 0xa0 : 0x80, hi = b == 0xed ? 0x9f : 0xbf;
        else if (b >= 0xf0 && b <= 0xf4)
            n = 4, lo = b == 0xf0 ? 0x90 : 0x80, hi = b == 0xf4 ? 0x8f : 0xbf;
        else
            return i;
        if (len - i < n || s[i + 1] < lo || s[i + 1] > hi)
            return i;
        for (k = 2; k < n; k++)
            if (s[i + k] < 0x80 || s[i + k] > 0xbf)
                return i;
        i += n;
    }
    return len;
}

/*
 * Strings of up to 40 bytes put together from pieces that meet at every
 * alignment of the eight-byte fast path: ASCII, Cyrillic, longer sequences,
 * and every kind of error, against the reference.
 */
static void test_check_agrees_with_reference(void **state)
{
    static const char *const pieces[] = {
        "a", "Zq", " ", "\xd0\x96", "\xd1\x8f", "\xc2\x80", "\xdf\xbf", "\xe2\x82\xac",
        "\xf0\x9f\x98\x80", "\xed\x9f\xbf", "\xee\x80\x80",
        /* errors */
        "\x80", "\xbf", "\xc0\xaf", "\xc1\xbf", "\xd0", "\xd0\x41", "\xe0\x80\xaf",
        "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xff", "\xe2\x82",
        "\xf0\x9f\x98"};
    const size_t n_pieces = sizeof pieces / sizeof pieces[0];
    const size_t n_valid = 11; /* the pieces before the errors */
    uint32_t rng = 12345;
    unsigned char buf[64];
    int round;
    (void)state;
    for (round = 0; round < 200000; round++) {
        size_t len = 0;
        /* Mostly valid text, so that errors fall at every offset of a long run. */
        int errors_allowed = round % 4 == 0;
        while (len < 40) {
            size_t k, plen;
            rng = rng * 1103515245u + 12345u;
            k = (rng >> 8) % (errors_allowed ? n_pieces : n_valid);
            plen = strlen(pieces[k]);
            if (len + plen > 40)
                break;
            memcpy(buf + len, pieces[k], plen);
            len += plen;
            if (((rng >> 20) & 15) == 0)
                break;
        }
        {
            size_t want = reference_check(buf, len), got = fb__utf8_check((const char *)buf, len);
            if (got != want)
                fail_msg("round %d, %lu bytes: fb__utf8_check says %lu, the reference %lu", round,
                         (unsigned long)len, (unsigned long)got, (unsigned long)want);
        }
    }
}

/*
 * A run of ASCII of every length up to 100 (read 32 bytes at a time after
 * its first eight), then a piece, valid or not, then more ASCII: where the
 * run stops, the check goes on as the reference does.
 */
static void test_check_after_long_ascii_runs(void **state)
{
    static const char *const pieces[] = {"", "\xd0\x96", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
                                         "\x80", "\xc0\xaf", "\xed\xa0\x80", "\xff", "\xe2\x82"};
    unsigned char buf[128];
    size_t run, p, tail;

    (void)state;
    for (run = 0; run <= 100; run++)
        for (p = 0; p < sizeof pieces / sizeof pieces[0]; p++)
            for (tail = 0; tail < 12; tail += 5) {
                size_t plen = strlen(pieces[p]), len = run + plen + tail, want, got;
                memset(buf, 'a', sizeof buf);
                memcpy(buf + run, pieces[p], plen);
                want = reference_check(buf, len);
                got = fb__utf8_check((const char *)buf, len);
                if (got != want)
                    fail_msg("%lu bytes of ASCII, piece %lu, %lu more: %lu, the reference %lu",
                             (unsigned long)run, (unsigned long)p, (unsigned long)tail,
                             (unsigned long)got, (unsigned long)want);
            }
}

static void test_decode_encode_round_trip(void **state)
{
    unsigned long cps[] = {0, 0x41, 0x7f, 0x80, 0x7ff, 0x800, 0x401, 0xfffd, 0xffff, 0x10000,
                           0x10ffff};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cps / sizeof cps[0]; i++) {
        char buf[4];
        unsigned long back = 0;
        size_t n = fb__utf8_encode(cps[i], buf);
        assert_true(n >= 1 && n <= 4);
        assert_int_equal(fb__utf8_decode(buf, n, &back), n);
        assert_int_equal(back, cps[i]);
    }
    {
        char buf[4];
        assert_int_equal(fb__utf8_encode(0xd800, buf), 0);
        assert_int_equal(fb__utf8_encode(0x110000, buf), 0);
    }
}

static void test_complete_prefix(void **state)
{
    const char *s = "a\xd0\xb6\xe2\x82\xac"; /* a ж € : 1 + 2 + 3 bytes */
    (void)state;
    assert_int_equal(fb__utf8_complete_prefix(s, 6), 6);
    assert_int_equal(fb__utf8_complete_prefix(s, 5), 3);
    assert_int_equal(fb__utf8_complete_prefix(s, 4), 3);
    assert_int_equal(fb__utf8_complete_prefix(s, 3), 3);
    assert_int_equal(fb__utf8_complete_prefix(s, 2), 1);
    assert_int_equal(fb__utf8_complete_prefix(s, 1), 1);
    assert_int_equal(fb__utf8_complete_prefix(s, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_strings),
        cmocka_unit_test(test_invalid_strings_report_first_bad_byte),
        cmocka_unit_test(test_check_agrees_with_reference),
        cmocka_unit_test(test_check_after_long_ascii_runs),
        cmocka_unit_test(test_decode_encode_round_trip),
        cmocka_unit_test(test_complete_prefix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
