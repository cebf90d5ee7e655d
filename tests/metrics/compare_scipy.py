#!/usr/bin/python3
"""Checks libfeedback's statistics (stats.h) against scipy and statsmodels.

Usage: /usr/bin/python3 compare_scipy.py PATH/TO/stats_probe

Draws about 11,000 cases with a fixed seed (edge cases included: n = 0, 1,
huge n, x = 0 and x = n, p near 0, 1/2 and 1, df near 0.5 and huge), runs
the probe once on all of them and compares each result with:

  scipy.stats   norm.cdf, norm.ppf, t.cdf, t.ppf, ttest_ind_from_stats
                (equal_var=False), pearsonr, and the t intervals from t.ppf;
  statsmodels   proportion_confint(method="wilson"), proportions_ztest,
                confint_proportions_2indep(method="newcomb");
  this script   the NPS variance and its adjusted Wald interval (Rocks), Evan
                Miller's star-rating bound, the pooled z test, written from the
                published formulas in exact rational arithmetic (Fraction);
                the Bayesian average and Fisher's z interval in floats.

A result matches within 1e-9 relative, or 1e-12 absolute where the value is
near 0; the distributions within 1e-12 relative (the CDFs where above
1e-300). Relative means relative to the size of the terms a reference adds
or subtracts, where it does (an interval end mean - half is as exact as
mean and half are). scipy's t.ppf (cdflib's iterative inverse) is good to a
few 1e-9 only: each t quantile is compared with it within 1e-9 beyond
t.ppf's own error, and to 1e-12 with t.ppf refined by a Newton step on
scipy's t.cdf / t.sf. statsmodels' pooled z test rounds 1 - p, which costs
digits where the pooled share is within 1e-9 of 0 or 1: its tolerance grows
by that rounding, and z is also checked against the exact test.

Every mismatch is printed with its case, and the exit status is 1 on any; on
success, the cases per kind and the largest relative error seen (over the
values the relative bound decides). Needs Debian's python3-scipy and
python3-statsmodels, which are in /usr/bin/python3, not necessarily in the
python3 first on PATH: without them the check fails and says what is missing.
"""
import math
import subprocess
import sys
from fractions import Fraction

MISSING = []  # (module, the Debian package that provides it)
try:
    import numpy as np
except ImportError:
    MISSING.append(("numpy", "python3-numpy"))
try:
    from scipy import stats
except ImportError:
    MISSING.append(("scipy", "python3-scipy"))
try:
    from statsmodels.stats.proportion import (confint_proportions_2indep,
                                              proportion_confint, proportions_ztest)
except ImportError:
    MISSING.append(("statsmodels", "python3-statsmodels"))
if MISSING:
    print("compare_scipy: FAILED: %s cannot import %s: the Debian package%s %s %s missing "
          "(apt-get install %s)" % (sys.executable, ", ".join(m for m, _ in MISSING),
                                    "s" if len(MISSING) > 1 else "",
                                    ", ".join(p for _, p in MISSING),
                                    "are" if len(MISSING) > 1 else "is",
                                    " ".join(p for _, p in MISSING)), file=sys.stderr)
    sys.exit(1)

import warnings  # noqa: E402

warnings.simplefilter("ignore")  # statsmodels and scipy warn on the 0/0 cases we expect as NaN

SEED = 20240611
REL, ABS = 1e-9, 1e-12
DIST_REL = 1e-12
EPS = 2.220446049250313e-16
LEVELS = [0.5, 0.8, 0.9, 0.95, 0.99, 0.999, 0.999999]


