from django.urls import path

from atis.accounts import admin_views, password_reset, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/code/", views.otp_verify_view, name="otp_verify"),
    path("login/enrol/", views.otp_enrol_view, name="otp_enrol"),
    path("login/new-password/", views.password_choose_view, name="password_choose"),
    path("logout/", views.logout_view, name="logout"),
    path("confirm/", views.step_up_view, name="step_up"),
    path("password/reset/", password_reset.request_view, name="password_reset"),
    path("password/reset/sent/", password_reset.sent_view, name="password_reset_sent"),
    path("password/reset/<uidb64>/<token>/", password_reset.confirm_view, name="password_reset_confirm"),
    path("password/reset/done/", password_reset.done_view, name="password_reset_done"),
    path("password/", views.password_change_view, name="password_change"),
    path("users/", admin_views.user_list, name="user_list"),
    path("users/new/", admin_views.user_create, name="user_create"),
    path("users/<uuid:public_id>/", admin_views.user_detail, name="user_detail"),
    path("users/<uuid:public_id>/edit/", admin_views.user_edit, name="user_edit"),
    path("users/<uuid:public_id>/membership/", admin_views.user_membership, name="user_membership"),
    path("users/<uuid:public_id>/active/", admin_views.user_set_active, name="user_set_active"),
    path("users/<uuid:public_id>/second-factor/", admin_views.user_reset_second_factor, name="user_reset_otp"),
    path("users/<uuid:public_id>/password/", admin_views.user_password, name="user_password"),
    path("users/<uuid:public_id>/enrolment-code/", admin_views.user_enrolment_code, name="user_enrolment_code"),
    path("users/<uuid:public_id>/approve/", admin_views.membership_approve, name="membership_approve"),
    path("users/<uuid:public_id>/refuse/", admin_views.membership_refuse, name="membership_refuse"),
    path("approvals/", admin_views.approval_list, name="approval_list"),
    path("roles/", admin_views.role_list, name="role_list"),
]
