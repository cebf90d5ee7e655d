/* CSV reading: RFC 4180 details, columns, cells, errors with their positions, policies. */
#include "io_test.h"

/* The offset of needle in data (which must hold it). */
static uint64_t off_of(const char *data, const char *needle)
{
    const char *p = strstr(data, needle);
    assert_non_null(p);
    return (uint64_t)(p - data);
}

static fb_io_reader *csv(const char *data)
{
    fb_io_reader_options o;
    opts(&o, FB_FORMAT_CSV, FB_ON_ERROR_STOP, NULL);
    return open_mem(data, &o);
}

static void test_quotes_and_newlines(void **state)
{
    const char *data =
        "created_at,text,nps\n"
        "2026-01-02,\"a, \"\"quoted\"\" word\",9\n"
        "2026-01-03,\"two\r\nlines\nand three\",8\n"
        "2026-01-04,\"\",7\n"
        "2026-01-05,plain \"\"\"\" no,6\n";
    fb_io_reader *r;
    const fb_record *rec;
    (void)state;

    r = csv(data);
    rec = next_ok(r);
    assert_str(rec->text, "a, \"quoted\" word");
    assert_int_equal(fb_io_reader_line(r), 2);
    rec = next_ok(r);
    assert_str(rec->text, "two\r\nlines\nand three");
    assert_int_equal(fb_io_reader_line(r), 3);
    assert_int_equal(rec->n_answers, 1);
    assert_true(rec->answers[0].score == 8);
    rec = next_ok(r);
    assert_int_equal(fb_io_reader_line(r), 6);
    assert_int_equal(rec->text.len, 0);
    /* A quote inside an unquoted field is an error, even doubled. */
    next_err(r, FB_ERR_PARSE, 7, off_of(data, "\"\"\"\" no"), "text");
    next_done(r);
    assert_int_equal(fb_io_reader_records(r), 3);
    assert_int_equal(fb_io_reader_bad_rows(r), 1);
    fb_io_reader_close(r);
}

static void test_bom_crlf_blank_lines_last_line(void **state)
{
    const char *data = "\xEF\xBB\xBF"
                       "created_at,nps\r\n"
                       "\r\n"
                       "2026-01-02,9\r\n"
                       "\n"
                       "2026-01-03,x\r\n"
                       "2026-01-04,10";
    fb_io_reader *r = csv(data);
    const fb_record *rec;
    (void)state;

    rec = next_ok(r);
    assert_int_equal(fb_io_reader_line(r), 3);
    assert_int_equal(rec->created_at, 1767312000000LL);
    /* Offsets count the byte order mark. */
    next_err(r, FB_ERR_PARSE, 5, off_of(data, "x\r\n"), "nps");
    rec = next_ok(r);
    assert_true(rec->answers[0].score == 10);
    assert_int_equal(fb_io_reader_line(r), 6);
    next_done(r);
    next_done(r);
    fb_io_reader_close(r);
}

static void test_columns_any_order_and_defaults(void **state)
{
    const char *data = " Text ,CHANNEL,created_at,Customer_Verified,country,tip,tip_currency,id\n"
                       "hello,Web Form,2026-01-02T10:00:00+03:00,yes,ru,150,eur,42\n"
                       "hi,,1767312000000,,,,,\n";
    fb_io_reader *r = csv(data);
    const fb_record *rec;
    (void)state;

    rec = next_ok(r);
    assert_str(rec->text, "hello");
    assert_int_equal(rec->channel, FB_CHANNEL_WEB_FORM);
    assert_int_equal(rec->created_at, 1767312000000LL + 7 * 3600000LL);
    assert_true(rec->customer_verified);
    assert_string_equal(rec->country, "RU");
    assert_int_equal(rec->tip, 150);
    assert_string_equal(rec->tip_currency, "EUR");
    assert_int_equal(rec->id, 42);
    /* Empty cells and missing columns: the defaults. */
    rec = next_ok(r);
    assert_int_equal(rec->created_at, 1767312000000LL);
    assert_int_equal(rec->channel, FB_CHANNEL_OTHER);
    assert_int_equal(rec->kind, FB_KIND_RESPONSE);
    assert_false(rec->customer_verified);
    assert_true(rec->interaction_at == FB_TIME_UNKNOWN);
    assert_int_equal(rec->customer_id.len, 0);
    assert_int_equal(rec->n_tags, 0);
    assert_string_equal(rec->country, "");
    assert_int_equal(rec->tip, 0);
    next_done(r);
    fb_io_reader_close(r);
}

