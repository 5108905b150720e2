"""Offset maps: where each character of a cleaned paragraph sits in the extracted text.

Cleaning joins wrapped lines, collapses spaces, drops markup and signature
stamps and puts back spaces a PDF text layer lost, so a paragraph's text is no
slice of the extracted text. Aligning the two character by character keeps
every span exact: a character maps to its extracted twin, an inserted space
to the character after it.
"""

from __future__ import annotations

from vanban.schemas.blocks import Provenance

# Extracted characters cleaning removes (markup stars, soft hyphens, spacing).
_DROPPED = frozenset("*\u00ad\u200b<>/ibu")
_RESYNC_WINDOW = 48
_RESYNC_PROBE = 3


def _extracted(text: str, provs: list[Provenance]) -> tuple[str, list[int]]:
    """The extracted characters of the lines a paragraph came from, with their positions."""
    chars: list[str] = []
    positions: list[int] = []
    for prov in provs:
        if prov.start is None or prov.end is None:
            continue
        if chars:  # the line break between two joined lines
            chars.append(" ")
            positions.append(prov.start)
        chars.extend(text[prov.start : prov.end])
        positions.extend(range(prov.start, prov.end))
    return "".join(chars), positions


def _common_run(a: str, i: int, b: str, j: int) -> int:
    """Length of the longest common prefix of ``a[i:]`` and ``b[j:]`` (slice comparisons, in C)."""
    low, high = 0, min(len(a) - i, len(b) - j)
    while low < high:  # a[i:i+low] == b[j:j+low]; beyond high they differ
        mid = (low + high + 1) // 2
        if a[i + low : i + mid] == b[j + low : j + mid]:
            low = mid
        else:
            high = mid - 1
    return low


def align(clean: str, extracted: str, provs: list[Provenance]) -> tuple[int, ...]:
    """For each character of ``clean``, its position in ``extracted`` (the whole extracted text)."""
    chars, positions = _extracted(extracted, provs)
    if not chars:
        return ()
    out: list[int] = []
    i = j = 0
    n = len(chars)
    while i < len(clean):
        c = clean[i]
        if j < n and chars[j] == c:
            # Most of a paragraph is its extracted text unchanged: take the whole equal run at once.
            run = _common_run(clean, i, chars, j)
            out.extend(positions[j : j + run])
            i += run
            j += run
        elif c == " ":
            out.append(positions[min(j, n - 1)])
            i += 1
        elif j < n and (chars[j].isspace() or chars[j] in _DROPPED):
            j += 1
        else:
            probe = clean[i : i + _RESYNC_PROBE]
            found = chars.find(probe, j, j + _RESYNC_WINDOW) if len(probe) == _RESYNC_PROBE else -1
            if found > j:
                j = found
                continue
            out.append(positions[min(j, n - 1)])  # a character cleaning rewrote (NFC, dashes)
            i += 1
            j += 1
    return tuple(out)
