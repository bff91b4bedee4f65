"""cxtext kpis plugin (in development: registers no hooks yet)."""
