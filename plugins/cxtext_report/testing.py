"""Small analysed stores for testing reports and exporters without running any model.

:func:`build_sample_store` writes a synthetic "Lumen Mobile" store (June-November 2026):
records of all four source kinds with scores, segments and touchpoints, and the signals
the first-party analyzers would write for them (language, sentiment, themes, effort),
following the signal conventions exactly. The story matches the demo corpora: Billing
collapses in September-October after a billing-system migration, Installation is
praised except missed appointments in the North, Support suffers transfers and hold
times, the App is easy until an October update makes it crash.

Like ``click.testing``, this ships with the package so that other plugins' tests can
build a realistic store in well under a second. Nothing at run time uses it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from cxtext.records import Record
from cxtext.signals import Sentence, Signal
from cxtext.store import Store

MONTHS = ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]
TOUCHPOINTS = ["Onboarding", "Installation", "Billing", "Support", "App"]
PLANS = ["Prepaid", "Essential", "Unlimited", "Business"]
REGIONS = ["North", "Midlands", "South", "Scotland", "Wales"]

THEMES = {
    "billing_error": ("Wrong or double bill", "Billing"),
    "price_rise": ("Price rise & value", "Billing"),
    "bill_clarity": ("Clear, correct bill", "Billing"),
    "hold_time": ("Long hold times", "Support"),
    "transfers": ("Transferred between teams", "Support"),
    "helpful_staff": ("Helpful staff", "Support"),
    "engineer_praise": ("Engineer praised", "Installation"),
    "missed_appointment": ("Missed appointment", "Installation"),
    "fast_delivery": ("Fast SIM/router delivery", "Onboarding"),
    "delivery_delay": ("Late delivery", "Onboarding"),
    "app_ease": ("App is easy", "App"),
    "app_crash": ("App crashes", "App"),
}


@dataclass(frozen=True)
class Snippet:
    """One sentence a customer might write, with what the analyzers would find in it."""

    text: str
    sentiment: float  # p_pos - p_neg
    theme: str | None = None
    effort: str | None = None  # driver id
    evidence: str | None = None  # the span of ``text`` that shows the driver
    minutes: float | None = None


GOOD = {
    "Onboarding": [
        Snippet("The SIM arrived the next day and worked straight away.", 0.8, "fast_delivery"),
        Snippet("Signing up online took five minutes.", 0.6, None, "low_effort", "took five minutes", 5),
    ],
    "Installation": [
        Snippet("The engineer was friendly, tidy and explained everything.", 0.9, "engineer_praise"),
        Snippet("Broadband was installed in under an hour.", 0.7, "engineer_praise"),
    ],
    "Billing": [
        Snippet("My bill is clear and always correct.", 0.7, "bill_clarity"),
        Snippet("Paying by direct debit is easy.", 0.6, "bill_clarity", "low_effort", "is easy"),
    ],
    "Support": [
        Snippet("The agent in the store was really helpful.", 0.85, "helpful_staff"),
        Snippet("Chat support fixed it first time.", 0.7, "helpful_staff", "low_effort", "fixed it first time"),
    ],
    "App": [
        Snippet("Sorted it in two minutes in the app.", 0.8, "app_ease", "low_effort", "Sorted it in two minutes", 2),
        Snippet("The app makes topping up really simple.", 0.75, "app_ease"),
    ],
}
BAD = {
    "Onboarding": [
        Snippet("My router took two weeks to arrive.", -0.6, "delivery_delay", "waiting", "took two weeks to arrive", 20160),
    ],
    "Installation": [
        Snippet("The engineer never turned up for the appointment.", -0.85, "missed_appointment",
                "multiple_visits", "never turned up"),
        Snippet("I took a day off work and nobody came.", -0.8, "missed_appointment", "multiple_visits", "nobody came"),
    ],
    "Billing": [
        Snippet("I was charged twice after the new billing system.", -0.85, "billing_error"),
        Snippet("My bill was wrong again this month.", -0.8, "billing_error", "repeat_contact", "wrong again"),
        Snippet("I waited 45 minutes on hold to sort the bill.", -0.75, "hold_time", "waiting", "waited 45 minutes on hold", 45),
        Snippet("The price rise is not worth it.", -0.5, "price_rise"),
    ],
    "Support": [
        Snippet("I was transferred three times.", -0.7, "transfers", "transfer", "transferred three times"),
        Snippet("I had to explain my problem again to every agent.", -0.75, "transfers",
                "repeat_explaining", "explain my problem again"),
        Snippet("I waited 30 minutes in the chat queue.", -0.6, "hold_time", "waiting", "waited 30 minutes", 30),
    ],
    "App": [
        Snippet("The app keeps crashing since the update.", -0.8, "app_crash"),
        Snippet("I could not log in to the app so I had to phone instead.", -0.7, "app_crash",
                "channel_switch", "had to phone instead"),
    ],
}
NEUTRAL = [Snippet("I have been a customer for a few years.", 0.0), Snippet("Nothing else to add.", 0.05)]
FOREIGN = [("fr", "Le routeur ne marche pas depuis une semaine."), ("es", "La factura de este mes es incorrecta."),
           ("de", "Die App stürzt ständig ab.")]
HOSTILE_TEXT = '<script>alert(1)</script> The "onerror=alert(2)" app update <b>broke</b> & crashed'
HOSTILE_THEME = ("hostile_label", '<img src=x onerror=alert(3)> "quoted" & crashes')
HOSTILE_SEGMENT = '<img src=x onerror=alert(4)><a href="https://example.com/">link</a><b>bold</b>'


def _share_bad(touchpoint: str, month: str, region: str) -> float:
    """How likely a customer at this touchpoint/month/region is to complain (the demo story)."""
    if touchpoint == "Billing":
        return {"2026-09": 0.85, "2026-10": 0.85, "2026-11": 0.55}.get(month, 0.2)
    if touchpoint == "Installation":
        return 0.6 if region == "North" else 0.1
    if touchpoint == "Support":
        return 0.5
    if touchpoint == "App":
        return 0.6 if month in ("2026-10", "2026-11") else 0.1
    return 0.25


def build_sample_store(path: str | Path, *, n: int = 400, seed: int = 7, hostile: bool = False,
                       analysed: bool = True, scores: bool = True) -> Store:
    """Create (or extend) a store at ``path`` with ``n`` synthetic records; returns it open.

    ``hostile=True`` adds a review whose text is an XSS attempt, a theme whose label is
    markup and a segment value that is markup, to test escaping. ``analysed=False`` leaves out every signal (a store just
    ingested); ``scores=False`` drops every score (text-only sources, e.g. social posts).
    Records from all four source kinds; a few are not in English.
    """
    rng = random.Random(seed)
    store = Store(path)
    records: list[Record] = []
    parts: dict[str, list[Snippet]] = {}
    for number in range(n):
        month, touchpoint = rng.choice(MONTHS), rng.choice(TOUCHPOINTS)
        plan, region = rng.choice(PLANS), rng.choice(REGIONS)
        kind = rng.choices(["survey", "review", "social", "transcript"], weights=[6, 2, 2, 1])[0]
        bad = rng.random() < _share_bad(touchpoint, month, region)
        pool = (BAD if bad else GOOD)[touchpoint]
        snippets = rng.sample(pool, k=min(len(pool), rng.choice([1, 1, 2])))
        if rng.random() < 0.15:
            snippets.append(rng.choice(NEUTRAL))
        if rng.random() < 0.05:
            snippets = [rng.choice(NEUTRAL)]  # says nothing a theme covers
        text = " ".join(s.text for s in snippets)
        created = f"{month}-{rng.randint(1, 28):02d}T{rng.randint(8, 20):02d}:00:00"
        record = _record(kind, text, number, created, touchpoint, plan, region, bad, rng)
        records.append(record)
        parts[record.id] = snippets
    foreign = [
        Record("survey", text, "nps", source_id=f"x{i}", created_at=f"{MONTHS[i + 2]}-10T10:00:00",
               touchpoint=TOUCHPOINTS[i], segments={"plan": PLANS[i], "region": REGIONS[i]}, scores={"nps": 3 + i})
        for i, (_, text) in enumerate(FOREIGN)
    ]
    if hostile:
        hostile_record = Record(
            "review", HOSTILE_TEXT, "appstore", source_id="xss", created_at="2026-10-12T09:00:00", touchpoint="App",
            segments={"plan": "Unlimited", "region": "South"}, scores={"rating": 1}, metadata={"title": "<i>bad</i>"},
        )
        records.append(hostile_record)
        parts[hostile_record.id] = [Snippet(HOSTILE_TEXT, -0.8, HOSTILE_THEME[0], "failed_self_service", "broke")]
        # A segment value that is markup: it becomes a group, a table row and a chart label.
        snippet = BAD["Support"][0]
        marked = Record("survey", snippet.text, "nps", source_id="xss-segment", created_at="2026-11-03T09:00:00",
                        touchpoint="Support", segments={"plan": "Business", "region": HOSTILE_SEGMENT},
                        scores={"nps": 0, "csat": 1, "ces": 1})
        records.append(marked)
        parts[marked.id] = [snippet]
    if not scores:
        for record in records + foreign:
            record.scores = {}
    by_dataset: dict[str, list[Record]] = {}
    for record in records + foreign:
        by_dataset.setdefault(record.dataset, []).append(record)
    for dataset, items in by_dataset.items():
        store.ingest(items, path=f"{dataset}.csv", source=items[0].source_kind, dataset=dataset, file_sha256=dataset)
    if analysed:
        _analyse(store, records, parts, foreign)
    return store


def _record(kind: str, text: str, number: int, created: str, touchpoint: str, plan: str, region: str, bad: bool,
            rng: random.Random) -> Record:
    segments = {"plan": plan, "region": region}
    if kind == "survey":
        nps = rng.randint(0, 6) if bad else rng.choice([7, 8, 9, 9, 10, 10])
        scores = {"nps": nps, "csat": rng.randint(1, 3) if bad else rng.randint(4, 5),
                  "ces": rng.randint(1, 4) if bad else rng.randint(5, 7)}
        return Record(kind, text, "nps", source_id=str(number), created_at=created, touchpoint=touchpoint,
                      segments=segments, scores=scores, customer_id=f"C{number:05d}")
    if kind == "review":
        return Record(kind, text, "appstore", source_id=f"r{number}", created_at=created, touchpoint=touchpoint,
                      segments=segments, scores={"rating": rng.randint(1, 2) if bad else rng.randint(4, 5)},
                      engagement={"helpful_votes": rng.randint(0, 20)})
    if kind == "social":
        return Record(kind, f"@LumenMobile {text}", "tweets", source_id=f"t{number}", created_at=created,
                      channel="twitter", touchpoint=touchpoint, segments={"region": region},
                      engagement={"likes": rng.randint(0, 50), "retweets": rng.randint(0, 10), "replies": rng.randint(0, 5)})
    return Record(kind, text, "interviews", created_at=created, touchpoint=touchpoint, segments=segments,
                  conversation_id=f"int-{number % 7}", speaker="P1", role="participant", turn_index=number)


def _analyse(store: Store, records: list[Record], parts: dict[str, list[Snippet]], foreign: list[Record]) -> None:
    """Write the signals each analyzer would, through the same Store API the host uses."""
    sentences: list[Sentence] = []
    language, sentiment, themes, effort = [], [], [], []
    for record in records:
        offset = record.text.index(parts[record.id][0].text) if parts[record.id] else 0
        record_themes: dict[str, float] = {}
        drivers: list[str] = []
        scores = []
        for index, snippet in enumerate(parts[record.id]):
            start = record.text.index(snippet.text, offset)
            sentence = Sentence(f"{record.id}:{index}", record.id, index, snippet.text, start, start + len(snippet.text))
            offset = sentence.end
            sentences.append(sentence)
            scores.append(snippet.sentiment)
            sentiment.append(Signal(record.id, "sentiment", _sentiment_label(snippet.sentiment), snippet.sentiment,
                                    sentence_id=sentence.id, data={"probs": _probs(snippet.sentiment)}))
            if snippet.theme:
                label, parent = HOSTILE_THEME[1], "App" if snippet.theme == HOSTILE_THEME[0] else None
                if snippet.theme in THEMES:
                    label, parent = THEMES[snippet.theme]
                confidence = 0.75 + 0.2 * abs(snippet.sentiment)
                themes.append(Signal(record.id, "theme", snippet.theme, confidence, sentence_id=sentence.id,
                                     data={"theme_label": label, "parent": parent, "codebook": "lumen-sample",
                                           "method": "sample"}))
                record_themes[snippet.theme] = max(confidence, record_themes.get(snippet.theme, 0.0))
            if snippet.effort:
                begin = record.text.index(snippet.evidence or snippet.text, sentence.start)
                evidence = snippet.evidence or snippet.text
                effort.append(Signal(record.id, "effort", snippet.effort, 0.8, sentence_id=sentence.id, data={
                    "start": begin, "end": begin + len(evidence), "evidence": evidence,
                    "polarity": "low" if snippet.effort == "low_effort" else "high",
                    "duration_minutes": snippet.minutes}))
                drivers.append(snippet.effort)
        language.append(Signal(record.id, "language", "en", 0.99))
        overall = sum(scores) / len(scores)
        sentiment.append(Signal(record.id, "sentiment", _sentiment_label(overall), overall,
                                data={"probs": _probs(overall)}))
        for theme, confidence in record_themes.items():
            label = THEMES.get(theme, (HOSTILE_THEME[1], None))[0]
            themes.append(Signal(record.id, "theme", theme, confidence, data={"theme_label": label}))
        high = sum(1 for d in drivers if d != "low_effort")
        low = len(drivers) - high
        effort_score = max(1.0, min(7.0, 4.0 - 1.5 * high + 1.5 * low))
        effort_label = "high_effort" if effort_score <= 3 else "low_effort" if effort_score >= 5 else "neutral"
        effort.append(Signal(record.id, "effort_score", effort_label, effort_score, data={"drivers": drivers}))
    foreign_languages = dict(FOREIGN)
    by_text = {text: code for code, text in foreign_languages.items()}
    language += [Signal(r.id, "language", by_text[r.text], 0.95) for r in foreign]
    every_id = [r.id for r in records + foreign]
    store.save_analysis("sentences", "sample-1", every_id, language, sentences=sentences)
    # Non-English records are processed (logged) but get no sentiment, theme or effort rows.
    for name, rows in (("sentiment", sentiment), ("themes", themes), ("effort", effort)):
        store.save_analysis(name, "sample-1", every_id, [_stamped(s, name) for s in rows])


def _stamped(signal: Signal, analyzer: str) -> Signal:
    signal.model, signal.model_version = f"sample-{analyzer}", "sample-1"
    return signal


def _sentiment_label(score: float) -> str:
    return "positive" if score > 0.25 else "negative" if score < -0.25 else "neutral"


def _probs(score: float) -> dict[str, float]:
    positive, negative = max(score, 0.0), max(-score, 0.0)
    neutral = 1.0 - positive - negative
    return {"negative": round(negative, 4), "neutral": round(neutral, 4), "positive": round(positive, 4)}



def ingest_demo_inputs(demo_folder: str | Path, store: Store, sources: tuple[str, ...]) -> None:
    """Ingest the demo project's inputs of these source kinds as its config reads them (no analysis)."""
    from dataclasses import replace

    from cxtext import Project
    from cxtext.config import load_config

    config = load_config(Path(demo_folder) / "cxtext.toml")
    for spec in config.inputs:
        if spec.source in sources:
            # A project whose only input is this one: its context is exactly the entry's.
            with Project(store.path, replace(config, inputs=[spec])) as project:
                project.ingest(spec.path, source=spec.source)



