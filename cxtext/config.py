"""Project files: ``cxtext.toml`` (or ``.yaml``) naming inputs, mappings and settings.

Example::

    db = "cx.db"

    [[inputs]]
    path = "data/nps.csv"
    source = "survey"
    dataset = "nps"
    [inputs.mapping]
    text = ["Comment"]
    date = "Response Date"
    touchpoint = "Journey Stage"
    segments = ["Plan", "Region"]
    scores = { nps = "LTR", csat = "CSAT" }

    [analysis.themes]
    codebook = "codebook.yaml"

    [kpis]
    by = ["touchpoint", "segment:plan"]
    period = "month"

    [report]
    out = "report.html"

Relative paths are relative to the project file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cxtext.errors import InputError
from cxtext.sourcing import ColumnMapping, ReadContext

TOP_LEVEL_KEYS = {"db", "inputs", "ingest", "analysis", "kpis", "report", "export", "title"}
INPUT_KEYS = {"path", "source", "dataset", "channel", "encoding", "mapping", "options"}


@dataclass
class InputSpec:
    """One ``[[inputs]]`` entry: a file or folder and how to read it."""

    path: Path
    source: str | None = None
    context: ReadContext = field(default_factory=ReadContext)


@dataclass
class ProjectConfig:
    """A parsed project file (or the defaults, when there is none)."""

    base_dir: Path = field(default_factory=Path.cwd)
    db: Path | None = None
    title: str | None = None
    inputs: list[InputSpec] = field(default_factory=list)
    analysis: dict[str, Any] = field(default_factory=dict)
    kpis: dict[str, Any] = field(default_factory=dict)
    report: dict[str, Any] = field(default_factory=dict)
    #: ``[ingest]``: ``redact = ["email", "card", ...]`` (PII kinds replaced before storage).
    ingest: dict[str, Any] = field(default_factory=dict)
    source_path: Path | None = None

    def resolve(self, path: str | Path) -> Path:
        """A path from the project file, made absolute against the file's folder."""
        path = Path(path).expanduser()
        return path if path.is_absolute() else (self.base_dir / path)

    def plugin_settings(self, name: str) -> dict[str, Any]:
        """The ``[analysis.NAME]`` table (empty when absent)."""
        value = self.analysis.get(name, {})
        return value if isinstance(value, dict) else {}


def load_config(path: str | Path) -> ProjectConfig:
    """Parse a ``.toml``/``.yaml``/``.yml`` project file; errors name the file and key."""
    path = Path(path)
    if not path.is_file():
        raise InputError("project file not found.", path=path)
    try:
        if path.suffix.lower() == ".toml":
            data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
        elif path.suffix.lower() in (".yaml", ".yml"):
            data = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
        else:
            raise InputError("unknown project file format.", path=path, expected="a .toml, .yaml or .yml file")
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        raise InputError(f"the project file does not parse: {exc}", path=path) from None
    if not isinstance(data, dict):
        raise InputError("the project file must be a table of settings.", path=path)
    unknown = sorted(set(data) - TOP_LEVEL_KEYS)
    if unknown:
        raise InputError(
            f"unknown setting(s) {', '.join(unknown)}.", path=path, expected=f"one of {', '.join(sorted(TOP_LEVEL_KEYS))}"
        )
    config = ProjectConfig(base_dir=path.resolve().parent, source_path=path)
    config.title = data.get("title")
    if data.get("db"):
        config.db = config.resolve(data["db"])
    for number, entry in enumerate(data.get("inputs", []), start=1):
        config.inputs.append(_input_spec(entry, number, config, path))
    for key in ("analysis", "kpis", "report", "ingest"):
        value = data.get(key, {})
        if not isinstance(value, dict):
            raise InputError(f"[{key}] must be a table.", path=path)
        setattr(config, key, value)
    return config


def _input_spec(entry: Any, number: int, config: ProjectConfig, path: Path) -> InputSpec:
    where = f"inputs entry {number}"
    if not isinstance(entry, dict) or "path" not in entry:
        raise InputError(f"{where} needs a path.", path=path, expected='path = "data/file.csv"')
    unknown = sorted(set(entry) - INPUT_KEYS)
    if unknown:
        raise InputError(
            f"{where} has unknown key(s) {', '.join(unknown)}.", path=path, expected=f"one of {', '.join(sorted(INPUT_KEYS))}"
        )
    context = ReadContext(
        mapping=ColumnMapping.from_dict(entry.get("mapping", {}), path=str(path)),
        dataset=entry.get("dataset"),
        channel=entry.get("channel"),
        encoding=entry.get("encoding"),
        options=dict(entry.get("options", {})),
    )
    return InputSpec(path=config.resolve(entry["path"]), source=entry.get("source"), context=context)
