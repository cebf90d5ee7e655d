/* Streaming in constant memory, writers (validation, write errors, files), format names. */
#include <stdlib.h>

#include "io_test.h"

/* An allocator that counts live bytes and remembers the peak. */
typedef struct counting {
    fb_allocator alloc;
    size_t live, peak;
} counting;

#define HDR 16

static void *c_malloc(void *ctx, size_t size)
{
    counting *c = ctx;
    char *p = malloc(size + HDR);
    if (!p)
        return NULL;
    memcpy(p, &size, sizeof size);
    c->live += size;
    if (c->live > c->peak)
        c->peak = c->live;
    return p + HDR;
}

static void c_free(void *ctx, void *ptr)
{
    counting *c = ctx;
    size_t size;
    char *p = (char *)ptr - HDR;
    memcpy(&size, p, sizeof size);
    c->live -= size;
    free(p);
}

static void *c_realloc(void *ctx, void *ptr, size_t old_size, size_t size)
{
    void *n = c_malloc(ctx, size);
    (void)old_size;
    if (!n)
        return NULL;
    {
        size_t had;
        memcpy(&had, (char *)ptr - HDR, sizeof had);
        memcpy(n, ptr, had < size ? had : size);
    }
    c_free(ctx, ptr);
    return n;
}

/* Produces a header and then rows on the fly, never holding more than one. */
typedef struct gen {
    fb_format format;
    long rows, done;
    char row[256];
    size_t len, pos;
} gen;

static long gen_read(void *ctx, char *buf, size_t size)
{
    gen *g = ctx;
    size_t n;

    if (g->pos == g->len) {
        if (g->done > g->rows)
            return 0;
        if (g->done == 0 && g->format == FB_FORMAT_CSV)
            g->len = (size_t)snprintf(g->row, sizeof g->row, "created_at,nps,text,tags\r\n");
        else if (g->format == FB_FORMAT_CSV)
            g->len = (size_t)snprintf(g->row, sizeof g->row,
                                      "%ld,%ld,\"row %ld, \"\"quoted\"\"\",a;b\r\n",
                                      1767312000000L + g->done, g->done % 11, g->done);
        else
            g->len = (size_t)snprintf(g->row, sizeof g->row,
                                      "{\"created_at\":%ld,\"nps\":%ld,\"text\":\"row %ld\","
                                      "\"tags\":[\"a\",\"b\"]}\n",
                                      1767312000000L + g->done, g->done % 11, g->done);
        g->pos = 0;
        g->done++;
    }
    n = g->len - g->pos < size ? g->len - g->pos : size;
    if (n > 37)
        n = 37; /* short reads, to cross row boundaries */
    memcpy(buf, g->row + g->pos, n);
    g->pos += n;
    return (long)n;
}

static void stream(fb_format f)
{
    counting c;
    gen g;
    fb_io_reader_options o;
    fb_io_reader *r = NULL;
    const fb_record *rec;
    fb_status st;
    fb_error e;
    long n = 0;

    memset(&c, 0, sizeof c);
    c.alloc.malloc = c_malloc;
    c.alloc.realloc = c_realloc;
    c.alloc.free = c_free;
    c.alloc.ctx = &c;
    memset(&g, 0, sizeof g);
    g.format = f;
    g.rows = 50000;
    g.done = f == FB_FORMAT_CSV ? 0 : 1; /* JSON Lines has no header */
    fb_io_reader_options_init(&o);
    o.format = f;
    o.alloc = &c.alloc;
    assert_fb_ok(fb_io_reader_open_callback(&r, gen_read, &g, &o, &e), &e);
    while ((st = fb_io_reader_next(r, &rec, &e)) == FB_OK) {
        assert_true(rec->answers[0].score == (double)((n + 1) % 11));
        assert_int_equal(rec->n_tags, 2);
        n++;
    }
    assert_fb_status(st, FB_DONE, &e);
    assert_int_equal(n, 50000);
    assert_int_equal(fb_io_reader_records(r), 50000);
    fb_io_reader_close(r);
    assert_int_equal(c.live, 0);
    /* A few buffers of one read each: nothing grows with the input (~10 MB here). */
    if (c.peak > 256 * 1024)
        fail_msg("peak memory %lu bytes", (unsigned long)c.peak);
}

