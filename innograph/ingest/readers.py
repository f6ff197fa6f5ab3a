"""Readers: bytes -> text + metadata, for txt, md, html, pdf and jsonl feeds.

A reader never raises on a bad document: every problem (unreadable, too large, binary,
undecodable, empty, a broken feed line) becomes a `Failure` with a one-line reason and the
rest of the batch goes on. Text is returned as decoded; normalisation happens later.
"""

from __future__ import annotations

import io
import json
import logging
import re
import stat
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any

from innograph.errors import InvalidInput
from innograph.model import Failure

MAX_BYTES = 50 * 1024 * 1024

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(
    {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".pdf", ".jsonl"}
)


@dataclass(slots=True)
class RawDocument:
    path: str  # file path, `file.jsonl#L<n>` for feed lines, or the upload name
    text: str
    title: str = ""
    date: str = ""
    url: str = ""
    source: str = ""
    encoding: str = ""


Item = RawDocument | Failure


# ---- finding files -----------------------------------------------------------------------


def iter_input_files(paths: Sequence[str | Path]) -> Iterator[Path]:
    """Expand files and folders into the files to read.

    Folders are walked recursively in sorted order, skipping hidden files and folders,
    unsupported suffixes and README files (they describe a corpus, they are not part of it). A path named explicitly is always yielded, even when it does not
    exist or has an unusual suffix, so that the reader reports why it could not be read
    instead of the file silently vanishing from the batch.
    """
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        found: Iterator[Path]
        if path.is_dir():
            found = (
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and p.suffix.lower() in SUPPORTED_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and p.stem.lower() != "readme"
            )
        else:
            found = iter([path])
        for p in found:
            if p not in seen:
                seen.add(p)
                yield p


# ---- reading -----------------------------------------------------------------------------


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return " ".join(str(exc).split()) or type(exc).__name__


def _too_large(size: int, max_bytes: int) -> str:
    return f"file too large ({size / 1048576:.1f} MB > {max_bytes / 1048576:g} MB limit)"


def read_documents(path: Path, max_bytes: int = MAX_BYTES) -> Iterator[RawDocument | Failure]:
    """Read one file into documents (one, or one per line for a jsonl feed)."""
    name = str(path)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            yield Failure(name, "is a directory, not a file")
            return
        size = info.st_size
        if size > max_bytes:
            yield Failure(name, _too_large(size, max_bytes))
            return
        data = path.read_bytes()
    except OSError as exc:
        yield Failure(name, _one_line(exc))
        return
    yield from read_bytes(data, name, max_bytes)


def read_bytes(
    data: bytes, name: str, max_bytes: int = MAX_BYTES
) -> Iterator[RawDocument | Failure]:
    """Read an in-memory document (an upload); the format comes from the suffix of `name`
    and defaults to plain text."""
    if len(data) > max_bytes:
        yield Failure(name, _too_large(len(data), max_bytes))
        return
    suffix = Path(name.split("#", 1)[0]).suffix.lower()
    reader = _READERS.get(suffix, _read_txt)
    try:
        # materialise so that a failure half-way through a generator is still caught here
        items = list(reader(data, name))
    except Exception as exc:  # a reader bug must not stop the batch
        yield Failure(name, f"could not read: {type(exc).__name__}: {_one_line(exc)}")
        return
    yield from items


# ---- encodings ---------------------------------------------------------------------------

ENCODING_FAILURE = "could not detect the text encoding (tried utf-8, gb18030, big5)"
BINARY_FAILURE = "binary file, not text"
EMPTY_FAILURE = "empty document"

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# bytes that do not occur in text: C0 controls other than \t \n \v \f \r and ESC
_CONTROL_BYTES = frozenset(set(range(0x20)) - {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B})
# the other bytes, for counting controls with one C-level `bytes.translate`
_TEXT_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)


