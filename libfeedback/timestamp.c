/*
 * ISO 8601 <-> Unix milliseconds, with the civil-date arithmetic of civil.h
 * instead of mktime/gmtime, which depend on the process's time zone and
 * locale.
 */
#include "feedback/timestamp.h"

#include <stdio.h>

#include "civil.h"
#include "error_private.h"

#define MS_PER_DAY 86400000LL

static int days_in_month(int64_t y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

/* A cursor over the input, so every error can name its byte offset. */
typedef struct cursor {
    const char *s;
    size_t len;
    size_t pos;
} cursor;

static int at_digit(const cursor *c)
{
    return c->pos < c->len && c->s[c->pos] >= '0' && c->s[c->pos] <= '9';
}

/* Reads exactly n digits. Returns -1 (position left at the first non-digit) if fewer. */
static long read_digits(cursor *c, int n)
{
    long v = 0;
    int i;

    for (i = 0; i < n; i++) {
        if (!at_digit(c))
            return -1;
        v = v * 10 + (c->s[c->pos++] - '0');
    }
    return v;
}

static int accept(cursor *c, char ch)
{
    if (c->pos < c->len && c->s[c->pos] == ch) {
        c->pos++;
        return 1;
    }
    return 0;
}

static fb_status bad_char(const cursor *c, fb_error *err, const char *what)
{
    char q[48];

    fb__quote(q, sizeof q, c->s, c->len, 40);
    if (c->pos >= c->len)
        fb__error(err, FB_ERR_PARSE, "", "time '%s' ends early: expected %s", q, what);
    else
        fb__error(err, FB_ERR_PARSE, "", "time '%s': expected %s at byte %lu", q, what,
                  (unsigned long)c->pos);
    fb__error_at(err, 0, c->pos);
    return FB_ERR_PARSE;
}

/* Parses "Z", "+hh:mm", "+hhmm", "+hh" into minutes east of UTC. */
static fb_status parse_zone(cursor *c, long *minutes, fb_error *err)
{
    int sign;
    long hh, mm = 0;

    *minutes = 0;
    if (c->pos == c->len)
        return FB_OK;
    if (accept(c, 'Z') || accept(c, 'z'))
        return FB_OK;
    if (accept(c, '+'))
        sign = 1;
    else if (accept(c, '-'))
        sign = -1;
    else
        return bad_char(c, err, "a zone ('Z' or +hh:mm)");
    if ((hh = read_digits(c, 2)) < 0)
        return bad_char(c, err, "two digits of zone hours");
    if (c->pos < c->len) {
        accept(c, ':');
        if ((mm = read_digits(c, 2)) < 0)
            return bad_char(c, err, "two digits of zone minutes");
    }
    if (hh > 23 || mm > 59) {
        fb__error(err, FB_ERR_RANGE, "", "time zone offset %02ld:%02ld is out of range", hh, mm);
        return FB_ERR_RANGE;
    }
    *minutes = sign * (hh * 60 + mm);
    return FB_OK;
}

fb_status fb_time_parse(const char *s, size_t len, fb_time *out, fb_error *err)
{
    cursor c;
    long year, month, day, hour = 0, minute = 0, second = 0, ms = 0, zone = 0;
    int64_t t;

    if (!out || (!s && len > 0))
        return fb__error(err, FB_ERR_INVALID_ARG, "", "fb_time_parse: NULL argument");
    c.s = s;
    c.len = len;
    c.pos = 0;

    if ((year = read_digits(&c, 4)) < 0)
        return bad_char(&c, err, "a four-digit year");
    if (!accept(&c, '-'))
        return bad_char(&c, err, "'-' after the year");
    if ((month = read_digits(&c, 2)) < 0)
        return bad_char(&c, err, "a two-digit month");
    if (!accept(&c, '-'))
        return bad_char(&c, err, "'-' after the month");
    if ((day = read_digits(&c, 2)) < 0)
        return bad_char(&c, err, "a two-digit day");

    if (c.pos < c.len) {
        if (!accept(&c, 'T') && !accept(&c, 't') && !accept(&c, ' '))
            return bad_char(&c, err, "'T' between date and time");
        if ((hour = read_digits(&c, 2)) < 0)
            return bad_char(&c, err, "two-digit hours");
        if (!accept(&c, ':'))
            return bad_char(&c, err, "':' after the hours");
        if ((minute = read_digits(&c, 2)) < 0)
            return bad_char(&c, err, "two-digit minutes");
        if (accept(&c, ':')) {
            if ((second = read_digits(&c, 2)) < 0)
                return bad_char(&c, err, "two-digit seconds");
            if (accept(&c, '.') || accept(&c, ',')) {
                int digits = 0;
                if (!at_digit(&c))
                    return bad_char(&c, err, "digits after the decimal point");
                while (at_digit(&c)) {
                    if (digits >= 9)
                        return bad_char(&c, err, "at most nine digits of fractional seconds");
                    if (digits < 3)
                        ms = ms * 10 + (c.s[c.pos] - '0');
                    digits++;
                    c.pos++;
                }
                for (; digits < 3; digits++)
                    ms *= 10;
            }
        }
        FB__TRY(parse_zone(&c, &zone, err));
        if (c.pos != c.len)
            return bad_char(&c, err, "the end of the time");
    }

    if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, (int)month) ||
        hour > 23 || minute > 59 || second > 59) {
        char q[48];
        fb__quote(q, sizeof q, s, len, 40);
        return fb__error(err, FB_ERR_RANGE, "", "time '%s' is not a valid date and time", q);
    }
    t = fb__days_from_civil(year, (int)month, (int)day) * MS_PER_DAY +
        ((int64_t)hour * 3600 + minute * 60 + second - zone * 60) * 1000 + ms;
    if (t < FB_TIME_MIN || t > FB_TIME_MAX) {
        char q[48];
        fb__quote(q, sizeof q, s, len, 40);
        return fb__error(err, FB_ERR_RANGE, "",
                         "time '%s' lies outside 1970-01-01 .. 9999-12-31", q);
    }
    *out = t;
    return FB_OK;
}

size_t fb_time_format(fb_time t, char *buf, size_t size)
{
    int64_t days, year, ms_of_day;
    int month, day, n;

    if (!buf || size == 0)
        return 0;
    buf[0] = '\0';
    if (t < FB_TIME_MIN || t > FB_TIME_MAX)
        return 0;
    days = t / MS_PER_DAY;
    ms_of_day = t % MS_PER_DAY;
    fb__civil_from_days(days, &year, &month, &day);
    if (ms_of_day % 1000)
        n = snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", (int)year, month, day,
                     (int)(ms_of_day / 3600000), (int)(ms_of_day / 60000 % 60),
                     (int)(ms_of_day / 1000 % 60), (int)(ms_of_day % 1000));
    else
        n = snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02dZ", (int)year, month, day,
                     (int)(ms_of_day / 3600000), (int)(ms_of_day / 60000 % 60),
                     (int)(ms_of_day / 1000 % 60));
    if (n < 0 || (size_t)n >= size) {
        buf[0] = '\0';
        return 0;
    }
    return (size_t)n;
}
