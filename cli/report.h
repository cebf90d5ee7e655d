/*
 * Exit codes and error messages of the feedback tool.
 *
 * Errors go to stderr as "FILE:LINE: MESSAGE" when they have a line, and as
 * "feedback: FILE: MESSAGE" when they do not. Standard input and output are
 * named "<stdin>" and "<stdout>".
 */
#ifndef FBC_REPORT_H
#define FBC_REPORT_H

#include <feedback/feedback.h>

#define FBC_EXIT_OK 0       /* success */
#define FBC_EXIT_DATA 1     /* bad rows (data errors) found */
#define FBC_EXIT_USAGE 2    /* the command line is wrong */
#define FBC_EXIT_FAILURE 3  /* I/O or other failure: cannot open, write error, out of memory */

#if defined(__GNUC__)
#define FBC_PRINTF(fmt_index, first_arg) __attribute__((format(printf, fmt_index, first_arg)))
#else
#define FBC_PRINTF(fmt_index, first_arg)
#endif

/* The name to show for a path given on the command line: "-" is "<stdin>" or "<stdout>". */
const char *fbc_input_name(const char *path);
const char *fbc_output_name(const char *path);

/* Prints err about file: "FILE:LINE: MESSAGE", or "feedback: FILE: MESSAGE" when err->line is 0. */
void fbc_report(const char *file, const fb_error *err);

/* Prints "feedback: FILE: MESSAGE" (file may be NULL: "feedback: MESSAGE"). */
void fbc_errorf(const char *file, const char *fmt, ...) FBC_PRINTF(2, 3);

/* The exit code for a failed status: 3 for I/O, memory and argument failures, 1 for data errors. */
int fbc_exit_code(fb_status st);

/* The more serious of two exit codes. */
int fbc_worse(int a, int b);

#endif
