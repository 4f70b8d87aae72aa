from django.urls import path

from atis.assistance import views

app_name = "assistance"
urlpatterns = [
    path("shelters/", views.shelter_list, name="shelters"),
    path("case/<uuid:public_id>/", views.case_assistance, name="case"),
    path("case/<uuid:public_id>/plan/", views.plan_create, name="plan_create"),
    path("case/<uuid:public_id>/goals/", views.goal_add, name="goal_add"),
    path("case/<uuid:public_id>/reviews/", views.review_add, name="review_add"),
    path("case/<uuid:public_id>/services/", views.service_record, name="service_record"),
    path("case/<uuid:public_id>/shelter/", views.shelter_place, name="shelter_place"),
    path("goals/<uuid:public_id>/", views.goal_update, name="goal_update"),
    path("services/<uuid:public_id>/", views.service_update, name="service_update"),
    path("placements/<uuid:public_id>/release/", views.shelter_release, name="shelter_release"),
]
