"""The NIRM workflow: every transition, legal and illegal, the minor routing, the tasks."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import translation

from atis.audit.models import AuditEntry
from atis.cases import services
from atis.cases.models import CaseStatus, CaseTask, Referral, TaskKind, TraffickingStatus
from atis.cases.tests.helpers import VALID_CNP_ADULT, code, open_case
from atis.codelists.models import CodeList
from atis.organisations.models import Organisation

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 10)


@pytest.fixture
def manager(personas):  # type: ignore[no-untyped-def]
    return personas["manager_iasi"].user


@pytest.fixture
def police(personas):  # type: ignore[no-untyped-def]
    return Organisation.objects.get(name="Test Police Iași")


def test_opening_a_case_derives_the_centre_and_encrypts_the_identity(manager) -> None:  # type: ignore[no-untyped-def]
    case = open_case(manager, county="VS", cnp=VALID_CNP_ADULT, phone="0722 123 456")
    assert case.status == CaseStatus.NOTIFIED
    assert case.trafficking_status == TraffickingStatus.PRESUMED
    assert case.centre.name == "Centrul Regional Iași"
    assert case.person.birth_year == 1985 and not case.minor_at_identification
    assert case.person.cnp_lookup and case.person.cnp_lookup != VALID_CNP_ADULT
    assert AuditEntry.objects.filter(action="case.create", object_label=case.reference).exists()
    assert "Maria" not in str(list(AuditEntry.objects.values_list("object_label", "details")))


def test_an_invalid_cnp_is_refused_with_the_reason(manager) -> None:  # type: ignore[no-untyped-def]
    with translation.override("en"), pytest.raises(ValidationError, match="control digit"):
        open_case(manager, cnp="2850101226670")


def test_the_legal_path_from_notification_to_closure(manager, police) -> None:  # type: ignore[no-untyped-def]
    case = open_case(manager)
    case = services.case_identify(actor=manager, case=case, identified_on=DAY, identifying_institution=police)
    assert (case.status, case.trafficking_status) == (CaseStatus.IDENTIFIED, TraffickingStatus.IDENTIFIED)
    assert case.reflection_ends_on == DAY + datetime.timedelta(days=90)
    assert CaseTask.objects.get(case=case, kind=TaskKind.REFLECTION_END).due_on == case.reflection_ends_on

    case = services.case_start_assistance(actor=manager, case=case)
    assert case.status == CaseStatus.ASSISTED
    case = services.case_start_follow_up(actor=manager, case=case, started_on=datetime.date(2026, 8, 31))
    due = dict(CaseTask.objects.filter(case=case).values_list("kind", "due_on"))
    assert due[TaskKind.FOLLOW_UP_3] == datetime.date(2026, 11, 30)
    assert due[TaskKind.FOLLOW_UP_6] == datetime.date(2027, 2, 28)
    assert due[TaskKind.FOLLOW_UP_12] == datetime.date(2027, 8, 31)
    case = services.case_close(
        actor=manager,
        case=case,
        closed_on=datetime.date(2027, 9, 1),
        reason=code(CodeList.CLOSURE_REASON, "reintegrated"),
    )
    assert case.status == CaseStatus.CLOSED
    actions = list(
        AuditEntry.objects.filter(object_label=case.reference).order_by("sequence").values_list("action", flat=True)
    )
    assert actions == ["case.create", "case.identify", "case.assist", "case.follow_up", "case.close"]


@pytest.mark.parametrize(
    ("setup", "attempt"),
    [
        ([], "start_assistance"),
        ([], "follow_up"),
        ([], "close"),
        (["identify"], "identify"),
        (["identify"], "follow_up"),
        (["not_victim"], "identify"),
        (["identify", "assist", "follow_up", "close"], "start_assistance"),
    ],
)
def test_illegal_transitions_are_refused_and_change_nothing(manager, police, setup, attempt) -> None:  # type: ignore[no-untyped-def]
    actions = {
        "identify": lambda c: services.case_identify(
            actor=manager, case=c, identified_on=DAY, identifying_institution=police
        ),
        "not_victim": lambda c: services.case_mark_not_victim(actor=manager, case=c, deciding_institution=police),
        "assist": lambda c: services.case_start_assistance(actor=manager, case=c),
        "start_assistance": lambda c: services.case_start_assistance(actor=manager, case=c),
        "follow_up": lambda c: services.case_start_follow_up(actor=manager, case=c, started_on=DAY),
        "close": lambda c: services.case_close(
            actor=manager, case=c, closed_on=DAY, reason=code(CodeList.CLOSURE_REASON, "other")
        ),
    }
    case = open_case(manager)
    for step in setup:
        case = actions[step](case)
    before = (case.status, case.version)
    with pytest.raises(ValidationError) as refused:
        actions[attempt](case)
    assert "cannot become" in str(refused.value) or "nu poate deveni" in str(refused.value)
    case.refresh_from_db()
    assert (case.status, case.version) == before


def test_a_minor_is_routed_to_child_protection_with_its_obligations(manager, police) -> None:  # type: ignore[no-untyped-def]
    case = open_case(manager, born=datetime.date(2010, 3, 15))
    assert case.minor_at_identification and case.age_at_identification == 15
    case = services.case_identify(actor=manager, case=case, identified_on=DAY, identifying_institution=police)
    assert case.child_protection is not None and case.child_protection.name == "Test DGASPC Iași"
    referral = Referral.objects.get(case=case)
    assert referral.to_organisation == case.child_protection
    assert referral.consent is None and "272/2004" in referral.override_reason
    assert CaseTask.objects.filter(case=case, kind=TaskKind.CHILD_PROTECTION, due_on=DAY).exists()


def test_someone_outside_the_scope_cannot_change_the_workflow(personas, police) -> None:  # type: ignore[no-untyped-def]
    case = open_case(personas["manager_iasi"].user)
    # Neither sees the case: not found, so the refusal does not confirm that it exists.
    with pytest.raises(Http404):
        services.case_identify(actor=personas["ngo"].user, case=case, identified_on=DAY, identifying_institution=police)
    with pytest.raises(Http404):
        services.case_identify(
            actor=personas["manager_cluj"].user, case=case, identified_on=DAY, identifying_institution=police
        )


def test_a_stale_edit_gets_a_conflict_and_saves_nothing(manager) -> None:  # type: ignore[no-untyped-def]
    case = open_case(manager)
    first_view, second_view = type(case).objects.get(pk=case.pk), type(case).objects.get(pk=case.pk)
    services.case_update(actor=manager, case=first_view, expected_version=1, data={"destination_country": "ES"})
    with pytest.raises(services.ConflictError):
        services.case_update(actor=manager, case=second_view, expected_version=1, data={"destination_country": "DE"})
    case.refresh_from_db()
    assert (case.destination_country, case.version) == ("ES", 2)
    assert AuditEntry.objects.filter(action="case.update").count() == 1


def test_editing_fields_outside_the_allowlist_is_refused(manager) -> None:  # type: ignore[no-untyped-def]
    case = open_case(manager)
    with pytest.raises(ValueError, match="not editable"):
        services.case_update(actor=manager, case=case, expected_version=1, data={"owner_organisation": None})
