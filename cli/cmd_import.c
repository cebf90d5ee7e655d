/* feedback import IN... -o LOG: append CSV / JSON Lines records to a binary log. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "files.h"
#include "report.h"

#define PROG "feedback import"

/* The largest chunk the log format admits, in records. */
#define MAX_CHUNK_RECORDS 1000000ul

void fbc_import_help(FILE *out)
{
    fputs("Usage: feedback import IN... -o LOG [--from FORMAT] [--skip-bad] [--level N]\n"
          "                        [--chunk-records N]\n"
          "\n"
          "Reads the records of each IN (CSV or JSON Lines, as for 'convert') and\n"
          "appends them to the binary log LOG, which is created when it does not\n"
          "exist. Appending to an existing log first cuts off a torn tail left by a\n"
          "crash; each region cut is reported on stderr as \"LOG: offset N: message\n"
          "(K bytes, R records lost)\" and makes the exit status 1.\n"
          "\n"
          "By default the first bad row stops the import: it is reported, the records\n"
          "before it stay appended (and are flushed), nothing after it is read, and\n"
          "the exit status is 1. With --skip-bad every bad row is reported and the\n"
          "good ones are imported. Either way the last line on stderr is\n"
          "\"imported N records into LOG (M bad rows skipped)\".\n"
          "\n"
          "Options:\n"
          "  -o, --output LOG     the log to append to (required)\n"
          "  --from FORMAT        the format of every IN (csv or jsonl)\n"
          "  --skip-bad           skip bad rows instead of stopping at the first\n"
          "  --level N            deflate level 0 (stored) to 9; default the library's\n"
          "  --chunk-records N    end a chunk after N records (default 65536)\n"
          "  -h, --help           show this help\n",
          out);
    fbc_print_exit_codes(out);
}

/* Checks that path can be opened, so that a wrong name stops before LOG is touched. */
static int check_readable(const char *path)
{
    FILE *fp;

    if (strcmp(path, "-") == 0)
        return 0;
    fp = fopen(path, "rb");
    if (!fp) {
        fbc_errorf(path, "cannot open: %s", strerror(errno));
        return FBC_EXIT_FAILURE;
    }
    fclose(fp);
    return 0;
}

typedef struct import_state {
    fb_log_writer *w;
    const char *log_name;
    int skip_bad;
    uint64_t bad;       /* bad rows (reader's and writer's refusals) */
    int stopped;        /* a bad row stopped the import */
    int write_failed;   /* the writer failed: the log's tail is in doubt */
} import_state;

/* Appends every record of one input; returns its exit code. */
static int import_one(import_state *S, const char *path, fb_format format)
{
    fbc_input in;
    int code = 0, r;

    if ((code = fbc_input_open(&in, path, format,
                               S->skip_bad ? FB_ON_ERROR_SKIP : FB_ON_ERROR_STOP)) != 0) {
        S->stopped = 1;
        return code;
    }
    for (;;) {
        const fb_record *rec = NULL;
        fb_error err;
        fb_status st;

        r = fbc_input_next(&in, &rec, &code);
        if (r == 0)
            break;
        if (r < 0) {
            S->stopped = 1;
            break;
        }
        fb_error_clear(&err);
        st = fb_log_writer_append(S->w, rec, &err);
        if (st == FB_OK)
            continue;
        if (st == FB_ERR_IO || st == FB_ERR_NOMEM || st == FB_ERR_INVALID_ARG) {
            fbc_report(S->log_name, &err);
            S->write_failed = 1;
            code = FBC_EXIT_FAILURE;
            break;
        }
        /* The log refused the record: blame the row it came from. */
        err.line = fb_io_reader_line(in.reader);
        fbc_report(in.name, &err);
        S->bad++;
        code = FBC_EXIT_DATA;
        if (!S->skip_bad) {
            S->stopped = 1;
            break;
        }
    }
    S->bad += fbc_input_bad_rows(&in);
    if (fbc_input_bad_rows(&in) > 0)
        code = fbc_worse(code, FBC_EXIT_DATA);
    fbc_input_close(&in);
    return code;
}

