"""Theme codebooks: the YAML/TOML files that say which themes exist and how to spot them.

A codebook is a ``name``, a ``version`` and a list of ``themes``, each with an ``id``,
a ``label``, a ``description``, example sentences, keywords and optionally a ``parent``
theme and ``exclude`` keywords. See ``docs/themes.md`` for the format and how to write
one. :func:`load_codebook` validates everything and raises
:class:`cxtext.errors.InputError` naming the file, the theme and what is wrong.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cxtext.errors import InputError

CODEBOOK_KEYS = {"name", "version", "description", "themes"}
THEME_KEYS = {"id", "label", "description", "examples", "keywords", "exclude", "parent", "notes"}
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass
class Theme:
    """One theme of a codebook."""

    id: str
    label: str
    description: str
    examples: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    parent: str | None = None
    notes: str | None = None  # free text for people (discovery writes cluster sizes here)

    def prototypes(self) -> list[str]:
        """The texts whose embeddings stand for this theme: label, description, examples."""
        return [self.label, self.description, *self.examples]


@dataclass
class Codebook:
    """A validated codebook. ``path`` is where it was read from (None when built in code)."""

    name: str
    version: str
    themes: list[Theme]
    description: str | None = None
    path: Path | None = None

    def __post_init__(self) -> None:
        self.by_id = {theme.id: theme for theme in self.themes}

    def ancestors(self, theme_id: str) -> list[str]:
        """Parent, grandparent, ... of a theme (nearest first)."""
        found = []
        parent = self.by_id[theme_id].parent
        while parent is not None:
            found.append(parent)
            parent = self.by_id[parent].parent
        return found

    def children(self, theme_id: str) -> list[str]:
        return [theme.id for theme in self.themes if theme.parent == theme_id]

    def to_dict(self) -> dict[str, Any]:
        """The codebook as plain data, in file order, leaving out empty optional fields."""
        themes = []
        for theme in self.themes:
            entry = {key: value for key, value in asdict(theme).items() if value not in (None, [], "")}
            entry.setdefault("description", theme.description)
            themes.append(entry)
        data: dict[str, Any] = {"name": self.name, "version": self.version}
        if self.description:
            data["description"] = self.description
        data["themes"] = themes
        return data

    @property
    def content_hash(self) -> str:
        """Short hash of the codebook's content: any edit gives a new analyzer version."""
        canonical = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha1(canonical.encode("utf-8")).hexdigest()[:10]


