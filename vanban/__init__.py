"""vanban: turn Vietnamese administrative documents into task records.

The package is laid out as the data flows:
``extractors`` (file -> ordered blocks with provenance) -> ``layout`` (blocks ->
a typed document) -> ``normalizers`` (pure grammars: text, dates, units,
references, targets) -> ``interpret`` (document -> records) -> ``schemas``
(pydantic records) -> ``pipeline`` (orchestration, sandbox, loading) -> ``cli``.

The public verbs (``extract``, ``ingest``, ``validate``, ``connect``) live in
:mod:`vanban.api` and are imported on first use, so ``import vanban`` loads
nothing heavy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"  # the one version source (pyproject reads it; see CHANGELOG.md)

__all__ = ["__version__", "connect", "extract", "ingest", "validate"]

if TYPE_CHECKING:
    from vanban.api import connect, extract, ingest, validate


def __getattr__(name: str) -> Any:
    """Import the API verbs lazily (PEP 562)."""
    if name in {"connect", "extract", "ingest", "validate"}:
        from vanban import api

        return getattr(api, name)
    raise AttributeError(f"module 'vanban' has no attribute {name!r}")
