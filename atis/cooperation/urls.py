from django.urls import path

from atis.cooperation import views

app_name = "cooperation"
urlpatterns = [
    path("partners/", views.partner_list, name="partners"),
    path("partners/<uuid:public_id>/", views.partner_detail, name="partner"),
    path("partners/<uuid:public_id>/contacts/", views.contact_add, name="contact_add"),
    path("partners/<uuid:public_id>/services/", views.service_save, name="service_save"),
    path("contacts/<uuid:public_id>/remove/", views.contact_remove, name="contact_remove"),
    path("services/", views.service_directory, name="services"),
    path("agreements/", views.agreement_list, name="agreements"),
    path("agreements/new/", views.agreement_create, name="agreement_create"),
    path("agreements/<uuid:public_id>/", views.agreement_detail, name="agreement"),
    path("agreements/<uuid:public_id>/edit/", views.agreement_edit, name="agreement_edit"),
    path("agreements/<uuid:public_id>/documents/", views.document_link, name="document_link"),
    path(
        "agreements/<uuid:public_id>/documents/<uuid:document_id>/unlink/",
        views.document_unlink,
        name="document_unlink",
    ),
    path("agreements/<uuid:public_id>/obligations/", views.obligation_add, name="obligation_add"),
    path("agreements/<uuid:public_id>/activities/", views.activity_add, name="activity_add"),
    path("teams/", views.team_list, name="teams"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/<uuid:public_id>/", views.team_detail, name="team"),
    path("teams/<uuid:public_id>/members/", views.member_add, name="member_add"),
    path("teams/<uuid:public_id>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<uuid:public_id>/", views.meeting_detail, name="meeting"),
    path("meetings/<uuid:public_id>/decisions/", views.decision_add, name="decision_add"),
    path("decisions/<uuid:public_id>/follow-up/", views.decision_follow_up, name="decision_follow_up"),
    path("transnational/", views.transnational_list, name="transnational_list"),
    path("transnational/case/<uuid:public_id>/new/", views.transnational_create, name="transnational_create"),
    path("transnational/<uuid:public_id>/", views.transnational_detail, name="transnational"),
    path("transnational/<uuid:public_id>/update/", views.transnational_update, name="transnational_update"),
    path("transnational/<uuid:public_id>/packet/", views.packet_export, name="packet"),
    path("packets/<str:token>/", views.packet_download, name="packet_download"),
]
