"""One form per phone number, so that a keyed hash finds it however it was typed.

Phone numbers are never searched in plaintext: each domain stores `phone_hash(number,
purpose=...)` and looks up by the hash of what the user typed. Both sides must therefore
reduce a number to the same text. Parsing follows libphonenumber (`phonenumbers`), with
Romania as the region for numbers typed without a country code:

- a number libphonenumber reads as possible becomes E.164: ``+40 722 123 456``,
  ``0040722123456``, ``0722 123 456``, ``0722-123-456`` and ``722.123.456`` are all
  ``+40722123456``; ``+39 333 123 4567`` and ``0039 333 123 4567`` are ``+393331234567``.
  "Possible" (the length fits the country) rather than "valid" (the range is allocated):
  a newly allocated range or a library update must not change a number's form.
- a number surrounded by words (``0722 123 456 (mama)``, ``tel: 0722…``) or the first of
  several numbers is found inside the text;
- anything else (too short, too long, unknown country code) keeps a digits-only form: its
  digits, with a leading ``+`` written as the international prefix ``00``, so that
  ``+999 12345`` and ``00999 12345`` still agree. It never starts with ``+``, so it never
  equals the form of a real number. Text without any digit gives "".

Changing these rules changes every stored hash: it needs a data migration in each domain
that stores one (see cases 0003 and helpline 0002).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import phonenumbers
from django.db import models
from django.db.models.functions import Cast
from tqdm import tqdm

from atis.lib.crypto import DecryptionError, decrypt, lookup_hash

DEFAULT_REGION = "RO"
_PLUS_SIGNS = ("+", "\uff0b")  # the fullwidth plus comes from some phone keyboards


def normalise_phone(raw: str, *, region: str = DEFAULT_REGION) -> str:
    """The E.164 form of a phone number, or the documented digits-only form (module docstring)."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is not None and phonenumbers.is_possible_number(number):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    # parse() reads letters as a vanity number ("mama" → 6262); the matcher looks for a
    # number-shaped part instead.
    for match in phonenumbers.PhoneNumberMatcher(raw, region, leniency=phonenumbers.Leniency.POSSIBLE):
        return phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
    digits = phonenumbers.normalize_digits_only(raw)
    if digits and raw.lstrip().startswith(_PLUS_SIGNS):
        digits = "00" + digits
    return digits


def phone_hash(raw: str, *, purpose: str, region: str = DEFAULT_REGION) -> str:
    """The keyed look-up hash of a phone number; "" when there is no number to recognise.

    Text without a digit ("unknown", "—") must not give every such record one shared hash,
    which would make them all "the same caller".
    """
    normalised = normalise_phone(raw, region=region)
    return lookup_hash(normalised, purpose=purpose) if normalised else ""


@dataclass(frozen=True)
class Rehashed:
    updated: int
    unreadable: int


def rehash_stored_phones(
    model: type[models.Model],
    *,
    phone_field: str,
    lookup_field: str,
    hasher: Callable[[str], str],
    batch_size: int = 1000,
) -> Rehashed:
    """Recompute `lookup_field` from the encrypted `phone_field` of every row that stored one.

    For data migrations after a change of the phone form. Rows without a stored phone are left
    as they are (a hash kept without its number cannot be recomputed). A value that no
    configured key opens is counted and left as it is, rather than stopping the migration.
    """
    # The raw token, decrypted here, so that one unreadable row is skipped, not fatal.
    rows = (
        model._default_manager.annotate(phone_token=Cast(phone_field, output_field=models.TextField()))
        .exclude(phone_token="")
        .order_by()
    )
    total = rows.count()
    updated = unreadable = 0
    pending: list[models.Model] = []
    with tqdm(total=total, desc=f"{model._meta.label}.{lookup_field}", unit="row", disable=None) as progress:
        for pk, token, stored in rows.values_list("pk", "phone_token", lookup_field).iterator(chunk_size=batch_size):
            progress.update()
            try:
                phone = decrypt(token)
            except DecryptionError:
                unreadable += 1
                continue
            lookup = hasher(phone)
            if lookup != stored:
                pending.append(model(pk=pk, **{lookup_field: lookup}))
            if len(pending) >= batch_size:
                model._default_manager.bulk_update(pending, [lookup_field])
                updated += len(pending)
                pending = []
    if pending:
        model._default_manager.bulk_update(pending, [lookup_field])
        updated += len(pending)
    return Rehashed(updated=updated, unreadable=unreadable)
