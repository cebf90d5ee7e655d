/*
 * Shared helpers for the cmocka unit tests. Include after <cmocka.h>'s
 * prerequisites (stdarg.h, stddef.h, setjmp.h, stdint.h).
 */
#ifndef FB_TEST_H
#define FB_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "feedback/feedback.h"

/* The message of err, or "" when the caller passed no fb_error. */
static inline const char *fb_test_message(const fb_error *err) { return err ? err->message : ""; }

/* Fails the test with the library's own message when st is not the expected status. */
#define assert_fb_status(st, expected, err)                                                \
    do {                                                                                   \
        fb_status fb_t_st_ = (st);                                                         \
        if (fb_t_st_ != (expected))                                                        \
            fail_msg("%s returned %d (%s), expected %d: %s", #st, (int)fb_t_st_,           \
                     fb_status_str(fb_t_st_), (int)(expected), fb_test_message(err));    \
    } while (0)

#define assert_fb_ok(st, err) assert_fb_status(st, FB_OK, err)

/*
 * An fb_allocator backed by cmocka's test_malloc/test_free, so cmocka reports
 * leaks and double frees per test; it can also fail the n-th allocation.
 */
typedef struct fb_test_alloc {
    fb_allocator alloc;
    long fail_at;      /* 0: never fail; n: the n-th allocation (1-based) returns NULL */
    long calls;
} fb_test_alloc;

static inline void *fb_test_malloc(void *ctx, size_t size)
{
    fb_test_alloc *t = ctx;
    if (t->fail_at && ++t->calls == t->fail_at)
        return NULL;
    return test_malloc(size);
}

static inline void *fb_test_realloc(void *ctx, void *ptr, size_t old_size, size_t size)
{
    fb_test_alloc *t = ctx;
    (void)old_size;
    if (t->fail_at && ++t->calls == t->fail_at)
        return NULL;
    return test_realloc(ptr, size);
}

static inline void fb_test_free(void *ctx, void *ptr)
{
    (void)ctx;
    test_free(ptr);
}

static inline void fb_test_alloc_init(fb_test_alloc *t, long fail_at)
{
    memset(t, 0, sizeof *t);
    t->alloc.malloc = fb_test_malloc;
    t->alloc.realloc = fb_test_realloc;
    t->alloc.free = fb_test_free;
    t->alloc.ctx = t;
    t->fail_at = fail_at;
}

#endif
