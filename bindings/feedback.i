/*
 * The SWIG interface of libfeedback, shared by Python and Lua. It wraps the
 * handles and accessors of fbb.h and the result structs of the public
 * headers. Each language's top file (python/feedback_python.i,
 * lua/feedback_lua.i) names the module and includes, before this one, what
 * differs: how an error is raised (FBB_RAISE, and the fb_status and
 * SWIGTYPE *out typemaps), how a record, scores and bytes cross over; and
 * after it, its own extras. The hand-written layers on top (python/feedback/,
 * the %luacode of lua/layer.i) give users classes, iterators and plain values.
 *
 * Every fallible function takes an fb_error *err last; the typemaps below
 * hide it and raise the language's error when the call failed. No error is
 * ever swallowed, and there is no switch to make it so.
 */
%include <stdint.i>

typedef int64_t fb_time;

/* ---------------------------------------------------------------- errors */

%typemap(in, numinputs=0) fb_error *err (fb_error temp) {
    fb_error_clear(&temp);
    $1 = &temp;
}
%typemap(argout) fb_error *err {
    if ($1->code < 0) {
        FBB_RAISE($1);
        SWIG_fail;
    }
}

/* ---------------------------------------------------------------- results: read-only structs */

%immutable;

typedef enum fb_metric {
    FB_METRIC_NPS = 0, FB_METRIC_CSAT = 1, FB_METRIC_CES = 2, FB_METRIC_CLI_RECOMMEND = 3,
    FB_METRIC_CLI_REPURCHASE = 4, FB_METRIC_CLI_CROSS_BUY = 5, FB_METRIC_GCR = 6,
    FB_METRIC_RATING = 7, FB_METRIC_CUSTOM = 8
} fb_metric;

typedef struct fb_estimate {
    uint64_t n;
    double value;
    double lo, hi;
} fb_estimate;

typedef struct fb_comparison {
    double diff;
    double lo, hi;
    double statistic;
    double df;
    double p_value;
} fb_comparison;

typedef struct fb_nps_result {
    fb_estimate nps, promoters, passives, detractors, mean;
    uint64_t skipped;
} fb_nps_result;

typedef struct fb_csat_result {
    fb_estimate satisfied, mean, problems;
    uint64_t skipped;
} fb_csat_result;

typedef struct fb_ces_result {
    fb_estimate mean, agree, disagree, net;
    int headline;
    uint64_t skipped;
} fb_ces_result;

typedef struct fb_cli_result {
    fb_estimate cli;
} fb_cli_result;
%extend fb_cli_result {
    /* Item i (0 recommend, 1 repurchase, 2 cross-buy): its mean, its net score. */
    fb_estimate item_mean_at(int i) { return $self->item_mean[i >= 0 && i < 3 ? i : 0]; }
    fb_estimate item_net_at(int i) { return $self->item_net[i >= 0 && i < 3 ? i : 0]; }
}

typedef struct fb_gcr_result {
    fb_estimate completed;
    uint64_t skipped;
} fb_gcr_result;

typedef struct fb_rating_result {
    fb_estimate mean;
    double bayesian_average;
    double lower_bound;
    uint64_t skipped;
} fb_rating_result;
%extend fb_rating_result {
    /* Ratings of stars + 1 stars (stars 0..4). */
    uint64_t stars_at(int stars) { return stars >= 0 && stars < 5 ? $self->stars[stars] : 0; }
}

typedef struct fb_summary_group {
    int channel, source, customer_status;
    char country[3];
    fb_str agent, product, tag, attr;
    fb_time period_start, period_end;
    uint64_t records, excluded, responses, invitations, updates, solicited;
} fb_summary_group;

typedef struct fb_leader {
    size_t group;
    fb_estimate value;
    double bound;
} fb_leader;

typedef struct fb_change {
    size_t group, compared;
    int metric, kind, direction;
    double value, baseline, size, lo, hi, p_value;
} fb_change;

