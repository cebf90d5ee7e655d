/*
 * A program outside the libfeedback tree: builds a record, validates it and
 * prints the library's version. Built by tests/consumer against an installed
 * copy, once through pkg-config and once through CMake's find_package.
 */
#include <feedback/feedback.h>
#include <stdio.h>

int main(void)
{
    fb_record r;
    fb_answer nps = {FB_METRIC_NPS, 9, false, {NULL, 0}, 0, 0};
    fb_error err;

    fb_record_init(&r);
    r.created_at = 1795478400000LL; /* 2026-11-24T00:00:00Z */
    r.channel = FB_CHANNEL_SMS;
    r.answers = &nps;
    r.n_answers = 1;
    if (fb_record_validate(&r, &err) != FB_OK) {
        fprintf(stderr, "consumer: %s\n", err.message);
        return 1;
    }
    nps.score = 11;
    if (fb_record_validate(&r, &err) != FB_ERR_RANGE) {
        fprintf(stderr, "consumer: an NPS of 11 was accepted\n");
        return 1;
    }
    printf("libfeedback %s: record valid; NPS 11 refused (%s)\n", fb_version(), err.message);
    return 0;
}
