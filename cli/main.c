/*
 * feedback: the command-line tool of libfeedback.
 *
 * A thin user of the public API: it reads and writes records with
 * <feedback/feedback.h> and nothing else of the library.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <feedback/feedback.h>

#include "args.h"
#include "commands.h"
#include "report.h"

static const fbc_command COMMANDS[] = {
    {"convert", "convert IN OUT       convert between CSV and JSON Lines", fbc_convert_main,
     fbc_convert_help},
    {"validate", "validate FILE...     check files and report every bad row", fbc_validate_main,
     fbc_validate_help},
    {"stats", "stats FILE           count records by kind, channel, customer, source, metric",
     fbc_stats_main, fbc_stats_help},
    {"import", "import IN... -o LOG  append CSV / JSON Lines records to a binary log",
     fbc_import_main, fbc_import_help},
    {"cat", "cat LOG              write a log's records as CSV or JSON Lines", fbc_cat_main,
     fbc_cat_help},
    {"verify", "verify LOG...        read every record of logs and report every damaged region",
     fbc_verify_main, fbc_verify_help},
    {"recover", "recover LOG -o NEW   copy the intact records of a damaged log into a new one",
     fbc_recover_main, fbc_recover_help},
    {"info", "info LOG             describe a log: chunks, records, times, compression, damage",
     fbc_info_main, fbc_info_help},
    {"report", "report FILE          metrics with intervals by group and period, changes, leaders",
     fbc_report_main, fbc_report_help},
    {"filter", "filter IN -o OUT     keep relevant records, set the rest aside with their reasons",
     fbc_filter_main, fbc_filter_help},
    {"alerts", "alerts IN --rule R   the records alert rules match (detractors, abuse, ...)",
     fbc_alerts_main, fbc_alerts_help},
};

#define N_COMMANDS (sizeof COMMANDS / sizeof COMMANDS[0])

void fbc_print_exit_codes(FILE *out)
{
    fputs("\n"
          "Exit status:\n"
          "  0  success\n"
          "  1  bad rows found in the data, or damage found in a log\n"
          "  2  usage error\n"
          "  3  I/O or other failure (cannot open or write a file, not a log or a\n"
          "     newer log format, out of memory)\n",
          out);
}

static void print_help(FILE *out)
{
    size_t i;

    fputs("Usage: feedback COMMAND [ARGS...]\n"
          "       feedback --help | --version\n"
          "\n"
          "Reads, checks and converts customer feedback records (CSV, JSON Lines),\n"
          "keeps them in binary logs (import, cat, verify, recover, info), sets\n"
          "aside what is not relevant (filter, alerts), and summarises their\n"
          "metrics with confidence intervals (report).\n"
          "\n"
          "Commands:\n",
          out);
    for (i = 0; i < N_COMMANDS; i++)
        fprintf(out, "  %s\n", COMMANDS[i].synopsis);
    fputs("  help [COMMAND]       show this help, or a command's\n"
          "\n"
          "Options:\n"
          "  -h, --help         show this help\n"
          "  --version          print the version\n"
          "\n"
          "Errors go to stderr as FILE:LINE: message. A file named '-' is standard\n"
          "input or output. Run 'feedback help COMMAND' for a command's options.\n",
          out);
    fbc_print_exit_codes(out);
}

static const fbc_command *find_command(const char *name)
{
    size_t i;
    for (i = 0; i < N_COMMANDS; i++)
        if (strcmp(COMMANDS[i].name, name) == 0)
            return &COMMANDS[i];
    return NULL;
}

static int usage(const char *message, const char *detail)
{
    if (message) {
        if (detail)
            fprintf(stderr, "feedback: %s '%s'\n\n", message, detail);
        else
            fprintf(stderr, "feedback: %s\n\n", message);
    }
    print_help(stderr);
    return FBC_EXIT_USAGE;
}

static int help_command(int argc, char **argv)
{
    const fbc_command *cmd;

    if (argc == 0) {
        print_help(stdout);
        return FBC_EXIT_OK;
    }
    if (argc > 1)
        return fbc_usage_error("feedback help", "takes at most one COMMAND", NULL);
    if (strcmp(argv[0], "help") == 0) {
        print_help(stdout);
        return FBC_EXIT_OK;
    }
    cmd = find_command(argv[0]);
    if (!cmd)
        return usage("unknown command", argv[0]);
    cmd->help(stdout);
    return FBC_EXIT_OK;
}

static int finish(int code)
{
    if (fflush(stdout) != 0 && code == FBC_EXIT_OK) {
        fbc_errorf("<stdout>", "write error: %s", strerror(errno));
        return FBC_EXIT_FAILURE;
    }
    return code;
}

int main(int argc, char **argv)
{
    const fbc_command *cmd;
    const char *name;

    if (argc < 2)
        return usage("no command given", NULL);
    name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0)
        return finish(help_command(0, NULL));
    if (strcmp(name, "--version") == 0) {
        printf("feedback %s\n", fb_version());
        return finish(FBC_EXIT_OK);
    }
    if (strcmp(name, "help") == 0)
        return finish(help_command(argc - 2, argv + 2));
    if (name[0] == '-')
        return usage("unknown option", name);
    cmd = find_command(name);
    if (!cmd)
        return usage("unknown command", name);
    return finish(cmd->run(argc - 2, argv + 2));
}
