from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook

from atis.agencies import cui

HEADER = ["Denumire", "CUI", "Nr licență", "Data eliberării", "Valabilă până la", "Stare", "Județ", "Localitate"]


def code(n: int) -> str:
    return cui.with_check_digit(f"9911{n:03d}")


def good_row(n: int, name: str = "") -> list[Any]:
    return [
        name or f"Agenția Muncă Sigură {n} SRL",
        code(n),
        f"{n}/2024",
        "01.03.2024",
        "01.03.2027",
        "activă",
        "Iași",
        "Iași",
    ]


def csv_bytes(rows: list[list[Any]], header: list[str] = HEADER, delimiter: str = ";") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(rows: list[list[Any]], header: list[str] = HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)  # type: ignore[union-attr]
    for row in rows:
        sheet.append(row)  # type: ignore[union-attr]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