class DecodeError(InvalidInput):
    """Bytes that are not text we can decode; the message is the failure reason."""


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = len(head.translate(None, _TEXT_BYTES))
    return controls > max(2, len(head) // 20)


@lru_cache(maxsize=1 << 15)
def _char_quality(ch: str) -> float:
    """How plausible one non-ASCII character is in real Chinese text: 1 for common Han
    characters and CJK punctuation, 0.5 for rarer Han, 0 for the kana, box drawing,
    private-use and rare-extension characters that a wrong codec produces."""
    code = ord(ch)
    if 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF or ch in "“”‘’…—·":
        return 1.0
    if 0x4E00 <= code <= 0x9FFF:
        # GB2312 level 1 (B0-D7) and Big5 frequently-used (A4-C6) are the ~4-5k characters
        # that make up nearly all running text in each script.
        try:
            if 0xB0 <= ch.encode("gb2312")[0] <= 0xD7:
                return 1.0
        except UnicodeEncodeError:
            pass
        try:
            if 0xA4 <= ch.encode("big5")[0] <= 0xC6:
                return 1.0
        except UnicodeEncodeError:
            pass
        return 0.5
    return 0.0


def _cjk_plausibility(text: str) -> float:
    """Share of the non-ASCII characters that look like real Chinese text (0..1)."""
    # a sample decides as well as the whole text, and keeps large files fast
    sample = islice((ch for ch in text if not ch.isascii()), _PLAUSIBILITY_SAMPLE)
    scores = [_char_quality(ch) for ch in sample]
    return sum(scores) / len(scores) if scores else 1.0


def _ordinary_share(text: str) -> float:
    """Share of characters that are ordinary text: printable ASCII, whitespace, letters
    (any script) and CJK; guards charset-normalizer's guesses against mojibake."""
    if not text:
        return 1.0
    ok = sum(1 for ch in text if ch.isprintable() or ch in "\n\t\r")
    return ok / len(text)


_CJK_CODECS = ("gb18030", "big5", "cp950")
_PLAUSIBILITY_SAMPLE = 20_000
_MIN_PLAUSIBILITY = 0.6


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode text bytes, returning (text, encoding name); raises DecodeError with the
    failure reason. Order: BOM, strict UTF-8, the best-scoring strict CJK codec, then
    charset-normalizer with a sanity check."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec.replace("-sig", "")), codec.replace("-sig", "")
            except UnicodeDecodeError as exc:
                raise DecodeError(ENCODING_FAILURE) from exc
    if _looks_binary(data):
        raise DecodeError(BINARY_FAILURE)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best: tuple[float, str, str] | None = None
    for codec in _CJK_CODECS:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        score = _cjk_plausibility(text)
        if best is None or score > best[0]:  # ties keep the earlier (gb18030) codec
            best = (score, text, codec)
    if best is not None and best[0] >= _MIN_PLAUSIBILITY:
        return best[1], best[2]
    western = _western_guess(data)
    if western is not None:
        return western, "cp1252"
    guessed = _charset_normalizer_guess(data)
    if guessed is not None:
        return guessed
    raise DecodeError(ENCODING_FAILURE)


_WESTERN_EXTRA = frozenset("“”‘’–—…€•·«»°©®™§")


def _western_guess(data: bytes) -> str | None:
    """English/European text saved in Windows-1252 (Latin-1's superset): mostly ASCII with a
    few accented letters or typographic quotes. charset-normalizer guesses short samples of
    it poorly (cp1250, cp775), so this common case is checked explicitly first."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    extra = [ch for ch in text if not ch.isascii()]
    if len(extra) * 10 > len(text) * 3:
        return None  # multi-byte text seen through a single-byte codec
    if all((ch.isalpha() and ord(ch) < 0x250) or ch in _WESTERN_EXTRA for ch in extra):
        return text
    return None


def _charset_normalizer_guess(data: bytes) -> tuple[str, str] | None:
    import charset_normalizer

    match = charset_normalizer.from_bytes(data).best()
    if match is None or match.chaos > 0.2:
        return None
    text = str(match)
    if _ordinary_share(text) < 0.95:
        return None
    if any(ord(ch) >= 0x2E80 for ch in text) and _cjk_plausibility(text) < _MIN_PLAUSIBILITY:
        return None  # CJK mojibake from a wrong multi-byte codec
    return text, match.encoding


# ---- formats -----------------------------------------------------------------------------


def _decoded(data: bytes, name: str) -> tuple[str, str] | Failure:
    try:
        text, encoding = decode_text(data)
    except DecodeError as exc:
        return Failure(name, str(exc))
    if not text.strip():
        return Failure(name, EMPTY_FAILURE)
    return text, encoding


def _first_line_title(text: str) -> str:
    """A plain-text news file usually starts with its headline: take the first line when it
    is short enough to be one."""
    for line in text.splitlines():
        line = line.strip().lstrip("\ufeff")
        if line:
            return line if len(line) <= 80 else ""
    return ""


def _read_txt(data: bytes, name: str) -> Iterator[Item]:
    decoded = _decoded(data, name)
    if isinstance(decoded, Failure):
        yield decoded
        return
    text, encoding = decoded
    yield RawDocument(
        path=name, text=text, title=_first_line_title(text), source=name, encoding=encoding
    )


def _parsed_document(name: str, text: str, meta: dict[str, str], encoding: str) -> Item:
    """A document from a format parser's text and metadata (markdown front matter, html metas)."""
    if not text.strip():
        return Failure(name, EMPTY_FAILURE)
    return RawDocument(
        path=name,
        text=text,
        title=meta.get("title", ""),
        date=meta.get("date", ""),
        url=meta.get("url", ""),
        source=meta.get("source", name),
        encoding=encoding,
    )


# markdown -----------------------------------------------------------------------------------

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", re.S)
_FENCE = re.compile(r"^[ \t]*(```|~~~).*$", re.M)
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)[ \t#]*$", re.M)
_SETEXT = re.compile(r"^[ \t]*(=+|-+)[ \t]*$", re.M)
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_LINK_DEF = re.compile(r"^[ \t]{0,3}\[[^\]]+\]:[ \t]+\S+.*$", re.M)
_AUTOLINK = re.compile(r"<(https?://[^>]+)>")
_HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_EMPHASIS = re.compile(r"(\*{1,3}|~~)(?=\S)(.+?)(?<=\S)\1")
# underscores only at word edges, so snake_case_names keep theirs
_UNDERSCORE_EMPHASIS = re.compile(r"(?<!\w)(_{1,3})(?=\S)(.+?)(?<=\S)\1(?!\w)")
_CODE = re.compile(r"`+([^`]*)`+")
_QUOTE = re.compile(r"^[ \t]*(>[ \t]?)+", re.M)
_LIST = re.compile(r"^[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?", re.M)
_RULE = re.compile(r"^[ \t]*(?:[-*_][ \t]*){3,}$", re.M)
_TABLE_SEP = re.compile(
    r"^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$", re.M
)
_FRONT_FIELD = re.compile(r"^(title|date|url|source)[ \t]*:[ \t]*(.*?)[ \t]*$", re.M | re.I)


def markdown_to_text(markdown: str) -> tuple[str, dict[str, str]]:
    """Plain text of a markdown document plus metadata (title from front matter or the first
    heading; date/url/source from front matter)."""
    meta: dict[str, str] = {}
    front = _FRONT_MATTER.match(markdown)
    if front:
        for key, value in _FRONT_FIELD.findall(front.group(1)):
            meta[key.lower()] = value.strip("'\"")
        markdown = markdown[front.end() :]
    heading = _HEADING.search(markdown)
    if heading and "title" not in meta:
        meta["title"] = _inline(heading.group(1)).strip()
    text = _FENCE.sub("", markdown)
    text = _LINK_DEF.sub("", text)
    text = _TABLE_SEP.sub("", text)
    text = _RULE.sub("", text)
    text = _SETEXT.sub("", text)
    text = _HEADING.sub(r"\1", text)
    text = _QUOTE.sub("", text)
    text = _LIST.sub("", text)
    text = _inline(text)
    text = "\n".join(line.strip(" |").replace(" | ", " ") for line in text.splitlines())
    return re.sub(r"\n{3,}", "\n\n", text).strip(), meta


def _inline(text: str) -> str:
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _REF_LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _HTML_TAG.sub("", text)
    text = _CODE.sub(r"\1", text)
    for _ in range(3):  # nested emphasis such as ***bold italic***
        text = _EMPHASIS.sub(r"\2", text)
        text = _UNDERSCORE_EMPHASIS.sub(r"\2", text)
    return text


def _read_markdown(data: bytes, name: str) -> Iterator[Item]:
    decoded = _decoded(data, name)
    if isinstance(decoded, Failure):
        yield decoded
        return
    text, meta = markdown_to_text(decoded[0])
    yield _parsed_document(name, text, meta, decoded[1])


# html -------------------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "menu",
    "iframe",
    "svg",
    "button",
    "select",
)
_DROP_ROLES = {"navigation", "banner", "contentinfo", "complementary", "menu", "search"}
_DROP_CLASS = re.compile(
    r"(^|[\s_-])(nav|navbar|menu|footer|breadcrumbs?|sidebar|share|social|comments?|related|"
    r"advert|ads|cookie)($|[\s_-])",
    re.I,
)
_BLOCK_TAGS = (
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "td",
    "th",
    "table",
    "section",
    "article",
    "main",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "figcaption",
    "hr",
)
_DATE_METAS = (
    "article:published_time",
    "og:published_time",
    "datePublished",
    "date",
    "pubdate",
    "publishdate",
    "publish_date",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
)
_PARA = "\u2029"  # marks block boundaries while inline whitespace is collapsed
_HAN_GAP = re.compile(
    r"(?<=[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]) (?=[\u3400-\u9fff\u3000-\u303f\uff00-\uffef])"
)


