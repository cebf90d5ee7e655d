/*
 * feedback report FILE: every metric with its interval, by group and period,
 * the significant changes, a comparison of two periods, a leaderboard and
 * the terms that drive detractors, as a table, CSV or JSON.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "chain_args.h"
#include "commands.h"
#include "files.h"
#include "output.h"
#include "report.h"
#include "report_view.h"

#define PROG "feedback report"

void fbc_report_help(FILE *out)
{
    fputs("Usage: feedback report FILE [--by DIMS] [--period PERIOD] [--compare previous|A..B]\n"
          "                            [--format table|csv|json] [options]\n"
          "\n"
          "Summarises FILE (a binary log, CSV or JSON Lines) with honest statistics:\n"
          "every metric's value comes with its n and confidence interval (NPS in\n"
          "points with the adjusted Wald interval, shares with Wilson's, means with\n"
          "t intervals; docs/METRICS.md). It prints the totals, one row per group\n"
          "(the dimensions of --by, and the period), the changes from one period to\n"
          "the next that are significant or leave the control limits of the periods\n"
          "before, the comparison --compare asks for, a leaderboard of the groups\n"
          "ranked by the lower bound of their interval, and the comment terms that\n"
          "come with detractors more than with promoters.\n"
          "\n"
          "Options:\n"
          "  --by DIMS           group by these, comma-separated: channel, source,\n"
          "                      customer_status, country, agent, product, tag,\n"
          "                      attribute (with --attr KEY)\n"
          "  --attr KEY          the attribute whose value 'attribute' groups by\n"
          "  --period PERIOD     day, week (ISO), month, quarter, year, or none (default)\n"
          "  --utc-offset +HH:MM periods start at midnight of this offset (default +00:00)\n"
          "  --compare previous  each group's last period against the one before it\n"
          "  --compare A..B      period A against period B, named as the report names\n"
          "                      them (2026-01..2026-02, 2026-Q1..2026-Q2, 2026-W03..2026-W04,\n"
          "                      2025..2026) or by a date inside them\n"
          "  --format FORMAT     table (default), csv (one row per figure), json\n"
          "  --level L           confidence level of the intervals (default 0.95)\n"
          "  --alpha A           significance of a change (default 0.05)\n"
          "  --rank METRIC       the leaderboard's metric (default nps)\n"
          "  --min-n N           answers a group needs to be ranked, compared or judged\n"
          "                      for a change (default 30)\n"
          "  --terms N           terms to list (default 10; 0: none)\n"
          "  --from FORMAT       csv or jsonl, when FILE is not a log (default: from\n"
          "                      the extension, else from the content)\n"
          "  --relevant          count only the records the relevance filters keep,\n"
          "                      and say what they set aside and why\n"
          "  -h, --help          show this help\n"
          "\n",
          out);
    fbc_chain_help(out);
    fbc_print_exit_codes(out);
}

/* ---------------------------------------------------------------- sections */

/* The details of a metric that its headline leaves out, for the totals table. */
static void total_details(const report *r, const fb_summary_group *t, int c)
{
    const fb_metric_options *o = &r->opt->metrics;

    if (c == FB_METRIC_NPS) {
        fb_nps_result n;
        (void)fb_nps_result_of(&t->metric[c], o, &n);
        printf("   promoters %.1f%%, detractors %.1f%%", 100 * n.promoters.value,
               100 * n.detractors.value);
    } else if (c == FB_METRIC_CSAT) {
        fb_csat_result x;
        (void)fb_csat_result_of(&t->metric[c], o, &x);
        printf("   top-2-box; mean %.2f", x.mean.value);
    } else if (c == FB_METRIC_CES) {
        fb_ces_result x;
        (void)fb_ces_result_of(&t->metric[c], o, &x);
        printf("   mean; agree %.1f%%, net %+.1f", 100 * x.agree.value, x.net.value);
    } else if (c == FB_METRIC_RATING) {
        fb_rating_result x;
        (void)fb_rating_result_of(&t->metric[c], o, &x);
        printf("   mean; Bayesian %.2f", x.bayesian_average);
    } else if (c == FB_METRIC_GCR) {
        fputs("   goal completed", stdout);
    } else if (c == COL_CLI) {
        fputs("   mean of the three items' means", stdout);
    }
}

/* The totals: counts, the response rate, each metric. */
/* What the relevance filters set aside, and why (--relevant). */
static void print_relevance(report *r)
{
    fb_filter_counts k;
    char text[1024];
    int i;

    if (!r->chain)
        return;
    fb_filter_chain_counts(r->chain, &k);
    if (r->format == OUT_TABLE) {
        fb_filter_counts_explain(&k, text, sizeof text);
        printf("relevance: %s\n", text);
        return;
    }
    if (r->format == OUT_CSV) {
        fbc_rv_csv_row(r, "relevance", NULL, false, "dropped", k.dropped, (double)k.dropped,
                       NAN, NAN, NAN, "");
        fbc_rv_csv_row(r, "relevance", NULL, false, "flagged", k.flagged, (double)k.flagged,
                       NAN, NAN, NAN, "");
        for (i = 0; i < FB_REASON_COUNT; i++) {
            if (k.dropped_by[i])
                fbc_rv_csv_row(r, "relevance", NULL, false, "dropped", k.dropped_by[i],
                               (double)k.dropped_by[i], NAN, NAN, NAN,
                               fb_reason_name((fb_reason)i));
            if (k.flagged_by[i])
                fbc_rv_csv_row(r, "relevance", NULL, false, "flagged", k.flagged_by[i],
                               (double)k.flagged_by[i], NAN, NAN, NAN,
                               fb_reason_name((fb_reason)i));
        }
        return;
    }
    printf(",\n  \"relevance\": {\"records\": %llu, \"dropped\": %llu, \"flagged\": %llu, "
           "\"kept\": %llu", (unsigned long long)k.records, (unsigned long long)k.dropped,
           (unsigned long long)k.flagged, (unsigned long long)k.kept);
    fbc_rv_json_reasons("dropped_by", k.dropped_by);
    fbc_rv_json_reasons("flagged_by", k.flagged_by);
    fbc_rv_json_reasons("noted_by", k.noted_by);
    fputs("}", stdout);
}

