"""Permission-matrix rows for the approval of privileged roles and the enrolment codes."""

from __future__ import annotations

from atis.core.tests.matrix import ADMIN, NOT_ALLOWED, REDIRECT, Row, everyone, only

APPROVERS = ADMIN | {"coordinator"}

ROWS: dict[str, Row] = {
    # Reached only between the password and the second factor, after a temporary password.
    "accounts:password_choose": (None, everyone(REDIRECT), REDIRECT),
    "accounts:approval_list": (None, only(APPROVERS), REDIRECT),
    "accounts:membership_approve": ("other_user", only(APPROVERS, yes=NOT_ALLOWED), REDIRECT),
    "accounts:membership_refuse": ("other_user", only(APPROVERS, yes=NOT_ALLOWED), REDIRECT),
    "accounts:user_enrolment_code": ("other_user", only(ADMIN, yes=NOT_ALLOWED), REDIRECT),
}
