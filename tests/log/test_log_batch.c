/*
 * Reading columns: fb_log_reader_next_batch gives the same records, in the
 * same order, as fb_log_reader_next, with every projection, time range and
 * seek, and mixed with it.
 */
#include "log_file_test.h"

static const char *const files[] = {"batch.fbl"};

enum { N = 500, CHUNK = 64 };

/* Record i of batch b as an fb_record, built from its columns alone. */
static void record_of(const fb_record_batch *b, size_t i, fb_record *r)
{
    fb_record_init(r);
    r->created_at = b->created_at[i];
    if (b->id)
        r->id = b->id[i];
    if (b->kind)
        r->kind = b->kind[i];
    if (b->interaction_at)
        r->interaction_at = b->interaction_at[i];
    if (b->customer_id) {
        r->customer_id = b->customer_id[i];
        r->customer_status = b->customer_status[i];
        r->customer_verified = b->customer_verified[i];
        r->win_back = b->win_back[i];
    }
    if (b->channel) {
        r->channel = b->channel[i];
        r->source = b->source[i];
    }
    if (b->answers_of) {
        r->n_answers = b->answers_of[i + 1] - b->answers_of[i];
        r->answers = b->answers + b->answers_of[i];
    }
    if (b->text) {
        r->text = b->text[i];
        r->language = b->language[i];
    }
    if (b->tags_of) {
        r->n_tags = b->tags_of[i + 1] - b->tags_of[i];
        r->tags = b->tags + b->tags_of[i];
    }
    if (b->agent_id) {
        r->agent_id = b->agent_id[i];
        r->ticket_id = b->ticket_id[i];
        r->product = b->product[i];
        memcpy(r->country, b->country[i], sizeof r->country);
    }
    if (b->tip) {
        r->tip = b->tip[i];
        memcpy(r->tip_currency, b->tip_currency[i], sizeof r->tip_currency);
    }
    if (b->attrs_of) {
        r->n_attrs = b->attrs_of[i + 1] - b->attrs_of[i];
        r->attrs = b->attrs + b->attrs_of[i];
    }
    if (b->ref_id) {
        r->ref_id = b->ref_id[i];
        r->handling = b->handling[i];
        r->assignee = b->assignee[i];
        r->assignee_kind = b->assignee_kind[i];
    }
}

/* Which of a batch's arrays are there, as FB_LOG_FIELD_* bits (created_at always). */
static uint32_t fields_of(const fb_record_batch *b)
{
    uint32_t f = FB_LOG_FIELD_CREATED_AT;
    if (b->id)
        f |= FB_LOG_FIELD_ID;
    if (b->kind)
        f |= FB_LOG_FIELD_KIND;
    if (b->interaction_at)
        f |= FB_LOG_FIELD_INTERACTION_AT;
    if (b->customer_id && b->customer_status && b->customer_verified && b->win_back)
        f |= FB_LOG_FIELD_CUSTOMER;
    if (b->channel && b->source)
        f |= FB_LOG_FIELD_CHANNEL;
    if (b->answers_of && b->answers)
        f |= FB_LOG_FIELD_ANSWERS;
    if (b->text && b->language)
        f |= FB_LOG_FIELD_TEXT;
    if (b->tags_of && b->tags)
        f |= FB_LOG_FIELD_TAGS;
    if (b->agent_id && b->ticket_id && b->product && b->country)
        f |= FB_LOG_FIELD_SERVICE;
    if (b->tip && b->tip_currency)
        f |= FB_LOG_FIELD_TIP;
    if (b->attrs_of && b->attrs)
        f |= FB_LOG_FIELD_ATTRS;
    if (b->ref_id && b->handling && b->assignee && b->assignee_kind)
        f |= FB_LOG_FIELD_UPDATE;
    return f;
}

/* A reader of path with options o, positioned at sequence number seek_to (UINT64_MAX: no seek). */
static fb_log_reader *open_at(const char *path, const fb_log_reader_options *o, uint64_t seek_to)
{
    fb_log_reader *r = NULL;
    fb_error e;
    assert_fb_ok(fb_log_reader_open(&r, path, o, &e), &e);
    if (seek_to != UINT64_MAX)
        assert_fb_ok(fb_log_reader_seek_seq(r, seek_to, &e), &e);
    return r;
}

/*
 * Reads path with options o through two readers in step: one a record at a
 * time, the other `singles` records at a time and then by batches, and checks
 * that both give the same records with the same sequence numbers. Returns
 * how many.
 */