static void print_total(report *r)
{
    const fb_summary_group *t = fb_summary_total(r->s);
    fb_headline_unit unit;
    fb_estimate rate, e;
    int k;

    if (!t)
        return;
    (void)fb_response_rate(t->solicited, t->invitations, r->opt->metrics.level, &rate);
    if (r->format == OUT_TABLE) {
        char text[96];
        printf("%s: %llu records: %llu responses, %llu invitations, %llu updates",
               r->name, (unsigned long long)(t->records + t->excluded),
               (unsigned long long)t->responses, (unsigned long long)t->invitations,
               (unsigned long long)t->updates);
        if (t->excluded)
            printf(", %llu excluded", (unsigned long long)t->excluded);
        putchar('\n');
        if (t->invitations) {
            fbc_rv_estimate_text(FB_UNIT_SHARE, &rate, text, sizeof text);
            printf("response rate %s of %llu surveys\n", text, (unsigned long long)rate.n);
        }
        printf("\n%-16s %8s  %s (%.0f%% interval)\n", "metric", "answers", "value",
               100 * r->opt->metrics.level);
        for (k = 0; k < N_COLS; k++) {
            int c = FBC_COL_ORDER[k];
            /* A CLI item under CLI, indented, without the "CLI " of its title. */
            bool item = fbc_rv_is_cli_item(c);
            if (!r->present[c] || fbc_rv_column(r, t, c, &e, &unit) != FB_OK)
                continue;
            fbc_rv_estimate_text(unit, &e, text, sizeof text);
            printf("%s%-*s %8llu  %s", item ? "  " : "", item ? 14 : 16,
                   item ? FBC_METRIC_TITLE[c] + 4 : fbc_rv_col_title(c), (unsigned long long)e.n,
                   text);
            total_details(r, t, c);
            putchar('\n');
        }
        return;
    }
    if (r->format == OUT_CSV) {
        fbc_rv_csv_row(r, "total", NULL, false, "records", t->records, (double)t->records, NAN,
                       NAN, NAN, "");
        fbc_rv_csv_row(r, "total", NULL, false, "excluded", t->excluded, (double)t->excluded,
                       NAN, NAN, NAN, "");
        if (t->invitations)
            fbc_rv_csv_row(r, "total", NULL, false, "response_rate", rate.n, rate.value, rate.lo,
                    rate.hi, NAN, "");
        for (k = 0; k < N_COLS; k++)
            if (r->present[FBC_COL_ORDER[k]] &&
                fbc_rv_column(r, t, FBC_COL_ORDER[k], &e, &unit) == FB_OK)
                fbc_rv_csv_row(r, "total", NULL, false, fbc_rv_col_name(FBC_COL_ORDER[k]), e.n,
                               e.value, e.lo, e.hi, NAN, "");
        return;
    }
    printf(",\n  \"total\": {\"records\": %llu, \"excluded\": %llu, \"responses\": %llu, "
           "\"invitations\": %llu, \"updates\": %llu, \"response_rate\": ",
           (unsigned long long)t->records, (unsigned long long)t->excluded,
           (unsigned long long)t->responses, (unsigned long long)t->invitations,
           (unsigned long long)t->updates);
    fbc_rv_json_estimate(&rate);
    fputs(", \"metrics\": {", stdout);
    r->first_row = true;
    for (k = 0; k < N_COLS; k++) {
        if (!r->present[FBC_COL_ORDER[k]] ||
            fbc_rv_column(r, t, FBC_COL_ORDER[k], &e, &unit) != FB_OK)
            continue;
        printf("%s\"%s\": ", r->first_row ? "" : ", ", fbc_rv_col_name(FBC_COL_ORDER[k]));
        r->first_row = false;
        fbc_rv_json_estimate(&e);
    }
    fputs("}}", stdout);
}

/* A table cell: the estimate with its n, or "-". */
static void print_cell(fb_headline_unit unit, const fb_estimate *e)
{
    char text[64], cell[96];

    if (e->n) {
        fbc_rv_estimate_text(unit, e, text, sizeof text);
        snprintf(cell, sizeof cell, "%s n=%llu", text, (unsigned long long)e->n);
    } else {
        snprintf(cell, sizeof cell, "-");
    }
    printf("  %-30s", cell);
}

