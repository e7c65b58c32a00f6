"""Build the skeleton of the site: a home page and three index pages in each language.

Idempotent: imports and the demo loader call it before placing pages; it creates only what is
missing and never renames what editors have changed.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from wagtail.models import Locale, Page, Site

from practices.models import MethodIndexPage, PracticeIndexPage, ReportIndexPage

from .models import HomePage

# Titles of the skeleton pages in each language. These are content (editable in the admin
# afterwards), not interface strings, so they live here rather than in the .po catalogues.
HOME_TITLES = {
    "sv": "Kunskapsplattformen",
    "en": "The Learning Platform",
    "ar": "منصة المعرفة",
    "fa": "پلتفرم دانش",
}
HOME_INTROS = {
    "sv": "Goda exempel, metoder och projektrapporter från kommuner, regioner och "
    "organisationer som hjälper asylsökande och nyanlända till arbete, studier och eget företag.",
    "en": "Good practice, methods and project reports from municipalities, regions and "
    "organisations that help asylum seekers and new arrivals into work, studies and business.",
    "ar": "أمثلة جيدة وأساليب وتقارير مشاريع من البلديات والمناطق والمنظمات التي تساعد طالبي "
    "اللجوء والوافدين الجدد على العمل والدراسة وتأسيس المشاريع.",
    "fa": "نمونه‌های خوب، روش‌ها و گزارش پروژه‌ها از شهرداری‌ها، مناطق و سازمان‌هایی که به "
    "پناه‌جویان و تازه‌واردان برای کار، تحصیل و راه‌اندازی کسب‌وکار کمک می‌کنند.",
}
INDEXES = [
    (
        PracticeIndexPage,
        "goda-exempel",
        {"sv": "Goda exempel", "en": "Good practice", "ar": "أمثلة جيدة", "fa": "نمونه‌های خوب"},
    ),
    (
        MethodIndexPage,
        "metoder",
        {"sv": "Metoder", "en": "Methods", "ar": "الأساليب", "fa": "روش‌ها"},
    ),
    (
        ReportIndexPage,
        "projektrapporter",
        {
            "sv": "Projektrapporter",
            "en": "Project reports",
            "ar": "تقارير المشاريع",
            "fa": "گزارش‌های پروژه",
        },
    ),
]


def site_languages():
    return [code for code, _name in settings.LANGUAGES]


def _translate(page, locale, title, **fields):
    """The page's translation in ``locale``, created (published) if missing."""
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    translation = page.copy_for_translation(locale, copy_parents=False).specific
    translation.title = title
    translation.draft_title = title
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    return translation


@transaction.atomic
def site_address():
    """(hostname, port) of ``settings.SITE_URL``: what the Wagtail Site says, so that its
    root URL (hreflang, feeds, links in emails) is the address readers use."""
    address = urlsplit(settings.SITE_URL)
    if address.scheme not in ("http", "https") or not address.hostname:
        raise ImproperlyConfigured(
            f"SITE_URL={settings.SITE_URL!r} is not an address like https://example.org"
        )
    return address.hostname, address.port or (443 if address.scheme == "https" else 80)


def ensure_site_tree():
    """Return ``{language_code: {"home": HomePage, PracticeIndexPage: page, ...}}``."""
    source_locale = Locale.objects.get(language_code=settings.LANGUAGE_CODE)
    root = Page.get_first_root_node()

    home = HomePage.objects.filter(locale=source_locale, depth=2).first()
    if home is None:
        # Replace Wagtail's placeholder "Welcome" page that its first migration creates.
        placeholder = Page.objects.filter(depth=2, content_type__model="page").first()
        home = HomePage(
            title=HOME_TITLES[source_locale.language_code],
            slug="home",
            intro=f"<p>{HOME_INTROS[source_locale.language_code]}</p>",
            locale=source_locale,
        )
        if placeholder is not None:
            Site.objects.filter(root_page=placeholder).update(root_page=root)
            placeholder.delete()
        root.add_child(instance=home)
        home.save_revision().publish()

    hostname, port = site_address()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname=hostname,
            port=port,
            root_page=home,
            is_default_site=True,
            site_name=settings.WAGTAIL_SITE_NAME,
        )
    else:
        # Wagtail's first migration makes a nameless "localhost" site: the admin's dashboard
        # then greets editors with "localhost".
        wanted = (home.pk, hostname, port, site.site_name or settings.WAGTAIL_SITE_NAME)
        if (site.root_page_id, site.hostname, site.port, site.site_name) != wanted:
            site.root_page, site.hostname, site.port, site.site_name = home, *wanted[1:]
            site.save()

    tree = {source_locale.language_code: {"home": home}}
    for model, slug, titles in INDEXES:
        index = model.objects.child_of(home).first()
        if index is None:
            index = model(title=titles[source_locale.language_code], slug=slug, show_in_menus=True)
            home.add_child(instance=index)
            index.save_revision().publish()
        tree[source_locale.language_code][model] = index

    for code in site_languages():
        if code == source_locale.language_code:
            continue
        locale = Locale.objects.get(language_code=code)
        translated_home = _translate(
            home,
            locale,
            HOME_TITLES.get(code, home.title),
            intro=f"<p>{HOME_INTROS[code]}</p>" if code in HOME_INTROS else home.intro,
        )
        tree[code] = {"home": translated_home}
        for model, _slug, titles in INDEXES:
            source_index = tree[source_locale.language_code][model]
            tree[code][model] = _translate(
                source_index, locale, titles.get(code, source_index.title)
            )
    return tree
