"""«Скачать реестр»: the appeals and projects lists as a spreadsheet, row for row what the list shows.

The caller passes the list's own queryset (visibility, filters, search and ordering already applied); a register
only chooses the columns. Rows are a generator over `values_list(...).iterator()`: one query (in chunks on
PostgreSQL's server-side cursor), no model instances, no per-row queries, memory flat whatever the size — so
the renderer must consume them once, streaming. Up to REGISTER_SYNC_LIMIT rows the cabinet answers at once;
above it core.services.exports prepares the file in the background.
"""

from collections.abc import Iterator
from datetime import date, datetime

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext

from core.choices import AppealChannel, AppealStatus, ProjectStage
from core.models import AppealEscalation
from core.reports.table import DATE, DATETIME, INT, MONEY, RATING, TEXT, Column, Row, Table

REGISTER_SYNC_LIMIT = 5000  # rows: above this the download is an ExportJob prepared by a django-q2 worker
CHUNK_SIZE = 2000  # rows fetched per round trip while streaming

APPEAL_FIELDS = (
    "number", "received_at", "organisation_name", "organisation_inn", "subject", "appeal_type__name",
    "fact__subcategory__category__name", "fact__name", "status", "executor_organisation__short_name",
    "manager__last_name", "manager__first_name", "manager__middle_name", "deadline", "answered_at", "rating",
    "project__registry_number", "channel",
)
LAST_MRG = "last_mrg_session"  # annotated: the date of the appeal's last МРГ session (a correlated subquery)
PROJECT_FIELDS = (
    "registry_number", "name", "investor__short_name", "investor__inn", "district__name", "industry__name",
    "stage", "investment_volume", "jobs", "personal_manager__last_name", "personal_manager__first_name",
    "personal_manager__middle_name", "accepted_at", "planned_launch", "updated_at",
)


def _moscow(value: datetime | None) -> datetime | None:
    """A moment as the wall-clock time in Moscow (settings.TIME_ZONE), naive: spreadsheets have no time zones."""
    if value is None:
        return None
    return timezone.localtime(value, timezone.get_default_timezone()).replace(tzinfo=None)


def _day(value: datetime | None) -> date | None:
    local = _moscow(value)
    return local.date() if local else None


def _person(*parts: str | None) -> str:
    return " ".join(part for part in parts if part)


def _rows(queryset: QuerySet, fields: tuple[str, ...]) -> Iterator[tuple]:
    # values_list drops select_related and keeps the list's ordering; the joins come from the field paths.
    return queryset.values_list(*fields).iterator(chunk_size=CHUNK_SIZE)


def _with_last_mrg(queryset: QuerySet) -> QuerySet:
    """The appeals with the date of their last МРГ session: a subquery per row, so still one query."""
    last = AppealEscalation.objects.filter(appeal=OuterRef("pk")).order_by("-session_date", "-pk")
    return queryset.annotate(**{LAST_MRG: Subquery(last.values("session_date")[:1])})


def _meta(today: date) -> list[tuple[str, str]]:
    return [(gettext("Дата выгрузки"), f"{today:%d.%m.%Y}")]


def appeal_register(queryset: QuerySet, *, today: date | None = None) -> Table:
    """«Реестр обращений». «Просрочено» is the list's «просрочка» filter: the deadline passed and the investor
    has no answer yet (core.selectors.appeals.appeal_overdue_q). «МРГ» is the date of the last session of the
    interdepartmental working group the appeal was taken to (empty if never)."""
    today = today or timezone.localdate()
    statuses = {value: str(label) for value, label in AppealStatus.choices}
    channels = {value: str(label) for value, label in AppealChannel.choices}
    still_open = set(AppealStatus.open())
    yes, no = gettext("да"), gettext("нет")

    def rows() -> Iterator[Row]:
        for (number, received_at, investor, inn, subject, appeal_type, category, fact, status, executor,
             last_name, first_name, middle_name, deadline, answered_at, rating, project, channel,
             last_mrg) in _rows(_with_last_mrg(queryset), (*APPEAL_FIELDS, LAST_MRG)):
            overdue = status in still_open and deadline is not None and deadline < today
            yield Row((
                number, _day(received_at), investor, inn, subject, appeal_type, category, fact,
                statuses.get(status, status), executor or "", _person(last_name, first_name, middle_name),
                deadline, yes if overdue else no, _day(answered_at), rating, project or "",
                channels.get(channel, channel), last_mrg,
            ))

    columns = [
        Column("number", gettext("№"), INT),
        Column("received_at", gettext("Дата поступления"), DATE),
        Column("investor", gettext("Инвестор"), TEXT),
        Column("inn", gettext("ИНН"), TEXT),
        Column("subject", gettext("Тема"), TEXT),
        Column("appeal_type", gettext("Тип"), TEXT),
        Column("category", gettext("Категория"), TEXT),
        Column("fact", gettext("Факт"), TEXT),
        Column("status", gettext("Статус"), TEXT),
        Column("executor", gettext("Исполнитель (организация)"), TEXT),
        Column("manager", gettext("Менеджер"), TEXT),
        Column("deadline", gettext("Срок"), DATE),
        Column("overdue", gettext("Просрочено"), TEXT),
        Column("answered_at", gettext("Дата ответа"), DATE),
        Column("rating", gettext("Оценка"), RATING),
        Column("project", gettext("Проект"), TEXT),
        Column("channel", gettext("Канал поступления"), TEXT),
        Column("mrg", gettext("МРГ"), DATE),
    ]
    return Table(slug="appeals-register", title=gettext("Реестр обращений"), columns=columns, rows=rows(),
                 meta=_meta(today))


def project_register(queryset: QuerySet, *, today: date | None = None) -> Table:
    """«Реестр инвестиционных проектов»."""
    today = today or timezone.localdate()
    stages = {value: str(label) for value, label in ProjectStage.choices}

    def rows() -> Iterator[Row]:
        for (number, name, investor, inn, district, industry, stage, investment, jobs, last_name, first_name,
             middle_name, accepted_at, planned_launch, updated_at) in _rows(queryset, PROJECT_FIELDS):
            yield Row((
                number, name, investor, inn or "", district or "", industry or "", stages.get(stage, stage),
                investment, jobs, _person(last_name, first_name, middle_name), accepted_at, planned_launch,
                _moscow(updated_at),
            ))

    columns = [
        Column("registry_number", gettext("Реестровый №"), TEXT),
        Column("name", gettext("Название"), TEXT),
        Column("investor", gettext("Инвестор"), TEXT),
        Column("inn", gettext("ИНН"), TEXT),
        Column("district", gettext("Район"), TEXT),
        Column("industry", gettext("Отрасль"), TEXT),
        Column("stage", gettext("Этап"), TEXT),
        Column("investment_volume", gettext("Инвестиции, руб."), MONEY),
        Column("jobs", gettext("Рабочих мест"), INT),
        Column("manager", gettext("Менеджер"), TEXT),
        Column("accepted_at", gettext("Принят на сопровождение"), DATE),
        Column("planned_launch", gettext("Плановый ввод"), DATE),
        Column("updated_at", gettext("Изменён"), DATETIME),
    ]
    return Table(slug="projects-register", title=gettext("Реестр инвестиционных проектов"), columns=columns,
                 rows=rows(), meta=_meta(today))


REGISTERS = {"appeals": appeal_register, "projects": project_register}
