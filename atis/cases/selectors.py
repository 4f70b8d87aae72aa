"""Every read of cases goes through `cases_visible_to`: lists, search, exports, statistics."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.db.models import Q, QuerySet

from atis.cases.models import (
    Case,
    CaseTask,
    Person,
    Referral,
    ReferralStatus,
)
from atis.cases.permissions import SHARING_STATUSES, cases
from atis.cases.permissions import referrals as referral_policy
from atis.lib.crypto import lookup_hash
from atis.lib.phones import normalise_phone
from atis.lib.scope import get_in_scope_or_404

__all__ = ["SHARING_STATUSES", "case_for", "case_sections_for", "cases_search", "cases_visible_to"]


def cases_visible_to(user: Any, action: str = "view") -> QuerySet[Case]:
    """The cases the policy lets this user do `action` to (see atis.cases.permissions)."""
    return cases.visible(user, action)


def case_for(user: Any, public_id: Any) -> Case:
    return get_in_scope_or_404(
        cases_visible_to(user).select_related("person", "county", "centre", "owner_organisation", "case_manager"),
        public_id=public_id,
    )


def case_sections_for(user: Any, case: Case) -> set[str]:
    return cases.sections(user, case)


# P-…, C26-… and the demo PD-…, CD-…: letters (and a year) before the dash, never a number alone.
REFERENCE_PATTERN = re.compile(r"^[A-Z]+\d*-[A-Z0-9]{4,12}$")


def cases_search(user: Any, term: str) -> QuerySet[Case]:
    """Exact search by case or person reference, CNP or phone; never a partial match on identity.

    A CNP or phone number reaches the database only as its keyed hash: the typed value never
    appears in a query, so no statement log can hold it.
    """
    term = term.strip().upper()
    visible = cases_visible_to(user)
    # The few matching ids are found first, each by its own index, then narrowed to the scope:
    # an OR across the person join (or an IN subquery under ORDER BY … LIMIT) makes PostgreSQL
    # walk every case instead (seen at 1M cases: 0.7 to 3 s instead of about 1 ms).
    if REFERENCE_PATTERN.match(term):
        persons = Person.objects.filter(reference=term)
    else:
        digits = "".join(ch for ch in term if ch.isdigit())
        if len(digits) < 6:
            return visible.none()
        persons = Person.objects.filter(
            Q(cnp_lookup=lookup_hash(digits, purpose="cnp"))
            | Q(phone_lookup=lookup_hash(normalise_phone(term), purpose="phone"))
        )
    person_ids = list(persons.values_list("pk", flat=True)[:100])
    case_ids = set(Case.objects.filter(person_id__in=person_ids).values_list("pk", flat=True)[:100])
    if REFERENCE_PATTERN.match(term):
        case_ids.update(Case.objects.filter(reference=term).values_list("pk", flat=True))
    return visible.filter(pk__in=case_ids)


def referral_inbox(user: Any) -> QuerySet[Referral]:
    """Referrals waiting for the user's organisation to answer."""
    return (
        referral_policy.inbox(user)
        .filter(status=ReferralStatus.SENT)
        .select_related("case", "from_organisation")
        .order_by("sent_at")
    )


def tasks_due(user: Any, *, within_days: int = 14, today: datetime.date | None = None) -> QuerySet[CaseTask]:
    """Open tasks of the user's visible cases that are overdue or due soon."""
    today = today or datetime.date.today()
    return (
        CaseTask.objects.filter(
            case__in=cases_visible_to(user),
            done_on__isnull=True,
            due_on__lte=today + datetime.timedelta(days=within_days),
        )
        .select_related("case")
        .order_by("due_on")
    )
