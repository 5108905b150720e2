"""Unit (office, body) names: canonical names, lists of bodies and assignment phrases.

The gazetteer ``vanban/resources/units.toml`` lists every body with its
aliases and abbreviations. Names are compared through a *matching key*: the
text folded (NFC, lower case, new-style tone placement, dashes unified), cut
into words with punctuation dropped and common abbreviations expanded
(``UBND`` -> ``ủy ban nhân dân``, ``&`` -> ``và``), so ``Văn phòng HĐND&UBND``
and ``Văn phòng Hội đồng nhân dân và Ủy ban nhân dân`` share one key.

Lists are read left to right with the longest gazetteer name first, which
keeps names that contain commas or ``và`` (``Các cơ quan chuyên trách tham
mưu, giúp việc Đảng ủy``, ``Phòng Kinh tế, Hạ tầng và Đô thị``) whole.
Unrecognised names are kept as written, never dropped.

Assignment phrases (:func:`parse_assignment`): ``;`` and a full stop separate
clauses, each with its own roles (``Phòng A; Phòng B, Trạm C phối hợp`` = lead
A, support B and C); what ties a body to its parent or place is dropped
(``thuộc UBND xã``, ``trên địa bàn xã``, ``liên quan``, ``Phòng Kinh tế UBND
xã``); a leading ``các`` distributes over a list; a role word right after a head
word is part of the name (``Tổ phối hợp liên ngành``); a person's role is that
role of its body (``các đồng chí Phó Chủ tịch UBND xã`` -> ``Phó Chủ tịch Ủy ban
nhân dân xã``, kind ``person``). Vocabulary: ``[roles]``, ``[qualifiers]``,
``[person]``, ``[abbreviated_heads]`` of the same file.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict
from rapidfuzz import fuzz, process

from vanban.resources import load_toml

__all__ = [
    "FUZZY_THRESHOLD",
    "UnitMatch",
    "canonical_unit",
    "find_unit_mentions",
    "fold_for_matching",
    "parse_assignment",
    "split_units",
]

# rapidfuzz ``fuzz.ratio`` on matching keys. Measured on the [[canonical]] cases
# of tests/cases/units.toml: one-letter typos of gazetteer names score 94-98.5
# ("Ban Chỉ huy quân sụ" 94.7, "Văn phòng Đảng ủỷ" 94.1), while distinct bodies
# top out at 88 ("Ban Chỉ đạo 57" vs "Ban Chỉ đạo" 88.0, "Trường Trung học" vs
# "Trường Trung học cơ sở" 84.2, "Trường Trung học phổ thông" 75.0). Short names
# whose only error is a mark ("Trạm Y tê", 88.9) are caught by the mark-free
# exact comparison instead.
FUZZY_THRESHOLD = 90.0

_DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−"), "-")
# Old-style tone placement ("hoà", "uỷ") -> new style ("hòa", "ủy"), only at a
# syllable end and never after "q" ("quý" is correct in both styles).
_OLD_TONE = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}  # fmt: skip
_OLD_TONE_RE = re.compile(r"(?<!q)(?:" + "|".join(_OLD_TONE) + r")(?!\w)")
_TOKEN_RE = re.compile(r"\w+|&|[^\w\s]")
# Punctuation that may sit inside one name ("tham mưu, giúp việc", "Văn hóa - Xã hội").
_SOFT_PUNCT = frozenset({",", "-", ".", "/"})
_NOISE_RE = re.compile(r"[*_()\[\]“”\"]")  # markdown emphasis, brackets, quotes
_WS_RE = re.compile(r"\s+")
# "Cơ quan chủ trì: X; Cơ quan phối hợp: Y": labels open the text and may follow ";", "." or a new line.
_LABEL_RE = re.compile(
    r"(?:^|(?<=[;\n.]))\W*(?:(?:các\s+)?(?:cơ quan|đơn vị)\s+)?(?P<roles>chủ trì|chuẩn bị|phối hợp)"
    r"(?:\s*(?:,|và)\s*(?:chủ trì|chuẩn bị|phối hợp))?\W*:"
)


class UnitMatch(BaseModel):
    """One body named in a text."""

    # Frozen: scans are cached, so one match may be handed to many callers.
    model_config = ConfigDict(frozen=True)

    written: str
    name: str
    recognised: bool
    kind: str | None = None
    score: float = 0.0
    span: tuple[int, int] = (0, 0)


# ---------------------------------------------------------------- folding


def _fold_same_length(text: str) -> str:
    """Lower case, new tone placement, unified dashes; keeps the length of NFC ``text``."""
    low = text.lower()
    if len(low) != len(text):  # "İ" and friends: give up on case folding rather than shift spans
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    low = low.translate(_DASHES)
    return _OLD_TONE_RE.sub(lambda m: _OLD_TONE[m.group(0)], low)


@lru_cache(maxsize=65_536)
def _fold_token(token: str) -> str:
    """:func:`_fold_same_length` of one token; documents repeat few distinct words."""
    return _fold_same_length(token)


def fold_for_matching(text: str) -> str:
    """Fold text for comparison only: NFC, lower case, new tone placement, one dash, single spaces."""
    folded = _fold_same_length(unicodedata.normalize("NFC", text))
    return _WS_RE.sub(" ", folded.replace("&", " và ")).strip()


# ---------------------------------------------------------------- gazetteer


@dataclass(frozen=True)
class _Entry:
    canonical: str
    kind: str
    level: str


class _Tok(NamedTuple):
    """One matching word (or punctuation mark) with its span in the NFC text.

    A named tuple rather than a frozen dataclass: documents make hundreds of
    thousands of these, and a tuple is several times cheaper to build.
    """

    key: str
    start: int
    end: int
    is_word: bool
    upper: bool  # the written word starts with a capital letter


@dataclass(frozen=True)
class _Gazetteer:
    entries: tuple[_Entry, ...]
    trie: dict[str, Any]
    keys: dict[str, int]  # joined alias key -> entry index (for fuzzy matching)
    expand: dict[str, tuple[str, ...]]
    cap_words: tuple[tuple[str, ...], ...]
    higher_words: tuple[tuple[str, ...], ...]
    lead_roles: tuple[tuple[str, ...], ...]
    support_roles: tuple[tuple[str, ...], ...]
    context_words: tuple[tuple[str, ...], ...]
    other_roles: tuple[tuple[str, ...], ...]
    not_intro: tuple[tuple[str, ...], ...]
    intro_words: tuple[tuple[str, ...], ...]
    joiners: frozenset[str]
    heads: tuple[tuple[str, ...], ...]
    not_heads: tuple[tuple[str, ...], ...]
    parent_words: tuple[tuple[str, ...], ...]
    place_words: tuple[tuple[str, ...], ...]
    trailing_words: tuple[tuple[str, ...], ...]
    plural: tuple[tuple[str, ...], ...]
    parent_bodies: frozenset[int]
    abbreviated_heads: dict[str, str]
    honorifics: tuple[tuple[str, ...], ...]
    titles: tuple[tuple[tuple[str, ...], str], ...]


_END = "\0"


def _words(phrase: str) -> tuple[str, ...]:
    return tuple(fold_for_matching(phrase).split())


def _by_length(phrases: list[str]) -> tuple[tuple[str, ...], ...]:
    return tuple(sorted((_words(p) for p in phrases), key=len, reverse=True))


@cache
def _gazetteer() -> _Gazetteer:
    data = load_toml("units")
    expand = {k: tuple(v.split()) for k, v in data["expand"].items()}
    entries: list[_Entry] = []
    trie: dict[str, Any] = {}
    keys: dict[str, int] = {}
    for raw in data["units"]:
        idx = len(entries)
        entries.append(_Entry(raw["canonical"], raw["kind"], raw["level"]))
        names = [
            raw["canonical"].replace("{cap}", ""),
            *raw.get("aliases", ()),
            *raw.get("abbreviations", ()),
        ]
        for name in names:
            words = tuple(t.key for t in _tokenize(name, expand) if t.is_word)
            node = trie
            for word in words:
                node = node.setdefault(word, {})
            node.setdefault(_END, idx)  # first entry wins: the gazetteer order is the priority
            keys.setdefault(" ".join(words), idx)
    roles = data["roles"]
    quals = data["qualifiers"]
    parents = {p.replace("{cap}", "").strip() for p in quals["parent_bodies"]}
    person = data["person"]
    titles = sorted(((_words(k), v) for k, v in person["titles"].items()), key=lambda t: -len(t[0]))
    return _Gazetteer(
        entries=tuple(entries),
        trie=trie,
        keys=keys,
        expand=expand,
        cap_words=_by_length(data["place"]["cap_words"]),
        higher_words=_by_length(data["place"]["higher_words"]),
        lead_roles=_by_length(roles["lead"]),
        support_roles=_by_length(roles["support"]),
        context_words=_by_length(roles["context"]),
        other_roles=_by_length(roles["other"]),
        not_intro=_by_length(roles["not_intro"]),
        intro_words=_by_length(roles["intro"]),
        joiners=frozenset(roles["joiners"]),
        heads=_by_length(data["heads"]["words"]),
        not_heads=_by_length(data["heads"]["not"]),
        parent_words=_by_length(quals["parent"]),
        place_words=_by_length(quals["place"]),
        trailing_words=_by_length(quals["trailing"]),
        plural=_by_length(quals["plural"]),
        parent_bodies=frozenset(
            k for k, e in enumerate(entries) if e.canonical.replace("{cap}", "").strip() in parents
        ),
        abbreviated_heads=dict(data["abbreviated_heads"]),
        # "đ/c" is three tokens: honorifics are matched on token keys, punctuation included
        honorifics=tuple(
            sorted(
                (tuple(t.key for t in _tokenize(h, expand)) for h in person["honorifics"]),
                key=len,
                reverse=True,
            )
        ),
        titles=tuple(titles),
    )


# ---------------------------------------------------------------- tokens


def _tokenize(text: str, expand: dict[str, tuple[str, ...]] | None = None) -> list[_Tok]:
    """Matching tokens of NFC ``text``; an abbreviation becomes several words with one span."""
    if expand is None:
        # The same text is tokenized by several stages (assignment, mentions, lists).
        return list(_tokenize_cached(text))
    return _tokenize_with(text, expand)


@lru_cache(maxsize=4096)
def _tokenize_cached(text: str) -> tuple[_Tok, ...]:
    return tuple(_tokens(text, _gazetteer_words))


def _tokenize_with(text: str, expand: dict[str, tuple[str, ...]]) -> list[_Tok]:
    return _tokens(text, lambda written: _token_words(written, expand))


def _tokens(text: str, words: Callable[[str], tuple[tuple[str, bool, bool], ...]]) -> list[_Tok]:
    """The tokens of ``text``: each span (see :func:`_token_spans`) as the words it stands for."""
    return [
        _Tok(key, start, end, is_word, upper)
        for start, end in _token_spans(text)
        for key, is_word, upper in words(text[start:end])
    ]


@lru_cache(maxsize=65_536)
def _gazetteer_words(written: str) -> tuple[tuple[str, bool, bool], ...]:
    """:func:`_token_words` with the gazetteer's abbreviations; documents repeat few distinct tokens."""
    return _token_words(written, _gazetteer().expand)