static size_t compare(const char *path, const fb_log_reader_options *o, size_t singles,
                      uint64_t seek_to)
{
    fb_log_reader *one = open_at(path, o, seek_to), *many = open_at(path, o, seek_to);
    uint32_t projected = (o->fields ? o->fields : FB_LOG_FIELD_ALL) | FB_LOG_FIELD_CREATED_AT;
    const fb_record *want, *got;
    fb_record_batch b;
    fb_log_stats stats;
    fb_status st;
    fb_error e;
    size_t n = 0, i;

    for (i = 0; i < singles; i++, n++) {
        assert_fb_ok(fb_log_reader_next(one, &want, &e), &e);
        assert_fb_ok(fb_log_reader_next(many, &got, &e), &e);
        assert_true(fb_record_equal(got, want));
        assert_int_equal(fb_log_reader_seq(many), fb_log_reader_seq(one));
    }
    while ((st = fb_log_reader_next_batch(many, &b, &e)) == FB_OK) {
        assert_true(b.n >= 1);
        assert_int_equal(fields_of(&b), projected);
        assert_int_equal(fb_log_reader_seq(many), b.first_seq + b.n - 1);
        for (i = 0; i < b.n; i++, n++) {
            fb_record mine;
            assert_fb_ok(fb_log_reader_next(one, &want, &e), &e);
            assert_int_equal(b.first_seq + i, fb_log_reader_seq(one));
            record_of(&b, i, &mine);
            if (!fb_record_equal(&mine, want))
                fail_msg("record %llu differs in the batch from %llu",
                         (unsigned long long)(b.first_seq + i), (unsigned long long)b.first_seq);
        }
    }
    /* The end: n = 0, for both. */
    assert_fb_status(st, FB_DONE, &e);
    assert_int_equal(b.n, 0);
    assert_fb_status(fb_log_reader_next(one, &want, &e), FB_DONE, &e);
    fb_log_reader_stats(many, &stats);
    assert_int_equal(stats.records, n);
    fb_log_reader_close(one);
    fb_log_reader_close(many);
    return n;
}

static void test_batches(void **state)
{
    static gen_rec g[N];
    static const uint32_t projections[] = {
        0,
        FB_LOG_FIELD_CHANNEL | FB_LOG_FIELD_ANSWERS,
        FB_LOG_FIELD_UPDATE,
        FB_LOG_FIELD_ID | FB_LOG_FIELD_TEXT | FB_LOG_FIELD_TAGS | FB_LOG_FIELD_ATTRS,
        FB_LOG_FIELD_CUSTOMER | FB_LOG_FIELD_SERVICE | FB_LOG_FIELD_TIP | FB_LOG_FIELD_KIND |
            FB_LOG_FIELD_INTERACTION_AT,
    };
    fb_log_reader_options o;
    tmp_dir t;
    const char *p;
    size_t i;
    (void)state;

    tmp_dir_make(&t);
    p = tmp_file(&t, files[0]);
    gen_records(g, N, 7, 1000);
    write_log(p, g, N, CHUNK, 1, false);

    for (i = 0; i < sizeof projections / sizeof projections[0]; i++) {
        fb_log_reader_options_init(&o);
        o.fields = projections[i];
        /* Whole chunks: N / CHUNK full ones and a last short one. */
        assert_int_equal(compare(p, &o, 0, UINT64_MAX), N);
        /* Mixed: some records one at a time, then batches from the middle of a chunk. */
        assert_int_equal(compare(p, &o, CHUNK + 5, UINT64_MAX), N);
        /* After a seek into the middle of a chunk. */
        assert_int_equal(compare(p, &o, 0, 3 * CHUNK + 10), N - (3 * CHUNK + 10));
    }
    /* A time range whose bounds fall inside chunks: batches stop at them. */
    fb_log_reader_options_init(&o);
    o.time_from = g[CHUNK + 10].r.created_at;
    o.time_to = g[4 * CHUNK + 20].r.created_at;
    assert_int_equal(compare(p, &o, 0, UINT64_MAX), 3 * CHUNK + 10);
    tmp_dir_remove(&t, files, 1);
}

/* Batches of a log with one chunk of many records come whole; NULL arguments are refused. */
static void test_batch_shape(void **state)
{
    static gen_rec g[N];
    fb_log_reader_options o;
    fb_log_reader *r = NULL;
    fb_record_batch b;
    tmp_dir t;
    const char *p;
    fb_error e;
    (void)state;

    tmp_dir_make(&t);
    p = tmp_file(&t, files[0]);
    gen_records(g, N, 8, 1000);
    write_log(p, g, N, 0, 1, true);
    fb_log_reader_options_init(&o);
    o.fields = FB_LOG_FIELD_ANSWERS;
    assert_fb_ok(fb_log_reader_open(&r, p, &o, &e), &e);
    assert_fb_status(fb_log_reader_next_batch(r, NULL, &e), FB_ERR_INVALID_ARG, &e);
    assert_fb_status(fb_log_reader_next_batch(NULL, &b, &e), FB_ERR_INVALID_ARG, &e);
    assert_fb_ok(fb_log_reader_next_batch(r, &b, &e), &e);
    assert_int_equal(b.n, N);
    assert_int_equal(b.first_seq, 0);
    assert_int_equal(fb_log_reader_seq(r), N - 1);
    /* Only what was asked for: created_at always, the answers, nothing else. */
    assert_non_null(b.created_at);
    assert_non_null(b.answers_of);
    assert_null(b.channel);
    assert_null(b.id);
    assert_null(b.text);
    assert_int_equal(b.answers_of[0], 0);
    assert_int_equal(b.created_at[N - 1], g[N - 1].r.created_at);
    assert_fb_status(fb_log_reader_next_batch(r, &b, &e), FB_DONE, &e);
    fb_log_reader_close(r);
    tmp_dir_remove(&t, files, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_batches),
        cmocka_unit_test(test_batch_shape),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
