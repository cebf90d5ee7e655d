"""Reading and writing records: binary logs, CSV and JSON Lines."""

from __future__ import annotations

import os
import threading
import warnings
from typing import Any, Iterable, Iterator, List, NamedTuple, Optional, Sequence, Union

from . import _swig
from ._errors import ClosedError, InvalidArgument
from ._record import Record, to_ms

PathLike = Union[str, "os.PathLike[str]"]

_UNKNOWN = -(2 ** 63)

# The log's projection: the record fields each group of columns holds (log.h, FB_LOG_FIELD_*).
_LOG_FIELDS = {
    "id": 1 << 0, "kind": 1 << 1, "created_at": 1 << 2, "interaction_at": 1 << 3,
    "customer_id": 1 << 4, "customer_status": 1 << 4, "customer_verified": 1 << 4,
    "win_back": 1 << 4, "channel": 1 << 5, "source": 1 << 5, "answers": 1 << 6,
    "custom_answers": 1 << 6, "text": 1 << 7, "language": 1 << 7, "tags": 1 << 8,
    "agent_id": 1 << 9, "ticket_id": 1 << 9, "product": 1 << 9, "country": 1 << 9,
    "tip": 1 << 10, "tip_currency": 1 << 10, "attributes": 1 << 11, "ref_id": 1 << 12,
    "handling": 1 << 12, "assignee": 1 << 12, "assignee_kind": 1 << 12,
}
# The columns of to_pandas that each metric fills.
_METRIC_FIELDS = {m: 1 << 6 for m in ("nps", "csat", "ces", "cli_recommend", "cli_repurchase",
                                      "cli_cross_buy", "gcr", "rating")}


def _field_bits(fields: Optional[Iterable[str]]) -> int:
    """The log's FB_LOG_FIELD_* bits for these record fields (None: all)."""
    if fields is None:
        return 0
    bits = 1 << 2  # created_at, always
    for f in fields:
        bit = _LOG_FIELDS.get(f) or _METRIC_FIELDS.get(f)
        if bit is None:
            raise ValueError(f"fields: {f!r} is not a record field "
                             f"(one of {', '.join(sorted(_LOG_FIELDS))})")
        bits |= bit
    return bits


def _path(path: PathLike) -> str:
    return os.fspath(path)


class Damage(NamedTuple):
    """A damaged region of a log that a reader passed over, and what it lost."""
    offset: int
    bytes: int
    records: Optional[int]   # None: not known
    reason: str


# Guards Reader._claim.
_CLAIMS = threading.Lock()


class Reader:
    """The records of a file: a binary log, CSV or JSON Lines.

    ``for record in reader`` yields :class:`Record` objects. ``fields``
    (record field names) decodes only those of a log and leaves the others
    at their defaults; ``start`` and ``end`` keep the records with
    ``start <= created_at < end`` (a log skips whole chunks outside).
    A bad CSV or JSON Lines row raises feedback.Error with its line, unless
    ``skip_bad``: then it is skipped, counted in ``bad_rows`` and told by a
    warning at the end. Damage in a log is skipped and reported in
    ``damage`` and by a warning (``strict``: it raises CorruptError instead).
    Use it as a context manager, or call close(); a closed reader raises.
    """

    _format: Optional[str] = None
    # True while to_pandas reads the rest of the reader in C, the interpreter's lock released:
    # another thread must not use or close it meanwhile.
    _busy = False

    def __init__(self, path: PathLike, *, fields: Optional[Iterable[str]] = None,
                 start: Any = None, end: Any = None, skip_bad: bool = False,
                 strict: bool = False, format: Optional[str] = None):
        self.path = _path(path)
        self._h = _swig.fbb_reader_open(self.path, format or self._format, _field_bits(fields),
                                        to_ms(start, "start"), to_ms(end, "end"), skip_bad,
                                        strict)
        self._told = 0

    def _handle(self):
        if self._h is None:
            raise ClosedError(f"{self.path}: the reader is closed", code=-1)
        self._refuse_if_busy()
        return self._h

    def _refuse_if_busy(self) -> None:
        if self._busy:
            raise InvalidArgument(f"{self.path}: the reader is in use: to_pandas is reading it "
                                  "on another thread", code=-1)

    def _claim(self):
        """The handle, marked busy until _release: for a read without the interpreter's lock."""
        with _CLAIMS:  # checked and marked in one step: two threads cannot both claim it
            h = self._handle()
            self._busy = True
        return h

    def _release(self) -> None:
        self._busy = False

    def __iter__(self) -> Iterator[Record]:
        return self

    def __next__(self) -> Record:
        t = _swig.fbb_reader_next(self._handle())
        if t is None:
            self._warn()
            raise StopIteration
        return Record._from_tuple(t)

    def _warn(self) -> None:
        """Warns once about what was skipped so far: bad rows, damaged regions."""
        h = self._handle()
        bad, damaged = _swig.fbb_reader_bad_rows(h), _swig.fbb_reader_damaged_regions(h)
        if bad + damaged > self._told:
            self._told = bad + damaged
            what = [f"{bad} bad rows skipped"] if bad else []
            what += [f"{damaged} damaged regions skipped"] if damaged else []
            warnings.warn(f"{self.path}: {', '.join(what)}", RuntimeWarning, stacklevel=3)

    @property
    def records(self) -> int:
        """Records returned so far."""
        return _swig.fbb_reader_records(self._handle())

    @property
    def bad_rows(self) -> int:
        """CSV or JSON Lines rows skipped (with skip_bad)."""
        return _swig.fbb_reader_bad_rows(self._handle())

    @property
    def bad_row_errors(self) -> List[str]:
        """The errors of the first 64 bad rows skipped, as "line N: message"."""
        h = self._handle()
        out = []
        for i in range(_swig.fbb_reader_bad_row_count(h)):
            e = _swig.fbb_reader_bad_row_at(h, i)
            out.append(f"line {e.line}: {e.message}" if e.line else e.message)
        return out

    @property
    def damage(self) -> List[Damage]:
        """The damaged regions of a log passed over so far (the first 64)."""
        h = self._handle()
        out = []
        for i in range(_swig.fbb_reader_damage_count(h)):
            d = _swig.fbb_reader_damage_at(h, i)
            out.append(Damage(d.offset, d.bytes, None if d.records < 0 else d.records,
                              d.message))
        return out

    @property
    def closed(self) -> bool:
        return self._h is None

    def close(self) -> None:
        """Closes the file. Closing twice is harmless."""
        if self._h is not None:
            self._refuse_if_busy()
            _swig.fbb_reader_close(self._h)
            self._h = None

    def __enter__(self) -> "Reader":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        state = ("closed" if self._h is None else "in use by to_pandas" if self._busy
                 else f"{self.records} records read")
        return f"<{type(self).__name__} {self.path!r}: {state}>"


