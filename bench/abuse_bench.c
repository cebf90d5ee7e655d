/*
 * fb-abuse-bench: the speed of fb_abuse_check (docs/BENCHMARKS.md, "Abusive content").
 *
 *   fb-abuse-bench [DATA_DIR] [--runs N] [--repeat N] [--texts N]
 *
 * Checks every text of DATA_DIR/en_dev.tsv and DATA_DIR/ru_dev.tsv (the
 * development texts; default FB_BENCH_DATA_DIR) one call each, --repeat times a
 * run, and prints the median MB/s of --runs runs per language and for both
 * (and the fastest run's, which a busy machine disturbs least), with the
 * share of texts judged abusive; --texts N takes only the first N
 * texts of each file (the smoke test, which also runs in the sanitizer build). Without the files it uses a few
 * built-in reviews, so that the smoke test runs anywhere.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_records.h" /* bench_now, bench_median */

#ifndef FB_BENCH_DATA_DIR
#define FB_BENCH_DATA_DIR "../shared/data/abuse"
#endif

typedef struct texts {
    char *data;          /* the texts back to back */
    size_t *start, n, len;
} texts;

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        bench_die("allocation", "out of memory");
    return q;
}

static void add_text(texts *t, const char *s, size_t len)
{
    t->data = xrealloc(t->data, t->len + len);
    memcpy(t->data + t->len, s, len);
    t->start = xrealloc(t->start, (t->n + 2) * sizeof *t->start);
    t->start[t->n++] = t->len;
    t->len += len;
    t->start[t->n] = t->len;
}

/* The texts of a label TAB text file (its header skipped); 0 when it cannot be read. */
static int load(texts *t, const char *dir, const char *name, size_t limit)
{
    char path[4096], line[1 << 16];
    FILE *f;
    int first = 1;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (!(f = fopen(path, "rb")))
        return 0;
    while (t->n < limit && fgets(line, sizeof line, f)) {
        char *tab = strchr(line, '\t');
        size_t len;
        if (first || !tab) {
            first = 0;
            continue;
        }
        len = strlen(tab + 1);
        while (len && (tab[len] == '\n' || tab[len] == '\r'))
            len--;
        add_text(t, tab + 1, len);
    }
    fclose(f);
    return t->n > 0;
}

/* The median MB/s of runs runs over t; *best gets the fastest run's, *abusive the share judged abusive. */
static double measure(fb_abuse_detector *d, const texts *t, int runs, int repeat, double *best, double *abusive)
{
    double *mbs = xrealloc(NULL, (size_t)runs * sizeof *mbs), med;
    size_t flagged = 0, i;
    int r, k;

    for (r = 0; r < runs; r++) {
        double t0 = bench_now(), secs;
        flagged = 0;
        for (k = 0; k < repeat; k++)
            for (i = 0; i < t->n; i++) {
                fb_abuse_result res;
                if (fb_abuse_check(d, t->data + t->start[i], t->start[i + 1] - t->start[i], &res, NULL) != FB_OK)
                    bench_die("fb_abuse_check", "failed on a development text");
                flagged += res.abusive;
            }
        secs = bench_now() - t0;
        mbs[r] = (double)t->len * repeat / 1e6 / (secs > 0 ? secs : 1e-9);
    }
    med = bench_median(mbs, runs); /* sorts mbs */
    *best = mbs[runs - 1];
    free(mbs);
    *abusive = t->n ? (double)flagged / (double)t->n : 0;
    return med;
}

int main(int argc, char **argv)
{
    static const char *const builtin[] = {
        "Great service, the courier was polite and fast. Thank you!",
        "Ужасное обслуживание, ждали два часа, никто не извинился.",
        "The app keeps crashing when I try to pay. Please fix it.",
        "Отличный магазин, всё пришло вовремя, рекомендую друзьям.",
    };
    const char *dir = FB_BENCH_DATA_DIR, *names[2] = {"en_dev.tsv", "ru_dev.tsv"};
    texts t[3];
    int runs = 5, repeat = 1, a, lang;
    size_t limit = (size_t)-1;
    fb_abuse_detector *d;
    bool from_files = true;

    for (a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "--runs") && a + 1 < argc)
            runs = atoi(argv[++a]);
        else if (!strcmp(argv[a], "--repeat") && a + 1 < argc)
            repeat = atoi(argv[++a]);
        else if (!strcmp(argv[a], "--texts") && a + 1 < argc)
            limit = (size_t)atol(argv[++a]);
        else
            dir = argv[a];
    }
    if (runs < 1)
        runs = 1;
    if (repeat < 1)
        repeat = 1;
    memset(t, 0, sizeof t);
    for (lang = 0; lang < 2; lang++)
        if (!load(&t[lang], dir, names[lang], limit))
            from_files = false;
    if (!from_files) {
        size_t i;
        for (lang = 0; lang < 2; lang++) {
            free(t[lang].data);
            free(t[lang].start);
            memset(&t[lang], 0, sizeof t[lang]);
            for (i = 0; i < 2000 && i < limit; i++)
                add_text(&t[lang], builtin[lang + 2 * (i % 2)], strlen(builtin[lang + 2 * (i % 2)]));
        }
    }
    for (lang = 0; lang < 2; lang++) {
        size_t i;
        for (i = 0; i < t[lang].n; i++)
            add_text(&t[2], t[lang].data + t[lang].start[i], t[lang].start[i + 1] - t[lang].start[i]);
    }
    bench_prog = "fb-abuse-bench";
    if (fb_abuse_detector_new(&d, NULL, NULL) != FB_OK)
        bench_die("fb_abuse_detector_new", "out of memory");
    printf("fb_abuse_check, one call per text, median of %d runs (%s)\n\n", runs,
           from_files ? dir : "built-in sample texts");
    printf("| texts | count | MB | MB/s | fastest run | judged abusive |\n|---|---|---|---|---|---|\n");
    for (lang = 0; lang < 3; lang++) {
        double ab, best, mbs = measure(d, &t[lang], runs, repeat, &best, &ab);
        printf("| %s | %lu | %.2f | %.0f | %.0f | %.1f%% |\n", lang == 0 ? "English" : lang == 1 ? "Russian" : "both",
               (unsigned long)t[lang].n, (double)t[lang].len / 1e6, mbs, best, 100 * ab);
        free(t[lang].data);
        free(t[lang].start);
    }
    fb_abuse_detector_free(d);
    return 0;
}
