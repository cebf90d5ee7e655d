/*
 * feedback verify LOG...: read every record of each log, report every damaged
 * region. Also the helpers the log commands share (declared in commands.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "report.h"

#define PROG "feedback verify"

/* ------------------------------------------------ shared by the log commands */

void fbc_damage_init(fbc_damage *d, const char *name)
{
    memset(d, 0, sizeof *d);
    d->name = name;
}

void fbc_damage_report(void *ctx, const fb_log_damage *d)
{
    fbc_damage *dm = ctx;
    const char *msg = d->message[0] ? d->message : fb_status_str(d->reason);

    dm->regions++;
    dm->bytes += d->bytes;
    if (d->records >= 0) {
        dm->records_lost += (uint64_t)d->records;
        fprintf(stderr, "%s: offset %llu: %s (%llu bytes, %lld records lost)\n", dm->name,
                (unsigned long long)d->offset, msg, (unsigned long long)d->bytes,
                (long long)d->records);
    } else {
        dm->unknown++;
        fprintf(stderr, "%s: offset %llu: %s (%llu bytes, records lost unknown)\n", dm->name,
                (unsigned long long)d->offset, msg, (unsigned long long)d->bytes);
    }
}

int fbc_log_open_failed(const char *name, fb_status st, const fb_error *err)
{
    const char *msg = err && err->message[0] ? err->message : fb_status_str(st);

    /* The library's messages usually name the file already: then say it once. */
    if (err && err->message[0] && strstr(err->message, name)) {
        fbc_errorf(NULL, "%s", msg);
        return st == FB_ERR_CORRUPT ? FBC_EXIT_DATA : FBC_EXIT_FAILURE;
    }
    switch (st) {
    case FB_ERR_FORMAT:
        fbc_errorf(name, "not a feedback log: %s", msg);
        return FBC_EXIT_FAILURE;
    case FB_ERR_VERSION:
        fbc_errorf(name, "written by a newer, incompatible version of the log format: %s", msg);
        return FBC_EXIT_FAILURE;
    case FB_ERR_CORRUPT:
        fbc_errorf(name, "damaged file header: %s", msg);
        return FBC_EXIT_DATA;
    case FB_ERR_IO:
        fbc_errorf(name, "cannot open: %s", msg);
        return FBC_EXIT_FAILURE;
    default:
        fbc_errorf(name, "%s", msg);
        return FBC_EXIT_FAILURE;
    }
}

int fbc_parse_time_option(const char *prog, const char *option, const char *value, fb_time *out)
{
    char msg[160];

    if (fb_time_parse(value, strlen(value), out, NULL) == FB_OK)
        return 0;
    snprintf(msg, sizeof msg, "--%s needs an ISO 8601 time (2026-03-01 or 2026-03-01T09:30:00Z), not",
             option);
    return fbc_usage_error(prog, msg, value);
}

int fbc_parse_uint_option(const char *prog, const char *option, const char *value,
                          unsigned long min, unsigned long max, unsigned long *out)
{
    char msg[160];
    char *end;
    unsigned long v;

    errno = 0;
    v = strtoul(value, &end, 10);
    if (value[0] >= '0' && value[0] <= '9' && *end == '\0' && errno == 0 && v >= min && v <= max) {
        *out = v;
        return 0;
    }
    snprintf(msg, sizeof msg, "--%s needs a whole number from %lu to %lu, not", option, min, max);
    return fbc_usage_error(prog, msg, value);
}

/* ------------------------------------------------------------------ verify */

void fbc_verify_help(FILE *out)
{
    fputs("Usage: feedback verify LOG... [-q|--quiet]\n"
          "\n"
          "Reads every record of each LOG (every field of every chunk, checking\n"
          "every checksum) and reports each damaged region on stderr as\n"
          "\"LOG: offset N: message (K bytes, R records lost)\". Then prints one\n"
          "line per log on stdout:\n"
          "  \"LOG: N records in C chunks ok, D damaged regions (B bytes, R records lost)\"\n"
          "The exit status is 1 when any log is damaged. 'feedback recover' copies\n"
          "the intact records of a damaged log into a new one.\n"
          "\n"
          "Options:\n"
          "  -q, --quiet    print no summary lines (damage is still reported)\n"
          "  -h, --help     show this help\n",
          out);
    fbc_print_exit_codes(out);
}

/* Reads all of one log; returns its exit code. */
static int verify_one(const char *path, int quiet)
{
    fb_log_reader_options opt;
    fb_log_reader *r = NULL;
    fb_log_stats stats;
    fbc_damage dm;
    fb_error err;
    fb_status st;
    int code = 0, stopped = 0;

    fbc_damage_init(&dm, path);
    fb_log_reader_options_init(&opt);
    opt.fields = FB_LOG_FIELD_ALL;
    opt.on_damage = fbc_damage_report;
    opt.on_damage_ctx = &dm;
    fb_error_clear(&err);
    st = fb_log_reader_open(&r, path, &opt, &err);
    if (st != FB_OK)
        return fbc_log_open_failed(path, st, &err);

    for (;;) {
        const fb_record *rec;
        fb_error_clear(&err);
        st = fb_log_reader_next(r, &rec, &err);
        if (st == FB_OK)
            continue;
        if (st == FB_DONE)
            break;
        if (st == FB_ERR_CORRUPT) /* only in strict mode; go on after it */
            continue;
        fbc_report(path, &err);
        code = fbc_worse(code, FBC_EXIT_FAILURE);
        stopped = 1;
        break;
    }
    fb_log_reader_stats(r, &stats);
    fb_log_reader_close(r);
    if (stats.damaged_regions > 0 || dm.regions > 0)
        code = fbc_worse(code, FBC_EXIT_DATA);
    if (!quiet)
        printf("%s: %llu records in %llu chunks ok, %llu damaged regions (%llu bytes, %llu records "
               "lost%s)%s\n",
               path, (unsigned long long)stats.records, (unsigned long long)stats.chunks,
               (unsigned long long)stats.damaged_regions, (unsigned long long)stats.damaged_bytes,
               (unsigned long long)stats.records_lost, dm.unknown ? ", perhaps more" : "",
               stopped ? " (stopped early, see the error above)" : "");
    return code;
}

int fbc_verify_main(int argc, char **argv)
{
    int quiet = 0, help = 0, n = 0, code = 0, i;
    const fbc_option opts[] = {
        {"quiet", 'q', FBC_OPT_FLAG, &quiet, NULL},
        {"help", 'h', FBC_OPT_FLAG, &help, NULL},
    };

    if ((code = fbc_args_parse(PROG, argc, argv, opts, sizeof opts / sizeof opts[0], &n)) != 0)
        return code;
    if (help) {
        fbc_verify_help(stdout);
        return FBC_EXIT_OK;
    }
    if (n < 1)
        return fbc_usage_error(PROG, "needs at least one LOG", NULL);
    for (i = 0; i < n; i++)
        if (strcmp(argv[i], "-") == 0)
            return fbc_usage_error(PROG, "reads logs from files only, not from", "-");

    for (i = 0; i < n; i++) {
        code = fbc_worse(code, verify_one(argv[i], quiet));
        if (fflush(stdout) != 0) {
            fbc_errorf("<stdout>", "write error: %s", strerror(errno));
            return FBC_EXIT_FAILURE;
        }
    }
    return code;
}
