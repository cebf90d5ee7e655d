#include <math.h>

#include "fb_test.h"

/* A valid response with every field set, rebuilt before each test. */
typedef struct fixture {
    fb_record r;
    fb_answer answers[3];
    fb_str tags[2];
    fb_attr attrs[2];
} fixture;

static int setup(void **state)
{
    fixture *f = test_calloc(1, sizeof *f);
    fb_record_init(&f->r);
    f->r.id = 42;
    f->r.created_at = 1795478400000LL;
    f->r.interaction_at = 1795478400000LL - 3600000;
    f->r.customer_id = fb_str_from_cstr("c-001");
    f->r.customer_status = FB_CUSTOMER_ACTIVE;
    f->r.customer_verified = true;
    f->r.channel = FB_CHANNEL_EMAIL;
    f->answers[0].metric = FB_METRIC_NPS;
    f->answers[0].score = 9;
    f->answers[1].metric = FB_METRIC_CSAT;
    f->answers[1].score = 4;
    f->answers[2].metric = FB_METRIC_CUSTOM;
    f->answers[2].name = fb_str_from_cstr("delivery_speed");
    f->answers[2].scale_min = 1;
    f->answers[2].scale_max = 5;
    f->answers[2].score = 3;
    f->r.answers = f->answers;
    f->r.n_answers = 3;
    f->r.text = fb_str_from_cstr("\xd0\x92\xd1\x81\xd1\x91 \xd1\x85\xd0\xbe\xd1\x80\xd0\xbe\xd1\x88\xd0\xbe"); /* Всё хорошо */
    f->r.language = fb_str_from_cstr("ru");
    f->tags[0] = fb_str_from_cstr("delivery");
    f->tags[1] = fb_str_from_cstr("price");
    f->r.tags = f->tags;
    f->r.n_tags = 2;
    f->r.agent_id = fb_str_from_cstr("a017");
    memcpy(f->r.country, "RU", 3);
    f->r.tip = 5000;
    memcpy(f->r.tip_currency, "RUB", 4);
    f->attrs[0].key = fb_str_from_cstr("plan");
    f->attrs[0].value = fb_str_from_cstr("pro");
    f->attrs[1].key = fb_str_from_cstr("order_value");
    f->attrs[1].value = fb_str_from_cstr("1200");
    f->r.attrs = f->attrs;
    f->r.n_attrs = 2;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    test_free(*state);
    return 0;
}

/* Asserts that validation fails with st and names field, and the message mentions part. */
static void expect_invalid(const fb_record *r, fb_status st, const char *field, const char *part)
{
    fb_error err;
    fb_status got = fb_record_validate(r, &err);
    if (got != st || strcmp(err.field, field) != 0 || !strstr(err.message, part))
        fail_msg("got %d '%s' \"%s\"; want %d '%s' containing \"%s\"", (int)got, err.field,
                 err.message, (int)st, field, part);
}

static void test_full_record_is_valid(void **state)
{
    fixture *f = *state;
    fb_error err;
    assert_fb_ok(fb_record_validate(&f->r, &err), &err);
}

static void test_scores_must_be_inside_their_scale(void **state)
{
    fixture *f = *state;
    f->answers[0].score = 11;
    expect_invalid(&f->r, FB_ERR_RANGE, "answers[0].score", "11 is outside the nps scale 0..10");
    f->answers[0].score = -0.5;
    expect_invalid(&f->r, FB_ERR_RANGE, "answers[0].score", "-0.5");
    f->answers[0].score = NAN;
    expect_invalid(&f->r, FB_ERR_RANGE, "answers[0].score", "nps");
    /* A skipped answer's score is not looked at. */
    f->answers[0].skipped = true;
    assert_fb_ok(fb_record_validate(&f->r, NULL), NULL);
    f->answers[0].skipped = false;
    f->answers[0].score = 8.5; /* non-integer scores are allowed */
    assert_fb_ok(fb_record_validate(&f->r, NULL), NULL);
    f->answers[1].score = 0;
    expect_invalid(&f->r, FB_ERR_RANGE, "answers[1].score", "csat scale 1..5");
    f->answers[1].metric = FB_METRIC_GCR;
    f->answers[1].score = 0.5;
    expect_invalid(&f->r, FB_ERR_RANGE, "answers[1].score", "gcr is 0 (no) or 1 (yes)");
    f->answers[1].metric = FB_METRIC_CES;
    f->answers[1].score = 7;
    assert_fb_ok(fb_record_validate(&f->r, NULL), NULL);
    f->answers[2].score = 6;
    expect_invalid(&f->r, FB_ERR_RANGE, "answers[2].score", "custom scale 1..5");
}

