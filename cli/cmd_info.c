/* feedback info LOG: what a log holds, from its chunk headers. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "output.h"
#include "report.h"

#define PROG "feedback info"

void fbc_info_help(FILE *out)
{
    fputs("Usage: feedback info LOG [--json]\n"
          "\n"
          "Describes LOG from its file header and chunk headers (no record is\n"
          "decoded, but every chunk's checksums are checked): format version,\n"
          "writer, creation time, file size, chunks, records, the range of\n"
          "created_at, stored and raw bytes, the compression ratio, bytes per\n"
          "record, whether it has an index (it was closed cleanly), and damage.\n"
          "Each damaged region is reported on stderr as \"LOG: offset N: message\n"
          "(K bytes, R records lost)\", and the exit status is then 1.\n"
          "\n"
          "Options:\n"
          "  --json      print one JSON object instead of a table\n"
          "  -h, --help  show this help\n",
          out);
    fbc_print_exit_codes(out);
}

static double ratio(uint64_t a, uint64_t b)
{
    return b ? (double)a / (double)b : 0.0;
}

static void json_time(fb_time t)
{
    char buf[FB_TIME_STRING_MAX];
    if (t == FB_TIME_UNKNOWN || fb_time_format(t, buf, sizeof buf) == 0)
        fputs("null", stdout);
    else
        printf("\"%s\"", buf);
}

static void print_json(const char *name, const fb_log_info *in)
{
    fputs("{\n  \"file\": ", stdout);
    fbc_json_string(stdout, name, strlen(name));
    printf(",\n  \"format\": \"%d.%d\"", in->major, in->minor);
    fputs(",\n  \"writer\": ", stdout);
    fbc_json_string(stdout, in->writer, strlen(in->writer));
    fputs(",\n  \"created\": ", stdout);
    json_time(in->created);
    printf(",\n  \"file_bytes\": %llu", (unsigned long long)in->file_bytes);
    printf(",\n  \"chunks\": %llu", (unsigned long long)in->chunks);
    printf(",\n  \"records\": %llu", (unsigned long long)in->records);
    fputs(",\n  \"created_at\": {\"first\": ", stdout);
    json_time(in->first);
    fputs(", \"last\": ", stdout);
    json_time(in->last);
    putchar('}');
    printf(",\n  \"bytes_stored\": %llu", (unsigned long long)in->bytes_stored);
    printf(",\n  \"bytes_raw\": %llu", (unsigned long long)in->bytes_raw);
    if (in->bytes_stored > 0)
        printf(",\n  \"compression_ratio\": %.3f", ratio(in->bytes_raw, in->bytes_stored));
    else
        fputs(",\n  \"compression_ratio\": null", stdout);
    if (in->records > 0)
        printf(",\n  \"bytes_per_record\": %.2f", ratio(in->file_bytes, in->records));
    else
        fputs(",\n  \"bytes_per_record\": null", stdout);
    printf(",\n  \"has_index\": %s", in->has_index ? "true" : "false");
    printf(",\n  \"damaged_regions\": %llu", (unsigned long long)in->damaged_regions);
    printf(",\n  \"damaged_bytes\": %llu", (unsigned long long)in->damaged_bytes);
    fputs("\n}\n", stdout);
}

static void print_table(const char *name, const fb_log_info *in)
{
    char created[FB_TIME_STRING_MAX], first[FB_TIME_STRING_MAX], last[FB_TIME_STRING_MAX];

    fbc_time_text(in->created, created, sizeof created);
    fbc_time_text(in->first, first, sizeof first);
    fbc_time_text(in->last, last, sizeof last);
    printf("file              %s\n", name);
    printf("format            %d.%d\n", in->major, in->minor);
    printf("writer            %s\n", in->writer[0] ? in->writer : "-");
    printf("created           %s\n", created);
    printf("file size         %llu bytes\n", (unsigned long long)in->file_bytes);
    printf("chunks            %llu\n", (unsigned long long)in->chunks);
    printf("records           %llu\n", (unsigned long long)in->records);
    printf("first             %s\n", first);
    printf("last              %s\n", last);
    printf("stored bytes      %llu\n", (unsigned long long)in->bytes_stored);
    printf("raw bytes         %llu\n", (unsigned long long)in->bytes_raw);
    if (in->bytes_stored > 0)
        printf("compression       %.2fx (raw / stored)\n", ratio(in->bytes_raw, in->bytes_stored));
    else
        printf("compression       -\n");
    if (in->records > 0)
        printf("bytes per record  %.1f (file size / records)\n",
               ratio(in->file_bytes, in->records));
    else
        printf("bytes per record  -\n");
    printf("index             %s\n", in->has_index ? "yes (closed cleanly)" : "no");
    printf("damaged regions   %llu (%llu bytes)\n", (unsigned long long)in->damaged_regions,
           (unsigned long long)in->damaged_bytes);
}

int fbc_info_main(int argc, char **argv)
{
    int json = 0, help = 0, n = 0, code = 0;
    fb_log_info info;
    fbc_damage dm;
    fb_error err;
    fb_status st;
    const fbc_option opts[] = {
        {"json", 0, FBC_OPT_FLAG, &json, NULL},
        {"help", 'h', FBC_OPT_FLAG, &help, NULL},
    };

    if ((code = fbc_args_parse(PROG, argc, argv, opts, sizeof opts / sizeof opts[0], &n)) != 0)
        return code;
    if (help) {
        fbc_info_help(stdout);
        return FBC_EXIT_OK;
    }
    if (n != 1)
        return fbc_usage_error(PROG, n < 1 ? "needs a LOG" : "takes one LOG", NULL);
    if (strcmp(argv[0], "-") == 0)
        return fbc_usage_error(PROG, "reads logs from files only, not from", "-");

    fbc_damage_init(&dm, argv[0]);
    memset(&info, 0, sizeof info);
    fb_error_clear(&err);
    st = fb_log_info_read(argv[0], &info, fbc_damage_report, &dm, &err);
    if (st != FB_OK)
        return fbc_log_open_failed(argv[0], st, &err);
    if (json)
        print_json(argv[0], &info);
    else
        print_table(argv[0], &info);
    if (fflush(stdout) != 0) {
        fbc_errorf("<stdout>", "write error: %s", strerror(errno));
        return FBC_EXIT_FAILURE;
    }
    return info.damaged_regions > 0 || dm.regions > 0 ? FBC_EXIT_DATA : FBC_EXIT_OK;
}