class Checker:
    """Counts comparisons per kind, keeps the largest relative error, collects mismatches."""

    def __init__(self):
        self.count = {}
        self.worst = {}
        self.failures = []

    def case(self, kind):
        self.count[kind] = self.count.get(kind, 0) + 1

    def value(self, kind, line, field, got, want, rel=REL, abs_tol=ABS, scale=0.0):
        """got matches want within rel of max(|want|, scale), or within abs_tol; NaN matches NaN.

        scale is the size of the terms that want is a sum or difference of: the
        reference's own rounding is relative to it, not to a small result.
        """
        if math.isnan(want) or math.isnan(got):
            if not (math.isnan(want) and math.isnan(got)):
                self.failures.append((kind, line, field, got, want, math.inf))
            return
        size = max(abs(want), abs(scale))
        if got == want:
            err = 0.0
        elif math.isinf(want) or math.isinf(got) or size == 0:
            err = math.inf
        else:
            err = abs(got - want) / size
        if size * rel > abs_tol:  # the largest relative error, of values that must meet rel
            self.worst[kind] = max(self.worst.get(kind, 0.0), err)
        if not (err <= rel or abs(got - want) <= abs_tol):
            self.failures.append((kind, line, field, got, want, err))

    def report(self):
        for kind, line, field, got, want, err in self.failures:
            print("MISMATCH %s %s: got %.17g, expected %.17g (relative error %.3g) in case: %s"
                  % (kind, field, got, want, err, line))
        print("%-26s %6s  %s" % ("kind", "cases", "largest relative error"))
        for kind in sorted(self.count):
            print("%-26s %6d  %.3g" % (kind, self.count[kind], self.worst.get(kind, 0.0)))
        total = sum(self.count.values())
        if self.failures:
            print("compare_scipy: %d mismatches in %d cases" % (len(self.failures), total))
        else:
            print("compare_scipy: all %d cases match" % total)
        return 1 if self.failures else 0


def run_probe(probe, lines):
    text = "".join(line + "\n" for line in lines)
    res = subprocess.run([probe], input=text, capture_output=True, text=True, timeout=600)
    if res.returncode != 0:
        print("compare_scipy: FAILED: %s exited with %d\n%s" % (probe, res.returncode, res.stderr),
              file=sys.stderr)
        sys.exit(1)
    out = res.stdout.splitlines()
    if len(out) != len(lines):
        print("compare_scipy: FAILED: %d cases, %d answers" % (len(lines), len(out)),
              file=sys.stderr)
        sys.exit(1)
    return [[float(w) for w in o.split()] if not o.startswith(("error", "unknown")) else o
            for o in out]


# --------------------------------------------------------------- case drawing


def log_uniform(rng, lo, hi):
    return math.exp(rng.uniform(math.log(lo), math.log(hi)))


def draw_df(rng):
    r = rng.random()
    if r < 0.15:
        return float(rng.choice([0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.5, 30.0, 1e3, 1e5, 1e7]))
    if r < 0.25:
        return float(rng.uniform(0.5, 0.6))
    if r < 0.3:
        return log_uniform(rng, 1e6, 1e7)
    return log_uniform(rng, 0.5, 1e7)


def draw_p(rng):
    """A probability in [1e-12, 1 - 1e-12]: tails, the middle, near 1/2."""
    r = rng.random()
    if r < 0.35:
        p = 10.0 ** rng.uniform(-12, -1)
    elif r < 0.7:
        p = 1.0 - 10.0 ** rng.uniform(-12, -1)
    elif r < 0.8:
        p = 0.5 + rng.choice([-1, 1]) * 10.0 ** rng.uniform(-12, -2)
    else:
        p = rng.uniform(1e-3, 1 - 1e-3)
    return min(max(p, 1e-12), 1 - 1e-12)


def draw_count(rng, top=1e9):
    r = rng.random()
    if r < 0.1:
        return 0
    if r < 0.2:
        return int(rng.integers(1, 4))
    if r < 0.25:
        return int(rng.integers(10**12, 10**15))
    return int(log_uniform(rng, 1, top))


def draw_successes(rng, n):
    r = rng.random()
    if n == 0:
        return 0
    if r < 0.12:
        return 0
    if r < 0.24:
        return n
    if r < 0.3:
        return min(n, 1)
    if r < 0.36:
        return n - 1
    return int(rng.integers(0, n + 1))


def draw_level(rng):
    return float(rng.choice(LEVELS)) if rng.random() < 0.6 else float(rng.uniform(0.5, 0.9999))


