"""The synthetic demo cases: the published shares, valid identities, the right centre,
nothing in clear in the database, and a second run that adds nothing."""

from __future__ import annotations

import datetime
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection

from atis.audit.models import AuditEntry
from atis.cases import demo, services
from atis.cases.models import (
    Case,
    CaseStatus,
    Consent,
    ConsentPurpose,
    Person,
    Proceeding,
    Referral,
    ReferralStatus,
    Scope,
    TraffickingStatus,
)
from atis.core.tests.helpers import row_counts
from atis.lib.crypto import lookup_hash
from atis.organisations.models import CentreCoverage
from conftest import ensure_reference_data

pytestmark = pytest.mark.django_db
N = 300


def _seed(total: int = N) -> str:
    output = io.StringIO()
    call_command("seed_demo", "--cases", str(total), "--no-progress", stdout=output)
    return output.getvalue()


@pytest.fixture
def seeded() -> list[Case]:
    ensure_reference_data()
    _seed()
    return list(Case.objects.select_related("person"))


def _share(flags: list[bool]) -> float:
    return sum(flags) / len(flags)


def test_the_shares_follow_the_agencys_published_figures(seeded) -> None:  # type: ignore[no-untyped-def]
    assert len(seeded) == N
    identified = [case for case in seeded if case.trafficking_status == TraffickingStatus.IDENTIFIED]
    assert 0.9 * N <= len(identified) <= N
    sexual = set(Case.exploitation_forms.through.objects.filter(code__code="sexual").values_list("case_id", flat=True))
    assert 0.63 <= _share([case.pk in sexual for case in identified]) <= 0.77
    assert 0.37 <= _share([case.minor_at_identification for case in identified]) <= 0.53
    assert 0.68 <= _share([case.person.sex == "female" for case in identified]) <= 0.84
    assert 0.42 <= _share([case.trafficking_scope == Scope.INTERNAL for case in identified]) <= 0.58
    assisted = set(Consent.objects.filter(purpose=ConsentPurpose.ASSISTANCE).values_list("case_id", flat=True))
    assert 0.38 <= _share([case.pk in assisted for case in identified]) <= 0.53
    destinations = Counter(case.destination_country for case in seeded if case.trafficking_scope == Scope.INTERNATIONAL)
    assert {country for country, _count in destinations.most_common(3)} <= {"IT", "ES", "DE", "GB"}
    statuses = Counter(case.status for case in seeded)
    assert {CaseStatus.CLOSED, CaseStatus.FOLLOW_UP, CaseStatus.ASSISTED, CaseStatus.IDENTIFIED} <= set(statuses)
    assert statuses[CaseStatus.NOT_VICTIM] + Case.objects.filter(closure_reason__code="not_a_victim").count() < 0.08 * N


def test_every_cnp_is_valid_and_agrees_with_the_person(seeded) -> None:  # type: ignore[no-untyped-def]
    persons = list(Person.objects.all())
    with_cnp = [person for person in persons if person.cnp]
    adults = [case.person for case in seeded if not case.minor_at_identification]
    assert _share([bool(person.cnp) for person in adults]) > 0.75
    for person in with_cnp:
        services.validate_cnp(person.cnp)
        assert person.cnp[1:7] == f"{person.date_of_birth:%y%m%d}"
        assert (int(person.cnp[0]) % 2 == 0) == (person.sex == "female")
        assert person.cnp_lookup == lookup_hash(person.cnp, purpose="cnp")
    for person in persons:
        assert person.birth_year == (person.date_of_birth.year if person.date_of_birth else None)
        assert person.reference.startswith(demo.DEMO_PERSON_PREFIX)
    assert sum(1 for person in persons if person.phone_lookup) > 0.2 * N


def test_every_case_is_in_the_charge_of_the_centre_covering_its_county(seeded) -> None:  # type: ignore[no-untyped-def]
    coverage = dict(CentreCoverage.objects.values_list("county_id", "centre_id"))
    assert len({case.county_id for case in seeded}) > 25
    for case in seeded:
        assert case.centre_id == coverage[case.county_id]
        age = services.age_on(case.person.date_of_birth, case.identified_on or case.notified_on)
        assert case.age_at_identification == age
        assert case.minor_at_identification == (age is not None and age < services.ADULT_AGE)
        if case.minor_at_identification and case.identified_on:
            dgaspc = services.child_protection_for(case.county_id)
            assert dgaspc is not None and case.child_protection_id == dgaspc.pk
            assert case.referrals.filter(to_organisation=dgaspc).exists()


