"""Customer-support KPIs from threaded social conversations (e.g. the Customer Support on Twitter set).

They need, per post: ``metadata.inbound`` (True = written by a customer, False = by the
brand), the post's own id (``source_id``), the id it replies to
(``metadata.in_response_to_tweet_id`` or ``metadata.in_reply_to_tweet_id``) and
``created_at``. Posts are linked into threads by following reply ids (a post whose
parent is not in the data starts a thread); without reply ids, ``conversation_id`` is
the thread. Only customer-initiated threads count (the first post is inbound).
"""

from __future__ import annotations

import pandas as pd

from cxtext.metrics import MedianMetric, ShareMetric

PARENT_COLUMNS = ("meta:in_response_to_tweet_id", "meta:in_reply_to_tweet_id")


def _clean_id(value) -> str | None:
    """'3.0' (pandas float ids), 3, '3' -> '3'; blanks -> None."""
    if value is None or value != value:
        return None
    text = str(value).strip()
    if not text or text.lower() in ("nan", "none"):
        return None
    return text[:-2] if text.endswith(".0") and text[:-2].isdigit() else text


def _inbound(value) -> bool | None:
    if value is None or value != value:
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    return True if text in ("true", "1", "yes", "1.0") else (False if text in ("false", "0", "no", "0.0") else None)


def has_threads(frame: pd.DataFrame) -> bool:
    return "meta:inbound" in frame.columns and frame["meta:inbound"].map(_inbound).notna().any()


THREAD_COLUMN = "support:thread"


def thread_keys(posts: pd.DataFrame) -> list[str]:
    """The thread of each post: the root reached by following reply ids among these posts.

    Without reply ids, the conversation id; posts with neither are threads of their own.
    """
    ids = [_clean_id(v) for v in posts["source_id"]] if "source_id" in posts else [None] * len(posts)
    rows = [f"row:{i}" for i in posts["record_id"]] if "record_id" in posts else [f"row:{i}" for i in range(len(posts))]
    parent_column = next((c for c in PARENT_COLUMNS if c in posts.columns), None)
    if parent_column is None:
        conversations = posts["conversation_id"] if "conversation_id" in posts else [None] * len(posts)
        return [c if isinstance(c, str) and c else row for c, row in zip(conversations, rows)]
    parent_of = {pid: _clean_id(par) for pid, par in zip(ids, posts[parent_column]) if pid is not None}

    def root(post_id: str) -> str:
        seen = set()
        while parent_of.get(post_id) in parent_of and post_id not in seen:
            seen.add(post_id)
            post_id = parent_of[post_id]
        return post_id

    return [root(pid) if pid is not None else row for pid, row in zip(ids, rows)]


STARTER_COLUMN = "support:starter"
_STATS = ("first_response", "last_post", "last_is_brand", "customer_posts_after_response")


def prepare_threads(frame: pd.DataFrame) -> pd.DataFrame:
    """Link all posts into threads once, before the host slices the frame into groups.

    Adds ``support:thread`` to every post and, on the post that starts each
    customer-initiated thread, ``support:starter`` = True and the thread's figures
    (``support:first_response``, ``support:last_post``...). A thread then belongs to the
    group and period of its first post, whole, however the frame is sliced.
    """
    if STARTER_COLUMN in frame.columns or not has_threads(frame):
        return frame
    flagged = frame["meta:inbound"].map(_inbound).notna()
    keys = pd.Series(None, index=frame.index, dtype=object)
    keys[flagged] = thread_keys(frame[flagged])
    prepared = frame.assign(**{THREAD_COLUMN: keys})
    starters = _threads(prepared).set_index("starter")
    is_starter = pd.Series(False, index=frame.index)
    is_starter[starters.index] = True
    columns = {STARTER_COLUMN: is_starter}
    for name in _STATS:
        columns[f"support:{name}"] = starters[name].reindex(frame.index)
    prepared = prepared.assign(**columns)
    prepared.attrs = frame.attrs
    return prepared


def threads(frame: pd.DataFrame) -> pd.DataFrame:
    """Customer-initiated threads started by the posts in ``frame``, one row each.

    Columns: ``customer``, ``first_contact``, ``first_response`` (NaT when unanswered),
    ``last_post``, ``last_is_brand``, ``customer_posts_after_response``.
    """
    frame = prepare_threads(frame)  # a no-op after the host's prepare()
    if STARTER_COLUMN not in frame.columns:
        return _threads(frame.iloc[0:0]).drop(columns="starter")
    wanted = ["customer_id", "created_at", *(f"support:{name}" for name in _STATS)]
    starters = frame.loc[frame[STARTER_COLUMN].astype(bool), [c for c in wanted if c in frame.columns]]
    return pd.DataFrame({
        "customer": starters["customer_id"] if "customer_id" in starters else None,
        "first_contact": starters["created_at"],
        **{name: starters[f"support:{name}"] for name in _STATS},
    })


