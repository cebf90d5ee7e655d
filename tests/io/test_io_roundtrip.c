/*
 * The key acceptance test: CSV -> records -> JSON Lines -> records -> CSV
 * gives identical records and identical CSV text.
 */
#include "io_test.h"

static fb_record_list *read_file(const char *path)
{
    fb_io_reader *r = NULL;
    fb_record_list *list = NULL;
    const fb_record *rec;
    fb_status st;
    fb_error e;

    assert_fb_ok(fb_record_list_new(NULL, &list), NULL);
    assert_fb_ok(fb_io_reader_open(&r, path, NULL, &e), &e);
    while ((st = fb_io_reader_next(r, &rec, &e)) == FB_OK)
        assert_fb_ok(fb_record_list_push(list, rec), NULL);
    assert_fb_status(st, FB_DONE, &e);
    fb_io_reader_close(r);
    return list;
}

static void assert_lists_equal(const fb_record_list *a, const fb_record_list *b)
{
    size_t i;

    assert_int_equal(fb_record_list_count(a), fb_record_list_count(b));
    for (i = 0; i < fb_record_list_count(a); i++)
        if (!fb_record_equal(fb_record_list_get(a, i), fb_record_list_get(b, i)))
            fail_msg("record %u differs after the round trip", (unsigned)i);
}

/* CSV -> records A -> CSV text T1 and JSONL J -> records B -> CSV text T2. */
static void round_trip(const fb_record_list *a)
{
    sink t1, j, t2;
    fb_record_list *b, *c;

    write_all(a, FB_FORMAT_CSV, &t1);
    write_all(a, FB_FORMAT_JSONL, &j);
    b = read_all(j.data, j.len, FB_FORMAT_JSONL);
    assert_lists_equal(a, b);
    write_all(b, FB_FORMAT_CSV, &t2);
    assert_int_equal(t1.len, t2.len);
    assert_string_equal(t1.data, t2.data);
    /* The CSV the writer wrote reads back to the same records too. */
    c = read_all(t1.data, t1.len, FB_FORMAT_CSV);
    assert_lists_equal(a, c);
    fb_record_list_free(b);
    fb_record_list_free(c);
    sink_free(&t1);
    sink_free(&j);
    sink_free(&t2);
}

static void test_round_trip_file(void **state)
{
    fb_record_list *a = read_file("data/roundtrip.csv");
    const fb_record *r;
    (void)state;

    assert_int_equal(fb_record_list_count(a), 6);
    r = fb_record_list_get(a, 0);
    assert_str(r->text, "Доставка опоздала на \"два\" дня.\r\nКурьер был вежлив.");
    assert_int_equal(r->n_tags, 6);
    assert_str(r->tags[1], "курьер");
    assert_str(r->tags[2], "a;b");
    assert_str(r->tags[3], "c=d");
    assert_str(r->tags[4], "back\\slash");
    assert_str(r->tags[5], " padded ");
    assert_int_equal(r->n_attrs, 4);
    assert_str(r->attrs[1].key, "note");
    assert_str(r->attrs[1].value, "x;y=z");
    assert_str(r->attrs[2].value, "C:\\tmp");
    assert_str(r->attrs[3].key, "Region");
    assert_string_equal(r->tip_currency, "RUB");
    r = fb_record_list_get(a, 1);
    assert_str(r->text, "  padded text  \nsecond line");
    assert_int_equal(r->n_answers, 4);
    assert_true(r->answers[0].skipped);
    assert_str(r->answers[1].name, "delivery speed");
    assert_true(r->answers[2].score == 0.1);
    assert_str(r->answers[3].name, "odd=name;x");
    assert_true(r->answers[3].score == 1e-7);
    assert_true(r->interaction_at == FB_TIME_UNKNOWN);
    r = fb_record_list_get(a, 3);
    assert_int_equal(r->kind, FB_KIND_UPDATE);
    assert_int_equal(r->ref_id, 1);
    assert_int_equal(r->handling, FB_HANDLING_ASSIGNED);
    assert_str(r->assignee, "Отдел, качества");
    round_trip(a);
    fb_record_list_free(a);
}

