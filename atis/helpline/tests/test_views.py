"""The HelpLine screens as operators, coordinators and analysts use them."""

from __future__ import annotations

import csv
import io
import time

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import pgettext
from openpyxl import load_workbook

from atis.accounts.stepup import STEP_UP_AT
from atis.audit.models import AuditEntry
from atis.codelists.models import CodeList
from atis.helpline.models import Contact, JobOfferCheck
from atis.helpline.tests.helpers import code, county, log_contact

pytestmark = pytest.mark.django_db


def _intake_data(**changes: str) -> dict[str, object]:
    data: dict[str, object] = {
        "contact_type": code(CodeList.HELPLINE_CONTACT_TYPE, "information").pk,
        "caller_role": code(CodeList.HELPLINE_CALLER_ROLE, "potential_migrant").pk,
        "channel": code(CodeList.HELPLINE_CHANNEL, "phone").pk,
        "started_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "duration": "4:30",
        "topics": [code(CodeList.HELPLINE_TOPIC, "contract").pk, code(CodeList.HELPLINE_TOPIC, "travel").pk],
        "destination_country": "DE",
        "county": county("IS").pk,
        "language": "ro",
        "summary": "Asked whether a contract in German must be signed before leaving.",
    }
    data.update(changes)
    return data


def test_the_intake_opens_with_the_defaults_and_the_focus_on_the_first_field(signed_in) -> None:  # type: ignore[no-untyped-def]
    page = signed_in("operator").get(reverse("helpline:intake")).content.decode()
    first_field = page.split('<select name="contact_type"', 1)[1].split(">", 1)[0]
    assert "autofocus" in first_field
    assert 'data-shortcut="save"' in page and "helpline/intake.js" in page and "Alt" in page
    assert 'id="kb-suggestions"' in page and reverse("helpline:suggestions") in page
    phone = code(CodeList.HELPLINE_CHANNEL, "phone").pk
    assert f'<option value="{phone}" selected>' in page


def test_an_operator_records_an_information_call(signed_in) -> None:  # type: ignore[no-untyped-def]
    response = signed_in("operator").post(reverse("helpline:intake"), _intake_data())
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert contact.duration_seconds == 270 and contact.destination_country == "DE"
    assert sorted(contact.topics.values_list("code", flat=True)) == ["contract", "travel"]
    assert AuditEntry.objects.filter(action="helpline.contact.create", object_ref=str(contact.public_id)).exists()


