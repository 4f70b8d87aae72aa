from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from atis.accounts.models import User
from atis.accounts.roles import ROLES
from atis.accounts.services import temporary_password_expired
from atis.lib.scope import ScopeKind
from atis.organisations.models import Organisation


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("The user name or the password is not correct. Both are case-sensitive."),
        "inactive": _("This account is disabled."),
        "temporary_expired": _(
            "This password was set by an administrator more than 24 hours ago and has expired. Ask them for a new one."
        ),
    }

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if temporary_password_expired(user):
            raise forms.ValidationError(self.error_messages["temporary_expired"], code="temporary_expired")


class EnrolmentCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Enrolment code from your administrator"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
        help_text=_("Your administrator gives it to you in person or by phone; it works once."),
    )


class NewPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("New password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not token.isdigit():
            raise forms.ValidationError(_("The code has digits only."))
        return token


def _role_choices() -> list[tuple[str, Any]]:
    return [(code, spec.label) for code, spec in ROLES.items()]


class MembershipForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.filter(is_active=True))
    role = forms.ChoiceField(label=_("Role"), choices=_role_choices)
    scope = forms.ChoiceField(
        label=_("Scope"),
        choices=[("", _("The role's default")), *list(ScopeKind.choices)],
        required=False,
    )


class UserCreateForm(MembershipForm):
    # An allowlist: these are the only fields an administrator sets on a new account.
    username = forms.CharField(label=_("User name"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 12 characters. It works once, within 24 hours, for the user to choose their own; "
            "to enrol an authenticator they also need an enrolment code from you."
        ),
    )

    field_order = ["username", "first_name", "last_name", "email", "password", "organisation", "role", "scope"]

    def clean(self) -> dict[str, Any]:
        # Checked here as well as in the service so every problem is shown at once.
        data = super().clean() or {}
        if data.get("password"):
            candidate = User(
                username=data.get("username", ""),
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
                email=data.get("email", ""),
            )
            try:
                password_validation.validate_password(data["password"], candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data


class UserUpdateForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email"]


class PasswordForm(forms.Form):
    password = forms.CharField(
        label=_("New password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )


class OwnPasswordForm(PasswordForm):
    """Changing one's own password asks for the current one: a session left open, or taken
    over, must not be enough to lock the owner out of the account."""

    current_password = forms.CharField(
        label=_("Current password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    field_order = ["current_password", "password"]

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_current_password(self) -> str:
        given = str(self.cleaned_data.get("current_password") or "")
        if not self.user.check_password(given):
            raise forms.ValidationError(_("This is not your current password."), code="wrong_password")
        return given