static void test_header_errors_are_final(void **state)
{
    fb_io_reader *r;
    const char *dup = "created_at,Text,nps, text \n2026-01-02,a,1,b\n";
    (void)state;

    r = csv("\n\ntext,nps\nhello,9\n");
    next_err(r, FB_ERR_MISSING, 3, 2, "created_at");
    next_err(r, FB_ERR_MISSING, 3, 2, "created_at");
    assert_int_equal(fb_io_reader_bad_rows(r), 0);
    fb_io_reader_close(r);

    r = csv(dup);
    next_err(r, FB_ERR_DUPLICATE, 1, off_of(dup, " text "), " text ");
    fb_io_reader_close(r);

    /* An empty input has no records. */
    r = csv("");
    next_done(r);
    fb_io_reader_close(r);
}

static void test_metric_columns_and_answers(void **state)
{
    const char *data = "nps,created_at,answers,CSAT,rating\n"
                       "9,2026-01-02,speed(1..5)=4;ces=,,\n"
                       "10,2026-01-02,nps=3,,\n";
    fb_io_reader *r = csv(data);
    const fb_record *rec;
    (void)state;

    rec = next_ok(r);
    /* The answers cell first, then the metric columns; empty metric cells: no answer. */
    assert_int_equal(rec->n_answers, 3);
    assert_int_equal(rec->answers[0].metric, FB_METRIC_CUSTOM);
    assert_str(rec->answers[0].name, "speed");
    assert_true(rec->answers[0].scale_min == 1 && rec->answers[0].scale_max == 5);
    assert_true(rec->answers[0].score == 4);
    assert_int_equal(rec->answers[1].metric, FB_METRIC_CES);
    assert_true(rec->answers[1].skipped);
    assert_int_equal(rec->answers[2].metric, FB_METRIC_NPS);
    assert_true(rec->answers[2].score == 9);
    /* The same metric in both: a duplicate, reported at the metric column. */
    next_err(r, FB_ERR_DUPLICATE, 3, off_of(data, "10,"), "nps");
    next_done(r);
    fb_io_reader_close(r);
}

static void test_unknown_columns_become_attributes(void **state)
{
    const char *data = "created_at,Region,text,attributes,store id,\n"
                       "2026-01-02,EU,hi,a=1;b=2,S-7,ignored\n"
                       "2026-01-02,,hi,,,\n";
    fb_io_reader *r = csv(data);
    const fb_record *rec;
    (void)state;

    rec = next_ok(r);
    assert_int_equal(rec->n_attrs, 4);
    assert_str(rec->attrs[0].key, "a");
    assert_str(rec->attrs[0].value, "1");
    assert_str(rec->attrs[1].key, "b");
    assert_str(rec->attrs[2].key, "Region");
    assert_str(rec->attrs[2].value, "EU");
    assert_str(rec->attrs[3].key, "store id");
    assert_str(rec->attrs[3].value, "S-7");
    rec = next_ok(r);
    assert_int_equal(rec->n_attrs, 0);
    next_done(r);
    fb_io_reader_close(r);
}

