"""cxtext report plugin (in development: registers no hooks yet)."""