typedef struct fb_term_stat {
    fb_str term;
    uint64_t comments, detractors, promoters;
    double lift;
} fb_term_stat;

typedef struct fb_correlation {
    int a, b;
    fb_estimate r;
} fb_correlation;

typedef struct fb_log_damage {
    uint64_t offset, bytes;
    int64_t records;
    int reason;
    char message[256];
} fb_log_damage;

typedef struct fb_error {
    int code;
    char field[64];
    char message[256];
    uint64_t line, offset;
} fb_error;

typedef struct fb_verdict_span {
    size_t offset, length;
    int reason;
    unsigned category;
} fb_verdict_span;

typedef struct fb_filter_counts {
    uint64_t records, kept, flagged, dropped;
} fb_filter_counts;
%extend fb_filter_counts {
    /* Records with reason r whose action was drop, flag, keep (0 for an unknown r). */
    uint64_t dropped_by_at(int r) {
        return (unsigned)r < FB_REASON_COUNT ? $self->dropped_by[r] : 0;
    }
    uint64_t flagged_by_at(int r) {
        return (unsigned)r < FB_REASON_COUNT ? $self->flagged_by[r] : 0;
    }
    uint64_t noted_by_at(int r) { return (unsigned)r < FB_REASON_COUNT ? $self->noted_by[r] : 0; }
}

%mutable;

/*
 * Out-parameters named out: made by the wrapper, returned to the caller as
 * an object of its own (each language's SWIGTYPE *out argout typemap).
 */
%typemap(in, numinputs=0) SWIGTYPE *out ($*1_ltype temp) {
    memset(&temp, 0, sizeof temp);
    $1 = &temp;
}

/* ---------------------------------------------------------------- handles */

/* Opaque to the languages: created by the functions below, freed when collected. */
struct fbb_reader {};
struct fbb_writer {};
struct fbb_chain {};
struct fbb_summary {};
%extend fbb_reader { ~fbb_reader() { fbb_reader_free($self); } }
%extend fbb_writer { ~fbb_writer() { fbb_writer_free($self); } }
%extend fbb_chain { ~fbb_chain() { fbb_chain_free($self); } }
%extend fbb_summary { ~fbb_summary() { fbb_summary_free($self); } }

%newobject fbb_reader_open;
%newobject fbb_writer_open;
%newobject fbb_chain_new;
%newobject fbb_summary_new;
%newobject fbb_time_format;

fbb_reader *fbb_reader_open(const char *path, const char *format, unsigned fields,
                            fb_time from, fb_time to, bool skip_bad, bool strict, fb_error *err);
fb_status fbb_reader_next(fbb_reader *r, const fb_record **rec, fb_error *err);
uint64_t fbb_reader_records(const fbb_reader *r);
uint64_t fbb_reader_bad_rows(const fbb_reader *r);
uint64_t fbb_reader_damaged_regions(const fbb_reader *r);
size_t fbb_reader_damage_count(const fbb_reader *r);
fb_status fbb_reader_damage_at(const fbb_reader *r, size_t i, fb_log_damage *out, fb_error *err);
size_t fbb_reader_bad_row_count(const fbb_reader *r);
fb_status fbb_reader_bad_row_at(const fbb_reader *r, size_t i, fb_error *out, fb_error *err);
void fbb_reader_close(fbb_reader *r);

fbb_writer *fbb_writer_open(const char *path, const char *format, int level,
                            unsigned chunk_records, fb_error *err);
fb_status fbb_writer_write(fbb_writer *w, const fb_record *r, fb_error *err);
fb_status fbb_writer_flush(fbb_writer *w, bool sync, fb_error *err);
fb_status fbb_writer_close(fbb_writer *w, fb_error *err);

fbb_chain *fbb_chain_new(fb_error *err);
fb_status fbb_chain_set_recency(fbb_chain *c, double max_age_days, double max_delay_days,
                                fb_time now, fb_error *err);