static void test_answer_rules(void **state)
{
    fixture *f = *state;
    f->answers[1].metric = FB_METRIC_NPS;
    expect_invalid(&f->r, FB_ERR_DUPLICATE, "answers[1]", "a second nps answer");
    f->answers[1].metric = (fb_metric)42;
    expect_invalid(&f->r, FB_ERR_UNKNOWN_NAME, "answers[1]", "42 is not a known metric");
    f->answers[1].metric = FB_METRIC_CSAT;
    f->answers[2].name = fb_str_from_cstr("");
    expect_invalid(&f->r, FB_ERR_MISSING, "answers[2].name", "must not be empty");
    f->answers[2].name = fb_str_from_cstr("csat");
    expect_invalid(&f->r, FB_ERR_INCONSISTENT, "answers[2].name", "built-in metric 'csat'");
    f->answers[2].name = fb_str_from_cstr("speed");
    f->answers[2].scale_max = 1;
    expect_invalid(&f->r, FB_ERR_RANGE, "answers[2].scale", "min < max");
    f->answers[2].scale_max = INFINITY;
    expect_invalid(&f->r, FB_ERR_RANGE, "answers[2].scale", "finite");
    f->answers[2].scale_max = 5;
    f->answers[1] = f->answers[2];
    expect_invalid(&f->r, FB_ERR_DUPLICATE, "answers[2]", "a second answer named 'speed'");
    f->r.n_answers = FB_MAX_ANSWERS + 1;
    expect_invalid(&f->r, FB_ERR_TOO_LONG, "answers", "more than the limit of 32");
}

static void test_strings(void **state)
{
    fixture *f = *state;
    static char big[FB_MAX_TEXT + 1];
    fb_str save = f->r.text;

    f->r.text.ptr = "ok \xd0";
    f->r.text.len = 4;
    expect_invalid(&f->r, FB_ERR_UTF8, "text", "invalid UTF-8 at byte 3");
    memset(big, 'a', sizeof big);
    f->r.text.ptr = big;
    f->r.text.len = sizeof big;
    expect_invalid(&f->r, FB_ERR_TOO_LONG, "text", "65537 bytes");
    f->r.text.len = FB_MAX_TEXT;
    assert_fb_ok(fb_record_validate(&f->r, NULL), NULL);
    f->r.text.ptr = "line one\nline two\t\"quoted\"";
    f->r.text.len = strlen(f->r.text.ptr); /* control characters are fine in text */
    assert_fb_ok(fb_record_validate(&f->r, NULL), NULL);
    f->r.text = save;

    f->r.customer_id = fb_str_from_cstr("c-\n1");
    expect_invalid(&f->r, FB_ERR_PARSE, "customer_id", "control character");
    f->r.customer_id.ptr = NULL;
    f->r.customer_id.len = 3;
    expect_invalid(&f->r, FB_ERR_INVALID_ARG, "customer_id", "NULL pointer");
    f->r.customer_id = fb_str_from_cstr("");
    assert_fb_ok(fb_record_validate(&f->r, NULL), NULL);

    f->tags[1] = fb_str_from_cstr("");
    expect_invalid(&f->r, FB_ERR_MISSING, "tags[1]", "must not be empty");
    f->tags[1] = fb_str_from_cstr("price");
    f->attrs[1].key = fb_str_from_cstr("plan");
    expect_invalid(&f->r, FB_ERR_DUPLICATE, "attributes[1].key", "a second attribute 'plan'");
    f->attrs[1].key = fb_str_from_cstr("order_value");
    f->attrs[1].value.ptr = "\xff";
    f->attrs[1].value.len = 1;
    expect_invalid(&f->r, FB_ERR_UTF8, "attributes[1].value", "invalid UTF-8");
}

/*
 * Identifiers refuse C0 controls, DEL and C1 controls (C2 80..C2 9F) wherever
 * they stand, in identifiers of every length from 1 to 28 (which are read
 * byte by byte below eight, else in words of eight bytes, the last of which
 * may overlap the one before), including either side of an eight-byte
 * boundary, and accept the characters next to them.
 */
