/* Writing values as text, JSON and CSV: shared by the commands that print reports. */
#ifndef FBC_OUTPUT_H
#define FBC_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

#include <feedback/feedback.h>

/* t as ISO 8601 UTC into buf, or "-" when unknown (buf of FB_TIME_STRING_MAX bytes). */
void fbc_time_text(fb_time t, char *buf, size_t size);

/* s[0..len) as a JSON string, quotes included. */
void fbc_json_string(FILE *out, const char *s, size_t len);

/* s[0..len) as a CSV field (RFC 4180): quoted when it holds a comma, quote or line break. */
void fbc_csv_field(FILE *out, const char *s, size_t len);

/* Writes s[0..len) (UTF-8) and spaces up to width characters (not bytes); longer text as it is. */
void fbc_print_padded(FILE *out, const char *s, size_t len, int width);

#endif
