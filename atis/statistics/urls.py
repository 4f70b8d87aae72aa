from django.urls import path

from atis.statistics import views

app_name = "statistics"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.<str:file_format>", views.export, name="export"),
    path("counties.geojson", views.counties_geojson, name="counties_geojson"),
    path("comparison/", views.comparison_page, name="comparison"),
    path("reports/", views.reports_page, name="reports"),
    path("reports/annual.<str:file_format>", views.annual_report, name="annual_report"),
    path("reports/microdata.csv", views.microdata, name="microdata"),
    path("reports/<str:standard>.csv", views.international, name="international"),
]
