#include "output.h"

#include <string.h>

void fbc_time_text(fb_time t, char *buf, size_t size)
{
    if (t == FB_TIME_UNKNOWN || fb_time_format(t, buf, size) == 0)
        snprintf(buf, size, "-");
}

void fbc_json_string(FILE *out, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;

    putc('"', out);
    for (; p < end; p++) {
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (*p < 0x20)
                fprintf(out, "\\u%04x", *p);
            else
                putc(*p, out);
        }
    }
    putc('"', out);
}

void fbc_csv_field(FILE *out, const char *s, size_t len)
{
    size_t i;

    if (len == 0 || (!memchr(s, ',', len) && !memchr(s, '"', len) && !memchr(s, '\n', len) &&
                     !memchr(s, '\r', len))) {
        fwrite(s, 1, len, out);
        return;
    }
    putc('"', out);
    for (i = 0; i < len; i++) {
        if (s[i] == '"')
            putc('"', out);
        putc(s[i], out);
    }
    putc('"', out);
}

void fbc_print_padded(FILE *out, const char *s, size_t len, int width)
{
    size_t i;
    int chars = 0;

    fwrite(s, 1, len, out);
    for (i = 0; i < len; i++)
        chars += ((unsigned char)s[i] & 0xC0) != 0x80; /* a character starts at each lead byte */
    for (; chars < width; chars++)
        putc(' ', out);
}
