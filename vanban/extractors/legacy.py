"""Legacy Vietnamese encodings: detect them and convert to NFC Unicode.

Before Unicode, Vietnamese documents were typed in font encodings that reuse
the cp1252 code points: **TCVN3** (ABC, ``.VnTime`` fonts, one byte per letter,
no capital toned vowels), **VNI-Windows** (``VNI-Times`` fonts, a base letter
followed by a mark byte) and the 7-bit **VIQR** (``Tie^'ng Vie^.t``). Unicode
text also arrives decomposed: fully (**NFD**) or as UniKey's "Unicode tổ hợp"
(precomposed base letter + one combining tone mark), and Windows-1258 puts the
tone in a combining mark too.

Nothing in the bytes says which one a file uses (declared charsets lie), so
each plausible decoding is scored by the share of its words that are valid
Vietnamese syllables (:func:`syllable_share`, a grammar from
``resources/legacy_syllables.toml``) and the best wins. DOCX runs carry a
stronger signal, the font name (:func:`font_encoding`).

The mapping tables live in ``resources/legacy_{tcvn3,vni,viqr}.toml``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from vanban.resources import load_toml

Encoding = str  # "utf-8", "tcvn3", "vni", "viqr", "nfd", "tohop", "cp1258", ...

#: Characters scored per candidate decoding; a document's first pages decide.
SAMPLE_CHARS = 30_000
#: A UTF-8 text is re-read as a legacy encoding only when that is this much better.
_MIN_GAIN = 0.2

_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
_SHAPE_MARKS = "\u0302\u0306\u031b"
# What ends the text before a sentence (or list item) starts.
_SENTENCE_END = re.compile(r"(?:[.!?…]|\n[ \t]*(?:[-+•*]|\d+[.)]|[a-zđ]\)|[IVXLC]+\.))\s*$")
_EDGE_PUNCTUATION = "\"'()[]{}<>,;:.!?…“”‘’«»-–—/*+&%$#@=_|\\`~^"
_LETTER_RUN = re.compile(r"[^\W\d_]+")
_VIQR = re.compile(
    r"\\([(^+*'`?~.\\])"  # escaped mark: keep it literal
    r"|(?<![^\W\d_])(dd|DD|Dd)"  # đ only starts a syllable
    r"|([aeiouyAEIOUY])([(^+*])?(['`?~.])?"
)


# -- syllable grammar --------------------------------------------------------


@dataclass(frozen=True)
class _Grammar:
    onsets: tuple[str, ...]  # longest first
    rhymes: frozenset[str]
    stop_codas: tuple[str, ...]
    stop_tones: frozenset[str]
    front_only: frozenset[str]
    back_only: frozenset[str]
    front_vowels: frozenset[str]


@cache
def _grammar() -> _Grammar:
    data = load_toml("legacy_syllables")
    return _Grammar(
        onsets=tuple(sorted(data["onsets"], key=len, reverse=True)),
        rhymes=frozenset(data["rhymes"]),
        stop_codas=tuple(data["stop_codas"]),
        stop_tones=frozenset(data["stop_tones"]),
        front_only=frozenset(data["front_only_onsets"]),
        back_only=frozenset(data["back_only_onsets"]),
        front_vowels=frozenset(data["front_vowels"]),
    )


@lru_cache(maxsize=65_536)
def is_syllable(word: str) -> bool:
    """Whether ``word`` is a well-formed Vietnamese syllable (any case, NFC or NFD).

    Onset + rhyme from the grammar, at most one tone mark, stop-final rhymes
    only with sắc/nặng, and the k/gh/ngh vs c/g/ng spelling rules.
    """
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [c for c in decomposed if c in _TONE_MARKS]
    if len(tones) > 1:
        return False
    tone = tones[0] if tones else ""
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
    grammar = _grammar()
    if tone not in grammar.stop_tones and bare.endswith(grammar.stop_codas):
        return False
    for onset in grammar.onsets:
        if not bare.startswith(onset):
            continue
        rhyme = bare[len(onset) :]
        if rhyme not in grammar.rhymes:
            continue
        front = rhyme[0] in grammar.front_vowels
        if (onset in grammar.front_only and not front) or (onset in grammar.back_only and front):
            continue
        return True
    return False


def _word_char(char: str) -> bool:
    """Letters, combining marks, Latin-1 symbols (the stuff of mojibake) and U+FFFD stay in a token."""
    if char == "\ufffd":
        return True
    if "\u00a1" <= char <= "\u00ff" and char != "\u00d7" and char != "\u00f7":
        return True
    return unicodedata.category(char)[0] in "LM"


def tokens(text: str) -> list[str]:
    """Word-like tokens: maximal runs of letters, marks and Latin-1 symbols."""
    out: list[str] = []
    current: list[str] = []
    for char in text:
        if _word_char(char):
            current.append(char)
        elif current:
            out.append("".join(current))
            current = []
    if current:
        out.append("".join(current))
    return out


def is_neutral(token: str) -> bool:
    """Tokens a syllable count should not judge: single letters, all-caps abbreviations (UBND, XVI)."""
    letters = [c for c in token if c.isalpha()]
    if len(letters) <= 1:
        return token.isalpha()
    return token.isupper() and all(c.isascii() or c in "ĐƠƯĂÂÊÔ" for c in token)


def syllable_counts(text: str) -> tuple[int, int]:
    """``(valid, invalid)`` judged tokens of ``text`` (NFC first)."""
    valid = invalid = 0
    for token in tokens(unicodedata.normalize("NFC", text)):
        if is_syllable(token):
            valid += 1
        elif not is_neutral(token):
            invalid += 1
    return valid, invalid


def syllable_share(text: str) -> float:
    """Share of judged tokens that are valid syllables (0.0 when nothing is judged)."""
    valid, invalid = syllable_counts(text)
    return valid / (valid + invalid) if valid + invalid else 0.0


# -- tables ---------------------------------------------------------------------


def _byte_char(byte: int) -> str:
    """The character a byte becomes when legacy-font text is read as cp1252 (latin-1 for its holes)."""
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


def _key(hex_bytes: str) -> str:
    return "".join(_byte_char(b) for b in bytes.fromhex(hex_bytes))


@cache
def _tcvn3() -> tuple[dict[str, str], frozenset[str]]:
    """TCVN3 char map, and the lower-case toned letters whose capital shares their code."""
    data = load_toml("legacy_tcvn3")
    table: dict[str, str] = {}
    for section in ("decode", "vn1_capitals", "combining"):
        table.update({_key(k): v for k, v in data[section].items()})
    caseless = frozenset(
        v for v in data["decode"].values() if any(m in unicodedata.normalize("NFD", v) for m in _TONE_MARKS)
    )
    return table, caseless


@cache
def _vni() -> dict[str, str]:
    return {_key(k): v for k, v in load_toml("legacy_vni")["decode"].items()}


@cache
def _viqr() -> tuple[dict[str, str], dict[str, str]]:
    data = load_toml("legacy_viqr")
    return dict(data["shapes"]), dict(data["tones"])


# -- decoders -------------------------------------------------------------------


def single_byte_text(data: bytes) -> str:
    """Bytes as cp1252 characters (latin-1 for the five holes): the form legacy-font text takes."""
    return (
        "".join(_byte_char(b) for b in data)
        if any(0x80 <= b < 0xA0 for b in data)
        else data.decode("latin-1")
    )


def decode_tcvn3(text: str, *, upper: bool = False) -> str:
    """Convert TCVN3 text (bytes read as cp1252) to NFC Unicode.

    ABC fonts have no capital toned vowels: ``TRỌNG`` is stored as ``TR`` +
    the code of ``ọ``. Case is restored from context: inside a word whose other
    letters are capitals (or a short word next to an all-caps word), and at the
    start of a sentence or list item. ``upper=True`` is the ``.VnTimeH`` font,
    which draws every letter as a capital.
    """
    table, caseless = _tcvn3()
    mapped = "".join(table.get(c, c) for c in text)
    mapped = unicodedata.normalize("NFC", mapped)
    if upper:
        return mapped.upper()
    return _restore_case(mapped, caseless)


def _restore_case(text: str, caseless: frozenset[str]) -> str:
    """Capitalise the lower-case-coded toned vowels that stand for capitals."""
    words = list(_LETTER_RUN.finditer(text))
    if not any(c in caseless for c in text):
        return text

    def shape(word: str) -> tuple[int, int]:
        cased = [c for c in word if c not in caseless and c.lower() != c.upper()]
        return sum(c.isupper() for c in cased), sum(c.islower() for c in cased)

    shapes = [shape(m.group()) for m in words]
    out = list(text)
    for index, match in enumerate(words):
        word = match.group()
        if not any(c in caseless for c in word):
            continue
        uppers, lowers = shapes[index]
        same_line = [
            shapes[j]
            for j in (index - 1, index + 1)
            if 0 <= j < len(words)
            and "\n" not in text[min(match.start(), words[j].start()) : max(match.end(), words[j].end())]
        ]
        caps_context = any(u >= 2 and lo == 0 for u, lo in same_line)
        if lowers == 0 and (uppers >= 2 or (caps_context and (uppers == 1 or len(word) <= 2))):
            out[match.start() : match.end()] = word.upper()
        elif word[0] in caseless and _starts_sentence(text, match.start()):
            out[match.start()] = word[0].upper()
    return "".join(out)


def _starts_sentence(text: str, start: int) -> bool:
    """Whether position ``start`` begins the text, a sentence or a list item."""
    before = text[max(0, start - 200) : start]
    if start <= 200:
        before = "\n" + before
    return not before.strip() or bool(_SENTENCE_END.search(before))


def decode_vni(text: str, *, upper: bool = False) -> str:
    """Convert VNI-Windows text (bytes read as cp1252) to NFC Unicode: longest match, two characters first."""
    table = _vni()
    out: list[str] = []
    i = 0
    while i < len(text):
        pair = text[i : i + 2]
        if len(pair) == 2 and pair in table:
            out.append(table[pair])
            i += 2
            continue
        out.append(table.get(text[i], text[i]))
        i += 1
    result = unicodedata.normalize("NFC", "".join(out))
    return result.upper() if upper else result


def decode_viqr(text: str) -> str:
    """Convert VIQR (``Tie^'ng Vie^.t``) to NFC Unicode.

    ``?`` and ``.`` after a vowel are tone marks only inside a word or before a
    lower-case word; otherwise they are the question mark and the full stop.
    """
    shapes, tones = _viqr()

    def replace(match: re.Match[str]) -> str:
        if match.group(1):
            return match.group(1)
        if match.group(2):
            return shapes[match.group(2)]
        vowel, shape, tone = match.group(3), match.group(4) or "", match.group(5) or ""
        if shape and vowel + shape not in shapes:
            return match.group(0)
        letter = shapes.get(vowel + shape, vowel) if shape else vowel
        if tone in ("?", ".") and not _tone_continues(match.string, match.end()):
            return letter + tone
        return letter + tones.get(tone, "")

    return unicodedata.normalize("NFC", _VIQR.sub(replace, text))


def _tone_continues(text: str, end: int) -> bool:
    """A ``?``/``.`` ending at ``end`` is a tone when a letter or a lower-case word follows."""
    rest = text[end : end + 40]
    if rest[:1].isalpha():
        return True
    stripped = rest.lstrip(" \t")
    return bool(stripped[:1]) and stripped[:1].isalpha() and stripped[:1].islower() and rest[:1] in " \t"


def decode_legacy(text: str, encoding: Encoding, *, upper: bool = False) -> str:
    """Convert ``text`` from a legacy ``encoding`` (``tcvn3``, ``vni``, ``viqr``) to NFC."""
    if encoding == "tcvn3":
        return decode_tcvn3(text, upper=upper)
    if encoding == "vni":
        return decode_vni(text, upper=upper)
    if encoding == "viqr":
        return decode_viqr(text)
    return unicodedata.normalize("NFC", text)


# -- detection -----------------------------------------------------------------


def unicode_form(text: str) -> Encoding:
    """``"nfd"``, ``"tohop"`` (precomposed base + combining tone) or ``"utf-8"`` (composed)."""
    combining = sum(1 for c in text if c in _TONE_MARKS)
    if not combining:
        return "utf-8"
    precomposed = sum(
        1
        for c in text
        if c > "\u00bf"
        and not unicodedata.combining(c)
        and any(m in unicodedata.normalize("NFD", c) for m in _TONE_MARKS)
    )
    if combining <= precomposed:
        return "utf-8"
    return "nfd" if any(c in _SHAPE_MARKS for c in text) else "tohop"


def _viqr_signals(text: str) -> int:
    return len(re.findall(r"[aeiouyAEIOUY](?:[(^+*][`'?~.]?|[`'~])(?=[a-zA-Z])|\b[dD][dD][aeiouAEIOU]", text))


def _word_share(text: str) -> float:
    """Share of whitespace-separated words (edge punctuation stripped) that are syllables.

    Stricter than :func:`syllable_share` for ASCII-marked text: VIQR ``nha^n``
    is one invalid word here, not the two valid tokens ``nha`` and ``n``.
    """
    valid = invalid = 0
    for word in unicodedata.normalize("NFC", text).split():
        word = word.strip(_EDGE_PUNCTUATION)
        if not word or not any(c.isalpha() for c in word):
            continue
        if is_syllable(word):
            valid += 1
        elif not is_neutral(word) and not any(c.isdigit() for c in word):
            invalid += 1
    return valid / (valid + invalid) if valid + invalid else 0.0


_VIETNAMESE_LATIN1 = frozenset("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")


def detect_text(text: str) -> tuple[str, Encoding]:
    """Examine text that decoded as UTF-8: return it as NFC with its true encoding.

    Decomposed forms are relabelled ``nfd``/``tohop``; TCVN3 or VNI text that
    was pasted into a Unicode file as cp1252 characters, and VIQR, are converted
    when that makes clearly more words valid syllables.
    """
    form = unicode_form(text)
    text = unicodedata.normalize("NFC", text)
    if form != "utf-8":
        return text, form
    sample = text[:SAMPLE_CHARS]
    # Latin-1 letters Vietnamese itself uses (à, á, â, ã, è, ...) are no sign of a legacy font.
    legacy_chars = sum(1 for c in sample if "\u00a1" <= c <= "\u00ff" and c not in _VIETNAMESE_LATIN1)
    candidates: list[Encoding] = []
    if legacy_chars >= 3:
        candidates += ["tcvn3", "vni"]
    if _viqr_signals(sample) >= 3:
        candidates.append("viqr")
    if not candidates:
        return text, "utf-8"
    base = _word_share(sample)
    best, best_share = "utf-8", base + _MIN_GAIN
    for encoding in candidates:
        share = _word_share(decode_legacy(sample, encoding))
        if share > best_share:
            best, best_share = encoding, share
    return (text, "utf-8") if best == "utf-8" else (decode_legacy(text, best), best)


def detect_bytes(data: bytes) -> tuple[str, Encoding]:
    """Decode bytes that are not UTF-8: the best of cp1258, TCVN3 and VNI by syllable share.

    Ties go to cp1258 (the Windows Vietnamese code page, the old default).
    """
    as_1252 = single_byte_text(data)
    decoders = {
        "cp1258": lambda raw: unicodedata.normalize("NFC", raw.decode("cp1258", errors="replace")),
        "tcvn3": lambda raw: decode_tcvn3(single_byte_text(raw)),
        "vni": lambda raw: decode_vni(single_byte_text(raw)),
    }
    sample = data[:SAMPLE_CHARS]
    best, best_share = "cp1258", -1.0
    for encoding, decoder in decoders.items():
        share = syllable_share(decoder(sample))
        if share > best_share:
            best, best_share = encoding, share
    if best == "cp1258":
        return decoders["cp1258"](data), "cp1258"
    return decode_legacy(as_1252, best), best


# -- fonts (DOCX runs) -----------------------------------------------------------


@lru_cache(maxsize=256)  # a document names a handful of fonts, run after run
def font_encoding(font: str | None) -> tuple[Encoding, bool] | None:
    """The legacy encoding a font name implies, with whether it is an all-capitals font.

    ``.VnTime``/``.VnArial``/... are TCVN3 (``.VnTimeH`` -- trailing ``H`` --
    draws capitals); ``VNI-Times``/``VNI-Helve``/... are VNI. Unicode fonts: None.
    """
    if not font:
        return None
    name = font.strip()
    if name.lower().startswith(".vn"):
        return "tcvn3", name.endswith("H")
    if re.match(r"vni[-_ ]", name, re.I):
        return "vni", False
    return None


def convert_run(text: str, font: str | None) -> tuple[str, Encoding | None]:
    """Convert one DOCX run typed in a legacy font; Unicode runs come back unchanged.

    A run whose text has characters outside cp1252 is Unicode already (the font
    was changed after typing) and is left alone.
    """
    found = font_encoding(font)
    if found is None or not text:
        return text, None
    encoding, upper = found
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return text, None
    return decode_legacy(text, encoding, upper=upper), encoding
