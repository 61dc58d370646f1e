"""Bytes -> Vietnamese text, or a clear refusal. Never garbled text.

Archives collected over twenty years hold UTF-8 (with and without BOM), UTF-16 exported from Windows
tools, and Windows-1258 from old Vietnamese Windows installations. A wrong guess does not fail loudly:
it silently stores "Há»™i nghá»‹" instead of "Hội nghị", which then never matches a question. So each
candidate decoding must also *look like* Vietnamese text, and anything doubtful is refused with a reason
the user can act on.
"""

from __future__ import annotations

import codecs
import logging
import re
import unicodedata

from ingest.vietnamese_text import normalize_text

logger = logging.getLogger(__name__)

_TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
_VOWELS = "aăâeêioôơuưy"
VIETNAMESE_LETTERS = frozenset(
    unicodedata.normalize("NFC", base + tone).swapcase()
    if upper
    else unicodedata.normalize("NFC", base + tone)
    for base in _VOWELS
    for tone in _TONES
    for upper in (False, True)
) | frozenset("đĐ")
# Typography that Vietnamese text legitimately carries beside its letters.
_COMMON_SYMBOLS = frozenset("“”‘’–—…•·°«»©®™€£§±×÷¼½¾²³µ¶\u00a0\u2022\u2026\u2032\u2033")
# "UTF-8 read as Windows-1252, saved again as UTF-8": Ã, Ä, Æ, á followed by a continuation-byte glyph.
_MOJIBAKE = re.compile(
    "[ÃÄÆáâ][\u0080-\u009f\u00a1-\u00bf\u2018-\u203a\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u02c6\u02dc]"
)
_CP1252_EXTRA = {ch: codecs.encode(ch, "cp1252")[0] for ch in "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"}


class UndecodableFileError(ValueError):
    """The bytes are not text in a supported encoding; the message (Vietnamese) says why."""


def decode_bytes(data: bytes, source: str) -> str:
    """Decode a text file's bytes; returns NFC text (see `normalize_text`).

    Order: BOMs (UTF-32, UTF-8, UTF-16), NUL bytes (binary, or UTF-16 without BOM), strict UTF-8
    (repairing double-encoded UTF-8), then Windows-1258 only if the result reads as Vietnamese.
    Raises `UndecodableFileError` otherwise; `source` is only used in log messages.
    """
    if not data:
        return ""
    text = _decode_with_bom(data)
    if text is None and b"\x00" in data:
        text = _decode_utf16_without_bom(data)
        if text is None:
            raise UndecodableFileError("Tệp nhị phân, không phải văn bản (chứa byte NUL).")
    if text is None:
        text = _decode_utf8(data)
    if text is None:
        text = _decode_cp1258(data)
        if text is None:
            raise UndecodableFileError(
                "Không nhận ra bảng mã của tệp (không phải UTF-8, UTF-16 hay Windows-1258)."
            )
        logger.info("%s: decoded as Windows-1258", source)
    _check_text_like(text)
    return normalize_text(text)


def _decode_with_bom(data: bytes) -> str | None:
    boms = (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    )
    for bom, encoding in boms:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise UndecodableFileError(
                    f"Tệp có dấu BOM {encoding.upper()} nhưng nội dung không đúng bảng mã này."
                ) from exc
    return None


def _decode_utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without BOM: ASCII characters leave NUL bytes on one side of every pair."""
    if len(data) % 2:
        return None
    even_nuls, odd_nuls = data[0::2].count(0), data[1::2].count(0)
    pairs = len(data) // 2
    if odd_nuls > pairs * 0.3 and even_nuls < pairs * 0.02:
        encoding = "utf-16-le"
    elif even_nuls > pairs * 0.3 and odd_nuls < pairs * 0.02:
        encoding = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return text if _odd_character_share(text) < 0.01 else None


def _decode_utf8(data: bytes) -> str | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    markers = len(_MOJIBAKE.findall(text))
    if markers >= 3:
        repaired = _repair_double_encoding(text)
        if repaired is not None:
            return repaired
        if markers * 100 >= len(text):
            raise UndecodableFileError("Văn bản bị lỗi mã hoá kép (UTF-8 bị đọc nhầm) và không sửa được.")
    return text


def _repair_double_encoding(text: str) -> str | None:
    """Undo "UTF-8 bytes read as Windows-1252": map each character back to its byte and re-decode."""
    raw = bytearray()
    for ch in text:
        code = ord(ch)
        if code < 256:
            raw.append(code)
        elif ch in _CP1252_EXTRA:
            raw.append(_CP1252_EXTRA[ch])
        else:
            return None
    try:
        repaired = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return repaired if _looks_vietnamese(repaired) else None


def _decode_cp1258(data: bytes) -> str | None:
    try:
        text = unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        return None
    return text if _looks_vietnamese(text) else None


def _looks_vietnamese(text: str) -> bool:
    """At least one Vietnamese letter, and almost nothing outside Vietnamese letters and typography."""
    non_ascii = [ch for ch in text if ord(ch) > 127]
    if not any(ch in VIETNAMESE_LETTERS for ch in non_ascii):
        return False
    return _odd_character_share(text) < 0.01


def _odd_character_share(text: str) -> float:
    """Share of characters that do not belong in Vietnamese prose: control characters, stray
    combining marks, foreign letters, replacement characters."""
    if not text:
        return 0.0
    text = unicodedata.normalize("NFC", text)
    odd = 0
    for ch in text:
        if ch.isascii():
            odd += ch < " " and ch not in "\t\n\r\f\v"
        elif ch not in VIETNAMESE_LETTERS and ch not in _COMMON_SYMBOLS:
            odd += 1
    return odd / len(text)


def _check_text_like(text: str) -> None:
    """Refuse text with control characters or replacement marks: a binary file that happened to decode."""
    controls = sum(
        1 for ch in text if (ch < " " and ch not in "\t\n\r\f\v") or "\x7f" <= ch <= "\x9f" or ch == "\ufffd"
    )
    if controls > max(2, len(text) // 200):
        raise UndecodableFileError("Tệp chứa nhiều ký tự điều khiển hoặc ký tự lỗi, không phải văn bản sạch.")
