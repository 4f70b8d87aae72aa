"""Statistics screens: the table builder with its chart and county map, exports, comparison.

Every table shown or downloaded here goes through `selectors.published_table`, the one
disclosure step; exact (unsuppressed) figures only for roles allowed them, each view audited.
"""

from __future__ import annotations

import io
from typing import Any, NamedTuple

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from atis.accounts.selectors import scope_of
from atis.accounts.stepup import step_up_required
from atis.audit.services import audit_record
from atis.lib.access import requires
from atis.lib.charts import bar_chart, line_chart
from atis.lib.disclosure import Protected, threshold
from atis.lib.exports import csv_response, safe_cell
from atis.lib.scope import ScopeKind
from atis.statistics import annual, comparison, imports, maps, reports, selectors, tasks
from atis.statistics.forms import ImportForm, TableForm
from atis.statistics.models import ImportRun
from atis.statistics.selectors import DIMENSION_LABELS, Filters

VIEW = "statistics.view_statistics"


def _form(request: HttpRequest) -> TableForm:
    form = TableForm(request.GET or None, initial={"rows": "form", "columns": "sex"})
    if not request.GET:
        form = TableForm({"rows": "form", "columns": "sex"})
    form.is_valid()
    return form


class Selection(NamedTuple):
    rows: str
    columns: str | None
    layer: str | None
    filters: Filters
    unsuppressed: bool

    def label(self) -> str:
        return " × ".join(filter(None, (self.rows, self.columns or "-", self.layer)))


def _selection(request: HttpRequest, form: TableForm) -> Selection:
    if form.errors:
        return Selection("form", None, None, Filters(), False)
    data = form.cleaned_data
    unsuppressed = bool(data.get("unsuppressed")) and request.user.has_perm("statistics.view_unsuppressed")
    return Selection(data["rows"], data.get("columns") or None, data.get("layer") or None, form.filters(), unsuppressed)


def _audit_exact(selection: Selection, what: str) -> None:
    audit_record(
        action=f"statistics.{what}_unsuppressed",
        object_type="statistics.table",
        object_label=selection.label(),
        details={
            "rows": selection.rows,
            "columns": selection.columns or "",
            "layer": selection.layer or "",
            "filters": {k: v for k, v in vars(selection.filters).items() if v},
        },
    )


def _tables(request: HttpRequest, selection: Selection) -> tuple[Protected, list[selectors.Layer]]:
    """The table asked for and, split by a third breakdown, its layers: protected together."""
    if selection.columns and selection.layer:
        layers, published = selectors.published_layers(
            request.user,
            selection.rows,
            selection.columns,
            selection.layer,
            selection.filters,
            unsuppressed=selection.unsuppressed,
        )
        return published, layers
    published = selectors.published_table(
        request.user, selection.rows, selection.columns, selection.filters, unsuppressed=selection.unsuppressed
    )
    return published, []


def _counted_counties(request: HttpRequest, filters: Filters) -> set[int] | None:
    """The counties whose every identified victim these figures count (None: all of them).
    There a county without a row is a true zero; elsewhere it is outside the scope or filter."""
    scope = scope_of(request.user)
    national = scope.kind == ScopeKind.NATIONAL
    if filters.centre_id:
        # Counted by the centre in charge: another centre's victims of a county are left out.
        return set()
    if filters.county_id:
        return {filters.county_id} if national or filters.county_id in scope.county_ids else set()
    return None if national else set(scope.county_ids)


def _map(request: HttpRequest, filters: Filters, unsuppressed: bool) -> dict[str, Any]:
    """Victims by county of origin, suppressed like any county table, as a choropleth."""
    published = selectors.published_table(request.user, "county", None, filters, unsuppressed=unsuppressed)
    return maps.county_choropleth(published, counted=_counted_counties(request, filters))


def _chart(published: Protected, title: str) -> dict[str, Any]:
    labels, values = [], []
    for i, label in enumerate(published.table.rows):
        total_column = len(published.grid[i]) - 1
        value = published.grid[i][total_column]
        if value is not None:
            labels.append(label)
            values.append(value)
    return bar_chart(title, labels, values, horizontal=True, value_title=_("victims"))


