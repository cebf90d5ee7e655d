/* The subcommands of the feedback tool: each takes the words after its name. */
#ifndef FBC_COMMANDS_H
#define FBC_COMMANDS_H

#include <stdio.h>

#include <feedback/feedback.h>

typedef struct fbc_command {
    const char *name;
    const char *synopsis;              /* one line for the command list */
    int (*run)(int argc, char **argv); /* returns the exit code */
    void (*help)(FILE *out);           /* prints the command's full help */
} fbc_command;

int fbc_convert_main(int argc, char **argv);
void fbc_convert_help(FILE *out);

int fbc_validate_main(int argc, char **argv);
void fbc_validate_help(FILE *out);

int fbc_stats_main(int argc, char **argv);
void fbc_stats_help(FILE *out);

int fbc_import_main(int argc, char **argv);
void fbc_import_help(FILE *out);

int fbc_cat_main(int argc, char **argv);
void fbc_cat_help(FILE *out);

int fbc_verify_main(int argc, char **argv);
void fbc_verify_help(FILE *out);

int fbc_recover_main(int argc, char **argv);
void fbc_recover_help(FILE *out);

int fbc_info_main(int argc, char **argv);
void fbc_info_help(FILE *out);

int fbc_report_main(int argc, char **argv);
void fbc_report_help(FILE *out);

int fbc_filter_main(int argc, char **argv);
void fbc_filter_help(FILE *out);

int fbc_alerts_main(int argc, char **argv);
void fbc_alerts_help(FILE *out);

/* The exit status paragraph every help text ends with. */
void fbc_print_exit_codes(FILE *out);

/* ------------------------------------------------------------------ */
/* Shared by the log commands (import, cat, verify, recover, info);     */
/* defined in cmd_verify.c.                                             */
/* ------------------------------------------------------------------ */

/* Damage met in one log, counted as it is reported. */
typedef struct fbc_damage {
    const char *name;       /* the log, for messages */
    uint64_t regions;
    uint64_t bytes;
    uint64_t records_lost;  /* where known */
    uint64_t unknown;       /* regions whose loss is not known */
} fbc_damage;

/* Starts counting the damage of the log called name. */
void fbc_damage_init(fbc_damage *d, const char *name);

/*
 * An fb_log_damage_fn (ctx: an fbc_damage): prints
 * "LOG: offset N: message (K bytes, R records lost)" on stderr and counts it.
 */
void fbc_damage_report(void *ctx, const fb_log_damage *d);

/*
 * Reports a log that cannot be opened (fb_log_reader_open, fb_log_writer_open,
 * fb_log_info_read failed with st) and returns the exit code it deserves:
 * 3 for I/O, memory, a file that is not a log or a newer format; 1 for a
 * damaged file header.
 */
int fbc_log_open_failed(const char *name, fb_status st, const fb_error *err);

/* Parses a time option (ISO 8601) into *out; returns 0, or 2 after a usage error headed by prog. */
int fbc_parse_time_option(const char *prog, const char *option, const char *value, fb_time *out);

/* Parses a whole number in [min, max] for an option; returns 0, or 2 after a usage error. */
int fbc_parse_uint_option(const char *prog, const char *option, const char *value,
                          unsigned long min, unsigned long max, unsigned long *out);

#endif
