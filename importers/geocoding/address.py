"""Korean address normalisation, so that '서울특별시 서초구 반포대로 13 (서초동)' and
'서울 서초구 반포대로 13' are recognised as the same place."""

from __future__ import annotations

import re
import unicodedata

# Official long names of provinces and metropolitan cities -> the short form people write.
PROVINCES = {
    "서울특별시": "서울",
    "서울시": "서울",
    "부산광역시": "부산",
    "대구광역시": "대구",
    "인천광역시": "인천",
    "광주광역시": "광주",
    "대전광역시": "대전",
    "울산광역시": "울산",
    "세종특별자치시": "세종",
    "경기도": "경기",
    "강원특별자치도": "강원",
    "강원도": "강원",
    "충청북도": "충북",
    "충청남도": "충남",
    "전북특별자치도": "전북",
    "전라북도": "전북",
    "전라남도": "전남",
    "경상북도": "경북",
    "경상남도": "경남",
    "제주특별자치도": "제주",
    "제주도": "제주",
}
_PARENS = re.compile(r"\s*[,]?\s*\([^)]*\)")
_EXTRA_LOTS = re.compile(r"\s*(외\s*\d+\s*필지|일원|일대|번지)\b.*$")
_HYPHEN = re.compile(r"\s*-\s*")
_SPACES = re.compile(r"\s+")


def normalize_address(text: str) -> str:
    """A comparable form: NFKC, short province names, no parenthesised hints or lot suffixes."""
    value = unicodedata.normalize("NFKC", text or "").strip()
    value = _PARENS.sub("", value)
    value = value.replace(",", " ")
    value = _EXTRA_LOTS.sub("", value)
    value = _HYPHEN.sub("-", value)
    value = _SPACES.sub(" ", value).strip()
    first, _, rest = value.partition(" ")
    first = PROVINCES.get(first, first)
    return f"{first} {rest}".strip()
