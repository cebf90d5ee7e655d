/*
 * A reader's records as columns. A log read from its start is cut into
 * parts of about the same size, each read into columns of its own on a
 * thread of its own (the decoding, not the language's objects, is most of
 * the time), and the parts are then appended in file order: the rows, the
 * damage met and the errors are those of one reader reading alone.
 */
#define _POSIX_C_SOURCE 200809L /* sysconf */
#include <stdlib.h>
#include <string.h>

#if defined(FBB_THREADS)
#include <pthread.h>
#include <unistd.h>
#endif

#include "fbb_columns.h"

/* A part smaller than this is not worth a thread: a few chunks of a log (tests make it small). */
#ifndef FBB_PART_MIN_BYTES
#define FBB_PART_MIN_BYTES (4u << 20)
#endif
/* At most this many parts: the cores of a machine a notebook runs on. */
#define PARTS_MAX 16

static fbb_columns *no_memory(fbb_columns *c, fb_error *err)
{
    fbb_columns_free(c);
    fbb_fail(err, FB_ERR_NOMEM, "out of memory");
    return NULL;
}

/*
 * Room in c for the rows of bytes of r's log, guessed from the rows and
 * bytes of what r read so far: so that the arrays are neither copied as
 * they grow (the most of the memory a read writes) nor twice as large as
 * they need. A guess too low only leaves the arrays to grow, and one that
 * cannot be had is no error: they grow as they need.
 */
static void reserve_for(fbb_columns *c, const fbb_reader *r, uint64_t bytes)
{
    fb_log_stats st;
    double rows;

    fb_log_reader_stats(r->log, &st);
    if (st.bytes_stored == 0)
        return;
    rows = (double)bytes / (double)st.bytes_stored * (double)st.records;
    rows += rows / 16; /* headers make the guess high already; a margin, as chunks differ */
    if (rows > (double)fbb_columns_rows(c) && rows < (double)SIZE_MAX / 16)
        (void)fbb_columns_reserve(c, (size_t)rows - fbb_columns_rows(c));
}

/*
 * Every record left in r into c (whole runs at a time from a log); bytes:
 * how many bytes of r's log c is to hold the rows of, for reserve_for.
 */
static fb_status read_into(fbb_columns *c, fbb_reader *r, uint64_t bytes, fb_error *err)
{
    const fb_record *rec;
    fb_record_batch b;
    fb_status st;

    if (r->drained)
        return FB_OK;
    r->started = true;
    if (!r->log) {
        while ((st = fbb_reader_next(r, &rec, err)) == FB_OK && rec)
            if (fbb_columns_add_record(c, rec) != 0)
                return fbb_fail(err, FB_ERR_NOMEM, "out of memory");
        return st;
    }
    while ((st = fb_log_reader_next_batch(r->log, &b, err)) == FB_OK) {
        if (fbb_columns_add_batch(c, &b) != 0)
            return fbb_fail(err, FB_ERR_NOMEM, "out of memory");
        if (r->records == 0 && bytes)
            reserve_for(c, r, bytes);
        r->records += b.n;
    }
    return st == FB_DONE ? FB_OK : st;
}

/* A part of a log, read on a thread of its own. */
typedef struct part {
    fbb_reader *reader;
    fbb_columns *columns;
    uint64_t bytes;     /* of the log, whose rows columns will hold: the first part's all */
    fb_status status;
    fb_error err;
#if defined(FBB_THREADS)
    pthread_t thread;
    bool started;
#endif
} part;

static void *read_part(void *arg)
{
    part *p = arg;

    p->status = read_into(p->columns, p->reader, p->bytes, &p->err);
    return NULL;
}

/* How many parts to read r's log in: 1 unless threads allows more and the log is worth it. */
static size_t parts_for(const fbb_reader *r, unsigned threads)
{
    size_t n = threads;

#if defined(FBB_THREADS)
    if (n == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        n = cores > 0 ? (size_t)cores : 1;
    }
#else
    n = 1;
#endif
    if (n > PARTS_MAX)
        n = PARTS_MAX;
    if (n < 2 || !fbb_reader_can_split(r))
        return 1;
    if (n > r->size / FBB_PART_MIN_BYTES)
        n = (size_t)(r->size / FBB_PART_MIN_BYTES);
    return n ? n : 1;
}

