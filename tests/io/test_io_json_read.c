/* JSON Lines reading: the strict parser's errors with exact positions, escapes, numbers, shape. */
#include "io_test.h"

static const char *first = "{\"created_at\":\"2026-01-02\",\"nps\":1}\n";

static fb_io_reader *jsonl(const char *data)
{
    fb_io_reader_options o;
    opts(&o, FB_FORMAT_JSONL, FB_ON_ERROR_STOP, NULL);
    return open_mem(data, &o);
}

typedef struct bad_case {
    const char *line;   /* the second line of the input */
    fb_status code;
    const char *at;     /* the offending text: its first occurrence in line */
    const char *field;
} bad_case;

static void test_parser_errors(void **state)
{
    static const bad_case cases[] = {
        {"{\"created_at\":\"2026-01-02\",\"nps\":1,}", FB_ERR_PARSE, "}", ""},
        {"{\"created_at\":\"2026-01-02\",\"tags\":[\"a\",]}", FB_ERR_PARSE, "]}", "tags"},
        {"{\"created_at\":\"2026-01-02\" /* c */}", FB_ERR_PARSE, "/*", ""},
        {"{\"created_at\":\"2026-01-02\",\"nps\":NaN}", FB_ERR_PARSE, "NaN", "nps"},
        {"{\"created_at\":\"2026-01-02\",\"nps\":09}", FB_ERR_PARSE, "9}", "nps"},
        {"{\"created_at\":\"2026-01-02\",\"nps\":-}", FB_ERR_PARSE, "}", "nps"},
        {"{\"created_at\":\"2026-01-02\",\"nps\":1.}", FB_ERR_PARSE, "}", "nps"},
        {"{\"created_at\":\"2026-01-02\",\"nps\":1e}", FB_ERR_PARSE, "}", "nps"},
        {"{\"created_at\":\"2026-01-02\",\"nps\":+1}", FB_ERR_PARSE, "+1", "nps"},
        {"{\"created_at\":\"2026-01-02\",\"text\":\"a\\x\"}", FB_ERR_PARSE, "\\x", "text"},
        {"{\"created_at\":\"2026-01-02\",\"text\":\"\\u12G4\"}", FB_ERR_PARSE, "G4", "text"},
        {"{\"created_at\":\"2026-01-02\",\"text\":\"\\ud83d!\"}", FB_ERR_PARSE, "\\ud83d", "text"},
        {"{\"created_at\":\"2026-01-02\",\"text\":\"\\ud83d\\u0041\"}", FB_ERR_PARSE, "\\ud83d", "text"},
        {"{\"created_at\":\"2026-01-02\",\"text\":\"x\\ude00\"}", FB_ERR_PARSE, "\\ude00", "text"},
        {"{\"created_at\":\"2026-01-02\",\"text\":\"tab\there\"}", FB_ERR_PARSE, "\there", "text"},
        {"{\"created_at\":\"2026-01-02\",\"text\":\"\xC3\x28\"}", FB_ERR_UTF8, "\xC3", "text"},
        {"{\"created_at\":\"2026-01-02\",\"text\":\"\xED\xA0\x80\"}", FB_ERR_UTF8, "\xED", "text"},
        {"{\"created_at\":\"2026-01-02\",\"text\":\"open}", FB_ERR_PARSE, NULL, "text"},
        {"{\"created_at\" \"2026-01-02\"}", FB_ERR_PARSE, "\"2026", ""},
        {"{\"created_at\":\"2026-01-02\"} x", FB_ERR_PARSE, "x", ""},
        {"[1]", FB_ERR_PARSE, "[", ""},
        {"{'created_at':1}", FB_ERR_PARSE, "'", ""},
        {"{\"created_at\":\"2026-01-02\",\"nps\":1,\"nps\":2}", FB_ERR_DUPLICATE, "\"nps\":2", "nps"},
        {"{\"created_at\":\"2026-01-02\",\"nps\":1,\"NPS\":2}", FB_ERR_DUPLICATE, "\"NPS\"", "NPS"},
        {"{\"created_at\":\"2026-01-02\",\"nps\":1,\"x\":1,\"x\":2}", FB_ERR_DUPLICATE, "\"x\":2", "x"},
        {"{\"created_at\":\"2026-01-02\",\"answers\":{\"nps\":1,\"nps\":2}}", FB_ERR_DUPLICATE, "\"nps\":2", "answers[1]"},
        {"{\"created_at\":\"2026-01-02\",\"nps\":1,\"tags\":[[\"a\"]]}", FB_ERR_PARSE, "[\"a\"]", "tags[0]"},
        {"{\"created_at\":\"2026-01-02\",\"nps\":1,\"attributes\":{\"a\":{\"b\":1}}}", FB_ERR_PARSE, "{\"b\"", "attributes[0]"},
        {"{\"created_at\":\"2026-01-02\",\"nps\":1,\"extra\":[1]}", FB_ERR_PARSE, "[1]", "extra"},
        {"{\"created_at\":\"2026-01-02\",\"answers\":{\"nps\":\"9\"}}", FB_ERR_PARSE, "\"9\"", "answers[0]"},
        {"{\"created_at\":\"2026-01-02\",\"text\":5,\"id\":-1}", FB_ERR_PARSE, "-1", "id"},
        {"{\"created_at\":\"2026-01-02\",\"text\":\"a\",\"id\":18446744073709551616}", FB_ERR_RANGE, "1844", "id"},
        {"{\"created_at\":\"2026-01-02\",\"text\":true}", FB_ERR_PARSE, "true", "text"},
        {"{\"nps\":1}", FB_ERR_MISSING, "{", "created_at"},
        {"{\"created_at\":null,\"nps\":1}", FB_ERR_MISSING, "{", "created_at"},
        {"{\"created_at\":\"2026-01-02\",\"answers\":{\"nps\":11}}", FB_ERR_RANGE, "\"nps\"", "answers[0].score"},
        {"{\"created_at\":\"2026-01-02\",\"csat\":9}", FB_ERR_RANGE, "9}", "csat"},
    };
    size_t i;
    (void)state;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const bad_case *c = &cases[i];
        char data[512];
        size_t base = strlen(first);
        uint64_t at;
        fb_io_reader *r;

        snprintf(data, sizeof data, "%s%s\n%s", first, c->line, first);
        at = c->at ? base + (uint64_t)(strstr(c->line, c->at) - c->line) : base + strlen(c->line);
        if (c->at)
            assert_non_null(strstr(c->line, c->at));
        print_message("case %u: %s\n", (unsigned)i, c->line);
        r = jsonl(data);
        next_ok(r);
        next_err(r, c->code, 2, at, c->field);
        next_ok(r); /* and the reader goes on */
        next_done(r);
        fb_io_reader_close(r);
    }
}

