"""Reading and checking a registry file (CSV or XLSX), row by row, without writing anything.

Headers may be in Romanian or English, with or without diacritics ("Denumire" or "name",
"Cod fiscal"/"CUI" or "fiscal_code", ...). Every problem is reported with its row number
(as a spreadsheet shows it: the header is row 1), its column and a code; the message is
composed when shown, in the reader's language (`error_message`).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import magic
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from atis.agencies import cui
from atis.agencies.models import LicenceStatus
from atis.geo.models import County

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
# An XLSX is a zip: refuse one that would unpack to far more than any registry needs.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
_CSV_TYPES = {"text/plain", "text/csv", "application/csv"}
_XLSX_TYPES = {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/zip"}

COLUMNS = (
    "name",
    "fiscal_code",
    "licence_number",
    "licence_issued_on",
    "licence_valid_until",
    "status",
    "county",
    "locality",
    "address",
    "website",
    "notes",
)
REQUIRED = ("name", "fiscal_code", "status")
COLUMN_LABELS = {
    "name": gettext_lazy("name"),
    "fiscal_code": gettext_lazy("fiscal code (CUI)"),
    "licence_number": gettext_lazy("licence number"),
    "licence_issued_on": gettext_lazy("licence issued on"),
    "licence_valid_until": gettext_lazy("licence valid until"),
    "status": gettext_lazy("licence status"),
    "county": gettext_lazy("county"),
    "locality": gettext_lazy("locality"),
    "address": gettext_lazy("address"),
    "website": gettext_lazy("website"),
    "notes": gettext_lazy("notes"),
    "": gettext_lazy("file"),
}
# Header, as `_plain` leaves it ("fiscal_code" becomes "fiscal code") -> column. The
# canonical names go through `_plain` too, so the sample file's own header is understood.
_HEADERS = {
    **{" ".join(column.split("_")): column for column in COLUMNS},
    "denumire": "name",
    "nume": "name",
    "agentie": "name",
    "denumire agentie": "name",
    "cui": "fiscal_code",
    "cif": "fiscal_code",
    "cod fiscal": "fiscal_code",
    "cod unic de inregistrare": "fiscal_code",
    "licenta": "licence_number",
    "nr licenta": "licence_number",
    "numar licenta": "licence_number",
    "licence number": "licence_number",
    "data eliberarii": "licence_issued_on",
    "eliberata la": "licence_issued_on",
    "data eliberare": "licence_issued_on",
    "issued on": "licence_issued_on",
    "valabila pana la": "licence_valid_until",
    "valabilitate": "licence_valid_until",
    "valid until": "licence_valid_until",
    "stare": "status",
    "stare licenta": "status",
    "judet": "county",
    "localitate": "locality",
    "adresa": "address",
    "site": "website",
    "pagina web": "website",
    "observatii": "notes",
    "note": "notes",
}
_STATUSES = {
    "active": LicenceStatus.ACTIVE,
    "activ": LicenceStatus.ACTIVE,
    "activa": LicenceStatus.ACTIVE,
    "valid": LicenceStatus.ACTIVE,
    "valida": LicenceStatus.ACTIVE,
    "suspended": LicenceStatus.SUSPENDED,
    "suspendat": LicenceStatus.SUSPENDED,
    "suspendata": LicenceStatus.SUSPENDED,
    "withdrawn": LicenceStatus.WITHDRAWN,
    "retras": LicenceStatus.WITHDRAWN,
    "retrasa": LicenceStatus.WITHDRAWN,
    "revocat": LicenceStatus.WITHDRAWN,
    "revocata": LicenceStatus.WITHDRAWN,
    "anulat": LicenceStatus.WITHDRAWN,
    "anulata": LicenceStatus.WITHDRAWN,
    "expired": LicenceStatus.EXPIRED,
    "expirat": LicenceStatus.EXPIRED,
    "expirata": LicenceStatus.EXPIRED,
}
_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y")
LIMITS = {"name": 200, "licence_number": 60, "locality": 100, "address": 300, "website": 200, "notes": 2000}

MESSAGES = {
    "file_empty": gettext_lazy("The file is empty."),
    "file_too_large": gettext_lazy("The file is too large: %(size)s. The limit is %(limit)s."),
    "file_type": gettext_lazy("This kind of file is not accepted. Send a CSV (UTF-8) or an XLSX file."),
    "file_unreadable": gettext_lazy("The file cannot be read: it is damaged or not a CSV or XLSX file."),
    "file_encoding": gettext_lazy("The CSV file is not in UTF-8 or Windows-1250 encoding."),
    "too_many_rows": gettext_lazy("The file has more than %(limit)d rows; split it."),
    "no_rows": gettext_lazy("The file has a header but no agency."),
    "missing_columns": gettext_lazy("Columns missing from the header: %(columns)s."),
    "required": gettext_lazy("This value is required."),
    "too_long": gettext_lazy("The value is longer than %(limit)d characters."),
    "cui_format": gettext_lazy("“%(value)s” is not a fiscal code: 2 to 10 digits, with or without RO."),
    "cui_checksum": gettext_lazy("“%(value)s” is not a valid fiscal code: its check digit is wrong."),
    "duplicate": gettext_lazy("The fiscal code %(value)s is already on row %(first)d."),
    "date": gettext_lazy("“%(value)s” is not a date; write it as 31.12.2026 or 2026-12-31."),
    "dates_order": gettext_lazy("The licence ends before it was issued."),
    "status": gettext_lazy(
        "“%(value)s” is not a licence status; use active, suspended, withdrawn or expired (or activ, suspendat, "
        "retras, expirat)."
    ),
    "county": gettext_lazy("“%(value)s” is not a county of Romania."),
    "website": gettext_lazy("“%(value)s” is not a web address."),
}


def error_message(error: dict[str, Any]) -> str:
    template = MESSAGES.get(error.get("code", ""), gettext_lazy("Invalid value."))
    params = error.get("params") or {}
    return str(template) % params if params else str(template)


def column_label(column: str) -> str:
    return str(COLUMN_LABELS.get(column, column))


def _plain(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[_\-.:]+", " ", stripped).split()).casefold()


def normalise_name(value: str) -> str:
    """How names are compared and searched: no case, diacritics or repeated spaces."""
    return " ".join(_plain(value).split())[:200]


@dataclass
class AgencyRow:
    row: int
    values: dict[str, Any] = field(default_factory=dict)


class FileProblem(Exception):
    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def as_error(self) -> dict[str, Any]:
        return {"row": 0, "column": "", "code": self.code, "params": self.params}


# --- The file -----------------------------------------------------------------------------


def detect_type(content: bytes) -> str:
    """ "csv" or "xlsx", judged by content (libmagic), never by the file's name."""
    if not content:
        raise ValidationError({"file": str(MESSAGES["file_empty"])}, code="file_empty")
    if len(content) > MAX_BYTES:
        message = str(MESSAGES["file_too_large"]) % {
            "size": filesizeformat(len(content)),
            "limit": filesizeformat(MAX_BYTES),
        }
        raise ValidationError({"file": message}, code="file_too_large")
    detected = magic.from_buffer(content[:8192], mime=True)
    if detected in _CSV_TYPES:
        return "csv"
    if detected in _XLSX_TYPES and _is_safe_workbook(content):
        return "xlsx"
    raise ValidationError({"file": str(MESSAGES["file_type"])}, code="file_type")


