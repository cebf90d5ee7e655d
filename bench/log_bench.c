/*
 * fb-log-bench: what the binary log costs and gives, against CSV and gzipped CSV.
 *
 *   fb-log-bench [N] [--texts DIR] [--runs R] [--seed S] [--dir DIR]
 *
 * Generates N records in memory (default 1,000,000), deterministically from
 * the seed: responses, invitations and updates over the channels, customers,
 * products and answer sets of fb-generate's world (generate_world.h); about
 * half carry a comment drawn from real texts, the English and Russian
 * sentences of DIR/en_dev.tsv and DIR/ru_dev.tsv (default
 * ../shared/data/abuse; synthetic sentences, with a note, when they are
 * missing). Then it measures, each time as the median of R runs (default 5):
 *
 *  - size: the log at levels 0, 1 and 6, the same records as CSV
 *    (fb_io_writer), and that CSV through gzip -6 (zlib, in memory);
 *  - append rate: open, append every record, close (one fsync), levels 0, 1, 6;
 *    and how much of it deflate takes: deflating the stored streams alone
 *    (each stream of each chunk of the level-0 log on its own, as raw
 *    deflate, as the writer does) at levels 1 and 6,
 *    with the deflate the writer uses (zlib, or libdeflate when built with
 *    FB_WITH_LIBDEFLATE; deflate_backend.h);
 *  - peers of the append: writing the CSV into memory, and CSV + gzip -6;
 *  - scan rate from a file in the page cache: all fields, and metrics only
 *    (FB_LOG_FIELD_CHANNEL | FB_LOG_FIELD_ANSWERS), at levels 1 and 6; the
 *    peer: reading the CSV back from memory (fb_io_reader);
 *  - the Avro peer (avro_peer.h, when built with libavro-dev): the same
 *    records as an Avro object container file with the deflate codec, its
 *    size, write, full read and metrics-only read (a reader schema);
 *  - the comments alone at gzip -6 and at deflate's strongest (zlib -9, and
 *    libdeflate -12 in a libdeflate build): what the text costs whatever
 *    holds it.
 *
 * Prints the figures as Markdown tables on stdout. Not a test: ctest only
 * runs it small (bench_log_smoke) to see that it works.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include <feedback/feedback.h>

#include "deflate_backend.h" /* private: the log's own deflate, zlib or libdeflate */
#include "log_chunk.h"       /* private: the encoder alone */
#include "log_columns.h"     /* private: the columns' names */
#include "varint.h"          /* private: varints, little-endian loads */
#include "bench_records.h"
#ifdef FB_BENCH_AVRO
#include "avro_peer.h" /* the Avro peer, when libavro-dev was found */
#endif
#ifdef FB_BENCH_LIBDEFLATE
#include <libdeflate.h> /* the comments at deflate's strongest: libdeflate -12 */
#endif

#define PROG "fb-log-bench"
#define MAX_RUNS 51

/* ------------------------------------------------------------ measurements */

typedef struct cfg {
    size_t n;
    int runs;
    const char *dir;
} cfg;

static int sink_buf(void *ctx, const char *p, size_t n)
{
    bench_buf_put(ctx, p, n);
    return 0;
}

/* Writes every record as CSV into b (emptied first). */
static void write_csv(const fb_record *recs, size_t n, bench_buf *b)
{
    fb_io_writer_options opt;
    fb_io_writer *w;
    fb_error err;
    fb_status st;
    size_t i;

    b->len = 0;
    fb_io_writer_options_init(&opt);
    opt.format = FB_FORMAT_CSV;
    fb_error_clear(&err);
    if ((st = fb_io_writer_open_callback(&w, sink_buf, b, &opt, &err)) != FB_OK)
        bench_die_err("CSV writer", st, &err);
    for (i = 0; i < n; i++)
        if ((st = fb_io_writer_write(w, &recs[i], &err)) != FB_OK)
            bench_die_err("CSV write", st, &err);
    if ((st = fb_io_writer_close(w, &err)) != FB_OK)
        bench_die_err("CSV close", st, &err);
}

