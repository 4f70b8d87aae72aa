"""Who may do what to which case: one policy that lists, pages, services and statistics ask.

What a role may do is the table in `atis.accounts.actions` (carried by Django permissions);
where is the user's scope (`atis.lib.scope`). The policy joins the two:

- `visible(user, action)`: the cases the user may do `action` to, as a queryset (lists,
  search, exports, statistics);
- `can(user, action, case)`: a yes or no for one case (views and templates);
- `require(user, action, case)`: what services call: a case outside the user's scope is
  not found (404, which would otherwise confirm it exists), a case the user sees but may not
  act on that way is refused (403).

A receiving organisation sees a referred case only through the sections its live referrals
grant, and never changes the case itself: the sending side decides.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from atis.accounts import actions as A
from atis.accounts.selectors import active_membership, scope_of
from atis.cases.models import Case, Referral, ReferralStatus, Section
from atis.lib.policy import REGISTRY
from atis.lib.scope import OutOfScope, Refused, ScopeFields, ScopeKind, label_of, reference_of, restrict

# A referral keeps the receiving organisation's view open while it is live or done;
# rejection and revocation close it.
SHARING_STATUSES = (ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED)


def _shared_with(organisation_id: int) -> Q:
    return Q(
        pk__in=Referral.objects.filter(to_organisation_id=organisation_id, status__in=SHARING_STATUSES).values(
            "case_id"
        )
    )


CASE_SCOPE = ScopeFields(
    county="county_id",
    organisation="owner_organisation_id",
    owner=("created_by_id", "case_manager_id"),
    shared_with_organisation=_shared_with,
)

# The part of the file an act needs; a receiving organisation holds only what it was granted.
ACTION_SECTIONS: dict[str, str] = {
    A.VIEW_IDENTITY: Section.PERSON,
    A.EDIT: Section.CASE,
    A.IDENTIFY: Section.CASE,
    A.REFER: Section.CASE,
    A.CLOSE: Section.CASE,
    A.NOTE: Section.NOTES,
}
# Acts that decide about the case belong to the side that owns it, never to a receiver.
OWNER_ACTIONS = frozenset({A.EDIT, A.IDENTIFY, A.REFER, A.CLOSE, A.SEE_HISTORY, A.EXPORT})
# Who read and changed a case: the national coordination and the centre in charge only.
HISTORY_SCOPES = frozenset({ScopeKind.NATIONAL, ScopeKind.CENTRE})
# A refused read answers 404 like a case outside the scope: it must not confirm the part exists.
READ_ACTIONS = frozenset({A.VIEW, A.VIEW_IDENTITY, A.SEE_HISTORY})


class CasePolicy:
    actions = A.CASE_ACTIONS

    def permission(self, action: str) -> str:
        try:
            return A.CASE_PERMISSIONS[action]
        except KeyError:
            raise ValueError(f"Not a case action: {action}") from None

    def may(self, user: Any, action: str) -> bool:
        """The role allows the act somewhere (the route rule and the "new case" button)."""
        return bool(user.is_authenticated and user.has_perm(self.permission(action)))

    # --- Many cases -------------------------------------------------------------------------

    def visible(self, user: Any, action: str = A.VIEW) -> QuerySet[Case]:
        if not (self.may(user, action) and self.may(user, A.VIEW)):
            return Case.objects.none()
        scope = scope_of(user)
        if action == A.SEE_HISTORY and scope.kind not in HISTORY_SCOPES:
            return Case.objects.none()
        if scope.kind == ScopeKind.ORGANISATION and (action in OWNER_ACTIONS or action in ACTION_SECTIONS):
            return self._organisation_cases(user, scope.organisation_id, action)
        cases = restrict(Case.objects.all(), scope, CASE_SCOPE)
        if scope.kind == ScopeKind.CENTRE:
            # A centre also sees what was explicitly put in its charge outside its counties.
            cases = cases | Case.objects.filter(centre_id=scope.organisation_id)
        return cases

    def _organisation_cases(self, user: Any, organisation_id: int | None, action: str) -> QuerySet[Case]:
        own = Q(owner_organisation_id=organisation_id) | Q(centre_id=organisation_id)
        if action in OWNER_ACTIONS:
            return Case.objects.filter(own)
        section = ACTION_SECTIONS[action]
        # Sections are a JSON list, which SQLite cannot search: the organisation's live
        # referrals are few, so they are read and matched here.
        granted = {
            case_id
            for case_id, sections in Referral.objects.filter(
                to_organisation_id=organisation_id, status__in=SHARING_STATUSES
            ).values_list("case_id", "sections")
            if section in sections
        }
        return Case.objects.filter(own | Q(pk__in=granted))

    # --- One case ---------------------------------------------------------------------------

    def sections(self, user: Any, case: Case) -> set[str]:
        """Which parts of a visible case this user may open.

        Staff of the owning organisation, of the responsible centre or with a wider scope see
        every part; a receiving organisation sees only what its live referrals grant. Identity
        additionally needs the right to see identities.
        """
        organisation_id = self._receiving_organisation(user, case)
        if organisation_id is not None:
            sections: set[str] = set()
            for granted in Referral.objects.filter(
                case=case, to_organisation_id=organisation_id, status__in=SHARING_STATUSES
            ).values_list("sections", flat=True):
                sections.update(granted)
        else:
            sections = set(Section.values)
        if not self.may(user, A.VIEW_IDENTITY):
            sections.discard(Section.PERSON)
        return sections

    def _receiving_organisation(self, user: Any, case: Case) -> int | None:
        """The user's organisation when it only receives this case through referrals."""
        if scope_of(user).kind != ScopeKind.ORGANISATION:
            return None
        membership = active_membership(user)
        organisation_id = membership.organisation_id if membership else None
        if organisation_id in (case.owner_organisation_id, case.centre_id):
            return None
        return organisation_id

    def in_scope(self, user: Any, case: Case) -> bool:
        return self.visible(user, A.VIEW).filter(pk=case.pk).exists()

    def can(self, user: Any, action: str, case: Case, *, section: str | None = None) -> bool:
        """May the user do `action` to this case (and to `section` of it, when named)?"""
        if not self.may(user, action) or not self.in_scope(user, case):
            return False
        if action == A.SEE_HISTORY and scope_of(user).kind not in HISTORY_SCOPES:
            return False
        if action in OWNER_ACTIONS and self._receiving_organisation(user, case) is not None:
            return False
        needed = {name for name in (ACTION_SECTIONS.get(action), section) if name}
        return needed <= self.sections(user, case)

    def allowed(self, user: Any, case: Case) -> frozenset[str]:
        """Every act the user may do to this case: what a page draws its buttons from."""
        if not self.in_scope(user, case):
            return frozenset()
        sections = self.sections(user, case)
        receiving = self._receiving_organisation(user, case) is not None
        history_scope = scope_of(user).kind in HISTORY_SCOPES
        result = set()
        for action in self.actions:
            if action == A.NOTIFY or not self.may(user, action):
                continue
            if (action in OWNER_ACTIONS and receiving) or (action == A.SEE_HISTORY and not history_scope):
                continue
            section = ACTION_SECTIONS.get(action)
            if section is None or section in sections:
                result.add(action)
        return frozenset(result)

    def require(self, user: Any, action: str, case: Case, *, section: str | None = None) -> None:
        """Services call this first: 404 outside the scope, 403 for a refused act."""
        if not self.in_scope(user, case):
            raise OutOfScope("cases.case", reference_of(case), reason=f"case.{action}", object_label=label_of(case))
        if not self.can(user, action, case, section=section):
            if action in READ_ACTIONS:
                raise OutOfScope("cases.case", reference_of(case), reason=f"case.{action}", object_label=label_of(case))
            raise Refused("cases.case", reference_of(case), reason=f"case.{action}", object_label=label_of(case))

    def require_may(self, user: Any, action: str) -> None:
        """For acts on no existing case yet (notify): the role must allow it."""
        if not self.may(user, action):
            raise Refused("cases.case", "", reason=f"case.{action}")


class ReferralPolicy:
    """Incoming referrals: answered by the receiving organisation only."""

    def inbox(self, user: Any) -> QuerySet[Referral]:
        membership = active_membership(user)
        if membership is None or not user.has_perm("cases.answer_referral"):
            return Referral.objects.none()
        return Referral.objects.filter(to_organisation_id=membership.organisation_id)

    def can(self, user: Any, action: str, referral: Referral) -> bool:
        if action != "answer":
            raise ValueError(f"Not a referral action: {action}")
        return self.inbox(user).filter(pk=referral.pk).exists()

    def require(self, user: Any, action: str, referral: Referral) -> None:
        if not self.can(user, action, referral):
            if cases.in_scope(user, referral.case):
                raise Refused(
                    "cases.referral",
                    reference_of(referral),
                    reason=f"referral.{action}",
                    object_label=label_of(referral),
                )
            raise OutOfScope(
                "cases.referral", reference_of(referral), reason=f"referral.{action}", object_label=label_of(referral)
            )


cases = CasePolicy()
referrals = ReferralPolicy()
# Templates of other domains ask it by name ({% policy_can "cases" "view" case as … %}).
REGISTRY["cases"] = cases  # type: ignore[assignment]
