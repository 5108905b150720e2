"""An :class:`AdminDocument` as an indented outline, for people checking how a file was read."""

from __future__ import annotations

from vanban.layout.model import AdminDocument, Heading, Item, Node, Paragraph, Section, Table

_WIDTH = 100


def _cut(text: str, width: int = _WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _node(node: Node, depth: int) -> list[str]:
    pad = "  " * depth
    if isinstance(node, Table):
        lines = [pad + "TABLE " + " | ".join(f"{c.label or '·'} [{c.role}]" for c in node.columns)]
        for row in node.rows:
            if row.group is not None:
                lines.append(f"{pad}  ── {_cut(row.group.text)}")
            else:
                cells = [c.text.text + ("↑" if c.carried else "") for c in row.cells]
                lines.append(pad + "  " + _cut(" | ".join(cells)))
        return lines
    if isinstance(node, Paragraph):
        return [pad + "¶ " + _cut(node.body.text)]
    marker = (
        f"{node.marker.label or node.marker.kind}{'*' if node.marker.auto else ''} " if node.marker else ""
    )
    kind = "#" if isinstance(node, Heading) else "•"
    lines = [f"{pad}{kind} {marker}{_cut(node.title.text)}"]
    if isinstance(node, Item):
        lines.extend(f"{pad}    {_cut(b.text)}" for b in node.body)
    lines.extend(f"{pad}    {f.label}: {_cut(f.value.text, 60)} [{f.key}, {f.scope}]" for f in node.fields)
    for child in node.children:
        lines.extend(_node(child, depth + 1))
    return lines


def _section(section: Section, name: str) -> list[str]:
    title = section.heading.title.text if section.heading else "(no heading)"
    lines = [f"== {name} [{section.region}] {_cut(title)}"]
    lines.extend(f"    {f.label}: {_cut(f.value.text, 60)} [{f.key}, {f.scope}]" for f in section.fields)
    for node in section.nodes:
        lines.extend(_node(node, 1))
    return lines


def outline(doc: AdminDocument) -> str:
    """The parts of a document, its sections and their outline, one node a line."""
    lines = [f"# {doc.source}", f"title: {_cut(doc.title.text) if doc.title else '(none)'}"]
    lines.append(f"header: {len(doc.header)} lines · preamble: {len(doc.preamble)} lines")
    for section in doc.sections:
        lines.extend(_section(section, "section"))
    for appendix in doc.appendices:
        lines.extend(_section(appendix, "appendix"))
    lines.append(f"signature: {len(doc.signature)} lines · recipients: {len(doc.recipients)} lines")
    return "\n".join(lines) + "\n"
