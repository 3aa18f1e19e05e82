from django import forms

from .models import Order


class InvoiceForm(forms.ModelForm):
    class Meta:
        model = Order
        fields = ["invoice"]