def _token_words(written: str, expand: dict[str, tuple[str, ...]]) -> tuple[tuple[str, bool, bool], ...]:
    """(key, is_word, upper) of each word one written token stands for (an abbreviation, several)."""
    key = _fold_token(written)  # per token: "uỷ" of "uỷUBND" is syllable-final
    if key == "&":
        return (("và", True, False),)
    if not key[0].isalnum():
        return ((key, False, False),)
    upper = written[0].isupper()
    expanded = expand.get(key)
    if expanded is None:  # the usual case: one word, no abbreviation to write out
        return ((key, True, upper),)
    return tuple((word, True, upper) for word in expanded)


def _token_spans(text: str) -> list[tuple[int, int]]:
    """Word/punctuation spans; a word glued to the next one ("Đảng uỷUBND", "bộCông") is cut
    where a lower-case letter meets an upper-case one (PDF text layers lose such spaces)."""
    spans: list[tuple[int, int]] = []
    for m in _TOKEN_RE.finditer(text):
        start = m.start()
        if m.end() - start < 2 or text[start + 1 : m.end()].islower():
            spans.append((start, m.end()))  # no capital after the first letter: nothing glued
            continue
        for k in range(m.start() + 1, m.end()):
            if text[k - 1].islower() and text[k].isupper():
                spans.append((start, k))
                start = k
        spans.append((start, m.end()))
    return spans