/* Records built in C, with every awkward value the cell syntax has to carry. */
static void test_round_trip_built(void **state)
{
    fb_answer ans[4];
    fb_str tags[4];
    fb_attr attrs[3];
    fb_record rec[2];
    fb_record_list *a = NULL;
    sink s;
    (void)state;

    memset(ans, 0, sizeof ans);
    ans[0].metric = FB_METRIC_CUSTOM;
    ans[0].name = fb_str_from_cstr(" (x=y;z) \\ ");
    ans[0].scale_min = -0.000001;
    ans[0].scale_max = 123456789.125;
    ans[0].score = 1.0 / 3.0;
    ans[1].metric = FB_METRIC_CES;
    ans[1].skipped = true;
    ans[2].metric = FB_METRIC_CLI_CROSS_BUY;
    ans[2].score = 0;
    ans[3].metric = FB_METRIC_CUSTOM;
    ans[3].name = fb_str_from_cstr("big");
    ans[3].scale_min = 0;
    ans[3].scale_max = 1e300;
    ans[3].score = 2.5e299;
    tags[0] = fb_str_from_cstr("  both  ");
    tags[1] = fb_str_from_cstr(";");
    tags[2] = fb_str_from_cstr("\\");
    tags[3] = fb_str_from_cstr("a=b");
    attrs[0].key = fb_str_from_cstr(" =k; ");
    attrs[0].value = fb_str_from_cstr("");
    attrs[1].key = fb_str_from_cstr("v");
    attrs[1].value = fb_str_from_cstr("  \\;= \"q\",\n");
    attrs[2].key = fb_str_from_cstr("Ключ");
    attrs[2].value = fb_str_from_cstr("значение");
    fb_record_init(&rec[0]);
    rec[0].id = UINT64_MAX;
    rec[0].created_at = FB_TIME_MAX;
    rec[0].interaction_at = FB_TIME_MIN;
    rec[0].answers = ans;
    rec[0].n_answers = 4;
    rec[0].tags = tags;
    rec[0].n_tags = 4;
    rec[0].attrs = attrs;
    rec[0].n_attrs = 3;
    rec[0].text = fb_str_from_cstr(" \"\r,\t\x7f\x01 ");
    rec[0].customer_id = fb_str_from_cstr(" id ");
    rec[0].tip = INT64_MAX;
    rec[0].customer_status = FB_CUSTOMER_COMPETITOR;
    rec[0].source = FB_SOURCE_INFERRED;
    fb_record_init(&rec[1]);
    rec[1].kind = FB_KIND_UPDATE;
    rec[1].created_at = 1;
    rec[1].ref_id = 7;
    rec[1].handling = FB_HANDLING_CLOSED;
    rec[1].assignee_kind = FB_ASSIGNEE_DEPARTMENT;
    assert_fb_ok(fb_record_list_new(NULL, &a), NULL);
    assert_fb_ok(fb_record_list_push(a, &rec[0]), NULL);
    assert_fb_ok(fb_record_list_push(a, &rec[1]), NULL);
    round_trip(a);

    /* JSON Lines: short lines, defaults left out. */
    write_all(a, FB_FORMAT_JSONL, &s);
    assert_non_null(strstr(s.data, "\n{\"id\":0,\"kind\":\"update\",\"created_at\":\"1970-01-01T00:00:00.001Z\","
                                   "\"ref_id\":7,\"handling\":\"closed\",\"assignee_kind\":\"department\"}\n"));
    assert_non_null(strstr(s.data, "\"answers\":{\" (x=y;z) \\\\ (-1e-06..123456789.125)\":0.33333333333333331,"
                                   "\"ces\":null,\"cli_cross_buy\":0,\"big(0..1e+300)\":2.5e+299}"));
    sink_free(&s);
    write_all(a, FB_FORMAT_CSV, &s);
    assert_non_null(strstr(s.data, "\\ \\(x\\=y\\;z\\) \\\\\\ (-1e-06..123456789.125)=0.33333333333333331;ces=;"));
    assert_non_null(strstr(s.data, "\\ \\ both\\ \\ ;\\;;\\\\;a=b"));
    sink_free(&s);
    fb_record_list_free(a);
}