/* gzip of data at level, as `gzip -LEVEL` would write it; returns the compressed size. */
static size_t gzip_bytes(const char *data, size_t len, int level)
{
    static unsigned char out[1 << 16];
    size_t total = 0;
    z_stream z;

    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        bench_die("deflateInit2 failed", NULL);
    z.next_in = (unsigned char *)(uintptr_t)data;
    z.avail_in = (uInt)len;
    for (;;) {
        int rc;
        z.next_out = out;
        z.avail_out = sizeof out;
        rc = deflate(&z, Z_FINISH);
        total += sizeof out - z.avail_out;
        if (rc == Z_STREAM_END)
            break;
        if (rc != Z_OK && rc != Z_BUF_ERROR)
            bench_die("deflate failed", NULL);
    }
    deflateEnd(&z);
    return total;
}

#ifdef FB_BENCH_LIBDEFLATE
/* Raw deflate of data at libdeflate's strongest level, 12; returns the compressed size. */
static size_t libdeflate_best(const char *data, size_t len)
{
    struct libdeflate_compressor *z = libdeflate_alloc_compressor(12);
    size_t cap, n;
    void *out;

    if (!z)
        bench_die("out of memory", NULL);
    cap = libdeflate_deflate_compress_bound(z, len);
    out = bench_xmalloc(cap);
    n = libdeflate_deflate_compress(z, data, len, out, cap);
    free(out);
    libdeflate_free_compressor(z);
    if (n == 0)
        bench_die("libdeflate failed", NULL);
    return n;
}
#endif

/* A varint at data[*pos, len) (our own, well-formed output: a cut one reads as 0). */
static uint64_t get_varint(const unsigned char *data, size_t len, size_t *pos)
{
    uint64_t v = 0;
    (void)fb__get_varint(data, len, pos, &v);
    return v;
}

/* A stream of a data chunk, as walk_streams finds it. */
typedef struct stream_at {
    unsigned id, codec;
    const char *body;
    size_t stored, raw;
} stream_at;

/*
 * Calls fn for every stream of every data chunk of the log in data (our own,
 * well-formed output; layout in docs/FORMAT.md), in file order.
 */
static void walk_streams(const char *data, size_t len, void (*fn)(void *, const stream_at *),
                         void *ctx)
{
    const unsigned char *d = (const unsigned char *)data;
    size_t pos = 32 + fb__load_u32(d + 28) + 4; /* past the file header */

    while (pos + FB__LOG_CHUNK_OVERHEAD <= len) {
        size_t payload = fb__load_u32(d + pos + 24), p = pos + FB__LOG_CHUNK_HEADER, body,
               n_streams, i;
        if (d[pos + 16] == FB__LOG_CHUNK_DATA) { /* its stream table, then the bodies */
            stream_at st[64];
            n_streams = (size_t)get_varint(d, len, &p);
            for (i = 0; i < n_streams && i < 64; i++) {
                st[i].id = d[p];
                st[i].codec = d[p + 1];
                p += 2;
                st[i].stored = (size_t)get_varint(d, len, &p);
                st[i].raw = (size_t)get_varint(d, len, &p);
                p += 4;
            }
            body = p + 4; /* past the table's CRC */
            for (i = 0; i < n_streams && i < 64; i++) {
                st[i].body = data + body;
                fn(ctx, &st[i]);
                body += st[i].stored;
            }
        }
        pos += FB__LOG_CHUNK_OVERHEAD + payload;
    }
}

typedef struct deflate_job {
    fb__deflater *z;
    fb__strbuf out;
    int level;
    size_t total;
} deflate_job;

static void deflate_one(void *ctx, const stream_at *s)
{
    deflate_job *j = ctx;
    size_t n;
    fb__strbuf_reset(&j->out);
    if (fb__deflater_compress(j->z, j->level, s->body, s->stored, &j->out, &n) != FB_OK)
        bench_die("deflate failed", NULL);
    j->total += n;
}

/*
 * Raw deflate, with the log writer's own deflate (one compressor, reused, as
 * the writer does), of every stream of every data chunk of the level-0 log
 * in data: the same bytes in the same pieces the writer deflates at level.
 * Returns the compressed size.
 */
static size_t log_deflate_streams(const char *data, size_t len, int level)
{
    deflate_job j;

    j.z = fb__deflater_new(NULL);
    if (!j.z)
        bench_die("out of memory", NULL);
    fb__strbuf_init(&j.out, NULL);
    j.level = level;
    j.total = 0;
    walk_streams(data, len, deflate_one, &j);
    fb__strbuf_free(&j.out);
    fb__deflater_free(j.z);
    return j.total;
}

