"""Unit mentions in running text come from the gazetteer trie; they must equal what the
spaCy EntityRuler over the same gazetteer keys found (the implementation they replaced)."""

from __future__ import annotations

import itertools
import unicodedata
from pathlib import Path

import pytest

from vanban.normalizers import units

SHARED = Path(__file__).resolve().parents[2].parent / "shared"

TEXTS = [
    "Giao UBND phường chỉ đạo Văn phòng HĐND&UBND phối hợp với Công an phường thực hiện",
    "Ủy ban nhân dân, phường Hồng Gai chủ trì; Ban Chỉ huy quân sự phường phối hợp",
    "Đảng uỷUBND xã và Mặt trận Tổ quốc xã, các đoàn thể chính trị - xã hội",
    "Trường Mầm non, Tiểu học và Trung học cơ sở; Trạm Y tế xã",
    "",
    "không có cơ quan nào ở đây",
]


def _spacy_mentions(text: str, nlp: object) -> list[units.UnitMatch]:
    """The former implementation: a blank Vietnamese pipeline with an EntityRuler of keys."""
    text = unicodedata.normalize("NFC", text)
    toks = units._tokenize(text)
    word_idx = [k for k, t in enumerate(toks) if t.is_word]
    doc = nlp(" ".join(toks[k].key for k in word_idx))  # type: ignore[operator]
    out = []
    for ent in doc.ents:
        i, j = word_idx[ent.start], word_idx[ent.end - 1] + 1
        out.append(units._unit_from(toks, text, i, j, int(ent.ent_id_), "phường", 100.0))
    return out


def _texts() -> list[str]:
    texts = list(TEXTS)
    for path in sorted((SHARED / "seeds").glob("*.txt")) + sorted((SHARED / "corpus").glob("*/*.txt")):
        body = path.read_text(encoding="utf-8", errors="replace")
        texts.extend(line for line in body.splitlines() if line.strip())
        texts.extend(body[i : i + 300] for i in range(0, len(body), 211))
    return texts


def test_trie_mentions_equal_spacy_entity_ruler() -> None:
    spacy = pytest.importorskip("spacy", reason="spaCy is only the reference implementation here")
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    gaz = units._gazetteer()
    ruler.add_patterns(
        [{"label": gaz.entries[i].kind, "pattern": key, "id": str(i)} for key, i in gaz.keys.items() if key]
    )
    found = 0
    for text in _texts():
        expected = _spacy_mentions(text, nlp)
        assert units.find_unit_mentions(text) == expected, text
        found += len(expected)
    assert found > 0


def test_longest_name_wins_and_names_do_not_overlap() -> None:
    mentions = units.find_unit_mentions("Giao Ủy ban nhân dân phường chủ trì, Văn phòng Đảng ủy phối hợp")
    names = [m.name for m in mentions]
    assert len(names) == len(set(names)) == 2
    spans = [m.span for m in mentions]
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
