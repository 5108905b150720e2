"""OCR of scanned PDF pages with the Tesseract binary (``-l vie``).

A page image is rendered with pypdfium2 (grey, ~300 dpi). Ruling lines are
found by pixel projection (long runs of dark pixels), turned into a cell grid
and erased before Tesseract reads the page once (``--psm 6``, TSV output), so
table borders neither become ``|`` characters nor glue cells together. Each OCR
word then goes to the table cell that holds its centre, or to a text line.

Coordinates are returned in PDF points measured from the page top, the same
frame :mod:`vanban.extractors.pdf` uses for a text layer, so that module's
furniture removal and table stitching apply to OCR pages unchanged.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from vanban.budgets import die_with_parent

if TYPE_CHECKING:  # imported lazily: numpy/PIL only matter when a page is scanned
    import numpy as np
    import pypdfium2 as pdfium
    from PIL.Image import Image as PILImage

OCR_UNAVAILABLE = "OCR unavailable: install tesseract-ocr and tesseract-ocr-vie"
LANGUAGE = "vie"
DPI = 300
PAGE_TIMEOUT = 120.0  # seconds for one page; Tesseract vie needs ~1.5 s on a text page

_RULE_DARK = 200  # grey level below which a pixel may belong to a (thin, grey) rule
_MIN_SKEW = 0.05  # degrees; smaller skews are left alone
_GAP = 6  # px; breaks in a scanned rule up to this long are closed
# Shortest rules, as a share of the page width/height: ~25 mm across (a serif
# baseline inside one long word must not pass for a rule), ~9 mm down (one text line).
_RULE_MIN_H = 0.12
_RULE_MIN_V = 0.03
_RULE_FILL = 0.85  # share of a band's length a rule must cover to cross it
# A "word" made only of these is what is left of a table border after erasing it.
_BORDER_JUNK = re.compile(r"[_|¦¬~\[\]]+")
_MIN_CELL = 12  # px; rule bands closer than this are one rule (a thick or doubled line)


@dataclass(slots=True)
class OcrWord:
    """One recognised word; box in pixels of the rendered image."""

    text: str
    left: int
    top: int
    right: int
    bottom: int
    conf: float
    line: tuple[int, int, int]  # Tesseract (block, paragraph, line) number

    @property
    def cx(self) -> float:
        return (self.left + self.right) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(slots=True)
class OcrLine:
    """A text line outside tables; box in points from the page top."""

    text: str
    top: float
    bottom: float
    x0: float
    x1: float
    confidence: float


@dataclass(slots=True)
class OcrRow:
    """One table row: cell texts on the table's full column grid (merged cells give "")."""

    cells: list[str]
    top: float
    bottom: float
    spanning: bool
    confidence: float | None


@dataclass(slots=True)
class OcrTable:
    rows: list[OcrRow]
    top: float
    bottom: float
    x0: float
    x1: float


@dataclass(slots=True)
class OcrPage:
    """What OCR read on one page."""

    lines: list[OcrLine] = field(default_factory=list)
    tables: list[OcrTable] = field(default_factory=list)


@dataclass(slots=True)
class Grid:
    """A ruled table found in the image (pixels): row boundaries, column boundaries, box."""

    ys: list[int]
    xs: list[int]
    # For each row band, the column boundaries a vertical rule actually crosses.
    crossings: list[list[int]]

    @property
    def box(self) -> tuple[int, int, int, int]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]


class OcrError(RuntimeError):
    """Tesseract failed or timed out on a page."""


