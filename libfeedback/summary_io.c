/*
 * fb_summary_add_path: a file of records into a summary. Floor 4: it uses
 * the readers of CSV, JSON Lines (io) and logs (log), above the summary.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "error_private.h"
#include "feedback/summary_io.h"
#include "log_format.h" /* FB__LOG_MAGIC */

void fb_summary_input_init(fb_summary_input *in)
{
    if (!in)
        return;
    memset(in, 0, sizeof *in);
    fb_io_reader_options_init(&in->text);
    fb_log_reader_options_init(&in->log);
}

/* Whether the file at path starts with the log's magic. A file that cannot be read is not. */
static bool is_log(const char *path)
{
    unsigned char head[FB__LOG_MAGIC_SIZE];
    FILE *fp = fopen(path, "rb");
    size_t n;

    if (!fp)
        return false;
    n = fread(head, 1, sizeof head, fp);
    fclose(fp);
    return n == sizeof head && memcmp(head, FB__LOG_MAGIC, sizeof head) == 0;
}

/* The log fields the summary s needs. */
static uint32_t fields_for(const fb_summary *s)
{
    const fb_summary_options *o = fb_summary_options_of(s);
    /* The channel's column comes with the source's, which tells solicited responses apart. */
    uint32_t f = FB_LOG_FIELD_KIND | FB_LOG_FIELD_ANSWERS | FB_LOG_FIELD_CHANNEL;

    if (o->dims & FB_DIM_CUSTOMER_STATUS)
        f |= FB_LOG_FIELD_CUSTOMER;
    if (o->dims & (FB_DIM_COUNTRY | FB_DIM_AGENT | FB_DIM_PRODUCT))
        f |= FB_LOG_FIELD_SERVICE;
    if (o->dims & FB_DIM_TAG)
        f |= FB_LOG_FIELD_TAGS;
    if (o->dims & FB_DIM_ATTR)
        f |= FB_LOG_FIELD_ATTRS;
    if (o->terms)
        f |= FB_LOG_FIELD_TEXT;
    return f;
}

/* Adds rec to s: always, or when in's chain does not drop it. */
static fb_status add_record(fb_summary *s, const fb_record *rec, fb_summary_input *in,
                            fb_error *err)
{
    fb_verdict v;
    fb_status st;

    if (!in->relevance)
        return fb_summary_add(s, rec, true, err);
    st = fb_filter_chain_evaluate(in->relevance, rec, &v, err);
    if (st == FB_ERR_NOMEM || st == FB_ERR_INVALID_ARG)
        return st;
    /* FB_ERR_UTF8 left a verdict: the record was judged without its text. */
    return fb_summary_add(s, rec, v.action != FB_ACTION_DROP, err);
}

/* A log record by record, every field, for a chain to judge. */
static fb_status add_log_judged(fb_summary *s, fb_log_reader *r, fb_summary_input *in,
                                fb_error *err)
{
    const fb_record *rec;
    fb_status st;

    while ((st = fb_log_reader_next(r, &rec, err)) == FB_OK) {
        st = add_record(s, rec, in, err);
        if (st != FB_OK)
            break;
        in->records++;
    }
    return st;
}

static fb_status add_log(fb_summary *s, const char *path, fb_summary_input *in, fb_error *err)
{
    fb_log_reader_options opt = in->log;
    fb_log_reader *r;
    fb_record_batch b;
    fb_status st;

    opt.fields = in->relevance ? FB_LOG_FIELD_ALL : fields_for(s);
    FB__TRY(fb_log_reader_open(&r, path, &opt, err));
    if (in->relevance) {
        st = add_log_judged(s, r, in, err);
        fb_log_reader_close(r);
        return st == FB_DONE ? FB_OK : st;
    }
    while ((st = fb_log_reader_next_batch(r, &b, err)) == FB_OK) {
        st = fb_summary_add_batch(s, &b, NULL, err);
        if (st != FB_OK)
            break;
        in->records += b.n;
    }
    fb_log_reader_close(r);
    return st == FB_DONE ? FB_OK : st;
}

static fb_status add_text(fb_summary *s, const char *path, fb_summary_input *in, fb_error *err)
{
    fb_io_reader *r;
    const fb_record *rec;
    fb_status st;

    FB__TRY(fb_io_reader_open(&r, path, &in->text, err));
    while ((st = fb_io_reader_next(r, &rec, err)) == FB_OK) {
        st = add_record(s, rec, in, err);
        if (st != FB_OK)
            break;
        in->records++;
    }
    fb_io_reader_close(r);
    return st == FB_DONE ? FB_OK : st;
}

fb_status fb_summary_add_path(fb_summary *s, const char *path, fb_summary_input *in,
                              fb_error *err)
{
    fb_summary_input defaults;

    if (!s || !path)
        return fb__error(err, FB_ERR_INVALID_ARG, "", "fb_summary_add_path: %s is NULL",
                         s ? "path" : "s");
    if (!in) {
        fb_summary_input_init(&defaults);
        in = &defaults;
    }
    in->records = 0;
    if (in->text.format == FB_FORMAT_AUTO && is_log(path))
        return add_log(s, path, in, err);
    return add_text(s, path, in, err);
}
