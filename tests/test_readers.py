"""Readers: every format, every encoding we promise, and every failure as a Failure."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfWriter

from innograph.ingest.normalize import normalize
from innograph.ingest.readers import (
    SUPPORTED_SUFFIXES,
    RawDocument,
    iter_input_files,
    read_bytes,
    read_documents,
)
from innograph.model import Failure

SIMPLIFIED = "中国科学院上海分院与张江实验室签署战略合作协议，双方将共建人工智能联合实验室。"
TRADITIONAL = "中國科學院上海分院與張江實驗室簽署戰略合作協議，雙方將共建人工智慧聯合實驗室。"


def _one(items: list[RawDocument | Failure]) -> RawDocument:
    assert len(items) == 1, items
    item = items[0]
    assert isinstance(item, RawDocument), item
    return item


def _failure(items: list[RawDocument | Failure]) -> str:
    assert len(items) == 1, items
    item = items[0]
    assert isinstance(item, Failure), item
    return item.reason


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# ---- encodings ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", [SIMPLIFIED, TRADITIONAL])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gbk", "gb18030", "big5"])
def test_text_encodings(tmp_path: Path, text: str, encoding: str) -> None:
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        pytest.skip(f"{encoding} cannot encode this script")
    doc = _one(list(read_documents(_write(tmp_path / "news.txt", data))))
    assert doc.text == text
    assert doc.path == str(tmp_path / "news.txt")


def test_short_gbk_and_big5_texts_are_told_apart() -> None:
    # short texts are the hard case: both codecs decode them, only plausibility decides
    for text, encoding in [
        ("量子计算新闻", "gbk"),
        ("量子計算新聞", "big5"),
        ("量子計算新聞", "gbk"),
    ]:
        assert _one(list(read_bytes(text.encode(encoding), "a.txt"))).text == text


def test_western_single_byte_text() -> None:
    text = "\u201cQuantum\u201d labs open in M\u00fcnchen \u2014 caf\u00e9 talk with Zo\u00eb."
    doc = _one(list(read_bytes(text.encode("cp1252"), "a.txt")))
    assert (doc.text, doc.encoding) == (text, "cp1252")


def test_undecidable_encoding_is_a_failure() -> None:
    data = bytes(range(0x80, 0x100)) * 4
    assert _failure(list(read_bytes(data, "junk.txt"))) == (
        "could not detect the text encoding (tried utf-8, gb18030, big5)"
    )


def test_binary_file_is_a_failure(tmp_path: Path) -> None:
    path = _write(tmp_path / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    assert _failure(list(read_documents(path))) == "binary file, not text"
    assert _failure(list(read_bytes(bytes(range(32)) * 10, "ctl.txt"))) == "binary file, not text"


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  ", "\ufeff  \n".encode()])
def test_empty_document_is_a_failure(data: bytes) -> None:
    assert _failure(list(read_bytes(data, "empty.txt"))) == "empty document"


def test_too_large_is_a_failure(tmp_path: Path) -> None:
    path = _write(tmp_path / "big.txt", b"x" * (3 * 1024 * 1024))
    reason = _failure(list(read_documents(path, max_bytes=1024 * 1024)))
    assert reason == "file too large (3.0 MB > 1 MB limit)"
    assert _failure(list(read_bytes(b"x" * 2048, "up.txt", max_bytes=1024))).startswith(
        "file too large"
    )


def test_missing_and_unreadable_files_are_failures(tmp_path: Path) -> None:
    assert _failure(list(read_documents(tmp_path / "nope.txt"))) == "No such file or directory"
    plain = _write(tmp_path / "plain.txt", b"x")
    assert _failure(list(read_documents(plain / "child.txt"))) == "Not a directory"
    locked = _write(tmp_path / "locked.txt", SIMPLIFIED.encode())
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running as a user that ignores file permissions")
        assert _failure(list(read_documents(locked))) == "Permission denied"
    finally:
        locked.chmod(0o644)


# ---- formats -----------------------------------------------------------------------------


def test_txt_title_is_the_headline() -> None:
    doc = _one(list(read_bytes(f"张江实验室签约\n\n{SIMPLIFIED}\n".encode(), "n.txt")))
    assert doc.title == "张江实验室签约"
    assert SIMPLIFIED in doc.text
    assert doc.encoding == "utf-8"


def test_unknown_suffix_defaults_to_text() -> None:
    assert _one(list(read_bytes(SIMPLIFIED.encode(), "upload"))).text == SIMPLIFIED


def test_markdown_is_stripped_to_plain_text() -> None:
    markdown = (
        "---\ndate: 2024-03-08\nurl: https://example.org/n/1\n---\n"
        "# 张江 **实验室** 签约\n\n"
        "中国科学院上海分院与[张江实验室](https://example.org)签署*战略*合作协议。\n\n"
        "- 聚焦 `人工智能`\n1. 共建联合实验室\n\n> 引用一段话\n\n"
        "```python\nprint('x')\n```\n\n| 单位 | 领域 |\n|---|---|\n| 分院 | 材料 |\n\n---\n"
        "![图片说明](a.png)\n"
    )
    doc = _one(list(read_bytes(markdown.encode(), "n.md")))
    assert doc.title == "张江 实验室 签约"
    assert doc.date == "2024-03-08"
    assert doc.url == "https://example.org/n/1"
    assert "中国科学院上海分院与张江实验室签署战略合作协议。" in doc.text
    assert "聚焦 人工智能" in doc.text
    assert "共建联合实验室" in doc.text
    assert "引用一段话" in doc.text
    assert "分院 材料" in doc.text
    assert "图片说明" in doc.text
    for syntax in ["**", "](", "# ", "```", "> ", "|", "- 聚焦", "---"]:
        assert syntax not in doc.text, syntax


def test_markdown_underscores_inside_words_survive() -> None:
    doc = _one(list(read_bytes(b"Call read_input_files with __care__ and _this_.", "n.md")))
    assert doc.text == "Call read_input_files with care and this."


def test_markdown_title_falls_back_to_first_heading() -> None:
    doc = _one(list(read_bytes(b"Intro line\n\n## Quantum Lab Opens\n\nBody text.", "n.md")))
    assert doc.title == "Quantum Lab Opens"


HTML = """<!doctype html><html><head>
<meta charset="utf-8"><title>Site | 页面标题</title>
<meta property="og:title" content="张江实验室与量子公司签约">
<meta property="article:published_time" content="2024-05-01T08:00:00+08:00">
<link rel="canonical" href="https://news.example.org/a/1">
<style>p {{ color: red }}</style><script>var tracking = "脚本内容";</script>
</head><body>
<header><div class="logo">新闻网</div></header>
<nav><a href="/">首页</a> <a href="/tech">科技频道</a></nav>
<div class="sidebar">热门推荐</div>
<article><h1>张江实验室与量子公司签约</h1>
<p>中国科学院上海分院由<a href="/p/1">王建华</a>院士领衔，
   位于张江科学城。</p>
