"""Drafts from the optional language model (docs/documents.md, «Черновики с языковой моделью»).

Off unless LLM_URL names an OpenAI-compatible chat completions endpoint. «Составить черновик» on an appeal asks for an
answer built from the appeal, its fact, a fitting answer template and the approved answers of up to three similar
answered appeals (core.search.similar_appeals: the same fact first, then the closest words); «Черновик справки» on a
project asks for a summary of its stage, roadmap and latest history. A prompt holds only what the person who asked may
see (the same selectors as their pages), with phones and e-mail addresses masked; the text comes back marked as a
draft, and a person edits it and sends it themselves — nothing here sends anything anywhere.

The call runs in django-q2 (core.tasks.draft_run): DraftJob goes queued → running → done | failed; every failure
(timeout, refused connection, an error status, an answer that is not the API's JSON) is a Russian message on the
job, never an exception for the page.
"""

import json
import logging
import re
import urllib.error
import urllib.request

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from core.choices import DocumentTemplateKind
from core.models import Appeal, DraftJob, DraftKind, Project, User
from core.models.exports import ExportStatus
from core.search import similar_appeals
from core.selectors.answers import answer_templates_for_appeal
from core.selectors.appeals import appeal_get_for_user
from core.selectors.projects import project_get_for_user
from core.services.queue import enqueue_after_commit

log = logging.getLogger(__name__)

DRAFT_MARK = "Черновик, подготовлен автоматически — проверьте и исправьте перед отправкой."
SIMILAR_ANSWERS = 3  # answered appeals of the same fact quoted in the prompt
HISTORY_EVENTS = 15  # project history lines quoted in the prompt
TEXT_LIMIT = 4000  # characters of one quoted text (a long description is cut, the prompt stays bounded)

# +7 / 8 and ten digits with any of the usual separators: +7 (921) 123-45-67, 8 921 123 45 67, 89211234567,
# +7-812-123-45-67; and seven-digit city numbers written 123-45-67.
PHONE = re.compile(
    r"(?<![\w+])(?:\+7|8)[\s\-]*\(?\d{3}\)?[\s\-]*\d{3}[\s\-]*\d{2}[\s\-]*\d{2}(?!\d)"
    r"|(?<![\w\-])\d{3}-\d{2}-\d{2}(?![\w\-])"
)
EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+", re.UNICODE)

SYSTEM_ANSWER = (
    "Ты помогаешь сотруднику агентства по работе с инвесторами подготовить черновик ответа инвестору на русском "
    "языке. Пиши вежливо, по существу, без выдуманных фактов, сроков и обещаний; если данных не хватает, оставь "
    "в тексте пометку в квадратных скобках, что нужно дописать. Ответ — только текст письма."
)
SYSTEM_BRIEF = (
    "Ты помогаешь сотруднику агентства по работе с инвесторами подготовить краткую справку о ходе инвестиционного "
    "проекта на русском языке: текущий этап, что сделано, что просрочено или ждёт решения, ближайшие шаги. Пиши "
    "деловым языком, без выдуманных фактов. Ответ — только текст справки."
)


class DraftError(Exception):
    """The model could not write the draft; the message is for the person."""


def llm_enabled() -> bool:
    return bool(settings.LLM_URL)


def mask_personal_data(text: str) -> str:
    """Phones and e-mail addresses out of a text that goes to the model."""
    return PHONE.sub("[телефон]", EMAIL.sub("[e-mail]", text))


def _cut(text: str) -> str:
    text = (text or "").strip()
    return text if len(text) <= TEXT_LIMIT else text[:TEXT_LIMIT] + "…"


# --- who may ask -----------------------------------------------------------------------------------------------
def may_draft_answer(appeal: Appeal, user: User) -> bool:
    """The appeal's answer may be drafted by whoever the door lets prepare it now, while the model is on."""
    from core.workflows.appeals import appeal_actions_for

    return llm_enabled() and any(action.name == "submit_for_approval"
                                 for action in appeal_actions_for(appeal=appeal, user=user))


def may_draft_brief(user: User) -> bool:
    """A project's brief may be drafted by the staff who see the project (the caller fetched it for them)."""
    from core.selectors.visibility import is_staff_member

    return llm_enabled() and is_staff_member(user)


