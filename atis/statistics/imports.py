"""Imports of international data: UNODC GLOTIP series and CTDC releases.

Rules (they are also the import screen's and the command's help):
- A file is read as a stream (csv module), never loaded whole, and written in one
  transaction: on PostgreSQL through `COPY`, on SQLite through batched inserts. A file that
  cannot be read as a whole (wrong columns, a header and no rows, cut short, not UTF-8, a
  damaged archive) changes nothing and says why; single bad rows are skipped and reported
  line by line.
- GLOTIP: a key (country, indicator, breakdown, sex, age, year, unit) that the file gives
  twice with different values keeps every value with its line, flagged as conflicting; a row
  repeating a figure already read is counted once. A new import replaces the figures of the
  keys it holds (a newer edition revises older years) and leaves other keys alone.
- CTDC: each release is a dataset of its own (its ImportRun); importing a release again
  replaces its earlier dataset. Three layouts are read: the k-anonymised global dataset of
  2017 (countries as ISO2), the global synthetic dataset (since 2021, ISO3 countries) and the
  victim-perpetrator synthetic release (condensed, first column `yearRegister`, UN regions).
- A file whose rows end cleanly but short of the source's total cannot be told from a whole
  one by reading it: the report shows the count beside the source's published count where
  one is known (`PUBLISHED_COUNTS`).
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import logging
import operator
import re
import uuid
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from atis.audit.services import audit_record
from atis.statistics.models import CtdcRecord, GlotipValue, ImportRun, ImportStatus

logger = logging.getLogger(__name__)

# rows read so far, share of the file read (0 to 1)
Progress = Callable[[int, float], object] | None

PROGRESS_EVERY = 5_000
SQLITE_BATCH = 5_000
MAX_ERRORS = 1_000
MAX_UPLOAD_BYTES = 300 * 1024 * 1024
IMPORT = "statistics.import_statistics"
REGIONS_FILE = Path(__file__).resolve().parent / "data" / "un_regions.csv"

# Records the source says a release holds, where it says so: a file cut at a line end is
# otherwise indistinguishable from a whole one.
PUBLISHED_COUNTS: dict[tuple[str, str, str], int] = {
    # docs/domain.md: the global k-anonymised release of 27 November 2017.
    (ImportRun.Source.CTDC, ImportRun.Layout.CTDC_GLOBAL, "2017-11-27"): 47_102,
    # The dictionary's TabStat sheet: 21,195 records in every variable's total.
    (ImportRun.Source.CTDC, ImportRun.Layout.CTDC_VP, "2022-12-01"): 21_195,
}

# Why a row was left out or noted, shown in the reader's language (keys are stored).
REASONS = {
    "empty row": gettext_lazy("empty row"),
    "junk row": gettext_lazy("not a record (an empty row or a stray number)"),
    "incomplete row": gettext_lazy("fewer or more cells than the header"),
    "bad year": gettext_lazy("the year is not a year"),
    "bad value": gettext_lazy("a value that cannot be read"),
    "bad country code": gettext_lazy("the country code is not three letters"),
    "repeated figure": gettext_lazy("the same figure as line %(other)s: counted once"),
    "conflicting figure": gettext_lazy("another value for the same figure on line(s) %(other)s: both kept"),
}
NOTES = ("repeated figure", "conflicting figure")


class ImportRefused(Exception):
    """The file as a whole cannot be imported; nothing was written."""


@dataclass
class Outcome:
    read: int = 0
    kept: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[int]] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)
    conflicting: int = 0
    repeated: int = 0

    def note(self, reason: str, line: int, column: str = "", other: str = "") -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append({"line": line, "reason": reason, "column": column, "other": other})

    def skip(self, reason: str, line: int, column: str = "") -> None:
        self.skipped[reason] += 1
        examples = self.examples.setdefault(reason, [])
        if len(examples) < 5:
            examples.append(line)
        self.note(reason, line, column)

    def take(self, line: int, values: list[str], complete: bool) -> bool:
        """Counts a data row as read; False, with the row skipped, when it is blank or cut short."""
        self.read += 1
        if not any(value.strip() for value in values):
            self.skip("empty row", line)
            return False
        if not complete:
            self.skip("incomplete row", line)
            return False
        return True


def error_message(error: dict[str, Any]) -> str:
    reason = REASONS.get(error.get("reason", ""))
    if reason is None:
        return str(error.get("reason", ""))
    return str(reason) % {"other": error.get("other", "")} if "%(other)s" in str(reason) else str(reason)


# --- reading a file as a stream ------------------------------------------------------------


def _digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


class _Source:
    """The lines of a CSV file, plain or gzip, decoded as UTF-8 while they are read."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.size = max(path.stat().st_size, 1)
        self.raw = path.open("rb")
        self.compressed = self.raw.read(2) == b"\x1f\x8b"
        self.raw.seek(0)
        stream: Any = gzip.GzipFile(fileobj=self.raw) if self.compressed else self.raw
        self.text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        # One reader for the header and the rows, so its line numbers are the file's.
        self.reader = csv.reader(self.text)

    def share_read(self) -> float:
        return min(1.0, self.raw.tell() / self.size)

    def ends_with_newline(self) -> bool:
        """Read only when the last row is incomplete: was it cut, or does the file end there?"""
        if not self.compressed:
            with self.path.open("rb") as handle:
                handle.seek(-1, io.SEEK_END)
                return handle.read(1) in (b"\n", b"\r")
        last = b""
        with gzip.open(self.path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                last = chunk[-1:]
        return last in (b"\n", b"\r")

    def close(self) -> None:
        self.text.close()
        self.raw.close()


def _reading_errors(source: _Source, rows: Iterable[Any]) -> Iterator[Any]:
    """Rows, with a damaged archive or text that is not UTF-8 turned into a refusal."""
    try:
        yield from rows
    except (EOFError, OSError, zlib.error) as error:
        raise ImportRefused(_("The compressed file is damaged or cut short: %(error)s") % {"error": error}) from None
    except UnicodeDecodeError:
        raise ImportRefused(_("The file is not UTF-8 text.")) from None
    except csv.Error as error:
        raise ImportRefused(_("The file is not a readable CSV file: %(error)s") % {"error": error}) from None


def _header(source: _Source) -> list[str]:
    try:
        header = next(_reading_errors(source, source.reader))
    except StopIteration:
        raise ImportRefused(_("The file is empty.")) from None
    return [name.strip() for name in header]


def _require(header: list[str], required: list[str]) -> None:
    missing = [name for name in required if name not in header]
    if missing:
        raise ImportRefused(_("The file lacks the columns: %(columns)s.") % {"columns": ", ".join(missing)})


def _refuse_if_nothing(outcome: Outcome) -> None:
    if outcome.read == 0:
        raise ImportRefused(_("The file has a header but no rows: there is nothing to import."))
    if outcome.kept == 0:
        raise ImportRefused(
            _("None of the %(count)s rows of the file could be read; see the reasons below.") % {"count": outcome.read}
        )


# --- writing: COPY on PostgreSQL, batched inserts on SQLite ---------------------------------


def bulk_load(model: type[Model], columns: list[str], rows: Iterable[tuple[Any, ...]]) -> int:
    """Write rows into the model's table inside the current transaction; the number written.

    Table and column names come from the model, never from the file; the values travel
    apart from the statement (COPY data or bound parameters)."""
    table = model._meta.db_table
    db_columns = [str(model._meta.get_field(name).column) for name in columns]  # type: ignore[union-attr]
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg import sql

            copy_statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
                sql.Identifier(table),
                sql.SQL(", ").join([sql.Identifier(name) for name in db_columns]),  # type: ignore[misc]
            )
            with cursor.cursor.copy(copy_statement) as copy:
                for row in rows:
                    copy.write_row(row)
                    written += 1
            return written
        quote = connection.ops.quote_name
        statement = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from the model
            quote(table), ", ".join(quote(name) for name in db_columns), ", ".join(["%s"] * len(db_columns))
        )
        iterator = iter(rows)
        while batch := list(islice(iterator, SQLITE_BATCH)):
            cursor.executemany(statement, batch)
            written += len(batch)
    return written


