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
        cmocka_unit_test(test_decode_encode_round_trip),
        cmocka_unit_test(test_complete_prefix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
