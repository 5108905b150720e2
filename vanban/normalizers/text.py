"""Text cleanup: NFC, markup and whitespace, tone-placement folding, glued syllables.

Outputs keep the document's own spelling; :func:`fold` exists for matching only.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from vanban.extractors import legacy

# Old-style tone placement (hoà, uỷ) -> new style (hòa, ủy), for matching only.
_OLD_TONES = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}  # fmt: skip
# Only an open syllable moves its mark: "hoà" -> "hòa", but "hoàn" is right in both styles.
_OLD_TONE_RE = re.compile(f"(?:{'|'.join(_OLD_TONES)})(?!\\w)", re.IGNORECASE)
# 'qu' + tone on y is correct either way (quý, quỹ): do not refold after q.
_Q_GUARD = re.compile(r"(?<=q)")

_TAGS = re.compile(r"</?(?:i|b|u|em|strong|sup|sub)>", re.IGNORECASE)
# Markdown emphasis around words; a lone leading "* " is a bullet and stays.
_EMPHASIS = re.compile(r"(?<![\w*])\*{1,3}(?=\S)|(?<=\S)\*{1,3}(?![\w*])")
_SPACES = re.compile(r"[ \t\u00a0\u2002-\u200b\u202f\u3000]+")


def nfc(text: str) -> str:
    """Unicode NFC composition (decomposed input is common in copied text)."""
    return unicodedata.normalize("NFC", text)


_LEADING_STARS = re.compile(r"^[*\s]+(?=\S)")


def clean_line(text: str) -> str:
    """NFC, without inline HTML/Markdown emphasis, whitespace collapsed.

    A leading star that is a bullet (``* Nhiệm vụ``, ``*** Nhiệm vụ**``: a bullet
    plus bold) stays as ``* ``; stars that only mark emphasis go.
    """
    text = nfc(text)
    text = _TAGS.sub("", text)
    bullet = ""
    lead = _LEADING_STARS.match(text)
    if lead and "*" in lead.group(0) and (" " in lead.group(0) or lead.group(0).count("*") % 2):
        bullet, text = "* ", text[lead.end() :]
    text = bullet + _EMPHASIS.sub("", text)
    text = text.replace("\u00ad", "")
    return _SPACES.sub(" ", text).strip()


def fold_tones(text: str) -> str:
    """Rewrite old-style tone placement (``uỷ``, ``hoà``) in new style, case kept."""

    def swap(match: re.Match[str]) -> str:
        start = match.start()
        if start > 0 and match.string[start - 1] in "qQ":
            return match.group(0)
        old = match.group(0)
        new = _OLD_TONES[old.lower()]
        return new.upper() if old.isupper() else (new[0].upper() + new[1:] if old[0].isupper() else new)

    return _OLD_TONE_RE.sub(swap, text)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Matching key: NFC, new tone placement, lower case, dashes unified, spaces collapsed."""
    text = fold_tones(nfc(text)).lower()
    text = re.sub(r"[–—‐-]", "-", text)
    return _SPACES.sub(" ", text).strip()


def strip_marks(text: str) -> str:
    """ASCII skeleton without diacritics (đ -> d), for loose comparisons."""
    text = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in text if unicodedata.category(c) != "Mn")


# -- PDF text-layer repairs -------------------------------------------------
# PDF text layers of Vietnamese documents drop the space between syllables
# ("chủtrì", "Đảng uỷUBND xã", "Hội nghịtháng 3", "Chỉ thịsố50-CT/TW").
# A Vietnamese syllable is (onset) vowel-group (coda) with at most one tone mark,
# so a run with two vowel groups or two tone marks is two syllables glued.
_ONSETS = (
    "ngh", "ng", "nh", "ch", "tr", "th", "ph", "kh", "gh", "gi", "qu",
    "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
)  # fmt: skip
_VOWELS = frozenset("aăâeêioôơuưy")
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
# Letter runs a repair can change: a cut after a syllable of 2 letters or more leaves
# 3 letters at least, and a glued run is 4 at least (shorter runs stay as they are).
_RUN = re.compile(r"[^\W\d_]{3,}")
_WORD_DIGIT = re.compile(r"([^\W\d_])(?=\d)")
_STAMP = re.compile(r"^\d{1,2}-\d{1,2}-\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[+-]\d{2}:?\d{2})?$")


