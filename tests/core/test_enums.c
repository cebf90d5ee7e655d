#include "fb_test.h"

static void test_names_round_trip(void **state)
{
    int e, v;
    (void)state;
    for (e = FB_ENUM_KIND; e <= FB_ENUM_ASSIGNEE_KIND; e++) {
        assert_true(fb_enum_count((fb_enum)e) > 1);
        assert_non_null(fb_enum_field((fb_enum)e));
        for (v = 0; v < fb_enum_count((fb_enum)e); v++) {
            const char *name = fb_enum_name((fb_enum)e, v);
            int back = -1;
            assert_non_null(name);
            assert_fb_ok(fb_enum_parse((fb_enum)e, name, strlen(name), &back, NULL), NULL);
            assert_int_equal(back, v);
        }
        assert_null(fb_enum_name((fb_enum)e, v));
        assert_null(fb_enum_name((fb_enum)e, -1));
    }
    assert_int_equal(fb_enum_count((fb_enum)99), 0);
    assert_null(fb_enum_name((fb_enum)99, 0));
}

/* The stored numeric values are a promise: this test fails if one moves. */
static void test_values_are_stable(void **state)
{
    (void)state;
    assert_string_equal(fb_channel_name(FB_CHANNEL_OTHER), "other");
    assert_string_equal(fb_channel_name((fb_channel)3), "email");
    assert_string_equal(fb_channel_name((fb_channel)7), "phone_robot");
    assert_string_equal(fb_channel_name((fb_channel)17), "service_desk");
    assert_int_equal(fb_enum_count(FB_ENUM_CHANNEL), 18);
    assert_string_equal(fb_customer_status_name((fb_customer_status)4), "competitor_customer");
    assert_string_equal(fb_customer_status_name((fb_customer_status)5), "non_customer");
    assert_string_equal(fb_metric_name((fb_metric)5), "cli_cross_buy");
    assert_string_equal(fb_metric_name((fb_metric)8), "custom");
    assert_string_equal(fb_kind_name((fb_record_kind)2), "update");
    assert_string_equal(fb_source_name((fb_source)2), "inferred");
    assert_string_equal(fb_handling_name((fb_handling)2), "in_progress");
    assert_string_equal(fb_assignee_kind_name((fb_assignee_kind)1), "department");
}

static void test_parse_is_lenient_about_case_and_separators(void **state)
{
    int v = -1;
    (void)state;
    assert_fb_ok(fb_enum_parse(FB_ENUM_CHANNEL, "Web Form", 8, &v, NULL), NULL);
    assert_int_equal(v, FB_CHANNEL_WEB_FORM);
    assert_fb_ok(fb_enum_parse(FB_ENUM_CHANNEL, "PHONE-ROBOT", 11, &v, NULL), NULL);
    assert_int_equal(v, FB_CHANNEL_PHONE_ROBOT);
    assert_fb_ok(fb_enum_parse(FB_ENUM_CHANNEL, "17", 2, &v, NULL), NULL);
    assert_int_equal(v, FB_CHANNEL_SERVICE_DESK);
    /* Length bounds the match: "emailx" cut to 5 bytes is "email". */
    assert_fb_ok(fb_enum_parse(FB_ENUM_CHANNEL, "emailx", 5, &v, NULL), NULL);
    assert_int_equal(v, FB_CHANNEL_EMAIL);
}

static void test_unknown_names_suggest_the_nearest(void **state)
{
    fb_error err;
    int v = 77;
    (void)state;
    assert_int_equal(fb_enum_parse(FB_ENUM_CHANNEL, "emial", 5, &v, &err), FB_ERR_UNKNOWN_NAME);
    assert_int_equal(v, 77);
    assert_string_equal(err.field, "channel");
    assert_string_equal(err.message, "channel: unknown channel 'emial' (did you mean 'email'?)");
    assert_int_equal(fb_enum_parse(FB_ENUM_METRIC, "nsp", 3, &v, &err), FB_ERR_UNKNOWN_NAME);
    assert_string_equal(err.message, "metric: unknown metric 'nsp' (did you mean 'nps'?)");
    /* Nothing near: the message lists the names instead. */
    assert_int_equal(fb_enum_parse(FB_ENUM_KIND, "telegram", 8, &v, &err), FB_ERR_UNKNOWN_NAME);
    assert_string_equal(err.message,
                        "kind: unknown kind 'telegram' (known: response, invitation, update)");
    /* Numbers outside the range, leading zeros and empty strings are unknown. */
    assert_int_equal(fb_enum_parse(FB_ENUM_KIND, "3", 1, &v, &err), FB_ERR_UNKNOWN_NAME);
    assert_int_equal(fb_enum_parse(FB_ENUM_KIND, "01", 2, &v, &err), FB_ERR_UNKNOWN_NAME);
    assert_int_equal(fb_enum_parse(FB_ENUM_KIND, "", 0, &v, &err), FB_ERR_UNKNOWN_NAME);
    assert_int_equal(fb_enum_parse(FB_ENUM_KIND, NULL, 1, &v, &err), FB_ERR_INVALID_ARG);
    assert_int_equal(fb_enum_parse(FB_ENUM_KIND, "update", 6, NULL, &err), FB_ERR_INVALID_ARG);
}

static void test_metric_scales(void **state)
{
    double lo, hi;
    (void)state;
    assert_fb_ok(fb_metric_scale(FB_METRIC_NPS, &lo, &hi), NULL);
    assert_true(lo == 0 && hi == 10);
    assert_fb_ok(fb_metric_scale(FB_METRIC_CSAT, &lo, &hi), NULL);
    assert_true(lo == 1 && hi == 5);
    assert_fb_ok(fb_metric_scale(FB_METRIC_CES, &lo, &hi), NULL);
    assert_true(lo == 1 && hi == 7);
    assert_fb_ok(fb_metric_scale(FB_METRIC_CLI_CROSS_BUY, &lo, &hi), NULL);
    assert_true(lo == 0 && hi == 10);
    assert_fb_ok(fb_metric_scale(FB_METRIC_GCR, &lo, &hi), NULL);
    assert_true(lo == 0 && hi == 1);
    assert_fb_ok(fb_metric_scale(FB_METRIC_RATING, &lo, &hi), NULL);
    assert_true(lo == 1 && hi == 5);
    assert_int_equal(fb_metric_scale(FB_METRIC_CUSTOM, &lo, &hi), FB_ERR_INVALID_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_round_trip),
        cmocka_unit_test(test_values_are_stable),
        cmocka_unit_test(test_parse_is_lenient_about_case_and_separators),
        cmocka_unit_test(test_unknown_names_suggest_the_nearest),
        cmocka_unit_test(test_metric_scales),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
