import logging

from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.shortcuts import redirect, render

from .forms import SignupForm

logger = logging.getLogger(__name__)


def login_view(request):  # expect: DJANGO-RATE-001, DJANGO-LOG-001
    if request.method == "POST":
        user = authenticate(request, username=request.POST["username"], password=request.POST["password"])
        if user is None:
            logger.warning("failed login for %s with password %s", request.POST["username"], request.POST["password"])  # expect: DJANGO-LOG-001
            return render(request, "accounts/login.html", {"error": True})
        login(request, user)
        return redirect(request.POST.get("next", "/"))  # expect: DJANGO-REDIRECT-001
    return render(request, "accounts/login.html", {"next": request.GET.get("next", "/")})


def signup(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user)
        return redirect("/")
    return render(request, "accounts/signup.html", {"form": form})


@login_required
def profile(request):
    if request.method == "POST":
        User.objects.filter(pk=request.user.pk).update(**request.POST.dict())  # expect: DJANGO-MASS-001
        return redirect("profile")
    return render(request, "accounts/profile.html", {})
