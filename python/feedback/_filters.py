"""Relevance filters: which feedback is worth acting on, and why (docs/FILTERS.md)."""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Mapping, NamedTuple, Optional

from . import _swig
from ._errors import ClosedError
from ._record import Record, to_ms

#: The reason names, by code: "non_customer", ..., "hearsay".
REASONS = tuple(_swig.fbb_reason_name(r) for r in range(_swig.fbb_reason_count()))
_ACTIONS = ("keep", "flag", "drop")
_CATEGORIES = {1: "obscenity", 2: "insult", 4: "threat", 8: "shouting"}


def _reason_list(bits: int) -> List[str]:
    return [name for r, name in enumerate(REASONS) if bits >> r & 1]


class Span(NamedTuple):
    """Bytes [offset, offset + length) of the record's text that made a reason, and the text."""
    offset: int
    length: int
    reason: str
    category: Optional[str]   # abusive, shouting: obscenity, insult, threat, shouting
    text: str


class Verdict(NamedTuple):
    """What the chain made of a record: the action and every reason by its action."""
    action: str              # "keep", "flag" or "drop"
    dropped: List[str]       # reasons whose action was drop
    flagged: List[str]
    noted: List[str]         # found and counted, no action
    abuse_score: Optional[float]
    duplicate_of: Optional[int]
    spans: List[Span]
    alerts: List[str]        # the alert rules the record matched
    explanation: str         # "drop: non_customer (customer_status non_customer); ..."

    @property
    def reasons(self) -> List[str]:
        """Every reason found, whatever its action."""
        return self.dropped + self.flagged + self.noted


class FilterChain:
    """The relevance filters in order: customer, recency, abuse, duplicates, bursts, hearsay.

    Options set the policies (docs/FILTERS.md has the defaults): the
    recency limits in days and the time ages are measured to (``now``;
    default each record's created_at), whether the verified flag is needed,
    the abuse score from which a text is abusive, ``actions`` mapping
    reason names to "keep", "flag" or "drop", and ``alerts``, rules such as
    "nps<=6" or "reason=abusive" whose matches each verdict lists.
    ``evaluate(record)`` judges a record; feed records in created_at order
    (duplicates and bursts compare each with those before it).
    """

    def __init__(self, *, max_age_days: float = 90, max_delay_days: float = 30, now: Any = None,
                 require_verified: bool = False, abuse_threshold: Optional[float] = None,
                 actions: Optional[Mapping[str, str]] = None, alerts: Iterable[str] = ()):
        self._h = _swig.fbb_chain_new()
        _swig.fbb_chain_set_recency(self._h, max_age_days, max_delay_days, to_ms(now, "now"))
        _swig.fbb_chain_set_customers(self._h, require_verified)
        if abuse_threshold is not None:
            _swig.fbb_chain_set_abuse_threshold(self._h, abuse_threshold)
        for reason, action in (actions or {}).items():
            _swig.fbb_chain_set_action(self._h, reason, action)
        self._alerts = [a for a in alerts]
        for rule in self._alerts:
            _swig.fbb_chain_add_alert(self._h, rule)
        _swig.fbb_chain_ready(self._h)

    def _handle(self):
        if self._h is None:
            raise ClosedError("the filter chain is closed", code=-1)
        return self._h

    def set_action(self, reason: str, action: str) -> None:
        """Sets what a reason does from now on: "keep", "flag" or "drop"."""
        _swig.fbb_chain_set_action(self._handle(), reason, action)

    def add_word(self, word: str, category: str = "insult", kind: str = "word") -> None:
        """Adds to the abuse lexicon: kind "word", "root" (what it starts) or "exception"."""
        _swig.fbb_chain_add_word(self._handle(), kind, category, word)

    def evaluate(self, record: Record) -> Verdict:
        """Judges a record, counts it, and returns the verdict."""
        h = self._handle()
        _swig.fbb_chain_evaluate(h, record._to_tuple())
        raw = record.text.encode("utf-8", "surrogateescape")
        spans = []
        for i in range(_swig.fbb_chain_span_count(h)):
            s = _swig.fbb_chain_span_at(h, i)
            spans.append(Span(s.offset, s.length, REASONS[s.reason], _CATEGORIES.get(s.category),
                              raw[s.offset:s.offset + s.length].decode("utf-8", "replace")))
        score = _swig.fbb_chain_abuse_score(h)
        return Verdict(
            action=_swig.fbb_chain_action(h),
            dropped=_reason_list(_swig.fbb_chain_reasons(h, 2)),
            flagged=_reason_list(_swig.fbb_chain_reasons(h, 1)),
            noted=_reason_list(_swig.fbb_chain_reasons(h, 0)),
            abuse_score=None if score != score else score,  # NaN: no text judged
            duplicate_of=_swig.fbb_chain_duplicate_of(h) or None,
            spans=spans,
            alerts=[rule for i, rule in enumerate(self._alerts)
                    if _swig.fbb_chain_alert_hit(h, i)],
            explanation=_swig.fbb_chain_explain(h))

    def filter(self, records: Iterable[Record]):
        """Yields (record, verdict) for each record."""
        for r in records:
            yield r, self.evaluate(r)

    def relevant(self, records: Iterable[Record]):
        """Yields the records not dropped."""
        for r in records:
            if self.evaluate(r).action != "drop":
                yield r

    def counts(self) -> Dict[str, Any]:
        """What the chain judged so far: records by action, reasons by action."""
        c = _swig.fbb_chain_counts(self._handle())
        return {
            "records": c.records, "kept": c.kept, "flagged": c.flagged, "dropped": c.dropped,
            "dropped_by": {REASONS[r]: c.dropped_by_at(r) for r in range(len(REASONS))
                           if c.dropped_by_at(r)},
            "flagged_by": {REASONS[r]: c.flagged_by_at(r) for r in range(len(REASONS))
                           if c.flagged_by_at(r)},
            "noted_by": {REASONS[r]: c.noted_by_at(r) for r in range(len(REASONS))
                         if c.noted_by_at(r)},
        }

    def explain_counts(self) -> str:
        """The counts as a person reads them: "5000 records: 1204 dropped, ..."."""
        return _swig.fbb_chain_counts_explain(self._handle())

    @property
    def closed(self) -> bool:
        return self._h is None

    def close(self) -> None:
        if self._h is not None:
            _swig.fbb_chain_close(self._h)
            self._h = None

    def __enter__(self) -> "FilterChain":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


__all__ = ["FilterChain", "Verdict", "Span", "REASONS"]
