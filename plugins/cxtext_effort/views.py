"""Browsing views of effort evidence (``register_views``), and the "effort evidence by driver" query."""

from __future__ import annotations

from cxtext.views import StoreView, ViewContext

KIND = "effort"
DOCS = {
    "driver": "Effort driver (waiting, transfers, repeat contact...)",
    "polarity": "high = effortful, low = easy",
    "evidence": "The words that show the driver",
    "duration_minutes": "A duration the customer mentions",
    "start": "Character offset where the evidence starts in the record text",
    "end": "Character offset where the evidence ends",
}
UNITS = {"duration_minutes": "min"}


def effort_views(context: ViewContext) -> list[StoreView]:
    spans = StoreView("effort_spans", f"""
        select s.record_id, s.sentence_id, s.label as driver, json_extract(s.data, '$.polarity') as polarity,
            s.score as confidence, json_extract(s.data, '$.evidence') as evidence,
            json_extract(s.data, '$.start') as start, json_extract(s.data, '$.end') as [end],
            json_extract(s.data, '$.duration_minutes') as duration_minutes,
            r.source_kind, r.touchpoint, r.created_at, s.model, s.model_version
        from signals s join records r on r.id = s.record_id
        where s.kind = '{KIND}' and s.sentence_id is not null""",
                      "Every effort span with its offsets.", DOCS, UNITS, facets=["driver", "polarity", "touchpoint"])
    evidence = StoreView("effort_evidence", f"""
        select s.record_id, s.sentence_id, s.label as driver, json_extract(s.data, '$.polarity') as polarity,
            json_extract(s.data, '$.evidence') as evidence, t.text as sentence, t.rowid as sentence_rowid,
            json_extract(s.data, '$.duration_minutes') as duration_minutes, s.score as confidence,
            r.source_kind, r.touchpoint, substr(r.created_at, 1, 7) as month
            {context.score_columns()}{context.segment_columns()}
        from signals s join records r on r.id = s.record_id left join sentences t on t.id = s.sentence_id
        where s.kind = '{KIND}' and s.sentence_id is not null""",
                         "Every piece of effort evidence, with its sentence, touchpoint, segments and scores.",
                         DOCS, UNITS, facets=["touchpoint", "driver", "month"])
    evidence.queries["effort_evidence_by_driver"] = {
        "title": "Effort evidence by driver",
        "description": "What customers said that shows a driver (waiting, transfers...). Blank = every driver.",
        "sql": "select driver, polarity, evidence, sentence, touchpoint, duration_minutes, month, record_id"
               " from effort_evidence where (:driver = '' or driver = :driver)"
               " order by driver, confidence desc limit 500",
    }
    return [spans, evidence]