/* Starts part p on a thread, or reads it here when there is no thread to have. */
static void start_part(part *p, bool here)
{
#if defined(FBB_THREADS)
    if (!here && pthread_create(&p->thread, NULL, read_part, p) == 0) {
        p->started = true;
        return;
    }
#else
    (void)here;
#endif
    read_part(p);
}

static void join_part(part *p)
{
#if defined(FBB_THREADS)
    if (p->started)
        pthread_join(p->thread, NULL);
    p->started = false;
#else
    (void)p;
#endif
}

/*
 * The parts after the first, appended to it column by column: each thread
 * takes the next column not taken yet (of numbers, or of the others) and
 * appends it from every part in turn, until none is left.
 */
typedef struct merge {
    fbb_columns *out;
    const part *parts;
    size_t n;
    bool numbers;   /* the columns of numbers, else the others */
    int next;       /* the next column to look at */
    bool failed;
#if defined(FBB_THREADS)
    pthread_mutex_t lock;
#endif
} merge;

static int take_column(merge *m, bool failed)
{
    int col;

#if defined(FBB_THREADS)
    pthread_mutex_lock(&m->lock);
#endif
    m->failed = m->failed || failed;
    while (m->next < FBB_COL_COUNT && fbb_column_is_number((fbb_column)m->next) != m->numbers)
        m->next++;
    col = m->failed ? FBB_COL_COUNT : m->next;
    if (col < FBB_COL_COUNT)
        m->next++;
#if defined(FBB_THREADS)
    pthread_mutex_unlock(&m->lock);
#endif
    return col;
}

static void *merge_columns(void *arg)
{
    merge *m = arg;
    bool failed = false;
    int col;
    size_t i;

    while ((col = take_column(m, failed)) < FBB_COL_COUNT)
        for (i = 1; i < m->n && !failed; i++)
            failed = fbb_columns_append_column(m->out, m->parts[i].columns, (fbb_column)col) != 0;
    return NULL;
}

/*
 * Appends the columns of numbers, or the others, of parts[1..n) to
 * parts[0]'s, on up to threads threads (this one among them); -1 out of
 * memory.
 */
static int merge_parts(part *parts, size_t n, bool numbers, size_t threads)
{
    merge m;

    memset(&m, 0, sizeof m);
    m.out = parts[0].columns;
    m.parts = parts;
    m.n = n;
    m.numbers = numbers;
#if defined(FBB_THREADS)
    {
        pthread_t others[PARTS_MAX];
        size_t started = 0, i;
        if (pthread_mutex_init(&m.lock, NULL) != 0)
            return -1;
        while (started + 1 < threads &&
               pthread_create(&others[started], NULL, merge_columns, &m) == 0)
            started++;
        merge_columns(&m);
        for (i = 0; i < started; i++)
            pthread_join(others[i], NULL);
        pthread_mutex_destroy(&m.lock);
    }
#else
    (void)threads;
    merge_columns(&m);
#endif
    return m.failed ? -1 : 0;
}

/*
 * The columns of numbers of the parts after the first, joined to the first
 * on a thread of its own while the caller makes its objects of the others
 * (fbb_columns_read_early); the parts' columns are freed once joined.
 */
typedef struct late_numbers {
    part parts[PARTS_MAX];
    size_t n;
    int rc;
#if defined(FBB_THREADS)
    pthread_t thread;
#endif
} late_numbers;

static void *join_numbers(void *arg)
{
    late_numbers *late = arg;
    size_t i;

    late->rc = merge_parts(late->parts, late->n, true, 1);
    for (i = 1; i < late->n; i++) {
        fbb_columns_free(late->parts[i].columns);
        late->parts[i].columns = NULL;
    }
    return NULL;
}

static int finish_numbers(void *arg)
{
    late_numbers *late = arg;
    int rc;

#if defined(FBB_THREADS)
    pthread_join(late->thread, NULL);
#endif
    rc = late->rc;
    free(late);
    return rc;
}

/*
 * Joins the columns of numbers of parts[1..n) to parts[0]'s: on a thread
 * left running (early), the parts' columns then its to free, or here; -1
 * out of memory.
 */