# Phrase lists of the gazetteer indexed by first word: id -> (the list, index). Every
# list of two phrases or more is indexed (a scan asks each list at every token, and most
# tokens start no phrase: one lookup answers), and only so many: callers also pass
# one-phrase tuples built on the fly, which a linear scan serves as well and which must
# not pile up here. No list holds an empty phrase, which the two ways would read apart.
_FIRST_WORD: dict[int, tuple[tuple[tuple[str, ...], ...], dict[str, tuple[tuple[str, ...], ...]]]] = {}
_INDEX_MIN_PHRASES = 2
_INDEX_MAX_LISTS = 64


def _by_first_word(phrases: tuple[tuple[str, ...], ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """The phrases starting with each word, in their original (longest first) order."""
    known = _FIRST_WORD.get(id(phrases))
    if known is not None and known[0] is phrases:
        return known[1]
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        if phrase:
            index.setdefault(phrase[0], []).append(phrase)
    frozen = {word: tuple(group) for word, group in index.items()}
    if len(_FIRST_WORD) < _INDEX_MAX_LISTS:
        _FIRST_WORD[id(phrases)] = (phrases, frozen)
    return frozen


def _starts_with(toks: list[_Tok], i: int, phrases: tuple[tuple[str, ...], ...]) -> int:
    """Length of the first phrase (word sequence) that starts at ``toks[i]``, else 0."""
    if i >= len(toks) or not toks[i].is_word:
        return 0
    first = toks[i].key
    if len(phrases) >= _INDEX_MIN_PHRASES:
        known = _FIRST_WORD.get(id(phrases))  # _by_first_word, inlined: asked at every token
        index = known[1] if known is not None and known[0] is phrases else _by_first_word(phrases)
        phrases = index.get(first, ())
        if not phrases:
            return 0
    for phrase in phrases:
        n = len(phrase)
        if not n or phrase[0] != first:  # the cheap test first: most phrases differ at once
            if not n:
                return 0
            continue
        if i + n <= len(toks) and all(
            toks[i + k].is_word and toks[i + k].key == phrase[k] for k in range(1, n)
        ):
            return n
    return 0


def _head_at(toks: list[_Tok], i: int) -> int:
    """Length of the head word of a body's name at ``toks[i]`` ("Phòng", "Hội", "Trường"),
    0 for words that only look like one ("Trường hợp", "Hội nghị", "Tổ chức", "Ban hành")."""
    gaz = _gazetteer()
    if _starts_with(toks, i, gaz.not_heads):
        return 0
    return _starts_with(toks, i, gaz.heads)


def _trie_match(toks: list[_Tok], i: int, prefix: tuple[str, ...] = ()) -> tuple[int, int] | None:
    """Longest gazetteer name at ``toks[i]`` (after ``prefix`` words): (entry index, end token)."""
    node: dict[str, Any] | None = _gazetteer().trie
    for word in prefix:
        node = node.get(word) if node else None
    if not node or not toks[i].is_word:
        return None
    best: tuple[int, int] | None = None
    j = i
    while j < len(toks) and node:
        tok = toks[j]
        if not tok.is_word:
            if tok.key in _SOFT_PUNCT and j > i:
                j += 1
                continue
            break
        node = node.get(tok.key)
        if node is None:
            break
        j += 1
        if _END in node:
            best = (node[_END], j)
    return best


# ---------------------------------------------------------------- scanning


@dataclass(frozen=True)
class _Item:
    """One piece of a scanned phrase: a unit, a role/context word, or a separator."""

    kind: Literal["unit", "chunk", "lead", "support", "context", "other", "sep", "intro"]
    start: int  # token range
    end: int
    match: UnitMatch | None = None
    entry: int | None = None  # gazetteer entry of a unit


def _clean_written(text: str) -> str:
    text = _WS_RE.sub(" ", _NOISE_RE.sub(" ", text)).strip(" ,;:.-")
    return text[:1].upper() + text[1:] if text else text


def _fill(entry: _Entry, cap: str) -> str:
    return entry.canonical.replace("{cap}", cap).strip()


def _absorb_place(toks: list[_Tok], j: int) -> tuple[int, bool]:
    """Extend a unit ending at token ``j`` over its place ("phường Uông Bí"); flag higher-level bodies."""
    gaz = _gazetteer()
    n = _starts_with(toks, j, gaz.cap_words)
    higher = False
    if not n:
        n = _starts_with(toks, j, gaz.higher_words)
        higher = bool(n)
    if not n:
        return j, False
    j += n
    # A proper place name follows as capitalised words ("Uông Bí"), up to the next name or role word.
    for _ in range(4):
        if j >= len(toks) or not toks[j].is_word or not toks[j].upper or _trie_match(toks, j):
            break
        j += 1
    return j, higher


def _plural_places_end(toks: list[_Tok], j: int) -> int:
    """End of "các xã, phường, đặc khu" at ``toks[j]``, or ``j``: the bodies of many localities."""
    gaz = _gazetteer()
    plural = _starts_with(toks, j, gaz.plural)
    if not plural or not _starts_with(toks, j + plural, gaz.cap_words):
        return j
    k = j + plural + _starts_with(toks, j + plural, gaz.cap_words)
    while k + 1 < len(toks) and toks[k].key in {",", "và"} and _starts_with(toks, k + 1, gaz.cap_words):
        k += 1 + _starts_with(toks, k + 1, gaz.cap_words)
    return k


def _unit_from(toks: list[_Tok], text: str, i: int, j: int, entry: int, cap: str, score: float) -> UnitMatch:
    ent = _gazetteer().entries[entry]
    places = _plural_places_end(toks, j)
    if places > j:  # "UBND các xã, phường" -> "Ủy ban nhân dân các xã, phường"
        start, end = toks[i].start, toks[places - 1].end
        name = f"{_fill(ent, '').strip()} {text[toks[j].start : end]}"
        return UnitMatch(
            written=text[start:end], name=name, recognised=True, kind=ent.kind, score=score, span=(start, end)
        )
    number = ""
    if ent.kind == "steering_committee" and j < len(toks) and toks[j].key.isdigit():
        # "Ban Chỉ đạo 57 xã" is the steering committee for Resolution 57, named by its number.
        number, j = toks[j].key, j + 1
    j2, higher = _absorb_place(toks, j)
    proper = _proper_name_end(toks, j2) if j2 == j and ent.kind in _named_kinds() else j2
    if proper > j2:  # "Trường Trung học cơ sở Nguyễn Huệ": one school among several
        start, end = toks[i].start, toks[proper - 1].end
        name = f"{_fill(ent, cap)} {text[toks[j2].start : end]}"
        return UnitMatch(
            written=text[start:end], name=name, recognised=True, kind=ent.kind, score=score, span=(start, end)
        )
    start, end = toks[i].start, toks[j2 - 1].end
    written = text[start:end]
    if number:
        return UnitMatch(
            written=written,
            name=f"{ent.canonical.replace('{cap}', '').strip()} {number}",
            recognised=True,
            kind=ent.kind,
            score=score,
            span=(start, end),
        )
    if higher:  # "Ủy ban nhân dân thành phố": another level's body, kept as written
        return UnitMatch(
            written=written,
            name=_clean_written(written),
            recognised=False,
            kind=ent.kind,
            score=score,
            span=(start, end),
        )
    return UnitMatch(
        written=written, name=_fill(ent, cap), recognised=True, kind=ent.kind, score=score, span=(start, end)
    )


@cache
def _named_kinds() -> frozenset[str]:
    return frozenset(load_toml("units")["organs"]["named_kinds"])


def _proper_name_end(toks: list[_Tok], j: int) -> int:
    """End of a proper name of capitalised words at ``toks[j]`` (up to four), before any other name or role."""
    end = j
    while (
        end < len(toks)
        and end - j < 4
        and toks[end].is_word
        and toks[end].upper
        and _trie_match(toks, end) is None
        and _marker_at(toks, end) is None
    ):
        end += 1
    return end


@cache
def _key_list() -> tuple[str, ...]:
    return tuple(_gazetteer().keys)


def _demark(key: str) -> str:
    """Key without Vietnamese marks: "trạm y tê" -> "tram y te"."""
    decomposed = unicodedata.normalize("NFD", key.replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def _demarked_keys() -> dict[str, str]:
    out: dict[str, str] = {}
    for key in _gazetteer().keys:
        out.setdefault(_demark(key), key)
    return out


@lru_cache(maxsize=8192)
def _fuzzy(key: str) -> tuple[int, float] | None:
    """Closest gazetteer key by ``fuzz.ratio`` at or above FUZZY_THRESHOLD.

    Cached: it compares against every key, and the same unknown names recur.
    """
    keys = _gazetteer().keys
    if not key:
        return None
    if key in keys:
        return keys[key], 100.0
    best = process.extractOne(key, _key_list(), scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD)
    if best is not None:
        return keys[best[0]], float(best[1])
    bare = _demarked_keys().get(_demark(key))
    if bare is not None:  # only marks differ: a typo, whatever the ratio
        return keys[bare], float(fuzz.ratio(key, bare))
    return None


def _key_candidates(words: list[_Tok]) -> list[str]:
    """The chunk's key, then the key without a trailing place ("phường", "phường Uông Bí");
    each also with an abbreviated first word written out ("TT ..." -> "trung tâm ...")."""
    gaz = _gazetteer()
    out = [" ".join(t.key for t in words)]
    for k in range(1, len(words)):
        n = _starts_with(words, k, gaz.cap_words)
        if n and all(t.upper for t in words[k + n :]):
            out.append(" ".join(t.key for t in words[:k]))
    head = gaz.abbreviated_heads.get(words[0].key) if words else None
    if head is not None:
        short = len(words[0].key)
        out += [fold_for_matching(head) + key[short:] for key in list(out)]
    return out


def _place_tail(words: list[_Tok]) -> int | None:
    """Index of the locality word that opens a name's trailing place ("... phường Hòa Bình"),
    or None; "các hợp tác xã" has none ("xã" is inside the head word "hợp tác xã")."""
    gaz = _gazetteer()
    for k in range(1, len(words)):
        n = _starts_with(words, k, gaz.cap_words)
        if not n or not all(t.upper for t in words[k + n :]):
            continue
        if any(_head_at(words, s) > k - s for s in range(k)):
            continue
        return k
    return None


def _chunk_match(toks: list[_Tok], text: str, i: int, j: int, cap: str) -> UnitMatch:
    """An unrecognised stretch of tokens: fuzzy match, else kept as written."""
    start, end = toks[i].start, toks[j - 1].end
    written = text[start:end]
    words = [t for t in toks[i:j] if t.is_word]
    hit = next((h for key in _key_candidates(words) if (h := _fuzzy(key)) is not None), None)
    if hit is not None:
        ent = _gazetteer().entries[hit[0]]
        return UnitMatch(
            written=written,
            name=_fill(ent, cap),
            recognised=True,
            kind=ent.kind,
            score=hit[1],
            span=(start, end),
        )
    k = _place_tail(words)
    shown_end = words[k - 1].end if k is not None else end  # "Hội Chữ thập đỏ phường Hòa Bình"
    name = _clean_written(text[start:shown_end])
    head = _gazetteer().abbreviated_heads.get(words[0].key) if words else None
    if head is not None and words[0].start == start:  # "TT Văn hóa - Thể thao"
        name = _clean_written(head + text[words[0].end : shown_end])
    return UnitMatch(
        written=written,
        name=name,
        recognised=False,
        kind=None,
        score=0.0,
        span=(start, end),
    )


def _marker_at(
    toks: list[_Tok], i: int
) -> tuple[Literal["lead", "support", "context", "other", "intro"], int] | None:
    gaz = _gazetteer()
    for kind, phrases in (
        ("intro", gaz.intro_words),  # "giao cho" first, so its "cho" is not a context word
        ("support", gaz.support_roles),
        ("lead", gaz.lead_roles),
        ("other", gaz.other_roles),  # before "theo": "theo dõi" is a duty
        ("context", gaz.context_words),
    ):
        n = _starts_with(toks, i, phrases)
        if kind == "intro" and n and _starts_with(toks, i, gaz.not_intro):
            continue  # "Giao dịch", "giao thông": a word of its own
        if kind == "other" and n and toks[i].upper:
            continue  # "Tổ Tổng hợp": a name, not a duty
        if n:
            return kind, n  # type: ignore[return-value]
    return None


def _is_boundary(toks: list[_Tok], i: int) -> bool:
    """Does a new item start at ``toks[i]`` (a gazetteer name, a role word, a qualifier)?"""
    return (
        _trie_match(toks, i) is not None
        or _marker_at(toks, i) is not None
        or _qualifier_end(toks, i, probe=True) is not None
    )


def _qualifier_end(toks: list[_Tok], i: int, *, probe: bool = False) -> int | None:
    """End of a qualifier starting at ``toks[i]`` with what it qualifies, or None.

    "thuộc UBND xã", "trực thuộc Trung tâm Y tế khu vực", "phụ trách văn hóa - xã hội",
    "trên địa bàn xã Hòa Bình", "liên quan".
    """
    gaz = _gazetteer()
    n = _starts_with(toks, i, gaz.parent_words)
    if n:
        j = i + n
        if probe or j >= len(toks) or not toks[j].is_word or _marker_at(toks, j) is not None:
            return j
        hit = _trie_match(toks, j)
        if hit is not None:
            return _absorb_place(toks, hit[1])[0]
        return _chunk_end(toks, j)
    n = _starts_with(toks, i, gaz.place_words)
    if n:
        j = i + n
        m = _starts_with(toks, j, gaz.cap_words)
        if m:
            j += m
            while j < len(toks) and toks[j].is_word and toks[j].upper and not _trie_match(toks, j):
                j += 1
        return j
    n = _starts_with(toks, i, gaz.trailing_words)
    return i + n if n else None


def _starts_with_keys(toks: list[_Tok], i: int, phrases: tuple[tuple[str, ...], ...]) -> int:
    """Like ``_starts_with`` but punctuation tokens count ("đ/c")."""
    for phrase in phrases:
        n = len(phrase)
        if i + n <= len(toks) and all(toks[i + k].key == phrase[k] for k in range(n)):
            return n
    return 0


def _after_title(name: str) -> str:
    """A collective body after a title reads in lower case: "Trưởng các thôn, tổ dân phố"."""
    return name[0].lower() + name[1:] if name.startswith(("Các ", "Những ")) else name


_PERSON_BODY_WORDS = 4
_MAX_NAME_WORDS = 10  # an unrecognised "name" longer than this is running text  # tokens of an unrecognised body after a title


@cache
def _titles_by_first_word() -> dict[str, tuple[tuple[tuple[str, ...], str], ...]]:
    """The gazetteer's titles by their first word, each group in the gazetteer's (longest first) order."""
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for words, title in _gazetteer().titles:
        if words:
            index.setdefault(words[0], []).append((words, title))
    return {word: tuple(group) for word, group in index.items()}


def _titles_from(toks: list[_Tok], k: int) -> tuple[tuple[tuple[str, ...], str], ...]:
    """The titles that may start at ``toks[k]``, those whose first word it is: a person is
    looked for at every token, and trying all titles there was a third of a scan."""
    if k >= len(toks) or not toks[k].is_word:
        return ()
    return _titles_by_first_word().get(toks[k].key, ())


def _person_at(toks: list[_Tok], text: str, i: int, cap: str) -> tuple[UnitMatch, int] | None:
    """A person's role at ``toks[i]`` ("các đồng chí Phó Chủ tịch UBND xã"): (unit, end token)."""
    gaz = _gazetteer()
    k = i + _starts_with_keys(toks, i, gaz.honorifics)
    bare: tuple[str, int] | None = None  # the longest title, when no title has a body
    for words, title in _titles_from(toks, k):
        n = _starts_with(toks, k, (words,))
        if not n:
            continue
        j = k + n
        if j < len(toks) and toks[j].is_word:
            hit = _trie_match(toks, j)
            if hit is not None:
                body = _unit_from(toks, text, j, hit[1], hit[0], cap, 100.0)
                end = _tok_end(toks, j, body.span[1])
            elif bare is None and _head_at(toks, j) and toks[j].key not in {"các", "tt"}:
                end = _chunk_end(toks, j)
                # a short unknown name only ("Chi bộ thôn"); a long run is a sentence.
                # Not after a longer title ("Trưởng thôn" is no "Trưởng" of a "thôn").
                body = _chunk_match(toks, text, j, end, cap) if end - j <= _PERSON_BODY_WORDS else None
            else:
                body = None
            if body is not None:
                start = toks[i].start
                return (
                    UnitMatch(
                        written=text[start : body.span[1]],
                        name=f"{title} {_after_title(body.name)}",
                        recognised=body.recognised,
                        kind="person",
                        score=body.score,
                        span=(start, body.span[1]),
                    ),
                    end,
                )
        if bare is None:
            bare = (title, j)
    if bare is None:
        return None
    title, j = bare
    if j < len(toks) and toks[j].is_word and toks[j].upper and not _is_boundary(toks, j):
        return None  # "Chủ tịch Hồ Chí Minh": a person's name follows
    start, end = toks[i].start, toks[j - 1].end
    return UnitMatch(
        written=text[start:end], name=title, recognised=False, kind="person", span=(start, end)
    ), j


def _scan(text: str, cap: str) -> tuple[list[_Tok], list[_Item]]:
    """Cut ``text`` (NFC) into units, unrecognised chunks, role words and separators."""
    toks, items = _scan_cached(text, cap)
    return list(toks), list(items)


@lru_cache(maxsize=4096)
def _scan_cached(text: str, cap: str) -> tuple[tuple[_Tok, ...], tuple[_Item, ...]]:
    # A document names the same few bodies in every row and paragraph ("Phòng Văn hóa -
    # Xã hội" is scanned a hundred times in one work programme): scan each text once.
    toks, items = _scan_uncached(text, cap)
    return tuple(toks), tuple(items)


def _scan_uncached(text: str, cap: str) -> tuple[list[_Tok], list[_Item]]:
    gaz = _gazetteer()
    toks = _tokenize(text)
    items: list[_Item] = []
    head: tuple[str, ...] = ()  # first word of the last unit, for "Trường Mầm non, Tiểu học"
    i = 0
    while i < len(toks):
        tok = toks[i]
        person = _person_at(toks, text, i, cap) if tok.is_word else None
        if person is not None:
            items.append(_Item("unit", i, person[1], person[0]))
            head = ()
            i = person[1]
            continue
        hit = _trie_match(toks, i)
        direct = hit is not None
        if hit is None and head and items and items[-1].kind == "sep":
            hit = _trie_match(toks, i, head)  # "Tiểu học" after "Trường Mầm non, "
        plural = hit is None and i + 1 < len(toks) and _starts_with(toks, i, gaz.plural) == 1
        if plural and _trie_match(toks, i + 1) is not None:
            i += 1  # "các Phòng Kinh tế, Văn hóa - Xã hội": the plural distributes
            continue
        if hit is not None:
            um = _unit_from(toks, text, i, hit[1], hit[0], cap, 100.0)
            end = _tok_end(toks, i, um.span[1])
            items.append(_Item("unit", i, end, um, hit[0]))
            if direct:
                head = (tok.key,)  # its first word may head a distributive list
            i = end
            continue
        qualified = _qualifier_end(toks, i)
        if qualified is not None:
            if _bare_parent_word(toks, i, qualified) and items and items[-1].kind == "chunk":
                # "Các chi bộ trực thuộc": nothing is named after it, so it is part of the name.
                items[-1] = _chunk_item(toks, text, items[-1].start, qualified, cap)
            i = max(qualified, i + 1)
            continue
        marker = _marker_at(toks, i)
        if marker is not None:
            items.append(_Item(marker[0], i, i + marker[1]))
            head = ()
            i += marker[1]
            continue
        if not tok.is_word or tok.key in gaz.joiners:
            items.append(_Item("sep", i, i + 1))
            i += 1
            continue
        j = _chunk_end(toks, i)
        items.append(_Item("chunk", i, j, _chunk_match(toks, text, i, j, cap)))
        head = ()
        i = j
    return toks, _join_continuations(text, toks, _join_organs(text, toks, _drop_parents(items)), cap)


_CONTINUATION_WORDS = 6  # tokens: "chữa cháy và cứu nạn"


def _join_continuations(text: str, toks: list[_Tok], items: list[_Item], cap: str) -> list[_Item]:
    """Join an unknown name and the lower-case words after its comma: one name with a comma in it.

    "Phòng Công chức, viên chức", "Tổ Phòng cháy, chữa cháy và cứu nạn, cứu hộ": what follows
    the comma is no body of its own (lower case, no head word, a few words). A known body
    ("Công an xã, lực lượng ...") keeps its name.
    """
    out: list[_Item] = []
    for it in items:
        if (
            len(out) >= 2
            and it.kind == "chunk"
            and it.match is not None
            and not toks[it.start].upper
            and it.end - it.start <= _CONTINUATION_WORDS
            and not _is_unit_like(it.match)
            and out[-1].kind == "sep"
            and toks[out[-1].start].key == ","
            and out[-2].kind == "chunk"
            and out[-2].match is not None
            and not out[-2].match.recognised
            and toks[out[-2].start].upper
        ):
            head = out[-2]
            out[-2:] = [_chunk_item(toks, text, head.start, it.end, cap)]
            continue
        out.append(it)
    return out


@dataclass(frozen=True)
class _Organs:
    words: frozenset[str]
    places: tuple[tuple[str, ...], ...]
    kinds: frozenset[str]
    expand: dict[str, str]
    sub_units: tuple[tuple[str, ...], ...]


@cache
def _organs() -> _Organs:
    data = load_toml("units")["organs"]
    return _Organs(
        words=frozenset(" ".join(_words(w)) for w in data["words"]),
        places=_by_length(data["places"]),
        kinds=frozenset(data["kinds"]),
        expand={" ".join(_words(k)): v for k, v in data["expand"].items()},
        sub_units=_by_length(data["sub_units"]),
    )


def _sub_unit_of(prev: _Item, it: _Item, toks: list[_Tok], organs: _Organs) -> bool:
    """An unknown office or board ("Ban Tuyên giáo") right before a mass organisation: its own."""
    return (
        prev.kind == "chunk"
        and prev.match is not None
        and not prev.match.recognised
        and it.match is not None
        and it.match.kind == "mass_org"
        and _starts_with(toks, prev.start, organs.sub_units) > 0
    )


def _join_organs(text: str, toks: list[_Tok], items: list[_Item]) -> list[_Item]:
    """Join an organ and the body right after it into one unit: "Ban Thường vụ" + "Hội Liên hiệp Phụ nữ xã".

    Only without a separator between them ("Đảng ủy, Công an phường" stays two);
    the joined name is kept as written (a short organ spelled out), with a
    residential place that follows.
    """
    organs = _organs()
    out: list[_Item] = []
    for it in items:
        prev = out[-1] if out else None
        if prev is not None and it.start < prev.end:
            continue  # the place a joined name took in
        organ = " ".join(t.key for t in toks[prev.start : prev.end]) if prev is not None else ""
        if (
            prev is not None
            and prev.kind in ("unit", "chunk")
            and it.kind == "unit"
            and prev.end == it.start
            and prev.match is not None
            and it.match is not None
            and it.match.kind in organs.kinds
            and (organ in organs.words or _sub_unit_of(prev, it, toks, organs))
        ):
            end = it.end + _starts_with(toks, it.end, organs.places) if it.end < len(toks) else it.end
            while end < len(toks) and toks[end].is_word and toks[end].key.isdigit():
                end += 1  # "Chi hội phụ nữ thôn 3"
            span = (toks[prev.start].start, toks[end - 1].end)
            written = text[span[0] : span[1]]
            name = _clean_written(written)
            short = " ".join(_words(text[span[0] : toks[prev.end - 1].end]))  # as written, not expanded
            if short in organs.expand:  # "BCH Đoàn xã" -> "Ban Chấp hành Đoàn xã"
                name = f"{organs.expand[short]} {text[toks[it.start].start : span[1]]}"
            match = UnitMatch(
                written=written, name=name, recognised=True, kind=it.match.kind, score=100.0, span=span
            )
            out[-1] = _Item("unit", prev.start, end, match, it.entry)
            continue
        out.append(it)
    return out


def _bare_parent_word(toks: list[_Tok], i: int, end: int) -> bool:
    """``trực thuộc`` / ``thuộc`` at ``toks[i]`` with no body after it (the end, or a separator)."""
    n = _starts_with(toks, i, _gazetteer().parent_words)
    return (
        bool(n)
        and end == i + n
        and (end >= len(toks) or not toks[end].is_word or _marker_at(toks, end) is not None)
    )


def _chunk_item(toks: list[_Tok], text: str, i: int, j: int, cap: str) -> _Item:
    return _Item("chunk", i, j, _chunk_match(toks, text, i, j, cap))


def _drop_parents(items: list[_Item]) -> list[_Item]:
    """Drop the locality's body written right after another body: its parent, not an assignee
    ("Phòng Kinh tế UBND xã", "Ban Tổ chức Đảng ủy")."""
    parents = _gazetteer().parent_bodies
    out: list[_Item] = []
    for it in items:
        prev = out[-1] if out else None
        if (
            it.entry in parents
            and prev is not None
            and prev.kind in ("unit", "chunk")
            and prev.end == it.start
            and prev.entry not in parents
            and prev.match is not None
            and prev.match.kind != "person"
            and not _bare_head(prev.match.written)
        ):
            continue
        out.append(it)
    return out


def _bare_head(written: str) -> bool:
    """A head word with no name of its own ("các Ban" of "các Ban HĐND phường"): the parent is its name."""
    toks = [t for t in _tokenize(written) if t.is_word]
    start = _starts_with(toks, 0, _gazetteer().plural)
    return bool(toks) and _head_at(toks, start) == len(toks) - start


def _chunk_end(toks: list[_Tok], i: int) -> int:
    """End of an unrecognised name starting at ``toks[i]``: the next separator, name or role word."""
    gaz = _gazetteer()
    j = i + 1
    head_end = i + _head_at(toks, i)
    while j < len(toks):
        t = toks[j]
        marker = _marker_at(toks, j) if j == head_end and t.is_word else None
        if marker is not None and marker[0] in ("lead", "support"):
            j += marker[1]  # "Tổ phối hợp liên ngành": a role word right after a head word names the body
            continue
        if (not t.is_word and t.key not in {"-", "/", "."}) or (t.is_word and _is_boundary(toks, j)):
            break
        if _sentence_end(toks, j):
            break
        # "và" / " - " ends an unknown name only when a known name or a head word follows
        # ("Phòng Tài chính và Kế hoạch" stays whole).
        if (t.key in gaz.joiners or t.key == "-") and _starts_name(toks, j + 1):
            break
        j += 1
    while j > i + 1 and not toks[j - 1].is_word:
        j -= 1
    return j


def _sentence_end(toks: list[_Tok], j: int) -> bool:
    """A full stop followed by a space: the end of a sentence ("P.VH-XH", "TT. HĐND" are names)."""
    return toks[j].key == "." and (j + 1 == len(toks) or toks[j + 1].start > toks[j].end)


def _starts_name(toks: list[_Tok], i: int) -> bool:
    return i < len(toks) and (_is_boundary(toks, i) or _head_at(toks, i) > 0)


def _tok_end(toks: list[_Tok], i: int, char_end: int) -> int:
    j = i
    while j < len(toks) and toks[j].start < char_end:
        j += 1
    return j


def _is_unit_like(match: UnitMatch) -> bool:
    if match.recognised or match.kind is not None:
        return True
    if len(match.written.split()) > _MAX_NAME_WORDS:
        return False  # a clause of running text, not a name
    gaz = _gazetteer()
    toks = [t for t in _tokenize(match.written) if t.is_word]
    if len(toks) > 1 and _starts_with(toks, 0, gaz.plural) == 1 and _head_at(toks, 1):
        return True  # "các hợp tác xã", "các trường học": a plural of a body's head word
    return bool(toks) and toks[0].upper and _head_at(toks, 0) > 0


# ---------------------------------------------------------------- public API


def leading_unit_end(text: str) -> int | None:
    """Where the gazetteer name ``text`` opens with ends (its place absorbed), or None.

    A cheap test that needs no full scan: ``"Đảng uỷ UBND xã chủ trì, ..."`` -> 15.
    """
    return _leading_unit_end(text[:160])


@lru_cache(maxsize=8192)
def _leading_unit_end(text: str) -> int | None:
    toks = _tokenize(text)
    found = _trie_match(toks, 0) if toks else None
    if found is None:
        return None
    end, _ = _absorb_place(toks, found[1])
    return toks[end - 1].end


def canonical_unit(name: str, *, cap: str = "phường") -> UnitMatch:
    """Canonical name of one body as written; unrecognised names come back cleaned, never dropped."""
    text = unicodedata.normalize("NFC", name)
    toks, items = _scan(text, cap)
    found = [it for it in items if it.kind in ("unit", "chunk")]
    if (
        len(found) == 1
        and found[0].match is not None
        and all(it.kind == "sep" for it in items if it is not found[0])
    ):
        return found[0].match
    words = [t for t in toks if t.is_word]
    if not words:
        return UnitMatch(written=name, name=_clean_written(name), recognised=False, span=(0, len(name)))
    return _chunk_match(toks, text, toks.index(words[0]), toks.index(words[-1]) + 1, cap)


def split_units(text: str, *, cap: str = "phường") -> list[UnitMatch]:
    """The bodies of a list such as ``Ủy ban nhân dân phường, Văn phòng Đảng uỷ``, in order."""
    _, items = _scan(unicodedata.normalize("NFC", text), cap)
    return [it.match for it in items if it.match is not None]


# A parenthetical that closes an item, where it says who does it: "... (Phòng Kinh tế chủ trì)."
TRAILING_PARENTHETICAL = re.compile(r"\s*\((?P<inner>[^()]*)\)[\s.;,:'`]*$")


def parse_assignment(text: str, *, cap: str = "phường") -> tuple[list[UnitMatch], list[UnitMatch]] | None:
    """(lead, support) bodies of an assignment phrase, or None when it assigns nobody.

    ``X chủ trì``/``X chuẩn bị`` make X lead, ``phối hợp (với) Y`` makes Y
    support; a ``Cơ quan chuẩn bị, phối hợp:`` line or a bare list (a table
    cell) makes every body lead.
    """
    text = unicodedata.normalize("NFC", text)
    clean = _NOISE_RE.sub(" ", text)  # same length: spans stay valid for ``text``
    labels = list(_LABEL_RE.finditer(_fold_same_length(clean)))
    if labels and labels[0].start() == 0:
        lead: list[UnitMatch] = []
        support: list[UnitMatch] = []
        for k, label in enumerate(labels):
            end = labels[k + 1].start() if k + 1 < len(labels) else len(clean)
            _, items = _scan(" " * label.end() + clean[label.end() : end], cap)  # offsets kept
            roles = label.group(0)
            only_support = "phối hợp" in roles and "chủ trì" not in roles and "chuẩn bị" not in roles
            (support if only_support else lead).extend(_assignees(items))
        return _dedupe(lead), _dedupe(support)
    toks, items = _scan(clean, cap)
    if not any(it.kind in ("lead", "support", "context") for it in items):
        units = [it.match for it in _after_intro(items) if it.match is not None]
        if units and all(_is_unit_like(u) for u in units):
            return units, []
        return None
    if not any(it.kind in ("lead", "support") for it in items):
        return None  # only context words: "trình HĐND phường"
    # ";" separates clauses, each with its own roles: "Phòng A; Phòng B, Trạm C phối hợp".
    clauses: list[list[_Item]] = [[]]
    for it in items:
        if it.kind == "sep" and (toks[it.start].key == ";" or _sentence_end(toks, it.start)):
            clauses.append([])
        else:
            clauses[-1].append(it)
    clauses = [c for c in clauses if any(it.match is not None for it in c)]
    leads = [_leads_itself(c) for c in clauses]
    lead: list[UnitMatch] = []
    support: list[UnitMatch] = []
    for k, clause in enumerate(clauses):
        if not any(it.kind in ("lead", "support", "context", "other") for it in clause):
            lead.extend(_assignees(_after_intro(clause)))  # a bare clause names leads
            continue
        lead_elsewhere = any(leads[:k] + leads[k + 1 :])
        kinds = {it.kind for it in clause}
        if "other" in kinds and not kinds & {"lead", "support"} and lead_elsewhere:
            continue  # "...; Thường trực Hội tổng hợp": another duty than this item's lead
        got = _roles(_after_intro(clause), lead_elsewhere=lead_elsewhere)
        lead.extend(got[0])
        support.extend(got[1])
    return _dedupe(lead), _dedupe(support)


def _after_intro(items: list[_Item]) -> list[_Item]:
    """Items after the last "giao": the body that assigns ("UBND xã giao Phòng X ...") is no assignee."""
    last = max((k for k, it in enumerate(items) if it.kind == "intro"), default=-1)
    return items[last + 1 :]


def _leads_itself(clause: list[_Item]) -> bool:
    """Does a clause name a lead on its own (a lead role word, or no role word at all)?"""
    kinds = {it.kind for it in clause}
    return "lead" in kinds or not kinds & {"support", "context", "other"}


def _assignees(items: list[_Item]) -> list[UnitMatch]:
    """Units of ``items`` minus context ones (after "của", "trình") and non-names."""
    out: list[UnitMatch] = []
    after_context = False
    for it in items:
        if it.kind == "context":
            after_context = True
        elif it.match is not None:
            if not after_context and _is_unit_like(it.match):
                out.append(it.match)
            after_context = False
    return out


def _roles(items: list[_Item], *, lead_elsewhere: bool = False) -> tuple[list[UnitMatch], list[UnitMatch]]:
    """Assign roles: subjects before a role word, objects after ``phối hợp (với)``."""
    lead: list[UnitMatch] = []
    support: list[UnitMatch] = []
    pending: list[_Item] = []
    objects = False  # pending units are the objects of "phối hợp"
    for idx, it in enumerate(items):
        if it.kind == "lead":
            (support if objects else lead).extend(_assignees(pending))
            pending, objects = [], False
        elif it.kind == "support":
            group = _assignees(pending)
            has_objects = any(x.kind in ("unit", "chunk") for x in _until_role(items[idx + 1 :]))
            if not has_objects and (lead or lead_elsewhere):
                support.extend(group)  # "X chuẩn bị, Y phối hợp"; "X; Y phối hợp"
            else:
                lead.extend(group)  # "X phối hợp với Y", "X, Y phối hợp tham mưu"
            pending, objects = [], True
        else:
            pending.append(it)
    (support if objects else lead).extend(_assignees(pending))
    return _dedupe(lead), _dedupe(support)


def _until_role(items: list[_Item]) -> list[_Item]:
    out = []
    for it in items:
        if it.kind in ("lead", "support"):
            break
        out.append(it)
    return out


def _dedupe(units: list[UnitMatch]) -> list[UnitMatch]:
    seen: set[str] = set()
    out = []
    for u in units:
        if u.name not in seen:
            seen.add(u.name)
            out.append(u)
    return out


@cache
def _mention_trie() -> dict[str, Any]:
    """Gazetteer keys as a word trie (words lower-cased), each end holding its entry index."""
    trie: dict[str, Any] = {}
    for key, idx in _gazetteer().keys.items():
        node = trie
        for word in key.split():
            node = node.setdefault(word.lower(), {})
        if node is not trie:
            node.setdefault(_END, idx)
    return trie


def _mention_spans(words: list[str]) -> list[tuple[int, int, int]]:
    """Non-overlapping gazetteer names in a word sequence: ``(start, end, entry)`` in text order.

    Every name at every position is a candidate (punctuation between words is
    ignored); the longest wins, then the earliest, and a candidate touching a
    chosen one is dropped: the rule spaCy's EntityRuler applied here before.
    """
    trie = _mention_trie()
    lowered = [w.lower() for w in words]
    found: list[tuple[int, int, int]] = []
    for i in range(len(lowered)):
        node = trie.get(lowered[i])
        j = i + 1
        while node is not None:
            if _END in node:
                found.append((i, j, node[_END]))
            if j == len(lowered):
                break
            node = node.get(lowered[j])
            j += 1
    found.sort(key=lambda m: (m[1] - m[0], -m[0]), reverse=True)
    taken: set[int] = set()
    chosen: list[tuple[int, int, int]] = []
    for start, end, idx in found:
        if start not in taken and end - 1 not in taken:
            chosen.append((start, end, idx))
            taken.update(range(start, end))
    return sorted(chosen)


def find_unit_mentions(text: str, *, cap: str = "phường") -> list[UnitMatch]:
    """Bodies named in running text (``Giao UBND phường chỉ đạo ...``), with spans in NFC ``text``."""
    return list(_unit_mentions(text, cap))


@lru_cache(maxsize=4096)
def _unit_mentions(text: str, cap: str) -> tuple[UnitMatch, ...]:
    # Cached: an item's text is searched for bodies by several readers (its subject, a
    # resolution's assignees, the inline assignment).
    text = unicodedata.normalize("NFC", text)
    toks = _tokenize(text)
    word_idx = [k for k, t in enumerate(toks) if t.is_word]
    out: list[UnitMatch] = []
    for start, end, entry in _mention_spans([toks[k].key for k in word_idx]):
        i, j = word_idx[start], word_idx[end - 1] + 1
        out.append(_unit_from(toks, text, i, j, entry, cap, 100.0))
    return tuple(out)
