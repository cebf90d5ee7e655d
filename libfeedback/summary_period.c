/*
 * Periods of a summary: day, ISO week, month, quarter or year, in the civil
 * calendar of a fixed UTC offset (a period starts at local midnight).
 */
#include "civil.h"
#include "summary_private.h"

#define MS_PER_DAY 86400000LL

/* floor(a / b) for b > 0: C's division truncates toward zero. */
static int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b < 0); }

void fb__summary_period(const fb_summary *s, fb_time t, fb_time *start, fb_time *end)
{
    int64_t offset = (int64_t)s->opt.utc_offset_minutes * 60000;
    int64_t day = floor_div(t + offset, MS_PER_DAY), first, next, y;
    int m, d;

    switch (s->opt.period) {
    case FB_PERIOD_DAY:
        first = day;
        next = day + 1;
        break;
    case FB_PERIOD_WEEK:
        /* 1970-01-01 was a Thursday: day 0 is 3 days after a Monday. */
        first = day - (day + 3 - 7 * floor_div(day + 3, 7));
        next = first + 7;
        break;
    case FB_PERIOD_MONTH:
        fb__civil_from_days(day, &y, &m, &d);
        first = fb__days_from_civil(y, m, 1);
        next = m == 12 ? fb__days_from_civil(y + 1, 1, 1) : fb__days_from_civil(y, m + 1, 1);
        break;
    case FB_PERIOD_QUARTER:
        fb__civil_from_days(day, &y, &m, &d);
        m = (m - 1) / 3 * 3 + 1;
        first = fb__days_from_civil(y, m, 1);
        next = m == 10 ? fb__days_from_civil(y + 1, 1, 1) : fb__days_from_civil(y, m + 3, 1);
        break;
    case FB_PERIOD_YEAR:
        fb__civil_from_days(day, &y, &m, &d);
        first = fb__days_from_civil(y, 1, 1);
        next = fb__days_from_civil(y + 1, 1, 1);
        break;
    default:
        *start = *end = FB_TIME_UNKNOWN;
        return;
    }
    *start = first * MS_PER_DAY - offset;
    *end = next * MS_PER_DAY - offset;
}
