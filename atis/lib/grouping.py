"""Rare categories folded into "other" before anything is published.

A category counted only a handful of times can point at a person (one caller from a small
county about one country); grouping every such category into one "other" line keeps the
table useful and the individuals hidden. The threshold is a named constant so every
published table (HelpLine, statistics) applies the same rule.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import TypeVar

# A category with fewer contacts than this is shown only inside "other".
SMALL_COUNT_THRESHOLD = 5
OTHER = "other"

K = TypeVar("K", bound=Hashable)


def group_small_counts(
    counts: Mapping[K, int] | Iterable[tuple[K, int]],
    *,
    threshold: int = SMALL_COUNT_THRESHOLD,
    other: K | str = OTHER,
) -> list[tuple[K | str, int]]:
    """Categories with at least `threshold` kept, largest first; the rest summed into `other`.

    A category already called `other` joins the group. Zero counts disappear; the total is
    unchanged. "Other" comes last whatever its size, as readers expect.
    """
    items = counts.items() if isinstance(counts, Mapping) else counts
    kept: dict[K | str, int] = {}
    folded = 0
    for key, count in items:
        if count <= 0:
            continue
        if key == other or count < threshold:
            folded += count
        else:
            kept[key] = kept.get(key, 0) + count
    grouped: list[tuple[K | str, int]] = sorted(kept.items(), key=lambda item: (-item[1], str(item[0])))
    if folded:
        grouped.append((other, folded))
    return grouped
