/*
 * What feedback report prints, piece by piece: the report being printed,
 * the names of periods, groups and columns, estimates as text, and the
 * pieces of its JSON and CSV (cmd_report.c puts them together).
 */
#ifndef FBC_REPORT_VIEW_H
#define FBC_REPORT_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include <feedback/feedback.h>

typedef enum out_format { OUT_TABLE, OUT_CSV, OUT_JSON } out_format;

/*
 * The columns of a group: the metrics, and CLI, which is one metric made of
 * three questions (COL_CLI). The table shows CLI in place of its items.
 */
#define COL_CLI FB_SUMMARY_METRICS
#define N_COLS (FB_SUMMARY_METRICS + 1)

typedef struct report {
    const char *name;              /* the input, for messages */
    fb_summary *s;                 /* by the dimensions and the period */
    fb_summary *by;                /* by the dimensions alone (s itself without a period) */
    const fb_summary_options *opt;
    out_format format;
    bool present[N_COLS];          /* columns with answers */
    bool rates;                    /* there are invitations: groups show response rates */
    fb_metric rank;
    unsigned long min_n, terms;
    const char *compare;           /* "previous", "A..B", or NULL */
    fb_time compare_a, compare_b;  /* A..B: a time inside each period */
    bool first_row;                /* JSON: no comma before the first element */
    fb_filter_chain *chain;        /* --relevant: the chain records pass, else NULL */
} report;


/* Titles of the metrics for tables ("NPS", "CLI recommend", ...). */
extern const char *const FBC_METRIC_TITLE[FB_SUMMARY_METRICS];

/* The order columns are shown in: CLI before its items, which the group table leaves out. */
extern const int FBC_COL_ORDER[N_COLS];

bool fbc_rv_is_cli_item(int m);
const char *fbc_rv_col_name(int c);   /* "nps", ..., "cli" */
const char *fbc_rv_col_title(int c);  /* "NPS", ..., "CLI" */

/* The period starting at start, as people name it: 2026-01-15, 2026-W03, 2026-01, 2026-Q1, 2026. */
void fbc_rv_period_label(const report *r, fb_time start, char *buf, size_t size);

/* A dimension the report groups by: its name, and its value in a group (not NUL-terminated). */
typedef struct fbc_rv_dim {
    const char *name;
    const char *p;
    size_t len;
} fbc_rv_dim;

/* The dimensions r groups by, in order, with their values in g (g NULL: ""); how many. */
size_t fbc_rv_dims(const report *r, const fb_summary_group *g, fbc_rv_dim out[8]);

/* A group's key as "channel=email agent=a017" ("all" without dimensions). */
void fbc_rv_key_text(const report *r, const fb_summary_group *g, char *buf, size_t size);
/*
 * Room for any key text: eight dimensions' names and separators, two
 * identifiers (agent, product), a tag and an attribute value at their limits.
 */
#define FBC_RV_KEY_TEXT_MAX (8 * 32 + 2 * FB_MAX_ID + FB_MAX_NAME + FB_MAX_ATTR_VALUE)

/* Whether a and b are of one series: the same values in every dimension r groups by. */
bool fbc_rv_same_series(const report *r, const fb_summary_group *a, const fb_summary_group *b);

/* An estimate in its unit: +42.1 [+35.0, +48.9], 78.4% [75.0, 81.4], 4.12 [4.05, 4.19], or "-". */
void fbc_rv_estimate_text(fb_headline_unit unit, const fb_estimate *e, char *buf, size_t size);

/* A p-value with two significant digits, or "-" when there is none; returns buf. */
const char *fbc_rv_p_text(double p, char *buf, size_t size);

/* A difference with its interval, in its unit (shares in percentage points). */
void fbc_rv_diff_interval_text(fb_headline_unit unit, const fb_comparison *c, char *buf,
                               size_t size);

/* The size of a change without its sign: "18.2 points", "4.1 percentage points", "0.21". */
void fbc_rv_diff_text(fb_headline_unit unit, double d, char *buf, size_t size);

/* The unit of metric m's headline in the report. */
fb_headline_unit fbc_rv_unit_of(const report *r, fb_metric m);

/* Column c of group g: its headline estimate, and the unit. Errors: as fb_summary_headline. */
fb_status fbc_rv_column(const report *r, const fb_summary_group *g, int c, fb_estimate *e,
                        fb_headline_unit *unit);

/* JSON: a number (null for NaN and infinities), an estimate object, a group's key members. */
void fbc_rv_json_number(double x);
void fbc_rv_json_estimate(const fb_estimate *e);
void fbc_rv_json_key(const report *r, const fb_summary_group *g, bool with_period);

/* The separator before the next element of a JSON array (none before the first). */
void fbc_rv_json_separator(report *r);

/* CSV: one row of section, the key (g NULL: empty), metric, n, value, lo, hi, p_value, note. */
/* Writes , "name": {"reason": count, ...} of the reasons counted in by (JSON). */
void fbc_rv_json_reasons(const char *name, const uint64_t by[FB_REASON_COUNT]);

void fbc_rv_csv_row(const report *r, const char *section, const fb_summary_group *g,
                    bool with_period, const char *metric, uint64_t n, double value, double lo,
                    double hi, double p, const char *note);

#endif
