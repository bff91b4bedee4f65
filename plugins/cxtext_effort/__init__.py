"""cxtext effort plugin (in development: registers no hooks yet)."""
