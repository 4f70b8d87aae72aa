"""One form per phone number: however it is typed, a stored number is found again."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from atis.cases.models import Person
from atis.cases.selectors import cases_search
from atis.cases.tests.helpers import open_case
from atis.helpline import selectors as helpline_selectors
from atis.helpline.models import Contact
from atis.helpline.tests.helpers import log_contact
from atis.lib.crypto import lookup_hash
from atis.lib.phones import normalise_phone, phone_hash, rehash_stored_phones

PURPOSE = "phone"


@pytest.mark.parametrize(
    "typed",
    [
        "+40 722 123 456",
        "0040722123456",
        "0722 123 456",
        "0722-123-456",
        "0722.123.456",
        "(0722) 123 456",
        "+40 (0) 722 123 456",
        "722 123 456",
        "40722123456",
        " 0722123456 ",
        "\u0660\u0667\u0662\u0662\u0661\u0662\u0663\u0664\u0665\u0666",  # Arabic-Indic digits
        "0722 123 456 (mama)",
        "tel: 0722-123-456",
        "0722 123 456 / 0733 000 111",
    ],
)
def test_a_romanian_number_has_one_form_however_typed(typed: str) -> None:
    assert normalise_phone(typed) == "+40722123456"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("+39 333 123 4567", "+393331234567"),
        ("0039 333 123 4567", "+393331234567"),
        ("0039 3331234567", "+393331234567"),
        ("+373 69 123 456", "+37369123456"),
        ("00373 69 123 456", "+37369123456"),
        ("021 318 1111", "+40213181111"),  # a Bucharest landline
        ("0800 500 333", "+40800500333"),
    ],
)
def test_foreign_and_landline_numbers_keep_their_country_code(typed: str, expected: str) -> None:
    assert normalise_phone(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("+999 12345", "0099912345"),  # no such country code
        ("00999 12345", "0099912345"),
        ("1900101123456", "1900101123456"),  # a CNP typed in the search box
        ("1", "1"),
        ("unknown", ""),
        ("", ""),
    ],
)
def test_what_is_not_a_phone_number_keeps_its_digits(typed: str, expected: str) -> None:
    form = normalise_phone(typed)
    assert form == expected
    assert not form.startswith("+")  # never mistaken for the E.164 form of a real number


def test_text_without_a_number_recognises_no_one() -> None:
    assert phone_hash("unknown", purpose=PURPOSE) == ""
    assert phone_hash("—", purpose=PURPOSE) == ""
    assert phone_hash("+999 12345", purpose=PURPOSE) == phone_hash("00999 12345", purpose=PURPOSE) != ""


def test_hashes_of_one_number_differ_between_purposes() -> None:
    # A HelpLine caller hash must not be usable to look a victim up in cases, and back.
    assert phone_hash("0722 123 456", purpose="phone") != phone_hash("0722 123 456", purpose="helpline-caller")


romanian_mobiles = st.integers(min_value=20, max_value=99).flatmap(
    lambda operator: st.integers(min_value=0, max_value=999_999).map(lambda rest: f"7{operator}{rest:06d}")
)
prefixes = st.sampled_from(["+40", "+40 ", "0040", "0040 ", "0", "+40 (0)", "+40-", ""])
separators = st.sampled_from(["", " ", "-", ".", " - "])


def _typed(national: str, prefix: str, separator: str, cuts: list[int]) -> str:
    cuts = sorted(set(cuts))
    parts = [national[start:end] for start, end in zip([0, *cuts], [*cuts, len(national)], strict=True)]
    return prefix + separator.join(part for part in parts if part)


@given(
    national=romanian_mobiles,
    prefix=prefixes,
    separator=separators,
    cuts=st.lists(st.integers(min_value=1, max_value=8), max_size=4),
)
def test_formatting_never_changes_the_hash_of_a_romanian_number(
    national: str, prefix: str, separator: str, cuts: list[int]
) -> None:
    typed = _typed(national, prefix, separator, cuts)
    assert phone_hash(typed, purpose=PURPOSE) == phone_hash(f"+40{national}", purpose=PURPOSE), typed


@given(
    subscriber=st.integers(min_value=0, max_value=9_999_999),
    international=st.sampled_from(["+39 ", "0039 ", "+39", "0039"]),
    separator=separators,
)
def test_a_foreign_number_typed_with_plus_or_00_hashes_the_same(
    subscriber: int, international: str, separator: str
) -> None:
    number = f"33{subscriber % 10}{subscriber:07d}"  # an Italian mobile, 10 digits
    typed = international + separator.join((number[:3], number[3:6], number[6:]))
    assert phone_hash(typed, purpose=PURPOSE) == phone_hash(f"+39{number}", purpose=PURPOSE), typed


@given(first=romanian_mobiles, second=romanian_mobiles, prefix=prefixes, separator=separators)
def test_distinct_numbers_hash_apart(first: str, second: str, prefix: str, separator: str) -> None:
    if first == second:
        return
    assert phone_hash(_typed(first, prefix, separator, [3, 6]), purpose=PURPOSE) != phone_hash(
        _typed(second, prefix, separator, [3, 6]), purpose=PURPOSE
    )


def _migration(app_label: str, name: str):  # type: ignore[no-untyped-def]
    return importlib.import_module(f"atis.{app_label}.migrations.{name}")


@pytest.mark.django_db
def test_the_cases_migration_makes_a_number_stored_under_the_old_form_searchable(personas) -> None:  # type: ignore[no-untyped-def]
    manager = personas["manager_iasi"].user
    case = open_case(manager, phone="0040 722 123 456")
    migration = _migration("cases", "0003_phone_lookup_e164")
    # The hash as the former normaliser stored it: the new search no longer finds it.
    Person.objects.filter(pk=case.person_id).update(phone_lookup=lookup_hash("0722123456", purpose=PURPOSE))
    assert list(cases_search(manager, "+40 722 123 456")) == []

    migration.forwards(apps, None)
    for typed in ("+40 722 123 456", "0722-123-456", "0040722123456"):
        assert list(cases_search(manager, typed)) == [case], typed

    migration.backwards(apps, None)
    assert Person.objects.get(pk=case.person_id).phone_lookup == lookup_hash("0722123456", purpose=PURPOSE)


@pytest.mark.django_db
def test_an_unreadable_phone_is_counted_and_left_as_it_is(personas) -> None:  # type: ignore[no-untyped-def]
    manager = personas["manager_iasi"].user
    readable = open_case(manager, phone="0722 123 456")
    unreadable = open_case(manager, phone="0733 123 456")
    stale = "0" * 64
    Person.objects.filter(pk__in=[readable.person_id, unreadable.person_id]).update(phone_lookup=stale)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Person._meta.db_table} SET phone = %s WHERE id = %s",
            ["not-a-fernet-token", unreadable.person_id],
        )

    result = rehash_stored_phones(
        Person,
        phone_field="phone",
        lookup_field="phone_lookup",
        hasher=lambda phone: phone_hash(phone, purpose=PURPOSE),
        batch_size=1,
    )

    assert (result.updated, result.unreadable) == (1, 1)
    lookups = dict(Person.objects.values_list("pk", "phone_lookup"))
    assert lookups[readable.person_id] == phone_hash("+40722123456", purpose=PURPOSE)
    assert lookups[unreadable.person_id] == stale


@pytest.mark.django_db
def test_the_helpline_migration_recomputes_only_contacts_that_kept_the_number(personas) -> None:  # type: ignore[no-untyped-def]
    operator = personas["operator"].user
    kept = log_contact(operator, identity_agreed=True, caller_name="Ioana Marin", caller_number="+40 745 123 987")
    hashed_only = log_contact(operator, caller_number="+40 745 123 987", recognise_repeat=True)
    former = lookup_hash("0745123987", purpose=helpline_selectors.CALLER_PURPOSE)
    Contact.objects.filter(pk__in=[kept.pk, hashed_only.pk]).update(caller_lookup=former)

    _migration("helpline", "0002_caller_lookup_e164").forwards(apps, None)

    lookups = dict(Contact.objects.values_list("pk", "caller_lookup"))
    assert lookups[kept.pk] == helpline_selectors.caller_hash("0745 123 987")
    assert lookups[hashed_only.pk] == former  # its number is known nowhere: it cannot be recomputed
    later = log_contact(operator, caller_number="0745-123-987", recognise_repeat=True)
    assert list(helpline_selectors.earlier_contacts(operator, lookup=later.caller_lookup, before=later)) == [kept]
