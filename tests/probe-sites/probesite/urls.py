from django.conf import settings
from django.contrib import admin
from django.urls import path

from . import views

urlpatterns = [
    path("", views.home),
    path("accounts/login/", views.login),
    path(".well-known/security.txt", views.security_txt),
    path("robots.txt", views.robots_txt),
    path(settings.ADMIN_PATH, admin.site.urls),
]
