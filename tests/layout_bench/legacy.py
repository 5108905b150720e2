"""Legacy 8-bit Vietnamese encodings, for the TCVN3 and VNI layouts.

The tables are this bench's own copy (so a change to ``vanban/resources/legacy_*.toml`` cannot
make encoder and decoder agree by construction); ``test_layout_bench.py`` checks them against
the independently made ``../shared/fixtures/legacy`` files when those are present.
TCVN3 (ABC fonts, ``.VnTime``): one byte per letter; capital toned vowels have no code of their
own and are written with the lower-case code, as ABC fonts do. VNI-Windows: a base letter plus a
mark byte.
"""

from __future__ import annotations

import unicodedata

_TCVN3_CHARS = "ĂÂÊÔƠƯĐăâêôơưđàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
_TCVN3_BYTES = bytes.fromhex(
    "A1A2A3A4A5A6A7A8A9AAABACADAEB5B6B7B8B9BBBCBDBEC6C7C8C9CACBCCCECFD0D1D2D3D4D5D6D7D8DCDDDEDFE1E2E3E4E5E6E7E8E9EAEBECEDEEEFF1F2F3F4F5F6F7F8F9FAFBFCFDFE"
)
_VNI_CHARS = "àÀáÁâÂầẦấẤẫẪẩẨãÃăĂằẰắẮẵẴẳẲảẢạẠậẬặẶèÈéÉêÊềỀếẾễỄểỂẽẼẻẺẹẸệỆìÌíÍĩĨỉỈịỊòÒóÓôÔồỒốỐỗỖổỔõÕỏỎơƠờỜớỚỡỠởỞợỢọỌộỘùÙúÚũŨủỦưƯừỪứỨữỮửỬựỰụỤỳỲýÝỹỸỷỶỵỴđĐ"
_VNI_CODE_TEXT = (
    "61F8 41D8 61F9 41D9 61E2 41C2 61E0 41C0 61E1 41C1 61E3 41C3 61E5 41C5 61F5 41D5 61EA 41CA 61E8 41C8 61E9 41C9 61FC 41DC 61FA 41DA 61FB 41DB 61EF 41CF 61E4 41C4 61EB 41CB 65F8 45D8 65F9 45D9 65E2 45C2 65E0 45C0 65E1 45C1 65E3 45C3 65E5 45C5 65F5 45D5 65FB 45DB 65EF 45CF 65E4 45C4 EC CC ED CD F3 D3 E6 C6 F2 D2 6FF8 4FD8 6FF9 4FD9 "
    "6FE2 4FC2 6FE0 4FC0 6FE1 4FC1 6FE3 4FC3 6FE5 4FC5 6FF5 4FD5 6FFB 4FDB F4 D4 F4F8 D4D8 F4F9 D4D9 F4F5 D4D5 F4FB D4DB F4EF D4CF 6FEF 4FCF 6FE4 4FC4 75F8 55D8 75F9 55D9 75F5 55D5 75FB 55DB F6 D6 F6F8 D6D8 F6F9 D6D9 F6F5 D6D5 F6FB D6DB F6EF D6CF 75EF 55CF 79F8 59D8 79F9 59D9 79F5 59D5 79FB 59DB EE CE F1 D1"
)
_VNI_CODES = _VNI_CODE_TEXT.split()

TCVN3 = {c: bytes([b]) for c, b in zip(_TCVN3_CHARS, _TCVN3_BYTES, strict=True)}
VNI = {c: bytes.fromhex(code) for c, code in zip(_VNI_CHARS, _VNI_CODES, strict=True)}


def _encode(text: str, table: dict[str, bytes], *, lower_fallback: bool) -> bytes:
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        if ch in table:
            out += table[ch]
        elif lower_fallback and ch.lower() in table:
            out += table[ch.lower()]
        else:
            out += ch.encode("cp1252")
    return bytes(out)


def encode_tcvn3(text: str) -> bytes:
    return _encode(text, TCVN3, lower_fallback=True)


def encode_vni(text: str) -> bytes:
    return _encode(text, VNI, lower_fallback=False)
