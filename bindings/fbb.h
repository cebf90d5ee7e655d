/*
 * What the SWIG interface (feedback.i) wraps beyond the public headers: a
 * few handles shaped for scripting languages, and accessors that hand out
 * one plain value at a time, so that SWIG's own typemaps carry them to
 * Python and Lua alike and only records, errors and buffers need code of
 * each language.
 *
 * Every handle stays valid after close(): a closed handle refuses every
 * call with FB_ERR_INVALID_ARG ("... is closed") instead of crashing, and
 * is freed when the language collects it. Functions that can fail take an
 * fb_error last, which the interface turns into an exception or a Lua error.
 */
#ifndef FBB_H
#define FBB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <feedback/feedback.h>

/* Fills err (when not NULL) with code and a message; returns code. */
fb_status fbb_fail(fb_error *err, fb_status code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Returns from the calling function when expr fails. */
#define FBB_TRY(expr)                   \
    do {                                \
        fb_status fbb_st_ = (expr);     \
        if (fbb_st_ < 0)                \
            return fbb_st_;             \
    } while (0)

/* ---------------------------------------------------------------- records */

/*
 * Room for a record a language builds: its lists live here, its strings in
 * the language's own objects for as long as the call that takes it.
 */
typedef struct fbb_record_buf {
    fb_record r;
    fb_answer answers[FB_MAX_ANSWERS];
    fb_str tags[FB_MAX_TAGS];
    fb_attr attrs[FB_MAX_ATTRS];
} fbb_record_buf;

/* ---------------------------------------------------------------- reading */

/* Any file of records: a binary log, CSV or JSON Lines. */
typedef struct fbb_reader {
    fb_log_reader *log;
    fb_io_reader *text;
    fb_time from, to;          /* text: the time range, applied here (a log applies its own) */
    uint64_t records;
    fb_log_damage *damage;     /* the first FBB_MAX_DAMAGE regions met */
    size_t n_damage;
    uint64_t damaged_regions;  /* all of them */
    fb_error *bad;             /* the first FBB_MAX_DAMAGE bad rows skipped */
    size_t n_bad;
    /* A log's, for readers of its parts (fbb_reader_open_part): */
    char *path;
    uint64_t size;             /* its size when opened (UINT64_MAX: not known) */
    uint64_t file_id[2];       /* and which file it was: device, inode */
    unsigned fields;
    bool strict;
    bool started;              /* a record was asked for: the parts would repeat it */
    bool drained;              /* its parts were read: nothing is left */
    bool closed;
} fbb_reader;

/* How many damaged regions and bad rows a reader keeps to tell (it counts them all). */
#define FBB_MAX_DAMAGE 64

/*
 * Opens path: a log when format is NULL or "auto" and the file is one, else
 * CSV or JSON Lines ("csv", "jsonl"; NULL: by extension or content); format
 * "log" opens a log or fails (FB_ERR_FORMAT for another file). fields:
 * FB_LOG_FIELD_* bits a log decodes (0: all); from, to: created_at in
 * [from, to) (FB_TIME_UNKNOWN: no bound); skip_bad: text rows
 * that are bad are skipped (and counted) instead of stopping; strict: a
 * log's damage stops instead of being skipped (and reported).
 */
fbb_reader *fbb_reader_open(const char *path, const char *format, unsigned fields,
                            fb_time from, fb_time to, bool skip_bad, bool strict, fb_error *err);

/* The next record into *rec (owned by the reader, valid until its next call); NULL at the end. */
fb_status fbb_reader_next(fbb_reader *r, const fb_record **rec, fb_error *err);

/*
 * Records returned, bad rows skipped, damaged regions met; the first
 * FBB_MAX_DAMAGE of each are kept to tell.
 */
uint64_t fbb_reader_records(const fbb_reader *r);
uint64_t fbb_reader_bad_rows(const fbb_reader *r);
uint64_t fbb_reader_damaged_regions(const fbb_reader *r);
size_t fbb_reader_damage_count(const fbb_reader *r);
fb_status fbb_reader_damage_at(const fbb_reader *r, size_t i, fb_log_damage *out, fb_error *err);
size_t fbb_reader_bad_row_count(const fbb_reader *r);
fb_status fbb_reader_bad_row_at(const fbb_reader *r, size_t i, fb_error *out, fb_error *err);

/*
 * Whether r is a log not read from yet, which readers of its parts
 * (fbb_reader_open_part) can read instead, side by side: its path still
 * names the file r opened (not one moved there since).
 */
bool fbb_reader_can_split(const fbb_reader *r);
/*
 * A reader, with r's options, of the chunks of r's log that start in
 * [start, end) (fb_log_reader_open_range), for a caller that found
 * fbb_reader_can_split(r); the parts [0, a), [a, b) ... [z, r->size) hold
 * every record once. NULL on error (err set). Each part
 * keeps what it met; fbb_reader_absorb hands it to r.
 */
fbb_reader *fbb_reader_open_part(const fbb_reader *r, uint64_t start, uint64_t end,
                                 fb_error *err);
/*
 * Adds what part met (records, damage) to r, as if r had read it: absorb
 * the parts in file order, then r is at the end of its log.
 */
void fbb_reader_absorb(fbb_reader *r, const fbb_reader *part);

/* Closes the file; the handle stays, refusing every call. */
void fbb_reader_close(fbb_reader *r);
void fbb_reader_free(fbb_reader *r);

/* ---------------------------------------------------------------- writing */

/* A log, CSV or JSON Lines writer. */
typedef struct fbb_writer {
    fb_log_writer *log;
    fb_io_writer *text;
    bool closed;
} fbb_writer;

/*
 * Opens path for writing: format "log" (created, or appended to after its
 * last intact chunk), "csv" or "jsonl" (created or truncated); NULL: CSV or
 * JSON Lines by the extension, else a log. level: the log's deflate level
 * (-1: the default); chunk_records: records a chunk (0: the default).
 */
fbb_writer *fbb_writer_open(const char *path, const char *format, int level,
                            unsigned chunk_records, fb_error *err);
fb_status fbb_writer_write(fbb_writer *w, const fb_record *r, fb_error *err);
/* A log: ends the current chunk, and with sync, fsyncs. Text: nothing to do. */
fb_status fbb_writer_flush(fbb_writer *w, bool sync, fb_error *err);
fb_status fbb_writer_close(fbb_writer *w, fb_error *err);
void fbb_writer_free(fbb_writer *w);

/* ---------------------------------------------------------------- columns */

/*
 * The records of a reader as columns, for data frames: numbers as arrays,
 * enumerations as their codes, strings (texts too) as codes into a
 * dictionary of the column's values (distinct ones, but see
 * FBB_TYPE_STRINGS), so that a language makes one object per value in the
 * dictionary, not per row; answers as one column per
 * built-in metric (NaN: no answer or skipped); tags and attributes as codes
 * into the column's distinct lists, whose items are codes into the column's
 * dictionary. Which columns are filled follows the reader's fields.
 */
typedef enum fbb_column {
    FBB_COL_ID, FBB_COL_KIND, FBB_COL_CREATED_AT, FBB_COL_INTERACTION_AT,
    FBB_COL_CUSTOMER_ID, FBB_COL_CUSTOMER_STATUS, FBB_COL_CUSTOMER_VERIFIED, FBB_COL_WIN_BACK,
    FBB_COL_CHANNEL, FBB_COL_SOURCE, FBB_COL_TEXT, FBB_COL_LANGUAGE, FBB_COL_TAGS,
    FBB_COL_AGENT_ID, FBB_COL_TICKET_ID, FBB_COL_PRODUCT, FBB_COL_COUNTRY, FBB_COL_TIP,
    FBB_COL_TIP_CURRENCY, FBB_COL_ATTRIBUTES, FBB_COL_REF_ID, FBB_COL_HANDLING,
    FBB_COL_ASSIGNEE, FBB_COL_ASSIGNEE_KIND,
    FBB_COL_METRIC0,                                    /* + m: built-in metric m's scores */
    FBB_COL_COUNT = FBB_COL_METRIC0 + FB_SUMMARY_METRICS
} fbb_column;

/* How a column is kept: what its data (fbb_columns_data) holds. */
typedef enum fbb_column_type {
    FBB_TYPE_U64,      /* uint64_t values */
    FBB_TYPE_I64,      /* int64_t values (times: ms, FB_TIME_UNKNOWN for none) */
    FBB_TYPE_F64,      /* double */
    FBB_TYPE_U8,       /* enumeration codes, booleans (0, 1) */
    FBB_TYPE_DICT,     /* int32 codes into the dictionary, -1 for none (""): a categorical */
    /*
     * int32 codes into the dictionary, -1 for none (""), for strings that
     * rows share rather than categories (customer and ticket ids): a value
     * may stand in the dictionary more than once (once a part of a log read
     * in parts), so equal codes mean equal strings but not the reverse.
     */
    FBB_TYPE_STRINGS,
    FBB_TYPE_TEXT,     /* the same, "" a value, not none: texts (many repeat: "", stock phrases) */
    FBB_TYPE_LIST,     /* int32 codes into the lists; their items: codes into the dictionary */
    FBB_TYPE_PAIRS     /* the same, the items by pairs: a key's code, then its value's */
} fbb_column_type;

typedef struct fbb_columns fbb_columns;

/*
 * Reads every record left in r into columns; wanted: bits 1 << fbb_column
 * of the columns to fill (the others stay empty), a column of a log field
 * the reader did not decode holding its defaults. A log not read from yet
 * is read in parts side by side on up to threads threads (0: one a core;
 * 1: none but the caller's), each part at least a few MB; the result is
 * the same. NULL on error (err set: the reader's errors, FB_ERR_NOMEM);
 * free the result with fbb_columns_free.
 */
fbb_columns *fbb_columns_read(fbb_reader *r, uint64_t wanted, unsigned threads, fb_error *err);
/*
 * The same, but the columns of numbers (fbb_column_is_number) of a log read
 * in parts may still be being joined on another thread when it returns, so
 * that a language makes its objects of the strings and lists, which are
 * whole, meanwhile: call fbb_columns_settle before reading a number column
 * (fbb_columns_take does; fbb_columns_data does not).
 */
fbb_columns *fbb_columns_read_early(fbb_reader *r, uint64_t wanted, unsigned threads,
                                    fb_error *err);
/* Waits for the joining fbb_columns_read_early left running; -1 if it ran out of memory. */
int fbb_columns_settle(fbb_columns *c);
void fbb_columns_free(fbb_columns *c);
/* U64, I64, F64, U8: a column of numbers, not of codes into strings or lists. */
bool fbb_column_is_number(fbb_column col);

size_t fbb_columns_rows(const fbb_columns *c);
bool fbb_columns_has(const fbb_columns *c, fbb_column col);
fbb_column_type fbb_column_type_of(fbb_column col);
const char *fbb_column_name(fbb_column col);

/*
 * The array of a column (see fbb_column_type), owned by c; *bytes: its size
 * (0, and a pointer not to read, for a column not filled or taken).
 */
const void *fbb_columns_data(const fbb_columns *c, fbb_column col, size_t *bytes);

/* A growable array of bytes: len of them at data; all zeros is an empty one. */
typedef struct fbb_buf {
    char *data;
    size_t len, cap;
} fbb_buf;

/* Frees what b holds, leaving it empty. */
void fbb_buf_free(fbb_buf *b);

/*
 * Hands the array of a column over to the caller, who frees it with
 * fbb_buf_free; the column is left empty (and so is the result when it
 * was already).
 */
fbb_buf fbb_columns_take(fbb_columns *c, fbb_column col);
/* DICT, STRINGS, TEXT, LIST, PAIRS: the strings, by code (see fbb_column_type); owned by c. */
size_t fbb_columns_dict_size(const fbb_columns *c, fbb_column col);
fb_str fbb_columns_dict_at(const fbb_columns *c, fbb_column col, size_t code);
/*
 * LIST, PAIRS: how many distinct lists; list code's items (codes into the
 * dictionary), *n of them, owned by c; NULL and *n 0 beyond the last.
 */
size_t fbb_columns_lists(const fbb_columns *c, fbb_column col);
const int32_t *fbb_columns_list_at(const fbb_columns *c, fbb_column col, size_t code, size_t *n);

/* ---------------------------------------------------------------- relevance */

/* A filter chain with the default filters, its alerts, and the last verdict. */
typedef struct fbb_chain {
    fb_filter_chain *chain;
    fb_filter_policies policies;
    bool built;                 /* the filters are added: policies are fixed */
    fb_action action[FB_REASON_COUNT];
    bool action_set[FB_REASON_COUNT];
    fb_verdict verdict;         /* of the last record */
    fb_record last;             /* its fields an explanation reads; its text copied: */
    char *text;
    size_t text_cap;
    char explained[1024];       /* the last explanation */
    uint64_t alerts_hit;        /* bits: the alerts the last record matched */
    fb_alert_rule *rules;
    size_t n_rules;
    bool closed;
} fbb_chain;

fbb_chain *fbb_chain_new(fb_error *err);
/* Policies, before the first evaluation (later: FB_ERR_INVALID_ARG). Days and 0..1. */
fb_status fbb_chain_set_recency(fbb_chain *c, double max_age_days, double max_delay_days,
                                fb_time now, fb_error *err);
fb_status fbb_chain_set_customers(fbb_chain *c, bool require_verified, fb_error *err);
fb_status fbb_chain_set_abuse_threshold(fbb_chain *c, double threshold, fb_error *err);
/* The action of reason name ("keep", "flag", "drop"). */
fb_status fbb_chain_set_action(fbb_chain *c, const char *reason, const char *action,
                               fb_error *err);
/* A rule (fb_alert_rule_parse) whose matches evaluations report; returns its index. */
int fbb_chain_add_alert(fbb_chain *c, const char *rule, fb_error *err);
/* Words for the abuse detector. kind: "word", "root", "exception"; category: "obscenity", ... */
fb_status fbb_chain_add_word(fbb_chain *c, const char *kind, const char *category,
                             const char *word, fb_error *err);

/* Adds the filters with the policies set so far (the first evaluation does it too). */
fb_status fbb_chain_ready(fbb_chain *c, fb_error *err);

/* Judges r; then the accessors below read its verdict. */
fb_status fbb_chain_evaluate(fbb_chain *c, const fb_record *r, fb_error *err);
const char *fbb_chain_action(const fbb_chain *c);           /* "keep", "flag", "drop" */
uint32_t fbb_chain_reasons(const fbb_chain *c, int action); /* bits of the reasons with action */
double fbb_chain_abuse_score(const fbb_chain *c);
uint64_t fbb_chain_duplicate_of(const fbb_chain *c);
size_t fbb_chain_span_count(const fbb_chain *c);
fb_status fbb_chain_span_at(const fbb_chain *c, size_t i, fb_verdict_span *out, fb_error *err);
bool fbb_chain_alert_hit(const fbb_chain *c, int alert);
size_t fbb_chain_alert_count(const fbb_chain *c);
const char *fbb_chain_alert_text(const fbb_chain *c, int alert);
/* The explanation of the last verdict, in buf (owned by c until the next call). */
const char *fbb_chain_explain(fbb_chain *c);
void fbb_chain_counts(const fbb_chain *c, fb_filter_counts *out);
const char *fbb_chain_counts_explain(fbb_chain *c);
void fbb_chain_close(fbb_chain *c);
void fbb_chain_free(fbb_chain *c);

/* ---------------------------------------------------------------- summaries */

typedef struct fbb_summary {
    fb_summary *s;
    fb_leader *leaders;
    size_t n_leaders;
    fb_change *changes;
    size_t n_changes, n_tests;
    fb_term_stat *terms;
    size_t n_terms;
    fb_correlation *correlations;
    size_t n_correlations;
    bool closed;
} fbb_summary;

/*
 * A summary by the dimensions of by ("channel,agent"; NULL or "": none), by
 * period ("month"; NULL: none), of attr's values when by names attribute, at
 * the confidence level (0: 0.95) and UTC offset, with comment terms and
 * correlations.
 */
fbb_summary *fbb_summary_new(const char *by, const char *period, const char *attr, double level,
                             int utc_offset_minutes, fb_error *err);
fb_status fbb_summary_add(fbb_summary *s, const fb_record *r, bool include, fb_error *err);
/* Every record of path (summary_io.h); with chain, only those it does not drop. Returns them. */
uint64_t fbb_summary_add_path(fbb_summary *s, const char *path, fbb_chain *chain,
                              fb_error *err);
fb_status fbb_summary_merge(fbb_summary *dst, const fbb_summary *src, fb_error *err);

size_t fbb_summary_count(const fbb_summary *s, fb_error *err);
/* Group i, or -1: the total. Its strings are the summary's. */
const fb_summary_group *fbb_summary_group(fbb_summary *s, long i, fb_error *err);
/* A copy of it, for the languages (its strings still the summary's: read them at once). */
fb_status fbb_summary_group_get(fbb_summary *s, long i, fb_summary_group *out, fb_error *err);
unsigned fbb_summary_dims(const fbb_summary *s);
const char *fbb_summary_period(const fbb_summary *s);
/* Metric m's headline in group i (-1: the total), and its unit ("points", "share", "score"). */
fb_status fbb_summary_headline(fbb_summary *s, long i, fb_metric m, fb_estimate *out,
                               fb_error *err);
const char *fbb_summary_unit(const fbb_summary *s, fb_metric m);
/* The full result of metric m in group i (-1: the total). */
fb_status fbb_summary_nps(fbb_summary *s, long i, fb_nps_result *out, fb_error *err);
fb_status fbb_summary_csat(fbb_summary *s, long i, fb_csat_result *out, fb_error *err);
fb_status fbb_summary_ces(fbb_summary *s, long i, fb_ces_result *out, fb_error *err);
fb_status fbb_summary_cli(fbb_summary *s, long i, fb_cli_result *out, fb_error *err);
fb_status fbb_summary_gcr(fbb_summary *s, long i, fb_gcr_result *out, fb_error *err);
fb_status fbb_summary_rating(fbb_summary *s, long i, fb_rating_result *out, fb_error *err);
fb_status fbb_summary_compare(fbb_summary *s, long a, long b, fb_metric m, fb_comparison *out,
                              fb_error *err);
/*
 * Computes a list, then its items are read one by one (until the next list
 * of its kind); an index past the end is FB_ERR_RANGE.
 */
size_t fbb_summary_leaderboard(fbb_summary *s, fb_metric m, uint64_t min_n, fb_error *err);
fb_status fbb_summary_leader_at(const fbb_summary *s, size_t k, fb_leader *out, fb_error *err);
size_t fbb_summary_changes(fbb_summary *s, fb_metric m, double alpha, double min_effect,
                           uint64_t min_n, fb_error *err);
fb_status fbb_summary_change_at(const fbb_summary *s, size_t k, fb_change *out, fb_error *err);
size_t fbb_summary_change_tests(const fbb_summary *s);
size_t fbb_summary_terms(fbb_summary *s, long i, size_t max, bool by_lift,
                         uint64_t min_comments, fb_error *err);
fb_status fbb_summary_term_at(const fbb_summary *s, size_t k, fb_term_stat *out, fb_error *err);
size_t fbb_summary_correlations(fbb_summary *s, long i, fb_error *err);
fb_status fbb_summary_correlation_at(const fbb_summary *s, size_t k, fb_correlation *out,
                                     fb_error *err);
void fbb_summary_close(fbb_summary *s);
void fbb_summary_free(fbb_summary *s);

/* ---------------------------------------------------------------- metrics of scores */

/*
 * The result of metric m over scores (NaN: a skipped answer, counted as
 * skipped), at the confidence level (0: 0.95). Errors: FB_ERR_RANGE (a
 * score outside the metric's scale, with its index), FB_ERR_INVALID_ARG.
 */
fb_status fbb_nps(const double *scores, size_t n, double level, fb_nps_result *out,
                  fb_error *err);
fb_status fbb_csat(const double *scores, size_t n, double level, fb_csat_result *out,
                   fb_error *err);
fb_status fbb_ces(const double *scores, size_t n, double level, bool legacy, fb_ces_result *out,
                  fb_error *err);
fb_status fbb_gcr(const double *scores, size_t n, double level, fb_gcr_result *out,
                  fb_error *err);
fb_status fbb_rating(const double *scores, size_t n, double level, double prior_weight,
                     double prior_mean, fb_rating_result *out, fb_error *err);

/* ---------------------------------------------------------------- names and times */

/* Value of name in enumeration e ("channel", "customer_status", ...). */
int fbb_enum_value(const char *field, const char *name, fb_error *err);
/* Name of value v of enumeration field, or NULL. */
const char *fbb_enum_name(const char *field, int v);
int fbb_enum_count(const char *field);
const char *fbb_reason_name(int r);
int fbb_reason_count(void);

fb_time fbb_time_parse(const char *s, fb_error *err);
/* ISO 8601 of t, allocated (the interface frees it), or NULL for FB_TIME_UNKNOWN. */
char *fbb_time_format(fb_time t);

#endif
