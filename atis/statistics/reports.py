"""Published outputs built from the statistics: the annual report (XLSX, PDF), the exports in
UNODC GLOTIP and Eurostat categories, and k-anonymised microdata. Every figure here has been
through `selectors.published_table` (or, for microdata, k ≥ 11 and l ≥ 2): these leave atis.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from atis.lib.disclosure import MicrodataCheck, Protected, anonymise
from atis.statistics import charts, selectors
from atis.statistics.selectors import DIMENSION_LABELS, Filters

# The report's tables: (rows, columns, whole period?) — the chapter on identified victims.
REPORT_TABLES: tuple[tuple[str, str | None, bool], ...] = (
    ("identified_year", None, True),
    ("sex", "minor", False),
    ("age_band", "sex", False),
    ("form", "sex", False),
    ("form", "minor", False),
    ("scope", None, False),
    ("destination", None, False),
    ("county", None, False),
    ("settlement", None, False),
    ("recruitment", None, False),
    ("recruiter", None, False),
    ("institution", None, False),
    ("duration", None, False),
    ("trafficked_year", None, False),
    ("assisted", None, False),
)


@dataclass
class ReportTable:
    title: str
    header: list[str]
    lines: list[tuple[str, list[str]]]
    # A bar chart of the rows' totals as they are published (hidden figures left out), as SVG.
    chart: str = ""


@dataclass
class Chapter:
    key: str
    title: str
    tables: list[ReportTable]
    notes: list[tuple[str, str]] = field(default_factory=list)
    map: str = ""


def report_table(title: str, row_heading: str, published: Protected, *, chart: bool = False) -> ReportTable:
    total_label = _("Total")
    return ReportTable(
        title,
        [row_heading, *published.header(total_label)],
        list(zip(published.row_labels(total_label), published.display_rows(), strict=True)),
        charts.bar_chart_svg(published) if chart else "",
    )


def annual_report_tables(
    user: Any, year: int, progress: Callable[[int, int], object] | None = None
) -> Iterator[ReportTable]:
    """The chapter on identified victims: every table of REPORT_TABLES, published."""
    for index, (rows, columns, whole) in enumerate(REPORT_TABLES):
        filters = Filters() if whole else Filters(year_from=year, year_to=year)
        published = selectors.published_table(user, rows, columns, filters)
        title = str(DIMENSION_LABELS[rows]).capitalize() + (f" × {DIMENSION_LABELS[columns]}" if columns else "")
        yield report_table(title, str(DIMENSION_LABELS[rows]).capitalize(), published, chart=columns is None)
        if progress:
            progress(index + 1, len(REPORT_TABLES))


def _victims_chapter(user: Any, year: int, progress: Callable[[int, int], object] | None) -> Chapter:
    tables = list(annual_report_tables(user, year, progress))
    county = selectors.published_table(user, "county", None, Filters(year_from=year, year_to=year))
    return Chapter("victims", str(_("Identified victims")), tables, map=charts.county_map_svg(county))


def annual_report_chapters(user: Any, year: int, progress: Callable[[int, int], object] | None = None) -> list[Chapter]:
    """Every chapter of the report for the user's scope; `progress(done, total)` after each step."""
    from atis.statistics import chapters

    steps = len(REPORT_TABLES) + len(chapters.OTHER_CHAPTERS)

    def victims_progress(done: int, _total: int) -> None:
        if progress:
            progress(done, steps)

    out = [_victims_chapter(user, year, victims_progress)]
    for index, build in enumerate(chapters.OTHER_CHAPTERS, start=len(REPORT_TABLES) + 1):
        out.append(build(user, year))
        if progress:
            progress(index, steps)
    return out


def _sheet_title(number: int, title: str) -> str:
    cleaned = "".join("-" if char in "[]:*?/\\" else char for char in title)
    return f"{number}. {cleaned}"[:31]


