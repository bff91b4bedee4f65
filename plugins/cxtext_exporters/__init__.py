"""cxtext exporters plugin (in development: registers no hooks yet)."""
