"""The one deny-by-default scoping mechanism every domain reuses.

A user's scope is read from their active membership (see atis.accounts.selectors.scope_of).
Each domain states once, in its selectors, which of its fields carry the county, the
organisation and the owner of a record; `restrict` then narrows any queryset to what the
scope allows. A scope kind the domain did not map sees nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

M = TypeVar("M", bound=models.Model)


class ScopeKind(models.TextChoices):
    NATIONAL = "national", _("National: every county")
    CENTRE = "centre", _("Regional centre: the counties it covers")
    ORGANISATION = "organisation", _("Organisation: records of or shared with it")
    OWN = "own", _("Own: records the user created or is assigned")
    NONE = "none", _("None: no protected records")


@dataclass(frozen=True)
class Scope:
    kind: ScopeKind
    user_id: int | None = None
    organisation_id: int | None = None
    county_ids: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def nothing(cls) -> Scope:
        return cls(kind=ScopeKind.NONE)


@dataclass(frozen=True)
class ScopeFields:
    """Where a domain's records keep the facts a scope is judged on (ORM paths)."""

    county: str | None = None
    organisation: str | None = None
    # Several paths may name the owner (who opened it, who manages it).
    owner: tuple[str, ...] = ()
    # Records shared with an organisation without belonging to it (e.g. through a referral).
    shared_with_organisation: Callable[[int], Q] | None = None


def restrict(queryset: QuerySet[M], scope: Scope, fields: ScopeFields) -> QuerySet[M]:
    if scope.kind == ScopeKind.NATIONAL:
        return queryset
    condition = scope_condition(scope, fields)
    if condition is None:
        return queryset.none()
    return queryset.filter(condition)


def scope_condition(scope: Scope, fields: ScopeFields) -> Q | None:
    """The filter a scope puts on a domain's records; None means nothing is visible."""
    if scope.kind == ScopeKind.NATIONAL:
        return Q()
    clauses: list[Q] = []
    if scope.kind == ScopeKind.CENTRE and fields.county:
        clauses.append(Q(**{f"{fields.county}__in": scope.county_ids}))
    elif scope.kind == ScopeKind.ORGANISATION and scope.organisation_id is not None:
        if fields.organisation:
            clauses.append(Q(**{fields.organisation: scope.organisation_id}))
        if fields.shared_with_organisation:
            clauses.append(fields.shared_with_organisation(scope.organisation_id))
    elif scope.kind == ScopeKind.OWN and scope.user_id is not None:
        clauses.extend(Q(**{path: scope.user_id}) for path in fields.owner)
    if not clauses:
        return None
    combined = clauses[0]
    for clause in clauses[1:]:
        combined |= clause
    return combined


class OutOfScope(Http404):
    """A 404 that remembers which record was asked for, so the refusal can be audited.

    The user sees the plain "not found" page; only the audit log learns the reference tried.
    """

    def __init__(
        self, object_type: str = "", object_ref: Any = "", reason: str = "outside scope", object_label: str = ""
    ) -> None:
        super().__init__()
        self.object_type = object_type
        self.object_ref = str(object_ref)[:200]
        self.object_label = object_label[:200]
        self.reason = reason


class Refused(PermissionDenied):
    """A 403 on a record the user may see but not change that way; audited like OutOfScope."""

    def __init__(
        self, object_type: str = "", object_ref: Any = "", reason: str = "", message: Any = "", object_label: str = ""
    ) -> None:
        super().__init__(*([message] if message else []))
        self.object_type = object_type
        self.object_ref = str(object_ref)[:200]
        self.object_label = object_label[:200]
        self.reason = reason


def reference_of(obj: models.Model) -> str:
    """What the audit log names a record by: its public id when it has one, never a label."""
    return str(getattr(obj, "public_id", None) or obj.pk)


def label_of(obj: models.Model) -> str:
    """The label the audit table shows (a case's reference), never a person's identity."""
    return str(getattr(obj, "audit_label", "") or "")


def get_in_scope_or_404(queryset: QuerySet[M], **lookup: Any) -> M:
    """404, never 403, for a record outside the scope: a 403 would confirm it exists."""
    try:
        return queryset.get(**lookup)
    except (ObjectDoesNotExist, ValueError):
        tried = next(iter(lookup.values()), "") if len(lookup) == 1 else ""
        label = ""
        # For the audit log only: the auditor reads the record's label (a case's reference).
        # The user's answer stays a bare 404 either way.
        try:
            existing = queryset.model._default_manager.filter(**lookup).first()
        except (ValueError, ValidationError):
            existing = None
        if existing is not None:
            tried, label = reference_of(existing), label_of(existing)
        raise OutOfScope(queryset.model._meta.label_lower, tried, object_label=label) from None
