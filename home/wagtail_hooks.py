"""Public pages say what they show, so the page cache can keep and invalidate them."""

from wagtail import hooks

from .cache_invalidation import tags_for_page
from .page_cache import tag_request


@hooks.register("before_serve_page")
def tag_served_page(page, request, serve_args, serve_kwargs):
    tags = tags_for_page(page)
    if tags and not getattr(request, "is_preview", False):
        tag_request(request, *tags)
