"""Uploaded files: what they really are, a safe name for them, and the text inside them.

The type is judged by content (libmagic, then the zip structure for DOCX and ODT), never by
the name or the browser's claim, so a renamed executable is refused. Office files are zip
archives: their entries are counted and their unpacked size bounded before anything is
read, so a zip bomb is refused too. XML is parsed with defusedxml (no entity expansion).
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

import magic
from defusedxml import ElementTree
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from atis.library.models import FileKind

PDF_MIME = "application/pdf"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT_MIME = "application/vnd.oasis.opendocument.text"
# libmagic names a DOCX by its first entries; a valid one written by another tool may
# come out as a plain zip, which the structure check below then settles.
_ZIP_MIMES = {"application/zip", "application/x-zip-compressed", DOCX_MIME, ODT_MIME}
_EXTENSIONS = {FileKind.PDF: ".pdf", FileKind.DOCX: ".docx", FileKind.ODT: ".odt"}
CONTENT_TYPES = {FileKind.PDF: PDF_MIME, FileKind.DOCX: DOCX_MIME, FileKind.ODT: ODT_MIME}

MAX_ZIP_ENTRIES = 2000
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200
# Enough for the longest report; more would only slow the index down.
MAX_TEXT_CHARS = 2_000_000

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


@dataclass(frozen=True)
class CheckedFile:
    kind: FileKind
    name: str
    size: int
    sha256: str


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError({"file": ValidationError(message, code=code)})


def _read_head(stream: IO[bytes], size: int = 8192) -> bytes:
    stream.seek(0)
    head = stream.read(size)
    stream.seek(0)
    return head


def _digest(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def _zip_kind(stream: IO[bytes]) -> FileKind | None:
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError):
        return None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise _refuse(_("The archive inside this file has too many parts."), "zip_bomb")
        unpacked = sum(entry.file_size for entry in entries)
        packed = max(1, sum(entry.compress_size for entry in entries))
        if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_RATIO:
            raise _refuse(_("This file unpacks to far more than its size: it is refused."), "zip_bomb")
        names = {entry.filename for entry in entries}
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return FileKind.DOCX
        if "mimetype" in names and "content.xml" in names and archive.read("mimetype").strip() == ODT_MIME.encode():
            return FileKind.ODT
    return None


def detect_kind(stream: IO[bytes]) -> FileKind | None:
    """PDF, DOCX or ODT by content; None for anything else."""
    mime = magic.from_buffer(_read_head(stream), mime=True)
    if mime == PDF_MIME:
        return FileKind.PDF
    if mime in _ZIP_MIMES:
        kind = _zip_kind(stream)
        stream.seek(0)
        return kind
    return None


def safe_name(original: str, kind: FileKind) -> str:
    """An ASCII name with the extension of what the file really is: no path, no control
    characters, nothing a browser or a file system could misread."""
    stem = slugify(PurePath(original.replace("\\", "/")).stem)[:80].strip("-_") or "document"
    return f"{stem}{_EXTENSIONS[kind]}"


def check_upload(stream: IO[bytes], *, original_name: str, size: int, max_bytes: int) -> CheckedFile:
    if size > max_bytes:
        raise _refuse(
            _("The file is %(size)s MB; at most %(limit)s MB are accepted.")
            % {"size": f"{size / 1048576:.1f}", "limit": f"{max_bytes / 1048576:.0f}"},
            "too_large",
        )
    if size == 0:
        raise _refuse(_("The file is empty."), "empty")
    kind = detect_kind(stream)
    if kind is None:
        raise _refuse(
            _("Only PDF, DOCX and ODT documents are accepted; this file's content is not one of them."),
            "type_not_allowed",
        )
    claimed = PurePath(original_name).suffix.lower()
    if claimed and claimed != _EXTENSIONS[kind]:
        raise _refuse(
            _("The file is named %(claimed)s but its content is a %(kind)s document: rename it and try again.")
            % {"claimed": claimed, "kind": kind.label},
            "extension_mismatch",
        )
    return CheckedFile(kind=kind, name=safe_name(original_name, kind), size=size, sha256=_digest(stream))


# --- Text extraction ------------------------------------------------------------------------

Progress = Callable[[int], None]


def _paragraphs(xml: bytes, paragraph_tags: tuple[str, ...]) -> Iterator[str]:
    root = ElementTree.fromstring(xml)
    for element in root.iter():
        if element.tag in paragraph_tags:
            text = "".join(element.itertext()).strip()
            if text:
                yield text


def _docx_text(data: bytes, progress: Progress) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml")
    progress(50)
    return "\n".join(_paragraphs(xml, (f"{_W}p",)))


def _odt_text(data: bytes, progress: Progress) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("content.xml")
    progress(50)
    return "\n".join(_paragraphs(xml, (f"{_TEXT}p", f"{_TEXT}h")))


def _pdf_text(data: bytes, progress: Progress) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    pages = reader.pages
    total = max(1, len(pages))
    parts: list[str] = []
    length = 0
    for number, page in enumerate(pages, start=1):
        text = page.extract_text() or ""
        parts.append(text)
        length += len(text)
        progress(int(number * 100 / total))
        if length > MAX_TEXT_CHARS:
            break
    return "\n".join(parts)


def extract_text(kind: str, data: bytes, progress: Progress) -> str:
    """The readable text of a checked file; progress receives percentages."""
    extractor = {FileKind.PDF: _pdf_text, FileKind.DOCX: _docx_text, FileKind.ODT: _odt_text}[FileKind(kind)]
    text = extractor(data, progress)
    # Some PDF producers leave NULs in their text; no database column accepts them.
    return text.replace("\x00", "")[:MAX_TEXT_CHARS]
