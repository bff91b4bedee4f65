"""The report of the real demo reviews: the most-amplified voices list them, markup and all, as text."""

from __future__ import annotations

import re

import pytest

from cxtext import plugins
from cxtext_report.testing import render_demo_report


@pytest.fixture
def demo_reviews_report(demo_corpora, tmp_path, monkeypatch) -> str:
    monkeypatch.setenv(plugins.ALLOW_LIST_ENV, "kpis,report,reviews")  # other plugins may be mid-change
    plugins.get_plugin_manager.cache_clear()
    try:
        return render_demo_report(demo_corpora, tmp_path).read_text(encoding="utf-8")
    finally:
        plugins.get_plugin_manager.cache_clear()


def test_hostile_demo_review_is_shown_escaped(demo_reviews_report):
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in demo_reviews_report
    assert "<script>alert(1)</script>" not in demo_reviews_report
    # Every <script> in the page is the report's own: the inline library, the loader, figure JSON,
    # the explorer's data.
    opening = re.findall(r"<script[^>]*>", demo_reviews_report)
    assert all(tag in ("<script>", '<script type="application/json" id="explorer-data">')
               or tag.startswith('<script type="application/json" id="figure-') for tag in opening), opening


def test_amplified_voices_rank_reviews_by_helpful_votes(demo_reviews_report):
    voices = demo_reviews_report.split('<section id="voices">')[1].split("</section>")[0]
    counts = [int(c.replace(",", "")) for c in re.findall(r'<div class="count"[^>]*>([\d,]+)<span>', voices)]
    # The eight most-voted demo reviews (62, 56, 48, 41, 37, 33, 27, 24 helpful votes), LR-0031 among them.
    assert counts == [62, 56, 48, 41, 37, 33, 27, 24]
    assert "Input validation?" in voices and "★★★☆☆ 3/5" in voices
    assert "product: Lumen app (iOS)" in voices and "21 Aug 2026" in voices
    assert "badge neg" not in voices and "badge pos" not in voices  # never analysed: no sentiment is claimed
