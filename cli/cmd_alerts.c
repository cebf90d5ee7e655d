/*
 * feedback alerts IN --rule RULE...: the records that alert rules match,
 * the way a service desk is called back when they pass the chain.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "chain_args.h"
#include "commands.h"
#include "files.h"
#include "report.h"

#define PROG "feedback alerts"
#define MAX_RULES FBC_OPT_LIST_MAX

static const char *const ALERTS_COLUMN[] = {"alerts"};

void fbc_alerts_help(FILE *out)
{
    fputs("Usage: feedback alerts IN --rule RULE... [-o OUT] [--from FORMAT] [--to FORMAT]\n"
          "                       [--relevant] [--skip-bad] [relevance options]\n"
          "\n"
          "Passes every record of IN (CSV or JSON Lines; '-' is standard input)\n"
          "through the relevance filters and writes those that match a RULE to OUT\n"
          "(default: standard output), in IN's format, with a column 'alerts': the\n"
          "rules they match, separated by \"; \". Then prints on stderr how many\n"
          "records each rule matched.\n"
          "\n"
          "A RULE is one of\n"
          "  METRIC OP NUMBER   an answer's score: nps<=6, csat<3, ces>=6, rating=1\n"
          "                     (OP: < <= = == >= > !=; the number on the metric's scale)\n"
          "  reason=NAME        a filter found NAME: reason=abusive, reason=non_customer\n"
          "  status=NAME        the customer status, or status!=NAME: status=churned\n"
          "Quote rules for the shell: --rule 'nps<=6'.\n"
          "\n"
          "Options:\n"
          "  --rule RULE        a rule (up to 32; at least one)\n"
          "  -o, --output OUT   where the matching records go ('-': standard output)\n"
          "  --from FORMAT      csv or jsonl: the format of IN\n"
          "  --to FORMAT        the format of OUT (default: its extension's, else IN's)\n"
          "  --relevant         only records the filters keep (none they drop)\n"
          "  --skip-bad         report bad rows and go on; the exit status is then 1\n"
          "  -h, --help         show this help\n"
          "\n",
          out);
    fbc_chain_help(out);
    fbc_print_exit_codes(out);
}

typedef struct alerts_run alerts_run;

/* What the callback of one rule is given: the run, and which rule it is. */
typedef struct rule_ctx {
    alerts_run *run;
    int index;
} rule_ctx;

struct alerts_run {
    fb_alert_rule rules[MAX_RULES];
    rule_ctx ctx[MAX_RULES];
    int n_rules;
    uint64_t matched[MAX_RULES];   /* records written for each rule */
    unsigned long long hit;        /* bits of the rules the record being judged matched */
};

static void on_alert(void *ctx, const fb_alert_rule *rule, const fb_record *r,
                     const fb_verdict *v)
{
    rule_ctx *c = ctx;

    (void)rule;
    (void)r;
    (void)v;
    c->run->hit |= 1ull << c->index;
}

/* Parses the rules and registers them with c. Returns 0, or the exit code. */
static int add_rules(alerts_run *x, const char *const *texts, int n, fb_filter_chain *c)
{
    fb_error err;
    int i;

    for (i = 0; i < n; i++) {
        fb_error_clear(&err);
        if (fb_alert_rule_parse(texts[i], &x->rules[i], &err) != FB_OK)
            return fbc_usage_error(PROG, err.message, NULL);
    }
    x->n_rules = n;
    for (i = 0; i < n; i++) {
        x->ctx[i].run = x;
        x->ctx[i].index = i;
        if (fb_filter_chain_add_alert(c, &x->rules[i], on_alert, &x->ctx[i], &err) != FB_OK) {
            fbc_errorf(NULL, "%s", err.message);
            return FBC_EXIT_FAILURE;
        }
    }
    return 0;
}

static void print_counts(const alerts_run *x, uint64_t records, uint64_t written)
{
    int i;

    fprintf(stderr, "alerts: %llu of %llu records matched", (unsigned long long)written,
            (unsigned long long)records);
    for (i = 0; i < x->n_rules; i++)
        fprintf(stderr, "%s%llu %s", i ? ", " : ": ", (unsigned long long)x->matched[i],
                x->rules[i].text);
    fputc('\n', stderr);
}