class LogReader(Reader):
    """The records of a binary log (any other file raises FormatError); see Reader."""

    _format = "log"


class Writer:
    """Writes records to a binary log, CSV or JSON Lines.

    ``format`` is "log", "csv" or "jsonl"; by default CSV or JSON Lines by
    the path's extension, else a log. A log is appended to (created when
    missing; a torn tail from a crash is cut first), a text file created or
    truncated. Each record is validated; a bad one raises feedback.Error and
    nothing of it is written. Use as a context manager, or call close(),
    which writes a log's index: without it the log is still complete, only
    slower to seek.
    """

    _format: Optional[str] = None

    def __init__(self, path: PathLike, *, format: Optional[str] = None,
                 level: Optional[int] = None, chunk_records: Optional[int] = None):
        self.path = _path(path)
        self._h = _swig.fbb_writer_open(self.path, format or self._format,
                                        -1 if level is None else level, chunk_records or 0)
        self.written = 0

    def _handle(self):
        if self._h is None:
            raise ClosedError(f"{self.path}: the writer is closed", code=-1)
        return self._h

    def write(self, record: Record) -> None:
        """Writes one record."""
        _swig.fbb_writer_write(self._handle(), record._to_tuple())
        self.written += 1

    append = write

    def write_all(self, records: Iterable[Record]) -> int:
        """Writes every record; returns how many."""
        h = self._handle()
        n = 0
        for r in records:
            _swig.fbb_writer_write(h, r._to_tuple())
            n += 1
        self.written += n
        return n

    extend = write_all

    def flush(self, sync: bool = False) -> None:
        """A log: ends the current chunk (with sync, also fsyncs the file)."""
        _swig.fbb_writer_flush(self._handle(), sync)

    @property
    def closed(self) -> bool:
        return self._h is None

    def close(self) -> None:
        """Flushes and closes; errors of the last writes are raised here."""
        if self._h is not None:
            h, self._h = self._h, None
            _swig.fbb_writer_close(h)

    def __del__(self):
        # Closing here is the last resort: an error can only be told, not raised.
        if getattr(self, "_h", None) is not None:
            warnings.warn(f"{self.path}: writer not closed; closing it", ResourceWarning)
            try:
                self.close()
            except Exception as e:  # noqa: BLE001 - nothing may escape __del__
                warnings.warn(f"{self.path}: closing failed: {e}", RuntimeWarning)

    def __enter__(self) -> "Writer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._h is None else "open"
        return f"<{type(self).__name__} {self.path!r}: {self.written} records, {state}>"


class LogWriter(Writer):
    """Appends records to a binary log (created when missing); see Writer."""

    _format = "log"


def read(path: PathLike, **options) -> List[Record]:
    """Every record of a log, CSV or JSON Lines file, as a list (options as for Reader)."""
    with Reader(path, **options) as r:
        return list(r)


def read_csv(path: PathLike, *, skip_bad: bool = False) -> List[Record]:
    """Every record of a CSV file (docs/IO.md)."""
    return read(path, format="csv", skip_bad=skip_bad)


def read_jsonl(path: PathLike, *, skip_bad: bool = False) -> List[Record]:
    """Every record of a JSON Lines file (docs/IO.md)."""
    return read(path, format="jsonl", skip_bad=skip_bad)


def write_csv(path: PathLike, records: Iterable[Record]) -> int:
    """Writes records to a new CSV file; returns how many."""
    with Writer(path, format="csv") as w:
        return w.write_all(records)


def write_jsonl(path: PathLike, records: Iterable[Record]) -> int:
    """Writes records to a new JSON Lines file; returns how many."""
    with Writer(path, format="jsonl") as w:
        return w.write_all(records)


__all__ = ["Reader", "LogReader", "Writer", "LogWriter", "Damage", "read", "read_csv",
           "read_jsonl", "write_csv", "write_jsonl"]
