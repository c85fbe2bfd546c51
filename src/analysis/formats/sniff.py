"""What kind of file is this? Content sniffing before anything is stored.

A file's kind is decided from its bytes, never from its name or a server's Content-Type. The kinds the
readers accept are ``xlsx`` (a complete Office Open XML workbook), ``csv`` (any other text that is not
markup) and ``json`` (text starting with ``{`` or ``[``). Everything else is rejected with a message that
says what came back, e.g. the HTML request form a registry serves instead of its spreadsheet.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from analysis.errors import FormatError, UserError
from analysis.settings import positive_number

ACCEPTED = ("xlsx", "csv", "json")
HEAD_BYTES = 8192
# zip-bomb guard: no registry workbook inflates beyond these (the 2026 export is ~30 MB of XML, ratio ~10)
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200

MAX_FILE_ENV = "CONFESSIONS_MAX_FILE_MB"
DEFAULT_MAX_FILE_MB = 200.0
"""The largest file any command reads (a sibling of ``CONFESSIONS_MAX_DOWNLOAD_MB``): the registry's 2026 export is
2 MB, and a reader holds a file in memory several times over (docs/performance.md measures how many)."""

_HTML_TAG = re.compile(
    rb"<\s*(!doctype\s+html|html|head|body|title|meta|script|form|div|table|p|br|a)\b", re.IGNORECASE
)
_TEXT_CONTROL = set(range(0, 32)) - {9, 10, 12, 13}  # control bytes other than tab, LF, form feed, CR
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

# kind -> noun phrase saying what the content is (used in "the server sent ..." / "FILE is ...")
DESCRIPTIONS = {
    "empty": "an empty body (0 bytes)",
    "html": "an HTML page (probably a login or request form)",
    "xml": "an XML document",
    "zip-truncated": "a truncated or corrupt zip/xlsx file (damaged or truncated: the end of the archive is "
                     "missing)",
    "zip-corrupt": "a corrupt zip/xlsx file (a member fails its checksum or cannot be read)",
    "zip-not-xlsx": "a zip archive that is not an Excel workbook",
    "zip-bomb": "a zip/xlsx file that would inflate far beyond any real export (a zip bomb?)",
    "xlsm": "a macro-enabled workbook (it holds a VBA project, xl/vbaProject.bin); save the sheet as a plain .xlsx "
            "or csv first",
    "zip-huge-sheet": "a workbook whose sheet spans far more cells than any registry export (a cell placed "
                      "hundreds of thousands of rows or columns out); trim the sheet first",
    "xls": "an old-style Excel .xls workbook (save it as .xlsx or csv first)",
    "pdf": "a PDF document",
    "gzip": "gzip-compressed data",
    "binary": "unknown binary data",
}


def sniff(data_head: bytes, size: int) -> str:
    """The kind of a file from its first bytes and its total size.

    Returns one of ``xlsx`` (zip magic; :func:`sniff_file` also checks that the archive is whole), ``csv``,
    ``json``, ``empty``, ``html``, ``xml``, ``xls``, ``pdf``, ``gzip`` or ``binary``.
    """
    if size == 0 or not data_head:
        return "empty"
    head = data_head[:HEAD_BYTES]
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith(_UTF16_BOMS):
        text = _decode_utf16(head)
        if text is None:
            return "binary"
        return _text_kind(text.encode("utf-8"))
    if not _looks_like_text(head):
        return "binary"
    return _text_kind(head)


def _decode_utf16(head: bytes) -> str | None:
    codec = "utf-16-le" if head.startswith(b"\xff\xfe") else "utf-16-be"
    body = head[2:]
    body = body[: len(body) - len(body) % 2]
    try:
        return body.decode(codec)
    except UnicodeDecodeError:
        return None


def _looks_like_text(head: bytes) -> bool:
    """No NUL bytes and (almost) no control characters; bytes >= 0x80 are allowed (legacy 8-bit encodings)."""
    if b"\x00" in head:
        return False
    controls = sum(1 for b in head if b in _TEXT_CONTROL)
    return controls <= max(1, len(head) // 1000)


def _text_kind(head: bytes) -> str:
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if not text:
        return "csv"  # only whitespace: the reader will say it has no header
    if text[:1] in (b"{", b"["):
        return "json"
    if text[:1] == b"<":
        if _HTML_TAG.search(text[:4096]):
            return "html"
        return "xml"
    return "csv"


MAX_SHEET_CELLS = 5_000_000
"""A sheet may span at most this many cells (rows × columns, from its farthest cell): the 2026 export spans about
300,000. A reader builds the whole rectangle in memory, so one cell at XFD1048576 would need hundreds of GiB."""
_CELL_REF = re.compile(rb'<(?:\w+:)?(?:c|dimension)\b[^>]*?\b(?:r|ref)="(?:[A-Z]+\d+:)?([A-Z]{1,3})(\d{1,7})"')


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def sheet_extent(xml: bytes) -> tuple[int, int]:
    """(rows, columns) a worksheet's XML reaches: its farthest cell reference or declared dimension."""
    rows = cols = 0
    for letters, digits in _CELL_REF.findall(xml):
        rows, cols = max(rows, int(digits)), max(cols, _column_number(letters))
    return rows, cols


