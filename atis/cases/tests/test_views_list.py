"""The case list (filters in the URL, names hidden) and the search by POST."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from atis.audit.models import AuditEntry
from atis.cases import services
from atis.cases.models import Case, CaseStatus
from atis.cases.tests.helpers import VALID_CNP_ADULT, code, open_case
from atis.codelists.models import CodeList
from atis.geo.models import County
from atis.organisations.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _default_language_afterwards() -> Iterator[None]:
    # A request to an /en/ page leaves English active in this thread; the next test
    # (of any module) must start from the default language again.
    yield
    translation.deactivate()


def en(name: str, **kwargs: Any) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs)


def _case(
    actor: Any, *, county: str, notified: datetime.date, born: datetime.date, forms: list[str], scope: str
) -> Case:
    return services.case_open(
        actor=actor,
        person={"first_name": "Ioana", "last_name": "Vasilescu", "sex": "female", "date_of_birth": born},
        case={
            "county": County.objects.get(mnemonic=county),
            "notified_on": notified,
            "trafficking_scope": scope,
        },
        m2m={"exploitation_forms": [code(CodeList.EXPLOITATION_FORM, form) for form in forms]},
    )


@pytest.fixture
def cases(personas):  # type: ignore[no-untyped-def]
    iasi, cluj = personas["manager_iasi"].user, personas["manager_cluj"].user
    found = {
        "adult_sexual": _case(
            iasi,
            county="IS",
            notified=datetime.date(2026, 1, 10),
            born=datetime.date(1990, 5, 1),
            forms=["sexual"],
            scope="international",
        ),
        "minor_labour": _case(
            iasi,
            county="VS",
            notified=datetime.date(2026, 2, 20),
            born=datetime.date(2012, 5, 1),
            forms=["forced_labour", "forced_begging"],
            scope="internal",
        ),
        "adult_labour_old": _case(
            iasi,
            county="IS",
            notified=datetime.date(2025, 6, 1),
            born=datetime.date(1980, 5, 1),
            forms=["forced_labour"],
            scope="international",
        ),
        "cluj": _case(
            cluj,
            county="CJ",
            notified=datetime.date(2026, 2, 1),
            born=datetime.date(1995, 5, 1),
            forms=["sexual"],
            scope="internal",
        ),
    }
    services.case_identify(
        actor=iasi,
        case=found["adult_sexual"],
        identified_on=datetime.date(2026, 1, 15),
        identifying_institution=Organisation.objects.get(name="Test Police Iași"),
    )
    return found


def _listed(client: Any, **filters: str) -> list[str]:
    response = client.get(en("cases:list"), filters)
    assert response.status_code == 200
    return [case.reference for case in response.context["page"]]


def _refs(cases: dict[str, Case], *keys: str) -> list[str]:
    return [cases[key].reference for key in keys]


def test_a_regional_manager_lists_only_the_cases_of_their_centre_newest_first(signed_in, cases) -> None:  # type: ignore[no-untyped-def]
    assert _listed(signed_in("manager_iasi")) == _refs(cases, "minor_labour", "adult_sexual", "adult_labour_old")
    assert _listed(signed_in("coordinator")) == _refs(cases, "minor_labour", "cluj", "adult_sexual", "adult_labour_old")


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"status": CaseStatus.IDENTIFIED}, ["adult_sexual"]),
        ({"trafficking_status": "presumed"}, ["minor_labour", "cluj", "adult_labour_old"]),
        ({"form": "forced_labour"}, ["minor_labour", "adult_labour_old"]),
        ({"form": "forced_begging"}, ["minor_labour"]),
        ({"county": "VS"}, ["minor_labour"]),
        ({"notified_from": "2026-01-01", "notified_to": "2026-01-31"}, ["adult_sexual"]),
        ({"notified_from": "2026-02-01"}, ["minor_labour", "cluj"]),
        ({"minor": "yes"}, ["minor_labour"]),
        ({"minor": "no"}, ["cluj", "adult_sexual", "adult_labour_old"]),
        ({"scope": "internal"}, ["minor_labour", "cluj"]),
        ({"scope": "international", "form": "sexual"}, ["adult_sexual"]),
        ({"sort": "notified"}, ["adult_labour_old", "adult_sexual", "cluj", "minor_labour"]),
    ],
)
def test_each_filter_gives_exactly_the_expected_cases(signed_in, cases, filters, expected) -> None:  # type: ignore[no-untyped-def]
    assert _listed(signed_in("coordinator"), **filters) == _refs(cases, *expected)


def test_the_centre_filter_and_sorting_by_reference_and_stage(signed_in, cases) -> None:  # type: ignore[no-untyped-def]
    client = signed_in("coordinator")
    cluj_centre = Organisation.objects.get(name="Centrul Regional Cluj-Napoca")
    assert _listed(client, centre=str(cluj_centre.public_id)) == _refs(cases, "cluj")
    assert _listed(client, sort="reference") == sorted(case.reference for case in cases.values())
    by_stage = _listed(client, sort="stage")
    assert by_stage[0] == cases["adult_sexual"].reference  # "identified" sorts before "notified"


def test_a_filter_cannot_widen_the_scope(signed_in, cases) -> None:  # type: ignore[no-untyped-def]
    assert _listed(signed_in("manager_iasi"), county="CJ") == []


def test_the_list_shows_no_name_and_the_filters_stay_in_the_url(signed_in, cases) -> None:  # type: ignore[no-untyped-def]
    response = signed_in("coordinator").get(en("cases:list"), {"county": "VS"})
    html = response.content.decode()
    assert "Ioana" not in html and "Vasilescu" not in html
    case = cases["minor_labour"]
    assert case.reference in html and case.person.reference in html
    assert "Vaslui" in html and "Forced labour" in html
    assert 'name="county"' in html and '<option value="VS" selected>' in html


def test_htmx_gets_only_the_rows(signed_in, cases) -> None:  # type: ignore[no-untyped-def]
    response = signed_in("coordinator").get(
        en("cases:list"), {"form": "sexual"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="case-rows"
    )
    html = response.content.decode()
    assert "<html" not in html
    assert cases["cluj"].reference in html and cases["minor_labour"].reference not in html


def test_the_list_pages_without_counting(signed_in, personas) -> None:  # type: ignore[no-untyped-def]
    manager = personas["manager_iasi"].user
    for day in range(27):
        open_case(manager, notified_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=day))
    client = signed_in("manager_iasi")
    first = client.get(en("cases:list"), {"sort": "notified"})
    assert len(first.context["page"].rows) == 25 and first.context["page"].has_next
    second = client.get(en("cases:list"), {"sort": "notified", "page": "2"})
    assert len(second.context["page"].rows) == 2 and not second.context["page"].has_next
    assert "sort=notified&amp;page=1" in second.content.decode()


def test_the_list_does_not_query_per_row(signed_in, personas, cases) -> None:  # type: ignore[no-untyped-def]
    client = signed_in("coordinator")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(en("cases:list")).status_code == 200
        return len(captured.captured_queries)

    with_four = queries()
    for _ in range(6):
        open_case(personas["manager_iasi"].user)
    assert queries() == with_four


def test_search_by_cnp_is_posted_never_in_the_url_nor_in_the_audit(signed_in, personas) -> None:  # type: ignore[no-untyped-def]
    case = open_case(personas["manager_iasi"].user, cnp=VALID_CNP_ADULT)
    open_case(personas["manager_iasi"].user)
    client = signed_in("manager_iasi")
    response = client.post(en("cases:search"), {"term": VALID_CNP_ADULT})
    assert response.status_code == 200
    assert [found.reference for found in response.context["results"]] == [case.reference]
    assert VALID_CNP_ADULT not in response.request["PATH_INFO"] and not response.request.get("QUERY_STRING")
    entry = AuditEntry.objects.get(action="case.search")
    assert entry.details == {"results": 1}
    for values in AuditEntry.objects.values_list("object_ref", "object_label", "details"):
        assert VALID_CNP_ADULT not in str(values)


def test_a_get_does_not_search_and_other_centres_find_nothing(signed_in, personas) -> None:  # type: ignore[no-untyped-def]
    open_case(personas["manager_iasi"].user, cnp=VALID_CNP_ADULT)
    response = signed_in("manager_cluj").get(en("cases:search"), {"term": VALID_CNP_ADULT})
    assert response.context["results"] is None
    response = signed_in("manager_cluj").post(en("cases:search"), {"term": VALID_CNP_ADULT})
    assert response.context["results"] == []
    assert AuditEntry.objects.get(action="case.search").details == {"results": 0}


def test_the_localities_endpoint_offers_the_chosen_county_only(signed_in) -> None:  # type: ignore[no-untyped-def]
    iasi = County.objects.get(mnemonic="IS")
    response = signed_in("manager_iasi").get(en("cases:localities"), {"person-county": iasi.pk})
    html = response.content.decode()
    assert html.startswith('<option value="">')
    assert "Municipiul Iași" in html
    other = County.objects.get(mnemonic="CJ").localities.earliest("pk")
    assert f'value="{other.pk}"' not in html
    assert signed_in("manager_iasi").get(en("cases:localities")).content.decode().count("<option") == 1


def test_each_list_page_read_is_audited_with_the_cases_shown(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    case = open_case(personas["manager_iasi"].user)
    signed_in("manager_iasi").get(reverse("cases:list"))
    entry = AuditEntry.objects.filter(action="case.list").latest("sequence")
    assert entry.actor_label == "manager_iasi" and entry.details["cases"] == [case.reference]