/* One row per group. */
static void print_groups(report *r)
{
    size_t i, j, n = fb_summary_count(r->s);
    fbc_rv_dim d[8];
    size_t n_dims = fbc_rv_dims(r, NULL, d);
    fb_headline_unit unit;
    int k;

    if (r->format == OUT_TABLE) {
        if (r->opt->dims == 0 && r->opt->period == FB_PERIOD_NONE)
            return;
        putchar('\n');
        for (j = 0; j < n_dims; j++)
            printf("%-16s ", d[j].name);
        if (r->opt->period != FB_PERIOD_NONE)
            printf("%-10s ", fb_period_name(r->opt->period));
        printf("%8s", "records");
        if (r->rates)
            printf("  %-30s", "response rate");
        for (k = 0; k < N_COLS; k++)
            if (r->present[FBC_COL_ORDER[k]] && !fbc_rv_is_cli_item(FBC_COL_ORDER[k]))
                printf("  %-30s", fbc_rv_col_title(FBC_COL_ORDER[k]));
        putchar('\n');
    } else if (r->format == OUT_JSON) {
        fputs(",\n  \"groups\": [", stdout);
        r->first_row = true;
    }
    for (i = 0; i < n; i++) {
        const fb_summary_group *g = fb_summary_group_at(r->s, i);
        fb_estimate e, rate;
        /* Without invitations the responses may not have been invited: no rate. */
        (void)fb_response_rate(g->solicited, g->invitations, r->opt->metrics.level, &rate);
        if (g->invitations == 0)
            rate.n = 0;
        if (r->format == OUT_TABLE) {
            fbc_rv_dims(r, g, d);
            for (j = 0; j < n_dims; j++) {
                fbc_print_padded(stdout, d[j].len ? d[j].p : "-", d[j].len ? d[j].len : 1, 16);
                putchar(' ');
            }
            if (r->opt->period != FB_PERIOD_NONE) {
                char label[32];
                fbc_rv_period_label(r, g->period_start, label, sizeof label);
                printf("%-10s ", label);
            }
            printf("%8llu", (unsigned long long)g->records);
            if (r->rates)
                print_cell(FB_UNIT_SHARE, &rate);
            for (k = 0; k < N_COLS; k++) {
                int c = FBC_COL_ORDER[k];
                if (!r->present[c] || fbc_rv_is_cli_item(c))
                    continue;
                if (fbc_rv_column(r, g, c, &e, &unit) != FB_OK)
                    e.n = 0;
                print_cell(unit, &e);
            }
            putchar('\n');
        } else if (r->format == OUT_CSV) {
            fbc_rv_csv_row(r, "group", g, true, "records", g->records, (double)g->records, NAN,
                           NAN, NAN, "");
            if (r->rates && rate.n)
                fbc_rv_csv_row(r, "group", g, true, "response_rate", rate.n, rate.value, rate.lo,
                               rate.hi, NAN, "");
            for (k = 0; k < N_COLS; k++) {
                int c = FBC_COL_ORDER[k];
                if (r->present[c] && fbc_rv_column(r, g, c, &e, &unit) == FB_OK && e.n)
                    fbc_rv_csv_row(r, "group", g, true, fbc_rv_col_name(c), e.n, e.value, e.lo,
                                   e.hi, NAN, "");
            }
        } else {
            bool first = true;
            fbc_rv_json_separator(r);
            putchar('{');
            fbc_rv_json_key(r, g, true);
            printf("\"records\": %llu, \"excluded\": %llu, ", (unsigned long long)g->records,
                   (unsigned long long)g->excluded);
            if (r->rates) {
                fputs("\"response_rate\": ", stdout);
                fbc_rv_json_estimate(&rate);
                fputs(", ", stdout);
            }
            fputs("\"metrics\": {", stdout);
            for (k = 0; k < N_COLS; k++) {
                if (!r->present[FBC_COL_ORDER[k]] ||
                    fbc_rv_column(r, g, FBC_COL_ORDER[k], &e, &unit) != FB_OK || e.n == 0)
                    continue;
                printf("%s\"%s\": ", first ? "" : ", ", fbc_rv_col_name(FBC_COL_ORDER[k]));
                first = false;
                fbc_rv_json_estimate(&e);
            }
            fputs("}}", stdout);
        }
    }
    if (r->format == OUT_JSON)
        fputs("\n  ]", stdout);
}

