from django.urls import URLPattern, URLResolver, path

from atis.agencies import views

app_name = "agencies"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.agency_list, name="list"),
    path("<uuid:public_id>/", views.agency_detail, name="detail"),
    path("import/", views.import_page, name="import"),
    path("import/sample.csv", views.import_sample, name="import_sample"),
    path("import/<uuid:public_id>/", views.import_detail, name="import_detail"),
]
