"""What a printable guide shows, read once for its template: the page, its outcomes and, for a
method, the implementation kit.

The outcome chart and the comparison of the places a method ran reuse the comparison the site
shows (``reuse.comparison``: one column per indicator and unit, every bar of a chart on the
same scale), so the guide and the page never disagree on a figure or on "target met".
"""

from dataclasses import dataclass, field

from practices.models import MethodPage
from reuse import comparison
from reuse.adoptions import method_reuse


@dataclass
class Kit:
    """A method's implementation kit: how to start, with what, who has done it, and what it
    achieved where it ran."""

    steps: list = field(default_factory=list)  # rich-text steps, in the method's order
    adoptions: list = field(default_factory=list)  # reuse.adoptions.Adoption
    outcomes: object = None  # reuse.comparison.Comparison of the places it ran


@dataclass
class Guide:
    """What the guide's template shows of a practice, method or report."""

    page: object
    url: str  # the page's full address
    indicators: list = field(default_factory=list)  # the page's own OutcomeIndicator rows
    charts: list = field(default_factory=list)  # reuse.comparison.Chart, one bar each
    kit: Kit | None = None

    @property
    def kind(self):
        return self.page.interchange_type


def method_steps(method):
    """The steps of every "steps" block of a method's body, in order."""
    return [step for block in method.body if block.block_type == "steps" for step in block.value]


def build(page, url):
    """The guide to ``page`` (a live, public practice, method or report) read in its language."""
    guide = Guide(page=page, url=url)
    if hasattr(page, "indicators"):
        guide.indicators = list(page.indicators.all())
        guide.charts = comparison.compare([page]).charts
    if isinstance(page, MethodPage):
        guide.kit = Kit(
            steps=method_steps(page),
            adoptions=method_reuse(page, page.locale).adoptions,
            outcomes=comparison.compare(comparison.pages_for_method(page, page.locale)),
        )
    return guide
