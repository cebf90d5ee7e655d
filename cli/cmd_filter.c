/*
 * feedback filter IN -o OUT [--rejected REJECTED]: the relevance chain over
 * a file, relevant records to OUT, dropped ones with their reasons to
 * REJECTED, the counts on stderr.
 */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "chain_args.h"
#include "commands.h"
#include "files.h"
#include "report.h"

#define PROG "feedback filter"

/* The column both outputs add: the reasons that acted on the record. */
static const char *const REASONS_COLUMN[] = {"reasons"};

void fbc_filter_help(FILE *out)
{
    fputs("Usage: feedback filter IN -o OUT [--rejected REJECTED] [--from FORMAT]\n"
          "                       [--to FORMAT] [--skip-bad] [--explain] [relevance options]\n"
          "\n"
          "Judges every record of IN (CSV or JSON Lines; '-' is standard input) with\n"
          "the relevance filters and writes the records kept, flagged ones included,\n"
          "to OUT, and the records dropped to REJECTED, in IN's format. Both get a\n"
          "column 'reasons': the reasons that made the record dropped or flagged\n"
          "(\"non_customer,hearsay\"); it reads back as an attribute, and replaces\n"
          "the one an earlier run wrote. Without --rejected, dropped records are\n"
          "counted and not written. Then prints the counts on stderr: \"filter: 5000\n"
          "records: 1204 dropped, 52 flagged, 3744 kept; drop reasons: 800\n"
          "non_customer, ...\" (a record with two reasons counts under each).\n"
          "\n"
          "Duplicates and bursts compare each record with those before it: give IN\n"
          "in the order of created_at. A binary log is filtered through cat:\n"
          "feedback cat LOG | feedback filter - --from csv -o OUT.csv\n"
          "\n"
          "OUT and REJECTED are written to temporary files beside them and renamed\n"
          "over them only when every record has been written.\n"
          "\n"
          "Options:\n"
          "  -o, --output OUT       where the records kept go\n"
          "  --rejected REJECTED    where the records dropped go\n"
          "  --from FORMAT          csv or jsonl: the format of IN (and REJECTED)\n"
          "  --to FORMAT            the format of OUT (default: its extension's, else IN's)\n"
          "  --skip-bad             report bad rows and go on; the exit status is then 1\n"
          "  --explain              print why, for every record dropped or flagged, on\n"
          "                         stderr: \"IN:LINE: id 7: drop: non_customer (...)\"\n"
          "  -h, --help             show this help\n"
          "\n",
          out);
    fbc_chain_help(out);
    fbc_print_exit_codes(out);
}

/* REJECTED is in IN's format: an extension that names another one is a mistake. */
static int rejected_format(const char *path, fb_format in)
{
    fb_format named;
    char msg[160];

    if (in == FB_FORMAT_AUTO)
        return fbc_usage_error(PROG, "REJECTED is written in IN's format: give --from csv|jsonl "
                                     "(the format of IN is not known before it is read)", NULL);
    if (fb_format_from_path(path, &named, NULL) != FB_OK || named == in)
        return 0;
    snprintf(msg, sizeof msg, "REJECTED is written in IN's format (%s), but its extension says",
             fb_format_name(in));
    return fbc_usage_error(PROG, msg, path);
}

typedef struct run {
    fbc_input in;
    fbc_output out, rejected;
    bool has_rejected;
    fb_filter_chain *chain;
    bool explain;
} run;

/* Judges rec and writes it where it goes. Returns 0 or the exit code. */
static int filter_one(run *x, const fb_record *rec)
{
    uint64_t line = fb_io_reader_line(x->in.reader);
    char reasons[256], why[1024];
    fb_record copy;
    fb_attr attrs[FB_MAX_ATTRS];
    fb_str value;
    fb_verdict v;
    fb_error err;
    fb_status st;

    fb_error_clear(&err);
    st = fb_filter_chain_evaluate(x->chain, rec, &v, &err);
    if (st == FB_ERR_NOMEM || st == FB_ERR_INVALID_ARG) {
        fbc_report(x->in.name, &err);
        return FBC_EXIT_FAILURE;
    }
    if (x->explain && v.action != FB_ACTION_KEEP) {
        fb_verdict_explain(&v, rec, why, sizeof why);
        fprintf(stderr, "%s:%llu: id %llu: %s\n", x->in.name, (unsigned long long)line,
                (unsigned long long)rec->id, why);
    }
    if (v.action == FB_ACTION_DROP && !x->has_rejected)
        return 0; /* counted by the chain, and written nowhere */
    fbc_reasons_text(v.dropped | v.flagged, reasons, sizeof reasons);
    value = fb_str_from_cstr(reasons);
    rec = fbc_without_attr(rec, REASONS_COLUMN[0], &copy, attrs);
    return fbc_output_write_extra(v.action == FB_ACTION_DROP ? &x->rejected : &x->out, rec,
                                  &value, x->in.name, line);
}

