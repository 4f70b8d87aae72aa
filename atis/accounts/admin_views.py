"""The administration area for users, memberships and roles (system administrators)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from atis.accounts import selectors, services
from atis.accounts.forms import MembershipForm, PasswordForm, UserCreateForm, UserUpdateForm
from atis.accounts.models import Membership, User
from atis.accounts.roles import ROLES
from atis.audit.services import audit_read
from atis.lib.access import requires
from atis.lib.forms import add_service_errors

MANAGE = "accounts.manage_users"
APPROVE = "accounts.approve_memberships"


@requires(MANAGE)
def user_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    users = selectors.users_list(search=search, role=role if role in ROLES else "")
    page = Paginator(users, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/admin/user_list.html",
        {"page": page, "search": search, "role": role, "roles": ROLES.values()},
    )


@requires(MANAGE)
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The account %(name)s was created.") % {"name": user.username})
            if user.memberships.filter(awaiting_approval=True).exists():
                messages.info(request, _("Its role takes effect once a second person approves it."))
            return redirect("accounts:user_detail", public_id=user.public_id)
    return render(request, "accounts/admin/user_form.html", {"form": form, "creating": True})


def _user(public_id: str) -> User:
    return get_object_or_404(User, public_id=public_id)


@requires(MANAGE)
def user_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(public_id)
    memberships = user.memberships.select_related("organisation", "role")
    # A staff member's account is personal data too: who looked at it is recorded.
    audit_read(user)
    return render(
        request,
        "accounts/admin/user_detail.html",
        {
            "subject": user,
            "memberships": memberships,
            "active": memberships.filter(is_active=True).first(),
            "pending": memberships.filter(awaiting_approval=True).first(),
            "is_self": user.pk == request.user.pk,
            "roles": ROLES,
        },
    )


@requires(MANAGE)
def user_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(public_id)
    form = UserUpdateForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        services.user_update(actor=request.user, user=user, **form.cleaned_data)
        messages.success(request, _("The account was saved."))
        return redirect("accounts:user_detail", public_id=user.public_id)
    return render(request, "accounts/admin/user_form.html", {"form": form, "subject": user})


@requires(MANAGE)
def user_membership(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(public_id)
    if user.pk == request.user.pk:
        services.own_account_refused(actor=request.user, user=user, action="user.membership_change")
    active = user.memberships.filter(is_active=True).first()
    initial = {"organisation": active.organisation, "role": active.role.name, "scope": active.scope} if active else {}
    form = MembershipForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        scope = data["scope"] or ROLES[data["role"]].default_scope
        try:
            membership = services.membership_change(
                actor=request.user, user=user, organisation=data["organisation"], role=data["role"], scope=scope
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if membership.awaiting_approval:
                messages.info(
                    request,
                    _("The change awaits approval by a second person; until then the user keeps their current role."),
                )
            else:
                messages.success(request, _("The role and organisation were changed; the user's sessions were ended."))
            return redirect("accounts:user_detail", public_id=user.public_id)
    return render(request, "accounts/admin/membership_form.html", {"form": form, "subject": user})


@require_POST
@requires(MANAGE)
def user_set_active(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(public_id)
    active = request.POST.get("active") == "1"
    services.user_set_active(actor=request.user, user=user, active=active)
    messages.success(
        request,
        _("The account is enabled.") if active else _("The account is disabled and all its sessions were ended."),
    )
    return redirect("accounts:user_detail", public_id=user.public_id)


@require_POST
@requires(MANAGE)
def user_reset_second_factor(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(public_id)
    services.user_reset_second_factor(actor=request.user, user=user)
    messages.success(request, _("The authenticator was removed; the user enrols a new one at next sign-in."))
    messages.info(request, _("To enrol it they need an enrolment code from you: issue one on this page."))
    return redirect("accounts:user_detail", public_id=user.public_id)


@requires(MANAGE)
def user_password(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(public_id)
    form = PasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_password(actor=request.user, user=user, password=form.cleaned_data["password"])
        except ValidationError as error:
            form.add_error("password", error.messages)
        else:
            messages.success(
                request,
                _(
                    "The password was set; the user's sessions were ended. It works once, within 24 hours, "
                    "for the user to choose their own."
                ),
            )
            return redirect("accounts:user_detail", public_id=user.public_id)
    return render(request, "accounts/admin/password_form.html", {"form": form, "subject": user})


@require_POST
@requires(MANAGE)
def user_enrolment_code(request: HttpRequest, public_id: str) -> HttpResponse:
    """Issue a one-time enrolment code and show it this once (it is stored hashed)."""
    user = _user(public_id)
    code = services.enrolment_code_issue(actor=request.user, user=user)
    return render(request, "accounts/admin/enrolment_code.html", {"subject": user, "code": code})


@requires(APPROVE)
def approval_list(request: HttpRequest) -> HttpResponse:
    pending = Membership.objects.filter(awaiting_approval=True).select_related(
        "user", "organisation", "role", "requested_by"
    )
    return render(
        request,
        "accounts/admin/approval_list.html",
        {"pending": pending.order_by("created_at"), "roles": ROLES, "me": request.user.pk},
    )


def _decide(request: HttpRequest, public_id: str, *, approve: bool) -> HttpResponse:
    user = _user(public_id)
    try:
        if approve:
            services.membership_approve(actor=request.user, user=user)
        else:
            services.membership_refuse(actor=request.user, user=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if approve:
            messages.success(request, _("Approved: %(name)s now has the new role.") % {"name": user.username})
        else:
            messages.success(request, _("Refused: %(name)s keeps their current role.") % {"name": user.username})
    return redirect("accounts:approval_list")


@require_POST
@requires(APPROVE)
def membership_approve(request: HttpRequest, public_id: str) -> HttpResponse:
    return _decide(request, public_id, approve=True)


@require_POST
@requires(APPROVE)
def membership_refuse(request: HttpRequest, public_id: str) -> HttpResponse:
    return _decide(request, public_id, approve=False)


@requires(MANAGE)
def role_list(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/admin/role_list.html", {"roles": selectors.roles_list()})
