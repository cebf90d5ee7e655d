/*
 * libfeedback: times.
 *
 * Records keep times as Unix time in milliseconds, UTC (fb_time). Text
 * formats carry them as ISO 8601 / RFC 3339 strings; these functions convert
 * both ways without the C library's time zone state, so they are thread-safe
 * and give the same result everywhere.
 */
#ifndef FEEDBACK_TIMESTAMP_H
#define FEEDBACK_TIMESTAMP_H

#include "common.h"
#include "status.h"

FB_BEGIN_DECLS

/* Unix time in milliseconds, UTC. */
typedef int64_t fb_time;

/* The value of an unknown time. */
#define FB_TIME_UNKNOWN INT64_MIN

/* The times records may hold: 1970-01-01T00:00:00Z up to 9999-12-31T23:59:59.999Z. */
#define FB_TIME_MIN ((fb_time)0)
#define FB_TIME_MAX ((fb_time)253402300799999)

/* Buffer size that fits every string fb_time_format writes, NUL included. */
#define FB_TIME_STRING_MAX 32

/*
 * Parses an ISO 8601 date or date-time into *out:
 *   "2026-11-24"                      midnight UTC
 *   "2026-11-24T09:05", "...T09:05:30" UTC when no zone is given
 *   "...T09:05:30.25"                 fractions of a second: 1 to 9 digits,
 *                                      truncated to milliseconds
 *   "...Z", "...+03:00", "...-0530"   a zone offset, converted to UTC
 * A space may stand for 'T'. Leading and trailing spaces are not allowed.
 * The result must lie in [FB_TIME_MIN, FB_TIME_MAX].
 * Errors: FB_ERR_INVALID_ARG (s or out NULL); FB_ERR_PARSE with the byte
 * offset of the first bad character in err->offset; FB_ERR_RANGE for dates
 * that do not exist (2026-02-30) or lie outside the range.
 */
FB_API fb_status fb_time_parse(const char *s, size_t len, fb_time *out, fb_error *err);

/*
 * Writes t as "2026-11-24T09:05:30Z", or "2026-11-24T09:05:30.250Z" when
 * the milliseconds are not zero, NUL-terminated, into buf of size bytes.
 * Returns the length written (without the NUL), or 0 when t lies outside
 * [FB_TIME_MIN, FB_TIME_MAX] or size is too small (size >= FB_TIME_STRING_MAX
 * always suffices); buf then holds "" if size > 0.
 */
FB_API size_t fb_time_format(fb_time t, char *buf, size_t size);

FB_END_DECLS

#endif /* FEEDBACK_TIMESTAMP_H */
