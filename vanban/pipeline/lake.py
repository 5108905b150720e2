"""``--lake URI``: DuckLake as a sink, when the ``lake`` extra's extension matches duckdb.

DuckLake's extension cannot be downloaded offline; it ships as the
``duckdb-extension-ducklake`` wheel, whose version must equal duckdb's. This
module only checks that; committing into a lake is not built yet, so a usable
extension still ends in a clear error rather than a half-written catalog.
"""

from __future__ import annotations

from importlib import metadata

from vanban.errors import VanbanError


class LakeUnavailable(VanbanError):
    """DuckLake cannot be used with this installation."""


def check_lake() -> None:
    """Raise :class:`LakeUnavailable` saying why ``--lake`` cannot run here."""
    duckdb_version = metadata.version("duckdb")
    try:
        ext_version = metadata.version("duckdb-extension-ducklake")
    except metadata.PackageNotFoundError:
        raise LakeUnavailable(
            "--lake needs the DuckLake extension: pip install 'vanban[lake]' "
            f"(duckdb-extension-ducklake=={duckdb_version}, the version of the installed duckdb)"
        ) from None
    if ext_version != duckdb_version:
        raise LakeUnavailable(
            f"--lake: duckdb-extension-ducklake {ext_version} does not match duckdb {duckdb_version}; "
            "install the extension of the same version, or use --parquet DIR and `vanban commit`"
        )
    raise LakeUnavailable(
        "--lake: writing to DuckLake is not supported by this vanban yet; "
        "use --parquet DIR and `vanban commit DIR --db FILE`"
    )