<p>The lab focuses on <b>quantum</b> computing.</p>
</article>
<footer>版权所有 © 2024</footer>
<noscript>请启用脚本</noscript>
</body></html>"""


def test_html_main_text_and_metadata() -> None:
    doc = _one(list(read_bytes(HTML.encode(), "page.html")))
    assert doc.title == "张江实验室与量子公司签约"
    assert doc.date == "2024-05-01T08:00:00+08:00"
    assert doc.url == "https://news.example.org/a/1"
    lines = doc.text.split("\n")
    assert "中国科学院上海分院由王建华院士领衔，位于张江科学城。" in lines
    assert "The lab focuses on quantum computing." in lines
    for chrome in [
        "首页",
        "科技频道",
        "热门推荐",
        "版权所有",
        "脚本内容",
        "color",
        "新闻网",
        "请启用",
    ]:
        assert chrome not in doc.text, chrome


def test_html_without_article_uses_body_and_title_tag() -> None:
    html = "<html><head><title>Plain Page</title></head><body><div>第一段</div><p>第二段</p></body></html>"
    doc = _one(list(read_bytes(html.encode("gbk"), "p.htm")))
    assert doc.title == "Plain Page"
    assert doc.text == "第一段\n第二段"


def test_html_in_big5_with_declared_charset() -> None:
    html = f'<html><head><meta charset="big5"></head><body><p>{TRADITIONAL}</p></body></html>'
    assert _one(list(read_bytes(html.encode("big5"), "p.html"))).text == TRADITIONAL


def test_html_with_no_text_is_empty() -> None:
    html = b"<html><body><nav>menu</nav><script>x()</script></body></html>"
    assert _failure(list(read_bytes(html, "p.html"))) == "empty document"


def _text_pdf(lines: list[str]) -> bytes:
    """A minimal one-page PDF with a real text layer (Helvetica, ASCII text)."""
    ops = "BT /F1 12 Tf 72 720 Td " + " ".join(f"({line}) Tj 0 -16 Td" for line in lines) + " ET"
    stream = ops.encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Title (Quantum Lab Report) >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 6 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def test_pdf_text_layer(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "report.pdf", _text_pdf(["Quantum Lab signs with Acme Ltd.", "Page end"])
    )
    doc = _one(list(read_documents(path)))
    assert "Quantum Lab signs with Acme Ltd." in doc.text
    assert "Page end" in doc.text
    assert doc.title == "Quantum Lab Report"


def test_pdf_without_text_layer_is_a_failure() -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    buffer = io.BytesIO()
    writer.write(buffer)
    assert _failure(list(read_bytes(buffer.getvalue(), "scan.pdf"))) == (
        "no text layer (scanned PDF?)"
    )


def test_broken_pdf_is_a_failure() -> None:
    assert _failure(list(read_bytes(b"%PDF-1.4\ngarbage", "bad.pdf"))).startswith("not a")
    assert _failure(list(read_bytes(b"hello", "fake.pdf"))).startswith("not a PDF")


def test_jsonl_feed_good_and_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "n1", "text": SIMPLIFIED, "title": "签约", "date": "2024-01-01"}),
        "{not json",
        "",
        json.dumps({"id": "n2", "text": "   "}),
        json.dumps(["a list"]),
        json.dumps({"id": "n3"}),
        json.dumps(
            {"id": 7, "text": "Acme Ltd opens a lab.", "source": "wire", "url": "https://x.org/7"},
            ensure_ascii=False,
        ),
    ]
    path = _write(tmp_path / "feed.jsonl", "\n".join(lines).encode())
    items = list(read_documents(path))
    by_path = {item.path: item for item in items}
    assert [item.path.rsplit("#", 1)[1] for item in items] == ["L1", "L2", "L4", "L5", "L6", "L7"]
    first = by_path[f"{path}#L1"]
    assert isinstance(first, RawDocument)
    assert (first.text, first.title, first.date, first.source) == (
        SIMPLIFIED,
        "签约",
        "2024-01-01",
        "n1",
    )
    last = by_path[f"{path}#L7"]
    assert isinstance(last, RawDocument)
    assert (last.source, last.url) == ("wire#7", "https://x.org/7")
    for bad in ("L2", "L4", "L5", "L6"):
        assert isinstance(by_path[f"{path}#{bad}"], Failure)
    reasons = {
        item.path.rsplit("#", 1)[1]: item.reason for item in items if isinstance(item, Failure)
    }
    assert reasons["L2"].startswith("invalid JSON")
    assert reasons["L4"] == "empty document"
    assert reasons["L5"] == "feed line is not a JSON object"
    assert reasons["L6"] == 'feed line has no "text" string'


# ---- never raises ------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=400),
        st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.sampled_from(
            [b"%PDF-1.7\n1 0 obj <<>>", b"<html><body>", b'{"text": 1}\n[', b"\xff\xfe"]
        ),
    ),
    st.sampled_from(["a.txt", "a.md", "a.html", "a.pdf", "a.jsonl", "upload"]),
)
def test_read_bytes_never_raises(data: bytes, name: str) -> None:
    items = list(read_bytes(data, name))
    assert items
    for item in items:
        assert isinstance(item, RawDocument | Failure)
        if isinstance(item, RawDocument):
            assert item.text.strip()
        else:
            assert item.reason and "\n" not in item.reason


# ---- finding files -----------------------------------------------------------------------


def test_iter_input_files(tmp_path: Path) -> None:
    for rel in ["b.txt", "a.md", "sub/c.html", "sub/deeper/d.jsonl", "e.pdf", "notes.docx"]:
        _write(tmp_path / rel, b"x")
    _write(tmp_path / ".hidden.txt", b"x")
    _write(tmp_path / "README.md", b"x")
    _write(tmp_path / ".git" / "f.txt", b"x")
    _write(tmp_path / "sub" / ".cache" / "g.txt", b"x")
    found = [p.relative_to(tmp_path).as_posix() for p in iter_input_files([tmp_path])]
    assert found == ["a.md", "b.txt", "e.pdf", "sub/c.html", "sub/deeper/d.jsonl"]
    # explicit files are kept (even missing ones, so the reader can say why) and not repeated
    explicit = list(iter_input_files([tmp_path / "b.txt", tmp_path, tmp_path / "missing.txt"]))
    assert explicit[0] == tmp_path / "b.txt"
    assert explicit[-1] == tmp_path / "missing.txt"
    assert len(explicit) == len(set(explicit)) == 6
    assert {".txt", ".md", ".html", ".htm", ".pdf", ".jsonl"} <= SUPPORTED_SUFFIXES


def test_directory_passed_to_read_documents_is_a_failure(tmp_path: Path) -> None:
    assert _failure(list(read_documents(tmp_path))) == "is a directory, not a file"


def test_examples_folder_reads_cleanly() -> None:
    examples = Path(__file__).resolve().parent.parent / "examples"
    files = list(iter_input_files([examples]))
    assert len(files) >= 10
    items = [item for path in files for item in read_documents(path)]
    failures = [item for item in items if isinstance(item, Failure)]
    assert not failures, failures
    docs = [item for item in items if isinstance(item, RawDocument)]
    assert len(docs) >= 12
    texts = [normalize(doc.text).text for doc in docs]

    def documents_naming(name: str) -> int:
        return sum(name in text for text in texts)

    # the cross-document connections examples/README.md promises exist in the text
    assert documents_naming("量衡科技") >= 7
    assert documents_naming("上海量子材料研究院") >= 6
    assert documents_naming("张江科学城") >= 5
    assert documents_naming("2024长三角量子科技峰会") >= 4
    assert documents_naming("周立衡") >= 5
    assert documents_naming("晶准半导体") >= 2  # Traditional source and a Simplified feed item
    assert documents_naming("中科院上海分院") >= 1
    assert documents_naming("中国科学院上海分院") >= 2
    assert all("(huì)" not in text and "(yì)" not in text for text in texts)
    assert {normalize(doc.text).changed_script for doc in docs} == {True, False}
