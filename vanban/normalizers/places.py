"""Localities and provinces after the July-2025 merger (34 provinces, 3,321 communes).

Backed by the ``vietnam-provinces`` package, which bundles the official code
list (Công văn 1027/CTK-CSCL) and works offline. It has no name search, so a
folded-name index is built once, lazily.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from pydantic import BaseModel

from vanban.normalizers.text import fold

_LOCAL_KINDS = ("phường", "xã", "đặc khu")
_NAME = r"[^\W\d_][^\s,.;:()“”\"]*"
_LOCALITY_RE = re.compile(rf"\b(phường|xã|đặc khu|Phường|Xã|Đặc khu)\s+((?:{_NAME})(?:\s+{_NAME}){{0,3}})")
_PROVINCE_RE = re.compile(
    rf"\b(tỉnh|thành phố|Tỉnh|Thành phố|TỈNH|THÀNH PHỐ)\s+((?:{_NAME})(?:\s+{_NAME}){{0,2}})"
)


class Locality(BaseModel):
    """A commune, ward or special zone with its province."""

    kind: str  # phường / xã / đặc khu
    name: str  # "Uông Bí"
    province: str  # "Quảng Ninh"

    @property
    def label(self) -> str:
        return f"{self.kind} {self.name}"


def _strip_prefix(name: str, prefixes: tuple[str, ...]) -> str:
    for prefix in prefixes:
        if name.lower().startswith(prefix + " "):
            return name[len(prefix) + 1 :]
    return name


@cache
def _provinces() -> dict[str, str]:
    from vietnam_provinces import Province

    index = {}
    for province in Province.iter_all():
        short = _strip_prefix(province.name, ("tỉnh", "thành phố"))
        index[fold(short)] = short
    return index


@cache
def _wards() -> dict[str, list[tuple[str, str]]]:
    from vietnam_provinces import Province, Ward

    provinces = {p.code: _strip_prefix(p.name, ("tỉnh", "thành phố")) for p in Province.iter_all()}
    index: dict[str, list[tuple[str, str]]] = {}
    for ward in Ward.iter_all():
        kind = ward.division_type.value
        short = _strip_prefix(ward.name, _LOCAL_KINDS)
        index.setdefault(fold(f"{kind} {short}"), []).append((short, provinces[ward.province_code]))
    return index


def _capitalised(words: list[str]) -> list[str]:
    """Leading words of a proper name (each starts upper case or is a number: "Phường 1")."""
    kept = []
    for word in words:
        if not (word[0].isupper() or word.isdigit()):
            break
        kept.append(word)
    return kept


def find_provinces(text: str) -> Counter[str]:
    """Province names mentioned as ``tỉnh X`` / ``thành phố X``, counted."""
    index = _provinces()
    counts: Counter[str] = Counter()
    for match in _PROVINCE_RE.finditer(text):
        words = _capitalised(match.group(2).split())
        for n in range(len(words), 0, -1):
            hit = index.get(fold(" ".join(words[:n])))
            if hit:
                counts[hit] += 1
                break
    return counts


def find_locality(text: str) -> Locality | None:
    """The commune/ward the text is about: the most-mentioned real one.

    Ward names repeat across provinces, so a province named in the text breaks ties.
    """
    index = _wards()
    provinces = find_provinces(text)
    counts: Counter[tuple[str, str]] = Counter()
    for match in _LOCALITY_RE.finditer(text):
        kind = match.group(1).lower()
        words = _capitalised(match.group(2).split())
        for n in range(len(words), 0, -1):
            name = " ".join(words[:n])
            if fold(f"{kind} {name}") in index:
                counts[(kind, name)] += 1
                break
    for (kind, name), _ in counts.most_common():
        options = index[fold(f"{kind} {name}")]
        named = [o for o in options if o[1] in provinces]
        if named:
            return Locality(kind=kind, name=options[0][0], province=named[0][1])
        if len(options) == 1:
            return Locality(kind=kind, name=options[0][0], province=options[0][1])
    return None


def find_province(text: str, locality: Locality | None = None) -> str | None:
    """The province: the locality's, else the most-mentioned province name."""
    if locality is not None:
        return locality.province
    counts = find_provinces(text)
    return counts.most_common(1)[0][0] if counts else None