# --- the import of one file, start to end --------------------------------------------------


def stored_path(run: ImportRun) -> Path:
    return Path(settings.MEDIA_ROOT) / "statistics-imports" / run.stored_name


def import_run(run_id: int, *, progress: Progress = None, path: Path | None = None) -> ImportRun:
    """Read the file of a waiting import and write its figures, or refuse it; both recorded.

    Delivered again after a worker died, a run still marked running starts over: its
    transaction never committed, so nothing of it was written."""
    run = ImportRun.objects.select_related("requested_by").get(pk=run_id)
    if run.is_finished:
        return run
    actor = run.requested_by
    if actor is not None and not (actor.is_active and actor.has_perm(IMPORT)):
        return _finish(run, ImportStatus.FAILED, _("The person who sent the file may no longer import."))
    path = path or stored_path(run)
    run.status = ImportStatus.RUNNING
    run.save(update_fields=["status"])
    outcome = Outcome()
    try:
        run.sha256 = _digest(path)
        with transaction.atomic():
            (_import_glotip if run.source == ImportRun.Source.GLOTIP else _import_ctdc)(run, path, progress, outcome)
            _record(run, outcome)
            run.status = ImportStatus.DONE
            run.finished_at = timezone.now()
            run.save()
            audit_record(
                action=f"statistics.import_{run.source}",
                obj=run,
                actor=actor,
                details={"kept": outcome.kept, "skipped": dict(outcome.skipped), "release": run.release},
            )
    except ImportRefused as refusal:
        audit_record(
            action=f"statistics.import_{run.source}", obj=run, actor=actor, outcome="denied", details={"refused": True}
        )
        # What was read before the refusal stays in the report: the rows' reasons say why.
        _record(run, outcome)
        run.rows_kept = 0
        run.save(update_fields=["rows_read", "rows_kept", "rows_skipped", "skipped", "errors"])
        _finish(run, ImportStatus.REFUSED, str(refusal))
        raise
    except Exception:
        logger.exception("Statistics import %s failed; nothing was written.", run.public_id)
        _finish(run, ImportStatus.FAILED, _("The import failed and nothing changed."))
        raise
    finally:
        if run.stored_name:
            stored_path(run).unlink(missing_ok=True)
    return run


