"""vectorstore.reading: encodings (GBK/GB18030, BOMs, UTF-16), formats (.html, .md, .docx, .pdf) and the
files it must refuse with a ReadError that names the file."""

from __future__ import annotations

import codecs
import hashlib
import random
from functools import cache
from pathlib import Path

import pytest

from vectorstore import reading
from vectorstore.cleaning import clean, squash
from vectorstore.reading import ReadError, read_bytes, read_file

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SEED_IDS = [p.name[:3] for p in sorted(SEEDS.glob("*.txt"))]


@cache
def seed_path(prefix: str) -> Path:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path


@cache
def raw(prefix: str) -> str:
    return seed_path(prefix).read_text("utf-8")


def gbk_bytes(text: str) -> tuple[bytes, str]:
    """GBK when every character is GBK-encodable, else GB18030 (003 holds U+00A0, which GBK lacks)."""
    try:
        return text.encode("gbk", errors="strict"), "gbk"
    except UnicodeEncodeError:
        return text.encode("gb18030", errors="strict"), "gb18030"


# --- encodings ----------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", SEED_IDS)
def test_gbk_twin_decodes_to_the_same_text(prefix, tmp_path):
    text = raw(prefix)
    data, codec = gbk_bytes(text)
    assert codec == ("gb18030" if prefix == "003" else "gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # really a different byte stream
    twin = tmp_path / f"{prefix}_gbk_twin.txt"
    twin.write_bytes(data)
    decoded, utf8 = read_file(twin), read_file(seed_path(prefix))
    assert decoded.text == utf8.text == text
    assert decoded.encoding == "gb18030" and utf8.encoding == "utf-8"
    # The hash is of the decoded text, so twins are recognised as the same bulletin.
    assert decoded.sha256 == utf8.sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert clean(decoded.text) == clean(utf8.text)
    assert decoded.doc_id == f"{prefix}_gbk_twin"


def test_short_gbk_snippet():
    text = "本报讯（记者郭树勋）2月24日下午，示范区40家重点工业企业全部复工复产。"
    assert read_bytes(text.encode("gbk"), "短讯.txt") == (text, "gb18030")


def test_utf8_with_bom():
    text = raw("004")
    decoded, enc = read_bytes(codecs.BOM_UTF8 + text.encode("utf-8"), "004.txt")
    assert decoded == text and not decoded.startswith("\ufeff")
    assert enc == "utf-8-sig"


@pytest.mark.parametrize("bom, codec", [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")])
def test_utf16_with_bom(bom, codec):
    text = raw("002")
    decoded, _ = read_bytes(bom + text.encode(codec), "002.txt")
    assert decoded == text
    assert clean(decoded).text == clean(text).text


def test_crlf_line_ends_clean_like_lf():
    text = raw("002")
    decoded, _ = read_bytes(text.replace("\n", "\r\n").encode("utf-8"), "002.txt")
    assert clean(decoded).text == clean(text).text


# --- files that must be refused -----------------------------------------------------------------

PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00\x5c\x72\xa8\x66"


def random_binary(n: int = 4096) -> bytes:
    rng = random.Random(4)
    data = bytearray(rng.randrange(256) for _ in range(n))
    data[::97] = bytes(len(data[::97]))  # make sure there are NULs
    return bytes(data)


@pytest.mark.parametrize(
    "name, data, why",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b" \r\n\t\n  \n", "empty"),
        ("fullwidth-blank.txt", "\u3000\u3000\n\u3000\n".encode(), "no text"),
        ("bom-only.txt", codecs.BOM_UTF8 + b" \n", "no text"),
        ("utf16-blank.txt", codecs.BOM_UTF16_LE + " \n".encode("utf-16-le"), "no text"),
        ("random.txt", random_binary(), "binary"),
        ("picture.txt", PNG_HEADER + bytes(200), "binary"),
        ("empty.html", b"<html><head><script>var a = '\xe7\x96\xab\xe6\x83\x85';</script></head><body> </body></html>", "no text"),
        ("empty.md", b"\n\n", "empty"),
    ],
)
def test_unreadable_files_raise_read_error_naming_the_file(tmp_path, name, data, why):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ReadError) as err:
        read_file(path)
    assert name in str(err.value)
    assert why in str(err.value)


@pytest.mark.parametrize("name", ["photo.png", "table.xlsx", "bulletin", "bulletin.doc"])
def test_unsupported_suffix(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(raw("003").encode("utf-8"))
    with pytest.raises(ReadError) as err:
        read_file(path)
    message = str(err.value)
    assert name in message and "unsupported file type" in message
    assert ".txt" in message  # says what would work
    assert (Path(name).suffix or "(none)") in message


def test_missing_file(tmp_path):
    path = tmp_path / "没有这个文件.txt"
    with pytest.raises(ReadError) as err:
        read_file(path)
    assert str(path) in str(err.value)


def test_oversized_file(monkeypatch):
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 1000)
    with pytest.raises(ReadError) as err:
        read_bytes(raw("003").encode("utf-8"), "big.txt")
    assert "big.txt" in str(err.value)


