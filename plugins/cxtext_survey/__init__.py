"""cxtext survey plugin (in development: registers no hooks yet)."""
