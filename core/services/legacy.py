"""Appeals from the agency's previous system («Мои обращения (Старые)»): created once, with their own numbers,
dates, statuses and answers, and marked as legacy; new numbers then continue above the highest imported one.

The status is imported here (that is the point of legacy data), yet never set on a loaded appeal: the field is
protected, so it is given to the constructor of a new appeal, which django-fsm allows.
"""

from collections.abc import Iterable
from datetime import date, datetime

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.choices import AppealChannel, AppealEventKind, AppealStatus
from core.models import Appeal, AppealAnswer, AppealEvent, Fact, Organisation, User
from core.roles import Role
from core.services.deadlines import appeal_next_alert_at
from core.services.numbers import number_reserve_up_to
from core.workflows.appeals import NUMBER_COUNTER, appeal_deadline

SUBJECT_MAX = Appeal._meta.get_field("subject").max_length


def legacy_applicant_for(organisation: Organisation) -> User | None:
    """The company's first investor user: the applicant of an old appeal whose author is unknown."""
    return (
        User.objects.filter(organisation=organisation, groups__name=Role.INVESTOR.group_name)
        .order_by("date_joined", "pk")
        .first()
    )


def legacy_appeal_build(
    *,
    number: int | None,
    created_at: datetime | None,
    organisation: Organisation | None,
    fact: Fact | None,
    subject: str,
    status: str | None,
    applicant: User | None = None,
    description: str = "",
    deadline: date | None = None,
    answer_text: str = "",
    answered_at: datetime | None = None,
    rating: int | None = None,
    channel: str | None = None,
) -> Appeal:
    """A new, unsaved legacy appeal, or ValidationError with every problem of the row keyed by field. It was
    received when it was filed (the old system kept one date); the channel is the file's, else the portal."""
    errors: dict[str, list] = {}

    def add(field: str, message) -> None:
        errors.setdefault(field, []).append(message)

    if number is None:
        add("number", _("Укажите номер обращения."))
    elif Appeal.objects.filter(number=number).exists():
        add("number", gettext("Обращение №%(number)s уже есть в системе.") % {"number": number})
    if created_at is None:
        add("created_at", _("Укажите дату подачи обращения."))
    elif created_at > timezone.now():
        add("created_at", _("Дата подачи не может быть в будущем."))
    if organisation is None:
        add("organisation", _("Укажите ИНН компании-инвестора."))
    elif applicant is None:
        applicant = legacy_applicant_for(organisation)
        if applicant is None:
            add("applicant", gettext(
                "У компании с ИНН %(inn)s нет пользователей-инвесторов: укажите почту заявителя, "
                "зарегистрированного на портале."
            ) % {"inn": organisation.inn})
    elif applicant.organisation_id != organisation.pk:
        add("applicant", gettext("Пользователь %(email)s не представляет компанию с ИНН %(inn)s.")
            % {"email": applicant.email, "inn": organisation.inn})
    if fact is None:
        add("fact", _("Укажите код факта обращения."))
    subject = subject.strip()
    if not subject:
        add("subject", _("Укажите тему обращения."))
    elif len(subject) > SUBJECT_MAX:
        add("subject", gettext("Тема длиннее %(limit)s символов.") % {"limit": SUBJECT_MAX})
    if status is None:
        add("status", _("Укажите статус обращения."))
    if answered_at and created_at and answered_at < created_at:
        add("answered_at", _("Дата ответа раньше даты подачи."))
    if errors:
        raise ValidationError(errors)

    rejected = status == AppealStatus.REJECTED
    return Appeal(
        number=number,
        status=status,
        is_legacy=True,
        applicant=applicant,
        organisation=organisation,
        organisation_name=organisation.full_name or organisation.short_name,
        organisation_inn=organisation.inn,
        organisation_ogrn=organisation.ogrn,
        fact=fact,
        appeal_type=fact.appeal_type,
        subject=subject,
        description=description.strip(),
        created_at=created_at,
        received_at=created_at,
        channel=channel or AppealChannel.PORTAL,
        deadline=deadline or appeal_deadline(fact=fact, start=timezone.localdate(created_at)),
        answer_text="" if rejected else answer_text.strip(),
        rejection_reason=answer_text.strip() if rejected else "",
        answered_at=answered_at,
        rating=rating,
        # A closed appeal needs a closing moment for the reports; the old system kept only the answer's date.
        closed_at=(answered_at or created_at) if status in AppealStatus.closed() else None,
    )


def legacy_appeal_save(*, appeal: Appeal, actor: User | None) -> Appeal:
    """Store a built legacy appeal with one history row saying where it came from; its answer becomes round 1 (with
    its rating), as for the appeals answered before rounds were kept."""
    with transaction.atomic(), set_actor(actor):
        appeal.next_alert_at = appeal_next_alert_at(appeal)  # none: the sweep leaves legacy appeals alone
        appeal.save(force_insert=True)
        if appeal.answer_text:
            moment = appeal.answered_at or appeal.closed_at or appeal.created_at
            AppealAnswer.objects.create(
                appeal=appeal, number=1, text=appeal.answer_text, approved_at=moment, rating=appeal.rating,
                rated_at=moment if appeal.rating else None,
            )
        AppealEvent.objects.create(
            appeal=appeal,
            kind=AppealEventKind.IMPORTED,
            name="import",
            actor=actor,
            to_status=appeal.status,
            text=gettext("Обращение перенесено из прежней системы; подано %(date)s.")
            % {"date": f"{timezone.localtime(appeal.created_at):%d.%m.%Y}"},
        )
    return appeal


def legacy_numbers_reserve(*, numbers: Iterable[int]) -> None:
    """New appeals are numbered above every imported one, so an old number is never handed out again."""
    numbers = list(numbers)
    if numbers:
        number_reserve_up_to(name=NUMBER_COUNTER, value=max(numbers))