def chapters_xlsx(chapters: list[Chapter]) -> bytes:
    """One sheet per chapter, its tables one under the other."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    from atis.lib.exports import safe_cell

    workbook = Workbook(write_only=True)
    total_label = _("Total")
    for number, chapter in enumerate(chapters, start=1):
        sheet = workbook.create_sheet(title=_sheet_title(number, chapter.title))
        sheet.append([safe_cell(chapter.title)])
        row = 1
        for label, value in chapter.notes:
            sheet.append([safe_cell(label), safe_cell(value)])
            row += 1
        for table in chapter.tables:
            sheet.append([])
            sheet.append([safe_cell(table.title)])
            sheet.append([safe_cell(cell) for cell in table.header])
            header_row = row = row + 3
            for label, cells in table.lines:
                # Published figures stay numbers; "<11" and "x" stay text (a chart leaves them out).
                sheet.append([safe_cell(label), *[int(cell) if cell.isdigit() else cell for cell in cells]])
                row += 1
            last = row - 1 if table.lines and table.lines[-1][0] == total_label else row
            if table.chart and last > header_row:
                anchor = f"{get_column_letter(len(table.header) + 2)}{header_row}"
                sheet.add_chart(_bar_chart(sheet, table, header_row, last), anchor)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _bar_chart(sheet: Any, table: ReportTable, header_row: int, last_row: int) -> Any:
    """The same bars as the PDF's: each line's published total (the last column)."""
    from openpyxl.chart import BarChart, Reference

    chart = BarChart()
    chart.type = "bar"
    chart.title = table.title
    chart.legend = None
    chart.height = max(4.0, 0.6 * (last_row - header_row) + 2)
    totals = len(table.header)
    chart.add_data(Reference(sheet, min_col=totals, min_row=header_row + 1, max_row=last_row), titles_from_data=False)
    chart.set_categories(Reference(sheet, min_col=1, min_row=header_row + 1, max_row=last_row))
    return chart


def chapters_pdf(chapters: list[Chapter], year: int) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "statistics/annual_report_pdf.html",
        {"year": year, "chapters": chapters, "threshold": selectors_threshold()},
    )
    # No base URL: the report fetches nothing (no fonts, images or styles from elsewhere).
    return bytes(HTML(string=html, base_url=None).write_pdf())


def selectors_threshold() -> int:
    from atis.lib.disclosure import threshold

    return threshold()


# --- International categories -------------------------------------------------------------

GLOTIP_SEX = {"female": "Female", "male": "Male"}
GLOTIP_AGE = {"minor": "0 to 17 years", "adult": "18 years or over"}
GLOTIP_FORM = {"sexual": "Sexual exploitation", "forced_labour": "Forced labour"}


def glotip_rows(user: Any, year: int) -> list[list[str]]:
    """atis's figures of one year in UNODC GLOTIP categories (indicator, dimension, category,
    sex, age, year, value), by form of exploitation × sex × minor, after disclosure control."""
    filters = Filters(year_from=year, year_to=year)
    counts = selectors.counts(user, ["form", "sex", "minor"], filters)
    cells: dict[tuple[str, str, str], int] = {}
    for (form, sex, minor), n in counts.items():
        key = (
            GLOTIP_FORM.get(form, "Other forms of exploitation"),
            GLOTIP_SEX.get(sex, "Unknown"),
            GLOTIP_AGE.get(minor, "Unknown"),
        )
        cells[key] = cells.get(key, 0) + n
    # A crossing of three breakdowns: protected as one grid with all its totals, at every
    # level (national too), through the same disclosure step as any other table.
    categories = sorted({key[0] for key in cells})
    sexes = sorted({key[1] for key in cells})
    ages = sorted({key[2] for key in cells})
    groups = sorted({(key[1], key[2]) for key in cells})
    from atis.lib.disclosure import Table, protect_layers

    if not cells:
        return []
    national = not selectors.is_subnational(user, filters)
    layers, _sums = protect_layers(
        [
            Table(categories, sexes, [[cells.get((category, sex, age), 0) for sex in sexes] for category in categories])
            for age in ages
        ],
        # Nationally, the tables by sex, by age and by form (the Eurostat export) are exact.
        known_margins=(national, national, national),
    )
    published: list[Protected] = layers
    out = []
    for i, category in enumerate(categories):
        for sex, age in groups:
            out.append(
                [
                    "Detected trafficking victims",
                    "by form of exploitation",
                    category,
                    sex,
                    age,
                    str(year),
                    "Counts",
                    published[ages.index(age)].display(i, sexes.index(sex)),
                ]
            )
    return out


# Eurostat's code lists: SEX and AGE as in crim_thb_*, UNK for a value not known; countries
# as ISO 3166 alpha-2 except Greece (EL) and the United Kingdom (UK).
EUROSTAT_SEX = {"female": "F", "male": "M", "unknown": "UNK"}
EUROSTAT_AGE = {"minor": "Y_LT18", "adult": "Y_GE18", "unknown": "UNK"}
EUROSTAT_COUNTRY = {"GR": "EL", "GB": "UK", "": "UNK", "unknown": "UNK"}
EUROSTAT_CODES = {"sex": EUROSTAT_SEX, "minor": EUROSTAT_AGE, "citizenship": EUROSTAT_COUNTRY}


def eurostat_rows(user: Any, year: int) -> list[list[str]]:
    """Registered victims by sex, age group, citizenship and form of exploitation
    (Eurostat crim_thb_* style codes), after disclosure control."""
    filters = Filters(year_from=year, year_to=year)
    out: list[list[str]] = []
    for rows, code in (("sex", "SEX"), ("minor", "AGE"), ("citizenship", "CITIZEN"), ("form", "EXPLOIT")):
        published = selectors.published_table(user, rows, None, filters)
        codes = EUROSTAT_CODES.get(rows, {})
        for i, key in enumerate(published.table.row_keys):
            out.append([str(year), code, codes.get(str(key), str(key)), published.display(i, 0)])
    return out


# --- Microdata ------------------------------------------------------------------------------

MICRODATA_QUASI = ("sex", "age", "region", "year")
MICRODATA_SENSITIVE = "form"


def microdata(user: Any, year_from: int, year_to: int) -> tuple[list[dict[str, Any]], MicrodataCheck]:
    """HTCDS/CTDC-style rows (one per identified victim), generalised until every group of
    quasi-identifiers (sex, age, region, year) has k ≥ 11 records and l ≥ 2 forms."""
    from atis.geo.models import County

    regions = dict(County.objects.values_list("pk", "region__name"))
    facts = selectors.facts_visible_to(user).filter(identified_year__gte=year_from, identified_year__lte=year_to)
    records = [
        {"sex": sex, "age": band, "region": regions.get(county, ""), "year": year, "form": form}
        for sex, band, county, year, form in facts.values_list(
            "sex", "age_band", "county_id", "identified_year", "form"
        ).iterator(chunk_size=5_000)
    ]
    steps = [
        ("age as minor/adult", "age", lambda band: "minor" if band in ("0-13", "14-17") else "adult"),
        ("years in periods of five", "year", lambda y: f"{int(y) // 5 * 5}-{int(y) // 5 * 5 + 4}"),
        ("region as country", "region", lambda _region: "RO"),
        ("sex left out", "sex", lambda _sex: "all"),
    ]
    return anonymise(records, quasi=MICRODATA_QUASI, sensitive=MICRODATA_SENSITIVE, steps=steps, k=11, l=2)
