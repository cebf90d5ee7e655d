"""pandas: records as a DataFrame, through columns built in C; a DataFrame into a log."""

from __future__ import annotations

import os
from typing import Any, Iterable, Optional, Sequence, Union

from . import _swig
from ._io import LogWriter, Reader
from ._record import (ASSIGNEE_KINDS, BUILTIN_METRICS, CHANNELS, CUSTOMER_STATUSES, HANDLINGS,
                      KINDS, SOURCES, Record)

#: The columns of to_pandas, in their order.
COLUMNS = tuple(_swig.fbb_py_column_name(i) for i in range(_swig.fbb_py_column_count()))
_ENUMS = {"kind": KINDS, "customer_status": CUSTOMER_STATUSES, "channel": CHANNELS,
          "source": SOURCES, "handling": HANDLINGS, "assignee_kind": ASSIGNEE_KINDS}
_BOOLS = ("customer_verified", "win_back")
# Integers whose 0 means none: nullable in the frame.
_ZERO_IS_NONE = ("id", "ref_id", "tip")


def _column(pd, np, name: str, kind: str, *data):
    if kind == "dict":
        return pd.Categorical.from_codes(np.frombuffer(data[0], dtype=np.int32),
                                         categories=data[1])
    if kind == "objects":
        # Made in C: identifiers (as many values as customers or tickets: categories would save
        # little, and cost the check that they differ), texts, tags, attributes.
        return data[0]
    if kind == "u8":
        # Booleans are 0 and 1, enumerations fewer than 128 names: both read in place.
        if name in _BOOLS:
            return np.frombuffer(data[0], dtype=bool)
        return pd.Categorical.from_codes(np.frombuffer(data[0], dtype=np.int8),
                                         categories=_ENUMS[name])
    if kind == "f64":
        return np.frombuffer(data[0], dtype=np.float64)
    values = np.frombuffer(data[0], dtype=np.int64 if kind == "i64" else np.uint64)
    if name in ("created_at", "interaction_at"):
        # numpy's NaT is INT64_MIN in any unit, as the library's unknown time is; pandas
        # keeps nanoseconds, and localising to UTC would cost more than the conversion.
        nat = values == np.iinfo(np.int64).min
        ns = np.where(nat, 0, values)
        limit = np.iinfo(np.int64).max // 1_000_000
        if ns.max(initial=0) > limit or ns.min(initial=0) < -limit:
            # Beyond pandas' years 1677..2262: let pandas say so (OutOfBoundsDatetime).
            return pd.DatetimeIndex(values.view("datetime64[ms]")).tz_localize("UTC")
        np.multiply(ns, 1_000_000, out=ns)
        ns[nat] = np.iinfo(np.int64).min
        return pd.arrays.DatetimeArray(ns.view("datetime64[ns]"),
                                       dtype=pd.DatetimeTZDtype(tz="UTC"))
    if name in _ZERO_IS_NONE:
        return pd.arrays.IntegerArray(values, values == 0)
    return values


def to_pandas(source: Union[str, "os.PathLike[str]", Reader],
              columns: Optional[Sequence[str]] = None, *, start: Any = None, end: Any = None,
              threads: Optional[int] = None):
    """A DataFrame of the records of a log, CSV or JSON Lines file (or the rest of a Reader).

    ``columns`` (default: all of COLUMNS) picks the columns; from a log
    only their fields are decoded. dtypes: times datetime64[ns, UTC] (NaT:
    unknown), enumerations categorical, customer_id and ticket_id str (None
    for none), other strings (agent_id, product, country, ...) categorical
    with NA for none, id, ref_id and tip nullable integers (NA for none),
    one float64 column per built-in metric (NaN: no answer or skipped),
    text str, tags tuples, attributes dicts (None for none). Rows with
    equal ids, texts or tags mostly share one object (those of one part
    of a log read in parts do). The columns are built in C, and no Python
    code runs per record.

    A log not read from yet is decoded in parts side by side, on up to
    ``threads`` threads (None: one a core; 1: only the calling one); the
    frame is the same either way.
    """
    import numpy as np
    import pandas as pd

    wanted = list(COLUMNS) if columns is None else list(columns)
    for c in wanted:
        if c not in COLUMNS:
            raise ValueError(f"columns: {c!r} is not a column (one of {', '.join(COLUMNS)})")
    if threads is not None and (isinstance(threads, bool) or not isinstance(threads, int)
                                or threads < 1):
        raise ValueError(f"threads: {threads!r} is not a positive number of threads")
    bits = sum(1 << COLUMNS.index(c) for c in wanted)
    own = not isinstance(source, Reader)
    reader = Reader(source, fields=wanted, start=start, end=end) if own else source
    try:
        # Read without the interpreter's lock, other threads running; they cannot use reader.
        handle = reader._claim()
        try:
            raw = _swig.fbb_py_read_columns(handle, bits, threads or 0)
        finally:
            reader._release()
        reader._warn()
    finally:
        if own:
            reader.close()
    rows = raw.pop("__rows__")
    frame = {name: _column(pd, np, name, *raw[name]) for name in wanted}
    # copy=False: the columns are new already; copying them into blocks would double the work.
    return pd.DataFrame(frame, index=pd.RangeIndex(rows), copy=False)


def from_pandas(df, path: Union[str, "os.PathLike[str]"], **writer_options) -> int:
    """Appends the rows of a DataFrame to a log (created when missing); returns how many.

    The columns are those of to_pandas (any subset, created_at required):
    a frame read with to_pandas goes back as it came. NaN, NaT and NA are
    "none"; metric columns become answers.
    """
    import pandas as pd

    names = [c for c in df.columns]
    for c in names:
        if c not in COLUMNS:
            raise ValueError(f"from_pandas: column {c!r} is not a record field "
                             f"(one of {', '.join(COLUMNS)})")
    metrics = [c for c in names if c in BUILTIN_METRICS]
    fields = [c for c in names if c not in BUILTIN_METRICS]
    n = 0
    with LogWriter(path, **writer_options) as w:
        for row in df.itertuples(index=False, name=None):
            values = dict(zip(names, row))
            kw = {}
            for f in fields:
                v = values[f]
                if v is None or (not isinstance(v, (list, dict, str)) and pd.isna(v)):
                    continue
                if f in ("created_at", "interaction_at"):
                    v = pd.Timestamp(v).to_pydatetime()
                elif f in ("id", "ref_id", "tip"):
                    v = int(v)
                elif f in _BOOLS:
                    v = bool(v)
                kw[f] = v
            kw["answers"] = {m: float(values[m]) for m in metrics if not pd.isna(values[m])}
            w.write(Record(**kw))
            n += 1
    return n


__all__ = ["to_pandas", "from_pandas", "COLUMNS"]