def test_a_refused_intake_says_why_and_saves_nothing(signed_in) -> None:  # type: ignore[no-untyped-def]
    response = signed_in("operator").post(
        reverse("helpline:intake"), _intake_data(emergency="on", duration="abc", caller_name="Maria")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "emergency-steps is-open" in page and "112" in page
    assert not Contact.objects.exists()


def test_an_emergency_is_saved_with_what_was_done_and_when(signed_in) -> None:  # type: ignore[no-untyped-def]
    response = signed_in("operator").post(
        reverse("helpline:intake"),
        _intake_data(emergency="on", emergency_action="Called 112 with the address.", emergency_action_at="00:01"),
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert contact.emergency and timezone.localtime(contact.emergency_action_at).strftime("%H:%M") == "00:01"


def test_reading_a_contact_is_audited_and_shows_the_summary(signed_in, personas) -> None:  # type: ignore[no-untyped-def]
    contact = log_contact(personas["operator"].user)
    response = signed_in("coordinator").get(reverse("helpline:detail", kwargs={"public_id": contact.public_id}))
    assert response.status_code == 200 and "Foggia" in response.content.decode()
    entry = AuditEntry.objects.get(action="read", object_ref=str(contact.public_id))
    assert entry.actor_label == "coordinator"


def test_the_list_never_shows_summaries_and_is_audited(signed_in, personas) -> None:  # type: ignore[no-untyped-def]
    contact = log_contact(personas["operator"].user)
    page = signed_in("operator").get(reverse("helpline:list")).content.decode()
    assert contact.reference in page and "Foggia" not in page
    assert AuditEntry.objects.get(action="helpline.contact.list").details["references"] == [contact.reference]


def test_a_repeat_caller_is_shown_while_typing_the_number(signed_in, personas) -> None:  # type: ignore[no-untyped-def]
    earlier = log_contact(personas["operator"].user, caller_number="0745 000 111", recognise_repeat=True)
    client = signed_in("operator")
    page = client.post(reverse("helpline:caller_check"), {"caller_number": "+40745000111"}).content.decode()
    assert earlier.reference in page
    assert "745" not in AuditEntry.objects.get(action="helpline.caller.lookup").details.__repr__()
    page = client.post(reverse("helpline:caller_check"), {"caller_number": "0745 999 999"}).content.decode()
    assert earlier.reference not in page


def test_an_operator_turns_a_report_into_a_case(signed_in, personas) -> None:  # type: ignore[no-untyped-def]
    contact = log_contact(personas["operator"].user, contact_type="report")
    response = signed_in("operator").post(
        reverse("helpline:escalate_case", kwargs={"public_id": contact.public_id}),
        {"case-county": county("IS").pk, "case-sex": "female", "case-consent_given": "", "case-first_name": "Ana"},
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.escalated_at is not None and contact.escalations.get().case is not None


def test_a_case_without_a_county_is_refused_beside_the_field(signed_in, personas) -> None:  # type: ignore[no-untyped-def]
    contact = log_contact(personas["operator"].user, contact_type="report", county=None)
    response = signed_in("operator").post(
        reverse("helpline:escalate_case", kwargs={"public_id": contact.public_id}), {"case-sex": "female"}
    )
    assert response.status_code == 400
    assert not contact.escalations.exists()


def test_the_job_offer_check_result_is_saved_with_the_contact_but_not_its_text(signed_in) -> None:  # type: ignore[no-untyped-def]
    client = signed_in("operator")
    offer = "Job in Germany, 3000 EUR. Pay a registration fee of 200 EUR, contact us only on WhatsApp."
    fragment = client.post(reverse("helpline:job_offer_check"), {"offer_text": offer}).content.decode()
    assert 'name="job_offer_level"' in fragment and 'hx-swap-oob="true"' in fragment
    level = fragment.split('name="job_offer_level" value="')[1].split('"')[0]
    signs = fragment.split('name="job_offer_signs" value="')[1].split('"')[0]
    assert level in {"medium", "high"} and "fees" in signs
    client.post(reverse("helpline:intake"), _intake_data(job_offer_level=level, job_offer_signs=signs))
    check = JobOfferCheck.objects.get()
    assert check.level == level and "fees" in check.sign_codes
    assert "WhatsApp" not in str(AuditEntry.objects.values_list("details", flat=True)[::1])


def test_the_side_panels_answer_even_without_their_apps(signed_in) -> None:  # type: ignore[no-untyped-def]
    client = signed_in("operator")
    assert (
        client.get(reverse("helpline:suggestions"), {"topics": "job_offer", "destination_country": "IT"}).status_code
        == 200
    )
    assert client.get(reverse("helpline:agencies"), {"agency_query": "Agentia"}).status_code == 200


def test_the_dashboard_shows_the_operators_follow_ups_due(signed_in, personas) -> None:  # type: ignore[no-untyped-def]
    from atis.helpline import services

    contact = log_contact(personas["operator"].user)
    services.follow_up_add(
        actor=personas["operator"].user, contact=contact, description="Call back", due_at=timezone.now()
    )
    page = signed_in("operator").get(reverse("core:dashboard")).content.decode()
    assert contact.reference in page and "Call back" in page


def test_statistics_group_rare_categories_and_show_no_row(signed_in, personas) -> None:  # type: ignore[no-untyped-def]
    operator = personas["operator"].user
    for _ in range(5):
        log_contact(operator, destination_country="IT")
    log_contact(operator, destination_country="NO", contact_type="report")
    response = signed_in("analyst").get(reverse("helpline:statistics"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="chart-destination" type="application/json"' in page and "vendor/plotly/plotly.min.js" in page
    assert "Norvegia" not in page and "Norway" not in page  # one contact: only inside "other"
    assert "Foggia" not in page
    figures = response.context["figures"]
    destinations = next(table.rows for table in figures.tables if table.key == "destination")
    with translation.override("ro"):
        # Both under the threshold of 11: Italy is folded with Norway, never shown as 5.
        assert destinations == [(pgettext("grouped statistics category", "other"), 6)]
    assert figures.total == 6 and figures.threshold == 11


def _small_county_scene(operator) -> None:  # type: ignore[no-untyped-def]
    """12 contacts from Iași about job offers in Italy, 3 from Cluj, 2 from Bucharest."""
    for _ in range(12):
        log_contact(operator, county=county("IS"))
    for _ in range(3):
        log_contact(operator, county=county("CJ"), topics=("contract",), destination_country="NO")
    for _ in range(2):
        log_contact(operator, county=county("B"), topics=("recruitment_agency",), destination_country="ES")


def _table(figures, key: str) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return dict(next(table.rows for table in figures.tables if table.key == key))


def test_a_county_or_topic_seen_3_times_is_never_published_as_3(signed_in, personas) -> None:  # type: ignore[no-untyped-def]
    _small_county_scene(personas["operator"].user)
    client = signed_in("analyst")
    with translation.override("en"):
        response = client.get(reverse("helpline:statistics"))
        other = pgettext("grouped statistics category", "other")
    page = response.content.decode()
    figures = response.context["figures"]
    # The table by county is protected even for a national reader: Cluj (3) and Bucharest (2)
    # are folded into "other", which reads "<11"; Iași is hidden beside it, else 17 - 12 = 5.
    assert _table(figures, "county") == {"Iași": "x", other: "<11"}
    # A national one-way table is printed exactly once its rare topics are folded.
    assert _table(figures, "topic") == {"Job offer abroad": 12, other: 5}
    assert _table(figures, "destination") == {"Italy": 12, other: 5}
    assert '<td class="text-end">&lt;11</td>' in page and '<td class="text-end">12</td>' in page
    assert '<td class="text-end">3</td>' not in page and "Cluj" not in page
    assert "fewer than 11 contacts" in page

    session = client.session
    session[STEP_UP_AT] = time.time()
    session.save()
    with translation.override("en"):
        csv_rows = list(
            csv.reader(
                io.StringIO(
                    b"".join(
                        client.get(reverse("helpline:statistics_export"), {"format": "csv"}).streaming_content
                    ).decode()
                )
            )
        )
        sheet = load_workbook(
            io.BytesIO(client.get(reverse("helpline:statistics_export"), {"format": "xlsx"}).content)
        ).active
    xlsx_rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    for rows in ([[str(cell) for cell in row] for row in xlsx_rows], csv_rows):
        county_rows = {row[1]: row[2] for row in rows if row[0] == "Contacts by county"}
        assert county_rows == {"Iași": "x", "other": "<11"}
        assert ["Contacts by topic", "Job offer abroad", "12"] in rows
        assert not any(row[1] in {"Cluj", "București", "Norway"} or row[2] in {"2", "3"} for row in rows)
    assert ["Contacts by topic", "Job offer abroad", 12] in xlsx_rows  # a number, not text


def test_a_regional_reader_sees_small_figures_hidden_and_large_ones_exactly(signed_in, personas) -> None:  # type: ignore[no-untyped-def]
    operator = personas["operator"].user
    _small_county_scene(operator)
    for topic, times in (("contract", 3), ("recruitment_agency", 2)):
        for _ in range(times):
            log_contact(operator, county=county("IS"), topics=(topic,))
    with translation.override("en"):
        figures = signed_in("analyst_iasi").get(reverse("helpline:statistics")).context["figures"]
        other = pgettext("grouped statistics category", "other")
    assert figures.total == 17  # Iași's contacts only
    # Below national level every table is protected, not only the one by county.
    assert _table(figures, "topic") == {"Job offer abroad": "x", other: "<11"}
    assert _table(figures, "county") == {"Iași": 17}
    printed = [count for table in figures.tables for _label, count in table.rows]
    assert all(isinstance(count, str) or count >= 11 for count in printed)


def test_the_regional_analyst_sees_figures_of_the_counties_of_the_centre(signed_in, personas) -> None:  # type: ignore[no-untyped-def]
    operator = personas["operator"].user
    log_contact(operator, county=county("IS"))
    log_contact(operator, county=county("CJ"))
    assert signed_in("analyst_iasi").get(reverse("helpline:statistics")).context["figures"].total == 1
    assert signed_in("analyst").get(reverse("helpline:statistics")).context["figures"].total == 2


def test_the_export_asks_for_the_code_again_and_escapes_formulas(signed_in, personas) -> None:  # type: ignore[no-untyped-def]
    operator = personas["operator"].user
    for _ in range(5):
        log_contact(operator)
    client = signed_in("analyst")
    url = reverse("helpline:statistics_export")
    assert client.get(url).status_code == 302
    session = client.session
    session[STEP_UP_AT] = time.time()
    session.save()
    response = client.get(url, {"format": "xlsx"})
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert len(values[0]) == 3 and values[1][2] == 5
    assert all(not (isinstance(cell, str) and cell.startswith("=")) for row in values for cell in row)
    csv_response = client.get(url, {"format": "csv"})
    assert b"".join(csv_response.streaming_content).decode().count("\n") == len(values)
    # Each entry records the format that was actually sent.
    sent = AuditEntry.objects.filter(action="helpline.statistics.export").order_by("sequence")
    assert [entry.details["format"] for entry in sent] == ["xlsx", "csv"]


def test_plotly_is_served_by_atis_itself(client) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.staticfiles import finders

    from atis.lib.charts import PLOTLY_JS

    found = finders.find(PLOTLY_JS)
    assert found and found.endswith("plotly.min.js")
    assert finders.find("vendor/plotly/widgetbundle.js") is None
