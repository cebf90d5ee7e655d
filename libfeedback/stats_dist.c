/*
 * The distributions behind the statistics: the standard normal and Student's
 * t, their CDFs and quantiles, in double precision. Published algorithms,
 * implemented here:
 *
 *  - normal CDF: Phi(x) = erfc(-x / sqrt 2) / 2 with the C99 erfc, the
 *    rounding of -x / sqrt 2 corrected to first order in the lower tail
 *    (where erfc's relative error would otherwise grow with x^2);
 *  - normal quantile: Wichura, "Algorithm AS 241: The percentage points of
 *    the normal distribution", Applied Statistics 37(3), 477-484 (1988),
 *    PPND16 (rational approximations, about 1e-16 relative);
 *  - t CDF: P(T > t) = I_x(nu/2, 1/2) / 2 with x = nu / (nu + t^2), and
 *    P(0 < T < t) = I_y(1/2, nu/2) / 2 with y = 1 - x (Abramowitz and Stegun
 *    26.7.1, 26.5.2), the incomplete beta ratio from its continued fraction
 *    (A&S 26.5.8) in the even contraction that DiDonato and Morris use
 *    ("Algorithm 708", ACM TOMS 18(3), 360-373, 1992), whose partial
 *    denominators are formed from y so that nothing cancels when nu is large,
 *    evaluated by the modified Lentz method (Thompson and Barnett, J. Comput.
 *    Phys. 64, 490-509, 1986);
 *    the prefactor from Stirling's series (A&S 6.1.41) for the gamma ratio;
 *  - t quantile: Newton's method on the logarithm of the tail (or of the
 *    centre), in log t, started from the Cornish-Fisher expansion of A&S
 *    26.7.5 or from the leading term of the tail's series, and kept inside
 *    the bracket the iterates establish.
 *
 * Each tail is computed directly, never as 1 minus its complement; the
 * quantile of p and of 1 - p differ only in sign.
 *
 * lgamma is not used: it writes the global signgam, and the library keeps no
 * global state; tgamma covers the small arguments where Stirling does not.
 */
#include <float.h>
#include <math.h>

#include "feedback/stats.h"

#define SQRT1_2 0.70710678118654757          /* 1/sqrt(2), rounded */
#define SQRT1_2_LO (-4.833646656726457e-17)  /* 1/sqrt(2) - SQRT1_2 */
#define INV_SQRT_PI 0.56418958354775628      /* 1/sqrt(pi) */
#define PI 3.14159265358979324
#define LN_PI 1.1447298858494002             /* ln(pi) */
#define LN_SQRT_2PI 0.91893853320467274      /* ln(sqrt(2 pi)) */

/* Above this many degrees of freedom, t and the normal differ by less than rounding. */
#define T_NORMAL_DF 1e30

/* ------------------------------------------------------------------ */
/* Normal                                                              */
/* ------------------------------------------------------------------ */

double fb_normal_cdf(double x)
{
    double u, du;

    if (!(x < -1.0) || x < -40.0) /* NaN, the centre and the upper side, or below the doubles */
        return 0.5 * erfc(-x * SQRT1_2);
    /* u + du = -x / sqrt 2 to twice double precision; erfc' = -2/sqrt(pi) exp(-u^2). */
    u = -x * SQRT1_2;
    du = fma(-x, SQRT1_2, -u) - x * SQRT1_2_LO;
    return 0.5 * erfc(u) - du * INV_SQRT_PI * exp(-u * u);
}

/* AS 241, PPND16: numerators and denominators, lowest power first. */
static const double AS241_A[8] = {
    3.3871328727963666080e0, 1.3314166789178437745e+2, 1.9715909503065514427e+3,
    1.3731693765509461125e+4, 4.5921953931549871457e+4, 6.7265770927008700853e+4,
    3.3430575583588128105e+4, 2.5090809287301226727e+3};
static const double AS241_B[8] = {
    1.0, 4.2313330701600911252e+1, 6.8718700749205790830e+2, 5.3941960214247511077e+3,
    2.1213794301586595867e+4, 3.9307895800092710610e+4, 2.8729085735721942674e+4,
    5.2264952788528545610e+3};
static const double AS241_C[8] = {
    1.42343711074968357734e0, 4.63033784615654529590e0, 5.76949722146069140550e0,
    3.64784832476320460504e0, 1.27045825245236838258e0, 2.41780725177450611770e-1,
    2.27238449892691845833e-2, 7.74545014278341407640e-4};
static const double AS241_D[8] = {
    1.0, 2.05319162663775882187e0, 1.67638483018380384940e0, 6.89767334985100004550e-1,
    1.48103976427480074590e-1, 1.51986665636164571966e-2, 5.47593808499534494600e-4,
    1.05075007164441684324e-9};
