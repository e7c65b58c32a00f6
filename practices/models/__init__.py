"""The content model. Dependencies point downwards: pages use taxonomy, places and outcomes."""

from .base import ContentPage
from .index import IndexPage, MethodIndexPage, PracticeIndexPage, ReportIndexPage
from .method import CostLevel, MethodPage
from .organisations import Organisation
from .outcomes import (
    FundingSource,
    Indicator,
    IndicatorKey,
    IndicatorUnit,
    OutcomeIndicator,
    indicator_terms,
)
from .places import MAIN_GROUPS, Municipality, MunicipalityGroup, Region
from .practice import (
    PracticeDocument,
    PracticeFunding,
    PracticeImage,
    PracticeIndicator,
    PracticeMethod,
    PracticePage,
)
from .report import (
    ProjectReportPage,
    ReportFunding,
    ReportIndicator,
    ReportMethod,
    ReportPractice,
)
from .reuse import AdoptionStatus, MethodAdoption
from .taxonomy import ActivityType, MethodKeyword, PracticeKeyword, ReportKeyword, TargetGroup

__all__ = [
    "ActivityType",
    "AdoptionStatus",
    "ContentPage",
    "CostLevel",
    "FundingSource",
    "IndexPage",
    "indicator_terms",
    "Indicator",
    "IndicatorKey",
    "IndicatorUnit",
    "MethodAdoption",
    "MethodIndexPage",
    "MethodKeyword",
    "MethodPage",
    "MAIN_GROUPS",
    "Municipality",
    "MunicipalityGroup",
    "Organisation",
    "OutcomeIndicator",
    "PracticeDocument",
    "PracticeFunding",
    "PracticeImage",
    "PracticeIndexPage",
    "PracticeIndicator",
    "PracticeKeyword",
    "PracticeMethod",
    "PracticePage",
    "ProjectReportPage",
    "Region",
    "ReportFunding",
    "ReportIndexPage",
    "ReportIndicator",
    "ReportKeyword",
    "ReportMethod",
    "ReportPractice",
    "TargetGroup",
]

# The one list of the content page types: what is published, searched, compared and exchanged.
CONTENT_PAGE_MODELS = (PracticePage, MethodPage, ProjectReportPage)
# The same, by the short name the interchange format and search results use ("practice", ...).
CONTENT_PAGE_TYPES = {model.interchange_type: model for model in CONTENT_PAGE_MODELS}
