/*
 * The handles of the bindings (bindings/fbb.h): columns against records,
 * readers and writers, the chain, summaries, metrics of arrays, and every
 * closed or out-of-range use refused with an error instead of a crash.
 */
#include <math.h>
#include <stdlib.h>

#include "fb_test.h"
#include "fbb.h"
#include "fbb_columns.h"
#include "fbb_dict.h"

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
    size_t row = 0, bytes, n;

    assert_non_null(r);
    c = fbb_columns_read(r, (1ull << FBB_COL_COUNT) - 1, 1, &err);
    assert_non_null(c);
    assert_int_equal(fbb_columns_rows(c), 2000);
    again = fbb_reader_open(path, NULL, 0, FB_TIME_UNKNOWN, FB_TIME_UNKNOWN, false, false, &err);
    while (fbb_reader_next(again, &rec, &err) == FB_OK && rec) {
        const uint64_t *id = fbb_columns_data(c, FBB_COL_ID, &bytes);
        const int64_t *created = fbb_columns_data(c, FBB_COL_CREATED_AT, &bytes);
        const int64_t *interaction = fbb_columns_data(c, FBB_COL_INTERACTION_AT, &bytes);
        const uint8_t *channel = fbb_columns_data(c, FBB_COL_CHANNEL, &bytes);
        const double *nps = fbb_columns_data(c, FBB_COL_METRIC0 + FB_METRIC_NPS, &bytes);
        const int32_t *tag_lists = fbb_columns_data(c, FBB_COL_TAGS, &bytes);
        const int32_t *attr_lists = fbb_columns_data(c, FBB_COL_ATTRIBUTES, &bytes);
        const fb_answer *a = fb_record_answer(rec, FB_METRIC_NPS);
        const int32_t *items;
        size_t k;

        assert_int_equal(id[row], rec->id);
        assert_int_equal(created[row], rec->created_at);
        assert_int_equal(interaction[row], rec->interaction_at);
        assert_int_equal(channel[row], rec->channel);
        if (a && !a->skipped)
            assert_true(nps[row] == a->score);
        else
            assert_true(isnan(nps[row]));
        assert_true(str_eq(col_str(c, FBB_COL_TEXT, row), rec->text));
        assert_true(str_eq(col_str(c, FBB_COL_CUSTOMER_ID, row), rec->customer_id));
        assert_true(str_eq(col_str(c, FBB_COL_AGENT_ID, row), rec->agent_id));
        items = fbb_columns_list_at(c, FBB_COL_TAGS, (size_t)tag_lists[row], &n);
        assert_int_equal(n, rec->n_tags);
        for (k = 0; k < n; k++)
            assert_true(str_eq(fbb_columns_dict_at(c, FBB_COL_TAGS, (size_t)items[k]),
                               rec->tags[k]));
        items = fbb_columns_list_at(c, FBB_COL_ATTRIBUTES, (size_t)attr_lists[row], &n);
        assert_int_equal(n, 2 * rec->n_attrs);
        for (k = 0; k < rec->n_attrs; k++) {
            assert_true(str_eq(fbb_columns_dict_at(c, FBB_COL_ATTRIBUTES, (size_t)items[2 * k]),
                               rec->attrs[k].key));
            assert_true(str_eq(fbb_columns_dict_at(c, FBB_COL_ATTRIBUTES,
                                                   (size_t)items[2 * k + 1]),
                               rec->attrs[k].value));
        }
        row++;
    }
    assert_int_equal(row, 2000);
    /* Rows share their lists: fewer distinct lists than rows, and at least one. */
    assert_in_range(fbb_columns_lists(c, FBB_COL_TAGS), 1, 1999);
    assert_null(fbb_columns_list_at(c, FBB_COL_TAGS, fbb_columns_lists(c, FBB_COL_TAGS), &n));
    assert_int_equal(n, 0);
    {
        /* Taken: the caller's to free, the column left empty. */
        fbb_buf ids = fbb_columns_take(c, FBB_COL_ID);
        assert_non_null(ids.data);
        assert_int_equal(ids.len, 2000 * sizeof(uint64_t));
        fbb_buf_free(&ids);
        assert_null(ids.data);
        ids = fbb_columns_take(c, FBB_COL_ID);
        assert_null(ids.data);
        assert_int_equal(ids.len, 0);
        fbb_columns_data(c, FBB_COL_ID, &bytes);
        assert_int_equal(bytes, 0);
    }
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

