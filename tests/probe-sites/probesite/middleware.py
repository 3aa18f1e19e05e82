from django.conf import settings


class ExtraHeadersMiddleware:
    """Sends the headers Django 3.2 has no setting for (CSP, COOP)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        for name, value in settings.EXTRA_HEADERS.items():
            response.setdefault(name, value)
        return response
