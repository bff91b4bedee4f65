"""The 36 research interviews in ../shared/corpora, ingested as one folder."""

from __future__ import annotations

import json
from collections import Counter

import pytest

pytestmark = pytest.mark.shared


def test_interview_folder(shared_corpora, tmp_path, cli_ingest):
    from cxtext.store import Store

    folder = shared_corpora / "interview_transcripts_mlsss" / "transcripts"
    db = tmp_path / "cx.db"
    result = cli_ingest(db, folder, "--json")  # sniffed: no --source needed
    assert result.exit_code == 0, result.output
    (summary,) = json.loads(result.output)
    assert summary["source"] == "transcripts"
    # Numbers documented in docs/sources-social-transcripts.md.
    assert summary["records_new"] == 2943
    assert len(summary["issues"]) == 2  # one stray line before the first label in interviews 20 and 35
    with Store(db) as store:
        turns = list(store.iter_records())
    assert Counter(t.role for t in turns) == {"interviewer": 1497, "participant": 1446}
    assert len({t.conversation_id for t in turns}) == 36
    french = [t for t in turns if t.conversation_id == "Interview 2"]
    assert french[0].speaker == "Interviewer1" and french[1].speaker == "Interviewee1"
    assert all(t.language is None for t in turns)  # the host detects languages later
    again = cli_ingest(db, folder, "--json")
    assert json.loads(again.output)[0]["records_new"] == 0
