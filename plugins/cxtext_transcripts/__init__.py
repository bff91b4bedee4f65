"""cxtext transcripts plugin (in development: registers no hooks yet)."""
