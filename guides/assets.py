"""What WeasyPrint may read while it lays out a guide: this site's own static and media files,
from disk, and nothing else.

The guide's HTML keeps the site's real addresses (its links must work in the PDF), so its
images, stylesheet and fonts have addresses on the site too. Fetching them over HTTP would
make a request to ourselves for every font and wait on it; fetching anything else would let a
link in a body reach the network. This fetcher answers the site's ``STATIC_URL`` and
``MEDIA_URL`` paths from the files on disk and refuses every other address (WeasyPrint then
leaves that resource out and logs a warning).

WeasyPrint (with Pango, about 46 MB a process) is imported on the first guide a process lays
out, not when the site starts: most workers never make a PDF.
"""

import functools
import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage


def local_files_fetcher(origin):
    """A WeasyPrint URL fetcher that serves ``<origin>/static/…`` and ``<origin>/media/…``
    from disk and refuses the rest. Imports WeasyPrint (``OSError`` without Pango)."""
    return _fetcher_class()(origin)


@functools.cache
def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: PLC0415 - 46 MB, see above

    class LocalFilesFetcher(URLFetcher):
        def __init__(self, origin, **kwargs):
            super().__init__(allowed_protocols=["http", "https"], **kwargs)
            self.origin = urlsplit(origin)

        def fetch(self, url, headers=None):
            path = local_path(self.origin, url)
            if path is None:
                raise ValueError(f"Not a file of this site: {url}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    return LocalFilesFetcher


def local_path(origin, url):
    """The file on disk that ``url`` names, if it is on the site at ``origin`` (split), or None."""
    parts = urlsplit(url)
    if (parts.scheme, parts.netloc) != (origin.scheme, origin.netloc):
        return None
    name = posixpath.normpath(unquote(parts.path))
    if name.startswith(settings.STATIC_URL):
        return static_file(name.removeprefix(settings.STATIC_URL))
    if name.startswith(settings.MEDIA_URL):
        return contained(Path(settings.MEDIA_ROOT), name.removeprefix(settings.MEDIA_URL))
    return None


def static_file(name):
    """A static file by its name (``fonts/…``), found as ``collectstatic`` would find it, or
    among the collected (and possibly hashed) files."""
    if not name or name.startswith(("/", "..")):
        return None
    found = finders.find(name)
    if found:
        return Path(found)
    try:
        return contained(Path(staticfiles_storage.location), name)
    except (AttributeError, NotImplementedError):  # a storage without local files
        return None


def contained(root, name):
    """``root / name`` if it is a file inside ``root``, else None."""
    root = root.resolve()
    path = (root / name).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path
