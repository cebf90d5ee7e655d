/* For the XSI strerror_r, which writes into the caller's buffer (thread-safe). */
#define _POSIX_C_SOURCE 200809L

#include "error_private.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"

const char *fb_status_str(fb_status st)
{
    switch (st) {
    case FB_OK: return "ok";
    case FB_DONE: return "no more records";
    case FB_ERR_INVALID_ARG: return "invalid argument";
    case FB_ERR_NOMEM: return "out of memory";
    case FB_ERR_IO: return "input/output error";
    case FB_ERR_PARSE: return "malformed input";
    case FB_ERR_UTF8: return "invalid UTF-8";
    case FB_ERR_RANGE: return "value out of range";
    case FB_ERR_UNKNOWN_NAME: return "unknown name";
    case FB_ERR_MISSING: return "missing field";
    case FB_ERR_TOO_LONG: return "too long";
    case FB_ERR_INCONSISTENT: return "inconsistent fields";
    case FB_ERR_DUPLICATE: return "duplicate";
    case FB_ERR_CORRUPT: return "corrupt data";
    case FB_ERR_VERSION: return "unsupported format version";
    case FB_ERR_FORMAT: return "not a feedback log";
    }
    return "unknown status";
}

void fb_error_clear(fb_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

/* Cuts a NUL-terminated buffer back to the last complete UTF-8 character. */
static void trim_partial_utf8(char *s)
{
    size_t len = strlen(s);
    size_t keep = fb__utf8_complete_prefix(s, len);
    s[keep] = '\0';
}

fb_status fb__verror(fb_error *err, fb_status code, const char *field, const char *fmt,
                     va_list ap)
{
    int n = 0;

    if (!err)
        return code;
    memset(err, 0, sizeof *err);
    err->code = code;
    if (field && *field) {
        snprintf(err->field, sizeof err->field, "%s", field);
        trim_partial_utf8(err->field);
        n = snprintf(err->message, sizeof err->message, "%s: ", err->field);
        if (n < 0 || (size_t)n >= sizeof err->message)
            n = 0;
    }
    vsnprintf(err->message + n, sizeof err->message - (size_t)n, fmt, ap);
    trim_partial_utf8(err->message);
    return code;
}

fb_status fb__error(fb_error *err, fb_status code, const char *field, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fb__verror(err, code, field, fmt, ap);
    va_end(ap);
    return code;
}

void fb__error_at(fb_error *err, uint64_t line, uint64_t offset)
{
    if (!err)
        return;
    err->line = line;
    err->offset = offset;
}

void fb__quote(char *dst, size_t dst_size, const char *s, size_t len, size_t max)
{
    size_t take = len < max ? len : max;
    size_t i, o = 0;

    if (dst_size == 0)
        return;
    if (take >= dst_size - 4)
        take = dst_size > 4 ? dst_size - 4 : 0;
    take = fb__utf8_complete_prefix(s, take);
    for (i = 0; i < take && s; i++) {
        unsigned char c = (unsigned char)s[i];
        dst[o++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
    if (take < len && o + 3 < dst_size) {
        memcpy(dst + o, "...", 3);
        o += 3;
    }
    dst[o] = '\0';
}

const char *fb__strerror(int errnum, char *buf, size_t size)
{
    if (size == 0)
        return "";
    if (errnum == 0 || strerror_r(errnum, buf, size) != 0)
        snprintf(buf, size, "unknown reason (errno %d)", errnum);
    return buf;
}
