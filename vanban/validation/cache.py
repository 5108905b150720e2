"""A cache of findings, so re-validating unchanged files skips their extraction.

An entry is keyed by the file's content hash, the rule-set version (the rule
catalogue, the vanban version and the code that computes findings) and
everything else that changes a finding: the configuration, the budgets and
the database given with ``--db``. Entries live under ``$XDG_CACHE_HOME/vanban``
(else ``~/.cache/vanban``) or ``--cache-dir``, one JSON file each, written to a
temporary file and renamed into place, so two runs sharing the folder never
see half an entry. An entry that cannot be read or parsed is a miss, never an
error. Files that could not be read are not cached (a timeout may pass).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from vanban.validation.findings import Finding, ruleset_version

_FINDINGS = TypeAdapter(list[Finding])
_FORMAT = 1  # bumped when the entry layout changes


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/vanban``, else ``~/.cache/vanban``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "vanban"


@cache
def code_version() -> str:
    """A hash of the rule-set version and the source of the package that computes findings.

    The catalogue and the version number alone would keep stale findings
    across a change to a rule's code between releases; hashing the package's
    files (about a hundred, read once per process) costs milliseconds.
    """
    digest = hashlib.sha256(ruleset_version().encode())
    root = Path(__file__).resolve().parents[1]
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".toml") and path.is_file():
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def settings_key(*parts: Any) -> str:
    """A hash of the run's settings (configuration, budgets, database) as canonical JSON."""
    data = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{code_version()}\0{data}".encode()).hexdigest()


def file_digest(path: Path) -> str | None:
    """The sha256 of a regular file's content, or ``None`` when it cannot be read (then no caching)."""
    digest = hashlib.sha256()
    try:
        if not path.is_file():
            return None
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


class FindingsCache:
    """Findings by (file content, settings); see the module docstring."""

    def __init__(self, folder: Path, settings: str) -> None:
        self.folder = Path(folder) / "validate"
        self.settings = settings

    def _entry(self, content: str, source: str) -> Path:
        # The source is part of the key: per-file ignores and the findings' paths depend on it.
        key = hashlib.sha256(f"{content}\0{source}\0{self.settings}".encode()).hexdigest()
        return self.folder / key[:2] / f"{key}.json"

    def get(self, content: str, source: str) -> list[Finding] | None:
        """The cached findings of a file with this content hash, under ``source``; ``None`` on a miss."""
        try:
            data = json.loads(self._entry(content, source).read_text(encoding="utf-8"))
            if data.get("format") != _FORMAT:
                return None
            findings = _FINDINGS.validate_python(data["findings"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError, ValidationError):
            return None  # absent, half-written by a crashed older version, or edited: recompute
        return findings

    def put(self, content: str, source: str, findings: Sequence[Finding]) -> None:
        """Store the findings of a file with this content hash; a cache that cannot be written is skipped."""
        entry = self._entry(content, source)
        data = {"format": _FORMAT, "findings": [f.model_dump(mode="json") for f in findings]}
        tmp: str | None = None
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, ensure_ascii=False)
            os.replace(tmp, entry)  # atomic: a concurrent reader sees the old entry or the new one
            tmp = None
        except OSError:
            pass  # a read-only or full disk must not fail the lint
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
