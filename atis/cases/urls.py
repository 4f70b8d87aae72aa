from django.urls import path

from atis.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("search/", views.case_search, name="search"),
    path("new/", views.case_create, name="create"),
    path("localities/", views.localities, name="localities"),
    path("referrals/", views.referral_inbox_view, name="referral_inbox"),
    path("referrals/<uuid:public_id>/accept/", views.referral_accept, name="referral_accept"),
    path("referrals/<uuid:public_id>/reject/", views.referral_reject, name="referral_reject"),
    path("referrals/<uuid:public_id>/complete/", views.referral_complete, name="referral_complete"),
    path("referrals/<uuid:public_id>/revoke/", views.referral_revoke, name="referral_revoke"),
    # The case file: one URL per tab.
    path("<uuid:public_id>/", views.case_detail, name="detail"),
    path("<uuid:public_id>/person/", views.case_person, name="person"),
    path("<uuid:public_id>/events/", views.case_events, name="events"),
    path("<uuid:public_id>/consent/", views.case_consent, name="consent"),
    path("<uuid:public_id>/referrals/", views.case_referrals, name="referrals"),
    path("<uuid:public_id>/proceedings/", views.case_proceedings, name="proceedings"),
    path("<uuid:public_id>/notes/", views.case_notes, name="notes"),
    path("<uuid:public_id>/history/", views.case_history, name="history"),
    path("<uuid:public_id>/export.pdf", views.export_pdf, name="export_pdf"),
    # Changes.
    path("<uuid:public_id>/edit/", views.case_edit, name="edit"),
    path("<uuid:public_id>/person/edit/", views.person_edit, name="person_edit"),
    path("<uuid:public_id>/identify/", views.case_identify, name="identify"),
    path("<uuid:public_id>/not-victim/", views.case_not_victim, name="not_victim"),
    path("<uuid:public_id>/start-assistance/", views.case_start_assistance, name="start_assistance"),
    path("<uuid:public_id>/follow-up/", views.case_follow_up, name="follow_up"),
    path("<uuid:public_id>/close/", views.case_close, name="close"),
    path("<uuid:public_id>/tasks/<slug:kind>/done/", views.task_done, name="task_done"),
    path("<uuid:public_id>/consent/record/", views.consent_record, name="consent_record"),
    path("<uuid:public_id>/consent/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("<uuid:public_id>/referrals/send/", views.referral_send, name="referral_send"),
    path("<uuid:public_id>/events/new/", views.event_edit, name="event_add"),
    path("<uuid:public_id>/events/<int:event_id>/edit/", views.event_edit, name="event_edit"),
    path("<uuid:public_id>/events/<int:event_id>/delete/", views.event_delete, name="event_delete"),
    path("<uuid:public_id>/proceedings/new/", views.proceeding_edit, name="proceeding_add"),
    path("<uuid:public_id>/proceedings/<int:proceeding_id>/edit/", views.proceeding_edit, name="proceeding_edit"),
    path("<uuid:public_id>/notes/add/", views.note_add, name="note_add"),
    path("<uuid:public_id>/attachments/add/", views.attachment_add, name="attachment_add"),
    path(
        "<uuid:public_id>/attachments/<uuid:attachment_id>/",
        views.attachment_download,
        name="attachment_download",
    ),
]