/* The significant changes of every metric present. Returns 0, or 3 when out of memory. */
static int print_changes(report *r, double alpha)
{
    fb_change_options co;
    size_t all_tests = 0;
    int m, printed = 0;

    if (r->opt->period == FB_PERIOD_NONE)
        return 0;
    fb_change_options_init(&co);
    co.alpha = alpha;
    co.min_n = r->min_n;
    if (r->format == OUT_JSON) {
        fputs(",\n  \"changes\": [", stdout);
        r->first_row = true;
    }
    for (m = 0; m < FB_SUMMARY_METRICS; m++) {
        fb_change *ch;
        fb_error err;
        size_t n, i, tests;
        fb_headline_unit unit = fbc_rv_unit_of(r, (fb_metric)m);
        if (!r->present[m])
            continue;
        if (fb_summary_changes(r->s, (fb_metric)m, &co, &ch, &n, &tests, &err) != FB_OK) {
            fbc_report(r->name, &err);
            return FBC_EXIT_FAILURE;
        }
        for (i = 0; i < n; i++) {
            const fb_change *c = &ch[i];
            const fb_summary_group *g = fb_summary_group_at(r->s, c->group);
            char key[FBC_RV_KEY_TEXT_MAX], label[32], before[32], size_text[48], note[160],
                ptext[16];
            fbc_rv_key_text(r, g, key, sizeof key);
            fbc_rv_period_label(r, g->period_start, label, sizeof label);
            if (c->kind == FB_CHANGE_PREVIOUS)
                fbc_rv_period_label(r, fb_summary_group_at(r->s, c->compared)->period_start, before,
                             sizeof before);
            else
                snprintf(before, sizeof before, "the periods before");
            fbc_rv_diff_text(unit, c->size, size_text, sizeof size_text);
            snprintf(note, sizeof note, "%s %s against %s (%s)", c->direction > 0 ? "up" : "down",
                     size_text, before,
                     c->kind == FB_CHANGE_PREVIOUS ? "two-period test" : "control limits");
            if (r->format == OUT_TABLE) {
                if (printed++ == 0)
                    printf("\nChanges (alpha %g):\n", alpha);
                printf("  %s %s %s: %s, p = %s\n", key, label, FBC_METRIC_TITLE[m], note,
                       fbc_rv_p_text(c->p_value, ptext, sizeof ptext));
            } else if (r->format == OUT_CSV) {
                fbc_rv_csv_row(r, "change", g, true, fb_metric_name((fb_metric)m), 0, c->value,
                               c->lo, c->hi, c->p_value, note);
            } else {
                fbc_rv_json_separator(r);
                putchar('{');
                fbc_rv_json_key(r, g, true);
                printf("\"metric\": \"%s\", \"kind\": \"%s\", \"direction\": %d, \"value\": ",
                       fb_metric_name((fb_metric)m),
                       c->kind == FB_CHANGE_PREVIOUS ? "previous" : "limits", c->direction);
                fbc_rv_json_number(c->value);
                fputs(", \"baseline\": ", stdout);
                fbc_rv_json_number(c->baseline);
                fputs(", \"lo\": ", stdout);
                fbc_rv_json_number(c->lo);
                fputs(", \"hi\": ", stdout);
                fbc_rv_json_number(c->hi);
                fputs(", \"p_value\": ", stdout);
                fbc_rv_json_number(c->p_value);
                putchar('}');
            }
        }
        all_tests += tests;
        fb_summary_free_array(r->s, ch);
    }
    if (r->format == OUT_JSON) {
        printf("\n  ],\n  \"change_tests\": %zu", all_tests);
    } else if (r->format == OUT_TABLE) {
        if (printed == 0)
            printf("\nChanges: none significant at alpha %g\n", alpha);
        /* Many tests flag some changes by chance alone: say how many to expect. */
        printf("  (%zu tests of periods with at least %lu answers each; about %.0f of them would "
               "flag by chance)\n",
               all_tests, r->min_n, alpha * (double)all_tests);
    }
    return 0;
}

/* The group of series (key without period) of g, at period start t: its index, or SIZE_MAX. */
static size_t find_period(report *r, size_t from, const fb_summary_group *key, fb_time t)
{
    size_t i, n = fb_summary_count(r->s);
    for (i = from; i < n; i++) {
        const fb_summary_group *g = fb_summary_group_at(r->s, i);
        if (!fbc_rv_same_series(r, g, key))
            break;
        if (g->period_start <= t && t < g->period_end)
            return i;
    }
    return SIZE_MAX;
}

/* --compare: per series, period A against B, or the last period against the one before. */
static void print_comparisons(report *r)
{
    size_t i, n = fb_summary_count(r->s), start = 0;
    int printed = 0;

    if (!r->compare || r->opt->period == FB_PERIOD_NONE || n == 0)
        return;
    if (r->format == OUT_JSON) {
        fputs(",\n  \"comparisons\": [", stdout);
        r->first_row = true;
    }
    for (i = 0; i <= n; i++) {
        const fb_summary_group *first = fb_summary_group_at(r->s, start), *g = NULL, *a, *b;
        char ka[FBC_RV_KEY_TEXT_MAX], la[32], lb[32];
        size_t ia, ib;
        int m;
        if (i < n) {
            g = fb_summary_group_at(r->s, i);
            if (fbc_rv_same_series(r, g, first))
                continue;
        }
        /* The series [start, i) ends here. */
        if (strcmp(r->compare, "previous") == 0) {
            ib = i - 1;
            ia = i - 1 > start ? i - 2 : SIZE_MAX;
        } else {
            ia = find_period(r, start, first, r->compare_a);
            ib = find_period(r, start, first, r->compare_b);
        }
        start = i;
        if (ia == SIZE_MAX || ib == SIZE_MAX)
            continue;
        a = fb_summary_group_at(r->s, ia);
        b = fb_summary_group_at(r->s, ib);
        fbc_rv_period_label(r, a->period_start, la, sizeof la);
        fbc_rv_period_label(r, b->period_start, lb, sizeof lb);
        fbc_rv_key_text(r, a, ka, sizeof ka);
        for (m = 0; m < FB_SUMMARY_METRICS; m++) {
            fb_comparison c;
            fb_estimate ea, eb;
            fb_headline_unit unit = fbc_rv_unit_of(r, (fb_metric)m);
            char note[160], ta[64], tb[64];
            if (!r->present[m] || fb_summary_headline(r->s, a, (fb_metric)m, &ea) != FB_OK ||
                fb_summary_headline(r->s, b, (fb_metric)m, &eb) != FB_OK || ea.n < r->min_n ||
                eb.n < r->min_n || fb_summary_compare(r->s, b, a, (fb_metric)m, &c) != FB_OK)
                continue;
            snprintf(note, sizeof note, "%s against %s", lb, la);
            if (r->format == OUT_TABLE) {
                char ptext[16];
                if (printed++ == 0)
                    printf("\nComparisons (later minus earlier; groups with at least %lu "
                           "answers in both periods):\n",
                           r->min_n);
                fbc_rv_diff_interval_text(unit, &c, ta, sizeof ta);
                fbc_rv_estimate_text(unit, &eb, tb, sizeof tb);
                printf("  %s %s: %s %s against %s: %s, p = %s\n", ka, FBC_METRIC_TITLE[m], lb, tb,
                       la, ta, fbc_rv_p_text(c.p_value, ptext, sizeof ptext));
            } else if (r->format == OUT_CSV) {
                fbc_rv_csv_row(r, "compare", a, false, fb_metric_name((fb_metric)m), eb.n + ea.n,
                               c.diff, c.lo, c.hi, c.p_value, note);
            } else {
                fbc_rv_json_separator(r);
                putchar('{');
                fbc_rv_json_key(r, a, false);
                printf("\"metric\": \"%s\", \"from\": \"%s\", \"to\": \"%s\", \"diff\": ",
                       fb_metric_name((fb_metric)m), la, lb);
                fbc_rv_json_number(c.diff);
                fputs(", \"lo\": ", stdout);
                fbc_rv_json_number(c.lo);
                fputs(", \"hi\": ", stdout);
                fbc_rv_json_number(c.hi);
                fputs(", \"p_value\": ", stdout);
                fbc_rv_json_number(c.p_value);
                putchar('}');
            }
        }
    }
    if (r->format == OUT_JSON)
        fputs("\n  ]", stdout);
    else if (r->format == OUT_TABLE && printed == 0)
        printf("\nComparisons: no group has %lu answers in both periods\n", r->min_n);
}

