from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from .models import Product, Review


class ProductListView(ListView):
    model = Product
    paginate_by = 24


def search(request):
    query = request.GET.get("q", "")
    products = Product.objects.filter(name__icontains=query)
    banner = format_html("<h2>Results for {}</h2>", query)
    return render(request, "catalog/search.html", {"query": query, "banner": banner, "products": products})


def product_detail(request, slug):
    product = get_object_or_404(Product, slug=slug)
    return render(request, "catalog/product_detail.html", {"product": product})


@login_required
@require_POST
def add_review(request, slug):
    product = get_object_or_404(Product, slug=slug)
    Review.objects.create(product=product, author=request.user, body=request.POST["body"])
    return redirect("catalog:product-detail", slug=slug)


def product_image(request, pk):
    product = get_object_or_404(Product, pk=pk)
    if not product.image:
        raise Http404("no image")
    return FileResponse(product.image.open("rb"), content_type="image/png")
