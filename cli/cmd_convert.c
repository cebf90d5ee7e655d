/* feedback convert IN OUT: CSV <-> JSON Lines. */
#include <stdio.h>

#include "args.h"
#include "commands.h"
#include "files.h"
#include "report.h"

#define PROG "feedback convert"

void fbc_convert_help(FILE *out)
{
    fputs("Usage: feedback convert IN OUT [--from FORMAT] [--to FORMAT] [--skip-bad]\n"
          "\n"
          "Reads the records of IN and writes them to OUT. FORMAT is csv or jsonl;\n"
          "without --from/--to each format comes from the file's extension (.csv,\n"
          ".jsonl, .ndjson, .json); other inputs and standard input are read as\n"
          "JSON Lines when they start with '{', as CSV otherwise. '-' is standard\n"
          "input or output; writing to standard output needs --to.\n"
          "\n"
          "By default the first bad row stops the conversion: it is reported and\n"
          "OUT is left as it was. OUT is written to a temporary file beside it and\n"
          "renamed over it only when every record has been written.\n"
          "\n"
          "Options:\n"
          "  --from FORMAT  the format of IN\n"
          "  --to FORMAT    the format of OUT\n"
          "  --skip-bad     report every bad row, write the good ones, and print\n"
          "                 \"converted N records, skipped M bad rows\" on stderr;\n"
          "                 the exit status is 1 when a row was skipped\n"
          "  -h, --help     show this help\n",
          out);
    fbc_print_exit_codes(out);
}

int fbc_convert_main(int argc, char **argv)
{
    const char *from = NULL, *to = NULL;
    int skip_bad = 0, help = 0, n = 0, code = 0, r;
    fb_format in_format, out_format;
    fbc_input in;
    fbc_output out;
    const fbc_option opts[] = {
        {"from", 0, FBC_OPT_VALUE, NULL, &from},
        {"to", 0, FBC_OPT_VALUE, NULL, &to},
        {"skip-bad", 0, FBC_OPT_FLAG, &skip_bad, NULL},
        {"help", 'h', FBC_OPT_FLAG, &help, NULL},
    };

    if ((code = fbc_args_parse(PROG, argc, argv, opts, sizeof opts / sizeof opts[0], &n)) != 0)
        return code;
    if (help) {
        fbc_convert_help(stdout);
        return FBC_EXIT_OK;
    }
    if (n != 2)
        return fbc_usage_error(PROG, n < 2 ? "needs IN and OUT" : "takes only IN and OUT", NULL);
    if ((code = fbc_pick_format(PROG, argv[0], from, "from", &in_format)) != 0 ||
        (code = fbc_pick_format(PROG, argv[1], to, "to", &out_format)) != 0)
        return code;

    if ((code = fbc_input_open(&in, argv[0], in_format,
                               skip_bad ? FB_ON_ERROR_SKIP : FB_ON_ERROR_STOP)) != 0)
        return code;
    if ((code = fbc_output_open(&out, argv[1], out_format)) != 0) {
        fbc_input_close(&in);
        return code;
    }

    for (;;) {
        const fb_record *rec = NULL;
        r = fbc_input_next(&in, &rec, &code);
        if (r <= 0)
            break;
        code = fbc_output_write(&out, rec, in.name, fb_io_reader_line(in.reader));
        if (code != 0)
            break;
    }

    if (code != 0) {
        fbc_output_abort(&out);
        fbc_input_close(&in);
        return code;
    }
    code = fbc_output_commit(&out);
    if (code == 0 && skip_bad) {
        uint64_t bad = fbc_input_bad_rows(&in);
        fprintf(stderr, "converted %llu records, skipped %llu bad rows\n",
                (unsigned long long)fbc_input_records(&in), (unsigned long long)bad);
        if (bad > 0)
            code = FBC_EXIT_DATA;
    }
    fbc_input_close(&in);
    return code;
}
