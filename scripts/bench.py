"""Throughput figures for `make bench`: measured, printed, never asserted.

One run reports, in CPU seconds (the machine may be shared, so wall time lies):

1. extraction by format against the raw readers on the same inputs, medians of
   repeated runs: born-digital PDF (vanban end to end, vanban's PDF extractor,
   pdfplumber text, pypdfium2 raw text, pdftotext when installed), DOCX
   (vanban, its extractor, python-docx paragraph text), TXT (vanban, its
   extractor, a plain UTF-8 read) and scans (vanban with OCR against raw
   ``tesseract`` on the same page images, when installed);
2. start-up: CPU of a fresh process that imports the extractor and reads one file;
3. ingest of generated copies of the seeds and PDF fixtures (each copy made
   unique, since identical content is extracted once) at several sizes with 1
   and 2 workers: CPU of the process tree, wall time, speed-up, peak RSS of the
   tree; then a no-op re-run of the largest folder.

Sizes: ``--sizes 100,1000,5000`` (default 100, a run of a few minutes;
``--quick``: fewer repeats and no scans; environment ``VANBAN_BENCH_SIZES`` also works). Inputs come from
``../shared`` when present, else ``data/raw``.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))
VANBAN = [sys.executable, "-c", "from vanban.cli import main; main()"]


def _inputs() -> dict[str, list[Path]]:
    def pick(shared: str, pattern: str, fallback: str) -> list[Path]:
        return sorted((SHARED / shared).glob(pattern)) or sorted((ROOT / fallback).glob(pattern))

    return {
        "pdf": pick("fixtures/pdf", "*.pdf", "data/raw/samples"),
        "docx": pick("fixtures/docx", "*.docx", "data/raw/samples"),
        "txt": pick("seeds", "*.txt", "data/raw"),
        "scan": sorted((SHARED / "fixtures/scan").glob("*.pdf")),
    }


def _forget_texts() -> None:
    """Empty the caches keyed by a whole text, so a repeat reads the files as if new to the process.

    Caches of words and short strings stay: across a real batch they are shared
    by every document.
    """
    from vanban.normalizers import dates, units

    whole_texts = (
        getattr(dates, "_prepare", None),
        getattr(units, "_tokenize_cached", None),
        getattr(units, "_scan_cached", None),
        getattr(units, "_unit_mentions", None),
        getattr(units, "_fuzzy", None),
        getattr(dates, "_find_dates", None),
        getattr(dates, "find_deadline", None),
        getattr(dates, "parse_period_heading", None),
    )
    for cached in whole_texts:
        if cached is not None and hasattr(cached, "cache_clear"):
            cached.cache_clear()


def _cpu_median(func: Callable[[], object], repeat: int) -> float:
    """Median CPU seconds (this process and waited-for children) of ``func``."""
    runs = []
    for _ in range(repeat):
        _forget_texts()
        start = _cpu_now()
        func()
        runs.append(_cpu_now() - start)
    return statistics.median(runs)


def _cpu_now() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _row(label: str, amount: float, unit: str, cpu: float, base: float | None) -> None:
    rate = amount / cpu if cpu else float("inf")
    ratio = f"{cpu / base:6.2f}x raw" if base else ""
    shown = f"{rate:12,.0f}" if rate >= 100 else f"{rate:12.2f}"
    print(f"  {label:<34} {shown} {unit}/CPU-s   {cpu:7.3f} CPU-s   {ratio}")


# --------------------------------------------------------------------------- 1. formats


def bench_pdf(files: list[Path], repeat: int) -> None:
    import pdfplumber
    import pypdfium2 as pdfium

    from vanban.extractors import pdf
    from vanban.pipeline.extract import extract_file

    pages = sum(len(pdfium.PdfDocument(p)) for p in files)
    print(f"PDF, born-digital: {len(files)} files, {pages} pages (median of {repeat})")

    def raw_pdfium() -> None:
        for path in files:
            doc = pdfium.PdfDocument(path)
            for page in doc:
                textpage = page.get_textpage()
                textpage.get_text_range()
                textpage.close()
                page.close()
            doc.close()

    def plumber_text() -> None:
        for path in files:
            with pdfplumber.open(path) as doc:
                for page in doc.pages:
                    page.extract_text()

    base = _cpu_median(raw_pdfium, repeat)
    _row("pypdfium2 raw text", pages, "pages", base, base)
    _row("pdfplumber extract_text", pages, "pages", _cpu_median(plumber_text, repeat), base)
    if shutil.which("pdftotext"):

        def pdftotext() -> None:
            for path in files:
                subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=False)

        _row("pdftotext (poppler)", pages, "pages", _cpu_median(pdftotext, repeat), base)
    else:
        print("  pdftotext                          not installed (apt-get install poppler-utils): skipped")
    _row(
        "vanban PDF extractor only",
        pages,
        "pages",
        _cpu_median(lambda: [pdf.extract(p) for p in files], repeat),
        base,
    )
    _row(
        "vanban end to end",
        pages,
        "pages",
        _cpu_median(lambda: [extract_file(p) for p in files], repeat),
        base,
    )


def bench_docx(files: list[Path], repeat: int) -> None:
    import docx

    from vanban.extractors import docx as vanban_docx
    from vanban.pipeline.extract import extract_file

    chars = sum(len(b.text) for p in files for b in vanban_docx.extract(p).blocks)
    print(f"DOCX: {len(files)} files, {chars:,} characters of text (median of {repeat})")

    def raw() -> None:
        for path in files:
            document = docx.Document(str(path))
            [p.text for p in document.paragraphs]
            [c.text for t in document.tables for r in t.rows for c in r.cells]

    base = _cpu_median(raw, repeat)
    _row("python-docx paragraphs + cells", chars, "chars", base, base)
    _row(
        "vanban DOCX extractor only",
        chars,
        "chars",
        _cpu_median(lambda: [vanban_docx.extract(p) for p in files], repeat),
        base,
    )
    _row(
        "vanban end to end",
        chars,
        "chars",
        _cpu_median(lambda: [extract_file(p) for p in files], repeat),
        base,
    )


def bench_txt(files: list[Path], repeat: int) -> None:
    from vanban.extractors import text
    from vanban.pipeline.extract import extract_file

    size = sum(p.stat().st_size for p in files)
    print(f"TXT: {len(files)} files, {size:,} bytes (median of {repeat})")
    base = _cpu_median(lambda: [p.read_bytes().decode("utf-8") for p in files], repeat)
    _row("read + UTF-8 decode", size, "bytes", base, base)
    _row(
        "vanban text extractor only",
        size,
        "bytes",
        _cpu_median(lambda: [text.extract(p) for p in files], repeat),
        base,
    )
    _row(
        "vanban end to end",
        size,
        "bytes",
        _cpu_median(lambda: [extract_file(p) for p in files], repeat),
        base,
    )


def bench_scans(files: list[Path]) -> None:
    if not files:
        print("Scans: no scanned fixtures (../shared/fixtures/scan): skipped")
        return
    if not shutil.which("tesseract"):
        print("Scans: tesseract not installed (apt-get install tesseract-ocr tesseract-ocr-vie): skipped")
        return
    import pypdfium2 as pdfium

    from vanban.pipeline.extract import extract_file

    pages = sum(len(pdfium.PdfDocument(p)) for p in files)
    print(f"Scans: {len(files)} files, {pages} pages (one run each: OCR is slow)")
    with tempfile.TemporaryDirectory() as tmp:
        images = []
        for path in files:
            doc = pdfium.PdfDocument(path)
            for number, page in enumerate(doc):
                image = Path(tmp) / f"{path.stem}-{number}.png"
                page.render(scale=300 / 72).to_pil().save(image)
                images.append(image)
            doc.close()
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

        def tesseract() -> None:
            for image in images:
                subprocess.run(
                    ["tesseract", str(image), "-", "-l", "vie"], capture_output=True, env=env, check=False
                )

        base = _cpu_median(tesseract, 1)
    _row("tesseract on 300 dpi page images", pages, "pages", base, base)
    _row(
        "vanban end to end (render+OCR)",
        pages,
        "pages",
        _cpu_median(lambda: [extract_file(p) for p in files], 1),
        base,
    )


def bench_startup(sample: Path, repeat: int) -> None:
    code = (
        "import sys; from pathlib import Path; "
        "from vanban.validation.engine import analyse_and_validate; analyse_and_validate(Path(sys.argv[1]))"
    )

    def run() -> None:
        subprocess.run([sys.executable, "-c", code, str(sample)], check=True, capture_output=True)

    def bare() -> None:
        subprocess.run([sys.executable, "-c", "pass"], check=True)

    interpreter = _cpu_median(bare, repeat)
    total = _cpu_median(run, repeat)
    print(f"Start-up: a fresh process importing the extractor and reading {sample.name} (median of {repeat})")
    print(f"  {total:7.3f} CPU-s in all; {total - interpreter:7.3f} CPU-s beyond a bare interpreter")


# --------------------------------------------------------------------------- 3. ingest


def _make_copies(folder: Path, count: int, inputs: dict[str, list[Path]]) -> None:
    """``count`` files cycling over the seeds and PDF fixtures, each made unique."""
    sources = inputs["txt"] + inputs["pdf"]
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        src = sources[i % len(sources)]
        data = src.read_bytes()
        # Text: a closing line; PDF: bytes after %%EOF, which readers ignore.
        tail = f"\nBản sao {i}.\n" if src.suffix == ".txt" else f"\n%copy {i}\n"
        (folder / f"{i:05d}{src.suffix}").write_bytes(data + tail.encode())


def _tree_rss(root: int) -> int:
    """Resident memory (bytes) of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        rss[pid] = int(fields[21]) * page
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def _self_cpu(pid: int) -> float | None:
    """CPU seconds a process has used itself (not its children), from /proc; None once it has gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _run_tree(cmd: list[str]) -> tuple[float, float, int, float]:
    """Wall seconds, CPU seconds of the whole process tree, peak tree RSS (bytes), CPU of the parent alone.

    The parent's own CPU is its last sample (every 0.2 s) before it exits.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak, parent = 0, 0.0
    while True:
        peak = max(peak, _tree_rss(proc.pid))
        own = _self_cpu(proc.pid)
        parent = own if own is not None else parent
        done, _status, usage = os.wait4(proc.pid, os.WNOHANG)
        if done:
            break
        time.sleep(0.2)
    proc.returncode = 0
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime, peak, parent


