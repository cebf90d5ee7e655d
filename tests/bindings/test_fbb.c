/*
 * The handles of the bindings (bindings/fbb.h): columns against records,
 * readers and writers, the chain, summaries, metrics of arrays, and every
 * closed or out-of-range use refused with an error instead of a crash.
 */
#include <math.h>
#include <stdlib.h>

#include "fb_test.h"
#include "fbb.h"

static fbb_reader *open_sample(unsigned fields)
{
    fb_error err;
    fbb_reader *r = fbb_reader_open(FB_SAMPLE, NULL, fields, FB_TIME_UNKNOWN, FB_TIME_UNKNOWN,
                                    false, false, &err);
    if (!r)
        fail_msg("%s: %s", FB_SAMPLE, err.message);
    return r;
}

/* A log of the sample, in chunks of chunk_records. */
static void make_log(const char *path, unsigned chunk_records)
{
    fbb_reader *r = open_sample(0);
    const fb_record *rec;
    fbb_writer *w;
    fb_error err;

    remove(path);
    w = fbb_writer_open(path, "log", -1, chunk_records, &err);
    assert_non_null(w);
    while (fbb_reader_next(r, &rec, &err) == FB_OK && rec)
        assert_fb_ok(fbb_writer_write(w, rec, &err), &err);
    assert_fb_ok(fbb_writer_close(w, &err), &err);
    assert_fb_ok(fbb_writer_close(w, &err), &err); /* closing twice is harmless */
    assert_int_equal(fbb_writer_write(w, rec, &err), FB_ERR_INVALID_ARG);
    assert_non_null(strstr(err.message, "closed"));
    fbb_writer_free(w);
    fbb_reader_free(r);
}

static fb_str col_str(const fbb_columns *c, fbb_column col, size_t row)
{
    size_t bytes;
    const int32_t *codes = fbb_columns_data(c, col, &bytes);
    return fbb_columns_dict_at(c, col, (size_t)codes[row]);
}

