#include <feedback/feedback.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    const char *when = "2026-11-24T10:30:00+03:00";
    fb_answer answers[] = {{.metric = FB_METRIC_NPS, .score = 9},
                           {.metric = FB_METRIC_CSAT, .score = 5}};
    fb_io_writer *w;
    fb_io_reader *r;
    const fb_record *got;
    fb_record rec;
    fb_error err;

    fb_record_init(&rec);
    rec.id = 1;
    rec.channel = FB_CHANNEL_SMS;
    rec.customer_status = FB_CUSTOMER_ACTIVE;
    rec.answers = answers;
    rec.n_answers = 2;
    rec.text = fb_str_from_cstr("Fast delivery, friendly courier");
    if (fb_time_parse(when, strlen(when), &rec.created_at, &err) != FB_OK ||
        fb_io_writer_open(&w, "answers.csv", NULL, &err) != FB_OK ||
        fb_io_writer_write(w, &rec, &err) != FB_OK || fb_io_writer_close(w, &err) != FB_OK) {
        fprintf(stderr, "error: %s\n", err.message);
        return 1;
    }

    if (fb_io_reader_open(&r, "answers.csv", NULL, &err) != FB_OK) {
        fprintf(stderr, "answers.csv: %s\n", err.message);
        return 1;
    }
    while (fb_io_reader_next(r, &got, &err) == FB_OK)
        printf("record %llu on %s: NPS %g, text \"%.*s\"\n", (unsigned long long)got->id,
               fb_channel_name(got->channel), fb_record_answer(got, FB_METRIC_NPS)->score,
               (int)got->text.len, got->text.ptr);
    fb_io_reader_close(r);
    return 0;
}
