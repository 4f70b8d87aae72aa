"""The annual report as a background job: requested, built (with its progress kept on the row,
for the page that polls it), read back by its requester, and published to the document library.

A report is built for its requester's scope, so it is theirs alone: another user, even of the
same role, gets a 404 and requests their own.
"""

from __future__ import annotations

import io
import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from atis.audit.services import audit_record
from atis.statistics import reports
from atis.statistics.models import AnnualReport, ReportStatus

VIEW = "statistics.view_statistics"
PUBLISH = "statistics.publish_statistics"
LANGUAGES = ("ro", "en")

logger = logging.getLogger(__name__)


def annual_report_for(user: Any, public_id: Any) -> AnnualReport:
    if not user.has_perm(VIEW):
        raise PermissionDenied
    report = AnnualReport.objects.filter(public_id=public_id, requested_by=user).first()
    if report is None:
        raise Http404
    return report


def annual_reports_of(user: Any) -> Any:
    if not user.has_perm(VIEW):
        return AnnualReport.objects.none()
    return AnnualReport.objects.filter(requested_by=user).defer("pdf", "xlsx")[:10]


def annual_report_request(*, actor: Any, year: int, language: str) -> AnnualReport:
    """A new report waiting to be built; the caller queues the task after the commit."""
    if not actor.has_perm(VIEW):
        raise PermissionDenied
    if language not in LANGUAGES:
        raise ValidationError(_("Choose Romanian or English."), code="language")
    report = AnnualReport.objects.create(year=year, language=language, requested_by=actor)
    audit_record(actor=actor, action="statistics.annual_report_request", obj=report, details={"language": language})
    return report


def _set_progress(report: AnnualReport, percent: int) -> None:
    report.progress = min(max(percent, 0), 100)
    # Saved outside any surrounding transaction in a worker, so the polling page sees it.
    AnnualReport.objects.filter(pk=report.pk).update(progress=report.progress)


def annual_report_build(*, report_id: int) -> AnnualReport:
    """Build the chapters (to 80%), then the PDF (90%) and the workbook (100%)."""
    report = AnnualReport.objects.select_related("requested_by").get(pk=report_id)
    if report.status == ReportStatus.DONE:
        return report
    AnnualReport.objects.filter(pk=report.pk).update(status=ReportStatus.RUNNING, progress=0)
    user = report.requested_by
    try:
        with translation.override(report.language):
            chapters = reports.annual_report_chapters(
                user, report.year, lambda done, total: _set_progress(report, 80 * done // total)
            )
            pdf = reports.chapters_pdf(chapters, report.year)
            _set_progress(report, 90)
            xlsx = reports.chapters_xlsx(chapters)
    except Exception as error:
        # Kept, not raised: run eagerly the task sits inside the request that queued it, and
        # the requester should see "failed" on the progress page rather than an error page.
        logger.exception("annual report %s failed", report.pk)
        AnnualReport.objects.filter(pk=report.pk).update(
            status=ReportStatus.FAILED, error=type(error).__name__[:300], finished_at=timezone.now()
        )
        audit_record(actor=user, action="statistics.annual_report_build", obj=report, outcome="failure")
        report.refresh_from_db()
        return report
    report.pdf, report.xlsx = pdf, xlsx
    report.status, report.progress, report.finished_at = ReportStatus.DONE, 100, timezone.now()
    report.save(update_fields=["pdf", "xlsx", "status", "progress", "finished_at"])
    audit_record(actor=user, action="statistics.annual_report_build", obj=report)
    return report


@transaction.atomic
def annual_report_publish(*, actor: Any, report: AnnualReport, visibility: str = "public") -> AnnualReport:
    """Hand the report's PDF to the document library (category: reports) as a published document.

    Refusals of the library (its own permission, its file checks) propagate, so nothing is half done.
    """
    from atis.library import services as library
    from atis.library.models import Category, DocumentLanguage, Visibility

    if not actor.has_perm(PUBLISH):
        raise PermissionDenied
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if report.requested_by_id != actor.pk:
        raise PermissionDenied
    if report.status != ReportStatus.DONE:
        raise ValidationError(_("The report is not ready yet."), code="not_ready")
    if report.library_ref:
        raise ValidationError(_("This report is already in the document library."), code="published")
    if visibility not in Visibility.values:
        raise ValidationError(_("Choose who may read the document."), code="visibility")
    content = bytes(report.pdf)
    with translation.override(report.language):
        title = _("Annual report %(year)s on trafficking in persons") % {"year": report.year}
        description = _("Identified victims, the HelpLine, assistance, prevention campaigns and prosecutions.")
    romanian = report.language == "ro"
    data = library.DocumentData(
        title_ro=title if romanian else "",
        title_en="" if romanian else title,
        description_ro=description if romanian else "",
        description_en="" if romanian else description,
        category=Category.REPORTS,
        year=report.year,
        language=DocumentLanguage.ROMANIAN if romanian else DocumentLanguage.ENGLISH,
        visibility=visibility,
        tags=("raport anual", "statistici"),
    )
    document = library.document_create(
        actor=actor,
        data=data,
        upload=io.BytesIO(content),
        upload_name=f"raport-anual-{report.year}-{report.language}.pdf",
        upload_size=len(content),
    )
    library.document_publish(actor=actor, document=document)
    report.library_ref = str(document.public_id)
    report.save(update_fields=["library_ref"])
    audit_record(
        actor=actor, action="statistics.annual_report_publish", obj=report, details={"document": report.library_ref}
    )
    return report
