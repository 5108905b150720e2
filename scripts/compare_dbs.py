"""Compare two vanban databases table by table, row for row (run-time columns left out).

Every table of the schema is read ordered by all its columns, except the
columns that say when a row was written (``loaded_at``), and compared; the
script prints one line per table and exits 1 when any differs::

    python scripts/compare_dbs.py before.duckdb after.duckdb
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Columns that record when, not what: they differ between any two runs.
RUN_TIME_COLUMNS = frozenset({"loaded_at"})


def table_rows(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every vanban table in ``db``, sorted, without run-time columns."""
    import duckdb

    from vanban.pipeline.rows import TABLES

    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for table, columns in TABLES.items():
            cols = ", ".join(f'"{c}"' for c in columns if c not in RUN_TIME_COLUMNS)
            out[table] = con.execute(f'SELECT {cols} FROM "{table}" ORDER BY ALL').fetchall()
        return out
    finally:
        con.close()


def differences(left: Path, right: Path) -> list[str]:
    """One line per table: its row counts, and whether the two databases agree on it."""
    a, b = table_rows(left), table_rows(right)
    lines = []
    for table in a:
        same = a[table] == b[table]
        detail = ""
        if not same:
            only_a = len(set(a[table]) - set(b[table]))
            only_b = len(set(b[table]) - set(a[table]))
            detail = f" ({only_a} rows only in the first, {only_b} only in the second)"
        lines.append(
            f"{'same' if same else 'DIFFERENT':<9} {table:<16} {len(a[table]):>7} {len(b[table]):>7}{detail}"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("first", type=Path)
    parser.add_argument("second", type=Path)
    args = parser.parse_args()
    lines = differences(args.first, args.second)
    print("\n".join(lines))
    sys.exit(0 if all(line.startswith("same") for line in lines) else 1)


if __name__ == "__main__":
    main()
