/* feedback recover LOG -o NEW: copy every intact record of a log into a new one. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "args.h"
#include "commands.h"
#include "files.h"
#include "report.h"

#define PROG "feedback recover"

void fbc_recover_help(FILE *out)
{
    fputs("Usage: feedback recover LOG -o NEW [--force] [--level N]\n"
          "\n"
          "Copies every intact record of LOG, in order, into a new log NEW, and\n"
          "reports each damaged region of LOG on stderr as \"LOG: offset N: message\n"
          "(K bytes, R records lost)\". NEW is written to a temporary file beside\n"
          "it and renamed into place only when complete; LOG is never changed.\n"
          "The last line on stderr is \"recovered N records into NEW (D damaged\n"
          "regions, B bytes, R records lost)\". The exit status is 1 when anything\n"
          "was lost, 0 when LOG was intact.\n"
          "\n"
          "Options:\n"
          "  -o, --output NEW  the log to create (required)\n"
          "  --force           replace NEW when it exists (otherwise refused)\n"
          "  --level N         deflate level 0 to 9 for NEW; default the library's\n"
          "  -h, --help        show this help\n",
          out);
    fbc_print_exit_codes(out);
}

/* Creates an empty temporary file beside path (the writer makes a log of an empty file). */
static char *make_temp(const char *path)
{
    char *t;
    int fd = fbc_make_temp(path, path, &t);
    if (fd < 0)
        return NULL;
    close(fd);
    return t;
}

int fbc_recover_main(int argc, char **argv)
{
    const char *new_path = NULL, *level = NULL, *log_path;
    int force = 0, help = 0, n = 0, code = 0;
    fb_log_reader_options ropt;
    fb_log_writer_options wopt;
    fb_log_reader *r = NULL;
    fb_log_writer *w = NULL;
    fb_log_stats stats;
    fbc_damage dm;
    fb_error err;
    fb_status st;
    struct stat sb;
    char *tmp = NULL;
    uint64_t copied, refused = 0;
    const fbc_option opts[] = {
        {"output", 'o', FBC_OPT_VALUE, NULL, &new_path},
        {"force", 0, FBC_OPT_FLAG, &force, NULL},
        {"level", 0, FBC_OPT_VALUE, NULL, &level},
        {"help", 'h', FBC_OPT_FLAG, &help, NULL},
    };

    if ((code = fbc_args_parse(PROG, argc, argv, opts, sizeof opts / sizeof opts[0], &n)) != 0)
        return code;
    if (help) {
        fbc_recover_help(stdout);
        return FBC_EXIT_OK;
    }
    if (n != 1)
        return fbc_usage_error(PROG, n < 1 ? "needs a LOG" : "takes one LOG (give NEW with -o)",
                               NULL);
    log_path = argv[0];
    if (!new_path)
        return fbc_usage_error(PROG, "needs the new log: -o NEW", NULL);
    if (strcmp(log_path, "-") == 0 || strcmp(new_path, "-") == 0)
        return fbc_usage_error(PROG, "reads and writes logs as files only, not", "-");
    fb_log_writer_options_init(&wopt);
    if (level) {
        unsigned long v;
        if ((code = fbc_parse_uint_option(PROG, "level", level, 0, 9, &v)) != 0)
            return code;
        wopt.level = (int)v;
    }
    if (!force && stat(new_path, &sb) == 0)
        return fbc_usage_error(PROG, "will not replace an existing file (give --force):", new_path);

    fbc_damage_init(&dm, log_path);
    fb_log_reader_options_init(&ropt);
    ropt.on_damage = fbc_damage_report;
    ropt.on_damage_ctx = &dm;
    fb_error_clear(&err);
    st = fb_log_reader_open(&r, log_path, &ropt, &err);
    if (st != FB_OK)
        return fbc_log_open_failed(log_path, st, &err);

    tmp = make_temp(new_path);
    if (!tmp) {
        fb_log_reader_close(r);
        return FBC_EXIT_FAILURE;
    }
    fb_error_clear(&err);
    st = fb_log_writer_open(&w, tmp, &wopt, &err);
    if (st != FB_OK) {
        fbc_report(new_path, &err);
        code = FBC_EXIT_FAILURE;
        goto fail;
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
            fbc_report(log_path, &err);
            code = FBC_EXIT_FAILURE;
            goto fail;
        }
        fb_error_clear(&err);
        st = fb_log_writer_append(w, rec, &err);
        if (st == FB_OK)
            continue;
        if (st == FB_ERR_IO || st == FB_ERR_NOMEM || st == FB_ERR_INVALID_ARG) {
            fbc_report(new_path, &err);
            code = FBC_EXIT_FAILURE;
            goto fail;
        }
        /* A record the log returned but the writer refuses: lost, say which. */
        fprintf(stderr, "%s: record %llu: %s (not copied)\n", log_path,
                (unsigned long long)fb_log_reader_seq(r), err.message);
        refused++;
    }
    fb_log_reader_stats(r, &stats);
    fb_log_reader_close(r);
    r = NULL;
    copied = fb_log_writer_records(w);
    fb_error_clear(&err);
    st = fb_log_writer_close(w, &err);
    w = NULL;
    if (st != FB_OK) {
        fbc_report(new_path, &err);
        code = FBC_EXIT_FAILURE;
        goto fail;
    }
    if (rename(tmp, new_path) != 0) {
        fbc_errorf(new_path, "cannot replace: %s", strerror(errno));
        code = FBC_EXIT_FAILURE;
        goto fail;
    }
    free(tmp);
    fprintf(stderr, "recovered %llu records into %s (%llu damaged regions, %llu bytes, %llu "
                    "records lost%s)\n",
            (unsigned long long)copied, new_path, (unsigned long long)stats.damaged_regions,
            (unsigned long long)stats.damaged_bytes,
            (unsigned long long)(stats.records_lost + refused), dm.unknown ? ", perhaps more" : "");
    return stats.damaged_regions > 0 || dm.regions > 0 || refused > 0 ? FBC_EXIT_DATA
                                                                       : FBC_EXIT_OK;

fail:
    fb_log_reader_close(r);
    if (w)
        (void)fb_log_writer_close(w, NULL);
    remove(tmp);
    free(tmp);
    return code;
}
