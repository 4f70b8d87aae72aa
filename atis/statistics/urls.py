from django.urls import path

from atis.statistics import views

app_name = "statistics"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.<str:file_format>", views.export, name="export"),
    path("comparison/", views.comparison_page, name="comparison"),
    path("imports/", views.import_page, name="import"),
    path("imports/<uuid:public_id>/", views.import_detail, name="import_detail"),
    path("reports/", views.reports_page, name="reports"),
    path("reports/annual/", views.annual_report_generate, name="annual_report_generate"),
    path("reports/annual/<uuid:public_id>/", views.annual_report_status, name="annual_report_status"),
    path("reports/annual/<uuid:public_id>.<str:file_format>", views.annual_report_file, name="annual_report_file"),
    path("reports/annual/<uuid:public_id>/publish/", views.annual_report_publish, name="annual_report_publish"),
    path("reports/microdata.csv", views.microdata, name="microdata"),
    path("reports/<str:standard>.csv", views.international, name="international"),
]
