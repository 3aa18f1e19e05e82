from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("", views.ProductListView.as_view(), name="product-list"),
    path("search/", views.search, name="search"),
    path("products/<slug:slug>/", views.product_detail, name="product-detail"),
    path("products/<slug:slug>/review/", views.add_review, name="add-review"),
    path("products/<int:pk>/image/", views.product_image, name="product-image"),
]
