"""``vanban ingest --parquet DIR [--shard i/N]`` without a cluster: shards written on this machine.

A site without a cluster runs shard ``i`` of ``N`` (files split by a hash of
their source path, so every site agrees without talking to the others), and
hands the folder on; ``vanban commit DIR --db FILE`` loads it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from vanban.pipeline.batch import DocumentOutcome, count, outside, plan
from vanban.pipeline.ingest import IngestReport


def ingest_parquet(
    paths: Sequence[Path],
    out_dir: Path,
    *,
    shard: tuple[int, int] = (0, 1),
    batch_size: int = 200,
    timeout_s: float = 120,
    memory_mb: int = 2048,
    workers: int = 1,
    progress: Callable[[DocumentOutcome], None] | None = None,
) -> IngestReport:
    """Extract the files of shard ``shard`` under ``paths`` into Parquet shards in ``out_dir``."""
    from vanban.pipeline.discover import discover
    from vanban.pipeline.shards import in_shard, iter_local

    out_dir = Path(out_dir)
    report = IngestReport()
    files = outside(discover(paths), out_dir)
    jobs = [job for job in plan(files, report) if in_shard(job, shard)]
    for _manifest, result in iter_local(
        jobs,
        out_dir,
        batch_size=batch_size,
        shard=shard,
        timeout_s=timeout_s,
        memory_mb=memory_mb,
        workers=workers,
    ):
        for doc in result.documents:
            count(report, doc)
            if progress is not None:
                progress(doc)
    report.failures.sort()
    return report