def _finish(run: ImportRun, status: str, message: str) -> ImportRun:
    run.status = status
    run.message = message[:500]
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "message", "finished_at", "sha256"])
    return run


def _record(run: ImportRun, outcome: Outcome) -> None:
    run.rows_read = outcome.read
    run.rows_kept = outcome.kept
    run.rows_skipped = sum(outcome.skipped.values())
    run.rows_conflicting = outcome.conflicting
    run.rows_repeated = outcome.repeated
    run.skipped = {"reasons": dict(outcome.skipped), "lines": outcome.examples}
    run.errors = outcome.errors
    run.published_rows = PUBLISHED_COUNTS.get((run.source, run.layout, run.release))


def import_file(
    source: str, path: Path, *, actor: Any = None, release: str = "", progress: Progress = None
) -> ImportRun:
    """The command's way in: an import of a file on disk, recorded like an upload."""
    run = ImportRun.objects.create(
        source=source,
        file_name=path.name[:255],
        release=(release or _release_of(path)) if source == ImportRun.Source.CTDC else "",
        imported_by=actor.get_username() if actor is not None else "",
        requested_by=actor,
    )
    return import_run(run.pk, progress=progress, path=path)


def import_glotip(path: Path, *, actor: Any = None, progress: Progress = None) -> ImportRun:
    return import_file(ImportRun.Source.GLOTIP, path, actor=actor, progress=progress)


def import_ctdc(path: Path, *, actor: Any = None, progress: Progress = None, release: str = "") -> ImportRun:
    return import_file(ImportRun.Source.CTDC, path, actor=actor, release=release, progress=progress)


def _release_of(path: Path) -> str:
    found = re.search(r"(\d{4}-\d{2}-\d{2})", path.name)
    return found.group(1) if found else path.name.split(".")[0][:20]


