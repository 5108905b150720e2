"""Outline: depth from the order a document nests its marker kinds; field lines find their owner."""

from __future__ import annotations

from vanban.layout.document import build_document
from vanban.layout.model import Heading, Item, Node
from vanban.layout.paragraphs import Paragraph
from vanban.schemas.blocks import Provenance


def _doc(*lines: str) -> list[Node]:
    paras = [Paragraph(text=t, provs=[Provenance(source="t", line=n)]) for n, t in enumerate(lines, 1)]
    doc = build_document(paras, "", "t", 2026)
    return [n for s in doc.sections for n in s.nodes]


def _shape(nodes: list[Node] | tuple[Node, ...]) -> list[object]:
    out: list[object] = []
    for node in nodes:
        if isinstance(node, Item | Heading):
            label = node.title.text.split()[0]
            out.append((label, _shape(node.children)) if node.children else label)
    return out


def test_bullets_under_numbers_and_numbers_under_bullets() -> None:
    assert _shape(_doc("1. Một", "- a", "- b", "2. Hai", "- c")) == [("Một", ["a", "b"]), ("Hai", ["c"])]
    assert _shape(_doc("- Một", "1. a", "2. b", "- Hai")) == [("Một", ["a", "b"]), "Hai"]


def test_sub_numbers_nest_under_their_number_not_its_bullets() -> None:
    assert _shape(_doc("1. Một", "- a", "1.1. x", "1.2. y", "2. Hai")) == [("Một", ["a", "x", "y"]), "Hai"]


def test_an_unmarked_period_heading_closes_open_items() -> None:
    nodes = _doc("Tháng 10/2026", "- a", "+ chi tiết", "Tháng 11/2026", "- b")
    assert _shape(nodes) == [("Tháng", [("a", ["chi"])]), ("Tháng", ["b"])]


def test_field_lines_find_their_owner() -> None:
    nodes = _doc(
        "1. Tháng 10/2026",
        "- Việc một",
        "- Việc hai",
        "* Cơ quan chuẩn bị, phối hợp: Văn phòng Đảng ủy",
        "2. Tháng 11/2026",
        "- Việc ba",
        "Cơ quan chủ trì: Công an phường",
        "- Việc bốn",
        "Cơ quan chủ trì: Trạm Y tế",
    )
    first, second = nodes
    assert isinstance(first, Item) and [(f.key, f.scope) for f in first.fields] == [("lead_support", "group")]
    assert isinstance(second, Item) and not second.fields
    assert [[f.value.text for f in c.fields] for c in second.children if isinstance(c, Item)] == [
        ["Công an phường"],
        ["Trạm Y tế"],
    ]
