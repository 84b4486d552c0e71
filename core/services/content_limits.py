"""Limits on what a person may write: the length of typed text, and per investor company a Moscow day the number
of appeals filed and comments written on the portal (settings COMPANY_*_PER_DAY). Counted from the database, so
they hold for every process; the doors call these checks, the forms show the same lengths as `maxlength`."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.choices import AppealEventKind
from core.formatting import format_integer
from core.models import Appeal, AppealEvent, Organisation

DESCRIPTION_MAX = 20_000  # an appeal's description
TEXT_MAX = 10_000  # a comment, an answer, a reason, a decision: any other typed text
LINE_MAX = 300  # a subject, a title, a place
TEXT_LIMITS = {"description": DESCRIPTION_MAX, "subject": LINE_MAX, "title": LINE_MAX, "place": LINE_MAX}


def text_limit(name: str) -> int:
    return TEXT_LIMITS.get(name, TEXT_MAX)


def text_length_check(**texts: str) -> None:
    """A Russian ValidationError on every field whose text is longer than its limit (other values are ignored)."""
    errors = {}
    for name, value in texts.items():
        limit = text_limit(name)
        if isinstance(value, str) and len(value.strip()) > limit:
            errors[name] = [ValidationError(
                _("Не больше %(limit)s символов, сейчас %(length)s: сократите текст или приложите его файлом."),
                code="text_too_long", params={"limit": format_integer(limit),
                                              "length": format_integer(len(value.strip()))},
            )]
    if errors:
        raise ValidationError(errors)


def _today_start() -> datetime:
    return timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)


def _lock(company: Organisation) -> None:
    """Two requests of one company count one after the other (the caller is inside its transaction)."""
    Organisation.objects.select_for_update().filter(pk=company.pk).first()


def company_appeal_quota_check(company: Organisation) -> None:
    """Appeals the company's people filed on the portal today; staff registrations are neither counted nor limited."""
    _lock(company)
    limit = settings.COMPANY_APPEALS_PER_DAY
    filed = Appeal.objects.filter(organisation=company, registered_by__isnull=True,
                                  created_at__gte=_today_start()).count()
    if filed >= limit:
        raise ValidationError(
            ngettext(
                "Сегодня от вашей компании уже подано %(count)s обращение — это предел в сутки. Завтра можно будет "
                "подать снова; срочный вопрос — позвоните персональному менеджеру.",
                "Сегодня от вашей компании уже подано %(count)s обращений — это предел в сутки. Завтра можно будет "
                "подать снова; срочный вопрос — позвоните персональному менеджеру.", filed,
            ), code="company_appeals_per_day", params={"count": filed},
        )


def company_comment_quota_check(company: Organisation) -> None:
    """Comments the company's own people wrote on its appeals today (staff comments are not counted)."""
    _lock(company)
    limit = settings.COMPANY_COMMENTS_PER_DAY
    written = AppealEvent.objects.filter(
        kind=AppealEventKind.COMMENT, name="comment", appeal__organisation=company, actor__organisation=company,
        created_at__gte=_today_start(),
    ).count()
    if written >= limit:
        raise ValidationError(
            {"text": [ValidationError(
                ngettext(
                    "Сегодня от вашей компании уже написан %(count)s комментарий — это предел в сутки. Завтра можно "
                    "будет написать снова; срочный вопрос — позвоните персональному менеджеру.",
                    "Сегодня от вашей компании уже написано %(count)s комментариев — это предел в сутки. Завтра можно "
                    "будет написать снова; срочный вопрос — позвоните персональному менеджеру.", written,
                ), code="company_comments_per_day", params={"count": written},
            )]}
        )
