"""Text integrity: how much of a text reads as well-formed Vietnamese.

A wrongly decoded document (TCVN3 read as cp1252: ``Uû ban nh©n d©n``; UTF-8
read as cp1252: ``Ä‘``; lost bytes: U+FFFD) still yields text, and every
later stage would quietly extract garbage from it. The score flags it:

    score = valid / (valid + invalid + replacement + mojibake)

where *valid*/*invalid* count word tokens that are/are not Vietnamese
syllables (the grammar of ``resources/legacy_syllables.toml``; single letters
and all-caps abbreviations such as ``UBND`` are not judged), *replacement*
counts U+FFFD characters and *mojibake* counts characters inside words that
no Vietnamese text has (Latin-1 symbols such as ``©``, letters such as ``Ñ``,
C1 control characters, stray combining marks).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from vanban.extractors.legacy import is_neutral, is_syllable, tokens

_REPLACEMENT = "\ufffd"
# C1 control characters: what UTF-8 read as Latin-1 leaves behind.
_C1 = re.compile("[\x80-\x9f]")
_TONES = "\u0300\u0301\u0303\u0309\u0323"


@dataclass(frozen=True)
class IntegrityReport:
    """Counts behind :func:`text_integrity`."""

    valid: int
    invalid: int
    replacement: int
    mojibake: int

    @property
    def score(self) -> float:
        """``valid / (valid + invalid + replacement + mojibake)``; 1.0 when there is nothing to judge."""
        total = self.valid + self.invalid + self.replacement + self.mojibake
        return self.valid / total if total else 1.0


# Which base letters each Vietnamese diacritic goes on.
_MARK_BASES = {
    "\u0302": "aeo",  # circumflex: â ê ô
    "\u0306": "a",  # breve: ă
    "\u031b": "ou",  # horn: ơ ư
    **{tone: "aeiouy" for tone in _TONES},
}


@cache
def _is_vietnamese_letter(char: str) -> bool:
    """ASCII letters, đ, and vowels carrying only diacritics Vietnamese puts on them (not û, ñ, ï)."""
    if char.isascii():
        return char.isalpha()
    if char in "đĐ":
        return True
    base, *marks = unicodedata.normalize("NFD", char.lower())
    if not (base.isascii() and base.isalpha()) or len(marks) > 2:
        return False
    return all(base in _MARK_BASES.get(mark, "") for mark in marks)


def _is_mojibake(char: str) -> bool:
    if char == _REPLACEMENT:
        return False  # counted on its own
    if unicodedata.category(char) == "Mn":
        return True  # a combining mark NFC could not attach to a letter
    return not _is_vietnamese_letter(char)


def integrity_report(text: str) -> IntegrityReport:
    """Count valid and invalid syllables, U+FFFD and mojibake characters in ``text``."""
    text = unicodedata.normalize("NFC", text)
    valid = invalid = mojibake = 0
    # No whitespace character is a word character, so the tokens of the text are the
    # tokens of its whitespace-separated chunks; a document repeats few distinct chunks.
    for chunk in text.split():
        counts = _chunk_counts(chunk)
        valid += counts[0]
        invalid += counts[1]
        mojibake += counts[2]
    mojibake += len(_C1.findall(text))
    return IntegrityReport(
        valid=valid, invalid=invalid, replacement=text.count(_REPLACEMENT), mojibake=mojibake
    )


@lru_cache(maxsize=65_536)
def _chunk_counts(chunk: str) -> tuple[int, int, int]:
    """``(valid, invalid, mojibake)`` of the word tokens of one whitespace-free chunk."""
    valid = invalid = mojibake = 0
    for token in tokens(chunk):
        mojibake += sum(1 for c in token if _is_mojibake(c))
        if is_syllable(token):
            valid += 1
        elif not is_neutral(token):
            invalid += 1
    return valid, invalid, mojibake


def text_integrity(text: str) -> float:
    """Share of well-formed Vietnamese in ``text``, in [0, 1] (see the module docstring)."""
    return round(integrity_report(text).score, 4)
