"""Repairs of typical Tesseract slips in Vietnamese administrative text.

Pure functions, applied only to text read by OCR. Each fixes one kind of slip
where the intended text is unambiguous: the look-alike ``Ð`` (U+00D0) for
``Đ``, remnants of table borders (``|``, ``__``), a glued abbreviation
(``HĐNDvà``), punctuation invented after a period word (``Tháng: 01/2026``),
letters read for digits in dates (``O1/2026``, ``l5/01/2026``) and symbols
(``S7-NQ/TVV``), and marks misread inside a known unit name (``Xã hồi`` in
``Phòng Văn hóa - Xã hồi``). Everything else is left as the document has it.
"""

from __future__ import annotations

import itertools
import re
from functools import cache

from vanban.normalizers.text import fold, strip_marks
from vanban.normalizers.units import fold_for_matching
from vanban.resources import load_toml

# Look-alike characters Tesseract picks from other scripts.
_LOOKALIKES = str.maketrans({"\u00d0": "Đ", "\u00f0": "đ", "\u0110": "Đ", "\u2044": "/", "\u2215": "/"})
# Table-border remnants: bars anywhere; underscores and "¬" that do not sit inside a word.
_BARS = re.compile(r"[|¦¬]")
_EDGE_UNDERSCORES = re.compile(r"(?<!\w)_+|_+(?!\w)")
_SPACES = re.compile(r"[ \t]{2,}")
_SPACE_BEFORE_PUNCT = re.compile(r" +(?=[,;.:)](?:\s|$))")

# "Tháng: 01/2026", "Quý; I/2026": no punctuation belongs between a period word and its month/year
# ("6 tháng, 9 tháng" keeps its comma: no month/year follows).
_PERIOD_PUNCT = re.compile(
    r"\b(Tháng|THÁNG|tháng|Quý|QUÝ|quý)\s*[:;]\s*(?=(?:\d{1,2}|[IV]{1,3})/\d{4}(?!\d))"
)

# Characters Tesseract reads for digits, and the digits they stand for.
_DIGIT_FOR = str.maketrans({"O": "0", "o": "0", "D": "0", "l": "1", "I": "1", "i": "1", "S": "5"})
_D = r"[0-9OoDlIiS]"
_DATE = re.compile(rf"(?<![\w/.-])({_D}{{1,2}})\s?/\s?({_D}{{1,2}})\s?/\s?({_D}{{4}})(?![\w/])")
_MONTH_YEAR = re.compile(rf"(?<![\w/.-])({_D}{{1,2}})/({_D}{{4}})(?![\w/])")
# "03/1 1/2026": a space inside a two-digit month or day.
_SPLIT_DATE = re.compile(
    r"(?<![\w/])(\d{1,2})/(\d) (\d)/(\d{4})(?![\w/])|(?<![\w/])(\d) (\d)/(\d{1,2})/(\d{4})(?![\w/])"
)

# A document symbol: number, then type/issuer codes joined by "-" and "/".
_SYMBOL = re.compile(rf"(?<![\w/])({_D}{{1,4}})(?=[-/][A-ZĐ])([-/][A-Za-zĐđƯư0-9]+(?:[-/][A-Za-zĐđƯư0-9]+)*)")

# "VV" inside a code after "-" or "/" ("NQ/TVV"): Tesseract's reading of "W".
_VV = re.compile(r"(?<=[-/])(?=[A-ZĐ]*VV)([A-ZĐ]*?)VV")


def repair(text: str) -> str:
    """All repairs, in an order where each sees the output of the previous one."""
    text = fix_lookalikes(text)
    text = strip_border_marks(text)
    text = split_glued_abbreviations(text)
    text = fix_period_punctuation(text)
    text = fix_dates(text)
    text = fix_symbols(text)
    return fix_unit_names(text)


def fix_lookalikes(text: str) -> str:
    """``Ð`` (Icelandic eth) -> ``Đ``, fraction slash -> ``/``."""
    return text.translate(_LOOKALIKES)


def strip_border_marks(text: str) -> str:
    """Drop ``|`` and stray underscores left by table borders; keep ``snake_case`` words."""
    if not any(c in text for c in "|¦¬_"):
        return text
    text = _EDGE_UNDERSCORES.sub("", _BARS.sub(" ", text))
    text = _SPACE_BEFORE_PUNCT.sub("", _SPACES.sub(" ", text))
    return text.strip()


