from django.urls import URLPattern, URLResolver, path

from atis.portal import views

app_name = "portal"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
]
