/* Names of the record's enumerations, both directions. */
#include <stdio.h>
#include <string.h>

#include "error_private.h"
#include "feedback/record.h"
#include "names.h"

static const char *const kind_names[] = {"response", "invitation", "update"};
static const char *const customer_status_names[] = {
    "unknown", "active", "churned", "prospect", "competitor_customer", "non_customer"};
static const char *const channel_names[] = {
    "other",          "web_form",    "mobile_app",  "email",      "sms",
    "messenger",      "phone_operator", "phone_robot", "qr_code", "kiosk",
    "review_site",    "maps",        "social_network", "forum",   "chat",
    "survey",         "focus_group", "service_desk"};
static const char *const source_names[] = {"direct", "indirect", "inferred"};
static const char *const metric_names[] = {
    "nps", "csat", "ces", "cli_recommend", "cli_repurchase", "cli_cross_buy", "gcr", "rating",
    "custom"};
static const char *const handling_names[] = {"new", "assigned", "in_progress", "resolved",
                                             "closed"};
static const char *const assignee_kind_names[] = {"person", "department"};

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

typedef struct enum_table {
    const char *field;
    const char *const *names;
    int count;
} enum_table;

static const enum_table tables[] = {
    {"kind", kind_names, COUNT(kind_names)},
    {"customer_status", customer_status_names, COUNT(customer_status_names)},
    {"channel", channel_names, COUNT(channel_names)},
    {"source", source_names, COUNT(source_names)},
    {"metric", metric_names, COUNT(metric_names)},
    {"handling", handling_names, COUNT(handling_names)},
    {"assignee_kind", assignee_kind_names, COUNT(assignee_kind_names)},
};

static const enum_table *table_of(fb_enum e)
{
    if ((int)e < 0 || (int)e >= COUNT(tables))
        return NULL;
    return &tables[e];
}

const char *fb_enum_name(fb_enum e, int value)
{
    const enum_table *t = table_of(e);
    if (!t || value < 0 || value >= t->count)
        return NULL;
    return t->names[value];
}

int fb_enum_count(fb_enum e)
{
    const enum_table *t = table_of(e);
    return t ? t->count : 0;
}

const char *fb_enum_field(fb_enum e)
{
    const enum_table *t = table_of(e);
    return t ? t->field : NULL;
}

const char *fb_kind_name(fb_record_kind v) { return fb_enum_name(FB_ENUM_KIND, (int)v); }
const char *fb_customer_status_name(fb_customer_status v)
{
    return fb_enum_name(FB_ENUM_CUSTOMER_STATUS, (int)v);
}
const char *fb_channel_name(fb_channel v) { return fb_enum_name(FB_ENUM_CHANNEL, (int)v); }
const char *fb_source_name(fb_source v) { return fb_enum_name(FB_ENUM_SOURCE, (int)v); }
const char *fb_metric_name(fb_metric v) { return fb_enum_name(FB_ENUM_METRIC, (int)v); }
const char *fb_handling_name(fb_handling v) { return fb_enum_name(FB_ENUM_HANDLING, (int)v); }
const char *fb_assignee_kind_name(fb_assignee_kind v)
{
    return fb_enum_name(FB_ENUM_ASSIGNEE_KIND, (int)v);
}

/* Folds one input byte the way names are matched: ASCII lower case, '-' and ' ' as '_'. */
static char fold(char c)
{
    if (c >= 'A' && c <= 'Z')
        return (char)(c - 'A' + 'a');
    if (c == '-' || c == ' ')
        return '_';
    return c;
}

static int name_matches(const char *name, const char *s, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++)
        if (name[i] == '\0' || name[i] != fold(s[i]))
            return 0;
    return name[len] == '\0';
}

/*
 * Edit distance (insertions, deletions, substitutions and swaps of neighbours:
 * the optimal string alignment distance) between a folded input and a name,
 * enough to suggest the name a typo was meant to be.
 */
static size_t distance(const char *s, size_t len, const char *name)
{
    enum { MAX = 40 };
    size_t d[MAX][MAX];
    size_t n = strlen(name), i, j;

    if (len >= MAX || n >= MAX)
        return (size_t)-1;
    for (i = 0; i <= len; i++)
        d[i][0] = i;
    for (j = 0; j <= n; j++)
        d[0][j] = j;
    for (i = 1; i <= len; i++) {
        for (j = 1; j <= n; j++) {
            size_t cost = fold(s[i - 1]) == name[j - 1] ? 0 : 1;
            size_t best = d[i - 1][j - 1] + cost;
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && fold(s[i - 1]) == name[j - 2] && fold(s[i - 2]) == name[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[len][n];
}

/* Writes "a, b, c" into buf, ending in "..." when it does not fit. */
static const char *join_names(const char *const *names, int count, char *buf, size_t size)
{
    size_t used = 0;
    int i;

    buf[0] = '\0';
    for (i = 0; i < count; i++) {
        size_t n = strlen(names[i]);
        if (used + n + 6 >= size) {
            memcpy(buf + used, "...", 4);
            break;
        }
        if (i > 0) {
            memcpy(buf + used, ", ", 2);
            used += 2;
        }
        memcpy(buf + used, names[i], n + 1);
        used += n;
    }
    return buf;
}

fb_status fb__names_parse(const char *field, const char *const *names, int count, const char *s,
                          size_t len, int *value, fb_error *err)
{
    const char *nearest = NULL;
    size_t best = (size_t)-1;
    char quoted[80];
    char known[200];
    int i;

    for (i = 0; i < count; i++) {
        if (name_matches(names[i], s, len)) {
            *value = i;
            return FB_OK;
        }
    }
    /* A plain decimal number of a known value ("3"), as older exports write enums. */
    if (len > 0 && len <= 3) {
        int v = 0;
        size_t k;
        for (k = 0; k < len && s[k] >= '0' && s[k] <= '9'; k++)
            v = v * 10 + (s[k] - '0');
        if (k == len && v < count && (len == 1 || s[0] != '0')) {
            *value = v;
            return FB_OK;
        }
    }
    for (i = 0; i < count; i++) {
        size_t d = distance(s, len, names[i]);
        if (d < best) {
            best = d;
            nearest = names[i];
        }
    }
    fb__quote(quoted, sizeof quoted, s, len, 60);
    /* Suggest only what a typo could explain: at most a third of the name changed. */
    if (nearest && best > 0 && best <= 2 && best * 3 <= strlen(nearest) + 1)
        return fb__error(err, FB_ERR_UNKNOWN_NAME, field, "unknown %s '%s' (did you mean '%s'?)",
                         field, quoted, nearest);
    return fb__error(err, FB_ERR_UNKNOWN_NAME, field, "unknown %s '%s' (known: %s)", field,
                     quoted, join_names(names, count, known, sizeof known));
}

fb_status fb_enum_parse(fb_enum e, const char *s, size_t len, int *value, fb_error *err)
{
    const enum_table *t = table_of(e);

    if (!t || !value || (!s && len > 0))
        return fb__error(err, FB_ERR_INVALID_ARG, "", "fb_enum_parse: invalid argument");
    return fb__names_parse(t->field, t->names, t->count, s, len, value, err);
}

fb_status fb_metric_scale(fb_metric m, double *min, double *max)
{
    static const double lo[] = {0, 1, 1, 0, 0, 0, 0, 1};
    static const double hi[] = {10, 5, 7, 10, 10, 10, 1, 5};

    if (!min || !max || (int)m < 0 || (int)m >= COUNT(lo))
        return FB_ERR_INVALID_ARG;
    *min = lo[m];
    *max = hi[m];
    return FB_OK;
}
