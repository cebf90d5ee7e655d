"""The metrics of plain sequences of scores, with honest intervals (docs/METRICS.md)."""

from __future__ import annotations

from typing import Any, NamedTuple, Optional, Sequence

from . import _swig


class Estimate(NamedTuple):
    """A value from n answers, with its confidence interval [lo, hi]."""
    value: float
    lo: float
    hi: float
    n: int

    def __str__(self) -> str:
        return f"{self.value:.4g} [{self.lo:.4g}, {self.hi:.4g}] (n={self.n})"


def _est(e) -> Estimate:
    return Estimate(e.value, e.lo, e.hi, e.n)


class NPS(NamedTuple):
    """Net Promoter Score: points (-100..100, adjusted Wald interval) and its shares."""
    nps: Estimate
    promoters: Estimate
    passives: Estimate
    detractors: Estimate
    mean: Estimate
    skipped: int


class CSAT(NamedTuple):
    """Customer satisfaction: the top-box share (4 and 5 of 1..5), the mean, problem answers."""
    satisfied: Estimate
    mean: Estimate
    problems: Estimate
    skipped: int


class CES(NamedTuple):
    """Customer effort: the mean, the shares agreeing and disagreeing, the net (points)."""
    mean: Estimate
    agree: Estimate
    disagree: Estimate
    net: Estimate
    skipped: int


class GCR(NamedTuple):
    """Goal completion: the share of answers saying yes (1)."""
    completed: Estimate
    skipped: int


class Rating(NamedTuple):
    """Star ratings: the mean, the count of each star, the Bayesian average, the ranking bound."""
    mean: Estimate
    stars: tuple
    bayesian_average: float
    lower_bound: float
    skipped: int


# Sequences of scores: lists, tuples, numpy arrays (float64 ones are read in place);
# None and NaN are skipped answers, counted in no denominator.

def nps(scores: Sequence[Optional[float]], level: float = 0.95) -> NPS:
    """NPS of 0..10 scores: promoters >= 9, detractors < 7."""
    r = _swig.fbb_nps(scores, level)
    return NPS(_est(r.nps), _est(r.promoters), _est(r.passives), _est(r.detractors),
               _est(r.mean), r.skipped)


def csat(scores: Sequence[Optional[float]], level: float = 0.95) -> CSAT:
    """CSAT of 1..5 scores."""
    r = _swig.fbb_csat(scores, level)
    return CSAT(_est(r.satisfied), _est(r.mean), _est(r.problems), r.skipped)


def ces(scores: Sequence[Optional[float]], level: float = 0.95, legacy: bool = False) -> CES:
    """CES of 1..7 agreement scores (legacy: the 1..5 scale)."""
    r = _swig.fbb_ces(scores, level, legacy)
    return CES(_est(r.mean), _est(r.agree), _est(r.disagree), _est(r.net), r.skipped)


def gcr(scores: Sequence[Optional[float]], level: float = 0.95) -> GCR:
    """GCR of 0 (no) and 1 (yes) answers."""
    r = _swig.fbb_gcr(scores, level)
    return GCR(_est(r.completed), r.skipped)


def rating(scores: Sequence[Optional[float]], level: float = 0.95, prior_weight: float = 10,
           prior_mean: float = 3.5) -> Rating:
    """Star ratings of 1..5; the Bayesian average weighs prior_mean as prior_weight ratings."""
    r = _swig.fbb_rating(scores, level, prior_weight, prior_mean)
    return Rating(_est(r.mean), tuple(r.stars_at(i) for i in range(5)), r.bayesian_average,
                  r.lower_bound, r.skipped)


__all__ = ["Estimate", "NPS", "CSAT", "CES", "GCR", "Rating", "nps", "csat", "ces", "gcr",
           "rating"]
