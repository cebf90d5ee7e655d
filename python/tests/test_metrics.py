"""Metric functions on sequences and numpy arrays, against worked examples."""
import math

import numpy as np
import pytest

import feedback


def test_nps_worked_example():
    # 1 detractor, 2 passives, 3 promoters: NPS +33.3 points (docs/METRICS.md).
    r = feedback.nps([3, 7, 8, 9, 9, 10])
    assert r.nps.value == pytest.approx(100 * (3 - 1) / 6)
    assert r.nps.n == 6 and r.promoters.n == 6
    assert r.promoters.value == pytest.approx(0.5) and r.detractors.value == pytest.approx(1 / 6)
    assert r.nps.lo < r.nps.value < r.nps.hi
    # The adjusted Wald interval: 0.75, 1.5 and 0.75 pseudo-counts, n + 3 (METRICS.md).
    pp, pd_ = (3 + 0.75) / 9, (1 + 0.75) / 9
    se = math.sqrt(((pp + pd_) - (pp - pd_) ** 2) / 9)
    assert r.nps.hi - r.nps.lo == pytest.approx(2 * 1.959963984540054 * se * 100, rel=1e-9)


def test_any_sequence_and_skipped_answers():
    as_list = feedback.nps([9, 10, None, 3, float("nan"), 8])
    as_array = feedback.nps(np.array([9, 10, np.nan, 3, np.nan, 8], dtype=np.float64))
    as_ints = feedback.nps(np.array([9, 10, 3, 8]))  # not float64: read as a sequence
    assert as_list == as_array
    assert as_list.nps == as_ints.nps and as_list.skipped == 2 and as_ints.skipped == 0
    assert as_list.nps.value == 25.0 and as_list.nps.n == 4


def test_errors():
    with pytest.raises(feedback.RangeError, match=r"scores\[1\]: 11 is outside the nps scale"):
        feedback.nps([9, 11])
    with pytest.raises(TypeError, match=r"scores\[0\]"):
        feedback.nps(["nine"])
    with pytest.raises(feedback.RangeError, match="level"):
        feedback.nps([9], level=1.5)


def test_other_metrics():
    c = feedback.csat([5, 4, 1, 2, 3])
    assert c.satisfied.value == pytest.approx(0.4) and c.mean.value == pytest.approx(3.0)
    assert c.problems.value == pytest.approx(0.4)
    e = feedback.ces([7, 6, 5, 1])
    assert e.agree.value == pytest.approx(0.75) and e.net.value == pytest.approx(50.0)
    legacy = feedback.ces([5, 4, 1], legacy=True)
    assert legacy.agree.value == pytest.approx(2 / 3)
    assert feedback.gcr([1, 1, 0, None]).completed.value == pytest.approx(2 / 3)
    s = feedback.rating([5, 5, 4, 1])
    assert s.stars == (1, 0, 0, 1, 2) and s.mean.value == pytest.approx(3.75)
    assert s.bayesian_average == pytest.approx((3.5 * 10 + 15) / 14)
    assert s.lower_bound < s.mean.value
