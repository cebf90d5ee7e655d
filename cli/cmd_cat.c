/* feedback cat LOG: write the records of a log as CSV or JSON Lines. */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "files.h"
#include "report.h"

#define PROG "feedback cat"

void fbc_cat_help(FILE *out)
{
    fputs("Usage: feedback cat LOG [--to FORMAT] [-o OUT] [--from-time T] [--to-time T]\n"
          "\n"
          "Writes the records of LOG, in file order, as CSV (the default) or JSON\n"
          "Lines to standard output or to OUT. FORMAT is csv or jsonl; without --to\n"
          "it comes from OUT's extension, and is CSV when there is none or OUT is\n"
          "'-'. OUT is written to a temporary file beside it and renamed over it at\n"
          "the end.\n"
          "\n"
          "Damage in LOG is reported on stderr as \"LOG: offset N: message (K bytes,\n"
          "R records lost)\"; the intact records are still written, and the exit\n"
          "status is then 1.\n"
          "\n"
          "Options:\n"
          "  --to FORMAT    the format of the output\n"
          "  -o, --output OUT  write to OUT instead of standard output\n"
          "  --from-time T  only records created at T or later (ISO 8601, UTC unless\n"
          "                 a zone is given: 2026-03-01, 2026-03-01T09:30:00+03:00)\n"
          "  --to-time T    only records created before T\n"
          "  -h, --help     show this help\n",
          out);
    fbc_print_exit_codes(out);
}

int fbc_cat_main(int argc, char **argv)
{
    const char *to = NULL, *out_path = NULL, *from_time = NULL, *to_time = NULL;
    int help = 0, n = 0, code = 0;
    fb_format format = FB_FORMAT_CSV;
    fb_log_reader_options opt;
    fb_log_reader *r = NULL;
    fbc_damage dm;
    fbc_output out;
    fb_error err;
    fb_status st;
    const fbc_option opts[] = {
        {"to", 0, FBC_OPT_VALUE, NULL, &to},
        {"output", 'o', FBC_OPT_VALUE, NULL, &out_path},
        {"from-time", 0, FBC_OPT_VALUE, NULL, &from_time},
        {"to-time", 0, FBC_OPT_VALUE, NULL, &to_time},
        {"help", 'h', FBC_OPT_FLAG, &help, NULL},
    };

    if ((code = fbc_args_parse(PROG, argc, argv, opts, sizeof opts / sizeof opts[0], &n)) != 0)
        return code;
    if (help) {
        fbc_cat_help(stdout);
        return FBC_EXIT_OK;
    }
    if (n != 1)
        return fbc_usage_error(PROG, n < 1 ? "needs a LOG" : "takes one LOG (give OUT with -o)",
                               NULL);
    if (strcmp(argv[0], "-") == 0)
        return fbc_usage_error(PROG, "reads logs from files only, not from", "-");
    if (!out_path)
        out_path = "-";
    /* --to wins; else OUT's extension when it names a format; else CSV. */
    if (to) {
        if (fb_format_parse(to, &format, NULL) != FB_OK || format == FB_FORMAT_AUTO)
            return fbc_usage_error(PROG, "unknown format for --to (use csv or jsonl):", to);
    } else if (strcmp(out_path, "-") == 0 ||
               fb_format_from_path(out_path, &format, NULL) != FB_OK) {
        format = FB_FORMAT_CSV;
    }

    fb_log_reader_options_init(&opt);
    if (from_time && (code = fbc_parse_time_option(PROG, "from-time", from_time,
                                                   &opt.time_from)) != 0)
        return code;
    if (to_time && (code = fbc_parse_time_option(PROG, "to-time", to_time, &opt.time_to)) != 0)
        return code;
    fbc_damage_init(&dm, argv[0]);
    opt.on_damage = fbc_damage_report;
    opt.on_damage_ctx = &dm;

    fb_error_clear(&err);
    st = fb_log_reader_open(&r, argv[0], &opt, &err);
    if (st != FB_OK)
        return fbc_log_open_failed(argv[0], st, &err);
    if ((code = fbc_output_open(&out, out_path, format)) != 0) {
        fb_log_reader_close(r);
        return code;
    }

    for (;;) {
        const fb_record *rec;
        fb_error_clear(&err);
        st = fb_log_reader_next(r, &rec, &err);
        if (st == FB_DONE)
            break;
        if (st == FB_ERR_CORRUPT) /* reported through on_damage; go on */
            continue;
        if (st != FB_OK) {
            fbc_report(argv[0], &err);
            code = FBC_EXIT_FAILURE;
            break;
        }
        code = fbc_output_write(&out, rec, argv[0], 0);
        if (code != 0) {
            /* A record the log returned that the writer refuses: not expected. */
            code = FBC_EXIT_FAILURE;
            break;
        }
    }
    fb_log_reader_close(r);
    if (code != 0) {
        fbc_output_abort(&out);
        return code;
    }
    code = fbc_output_commit(&out);
    if (code == 0 && dm.regions > 0)
        code = FBC_EXIT_DATA;
    return code;
}
