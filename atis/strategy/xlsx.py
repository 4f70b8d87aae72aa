"""The action plan as a spreadsheet: the template, its import and its export.

One row per indicator. The first row of an activity carries the objective, the activity and
its first indicator; further rows with the same activity code add indicators and may leave
the other columns empty. Choices (area, recurrence, budget source) accept the code or the
label in Romanian or English; institutions are named as in the organisations registry.

The import is all or nothing: every row is checked first, and one error anywhere means
nothing is saved and the user gets every error with its row and column.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.db.models import TextChoices
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from atis.lib.exports import safe_cell
from atis.organisations.models import Organisation
from atis.strategy.models import Activity, Area, BudgetSource, Indicator, Recurrence, Strategy
from atis.strategy.services import PlanActivity, PlanIndicator

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
MAX_ROWS = 5000
MAX_ERRORS = 300
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# (key, header); the order is the template's column order.
COLUMNS: list[tuple[str, Any]] = [
    ("general_code", gettext_lazy("General objective code")),
    ("general_title", gettext_lazy("General objective")),
    ("specific_code", gettext_lazy("Specific objective code")),
    ("specific_title", gettext_lazy("Specific objective")),
    ("code", gettext_lazy("Activity code")),
    ("title", gettext_lazy("Activity")),
    ("area", gettext_lazy("Area")),
    ("responsible", gettext_lazy("Responsible institution")),
    ("partners", gettext_lazy("Partner institutions (separated by ;)")),
    ("deadline", gettext_lazy("Deadline (YYYY-MM-DD)")),
    ("recurrence", gettext_lazy("Recurrence")),
    ("budget_source", gettext_lazy("Budget source")),
    ("budget_amount", gettext_lazy("Budget (lei)")),
    ("indicator", gettext_lazy("Indicator")),
    ("unit", gettext_lazy("Unit")),
    ("baseline", gettext_lazy("Baseline")),
    ("target", gettext_lazy("Target")),
]
KEYS = [key for key, _header in COLUMNS]
ACTIVITY_KEYS = KEYS[:13]
TEXT_LIMITS = {
    "general_code": 20,
    "general_title": 500,
    "specific_code": 20,
    "specific_title": 500,
    "code": 20,
    "title": 1000,
    "indicator": 300,
    "unit": 40,
}
CHOICES: dict[str, type[TextChoices]] = {"area": Area, "recurrence": Recurrence, "budget_source": BudgetSource}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


class ImportRejected(Exception):
    """The file was not imported; `errors` says why, row by row."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def _header(key: str) -> str:
    return str(dict(COLUMNS)[key])


def _choice_lookup(choices: type[TextChoices]) -> dict[str, str]:
    lookup = {value.casefold(): value for value in choices.values}
    for language in ("ro", "en"):
        with translation.override(language):
            lookup.update({str(label).casefold(): value for value, label in choices.choices})
    return lookup


def _organisation_lookup() -> dict[str, Organisation]:
    found: dict[str, Organisation] = {}
    for organisation in Organisation.objects.filter(is_active=True):
        found[organisation.name.casefold()] = organisation
        if organisation.short_name:
            found.setdefault(organisation.short_name.casefold(), organisation)
    return found


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _check_container(handle: IO[bytes]) -> None:
    """A spreadsheet is a zip: refuse what is not one, or what would unpack to something huge."""
    refused = ImportRejected([RowError(0, "", _("This file is not an Excel workbook (.xlsx)."))])
    try:
        with zipfile.ZipFile(handle) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise refused from None
    finally:
        handle.seek(0)
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES or len(members) > 2000:
        raise ImportRejected([RowError(0, "", _("This workbook is too large to import."))])


def read_rows(handle: IO[bytes]) -> Iterator[tuple[int, dict[str, Any]]]:
    _check_container(handle)
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged file
        raise ImportRejected([RowError(0, "", _("This workbook could not be read."))]) from None
    try:
        sheet = workbook.worksheets[0]
        for number, cells in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
            values = list(cells)[: len(KEYS)]
            values += [None] * (len(KEYS) - len(values))
            if all(_text(value) == "" for value in values):
                continue
            if number > MAX_ROWS + 1:
                raise ImportRejected(
                    [RowError(number, "", _("The plan has more than %(max)d rows.") % {"max": MAX_ROWS})]
                )
            yield number, dict(zip(KEYS, values, strict=True))
    finally:
        workbook.close()