def _by_year(chart: dict[str, Any]) -> dict[str, Any]:
    # Years are categories: left to itself plotly.js reads them as numbers and marks 2,024.5.
    chart["layout"]["xaxis"] = {"type": "category"}
    return chart


@requires(VIEW)
def dashboard(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    selection = _selection(request, form)
    rows, columns, filters, unsuppressed = selection.rows, selection.columns, selection.filters, selection.unsuppressed
    published, layers = _tables(request, selection)
    if unsuppressed:
        _audit_exact(selection, "view")
    trend = selectors.published_table(request.user, "identified_year", None, filters, unsuppressed=unsuppressed)
    trend_labels = [label for i, label in enumerate(trend.table.rows) if trend.grid[i][0] is not None]
    trend_values = [trend.grid[i][0] for i in range(len(trend.table.rows)) if trend.grid[i][0] is not None]
    total_label = _("Total")
    context = {
        "form": form,
        "published": published,
        "header": published.header(total_label),
        "lines": _lines(published, total_label),
        "row_heading": DIMENSION_LABELS[rows],
        "column_heading": DIMENSION_LABELS[columns] if columns else "",
        "layer_heading": DIMENSION_LABELS[selection.layer] if selection.layer else "",
        "layers": [
            (layer.label, layer.published.header(total_label), _lines(layer.published, total_label)) for layer in layers
        ],
        "withheld_reason": _timed_out() if published.timed_out else _withheld() if published.withheld else "",
        "unsuppressed": unsuppressed,
        "may_unsuppress": request.user.has_perm("statistics.view_unsuppressed"),
        "chart": _chart(published, str(DIMENSION_LABELS[rows]).capitalize()),
        "trend": _by_year(line_chart(_("Identified victims by year of identification"), trend_labels, trend_values)),
        "map": _map(request, filters, unsuppressed),
        "query": request.GET.urlencode(),
        "threshold": published.limit,
    }
    return render(request, "statistics/dashboard.html", context)


def _lines(published: Protected, total_label: str) -> list[tuple[str, list[str]]]:
    return list(zip(published.row_labels(total_label), published.display_rows(), strict=True))


def _rows_for_export(published: Protected) -> tuple[list[str], list[list[str]]]:
    total_label = _("Total")
    header = ["", *published.header(total_label)]
    return header, [[label, *cells] for label, cells in _lines(published, total_label)]


def _layers_for_export(layers: list[selectors.Layer], layer_heading: str) -> tuple[list[str], list[list[str]]]:
    """The tables of a three-way crossing one under another, the split's value in front."""
    lines: list[list[str]] = []
    for layer in layers:
        layer_header, layer_lines = _rows_for_export(layer.published)
        # A value's table holds only the columns it has victims in: its header goes above it.
        lines.append([layer_heading, *layer_header])
        lines.extend([layer.label, *line] for line in layer_lines)
    return lines[0], lines[1:]


@requires(VIEW)
def export(request: HttpRequest, file_format: str) -> HttpResponseBase:
    """The table as CSV or XLSX, after the same disclosure step as the screen. Exact figures
    leave atis only after the second factor is given again, like any other sensitive export."""
    if file_format not in ("csv", "xlsx"):
        raise Http404
    form = _form(request)
    selection = _selection(request, form)
    if selection.unsuppressed:
        return step_up_required(_export)(request, file_format, selection)
    return _export(request, file_format, selection)


def _export(request: HttpRequest, file_format: str, selection: Selection) -> HttpResponseBase:
    rows, columns = selection.rows, selection.columns
    published, layers = _tables(request, selection)
    if published.timed_out:
        messages.error(request, _timed_out())
        return redirect(f"{reverse('statistics:dashboard')}?{request.GET.urlencode()}")
    audit_record(
        action="statistics.export",
        object_type="statistics.table",
        object_label=selection.label(),
        details={"format": file_format, "unsuppressed": selection.unsuppressed},
    )
    name = "-".join(filter(None, ("atis", rows, columns, selection.layer)))
    if layers:
        header, lines = _layers_for_export(layers, capfirst(str(DIMENSION_LABELS[selection.layer or rows])))
    else:
        header, lines = _rows_for_export(published)
    if file_format == "csv":
        return csv_response(f"{name}.csv", header, lines)
    return xlsx_response(f"{name}.xlsx", str(DIMENSION_LABELS[rows]), header, lines)


def _withheld() -> str:
    return _(
        "This table is withheld: its small figures could not be hidden without some of them "
        "being worked out from the totals printed here or in the tables of a single breakdown. "
        "Choose fewer or shorter breakdowns."
    )


def _timed_out() -> str:
    return _(
        "This table is withheld: protecting its small figures took longer than allowed. "
        "Choose fewer or shorter breakdowns, or a filter, and try again."
    )


def xlsx_response(filename: str, title: str, header: list[str], lines: list[list[str]]) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "atis")
    sheet.append([safe_cell(cell) for cell in header])
    for line in lines:
        # Published figures stay numbers where they are numbers; "<11" stays text.
        sheet.append([int(cell) if isinstance(cell, str) and cell.isdigit() else safe_cell(cell) for cell in line])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@requires(VIEW)
