"""The evaluation report of a campaign as a PDF (WeasyPrint) and a spreadsheet (openpyxl).

Both carry figures only: reach against targets, reach by county and target group, HelpLine
contacts from the campaign's counties before, during and after it, and the survey results.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from weasyprint import HTML

from atis.campaigns.charts import indicator_label, period_label
from atis.lib.exports import safe_cell


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    # The document is self-contained: it must never load anything, local or remote.
    raise ValueError(f"external resource refused: {url[:60]}")


def evaluation_pdf(context: dict[str, Any]) -> bytes:
    html = render_to_string("campaigns/pdf/evaluation.html", context)
    content: bytes = HTML(string=html, url_fetcher=_no_fetching).write_pdf()
    return content


def _bold_row(sheet: Any, values: list[Any]) -> None:
    sheet.append([safe_cell(value) for value in values])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)


def _append(sheet: Any, values: list[Any]) -> None:
    sheet.append([safe_cell(value) for value in values])


def evaluation_xlsx(context: dict[str, Any]) -> bytes:
    campaign = context["campaign"]
    totals = context["totals"]
    book = Workbook()
    sheet = book.active
    sheet.title = _("Reach")[:31]
    _bold_row(sheet, [campaign.title])
    _append(sheet, [_("Period"), f"{campaign.starts_on.isoformat()} – {campaign.ends_on.isoformat()}"])
    _append(sheet, [_("Status"), str(campaign.get_status_display())])
    _append(sheet, [])
    _bold_row(sheet, [_("Indicator"), _("Achieved"), _("Target"), _("% of target")])
    first = sheet.max_row + 1
    for indicator in totals.indicators:
        _append(sheet, [indicator_label(indicator.key), indicator.actual, indicator.target, indicator.percent])
    last = sheet.max_row
    chart = BarChart()
    chart.type = "bar"
    chart.title = _("Reach against targets (%)")
    chart.add_data(Reference(sheet, min_col=4, min_row=first - 1, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=first, max_row=last))
    chart.legend = None
    sheet.add_chart(chart, "F2")
    sheet.column_dimensions["A"].width = 34

    counties = book.create_sheet(_("By county")[:31])
    _bold_row(
        counties, [_("County"), _("Activities"), _("People reached"), _("Materials"), _("Online and media reach")]
    )
    for county, reach in totals.by_county:
        _append(counties, [county.name, reach.events, reach.people, reach.materials, reach.media_reach])
    counties.column_dimensions["A"].width = 24

    groups = book.create_sheet(_("By target group")[:31])
    _bold_row(groups, [_("Target group"), _("Women"), _("Men"), _("Girls"), _("Boys"), _("Total")])
    for group, cells in totals.by_group:
        _append(
            groups,
            [
                group.label,
                cells.get("female_adult", 0),
                cells.get("male_adult", 0),
                cells.get("female_minor", 0),
                cells.get("male_minor", 0),
                cells.get("total", 0),
            ],
        )
    groups.column_dimensions["A"].width = 40

    helpline = book.create_sheet(_("HelpLine")[:31])
    _bold_row(helpline, [_("Period"), _("From"), _("To"), _("Contacts"), _("Per 30 days")])
    first = helpline.max_row + 1
    for period in context["periods"]:
        _append(
            helpline,
            [period_label(period.key), period.since, period.until, period.contacts, period.per_30_days],
        )
    last = helpline.max_row
    chart = BarChart()
    chart.title = _("HelpLine contacts from the campaign's counties, per 30 days")
    chart.add_data(Reference(helpline, min_col=5, min_row=first - 1, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(helpline, min_col=1, min_row=first, max_row=last))
    chart.legend = None
    helpline.add_chart(chart, "G2")
    for column in "BC":
        helpline.column_dimensions[column].width = 12

    evaluation = context.get("evaluation")
    if evaluation is not None:
        survey = book.create_sheet(_("Survey")[:31])
        _bold_row(survey, ["", _("Respondents"), _("Aware of the risks"), "%"])
        _append(
            survey,
            [_("Before"), evaluation.survey_pre_respondents, evaluation.survey_pre_aware, context.get("survey_pre")],
        )
        _append(
            survey,
            [_("After"), evaluation.survey_post_respondents, evaluation.survey_post_aware, context.get("survey_post")],
        )
        _append(survey, [])
        _append(survey, [_("Conclusions"), evaluation.conclusions])
    out = BytesIO()
    book.save(out)
    return out.getvalue()
