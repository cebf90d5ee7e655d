#!/usr/bin/python3
"""feedback.to_pandas against pandas.read_csv on the same records (docs/BENCHMARKS.md).

    PYTHONPATH=build/python /usr/bin/python3 bench/pandas_bench.py \\
        --generate build/bench/fb-generate [--records N] [--runs R] [--dir DIR]
        [--distinct-texts]

Makes N records with fb-generate (seed 1), as CSV and as a binary log, then
times, median of R runs, in this process:
  - feedback.to_pandas(log): every column, with its dtypes, on a thread per
    core (the default), and on the calling thread alone (threads=1);
  - the same, of only created_at, channel and the metric columns;
  - pandas.read_csv(csv): the peer, as it comes (strings, no dates parsed);
  - pandas.read_csv(csv) with the dtypes a careful user asks for (dates
    parsed, enumerations categorical), closer to what to_pandas gives;
  - feedback.Reader(log) iterated as Record objects: the per-record rate.
Both frames must have N rows, or the benchmark fails. --distinct-texts makes
every text that is not empty differ from the others (" #<id>" appended), the
case where to_pandas gains nothing from sharing one str among equal texts.
"""
import argparse
import os
import pathlib
import statistics
import subprocess
import sys
import time

import pandas as pd

import feedback

CATEGORICAL = ["kind", "customer_status", "channel", "source", "language", "agent_id",
               "product", "country", "tip_currency", "handling", "assignee_kind"]


def median_seconds(fn, runs):
    """The median time of fn() and its last result; each run's frame is freed before the
    next run starts, so that no run pays for freeing the one before."""
    times = []
    result = None
    for _ in range(runs):
        result = None
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--generate", required=True, help="the fb-generate program")
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--dir", default=os.environ.get("TMPDIR", "/tmp"))
    ap.add_argument("--distinct-texts", action="store_true",
                    help="every text that is not empty differs from the others")
    a = ap.parse_args()

    work = pathlib.Path(a.dir)
    name = f"fb-pandas-{a.records}{'-distinct' if a.distinct_texts else ''}"
    csv = work / f"{name}.csv"
    log = work / f"{name}.fblog"
    subprocess.run([a.generate, str(a.records), "--seed", "1", "-o", str(csv)], check=True)
    if a.distinct_texts:
        raw = pd.read_csv(csv, dtype=str, keep_default_na=False)
        raw["text"] = raw["text"].where(raw["text"] == "", raw["text"] + " #" + raw["id"])
        raw.to_csv(csv, index=False)
        del raw
    if log.exists():
        log.unlink()
    with feedback.LogWriter(log) as w:
        w.write_all(feedback.Reader(csv))

    rows = []

    def row(what, seconds, note=""):
        rows.append((what, seconds, a.records / seconds, note))

    cores = os.cpu_count()
    t_all, df = median_seconds(lambda: feedback.to_pandas(log), a.runs)
    assert len(df) == a.records, len(df)
    row("feedback.to_pandas(log), every column", t_all,
        f"typed: datetimes, categoricals, NA; {cores} cores")
    t_one, df1 = median_seconds(lambda: feedback.to_pandas(log, threads=1), a.runs)
    assert df1.equals(df)
    del df1
    row("feedback.to_pandas(log, threads=1), every column", t_one, "the same, one thread")
    few = ["created_at", "channel"] + list(feedback.BUILTIN_METRICS)
    t_few, df = median_seconds(lambda: feedback.to_pandas(log, columns=few), a.runs)
    assert len(df) == a.records
    row("feedback.to_pandas(log), created_at, channel, metrics", t_few,
        f"only those decoded; {cores} cores")
    t_csv, df = median_seconds(lambda: pd.read_csv(csv), a.runs)
    assert len(df) == a.records, len(df)
    row("pandas.read_csv(csv)", t_csv, "peer: strings, answers unparsed")
    t_typed, df = median_seconds(
        lambda: pd.read_csv(csv, parse_dates=["created_at", "interaction_at"],
                            dtype={c: "category" for c in CATEGORICAL}), a.runs)
    assert len(df) == a.records
    row("pandas.read_csv(csv), dates and categoricals", t_typed, "peer, typed")

    def iterate():
        n = 0
        with feedback.Reader(log) as r:
            for _ in r:
                n += 1
        return n
    t_iter, n = median_seconds(iterate, max(1, a.runs // 2))
    assert n == a.records
    row("feedback.Reader(log): Record objects", t_iter, "per-record Python")

    print(f"{a.records} records, median of {a.runs} runs, pandas {pd.__version__}, "
          f"Python {sys.version.split()[0]}")
    print(f"{'what':<56} {'seconds':>8} {'records/s':>12}  note")
    for what, s, rate, note in rows:
        print(f"{what:<56} {s:8.3f} {rate:12,.0f}  {note}")
    for label, t in ((f"{cores} cores", t_all), ("one thread", t_one)):
        print(f"to_pandas, every column, {label}: {t_csv / t:.1f} times as fast as read_csv, "
              f"{t_typed / t:.1f} times as fast as typed read_csv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
