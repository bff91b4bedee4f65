"""Browsing views of sentiment signals (``register_views``): one row per record, one per sentence."""

from __future__ import annotations

from cxtext.views import StoreView, ViewContext

KIND = "sentiment"
DOCS = {
    "sentiment": "Sentiment label (negative / neutral / positive; records may be mixed)",
    "score": "p(positive) - p(negative), -1 to 1",
    "p_negative": "Probability of negative", "p_neutral": "Probability of neutral",
    "p_positive": "Probability of positive",
    "precision": "Inference precision (fp32, bf16...)",
}


def sentiment_views(context: ViewContext) -> list[StoreView]:
    return [
        StoreView("record_sentiment", f"""
            select s.record_id, s.label as sentiment, s.score,
                json_extract(s.data, '$.probs.negative') as p_negative,
                json_extract(s.data, '$.probs.neutral') as p_neutral,
                json_extract(s.data, '$.probs.positive') as p_positive,
                s.model, s.model_version
            from signals s where s.kind = '{KIND}' and s.sentence_id is null""",
                  "Overall sentiment of each record, with class probabilities.", DOCS, facets=["sentiment"]),
        StoreView("sentence_sentiment", f"""
            select s.record_id, s.sentence_id, t.idx as sentence_index, t.text as sentence,
                s.label as sentiment, s.score, s.model, s.model_version
            from signals s join sentences t on t.id = s.sentence_id
            where s.kind = '{KIND}'""",
                  "Sentiment of every sentence.", DOCS, facets=["sentiment"]),
    ]