def split_glued_abbreviations(text: str) -> str:
    """Put back the space OCR lost at an abbreviation: ``HĐNDvà`` -> ``HĐND và``, ``phòngHĐND`` -> ``phòng HĐND``.

    Tokens with digits, ``/`` or ``-`` are symbols (``CTr-UBND``, ``QĐ-TTg``) and stay as they are.
    """
    return re.sub(r"\S{4,}", _split_token, text)


def _split_token(match: re.Match[str]) -> str:
    token = match.group(0)
    if any(c.isdigit() or c in "/-" for c in token):
        return token
    cuts = []
    for i in range(2, len(token) - 1):
        before, here, after = token[i - 1], token[i], token[i + 1]
        lower_then_caps = before.islower() and token[i - 2].islower() and here.isupper() and after.isupper()
        caps_then_word = (
            i >= 3 and all(c.isupper() for c in token[i - 3 : i]) and here.islower() and after.islower()
        )
        if lower_then_caps or caps_then_word:
            cuts.append(i)
    for i in reversed(cuts):
        token = f"{token[:i]} {token[i:]}"
    return token


def fix_period_punctuation(text: str) -> str:
    """``Tháng: 01/2026`` -> ``Tháng 01/2026``."""
    return _PERIOD_PUNCT.sub(r"\1 ", text)


def _digits(part: str) -> str:
    return part.translate(_DIGIT_FOR)


def _plausible(day: str | None, month: str, year: str) -> bool:
    if not (day is None or day.isdigit()) or not (month.isdigit() and year.isdigit()):
        return False
    return (day is None or 1 <= int(day) <= 31) and 1 <= int(month) <= 12 and 1900 <= int(year) <= 2100


def _real_digits(*parts: str) -> int:
    return sum(c.isdigit() for part in parts for c in part)


def fix_dates(text: str) -> str:
    """Letters read for digits in a date (``O1/2026``, ``l5/01/2026``) and spaces inside one.

    A match is rewritten only when it becomes a valid date and most of it was
    digits already, so words such as ``IS/...`` are never touched.
    """

    def full(m: re.Match[str]) -> str:
        day, month, year = (_digits(g) for g in m.groups())
        if _real_digits(m.group(2)) == 0 or _real_digits(*m.groups()) < 5 or not _plausible(day, month, year):
            return m.group(0)
        return f"{day}/{month}/{year}"

    def month_year(m: re.Match[str]) -> str:
        month, year = (_digits(g) for g in m.groups())
        # "Quý II/2026" is a quarter: the month must hold a real digit.
        if not _real_digits(m.group(1)) or _real_digits(*m.groups()) < 4 or not _plausible(None, month, year):
            return m.group(0)
        return f"{month}/{year}"

    def split(m: re.Match[str]) -> str:
        g = m.groups()
        if g[0] is not None:
            day, month, year = g[0], g[1] + g[2], g[3]
        else:
            day, month, year = g[4] + g[5], g[6], g[7]
        return f"{day}/{month}/{year}" if _plausible(day, month, year) else m.group(0)

    text = _DATE.sub(full, text)
    text = _MONTH_YEAR.sub(month_year, text)
    return _SPLIT_DATE.sub(split, text)


def fix_symbols(text: str) -> str:
    """Slips in document symbols: ``S7-NQ/TW`` -> ``57-NQ/TW``, ``57-NQ/TVV`` -> ``57-NQ/TW``.

    Only the number (letters for digits, when it holds a real digit) and the
    ``VV`` that stands for ``W`` (no Vietnamese code has two V) are changed.
    """

    def number(m: re.Match[str]) -> str:
        digits, codes = m.groups()
        return _digits(digits) + codes if any(c.isdigit() for c in digits) else m.group(0)

    def codes(m: re.Match[str]) -> str:
        token = m.group(0)
        if not any(c.isdigit() for c in token):
            return token
        return _undouble_issuer(_VV.sub(r"\1W", token) if "VV" in token else token)

    return re.sub(r"\S+[-/]\S+", codes, _SYMBOL.sub(number, text))


@cache
def _issuer_codes() -> frozenset[str]:
    """Every issuer code of the symbol grammar (``ĐU``, ``UBND``, ``TW`` ...)."""
    data = load_toml("symbols")
    return frozenset(
        entry["code"] for key in ("issuer", "issuers") for entry in data.get(key, []) if "code" in entry
    )


