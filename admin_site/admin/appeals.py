"""Appeals (МОС) in the manager cabinet: the list, the card with its history, and the action buttons.

The cabinet only adapts: who sees an appeal is core.selectors.visibility, which buttons a person gets is
core.workflows.appeals.appeal_actions_for, and every change goes through appeal_transition (admin_site.views).
"""

from functools import lru_cache, partial

from django.contrib import admin
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import get_script_prefix, get_urlconf, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action, display
from unfold.enums import ActionVariant

from admin_site.admin import cells
from admin_site.admin.actions import DoorAdminMixin, dialog_action
from admin_site.admin.base import FilteredChangeList, ReadOnlyModelAdmin
from admin_site.admin.filters import (
    ChoicesDropdownFilter,
    DayRangeFilter,
    RelatedDropdownFilter,
    overdue_filter,
    related_choices_filter,
)
from admin_site.admin.legacy import AppealImportMixin
from admin_site.admin.paginators import EstimatedCountPaginator
from admin_site.admin.registers import RegisterListMixin
from admin_site.badges import notices_seen_here
from admin_site.forms.people import PersonSelect
from admin_site.views.answer_templates import answer_template_text_view, appeal_faq_view, may_add_to_faq
from admin_site.views.appeal_people import appeal_people_view
from admin_site.views.appeal_register import appeal_register_view
from admin_site.views.appeals import (
    STATUS_LABELS,
    allowed_actions,
    appeal_action_view,
    appeal_card_context,
    appeal_docx_download,
    appeal_file_download,
    appeal_investor_answer_download,
    appeal_stream_view,
    deadline_state,
)
from admin_site.views.drafts import appeal_draft_start_view, draft_state_view
from admin_site.views.exports import appeals_docx_response
from admin_site.views.pos import pos_answers_view
from admin_site.views.similar_appeals import appeal_similar_view
from core.choices import AppealChannel, AppealStatus, OrganisationKind
from core.models import Appeal
from core.selectors.appeals import appeal_list, appeal_overdue_q, appeal_page_get_for_user
from core.selectors.visibility import appeals_visible_to, organisations_visible_to
from core.workflows.appeals import ACTIONS, _registers

STATUS_COLOURS = {status.value: AppealStatus.colour(status) for status in AppealStatus}
DEADLINE_COLOURS = {colour: colour for colour in ("danger", "warning", "success", "default")}
CHANNEL_COLOURS = {channel.value: AppealChannel.colour(channel) for channel in AppealChannel}
# what get_channel_display() gives, without flattening the choices for every row (the statuses': STATUS_LABELS)
CHANNEL_LABELS = dict(AppealChannel.choices)


@lru_cache(maxsize=4096)
def fact_cell(fact_id: int, fact: str, appeal_type: str, *where) -> str:
    """The «факт · тип (поток)» cell: a link to the fact's stream and the appeal type. A page repeats the same facts
    and the classifier has a few hundred, so each is built once per process (`where`: the script prefix, URLconf
    and language the link and its title depend on), not reversed and formatted again for every row."""
    return format_html(
        '<a href="{}" title="{}" class="text-primary-600">{}</a><p class="text-base-500">{}</p>',
        reverse("admin:core_appeal_stream", args=[fact_id]), _("Поток: %(fact)s") % {"fact": fact},
        Truncator(fact).chars(70), appeal_type,
    )


BADGES = {"status": (STATUS_LABELS, STATUS_COLOURS), "channel": (CHANNEL_LABELS, CHANNEL_COLOURS)}


@lru_cache(maxsize=256)
def choice_badge(kind: str, value: str, language: str) -> str:
    """A status's or channel's badge (`kind`: a key of BADGES), its label translated and drawn once per value and
    language, not for every row."""
    labels, colours = BADGES[kind]
    return cells.label_cell(labels.get(value, value), colours.get(value))


@lru_cache(maxsize=4096)
def deadline_cell(deadline, status: str, today, language: str) -> str:
    """The «ответить до» badge: what deadline_state says of an appeal with this deadline and status today, drawn
    once per those values and language (a page repeats deadlines), not formatted and translated for every row."""
    colour, text = deadline_state(Appeal(deadline=deadline, status=status))  # `today` keys the cache: days_left
    return cells.label_cell(text, DEADLINE_COLOURS.get(colour))


def door_action(name: str, icon: str, variant: ActionVariant = ActionVariant.DEFAULT):
    """An unfold detail button for the door's action `name`; its page is admin_site.views.appeal_action_view."""
    return dialog_action(appeal_action_view, name=name, label=ACTIONS[name].label, icon=icon, variant=variant)


def executor_choices(user):
    """The executor filter's choices: the participants' organisations, from their own table (not every appeal's)."""
    return organisations_visible_to(user).filter(kind__in=OrganisationKind.participants()).only("pk", "short_name")


