/*
 * libfeedback: what every public header shares.
 *
 * FB_API marks the functions the shared library exports; everything else is
 * hidden (the library is built with -fvisibility=hidden). FB_BEGIN_DECLS and
 * FB_END_DECLS give the headers C linkage when included from C++.
 *
 * Threads: no function keeps global mutable state. An object (a reader, a
 * writer, a record list) may be used by one thread at a time; callers that
 * share one between threads hold their own lock. Read-only data (enum name
 * tables, built-in lexicons) is shared safely.
 */
#ifndef FEEDBACK_COMMON_H
#define FEEDBACK_COMMON_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32) && defined(FB_BUILDING_SHARED)
#define FB_API __declspec(dllexport)
#elif defined(_WIN32) && !defined(FB_STATIC)
#define FB_API __declspec(dllimport)
#elif defined(__GNUC__) && __GNUC__ >= 4
#define FB_API __attribute__((visibility("default")))
#else
#define FB_API
#endif

#ifdef __cplusplus
#define FB_BEGIN_DECLS extern "C" {
#define FB_END_DECLS }
#else
#define FB_BEGIN_DECLS
#define FB_END_DECLS
#endif

#endif /* FEEDBACK_COMMON_H */
