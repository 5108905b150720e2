"""vanban: turn Vietnamese administrative documents into task records.

The package is laid out as the data flows:
``extractors`` (file -> ordered blocks with provenance) -> ``normalizers`` (pure
functions: text, structure, dates, units, references, targets) -> ``schemas``
(pydantic records) -> ``pipeline`` (orchestration, DuckDB loading) -> ``cli``.
"""

__version__ = "0.1.0"
