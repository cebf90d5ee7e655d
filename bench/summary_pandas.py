"""The pandas peer of fb-summary-bench: grouped NPS, CSAT and CES by channel and month.

    summary_pandas.py PREFIX N RUNS

Reads the columns fb-summary-bench wrote (PREFIX-created.bin: int64 ms,
-channel.bin: int8, -nps.bin, -csat.bin, -ces.bin: float64, NaN when there
is no score), builds the DataFrame (not timed), then times, RUNS times, what
a careful pandas user writes: the month from the time, vectorised flags for
promoters, detractors and satisfied answers, and one groupby with one agg.
Prints "seconds MEDIAN" and "check GROUPS NPS_N PROMOTERS DETRACTORS CSAT_N
SATISFIED CES_N" (over the groups with any of the three answers), for the
benchmark to compare with the summary's.

Run with Debian's /usr/bin/python3 (python3-pandas, python3-numpy).
"""
import statistics
import sys
import time

import numpy as np
import pandas as pd


def load(prefix, n):
    def col(name, dtype):
        a = np.fromfile(f"{prefix}-{name}.bin", dtype=dtype)
        if len(a) != n:
            sys.exit(f"summary_pandas.py: {prefix}-{name}.bin holds {len(a)} values, not {n}")
        return a

    return pd.DataFrame({
        "created": col("created", np.int64),
        "channel": col("channel", np.int8),
        "nps": col("nps", np.float64),
        "csat": col("csat", np.float64),
        "ces": col("ces", np.float64),
    })


def summarise(df):
    month = df["created"].to_numpy().astype("datetime64[ms]").astype("datetime64[M]")
    flags = pd.DataFrame({
        "channel": df["channel"],
        "month": month,
        "nps": df["nps"],
        "promoter": df["nps"] >= 9,
        "detractor": df["nps"] < 7,
        "csat": df["csat"],
        "satisfied": df["csat"] >= 4,
        "ces": df["ces"],
    })
    return flags.groupby(["channel", "month"], sort=True).agg(
        nps_n=("nps", "count"), promoters=("promoter", "sum"), detractors=("detractor", "sum"),
        nps_mean=("nps", "mean"), csat_n=("csat", "count"), satisfied=("satisfied", "sum"),
        csat_mean=("csat", "mean"), ces_n=("ces", "count"), ces_mean=("ces", "mean"),
        ces_var=("ces", "var"))


def main():
    prefix, n, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    df = load(prefix, n)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        g = summarise(df)
        times.append(time.perf_counter() - t0)
    g = g[(g.nps_n + g.csat_n + g.ces_n) > 0]
    print(f"seconds {statistics.median(times):.6f}")
    print("check", len(g), int(g.nps_n.sum()), int(g.promoters.sum()), int(g.detractors.sum()),
          int(g.csat_n.sum()), int(g.satisfied.sum()), int(g.ces_n.sum()))


if __name__ == "__main__":
    main()
