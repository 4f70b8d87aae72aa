"""One pipeline for every file a person uploads: what it is, how large, what it hides.

- Type by content (libmagic), never by the name or the browser's claim; office documents
  (zip archives) have their entries counted and their unpacked size bounded (zip bombs).
- Size: an empty or too large file is refused before anything is kept.
- Metadata: a photo is re-drawn from its pixels alone, so EXIF (GPS position, camera, time),
  XMP, comments and PNG text chunks are gone; a PDF is rewritten without its document
  information (author, title, producer) and XMP metadata. A file that cannot be opened for
  this is refused as damaged rather than kept with what it hides.
- A random storage name (`random_name`): the uploader's file name never reaches a disk.

Callers keep their own storage (case attachments encrypted, see atis.cases.attachments).
"""

from __future__ import annotations

import hashlib
import io
import secrets
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from typing import IO

import magic
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

JPEG = "image/jpeg"
PNG = "image/png"
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
ZIP_CONTAINERS = {DOCX, ODT}
IMAGE_FORMATS = {JPEG: "JPEG", PNG: "PNG"}

# Zip-bomb guard for DOCX and ODT: what the archive would expand to.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 2000
MAX_RATIO = 200
# A photo of more pixels than this is refused before it is decoded (decompression bombs).
MAX_PIXELS = 40_000_000
_SNIFF_BYTES = 1024 * 1024


@dataclass(frozen=True)
class CleanFile:
    """What is kept of an upload: its cleaned bytes and its real type."""

    content: bytes
    content_type: str
    width: int = 0
    height: int = 0

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def _refuse(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def damaged(field: str = "file") -> ValidationError:
    return _refuse(field, _("This document is damaged or unsafe to open; it was not accepted."), "damaged")


def random_name() -> str:
    return secrets.token_hex(24)


def read_checked(upload: IO[bytes], *, size: int, max_bytes: int, field: str = "file") -> bytes:
    """The upload's bytes, when it is neither empty nor larger than `max_bytes`."""
    if size == 0:
        raise _refuse(field, _("The file is empty."), "empty")
    if size > max_bytes:
        raise _refuse(
            field,
            _("The file is too large: %(size)s. The limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_bytes)},
            "too_large",
        )
    upload.seek(0)
    # One byte more than allowed is enough to know a lying size.
    content = upload.read(max_bytes + 1)
    upload.seek(0)
    if len(content) > max_bytes:
        raise _refuse(field, _("The file is too large."), "too_large")
    if not content:
        raise _refuse(field, _("The file is empty."), "empty")
    return content


def content_type_of(content: bytes) -> str:
    return str(magic.from_buffer(content[:_SNIFF_BYTES], mime=True))


def check_archive(content: bytes, field: str = "file") -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise damaged(field) from None
    unpacked = sum(member.file_size for member in members)
    packed = max(1, sum(member.compress_size for member in members))
    if len(members) > MAX_MEMBERS or unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_RATIO:
        raise damaged(field)


def redraw_image(
    content: bytes,
    content_type: str,
    *,
    max_side: int | None = None,
    max_pixels: int = MAX_PIXELS,
    field: str = "file",
) -> tuple[bytes, int, int]:
    """The picture re-drawn from its pixels alone, upright, optionally scaled down to
    `max_side`: EXIF, GPS, XMP, ICC-borne text, comments and PNG text chunks do not survive."""
    fmt = IMAGE_FORMATS[content_type]
    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.width * image.height > max_pixels:
                raise damaged(field)
            image.load()
            # The phone's orientation tag is applied to the pixels before the tags are dropped.
            upright = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError, ValueError):
        raise damaged(field) from None
    mode = "RGB" if fmt == "JPEG" else ("RGBA" if upright.mode in ("RGBA", "LA", "P", "PA") else "RGB")
    pixels = upright.convert(mode)
    if max_side:
        pixels.thumbnail((max_side, max_side))
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    out = io.BytesIO()
    clean.save(out, format=fmt, **({"quality": 85, "optimize": True} if fmt == "JPEG" else {"optimize": True}))
    return out.getvalue(), clean.width, clean.height


def strip_pdf(content: bytes, field: str = "file") -> bytes:
    """The PDF rewritten without its document information and XMP metadata."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            # Its metadata cannot be reached without the password: it is not kept blind.
            raise damaged(field)
        writer = PdfWriter(clone_from=reader)
        writer.metadata = None
        root = writer.root_object
        if "/Metadata" in root:
            del root["/Metadata"]
        out = io.BytesIO()
        writer.write(out)
    except ValidationError:
        raise
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise damaged(field) from None
    return out.getvalue()


def clean(content: bytes, content_type: str, *, field: str = "file") -> CleanFile:
    """The content without the metadata its type can carry."""
    if content_type in IMAGE_FORMATS:
        data, width, height = redraw_image(content, content_type, field=field)
        return CleanFile(data, content_type, width, height)
    if content_type == PDF:
        return CleanFile(strip_pdf(content, field), content_type)
    if content_type in ZIP_CONTAINERS:
        check_archive(content, field)
    return CleanFile(content, content_type)


def accept(
    upload: IO[bytes],
    *,
    size: int,
    allowed: Collection[str],
    max_bytes: int,
    not_allowed: str,
    field: str = "file",
) -> CleanFile:
    """The upload checked (size, type by content) and cleaned, or a ValidationError on
    `field` that says why, in the reader's language."""
    content = read_checked(upload, size=size, max_bytes=max_bytes, field=field)
    detected = content_type_of(content)
    if detected not in allowed:
        raise _refuse(field, not_allowed, "type_not_allowed")
    return clean(content, detected, field=field)
