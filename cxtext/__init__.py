"""cxtext: plugin-based text and sentiment analytics for customer experience.

The public API that plugins may use lives in these modules:

- :mod:`cxtext.hookspecs` - the extension points (``hookimpl`` to implement them)
- :mod:`cxtext.records` - the normalised :class:`Record` every source yields
- :mod:`cxtext.signals` - :class:`Signal` rows analyzers emit and the batch types they receive
- :mod:`cxtext.errors` - :class:`InputError` for bad user input
- :mod:`cxtext.sourcing` - helpers for source plugins (column mapping, file opening, score parsing)
- :mod:`cxtext.embeddings` - the shared, cached sentence-embedding service
"""

__version__ = "0.1.0"
