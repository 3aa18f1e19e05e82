import json
import logging
import pickle
import base64

import requests
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import DetailView

from .models import Order
from .reports import export_csv, orders_by_status

logger = logging.getLogger(__name__)


@login_required
def order_list(request):
    orders = Order.objects.filter(customer=request.user)
    return render(request, "orders/order_list.html", {"orders": orders})


class OrderDetailView(DetailView, LoginRequiredMixin):  # expect: DJANGO-AUTHZ-001
    model = Order
    template_name = "orders/order_detail.html"


@login_required
def cancel_order(request, pk):
    order = get_object_or_404(Order, pk=pk)  # expect: DJANGO-AUTHZ-001
    order.status = "cancelled"
    order.save()  # expect: DJANGO-CSRF-001
    return HttpResponseRedirect(request.GET.get("next", "/orders/"))  # expect: DJANGO-REDIRECT-001


@login_required
def status_report(request):
    rows = orders_by_status(request.GET.get("status", "new"), request.GET.get("sort", "created"))
    return JsonResponse({"rows": rows})


@login_required
def export(request):
    export_csv(request.GET["name"])
    return JsonResponse({"ok": True})


def checkout_done(request):
    cart = pickle.loads(base64.b64decode(request.COOKIES.get("cart", "")))  # expect: DJANGO-DESER-001
    return render(request, "orders/done.html", {"cart": cart})


@csrf_exempt  # expect: DJANGO-CSRF-001
def payment_webhook(request):
    payload = json.loads(request.body)
    logger.info("payment webhook headers=%s body=%s", request.headers, request.body)  # expect: DJANGO-LOG-001
    order = Order.objects.get(pk=payload["order_id"])
    order.status = "paid"
    order.save()
    requests.post(payload["callback_url"], json={"received": True}, timeout=5)  # expect: DJANGO-SSRF-001
    return JsonResponse({"ok": True})


@login_required
def upload_invoice(request, pk):
    order = Order.objects.get(pk=pk, customer=request.user)
    upload = request.FILES["invoice"]
    order.invoice.save(upload.name, upload)  # expect: DJANGO-UPLOAD-001
    return JsonResponse({"ok": True})