def _html_decode(data: bytes) -> tuple[str, str]:
    try:
        return decode_text(data)
    except DecodeError:
        declared = _META_CHARSET.search(data[:4096])
        if declared is None:
            raise
        codec = declared.group(1).decode("ascii").lower()
        try:
            return data.decode(codec), codec
        except (LookupError, UnicodeDecodeError) as exc:
            raise DecodeError(ENCODING_FAILURE) from exc


def html_to_document(html: str) -> tuple[str, dict[str, str]]:
    """Main text of an HTML page (menus, navigation, footers, scripts and styles removed)
    plus metadata: title, date, url."""
    from bs4 import BeautifulSoup
    from bs4.element import Tag

    with warnings.catch_warnings():
        # bs4 warns when a short document looks like a file name or URL; it is still HTML
        warnings.simplefilter("ignore")
        soup = BeautifulSoup(html, "html.parser")
    meta: dict[str, str] = {}
    by_key: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        if not isinstance(tag, Tag):
            continue
        key = tag.get("property") or tag.get("name") or tag.get("itemprop")
        content = tag.get("content")
        if isinstance(key, str) and isinstance(content, str) and content.strip():
            by_key.setdefault(key.strip().lower(), content.strip())
    title_tag = soup.find("title")
    title = by_key.get("og:title") or (title_tag.get_text(" ", strip=True) if title_tag else "")
    for key in _DATE_METAS:
        if key.lower() in by_key:
            meta["date"] = by_key[key.lower()]
            break
    else:
        time_tag = soup.find("time")
        if isinstance(time_tag, Tag):
            stamp = time_tag.get("datetime")
            meta["date"] = stamp.strip() if isinstance(stamp, str) else ""
    canonical = soup.find("link", rel="canonical")
    href = canonical.get("href") if isinstance(canonical, Tag) else None
    meta["url"] = href.strip() if isinstance(href, str) else by_key.get("og:url", "")

    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if not isinstance(tag, Tag) or tag.decomposed:
            continue
        role = tag.get("role")
        classes = " ".join(tag.get("class") or []) + " " + str(tag.get("id") or "")
        chrome = (isinstance(role, str) and role.lower() in _DROP_ROLES) or bool(
            _DROP_CLASS.search(classes)
        )
        # a page that styles its whole body as e.g. "page-nav" still has its text inside
        if chrome and tag.name not in ("body", "html", "main", "article"):
            tag.decompose()
    root = soup.find("article") or soup.find("main") or soup.find(role="main")
    if not isinstance(root, Tag):
        root = soup.body if isinstance(soup.body, Tag) else soup
    for tag in root.find_all(_BLOCK_TAGS):
        if isinstance(tag, Tag):
            tag.insert_before(_PARA)
            tag.insert_after(_PARA)
    raw = root.get_text("")
    raw = re.sub(rf"[^\S{_PARA}]+", " ", raw)
    lines = (_HAN_GAP.sub("", line.strip()) for line in raw.split(_PARA))
    text = "\n".join(line for line in lines if line)
    if not title:
        h1 = soup.find("h1")
        title = h1.get_text(" ", strip=True) if h1 else ""
    meta["title"] = " ".join(title.split())
    return text, meta


