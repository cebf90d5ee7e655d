"""Records: one piece of feedback, as a Python object."""

from __future__ import annotations

import datetime as _dt
from typing import Any, Dict, Iterable, List, Mapping, NamedTuple, Optional, Union

from . import _swig
from ._errors import DataError

UTC = _dt.timezone.utc
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=UTC)
_UNKNOWN = -(2 ** 63)


def _names(field: str) -> tuple:
    return tuple(_swig.fbb_enum_name(field, v) for v in range(_swig.fbb_enum_count(field)))


#: The names of each enumeration, by value: ``CHANNELS[1] == "web_form"``.
KINDS = _names("kind")
CUSTOMER_STATUSES = _names("customer_status")
CHANNELS = _names("channel")
SOURCES = _names("source")
METRICS = _names("metric")
HANDLINGS = _names("handling")
ASSIGNEE_KINDS = _names("assignee_kind")
#: The built-in metrics (every metric but "custom"), in their order.
BUILTIN_METRICS = METRICS[:-1]

_CODES = {f: {n: i for i, n in enumerate(names)} for f, names in (
    ("kind", KINDS), ("customer_status", CUSTOMER_STATUSES), ("channel", CHANNELS),
    ("source", SOURCES), ("metric", METRICS), ("handling", HANDLINGS),
    ("assignee_kind", ASSIGNEE_KINDS))}
_NAMES = {"kind": KINDS, "customer_status": CUSTOMER_STATUSES, "channel": CHANNELS,
          "source": SOURCES, "metric": METRICS, "handling": HANDLINGS,
          "assignee_kind": ASSIGNEE_KINDS}


def _code(field: str, name: Union[str, int]) -> int:
    """The value of an enumeration name; the library's error (with a suggestion) when unknown."""
    if isinstance(name, int) and not isinstance(name, bool):
        if 0 <= name < len(_NAMES[field]):
            return name
        raise DataError(f"{field}: {name} is not a {field} value (0 to {len(_NAMES[field]) - 1})",
                        code=-7, field=field)
    code = _CODES[field].get(name)
    if code is None:
        if not isinstance(name, str):
            raise TypeError(f"{field}: expected a name such as {_NAMES[field][0]!r}, "
                            f"not {type(name).__name__}")
        code = _swig.fbb_enum_value(field, name)  # raises the library's message
    return code


def to_ms(t: Any, field: str = "time") -> int:
    """A time as Unix milliseconds: a datetime (naive ones are UTC), an ISO 8601 str, or int ms."""
    if t is None:
        return _UNKNOWN
    if isinstance(t, _dt.datetime):
        if t.tzinfo is None:
            t = t.replace(tzinfo=UTC)
        delta = t - _EPOCH
        return (delta.days * 86400 + delta.seconds) * 1000 + delta.microseconds // 1000
    if isinstance(t, _dt.date):
        return to_ms(_dt.datetime(t.year, t.month, t.day, tzinfo=UTC), field)
    if isinstance(t, str):
        try:
            return _swig.fbb_time_parse(t)
        except DataError as e:
            raise type(e)(f"{field}: {e.message}", code=e.code, field=field,
                          offset=e.offset) from None
    if isinstance(t, int) and not isinstance(t, bool):
        return t
    if hasattr(t, "to_pydatetime"):  # a pandas Timestamp
        return to_ms(t.to_pydatetime(), field)
    raise TypeError(f"{field}: expected a datetime, an ISO 8601 str or int milliseconds, "
                    f"not {type(t).__name__}")


def from_ms(ms: Optional[int]) -> Optional[_dt.datetime]:
    """Unix milliseconds as an aware UTC datetime; None for an unknown time."""
    if ms is None or ms == _UNKNOWN:
        return None
    return _EPOCH + _dt.timedelta(milliseconds=ms)


class CustomAnswer(NamedTuple):
    """An answer to a question of the host's own, on its own scale."""
    score: Optional[float]   # None: shown but skipped
    scale_min: float
    scale_max: float


_FIELDS = ("id", "kind", "created_at", "interaction_at", "customer_id", "customer_status",
           "customer_verified", "win_back", "channel", "source", "answers", "text", "language",
           "tags", "agent_id", "ticket_id", "product", "country", "tip", "tip_currency",
           "attributes", "ref_id", "handling", "assignee", "assignee_kind")
_STR_FIELDS = ("customer_id", "text", "language", "agent_id", "ticket_id", "product", "country",
               "tip_currency", "assignee")


