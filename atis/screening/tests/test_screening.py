"""Screening a case: the questionnaire, the explained result, scope, audit, prefill and comparison."""

from __future__ import annotations

from django.urls import reverse

from atis.assistance.tests.helpers import identified_case
from atis.audit.models import AuditEntry
from atis.cases.models import Case
from atis.screening import services
from atis.screening.models import Indicator, Screening
from atis.screening.rules import IndicatorList, Strength
from atis.screening.tests.helpers import screen

TRAFFICKED = {
    "deceived_job_nature",
    "deceived_conditions",
    "excessive_hours",
    "unpaid_or_underpaid",
    "documents_confiscated",
    "isolated_or_watched",
}


def test_a_case_manager_fills_the_questionnaire_and_sees_an_explained_result(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    case = identified_case(personas["manager_iasi"].user)
    client = signed_in("manager_iasi")
    url = reverse("screening:new", args=[case.public_id]) + "?list=adult_labour"
    form = client.get(url).context["form"]
    data = {"list": "adult_labour", "note": ""}
    for indicator in form.indicators:
        data[f"answer_{indicator.pk}"] = "present" if indicator.code in TRAFFICKED else "absent"
    response = client.post(url, data)
    screening = Screening.objects.get(case=case)
    assert response.status_code == 302 and screening.presumed and screening.dimensions_present == "ADE"
    page = client.get(reverse("screening:detail", args=[screening.public_id])).content.decode()
    assert "never replaces, your own judgement" in page or "niciodată" in page
    assert AuditEntry.objects.filter(action="screening.record", object_ref=str(case.public_id)).exists()
    assert AuditEntry.objects.filter(
        action="read", object_ref=str(case.public_id), details__section="screening"
    ).exists()


def test_a_screening_outside_the_scope_answers_404(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    case = identified_case(personas["manager_iasi"].user)
    screening = screen(personas["manager_iasi"].user, case, IndicatorList.ADULT_LABOUR, TRAFFICKED)
    cluj = signed_in("manager_cluj")
    assert cluj.get(reverse("screening:detail", args=[screening.public_id])).status_code == 404
    assert cluj.get(reverse("screening:case", args=[case.public_id])).status_code == 404


def test_prefill_adds_the_proposed_methods_of_control_without_removing_any(personas) -> None:  # type: ignore[no-untyped-def]
    manager = personas["manager_iasi"].user
    case = identified_case(manager)
    screening = screen(manager, case, IndicatorList.ADULT_LABOUR, TRAFFICKED)
    proposals = services.screening_proposals(screening)
    assert {code.code for code in proposals["control_methods"]} >= {
        "withholds_documents",
        "false_promises",
        "excessive_hours",
    }
    services.screening_prefill_case(
        actor=manager,
        screening=screening,
        control_methods=proposals["control_methods"],
        exploitation_forms=proposals["exploitation_forms"],
    )
    case = Case.objects.get(pk=case.pk)
    assert {"withholds_documents", "excessive_hours"} <= set(case.control_methods.values_list("code", flat=True))
    # The form recorded at opening stays beside the proposed one.
    assert {"sexual", "forced_labour"} <= set(case.exploitation_forms.values_list("code", flat=True))


def test_a_second_screening_shows_what_changed_and_old_results_keep_their_grades(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    manager = personas["manager_iasi"].user
    case = identified_case(manager)
    first = screen(manager, case, IndicatorList.ADULT_LABOUR, {"deceived_job_nature", "excessive_hours"})
    second = screen(manager, case, IndicatorList.ADULT_LABOUR, TRAFFICKED)
    services.indicator_update(
        actor=personas["coordinator"].user,
        indicator=Indicator.objects.get(list="adult_labour", code="documents_confiscated"),
        data={"strength": Strength.WEAK},
    )
    page = (
        signed_in("manager_iasi")
        .get(reverse("screening:compare", args=[second.public_id, first.public_id]))
        .content.decode()
    )
    documents = Indicator.objects.get(list="adult_labour", code="documents_confiscated")
    assert documents.label in page
    assert not first.presumed and second.presumed
    # Recomputed from the answers as graded then, the old result is unchanged by the correction.
    from atis.screening.selectors import screening_report

    assert screening_report(second).result.presumed
