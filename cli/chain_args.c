/* The relevance chain from the command line. */
#include "chain_args.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "report.h"

#define DAY_MS 86400000LL

void fbc_chain_options(fbc_chain_args *a, fbc_option *opts)
{
    const fbc_option mine[FBC_CHAIN_OPTIONS] = {
        {"drop", 0, FBC_OPT_VALUE, NULL, &a->drop},
        {"flag", 0, FBC_OPT_VALUE, NULL, &a->flag},
        {"keep", 0, FBC_OPT_VALUE, NULL, &a->keep},
        {"now", 0, FBC_OPT_VALUE, NULL, &a->now},
        {"max-age", 0, FBC_OPT_VALUE, NULL, &a->max_age},
        {"max-delay", 0, FBC_OPT_VALUE, NULL, &a->max_delay},
        {"abuse-threshold", 0, FBC_OPT_VALUE, NULL, &a->threshold},
        {"require-verified", 0, FBC_OPT_FLAG, &a->require_verified, NULL},
    };

    memset(a, 0, sizeof *a);
    memcpy(opts, mine, sizeof mine);
}

bool fbc_chain_given(const fbc_chain_args *a)
{
    return a->drop || a->flag || a->keep || a->now || a->max_age || a->max_delay ||
           a->threshold || a->require_verified;
}

void fbc_chain_help(FILE *out)
{
    fputs("Relevance (the filters: customer, recency, abuse, duplicates, bursts,\n"
          "hearsay; docs/FILTERS.md):\n"
          "  --drop REASONS      drop records with these reasons (comma-separated)\n"
          "  --flag REASONS      flag them: kept, marked for a person to look at\n"
          "  --keep REASONS      only count them\n"
          "                      reasons: non_customer churned unknown_customer\n"
          "                      unverified stale late no_interaction_time abusive\n"
          "                      shouting duplicate burst hearsay\n"
          "  --now TIME          measure the age of experiences to TIME, not to\n"
          "                      each record's created_at\n"
          "  --max-age DAYS      an experience older than this is stale (90)\n"
          "  --max-delay DAYS    feedback this long after the experience is late (30)\n"
          "  --require-verified  records without customer_verified are unverified\n"
          "  --abuse-threshold X the abuse score, 0 to 1, from which a text is abusive\n",
          out);
}

static int parse_days(const char *prog, const char *option, const char *v, int64_t *ms)
{
    unsigned long days;

    if (fbc_parse_uint_option(prog, option, v, 0, 36500, &days) != 0)
        return FBC_EXIT_USAGE;
    *ms = (int64_t)days * DAY_MS;
    return 0;
}

/* Applies the action a to each reason of the list s; *seen: the reasons given an action so far. */
static int set_actions(const char *prog, fb_filter_chain *c, const char *option, const char *s,
                       fb_action a, uint32_t *seen)
{
    uint32_t bits;
    fb_error err;
    char msg[FB_ERROR_MESSAGE_MAX + 32];
    int r;

    if (!s)
        return 0;
    fb_error_clear(&err);
    if (fb_reasons_parse(s, &bits, &err) != FB_OK) {
        snprintf(msg, sizeof msg, "--%s: %s", option, err.message);
        return fbc_usage_error(prog, msg, NULL);
    }
    for (r = 0; r < FB_REASON_COUNT; r++) {
        if (!(bits & (1u << r)))
            continue;
        if (*seen & (1u << r)) {
            snprintf(msg, sizeof msg, "reason %s is in two of --drop, --flag and --keep",
                     fb_reason_name((fb_reason)r));
            return fbc_usage_error(prog, msg, NULL);
        }
        fb_filter_chain_set_action(c, (fb_reason)r, a);
    }
    *seen |= bits;
    return 0;
}

static int build(const char *prog, const fbc_chain_args *a, fb_filter_chain *c)
{
    fb_filter_policies p;
    uint32_t seen = 0;
    fb_error err;
    int code;

    fb_filter_policies_init(&p);
    p.customer.require_verified = a->require_verified != 0;
    if (a->now && fbc_parse_time_option(prog, "now", a->now, &p.recency.now) != 0)
        return FBC_EXIT_USAGE;
    if (a->max_age && parse_days(prog, "max-age", a->max_age, &p.recency.max_age_ms) != 0)
        return FBC_EXIT_USAGE;
    if (a->max_delay &&
        parse_days(prog, "max-delay", a->max_delay, &p.recency.max_delay_ms) != 0)
        return FBC_EXIT_USAGE;
    if (a->threshold) {
        char *end;
        errno = 0;
        p.abuse.threshold = strtod(a->threshold, &end);
        if (!*a->threshold || *end || errno ||
            !(p.abuse.threshold >= 0 && p.abuse.threshold <= 1))
            return fbc_usage_error(prog, "--abuse-threshold needs a number from 0 to 1, not",
                                   a->threshold);
    }
    fb_error_clear(&err);
    if (fb_filter_chain_add_all(c, &p, &err) != FB_OK) {
        fbc_errorf(NULL, "%s", err.message);
        return FBC_EXIT_FAILURE;
    }
    if ((code = set_actions(prog, c, "keep", a->keep, FB_ACTION_KEEP, &seen)) != 0 ||
        (code = set_actions(prog, c, "flag", a->flag, FB_ACTION_FLAG, &seen)) != 0 ||
        (code = set_actions(prog, c, "drop", a->drop, FB_ACTION_DROP, &seen)) != 0)
        return code;
    return 0;
}

int fbc_chain_build(const char *prog, const fbc_chain_args *a, fb_filter_chain **out)
{
    fb_error err;
    int code;

    fb_error_clear(&err);
    if (fb_filter_chain_new(out, NULL, &err) != FB_OK) {
        fbc_errorf(NULL, "%s", err.message);
        return FBC_EXIT_FAILURE;
    }
    code = build(prog, a, *out);
    if (code != 0) {
        fb_filter_chain_free(*out);
        *out = NULL;
    }
    return code;
}

void fbc_reasons_text(uint32_t bits, char *buf, size_t size)
{
    size_t len = 0;
    int r;

    if (size == 0)
        return;
    buf[0] = '\0';
    for (r = 0; r < FB_REASON_COUNT; r++) {
        int n;
        if (!(bits & (1u << r)))
            continue;
        n = snprintf(buf + len, size - len, "%s%s", len ? "," : "", fb_reason_name((fb_reason)r));
        if (n < 0 || (size_t)n >= size - len)
            return;
        len += (size_t)n;
    }
}
