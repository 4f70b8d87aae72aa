"""What the organisations domain tells the apps above it, without importing them.

A county given to another regional centre changes whose figures its victims count in; the
statistics app follows up (recounting them in the background) and says how far along it is
on the coverage page. Both go through the hooks below, which statistics registers into from
its `AppConfig.ready` (see `atis.lib.hooks`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from atis.lib.hooks import Hook


@dataclass(frozen=True)
class Recount:
    """A county given to another centre whose victims are still being recounted for it."""

    county: str
    from_centre: str
    to_centre: str
    victims: int
    recounted: int

    @property
    def percent(self) -> int:
        return 100 if not self.victims else round(100 * self.recounted / self.victims)


# Called with (county id, centre that covered it or None, centre that covers it now), inside
# the transaction that moved it.
coverage_changed: Hook[[int, int | None, int], object] = Hook("organisations.coverage_changed")
# Asked by the coverage page: the counties whose figures are still being recounted.
recounts_pending: Hook[[], Sequence[Recount]] = Hook("organisations.recounts_pending")
