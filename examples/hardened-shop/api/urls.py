from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("orders", views.OrderViewSet, basename="order")
router.register("product-stats", views.ProductStatsViewSet, basename="product-stats")

urlpatterns = [
    path("", include(router.urls)),
]
