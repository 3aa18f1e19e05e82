import os

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.views.generic import ListView

from .models import Product, Review


class ProductListView(ListView):
    model = Product
    paginate_by = 24


def search(request):
    query = request.GET.get("q", "")
    products = Product.objects.filter(name__icontains=query)
    banner = mark_safe(f"<h2>Results for {query}</h2>")  # expect: DJANGO-XSS-001
    return render(request, "catalog/search.html", {"query": query, "banner": banner, "products": products})


def product_detail(request, slug):
    product = get_object_or_404(Product, slug=slug)
    return render(request, "catalog/product_detail.html", {"product": product})


@login_required
def add_review(request, slug):
    product = get_object_or_404(Product, slug=slug)
    if request.method == "POST":
        Review.objects.create(product=product, author=request.user, body=request.POST["body"])
    return redirect("catalog:product-detail", slug=slug)


def product_image(request, pk):
    name = request.GET.get("file", "default.png")
    path = os.path.join(settings.MEDIA_ROOT, "products", name)
    return FileResponse(open(path, "rb"))  # expect: DJANGO-PATH-001


def preview(request):
    return HttpResponse("<p>%s</p>" % request.GET.get("text", ""))  # expect: DJANGO-XSS-001
