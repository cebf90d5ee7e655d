/*
 * The filters that judge a record by its fields alone (customers, recency),
 * and alert rules: parsing them and matching a record.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error_private.h"
#include "feedback/metrics.h"
#include "filter_private.h"

#define DAY_MS 86400000LL

/* ---------------------------------------------------------------- customers */

void fb_customer_policy_init(fb_customer_policy *p)
{
    if (!p)
        return;
    memset(p, 0, sizeof *p);
    p->counted = 1u << FB_CUSTOMER_ACTIVE | 1u << FB_CUSTOMER_PROSPECT |
                 1u << FB_CUSTOMER_COMPETITOR;
    p->churned_win_back = true;
    p->require_verified = false;
    p->on_not_counted = FB_ACTION_DROP;
    p->on_unknown = FB_ACTION_FLAG;
    p->on_unverified = FB_ACTION_FLAG;
}

uint32_t fb__customer_reasons(const fb_customer_policy *p, const fb_record *r)
{
    uint32_t reasons = 0;
    unsigned status = (unsigned)r->customer_status;

    if (r->customer_status == FB_CUSTOMER_UNKNOWN) {
        if (!(p->counted & (1u << status)))
            reasons |= 1u << FB_REASON_UNKNOWN_CUSTOMER;
    } else if (r->customer_status == FB_CUSTOMER_CHURNED) {
        if (!(p->counted & (1u << status)) && !(p->churned_win_back && r->win_back))
            reasons |= 1u << FB_REASON_CHURNED;
    } else if (status >= 32 || !(p->counted & (1u << status))) {
        reasons |= 1u << FB_REASON_NON_CUSTOMER;
    }
    if (p->require_verified && !r->customer_verified)
        reasons |= 1u << FB_REASON_UNVERIFIED;
    return reasons;
}

/* ---------------------------------------------------------------- recency */

void fb_recency_policy_init(fb_recency_policy *p)
{
    if (!p)
        return;
    memset(p, 0, sizeof *p);
    p->max_age_ms = 90 * DAY_MS;
    p->now = FB_TIME_UNKNOWN;
    p->max_delay_ms = 30 * DAY_MS;
    p->created_as_interaction = false;
    p->on_stale = FB_ACTION_DROP;
    p->on_late = FB_ACTION_FLAG;
    p->on_missing = FB_ACTION_KEEP;
}

uint32_t fb__recency_reasons(const fb_recency_policy *p, const fb_record *r)
{
    fb_time experience = r->interaction_at, reference;
    uint32_t reasons = 0;

    if (experience == FB_TIME_UNKNOWN) {
        if (!p->created_as_interaction)
            return 1u << FB_REASON_NO_INTERACTION;
        experience = r->created_at;
    }
    reference = p->now == FB_TIME_UNKNOWN ? r->created_at : p->now;
    /* Both times lie in 1970..9999: the differences cannot overflow. */
    if (reference - experience > p->max_age_ms)
        reasons |= 1u << FB_REASON_STALE;
    if (r->created_at - experience > p->max_delay_ms)
        reasons |= 1u << FB_REASON_LATE;
    return reasons;
}

/* ---------------------------------------------------------------- negative feedback */

bool fb__is_negative(const fb_record *r)
{
    size_t i;

    for (i = 0; i < r->n_answers; i++) {
        const fb_answer *a = &r->answers[i];
        if (a->skipped)
            continue;
        switch (a->metric) {
        case FB_METRIC_NPS:
            if (a->score < FB_NPS_DETRACTOR_BELOW)
                return true;
            break;
        case FB_METRIC_CSAT:
        case FB_METRIC_RATING:
            if (a->score < 3)
                return true;
            break;
        case FB_METRIC_CES:
            if (a->score < 4)
                return true;
            break;
        default:
            break;
        }
    }
    return false;
}

/* ---------------------------------------------------------------- alert rules */

static const struct {
    const char *text;
    fb_alert_op op;
} OPS[] = {{"<=", FB_OP_LE}, {">=", FB_OP_GE}, {"==", FB_OP_EQ}, {"!=", FB_OP_NE},
           {"<", FB_OP_LT},  {">", FB_OP_GT},  {"=", FB_OP_EQ}};

/* s[0..len) with blanks around it dropped. */
static void trim(const char **s, size_t *len)
{
    while (*len && isspace((unsigned char)**s))
        (*s)++, (*len)--;
    while (*len && isspace((unsigned char)(*s)[*len - 1]))
        (*len)--;
}

