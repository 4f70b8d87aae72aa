"""The campaign code lists shipped with atis: target groups, channels, types of activity."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

CODES_CSV = Path(__file__).resolve().parent / "data" / "codes.csv"


def load_campaign_codes(code_model: Any = None, path: Path = CODES_CSV) -> int:
    """Create missing codes; never overwrite an administrator's edits of existing ones."""
    if code_model is None:
        from atis.campaigns.models import CampaignCode

        code_model = CampaignCode
    existing = set(code_model.objects.values_list("kind", "code"))
    with path.open(encoding="utf-8", newline="") as handle:
        new = [
            code_model(
                kind=row["kind"],
                code=row["code"],
                label_en=row["label_en"],
                label_ro=row["label_ro"],
                order=int(row["order"]),
            )
            for row in csv.DictReader(handle)
            if (row["kind"], row["code"]) not in existing
        ]
    code_model.objects.bulk_create(new)
    return len(new)
