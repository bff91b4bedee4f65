"""cxtext social plugin (in development: registers no hooks yet)."""
