"""Shared text machinery: sentence splitting and language detection.

Sentences come from spaCy's rule-based sentencizer on a blank English pipeline
(about 100x faster than a full parse, and no parse is needed to find sentence
ends), with line breaks also treated as boundaries since survey answers and posts
often use them instead of full stops. Language comes from lingua, which is
accurate on short texts and ships its models.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from cxtext.signals import Sentence

SPLITTER_VERSION = "sentences-1.0+spacy-blank-en-sentencizer"
LANGUAGE_MODEL = "lingua-language-detector"

# Languages a CX programme in Europe/the Americas meets; a closed set keeps lingua
# fast and stops rare languages winning on short English texts.
LANGUAGES = (
    "ENGLISH", "FRENCH", "SPANISH", "GERMAN", "ITALIAN", "PORTUGUESE", "DUTCH", "WELSH",
    "IRISH", "POLISH", "SWEDISH", "DANISH", "BOKMAL", "FINNISH", "CZECH", "ROMANIAN",
    "TURKISH", "RUSSIAN", "ARABIC", "CHINESE", "JAPANESE", "KOREAN", "HINDI",
)
#: Below this many letters a text is too short to call its language; it counts as unknown.
MIN_LETTERS_FOR_LANGUAGE = 12
#: A text whose English confidence is at least this stays English even if another language scores higher.
ENGLISH_BENEFIT_OF_DOUBT = 0.25
#: ... and another language must reach this confidence to be named.
NON_ENGLISH_MIN_CONFIDENCE = 0.6


@cache
def sentencizer():
    """A blank English pipeline with the rule-based sentencizer (loaded once)."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


_LINE_BREAKS = re.compile(r"\s*\n\s*")


def split_sentences(texts: list[str], record_ids: list[str], batch_size: int = 256) -> list[list[Sentence]]:
    """Split each text into sentences with character offsets into the original text."""
    nlp = sentencizer()
    # Split on line breaks first, remembering where each line starts in the record.
    lines: list[tuple[int, int, str]] = []  # (record index, offset, line text)
    for index, text in enumerate(texts):
        position = 0
        for match in _LINE_BREAKS.finditer(text):
            if match.start() > position:
                lines.append((index, position, text[position : match.start()]))
            position = match.end()
        if position < len(text) and text[position:].strip():
            lines.append((index, position, text[position:]))
    result: list[list[Sentence]] = [[] for _ in texts]
    for (index, offset, _), doc in zip(lines, nlp.pipe((line for _, _, line in lines), batch_size=batch_size)):
        for span in doc.sents:
            sentence_text = span.text.strip()
            if not sentence_text:
                continue
            start = offset + span.start_char + (len(span.text) - len(span.text.lstrip()))
            record_id = record_ids[index]
            number = len(result[index])
            result[index].append(
                Sentence(id=f"{record_id}:{number}", record_id=record_id, index=number,
                         text=sentence_text, start=start, end=start + len(sentence_text))
            )
    return result


@dataclass
class LanguageGuess:
    code: str | None  # ISO 639-1, None when the text is too short to tell
    confidence: float


@cache
def language_detector():
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in LANGUAGES]
    return LanguageDetectorBuilder.from_languages(*languages).with_preloaded_language_models().build()


def lingua_version() -> str:
    from importlib.metadata import version

    return version("lingua-language-detector")


_NOT_LANGUAGE = re.compile(r"(https?://\S+|www\.\S+|[@#][\w_]+|\d+)")


def detect_languages(texts: list[str]) -> list[LanguageGuess]:
    """The most likely language of each text, with lingua's confidence.

    Handles, hashtags, links and numbers are removed first: they carry no language
    and make short posts look like Welsh or Dutch.
    """
    detector = language_detector()
    guesses: list[LanguageGuess] = []
    texts = [_NOT_LANGUAGE.sub(" ", text) for text in texts]
    values = detector.compute_language_confidence_values_in_parallel(texts) if texts else []
    for text, confidences in zip(texts, values):
        letters = sum(ch.isalpha() for ch in text)
        if letters < MIN_LETTERS_FOR_LANGUAGE or not confidences:
            guesses.append(LanguageGuess(None, 0.0))
            continue
        best = confidences[0]
        english = next((c.value for c in confidences if c.language.name == "ENGLISH"), 0.0)
        if best.language.name != "ENGLISH" and (english >= ENGLISH_BENEFIT_OF_DOUBT or best.value < NON_ENGLISH_MIN_CONFIDENCE):
            # Short, informal English (names, slang, typos) often scores close to
            # other languages; flag a text as non-English only when it clearly is.
            best = next(c for c in confidences if c.language.name == "ENGLISH")
        guesses.append(LanguageGuess(best.language.iso_code_639_1.name.lower(), round(float(best.value), 4)))
    return guesses
