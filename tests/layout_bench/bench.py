"""The layout bench: render every layout, write its gold, run ``vanban extract``, score it.

One content (``content.py``), many forms: each layout below renders it into one file whose stem
is the layout's name, and writes the gold records of that file (``document.py``) into
``gold/<name>/<name>.jsonl``. ``run_bench`` extracts all files with the real CLI and scores each
layout alone with ``../shared/eval/score.py``.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import convert, docx_layouts, text_layouts
from .document import MONTHLY, PLAN, PROGRAM, SCHEDULE, GoldOptions, gold_records, schedule_gold
from .legacy import encode_tcvn3, encode_vni

ROOT = Path(__file__).resolve().parents[2]
SCORER = ROOT.parent / "shared" / "eval" / "score.py"

OCT = GoldOptions(tasks=tuple(f"t0{i}" for i in range(1, 8)), month="10")


@dataclass(frozen=True)
class Layout:
    name: str
    ext: str
    what: str
    gold: Callable[[str], list[dict]]
    needs: str | None = None  # "soffice" or "scan": made in a second step


def _program(opts: GoldOptions | None = None) -> Callable[[str], list[dict]]:
    opts = opts or GoldOptions()
    return lambda source: gold_records(source, PROGRAM, opts)


CLAUSE = GoldOptions(text="clause")

LAYOUTS: tuple[Layout, ...] = (
    Layout(
        "txt_bullets",
        "txt",
        "'- text, time (X chủ trì, phối hợp Y).' under '1. Tháng 10/2026'",
        _program(CLAUSE),
    ),
    Layout(
        "txt_numbered_fields", "txt", "'1. text' + 'Cơ quan chủ trì:/phối hợp:/Thời gian:' lines", _program()
    ),
    Layout("txt_alpha_assign", "txt", "'a) text, time. Giao X chủ trì; Y phối hợp.'", _program(CLAUSE)),
    Layout(
        "txt_monthly_title",
        "txt",
        "monthly program, month only in the title 'THÁNG 10 NĂM 2026'",
        lambda s: gold_records(s, MONTHLY, OCT),
    ),
    Layout(
        "txt_pdftotext_bullets",
        "txt",
        "layout 1 hard-wrapped, wrap traps, '- 2 -' page numbers, form feeds",
        _program(CLAUSE),
    ),
    Layout(
        "txt_pdftotext_fields",
        "txt",
        "layout 2 as pdftotext -layout: justified, running header, 'Trang N', form feeds",
        _program(),
    ),
    Layout("txt_tcvn3", "txt", "layout 2 in TCVN3 (ABC) bytes, CRLF", _program()),
    Layout("txt_vni", "txt", "layout 1 in VNI-Windows bytes, CRLF", _program(CLAUSE)),
    Layout("docx_bullets", "docx", "layout 1 in Word, real '-' bullets (numPr)", _program(CLAUSE)),
    Layout("docx_autonum_fields", "docx", "Word auto-numbered items + unbulleted field lines", _program()),
    Layout("docx_table_lead", "docx", "task table, one lead column, month rows merged across", _program()),
    Layout(
        "docx_table_two_leads",
        "docx",
        "task table, 'Chủ trì' and 'Cơ quan chuẩn bị' columns (both lead)",
        _program(GoldOptions(lead="both")),
    ),
    Layout(
        "docx_week_schedule", "docx", "week schedule, merged day cells, week sub-heading rows", schedule_gold
    ),
    Layout(
        "docx_appendix_table",
        "docx",
        "plan + landscape appendix table: group rows, merged lead cells, repeated header",
        lambda s: gold_records(s, PLAN, GoldOptions(month="own")),
    ),
    Layout(
        "pdf_bullets",
        "pdf",
        "docx_bullets printed by LibreOffice",
        _program(CLAUSE),
        needs="soffice",
    ),
    Layout(
        "pdf_autonum_fields",
        "pdf",
        "docx_autonum_fields printed by LibreOffice",
        _program(),
        needs="soffice",
    ),
    Layout(
        "pdf_appendix_table",
        "pdf",
        "docx_appendix_table printed by LibreOffice (table across pages)",
        lambda s: gold_records(s, PLAN, GoldOptions(month="own")),
        needs="soffice",
    ),
    Layout(
        "scan_bullets",
        "pdf",
        "docx_bullets (12 pt, 3 pages) printed, scanned: 200 dpi image-only, tint, speckle, JPEG, 0.5° skew, red seal",
        _program(CLAUSE),
        needs="scan",
    ),
)

BY_NAME = {layout.name: layout for layout in LAYOUTS}

# the DOCX each PDF layout is printed from
_PRINTED_FROM = {
    "pdf_bullets": "docx_bullets",
    "pdf_autonum_fields": "docx_autonum_fields",
    "pdf_appendix_table": "docx_appendix_table",
}


def _write_text(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _render_docx(name: str, path: Path) -> None:
    if name == "docx_bullets":
        docx_layouts.bullets_docx(PROGRAM, path)
    elif name == "docx_autonum_fields":
        docx_layouts.autonum_fields_docx(PROGRAM, path)
    elif name == "docx_table_lead":
        docx_layouts.table_docx(PROGRAM, path, two_leads=False)
    elif name == "docx_table_two_leads":
        docx_layouts.table_docx(PROGRAM, path, two_leads=True)
    elif name == "docx_week_schedule":
        docx_layouts.schedule_docx(SCHEDULE, path)
    elif name == "docx_appendix_table":
        docx_layouts.appendix_docx(PLAN, path)
    else:
        raise KeyError(name)


def _render_text(name: str, path: Path) -> None:
    if name == "txt_bullets":
        _write_text(path, text_layouts.bullets_lines(PROGRAM))
    elif name == "txt_numbered_fields":
        _write_text(path, text_layouts.numbered_fields_lines(PROGRAM))
    elif name == "txt_alpha_assign":
        _write_text(path, text_layouts.alpha_assign_lines(PROGRAM))
    elif name == "txt_monthly_title":
        _write_text(path, text_layouts.monthly_lines(MONTHLY))
    elif name == "txt_pdftotext_bullets":
        text = text_layouts.pdftotext_text(PROGRAM, "bullets", layout_mode=False, page_number="dash")
        path.write_text(text, encoding="utf-8")
    elif name == "txt_pdftotext_fields":
        text = text_layouts.pdftotext_text(
            PROGRAM,
            "fields",
            layout_mode=True,
            page_number="trang",
            running_header="    UBND phường Hồng Gai - Chương trình công tác Quý IV năm 2026",
        )
        path.write_text(text, encoding="utf-8")
    elif name == "txt_tcvn3":
        text = "\r\n".join(text_layouts.numbered_fields_lines(PROGRAM)) + "\r\n"
        path.write_bytes(encode_tcvn3(text))
    elif name == "txt_vni":
        text = "\r\n".join(text_layouts.bullets_lines(PROGRAM)) + "\r\n"
        path.write_bytes(encode_vni(text))
    else:
        raise KeyError(name)


@dataclass
class Built:
    layout: Layout
    path: Path | None = None
    gold_dir: Path | None = None
    skip: str | None = None


def build(out: Path, names: list[str] | None = None) -> dict[str, Built]:
    """Render the chosen layouts (default all) into ``out/docs`` and their gold into ``out/gold``."""
    chosen = [BY_NAME[n] for n in names] if names else list(LAYOUTS)
    docs, staging = out / "docs", out / "staging"
    docs.mkdir(parents=True, exist_ok=True)
    staging.mkdir(parents=True, exist_ok=True)
    built: dict[str, Built] = {}
    for layout in chosen:
        path = docs / f"{layout.name}.{layout.ext}"
        b = built[layout.name] = Built(layout, path)
        gold_dir = out / "gold" / layout.name
        gold_dir.mkdir(parents=True, exist_ok=True)
        records = layout.gold(path.name)
        (gold_dir / f"{layout.name}.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
        )
        b.gold_dir = gold_dir
        if layout.ext == "txt":
            _render_text(layout.name, path)
        elif layout.ext == "docx":
            _render_docx(layout.name, path)

    # PDFs printed by LibreOffice: the DOCX is rendered again under the PDF layout's stem
    printed = [n for n in _PRINTED_FROM if n in built]
    if "scan_bullets" in built:
        printed.append("scan_bullets")
    if printed:
        sources = []
        for name in printed:
            source = staging / f"{name}.docx"
            if name == "scan_bullets":
                # the scan is of the bullets DOCX set in 12 pt: three pages keep OCR short
                docx_layouts.bullets_docx(PROGRAM, source, size=12)
            else:
                _render_docx(_PRINTED_FROM[name], source)
            sources.append(source)
        reason = convert.to_pdf(sources, staging)
        for name in printed:
            if name in _PRINTED_FROM:
                if reason:
                    built[name].skip = reason
                else:
                    shutil.copy(staging / f"{name}.pdf", built[name].path)
    if "scan_bullets" in built:
        b = built["scan_bullets"]
        source = staging / "scan_bullets.pdf"
        reason = None if source.exists() else "no LibreOffice PDF to scan (soffice missing or failed)"
        if not reason:
            reason = convert.scan_pdf(source, b.path)
        if reason:
            b.skip = reason
        elif not shutil.which("tesseract"):
            b.skip = "Tesseract is not installed: run scripts/install-system-deps.sh"
    return built


# -- extraction --------------------------------------------------------------------------------------


def vanban_command() -> list[str]:
    exe = Path(sys.executable).with_name("vanban")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("vanban")
    return [found] if found else [sys.executable, "-c", "from vanban.cli import main; main()"]


def _extract(files: list[Path], timeout: int) -> tuple[dict[str, list[dict]], str]:
    proc = subprocess.run(
        [*vanban_command(), "extract", *map(str, files), "--format", "jsonl"],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        cwd=ROOT,
    )
    by_stem: dict[str, list[dict]] = defaultdict(list)
    for line in proc.stdout.splitlines():
        if line.strip():
            record = json.loads(line)
            by_stem[Path(str(record.get("source", ""))).stem].append(record)
    return by_stem, proc.stderr.strip()


def extract_all(paths: list[Path], timeout: int = 600) -> tuple[dict[str, list[dict]], dict[str, str]]:
    """Records per file stem, and an error per stem that gave none.

    Files go in two batches (scans apart, they are slow) run side by side; a file missing from a
    batch's output (a crash takes the whole batch) is extracted again alone to find its error.
    """
    scans = [p for p in paths if p.stem.startswith("scan_")]
    rest = [p for p in paths if p not in scans]
    records: dict[str, list[dict]] = {}
    errors: dict[str, str] = {}
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(_extract, batch, timeout) for batch in (rest, scans) if batch]
        for future in futures:
            got, _ = future.result()
            records.update(got)
    for path in paths:
        if path.stem not in records or not any(r.get("kind") == "document" for r in records[path.stem]):
            got, err = _extract([path], timeout)
            if got.get(path.stem):
                records[path.stem] = got[path.stem]
            errors[path.stem] = err.splitlines()[-1] if err else "no records"
    return records, errors


# -- scoring -------------------------------------------------------------------------------------------


def load_scorer():
    """``../shared/eval/score.py`` as a module, or None when the shared folder is absent."""
    if not SCORER.exists():
        return None
    spec = importlib.util.spec_from_file_location("layout_bench_score", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class Result:
    name: str
    skip: str | None = None
    error: str | None = None
    scores: dict = field(default_factory=dict)
    records: list[dict] = field(default_factory=list)
    gold: list[dict] = field(default_factory=list)

    @property
    def overall(self) -> float | None:
        return self.scores.get("overall")


def run_bench(out: Path, names: list[str] | None = None) -> dict[str, Result]:
    """Build, extract and score the chosen layouts (default all), in layout order."""
    scorer = load_scorer()
    if scorer is None:
        return {
            n: Result(n, skip=f"needs {SCORER} (the shared folder beside the checkout)")
            for n in (names or BY_NAME)
        }
    built = build(out, names)
    results = {name: Result(name, skip=b.skip) for name, b in built.items()}
    paths = [b.path for b in built.values() if not b.skip]
    records, errors = extract_all(paths)
    for name, b in built.items():
        if b.skip:
            continue
        res = results[name]
        res.records = records.get(name, [])
        res.error = errors.get(name)
        res.gold = scorer.load_jsonl(b.gold_dir / f"{name}.jsonl")
        res.scores = scorer.score(str(b.gold_dir), res.records)
    return results
