"""Theme impact's bootstrap, drawn in slices and counted exactly, gives the rows the one-shot version gave."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxtext.kpis import drivers
from cxtext.kpis.drivers import ScoreStatistic, _impact_rows, _key_drivers, _percentiles
from cxtext.kpis.grouping import round_value
from cxtext.metrics import BOOTSTRAP_SEED, wilson_interval
from cxtext_kpis.scores import NPS


def reference_impact_rows(part, statistic, group_by, group, labels, min_mentions, reps, min_n, item):
    """The rows as they were computed with all (reps x n) resamples at once."""
    if part.empty:
        return []
    values = part["score"].to_numpy(dtype=float)
    themes = sorted({t for ts in part["items"] for t in ts})
    if not themes:
        return []
    indicators = np.array([[t in ts for t in themes] for ts in part["items"]], dtype=bool)
    n = len(values)
    negative = statistic.negative(values)
    overall = statistic(values)
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    draws = rng.integers(0, n, size=(reps, n))
    boot_values = values[draws]
    boot_negative = negative[draws]
    boot_overall = statistic(boot_values, axis=1)
    found = _key_drivers(values, indicators, themes, statistic, min_mentions)
    rows = []
    for j, theme in enumerate(themes):
        mention = indicators[:, j]
        count = int(mention.sum())
        low, high = wilson_interval(count, n)
        score_with = statistic(values[mention]) if count else None
        score_without = statistic(values[~mention]) if count < n else None
        keep = ~(mention & negative)
        removed = statistic(values[keep]) if keep.any() else None
        boot_mention = mention[draws]
        masked_with = np.where(boot_mention, boot_values, np.nan)
        masked_without = np.where(~boot_mention, boot_values, np.nan)
        with np.errstate(invalid="ignore"):
            diff_draws = statistic(masked_with, axis=1) - statistic(masked_without, axis=1)
            impact_draws = statistic(np.where(boot_mention & boot_negative, np.nan, boot_values), axis=1) - boot_overall
        driver = found.get(theme, {})
        rows.append({
            "group_by": group_by, "group": group, item: theme, f"{item}_label": labels.get(theme, theme),
            "responses": n, "mentions": count, "prevalence": 100 * count / n,
            "prevalence_ci_low": 100 * low, "prevalence_ci_high": 100 * high,
            "score_with": round_value(score_with), "score_without": round_value(score_without),
            "difference": round_value(score_with - score_without) if score_with is not None and score_without is not None else None,
            "difference_ci_low": _percentiles(diff_draws)[0], "difference_ci_high": _percentiles(diff_draws)[1],
            "score_if_removed": round_value(removed), "impact": round_value(removed - overall) if removed is not None else None,
            "impact_ci_low": _percentiles(impact_draws)[0], "impact_ci_high": _percentiles(impact_draws)[1],
            "driver_coef": driver.get("coef"), "driver_se": driver.get("se"), "driver_p": driver.get("p"),
            "driver_importance": driver.get("importance"), "detractor_odds_ratio": driver.get("odds_ratio"),
            "low_n": bool(count < min_n),
        })
    return rows


def responses(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    themes = ["app", "billing", "delivery", "price", "wait"]
    items = [sorted(set(rng.choice(themes, size=rng.integers(0, 3), replace=False))) for _ in range(n)]
    scores = rng.integers(0, 11, size=n).astype(float)
    scores[[i for i, ts in enumerate(items) if "billing" in ts]] //= 2  # billing pulls the score down
    return pd.DataFrame({"response_id": [f"r{i}" for i in range(n)], "score": scores, "items": items})


@pytest.mark.parametrize("net", [True, False])
@pytest.mark.parametrize("n, cells", [(1, 1000), (7, 3), (240, 1000), (240, 10_000_000)])
def test_sliced_bootstrap_gives_the_same_rows(monkeypatch, net, n, cells):
    monkeypatch.setattr(drivers, "BOOTSTRAP_CELLS", cells)  # slices of a few reps, or all at once
    part = responses(n, seed=n)
    statistic = ScoreStatistic("nps", NPS() if net else None)
    args = (part, statistic, "all", "all", {"app": "App"}, 5, 150, 30, "theme")
    assert _impact_rows(*args) == reference_impact_rows(*args)
