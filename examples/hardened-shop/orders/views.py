import hashlib
import hmac
import json
import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseBadRequest, HttpResponseForbidden, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import DetailView

from .forms import InvoiceForm
from .models import Order
from .reports import export_csv, orders_by_status

logger = logging.getLogger(__name__)


@login_required
def order_list(request):
    orders = Order.objects.filter(customer=request.user)
    return render(request, "orders/order_list.html", {"orders": orders})


class OrderDetailView(LoginRequiredMixin, DetailView):
    model = Order
    template_name = "orders/order_detail.html"

    def get_queryset(self):
        return Order.objects.filter(customer=self.request.user)


@login_required
@require_POST
def cancel_order(request, pk):
    order = get_object_or_404(Order, pk=pk, customer=request.user)
    order.status = "cancelled"
    order.save()
    next_url = request.POST.get("next", "/orders/")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        next_url = "/orders/"
    return HttpResponseRedirect(next_url)


@login_required
def status_report(request):
    rows = orders_by_status(request.GET.get("status", "new"), request.GET.get("sort", "created"))
    return JsonResponse({"rows": rows})


@login_required
@require_POST
def export(request):
    if not request.user.is_staff:
        return HttpResponseForbidden()
    export_csv(request.POST["export_id"])
    return JsonResponse({"ok": True})


@login_required
def checkout_done(request):
    cart = request.session.get("cart", {})
    return render(request, "orders/done.html", {"cart": cart})


def _signature_is_valid(request):
    expected = hmac.new(settings.PAYMENT_WEBHOOK_SECRET.encode(), request.body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, request.headers.get("X-Payment-Signature", ""))


# The payment provider cannot send a CSRF token; every call is authenticated by
# its HMAC signature instead, and the view takes no cookie-based identity.
@csrf_exempt
@require_POST
def payment_webhook(request):
    if not _signature_is_valid(request):
        return HttpResponseForbidden()
    payload = json.loads(request.body)
    logger.info("payment webhook for order %s", int(payload["order_id"]))
    order = Order.objects.get(pk=int(payload["order_id"]))
    order.status = "paid"
    order.save()
    return JsonResponse({"ok": True})


@login_required
@require_POST
def upload_invoice(request, pk):
    order = get_object_or_404(Order, pk=pk, customer=request.user)
    form = InvoiceForm(request.POST, request.FILES, instance=order)
    if not form.is_valid():
        return HttpResponseBadRequest("invalid invoice")
    form.save()
    return JsonResponse({"ok": True})