fb_status fb_alert_rule_parse(const char *s, fb_alert_rule *out, fb_error *err)
{
    const char *op_at = NULL, *left, *right;
    size_t i, k, left_len, right_len, op_len = 0;
    fb_alert_rule rule;
    int v;

    if (!s || !out)
        return fb__error(err, FB_ERR_INVALID_ARG, "", "fb_alert_rule_parse: NULL argument");
    memset(&rule, 0, sizeof rule);
    /* The first operator: the longest one at the first place any stands. */
    for (i = 0; s[i] && !op_at; i++) {
        for (k = 0; k < sizeof OPS / sizeof OPS[0]; k++) {
            size_t n = strlen(OPS[k].text);
            if (strncmp(s + i, OPS[k].text, n) == 0) {
                op_at = s + i;
                op_len = n;
                rule.op = OPS[k].op;
                break;
            }
        }
    }
    if (!op_at)
        return fb__error(err, FB_ERR_PARSE, "rule",
                         "'%s' has no comparison: write METRIC<=N, reason=NAME or status=NAME",
                         s);
    left = s;
    left_len = (size_t)(op_at - s);
    right = op_at + op_len;
    right_len = strlen(right);
    trim(&left, &left_len);
    trim(&right, &right_len);
    if (left_len == 0 || right_len == 0)
        return fb__error(err, FB_ERR_PARSE, "rule", "'%s' needs a name on the left and a value "
                         "on the right of its comparison", s);
    snprintf(rule.text, sizeof rule.text, "%s", s);

    if (left_len == 6 && strncmp(left, "reason", 6) == 0) {
        char name[48];
        if (rule.op != FB_OP_EQ)
            return fb__error(err, FB_ERR_PARSE, "rule", "'%s': a reason rule is reason=NAME", s);
        snprintf(name, sizeof name, "%.*s", (int)right_len, right);
        FB__TRY(fb_reasons_parse(name, (uint32_t *)&v, err));
        rule.kind = FB_ALERT_REASON;
        for (rule.reason = (fb_reason)0; !((uint32_t)v & (1u << rule.reason));)
            rule.reason = (fb_reason)(rule.reason + 1);
        if ((uint32_t)v != (1u << rule.reason))
            return fb__error(err, FB_ERR_PARSE, "rule", "'%s': one reason a rule", s);
    } else if (left_len == 6 && strncmp(left, "status", 6) == 0) {
        if (rule.op != FB_OP_EQ && rule.op != FB_OP_NE)
            return fb__error(err, FB_ERR_PARSE, "rule", "'%s': a status rule is status=NAME or "
                             "status!=NAME", s);
        FB__TRY(fb_enum_parse(FB_ENUM_CUSTOMER_STATUS, right, right_len, &v, err));
        rule.kind = FB_ALERT_STATUS;
        rule.status = (fb_customer_status)v;
    } else {
        double lo, hi, x;
        char num[40], *end;
        FB__TRY(fb_enum_parse(FB_ENUM_METRIC, left, left_len, &v, err));
        if (v == FB_METRIC_CUSTOM)
            return fb__error(err, FB_ERR_PARSE, "rule", "'%s': custom answers have no common "
                             "scale to compare with", s);
        if (right_len >= sizeof num)
            return fb__error(err, FB_ERR_PARSE, "rule", "'%s': the value is not a number", s);
        memcpy(num, right, right_len);
        num[right_len] = '\0';
        errno = 0;
        x = strtod(num, &end);
        if (*end != '\0' || errno != 0 || !isfinite(x))
            return fb__error(err, FB_ERR_PARSE, "rule", "'%s': '%s' is not a number", s, num);
        (void)fb_metric_scale((fb_metric)v, &lo, &hi);
        if (x < lo || x > hi)
            return fb__error(err, FB_ERR_RANGE, "rule", "'%s': %g is outside the %s scale %g..%g",
                             s, x, fb_metric_name((fb_metric)v), lo, hi);
        rule.kind = FB_ALERT_SCORE;
        rule.metric = (fb_metric)v;
        rule.value = x;
    }
    *out = rule;
    return FB_OK;
}

static bool compare(double a, fb_alert_op op, double b)
{
    switch (op) {
    case FB_OP_LT: return a < b;
    case FB_OP_LE: return a <= b;
    case FB_OP_EQ: return a == b;
    case FB_OP_GE: return a >= b;
    case FB_OP_GT: return a > b;
    default: return a != b;
    }
}

bool fb_alert_rule_matches(const fb_alert_rule *rule, const fb_record *r, const fb_verdict *v)
{
    size_t i;

    if (!rule || !r)
        return false;
    switch (rule->kind) {
    case FB_ALERT_SCORE:
        for (i = 0; i < r->n_answers; i++) {
            const fb_answer *a = &r->answers[i];
            if (a->metric == rule->metric && !a->skipped &&
                compare(a->score, rule->op, rule->value))
                return true;
        }
        return false;
    case FB_ALERT_REASON:
        return v && ((v->dropped | v->flagged | v->noted) & (1u << rule->reason)) != 0;
    case FB_ALERT_STATUS:
        return (r->customer_status == rule->status) == (rule->op == FB_OP_EQ);
    default:
        return false;
    }
}
