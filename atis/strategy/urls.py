from django.urls import path

from atis.strategy import views

app_name = "strategy"
urlpatterns = [
    path("", views.strategy_list, name="list"),
    path("new/", views.strategy_create, name="create"),
    path("plan-template.xlsx", views.plan_template, name="plan_template"),
    path("<uuid:public_id>/", views.strategy_detail, name="detail"),
    path("<uuid:public_id>/status/", views.strategy_status, name="status"),
    path("<uuid:public_id>/import/", views.plan_import, name="plan_import"),
    path("<uuid:public_id>/plan.xlsx", views.plan_export, name="plan_export"),
    path("<uuid:public_id>/rounds/", views.round_open, name="round_open"),
    path("<uuid:public_id>/dashboard/", views.dashboard, name="dashboard"),
    path("<uuid:public_id>/evaluations/", views.evaluation_create, name="evaluation_create"),
    path("<uuid:public_id>/carry-over/", views.carry_over, name="carry_over"),
    path("activities/<uuid:public_id>/", views.activity_detail, name="activity"),
    path("rounds/<uuid:public_id>/", views.round_detail, name="round"),
    path("rounds/<uuid:public_id>/close/", views.round_close, name="round_close"),
    path("rounds/<uuid:public_id>/activities/<uuid:activity_id>/", views.report_edit, name="report_edit"),
    path("reports/<uuid:public_id>/", views.report_detail, name="report"),
    path("reports/<uuid:public_id>/submit/", views.report_submit, name="report_submit"),
    path("reports/<uuid:public_id>/review/", views.report_review, name="report_review"),
    path("reports/<uuid:public_id>/evidence/", views.evidence_add, name="evidence_add"),
    path("evidence/<uuid:public_id>/", views.evidence_download, name="evidence_download"),
    path("evaluations/<uuid:public_id>/", views.evaluation_detail, name="evaluation"),
    path("evaluations/<uuid:public_id>/report.pdf", views.evaluation_pdf, name="evaluation_pdf"),
    path("evaluations/<uuid:public_id>/report.xlsx", views.evaluation_xlsx, name="evaluation_xlsx"),
    path("evaluations/<uuid:public_id>/publish/", views.evaluation_publish, name="evaluation_publish"),
]
