/* UTF-8 checks. */
#ifndef FB_UTF8_H
#define FB_UTF8_H

#include <stddef.h>

/*
 * Returns len when s[0..len) is valid UTF-8 (RFC 3629: shortest forms only,
 * no surrogates, nothing above U+10FFFF), else the byte offset of the first
 * invalid sequence.
 */
size_t fb__utf8_check(const char *s, size_t len);

/*
 * The length of the longest prefix of s[0..len) that does not end inside a
 * multi-byte sequence: where to cut a valid string without splitting a
 * character.
 */
size_t fb__utf8_complete_prefix(const char *s, size_t len);

/*
 * Decodes one code point from valid UTF-8 at s (len > 0) into *cp and
 * returns its length in bytes (1 to 4); returns 0 for an invalid sequence.
 */
size_t fb__utf8_decode(const char *s, size_t len, unsigned long *cp);

/* Encodes cp (<= 0x10FFFF, not a surrogate) into out (4 bytes), returns its length, 0 if invalid. */
size_t fb__utf8_encode(unsigned long cp, char *out);

#endif
