"""User text is escaped everywhere the report shows it: page text, attributes and figures."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import plotly.graph_objects as go

from cxtext_report.figures import esc, figure_json
from cxtext_report.testing import HOSTILE_TEXT, HOSTILE_THEME


class TagCollector(HTMLParser):
    """Every start tag with its attributes, and the text of each <script> element."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._in_script: dict[str, str | None] | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = dict(attrs)

    def handle_data(self, data):
        if self._in_script is not None:
            self.scripts.append((self._in_script, data))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None


def parse(page: str) -> TagCollector:
    collector = TagCollector()
    collector.feed(page)
    return collector


def test_hostile_review_is_shown_as_text_never_as_markup(full_report):
    assert "<script>alert(1)</script>" not in full_report
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in full_report  # visible, as text
    assert '"onerror=alert(2)"' not in full_report
    assert "&#34;onerror=alert(2)&#34;" in full_report
    assert "<b>broke</b>" not in full_report and "&lt;b&gt;broke&lt;/b&gt;" in full_report


def test_markup_in_a_theme_label_and_the_title_is_escaped(full_report):
    assert HOSTILE_THEME[1] not in full_report
    assert "&lt;img src=x onerror=alert(3)&gt;" in full_report
    assert "<title>Lumen &lt;Mobile&gt; &#34;CX&#34; &amp; co</title>" in full_report


def test_no_tag_or_event_handler_comes_from_the_data(full_report):
    collector = parse(full_report)
    assert not [tag for tag, _ in collector.tags if tag in ("img", "iframe", "object", "embed", "b", "i")]
    assert not [attrs for _, attrs in collector.tags if any(name.startswith("on") for name in attrs)]
    inline = [attrs for attrs, _ in collector.scripts if attrs.get("type") != "application/json"]
    # plotly.js once, plus the few lines that draw the figures: nothing else runs.
    assert len([a for a in collector.tags if a[0] == "script" and a[1].get("type") != "application/json"]) == 2
    assert all(not attrs for attrs in inline)


def test_figure_json_cannot_close_its_script_and_keeps_text_inert():
    figure = go.Figure(go.Bar(x=[esc(HOSTILE_TEXT)], y=[1], hovertemplate="%{x}<extra></extra>"))
    text = figure_json(figure)
    assert "<" not in text and ">" not in text and "&" not in text
    spec = json.loads(text)
    # After JSON.parse the browser hands plotly entities, which it draws as the literal characters.
    assert spec["data"][0]["x"] == ['&lt;script&gt;alert(1)&lt;/script&gt; The "onerror=alert(2)" app '
                                    'update &lt;b&gt;broke&lt;/b&gt; &amp; crashed']


def test_every_figure_in_the_page_is_escaped_json(full_report):
    figures = [text for attrs, text in parse(full_report).scripts
               if attrs.get("type") == "application/json" and attrs.get("id") != "explorer-data"]
    assert len(figures) >= 6
    for text in figures:
        assert not re.search(r"[<>]", text)
        json.loads(text)
    joined = "".join(figures)
    assert "\\u003cimg src=x" not in joined  # theme labels reach figures escaped, not as raw tags


def test_explorer_data_is_inert_json_with_the_raw_text(full_report):
    """The explorer's data keeps user text as written (the scripts show it with textContent),
    with <, > and & as JSON escapes so that nothing in it can close the script element."""
    found = [text for attrs, text in parse(full_report).scripts if attrs.get("id") == "explorer-data"]
    assert len(found) == 1
    assert not re.search(r"[<>&]", found[0])
    data = json.loads(found[0])
    assert any(row[1].startswith("<script>alert(1)</script>") for row in data["rows"])
    assert HOSTILE_THEME[1] in data["themes"].values()
