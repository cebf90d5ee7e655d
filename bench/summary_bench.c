/*
 * fb-summary-bench: grouped NPS + CSAT + CES accumulation, by channel and
 * month, over N records in memory (default 10,000,000), against pandas
 * groupby on the same data in the same run (docs/BENCHMARKS.md).
 *
 *   fb-summary-bench [N] [--runs R] [--seed S] [--python PATH] [--dir DIR]
 *
 * The records are fb-generate's world (bench_records.h), held as columns the
 * way the log reader hands them out (fb_record_batch, runs of 65,536
 * records): created_at, kind, channel, source, answers. The library's side
 * is fb_summary_add_batch into a summary by channel and month, which keeps
 * every built-in metric's accumulator, so it does more than the peer; the
 * peer is pandas: the same records as a DataFrame of one row per record
 * with nps, csat and ces columns (NaN when absent or skipped), and the
 * groupby a careful pandas user writes (vectorised flags, one agg), timed
 * from the columns in memory to the grouped table. Both must agree on the
 * groups and their counts, or the benchmark fails.
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <feedback/feedback.h>

#include "bench_records.h"

#define PROG "fb-summary-bench"
#define MAX_RUNS 51
#define RUN_RECORDS 65536

/* The records as columns, in runs of RUN_RECORDS. */
typedef struct columns {
    size_t n, runs;
    fb_time *created_at;
    fb_record_kind *kind;
    fb_channel *channel;
    fb_source *source;
    uint32_t *answers_of; /* per run: RUN_RECORDS + 1 offsets into that run's answers */
    fb_answer *answers;
    size_t *run_answers;  /* where each run's answers start */
} columns;

static void to_columns(const fb_record *recs, size_t n, columns *c)
{
    size_t i, total = 0, k = 0;

    for (i = 0; i < n; i++)
        total += recs[i].n_answers;
    c->n = n;
    c->runs = (n + RUN_RECORDS - 1) / RUN_RECORDS;
    c->created_at = bench_xmalloc(n * sizeof *c->created_at);
    c->kind = bench_xmalloc(n * sizeof *c->kind);
    c->channel = bench_xmalloc(n * sizeof *c->channel);
    c->source = bench_xmalloc(n * sizeof *c->source);
    c->answers_of = bench_xmalloc((n + c->runs) * sizeof *c->answers_of);
    c->answers = bench_xmalloc((total ? total : 1) * sizeof *c->answers);
    c->run_answers = bench_xmalloc((c->runs + 1) * sizeof *c->run_answers);
    for (i = 0; i < n; i++) {
        size_t run = i / RUN_RECORDS, j;
        uint32_t *of = c->answers_of + run * (RUN_RECORDS + 1);
        if (i % RUN_RECORDS == 0)
            c->run_answers[run] = k;
        of[i % RUN_RECORDS] = (uint32_t)(k - c->run_answers[run]);
        c->created_at[i] = recs[i].created_at;
        c->kind[i] = recs[i].kind;
        c->channel[i] = recs[i].channel;
        c->source[i] = recs[i].source;
        for (j = 0; j < recs[i].n_answers; j++)
            c->answers[k++] = recs[i].answers[j];
        if (i % RUN_RECORDS == RUN_RECORDS - 1 || i + 1 == n)
            of[i % RUN_RECORDS + 1] = (uint32_t)(k - c->run_answers[run]);
    }
    c->run_answers[c->runs] = k;
}

/* Run r of the columns as a batch. */
static void batch_of(const columns *c, size_t r, fb_record_batch *b)
{
    size_t from = r * RUN_RECORDS;

    memset(b, 0, sizeof *b);
    b->n = from + RUN_RECORDS <= c->n ? RUN_RECORDS : c->n - from;
    b->first_seq = from;
    b->created_at = c->created_at + from;
    b->kind = c->kind + from;
    b->channel = c->channel + from;
    b->source = c->source + from;
    b->answers_of = c->answers_of + r * (RUN_RECORDS + 1);
    b->answers = c->answers + c->run_answers[r];
}

/* The summary of every record by channel and month; returns the seconds of the adds. */
static double summarise(const columns *c, fb_summary **out)
{
    fb_summary_options o;
    fb_summary *s;
    fb_error err;
    double t0;
    size_t r;

    fb_summary_options_init(&o);
    o.dims = FB_DIM_CHANNEL;
    o.period = FB_PERIOD_MONTH;
    if (fb_summary_new(&s, &o, NULL, &err) != FB_OK)
        bench_die_err("summary", err.code, &err);
    t0 = bench_now();
    for (r = 0; r < c->runs; r++) {
        fb_record_batch b;
        batch_of(c, r, &b);
        if (fb_summary_add_batch(s, &b, NULL, &err) != FB_OK)
            bench_die_err("summary", err.code, &err);
    }
    t0 = bench_now() - t0;
    *out = s;
    return t0;
}

