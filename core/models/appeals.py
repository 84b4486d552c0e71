"""The appeal of the feedback mechanism (МОС): the request, its roles, deadline, answer and history."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Func, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from core.choices import AppealChannel, AppealEventKind, AppealStatus, FileKind

S = AppealStatus
_WORKING = [S.ASSIGNED, S.REDIRECTED, S.IN_WORK]


class Counter(models.Model):
    """Monotonic numbers (appeal #724): taken under a row lock, never handed out twice, never reused."""

    name = models.SlugField(primary_key=True, max_length=50)
    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("счётчик номеров")
        verbose_name_plural = _("счётчики номеров")

    def __str__(self) -> str:
        return f"{self.name}: {self.value}"


class MoscowDate(Func):
    """The Moscow calendar date of a moment, in SQL a generated column may hold (the Moscow date per row was a
    Python function on SQLite: TruncDate with a time zone has no SQL there). SQLite adds Moscow's UTC+3, its offset
    since 26.10.2014; an older moment at night (legacy data) may fall a day off there, never on PostgreSQL."""

    arity = 1
    output_field = models.DateField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="((%(expressions)s AT TIME ZONE 'Europe/Moscow'))::date",
                           **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="date(%(expressions)s, '+3 hours')", **extra)


class Appeal(FSMModelMixin, models.Model):
    number = models.PositiveBigIntegerField(_("номер"), unique=True, editable=False)
    # the investor's user who filed it on the portal; empty when staff registered an appeal that came by phone,
    # letter, visit… (then the contact below is the person to answer)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("заявитель"), on_delete=models.PROTECT, related_name="appeals",
        null=True, blank=True,
    )
    channel = models.CharField(
        _("канал поступления"), max_length=16, choices=AppealChannel.choices, default=AppealChannel.PORTAL,
        db_index=True,
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("зарегистрировал"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="appeals_registered",
    )
    contact_name = models.CharField(_("контактное лицо"), max_length=300, blank=True)
    contact_email = models.EmailField(_("e-mail контактного лица"), blank=True)
    contact_phone = models.CharField(_("телефон контактного лица"), max_length=32, blank=True)
    # the message's number on the federal feedback platform (ПОС, Госуслуги) for an appeal imported from it:
    # unique when given (core.services.pos), searched in the cabinet list and written back in the answers file
    pos_number = models.CharField(_("номер в ПОС"), max_length=32, blank=True, default="")
    organisation = models.ForeignKey(
        "core.Organisation", verbose_name=_("инвестор"), on_delete=models.PROTECT, related_name="appeals"
    )
    # The investor as written in the appeal (seed: «Название организации», «ИНН»), kept even if the
    # company's card changes later.
    organisation_name = models.CharField(_("название организации"), max_length=500)
    organisation_inn = models.CharField(_("ИНН"), max_length=12)
    organisation_ogrn = models.CharField(_("ОГРН"), max_length=15, blank=True)
    project = models.ForeignKey(
        "core.Project", verbose_name=_("проект"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="appeals",
    )
    fact = models.ForeignKey(
        "core.Fact", verbose_name=_("факт обращения"), on_delete=models.PROTECT, related_name="appeals"
    )
    appeal_type = models.ForeignKey(
        "core.AppealType", verbose_name=_("тип обращения"), on_delete=models.PROTECT, related_name="appeals"
    )
    subject = models.CharField(_("тема обращения"), max_length=300)
    description = models.TextField(_("описание"))
    to_director = models.BooleanField(_("письмо директору"), default=False)
    created_at = models.DateTimeField(_("создано"), default=timezone.now, db_index=True)
    # when the agency received it: the deadline counts from this moment (the filing time on the portal)
    received_at = models.DateTimeField(_("поступило"), default=timezone.now, db_index=True)
    deadline = models.DateField(_("ответить до"), db_index=True)
    status = FSMField(
        _("статус"), max_length=20, choices=AppealStatus.choices, default=S.MODERATION, protected=True, db_index=True
    )
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("руководитель"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appeals_as_head",
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("координатор"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appeals_as_coordinator",
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("менеджер"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appeals_as_manager",
    )
    executor_organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("исполнитель"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals_to_execute",
    )
    # the answer being prepared (the draft the head approves); each approved answer becomes an AppealAnswer round,
    # and the fields below mirror the last round for lists and reports
    answer_text = models.TextField(_("ответ"), blank=True)
    answered_at = models.DateTimeField(_("ответ направлен"), null=True, blank=True)
    # its Moscow date, kept by the database from answered_at whoever writes it (the door, imports, the data set);
    # an instance just saved still holds the old value until refresh_from_db
    answered_on = models.GeneratedField(
        verbose_name=_("дата ответа"), expression=MoscowDate("answered_at"), output_field=models.DateField(),
        db_persist=True,
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ответ подготовил"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appeals_answered",
    )
    rating = models.PositiveSmallIntegerField(
        _("оценка"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.TextField(_("комментарий к оценке"), blank=True)
    rework_count = models.PositiveSmallIntegerField(_("возвратов на доработку"), default=0)
    # an executor body that approves its own answers first (Organisation.approves_own_answers): its head's «да»
    executor_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("согласовал исполнитель"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )
    executor_approved_at = models.DateTimeField(_("согласовано исполнителем"), null=True, blank=True)
    rejection_reason = models.TextField(_("причина отклонения"), blank=True)
    closed_at = models.DateTimeField(_("закрыто"), null=True, blank=True)
    is_legacy = models.BooleanField(_("из прежней системы"), default=False)
    # the deadline warning already given, as "<deadline>:<step>": the sweep moves it on by a conditional update
    alert_level = models.CharField(_("предупреждение о сроке"), max_length=24, blank=True, editable=False)
    # when the sweep gives the next step of that ladder (core.services.deadlines.appeal_next_alert_at), kept by
    # whoever writes the deadline, the status or alert_level; empty when no step is pending (closed, legacy, done)
    next_alert_at = models.DateTimeField(_("следующее предупреждение о сроке"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)

    class Meta:
        verbose_name = _("обращение")
        verbose_name_plural = _("обращения")
        ordering = ["-number"]
        indexes = [
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["executor_organisation", "status"]),
            models.Index(fields=["organisation_inn"], name="appeal_organisation_inn"),  # the search by ИНН
            # a status filter in the list's order, without sorting every appeal of that status
            models.Index(fields=["status", "number"], name="appeal_status_number"),
            # the open appeals by deadline: the dashboard's most overdue and the «Просрочены» filter, without
            # walking the deadlines of the closed ones
            models.Index(fields=["deadline", "number"], condition=Q(status__in=AppealStatus.open()),
                         name="appeal_open_deadline"),
            # the deadline sweep's «whose next warning is due»: only the appeals with a step pending
            models.Index(fields=["next_alert_at"], condition=Q(next_alert_at__isnull=False),
                         name="appeal_next_alert_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="appeal_rating_1_5"
            ),
            # one appeal per ПОС message; its index also serves the search by that number
            models.UniqueConstraint(fields=["pos_number"], condition=~Q(pos_number=""),
                                    name="appeal_pos_number_unique"),
        ]

    def __str__(self) -> str:
        return f"№{self.number} {self.subject}"

    @property
    def is_overdue(self) -> bool:
        return self.status in AppealStatus.open() and self.deadline < timezone.localdate()

    @property
    def days_left(self) -> int:
        return (self.deadline - timezone.localdate()).days

    # Transitions change the object in memory only; core.workflows.appeals is the door that saves them.
    @transition(field=status, source=S.MODERATION, target=S.REJECTED)
    def reject(self, *, reason: str) -> None:
        self.rejection_reason = reason
        self.closed_at = timezone.now()

    @transition(field=status, source=S.MODERATION, target=S.ASSIGNED)
    def assign(self, *, executor_organisation, manager, head, coordinator) -> None:
        self.executor_organisation, self.manager, self.head = executor_organisation, manager, head
        self.coordinator = coordinator

    @transition(field=status, source=[*_WORKING, S.CLARIFICATION], target=S.REDIRECTED)
    def redirect(self, *, executor_organisation, manager) -> None:
        self.executor_organisation, self.manager = executor_organisation, manager

    @transition(field=status, source=[S.ASSIGNED, S.REDIRECTED], target=S.IN_WORK)
    def take_into_work(self) -> None:
        pass

    @transition(field=status, source=_WORKING, target=S.CLARIFICATION)
    def request_clarification(self) -> None:
        pass

    @transition(field=status, source=S.CLARIFICATION, target=S.IN_WORK)
    def provide_clarification(self) -> None:
        pass

    @transition(field=status, source=S.IN_WORK, target=S.APPROVAL)
    def submit_for_approval(self, *, answer_text: str, author) -> None:
        self.answer_text, self.answered_by = answer_text, author

    @transition(field=status, source=S.APPROVAL, target=S.ANSWERED)
    def approve(self, *, approver) -> None:
        self.answered_at = timezone.now()
        self.rating, self.rating_comment = None, ""  # the new round is not rated yet
        self.executor_approved_by, self.executor_approved_at = None, None

    @transition(field=status, source=S.APPROVAL, target=S.IN_WORK)
    def return_to_executor(self) -> None:
        self.executor_approved_by, self.executor_approved_at = None, None

    @transition(field=status, source=S.ANSWERED, target=S.IN_WORK)
    def send_back_for_rework(self) -> None:
        self.rework_count += 1
        self.answered_at = None

    @transition(field=status, source=S.ANSWERED, target=S.RESOLVED)
    def close_resolved(self) -> None:
        self.closed_at = timezone.now()

    @transition(field=status, source=S.ANSWERED, target=S.NOT_RESOLVED)
    def close_not_resolved(self) -> None:
        self.closed_at = timezone.now()

    @transition(field=status, source=S.ANSWERED, target=S.POSTPONED)
    def close_postponed(self) -> None:
        self.closed_at = timezone.now()

    @transition(field=status, source=S.ANSWERED, target=S.DECLINED)
    def close_declined(self) -> None:
        self.closed_at = timezone.now()


class AppealEvent(models.Model):
    """One line of the appeal's history (seed #737): who, when, from/to status, text, public or internal."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="events", verbose_name=_("обращение"))
    kind = models.CharField(_("событие"), max_length=32, choices=AppealEventKind.choices)
    name = models.CharField(_("действие"), max_length=50, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appeal_events",
    )
    created_at = models.DateTimeField(_("когда"), default=timezone.now, db_index=True)
    from_status = models.CharField(_("было"), max_length=20, choices=AppealStatus.choices, blank=True)
    to_status = models.CharField(_("стало"), max_length=20, choices=AppealStatus.choices, blank=True)
    text = models.TextField(_("текст"), blank=True)
    is_public = models.BooleanField(_("видно инвестору"), default=True)
    data = models.JSONField(_("подробности"), default=dict, blank=True)

    class Meta:
        verbose_name = _("событие обращения")
        verbose_name_plural = _("история обращений")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"№{self.appeal.number}: {self.get_kind_display()}"


class AppealAnswer(models.Model):
    """One approved answer (round 1, 2, …): its text, files, approver, the investor's rating and, if the
    investor sent it back, the rework reason. The appeal's rating is its last round's."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="answers", verbose_name=_("обращение"))
    number = models.PositiveSmallIntegerField(_("раунд"))
    text = models.TextField(_("текст ответа"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("подготовил"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("согласовал"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("ответ направлен"), db_index=True)
    rating = models.PositiveSmallIntegerField(
        _("оценка"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.TextField(_("комментарий к оценке"), blank=True)
    rated_at = models.DateTimeField(_("оценено"), null=True, blank=True)
    rework_reason = models.TextField(_("причина возврата на доработку"), blank=True)
    sent_back_at = models.DateTimeField(_("возвращено на доработку"), null=True, blank=True)

    class Meta:
        verbose_name = _("ответ (раунд)")
        verbose_name_plural = _("ответы по раундам")
        ordering = ["appeal", "number"]
        constraints = [
            models.UniqueConstraint(fields=["appeal", "number"], name="appeal_answer_round_once"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="appeal_answer_rating_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"№{self.appeal.number}, ответ {self.number}"


class AppealEscalation(models.Model):
    """The appeal taken to the interdepartmental working group (МРГ): session, decision, follow-up deadline."""

    appeal = models.ForeignKey(
        Appeal, on_delete=models.CASCADE, related_name="escalations", verbose_name=_("обращение")
    )
    session_date = models.DateField(_("дата заседания МРГ"), db_index=True)
    decision = models.TextField(_("решение МРГ"))
    follow_up_deadline = models.DateField(_("срок исполнения решения"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("внёс"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("создано"), default=timezone.now)

    class Meta:
        verbose_name = _("вынесение на МРГ")
        verbose_name_plural = _("вынесения на МРГ")
        ordering = ["session_date", "pk"]

    def __str__(self) -> str:
        return f"№{self.appeal.number}: МРГ {self.session_date:%d.%m.%Y}"


def _private_path(instance: "AppealFile", filename: str) -> str:
    """A random name outside any public URL; the original name lives in the row."""
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"appeals/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class AppealFile(models.Model):
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="files", verbose_name=_("обращение"))
    event = models.ForeignKey(
        AppealEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="files", verbose_name=_("событие")
    )
    kind = models.CharField(_("вид"), max_length=16, choices=FileKind.choices, default=FileKind.REQUEST)
    answer = models.ForeignKey(
        AppealAnswer, on_delete=models.SET_NULL, null=True, blank=True, related_name="files", verbose_name=_("раунд")
    )
    file = models.FileField(_("файл"), upload_to=_private_path, max_length=300)
    original_name = models.CharField(_("имя файла"), max_length=255)
    content_type = models.CharField(_("тип содержимого"), max_length=100)
    size = models.PositiveBigIntegerField(_("размер, байт"))
    is_public = models.BooleanField(_("видно инвестору"), default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("загрузил"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="appeal_files",
    )
    uploaded_at = models.DateTimeField(_("загружен"), default=timezone.now)

    class Meta:
        verbose_name = _("файл обращения")
        verbose_name_plural = _("файлы обращений")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name
