from django.urls import URLPattern, URLResolver, path

from atis.knowledge import views

app_name = "knowledge"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.article_list, name="list"),
    path("new/", views.article_create, name="create"),
    path("suggestions/", views.suggestions, name="suggestions"),
    path("articles/<uuid:public_id>/", views.article_detail, name="detail"),
    path("articles/<uuid:public_id>/edit/", views.article_edit, name="edit"),
    path("articles/<uuid:public_id>/history/", views.article_history, name="history"),
    path("articles/<uuid:public_id>/diff/", views.article_diff, name="diff"),
    path("versions/<uuid:public_id>/publish/", views.version_publish, name="version_publish"),
    path("public/", views.public_list, name="public_list"),
    path("public/<uuid:public_id>/", views.public_detail, name="public_detail"),
]