static void test_list_cells_with_escapes(void **state)
{
    const char *data =
        "created_at,tags,attributes,answers\n"
        "2026-01-02,\" a\\;b ; c\\\\d;\\ e\\ ;;\",\" k\\=1 = v\\;2 ;x=;sp = \\ y\",\"nps = 9 ; "
        "my\\ q\\(x\\) (0..1e1)=2.5;gcr=\"\n";
    fb_io_reader *r = csv(data);
    const fb_record *rec;
    (void)state;

    rec = next_ok(r);
    assert_int_equal(rec->n_tags, 3);
    assert_str(rec->tags[0], "a;b");
    assert_str(rec->tags[1], "c\\d");
    assert_str(rec->tags[2], " e ");
    assert_int_equal(rec->n_attrs, 3);
    assert_str(rec->attrs[0].key, "k=1");
    assert_str(rec->attrs[0].value, "v;2");
    assert_str(rec->attrs[1].key, "x");
    assert_str(rec->attrs[1].value, "");
    assert_str(rec->attrs[2].key, "sp");
    assert_str(rec->attrs[2].value, " y");
    assert_int_equal(rec->n_answers, 3);
    assert_int_equal(rec->answers[0].metric, FB_METRIC_NPS);
    assert_true(rec->answers[0].score == 9);
    assert_int_equal(rec->answers[1].metric, FB_METRIC_CUSTOM);
    assert_str(rec->answers[1].name, "my q(x)");
    assert_true(rec->answers[1].scale_min == 0 && rec->answers[1].scale_max == 10);
    assert_true(rec->answers[1].score == 2.5);
    assert_int_equal(rec->answers[2].metric, FB_METRIC_GCR);
    assert_true(rec->answers[2].skipped);
    next_done(r);
    fb_io_reader_close(r);
}

/* Each kind of bad cell, with its line, offset and field. */
static void test_bad_cells(void **state)
{
    const char *data = "created_at,id,channel,answers,customer_verified,country,tip,text\n"
                       "2026-02-30,,,,,,,a\n"                     /* 2: no such date */
                       "2026-01-02,12x,,,,,,a\n"                  /* 3 */
                       "2026-01-02,18446744073709551616,,,,,,a\n" /* 4: overflow */
                       "2026-01-02,,webform,,,,,a\n"              /* 5 */
                       "2026-01-02,,,nsp=3,,,,a\n"                /* 6 */
                       "2026-01-02,,,nps=1;csat=x,,,,a\n"         /* 7 */
                       "2026-01-02,,,,maybe,,,a\n"                /* 8 */
                       "2026-01-02,,,,,RUS,,a\n"                  /* 9 */
                       "2026-01-02,,,,,,9223372036854775808,a\n"  /* 10 */
                       "2026-01-02,,,,,,,\"bad \xC3\x28 utf8\"\n" /* 11 */
                       "2026-01-02,,,,,,\n"                        /* 12: one field short */
                       "2026-01-02,,,,,,,a,b\n"                    /* 13: one too many */
                       ",,,,,,,a\n"                                /* 14: no created_at */
                       "2026-01-02,,,,,,-5,a\n"                    /* 15: negative tip */
                       "2026-01-02,,,nps(1..2,,,,a\n"             /* 16 */
                       "2026-01-02,,,x(5..1)=3,,,,a\n"            /* 17 */
                       "2026-01-02,,,nps=nan,,,,a\n"              /* 18 */
                       "2026-01-02,,,a\\,,,,a\n";                 /* 19 */
    fb_io_reader *r = csv(data);
    const char *p;
    (void)state;

    next_err(r, FB_ERR_RANGE, 2, off_of(data, "2026-02-30"), "created_at");
    next_err(r, FB_ERR_PARSE, 3, off_of(data, "12x"), "id");
    next_err(r, FB_ERR_RANGE, 4, off_of(data, "1844"), "id");
    next_err(r, FB_ERR_UNKNOWN_NAME, 5, off_of(data, "webform"), "channel");
    next_err(r, FB_ERR_UNKNOWN_NAME, 6, off_of(data, "nsp=3"), "answers[0]");
    next_err(r, FB_ERR_PARSE, 7, off_of(data, "nps=1;csat"), "answers[1]");
    next_err(r, FB_ERR_PARSE, 8, off_of(data, "maybe"), "customer_verified");
    next_err(r, FB_ERR_TOO_LONG, 9, off_of(data, "RUS"), "country");
    next_err(r, FB_ERR_RANGE, 10, off_of(data, "9223372036854775808"), "tip");
    next_err(r, FB_ERR_UTF8, 11, off_of(data, "\"bad"), "text");
    p = strstr(data, "2026-01-02,,,,,,\n");
    next_err(r, FB_ERR_PARSE, 12, (uint64_t)(p - data), "text");
    next_err(r, FB_ERR_PARSE, 13, off_of(data, "b\n"), "");
    next_err(r, FB_ERR_MISSING, 14, off_of(data, "\n,,,,,,,a\n") + 1, "created_at");
    next_err(r, FB_ERR_RANGE, 15, off_of(data, "-5"), "tip");
    next_err(r, FB_ERR_PARSE, 16, off_of(data, "nps(1..2"), "answers[0]");
    next_err(r, FB_ERR_RANGE, 17, off_of(data, "x(5..1)"), "answers[0].scale");
    next_err(r, FB_ERR_PARSE, 18, off_of(data, "nps=nan"), "answers[0]");
    next_err(r, FB_ERR_PARSE, 19, off_of(data, "a\\,"), "answers");
    next_done(r);
    assert_int_equal(fb_io_reader_bad_rows(r), 18);
    fb_io_reader_close(r);
}

