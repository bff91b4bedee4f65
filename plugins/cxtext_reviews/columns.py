"""Which review field holds what: the user's mapping first, then names review exports use.

Field names are matched after splitting camelCase (``reviewText`` -> "review text"),
so Amazon, Yelp, Google Play and Trustpilot style exports are recognised as well as
spreadsheet headers. Every auto-detected field is reported with ``context.note``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from cxtext.sourcing import (
    COLUMN_SYNONYMS,
    ReadContext,
    ResolvedColumns,
    detect_text_column,
    mapped_columns,
    normalise_header,
    numeric_share,
)

# Review-export names on top of the host's COLUMN_SYNONYMS, in order of preference.
EXTRA_NAMES: dict[str, tuple[str, ...]] = {
    "text": ("review body", "review content", "review comment", "comment text"),
    "title": ("review headline",),
    "id": ("reviewid", "review uuid"),
    "rating": ("overall", "review stars", "star", "rating value", "stars given"),
    "helpful_votes": ("useful", "thumbs up count", "helpful vote count", "helpfulness", "found helpful"),
    "recommend": ("recommended ind", "recommended", "would recommend", "recommend", "is recommended"),
    "product": ("product", "product name", "product title", "item name", "product id", "productid", "item id",
                "item", "asin", "sku", "business id", "app id", "app name"),
    "customer": ("reviewer id", "reviewerid", "reviewer", "reviewer name", "profile name"),
    "date": ("unix review time", "review time", "at", "published", "published at", "date published",
             "submission time"),
}


def field_key(name: str) -> str:
    """``"reviewText"`` -> ``"review text"``: camelCase split, then the host's header normalisation."""
    return normalise_header(re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", str(name)))


def names_for(role: str) -> tuple[str, ...]:
    return (*COLUMN_SYNONYMS.get(role, ()), *EXTRA_NAMES.get(role, ()))


def find_field(headers: list[str], role: str, taken: set[str]) -> str | None:
    """The first header, by preference of name, that matches ``role``."""
    by_key: dict[str, str] = {}
    for header in headers:
        if header not in taken:
            by_key.setdefault(field_key(header), header)
    return next((by_key[name] for name in names_for(role) if name in by_key), None)


def as_number(value: Any) -> Any:
    """Yes/no and true/false cells as 1/0; an Amazon-style ``[helpful, total]`` pair as its first."""
    if isinstance(value, list) and value:
        return value[0]
    if isinstance(value, str) and value.strip().lower() in _BOOLEAN_WORDS:
        return _BOOLEAN_WORDS[value.strip().lower()]
    return value


_BOOLEAN_WORDS = {"true": 1, "false": 0, "yes": 1, "no": 0}


def resolve_columns(headers: list[str], sample: list[dict[str, Any]], context: ReadContext, path: Path,
                    unnamed_first: str | None = None) -> ResolvedColumns:
    """Combine the mapping with auto-detection over the field names and a sample of rows."""
    mapping = context.mapping
    columns, taken = mapped_columns(mapping, headers, path=path)

    def auto(role: str, explicit_column: str | None, label: str | None = None) -> str | None:
        if explicit_column:
            return explicit_column
        found = find_field(headers, role, taken)
        if found:
            taken.add(found)
            context.note(f"{label or role} column: {found!r} (auto-detected)")
        return found

    columns.id = auto("id", mapping.id)
    if columns.id is None and unnamed_first and unnamed_first not in taken:
        columns.id = unnamed_first
        taken.add(unnamed_first)
        context.note("id column: the unnamed first column (an exported row index)")
    columns.title = auto("title", mapping.title)
    columns.date = auto("date", mapping.date)
    columns.customer = auto("customer", mapping.customer)
    columns.touchpoint = auto("touchpoint", mapping.touchpoint)
    columns.language = auto("language", mapping.language)
    columns.channel = mapping.channel
    for name in ("rating", "recommend"):
        if name not in columns.scores:
            found = _numeric_field(headers, name, sample, taken, context, "score")
            if found:
                columns.scores[name] = found
    if "helpful_votes" not in columns.engagement:
        found = _numeric_field(headers, "helpful_votes", sample, taken, context, "count")
        if found:
            columns.engagement["helpful_votes"] = found
    if "product" not in columns.segments:
        found = find_field(headers, "product", taken)
        if found:
            columns.segments["product"] = found
            taken.add(found)
            context.note(f"product segment: {found!r} (auto-detected)")
    if not columns.text:
        columns.text = [_detect_text(headers, sample, taken, context, path)]
    return columns


def _numeric_field(headers: list[str], name: str, sample: list[dict[str, Any]], taken: set[str],
                   context: ReadContext, what: str) -> str | None:
    found = find_field(headers, name, taken)
    if not found:
        return None
    taken.add(found)  # a non-numeric namesake goes to metadata rather than elsewhere
    if numeric_share((row.get(found) for row in sample), as_number) < 0.5:
        context.note(f"column {found!r} is named like the {name} {what} but holds words, not numbers; not used")
        return None
    context.note(f"{name} {what} column: {found!r} (auto-detected)")
    return found


def _detect_text(headers: list[str], sample: list[dict[str, Any]], taken: set[str], context: ReadContext,
                 path: Path) -> str:
    found = find_field(headers, "text", taken)
    if found:
        context.note(f"text column: {found!r} (auto-detected)")
        return found
    return detect_text_column(headers, sample, taken, context, path, strings_only=True, what="field",
                              subject="the review text", named_like="'text', 'review text' or 'body'",
                              hint_more=" (and the title with --title)")
