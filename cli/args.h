/*
 * A small option parser for the feedback tools.
 *
 * Long options ("--from csv", "--from=csv"), one-letter aliases ("-o FILE",
 * "-oFILE"), options anywhere among the operands, "--" to end them, and "-"
 * alone as an operand (standard input or output). Unknown options, missing
 * values and values given to flags are usage errors, reported on stderr.
 */
#ifndef FBC_ARGS_H
#define FBC_ARGS_H

#include <stddef.h>

typedef enum fbc_opt_kind {
    FBC_OPT_FLAG = 0,   /* no value: sets *flag to 1 */
    FBC_OPT_VALUE = 1,  /* takes a value: sets *value (a pointer into argv) */
    FBC_OPT_LIST = 2    /* may be repeated: value[(*flag)++] gets each, up to FBC_OPT_LIST_MAX */
} fbc_opt_kind;

/* How many values an FBC_OPT_LIST option takes: its value array has room for them. */
#define FBC_OPT_LIST_MAX 32

typedef struct fbc_option {
    const char *name;     /* long name without the dashes, e.g. "from" */
    char short_name;      /* one-letter alias, or 0 */
    fbc_opt_kind kind;
    int *flag;            /* FBC_OPT_FLAG; FBC_OPT_LIST: how many values were given */
    const char **value;   /* FBC_OPT_VALUE (a repeated option keeps the last value);
                             FBC_OPT_LIST: an array of FBC_OPT_LIST_MAX */
} fbc_option;

/*
 * Parses the argc words at argv (those after the program or command name)
 * against n_opts options. The operands, in order, are moved to
 * argv[0 .. *n_operands); the strings themselves are not copied.
 * Returns 0, or 2 (the usage exit code) after printing the problem and a
 * hint naming `prog` (e.g. "feedback convert") on stderr.
 */
int fbc_args_parse(const char *prog, int argc, char **argv,
                   const fbc_option *opts, size_t n_opts, int *n_operands);

/* Prints "PROG: MESSAGE" and the --help hint on stderr; returns 2. */
int fbc_usage_error(const char *prog, const char *message, const char *detail);

#endif
