from django.urls import path

from atis.campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("totals/", views.totals, name="totals"),
    path("risk/", views.risk, name="risk"),
    path("localities/", views.localities, name="localities"),
    path("public/", views.public_list, name="public_list"),
    path("public/<uuid:public_id>/", views.public_detail, name="public_detail"),
    path("<uuid:public_id>/", views.campaign_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.campaign_edit, name="edit"),
    path("<uuid:public_id>/approve/", views.campaign_approve, name="approve"),
    path("<uuid:public_id>/return/", views.campaign_return, name="return_to_draft"),
    path("<uuid:public_id>/start/", views.campaign_start, name="start"),
    path("<uuid:public_id>/activities/new/", views.activity_add, name="activity_add"),
    path("<uuid:public_id>/evaluation/", views.evaluation, name="evaluation"),
    path("<uuid:public_id>/evaluate/", views.evaluate, name="evaluate"),
    path("<uuid:public_id>/evaluation.pdf", views.evaluation_pdf, name="evaluation_pdf"),
    path("<uuid:public_id>/evaluation.xlsx", views.evaluation_xlsx, name="evaluation_xlsx"),
    path("activities/<uuid:public_id>/", views.activity_detail, name="activity_detail"),
    path("activities/<uuid:public_id>/delete/", views.activity_delete, name="activity_delete"),
    path("activities/<uuid:public_id>/photos/", views.photo_add, name="photo_add"),
    path("photos/<uuid:public_id>/", views.photo, name="photo"),
]
