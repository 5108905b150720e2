"""The date grammar skips a pattern whose required words are absent from a text; the
atoms found must be exactly those of running every pattern on every text."""

from __future__ import annotations

import tomllib
from pathlib import Path

from vanban.normalizers import dates

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"


def _every_pattern(folded: str, ref_year: int | None) -> list:
    """The atom scan without the required-word filter (the reference)."""
    taken: list[tuple[int, int]] = []
    atoms = []
    for pattern in dates._patterns():
        for m in pattern.regex.finditer(folded):
            if m.end() == m.start() or any(m.start() < b and a < m.end() for a, b in taken):
                continue
            atom = dates._build(pattern.name, m, folded, ref_year)
            if atom is None:
                continue
            taken.append((atom.start, atom.end))
            atoms.append(atom)
    return sorted(atoms, key=lambda a: a.start)


def _texts() -> list[str]:
    cases = tomllib.loads((ROOT / "tests/cases/dates.toml").read_text(encoding="utf-8"))
    texts = [form for case in cases.get("cases", []) for form in case.get("forms", [])]
    texts += [form for forms in cases.get("negative", {}).values() for form in forms]
    for path in sorted((SHARED / "seeds").glob("*.txt")) + sorted((SHARED / "corpus").glob("*/*.txt")):
        texts.extend(path.read_text(encoding="utf-8", errors="replace").splitlines())
    return texts


def test_prefilter_keeps_every_atom() -> None:
    texts = _texts()
    assert len(texts) > 100
    for text in texts:
        folded = dates._fold(text)
        for ref_year in (2026, None):
            assert dates._atoms(folded, ref_year) == _every_pattern(folded, ref_year), text


def test_every_required_word_names_a_pattern() -> None:
    names = {pattern.name for pattern in dates._patterns()}
    assert set(dates._REQUIRED) <= names