int fbc_import_main(int argc, char **argv)
{
    const char *from = NULL, *log_path = NULL, *level = NULL, *chunk_records = NULL;
    int skip_bad = 0, help = 0, n = 0, code = 0, i;
    fb_log_writer_options wopt;
    import_state S;
    fbc_damage cut;
    fb_error err;
    fb_status st;
    uint64_t imported;
    const fbc_option opts[] = {
        {"output", 'o', FBC_OPT_VALUE, NULL, &log_path},
        {"from", 0, FBC_OPT_VALUE, NULL, &from},
        {"skip-bad", 0, FBC_OPT_FLAG, &skip_bad, NULL},
        {"level", 0, FBC_OPT_VALUE, NULL, &level},
        {"chunk-records", 0, FBC_OPT_VALUE, NULL, &chunk_records},
        {"help", 'h', FBC_OPT_FLAG, &help, NULL},
    };

    if ((code = fbc_args_parse(PROG, argc, argv, opts, sizeof opts / sizeof opts[0], &n)) != 0)
        return code;
    if (help) {
        fbc_import_help(stdout);
        return FBC_EXIT_OK;
    }
    if (n < 1)
        return fbc_usage_error(PROG, "needs at least one IN", NULL);
    if (!log_path)
        return fbc_usage_error(PROG, "needs the log to append to: -o LOG", NULL);
    if (strcmp(log_path, "-") == 0)
        return fbc_usage_error(PROG, "writes logs to files only, not to", "-");

    fb_log_writer_options_init(&wopt);
    if (level) {
        unsigned long v;
        if ((code = fbc_parse_uint_option(PROG, "level", level, 0, 9, &v)) != 0)
            return code;
        wopt.level = (int)v;
    }
    if (chunk_records) {
        unsigned long v;
        if ((code = fbc_parse_uint_option(PROG, "chunk-records", chunk_records, 1,
                                          MAX_CHUNK_RECORDS, &v)) != 0)
            return code;
        wopt.chunk_records = (uint32_t)v;
    }
    /* Settle every input's format, and check it opens, before touching LOG. */
    for (i = 0; i < n; i++) {
        fb_format f;
        if ((code = fbc_pick_format(PROG, argv[i], from, "from", &f)) != 0)
            return code;
    }
    for (i = 0; i < n; i++)
        if ((code = check_readable(argv[i])) != 0)
            return code;

    fbc_damage_init(&cut, log_path);
    wopt.on_cut = fbc_damage_report;
    wopt.on_cut_ctx = &cut;
    memset(&S, 0, sizeof S);
    S.log_name = log_path;
    S.skip_bad = skip_bad;
    fb_error_clear(&err);
    st = fb_log_writer_open(&S.w, log_path, &wopt, &err);
    if (st != FB_OK)
        return fbc_log_open_failed(log_path, st, &err);
    if (cut.regions > 0)
        code = FBC_EXIT_DATA;

    for (i = 0; i < n && !S.stopped && !S.write_failed; i++) {
        fb_format format;
        (void)fbc_pick_format(PROG, argv[i], from, "from", &format);
        code = fbc_worse(code, import_one(&S, argv[i], format));
    }

    imported = fb_log_writer_records(S.w);
    fb_error_clear(&err);
    st = fb_log_writer_close(S.w, &err);
    if (st != FB_OK) {
        fbc_report(log_path, &err);
        S.write_failed = 1;
        code = FBC_EXIT_FAILURE;
    }
    if (S.write_failed)
        fprintf(stderr, "%s: writing failed after %llu records; the records of earlier flushes "
                        "are intact\n",
                log_path, (unsigned long long)imported);
    else if (S.stopped)
        fprintf(stderr, "imported %llu records into %s (stopped at the error above; the rows "
                        "before it were imported, none after it)\n",
                (unsigned long long)imported, log_path);
    else
        fprintf(stderr, "imported %llu records into %s (%llu bad rows skipped)\n",
                (unsigned long long)imported, log_path, (unsigned long long)S.bad);
    return code;
}