def comparison_page(request: HttpRequest) -> HttpResponse:
    context = comparison.comparison_context(request.user, request.GET.get("ctdc"))
    context["may_import"] = request.user.has_perm(imports.IMPORT)
    return render(request, "statistics/comparison.html", context)


@requires(VIEW, imports.IMPORT)
def import_page(request: HttpRequest) -> HttpResponse:
    """Upload a GLOTIP or CTDC file; the import runs in the background and reports by line."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            run = imports.import_upload(
                actor=request.user,
                source=form.cleaned_data["source"],
                file_name=upload.name,
                chunks=upload.chunks(),
                release=form.cleaned_data["release"],
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            # After commit: a worker must find the import row in the database.
            transaction.on_commit(lambda: tasks.run_import.delay(run.pk))
            messages.info(request, _("The file was received; the import is running."))
            return redirect("statistics:import_detail", public_id=run.public_id)
    recent = imports.imports_of()[:15]
    return render(
        request,
        "statistics/import.html",
        {"form": form, "recent": recent, "max_mb": imports.MAX_UPLOAD_BYTES // (1024 * 1024)},
    )


@requires(VIEW, imports.IMPORT)
def import_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    run = get_object_or_404(ImportRun, public_id=public_id)
    rows, percent = imports.progress_of(run)
    context = {
        "run": run,
        "rows": rows,
        "percent": percent,
        "errors": [
            {"line": error.get("line"), "column": error.get("column", ""), "message": imports.error_message(error)}
            for error in run.errors
        ],
        "more_errors": len(run.errors) >= imports.MAX_ERRORS,
        "count_differs": run.published_rows is not None and run.published_rows != run.rows_kept,
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "statistics/_import_status.html", context)
    return render(request, "statistics/import_detail.html", context)


def _report_year(request: HttpRequest) -> tuple[list[int], int]:
    return _report_year_from(request, request.GET)


def _report_year_from(request: HttpRequest, data: Any) -> tuple[list[int], int]:
    years = selectors.years_available(request.user)
    try:
        year = int(data.get("year", ""))
    except ValueError:
        year = None
    if year not in years:
        # With nothing identified yet, the current year's (empty) report.
        year = years[-1] if years else timezone.localdate().year
    return years or [year], year


@requires(VIEW)
def reports_page(request: HttpRequest, refusal: str = "") -> HttpResponse:
    years, year = _report_year(request)
    return render(
        request,
        "statistics/reports.html",
        {
            "years": years,
            "year": year,
            "may_export_microdata": request.user.has_perm("statistics.export_microdata"),
            "refusal": refusal,
            "annual_reports": annual.annual_reports_of(request.user),
            "threshold": threshold(),
            "below": threshold() - 1,
        },
    )


@requires(VIEW)
@require_POST
def annual_report_generate(request: HttpRequest) -> HttpResponse:
    """Queue the annual report of a year, in Romanian or English, and show its progress."""
    _years, year = _report_year_from(request, request.POST)
    try:
        report = annual.annual_report_request(actor=request.user, year=year, language=request.POST.get("language", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("statistics:reports")
    # After commit: a worker must find the report row in the database.
    transaction.on_commit(lambda: tasks.build_annual_report.delay(report.pk))
    return redirect("statistics:annual_report_status", public_id=report.public_id)


@requires(VIEW)
def annual_report_status(request: HttpRequest, public_id: Any) -> HttpResponse:
    report = annual.annual_report_for(request.user, public_id)
    context = {"report": report, "may_publish": request.user.has_perm(annual.PUBLISH)}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "statistics/_annual_report_status.html", context)
    return render(request, "statistics/annual_report_status.html", context)


@requires(VIEW)
def annual_report_file(request: HttpRequest, public_id: Any, file_format: str) -> HttpResponse:
    report = annual.annual_report_for(request.user, public_id)
    content = bytes(report.pdf if file_format == "pdf" else report.xlsx) if file_format in ("pdf", "xlsx") else b""
    if not content:
        raise Http404
    audit_record(action="statistics.annual_report_download", obj=report, details={"format": file_format})
    content_type = (
        "application/pdf"
        if file_format == "pdf"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="atis-annual-report-{report.year}-{report.language}.{file_format}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@requires(VIEW, annual.PUBLISH)
@require_POST
def annual_report_publish(request: HttpRequest, public_id: Any) -> HttpResponse:
    report = annual.annual_report_for(request.user, public_id)
    try:
        annual.annual_report_publish(
            actor=request.user, report=report, visibility=request.POST.get("visibility", "public")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The report was published in the document library."))
    return redirect("statistics:annual_report_status", public_id=report.public_id)


@requires(VIEW)
def international(request: HttpRequest, standard: str) -> HttpResponseBase:
    _years, year = _report_year(request)
    if standard not in ("glotip", "eurostat"):
        raise Http404
    audit_record(action=f"statistics.export_{standard}", object_type="statistics.report", object_label=str(year))
    if standard == "glotip":
        header = ["Indicator", "Dimension", "Category", "Sex", "Age", "Year", "Unit of measurement", "txtVALUE"]
        return csv_response(f"atis-glotip-{year}.csv", header, reports.glotip_rows(request.user, year))
    return csv_response(
        f"atis-eurostat-{year}.csv",
        ["TIME_PERIOD", "dimension", "category", "OBS_VALUE"],
        reports.eurostat_rows(request.user, year),
    )


@requires(VIEW, "statistics.export_microdata")
@step_up_required
def microdata(request: HttpRequest) -> HttpResponseBase:
    _years, year = _report_year(request)
    records, check = reports.microdata(request.user, year - 4, year)
    audit_record(
        action="statistics.microdata",
        object_type="statistics.report",
        object_label=f"{year - 4}-{year}",
        outcome="success" if check.ok else "denied",
        details={"k": check.k, "l": check.l, "steps": list(check.steps), "rows": len(records)},
    )
    if not check.ok:
        refusal = _(
            "Microdata refused: even after generalising (%(steps)s) the smallest group has %(k)s people "
            "and %(l)s forms of exploitation; at least 11 and 2 are needed."
        ) % {"steps": ", ".join(check.steps) or "-", "k": check.k, "l": check.l}
        return reports_page(request, refusal=refusal)
    header = ["prs_Gender", "prs_AgeGroup", "cas_Region", "cas_YearIdentified", "hte_ExploitationType"]
    rows = [[r["sex"], r["age"], r["region"], r["year"], r["form"]] for r in records]
    return csv_response(f"atis-microdata-{year - 4}-{year}.csv", header, rows)