static void test_escapes_and_surrogates(void **state)
{
    const char *data = "{\"created_at\":\"2026-01-02\",\"text\":\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t "
                       "\\u0041\\u00e9\\u0416\\u20AC\\ud83d\\ude00 \xD0\xAF\xF0\x9F\x98\x80 \\u0000!\"}\n";
    const char expected[] = "q\" b\\ s/ \b\f\n\r\t A\xC3\xA9\xD0\x96\xE2\x82\xAC\xF0\x9F\x98\x80 "
                            "\xD0\xAF\xF0\x9F\x98\x80 \0!";
    fb_io_reader *r = jsonl(data);
    const fb_record *rec;
    (void)state;

    rec = next_ok(r);
    assert_int_equal(rec->text.len, sizeof expected - 1);
    assert_memory_equal(rec->text.ptr, expected, sizeof expected - 1);
    next_done(r);
    fb_io_reader_close(r);
}

static void test_values_and_numbers(void **state)
{
    const char *data =
        "\r\n"
        "  \n"
        "{ \"id\" : 18446744073709551615 , \"created_at\" : 1767312000000, \"interaction_at\": "
        "\"2026-01-01T23:00:00.5Z\", \"kind\":\"Response\", \"customer_verified\":true, "
        "\"win_back\":\"yes\", \"channel\":3, \"tip\":250, \"country\":\"de\", "
        "\"answers\":{\"q(-1e1..1E+1)\":-0.5e-0,\"ces\":null}, \"nps\":10, "
        "\"tags\":[\"a\",\"b;c\"], \"attributes\":{\"n\":1.50,\"b\":false,\"s\":\"x\",\"z\":null}, "
        "\"Extra\":12, \"flag\":true, \"empty\":\"\", \"none\":null}\r\n"
        "{\"created_at\":\"2026-01-02\",\"tags\":\"x; y\",\"answers\":\"nps=3;csat=\","
        "\"attributes\":\"k=v\"}";
    fb_io_reader *r = jsonl(data);
    const fb_record *rec;
    (void)state;

    rec = next_ok(r);
    assert_int_equal(fb_io_reader_line(r), 3);
    assert_true(rec->id == UINT64_MAX);
    assert_int_equal(rec->created_at, 1767312000000LL);
    assert_int_equal(rec->interaction_at, 1767312000000LL - 3600000LL + 500);
    assert_true(rec->customer_verified);
    assert_true(rec->win_back);
    assert_int_equal(rec->channel, FB_CHANNEL_EMAIL);
    assert_int_equal(rec->tip, 250);
    assert_string_equal(rec->country, "DE");
    assert_int_equal(rec->n_answers, 3);
    assert_str(rec->answers[0].name, "q");
    assert_true(rec->answers[0].scale_min == -10 && rec->answers[0].scale_max == 10);
    assert_true(rec->answers[0].score == -0.5);
    assert_true(rec->answers[1].skipped);
    assert_int_equal(rec->answers[2].metric, FB_METRIC_NPS);
    assert_int_equal(rec->n_tags, 2);
    assert_str(rec->tags[1], "b;c");
    assert_int_equal(rec->n_attrs, 5);
    assert_str(rec->attrs[0].value, "1.50");
    assert_str(rec->attrs[1].value, "false");
    assert_str(rec->attrs[2].value, "x");
    assert_str(rec->attrs[3].key, "Extra");
    assert_str(rec->attrs[3].value, "12");
    assert_str(rec->attrs[4].key, "flag");
    assert_str(rec->attrs[4].value, "true");
    /* Strings in cell syntax for the list fields. */
    rec = next_ok(r);
    assert_int_equal(fb_io_reader_line(r), 4);
    assert_int_equal(rec->n_tags, 2);
    assert_str(rec->tags[1], "y");
    assert_int_equal(rec->n_answers, 2);
    assert_true(rec->answers[1].skipped);
    assert_str(rec->attrs[0].value, "v");
    next_done(r);
    fb_io_reader_close(r);
}