def _rows(source: _Source, header_length: int, progress: Progress) -> Iterator[tuple[int, list[str], bool]]:
    """(line, cells, complete) per data row after the header; a cut-short last row refuses."""
    reader = source.reader
    pending: tuple[int, list[str]] | None = None
    count = 0
    for values in _reading_errors(source, reader):
        if pending is not None:
            yield pending[0], pending[1], False
            pending = None
        count += 1
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count, source.share_read())
        if len(values) != header_length and values:
            pending = (reader.line_num, values)
            continue
        yield reader.line_num, values, True
    if pending is not None:
        if not source.ends_with_newline():
            raise ImportRefused(_("The file is cut short at line %(line)s.") % {"line": pending[0]})
        yield pending[0], pending[1], False
    if progress is not None:
        progress(count, 1.0)


# --- UNODC GLOTIP ---------------------------------------------------------------------------

GLOTIP_COLUMNS = [
    "Iso3_code",
    "Country",
    "Indicator",
    "Dimension",
    "Category",
    "Sex",
    "Age",
    "Year",
    "Unit of measurement",
    "txtVALUE",
]
GLOTIP_KEY = ["iso3", "indicator", "dimension", "category", "sex", "age", "year", "unit"]
_NUMBER = re.compile(r"^\d{1,3}(,\d{3})*$|^\d+$")
_BELOW = re.compile(r"^<\s*(\d+)$")


def parse_glotip_value(text: str) -> tuple[int | None, int | None]:
    """'1,011' → (1011, None); '<5' → (None, 5): a suppressed cell, not a number."""
    text = text.strip()
    below = _BELOW.match(text)
    if below:
        return None, int(below.group(1))
    if _NUMBER.match(text):
        return int(text.replace(",", "")), None
    raise ValueError(text)


@dataclass
class _Figure:
    line: int
    country: str
    value: int | None
    below: int | None
    source: str
    conflicting: bool = False


def _import_glotip(run: ImportRun, path: Path, progress: Progress, outcome: Outcome) -> None:
    run.layout = ImportRun.Layout.GLOTIP
    # Every figure of a key, in the order read: the whole file is needed to know whether a key
    # is given twice. GLOTIP files are series of a few tens of thousands of figures.
    figures: dict[tuple[Any, ...], list[_Figure]] = {}
    source = _Source(path)
    try:
        header = _header(source)
        _require(header, GLOTIP_COLUMNS)
        at = {name: header.index(name) for name in header}
        source_at = at.get("Source")
        for line, values, complete in _rows(source, len(header), progress):
            if not outcome.take(line, values, complete):
                continue
            try:
                year = int(values[at["Year"]].strip())
                if not 1900 <= year <= 2100:
                    raise ValueError
            except ValueError:
                outcome.skip("bad year", line, "Year")
                continue
            try:
                value, below = parse_glotip_value(values[at["txtVALUE"]])
            except ValueError:
                outcome.skip("bad value", line, "txtVALUE")
                continue
            iso3 = values[at["Iso3_code"]].strip().upper()
            if not re.fullmatch(r"[A-Z]{3}", iso3):
                outcome.skip("bad country code", line, "Iso3_code")
                continue
            key = (
                iso3,
                values[at["Indicator"]].strip()[:120],
                values[at["Dimension"]].strip()[:120],
                values[at["Category"]].strip()[:120],
                values[at["Sex"]].strip()[:20],
                values[at["Age"]].strip()[:20],
                year,
                values[at["Unit of measurement"]].strip()[:40],
            )
            figure = _Figure(
                line,
                values[at["Country"]].strip()[:80],
                value,
                below,
                values[source_at].strip()[:200] if source_at is not None else "",
            )
            known = figures.setdefault(key, [])
            same = next((f for f in known if (f.value, f.below) == (value, below)), None)
            if same is not None:
                outcome.repeated += 1
                outcome.note("repeated figure", line, "txtVALUE", str(same.line))
                continue
            known.append(figure)
    finally:
        source.close()
    for series in figures.values():
        if len(series) > 1:
            for figure in series:
                figure.conflicting = True
                outcome.conflicting += 1
                others = ", ".join(str(f.line) for f in series if f is not figure)
                outcome.note("conflicting figure", figure.line, "txtVALUE", others)
    outcome.kept = sum(len(series) for series in figures.values())
    outcome.errors.sort(key=lambda error: error["line"])
    _refuse_if_nothing(outcome)
    _replace_glotip_keys(set(figures))
    bulk_load(
        GlotipValue,
        ["run", "line", "conflicting", *GLOTIP_KEY, "country", "value", "below", "source"],
        (
            (run.pk, f.line, f.conflicting, *key, f.country, f.value, f.below, f.source)
            for key, series in figures.items()
            for f in series
        ),
    )


