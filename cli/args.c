#include "args.h"

#include <stdio.h>
#include <string.h>

int fbc_usage_error(const char *prog, const char *message, const char *detail)
{
    if (detail)
        fprintf(stderr, "%s: %s '%s'\n", prog, message, detail);
    else
        fprintf(stderr, "%s: %s\n", prog, message);
    fprintf(stderr, "Try '%s --help' for more information.\n", prog);
    return 2;
}

static const fbc_option *find_long(const fbc_option *opts, size_t n, const char *name, size_t len)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (strlen(opts[i].name) == len && memcmp(opts[i].name, name, len) == 0)
            return &opts[i];
    return NULL;
}

static const fbc_option *find_short(const fbc_option *opts, size_t n, char c)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (opts[i].short_name != 0 && opts[i].short_name == c)
            return &opts[i];
    return NULL;
}

int fbc_args_parse(const char *prog, int argc, char **argv,
                   const fbc_option *opts, size_t n_opts, int *n_operands)
{
    int r, w = 0;
    int options_done = 0;

    for (r = 0; r < argc; r++) {
        char *arg = argv[r];
        const fbc_option *opt;
        const char *value = NULL;

        if (options_done || arg[0] != '-' || arg[1] == '\0') {
            argv[w++] = arg; /* an operand; "-" is one too */
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            options_done = 1;
            continue;
        }
        if (arg[1] == '-') {
            const char *name = arg + 2;
            const char *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            opt = find_long(opts, n_opts, name, len);
            if (!opt) {
                char shown[64];
                snprintf(shown, sizeof shown, "--%.*s", (int)(len < 40 ? len : 40), name);
                return fbc_usage_error(prog, "unknown option", shown);
            }
            if (eq) {
                if (opt->kind == FBC_OPT_FLAG)
                    return fbc_usage_error(prog, "this option takes no value:", arg);
                value = eq + 1;
            }
        } else {
            char shown[3] = {'-', arg[1], '\0'};
            opt = find_short(opts, n_opts, arg[1]);
            if (!opt)
                return fbc_usage_error(prog, "unknown option", shown);
            if (arg[2] != '\0') {
                if (opt->kind == FBC_OPT_FLAG)
                    return fbc_usage_error(prog, "this option takes no value:", arg);
                value = arg + 2;
            }
        }

        if (opt->kind == FBC_OPT_FLAG) {
            *opt->flag = 1;
            continue;
        }
        if (!value) {
            if (r + 1 >= argc) {
                char shown[64];
                snprintf(shown, sizeof shown, "--%s", opt->name);
                return fbc_usage_error(prog, "option needs a value:", shown);
            }
            value = argv[++r];
        }
        if (opt->kind == FBC_OPT_LIST) {
            char shown[64];
            if (*opt->flag >= FBC_OPT_LIST_MAX) {
                snprintf(shown, sizeof shown, "--%s (at most %d)", opt->name, FBC_OPT_LIST_MAX);
                return fbc_usage_error(prog, "option given too often:", shown);
            }
            opt->value[(*opt->flag)++] = value;
            continue;
        }
        *opt->value = value;
    }
    *n_operands = w;
    return 0;
}