class _RowChecker:
    def __init__(self) -> None:
        self.errors: list[RowError] = []
        self.organisations = _organisation_lookup()
        self.choices = {key: _choice_lookup(choices) for key, choices in CHOICES.items()}

    def fail(self, row: int, key: str, message: str) -> None:
        self.errors.append(RowError(row, _header(key) if key else "", message))

    def text(self, row: int, values: dict[str, Any], key: str, *, required: bool = True) -> str:
        value = _text(values[key])
        if required and not value:
            self.fail(row, key, _("This cell is required."))
        elif len(value) > TEXT_LIMITS.get(key, 300):
            self.fail(row, key, _("At most %(max)d characters.") % {"max": TEXT_LIMITS.get(key, 300)})
        return value

    def choice(self, row: int, values: dict[str, Any], key: str, default: str | None = None) -> str:
        raw = _text(values[key])
        if not raw and default is not None:
            return default
        found = self.choices[key].get(raw.casefold())
        if found is None:
            allowed = ", ".join(str(label) for label in CHOICES[key].labels)
            self.fail(row, key, _("“%(value)s” is not one of: %(allowed)s.") % {"value": raw, "allowed": allowed})
            return ""
        return found

    def organisation(self, row: int, key: str, raw: str) -> Organisation | None:
        found = self.organisations.get(raw.casefold())
        if found is None:
            self.fail(row, key, _("No active institution is called “%(name)s”.") % {"name": raw})
        return found

    def number(self, row: int, values: dict[str, Any], key: str, *, required: bool) -> Decimal | None:
        raw = values[key]
        if raw is None or _text(raw) == "":
            if required:
                self.fail(row, key, _("This cell is required."))
            return None
        try:
            number = Decimal(_text(raw).replace(" ", "").replace(",", ".")) if isinstance(raw, str) else Decimal(raw)
        except (InvalidOperation, ValueError):
            self.fail(row, key, _("“%(value)s” is not a number.") % {"value": _text(raw)[:40]})
            return None
        if not number.is_finite() or number < 0 or number >= Decimal("1e12"):
            self.fail(row, key, _("Enter a number from 0 up to a trillion."))
            return None
        return number.quantize(Decimal("0.01"))

    def date(self, row: int, values: dict[str, Any], key: str) -> datetime.date | None:
        raw = values[key]
        if isinstance(raw, datetime.datetime):
            return raw.date()
        if isinstance(raw, datetime.date):
            return raw
        text = _text(raw)
        if not text:
            return None
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            self.fail(row, key, _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": text[:40]})
            return None


def parse(handle: IO[bytes], *, strategy: Strategy, progress: Callable[[int], Any] | None = None) -> list[PlanActivity]:
    """Every activity of the file, or ImportRejected with every error found."""
    checker = _RowChecker()
    activities: dict[str, PlanActivity] = {}
    first_row: dict[str, dict[str, Any]] = {}
    general_titles: dict[str, str] = {}
    specific_titles: dict[tuple[str, str], str] = {}
    for row, values in read_rows(handle):
        if progress is not None:
            progress(1)
        if len(checker.errors) >= MAX_ERRORS:
            break
        code = checker.text(row, values, "code")
        if not code:
            continue
        existing = activities.get(code)
        if existing is not None:
            # A further indicator of an activity already read: its other cells repeat or stay empty.
            for key in ACTIVITY_KEYS:
                if _text(values[key]) and _text(values[key]) != _text(first_row[code][key]):
                    checker.fail(
                        row, key, _("Activity %(code)s is described differently on an earlier row.") % {"code": code}
                    )
            indicator = _indicator(checker, row, values)
            if indicator is not None:
                existing.indicators.append(indicator)
            continue
        activity = _activity(checker, row, values, code, strategy)
        if activity is None:
            continue
        if general_titles.setdefault(activity.general_code, activity.general_title) != activity.general_title:
            checker.fail(row, "general_title", _("This objective code has another title on an earlier row."))
        pair = (activity.general_code, activity.specific_code)
        if specific_titles.setdefault(pair, activity.specific_title) != activity.specific_title:
            checker.fail(row, "specific_title", _("This objective code has another title on an earlier row."))
        activities[code] = activity
        first_row[code] = values
    if not activities and not checker.errors:
        checker.fail(0, "", _("The file holds no activity."))
    if checker.errors:
        raise ImportRejected(checker.errors)
    return list(activities.values())


def _indicator(checker: _RowChecker, row: int, values: dict[str, Any]) -> PlanIndicator | None:
    name = checker.text(row, values, "indicator")
    unit = checker.text(row, values, "unit")
    baseline = checker.number(row, values, "baseline", required=False)
    target = checker.number(row, values, "target", required=True)
    if not name or not unit or target is None:
        return None
    return PlanIndicator(name=name, unit=unit, baseline=baseline or Decimal("0"), target=target)


def _activity(
    checker: _RowChecker, row: int, values: dict[str, Any], code: str, strategy: Strategy
) -> PlanActivity | None:
    before = len(checker.errors)
    general_code = checker.text(row, values, "general_code")
    general_title = checker.text(row, values, "general_title")
    specific_code = checker.text(row, values, "specific_code")
    specific_title = checker.text(row, values, "specific_title")
    title = checker.text(row, values, "title")
    area = checker.choice(row, values, "area")
    recurrence = checker.choice(row, values, "recurrence", default=Recurrence.ONCE)
    budget_source = checker.choice(row, values, "budget_source", default=BudgetSource.NONE)
    budget_amount = checker.number(row, values, "budget_amount", required=False)
    deadline = checker.date(row, values, "deadline")
    responsible_name = checker.text(row, values, "responsible")
    responsible = checker.organisation(row, "responsible", responsible_name) if responsible_name else None
    partners = []
    for name in _text(values["partners"]).split(";"):
        if name.strip():
            partner = checker.organisation(row, "partners", name.strip())
            if partner is not None:
                partners.append(partner)
    if recurrence == Recurrence.ONCE and deadline is None and not _text(values["deadline"]):
        checker.fail(row, "deadline", _("A one-off activity needs a deadline."))
    if deadline is not None and not strategy.start_year <= deadline.year <= strategy.end_year + 1:
        checker.fail(row, "deadline", _("The deadline is outside the years of the strategy."))
    if budget_source == BudgetSource.NONE and budget_amount:
        checker.fail(row, "budget_amount", _("An activity with no extra cost has no budget."))
    indicator = _indicator(checker, row, values)
    if len(checker.errors) > before or responsible is None:
        return None
    return PlanActivity(
        general_code=general_code,
        general_title=general_title,
        specific_code=specific_code,
        specific_title=specific_title,
        code=code,
        title=title,
        area=area,
        responsible=responsible,
        partners=partners,
        deadline=deadline,
        recurrence=recurrence,
        budget_source=budget_source,
        budget_amount=budget_amount,
        indicators=[indicator] if indicator else [],
    )


# --- Template and export ---------------------------------------------------------------------


def _sheet_with_lists(workbook: Workbook) -> None:
    lists = workbook.create_sheet(_("Lists"))
    for column, (key, choices) in enumerate(CHOICES.items(), start=1):
        lists.cell(row=1, column=column, value=_header(key)).font = Font(bold=True)
        for row, label in enumerate(choices.labels, start=2):
            lists.cell(row=row, column=column, value=str(label))
        lists.column_dimensions[get_column_letter(column)].width = 34
    plan = workbook.worksheets[0]
    for column, (key, choices) in enumerate(CHOICES.items(), start=1):
        letter = get_column_letter(column)
        title = lists.title.replace("'", "''")
        validation = DataValidation(
            type="list", formula1=f"'{title}'!${letter}$2:${letter}${len(choices.labels) + 1}", allow_blank=True
        )
        plan.add_data_validation(validation)
        target = get_column_letter(KEYS.index(key) + 1)
        validation.add(f"{target}2:{target}{MAX_ROWS + 1}")


def _plan_sheet(workbook: Workbook) -> Any:
    sheet = workbook.active
    sheet.title = _("Action plan")
    for column, (_key, header) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=column, value=str(header))
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(column)].width = 40 if _key.endswith("title") else 18
    sheet.freeze_panes = "A2"
    return sheet


