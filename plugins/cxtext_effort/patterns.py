"""Effort evidence from token patterns: a small pattern language compiled to spaCy's Matcher.

Patterns live in ``patterns.yaml`` as one string per pattern, tokens separated by spaces
(matched on lower-cased tokens of ``spacy.blank("en")``, so no lemmas are needed)::

    called|rang|phoned ANY{0,3} NUM2 times

- ``a|b|c``    the token is one of these words
- ``!a|b``     any token except these
- ``/regex/``  the lower-cased token fully matches the regex
- ``ANY``      any token
- a suffix ``?``, ``*``, ``+`` or ``{m,n}`` repeats the token (spaCy's ``OP``)
- ``NAME``     a macro from the file's ``macros:`` table; a macro is a list of
  alternative pattern strings (``DUR`` = "45 minutes", "an hour and a half", ...), so a
  pattern that uses it expands into one Matcher pattern per alternative. Single-token
  macros may take a repeat suffix (``NEG?``).

Matching keeps, per driver, the longest non-overlapping spans; a negation just before a
span ("not easy", "never had to chase") flips or drops it, as each driver's
``when_negated`` says.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .durations import parse_duration

PATTERNS_FILE = Path(__file__).with_name("patterns.yaml")

#: Words that describe speed; next to a product word they praise the product, not the experience.
SPEED_WORDS = {"fast", "faster", "fastest", "quick", "quicker", "quickest", "speedy", "rapid", "super", "superfast", "swift"}

_REPEAT = re.compile(r"^(?P<body>.+?)(?P<op>\?|\*|\+|\{\d*,\d*\})?$")
_MACRO_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")


@dataclass
class DriverSpec:
    """One driver's patterns and behaviour, as read from the patterns file."""

    name: str
    polarity: str  # "high" or "low"
    patterns: list[str]
    when_negated: str = "drop"  # "drop", "keep" or the driver id to flip to
    #: {"groups": [...], "at_least": n}: the sentence must use words of n of these context groups.
    needs_context: dict[str, Any] = field(default_factory=dict)
    flip_words: list[str] = field(default_factory=list)  # when set, only spans with one of these words flip
    exclude_next: list[str] = field(default_factory=list)  # drop a span followed by one of these words
    confidence: float = 0.9
    #: For spans whose meaning depends on how long it took ("took two minutes" vs "took 7
    #: weeks"): {"low_max": minutes, "low": driver, "high_min": minutes, "high": driver};
    #: spans with no duration, or between the two limits, are dropped.
    by_duration: dict[str, Any] = field(default_factory=dict)
    min_minutes: float | None = None  # spans with a shorter parsed duration are dropped
    #: The sentence must state a duration or a date ("still waiting" alone is not waiting,
    #: "have not heard back" alone is not chasing: the driver rules in docs/effort.md).
    needs_duration: bool = False
    report_as: str | None = None  # emit spans under this driver id (several specs, one driver)


@dataclass
class PatternSet:
    drivers: dict[str, DriverSpec]
    macros: dict[str, list[str]]
    negators: list[str]
    negation_window: int
    negation_breaks: list[str]
    context_groups: dict[str, list[str]]
    product_words: list[str]
    source: str  # the file's text, for versioning


def load_pattern_set(path: str | Path | None = None) -> PatternSet:
    """Read a patterns file (the shipped ``patterns.yaml`` by default)."""
    text = Path(path or PATTERNS_FILE).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    drivers = {
        name: DriverSpec(name=name, polarity=spec["polarity"], patterns=list(spec["patterns"]),
                         when_negated=spec.get("when_negated", "drop"),
                         needs_context=dict(spec.get("needs_context", {})),
                         flip_words=list(spec.get("flip_words", [])),
                         exclude_next=list(spec.get("exclude_next", [])),
                         confidence=float(spec.get("confidence", 0.9)),
                         by_duration=dict(spec.get("by_duration", {})),
                         min_minutes=spec.get("min_minutes"),
                         needs_duration=bool(spec.get("needs_duration", False)),
                         report_as=spec.get("report_as"))
        for name, spec in data["drivers"].items()
    }
    negation = data.get("negation", {})
    return PatternSet(
        drivers=drivers,
        macros={name: list(alts) for name, alts in data.get("macros", {}).items()},
        negators=list(negation.get("words", [])),
        negation_window=int(negation.get("window", 3)),
        negation_breaks=list(negation.get("breaks", [])),
        context_groups={name: list(words) for name, words in data.get("context", {}).items()},
        product_words=list(data.get("product_words", [])),
        source=text,
    )


