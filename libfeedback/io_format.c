/* Format names and file extensions. */
#include <stdbool.h>
#include <string.h>

#include "error_private.h"
#include "feedback/io.h"

static bool name_is(const char *s, size_t len, const char *name)
{
    size_t i;

    if (strlen(name) != len)
        return false;
    for (i = 0; i < len; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != name[i])
            return false;
    }
    return true;
}

static bool lookup(const char *s, size_t len, fb_format *out)
{
    if (name_is(s, len, "csv")) {
        *out = FB_FORMAT_CSV;
        return true;
    }
    if (name_is(s, len, "jsonl") || name_is(s, len, "ndjson") || name_is(s, len, "json")) {
        *out = FB_FORMAT_JSONL;
        return true;
    }
    return false;
}

const char *fb_format_name(fb_format f)
{
    switch (f) {
    case FB_FORMAT_AUTO: return "auto";
    case FB_FORMAT_CSV: return "csv";
    case FB_FORMAT_JSONL: return "jsonl";
    }
    return NULL;
}

fb_status fb_format_parse(const char *name, fb_format *out, fb_error *err)
{
    char q[64];

    if (!name || !out)
        return fb__error(err, FB_ERR_INVALID_ARG, "format", "name and out must not be NULL");
    if (name_is(name, strlen(name), "auto")) {
        *out = FB_FORMAT_AUTO;
        return FB_OK;
    }
    if (lookup(name, strlen(name), out))
        return FB_OK;
    fb__quote(q, sizeof q, name, strlen(name), 40);
    return fb__error(err, FB_ERR_UNKNOWN_NAME, "format",
                     "unknown format '%s' (known: auto, csv, jsonl; ndjson and json mean jsonl)", q);
}

fb_status fb_format_from_path(const char *path, fb_format *out, fb_error *err)
{
    const char *base, *dot;
    char q[128];

    if (!path || !out)
        return fb__error(err, FB_ERR_INVALID_ARG, "format", "path and out must not be NULL");
    base = strrchr(path, '/');
    base = base ? base + 1 : path;
    {
        const char *bs = strrchr(base, '\\');
        if (bs)
            base = bs + 1;
    }
    dot = strrchr(base, '.');
    if (dot && dot != base && lookup(dot + 1, strlen(dot + 1), out))
        return FB_OK;
    fb__quote(q, sizeof q, path, strlen(path), 100);
    return fb__error(err, FB_ERR_UNKNOWN_NAME, "format",
                     "cannot tell the format of '%s' from its extension (.csv, .jsonl, .ndjson, "
                     ".json)",
                     q);
}
