"""Files kept with a case: what is accepted, where it is stored, how it is read back.

Every upload goes through the one pipeline of atis.lib.uploads: type by content (a renamed
executable is refused), size, metadata stripped (a photo's GPS position, camera and
comment; a PNG's text; a PDF's author). A case attachment is then encrypted at rest under
a key of its own (Fernet), which the Attachment keeps wrapped by the field keys
(`file_key`, an encrypted field): rotating the field keys re-wraps it without rewriting
the file, and only the authorised download view decrypts. Files live outside any web root
under a random name; the original name is personal data and lives encrypted on the row.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePath

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from atis.lib import uploads

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# Content type -> the extension the file gets back on download, whatever it was called.
ALLOWED_TYPES: dict[str, str] = {
    uploads.PDF: ".pdf",
    uploads.PNG: ".png",
    uploads.JPEG: ".jpg",
    uploads.DOCX: ".docx",
    uploads.ODT: ".odt",
    "text/plain": ".txt",
}


class Unreadable(Exception):
    """A stored file that is missing or that its key does not open."""


def max_bytes() -> int:
    return int(getattr(settings, "ATIS_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def storage_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "attachments"


def check_upload(upload: UploadedFile) -> uploads.CleanFile:
    """The file's cleaned content and real type when it may be kept; a ValidationError otherwise."""
    return uploads.accept(
        upload,
        size=upload.size or 0,
        allowed=ALLOWED_TYPES,
        max_bytes=max_bytes(),
        not_allowed=_("This kind of file is not accepted. Send a PDF, PNG, JPEG, DOCX, ODT or plain text file."),
    )


@dataclass(frozen=True)
class Stored:
    name: str
    size: int
    sha256: str
    # The file's own Fernet key; empty for a file kept in clear (strategy evidence, imports).
    key: str = ""


def _write(data: bytes) -> str:
    directory = storage_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = uploads.random_name()
    path = directory / name
    try:
        # "x": never overwrite an existing file, however unlikely a collision is.
        with path.open("xb") as out:
            out.write(data)
        path.chmod(0o600)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return name


def store_clean(clean: uploads.CleanFile, *, encrypt: bool) -> Stored:
    """Keep a cleaned file under a random name, encrypted under a new key of its own when asked."""
    key = Fernet.generate_key().decode("ascii") if encrypt else ""
    data = Fernet(key.encode("ascii")).encrypt(clean.content) if encrypt else clean.content
    return Stored(name=_write(data), size=clean.size, sha256=clean.sha256, key=key)


def read(storage_name: str, key: str) -> bytes:
    """The file's content, decrypted with its key (a file kept before encryption has none)."""
    try:
        data = path_of(storage_name).read_bytes()
    except (OSError, ValueError):
        raise Unreadable from None
    if not key:
        return data
    try:
        return Fernet(key.encode("ascii")).decrypt(data)
    except (InvalidToken, ValueError):
        raise Unreadable from None


def store(upload: UploadedFile) -> Stored:
    """Keep an upload as it is, for a file read once by an import and then discarded."""
    directory = storage_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = uploads.random_name()
    digest = hashlib.sha256()
    size = 0
    path = directory / name
    try:
        with path.open("xb") as out:
            upload.seek(0)
            for chunk in upload.chunks():
                size += len(chunk)
                if size > max_bytes():
                    raise ValidationError({"file": _("The file is too large.")})
                digest.update(chunk)
                out.write(chunk)
        path.chmod(0o600)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Stored(name=name, size=size, sha256=digest.hexdigest())


def path_of(storage_name: str) -> Path:
    directory = storage_dir().resolve()
    path = (directory / storage_name).resolve()
    if path.parent != directory:
        raise ValueError("storage name outside the attachments directory")
    return path


def discard(storage_name: str) -> None:
    path_of(storage_name).unlink(missing_ok=True)


def clean_name(raw: str) -> str:
    """The name as the user knew it, without any path or control characters."""
    name = PurePath(raw.replace("\\", "/")).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    return name[:255] or "file"


def download_name(original_name: str, content_type: str) -> str:
    """The original name with the extension of what the file really is."""
    stem = PurePath(original_name).stem or "file"
    return stem[:200] + ALLOWED_TYPES.get(content_type, ".bin")