/* The columns pandas reads: created_at (int64 ms), channel (int8), nps, csat, ces (float64, NaN). */
static void write_peer_files(const columns *c, const char *dir)
{
    static const char *const names[] = {"created", "channel", "nps", "csat", "ces"};
    FILE *fp[5];
    size_t i, r, k;
    char path[4096];

    for (k = 0; k < 5; k++) {
        snprintf(path, sizeof path, "%s/fb-summary-bench-%ld-%s.bin", dir, (long)getpid(),
                 names[k]);
        if (!(fp[k] = fopen(path, "wb")))
            bench_die("cannot write", path);
    }
    for (r = 0; r < c->runs; r++) {
        fb_record_batch b;
        batch_of(c, r, &b);
        for (i = 0; i < b.n; i++) {
            double v[3] = {NAN, NAN, NAN};
            int8_t ch = (int8_t)b.channel[i];
            uint32_t a;
            for (a = b.answers_of[i]; a < b.answers_of[i + 1]; a++) {
                const fb_answer *an = &b.answers[a];
                if ((int)an->metric <= FB_METRIC_CES && !an->skipped)
                    v[an->metric] = an->score;
            }
            fwrite(&b.created_at[i], sizeof b.created_at[i], 1, fp[0]);
            fwrite(&ch, 1, 1, fp[1]);
            for (k = 0; k < 3; k++)
                fwrite(&v[k], sizeof v[k], 1, fp[2 + k]);
        }
    }
    for (k = 0; k < 5; k++)
        if (fclose(fp[k]) != 0)
            bench_die("write error", names[k]);
}

static void remove_peer_files(const char *dir)
{
    static const char *const names[] = {"created", "channel", "nps", "csat", "ces"};
    char path[4096];
    size_t k;
    for (k = 0; k < 5; k++) {
        snprintf(path, sizeof path, "%s/fb-summary-bench-%ld-%s.bin", dir, (long)getpid(),
                 names[k]);
        remove(path);
    }
}

/* What both sides must agree on: groups with an NPS, CSAT or CES answer, and those answers. */
typedef struct check {
    unsigned long groups;
    unsigned long long nps_n, promoters, detractors, csat_n, satisfied, ces_n;
} check;

static void check_of(fb_summary *s, check *k)
{
    size_t i;
    memset(k, 0, sizeof *k);
    for (i = 0; i < fb_summary_count(s); i++) {
        const fb_summary_group *g = fb_summary_group_at(s, i);
        const fb_score_acc *nps = &g->metric[FB_METRIC_NPS], *csat = &g->metric[FB_METRIC_CSAT],
                           *ces = &g->metric[FB_METRIC_CES];
        if (fb_score_acc_count(nps) + fb_score_acc_count(csat) + fb_score_acc_count(ces) == 0)
            continue;
        k->groups++;
        k->nps_n += fb_score_acc_count(nps);
        k->promoters += fb_score_acc_at_least(nps, 9);
        k->detractors += fb_score_acc_below(nps, 7);
        k->csat_n += fb_score_acc_count(csat);
        k->satisfied += fb_score_acc_at_least(csat, 4);
        k->ces_n += fb_score_acc_count(ces);
    }
}

/* Runs the pandas peer; fills its median seconds and its figures. 0, or -1 when it cannot run. */
static int run_peer(const char *python, const char *script, const char *dir, size_t n, int runs,
                    double *seconds, check *k)
{
    char cmd[8192], line[512];
    FILE *p;
    int got = 0;

    snprintf(cmd, sizeof cmd, "'%s' '%s' '%s/fb-summary-bench-%ld' %zu %d", python, script, dir,
             (long)getpid(), n, runs);
    p = popen(cmd, "r");
    if (!p)
        return -1;
    while (fgets(line, sizeof line, p)) {
        if (sscanf(line, "seconds %lf", seconds) == 1)
            got |= 1;
        else if (sscanf(line, "check %lu %llu %llu %llu %llu %llu %llu", &k->groups, &k->nps_n,
                        &k->promoters, &k->detractors, &k->csat_n, &k->satisfied,
                        &k->ces_n) == 7)
            got |= 2;
        else
            fputs(line, stderr);
    }
    return pclose(p) == 0 && got == 3 ? 0 : -1;
}

