"""cxtext themes plugin (in development: registers no hooks yet)."""
