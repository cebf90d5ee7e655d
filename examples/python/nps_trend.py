#!/usr/bin/python3
"""NPS by channel with intervals, and a chart of the monthly NPS trend with its band.

    /usr/bin/python3 examples/python/nps_trend.py [FILE] [OUT.png]

FILE is a log, CSV or JSON Lines file (default: the sample log, made from
examples/data/feedback-sample.csv with `feedback import` if it is missing);
OUT.png defaults to nps_trend.png. Needs python3-matplotlib.
"""
import os
import pathlib
import subprocess
import sys

import feedback

HERE = pathlib.Path(__file__).resolve().parent
SAMPLE_CSV = HERE.parent / "data" / "feedback-sample.csv"


def sample_log() -> str:
    """The sample as a log beside this script's build, imported once."""
    log = pathlib.Path(os.environ.get("TMPDIR", "/tmp")) / "feedback-sample.fblog"
    if not log.exists():
        with feedback.LogWriter(log) as w:
            w.write_all(feedback.Reader(SAMPLE_CSV))
    return str(log)


def main() -> int:
    path = sys.argv[1] if len(sys.argv) > 1 else sample_log()
    out = sys.argv[2] if len(sys.argv) > 2 else "nps_trend.png"

    by_channel = feedback.summarize(path, by=["channel"])
    print(f"NPS by channel, 95% intervals ({path}):")
    answered = [g for g in by_channel.groups if "nps" in g.metrics]
    for g in sorted(answered, key=lambda g: -g.metrics["nps"].n):
        nps = g.metrics["nps"]
        if nps:
            print(f"  {g.key['channel']:<16} {nps.value:+6.1f} [{nps.lo:+6.1f}, {nps.hi:+6.1f}]"
                  f"  n={nps.n}")

    monthly = [g for g in feedback.summarize(path, period="month").groups if "nps" in g.metrics]
    months = [g.period_start for g in monthly]
    values = [g.metrics["nps"].value for g in monthly]
    lo = [g.metrics["nps"].lo for g in monthly]
    hi = [g.metrics["nps"].hi for g in monthly]

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4))
    ax.fill_between(months, lo, hi, alpha=0.25, label="95% interval")
    ax.plot(months, values, marker="o", label="NPS")
    ax.axhline(0, color="grey", linewidth=0.5)
    ax.set_ylim(-100, 100)
    ax.set_ylabel("NPS (points)")
    ax.set_title("Monthly NPS")
    ax.legend(loc="lower left")
    fig.autofmt_xdate()
    fig.savefig(out, dpi=100, bbox_inches="tight")
    print(f"saved {out}: {len(monthly)} months")
    return 0


if __name__ == "__main__":
    sys.exit(main())
