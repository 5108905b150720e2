"""Parquet shards of extracted batches, and the one committer that loads them into DuckDB.

Layout of a shard folder::

    DIR/<table>/<batch id>.parquet      one zstd Parquet file per table with rows
    DIR/_batches/<order>-<batch id>.json  the batch's manifest, written last

Every file is written under a temporary name and renamed, and the manifest
comes after the table files, so a batch is in the folder completely or not at
all (a worker killed half way leaves only ``.tmp`` files, which are ignored).
The batch id is a hash of the batch's files, so a retried batch overwrites its
own shards. ``order`` sorts the manifests: the committer loads batches in that
order, one transaction per batch, replacing each document's rows the way
``vanban ingest`` does (its rows and those of older versions of the same source
are deleted first), so committing twice changes nothing.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from vanban.errors import DatabaseError
from vanban.pipeline.batch import BatchResult, DocumentOutcome, Job
from vanban.pipeline.ingest import IngestReport

MANIFESTS = "_batches"


def write_shards(result: BatchResult, out_dir: Path, order: str) -> Path:
    """Write one zstd Parquet file per non-empty table and the manifest; return the manifest path."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from vanban.pipeline.rows import arrow_schema

    out_dir = Path(out_dir)
    tables = []
    for table, rows in result.tables().items():
        if not rows:
            continue
        path = out_dir / table / f"{result.batch_id}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        pq.write_table(pa.Table.from_pylist(rows, schema=arrow_schema(table)), tmp, compression="zstd")
        os.replace(tmp, path)
        tables.append(table)
    manifest = {
        "batch_id": result.batch_id,
        "order": order,
        "tables": tables,
        "documents": [_summary(doc) for doc in result.documents],
    }
    path = out_dir / MANIFESTS / f"{order}-{result.batch_id}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)
    return path


def _summary(doc: DocumentOutcome) -> dict[str, Any]:
    counts = {table: len(rows) for table, rows in doc.rows.items() if rows}
    return {
        "path": doc.job.path,
        "source": doc.job.source,
        "doc_id": doc.job.sha256,
        "status": doc.status,
        "error": doc.error,
        "counts": counts,
    }


def manifests(shard_dir: Path) -> list[Path]:
    """Complete batches in the folder, in commit order."""
    folder = Path(shard_dir) / MANIFESTS
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.json") if not p.name.startswith("."))


def commit_batch(con: Any, shard_dir: Path, manifest_path: Path) -> list[DocumentOutcome]:
    """Load one batch in one transaction: delete its documents' rows, insert its shards.

    Returns the batch's documents (with row counts standing in for rows) for the
    run's report. Raises :class:`~vanban.errors.DatabaseError` after rolling back.
    """
    import duckdb

    from vanban.pipeline.loader import _TABLES, _delete_documents, _quote

    manifest = json.loads(Path(manifest_path).read_text(encoding="utf-8"))
    shard_dir = Path(shard_dir)
    con.begin()
    try:
        documents = manifest["documents"]
        _delete_documents(con, [doc["doc_id"] for doc in documents], [doc["source"] for doc in documents])
        for table in manifest["tables"]:
            cols = ", ".join(_quote(col) for col in _TABLES[table])
            path = shard_dir / table / f"{manifest['batch_id']}.parquet"
            con.execute(
                f"INSERT INTO {_quote(table)} ({cols}) SELECT {cols} FROM read_parquet(?)", [str(path)]
            )
    except duckdb.Error as err:
        con.rollback()
        raise DatabaseError(f"committing batch {manifest['batch_id']}: {err}") from err
    except BaseException:
        con.rollback()
        raise
    con.commit()
    return _documents(manifest)


def read_documents(manifest_path: Path | str) -> list[DocumentOutcome]:
    """The documents a manifest lists (row counts standing in for rows), for reports."""
    return _documents(json.loads(Path(manifest_path).read_text(encoding="utf-8")))


def _documents(manifest: dict[str, Any]) -> list[DocumentOutcome]:
    return [
        DocumentOutcome(
            job=Job(path=doc["path"], source=doc["source"], sha256=doc["doc_id"]),
            status=doc["status"],
            error=doc["error"],
            rows={table: [{}] * n for table, n in doc["counts"].items()},
        )
        for doc in manifest["documents"]
    ]


def commit(
    shard_dir: Path, db_path: Path, *, progress: Callable[[DocumentOutcome], None] | None = None
) -> IngestReport:
    """Commit every complete batch of ``shard_dir`` into ``db_path``, in order."""
    from vanban.pipeline.batch import count
    from vanban.pipeline.loader import open_db

    found = manifests(shard_dir)
    if not found:
        raise DatabaseError(f"{shard_dir}: no batches to commit (no {MANIFESTS}/*.json)")
    report = IngestReport()
    con = open_db(db_path)
    try:
        for path in found:
            for doc in commit_batch(con, shard_dir, path):
                count(report, doc)
                if progress is not None:
                    progress(doc)
    finally:
        con.close()
    report.failures.sort()
    return report


def parse_shard(spec: str) -> tuple[int, int]:
    """``"i/N"`` -> ``(i, N)`` with ``0 <= i < N``; ValueError otherwise."""
    index, _, total = spec.partition("/")
    i, n = int(index), int(total)
    if n < 1 or not 0 <= i < n:
        raise ValueError(f"--shard {spec}: expected i/N with 0 <= i < N")
    return i, n


def in_shard(job: Job, shard: tuple[int, int]) -> bool:
    """Whether a file belongs to shard ``i`` of ``N`` (by its source path, so every site agrees)."""
    import hashlib

    i, n = shard
    return int(hashlib.sha256(job.source.encode()).hexdigest()[:8], 16) % n == i


def iter_local(
    jobs: list[Job],
    out_dir: Path,
    *,
    batch_size: int,
    shard: tuple[int, int] = (0, 1),
    timeout_s: float,
    memory_mb: int,
    workers: int,
) -> Iterator[tuple[Path, BatchResult]]:
    """Extract ``jobs`` batch by batch on this machine and write their shards (``--parquet``)."""
    from vanban.pipeline.batch import chunks, extract_batch

    for seq, batch in enumerate(chunks(jobs, batch_size)):
        result = extract_batch(batch, timeout_s=timeout_s, memory_mb=memory_mb, workers=workers)
        yield write_shards(result, out_dir, order=f"{shard[0]:04d}-{seq:08d}"), result
