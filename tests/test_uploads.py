"""Uploads that would cost the server too much are refused with a message."""

import io
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from wagtail.images import get_image_model

pytestmark = pytest.mark.django_db


def png(width, height):
    buffer = io.BytesIO()
    Image.new("1", (width, height)).save(buffer, format="PNG")  # 1 bit a pixel: a small file
    return SimpleUploadedFile("large.png", buffer.getvalue(), content_type="image/png")


def test_an_image_over_forty_megapixels_is_refused(admin_client):
    response = admin_client.post("/admin/images/add/", {"title": "Huge", "file": png(7_000, 7_000)})
    assert response.status_code == HTTPStatus.OK  # the form again, with the error
    (message,) = response.context["form"].errors["file"]
    assert "49000000" in message and "40000000" in message  # its size and the limit
    assert not get_image_model().objects.filter(title="Huge").exists()


def test_an_ordinary_photo_is_accepted(admin_client):
    response = admin_client.post("/admin/images/add/", {"title": "Photo", "file": png(1200, 800)})
    assert response.status_code == HTTPStatus.FOUND
    assert get_image_model().objects.filter(title="Photo").exists()
