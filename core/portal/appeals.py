"""The investor's appeals: «Мои обращения», «Создать обращение», «Написать директору», the appeal page and its
actions, downloads and «Мои обращения (Старые)». Reads go through core.selectors.appeals, every change through
core.workflows.appeals; these views only adapt."""

from datetime import date, datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from core.choices import APPEAL_ROLES, AppealEventKind, AppealStatus, FileKind, MeetingStatus
from core.documents.appeal_docx import appeal_card_docx
from core.documents.ics import meeting_ics
from core.documents.project_docx import DOCX_CONTENT_TYPE
from core.filters.appeals import AppealFilterSet
from core.forms import hold_uploads
from core.http import calendar_response, private_file_response
from core.models import Appeal, AppealAnswer, AppealFile, Project
from core.portal.appeal_forms import ACTION_FORMS, ROUND_ACTIONS, AppealForm, classifier_active
from core.portal.forms import add_service_errors
from core.portal.list_filters import list_filter, marked
from core.portal.views import CabinetView, InvestorRequiredMixin
from core.selectors.appeals import (
    LIST_RELATED,
    appeal_card_for,
    appeal_file_get_for_user,
    appeal_files_for,
    appeal_get_for_user,
    appeal_history_for,
    appeal_list,
    appeal_meetings_for,
    appeal_rounds_for,
)
from core.selectors.projects import project_list_for_user
from core.services.notifications import notices_seen
from core.workflows.appeals import (
    AppealConflict,
    appeal_actions_for,
    appeal_submit,
    appeal_transition,
)

PAGE_SIZE = 20
# «Мои обращения»'s filter form: the fields of AppealFilterSet it offers, a search box with its placeholder
FILTER_FIELDS = {"status__exact": "", "q": _("Номер или слова из обращения")}
ACTION_DONE = {
    "provide_clarification": _("Ответ на уточнение отправлен исполнителю."),
    "comment": _("Комментарий добавлен."),
    "rate": _("Спасибо за оценку ответа."),
    "send_back_for_rework": _("Обращение отправлено на доработку."),
}
# Titles of history rows whose new status alone would not say what happened.
EVENT_TITLES = {
    "provide_clarification": _("Ответ инвестора на уточнение"),
    "send_back_for_rework": _("Обращение отправлено на доработку"),
}


def _badge(appeal: Appeal) -> Appeal:
    appeal.status_colour = AppealStatus.colour(appeal.status)
    return appeal


def _may_file(user) -> bool:
    return bool(user.organisation_id and user.membership_confirmed)


# --- lists ---------------------------------------------------------------------------------------------------
class AppealListView(CabinetView):
    """«Мои обращения»: the company's appeals, newest first, a page at a time (queries do not grow with it), filtered
    by status and searched by number or words (core.filters.appeals.AppealFilterSet through appeal_list: the
    full-text search of core.search)."""

    template_name = "portal/appeal_list.html"
    section = "appeals"
    legacy = False

    def get_context_data(self, **kwargs):
        found = list_filter(self.request, select=appeal_list, filterset=AppealFilterSet, fields=FILTER_FIELDS)
        appeals = Appeal.objects.none() if found.rows is None else found.rows.filter(is_legacy=self.legacy)
        page = Paginator(appeals.select_related(*LIST_RELATED), PAGE_SIZE).get_page(self.request.GET.get("page"))
        page.object_list = [_badge(appeal) for appeal in page.object_list]
        marked(page.object_list, "subject", found.form.data.get("q", ""))
        return super().get_context_data(
            page=page, legacy=self.legacy, may_file=_may_file(self.request.user), list_filter=found, **kwargs
        )


class LegacyAppealListView(AppealListView):
    section = "legacy-appeals"
    legacy = True


