"""The open-data read API: ``/api/records/``, added to the search API's schema by
``learning_platform/urls.py``."""

from ninja import Router

router = Router(tags=["records"])
