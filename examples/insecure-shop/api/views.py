from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from catalog.models import Product
from orders.models import Order

from .serializers import OrderSerializer


class OrderViewSet(viewsets.ModelViewSet):
    queryset = Order.objects.all()
    serializer_class = OrderSerializer
    permission_classes = [AllowAny]  # expect: DJANGO-AUTHZ-001

    @action(detail=False, methods=["get"])
    def lookup(self, request):
        rows = Order.objects.raw("SELECT * FROM orders_order WHERE shipping_address LIKE '%%" + request.query_params["q"] + "%%'")  # expect: DJANGO-SQL-001
        return Response(OrderSerializer(rows, many=True).data)


class ProductStatsViewSet(viewsets.ViewSet):
    def list(self, request):
        return Response({"products": Product.objects.count()})