def _undouble_issuer(token: str) -> str:
    """A letter read twice in a symbol's issuer code: ``15-CTr/ĐĐU`` -> ``15-CTr/ĐU``, ``37/KH-UBBND`` -> ``37/KH-UBND``.

    Only when the code is unknown and the code without the repeated letter is known.
    """
    match = _LAST_CODE.search(token)
    if match is None or match.group(0) in _issuer_codes():
        return token
    code = match.group(0)
    for i in range(1, len(code)):
        if code[i] == code[i - 1] and code[:i] + code[i + 1 :] in _issuer_codes():
            return token[: match.start()] + code[:i] + code[i + 1 :] + token[match.end() :]
    return token


# The issuer code a symbol ends with, after its last "/" or "-".
_LAST_CODE = re.compile(r"(?<=[/-])[A-ZĐ]{2,10}(?=[.,;)]*$)")


# --------------------------------------------------------------------------- unit names


@cache
def _unit_phrases() -> dict[tuple[str, ...], list[tuple[str, ...]]]:
    """Gazetteer names as words, indexed by the mark-free skeleton of their words."""
    data = load_toml("units")
    cap_words = ("phường", "xã")  # the "{cap}" of canonical names
    names: list[str] = []
    for unit in data["units"]:
        canonical = unit["canonical"]
        names.extend(canonical.replace("{cap}", cap) for cap in cap_words)
        names.extend(unit.get("aliases", ()))
    phrases: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for name in names:
        words = tuple(_WORD.findall(name))
        if len(words) < 2:
            continue
        key = tuple(strip_marks(w).lower() for w in words)
        phrases.setdefault(key, [])
        if words not in phrases[key]:
            phrases[key].append(words)
    return phrases


_WORD = re.compile(r"[^\W\d_]+")


@cache
def _max_len() -> int:
    return max((len(k) for k in _unit_phrases()), default=0)


def fix_unit_names(text: str) -> str:
    """Misread tone marks inside a gazetteer unit name: ``Phòng Văn hóa - Xã hồi`` -> ``... Xã hội``.

    A run of words whose mark-free letters spell a known name, differing from it
    in the marks of at most one word in three, takes the gazetteer's marks; the
    case of each word and all punctuation between words stay as written.
    """
    words = list(_WORD.finditer(text))
    if len(words) < 2:
        return text
    phrases = _unit_phrases()
    replacements: list[tuple[int, int, str]] = []
    i = 0
    while i < len(words):
        matched = 0
        for n in range(min(_max_len(), len(words) - i), 1, -1):
            span = words[i : i + n]
            if any(_gap(text, a, b) for a, b in itertools.pairwise(span)):
                continue
            key = tuple(strip_marks(w.group(0)).lower() for w in span)
            candidates = phrases.get(key)
            if not candidates:
                continue
            fixes = _closest(span, candidates)
            if fixes is not None:
                replacements.extend(fixes)
                matched = n
                break
        i += matched or 1
    for start, end, new in reversed(replacements):
        text = text[:start] + new + text[end:]
    return text


def _gap(text: str, a: re.Match[str], b: re.Match[str]) -> bool:
    """Whether two words are too far apart to belong to one name (other than spaces, "-", ",", "&")."""
    between = text[a.end() : b.start()]
    return bool(re.search(r"[^\s,\-–&]", between)) or len(between) > 4


def _closest(
    span: list[re.Match[str]], candidates: list[tuple[str, ...]]
) -> list[tuple[int, int, str]] | None:
    """Word replacements toward the candidate with the fewest mark differences, if few enough."""
    best: tuple[int, tuple[str, ...]] | None = None
    for words in candidates:
        wrong = sum(fold(w.group(0)) != fold(c) for w, c in zip(span, words, strict=True))
        if best is None or wrong < best[0]:
            best = (wrong, words)
    if best is None or best[0] == 0 or best[0] * 3 > len(span):
        return None
    out = []
    for w, c in zip(span, best[1], strict=True):
        written = w.group(0)
        if fold_for_matching(written) == fold_for_matching(c):
            continue
        out.append((w.start(), w.end(), _case_like(written, c)))
    return out


def _case_like(written: str, word: str) -> str:
    """``word`` in the case pattern of ``written`` (all caps, capitalised or lower)."""
    if written.isupper() and len(written) > 1:
        return word.upper()
    if written[:1].isupper():
        return word[:1].upper() + word[1:].lower()
    return word.lower()
