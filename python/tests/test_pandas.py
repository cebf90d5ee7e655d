"""to_pandas and from_pandas: dtypes, projections, round trips; pandas stays optional."""
import subprocess
import sys

import numpy as np
import pytest

pd = pytest.importorskip("pandas")

import feedback  # noqa: E402


def test_frame_of_the_sample(sample_log):
    df = feedback.to_pandas(sample_log)
    assert len(df) == 2000 and list(df.columns) == list(feedback.COLUMNS)
    assert str(df["created_at"].dtype) == "datetime64[ns, UTC]"
    assert df["interaction_at"].isna().any() and df["interaction_at"].notna().any()
    assert isinstance(df["channel"].dtype, pd.CategoricalDtype)
    assert list(df["channel"].cat.categories) == list(feedback.CHANNELS)
    assert df["agent_id"].isna().any()  # records without an agent: NA, not ""
    assert isinstance(df["agent_id"].dtype, pd.CategoricalDtype)
    # Identifiers are str, None for none, like the records' own.
    assert df["customer_id"].dtype == object and df["customer_id"].isna().any()
    assert all(v is None or isinstance(v, str) for v in df["customer_id"])
    assert str(df["id"].dtype) == "UInt64" and str(df["tip"].dtype) == "Int64"
    assert df["tip"].isna().any()
    assert df["nps"].dtype == np.float64
    # The same as the records one by one.
    records = feedback.read(sample_log)
    assert df["nps"].notna().sum() == sum(1 for r in records if r.answer("nps") is not None)
    assert list(df["text"][:3]) == [r.text for r in records[:3]]
    assert df["tags"][0] == tuple(records[0].tags)
    assert df["attributes"][0] == (records[0].attributes or None)
    # As a new user would.
    by_channel = df.groupby("channel", observed=True)["nps"].mean()
    assert by_channel.notna().any()


def test_rows_own_their_attributes_and_share_their_tags(sample_log):
    df = feedback.to_pandas(sample_log)
    records = feedback.read(sample_log)
    assert list(df["tags"]) == [tuple(r.tags) for r in records]
    assert list(df["attributes"]) == [r.attributes or None for r in records]
    # Rows with the same tags share one tuple (it cannot change) ...
    empty = [t for t in df["tags"] if not t]
    assert len(empty) > 1 and all(t is empty[0] for t in empty)
    # ... but each row with attributes has a dict of its own; one without has None.
    same = {}
    for i, a in enumerate(df["attributes"]):
        if a is not None:
            same.setdefault(tuple(sorted(a.items())), []).append(i)
    rows = next(v for v in same.values() if len(v) > 1)
    df["attributes"][rows[0]]["changed"] = "yes"
    assert "changed" not in df["attributes"][rows[1]]
    assert df["attributes"].isna().sum() == sum(1 for r in records if not r.attributes) > 0


def test_columns_can_be_changed_in_place(sample_log):
    df = feedback.to_pandas(sample_log)
    df.loc[0, "nps"] = 3.0
    df.loc[0, "tip"] = 7
    df.loc[0, "customer_verified"] = True
    df.loc[0, "created_at"] = pd.Timestamp("2026-01-02", tz="UTC")
    assert df["nps"][0] == 3.0 and df["tip"][0] == 7 and df["customer_verified"][0]
    assert df["created_at"][0] == pd.Timestamp("2026-01-02", tz="UTC")


def test_times_beyond_pandas_range(tmp_path):
    path = tmp_path / "far.fblog"
    with feedback.LogWriter(path) as w:
        w.write(feedback.Record(created_at="2500-01-01T00:00:00Z", channel="email",
                               answers={"nps": 9}))
    with pytest.raises(pd.errors.OutOfBoundsDatetime):
        feedback.to_pandas(path, columns=["created_at"])


def test_threads(sample_log):
    one = feedback.to_pandas(sample_log, threads=1)
    pd.testing.assert_frame_equal(one, feedback.to_pandas(sample_log, threads=4))
    for bad in (0, -1, 1.5, "2"):
        with pytest.raises(ValueError, match="threads"):
            feedback.to_pandas(sample_log, threads=bad)


def test_projection_and_time_range(sample_log, sample_csv):
    df = feedback.to_pandas(sample_log, columns=["created_at", "channel", "nps"],
                            start="2026-01-01", end="2026-04-01")
    assert list(df.columns) == ["created_at", "channel", "nps"]
    assert df["created_at"].min() >= pd.Timestamp("2026-01-01", tz="UTC")
    assert df["created_at"].max() < pd.Timestamp("2026-04-01", tz="UTC")
    assert feedback.to_pandas(sample_csv, columns=["id"]).shape == (2000, 1)
    with pytest.raises(ValueError, match="not a column"):
        feedback.to_pandas(sample_log, columns=["chanel"])


def test_from_pandas_round_trip(tmp_path, sample_log):
    df = feedback.to_pandas(sample_log)
    path = tmp_path / "back.fblog"
    assert feedback.from_pandas(df, path) == 2000
    back = feedback.to_pandas(path)
    pd.testing.assert_frame_equal(df, back, check_categorical=False)


def test_import_without_pandas():
    code = ("import sys; sys.modules['pandas'] = None; import feedback; "
            "print(feedback.nps([9, 10]).nps.value)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "100.0"


def test_a_reader_being_read_is_refused_to_others(sample_log):
    # to_pandas reads without the interpreter's lock; meanwhile the reader refuses other uses.
    r = feedback.Reader(sample_log)
    r._busy = True
    for use in (lambda: r.records, r.close, lambda: next(r)):
        with pytest.raises(feedback.InvalidArgument, match="in use: to_pandas"):
            use()
    r._busy = False
    df = feedback.to_pandas(r)
    assert len(df) == 2000 and not r._busy
    assert r.records == 2000
    r.close()


def test_frames_made_on_threads_at_once(sample_log):
    import threading
    frames = [None] * 4

    def make(i):
        frames[i] = feedback.to_pandas(sample_log, threads=2)
    threads = [threading.Thread(target=make, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for f in frames[1:]:
        pd.testing.assert_frame_equal(f, frames[0])