int fbc_alerts_main(int argc, char **argv)
{
    const char *from = NULL, *to = NULL, *out_path = "-", *rule_texts[MAX_RULES];
    int skip_bad = 0, help = 0, relevant = 0, n = 0, n_rules = 0, code = 0, r;
    uint64_t written = 0;
    fb_format in_format, of;
    fbc_chain_args chain_args;
    fbc_option opts[7 + FBC_CHAIN_OPTIONS] = {
        {"rule", 0, FBC_OPT_LIST, &n_rules, rule_texts},
        {"output", 'o', FBC_OPT_VALUE, NULL, &out_path},
        {"from", 0, FBC_OPT_VALUE, NULL, &from},
        {"to", 0, FBC_OPT_VALUE, NULL, &to},
        {"relevant", 0, FBC_OPT_FLAG, &relevant, NULL},
        {"skip-bad", 0, FBC_OPT_FLAG, &skip_bad, NULL},
        {"help", 'h', FBC_OPT_FLAG, &help, NULL},
    };
    fb_filter_chain *chain = NULL;
    alerts_run *x;
    fbc_input in;
    fbc_output out;

    fbc_chain_options(&chain_args, opts + 7);
    if ((code = fbc_args_parse(PROG, argc, argv, opts, sizeof opts / sizeof opts[0], &n)) != 0)
        return code;
    if (help) {
        fbc_alerts_help(stdout);
        return FBC_EXIT_OK;
    }
    if (n != 1)
        return fbc_usage_error(PROG, n < 1 ? "needs IN" : "takes one IN", NULL);
    if (n_rules == 0)
        return fbc_usage_error(PROG, "needs at least one --rule, e.g. --rule 'nps<=6'", NULL);
    if ((code = fbc_pick_format(PROG, argv[0], from, "from", &in_format)) != 0)
        return code;
    if ((code = fbc_pick_output_format(PROG, out_path, to, in_format, &of)) != 0)
        return code;

    x = calloc(1, sizeof *x);
    if (!x) {
        fbc_errorf(NULL, "out of memory");
        return FBC_EXIT_FAILURE;
    }
    if ((code = fbc_chain_build(PROG, &chain_args, &chain)) != 0 ||
        (code = add_rules(x, rule_texts, n_rules, chain)) != 0) {
        fb_filter_chain_free(chain);
        free(x);
        return code;
    }
    if ((code = fbc_input_open(&in, argv[0], in_format,
                               skip_bad ? FB_ON_ERROR_SKIP : FB_ON_ERROR_STOP)) != 0) {
        fb_filter_chain_free(chain);
        free(x);
        return code;
    }
    if ((code = fbc_output_open_extra(&out, out_path, of, ALERTS_COLUMN, 1)) != 0) {
        fbc_input_close(&in);
        fb_filter_chain_free(chain);
        free(x);
        return code;
    }
    for (;;) {
        const fb_record *rec = NULL;
        char text[MAX_RULES * (sizeof x->rules[0].text + 2)];
        fb_record copy;
        fb_attr attrs[FB_MAX_ATTRS];
        fb_verdict v;
        fb_error err;
        fb_str value;
        size_t len = 0;
        int i;

        r = fbc_input_next(&in, &rec, &code);
        if (r <= 0)
            break;
        x->hit = 0;
        fb_error_clear(&err);
        if (fb_filter_chain_evaluate(chain, rec, &v, &err) == FB_ERR_NOMEM) {
            fbc_report(in.name, &err);
            code = FBC_EXIT_FAILURE;
            break;
        }
        if (!x->hit || (relevant && v.action == FB_ACTION_DROP))
            continue;
        text[0] = '\0';
        for (i = 0; i < x->n_rules; i++) {
            if (!(x->hit & (1ull << i)))
                continue;
            x->matched[i]++;
            len += (size_t)snprintf(text + len, sizeof text - len, "%s%s", len ? "; " : "",
                                    x->rules[i].text);
        }
        value = fb_str_from_cstr(text);
        rec = fbc_without_attr(rec, ALERTS_COLUMN[0], &copy, attrs);
        code = fbc_output_write_extra(&out, rec, &value, in.name, fb_io_reader_line(in.reader));
        if (code != 0)
            break;
        written++;
    }
    if (code != 0) {
        fbc_output_abort(&out);
    } else {
        code = fbc_output_commit(&out);
        if (code == 0) {
            print_counts(x, fbc_input_records(&in), written);
            if (fbc_input_bad_rows(&in) > 0)
                code = FBC_EXIT_DATA;
        }
    }
    fbc_input_close(&in);
    fb_filter_chain_free(chain);
    free(x);
    return code;
}
