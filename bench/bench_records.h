/*
 * What the benchmarks share: N records generated in memory, deterministically
 * from a seed, over the channels, customers, products, answer sets and
 * countries of fb-generate's world (generate_world.h), about half with a
 * comment drawn from real English and Russian texts (or synthetic sentences
 * when those are missing); and small helpers (a clock, medians, fatal errors).
 *
 * Each record owns copies of its comment and customer id, laid out in the
 * order the records are made, as a parser or a host hands records over.
 */
#ifndef FB_BENCH_RECORDS_H
#define FB_BENCH_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <feedback/feedback.h>

/* The program's name for messages (set it first thing in main). */
extern const char *bench_prog;

/* Seconds on a monotonic clock. */
double bench_now(void);

/* The median of v[0..n) (sorts v). */
double bench_median(double *v, int n);

/* Print "what: detail" on stderr and exit 1. */
void bench_die(const char *what, const char *detail);
void bench_die_err(const char *what, fb_status st, const fb_error *err);

/* malloc that exits on failure. */
void *bench_xmalloc(size_t n);

/* A growing byte buffer. */
typedef struct bench_buf {
    char *p;
    size_t len, cap;
} bench_buf;

void bench_buf_put(bench_buf *b, const void *data, size_t n);

/* Where the comments came from. */
typedef struct bench_texts {
    long en, ru;   /* texts read from en_dev.tsv and ru_dev.tsv, -1 when unreadable */
    bool real;     /* false: synthetic sentences */
} bench_texts;

/*
 * n records from seed; comments from texts_dir (NULL: synthetic). Call once
 * per program; free with bench_records_free.
 */
fb_record *bench_records_make(size_t n, uint64_t seed, const char *texts_dir, bench_texts *info);
void bench_records_free(fb_record *recs);

#endif