# --- filing --------------------------------------------------------------------------------------------------
class AppealCreateView(InvestorRequiredMixin, View):
    """«Создать обращение» (and «Написать директору»). Without JavaScript the selects narrow by a reload:
    GET ?category=…&subcategory=… or a «Показать …» button that posts `step` and only re-shows the form."""

    to_director = False

    def get(self, request):
        return self.render_form(self.fresh_form(request.GET))

    def post(self, request):
        if not _may_file(request.user):
            return self.render_form(None)
        if "step" in request.POST:  # the files chosen so far are kept (core.services.held_uploads)
            sent = AppealForm(request.POST, request.FILES, classifier=classifier_active(), projects=self.projects(),
                              company_name=self.company_name())
            return self.render_form(self.fresh_form(request.POST, files=hold_uploads(sent)))
        form = AppealForm(request.POST, request.FILES, classifier=classifier_active(), projects=self.projects(),
                          company_name=self.company_name())
        if form.is_valid():
            try:
                appeal = appeal_submit(applicant=request.user, to_director=self.to_director, **form.submit_data())
            except ValidationError as error:
                add_service_errors(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    gettext("Обращение №%(number)s зарегистрировано. Ответ будет дан до %(date)s.")
                    % {"number": appeal.number, "date": f"{appeal.deadline:%d.%m.%Y}"},
                )
                return redirect("portal:appeal_detail", appeal.pk)
        return self.render_form(form)

    def fresh_form(self, source, *, files: list | None = None) -> AppealForm:
        """An unchecked form: the company's name and ИНН, overridden by what the investor already chose or typed,
        and the files already received."""
        company = self.request.user.organisation
        initial = {"organisation_inn": company.inn} if company else {}
        initial.update({key: source[key] for key in AppealForm.base_fields
                        if key in source and key not in ("files", "organisation_name")})
        if files:
            initial["files"] = files
        return AppealForm(initial=initial, classifier=classifier_active(), projects=self.projects(),
                          company_name=self.company_name())

    def company_name(self) -> str:
        company = self.request.user.organisation
        return company.full_name if company else ""

    def projects(self) -> QuerySet[Project]:
        """The company's projects an appeal may be about (appeal_submit checks the company again)."""
        return project_list_for_user(self.request.user)

    def render_form(self, form: AppealForm | None) -> HttpResponse:
        allowed = _may_file(self.request.user)
        return render(
            self.request,
            "portal/appeal_form.html",
            {
                "form": form if allowed else None,
                "classifier": form.classifier.tree if allowed and form else [],
                "to_director": self.to_director,
                "action": reverse("portal:appeal_director" if self.to_director else "portal:appeal_create"),
            },
        )


# --- the appeal page -----------------------------------------------------------------------------------------
def _who(actor, appeal: Appeal, user) -> str:
    if actor is None:
        return gettext("Система")
    name = actor.full_name or actor.email
    if actor.pk == user.pk:
        return gettext("%(name)s (вы)") % {"name": name}
    if actor.organisation_id and actor.organisation_id != appeal.organisation_id:
        return f"{name}, {actor.organisation.short_name}"
    return name


def _day(value: str) -> str:
    return f"{date.fromisoformat(value):%d.%m.%Y}" if value else ""


def _details(event) -> list[str]:
    data = event.data or {}
    if event.kind == AppealEventKind.DEADLINE_EXTENDED:
        return [gettext("Новый срок: %(new)s (был %(old)s)") % {
            "new": _day(data.get("new_deadline")), "old": _day(data.get("old_deadline"))}]
    if event.kind == AppealEventKind.RECLASSIFIED:
        return [gettext("Факт обращения: %(old)s → %(new)s. Срок ответа — до %(date)s") % {
            "old": data.get("old_fact"), "new": data.get("new_fact"), "date": _day(data.get("new_deadline"))}]
    if event.kind == AppealEventKind.RATED:
        line = gettext("Оценка: %(rating)s из 5") % {"rating": data.get("rating")}
        if data.get("round"):
            line += " · " + gettext("ответ %(number)s") % {"number": data["round"]}
        return [line]
    if data.get("executor_organisation"):
        return [gettext("Исполнитель: %(organisation)s") % {"organisation": data["executor_organisation"]}]
    return []


def _timeline(appeal: Appeal, user, files: list[AppealFile]) -> list[dict]:
    """The public history as plain rows for the template: who, when, what changed, the text and its files."""
    by_event: dict[int, list[AppealFile]] = {}
    for file in files:
        if file.kind == FileKind.COMMENT:
            by_event.setdefault(file.event_id, []).append(file)
    rows = []
    for event in appeal_history_for(appeal=appeal, user=user):
        changed = event.kind == AppealEventKind.TRANSITION and event.from_status != event.to_status
        title = EVENT_TITLES.get(event.name)
        rows.append({
            "event": event,
            "who": _who(event.actor, appeal, user),
            # A status change is titled by the new status, unless a title of its own says more.
            "title": title or (event.get_to_status_display() if changed else event.get_kind_display()),
            "was": event.get_from_status_display() if changed else "",
            "now": event.get_to_status_display() if changed and title else "",
            "is_answer": event.name == "approve",
            "details": _details(event),
            "files": by_event.get(event.pk, []),
        })
    return rows


