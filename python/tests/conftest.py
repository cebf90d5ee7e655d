"""Fixtures of the binding's tests: the sample data, and a log made of it."""
import os
import pathlib

import pytest

import feedback

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def sample_csv() -> str:
    return os.environ.get("FB_SAMPLE", str(ROOT / "examples" / "data" / "feedback-sample.csv"))


@pytest.fixture(scope="session")
def sample_log(sample_csv, tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("log") / "sample.fblog"
    with feedback.LogWriter(path) as w:
        w.write_all(feedback.Reader(sample_csv))
    return str(path)
