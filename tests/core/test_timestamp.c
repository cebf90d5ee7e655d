#include "fb_test.h"

static fb_time parse_ok(const char *s)
{
    fb_time t = -1;
    fb_error err;
    assert_fb_ok(fb_time_parse(s, strlen(s), &t, &err), &err);
    return t;
}

static void test_parse_forms(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("1970-01-01"), 0);
    assert_int_equal(parse_ok("2026-11-24"), 1795478400000LL);
    assert_int_equal(parse_ok("2026-11-24T09:05"), 1795478400000LL + (9 * 3600 + 5 * 60) * 1000LL);
    assert_int_equal(parse_ok("2026-11-24T09:05:30Z"), 1795478400000LL + 32730000LL);
    assert_int_equal(parse_ok("2026-11-24 09:05:30"), 1795478400000LL + 32730000LL);
    assert_int_equal(parse_ok("2026-11-24T09:05:30.25Z"), 1795478400000LL + 32730250LL);
    assert_int_equal(parse_ok("2026-11-24T09:05:30.123456789Z"), 1795478400000LL + 32730123LL);
    /* Offsets convert to UTC. */
    assert_int_equal(parse_ok("2026-11-24T12:05:30+03:00"), 1795478400000LL + 32730000LL);
    assert_int_equal(parse_ok("2026-11-24T03:35:30-0530"), 1795478400000LL + 32730000LL);
    assert_int_equal(parse_ok("2026-11-24T12:05:30+03"), 1795478400000LL + 32730000LL);
    /* Leap day, and the last representable instant. */
    assert_int_equal(parse_ok("2024-02-29T00:00:00Z"), 1709164800000LL);
    assert_int_equal(parse_ok("9999-12-31T23:59:59.999Z"), FB_TIME_MAX);
}

static void test_parse_errors_name_the_position(void **state)
{
    static const struct {
        const char *s;
        fb_status st;
        uint64_t offset;
    } cases[] = {
        {"", FB_ERR_PARSE, 0},
        {"2026", FB_ERR_PARSE, 4},
        {"2026/11/24", FB_ERR_PARSE, 4},
        {"2026-11-24T", FB_ERR_PARSE, 11},
        {"2026-11-24T9:05", FB_ERR_PARSE, 12},
        {"2026-11-24T09:05:30x", FB_ERR_PARSE, 19},
        {"2026-11-24T09:05:30.", FB_ERR_PARSE, 20},
        {"2026-11-24T09:05:30.1234567890Z", FB_ERR_PARSE, 29},
        {" 2026-11-24", FB_ERR_PARSE, 0},
        {"2026-11-24 ", FB_ERR_PARSE, 11},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fb_error err;
        fb_time t = 42;
        fb_status st = fb_time_parse(cases[i].s, strlen(cases[i].s), &t, &err);
        if (st != cases[i].st || err.offset != cases[i].offset)
            fail_msg("'%s': status %d offset %lu, want %d at %lu (%s)", cases[i].s, (int)st,
                     (unsigned long)err.offset, (int)cases[i].st, (unsigned long)cases[i].offset,
                     err.message);
        assert_int_equal(t, 42); /* untouched on error */
        assert_non_null(strstr(err.message, "time"));
    }
}

static void test_parse_range_errors(void **state)
{
    static const char *const bad[] = {"2026-02-29", "2026-13-01", "2026-00-10", "2026-04-31",
                                      "2026-11-24T24:00", "2026-11-24T10:60", "2026-11-24T10:00:60",
                                      "1969-12-31T23:59:59Z", "1970-01-01T00:00:00+01:00",
                                      "2026-11-24T10:00+24:00"};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fb_time t;
        fb_error err;
        assert_int_equal(fb_time_parse(bad[i], strlen(bad[i]), &t, &err), FB_ERR_RANGE);
        assert_int_equal(err.code, FB_ERR_RANGE);
    }
}

static void test_format(void **state)
{
    char buf[FB_TIME_STRING_MAX];
    (void)state;
    assert_int_equal(fb_time_format(0, buf, sizeof buf), 20);
    assert_string_equal(buf, "1970-01-01T00:00:00Z");
    fb_time_format(1795478400000LL + 32730250LL, buf, sizeof buf);
    assert_string_equal(buf, "2026-11-24T09:05:30.250Z");
    fb_time_format(FB_TIME_MAX, buf, sizeof buf);
    assert_string_equal(buf, "9999-12-31T23:59:59.999Z");
    assert_int_equal(fb_time_format(-1, buf, sizeof buf), 0);
    assert_string_equal(buf, "");
    assert_int_equal(fb_time_format(FB_TIME_UNKNOWN, buf, sizeof buf), 0);
    assert_int_equal(fb_time_format(0, buf, 20), 0); /* no room for the NUL */
    assert_string_equal(buf, "");
}

static void test_round_trip_every_day_boundary(void **state)
{
    /* Walk 1970..2400 in steps that hit month ends, leap days and century years. */
    fb_time t;
    (void)state;
    for (t = 0; t < 13569465600000LL; t += 86400000LL * 7 + 3601001LL) {
        char buf[FB_TIME_STRING_MAX];
        size_t n = fb_time_format(t, buf, sizeof buf);
        assert_true(n > 0);
        assert_int_equal(parse_ok(buf), t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_forms),
        cmocka_unit_test(test_parse_errors_name_the_position),
        cmocka_unit_test(test_parse_range_errors),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_round_trip_every_day_boundary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