class Record:
    """One piece of feedback (docs/RECORD.md lists the fields and their rules).

    Enumerations are names (``channel="sms"``), times aware UTC datetimes
    (a datetime, an ISO 8601 str or int milliseconds are accepted),
    ``answers`` maps built-in metric names to scores (``None``: skipped),
    ``custom_answers`` maps a question's name to a CustomAnswer. A misspelt
    name raises feedback.Error with the library's message. The record is
    validated as a whole when it is written (``fb_record_validate``).
    """

    __slots__ = _FIELDS + ("custom_answers",)

    def __init__(self, *, id: int = 0, kind: str = "response", created_at: Any = None,
                 interaction_at: Any = None, customer_id: str = "",
                 customer_status: str = "unknown", customer_verified: bool = False,
                 win_back: bool = False, channel: str = "other", source: str = "direct",
                 answers: Optional[Mapping[str, Optional[float]]] = None, text: str = "",
                 language: str = "", tags: Iterable[str] = (), agent_id: str = "",
                 ticket_id: str = "", product: str = "", country: str = "", tip: int = 0,
                 tip_currency: str = "", attributes: Optional[Mapping[str, str]] = None,
                 ref_id: int = 0, handling: str = "new", assignee: str = "",
                 assignee_kind: str = "person",
                 custom_answers: Optional[Mapping[str, CustomAnswer]] = None):
        self.id = int(id)
        self.kind = KINDS[_code("kind", kind)]
        self.created_at = from_ms(to_ms(created_at, "created_at")) if created_at is not None \
            else None
        self.interaction_at = from_ms(to_ms(interaction_at, "interaction_at"))
        self.customer_id = customer_id
        self.customer_status = CUSTOMER_STATUSES[_code("customer_status", customer_status)]
        self.customer_verified = bool(customer_verified)
        self.win_back = bool(win_back)
        self.channel = CHANNELS[_code("channel", channel)]
        self.source = SOURCES[_code("source", source)]
        self.answers = {}
        for name, score in (answers or {}).items():
            metric = METRICS[_code("metric", name)]
            if metric == "custom":
                raise DataError("answers: custom answers go in custom_answers", code=-1,
                                field="answers")
            self.answers[metric] = None if score is None else float(score)
        self.custom_answers = {str(k): CustomAnswer(*v) for k, v in (custom_answers or {}).items()}
        self.text = text
        self.language = language
        self.tags = list(tags)
        self.agent_id = agent_id
        self.ticket_id = ticket_id
        self.product = product
        self.country = country
        self.tip = int(tip)
        self.tip_currency = tip_currency
        self.attributes = dict(attributes or {})
        self.ref_id = int(ref_id)
        self.handling = HANDLINGS[_code("handling", handling)]
        self.assignee = assignee
        self.assignee_kind = ASSIGNEE_KINDS[_code("assignee_kind", assignee_kind)]

    # ------------------------------------------------------------ the C side

    def _to_tuple(self) -> tuple:
        answers = [(_code("metric", m), s, "", 0.0, 0.0) for m, s in self.answers.items()]
        answers += [(len(METRICS) - 1, a.score, name, float(a.scale_min), float(a.scale_max))
                    for name, a in self.custom_answers.items()]
        for f in _STR_FIELDS:
            if not isinstance(getattr(self, f), str):
                raise TypeError(f"{f}: expected a str, not {type(getattr(self, f)).__name__}")
        return (self.id, _code("kind", self.kind), to_ms(self.created_at, "created_at"),
                to_ms(self.interaction_at, "interaction_at"), self.customer_id,
                _code("customer_status", self.customer_status), self.customer_verified,
                self.win_back, _code("channel", self.channel), _code("source", self.source),
                tuple(answers), self.text, self.language, tuple(self.tags), self.agent_id,
                self.ticket_id, self.product, self.country, self.tip, self.tip_currency,
                tuple(self.attributes.items()), self.ref_id, _code("handling", self.handling),
                self.assignee, _code("assignee_kind", self.assignee_kind))

    @classmethod
    def _from_tuple(cls, t: tuple) -> "Record":
        r = cls.__new__(cls)
        (r.id, kind, created, interaction, r.customer_id, status, r.customer_verified,
         r.win_back, channel, source, answers, r.text, r.language, tags, r.agent_id,
         r.ticket_id, r.product, r.country, r.tip, r.tip_currency, attrs, r.ref_id, handling,
         r.assignee, assignee_kind) = t
        r.kind = KINDS[kind]
        r.created_at = from_ms(created)
        r.interaction_at = from_ms(interaction)
        r.customer_status = CUSTOMER_STATUSES[status]
        r.channel = CHANNELS[channel]
        r.source = SOURCES[source]
        r.answers = {}
        r.custom_answers = {}
        for metric, score, name, lo, hi in answers:
            if metric == len(METRICS) - 1:
                r.custom_answers[name] = CustomAnswer(score, lo, hi)
            else:
                r.answers[METRICS[metric]] = score
        r.tags = list(tags)
        r.attributes = dict(attrs)
        r.handling = HANDLINGS[handling]
        r.assignee_kind = ASSIGNEE_KINDS[assignee_kind]
        return r

    # ------------------------------------------------------------ Python manners

    def answer(self, metric: str) -> Optional[float]:
        """The score of a built-in metric ("nps", ...), or None (no answer, or skipped)."""
        return self.answers.get(metric)

    def to_dict(self) -> Dict[str, Any]:
        """The fields as a dict (times as datetimes, lists and dicts copied)."""
        d = {f: getattr(self, f) for f in self.__slots__}
        for f in ("answers", "attributes", "custom_answers"):
            d[f] = dict(d[f])
        d["tags"] = list(d["tags"])
        return d

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Record):
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in self.__slots__)

    def __repr__(self) -> str:
        default = _DEFAULT
        shown = [f"{f}={getattr(self, f)!r}" for f in self.__slots__
                 if f in ("id", "created_at") or getattr(self, f) != getattr(default, f)]
        return f"Record({', '.join(shown)})"


_DEFAULT = Record()

__all__ = ["Record", "CustomAnswer", "KINDS", "CUSTOMER_STATUSES", "CHANNELS", "SOURCES",
           "METRICS", "HANDLINGS", "ASSIGNEE_KINDS", "BUILTIN_METRICS", "UTC"]
