from django.urls import path

from atis.codelists import views

app_name = "codelists"
urlpatterns = [
    path("", views.code_list, name="list"),
    path("<int:pk>/", views.code_edit, name="edit"),
]
