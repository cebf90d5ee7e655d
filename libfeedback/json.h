/*
 * A small strict JSON parser (RFC 8259) over one line held in a mutable
 * buffer: strings are decoded in place, so values point into the line.
 * It pulls one token at a time; json_reader.c drives it with the shape a
 * record has. Every error carries the line and the byte offset of the
 * offending character.
 */
#ifndef FB_JSON_H
#define FB_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "cells.h"
#include "feedback/status.h"

typedef struct fb__json {
    char *s;            /* the line (no line feed), modified by string decoding */
    size_t len;
    size_t pos;         /* the next byte to read */
    uint64_t line;      /* the line number of s */
    uint64_t base;      /* the input offset of s[0] */
    const char *field;  /* the field being read, named in errors ("" at the top) */
} fb__json;

typedef enum fb__jtype {
    FB__J_STRING,
    FB__J_NUMBER,
    FB__J_TRUE,
    FB__J_FALSE,
    FB__J_NULL,
    FB__J_ARRAY,   /* '[' consumed */
    FB__J_OBJECT   /* '{' consumed */
} fb__jtype;

/* A value: its type, its text (decoded string, or the literal of a number or boolean) and position. */
typedef struct fb__jval {
    fb__jtype type;
    char *ptr;
    size_t len;
    fb__pos pos;
} fb__jval;

/* The position of s[at]. */
fb__pos fb__json_pos(const fb__json *j, size_t at);

/* Fills err for the character at s[at]. Returns code. */
fb_status fb__json_error(const fb__json *j, fb_error *err, fb_status code, size_t at,
                         const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* Skips whitespace; true when only whitespace is left. */
bool fb__json_at_end(fb__json *j);

/* Reads the next value: a scalar whole, or the opening bracket of an array or object. */
fb_status fb__json_value(fb__json *j, fb__jval *v, fb_error *err);

/*
 * Steps through an object whose '{' was read: *first is true before the
 * first member. Sets *more to false after the closing '}'; otherwise reads
 * the key (and the ':') into *key.
 */
fb_status fb__json_member(fb__json *j, bool *first, bool *more, fb__jval *key, fb_error *err);

/* Steps through an array whose '[' was read; sets *more to false after the closing ']'. */
fb_status fb__json_element(fb__json *j, bool *first, bool *more, fb_error *err);

#endif