class AppealDetailView(InvestorRequiredMixin, View):
    """The appeal: request, files, answer, public history and the forms of the actions allowed now."""

    legacy = False

    def get(self, request, pk):
        appeal = self.get_appeal()
        notices_seen(user=request.user, obj=appeal)  # its notices are read: the bell counts what is still new
        return self.render_page(appeal)

    def get_appeal(self) -> Appeal:
        try:
            appeal = appeal_get_for_user(user=self.request.user, pk=self.kwargs["pk"])
        except Appeal.DoesNotExist:
            raise Http404 from None
        if appeal.is_legacy != self.legacy:
            raise Http404
        return _badge(appeal)

    def render_page(self, appeal: Appeal, *, keep=None, status: int = 200) -> HttpResponse:
        """`keep` = (action name, form) to show a posted form again with its errors or its typed text."""
        user = self.request.user
        version = appeal.updated_at.isoformat()
        allowed = {} if appeal.is_legacy else {
            action.name: action for action in appeal_actions_for(appeal=appeal, user=user)}

        def form_for(name: str, *, prefix: str, round_number: int | None = None, kept: bool = False):
            initial = {"version": version}
            if round_number:
                initial["round_number"] = round_number
            form = keep[1] if kept else ACTION_FORMS[name](initial=initial)
            form.auto_id = f"id_{prefix}_%s"  # several forms on one page: unique ids for their labels
            return form

        action_forms = [
            {"action": allowed[name], "form": form_for(name, prefix=name, kept=bool(keep and keep[0] == name))}
            for name in ACTION_FORMS if name in allowed and name not in ROUND_ACTIONS
        ]
        files = list(appeal_files_for(appeal=appeal, user=user))
        rounds = _rounds(appeal_rounds_for(appeal=appeal, user=user), files, allowed, keep, form_for)
        timeline = _timeline(appeal, user, files)
        questions = [row["event"].text for row in timeline if row["event"].name == "request_clarification"]
        context = {
            "appeal": appeal,
            "request_files": [file for file in files if file.kind == FileKind.REQUEST],
            "rounds": rounds,
            "reworking": bool(rounds and rounds[-1]["round"].sent_back_at and appeal.status != AppealStatus.ANSWERED),
            "timeline": timeline,
            "question": questions[-1] if questions else "",
            "action_forms": action_forms,
            "meetings": appeal_meetings_for(appeal=appeal, user=user),
            # the appeal's three roles with their contacts, as its DOCX lists them (read with the appeal)
            "roles": [(field, title, note, getattr(appeal, field)) for field, title, note in APPEAL_ROLES],
        }
        return render(self.request, "portal/appeal_detail.html", context, status=status)


def _kept_round(keep, rounds: list[AppealAnswer]) -> int | None:
    """The round a re-shown rating form belongs to: the one it posted, or the newest unrated one."""
    if not keep or keep[0] != "rate":
        return None
    form = keep[1]
    raw = form.data.get("round_number") if form.is_bound else form.initial.get("round_number")
    if str(raw or "").isdigit():
        return int(raw)
    unrated = [round_.number for round_ in rounds if round_.rating is None]
    return unrated[-1] if unrated else None


def _rounds(rounds: list[AppealAnswer], files: list[AppealFile], allowed: dict, keep, form_for) -> list[dict]:
    """Answer rounds for the template: each with its files, its rating (or the form to rate it) and, for the last
    one, the form to send it back. The letter's #action-rate lands on the newest round still to be rated."""
    unrated = [round_.number for round_ in rounds if round_.pk and round_.rating is None]
    kept = _kept_round(keep, rounds)
    rows = []
    for round_ in rounds:
        if round_.pk is None:  # answered before rounds existed: its public answer files have no round
            round_.visible_files = [file for file in files if file.kind == FileKind.ANSWER and file.answer_id is None]
        row = {"round": round_, "stars": _stars(round_.rating)}
        if "rate" in allowed and round_.number in unrated:
            newest = round_.number == unrated[-1]
            row["rate_anchor"] = "action-rate" if newest else f"action-rate-{round_.number}"
            row["rate_form"] = form_for("rate", prefix=f"rate_{round_.number}", round_number=round_.number,
                                        kept=kept == round_.number)
        if "send_back_for_rework" in allowed and round_ is rounds[-1] and round_.pk:
            row["rework_form"] = form_for("send_back_for_rework", prefix="send_back_for_rework",
                                          kept=bool(keep and keep[0] == "send_back_for_rework"))
        rows.append(row)
    return rows


