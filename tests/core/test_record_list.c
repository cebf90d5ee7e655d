#include "fb_test.h"

static void fill(fb_record *r, fb_answer *a, fb_str *tags, fb_attr *attrs, char *text, int i)
{
    fb_record_init(r);
    r->id = (uint64_t)i + 1;
    r->created_at = 1795478400000LL + i;
    snprintf(text, 32, "comment %d", i);
    r->text = fb_str_from_cstr(text);
    memset(a, 0, 2 * sizeof *a);
    a[0].metric = FB_METRIC_NPS;
    a[0].score = i % 11;
    a[1].metric = FB_METRIC_CUSTOM;
    a[1].name = fb_str_from_cstr("speed");
    a[1].scale_min = 1;
    a[1].scale_max = 5;
    a[1].score = 1 + i % 5;
    r->answers = a;
    r->n_answers = 2;
    tags[0] = fb_str_from_cstr("t1");
    r->tags = tags;
    r->n_tags = 1;
    attrs[0].key = fb_str_from_cstr("k");
    attrs[0].value = fb_str_from_cstr("v");
    r->attrs = attrs;
    r->n_attrs = 1;
    r->customer_id = fb_str_from_cstr("c");
}

static void test_push_copies_deeply(void **state)
{
    fb_test_alloc ta;
    fb_record_list *list = NULL;
    int i;
    (void)state;

    fb_test_alloc_init(&ta, 0);
    assert_fb_ok(fb_record_list_new(&ta.alloc, &list), NULL);
    assert_int_equal(fb_record_list_count(list), 0);
    assert_null(fb_record_list_data(list));
    for (i = 0; i < 100; i++) {
        fb_record r;
        fb_answer a[2];
        fb_str tags[1];
        fb_attr attrs[1];
        char text[32];
        fill(&r, a, tags, attrs, text, i);
        assert_fb_ok(fb_record_list_push(list, &r), NULL);
        /* Scribble over the source: the copy must not see it. */
        memset(text, 'X', sizeof text - 1);
        a[0].score = -1;
    }
    assert_int_equal(fb_record_list_count(list), 100);
    for (i = 0; i < 100; i++) {
        fb_record want;
        fb_answer a[2];
        fb_str tags[1];
        fb_attr attrs[1];
        char text[32];
        const fb_record *got = fb_record_list_get(list, (size_t)i);
        fill(&want, a, tags, attrs, text, i);
        assert_non_null(got);
        assert_true(fb_record_equal(got, &want));
        assert_ptr_equal(got, &fb_record_list_data(list)[i]);
        assert_fb_ok(fb_record_validate(got, NULL), NULL);
    }
    assert_null(fb_record_list_get(list, 100));
    fb_record_list_clear(list);
    assert_int_equal(fb_record_list_count(list), 0);
    fb_record_list_free(list);
    fb_record_list_free(NULL);
}

static void test_empty_strings_and_lists(void **state)
{
    fb_record_list *list = NULL;
    fb_record r;
    (void)state;
    fb_record_init(&r);
    r.created_at = 5;
    assert_fb_ok(fb_record_list_new(NULL, &list), NULL);
    assert_fb_ok(fb_record_list_push(list, &r), NULL);
    assert_true(fb_record_equal(fb_record_list_get(list, 0), &r));
    r.n_tags = 2; /* tags NULL with a count: refused */
    assert_int_equal(fb_record_list_push(list, &r), FB_ERR_INVALID_ARG);
    r.n_tags = 0;
    r.text.len = 3; /* NULL text with a length: refused */
    assert_int_equal(fb_record_list_push(list, &r), FB_ERR_INVALID_ARG);
    assert_int_equal(fb_record_list_count(list), 1);
    assert_int_equal(fb_record_list_push(NULL, &r), FB_ERR_INVALID_ARG);
    assert_int_equal(fb_record_list_new(NULL, NULL), FB_ERR_INVALID_ARG);
    fb_record_list_free(list);
}

/* Every allocation in turn fails; the list must report it and stay whole, leaking nothing. */
static void test_allocation_failures(void **state)
{
    long fail_at;
    (void)state;
    for (fail_at = 1; fail_at < 40; fail_at++) {
        fb_test_alloc ta;
        fb_record_list *list = NULL;
        fb_status st = FB_OK;
        size_t pushed = 0;
        int i;

        fb_test_alloc_init(&ta, fail_at);
        if (fb_record_list_new(&ta.alloc, &list) != FB_OK) {
            assert_null(list);
            continue;
        }
        for (i = 0; i < 20; i++) {
            fb_record r;
            fb_answer a[2];
            fb_str tags[1];
            fb_attr attrs[1];
            char text[32];
            fill(&r, a, tags, attrs, text, i);
            st = fb_record_list_push(list, &r);
            if (st != FB_OK) {
                assert_int_equal(st, FB_ERR_NOMEM);
                break;
            }
            pushed++;
        }
        assert_int_equal(fb_record_list_count(list), pushed);
        fb_record_list_free(list);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_push_copies_deeply),
        cmocka_unit_test(test_empty_strings_and_lists),
        cmocka_unit_test(test_allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
