"""The outline of a section: items nest by the marker kinds a document uses; field lines find their owner.

A marker kind already open closes everything below it (a sibling); a new kind
opens one level deeper; ``1.1.`` nests under ``1.``; an unmarked heading closes
every open item. A ``label: value`` line belongs to the item it sits under,
unless it serves a group: one line after leaf items that have none, or under a
numbered item's points (which spell that item out).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from vanban.layout.model import FieldLine, Heading, Item, Marker, Node, Region, Section, Text
from vanban.layout.regions import is_topic
from vanban.normalizers import dates, units


@dataclass
class OpenNode:
    """A node being built: a heading or an item, with what nests under it."""

    kind: str  # heading | item
    key: str
    marker: Marker | None
    title: Text
    body: list[Text] = field(default_factory=list)
    fields: list[FieldLine] = field(default_factory=list)
    children: list[Any] = field(default_factory=list)
    # Field lines taken up from under a point, by key, with the point they stood under.
    hoisted: dict[str, tuple[FieldLine, OpenNode]] = field(default_factory=dict)

    def freeze(self) -> Node:
        children = tuple(_frozen(c) for c in self.children)
        if self.kind == "heading":
            return Heading(marker=self.marker, title=self.title, fields=tuple(self.fields), children=children)
        return Item(
            marker=self.marker,
            title=self.title,
            body=tuple(self.body),
            fields=tuple(self.fields),
            children=children,
        )


_POINTS = ("dash", "plus", "bullet")


def _points_of(item: OpenNode, parent: OpenNode, siblings: list[OpenNode], key: str) -> bool:
    """Whether a field line after bullet points belongs to the numbered item they describe.

    ``2. Kiểm tra việc hiệp thương ...`` / ``- Đảm bảo thời gian ...`` / ``* Thời gian thực hiện: ...``:
    the points spell the item out and the field is the item's, unless the item is only a
    period (``1. Tháng 10``) whose bullets are tasks, or the points carry such fields themselves.
    """
    if parent.kind != "item" or item.marker is None or item.marker.kind not in _POINTS:
        return False
    if parent.marker is not None and parent.marker.kind in _POINTS:
        return False
    if dates.parse_period_heading(parent.title.text) is not None or is_topic(parent.title.text):
        return False
    return not any(f.key == key for s in (*siblings, item) for f in s.fields)


def _assigns_itself(node: OpenNode) -> bool:
    """Whether an item ends by naming who does it: ``... (Tổ An ninh chủ trì).``"""
    text = " ".join(t.text for t in (node.title, *node.body))
    match = units.TRAILING_PARENTHETICAL.search(text)
    parsed = units.parse_assignment(match.group("inner")) if match else None
    return bool(parsed and (parsed[0] or parsed[1]))


def _dotted_parent(key: str) -> str | None:
    """The outline key a dotted number nests under (``number2`` -> ``number1``)."""
    if key.startswith("number") and key[6:].isdigit() and int(key[6:]) > 1:
        return f"number{int(key[6:]) - 1}"
    return None


def _frozen(node: Any) -> Node:
    return node.freeze() if isinstance(node, OpenNode) else node


@dataclass
class SectionOutline:
    heading: Heading | None
    region: Region
    nodes: list[Any] = field(default_factory=list)
    fields: list[FieldLine] = field(default_factory=list)
    stack: list[OpenNode] = field(default_factory=list)

    def container(self) -> list[Any]:
        return self.stack[-1].children if self.stack else self.nodes

    def open_item(self) -> OpenNode | None:
        return self.stack[-1] if self.stack and self.stack[-1].kind == "item" else None

    def place(self, node: OpenNode) -> None:
        """Nest a keyed node: a sibling of the open node of its kind, else a child of the innermost."""
        if node.kind == "heading" and node.marker is None:
            while self.stack and self.stack[-1].kind == "item":
                self.stack.pop()  # an unmarked heading closes every open item
        keys = [open_.key for open_ in self.stack]
        parent_key = _dotted_parent(node.key)
        if node.key in keys:
            del self.stack[keys.index(node.key) :]
        elif parent_key in keys:
            del self.stack[keys.index(parent_key) + 1 :]  # "7.1." nests under "7.", not under its bullets
        self.container().append(node)
        self.stack.append(node)

    def add_field(self, line: FieldLine) -> list[FieldLine]:
        """Attach a field line to its item, or to the group it serves once for all.

        After sub-points that have no such field, the line serves their parent:
        ``1. Giám sát ...`` / ``- point`` / ``- point`` / ``* Thời gian thực hiện: ...``.
        """
        item = self.open_item()
        if item is None:  # under a heading, before any item: a line for the whole group
            target = self.stack[-1].fields if self.stack else self.fields
            target.append(line.model_copy(update={"scope": "group"}))
            return target
        parent = self.stack[-2] if len(self.stack) > 1 else None
        siblings = [
            n
            for n in (parent.children if parent else self.nodes)
            if isinstance(n, OpenNode) and n is not item
        ]
        # Only leaf items like this one share a group line; a sibling that heads sub-items has its own.
        siblings = [n for n in siblings if n.kind == "item" and n.key == item.key and not n.children]
        if parent is not None and line.key in parent.hoisted and parent.hoisted[line.key][1] is not item:
            # A second point with such a line: each point has its own, the first one included.
            earlier, point = parent.hoisted.pop(line.key)
            parent.fields.remove(earlier)
            point.fields.append(earlier)
        elif parent is not None and _points_of(item, parent, siblings, line.key):
            parent.fields.append(line)
            parent.hoisted[line.key] = (line, item)
            return parent.fields
        # Items that carry field blocks of their own ("Thời gian: ...") own their unit lines too;
        # so do points that assign themselves: a line after them is the last point's.
        group_wide = (
            bool(siblings)
            and not item.fields
            and all(not s.fields and not _assigns_itself(s) for s in siblings)
            and (line.key != "time" or (parent is not None and parent.kind == "item"))
        )
        if not group_wide:
            item.fields.append(line)
            return item.fields
        target = parent.fields if parent else self.fields
        target.append(line.model_copy(update={"scope": "group"}))
        return target

    def freeze(self) -> Section:
        return Section(
            heading=self.heading,
            region=self.region,
            nodes=tuple(_frozen(n) for n in self.nodes),
            fields=tuple(self.fields),
        )
