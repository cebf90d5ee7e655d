"""libfeedback for Python: customer feedback records, relevance filters and honest metrics.

Read and write records (binary logs, CSV, JSON Lines)::

    import feedback
    with feedback.LogReader("feedback.fblog", fields=["channel", "answers"]) as r:
        for rec in r:
            print(rec.channel, rec.answer("nps"))

Measure, with intervals::

    feedback.nps([9, 10, 3, 8]).nps          # Estimate(value=25.0, lo=..., hi=..., n=4)
    s = feedback.summarize("feedback.fblog", by=["channel"], period="month")
    for g in s.groups:
        print(g.key, g.metrics.get("nps"))

Analyse with pandas (optional: the package imports without it)::

    df = feedback.to_pandas("feedback.fblog")
    df.groupby("channel")["nps"].mean()

Set aside what is not relevant (non-customers, abuse, stale, duplicates, hearsay)::

    chain = feedback.FilterChain(alerts=["nps<=6"])
    verdict = chain.evaluate(rec)            # Verdict(action="drop", dropped=["non_customer"], ...)

Every failure raises feedback.Error (a subclass per kind: DataError, FileError, ...)
with the C library's message. docs/BINDINGS.md is the guide.
"""

from . import _swig
from ._errors import (ClosedError, CorruptError, DataError, DuplicateError, Error, FileError,
                      FormatError, InconsistentError, InvalidArgument, MissingError,
                      OutOfMemory, ParseError, RangeError, TooLongError, UnknownNameError,
                      Utf8Error, VersionError)
from ._record import (ASSIGNEE_KINDS, BUILTIN_METRICS, CHANNELS, CUSTOMER_STATUSES, HANDLINGS,
                      KINDS, METRICS, SOURCES, CustomAnswer, Record)
from ._io import (Damage, LogReader, LogWriter, Reader, Writer, read, read_csv, read_jsonl,
                  write_csv, write_jsonl)
from ._metrics import CES, CSAT, GCR, NPS, Estimate, Rating, ces, csat, gcr, nps, rating
from ._filters import REASONS, FilterChain, Span, Verdict
from ._summary import (Change, Comparison, Correlation, Group, Leader, Summary, Term,
                       summarize)
from ._pandas import COLUMNS, from_pandas, to_pandas

#: The version of the C library the module was built against.
__version__ = _swig.fb_version()

__all__ = [name for name in dir() if not name.startswith("_")]