# --- prompts ---------------------------------------------------------------------------------------------------
def appeal_prompt(*, appeal: Appeal, user: User) -> str:
    """The appeal as `user` sees it: subject, description, fact and category, a fitting template, and the last
    approved answers of up to SIMILAR_ANSWERS answered appeals `user` may see, the closest first
    (core.search.similar_appeals, as «Похожие обращения» on the card). No comments, no internal lines."""
    from core.services.answer_templates import answer_template_render

    fact = appeal.fact
    parts = [
        _("Обращение № %(number)s.") % {"number": appeal.number},
        _("Тема: %(subject)s") % {"subject": appeal.subject},
        _("Описание:\n%(text)s") % {"text": _cut(appeal.description)},
        _("Факт: %(fact)s; категория: %(category)s; подкатегория: %(subcategory)s")
        % {"fact": fact.name, "category": fact.subcategory.category.name, "subcategory": fact.subcategory.name},
    ]
    template = answer_templates_for_appeal(appeal).first()
    if template is not None:
        rendered = answer_template_render(template=template, appeal=appeal, user=user)
        parts.append(_("Шаблон ответа «%(title)s»:\n%(text)s") % {"title": template.title,
                                                                   "text": _cut(rendered.text)})
    # the closest answered appeals the user may open (core.search: the same fact first, then by their words)
    for number, similar in enumerate(similar_appeals(appeal=appeal, user=user, limit=SIMILAR_ANSWERS), start=1):
        parts.append(_("Согласованный ответ на похожее обращение %(n)s:\n%(text)s")
                     % {"n": number, "text": _cut(similar.answer_text)})
    parts.append(_("Составь черновик ответа инвестору на это обращение."))
    return mask_personal_data("\n\n".join(parts))


def project_prompt(*, project: Project, user: User) -> str:
    """The project as `user` sees it on its page: passport lines, stage, roadmap, open appeals and the latest
    HISTORY_EVENTS history lines (core.documents.briefs.document_filling reads them with the user's rights)."""
    from core.documents.briefs import document_filling

    filling = document_filling(kind=DocumentTemplateKind.BRIEF, project=project, user=user)
    values, lists = filling.values, filling.lists
    parts = [
        _("Проект № %(number)s «%(name)s», инвестор: %(investor)s.") % {
            "number": values["проект.номер"], "name": values["проект.название"], "investor": values["проект.инвестор"]},
        _("Этап: %(stage)s. Район: %(district)s. Отрасль: %(industry)s.") % {
            "stage": values["проект.этап"], "district": values["проект.район"], "industry": values["проект.отрасль"]},
        _("Объём инвестиций: %(volume)s; рабочих мест: %(jobs)s; начало строительства: %(start)s; ввод: %(launch)s.")
        % {"volume": values["проект.объём_инвестиций"], "jobs": values["проект.рабочих_мест"],
           "start": values["проект.начало_строительства"], "launch": values["проект.ввод"]},
        _("Описание:\n%(text)s") % {"text": _cut(values["проект.описание"])},
    ]
    if lists["дорожная_карта"]:
        parts.append(_("Дорожная карта:") + "\n" + "\n".join(
            f"{row['номер']}. {row['пункт']} — {row['срок']}, {row['статус']}" for row in lists["дорожная_карта"]))
    if lists["обращения"]:
        parts.append(_("Открытые обращения:") + "\n" + "\n".join(
            f"№{row['номер']} «{row['тема']}» — {row['статус']}, срок {row['срок']}" for row in lists["обращения"]))
    history = lists["история"][:HISTORY_EVENTS]
    if history:
        parts.append(_("Последние события (новые сверху):") + "\n" + "\n".join(
            f"{row['когда']} · {row['событие']}: {_cut(row['текст'])}" for row in history))
    parts.append(_("Составь краткую справку о ходе проекта."))
    return mask_personal_data("\n\n".join(parts))


