"""``cxtext themes ...``: discover a draft codebook from a store, check a codebook file."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from cxtext.console import friendly_errors, out
from cxtext.errors import InputError


def embedder_for(config):
    """The shared embedder the analysis stage uses (tests replace this function)."""
    from cxtext.embeddings import get_embedder

    return get_embedder(config.analysis.get("embedding_model"))


@click.group("themes")
def themes_group() -> None:
    """Theme codebooks: discover draft themes from your data, check a codebook.

    Workflow: `cxtext themes discover` writes a draft codebook; edit its labels,
    descriptions and keywords; set [analysis.themes] codebook = "draft.yaml" and run
    `cxtext analyze` again (a changed codebook re-analyses). See docs/themes.md.
    """


@themes_group.command("discover")
@click.option("--db", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path), help="The store.")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the draft codebook (YAML).")
@click.option("--seed", default=0, show_default=True, help="Seed of the silhouette sample (used above 5,000 sentences); discovery is otherwise deterministic.")
@click.option("--min-size", type=click.IntRange(min=1), help="Smallest theme, in sentences (default: 1% of them, at least 3).")
@click.option("--k", "k", type=click.IntRange(min=1), help="Number of themes (default: chosen by silhouette).")
@click.option("--min-themes", default=8, show_default=True, type=click.IntRange(min=2), help="Lower end of the k range tried.")
@click.option("--max-themes", default=20, show_default=True, type=click.IntRange(min=2), help="Upper end of the k range tried.")
@click.option("--existing", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="An existing codebook: matching themes keep their ids and entries.")
@click.option("--match-threshold", default=0.5, show_default=True, type=click.FloatRange(-1, 1),
              help="Centroid cosine at which a cluster counts as an existing theme.")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Project file (transcript roles, embedding model).")
@friendly_errors
def discover_command(db: Path, out_path: Path, seed: int, min_size: int | None, k: int | None, min_themes: int,
                     max_themes: int,
                     existing: Path | None, match_threshold: float, config_path: Path | None) -> None:
    """Cluster the store's English sentences into a draft codebook to edit and apply.

    Reads participant/customer sentences only (interviewer turns are left out), splits
    records that have not been split yet, and reuses cached embeddings. Sentences are
    clustered with their filler ("um", "uh", "yeah, so"), @handles and links stripped.
    """
    from cxtext import Project
    from cxtext.embeddings import cached_encode
    from cxtext_themes.codebook import load_codebook, write_codebook
    from cxtext_themes.discover import discover_themes, discovery_text

    old = load_codebook(existing) if existing else None
    with Project(db, config_path) as project:
        store, config = project.store, project.config
        sentences = project.sentences(language="en")
        if len(sentences) < 4:
            raise InputError(f"the store has {len(sentences)} English sentences; discovery needs at least 4.",
                             path=db, hint="Ingest some files first (cxtext ingest).")
        embedder = embedder_for(config)
        texts = [discovery_text(s.text) for s in sentences]
        vectors = cached_encode(store, texts, embedder)
        discovery = discover_themes(
            texts, vectors, seed=seed, min_size=min_size, k=k, min_themes=min(min_themes, max_themes),
            max_themes=max_themes, existing=old,
            encoder=lambda items: cached_encode(store, items, embedder), match_threshold=match_threshold,
            name=f"discovered-{db.stem}",
        )
    header = (
        f"Draft codebook written by `cxtext themes discover` (seed {seed}, {len(texts)} sentences, "
        f"k={discovery.k}).\nEdit labels, descriptions and keywords, delete what is not a theme, then apply it:\n"
        f'[analysis.themes] codebook = "{out_path.name}" and `cxtext analyze`. See docs/themes.md.'
    )
    write_codebook(discovery.codebook, out_path, header=header)

    table = Table("id", "label", "sentences", "share", "key phrases")
    for found in discovery.themes:
        table.add_row(escape(found.theme.id), escape(found.theme.label), str(found.size),
                      f"{found.size / len(texts):.1%}", escape(", ".join(found.terms[:5])))
    out.print(table)
    if discovery.kept_existing:
        out.print(f"Existing themes with no matching cluster (kept in the draft): "
                  f"{escape(', '.join(discovery.kept_existing))}")
    out.print(f"{len(discovery.themes)} themes from {len(texts)} sentences; "
              f"unassigned share {discovery.unassigned_share:.1%}. Draft written to {escape(str(out_path))}")


@themes_group.command("suggest")
@click.option("--db", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path), help="The store.")
@click.option("--sample", default=2000, show_default=True, type=click.IntRange(min=1),
              help="At most this many sentences (evenly spaced) are compared.")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Project file (transcript roles, embedding model).")
@friendly_errors
def suggest_command(db: Path, sample: int, config_path: Path | None) -> None:
    """Say which shipped domain codebook fits the store's sentences best, and why."""
    import numpy as np

    from cxtext import Project
    from cxtext.embeddings import cached_encode
    from cxtext_themes.domains import DOMAIN_CODEBOOKS, suggest_codebook

    with Project(db, config_path) as project:
        store, config = project.store, project.config
        texts = [s.text for s in project.sentences(language="en")]
        if not texts:
            raise InputError("the store has no English sentences to compare.", path=db,
                             hint="Ingest some files first (cxtext ingest).")
        texts = [texts[i] for i in sorted(set(np.linspace(0, len(texts) - 1, min(sample, len(texts))).astype(int)))]
        embedder = embedder_for(config)
        suggestion = suggest_codebook(cached_encode(store, texts, embedder),
                                      lambda items: cached_encode(store, items, embedder))
    table = Table("codebook", "for", "fit")
    for name, fit in sorted(suggestion.fits.items(), key=lambda item: -item[1]):
        table.add_row(escape(name), escape(DOMAIN_CODEBOOKS[name]), f"{fit:.3f}")
    out.print(table)
    out.print(escape(suggestion.note))
    out.print(f'To use it: [analysis.themes] codebook = "{escape(suggestion.name)}"')


@themes_group.command("check")
@click.argument("codebook", type=click.Path(path_type=Path))
@friendly_errors
def check_command(codebook: Path) -> None:
    """Validate a codebook file and list its themes."""
    from cxtext_themes.codebook import load_codebook

    book = load_codebook(codebook)
    table = Table("id", "label", "parent", "examples", "keywords")
    for theme in book.themes:
        table.add_row(escape(theme.id), escape(theme.label), escape(theme.parent or ""),
                      str(len(theme.examples)), str(len(theme.keywords)))
    out.print(table)
    out.print(f"{escape(book.name)} {escape(book.version)}: {len(book.themes)} themes, valid "
              f"(content hash {book.content_hash}).")
