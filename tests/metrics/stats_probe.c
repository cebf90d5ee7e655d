/*
 * stats_probe: reads one case per line on stdin and prints the results of
 * the stats.h function it names, each number as %.17g, one line per case
 * (or "error CODE" when the function fails), for compare_scipy.py.
 *
 *   ncdf X | nquantile P | tcdf T DF | tquantile P DF       -> value
 *   wilson X N LEVEL | mean N MEAN VAR LEVEL                 -> value lo hi
 *   nps D S P LEVEL                                          -> value lo hi
 *   corr N SX SY SXX SYY SXY LEVEL                           -> value lo hi
 *   share_compare X1 N1 X2 N2 LEVEL                          -> diff lo hi statistic df p
 *   welch N1 M1 V1 N2 M2 V2 LEVEL                            -> diff lo hi statistic df p
 *   nps_compare D1 S1 P1 D2 S2 P2 LEVEL                      -> diff lo hi statistic df p
 *   nps_var D S P | bayes SUM N WEIGHT MEAN                  -> value
 *   rating LEVEL STARS C1 .. CSTARS                          -> value
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feedback/stats.h"

#define MAX_ARGS 64

typedef struct line_args {
    char *word[MAX_ARGS];
    int count;
} line_args;

static double d_arg(const line_args *a, int i)
{
    return i < a->count ? strtod(a->word[i], NULL) : 0.0;
}

static uint64_t u_arg(const line_args *a, int i)
{
    return i < a->count ? strtoull(a->word[i], NULL, 10) : 0;
}

static void print_values(const double *v, int n)
{
    int i;
    for (i = 0; i < n; i++)
        printf(i ? " %.17g" : "%.17g", v[i]);
    putchar('\n');
}

static void print_estimate(fb_status st, const fb_estimate *e)
{
    double v[3];
    if (st != FB_OK) {
        printf("error %d\n", (int)st);
        return;
    }
    v[0] = e->value, v[1] = e->lo, v[2] = e->hi;
    print_values(v, 3);
}

static void print_comparison(fb_status st, const fb_comparison *c)
{
    double v[6];
    if (st != FB_OK) {
        printf("error %d\n", (int)st);
        return;
    }
    v[0] = c->diff, v[1] = c->lo, v[2] = c->hi, v[3] = c->statistic, v[4] = c->df,
    v[5] = c->p_value;
    print_values(v, 6);
}

static void run(const line_args *a)
{
    const char *k = a->word[0];
    fb_estimate e;
    fb_comparison c;
    double v;

    if (!strcmp(k, "ncdf"))
        v = fb_normal_cdf(d_arg(a, 1));
    else if (!strcmp(k, "nquantile"))
        v = fb_normal_quantile(d_arg(a, 1));
    else if (!strcmp(k, "tcdf"))
        v = fb_t_cdf(d_arg(a, 1), d_arg(a, 2));
    else if (!strcmp(k, "tquantile"))
        v = fb_t_quantile(d_arg(a, 1), d_arg(a, 2));
    else if (!strcmp(k, "nps_var"))
        v = fb_nps_variance(u_arg(a, 1), u_arg(a, 2), u_arg(a, 3));
    else if (!strcmp(k, "bayes"))
        v = fb_bayesian_average(d_arg(a, 1), u_arg(a, 2), d_arg(a, 3), d_arg(a, 4));
    else if (!strcmp(k, "rating")) {
        uint64_t counts[MAX_ARGS];
        int stars = (int)u_arg(a, 2), i;
        for (i = 0; i < stars && i < MAX_ARGS && i + 3 < a->count; i++)
            counts[i] = u_arg(a, i + 3);
        v = i == stars ? fb_rating_lower_bound(counts, stars, d_arg(a, 1)) : 0.0;
    } else if (!strcmp(k, "wilson")) {
        print_estimate(fb_share_estimate(u_arg(a, 1), u_arg(a, 2), d_arg(a, 3), &e), &e);
        return;
    } else if (!strcmp(k, "mean")) {
        print_estimate(fb_mean_estimate(u_arg(a, 1), d_arg(a, 2), d_arg(a, 3), d_arg(a, 4), &e),
                       &e);
        return;
    } else if (!strcmp(k, "nps")) {
        print_estimate(
            fb_nps_estimate(u_arg(a, 1), u_arg(a, 2), u_arg(a, 3), d_arg(a, 4), &e), &e);
        return;
    } else if (!strcmp(k, "corr")) {
        print_estimate(fb_correlation_estimate(u_arg(a, 1), d_arg(a, 2), d_arg(a, 3),
                                               d_arg(a, 4), d_arg(a, 5), d_arg(a, 6),
                                               d_arg(a, 7), &e),
                       &e);
        return;
    } else if (!strcmp(k, "share_compare")) {
        print_comparison(fb_share_compare(u_arg(a, 1), u_arg(a, 2), u_arg(a, 3), u_arg(a, 4),
                                          d_arg(a, 5), &c),
                         &c);
        return;
    } else if (!strcmp(k, "welch")) {
        print_comparison(fb_mean_compare(u_arg(a, 1), d_arg(a, 2), d_arg(a, 3), u_arg(a, 4),
                                         d_arg(a, 5), d_arg(a, 6), d_arg(a, 7), &c),
                         &c);
        return;
    } else if (!strcmp(k, "nps_compare")) {
        const uint64_t x[3] = {u_arg(a, 1), u_arg(a, 2), u_arg(a, 3)};
        const uint64_t y[3] = {u_arg(a, 4), u_arg(a, 5), u_arg(a, 6)};
        print_comparison(fb_nps_compare(x, y, d_arg(a, 7), &c), &c);
        return;
    } else {
        printf("unknown %s\n", k);
        return;
    }
    print_values(&v, 1);
}

int main(void)
{
    static char line[8192];

    while (fgets(line, sizeof line, stdin)) {
        line_args a;
        char *w = strtok(line, " \t\r\n");
        a.count = 0;
        while (w && a.count < MAX_ARGS) {
            a.word[a.count++] = w;
            w = strtok(NULL, " \t\r\n");
        }
        if (a.count > 0)
            run(&a);
    }
    return ferror(stdin) ? 1 : 0;
}