def _token_spec(body: str) -> dict[str, Any]:
    if body == "ANY":
        return {}
    if len(body) > 1 and body.startswith("/") and body.endswith("/"):
        return {"LOWER": {"REGEX": f"^(?:{body[1:-1]})$"}}
    if body.startswith("!"):
        return {"LOWER": {"NOT_IN": body[1:].split("|")}}
    return {"LOWER": {"IN": body.split("|")}}


def expand_pattern(pattern: str, macros: dict[str, list[str]], _depth: int = 0) -> list[list[dict[str, Any]]]:
    """Compile one pattern string into the Matcher patterns it stands for."""
    if _depth > 5:
        raise ValueError(f"macros nest too deeply in {pattern!r}")
    choices: list[list[list[dict[str, Any]]]] = []  # per slot: alternative token sequences
    for word in pattern.split():
        match = _REPEAT.match(word)
        body, op = match.group("body"), match.group("op")
        if body.startswith("/") and not body.endswith("/"):  # a regex ending in ? or * is not a repeat
            body, op = word, None
        alternatives = _slot_alternatives(body, macros, pattern, _depth)
        if op:
            if any(len(seq) != 1 for seq in alternatives):
                raise ValueError(f"{body} spans several tokens; it cannot take {op!r} (in {pattern!r})")
            alternatives = [[{**seq[0], "OP": op}] for seq in alternatives]
        choices.append(alternatives)
    return [[token for seq in combo for token in seq] for combo in itertools.product(*choices)]


def _slot_alternatives(body: str, macros: dict[str, list[str]], pattern: str, depth: int) -> list[list[dict[str, Any]]]:
    """The token sequences one slot of a pattern can match ("a|b|MACRO" mixes words and macros)."""
    if body == "ANY" or body.startswith("/") or body.startswith("!"):
        return [[_token_spec(body)]]
    words, sequences = [], []
    for part in body.split("|"):
        if _MACRO_NAME.match(part) and part != "ANY":
            if part not in macros:
                raise ValueError(f"unknown macro {part} in pattern {pattern!r}")
            sequences.extend(seq for alt in macros[part] for seq in expand_pattern(alt, macros, depth + 1))
        else:
            words.append(part)
    if words:
        sequences.insert(0, [_token_spec("|".join(words))])
    return sequences


@dataclass
class Evidence:
    """One effort span found in a sentence (offsets are within the sentence)."""

    driver: str
    polarity: str
    start: int
    end: int
    text: str
    method: str = "pattern"
    confidence: float = 0.9
    negated: bool = False
    duration_minutes: float | None = None


