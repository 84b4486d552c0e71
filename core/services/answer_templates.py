"""Answer templates filled for one appeal, their usage, and FAQ entries taken from answered appeals.

Placeholders are words between percent signs — %инвестор%, %срок% — because a coordinator types «%» on the Russian
keyboard layout without switching to Latin (braces and square brackets need the switch). A word that is not a
known placeholder, or one whose value is empty for this appeal, stays in the text as typed and is reported, so the
person sees what to fill by hand. Values come only from what the person may see on the appeal's card.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.utils.translation import gettext as _

from core.models import AnswerTemplate, Appeal, FaqEntry, User
from core.selectors.visibility import projects_visible_to

PLACEHOLDER = re.compile(r"%([A-Za-zА-Яа-яЁё_]+)%")
PLACEHOLDERS = ("инвестор", "проект", "срок", "исполнитель", "менеджер", "номер", "тема")


@dataclass(frozen=True)
class RenderedTemplate:
    text: str
    unknown: tuple[str, ...]  # placeholders that are not in PLACEHOLDERS, left as typed
    empty: tuple[str, ...]  # known placeholders without a value for this appeal, left as typed


def _project_name(appeal: Appeal, user: User) -> str:
    if not appeal.project_id:
        return ""
    return projects_visible_to(user).filter(pk=appeal.project_id).values_list("name", flat=True).first() or ""


def _values(appeal: Appeal, user: User) -> dict[str, str]:
    return {
        "инвестор": appeal.organisation_name,
        "проект": _project_name(appeal, user),
        "срок": f"{appeal.deadline:%d.%m.%Y}",
        "исполнитель": appeal.executor_organisation.short_name if appeal.executor_organisation_id else "",
        "менеджер": appeal.manager.full_name if appeal.manager_id else "",
        "номер": str(appeal.number),
        "тема": appeal.subject,
    }


def answer_template_render(*, template: AnswerTemplate, appeal: Appeal, user: User) -> RenderedTemplate:
    """The template's text for this appeal as `user` would fill it in by hand."""
    values = _values(appeal, user)
    unknown: list[str] = []
    empty: list[str] = []

    def fill(match: re.Match) -> str:
        name = match.group(1).lower()
        if name not in values:
            unknown.append(match.group(0))
            return match.group(0)
        if not values[name]:
            empty.append(match.group(0))
            return match.group(0)
        return values[name]

    text = PLACEHOLDER.sub(fill, template.text)
    return RenderedTemplate(text=text, unknown=tuple(dict.fromkeys(unknown)), empty=tuple(dict.fromkeys(empty)))


def answer_template_record_use(*, template_id: int) -> None:
    """One more use: counted when a form that inserted the template was sent, in one conditional UPDATE."""
    AnswerTemplate.objects.filter(pk=template_id).update(usage_count=F("usage_count") + 1)


def faq_entry_create_from_appeal(*, appeal: Appeal, actor: User) -> FaqEntry:
    """An unpublished FAQ entry with the appeal's question and its last approved answer, for staff to edit (remove
    the investor's personal data) and publish by hand. Nothing is ever published here."""
    if not actor.has_perm("core.add_faqentry"):
        raise PermissionDenied(_("Добавлять частые вопросы могут координаторы и руководители."))
    answer = appeal.answers.order_by("-number").values_list("text", flat=True).first()
    if not answer:
        raise ValidationError(_("У обращения ещё нет согласованного ответа."))
    return FaqEntry.objects.create(
        category_id=appeal.fact.subcategory.category_id, question=f"{appeal.subject}\n\n{appeal.description}",
        answer=answer, source_appeal=appeal, created_by=actor, updated_by=actor,
    )