def _read_html(data: bytes, name: str) -> Iterator[Item]:
    try:
        html, encoding = _html_decode(data)
    except DecodeError as exc:
        yield Failure(name, str(exc))
        return
    text, meta = html_to_document(html)
    yield _parsed_document(name, text, meta, encoding)


# pdf --------------------------------------------------------------------------------------


def _read_pdf(data: bytes, name: str) -> Iterator[Item]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    # pypdf logs every recoverable oddity of real-world PDFs; the outcome is what matters
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    if not data.lstrip()[:5].startswith(b"%PDF"):
        yield Failure(name, "not a PDF file (no %PDF header)")
        return
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            yield Failure(name, "encrypted PDF (password required)")
            return
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        yield Failure(name, f"not a readable PDF: {_one_line(exc)}")
        return
    text = "\n".join(page.strip() for page in pages if page.strip())
    if not text:
        yield Failure(name, "no text layer (scanned PDF?)")
        return
    title = ""
    date = ""
    if info is not None:
        title = str(info.title or "").strip()
        try:
            created = info.creation_date
        except (ValueError, TypeError):
            created = None  # a malformed date string is not worth losing the text over
        date = created.isoformat() if created is not None else ""
    yield RawDocument(
        path=name,
        text=text,
        title=title or _first_line_title(text),
        date=date,
        source=name,
        encoding="pdf",
    )


