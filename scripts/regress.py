"""Record snapshots of every shared document, and what changed since the last one.

``make regress`` extracts the seeds, the fixtures (DOCX, PDF, scans, legacy
encodings) and the corpus into one JSONL file under ``data/regress/`` (git-ignored),
then compares it with the baseline through ``vanban diff`` (tasks added, removed
and changed per document, the way eyecite posts gains and losses per change).
The first run, or ``--accept``, makes the snapshot the new baseline.

    python scripts/regress.py            # snapshot + diff against the baseline
    python scripts/regress.py --accept   # snapshot and make it the baseline
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
OUT = ROOT / "data" / "regress"
SUFFIXES = {".txt", ".md", ".docx", ".doc", ".pdf"}


def shared_files() -> list[Path]:
    """Every document of the shared seeds, fixtures and corpus (reference data excluded)."""
    roots = [SHARED / "seeds", SHARED / "fixtures", SHARED / "corpus"]
    files = [
        path
        for root in roots
        if root.is_dir()
        for path in sorted(root.rglob("*"))
        if path.suffix.lower() in SUFFIXES and "refdata" not in path.parts and path.name != "README.md"
    ]
    return files


def _records(path: Path) -> list[str]:
    """The JSONL lines of one file (a failure is a document record with its reason)."""
    from vanban.pipeline.extract import extract_file, failed_result

    try:
        result = extract_file(path)
    except Exception as error:  # a snapshot records every failure
        result = failed_result(path, error)
    return [record.model_dump_json() for record in result.records()]


def snapshot(files: list[Path], target: Path, workers: int = 2) -> None:
    """Write the records of ``files`` to ``target`` (one JSONL file, in file order)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor(workers) as pool, target.open("w", encoding="utf-8") as out:
        for lines in pool.map(_records, files):
            out.writelines(line + "\n" for line in lines)


def summary(path: Path) -> dict[str, int]:
    """Record counts by kind in a snapshot."""
    counts: dict[str, int] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        kind = json.loads(line)["kind"]
        counts[kind] = counts.get(kind, 0) + 1
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--accept", action="store_true", help="make this snapshot the baseline")
    parser.add_argument("--name", default="current", help="snapshot name (data/regress/NAME.jsonl)")
    args = parser.parse_args()
    files = shared_files()
    if not files:
        print(f"regress: no shared documents under {SHARED}; nothing to do")
        return 0
    baseline, current = OUT / "baseline.jsonl", OUT / f"{args.name}.jsonl"
    snapshot(files, current)
    print(f"regress: {len(files)} files -> {current.relative_to(ROOT)} {summary(current)}")
    if args.accept or not baseline.exists():
        shutil.copyfile(current, baseline)
        print(f"regress: baseline written ({baseline.relative_to(ROOT)})")
        return 0
    vanban = Path(sys.executable).with_name("vanban")
    return subprocess.call([str(vanban), "diff", str(baseline), str(current)])


if __name__ == "__main__":
    sys.exit(main())
