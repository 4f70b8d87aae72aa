"""The job-offer risk check: its rules, the public page that stores nothing, and the operator's page."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from atis.audit.models import AuditEntry
from atis.screening.job_offers import assess_job_offer
from atis.screening.models import CallbackRequest

RO_SCAM = (
    "Angajăm urgent fete tinere pentru dans în cluburi din Germania. Câștiguri mari, fără experiență. "
    "Transportul și cazarea sunt asigurate de firmă, se rețin din primul salariu. Taxă de înscriere 300 lei. "
    "Contactați-ne doar pe WhatsApp."
)
EN_GENUINE = (
    "Acme Analytics Ltd, 12 King Street, Manchester, is hiring a data analyst. You will work with our product "
    "team on reporting. Requirements: 2 years of SQL. Benefits: pension, 25 days of holiday. Apply on our website."
)


def test_a_romanian_scam_is_high_with_reasons_and_advice() -> None:
    result = assess_job_offer(RO_SCAM)
    assert result.level == "high"
    assert {"fees", "private_messenger", "girls_abroad", "travel_arranged"} <= set(result.codes)
    assert all(str(sign.reason) and str(sign.advice) for sign in result.signs)


def test_diacritics_and_case_do_not_matter() -> None:
    typed = "ANGAJAM URGENT FETE PENTRU DANS IN GERMANIA. TAXA DE INSCRIERE 300 LEI, CONTACT PE WHATSAPP."
    with_diacritics = "Angajăm urgent fete pentru dans în Germania. Taxă de înscriere 300 lei, contact pe WhatsApp."
    assert set(assess_job_offer(typed).codes) == set(assess_job_offer(with_diacritics).codes)
    assert {"fees", "private_messenger", "girls_abroad"} <= set(assess_job_offer(typed).codes)


def test_a_plain_genuine_posting_is_low() -> None:
    assert assess_job_offer(EN_GENUINE).level == "low"


def test_answers_add_their_own_signs() -> None:
    result = assess_job_offer(EN_GENUINE, {"fees": "yes", "documents": "yes", "contract": "unknown"})
    assert {"answer_fees", "answer_documents"} <= set(result.codes)
    assert result.level == "high"


def test_the_public_check_needs_no_login_and_stores_nothing(db) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    audit_before = AuditEntry.objects.count()
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("screening:job_offer"), {"text": RO_SCAM, "q_fees": "yes"})
    assert response.status_code == 200
    assert 'data-sign="fees"' in response.content.decode()
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert AuditEntry.objects.count() == audit_before and not CallbackRequest.objects.exists()


def test_a_call_back_needs_consent_and_keeps_only_the_encrypted_number(db) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    url = reverse("screening:job_offer")
    refused = client.post(url, {"text": RO_SCAM, "call_back": "on", "phone": "0722 123 456"})
    assert (
        not CallbackRequest.objects.exists() and "agree" in refused.content.decode().lower()
    ) or "acord" in refused.content.decode().lower()
    client.post(url, {"text": RO_SCAM, "call_back": "on", "phone": "0722 123 456", "consent": "on"})
    callback = CallbackRequest.objects.get()
    assert callback.phone == "0722 123 456" and callback.level == "high"
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, sign_codes FROM screening_callbackrequest")
        raw_phone, codes = cursor.fetchone()
    assert "0722" not in raw_phone and "WhatsApp" not in codes


def test_the_public_check_is_rate_limited(db, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ATIS_JOB_OFFER_PUBLIC_RATE = "3/m"
    client = Client()
    statuses = [client.post(reverse("screening:job_offer"), {"text": EN_GENUINE}).status_code for _ in range(5)]
    assert statuses[:3] == [200, 200, 200] and statuses[-1] == 429


def test_operators_check_offers_and_see_call_backs(signed_in) -> None:  # type: ignore[no-untyped-def]
    operator = signed_in("operator")
    response = operator.post(reverse("screening:job_offer_check"), {"text": RO_SCAM})
    assert 'data-sign="girls_abroad"' in response.content.decode()
    Client().post(
        reverse("screening:job_offer"),
        {"text": RO_SCAM, "call_back": "on", "phone": "+40 722 000 111", "consent": "on"},
    )
    listing = operator.get(reverse("screening:callbacks")).content.decode()
    assert "+40 722 000 111" in listing
    callback = CallbackRequest.objects.get()
    operator.post(reverse("screening:callback_done", args=[callback.public_id]))
    callback.refresh_from_db()
    assert callback.handled_at is not None