def load_codebook(path: str | Path) -> Codebook:
    """Read and validate a ``.yaml``/``.yml``/``.toml`` codebook file."""
    path = Path(path)
    if not path.is_file():
        raise InputError("codebook file not found.", path=path, hint="Set [analysis.themes] codebook in the project file.")
    try:
        text = path.read_text(encoding="utf-8-sig")
        if path.suffix.lower() == ".toml":
            data = tomllib.loads(text)
        elif path.suffix.lower() in (".yaml", ".yml"):
            data = yaml.safe_load(text)
        else:
            raise InputError("unknown codebook format.", path=path, expected="a .yaml, .yml or .toml file")
    except (tomllib.TOMLDecodeError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError(f"the codebook does not parse: {exc}", path=path) from None
    return codebook_from_dict(data, path=path)


def codebook_from_dict(data: Any, *, path: str | Path | None = None) -> Codebook:
    """Validate parsed codebook data (what :func:`load_codebook` reads from a file)."""

    def fail(message: str, expected: str | None = None, hint: str | None = None) -> InputError:
        return InputError(message, path=path, expected=expected, hint=hint)

    if not isinstance(data, dict):
        raise fail("a codebook must be a table with name, version and themes.")
    unknown = sorted(set(data) - CODEBOOK_KEYS)
    if unknown:
        raise fail(f"unknown codebook key(s) {', '.join(unknown)}.", expected=f"one of {', '.join(sorted(CODEBOOK_KEYS))}")
    for key in ("name", "version"):
        if not _text(data.get(key)):
            raise fail(f"the codebook has no {key}.", expected=f'{key}: "..." at the top of the file')
    themes_data = data.get("themes")
    if not isinstance(themes_data, list) or not themes_data:
        raise fail("the codebook has no themes.", expected="a list of themes, each with id, label and description")

    themes: list[Theme] = []
    seen: set[str] = set()
    for number, entry in enumerate(themes_data, start=1):
        where = f"theme {number}"
        if not isinstance(entry, dict):
            raise fail(f"{where} is not a table.", expected="id, label, description, examples, keywords")
        theme_id = _text(entry.get("id"))
        if not theme_id:
            raise fail(f"{where} has no id.", expected='an id like "billing-charges"')
        where = f"theme {theme_id!r}"
        if not ID_PATTERN.match(theme_id):
            raise fail(f"{where}: the id may only use lower-case letters, digits, '-' and '_'.",
                       expected='an id like "billing-charges"')
        if theme_id in seen:
            raise fail(f"{where}: duplicate id (theme {number} repeats an earlier theme's id).",
                       hint="Give every theme its own id.")
        seen.add(theme_id)
        unknown = sorted(set(entry) - THEME_KEYS)
        if unknown:
            raise fail(f"{where} has unknown key(s) {', '.join(unknown)}.", expected=f"one of {', '.join(sorted(THEME_KEYS))}")
        label = _text(entry.get("label"))
        if not label:
            raise fail(f"{where} has no label.", expected="a short name people will read in reports")
        description = _text(entry.get("description"))
        if not description:
            raise fail(f"{where} has no description.",
                       expected="one or two sentences saying what belongs in the theme",
                       hint="Descriptions are embedded and matched against sentences, so they matter.")
        lists = {key: _string_list(entry.get(key), f"{where}: {key}", fail) for key in ("examples", "keywords", "exclude")}
        for key in ("keywords", "exclude"):
            for pattern in lists[key]:
                _check_pattern(pattern, f"{where}: {key}", fail)
        parent = entry.get("parent")
        if parent is not None and not _text(parent):
            raise fail(f"{where}: parent must be another theme's id.")
        themes.append(
            Theme(
                id=theme_id, label=label, description=description, parent=_text(parent) or None,
                notes=_text(entry.get("notes")) or None, **lists,
            )
        )

    ids = {theme.id for theme in themes}
    parents = {theme.id: theme.parent for theme in themes}
    for theme in themes:
        if theme.parent is None:
            continue
        if theme.parent not in ids:
            raise fail(f"theme {theme.id!r}: unknown parent {theme.parent!r}.",
                       expected=f"the id of another theme in this codebook ({', '.join(sorted(ids))})")
        chain, current = [theme.id], theme.parent
        while current is not None:
            if current in chain:
                raise fail(f"theme {theme.id!r}: its parents form a cycle ({' -> '.join(chain + [current])}).",
                           hint="A theme cannot be its own ancestor.")
            chain.append(current)
            current = parents[current]

    return Codebook(
        name=_text(data["name"]), version=_text(data["version"]), themes=themes,
        description=_text(data.get("description")) or None, path=Path(path) if path else None,
    )


def write_codebook(codebook: Codebook, path: str | Path, header: str | None = None) -> Path:
    """Write a codebook as YAML (``.toml`` is read, YAML is what cxtext writes)."""
    path = Path(path)
    body = yaml.safe_dump(codebook.to_dict(), sort_keys=False, allow_unicode=True, width=100)
    comment = "".join(f"# {line}\n" if line else "#\n" for line in (header or "").splitlines())
    path.write_text(comment + body, encoding="utf-8")
    return path


def _text(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)  # version: 1.0 written without quotes
    return value.strip() if isinstance(value, str) else ""


def _string_list(value: Any, where: str, fail) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise fail(f"{where} must be a list of non-empty strings.", expected='e.g. ["double charged", "refund*"]',
                   hint="In YAML, quote words such as yes, no, on, off, true, false and numbers.")
    return [item.strip() for item in value]


def _check_pattern(pattern: str, where: str, fail) -> None:
    from cxtext_themes.keywords import compile_keyword

    try:
        compile_keyword(pattern)
    except (re.error, ValueError) as exc:
        raise fail(f"{where}: {pattern!r} is not a valid keyword pattern ({exc}).",
                   expected="a word or phrase, '*' as a wildcard, or 're:' followed by a regular expression") from None