# jsonl feeds ------------------------------------------------------------------------------


def _feed_item(value: Any, where: str, encoding: str) -> Item:
    if not isinstance(value, dict):
        return Failure(where, "feed line is not a JSON object")
    text = value.get("text")
    if not isinstance(text, str):
        return Failure(where, 'feed line has no "text" string')
    if not text.strip():
        return Failure(where, EMPTY_FAILURE)

    def field(key: str) -> str:
        item = value.get(key)
        return str(item).strip() if isinstance(item, str | int | float) else ""

    item_id, source = field("id"), field("source")
    # the id identifies the item within its source, so both travel in `source`
    if item_id and source:
        source = f"{source}#{item_id}"
    elif item_id:
        source = item_id
    return RawDocument(
        path=where,
        text=text,
        title=field("title"),
        date=field("date"),
        url=field("url"),
        source=source,
        encoding=encoding,
    )


def _read_jsonl(data: bytes, name: str) -> Iterator[Item]:
    decoded = _decoded(data, name)
    if isinstance(decoded, Failure):
        yield decoded
        return
    content, encoding = decoded
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{name}#L{number}"
        try:
            value = json.loads(line.lstrip("\ufeff"))
        except json.JSONDecodeError as exc:
            yield Failure(where, f"invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        yield _feed_item(value, where, encoding)


_READERS = {
    ".txt": _read_txt,
    ".text": _read_txt,
    ".md": _read_markdown,
    ".markdown": _read_markdown,
    ".html": _read_html,
    ".htm": _read_html,
    ".pdf": _read_pdf,
    ".jsonl": _read_jsonl,
}
