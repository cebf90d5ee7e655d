/*
 * A small deterministic PRNG for the generator and the benchmarks:
 * xoshiro256** seeded through splitmix64, and integer-only helpers on top,
 * so that one seed gives the same numbers with every compiler and libc.
 */
#ifndef FB_BENCH_RNG_H
#define FB_BENCH_RNG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct rng {
    uint64_t s[4];
} rng;

static inline uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static inline void rng_seed(rng *g, uint64_t seed)
{
    int i;
    for (i = 0; i < 4; i++)
        g->s[i] = splitmix64(&seed);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* xoshiro256** */
static inline uint64_t rng_next(rng *g)
{
    uint64_t *s = g->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform in [0, n), n > 0, without modulo bias. */
static inline uint64_t rng_below(rng *g, uint64_t n)
{
    uint64_t threshold = (0 - n) % n;
    for (;;) {
        uint64_t x = rng_next(g);
        if (x >= threshold)
            return x % n;
    }
}

/* Uniform in [lo, hi]. */
static inline int rng_range(rng *g, int lo, int hi)
{
    return lo + (int)rng_below(g, (uint64_t)(hi - lo + 1));
}

/* True with probability per_mille / 1000. */
static inline bool rng_pm(rng *g, int per_mille)
{
    return (int)rng_below(g, 1000) < per_mille;
}

/* An index into w[0..n), chosen with probability proportional to w[i]. */
static inline size_t rng_weighted(rng *g, const int *w, size_t n)
{
    int total = 0, u;
    size_t i;
    for (i = 0; i < n; i++)
        total += w[i];
    u = (int)rng_below(g, (uint64_t)total);
    for (i = 0; i < n; i++) {
        if (u < w[i])
            return i;
        u -= w[i];
    }
    return n - 1;
}

#ifndef COUNT_OF
#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))
#endif
#define PICK(g, arr) ((arr)[rng_below((g), COUNT_OF(arr))])

#endif