def _threads(frame: pd.DataFrame) -> pd.DataFrame:
    columns = ["starter", "customer", "first_contact", "first_response", "last_post", "last_is_brand",
               "customer_posts_after_response"]
    empty = pd.DataFrame({
        "starter": pd.Series(dtype=object), "customer": pd.Series(dtype=object),
        "first_contact": pd.Series(dtype="datetime64[ns, UTC]"),
        "first_response": pd.Series(dtype="datetime64[ns, UTC]"), "last_post": pd.Series(dtype="datetime64[ns, UTC]"),
        "last_is_brand": pd.Series(dtype=bool), "customer_posts_after_response": pd.Series(dtype=int),
    })
    if "meta:inbound" not in frame.columns or not frame["meta:inbound"].notna().any():
        return empty
    frame = frame[frame["meta:inbound"].notna()]
    wanted = ["record_id", "source_id", "created_at", "customer_id", "conversation_id", "meta:inbound", THREAD_COLUMN,
              *PARENT_COLUMNS]
    frame = frame[[c for c in wanted if c in frame.columns]]  # copy only what threads need
    posts = frame.assign(_inbound=frame["meta:inbound"].map(_inbound))
    posts = posts[posts["_inbound"].notna() & posts["created_at"].notna()]
    if posts.empty:
        return empty
    thread_ids = posts[THREAD_COLUMN] if THREAD_COLUMN in posts.columns else thread_keys(posts)
    posts = posts.assign(_thread=thread_ids, _inbound=posts["_inbound"].astype(bool), _row=posts.index)
    posts = posts.sort_values("created_at", kind="stable")
    grouped = posts.groupby("_thread", sort=False)
    table = pd.DataFrame({
        "starter": grouped["_row"].first(),
        "customer": grouped["customer_id"].first() if "customer_id" in posts else None,
        "first_inbound": grouped["_inbound"].first(),
        "first_contact": grouped["created_at"].first(),
        "last_post": grouped["created_at"].last(),
        "last_is_brand": ~grouped["_inbound"].last(),
    })
    table = table[table["first_inbound"]]  # brand-initiated threads (announcements) do not count
    brand = posts[~posts["_inbound"]]
    table["first_response"] = brand.groupby("_thread")["created_at"].min().reindex(table.index)
    customer_posts = posts[posts["_inbound"]].join(table["first_response"], on="_thread")
    later = customer_posts[customer_posts["created_at"] > customer_posts["first_response"]]
    table["customer_posts_after_response"] = later.groupby("_thread").size().reindex(table.index).fillna(0).astype(int)
    return table[columns]


class ThreadMetric:
    """Mixin: the host calls ``prepare`` once on the whole frame, before grouping."""

    def prepare(self, frame: pd.DataFrame) -> pd.DataFrame:
        return prepare_threads(frame)


class ResponseRate(ThreadMetric, ShareMetric):
    name = "response_rate"
    label = "Response rate (% of customer threads answered)"
    description = (
        "Share of customer-initiated support threads that received at least one reply from the "
        "brand (inbound = False). 95% Wilson interval."
    )

    def applies(self, frame: pd.DataFrame) -> bool:
        return has_threads(frame)

    def outcomes(self, frame: pd.DataFrame) -> pd.Series:
        return threads(frame)["first_response"].notna()


class FirstResponseTime(ThreadMetric, MedianMetric):
    name = "first_response_time"
    label = "First response time (median minutes)"
    description = (
        "Median minutes from a customer's first post in a thread to the brand's first reply, over "
        "answered customer-initiated threads. 95% CI: percentile bootstrap (seeded). Lower is better."
    )
    unit = "minutes"
    higher_is_better = False

    def applies(self, frame: pd.DataFrame) -> bool:
        return has_threads(frame)

    def values(self, frame: pd.DataFrame) -> pd.Series:
        table = threads(frame)
        answered = table[table["first_response"].notna()]
        return (answered["first_response"] - answered["first_contact"]).dt.total_seconds() / 60


class ResolutionTime(ThreadMetric, MedianMetric):
    name = "resolution_time"
    label = "Resolution time (median minutes, proxy)"
    description = (
        "Median minutes from a customer's first post to the brand's last post in threads the brand "
        "closes (the last post is the brand's): a proxy, since public threads carry no 'resolved' "
        "flag. 95% CI: percentile bootstrap (seeded). Lower is better."
    )
    unit = "minutes"
    higher_is_better = False

    def applies(self, frame: pd.DataFrame) -> bool:
        return has_threads(frame)

    def values(self, frame: pd.DataFrame) -> pd.Series:
        table = threads(frame)
        closed = table[table["first_response"].notna() & table["last_is_brand"].astype(bool)]
        return (closed["last_post"] - closed["first_contact"]).dt.total_seconds() / 60


class FirstContactResolution(ThreadMetric, ShareMetric):
    name = "first_contact_resolution"
    label = "First-contact resolution (% of answered threads)"
    description = (
        "Share of answered customer-initiated threads in which the customer did not post again after "
        "the brand's first reply (resolved at first contact). 95% Wilson interval."
    )

    def applies(self, frame: pd.DataFrame) -> bool:
        return has_threads(frame)

    def outcomes(self, frame: pd.DataFrame) -> pd.Series:
        table = threads(frame)
        return table.loc[table["first_response"].notna(), "customer_posts_after_response"] == 0


class RepeatContactRate(ThreadMetric, ShareMetric):
    name = "repeat_contact_rate"
    label = "Repeat-contact rate (% of customers)"
    description = (
        "Share of customers (customer_id of the thread's first post) who opened two or more separate "
        "support threads in the data (or in the period, when grouped by period). 95% Wilson "
        "interval. Lower is better."
    )
    higher_is_better = False

    def applies(self, frame: pd.DataFrame) -> bool:
        return has_threads(frame) and "customer_id" in frame.columns and frame["customer_id"].notna().any()

    def outcomes(self, frame: pd.DataFrame) -> pd.Series:
        return threads(frame)["customer"].dropna().value_counts() >= 2
