from django.urls import path

from atis.screening import views

app_name = "screening"
urlpatterns = [
    path("case/<uuid:public_id>/", views.case_screenings, name="case"),
    path("case/<uuid:public_id>/new/", views.screening_new, name="new"),
    path("<uuid:public_id>/", views.screening_detail, name="detail"),
    path("<uuid:public_id>/prefill/", views.screening_prefill, name="prefill"),
    path("<uuid:public_id>/compare/<uuid:other_id>/", views.screening_compare, name="compare"),
    path("indicators/", views.indicator_list, name="indicators"),
    path("indicators/new/", views.indicator_create, name="indicator_create"),
    path("indicators/history/", views.indicator_history, name="indicator_history"),
    path("indicators/<uuid:public_id>/", views.indicator_edit, name="indicator_edit"),
    path("job-offer/", views.job_offer_public, name="job_offer"),
    path("job-offer/check/", views.job_offer_operator, name="job_offer_check"),
    path("job-offer/call-backs/", views.callback_list, name="callbacks"),
    path("job-offer/call-backs/<uuid:public_id>/done/", views.callback_done, name="callback_done"),
]
