"""Disfluencies and filler in spoken or chatty text: "um", "uh", "like", "yeah", "okay".

Transcripts are full of them, and sentence embeddings of "Yeah, yes, sure" or "Okay, ok"
sit close together, so clustering raw sentences turns filler into themes, and class
TF-IDF then names those themes after the filler words. Discovery therefore clusters the
sentences with their filler removed (:func:`strip_filler`), leaves out sentences that
are filler and little else (:func:`is_filler`), and never uses a filler word as a key
phrase (:data:`FILLER_WORDS`).
"""

from __future__ import annotations

import re

# Words that carry no theme in speech. "like" and "right" are real words too ("I like the
# fit"), but as key phrases they name no theme either, so they are filler for keywords.
FILLER_WORDS = frozenset({
    "um", "umm", "uh", "uhh", "uhm", "er", "erm", "ah", "eh", "hm", "hmm", "mm", "mhm", "huh",
    "yeah", "yea", "yep", "yup", "yes", "no", "nope", "okay", "ok", "oh", "alright", "right", "sure",
    "like", "so", "well", "actually", "basically", "literally", "really", "just", "kind", "sort", "kinda",
    "sorta", "gonna", "wanna", "gotta", "know", "mean", "thing", "things", "stuff", "guess", "think",
    "lot", "pretty", "maybe", "totally", "exactly", "definitely", "anyway", "anyways", "thanks", "thank",
    "cool", "great", "perfect", "good", "fine",
})

# Filler that is never content, removed from text before embedding.
_DISFLUENCY = r"u+m+|u+h+m*|e+r+m*|a+h+|e+h|h+m+|m+h*m+|mm-hmm|uh-huh"
# Discourse fillers removed only where they are set off as fillers (start of a sentence or
# between commas): "Yeah, so the data ..." -> "the data ...", but "I like the fit" stays.
_DISCOURSE = r"yeah|yea|yep|yes|okay|ok|oh|alright|right|so|well|like|you know|i mean|sure|actually|basically"
_DISFLUENCY_RE = re.compile(rf"(?i)(?<![\w'-])(?:{_DISFLUENCY})(?![\w'-])[,.!?…]*")
_LEADING_RE = re.compile(rf"(?i)^(?:\s*(?:{_DISCOURSE})\b[\s,.!?…-]*)+")
_SET_OFF_RE = re.compile(rf"(?i),\s*(?:{_DISCOURSE})\s*,")
_REPEAT_RE = re.compile(r"(?i)\b(\w+)(?:[,\s]+\1\b)+")  # "I, I went" -> "I went"
_WORD = re.compile(r"[^\W\d_][\w'-]*")


def strip_filler(text: str) -> str:
    """``text`` with disfluencies, leading and comma-bounded fillers and stutters removed."""
    cleaned = _DISFLUENCY_RE.sub(" ", text)
    previous = None
    while previous != cleaned:
        previous = cleaned
        cleaned = _SET_OFF_RE.sub(",", cleaned)
        cleaned = _LEADING_RE.sub("", cleaned.strip(" ,"))
    cleaned = _REPEAT_RE.sub(r"\1", cleaned)
    cleaned = re.sub(r"\s+([,.!?])", r"\1", cleaned)
    cleaned = re.sub(r"([,.!?])(?:\s*[,])+", r"\1", cleaned)
    return " ".join(cleaned.split()).strip(" ,")


def content_words(text: str, stop_words: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """The words of ``text`` that are neither filler nor stop words."""
    return [w for w in (m.group(0).lower() for m in _WORD.finditer(text))
            if w not in FILLER_WORDS and w not in stop_words and len(w) > 1]


def is_filler(text: str, stop_words: frozenset[str] | set[str] = frozenset(), min_content_words: int = 2) -> bool:
    """True when ``text`` has fewer than ``min_content_words`` words that are neither filler nor stop words."""
    return len(content_words(text, stop_words)) < min_content_words
