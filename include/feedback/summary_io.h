/*
 * libfeedback: summaries of files. Reads a binary log, or a CSV or JSON
 * Lines file, into a summary, with the reading options of each kind of file
 * in one struct. A log is read as columns, only those the summary needs.
 */
#ifndef FEEDBACK_SUMMARY_IO_H
#define FEEDBACK_SUMMARY_IO_H

#include "common.h"
#include "filter.h"
#include "io.h"
#include "log.h"
#include "summary.h"

FB_BEGIN_DECLS

typedef struct fb_summary_input {
    fb_io_reader_options text;  /* for CSV and JSON Lines: format (FB_FORMAT_AUTO), bad rows */
    fb_log_reader_options log;  /* for logs: time range, damage; its fields are chosen here */
    /*
     * NULL (the default): every record counts. Else each record is judged by
     * this chain (borrowed) and counts only when not dropped; the chain's
     * counts and alerts see every record. A log is then read whole, as the
     * filters need every field.
     */
    fb_filter_chain *relevance;
    uint64_t records;           /* out: the records read into the summary */
} fb_summary_input;

/* The defaults: FB_FORMAT_AUTO, stop at the first bad row, every time, tolerate damage. */
FB_API void fb_summary_input_init(fb_summary_input *in);

/*
 * Adds every record of the file at path to s: a binary log when the file
 * starts with the log's magic and text.format is FB_FORMAT_AUTO, else CSV
 * or JSON Lines as text.format says. in may be NULL for the defaults.
 * Every record counts, or with in->relevance those the chain does not drop.
 * Errors: those of fb_io_reader_open/_next and fb_log_reader_open/_next
 * (err names the file), of fb_summary_add_batch, and FB_ERR_NOMEM of
 * fb_filter_chain_evaluate. Records read before an error stay in s;
 * in->records says how many.
 */
FB_API fb_status fb_summary_add_path(fb_summary *s, const char *path, fb_summary_input *in,
                                     fb_error *err);

FB_END_DECLS

#endif /* FEEDBACK_SUMMARY_IO_H */
