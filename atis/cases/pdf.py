"""The case file as a PDF: only the sections the user may open, audited as an export."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from atis.audit.services import audit_record
from atis.cases.models import Case, Section
from atis.cases.permissions import cases as policy


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    # The document is self-contained: it must never load anything, local or remote.
    raise ValueError(f"external resource refused: {url[:60]}")


def case_export(*, actor: Any, case: Case) -> bytes:
    policy.require(actor, "export", case)
    sections = policy.sections(actor, case)
    context: dict[str, Any] = {
        "case": Case.objects.select_related(
            "county",
            "centre",
            "notifying_institution",
            "identifying_institution",
            "deciding_institution",
            "child_protection",
            "recruitment_method",
            "recruiter_relation",
            "closure_reason",
        ).get(pk=case.pk),
        "sections": sections,
        "generated_at": timezone.localtime(),
        "generated_by": actor.get_username(),
    }
    if Section.PERSON in sections:
        context["person"] = case.person
        context["vulnerabilities"] = case.person.vulnerabilities.all()
    if Section.CASE in sections:
        context["forms_of_exploitation"] = case.exploitation_forms.all()
        context["control_methods"] = case.control_methods.all()
        context["consents"] = case.consents.select_related("organisation")
        context["referrals"] = case.referrals.select_related("from_organisation", "to_organisation")
        context["tasks"] = case.tasks.all()
    if Section.EVENTS in sections:
        context["events"] = case.events.select_related("county", "locality")
    if Section.PROCEEDINGS in sections:
        context["proceedings"] = case.proceedings.select_related("prosecuting_unit")
    if Section.NOTES in sections:
        context["notes"] = case.notes.select_related("author_organisation")
        context["attachments"] = case.attachments.all()
    html = render_to_string("cases/pdf/case.html", context)
    content: bytes = HTML(string=html, url_fetcher=_no_fetching).write_pdf()
    audit_record(action="case.export", obj=case, details={"format": "pdf", "sections": sorted(sections)})
    return content
