#include "fb_test.h"

#include "error_private.h"

static void test_every_status_has_a_name(void **state)
{
    int st;
    (void)state;
    assert_string_equal(fb_status_str(FB_OK), "ok");
    for (st = FB_ERR_FORMAT; st <= FB_DONE; st++)
        assert_string_not_equal(fb_status_str((fb_status)st), "unknown status");
    assert_string_equal(fb_status_str((fb_status)-999), "unknown status");
}

static void test_error_message_starts_with_field(void **state)
{
    fb_error err;
    (void)state;
    assert_int_equal(fb__error(&err, FB_ERR_RANGE, "answers[0].score", "%d is too big", 11),
                     FB_ERR_RANGE);
    assert_int_equal(err.code, FB_ERR_RANGE);
    assert_string_equal(err.field, "answers[0].score");
    assert_string_equal(err.message, "answers[0].score: 11 is too big");
    assert_int_equal(err.line, 0);
    fb__error_at(&err, 7, 120);
    assert_int_equal(err.line, 7);
    assert_int_equal(err.offset, 120);
    fb_error_clear(&err);
    assert_int_equal(err.code, FB_OK);
    assert_string_equal(err.message, "");
    /* NULL err is allowed everywhere. */
    assert_int_equal(fb__error(NULL, FB_ERR_IO, "x", "y"), FB_ERR_IO);
    fb_error_clear(NULL);
}

static void test_long_message_is_cut_on_a_character_boundary(void **state)
{
    fb_error err;
    char text[600];
    size_t i, len;
    (void)state;
    /* 'ж' is two bytes: any cut must not leave half of one. */
    for (i = 0; i + 2 < sizeof text; i += 2)
        memcpy(text + i, "\xd0\xb6", 2);
    text[i] = '\0';
    fb__error(&err, FB_ERR_PARSE, "text", "%s", text);
    len = strlen(err.message);
    assert_true(len < FB_ERROR_MESSAGE_MAX);
    assert_true(len > FB_ERROR_MESSAGE_MAX - 4);
    /* "text: " is 6 bytes, then whole two-byte characters only. */
    assert_int_equal((len - 6) % 2, 0);
}

static void test_quote_replaces_controls_and_cuts(void **state)
{
    char q[16];
    (void)state;
    fb__quote(q, sizeof q, "a\nb\tc", 5, 40);
    assert_string_equal(q, "a?b?c");
    fb__quote(q, sizeof q, "abcdefghijklmnopqrstuvwxyz", 26, 40);
    assert_string_equal(q, "abcdefghijkl...");
    fb__quote(q, sizeof q, "\xd0\xb6\xd0\xb6\xd0\xb6", 6, 3);
    assert_string_equal(q, "\xd0\xb6...");
}

static void test_version(void **state)
{
    char expect[32];
    (void)state;
    snprintf(expect, sizeof expect, "%d.%d.%d", FB_VERSION_MAJOR, FB_VERSION_MINOR,
             FB_VERSION_PATCH);
    assert_string_equal(fb_version(), expect);
    assert_string_equal(FB_VERSION_STRING, expect);
    assert_int_equal(fb_version_number(), FB_VERSION_NUMBER);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_status_has_a_name),
        cmocka_unit_test(test_error_message_starts_with_field),
        cmocka_unit_test(test_long_message_is_cut_on_a_character_boundary),
        cmocka_unit_test(test_quote_replaces_controls_and_cuts),
        cmocka_unit_test(test_version),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