static bool str_eq(fb_str a, fb_str b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

/* Every column of every row equals the record read one at a time, from CSV and from a log. */
static void check_columns(const char *path)
{
    fb_error err;
    fbb_reader *r = fbb_reader_open(path, NULL, 0, FB_TIME_UNKNOWN, FB_TIME_UNKNOWN, false,
                                    false, &err), *again;
    fbb_columns *c;
    const fb_record *rec;
    size_t row = 0, bytes;

    assert_non_null(r);
    c = fbb_columns_read(r, (1ull << FBB_COL_COUNT) - 1, &err);
    assert_non_null(c);
    assert_int_equal(fbb_columns_rows(c), 2000);
    again = fbb_reader_open(path, NULL, 0, FB_TIME_UNKNOWN, FB_TIME_UNKNOWN, false, false, &err);
    while (fbb_reader_next(again, &rec, &err) == FB_OK && rec) {
        const uint64_t *id = fbb_columns_data(c, FBB_COL_ID, &bytes);
        const int64_t *created = fbb_columns_data(c, FBB_COL_CREATED_AT, &bytes);
        const int64_t *interaction = fbb_columns_data(c, FBB_COL_INTERACTION_AT, &bytes);
        const uint8_t *channel = fbb_columns_data(c, FBB_COL_CHANNEL, &bytes);
        const double *nps = fbb_columns_data(c, FBB_COL_METRIC0 + FB_METRIC_NPS, &bytes);
        const int64_t *text_of = fbb_columns_data(c, FBB_COL_TEXT, &bytes);
        const char *text = fbb_columns_items(c, FBB_COL_TEXT, &bytes);
        const int64_t *tags_of = fbb_columns_data(c, FBB_COL_TAGS, &bytes);
        const int32_t *tags = fbb_columns_items(c, FBB_COL_TAGS, &bytes);
        const fb_answer *a = fb_record_answer(rec, FB_METRIC_NPS);
        fb_str t;
        size_t k;

        assert_int_equal(id[row], rec->id);
        assert_int_equal(created[row], rec->created_at);
        assert_int_equal(interaction[row], rec->interaction_at);
        assert_int_equal(channel[row], rec->channel);
        if (a && !a->skipped)
            assert_true(nps[row] == a->score);
        else
            assert_true(isnan(nps[row]));
        t.ptr = text + text_of[row];
        t.len = (size_t)(text_of[row + 1] - text_of[row]);
        assert_true(str_eq(t, rec->text));
        assert_true(str_eq(col_str(c, FBB_COL_CUSTOMER_ID, row), rec->customer_id));
        assert_true(str_eq(col_str(c, FBB_COL_AGENT_ID, row), rec->agent_id));
        assert_int_equal(tags_of[row + 1] - tags_of[row], rec->n_tags);
        for (k = 0; k < rec->n_tags; k++)
            assert_true(str_eq(fbb_columns_dict_at(c, FBB_COL_TAGS,
                                                   (size_t)tags[tags_of[row] + (int64_t)k]),
                               rec->tags[k]));
        row++;
    }
    assert_int_equal(row, 2000);
    fbb_columns_free(c);
    fbb_reader_free(r);
    fbb_reader_free(again);
}

static void test_columns(void **state)
{
    const char *log = FB_WORK "/sample.fblog";

    (void)state;
    check_columns(FB_SAMPLE);
    make_log(log, 97); /* many runs: the dictionaries' caches start afresh at each */
    check_columns(log);
}

static void test_reader(void **state)
{
    fb_error err;
    fbb_reader *r;
    const fb_record *rec;
    fb_log_damage d;
    fb_error bad;

    (void)state;
    assert_null(fbb_reader_open(FB_WORK "/missing.csv", NULL, 0, FB_TIME_UNKNOWN,
                                FB_TIME_UNKNOWN, false, false, &err));
    assert_int_equal(err.code, FB_ERR_IO);
    assert_null(fbb_reader_open(FB_SAMPLE, "log", 0, FB_TIME_UNKNOWN, FB_TIME_UNKNOWN, false,
                                false, &err));
    assert_int_equal(err.code, FB_ERR_FORMAT);
    r = open_sample(0);
    assert_int_equal(fbb_reader_damage_at(r, 0, &d, &err), FB_ERR_RANGE);
    assert_int_equal(fbb_reader_bad_row_at(r, 0, &bad, &err), FB_ERR_RANGE);
    fbb_reader_close(r);
    fbb_reader_close(r);
    assert_int_equal(fbb_reader_next(r, &rec, &err), FB_ERR_INVALID_ARG);
    assert_null(rec);
    assert_null(fbb_columns_read(r, 1, &err));
    assert_non_null(strstr(err.message, "closed"));
    fbb_reader_free(r);
}

static void test_chain_and_summary(void **state)
{
    fb_error err;
    fbb_chain *c = fbb_chain_new(&err);
    fbb_summary *s;
    fb_verdict_span span;
    fb_estimate e;
    fb_leader l;
    fb_record r;
    fb_answer a = {FB_METRIC_NPS, 3, false, {NULL, 0}, 0, 0};
    size_t n;

    (void)state;
    assert_non_null(c);
    assert_int_equal(fbb_chain_add_alert(c, "nps<=6", &err), 0);
    assert_int_equal(fbb_chain_set_action(c, "hersay", "drop", &err), FB_ERR_UNKNOWN_NAME);
    assert_int_equal(fbb_chain_set_action(c, "hearsay", "delete", &err), FB_ERR_UNKNOWN_NAME);
    fb_record_init(&r);
    r.created_at = 1000;
    r.customer_status = FB_CUSTOMER_NONE;
    r.answers = &a;
    r.n_answers = 1;
    r.text = fb_str_from_cstr("I heard that it is bad");
    assert_fb_ok(fbb_chain_evaluate(c, &r, &err), &err);
    assert_string_equal(fbb_chain_action(c), "drop");
    assert_int_equal(fbb_chain_reasons(c, FB_ACTION_DROP), 1u << FB_REASON_NON_CUSTOMER);
    assert_true(fbb_chain_alert_hit(c, 0));
    assert_fb_ok(fbb_chain_span_at(c, 0, &span, &err), &err);
    assert_int_equal(span.reason, FB_REASON_HEARSAY);
    assert_int_equal(fbb_chain_span_at(c, 9, &span, &err), FB_ERR_RANGE);
    assert_non_null(strstr(fbb_chain_explain(c), "drop: non_customer"));
    /* Policies are fixed once records are judged. */
    assert_int_equal(fbb_chain_set_customers(c, true, &err), FB_ERR_INVALID_ARG);

    s = fbb_summary_new("channel", NULL, NULL, 0, 0, &err);
    assert_non_null(s);
    assert_int_equal(fbb_summary_add_path(s, FB_SAMPLE, c, &err), 2000);
    n = fbb_summary_count(s, &err);
    assert_true(n > 5);
    assert_fb_ok(fbb_summary_headline(s, -1, FB_METRIC_NPS, &e, &err), &err);
    assert_true(e.n > 0 && e.lo <= e.value && e.value <= e.hi);
    assert_int_equal(fbb_summary_headline(s, (long)n, FB_METRIC_NPS, &e, &err), FB_ERR_RANGE);
    assert_true(fbb_summary_leaderboard(s, FB_METRIC_NPS, 20, &err) > 0);
    assert_fb_ok(fbb_summary_leader_at(s, 0, &l, &err), &err);
    assert_int_equal(fbb_summary_leader_at(s, 1000, &l, &err), FB_ERR_RANGE);
    assert_true(fbb_summary_terms(s, -1, 5, false, 1, &err) == 5);
    fbb_summary_close(s);
    assert_int_equal(fbb_summary_count(s, &err), 0);
    assert_non_null(strstr(err.message, "closed"));
    assert_int_equal(fbb_summary_leader_at(s, 0, &l, &err), FB_ERR_RANGE);
    fbb_summary_free(s);

    fbb_chain_close(c);
    assert_int_equal(fbb_chain_evaluate(c, &r, &err), FB_ERR_INVALID_ARG);
    assert_int_equal(fbb_chain_span_count(c), 0);
    fbb_chain_free(c);
}

static void test_metrics_and_names(void **state)
{
    const double scores[] = {3, 7, 8, 9, 9, 10, NAN};
    fb_nps_result nps;
    fb_error err;
    char *t;

    (void)state;
    assert_fb_ok(fbb_nps(scores, 7, 0, &nps, &err), &err);
    assert_int_equal(nps.nps.n, 6);
    assert_int_equal(nps.skipped, 1);
    assert_true(fabs(nps.nps.value - 100.0 / 3) < 1e-12);
    assert_int_equal(fbb_nps((const double[]){11}, 1, 0, &nps, &err), FB_ERR_RANGE);
    assert_string_equal(err.message, "scores[0]: 11 is outside the nps scale 0..10");
    assert_int_equal(fbb_nps(scores, 7, 2, &nps, &err), FB_ERR_RANGE);
    assert_int_equal(fbb_enum_value("channel", "emial", &err), -1);
    assert_non_null(strstr(err.message, "did you mean 'email'"));
    assert_int_equal(fbb_enum_value("colour", "red", &err), -1);
    assert_string_equal(fbb_enum_name("channel", FB_CHANNEL_SMS), "sms");
    assert_null(fbb_enum_name("channel", 99));
    assert_int_equal(fbb_time_parse("1970-01-01T00:00:01Z", &err), 1000);
    t = fbb_time_format(1000);
    assert_string_equal(t, "1970-01-01T00:00:01Z");
    free(t);
    assert_null(fbb_time_format(FB_TIME_UNKNOWN));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_columns),
        cmocka_unit_test(test_reader),
        cmocka_unit_test(test_chain_and_summary),
        cmocka_unit_test(test_metrics_and_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