def _base(char: str) -> tuple[str, int]:
    """A letter without its tone mark (vowel shape kept) and how many tone marks it had."""
    parts = unicodedata.normalize("NFD", char)
    tones = sum(1 for c in parts if c in _TONES)
    return unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES)), tones


def is_syllable(word: str) -> bool:
    """Whether a letter run is one well-formed Vietnamese syllable (the grammar in
    ``resources/legacy_syllables.toml``, shared with encoding detection)."""
    return legacy.is_syllable(word)


def _onset_length(syllable: str) -> int:
    plain = "".join(_base(c)[0] for c in syllable)
    return max(
        (len(o) for o in _ONSETS if plain.startswith(o) and plain[len(o) : len(o) + 1] in _VOWELS), default=0
    )


def _segmentations(word: str, parts: int) -> list[list[str]]:
    """Every way to cut a lower-case run into at most ``parts`` syllables."""
    found = [[word]] if is_syllable(word) else []
    if parts > 1:
        for cut in range(1, len(word)):
            head = word[:cut]
            if is_syllable(head):
                found.extend([head, *rest] for rest in _segmentations(word[cut:], parts - 1))
    return found


def _split_glued(run: str) -> list[str] | None:
    """Split a letter run into 2-3 syllables when it is not one; None when no split works.

    Of the possible cuts the one giving the following syllables the longest
    onsets wins: ``chủtrì`` -> ``chủ trì`` (not ``chủt rì``), ``đềnghị`` -> ``đề nghị``.
    """
    lower = run.lower()
    if len(run) < 4 or run.isascii() or is_syllable(lower):
        return None
    options = [seg for seg in _segmentations(lower, 3) if len(seg) > 1]
    if not options:
        return None
    best = max(options, key=lambda seg: (sum(_onset_length(s) for s in seg[1:]), -len(seg)))
    pieces, at = [], 0
    for syllable in best:
        pieces.append(run[at : at + len(syllable)])
        at += len(syllable)
    return pieces


def _case_boundaries(run: str) -> list[int]:
    return [i for i in range(1, len(run)) if run[i - 1].islower() and run[i].isupper()]


def repair_spacing(text: str) -> str:
    """Put back spaces a PDF text layer dropped between syllables.

    Inserts a space at a lower->upper case change inside a word after a real
    syllable (``uỷUBND`` -> ``uỷ UBND``, ``sởChương`` -> ``sở Chương``), between a
    marked syllable and a number (``số50`` -> ``số 50``) and between glued
    syllables (``chủtrì`` -> ``chủ trì``). Runs without Vietnamese letters
    (``kWh``, ``iPhone``, ``website``) and well-formed syllables are left alone.
    """
    runs = _RUN.findall(text)
    # Nearly every run is a word already well formed: compare them through the cache
    # first (no Python call per word) and rewrite the line only when one changes.
    if not all(map(str.__eq__, runs, map(_fix_run, runs))):
        text = _RUN.sub(_fix_match, text)
    return _WORD_DIGIT.sub(_digit_gap, text)


def _fix_match(match: re.Match[str]) -> str:
    return _fix_run(match.group(0))


@lru_cache(maxsize=65536)
def _fix_run(run: str) -> str:
    """One letter run with its dropped spaces put back.

    Cached: a run is a word or a few glued syllables, and a language has few
    enough of them that nearly every run of a document was seen before.
    """
    pieces = []
    last = 0
    for boundary in _case_boundaries(run):
        head = run[last:boundary]
        if len(head) >= 2 and not head.isascii() and is_syllable(head.lower()):
            pieces.append(head)
            last = boundary
    pieces.append(run[last:])
    out = []
    for piece in pieces:
        split = _split_glued(piece) if piece[1:].islower() else None
        out.extend(split or [piece])
    return " ".join(out)


def _digit_gap(match: re.Match[str]) -> str:
    letter = match.group(1)
    return f"{letter} " if letter.islower() and not letter.isascii() else letter


def is_signature_stamp(text: str) -> bool:
    """A digital-signature time stamp (``13-11-2025 15:27:48 +07:00``): not content, not a date of the document."""
    return bool(_STAMP.match(text.strip()))
