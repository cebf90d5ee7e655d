"""Summaries: metrics by group and period, with intervals, changes and leaderboards."""

from __future__ import annotations

import os
import datetime as _dt
from typing import Any, Dict, Iterable, List, NamedTuple, Optional, Sequence, Union

from . import _swig
from ._errors import ClosedError
from ._filters import FilterChain
from ._metrics import CES, CSAT, GCR, NPS, Estimate, Rating, _est
from ._record import (BUILTIN_METRICS, CHANNELS, CUSTOMER_STATUSES, SOURCES, Record, _code,
                      from_ms)

_DIMS = ("channel", "source", "customer_status", "country", "agent", "product", "tag",
         "attribute")


class Group(NamedTuple):
    """A group of a summary: its key, its counts, and the headline of each metric answered."""
    index: int                       # -1: the total
    key: Dict[str, str]              # the dimensions grouped by, and "period" (e.g. "2026-01")
    period_start: Optional[_dt.datetime]
    period_end: Optional[_dt.datetime]
    records: int                     # counted (included)
    excluded: int                    # left out (not relevant): in no metric
    responses: int
    invitations: int
    updates: int
    metrics: Dict[str, Estimate]     # headline of each metric with answers: "nps" -> points


class Leader(NamedTuple):
    rank: int
    group: Group
    value: Estimate
    bound: float                     # what ranks it: the lower end of the interval


class Change(NamedTuple):
    group: Group                     # the period flagged
    metric: str
    kind: str                        # "previous" (a two-period test) or "limits" (control limits)
    direction: int                   # +1 up, -1 down
    value: float
    baseline: float
    size: float
    lo: float
    hi: float
    p_value: float


class Comparison(NamedTuple):
    diff: float                      # a minus b
    lo: float
    hi: float
    p_value: float


class Term(NamedTuple):
    term: str
    comments: int
    detractors: int
    promoters: int
    lift: float


class Correlation(NamedTuple):
    a: str
    b: str
    r: Estimate


def _period_label(period: str, start: Optional[_dt.datetime]) -> str:
    if start is None:
        return ""
    if period == "year":
        return f"{start.year}"
    if period == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    if period == "month":
        return f"{start.year}-{start.month:02d}"
    if period == "week":
        y, w, _ = (start + _dt.timedelta(days=3)).isocalendar()
        return f"{y}-W{w:02d}"
    return start.date().isoformat()