class AppealChangeList(FilteredChangeList):
    @property
    def result_count_text(self) -> str:
        text = super().result_count_text
        return f"≈\u00a0{text}" if getattr(self.paginator, "estimated", False) else text


@admin.register(Appeal)
class AppealAdmin(RegisterListMixin, DoorAdminMixin, AppealImportMixin, ReadOnlyModelAdmin):
    visible_to = staticmethod(appeals_visible_to)
    list_selector = staticmethod(appeal_list)  # the rows: core.filters.appeals.AppealFilterSet; the sidebar draws
    register_name = "appeals"  # «Скачать реестр», «Мои фильтры» (admin_site.admin.registers)
    actions = ["download_word"]
    # only what the columns show: each join more costs PostgreSQL planning time (40 ms for the nine of LIST_RELATED)
    list_select_related = ("appeal_type", "fact", "manager", "executor_organisation")
    # no COUNT(*) over every appeal beside the list's own count, and that one estimated when nothing narrows it
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_display = (
        "number_display", "subject_and_investor", "fact_link", "status_badge", "deadline_badge", "execution",
        "channel_badge",
    )
    list_display_links = ("number_display", "subject_and_investor")
    list_filter = (
        ("status", ChoicesDropdownFilter),
        ("channel", ChoicesDropdownFilter),
        ("appeal_type", RelatedDropdownFilter),
        ("fact__subcategory__category", RelatedDropdownFilter),
        ("executor_organisation", related_choices_filter(executor_choices)),
        ("organisation__district", RelatedDropdownFilter),
        overdue_filter(appeal_overdue_q),
        ("created_at", DayRangeFilter),
    )
    search_fields = ("number", "subject", "organisation_inn", "organisation_name", "=pos_number")
    search_help_text = _("Номер, номер ПОС, тема, ИНН или название организации")
    ordering = ("-number",)
    change_form_template = "admin/core/appeal/change_form.html"
    fields = ("subject",)  # the card is the template; the form never edits anything
    # unfold shows only what get_actions_detail keeps; the rarer actions wait in a dropdown.
    actions_detail = (
        # the status's own steps first and coloured; «Назначить ответственного», which moves no status, after them
        "action_assign", "action_take_into_work", "action_submit_for_approval", "action_approve",
        "action_return_to_executor", "action_close", "action_appoint_manager", "action_redirect", "action_reject",
        {
            "title": _("Ещё"),
            "icon": "more_horiz",
            "items": [
                "action_correct", "action_request_clarification", "action_schedule_meeting", "action_change_meeting",
                "action_extend_deadline",
                "action_reclassify", "action_link_project", "action_escalate", "action_add_to_faq",
            ],
        },
        "download_docx",
        "download_investor_answer",
    )

    action_assign = door_action("assign", "person_add", ActionVariant.PRIMARY)
    action_take_into_work = door_action("take_into_work", "play_arrow", ActionVariant.PRIMARY)
    action_submit_for_approval = door_action("submit_for_approval", "send", ActionVariant.PRIMARY)
    action_approve = door_action("approve", "task_alt", ActionVariant.SUCCESS)
    action_return_to_executor = door_action("return_to_executor", "undo", ActionVariant.WARNING)
    action_close = door_action("close", "check_circle", ActionVariant.SUCCESS)
    action_redirect = door_action("redirect", "alt_route")
    action_request_clarification = door_action("request_clarification", "contact_support")
    action_extend_deadline = door_action("extend_deadline", "event")
    action_reclassify = door_action("reclassify", "category")
    action_link_project = door_action("link_project", "link")
    action_reject = door_action("reject", "block", ActionVariant.DANGER)
    action_correct = door_action("correct", "edit_note")
    action_appoint_manager = door_action("appoint_manager", "badge")
    action_schedule_meeting = door_action("schedule_meeting", "video_call")
    action_change_meeting = door_action("change_meeting", "edit_calendar")
    action_escalate = door_action("escalate", "gavel")
    # not the door's: it changes no status, only takes the answer into an unpublished FAQ entry
    action_add_to_faq = dialog_action(appeal_faq_view, name="add_to_faq", label=_("В частые вопросы"), icon="quiz",
                                      url_path="faq")

    @action(description=_("Скачать DOCX"), url_path="docx", icon="download", permissions=["view"])
    def download_docx(self, request: HttpRequest, object_id):
        return appeal_docx_download(request, object_id)

    @action(description=_("Ответ инвестору (DOCX)"), url_path="investor-answer-docx", icon="description",
            permissions=["view"])
    def download_investor_answer(self, request: HttpRequest, object_id):
        return appeal_investor_answer_download(request, object_id)

    @action(description=_("Выгрузка обращений в Word"), permissions=["view"])
    def download_word(self, request: HttpRequest, queryset):
        """The selected appeals as one DOCX, a card a page; the queryset is the list's, so only visible ones."""
        return appeals_docx_response(request, queryset)

    # Appeals are filed in the portal or registered by staff on the add page (appeal_register_view), and change
    # only through the door (the buttons below).
    always_buttons = ("download_docx",)

    actions_list = ("register_appeal", "pos_answers")
    show_add_link = False  # «Зарегистрировать обращение» below is the list's add button, under the door's own word

    @action(description=_("Зарегистрировать обращение"), url_path="new", icon="add", permissions=["add"])
    def register_appeal(self, request: HttpRequest):
        """The add page under its own name over the list."""
        return redirect("admin:core_appeal_add")

    @action(description=_("Ответы для ПОС"), url_path="pos-answers", icon="upload_file", permissions=["view"])
    def pos_answers(self, request: HttpRequest):
        """The answers to the federal platform's messages of a period, as a file to upload back to it."""
        return pos_answers_view(request, model_admin=self)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _registers(request.user)  # the door's own rule: agency coordinators, managers and heads

    def add_view(self, request: HttpRequest, form_url="", extra_context=None):
        return appeal_register_view(request, model_admin=self)

    def get_changelist(self, request: HttpRequest, **kwargs):
        return AppealChangeList

    def fetch_for_user(self, *, user, pk: int):
        return appeal_page_get_for_user(user=user, pk=pk)

    def allowed_buttons(self, obj, user) -> set[str]:
        allowed = {f"action_{name}" for name in allowed_actions(obj, user)}
        if may_add_to_faq(obj, user):
            allowed.add("action_add_to_faq")
        if obj.project_id and getattr(obj, "project_visible", False):  # annotated by appeal_page_get_for_user
            allowed.add("download_investor_answer")  # the letter is built from the project (docs/documents.md)
        return allowed

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("stream/<int:fact_id>/", view(partial(appeal_stream_view, model_admin=self)),
                 name="core_appeal_stream"),
            path("files/<int:file_id>/", view(partial(appeal_file_download, model_admin=self)),
                 name="core_appeal_file"),
            path("people/", view(partial(appeal_people_view, model_admin=self)), name="core_appeal_people"),
            path("<path:object_id>/answer-template/",
                 view(partial(answer_template_text_view, model_admin=self)), name="core_appeal_answer_template"),
            path("<path:object_id>/similar/", view(partial(appeal_similar_view, model_admin=self)),
                 name="core_appeal_similar"),
            path("drafts/<int:draft_id>/", view(partial(draft_state_view, model_admin=self)),
                 name="core_appeal_draft"),
            path("<path:object_id>/draft/", view(partial(appeal_draft_start_view, model_admin=self)),
                 name="core_appeal_draft_start"),
            path("<path:object_id>/comment/", view(partial(appeal_action_view, name="comment", model_admin=self)),
                 name="core_appeal_comment"),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            notices_seen_here(request, obj)  # before the header counts the bell
            context.update(appeal_card_context(request, obj), channel_colour=AppealChannel.colour(obj.channel))
            context["media"] += PersonSelect().media  # the person pickers of the dialogs the buttons open
            if obj.project_id and obj.project_visible:
                context["project_url"] = reverse("admin:core_project_change", args=[obj.project_id])
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    # --- list columns ----------------------------------------------------------------------------------------
    # Badges and two-line cells come ready from admin_site.admin.cells (unfold's markup, rendered once per variant),
    # not through unfold's `label=`/`header=` templates once per cell: the same HTML, a fraction of the time.
    action_checkbox = cells.action_checkbox
    # no expandable sections under the rows; named so that unfold's row template, which asks twice a row, finds it
    # instead of failing the lookup and listing every attribute of this admin to check why (dir(): 100 times a page)
    list_sections = ()

    @display(description=_("№"), ordering="number")
    def number_display(self, obj: Appeal) -> str:
        return f"#{obj.number}"

    @display(description=_("статус"), ordering="status")
    def status_badge(self, obj: Appeal) -> SafeString:
        return choice_badge("status", obj.status, get_language())

    @display(description=_("ответить до"), ordering="deadline")
    def deadline_badge(self, obj: Appeal) -> SafeString:
        return deadline_cell(obj.deadline, obj.status, timezone.localdate(), get_language())

    @display(description=_("обращение · инвестор"), ordering="subject")
    def subject_and_investor(self, obj: Appeal) -> SafeString:
        return cells.header_cell(obj.subject, obj.organisation_name)

    @display(description=_("факт · тип (поток)"), ordering="fact__name")
    def fact_link(self, obj: Appeal) -> str:
        return fact_cell(obj.fact_id, obj.fact.name, obj.appeal_type.name, get_script_prefix(), get_urlconf(),
                         get_language())

    @display(description=_("канал поступления"), ordering="channel")
    def channel_badge(self, obj: Appeal) -> SafeString:
        return choice_badge("channel", obj.channel, get_language())

    @display(description=_("менеджер · исполнитель"), ordering="executor_organisation__short_name")
    def execution(self, obj: Appeal) -> SafeString:
        return cells.header_cell(obj.manager.full_name if obj.manager else "—", obj.executor_organisation or "")