typedef struct inflate_job {
    fb__inflater *z;
    uint8_t *buf;
    size_t cap;
    uint64_t ids;  /* bit (1 << id): the streams to inflate */
    size_t total;
} inflate_job;

static void inflate_one(void *ctx, const stream_at *s)
{
    inflate_job *j = ctx;
    fb_error err;
    if (!(j->ids & ((uint64_t)1 << s->id)) || s->codec != FB__LOG_CODEC_DEFLATE)
        return;
    if (fb__inflater_run(j->z, (const uint8_t *)s->body, s->stored, s->raw, &j->buf, &j->cap,
                         "stream", &err) != FB_OK)
        bench_die("inflate failed", err.message);
    j->total += s->raw;
}

/*
 * Inflates, with the reader's own inflate, the deflated streams whose ids are
 * in the ids mask, of the log in data: what a scan of those columns must
 * inflate at least. Returns the raw bytes.
 */
static size_t log_inflate_streams(const char *data, size_t len, uint64_t ids)
{
    inflate_job j;

    memset(&j, 0, sizeof j);
    j.z = fb__inflater_new(NULL);
    if (!j.z)
        bench_die("out of memory", NULL);
    j.ids = ids;
    walk_streams(data, len, inflate_one, &j);
    free(j.buf);
    fb__inflater_free(j.z);
    return j.total;
}

/* Stored bytes per stream id, summed over the chunks. */
static void count_one(void *ctx, const stream_at *s)
{
    size_t *by_id = ctx;
    by_id[s->id & 255] += s->stored;
}

/* The streams a metrics-only scan reads: created_at, channel, source and the answer columns. */
#define COL(id) ((uint64_t)1 << (id))
#define METRICS_COLUMNS                                                                        \
    (COL(FB__COL_CREATED) | COL(FB__COL_CHANNEL) | COL(FB__COL_SOURCE) |                       \
     COL(FB__COL_ANSWER_COUNT) | COL(FB__COL_ANSWER_METRIC) | COL(FB__COL_ANSWER_SCORE) |      \
     COL(FB__COL_ANSWER_NAME) | COL(FB__COL_ANSWER_SCALE_MIN) | COL(FB__COL_ANSWER_SCALE_MAX))

/* A file of this run in c->dir: fb-log-bench-PID-NAME. */
static char *temp_path(const cfg *c, const char *name)
{
    char *p = bench_xmalloc(strlen(c->dir) + strlen(name) + 48);
    sprintf(p, "%s/fb-log-bench-%ld-%s", c->dir, (long)getpid(), name);
    return p;
}

static char *log_path(const cfg *c, int level)
{
    char name[32];
    snprintf(name, sizeof name, "%d.fblog", level);
    return temp_path(c, name);
}

static long file_size(const char *path)
{
    FILE *fp = fopen(path, "rb");
    long n;
    if (!fp)
        bench_die("cannot open", path);
    fseek(fp, 0, SEEK_END);
    n = ftell(fp);
    fclose(fp);
    return n;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    bench_buf b = {0};
    char chunk[65536];
    size_t n;
    if (!fp)
        bench_die("cannot open", path);
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        bench_buf_put(&b, chunk, n);
    fclose(fp);
    *len = b.len;
    return b.p;
}

/* Writes the log at level; returns the seconds from open to close. */
static double append_log(const char *path, const fb_record *recs, size_t n, int level)
{
    fb_log_writer_options opt;
    fb_log_writer *w;
    fb_error err;
    fb_status st;
    double t0;
    size_t i;

    remove(path);
    fb_log_writer_options_init(&opt);
    opt.level = level;
    fb_error_clear(&err);
    t0 = bench_now();
    if ((st = fb_log_writer_open(&w, path, &opt, &err)) != FB_OK)
        bench_die_err("log writer", st, &err);
    for (i = 0; i < n; i++)
        if ((st = fb_log_writer_append(w, &recs[i], &err)) != FB_OK)
            bench_die_err("log append", st, &err);
    if ((st = fb_log_writer_close(w, &err)) != FB_OK)
        bench_die_err("log close", st, &err);
    return bench_now() - t0;
}

