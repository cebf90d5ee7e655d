/* feedback stats FILE: counts by kind, channel, customer, source and metric. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "files.h"
#include "output.h"
#include "report.h"

#define PROG "feedback stats"

/* Room for every value of an enumeration; values beyond it (a newer library) are not counted. */
#define MAX_VALUES 32

typedef struct stats {
    uint64_t records;
    uint64_t kind[MAX_VALUES];
    uint64_t channel[MAX_VALUES];
    uint64_t status[MAX_VALUES][2]; /* [status][verified] */
    uint64_t source[MAX_VALUES];
    uint64_t scored[MAX_VALUES];
    uint64_t skipped[MAX_VALUES];
    double sum[MAX_VALUES];
    fb_time first, last;
} stats;

void fbc_stats_help(FILE *out)
{
    fputs("Usage: feedback stats FILE [--from FORMAT] [--skip-bad] [--json]\n"
          "\n"
          "Counts the records of FILE by kind, channel, customer status (verified\n"
          "or not), source, and the answers by metric (scored, skipped, mean\n"
          "score), and gives the first and last created_at. Every record counts in\n"
          "every table, whatever its kind. Tables list values in the order of the\n"
          "enumerations and leave out values that never occur; the JSON output\n"
          "lists every value, zeros included. FORMAT is csv or jsonl; without\n"
          "--from it comes from the extension, else from the content ('{' starts\n"
          "JSON Lines). '-' is standard input.\n"
          "\n"
          "Options:\n"
          "  --from FORMAT  the format of FILE\n"
          "  --skip-bad     report bad rows and count the good ones (exit status 1\n"
          "                 when a row was bad); by default the first bad row stops\n"
          "  --json         print one JSON object instead of tables\n"
          "  -h, --help     show this help\n",
          out);
    fbc_print_exit_codes(out);
}

static int enum_count(fb_enum e)
{
    int n = fb_enum_count(e);
    return n > MAX_VALUES ? MAX_VALUES : n;
}

static void add_record(stats *s, const fb_record *r)
{
    size_t i;

    if (s->records == 0 || r->created_at < s->first)
        s->first = r->created_at;
    if (s->records == 0 || r->created_at > s->last)
        s->last = r->created_at;
    s->records++;
    if ((int)r->kind < enum_count(FB_ENUM_KIND))
        s->kind[r->kind]++;
    if ((int)r->channel < enum_count(FB_ENUM_CHANNEL))
        s->channel[r->channel]++;
    if ((int)r->customer_status < enum_count(FB_ENUM_CUSTOMER_STATUS))
        s->status[r->customer_status][r->customer_verified ? 1 : 0]++;
    if ((int)r->source < enum_count(FB_ENUM_SOURCE))
        s->source[r->source]++;
    for (i = 0; i < r->n_answers; i++) {
        const fb_answer *a = &r->answers[i];
        if ((int)a->metric >= enum_count(FB_ENUM_METRIC))
            continue;
        if (a->skipped) {
            s->skipped[a->metric]++;
        } else {
            s->scored[a->metric]++;
            s->sum[a->metric] += a->score;
        }
    }
}

/* Custom answers each have their own scale, so their scores have no common mean. */
static int has_mean(const stats *s, int metric)
{
    return metric != FB_METRIC_CUSTOM && s->scored[metric] > 0;
}

/* ---------------------------------------------------------------- tables */

#define MAX_COLS 4
#define CELL 48

typedef struct table {
    int ncols;
    int nrows;
    char cell[MAX_VALUES + 1][MAX_COLS][CELL]; /* row 0 is the header */
} table;

static void table_start(table *t, int ncols, const char *const *head)
{
    int c;
    memset(t, 0, sizeof *t);
    t->ncols = ncols;
    t->nrows = 1;
    for (c = 0; c < ncols; c++)
        snprintf(t->cell[0][c], CELL, "%s", head[c]);
}

static char (*table_row(table *t))[CELL]
{
    return t->cell[t->nrows++];
}

