"""The catalogue of reports: slug → title, the filters its page offers and the function that builds it.

Every build function has the signature `build(*, user, params: ReportParams) -> Table` and sees only what
`user` may see (core.selectors.visibility). The cabinet pages, the downloads and `manage.py report` all go
through `report_build`.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.models import User
from core.reports.table import Table


@dataclass(frozen=True)
class ReportParams:
    date_from: date | None = None  # creation date of appeals / acceptance of projects, Moscow, inclusive
    date_to: date | None = None
    appeal_type: int | None = None
    status: str = ""
    district: int | None = None
    executor_organisation: int | None = None
    channel: str = ""  # «Канал поступления»: an AppealChannel value, "" = all
    mrg: str = ""  # «Вынесено на МРГ»: "yes", "no", "" = all
    industry: int | None = None
    stage: str = ""
    main_only: bool = False  # «Только основные категории»: executor and category rows only
    stale_days: int = 30  # CRM audit: «не обновлялся N дней»
    sample_size: int = 10  # CRM audit: K projects of the random check
    seed: int | None = None  # CRM audit: the random check's seed (default: year and ISO week)
    today: date | None = None  # the export date (Moscow); None = today

    def resolved(self) -> "ReportParams":
        return self if self.today else replace(self, today=timezone.localdate())


@dataclass(frozen=True)
class ReportSpec:
    slug: str
    title: str | Promise
    description: str | Promise
    build: Callable[..., Table]
    filters: tuple[str, ...]
    # For a tree too long to build whole for a page: `page_build(*, user, params, open: frozenset[str] | None)`
    # builds the top rows and only the branches whose Row.key is in `open` (None: all of them when the tree is
    # short, core.reports.table.FULL_TREE_ROWS). The downloads always use `build`.
    page_build: Callable[..., Table] | None = None


def _specs() -> list[ReportSpec]:
    from core.reports import appeals, projects

    dates = ("date_from", "date_to")
    return [
        ReportSpec("appeals-by-type", _("Обращения по типу"),
                   _("Общее количество обращений по типу за период поступления"), appeals.appeals_by_type,
                   (*dates, "channel", "mrg")),
        ReportSpec("appeals-by-executor", _("Обращения по исполнителям и классификатору"),
                   _("Исполнитель → категория → подкатегория → факт"), appeals.appeals_by_executor,
                   (*dates, "appeal_type", "status", "district", "executor_organisation", "channel", "mrg",
                    "main_only"), page_build=appeals.appeals_by_executor_page),
        ReportSpec("staff-workload", _("Загрузка сотрудников"),
                   _("Проекты по этапам, обращения, задачи и встречи каждого менеджера"), projects.staff_workload,
                   ()),
        ReportSpec("project-pool", _("Пул проектов"),
                   _("Проекты по районам, отраслям и этапам: количество, инвестиции, рабочие места"),
                   projects.project_pool, ("district", "industry", "stage")),
        ReportSpec("authorities", _("Рейтинг органов власти"),
                   _("Перенаправленные обращения, ответы в срок, дни до ответа, доработки и оценки по организациям"),
                   appeals.authorities_rating, dates),
        ReportSpec("crm-audit", _("Аудит ведения CRM"),
                   _("Полнота паспорта, давность изменений и случайная выборка для еженедельной проверки"),
                   projects.crm_audit, ("stale_days", "sample_size", "seed"), page_build=projects.crm_audit_page),
    ]


def reports() -> dict[str, ReportSpec]:
    return {spec.slug: spec for spec in _specs()}


def report_build(slug: str, *, user: User, params: ReportParams) -> Table:
    spec = reports()[slug]
    return spec.build(user=user, params=params.resolved())


def report_page_build(slug: str, *, user: User, params: ReportParams, open: frozenset[str] | None) -> Table:
    """The report as its page shows it: the branches in `open` of a report with a `page_build`, else all of it."""
    spec = reports()[slug]
    if spec.page_build is None:
        return spec.build(user=user, params=params.resolved())
    return spec.page_build(user=user, params=params.resolved(), open=open)
