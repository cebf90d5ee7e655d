"""The relevance chain from Python: verdicts, actions, alerts, counts."""
import pytest

import feedback


def rec(**kw):
    fields = dict(created_at="2026-03-01T10:00:00Z", interaction_at="2026-02-28T10:00:00Z",
                  customer_status="active", customer_verified=True, customer_id="c1")
    fields.update(kw)
    return feedback.Record(**fields)


def test_verdicts():
    chain = feedback.FilterChain(alerts=["nps<=6", "reason=hearsay"])
    v = chain.evaluate(rec(customer_status="non_customer", answers={"nps": 3},
                           text="Мне сказали, что тут дорого"))
    assert v.action == "drop" and v.dropped == ["non_customer"] and v.flagged == ["hearsay"]
    assert v.alerts == ["nps<=6", "reason=hearsay"]
    assert v.spans == [feedback.Span(0, 29, "hearsay", None, "Мне сказали, что")]
    assert v.explanation.startswith("drop: non_customer (customer_status non_customer)")
    ok = chain.evaluate(rec(text="Fast delivery, thank you", answers={"nps": 10}))
    assert ok.action == "keep" and ok.reasons == [] and ok.alerts == []
    assert ok.abuse_score is not None and ok.abuse_score < 0.5
    counts = chain.counts()
    assert counts["records"] == 2 and counts["dropped"] == 1
    assert counts["dropped_by"] == {"non_customer": 1} and counts["flagged_by"] == {"hearsay": 1}
    assert chain.explain_counts().startswith("2 records: 1 dropped, 0 flagged, 1 kept")


def test_policies_and_actions():
    chain = feedback.FilterChain(max_age_days=7, actions={"hearsay": "drop", "late": "keep"})
    v = chain.evaluate(rec(interaction_at="2026-01-01", text="I heard that it is closing"))
    assert v.dropped == ["stale", "hearsay"] and v.noted == ["late"]
    chain.set_action("stale", "flag")
    assert chain.evaluate(rec(interaction_at="2026-01-01", text="ok")).flagged == ["stale"]
    with pytest.raises(feedback.UnknownNameError, match="did you mean 'hearsay'"):
        chain.set_action("hersay", "drop")
    with pytest.raises(feedback.UnknownNameError, match="none of keep, flag, drop"):
        chain.set_action("hearsay", "delete")
    with pytest.raises(feedback.UnknownNameError):
        feedback.FilterChain(alerts=["nsp<=6"])


def test_duplicates_across_customers():
    chain = feedback.FilterChain()
    text = "The courier left the parcel at the wrong door"
    assert chain.evaluate(rec(id=1, text=text)).reasons == []
    v = chain.evaluate(rec(id=2, customer_id="c2", text=text.lower() + "!"))
    assert v.flagged == ["duplicate"] and v.duplicate_of == 1


def test_closed_chain():
    chain = feedback.FilterChain()
    chain.close()
    with pytest.raises(feedback.ClosedError):
        chain.evaluate(rec(text="ok"))
