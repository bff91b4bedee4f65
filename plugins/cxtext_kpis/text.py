"""KPIs from what the analyzers read in the text: sentiment, complaints, effort, themes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxtext.metrics import KpiValue, MeanMetric, NetMetric, ShareMetric, net_value, share_value


def _analysed(frame: pd.DataFrame, analyzer: str) -> pd.DataFrame:
    column = f"analysed:{analyzer}"
    return frame[frame[column]] if column in frame.columns else frame.iloc[0:0]


class NetSentiment(NetMetric):
    name = "net_sentiment"
    label = "Net sentiment (% positive - % negative)"
    description = (
        "Share of records whose overall sentiment is positive minus the share negative, in points "
        "(-100..100), over records with a record-level sentiment signal (English text the sentiment "
        "analyzer read). Same trinomial 95% interval as NPS."
    )

    def reads(self, frame: pd.DataFrame) -> list[str]:
        return ["sentiment"]

    def applies(self, frame: pd.DataFrame) -> bool:
        return "sentiment" in frame.columns and frame["sentiment"].notna().any()

    def classes(self, frame: pd.DataFrame) -> pd.Series:
        return frame["sentiment"].dropna()


class ComplaintShare(ShareMetric):
    name = "complaint_share"
    label = "Complaint share (%)"
    description = (
        "Share of records that are complaints. Where a record carries a 'complaint' score (0/1, or a "
        "probability; >= 0.5 counts) that label is used; otherwise a record counts as a complaint when "
        "its overall sentiment is negative. Denominator: records with either. 95% Wilson interval. "
        "Lower is better."
    )
    higher_is_better = False

    def reads(self, frame: pd.DataFrame) -> list[str]:
        return ["sentiment", "score:complaint"]

    def applies(self, frame: pd.DataFrame) -> bool:
        labelled = "score:complaint" in frame.columns and frame["score:complaint"].notna().any()
        return labelled or ("sentiment" in frame.columns and frame["sentiment"].notna().any())

    def outcomes(self, frame: pd.DataFrame) -> pd.Series:
        if "sentiment" in frame.columns:  # None where there is no sentiment, else whether it is negative
            sentiment = frame["sentiment"]
            flags = np.array((sentiment == "negative").tolist(), dtype=object)
            flags[sentiment.isna().to_numpy()] = None
            from_sentiment = pd.Series(flags, index=frame.index, dtype=object).infer_objects()  # as map() infers
        else:  # no sentiment analyzer installed: only the labelled records count
            from_sentiment = pd.Series(None, index=frame.index, dtype=object)
        if "score:complaint" in frame.columns:
            labelled = frame["score:complaint"].map(lambda v: None if v != v or v is None else float(v) >= 0.5)
            return labelled.where(labelled.notna(), from_sentiment)
        return from_sentiment


class TextEffortIndex(MeanMetric):
    name = "text_effort"
    label = "Text effort index (1-7, 7 = very easy)"
    description = (
        "Mean effort score the effort analyzer reads from the text, on the CES 2.0 scale 1-7 where "
        "7 = very easy (low effort) and 1 = very hard; comparable in direction with CES. Higher is "
        "better. Student t 95% interval."
    )
    unit = "score 1-7"
    bounds = (1.0, 7.0)

    def reads(self, frame: pd.DataFrame) -> list[str]:
        return ["effort_score"]

    def applies(self, frame: pd.DataFrame) -> bool:
        return "effort_score" in frame.columns and frame["effort_score"].notna().any()

    def values(self, frame: pd.DataFrame) -> pd.Series:
        return frame["effort_score"].dropna()


class HighEffortShare(ShareMetric):
    name = "high_effort_share"
    label = "High-effort share (% of texts)"
    description = (
        "Share of the records the effort analyzer processed that it labels high_effort (repeat "
        "contacts, transfers, waiting, chasing...); analysed records without an effort score count "
        "as not high-effort. Lower is better. 95% Wilson interval."
    )
    higher_is_better = False

    def reads(self, frame: pd.DataFrame) -> list[str]:
        return ["analysed:effort", "effort_score", "effort_label"]

    def applies(self, frame: pd.DataFrame) -> bool:
        return "effort_score" in frame.columns and frame["effort_score"].notna().any()

    def outcomes(self, frame: pd.DataFrame) -> pd.Series:
        analysed = frame.loc[frame["analysed:effort"] | frame["effort_score"].notna(), ["effort_label"]]
        return analysed["effort_label"] == "high_effort"


class ThemePrevalence(ShareMetric):
    name = "theme_prevalence"
    label = "Theme prevalence (%)"
    description = (
        "Per theme: share of the records the themes analyzer processed that mention the theme "
        "(analysed records with no theme count in the denominator). 95% Wilson interval; changes "
        "tested with the two-proportion z-test."
    )
    kind = "multi"
    higher_is_better = False  # most codebook themes are problems; read the theme, not the arrow

    def reads(self, frame: pd.DataFrame) -> list[str]:
        return ["analysed:themes", "themes"]

    def applies(self, frame: pd.DataFrame) -> bool:
        return "analysed:themes" in frame.columns and bool(frame["analysed:themes"].any())

    def compute(self, frame: pd.DataFrame) -> dict[str, KpiValue]:
        analysed = _analysed(frame, "themes")
        themes = sorted(set(frame.attrs.get("theme_labels", {})) | {t for ts in analysed["themes"] for t in ts})
        counts: dict[str, int] = {theme: 0 for theme in themes}
        for record_themes in analysed["themes"]:
            for theme in set(record_themes):
                counts[theme] += 1
        return {theme: share_value(count, len(analysed)) for theme, count in counts.items()}


class ThemeSentiment(NetMetric):
    name = "theme_sentiment"
    label = "Theme sentiment (net, sentences)"
    description = (
        "Per theme: net sentiment (% positive - % negative) of the sentences carrying the theme, "
        "using each sentence's own sentiment signal. Trinomial 95% interval as for NPS."
    )
    kind = "multi"

    def reads(self, frame: pd.DataFrame) -> list[str]:
        return ["theme_sentiments"]

    def applies(self, frame: pd.DataFrame) -> bool:
        return "theme_sentiments" in frame.columns and frame["theme_sentiments"].map(bool).any()

    def compute(self, frame: pd.DataFrame) -> dict[str, KpiValue]:
        pairs = [pair for pairs in frame["theme_sentiments"] for pair in pairs]
        if not pairs:
            return {}
        table = pd.DataFrame(pairs, columns=["theme", "sentiment"])
        return {theme: net_value(part["sentiment"]) for theme, part in table.groupby("theme")}