def check_zip(path: Path) -> str:
    """``xlsx`` when ``path`` is a complete, readable Excel workbook; otherwise the kind of damage.

    Returns ``zip-truncated`` (no end-of-archive record), ``zip-bomb`` (declared sizes beyond
    ``MAX_UNCOMPRESSED_BYTES`` or ``MAX_COMPRESSION_RATIO``; checked first, before anything is inflated),
    ``zip-not-xlsx`` (no ``[Content_Types].xml`` and ``xl/workbook.xml``), ``zip-corrupt`` (unreadable member
    or bad CRC), ``xlsm`` (a VBA project inside) or ``zip-huge-sheet`` (a sheet beyond :data:`MAX_SHEET_CELLS`).
    """
    if not zipfile.is_zipfile(path):
        return "zip-truncated"
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            total = sum(i.file_size for i in infos)
            packed = max(1, sum(i.compress_size for i in infos))
            if total > MAX_UNCOMPRESSED_BYTES or total / packed > MAX_COMPRESSION_RATIO:
                return "zip-bomb"
            names = {i.filename for i in infos}
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                return "zip-not-xlsx"
            if archive.testzip() is not None:
                return "zip-corrupt"
            archive.read("[Content_Types].xml")
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                return "xlsm"
            for name in sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")):
                rows, cols = sheet_extent(archive.read(name))
                if rows * cols > MAX_SHEET_CELLS:
                    return "zip-huge-sheet"
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
        return "zip-corrupt"
    return "xlsx"


def sniff_file(path: Path) -> str:
    """The kind of the file at ``path``: :func:`sniff` on its head, then a full archive check for zips."""
    path = Path(path)
    size = path.stat().st_size
    with path.open("rb") as fh:
        head = fh.read(HEAD_BYTES)
    kind = sniff(head, size)
    if kind == "xlsx":
        kind = check_zip(path)
    return kind


def describe(kind: str, head: bytes = b"") -> str:
    """A noun phrase for a rejected kind, e.g. "an HTML page (probably a login or request form)"."""
    text = DESCRIPTIONS.get(kind, f"a {kind} file")
    if kind == "binary" and head:
        text += f" (starts with {head[:8].hex(' ')})"
    return text


def max_file_bytes() -> int:
    """The file size cap: ``$CONFESSIONS_MAX_FILE_MB`` megabytes when set, else 200 MB; nonsense is an error."""
    return int(positive_number(MAX_FILE_ENV, DEFAULT_MAX_FILE_MB) * 1024 * 1024)


def check_size(path: Path, error: type[UserError] = UserError) -> int:
    """The size of the file at ``path``, or ``error`` when it is over :func:`max_file_bytes` (from its size on
    disk, before a byte is read)."""
    size = Path(path).stat().st_size
    cap = max_file_bytes()
    if size > cap:
        raise error(f"{Path(path).name} is {size / 2**20:,.1f} MB, over the {cap / 2**20:,.0f} MB cap on a file to "
                    f"read (the registry's 2026 export is 2 MB); if it is genuine, raise {MAX_FILE_ENV}")
    return size


def check_file(path: Path, *, downloaded: bool = False, error: type[UserError] = FormatError) -> str:
    """The accepted kind of ``path`` (``xlsx``, ``csv`` or ``json``), or ``error`` saying what the content is
    (first: a file over the size cap, :func:`check_size`).

    ``downloaded`` words the message as "the server sent ..." instead of "FILE is ...".
    """
    path = Path(path)
    check_size(path, error)
    kind = sniff_file(path)
    if kind in ACCEPTED:
        return kind
    with path.open("rb") as fh:
        head = fh.read(16)
    if downloaded:
        raise error(f"the server sent {describe(kind, head)}, not a spreadsheet")
    what = "an empty file (0 bytes)" if kind == "empty" else describe(kind, head)
    raise error(f"{path.name} is {what}, not a registry spreadsheet (xlsx/csv) or Innocence Project json")