def _stars(rating: int | None) -> str:
    return "★" * rating + "☆" * (5 - rating) if rating else ""


class LegacyAppealDetailView(AppealDetailView):
    legacy = True


CHANGED_WHILE_TYPING = _("Обращение изменилось, пока вы писали: посмотрите изменения на странице и отправьте форму "
                         "ещё раз — введённое вами сохранено.")


class AppealActionView(AppealDetailView):
    """POST of one investor action (reply to a clarification, comment, rate, send back for rework)."""

    http_method_names = ["post"]

    def post(self, request, pk, action):
        form_class = ACTION_FORMS.get(action)
        if form_class is None:
            raise Http404
        appeal = self.get_appeal()
        form = form_class(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_page(appeal, keep=(action, form))
        seen = _version(form.cleaned_data["version"])
        if seen is None or seen != appeal.updated_at:
            return self.conflict(appeal, action, form)
        appeal.updated_at = seen  # the door compares it again under the row lock
        try:
            appeal_transition(appeal=appeal, name=action, actor=request.user, **form.action_data())
        except AppealConflict:
            return self.conflict(self.get_appeal(), action, form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.render_page(appeal, keep=(action, form))
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect("portal:appeal_detail", appeal.pk)
        messages.success(request, ACTION_DONE[action])
        return redirect(reverse("portal:appeal_detail", args=[appeal.pk]) + "#history")

    def conflict(self, appeal: Appeal, action: str, form) -> HttpResponse:
        """Nothing was written: show the fresh appeal, keep what the investor typed and the files they chose."""
        typed = {key: value for key, value in form.cleaned_data.items() if key not in {"version", "files"}}
        if "files" in form.fields:
            typed["files"] = hold_uploads(form)
        fresh = type(form)(initial={**typed, "version": appeal.updated_at.isoformat()})
        fresh.conflict = CHANGED_WHILE_TYPING  # said on the form the page opens at (its action's #anchor)
        return self.render_page(appeal, keep=(action, fresh), status=409)


def _version(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


# --- downloads -----------------------------------------------------------------------------------------------
class AppealFileView(InvestorRequiredMixin, View):
    def get(self, request, pk):
        try:
            attachment = appeal_file_get_for_user(user=request.user, pk=pk)
            return private_file_response(
                file=attachment.file, filename=attachment.original_name, content_type=attachment.content_type
            )
        except (AppealFile.DoesNotExist, FileNotFoundError):
            raise Http404 from None


class AppealDocxView(InvestorRequiredMixin, View):
    """«Скачать DOCX»: the investor's copy of their company's appeal — the public part only."""

    def get(self, request, pk):
        try:
            card = appeal_card_for(appeal=appeal_get_for_user(user=request.user, pk=pk), user=request.user)
        except Appeal.DoesNotExist:
            raise Http404 from None
        response = HttpResponse(appeal_card_docx(card=card), content_type=DOCX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="obrashchenie-{card.appeal.number}.docx"'
        response["Cache-Control"] = "private, no-store"
        return response


class AppealMeetingIcsView(InvestorRequiredMixin, View):
    """A meeting about the appeal as a calendar file (.ics), from the appeal's page."""

    def get(self, request, pk, meeting_pk):
        try:
            appeal = appeal_get_for_user(user=request.user, pk=pk)
            meeting = next(meeting for meeting in appeal_meetings_for(appeal=appeal, user=request.user)
                           if meeting.pk == meeting_pk and meeting.status != MeetingStatus.CANCELLED
                           and meeting.investor_invited)
        except (Appeal.DoesNotExist, StopIteration):
            raise Http404 from None
        filename = f"vstrecha-{timezone.localtime(meeting.starts_at):%Y-%m-%d}.ics"
        return calendar_response(meeting_ics(meeting), filename=filename)
