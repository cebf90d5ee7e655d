"""Summaries of files and of records, with relevance, leaderboards and changes."""
import pytest

import feedback


def test_summary_of_the_sample(sample_csv, sample_log):
    s = feedback.summarize(sample_log, by=["channel"], period="year")
    total = s.total
    # The same figures as `feedback report` of the sample (tests/cli/report.sh).
    assert total.metrics["nps"].n == 629
    assert round(total.metrics["nps"].value, 1) == 30.7
    assert total.records == 2000
    assert s.unit("nps") == "points" and s.unit("csat") == "share"
    keys = [g.key for g in s.groups]
    assert keys == sorted(keys, key=lambda k: (feedback.CHANNELS.index(k["channel"]),
                                               k["period"]))
    assert sum(g.records for g in s.groups) == 2000
    from_csv = feedback.summarize(sample_csv, by=["channel"], period="year")
    # repr: an interval of one answer is NaN, which is never equal to itself.
    assert repr([g.metrics for g in from_csv.groups]) == repr([g.metrics for g in s.groups])


def test_summary_of_records_equals_that_of_the_file(sample_csv):
    records = feedback.read(sample_csv)
    a = feedback.summarize(records, by="channel")
    b = feedback.summarize(sample_csv, by="channel")
    assert repr([(g.key, g.metrics) for g in a.groups]) == \
        repr([(g.key, g.metrics) for g in b.groups])
    assert a.result("nps").promoters == b.result("nps").promoters


def test_leaderboard_changes_terms(sample_csv):
    s = feedback.summarize(sample_csv, by=["channel"], period="quarter")
    board = feedback.summarize(sample_csv, by=["channel"]).leaderboard("nps", min_n=20)
    bounds = [l.bound for l in board]
    assert bounds == sorted(bounds, reverse=True) and all(l.value.n >= 20 for l in board)
    assert [l.rank for l in board] == list(range(1, len(board) + 1))
    changes = s.changes("nps", alpha=0.05, min_n=20)
    assert s.change_tests() > 0
    for c in changes:
        assert c.p_value < 0.05 and c.direction in (1, -1) and "period" in c.group.key
    terms = s.terms(n=5)
    assert len(terms) == 5 and terms[0].comments >= terms[-1].comments
    a, b = sorted((g for g in s.groups if "nps" in g.metrics),
                  key=lambda g: -g.metrics["nps"].n)[:2]
    cmp = s.compare(a, b, "nps")
    assert cmp.diff == pytest.approx(a.metrics["nps"].value - b.metrics["nps"].value)
    assert cmp.lo <= cmp.diff <= cmp.hi


def test_relevance_excludes_but_counts(sample_csv):
    chain = feedback.FilterChain()
    s = feedback.summarize(sample_csv, relevance=chain)
    counts = chain.counts()
    assert s.total.excluded == counts["dropped"] > 0
    assert s.total.records == 2000 - counts["dropped"]


def test_summary_as_a_frame(sample_csv):
    pd = pytest.importorskip("pandas")
    df = feedback.summarize(sample_csv, by=["channel"]).to_pandas()
    assert isinstance(df, pd.DataFrame) and {"channel", "nps", "nps_lo", "nps_n"} <= set(df)


def test_bad_options():
    with pytest.raises(feedback.UnknownNameError, match="did you mean 'channel'"):
        feedback.Summary(by=["chanel"])
    with pytest.raises(feedback.UnknownNameError):
        feedback.Summary(period="fortnight")
