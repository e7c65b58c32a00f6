"""``/sitemap.xml``: every live, public page of the site in every language, each with its
language versions as hreflang alternates (Wagtail's sitemap, extended).

The sitemap is an index of numbered sections (``/sitemap-pages.xml?p=2``) of at most
``LIMIT`` pages each, so that a national platform stays within the 50,000 addresses a sitemap
file may hold. Alias pages (copies wagtail-localize keeps in another language's tree while a
page is untranslated) are left out: they show the source's text, which search engines should
find once, at its own address.
"""

from collections import defaultdict

from django.conf import settings
from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from practices.locales import by_id

# Pages per section: a section lists each page's language versions too (about 440 bytes a
# page in four languages), so 2,000 keep a section under 1 MB.
LIMIT = 2000


def site_pages(site):
    """Live, public, non-alias pages under the site's home in any language, in tree order."""
    homes = site.root_page.get_translations(inclusive=True)
    under_a_home = Q()
    for home in homes:
        under_a_home |= Q(path__startswith=home.path)
    return Page.objects.live().public().filter(under_a_home, alias_of__isnull=True).order_by("path")


class PagesSitemap(Sitemap):
    limit = LIMIT

    def items(self):
        return site_pages(self.get_wagtail_site()).select_related("locale")

    def _urls(self, page, protocol, domain):
        items = list(self.paginator.page(page).object_list)
        versions = self._versions({item.translation_key for item in items})
        urls = []
        for item in items:
            location = item.get_full_url(self.request)
            if not location:
                continue
            alternates = [
                {"lang_code": code, "location": url}
                for code, url in sorted(versions.get(item.translation_key, {}).items())
            ]
            default = versions.get(item.translation_key, {}).get(settings.LANGUAGE_CODE)
            if len(alternates) > 1 and default:
                alternates.append({"lang_code": "x-default", "location": default})
            urls.append(
                {
                    "item": item,
                    "location": location,
                    "lastmod": item.last_published_at or item.latest_revision_created_at,
                    "alternates": alternates if len(alternates) > 1 else [],
                }
            )
        lastmods = [url["lastmod"] for url in urls if url["lastmod"]]
        if lastmods:
            self.latest_lastmod = max(lastmods)
        return urls

    def _versions(self, translation_keys):
        """{translation key: {language code: full URL}} of the live, public versions."""
        versions = defaultdict(dict)
        pages = site_pages(self.get_wagtail_site()).filter(translation_key__in=translation_keys)
        for version in pages.select_related("locale"):
            url = version.get_full_url(self.request)
            if url:
                versions[version.translation_key][by_id(version.locale_id).language_code] = url
        return versions
