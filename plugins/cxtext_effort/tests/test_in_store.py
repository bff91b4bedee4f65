"""The analyzer inside the host's analysis pipeline: signals land in the store and its views."""

import pytest

from cxtext.analyze import analyze_store
from cxtext.records import Record
from cxtext_effort import EffortAnalyzer


@pytest.mark.slow  # the host's sentence stage loads lingua's language models
def test_effort_signals_in_the_store(store):
    records = [
        Record(source_kind="survey", dataset="t", source_id="1", text="On hold for 45 minutes, then transferred twice."),
        Record(source_kind="survey", dataset="t", source_id="2", text="Great value for money."),
        Record(source_kind="survey", dataset="t", source_id="3", text="So easy, sorted in one call."),
    ]
    store.ingest(records, path="t.csv", source="survey", dataset="t", file_sha256="x")
    analyzer = EffortAnalyzer({"classifier": False})
    summary = analyze_store(store, names=["effort"], available={"effort": analyzer})
    assert summary["effort"] == 3
    from cxtext import Project

    with Project(store.path) as project:
        project.prepare_views()  # what `cxtext analyze` does after every run: the plugins' browsing views
    spans = list(store.conn.execute("select record_id, driver, evidence, duration_minutes from effort_spans"))
    assert (records[0].id, "waiting", "On hold for 45 minutes", 45.0) in spans
    overview = {row[0]: row[1:] for row in store.conn.execute("select id, effort_score, effort_label from record_overview")}
    assert overview[records[0].id][1] == "high_effort"
    assert overview[records[1].id] == (None, "no_evidence")
    assert overview[records[2].id][1] == "low_effort"
    assert all(row[0] == analyzer.version for row in store.conn.execute("select distinct model_version from signals where analyzer = 'effort'"))