/* The groups of the dimensions, ranked by the lower bound of the rank metric. */
static int print_leaderboard(report *r)
{
    fb_headline_unit unit = fbc_rv_unit_of(r, r->rank);
    fb_leader *l;
    fb_error err;
    size_t n, i;

    if (r->opt->dims == 0)
        return 0;
    if (fb_summary_leaderboard(r->by, r->rank, r->min_n, &l, &n, &err) != FB_OK) {
        fbc_report(r->name, &err);
        return FBC_EXIT_FAILURE;
    }
    if (r->format == OUT_TABLE)
        printf("\nLeaderboard by %s, ranked by the lower end of its %.0f%% interval "
               "(at least %lu answers):\n",
               FBC_METRIC_TITLE[r->rank], 100 * r->opt->metrics.level, r->min_n);
    else if (r->format == OUT_JSON) {
        printf(",\n  \"leaderboard\": {\"metric\": \"%s\", \"min_n\": %lu, \"ranks\": [",
               fb_metric_name(r->rank), r->min_n);
        r->first_row = true;
    }
    for (i = 0; i < n; i++) {
        const fb_summary_group *g = fb_summary_group_at(r->by, l[i].group);
        char key[FBC_RV_KEY_TEXT_MAX], text[64], note[32];
        if (r->format == OUT_TABLE) {
            fbc_rv_key_text(r, g, key, sizeof key);
            fbc_rv_estimate_text(unit, &l[i].value, text, sizeof text);
            printf("  %3zu. ", i + 1);
            fbc_print_padded(stdout, key, strlen(key), 40);
            printf(" %s n=%llu\n", text, (unsigned long long)l[i].value.n);
        } else if (r->format == OUT_CSV) {
            snprintf(note, sizeof note, "rank %zu", i + 1);
            fbc_rv_csv_row(r, "leader", g, false, fb_metric_name(r->rank), l[i].value.n,
                    l[i].value.value, l[i].value.lo, l[i].value.hi, NAN, note);
        } else {
            fbc_rv_json_separator(r);
            printf("{\"rank\": %zu, ", i + 1);
            fbc_rv_json_key(r, g, false);
            fputs("\"value\": ", stdout);
            fbc_rv_json_estimate(&l[i].value);
            fputs(", \"bound\": ", stdout);
            fbc_rv_json_number(l[i].bound);
            putchar('}');
        }
    }
    if (r->format == OUT_TABLE && n == 0)
        puts("  (no group has enough answers)");
    if (r->format == OUT_JSON)
        fputs("\n  ]}", stdout);
    fb_summary_free_array(r->by, l);
    return 0;
}

/* The correlations of the metrics answered together, over all records, with enough pairs. */
static int print_correlations(report *r)
{
    fb_correlation *c;
    fb_error err;
    size_t n, i;
    int printed = 0;

    if (fb_summary_correlations(r->s, NULL, &c, &n, &err) != FB_OK) {
        fbc_report(r->name, &err);
        return FBC_EXIT_FAILURE;
    }
    if (r->format == OUT_JSON) {
        fputs(",\n  \"correlations\": [", stdout);
        r->first_row = true;
    }
    for (i = 0; i < n; i++) {
        char text[64];
        if (c[i].r.n < r->min_n)
            continue;
        if (r->format == OUT_TABLE) {
            if (printed++ == 0)
                printf("\nCorrelations of metrics answered in the same response (Pearson's r, "
                       "at least %lu pairs):\n",
                       r->min_n);
            fbc_rv_estimate_text(FB_UNIT_SCORE, &c[i].r, text, sizeof text);
            printf("  %-14s %-14s r = %s n=%llu\n", fbc_rv_col_title(c[i].a),
                   fbc_rv_col_title(c[i].b), text, (unsigned long long)c[i].r.n);
        } else if (r->format == OUT_CSV) {
            snprintf(text, sizeof text, "%s_%s", fb_metric_name(c[i].a), fb_metric_name(c[i].b));
            fbc_rv_csv_row(r, "correlation", NULL, false, text, c[i].r.n, c[i].r.value,
                           c[i].r.lo, c[i].r.hi, NAN, "");
        } else {
            fbc_rv_json_separator(r);
            printf("{\"a\": \"%s\", \"b\": \"%s\", \"r\": ", fb_metric_name(c[i].a),
                   fb_metric_name(c[i].b));
            fbc_rv_json_estimate(&c[i].r);
            putchar('}');
        }
    }
    if (r->format == OUT_JSON)
        fputs("\n  ]", stdout);
    fb_summary_free_array(r->s, c);
    return 0;
}