class EffortMatcher:
    """Finds effort evidence in sentences with the compiled patterns."""

    def __init__(self, pattern_set: PatternSet | None = None) -> None:
        import spacy
        from spacy.matcher import Matcher

        self.patterns = pattern_set or load_pattern_set()
        self.nlp = spacy.blank("en")
        self.matcher = Matcher(self.nlp.vocab)
        for name, spec in self.patterns.drivers.items():
            compiled = [seq for pattern in spec.patterns for seq in expand_pattern(pattern, self.patterns.macros)]
            self.matcher.add(name, compiled)
        self._negators = set(self.patterns.negators)
        self._breaks = set(self.patterns.negation_breaks)
        self._context = {name: set(words) for name, words in self.patterns.context_groups.items()}
        self._product_words = set(self.patterns.product_words)

    def find(self, texts: list[str], batch_size: int = 256) -> list[list[Evidence]]:
        """Evidence per text (each text is one sentence)."""
        return [self._evidence(doc) for doc in self.nlp.pipe(texts, batch_size=batch_size)]

    def negation_cue(self, doc, start: int) -> bool:
        """True when a negator occurs within the window before token ``start`` (stopping at a clause break)."""
        for index in range(start - 1, max(-1, start - 1 - self.patterns.negation_window), -1):
            word = doc[index].lower_
            if word in self._breaks:
                return False
            if word in self._negators:
                return True
        return False

    def has_negator(self, text: str) -> bool:
        """True when any negator occurs in the text (used to guard the classifier's low-effort calls)."""
        return any(token.lower_ in self._negators for token in self.nlp.make_doc(text))

    def _evidence(self, doc) -> list[Evidence]:
        words = {token.lower_ for token in doc}
        by_driver: dict[str, list] = {}
        for match_id, start, end in self.matcher(doc):
            by_driver.setdefault(self.nlp.vocab.strings[match_id], []).append(doc[start:end])
        found: list[Evidence] = []
        for driver, spans in by_driver.items():
            spec = self.patterns.drivers[driver]
            if spec.needs_context and not self._has_context(words, spec.needs_context):
                continue
            if spec.needs_duration and not states_duration(doc.text):
                continue
            # Filter single matches before merging, so a rejected reading cannot hide in a longer span.
            spans = [
                span for span in spans
                if not self._is_product_speed(doc, span)
                and not (spec.exclude_next and span.end < len(doc) and doc[span.end].lower_ in spec.exclude_next)
            ]
            for span in merge_spans(doc, spans):
                evidence = Evidence(driver=spec.report_as or driver, polarity=spec.polarity, start=span.start_char,
                                    end=span.end_char, text=span.text, confidence=spec.confidence,
                                    duration_minutes=parse_duration(span.text))
                evidence = self._apply_duration_rules(evidence, spec)
                if evidence is None:
                    continue
                if self.negation_cue(doc, span.start):
                    evidence = self._negate(evidence, spec, {t.lower_ for t in span})
                    if evidence is None:
                        continue
                found.append(evidence)
        return resolve_overlaps(found)

    def _apply_duration_rules(self, evidence: Evidence, spec: DriverSpec) -> Evidence | None:
        minutes = evidence.duration_minutes
        if spec.min_minutes is not None and minutes is not None and minutes < spec.min_minutes:
            return None
        rule = spec.by_duration
        if not rule:
            return evidence
        if minutes is None:
            return None
        if minutes <= float(rule["low_max"]):
            target = rule["low"]
        elif minutes >= float(rule["high_min"]):
            target = rule["high"]
        else:
            return None
        evidence.driver = target
        evidence.polarity = self.patterns.drivers[target].polarity if target in self.patterns.drivers else "high"
        return evidence

    def _has_context(self, words: set[str], rule: dict[str, Any]) -> bool:
        groups = [self._context.get(name, set()) for name in rule.get("groups", [])]
        return sum(1 for group in groups if words & group) >= int(rule.get("at_least", 1))

    def _is_product_speed(self, doc, span) -> bool:
        """"fast broadband" / "the internet is very fast" praise the product's speed, not an easy experience."""
        if len(span) != 1 or span[0].lower_ not in SPEED_WORDS:
            return False
        after = doc[span.end].lower_ if span.end < len(doc) else ""
        before = {token.lower_ for token in doc[max(0, span.start - 4) : span.start]}
        return after in self._product_words or bool(before & self._product_words)

    def _negate(self, evidence: Evidence, spec: DriverSpec, words: set[str]) -> Evidence | None:
        if spec.when_negated == "keep":
            return evidence
        if spec.when_negated == "drop" or (spec.flip_words and not words & set(spec.flip_words)):
            return None
        target = self.patterns.drivers.get(spec.when_negated)
        polarity = target.polarity if target else ("low" if spec.polarity == "high" else "high")
        return Evidence(driver=spec.when_negated, polarity=polarity, start=evidence.start, end=evidence.end,
                        text=evidence.text, confidence=evidence.confidence, negated=True)


_DATE = re.compile(
    r"\b(?:since|on|from|as of|back in)\s+(?:the\s+)?(?:\d{1,2}(?:st|nd|rd|th)\b|\d{1,2}[/.-]\d{1,2}|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|last\s+\w+|christmas|xmas)|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b",
    re.I)


def states_duration(text: str) -> bool:
    """True when the text gives a duration ("3 weeks", "all day") or a date ("since Sunday", "on 11/20")."""
    return parse_duration(text) is not None or bool(_DATE.search(text))


def merge_spans(doc, spans: list) -> list:
    """One span per run of overlapping or touching matches of a driver ("passed from pillar" +
    "pillar to post" -> "passed from pillar to post")."""
    merged: list[list[int]] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if merged and span.start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], span.end)
        else:
            merged.append([span.start, span.end])
    return [doc[start:end] for start, end in merged]


def resolve_overlaps(found: list[Evidence]) -> list[Evidence]:
    """Where low- and high-effort spans overlap, keep the longer ("no hassle" beats "hassle").

    Overlapping spans of two different high-effort drivers are both kept ("4 x 50min phone
    calls" is evidence of repeat contact and of waiting); two overlapping spans of the
    same driver keep the longer.
    """

    def rank(e: Evidence) -> tuple[int, bool, int]:
        return (e.end - e.start, e.polarity == "low", -e.start)

    kept = []
    for item in found:
        rivals = [
            o for o in found
            if o is not item and (o.polarity != item.polarity or o.driver == item.driver)
            and o.start < item.end and item.start < o.end
        ]
        if any(rank(o) > rank(item) for o in rivals):
            continue
        kept.append(item)
    return sorted(kept, key=lambda e: (e.start, e.driver))


@cache
def default_matcher() -> EffortMatcher:
    return EffortMatcher()
