from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render


def home(request):
    request.session["visits"] = request.session.get("visits", 0) + 1
    return render(request, "home.html")


def login(request):
    return render(request, "login.html")


def security_txt(request):
    if not settings.SERVE_SECURITY_TXT:
        raise Http404
    return HttpResponse(
        "Contact: mailto:security@example.invalid\nExpires: 2030-01-01T00:00:00Z\n",
        content_type="text/plain",
    )


def robots_txt(request):
    if settings.ROBOTS_TXT is None:
        raise Http404
    return HttpResponse(settings.ROBOTS_TXT, content_type="text/plain")
