"""A baseline of accepted findings, so an existing archive can adopt the linter.

``vanban validate PATH --write-baseline FILE`` records the current findings;
``vanban validate PATH --baseline FILE`` then reports only findings that are
not in it. The file is JSON, sorted so it diffs well under version control::

    {
     "vanban_baseline": 1,
     "findings": [
      {"fingerprint": "3f2a9c0d1e4b5a67", "code": "VB305", "source": "docs/ct-2026.txt",
       "excerpt": "…Nghị quyết số 71-NQ/TW ngày 22/8/2026…", "count": 1}
     ]
    }

A finding is matched by its fingerprint (:attr:`~vanban.validation.findings.Finding.fingerprint`:
code, source path and excerpt, not the line), so text inserted above it keeps it
suppressed, while a new occurrence of the same problem elsewhere is reported.
``count`` is how many findings share the fingerprint; the same excerpt found
once more than recorded is new. ``code``, ``source`` and ``excerpt`` are for the
reader; only ``fingerprint`` and ``count`` are used.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from vanban.errors import VanbanError
from vanban.validation.findings import Finding

FORMAT_VERSION = 1


class BaselineError(VanbanError):
    """A baseline file that cannot be read or is not a vanban baseline."""


def baseline_json(findings: Sequence[Finding]) -> str:
    """The baseline recording ``findings``, as JSON text."""
    counts = Counter(f.fingerprint for f in findings)
    first: dict[str, Finding] = {}
    for finding in findings:
        first.setdefault(finding.fingerprint, finding)
    rows = [
        {"fingerprint": key, "code": f.code, "source": f.source, "excerpt": f.excerpt, "count": counts[key]}
        for key, f in sorted(first.items(), key=lambda item: (item[1].source, item[1].code, item[0]))
    ]
    data = {"vanban_baseline": FORMAT_VERSION, "findings": rows}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def write_baseline_file(path: Path, findings: Sequence[Finding]) -> None:
    """Write the baseline of ``findings`` to ``path``; :class:`BaselineError` when it cannot be written."""
    try:
        Path(path).write_text(baseline_json(findings), encoding="utf-8")
    except OSError as err:
        raise BaselineError(f"{path}: cannot write the baseline ({err.strerror})") from err


def read_baseline(path: Path) -> Counter[str]:
    """How many findings of each fingerprint the baseline at ``path`` accepts."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise BaselineError(f"{path}: no such baseline (write one with --write-baseline {path})") from err
    except (OSError, UnicodeDecodeError) as err:
        raise BaselineError(f"{path}: cannot read the baseline ({err})") from err
    except ValueError as err:
        raise BaselineError(f"{path}: not a vanban baseline (invalid JSON: {err})") from err
    if not isinstance(data, dict) or data.get("vanban_baseline") != FORMAT_VERSION:
        raise BaselineError(
            f"{path}: not a vanban baseline of format {FORMAT_VERSION} (write one with --write-baseline)"
        )
    accepted: Counter[str] = Counter()
    for row in data.get("findings") or []:
        if not isinstance(row, dict) or not isinstance(row.get("fingerprint"), str):
            raise BaselineError(f"{path}: a baseline row without a fingerprint: {row!r}")
        count = row.get("count", 1)
        accepted[row["fingerprint"]] += count if isinstance(count, int) and count > 0 else 1
    return accepted


def new_findings(findings: Sequence[Finding], accepted: Counter[str]) -> list[Finding]:
    """``findings`` minus those the baseline accepts (each fingerprint up to its count), in order."""
    left = Counter(accepted)
    kept = []
    for finding in findings:
        if left[finding.fingerprint] > 0:
            left[finding.fingerprint] -= 1
        else:
            kept.append(finding)
    return kept