def _is_safe_workbook(content: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    unpacked = sum(member.file_size for member in members)
    return "xl/workbook.xml" in names and unpacked <= MAX_UNPACKED_BYTES and len(members) < 500


def _csv_rows(content: bytes) -> Iterator[list[Any]]:
    for encoding in ("utf-8-sig", "cp1250"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileProblem("file_encoding")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    yield from csv.reader(io.StringIO(text), dialect)


def _xlsx_rows(content: bytes) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise FileProblem("file_unreadable") from None
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield list(values)
    finally:
        workbook.close()


def read_rows(content: bytes, file_type: str) -> list[AgencyRow]:
    """The rows of the file as column -> raw value, skipping empty rows; FileProblem when
    the file as a whole cannot be used."""
    raw = _xlsx_rows(content) if file_type == "xlsx" else _csv_rows(content)
    try:
        header = next(raw, None)
        if header is None:
            raise FileProblem("file_empty")
        columns = [_HEADERS.get(_plain(str(cell or ""))) for cell in header]
        missing = [column for column in REQUIRED if column not in columns]
        if missing:
            raise FileProblem("missing_columns", columns=", ".join(column_label(column) for column in missing))
        rows: list[AgencyRow] = []
        for number, values in enumerate(raw, start=2):
            if not any(str(value).strip() for value in values if value is not None):
                continue
            if len(rows) >= MAX_ROWS:
                raise FileProblem("too_many_rows", limit=MAX_ROWS)
            row = AgencyRow(row=number)
            for column, value in zip(columns, values, strict=False):
                if column is not None:
                    row.values[column] = value
            rows.append(row)
    except csv.Error:
        raise FileProblem("file_unreadable") from None
    if not rows:
        raise FileProblem("no_rows")
    return rows


# --- One row ------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _date(value: Any) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    for pattern in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def county_lookup() -> dict[str, County]:
    found: dict[str, County] = {}
    for county in County.objects.all():
        found[_plain(county.name)] = county
        found[_plain(county.mnemonic)] = county
        found[_plain(f"judetul {county.name}")] = county
    if "bucuresti" in found:
        found["municipiul bucuresti"] = found["bucuresti"]
    return found


def check_row(row: AgencyRow, counties: dict[str, County]) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The cleaned values of the row, or None and its errors."""
    errors: list[dict[str, Any]] = []

    def fail(column: str, code: str, **params: Any) -> None:
        errors.append({"row": row.row, "column": column, "code": code, "params": params})

    values = {
        column: _text(row.values.get(column))
        for column in COLUMNS
        if column not in ("licence_issued_on", "licence_valid_until")
    }
    for column in REQUIRED:
        if not values.get(column):
            fail(column, "required")
    for column, limit in LIMITS.items():
        if len(values.get(column, "")) > limit:
            fail(column, "too_long", limit=limit)
    cleaned: dict[str, Any] = {
        column: values.get(column, "") for column in ("name", "licence_number", "locality", "address", "notes")
    }
    if values["fiscal_code"]:
        digits = cui.parse(values["fiscal_code"])
        if digits is None:
            shape = re.match(r"^(?:RO)?\d{2,10}$", cui.normalise(values["fiscal_code"]))
            fail("fiscal_code", "cui_checksum" if shape else "cui_format", value=values["fiscal_code"][:30])
        cleaned["fiscal_code"] = digits
    for column in ("licence_issued_on", "licence_valid_until"):
        try:
            cleaned[column] = _date(row.values.get(column))
        except ValueError as error:
            fail(column, "date", value=str(error)[:30])
    issued, until = cleaned.get("licence_issued_on"), cleaned.get("licence_valid_until")
    if issued and until and until < issued:
        fail("licence_valid_until", "dates_order")
    if values["status"]:
        status = _STATUSES.get(_plain(values["status"]))
        if status is None:
            fail("status", "status", value=values["status"][:30])
        cleaned["status"] = status
    cleaned["county"] = None
    if values["county"]:
        county = counties.get(_plain(values["county"]))
        if county is None:
            fail("county", "county", value=values["county"][:40])
        cleaned["county"] = county
    website = values["website"]
    if website:
        if not re.match(r"^https?://", website, re.I):
            website = f"https://{website}"
        try:
            URLValidator(schemes=["http", "https"])(website)
        except ValidationError:
            fail("website", "website", value=values["website"][:60])
    cleaned["website"] = website
    if errors:
        return None, errors
    cleaned["name_normalised"] = normalise_name(cleaned["name"])
    return cleaned, []


def sample_csv() -> str:
    """A file to start from: the header and one (fictional) row."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerow(
        [
            _("Example Placement Agency SRL"),
            "RO" + cui.with_check_digit("9900001"),
            "123/2024",
            "2024-03-01",
            "2027-03-01",
            "active",
            "IS",
            "Iași",
            "Str. Exemplu 1",
            "https://example.org",
            "",
        ]
    )
    return out.getvalue()
