/* Names matched the way enumeration names are, with a suggestion for a typo. */
#ifndef FB_NAMES_H
#define FB_NAMES_H

#include <stddef.h>

#include "feedback/status.h"

/*
 * Sets *value to the index of the name s[0..len) matches among names[0..count),
 * ignoring case and taking '-' or ' ' for '_', or to the number itself when s
 * is one below count. Else FB_ERR_UNKNOWN_NAME, field naming what was looked
 * for, with the nearest name when a typo explains the difference, or the
 * list of names.
 */
fb_status fb__names_parse(const char *field, const char *const *names, int count, const char *s,
                          size_t len, int *value, fb_error *err);

#endif