static void usage(FILE *out)
{
    fputs("Usage: fb-summary-bench [N] [--runs R] [--seed S] [--python PATH] [--dir DIR]\n"
          "\n"
          "  N              records (default 10000000)\n"
          "  --runs R       runs per side, the median is reported (default 5)\n"
          "  --seed S       seed of the generator (default 1)\n"
          "  --python PATH  the interpreter with pandas (default /usr/bin/python3);\n"
          "                 'none' measures the library alone\n"
          "  --dir DIR      where the peer's column files go (default $TMPDIR or /tmp)\n",
          out);
}

int main(int argc, char **argv)
{
    size_t n = 10000000;
    int runs = 5, i;
    unsigned long long seed = 1;
    const char *python = "/usr/bin/python3", *dir = NULL;
    double t[MAX_RUNS], lib_s, peer_s = 0;
    char script[4096];
    check lib, peer;
    bench_texts tx;
    fb_record *recs;
    columns c;
    fb_summary *s = NULL;

    bench_prog = PROG;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (a[0] != '-') {
            n = strtoull(a, NULL, 10);
        } else if (v && strcmp(a, "--runs") == 0) {
            runs = atoi(v), i++;
        } else if (v && strcmp(a, "--seed") == 0) {
            seed = strtoull(v, NULL, 10), i++;
        } else if (v && strcmp(a, "--python") == 0) {
            python = v, i++;
        } else if (v && strcmp(a, "--dir") == 0) {
            dir = v, i++;
        } else {
            fprintf(stderr, "%s: unknown option or missing value: '%s'\n", PROG, a);
            usage(stderr);
            return 2;
        }
    }
    if (n < 1 || runs < 1 || runs > MAX_RUNS) {
        fprintf(stderr, "%s: N must be at least 1 and --runs from 1 to %d\n", PROG, MAX_RUNS);
        return 2;
    }
    if (!dir)
        dir = getenv("TMPDIR") && getenv("TMPDIR")[0] ? getenv("TMPDIR") : "/tmp";
    /* The peer's script sits beside this file in the source tree. */
    snprintf(script, sizeof script, "%s", FB_BENCH_SOURCE_DIR "/summary_pandas.py");

    recs = bench_records_make(n, seed, NULL, &tx);
    to_columns(recs, n, &c);
    bench_records_free(recs);

    for (i = 0; i < runs; i++) {
        fb_summary_free(s);
        t[i] = summarise(&c, &s);
    }
    lib_s = bench_median(t, runs);
    check_of(s, &lib);

    printf("# fb-summary-bench: %zu records in memory, by channel and month, median of %d runs\n\n",
           n, runs);
    printf("| what | seconds | records/s | note |\n|---|---:|---:|---|\n");
    printf("| fb_summary_add_batch | %.3f | %.0f | every built-in metric's accumulator, %lu "
           "groups |\n",
           lib_s, (double)n / lib_s, (unsigned long)fb_summary_count(s));
    if (strcmp(python, "none") != 0) {
        write_peer_files(&c, dir);
        if (run_peer(python, script, dir, n, runs, &peer_s, &peer) != 0) {
            remove_peer_files(dir);
            bench_die("the pandas peer failed", python);
        }
        remove_peer_files(dir);
        if (memcmp(&lib, &peer, sizeof lib) != 0) {
            fprintf(stderr, "%s: pandas and the summary disagree: groups %lu/%lu, NPS answers "
                            "%llu/%llu, promoters %llu/%llu, CSAT %llu/%llu, CES %llu/%llu\n",
                    PROG, lib.groups, peer.groups, lib.nps_n, peer.nps_n, lib.promoters,
                    peer.promoters, lib.csat_n, peer.csat_n, lib.ces_n, peer.ces_n);
            return 1;
        }
        printf("| pandas groupby | %.3f | %.0f | NPS, CSAT and CES only; the same %lu groups and "
               "counts |\n",
               peer_s, (double)n / peer_s, lib.groups);
        printf("\nThe summary is %.1f times as fast as pandas.\n", peer_s / lib_s);
    }
    fb_summary_free(s);
    free(c.created_at);
    free(c.kind);
    free(c.channel);
    free(c.source);
    free(c.answers_of);
    free(c.answers);
    free(c.run_answers);
    return fflush(stdout) == 0 ? 0 : 1;
}
