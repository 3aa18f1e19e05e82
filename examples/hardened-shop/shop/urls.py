from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite

from accounts import views as account_views

# Staff must pass a second factor (django-otp) to reach the admin, which also
# lives away from the default path that scanners probe.
admin.site.__class__ = OTPAdminSite

urlpatterns = [
    path("backoffice-7c1e/", admin.site.urls),
    path("", include("catalog.urls")),
    path("orders/", include("orders.urls")),
    path("accounts/login/", account_views.login_view, name="login"),
    path("accounts/signup/", account_views.signup, name="signup"),
    path("accounts/profile/", account_views.profile, name="profile"),
    path("api/", include("api.urls")),
]
