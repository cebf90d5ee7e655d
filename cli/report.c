#include "report.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *fbc_input_name(const char *path)
{
    return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

const char *fbc_output_name(const char *path)
{
    return strcmp(path, "-") == 0 ? "<stdout>" : path;
}

void fbc_report(const char *file, const fb_error *err)
{
    const char *msg = err->message[0] ? err->message : fb_status_str(err->code);
    if (err->line > 0)
        fprintf(stderr, "%s:%llu: %s\n", file, (unsigned long long)err->line, msg);
    else
        fprintf(stderr, "feedback: %s: %s\n", file, msg);
}

void fbc_errorf(const char *file, const char *fmt, ...)
{
    va_list ap;
    fputs("feedback: ", stderr);
    if (file)
        fprintf(stderr, "%s: ", file);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int fbc_exit_code(fb_status st)
{
    switch (st) {
    case FB_OK:
    case FB_DONE:
        return FBC_EXIT_OK;
    case FB_ERR_IO:
    case FB_ERR_NOMEM:
    case FB_ERR_INVALID_ARG:
        return FBC_EXIT_FAILURE;
    default:
        return FBC_EXIT_DATA;
    }
}

int fbc_worse(int a, int b)
{
    return a > b ? a : b;
}