/*
 * The encoder, as the writer drives it at level (default chunk limits), into
 * memory: no validation, no file (at level 0 no deflate either). Returns the
 * seconds.
 */
static double encode_only(const fb_record *recs, size_t n, int level)
{
    static const uint8_t sync[FB__LOG_SYNC_SIZE] = {0};
    fb__chunk_enc *e;
    fb__strbuf out;
    uint64_t seq = 0;
    double t0;
    size_t i;

    if (fb__chunk_enc_new(NULL, &e) != FB_OK)
        bench_die("out of memory", NULL);
    fb__strbuf_init(&out, NULL);
    t0 = bench_now();
    for (i = 0; i < n; i++) {
        if (fb__chunk_enc_add(e, &recs[i]) != FB_OK)
            bench_die("encode failed", NULL);
        if (fb__chunk_enc_raw_size(e) >= ((size_t)1 << 20) || fb__chunk_enc_count(e) >= 65536 ||
            i + 1 == n) {
            seq += fb__chunk_enc_count(e);
            fb__strbuf_reset(&out);
            if (fb__chunk_enc_finish(e, sync, seq, level, &out, NULL) != FB_OK)
                bench_die("encode failed", NULL);
        }
    }
    t0 = bench_now() - t0;
    fb__strbuf_free(&out);
    fb__chunk_enc_free(e);
    return t0;
}

/* fb_record_validate alone, on every record; returns the seconds. */
static double validate_only(const fb_record *recs, size_t n)
{
    fb_error err;
    double t0 = bench_now();
    size_t i;
    for (i = 0; i < n; i++)
        if (fb_record_validate(&recs[i], &err) != FB_OK)
            bench_die_err("validate", FB_ERR_INVALID_ARG, &err);
    return bench_now() - t0;
}

/*
 * Reads the whole log with the given fields, a record at a time (or, with
 * batches, a run of records as columns at a time), adding up each record's
 * first score by channel, as a dashboard would; returns the seconds.
 */
static double scan_log(const char *path, uint32_t fields, size_t expect, bool batches)
{
    fb_log_reader_options opt;
    fb_log_reader *r;
    const fb_record *rec;
    fb_record_batch b;
    fb_error err;
    fb_status st;
    size_t count = 0, i;
    double t0, sum = 0, by_channel[32] = {0};

    fb_log_reader_options_init(&opt);
    opt.fields = fields;
    fb_error_clear(&err);
    t0 = bench_now();
    if ((st = fb_log_reader_open(&r, path, &opt, &err)) != FB_OK)
        bench_die_err("log reader", st, &err);
    if (batches) {
        while ((st = fb_log_reader_next_batch(r, &b, &err)) == FB_OK) {
            count += b.n;
            if (!b.answers_of || !b.channel)
                continue;
            for (i = 0; i < b.n; i++)
                if (b.answers_of[i + 1] > b.answers_of[i])
                    by_channel[b.channel[i] & 31] += b.answers[b.answers_of[i]].score;
        }
    } else {
        while ((st = fb_log_reader_next(r, &rec, &err)) == FB_OK) {
            count++;
            if (rec->n_answers > 0)
                by_channel[rec->channel & 31] += rec->answers[0].score;
        }
    }
    for (i = 0; i < 32; i++)
        sum += by_channel[i];
    if (st != FB_DONE)
        bench_die_err("log read", st, &err);
    fb_log_reader_close(r);
    t0 = bench_now() - t0;
    if (count != expect) {
        fprintf(stderr, "%s: read %zu records of %zu (sum %g)\n", PROG, count, expect, sum);
        exit(1);
    }
    return t0;
}

static double read_csv(const bench_buf *b, size_t expect)
{
    fb_io_reader *r;
    const fb_record *rec;
    fb_error err;
    fb_status st;
    fb_io_reader_options opt;
    size_t count = 0;
    double t0;

    fb_io_reader_options_init(&opt);
    opt.format = FB_FORMAT_CSV;
    fb_error_clear(&err);
    t0 = bench_now();
    if ((st = fb_io_reader_open_memory(&r, b->p, b->len, &opt, &err)) != FB_OK)
        bench_die_err("CSV reader", st, &err);
    while ((st = fb_io_reader_next(r, &rec, &err)) == FB_OK)
        count++;
    if (st != FB_DONE)
        bench_die_err("CSV read", st, &err);
    fb_io_reader_close(r);
    t0 = bench_now() - t0;
    if (count != expect)
        bench_die("the CSV read back a different number of records", NULL);
    return t0;
}

