/*
 * libfeedback: records as columns. The log reader hands them out
 * (fb_log_reader_next_batch) and the summaries take them (fb_summary_add_batch),
 * so that neither needs one fb_record per record.
 */
#ifndef FEEDBACK_RECORD_BATCH_H
#define FEEDBACK_RECORD_BATCH_H

#include "common.h"
#include "record.h"

FB_BEGIN_DECLS

/*
 * A run of records as columns: for each field, an array of n values, value
 * i belonging to the run's record i; NULL for a field the producer did not
 * fill (its records hold the field's default). A scan that adds up a few
 * fields over many records reads these arrays instead of a record at a
 * time. Who owns the arrays and how long they live is the producer's to say
 * (fb_log_reader_next_batch: the reader, until its next call). The comments
 * name the log reader's projection (FB_LOG_FIELD_*, log.h) that fills each.
 */
typedef struct fb_record_batch {
    size_t n;                                /* records in the run, at least 1 */
    uint64_t first_seq;                      /* sequence number of record 0 */
    const fb_time *created_at;               /* always */
    const uint64_t *id;                      /* FB_LOG_FIELD_ID */
    const fb_record_kind *kind;              /* FB_LOG_FIELD_KIND */
    const fb_time *interaction_at;           /* FB_LOG_FIELD_INTERACTION_AT */
    const fb_str *customer_id;               /* FB_LOG_FIELD_CUSTOMER: these four */
    const fb_customer_status *customer_status;
    const bool *customer_verified;
    const bool *win_back;
    const fb_channel *channel;               /* FB_LOG_FIELD_CHANNEL: these two */
    const fb_source *source;
    /*
     * FB_LOG_FIELD_ANSWERS: n + 1 offsets into answers; record i's answers
     * are answers[answers_of[i]] .. answers[answers_of[i + 1] - 1].
     */
    const uint32_t *answers_of;
    const fb_answer *answers;
    const fb_str *text;                      /* FB_LOG_FIELD_TEXT: these two */
    const fb_str *language;
    const uint32_t *tags_of;                 /* FB_LOG_FIELD_TAGS: as answers_of */
    const fb_str *tags;
    const fb_str *agent_id;                  /* FB_LOG_FIELD_SERVICE: these four */
    const fb_str *ticket_id;
    const fb_str *product;
    const char (*country)[3];                /* NUL-terminated, "" when unknown */
    const int64_t *tip;                      /* FB_LOG_FIELD_TIP: these two */
    const char (*tip_currency)[4];
    const uint32_t *attrs_of;                /* FB_LOG_FIELD_ATTRS: as answers_of */
    const fb_attr *attrs;
    const uint64_t *ref_id;                  /* FB_LOG_FIELD_UPDATE: these four */
    const fb_handling *handling;
    const fb_str *assignee;
    const fb_assignee_kind *assignee_kind;
} fb_record_batch;

FB_END_DECLS

#endif /* FEEDBACK_RECORD_BATCH_H */
