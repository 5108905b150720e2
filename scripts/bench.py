"""Throughput figures for `make bench`: measured, printed, never asserted in unit tests.

- end-to-end born-digital PDF pages/s (extract + normalize) per core, on the shared
  PDF fixtures (or data/raw/samples when ../shared is absent);
- end-to-end text documents/s on the seeds;
- DuckDB load rows/s through the loader.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from vanban.extractors import pdf  # noqa: E402
from vanban.pipeline.extract import extract_file  # noqa: E402


def _timed(func, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    pdfs = sorted((SHARED / "fixtures" / "pdf").glob("*.pdf")) or sorted(
        (ROOT / "data/raw/samples").glob("*.pdf")
    )
    texts = sorted((SHARED / "seeds").glob("*.txt")) or sorted((ROOT / "data/raw").glob("*.txt"))
    pages = sum(pdf.extract(p).pages or 0 for p in pdfs)
    for p in pdfs + texts:
        extract_file(p)  # warm caches (gazetteer, spaCy rules, divisions index)

    seconds = _timed(lambda: [pdf.extract(p) for p in pdfs], 5)
    print(f"PDF extraction only:        {pages / seconds:8.0f} pages/s  ({pages} pages, {len(pdfs)} files)")
    seconds = _timed(lambda: [extract_file(p) for p in pdfs], 3)
    print(f"PDF end to end (1 core):    {pages / seconds:8.0f} pages/s")
    seconds = _timed(lambda: [extract_file(p) for p in texts], 3)
    print(f"Text end to end (1 core):   {len(texts) / seconds:8.1f} documents/s ({len(texts)} files)")

    from vanban.pipeline.loader import load_result, open_db

    results = [extract_file(p) for p in texts] * 40
    rows = sum(1 + len(r.tasks) + len(r.references) + len(r.targets) for r in results)
    with tempfile.TemporaryDirectory() as tmp:
        con = open_db(Path(tmp) / "bench.duckdb")
        start = time.perf_counter()
        for n, result in enumerate(results):
            load_result(con, result, sha256=f"{n:064x}", source=f"bench/{n}.txt")
        seconds = time.perf_counter() - start
        con.close()
    print(f"DuckDB load:                {rows / seconds:8.0f} rows/s ({rows} rows, {len(results)} documents)")


if __name__ == "__main__":
    main()