@cache
def unavailable_reason() -> str | None:
    """``None`` when Tesseract with Vietnamese data can run, else the message naming the packages."""
    binary = shutil.which("tesseract")
    if binary is None:
        return OCR_UNAVAILABLE
    try:
        done = subprocess.run(
            [binary, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return OCR_UNAVAILABLE
    langs = {line.strip() for line in (done.stdout + done.stderr).splitlines()}
    return None if LANGUAGE in langs else OCR_UNAVAILABLE


def dpi_within(width_pt: float, height_pt: float, max_pixels: int, dpi: int = DPI) -> int:
    """The resolution (at most ``dpi``) at which a page of this size in points renders within ``max_pixels``."""
    area_in = max(width_pt, 1.0) * max(height_pt, 1.0) / 72**2
    fit = int((max_pixels / area_in) ** 0.5)
    return max(1, min(dpi, fit))


def ocr_page(page: pdfium.PdfPage, *, dpi: int = DPI, timeout: float = PAGE_TIMEOUT) -> OcrPage:
    """Render one PDF page, find its ruled tables and OCR it into lines and table rows.

    Raises :class:`OcrError` when Tesseract fails or exceeds ``timeout`` seconds.
    """
    import numpy as np
    from PIL import Image

    image = clean_scan(page.render(scale=dpi / 72).to_pil())
    angle = skew_angle(image)
    if abs(angle) >= _MIN_SKEW:
        # Straight rules are what the grid finder looks for; Tesseract also reads straight lines better.
        image = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    pixels = np.asarray(image)
    grids, rules = find_grids(pixels)
    cleaned = pixels.copy()
    cleaned[rules] = 255  # erase borders: Tesseract reads them as "|" and merges cells
    words = run_tesseract(_png(cleaned), timeout=timeout)
    return build_page(words, grids, scale=72 / dpi)


def clean_scan(image: PILImage) -> PILImage:
    """A page image in grey with coloured stamps and paper tint lightened and speckle removed.

    The brightest channel of a pixel keeps black ink dark but makes a red or blue
    stamp and a tinted paper light; a 3x3 median removes speckle and JPEG noise.
    (A hard black-and-white threshold was tried: it cost Tesseract accuracy on the
    seed scans, so the grey levels stay.)
    """
    import numpy as np
    from PIL import Image, ImageFilter

    rgb = np.asarray(image.convert("RGB"))
    return Image.fromarray(rgb.max(axis=2).astype(np.uint8)).filter(ImageFilter.MedianFilter(3))


def skew_angle(image: PILImage, *, limit: float = 3.0) -> float:
    """Rotation in degrees (PIL's sense) that makes the text lines and rules of a scan horizontal.

    The angle that maximises the variance of the row ink profile of a reduced
    copy: text lines and rules line up with pixel rows when the page is straight.
    """
    import numpy as np
    from PIL import Image

    def ink(factor: int) -> PILImage:
        return Image.fromarray(((np.asarray(image.reduce(factor)) < _RULE_DARK) * 255).astype(np.uint8))

    def score(mask: PILImage, angle: float) -> float:
        rows = np.asarray(mask.rotate(angle, resample=Image.Resampling.NEAREST), dtype=np.float32).sum(axis=1)
        return float(np.square(np.diff(rows)).sum())

    # Coarse steps on a quarter-size copy, then 0.05° steps on a half-size one
    # (a quarter-size copy cannot tell 0.1° apart on a sparse page).
    coarse = ink(4)
    best = max(np.arange(-limit, limit + 1e-9, 0.25), key=lambda a: score(coarse, a))
    fine_mask = ink(2)
    fine = np.arange(best - 0.25, best + 0.25 + 1e-9, 0.05)
    return round(float(max(fine, key=lambda a: score(fine_mask, a))), 2)


def _png(pixels: np.ndarray) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


def run_tesseract(image_png: bytes, *, timeout: float = PAGE_TIMEOUT, psm: int = 6) -> list[OcrWord]:
    """Words of one page image read by ``tesseract - - -l vie --psm N tsv``."""
    binary = shutil.which("tesseract")
    if binary is None:
        raise OcrError(OCR_UNAVAILABLE)
    # One thread per process is several times faster than OpenMP's default here.
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run(
            [binary, "-", "-", "-l", LANGUAGE, "--psm", str(psm), "tsv"],
            input=image_png,
            capture_output=True,
            timeout=timeout,
            env=env,
            check=False,
            # Killed with its worker: a sandbox worker killed for overrunning leaves no Tesseract behind.
            preexec_fn=die_with_parent,
        )
    except subprocess.TimeoutExpired as err:
        raise OcrError(f"OCR timed out after {timeout:.0f} s") from err
    except OSError as err:
        raise OcrError(f"cannot run tesseract ({err.strerror or err})") from err
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrError(f"tesseract failed ({detail[-1] if detail else done.returncode})")
    return parse_tsv(done.stdout.decode("utf-8", "replace"))


def parse_tsv(tsv: str) -> list[OcrWord]:
    """Word rows (level 5, non-blank) of Tesseract's TSV output."""
    words: list[OcrWord] = []
    reader = csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in reader:
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        try:
            left, top = int(row["left"]), int(row["top"])
            width, height = int(row["width"]), int(row["height"])
            conf = float(row["conf"])
            key = (int(row["block_num"]), int(row["par_num"]), int(row["line_num"]))
        except (KeyError, TypeError, ValueError):
            continue
        if _BORDER_JUNK.fullmatch(text):
            continue  # a remnant of an erased rule, not text
        words.append(OcrWord(text, left, top, left + width, top + height, max(conf, 0.0), key))
    return words


# --------------------------------------------------------------------------- ruling lines


def _window_any(mask: np.ndarray, before: int, after: int) -> np.ndarray:
    """Per pixel: any ink in the window [x - before, x + after] along axis 1."""
    import numpy as np

    counts = np.pad(np.cumsum(mask, axis=1, dtype=np.int32), ((0, 0), (before + 1, after)), mode="edge")
    counts[:, : before + 1] = 0
    width = mask.shape[1]
    return (counts[:, before + after + 1 : before + after + 1 + width] - counts[:, :width]) > 0


def _rule_mask(ink: np.ndarray, length: int, axis: int) -> np.ndarray:
    """Pixels on a rule: a run of at least ``length`` along ``axis``.

    Scanned rules are grey, broken and slightly skewed, so the ink is first
    thickened across the rule (±2 px) and gaps along it are closed (``_GAP``).
    """
    import numpy as np

    m = ink if axis == 1 else ink.T
    thick = m.copy()
    for shift in (1, 2):
        thick[shift:] |= m[:-shift]
        thick[:-shift] |= m[shift:]
    closed = _window_any(thick, _GAP, 0) & _window_any(thick, 0, _GAP)
    # Windows of ``length`` that are all ink, spread back over the pixels they cover.
    counts = np.pad(np.cumsum(closed, axis=1, dtype=np.int32), ((0, 0), (1, 0)))
    full = (counts[:, length:] - counts[:, :-length]) == length
    out = _window_any(np.pad(full, ((0, 0), (0, length - 1))), length - 1, 0)
    return out if axis == 1 else out.T


def _bands(profile: np.ndarray) -> list[tuple[int, int]]:
    """Runs of consecutive true indices, merged when closer than ``_MIN_CELL``."""
    import numpy as np

    return _bands_from(np.flatnonzero(profile))


def find_grids(pixels: np.ndarray) -> tuple[list[Grid], np.ndarray]:
    """Ruled tables of a grey page image and the mask of all rule pixels.

    A table is a set of vertical rules sharing a vertical extent, with the
    horizontal rules that run across them; a row band is crossed by the
    vertical rules that cover most of its height (a merged cell is crossed by none).
    """
    import numpy as np

    ink = pixels < _RULE_DARK
    height, width = ink.shape
    horiz = _rule_mask(ink, max(int(_RULE_MIN_H * width), 20), axis=1)
    vert = _rule_mask(ink, max(int(_RULE_MIN_V * height), 20), axis=0)
    rules = horiz | vert
    grids: list[Grid] = []
    v_bands = _bands(vert.any(axis=0))
    if len(v_bands) < 2:
        return grids, rules
    # Group vertical rules into tables by overlapping vertical extents.
    segments = []
    for x0, x1 in v_bands:
        ys = np.flatnonzero(vert[:, x0 : x1 + 1].any(axis=1))
        for y0, y1 in _bands_from(ys):
            segments.append((x0, x1, y0, y1))
    segments.sort(key=lambda s: s[2])
    clusters: list[list[tuple[int, int, int, int]]] = []
    for seg in segments:
        if clusters and seg[2] <= max(s[3] for s in clusters[-1]) + _MIN_CELL:
            clusters[-1].append(seg)
        else:
            clusters.append([seg])
    for cluster in clusters:
        grid = _grid(cluster, horiz, vert)
        if grid is not None:
            grids.append(grid)
    return grids, rules


def _bands_from(indices: np.ndarray) -> list[tuple[int, int]]:
    bands: list[tuple[int, int]] = []
    for i in indices.tolist():
        if bands and i - bands[-1][1] <= _MIN_CELL:
            bands[-1] = (bands[-1][0], i)
        else:
            bands.append((i, i))
    return bands


def _grid(cluster: list[tuple[int, int, int, int]], horiz: np.ndarray, vert: np.ndarray) -> Grid | None:
    """Row and column boundaries of one table from its vertical rule segments."""
    centers = sorted({(s[0] + s[1]) // 2 for s in cluster})
    xs: list[int] = []
    for x in centers:
        if not xs or x - xs[-1] > _MIN_CELL:
            xs.append(x)
    if len(xs) < 2:
        return None
    top = min(s[2] for s in cluster)
    bottom = max(s[3] for s in cluster)
    left, right = xs[0], xs[-1]
    span = right - left
    # Horizontal rules inside the box that run across most of its width.
    region = horiz[max(top - _MIN_CELL, 0) : bottom + _MIN_CELL + 1, left : right + 1]
    rows_cov = region.sum(axis=1) >= 0.5 * span
    ys = [max(top - _MIN_CELL, 0) + (a + b) // 2 for a, b in _bands(rows_cov)]
    if len(ys) < 2:
        return None
    crossings: list[list[int]] = []
    for y0, y1 in itertools.pairwise(ys):
        inner = slice(y0 + 3, max(y1 - 3, y0 + 4))
        band = max(inner.stop - inner.start, 1)
        crossed = [x for x in xs if vert[inner, max(x - 4, 0) : x + 5].any(axis=1).sum() >= _RULE_FILL * band]
        crossings.append(crossed)
    return Grid(ys, xs, crossings)


# --------------------------------------------------------------------------- words -> blocks


def build_page(words: list[OcrWord], grids: list[Grid], *, scale: float) -> OcrPage:
    """Assign words to table cells or text lines; convert boxes to points with ``scale``."""
    inside: list[list[OcrWord]] = [[] for _ in grids]
    loose: list[OcrWord] = []
    for word in words:
        owner = next((k for k, g in enumerate(grids) if _contains(g.box, word.cx, word.cy)), None)
        if owner is None:
            loose.append(word)
        else:
            inside[owner].append(word)
    lines = _lines(loose, scale)
    tables = [t for g, ws in zip(grids, inside, strict=True) if (t := _table(g, ws, scale)) is not None]
    return OcrPage(lines=lines, tables=tables)


def _contains(box: tuple[int, int, int, int], x: float, y: float) -> bool:
    x0, y0, x1, y1 = box
    return x0 <= x <= x1 and y0 <= y <= y1


def _mean_conf(words: list[OcrWord]) -> float | None:
    return round(sum(w.conf for w in words) / len(words), 1) if words else None


def _group_lines(words: list[OcrWord]) -> list[list[OcrWord]]:
    """Words grouped by Tesseract line, lines top to bottom, words left to right."""
    groups: dict[tuple[int, int, int], list[OcrWord]] = {}
    for word in words:
        groups.setdefault(word.line, []).append(word)
    ordered = sorted(groups.values(), key=lambda ws: min(w.top for w in ws))
    return [sorted(ws, key=lambda w: w.left) for ws in ordered]


def _lines(words: list[OcrWord], scale: float) -> list[OcrLine]:
    out: list[OcrLine] = []
    for group in _group_lines(words):
        text = " ".join(w.text for w in group)
        conf = _mean_conf(group) or 0.0
        out.append(
            OcrLine(
                text=text,
                top=min(w.top for w in group) * scale,
                bottom=max(w.bottom for w in group) * scale,
                x0=min(w.left for w in group) * scale,
                x1=max(w.right for w in group) * scale,
                confidence=conf,
            )
        )
    return out


def _table(grid: Grid, words: list[OcrWord], scale: float) -> OcrTable | None:
    """Rows of a grid with the words that fall in each cell; empty rows dropped."""
    from vanban.extractors.pdf import join_wrapped

    rows: list[OcrRow] = []
    ncols = len(grid.xs) - 1
    for r, (y0, y1) in enumerate(zip(grid.ys, grid.ys[1:], strict=False)):
        row_words = [w for w in words if y0 <= w.cy < y1]
        if not row_words:
            continue
        # Cell edges of this row: the vertical rules that cross it (plus the frame).
        edges = sorted({grid.xs[0], grid.xs[-1], *grid.crossings[r]})
        cells = [""] * ncols
        merged = False
        for a, b in itertools.pairwise(edges):
            col = next(i for i, x in enumerate(grid.xs) if x >= a)
            cell_words = [w for w in row_words if a <= w.cx < b]
            if sum(1 for x in grid.xs if a < x < b):
                merged = True
            parts = [" ".join(w.text for w in line) for line in _group_lines(cell_words)]
            cells[min(col, ncols - 1)] = join_wrapped(parts)
        if not any(cells):
            continue
        spanning = merged and sum(1 for c in cells if c) == 1
        rows.append(OcrRow(cells, y0 * scale, y1 * scale, spanning, _mean_conf(row_words)))
    if not rows or (len(rows) == 1 and ncols == 1):
        return None
    x0, y0, x1, y1 = grid.box
    return OcrTable(rows, y0 * scale, y1 * scale, x0 * scale, x1 * scale)