static void test_stream_csv(void **state)
{
    (void)state;
    stream(FB_FORMAT_CSV);
}

static void test_stream_jsonl(void **state)
{
    (void)state;
    stream(FB_FORMAT_JSONL);
}

static void valid(fb_record *r, fb_answer *a)
{
    fb_record_init(r);
    r->created_at = 1767312000000LL;
    memset(a, 0, sizeof *a);
    a->metric = FB_METRIC_NPS;
    a->score = 7;
    r->answers = a;
    r->n_answers = 1;
}

static void test_writer_refuses_invalid(void **state)
{
    fb_io_writer_options o;
    fb_io_writer *w = NULL;
    fb_record r;
    fb_answer a;
    sink s;
    fb_error e;
    (void)state;

    memset(&s, 0, sizeof s);
    fb_io_writer_options_init(&o);
    o.format = FB_FORMAT_CSV;
    o.crlf = true;
    assert_fb_ok(fb_io_writer_open_callback(&w, sink_write, &s, &o, &e), &e);
    valid(&r, &a);
    assert_fb_ok(fb_io_writer_write(w, &r, &e), &e);
    a.score = 11;
    assert_fb_status(fb_io_writer_write(w, &r, &e), FB_ERR_RANGE, &e);
    assert_string_equal(e.field, "answers[0].score");
    a.score = 8;
    r.country[0] = 'r'; /* lower case: not a code */
    r.country[1] = 'u';
    assert_fb_status(fb_io_writer_write(w, &r, &e), FB_ERR_PARSE, &e);
    assert_string_equal(e.field, "country");
    assert_fb_ok(fb_io_writer_close(w, &e), &e);
    assert_int_equal(s.calls, 1);
    assert_string_equal(s.data, "id,kind,created_at,interaction_at,customer_id,customer_status,"
                                "customer_verified,win_back,channel,source,answers,text,language,"
                                "tags,agent_id,ticket_id,product,country,tip,tip_currency,attributes,"
                                "ref_id,handling,assignee,assignee_kind\r\n"
                                ",response,2026-01-02T00:00:00Z,,,unknown,false,false,other,direct,"
                                "nps=7,,,,,,,,,,,,new,,person\r\n");
    sink_free(&s);
}

static void test_write_errors(void **state)
{
    fb_io_writer_options o;
    fb_io_writer *w = NULL;
    fb_record r;
    fb_answer a;
    sink s;
    fb_error e;
    fb_status st = FB_OK;
    int i;
    (void)state;

    /* Buffered: the failure shows at close. */
    memset(&s, 0, sizeof s);
    s.fail_after = 1;
    fb_io_writer_options_init(&o);
    o.format = FB_FORMAT_JSONL;
    assert_fb_ok(fb_io_writer_open_callback(&w, sink_write, &s, &o, &e), &e);
    valid(&r, &a);
    assert_fb_ok(fb_io_writer_write(w, &r, &e), &e);
    assert_fb_status(fb_io_writer_close(w, &e), FB_ERR_IO, &e);
    assert_int_equal(e.code, FB_ERR_IO);

    /* Or at the write that fills the buffer; every later call fails too. */
    memset(&s, 0, sizeof s);
    s.fail_after = 1;
    assert_fb_ok(fb_io_writer_open_callback(&w, sink_write, &s, &o, &e), &e);
    for (i = 0; i < 10000 && st == FB_OK; i++)
        st = fb_io_writer_write(w, &r, &e);
    assert_fb_status(st, FB_ERR_IO, &e);
    assert_fb_status(fb_io_writer_write(w, &r, &e), FB_ERR_IO, &e);
    assert_fb_status(fb_io_writer_close(w, &e), FB_ERR_IO, &e);
    assert_int_equal(s.len, 0);
}

