"""The indicator catalogue shipped with atis (`data/indicators.csv`).

Texts written for atis from the ILO/European Commission operational indicators (2009) and the
ILO indicators of forced labour; the grades follow those lists. Loaded by a migration and by
`seed_demo`; later corrections are made by an expert in the catalogue editor.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

INDICATORS_CSV = Path(__file__).resolve().parent / "data" / "indicators.csv"
HISTORY_FIELDS = (
    "list",
    "dimension",
    "code",
    "label_en",
    "label_ro",
    "strength",
    "ilo_indicator",
    "control_method",
    "exploitation_form",
    "order",
    "is_active",
)


def load_indicators(indicator_model: Any, change_model: Any, code_model: Any, path: Path = INDICATORS_CSV) -> int:
    """Create missing indicators, each with its "created" history row; never overwrite an
    expert's corrections of existing ones. Takes the model classes so a migration can pass
    its historical models."""
    existing = set(indicator_model.objects.values_list("list", "code"))
    wanted = ("control_method", "exploitation_form")
    codes = {(code.list, code.code): code for code in code_model.objects.filter(list__in=wanted)}
    created = 0
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if (row["list"], row["code"]) in existing:
                continue
            indicator = indicator_model.objects.create(
                list=row["list"],
                dimension=row["dimension"],
                code=row["code"],
                label_en=row["label_en"],
                label_ro=row["label_ro"],
                strength=row["strength"],
                ilo_indicator=row["ilo_indicator"],
                control_method=codes.get(("control_method", row["control_method"])),
                exploitation_form=codes.get(("exploitation_form", row["exploitation_form"])),
                order=int(row["order"]),
            )
            after = {
                **{name: row[name] for name in HISTORY_FIELDS if name in row},
                "order": int(row["order"]),
                "is_active": True,
            }
            change_model.objects.create(indicator=indicator, action="created", before={}, after=after)
            created += 1
    return created
