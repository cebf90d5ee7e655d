/* feedback validate FILE...: report every bad row. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "files.h"
#include "report.h"

#define PROG "feedback validate"

void fbc_validate_help(FILE *out)
{
    fputs("Usage: feedback validate FILE... [--from FORMAT] [--quiet]\n"
          "\n"
          "Reads every record of each FILE, skipping bad rows, and reports each bad\n"
          "row on stderr as FILE:LINE: FIELD: message. Then prints one summary line\n"
          "per file on stdout: \"FILE: N records ok, M bad rows\". FORMAT is csv or\n"
          "jsonl; without --from it comes from each file's extension, else from\n"
          "the content ('{' starts JSON Lines). '-' is standard input.\n"
          "\n"
          "Options:\n"
          "  --from FORMAT  the format of every FILE\n"
          "  -q, --quiet    print no summary lines (bad rows are still reported)\n"
          "  -h, --help     show this help\n",
          out);
    fbc_print_exit_codes(out);
}

int fbc_validate_main(int argc, char **argv)
{
    const char *from = NULL;
    int quiet = 0, help = 0, n = 0, code = 0, i;
    const fbc_option opts[] = {
        {"from", 0, FBC_OPT_VALUE, NULL, &from},
        {"quiet", 'q', FBC_OPT_FLAG, &quiet, NULL},
        {"help", 'h', FBC_OPT_FLAG, &help, NULL},
    };

    if ((code = fbc_args_parse(PROG, argc, argv, opts, sizeof opts / sizeof opts[0], &n)) != 0)
        return code;
    if (help) {
        fbc_validate_help(stdout);
        return FBC_EXIT_OK;
    }
    if (n < 1)
        return fbc_usage_error(PROG, "needs at least one FILE", NULL);

    /* Settle every file's format before reading any: a usage error reads nothing. */
    for (i = 0; i < n; i++) {
        fb_format f;
        int c = fbc_pick_format(PROG, argv[i], from, "from", &f);
        if (c != 0)
            return c;
    }

    for (i = 0; i < n; i++) {
        fb_format format;
        fbc_input in;
        int c = 0, r, stopped = 0;

        (void)fbc_pick_format(PROG, argv[i], from, "from", &format);
        c = fbc_input_open(&in, argv[i], format, FB_ON_ERROR_SKIP);
        if (c != 0) {
            code = fbc_worse(code, c);
            continue;
        }
        for (;;) {
            const fb_record *rec;
            r = fbc_input_next(&in, &rec, &c);
            if (r == 0)
                break;
            if (r < 0) {
                stopped = 1;
                code = fbc_worse(code, c);
                break;
            }
        }
        if (fbc_input_bad_rows(&in) > 0)
            code = fbc_worse(code, FBC_EXIT_DATA);
        if (!quiet)
            printf("%s: %llu records ok, %llu bad rows%s\n", in.name,
                   (unsigned long long)fbc_input_records(&in),
                   (unsigned long long)fbc_input_bad_rows(&in),
                   stopped ? " (stopped early, see the error above)" : "");
        fbc_input_close(&in);
    }
    if (fflush(stdout) != 0) {
        fbc_errorf("<stdout>", "write error: %s", strerror(errno));
        code = fbc_worse(code, FBC_EXIT_FAILURE);
    }
    return code;
}