static void test_stop_then_continue(void **state)
{
    const char *data = "created_at,nps\n2026-01-02,1\n2026-01-02,11\n2026-01-02,2\n";
    bad_rows bad;
    fb_io_reader_options o;
    fb_io_reader *r;
    const fb_record *rec;
    (void)state;

    opts(&o, FB_FORMAT_CSV, FB_ON_ERROR_STOP, &bad);
    r = open_mem(data, &o);
    rec = next_ok(r);
    assert_true(rec->answers[0].score == 1);
    next_err(r, FB_ERR_RANGE, 3, off_of(data, "11"), "nps");
    assert_int_equal(bad.n, 1);
    assert_int_equal(bad.e[0].line, 3);
    assert_non_null(strstr(bad.e[0].message, "nps: 11 is outside the nps scale 0..10"));
    rec = next_ok(r);
    assert_true(rec->answers[0].score == 2);
    next_done(r);
    assert_int_equal(fb_io_reader_records(r), 2);
    assert_int_equal(fb_io_reader_bad_rows(r), 1);
    fb_io_reader_close(r);
}

static void test_skip_reports_every_bad_row(void **state)
{
    const char *data = "created_at,nps,text\n"
                       "2026-01-02,1,a\n"
                       "2026-01-02,1,\"broken\n" /* 3: the quote never closes properly */
                       "2026-01-02,2,b\n"        /* 4 */
                       "2026-01-02,3,\"c\"x\n"   /* 5: text after the closing quote */
                       "2026-01-02,4,\"d\"\n"    /* 6 */
                       "2026-01-02,5,e\"f\n"     /* 7: quote inside an unquoted field */
                       "2026-01-02,6,\"unclosed at the end\n"
                       "2026-01-02,7,g\n";       /* 9: read again after line 8's bad row */
    bad_rows bad;
    fb_io_reader_options o;
    fb_io_reader *r;
    const fb_record *rec;
    int n = 0;
    double scores[8];
    (void)state;

    opts(&o, FB_FORMAT_CSV, FB_ON_ERROR_SKIP, &bad);
    r = open_mem(data, &o);
    while (fb_io_reader_next(r, &rec, NULL) == FB_OK)
        scores[n++] = rec->answers[0].score;
    assert_int_equal(n, 4);
    assert_true(scores[0] == 1 && scores[1] == 2 && scores[2] == 4 && scores[3] == 7);
    assert_int_equal(bad.n, 4);
    assert_int_equal(fb_io_reader_bad_rows(r), 4);
    /* Row 3's quoted field runs on to the quote before "c": text follows it on line 5. */
    assert_int_equal(bad.e[0].code, FB_ERR_PARSE);
    assert_int_equal(bad.e[0].line, 5);
    assert_int_equal(bad.e[0].offset, off_of(data, "c\"x") );
    assert_string_equal(bad.e[0].field, "text");
    assert_int_equal(bad.e[1].line, 5);
    assert_int_equal(bad.e[1].offset, off_of(data, "x\n"));
    assert_int_equal(bad.e[2].line, 7);
    assert_int_equal(bad.e[2].offset, off_of(data, "\"f"));
    assert_int_equal(bad.e[3].line, 8);
    assert_int_equal(bad.e[3].offset, off_of(data, "\"unclosed"));
    assert_int_equal(bad.e[3].code, FB_ERR_PARSE);
    fb_io_reader_close(r);
}

