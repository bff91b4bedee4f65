"""cxtext sentiment plugin (in development: registers no hooks yet)."""
