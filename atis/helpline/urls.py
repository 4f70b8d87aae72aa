from django.urls import URLPattern, URLResolver, path

from atis.helpline import views

app_name = "helpline"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.intake, name="intake"),
    path("contacts/", views.contact_list, name="list"),
    path("contacts/<uuid:public_id>/", views.contact_detail, name="detail"),
    path("contacts/<uuid:public_id>/case/", views.escalate_case, name="escalate_case"),
    path("contacts/<uuid:public_id>/notify/", views.notify_authorities, name="notify"),
    path("contacts/<uuid:public_id>/follow-ups/", views.follow_up_add, name="follow_up_add"),
    path("follow-ups/<uuid:public_id>/done/", views.follow_up_done, name="follow_up_done"),
    path("caller-check/", views.caller_check, name="caller_check"),
    path("job-offer-check/", views.job_offer_check, name="job_offer_check"),
    path("suggestions/", views.suggestions, name="suggestions"),
    path("agencies/", views.agencies, name="agencies"),
    path("statistics/", views.statistics_page, name="statistics"),
    path("statistics/export/", views.statistics_export, name="statistics_export"),
]
