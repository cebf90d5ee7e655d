"""Records, reading and writing: round trips, projections, errors, damage, closing."""
import datetime as dt
import warnings

import pytest

import feedback

UTC = dt.timezone.utc


def rich_record(**kw):
    fields = dict(
        id=42, created_at="2026-03-01T10:00:00+03:00", interaction_at=dt.datetime(2026, 2, 28, 9),
        customer_id="c-1", customer_status="active", customer_verified=True, channel="sms",
        answers={"nps": 9, "csat": None}, text="Быстро, вежливо — спасибо!", language="ru",
        tags=["delivery", "курьер"], agent_id="a7", product="tv", country="RU", tip=150,
        tip_currency="EUR", attributes={"plan": "gold", "ключ": "значение"},
        custom_answers={"speed": feedback.CustomAnswer(4.0, 1.0, 5.0)})
    fields.update(kw)
    return feedback.Record(**fields)


def test_record_fields_and_manners():
    r = rich_record()
    assert r.created_at == dt.datetime(2026, 3, 1, 7, 0, tzinfo=UTC)
    assert r.interaction_at == dt.datetime(2026, 2, 28, 9, tzinfo=UTC)  # naive: UTC
    assert r.answer("nps") == 9.0 and r.answer("csat") is None and r.answer("ces") is None
    assert r == rich_record() and r != rich_record(id=43)
    text = repr(r)
    assert "channel='sms'" in text and "kind=" not in text  # defaults left out
    assert feedback.Record(created_at=0).created_at == dt.datetime(1970, 1, 1, tzinfo=UTC)
    assert r.to_dict()["tags"] == ["delivery", "курьер"]


def test_misspelt_names_raise_the_librarys_message():
    with pytest.raises(feedback.UnknownNameError) as e:
        feedback.Record(channel="emial")
    assert str(e.value) == "channel: unknown channel 'emial' (did you mean 'email'?)"
    assert isinstance(e.value, feedback.Error) and isinstance(e.value, ValueError)
    assert e.value.field == "channel" and e.value.code == -7
    with pytest.raises(feedback.UnknownNameError, match="did you mean 'nps'"):
        feedback.Record(answers={"nsp": 9})
    with pytest.raises(feedback.DataError, match="created_at"):
        feedback.Record(created_at="2026-13-45")
    with pytest.raises(TypeError, match="created_at"):
        feedback.Record(created_at=1.5)


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "log"])
def test_round_trip(tmp_path, fmt):
    path = tmp_path / f"out.{fmt}"
    records = [rich_record(), rich_record(id=43, interaction_at=None, text="", tags=[],
                                          attributes={}, custom_answers={}),
               feedback.Record(kind="invitation", created_at=4, customer_id="c9",
                               channel="email"),
               feedback.Record(kind="update", created_at=5, ref_id=42, handling="resolved")]
    with feedback.Writer(path, format=fmt) as w:
        assert w.write_all(records) == 4
    assert feedback.read(path) == records


def test_log_projection_and_time_range(sample_log):
    with feedback.LogReader(sample_log, fields=["channel", "answers"]) as r:
        first = next(r)
    assert first.channel != "other" or first.answers  # the fields asked for are read
    assert first.text == "" and first.customer_id == ""  # the others keep their defaults
    start, end = "2026-01-01", "2026-02-01"
    got = feedback.read(sample_log, start=start, end=end)
    everything = feedback.read(sample_log)
    lo, hi = dt.datetime(2026, 1, 1, tzinfo=UTC), dt.datetime(2026, 2, 1, tzinfo=UTC)
    want = [x for x in everything if lo <= x.created_at < hi]
    assert got == want and 0 < len(got) < len(everything)


def test_a_bad_record_is_refused_whole(tmp_path):
    path = tmp_path / "out.csv"
    with feedback.Writer(path) as w:
        w.write(rich_record())
        with pytest.raises(feedback.MissingError, match="created_at"):
            w.write(feedback.Record(channel="sms"))
        with pytest.raises(feedback.RangeError, match="11 is outside the nps scale"):
            w.write(rich_record(answers={"nps": 11}))
        assert w.written == 1
    assert len(feedback.read(path)) == 1


def test_bad_rows(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("created_at,channel,text\n2026-01-01,sms,a\n2026-01-02,emial,b\n"
                    "2026-01-03,email,c\n")
    with pytest.raises(feedback.UnknownNameError) as e:
        feedback.read_csv(path)
    assert e.value.line == 3 and str(e.value).startswith("line 3: channel: unknown channel")
    with pytest.warns(RuntimeWarning, match="1 bad rows skipped"):
        with feedback.Reader(path, skip_bad=True) as r:
            got = list(r)
            assert r.bad_rows == 1 and "emial" in r.bad_row_errors[0]
    assert [x.channel for x in got] == ["sms", "email"]


def test_damage_is_reported_never_returned(tmp_path, sample_csv):
    path = tmp_path / "damaged.fblog"
    with feedback.LogWriter(path, chunk_records=100) as w:
        w.write_all(feedback.Reader(sample_csv))
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.warns(RuntimeWarning, match="damaged regions skipped"):
        with feedback.LogReader(path) as r:
            got = list(r)
            damage = r.damage
    assert 1800 <= len(got) < 2000
    assert damage and damage[0].offset > 0 and damage[0].reason
    with pytest.raises(feedback.CorruptError):
        feedback.read(path, strict=True)
    with pytest.raises(feedback.FormatError):
        feedback.LogReader(sample_csv)


def test_closed_objects_raise(sample_csv, tmp_path):
    r = feedback.Reader(sample_csv)
    r.close()
    r.close()
    assert r.closed
    with pytest.raises(feedback.ClosedError):
        next(r)
    with feedback.Writer(tmp_path / "x.jsonl") as w:
        pass
    with pytest.raises(feedback.ClosedError):
        w.write(rich_record())
    with pytest.raises(feedback.FileError, match="cannot"):
        feedback.Reader(tmp_path / "missing.csv")