def bench_ingest(sizes: list[int], inputs: dict[str, list[Path]], workers: list[int] | None = None) -> None:
    workers = workers or [1, 2]
    print("Ingest of generated unique copies (seeds + PDF fixtures), CPU of the process tree:")
    print(
        f"  {'files':>6} {'workers':>7} {'wall s':>8} {'CPU-s':>8} {'parent':>7} "
        f"{'files/CPU-s':>11} {'speed-up':>8} {'peak RSS MB':>11}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            folder = Path(tmp) / f"in{size}"
            _make_copies(folder, size, inputs)
            walls = {}
            for count in workers:
                db = Path(tmp) / f"db{size}-{count}.duckdb"
                wall, cpu, peak, parent = _run_tree(
                    [*VANBAN, "ingest", str(folder), "--db", str(db), "--workers", str(count)]
                )
                walls[count] = wall
                speed = f"{walls[1] / wall:7.2f}x" if count > 1 and 1 in walls else "      -"
                print(
                    f"  {size:>6} {count:>7} {wall:8.1f} {cpu:8.1f} {parent:7.1f} {size / cpu:11.1f} "
                    f"{speed:>8} {peak / 2**20:11.0f}"
                )
            wall, cpu, peak, _parent = _run_tree([*VANBAN, "ingest", str(folder), "--db", str(db)])
            print(
                f"  {size:>6} no-op re-run: {wall:6.2f} s wall, {cpu:6.2f} CPU-s, peak RSS {peak / 2**20:.0f} MB"
            )
            shutil.rmtree(folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, no scans")
    parser.add_argument(
        "--sizes", default=os.environ.get("VANBAN_BENCH_SIZES", ""), help="e.g. 100,1000,5000"
    )
    parser.add_argument("--repeat", type=int, default=0, help="repeats per figure (median)")
    parser.add_argument("--no-scans", action="store_true", help="skip the OCR comparison")
    parser.add_argument("--no-ingest", action="store_true", help="skip the ingest runs")
    parser.add_argument("--ingest-only", action="store_true", help="only the ingest runs (part 3)")
    parser.add_argument("--workers", default="1,2", help="worker counts of the ingest runs, e.g. 2")
    args = parser.parse_args()
    repeat = args.repeat or (2 if args.quick else 5)
    sizes = [int(s) for s in args.sizes.split(",") if s] or [100]
    inputs = _inputs()
    if args.ingest_only:
        bench_ingest(sizes, inputs, [int(w) for w in args.workers.split(",") if w])
        return

    from vanban.pipeline.extract import extract_file

    for path in inputs["pdf"] + inputs["docx"] + inputs["txt"]:
        extract_file(path)  # steady state: gazetteer, grammars and divisions loaded once
    print(f"vanban bench on {os.cpu_count()} cores; CPU seconds, medians; figures, not assertions\n")
    bench_pdf(inputs["pdf"], repeat)
    bench_docx(inputs["docx"], repeat)
    bench_txt(inputs["txt"], repeat)
    if not (args.no_scans or args.quick):
        bench_scans(inputs["scan"])
    # The largest seed: it names bodies in running text, so start-up includes every lazy import.
    bench_startup(max(inputs["txt"], key=lambda p: p.stat().st_size), max(2, repeat // 2))
    if not args.no_ingest:
        bench_ingest(sizes, inputs, [int(w) for w in args.workers.split(",") if w])


if __name__ == "__main__":
    main()
