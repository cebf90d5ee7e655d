/* The pieces of feedback report's output: see report_view.h. */
#include "report_view.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "output.h"


const char *const FBC_METRIC_TITLE[FB_SUMMARY_METRICS] = {
    "NPS", "CSAT", "CES", "CLI recommend", "CLI repurchase", "CLI cross-buy", "GCR", "rating"};

bool fbc_rv_is_cli_item(int m)
{
    return m == FB_METRIC_CLI_RECOMMEND || m == FB_METRIC_CLI_REPURCHASE ||
           m == FB_METRIC_CLI_CROSS_BUY;
}

const char *fbc_rv_col_name(int c) { return c == COL_CLI ? "cli" : fb_metric_name((fb_metric)c); }
const char *fbc_rv_col_title(int c) { return c == COL_CLI ? "CLI" : FBC_METRIC_TITLE[c]; }

/* The period starting at start, as people name it: 2026-01-15, 2026-W03, 2026-01, 2026-Q1, 2026. */
void fbc_rv_period_label(const report *r, fb_time start, char *buf, size_t size)
{
    char iso[FB_TIME_STRING_MAX];
    fb_time local = start + (fb_time)r->opt->utc_offset_minutes * 60000;
    int y, m, d;

    if (start == FB_TIME_UNKNOWN || fb_time_format(local, iso, sizeof iso) == 0 ||
        sscanf(iso, "%d-%d-%d", &y, &m, &d) != 3) {
        snprintf(buf, size, "-");
        return;
    }
    switch (r->opt->period) {
    case FB_PERIOD_DAY:
        snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
        break;
    case FB_PERIOD_WEEK: {
        /* The ISO week's year is that of its Thursday, its number counts Thursdays. */
        fb_time thursday = local + 3 * 86400000LL;
        char th[FB_TIME_STRING_MAX];
        int ty, tm, td, doy;
        static const int before[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
        (void)fb_time_format(thursday, th, sizeof th);
        (void)sscanf(th, "%d-%d-%d", &ty, &tm, &td);
        doy = before[tm - 1] + td +
              (tm > 2 && ((ty % 4 == 0 && ty % 100 != 0) || ty % 400 == 0));
        snprintf(buf, size, "%04d-W%02d", ty, (doy - 1) / 7 + 1);
        break;
    }
    case FB_PERIOD_MONTH:
        snprintf(buf, size, "%04d-%02d", y, m);
        break;
    case FB_PERIOD_QUARTER:
        snprintf(buf, size, "%04d-Q%d", y, (m - 1) / 3 + 1);
        break;
    default:
        snprintf(buf, size, "%04d", y);
        break;
    }
}

/* The value of dimension bit dim in group g, as text. */
static void dim_value(const fb_summary_group *g, unsigned dim, const char **p, size_t *len)
{
    const char *s = "";
    fb_str str = {"", 0};

    switch (dim) {
    case FB_DIM_CHANNEL: s = fb_channel_name(g->channel); break;
    case FB_DIM_SOURCE: s = fb_source_name(g->source); break;
    case FB_DIM_CUSTOMER_STATUS: s = fb_customer_status_name(g->customer_status); break;
    case FB_DIM_COUNTRY: s = g->country; break;
    case FB_DIM_AGENT: str = g->agent; break;
    case FB_DIM_PRODUCT: str = g->product; break;
    case FB_DIM_TAG: str = g->tag; break;
    case FB_DIM_ATTR: str = g->attr; break;
    default: break;
    }
    if (str.len) {
        *p = str.ptr;
        *len = str.len;
    } else {
        *p = s ? s : "";
        *len = strlen(*p);
    }
}

size_t fbc_rv_dims(const report *r, const fb_summary_group *g, fbc_rv_dim out[8])
{
    size_t n = 0;
    unsigned bit;

    for (bit = 1; bit <= FB_DIM_ATTR; bit <<= 1) {
        if (!(r->opt->dims & bit))
            continue;
        out[n].name = fb_dim_name(bit);
        out[n].p = "";
        out[n].len = 0;
        if (g)
            dim_value(g, bit, &out[n].p, &out[n].len);
        n++;
    }
    return n;
}

/* A group's key as "channel=email agent=a017", for the table's sentences. */
void fbc_rv_key_text(const report *r, const fb_summary_group *g, char *buf, size_t size)
{
    fbc_rv_dim d[8];
    size_t used = 0, i, n = fbc_rv_dims(r, g, d);

    buf[0] = '\0';
    for (i = 0; i < n; i++) {
        int w = snprintf(buf + used, size - used, "%s%s=%.*s", used ? " " : "", d[i].name,
                         (int)d[i].len, d[i].len ? d[i].p : "\"\"");
        if (w < 0 || (size_t)w >= size - used)
            break;
        used += (size_t)w;
    }
    if (used == 0)
        snprintf(buf, size, "all");
}

bool fbc_rv_same_series(const report *r, const fb_summary_group *a, const fb_summary_group *b)
{
    fbc_rv_dim da[8], db[8];
    size_t i, n = fbc_rv_dims(r, a, da);

    if (fbc_rv_dims(r, b, db) != n)
        return false;
    for (i = 0; i < n; i++)
        if (da[i].len != db[i].len || (da[i].len && memcmp(da[i].p, db[i].p, da[i].len) != 0))
            return false;
    return true;
}

/* An estimate in its unit: +42.1 [+35.0, +48.9], 78.4% [75.0, 81.4], 4.12 [4.05, 4.19]. */
void fbc_rv_estimate_text(fb_headline_unit unit, const fb_estimate *e, char *buf, size_t size)
{
    if (e->n == 0 || isnan(e->value)) {
        snprintf(buf, size, "-");
        return;
    }
    if (isnan(e->lo)) {
        if (unit == FB_UNIT_SHARE)
            snprintf(buf, size, "%.1f%%", 100 * e->value);
        else
            snprintf(buf, size, unit == FB_UNIT_POINTS ? "%+.1f" : "%.2f", e->value);
        return;
    }
    if (unit == FB_UNIT_POINTS)
        snprintf(buf, size, "%+.1f [%+.1f, %+.1f]", e->value, e->lo, e->hi);
    else if (unit == FB_UNIT_SHARE)
        snprintf(buf, size, "%.1f%% [%.1f, %.1f]", 100 * e->value, 100 * e->lo, 100 * e->hi);
    else
        snprintf(buf, size, "%.2f [%.2f, %.2f]", e->value, e->lo, e->hi);
}

/* A p-value for the table: two significant digits, or "-" when there is none. */
const char *fbc_rv_p_text(double p, char *buf, size_t size)
{
    if (isnan(p))
        snprintf(buf, size, "-");
    else
        snprintf(buf, size, "%.2g", p);
    return buf;
}

/* A difference of two estimates, with its interval, in their unit (shares in percentage points). */
void fbc_rv_diff_interval_text(fb_headline_unit unit, const fb_comparison *c, char *buf,
                               size_t size)
{
    double k = unit == FB_UNIT_SHARE ? 100 : 1;
    const char *what = unit == FB_UNIT_SHARE ? " pp" : unit == FB_UNIT_POINTS ? " points" : "";
    int digits = unit == FB_UNIT_SCORE ? 2 : 1;

    if (isnan(c->lo))
        snprintf(buf, size, "%+.*f%s", digits, k * c->diff, what);
    else
        snprintf(buf, size, "%+.*f%s [%+.*f, %+.*f]", digits, k * c->diff, what, digits,
                 k * c->lo, digits, k * c->hi);
}

fb_headline_unit fbc_rv_unit_of(const report *r, fb_metric m)
{
    fb_headline_unit u = FB_UNIT_SCORE;
    (void)fb_summary_headline_unit(r->s, m, &u);
    return u;
}

/* The order columns are shown in: CLI before its items, which the group table leaves out. */
const int FBC_COL_ORDER[N_COLS] = {FB_METRIC_NPS,        FB_METRIC_CSAT,
                                      FB_METRIC_CES,        COL_CLI,
                                      FB_METRIC_CLI_RECOMMEND, FB_METRIC_CLI_REPURCHASE,
                                      FB_METRIC_CLI_CROSS_BUY, FB_METRIC_GCR,
                                      FB_METRIC_RATING};

/* Column c of group g: its headline estimate, and the unit. Errors: as fb_summary_headline. */
fb_status fbc_rv_column(const report *r, const fb_summary_group *g, int c, fb_estimate *e,
                        fb_headline_unit *unit)
{
    if (c == COL_CLI) {
        const fb_score_acc *items[3];
        fb_cli_result cr;
        fb_status st;
        items[0] = &g->metric[FB_METRIC_CLI_RECOMMEND];
        items[1] = &g->metric[FB_METRIC_CLI_REPURCHASE];
        items[2] = &g->metric[FB_METRIC_CLI_CROSS_BUY];
        *unit = FB_UNIT_SCORE;
        st = fb_cli_result_of(items, &r->opt->metrics, &cr);
        if (st == FB_OK)
            *e = cr.cli;
        return st;
    }
    *unit = fbc_rv_unit_of(r, (fb_metric)c);
    return fb_summary_headline(r->s, g, (fb_metric)c, e);
}

/* ---------------------------------------------------------------- JSON and CSV pieces */

void fbc_rv_json_number(double x)
{
    if (isnan(x) || isinf(x))
        fputs("null", stdout);
    else
        printf("%.10g", x);
}

void fbc_rv_json_estimate(const fb_estimate *e)
{
    printf("{\"n\": %llu, \"value\": ", (unsigned long long)e->n);
    fbc_rv_json_number(e->value);
    fputs(", \"lo\": ", stdout);
    fbc_rv_json_number(e->lo);
    fputs(", \"hi\": ", stdout);
    fbc_rv_json_number(e->hi);
    putchar('}');
}

/* The group's key as JSON members: "channel": "email", "period": "2026-01", ... */
void fbc_rv_json_key(const report *r, const fb_summary_group *g, bool with_period)
{
    fbc_rv_dim d[8];
    size_t i, n = fbc_rv_dims(r, g, d);

    for (i = 0; i < n; i++) {
        printf("\"%s\": ", d[i].name);
        fbc_json_string(stdout, d[i].p, d[i].len);
        fputs(", ", stdout);
    }
    if (with_period && r->opt->period != FB_PERIOD_NONE) {
        char label[32];
        fbc_rv_period_label(r, g->period_start, label, sizeof label);
        printf("\"period\": \"%s\", ", label);
    }
}

static void csv_key(const report *r, const fb_summary_group *g, bool with_period)
{
    fbc_rv_dim d[8];
    size_t i, n = fbc_rv_dims(r, g, d);

    for (i = 0; i < n; i++) {
        fbc_csv_field(stdout, d[i].p, d[i].len);
        putchar(',');
    }
    if (r->opt->period != FB_PERIOD_NONE) {
        if (g && with_period) {
            char label[32];
            fbc_rv_period_label(r, g->period_start, label, sizeof label);
            fputs(label, stdout);
        }
        putchar(',');
    }
}

static void csv_number(double x)
{
    if (!isnan(x) && !isinf(x))
        printf("%.10g", x);
}

/* One CSV row: section, the key, metric, n, value, lo, hi, p_value, note. */
void fbc_rv_csv_row(const report *r, const char *section, const fb_summary_group *g,
                    bool with_period, const char *metric, uint64_t n, double value, double lo,
                    double hi, double p, const char *note)
{
    printf("%s,", section);
    csv_key(r, g, with_period);
    printf("%s,%llu,", metric, (unsigned long long)n);
    csv_number(value);
    putchar(',');
    csv_number(lo);
    putchar(',');
    csv_number(hi);
    putchar(',');
    csv_number(p);
    putchar(',');
    fbc_csv_field(stdout, note, strlen(note));
    putchar('\n');
}

void fbc_rv_json_separator(report *r)
{
    fputs(r->first_row ? "\n    " : ",\n    ", stdout);
    r->first_row = false;
}

/* A difference in the headline's unit: "18.2 points", "4.1 percentage points", "0.21". */
void fbc_rv_diff_text(fb_headline_unit unit, double d, char *buf, size_t size)
{
    if (unit == FB_UNIT_POINTS)
        snprintf(buf, size, "%.1f points", fabs(d));
    else if (unit == FB_UNIT_SHARE)
        snprintf(buf, size, "%.1f percentage points", 100 * fabs(d));
    else
        snprintf(buf, size, "%.2f", fabs(d));
}


void fbc_rv_json_reasons(const char *name, const uint64_t by[FB_REASON_COUNT])
{
    bool first = true;
    int i;

    printf(", \"%s\": {", name);
    for (i = 0; i < FB_REASON_COUNT; i++) {
        if (!by[i])
            continue;
        printf("%s\"%s\": %llu", first ? "" : ", ", fb_reason_name((fb_reason)i),
               (unsigned long long)by[i]);
        first = false;
    }
    putchar('}');
}
