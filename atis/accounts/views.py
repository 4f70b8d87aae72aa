from __future__ import annotations

import base64
import time
from typing import cast

import segno
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from atis.accounts import services
from atis.accounts.forms import EnrolmentCodeForm, NewPasswordForm, OwnPasswordForm, SignInForm, TokenForm
from atis.accounts.middleware import SIGNED_IN_AT
from atis.accounts.models import Authenticator, User
from atis.accounts.stepup import STEP_UP_AT, read_budget_renew
from atis.audit.services import audit_record
from atis.lib.access import is_verified, password_only, public, staff

NEXT_KEY = "atis_next"
# Set when the password given was a temporary one (now used up): this session may only choose a new one.
MUST_CHOOSE_PASSWORD = "atis_must_choose_password"
# Set once the user gave a valid enrolment code: this session may enrol an authenticator.
ENROLMENT_CODE_OK = "atis_enrolment_code_ok"


def _user(request: HttpRequest) -> User:
    """The signed-in user of a view whose access rule already requires one."""
    return cast(User, request.user)


def _audit_own(request: HttpRequest, action: str, outcome: str = "success") -> None:
    user = _user(request)
    audit_record(action=action, obj=user, outcome=outcome)


def _safe_next(request: HttpRequest, target: str | None) -> str | None:
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return None


@public
def login_view(request: HttpRequest) -> HttpResponse:
    if is_verified(request.user):
        return redirect("core:dashboard")
    form = SignInForm(request, data=request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            user = form.get_user()
            auth_login(request, user)
            request.session[NEXT_KEY] = _safe_next(request, request.POST.get("next")) or ""
            audit_record(action="login.password_ok", obj=user, actor=user)
            if user.password_temporary_until is not None:
                services.temporary_password_use(user=user)
                update_session_auth_hash(request, user)
                request.session[MUST_CHOOSE_PASSWORD] = True
                return redirect("accounts:password_choose")
            if Authenticator.objects.filter(user=user, confirmed=True).exists():
                return redirect("accounts:otp_verify")
            return redirect("accounts:otp_enrol")
        username = request.POST.get("username", "")
        known = User.objects.filter(username=username).values_list("username", flat=True).first()
        audit_record(
            action="login.failed",
            object_type="accounts.user",
            object_label=known or "unknown account",
            outcome="failure",
        )
    return render(request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")})


def _finish_sign_in(request: HttpRequest, device: Authenticator) -> HttpResponse:
    otp_login(request, device)
    # A fresh key once both factors are given: nothing learnt before may ride on it.
    request.session.cycle_key()
    request.session[SIGNED_IN_AT] = time.time()
    _audit_own(request, "login.success")
    target = request.session.pop(NEXT_KEY, "") or None
    return redirect(target or "core:dashboard")


@password_only
def password_choose_view(request: HttpRequest) -> HttpResponse:
    """After signing in with a password an administrator chose: the user chooses their own."""
    if not request.session.get(MUST_CHOOSE_PASSWORD):
        return redirect("accounts:otp_verify")
    user = _user(request)
    form = NewPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_password(actor=user, user=user, password=form.cleaned_data["password"])
        except ValidationError as error:
            form.add_error("password", error.messages)
        else:
            update_session_auth_hash(request, user)
            del request.session[MUST_CHOOSE_PASSWORD]
            messages.success(request, _("Your password has been changed."))
            return redirect("accounts:otp_verify")
    return render(request, "accounts/password_choose.html", {"form": form})


@password_only
def otp_verify_view(request: HttpRequest) -> HttpResponse:
    if request.session.get(MUST_CHOOSE_PASSWORD):
        return redirect("accounts:password_choose")
    user = request.user
    device = Authenticator.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return redirect("accounts:otp_enrol")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _details = device.verify_is_allowed()
        if allowed and device.verify_token(form.cleaned_data["token"]):
            return _finish_sign_in(request, device)
        _audit_own(request, "otp.failed", outcome="failure")
        form.add_error(
            "token",
            _("The code is not correct or has expired. Wait for a new code and try again.")
            if allowed
            else _("Too many wrong codes. Wait a little before trying again."),
        )
    return render(request, "accounts/otp_verify.html", {"form": form})


@password_only
def otp_enrol_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.session.get(MUST_CHOOSE_PASSWORD):
        return redirect("accounts:password_choose")
    if Authenticator.objects.filter(user=user, confirmed=True).exists():
        return redirect("accounts:otp_verify")
    if not request.session.get(ENROLMENT_CODE_OK):
        # The password alone does not enrol: someone who learnt it could bind their own phone.
        code_form = EnrolmentCodeForm(request.POST or None)
        if request.method == "POST" and code_form.is_valid():
            if services.enrolment_code_redeem(user=user, code=code_form.cleaned_data["code"]):
                request.session[ENROLMENT_CODE_OK] = True
                return redirect("accounts:otp_enrol")
            code_form.add_error(
                "code", _("This code is not valid: it may be mistyped, used already or expired. Ask for a new one.")
            )
        return render(request, "accounts/otp_enrol_code.html", {"form": code_form})
    device = services.totp_device_start(user=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_device_confirm(user=user, device=device, token=form.cleaned_data["token"]):
            request.session.pop(ENROLMENT_CODE_OK, None)
            messages.success(request, _("Your authenticator is set up."))
            return _finish_sign_in(request, device)
        form.add_error("token", _("The code is not correct. Check the time on your phone and try again."))
    qr = segno.make(device.config_url, error="m")
    secret = _base32(device.bin_key)
    return render(
        request,
        "accounts/otp_enrol.html",
        {"form": form, "qr_data_uri": qr.svg_data_uri(scale=5), "secret": secret},
    )


def _base32(key: bytes) -> str:
    text = base64.b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@require_POST
@password_only
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        _audit_own(request, "logout")
    auth_logout(request)  # flushes the server-side session
    messages.info(request, _("You have signed out."))
    return redirect("accounts:login")


@staff
def step_up_view(request: HttpRequest) -> HttpResponse:
    """Asks for the second factor again before a sensitive action such as an export."""
    device = Authenticator.objects.filter(user=request.user, confirmed=True).first()
    form = TokenForm(request.POST or None)
    target = _safe_next(request, request.GET.get("next") or request.POST.get("next")) or "/"
    if request.method == "POST" and form.is_valid() and device is not None:
        if device.verify_is_allowed()[0] and device.verify_token(form.cleaned_data["token"]):
            request.session[STEP_UP_AT] = time.time()
            read_budget_renew(request.user)
            _audit_own(request, "otp.step_up")
            return redirect(target)
        _audit_own(request, "otp.step_up_failed", outcome="failure")
        form.add_error("token", _("The code is not correct or has expired."))
    return render(request, "accounts/step_up.html", {"form": form, "next": target})


@staff
def password_change_view(request: HttpRequest) -> HttpResponse:
    form = OwnPasswordForm(_user(request), request.POST or None)
    if request.method == "POST" and not form.is_valid() and form.has_error("current_password", "wrong_password"):
        _audit_own(request, "user.password_change_refused", outcome="denied")
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_password(actor=request.user, user=_user(request), password=form.cleaned_data["password"])
        except ValidationError as error:
            form.add_error("password", error.messages)
        else:
            update_session_auth_hash(request, _user(request))
            messages.success(request, _("Your password has been changed."))
            return redirect("core:dashboard")
    return render(request, "accounts/password_change.html", {"form": form})
