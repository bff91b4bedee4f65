"""Browsing views of theme signals (``register_views``) and the canned queries CX leads ask first:
detractor verbatims by touchpoint and theme, theme trend by month, verbatims of a segment."""

from __future__ import annotations

from cxtext.views import StoreView, ViewContext

KIND = "theme"
DOCS = {
    "theme": "Theme id from the codebook or discovery",
    "theme_label": "Theme name shown in reports",
    "parent": "Parent theme id (hierarchical codebooks)",
    "codebook": "Codebook the theme comes from",
    "method": "How the theme was assigned (keywords, embedding...)",
    "sentence_sentiment": "Sentiment of this sentence (negative / neutral / positive)",
    "record_sentiment": "Overall sentiment of the record",
    "sentiment": "Overall sentiment of the record",
}


def theme_views(context: ViewContext) -> list[StoreView]:
    scores, segments = context.score_columns(), context.segment_columns()
    record_sentiment = context.record_polarity_sql("r.id")
    verbatims = StoreView("theme_verbatims", f"""
        select s.record_id, s.sentence_id, s.label as theme, json_extract(s.data, '$.theme_label') as theme_label,
            s.score as confidence, t.text as sentence, t.rowid as sentence_rowid,
            {context.sentence_polarity_sql("s.sentence_id")} as sentence_sentiment,
            {record_sentiment} as record_sentiment,
            r.source_kind, r.dataset, r.touchpoint, substr(r.created_at, 1, 7) as month, r.created_at
            {scores}{segments}, r.text as record_text
        from signals s join sentences t on t.id = s.sentence_id join records r on r.id = s.record_id
        where s.kind = '{KIND}'""",
                          "Every sentence x theme, with the sentence, touchpoint, segments, scores and sentiment beside it.",
                          DOCS, facets=["touchpoint", "theme_label", "sentence_sentiment", "month"])
    verbatims.queries.update({
        "detractor_verbatims": {
            "title": "Detractor verbatims by touchpoint and theme",
            "description": "Sentences of customers who scored NPS 0-6. Leave a box blank for all.",
            "sql": "select touchpoint, theme_label, sentence, nps, sentence_sentiment, month, record_id"
                   " from theme_verbatims where nps <= 6"
                   " and (:touchpoint = '' or touchpoint = :touchpoint) and (:theme = '' or theme = :theme or theme_label = :theme)"
                   " order by month desc, record_id limit 500",
        },
        "segment_verbatims": {
            "title": "Verbatims of a segment",
            "description": "Sentences with their themes from one segment value, e.g. segment = plan, value = Business. "
                           "Segments: " + (", ".join(context.segments) or "none in this store") + ".",
            "sql": "select theme_label, sentence, sentence_sentiment, touchpoint, nps, rating, month, record_id"
                   f" from theme_verbatims where {context.segment_filter()} order by month desc limit 500",
        },
    })
    record_verbatims = StoreView("record_theme_verbatims", f"""
        select s.record_id, s.label as theme, json_extract(s.data, '$.theme_label') as theme_label,
            s.score as confidence, {record_sentiment} as sentiment,
            r.source_kind, r.dataset, r.touchpoint, substr(r.created_at, 1, 7) as month, r.created_at
            {scores}{segments}, r.text
        from signals s join records r on r.id = s.record_id
        where s.kind = '{KIND}' and s.sentence_id is null""",
                                 "Every record x theme, with the record text, touchpoint, segments, scores and sentiment.",
                                 DOCS, facets=["touchpoint", "theme_label", "sentiment", "month"])
    record_verbatims.queries["theme_trend_by_month"] = {
        "title": "Theme trend by month",
        "description": "Records mentioning each theme per month, and their share of that month's records.",
        "sql": "with months as (select substr(created_at, 1, 7) as month, count(*) as records from records"
               " where created_at is not null group by 1)"
               " select t.month, t.theme_label, count(distinct t.record_id) as records_mentioning,"
               " round(100.0 * count(distinct t.record_id) / m.records, 1) as share_pct"
               " from record_theme_verbatims t join months m on m.month = t.month"
               " where (:theme = '' or t.theme = :theme or t.theme_label = :theme)"
               " group by t.month, t.theme_label order by t.month, records_mentioning desc",
    }
    sentence_themes = StoreView("sentence_themes", f"""
        select s.record_id, s.sentence_id, t.idx as sentence_index, t.text as sentence,
            s.label as theme, json_extract(s.data, '$.theme_label') as theme_label,
            json_extract(s.data, '$.parent') as parent, s.score as confidence,
            json_extract(s.data, '$.codebook') as codebook, json_extract(s.data, '$.method') as method,
            s.model, s.model_version
        from signals s join sentences t on t.id = s.sentence_id
        where s.kind = '{KIND}'""", "Themes of every sentence.", DOCS, facets=["theme_label", "method"])
    record_themes = StoreView("record_themes", f"""
        select s.record_id, s.label as theme, json_extract(s.data, '$.theme_label') as theme_label,
            json_extract(s.data, '$.parent') as parent, s.score as confidence,
            r.source_kind, r.touchpoint, r.created_at, s.model, s.model_version
        from signals s join records r on r.id = s.record_id
        where s.kind = '{KIND}' and s.sentence_id is null""", "Themes of every record.", DOCS,
                                facets=["theme_label", "touchpoint"])
    return [verbatims, record_verbatims, sentence_themes, record_themes]
