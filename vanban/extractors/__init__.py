"""extractors stage."""
