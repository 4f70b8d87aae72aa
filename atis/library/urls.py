from django.urls import URLPattern, URLResolver, path

from atis.library import views

app_name = "library"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.document_list, name="list"),
    path("feed/", views.feed, name="feed"),
    path("documents/<uuid:public_id>/", views.document_detail, name="detail"),
    path("files/<uuid:public_id>/download/", views.file_download, name="download"),
    path("manage/", views.manage_list, name="manage"),
    path("manage/new/", views.document_create, name="create"),
    path("manage/<uuid:public_id>/", views.document_edit, name="edit"),
    path("manage/<uuid:public_id>/files/", views.file_add, name="file_add"),
    path("manage/<uuid:public_id>/publish/", views.document_publish, name="publish"),
    path("manage/<uuid:public_id>/withdraw/", views.document_withdraw, name="withdraw"),
    path("manage/files/<uuid:public_id>/status/", views.file_status, name="file_status"),
    path("manage/files/<uuid:public_id>/remove/", views.file_remove, name="file_remove"),
]
