"""Fixtures for the themes plugin tests: a tiny codebook and a fake encoder (no model needed)."""

from __future__ import annotations

import re
import textwrap

import numpy as np
import pytest

# Words of each fake "topic" dimension; anything else lands on a shared background dimension.
TOPICS = {
    "billing": {"bill", "bills", "billing", "charged", "charge", "invoice", "payment", "paid", "twice"},
    "waiting": {"wait", "waiting", "waited", "hold", "queue", "hours", "minutes", "slow"},
    "app": {"app", "crash", "crashes", "crashed", "login", "website", "online", "update"},
    "install": {"engineer", "install", "installed", "installation", "appointment", "visit"},
    "staff": {"rude", "friendly", "polite", "staff", "agent", "helpful"},
    "fees": {"fee", "fees", "penalty", "exit"},
}
DIMENSIONS = list(TOPICS) + ["background"]


def fake_encode(texts: list[str]) -> np.ndarray:
    """Unit vectors from topic word counts: sentences about the same topic point the same way."""
    vectors = np.zeros((len(texts), len(DIMENSIONS)), dtype=np.float32)
    for row, text in enumerate(texts):
        for word in re.findall(r"[a-z]+", text.lower()):
            hit = [i for i, (_, words) in enumerate(TOPICS.items()) if word in words]
            for i in hit:
                vectors[row, i] += 1.0
            if not hit:
                vectors[row, -1] += 0.15
        vectors[row, -1] += 0.05
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


CODEBOOK_YAML = textwrap.dedent(
    """
    name: test-book
    version: "1.0"
    themes:
      - id: billing
        label: Billing
        description: bills invoice payment charge
        keywords: [double charg*, invoice]
        examples: [I was charged twice on my bill, The invoice payment was wrong, My bill charge is too high]
      - id: fees
        label: Fees
        parent: billing
        description: fee charge on the bill
        keywords: [fee]
        exclude: [no fee]
        examples: [An extra fee was charged on my bill, The exit fee charge]
      - id: waiting
        label: Waiting
        description: wait hold queue hours
        keywords: [on hold]
        examples: [I had to wait on hold for hours, The queue was slow, Waited minutes in the queue]
      - id: app
        label: App
        description: app website login crash
        keywords: [app]
        examples: [The app crashes on login, The website update broke online login, App crashed again]
      - id: install
        label: Installation
        description: engineer installation appointment visit
        keywords: [engineer]
        examples: [The engineer missed the installation appointment, Engineer visit to install, Installed by the engineer]
    """
)


@pytest.fixture
def codebook_path(tmp_path):
    path = tmp_path / "codebook.yaml"
    path.write_text(CODEBOOK_YAML, encoding="utf-8")
    return path


@pytest.fixture
def encoder():
    return fake_encode
