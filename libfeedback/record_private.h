/* The rules of record_validate.c that other parts of the library apply to names of their own. */
#ifndef FB_RECORD_PRIVATE_H
#define FB_RECORD_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Whether the len bytes at s make a name as tags, attribute keys and custom
 * answers have them: 1..FB_MAX_NAME bytes of valid UTF-8 without C0 or C1
 * control characters or DEL.
 */
bool fb__is_name(const char *s, size_t len);

#endif
