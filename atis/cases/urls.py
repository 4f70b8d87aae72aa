from django.urls import path

from atis.cases import views

app_name = "cases"
urlpatterns: list = []  # type: ignore[type-arg]
_ = (path, views)
