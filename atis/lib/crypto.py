"""Authenticated encryption of identity fields and keyed hashes for exact look-ups.

Fernet (AES-128-CBC with HMAC-SHA256) from `cryptography`; MultiFernet gives rotation: the
first key encrypts, every listed key decrypts. Keys come from settings, never the database.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import unicodedata

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class DecryptionError(Exception):
    """A stored value could not be read with any configured key."""


@functools.lru_cache(maxsize=4)
def _multifernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def _current() -> MultiFernet:
    return _multifernet(tuple(settings.ATIS_FIELD_KEYS))


def encrypt(plaintext: str) -> str:
    return _current().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _current().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise DecryptionError("No configured key opens this value.") from None


def reencrypt(token: str) -> str:
    """The same plaintext under the newest key (for key rotation)."""
    try:
        return _current().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken:
        raise DecryptionError("No configured key opens this value.") from None


def normalise_for_lookup(value: str) -> str:
    """Case, spaces and diacritics must not stop an exact match."""
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return "".join(stripped.split()).casefold()


def lookup_hash(value: str, *, purpose: str) -> str:
    """HMAC-SHA256 of a normalised value; the purpose keeps hashes of different fields apart."""
    message = f"{purpose}\x00{normalise_for_lookup(value)}".encode()
    return hmac.new(settings.ATIS_LOOKUP_KEY.encode(), message, hashlib.sha256).hexdigest()