static void table_print(const table *t)
{
    size_t width[MAX_COLS] = {0};
    int r, c;

    for (r = 0; r < t->nrows; r++)
        for (c = 0; c < t->ncols; c++)
            if (strlen(t->cell[r][c]) > width[c])
                width[c] = strlen(t->cell[r][c]);
    for (r = 0; r < t->nrows; r++) {
        printf("%-*s", (int)width[0], t->cell[r][0]);
        for (c = 1; c < t->ncols; c++)
            printf("  %*s", (int)width[c], t->cell[r][c]);
        putchar('\n');
    }
}

static void share(char *buf, uint64_t n, uint64_t total)
{
    snprintf(buf, CELL, "%.1f%%", total ? 100.0 * (double)n / (double)total : 0.0);
}

static void count_table(fb_enum e, const uint64_t *counts, uint64_t total)
{
    static const char *const head[] = {NULL, "records", "share"};
    const char *h[3];
    table t;
    int v;

    h[0] = fb_enum_field(e);
    h[1] = head[1];
    h[2] = head[2];
    table_start(&t, 3, h);
    for (v = 0; v < enum_count(e); v++) {
        char(*row)[CELL];
        if (counts[v] == 0)
            continue;
        row = table_row(&t);
        snprintf(row[0], CELL, "%s", fb_enum_name(e, v));
        snprintf(row[1], CELL, "%llu", (unsigned long long)counts[v]);
        share(row[2], counts[v], total);
    }
    putchar('\n');
    table_print(&t);
}

static void print_tables(const stats *s, const char *name, uint64_t bad_rows)
{
    static const char *const status_head[] = {"customer_status", "records", "verified", "unverified"};
    static const char *const answer_head[] = {"metric", "scored", "skipped", "mean"};
    char first[FB_TIME_STRING_MAX] = "-", last[FB_TIME_STRING_MAX] = "-";
    table t;
    int v;

    if (s->records > 0) {
        fbc_time_text(s->first, first, sizeof first);
        fbc_time_text(s->last, last, sizeof last);
    }
    printf("file        %s\n", name);
    printf("records     %llu\n", (unsigned long long)s->records);
    printf("bad rows    %llu\n", (unsigned long long)bad_rows);
    printf("first       %s\n", first);
    printf("last        %s\n", last);
    if (s->records == 0)
        return;

    count_table(FB_ENUM_KIND, s->kind, s->records);
    count_table(FB_ENUM_CHANNEL, s->channel, s->records);

    table_start(&t, 4, status_head);
    for (v = 0; v < enum_count(FB_ENUM_CUSTOMER_STATUS); v++) {
        uint64_t total = s->status[v][0] + s->status[v][1];
        char(*row)[CELL];
        if (total == 0)
            continue;
        row = table_row(&t);
        snprintf(row[0], CELL, "%s", fb_enum_name(FB_ENUM_CUSTOMER_STATUS, v));
        snprintf(row[1], CELL, "%llu", (unsigned long long)total);
        snprintf(row[2], CELL, "%llu", (unsigned long long)s->status[v][1]);
        snprintf(row[3], CELL, "%llu", (unsigned long long)s->status[v][0]);
    }
    putchar('\n');
    table_print(&t);

    count_table(FB_ENUM_SOURCE, s->source, s->records);

    table_start(&t, 4, answer_head);
    for (v = 0; v < enum_count(FB_ENUM_METRIC); v++) {
        char(*row)[CELL];
        if (s->scored[v] + s->skipped[v] == 0)
            continue;
        row = table_row(&t);
        snprintf(row[0], CELL, "%s", fb_enum_name(FB_ENUM_METRIC, v));
        snprintf(row[1], CELL, "%llu", (unsigned long long)s->scored[v]);
        snprintf(row[2], CELL, "%llu", (unsigned long long)s->skipped[v]);
        if (has_mean(s, v))
            snprintf(row[3], CELL, "%.2f", s->sum[v] / (double)s->scored[v]);
        else
            snprintf(row[3], CELL, "-");
    }
    if (t.nrows > 1) {
        putchar('\n');
        table_print(&t);
    }
}

/* ------------------------------------------------------------------ JSON */

static void json_counts(fb_enum e, const uint64_t *counts)
{
    int v;
    printf(",\n  \"%s\": {", fb_enum_field(e));
    for (v = 0; v < enum_count(e); v++)
        printf("%s\"%s\": %llu", v ? ", " : "", fb_enum_name(e, v), (unsigned long long)counts[v]);
    putchar('}');
}