def _to_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_xlsx() -> bytes:
    """The empty template, with one example row and the lists of allowed values."""
    workbook = Workbook()
    sheet = _plan_sheet(workbook)
    example = [
        "OG1",
        _("Prevent trafficking in persons"),
        "OS1.1",
        _("Inform the public about the risks"),
        "1.1.1",
        _("National information campaign on labour exploitation abroad"),
        str(Area.PREVENTION.label),
        "ANITP",
        "",
        "",
        str(Recurrence.ANNUAL.label),
        str(BudgetSource.STATE.label),
        50000,
        _("People reached"),
        _("persons"),
        0,
        100000,
    ]
    for column, value in enumerate(example, start=1):
        sheet.cell(row=2, column=column, value=safe_cell(value))
    _sheet_with_lists(workbook)
    return _to_bytes(workbook)


def export_xlsx(strategy: Strategy, activities: list[Activity]) -> bytes:
    """The plan in the template's own layout, so it can be edited and imported again."""
    workbook = Workbook()
    sheet = _plan_sheet(workbook)
    row = 2
    for activity in activities:
        general = activity.specific.general
        base = [
            general.code,
            general.title,
            activity.specific.code,
            activity.specific.title,
            activity.code,
            activity.title,
            activity.get_area_display(),
            activity.responsible.name,
            "; ".join(partner.name for partner in activity.partners.all()),
            activity.deadline,
            activity.get_recurrence_display(),
            activity.get_budget_source_display(),
            activity.budget_amount,
        ]
        indicators: list[Indicator | None] = [*activity.indicators.all()] or [None]
        for number, indicator in enumerate(indicators):
            cells = base if number == 0 else ["" for _cell in base]
            if number:
                cells[4] = activity.code
            cells = [
                *cells,
                *(
                    (indicator.name, indicator.unit, indicator.baseline, indicator.target)
                    if indicator
                    else ("", "", "", "")
                ),
            ]
            for column, value in enumerate(cells, start=1):
                cell = sheet.cell(row=row, column=column, value=safe_cell(value))
                if isinstance(value, datetime.date):
                    cell.number_format = "yyyy-mm-dd"
            row += 1
    _sheet_with_lists(workbook)
    return _to_bytes(workbook)


def import_plan(
    *, actor: Any, strategy: Strategy, handle: IO[bytes], progress: Callable[[int], Any] | None = None
) -> Any:
    """Check the whole file, then replace the draft's plan with it; ImportRejected on any error."""
    from atis.strategy import services

    services.check_plan_replaceable(actor=actor, strategy=strategy)
    activities = parse(handle, strategy=strategy, progress=progress)
    return services.action_plan_replace(actor=actor, strategy=strategy, activities=activities)
