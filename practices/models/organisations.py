"""The organisations that own and run practices: municipalities, regions, agencies, associations."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.search import index


class Organisation(index.Indexed, models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        REGION = "region", _("Region")
        GOVERNMENT_AGENCY = "government_agency", _("Government agency")
        COORDINATION_ASSOCIATION = "coordination_association", _("Coordination association")
        CIVIL_SOCIETY = "civil_society", _("Civil-society organisation")
        COMPANY = "company", _("Company")
        SOCIAL_ENTERPRISE = "social_enterprise", _("Social enterprise")

    name = models.CharField(_("name"), max_length=255, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    municipality = models.ForeignKey(
        "practices.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisations",
    )
    region = models.ForeignKey(
        "practices.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisations",
    )
    website = models.URLField(_("website"), blank=True)
    # Access (see organisations): the group whose members edit this organisation's pages,
    # and the one collection that holds its images and documents. Set by create_organisation.
    editors_group = models.OneToOneField(
        "auth.Group",
        verbose_name=_("editors' group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisation",
    )
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        verbose_name=_("collection"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisation",
        help_text=_("Where this organisation's images and documents are kept."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("municipality"),
        FieldPanel("region"),
        FieldPanel("website"),
        MultiFieldPanel(
            [
                FieldPanel("editors_group", read_only=True),
                FieldPanel("collection", read_only=True),
            ],
            heading=_("Access"),
            help_text=_("Set up by the create_organisation command."),
        ),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("kind"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    @classmethod
    def guess_kind(cls, name):
        """The most likely kind for an organisation known only by its name (used by imports)."""
        lowered = name.lower()
        rules = [
            ("samordningsförbund", cls.Kind.COORDINATION_ASSOCIATION),
            ("arbetsintegrerande", cls.Kind.SOCIAL_ENTERPRISE),
            ("socialt företag", cls.Kind.SOCIAL_ENTERPRISE),
            ("kommun", cls.Kind.MUNICIPALITY),
            ("stad", cls.Kind.MUNICIPALITY),
            ("municipality", cls.Kind.MUNICIPALITY),
            ("region", cls.Kind.REGION),
            ("länsstyrelse", cls.Kind.GOVERNMENT_AGENCY),
            ("förmedling", cls.Kind.GOVERNMENT_AGENCY),
            ("verket", cls.Kind.GOVERNMENT_AGENCY),
            ("kassan", cls.Kind.GOVERNMENT_AGENCY),
            (" ab", cls.Kind.COMPANY),
        ]
        for needle, kind in rules:
            if needle in lowered:
                return kind
        return cls.Kind.CIVIL_SOCIETY