/* The most frequent terms, and those most over-represented among detractors. */
static int print_terms(report *r)
{
    static const struct {
        bool lift;
        const char *title, *key;
    } lists[2] = {{false, "Most frequent comment terms", "frequent"},
                  {true, "Terms of detractors (lift: share among detractor comments over share "
                         "among promoter comments)",
                   "detractors"}};
    int k;

    if (r->terms == 0)
        return 0;
    if (r->format == OUT_JSON)
        fputs(",\n  \"terms\": {", stdout);
    for (k = 0; k < 2; k++) {
        fb_term_stat *t;
        fb_error err;
        size_t n, i;
        if (fb_summary_terms(r->s, NULL, r->terms, lists[k].lift, 5, &t, &n, &err) != FB_OK) {
            fbc_report(r->name, &err);
            return FBC_EXIT_FAILURE;
        }
        if (r->format == OUT_TABLE) {
            printf("\n%s:\n", lists[k].title);
            for (i = 0; i < n; i++) {
                fputs("  ", stdout);
                fbc_print_padded(stdout, t[i].term.ptr, t[i].term.len, 24);
                printf(" %6llu comments", (unsigned long long)t[i].comments);
                if (!isnan(t[i].lift))
                    printf("  lift %.2f", t[i].lift);
                putchar('\n');
            }
            if (n == 0)
                puts("  (none)");
        } else if (r->format == OUT_CSV) {
            for (i = 0; i < n; i++) {
                char term[FB_TERM_MAX + 1];
                snprintf(term, sizeof term, "%.*s", (int)t[i].term.len, t[i].term.ptr);
                fbc_rv_csv_row(r, lists[k].lift ? "detractor_term" : "term", NULL, false,
                               "comments", t[i].comments, t[i].lift, NAN, NAN, NAN, term);
            }
        } else {
            printf("%s\"%s\": [", k ? ", " : "", lists[k].key);
            for (i = 0; i < n; i++) {
                printf("%s{\"term\": ", i ? ", " : "");
                fbc_json_string(stdout, t[i].term.ptr, t[i].term.len);
                printf(", \"comments\": %llu, \"detractors\": %llu, \"promoters\": %llu, "
                       "\"lift\": ",
                       (unsigned long long)t[i].comments, (unsigned long long)t[i].detractors,
                       (unsigned long long)t[i].promoters);
                fbc_rv_json_number(t[i].lift);
                putchar('}');
            }
            putchar(']');
        }
        fb_summary_free_array(r->s, t);
    }
    if (r->format == OUT_JSON)
        putchar('}');
    return 0;
}

/* ---------------------------------------------------------------- input */

static void bad_row(void *ctx, const fb_error *err) { fbc_report(ctx, err); }

/* Reads the file into r->s. Returns the exit code so far (0, or 1 after damage or bad rows). */
static int read_input(report *r, const char *path, fb_format from, int *failed)
{
    fb_summary_input in;
    fbc_damage damage;
    fb_error err;
    fb_status st;

    fb_summary_input_init(&in);
    in.text.format = from;
    in.text.on_bad_row = bad_row;
    in.text.on_bad_row_ctx = (void *)r->name;
    fbc_damage_init(&damage, r->name);
    in.log.on_damage = fbc_damage_report;
    in.log.on_damage_ctx = &damage;
    in.relevance = r->chain;
    fb_error_clear(&err);
    st = fb_summary_add_path(r->s, path, &in, &err);
    if (st != FB_OK) {
        /* A bad row was reported by the callback as it was met. */
        if (st != FB_ERR_PARSE && st != FB_ERR_RANGE && st != FB_ERR_MISSING &&
            st != FB_ERR_UNKNOWN_NAME && st != FB_ERR_UTF8 && st != FB_ERR_INCONSISTENT &&
            st != FB_ERR_DUPLICATE && st != FB_ERR_TOO_LONG)
            fbc_report(r->name, &err);
        *failed = fbc_exit_code(st);
        return *failed;
    }
    *failed = 0;
    return damage.regions ? FBC_EXIT_DATA : FBC_EXIT_OK;
}

/*
 * A period's name as the report prints it (2026, 2026-Q1, 2026-01, 2026-W05,
 * 2026-01-15) or any ISO 8601 time, as the UTC time of its start. -1 when
 * it is none of those.
 */
static int parse_period_name(const char *v, fb_time *out)
{
    char date[48];
    int y, n, len = (int)strlen(v), used = 0;

    if (len >= (int)sizeof date - 8)
        return -1;
    if (sscanf(v, "%4d-Q%1d%n", &y, &n, &used) == 2 && used == len && n >= 1 && n <= 4) {
        snprintf(date, sizeof date, "%04d-%02d-01", y, (n - 1) * 3 + 1);
    } else if (sscanf(v, "%4d-W%2d%n", &y, &n, &used) == 2 && used == len && n >= 1 &&
               n <= 53) {
        /* Week 1 is the week with January 4th; weeks start on Monday. */
        fb_time jan4;
        int64_t day, monday;
        snprintf(date, sizeof date, "%04d-01-04", y);
        if (fb_time_parse(date, strlen(date), &jan4, NULL) != FB_OK)
            return -1;
        day = jan4 / 86400000LL;
        monday = day - (day + 3) % 7; /* 1970-01-01, day 0, was a Thursday */
        *out = (monday + 7 * (int64_t)(n - 1)) * 86400000LL;
        return 0;
    } else {
        /* 2026 and 2026-01 name their first day. */
        memcpy(date, v, (size_t)len);
        strcpy(date + len, len == 4 ? "-01-01" : len == 7 ? "-01" : "");
    }
    return fb_time_parse(date, strlen(date), out, NULL) == FB_OK ? 0 : -1;
}

