from django.urls import path

from . import views

app_name = "orders"

urlpatterns = [
    path("", views.order_list, name="list"),
    path("<int:pk>/", views.OrderDetailView.as_view(), name="detail"),
    path("<int:pk>/cancel/", views.cancel_order, name="cancel"),
    path("report/", views.status_report, name="report"),
    path("export/", views.export, name="export"),
    path("checkout/done/", views.checkout_done, name="checkout-done"),
    path("webhooks/payment/", views.payment_webhook, name="payment-webhook"),
    path("<int:pk>/invoice/", views.upload_invoice, name="upload-invoice"),
]
