/* The subcommands of the feedback tool: each takes the words after its name. */
#ifndef FBC_COMMANDS_H
#define FBC_COMMANDS_H

#include <stdio.h>

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

/* The exit status paragraph every help text ends with. */
void fbc_print_exit_codes(FILE *out);

#endif
