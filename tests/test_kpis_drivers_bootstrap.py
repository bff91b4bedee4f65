"""Theme impact's bootstrap, drawn in slices and counted exactly, gives the rows the one-shot version gave."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxtext.kpis import drivers
from cxtext.kpis.drivers import ScoreStatistic, _impact_rows
from cxtext.metrics import BOOTSTRAP_SEED
from cxtext_kpis.scores import NPS


def one_shot_bootstrap(values, negative, indicators, statistic, reps):
    """The (reps, items) difference and impact draws as they were computed: all resamples at once."""
    n, k = indicators.shape
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    draws = rng.integers(0, n, size=(reps, n))
    boot_values = values[draws]
    boot_negative = negative[draws]
    boot_overall = statistic(boot_values, axis=1)
    diff_all, impact_all = np.empty((reps, k)), np.empty((reps, k))
    for j in range(k):
        boot_mention = indicators[:, j][draws]
        masked_with = np.where(boot_mention, boot_values, np.nan)
        masked_without = np.where(~boot_mention, boot_values, np.nan)
        with np.errstate(invalid="ignore"):
            diff_all[:, j] = statistic(masked_with, axis=1) - statistic(masked_without, axis=1)
            impact_all[:, j] = statistic(np.where(boot_mention & boot_negative, np.nan, boot_values), axis=1) - boot_overall
    return diff_all, impact_all


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
    sliced = _impact_rows(*args)
    monkeypatch.setattr(drivers, "_bootstrap", one_shot_bootstrap)
    assert sliced == _impact_rows(*args)