# --- the call --------------------------------------------------------------------------------------------------
def chat_complete(*, system: str, prompt: str) -> str:
    """POST {model, messages, temperature} to <LLM_URL>/chat/completions; choices[0].message.content."""
    body = json.dumps({
        "model": settings.LLM_MODEL, "temperature": 0.3,
        "messages": [{"role": "system", "content": system}, {"role": "user", "content": prompt}],
    }).encode()
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if settings.LLM_API_KEY:
        headers["Authorization"] = f"Bearer {settings.LLM_API_KEY}"
    request = urllib.request.Request(f"{settings.LLM_URL}/chat/completions", data=body, headers=headers,
                                     method="POST")
    try:
        with urllib.request.urlopen(request, timeout=settings.LLM_TIMEOUT_SECONDS) as response:
            raw = response.read()
    except urllib.error.HTTPError as error:
        raise DraftError(_("Языковая модель ответила ошибкой (код %(code)s). Попробуйте позже или подготовьте "
                           "текст вручную.") % {"code": error.code}) from error
    except TimeoutError as error:
        raise DraftError(_("Языковая модель не ответила за %(seconds)s с. Попробуйте позже или подготовьте текст "
                           "вручную.") % {"seconds": settings.LLM_TIMEOUT_SECONDS}) from error
    except (urllib.error.URLError, OSError) as error:
        if isinstance(getattr(error, "reason", None), TimeoutError):
            raise DraftError(_("Языковая модель не ответила за %(seconds)s с. Попробуйте позже или подготовьте "
                               "текст вручную.") % {"seconds": settings.LLM_TIMEOUT_SECONDS}) from error
        raise DraftError(_("Не удалось связаться с языковой моделью. Попробуйте позже или подготовьте текст "
                           "вручную.")) from error
    try:
        content = json.loads(raw)["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError) as error:
        raise DraftError(_("Языковая модель прислала ответ в непонятном виде. Попробуйте позже или подготовьте "
                           "текст вручную.")) from error
    if not isinstance(content, str) or not content.strip():
        raise DraftError(_("Языковая модель прислала пустой ответ. Попробуйте позже или подготовьте текст вручную."))
    return content.strip()


# --- the job ---------------------------------------------------------------------------------------------------
def draft_job_create(*, kind: str, obj: Appeal | Project, user: User) -> DraftJob:
    """Ask for a draft of `obj` (fetched for `user` already); the q2 task starts once this transaction commits."""
    allowed = may_draft_answer(obj, user) if kind == DraftKind.APPEAL_ANSWER else may_draft_brief(user)
    if not allowed:
        raise PermissionDenied(_("Черновик здесь составить нельзя."))
    job = DraftJob.objects.create(kind=kind, object_id=obj.pk, user=user)
    enqueue_after_commit("core.tasks.draft_run", job.pk)
    return job


def draft_job_run(job_id: int) -> DraftJob | None:
    """Write the job's draft: rebuild the prompt with its owner's rights now, call the model, store the marked text
    or the Russian reason it failed. A finished job is left alone."""
    job = DraftJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None or job.status in (ExportStatus.DONE, ExportStatus.FAILED):
        return job
    DraftJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING)
    try:
        if not llm_enabled():
            raise DraftError(_("Языковая модель отключена в настройках."))
        try:
            if job.kind == DraftKind.APPEAL_ANSWER:
                obj = appeal_get_for_user(user=job.user, pk=job.object_id)
                system, prompt = SYSTEM_ANSWER, appeal_prompt(appeal=obj, user=job.user)
            else:
                obj = project_get_for_user(user=job.user, pk=job.object_id)
                system, prompt = SYSTEM_BRIEF, project_prompt(project=obj, user=job.user)
        except (Appeal.DoesNotExist, Project.DoesNotExist) as gone:
            raise DraftError(_("Обращение или проект больше недоступны.")) from gone
        job.text = f"{DRAFT_MARK}\n\n{chat_complete(system=system, prompt=prompt)}"
        job.status, job.error = ExportStatus.DONE, ""
    except DraftError as error:
        job.status, job.error = ExportStatus.FAILED, str(error)
    except Exception:
        log.exception("draft job %s failed", job.pk)
        job.status, job.error = ExportStatus.FAILED, _("Не удалось составить черновик из-за внутренней ошибки. "
                                                       "Подготовьте текст вручную.")
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "text", "error", "finished_at"])
    return job


def draft_job_for_user(*, user: User, pk: int) -> DraftJob:
    """One of the person's own jobs (DraftJob.DoesNotExist otherwise: the pages answer 404)."""
    return DraftJob.objects.get(pk=pk, user=user)


def draft_job_latest(*, user: User, kind: str, object_id: int) -> DraftJob | None:
    return DraftJob.objects.filter(user=user, kind=kind, object_id=object_id).order_by("-created_at", "-pk").first()