/* Opens the outputs. Returns 0 or the exit code. */
static int open_outputs(run *x, const char *out_path, fb_format of, const char *rejected_path,
                        fb_format rf)
{
    int code = fbc_output_open_extra(&x->out, out_path, of, REASONS_COLUMN, 1);

    if (code != 0 || !rejected_path)
        return code;
    code = fbc_output_open_extra(&x->rejected, rejected_path, rf, REASONS_COLUMN, 1);
    if (code != 0) {
        fbc_output_abort(&x->out);
        return code;
    }
    x->has_rejected = true;
    return 0;
}

static void print_counts(const run *x)
{
    fb_filter_counts k;
    char text[1024];

    fb_filter_chain_counts(x->chain, &k);
    fb_filter_counts_explain(&k, text, sizeof text);
    fprintf(stderr, "filter: %s\n", text);
    if (!x->has_rejected && k.dropped > 0)
        fprintf(stderr, "filter: the %llu records dropped were not written (--rejected FILE "
                "keeps them)\n", (unsigned long long)k.dropped);
}

int fbc_filter_main(int argc, char **argv)
{
    const char *from = NULL, *to = NULL, *out_path = NULL, *rejected_path = NULL;
    int skip_bad = 0, help = 0, explain = 0, n = 0, code = 0, r;
    fb_format in_format, of;
    fbc_chain_args chain_args;
    fbc_option opts[7 + FBC_CHAIN_OPTIONS] = {
        {"output", 'o', FBC_OPT_VALUE, NULL, &out_path},
        {"rejected", 0, FBC_OPT_VALUE, NULL, &rejected_path},
        {"from", 0, FBC_OPT_VALUE, NULL, &from},
        {"to", 0, FBC_OPT_VALUE, NULL, &to},
        {"skip-bad", 0, FBC_OPT_FLAG, &skip_bad, NULL},
        {"explain", 0, FBC_OPT_FLAG, &explain, NULL},
        {"help", 'h', FBC_OPT_FLAG, &help, NULL},
    };
    run x;

    fbc_chain_options(&chain_args, opts + 7);
    if ((code = fbc_args_parse(PROG, argc, argv, opts, sizeof opts / sizeof opts[0], &n)) != 0)
        return code;
    if (help) {
        fbc_filter_help(stdout);
        return FBC_EXIT_OK;
    }
    if (n != 1)
        return fbc_usage_error(PROG, n < 1 ? "needs IN" : "takes one IN", NULL);
    if (!out_path)
        return fbc_usage_error(PROG, "needs -o OUT", NULL);
    if ((code = fbc_pick_format(PROG, argv[0], from, "from", &in_format)) != 0 ||
        (code = fbc_pick_output_format(PROG, out_path, to, in_format, &of)) != 0 ||
        (rejected_path && (code = rejected_format(rejected_path, in_format)) != 0))
        return code;

    memset(&x, 0, sizeof x);
    x.explain = explain != 0;
    if ((code = fbc_chain_build(PROG, &chain_args, &x.chain)) != 0)
        return code;
    if ((code = fbc_input_open(&x.in, argv[0], in_format,
                               skip_bad ? FB_ON_ERROR_SKIP : FB_ON_ERROR_STOP)) != 0) {
        fb_filter_chain_free(x.chain);
        return code;
    }
    if ((code = open_outputs(&x, out_path, of, rejected_path, in_format)) != 0) {
        fbc_input_close(&x.in);
        fb_filter_chain_free(x.chain);
        return code;
    }
    for (;;) {
        const fb_record *rec = NULL;
        r = fbc_input_next(&x.in, &rec, &code);
        if (r <= 0 || (code = filter_one(&x, rec)) != 0)
            break;
    }
    if (code != 0) {
        fbc_output_abort(&x.out);
        if (x.has_rejected)
            fbc_output_abort(&x.rejected);
    } else {
        /* REJECTED first: if it cannot be kept, OUT stays as it was too, and IN has it all. */
        if (x.has_rejected)
            code = fbc_output_commit(&x.rejected);
        if (code == 0)
            code = fbc_output_commit(&x.out);
        else
            fbc_output_abort(&x.out);
    }
    if (code == 0) {
        print_counts(&x);
        if (fbc_input_bad_rows(&x.in) > 0)
            code = FBC_EXIT_DATA;
    }
    fbc_input_close(&x.in);
    fb_filter_chain_free(x.chain);
    return code;
}