static const double AS241_E[8] = {
    6.65790464350110377720e0, 5.46378491116411436990e0, 1.78482653991729133580e0,
    2.96560571828504891230e-1, 2.65321895265761230930e-2, 1.24266094738807843860e-3,
    2.71155556874348757815e-5, 2.01033439929228813265e-7};
static const double AS241_F[8] = {
    1.0, 5.99832206555887937690e-1, 1.36929880922735805310e-1, 1.48753612908506148525e-2,
    7.86869131145613259100e-4, 1.84631831751005468180e-5, 1.42151175831644588870e-7,
    2.04426310338993978564e-15};

static double ratio7(const double *num, const double *den, double r)
{
    double n = num[7], d = den[7];
    int i;
    for (i = 6; i >= 0; i--) {
        n = n * r + num[i];
        d = d * r + den[i];
    }
    return n / d;
}

double fb_normal_quantile(double p)
{
    double q, r, x;

    if (!(p > 0.0 && p < 1.0))
        return p == 0.0 ? -INFINITY : p == 1.0 ? INFINITY : NAN;
    q = p - 0.5;
    if (fabs(q) <= 0.425)
        return q * ratio7(AS241_A, AS241_B, 0.180625 - q * q);
    r = sqrt(-log(q < 0.0 ? p : 1.0 - p)); /* 1 - p is exact for p >= 1/2 */
    if (r <= 5.0)
        x = ratio7(AS241_C, AS241_D, r - 1.6);
    else
        x = ratio7(AS241_E, AS241_F, r - 5.0);
    return q < 0.0 ? -x : x;
}

/* ------------------------------------------------------------------ */
/* Student's t                                                         */
/* ------------------------------------------------------------------ */

/* ln Gamma(x) minus Stirling's approximation, A&S 6.1.41; below 1e-16 relative for x >= 8. */
static double stirling_tail(double x)
{
    static const double c[8] = {1.0 / 12,          -1.0 / 360, 1.0 / 1260,
                                -1.0 / 1680,       1.0 / 1188, -691.0 / 360360,
                                1.0 / 156,         -3617.0 / 122400};
    double r = 1.0 / x, r2 = r * r, s = c[7];
    int i;
    for (i = 6; i >= 0; i--)
        s = s * r2 + c[i];
    return s * r;
}

/* ln(Gamma(a + 1/2) / (Gamma(a) sqrt(a))): 0 in the limit, -1/(8a) for large a. */
static double log_half_ratio(double a)
{
    if (a >= 8.0)
        return a * log1p(0.5 / a) - 0.5 + stirling_tail(a + 0.5) - stirling_tail(a);
    if (a < DBL_EPSILON) /* a Gamma(a) = Gamma(1 + a) rounds to 1 */
        return log(tgamma(a + 0.5)) + 0.5 * log(a);
    return log(tgamma(a + 0.5) / tgamma(a)) - 0.5 * log(a);
}

#define CF_MAX_TERMS 5000

/*
 * The continued fraction of the incomplete beta ratio, A&S 26.5.8:
 * I_x(a, b) = x^a y^b / (a B(a, b)) * 1 / (1 + d1 / (1 + d2 / (1 + ...))), with
 * d(2m+1) = -(a+m)(a+b+m) x / ((a+2m)(a+2m+1)), d(2m) = m(b-m) x / ((a+2m-1)(a+2m)).
 * Returns the fraction's value g, from its even contraction
 * g = 1 - d1 / F,  F = e(0) + d(2) - d(2)d(3) / (e(1) + d(4) - d(4)d(5) / (...)),
 * e(m) = 1 + d(2m+1), by the modified Lentz method. For b <= 1, e(m) is
 * formed as [a(1-b) + m(2a+3m+2-b) + (a+m)(a+b+m) y] / ((a+2m)(a+2m+1)), a sum
 * of non-negative terms: near x = 1, 1 + d(2m+1) would cancel to O(y).
 * Converges fast for x < (a+1)/(a+b+2).
 */
static double d_odd(double a, double b, double x, double m)
{
    return -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
}

static double d_even(double a, double b, double x, double m)
{
    return m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
}

static double e_odd(double a, double b, double x, double y, double m)
{
    if (b <= 1.0)
        return (a * (1 - b) + m * (2 * a + 3 * m + 2 - b) + (a + m) * (a + b + m) * y) /
               ((a + 2 * m) * (a + 2 * m + 1));
    return 1.0 + d_odd(a, b, x, m);
}