static void test_files(void **state)
{
    char path[512];
    const char *tmp = getenv("TMPDIR");
    fb_io_writer_options wo;
    fb_io_writer *w = NULL;
    fb_io_reader *r = NULL;
    const fb_record *rec;
    fb_record rr;
    fb_answer a;
    fb_error e;
    (void)state;

    snprintf(path, sizeof path, "%s/fb_io_test_%ld.JSONL", tmp ? tmp : "/tmp", (long)rand());
    fb_io_writer_options_init(&wo); /* FB_FORMAT_AUTO: the extension decides */
    assert_int_equal(wo.format, FB_FORMAT_AUTO);
    assert_fb_ok(fb_io_writer_open(&w, path, &wo, &e), &e);
    valid(&rr, &a);
    assert_fb_ok(fb_io_writer_write(w, &rr, &e), &e);
    assert_fb_ok(fb_io_writer_close(w, &e), &e);
    assert_fb_ok(fb_io_reader_open(&r, path, NULL, &e), &e);
    assert_fb_ok(fb_io_reader_next(r, &rec, &e), &e);
    assert_true(fb_record_equal(rec, &rr));
    next_done(r);
    fb_io_reader_close(r);
    {
        /* It really is JSON Lines, and an explicit format wins over the extension. */
        fb_io_reader_options ro;
        fb_io_reader_options_init(&ro);
        ro.format = FB_FORMAT_CSV;
        assert_fb_ok(fb_io_reader_open(&r, path, &ro, &e), &e);
        /* Read as CSV, the first JSON line is a header with a stray quote. */
        assert_fb_status(fb_io_reader_next(r, &rec, &e), FB_ERR_PARSE, &e);
        fb_io_reader_close(r);
    }
    remove(path);

    /* A writer with no format and an extension that names none creates nothing. */
    snprintf(path, sizeof path, "%s/fb_io_test_%ld.txt", tmp ? tmp : "/tmp", (long)rand());
    assert_fb_status(fb_io_writer_open(&w, path, NULL, &e), FB_ERR_UNKNOWN_NAME, &e);
    assert_null(w);
    assert_null(fopen(path, "rb"));
    wo.format = FB_FORMAT_CSV;
    assert_fb_ok(fb_io_writer_open(&w, path, &wo, &e), &e);
    assert_fb_ok(fb_io_writer_write(w, &rr, &e), &e);
    assert_fb_ok(fb_io_writer_close(w, &e), &e);
    /* Read back with FB_FORMAT_AUTO: ".txt" says nothing, the content says CSV. */
    assert_fb_ok(fb_io_reader_open(&r, path, NULL, &e), &e);
    assert_fb_ok(fb_io_reader_next(r, &rec, &e), &e);
    assert_true(fb_record_equal(rec, &rr));
    fb_io_reader_close(r);
    remove(path);

    assert_fb_status(fb_io_reader_open(&r, "data/does-not-exist.csv", NULL, &e), FB_ERR_IO, &e);
    assert_null(r);
    assert_non_null(strstr(e.message, "does-not-exist"));
    assert_fb_status(fb_io_writer_open(&w, "/nonexistent-dir/x.csv", NULL, &e), FB_ERR_IO, &e);
    assert_null(w);
    assert_fb_status(fb_io_reader_open(NULL, path, NULL, &e), FB_ERR_INVALID_ARG, &e);
    assert_fb_ok(fb_io_writer_close(NULL, &e), &e);
    fb_io_reader_close(NULL);
}

static void test_formats(void **state)
{
    fb_format f;
    fb_error e;
    (void)state;

    assert_string_equal(fb_format_name(FB_FORMAT_AUTO), "auto");
    assert_fb_ok(fb_format_parse("AUTO", &f, &e), &e);
    assert_int_equal(f, FB_FORMAT_AUTO);
    assert_fb_status(fb_format_from_path("x.auto", &f, &e), FB_ERR_UNKNOWN_NAME, &e);
    assert_string_equal(fb_format_name(FB_FORMAT_CSV), "csv");
    assert_string_equal(fb_format_name(FB_FORMAT_JSONL), "jsonl");
    assert_null(fb_format_name((fb_format)7));
    assert_fb_ok(fb_format_parse("NDJSON", &f, &e), &e);
    assert_int_equal(f, FB_FORMAT_JSONL);
    assert_fb_ok(fb_format_parse("Csv", &f, &e), &e);
    assert_int_equal(f, FB_FORMAT_CSV);
    assert_fb_status(fb_format_parse("xml", &f, &e), FB_ERR_UNKNOWN_NAME, &e);
    assert_fb_ok(fb_format_from_path("dir.v2/export.Json", &f, &e), &e);
    assert_int_equal(f, FB_FORMAT_JSONL);
    assert_fb_ok(fb_format_from_path("a/b.csv", &f, &e), &e);
    assert_int_equal(f, FB_FORMAT_CSV);
    assert_fb_status(fb_format_from_path("dir.csv/export", &f, &e), FB_ERR_UNKNOWN_NAME, &e);
    assert_fb_status(fb_format_from_path(".csv", &f, &e), FB_ERR_UNKNOWN_NAME, &e);
    assert_fb_status(fb_format_from_path(NULL, &f, &e), FB_ERR_INVALID_ARG, &e);
}