def test_the_dates_and_stages_follow_the_workflow(seeded) -> None:  # type: ignore[no-untyped-def]
    today = datetime.date.today()
    for case in seeded:
        assert case.notified_on <= today
        if case.identified_on:
            assert case.notified_on <= case.identified_on <= today
            assert case.reflection_ends_on == case.identified_on + datetime.timedelta(days=services.REFLECTION_DAYS)
        if case.status == CaseStatus.CLOSED:
            assert case.closed_on and case.closure_reason_id
            assert not case.referrals.filter(status__in=(ReferralStatus.SENT, ReferralStatus.ACCEPTED)).exists()
        if case.status in (CaseStatus.REFERRED, CaseStatus.ASSISTED, CaseStatus.FOLLOW_UP):
            assert case.identified_on and case.referrals.exists()
        if case.status == CaseStatus.NOTIFIED:
            assert case.identified_on is None and case.trafficking_status == TraffickingStatus.PRESUMED
        kinds = list(case.events.values_list("kind", flat=True))
        attempted = case.exploitation_forms.filter(code="attempted").exists()
        assert kinds[0] == "recruitment" and ("exploitation" in kinds) != attempted
    for referral in Referral.objects.all():
        assert referral.consent_id or referral.override_reason
        if referral.consent is not None:
            assert referral.consent.organisation_id == referral.to_organisation_id
    assert Proceeding.objects.exists()


def test_a_second_run_adds_nothing_and_a_larger_one_only_what_is_missing(seeded) -> None:  # type: ignore[no-untyped-def]

    before = row_counts()
    assert "Demo cases created: 0" in _seed()
    assert row_counts() == before
    assert AuditEntry.objects.filter(action="demo.seed").count() == 1

    first = {case.reference: (case.person.first_name, case.summary) for case in seeded}
    _seed(N + 40)
    assert demo.demo_case_count() == N + 40
    assert {
        case.reference: (case.person.first_name, case.summary)
        for case in Case.objects.select_related("person").filter(reference__in=first)
    } == first
    # Resuming gives exactly the cases a single run would have made.
    rebuilt = demo.demo_cases_build(3, start=N)
    for case in rebuilt.cases:
        stored = Case.objects.select_related("person").get(reference=case.reference)
        assert (stored.person.first_name, stored.notified_on, stored.status) == (
            case.person.first_name,
            case.notified_on,
            case.status,
        )


def test_the_seed_run_is_audited_once_not_case_by_case(seeded) -> None:  # type: ignore[no-untyped-def]
    entry = AuditEntry.objects.get(action="demo.seed")
    assert entry.details["cases"] == N and entry.details["persons"] == N
    assert entry.channel == "command"
    assert not AuditEntry.objects.filter(action__startswith="case.").exists()


def test_the_encrypted_columns_hold_no_plaintext(seeded) -> None:  # type: ignore[no-untyped-def]
    columns = {
        Person: ("first_name", "last_name", "cnp", "date_of_birth", "phone", "email", "address"),
        Case: ("summary",),
        Proceeding: ("file_number",),
    }
    checked = 0
    for model, names in columns.items():
        plain = {obj.pk: obj for obj in model._default_manager.all()}
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, {', '.join(names)} FROM {table}")
            for pk, *raw_values in cursor.fetchall():
                for name, raw in zip(names, raw_values, strict=True):
                    value = getattr(plain[pk], name)
                    if value in ("", None):
                        continue
                    text = value.isoformat() if isinstance(value, datetime.date) else str(value)
                    assert raw.startswith("gAAAAA"), (table, name)
                    # A short name can turn up inside base64 by chance; six characters cannot (≈1 in 10^9).
                    if len(text) >= 6:
                        assert text not in raw, (table, name)
                    checked += 1
    assert checked > 5 * N


def test_each_year_has_500_to_700_identified_victims_with_the_default_number() -> None:
    ensure_reference_data()
    _seed(0)  # organisations and accounts only
    batch = demo.demo_cases_build(demo.DEFAULT_DEMO_CASES, today=datetime.date(2026, 12, 31))
    per_year = Counter(case.identified_on.year for case in batch.cases if case.identified_on)
    assert sorted(per_year) == [2021, 2022, 2023, 2024, 2025, 2026]
    assert all(500 <= count <= 700 for count in per_year.values()), per_year