def render_demo_report(demo_folder: str | Path, out_folder: str | Path, sources: tuple[str, ...] = ("reviews",),
                       **options) -> Path:
    """The HTML report of the demo project's inputs of these source kinds, never analysed: the
    report must cope without signals, and review LR-0031 (27 helpful votes) carries
    ``<script>alert(1)</script>`` in its text.

    Needs the ``kpis`` and ``report`` plugins and these source plugins loaded.
    """
    from cxtext import Project
    from cxtext_report.html import HtmlReporter

    out_folder = Path(out_folder)
    with Store(out_folder / "demo.db") as store:
        ingest_demo_inputs(demo_folder, store, sources)
    with Project(out_folder / "demo.db", Path(demo_folder) / "cxtext.toml") as project:
        return HtmlReporter().render(project, out_folder / "demo.html", **options)


def render_store(store: Store, out: str | Path, *, config=None, **options) -> Path:
    """Render the HTML report of an open test store, through the :class:`cxtext.Project` reporters receive."""
    from cxtext import Project
    from cxtext_report.html import HtmlReporter

    with Project(store.path, config) as project:
        return HtmlReporter().render(project, Path(out), **options)


def gather_store(store: Store, config=None, *, title: str | None = None):
    """:func:`cxtext_report.data.gather_report_data` for an open test store (a Project over it)."""
    from cxtext import Project
    from cxtext_report.data import gather_report_data

    with Project(store.path, config) as project:
        return gather_report_data(project, title=title)
