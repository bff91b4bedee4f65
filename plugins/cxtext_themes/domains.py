"""The shipped codebooks for common CX domains, and which one fits a data set.

``cx-generic`` is a broad default written with service businesses (telecoms above all)
in mind; on product reviews it puts most sentences in "Product quality". The domain
codebooks name the themes each kind of business is usually coded into. A project can
name one by its name (``[analysis.themes] codebook = "retail-ecommerce"``), and
``cxtext themes suggest`` picks one for the data in a store: the domain codebook whose
prototypes (label, description, examples) the sentences are closest to on average.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cxtext_themes.codebook import Codebook, load_codebook

CODEBOOK_DIR = Path(__file__).parent / "codebooks"
GENERIC = "cx-generic"
DOMAIN_CODEBOOKS = {
    "telecom-utilities": "phone, broadband, TV, energy and water providers",
    "retail-ecommerce": "products bought online or in a shop (clothing, goods)",
    "hospitality-travel": "hotels, restaurants, airlines, trains and holidays",
    "software-saas": "software products, apps and online services",
    "healthcare": "GP practices, hospitals, clinics, dentists and pharmacies",
    "financial-services": "banks, cards, loans, mortgages, insurance and credit reports",
}
MIN_LEAD = 0.01  # below this lead over the runner-up the suggestion says the choice is close


def shipped_codebook_path(name: str) -> Path | None:
    """Path of a shipped codebook by name (``cx-generic`` or a domain), else None."""
    if name != GENERIC and name not in DOMAIN_CODEBOOKS:
        return None
    return CODEBOOK_DIR / f"{name}.yaml"


def shipped_codebook(name: str) -> Codebook:
    path = shipped_codebook_path(name)
    if path is None:
        raise KeyError(name)
    return load_codebook(path)


@dataclass
class Suggestion:
    """The best-fitting domain codebook, every domain's fit, and a note saying why."""

    name: str
    fits: dict[str, float]  # domain -> mean over sentences of the best prototype cosine
    note: str


def suggest_codebook(embeddings: np.ndarray, encode) -> Suggestion:
    """The domain codebook the sentences (unit ``embeddings``) are closest to on average."""
    embeddings = np.asarray(embeddings, dtype=np.float32)
    fits = {}
    for name in DOMAIN_CODEBOOKS:
        book = shipped_codebook(name)
        prototypes = np.asarray(encode([text for theme in book.themes for text in theme.prototypes()]),
                                dtype=np.float32)
        fits[name] = round(float((embeddings @ prototypes.T).max(axis=1).mean()), 4) if len(embeddings) else 0.0
    ranked = sorted(fits, key=lambda name: -fits[name])
    best, second = ranked[0], ranked[1]
    lead = fits[best] - fits[second]
    note = (f"{best} ({DOMAIN_CODEBOOKS[best]}) fits these {len(embeddings)} sentences best: mean best-prototype "
            f"cosine {fits[best]:.3f}, against {fits[second]:.3f} for {second}.")
    if lead < MIN_LEAD:
        note += f" The lead is small: look at both, or start from {GENERIC} and `cxtext themes discover`."
    return Suggestion(name=best, fits=fits, note=note)
