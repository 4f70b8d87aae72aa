"""The evaluation report: the extent to which activities were carried out, per objective and
institution, the difficulties reported (grouped by kind) and the indicators, followed by the
coordinator's conclusions and recommendations. As a PDF (WeasyPrint) and as a workbook."""

from __future__ import annotations

import io
from typing import Any

from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from weasyprint import HTML

from atis.audit.services import audit_record
from atis.lib.exports import safe_cell
from atis.strategy import selectors
from atis.strategy.models import Evaluation


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    # The document is self-contained: it must never load anything, local or remote.
    raise ValueError(f"external resource refused: {url[:60]}")


def evaluation_context(actor: Any, evaluation: Evaluation) -> dict[str, Any]:
    if not actor.has_perm(selectors.FIGURES):
        raise PermissionDenied
    figures = selectors.implementation(actor, evaluation.strategy, evaluation.round)
    return {
        "evaluation": evaluation,
        "figures": figures,
        "statuses": [(status, selectors.status_label(status)) for status in selectors.STATUS_ORDER],
        "generated_at": timezone.localtime(),
    }


def evaluation_pdf(*, actor: Any, evaluation: Evaluation) -> bytes:
    html = render_to_string("strategy/pdf/evaluation.html", evaluation_context(actor, evaluation))
    content: bytes = HTML(string=html, url_fetcher=_no_fetching).write_pdf()
    audit_record(actor=actor, action="strategy.evaluation_export", obj=evaluation, details={"format": "pdf"})
    return content


def evaluation_xlsx(*, actor: Any, evaluation: Evaluation) -> bytes:
    context = evaluation_context(actor, evaluation)
    figures: selectors.ImplementationFigures = context["figures"]
    statuses = context["statuses"]
    workbook = Workbook()

    def table(sheet: Any, title: str, tallies: list[selectors.Tally]) -> None:
        sheet.title = title[:31]
        header = [_("Group"), _("Activities"), *[str(label) for _s, label in statuses], _("Completed (%)")]
        sheet.append([safe_cell(cell) for cell in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for tally in [*tallies, figures.overall]:
            sheet.append(
                [
                    safe_cell(tally.label),
                    tally.total,
                    *[tally.counts[status] for status, _label in statuses],
                    tally.completed_share,
                ]
            )
        sheet.column_dimensions["A"].width = 60

    table(workbook.active, _("By objective"), figures.by_objective)
    table(workbook.create_sheet(), _("By institution"), figures.by_institution)
    activities = workbook.create_sheet(_("Activities")[:31])
    activities.append([_("Code"), _("Activity"), _("Responsible"), _("Status"), _("What was done")])
    for activity, status, report in figures.activities:
        activities.append(
            [
                safe_cell(activity.code),
                safe_cell(activity.title),
                safe_cell(activity.responsible.name),
                safe_cell(selectors.status_label(status)),
                safe_cell(report.narrative if report else ""),
            ]
        )
    indicators = workbook.create_sheet(_("Indicators")[:31])
    indicators.append(
        [_("Activity"), _("Indicator"), _("Unit"), _("Baseline"), _("Target"), _("Value"), _("Progress (%)")]
    )
    for item in figures.indicators:
        indicators.append(
            [
                safe_cell(item.activity.code),
                safe_cell(item.indicator.name),
                safe_cell(item.indicator.unit),
                item.indicator.baseline,
                item.indicator.target,
                item.value,
                item.progress,
            ]
        )
    difficulties = workbook.create_sheet(_("Difficulties")[:31])
    difficulties.append([_("Kind"), _("Activity"), _("Institution"), _("Difficulties")])
    for _kind, label, items in figures.difficulties:
        for activity, report in items:
            difficulties.append(
                [
                    safe_cell(label),
                    safe_cell(activity.code),
                    safe_cell(report.organisation.name),
                    safe_cell(report.difficulties),
                ]
            )
    text = workbook.create_sheet(_("Conclusions")[:31])
    text.append([safe_cell(_("Conclusions")), safe_cell(evaluation.conclusions)])
    text.append([safe_cell(_("Recommendations")), safe_cell(evaluation.recommendations)])
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(min_row=1, max_row=1):
            for cell in row:
                cell.font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    audit_record(actor=actor, action="strategy.evaluation_export", obj=evaluation, details={"format": "xlsx"})
    return buffer.getvalue()


def publish_to_library(*, actor: Any, evaluation: Evaluation, content: bytes, visibility: str) -> str:
    """Hand the PDF to the document library as a published document (category: strategies);
    returns the library's public id of the document. Refusals of the library (its permission,
    its file checks) propagate, so the evaluation stays a draft."""
    from atis.library import services as library
    from atis.library.models import Category, DocumentLanguage

    language = translation.get_language() or "ro"
    title = evaluation.title[:300]
    data = library.DocumentData(
        title_ro=title if language.startswith("ro") else "",
        title_en=title if language.startswith("en") else "",
        description_ro=_("Evaluation of the implementation of %(strategy)s.") % {"strategy": evaluation.strategy}
        if language.startswith("ro")
        else "",
        description_en=_("Evaluation of the implementation of %(strategy)s.") % {"strategy": evaluation.strategy}
        if language.startswith("en")
        else "",
        category=Category.STRATEGIES,
        year=timezone.localdate().year,
        language=DocumentLanguage.ENGLISH if language.startswith("en") else DocumentLanguage.ROMANIAN,
        visibility=visibility,
        tags=("strategie", "evaluare"),
    )
    name = f"{slugify(evaluation.title)[:80] or 'evaluare'}.pdf"
    document = library.document_create(
        actor=actor, data=data, upload=io.BytesIO(content), upload_name=name, upload_size=len(content)
    )
    library.document_publish(actor=actor, document=document)
    return str(document.public_id)