static void test_control_characters_anywhere_in_an_id(void **state)
{
    static const struct {
        const char *bytes;
        bool control;
    } probes[] = {{"\x01", true},  {"\x1f", true},  {"\x7f", true},
                  {"\xc2\x80", true}, {"\xc2\x9f", true}, {" ", false},
                  {"~", false},   {"\xc2\xa0", false}, {"\xd0\x96", false}};
    fixture *f = *state;
    char id[32];
    size_t p, at, len;

    for (p = 0; p < sizeof probes / sizeof probes[0]; p++) {
        size_t n = strlen(probes[p].bytes);
        for (len = n; len <= 28; len++)
            for (at = 0; at + n <= len; at++) {
                memset(id, 'x', len);
                memcpy(id + at, probes[p].bytes, n);
                f->r.customer_id.ptr = id;
                f->r.customer_id.len = len;
                if (probes[p].control)
                    expect_invalid(&f->r, FB_ERR_PARSE, "customer_id", "control character");
                else
                    assert_fb_ok(fb_record_validate(&f->r, NULL), NULL);
            }
    }
}

static void test_codes_and_language(void **state)
{
    fixture *f = *state;
    static const char *const good_lang[] = {"", "ru", "en-GB", "zh-Hant-TW", "x-klingon",
                                            "sr-Latn-RS", "es-419"};
    static const char *const bad_lang[] = {"r", "ru_RU", "en-", "-en", "ru--RU", "toolonglang",
                                           "1ru", "en-GB-abcdefghi", "ру"};
    size_t i;

    for (i = 0; i < sizeof good_lang / sizeof good_lang[0]; i++) {
        f->r.language = fb_str_from_cstr(good_lang[i]);
        if (fb_record_validate(&f->r, NULL) != FB_OK)
            fail_msg("language '%s' should be valid", good_lang[i]);
    }
    for (i = 0; i < sizeof bad_lang / sizeof bad_lang[0]; i++) {
        fb_error err;
        f->r.language = fb_str_from_cstr(bad_lang[i]);
        if (fb_record_validate(&f->r, &err) == FB_OK || strcmp(err.field, "language") != 0)
            fail_msg("language '%s' should be invalid", bad_lang[i]);
    }
    f->r.language = fb_str_from_cstr("ru");

    memcpy(f->r.country, "ru", 3);
    expect_invalid(&f->r, FB_ERR_PARSE, "country", "'ru' is not an ISO 3166-1 alpha-2 code");
    memcpy(f->r.country, "R", 2);
    expect_invalid(&f->r, FB_ERR_PARSE, "country", "'R'");
    memcpy(f->r.country, "RUS", 3); /* no NUL in the field */
    expect_invalid(&f->r, FB_ERR_INVALID_ARG, "country", "not NUL-terminated");
    memcpy(f->r.country, "", 1);
    assert_fb_ok(fb_record_validate(&f->r, NULL), NULL);
    memcpy(f->r.tip_currency, "EU", 3);
    expect_invalid(&f->r, FB_ERR_PARSE, "tip_currency", "ISO 4217");
    memcpy(f->r.tip_currency, "EUR", 4);
    f->r.tip = -1;
    expect_invalid(&f->r, FB_ERR_RANGE, "tip", "-1 is negative");
}

static void test_times_and_enums(void **state)
{
    fixture *f = *state;
    f->r.created_at = FB_TIME_UNKNOWN;
    expect_invalid(&f->r, FB_ERR_MISSING, "created_at", "created_at is required");
    f->r.created_at = FB_TIME_MAX + 1;
    expect_invalid(&f->r, FB_ERR_RANGE, "created_at", "outside");
    f->r.created_at = 1;
    f->r.interaction_at = FB_TIME_UNKNOWN;
    assert_fb_ok(fb_record_validate(&f->r, NULL), NULL);
    f->r.interaction_at = -5;
    expect_invalid(&f->r, FB_ERR_RANGE, "interaction_at", "-5 ms");
    f->r.interaction_at = FB_TIME_UNKNOWN;
    f->r.channel = (fb_channel)18;
    expect_invalid(&f->r, FB_ERR_UNKNOWN_NAME, "channel", "18 is not a known channel value");
    f->r.channel = FB_CHANNEL_SMS;
    f->r.customer_status = (fb_customer_status)-1;
    expect_invalid(&f->r, FB_ERR_UNKNOWN_NAME, "customer_status", "-1");
    f->r.customer_status = FB_CUSTOMER_NONE;
    f->r.source = (fb_source)3;
    expect_invalid(&f->r, FB_ERR_UNKNOWN_NAME, "source", "3");
    f->r.source = FB_SOURCE_INFERRED;
    f->r.kind = (fb_record_kind)3;
    expect_invalid(&f->r, FB_ERR_UNKNOWN_NAME, "kind", "3");
}

