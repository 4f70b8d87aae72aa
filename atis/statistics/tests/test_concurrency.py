"""Case managers change different victims' records at the same moment: every change reaches
the kept counts once, and no change fails because another touched the same counts.

The national crossings are shared by nearly every case (all adult women identified this year
add to the same rows), so two changes at once always meet there. Each thread is one case
manager with a database connection of its own, flipping their own victim's sex and county.
On PostgreSQL 8 managers × 8 changes; SQLite lets one writer at a time and runs it reduced.
"""

from __future__ import annotations

import itertools
import threading
from collections import Counter

import pytest
from django.db import OperationalError, connection

from atis.accounts.models import User
from atis.cases import services as case_services
from atis.cases.models import Case
from atis.cases.tests.test_concurrency import _sqlite_refused_a_second_writer
from atis.geo.models import County
from atis.lib.request_context import acting_as
from atis.statistics import selectors
from atis.statistics.models import CrossingCount
from atis.statistics.selectors import Filters
from atis.statistics.services import crossings
from atis.statistics.tests.helpers import victim


def _manager(user_pk: int, case_pk: int, changes: int, start: threading.Barrier, errors: list[BaseException]) -> None:
    try:
        user = User.objects.get(pk=user_pk)
        counties = itertools.cycle(County.objects.filter(mnemonic__in=["IS", "VS"]).order_by("mnemonic"))
        start.wait(timeout=60)
        with acting_as(user, channel="web"):
            done = 0
            while done < changes:
                try:
                    case = Case.objects.select_related("person").get(pk=case_pk)
                    case_services.person_update(
                        actor=user,
                        case=case,
                        expected_version=case.person.version,
                        data={"sex": "male" if case.person.sex == "female" else "female"},
                    )
                    case.refresh_from_db()
                    case_services.case_update(
                        actor=user, case=case, expected_version=case.version, data={"county": next(counties)}
                    )
                except OperationalError as error:
                    if not _sqlite_refused_a_second_writer(error):
                        raise
                    continue
                done += 1
    except BaseException as error:
        errors.append(error)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_changes_of_different_victims_at_once_all_reach_the_counts(personas) -> None:  # type: ignore[no-untyped-def]
    managers, changes = (8, 8) if connection.vendor == "postgresql" else (3, 3)
    manager = personas["manager_iasi"].user
    cases = [victim(manager, sex="female") for _ in range(managers)]
    errors: list[BaseException] = []
    start = threading.Barrier(managers)
    threads = [threading.Thread(target=_manager, args=(manager.pk, case.pk, changes, start, errors)) for case in cases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    analyst = personas["analyst"].user
    for dims in (["sex"], ["county", "sex"], ["sex", "minor", "county"], ["form", "recruiter", "county"]):
        assert selectors.counts(analyst, dims) == selectors.counts_from_facts(analyst, dims, Filters())
    # The figures are those of the records as they ended, whatever order the changes ran in.
    recorded = Counter(Case.objects.filter(pk__in=[case.pk for case in cases]).values_list("person__sex", flat=True))
    assert selectors.counts(analyst, ["sex"]) == {(sex,): n for sex, n in recorded.items()}
    for crossing in crossings()[:40]:
        assert sum(CrossingCount.objects.filter(dimensions="|".join(crossing)).values_list("n", flat=True)) == managers
