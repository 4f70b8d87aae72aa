from django.urls import URLPattern, URLResolver

app_name = "helpline"
urlpatterns: list[URLPattern | URLResolver] = []