static void test_kind_rules(void **state)
{
    fixture *f = *state;
    fb_record r;

    /* The zero record needs a created_at and an answer or a text. */
    fb_record_init(&r);
    assert_int_equal(r.interaction_at, FB_TIME_UNKNOWN);
    expect_invalid(&r, FB_ERR_MISSING, "answers", "at least one answer or a text");
    r.text = fb_str_from_cstr("Just a comment");
    assert_fb_ok(fb_record_validate(&r, NULL), NULL);

    f->r.kind = FB_KIND_INVITATION;
    expect_invalid(&f->r, FB_ERR_INCONSISTENT, "text", "an invitation carries no text");
    f->r.text.len = 0;
    expect_invalid(&f->r, FB_ERR_INCONSISTENT, "answers", "no scored answers");
    f->answers[0].skipped = f->answers[1].skipped = f->answers[2].skipped = true;
    assert_fb_ok(fb_record_validate(&f->r, NULL), NULL);

    f->r.kind = FB_KIND_UPDATE;
    expect_invalid(&f->r, FB_ERR_MISSING, "ref_id", "must name the record");
    f->r.ref_id = 41;
    expect_invalid(&f->r, FB_ERR_INCONSISTENT, "answers", "an update carries no answers");
    f->r.n_answers = 0;
    f->r.handling = FB_HANDLING_RESOLVED;
    f->r.assignee = fb_str_from_cstr("Billing");
    f->r.assignee_kind = FB_ASSIGNEE_DEPARTMENT;
    assert_fb_ok(fb_record_validate(&f->r, NULL), NULL);
    f->r.handling = (fb_handling)5;
    expect_invalid(&f->r, FB_ERR_UNKNOWN_NAME, "handling", "5");
    assert_int_equal(fb_record_validate(NULL, NULL), FB_ERR_INVALID_ARG);
}

static void test_equal_and_lookups(void **state)
{
    fixture *f = *state;
    fb_record copy = f->r;
    fb_answer answers[3];
    char text[64];
    const fb_str *v;

    memcpy(answers, f->answers, sizeof answers);
    copy.answers = answers;
    memcpy(text, f->r.text.ptr, f->r.text.len);
    copy.text.ptr = text; /* equal by content, not by pointer */
    assert_true(fb_record_equal(&f->r, &copy));
    answers[0].score = 10;
    assert_false(fb_record_equal(&f->r, &copy));
    answers[0].score = 9;
    answers[0].skipped = f->answers[0].skipped = true;
    answers[0].score = 3; /* skipped answers compare without their score */
    assert_true(fb_record_equal(&f->r, &copy));
    copy.n_tags = 1;
    assert_false(fb_record_equal(&f->r, &copy));
    copy.n_tags = 2;
    copy.country[0] = 'K';
    assert_false(fb_record_equal(&f->r, &copy));
    copy.country[0] = 'R';
    /* Update fields count only on updates. */
    copy.ref_id = 99;
    assert_true(fb_record_equal(&f->r, &copy));
    assert_true(fb_record_equal(NULL, NULL));
    assert_false(fb_record_equal(&f->r, NULL));

    assert_ptr_equal(fb_record_answer(&f->r, FB_METRIC_CSAT), &f->answers[1]);
    assert_null(fb_record_answer(&f->r, FB_METRIC_CES));
    assert_null(fb_record_answer(&f->r, FB_METRIC_CUSTOM));
    v = fb_record_attr(&f->r, "order_value", 11);
    assert_non_null(v);
    assert_int_equal(v->len, 4);
    assert_memory_equal(v->ptr, "1200", 4);
    assert_null(fb_record_attr(&f->r, "order", 5));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_full_record_is_valid, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scores_must_be_inside_their_scale, setup, teardown),
        cmocka_unit_test_setup_teardown(test_answer_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_strings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_control_characters_anywhere_in_an_id, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_codes_and_language, setup, teardown),
        cmocka_unit_test_setup_teardown(test_times_and_enums, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kind_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_equal_and_lookups, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
