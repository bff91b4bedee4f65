"""cxtext reviews plugin: product reviews with star ratings from CSV, XLSX, JSON and JSONL.

See ``docs/sources-survey-reviews.md``.
"""

from cxtext.hookspecs import hookimpl

from cxtext_reviews.source import ReviewsSource

__all__ = ["ReviewsSource"]


@hookimpl
def register_sources():
    return [ReviewsSource()]
