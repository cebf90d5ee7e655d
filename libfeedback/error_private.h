/* Filling fb_error, and early returns that keep error paths short. */
#ifndef FB_ERROR_PRIVATE_H
#define FB_ERROR_PRIVATE_H

#include <stdarg.h>

#include "compiler.h" /* FB__PRINTF */
#include "feedback/status.h"

/*
 * Fills err (when not NULL) with code, field and a message formatted from
 * fmt; the message is prefixed with "field: " when field is not empty.
 * Leaves line and offset at 0. Returns code, so callers can
 * `return fb__error(err, ...)`.
 */
fb_status fb__error(fb_error *err, fb_status code, const char *field, const char *fmt, ...)
    FB__PRINTF(4, 5);

/* fb__error with a va_list. */
fb_status fb__verror(fb_error *err, fb_status code, const char *field, const char *fmt,
                     va_list ap) FB__PRINTF(4, 0);

/* Sets the position of an error already filled (when err is not NULL). */
void fb__error_at(fb_error *err, uint64_t line, uint64_t offset);

/*
 * Copies up to max bytes of s into dst (size dst_size), cutting on a UTF-8
 * boundary and replacing control characters with '?', for quoting user data
 * in messages. Appends "..." when cut. Always NUL-terminates (dst_size > 0).
 */
void fb__quote(char *dst, size_t dst_size, const char *s, size_t len, size_t max);

/*
 * The system's description of errnum, written into buf (thread-safe, unlike
 * strerror); "unknown reason" when errnum is 0. Returns buf.
 */
const char *fb__strerror(int errnum, char *buf, size_t size);

/* Returns the status of expr from the enclosing function when it is an error. */
#define FB__TRY(expr)                  \
    do {                               \
        fb_status fb__st_ = (expr);    \
        if (fb__st_ < 0)               \
            return fb__st_;            \
    } while (0)

#endif
