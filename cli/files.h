/*
 * Opening the files the feedback tool reads and writes.
 *
 * Inputs are read through fb_io_reader_open_callback from a FILE the tool
 * opens itself, so that "-" can be standard input and --from can override
 * the extension. Outputs go to a temporary file beside the target, renamed
 * over it only when everything was written ("-" writes to standard output).
 */
#ifndef FBC_FILES_H
#define FBC_FILES_H

#include <stdio.h>

#include <feedback/feedback.h>

/*
 * Picks the format of path: the format named by `given` (the value of
 * option --from or --to) when not NULL, otherwise the one its extension
 * names. Returns 0, or 2 after printing a usage error headed by prog.
 */
int fbc_pick_format(const char *prog, const char *path, const char *given, const char *option,
                    fb_format *out);

/*
 * Picks the format of an output path written like an input in format in:
 * --to's when `to` is not NULL, else its extension's, else in's, which
 * must be known (an input from standard input without --from is not, until
 * read). Returns 0, or 2 after printing a usage error headed by prog.
 */
int fbc_pick_output_format(const char *prog, const char *path, const char *to, fb_format in,
                           fb_format *out);

typedef struct fbc_input {
    const char *path;      /* as given; "-" is standard input */
    const char *name;      /* for messages */
    FILE *fp;
    int read_errno;        /* errno of a failed read, or 0 */
    fb_io_reader *reader;
    uint64_t bad_seen;     /* bad rows already reported through the callback */
} fbc_input;

/*
 * Opens path for reading in format, reporting every bad row on stderr.
 * Returns 0, or 3 after printing why the file cannot be opened.
 */
int fbc_input_open(fbc_input *in, const char *path, fb_format format, fb_on_error policy);

/*
 * Reads the next record. Returns 1 with *rec set, 0 at the end of the input,
 * or -1 when reading stops (a bad row under FB_ON_ERROR_STOP, a bad header,
 * a read error), after the problem has been reported; *code is then the
 * exit code it deserves (1 for data, 3 for I/O and memory).
 */
int fbc_input_next(fbc_input *in, const fb_record **rec, int *code);

/* Records read, bad rows met. */
uint64_t fbc_input_records(const fbc_input *in);
uint64_t fbc_input_bad_rows(const fbc_input *in);

/* Closes the reader and the file (not standard input). */
void fbc_input_close(fbc_input *in);

typedef struct fbc_output {
    const char *path;      /* as given; "-" is standard output */
    const char *name;      /* for messages */
    FILE *fp;
    char *tmp_path;        /* the temporary file beside path; NULL for standard output */
    int write_errno;       /* errno of a failed write, or 0 */
    fb_io_writer *writer;
} fbc_output;

/* Starts writing path in format. Returns 0, or 3 after printing the problem. */
int fbc_output_open(fbc_output *out, const char *path, fb_format format);

/* The same with n_extra columns of the tool's own after the fields (fb_io_writer_options). */
int fbc_output_open_extra(fbc_output *out, const char *path, fb_format format,
                          const char *const *extra, size_t n_extra);

/*
 * Writes rec, read from line `line` of in_name. Returns 0, or the exit code
 * after printing the problem (3 for a write error).
 */
int fbc_output_write(fbc_output *out, const fb_record *rec, const char *in_name, uint64_t line);

/* The same with the values of the extra columns (NULL: all empty). */
int fbc_output_write_extra(fbc_output *out, const fb_record *rec, const fb_str *values,
                           const char *in_name, uint64_t line);

/*
 * rec without its attributes named key, ignoring ASCII case (the tool's own
 * column from an earlier run, which the new value replaces): rec itself
 * when it has none, else *copy, whose attributes are in attrs (room for
 * FB_MAX_ATTRS).
 */
const fb_record *fbc_without_attr(const fb_record *rec, const char *key, fb_record *copy,
                                  fb_attr *attrs);

/*
 * Finishes: flushes, syncs and closes the temporary file and renames it over
 * path (or flushes standard output). Returns 0, or 3 after printing the
 * problem, in which case the temporary file is gone and path is untouched.
 */
int fbc_output_commit(fbc_output *out);

/* Gives up: closes and removes the temporary file; path is untouched. */
void fbc_output_abort(fbc_output *out);

/*
 * "dir/name" -> "dir/.name.XXXXXX": a temporary name beside path, for
 * mkstemp, so that a rename over path stays on one file system. Free it.
 */
char *fbc_temp_name(const char *path);

/*
 * Creates a new, empty temporary file beside path (fbc_temp_name), with the
 * mode a new file would get; *tmp gets its name (the caller frees it).
 * Returns its open descriptor, or -1 after reporting the error under name.
 */
int fbc_make_temp(const char *path, const char *name, char **tmp);

#endif