fb_status fbb_chain_set_customers(fbb_chain *c, bool require_verified, fb_error *err);
fb_status fbb_chain_set_abuse_threshold(fbb_chain *c, double threshold, fb_error *err);
fb_status fbb_chain_set_action(fbb_chain *c, const char *reason, const char *action,
                               fb_error *err);
int fbb_chain_add_alert(fbb_chain *c, const char *rule, fb_error *err);
fb_status fbb_chain_add_word(fbb_chain *c, const char *kind, const char *category,
                             const char *word, fb_error *err);
fb_status fbb_chain_ready(fbb_chain *c, fb_error *err);
fb_status fbb_chain_evaluate(fbb_chain *c, const fb_record *r, fb_error *err);
const char *fbb_chain_action(const fbb_chain *c);
uint32_t fbb_chain_reasons(const fbb_chain *c, int action);
double fbb_chain_abuse_score(const fbb_chain *c);
uint64_t fbb_chain_duplicate_of(const fbb_chain *c);
size_t fbb_chain_span_count(const fbb_chain *c);
fb_status fbb_chain_span_at(const fbb_chain *c, size_t i, fb_verdict_span *out, fb_error *err);
bool fbb_chain_alert_hit(const fbb_chain *c, int alert);
size_t fbb_chain_alert_count(const fbb_chain *c);
const char *fbb_chain_alert_text(const fbb_chain *c, int alert);
const char *fbb_chain_explain(fbb_chain *c);
void fbb_chain_counts(const fbb_chain *c, fb_filter_counts *out);
const char *fbb_chain_counts_explain(fbb_chain *c);
void fbb_chain_close(fbb_chain *c);

fbb_summary *fbb_summary_new(const char *by, const char *period, const char *attr, double level,
                             int utc_offset_minutes, fb_error *err);
fb_status fbb_summary_add(fbb_summary *s, const fb_record *r, bool include, fb_error *err);
uint64_t fbb_summary_add_path(fbb_summary *s, const char *path, fbb_chain *chain,
                              fb_error *err);
fb_status fbb_summary_merge(fbb_summary *dst, const fbb_summary *src, fb_error *err);
size_t fbb_summary_count(const fbb_summary *s, fb_error *err);
fb_status fbb_summary_group_get(fbb_summary *s, long i, fb_summary_group *out, fb_error *err);
unsigned fbb_summary_dims(const fbb_summary *s);
const char *fbb_summary_period(const fbb_summary *s);
fb_status fbb_summary_headline(fbb_summary *s, long i, fb_metric m, fb_estimate *out,
                               fb_error *err);
const char *fbb_summary_unit(const fbb_summary *s, fb_metric m);
fb_status fbb_summary_nps(fbb_summary *s, long i, fb_nps_result *out, fb_error *err);
fb_status fbb_summary_csat(fbb_summary *s, long i, fb_csat_result *out, fb_error *err);
fb_status fbb_summary_ces(fbb_summary *s, long i, fb_ces_result *out, fb_error *err);
fb_status fbb_summary_cli(fbb_summary *s, long i, fb_cli_result *out, fb_error *err);
fb_status fbb_summary_gcr(fbb_summary *s, long i, fb_gcr_result *out, fb_error *err);
fb_status fbb_summary_rating(fbb_summary *s, long i, fb_rating_result *out, fb_error *err);
fb_status fbb_summary_compare(fbb_summary *s, long a, long b, fb_metric m, fb_comparison *out,
                              fb_error *err);
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

/* ---------------------------------------------------------------- metrics, names, times */

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

int fbb_enum_value(const char *field, const char *name, fb_error *err);
const char *fbb_enum_name(const char *field, int v);
int fbb_enum_count(const char *field);
const char *fbb_reason_name(int r);
int fbb_reason_count(void);
fb_time fbb_time_parse(const char *s, fb_error *err);
char *fbb_time_format(fb_time t);

const char *fb_version(void);