def _replace_glotip_keys(keys: set[tuple[Any, ...]]) -> None:
    """Remove the figures earlier imports hold for the keys this file gives again."""
    countries = sorted({key[0] for key in keys})
    stale = [
        pk
        for pk, *key in GlotipValue.objects.filter(iso3__in=countries).values_list("pk", *GLOTIP_KEY).iterator()
        if tuple(key) in keys
    ]
    for start in range(0, len(stale), 900):
        GlotipValue.objects.filter(pk__in=stale[start : start + 900]).delete()


# --- CTDC -----------------------------------------------------------------------------------

FORM_FLAGS = {
    "isForcedLabour": "forced labour",
    "isSexualExploit": "sexual exploitation",
    "isOtherExploit": "other",
    "isForcedMarriage": "forced marriage",
    "isForcedMilitary": "forced military",
    "isOrganRemoval": "organ removal",
}
CONTROL_PREFIXES = ("meansOfControl", "means")
RECRUITER_PREFIX = "recruiterRelation"
PERPETRATOR_ROLES = {
    "IP_Exploiter": "exploiter",
    "IP_RecruiterBroker": "recruiter or broker",
    "IP_TransactionProcess": "transport, transfer or sale",
    "IP_ControlAbuseKidnap": "control, abuse or kidnap",
}
VP_COLUMNS = [
    "yearRegister",
    "gender",
    "majorityStatus",
    "isForcedLabour",
    "isSexualExploit",
    "UN_COO_Region",
    "UN_COE_Region",
    "IP_Exploiter",
    "IP_Gender",
    "IP_ageBroad",
    "IP_citizen_UNRegion",
    "IP_Relation",
    "IP_PayMoney",
    "IP_RecruiterBroker",
    "IP_TransactionProcess",
    "IP_ControlAbuseKidnap",
]
GLOBAL_COLUMNS = ["yearOfRegistration", "gender", "citizenship"]
CTDC_COLUMNS = [
    "run",
    "line",
    "year",
    "period",
    "gender",
    "age_band",
    "majority",
    "citizenship",
    "citizenship_region",
    "exploitation_country",
    "exploitation_region",
    "forms",
    "control_methods",
    "recruiter_relations",
    "perpetrator_roles",
    "perpetrator_gender",
    "perpetrator_age",
    "perpetrator_region",
    "paid_perpetrator",
]
# Flags are 1/0 in 2017 (sometimes 1.0/0.0), 1 or NULL in the synthetic releases ("." where
# Stata wrote them); empty is missing, not false.
_FLAGS: dict[str, bool | None] = {
    "": None,
    "na": None,
    "nan": None,
    "null": None,
    ".": None,
    "1": True,
    "1.0": True,
    "true": True,
    "0": False,
    "0.0": False,
    "false": False,
}
_PERIOD = re.compile(r"^(\d{4})(?:-(\d{4}))?$")
_EMPTY_JSON = "[]"


def parse_flag(text: str) -> bool | None:
    """'1', '1.0', 'True' → True; '0', '0.0' → False; '' → None (missing, not false)."""
    try:
        return _FLAGS[text]
    except KeyError:
        try:
            return _FLAGS[text.strip().lower()]
        except KeyError:
            raise ValueError(text) from None