static double beta_fraction(double a, double b, double x, double y)
{
    const double tiny = 1e-300;
    double f, c, d, delta;
    int m;

    f = e_odd(a, b, x, y, 0) + d_even(a, b, x, 1);
    if (f == 0.0)
        f = tiny;
    c = f;
    d = 0.0;
    for (m = 1; m < CF_MAX_TERMS; m++) {
        double num = -d_even(a, b, x, m) * d_odd(a, b, x, m);
        double den = e_odd(a, b, x, y, m) + d_even(a, b, x, m + 1);
        d = den + num * d;
        d = 1.0 / (d == 0.0 ? tiny : d);
        c = den + num / c;
        if (c == 0.0)
            c = tiny;
        delta = c * d;
        f *= delta;
        if (fabs(delta - 1.0) <= DBL_EPSILON)
            break;
    }
    return 1.0 - d_odd(a, b, x, 0) / f;
}

/* Both sides of Student's t at t > 0, each computed where it is small or directly. */
typedef struct t_sides {
    double tail;       /* P(T > t) */
    double centre;     /* P(0 < T <= t) = 1/2 - tail */
    double log_tail;   /* ln tail, also where tail underflows */
    double log_centre; /* ln centre */
    double log_ft;     /* ln(f(t) t), f the density */
} t_sides;

/*
 * x = nu / (nu + t^2), y = t^2 / (nu + t^2) and their logarithms, from
 * s = t^2/nu or nu/t^2, whichever is at most 1, without overflow.
 */
static void t_split(double t, double df, double *x, double *y, double *ln_x, double *ln_y)
{
    double tt = t * t, s, ln_s, l1p;
    int small = t <= sqrt(df); /* s = t^2/nu, else nu/t^2 */

    s = small ? tt / df : df / tt;
    if (s >= DBL_MIN && tt >= DBL_MIN && tt <= DBL_MAX) {
        ln_s = log(s);
    } else { /* t^2 or s left the doubles */
        ln_s = small ? 2 * log(t) - log(df) : log(df) - 2 * log(t);
        s = exp(ln_s);
    }
    l1p = log1p(s);
    if (small) {
        *x = 1 / (1 + s);
        *y = s / (1 + s);
        *ln_x = -l1p;
        *ln_y = ln_s - l1p;
    } else {
        *x = s / (1 + s);
        *y = 1 / (1 + s);
        *ln_x = ln_s - l1p;
        *ln_y = -l1p;
    }
}

/*
 * g sqrt(v) w and its logarithm, from v and ln v, w and ln w = e, where v
 * or w may lie outside the doubles: the factors are multiplied, so that no
 * large logarithms cancel, and w comes last, so that nothing passes
 * through subnormals.
 */
static double side_value(double g, double v, double ln_v, double w, double e, double *ln_out)
{
    *ln_out = e + 0.5 * ln_v + log(g);
    return v >= DBL_MIN && v <= DBL_MAX && w >= DBL_MIN ? g * sqrt(v) * w : exp(*ln_out);
}

/* t finite and > 0, 0 < df <= T_NORMAL_DF. */
static void t_sides_at(double t, double df, t_sides *out)
{
    double a = 0.5 * df, x, y, ln_x, ln_y, ln_r, e, w, g;

    t_split(t, df, &x, &y, &ln_x, &ln_y);
    ln_r = log_half_ratio(a);
    /*
     * I_x(a, 1/2) = x^a y^(1/2) / (a B(a, 1/2)) g with 1 / B(a, 1/2) =
     * Gamma(a + 1/2) / (Gamma(a) sqrt(pi)): x^a exp(ln_r) sqrt(y / (a pi)) g.
     * x^a from pow while x is small (its logarithm is large, and its rounding
     * would count a times), from ln x = -log1p(t^2/nu) near 1.
     */
    e = a * ln_x + ln_r;
    w = (x >= DBL_MIN && x < 0.5 ? pow(x, a) : exp(a * ln_x)) * exp(ln_r);
    if (y > 1.5 / (a + 2.5)) { /* x < (a + 1) / (a + 3/2 + 1): the tail's fraction converges */
        g = 0.5 * beta_fraction(a, 0.5, x, y);
        out->tail = side_value(g, y / (a * PI), ln_y - log(a) - LN_PI, w, e, &out->log_tail);
        out->centre = 0.5 - out->tail;
        out->log_centre = log(out->centre);
    } else { /* I_y(1/2, a) = x^a exp(ln_r) sqrt(a y / pi) 2 g */
        g = beta_fraction(0.5, a, y, x);
        out->centre = side_value(g, a * y / PI, ln_y + log(a) - LN_PI, w, e, &out->log_centre);
        out->tail = 0.5 - out->centre;
        out->log_tail = log(out->tail);
    }
    /* f(t) = Gamma(a + 1/2) / (Gamma(a) sqrt(2 pi a)) x^(a + 1/2) */
    out->log_ft = ln_r - LN_SQRT_2PI + (a + 0.5) * ln_x + log(t);
}