/* Extra columns: written after the fields, read back as attributes. */
static void extra_round_trip(fb_format f)
{
    static const char *const names[] = {"reasons", "note"};
    fb_io_writer_options o;
    fb_io_writer *w = NULL;
    fb_record_list *back;
    fb_attr attr, want_attrs[3];
    fb_record r, want;
    fb_str values[2];
    fb_error e;
    sink s;

    memset(&s, 0, sizeof s);
    fb_io_writer_options_init(&o);
    o.format = f;
    o.extra_columns = names;
    o.n_extra_columns = 2;
    assert_fb_ok(fb_io_writer_open_callback(&w, sink_write, &s, &o, &e), &e);
    fb_record_init(&r);
    r.created_at = 1000;
    r.text = fb_str_from_cstr("hello, world");
    attr.key = fb_str_from_cstr("plan");
    attr.value = fb_str_from_cstr("gold");
    r.attrs = &attr;
    r.n_attrs = 1;
    values[0] = fb_str_from_cstr("abusive,stale");
    values[1] = fb_str_from_cstr("");
    assert_fb_ok(fb_io_writer_write_extra(w, &r, values, &e), &e);
    assert_fb_ok(fb_io_writer_write(w, &r, &e), &e); /* no values: all empty */

    /* A record with an attribute named as an extra column would clash when read back. */
    attr.key = fb_str_from_cstr("Reasons");
    assert_int_equal(fb_io_writer_write_extra(w, &r, values, &e), FB_ERR_DUPLICATE);
    attr.key = fb_str_from_cstr("plan");
    values[1].ptr = "\xff";
    values[1].len = 1;
    assert_int_equal(fb_io_writer_write_extra(w, &r, values, &e), FB_ERR_UTF8);
    assert_string_equal(e.field, "note");
    assert_fb_ok(fb_io_writer_close(w, &e), &e);

    if (f == FB_FORMAT_CSV)
        assert_non_null(strstr(s.data, ",assignee_kind,reasons,note\n"));
    else
        assert_non_null(strstr(s.data, ",\"reasons\":\"abusive,stale\"}\n"));
    back = read_all(s.data, s.len, f);
    assert_int_equal(fb_record_list_count(back), 2);
    want = r;
    want_attrs[0] = attr;
    want_attrs[1].key = fb_str_from_cstr("reasons");
    want_attrs[1].value = fb_str_from_cstr("abusive,stale");
    want.attrs = want_attrs;
    want.n_attrs = 2;
    assert_true(fb_record_equal(fb_record_list_get(back, 0), &want));
    assert_true(fb_record_equal(fb_record_list_get(back, 1), &r));
    fb_record_list_free(back);
    sink_free(&s);
}

static void test_extra_columns(void **state)
{
    const char *names[2] = {"reasons", "reasons"};
    fb_io_writer_options o;
    fb_io_writer *w = NULL;
    fb_error e;
    sink s;
    (void)state;

    extra_round_trip(FB_FORMAT_CSV);
    extra_round_trip(FB_FORMAT_JSONL);

    memset(&s, 0, sizeof s);
    fb_io_writer_options_init(&o);
    o.format = FB_FORMAT_CSV;
    o.extra_columns = names;
    o.n_extra_columns = 2;
    assert_int_equal(fb_io_writer_open_callback(&w, sink_write, &s, &o, &e), FB_ERR_INVALID_ARG);
    assert_non_null(strstr(e.message, "comes twice"));
    names[1] = "Text";
    assert_int_equal(fb_io_writer_open_callback(&w, sink_write, &s, &o, &e), FB_ERR_INVALID_ARG);
    assert_non_null(strstr(e.message, "name of a field"));
    names[1] = "nps";
    assert_int_equal(fb_io_writer_open_callback(&w, sink_write, &s, &o, &e), FB_ERR_INVALID_ARG);
    names[1] = "";
    assert_int_equal(fb_io_writer_open_callback(&w, sink_write, &s, &o, &e), FB_ERR_INVALID_ARG);
    names[1] = "a\tb";
    assert_int_equal(fb_io_writer_open_callback(&w, sink_write, &s, &o, &e), FB_ERR_INVALID_ARG);
    /* A C1 control (U+0085, NEXT LINE) and DEL, as a tag's name refuses them; U+00A0 passes. */
    names[1] = "a\xc2\x85" "b";
    assert_int_equal(fb_io_writer_open_callback(&w, sink_write, &s, &o, &e), FB_ERR_INVALID_ARG);
    assert_non_null(strstr(e.message, "without control characters"));
    names[1] = "a\x7f";
    assert_int_equal(fb_io_writer_open_callback(&w, sink_write, &s, &o, &e), FB_ERR_INVALID_ARG);
    names[1] = "\xc3\xa9t\xc3\xa9\xc2\xa0x";
    assert_fb_ok(fb_io_writer_open_callback(&w, sink_write, &s, &o, &e), &e);
    assert_fb_ok(fb_io_writer_close(w, &e), &e);
    w = NULL;
    assert_non_null(strstr(s.data, "\xc3\xa9t\xc3\xa9\xc2\xa0x")); /* in the header */
    sink_free(&s);
    o.extra_columns = NULL;
    assert_int_equal(fb_io_writer_open_callback(&w, sink_write, &s, &o, &e), FB_ERR_INVALID_ARG);
    assert_null(w);
    assert_int_equal(s.calls, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_file),
        cmocka_unit_test(test_round_trip_built),
        cmocka_unit_test(test_extra_columns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
