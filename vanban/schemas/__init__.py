"""Pydantic models at the package's boundaries: extracted blocks and output records."""

from vanban.schemas.blocks import Block, BlockKind, Provenance, RawDocument
from vanban.schemas.records import (
    DocumentRecord,
    ErrorRecord,
    ExtractionResult,
    ReferenceRecord,
    TargetRecord,
    TaskRecord,
    UnitAssignment,
)

__all__ = [
    "Block",
    "BlockKind",
    "DocumentRecord",
    "ErrorRecord",
    "ExtractionResult",
    "Provenance",
    "RawDocument",
    "ReferenceRecord",
    "TargetRecord",
    "TaskRecord",
    "UnitAssignment",
]
