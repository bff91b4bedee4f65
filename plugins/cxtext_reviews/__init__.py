"""cxtext reviews plugin (in development: registers no hooks yet)."""