@lru_cache(maxsize=1)
def un_regions() -> dict[str, str]:
    """The UN region of each country, by ISO2 and ISO3 code (CTDC's own table), with the
    Americas and Oceania together as the victim-perpetrator release gives them."""
    with REGIONS_FILE.open(encoding="utf-8") as handle:
        regions: dict[str, str] = {}
        for row in csv.DictReader(handle):
            region = "Americas/Oceania" if row["un_region"] in ("Americas", "Oceania") else row["un_region"]
            for code in (row["iso2"], row["iso3"]):
                if code:
                    regions.setdefault(code, region)
        return regions


def layout_of(header: list[str]) -> str:
    if header and header[0] == "yearRegister":
        return ImportRun.Layout.CTDC_VP
    if "X" in header or any(name.startswith("meansOfControl") for name in header):
        return ImportRun.Layout.CTDC_GLOBAL
    return ImportRun.Layout.CTDC_SYNTHETIC


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def _import_ctdc(run: ImportRun, path: Path, progress: Progress, outcome: Outcome) -> None:
    source = _Source(path)
    try:
        header = _header(source)
        run.layout = layout_of(header)
        if run.layout == ImportRun.Layout.CTDC_VP:
            _require(header, VP_COLUMNS)
            records = _vp_records(run.pk, header, _rows(source, len(header), progress), outcome)
        else:
            _require(header, GLOBAL_COLUMNS)
            records = _global_records(run, header, _rows(source, len(header), progress), outcome)
        outcome.kept = bulk_load(CtdcRecord, CTDC_COLUMNS, records)
    finally:
        source.close()
    _refuse_if_nothing(outcome)
    # The release imported again: its earlier dataset goes, in this same transaction.
    earlier = ImportRun.objects.filter(
        source=run.source, layout=run.layout, release=run.release, status=ImportStatus.DONE
    ).exclude(pk=run.pk)
    CtdcRecord.objects.filter(run__in=earlier).delete()
    earlier.update(status=ImportStatus.REPLACED)


class _FlagLabels:
    """The labels of the flags set in a row, as a JSON list: the flag cells are taken in one
    step and their combination looked up, since a file has few of them (the memo is bounded,
    so memory stays flat on any file)."""

    MEMO_LIMIT = 4_096

    def __init__(self, flags: list[tuple[int, str]]) -> None:
        self.labels = [json.dumps(label) for _i, label in flags]
        self.cells = operator.itemgetter(*[i for i, _label in flags]) if flags else None
        self.memo: dict[Any, str] = {}

    def __call__(self, values: list[str]) -> str:
        if self.cells is None:
            return _EMPTY_JSON
        cells = self.cells(values)
        found = self.memo.get(cells)
        if found is None:
            if not isinstance(cells, tuple):
                cells = (cells,)
            chosen = [label for cell, label in zip(cells, self.labels, strict=True) if parse_flag(cell)]
            found = "[" + ",".join(chosen) + "]" if chosen else _EMPTY_JSON
            if len(self.memo) < self.MEMO_LIMIT:
                self.memo[self.cells(values)] = found
        return found


def _global_records(
    run: ImportRun, header: list[str], rows: Iterator[tuple[int, list[str], bool]], outcome: Outcome
) -> Iterator[tuple[Any, ...]]:
    """The 2017 k-anonymised layout and the global synthetic one (since 2021).

    This loop runs once per record of files of a million rows: each cell is looked at once,
    flags through one dictionary look-up each, and the lists are written as JSON by joining
    labels encoded once per file."""
    at = {name: i for i, name in enumerate(header)}
    synthetic = run.layout == ImportRun.Layout.CTDC_SYNTHETIC
    regions = un_regions()
    form_flags = [(at[name], label) for name, label in FORM_FLAGS.items() if name in at]
    control_flags = []
    for i, name in enumerate(header):
        for prefix in CONTROL_PREFIXES:
            if name.startswith(prefix):
                control_flags.append((i, name[len(prefix) :]))
                break
    recruiter_flags = [
        (i, name[len(RECRUITER_PREFIX) :]) for i, name in enumerate(header) if name.startswith(RECRUITER_PREFIX)
    ]
    forms_of, controls_of = _FlagLabels(form_flags), _FlagLabels(control_flags)
    recruiters_of = _FlagLabels(recruiter_flags)
    # Every flag column is checked, the forms' and the others' (types of labour, abduction...).
    checked = sorted(
        {i for i, _label in form_flags + control_flags + recruiter_flags}
        | {i for i, name in enumerate(header) if name.startswith(("is", "typeOf"))}
    )
    known_flags = frozenset(_FLAGS)
    absent = len(header)  # a column the layout lacks reads the empty cell added to each row
    # The empty cell twice in front: always a tuple, however many flag columns there are.
    checked_cells = operator.itemgetter(absent, absent, *checked)
    year_at = at["yearOfRegistration"]
    index_at, relationship_at = at.get("X"), at.get("RecruiterRelationship")
    text_cells = operator.itemgetter(
        at["gender"],
        at["citizenship"],
        at.get("CountryOfExploitation", absent),
        at.get("ageBroad", absent),
        at.get("majorityStatus", absent),
    )
    missing = "NULL" if synthetic else None  # the synthetic releases write a missing value as NULL
    run_id = run.pk

    for line, values, complete in rows:
        outcome.read += 1
        # The 2017 release ends with empty rows and rows holding only a stray number, without
        # the row index every record has.
        if not "".join(values).strip() or (index_at is not None and complete and not values[index_at].strip()):
            outcome.skip("junk row", line)
            continue
        if not complete:
            outcome.skip("incomplete row", line)
            continue
        year_text = values[year_at].strip()
        year, period = None, ""
        if year_text and year_text != missing:
            try:
                year = int(year_text) if year_text.isdigit() else int(float(year_text))
            except ValueError:
                year = 0
            if not 1990 <= year <= 2100:
                outcome.skip("bad year", line, "yearOfRegistration")
                continue
            period = str(year)
        values.append("")  # the cell of the columns this layout lacks
        if not known_flags.issuperset(checked_cells(values)):
            try:
                for i in checked:
                    parse_flag(values[i])
            except ValueError:
                outcome.skip("bad value", line)
                continue
        gender, citizenship, country, age, majority = text_cells(values)
        gender, citizenship, country, age = gender.strip(), citizenship.strip(), country.strip(), age.strip()
        if missing is not None:
            gender = "" if gender == missing else gender
            citizenship = "" if citizenship == missing else citizenship
            country = "" if country == missing else country
            age = "" if age == missing else age
        relations = values[relationship_at] if relationship_at is not None else ""
        yield (
            run_id,
            line,
            year,
            period,
            gender[:40],
            age[:20],
            majority.strip()[:8],
            citizenship[:8],
            regions.get(citizenship, ""),
            country[:8],
            regions.get(country, ""),
            forms_of(values),
            controls_of(values),
            json.dumps(_split(relations)) if relations.strip() else recruiters_of(values),
            _EMPTY_JSON,
            "",
            "",
            "",
            "",
        )


def _vp_records(
    run_id: int, header: list[str], rows: Iterator[tuple[int, list[str], bool]], outcome: Outcome
) -> Iterator[tuple[Any, ...]]:
    """The condensed victim-perpetrator layout (1 December 2022): UN regions, year bands."""
    at = {name: i for i, name in enumerate(header)}
    roles_at = [(at[name], label) for name, label in PERPETRATOR_ROLES.items()]
    forms_at = [
        (at["isForcedLabour"], FORM_FLAGS["isForcedLabour"]),
        (at["isSexualExploit"], FORM_FLAGS["isSexualExploit"]),
    ]

    def cell(values: list[str], name: str) -> str:
        text = values[at[name]].strip()
        return "" if text in ("NULL", ".") else text

    for line, values, complete in rows:
        if not outcome.take(line, values, complete):
            continue
        period = cell(values, "yearRegister")
        found = _PERIOD.match(period)
        if period and found is None:
            outcome.skip("bad year", line, "yearRegister")
            continue
        try:
            forms = [label for i, label in forms_at if parse_flag(values[i])]
            roles = [label for i, label in roles_at if parse_flag(values[i])]
        except ValueError:
            outcome.skip("bad value", line)
            continue
        relations = _split(cell(values, "IP_Relation"))
        yield (
            run_id,
            line,
            int(found.group(1)) if found and not found.group(2) else None,
            period[:9],
            cell(values, "gender")[:40],
            "",
            cell(values, "majorityStatus")[:8],
            "",
            cell(values, "UN_COO_Region")[:20],
            "",
            cell(values, "UN_COE_Region")[:20],
            json.dumps(forms) if forms else _EMPTY_JSON,
            _EMPTY_JSON,
            json.dumps(relations) if relations else _EMPTY_JSON,
            json.dumps(roles) if roles else _EMPTY_JSON,
            cell(values, "IP_Gender")[:20],
            cell(values, "IP_ageBroad")[:40],
            cell(values, "IP_citizen_UNRegion")[:60],
            cell(values, "IP_PayMoney")[:8],
        )


# --- the upload screen's side ---------------------------------------------------------------


def _progress_key(run_id: int) -> str:
    return f"statistics:import-progress:{run_id}"


def progress_saver(run_id: int) -> Callable[[int, float], None]:
    """Progress kept in the cache, not the database: the rows are written in one transaction
    that the page polling for progress cannot see into."""

    def save(rows: int, share: float) -> None:
        cache.set(_progress_key(run_id), (rows, share), timeout=3600)

    return save


def progress_of(run: ImportRun) -> tuple[int, int]:
    """(rows read, percent) of a running import."""
    if run.is_finished:
        return run.rows_read, 100
    rows, share = cache.get(_progress_key(run.pk), (0, 0.0))
    return rows, min(99, int(share * 100))


def import_upload(*, actor: Any, source: str, file_name: str, chunks: Iterable[bytes], release: str = "") -> ImportRun:
    """Accept an uploaded file for a background import: the importer's right, a size limit,
    and a first look at its content (gzip or UTF-8 text with a comma-separated header)."""
    if not actor.has_perm(IMPORT):
        raise PermissionDenied
    if source not in ImportRun.Source.values:
        raise ValidationError(_("Choose GLOTIP or CTDC."))
    folder = Path(settings.MEDIA_ROOT) / "statistics-imports"
    folder.mkdir(parents=True, exist_ok=True)
    stored_name = f"{uuid.uuid4().hex}.upload"
    target = folder / stored_name
    size = 0
    with target.open("wb") as handle:
        for chunk in chunks:
            size += len(chunk)
            if size > MAX_UPLOAD_BYTES:
                handle.close()
                target.unlink(missing_ok=True)
                raise ValidationError(
                    _("The file is larger than %(size)s MB.") % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)}
                )
            handle.write(chunk)
    if not _looks_like_csv(target):
        target.unlink(missing_ok=True)
        raise ValidationError(_("The file is not a CSV file (plain or .gz) with a header of named columns."))
    run = ImportRun.objects.create(
        source=source,
        file_name=Path(file_name or "upload.csv").name[:255],
        release=(release.strip()[:20] or _release_of(Path(file_name or ""))) if source == ImportRun.Source.CTDC else "",
        stored_name=stored_name,
        imported_by=actor.get_username(),
        requested_by=actor,
    )
    audit_record(action="statistics.import_upload", obj=run, actor=actor, details={"bytes": size, "source": source})
    return run


def _looks_like_csv(path: Path) -> bool:
    with path.open("rb") as handle:
        start = handle.read(4096)
    if start[:2] == b"\x1f\x8b":
        try:
            with gzip.open(path, "rb") as handle:
                start = handle.read(4096)
        except (EOFError, OSError, zlib.error):
            return True  # damaged: the import itself refuses it and says why
    # Only a first look (the import checks every byte): a header of comma-separated names.
    first_line = start.split(b"\n", 1)[0]
    return b"," in first_line and b"\x00" not in start


def imports_of(source: str | None = None) -> Any:
    runs = ImportRun.objects.select_related("requested_by")
    return runs.filter(source=source) if source else runs
