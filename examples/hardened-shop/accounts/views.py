import logging

from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters
from django_ratelimit.decorators import ratelimit

from .forms import ProfileForm, SignupForm

logger = logging.getLogger(__name__)


def _safe_next(request, candidate):
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return candidate
    return "/"


@sensitive_post_parameters("password")
@ratelimit(key="ip", rate="10/m", method="POST", block=True)
def login_view(request):
    if request.method == "POST":
        user = authenticate(request, username=request.POST["username"], password=request.POST["password"])
        if user is None:
            logger.warning("failed login attempt")
            return render(request, "accounts/login.html", {"error": True})
        login(request, user)
        return redirect(_safe_next(request, request.POST.get("next")))
    return render(request, "accounts/login.html", {"next": _safe_next(request, request.GET.get("next"))})


@sensitive_post_parameters("password1", "password2")
@ratelimit(key="ip", rate="5/m", method="POST", block=True)
def signup(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user)
        return redirect("/")
    return render(request, "accounts/signup.html", {"form": form})


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect("profile")
    return render(request, "accounts/profile.html", {"form": form})
