from rest_framework import serializers

from orders.models import Order


class OrderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Order
        fields = ["id", "status", "shipping_address", "note", "total", "created"]
        read_only_fields = ["id", "status", "total", "created"]
