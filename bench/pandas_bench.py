#!/usr/bin/python3
"""feedback.to_pandas against pandas.read_csv on the same records (docs/BENCHMARKS.md).

    PYTHONPATH=build/python /usr/bin/python3 bench/pandas_bench.py \\
        --generate build/bench/fb-generate [--records N] [--runs R] [--dir DIR]
        [--distinct-texts]

Makes N records with fb-generate (seed 1), as CSV and as a binary log, then
times, in this process, R rounds of each of these, one after another:
  - feedback.to_pandas(log): every column, with its dtypes, on a thread per
    core (the default), and on the calling thread alone (threads=1);
  - pandas.read_csv(csv): the peer, as it comes (strings, no dates parsed);
  - pandas.read_csv(csv) with the dtypes a careful user asks for (dates
    parsed, enumerations categorical), closer to what to_pandas gives;
then R runs of
  - feedback.to_pandas(log) of only created_at, channel and the metric columns;
  - to_pandas and read_csv back to back, R times each in a row, where each
    run reuses the memory the run before it freed (read_csv gains most);
  - to_pandas and read_csv in a new process each, alternating: a notebook's
    first call, without memory freed by an earlier run;
  - feedback.Reader(log) iterated as Record objects: the per-record rate.
It prints medians, and each ratio of runs side by side as the median of its
rounds' (or pairs') ratios: the load of a shared machine drifts, and the
runs of one round are seconds apart.
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


def timed(fn):
    """The seconds fn() takes, and its result."""
    t = time.perf_counter()
    result = fn()
    return time.perf_counter() - t, result


def interleaved(fns, runs):
    """Each of fns run once a round, runs rounds: their times by round, and their last results.
    A shared machine's load drifts over a minute; rounds make each ratio of two runs of one
    round, a few seconds apart, rather than of runs a minute apart."""
    times = [[] for _ in fns]
    results = [None] * len(fns)
    for run in range(runs):
        for k, fn in enumerate(fns):
            seconds, result = timed(fn)
            times[k].append(seconds)
            # Only the last round's results are kept: no run pays for another's memory.
            results[k] = result if run + 1 == runs else None
            result = None
    return times, results


def median_seconds(fn, runs):
    """The median time of fn() over runs in a row, and its last result."""
    times, results = interleaved([fn], runs)
    return statistics.median(times[0]), results[0]


# One run in a process of its own: what a notebook's first call meets (no memory freed by an
# earlier run to reuse).
COLD = """
import sys, time
import pandas as pd
import feedback
what, path = sys.argv[1:3]
t = time.perf_counter()
df = feedback.to_pandas(path) if what == "to_pandas" else pd.read_csv(path)
print(time.perf_counter() - t, len(df))
"""


def cold_seconds(what, path, rows):
    """The seconds of one run of what ("to_pandas" or "read_csv") in a new process."""
    env = dict(os.environ, PYTHONPATH=str(pathlib.Path(feedback.__file__).parent.parent))
    out = subprocess.run([sys.executable, "-c", COLD, what, str(path)], env=env, check=True,
                         capture_output=True, text=True).stdout.split()
    assert int(out[1]) == rows, out
    return float(out[0])


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
    typed_csv = dict(parse_dates=["created_at", "interaction_at"],
                     dtype={c: "category" for c in CATEGORICAL})
    times, frames = interleaved([lambda: feedback.to_pandas(log),
                                 lambda: feedback.to_pandas(log, threads=1),
                                 lambda: pd.read_csv(csv),
                                 lambda: pd.read_csv(csv, **typed_csv)], a.runs)
    df, df1, df_csv, df_typed = frames
    assert len(df) == len(df_csv) == len(df_typed) == a.records, (len(df), len(df_csv))
    assert df1.equals(df)
    del df1, df_csv, df_typed, frames
    t_all, t_one, t_csv, t_typed = (statistics.median(t) for t in times)
    row("feedback.to_pandas(log), every column", t_all,
        f"typed: datetimes, categoricals, NA; {cores} cores")
    row("feedback.to_pandas(log, threads=1), every column", t_one, "the same, one thread")
    few = ["created_at", "channel"] + list(feedback.BUILTIN_METRICS)
    t_few, df = median_seconds(lambda: feedback.to_pandas(log, columns=few), a.runs)
    assert len(df) == a.records
    row("feedback.to_pandas(log), created_at, channel, metrics", t_few,
        f"only those decoded; {cores} cores")
    row("pandas.read_csv(csv)", t_csv, "peer: strings, answers unparsed")
    row("pandas.read_csv(csv), dates and categoricals", t_typed, "peer, typed")
    # Back to back: each run right after one of its own, whose freed memory it reuses.
    df = None
    t_all_b, df = median_seconds(lambda: feedback.to_pandas(log), a.runs)
    df = None
    t_csv_b, df = median_seconds(lambda: pd.read_csv(csv), a.runs)
    df = None
    row("feedback.to_pandas(log), back to back", t_all_b, f"{a.runs} runs in a row")
    row("pandas.read_csv(csv), back to back", t_csv_b, f"{a.runs} runs in a row")
    # A process each, the two alternating.
    cold = [[], []]
    for _ in range(a.runs):
        cold[0].append(cold_seconds("to_pandas", log, a.records))
        cold[1].append(cold_seconds("read_csv", csv, a.records))
    row("feedback.to_pandas(log), a process each", statistics.median(cold[0]), "first call")
    row("pandas.read_csv(csv), a process each", statistics.median(cold[1]), "first call")

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

    def ratio(peers, ours):
        """The median over rounds of the peer's time over ours in the same round."""
        return statistics.median(p / o for p, o in zip(peers, ours))
    for label, ours in ((f"{cores} cores", 0), ("one thread", 1)):
        print(f"to_pandas, every column, {label}: {ratio(times[2], times[ours]):.1f} times as "
              f"fast as read_csv, {ratio(times[3], times[ours]):.1f} times as fast as typed "
              f"read_csv (medians of the ratios in each of {a.runs} rounds)")
    print(f"to_pandas, back to back: {t_csv_b / t_all_b:.1f} times as fast as read_csv back to "
          f"back; a process each: {ratio(cold[1], cold[0]):.1f} times (median of {a.runs} pairs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