double fb_t_cdf(double t, double df)
{
    t_sides v;

    if (isnan(t) || !(df > 0.0))
        return NAN;
    if (df > T_NORMAL_DF)
        return fb_normal_cdf(t);
    if (t == 0.0)
        return 0.5;
    if (isinf(t))
        return t < 0.0 ? 0.0 : 1.0;
    t_sides_at(fabs(t), df, &v);
    return t < 0.0 ? v.tail : 0.5 + v.centre;
}

/*
 * A first t > 0 with P(T > t) = pl (pl < 1/2): from the leading term of the
 * tail, I_x(a, 1/2) ~ x^a / (a B(a, 1/2)), where that gives x < 1/2 (heavy
 * tails, small df); otherwise the Cornish-Fisher expansion of A&S 26.7.5
 * around the normal quantile, or for very small df the centre's first term.
 */
static double t_start(double pl, double df)
{
    double a = 0.5 * df, ln_r = log_half_ratio(a);
    double ln_x0 = (log(2 * pl) + 0.5 * (log(a) + LN_PI) - ln_r) / a;
    double z, z2, t;

    if (ln_x0 < -0.6931471805599453) { /* x0 < 1/2: t^2 = df (1/x0 - 1) */
        double u = -ln_x0;
        double ln_t = 0.5 * (log(df) + (u > 40.0 ? u : log(expm1(u))));
        return ln_t > 709.0 ? DBL_MAX : exp(ln_t);
    }
    if (df < 2.0) /* P(0 < T < t) ~ f(0) t, f(0) = exp(ln_r) / sqrt(2 pi) */
        return (0.5 - pl) * exp(LN_SQRT_2PI - ln_r);
    z = -fb_normal_quantile(pl);
    z2 = z * z;
    t = z + z * (z2 + 1) / (4 * df) + z * ((5 * z2 + 16) * z2 + 3) / (96 * df * df) +
        z * (((3 * z2 + 19) * z2 + 17) * z2 - 15) / (384 * df * df * df) +
        z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) / (92160 * df * df * df * df);
    return t > 0.0 ? t : z;
}

#define T_QUANTILE_MAX_STEPS 100

double fb_t_quantile(double p, double df)
{
    double pl, target, ln_target, t, lo = 0.0, hi = INFINITY;
    int use_tail, i;
    t_sides v;

    if (!(df > 0.0) || !(p > 0.0 && p < 1.0))
        return !(df > 0.0) ? NAN : p == 0.0 ? -INFINITY : p == 1.0 ? INFINITY : NAN;
    if (df > T_NORMAL_DF)
        return fb_normal_quantile(p);
    if (p == 0.5)
        return 0.0;
    pl = p < 0.5 ? p : 1.0 - p; /* exact */
    /* Solve P(T > t) = pl in the tails; P(0 < T <= t) = 1/2 - pl (exact) near the middle. */
    use_tail = pl < 0.25;
    target = use_tail ? pl : 0.5 - pl;
    ln_target = log(target);
    t = t_start(pl, df);
    for (i = 0; i < T_QUANTILE_MAX_STEPS; i++) {
        double side, ln_side, g, step, next;
        t_sides_at(t, df, &v);
        side = use_tail ? v.tail : v.centre;
        ln_side = use_tail ? v.log_tail : v.log_centre;
        if (side >= DBL_MIN && side > 0.5 * target && side < 2 * target)
            g = log1p((side - target) / target);
        else
            g = ln_side - ln_target;
        if (g == 0.0)
            break;
        /* The tail falls and the centre grows with t. */
        if ((g > 0.0) == use_tail)
            lo = t;
        else
            hi = t;
        /* Newton in ln t: d ln(side) / d ln t = -+ f(t) t / side */
        step = g / exp(v.log_ft - ln_side);
        if (!use_tail)
            step = -step;
        if (step > 16.0)
            step = 16.0;
        else if (step < -16.0)
            step = -16.0;
        next = t * exp(step);
        if (fabs(step) < 1e-13) { /* Newton's next step would be below rounding */
            t = next;
            break;
        }
        if (!(next > lo && next < hi)) { /* outside the bracket: halve it, in ln t */
            if (hi == INFINITY)
                next = lo * 16.0;
            else if (lo == 0.0)
                next = hi / 16.0;
            else
                next = lo * sqrt(hi / lo);
        }
        if (!(next < DBL_MAX)) { /* beyond the doubles when even DBL_MAX has too heavy a tail */
            if (t == DBL_MAX)
                return p < 0.5 ? -INFINITY : INFINITY;
            next = DBL_MAX;
        }
        t = next;
    }
    return p < 0.5 ? -t : t;
}