static void test_skip_policy(void **state)
{
    const char *data = "{\"created_at\":\"2026-01-02\",\"nps\":1}\n"
                       "{\"created_at\":\"2026-01-02\",\"nps\":1\n"
                       "not json\n"
                       "{\"created_at\":\"2026-01-02\",\"nps\":2}";
    bad_rows bad;
    fb_io_reader_options o;
    fb_io_reader *r;
    const fb_record *rec;
    (void)state;

    opts(&o, FB_FORMAT_JSONL, FB_ON_ERROR_SKIP, &bad);
    r = open_mem(data, &o);
    rec = next_ok(r);
    assert_true(rec->answers[0].score == 1);
    rec = next_ok(r);
    assert_true(rec->answers[0].score == 2);
    assert_int_equal(fb_io_reader_line(r), 4);
    next_done(r);
    assert_int_equal(bad.n, 2);
    assert_int_equal(bad.e[0].line, 2);
    assert_int_equal(bad.e[0].offset, strlen(data) - strlen("\nnot json\n{\"created_at\":\"2026-01-02\",\"nps\":2}"));
    assert_int_equal(bad.e[1].line, 3);
    assert_int_equal(bad.e[1].offset, strstr(data, "not") - data);
    assert_int_equal(fb_io_reader_bad_rows(r), 2);
    fb_io_reader_close(r);
}

static void test_line_cap(void **state)
{
    size_t big = ((size_t)1 << 20) + 10, n = 0;
    char *data = malloc(big + 200);
    fb_io_reader_options o;
    bad_rows bad;
    fb_io_reader *r;
    (void)state;

    assert_non_null(data);
    n += (size_t)sprintf(data, "{\"created_at\":\"2026-01-02\",\"text\":\"");
    memset(data + n, 'a', big);
    n += big;
    n += (size_t)sprintf(data + n, "\"}\n{\"created_at\":\"2026-01-02\",\"text\":\"ok\"}\n");
    opts(&o, FB_FORMAT_JSONL, FB_ON_ERROR_SKIP, &bad);
    assert_fb_ok(fb_io_reader_open_memory(&r, data, n, &o, NULL), NULL);
    assert_str(next_ok(r)->text, "ok");
    assert_int_equal(fb_io_reader_line(r), 2);
    next_done(r);
    assert_int_equal(bad.n, 1);
    assert_int_equal(bad.e[0].code, FB_ERR_TOO_LONG);
    assert_int_equal(bad.e[0].line, 1);
    assert_int_equal(bad.e[0].offset, 0);
    fb_io_reader_close(r);
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parser_errors),
        cmocka_unit_test(test_escapes_and_surrogates),
        cmocka_unit_test(test_values_and_numbers),
        cmocka_unit_test(test_skip_policy),
        cmocka_unit_test(test_line_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
