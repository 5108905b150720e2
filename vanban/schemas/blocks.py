"""What an extractor produces: a document as ordered blocks with provenance."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

BlockKind = Literal["heading", "paragraph", "list_item", "table_row"]
BlockRole = Literal["body", "footnote", "header_table"]


class Provenance(BaseModel):
    """Where a piece of text came from.

    ``line`` is the 1-based line of a text file, the 1-based line on a PDF page,
    or the 1-based paragraph index in a DOCX body. ``start``/``end`` are a
    character span in :attr:`RawDocument.text`.
    """

    source: str
    page: int | None = None
    line: int | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None
    start: int | None = None
    end: int | None = None


class Block(BaseModel):
    """One unit of document text in reading order.

    ``marker`` holds a list marker that is not part of ``text`` (Word automatic
    numbering and bullets turned back into ``"-"``, ``"1."`` ...). For a table
    row, ``cells`` holds the cell texts and ``text`` the cells joined by TAB.
    """

    kind: BlockKind
    text: str
    cells: list[str] = Field(default_factory=list)
    carried: list[bool] = Field(
        default_factory=list, description="per cell: continues a vertically merged cell of the row above"
    )
    marker: str | None = None
    level: int = 0
    role: BlockRole = "body"
    break_before: bool = Field(
        False, description="a blank line precedes the block (plain text): a paragraph break"
    )
    prov: Provenance
    confidence: float | None = Field(None, description="OCR confidence 0-100 for text read from an image")

    @property
    def display_text(self) -> str:
        """The text as a reader sees it, with any list marker put back."""
        return f"{self.marker} {self.text}" if self.marker else self.text


class RawDocument(BaseModel):
    """An extracted file: ordered blocks plus the full text their spans point into.

    ``hard_wrapped`` tells the text normalizer whether physical line breaks
    fall inside sentences (PDF text layers, wrapped plain text); ``None`` means
    the extractor could not tell and the normalizer should decide.
    """

    source: str
    format: Literal["text", "docx", "pdf"]
    blocks: list[Block]
    text: str = ""
    pages: int | None = None
    hard_wrapped: bool | None = None
    encoding: str | None = None
    warnings: list[str] = Field(default_factory=list)
