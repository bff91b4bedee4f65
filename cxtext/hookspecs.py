"""The extension points of cxtext: one documented hookspec per kind of plugin.

A plugin is a module (or package) registered in the ``cxtext`` entry-point group,
with functions decorated by :data:`hookimpl` and named after these specs::

    from cxtext.hookspecs import hookimpl

    @hookimpl
    def register_sources():
        return [MySource()]

First-party plugins in ``plugins/`` are found exactly the same way.
"""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("cxtext")
hookimpl = pluggy.HookimplMarker("cxtext")


@hookspec
def register_sources():
    """Return a list of source readers that turn files into records.

    Each reader is an object with:

    - ``name`` (str): what users pass to ``--source`` ("survey", "reviews").
    - ``kind`` (str): the ``Record.source_kind`` it produces (survey, review, social, transcript).
    - ``description`` (str): one line for ``cxtext plugins``.
    - ``sniff(path: Path) -> float``: confidence in [0, 1] that the file (or folder) is
      this source; cheap, reads at most the first few KB. Used when ``--source`` is not given.
    - ``read(path: Path, context: cxtext.sourcing.ReadContext) -> Iterator[Record]``:
      stream the records. Raise :class:`cxtext.errors.InputError` (naming the file, row
      and what was expected) for input it cannot read; call ``context.issue(...)`` for a
      bad value in an otherwise good row (the row is kept, the value dropped).

    See ``docs/plugin-authors.md`` for a worked example in one file.
    """


@hookspec
def register_analyzers(config):
    """Return a list of analyzers (NLP plugins) following :class:`cxtext.signals.Analyzer`.

    ``config`` is the :class:`cxtext.config.ProjectConfig`;
    ``config.plugin_settings("NAME")`` is the ``[analysis.NAME]`` table of the project
    file (model names, codebook paths), with relative paths resolved by
    ``config.resolve(path)``.

    The host loads each analyzer once (``load()``), then calls ``process(docs)`` with
    batches of :class:`cxtext.signals.Doc` and stores the returned
    :class:`cxtext.signals.Signal` rows with the analyzer's model name and version.

    Each analyzer declares what it writes in ``outputs``: a list of
    :class:`cxtext.signals.SignalOutput` (kind, sentence or record level, label set, score
    meaning, data keys, and the analysis-frame column(s) a record-level signal becomes).
    The KPI engine builds its analysis frame from every registered analyzer's outputs, so
    a metric plugin can read a new analyzer's column and the report shows that metric,
    with no host change.
    """


@hookspec
def register_metrics(config):
    """Return a list of KPI definitions following :class:`cxtext.metrics.Metric`.

    ``config`` is the :class:`cxtext.config.ProjectConfig` (``[kpis]`` table: benchmarks,
    minimum group size).

    A metric computes one figure (with its n and confidence interval) from a frame of
    records joined with their record-level signals; the host does the grouping by
    segment, touchpoint, source kind, channel and period, and the trend tests.
    """


@hookspec
def register_exporters():
    """Return a list of exporters that write records with their signals to a file.

    Each exporter has ``format`` (str, e.g. "jsonl"), ``extension`` (".jsonl"),
    ``description`` and ``export(project: cxtext.Project, out: Path, **options) -> int``
    returning the number of rows written. ``project.store`` holds the records and
    signals, ``project.config`` the settings and ``project.kpis(...)`` the KPI table.
    """


@hookspec
def register_reporters():
    """Return a list of reporters that render analysis results for people.

    Each reporter has ``name`` (str, e.g. "html"), ``description`` and
    ``render(project: cxtext.Project, out: Path, *, title: str | None = None, **options) -> Path``.
    The project gives everything a report shows without importing the engine:
    ``project.engine`` (KPIs, trends, alerts, drivers, pain points over one analysis
    frame), ``project.metrics()``, ``project.analyzers()`` (with their declared
    ``outputs``), ``project.store`` and ``project.config``.
    """


@hookspec
def register_views(context):
    """Return a list of :class:`cxtext.views.StoreView`: read-only SQL views for browsing the store.

    ``context`` is a :class:`cxtext.views.ViewContext`: the store's segment names, every
    analyzer's declared outputs, and SQL helpers for the shared columns (scores, segments,
    the declared sentence polarity), so a view never names another plugin's signal kinds.
    Each view carries its description, column docs, units, facets and any Datasette
    canned queries built on it. ``cxtext serve`` and ``cxtext analyze`` (re)create them.
    """


@hookspec
def register_commands(cli):
    """Add commands to the ``cxtext`` click group.

    ``cli`` is the :class:`click.Group`; decorate new commands with ``@cli.command()``
    (or ``cli.group()`` for sub-groups), as datasette's hook of the same name does.
    """
