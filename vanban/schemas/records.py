"""Output records: the JSONL contract of ``vanban extract`` and the DuckDB rows.

Field names follow ``../shared/eval/CONTRACT.md``; extra fields carry
provenance and typed values for analysts.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from vanban.schemas.blocks import Provenance

if TYPE_CHECKING:
    import pyarrow as pa

Role = Literal["lead", "support"]
Basis = Literal["stated", "plan_subject", "duty_heading"]
Status = Literal["ok", "partial", "failed"]


class UnitAssignment(BaseModel):
    """A body named as lead or support of a task."""

    name: str = Field(description="canonical name, or the text as written when unrecognised")
    written: str = Field(description="the name as the document writes it")
    role: Role
    recognised: bool
    kind: str | None = None
    score: float | None = None
    basis: Basis = Field(
        "stated",
        description="why the body is assigned: named with the task (stated), the body a plan says "
        "draws it up when no item names one (plan_subject), or the body heading a list of duties "
        "in the plan's 'Tổ chức thực hiện' (duty_heading)",
    )


class DocumentRecord(BaseModel):
    kind: Literal["document"] = "document"
    source: str
    doc_id: str = Field(description="sha256 of the file content")
    format: str | None = None
    status: Status = "ok"
    error: str | None = None
    doc_type: str | None = None
    title: str | None = None
    issuer: str | None = None
    locality: str | None = None
    province: str | None = None
    year: int | None = None
    number: str | None = None
    symbol: str | None = None
    issued_on: dt.date | None = None
    place: str | None = None
    draft: bool = False
    pages: int | None = None
    encoding: str | None = Field(
        None, description="detected source encoding (utf-8, cp1258, tcvn3, vni, ...)"
    )
    text_integrity: float | None = Field(
        None, description="share of well-formed Vietnamese text (valid syllables, no mojibake or U+FFFD), 0-1"
    )
    task_count: int = 0


class TaskRecord(BaseModel):
    kind: Literal["task"] = "task"
    source: str
    doc_id: str = ""
    seq: int = Field(0, description="order of the task in its document")
    section: str | None = None
    item: str | None = None
    text: str
    month: int | None = None
    quarter: int | None = None
    year: int | None = None
    period_basis: Literal["heading", "title", "own"] | None = Field(
        None,
        description="where month/quarter come from: a period heading, a monthly program's title, "
        "or the item's own time",
    )
    deadline: dt.date | None = None
    start: dt.date | None = None
    deadline_text: str | None = None
    deadline_kind: str | None = None
    lead_units: list[str] = Field(default_factory=list)
    support_units: list[str] = Field(default_factory=list)
    owner_units: list[str] = Field(
        default_factory=list,
        description="bodies inferred as owner when the item names none (the plan's subject, a duty heading)",
    )
    units: list[UnitAssignment] = Field(default_factory=list)
    references: list[str] = Field(default_factory=list)
    provenance: Provenance


class ReferenceRecord(BaseModel):
    kind: Literal["reference"] = "reference"
    source: str
    doc_id: str = ""
    symbol: str
    doc_type: str | None = None
    number: str | None = None
    issuer_code: str | None = None
    issued_on: dt.date | None = None
    issuer: str | None = None
    written: str = ""
    provenance: Provenance


class TargetRecord(BaseModel):
    kind: Literal["target"] = "target"
    source: str
    doc_id: str = ""
    code: str
    text: str
    value: float
    unit: str | None = None
    comparator: Literal[">", ">=", "<", "<=", "="] = "="
    year: int | None = None
    provenance: Provenance


class ErrorRecord(BaseModel):
    kind: Literal["error"] = "error"
    source: str
    doc_id: str = ""
    stage: str
    message: str


class ExtractionResult(BaseModel):
    """Everything vanban extracted from one file."""

    document: DocumentRecord
    tasks: list[TaskRecord] = Field(default_factory=list)
    references: list[ReferenceRecord] = Field(default_factory=list)
    targets: list[TargetRecord] = Field(default_factory=list)
    errors: list[ErrorRecord] = Field(default_factory=list)

    def records(self) -> list[BaseModel]:
        """All records in contract order: document, tasks, references, targets, errors."""
        return [self.document, *self.tasks, *self.references, *self.targets, *self.errors]

    def to_arrow(self, table: str = "tasks") -> pa.Table:
        """One table of this result as Arrow, with the columns of the DuckDB table of that name.

        ``table`` is one of documents, tasks, task_units, references, task_references,
        targets, errors (``.to_pandas()`` / ``polars.from_arrow`` with the ``analysis`` extra).
        """
        from vanban.pipeline.loader import arrow_table

        return arrow_table(self, table)
