/*
 * libfeedback: version numbers.
 *
 * The macros give the version the program was compiled against; fb_version()
 * gives the version of the library it runs with. The shared library's SONAME
 * carries the major version: releases with the same major version are ABI
 * compatible, so a program built against 0.x runs with any later 0.y.
 */
#ifndef FEEDBACK_VERSION_H
#define FEEDBACK_VERSION_H

#include "common.h"

#define FB_VERSION_MAJOR 0
#define FB_VERSION_MINOR 1
#define FB_VERSION_PATCH 0
#define FB_VERSION_STRING "0.1.0"

/* One number that orders versions: major * 10000 + minor * 100 + patch. */
#define FB_VERSION_NUMBER \
    (FB_VERSION_MAJOR * 10000 + FB_VERSION_MINOR * 100 + FB_VERSION_PATCH)

FB_BEGIN_DECLS

/* The run-time library's version as "major.minor.patch". The string is static. */
FB_API const char *fb_version(void);

/* The run-time library's version as FB_VERSION_NUMBER computes it. */
FB_API int fb_version_number(void);

FB_END_DECLS

#endif /* FEEDBACK_VERSION_H */
