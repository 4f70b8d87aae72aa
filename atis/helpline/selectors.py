"""Every read of the HelpLine log goes through `contacts_visible_to` (rows) or
`contacts_for_statistics` (aggregates).

Who sees which contacts (deny by default):

- HelpLine operators (scope OWN in the HelpLine's organisation) see every contact of their
  organisation, not only their own: a helpline is a team, and a repeat caller must be
  recognised whoever took the earlier call. Their OWN scope is therefore read as the
  organisation for this domain only.
- The national coordinator (NATIONAL) sees every contact.
- A regional centre (CENTRE) sees contacts escalated for one of its counties.
- Analysts have no row permission: they see the statistics page only.
- Everyone else sees nothing; a contact outside the scope answers 404.
"""

from __future__ import annotations

import datetime
import importlib
import importlib.util
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from atis.accounts.selectors import active_membership, scope_of
from atis.codelists.models import Code, CodeList
from atis.helpline.models import Contact, FollowUp
from atis.lib.phones import phone_hash
from atis.lib.scope import Scope, ScopeFields, ScopeKind, get_in_scope_or_404, restrict

VIEW = "helpline.view_contact"
LOG = "helpline.log_contact"
STATISTICS = "helpline.view_statistics"
CALLER_PURPOSE = "helpline-caller"

CONTACT_SCOPE = ScopeFields(county="escalated_county_id", organisation="organisation_id")
# Aggregates of a regional analyst cover the contacts from the counties of their centre.
STATISTICS_SCOPE = ScopeFields(county="county_id", organisation="organisation_id")


def _helpline_scope(user: Any) -> Scope:
    scope = scope_of(user)
    if scope.kind == ScopeKind.OWN:
        return Scope(kind=ScopeKind.ORGANISATION, user_id=scope.user_id, organisation_id=scope.organisation_id)
    return scope


def contacts_visible_to(user: Any) -> QuerySet[Contact]:
    if not user.has_perm(VIEW):
        return Contact.objects.none()
    return restrict(Contact.objects.all(), _helpline_scope(user), CONTACT_SCOPE)


def contact_for(user: Any, public_id: Any) -> Contact:
    return get_in_scope_or_404(
        contacts_visible_to(user).select_related(
            "channel", "contact_type", "caller_role", "county", "taken_by", "organisation", "escalated_county"
        ),
        public_id=public_id,
    )


def contacts_for_statistics(user: Any) -> QuerySet[Contact]:
    if not user.has_perm(STATISTICS):
        return Contact.objects.none()
    return restrict(Contact.objects.all(), _helpline_scope(user), STATISTICS_SCOPE)


def contact_list(user: Any, *, escalated: bool | None = None, emergency: bool = False) -> QuerySet[Contact]:
    contacts = contacts_visible_to(user).select_related("channel", "contact_type", "caller_role", "county", "taken_by")
    if escalated is not None:
        contacts = contacts.filter(escalated_at__isnull=not escalated)
    if emergency:
        contacts = contacts.filter(emergency=True)
    # The summary and the caller's details are never needed in a list: not even decrypted.
    return contacts.defer("summary", "caller_name", "caller_phone", "emergency_action").order_by("-started_at", "-id")


def caller_hash(number: str) -> str:
    """The repeat-caller key: "" when the text holds no number, so that it recognises no one."""
    return phone_hash(number, purpose=CALLER_PURPOSE)


def earlier_contacts(user: Any, *, lookup: str, before: Contact | None = None) -> QuerySet[Contact]:
    """Earlier contacts from the same number that this user may see (a repeat caller)."""
    if not lookup:
        return Contact.objects.none()
    contacts = contact_list(user).filter(caller_lookup=lookup)
    if before is not None:
        contacts = contacts.exclude(pk=before.pk).filter(started_at__lte=before.started_at)
    return contacts


def follow_ups_due(user: Any, *, within_hours: int = 24, now: datetime.datetime | None = None) -> QuerySet[FollowUp]:
    """Open follow-ups assigned to the user, overdue or due soon, on contacts they may see."""
    now = now or timezone.now()
    return (
        FollowUp.objects.filter(
            assignee_id=user.pk,
            done_at__isnull=True,
            due_at__lte=now + datetime.timedelta(hours=within_hours),
            contact__in=contacts_visible_to(user),
        )
        .select_related("contact")
        .order_by("due_at")
    )


def follow_up_for(user: Any, public_id: Any) -> FollowUp:
    return get_in_scope_or_404(
        FollowUp.objects.filter(contact__in=contacts_visible_to(user)).select_related("contact"), public_id=public_id
    )


def helpline_codes(code_list: str) -> QuerySet[Code]:
    return Code.objects.filter(list=code_list, is_active=True).order_by("order", "code")


def code_by(code_list: CodeList, code: str) -> Code:
    return Code.objects.get(list=code_list, code=code)


def helpline_organisation_of(user: Any) -> Any:
    membership = active_membership(user)
    return membership.organisation if membership else None


# --- Neighbouring apps, used when they are installed -------------------------------------


def optional_function(module_name: str, function_name: str) -> Callable[..., Any] | None:
    """A function of another app if that app provides it yet, else None (the panel stays empty)."""
    if importlib.util.find_spec(module_name.rsplit(".", 1)[0]) is None:
        return None
    try:
        if importlib.util.find_spec(module_name) is None:
            return None
        module = importlib.import_module(module_name)
    except ImportError:
        return None
    function = getattr(module, function_name, None)
    return function if callable(function) else None