static void print_json(const stats *s, const char *name, uint64_t bad_rows)
{
    char buf[FB_TIME_STRING_MAX];
    int v;

    fputs("{\n  \"file\": ", stdout);
    fbc_json_string(stdout, name, strlen(name));
    printf(",\n  \"records\": %llu", (unsigned long long)s->records);
    printf(",\n  \"bad_rows\": %llu", (unsigned long long)bad_rows);
    if (s->records > 0) {
        fbc_time_text(s->first, buf, sizeof buf);
        printf(",\n  \"created_at\": {\"first\": \"%s\"", buf);
        fbc_time_text(s->last, buf, sizeof buf);
        printf(", \"last\": \"%s\"}", buf);
    } else {
        fputs(",\n  \"created_at\": {\"first\": null, \"last\": null}", stdout);
    }
    json_counts(FB_ENUM_KIND, s->kind);
    json_counts(FB_ENUM_CHANNEL, s->channel);
    fputs(",\n  \"customer_status\": {", stdout);
    for (v = 0; v < enum_count(FB_ENUM_CUSTOMER_STATUS); v++)
        printf("%s\n    \"%s\": {\"records\": %llu, \"verified\": %llu, \"unverified\": %llu}",
               v ? "," : "", fb_enum_name(FB_ENUM_CUSTOMER_STATUS, v),
               (unsigned long long)(s->status[v][0] + s->status[v][1]),
               (unsigned long long)s->status[v][1], (unsigned long long)s->status[v][0]);
    fputs("\n  }", stdout);
    json_counts(FB_ENUM_SOURCE, s->source);
    fputs(",\n  \"answers\": {", stdout);
    for (v = 0; v < enum_count(FB_ENUM_METRIC); v++) {
        printf("%s\n    \"%s\": {\"scored\": %llu, \"skipped\": %llu, \"mean\": ", v ? "," : "",
               fb_enum_name(FB_ENUM_METRIC, v), (unsigned long long)s->scored[v],
               (unsigned long long)s->skipped[v]);
        if (has_mean(s, v))
            printf("%.6g}", s->sum[v] / (double)s->scored[v]);
        else
            fputs("null}", stdout);
    }
    fputs("\n  }\n}\n", stdout);
}

int fbc_stats_main(int argc, char **argv)
{
    const char *from = NULL;
    int skip_bad = 0, json = 0, help = 0, n = 0, code = 0, r;
    fb_format format;
    fbc_input in;
    stats s;
    const fbc_option opts[] = {
        {"from", 0, FBC_OPT_VALUE, NULL, &from},
        {"skip-bad", 0, FBC_OPT_FLAG, &skip_bad, NULL},
        {"json", 0, FBC_OPT_FLAG, &json, NULL},
        {"help", 'h', FBC_OPT_FLAG, &help, NULL},
    };

    if ((code = fbc_args_parse(PROG, argc, argv, opts, sizeof opts / sizeof opts[0], &n)) != 0)
        return code;
    if (help) {
        fbc_stats_help(stdout);
        return FBC_EXIT_OK;
    }
    if (n != 1)
        return fbc_usage_error(PROG, n < 1 ? "needs a FILE" : "takes one FILE", NULL);
    if ((code = fbc_pick_format(PROG, argv[0], from, "from", &format)) != 0)
        return code;
    if ((code = fbc_input_open(&in, argv[0], format,
                               skip_bad ? FB_ON_ERROR_SKIP : FB_ON_ERROR_STOP)) != 0)
        return code;

    memset(&s, 0, sizeof s);
    for (;;) {
        const fb_record *rec;
        r = fbc_input_next(&in, &rec, &code);
        if (r <= 0)
            break;
        add_record(&s, rec);
    }
    if (r < 0) {
        fbc_input_close(&in);
        return code;
    }

    if (json)
        print_json(&s, in.name, fbc_input_bad_rows(&in));
    else
        print_tables(&s, in.name, fbc_input_bad_rows(&in));
    code = fbc_input_bad_rows(&in) > 0 ? FBC_EXIT_DATA : FBC_EXIT_OK;
    fbc_input_close(&in);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fbc_errorf("<stdout>", "write error: %s", strerror(errno));
        code = FBC_EXIT_FAILURE;
    }
    return code;
}