/* "A..B": two periods by name. Returns 0, or 2 after a usage error. */
static int parse_compare(report *r, const char *v, int offset_min)
{
    const char *dots = strstr(v, "..");
    char part[2][40];
    int k;

    r->compare = v;
    if (strcmp(v, "previous") == 0)
        return 0;
    if (!dots || (size_t)(dots - v) >= sizeof part[0] || strlen(dots + 2) >= sizeof part[1])
        return fbc_usage_error(PROG, "--compare needs 'previous' or A..B (2026-01..2026-02), not",
                               v);
    snprintf(part[0], sizeof part[0], "%.*s", (int)(dots - v), v);
    snprintf(part[1], sizeof part[1], "%s", dots + 2);
    for (k = 0; k < 2; k++) {
        fb_time t;
        if (parse_period_name(part[k], &t) != 0)
            return fbc_usage_error(PROG, "--compare names periods as the report does (2026, "
                                         "2026-Q1, 2026-01, 2026-W05, 2026-01-15), not",
                                   part[k]);
        /* The name is a local date, at the report's offset. */
        t -= (fb_time)offset_min * 60000;
        *(k ? &r->compare_b : &r->compare_a) = t;
    }
    return 0;
}

static int parse_offset(const char *v, int *minutes)
{
    int h, m, n = 0;
    if (strcmp(v, "Z") == 0) {
        *minutes = 0;
        return 0;
    }
    if ((v[0] != '+' && v[0] != '-') || sscanf(v + 1, "%2d:%2d%n", &h, &m, &n) != 2 ||
        v[1 + n] != '\0' || h > 18 || m > 59 || h * 60 + m > 1080)
        return fbc_usage_error(PROG, "--utc-offset needs +HH:MM or -HH:MM (at most 18:00), not",
                               v);
    *minutes = (v[0] == '-' ? -1 : 1) * (h * 60 + m);
    return 0;
}

static int parse_level(const char *option, const char *v, double *out)
{
    char *end;
    double x;
    char msg[80];
    errno = 0;
    x = strtod(v, &end);
    if (*v && *end == '\0' && errno == 0 && x > 0 && x < 1) {
        *out = x;
        return 0;
    }
    snprintf(msg, sizeof msg, "--%s needs a number between 0 and 1, not", option);
    return fbc_usage_error(PROG, msg, v);
}