/* FB_FORMAT_AUTO without a path: the first byte that is not white space decides. */
static void test_format_from_content(void **state)
{
    static const struct {
        const char *data;
        const char *text; /* the text of the one record */
    } cases[] = {
        {"{\"created_at\":\"2026-01-02\",\"text\":\"j\"}\n", "j"},
        {"\xEF\xBB\xBF \r\n\t{\"created_at\":\"2026-01-02\",\"text\":\"bom\"}", "bom"},
        {"created_at,text\n2026-01-02,c\n", "c"},
        {"\xEF\xBB\xBF\"created_at\",text\n2026-01-02,{c}\n", "{c}"},
    };
    size_t i;
    (void)state;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fb_io_reader *r = NULL;
        const fb_record *rec;
        fb_error e;
        assert_fb_ok(fb_io_reader_open_memory(&r, cases[i].data, strlen(cases[i].data), NULL, &e), &e);
        assert_fb_ok(fb_io_reader_next(r, &rec, &e), &e);
        assert_int_equal(rec->text.len, strlen(cases[i].text));
        assert_memory_equal(rec->text.ptr, cases[i].text, rec->text.len);
        next_done(r);
        fb_io_reader_close(r);
    }
    {
        fb_io_writer *w = NULL;
        fb_error e;
        sink s;
        memset(&s, 0, sizeof s);
        assert_fb_status(fb_io_writer_open_callback(&w, sink_write, &s, NULL, &e), FB_ERR_INVALID_ARG, &e);
        assert_null(w);
        assert_string_equal(e.field, "format");
    }
}

/* Every allocation failure gives FB_ERR_NOMEM and leaks nothing (cmocka checks). */
static void test_allocation_failures(void **state)
{
    static const char csv_data[] = "created_at,tags,answers,x\n2026-01-02,a;b,nps=1;q(1..5)=2,y\n";
    static const char json_data[] = "{\"created_at\":\"2026-01-02\",\"tags\":[\"a\"],\"nps\":1,\"x\":\"y\"}\n";
    int k;
    long n;
    (void)state;

    for (k = 0; k < 2; k++)
        for (n = 1; n < 100; n++) {
            fb_test_alloc ta;
            fb_io_reader_options o;
            fb_io_reader *r = NULL;
            const fb_record *rec;
            fb_status st;
            const char *d = k ? json_data : csv_data;

            fb_test_alloc_init(&ta, n);
            fb_io_reader_options_init(&o);
            o.format = k ? FB_FORMAT_JSONL : FB_FORMAT_CSV;
            o.alloc = &ta.alloc;
            st = fb_io_reader_open_memory(&r, d, strlen(d), &o, NULL);
            if (st == FB_OK) {
                st = fb_io_reader_next(r, &rec, NULL);
                if (st == FB_OK)
                    st = fb_io_reader_next(r, &rec, NULL);
                fb_io_reader_close(r);
            }
            if (st == FB_DONE)
                break;
            assert_int_equal(st, FB_ERR_NOMEM);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stream_csv),
        cmocka_unit_test(test_stream_jsonl),
        cmocka_unit_test(test_writer_refuses_invalid),
        cmocka_unit_test(test_write_errors),
        cmocka_unit_test(test_files),
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_format_from_content),
        cmocka_unit_test(test_allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
