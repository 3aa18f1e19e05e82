from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse

from .models import Product


class ProductPageTests(TestCase):
    def setUp(self):
        self.product = Product.objects.create(name="Mug", slug="mug", price="9.50")
        # A throwaway account for the test database only
        self.user = get_user_model().objects.create_user("alice", password="correct-horse-battery")

    def test_product_page_lists_reviews(self):
        self.client.force_login(self.user)
        response = self.client.get(reverse("catalog:product-detail", args=[self.product.slug]))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Mug")
