from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models

from catalog.models import Product

from .validators import validate_pdf_content, validate_upload_size


class Order(models.Model):
    STATUS_CHOICES = [("new", "New"), ("paid", "Paid"), ("cancelled", "Cancelled")]

    customer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="orders")
    status = models.CharField(max_length=20, choices=STATUS_CHOICES, default="new")
    shipping_address = models.TextField()
    note = models.TextField(blank=True)
    total = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    invoice = models.FileField(
        upload_to="invoices/",
        blank=True,
        validators=[FileExtensionValidator(["pdf"]), validate_pdf_content, validate_upload_size],
    )
    created = models.DateTimeField(auto_now_add=True)


class OrderLine(models.Model):
    order = models.ForeignKey(Order, related_name="lines", on_delete=models.CASCADE)
    product = models.ForeignKey(Product, on_delete=models.PROTECT)
    quantity = models.PositiveIntegerField(default=1)
