/* What the compilers we build with can be told beyond C99; nothing where they cannot. */
#ifndef FB_COMPILER_H
#define FB_COMPILER_H

#if defined(__GNUC__)
/* Checks a function's format string and arguments as printf's. */
#define FB__PRINTF(fmt_index, first_arg) __attribute__((format(printf, fmt_index, first_arg)))
/* Inlines a small function into every caller, for hot paths whose callers
 * keep their state in registers only when nothing of it leaves them. */
#define FB__ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define FB__PRINTF(fmt_index, first_arg)
#define FB__ALWAYS_INLINE inline
#endif

#endif