static void test_row_cap(void **state)
{
    size_t big = ((size_t)1 << 20) + 100, ok = ((size_t)1 << 20) - 100, n = 0;
    char *data = malloc(3 * big);
    fb_io_reader_options o;
    bad_rows bad;
    fb_io_reader *r;
    const fb_record *rec;
    (void)state;

    assert_non_null(data);
    n += (size_t)sprintf(data + n, "created_at,text\n2026-01-02,");
    memset(data + n, 'a', big);
    n += big;
    n += (size_t)sprintf(data + n, "\n2026-01-02,\"");
    memset(data + n, 'q', ok);
    n += ok;
    n += (size_t)sprintf(data + n, "\"\n2026-01-02,\"x\n");
    memset(data + n, 'z', big);
    n += big;
    n += (size_t)sprintf(data + n, "\n2026-01-02,last\n");
    data[n] = '\0';

    opts(&o, FB_FORMAT_CSV, FB_ON_ERROR_SKIP, &bad);
    o.no_validate = true;
    assert_fb_ok(fb_io_reader_open_memory(&r, data, n, &o, NULL), NULL);
    rec = next_ok(r); /* a row just under the cap is fine */
    assert_int_equal(rec->text.len, ok);
    assert_int_equal(fb_io_reader_line(r), 3);
    rec = next_ok(r); /* after the open quote's row, reading resumes on its next line */
    assert_int_equal(fb_io_reader_line(r), 6);
    assert_str(rec->text, "last");
    next_done(r);
    assert_int_equal(bad.n, 3);
    assert_int_equal(bad.e[0].code, FB_ERR_TOO_LONG);
    assert_int_equal(bad.e[0].line, 2);
    assert_int_equal(bad.e[0].offset, 16);
    assert_int_equal(bad.e[1].code, FB_ERR_TOO_LONG);
    assert_int_equal(bad.e[1].line, 4);
    /* reading resumed at line 5, itself longer than the cap */
    assert_int_equal(bad.e[2].code, FB_ERR_TOO_LONG);
    assert_int_equal(bad.e[2].line, 5);
    fb_io_reader_close(r);
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quotes_and_newlines),
        cmocka_unit_test(test_bom_crlf_blank_lines_last_line),
        cmocka_unit_test(test_columns_any_order_and_defaults),
        cmocka_unit_test(test_header_errors_are_final),
        cmocka_unit_test(test_metric_columns_and_answers),
        cmocka_unit_test(test_unknown_columns_become_attributes),
        cmocka_unit_test(test_list_cells_with_escapes),
        cmocka_unit_test(test_bad_cells),
        cmocka_unit_test(test_stop_then_continue),
        cmocka_unit_test(test_skip_reports_every_bad_row),
        cmocka_unit_test(test_row_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
