from django.urls import path

from atis.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("new/", views.organisation_create, name="create"),
    path("coverage/", views.coverage_edit, name="coverage"),
    path("<uuid:public_id>/", views.organisation_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.organisation_edit, name="edit"),
]
