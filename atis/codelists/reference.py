"""The code lists shipped with atis (HTCDS 2.0 picklists and Romanian practice)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

CODES_CSV = Path(__file__).resolve().parent / "data" / "codes.csv"


def load_codes(code_model: Any, path: Path = CODES_CSV) -> int:
    """Create missing codes; never overwrite an administrator's edits of existing ones."""
    existing = set(code_model.objects.values_list("list", "code"))
    with path.open(encoding="utf-8", newline="") as handle:
        new = [
            code_model(
                list=row["list"],
                code=row["code"],
                htcds=row["htcds"],
                label_en=row["label_en"],
                label_ro=row["label_ro"],
                order=int(row["order"]),
            )
            for row in csv.DictReader(handle)
            if (row["list"], row["code"]) not in existing
        ]
    code_model.objects.bulk_create(new)
    return len(new)
