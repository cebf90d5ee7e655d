/*
 * libfeedback: summaries of files. Reads a binary log, or a CSV or JSON
 * Lines file, into a summary, with the reading options of each kind of file
 * in one struct. A log is read as columns, only those the summary needs.
 */
#ifndef FEEDBACK_SUMMARY_IO_H
#define FEEDBACK_SUMMARY_IO_H

#include "common.h"
#include "io.h"
#include "log.h"
#include "summary.h"

FB_BEGIN_DECLS

typedef struct fb_summary_input {
    fb_io_reader_options text;  /* for CSV and JSON Lines: format (FB_FORMAT_AUTO), bad rows */
    fb_log_reader_options log;  /* for logs: time range, damage; its fields are chosen here */
    uint64_t records;           /* out: the records read into the summary */
} fb_summary_input;

/* The defaults: FB_FORMAT_AUTO, stop at the first bad row, every time, tolerate damage. */
FB_API void fb_summary_input_init(fb_summary_input *in);

/*
 * Adds every record of the file at path to s: a binary log when the file
 * starts with the log's magic and text.format is FB_FORMAT_AUTO, else CSV
 * or JSON Lines as text.format says. in may be NULL for the defaults. Every
 * record counts (include = true): a caller that filters adds records itself.
 * Errors: those of fb_io_reader_open/_next and fb_log_reader_open/_next
 * (err names the file), and of fb_summary_add_batch. Records read before an
 * error stay in s; in->records says how many.
 */
FB_API fb_status fb_summary_add_path(fb_summary *s, const char *path, fb_summary_input *in,
                                     fb_error *err);

FB_END_DECLS

#endif /* FEEDBACK_SUMMARY_IO_H */
