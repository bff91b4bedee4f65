"""Customer-support KPIs from threaded social conversations (e.g. the Customer Support on Twitter set).

They need, per post: ``metadata.inbound`` (True = written by a customer, False = by the
brand), the post's own id (``source_id``), the id it replies to
(``metadata.in_response_to_tweet_id`` or ``metadata.in_reply_to_tweet_id``) and
``created_at``. Posts are linked into threads by following reply ids (a post whose
parent is not in the data starts a thread); without reply ids, ``conversation_id`` is
the thread. Only customer-initiated threads count (the first post is inbound).
"""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass
class Thread:
    customer: str | None
    first_contact: pd.Timestamp
    first_response: pd.Timestamp | None
    last_post: pd.Timestamp
    last_is_brand: bool
    customer_posts_after_response: int


def threads(frame: pd.DataFrame) -> list[Thread]:
    """Customer-initiated threads among the posts in ``frame`` (posts need a time and an inbound flag)."""
    posts = frame.assign(_inbound=frame["meta:inbound"].map(_inbound) if "meta:inbound" in frame else None)
    posts = posts[posts["_inbound"].notna() & posts["created_at"].notna()]
    if posts.empty:
        return []
    ids = posts["source_id"].map(_clean_id) if "source_id" in posts else pd.Series(None, index=posts.index)
    parent_column = next((c for c in PARENT_COLUMNS if c in posts.columns), None)
    if parent_column is not None:
        parents = posts[parent_column].map(_clean_id)
        parent_of = {pid: par for pid, par in zip(ids, parents) if pid is not None}
        known = set(parent_of)

        def root(post_id: str | None) -> str | None:
            seen = set()
            while post_id is not None and parent_of.get(post_id) in known and post_id not in seen:
                seen.add(post_id)
                post_id = parent_of[post_id]
            return post_id

        thread_ids = [root(pid) if pid is not None else f"row:{i}" for i, pid in zip(posts.index, ids)]
    else:
        thread_ids = [cid if cid is not None else f"row:{i}" for i, cid in zip(posts.index, posts["conversation_id"])]
    posts = posts.assign(_thread=thread_ids).sort_values("created_at", kind="stable")
    found = []
    for _, thread in posts.groupby("_thread", sort=False):
        first = thread.iloc[0]
        if not first["_inbound"]:
            continue  # brand-initiated (announcements, outreach)
        brand = thread[~thread["_inbound"].astype(bool)]
        responses = brand[brand["created_at"] >= first["created_at"]]
        first_response = responses["created_at"].iloc[0] if len(responses) else None
        after = 0
        if first_response is not None:
            customer_posts = thread[thread["_inbound"].astype(bool)]
            after = int((customer_posts["created_at"] > first_response).sum())
        last = thread.iloc[-1]
        found.append(Thread(
            customer=first.get("customer_id"), first_contact=first["created_at"], first_response=first_response,
            last_post=last["created_at"], last_is_brand=not last["_inbound"], customer_posts_after_response=after,
        ))
    return found


def _minutes(delta: pd.Timedelta) -> float:
    return delta.total_seconds() / 60


class ResponseRate(ShareMetric):
    name = "response_rate"
    label = "Response rate (% of customer threads answered)"
    description = (
        "Share of customer-initiated support threads that received at least one reply from the "
        "brand (inbound = False). 95% Wilson interval."
    )

    def applies(self, frame: pd.DataFrame) -> bool:
        return has_threads(frame)

    def outcomes(self, frame: pd.DataFrame) -> pd.Series:
        return pd.Series([t.first_response is not None for t in threads(frame)], dtype=bool)


class FirstResponseTime(MedianMetric):
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
        return pd.Series([_minutes(t.first_response - t.first_contact) for t in threads(frame) if t.first_response is not None])


class ResolutionTime(MedianMetric):
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
        return pd.Series([_minutes(t.last_post - t.first_contact) for t in threads(frame)
                          if t.first_response is not None and t.last_is_brand])


class FirstContactResolution(ShareMetric):
    name = "first_contact_resolution"
    label = "First-contact resolution (% of answered threads)"
    description = (
        "Share of answered customer-initiated threads in which the customer did not post again after "
        "the brand's first reply (resolved at first contact). 95% Wilson interval."
    )

    def applies(self, frame: pd.DataFrame) -> bool:
        return has_threads(frame)

    def outcomes(self, frame: pd.DataFrame) -> pd.Series:
        return pd.Series([t.customer_posts_after_response == 0 for t in threads(frame) if t.first_response is not None],
                         dtype=bool)


class RepeatContactRate(ShareMetric):
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
        customers = pd.Series([t.customer for t in threads(frame) if t.customer is not None], dtype=object)
        return customers.value_counts() >= 2
