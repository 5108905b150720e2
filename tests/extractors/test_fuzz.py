"""Extractor entry points under random input: only the project's own errors, never a crash.

Bounded for CI (``VANBAN_FUZZ_EXAMPLES``, default 60 per property); run a long
profile on demand with ``VANBAN_FUZZ_EXAMPLES=10000``.
"""

from __future__ import annotations

import contextlib
import io
import os
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vanban.errors import VanbanError
from vanban.extractors import extract
from vanban.extractors.text import decode_bytes

EXAMPLES = int(os.environ.get("VANBAN_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _run(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with contextlib.suppress(VanbanError):  # a clear, per-file error is the expected outcome for garbage
        extract(path)


@FUZZ
@given(st.binary(max_size=4096))
def test_decoding_any_bytes_returns_text(data: bytes) -> None:
    text, encoding = decode_bytes(data)
    assert isinstance(text, str) and encoding


@FUZZ
@given(data=st.binary(max_size=4096), name=st.sampled_from(["a.txt", "a.doc", "a.pdf", "a.docx", "a"]))
def test_random_bytes_under_any_name(tmp_path: Path, data: bytes, name: str) -> None:
    _run(tmp_path, name, data)


_text = st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="<&>"), max_size=40)
_number = st.one_of(st.integers(-5, 5), st.integers(-(2**40), 2**40)).map(str) | st.sampled_from(
    ["x", "", "1e9"]
)
_paragraph = st.builds(
    lambda text, num, fmt, start, span: (
        f'<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num}"/></w:numPr></w:pPr>'
        f"<w:r><w:t>{text}</w:t></w:r></w:p>",
        f'<w:num w:numId="{num}"><w:abstractNumId w:val="1"/></w:num>',
        f'<w:lvl w:ilvl="0"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="%1."/></w:lvl>',
        f'<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr>{"<w:p/>"}</w:tc></w:tr></w:tbl>',
    ),
    _text,
    st.integers(0, 3),
    st.sampled_from(["decimal", "upperRoman", "lowerLetter", "bullet", "none", "weird"]),
    _number,
    _number,
)


@FUZZ
@given(st.lists(_paragraph, max_size=6))
def test_docx_built_from_random_parts(tmp_path: Path, parts: list[tuple[str, str, str, str]]) -> None:
    body = "".join(p + t for p, _n, _l, t in parts)
    numbering = (
        f'<w:numbering {_W}><w:abstractNum w:abstractNumId="1">{"".join(lvl for *_x, lvl, _t in parts[:1])}'
        f"</w:abstractNum>{''.join(n for _p, n, _l, _t in parts)}</w:numbering>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/>'
            '<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.numbering+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="word/document.xml"/></Relationships>',
        )
        archive.writestr(
            "word/_rels/document.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'numbering" Target="numbering.xml"/></Relationships>',
        )
        archive.writestr("word/numbering.xml", numbering)
        archive.writestr("word/document.xml", f"<w:document {_W}><w:body>{body}</w:body></w:document>")
    _run(tmp_path, "random.docx", buffer.getvalue())


def test_bom_followed_by_truncated_utf16_is_text_with_its_damage_counted() -> None:
    text, encoding = decode_bytes(b"\xfe\xff\x00")  # found by the fuzzer: crashed with UnicodeDecodeError
    assert encoding == "utf-16" and "\ufffd" in text
