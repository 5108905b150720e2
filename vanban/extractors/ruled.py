"""Ruled tables from ruling edges: pdfplumber's table finder, without a pdfplumber page.

The PDF extractor already has a page's ruling lines from pypdfium2, so the
finder needs no parsed page: this runs pdfplumber's own steps on those edges
(snap and join them, intersect them, cells from the intersections, tables from
touching cells) with its default tolerances, exactly as ``Page.find_tables``
with explicit lines does. Opening the file a second time with pdfplumber only
to hand it the edges cost more than the finding itself.

One step is written here rather than called: pdfplumber's
``intersections_to_cells`` compares the edge sets of two points by rebuilding
them (and re-evaluating a typing annotation) on every comparison; this version
builds each point's sets once and looks points up by row and column. Same
cells, same order.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

Point = tuple[float, float]
Box = tuple[float, float, float, float]

# pdfplumber's TableSettings defaults (snap, join, intersection tolerance; shortest edge kept).
_SNAP = 3
_JOIN = 3
_INTERSECTION = 3
_EDGE_MIN_LENGTH = 3


def find_tables(edges: list[dict[str, Any]]) -> list[Any]:
    """pdfplumber ``Table`` objects (``.rows``, ``.bbox``) formed by explicit ruling ``edges``.

    ``edges`` are pdfplumber edge dicts (``orientation``, ``x0``, ``x1``, ``top``,
    ``bottom``, ``width``, ``height``) in a top-down frame.
    """
    from pdfplumber import table as finder  # heavy import, deferred until a ruled grid is seen
    from pdfplumber import utils

    vertical = [e for e in edges if e["orientation"] == "v"]
    horizontal = [e for e in edges if e["orientation"] == "h"]
    merged = finder.merge_edges(vertical + horizontal, _SNAP, _SNAP, _JOIN, _JOIN)
    merged = utils.filter_edges(merged, min_length=_EDGE_MIN_LENGTH)
    intersections = finder.edges_to_intersections(merged, _INTERSECTION, _INTERSECTION)
    cells = intersections_to_cells(intersections, utils.obj_to_bbox)
    return [finder.Table(None, group) for group in finder.cells_to_tables(cells)]


def intersections_to_cells(intersections: dict[Point, dict[str, list[Any]]], to_bbox: Any) -> list[Box]:
    """Every smallest rectangle whose four corners are intersections joined by shared edges.

    pdfplumber's algorithm: for each point in (x, top) order, the first point
    below and the first to the right (nearest first) that an edge joins to it,
    whose opposite corner exists and is joined to both, close its cell.
    """
    vertical = {p: {to_bbox(e) for e in found["v"]} for p, found in intersections.items()}
    horizontal = {p: {to_bbox(e) for e in found["h"]} for p, found in intersections.items()}

    def connects(a: Point, b: Point) -> bool:
        if a[0] == b[0] and not vertical[a].isdisjoint(vertical[b]):
            return True
        return a[1] == b[1] and not horizontal[a].isdisjoint(horizontal[b])

    points = sorted(intersections)
    # The points of each column and row, in the order pdfplumber scans them (the sort above
    # orders both: by x, then by top).
    column: dict[float, list[float]] = defaultdict(list)
    row: dict[float, list[float]] = defaultdict(list)
    for x, top in points:
        column[x].append(top)
        row[top].append(x)
    cells: list[Box] = []
    for x, top in points:
        below = [(x, y) for y in column[x] if y > top]
        right = [(r, top) for r in row[top] if r > x]
        cell = _smallest_cell((x, top), below, right, intersections, connects)
        if cell is not None:
            cells.append(cell)
    return cells


def _smallest_cell(
    point: Point, below: list[Point], right: list[Point], intersections: dict[Point, Any], connects: Any
) -> Box | None:
    for below_point in below:
        if not connects(point, below_point):
            continue
        for right_point in right:
            if not connects(point, right_point):
                continue
            corner = (right_point[0], below_point[1])
            if corner in intersections and connects(corner, right_point) and connects(corner, below_point):
                return (point[0], point[1], corner[0], corner[1])
    return None
