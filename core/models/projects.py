"""Investment projects: the passport, the stage machine and everything around a project."""

import uuid
from decimal import Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, FSMModelMixin, transition

from core.choices import (
    DocumentKind,
    GovernorForum,
    MeasureStatus,
    MeetingFormat,
    MeetingStatus,
    OrganisationKind,
    ProjectEventKind,
    ProjectStage,
    RequestStatus,
    RoadmapStatus,
    TaskStatus,
)
from core.validators import validate_cadastral_number

LAUNCH_BEFORE_START = _("Ввод в эксплуатацию не может быть раньше начала строительства.")
AREA_NOT_POSITIVE = _("Площадь должна быть больше нуля.")

P = ProjectStage
USER = settings.AUTH_USER_MODEL


class Industry(models.Model):
    code = models.SlugField(_("код"), max_length=32, unique=True)
    name = models.CharField(_("название"), max_length=200)
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        verbose_name = _("отрасль")
        verbose_name_plural = _("отрасли")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Project(FSMModelMixin, models.Model):
    registry_number = models.CharField(_("реестровый номер"), max_length=20, unique=True, editable=False)
    name = models.CharField(_("название проекта"), max_length=300)
    investor = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("инвестор"),
        on_delete=models.PROTECT,
        related_name="projects",
        limit_choices_to={"kind": OrganisationKind.INVESTOR},
    )
    district = models.ForeignKey(
        "core.District",
        verbose_name=_("район"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
    )
    industry = models.ForeignKey(
        Industry, verbose_name=_("отрасль"), on_delete=models.PROTECT, null=True, blank=True, related_name="projects"
    )
    description = models.TextField(_("описание"), blank=True)
    investment_volume = models.DecimalField(
        _("объём инвестиций, ₽"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    jobs = models.PositiveIntegerField(_("рабочих мест"), null=True, blank=True)
    # Infrastructure needs: the required capacity of each network.
    gas_m3_per_hour = models.DecimalField(_("газ, м³/ч"), max_digits=12, decimal_places=2, null=True, blank=True)
    electricity_kw = models.DecimalField(
        _("электроэнергия, кВт"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    water_m3_per_day = models.DecimalField(_("вода, м³/сут"), max_digits=12, decimal_places=2, null=True, blank=True)
    heat_gcal_per_hour = models.DecimalField(_("тепло, Гкал/ч"), max_digits=12, decimal_places=3, null=True, blank=True)
    # Key dates.
    submitted_at = models.DateTimeField(_("заявка подана"), default=timezone.now)
    accepted_at = models.DateField(_("принят на сопровождение"), null=True, blank=True)
    planned_start = models.DateField(_("плановое начало строительства"), null=True, blank=True)
    planned_launch = models.DateField(_("плановый ввод в эксплуатацию"), null=True, blank=True)
    governor_agreement_date = models.DateField(_("соглашение с губернатором"), null=True, blank=True)
    governor_agreement_forum = models.CharField(
        _("форум подписания"), max_length=10, choices=GovernorForum.choices, blank=True
    )
    personal_manager = models.ForeignKey(
        USER,
        verbose_name=_("персональный менеджер"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_projects",
    )
    district_commissioner = models.ForeignKey(
        USER,
        verbose_name=_("инвестиционный уполномоченный района"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commissioned_projects",
    )
    director = models.ForeignKey(
        USER,
        verbose_name=_("директор"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="directed_projects",
    )
    stage = FSMField(
        _("этап"), max_length=20, choices=ProjectStage.choices, default=P.APPLICATION, protected=True, db_index=True
    )
    paused_from = models.CharField(
        _("этап до приостановки"), max_length=20, choices=ProjectStage.choices, blank=True, editable=False
    )
    stage_changed_at = models.DateTimeField(_("этап изменён"), default=timezone.now)
    updated_at = models.DateTimeField(_("изменён"), auto_now=True)

    class Meta:
        verbose_name = _("инвестиционный проект")
        verbose_name_plural = _("инвестиционные проекты")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.registry_number} {self.name}"

    def clean(self) -> None:
        super().clean()
        if self.planned_start and self.planned_launch and self.planned_launch < self.planned_start:
            raise ValidationError({"planned_launch": LAUNCH_BEFORE_START})

    def _moved(self) -> None:
        self.stage_changed_at = timezone.now()

    # Transitions change the object in memory only; core.workflows.projects is the door that saves them.
    @transition(field=stage, source=P.APPLICATION, target=P.REVIEW)
    def start_review(self) -> None:
        self._moved()

    @transition(field=stage, source=P.REVIEW, target=P.ACCEPTED)
    def accept(self) -> None:
        self._moved()
        self.accepted_at = timezone.localdate()

    @transition(field=stage, source=P.REVIEW, target=P.DECLINED)
    def decline(self) -> None:
        self._moved()

    @transition(field=stage, source=P.ACCEPTED, target=P.PRE_INVESTMENT)
    def start_pre_investment(self) -> None:
        self._moved()

    @transition(field=stage, source=P.PRE_INVESTMENT, target=P.INVESTMENT)
    def start_investment(self) -> None:
        self._moved()

    @transition(field=stage, source=P.INVESTMENT, target=P.OPERATIONAL)
    def start_operation(self) -> None:
        self._moved()

    @transition(field=stage, source=P.OPERATIONAL, target=P.COMPLETED)
    def complete(self) -> None:
        self._moved()

    @transition(field=stage, source=P.active(), target=P.SUSPENDED)
    def suspend(self) -> None:
        self.paused_from = self.stage
        self._moved()

    @transition(field=stage, source=[*P.active(), P.SUSPENDED], target=P.WITHDRAWN)
    def withdraw(self) -> None:
        if self.stage != P.SUSPENDED:
            self.paused_from = self.stage
        self._moved()

    @transition(field=stage, source=[P.SUSPENDED, P.WITHDRAWN], target=RETURN_VALUE(*P.active()))
    def resume(self) -> str:
        """Back to the stage the project was suspended or withdrawn from."""
        target, self.paused_from = self.paused_from or P.APPLICATION, ""
        self._moved()
        return target


class LandPlot(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="land_plots", verbose_name=_("проект"))
    cadastral_number = models.CharField(_("кадастровый номер"), max_length=30, validators=[validate_cadastral_number])
    area_m2 = models.DecimalField(_("площадь, м²"), max_digits=14, decimal_places=2, null=True, blank=True,
                                  validators=[MinValueValidator(Decimal("0.01"), AREA_NOT_POSITIVE)])
    address = models.CharField(_("местоположение"), max_length=500, blank=True)
    rights = models.CharField(_("права на участок"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("земельный участок")
        verbose_name_plural = _("земельные участки")
        constraints = [
            models.UniqueConstraint(fields=["project", "cadastral_number"], name="landplot_unique_per_project")
        ]

    def __str__(self) -> str:
        return self.cadastral_number


class ChecklistItem(models.Model):
    """A support action of a stage (seed: «Анализ ЗУ, перевод ЗУ», «Запрос в РСО…», «Помощь в получении РНС, РНВ»)."""

    stage = models.CharField(_("этап"), max_length=20, choices=ProjectStage.choices)
    code = models.SlugField(_("код"), max_length=40, unique=True)
    name = models.CharField(_("действие"), max_length=300)
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        verbose_name = _("действие по сопровождению")
        verbose_name_plural = _("чек-лист этапов")
        ordering = ["stage", "order"]

    def __str__(self) -> str:
        return self.name


class ChecklistMark(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="checklist_marks")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="marks", verbose_name=_("действие"))
    done_at = models.DateTimeField(_("отмечено"), default=timezone.now)
    done_by = models.ForeignKey(USER, verbose_name=_("кто"), on_delete=models.SET_NULL, null=True)
    comment = models.CharField(_("комментарий"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("отметка чек-листа")
        verbose_name_plural = _("отметки чек-листа")
        constraints = [models.UniqueConstraint(fields=["project", "item"], name="checklist_mark_once")]

    def __str__(self) -> str:
        return str(self.item)


class SupportMeasure(models.Model):
    """The catalogue of support measures (РИП: 10 % налог на прибыль, 0 % налог на имущество; льготные займы…)."""

    code = models.SlugField(_("код"), max_length=40, unique=True)
    name = models.CharField(_("мера поддержки"), max_length=300)
    description = models.TextField(_("описание"), blank=True)
    is_active = models.BooleanField(_("действует"), default=True)

    class Meta:
        verbose_name = _("мера поддержки")
        verbose_name_plural = _("меры поддержки")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProjectMeasure(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="measures", verbose_name=_("проект"))
    measure = models.ForeignKey(SupportMeasure, on_delete=models.PROTECT, verbose_name=_("мера поддержки"))
    status = models.CharField(
        _("статус"), max_length=16, choices=MeasureStatus.choices, default=MeasureStatus.REQUESTED
    )
    requested_at = models.DateField(_("запрошена"), default=timezone.localdate)
    decided_at = models.DateField(_("решение"), null=True, blank=True)
    comment = models.CharField(_("комментарий"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("мера поддержки проекта")
        verbose_name_plural = _("меры поддержки проекта")
        constraints = [models.UniqueConstraint(fields=["project", "measure"], name="project_measure_once")]

    def __str__(self) -> str:
        return f"{self.measure}: {self.get_status_display()}"


def _document_path(instance, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"projects/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class ProjectDocument(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents", verbose_name=_("проект"))
    kind = models.CharField(_("вид документа"), max_length=20, choices=DocumentKind.choices, default=DocumentKind.OTHER)
    title = models.CharField(_("название"), max_length=300, blank=True)
    file = models.FileField(_("файл"), upload_to=_document_path, max_length=300)
    original_name = models.CharField(_("имя файла"), max_length=255)
    content_type = models.CharField(_("тип содержимого"), max_length=100)
    size = models.PositiveBigIntegerField(_("размер, байт"))
    is_internal = models.BooleanField(
        _("внутренний"), default=False, help_text=_("Инвестор не видит внутренние документы.")
    )
    request = models.ForeignKey(
        "core.ParticipantRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("запрос участнику"),
    )
    uploaded_by = models.ForeignKey(USER, verbose_name=_("загрузил"), on_delete=models.SET_NULL, null=True)
    uploaded_at = models.DateTimeField(_("загружен"), default=timezone.now)

    class Meta:
        verbose_name = _("документ проекта")
        verbose_name_plural = _("документы проектов")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.title or self.original_name


class RoadmapItem(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="roadmap", verbose_name=_("проект"))
    title = models.CharField(_("пункт"), max_length=300)
    # raised by every change (core.services.projects.roadmap_item_save): a form sent from a stale page is refused
    version = models.PositiveIntegerField(_("версия"), default=0, editable=False)
    planned_start = models.DateField(_("плановое начало"))
    planned_end = models.DateField(_("плановое окончание"))
    baseline_start = models.DateField(_("начало по первому плану"), editable=False)
    baseline_end = models.DateField(_("окончание по первому плану"), editable=False)
    actual_end = models.DateField(_("фактическое окончание"), null=True, blank=True)
    responsible_user = models.ForeignKey(
        USER,
        verbose_name=_("ответственный"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="roadmap_items",
    )
    responsible_organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("ответственная организация"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="roadmap_items",
    )
    predecessors = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="successors", verbose_name=_("после пунктов")
    )
    status = models.CharField(_("статус"), max_length=16, choices=RoadmapStatus.choices, default=RoadmapStatus.PLANNED)
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)
    # the deadline warning already given, as "<deadline>:<step>": the sweep moves it on by a conditional update
    alert_level = models.CharField(_("предупреждение о сроке"), max_length=24, blank=True, editable=False)

    class Meta:
        verbose_name = _("пункт дорожной карты")
        verbose_name_plural = _("дорожная карта")
        ordering = ["order", "planned_start", "pk"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if self._state.adding:  # the first plan is kept when dates move later
            self.baseline_start = self.baseline_start if self.baseline_start else self.planned_start
            self.baseline_end = self.baseline_end if self.baseline_end else self.planned_end
        super().save(*args, **kwargs)

    @property
    def is_overdue(self) -> bool:
        return (
            self.actual_end is None and self.status != RoadmapStatus.DONE and self.planned_end < timezone.localdate()
        )


class Task(FSMModelMixin, models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, null=True, blank=True, related_name="tasks", verbose_name=_("проект")
    )
    roadmap_item = models.ForeignKey(
        RoadmapItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("пункт дорожной карты"),
    )
    title = models.CharField(_("задача"), max_length=300)
    description = models.TextField(_("описание"), blank=True)
    author = models.ForeignKey(USER, verbose_name=_("автор"), on_delete=models.PROTECT, related_name="tasks_created")
    assignee = models.ForeignKey(
        USER, verbose_name=_("исполнитель"), on_delete=models.PROTECT, related_name="tasks_assigned"
    )
    due_date = models.DateField(_("срок"), db_index=True)
    status = FSMField(_("статус"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.NEW, protected=True)
    created_at = models.DateTimeField(_("создана"), default=timezone.now)
    completed_at = models.DateTimeField(_("выполнена"), null=True, blank=True)
    result = models.TextField(_("результат"), blank=True)
    # the deadline warning already given, as "<deadline>:<step>": the sweep moves it on by a conditional update
    alert_level = models.CharField(_("предупреждение о сроке"), max_length=24, blank=True, editable=False)
    updated_at = models.DateTimeField(_("изменена"), auto_now=True)

    class Meta:
        verbose_name = _("задача")
        verbose_name_plural = _("задачи")
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.status in TaskStatus.open() and self.due_date < timezone.localdate()

    @transition(field=status, source=TaskStatus.NEW, target=TaskStatus.IN_WORK)
    def start(self) -> None:
        pass

    @transition(field=status, source=TaskStatus.open(), target=TaskStatus.DONE)
    def finish(self, *, result: str = "") -> None:
        self.result, self.completed_at = result, timezone.now()

    @transition(field=status, source=TaskStatus.open(), target=TaskStatus.CANCELLED)
    def cancel(self) -> None:
        self.completed_at = timezone.now()


class Meeting(models.Model):
    """A meeting or video call about a project, or about an appeal (then the project is the appeal's, if any)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("проект"), null=True, blank=True
    )
    appeal = models.ForeignKey(
        "core.Appeal", on_delete=models.CASCADE, related_name="meetings", verbose_name=_("обращение"), null=True,
        blank=True,
    )
    title = models.CharField(_("тема"), max_length=300)
    starts_at = models.DateTimeField(_("начало"), db_index=True)
    duration_minutes = models.PositiveSmallIntegerField(_("длительность, мин"), default=60)
    format = models.CharField(_("формат"), max_length=16, choices=MeetingFormat.choices, default=MeetingFormat.VIDEO)
    place = models.CharField(_("место"), max_length=300, blank=True)
    link = models.URLField(_("ссылка на ВКС"), blank=True)
    participants = models.ManyToManyField(USER, blank=True, related_name="meetings", verbose_name=_("участники"))
    organisations = models.ManyToManyField(
        "core.Organisation", blank=True, related_name="meetings", verbose_name=_("организации")
    )
    agenda = models.TextField(_("повестка"), blank=True)
    minutes = models.TextField(_("протокол"), blank=True)
    status = models.CharField(_("статус"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    sequence = models.PositiveIntegerField(_("версия"), default=0, editable=False)  # iCalendar SEQUENCE
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("встреча")
        verbose_name_plural = _("встречи")
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localtime(self.starts_at):%d.%m.%Y %H:%M})"


class RequestPeriod(models.Model):
    """How many days each kind of participant has to answer a request (seed: «до 7 дней»)."""

    kind = models.CharField(_("вид организации"), max_length=16, choices=OrganisationKind.choices, unique=True)
    days = models.PositiveSmallIntegerField(_("срок ответа, дней"), default=7)

    class Meta:
        verbose_name = _("срок ответа на запрос")
        verbose_name_plural = _("сроки ответов на запросы")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.days}"


class ParticipantRequest(models.Model):
    """A manager's request to a participant within a project (e.g. to a РСО: «возможность подключения»)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="requests", verbose_name=_("проект"))
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="requests", verbose_name=_("кому")
    )
    subject = models.CharField(_("тема"), max_length=300)
    text = models.TextField(_("текст запроса"))
    sent_at = models.DateTimeField(_("направлен"), default=timezone.now)
    due_date = models.DateField(_("ответить до"), db_index=True)
    status = models.CharField(_("статус"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.SENT)
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="requests_sent", verbose_name=_("автор"))
    answer_text = models.TextField(_("ответ"), blank=True)
    answered_at = models.DateTimeField(_("ответ получен"), null=True, blank=True)
    answered_by = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requests_answered",
        verbose_name=_("ответил"),
    )
    # the deadline warning already given, as "<deadline>:<step>": the sweep moves it on by a conditional update
    alert_level = models.CharField(_("предупреждение о сроке"), max_length=24, blank=True, editable=False)

    class Meta:
        verbose_name = _("запрос участнику системы")
        verbose_name_plural = _("запросы участникам системы")
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_overdue(self) -> bool:
        return self.status == RequestStatus.SENT and self.due_date < timezone.localdate()


class ProjectEvent(models.Model):
    """One line of the project history: who did what and when; the investor sees the public lines."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="events", verbose_name=_("проект"))
    kind = models.CharField(_("событие"), max_length=16, choices=ProjectEventKind.choices)
    name = models.CharField(_("действие"), max_length=50, blank=True)
    actor = models.ForeignKey(USER, verbose_name=_("кто"), on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(_("когда"), default=timezone.now, db_index=True)
    from_stage = models.CharField(_("было"), max_length=20, choices=ProjectStage.choices, blank=True)
    to_stage = models.CharField(_("стало"), max_length=20, choices=ProjectStage.choices, blank=True)
    text = models.TextField(_("текст"), blank=True)
    is_public = models.BooleanField(_("видно инвестору"), default=True)
    data = models.JSONField(_("подробности"), default=dict, blank=True)

    class Meta:
        verbose_name = _("событие проекта")
        verbose_name_plural = _("история проектов")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.project.registry_number}: {self.get_kind_display()}"


class CalendarFeed(models.Model):
    """A private, revocable address of a person's .ics feed (meetings and deadlines)."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("календарь пользователя")
        verbose_name_plural = _("календари пользователей")

    def __str__(self) -> str:
        return str(self.user)