/* The columns of a whole log read on threads (strict: damage stops the read); NULL on error. */
static fbb_columns *read_columns(const char *path, fb_time from, fb_time to, bool strict,
                                 unsigned threads, fbb_reader **r, fb_error *err)
{
    fbb_columns *c;

    *r = fbb_reader_open(path, NULL, 0, from, to, false, strict, err);
    assert_non_null(*r);
    assert_true(fbb_reader_can_split(*r));
    c = fbb_columns_read(*r, (1ull << FBB_COL_COUNT) - 1, threads, err);
    assert_false(fbb_reader_can_split(*r));
    return c;
}

static void assert_same_str(fb_str a, fb_str b)
{
    assert_int_equal(a.len, b.len);
    if (a.len)
        assert_memory_equal(a.ptr, b.ptr, a.len);
}

/*
 * Column col of a and b holds the same string in every row, and the
 * dictionary of b (read in parts, each part's strings kept) at least the
 * strings of a's; none (-1) where a has none.
 */
static void assert_same_strings(const fbb_columns *a, const fbb_columns *b, fbb_column col)
{
    size_t row, na, nb;
    const int32_t *ca = fbb_columns_data(a, col, &na), *cb = fbb_columns_data(b, col, &nb);

    assert_int_equal(na, nb);
    assert_true(fbb_columns_dict_size(b, col) >= fbb_columns_dict_size(a, col));
    for (row = 0; row < na / sizeof *ca; row++) {
        assert_int_equal(ca[row] < 0, cb[row] < 0);
        if (ca[row] >= 0)
            assert_same_str(col_str(a, col, row), col_str(b, col, row));
    }
}

/*
 * a and b hold the same bytes: every array, dictionary and list, and so the
 * same codes; STRINGS and TEXT columns the same strings (assert_same_strings).
 */
static void assert_same_columns(const fbb_columns *a, const fbb_columns *b)
{
    size_t i, k, na, nb;
    int col;

    assert_int_equal(fbb_columns_rows(a), fbb_columns_rows(b));
    for (col = 0; col < FBB_COL_COUNT; col++) {
        const void *da = fbb_columns_data(a, (fbb_column)col, &na);
        const void *db = fbb_columns_data(b, (fbb_column)col, &nb);
        fb_str sa = {da, na}, sb = {db, nb};
        fbb_column_type type = fbb_column_type_of((fbb_column)col);
        if (type == FBB_TYPE_STRINGS || type == FBB_TYPE_TEXT) {
            assert_same_strings(a, b, (fbb_column)col);
            continue;
        }
        assert_same_str(sa, sb);
        assert_int_equal(fbb_columns_dict_size(a, (fbb_column)col),
                         fbb_columns_dict_size(b, (fbb_column)col));
        for (i = 0; i < fbb_columns_dict_size(a, (fbb_column)col); i++)
            assert_same_str(fbb_columns_dict_at(a, (fbb_column)col, i),
                            fbb_columns_dict_at(b, (fbb_column)col, i));
        assert_int_equal(fbb_columns_lists(a, (fbb_column)col),
                         fbb_columns_lists(b, (fbb_column)col));
        for (i = 0; i < fbb_columns_lists(a, (fbb_column)col); i++) {
            const int32_t *la = fbb_columns_list_at(a, (fbb_column)col, i, &na);
            const int32_t *lb = fbb_columns_list_at(b, (fbb_column)col, i, &nb);
            assert_int_equal(na, nb);
            for (k = 0; k < na; k++)
                assert_int_equal(la[k], lb[k]);
        }
    }
}

