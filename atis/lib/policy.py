"""One policy per domain: who may do what to which record, asked by services, views and templates.

In the spirit of wagtail's permission policies. A domain declares, once, in its
`permissions.py`: the acts it tells apart and the Django permission carrying each (the role
registry grants those), and the scope of its records (usually its `restrict` on
`atis.lib.scope`). The policy answers:

- `may(user, action)`: the role allows the act somewhere (route rules, "new" buttons);
- `visible(user, action)`: the records the user may do it to, as a queryset;
- `can(user, action, obj)`: one record (views, templates);
- `require(user, action, obj)`: what services call first: a record outside the scope is
  not found (`OutOfScope`, 404), one in scope the user may not act on that way is refused
  (`Refused`, 403). Both carry the reference tried, for the audit log only.

A domain with a rule the scope alone cannot say (only the organisation that recorded it may
change it) gives `allows(user, action, obj)`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

from django.db import models
from django.db.models import QuerySet

from atis.lib.scope import OutOfScope, Refused, label_of, reference_of

M = TypeVar("M", bound=models.Model)

# Every domain's policy by name, for templates: {% policy_can "helpline" "log" contact as may_log %}.
REGISTRY: dict[str, DomainPolicy[Any]] = {}


class DomainPolicy(Generic[M]):
    def __init__(
        self,
        name: str,
        *,
        model: type[M] | Callable[[], type[M]],
        permissions: Mapping[str, str],
        scope: Callable[[Any], QuerySet[M]],
        allows: Callable[[Any, str, M], bool] | None = None,
        reads: frozenset[str] = frozenset({"view"}),
    ) -> None:
        self._model = model
        self.permissions = dict(permissions)
        self._scope = scope
        self._allows = allows
        self.reads = reads
        REGISTRY[name] = self

    @property
    def model(self) -> type[M]:
        model = self._model
        return model if isinstance(model, type) else model()

    def permission(self, action: str) -> str:
        try:
            return self.permissions[action]
        except KeyError:
            raise ValueError(f"Not an action of {self.model._meta.label_lower}: {action}") from None

    def may(self, user: Any, action: str) -> bool:
        return bool(getattr(user, "is_authenticated", False) and user.has_perm(self.permission(action)))

    def scoped(self, user: Any) -> QuerySet[M]:
        """Every record in the user's scope, whatever they may do to it."""
        return self._scope(user)

    def visible(self, user: Any, action: str = "view") -> QuerySet[M]:
        if not self.may(user, action):
            return self.model._default_manager.none()
        records = self.scoped(user)
        if self._allows is None:
            return records
        allowed = [record.pk for record in records if self._allows(user, action, record)]
        return records.filter(pk__in=allowed)

    def in_scope(self, user: Any, obj: M) -> bool:
        return self.scoped(user).filter(pk=obj.pk).exists()

    def can(self, user: Any, action: str, obj: M) -> bool:
        if not self.may(user, action) or not self.in_scope(user, obj):
            return False
        return self._allows is None or self._allows(user, action, obj)

    def require_may(self, user: Any, action: str) -> None:
        """For an act on no existing record (create): the role must allow it."""
        if not self.may(user, action):
            raise Refused(self.model._meta.label_lower, "", reason=action)

    def require(self, user: Any, action: str, obj: M) -> None:
        label = self.model._meta.label_lower
        if not self.in_scope(user, obj):
            raise OutOfScope(label, reference_of(obj), reason=action, object_label=label_of(obj))
        if not self.can(user, action, obj):
            if action in self.reads:
                raise OutOfScope(label, reference_of(obj), reason=action, object_label=label_of(obj))
            raise Refused(label, reference_of(obj), reason=action, object_label=label_of(obj))
