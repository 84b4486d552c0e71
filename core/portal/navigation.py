"""The investor cabinet's tabs and a project page's tabs, as data (the seed's «Мои документы · Мои обращения · …»).

Every cabinet tab has its own view, routed before the generic one (which answers 404 for an unknown slug). A tab
about projects names the project tab it leads to: with one project the cabinet goes straight there, with several
it shows a chooser.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class CabinetTab:
    slug: str
    label: Promise
    project_tab: str = ""  # the tab of the project page this cabinet tab leads to


@dataclass(frozen=True)
class ProjectTab:
    slug: str
    label: Promise

    @property
    def url_name(self) -> str:
        return f"portal:project_{self.slug}"


CABINET_TABS = (
    CabinetTab("projects", _("Мои проекты"), project_tab="passport"),
    CabinetTab("documents", _("Мои документы"), project_tab="documents"),
    CabinetTab("appeals", _("Мои обращения")),
    CabinetTab("legacy-appeals", _("Мои обращения (Старые)")),
    CabinetTab("tasks", _("Задачи"), project_tab="tasks"),
    CabinetTab("meetings", _("Встречи"), project_tab="meetings"),
    CabinetTab("history", _("История проекта"), project_tab="history"),
    CabinetTab("passport", _("Паспорт"), project_tab="passport"),
)
DEFAULT_TAB = "appeals"

PROJECT_TABS = (
    ProjectTab("passport", _("Паспорт")),
    ProjectTab("documents", _("Мои документы")),
    ProjectTab("tasks", _("Задачи")),
    ProjectTab("meetings", _("Встречи")),
    ProjectTab("roadmap", _("Дорожная карта")),
    ProjectTab("history", _("История проекта")),
)


def cabinet_tab(slug: str) -> CabinetTab | None:
    return next((tab for tab in CABINET_TABS if tab.slug == slug), None)


def project_tab(slug: str) -> ProjectTab:
    return next(tab for tab in PROJECT_TABS if tab.slug == slug)