/* A copy of the log at from with a byte flipped at each of the fractions of its size. */
static void damage_copy(const char *from, const char *to, const double *at, size_t n)
{
    FILE *f = fopen(from, "rb");
    char *bytes;
    long size;
    size_t i;

    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    rewind(f);
    bytes = malloc((size_t)size);
    assert_non_null(bytes);
    assert_int_equal(fread(bytes, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    for (i = 0; i < n; i++)
        bytes[(long)(at[i] * (double)size)] ^= 0x5A;
    f = fopen(to, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    free(bytes);
}

/*
 * A log read in parts on threads gives what one reader gives: the same bytes
 * in every column, the same records counted, the same damage told in the
 * same order, the same error in strict mode; the reader is then at its end.
 * (FBB_PART_MIN_BYTES is small in this test, so that a small log splits.)
 */
static void test_parts(void **state)
{
    static const unsigned threads[] = {2, 3, 16};
    static const double at[] = {0.31, 0.62, 0.63};
    const char *log = FB_WORK "/parts.fblog", *bad = FB_WORK "/parts-damaged.fblog";
    const fb_time from = 1756684800000, to = 1772323200000; /* 2025-09-01 .. 2026-03-01 */
    fbb_reader *r1, *rn;
    fbb_columns *one, *many;
    const fb_record *rec;
    fb_error err, err_n;
    size_t t, i;

    (void)state;
    make_log(log, 37);
    for (t = 0; t < sizeof threads / sizeof threads[0]; t++) {
        one = read_columns(log, FB_TIME_UNKNOWN, FB_TIME_UNKNOWN, false, 1, &r1, &err);
        many = read_columns(log, FB_TIME_UNKNOWN, FB_TIME_UNKNOWN, false, threads[t], &rn, &err);
        assert_non_null(one);
        assert_non_null(many);
        assert_int_equal(fbb_columns_rows(many), 2000);
        assert_same_columns(one, many);
        /* Texts of many parts ("" at least) kept in each part's dictionary, not merged. */
        assert_true(fbb_columns_dict_size(many, FBB_COL_TEXT) >
                    fbb_columns_dict_size(one, FBB_COL_TEXT));
        assert_int_equal(fbb_reader_records(rn), 2000);
        assert_fb_ok(fbb_reader_next(rn, &rec, &err), &err);
        assert_null(rec); /* nothing left */
        fbb_columns_free(one);
        fbb_columns_free(many);
        fbb_reader_free(r1);
        fbb_reader_free(rn);
    }

    /*
     * Read early: the strings and lists are whole at once and can be read
     * while the numbers are joined on another thread (TSan watches both);
     * once settled, the columns are those of a read that waits.
     */
    one = read_columns(log, FB_TIME_UNKNOWN, FB_TIME_UNKNOWN, false, 1, &r1, &err);
    rn = fbb_reader_open(log, NULL, 0, FB_TIME_UNKNOWN, FB_TIME_UNKNOWN, false, false, &err);
    assert_non_null(rn);
    many = fbb_columns_read_early(rn, (1ull << FBB_COL_COUNT) - 1, 3, &err);
    assert_non_null(many);
    assert_int_equal(fbb_columns_rows(many), 2000);
    for (i = 0; i < FBB_COL_COUNT; i++)
        if (!fbb_column_is_number((fbb_column)i) &&
            fbb_column_type_of((fbb_column)i) != FBB_TYPE_DICT &&
            fbb_column_type_of((fbb_column)i) != FBB_TYPE_LIST &&
            fbb_column_type_of((fbb_column)i) != FBB_TYPE_PAIRS)
            assert_same_strings(one, many, (fbb_column)i);
    {
        fbb_buf ids = fbb_columns_take(many, FBB_COL_ID); /* waits for the numbers */
        size_t bytes;
        const void *want = fbb_columns_data(one, FBB_COL_ID, &bytes);
        assert_int_equal(ids.len, bytes);
        assert_memory_equal(ids.data, want, bytes);
        fbb_buf_free(&ids);
    }
    assert_int_equal(fbb_columns_settle(many), 0);
    fbb_columns_free(many);
    fbb_reader_free(rn);
    /* Freed before it is settled: the joining is waited for, not cut short. */
    rn = fbb_reader_open(log, NULL, 0, FB_TIME_UNKNOWN, FB_TIME_UNKNOWN, false, false, &err);
    many = fbb_columns_read_early(rn, (1ull << FBB_COL_COUNT) - 1, 2, &err);
    assert_non_null(many);
    fbb_columns_free(many);
    fbb_reader_free(rn);
    rn = fbb_reader_open(log, NULL, 0, FB_TIME_UNKNOWN, FB_TIME_UNKNOWN, false, false, &err);
    many = fbb_columns_read_early(rn, (1ull << FBB_COL_COUNT) - 1, 2, &err);
    assert_int_equal(fbb_columns_settle(many), 0);
    assert_same_columns(one, many);
    fbb_columns_free(many);
    fbb_reader_free(rn);
    fbb_columns_free(one);
    fbb_reader_free(r1);

    /* A time range. */
    one = read_columns(log, from, to, false, 1, &r1, &err);
    many = read_columns(log, from, to, false, 3, &rn, &err);
    assert_in_range(fbb_columns_rows(one), 1, 1999);
    assert_same_columns(one, many);
    fbb_columns_free(one);
    fbb_columns_free(many);
    fbb_reader_free(r1);
    fbb_reader_free(rn);

    /* Damage: skipped and told alike; in strict mode, the same first error. */
    damage_copy(log, bad, at, sizeof at / sizeof at[0]);
    one = read_columns(bad, FB_TIME_UNKNOWN, FB_TIME_UNKNOWN, false, 1, &r1, &err);
    many = read_columns(bad, FB_TIME_UNKNOWN, FB_TIME_UNKNOWN, false, 3, &rn, &err);
    assert_non_null(one);
    assert_in_range(fbb_columns_rows(one), 1, 1999);
    assert_same_columns(one, many);
    assert_in_range(fbb_reader_damaged_regions(r1), 1, 3);
    assert_int_equal(fbb_reader_damaged_regions(rn), fbb_reader_damaged_regions(r1));
    assert_int_equal(fbb_reader_damage_count(rn), fbb_reader_damage_count(r1));
    for (i = 0; i < fbb_reader_damage_count(r1); i++) {
        fb_log_damage d1, dn;
        assert_fb_ok(fbb_reader_damage_at(r1, i, &d1, &err), &err);
        assert_fb_ok(fbb_reader_damage_at(rn, i, &dn, &err), &err);
        assert_int_equal(dn.offset, d1.offset);
        assert_int_equal(dn.bytes, d1.bytes);
    }
    fbb_columns_free(one);
    fbb_columns_free(many);
    fbb_reader_free(r1);
    fbb_reader_free(rn);
    assert_null(read_columns(bad, FB_TIME_UNKNOWN, FB_TIME_UNKNOWN, true, 1, &r1, &err));
    assert_null(read_columns(bad, FB_TIME_UNKNOWN, FB_TIME_UNKNOWN, true, 3, &rn, &err_n));
    assert_int_equal(err.code, FB_ERR_CORRUPT);
    assert_int_equal(err_n.code, FB_ERR_CORRUPT);
    assert_int_equal(err_n.offset, err.offset);
    assert_string_equal(err_n.message, err.message);
    assert_int_equal(fbb_reader_damaged_regions(rn), fbb_reader_damaged_regions(r1));
    fbb_reader_free(r1);
    fbb_reader_free(rn);

    /* Another file moved to the path after the reader opened it: the reader's file is read. */
    {
        const char *moved = FB_WORK "/parts-moved.fblog";
        damage_copy(log, moved, at, 0);
        rn = fbb_reader_open(moved, NULL, 0, FB_TIME_UNKNOWN, FB_TIME_UNKNOWN, false, false,
                             &err);
        assert_non_null(rn);
        assert_true(fbb_reader_can_split(rn));
        assert_int_equal(rename(bad, moved), 0);
        assert_false(fbb_reader_can_split(rn));
        many = fbb_columns_read(rn, (1ull << FBB_COL_COUNT) - 1, 3, &err);
        assert_non_null(many);
        assert_int_equal(fbb_columns_rows(many), 2000); /* not the damaged log's fewer */
        fbb_columns_free(many);
        fbb_reader_free(rn);
    }
}

/*
 * The dictionary through many growths: every string keeps its first code,
 * whether found by address, by hash or as moving bytes; strings that share
 * their first 8 bytes, or are a prefix of one another, stay apart.
 */
static void test_dict(void **state)
{
    fbb_dict d;
    char s[32];
    size_t i;
    fb_str e = {"", 0}, n = {NULL, 0};

    (void)state;
    memset(&d, 0, sizeof d);
    assert_int_equal(fbb_dict_code(&d, e), 0);
    assert_int_equal(fbb_dict_code(&d, n), 0); /* none is "" */
    for (i = 0; i < 20000; i++) {
        fb_str t;
        t.len = (size_t)snprintf(s, sizeof s, i % 2 ? "customer-%06zu-long" : "c%zu", i);
        t.ptr = s;
        fbb_dict_new_run(&d); /* s is rewritten: its address says nothing */
        assert_int_equal(fbb_dict_code(&d, t), (int32_t)i + 1);
    }
    assert_int_equal(d.count, 20001);
    for (i = 0; i < 20000; i++) {
        size_t len = (size_t)snprintf(s, sizeof s, i % 2 ? "customer-%06zu-long" : "c%zu", i);
        fb_str t = fbb_dict_at(&d, i + 1);
        assert_int_equal(fbb_dict_code_bytes(&d, s, len), (int32_t)i + 1);
        assert_int_equal(t.len, len);
        assert_memory_equal(t.ptr, s, len);
    }
    /* A prefix of a string, and a string past its first 8 bytes, are new. */
    assert_int_equal(fbb_dict_code_bytes(&d, "customer-000001-lon", 19), 20001);
    assert_int_equal(fbb_dict_code_bytes(&d, "customer-000001-longer", 22), 20002);
    assert_int_equal(fbb_dict_code_bytes(&d, "c1", 2), 20003); /* "c1" was never added: odd */
    assert_int_equal(fbb_dict_code_bytes(&d, "c2", 2), 3);
    assert_int_equal(fbb_dict_code_bytes(&d, "", 0), 0);
    fbb_dict_free(&d);
    assert_int_equal(d.count, 0);

    /*
     * Short strings that differ in one byte anywhere, or only in length (a
     * string of at most 8 bytes is read by loads that overlap): each its own
     * code, found again by its bytes, by address, and as moving bytes.
     */
    {
        int32_t codes[16][17];
        size_t len, k, pass;
        for (pass = 0; pass < 2; pass++)
            for (len = 1; len <= 16; len++)
                for (k = 0; k <= len; k++) { /* k == len: no byte changed */
                    fb_str t;
                    int32_t code;
                    memset(s, 'x', len);
                    if (k < len)
                        s[k] = 'y';
                    t.ptr = s;
                    t.len = len;
                    fbb_dict_new_run(&d);
                    code = pass ? fbb_dict_code_bytes(&d, s, len) : fbb_dict_code(&d, t);
                    if (pass)
                        assert_int_equal(code, codes[len - 1][k]);
                    else
                        codes[len - 1][k] = code;
                    assert_int_equal(fbb_dict_code(&d, t), code);
                }
        assert_int_equal(d.count, 152); /* len + 1 strings of each length len, 1..16 */
        fbb_dict_free(&d);
    }
}

/*
 * Dictionaries appended whole: src's codes follow dst's, a string both hold
 * twice; lookups then find a string by its first code, and new strings
 * come after all (the slots are rebuilt for every code).
 */
static void test_dict_append(void **state)
{
    fbb_dict dst, src, empty;
    char s[32];
    size_t i;

    (void)state;
    memset(&dst, 0, sizeof dst);
    memset(&src, 0, sizeof src);
    memset(&empty, 0, sizeof empty);
    for (i = 0; i < 3000; i++) {
        size_t len = (size_t)snprintf(s, sizeof s, "customer-%06zu", i);
        if (i < 2000)
            assert_int_equal(fbb_dict_code_bytes(&dst, s, len), (int32_t)i);
        if (i >= 1000)
            assert_int_equal(fbb_dict_code_bytes(&src, s, len), (int32_t)(i - 1000));
    }
    assert_int_equal(fbb_dict_code_bytes(&src, "", 0), 2000);
    assert_int_equal(fbb_dict_append_all(&dst, &empty), 2000);
    assert_int_equal(fbb_dict_append_all(&dst, &src), 2000);
    assert_int_equal(dst.count, 4001);
    for (i = 0; i < src.count; i++) {
        fb_str a = fbb_dict_at(&src, i), b = fbb_dict_at(&dst, 2000 + i);
        assert_int_equal(a.len, b.len);
        assert_memory_equal(a.ptr, b.ptr, a.len);
    }
    for (i = 0; i < 3000; i++) {
        size_t len = (size_t)snprintf(s, sizeof s, "customer-%06zu", i);
        assert_int_equal(fbb_dict_code_bytes(&dst, s, len), (int32_t)(i < 2000 ? i : i + 1000));
    }
    assert_int_equal(fbb_dict_code_bytes(&dst, "", 0), 4000);
    assert_int_equal(fbb_dict_code_bytes(&dst, "new", 3), 4001);
    assert_int_equal(fbb_dict_append_all(&empty, &src), 0); /* into an empty one */
    assert_int_equal(fbb_dict_code_bytes(&empty, "customer-002999", 15), 1999);
    fbb_dict_free(&dst);
    fbb_dict_free(&src);
    fbb_dict_free(&empty);
}

/*
 * Columns with room reserved take that many rows in place, and hand their
 * arrays over at the size of the rows that came, not of the room.
 */
static void test_reserve(void **state)
{
    const uint64_t wanted = 1ull << FBB_COL_ID | 1ull << FBB_COL_CUSTOMER_ID;
    fbb_columns *c = fbb_columns_new(wanted);
    const void *ids, *codes;
    fb_record r;
    fbb_buf taken;
    size_t i, bytes;

    (void)state;
    assert_non_null(c);
    fb_record_init(&r);
    r.customer_id.ptr = "c-1";
    r.customer_id.len = 3;
    assert_int_equal(fbb_columns_add_record(c, &r), 0);
    assert_int_equal(fbb_columns_reserve(c, 5000), 0);
    ids = fbb_columns_data(c, FBB_COL_ID, &bytes);
    codes = fbb_columns_data(c, FBB_COL_CUSTOMER_ID, &bytes);
    for (i = 0; i < 5000; i++) {
        r.id = i + 1;
        assert_int_equal(fbb_columns_add_record(c, &r), 0);
    }
    assert_ptr_equal(fbb_columns_data(c, FBB_COL_ID, &bytes), ids);
    assert_int_equal(bytes, 5001 * sizeof(uint64_t));
    assert_ptr_equal(fbb_columns_data(c, FBB_COL_CUSTOMER_ID, &bytes), codes);
    assert_int_equal(bytes, 5001 * sizeof(int32_t));
    assert_int_equal(fbb_columns_reserve(c, 100000), 0);
    taken = fbb_columns_take(c, FBB_COL_ID);
    assert_int_equal(taken.len, 5001 * sizeof(uint64_t));
    assert_int_equal(taken.cap, taken.len);
    assert_int_equal(((const uint64_t *)(const void *)taken.data)[5000], 5000);
    fbb_buf_free(&taken);
    assert_int_equal(fbb_columns_reserve(c, SIZE_MAX / 2), -1); /* c as it was */
    assert_int_equal(fbb_columns_rows(c), 5001);
    fbb_columns_free(c);
}

/* A buffer grown to many MB from a few bytes: every byte where it was put, in place or moved. */
static void test_big_buffer(void **state)
{
    enum { PIECE = 1 << 20, PIECES = 24 };
    fbb_buf b;
    unsigned char *piece = malloc(PIECE);
    size_t i, k;

    (void)state;
    assert_non_null(piece);
    memset(&b, 0, sizeof b);
    for (i = 0; i < PIECES; i++) {
        for (k = 0; k < PIECE; k++)
            piece[k] = (unsigned char)(i * 31 + k * 7);
        assert_int_equal(fbb_buf_append(&b, piece, i == 0 ? 3 : PIECE), 0);
    }
    assert_int_equal(b.len, 3 + (size_t)(PIECES - 1) * PIECE);
    for (k = 0; k < 3; k++)
        assert_int_equal((unsigned char)b.data[k], (unsigned char)(k * 7));
    for (i = 1; i < PIECES; i++)
        for (k = 0; k < PIECE; k += 4099)
            assert_int_equal((unsigned char)b.data[3 + (i - 1) * PIECE + k],
                             (unsigned char)(i * 31 + k * 7));
    fbb_buf_free(&b);
    assert_null(b.data);
    assert_int_equal(b.cap, 0);
    free(piece);
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
    assert_null(fbb_columns_read(r, 1, 0, &err));
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
        cmocka_unit_test(test_dict),
        cmocka_unit_test(test_dict_append),
        cmocka_unit_test(test_reserve),
        cmocka_unit_test(test_big_buffer),
        cmocka_unit_test(test_parts),
        cmocka_unit_test(test_reader),
        cmocka_unit_test(test_chain_and_summary),
        cmocka_unit_test(test_metrics_and_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