static int merge_numbers(part *parts, size_t n, bool early)
{
#if defined(FBB_THREADS)
    late_numbers *late = early ? malloc(sizeof *late) : NULL;
    size_t i;

    if (late) {
        memcpy(late->parts, parts, n * sizeof *parts);
        late->n = n;
        if (pthread_create(&late->thread, NULL, join_numbers, late) == 0) {
            for (i = 1; i < n; i++)
                parts[i].columns = NULL; /* late's now */
            fbb_columns_defer(parts[0].columns, finish_numbers, late);
            return 0;
        }
        free(late);
    }
#else
    (void)early;
#endif
    return merge_parts(parts, n, true, n);
}

/*
 * Reads r's log in n parts side by side; the columns, or NULL with err set;
 * early: its columns of numbers maybe still being joined (fbb_columns_defer).
 */
static fbb_columns *read_parts(fbb_reader *r, uint64_t wanted, size_t n, bool early,
                               fb_error *err)
{
    part parts[PARTS_MAX];
    fbb_columns *out = NULL;
    fb_status st = FB_OK;
    size_t i, opened;

    memset(parts, 0, sizeof parts);
    for (opened = 0; opened < n; opened++) {
        part *p = &parts[opened];
        uint64_t start = r->size / n * opened, end = r->size / n * (opened + 1);
        if (opened + 1 == n)
            end = r->size; /* the chunks there when r was opened, as r would read */
        fb_error_clear(&p->err);
        p->bytes = opened == 0 ? r->size : end - start; /* the others are appended to the first */
        p->reader = fbb_reader_open_part(r, start, end, &p->err);
        p->columns = p->reader ? fbb_columns_new(wanted) : NULL;
        if (!p->columns) {
            if (p->reader)
                fbb_fail(&p->err, FB_ERR_NOMEM, "out of memory");
            p->status = p->err.code < 0 ? p->err.code : FB_ERR_NOMEM;
            break;
        }
    }
    /* The first part on this thread, after the others are started. */
    for (i = opened; i-- > 0;)
        start_part(&parts[i], i == 0);
    for (i = 0; i < opened; i++)
        join_part(&parts[i]);
    /* In file order: what each part met, up to the first that failed. */
    for (i = 0; i < n && st == FB_OK; i++) {
        part *p = &parts[i];
        if (p->reader)
            fbb_reader_absorb(r, p->reader);
        if ((st = p->status) != FB_OK && err)
            *err = p->err;
    }
    if (st == FB_OK && merge_parts(parts, n, false, n) != 0)
        st = fbb_fail(err, FB_ERR_NOMEM, "out of memory");
    for (i = 1; st == FB_OK && i < n; i++)
        fbb_columns_append_rows(parts[0].columns, parts[i].columns);
    if (st == FB_OK && merge_numbers(parts, n, early) != 0)
        st = fbb_fail(err, FB_ERR_NOMEM, "out of memory");
    if (st == FB_OK) {
        out = parts[0].columns;
        parts[0].columns = NULL;
    }
    for (i = 0; i < n; i++) {
        fbb_columns_free(parts[i].columns);
        fbb_reader_free(parts[i].reader);
    }
    if (st != FB_OK) {
        fbb_columns_free(out);
        return NULL;
    }
    return out;
}

static fbb_columns *read_columns(fbb_reader *r, uint64_t wanted, unsigned threads, bool early,
                                 fb_error *err)
{
    fbb_columns *c;
    size_t n;

    if (r->closed) {
        fbb_fail(err, FB_ERR_INVALID_ARG, "the reader is closed");
        return NULL;
    }
    n = parts_for(r, threads);
    if (n > 1)
        return read_parts(r, wanted, n, early, err);
    c = fbb_columns_new(wanted);
    if (!c)
        return no_memory(c, err);
    if (read_into(c, r, r->size != UINT64_MAX ? r->size : 0, err) != FB_OK) {
        fbb_columns_free(c);
        return NULL;
    }
    return c;
}

fbb_columns *fbb_columns_read(fbb_reader *r, uint64_t wanted, unsigned threads, fb_error *err)
{
    return read_columns(r, wanted, threads, false, err);
}

fbb_columns *fbb_columns_read_early(fbb_reader *r, uint64_t wanted, unsigned threads,
                                    fb_error *err)
{
    return read_columns(r, wanted, threads, true, err);
}
