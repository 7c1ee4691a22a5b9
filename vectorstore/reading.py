"""Read a bulletin file of any supported format into decoded text.

Encoding detection is deliberately ordered: BOMs first, then strict UTF-8, then GB18030 (a superset
of GBK/GB2312, which most Chinese government sites still use), and only then charset-normalizer.
A GBK file and its UTF-8 twin therefore decode to the same string, so they ingest identically.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

SUPPORTED_SUFFIXES = {".txt", ".md", ".html", ".htm", ".pdf", ".docx"}
MAX_FILE_BYTES = 10 * 2**20  # the default of BULLETINS_MAX_FILE_MB: 500 times a long bulletin


class ReadError(Exception):
    """A file that cannot be ingested; the message names the file and says what to do."""


class UnsupportedFile(ReadError):
    """Not one of SUPPORTED_SUFFIXES."""


class FileTooLarge(ReadError):
    """Over the size limit (BULLETINS_MAX_FILE_MB)."""


def too_large(name: str, size: int, max_bytes: int) -> FileTooLarge:
    return FileTooLarge(
        f"{name}: {size / 2**20:.1f} MiB, over the {max_bytes / 2**20:g} MiB limit; split it, or raise "
        "BULLETINS_MAX_FILE_MB (embedding takes about 25 minutes per MiB of Chinese text on 2 cores)"
    )


@dataclass
class DecodedFile:
    doc_id: str
    path: Path
    text: str
    encoding: str
    sha256: str


def doc_id_for(path: Path) -> str:
    # The file name (without suffix) is the document id, as in seeds/.
    return path.stem


def decode_bytes(data: bytes, name: str = "<bytes>") -> tuple[str, str]:
    """Decode text bytes, returning (text, encoding). Raises ReadError for binary or empty input."""
    if not data.strip(b" \t\r\n\x00"):
        raise ReadError(f"{name}: file is empty; nothing to ingest")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(enc), enc
    if _looks_utf16(data):
        enc = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        return data.decode(enc), enc
    if b"\x00" in data:
        raise ReadError(f"{name}: looks like a binary file (NUL bytes); convert it to .txt, .md, .html, .pdf or .docx")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ReadError(f"{name}: cannot detect the text encoding; save it as UTF-8 and ingest again")
    return str(best), best.encoding


def _looks_utf16(data: bytes) -> bool:
    # BOM-less UTF-16: every other byte is NUL for ASCII-heavy text; for CJK it is not, so only
    # treat it as UTF-16 when the NUL pattern is strong and the decode is clean.
    sample = data[:2000]
    if len(sample) < 4 or len(sample) % 2:
        return False
    odd_nul = sample[1::2].count(0) / (len(sample) / 2)
    even_nul = sample[0::2].count(0) / (len(sample) / 2)
    return max(odd_nul, even_nul) > 0.3 and min(odd_nul, even_nul) < 0.05


def _html_to_text(html: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript"]):
        tag.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    text = soup.get_text("\n")
    return re.sub(r"\n{3,}", "\n\n", text)


def _pdf_to_text(data: bytes, name: str) -> str:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as exc:  # pypdf raises many types for damaged files
        raise ReadError(f"{name}: cannot read PDF ({exc}); re-export it or save the text as .txt") from exc
    text = "\n\n".join(pages)
    if not text.strip():
        raise ReadError(f"{name}: PDF has no text layer (scanned?); run OCR first or provide a .txt")
    return text


def _docx_to_text(data: bytes, name: str) -> str:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise ReadError(f"{name}: cannot read .docx ({exc}); re-save it from Word or provide a .txt") from exc
    return "\n\n".join(p.text for p in document.paragraphs)


def read_bytes(data: bytes, name: str, max_bytes: int | None = None) -> tuple[str, str]:
    """Turn file bytes into text according to the name's suffix; returns (text, encoding)."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedFile(
            f"{name}: unsupported file type {suffix or '(none)'}; use one of {sorted(SUPPORTED_SUFFIXES)}")
    limit = MAX_FILE_BYTES if max_bytes is None else max_bytes
    if len(data) > limit:
        raise too_large(name, len(data), limit)
    if suffix == ".pdf":
        text, enc = _pdf_to_text(data, name), "pdf"
    elif suffix == ".docx":
        text, enc = _docx_to_text(data, name), "docx"
    else:
        text, enc = decode_bytes(data, name)
        if suffix in {".html", ".htm"}:
            text = _html_to_text(text)
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ReadError(f"{name}: file has no text; nothing to ingest")
    if _mostly_control(text):
        raise ReadError(f"{name}: looks like a binary file, not text; nothing ingested")
    return text, enc


def _mostly_control(text: str) -> bool:
    sample = text[:4000]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\r\n\t") or ch == "\ufffd")
    return bad / max(len(sample), 1) > 0.05


def read_file(path: Path, max_bytes: int | None = None) -> DecodedFile:
    path = Path(path)
    limit = MAX_FILE_BYTES if max_bytes is None else max_bytes
    try:
        size = path.stat().st_size
        if size > limit:  # refuse before reading a multi-GB file into memory
            raise too_large(str(path), size, limit)
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"{path}: cannot open ({exc.strerror}); check the path and permissions") from exc
    return decoded(path, data, limit)


def decoded(path: Path, data: bytes, max_bytes: int | None = None) -> DecodedFile:
    """A file's bytes (read from disk or uploaded) as a DecodedFile; its name gives the doc id and format."""
    text, enc = read_bytes(data, str(path), max_bytes)
    return DecodedFile(
        doc_id=doc_id_for(path),
        path=path,
        text=text,
        encoding=enc,
        # Hash the decoded text, not the bytes: a GBK twin of a UTF-8 file is the same bulletin.
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )
