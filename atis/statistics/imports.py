"""Imports of international data: UNODC GLOTIP series and the CTDC global dataset.

Both read the whole file first and write in one transaction: a file that cannot be read as a
whole (wrong columns, cut short, not text) changes nothing and says why; single bad rows are
skipped and counted by reason. Re-importing the same file changes nothing (upserts on the
natural key), so an import can simply be run again.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from atis.audit.services import audit_record
from atis.statistics.models import CtdcRecord, GlotipValue, ImportRun

Progress = Callable[[int], object] | None


class ImportRefused(Exception):
    """The file as a whole cannot be imported; nothing was written."""


@dataclass
class Outcome:
    read: int = 0
    kept: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[int]] = field(default_factory=dict)

    def skip(self, reason: str, line: int) -> None:
        self.skipped[reason] += 1
        self.examples.setdefault(reason, [])
        if len(self.examples[reason]) < 5:
            self.examples[reason].append(line)


def _read_text(path: Path) -> tuple[str, str]:
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (EOFError, OSError, zlib.error) as error:
            raise ImportRefused(
                _("The compressed file is damaged or cut short: %(error)s") % {"error": error}
            ) from None
    try:
        return raw.decode("utf-8-sig"), digest
    except UnicodeDecodeError:
        raise ImportRefused(_("The file is not UTF-8 text.")) from None


def _rows(text: str, required: list[str]) -> Iterator[tuple[int, dict[str, str], bool]]:
    """(line number, row, complete) for each data row, after checking the header."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise ImportRefused(_("The file is empty.")) from None
    header = [name.strip() for name in header]
    missing = [name for name in required if name not in header]
    if missing:
        raise ImportRefused(_("The file lacks the columns: %(columns)s.") % {"columns": ", ".join(missing)})
    for values in reader:
        if not values:
            continue  # a blank line
        complete = len(values) == len(header)
        yield reader.line_num, dict(zip(header, values, strict=False)), complete


def _ends_cleanly(text: str) -> bool:
    return text.endswith("\n")


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


def import_glotip(path: Path, *, actor: Any = None, progress: Progress = None) -> ImportRun:
    text, digest = _read_text(path)
    outcome = Outcome()
    figures: dict[tuple[Any, ...], GlotipValue] = {}
    rows = list(_rows(text, GLOTIP_COLUMNS))
    for position, (line, row, complete) in enumerate(rows):
        outcome.read += 1
        if progress:
            progress(1)
        if not any(value.strip() for value in row.values()):
            outcome.skip("empty row", line)
            continue
        if not complete:
            if position == len(rows) - 1 and not _ends_cleanly(text):
                raise ImportRefused(_("The file is cut short at line %(line)s.") % {"line": line})
            outcome.skip("incomplete row", line)
            continue
        try:
            year = int(row["Year"].strip())
            if not 1900 <= year <= 2100:
                raise ValueError
        except ValueError:
            outcome.skip("bad year", line)
            continue
        try:
            value, below = parse_glotip_value(row["txtVALUE"])
        except ValueError:
            outcome.skip("bad value", line)
            continue
        iso3 = row["Iso3_code"].strip().upper()
        if not re.fullmatch(r"[A-Z]{3}", iso3):
            outcome.skip("bad country code", line)
            continue
        figure = GlotipValue(
            iso3=iso3,
            country=row["Country"].strip()[:80],
            indicator=row["Indicator"].strip()[:120],
            dimension=row["Dimension"].strip()[:120],
            category=row["Category"].strip()[:120],
            sex=row["Sex"].strip()[:20],
            age=row["Age"].strip()[:20],
            year=year,
            unit=row["Unit of measurement"].strip()[:40],
            value=value,
            below=below,
            source=row.get("Source", "").strip()[:200],
        )
        key = (
            figure.iso3,
            figure.indicator,
            figure.dimension,
            figure.category,
            figure.sex,
            figure.age,
            year,
            figure.unit,
        )
        if key in figures:
            outcome.skip("duplicate figure", line)
        figures[key] = figure
    outcome.kept = len(figures)
    return _save(
        ImportRun.Source.GLOTIP,
        path,
        digest,
        outcome,
        actor,
        lambda: GlotipValue.objects.bulk_create(
            list(figures.values()),
            batch_size=1_000,
            update_conflicts=True,
            unique_fields=["iso3", "indicator", "dimension", "category", "sex", "age", "year", "unit"],
            update_fields=["country", "value", "below", "source"],
        ),
    )


def _save(source: str, path: Path, digest: str, outcome: Outcome, actor: Any, write: Callable[[], object]) -> ImportRun:
    with transaction.atomic():
        write()
        run = ImportRun.objects.create(
            source=source,
            file_name=path.name[:255],
            sha256=digest,
            rows_read=outcome.read,
            rows_kept=outcome.kept,
            rows_skipped=sum(outcome.skipped.values()),
            skipped={"reasons": dict(outcome.skipped), "lines": outcome.examples},
            imported_by=actor.get_username() if actor is not None else "",
        )
        audit_record(
            action=f"statistics.import_{source}",
            obj=run,
            object_label=path.name[:200],
            actor=actor,
            details={"kept": outcome.kept, "skipped": dict(outcome.skipped)},
        )
    return run


# --- CTDC -----------------------------------------------------------------------------------

CTDC_REQUIRED = ["yearOfRegistration", "gender", "citizenship"]
FORM_FLAGS = {
    "isForcedLabour": "forced labour",
    "isSexualExploit": "sexual exploitation",
    "isOtherExploit": "other",
    "isForcedMarriage": "forced marriage",
    "isForcedMilitary": "forced military",
    "isOrganRemoval": "organ removal",
}
CONTROL_PREFIX = "meansOfControl"
RECRUITER_PREFIX = "recruiterRelation"


def parse_flag(text: str) -> bool | None:
    """'1', '1.0', 'True' → True; '0', '0.0' → False; '' → None (missing, not false)."""
    text = text.strip().lower()
    if text in ("", "na", "nan"):
        return None
    if text in ("1", "1.0", "true"):
        return True
    if text in ("0", "0.0", "false"):
        return False
    raise ValueError(text)


def _split(text: str) -> list[str]:
    return [part.strip() for part in re.split(r";\s*", text) if part.strip()]


def _release_of(path: Path) -> str:
    found = re.search(r"(\d{4}-\d{2}-\d{2})", path.name)
    return found.group(1) if found else path.stem[:20]


def import_ctdc(path: Path, *, actor: Any = None, progress: Progress = None, release: str = "") -> ImportRun:
    text, digest = _read_text(path)
    release = release or _release_of(path)
    outcome = Outcome()
    records: dict[str, CtdcRecord] = {}
    rows = list(_rows(text, CTDC_REQUIRED))
    for position, (line, row, complete) in enumerate(rows):
        outcome.read += 1
        if progress:
            progress(1)
        # The 2017 release ends with empty rows and rows holding only a stray number.
        if not any(value.strip() for value in row.values()) or (
            not row.get("gender", "").strip() and not row.get("citizenship", "").strip()
        ):
            outcome.skip("junk row", line)
            continue
        if not complete:
            if position == len(rows) - 1 and not _ends_cleanly(text):
                raise ImportRefused(_("The file is cut short at line %(line)s.") % {"line": line})
            outcome.skip("incomplete row", line)
            continue
        year_text = row["yearOfRegistration"].strip()
        try:
            year = int(float(year_text)) if year_text else None
            if year is not None and not 1990 <= year <= 2100:
                raise ValueError
            flags = {
                name: parse_flag(value)
                for name, value in row.items()
                if name.startswith(("is", CONTROL_PREFIX, RECRUITER_PREFIX))
            }
        except ValueError:
            outcome.skip("bad value", line)
            continue
        forms = [label for name, label in FORM_FLAGS.items() if flags.get(name)]
        controls = [
            name[len(CONTROL_PREFIX) :] for name, flag in flags.items() if name.startswith(CONTROL_PREFIX) and flag
        ]
        relations = _split(row.get("RecruiterRelationship", ""))
        if not relations:
            relations = [
                name[len(RECRUITER_PREFIX) :]
                for name, flag in flags.items()
                if name.startswith(RECRUITER_PREFIX) and flag
            ]
        key = (row.get("X") or "").strip() or f"line-{line}"
        if key in records:
            outcome.skip("duplicate row", line)
            continue
        records[key] = CtdcRecord(
            release=release[:20],
            row_key=key[:40],
            year=year,
            gender=row.get("gender", "").strip()[:20],
            age_band=row.get("ageBroad", "").strip()[:20],
            citizenship=row.get("citizenship", "").strip()[:8],
            exploitation_country=row.get("CountryOfExploitation", "").strip()[:8],
            forms=forms,
            control_methods=controls,
            recruiter_relations=relations,
        )
    outcome.kept = len(records)
    return _save(
        ImportRun.Source.CTDC,
        path,
        digest,
        outcome,
        actor,
        lambda: CtdcRecord.objects.bulk_create(
            list(records.values()),
            batch_size=1_000,
            update_conflicts=True,
            unique_fields=["release", "row_key"],
            update_fields=[
                "year",
                "gender",
                "age_band",
                "citizenship",
                "exploitation_country",
                "forms",
                "control_methods",
                "recruiter_relations",
            ],
        ),
    )
