/*
 * libfeedback: status codes and error details.
 *
 * Every fallible function returns an fb_status: FB_OK (0) on success, a
 * negative code on failure. FB_DONE (positive) is not a failure: a reader
 * returns it when the input has no more records.
 *
 * Functions that can say more take an optional `fb_error *err` last. Pass
 * NULL when the code is enough. When err is not NULL and the function fails,
 * it fills err with the code, the field at fault, a message and, for parsers,
 * the line and byte offset; on success err is left untouched. fb_error is a
 * plain struct the caller owns (usually on the stack): nothing in it needs
 * freeing and it stays valid as long as the caller keeps it.
 */
#ifndef FEEDBACK_STATUS_H
#define FEEDBACK_STATUS_H

#include "common.h"

FB_BEGIN_DECLS

/*
 * Status codes. Their values are stable: new codes are only ever appended,
 * and no value is reused.
 */
typedef enum fb_status {
    FB_OK = 0,                  /* success */
    FB_DONE = 1,                /* not an error: no more records */
    FB_ERR_INVALID_ARG = -1,    /* the caller passed NULL or an impossible value */
    FB_ERR_NOMEM = -2,          /* an allocation failed */
    FB_ERR_IO = -3,             /* the system refused a read, write or open */
    FB_ERR_PARSE = -4,          /* input text is malformed (CSV, JSON, time, number) */
    FB_ERR_UTF8 = -5,           /* a string is not valid UTF-8 */
    FB_ERR_RANGE = -6,          /* a number lies outside its allowed range */
    FB_ERR_UNKNOWN_NAME = -7,   /* a name is not one of an enumeration's names */
    FB_ERR_MISSING = -8,        /* a required field or column is absent */
    FB_ERR_TOO_LONG = -9,       /* a string or list exceeds its documented limit */
    FB_ERR_INCONSISTENT = -10,  /* fields contradict each other (e.g. update without ref_id) */
    FB_ERR_DUPLICATE = -11,     /* a key, column or answer appears twice */
    FB_ERR_CORRUPT = -12,       /* stored data fails its checksum or structure */
    FB_ERR_VERSION = -13,       /* written by a newer, incompatible format version */
    FB_ERR_FORMAT = -14         /* not a file of the expected kind (bad magic) */
} fb_status;

/* Sizes of the text buffers in fb_error, terminating NUL included. */
#define FB_ERROR_FIELD_MAX 64
#define FB_ERROR_MESSAGE_MAX 256

/*
 * What went wrong, where. Strings are NUL-terminated and truncated (on a
 * UTF-8 character boundary) when longer than their buffers.
 */
typedef struct fb_error {
    fb_status code;                       /* the status the function returned */
    char field[FB_ERROR_FIELD_MAX];       /* field at fault, e.g. "answers[1].score"; "" if none */
    char message[FB_ERROR_MESSAGE_MAX];   /* one sentence for humans, starting with the field */
    uint64_t line;                        /* 1-based line of a text input (CSV, JSON Lines); 0 otherwise */
    uint64_t offset;                      /* byte offset from the start of the input or file where the
                                             problem lies (text parsers, binary logs); 0 when none */
} fb_error;

/*
 * The name of a status as a static string ("ok", "out of memory", ...).
 * Unknown values give "unknown status". Never NULL.
 */
FB_API const char *fb_status_str(fb_status st);

/* Resets err to "no error" (code FB_OK, empty strings, zero position). NULL is a no-op. */
FB_API void fb_error_clear(fb_error *err);

FB_END_DECLS

#endif /* FEEDBACK_STATUS_H */