/* ------------------------------------------------------------ main */

static void usage(FILE *out)
{
    fputs("Usage: fb-log-bench [N] [--texts DIR] [--runs R] [--seed S] [--dir DIR]\n"
          "\n"
          "  N           records to generate (default 1000000)\n"
          "  --texts DIR folder with en_dev.tsv and ru_dev.tsv, the comments\n"
          "              (default ../shared/data/abuse; synthetic text when missing)\n"
          "  --runs R    runs per measurement, the median is reported (default 5)\n"
          "  --seed S    seed of the generator (default 1)\n"
          "  --dir DIR   where to write the logs (default $TMPDIR or /tmp)\n",
          out);
}

static unsigned long long parse_num(const char *s, const char *what)
{
    char *end;
    unsigned long long v;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (!s[0] || *end || errno || s[0] == '-') {
        fprintf(stderr, "%s: %s must be a whole number, not '%s'\n", PROG, what, s);
        usage(stderr);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    cfg c = {1000000, 5, NULL};
    const char *texts_dir = "../shared/data/abuse";
    uint64_t seed = 1;
    static const int levels[3] = {0, 1, 6};
    double t[MAX_RUNS], append_s[3], deflate_s[3], scan_all_s[3], scan_metrics_s[3],
        inflate_s[3], encode_s, encode1_s, validate_s, scan_batch_s[3], encode_share;
    size_t by_id[256], text_gz, text_gz9, text_ld12 = 0;
    double csv_write_s, gzip_s, csv_read_s;
    long log_bytes[3];
#ifdef FB_BENCH_AVRO
    double avro_write_s, avro_read_s = 0, avro_metrics_s = 0;
    long avro_bytes;
#endif
    size_t gz_bytes = 0, csv_bytes;
    char *paths[3];
    fb_record *recs;
    bench_buf csv = {0};
    bench_texts tx;
    int i, k;

    bench_prog = PROG;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (a[0] != '-') {
            c.n = (size_t)parse_num(a, "N");
        } else if (v && strcmp(a, "--texts") == 0) {
            texts_dir = v;
            i++;
        } else if (v && strcmp(a, "--runs") == 0) {
            c.runs = (int)parse_num(v, "--runs");
            i++;
        } else if (v && strcmp(a, "--seed") == 0) {
            seed = parse_num(v, "--seed");
            i++;
        } else if (v && strcmp(a, "--dir") == 0) {
            c.dir = v;
            i++;
        } else {
            fprintf(stderr, "%s: unknown option or missing value: '%s'\n", PROG, a);
            usage(stderr);
            return 2;
        }
    }
    if (c.n < 1 || c.runs < 1 || c.runs > MAX_RUNS) {
        fprintf(stderr, "%s: N must be at least 1 and --runs from 1 to %d\n", PROG, MAX_RUNS);
        return 2;
    }
    if (!c.dir)
        c.dir = getenv("TMPDIR") && getenv("TMPDIR")[0] ? getenv("TMPDIR") : "/tmp";

    /* The records, their comments real texts when there are any. */
    recs = bench_records_make(c.n, seed, texts_dir, &tx);

    printf("# fb-log-bench: %zu records, seed %llu, median of %d runs\n\n", c.n,
           (unsigned long long)seed, c.runs);
    printf("Log deflate: %s (the writer's; the gzip peer is zlib).\n\n", fb__deflate_backend());
    if (tx.real)
        printf("Comments: %ld English and %ld Russian texts from %s (en_dev.tsv, ru_dev.tsv).\n\n",
               tx.en < 0 ? 0 : tx.en, tx.ru < 0 ? 0 : tx.ru, texts_dir);
    else
        printf("Note: no texts in %s (en_dev.tsv, ru_dev.tsv); comments are SYNTHETIC, built\n"
               "from a few sentences, so they compress far better than real ones.\n\n",
               texts_dir);

    /* CSV and gzip -6: the peers. */
    for (k = 0; k < c.runs; k++) {
        double t0 = bench_now();
        write_csv(recs, c.n, &csv);
        t[k] = bench_now() - t0;
    }
    csv_write_s = bench_median(t, c.runs);
    csv_bytes = csv.len;
    for (k = 0; k < c.runs; k++) {
        double t0 = bench_now();
        gz_bytes = gzip_bytes(csv.p, csv.len, 6);
        t[k] = bench_now() - t0;
    }
    gzip_s = bench_median(t, c.runs);
    for (k = 0; k < c.runs; k++)
        t[k] = read_csv(&csv, c.n);
    csv_read_s = bench_median(t, c.runs);

    /* The log at levels 0, 1, 6. */
    for (i = 0; i < 3; i++) {
        paths[i] = log_path(&c, levels[i]);
        for (k = 0; k < c.runs; k++)
            t[k] = append_log(paths[i], recs, c.n, levels[i]);
        append_s[i] = bench_median(t, c.runs);
        log_bytes[i] = file_size(paths[i]);
    }
    /*
     * The parts of the append, each alone: deflate of the stored (level 0)
     * log's streams at levels 1 and 6, the encoding, and validation, one
     * after the other in each round, so that the ratios compare times taken
     * under the same conditions on this shared machine (the encoding's share
     * of deflate is the median of the rounds' ratios).
     */
    {
        size_t len;
        char *raw = read_file(paths[0], &len);
        double t1[MAX_RUNS], t6[MAX_RUNS], te[MAX_RUNS], tv[MAX_RUNS], te1[MAX_RUNS],
            r1[MAX_RUNS];
        for (k = 0; k < c.runs; k++) {
            double t0 = bench_now();
            (void)log_deflate_streams(raw, len, levels[1]);
            t1[k] = bench_now() - t0;
            t0 = bench_now();
            (void)log_deflate_streams(raw, len, levels[2]);
            t6[k] = bench_now() - t0;
            te[k] = encode_only(recs, c.n, 0);
            te1[k] = encode_only(recs, c.n, levels[1]);
            tv[k] = validate_only(recs, c.n);
            /* What encoding at level 1 costs beyond its deflate: its own cost. */
            r1[k] = (te1[k] - t1[k]) / t1[k];
        }
        deflate_s[0] = 0;
        deflate_s[1] = bench_median(t1, c.runs);
        deflate_s[2] = bench_median(t6, c.runs);
        encode_s = bench_median(te, c.runs);
        encode1_s = bench_median(te1, c.runs);
        validate_s = bench_median(tv, c.runs);
        encode_share = bench_median(r1, c.runs);
        free(raw);
    }
    /* Inflate alone: the columns a metrics-only scan reads, at levels 1 and 6. */
    for (i = 1; i < 3; i++) {
        size_t len;
        char *file = read_file(paths[i], &len);
        for (k = 0; k < c.runs; k++) {
            double t0 = bench_now();
            (void)log_inflate_streams(file, len, METRICS_COLUMNS);
            t[k] = bench_now() - t0;
        }
        inflate_s[i] = bench_median(t, c.runs);
        if (i == 1) {
            memset(by_id, 0, sizeof by_id);
            walk_streams(file, len, count_one, by_id);
        }
        free(file);
    }
    /* The comments alone through gzip -6: what deflate makes of the text. */
    {
        bench_buf comments = {0};
        for (k = 0; k < (int)c.n; k++)
            bench_buf_put(&comments, recs[k].text.ptr, recs[k].text.len);
        text_gz = gzip_bytes(comments.p, comments.len, 6);
        text_gz9 = gzip_bytes(comments.p, comments.len, 9);
#ifdef FB_BENCH_LIBDEFLATE
        text_ld12 = libdeflate_best(comments.p, comments.len);
#endif
        free(comments.p);
    }
    /* Scans, from the page cache: one warm-up read first. */
    for (i = 0; i < 3; i++) {
        (void)scan_log(paths[i], FB_LOG_FIELD_ALL, c.n, false);
        for (k = 0; k < c.runs; k++)
            t[k] = scan_log(paths[i], FB_LOG_FIELD_ALL, c.n, false);
        scan_all_s[i] = bench_median(t, c.runs);
        for (k = 0; k < c.runs; k++)
            t[k] = scan_log(paths[i], FB_LOG_FIELD_CHANNEL | FB_LOG_FIELD_ANSWERS, c.n, false);
        scan_metrics_s[i] = bench_median(t, c.runs);
        for (k = 0; k < c.runs; k++)
            t[k] = scan_log(paths[i], FB_LOG_FIELD_CHANNEL | FB_LOG_FIELD_ANSWERS, c.n, true);
        scan_batch_s[i] = bench_median(t, c.runs);
    }

#ifdef FB_BENCH_AVRO
    /* The Avro peer: write, then read from the page cache (one warm-up read first). */
    {
        char *path = temp_path(&c, "avro");
        size_t got;
        double score_sum;
        for (k = 0; k < c.runs; k++) {
            double t0 = bench_now();
            if (avro_peer_write(path, recs, c.n, AVRO_PEER_BLOCK_BYTES) != 0)
                bench_die("Avro write failed", path);
            t[k] = bench_now() - t0;
        }
        avro_write_s = bench_median(t, c.runs);
        avro_bytes = file_size(path);
        for (i = 0; i < 2; i++) {
            bool metrics = i == 1;
            if (avro_peer_read(path, metrics, &got, &score_sum) != 0)
                bench_die("Avro read failed", path);
            for (k = 0; k < c.runs; k++) {
                double t0 = bench_now();
                if (avro_peer_read(path, metrics, &got, &score_sum) != 0 || got != c.n)
                    bench_die("Avro read failed", path);
                t[k] = bench_now() - t0;
            }
            *(metrics ? &avro_metrics_s : &avro_read_s) = bench_median(t, c.runs);
        }
        remove(path);
        free(path);
    }
#endif

    /* ---- sizes */
    {
        double n = (double)c.n, cb = (double)csv_bytes;
        printf("## Size\n\n");
        printf("| format | bytes | bytes/record | vs CSV |\n");
        printf("|---|---:|---:|---:|\n");
        printf("| CSV | %zu | %.1f | 100.0%% |\n", csv_bytes, cb / n);
        printf("| CSV + gzip -6 | %zu | %.1f | %.1f%% |\n", gz_bytes, (double)gz_bytes / n,
               100.0 * (double)gz_bytes / cb);
        for (i = 0; i < 3; i++)
            printf("| log, level %d%s | %ld | %.1f | %.1f%% |\n", levels[i],
                   levels[i] == 0 ? " (stored)" : "", log_bytes[i], (double)log_bytes[i] / n,
                   100.0 * (double)log_bytes[i] / cb);
#ifdef FB_BENCH_AVRO
        printf("| Avro, deflate (level %d, libavro's own), %zu KiB blocks | %ld | %.1f | %.1f%% "
               "|\n",
               avro_peer_deflate_level(), AVRO_PEER_BLOCK_BYTES / 1024, avro_bytes,
               (double)avro_bytes / n, 100.0 * (double)avro_bytes / cb);
#endif
        printf("| the comments alone, gzip -6 | %zu | %.1f | %.1f%% |\n", text_gz,
               (double)text_gz / n, 100.0 * (double)text_gz / cb);
        printf("| the comments alone, gzip -9 | %zu | %.1f | %.1f%% |\n", text_gz9,
               (double)text_gz9 / n, 100.0 * (double)text_gz9 / cb);
        if (text_ld12)
            printf("| the comments alone, libdeflate -12 (raw deflate) | %zu | %.2f | %.1f%% |\n",
                   text_ld12, (double)text_ld12 / n, 100.0 * (double)text_ld12 / cb);
    }
    /* Where the bytes of the level-1 log go: every stream, largest first. */
    {
        double n = (double)c.n;
        size_t sum = 0, order[256], m = 0, j;
        for (i = 0; i < 256; i++) {
            sum += by_id[i];
            if (by_id[i])
                order[m++] = (size_t)i;
        }
        for (i = 1; i < (int)m; i++) /* insertion sort, by bytes, descending */
            for (j = (size_t)i; j > 0 && by_id[order[j - 1]] < by_id[order[j]]; j--) {
                size_t x = order[j];
                order[j] = order[j - 1];
                order[j - 1] = x;
            }
        printf("\n## Where the bytes of the level-1 log go\n\n");
        printf("| stream | bytes/record | share |\n|---|---:|---:|\n");
        for (j = 0; j < m; j++) {
            const fb__col_info *info = fb__col_info_of((unsigned)order[j]);
            printf("| %u %s | %.2f | %.1f%% |\n", (unsigned)order[j],
                   info ? info->name : order[j] == 1 ? "DICT" : "?", (double)by_id[order[j]] / n,
                   100.0 * (double)by_id[order[j]] / (double)log_bytes[1]);
        }
        printf("| headers, stream tables, checksums, index, trailer | %.2f | %.1f%% |\n",
               (double)((size_t)log_bytes[1] - sum) / n,
               100.0 * (double)((size_t)log_bytes[1] - sum) / (double)log_bytes[1]);
    }

    /* ---- speed */
    {
        double n = (double)c.n;
        printf("\n## Speed (median of %d runs)\n\n", c.runs);
        printf("| operation | seconds | records/s | CSV MB/s | note |\n");
        printf("|---|---:|---:|---:|---|\n");
#define ROW(name, s, note)                                                                          \
    printf("| %s | %.3f | %.0f | %.1f | %s |\n", name, (s), n / (s), (double)csv_bytes / 1e6 / (s), \
           note)
        ROW("CSV write (fb_io_writer, to memory)", csv_write_s, "peer");
        ROW("CSV write + gzip -6", csv_write_s + gzip_s, "peer; gzip alone below");
        ROW("gzip -6 of the CSV alone", gzip_s, "zlib, in memory");
#ifdef FB_BENCH_AVRO
        ROW("Avro write, deflate", avro_write_s, "peer: libavro, its fixed deflate level 9");
#endif
        for (i = 0; i < 3; i++) {
            char name[64], note[128];
            snprintf(name, sizeof name, "log append, level %d", levels[i]);
            if (i == 0)
                snprintf(note, sizeof note, "open, append all, close (one fsync)");
            else
                snprintf(note, sizeof note,
                         "deflate alone %.3f s = %.0f%% of it; level %d minus level 0: %.0f%%",
                         deflate_s[i], 100.0 * deflate_s[i] / append_s[i], levels[i],
                         100.0 * (append_s[i] - append_s[0]) / append_s[i]);
            ROW(name, append_s[i], note);
        }
        {
            char note[128];
            ROW("encoding at level 0 (columns, dictionary, CRCs)", encode_s,
                "fb__chunk_enc, in memory: no validation, no deflate, no file");
            snprintf(note, sizeof note,
                     "the same at level 1: beyond its deflate, %.0f%% of deflate -1's time",
                     100.0 * encode_share);
            ROW("encoding at level 1", encode1_s, note);
            ROW("validation alone (fb_record_validate)", validate_s, "part of every append");
        }
        for (i = 1; i < 3; i++) {
            char name[64];
            snprintf(name, sizeof name, "raw deflate -%d of the stored streams", levels[i]);
            ROW(name, deflate_s[i], "each stream of the level-0 log, as the writer deflates it");
        }
        ROW("CSV read (fb_io_reader, from memory)", csv_read_s, "peer of the full scan");
#ifdef FB_BENCH_AVRO
        ROW("Avro read, every field", avro_read_s, "peer of the full scan, page cache");
        ROW("Avro read, reader schema of the metrics fields", avro_metrics_s,
            "peer of the metrics-only scan: skips the other fields, inflates every block");
#endif
        for (i = 0; i < 3; i++) {
            char name[64];
            snprintf(name, sizeof name, "log full scan, level %d", levels[i]);
            ROW(name, scan_all_s[i], "all fields, page cache");
        }
        for (i = 0; i < 3; i++) {
            char name[64];
            snprintf(name, sizeof name, "log metrics-only scan, level %d", levels[i]);
            ROW(name, scan_metrics_s[i], "channel and answers only: text never inflated");
        }
        for (i = 0; i < 3; i++) {
            char name[64];
            snprintf(name, sizeof name, "log metrics-only scan by batches, level %d", levels[i]);
            ROW(name, scan_batch_s[i], "the same through fb_log_reader_next_batch (columns)");
        }
        for (i = 1; i < 3; i++) {
            char name[64];
            snprintf(name, sizeof name, "raw inflate of the metrics-only columns, level %d",
                     levels[i]);
            ROW(name, inflate_s[i], "what that scan must inflate, alone");
        }
#undef ROW
    }

    for (i = 0; i < 3; i++) {
        remove(paths[i]);
        free(paths[i]);
    }
    free(csv.p);
    bench_records_free(recs);
    return fflush(stdout) == 0 ? 0 : 1;
}