@pytest.mark.parametrize("name", ["broken.pdf", "broken.docx"])
def test_corrupt_pdf_and_docx(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.4\n%garbage, not a PDF body\n" if name.endswith(".pdf") else b"PK\x03\x04 not a zip")
    with pytest.raises(ReadError) as err:
        read_file(path)
    assert name in str(err.value)


# --- formats ------------------------------------------------------------------------------------


def test_markdown_reads_verbatim_and_headings_are_cleaned():
    text = raw("001")
    decoded, enc = read_bytes(text.encode("utf-8"), "001.md")
    assert decoded == text and enc == "utf-8"
    assert "# 我市全力统筹做好疫情防控和经济发展" in decoded
    cleaned = clean(decoded).text
    assert "#" not in cleaned
    assert "\n我市全力统筹做好疫情防控和经济发展\n本报讯(记者段美如)" in cleaned


HTML_003 = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>我市全力夺取疫情防控和经济社会发展双胜利</title>
<style>p {{ color: #333 }} .nav {{ display: none }}</style>
<script type="text/javascript">var tracker = "本报讯 不该出现"; document.write("<p>广告</p>");</script>
</head><body>
<div class="nav"><a href="/">首页</a> &gt; <a href="/dzyw">定州要闻</a>&gt;&gt;</div>
<h1>我市全力夺取疫情防控和经济社会发展双胜利</h1>
<div class="info">时间:2020-02-26 17:37:48&nbsp;&nbsp;来源:&nbsp;&nbsp;作者:</div>
<div class="content">{paragraphs}</div>
<noscript>请启用JavaScript</noscript>
<script>console.log("统计代码");</script>
</body></html>
"""


def html_003() -> tuple[str, list[str]]:
    # The body paragraphs of the real 003 web page.
    paras = [p.strip().replace("\xa0", "") for p in raw("003").split("\n")[7:12] if p.strip()]
    body = "".join(f"<p>{p}</p>\n" for p in paras[:-1]) + f"<p>{paras[-1][:40]}<br>{paras[-1][40:]}</p>"
    return HTML_003.format(paragraphs=body), paras


@pytest.mark.parametrize("suffix, codec", [(".html", "utf-8"), (".htm", "gbk")])
def test_html_tags_stripped_and_scripts_dropped(suffix, codec):
    html, paras = html_003()
    text, _ = read_bytes(html.encode(codec), f"003{suffix}")
    for dropped in ("<p>", "</", "<br>", "tracker", "本报讯", "统计代码", "color", "广告", "JavaScript", "&nbsp;"):
        assert dropped not in text
    cleaned = clean(text).text
    assert "时间:2020-02-26 17:37:48" in cleaned
    for p in paras:
        assert squash(p) in squash(cleaned)
    # Paragraphs stay paragraphs: the first body paragraph starts a line of the cleaned text.
    assert "\n" + paras[0][:20] in cleaned


def test_docx_paragraphs(tmp_path):
    import docx

    text = raw("004")
    # The 孙国利 item of 004, one Word paragraph per printed paragraph, lines re-joined as Word would.
    start = text.index("本报讯（记者孙国利）")
    item = text[start : text.index("①5", start)]
    paras = [p.replace("\n", "") for p in item.split("\n\n") if p.strip()]
    document = docx.Document()
    document.add_heading("示范区40家重点工业企业复工复产率100%", level=1)
    for p in paras:
        document.add_paragraph(p)
    path = tmp_path / "004_sun.docx"
    document.save(path)
    decoded = read_file(path)
    assert decoded.encoding == "docx" and decoded.doc_id == "004_sun"
    cleaned = clean(decoded.text).text
    assert cleaned.startswith("示范区40家重点工业企业复工复产率100%\n本报讯（记者孙国利）全市疫情防控阻击战打响以来")
    assert "占规上工业企业19.7%，用工人数达48773人" in cleaned
    assert len(cleaned.split("\n")) == len(paras) + 1
    assert squash(cleaned) == squash("示范区40家重点工业企业复工复产率100%" + clean(item).text)


def make_pdf(lines: list[str]) -> bytes:
    """A minimal one-page PDF whose text layer holds `lines` (Type0 font, Identity-H, ToUnicode CMap):
    enough for text extraction, no font embedded, so no PDF library is needed to build it."""
    chars = sorted({c for line in lines for c in line})
    ops = ["BT", "/F1 10 Tf", "14 TL", "40 800 Td"]
    ops += [f"<{''.join(f'{ord(c):04X}' for c in line)}> Tj T*" for line in lines]
    ops.append("ET")
    content = "\n".join(ops).encode()
    bfchar = []
    for i in range(0, len(chars), 100):
        block = chars[i : i + 100]
        bfchar += [f"{len(block)} beginbfchar", *(f"<{ord(c):04X}> <{ord(c):04X}>" for c in block), "endbfchar"]
    cmap = (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        + "\n".join(bfchar)
        + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    ).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >>"
        b" /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H"
        b" /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_pdf_text_layer(tmp_path):
    # 004's column lines as a PDF page would hold them: hard breaks, spaced characters, a page-jump marker.
    text = raw("004")
    start = text.index("目前，全市已开工企业236家")
    lines = text[start : text.index("为企纾困", start)].strip().split("\n") + ["疫情防控纾困专班，（下转第三版①）"]
    path = tmp_path / "004_page.pdf"
    path.write_bytes(make_pdf(lines))
    decoded = read_file(path)
    assert decoded.encoding == "pdf" and decoded.doc_id == "004_page"
    cleaned = clean(decoded.text).text
    assert "目前，全市已开工企业236家，占规上工业企业19.7%，用工人数达48773人，防控物资生产企业累计生产口罩51.13万个" in cleaned
    assert "下转" not in cleaned


def test_pdf_without_text_layer(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(make_pdf([]))
    with pytest.raises(ReadError) as err:
        read_file(path)
    assert "scan.pdf" in str(err.value) and "no text" in str(err.value)


def test_suffix_is_case_insensitive():
    assert read_bytes(raw("003").encode("utf-8"), "some/dir/003.TXT")[0] == raw("003")