def build_cases(rng):
    cases = []  # (kind, probe line, parameters)

    def add(kind, params, *args):
        cases.append((kind, " ".join([kind] + [repr(a) if isinstance(a, float) else str(a)
                                                for a in args]), params))

    for x in [0.0, -1.0, 1.0, -1.96, -8.0, -20.0, -37.0, -37.5, 8.0, 1e-300, -1e-300]:
        add("ncdf", (x,), x)
    for _ in range(800):
        x = float(rng.uniform(-37.5, 8.5)) if rng.random() < 0.8 else float(rng.normal(0, 2))
        add("ncdf", (x,), x)
    for p in [1e-300, 1e-12, 0.025, 0.5, 0.975, 1 - 1e-12, 0.5 + 1e-12]:
        add("nquantile", (p,), p)
    for _ in range(600):
        if rng.random() < 0.3:
            p = 10.0 ** rng.uniform(-300, -12)
        else:
            p = draw_p(rng)
        add("nquantile", (p,), p)

    for _ in range(1500):
        df = draw_df(rng)
        mag = log_uniform(rng, 1e-8, 1e6) if rng.random() < 0.9 else log_uniform(rng, 1e6, 1e150)
        t = float(rng.choice([-1, 1])) * mag
        add("tcdf", (t, df), t, df)
    for _ in range(1500):
        p, df = draw_p(rng), draw_df(rng)
        add("tquantile", (p, df), p, df)

    for _ in range(600):
        n = draw_count(rng)
        x = draw_successes(rng, n)
        level = draw_level(rng)
        add("wilson", (x, n, level), x, n, level)
    for _ in range(600):
        n1, n2 = draw_count(rng, 1e7), draw_count(rng, 1e7)
        if rng.random() < 0.9:
            n1, n2 = max(n1, 1), max(n2, 1)
        x1, x2 = draw_successes(rng, n1), draw_successes(rng, n2)
        level = draw_level(rng)
        add("share_compare", (x1, n1, x2, n2, level), x1, n1, x2, n2, level)

    def draw_var(scale):
        return 0.0 if rng.random() < 0.08 else float(scale * log_uniform(rng, 1e-4, 1e2))

    for _ in range(400):
        n = int(rng.choice([0, 1, 2, 3])) if rng.random() < 0.15 else int(log_uniform(rng, 2, 1e9))
        scale = log_uniform(rng, 1e-3, 1e6)
        mean, var, level = float(rng.normal(0, scale)), draw_var(scale * scale), draw_level(rng)
        add("mean", (n, mean, var, level), n, mean, var, level)
    for _ in range(600):
        n1 = int(rng.choice([0, 1, 2])) if rng.random() < 0.06 else int(log_uniform(rng, 2, 1e7))
        n2 = int(rng.choice([0, 1, 2])) if rng.random() < 0.06 else int(log_uniform(rng, 2, 1e7))
        scale = log_uniform(rng, 1e-3, 1e4)
        m1, m2 = float(rng.normal(3, scale)), float(rng.normal(3, scale))
        v1, v2 = draw_var(scale * scale), draw_var(scale * scale)
        level = draw_level(rng)
        add("welch", (n1, m1, v1, n2, m2, v2, level), n1, m1, v1, n2, m2, v2, level)

    def draw_nps_counts():
        top = float(rng.choice([5, 100, 1e4, 1e9]))
        return [draw_count(rng, top) if rng.random() < 0.85 else 0 for _ in range(3)]

    for _ in range(300):
        c = draw_nps_counts()
        add("nps_var", tuple(c), *c)
    for _ in range(600):
        c, level = draw_nps_counts(), draw_level(rng)
        add("nps", (*c, level), *c, level)
    for _ in range(600):
        a, b, level = draw_nps_counts(), draw_nps_counts(), draw_level(rng)
        add("nps_compare", (*a, *b, level), *a, *b, level)

    for _ in range(400):
        stars = int(rng.choice([2, 3, 4, 5, 5, 5, 7, 10]))
        top = float(rng.choice([3, 100, 1e6]))
        counts = [draw_count(rng, top) if rng.random() < 0.8 else 0 for _ in range(stars)]
        level = draw_level(rng)
        add("rating", (level, stars, counts), level, stars, *counts)
    for _ in range(200):
        n = draw_count(rng, 1e6)
        w = 0.0 if rng.random() < 0.1 else log_uniform(rng, 0.1, 1e3)
        mean = float(rng.uniform(1, 5))
        s = float(n * rng.uniform(1, 5))
        add("bayes", (s, n, w, mean), s, n, w, mean)

    for _ in range(300):
        n = int(rng.choice([2, 3, 4])) if rng.random() < 0.15 else int(rng.integers(5, 300))
        x = rng.normal(rng.uniform(-10, 10), log_uniform(rng, 0.1, 10), n)
        y = float(rng.uniform(-2, 2)) * x + rng.normal(rng.uniform(-10, 10),
                                                       log_uniform(rng, 0.01, 10), n)
        sums = [math.fsum(x), math.fsum(y), math.fsum(x * x), math.fsum(y * y), math.fsum(x * y)]
        level = draw_level(rng)
        add("corr", (n, x, y, level), n, *sums, level)
    return cases


# --------------------------------------------------------------- references


def z_of(level):
    """The z of a two-sided interval, from the lower tail: 1 - (1 - level) / 2 would round."""
    return -stats.norm.ppf((1 - level) / 2)


def trinomial_variance(d, s, p):
    """(p+ + p-) - (p+ - p-)^2 of the shares, exactly (Fraction), as a float."""
    n = d + s + p
    pp, pm = Fraction(p) / n, Fraction(d) / n
    return float((pp + pm) - (pp - pm) ** 2)


def nps_reference(d, s, p):
    """Rocks' adjusted Wald: 3/4, 3/2, 3/4 pseudo-counts; NPS' and Var' / (n + 3), exactly."""
    n = d + s + p
    value = float(Fraction(100 * (p - d), n)) if n else math.nan
    da, sa, pa = d + Fraction(3, 4), s + Fraction(3, 2), p + Fraction(3, 4)
    na = da + sa + pa
    var_n = Fraction(trinomial_variance(da, sa, pa)) / na if n else math.nan
    return value, float((pa - da) / na), float(var_n)


def t_residual(q, p, df):
    """(F(q) - p) / f(q) through scipy's t.cdf (t.sf above 1/2, where 1 - p is exact)."""
    side = stats.t.cdf(q, df) - p if p < 0.5 else (1 - p) - stats.t.sf(q, df)
    return side / stats.t.pdf(q, df)


def t_quantile_ref(p, df):
    """scipy's t.ppf, good to a few 1e-9, refined by one Newton step on scipy's t.cdf
    (the error squares: well below 1e-15); and t.ppf's own relative error."""
    q = stats.t.ppf(p, df)
    dq = t_residual(q, p, df)
    return q - dq, abs(dq / q) if q else 0.0


def miller_reference(counts, level):
    """Evan Miller: sum s_k (n_k+1)/(N+K) - z sqrt((sum s_k^2 (n_k+1)/(N+K) - mean^2) / (N+K+1)),
    the moments exact (Fraction); returns the bound and the size of its two terms."""
    k = len(counts)
    total = sum(counts) + k
    w = [Fraction(c + 1, total) for c in counts]
    mean = sum((i + 1) * wi for i, wi in enumerate(w))
    second = sum((i + 1) ** 2 * wi for i, wi in enumerate(w))
    half = z_of(level) * math.sqrt(float((second - mean * mean) / (total + 1)))
    return float(mean) - half, float(mean) + half


