"""Self-service password reset by e-mail, with Django's views.

The link is valid for PASSWORD_RESET_TIMEOUT (one hour) and only sets a password: it never
signs the person in, so the second factor is still asked at the next sign-in. Setting the
password changes the session hash, which ends every other session of that account.

Requests are limited per account and per client address (ATIS_PASSWORD_RESET_*_RATE):
past either limit the answer stays the same but no mail leaves, so nobody can flood a
mailbox or learn from the answer which addresses are known.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse_lazy
from django_ratelimit.core import is_ratelimited

from atis.accounts.models import User
from atis.audit.models import Outcome
from atis.audit.services import audit_record
from atis.lib.access import public
from atis.lib.crypto import lookup_hash


def _address_rate(group: str, request: HttpRequest) -> str:
    return str(getattr(settings, "ATIS_PASSWORD_RESET_ADDRESS_RATE", "10/h"))


def _account_rate(group: str, request: HttpRequest) -> str:
    return str(getattr(settings, "ATIS_PASSWORD_RESET_ACCOUNT_RATE", "3/h"))


def _throttled(request: HttpRequest, email: str) -> str:
    """Which limit this request is past ("address" or "account"), or "" when it may go on."""
    if is_ratelimited(request, group="atis-reset-address", key="ip", rate=_address_rate, increment=True):
        return "address"
    # A keyed hash: the typed address never reaches the cache in clear.
    account = lookup_hash(email, purpose="password-reset")
    if is_ratelimited(request, group="atis-reset-account", key=lambda *_: account, rate=_account_rate, increment=True):
        return "account"
    return ""


class RequestView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset/request.html"
    email_template_name = "accounts/password_reset/email.txt"
    subject_template_name = "accounts/password_reset/subject.txt"
    success_url = reverse_lazy("accounts:password_reset_sent")

    def form_valid(self, form: Any) -> HttpResponse:
        known = User.objects.filter(email__iexact=form.cleaned_data["email"], is_active=True).first()
        limit = _throttled(self.request, form.cleaned_data["email"])
        if limit:
            audit_record(
                action="password_reset.throttled",
                object_type="accounts.user",
                object_label=known.username if known else "unknown address",
                outcome=Outcome.DENIED,
                details={"limit": limit},
            )
            return HttpResponseRedirect(self.get_success_url())
        # The same answer whether or not the address is known: nothing to learn from it.
        audit_record(
            action="password_reset.requested",
            object_type="accounts.user",
            object_label=known.username if known else "unknown address",
        )
        return super().form_valid(form)


class ConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset/confirm.html"
    success_url = reverse_lazy("accounts:password_reset_done")
    post_reset_login = False

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        audit_record(action="password_reset.completed", obj=form.user, actor=form.user)
        return response


request_view = public(RequestView.as_view())
sent_view = public(auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset/sent.html"))
confirm_view = public(ConfirmView.as_view())
done_view = public(auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset/done.html"))
