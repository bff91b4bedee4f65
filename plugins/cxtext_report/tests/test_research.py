"""The research view: themes x interviews with quotes and the interviewer's question; no survey KPIs."""

from __future__ import annotations

import pytest

from cxtext.records import Record
from cxtext.signals import Sentence, Signal
from cxtext.store import Store
from cxtext_report.html import render_html
from cxtext_report.testing import gather_store

from .conftest import report_plugins_only

TURNS = [  # (interview, speaker, role, text, theme of the answer)
    ("int-1", "Interviewer", "interviewer", "How did you find setting up your account?", None),
    ("int-1", "Ana", "participant", "Setting it up took three calls and I nearly gave up.", "setup_pain"),
    ("int-1", "Interviewer", "interviewer", "And the bill?", None),
    ("int-1", "Ana", "participant", "The bill <b>doubled</b> with no warning.", "billing_shock"),
    ("int-2", "Interviewer", "interviewer", "Tell me about the first week.", None),
    ("int-2", "Ben", "participant", "Honestly the setup was a maze of forms.", "setup_pain"),
]
LABELS = {"setup_pain": "Setup is painful", "billing_shock": "Bill <shock> & surprise"}


@pytest.fixture(scope="module")
def interview_data(tmp_path_factory):
    path = tmp_path_factory.mktemp("interviews") / "cx.db"
    records = [Record("transcript", text, "interviews", conversation_id=conv, speaker=speaker, role=role,
                      turn_index=index, created_at=f"2026-10-0{1 + index // 2}")
               for index, (conv, speaker, role, text, _) in enumerate(TURNS)]
    with report_plugins_only(), Store(path) as store:
        store.ingest(records, path="interviews.vtt", source="transcript", dataset="interviews", file_sha256="i")
        sentences = [Sentence(f"{r.id}:0", r.id, 0, r.text, 0, len(r.text)) for r in records]
        store.save_analysis("sentences", "1", [r.id for r in records], [], sentences=sentences)
        themes = [Signal(r.id, "theme", turn[4], 0.9, sentence_id=f"{r.id}:0", data={"theme_label": LABELS[turn[4]]})
                  for r, turn in zip(records, TURNS) if turn[4]]
        themes += [Signal(s.record_id, "theme", s.label, 0.9, data={"theme_label": LABELS[s.label]}) for s in list(themes)]
        sentiment = [Signal(r.id, "sentiment", "negative", -0.7) for r, turn in zip(records, TURNS) if turn[4]]
        store.save_analysis("themes", "1", [r.id for r in records], themes)
        store.save_analysis("sentiment", "1", [r.id for r in records], sentiment)
        data = gather_store(store)
        yield data, render_html(data)


def test_themes_by_interview_with_counts_participants_and_questions(interview_data):
    data, _ = interview_data
    research = data.research
    assert research["interviews"] == ["int-1", "int-2"] and research["participants"] == 2
    setup = next(t for t in research["themes"] if t["theme"] == "setup_pain")
    assert setup["counts"] == {"int-1": 1, "int-2": 1} and setup["interviews"] == 2 and setup["participants"] == 2
    quotes = {q["interview"]: q for q in setup["quotes"]}
    assert quotes["int-1"]["question"] == "How did you find setting up your account?"
    assert quotes["int-2"]["question"] == "Tell me about the first week." and quotes["int-2"]["speaker"] == "Ben"
    billing = next(t for t in research["themes"] if t["theme"] == "billing_shock")
    assert billing["quotes"][0]["question"] == "And the bill?"  # the nearest earlier question, not the first


def test_interview_report_skips_survey_kpis_and_says_so(interview_data):
    data, page = interview_data
    assert data.interviews_only
    assert not [c for c in data.cards if c.metric in ("complaint_share", "nps", "csat")]
    assert "Complaint share" in data.skipped_cards
    assert 'id="skipped-kpis"' in page and "research-interview turn" in page
    section = page.split('<section id="research">')[1].split("</section>")[0]
    assert "Q: How did you find setting up your account?" in section
    assert "Bill &lt;shock&gt; &amp; surprise" in section and "&lt;b&gt;doubled&lt;/b&gt;" in section
    assert "<b>doubled" not in page