def check_all(chk, cases, answers):
    by_kind = {}
    for (kind, line, params), got in zip(cases, answers):
        chk.case(kind)
        if isinstance(got, str):
            chk.failures.append((kind, line, "status", math.nan, 0.0, float("inf")))
            continue
        by_kind.setdefault(kind, []).append((line, params, got))

    for line, (x,), got in by_kind.get("ncdf", []):
        want = stats.norm.cdf(x)
        chk.value("ncdf", line, "cdf", got[0], want, DIST_REL, 0.0 if want >= 1e-300 else 1e-300)
    for line, (p,), got in by_kind.get("nquantile", []):
        chk.value("nquantile", line, "ppf", got[0], stats.norm.ppf(p), DIST_REL, 0.0)
    for line, (t, df), got in by_kind.get("tcdf", []):
        want = stats.t.cdf(t, df)
        chk.value("tcdf", line, "cdf", got[0], want, DIST_REL, 0.0 if want >= 1e-300 else 1e-300)
    for line, (p, df), got in by_kind.get("tquantile", []):
        q = got[0]
        ref, ppf_err = t_quantile_ref(p, df)
        # against t.ppf itself, to 1e-9 beyond t.ppf's own error
        chk.case("tquantile_vs_t.ppf")
        chk.value("tquantile_vs_t.ppf", line, "ppf", q, stats.t.ppf(p, df), REL + 2 * ppf_err)
        # against the refined root of scipy's t.cdf, to 1e-12 beyond what rounding p moves q by
        slack = EPS * min(p, 1 - p) / stats.t.pdf(ref, df)
        chk.value("tquantile", line, "ppf", q, ref, DIST_REL, slack)

    for line, (x, n, level), got in by_kind.get("wilson", []):
        if n == 0:
            want = (math.nan, math.nan, math.nan)
        else:
            # floats: statsmodels squares nobs, which overflows int64 from 3e9 on
            lo, hi = proportion_confint(float(x), float(n), alpha=1 - level, method="wilson")
            want = (x / n, lo, hi)
        for f, g, w in zip(("value", "lo", "hi"), got, want):
            # statsmodels' lo is center - dist: rounding relative to hi
            chk.value("wilson", line, f, g, w, scale=want[2] if f == "lo" else 0.0)

    for line, (x1, n1, x2, n2, level), got in by_kind.get("share_compare", []):
        if n1 == 0 or n2 == 0:
            want = (math.nan,) * 3 + (math.nan, math.inf, math.nan)
        else:
            lo, hi = confint_proportions_2indep(float(x1), float(n1), float(x2), float(n2),
                                                method="newcomb", compare="diff", alpha=1 - level)
            if 0 < x1 + x2 < n1 + n2:
                z, pv = proportions_ztest([float(x1), float(x2)], [float(n1), float(n2)])
            else:
                z, pv = math.nan, math.nan
            want = (x1 / n1 - x2 / n2, lo, hi, z, math.inf, pv)
        # diff and the interval ends are differences: rounding relative to their terms.
        terms = x1 / n1 + x2 / n2 + abs(want[2] - want[1]) if n1 and n2 else 0.0
        for f, g, w in zip(("diff", "lo", "hi", "df"), got[:3] + got[4:5], want[:3] + want[4:5]):
            chk.value("share_compare", line, f, g, w, scale=terms if f != "df" else 0.0)
        # z and p: against the pooled test computed exactly (Fraction), to REL; and against
        # statsmodels, whose p (1 - p) rounds 1 - p: relative error EPS / min(p, 1 - p) in the
        # variance, which costs digits when the pooled share is within 1e-9 of 0 or 1 (the
        # p-value's relative error is then about z^2 times z's).
        if n1 and n2:
            pooled = Fraction(x1 + x2, n1 + n2)
            var = pooled * (1 - pooled) * (Fraction(1, n1) + Fraction(1, n2))
            diff = Fraction(x1, n1) - Fraction(x2, n2)
            z = float(diff) / math.sqrt(float(var)) if var else math.nan
            exact = (z, 2 * stats.norm.sf(abs(z)) if var else math.nan)
            cond = 1 / float(min(pooled, 1 - pooled)) if var else 1.0
        else:
            exact, cond = (math.nan, math.nan), 1.0
        z_tol = REL + 4 * EPS * cond
        zz = abs(exact[0]) if not math.isnan(exact[0]) else 0.0
        chk.case("share_compare_statsmodels")
        for f, g, w, e, tol in zip(("z", "p"), got[3:4] + got[5:6], want[3:4] + want[5:6], exact,
                                   (z_tol, z_tol * max(1.0, zz * zz))):
            chk.value("share_compare", line, f, g, e, REL * (max(1.0, zz * zz) if f == "p" else 1))
            chk.value("share_compare_statsmodels", line, f, g, w, tol)

    for line, (n, mean, var, level), got in by_kind.get("mean", []):
        half = 0.0
        if n == 0:
            want = (math.nan,) * 3
        elif n == 1:
            want = (mean, math.nan, math.nan)
        else:
            half = -t_quantile_ref((1 - level) / 2, n - 1)[0] * math.sqrt(var / n)
            want = (mean, mean - half, mean + half)
        for f, g, w in zip(("value", "lo", "hi"), got, want):
            chk.value("mean", line, f, g, w, scale=abs(mean) + half)

    for line, (n1, m1, v1, n2, m2, v2, level), got in by_kind.get("welch", []):
        diff = m1 - m2 if n1 >= 1 and n2 >= 1 else math.nan
        terms, half, se = abs(m1) + abs(m2), 0.0, math.nan
        if n1 < 2 or n2 < 2 or v1 == 0 and v2 == 0:
            want = (diff,) + (math.nan,) * 5
        else:
            res = stats.ttest_ind_from_stats(m1, math.sqrt(v1), n1, m2, math.sqrt(v2), n2,
                                             equal_var=False)
            w1, w2 = v1 / n1, v2 / n2
            df = (w1 + w2) ** 2 / (w1 * w1 / (n1 - 1) + w2 * w2 / (n2 - 1))
            se = math.sqrt(w1 + w2)
            half = -t_quantile_ref((1 - level) / 2, df)[0] * se
            want = (diff, diff - half, diff + half, res.statistic, df, res.pvalue)
        # diff and the ends are differences: rounding relative to their terms; t = diff / se
        sc = {"diff": terms, "lo": terms + half, "hi": terms + half, "t": terms / se}
        for f, g, w in zip(("diff", "lo", "hi", "t", "df", "p"), got, want):
            chk.value("welch", line, f, g, w, scale=sc.get(f, 0.0))

    for line, (d, s, p), got in by_kind.get("nps_var", []):
        want = trinomial_variance(d, s, p) if d + s + p else math.nan
        chk.value("nps_var", line, "variance", got[0], want)

    for line, (d, s, p, level), got in by_kind.get("nps", []):
        if d + s + p == 0:
            want = (math.nan,) * 3
        else:
            value, nps_adj, var_n = nps_reference(d, s, p)
            half = z_of(level) * math.sqrt(var_n)
            want = (value, 100 * np.clip(nps_adj - half, -1, 1),
                    100 * np.clip(nps_adj + half, -1, 1))
            terms = 100 * (abs(nps_adj) + half)
        for f, g, w in zip(("value", "lo", "hi"), got, want):
            chk.value("nps", line, f, g, w, scale=terms if f != "value" else 0.0)

    for line, (d1, s1, p1, d2, s2, p2, level), got in by_kind.get("nps_compare", []):
        if d1 + s1 + p1 == 0 or d2 + s2 + p2 == 0:
            want = (math.nan,) * 3 + (math.nan, math.inf, math.nan)
        else:
            va, adj_a, var_a = nps_reference(d1, s1, p1)
            vb, adj_b, var_b = nps_reference(d2, s2, p2)
            se = math.sqrt(var_a + var_b)
            half = z_of(level) * se
            diff = adj_a - adj_b
            z = diff / se
            want = (va - vb, 100 * np.clip(diff - half, -2, 2), 100 * np.clip(diff + half, -2, 2),
                    z, math.inf, 2 * stats.norm.sf(abs(z)))
            # differences: rounding relative to their terms; the p-value's error is z^2 times z's
            terms = abs(adj_a) + abs(adj_b)
            sc = {"diff": abs(va) + abs(vb), "lo": 100 * (terms + half), "hi": 100 * (terms + half),
                  "z": terms / se}
        for f, g, w in zip(("diff", "lo", "hi", "z", "df", "p"), got, want):
            tol = REL * max(1.0, z * z) if f == "p" else REL
            chk.value("nps_compare", line, f, g, w, tol, ABS, sc.get(f, 0.0))

    for line, (level, stars, counts), got in by_kind.get("rating", []):
        bound, terms = miller_reference(counts, level)
        chk.value("rating", line, "bound", got[0], bound, scale=terms)

    for line, (s, n, w, mean), got in by_kind.get("bayes", []):
        want = (mean * w + s) / (w + n) if w + n > 0 else math.nan
        chk.value("bayes", line, "average", got[0], want)

    for line, (n, x, y, level), got in by_kind.get("corr", []):
        r = float(stats.pearsonr(x, y)[0])
        if n > 3:
            h = z_of(level) / math.sqrt(n - 3)
            want = (r, math.tanh(math.atanh(r) - h), math.tanh(math.atanh(r) + h))
        else:
            want = (r, math.nan, math.nan)
        # r from the five sums loses what sum x^2 - (sum x)^2 / n cancels: scaled by that
        sc = math.sqrt((1 + (np.mean(x) / np.std(x)) ** 2) * (1 + (np.mean(y) / np.std(y)) ** 2))
        for f, g, w in zip(("r", "lo", "hi"), got, want):
            chk.value("corr", line, f, g, w, scale=sc * abs(w) if not math.isnan(w) else 0.0)


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    rng = np.random.default_rng(SEED)
    cases = build_cases(rng)
    answers = run_probe(sys.argv[1], [c[1] for c in cases])
    chk = Checker()
    check_all(chk, cases, answers)
    return chk.report()


if __name__ == "__main__":
    sys.exit(main())