class Summary:
    """Records grouped by dimensions and period, each group holding every metric.

    Made by :func:`summarize`. ``total`` and ``groups`` give each group's
    key, counts and headline estimates (NPS in points, shares 0..1, means
    on the scale); ``result(metric, group)`` gives a metric in full.
    """

    def __init__(self, by: Sequence[str] = (), period: Optional[str] = None,
                 attr: Optional[str] = None, level: float = 0.95, utc_offset_minutes: int = 0):
        if isinstance(by, str):
            by = [by]
        self.by = tuple(by)
        self._h = _swig.fbb_summary_new(",".join(self.by), period, attr, level,
                                        utc_offset_minutes)
        self.period = _swig.fbb_summary_period(self._h)

    def _handle(self):
        if self._h is None:
            raise ClosedError("the summary is closed", code=-1)
        return self._h

    def add(self, record: Record, include: bool = True) -> None:
        _swig.fbb_summary_add(self._handle(), record._to_tuple(), include)

    def add_path(self, path, relevance: Optional[FilterChain] = None) -> int:
        """Adds a log, CSV or JSON Lines file; with a chain, only the records it keeps count."""
        chain = relevance._handle() if relevance is not None else None
        return _swig.fbb_summary_add_path(self._handle(), os.fspath(path), chain)

    def merge(self, other: "Summary") -> None:
        """Adds other's counts to this one (the same options): shards merge exactly."""
        _swig.fbb_summary_merge(self._handle(), other._handle())

    # ------------------------------------------------------------ groups

    def _group(self, i: int) -> Group:
        h = self._handle()
        g = _swig.fbb_summary_group_get(h, i)
        key: Dict[str, str] = {}
        if i != -1:
            values = {"channel": CHANNELS[g.channel], "source": SOURCES[g.source],
                      "customer_status": CUSTOMER_STATUSES[g.customer_status],
                      "country": g.country, "agent": g.agent, "product": g.product,
                      "tag": g.tag, "attribute": g.attr}
            dims = _swig.fbb_summary_dims(h)
            key = {d: values[d] for bit, d in enumerate(_DIMS) if dims >> bit & 1}
        start, end = from_ms(g.period_start), from_ms(g.period_end)
        if start is not None and i != -1:
            key["period"] = _period_label(self.period, start)
        metrics = {}
        for m, name in enumerate(BUILTIN_METRICS):
            e = _swig.fbb_summary_headline(h, i, m)
            if e.n:
                metrics[name] = _est(e)
        return Group(i, key, start, end, g.records, g.excluded, g.responses, g.invitations,
                     g.updates, metrics)

    @property
    def total(self) -> Group:
        """Every counted record once."""
        return self._group(-1)

    @property
    def groups(self) -> List[Group]:
        """The groups in key order: the dimensions, then the period."""
        return [self._group(i) for i in range(_swig.fbb_summary_count(self._handle()))]

    def __len__(self) -> int:
        return _swig.fbb_summary_count(self._handle())

    def unit(self, metric: str) -> str:
        """What metric's headline is in: "points", "share" or "score"."""
        return _swig.fbb_summary_unit(self._handle(), _code("metric", metric))

    def result(self, metric: str, group: Optional[Group] = None):
        """Metric in full (NPS, CSAT, CES, GCR, Rating) for a group (None: the total)."""
        h, i = self._handle(), -1 if group is None else group.index
        if metric == "nps":
            r = _swig.fbb_summary_nps(h, i)
            return NPS(_est(r.nps), _est(r.promoters), _est(r.passives), _est(r.detractors),
                       _est(r.mean), r.skipped)
        if metric == "csat":
            r = _swig.fbb_summary_csat(h, i)
            return CSAT(_est(r.satisfied), _est(r.mean), _est(r.problems), r.skipped)
        if metric == "ces":
            r = _swig.fbb_summary_ces(h, i)
            return CES(_est(r.mean), _est(r.agree), _est(r.disagree), _est(r.net), r.skipped)
        if metric == "gcr":
            r = _swig.fbb_summary_gcr(h, i)
            return GCR(_est(r.completed), r.skipped)
        if metric == "rating":
            r = _swig.fbb_summary_rating(h, i)
            return Rating(_est(r.mean), tuple(r.stars_at(k) for k in range(5)),
                          r.bayesian_average, r.lower_bound, r.skipped)
        if metric == "cli":
            r = _swig.fbb_summary_cli(h, i)
            return _est(r.cli)
        raise ValueError(f"metric: {metric!r} is none of nps, csat, ces, cli, gcr, rating")

    # ------------------------------------------------------------ analyses

    def compare(self, a: Group, b: Group, metric: str = "nps") -> Comparison:
        """a against b on the metric's headline: the difference, its interval, its p-value."""
        c = _swig.fbb_summary_compare(self._handle(), a.index, b.index, _code("metric", metric))
        return Comparison(c.diff, c.lo, c.hi, c.p_value)

    def leaderboard(self, metric: str = "nps", min_n: int = 30) -> List[Leader]:
        """Groups with at least min_n answers, best first by the lower end of their interval."""
        h = self._handle()
        n = _swig.fbb_summary_leaderboard(h, _code("metric", metric), min_n)
        leaders = [_swig.fbb_summary_leader_at(h, k) for k in range(n)]
        return [Leader(k + 1, self._group(l.group), _est(l.value), l.bound)
                for k, l in enumerate(leaders)]

    def changes(self, metric: str = "nps", alpha: float = 0.05, min_effect: float = 0,
                min_n: int = 1) -> List[Change]:
        """Periods whose value changed significantly, or left the control limits."""
        h = self._handle()
        n = _swig.fbb_summary_changes(h, _code("metric", metric), alpha, min_effect, min_n)
        out = []
        for k in range(n):
            c = _swig.fbb_summary_change_at(h, k)
            out.append(Change(self._group(c.group), metric,
                              "previous" if c.kind == 1 else "limits", c.direction, c.value,
                              c.baseline, c.size, c.lo, c.hi, c.p_value))
        return out

    def change_tests(self) -> int:
        """How many tests the last changes() made (about alpha times that flag by chance)."""
        return _swig.fbb_summary_change_tests(self._handle())

    def terms(self, group: Optional[Group] = None, n: int = 10, by_lift: bool = False,
              min_comments: int = 1) -> List[Term]:
        """The most frequent comment terms (by_lift: those most over-represented in detractors)."""
        h = self._handle()
        k = _swig.fbb_summary_terms(h, -1 if group is None else group.index, n, by_lift,
                                    min_comments)
        out = []
        for j in range(k):
            t = _swig.fbb_summary_term_at(h, j)
            out.append(Term(t.term, t.comments, t.detractors, t.promoters, t.lift))
        return out

    def correlations(self, group: Optional[Group] = None) -> List[Correlation]:
        """Pearson's r of metrics answered in the same response."""
        h = self._handle()
        k = _swig.fbb_summary_correlations(h, -1 if group is None else group.index)
        out = []
        for j in range(k):
            c = _swig.fbb_summary_correlation_at(h, j)
            out.append(Correlation(BUILTIN_METRICS[c.a], BUILTIN_METRICS[c.b], _est(c.r)))
        return out

    def to_pandas(self):
        """The groups as a DataFrame: the key, the counts, and value, lo, hi, n of each metric."""
        import pandas as pd
        rows = []
        for g in self.groups:
            row: Dict[str, Any] = dict(g.key)
            row.update(records=g.records, excluded=g.excluded, responses=g.responses)
            for name, e in g.metrics.items():
                row.update({name: e.value, f"{name}_lo": e.lo, f"{name}_hi": e.hi,
                            f"{name}_n": e.n})
            rows.append(row)
        return pd.DataFrame(rows)

    def close(self) -> None:
        if self._h is not None:
            _swig.fbb_summary_close(self._h)
            self._h = None

    def __enter__(self) -> "Summary":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        if self._h is None:
            return "<Summary: closed>"
        return (f"<Summary by {', '.join(self.by) or 'nothing'}, period {self.period}: "
                f"{len(self)} groups, {self.total.records} records>")


def summarize(source: Union[str, "os.PathLike[str]", Iterable[Record]], by: Sequence[str] = (),
              period: Optional[str] = None, *, attr: Optional[str] = None, level: float = 0.95,
              utc_offset_minutes: int = 0, relevance: Optional[FilterChain] = None) -> Summary:
    """Summarises a file (log, CSV, JSON Lines) or an iterable of Records.

    ``by`` lists dimensions (channel, source, customer_status, country,
    agent, product, tag, attribute with ``attr``), ``period`` is day, week,
    month, quarter or year. With ``relevance``, a FilterChain, only the
    records it does not drop count (the others are ``excluded``).
    """
    s = Summary(by, period, attr, level, utc_offset_minutes)
    if isinstance(source, (str, os.PathLike)):
        s.add_path(source, relevance)
    else:
        for r in source:
            s.add(r, relevance is None or relevance.evaluate(r).action != "drop")
    return s


__all__ = ["Summary", "Group", "Leader", "Change", "Comparison", "Term", "Correlation",
           "summarize"]