int fbc_report_main(int argc, char **argv)
{
    const char *by = NULL, *attr = NULL, *period = NULL, *offset = NULL, *compare = NULL;
    const char *format = NULL, *level = NULL, *alpha_text = NULL, *rank = NULL, *min_n = NULL;
    const char *terms = NULL, *from = NULL;
    int help = 0, relevant = 0, n_operands, code = 0, failed = 0, rank_value = FB_METRIC_NPS;
    fbc_chain_args chain_args;
    fbc_option opts[14 + FBC_CHAIN_OPTIONS] = {
        {"by", 0, FBC_OPT_VALUE, NULL, &by},
        {"attr", 0, FBC_OPT_VALUE, NULL, &attr},
        {"period", 0, FBC_OPT_VALUE, NULL, &period},
        {"utc-offset", 0, FBC_OPT_VALUE, NULL, &offset},
        {"compare", 0, FBC_OPT_VALUE, NULL, &compare},
        {"format", 0, FBC_OPT_VALUE, NULL, &format},
        {"level", 0, FBC_OPT_VALUE, NULL, &level},
        {"alpha", 0, FBC_OPT_VALUE, NULL, &alpha_text},
        {"rank", 0, FBC_OPT_VALUE, NULL, &rank},
        {"min-n", 0, FBC_OPT_VALUE, NULL, &min_n},
        {"terms", 0, FBC_OPT_VALUE, NULL, &terms},
        {"from", 0, FBC_OPT_VALUE, NULL, &from},
        {"relevant", 0, FBC_OPT_FLAG, &relevant, NULL},
        {"help", 'h', FBC_OPT_FLAG, &help, NULL},
    };
    fb_summary_options so;
    fb_format in_format = FB_FORMAT_AUTO;
    double alpha = 0.05;
    report r;
    fb_error err;
    int m;

    fbc_chain_options(&chain_args, opts + 14);
    if (fbc_args_parse(PROG, argc, argv, opts, sizeof opts / sizeof opts[0], &n_operands) != 0)
        return FBC_EXIT_USAGE;
    if (help) {
        fbc_report_help(stdout);
        return FBC_EXIT_OK;
    }
    if (n_operands != 1)
        return fbc_usage_error(PROG, n_operands ? "takes one FILE" : "needs a FILE", NULL);
    memset(&r, 0, sizeof r);
    r.name = fbc_input_name(argv[0]);
    r.min_n = 30;
    r.terms = 10;
    fb_summary_options_init(&so);
    so.terms = true;
    so.correlations = true;
    if (by && fb_dims_parse(by, &so.dims, &err) != FB_OK)
        return fbc_usage_error(PROG, err.message, NULL);
    if ((so.dims & FB_DIM_ATTR) && !attr)
        return fbc_usage_error(PROG, "--by attribute needs --attr KEY", NULL);
    so.attr_key = attr;
    if (period && fb_period_parse(period, &so.period, &err) != FB_OK)
        return fbc_usage_error(PROG, err.message, NULL);
    if (offset && parse_offset(offset, &so.utc_offset_minutes) != 0)
        return FBC_EXIT_USAGE;
    if (level && parse_level("level", level, &so.metrics.level) != 0)
        return FBC_EXIT_USAGE;
    if (alpha_text && parse_level("alpha", alpha_text, &alpha) != 0)
        return FBC_EXIT_USAGE;
    if (compare && so.period == FB_PERIOD_NONE)
        return fbc_usage_error(PROG, "--compare needs --period", NULL);
    if (compare && parse_compare(&r, compare, so.utc_offset_minutes) != 0)
        return FBC_EXIT_USAGE;
    if (format && strcmp(format, "table") != 0 && strcmp(format, "csv") != 0 &&
        strcmp(format, "json") != 0)
        return fbc_usage_error(PROG, "--format is table, csv or json, not", format);
    r.format = !format || strcmp(format, "table") == 0 ? OUT_TABLE
               : strcmp(format, "csv") == 0          ? OUT_CSV
                                                     : OUT_JSON;
    if (rank && (fb_enum_parse(FB_ENUM_METRIC, rank, strlen(rank), &rank_value, &err) != FB_OK ||
                 rank_value >= FB_SUMMARY_METRICS))
        return fbc_usage_error(PROG, "--rank needs a built-in metric (nps, csat, ces, ...), not",
                               rank);
    r.rank = (fb_metric)rank_value;
    if (min_n && fbc_parse_uint_option(PROG, "min-n", min_n, 1, 1000000000UL, &r.min_n) != 0)
        return FBC_EXIT_USAGE;
    if (terms && fbc_parse_uint_option(PROG, "terms", terms, 0, 1000, &r.terms) != 0)
        return FBC_EXIT_USAGE;
    if (from && fbc_pick_format(PROG, argv[0], from, "from", &in_format) != 0)
        return FBC_EXIT_USAGE;

    if (!relevant && fbc_chain_given(&chain_args))
        return fbc_usage_error(PROG, "the relevance options need --relevant", NULL);
    if (relevant && (code = fbc_chain_build(PROG, &chain_args, &r.chain)) != 0)
        return code;
    if (fb_summary_new(&r.s, &so, NULL, &err) != FB_OK) {
        fbc_report(r.name, &err);
        fb_filter_chain_free(r.chain);
        return FBC_EXIT_FAILURE;
    }
    r.opt = fb_summary_options_of(r.s);
    code = read_input(&r, argv[0], in_format, &failed);
    if (failed) {
        fb_summary_free(r.s);
        fb_filter_chain_free(r.chain);
        return failed;
    }
    /* The groups without their period, for the leaderboard: rolled up, not read again. */
    r.by = r.s;
    if (so.period != FB_PERIOD_NONE && so.dims) {
        fb_summary_options bo = so;
        bo.period = FB_PERIOD_NONE;
        if (fb_summary_new(&r.by, &bo, NULL, &err) != FB_OK ||
            fb_summary_rollup(r.by, r.s, &err) != FB_OK) {
            fbc_report(r.name, &err);
            fb_summary_free(r.by);
            fb_summary_free(r.s);
            fb_filter_chain_free(r.chain);
            return FBC_EXIT_FAILURE;
        }
    }
    {
        const fb_summary_group *t = fb_summary_total(r.s);
        for (m = 0; m < FB_SUMMARY_METRICS; m++)
            r.present[m] = t && fb_score_acc_count(&t->metric[m]) > 0;
        r.rates = t && t->invitations > 0;
        r.present[COL_CLI] = r.present[FB_METRIC_CLI_RECOMMEND] &&
                             r.present[FB_METRIC_CLI_REPURCHASE] &&
                             r.present[FB_METRIC_CLI_CROSS_BUY];
    }

    if (r.format == OUT_JSON) {
        fputs("{\n  \"file\": ", stdout);
        fbc_json_string(stdout, r.name, strlen(r.name));
        printf(",\n  \"level\": %g", r.opt->metrics.level);
        printf(",\n  \"period\": \"%s\"", fb_period_name(r.opt->period));
    } else if (r.format == OUT_CSV) {
        fbc_rv_dim d[8];
        size_t j, n_dims = fbc_rv_dims(&r, NULL, d);
        fputs("section,", stdout);
        for (j = 0; j < n_dims; j++)
            printf("%s,", d[j].name);
        if (r.opt->period != FB_PERIOD_NONE)
            printf("%s,", fb_period_name(r.opt->period));
        puts("metric,n,value,lo,hi,p_value,note");
    }
    print_relevance(&r);
    print_total(&r);
    print_groups(&r);
    failed = print_changes(&r, alpha);
    print_comparisons(&r);
    if (!failed)
        failed = print_leaderboard(&r);
    if (!failed)
        failed = print_correlations(&r);
    if (!failed)
        failed = print_terms(&r);
    if (r.format == OUT_JSON)
        fputs("\n}\n", stdout);
    if (r.by != r.s)
        fb_summary_free(r.by);
    fb_summary_free(r.s);
    fb_filter_chain_free(r.chain);
    return failed ? failed : code;
}
